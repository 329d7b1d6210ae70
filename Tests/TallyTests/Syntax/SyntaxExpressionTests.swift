import XCTest
@testable import Tally

final class SyntaxExpressionTests: XCTestCase {
    // MARK: - Literals and primaries

    func testLiterals() {
        assertExpr("42", "42")
        assertExpr("1_000_000", "1000000")
        assertExpr("2.5e-3", "2.5e-3")
        assertExpr("85%", "85%")
        assertExpr("15_000 CNY", "15000CNY")
        assertExpr("2026-09-30", "2026-09-30")
        assertExpr(#""a\"b\n""#, #""a\"b\n""#)
        assertExpr("true", "true")
        assertExpr("false", "false")
        assertExpr("none", "none")
        assertExpr("销售额", "销售额")
        assertExpr("(((x)))", "x")
    }

    func testLiteralNodes() {
        let file = SourceFile(name: "e", text: "12_000.50 USD")
        var bag = DiagnosticBag()
        var next: NodeID = 7
        let e = Parser.parseExpression(file, fileIndex: 0, nextID: &next, diagnostics: &bag)
        guard case .money(let n, let code) = e.kind else { return XCTFail("\(e.kind)") }
        XCTAssertEqual(n, NumberLiteral(text: "12000.50", isPercent: false))
        XCTAssertEqual(code, "USD")
        XCTAssertEqual(e.id, 7)
        XCTAssertEqual(next, 8)

        let p = Parser.parseExpression(SourceFile(name: "e", text: "35%"), fileIndex: 0, nextID: &next, diagnostics: &bag)
        guard case .number(let pn) = p.kind else { return XCTFail() }
        XCTAssertEqual(pn, NumberLiteral(text: "35", isPercent: true))

        let d = Parser.parseExpression(SourceFile(name: "e", text: "2024-02-29"), fileIndex: 0, nextID: &next, diagnostics: &bag)
        guard case .date(let y, let m, let dd) = d.kind else { return XCTFail() }
        XCTAssertEqual([y, m, dd], [2024, 2, 29])
        XCTAssertTrue(bag.items.isEmpty)
    }

    // MARK: - Precedence and associativity (LANGUAGE.md §4)

    func testArithmetic() {
        assertExpr("2 + 3 * 4", "(+ 2 (* 3 4))")
        assertExpr("(2 + 3) * 4", "(* (+ 2 3) 4)")
        assertExpr("10 - 4 - 3", "(- (- 10 4) 3)")
        assertExpr("100 / 10 / 5", "(/ (/ 100 10) 5)")
        assertExpr("a * b / c * d", "(* (/ (* a b) c) d)")
        assertExpr("a - b + c", "(+ (- a b) c)")
    }

    func testPowerAndUnaryMinus() {
        assertExpr("-2^2", "(- (^ 2 2))")
        assertExpr("(-2)^2", "(^ (- 2) 2)")
        assertExpr("2^3^2", "(^ 2 (^ 3 2))")
        assertExpr("2^-2", "(^ 2 (- 2))")
        assertExpr("2^-2^2", "(^ 2 (- (^ 2 2)))")
        assertExpr("-2 * 3", "(* (- 2) 3)")
        assertExpr("2 * -3", "(* 2 (- 3))")
        assertExpr("7 - -2", "(- 7 (- 2))")
        assertExpr("- - 2", "(- (- 2))")
        assertExpr("-x.y", "(- (. x y))")
        assertExpr("a^b*c", "(* (^ a b) c)")
    }

    func testCoalesce() {
        assertExpr("a ?? b ?? c", "(?? a (?? b c))")
        assertExpr("a ?? b + 1", "(?? a (+ b 1))")
        assertExpr("a + b ?? c", "(?? (+ a b) c)")
        assertExpr("nps ?? 20 >= 10", "(>= (?? nps 20) 10)")
    }

    func testLogic() {
        assertExpr("not a == b", "(not (== a b))")
        assertExpr("not a and b", "(and (not a) b)")
        assertExpr("not not a", "(not (not a))")
        assertExpr("a or b and c", "(or a (and b c))")
        assertExpr("a and b or c and d", "(or (and a b) (and c d))")
        assertExpr("a or b or c", "(or (or a b) c)")
        assertExpr("termination_date == none and days >= 30",
                   "(and (== termination_date none) (>= days 30))")
    }

    func testComparisonsAndIn() {
        assertExpr("a < b", "(< a b)")
        assertExpr("a + 1 <= b * 2", "(<= (+ a 1) (* b 2))")
        assertExpr("a != b", "(!= a b)")
        assertExpr("x in 80%..120%", "(in x (.. 80% 120%))")
        assertExpr("x in 0..<10", "(in x (..< 0 10))")
        assertExpr("x in a - 1 .. a + 1", "(in x (.. (- a 1) (+ a 1)))")
        assertExpr(#"x in ["P7", "P8"]"#, #"(in x (list "P7" "P8"))"#)
        assertExpr(#""sales" in team.path"#, #"(in "sales" (. team path))"#)
        assertExpr(#""sales" in path and parent != none"#, #"(and (in "sales" path) (!= parent none))"#)
        assertExpr("x in xs ?? ys", "(in x (?? xs ys))")
        assertExpr("(a < b) == c", "(== (< a b) c)")
        assertExpr("2026-07-01 < 2026-09-30", "(< 2026-07-01 2026-09-30)")
    }

    func testChainedComparisonsAreErrors() {
        assertExprError("1 < 2 < 3", "comparisons cannot be chained")
        assertExprError("a == b < c", "comparisons cannot be chained")
        assertExprError("a < b == c", "comparisons cannot be chained")
        assertExprError("x in xs == true", "comparisons cannot be chained")
        assertExprError("not a == b != c", "comparisons cannot be chained")
        // Still one tree, so later stages can go on.
        let (printed, errors) = Syntax.expression("1 < 2 < 3")
        XCTAssertEqual(printed, "(< (< 1 2) 3)")
        XCTAssertEqual(errors.count, 1)
    }

    func testWhere() {
        assertExpr("members where score >= 0.5", "(where members (>= score 0.5))")
        assertExpr("xs where a where b", "(where (where xs a) b)")
        assertExpr("people where score_in >= 0.5 and nps != none",
                   "(where people (and (>= score_in 0.5) (!= nps none)))")
        assertExpr("xs where if a then b else c", "(where xs (if a b c))")
        assertExpr("count(members where fte > 0)", "(call count (where members (> fte 0)))")
    }

    func testIf() {
        assertExpr("if a then 1 else 2", "(if a 1 2)")
        assertExpr("if a then 1 else if b then 2 else 3", "(if a 1 (if b 2 3))")
        assertExpr("if c then a else b or d", "(if c a (or b d))")
        assertExpr("if x > 1 then a + 1 else b", "(if (> x 1) (+ a 1) b)")
        assertExpr("1 + (if a then 1 else 2)", "(+ 1 (if a 1 2))")
        assertExprError("if a then 1", "needs an `else`")
        assertExprError("if a 1 else 2", "`then`")
    }

    func testPrefixFormsBelowTheirLevelNeedParentheses() {
        assertExprError("1 + if a then 1 else 2", "parentheses")
        assertExprError("a == not b", "parentheses")
        assertExpr("a and not b", "(and a (not b))")
    }

    func testPostfix() {
        assertExpr("f(x)", "(call f x)")
        assertExpr("f()", "(call f)")
        assertExpr("clamp(x, 0, 1,)", "(call clamp x 0 1)")
        assertExpr("a.b.c", "(. (. a b) c)")
        assertExpr(#"people["E001"].attainment"#, #"(. (index people "E001") attainment)"#)
        assertExpr("xs[0][1]", "(index (index xs 0) 1)")
        assertExpr("f(x).y[2]", "(index (. (call f x) y) 2)")
        assertExpr("round(100 CNY / 3, 2)", "(call round (/ 100CNY 3) 2)")
    }

    func testMemberNamesMayBeReservedWords() {
        assertExpr("v.constraint", "(. v constraint)")
        assertExpr("v.severity", "(. v severity)")
        assertExpr("x.if.for.where", "(. (. (. x if) for) where)")
        assertExpr("period.start", "(. period start)")
    }

    func testOnlyNamesCanBeCalled() {
        assertExprError("a.b(1)", "only a named function")
        assertExprError("(f)(1)", "only a named function")
        assertExprError("f(1)(2)", "only a named function")
    }

    func testListsAndComprehensions() {
        assertExpr("[1, 2, 3]", "(list 1 2 3)")
        assertExpr("[1, 2, 3,]", "(list 1 2 3)")
        assertExpr("[]", "(list)")
        assertExpr("[[1], [2, 3]]", "(list (list 1) (list 2 3))")
        assertExpr("[p.score for p in members if p.fte > 0]",
                   "(for (. p score) p members (> (. p fte) 0))")
        assertExpr("[x for x in xs]", "(for x x xs)")
        assertExpr("[x for x in xs where ok if x > 1]", "(for x x (where xs ok) (> x 1))")
        assertExpr("sum(p.bonus for p in people)", "(call sum (for (. p bonus) p people))")
        assertExpr("avg(o.score for o in aligned)", "(call avg (for (. o score) o aligned))")
        assertExpr("count([v for v in violations if v.severity == \"warning\"])",
                   #"(call count (for v v violations (== (. v severity) "warning")))"#)
        assertExpr("max(0 CNY, sum(m.revenue - m.quota for m in members)) * 1%",
                   "(* (call max 0CNY (call sum (for (- (. m revenue) (. m quota)) m members))) 1%)")
        assertExpr("[\n  1,\n  2\n]", "(list 1 2)")
    }

    func testWholeInputIsOneExpression() {
        assertExprError("1 2", "after the expression")
        assertExprError("", "expected an expression")
        assertExprError("1 +", "expected an expression")
        assertExprError("(1", "`)`")
        assertExprError("[1, 2", "`]`")
        assertExprError("x in 1..", "expected an expression")
        assertExprError("_", "`_`")
        assertExprError("1 .. 2", "after the expression")
    }

    func testSpans() {
        let text = "a + f(b) * 2"
        let file = SourceFile(name: "e", text: text)
        var bag = DiagnosticBag()
        var next: NodeID = 0
        let e = Parser.parseExpression(file, fileIndex: 3, nextID: &next, diagnostics: &bag)
        XCTAssertEqual(e.span, Span(file: 3, start: 0, end: 12))
        guard case .binary(.add, let a, let rhs) = e.kind, case .binary(.multiply, let call, _) = rhs.kind else { return XCTFail() }
        XCTAssertEqual(a.span, Span(file: 3, start: 0, end: 1))
        XCTAssertEqual(file.text(of: call.span), "f(b)")
        XCTAssertEqual(file.text(of: rhs.span), "f(b) * 2")
    }

    func testNodeIDsAreFreshAndDense() {
        let file = SourceFile(name: "e", text: "a + b * (c - d)")
        var bag = DiagnosticBag()
        var next: NodeID = 100
        let e = Parser.parseExpression(file, fileIndex: 0, nextID: &next, diagnostics: &bag)
        var ids: [NodeID] = []
        func walk(_ e: Expr) {
            ids.append(e.id)
            if case .binary(_, let l, let r) = e.kind { walk(l); walk(r) }
        }
        walk(e)
        XCTAssertEqual(ids.sorted(), Array(100..<107))
        XCTAssertEqual(next, 107)
    }

    /// Every expression in the conformance `.expect` files (the left of `=>`) parses.
    func testConformanceExpectExpressionsParse() throws {
        var count = 0
        for name in try Syntax.fixtureNames(withExtension: "expect") {
            let text = try String(contentsOf: Syntax.fixture(name), encoding: .utf8)
            for line in text.split(separator: "\n") where !line.hasPrefix("#") {
                guard let arrow = line.range(of: " => ") else { continue }
                let expr = String(line[..<arrow.lowerBound])
                if expr == "check" { continue }
                let (_, errors) = Syntax.expression(expr)
                XCTAssertEqual(errors, [], "\(name): \(expr)")
                count += 1
            }
        }
        XCTAssertGreaterThan(count, 100)
    }
}
