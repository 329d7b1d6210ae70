import Foundation
import XCTest
@testable import Tally

/// Helpers shared by the Conformance, Checker, Evaluator, Golden and Examples
/// tests: locating fixtures, compiling, loading data and running an
/// expression the way `tally eval --print` does (Sources/tally/Eval.swift).
enum Harness {
    /// The package root (this file is Tests/TallyTests/Conformance/ConformanceHarness.swift).
    static let repoRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// A fixtures sub-folder (`conformance`, `golden`, `examples`): the copy
    /// in the test bundle, else the source tree.
    static func fixtures(_ sub: String) -> URL {
        if let base = Bundle.module.resourceURL {
            let u = base.appendingPathComponent("Fixtures/" + sub)
            if FileManager.default.fileExists(atPath: u.path) { return u }
        }
        return repoRoot.appendingPathComponent("Tests/TallyTests/Fixtures/" + sub)
    }

    static func files(in dir: URL, ext: String) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasSuffix("." + ext) }.sorted().map { dir.appendingPathComponent($0) }
    }

    static func bytes(_ url: URL) throws -> [UInt8] { Array(try Data(contentsOf: url)) }

    static func text(_ url: URL) throws -> String {
        guard let s = String(data: try Data(contentsOf: url), encoding: .utf8) else {
            throw NSError(domain: "Harness", code: 1, userInfo: [NSLocalizedDescriptionKey: "not UTF-8: \(url.path)"])
        }
        return s
    }

    /// An empty dataset (no teams, no people) for plans that need no data.
    static let emptyJSON: [UInt8] = Array(#"{"company": {}, "teams": [], "people": []}"#.utf8)

    static func compile(_ source: String, name: String = "t.tally") -> Compilation {
        CompiledPlan.compile(source: source, name: name)
    }

    /// Compiles `source`, failing the test (and returning nil) on any error.
    static func plan(_ source: String, name: String = "t.tally",
                     file: StaticString = #filePath, line: UInt = #line) -> CompiledPlan? {
        let c = compile(source, name: name)
        if c.plan == nil {
            XCTFail("plan does not compile:\n" + c.diagnostics.map { $0.rendered() }.joined(separator: "\n"), file: file, line: line)
        }
        return c.plan
    }

    /// Loads a JSON dataset text against `plan`, failing the test on any error.
    static func dataset(_ plan: CompiledPlan, json: String? = nil,
                        file: StaticString = #filePath, line: UInt = #line) -> Dataset? {
        let load = plan.dataset(files: [("data.json", json.map { Array($0.utf8) } ?? emptyJSON)])
        if load.dataset == nil {
            XCTFail("dataset does not load:\n" + load.diagnostics.map { $0.rendered() }.joined(separator: "\n"), file: file, line: line)
        }
        return load.dataset
    }

    /// What `tally eval PLAN --data ... --print EXPR` (or `tally check`) would
    /// report: the exit code, stdout and everything written to stderr.
    struct Run {
        var code: Int
        var stdout: String
        var stderr: String
        var text: String { stdout + stderr }
    }

    static func rendered(_ ds: [Diagnostic]) -> String { ds.map { $0.rendered() + "\n" }.joined() }

    /// `tally check`: exit 1 on compile errors, else 0.
    static func check(source: [UInt8], name: String) -> Run {
        let c = CompiledPlan.compile(bytes: source, name: name)
        return Run(code: c.plan == nil ? 1 : 0, stdout: "", stderr: rendered(c.diagnostics))
    }

    /// `tally eval --print EXPR`, mirroring Sources/tally/Eval.swift step by step.
    static func evalPrint(source: [UInt8], name: String, data: [(name: String, bytes: [UInt8])], expressions: [String]) -> Run {
        var err = ""
        let c = CompiledPlan.compile(bytes: source, name: name)
        err += rendered(c.diagnostics)
        guard let plan = c.plan else { return Run(code: 1, stdout: "", stderr: err) }
        let load = plan.dataset(files: data)
        err += rendered(load.diagnostics)
        guard let dataset = load.dataset else { return Run(code: 2, stdout: "", stderr: err) }
        var compiled: [CompiledExpression] = []
        var failed = false
        for (i, text) in expressions.enumerated() {
            let e = plan.expression(text, name: expressions.count == 1 ? "<print>" : "<print \(i + 1)>")
            err += rendered(e.diagnostics)
            if let x = e.expression { compiled.append(x) } else { failed = true }
        }
        if failed { return Run(code: 1, stdout: "", stderr: err) }
        let session = Session(plan: plan, dataset: dataset)
        var lines: [String] = []
        var evaluationFailed = false
        for e in compiled {
            do { lines.append(session.render(try session.evaluate(e))) } catch {
                err += rendered([error.diagnostic])
                evaluationFailed = true
            }
        }
        var code = 0
        do {
            for v in try session.violations() {
                err += "\(v.severity == .error ? "error" : "warning"): constraint \"\(v.constraint)\" violated for \(v.subject): \(v.message)\n"
                if v.severity == .error { code = 3 }
            }
        } catch {
            err += rendered([error.diagnostic])
            evaluationFailed = true
        }
        err += rendered(session.warnings)
        if evaluationFailed { return Run(code: 2, stdout: "", stderr: err) }
        return Run(code: code, stdout: lines.map { $0 + "\n" }.joined(), stderr: err)
    }

    /// `want` is `error: A|B|C`: does `text` contain one alternative (case-insensitively)?
    static func matchesAlternatives(_ alternatives: String, in text: String) -> Bool {
        let hay = text.lowercased()
        return alternatives.lowercased().split(separator: "|").contains { hay.contains($0.trimmingCharacters(in: .whitespaces)) }
    }
}
