// The recursive-descent parser (LANGUAGE.md §4–§9; grammar/tally.ebnf).
//
// Split by concept: this file holds the state, the token helpers, error
// reporting and recovery, and the public entry points;
// Parser+Expressions.swift the expression grammar (precedence climbing over
// the §4 table), Parser+Declarations.swift the declarations and
// Parser+Tables.swift the table rows.
//
// Error handling. All syntax errors of a file are collected in one pass.
// An error that leaves the parser out of step ("expected `)`, found ...")
// puts it in *recovery*: further errors are suppressed until it has skipped
// to a safe point (the next declaration at top level; the next field, item
// or row inside a block, i.e. the next line, `,` or `;`, or the block's
// `}`), so one mistake gives one diagnostic. Errors that leave it in step
// (chained comparisons, a bad severity word, a misplaced declaration) are
// reported without recovery. Where an expression is missing an
// `Expr.Kind.error` node stands in.
//
// Nesting limit. Expressions may nest at most `nestingLimit` (200) levels,
// counted two ways: the parser's own recursion (brackets, prefix operators,
// right-associative operands, `if` chains: checked *before* recursing, so
// the parser's stack stays bounded), and the depth of the finished tree
// (so a million-term `1+1+...`, parsed by a loop, cannot build a tree a
// million levels deep that later recursive passes, or the recursive
// destruction of the indirect enum, would overflow on). Past the limit one
// "expression nested too deeply (limit 200)" error is reported for the
// statement; the over-deep part becomes an `.error` node. Block nesting is
// fixed by the grammar (at most `for` > `objective` > `key_result`); stray
// braces met during recovery are skipped by a counter, not by recursion.

public struct Parser {
    /// The maximum nesting depth of an expression (see above).
    public static let nestingLimit = 200

    /// At most this many syntax errors are reported per file (lexer and
    /// parser each stop recording past it; the first `errorLimit` in source
    /// order are kept), then one "too many syntax errors" error. Random
    /// binary data would otherwise yield an error every few bytes.
    public static let errorLimit = 1000

    static func tooManyErrors(at offset: Int, more: Int) -> SyntaxProblem {
        SyntaxProblem(start: offset, end: offset + 1,
                      message: "too many syntax errors: \(more) more in this file are not shown (limit \(errorLimit))")
    }

    let file: SourceFile
    let fileIndex: Int32
    var tokens: [Token]
    var pos = 0

    var nextID: NodeID
    let firstID: NodeID
    /// Tree depth of every node made, indexed by `id - firstID`.
    var treeDepth: [UInt16] = []

    var problems: [SyntaxProblem] = []
    /// Problems the parser itself recorded, and those past the limit.
    var parserProblems = 0
    var suppressed = 0
    var firstSuppressed = Int.max
    /// In recovery after an error that left the parser out of step.
    var recovering = false
    /// Token index of the last error reported through `fail`.
    var lastFailPos = -1
    /// Current expression recursion depth.
    var depth = 0
    /// The nesting-limit error was already reported for this statement.
    var tooDeepReported = false

    /// Where the last "unterminated block" was reported (nested blocks left
    /// open at one place report the innermost only).
    var lastUnterminatedAt = -1

    /// Parsing the value of a `label: value` field or an input's default,
    /// where `name:` can only be the next field's label.
    var inFieldValue = false

    /// Inside a table row: a line end at bracket depth 0 ends the row.
    var inRow = false
    var rowStart = 0
    var bracketDepth = 0

    init(file: SourceFile, fileIndex: Int32, tokens: [Token], nextID: NodeID) {
        self.file = file
        self.fileIndex = fileIndex
        self.tokens = tokens
        self.nextID = nextID
        self.firstID = nextID
    }

    // MARK: - Public entry points

    /// Parses a whole plan file. Expression ids are taken from `nextID`,
    /// which is advanced past them, so ids stay unique across the files of
    /// one compilation. Lexical and syntax errors are appended to
    /// `diagnostics` in source order.
    public static func parseFile(_ file: SourceFile, fileIndex: Int32, nextID: inout NodeID,
                                 diagnostics: inout DiagnosticBag) -> PlanFile {
        var p = Parser.start(file, fileIndex, nextID)
        let decls = p.parseTopLevel()
        p.finish(&nextID, &diagnostics)
        return PlanFile(file: fileIndex, declarations: decls)
    }

    /// Parses one expression that must make up the whole input
    /// (`tally eval --print EXPR`).
    public static func parseExpression(_ file: SourceFile, fileIndex: Int32, nextID: inout NodeID,
                                       diagnostics: inout DiagnosticBag) -> Expr {
        var p = Parser.start(file, fileIndex, nextID)
        let e = p.parseWholeExpression()
        p.finish(&nextID, &diagnostics)
        return e
    }

    /// Parses one REPL entry: declarations when it starts with a declaration
    /// keyword, otherwise one expression that must make up the whole input.
    public static func parseInteractive(_ file: SourceFile, fileIndex: Int32, nextID: inout NodeID,
                                        diagnostics: inout DiagnosticBag) -> InteractiveInput {
        var p = Parser.start(file, fileIndex, nextID)
        let result: InteractiveInput
        if case .keyword(let k) = p.tokens[0].kind, k == .for || p.isDeclarationKeyword(at: 0) {
            result = .declarations(p.parseTopLevel())
        } else {
            result = .expression(p.parseWholeExpression())
        }
        p.finish(&nextID, &diagnostics)
        return result
    }

    static func start(_ file: SourceFile, _ fileIndex: Int32, _ nextID: NodeID) -> Parser {
        var lexer = Lexer(bytes: file.bytes, fileIndex: fileIndex)
        lexer.run()
        var p = Parser(file: file, fileIndex: fileIndex, tokens: lexer.tokens, nextID: nextID)
        p.problems = lexer.problems
        p.suppressed = lexer.suppressed
        if lexer.suppressed > 0 { p.firstSuppressed = lexer.firstSuppressed }
        return p
    }

    mutating func finish(_ nextID: inout NodeID, _ diagnostics: inout DiagnosticBag) {
        nextID = self.nextID
        // Lexer and parser problems interleaved in source order (stable).
        var ordered = problems.enumerated().sorted { a, b in
            a.element.start != b.element.start ? a.element.start < b.element.start : a.offset < b.offset
        }.map(\.element)
        if ordered.count > Parser.errorLimit {
            suppressed += ordered.count - Parser.errorLimit
            firstSuppressed = min(firstSuppressed, ordered[Parser.errorLimit].start)
            ordered.removeLast(ordered.count - Parser.errorLimit)
        }
        if suppressed > 0 { ordered.append(Parser.tooManyErrors(at: firstSuppressed, more: suppressed)) }
        let resolver = DiagnosticBag(files: [file])
        for p in ordered { diagnostics.append(resolver.diagnostic(p)) }
    }

    mutating func parseWholeExpression() -> Expr {
        if tokens[pos].kind == .eof {
            fail("expected an expression")
            return leaf(.error, tokens[pos].span)
        }
        let e = parseExpr(0)
        if kind != .eof {
            fail("found \(kind.display) after the expression; is an operator missing?")
        }
        return e
    }

    // MARK: - Tokens

    // Accessors and helpers are `mutating` although they only read: in
    // debug builds a non-mutating call from a mutating method first copies
    // the whole parser (retaining its arrays), which dominated parse time.

    var tok: Token { mutating get { tokens[pos] } }

    /// The previous token's end offset (the start of the file at first).
    var prevEnd: Int { mutating get { pos > 0 ? Int(tokens[pos - 1].span.end) : 0 } }

    /// True at the first token of a new line while inside a table row and
    /// outside brackets: the row ends there.
    var atRowEnd: Bool {
        mutating get {
            // Nested `if`s, not `&&`: in debug builds each `&&` operand is a
            // closure that copies the whole parser.
            if !inRow { return false }
            if bracketDepth != 0 { return false }
            if pos <= rowStart { return false }
            return tokens[pos].precededByNewline
        }
    }

    /// The current token's kind, `.newline` where a table row ends.
    var kind: TokenKind { mutating get { atRowEnd ? .newline : tokens[pos].kind } }

    mutating func kind(at i: Int) -> TokenKind { tokens[min(i, tokens.count - 1)].kind }

    /// Moves past the current token (never past the end).
    mutating func advance() {
        if tokens[pos].kind == .eof { return }
        // An unterminated string swallowed the rest of its line: what the
        // parser expects next is probably in there, so do not report it.
        if tokens[pos].isUnterminated { recovering = true }
        pos += 1
    }

    /// The current token, moving past it.
    mutating func take() -> Token {
        let t = tokens[pos]
        advance()
        return t
    }

    mutating func accept(_ k: TokenKind) -> Token? {
        guard kind == k else { return nil }
        return take()
    }

    /// Consumes a `k` or reports "expected `k`, found ...".
    @discardableResult
    mutating func expect(_ k: TokenKind) -> Token? {
        expect(k, k.display)
    }

    /// Consumes a `k` or reports "expected WHAT, found ...". The message is
    /// only built when it is needed.
    @discardableResult
    mutating func expect(_ k: TokenKind, _ what: @autoclosure () -> String) -> Token? {
        if let t = accept(k) { return t }
        fail("expected \(what()), found \(kind.display)")
        return nil
    }

    /// Consumes the `closer` of a bracket opened at `open`, or reports
    /// "expected WHAT at LINE:COL, found ...".
    @discardableResult
    mutating func expectClosing(_ closer: TokenKind, _ what: StaticString, openedAt open: Span) -> Token? {
        if let t = accept(closer) { return t }
        fail("expected \(what) at \(lineColumn(Int(open.start))), found \(kind.display)")
        return nil
    }

    /// A name (not a reserved word); reports and returns nil otherwise.
    mutating func expectIdentifier(_ what: @autoclosure () -> String) -> Identifier? {
        if kind == .identifier {
            let t = take()
            return Identifier(t.text, span: t.span)
        }
        if case .keyword(let k) = kind {
            fail("expected \(what()), found `\(k.rawValue)`, which is a reserved word")
        } else {
            fail("expected \(what()), found \(kind.display)")
        }
        return nil
    }

    /// A string literal's value and span.
    mutating func expectString(_ what: @autoclosure () -> String) -> (String, Span)? {
        guard kind == .string else {
            fail("expected \(what()), found \(kind.display)")
            return nil
        }
        let t = take()
        return (t.text, t.span)
    }

    mutating func span(_ start: Int, _ end: Int) -> Span { Lexer.makeSpan(fileIndex, start, end) }

    /// The smallest span covering both (same file).
    mutating func cover(_ a: Span, _ b: Span) -> Span {
        Lexer.makeSpan(fileIndex, Int(min(a.start, b.start)), Int(max(a.end, b.end)))
    }

    /// From the start of `first` to the end of the last consumed token.
    mutating func spanFrom(_ first: Span) -> Span { span(Int(first.start), max(Int(first.end), prevEnd)) }

    /// Where to point when the current token is missing something: the
    /// token itself, or just after the previous token at a row end / EOF.
    var errorSpan: Span {
        mutating get {
            if atRowEnd {
                let at = prevEnd
                return span(at, at + 1)
            }
            if tokens[pos].kind == .eof {
                let at = Int(tokens[pos].span.start)
                return span(at, at + 1)
            }
            return tokens[pos].span
        }
    }

    /// The byte column of a token in its line (its indentation when it
    /// starts the line).
    mutating func column(of t: Token) -> Int {
        let start = Int(t.span.start)
        return start - file.lineStarts[file.line(of: start) - 1]
    }

    /// "L:C" of a byte offset, for messages that mention another place.
    mutating func lineColumn(_ offset: Int) -> String {
        let loc = file.location(of: offset)
        return "\(loc.line):\(loc.column)"
    }

    // MARK: - Errors

    /// An error that leaves the parser out of step: reported unless the
    /// parser is already recovering (or the lexer already reported the token
    /// at hand), then recovery starts.
    mutating func fail(_ message: String, at where_: Span? = nil) {
        defer { recovering = true }
        if recovering || lastFailPos == pos { return }
        if where_ == nil && !atRowEnd && tokens[pos].hasError { return }
        lastFailPos = pos
        let s = where_ ?? errorSpan
        record(SyntaxProblem(start: Int(s.start), end: Int(s.end), message: message))
    }

    /// An error that leaves the parser in step: always reported (once per
    /// place), recovery state unchanged.
    mutating func report(_ message: String, at s: Span, noteAt: Int? = nil, note: String = "") {
        if let last = problems.last, last.start == Int(s.start), last.message == message { return }
        record(SyntaxProblem(start: Int(s.start), end: Int(s.end), message: message, noteAt: noteAt, noteMessage: note))
    }

    mutating func record(_ p: SyntaxProblem) {
        if parserProblems >= Parser.errorLimit {
            suppressed += 1
            firstSuppressed = min(firstSuppressed, p.start)
            return
        }
        parserProblems += 1
        problems.append(p)
    }

    // MARK: - Expression nodes

    /// A node without children.
    mutating func leaf(_ kind: Expr.Kind, _ span: Span) -> Expr {
        make(kind, span, childDepth: 0)
    }

    /// A node whose deepest child has depth `childDepth`. Past the nesting
    /// limit the node (and so its subtree) is replaced by an `.error` leaf.
    mutating func make(_ kind: Expr.Kind, _ span: Span, childDepth: Int) -> Expr {
        var kind = kind
        var d = childDepth + 1
        if d > Parser.nestingLimit {
            reportTooDeep(span)
            kind = .error
            d = 1
        }
        let id = nextID
        nextID += 1
        treeDepth.append(UInt16(d))
        return Expr(id: id, span: span, kind: kind)
    }

    mutating func depthOf(_ e: Expr) -> Int {
        let i = Int(e.id) - Int(firstID)
        if i < 0 { return 1 }
        if i >= treeDepth.count { return 1 }
        return Int(treeDepth[i])
    }

    mutating func reportTooDeep(_ span: Span) {
        guard !tooDeepReported else { return }
        tooDeepReported = true
        report("expression nested too deeply (limit \(Parser.nestingLimit))", at: span)
    }

    // MARK: - Declaration keywords and recovery

    /// A keyword that starts a declaration at `i`. `for` counts only as
    /// `for WORD {` or `for WORD where` (not a comprehension's `for x in`).
    mutating func isDeclarationKeyword(at i: Int) -> Bool {
        guard case .keyword(let k) = kind(at: i) else { return false }
        switch k {
        case .plan, .import, .inputs, .let, .func, .table, .objective, .key_result, .incentive, .pool, .constraint:
            return true
        case .for:
            if kind(at: i + 1) != .identifier { return false }
            switch kind(at: i + 2) {
            case .leftBrace, .keyword(.where): return true
            default: return false
            }
        default:
            return false
        }
    }

    /// A declaration keyword that begins a line (or follows `;` or `}`).
    mutating func startsDeclaration(at i: Int) -> Bool {
        guard isDeclarationKeyword(at: i) else { return false }
        if i == 0 { return true }
        if tokens[i].precededByNewline { return true }
        switch tokens[i - 1].kind {
        case .semicolon, .rightBrace: return true
        default: return false
        }
    }

    /// Top-level recovery: skip to the next declaration.
    mutating func syncTopLevel() {
        while tokens[pos].kind != .eof {
            if startsDeclaration(at: pos) { return }
            pos += 1
        }
    }

    /// Block recovery: skip to the next item of the block: the next line,
    /// `;` (and `,` unless in a table) at bracket depth 0, the block's `}`,
    /// or a declaration keyword beginning a line (at any depth, so an
    /// unclosed bracket cannot swallow the rest of the file).
    mutating func syncInBlock(stopAtComma: Bool) {
        var balance = 0
        while true {
            let t = tokens[pos]
            if t.kind == .eof { return }
            if t.precededByNewline {
                if isDeclarationKeyword(at: pos) { return }
                if balance == 0 { return }
            }
            if balance == 0 {
                switch t.kind {
                case .rightBrace, .semicolon: return
                case .comma: if stopAtComma { return }
                default: break
                }
            }
            switch t.kind {
            case .leftParen, .leftBracket, .leftBrace: balance += 1
            case .rightParen, .rightBracket, .rightBrace: balance = max(0, balance - 1)
            default: break
            }
            pos += 1
        }
    }
}
