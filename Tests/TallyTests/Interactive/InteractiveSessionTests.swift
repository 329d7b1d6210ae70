import XCTest
@testable import Tally

final class InteractiveSessionTests: XCTestCase {
    private let cny = Currency(code: "CNY")!
    private func money(_ s: String) -> Value { .money(Money(ExactDecimal(s)!, cny)) }

    func testDeclarationsExtendThePlanAndReplaceEarlierOnes() {
        let s = InteractiveFixture.session()
        XCTAssertTrue(InteractiveSession.isDeclaration("let x = 1"))
        XCTAssertTrue(InteractiveSession.isDeclaration("for person { let y = 2 }"))
        XCTAssertFalse(InteractiveSession.isDeclaration("x + 1"))

        var o = s.declare("let total_revenue = sum(p.revenue for p in people)")
        XCTAssertTrue(o.ok)
        XCTAssertEqual(InteractiveFixture.value(s, "total_revenue"), "2300.00 CNY")
        o = s.declare("for person {\n  let gap \"差额\" = quota - revenue\n}")
        XCTAssertTrue(o.ok)
        XCTAssertEqual(InteractiveFixture.value(s, #"people["P3"].gap"#), "1500.00 CNY")

        // The same name again replaces the earlier declaration.
        o = s.declare("let total_revenue = 1")
        XCTAssertTrue(o.ok, o.diagnostics.map { $0.rendered() }.joined())
        XCTAssertEqual(o.notes, ["replaced the earlier definition of `total_revenue`"])
        XCTAssertEqual(InteractiveFixture.value(s, "total_revenue"), "1")
        XCTAssertEqual(s.declarationCount, 2)
    }

    func testAFailingDeclarationChangesNothing() {
        let s = InteractiveFixture.session()
        XCTAssertTrue(s.declare("let a = 2").ok)
        let before = s.plan
        let o = s.declare("let b = a + \"x\"")
        XCTAssertFalse(o.ok)
        XCTAssertTrue(s.plan === before)
        let text = o.diagnostics.map { $0.rendered() }.joined(separator: "\n")
        XCTAssertTrue(text.hasPrefix("<repl>:1:9: error:"), text)
        XCTAssertTrue(text.contains("let b = a + \"x\"\n        ^"), text)
        // A clash with the plan file is an error, not a replacement.
        XCTAssertFalse(s.declare("for person { let rating = 1 }").ok)
        XCTAssertEqual(s.declarationCount, 1)
        XCTAssertEqual(InteractiveFixture.value(s, #"people["P1"].rating"#), "B")
    }

    func testWithoutAPlanFileTheSessionHasAnEmptyPlan() {
        let s = InteractiveSession(implicitYear: 2026)
        XCTAssertTrue(s.open(plan: nil, loader: nil, data: []).ok)
        XCTAssertEqual(InteractiveFixture.value(s, "0.1 + 0.2 == 0.3"), "true")
        XCTAssertEqual(InteractiveFixture.value(s, "period.days"), "365")
        XCTAssertTrue(s.declare("func double(x) = 2 * x").ok)
        XCTAssertEqual(InteractiveFixture.value(s, "double(21)"), "42")
        // A plan header typed at the prompt replaces the implicit one.
        XCTAssertTrue(s.declare("plan \"Q1\" { period: 2026-01-01 .. 2026-03-31  currency: USD }").ok)
        XCTAssertEqual(InteractiveFixture.value(s, "period.days"), "90")
        XCTAssertEqual(s.plan?.info.currency.code, "USD")
    }

    func testAPlanWithInputsButNoDataHasNoDataset() {
        let s = InteractiveSession()
        let o = s.open(plan: .init(name: "plan.tally", bytes: Array(InteractiveFixture.plan.utf8)), loader: nil, data: [])
        XCTAssertTrue(o.ok)
        XCTAssertNil(s.current)
        XCTAssertTrue(s.noDataset()[0].message.contains(":data FILE"))
    }

    func testLoadFailuresChangeNothing() {
        let s = InteractiveFixture.session()
        let plan = s.plan
        let bad = s.open(plan: .init(name: "bad.tally", bytes: Array("plan \"x\" {".utf8)), loader: nil, data: s.dataFiles)
        XCTAssertFalse(bad.ok)
        XCTAssertTrue(s.plan === plan)
        let badData = s.open(plan: s.planSource, loader: nil, data: [.init(name: "d.json", bytes: Array(#"{"people": [{"id": 1}]}"#.utf8))])
        XCTAssertFalse(badData.ok)
        XCTAssertEqual(s.dataset?.personCount, 3)
    }

    func testOverridesSetUnsetAndSurviveReloads() {
        let s = InteractiveFixture.session()
        let path = InputPath(scope: .person, id: "P1", field: "revenue")
        XCTAssertTrue(s.set(path.override(money("1200"))).ok)
        XCTAssertTrue(s.set(path.override(money("1300"))).ok)
        XCTAssertEqual(s.overrides.count, 1)
        XCTAssertEqual(InteractiveFixture.value(s, #"people["P1"].revenue"#), "1300.00 CNY")
        XCTAssertEqual(s.baseline.map { b in (try? b.evaluate(s.expression(#"people["P1"].revenue"#)!.expression!)).map(b.render) }, "800.00 CNY")

        // Wrong type, unknown subject, not an input: nothing changes.
        for bad in [path.override(.string("5")),
                    InputPath(scope: .person, id: "P9", field: "revenue").override(money("1")),
                    InputPath(scope: .person, id: "P1", field: "bonus").override(money("1"))] {
            let o = s.set(bad)
            XCTAssertFalse(o.ok)
            XCTAssertFalse(o.diagnostics.isEmpty)
        }
        XCTAssertEqual(s.overrides.count, 1)

        // Reopening the same files keeps the overrides and declarations.
        XCTAssertTrue(s.declare("let k = 7").ok)
        let o = s.open(plan: s.planSource, loader: nil, data: s.dataFiles)
        XCTAssertTrue(o.ok)
        XCTAssertEqual(InteractiveFixture.value(s, #"people["P1"].revenue"#), "1300.00 CNY")
        XCTAssertEqual(InteractiveFixture.value(s, "k"), "7")

        XCTAssertFalse(s.unset(InputPath(scope: .company, field: "budget")))
        XCTAssertTrue(s.unset(path))
        XCTAssertTrue(s.current === s.baseline)
    }

    func testOverridesThatNoLongerApplyAreDropped() {
        let s = InteractiveFixture.session()
        XCTAssertTrue(s.set(InputPath(scope: .person, id: "P3", field: "nps").override(.number(ExactDecimal(10)))).ok)
        let data = #"{"company": {"budget": 1, "defect_rate": 0}, "teams": [{"id": "t"}], "people": [{"id": "Q", "team": "t", "level": "P1", "revenue": 1, "quota": 2}]}"#
        let o = s.open(plan: s.planSource, loader: nil, data: [.init(name: "other.json", bytes: Array(data.utf8))])
        XCTAssertTrue(o.ok)
        XCTAssertEqual(o.notes, [#"dropped the override of people["P3"].nps: it no longer applies"#])
        XCTAssertTrue(s.overrides.isEmpty)
    }

    func testSolveThroughTheSession() throws {
        let s = InteractiveFixture.session()
        let target = try XCTUnwrap(s.expression(#"people["P3"].bonus"#)?.expression)
        let input = InputPath(scope: .person, id: "P3", field: "revenue")
        let report = try s.current!.solve(target: target, goal: money("1000"), input: input).get()
        XCTAssertEqual(report.solution, money("1990"))
        XCTAssertEqual(report.lines[0], #"people["P3"].revenue = 1990.00 CNY"#)
        // Check the answer by evaluating with it.
        XCTAssertTrue(s.set(input.override(report.solution!)).ok)
        XCTAssertEqual(InteractiveFixture.value(s, #"people["P3"].bonus"#), "1000.00 CNY")
        s.unsetAll()

        // The bonus is capped at 1100 CNY: 2000 CNY is out of reach.
        let capped = try s.current!.solve(target: target, goal: money("2000"), input: input).get()
        XCTAssertNil(capped.solution)
        XCTAssertEqual(capped.lines.last, #"  it stays at 1100.00 CNY from people["P3"].revenue = 2190.00 CNY up (a cap or a floor in the plan)"#)

        // A plain number for a money target is an amount in the plan
        // currency, as for :set; another currency is a mismatch.
        XCTAssertEqual(try s.current!.solve(target: target, goal: .number(ExactDecimal(1000)), input: input).get().solution, money("1990"))
        if case .failure(let f) = s.current!.solve(target: target, goal: .money(Money(.one, Currency(code: "USD")!)), input: input) {
            XCTAssertTrue(f.message.contains("but the goal 1.00 USD is money (USD)"), f.message)
        } else { XCTFail() }
        if case .failure(let f) = s.current!.solve(target: target, goal: money("1"), input: InputPath(scope: .person, id: "P3", field: "level")) {
            XCTAssertTrue(f.message.contains("is string; :solve varies a number, percent or money input"), f.message)
        } else { XCTFail() }
    }

    func testListsOfPeopleAndRecordsPrintAsTables() throws {
        let s = InteractiveFixture.session()
        let current = try XCTUnwrap(s.current)
        let people = try current.evaluate(XCTUnwrap(s.expression("people where score < 1")?.expression))
        XCTAssertEqual(current.display(people), """
        id  name  team  score  rating  bonus (CNY)  award (CNY)
        --  ----  ----  -----  ------  -----------  -----------
        P1  张三  east    0.8  B            800.00       133.33
        P3  王五  west   0.25  B            250.00       300.00
        (2 people)

        """)
        XCTAssertEqual(current.display(people, rowLimit: 1).split(separator: "\n").suffix(2), ["… and 1 more", "(2 people)"])
        let objectives = try current.evaluate(XCTUnwrap(s.expression(#"people["P1"].objectives"#)?.expression))
        XCTAssertEqual(current.display(objectives), """
        id    title  weight  score  aligned_to
        ----  -----  ------  -----  ----------
        sell  销售        1    0.8  none
        (1 row)

        """)
        XCTAssertEqual(current.display(.list([.number(.one), .string("a")])), "[1, \"a\"]\n")
        XCTAssertEqual(current.display(.string("原样")), "原样\n")
    }

    func testShowReportsOnePerson() throws {
        let s = InteractiveFixture.session()
        XCTAssertTrue(s.set(InputPath(scope: .person, id: "P1", field: "revenue").override(money("900"))).ok)
        let current = try XCTUnwrap(s.current)
        XCTAssertEqual(current.subject(named: "P1")?.scope, .person)
        XCTAssertEqual(current.subject(named: "\"east\"")?.scope, .team)
        XCTAssertEqual(current.subject(named: "company")?.scope, .company)
        XCTAssertNil(current.subject(named: "nobody"))
        XCTAssertTrue(current.suggestion(forSubject: "P11").contains("P1"))
        let (report, failures) = current.report(scope: .person, id: "P1", baseline: s.baseline, overrides: s.overrides)
        XCTAssertEqual(failures.count, 0)
        XCTAssertTrue(report.hasPrefix("person P1 张三 · team east 华东\n"), report)
        XCTAssertTrue(report.contains("revenue*  销售额    900.00 CNY  (was 800.00 CNY)"), report)
        XCTAssertTrue(report.contains("    rev                   销售额达成    100%  900.00 CNY  0.00 CNY  1000.00 CNY       0.9    0.9"), report)
        XCTAssertTrue(report.contains("rating  评级   B"), report)
        XCTAssertTrue(report.contains("  bonus  奖金    900.00 CNY"), report)
    }

    func testCompletion() {
        let s = InteractiveFixture.session()
        let c = Completer(plan: s.plan, dataset: s.dataset, commands: [":set", ":show", ":solve", ":load"])
        func complete(_ line: String) -> CompletionResult { c.complete(line, cursor: line.utf8.count) }

        XCTAssertEqual(complete(":s"), CompletionResult(start: 0, candidates: [":set", ":show", ":solve"], appendSpace: true))
        XCTAssertEqual(complete(":load ex").fileNames, true)
        XCTAssertEqual(complete(#"people[""#).candidates, [#"P1"]"#, #"P2"]"#, #"P3"]"#])
        XCTAssertEqual(complete(#"1 + teams["ea"#), CompletionResult(start: 11, candidates: [#"east"]"#]))
        XCTAssertEqual(complete(#"people["P1"].ra"#).candidates, ["rating"])
        XCTAssertEqual(complete(#"people["P1"].team.bu"#).candidates, ["budget"])
        XCTAssertEqual(complete("company.def").candidates, ["defect_rate"])
        XCTAssertEqual(complete(#"people["P1"].sell."#).candidates, ["aligned", "aligned_to", "id", "key_results", "rev", "score", "title", "weight"])
        XCTAssertEqual(complete(#"people["P1"].sell.rev.pro"#).candidates, ["progress"])
        XCTAssertEqual(complete("period.").candidates, ["days", "end", "start"])
        XCTAssertEqual(complete("sum(p.bon").candidates, ["bonus"])  // an unknown receiver: person and team names
        XCTAssertEqual(complete("rat").candidates, ["rating"])
        XCTAssertEqual(complete("peo").candidates, ["people"])
        XCTAssertEqual(complete("wh").candidates, ["where"])
        XCTAssertEqual(complete(":show P").candidates, ["P1", "P2", "P3"])
        // :set completes inputs only.
        XCTAssertEqual(complete(#":set people["P1"]."#).candidates, ["level", "nps", "quota", "revenue"])
        XCTAssertEqual(complete(":set co").candidates, ["company"])
        XCTAssertTrue(complete(#":set people["P1"].revenue = peo"#).candidates.contains("people"))
        // A declared name shows up once declared.
        XCTAssertTrue(s.declare("let zeta = 1").ok)
        XCTAssertEqual(Completer(plan: s.plan, dataset: s.dataset, commands: []).complete("ze", cursor: 2).candidates, ["zeta"])
    }

    // MARK: Cancellation and the warm-up

    /// Whether `name` (a company value) has been evaluated in `session`.
    private func evaluated(_ session: Session?, company name: String) -> Bool {
        guard let session, let slot = session.dataset.data.program.scope(.company).slotIndex[name] else { return false }
        return session.evaluation.tables[BoundData.index(.company)].state[slot] != 0
    }

    func testSetEvaluatesOnlyWhatTheOverrideReaches() {
        let s = InteractiveFixture.session()
        XCTAssertTrue(s.declare("let unrelated = count(people) * 2").ok)
        XCTAssertTrue(s.declare("let reached = sum(p.revenue for p in people)").ok)
        XCTAssertTrue(s.set(InputPath(scope: .person, id: "P1", field: "revenue").override(money("900"))).ok)
        XCTAssertTrue(evaluated(s.baseline, company: "reached"))
        XCTAssertFalse(evaluated(s.baseline, company: "unrelated"))
        XCTAssertEqual(s.diff()?.rows.map(\.change.name).contains("reached"), true)
    }

    func testAWarmUpIsAdoptedWhenDoneAndOnlyForItsBaseline() throws {
        let s = InteractiveFixture.session()
        XCTAssertTrue(s.set(InputPath(scope: .person, id: "P1", field: "revenue").override(money("900"))).ok)
        let w = try XCTUnwrap(s.warmUp())
        XCTAssertFalse(s.adopt(w), "not run yet")
        w.run()
        XCTAssertTrue(w.succeeded)
        XCTAssertTrue(s.adopt(w))
        XCTAssertTrue(s.isPrepared)
        XCTAssertTrue(s.baseline === w.session)
        XCTAssertEqual(InteractiveFixture.value(s, #"people["P1"].revenue"#), "900.00 CNY")
        XCTAssertNil(s.warmUp(), "nothing left to warm up")

        // A warm-up of an earlier baseline is not adopted.
        XCTAssertTrue(s.declare("let k = 1").ok)
        let old = try XCTUnwrap(s.warmUp())
        XCTAssertTrue(s.declare("let k = 2").ok)
        old.run()
        XCTAssertFalse(s.adopt(old))
        // Nor a cancelled one.
        let cancelled = try XCTUnwrap(s.warmUp())
        cancelled.cancel()
        let forty = InteractiveFixture.forty
        XCTAssertTrue(s.declare("let slow = sum(sum(sum(1 for a in \(forty)) for b in \(forty)) for c in \(forty))").ok)
        let stopped = try XCTUnwrap(s.warmUp(budget: 0))
        stopped.run()
        XCTAssertTrue(stopped.isDone)
        XCTAssertFalse(stopped.succeeded)
        XCTAssertFalse(s.adopt(stopped))
    }

    func testWithoutDataExpressionsThatReadNoInputStillEvaluate() throws {
        let s = InteractiveSession(implicitYear: 2026)
        XCTAssertTrue(s.open(plan: .init(name: "plan.tally", bytes: Array(InteractiveFixture.plan.utf8)), loader: nil, data: []).ok)
        XCTAssertNil(s.current, "the plan's required company inputs have no data")
        let free = try XCTUnwrap(s.sessionWithoutData)
        XCTAssertEqual(try free.evaluate(XCTUnwrap(s.expression("count(people) + 2")?.expression)), .number(ExactDecimal(2)))
        XCTAssertThrowsError(try free.evaluate(XCTUnwrap(s.expression("company.budget")?.expression))) { error in
            XCTAssertEqual((error as? EvaluationFailure)?.diagnostic.message,
                           "the company: no dataset is loaded, so the input `budget` (money) has no value")
        }
        // Once data is loaded, there is none.
        XCTAssertTrue(s.open(plan: .init(name: "plan.tally", bytes: Array(InteractiveFixture.plan.utf8)), loader: nil,
                             data: [.init(name: "data.json", bytes: Array(InteractiveFixture.data.utf8))]).ok)
        XCTAssertNil(s.sessionWithoutData)
    }

    func testAnAdoptedWarmUpStillAnswersTheHostsCancellation() throws {
        let (s, cancel) = InteractiveFixture.cancellableSession()
        let forty = InteractiveFixture.forty
        let w = try XCTUnwrap(s.warmUp())
        w.run()
        XCTAssertTrue(s.adopt(w))
        // The adopted baseline evaluates what is asked later: Ctrl-C (the
        // host's check) must stop it, as it stops any other evaluation.
        let big = try XCTUnwrap(s.expression("sum(sum(sum(1 for a in \(forty)) for b in \(forty)) for c in \(forty))")?.expression)
        cancel.on = true
        XCTAssertThrowsError(try s.current!.evaluate(big)) { error in
            XCTAssertEqual((error as? EvaluationFailure)?.kind, .cancelled)
        }
        cancel.on = false
        XCTAssertTrue(s.recoverFromCancellation())
        XCTAssertEqual(try s.current!.evaluate(big), .number(ExactDecimal(64000)))
    }

    func testACancelledEvaluationIsStartedAfresh() throws {
        let (s, cancel) = InteractiveFixture.cancellableSession()
        let forty = InteractiveFixture.forty
        XCTAssertTrue(s.declare("let big = sum(sum(sum(1 for a in \(forty)) for b in \(forty)) for c in \(forty))").ok)
        let big = try XCTUnwrap(s.expression("big")?.expression)
        // Cancelled in the baseline (no overrides): sticky until recovered.
        cancel.on = true
        XCTAssertThrowsError(try s.current!.evaluate(big))
        cancel.on = false
        XCTAssertThrowsError(try s.current!.evaluate(big), "cancellation is sticky")
        XCTAssertTrue(s.recoverFromCancellation())
        XCTAssertFalse(s.recoverFromCancellation())
        XCTAssertEqual(InteractiveFixture.value(s, "big"), "64000")

        // Cancelled in a what-if session: the override is kept.
        XCTAssertTrue(s.set(InputPath(scope: .person, id: "P1", field: "revenue").override(money("900"))).ok)
        XCTAssertTrue(s.declare("let big2 = big + sum(sum(sum(1 for a in \(forty)) for b in \(forty)) for c in \(forty))").ok)
        let big2 = try XCTUnwrap(s.expression("big2")?.expression)
        cancel.on = true
        XCTAssertThrowsError(try s.current!.evaluate(big2))
        cancel.on = false
        XCTAssertTrue(s.recoverFromCancellation())
        XCTAssertEqual(InteractiveFixture.value(s, "big2"), "128000")
        XCTAssertEqual(InteractiveFixture.value(s, #"people["P1"].revenue"#), "900.00 CNY")

        // A :set whose preparation is cancelled changes nothing.
        XCTAssertTrue(s.declare("let slowly = sum(sum(sum(1 for a in people) for b in \(forty)) for c in \(forty)) * company.defect_rate").ok)
        cancel.on = true
        let o = s.set(InputPath(scope: .company, field: "defect_rate").override(.number(ExactDecimal("0.5")!)))
        cancel.on = false
        XCTAssertTrue(o.cancelled)
        XCTAssertFalse(o.ok)
        XCTAssertEqual(s.overrides.count, 1)
        s.recoverFromCancellation()
        XCTAssertEqual(InteractiveFixture.value(s, "company.defect_rate"), "0.02")
    }
}
