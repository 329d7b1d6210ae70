import Foundation
import XCTest
@testable import Tally

/// Every limit of `EvaluationOptions` is enforced, and exceeding one is a
/// typed error, never a crash.
final class APILimitsTests: XCTestCase {
    let plan = APIFixtures.plan
    let data = APIFixtures.dataset
    /// 300 × 300 = 90,000 comprehension steps: past the 65,536-step poll.
    let heavy = "sum(count([q for q in people if q.fte > 0]) for p in people)"

    func kind(_ body: () throws -> Any) -> TallyError.Kind? {
        do { _ = try body() } catch let e as TallyError { return e.kind } catch { XCTFail("\(error)") }
        return nil
    }

    func testMaximumSteps() {
        let options = EvaluationOptions(maximumSteps: 1_000)
        XCTAssertEqual(kind { try plan.evaluate(heavy, in: data, options: options) }, .limit)
        XCTAssertEqual(kind { try plan.evaluate(data, overrides: [], options: options) }, .limit)
        XCTAssertEqual(try plan.evaluate(heavy, in: data, options: EvaluationOptions(maximumSteps: 1_000_000)),
                       APIFixtures.number("90000"))
        // The non-throwing whole-plan evaluation reports it as a diagnostic.
        let results = plan.evaluate(data, options: options)
        XCTAssertTrue(results.diagnostics.contains { $0.message.contains("limit of 1000 steps") })
    }

    func testMaximumCollectionSize() {
        let options = EvaluationOptions(maximumCollectionSize: 100)
        do throws(TallyError) {
            _ = try plan.evaluate("[p.id for p in people]", in: data, options: options)
            XCTFail("expected a limit error")
        } catch {
            XCTAssertEqual(error.kind, .limit)
            XCTAssertTrue(error.diagnostic.message.contains("a list of 300 elements exceeds the limit of 100"), error.description)
            XCTAssertEqual(error.diagnostic.location?.file, "<expr>")
        }
        XCTAssertEqual(kind { try plan.evaluate("people where fte > 0", in: data, options: options) }, .limit)
        XCTAssertEqual(kind { try plan.evaluate("[count(people), 1, 2]", in: data, options: EvaluationOptions(maximumCollectionSize: 2)) }, .limit)
        XCTAssertEqual(try plan.evaluate("count([p for p in people])", in: data,
                                         options: EvaluationOptions(maximumCollectionSize: 300)), APIFixtures.number("300"))
    }

    /// A chain of `let`s, each reading the one before: `a(n-1)` is evaluated
    /// `n` deep. `b0` reads `b1` and so on, so that evaluating the whole plan
    /// in declaration order goes `n` deep at once.
    static func chain(_ n: Int) -> CompiledPlan {
        var source = "plan \"deep\" {\n  period: 2026-07-01 .. 2026-09-30\n  currency: CNY\n}\nlet a0 = 1\n"
        for i in 1..<n { source += "let a\(i) = a\(i - 1) + 1\nlet b\(i - 1) = b\(i) + 1\n" }
        source += "let b\(n - 1) = 1\n"
        return APIFixtures.compile(source)
    }

    func testMaximumDepth() throws {
        let plan = Self.chain(300)
        let data = try XCTUnwrap(plan.dataset(json: Array(#"{"company": {}}"#.utf8)).dataset)
        XCTAssertEqual(kind { try plan.evaluate("a299", in: data, options: EvaluationOptions(maximumDepth: 100)) }, .limit)
        XCTAssertEqual(kind { try plan.evaluate(data, overrides: [], options: EvaluationOptions(maximumDepth: 100)) }, .limit)
        XCTAssertEqual(try plan.evaluate("a299", in: data), APIFixtures.number("300"))
    }

    /// However small the thread's stack, a deep plan is a limit error, not
    /// a crash: 1,000 levels need far more than 1 MiB in a
    /// debug build, and the evaluation stops before the stack runs out.
    func testDeepPlanOnASmallStackIsALimitNotACrash() throws {
        let plan = Self.chain(1_000)
        let data = try XCTUnwrap(plan.dataset(json: Array(#"{"company": {}}"#.utf8)).dataset)
        for stack in [512 << 10, 1 << 20] {
            nonisolated(unsafe) var outcome: (TallyError.Kind?, Value?) = (nil, nil)
            let done = DispatchSemaphore(value: 0)
            let thread = Thread {
                do throws(TallyError) { outcome.1 = try plan.evaluate("a999", in: data) } catch { outcome.0 = error.kind }
                do throws(TallyError) { outcome.1 = try plan.evaluate("a10", in: data) } catch { outcome.0 = error.kind }
                done.signal()
            }
            thread.stackSize = stack
            thread.start()
            done.wait()
            XCTAssertEqual(outcome.0, .limit, "stack \(stack)")
            XCTAssertEqual(outcome.1, APIFixtures.number("11"), "stack \(stack)")
        }
    }

    func testCancellation() throws {
        let calls = Counter()
        let options = EvaluationOptions(isCancelled: { calls.increment(); return true })
        XCTAssertEqual(kind { try plan.evaluate(heavy, in: data, options: options) }, .cancelled)
        XCTAssertEqual(calls.value, 1)
        // Sticky: once cancelled, the whole-plan evaluation stops at once.
        let wholeCalls = Counter()
        let whole = EvaluationOptions(isCancelled: { wholeCalls.increment(); return true })
        let heavyPlan = APIFixtures.compile(APIFixtures.smallSource + "\nlet heavy = sum(count([q for q in people]) for p in people)\n")
        let people = (0..<300).map { i -> [String: Value] in
            ["id": .string("E\(i)"), "team": .string("t"), "level": .string("P1"), "base_salary": APIFixtures.money("1"),
             "hire_date": .date(Day(year: 2024, month: 1, day: 1)!), "rate": APIFixtures.number("1")]
        }
        let heavyData = try XCTUnwrap(heavyPlan.dataset(company: ["budget": APIFixtures.number("1")],
                                                        teams: [["id": .string("t")]], people: people).dataset)
        XCTAssertEqual(kind { try heavyPlan.evaluate(heavyData, overrides: [], options: whole) }, .cancelled)
        XCTAssertEqual(wholeCalls.value, 1)
        // A session reports it as an EvaluationFailure of kind cancelled.
        let session = Session(plan: plan, dataset: data, options: options)
        let expr = try XCTUnwrap(plan.expression(heavy).expression)
        XCTAssertThrowsError(try session.evaluate(expr)) { error in
            XCTAssertEqual((error as! EvaluationFailure).kind, .cancelled)
        }
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}
