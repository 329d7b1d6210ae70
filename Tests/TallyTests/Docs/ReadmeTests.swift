import Foundation
import XCTest
@testable import Tally

/// The README's language tour is a working plan.
final class DocsReadmeTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func testTheTourCompilesAndComputesWhatItSays() throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        let start = try XCTUnwrap(readme.range(of: "```tally\n"))
        let end = try XCTUnwrap(readme.range(of: "```", range: start.upperBound..<readme.endIndex))
        let tour = String(readme[start.upperBound..<end.lowerBound])
        XCTAssertLessThanOrEqual(tour.split(separator: "\n").count, 25, "the tour should stay short")
        let compilation = CompiledPlan.compile(source: tour, name: "README.md")
        XCTAssertEqual(compilation.diagnostics.map(\.description), [])
        let plan = try XCTUnwrap(compilation.plan)
        let data = try Data(contentsOf: Self.root.appendingPathComponent("examples/wanjiang/data.json"))
        let dataset = try XCTUnwrap(plan.dataset(files: [("data.json", [UInt8](data))]).dataset)
        let session = Session(plan: plan, dataset: dataset)
        // E0001: P2, base 10,800, revenue 1,853,885 of quota 1,850,000, no NPS survey.
        // grow: rev = 1853885 / 1850000 = 1.0021 (cap 1.5); service: (20 − 20) / 30 = 0.
        // score = 0.7 × 1.0021 + 0.3 × 0 = 0.70147.
        // payout(0.70147) = 1.0 + (0.70147 − 0.7) × (1.5 − 1.0) / (1.0 − 0.7) = 1.00245.
        // bonus = 10800 × 3 × 10% × 1.00245 × 1 = 3247.938 → 3247.94 CNY.
        let score = try XCTUnwrap(plan.expression("people[\"E0001\"].score").expression)
        XCTAssertEqual(session.render(try session.evaluate(score)), "0.70147")
        let bonus = try XCTUnwrap(plan.expression("people[\"E0001\"].bonus").expression)
        XCTAssertEqual(session.render(try session.evaluate(bonus)), "3247.94 CNY")
        // People outside sales have no bonus from this tour: zero, not an error.
        let rnd = try XCTUnwrap(plan.expression("people[\"E0100\"].bonus").expression)
        XCTAssertEqual(session.render(try session.evaluate(rnd)), "0.00 CNY")
    }
}
