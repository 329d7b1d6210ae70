// The lexer (LANGUAGE.md §1; grammar/tally.ebnf, "Lexical structure").
//
// Works on the UTF-8 bytes of a `SourceFile` and turns them into tokens with
// byte spans. It never stops at an error: every problem is reported and
// lexing goes on, so one pass finds all lexical errors. Tokens the lexer had
// to repair carry `hasError` so the parser does not report them again.

import Foundation

/// A problem found while lexing or parsing, by byte range in the file.
struct SyntaxProblem {
    var start: Int
    var end: Int
    var message: String
    /// Secondary location (e.g. where an unterminated block was opened).
    var noteAt: Int? = nil
    var noteMessage: String = ""
}

public struct Lexer {
    /// The source bytes (without a BOM).
    let storage: [UInt8]
    /// `storage`, viewed without reference counting while `run` works
    /// (debug builds would otherwise retain the array on every access).
    var bytes = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    let fileIndex: Int32
    var pos = 0
    var tokens: [Token] = []
    var problems: [SyntaxProblem] = []
    /// Problems past `Parser.errorLimit`, not recorded, and where the first was.
    var suppressed = 0
    var firstSuppressed = 0
    /// A line end was seen since the last token.
    var sawNewline = true
    /// Open `(`, `[`, `{` minus closing ones (for `isIncomplete`), and
    /// whether a closing bracket ever had nothing to close.
    var openBrackets = 0
    var unbalanced = false
    /// The last string literal ran into the end of the input.
    var stringOpenAtEOF = false

    init(bytes: [UInt8], fileIndex: Int32) {
        var bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }  // SourceFile strips it too
        self.storage = bytes
        self.fileIndex = fileIndex
    }

    // MARK: - Public entry points

    /// The tokens of `file`, ending with one `.eof` token. Lexical errors are
    /// appended to `diagnostics` (resolved against `file`).
    public static func tokenize(_ file: SourceFile, fileIndex: Int32, diagnostics: inout DiagnosticBag) -> [Token] {
        var lexer = Lexer(bytes: file.bytes, fileIndex: fileIndex)
        lexer.run()
        let resolver = DiagnosticBag(files: [file])
        for p in lexer.problems { diagnostics.append(resolver.diagnostic(p)) }
        if lexer.suppressed > 0 {
            diagnostics.append(resolver.diagnostic(Parser.tooManyErrors(at: lexer.firstSuppressed, more: lexer.suppressed)))
        }
        return lexer.tokens
    }

    /// True when `text` ends inside an open `(`, `[` or `{`, or inside a
    /// string literal that reached the end of the text: a REPL should then
    /// read a continuation line. Text with a closing bracket that closes
    /// nothing is complete (it is an error either way).
    public static func isIncomplete(_ text: String) -> Bool {
        var lexer = Lexer(bytes: Array(text.utf8), fileIndex: 0)
        lexer.run()
        if lexer.unbalanced { return false }
        return lexer.openBrackets > 0 || lexer.stringOpenAtEOF
    }

    // MARK: - Driver

    mutating func run() {
        let storage = self.storage
        storage.withUnsafeBufferPointer { buffer in
            bytes = buffer
            lexAll()
        }
        bytes = UnsafeBufferPointer(start: nil, count: 0)
    }

    mutating func lexAll() {
        tokens.reserveCapacity(bytes.count / 4 + 1)
        while true {
            skipTrivia()
            guard pos < bytes.count else { break }
            lexToken()
        }
        let eof = Token(kind: .eof, span: span(bytes.count, bytes.count), precededByNewline: sawNewline)
        tokens.append(eof)
    }

    mutating func span(_ start: Int, _ end: Int) -> Span { Self.makeSpan(fileIndex, start, end) }

    /// A span without `Span.init`'s generic clamping (slow in debug builds);
    /// offsets past 2^31 - 1 are clamped all the same.
    static func makeSpan(_ file: Int32, _ start: Int, _ end: Int) -> Span {
        var s = Span.synthetic
        s.file = file
        s.start = start > Int(Int32.max) ? Int32.max : Int32(truncatingIfNeeded: start)
        s.end = end > Int(Int32.max) ? Int32.max : Int32(truncatingIfNeeded: end)
        return s
    }

    mutating func problem(_ start: Int, _ end: Int, _ message: String) {
        if problems.count >= Parser.errorLimit {
            if suppressed == 0 { firstSuppressed = start }
            suppressed += 1
            return
        }
        let p = SyntaxProblem(start: start, end: max(end, start + 1), message: message)
        problems.append(p)
    }

    mutating func emit(_ kind: TokenKind, _ start: Int, _ end: Int, text: String = "", currency: String = "",
                       hasError: Bool = false, isUnterminated: Bool = false) {
        // Built before the append: reading `self` inside the append's
        // arguments makes debug builds copy the whole lexer.
        let token = Token(kind: kind, span: span(start, end), precededByNewline: sawNewline, hasError: hasError,
                          isUnterminated: isUnterminated, text: text, currency: currency)
        tokens.append(token)
        sawNewline = false
    }

    @inline(__always) mutating func byte(_ i: Int) -> UInt8 { i < bytes.count ? bytes[i] : 0 }

    /// Skips spaces, tabs, line ends and comments, noting line ends.
    mutating func skipTrivia() {
        while pos < bytes.count {
            let b = bytes[pos]
            switch b {
            case 0x20, 0x09:  // space, tab
                pos += 1
            case 0x0A:
                pos += 1
                sawNewline = true
            case 0x0D:
                if byte(pos + 1) == 0x0A {
                    pos += 2
                    sawNewline = true
                } else {
                    problem(pos, pos + 1, "unexpected carriage return (U+000D) not followed by a line feed; lines end with LF or CRLF")
                    pos += 1
                }
            case UInt8(ascii: "#"):
                // A comment runs to the end of the line; its text must still be UTF-8.
                pos += 1
                while pos < bytes.count, bytes[pos] != 0x0A {
                    if bytes[pos] == 0x0D, byte(pos + 1) == 0x0A { break }
                    if bytes[pos] < 0x80 { pos += 1; continue }
                    if let (_, n) = decodeScalar(at: pos) { pos += n } else { let n = invalidUTF8(at: pos); pos += n }
                }
            default:
                return
            }
        }
    }

    // MARK: - UTF-8

    /// The scalar starting at `i` and its length in bytes, or nil when the
    /// bytes there are not well-formed UTF-8 (RFC 3629).
    mutating func decodeScalar(at i: Int) -> (Unicode.Scalar, Int)? {
        let b0 = bytes[i]
        if b0 < 0x80 { return (Unicode.Scalar(b0), 1) }
        let (n, lo, hi): (Int, UInt8, UInt8)
        switch b0 {
        case 0xC2...0xDF: (n, lo, hi) = (2, 0x80, 0xBF)
        case 0xE0: (n, lo, hi) = (3, 0xA0, 0xBF)
        case 0xE1...0xEC, 0xEE...0xEF: (n, lo, hi) = (3, 0x80, 0xBF)
        case 0xED: (n, lo, hi) = (3, 0x80, 0x9F)
        case 0xF0: (n, lo, hi) = (4, 0x90, 0xBF)
        case 0xF1...0xF3: (n, lo, hi) = (4, 0x80, 0xBF)
        case 0xF4: (n, lo, hi) = (4, 0x80, 0x8F)
        default: return nil
        }
        guard i + n <= bytes.count else { return nil }
        let b1 = bytes[i + 1]
        guard b1 >= lo, b1 <= hi else { return nil }
        var value = UInt32(b0) & (n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07)
        value = value << 6 | UInt32(b1 & 0x3F)
        for k in 2..<n {
            let b = bytes[i + k]
            guard b & 0xC0 == 0x80 else { return nil }
            value = value << 6 | UInt32(b & 0x3F)
        }
        guard let s = Unicode.Scalar(value) else { return nil }
        return (s, n)
    }

    /// Reports the ill-formed sequence at `i` once and returns how many bytes
    /// to skip: the lead byte plus the continuation bytes that fit it (the
    /// "maximal subpart" of Unicode §3.9), or one byte.
    mutating func invalidUTF8(at i: Int) -> Int {
        let b0 = bytes[i]
        problem(i, i + 1, "invalid UTF-8 byte 0x" + hex(b0))
        var n = 1
        let expected: Int
        switch b0 {
        case 0xC2...0xDF: expected = 2
        case 0xE0...0xEF: expected = 3
        case 0xF0...0xF4: expected = 4
        default: expected = 1
        }
        while n < expected, i + n < bytes.count, bytes[i + n] & 0xC0 == 0x80 {
            // The second byte has a narrower range for some lead bytes.
            if n == 1 {
                let b1 = bytes[i + 1]
                if (b0 == 0xE0 && b1 < 0xA0) || (b0 == 0xED && b1 > 0x9F) || (b0 == 0xF0 && b1 < 0x90) || (b0 == 0xF4 && b1 > 0x8F) { break }
            }
            n += 1
        }
        return n
    }

    func hex(_ b: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(b >> 4)], digits[Int(b & 0xF)]])
    }

    /// How a character is named in a diagnostic: `` `@` `` or `` `：` (U+FF1A) ``.
    static func describe(_ s: Unicode.Scalar) -> String {
        var hexText = String(s.value, radix: 16, uppercase: true)
        while hexText.count < 4 { hexText = "0" + hexText }
        if s.value < 0x20 || s.value == 0x7F || (s.value >= 0x80 && s.value < 0xA0) || s.properties.generalCategory == .format
            || s.properties.isWhitespace {
            return "U+\(hexText)"
        }
        if s.isASCII { return "`\(Character(s))`" }
        return "`\(Character(s))` (U+\(hexText))"
    }

    // MARK: - Tokens

    // Wrapping subtraction: one comparison, no `&&` (whose operand closures
    // cost in debug builds, where the 5 MB plans of the tests are lexed).
    static func isASCIIDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }
    static func isASCIILetter(_ b: UInt8) -> Bool { (b | 0x20) &- 0x61 < 26 }

    /// Whether an identifier-continue character starts at `i` (used to tell
    /// that a literal runs into a word).
    mutating func continuesWord(at i: Int) -> Bool {
        guard i < bytes.count else { return false }
        let b = bytes[i]
        if b < 0x80 { return Self.isASCIILetter(b) || Self.isASCIIDigit(b) || b == UInt8(ascii: "_") }
        guard let (s, _) = decodeScalar(at: i) else { return false }
        return s.properties.isXIDContinue
    }

    mutating func lexToken() {
        let start = pos
        let b = bytes[pos]
        if Self.isASCIIDigit(b) { lexNumberOrDate(); return }
        if Self.isASCIILetter(b) || b == UInt8(ascii: "_") { lexWord(); return }
        if b >= 0x80 {
            guard let (s, n) = decodeScalar(at: pos) else {
                let skip = invalidUTF8(at: pos)
                pos += skip
                emit(.invalid, start, pos, hasError: true)
                return
            }
            if s.properties.isXIDStart { lexWord(); return }
            pos += n
            problem(start, pos, "unexpected character \(Self.describe(s))")
            emit(.invalid, start, pos, hasError: true)
            return
        }
        pos += 1
        let kind: TokenKind
        switch b {
        case UInt8(ascii: "\""): lexString(start); return
        case UInt8(ascii: "+"): kind = .plus
        case UInt8(ascii: "-"): kind = followedBy(UInt8(ascii: ">")) ? .arrow : .minus
        case UInt8(ascii: "*"): kind = .star
        case UInt8(ascii: "/"): kind = .slash
        case UInt8(ascii: "^"): kind = .caret
        case UInt8(ascii: "="): kind = followedBy(UInt8(ascii: "=")) ? .equalEqual : .equal
        case UInt8(ascii: "<"): kind = followedBy(UInt8(ascii: "=")) ? .lessEqual : .less
        case UInt8(ascii: ">"): kind = followedBy(UInt8(ascii: "=")) ? .greaterEqual : .greater
        case UInt8(ascii: "?"): kind = followedBy(UInt8(ascii: "?")) ? .questionQuestion : .question
        case UInt8(ascii: ","): kind = .comma
        case UInt8(ascii: ";"): kind = .semicolon
        case UInt8(ascii: ":"): kind = .colon
        case UInt8(ascii: "("): kind = .leftParen; openBrackets += 1
        case UInt8(ascii: "["): kind = .leftBracket; openBrackets += 1
        case UInt8(ascii: "{"): kind = .leftBrace; openBrackets += 1
        case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"):
            kind = b == UInt8(ascii: ")") ? .rightParen : b == UInt8(ascii: "]") ? .rightBracket : .rightBrace
            openBrackets -= 1
            if openBrackets < 0 { unbalanced = true; openBrackets = 0 }
        case UInt8(ascii: "!"):
            if byte(pos) == UInt8(ascii: "=") { pos += 1; kind = .bangEqual; break }
            problem(start, pos, "unexpected character `!`; use `not` for negation")
            emit(.invalid, start, pos, hasError: true)
            return
        case UInt8(ascii: "."):
            if byte(pos) == UInt8(ascii: ".") {
                pos += 1
                kind = followedBy(UInt8(ascii: "<")) ? .dotDotLess : .dotDot
            } else if Self.isASCIIDigit(byte(pos)) {
                // `.5`: lex the number so the parser sees one operand.
                pos = start
                lexNumberOrDate()
                return
            } else {
                kind = .dot
            }
        case UInt8(ascii: "%"):
            problem(start, pos, "unexpected `%`: a percent sign must directly follow a number (`85%`)")
            emit(.invalid, start, pos, hasError: true)
            return
        default:
            let s = Unicode.Scalar(b)
            problem(start, pos, "unexpected character \(Self.describe(s))")
            emit(.invalid, start, pos, hasError: true)
            return
        }
        emit(kind, start, pos)
    }

    /// Consumes `next` when it comes next.
    mutating func followedBy(_ next: UInt8) -> Bool {
        if byte(pos) != next { return false }
        pos += 1
        return true
    }

    /// Three uppercase ASCII letters at `i` forming a whole word.
    mutating func isCurrencyCode(at i: Int) -> Bool {
        for k in 0..<3 {
            let c = byte(i + k)
            if c < 0x41 { return false }
            if c > 0x5A { return false }
        }
        return !continuesWord(at: i + 3)
    }

    /// An identifier, a keyword or the wildcard `_` (UAX #31: XID_Start or
    /// `_`, then XID_Continue; NFC-normalised).
    mutating func lexWord() {
        let start = pos
        var ascii = true
        while pos < bytes.count {
            let b = bytes[pos]
            if b < 0x80 {
                if Self.isASCIILetter(b) { pos += 1; continue }
                if Self.isASCIIDigit(b) { pos += 1; continue }
                if b == UInt8(ascii: "_") { pos += 1; continue }
                break
            } else {
                guard let (s, n) = decodeScalar(at: pos), pos == start ? s.properties.isXIDStart : s.properties.isXIDContinue else { break }
                ascii = false
                pos += n
            }
        }
        if pos - start == 1, bytes[start] == UInt8(ascii: "_") {
            emit(.underscore, start, pos)
            return
        }
        if ascii, let k = keyword(start, pos) {
            emit(.keyword(k), start, pos)
            return
        }
        var text = String(decoding: bytes[start..<pos], as: UTF8.self)
        if !ascii { text = text.precomposedStringWithCanonicalMapping }
        emit(.identifier, start, pos, text: text)
    }

    /// The keyword spelled by `bytes[start..<end]`, compared byte by byte
    /// (no String is made, nothing is hashed: plain names are the common case).
    mutating func keyword(_ start: Int, _ end: Int) -> Keyword? {
        switch end - start {
        case 2:
            if spelled(start, "to") { return Keyword.to }
            if spelled(start, "if") { return Keyword.`if` }
            if spelled(start, "or") { return Keyword.or }
            if spelled(start, "in") { return Keyword.`in` }
        case 3:
            if spelled(start, "for") { return Keyword.`for` }
            if spelled(start, "let") { return Keyword.`let` }
            if spelled(start, "and") { return Keyword.and }
            if spelled(start, "not") { return Keyword.not }
        case 4:
            if spelled(start, "plan") { return Keyword.plan }
            if spelled(start, "func") { return Keyword.`func` }
            if spelled(start, "pool") { return Keyword.pool }
            if spelled(start, "then") { return Keyword.then }
            if spelled(start, "else") { return Keyword.`else` }
            if spelled(start, "none") { return Keyword.none }
            if spelled(start, "true") { return Keyword.`true` }
            if spelled(start, "flat") { return Keyword.flat }
        case 5:
            if spelled(start, "where") { return Keyword.`where` }
            if spelled(start, "table") { return Keyword.table }
            if spelled(start, "false") { return Keyword.`false` }
            if spelled(start, "first") { return Keyword.first }
            if spelled(start, "below") { return Keyword.below }
            if spelled(start, "above") { return Keyword.above }
        case 6:
            if spelled(start, "inputs") { return Keyword.inputs }
            if spelled(start, "weight") { return Keyword.weight }
            if spelled(start, "aligns") { return Keyword.aligns }
            if spelled(start, "import") { return Keyword.`import` }
        case 8:
            if spelled(start, "severity") { return Keyword.severity }
            if spelled(start, "marginal") { return Keyword.marginal }
        case 9:
            if spelled(start, "objective") { return Keyword.objective }
            if spelled(start, "incentive") { return Keyword.incentive }
        case 10:
            if spelled(start, "key_result") { return Keyword.key_result }
            if spelled(start, "constraint") { return Keyword.constraint }
        case 11:
            if spelled(start, "interpolate") { return Keyword.interpolate }
        default: break
        }
        return nil
    }

    /// Whether `word` is spelled at `start` (its length is checked by the caller).
    mutating func spelled(_ start: Int, _ word: StaticString) -> Bool {
        let p = word.utf8Start
        var i = 0
        let n = word.utf8CodeUnitCount
        while i < n {
            if p[i] != bytes[start + i] { return false }
            i += 1
        }
        return true
    }

    /// Digits with single `_` between them, from `pos`. Returns the digits
    /// without separators and whether the run was well-formed.
    mutating func digitRun(into text: inout [UInt8]) -> Bool {
        var ok = true
        while pos < bytes.count {
            let b = bytes[pos]
            if Self.isASCIIDigit(b) {
                text.append(b)
                pos += 1
            } else if b == UInt8(ascii: "_") {
                let next = byte(pos + 1), previous = byte(pos - 1)
                if ok, !Self.isASCIIDigit(next) || !Self.isASCIIDigit(previous) {
                    problem(pos, pos + 1, "`_` in a number must stand between two digits (`1_000_000`)")
                    ok = false
                }
                pos += 1
            } else {
                break
            }
        }
        return ok
    }

    mutating func lexNumberOrDate() {
        let start = pos
        // A date literal: exactly DDDD-DD-DD, not running on into a digit
        // or a word (`2026-09-301` is arithmetic, as the pattern says).
        if isDatePattern(at: pos), !continuesWord(at: pos + 10) {
            pos += 10
            let text = String(decoding: bytes[start..<pos], as: UTF8.self)
            let y = Int(text.prefix(4))!, m = Int(text.dropFirst(5).prefix(2))!, d = Int(text.suffix(2))!
            if Day(year: y, month: m, day: d) == nil {
                problem(start, pos, "invalid date \(text)" + Self.whyInvalid(year: y, month: m, day: d))
                emit(.date, start, pos, text: text, hasError: true)
            } else {
                emit(.date, start, pos, text: text)
            }
            return
        }

        var text: [UInt8] = []
        var ok = true
        if bytes[pos] == UInt8(ascii: ".") {
            problem(pos, pos + 1, "a number must start with a digit: write `0.` before the `.`")
            ok = false
            text.append(UInt8(ascii: "0"))
        } else {
            if !digitRun(into: &text) { ok = false }
        }
        // Fraction: a `.` followed by a digit. `1..2` leaves the `..` alone.
        if byte(pos) == UInt8(ascii: "."), byte(pos + 1) != UInt8(ascii: ".") {
            if Self.isASCIIDigit(byte(pos + 1)) {
                text.append(UInt8(ascii: "."))
                pos += 1
                if !digitRun(into: &text) { ok = false }
            } else {
                problem(pos, pos + 1, "a `.` in a number must be followed by a digit")
                pos += 1
                ok = false
            }
        }
        // Exponent: e or E, an optional sign, digits.
        let e = byte(pos)
        if e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            let sign = byte(pos + 1)
            let hasSign = sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-")
            if Self.isASCIIDigit(byte(pos + (hasSign ? 2 : 1))) {
                text.append(e)
                if hasSign { text.append(sign) }
                pos += hasSign ? 2 : 1
                while Self.isASCIIDigit(byte(pos)) { text.append(bytes[pos]); pos += 1 }
            }
        }
        let number = String(decoding: text, as: UTF8.self)
        // Percent suffix.
        if byte(pos) == UInt8(ascii: "%") {
            pos += 1
            if byte(pos) == UInt8(ascii: "%") {
                let p = pos
                while byte(pos) == UInt8(ascii: "%") { pos += 1 }
                problem(p, pos, "a percent literal takes one `%`")
                ok = false
            }
            if !checkNoTrailingWord(start, report: ok) { ok = false }
            emit(.percent, start, pos, text: number, hasError: !ok)
            return
        }
        // Money: the number, spaces or tabs on the same line, then a whole
        // word of exactly three uppercase ASCII letters.
        var look = pos
        while true {
            let c = byte(look)
            if c != 0x20, c != 0x09 { break }
            look += 1
        }
        if isCurrencyCode(at: look) {
            let code = String(decoding: bytes[look..<look + 3], as: UTF8.self)
            pos = look + 3
            emit(.money, start, pos, text: number, currency: code, hasError: !ok)
            return
        }
        if !checkNoTrailingWord(start, report: ok) { ok = false }
        emit(.number, start, pos, text: number, hasError: !ok)
    }

    /// A literal directly followed by a letter or digit (`12abc`) is
    /// malformed: report it and swallow the rest of the word.
    mutating func checkNoTrailingWord(_ start: Int, report: Bool) -> Bool {
        guard continuesWord(at: pos) else { return true }
        let wordStart = pos
        while continuesWord(at: pos) {
            let n = scalarLength(at: pos)
            pos += n
        }
        let word = String(decoding: bytes[wordStart..<pos], as: UTF8.self)
        if report { problem(start, pos, "invalid number literal: `\(word)` directly follows the number") }
        return false
    }

    mutating func scalarLength(at i: Int) -> Int {
        if bytes[i] < 0x80 { return 1 }
        return decodeScalar(at: i)?.1 ?? 1
    }

    mutating func isDatePattern(at i: Int) -> Bool {
        guard i + 10 <= bytes.count else { return false }
        for k in 0..<10 {
            let b = bytes[i + k]
            if k == 4 || k == 7 {
                if b != UInt8(ascii: "-") { return false }
            } else if !Self.isASCIIDigit(b) {
                return false
            }
        }
        return true
    }

    static func whyInvalid(year: Int, month: Int, day: Int) -> String {
        let names = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                     "October", "November", "December"]
        if year < 1 { return " (years run from 0001 to 9999)" }
        if !(1...12).contains(month) { return " (there is no month \(month))" }
        if day < 1 { return " (there is no day 0)" }
        return " (\(names[month - 1]) \(year) has \(Day.daysIn(month: month, year: year)) days)"
    }

    /// A string literal; `start` is the opening quote, already consumed.
    mutating func lexString(_ start: Int) {
        // Fast path: no escapes, ASCII or well-formed UTF-8, closed on its line.
        var i = pos
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                emit(.string, start, i + 1, text: String(decoding: bytes[pos..<i], as: UTF8.self))
                pos = i + 1
                return
            }
            if b == UInt8(ascii: "\\") { break }
            if b == 0x0A { break }
            if b == 0x0D { break }
            if b < 0x80 {
                i += 1
            } else if let (_, n) = decodeScalar(at: i) {
                i += n
            } else {
                break
            }
        }
        lexStringSlowly(start)
    }

    /// A string literal with escapes or problems, byte by byte.
    mutating func lexStringSlowly(_ start: Int) {
        var value: [UInt8] = []
        var ok = true
        func appendScalar(_ s: Unicode.Scalar, _ value: inout [UInt8]) {
            value.append(contentsOf: Array(String(Character(s)).utf8))
        }
        while true {
            guard pos < bytes.count else {
                problem(start, start + 1, "unterminated string: no closing `\"` before the end of the file")
                stringOpenAtEOF = true
                emit(.string, start, pos, text: String(decoding: value, as: UTF8.self), hasError: true, isUnterminated: true)
                return
            }
            let b = bytes[pos]
            if b == 0x0A || (b == 0x0D && byte(pos + 1) == 0x0A) {
                problem(start, start + 1, "unterminated string: no closing `\"` before the end of the line")
                emit(.string, start, pos, text: String(decoding: value, as: UTF8.self), hasError: true, isUnterminated: true)
                return
            }
            if b == UInt8(ascii: "\"") {
                pos += 1
                emit(.string, start, pos, text: String(decoding: value, as: UTF8.self), hasError: !ok)
                return
            }
            if b == UInt8(ascii: "\\") {
                let escStart = pos
                pos += 1
                guard pos < bytes.count, bytes[pos] != 0x0A, bytes[pos] != 0x0D else { continue }  // unterminated next round
                let c = bytes[pos]
                switch c {
                case UInt8(ascii: "\""): value.append(c); pos += 1
                case UInt8(ascii: "\\"): value.append(c); pos += 1
                case UInt8(ascii: "n"): value.append(0x0A); pos += 1
                case UInt8(ascii: "t"): value.append(0x09); pos += 1
                case UInt8(ascii: "u"):
                    pos += 1
                    if let s = lexUnicodeEscape(escStart) { appendScalar(s, &value) } else { ok = false }
                default:
                    let n = scalarLength(at: pos)
                    let shown = decodeScalar(at: pos).map { Self.describe($0.0) } ?? "byte 0x" + hex(c)
                    problem(escStart, pos + n, "unknown escape sequence `\\` followed by \(shown); use \\\" \\\\ \\n \\t or \\u{...}")
                    ok = false
                    pos += n
                }
                continue
            }
            if b < 0x80 {
                value.append(b)
                pos += 1
            } else if let (_, n) = decodeScalar(at: pos) {
                for k in 0..<n { value.append(bytes[pos + k]) }
                pos += n
            } else {
                let skip = invalidUTF8(at: pos)
                pos += skip
                appendScalar("\u{FFFD}", &value)
                ok = false
            }
        }
    }

    /// `\u{XXXX}` after the `u`: one to six hex digits naming a Unicode
    /// scalar value (not a surrogate).
    mutating func lexUnicodeEscape(_ escStart: Int) -> Unicode.Scalar? {
        guard byte(pos) == UInt8(ascii: "{") else {
            problem(escStart, pos, "a Unicode escape is written `\\u{4E2D}`")
            return nil
        }
        pos += 1
        var value: UInt32 = 0
        var count = 0
        while let d = hexValue(byte(pos)) {
            if count < 8 { value = value * 16 + UInt32(d) }
            count += 1
            pos += 1
        }
        guard byte(pos) == UInt8(ascii: "}") else {
            problem(escStart, pos, "a Unicode escape is written `\\u{4E2D}`: one to six hex digits in braces")
            return nil
        }
        pos += 1
        guard (1...6).contains(count), let s = Unicode.Scalar(value) else {
            problem(escStart, pos, "`\(String(decoding: bytes[escStart..<pos], as: UTF8.self))` is not a Unicode scalar value")
            return nil
        }
        return s
    }

    func hexValue(_ b: UInt8) -> Int? {
        switch b {
        case 0x30...0x39: return Int(b - 0x30)
        case 0x41...0x46: return Int(b - 0x41 + 10)
        case 0x61...0x66: return Int(b - 0x61 + 10)
        default: return nil
        }
    }
}

extension DiagnosticBag {
    /// A compile-time error for a problem in the bag's first file (the
    /// lexer and parser resolve against a one-file bag of their own so the
    /// caller's file numbering does not matter).
    func diagnostic(_ p: SyntaxProblem) -> Diagnostic {
        var notes: [Diagnostic] = []
        if let n = p.noteAt { notes.append(make(.note, .compile, Span(file: 0, start: n, end: n + 1), p.noteMessage)) }
        return make(.error, .compile, Span(file: 0, start: p.start, end: p.end), p.message, notes: notes)
    }
}
