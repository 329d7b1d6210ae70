import Foundation
import XCTest
@testable import Tally

/// examples/engineering-okr: aligned roll-ups (people → teams → company),
/// binary `done` key results, a decreasing key result, a `score:` override,
/// ratings. Every expected score is worked by hand from plan.tally's rules
/// and data.json.
///   person: ship = 0.8 × min(done / planned, 1.2) + 0.2 × oncall; growth = min(hours / 40, 1);
///           score = 0.7 × ship + 0.3 × growth
///   team:   stability = 0.4 × uptime + 0.4 × incidents + 0.2 × k8s;
///           delivery = 0.7 × avg(ship of members) + 0.3 × nps override; score = mean of the two
///   rating: ≥ 0.9 S, ≥ 0.7 A, ≥ 0.5 B, else C
final class ExamplesEngineeringOKRTests: XCTestCase {
    nonisolated(unsafe) static var cached: Example.Loaded?
    func okr() throws -> Example.Loaded {
        if let c = Self.cached { return c }
        let l = try Example.load("engineering-okr")
        Self.cached = l
        return l
    }

    func testCompilesAndEvaluatesCleanly() throws {
        let o = try okr()
        XCTAssertEqual(o.compileDiagnostics.map { $0.rendered() }, [])
        XCTAssertEqual(o.dataDiagnostics.map { $0.rendered() }, [])
        let r = o.plan.evaluate(o.data)
        XCTAssertEqual(r.diagnostics.map { $0.rendered() }, [])
        XCTAssertEqual(r.violations.map(\.constraint), [])
    }

    func testPeopleScoresAndRatings() throws {
        let o = try okr()
        let cases: [(String, String, String, String)] = [
            // id, ship, score, rating
            // P1 40/40 = 1, certified: 0.8 + 0.2 = 1; growth 20/40 = 0.5; 0.7 + 0.15
            ("P1", "1", "0.85", "A"),
            // P2 30/40 = 0.75: 0.6 + 0; growth 1; 0.42 + 0.3
            ("P2", "0.6", "0.72", "A"),
            // P3 50/40 = 1.25, capped 1.2: 0.96 + 0.2 = 1.16; growth 50/40 → 1; 0.812 + 0.3
            ("P3", "1.16", "1.112", "S"),
            // M1 20/40 = 0.5: 0.4 + 0.2 = 0.6; growth 0.25; 0.42 + 0.075
            ("M1", "0.6", "0.495", "C"),
            // M2 40/50 = 0.8: 0.64 + 0.2 = 0.84; growth 0.75; 0.588 + 0.225
            ("M2", "0.84", "0.813", "A"),
            ("M3", "0", "0", "C"),
            // W1 45/45: 1; growth 1
            ("W1", "1", "1", "S"),
            // W2 36/40 = 0.9: 0.72; growth 12/40 = 0.3; 0.504 + 0.09
            ("W2", "0.72", "0.594", "B"),
            // W3 60/40 = 1.5, capped 1.2: 1.16; growth 44/40 → 1
            ("W3", "1.16", "1.112", "S"),
        ]
        for (id, ship, score, rating) in cases {
            XCTAssertEqual(o.person(id, "ship.score"), ship, id)
            XCTAssertEqual(o.person(id, "score"), score, id)
            XCTAssertEqual(o.person(id, "rating"), rating, id)
        }
        XCTAssertEqual(o.person("P2", "ship.oncall.score"), "0")
        XCTAssertEqual(o.person("P3", "ship.points.progress"), "1.25")
    }

    func testTeamRollUps() throws {
        let o = try okr()
        func team(_ id: String, _ name: String) -> String { o.text("teams[\"\(id)\"].\(name)") }
        // platform: uptime (0.9995 − 0.99) / 0.009 = 1.0555… → 1; incidents (3 − 10) / (2 − 10) = 0.875; k8s 1
        XCTAssertEqual(team("platform", "stability.uptime.score"), "1")
        XCTAssertEqual(team("platform", "stability.incidents.score"), "0.875")
        // 0.4 + 0.35 + 0.2
        XCTAssertEqual(team("platform", "stability.score"), "0.95")
        // its engineers' ship scores 1, 0.6, 1.16: (2.76) / 3
        XCTAssertEqual(o.text(#"[x.score for x in teams["platform"].delivery.aligned]"#), "[1, 0.6, 1.16]")
        XCTAssertEqual(team("platform", "delivery.people.score"), "0.92")
        // NPS (44 − 20) / 30 = 0.8 < 1: override 0.8 × 0.8
        XCTAssertEqual(team("platform", "delivery.nps.progress"), "0.8")
        XCTAssertEqual(team("platform", "delivery.nps.score"), "0.64")
        // 0.7 × 0.92 + 0.3 × 0.64 = 0.644 + 0.192
        XCTAssertEqual(team("platform", "delivery.score"), "0.836")
        // 0.5 × 0.95 + 0.5 × 0.836
        XCTAssertEqual(team("platform", "score"), "0.893")
        XCTAssertEqual(team("platform", "rating"), "A")

        // mobile: uptime (0.995 − 0.99) / 0.009 = 0.5555…56 (34 digits); incidents (12 − 10) / −8 < 0 → 0;
        // not migrated → 0; 0.4 × 0.5555…56 = 0.2222…224, rounded to 34 digits 0.2222…222
        XCTAssertEqual(team("mobile", "stability.uptime.score"), "0.5555555555555555555555555555555556")
        XCTAssertEqual(team("mobile", "stability.incidents.score"), "0")
        XCTAssertEqual(team("mobile", "stability.k8s.score"), "0")
        XCTAssertEqual(team("mobile", "stability.score"), "0.2222222222222222222222222222222222")
        // ship 0.6, 0.84, 0: 1.44 / 3 = 0.48; NPS (56 − 20) / 30 = 1.2 ≥ 1: override 1.2 (cap 120%)
        XCTAssertEqual(team("mobile", "delivery.people.score"), "0.48")
        XCTAssertEqual(team("mobile", "delivery.nps.score"), "1.2")
        // 0.336 + 0.36
        XCTAssertEqual(team("mobile", "delivery.score"), "0.696")
        // 0.1111…111 + 0.348
        XCTAssertEqual(team("mobile", "score"), "0.4591111111111111111111111111111111")
        XCTAssertEqual(team("mobile", "rating"), "C")

        // web: uptime exactly on target 1; incidents 2 → 1; k8s 1: stability 1
        XCTAssertEqual(team("web", "stability.score"), "1")
        // ship 1, 0.72, 1.16: 2.88 / 3 = 0.96; NPS (35 − 20) / 30 = 0.5: 0.4; 0.672 + 0.12
        XCTAssertEqual(team("web", "delivery.score"), "0.792")
        // 0.5 + 0.396
        XCTAssertEqual(team("web", "score"), "0.896")
        XCTAssertEqual(team("web", "rating"), "A")
    }

    func testCompanyRollUp() throws {
        let o = try okr()
        // reliability: (0.95 + 0.2222…222 + 1) / 3; 0.95 + 0.2222…222 = 1.1722…222 has 35 digits,
        // rounded half-even to 1.172222222222222222222222222222222; + 1; / 3 = 0.7240740740…
        XCTAssertEqual(o.text("[o.score for o in reliability.aligned]"), "[0.95, 0.2222222222222222222222222222222222, 1]")
        XCTAssertEqual(o.text("reliability.score"), "0.724074074074074074074074074074074")
        // velocity: teams (0.836 + 0.696 + 0.792) / 3 = 2.324 / 3 = 0.77466…67; launched → 1;
        // 0.7 × 0.7746666666666666666666666666666667 + 0.3 = 0.5422666…67 + 0.3
        XCTAssertEqual(o.text("velocity.teams.score"), "0.7746666666666666666666666666666667")
        XCTAssertEqual(o.text("velocity.launch.score"), "1")
        XCTAssertEqual(o.text("velocity.score"), "0.8422666666666666666666666666666667")
        // 0.6 × 0.724074… = 0.4344444444444444444444444444444444;
        // 0.4 × 0.8422666…67 = 0.33690666…668 → 0.3369066666666666666666666666666667; sum:
        XCTAssertEqual(o.text("score"), "0.7713511111111111111111111111111111")
        XCTAssertEqual(o.text("company_rating"), "A")
    }

    func testCLIEvalRunsCleanly() throws {
        let dir = Example.dir("engineering-okr")
        for format in ["table", "json", "csv"] {
            let r = try Example.tally(["eval", "plan.tally", "--data", "data.json", "--format", format], cwd: dir)
            XCTAssertEqual(r.code, 0, "\(format): \(r.stderr)")
            XCTAssertEqual(r.stderr, "", format)
            XCTAssertFalse(r.stdout.isEmpty, format)
        }
    }
}
