/// A JSON document tree whose numbers are kept as exact decimal text, so
/// they are written without ever passing through `Double`: `0.1` is written
/// as `0.1` and every digit of a 34-digit value survives.
public indirect enum JSON: Sendable {
    case object([(String, JSON)])
    case array([JSON])
    case string(String)
    /// Number text, already in JSON number syntax.
    case number(String)
    case bool(Bool)
    case null

    /// Serialises the document; `pretty` indents by two spaces.
    public func serialized(pretty: Bool = true) -> String {
        var out = ""
        write(into: &out, indent: pretty ? 0 : -1)
        return out
    }

    private func write(into out: inout String, indent: Int) {
        let pretty = indent >= 0
        func newline(_ level: Int) {
            if pretty { out += "\n" + String(repeating: "  ", count: level) }
        }
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += n
        case .string(let s): out += JSON.quote(s)
        case .array(let items):
            guard !items.isEmpty else { out += "[]"; return }
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                newline(indent + 1)
                item.write(into: &out, indent: pretty ? indent + 1 : -1)
            }
            newline(indent)
            out += "]"
        case .object(let pairs):
            guard !pairs.isEmpty else { out += "{}"; return }
            out += "{"
            for (i, (k, v)) in pairs.enumerated() {
                if i > 0 { out += "," }
                newline(indent + 1)
                out += JSON.quote(k) + (pretty ? ": " : ":")
                v.write(into: &out, indent: pretty ? indent + 1 : -1)
            }
            newline(indent)
            out += "}"
        }
    }

    /// A JSON string literal with the escapes RFC 8259 requires.
    public static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }

    /// A language value as JSON: numbers exact, money as
    /// `{"amount": 13482.50, "currency": "CNY"}`, dates as ISO strings,
    /// `none` as null, records as objects in field order.
    public init(_ value: Value, subjectID: ((SubjectRef) -> String)? = nil) {
        switch value {
        case .none: self = .null
        case .bool(let b): self = .bool(b)
        case .number(let n): self = .number(n.description)
        case .money(let m):
            self = .object([("amount", .number(m.amount.formatted(minimumFractionDigits: m.currency.minorUnits))),
                            ("currency", .string(m.currency.code))])
        case .string(let s): self = .string(s)
        case .date(let d): self = .string(d.description)
        case .list(let items): self = .array(items.map { JSON($0, subjectID: subjectID) })
        case .record(let r):
            self = .object(zip(r.schema.fields, r.values).map { ($0, JSON($1, subjectID: subjectID)) })
        case .subject(let s): self = .string(subjectID?(s) ?? "\(s.scope.rawValue)#\(s.index)")
        }
    }
}
