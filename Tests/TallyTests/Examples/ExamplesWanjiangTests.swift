import Foundation
import XCTest
@testable import Tally

/// examples/wanjiang: plan.tally encodes POLICY.md; every expected value
/// below is worked by hand from POLICY.md and data.json (arithmetic in the
/// comments), never copied from Tally's output.
final class ExamplesWanjiangTests: XCTestCase {
    nonisolated(unsafe) static var cached: Example.Loaded?
    func wanjiang() throws -> Example.Loaded {
        if let c = Self.cached { return c }
        let l = try Example.load("wanjiang")
        Self.cached = l
        return l
    }

    func testCompilesWithNoErrorsOrWarnings() throws {
        let w = try wanjiang()
        XCTAssertEqual(w.compileDiagnostics.map { $0.rendered() }, [])
        XCTAssertEqual(w.plan.warnings.map { $0.rendered() }, [])
    }

    func testDataLoadsAndEvaluatesWithoutErrors() throws {
        let w = try wanjiang()
        XCTAssertEqual(w.dataDiagnostics.filter(\.isError).map { $0.rendered() }, [])
        XCTAssertEqual(w.data.personCount, 300)
        XCTAssertEqual(w.data.teamCount, 13)
        let r = w.plan.evaluate(w.data)
        XCTAssertEqual(r.diagnostics.filter(\.isError).map { $0.rendered() }, [])
        // Every person has every value of the policy.
        for p in r.people {
            for name in ["score", "rating", "payout_multiplier", "days_employed", "quarterly_bonus", "team_award"] {
                XCTAssertNotNil(p[name], "\(p.id).\(name)")
            }
        }
    }

    /// The same evaluation from the three CSV files: every value of every
    /// subject identical.
    func testCSVFilesGiveIdenticalResults() throws {
        let w = try wanjiang()
        let csv = try Example.load("wanjiang", files: ["company.csv", "teams.csv", "people.csv"])
        XCTAssertEqual(csv.dataDiagnostics.filter(\.isError).map { $0.rendered() }, [])
        let a = Example.snapshot(w.plan.evaluate(w.data))
        let b = Example.snapshot(csv.plan.evaluate(csv.data))
        XCTAssertEqual(a.count, b.count)
        XCTAssertGreaterThan(a.count, 300 * 6)
        for (x, y) in zip(a, b) where x != y { XCTFail("json: \(x)\ncsv:  \(y)") }
    }

    // MARK: Company

    /// market: revenue (112.4M − 100M) / 20M = 0.62; share (0.091 − 0.08) / 0.02 = 0.55;
    ///   0.6 × 0.62 + 0.4 × 0.55 = 0.372 + 0.22 = 0.592.
    /// quality: defects (0.0142 − 0.025) / (0.01 − 0.025) = 0.0108 / 0.015 = 0.72;
    ///   satisfaction (0.868 − 0.8) / 0.1 = 0.68; 0.7 × 0.72 + 0.3 × 0.68 = 0.504 + 0.204 = 0.708.
    /// company score = 0.5 × 0.592 + 0.5 × 0.708 = 0.65.
    /// factor: between (0.5, 0.8) and (0.8, 1.0): 0.8 + 0.15 × 0.2 / 0.3 = 0.9.
    func testCompanyScoreAndFactor() throws {
        let w = try wanjiang()
        XCTAssertEqual(w.text("market.revenue.score"), "0.62")
        XCTAssertEqual(w.text("market.share.score"), "0.55")
        XCTAssertEqual(w.text("market.score"), "0.592")
        XCTAssertEqual(w.text("quality.defects.score"), "0.72")
        XCTAssertEqual(w.text("quality.satisfaction.score"), "0.68")
        XCTAssertEqual(w.text("quality.score"), "0.708")
        XCTAssertEqual(w.text("company.score"), "0.65")
        XCTAssertEqual(w.text("company_factor"), "0.9")
    }

    // MARK: People, by hand from POLICY.md

    /// E0001 肖涛, sales-east, P2, base 10800, no nps survey, hired 2024:
    /// rev 1,853,885 / 1,850,000 = 1.0021 (≤ 150%); new 3 / 5 = 0.6;
    /// grow = 0.8 × 1.0021 + 0.2 × 0.6 = 0.80168 + 0.12 = 0.92168;
    /// service: nps absent counts as 20 → (20 − 20) / 30 = 0;
    /// score = 0.7 × 0.92168 + 0.3 × 0 = 0.645176 → rating B.
    /// multiplier = 0.5 + (0.645176 − 0.4) × 0.5 / 0.3 = 0.5 + 0.40862666… = 0.9086 (4 places).
    /// days 92; target = 10800 × 3 × 10% = 3240;
    /// bonus = 3240 × 0.9086 × 0.9 × 1 × 92 / 92 = 2649.4776 → 2649.48 (cap 6480).
    func testSalesPersonWithoutNPS() throws {
        let w = try wanjiang()
        XCTAssertEqual(w.person("E0001", "nps"), "none")
        XCTAssertEqual(w.person("E0001", "grow.rev.score"), "1.0021")
        XCTAssertEqual(w.person("E0001", "grow.score"), "0.92168")
        XCTAssertEqual(w.person("E0001", "service.score"), "0")
        XCTAssertEqual(w.person("E0001", "score"), "0.645176")
        XCTAssertEqual(w.person("E0001", "rating"), "B")
        XCTAssertEqual(w.person("E0001", "payout_multiplier"), "0.9086")
        XCTAssertEqual(w.person("E0001", "days_employed"), "92")
        XCTAssertEqual(w.person("E0001", "target_bonus"), "3240.00 CNY")
        XCTAssertEqual(w.person("E0001", "quarterly_bonus"), "2649.48 CNY")
    }

    /// E0082 何霞红, rnd-product, P4, base 19700, 1 patent (a done key result):
    /// milestones 7 / 8 = 0.875 = deliver;
    /// escapes (0.016 − 0.05) / (0.01 − 0.05) = 0.034 / 0.04 = 0.85; patent done → 1;
    /// quality = 0.6 × 0.85 + 0.4 × 1 = 0.91;
    /// score = 0.6 × 0.875 + 0.4 × 0.91 = 0.525 + 0.364 = 0.889 → A.
    /// multiplier = 1.0 + (0.889 − 0.7) × 0.5 / 0.3 = 1 + 0.315 = 1.315.
    /// target = 19700 × 3 × 15% = 8865; bonus = 8865 × 1.315 × 0.9 = 10491.7275 → 10491.73.
    func testRnDPersonWithPatent() throws {
        let w = try wanjiang()
        XCTAssertEqual(w.person("E0082", "quality.patent.score"), "1")
        XCTAssertEqual(w.person("E0082", "quality.patent.progress"), "1")
        XCTAssertEqual(w.person("E0082", "quality.escapes.score"), "0.85")
        XCTAssertEqual(w.person("E0082", "quality.score"), "0.91")
        XCTAssertEqual(w.person("E0082", "score"), "0.889")
        XCTAssertEqual(w.person("E0082", "rating"), "A")
        XCTAssertEqual(w.person("E0082", "payout_multiplier"), "1.315")
        XCTAssertEqual(w.person("E0082", "days_employed"), "92")
        XCTAssertEqual(w.person("E0082", "quarterly_bonus"), "10491.73 CNY")
        XCTAssertEqual(w.person("E0082", "team_award"), "0.00 CNY")
    }

    /// E0165 朱芬桂, prod-line1, P4, base 15200, output above the 120% cap:
    /// units 17461 / 14400 = 1.2126 → 1.2; defects (0.0293 − 0.03) / (0.01 − 0.03) = 0.035;
    /// on_time (0.871 − 0.85) / 0.13 = 0.021 / 0.13 = 0.1615384615384615384615384615384615 (34 digits);
    /// quality = 0.6 × 0.035 + 0.4 × that = 0.021 + 0.0646153846153846153846153846153846
    ///         = 0.0856153846153846153846153846153846;
    /// score = 0.5 × 1.2 + 0.5 × quality = 0.6 + 0.0428076923076923076923076923076923 → B.
    /// multiplier = 0.5 + (0.6428076923… − 0.4) × 0.5 / 0.3 = 0.9046794871… → 0.9047.
    /// target = 15200 × 3 × 15% = 6840; bonus = 6840 × 0.9047 × 0.9 = 5569.3332 → 5569.33.
    func testProductionPersonAboveOutputCap() throws {
        let w = try wanjiang()
        XCTAssertEqual(w.person("E0165", "output.units.progress"), "1.212569444444444444444444444444444")
        XCTAssertEqual(w.person("E0165", "output.units.score"), "1.2")
        XCTAssertEqual(w.person("E0165", "quality.defects.score"), "0.035")
        XCTAssertEqual(w.person("E0165", "quality.on_time.score"), "0.1615384615384615384615384615384615")
        XCTAssertEqual(w.person("E0165", "score"), "0.6428076923076923076923076923076923")
        XCTAssertEqual(w.person("E0165", "rating"), "B")
        XCTAssertEqual(w.person("E0165", "payout_multiplier"), "0.9047")
        XCTAssertEqual(w.person("E0165", "quarterly_bonus"), "5569.33 CNY")
    }

    /// E0127 李艳, rnd-process, P7, base 38400, hired 2026-07-14 (a new hire
    /// inside the quarter): days = 18 (Jul 14–31) + 31 + 30 = 79.
    /// milestones 6 / 5 = 1.2 → 1; escapes (0.013 − 0.05) / −0.04 = 0.925; no patent → 0;
    /// quality = 0.6 × 0.925 = 0.555; score = 0.6 × 1 + 0.4 × 0.555 = 0.822 → A.
    /// multiplier = 1 + 0.122 × 0.5 / 0.3 = 1.20333… → 1.2033.
    /// target = 38400 × 3 × 20% = 23040;
    /// bonus = 23040 × 1.2033 × 0.9 × 1 × 79 / 92 = 24951.6288 × 79 / 92 = 1971178.6752 / 92
    ///       = 21425.8551652… → 21425.86.
    func testNewHireIsProrated() throws {
        let w = try wanjiang()
        XCTAssertEqual(w.person("E0127", "days_employed"), "79")
        XCTAssertEqual(w.person("E0127", "score"), "0.822")
        XCTAssertEqual(w.person("E0127", "rating"), "A")
        XCTAssertEqual(w.person("E0127", "payout_multiplier"), "1.2033")
        XCTAssertEqual(w.person("E0127", "quarterly_bonus"), "21425.86 CNY")
    }

    /// E0254 杨俊桂, quality, P3, base 11500, hired 2026-08-15: days 17 + 30 = 47 ≥ 30.
    /// tasks 28 / 27 → 1; satisfaction (4.8 − 3.0) / 1.5 = 1.2 → 1; score = 1 → S;
    /// multiplier at the point 1.0 → 1.5; target = 11500 × 3 × 10% = 3450;
    /// bonus = 3450 × 1.5 × 0.9 × 47 / 92 = 218902.5 / 92 = 2379.375 → 2379.38 (half away from zero).
    func testNewHireWithHalfCentBonus() throws {
        let w = try wanjiang()
        XCTAssertEqual(w.person("E0254", "days_employed"), "47")
        XCTAssertEqual(w.person("E0254", "score"), "1")
        XCTAssertEqual(w.person("E0254", "rating"), "S")
        XCTAssertEqual(w.person("E0254", "payout_multiplier"), "1.5")
        XCTAssertEqual(w.person("E0254", "quarterly_bonus"), "2379.38 CNY")
    }

    /// E0005 李军, sales-east, P4, terminated 2026-09-27: not eligible, bonus 0,
    /// and no share of the team award. Score still computed:
    /// rev 1,268,146 / 1,180,000 = 1.0747; new 7 / 5 → 1; grow = 0.8 × 1.0747 + 0.2 = 1.05976;
    /// nps (69 − 20) / 30 → 1; score = 0.7 × 1.05976 + 0.3 = 1.041832 → S;
    /// multiplier = 1.5 + 0.041832 × 0.5 / 0.2 = 1.60458 → 1.6046; days = 31 + 31 + 27 = 89.
    func testTerminatedPersonGetsZero() throws {
        let w = try wanjiang()
        XCTAssertEqual(w.person("E0005", "score"), "1.041832")
        XCTAssertEqual(w.person("E0005", "rating"), "S")
        XCTAssertEqual(w.person("E0005", "payout_multiplier"), "1.6046")
        XCTAssertEqual(w.person("E0005", "days_employed"), "89")
        XCTAssertEqual(w.person("E0005", "quarterly_bonus"), "0.00 CNY")
        XCTAssertEqual(w.person("E0005", "team_award"), "0.00 CNY")
    }

    /// E0012 黄静敏, sales-east, P3, base 13200, fte 0.5:
    /// rev 1,353,560 / 1,370,000 = 0.988; new 7 / 5 → 1; grow = 0.7904 + 0.2 = 0.9904;
    /// nps (15 − 20) / 30 < 0 → 0; score = 0.7 × 0.9904 = 0.69328 → B (below 0.7).
    /// multiplier = 0.5 + 0.29328 × 0.5 / 0.3 = 0.5 + 0.4888 = 0.9888.
    /// target = 13200 × 3 × 10% = 3960; bonus = 3960 × 0.9888 × 0.9 × 0.5 × 92 / 92 = 1762.0416 → 1762.04.
    func testPartTimer() throws {
        let w = try wanjiang()
        XCTAssertEqual(w.person("E0012", "fte"), "0.5")
        XCTAssertEqual(w.person("E0012", "score"), "0.69328")
        XCTAssertEqual(w.person("E0012", "rating"), "B")
        XCTAssertEqual(w.person("E0012", "payout_multiplier"), "0.9888")
        XCTAssertEqual(w.person("E0012", "quarterly_bonus"), "1762.04 CNY")
    }

    /// A person who was not surveyed defaults fte to 1 (POLICY: "fte (default 1)").
    func testDefaultFTE() throws {
        XCTAssertEqual(try wanjiang().person("E0001", "fte"), "1")
    }

    // MARK: Team award

    /// Each team below `sales` pools 2% of Σ max(0, revenue − quota) over its
    /// direct members, rounded to 0.01 (computed here from data.json with
    /// Foundation Decimal); the parts add up to it exactly; only members
    /// with score ≥ 0.5 and no termination date share; everyone else gets 0.
    func testSalesTeamAwards() throws {
        let w = try wanjiang()
        let raw = try Example.rawPeople("wanjiang")
        // Hand check of one total: sales-east's over-quota sum is 2,898,909; × 2% = 57978.18.
        XCTAssertEqual(w.text(#"teams["sales-east"].team_award"#), "57978.18 CNY")
        for team in ["sales-east", "sales-central", "sales-online"] {
            let members = raw.filter { $0["team"] as? String == team }
            var over = Decimal(0)
            for m in members {
                let d = Example.decimal(m["revenue"]) - Example.decimal(m["quota"])
                if d > 0 { over += d }
            }
            var total = over * Decimal(string: "0.02")!
            var rounded = Decimal()
            NSDecimalRound(&rounded, &total, 2, .plain)
            let want = String(format: "%.2f", NSDecimalNumber(decimal: rounded).doubleValue) + " CNY"
            XCTAssertEqual(w.text("teams[\"\(team)\"].team_award"), want, team)
            XCTAssertEqual(w.text("sum(m.team_award for m in teams[\"\(team)\"].members) == teams[\"\(team)\"].team_award"), "true", team)
            // Shares: only eligible members; each part is ⌊T·s/S⌋ or one unit more.
            let eligible = Set(w.text("[m.id for m in teams[\"\(team)\"].members where score >= 0.5 and termination_date == none]")
                .trimmingCharacters(in: CharacterSet(charactersIn: "[]")).split(separator: ",")
                .map { $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) })
            let units = NSDecimalNumber(decimal: rounded * 100).doubleValue
            var weights: [String: Double] = [:]
            for m in members {
                let id = m["id"] as! String
                let score = Double(w.person(id, "score"))!
                let fte = Double(w.person(id, "fte"))!
                let isEligible = score >= 0.5 && m["termination_date"] == nil
                XCTAssertEqual(eligible.contains(id), isEligible, id)
                if isEligible { weights[id] = score * fte }
            }
            let sumW = weights.values.reduce(0, +)
            for m in members {
                let id = m["id"] as! String
                let award = w.person(id, "team_award")
                guard let share = weights[id] else {
                    XCTAssertEqual(award, "0.00 CNY", id)
                    continue
                }
                let paid = (Double(award.replacingOccurrences(of: " CNY", with: ""))! * 100).rounded()
                let exact = units * share / sumW
                // ⌊T·s/S⌋ or one more (a 1e-6 unit tolerance for Double).
                XCTAssertTrue(paid >= (exact - 1e-6).rounded(.down) && paid <= (exact + 1e-6).rounded(.down) + 1,
                              "\(id): paid \(paid) units, proportional \(exact)")
            }
        }
        // `sales` itself has no pool instance: its field is zero.
        XCTAssertEqual(w.text(#"teams["sales"].team_award"#), "0.00 CNY")
        // Nobody outside sales gets a team award.
        XCTAssertEqual(w.text(#"sum(p.team_award for p in people where not ("sales" in team.path))"#), "0.00 CNY")
    }

    /// The error constraint 奖金总额不超过预算 holds: total bonuses plus
    /// team awards are within the 3,000,000 CNY budget; the only violations
    /// are training-hour warnings, for exactly the people below 16 hours.
    func testBudgetConstraintHoldsAndViolationsAreTrainingWarnings() throws {
        let w = try wanjiang()
        XCTAssertEqual(w.text("sum(p.quarterly_bonus for p in people) + sum(p.team_award for p in people) <= company.bonus_budget"), "true")
        let violations = try w.session.violations()
        XCTAssertFalse(violations.contains { $0.constraint == "奖金总额不超过预算" })
        let raw = try Example.rawPeople("wanjiang")
        let lowTraining = raw.filter { Example.decimal($0["training_hours"]) < 16 }.map { $0["id"] as! String }
        XCTAssertEqual(violations.map(\.subject), lowTraining)
        XCTAssertTrue(violations.allSatisfy { $0.severity == .warning && $0.constraint == "持续培训：每人至少 16 小时" })
    }

    /// Team awards are paid exactly: their sum over people equals the sum
    /// of the three team totals (hand sum: 57978.18 + 144796.70 + 52389.44).
    func testTeamAwardTotal() throws {
        let w = try wanjiang()
        XCTAssertEqual(w.text("sum(p.team_award for p in people)"), "255164.32 CNY")
        XCTAssertEqual(w.text("sum(t.team_award for t in teams)"), "255164.32 CNY")
    }

    /// Nobody above the cap: every bonus ≤ 2 × target bonus, and zero for
    /// anyone with a termination date or under 30 days.
    func testPolicyInvariantsForEveryone() throws {
        let w = try wanjiang()
        XCTAssertEqual(w.text("all(p.quarterly_bonus <= 2 * p.target_bonus for p in people)"), "true")
        XCTAssertEqual(w.text("all(p.quarterly_bonus == 0 CNY for p in people where termination_date != none or days_employed < 30)"), "true")
        XCTAssertEqual(w.text("all(p.quarterly_bonus >= 0 CNY for p in people)"), "true")
        // Ratings follow the bands.
        XCTAssertEqual(w.text(#"all((p.rating == "S") == (p.score >= 0.9) for p in people)"#), "true")
        XCTAssertEqual(w.text(#"all((p.rating == "C") == (p.score < 0.5) for p in people)"#), "true")
    }

    /// The issue's acceptance runs: the CLI prints a CNY total with --print,
    /// and JSON and CSV data give the same stdout.
    func testCLIRunsFromJSONAndCSV() throws {
        let dir = Example.dir("wanjiang")
        let expr = "sum(p.quarterly_bonus for p in people)"
        let a = try Example.tally(["eval", "plan.tally", "--data", "data.json", "--print", expr], cwd: dir)
        let b = try Example.tally(["eval", "plan.tally", "--data", "company.csv", "--data", "teams.csv", "--data", "people.csv", "--print", expr], cwd: dir)
        XCTAssertEqual(a.code, 0, a.stderr)
        XCTAssertEqual(b.code, 0, b.stderr)
        XCTAssertTrue(a.stdout.hasSuffix(" CNY\n") && a.stdout.split(separator: "\n").count == 1, a.stdout)
        XCTAssertEqual(a.stdout, b.stdout)
        let tableA = try Example.tally(["eval", "plan.tally", "--data", "data.json"], cwd: dir)
        let tableB = try Example.tally(["eval", "plan.tally", "--data", "company.csv", "--data", "teams.csv", "--data", "people.csv"], cwd: dir)
        XCTAssertEqual(tableA.code, 0)
        XCTAssertEqual(tableA.stdout, tableB.stdout)
    }
}
