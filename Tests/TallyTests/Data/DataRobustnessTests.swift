import Foundation
import XCTest
@testable import Tally

/// Seeded random and mutated inputs: the readers must never crash or hang,
/// and every problem must come back as a positioned data diagnostic.
final class DataRobustnessTests: XCTestCase {
    /// SplitMix64: small, seeded, the same sequence on every platform.
    struct Rng {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    static let jsonAlphabet: [UInt8] = Array("{}[],:\"\\ \n\r\t0123456789-+.eEtrufalsn\u{0}abcxyzu".utf8)
        + [0x80, 0xBF, 0xC0, 0xC3, 0xA9, 0xE4, 0xB8, 0xAD, 0xED, 0xA0, 0xF0, 0x9F, 0x98, 0x80, 0xF4, 0x90, 0xFF, 0xEF, 0xBB]
    static let csvAlphabet: [UInt8] = Array(",\"\r\n abcE1-%.é".utf8) + [0x00, 0x80, 0xC3, 0xFF, 0xE4, 0xB8]

    static let jsonSeeds: [String] = [
        #"{"company": {"revenue": 1.5, "x": null}, "teams": [{"id": "t", "parent": "u"}, {"id": "u"}], "people": [{"id": "E1", "team": "t", "manager": "E2", "n": [1, {"a": true}]}, {"id": "E2", "team": "u", "name": "\u00e9\uD83D\uDE00"}]}"#,
        "{\n \"people\": [\n  {\"id\": \"E1\", \"team\": \"t\", \"v\": -0.5e-3},\n  {\"id\": \"E1\", \"team\": \"t\", \"v\": 0}\n ],\n \"teams\": [{\"id\": \"t\", \"parent\": \"t\"}]\n}",
        #"[1, "a", true, false, null, {"k": [[], {}]}]"#,
    ]
    static let csvSeeds: [String] = [
        "\u{FEFF}id,name,team,manager\r\nE1,\"Lin, Mei\",t,\r\nE2,\"say \"\"hi\"\"\",t,E1\r\nE3,\"two\nlines\",t,E9\r\n",
        "id,parent\nt,\nu,t\nv,w\n",
    ]

    private func checkDiagnostics(_ diags: [Diagnostic], _ input: [UInt8], file: StaticString = #filePath, line: UInt = #line) {
        for d in diags {
            XCTAssertEqual(d.phase, .data, file: file, line: line)
            XCTAssertNotNil(d.location, "no location: \(d.message) for input \(input)", file: file, line: line)
            if let loc = d.location {
                XCTAssertGreaterThanOrEqual(loc.line, 1, file: file, line: line)
                XCTAssertGreaterThanOrEqual(loc.column, 1, file: file, line: line)
            }
            _ = d.rendered()
        }
    }

    private func exercise(_ bytes: [UInt8]) {
        let (j, jd) = DatasetReader.readJSON(bytes, file: "f.json")
        checkDiagnostics(jd, bytes)
        var sd: [Diagnostic] = []
        _ = DatasetStructure(j, diagnostics: &sd)
        checkDiagnostics(sd, bytes)
        for scope in ScopeKind.allCases {
            let (c, cd) = DatasetReader.readCSV(bytes, file: "people.csv", scope: scope)
            checkDiagnostics(cd, bytes)
            // CSV cells are never empty strings and never hold replacement characters.
            for r in c.teams + c.people + (c.company.map { [$0] } ?? []) {
                for f in r.fields {
                    guard case .string(let s) = f.value else { XCTFail("CSV value is not a string"); continue }
                    XCTAssertFalse(s.isEmpty)
                    XCTAssertFalse(s.unicodeScalars.contains("\u{FFFD}") && !bytes.containsReplacementCharacter)
                }
            }
            var sd2: [Diagnostic] = []
            _ = DatasetStructure(c, diagnostics: &sd2)
            checkDiagnostics(sd2, bytes)
        }
    }

    private func mutate(_ seed: [UInt8], _ rng: inout Rng, alphabet: [UInt8]) -> [UInt8] {
        var b = seed
        for _ in 0..<(1 + rng.below(4)) {
            switch rng.below(5) {
            case 0 where !b.isEmpty: b[rng.below(b.count)] = alphabet[rng.below(alphabet.count)]
            case 1: b.insert(alphabet[rng.below(alphabet.count)], at: rng.below(b.count + 1))
            case 2 where !b.isEmpty: b.remove(at: rng.below(b.count))
            case 3 where b.count > 2:
                let i = rng.below(b.count), j = rng.below(b.count)
                b.insert(contentsOf: b[min(i, j)..<max(i, j)].prefix(40), at: rng.below(b.count + 1))
            case 4: b = Array(b.prefix(rng.below(b.count + 1)))
            default: break
            }
        }
        return b
    }

    func testRandomBytesNeverCrash() {
        var rng = Rng(state: 2026)
        for k in 0..<2000 {
            let alphabet = k % 2 == 0 ? Self.jsonAlphabet : Self.csvAlphabet
            let len = rng.below(200)
            var bytes: [UInt8] = []
            for _ in 0..<len {
                bytes.append(rng.below(10) == 0 ? UInt8(truncatingIfNeeded: rng.next()) : alphabet[rng.below(alphabet.count)])
            }
            exercise(bytes)
        }
    }

    func testMutatedDatasetsNeverCrash() {
        var rng = Rng(state: 7)
        let seeds = Self.jsonSeeds.map { Array($0.utf8) } + Self.csvSeeds.map { Array($0.utf8) }
        for k in 0..<3000 {
            let seed = seeds[k % seeds.count]
            let alphabet = k % seeds.count < Self.jsonSeeds.count ? Self.jsonAlphabet : Self.csvAlphabet
            exercise(mutate(seed, &rng, alphabet: alphabet))
        }
    }

    /// Differential check against Foundation on mutated JSON: both must agree on
    /// what is valid JSON, except where Tally is deliberately stricter or
    /// Foundation is known to differ (documented per case).
    func testJSONValidityAgreesWithFoundation() {
        var rng = Rng(state: 99)
        var disagreements: [String] = []
        var accepted = 0
        for k in 0..<3000 {
            let bytes = mutate(Array(Self.jsonSeeds[k % Self.jsonSeeds.count].utf8), &rng, alphabet: Self.jsonAlphabet)
            let ours: Bool
            if case .success = JSONReader.parse(bytes, file: "f.json") { ours = true } else { ours = false }
            let theirs = (try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])) != nil
            if ours { accepted += 1 }
            if ours != theirs {
                let text = String(decoding: bytes, as: UTF8.self)
                // Foundation accepts a UTF-16/32 file and other encodings it detects,
                // and lone surrogate escapes; Tally rejects both.
                if !ours, text.contains("\\uD") || text.contains("\\ud") { continue }
                disagreements.append(text)
            }
        }
        XCTAssertGreaterThan(accepted, 100, "the mutations should leave many inputs valid")
        XCTAssertEqual(disagreements, [], "inputs where Tally and Foundation disagree on validity")
    }

    func testLargeCycleOfTeamsIsOneCycleError() {
        var teams: [RawRecord] = []
        let loc = SourceLocation(file: "gen", line: 1, column: 1)
        let n = 500
        for k in 0..<n {
            teams.append(RawRecord(fields: [
                RawField(key: "id", value: .string("t\(k)"), location: loc),
                RawField(key: "parent", value: .string("t\((k + 1) % n)"), location: loc),
            ], location: loc))
        }
        var diags: [Diagnostic] = []
        let s = DatasetStructure(RawDataset(teams: teams), diagnostics: &diags)
        XCTAssertEqual(diags.map(\.message), [
            "team t0: field \"parent\": parent cycle: t0 → t1 → t2 → t3 → t4 → t5 → t6 → t7 → t8 → t9 → … → t499 → t0 (500 teams in the cycle)",
        ])
        XCTAssertTrue(s.teamPath.allSatisfy { $0.count <= DatasetStructure.maxTeamDepth })
    }
}

private extension Array where Element == UInt8 {
    /// Whether the bytes hold a literal U+FFFD (EF BF BD), which a reader may pass through.
    var containsReplacementCharacter: Bool {
        guard count >= 3 else { return false }
        for i in 0..<(count - 2) where self[i] == 0xEF && self[i + 1] == 0xBF && self[i + 2] == 0xBD { return true }
        return false
    }
}
