import XCTest
@testable import Tally

final class APIEvaluationTests: XCTestCase {
    let plan = APIFixtures.plan
    let data = APIFixtures.dataset

    func testWholePlanResultsWithAccessors() throws {
        let results = plan.evaluate(data)
        XCTAssertFalse(results.hasErrors)
        XCTAssertEqual(results.people.count, 300)
        XCTAssertEqual(results.people.map(\.id), data.personIDs, "dataset order")
        let bonus = try XCTUnwrap(results.person("E0001")?["quarterly_bonus"])
        XCTAssertEqual(bonus, APIFixtures.money("2649.48"))
        XCTAssertEqual(bonus.money?.amount.description, "2649.48")
        XCTAssertEqual(bonus.money?.currency.code, "CNY")
        XCTAssertEqual(bonus.text, "2649.48 CNY")
        XCTAssertNil(bonus.decimal)
        XCTAssertEqual(results.company["score"]?.decimal, ExactDecimal("0.65"))
        XCTAssertEqual(results.person("E0001")?["level"]?.string, results.person("E0001")?["level"]?.text)
        XCTAssertNil(results.person("nobody"))
    }

    func testOneExpressionMatchesTheWholePlan() throws {
        let results = plan.evaluate(data)
        for id in ["E0001", "E0002", "E0003", "E0150"] {
            XCTAssertEqual(try plan.evaluate(#"people["\#(id)"].quarterly_bonus"#, in: data),
                           results.person(id)?["quarterly_bonus"])
        }
        let compiled = try XCTUnwrap(plan.expression("[p.id for p in people if p.quarterly_bonus > 20000 CNY]").expression)
        let ids = try plan.evaluate(compiled, in: data)
        XCTAssertEqual(ids.list?.first?.string.map { $0.hasPrefix("E") }, true, "people come back as id strings")
    }

    func testOverridesAreWhatIfs() throws {
        let base = try plan.evaluate(#"people["E0001"].quarterly_bonus"#, in: data)
        let override = Override(scope: .person, id: "E0001", field: "revenue", value: APIFixtures.money("2500000"))
        let changed = try plan.evaluate(#"people["E0001"].quarterly_bonus"#, in: data, overrides: [override])
        XCTAssertNotEqual(base, changed)
        XCTAssertEqual(changed.text, "3600.09 CNY")
        let whole = try plan.evaluate(data, overrides: [override])
        XCTAssertEqual(whole.person("E0001")?["quarterly_bonus"], changed)
        XCTAssertEqual(try plan.evaluate(#"people["E0001"].quarterly_bonus"#, in: data), base, "the dataset is unchanged")
    }

    func testBadOverridesThrowDataErrorsListingEveryProblem() {
        let overrides = [Override(scope: .person, id: "NOPE", field: "revenue", value: APIFixtures.money("1")),
                         Override(scope: .person, id: "E0001", field: "revenu", value: APIFixtures.money("1")),
                         Override(scope: .company, field: "revenue", value: APIFixtures.number("1"))]
        XCTAssertThrowsError(try plan.evaluate(data, overrides: overrides)) { error in
            let e = error as! TallyError
            XCTAssertEqual(e.kind, .data)
            XCTAssertEqual(e.diagnostics.count, 3, e.description)
            XCTAssertTrue(e.description.contains("did you mean `revenue`"), e.description)
        }
    }

    func testOverridesFromJSON() throws {
        let json = #"[{"scope": "person", "id": "E0001", "field": "revenue", "value": 2500000}, {"scope": "company", "field": "defect_rate", "value": "1.5%"}]"#
        let (overrides, problems) = Override.read(json: Array(json.utf8), plan: plan)
        XCTAssertEqual(problems, [])
        XCTAssertEqual(overrides?.map(\.value), [APIFixtures.money("2500000"), APIFixtures.number("0.015")])
        let same = [Override(scope: .person, id: "E0001", field: "revenue", value: APIFixtures.money("2500000")),
                    Override(scope: .company, field: "defect_rate", value: APIFixtures.number("0.015"))]
        XCTAssertEqual(overrides, same)

        let bad = #"[{"scope": "person", "id": "E0001", "field": "revenue", "value": "lots"}, {"scope": "galaxy"}, 3]"#
        let (none, errors) = Override.read(json: Array(bad.utf8), name: "what-if.json", plan: plan)
        XCTAssertNil(none)
        XCTAssertEqual(errors.count, 3, "\(errors)")
        XCTAssertEqual(errors.first?.location, SourceLocation(file: "what-if.json", line: 1, column: 66))
        let (_, malformed) = Override.read(json: Array("[{".utf8), plan: plan)
        XCTAssertEqual(malformed.count, 1)
    }

    func testEvaluationErrorsAreTypedAndNameTheSubject() {
        let plan = APIFixtures.compile("""
        plan "p" {
          period: 2026-07-01 .. 2026-09-30
          currency: CNY
        }
        inputs person { hours: number }
        for person { let per_hour = 100 / hours }
        """)
        let data = plan.dataset(people: [["id": .string("E1"), "team": .string("t"), "hours": APIFixtures.number("0")]],
                                ).dataset
        XCTAssertNil(data, "a person needs a team that exists")
        let ok = plan.dataset(teams: [["id": .string("t")]],
                              people: [["id": .string("E1"), "team": .string("t"), "hours": APIFixtures.number("0")],
                                       ["id": .string("E2"), "team": .string("t"), "hours": APIFixtures.number("4")]]).dataset!
        XCTAssertThrowsError(try plan.evaluate(#"people["E1"].per_hour"#, in: ok)) { error in
            let e = error as! TallyError
            XCTAssertEqual(e.kind, .evaluation)
            XCTAssertTrue(e.diagnostic.message.contains("person E1"), e.description)
            XCTAssertTrue(e.diagnostic.message.contains("division by zero"), e.description)
            XCTAssertEqual(e.diagnostic.location?.line, 6)
        }
        // The whole plan still evaluates: the failed value is nil, the others are there.
        let results = plan.evaluate(ok)
        XCTAssertTrue(results.hasErrors)
        XCTAssertNil(results.person("E1")?["per_hour"] ?? nil)
        XCTAssertEqual(results.person("E2")?["per_hour"], APIFixtures.number("25"))
        XCTAssertEqual(try plan.evaluate(ok, overrides: []).person("E2")?["per_hour"], APIFixtures.number("25"))
    }

    func testCompileErrorsOfAnExpressionThrow() {
        XCTAssertThrowsError(try plan.evaluate("1 +", in: data)) { error in
            XCTAssertEqual((error as! TallyError).kind, .compile)
        }
    }

    func testSessionRefusesAnExpressionOfAnotherPlan() throws {
        let other = APIFixtures.small
        let expr = try XCTUnwrap(other.expression("total").expression)
        let session = Session(plan: plan, dataset: data)
        XCTAssertThrowsError(try session.evaluate(expr)) { error in
            XCTAssertTrue((error as! EvaluationFailure).diagnostic.message.contains("another plan"))
        }
        XCTAssertThrowsError(try other.evaluate(expr, in: data)) { error in
            XCTAssertTrue((error as! TallyError).diagnostic.message.contains("another plan"))
        }
    }
}
