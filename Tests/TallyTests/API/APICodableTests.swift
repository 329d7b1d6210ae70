import Foundation
import XCTest
@testable import Tally

final class APICodableTests: XCTestCase {
    func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    func testValueShapesAndRoundTrip() throws {
        let schema = RecordSchema(kind: .keyResult, fields: ["id", "score"])
        let values: [(Value, String)] = [
            (.none, "null"),
            (.bool(true), "true"),
            (.string("S"), #""S""#),
            (APIFixtures.number("0.1"), #"{"number":"0.1"}"#),
            (APIFixtures.number("1234567890123456789012345678901234"), #"{"number":"1234567890123456789012345678901234"}"#),
            (APIFixtures.money("2649.48"), #"{"currency":"CNY","money":"2649.48"}"#),
            (APIFixtures.money("5", "JPY"), #"{"currency":"JPY","money":"5"}"#),
            (.date(Day(year: 2026, month: 9, day: 30)!), #"{"date":"2026-09-30"}"#),
            (.list([.number(.one), .string("a")]), #"[{"number":"1"},"a"]"#),
            (.record(Record(schema: schema, values: [.string("rev"), APIFixtures.number("0.5")])),
             #"{"fields":[{"name":"id","value":"rev"},{"name":"score","value":{"number":"0.5"}}],"record":"key_result"}"#),
            (.subject(SubjectRef(.person, 3)), #"{"index":3,"subject":"person"}"#),
        ]
        for (value, json) in values {
            XCTAssertEqual(try encode(value), json)
            XCTAssertEqual(try JSONDecoder().decode(Value.self, from: Data(json.utf8)), value, json)
        }
        for bad in ["3", #"{"number":"1,5"}"#, #"{"money":"1","currency":"XXQ"}"#, #"{"date":"2026-02-30"}"#, #"{"what":1}"#] {
            XCTAssertThrowsError(try JSONDecoder().decode(Value.self, from: Data(bad.utf8)), bad)
        }
    }

    /// No number passes through Double: 0.1 + 0.2 stays 0.3 and 34 digits survive.
    func testNumbersStayExact() throws {
        let plan = APIFixtures.plan
        let v = try plan.evaluate("0.1 + 0.2", in: APIFixtures.dataset)
        XCTAssertEqual(try encode(v), #"{"number":"0.3"}"#)
        let third = try plan.evaluate("1 / 3", in: APIFixtures.dataset)
        XCTAssertEqual(try encode(third), #"{"number":"0.3333333333333333333333333333333333"}"#)
    }

    func testEvaluationResultRoundTripsDeterministically() throws {
        let result = APIFixtures.plan.evaluate(APIFixtures.dataset)
        let first = try encode(result)
        XCTAssertEqual(first, try encode(APIFixtures.plan.evaluate(APIFixtures.dataset)), "deterministic")
        let decoded = try JSONDecoder().decode(EvaluationResult.self, from: Data(first.utf8))
        XCTAssertEqual(try encode(decoded), first)
        XCTAssertEqual(decoded.person("E0001")?["quarterly_bonus"], APIFixtures.money("2649.48"))
        XCTAssertEqual(decoded.people.map(\.id), result.people.map(\.id))
        XCTAssertEqual(decoded.slots[.person]?.map(\.name), result.slots[.person]?.map(\.name))
        XCTAssertEqual(decoded.violations, result.violations)
        XCTAssertEqual(decoded.jsonText(), result.jsonText())
    }

    func testFailedValuesAreMarkedNotNull() throws {
        let plan = APIFixtures.compile("""
        plan "p" {
          period: 2026-07-01 .. 2026-09-30
          currency: CNY
        }
        inputs person { hours: number? }
        for person { let per_hour = 100 / (hours ?? 0)
                     let maybe = hours }
        """)
        let data = plan.dataset(teams: [["id": .string("t")]], people: [["id": .string("E1"), "team": .string("t")]]).dataset!
        let subject = try XCTUnwrap(plan.evaluate(data).person("E1"))
        let json = try encode(subject)
        XCTAssertTrue(json.contains(#"{"failed":true,"name":"per_hour"}"#), json)
        XCTAssertTrue(json.contains(#"{"name":"maybe","value":null}"#), json)
        let back = try JSONDecoder().decode(SubjectResult.self, from: Data(json.utf8))
        XCTAssertEqual(back.values.count, subject.values.count)
        XCTAssertNil(back["per_hour"] ?? nil)
        XCTAssertEqual(back["maybe"], Value.none)
    }

    func testJSONTextHasExactNumberTokens() {
        let text = APIFixtures.plan.evaluate(APIFixtures.dataset).jsonText(pretty: false)
        XCTAssertTrue(text.contains(#""quarterly_bonus":{"amount":2649.48,"currency":"CNY"}"#))
    }
}
