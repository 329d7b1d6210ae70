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

    /// The issue's acceptance example: the curve segment, the company
    /// factor, proration days, fte, the cap check and the rounding, each with
    /// its source line.
    func testQuarterlyBonusExplanationNamesEveryStep() throws {
        let (plan, session) = try Self.wanjiang()
        let text = try explain("people[\"E0001\"].quarterly_bonus", plan, session).renderText()
        for needle in [
            "quarterly_bonus “季度奖金” · person E0001 (肖涛) = 2649.48 CNY   [examples/wanjiang/plan.tally:212]",
            "segment 0.4 -> 0.5 .. 0.7 -> 1.0",
            "0.5 + (0.645176 − 0.4) × (1.0 − 0.5) / (0.7 − 0.4) = 0.9086266666666666666666666666666667",
            "company_factor “公司系数” · the company = 0.9   [examples/wanjiang/plan.tally:203]",
            "days_employed “在职天数” · person E0001 (肖涛) = 92   [examples/wanjiang/plan.tally:209]",
            "fte “工时比例” · person E0001 (肖涛) = 1   [examples/wanjiang/plan.tally:24]",
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

/// Regressions found by a hostile review of `tally explain`.
final class ExplainRegressionTests: XCTestCase {
    func session(_ plan: String, _ json: String) throws -> (CompiledPlan, Session) {
        let c = CompiledPlan.compile(source: plan, name: "p.tally")
        let p = try XCTUnwrap(c.plan, "\(c.diagnostics)")
        let load = p.dataset(files: [("d.json", Array(json.utf8))])
        return (p, Session(plan: p, dataset: try XCTUnwrap(load.dataset, "\(load.diagnostics)")))
    }

    static let header = "plan \"x\" { period: 2026-07-01 .. 2026-09-30  currency: CNY }\n"
    static let people = #"{"company": {}, "teams": [{"id": "t"}], "people": [{"id": "A1", "team": "t"}, {"id": "B2", "team": "t"}]}"#

    func explain(_ text: String, _ plan: CompiledPlan, _ session: Session) throws -> Explanation {
        session.explain(try XCTUnwrap(plan.expression(text).expression))
    }

    /// `^` used to recurse forever: the chain flattening took it for its own operand.
    func testPowerIsExplained() throws {
        let (p, s) = try session(Self.header + "let sq = 1.05 ^ 2 * 100\n", Self.people)
        let x = try explain("sq", p, s)
        XCTAssertEqual(x.text, "110.25")   // 1.05² = 1.1025, × 100
        XCTAssertEqual(s.verify(x), [])
        XCTAssertEqual(try explain("2^0.5", p, s).text, "1.414213562373095048801688724209698")
    }

    /// A long chain of definitions explains without recursing through all
    /// of them: past 200 they are listed by value.
    func testLongChainsStopExpanding() throws {
        var plan = Self.header + "let v0 = 1\n"
        for i in 1...1_000 { plan += "let v\(i) = v\(i - 1) + 1\n" }
        let (p, s) = try session(plan, Self.people)
        // Memoise bottom-up, so that no evaluation nests deeply.
        for i in stride(from: 100, through: 600, by: 100) { _ = try s.evaluate(try XCTUnwrap(p.expression("v\(i)").expression)) }
        let x = try explain("v600", p, s)
        XCTAssertEqual(x.text, "601")
        XCTAssertTrue(x.renderText().contains("not expanded: definitions nested more than 200 deep"))
        XCTAssertEqual(s.verify(x), [])
    }

    /// A comment in a multi-line formula must not swallow the rest of it.
    func testCommentsAreDroppedFromFormulas() throws {
        let (p, s) = try session(Self.header + "let x = 2000\n  + 500 # more\n  - 1\n", Self.people)
        let text = try explain("x", p, s).renderText()
        XCTAssertTrue(text.contains("= 2000 + 500 - 1"), text)
        XCTAssertFalse(text.contains("# more"), text)
    }

    /// People in JSON explanations are their ids, as in the result document.
    func testJSONShowsIDsNotHandles() throws {
        let (p, s) = try session(Self.header, Self.people)
        let json = try explain("people where id != \"B2\"", p, s).json().serialized()
        XCTAssertTrue(json.contains("\"A1\""), json)
        XCTAssertFalse(json.contains("person#"), json)
    }

    /// A `score:` override above its cap says so, with both numbers.
    func testScoreOverrideClampingIsStated() throws {
        let plan = Self.header + """
        objective o { key_result k { actual: 8  baseline: 0  target: 10  score: progress * 2  cap: 120% } }
        """
        let (p, s) = try session(plan, Self.people)
        let text = try explain("company.score", p, s).renderText()
        // progress 0.8, × 2 = 1.6, capped at 1.2.
        XCTAssertTrue(text.contains("score from `score:` is 1.6, above the cap 1.2: capped at 1.2"), text)
    }

    /// Why someone is not in a pool: the `among` condition, for them.
    func testPoolExclusionNamesTheCondition() throws {
        let (plan, session) = try ExplainTests.wanjiang()
        let text = try explain("people[\"E0007\"].team_award", plan, session).renderText()
        // E0007's score 0.386624 is below the 0.5 the pool requires.
        XCTAssertTrue(text.contains("among: members where score >= 0.5 and termination_date == none = false"), text)
        XCTAssertTrue(text.contains("score >= 0.5 = false"), text)
        XCTAssertTrue(text.contains("score · person E0007 (曹华杰) = 0.386624"), text)
    }

    /// A team the pool's block does not apply to has no pool: zero, said plainly.
    func testPoolOutsideItsBlockIsZero() throws {
        let (plan, session) = try ExplainTests.wanjiang()
        let text = try explain("teams[\"hr\"].team_award", plan, session).renderText()
        XCTAssertTrue(text.contains("the block declaring this pool does not apply to team hr"), text)
        XCTAssertFalse(text.contains("failed"), text)
    }

    /// Weights appear in the arithmetic of every mean.
    func testWeightsAreShown() throws {
        let (plan, session) = try ExplainTests.wanjiang()
        let text = try explain("people[\"E0001\"].score", plan, session).renderText()
        XCTAssertTrue(text.contains("score = (0.7 × 0.92168 + 0.3 × 0) / (0.7 + 0.3) = 0.645176"), text)
        XCTAssertTrue(text.contains("score = (0.8 × 1.0021 + 0.2 × 0.6) / (0.8 + 0.2) = 0.92168"), text)
    }
}
