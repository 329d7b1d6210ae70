// Expressions (LANGUAGE.md §4), by precedence climbing over the §4 table:
//
//   0  xs where cond        left-assoc; cond parsed at level 1
//   1  if c then a else b   prefix; `else` required; b parsed at level 1
//   2  or                   left-assoc
//   3  and                  left-assoc
//   4  not                  prefix; operand at level 4
//   5  == != < <= > >= in   non-associative (no chains); after `in` a range
//                           `a..b` / `a..<b` (ends at level 7) or an expression
//   6  ??                   right-assoc
//   7  + -                  left-assoc
//   8  * /                  left-assoc
//   9  unary -              prefix; operand at level 9 (so `-2^2` = -(2^2))
//  10  ^                    right-assoc; the right operand may start with `-`
//  11  f(x)  a.b  a[i]      postfix; only a bare name can be called
//
// `parseExpr(n)` parses an expression whose operators all have level >= n.
// A prefix form whose level is below n (`1 + not x`, `a == if ...`) is an
// error asking for parentheses (it is still parsed, to stay in step).

extension Parser {
    /// The level of an infix operator token, or nil.
    mutating func infixLevel(_ k: TokenKind) -> Int? {
        switch k {
        case .keyword(.where): return 0
        case .keyword(.or): return 2
        case .keyword(.and): return 3
        case .equalEqual, .bangEqual, .less, .lessEqual, .greater, .greaterEqual, .keyword(.in): return 5
        case .questionQuestion: return 6
        case .plus, .minus: return 7
        case .star, .slash: return 8
        case .caret: return 10
        default: return nil
        }
    }

    mutating func binaryOperator(_ k: TokenKind) -> BinaryOperator? {
        switch k {
        case .plus: return .add
        case .minus: return .subtract
        case .star: return .multiply
        case .slash: return .divide
        case .caret: return .power
        case .equalEqual: return .equal
        case .bangEqual: return .notEqual
        case .less: return .less
        case .lessEqual: return .lessEqual
        case .greater: return .greater
        case .greaterEqual: return .greaterEqual
        case .keyword(.in): return .in
        case .keyword(.and): return .and
        case .keyword(.or): return .or
        case .questionQuestion: return .coalesce
        default: return nil
        }
    }

    /// An expression of level `minLevel` or tighter. Every recursive descent
    /// into a sub-expression goes through here, so the nesting limit is
    /// checked before the parser's stack grows.
    mutating func parseExpr(_ minLevel: Int) -> Expr {
        if depth >= Parser.nestingLimit { return skipTooDeep() }
        depth += 1
        defer { depth -= 1 }
        let lhs = parsePrefix(minLevel)
        return parseInfix(lhs, minLevel)
    }

    /// Either a range `a..b` / `a..<b` (ends at level 7) or an expression of
    /// level `minLevel` or tighter: the right side of `in`, a field value.
    mutating func parseExprOrRange(_ minLevel: Int) -> Expr {
        switch kind {
        case .keyword(.not), .keyword(.if):
            return parseExpr(minLevel)  // cannot be a range's lower end
        default:
            break
        }
        let lower = parseExpr(7)
        if let inclusive = rangeOperator() {
            let upper = parseExpr(7)
            return make(.range(lower: lower, upper: upper, inclusive: inclusive), cover(lower.span, upper.span),
                        childDepth: max(depthOf(lower), depthOf(upper)))
        }
        return parseInfix(lower, minLevel)
    }

    /// At `..` or `..<`: consumes it and tells whether the range is inclusive.
    mutating func rangeOperator() -> Bool? {
        switch kind {
        case .dotDot: advance(); return true
        case .dotDotLess: advance(); return false
        default: return nil
        }
    }

    /// The infix loop: extends `lhs` with operators of level >= `minLevel`.
    mutating func parseInfix(_ start: Expr, _ minLevel: Int) -> Expr {
        var lhs = start
        var lastWasComparison = false
        while let level = infixLevel(kind), level >= minLevel {
            let opToken = take()
            if case .keyword(.where) = opToken.kind {
                let condition = parseExpr(1)
                lhs = make(.filter(lhs, condition: condition), cover(lhs.span, condition.span),
                           childDepth: max(depthOf(lhs), depthOf(condition)))
                lastWasComparison = false
                continue
            }
            let op = binaryOperator(opToken.kind)!
            let rhs: Expr
            switch level {
            case 5:
                if lastWasComparison {
                    report("comparisons cannot be chained; use `and` (`a < b and b < c`)", at: opToken.span)
                }
                rhs = op == .in ? parseExprOrRange(6) : parseExpr(6)
            case 6, 10:
                rhs = parseExpr(level)  // right-associative
            default:
                rhs = parseExpr(level + 1)
            }
            lhs = make(.binary(op, lhs, rhs), cover(lhs.span, rhs.span), childDepth: max(depthOf(lhs), depthOf(rhs)))
            lastWasComparison = level == 5
        }
        return lhs
    }

    /// Prefix forms and primaries.
    mutating func parsePrefix(_ minLevel: Int) -> Expr {
        let t = tok
        switch kind {
        case .minus:
            advance()
            let operand = parseExpr(9)
            return make(.unary(.negate, operand), spanFrom(t.span), childDepth: depthOf(operand))
        case .keyword(.not):
            if minLevel > 4 {
                report("`not` binds more loosely than this operator: put the `not` expression in parentheses", at: t.span)
            }
            advance()
            let operand = parseExpr(4)
            return make(.unary(.not, operand), spanFrom(t.span), childDepth: depthOf(operand))
        case .keyword(.if):
            if minLevel > 1 {
                report("an `if` expression binds more loosely than this operator: put it in parentheses", at: t.span)
            }
            return parseIf()
        default:
            let primary = parsePrimary()
            return parsePostfix(primary)
        }
    }

    /// `if c then a else b`; `b` is parsed at level 1 so `else if` chains.
    mutating func parseIf() -> Expr {
        let start = take().span
        let condition = parseExpr(0)
        guard expect(.keyword(.then), "`then` after the `if` condition") != nil else {
            return leaf(.error, spanFrom(start))
        }
        let then = parseExpr(0)
        guard expect(.keyword(.else), "`else`: an `if` expression needs an `else` branch") != nil else {
            return leaf(.error, spanFrom(start))
        }
        let otherwise = parseExpr(1)
        return make(.conditional(condition: condition, then: then, else: otherwise), spanFrom(start),
                    childDepth: max(depthOf(condition), depthOf(then), depthOf(otherwise)))
    }

    mutating func parsePrimary() -> Expr {
        let t = tok
        switch kind {
        case .number, .percent:
            advance()
            if t.hasError { return leaf(.error, t.span) }
            return leaf(.number(NumberLiteral(text: t.text, isPercent: t.kind == .percent)), t.span)
        case .money:
            advance()
            if t.hasError { return leaf(.error, t.span) }
            return leaf(.money(NumberLiteral(text: t.text, isPercent: false), currency: t.currency), t.span)
        case .date:
            advance()
            if t.hasError { return leaf(.error, t.span) }
            let u = Array(t.text.utf8)
            func n(_ r: Range<Int>) -> Int { r.reduce(0) { $0 * 10 + Int(u[$1] - 48) } }
            return leaf(.date(year: n(0..<4), month: n(5..<7), day: n(8..<10)), t.span)
        case .string:
            advance()
            return leaf(t.hasError ? .error : .string(t.text), t.span)
        case .keyword(.true), .keyword(.false):
            advance()
            return leaf(.bool(t.kind == .keyword(.true)), t.span)
        case .keyword(.none):
            advance()
            return leaf(.none, t.span)
        case .identifier where inFieldValue && kind(at: pos + 1) == .colon:
            // In a field's value `label:` is never an operand: it is the
            // next field, and this value is cut short.
            fail("expected an expression, found the field label `\(t.text):`")
            return leaf(.error, errorSpan)
        case .identifier:
            advance()
            let name = Identifier(t.text, span: t.span)
            if kind == .leftParen {
                let (args, argDepth) = parseArguments()
                return make(.call(name, args), spanFrom(t.span), childDepth: argDepth)
            }
            return leaf(.name(name), t.span)
        case .leftParen:
            advance()
            bracketDepth += 1
            var inner = parseExpr(0)
            bracketDepth -= 1
            if expectClosing(.rightParen, "`)` to close the `(`", openedAt: t.span) != nil {
                inner.span = spanFrom(t.span)
            }
            return inner
        case .leftBracket:
            return parseList()
        case .underscore:
            advance()
            fail("`_` (any value) is allowed only in the rows of a `first` table", at: t.span)
            return leaf(.error, t.span)
        case .invalid:
            advance()
            recovering = true  // the lexer reported it
            return leaf(.error, t.span)
        default:
            let s = errorSpan
            if case .keyword(let k) = kind, !isStopKeyword(k) {
                fail("expected an expression, found `\(k.rawValue)`, which is a reserved word")
                advance()
            } else {
                fail("expected an expression, found \(kind.display)")
                if !isStopToken(kind) { advance() }
            }
            return leaf(.error, s)
        }
    }

    /// Tokens an expression error leaves alone: whatever comes after an
    /// expression in some construct, so the caller can resynchronise there.
    mutating func isStopToken(_ k: TokenKind) -> Bool {
        switch k {
        case .rightParen, .rightBracket, .rightBrace, .comma, .semicolon, .colon, .arrow, .dotDot, .dotDotLess,
             .equal, .leftBrace, .eof, .newline:
            return true
        case .keyword(let kw):
            return isStopKeyword(kw)
        default:
            return false
        }
    }

    mutating func isStopKeyword(_ k: Keyword) -> Bool {
        switch k {
        case .then, .else, .for, .if, .where, .and, .or, .in, .weight, .aligns, .severity,
             .plan, .import, .inputs, .let, .func, .table, .objective, .key_result, .incentive, .pool, .constraint:
            return true
        default:
            return false
        }
    }

    /// Member access, indexing, and calls on something other than a name.
    mutating func parsePostfix(_ start: Expr) -> Expr {
        var e = start
        while true {
            switch kind {
            case .dot:
                advance()
                // Any word may name a member, reserved or not (`v.severity`).
                guard tok.isWord, !atRowEnd else {
                    fail("expected a member name after `.`, found \(kind.display)")
                    return make(.error, spanFrom(e.span), childDepth: depthOf(e))
                }
                let t = take()
                e = make(.member(e, Identifier(t.word, span: t.span)), spanFrom(e.span), childDepth: depthOf(e))
            case .leftBracket:
                let open = take()
                bracketDepth += 1
                let index = parseExpr(0)
                bracketDepth -= 1
                expectClosing(.rightBracket, "`]` to close the `[`", openedAt: open.span)
                e = make(.index(e, index), spanFrom(e.span), childDepth: max(depthOf(e), depthOf(index)))
            case .leftParen:
                report("only a named function or table can be called (`f(x)`)", at: tok.span)
                let (_, argDepth) = parseArguments()
                e = make(.error, spanFrom(e.span), childDepth: max(depthOf(e), argDepth))
            default:
                return e
            }
        }
    }

    /// `( [arg {, arg} [,]] )`; an argument may be a bare comprehension
    /// (`sum(p.bonus for p in people)`). Returns the arguments and their
    /// greatest tree depth.
    mutating func parseArguments() -> ([Expr], Int) {
        let open = take()
        bracketDepth += 1
        var args: [Expr] = []
        var deepest = 0
        while !atClosing(.rightParen) {
            var arg = parseExpr(0)
            if kind == .keyword(.for) { arg = parseComprehension(element: arg) }
            deepest = max(deepest, depthOf(arg))
            args.append(arg)
            if accept(.comma) == nil { break }
        }
        bracketDepth -= 1
        expectClosing(.rightParen, "`)` to close the argument list opened", openedAt: open.span)
        return (args, deepest)
    }

    /// At `closer` or the end of the input.
    mutating func atClosing(_ closer: TokenKind) -> Bool {
        let k = kind
        if k == closer { return true }
        return k == .eof
    }

    /// `[a, b, c]` (trailing comma allowed) or `[element for x in xs if c]`.
    mutating func parseList() -> Expr {
        let open = take()
        bracketDepth += 1
        var items: [Expr] = []
        var deepest = 0
        var comprehension: Expr? = nil
        while !atClosing(.rightBracket) {
            let item = parseExpr(0)
            if items.isEmpty, kind == .keyword(.for) {
                comprehension = parseComprehension(element: item)
                break
            }
            deepest = max(deepest, depthOf(item))
            items.append(item)
            if accept(.comma) == nil { break }
        }
        bracketDepth -= 1
        let closed = expectClosing(.rightBracket, "`]` to close the `[`", openedAt: open.span) != nil
        if var c = comprehension {
            if closed { c.span = spanFrom(open.span) }
            return c
        }
        return make(.list(items), spanFrom(open.span), childDepth: deepest)
    }

    /// After `element`, at `for`: `for x in iterable [if condition]`. The
    /// iterable is parsed at level 0 (it may use `where`).
    mutating func parseComprehension(element: Expr) -> Expr {
        advance()  // for
        guard let variable = expectIdentifier("the comprehension variable after `for`") else {
            return make(.error, spanFrom(element.span), childDepth: depthOf(element))
        }
        guard expect(.keyword(.in), "`in` after the comprehension variable") != nil else {
            return make(.error, spanFrom(element.span), childDepth: depthOf(element))
        }
        let iterable = parseExpr(0)
        var condition: Expr? = nil
        var deepest = max(depthOf(element), depthOf(iterable))
        if accept(.keyword(.if)) != nil {
            let c = parseExpr(0)
            deepest = max(deepest, depthOf(c))
            condition = c
        }
        return make(.comprehension(element: element, variable: variable, iterable: iterable, condition: condition),
                    spanFrom(element.span), childDepth: deepest)
    }

    /// Past the nesting limit: report once, then skip the rest of this
    /// operand without recursing (brackets are counted) and stand in an
    /// `.error` node.
    mutating func skipTooDeep() -> Expr {
        let first = errorSpan
        reportTooDeep(first)
        recovering = true  // out of step: resynchronise at the statement's end
        var balance = 0
        let from = pos
        loop: while true {
            let t = tokens[pos]
            if t.kind == .eof { break }
            if balance == 0, pos > from {
                if t.precededByNewline { break }  // ends a row, a field, a declaration
                switch t.kind {
                case .comma, .semicolon, .colon, .arrow, .rightParen, .rightBracket, .rightBrace,
                     .keyword(.then), .keyword(.else), .keyword(.for), .keyword(.if):
                    break loop
                default: break
                }
            }
            switch t.kind {
            case .leftParen, .leftBracket, .leftBrace: balance += 1
            case .rightParen, .rightBracket, .rightBrace:
                if balance == 0 { break loop }
                balance -= 1
            default: break
            }
            pos += 1
        }
        if pos == from, !isStopToken(tokens[pos].kind) { pos += 1 }
        return leaf(.error, spanFrom(first))
    }
}
