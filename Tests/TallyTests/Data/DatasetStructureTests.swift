import XCTest
@testable import Tally

final class DataStructureTests: XCTestCase {
    private func structure(_ json: String, file: String = "d.json") -> (DatasetStructure, [String]) {
        let (data, readDiags) = DatasetReader.readJSON(Array(json.utf8), file: file)
        XCTAssertEqual(dataMessages(readDiags), [])
        var diags: [Diagnostic] = []
        let s = DatasetStructure(data, diagnostics: &diags)
        XCTAssertTrue(diags.allSatisfy { $0.phase == .data })
        return (s, dataMessages(diags))
    }

    func testTreeMembersAndPaths() {
        let json = """
        {"teams": [
          {"id": "root", "name": "总部"},
          {"id": "a", "parent": "root"},
          {"id": "b", "parent": "root", "name": null},
          {"id": "a1", "parent": "a"},
          {"id": "solo"}
        ],
        "people": [
          {"id": "P1", "team": "a1", "name": "甲"},
          {"id": "P2", "team": "root", "manager": "P1"},
          {"id": "P3", "team": "a1", "manager": null},
          {"id": "P4", "team": "a1", "manager": "P2"}
        ]}
        """
        let (s, diags) = structure(json)
        XCTAssertEqual(diags, [])
        XCTAssertEqual(s.teamIDs, ["root", "a", "b", "a1", "solo"])
        XCTAssertEqual(s.teamIndex, ["root": 0, "a": 1, "b": 2, "a1": 3, "solo": 4])
        XCTAssertEqual(s.teamParent, [nil, 0, 0, 1, nil])
        XCTAssertEqual(s.teamPath, [["root"], ["root", "a"], ["root", "b"], ["root", "a", "a1"], ["solo"]])
        XCTAssertEqual(s.teamSubteams, [[1, 2], [3], [], [], []])
        XCTAssertEqual(s.teamMembers, [[1], [], [], [0, 2, 3], []])
        XCTAssertEqual(s.teamNames, ["总部", nil, nil, nil, nil])
        XCTAssertEqual(s.personIDs, ["P1", "P2", "P3", "P4"])
        XCTAssertEqual(s.personIndex, ["P1": 0, "P2": 1, "P3": 2, "P4": 3])
        XCTAssertEqual(s.personTeam, [3, 0, 3, 3])
        XCTAssertEqual(s.personManager, [nil, 0, nil, 1])
        XCTAssertEqual(s.personNames, ["甲", nil, nil, nil])
    }

    func testIdsAreComparedAfterNFC() {
        let json = #"{"teams": [{"id": "caf\u00e9"}], "people": [{"id": "E1", "team": "cafe\u0301"}, {"id": "E2", "team": "café", "manager": "E1"}]}"#
        let (s, diags) = structure(json)
        XCTAssertEqual(diags, [])
        XCTAssertEqual(s.personTeam, [0, 0])
        XCTAssertEqual(s.teamIndex["caf\u{E9}"], 0)
        XCTAssertEqual(Array(s.teamIDs[0].unicodeScalars), Array("caf\u{E9}".unicodeScalars))
    }

    func testAllProblemsAreReportedTogetherInDatasetOrder() {
        let json = """
        {"teams": [
          {"id": "t1", "parent": "t3"},
          {"id": "t2", "parent": "t1"},
          {"id": "t3", "parent": "t2"},
          {"id": "t1"},
          {"id": "t5", "parent": "nowhere"},
          {"name": "no id"},
          {"id": 7},
          {"id": ""},
          {"id": "self", "parent": "self"},
          {"id": "ok", "parent": null, "name": 3}
        ],
        "people": [
          {"id": "E1", "team": "ok", "manager": "E2"},
          {"id": "E2", "team": "ok", "manager": "E3"},
          {"id": "E3", "team": "ok", "manager": "E1"},
          {"id": "E4", "team": "ok", "manager": "E9999"},
          {"id": "E1", "team": "ok"},
          {"id": "E6"},
          {"id": "E7", "team": "ghost", "manager": "E7"},
          {"id": "E8", "team": ["ok"], "manager": 12, "name": true},
          {"team": "ok"}
        ]}
        """
        let (s, diags) = structure(json)
        XCTAssertEqual(diags, [
            "d.json:2:26: team t1: field \"parent\": parent cycle: t1 → t3 → t2 → t1",
            "d.json:5:10: team t1: duplicate id: team \"t1\" is already defined at d.json:2:10",
            "d.json:6:26: team t5: field \"parent\": no team has id \"nowhere\"",
            "d.json:7:3: team #6: field \"id\" is missing: every team needs a string id",
            "d.json:8:10: team #7: field \"id\" must be a string, not a number",
            "d.json:9:10: team #8: field \"id\" is empty",
            "d.json:10:28: team self: field \"parent\": a team cannot be its own parent",
            "d.json:11:40: team ok: field \"name\" must be a string, not a number",
            "d.json:14:41: person E1: field \"manager\": manager cycle: E1 → E2 → E3 → E1",
            "d.json:17:41: person E4: field \"manager\": no person has id \"E9999\"",
            "d.json:18:10: person E1: duplicate id: person \"E1\" is already defined at d.json:14:10",
            "d.json:19:3: person E6: field \"team\" is missing: every person belongs to a team",
            "d.json:20:24: person E7: field \"team\": no team has id \"ghost\"",
            "d.json:20:44: person E7: field \"manager\": a person cannot be their own manager",
            "d.json:21:55: person E8: field \"name\" must be a string, not a boolean",
            "d.json:21:24: person E8: field \"team\" must be a string, not an array",
            "d.json:21:43: person E8: field \"manager\" must be a string, not a number",
            "d.json:22:3: person #9: field \"id\" is missing: every person needs a string id",
        ])
        // The structure is still complete and finite.
        XCTAssertEqual(s.teamIDs, ["t1", "t2", "t3", "t1", "t5", "", "", "", "self", "ok"])
        XCTAssertEqual(s.teamIndex["t1"], 0)
        XCTAssertEqual(s.teamParent, [2, 0, 1, nil, nil, nil, nil, nil, 8, nil])
        XCTAssertEqual(s.teamPath[0], ["t2", "t3", "t1"])
        XCTAssertEqual(s.teamPath[8], ["self"])
        XCTAssertEqual(s.personTeam, [9, 9, 9, 9, 9, -1, -1, -1, 9])
        XCTAssertEqual(s.personManager, [1, 2, 0, nil, nil, nil, 6, nil, nil])
        XCTAssertEqual(s.personIndex.count, 7)
    }

    func testCSVStructureMessagesUseCellPositions() {
        let (data, rd) = DatasetReader.read(files: [
            ("teams.csv", Array("id,parent\r\nsales,\r\n".utf8)),
            ("people.csv", Array("id,team,manager\r\nE0001,sales,\r\nE0013,sales,E9999\r\n".utf8)),
        ])
        XCTAssertEqual(dataMessages(rd), [])
        var diags: [Diagnostic] = []
        _ = DatasetStructure(data, diagnostics: &diags)
        XCTAssertEqual(diags.map { $0.rendered() }, [
            "people.csv:3:13: error: person E0013: field \"manager\": no person has id \"E9999\"\nE0013,sales,E9999\n            ^",
        ])
    }

    func testLongChainsAndBigCyclesDoNotRecurse() {
        // 20,000 teams in one parent chain (too deep: one error at level 101),
        // and a 20,000-person manager cycle.
        let n = 20_000
        var teams: [RawRecord] = [], people: [RawRecord] = []
        let loc = SourceLocation(file: "gen", line: 1, column: 1)
        for k in 0..<n {
            var f = [RawField(key: "id", value: .string("t\(k)"), location: loc)]
            if k > 0 { f.append(RawField(key: "parent", value: .string("t\(k - 1)"), location: loc)) }
            teams.append(RawRecord(fields: f, location: loc))
            people.append(RawRecord(fields: [
                RawField(key: "id", value: .string("p\(k)"), location: loc),
                RawField(key: "team", value: .string("t0"), location: loc),
                RawField(key: "manager", value: .string("p\((k + 1) % n)"), location: loc),
            ], location: loc))
        }
        var diags: [Diagnostic] = []
        let s = DatasetStructure(RawDataset(teams: teams, people: people), diagnostics: &diags)
        XCTAssertEqual(diags.count, 2)
        XCTAssertEqual(diags[0].message, "team t100: the team hierarchy is deeper than 100 levels (following \"parent\" from here up to its root team crosses 101 teams)")
        diags.removeFirst()
        XCTAssertEqual(diags[0].message, "person p0: field \"manager\": manager cycle: p0 → p1 → p2 → p3 → p4 → p5 → p6 → p7 → p8 → p9 → … → p19999 → p0 (20000 people in the cycle)")
        XCTAssertEqual(s.teamPath[99], (0..<100).map { "t\($0)" })
        XCTAssertEqual(s.teamPath[n - 1].count, DatasetStructure.maxTeamDepth)
        XCTAssertEqual(s.teamPath[n - 1].last, "t\(n - 1)")
        XCTAssertEqual(s.teamMembers[0].count, n)
    }
}
