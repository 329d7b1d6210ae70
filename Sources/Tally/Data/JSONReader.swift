#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A small strict JSON reader (RFC 8259) for datasets.
///
/// Foundation's `JSONSerialization` and `JSONDecoder` read every number
/// through `Double`, which would turn `0.1` into 0.1000000000000000055… and
/// lose digits of large money amounts. This reader keeps each number as its
/// source text, so the numeric core can read it as an exact decimal.
///
/// - Numbers are validated against the RFC 8259 grammar and kept verbatim
///   (`-0`, `1e7000`, `12345678901234567890.12`).
/// - Strings are fully unescaped, including surrogate pairs; a lone surrogate
///   escape is an error, and so is a raw control character.
/// - Every value carries its 1-based line and column (columns count Unicode
///   scalars, as in all Tally diagnostics).
/// - Nesting deeper than `maxDepth` is an error, so 100,000 `[` are reported
///   rather than overflowing the stack.
/// - Invalid UTF-8 is an error with its position; an optional UTF-8 BOM is
///   accepted; anything after the top-level value is an error.
/// - Objects keep their members in file order *including repeated keys*: the
///   dataset layer reports repeated keys, because only it can name the record
///   (its `id`) in the message. `JSONReader.duplicateKeys` finds them.
///
/// Syntax errors stop the parse (there is no sound way to recover inside a
/// broken JSON text); the first one is returned as a `Diagnostic`.
public enum JSONReader {
    /// The deepest nesting of arrays and objects accepted. Datasets are
    /// shallow (top object → `people` array → person object → field value:
    /// depth 4); 64 leaves room for any sensible file and keeps the
    /// recursive descent far from the stack limit.
    public static let maxDepth = 64

    /// Parses `bytes` (an optional UTF-8 BOM is skipped) named `file` in diagnostics.
    public static func parse(_ bytes: [UInt8], file: String) -> Result<JSONNode, Diagnostic> {
        parse(SourceFile(name: file, bytes: bytes))
    }

    /// Parses a source file's bytes (its BOM already removed by `SourceFile`).
    public static func parse(_ source: SourceFile) -> Result<JSONNode, Diagnostic> {
        source.bytes.withUnsafeBufferPointer { p in
            var parser = JSONParser(p)
            do throws(JSONSyntaxError) {
                let node = try parser.parseDocument()
                return .success(node)
            } catch {
                let col = parser.columns.column(p, lineStart: error.lineStart, at: error.offset)
                let loc = SourceLocation(file: source.name, line: error.line, column: col)
                return .failure(Diagnostic(.error, phase: .data, message: error.message, location: loc,
                                           sourceLine: source.shownLine(error.line), length: error.length))
            }
        }
    }

    /// The members of an object whose key (after NFC normalisation) repeats
    /// an earlier member's key, each with the index of that earlier member.
    public static func duplicateKeys(_ members: [JSONMember]) -> [(duplicate: Int, first: Int)] {
        if members.count < 2 { return [] }
        var seen: [String: Int] = [:]
        seen.reserveCapacity(members.count)
        var out: [(Int, Int)] = []
        for (i, m) in members.enumerated() {
            let key = TextNormalization.nfc(m.key)
            if let first = seen[key] { out.append((i, first)) } else { seen[key] = i }
        }
        return out
    }
}

/// A JSON value with the position of its first character.
public struct JSONNode: Sendable {
    public var value: JSONValue
    /// 1-based line of the value's first character.
    public var line: Int
    /// 1-based column (in Unicode scalars) of the value's first character.
    public var column: Int

    public init(value: JSONValue, line: Int, column: Int) {
        self.value = value
        self.line = line
        self.column = column
    }
}

public indirect enum JSONValue: Sendable {
    case null
    case bool(Bool)
    /// The number's source text, exactly as written (validated against RFC 8259).
    case number(String)
    case string(String)
    case array([JSONNode])
    /// Members in file order, repeated keys included.
    case object([JSONMember])
}

/// One `"key": value` member of an object.
public struct JSONMember: Sendable {
    /// The key, unescaped, exactly as written (not normalised).
    public var key: String
    /// 1-based line and column of the key's opening quote.
    public var keyLine: Int
    public var keyColumn: Int
    /// The key's length in Unicode scalars including its quotes, for carets.
    public var keyLength: Int
    public var value: JSONNode
}

/// A syntax error: where (byte offset, its line and that line's start) and what.
struct JSONSyntaxError: Error {
    var offset: Int
    var line: Int
    var lineStart: Int
    var message: String
    var length: Int = 1
}

private let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\"), slash = UInt8(ascii: "/")
private let lbrace = UInt8(ascii: "{"), rbrace = UInt8(ascii: "}")
private let lbracket = UInt8(ascii: "["), rbracket = UInt8(ascii: "]")
private let comma = UInt8(ascii: ","), colon = UInt8(ascii: ":"), minus = UInt8(ascii: "-")
private let plus = UInt8(ascii: "+"), dot = UInt8(ascii: "."), zero = UInt8(ascii: "0")
private let nine = UInt8(ascii: "9"), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
private let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")

@inline(__always) private func isDigit(_ b: UInt8) -> Bool { b >= zero && b <= nine }
@inline(__always) private func isWordByte(_ b: UInt8) -> Bool {
    (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F
}

struct JSONParser {
    let p: UnsafeBufferPointer<UInt8>
    let n: Int
    var i = 0
    var line = 1
    var lineStart = 0
    var columns = ColumnCounter()
    /// Reused buffer for strings with escapes.
    var scratch: [UInt8] = []
    /// Set by `parseString`: the string had no escapes, so its text is exactly
    /// the bytes between its quotes.
    var lastStringWasRaw = false
    /// Keys seen at each member position of earlier objects (their bytes'
    /// offset and length in the input, and the String made from them).
    /// Dataset records repeat the same keys in the same order, so most keys
    /// are recognised by a byte comparison and share one String.
    var keyCache: [(start: Int, count: Int, key: String)] = []

    init(_ p: UnsafeBufferPointer<UInt8>) {
        self.p = p
        self.n = p.count
    }

    // MARK: Positions and errors

    @inline(__always)
    mutating func column(at off: Int) -> Int {
        columns.column(p, lineStart: lineStart, at: off)
    }

    func error(_ message: String, at off: Int, length: Int = 1) -> JSONSyntaxError {
        JSONSyntaxError(offset: off, line: line, lineStart: lineStart, message: message, length: length)
    }

    /// A short, printable description of the character at `off`.
    func describe(at off: Int) -> String {
        guard off < n else { return "end of input" }
        let b = p[off]
        if b < 0x20 || b == 0x7F {
            switch b {
            case 0: return "NUL byte"
            default: return "control character U+" + hex4(UInt32(b))
            }
        }
        if b < 0x80 { return "'" + String(UnicodeScalar(b)) + "'" }
        let len = UTF8Check.sequenceLength(p, off)
        if len == 0 { return UTF8Check.describeInvalid(p, off) }
        let s = String(decoding: UnsafeBufferPointer(rebasing: p[off..<off + len]), as: UTF8.self)
        return "'" + s + "'"
    }

    /// The run of letters, digits, `_`, `.`, `+` and `-` at `off`, for messages
    /// about bad literals and numbers (`NaN`, `1.000.000`).
    func word(at off: Int) -> (String, Int) {
        var k = off
        while k < n, isWordByte(p[k]) || p[k] == dot || p[k] == plus || p[k] == minus, k - off < 40 { k += 1 }
        return (String(decoding: UnsafeBufferPointer(rebasing: p[off..<k]), as: UTF8.self), max(1, k - off))
    }

    func unexpected(at off: Int, expected: String) -> JSONSyntaxError {
        if off >= n { return error("unexpected end of input: expected \(expected)", at: off) }
        let b = p[off]
        if b == slash, off + 1 < n, p[off + 1] == slash || p[off + 1] == UInt8(ascii: "*") {
            return error("comments are not allowed in JSON", at: off, length: 2)
        }
        if b == UInt8(ascii: "'") {
            return error("JSON strings use double quotes, not single quotes", at: off)
        }
        if b >= 0x80, UTF8Check.sequenceLength(p, off) == 0 {
            return error(UTF8Check.describeInvalid(p, off), at: off)
        }
        if isWordByte(b) {
            let (w, len) = word(at: off)
            return error("unexpected '\(w)': expected \(expected)", at: off, length: len)
        }
        return error("unexpected \(describe(at: off)): expected \(expected)", at: off)
    }

    // MARK: Structure

    @inline(__always)
    mutating func skipWhitespace() {
        while i < n {
            let b = p[i]
            if b == space || b == tab || b == cr {
                i += 1
            } else if b == lf {
                i += 1
                line += 1
                lineStart = i
            } else {
                return
            }
        }
    }

    mutating func parseDocument() throws(JSONSyntaxError) -> JSONNode {
        skipWhitespace()
        if i >= n { throw error("empty file: expected a JSON value", at: i) }
        let node = try parseValue(depth: 0)
        skipWhitespace()
        if i < n {
            throw error("unexpected \(describe(at: i)) after the end of the JSON value", at: i)
        }
        return node
    }

    mutating func parseValue(depth: Int) throws(JSONSyntaxError) -> JSONNode {
        let start = i
        let valueLine = line
        let col = column(at: start)
        guard i < n else { throw unexpected(at: i, expected: "a value") }
        let b = p[i]
        let value: JSONValue
        switch b {
        case quote:
            value = .string(try parseString())
        case lbrace:
            if depth >= JSONReader.maxDepth {
                throw error("nesting is deeper than \(JSONReader.maxDepth) levels of arrays and objects", at: i)
            }
            value = .object(try parseObject(depth: depth + 1, line: valueLine, column: col))
        case lbracket:
            if depth >= JSONReader.maxDepth {
                throw error("nesting is deeper than \(JSONReader.maxDepth) levels of arrays and objects", at: i)
            }
            value = .array(try parseArray(depth: depth + 1, line: valueLine, column: col))
        case minus, zero...nine:
            value = .number(try parseNumber())
        case UInt8(ascii: "t"):
            try literal("true")
            value = .bool(true)
        case UInt8(ascii: "f"):
            try literal("false")
            value = .bool(false)
        case UInt8(ascii: "n"):
            try literal("null")
            value = .null
        default:
            if isWordByte(b) || b == plus || b == dot {
                let (w, len) = word(at: i)
                throw error("invalid value '\(w)' (JSON values are numbers, \"strings\", true, false, null, arrays and objects)",
                            at: i, length: len)
            }
            throw unexpected(at: i, expected: "a value")
        }
        return JSONNode(value: value, line: valueLine, column: col)
    }

    mutating func literal(_ text: StaticString) throws(JSONSyntaxError) {
        let len = text.utf8CodeUnitCount
        let start = i
        var ok = i + len <= n
        if ok {
            let t = text.utf8Start
            for k in 0..<len where p[i + k] != t[k] { ok = false; break }
        }
        if ok, i + len < n, isWordByte(p[i + len]) { ok = false }
        if !ok {
            let (w, wlen) = word(at: start)
            throw error("invalid value '\(w)' (JSON values are numbers, \"strings\", true, false, null, arrays and objects)",
                        at: start, length: wlen)
        }
        i += len
    }

    mutating func parseArray(depth: Int, line openLine: Int, column openColumn: Int) throws(JSONSyntaxError) -> [JSONNode] {
        i += 1  // [
        var items: [JSONNode] = []
        skipWhitespace()
        if i < n, p[i] == rbracket { i += 1; return items }
        while true {
            skipWhitespace()
            if i < n, p[i] == rbracket {
                throw error("trailing comma before ']' is not allowed in JSON", at: i)
            }
            if i >= n {
                throw error("unexpected end of input: the array opened at line \(openLine), column \(openColumn) is not closed", at: i)
            }
            items.append(try parseValue(depth: depth))
            skipWhitespace()
            guard i < n else {
                throw error("unexpected end of input: the array opened at line \(openLine), column \(openColumn) is not closed", at: i)
            }
            if p[i] == comma { i += 1; continue }
            if p[i] == rbracket { i += 1; return items }
            throw unexpected(at: i, expected: "',' or ']' after an array element")
        }
    }

    mutating func parseObject(depth: Int, line openLine: Int, column openColumn: Int) throws(JSONSyntaxError) -> [JSONMember] {
        i += 1  // {
        var members: [JSONMember] = []
        skipWhitespace()
        if i < n, p[i] == rbrace { i += 1; return members }
        while true {
            skipWhitespace()
            guard i < n else {
                throw error("unexpected end of input: the object opened at line \(openLine), column \(openColumn) is not closed", at: i)
            }
            if p[i] == rbrace {
                throw error("trailing comma before '}' is not allowed in JSON", at: i)
            }
            guard p[i] == quote else {
                throw unexpected(at: i, expected: "a \"key\" in double quotes")
            }
            let keyLine = line
            let keyColumn = column(at: i)
            let key = try parseKey(position: members.count)
            let keyLength = column(at: i) - keyColumn
            skipWhitespace()
            guard i < n, p[i] == colon else {
                throw unexpected(at: i, expected: "':' after the key \"\(key)\"")
            }
            i += 1
            skipWhitespace()
            let value = try parseValue(depth: depth)
            members.append(JSONMember(key: key, keyLine: keyLine, keyColumn: keyColumn, keyLength: keyLength, value: value))
            skipWhitespace()
            guard i < n else {
                throw error("unexpected end of input: the object opened at line \(openLine), column \(openColumn) is not closed", at: i)
            }
            if p[i] == comma { i += 1; continue }
            if p[i] == rbrace { i += 1; return members }
            throw unexpected(at: i, expected: "',' or '}' after an object member")
        }
    }

    /// A member's key: the String of the same key at the same position in an
    /// earlier object when the bytes match, else a freshly parsed one.
    @inline(__always)
    mutating func parseKey(position k: Int) throws(JSONSyntaxError) -> String {
        if k < keyCache.count {
            let c = keyCache[k]
            let end = i + 1 + c.count
            if end < n, p[end] == quote,
               memcmp(p.baseAddress! + i + 1, p.baseAddress! + c.start, c.count) == 0 {
                i = end + 1
                return c.key
            }
        }
        let start = i + 1
        let key = try parseString()
        if lastStringWasRaw {
            let entry = (start: start, count: i - 1 - start, key: key)
            if k < keyCache.count { keyCache[k] = entry } else if k == keyCache.count, k < 256 { keyCache.append(entry) }
        }
        return key
    }

    // MARK: Numbers

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, kept as text.
    mutating func parseNumber() throws(JSONSyntaxError) -> String {
        let start = i
        func bad(_ why: String) -> JSONSyntaxError {
            let (w, len) = word(at: start)
            return error("invalid number '\(w)': \(why)", at: start, length: len)
        }
        if p[i] == minus { i += 1 }
        guard i < n, isDigit(p[i]) else { throw bad("a digit must follow '-'") }
        if p[i] == zero {
            i += 1
            if i < n, isDigit(p[i]) { throw bad("leading zeros are not allowed") }
        } else {
            while i < n, isDigit(p[i]) { i += 1 }
        }
        if i < n, p[i] == dot {
            i += 1
            guard i < n, isDigit(p[i]) else { throw bad("a digit must follow the decimal point") }
            while i < n, isDigit(p[i]) { i += 1 }
        }
        if i < n, p[i] == UInt8(ascii: "e") || p[i] == UInt8(ascii: "E") {
            i += 1
            if i < n, p[i] == plus || p[i] == minus { i += 1 }
            guard i < n, isDigit(p[i]) else { throw bad("the exponent needs digits") }
            while i < n, isDigit(p[i]) { i += 1 }
        }
        if i < n, isWordByte(p[i]) || p[i] == dot || p[i] == plus || p[i] == minus {
            throw bad("a number must be followed by ',', ']', '}' or white space")
        }
        return String(decoding: UnsafeBufferPointer(rebasing: p[start..<i]), as: UTF8.self)
    }

    // MARK: Strings

    /// Parses a string starting at the opening quote; `i` ends after the closing quote.
    mutating func parseString() throws(JSONSyntaxError) -> String {
        let open = i
        i += 1
        let start = i
        // Fast path: no escapes. ASCII bytes are skipped; multi-byte
        // sequences are validated in place.
        while i < n {
            let b = p[i]
            if b == quote {
                let s = String(decoding: UnsafeBufferPointer(rebasing: p[start..<i]), as: UTF8.self)
                i += 1
                lastStringWasRaw = true
                return s
            }
            if b == backslash { break }
            if b < 0x20 { throw controlInString(at: i, open: open) }
            if b < 0x80 { i += 1; continue }
            let len = UTF8Check.sequenceLength(p, i)
            if len == 0 { throw error(UTF8Check.describeInvalid(p, i) + " in a string", at: i) }
            i += len
        }
        if i >= n { throw unterminated(open) }
        // Slow path: copy into the scratch buffer, unescaping.
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: p[start..<i]))
        while i < n {
            let b = p[i]
            if b == quote {
                i += 1
                lastStringWasRaw = false
                return String(decoding: scratch, as: UTF8.self)
            }
            if b == backslash {
                try parseEscape()
                continue
            }
            if b < 0x20 { throw controlInString(at: i, open: open) }
            if b < 0x80 { scratch.append(b); i += 1; continue }
            let len = UTF8Check.sequenceLength(p, i)
            if len == 0 { throw error(UTF8Check.describeInvalid(p, i) + " in a string", at: i) }
            scratch.append(contentsOf: UnsafeBufferPointer(rebasing: p[i..<i + len]))
            i += len
        }
        throw unterminated(open)
    }

    func unterminated(_ open: Int) -> JSONSyntaxError {
        error("unterminated string: no closing '\"' before the end of input", at: open)
    }

    func controlInString(at off: Int, open: Int) -> JSONSyntaxError {
        let b = p[off]
        if b == lf || b == cr {
            return error("unterminated string: a line break inside a string must be written \\n", at: off)
        }
        return error("\(describe(at: off)) inside a string must be escaped (\\u" + hex4(UInt32(b)) + ")", at: off)
    }

    mutating func parseEscape() throws(JSONSyntaxError) {
        let esc = i
        i += 1
        guard i < n else { throw error("unterminated string: input ends inside an escape", at: esc) }
        let c = p[i]
        i += 1
        switch c {
        case quote: scratch.append(quote)
        case backslash: scratch.append(backslash)
        case slash: scratch.append(slash)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(lf)
        case UInt8(ascii: "r"): scratch.append(cr)
        case UInt8(ascii: "t"): scratch.append(tab)
        case UInt8(ascii: "u"):
            var u = try hex4Escape(at: esc)
            if u >= 0xD800 && u <= 0xDBFF {
                // A high surrogate must be followed by an escaped low surrogate.
                guard i + 1 < n, p[i] == backslash, p[i + 1] == UInt8(ascii: "u") else {
                    throw error("lone surrogate \\u\(hex4(u)): a high surrogate must be followed by a low surrogate \\uDC00-\\uDFFF",
                                at: esc, length: 6)
                }
                let second = i
                i += 2
                let lo = try hex4Escape(at: second)
                guard lo >= 0xDC00 && lo <= 0xDFFF else {
                    throw error("lone surrogate \\u\(hex4(u)): a high surrogate must be followed by a low surrogate \\uDC00-\\uDFFF",
                                at: esc, length: 6)
                }
                u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00)
            } else if u >= 0xDC00 && u <= 0xDFFF {
                throw error("lone surrogate \\u\(hex4(u)): a low surrogate must follow a high surrogate \\uD800-\\uDBFF",
                            at: esc, length: 6)
            }
            appendScalar(u)
        default:
            i -= 1
            throw error("invalid escape '\\\(describe(at: i).trimmingQuotes)' in a string (valid: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)",
                        at: esc, length: 2)
        }
    }

    /// Reads the 4 hex digits after `\u` (`i` is just past the `u`).
    mutating func hex4Escape(at esc: Int) throws(JSONSyntaxError) -> UInt32 {
        var v: UInt32 = 0
        for _ in 0..<4 {
            guard i < n else { throw error("unterminated string: input ends inside a \\u escape", at: esc) }
            let b = p[i]
            let d: UInt32
            switch b {
            case zero...nine: d = UInt32(b - zero)
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(b - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(b - UInt8(ascii: "A") + 10)
            default: throw error("invalid \\u escape: expected 4 hexadecimal digits", at: esc, length: 2)
            }
            v = v << 4 | d
            i += 1
        }
        return v
    }

    mutating func appendScalar(_ u: UInt32) {
        switch u {
        case 0..<0x80:
            scratch.append(UInt8(u))
        case 0x80..<0x800:
            scratch.append(UInt8(0xC0 | (u >> 6)))
            scratch.append(UInt8(0x80 | (u & 0x3F)))
        case 0x800..<0x10000:
            scratch.append(UInt8(0xE0 | (u >> 12)))
            scratch.append(UInt8(0x80 | ((u >> 6) & 0x3F)))
            scratch.append(UInt8(0x80 | (u & 0x3F)))
        default:
            scratch.append(UInt8(0xF0 | (u >> 18)))
            scratch.append(UInt8(0x80 | ((u >> 12) & 0x3F)))
            scratch.append(UInt8(0x80 | ((u >> 6) & 0x3F)))
            scratch.append(UInt8(0x80 | (u & 0x3F)))
        }
    }
}

func hex4(_ v: UInt32) -> String {
    let s = String(v, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, 4 - s.count)) + s
}

private extension String {
    var trimmingQuotes: String {
        if count >= 2, first == "'", last == "'" { return String(dropFirst().dropLast()) }
        return self
    }
}
