import XCTest
@testable import Tally

final class SyntaxDeclarationTests: XCTestCase {
    /// Parses `text`, asserts no diagnostics, returns the printed declarations.
    func parsed(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        let p = Syntax.parse(text)
        XCTAssertEqual(p.located, [], file: file, line: line)
        return p.printed
    }

    func testPlanHeader() {
        XCTAssertEqual(parsed("""
            plan "华东区 2026 Q3 OKR 与季度奖金" {
              period: 2026-07-01 .. 2026-09-30
              currency: CNY
            }
            """), #"(plan "华东区 2026 Q3 OKR 与季度奖金" (period (.. 2026-07-01 2026-09-30)) (currency CNY))"#)
        XCTAssertEqual(parsed(#"plan "p" { period: 2026-07-01 ..< 2026-10-01, currency: USD; }"#),
                       #"(plan "p" (period (..< 2026-07-01 2026-10-01)) (currency USD))"#)
    }

    func testImport() {
        XCTAssertEqual(parsed(#"import "common.tally""#), #"(import "common.tally")"#)
        let p = Syntax.parse(#"import "a/b.tally""#)
        guard case .import(let i) = p.file.declarations.first else { return XCTFail() }
        XCTAssertEqual(i.path, "a/b.tally")
        XCTAssertEqual(i.pathSpan, Span(file: 0, start: 7, end: 18))
    }

    func testInputs() {
        XCTAssertEqual(parsed("""
            inputs person {
              base_salary: money      "monthly base salary"
              hire_date: date
              termination_date: date?  # optional: may be absent (none)
              fte: number = 1          # default when the record lacks it
              nps: number?
              level: string = "P1" "job level"
              active: bool
              rate: percent? = 50%
            }
            """), #"(inputs person (base_salary money "monthly base salary") (hire_date date) (termination_date date?) (fte number (= 1)) (nps number?) (level string (= "P1") "job level") (active bool) (rate percent? (= 50%)))"#)
        XCTAssertEqual(parsed(#"inputs person where "sales" in team.path { revenue: money "booked revenue"; quota: money }"#),
                       #"(inputs person (where (in "sales" (. team path))) (revenue money "booked revenue") (quota money))"#)
        XCTAssertEqual(parsed("inputs team { budget: money? }\ninputs company { revenue: money  defect_rate: percent }"),
                       "(inputs team (budget money?))\n(inputs company (revenue money) (defect_rate percent))")
    }

    func testInputsErrors() {
        let p = Syntax.parse("inputs person { a: decimal }\ninputs galaxy { b: number }")
        XCTAssertEqual(p.errors.count, 2, "\(p.errors)")
        XCTAssertTrue(p.errors[0].contains("unknown input type `decimal`"))
        XCTAssertTrue(p.errors[1].contains("`person`, `team` or `company`"))
    }

    func testScopeBlocks() {
        XCTAssertEqual(parsed("""
            for person where "sales" in team.path {
              let attainment = revenue / quota
              let 达成率 "attainment in Chinese" = attainment
            }
            for team { let n = count(members) }
            """), """
            (for person (where (in "sales" (. team path))) (let attainment (/ revenue quota)) (let 达成率 "attainment in Chinese" attainment))
            (for team (let n (call count members)))
            """)
    }

    func testLetAndFunc() {
        XCTAssertEqual(parsed("let a = 0.1 + 0.2\nfunc target_bonus(salary, months) = salary * months\nfunc one() = 1"),
                       "(let a (+ 0.1 0.2))\n(func target_bonus (salary months) (* salary months))\n(func one () 1)")
    }

    func testObjectivesAndKeyResults() {
        XCTAssertEqual(parsed("""
            objective grow "提高华东区销售额" weight 70% aligns to company.market {
              key_result rev "季度销售额达成" weight 80% {
                actual: revenue
                baseline: 0 CNY
                target: quota
                cap: 150%          # default 100%
              }
              key_result nps weight 20% { actual: nps ?? 20, baseline: 20, target: 50 }
              key_result shipped { done: true }
            }
            objective plain { key_result k { score: progress * 2 } }
            """), """
            (objective grow "提高华东区销售额" (weight 70%) (aligns company.market) (key_result rev "季度销售额达成" (weight 80%) (actual revenue) (baseline 0CNY) (target quota) (cap 150%)) (key_result nps (weight 20%) (actual (?? nps 20)) (baseline 20) (target 50)) (key_result shipped (done true)))
            (objective plain (key_result k (score (* progress 2))))
            """)
        let p = Syntax.parse("objective o aligns to parent.x { key_result k { done: true } }")
        guard case .objective(let o) = p.file.declarations.first, let a = o.alignsTo else { return XCTFail() }
        XCTAssertEqual(a.scope.name, "parent")
        XCTAssertEqual(a.objective.name, "x")
    }

    func testIncentiveAndPool() {
        XCTAssertEqual(parsed("""
            incentive quarterly_bonus "季度奖金" {
              eligible: termination_date == none and overlap_days(hire_date, period.end, period.start, period.end) >= 30
              amount: base_salary * 3 * bonus_pct(level) * payout(score)
              cap: base_salary * 6
              floor: 0 CNY
              round: 2
            }
            """), #"(incentive quarterly_bonus "季度奖金" (eligible (and (== termination_date none) (>= (call overlap_days hire_date (. period end) (. period start) (. period end)) 30))) (amount (* (* (* base_salary 3) (call bonus_pct level)) (call payout score))) (cap (* base_salary 6)) (floor 0CNY) (round 2))"#)
        XCTAssertEqual(parsed("""
            for team where "sales" in path and parent != none {
              pool team_award "团队奖金池" {
                total: sum(max(0 CNY, m.revenue - m.quota) for m in members) * 1%
                among: members where score >= 0.5
                share: score * fte
                round: 2
              }
            }
            """), #"(for team (where (and (in "sales" path) (!= parent none))) (pool team_award "团队奖金池" (total (* (call sum (for (call max 0CNY (- (. m revenue) (. m quota))) m members)) 1%)) (among (where members (>= score 0.5))) (share (* score fte)) (round 2)))"#)
    }

    func testConstraints() {
        XCTAssertEqual(parsed("""
            constraint "每人至少 16 小时培训" for person severity warning: training_hours >= 16
            constraint "奖金总额不超过预算": sum(p.quarterly_bonus for p in people) <= company.bonus_budget
            constraint "c" for team where count(members) > 0 severity error: score >= 0
            for person { constraint "inner" severity warning: fte > 0 }
            """), """
            (constraint "每人至少 16 小时培训" (for person) warning (>= training_hours 16))
            (constraint "奖金总额不超过预算" error (<= (call sum (for (. p quarterly_bonus) p people)) (. company bonus_budget)))
            (constraint "c" (for team (where (> (call count members) 0))) error (>= score 0))
            (for person (constraint "inner" warning (> fte 0)))
            """)
    }

    func testConstraintConditionEndingInAName() {
        XCTAssertEqual(parsed(#"constraint "c" for person where active: fte > 0"#),
                       #"(constraint "c" (for person (where active)) error (> fte 0))"#)
        XCTAssertEqual(parsed(#"constraint "c" for team where kind == expected: ok"#),
                       #"(constraint "c" (for team (where (== kind expected))) error ok)"#)
    }

    func testInputDefaultCutShort() {
        let p = Syntax.parse("inputs person {\n  fte: number = 1 +\n  nps: number?\n}")
        XCTAssertEqual(p.located, ["3:3: expected an expression, found the field label `nps:`"])
        XCTAssertEqual(p.printed, "(inputs person (fte number (= (+ 1 <error>))) (nps number?))")
    }

    func testConstraintSeverityMustBeErrorOrWarning() {
        let p = Syntax.parse(#"constraint "x" severity fatal: a > 1"#)
        XCTAssertEqual(p.errors.count, 1)
        XCTAssertTrue(p.errors[0].contains("`error` or `warning`"), p.errors[0])
        XCTAssertEqual(p.file.declarations.count, 1)  // still parsed
    }

    func testTables() {
        XCTAssertEqual(parsed("""
            table payout(score) interpolate {   # piecewise linear through the points
              0.4 -> 0.5
              0.7 -> 1.0
              below -> 0        # default: the first point's value
              above -> 2.0
            }
            table commission(revenue) marginal {  # graduated, like tax brackets
              0 CNY       -> 3%
              100_000 CNY -> 5%
            }
            table retro(revenue) flat { 0 CNY -> 3%; 100_000 CNY -> 5% }
            """), """
            (table payout (score) interpolate (-> 0.4 0.5) (-> 0.7 1.0) (-> below 0) (-> above 2.0))
            (table commission (revenue) marginal (-> 0CNY 3%) (-> 100000CNY 5%))
            (table retro (revenue) flat (-> 0CNY 3%) (-> 100000CNY 5%))
            """)
    }

    func testFirstTablesAndUnaryTests() {
        XCTAssertEqual(parsed("""
            table rating_band(score) first {      # decision table, first match wins
              >= 0.9 -> "S"
              < 0.1 -> "D"
              == 0.5 -> "M"
              != 0.6 -> "N"
              > 0.7 -> "A"
              <= 0.2 -> "C"
              0..<10 -> "low"
              10..20 -> "mid"
              in 20..30 -> "high"
              in ["P1", "P2", "P3"] -> 10%
              in levels -> 1
              -1 -> "minus one"
              "P5" -> 1
              else   -> "C"
            }
            table factor(level, grade) first { "P5", "S" -> 1.2; "P5", _ -> 1.1; else -> 1 }
            """), """
            (table rating_band (score) first (-> ((>= 0.9)) "S") (-> ((< 0.1)) "D") (-> ((== 0.5)) "M") (-> ((!= 0.6)) "N") (-> ((> 0.7)) "A") (-> ((<= 0.2)) "C") (-> ((..< 0 10)) "low") (-> ((.. 10 20)) "mid") (-> ((.. 20 30)) "high") (-> ((in (list "P1" "P2" "P3"))) 10%) (-> ((in levels)) 1) (-> ((- 1)) "minus one") (-> ("P5") 1) (-> else "C"))
            (table factor (level grade) first (-> ("P5" "S") 1.2) (-> ("P5" _) 1.1) (-> else 1))
            """)
    }

    func testRowAfterElseParses() {
        // A row after `else` is the checker's error: it parses, keyed `.else` first.
        let p = Syntax.parse("table r(x) first {\n  else -> 1\n  >= 2 -> 3\n}")
        XCTAssertEqual(p.errors, [])
        guard case .table(let t) = p.file.declarations.first else { return XCTFail() }
        XCTAssertEqual(t.rows.count, 2)
        guard case .else = t.rows[0].key, case .tests(let tests) = t.rows[1].key else { return XCTFail() }
        XCTAssertEqual(tests.count, 1)
    }

    func testRowsEndAtNewlinesButNotInsideBrackets() {
        XCTAssertEqual(parsed("""
            table t(x) first {
              in ["a",
                  "b"] -> f(1,
                            2)
              -1 -> 2
              _ -> 3; _ -> 4
            }
            table u(x) interpolate {
              1 -> 2
              -3 -> 4
            }
            """), """
            (table t (x) first (-> ((in (list "a" "b"))) (call f 1 2)) (-> ((- 1)) 2) (-> (_) 3) (-> (_) 4))
            (table u (x) interpolate (-> 1 2) (-> (- 3) 4))
            """)
        // A row ended by a new line before its result is an error at the end of that line.
        let p = Syntax.parse("table t(x) interpolate {\n  1 ->\n  2 -> 3\n}")
        XCTAssertEqual(p.located, ["2:7: expected an expression, found the end of the line"])
        let q = Syntax.parse("table t(x) interpolate {\n  1 -> 2 3 -> 4\n}")
        XCTAssertEqual(q.located, ["2:10: expected the end of the row (a new line or `;`), found a number"])
    }

    func testSeparatorsAreOptional() {
        XCTAssertEqual(parsed("let a = 1; let b = 2,\nlet c = 3"), "(let a 1)\n(let b 2)\n(let c 3)")
        XCTAssertEqual(parsed("incentive i { amount: 1 CNY, round: 2; cap: 5 CNY }"), "(incentive i (amount 1CNY) (round 2) (cap 5CNY))")
    }

    func testDeclarationSpans() throws {
        let text = "let a = 1\nfor person {\n  let b = 2\n}\n"
        let p = Syntax.parse(text)
        let file = SourceFile(name: "t", text: text)
        XCTAssertEqual(p.file.declarations.map { file.text(of: $0.span) }, ["let a = 1", "for person {\n  let b = 2\n}"])
        XCTAssertEqual(p.file.file, 0)
    }

    func testMisplacedDeclarations() {
        let p = Syntax.parse("""
            for person {
              table t(x) first { else -> 1 }
              func f(x) = x
              for team { let a = 1 }
              let ok = 1
            }
            key_result k { done: true }
            """)
        XCTAssertEqual(p.located, [
            "2:3: `table` declarations are allowed only at top level, not inside a `for` block",
            "3:3: `func` declarations are allowed only at top level, not inside a `for` block",
            "4:3: `for` blocks cannot be nested; put the condition in the outer block's `where`",
            "7:1: a `key_result` belongs inside an `objective` block",
        ])
        XCTAssertEqual(p.printed, "(for person (let ok 1))")
    }

    func testEmptyFileAndCommentsOnly() {
        XCTAssertEqual(Syntax.parse("").file.declarations.count, 0)
        XCTAssertEqual(Syntax.parse("").errors, [])
        XCTAssertEqual(Syntax.parse("# nothing here\n\n   \n").errors, [])
    }

    func testNodeIDsContinueAcrossFiles() {
        var bag = DiagnosticBag()
        var next: NodeID = 0
        let f1 = SourceFile(name: "a.tally", text: "let a = 1 + 2")
        let f2 = SourceFile(name: "b.tally", text: "let b = 3 * 4")
        let i1 = bag.add(file: f1), i2 = bag.add(file: f2)
        let p1 = Parser.parseFile(f1, fileIndex: i1, nextID: &next, diagnostics: &bag)
        XCTAssertEqual(next, 3)
        let p2 = Parser.parseFile(f2, fileIndex: i2, nextID: &next, diagnostics: &bag)
        XCTAssertEqual(next, 6)
        guard case .let(let a) = p1.declarations[0], case .let(let b) = p2.declarations[0] else { return XCTFail() }
        XCTAssertEqual(a.value.id, 2)
        XCTAssertEqual(b.value.id, 5)
        XCTAssertEqual(b.value.span.file, 1)
        XCTAssertEqual(p2.file, 1)
    }

    func testDiagnosticsUseTheCallersFileName() {
        var bag = DiagnosticBag()
        _ = bag.add(file: SourceFile(name: "main.tally", text: ""))
        let f = SourceFile(name: "common.tally", text: "let = 1")
        let i = bag.add(file: f)
        var next: NodeID = 0
        _ = Parser.parseFile(f, fileIndex: i, nextID: &next, diagnostics: &bag)
        XCTAssertEqual(bag.items.count, 1)
        XCTAssertEqual(bag.items[0].location?.description, "common.tally:1:5")
    }

    // MARK: - REPL input

    func interactive(_ text: String) -> (InteractiveInput, [String]) {
        let file = SourceFile(name: "<repl>", text: text)
        var bag = DiagnosticBag()
        var next: NodeID = 0
        let r = Parser.parseInteractive(file, fileIndex: 0, nextID: &next, diagnostics: &bag)
        return (r, bag.items.map(\.message))
    }

    func testInteractive() {
        guard case (.declarations(let ds), []) = interactive("let x = 2\nfunc f(a) = a") else { return XCTFail() }
        XCTAssertEqual(ds.count, 2)
        guard case (.declarations(let fs), []) = interactive("for person { let y = 1 }") else { return XCTFail() }
        XCTAssertEqual(fs.count, 1)
        guard case (.expression(let e), []) = interactive("x * 2") else { return XCTFail() }
        XCTAssertEqual(ASTPrinter.print(e), "(* x 2)")
        guard case (.expression(let c), []) = interactive("if a then b else c") else { return XCTFail() }
        XCTAssertEqual(ASTPrinter.print(c), "(if a b c)")
        guard case (.expression, let errors) = interactive("x y") else { return XCTFail() }
        XCTAssertEqual(errors.count, 1)
    }
}
