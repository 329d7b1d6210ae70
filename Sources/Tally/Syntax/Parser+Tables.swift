// Tables (LANGUAGE.md §7).
//
// A row ends at a line end or `;`; a line end inside `(` or `[` does not end
// it. The parser tracks this with the tokens' preceded-by-newline flag and
// its bracket depth (`atRowEnd`), so an expression stops at the end of its
// row whatever follows on the next line.
//
//   interpolate:    key -> value,  below -> value,  above -> value
//   marginal, flat: bound -> rate
//   first:          test {, test} -> result,  else -> result
//     test = `_` | (< <= > >= == !=) operand | a..b | a..<b | in expr
//            | in a..b | expression (equality)
//
// Which keys a kind accepts (`below` only in interpolate tables, nothing
// after `else`, ...) is the checker's business: every key form parses in
// every table so the checker can say what is wrong in the table's terms.

extension Parser {
    /// `table name(params) interpolate|marginal|flat|first { rows }`.
    mutating func parseTable() -> TableDecl {
        let header = take()
        let name = expectIdentifier("a table name after `table`") ?? Identifier("", span: errorSpan)
        let params = parseParameters(of: "table `\(name.name)`")
        var tableKind = TableKind.first
        switch kind {
        case .keyword(.interpolate): tableKind = .interpolate; advance()
        case .keyword(.marginal): tableKind = .marginal; advance()
        case .keyword(.flat): tableKind = .flat; advance()
        case .keyword(.first): tableKind = .first; advance()
        default:
            fail("expected the table kind (`interpolate`, `marginal`, `flat` or `first`), found \(kind.display)")
        }
        var rows: [TableRow] = []
        if let block = openBlock(.rows, header: header) {
            while nextInBlock(block) == .item {
                let before = pos
                if let row = parseRow(tableKind) { rows.append(row) }
                if pos == before { advance() }
            }
        }
        return TableDecl(name: name, parameters: params, kind: tableKind, rows: rows, span: spanFrom(header.span))
    }

    /// One row, then its terminator (a line end, `;`, or the block's `}`).
    mutating func parseRow(_ tableKind: TableKind) -> TableRow? {
        inRow = true
        rowStart = pos
        let savedBrackets = bracketDepth
        bracketDepth = 0
        defer {
            inRow = false
            bracketDepth = savedBrackets
        }
        let first = tok.span
        let key: TableRow.Key
        switch kind {
        case .keyword(.else): advance(); key = .else
        case .keyword(.below): advance(); key = .below
        case .keyword(.above): advance(); key = .above
        default:
            if tableKind == .first {
                var tests = [parseUnaryTest()]
                while accept(.comma) != nil { tests.append(parseUnaryTest()) }
                key = .tests(tests)
            } else {
                key = .value(parseExpr(0))
            }
        }
        let keySpan = spanFrom(first)
        let result: Expr
        if expect(.arrow, "`->` and the row's result") != nil {
            result = parseExpr(0)
        } else {
            result = leaf(.error, errorSpan)
        }
        let row = TableRow(key: key, keySpan: keySpan, result: result, span: spanFrom(first))
        switch kind {
        case .semicolon, .newline, .rightBrace, .eof:
            break
        default:
            fail("expected the end of the row (a new line or `;`), found \(kind.display)")
        }
        return row
    }

    /// One unary test of a `first` table row.
    mutating func parseUnaryTest() -> UnaryTest {
        let op: BinaryOperator?
        switch kind {
        case .underscore:
            advance()
            return .any
        case .keyword(.in):
            advance()
            let e = parseExprOrRange(6)
            if case .range(let lower, let upper, let inclusive) = e.kind {
                return .range(lower: lower, upper: upper, inclusive: inclusive)
            }
            return .member(e)
        case .less: op = .less
        case .lessEqual: op = .lessEqual
        case .greater: op = .greater
        case .greaterEqual: op = .greaterEqual
        case .equalEqual: op = .equal
        case .bangEqual: op = .notEqual
        default: op = nil
        }
        if let op {
            advance()
            return .compare(op, parseExpr(7))
        }
        let e = parseExpr(7)
        if let inclusive = rangeOperator() {
            return .range(lower: e, upper: parseExpr(7), inclusive: inclusive)
        }
        return .equal(e)
    }
}
