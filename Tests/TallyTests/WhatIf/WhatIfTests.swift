import Foundation
import XCTest
@testable import Tally

/// What-if evaluation reuses a baseline's values; it must give exactly what a
/// fresh evaluation of the changed dataset gives.
final class WhatIfTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func wanjiang() throws -> (CompiledPlan, Dataset) {
        let dir = Self.root.appendingPathComponent("examples/wanjiang")
        let plan = try XCTUnwrap(CompiledPlan.compile(
            bytes: [UInt8](try Data(contentsOf: dir.appendingPathComponent("plan.tally"))), name: "plan.tally").plan)
        let data = try XCTUnwrap(plan.dataset(files: [("data.json", [UInt8](try Data(contentsOf: dir.appendingPathComponent("data.json"))))]).dataset)
        return (plan, data)
    }

    func assertSameResults(_ a: EvaluationResult, _ b: EvaluationResult, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.diagnostics.map(\.message), b.diagnostics.map(\.message), file: file, line: line)
        XCTAssertEqual(a.violations, b.violations, file: file, line: line)
        for (x, y) in zip([a.company] + a.teams + a.people, [b.company] + b.teams + b.people) {
            XCTAssertEqual(x.id, y.id, file: file, line: line)
            for (name, (u, v)) in zip(x.names, zip(x.values, y.values)) where u != v {
                XCTFail("\(x.scope.rawValue) \(x.id).\(name): incremental \(u.map { CanonicalText.render($0) } ?? "error") vs fresh \(v.map { CanonicalText.render($0) } ?? "error")", file: file, line: line)
            }
        }
    }

    func testIncrementalMatchesFreshEvaluation() throws {
        let (plan, data) = try wanjiang()
        let baseline = Session(plan: plan, dataset: data)
        _ = baseline.results()
        let overrides: [[Override]] = [
            // A sales person's revenue: their score and bonus, their team's pool, everyone's pool part.
            [Override(scope: .person, id: "E0042", field: "revenue", value: .money(Money(ExactDecimal(1_500_000), plan.info.currency)))],
            // A company input: the company score and factor, so every bonus.
            [Override(scope: .company, field: "defect_rate", value: .number(try ExactDecimal(parsing: "0.012")))],
            // Termination removes a bonus and a pool share.
            [Override(scope: .person, id: "E0003", field: "termination_date", value: .date(Day(year: 2026, month: 9, day: 1)!))],
            // Two changes at once, then a level change through a table.
            [Override(scope: .person, id: "E0100", field: "fte", value: .number(try ExactDecimal(parsing: "0.5"))),
             Override(scope: .person, id: "E0200", field: "level", value: .string("P8"))],
        ]
        for o in overrides {
            let (incremental, problems) = baseline.applying(o)
            XCTAssertEqual(problems.count, 0)
            let changed = try XCTUnwrap(data.overriding(o).0)
            assertSameResults(try XCTUnwrap(incremental).results(), Session(plan: plan, dataset: changed).results())
        }
    }

    func testChainedWhatIfsAccumulate() throws {
        let (plan, data) = try wanjiang()
        let baseline = Session(plan: plan, dataset: data)
        _ = baseline.results()
        let first = try XCTUnwrap(baseline.applying([Override(scope: .person, id: "E0001", field: "revenue",
                                                             value: .money(Money(ExactDecimal(3_000_000), plan.info.currency)))]).session)
        _ = first.results()
        let second = try XCTUnwrap(first.applying([Override(scope: .person, id: "E0002", field: "new_customers", value: .number(ExactDecimal(9)))]).session)
        let fresh = try XCTUnwrap(data.overriding([
            Override(scope: .person, id: "E0001", field: "revenue", value: .money(Money(ExactDecimal(3_000_000), plan.info.currency))),
            Override(scope: .person, id: "E0002", field: "new_customers", value: .number(ExactDecimal(9))),
        ]).0)
        assertSameResults(second.results(), Session(plan: plan, dataset: fresh).results())
    }

    func testChangesListOnlyWhatMoved() throws {
        let (plan, data) = try wanjiang()
        let baseline = Session(plan: plan, dataset: data)
        // E0001: 1,850,000 quota. Revenue 1,853,885 -> 2,775,000 (150% of quota, the cap).
        let after = try XCTUnwrap(baseline.applying([Override(scope: .person, id: "E0001", field: "revenue",
                                                             value: .money(Money(ExactDecimal(2_775_000), plan.info.currency)))]).session)
        let changes = after.changes(from: baseline)
        let names = Set(changes.filter { $0.subject == "E0001" }.map(\.name))
        XCTAssertTrue(names.isSuperset(of: ["revenue", "score", "quarterly_bonus", "payout_multiplier"]), "\(names)")
        // Nobody outside E0001's team (sales-east) gets a different bonus.
        XCTAssertFalse(changes.contains { $0.name == "quarterly_bonus" && $0.subject != "E0001" })
        // grow.rev: 1.5 (capped) instead of 1.0021: grow = 0.8·1.5 + 0.2·0.6 = 1.32 (was 0.92168);
        // score = 0.7·1.32 + 0.3·0 = 0.924 (was 0.645176), so the delta is 0.278824.
        let score = try XCTUnwrap(changes.first { $0.subject == "E0001" && $0.name == "score" })
        XCTAssertEqual(score.after, .number(try ExactDecimal(parsing: "0.924")))
        XCTAssertEqual(score.delta, .number(try ExactDecimal(parsing: "0.278824")))
    }

    /// A plain number for a money input is an amount in the plan currency
    /// (as in datasets); an input whose `inputs … where` block does not hold
    /// for the person cannot be given a value (it would never be used).
    func testOverrideAmountsAndInapplicableInputs() throws {
        let (plan, data) = try wanjiang()
        let (ok, none) = data.overriding([Override(scope: .person, id: "E0001", field: "revenue", value: .number(ExactDecimal(7)))])
        XCTAssertNotNil(ok, "\(none)")
        // E0100 is in R&D: the sales inputs do not apply to them.
        let (bad, problems) = data.overriding([Override(scope: .person, id: "E0100", field: "revenue", value: .number(ExactDecimal(7)))])
        XCTAssertNil(bad)
        XCTAssertTrue(problems.first?.message.contains("does not apply") == true, "\(problems)")
        // A sales person's required revenue cannot be removed.
        let (gone, why) = data.overriding([Override(scope: .person, id: "E0001", field: "revenue", value: .none)])
        XCTAssertNil(gone)
        XCTAssertTrue(why.first?.message.contains("required") == true, "\(why)")
        // none for an input with a default (fte = 1) is an absent field: the default.
        let half = try XCTUnwrap(data.overriding([Override(scope: .person, id: "E0001", field: "fte", value: .number(ExactDecimal(parsing: "0.5")))]).0)
        let back = try XCTUnwrap(half.overriding([Override(scope: .person, id: "E0001", field: "fte", value: .none)]).0)
        let fte = try XCTUnwrap(plan.expression(#"people["E0001"].fte"#).expression)
        XCTAssertEqual(try Session(plan: plan, dataset: half).evaluate(fte), .number(try ExactDecimal(parsing: "0.5")))
        XCTAssertEqual(try Session(plan: plan, dataset: back).evaluate(fte), .number(.one))
    }

    func testBadOverridesAreReportedTogether() throws {
        let (plan, data) = try wanjiang()
        let (result, problems) = data.overriding([
            Override(scope: .person, id: "E9999", field: "revenue", value: .number(.one)),
            Override(scope: .person, id: "E0001", field: "revenu", value: .number(.one)),
            Override(scope: .person, id: "E0001", field: "revenue", value: .string("1500000")),
            Override(scope: .person, id: "E0001", field: "base_salary", value: .none),
        ])
        XCTAssertNil(result)
        XCTAssertEqual(problems.count, 4)
        XCTAssertTrue(problems[0].message.contains("no person has id \"E9999\""))
        XCTAssertTrue(problems[1].message.contains("did you mean `revenue`?"))
        XCTAssertTrue(problems[2].message.contains("`revenue` is money, not string"), problems[2].message)
        XCTAssertTrue(problems[3].message.contains("required"))
    }
}
