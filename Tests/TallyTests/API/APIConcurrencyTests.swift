import Foundation
import XCTest
@testable import Tally
import TallyC

/// One compiled plan and dataset, evaluated from many threads at once, give
/// the same results as one thread does (the guarantee in Tally.swift and
/// tally.h).
final class APIConcurrencyTests: XCTestCase {
    static let threads = 8
    static let rounds = 12

    let expressions = [#"people["E0001"].quarterly_bonus"#, #"people["E0150"].quarterly_bonus"#,
                       "sum(p.quarterly_bonus for p in people)", "company.score",
                       "[p.id for p in people if p.score >= 0.9]"]

    func concurrently(_ body: @escaping @Sendable (Int) -> [String]) -> [[String]] {
        let results = Locked<[[String]]>(Array(repeating: [], count: Self.threads))
        DispatchQueue.concurrentPerform(iterations: Self.threads) { t in
            let out = body(t)
            results.update { $0[t] = out }
        }
        return results.value
    }

    func testSwiftAPIFromEightThreads() throws {
        let plan = APIFixtures.plan, data = APIFixtures.dataset
        let expressions = self.expressions
        let reference = plan.evaluate(data).jsonText()
        let referenceValues = try expressions.map { try plan.evaluate($0, in: data).text }
        let compiled = expressions.map { plan.expression($0).expression! }
        let outputs = concurrently { t in
            var out: [String] = []
            for round in 0..<Self.rounds {
                switch (t + round) % 3 {
                case 0:
                    out.append(plan.evaluate(data).jsonText())
                case 1:
                    // Expressions compiled concurrently, one-shot evaluations.
                    out.append(expressions.map { (try? plan.evaluate($0, in: data).text) ?? "error" }.joined(separator: "|"))
                default:
                    // One session per thread, shared compiled expressions.
                    let session = Session(plan: plan, dataset: data)
                    out.append(compiled.map { (try? session.render(session.evaluate($0))) ?? "error" }.joined(separator: "|"))
                }
            }
            return out
        }
        let joined = referenceValues.joined(separator: "|")
        for (t, out) in outputs.enumerated() {
            XCTAssertEqual(out.count, Self.rounds)
            for (round, text) in out.enumerated() {
                XCTAssertEqual(text, (t + round) % 3 == 0 ? reference : joined, "thread \(t) round \(round)")
            }
        }
    }

    func testCABIFromEightThreads() throws {
        let plan = try CABI.compilePlan()
        let data = try CABI.loadData(plan)
        defer { CABI.free(plan, tally_plan_free); CABI.free(data, tally_dataset_free) }
        let expressions = self.expressions
        let reference = try expressions.map { try CABI.evaluate(plan, data, $0) }
        let shared = try CABI.session(plan, data)
        defer { CABI.free(shared, tally_session_free) }
        let handles = CABIHandles(plan: plan, data: data, session: shared)
        let outputs = concurrently { t in
            var out: [String] = []
            for round in 0..<Self.rounds {
                for e in expressions {
                    if (t + round) % 2 == 0 {
                        out.append((try? CABI.evaluate(handles.plan, handles.data, e)) ?? "error")
                    } else {
                        // One session shared by every thread: calls are serialised.
                        out.append((try? CABI.evaluate(session: handles.session, plan: handles.plan, e)) ?? "error")
                    }
                }
            }
            return out
        }
        for out in outputs {
            XCTAssertEqual(out, Array(Array(repeating: reference, count: Self.rounds).joined()))
        }
    }
}

struct CABIHandles: @unchecked Sendable {
    let plan: OpaquePointer
    let data: OpaquePointer
    let session: OpaquePointer
}

final class Locked<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: T
    init(_ value: T) { stored = value }
    func update(_ body: (inout T) -> Void) { lock.lock(); body(&stored); lock.unlock() }
    var value: T { lock.lock(); defer { lock.unlock() }; return stored }
}
