import Foundation
import XCTest
@testable import Tally

/// The spec's conformance cases (`/work/shared/spec/cases`, copied into
/// Fixtures/conformance), run through the library exactly as
/// `run-cases.py` runs them through the CLI: every `.expect` line is one
/// check, and each failure is reported as `case:line`.
final class ConformanceTests: XCTestCase {
    struct Case {
        var name: String
        var plan: URL
        var expect: URL
        var data: [URL]
    }

    static func cases() -> [Case] {
        let dir = Harness.fixtures("conformance")
        return Harness.files(in: dir, ext: "tally").compactMap { plan in
            let base = plan.deletingPathExtension()
            let expect = base.appendingPathExtension("expect")
            guard FileManager.default.fileExists(atPath: expect.path) else { return nil }
            var data: [URL] = []
            let json = base.appendingPathExtension("json")
            if FileManager.default.fileExists(atPath: json.path) { data.append(json) }
            let folder = base.appendingPathExtension("data")
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDir), isDir.boolValue {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
                data += names.sorted().map { folder.appendingPathComponent($0) }
            }
            return Case(name: plan.lastPathComponent, plan: plan, expect: expect, data: data)
        }
    }

    /// Runs every line of every case; returns the number of checks run.
    @discardableResult
    func runAll(only: String? = nil) throws -> Int {
        var checks = 0
        for c in Self.cases() where only == nil || c.name.hasPrefix(only!) {
            let source = try Harness.bytes(c.plan)
            let data = try c.data.map { (name: $0.path, bytes: try Harness.bytes($0)) }
            let lines = try Harness.text(c.expect).components(separatedBy: "\n")
            for (i, raw) in lines.enumerated() {
                let line = raw.trimmingCharacters(in: .whitespaces)
                if line.isEmpty || line.hasPrefix("#") { continue }
                guard let arrow = line.range(of: "=>", options: .backwards) else {
                    XCTFail("\(c.name):\(i + 1): no `=>` in \(line)")
                    continue
                }
                let expr = line[..<arrow.lowerBound].trimmingCharacters(in: .whitespaces)
                let want = line[arrow.upperBound...].trimmingCharacters(in: .whitespaces)
                let where_ = "\(c.name.replacingOccurrences(of: ".tally", with: ".expect")):\(i + 1)"
                let run = expr == "check"
                    ? Harness.check(source: source, name: c.plan.path)
                    : Harness.evalPrint(source: source, name: c.plan.path, data: data, expressions: [expr])
                checks += 1
                if want.hasPrefix("error:") {
                    let needles = String(want.dropFirst("error:".count))
                    XCTAssertTrue(run.code > 0 && Harness.matchesAlternatives(needles, in: run.text),
                                  "FAIL \(where_): \(expr) => want \(want), got exit \(run.code): \(run.text)")
                } else if want == "ok" {
                    XCTAssertEqual(run.code, 0, "FAIL \(where_): \(expr) => want ok, got: \(run.text)")
                } else {
                    XCTAssertTrue(run.code == 0 && run.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == want,
                                  "FAIL \(where_): \(expr) => want \(want), got exit \(run.code): \(run.code == 0 ? run.stdout : run.text)")
                }
            }
        }
        return checks
    }

    func testEveryCaseLine() throws {
        let n = try runAll()
        // 26 cases, 152 lines when copied; a lost fixture must not pass silently.
        XCTAssertGreaterThanOrEqual(Self.cases().count, 26)
        XCTAssertGreaterThanOrEqual(n, 152)
    }

    /// The fixtures are an exact copy of the shared spec cases when those are
    /// present on this machine (they are the contract; do not edit the copy).
    func testFixturesMatchSharedSpec() throws {
        let shared = URL(fileURLWithPath: "/work/shared/spec/cases")
        guard FileManager.default.fileExists(atPath: shared.path) else { throw XCTSkip("no shared spec on this machine") }
        let mine = Harness.fixtures("conformance")
        let theirs = (try FileManager.default.contentsOfDirectory(atPath: shared.path)).sorted()
        for name in theirs {
            let a = try Data(contentsOf: shared.appendingPathComponent(name))
            let b = try? Data(contentsOf: mine.appendingPathComponent(name))
            XCTAssertEqual(a, b, "Fixtures/conformance/\(name) differs from the shared spec case; copy it again")
        }
    }
}
