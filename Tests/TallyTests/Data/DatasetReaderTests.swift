import XCTest
@testable import Tally

final class DataDatasetReaderTests: XCTestCase {
    private func readJSON(_ text: String, file: String = "d.json") -> (RawDataset, [Diagnostic]) {
        DatasetReader.readJSON(Array(text.utf8), file: file)
    }

    // MARK: JSON datasets

    func testJSONRecordsFieldsAndExactNumbers() {
        let text = """
        {"company": {"revenue": 112400000.00, "share": 0.1},
         "teams": [{"id": "sales", "name": null}],
         "people": [
          {"id": "E1", "team": "sales", "salary": 12345678901234567890.12, "x": -0, "big": 1e7000,
           "ok": true, "tags": [1, 2], "extra": {"a": 1}, "hire": "2026-07-01", "empty": ""}
         ]}
        """
        let (data, diags) = readJSON(text)
        XCTAssertEqual(dataMessages(diags), [])
        XCTAssertEqual(data.company?.field("revenue")?.value, .number("112400000.00"))
        XCTAssertEqual(data.company?.field("share")?.value, .number("0.1"))
        XCTAssertEqual(data.company?.location, SourceLocation(file: "d.json", line: 1, column: 13))
        XCTAssertEqual(data.teams[0].field("name")?.value, .null)
        let p = data.people[0]
        XCTAssertEqual(p.id, "E1")
        XCTAssertEqual(p.fields.map(\.key), ["id", "team", "salary", "x", "big", "ok", "tags", "extra", "hire", "empty"])
        XCTAssertEqual(p.fields.map(\.value), [
            .string("E1"), .string("sales"), .number("12345678901234567890.12"), .number("-0"), .number("1e7000"),
            .bool(true), .array, .object, .string("2026-07-01"), .string(""),
        ])
        XCTAssertEqual(p.location, SourceLocation(file: "d.json", line: 4, column: 3))
        XCTAssertEqual(p.field("salary")?.location, SourceLocation(file: "d.json", line: 4, column: 43))
        XCTAssertEqual(p.field("hire")?.location.line, 5)
    }

    func testEachPartIsOptional() {
        let (d1, e1) = readJSON("{}")
        XCTAssertEqual(dataMessages(e1), [])
        XCTAssertNil(d1.company)
        XCTAssertEqual(d1.people.count + d1.teams.count, 0)
        let (d2, e2) = readJSON(#"{"people": [{"id": "E1", "team": "t"}]}"#)
        XCTAssertEqual(dataMessages(e2), [])
        XCTAssertEqual(d2.people.count, 1)
    }

    func testDuplicateKeysNameTheRecordAndKey() {
        let text = """
        {"people": [
          {"id": "E1", "revenue": 1, "team": "t",
           "revenue": 2},
          {"revenue": 1, "revenue": 2, "id": "E2"},
          {"revenue": 1, "revenue": 2},
          {"id": "E4", "caf\\u00e9": 1, "cafe\u{301}": 2, "nested": {"a": 1, "b": [{"c": 1, "c": 2}], "a": 3}}
        ],
        "company": {"x": 1, "x": 2}}
        """
        let (data, diags) = readJSON(text)
        XCTAssertEqual(dataMessages(diags), [
            "d.json:3:4: person E1: duplicate field \"revenue\" (first at line 2, column 16)",
            "d.json:4:18: person E2: duplicate field \"revenue\" (first at line 4, column 4)",
            "d.json:5:18: person #3: duplicate field \"revenue\" (first at line 5, column 4)",
            "d.json:6:32: person E4: duplicate field \"cafe\u{301}\" (first at line 6, column 16)",
            "d.json:6:78: person E4: field \"nested\": duplicate key \"c\" (first at line 6, column 70)",
            "d.json:6:88: person E4: field \"nested\": duplicate key \"a\" (first at line 6, column 55)",
            "d.json:8:21: company: duplicate field \"x\" (first at line 8, column 13)",
        ])
        // The first occurrence is kept.
        XCTAssertEqual(data.people[0].field("revenue")?.value, .number("1"))
        XCTAssertEqual(data.people[0].fields.map(\.key), ["id", "revenue", "team"])
    }

    func testDuplicateKeysInARecordWithManyFields() {
        let keys = (0..<40).map { "\"k\($0)\": \($0)" }.joined(separator: ", ")
        let (data, diags) = readJSON("{\"people\": [{\"id\": \"E1\", \(keys), \"k7\": 0, \"id\": \"E2\"}]}")
        XCTAssertEqual(dataMessages(diags).map { String($0.split(separator: " ", maxSplits: 1)[1]) }, [
            "person E1: duplicate field \"k7\" (first at line 1, column 89)",
            "person E1: duplicate field \"id\" (first at line 1, column 14)",
        ])
        XCTAssertEqual(data.people[0].fields.count, 41)
        XCTAssertEqual(data.people[0].field("k7")?.value, .number("7"))
    }

    func testLongLinesAreNotCopiedIntoDiagnostics() {
        // A minified file is one long line: diagnostics keep their position but not the line.
        let people = (0..<200).map { #"{"id":"E\#($0)","team":"t","x":1,"x":2}"# }.joined(separator: ",")
        let (_, diags) = readJSON(#"{"people":["# + people + "]}")
        XCTAssertEqual(diags.count, 200)
        XCTAssertEqual(diags[0].location, SourceLocation(file: "d.json", line: 1, column: 40))
        XCTAssertNil(diags[0].sourceLine)
        XCTAssertEqual(diags[0].rendered(), "d.json:1:40: error: person E0: duplicate field \"x\" (first at line 1, column 34)")
    }

    func testTopLevelShapeErrors() {
        XCTAssertEqual(dataMessages(readJSON("[]").1), [
            "d.json:1:1: the top level must be an object {\"company\": {...}, \"teams\": [...], \"people\": [...]}, not an array",
        ])
        XCTAssertEqual(dataMessages(readJSON(#"{"staff": [], "people": {}, "teams": [1, {"id": "t"}], "company": []}"#).1), [
            "d.json:1:2: unknown top-level key \"staff\" (a dataset has \"company\", \"teams\" and \"people\")",
            "d.json:1:25: \"people\" must be an array [...] of objects, not an object",
            "d.json:1:39: teams[0] must be an object {...}, not a number",
            "d.json:1:67: \"company\" must be an object {...}, not an array",
        ])
        XCTAssertEqual(dataMessages(readJSON(#"{"people": [], "people": []}"#).1), [
            "d.json:1:16: duplicate top-level key \"people\" (first at line 1, column 2)",
        ])
    }

    func testSyntaxErrorGivesOneDiagnosticAndNoRecords() {
        let (data, diags) = readJSON("{\"people\": [\n {\"id\": \"E1\"},\n {\"id\": \"E2\",}\n]}")
        XCTAssertEqual(dataMessages(diags), ["d.json:3:14: trailing comma before '}' is not allowed in JSON"])
        XCTAssertEqual(data.people.count, 0)
        XCTAssertEqual(diags[0].sourceLine, " {\"id\": \"E2\",}")
    }

    func testKeysAreNFCNormalised() {
        let (data, _) = readJSON(#"{"people": [{"id": "E1", "cafe\u0301": 1}]}"#)
        XCTAssertEqual(Array(data.people[0].fields[1].key.unicodeScalars), Array("caf\u{E9}".unicodeScalars))
        XCTAssertNotNil(data.people[0].field("caf\u{E9}"))
    }

    // MARK: The Wanjiang dataset

    func testWanjiangJSONAndCSVAgree() throws {
        let (json, jd) = DatasetReader.readJSON(try DataFixtures.bytes("wanjiang-q3/data.json"), file: "data.json")
        XCTAssertEqual(dataMessages(jd), [])
        let (csv, cd) = DatasetReader.read(files: [
            ("wanjiang-q3/company.csv", try DataFixtures.bytes("wanjiang-q3/company.csv")),
            ("wanjiang-q3/teams.csv", try DataFixtures.bytes("wanjiang-q3/teams.csv")),
            ("wanjiang-q3/people.csv", try DataFixtures.bytes("wanjiang-q3/people.csv")),
        ])
        XCTAssertEqual(dataMessages(cd), [])

        XCTAssertEqual(json.teams.count, 13)
        XCTAssertEqual(json.people.count, 300)
        XCTAssertEqual(json.teams.map(\.id), csv.teams.map(\.id))
        XCTAssertEqual(json.people.map(\.id), csv.people.map(\.id))
        XCTAssertEqual(json.people.first?.id, "E0001")
        XCTAssertEqual(json.people.last?.id, "E0300")

        // The same field keys per record (JSON omits absent fields; CSV leaves their cells empty).
        for (j, c) in zip(json.people, csv.people) {
            XCTAssertEqual(Set(j.fields.map(\.key)), Set(c.fields.map(\.key)), "person \(j.id ?? "?")")
        }
        for (j, c) in zip(json.teams, csv.teams) {
            XCTAssertEqual(Set(j.fields.map(\.key)), Set(c.fields.map(\.key)), "team \(j.id ?? "?")")
        }
        XCTAssertEqual(Set(json.company!.fields.map(\.key)), Set(csv.company!.fields.map(\.key)))
        XCTAssertEqual(json.company!.fields.map(\.key).sorted(),
                       ["bonus_budget", "customer_satisfaction", "defect_rate", "id", "market_share", "name", "revenue"])

        // Values as written: JSON numbers vs CSV text, percent cells as `9.1%`.
        XCTAssertEqual(json.company?.field("market_share")?.value, .number("0.091"))
        XCTAssertEqual(csv.company?.field("market_share")?.value, .string("9.1%"))
        XCTAssertEqual(csv.company?.field("name")?.value, .string("皖江精密制造有限公司"))
        let jp = json.people[12], cp = csv.people[12]
        XCTAssertEqual(jp.id, "E0013")
        XCTAssertEqual(jp.field("base_salary")?.value, .number("18700"))
        XCTAssertEqual(cp.field("base_salary")?.value, .string("18700"))
        XCTAssertEqual(jp.field("training_hours")?.value, .number("20.5"))
        XCTAssertEqual(cp.field("manager")?.value, .string("E0001"))
        XCTAssertNil(cp.field("nps"))
        XCTAssertEqual(jp.location, SourceLocation(file: "data.json", line: 239, column: 3))
        XCTAssertEqual(cp.location, SourceLocation(file: "wanjiang-q3/people.csv", line: 14, column: 1))
        XCTAssertEqual(cp.field("manager")?.location, SourceLocation(file: "wanjiang-q3/people.csv", line: 14, column: 64))

        // The same structure.
        var d1: [Diagnostic] = [], d2: [Diagnostic] = []
        let s1 = DatasetStructure(json, diagnostics: &d1)
        let s2 = DatasetStructure(csv, diagnostics: &d2)
        XCTAssertEqual(dataMessages(d1 + d2), [])
        XCTAssertEqual(s1.teamIDs, s2.teamIDs)
        XCTAssertEqual(s1.personIDs, s2.personIDs)
        XCTAssertEqual(s1.teamPath, s2.teamPath)
        XCTAssertEqual(s1.teamMembers, s2.teamMembers)
        XCTAssertEqual(s1.teamSubteams, s2.teamSubteams)
        XCTAssertEqual(s1.personTeam, s2.personTeam)
        XCTAssertEqual(s1.personManager, s2.personManager)
        XCTAssertEqual(s1.teamNames, s2.teamNames)
        XCTAssertEqual(s1.personNames, s2.personNames)

        let east = s1.teamIndex["sales-east"]!
        XCTAssertEqual(s1.teamPath[east], ["sales", "sales-east"])
        XCTAssertEqual(s1.teamPath[s1.teamIndex["hr"]!], ["hr"])
        XCTAssertEqual(s1.teamSubteams[s1.teamIndex["sales"]!].map { s1.teamIDs[$0] },
                       ["sales-east", "sales-central", "sales-online"])
        XCTAssertEqual(s1.teamNames[east], "华东销售部")
        XCTAssertEqual(s1.teamMembers.map(\.count),
                       [0, 30, 24, 21, 0, 36, 24, 0, 54, 51, 21, 18, 21])
        XCTAssertEqual(s1.personManager.compactMap { $0 }.count, 290)
        let hr = s1.teamMembers[s1.teamIndex["hr"]!]
        XCTAssertEqual(hr.prefix(3).map { s1.personIDs[$0] }, ["E0262", "E0263", "E0264"])
        XCTAssertNil(s1.personManager[hr[0]])
        XCTAssertEqual(s1.personManager[hr[1]], hr[0])
        XCTAssertEqual(s1.personNames[0], "肖涛")
    }

    // MARK: Merging several files

    func testMergingTwoJSONFiles() {
        let a = #"{"company": {"revenue": 100}, "teams": [{"id": "t1"}], "people": [{"id": "E1", "team": "t1"}]}"#
        let b = "{\"company\": {\"bonus_budget\": 5},\n \"people\": [{\"id\": \"E2\", \"team\": \"t1\"}], \"teams\": [{\"id\": \"t2\", \"parent\": \"t1\"}]}"
        let (data, diags) = DatasetReader.read(files: [("a.json", Array(a.utf8)), ("dir/b.JSON", Array(b.utf8))])
        XCTAssertEqual(dataMessages(diags), [])
        XCTAssertEqual(data.people.map(\.id), ["E1", "E2"])
        XCTAssertEqual(data.teams.map(\.id), ["t1", "t2"])
        XCTAssertEqual(data.company?.fields.map(\.key), ["revenue", "bonus_budget"])
        XCTAssertEqual(data.company?.field("bonus_budget")?.location, SourceLocation(file: "dir/b.JSON", line: 1, column: 30))
        XCTAssertEqual(Set(data.sources.keys), ["a.json", "dir/b.JSON"])
    }

    func testCompanyFieldGivenTwiceNamesBothFiles() {
        let a = #"{"company": {"revenue": 100, "id": "wj"}}"#
        let (data, diags) = DatasetReader.read(files: [
            ("a.json", Array(a.utf8)),
            ("x/company.csv", Array("id,revenue,bonus_budget\r\nwj,200,5\r\n".utf8)),
        ])
        XCTAssertEqual(dataMessages(diags), [
            "x/company.csv:2:1: company field \"id\" is given twice: in a.json (a.json:1:36) and in x/company.csv (x/company.csv:2:1)",
            "x/company.csv:2:4: company field \"revenue\" is given twice: in a.json (a.json:1:25) and in x/company.csv (x/company.csv:2:4)",
        ])
        XCTAssertEqual(diags[0].notes.map(\.message), ["\"id\" first given here"])
        XCTAssertEqual(diags[0].notes.first?.location, SourceLocation(file: "a.json", line: 1, column: 36))
        // The first value stays; new fields are added.
        XCTAssertEqual(data.company?.field("revenue")?.value, .number("100"))
        XCTAssertEqual(data.company?.field("bonus_budget")?.value, .string("5"))
    }

    func testDuplicateIdsAcrossFilesNameBothPlaces() {
        let (data, diags) = DatasetReader.read(files: [
            ("teams.csv", Array("id\nt\n".utf8)),
            ("people.csv", Array("id,team\nE1,t\n".utf8)),
            ("more.json", Array("{\"people\": [\n{\"id\": \"E1\", \"team\": \"t\"}]}".utf8)),
        ])
        XCTAssertEqual(dataMessages(diags), [])
        var sd: [Diagnostic] = []
        _ = DatasetStructure(data, diagnostics: &sd)
        XCTAssertEqual(dataMessages(sd), [
            "more.json:2:8: person E1: duplicate id: person \"E1\" is already defined at people.csv:2:1",
        ])
        XCTAssertEqual(sd[0].sourceLine, "{\"id\": \"E1\", \"team\": \"t\"}]}")
        XCTAssertEqual(sd[0].notes.first?.location, SourceLocation(file: "people.csv", line: 2, column: 1))
        XCTAssertEqual(sd[0].notes.first?.sourceLine, "E1,t")
    }

    func testFileNamesAreRecognised() {
        XCTAssertEqual(DatasetReader.kind(ofFileNamed: "data/people.csv"), .csv(.person))
        XCTAssertEqual(DatasetReader.kind(ofFileNamed: "Teams.CSV"), .csv(.team))
        XCTAssertEqual(DatasetReader.kind(ofFileNamed: "company.csv"), .csv(.company))
        XCTAssertEqual(DatasetReader.kind(ofFileNamed: "q3.json"), .json)
        XCTAssertNil(DatasetReader.kind(ofFileNamed: "staff.csv"))
        XCTAssertNil(DatasetReader.kind(ofFileNamed: "data.txt"))
        XCTAssertNil(DatasetReader.kind(ofFileNamed: ".json"))
        XCTAssertNil(DatasetReader.kind(ofFileNamed: "people.csv/"))
        let (_, diags) = DatasetReader.read(files: [("staff.csv", Array("id\n".utf8)), ("q3.json", Array("{}".utf8))])
        XCTAssertEqual(dataMessages(diags), [
            "staff.csv: cannot tell what this data file holds: a dataset is a *.json file or CSV files named company.csv, teams.csv and people.csv",
        ])
        XCTAssertEqual(diags[0].phase, .data)
    }
}
