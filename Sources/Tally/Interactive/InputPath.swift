// Syntax of the REPL's what-if commands: input paths (`people["E0042"].revenue`)
// and the argument lists of `:set`, `:unset` and `:solve`. Parsed with the
// language's own lexer, so strings, brackets and comments inside the
// expressions never confuse the split.

/// One input of one subject: `people["E0042"].revenue`,
/// `teams["sales-east"].budget`, `company.defect_rate`.
public struct InputPath: Sendable, Hashable, CustomStringConvertible {
    public var scope: ScopeKind
    /// The person or team id; `"company"` for the company.
    public var id: String
    public var field: String

    public init(scope: ScopeKind, id: String = "company", field: String) {
        self.scope = scope
        self.id = scope == .company ? "company" : id
        self.field = field
    }

    public init(_ override: Override) {
        self.init(scope: override.scope, id: override.id, field: override.field)
    }

    /// The path as it is written: `people["E0042"].revenue`.
    public var description: String { Override(scope: scope, id: id, field: field, value: .none).path }

    /// The override giving this input `value`.
    public func override(_ value: Value) -> Override {
        Override(scope: scope, id: id, field: field, value: value)
    }

    /// Parses a whole path. Offsets in the error are UTF-8 byte offsets into `text`.
    public static func parse(_ text: String) -> Result<InputPath, InteractiveSyntaxError> {
        let tokens = InteractiveSyntax.tokens(text)
        var i = 0
        switch parse(tokens, &i) {
        case .failure(let e): return .failure(e)
        case .success(let path):
            if tokens[i].kind != .eof {
                return .failure(InteractiveSyntaxError("unexpected \(tokens[i].kind.display) after the input path", tokens[i].span))
            }
            return .success(path)
        }
    }

    /// Parses a path starting at `tokens[i]`, leaving `i` after it.
    static func parse(_ tokens: [Token], _ i: inout Int) -> Result<InputPath, InteractiveSyntaxError> {
        let expected = "expected an input path: people[\"ID\"].FIELD, teams[\"ID\"].FIELD or company.FIELD"
        let first = tokens[i]
        guard first.kind == .identifier else {
            return .failure(InteractiveSyntaxError(expected + ", found \(first.kind.display)", first.span))
        }
        let scope: ScopeKind
        var id = "company"
        switch first.text {
        case "company": scope = .company
        case "people": scope = .person
        case "teams": scope = .team
        default:
            var message = expected + ", found `\(first.text)`"
            if first.text == "person" || first.text == "team" {
                message += " (write \(first.text == "person" ? "people" : "teams")[\"ID\"])"
            }
            return .failure(InteractiveSyntaxError(message, first.span))
        }
        i += 1
        if scope != .company {
            guard tokens[i].kind == .leftBracket else {
                return .failure(InteractiveSyntaxError("expected `[\"ID\"]` after `\(first.text)`", tokens[i].span))
            }
            i += 1
            guard tokens[i].kind == .string else {
                return .failure(InteractiveSyntaxError("expected the \(scope == .person ? "person" : "team")'s id as a string, e.g. \(first.text)[\"\(scope == .person ? "E0042" : "sales-east")\"]", tokens[i].span))
            }
            id = tokens[i].text
            i += 1
            guard tokens[i].kind == .rightBracket else {
                return .failure(InteractiveSyntaxError("expected `]` after the id", tokens[i].span))
            }
            i += 1
        }
        guard tokens[i].kind == .dot else {
            return .failure(InteractiveSyntaxError("expected `.` and an input name", tokens[i].span))
        }
        i += 1
        guard tokens[i].isWord else {
            return .failure(InteractiveSyntaxError("expected an input name after `.`", tokens[i].span))
        }
        let field = tokens[i].word
        i += 1
        return .success(InputPath(scope: scope, id: id, field: field))
    }
}

/// A problem in a REPL command's arguments, at a byte range of its text.
public struct InteractiveSyntaxError: Error, Sendable, Equatable {
    public var message: String
    /// UTF-8 byte offsets into the parsed text.
    public var start: Int
    public var end: Int

    public init(_ message: String, start: Int, end: Int) {
        self.message = message
        self.start = start
        self.end = max(end, start)
    }

    init(_ message: String, _ span: Span) {
        self.init(message, start: Int(span.start), end: Int(span.end))
    }
}

/// A piece of a command's text: the text and where it starts (UTF-8 bytes).
public struct TextPiece: Sendable, Equatable {
    public var text: String
    public var offset: Int
}

/// `:set PATH = VALUE`.
public struct SetArguments: Sendable, Equatable {
    public var path: InputPath
    /// Where the path is in the argument text (UTF-8 bytes).
    public var pathRange: Range<Int>
    public var value: TextPiece

    /// Parses `PATH = VALUE`.
    public static func parse(_ text: String) -> Result<SetArguments, InteractiveSyntaxError> {
        let tokens = InteractiveSyntax.tokens(text)
        var i = 0
        let path: InputPath
        switch InputPath.parse(tokens, &i) {
        case .failure(let e): return .failure(e)
        case .success(let p): path = p
        }
        let pathRange = Int(tokens[0].span.start)..<Int(tokens[i - 1].span.end)
        guard tokens[i].kind == .equal else {
            let found = tokens[i].kind == .equalEqual ? " (one `=`, not `==`)" : ""
            return .failure(InteractiveSyntaxError("expected `=` and a value after \(path)\(found)", tokens[i].span))
        }
        let valueStart = Int(tokens[i].span.end)
        guard tokens[i + 1].kind != .eof else {
            return .failure(InteractiveSyntaxError("expected a value after `=`", tokens[i + 1].span))
        }
        return .success(SetArguments(path: path, pathRange: pathRange,
                                     value: InteractiveSyntax.piece(text, from: valueStart, to: text.utf8.count)))
    }
}

/// `:solve TARGET = VALUE by INPUT [in LOW..HIGH]`.
public struct SolveArguments: Sendable, Equatable {
    public var target: TextPiece
    public var value: TextPiece
    public var input: InputPath
    public var inputRange: Range<Int>
    /// The search range, when written.
    public var low: TextPiece?
    public var high: TextPiece?

    public static func parse(_ text: String) -> Result<SolveArguments, InteractiveSyntaxError> {
        let usage = "write :solve TARGET = VALUE by INPUT [in LOW..HIGH], e.g. :solve people[\"E0001\"].payout_multiplier = 1 by people[\"E0001\"].revenue"
        let tokens = InteractiveSyntax.tokens(text)
        let top = InteractiveSyntax.topLevel(tokens)
        guard let eq = top.first(where: { tokens[$0].kind == .equal }) else {
            let at = top.first(where: { tokens[$0].kind == .equalEqual }) ?? tokens.count - 1
            return .failure(InteractiveSyntaxError("expected `=` between the target and its value; " + usage, tokens[at].span))
        }
        guard let by = top.last(where: { $0 > eq && tokens[$0].kind == .identifier && tokens[$0].text == "by" }) else {
            return .failure(InteractiveSyntaxError("expected `by INPUT` after the value; " + usage, tokens[tokens.count - 1].span))
        }
        guard eq > 0 else { return .failure(InteractiveSyntaxError("expected a target before `=`; " + usage, tokens[eq].span)) }
        guard by > eq + 1 else { return .failure(InteractiveSyntaxError("expected a value between `=` and `by`", tokens[by].span)) }
        var i = by + 1
        let input: InputPath
        switch InputPath.parse(tokens, &i) {
        case .failure(let e): return .failure(e)
        case .success(let p): input = p
        }
        let inputRange = Int(tokens[by + 1].span.start)..<Int(tokens[i - 1].span.end)
        var low: TextPiece?, high: TextPiece?
        if tokens[i].kind == .keyword(.in) {
            let inIndex = i
            guard let dots = top.first(where: { $0 > inIndex && (tokens[$0].kind == .dotDot) }) else {
                return .failure(InteractiveSyntaxError("expected a range LOW..HIGH after `in`", tokens[min(i + 1, tokens.count - 1)].span))
            }
            guard dots > inIndex + 1, tokens[dots + 1].kind != .eof else {
                return .failure(InteractiveSyntaxError("a search range needs both ends: LOW..HIGH", tokens[dots].span))
            }
            low = InteractiveSyntax.piece(text, from: Int(tokens[inIndex].span.end), to: Int(tokens[dots].span.start))
            high = InteractiveSyntax.piece(text, from: Int(tokens[dots].span.end), to: text.utf8.count)
        } else if tokens[i].kind != .eof {
            return .failure(InteractiveSyntaxError("unexpected \(tokens[i].kind.display) after the input path (a search range is written `in LOW..HIGH`)", tokens[i].span))
        }
        return .success(SolveArguments(
            target: InteractiveSyntax.piece(text, from: 0, to: Int(tokens[eq].span.start)),
            value: InteractiveSyntax.piece(text, from: Int(tokens[eq].span.end), to: Int(tokens[by].span.start)),
            input: input, inputRange: inputRange, low: low, high: high))
    }
}

/// Helpers shared by the command parsers.
public enum InteractiveSyntax {
    /// The tokens of `text`, ending with `.eof` (lexical errors are left for
    /// the expression compiler to report).
    static func tokens(_ text: String) -> [Token] {
        var bag = DiagnosticBag()
        return Lexer.tokenize(SourceFile(name: "<repl>", text: text), fileIndex: 0, diagnostics: &bag)
    }

    /// Indices of the tokens outside any bracket.
    static func topLevel(_ tokens: [Token]) -> [Int] {
        var depth = 0
        var out: [Int] = []
        for (i, t) in tokens.enumerated() {
            switch t.kind {
            case .leftParen, .leftBracket, .leftBrace: if depth == 0 { out.append(i) }; depth += 1
            case .rightParen, .rightBracket, .rightBrace: depth = max(0, depth - 1); if depth == 0 { out.append(i) }
            default: if depth == 0 { out.append(i) }
            }
        }
        return out
    }

    static func piece(_ text: String, from: Int, to: Int) -> TextPiece {
        let bytes = Array(text.utf8)
        let lo = min(max(0, from), bytes.count), hi = min(max(lo, to), bytes.count)
        return TextPiece(text: String(decoding: bytes[lo..<hi], as: UTF8.self), offset: lo)
    }

    /// `text` with every character outside `range` (UTF-8 bytes) replaced by
    /// a space, line ends kept: compiling a piece of a command this way gives
    /// diagnostics whose lines and columns are those of the whole input.
    public static func isolate(_ text: String, _ range: Range<Int>) -> String {
        var out = ""
        var offset = 0
        for scalar in text.unicodeScalars {
            let width = String(scalar).utf8.count
            if range.contains(offset) || scalar == "\n" || scalar == "\r" {
                out.unicodeScalars.append(scalar)
            } else {
                out.unicodeScalars.append(" ")
            }
            offset += width
        }
        return out
    }

    /// A diagnostic about `file`'s text between two byte offsets.
    public static func diagnostic(_ message: String, in file: SourceFile, start: Int, end: Int,
                                  severity: Diagnostic.Severity = .error) -> Diagnostic {
        var bag = DiagnosticBag(files: [file])
        let span = Span(file: 0, start: start, end: max(end, start + 1))
        if severity == .error { bag.error(span, message) } else { bag.warning(span, message) }
        return bag.items[0]
    }

    /// Diagnostics produced from an `isolate`d copy of `original`, showing the
    /// original line under their location.
    public static func restoringLines(_ diagnostics: [Diagnostic], _ original: SourceFile) -> [Diagnostic] {
        diagnostics.map { restore($0, original) }
    }

    static func restore(_ d: Diagnostic, _ original: SourceFile) -> Diagnostic {
        var d = d
        if let loc = d.location, loc.file == original.name, d.sourceLine != nil {
            d.show(line: original.lineText(loc.line), column: loc.column, length: d.length)
        }
        d.notes = d.notes.map { restore($0, original) }
        return d
    }
}
