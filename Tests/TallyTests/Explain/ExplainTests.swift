import Foundation
import XCTest
@testable import Tally

/// Explanations are faithful (every node recomputes from its children) and
/// their printed forms are pinned by reviewed golden files.
final class ExplainTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func wanjiang() throws -> (CompiledPlan, Session) {
        let dir = root.appendingPathComponent("examples/wanjiang")
        // The plan is named as the CLI would show it from the repository root.
        let plan = try XCTUnwrap(CompiledPlan.compile(
            bytes: [UInt8](try Data(contentsOf: dir.appendingPathComponent("plan.tally"))),
            name: "examples/wanjiang/plan.tally").plan)
        let data = try XCTUnwrap(plan.dataset(files: [("data.json", [UInt8](try Data(contentsOf: dir.appendingPathComponent("data.json"))))]).dataset)
        return (plan, Session(plan: plan, dataset: data))
    }

    func explain(_ text: String, _ plan: CompiledPlan, _ session: Session) throws -> Explanation {
        let e = try XCTUnwrap(plan.expression(text).expression, text)
        return session.explain(e)
    }

    /// For every person: quarterly bonus, team award and score recompute
    /// exactly from their parts, node by node.
    func testEveryWanjiangExplanationIsFaithful() throws {
        let (plan, session) = try Self.wanjiang()
        var nodes = 0
        for id in session.dataset.personIDs {
            for name in ["quarterly_bonus", "team_award", "score"] {
                let x = try explain("people[\"\(id)\"].\(name)", plan, session)
                XCTAssertNotNil(x.value, "\(id).\(name) failed")
                let problems = session.verify(x)
                XCTAssertEqual(problems, [], "\(id).\(name)")
                nodes += x.size
            }
        }
        // 300 people × 3 values, each a tree of several nodes.
        XCTAssertGreaterThan(nodes, 300 * 3 * 5)
    }

    /// The check is not vacuous: a node whose value disagrees with its
    /// children is reported.
    func testVerificationCatchesATamperedNode() throws {
        let (plan, session) = try Self.wanjiang()
        var x = try explain("people[\"E0001\"].quarterly_bonus", plan, session)
        XCTAssertEqual(session.verify(x), [])
        // The amount node (children: eligible, amount, cap): claim a different target bonus.
        x.children[0].children[1].children[0].value = .money(Money(ExactDecimal(3241), plan.info.currency))
        XCTAssertFalse(session.verify(x).isEmpty)
    }

    /// The acceptance example: the curve segment, the company
    /// factor, proration days, fte, the cap check and the rounding, each with
    /// its source line.
    func testQuarterlyBonusExplanationNamesEveryStep() throws {
        let (plan, session) = try Self.wanjiang()
        let text = try explain("people[\"E0001\"].quarterly_bonus", plan, session).renderText()
        for needle in [
            "quarterly_bonus “季度奖金” · person E0001 = 2649.48 CNY   [examples/wanjiang/plan.tally:212]",
            "segment 0.4 -> 0.5 .. 0.7 -> 1.0",
            "0.5 + (0.645176 − 0.4) × (1.0 − 0.5) / (0.7 − 0.4) = 0.9086266666666666666666666666666667",
            "company_factor “公司系数” · the company = 0.9   [examples/wanjiang/plan.tally:203]",
            "days_employed “在职天数” · person E0001 = 92   [examples/wanjiang/plan.tally:209]",
            "fte “工时比例” · person E0001 = 1   [examples/wanjiang/plan.tally:24]",
            "cap 6480.00 CNY not reached",
            "rounded half away from zero to 2 places: 2649.4776 CNY → 2649.48 CNY",
            "rounded half away from zero to 4 places: 0.9086266666666666666666666666666667 → 0.9086",
        ] {
            XCTAssertTrue(text.contains(needle), "missing: \(needle)\n\(text)")
        }
    }

    /// Golden files: reviewed by hand when first written; a change in the
    /// printed form must be reviewed again, never regenerated blindly.
    func testGoldenText() throws {
        let (plan, session) = try Self.wanjiang()
        for (expr, file, depth) in [("people[\"E0001\"].quarterly_bonus", "E0001-quarterly_bonus.txt", 4),
                                    ("people[\"E0005\"].quarterly_bonus", "E0005-quarterly_bonus.txt", 3),
                                    ("people[\"E0003\"].team_award", "E0003-team_award.txt", 2)] {
            let got = try explain(expr, plan, session).renderText(maxDepth: depth)
            let want = try String(contentsOf: Self.root.appendingPathComponent("Tests/TallyTests/Fixtures/explain/\(file)"), encoding: .utf8)
            XCTAssertEqual(got, want, file)
        }
    }

    func testGoldenJSON() throws {
        let (plan, session) = try Self.wanjiang()
        let got = try explain("people[\"E0001\"].payout_multiplier", plan, session).json(maxDepth: 3).serialized() + "\n"
        let want = try String(contentsOf: Self.root.appendingPathComponent("Tests/TallyTests/Fixtures/explain/E0001-payout_multiplier.json"), encoding: .utf8)
        XCTAssertEqual(got, want)
    }
}
