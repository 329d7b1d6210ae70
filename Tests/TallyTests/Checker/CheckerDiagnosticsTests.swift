import Foundation
import XCTest
@testable import Tally

/// Rendered diagnostics (LANGUAGE.md §11): `FILE:LINE:COL: error: MESSAGE`,
/// the source line, a caret under the offending text; COL counts Unicode
/// characters and the caret line counts a CJK character as two columns.
/// Expected texts are written out by hand from those rules.
final class CheckerDiagnosticsTests: XCTestCase {
    static let header = """
    plan "计划" {
      period: 2026-07-01 .. 2026-09-30
      currency: CNY
    }

    """

    func errors(_ body: String, name: String = "p.tally") -> [Diagnostic] {
        let c = CompiledPlan.compile(source: Self.header + body, name: name)
        XCTAssertNil(c.plan, "expected compile errors")
        return c.diagnostics.filter(\.isError)
    }

    func testCaretUnderCJKNameCountsTwoColumnsPerCharacter() {
        let ds = errors("let 总额 = 销售额 + 1\n")
        XCTAssertEqual(ds.count, 1)
        // The header is 4 lines, so the body starts on line 5. `销售额`
        // starts at the 10th character: l e t ␠ 总 额 ␠ = ␠ 销 → column 10.
        // Caret pad: "let " (4) + "总额" (2 × 2) + " = " (3) = 11 spaces;
        // underline: 3 CJK characters = 6 columns, "^" + 5 "~".
        XCTAssertEqual(ds[0].rendered(), """
        p.tally:5:10: error: unknown name `销售额`
        let 总额 = 销售额 + 1
                   ^~~~~~
        """)
    }

    /// An ESC, NUL or C1 control in a plan line went to the terminal as is
    /// (escape-sequence injection); CSV lines already showed pictures.
    func testControlCharactersInTheQuotedLineAreShownAsPictures() {
        XCTAssertEqual(ControlPictures.replacing("a\u{202E}b\u{2066}c"), "a\u{FFFD}b\u{FFFD}c", "bidi controls")
        let ds = errors("let a = [\"\u{1B}[31m\u{0}\u{9B}\", zz]\n")
        XCTAssertEqual(ds.count, 1)
        // `let a = [` 1–9, `"` 10, ESC 11, `[31m` 12–15, NUL 16, CSI 17,
        // `"` 18, `,` 19, space 20, `zz` 21. One picture per scalar: the
        // caret stays under `zz` after 20 columns.
        XCTAssertEqual(ds[0].rendered(), """
        p.tally:5:21: error: unknown name `zz`
        let a = ["\u{241B}[31m\u{2400}\u{FFFD}", zz]
                            ^~
        """)
    }

    /// A mismatch caused by a call's arguments is reported at the function
    /// body, with a note at each call that led there (innermost first).
    func testAMismatchFromTheArgumentsNamesTheCalls() {
        let ds = errors("func add(a, b) = a + b\nfunc twice(a, b) = add(a, b)\nlet x = twice(1 CNY, 1 USD)\n")
        XCTAssertEqual(ds.count, 1)
        XCTAssertEqual(ds[0].rendered(), """
        p.tally:5:18: error: cannot combine money in CNY and money in USD: currencies differ
        func add(a, b) = a + b
                         ^~~~~
        p.tally:6:20: note: when `add` is called with money (CNY), money (USD)
        func twice(a, b) = add(a, b)
                           ^~~~~~~~~
        p.tally:7:9: note: when `twice` is called with money (CNY), money (USD)
        let x = twice(1 CNY, 1 USD)
                ^~~~~~~~~~~~~~~~~~~
        """)
    }

    /// Later calls reaching the same problem add their notes to the one
    /// report (they were dropped); a call deep inside other definitions is
    /// re-checked from the top (it was skipped); an error that starts where
    /// another does is not mistaken for it.
    func testEveryCallReachingAProblemIsNamedAndDepthDoesNotHideIt() {
        let ds = errors("""
        func add(a, b) = a + b
        func twice(a, b) = add(a, b)
        let x = add(1 CNY, 1 USD)
        let y = twice(1 CNY, 1 USD)
        let z = twice(2 CNY, 3 USD)

        """)
        XCTAssertEqual(ds.count, 1)
        XCTAssertEqual(ds[0].notes.map { "\($0.location!.line):\($0.location!.column)" }, ["7:9", "6:20", "8:9", "9:9"])

        var chain = "func plus(a, b) = a + b\n"
        for i in 0..<199 { chain += "let l\(i) = l\(i + 1)\n" }
        chain += "let l199 = plus(1 CNY, 1 USD)\n"
        XCTAssertEqual(errors(chain).map(\.message), ["cannot combine money in CNY and money in USD: currencies differ"])

        let both = errors("func f(a) = (1 CNY + 1 USD) + a\nlet w = f(true)\n")
        XCTAssertEqual(both.map(\.message), ["cannot combine money in CNY and money in USD: currencies differ",
                                             "cannot use bool in arithmetic (`+`)"])
    }

    func testColumnCountsCharactersNotBytes() {
        // `let s = ["华东", 未知]`: characters 1-8 "let s = ", 9 "[", 10 '"',
        // 11 华, 12 东, 13 '"', 14 ",", 15 " ", 16 未.
        let ds = errors("let s = [\"华东\", 未知]\n")
        let unknown = ds.first { $0.message.contains("unknown name `未知`") }
        XCTAssertNotNil(unknown, "\(ds.map(\.message))")
        XCTAssertEqual(unknown?.location?.line, 5)
        XCTAssertEqual(unknown?.location?.column, 16)
        // Display: 15 characters before it, two of them CJK: 17 spaces.
        XCTAssertEqual(unknown?.rendered().components(separatedBy: "\n").last,
                       String(repeating: " ", count: 17) + "^~~~")
    }

    func testNotesRenderWithTheirOwnLocation() {
        let ds = errors("let dup = 1\nlet dup = 2\n")
        XCTAssertEqual(ds.count, 1)
        XCTAssertEqual(ds[0].rendered(), """
        p.tally:6:5: error: `dup` is declared twice for the same company
        let dup = 2
            ^~~
        p.tally:5:1: note: first declared here
        let dup = 1
        ^~~~~~~~~~~
        """)
    }

    func testUnterminatedStringIsReportedAtTheOpeningQuote() {
        let ds = errors("let a = 1\nlet s = \"never closed\nlet b = 2\n")
        XCTAssertEqual(ds.count, 1, "\(ds.map(\.message))")
        XCTAssertEqual(ds[0].location?.line, 6)
        XCTAssertEqual(ds[0].location?.column, 9)
        XCTAssertTrue(ds[0].message.contains("unterminated string"), ds[0].message)
    }

    func testCRLFAndBOMDoNotShiftColumns() {
        let text = "\u{FEFF}" + (Self.header + "let x = nope\n").replacingOccurrences(of: "\n", with: "\r\n")
        let c = CompiledPlan.compile(source: text, name: "crlf.tally")
        let ds = c.diagnostics.filter(\.isError)
        XCTAssertEqual(ds.count, 1)
        XCTAssertEqual(ds.first?.location, SourceLocation(file: "crlf.tally", line: 5, column: 9))
        // The source line is shown without its CR.
        XCTAssertEqual(ds.first?.sourceLine, "let x = nope")
    }

    func testDiagnosticsAreSortedByPosition() {
        let ds = errors("let c = zzz\nlet a = yyy\nlet b = xxx\n")
        XCTAssertEqual(ds.map { $0.location?.line ?? 0 }, [5, 6, 7])
    }

    /// LANGUAGE.md §11 via the real CLI binary: exit code 1 and the same
    /// rendering on stderr, nothing on stdout.
    func testTallyCheckExitCodeAndStderr() throws {
        let binary = Harness.repoRoot.appendingPathComponent(".build/debug/tally")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else { throw XCTSkip("no .build/debug/tally") }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tally-diag-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let plan = dir.appendingPathComponent("p.tally")
        try (Self.header + "let 总额 = 销售额 + 1\n").write(to: plan, atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = binary
        p.arguments = ["check", plan.path]
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        p.waitUntilExit()
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(p.terminationStatus, 1)
        XCTAssertEqual(stdout, "")
        XCTAssertTrue(stderr.contains("p.tally:5:10: error: unknown name `销售额`\nlet 总额 = 销售额 + 1\n           ^~~~~~"), stderr)
    }
}

/// The checker collects all diagnostics in one pass and never stops at the
/// first (issue 2 item 3).
final class CheckerAllDiagnosticsTests: XCTestCase {
    func testFiveIndependentErrorsGiveFive() {
        let body = """
        let a = revenu + 1
        let b = 1 CNY + 1
        let c = "x" < "y"
        let d = d
        table t(x) interpolate {
          2 -> 1
          1 -> 2
        }
        """
        let c = CompiledPlan.compile(source: CheckerDiagnosticsTests.header + body, name: "five.tally")
        let errors = c.diagnostics.filter(\.isError)
        XCTAssertNil(c.plan)
        XCTAssertEqual(errors.count, 5, errors.map { $0.rendered() }.joined(separator: "\n"))
        XCTAssertEqual(errors.map { $0.location?.line ?? 0 }, [5, 6, 7, 8, 11])
    }

    func testErrorsInEveryStageAreReportedTogether() {
        // A lexical error, a syntax error, a name error, a type error and a
        // table error: the parser recovers and the checker still runs.
        let body = """
        let a = 35%%
        let b = (1 + 2
        let c = nope
        let d = 1 USD + 1 CNY
        table t(x) first {
          else -> 1
          1 -> 2
        }
        """
        let c = CompiledPlan.compile(source: CheckerDiagnosticsTests.header + body, name: "stages.tally")
        let errors = c.diagnostics.filter(\.isError)
        let found = errors.map { "\($0.location?.line ?? 0): \($0.message)" }
        // The unclosed `(` of line 6 is found at the next token, on line 7.
        for (line, text) in [(5, "percent literal"), (7, "expected `)` to close the `(` at 6:9"), (7, "unknown name `nope`"),
                             (8, "currencies differ"), (11, "a row after `else`")] {
            XCTAssertTrue(errors.contains { $0.location?.line == line && $0.message.contains(text) },
                          "no error containing \"\(text)\" on line \(line): \(found)")
        }
        XCTAssertEqual(errors.count, 5, "\(found)")
    }

    func testManyErrorsAreAllReported() {
        let body = (0..<50).map { "let v\($0) = unknown_\($0)\n" }.joined()
        let c = CompiledPlan.compile(source: CheckerDiagnosticsTests.header + body, name: "many.tally")
        XCTAssertEqual(c.diagnostics.filter(\.isError).count, 50)
    }
}
