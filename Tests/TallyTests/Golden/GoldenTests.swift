import Foundation
import XCTest
@testable import Tally

/// Runs every `Fixtures/golden/*.tally` (see `Golden` in GoldenRunner.swift
/// for the annotation syntax). Set GOLDEN=name to run the files whose name
/// contains it.
final class GoldenTests: XCTestCase {
    func testEveryGoldenFile() throws {
        let dir = Harness.fixtures("golden")
        let only = ProcessInfo.processInfo.environment["GOLDEN"]
        let files = Harness.files(in: dir, ext: "tally").filter { only == nil || $0.lastPathComponent.contains(only!) }
        XCTAssertFalse(files.isEmpty, "no golden files in \(dir.path)")
        var total = 0
        for url in files {
            let json = url.deletingPathExtension().appendingPathExtension("json")
            let data = FileManager.default.fileExists(atPath: json.path) ? try Harness.bytes(json) : nil
            let (failures, checks) = Golden.run(name: url.lastPathComponent, source: try Harness.bytes(url), data: data)
            total += checks
            for f in failures { XCTFail(f) }
        }
        print("golden: \(files.count) files, \(total) checks")
    }
}

/// The runner itself must fail on a missing or an unexpected diagnostic, a
/// wrong value, and an error on the wrong line.
final class GoldenRunnerTests: XCTestCase {
    let header = """
    plan "g" {
      period: 2026-07-01 .. 2026-09-30
      currency: CNY
    }

    """

    func run(_ body: String, data: String? = nil) -> [String] {
        Golden.run(name: "self.tally", source: Array((header + body).utf8), data: data.map { Array($0.utf8) }).failures
    }

    func testPassingFile() {
        XCTAssertEqual(run("let x = 1 / 4   # => 0.25\nlet y = x * 2   # y + 1 => 1.5\n"), [])
    }

    func testWrongValueFails() {
        let f = run("let x = 1 / 4   # => 0.26\n")
        XCTAssertEqual(f.count, 1)
        XCTAssertTrue(f.first?.contains("self.tally:5: x: want 0.26, got 0.25") ?? false, "\(f)")
    }

    func testMissingCompileErrorFails() {
        let f = run("let x = 1   # error: unknown name\n")
        XCTAssertTrue(f.contains { $0.contains("missing compile error") }, "\(f)")
        XCTAssertTrue(f.contains { $0.contains("compiled although") }, "\(f)")
    }

    func testUnexpectedCompileErrorFails() {
        let f = run("let x = nope   # error: unknown name\nlet y = alsonope\n")
        XCTAssertEqual(f.count, 1, "\(f)")
        XCTAssertTrue(f.first?.contains("self.tally:6: unexpected compile error") ?? false, "\(f)")
    }

    func testCompileErrorOnTheWrongLineFails() {
        let f = run("let x = 1\n# error: unknown name\nlet y = nope\n")
        XCTAssertTrue(f.contains { $0.contains("missing compile error") }, "\(f)")
        XCTAssertTrue(f.contains { $0.contains("unexpected compile error") }, "\(f)")
    }

    func testUnexpectedWarningFails() {
        let f = run("table t(x) first {\n  else -> 1\n}\nlet a = t(1) # => 1\n")
        XCTAssertEqual(f, [])
        let g = run("table t(x) first {\n  _ -> 1\n  2 -> 2\n}\nlet a = t(1) # => 1\n")
        XCTAssertTrue(g.contains { $0.contains("unexpected compile warning") }, "\(g)")
    }

    func testUnannotatedEvaluationErrorFails() {
        let f = run("let z = 1 / 0\nlet a = 1   # => 1\n")
        XCTAssertTrue(f.contains { $0.contains("self.tally:5: unexpected evaluation error") }, "\(f)")
        XCTAssertEqual(run("let z = 1 / 0   # eval-error: division by zero\n"), [])
    }

    func testEvalErrorExpectedButValueFails() {
        let f = run("let z = 1 / 1   # eval-error: division by zero\n")
        XCTAssertTrue(f.contains { $0.contains("want eval-error") }, "\(f)")
    }

    /// The expected text must be in the message, not merely in the quoted
    /// source line (which holds the annotation itself).
    func testEvalErrorTextIsMatchedAgainstTheMessageOnly() {
        let f = run("let z = 1 / 0   # eval-error: zebra\n")
        XCTAssertTrue(f.contains { $0.contains("want eval-error \"zebra\"") }, "\(f)")
    }

    func testFileWithoutAnnotationsFails() {
        XCTAssertFalse(run("let x = 1\n").isEmpty)
    }

    func testHashInsideStringIsNotAComment() {
        XCTAssertEqual(Golden.comment(of: #"let s = "a#b"   # => a#b"#).comment, " => a#b")
        XCTAssertEqual(run(##"let s = "a#b\"#"   # => a#b"#"## + "\n"), [])
    }
}
