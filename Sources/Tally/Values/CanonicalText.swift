/// The canonical text of values (LANGUAGE.md §11): what `--print` and the
/// REPL show, and what conformance tests compare.
///
/// Numbers are plain decimals without exponent or trailing fraction zeros
/// (`0.85`, `12000`); money keeps its currency's minor-unit digits
/// (`13500.00 CNY`); zero is never signed; dates are ISO 8601; a string at
/// top level prints raw, inside lists and records quoted with source escapes.
public enum CanonicalText {
    /// Renders `value`. `quoted` quotes a top-level string. Subjects (people,
    /// teams, the company) inside a value print as their quoted id, found with
    /// `subjectID`.
    public static func render(_ value: Value, quoted: Bool = false,
                              subjectID: ((SubjectRef) -> String)? = nil) -> String {
        var out = ""
        write(value, quoted: quoted, subjectID: subjectID, into: &out)
        return out
    }

    static func write(_ value: Value, quoted: Bool, subjectID: ((SubjectRef) -> String)?, into out: inout String) {
        switch value {
        case .none: out += "none"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += n.description
        case .money(let m): out += m.description
        case .string(let s): out += quoted ? quote(s) : s
        case .date(let d): out += d.description
        case .list(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += ", " }
                write(item, quoted: true, subjectID: subjectID, into: &out)
            }
            out += "]"
        case .record(let r):
            out += "{"
            for (i, (name, v)) in zip(r.schema.fields, r.values).enumerated() {
                if i > 0 { out += ", " }
                out += name + ": "
                write(v, quoted: true, subjectID: subjectID, into: &out)
            }
            out += "}"
        case .subject(let s):
            out += quote(subjectID?(s) ?? (s.scope == .company ? "company" : "\(s.scope.rawValue)#\(s.index)"))
        }
    }

    /// `"..."` with the language's string escapes.
    public static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                // Controls and the Unicode line separators as escapes: a
                // quoted string is always one line of visible text.
                if u.value < 0x20 || (0x7F...0x9F).contains(u.value) || u.value == 0x2028 || u.value == 0x2029 {
                    out += "\\u{" + String(u.value, radix: 16, uppercase: true) + "}"
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}
