import Foundation
import XCTest
@testable import Tally

/// Loading the example plans under `examples/` with their datasets.
enum Example {
    static func dir(_ name: String) -> URL { Harness.repoRoot.appendingPathComponent("examples/\(name)") }

    struct Loaded {
        let plan: CompiledPlan
        let compileDiagnostics: [Diagnostic]
        let data: Dataset
        let dataDiagnostics: [Diagnostic]
        let session: Session

        /// The canonical text of EXPR evaluated in the company scope.
        func text(_ expr: String, file: StaticString = #filePath, line: UInt = #line) -> String {
            let c = plan.expression(expr)
            guard let e = c.expression else {
                XCTFail("`\(expr)` does not compile: \(c.diagnostics.map(\.message))", file: file, line: line)
                return "<compile error>"
            }
            do { return session.render(try session.evaluate(e)) } catch {
                XCTFail("`\(expr)`: \(error.diagnostic.rendered())", file: file, line: line)
                return "<error>"
            }
        }

        func person(_ id: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) -> String {
            text("people[\"\(id)\"].\(name)", file: file, line: line)
        }
    }

    /// Compiles `examples/NAME/plan.tally` and loads `files` from that folder.
    static func load(_ name: String, files: [String] = ["data.json"]) throws -> Loaded {
        let d = dir(name)
        let c = CompiledPlan.compile(bytes: try Harness.bytes(d.appendingPathComponent("plan.tally")), name: "plan.tally")
        guard let plan = c.plan else {
            throw NSError(domain: "Example", code: 1, userInfo: [NSLocalizedDescriptionKey:
                c.diagnostics.map { $0.rendered() }.joined(separator: "\n")])
        }
        let load = plan.dataset(files: try files.map { ($0, try Harness.bytes(d.appendingPathComponent($0))) })
        guard let data = load.dataset else {
            throw NSError(domain: "Example", code: 2, userInfo: [NSLocalizedDescriptionKey:
                load.diagnostics.map { $0.rendered() }.joined(separator: "\n")])
        }
        return Loaded(plan: plan, compileDiagnostics: c.diagnostics, data: data, dataDiagnostics: load.diagnostics,
                      session: Session(plan: plan, dataset: data))
    }

    /// The raw records of a JSON dataset, for computing expectations
    /// independently of Tally (numbers as Foundation `Decimal`, read from
    /// their text).
    static func rawPeople(_ name: String) throws -> [[String: Any]] {
        let data = try Data(contentsOf: dir(name).appendingPathComponent("data.json"))
        let root = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        return root["people"] as! [[String: Any]]
    }

    static func decimal(_ v: Any?) -> Decimal {
        if let n = v as? NSNumber { return Decimal(string: n.stringValue)! }
        if let s = v as? String { return Decimal(string: s)! }
        return 0
    }

    /// Every value of every subject, as text, for comparing two evaluations.
    static func snapshot(_ r: EvaluationResult) -> [String] {
        var out: [String] = []
        for s in [r.company] + r.teams + r.people {
            for (i, n) in s.names.enumerated() {
                out.append("\(s.scope) \(s.id).\(n) = \(s.values[i].map { CanonicalText.render($0) } ?? "<error>")")
            }
        }
        out += r.violations.map { "violation \($0.constraint) \($0.subject) \($0.severity)" }
        return out
    }

    /// Runs the release or debug `tally` binary.
    static func tally(_ args: [String], cwd: URL) throws -> (code: Int32, stdout: String, stderr: String) {
        var binary = Harness.repoRoot.appendingPathComponent(".build/debug/tally")
        if !FileManager.default.isExecutableFile(atPath: binary.path) {
            binary = Harness.repoRoot.appendingPathComponent(".build/release/tally")
        }
        guard FileManager.default.isExecutableFile(atPath: binary.path) else { throw XCTSkip("no tally binary built") }
        let p = Process()
        p.executableURL = binary
        p.arguments = args
        p.currentDirectoryURL = cwd
        // stderr goes to a file, so neither pipe can fill up and block the child.
        let errURL = FileManager.default.temporaryDirectory.appendingPathComponent("tally-stderr-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errURL) }
        let errHandle = try FileHandle(forWritingTo: errURL)
        let out = Pipe()
        p.standardOutput = out
        p.standardError = errHandle
        try p.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        try errHandle.close()
        let errData = try Data(contentsOf: errURL)
        return (p.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }
}
