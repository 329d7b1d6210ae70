import Foundation
import XCTest
@testable import Tally

/// Regressions from a hostile review of `tally eval` and `tally check`.
final class CLIRegressionTests: XCTestCase {
    static let header = "plan \"x\" { period: 2026-07-01 .. 2026-09-30  currency: CNY }\n"

    func write(_ files: [String: String]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tally-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return dir
    }

    /// A 40,000-character unknown name used to take gigabytes for its
    /// "did you mean"; thousands of unknown names took minutes.
    func testHostileNamesStayFast() throws {
        let long = String(repeating: "a", count: 40_000)
        let start = Date()
        let c1 = CompiledPlan.compile(source: Self.header + "let \(long) = 1\nlet b = \(long.dropLast())\n", name: "lid.tally")
        XCTAssertTrue(c1.diagnostics.contains { $0.message.hasPrefix("unknown name") })
        var many = Self.header
        for i in 0..<5_000 { many += "let v\(i) = zq\(i) + 1\n" }
        let c2 = CompiledPlan.compile(source: many, name: "many.tally")
        // 1,000 errors, then one "too many errors".
        XCTAssertEqual(c2.diagnostics.filter(\.isError).count, Checker.errorLimit + 1)
        XCTAssertTrue(c2.diagnostics.last!.message.hasPrefix("too many errors"))
        XCTAssertLessThan(Date().timeIntervalSince(start), 30, "a debug build takes a few seconds")
    }

    /// The unreachable-row advice compared every row of a `first` table with
    /// every earlier one: 8,000 rows took 17 s, 100,000 rows hours. It stops
    /// after `Checker.rowComparisonLimit` comparisons; early rows still get it.
    func testALongFirstTableCompilesInLinearTime() throws {
        var plan = Self.header + "table t(x) first {\n  0 -> 0\n  0 -> 1\n"
        for i in 1...30_000 { plan += "  \(i) -> \(2 * i)\n" }
        plan += "  29999 -> 5\n  else -> -1\n}\nlet y = t(29999)\n"
        let start = Date()
        let c = CompiledPlan.compile(source: plan, name: "long.tally")
        XCTAssertNotNil(c.plan, c.diagnostics.map { $0.rendered() }.joined())
        // The repeated row 2 is flagged; the repeat at the end, past the
        // limit, is not (the advice stopped), and nothing else is.
        let warnings = c.diagnostics.filter { $0.message.contains("can never match") }
        XCTAssertEqual(warnings.map { $0.location?.line }, [4])
        XCTAssertLessThan(Date().timeIntervalSince(start), 60, "a debug build takes a few seconds")
    }

    /// `tally explain` of a failing value with a small `--depth` printed
    /// `= error` and exit 2 but never the reason.
    func testExplainOfAFailureGivesTheReasonOnStandardError() throws {
        let plan = Self.header + "inputs person { v: number }\nfor person {\n  let b = v / 0\n}\n"
        let data = #"{"company": {}, "teams": [{"id": "t"}], "people": [{"id": "a", "team": "t", "v": 1}]}"#
        let dir = try write(["p.tally": plan, "d.json": data])
        let r = try Example.tally(["explain", "p.tally", "--data", "d.json", #"people["a"].b"#, "--depth", "0"], cwd: dir)
        XCTAssertEqual(r.code, 2)
        XCTAssertTrue(r.stdout.hasPrefix(#"people["a"].b = error"#), r.stdout)
        XCTAssertEqual(r.stderr, "p.tally:4:11: error: person a: division by zero\n  let b = v / 0\n          ^~~~~\n")
    }

    /// People with no objectives have no score: the whole evaluation still
    /// succeeds, and the table shows an empty cell (the README tour's case).
    func testPeopleWithoutObjectivesDoNotFailTheRun() throws {
        let plan = Self.header + """
        inputs person { x: number }
        for person where x > 0 { objective o { key_result k { actual: x  baseline: 0  target: 10 } } }
        """
        let data = #"{"company": {}, "teams": [{"id": "t"}], "people": [{"id": "A", "team": "t", "x": 5}, {"id": "B", "team": "t", "x": 0}]}"#
        let dir = try write(["p.tally": plan, "d.json": data])
        let r = try Example.tally(["eval", "p.tally", "--data", "d.json"], cwd: dir)
        XCTAssertEqual(r.code, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("A         t       0.5\n"), r.stdout)   // 5 / 10
        XCTAssertTrue(r.stdout.contains("B         t          \n"), r.stdout)   // no objectives: empty
        XCTAssertFalse(r.stdout.contains("none"), r.stdout)
    }

    /// The same data file named twice (by two paths) was merged with itself:
    /// hundreds of "given twice" errors. Now one usage error.
    func testADataFileNamedTwiceIsAUsageError() throws {
        let root = Harness.repoRoot.appendingPathComponent("examples/wanjiang")
        let r = try Example.tally(["eval", "plan.tally", "--data", "data.json", "--data", "./data.json"], cwd: root)
        XCTAssertEqual(r.code, 64)
        XCTAssertEqual(r.stderr, "tally: error: --data: the data files data.json and ./data.json are the same file\n")
        XCTAssertEqual(r.stdout, "")
    }

    /// `--format` with `--print` was silently ignored; `--columns ''` was
    /// accepted and a column named twice printed twice; without `--data` a
    /// plan with inputs listed missing fields with no hint why.
    func testOptionMisuseIsReported() throws {
        let root = Harness.repoRoot.appendingPathComponent("examples/wanjiang")
        let both = try Example.tally(["eval", "plan.tally", "--data", "data.json", "--print", "1", "--format", "json"], cwd: root)
        XCTAssertEqual(both.code, 64)
        XCTAssertTrue(both.stderr.contains("--format shapes the whole result"), both.stderr)
        let empty = try Example.tally(["eval", "plan.tally", "--data", "data.json", "--columns", " , "], cwd: root)
        XCTAssertEqual(empty.code, 64)
        XCTAssertTrue(empty.stderr.contains("--columns names no column"), empty.stderr)
        let twice = try Example.tally(["eval", "plan.tally", "--data", "data.json", "--format", "csv", "--columns", "score,score"], cwd: root)
        XCTAssertEqual(twice.code, 0, twice.stderr)
        XCTAssertTrue(twice.stdout.hasPrefix("\u{FEFF}id,name,team,score\r\nE0001,肖涛,sales-east,0.645176\r\n"), twice.stdout)
        let noData = try Example.tally(["eval", "plan.tally", "--print", "1"], cwd: root)
        XCTAssertEqual(noData.code, 2)
        XCTAssertTrue(noData.stderr.hasSuffix("note: no --data was given: the plan's inputs need a dataset (--data data.json, or company.csv, teams.csv and people.csv)\n"), noData.stderr)
    }

    /// `--columns` names must exist: a typo is a usage error with a suggestion.
    func testUnknownColumnsAreUsageErrors() throws {
        let root = Harness.repoRoot.appendingPathComponent("examples/wanjiang")
        let r = try Example.tally(["eval", "plan.tally", "--data", "data.json", "--format", "csv", "--columns", "quarterly_bonsu"], cwd: root)
        XCTAssertEqual(r.code, 64)
        XCTAssertTrue(r.stderr.contains("did you mean `quarterly_bonus`?"), r.stderr)
        let ok = try Example.tally(["eval", "plan.tally", "--data", "data.json", "--format", "csv", "--columns", "id,grow.score"], cwd: root)
        XCTAssertEqual(ok.code, 0, ok.stderr)
        XCTAssertTrue(ok.stdout.hasPrefix("\u{FEFF}id,name,team,grow.score\r\nE0001,肖涛,sales-east,0.92168\r\n"), ok.stdout)
    }

    /// A constraint failing for several people names them all, once, even
    /// when a --print reads the same constraints.
    func testConstraintFailuresNameEverySubjectOnce() throws {
        let plan = Self.header + "inputs person { rev: number  quota: number }\nconstraint \"q\" for person: rev / quota > 0\n"
        let data = #"{"company": {}, "teams": [{"id": "t"}], "people": [{"id": "E1", "team": "t", "rev": 1, "quota": 0}, {"id": "E2", "team": "t", "rev": 1, "quota": 0}, {"id": "E3", "team": "t", "rev": 1, "quota": 1}]}"#
        let dir = try write(["p.tally": plan, "d.json": data])
        let r = try Example.tally(["eval", "p.tally", "--data", "d.json", "--print", "count(violations)"], cwd: dir)
        XCTAssertEqual(r.code, 2)
        XCTAssertEqual(r.stdout, "")
        XCTAssertEqual(r.stderr.components(separatedBy: "division by zero").count - 1, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("person E1 and 1 more person (E2)"), r.stderr)
    }

    /// CRLF inside a printed string stays on one line.
    func testPrintEscapesCRLF() throws {
        let dir = try write(["p.tally": Self.header, "d.json": #"{"company": {}, "teams": [], "people": []}"#])
        let r = try Example.tally(["eval", "p.tally", "--data", "d.json", "--print", #""a\u{D}\u{A}b""#], cwd: dir)
        XCTAssertEqual(r.stdout, #""a\u{D}\nb""# + "\n")
        // A backslash and an n, printed raw, stay apart from a line break;
        // U+2028 and NEL are line breaks to some readers (Python's splitlines).
        let more = try Example.tally(["eval", "p.tally", "--data", "d.json", "--print", #""a\\nb""#,
                                      "--print", #""x\u{2028}y\u{85}""#, "--print", #""plain""#], cwd: dir)
        XCTAssertEqual(more.stdout, #"a\nb"# + "\n" + #""x\u{2028}y\u{85}""# + "\nplain\n")
    }

    /// Text a spreadsheet would run as a formula is written as text.
    func testCSVTextCannotBecomeAFormula() throws {
        let plan = Self.header + "inputs person { note: string  delta: number }\n"
        let data = #"{"company": {}, "teams": [{"id": "t"}], "people": [{"id": "E1", "name": "=HYPERLINK(\"x\")", "team": "t", "note": "@SUM(A1)", "delta": -3.5}]}"#
        let dir = try write(["p.tally": plan, "d.json": data])
        let r = try Example.tally(["eval", "p.tally", "--data", "d.json", "--format", "csv"], cwd: dir)
        XCTAssertEqual(r.code, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("\"'=HYPERLINK(\"\"x\"\")\""), r.stdout)
        XCTAssertTrue(r.stdout.contains("'@SUM(A1)"), r.stdout)
        XCTAssertTrue(r.stdout.contains(",-3.5"), "numbers are untouched: \(r.stdout)")
    }
}
