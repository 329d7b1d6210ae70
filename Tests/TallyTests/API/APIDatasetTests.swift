import XCTest
@testable import Tally

final class APIDatasetTests: XCTestCase {
    let plan = APIFixtures.small

    func person(_ id: String, _ extra: [String: Value] = [:]) -> [String: Value] {
        var p: [String: Value] = ["id": .string(id), "name": .string("N \(id)"), "team": .string("t1"),
                                  "level": .string("P5"), "base_salary": APIFixtures.money("10000.50"),
                                  "hire_date": .date(Day(year: 2024, month: 3, day: 1)!), "rate": APIFixtures.number("0.85")]
        for (k, v) in extra { p[k] = v }
        return p
    }

    func testSwiftValuesGiveTheSameDatasetAsJSON() throws {
        let json = """
        {"company": {"budget": 50000},
         "teams": [{"id": "t1", "name": "Team"}],
         "people": [
           {"id": "E1", "name": "N E1", "team": "t1", "level": "P5", "base_salary": 10000.50, "hire_date": "2024-03-01", "rate": "85%"},
           {"id": "E2", "name": "N E2", "team": "t1", "level": "P5", "base_salary": 10000.50, "hire_date": "2024-03-01", "rate": 0.85, "fte": 0.5}
         ]}
        """
        let fromJSON = try XCTUnwrap(plan.dataset(json: Array(json.utf8)).dataset)
        let load = plan.dataset(company: ["budget": APIFixtures.number("50000")], teams: [["id": .string("t1"), "name": .string("Team")]],
                                people: [person("E1"), person("E2", ["fte": APIFixtures.number("0.5")])])
        XCTAssertEqual(load.diagnostics, [])
        let fromValues = try XCTUnwrap(load.dataset)
        XCTAssertEqual(fromValues.personIDs, ["E1", "E2"])
        XCTAssertEqual(plan.evaluate(fromValues).jsonText(), plan.evaluate(fromJSON).jsonText())
        XCTAssertEqual(try plan.evaluate("total", in: fromValues), APIFixtures.money("15000.750"))
    }

    func testSwiftValueProblemsAreReportedLikeJSONOnes() {
        let load = plan.dataset(company: ["budget": APIFixtures.money("1", "USD")], teams: [["id": .string("t1")]],
                                people: [person("E1", ["hire_date": .string("2024-02-30"), "level": .date(Day(year: 2024, month: 1, day: 1)!)]),
                                         person("E1"),
                                         person("E3", ["rate": .none, "base_salary": .subject(.company)])])
        XCTAssertNil(load.dataset)
        let messages = load.diagnostics.filter(\.isError).map { $0.rendered() }
        func has(_ s: String) -> Bool { messages.contains { $0.contains(s) } }
        XCTAssertTrue(has("company: error: company: field `budget` (money): money in USD, but the plan's currency is CNY"), "\(messages)")
        XCTAssertTrue(has("people[0]: error: person E1: field `level` (string): expected string, found a date"), "\(messages)")
        XCTAssertTrue(has("person E3: field `base_salary` (money): a person or team reference cannot be a dataset value"), "\(messages)")

        // Value conversion passes; binding finds the rest, with the JSON reader's messages.
        let second = plan.dataset(company: ["budget": APIFixtures.number("1")], teams: [["id": .string("t1")]],
                                  people: [person("E1", ["hire_date": .string("2024-02-30")]), person("E1"),
                                           person("E3", ["rate": .none])])
        let bound = second.diagnostics.filter(\.isError).map { $0.rendered() }
        XCTAssertTrue(bound.contains { $0.contains("duplicate id: person \"E1\" is already defined at people[0]") }, "\(bound)")
        XCTAssertTrue(bound.contains { $0.contains("person E1: field `hire_date` (date): \"2024-02-30\" is not a valid date") }, "\(bound)")
        XCTAssertTrue(bound.contains { $0.contains("person E3: missing required field `rate` (percent)") }, "\(bound)")
        XCTAssertFalse(bound.contains { $0.contains(":0:0") }, "locations without lines print as the record path: \(bound)")
    }

    func testUndeclaredFieldIsAWarningOnly() throws {
        let load = plan.dataset(company: ["budget": APIFixtures.number("1")], teams: [["id": .string("t1")]],
                                people: [person("E1", ["shoe_size": APIFixtures.number("42")])])
        XCTAssertNotNil(load.dataset)
        XCTAssertEqual(load.diagnostics.map(\.severity), [.warning])
    }

    func testJSONBytesMalformed() {
        let load = plan.dataset(json: Array(#"{"company": {"budget": 1,}}"#.utf8), name: "x.json")
        XCTAssertNil(load.dataset)
        XCTAssertEqual(load.diagnostics.first?.location?.file, "x.json")
        XCTAssertEqual(load.diagnostics.first?.location?.line, 1)
    }

    func testCSVFilesAndExactNumbers() throws {
        let people = "id,team,level,base_salary,hire_date,rate\nE1,t1,P5,12345678901234567890.12,2024-03-01,85%\n"
        let load = plan.dataset(files: [("company.csv", Array("budget\n1\n".utf8)), ("teams.csv", Array("id\nt1\n".utf8)),
                                        ("people.csv", Array(people.utf8))])
        let data = try XCTUnwrap(load.dataset, "\(load.diagnostics)")
        XCTAssertEqual(try plan.evaluate(#"people["E1"].pay"#, in: data).text, "12345678901234567890.12 CNY")
        XCTAssertEqual(try plan.evaluate(#"people["E1"].rate"#, in: data), APIFixtures.number("0.85"))
    }

    func testExactTextRoundTripsExtremeNumbers() throws {
        for text in ["0", "-0.5", "1e6000", "-9.999999999999999999999999999999999e-6000", "1234567890123456789012345678901234"] {
            let n = try XCTUnwrap(ExactDecimal(text))
            XCTAssertEqual(ExactDecimal(DatasetLoading.exactText(n)), n, text)
        }
    }
}
