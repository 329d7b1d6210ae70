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
    /// A language value, written as `JSON(value)` would be, without building
    /// the intermediate tree.
    case value(Value)

    /// Serialises the document; `pretty` indents by two spaces.
    public func serialized(pretty: Bool = true) -> String {
        String(decoding: bytes(pretty: pretty), as: UTF8.self)
    }

    /// The document as UTF-8 bytes (written into one growing buffer: a
    /// 100,000-person result is tens of megabytes).
    public func bytes(pretty: Bool = true) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(1 << 16)
        write(into: &out, indent: pretty ? 0 : -1)
        return out
    }

    private func write(into out: inout [UInt8], indent: Int) {
        let pretty = indent >= 0
        func newline(_ level: Int) {
            guard pretty else { return }
            out.append(UInt8(ascii: "\n"))
            for _ in 0..<(level * 2) { out.append(UInt8(ascii: " ")) }
        }
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .number(let n): out.append(contentsOf: n.utf8)
        case .value(let v): JSON.append(v, to: &out, indent: indent)
        case .string(let s): JSON.appendQuoted(s, to: &out)
        case .array(let items):
            guard !items.isEmpty else { out.append(contentsOf: "[]".utf8); return }
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(indent + 1)
                item.write(into: &out, indent: pretty ? indent + 1 : -1)
            }
            newline(indent)
            out.append(UInt8(ascii: "]"))
        case .object(let pairs):
            guard !pairs.isEmpty else { out.append(contentsOf: "{}".utf8); return }
            out.append(UInt8(ascii: "{"))
            for (i, (k, v)) in pairs.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(indent + 1)
                JSON.appendQuoted(k, to: &out)
                out.append(UInt8(ascii: ":"))
                if pretty { out.append(UInt8(ascii: " ")) }
                v.write(into: &out, indent: pretty ? indent + 1 : -1)
            }
            newline(indent)
            out.append(UInt8(ascii: "}"))
        }
    }

    static func append(_ v: Value, to out: inout [UInt8], indent: Int) {
        switch v {
        case .none: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .number(let n): out.append(contentsOf: n.description.utf8)
        case .string(let s): appendQuoted(s, to: &out)
        case .date(let d): appendQuoted(d.description, to: &out)
        case .money(let m):
            out.append(contentsOf: "{\"amount\":".utf8)
            if indent >= 0 { out.append(UInt8(ascii: " ")) }
            out.append(contentsOf: m.amount.formatted(minimumFractionDigits: m.currency.minorUnits).utf8)
            out.append(contentsOf: (indent >= 0 ? ", \"currency\": \"" : ",\"currency\":\"").utf8)
            out.append(contentsOf: m.currency.code.utf8)
            out.append(contentsOf: "\"}".utf8)
        case .list(let items):
            guard !items.isEmpty else { out.append(contentsOf: "[]".utf8); return }
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(&out, indent + 1)
                append(item, to: &out, indent: indent >= 0 ? indent + 1 : -1)
            }
            newline(&out, indent)
            out.append(UInt8(ascii: "]"))
        case .record(let r):
            out.append(UInt8(ascii: "{"))
            for (i, (k, item)) in zip(r.schema.fields, r.values).enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(&out, indent + 1)
                appendQuoted(k, to: &out)
                out.append(UInt8(ascii: ":"))
                if indent >= 0 { out.append(UInt8(ascii: " ")) }
                append(item, to: &out, indent: indent >= 0 ? indent + 1 : -1)
            }
            newline(&out, indent)
            out.append(UInt8(ascii: "}"))
        case .subject:
            JSON(v).write(into: &out, indent: indent)
        }
    }

    private static func newline(_ out: inout [UInt8], _ level: Int) {
        guard level >= 0 else { return }
        out.append(UInt8(ascii: "\n"))
        for _ in 0..<(level * 2) { out.append(UInt8(ascii: " ")) }
    }

    /// A JSON string literal with the escapes RFC 8259 requires.
    public static func quote(_ s: String) -> String {
        var out: [UInt8] = []
        appendQuoted(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static func appendQuoted(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { utf8 in
            // Most strings need no escapes: copy them whole.
            if !utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
                out.append(contentsOf: utf8)
                return
            }
            for b in utf8 {
                switch b {
                case UInt8(ascii: "\""): out.append(UInt8(ascii: "\\")); out.append(b)
                case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\")); out.append(b)
                case UInt8(ascii: "\n"): out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "n"))
                case UInt8(ascii: "\r"): out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "r"))
                case UInt8(ascii: "\t"): out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "t"))
                case 0..<0x20:
                    let hex = Array("0123456789abcdef".utf8)
                    out.append(contentsOf: "\\u00".utf8)
                    out.append(hex[Int(b >> 4)])
                    out.append(hex[Int(b & 15)])
                default: out.append(b)
                }
            }
        }
        out.append(UInt8(ascii: "\""))
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
