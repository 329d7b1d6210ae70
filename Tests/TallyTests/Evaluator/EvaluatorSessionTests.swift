import Foundation
import XCTest
@testable import Tally

/// Evaluation semantics that golden files cannot express (LANGUAGE.md §3,
/// §10, §11): errors naming location and subject, laziness, memoisation,
/// determinism, concurrency, limits and cancellation, exit codes.
final class EvaluatorSessionTests: XCTestCase {
    static let plan = """
    plan "evaluator" {
      period: 2026-07-01 .. 2026-09-30
      currency: CNY
    }
    inputs person { x: number; bonus: money = 0 CNY }
    inputs company { budget: money }
    for person {
      let ratio = 1 / x
      let doubled = x * 2
    }
    let bad = 1 / 0
    let good = 2
    let total = sum(p.doubled for p in people)
    constraint "budget": sum(p.bonus for p in people) <= company.budget
    constraint "positive" for person severity warning: x > 0
    """

    static func data(people: Int, zeroAt: Int? = nil, budget: Int = 1_000_000) -> String {
        let ps = (0..<people).map { i in
            "{\"id\": \"E\(String(format: "%03d", i + 1))\", \"team\": \"t\", \"x\": \(i == zeroAt ? 0 : i + 1), \"bonus\": 10}"
        }
        return "{\"company\": {\"budget\": \(budget)}, \"teams\": [{\"id\": \"t\"}], \"people\": [\(ps.joined(separator: ","))]}"
    }

    func setUp(people: Int = 20, zeroAt: Int? = nil, budget: Int = 1_000_000) throws -> (CompiledPlan, Dataset) {
        let plan = try XCTUnwrap(Harness.plan(Self.plan, name: "eval.tally"))
        let data = try XCTUnwrap(Harness.dataset(plan, json: Self.data(people: people, zeroAt: zeroAt, budget: budget)))
        return (plan, data)
    }

    func query(_ plan: CompiledPlan, _ session: Session, _ text: String) throws -> String {
        let e = try XCTUnwrap(plan.expression(text).expression, "\(plan.expression(text).diagnostics)")
        return session.render(try session.evaluate(e))
    }

    /// A list the checker could not type (a call past its re-checking
    /// budget) is checked as it is built: one type, money of one currency,
    /// `none` among any.
    func testListsOfUnprovenTypeAreCheckedWhenBuilt() throws {
        let (plan, data) = try setUp(people: 1)
        let c = Session(plan: plan, dataset: data).evaluation
        let cny = Currency(code: "CNY")!, usd = Currency(code: "USD")!
        XCTAssertThrowsError(try ListKinds.check([.number(.one), .none, .string("a")], .synthetic, c)) { error in
            XCTAssertEqual((error as? EvaluationError)?.message, "a list holds values of one type: this is string, earlier items are number")
        }
        XCTAssertThrowsError(try ListKinds.check([.money(Money(.one, cny)), .money(Money(.one, usd))], .synthetic, c))
        XCTAssertNoThrow(try ListKinds.check([.none, .money(Money(.one, cny)), .none, .money(Money(.zero, cny))], .synthetic, c))
        XCTAssertNoThrow(try ListKinds.check([], .synthetic, c))
        // Lists of lists compare their elements' kinds.
        XCTAssertThrowsError(try ListKinds.check([.list([.number(.one)]), .list([.money(Money(.one, cny))])], .synthetic, c)) { error in
            XCTAssertEqual((error as? EvaluationError)?.message,
                           "a list holds values of one type: this is list of money (CNY), earlier items are list of number")
        }
        XCTAssertNoThrow(try ListKinds.check([.list([.none]), .list([]), .list([.number(.one)])], .synthetic, c))
    }

    /// §3: division by zero names the source location and the subject (E017).
    func testDivisionByZeroNamesLocationAndSubject() throws {
        let (plan, data) = try setUp(zeroAt: 16)
        let session = Session(plan: plan, dataset: data)
        XCTAssertEqual(try query(plan, session, #"people["E016"].ratio"#), "0.0625")  // 1 / 16
        let e = try XCTUnwrap(plan.expression(#"people["E017"].ratio"#).expression)
        XCTAssertThrowsError(try session.evaluate(e)) { error in
            let d = (error as! EvaluationFailure).diagnostic
            XCTAssertTrue(d.message.contains("person E017"), d.message)
            XCTAssertTrue(d.message.contains("division by zero"), d.message)
            // `1 / x` on line 8 of the plan, column 15.
            XCTAssertEqual(d.location, SourceLocation(file: "eval.tally", line: 8, column: 15))
        }
    }

    /// Evaluating everything reports E017's error and still computes the
    /// other people and names.
    func testOneSubjectsErrorDoesNotStopTheOthers() throws {
        let (plan, data) = try setUp(zeroAt: 16)
        let result = plan.evaluate(data)
        let errors = result.diagnostics.filter(\.isError)
        XCTAssertTrue(errors.contains { $0.message.contains("person E017") && $0.message.contains("division by zero") },
                      "\(errors.map(\.message))")
        // x = i + 1 except E017; ratio of E001 = 1
        XCTAssertEqual(result.person("E001")?["ratio"].map { CanonicalText.render($0) }, "1")
        XCTAssertEqual(result.person("E020")?["ratio"].map { CanonicalText.render($0) }, "0.05")
        XCTAssertEqual(result.company["good"].map { CanonicalText.render($0) }, "2")
    }

    /// Lazy: an erroring name that a query does not need does not matter.
    func testLazyEvaluation() throws {
        let (plan, data) = try setUp()
        let session = Session(plan: plan, dataset: data)
        XCTAssertEqual(try query(plan, session, "good"), "2")
        // doubled = 2x, x = 1..20: 2 × 210
        XCTAssertEqual(try query(plan, session, "total"), "420")
        XCTAssertThrowsError(try session.evaluate(XCTUnwrap(plan.expression("bad").expression)))
        // After the failure the session still answers.
        XCTAssertEqual(try query(plan, session, "good + 1"), "3")
    }

    /// Deterministic: the same inputs give the same outputs in the same
    /// order, across sessions and across repeated evaluations.
    func testDeterministicResults() throws {
        let (plan, data) = try setUp(people: 50)
        func snapshot(_ r: EvaluationResult) -> [String] {
            r.people.map { p in p.id + ":" + p.names.enumerated().map { "\($1)=\(p.values[$0].map { CanonicalText.render($0) } ?? "-")" }.joined(separator: ",") }
                + r.violations.map { "\($0.constraint)/\($0.subject)/\($0.severity)" }
        }
        let a = snapshot(plan.evaluate(data))
        let b = snapshot(plan.evaluate(data))
        let session = Session(plan: plan, dataset: data)
        _ = try query(plan, session, "total")  // memoise some values first
        let c = snapshot(session.results())
        XCTAssertEqual(a, b)
        XCTAssertEqual(a, c)
        // People come out in dataset order.
        XCTAssertEqual(plan.evaluate(data).people.map(\.id), (1...50).map { "E" + String(format: "%03d", $0) })
    }

    /// A compiled plan and a dataset are shared by sessions on many threads.
    func testConcurrentSessionsAgree() throws {
        let (plan, data) = try setUp(people: 200)
        let expected = try query(plan, Session(plan: plan, dataset: data), "total")
        // Σ 2x for x = 1..200 = 200 × 201
        XCTAssertEqual(expected, "40200")
        final class Results: @unchecked Sendable {
            let lock = NSLock()
            var values = Array(repeating: "", count: 8)
        }
        let results = Results()
        let e = try XCTUnwrap(plan.expression("total").expression)
        DispatchQueue.concurrentPerform(iterations: 8) { i in
            let s = Session(plan: plan, dataset: data)
            let v = (try? s.evaluate(e)).map { s.render($0) } ?? "error"
            results.lock.lock()
            results.values[i] = v
            results.lock.unlock()
        }
        XCTAssertEqual(results.values, Array(repeating: "40200", count: 8))
    }

    func testStepLimit() throws {
        let (plan, data) = try setUp(people: 200)
        let session = Session(plan: plan, dataset: data, options: EvaluationOptions(maximumSteps: 100))
        let e = try XCTUnwrap(plan.expression("total").expression)
        XCTAssertThrowsError(try session.evaluate(e)) { error in
            XCTAssertEqual((error as? EvaluationFailure)?.kind, .limit)
        }
    }

    func testCancellation() throws {
        let (plan, data) = try setUp(people: 400)
        // A 400 × 400 nested comprehension: well over 65,536 steps.
        let e = try XCTUnwrap(plan.expression("sum(sum(1 for q in people) for p in people)").expression)
        XCTAssertEqual(Session(plan: plan, dataset: data).render(try Session(plan: plan, dataset: data).evaluate(e)), "160000")
        let cancelled = Session(plan: plan, dataset: data, options: EvaluationOptions(isCancelled: { true }))
        XCTAssertThrowsError(try cancelled.evaluate(e)) { error in
            XCTAssertEqual((error as? EvaluationFailure)?.kind, .cancelled)
        }
    }

    /// §11 exit codes, through the same steps as `tally eval --print`:
    /// 0 success; 1 compile errors; 2 data or evaluation errors; 3
    /// error-severity violations; 2 wins over 3. With --print, stdout holds
    /// exactly the printed values; everything else goes to stderr.
    func testPrintExitCodesAndStreams() throws {
        let src = Array(Self.plan.utf8)
        func run(_ json: String, _ exprs: [String]) -> Harness.Run {
            Harness.evalPrint(source: src, name: "eval.tally", data: [("d.json", Array(json.utf8))], expressions: exprs)
        }
        // 20 people × bonus 10 = 200 <= 1,000,000; x > 0 for all.
        let ok = run(Self.data(people: 20), ["good", "total"])
        XCTAssertEqual(ok.code, 0, ok.stderr)
        XCTAssertEqual(ok.stdout, "2\n420\n")
        XCTAssertEqual(ok.stderr, "")
        // A warning violation (E017 has x = 0): still 0, reported on stderr only.
        let warn = run(Self.data(people: 20, zeroAt: 16), ["good"])
        XCTAssertEqual(warn.code, 0)
        XCTAssertEqual(warn.stdout, "2\n")
        XCTAssertTrue(warn.stderr.contains("positive") && warn.stderr.contains("E017"), warn.stderr)
        // An error violation: budget 100 < 200.
        let violated = run(Self.data(people: 20, budget: 100), ["good"])
        XCTAssertEqual(violated.code, 3)
        XCTAssertEqual(violated.stdout, "2\n")
        XCTAssertTrue(violated.stderr.contains("budget"), violated.stderr)
        // An evaluation error and an error violation: 2 wins over 3.
        let both = run(Self.data(people: 20, budget: 100), ["bad"])
        XCTAssertEqual(both.code, 2)
        XCTAssertEqual(both.stdout, "")
        // A compile error in the printed expression: 1.
        let compile = run(Self.data(people: 20), ["nope"])
        XCTAssertEqual(compile.code, 1)
        XCTAssertTrue(compile.stderr.contains("unknown name `nope`"), compile.stderr)
        // A data error: 2.
        let data = run(#"{"company": {}, "teams": [{"id": "t"}], "people": []}"#, ["good"])
        XCTAssertEqual(data.code, 2)
        XCTAssertTrue(data.stderr.contains("budget"), data.stderr)
    }
}
