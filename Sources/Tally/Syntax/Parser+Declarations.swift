// Declarations (LANGUAGE.md §5–§9) and the braced blocks that hold them.

extension Parser {
    // MARK: - Blocks

    enum BlockKind {
        /// `label: value` fields: plan, key_result, incentive, pool.
        case fields
        /// An objective's key results.
        case objectiveBody
        /// Input field declarations.
        case inputs
        /// A `for person|team` block's declarations.
        case scope
        /// A table's rows (ended by a line end or `;`).
        case rows
    }

    struct OpenBlock {
        var kind: BlockKind
        /// The `{`.
        var brace: Span
        /// Indentation of the declaration that opened the block.
        var headerIndent: Int
    }

    enum BlockStep { case item, closed, unterminated }

    /// Expects the `{` of a block. When it is missing the error is reported
    /// and a `{` later on the same line is looked for (`objective o "t" x {`).
    mutating func openBlock(_ kind: BlockKind, header: Token) -> OpenBlock? {
        let indent = column(of: header)
        if let brace = accept(.leftBrace) {
            return OpenBlock(kind: kind, brace: brace.span, headerIndent: indent)
        }
        fail("expected `{` to open the block, found \(kind == .rows ? tok.kind.display : self.kind.display)")
        var i = pos
        while tokens[i].kind != .eof && (i == pos || !tokens[i].precededByNewline) {
            if tokens[i].kind == .leftBrace {
                pos = i + 1
                recovering = false
                return OpenBlock(kind: kind, brace: tokens[i].span, headerIndent: indent)
            }
            i += 1
        }
        return nil
    }

    /// At the top of each round of a block loop: recovers from an error in
    /// the previous item, skips separators, and tells whether an item
    /// follows or the block ended (its `}`, the end of the file, or a
    /// declaration that cannot be inside it, so the `}` is missing).
    mutating func nextInBlock(_ block: OpenBlock) -> BlockStep {
        if recovering {
            syncInBlock(stopAtComma: block.kind != .rows)
            recovering = false
        }
        tooDeepReported = false
        while kind == .semicolon || (block.kind != .rows && kind == .comma) { advance() }
        if kind == .rightBrace {
            advance()
            return .closed
        }
        if kind == .eof || endsBlockWithoutBrace(block) {
            let here = errorSpan
            let message = "unterminated block: expected `}` to close the block opened at \(lineColumn(Int(block.brace.start)))"
            // Nested blocks left open at one place: report the innermost only.
            if lastUnterminatedAt != Int(here.start) {
                lastUnterminatedAt = Int(here.start)
                report(message, at: here, noteAt: Int(block.brace.start), note: "the block opened here")
            }
            return .unterminated
        }
        return .item
    }

    /// A declaration keyword at the start of a line, not indented deeper
    /// than the declaration that opened `block`, that cannot belong to the
    /// block: its `}` is missing. (Indented deeper, it is taken as a
    /// misplaced item of the block and reported as such.)
    mutating func endsBlockWithoutBrace(_ block: OpenBlock) -> Bool {
        guard tok.precededByNewline, isDeclarationKeyword(at: pos), case .keyword(let k) = tok.kind,
              column(of: tok) <= block.headerIndent else { return false }
        switch block.kind {
        case .fields, .inputs, .rows:
            return true
        case .objectiveBody:
            return k != .key_result
        case .scope:
            switch k {
            case .plan, .import, .inputs, .func, .table, .for: return true
            default: return false
            }
        }
    }

    // MARK: - Top level

    mutating func parseTopLevel() -> [Declaration] {
        var decls: [Declaration] = []
        while true {
            if recovering {
                syncTopLevel()
                recovering = false
            }
            tooDeepReported = false
            while kind == .semicolon || kind == .comma { advance() }
            if kind == .eof { break }
            let before = pos
            if isDeclarationStart {
                if let d = parseDeclaration(inScope: false) { decls.append(d) }
            } else if kind == .rightBrace {
                fail("unexpected `}`: there is no open block to close")
            } else {
                fail("expected a declaration (`plan`, `import`, `inputs`, `for`, `let`, `func`, `table`, `objective`, `incentive`, `pool` or `constraint`), found \(kind.display)")
            }
            if pos == before { advance() }
        }
        return decls
    }

    /// At a declaration keyword (`for` included whatever follows it).
    var isDeclarationStart: Bool {
        mutating get {
            if kind == .keyword(.for) { return true }
            return isDeclarationKeyword(at: pos)
        }
    }

    /// One declaration; nil when it is misplaced (reported, parsed, dropped).
    mutating func parseDeclaration(inScope: Bool) -> Declaration? {
        guard case .keyword(let k) = tok.kind else { return nil }
        var misplaced = false
        switch k {
        case .plan, .import, .inputs, .func, .table:
            if inScope {
                report("`\(k.rawValue)` declarations are allowed only at top level, not inside a `for` block", at: tok.span)
                misplaced = true
            }
        case .for:
            if inScope {
                // Skipped, not parsed: parsing would recurse once per
                // nested `for`, without bound on hostile input.
                report("`for` blocks cannot be nested; put the condition in the outer block's `where`", at: tok.span)
                skipNestedBlock()
                return nil
            }
        case .key_result:
            report("a `key_result` belongs inside an `objective` block", at: tok.span)
            misplaced = true
        default:
            break
        }
        let d: Declaration
        switch k {
        case .plan: d = .plan(parsePlan())
        case .import: d = .import(parseImport())
        case .inputs: d = .inputs(parseInputs())
        case .for: d = .scope(parseScope())
        case .let: d = .let(parseLet())
        case .func: d = .function(parseFunction())
        case .table: d = .table(parseTable())
        case .objective: d = .objective(parseObjective())
        case .key_result:
            _ = parseKeyResult()
            return nil
        case .incentive: d = .incentive(parseIncentive())
        case .pool: d = .pool(parsePool())
        case .constraint: d = .constraint(parseConstraint())
        default: return nil
        }
        return misplaced ? nil : d
    }

    /// Skips a misplaced block declaration: its header up to `{` (unless a
    /// new declaration starts first), then the braces, counted, to the
    /// matching `}` or the end of the file.
    mutating func skipNestedBlock() {
        advance()
        while tokens[pos].kind != .eof, tokens[pos].kind != .leftBrace {
            if startsDeclaration(at: pos) { return }
            if tokens[pos].kind == .rightBrace { return }
            advance()
        }
        var depth = 0
        while tokens[pos].kind != .eof {
            switch tokens[pos].kind {
            case .leftBrace: depth += 1
            case .rightBrace:
                depth -= 1
                if depth == 0 {
                    advance()
                    return
                }
            default: break
            }
            advance()
        }
    }

    // MARK: - Pieces

    /// An optional title string.
    mutating func optionalTitle() -> String? {
        kind == .string ? take().text : nil
    }

    /// `person` / `team` (and `company` when allowed) after `for`, `inputs`.
    mutating func scopeWord(after keyword: String, allowCompany: Bool) -> (ScopeKind, Span)? {
        let expected = allowCompany ? "`person`, `team` or `company`" : "`person` or `team`"
        guard kind == .identifier else {
            fail("expected \(expected) after `\(keyword)`, found \(kind.display)")
            return nil
        }
        let t = take()
        switch t.text {
        case "person": return (.person, t.span)
        case "team": return (.team, t.span)
        case "company" where allowCompany: return (.company, t.span)
        case "company":
            report("the top level is already the company scope: write the declarations there, without `for company`", at: t.span)
            return (.company, t.span)
        default:
            report("expected \(expected) after `\(keyword)`, found `\(t.text)`", at: t.span)
            return (.person, t.span)
        }
    }

    /// A `label: value` field (plan, key_result, incentive, pool). A value
    /// may be a range (`period: 2026-07-01 .. 2026-09-30`).
    mutating func parseField() -> Field? {
        guard let label = expectIdentifier("a field (`label: value`)") else { return nil }
        guard let colon = expect(.colon, "`:` after the field label `\(label.name)`") else { return nil }
        // `actual:` with nothing after it: the next line is the next field.
        if tok.precededByNewline && kind == .identifier && kind(at: pos + 1) == .colon {
            fail("expected a value for `\(label.name)`", at: colon.span)
            return Field(label: label, value: leaf(.error, colon.span))
        }
        inFieldValue = true
        defer { inFieldValue = false }
        return Field(label: label, value: parseExprOrRange(0))
    }

    mutating func parseFieldsBlock(header: Token) -> [Field] {
        guard let block = openBlock(.fields, header: header) else { return [] }
        var fields: [Field] = []
        while nextInBlock(block) == .item {
            let before = pos
            if let f = parseField() { fields.append(f) }
            if pos == before { advance() }
        }
        return fields
    }

    // MARK: - Declarations

    /// `plan "title" { fields }`.
    mutating func parsePlan() -> PlanHeader {
        let header = take()
        let title = expectString("the plan's title (a string)")?.0 ?? ""
        let fields = parseFieldsBlock(header: header)
        return PlanHeader(title: title, fields: fields, span: spanFrom(header.span))
    }

    /// `import "path"`.
    mutating func parseImport() -> ImportDecl {
        let header = take()
        let (path, pathSpan) = expectString("the imported file's path (a string)") ?? ("", errorSpan)
        return ImportDecl(path: path, pathSpan: pathSpan, span: spanFrom(header.span))
    }

    /// `inputs person|team|company [where cond] { name: type[?] [= default] ["title"] ... }`.
    mutating func parseInputs() -> InputsBlock {
        let header = take()
        let (scope, scopeSpan) = scopeWord(after: "inputs", allowCompany: true) ?? (.person, errorSpan)
        var condition: Expr? = nil
        if accept(.keyword(.where)) != nil { condition = parseExpr(1) }
        var fields: [InputField] = []
        if let block = openBlock(.inputs, header: header) {
            while nextInBlock(block) == .item {
                let before = pos
                if let f = parseInputField() { fields.append(f) }
                if pos == before { advance() }
            }
        }
        return InputsBlock(scope: scope, scopeSpan: scopeSpan, condition: condition, fields: fields, span: spanFrom(header.span))
    }

    mutating func parseInputField() -> InputField? {
        guard let name = expectIdentifier("an input name (`name: type`)") else { return nil }
        guard expect(.colon, "`:` and a type after the input name `\(name.name)`") != nil else { return nil }
        guard kind == .identifier else {
            fail("expected the type of `\(name.name)` (number, money, percent, bool, string or date), found \(kind.display)")
            return nil
        }
        let typeToken = take()
        let type = InputType(rawValue: typeToken.text)
        if type == nil {
            report("unknown input type `\(typeToken.text)`: expected number, money, percent, bool, string or date", at: typeToken.span)
        }
        let isOptional = accept(.question) != nil
        var defaultValue: Expr? = nil
        if accept(.equal) != nil {
            inFieldValue = true
            defaultValue = parseExpr(0)
            inFieldValue = false
        }
        let title = optionalTitle()
        return InputField(name: name, type: type ?? .number, typeSpan: typeToken.span, isOptional: isOptional,
                          defaultValue: defaultValue, title: title, span: spanFrom(name.span))
    }

    /// `for person|team [where cond] { let | objective | incentive | pool | constraint ... }`.
    mutating func parseScope() -> ScopeBlock {
        let header = take()
        let (scope, scopeSpan) = scopeWord(after: "for", allowCompany: false) ?? (.person, errorSpan)
        var condition: Expr? = nil
        if accept(.keyword(.where)) != nil { condition = parseExpr(1) }
        var decls: [Declaration] = []
        if let block = openBlock(.scope, header: header) {
            while nextInBlock(block) == .item {
                let before = pos
                if isDeclarationStart {
                    if let d = parseDeclaration(inScope: true) { decls.append(d) }
                } else {
                    fail("expected `let`, `objective`, `incentive`, `pool` or `constraint` in a `for` block, found \(kind.display)")
                }
                if pos == before { advance() }
            }
        }
        return ScopeBlock(scope: scope, scopeSpan: scopeSpan, condition: condition, declarations: decls, span: spanFrom(header.span))
    }

    /// `let name ["title"] = expr`.
    mutating func parseLet() -> LetDecl {
        let header = take()
        let name = expectIdentifier("a name after `let`") ?? Identifier("", span: errorSpan)
        let title = optionalTitle()
        let value: Expr
        if expect(.equal, "`=` and a value after `let \(name.name)`") != nil {
            value = parseExpr(0)
        } else {
            value = leaf(.error, errorSpan)
        }
        return LetDecl(name: name, title: title, value: value, span: spanFrom(header.span))
    }

    /// `( [name {, name} [,]] )`: function and table parameters.
    mutating func parseParameters(of what: String) -> [Identifier] {
        guard let open = expect(.leftParen, "`(` and the parameters of \(what)") else { return [] }
        var params: [Identifier] = []
        while kind != .rightParen && kind != .eof {
            guard let p = expectIdentifier("a parameter name") else { break }
            params.append(p)
            if accept(.comma) == nil { break }
        }
        expectClosing(.rightParen, "`)` to close the parameters opened", openedAt: open.span)
        return params
    }

    /// `func name(a, b) = expr`.
    mutating func parseFunction() -> FunctionDecl {
        let header = take()
        let name = expectIdentifier("a function name after `func`") ?? Identifier("", span: errorSpan)
        let params = parseParameters(of: "`\(name.name)`")
        let body: Expr
        if expect(.equal, "`=` and the body of `\(name.name)`") != nil {
            body = parseExpr(0)
        } else {
            body = leaf(.error, errorSpan)
        }
        return FunctionDecl(name: name, parameters: params, body: body, span: spanFrom(header.span))
    }

    /// `objective id ["title"] [weight w] [aligns to scope.id] { key_result ... }`.
    mutating func parseObjective() -> ObjectiveDecl {
        let header = take()
        let id = expectIdentifier("an objective id after `objective`") ?? Identifier("", span: errorSpan)
        let title = optionalTitle()
        var weight: Expr? = nil
        if accept(.keyword(.weight)) != nil { weight = parseExpr(0) }
        var alignsTo: AlignmentTarget? = nil
        if let aligns = accept(.keyword(.aligns)) {
            if expect(.keyword(.to), "`to` after `aligns`") != nil,
               let scope = expectIdentifier("`company`, `team` or `parent` after `aligns to`"),
               expect(.dot, "`.` and an objective id after `aligns to \(scope.name)`") != nil,
               let objective = expectIdentifier("an objective id after `aligns to \(scope.name).`") {
                alignsTo = AlignmentTarget(scope: scope, objective: objective, span: spanFrom(aligns.span))
            }
        }
        var keyResults: [KeyResultDecl] = []
        if let block = openBlock(.objectiveBody, header: header) {
            while nextInBlock(block) == .item {
                let before = pos
                if kind == .keyword(.key_result) {
                    keyResults.append(parseKeyResult())
                } else {
                    fail("expected `key_result` in an objective, found \(kind.display)")
                }
                if pos == before { advance() }
            }
        }
        return ObjectiveDecl(id: id, title: title, weight: weight, alignsTo: alignsTo, keyResults: keyResults,
                             span: spanFrom(header.span))
    }

    /// `key_result id ["title"] [weight w] { fields }`.
    mutating func parseKeyResult() -> KeyResultDecl {
        let header = take()
        let id = expectIdentifier("a key result id after `key_result`") ?? Identifier("", span: errorSpan)
        let title = optionalTitle()
        var weight: Expr? = nil
        if accept(.keyword(.weight)) != nil { weight = parseExpr(0) }
        let fields = parseFieldsBlock(header: header)
        return KeyResultDecl(id: id, title: title, weight: weight, fields: fields, span: spanFrom(header.span))
    }

    /// `incentive name ["title"] { fields }`.
    mutating func parseIncentive() -> IncentiveDecl {
        let header = take()
        let name = expectIdentifier("a name after `incentive`") ?? Identifier("", span: errorSpan)
        let title = optionalTitle()
        let fields = parseFieldsBlock(header: header)
        return IncentiveDecl(name: name, title: title, fields: fields, span: spanFrom(header.span))
    }

    /// `pool name ["title"] { fields }`.
    mutating func parsePool() -> PoolDecl {
        let header = take()
        let name = expectIdentifier("a name after `pool`") ?? Identifier("", span: errorSpan)
        let title = optionalTitle()
        let fields = parseFieldsBlock(header: header)
        return PoolDecl(name: name, title: title, fields: fields, span: spanFrom(header.span))
    }

    /// `constraint "title" [for person|team [where cond]] [severity error|warning] : expr`.
    mutating func parseConstraint() -> ConstraintDecl {
        let header = take()
        let (title, titleSpan) = expectString("the constraint's title (a string)") ?? ("", errorSpan)
        var scope: ScopeKind? = nil
        var condition: Expr? = nil
        if accept(.keyword(.for)) != nil {
            scope = scopeWord(after: "for", allowCompany: false)?.0
            if accept(.keyword(.where)) != nil { condition = parseExpr(1) }
        }
        var severity = Severity.error
        if accept(.keyword(.severity)) != nil {
            if tok.isWord && !atRowEnd {
                let t = take()
                if let s = Severity(rawValue: t.word) {
                    severity = s
                } else {
                    report("a constraint's severity is `error` or `warning`, not `\(t.word)`", at: t.span)
                }
            } else {
                fail("expected `error` or `warning` after `severity`, found \(kind.display)")
            }
        }
        let rule: Expr
        if expect(.colon, "`:` and the constraint's rule") != nil {
            rule = parseExpr(0)
        } else {
            rule = leaf(.error, errorSpan)
        }
        return ConstraintDecl(title: title, titleSpan: titleSpan, scope: scope, condition: condition, severity: severity,
                              rule: rule, span: spanFrom(header.span))
    }
}
