import Foundation
import XCTest
@testable import Tally

/// examples/sales-commission: marginal tiers, a flat accelerator, a quota
/// gate, a cap and a team pool. Expected values worked by hand from the
/// plan's rules (README.md) and data.json.
///   commission = marginal(2% to 500k, 4% to 1M, 6% above) + flat(0 / 1% from 1M / 2% from 1.5M),
///   0 below 60% of quota, capped at 80,000, rounded to 0.01 half away from zero.
final class ExamplesSalesCommissionTests: XCTestCase {
    nonisolated(unsafe) static var cached: Example.Loaded?
    func plan() throws -> Example.Loaded {
        if let c = Self.cached { return c }
        let l = try Example.load("sales-commission")
        Self.cached = l
        return l
    }

    func testCompilesAndEvaluatesCleanly() throws {
        let p = try plan()
        XCTAssertEqual(p.compileDiagnostics.map { $0.rendered() }, [])
        XCTAssertEqual(p.dataDiagnostics.map { $0.rendered() }, [])
        XCTAssertEqual(p.data.personCount, 20)
        let r = p.plan.evaluate(p.data)
        XCTAssertEqual(r.diagnostics.map { $0.rendered() }, [])
        XCTAssertEqual(r.violations.map(\.constraint), [])
    }

    func testCommissionsByHand() throws {
        let p = try plan()
        let cases: [(String, String)] = [
            // 500,000 × 2% + 320,000 × 4% = 10,000 + 12,800; below 1M, no accelerator
            ("N01", "22800.00 CNY"),
            // 10,000 + 500,000 × 4% = 30,000; on the 1M bound the flat bracket is 1%: + 10,000
            ("N02", "40000.00 CNY"),
            // 540,000 / 900,000 = 60% exactly: eligible; 10,000 + 40,000 × 4%
            ("N03", "11600.00 CNY"),
            // 539,910 / 900,000 = 59.99%: the quota gate
            ("N04", "0.00 CNY"),
            // 10,000 + 20,000 + 1,400,000 × 6% = 114,000; + 2% × 2,400,000 = 48,000; cap 80,000
            ("N05", "80000.00 CNY"),
            ("N06", "0.00 CNY"),
            // 10,000 + 112,345.67 × 4% = 14,493.8268 -> 14,493.83
            ("N07", "14493.83 CNY"),
            // 50% of quota
            ("S01", "0.00 CNY"),
            // 10,000 + 200,000 × 4%
            ("S02", "18000.00 CNY"),
            // 60,000 + 2% × 1,500,000 (on the 1.5M bound) = 90,000; cap 80,000
            ("S03", "80000.00 CNY"),
            // 10,000 + 20,000 + 499,999.99 × 6% = 59,999.9994; + 1% × 1,499,999.99 = 14,999.9999;
            // 74,999.9993 -> 75,000.00
            ("S04", "75000.00 CNY"),
            // 499,999.99 × 2% = 9,999.9998 -> 10,000.00
            ("S05", "10000.00 CNY"),
            // 10,000 + 0.01 × 4% = 10,000.0004 -> 10,000.00
            ("S06", "10000.00 CNY"),
            // 30,000 + 100,000 × 6% = 36,000; + 1% × 1,100,000 = 11,000
            ("S07", "47000.00 CNY"),
            // 480,000 × 2%
            ("O01", "9600.00 CNY"),
            // 240,000 / 400,000 = 60%: 240,000 × 2%
            ("O02", "4800.00 CNY"),
            // 30,000 + 0.50 × 6% = 30,000.03; + 1% × 1,000,000.50 = 10,000.005; 40,000.035 -> 40,000.04
            ("O03", "40000.04 CNY"),
            ("O04", "0.00 CNY"),
            // 450,000 × 2%
            ("O05", "9000.00 CNY"),
            // 10,000 + 277,777 × 4% = 11,111.08
            ("O06", "21111.08 CNY"),
        ]
        for (id, want) in cases { XCTAssertEqual(p.person(id, "commission"), want, id) }
        // The sum of the list above: 493,404.95
        XCTAssertEqual(p.text("total_commission"), "493404.95 CNY")
    }

    func testTablesAtTheirBounds() throws {
        let p = try plan()
        XCTAssertEqual(p.text("commission_rate(500_000 CNY)"), "10000.00 CNY")
        XCTAssertEqual(p.text("commission_rate(1_000_000 CNY)"), "30000.00 CNY")
        XCTAssertEqual(p.text("accelerator(999_999.99 CNY)"), "0.00 CNY")
        XCTAssertEqual(p.text("accelerator(1_000_000 CNY)"), "10000.00 CNY")
        XCTAssertEqual(p.text("accelerator(1_500_000 CNY)"), "30000.00 CNY")
        XCTAssertEqual(p.person("N07", "attainment"), "1.020576116666666666666666666666667")  // 612,345.67 / 600,000
    }

    /// team_bonus = 5% of (team revenue − team target), rounded to 0.01,
    /// shared among members at ≥ 100% of quota by attainment.
    func testTeamPools() throws {
        let p = try plan()
        // north: 820,000 + 1,000,000 + 540,000 + 539,910 + 2,400,000 + 0 + 612,345.67 = 5,912,255.67;
        // above 5,000,000: 912,255.67 × 5% = 45,612.7835 -> 45,612.78
        XCTAssertEqual(p.text(#"teams["north"].team_revenue"#), "5912255.67 CNY")
        XCTAssertEqual(p.text(#"teams["north"].team_bonus"#), "45612.78 CNY")
        // south: 6,149,999.99 − 6,000,000 = 149,999.99; × 5% = 7,499.9995 -> 7,500.00
        XCTAssertEqual(p.text(#"teams["south"].team_bonus"#), "7500.00 CNY")
        // online: 3,097,777.50 − 3,000,000 = 97,777.50; × 5% = 4,888.875 -> 4,888.88
        XCTAssertEqual(p.text(#"teams["online"].team_bonus"#), "4888.88 CNY")
        // online shares: O01 1.2, O03 2.50000125, O05 1, O06 1.555554 (S = 6.25555525); T = 488,888 units.
        // T·s/S = 93,783.14, 195,381.63, 78,152.61, 121,570.61: floors sum to 488,886, 2 units left,
        // to the largest remainders O03 (.63) and O05 (.61 = 0.6148… > O06's 0.6126…).
        XCTAssertEqual(p.person("O01", "team_bonus"), "937.83 CNY")
        XCTAssertEqual(p.person("O03", "team_bonus"), "1953.82 CNY")
        XCTAssertEqual(p.person("O05", "team_bonus"), "781.53 CNY")
        XCTAssertEqual(p.person("O06", "team_bonus"), "1215.70 CNY")
        // below quota: nothing
        XCTAssertEqual(p.person("O02", "team_bonus"), "0.00 CNY")
        XCTAssertEqual(p.person("N03", "team_bonus"), "0.00 CNY")
        for team in ["north", "south", "online"] {
            XCTAssertEqual(p.text("sum(m.team_bonus for m in teams[\"\(team)\"].members) == teams[\"\(team)\"].team_bonus"), "true", team)
        }
        // 45,612.78 + 7,500.00 + 4,888.88
        XCTAssertEqual(p.text("total_team_bonus"), "58001.66 CNY")
    }

    func testCLIEvalRunsCleanly() throws {
        let dir = Example.dir("sales-commission")
        for format in ["table", "json", "csv"] {
            let r = try Example.tally(["eval", "plan.tally", "--data", "data.json", "--format", format], cwd: dir)
            XCTAssertEqual(r.code, 0, "\(format): \(r.stderr)")
            XCTAssertEqual(r.stderr, "", format)
            XCTAssertFalse(r.stdout.isEmpty, format)
        }
    }
}
