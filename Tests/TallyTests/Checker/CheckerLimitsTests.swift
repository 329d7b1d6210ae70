import Foundation
import XCTest
@testable import Tally

/// Bad or extreme input never crashes, hangs or stops silently (issue 2
/// item 8): each case gives a clear diagnostic, or a correct result, and
/// returns promptly. Time limits are generous for debug builds on 2 cores.
final class CheckerLimitsTests: XCTestCase {
    static let header = CheckerDiagnosticsTests.header

    func timed<T>(_ limit: TimeInterval, _ what: String, file: StaticString = #filePath, line: UInt = #line,
                  _ body: () throws -> T) rethrows -> T {
        let start = Date()
        let result = try body()
        let elapsed = Date().timeIntervalSince(start)
        XCTAssertLessThan(elapsed, limit, "\(what) took \(elapsed) s", file: file, line: line)
        return result
    }

    func chain(_ n: Int, reversed: Bool) -> String {
        var lines = ["let a0 = 1"] + (1..<n).map { "let a\($0) = a\($0 - 1) + 1" }
        if reversed { lines.reverse() }
        return Self.header + lines.joined(separator: "\n") + "\n"
    }

    /// a0 = 1, a(i) = a(i-1) + 1, so a9999 = 10000.
    func testTenThousandLetChainInDeclarationOrder() throws {
        let c = timed(20, "compiling the chain") { CompiledPlan.compile(source: chain(10_000, reversed: false), name: "chain.tally") }
        let plan = try XCTUnwrap(c.plan, c.diagnostics.prefix(3).map { $0.rendered() }.joined(separator: "\n"))
        let data = try XCTUnwrap(Harness.dataset(plan))
        // Everything, in declaration order.
        let all = timed(20, "evaluating the chain") { plan.evaluate(data) }
        XCTAssertFalse(all.hasErrors, "\(all.diagnostics.prefix(3))")
        XCTAssertEqual(all.company["a9999"].map { Session(plan: plan, dataset: data).render($0) }, "10000")
    }

    /// Runs `childTest` of this class in a child process of the test bundle
    /// (with TALLY_CHILD set so it does its work), so that a crash such as a
    /// stack overflow fails this test instead of killing the whole run.
    func runChild(_ childTest: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let exe = URL(fileURLWithPath: CommandLine.arguments[0])
        guard exe.lastPathComponent.hasSuffix(".xctest"), FileManager.default.isExecutableFile(atPath: exe.path) else {
            throw XCTSkip("cannot re-run the test bundle as \(exe.path)")
        }
        let p = Process()
        p.executableURL = exe
        p.arguments = ["TallyTests.CheckerLimitsTests/\(childTest)"]
        p.environment = ProcessInfo.processInfo.environment.merging(["TALLY_CHILD": childTest]) { $1 }
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        let tail = String(text.suffix(1500))
        XCTAssertEqual(p.terminationReason, .exit, "\(childTest) crashed the process:\n" + tail, file: file, line: line)
        XCTAssertEqual(p.terminationStatus, 0, tail, file: file, line: line)
        XCTAssertTrue(text.contains("\(childTest): done"), tail, file: file, line: line)
    }

    func isChild(_ name: String = #function) -> Bool {
        ProcessInfo.processInfo.environment["TALLY_CHILD"] == String(name.prefix { $0 != "(" })
    }

    /// One cold query for the last link of the chain, through the library
    /// on the calling thread (as an embedding host or the REPL would): the
    /// value, or the documented limit diagnostic (`EvaluationOptions`
    /// maximumDepth 2,000), never a crash.
    func testDeepChainColdQueryOnTheCallingThreadDoesNotCrash() throws {
        try runChild("testChildDeepChainColdQuery")
    }

    /// Declarations are order-independent (LANGUAGE.md §10): the same chain
    /// written last-to-first must compile like the forward one (or both must
    /// hit the same documented limit), on the calling thread, without a crash.
    func testTenThousandLetChainInReverseOrderCompilesLikeTheForwardOne() throws {
        try runChild("testChildReverseChainCompile")
    }

    /// Child halves of the tests above: they do nothing in a normal run.
    func testChildDeepChainColdQuery() throws {
        guard isChild() else { return }
        let plan = try XCTUnwrap(CompiledPlan.compile(source: chain(10_000, reversed: false), name: "chain.tally").plan)
        let data = try XCTUnwrap(Harness.dataset(plan))
        let e = try XCTUnwrap(plan.expression("a9999").expression)
        let session = Session(plan: plan, dataset: data)
        do {
            let v = try session.evaluate(e)
            XCTAssertEqual(session.render(v), "10000")
        } catch let error as EvaluationFailure {
            XCTAssertEqual(error.kind, .limit, error.diagnostic.rendered())
            XCTAssertTrue(error.diagnostic.message.contains("nested too deeply"), error.diagnostic.message)
        }
        print("testChildDeepChainColdQuery: done")
    }

    func testChildReverseChainCompile() {
        guard isChild() else { return }
        let forward = CompiledPlan.compile(source: chain(10_000, reversed: false), name: "forward.tally")
        let backward = timed(20, "compiling the reversed chain") {
            CompiledPlan.compile(source: chain(10_000, reversed: true), name: "backward.tally")
        }
        XCTAssertEqual(forward.plan == nil, backward.plan == nil,
                       "forward compiles: \(forward.plan != nil); backward: \(backward.diagnostics.prefix(2).map { $0.rendered() })")
        print("testChildReverseChainCompile: done")
    }

    func testTenThousandNestedParentheses() {
        let src = Self.header + "let x = " + String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000) + "\n"
        let c = timed(10, "10,000 parentheses") { CompiledPlan.compile(source: src, name: "parens.tally") }
        XCTAssertNil(c.plan)
        let errors = c.diagnostics.filter(\.isError)
        XCTAssertEqual(errors.count, 1, "\(errors.map(\.message))")
        XCTAssertTrue(errors.first?.message.contains("nested too deeply") ?? false, "\(errors.map(\.message))")
        XCTAssertEqual(errors.first?.location?.line, 5)
    }

    func testTenThousandUnaryMinuses() {
        let src = Self.header + "let x = " + String(repeating: "-", count: 10_000) + "1\n"
        let c = timed(10, "10,000 unary minuses") { CompiledPlan.compile(source: src, name: "minus.tally") }
        if let plan = c.plan {
            // An even number of minuses: 1.
            let v = try? Session(plan: plan, dataset: Harness.dataset(plan)!).evaluate(plan.expression("x").expression!)
            XCTAssertEqual(v.map { CanonicalText.render($0) }, "1")
        } else {
            XCTAssertEqual(c.diagnostics.filter(\.isError).count, 1, "\(c.diagnostics.map(\.message))")
        }
    }

    /// A 5 MB plan of 70,000-odd lets compiles and evaluates.
    func testFiveMegabytePlan() throws {
        var src = Self.header
        var i = 0
        while src.utf8.count < 5 * 1024 * 1024 {
            src += "let value_\(i) = \(i) * 2 + 1   # a comment to make the file big\n"
            i += 1
        }
        let c = timed(60, "compiling 5 MB") { CompiledPlan.compile(source: src, name: "big.tally") }
        let plan = try XCTUnwrap(c.plan, "\(c.diagnostics.prefix(3))")
        let data = try XCTUnwrap(Harness.dataset(plan))
        let e = try XCTUnwrap(plan.expression("value_\(i - 1)").expression)
        // value_i = 2i + 1
        XCTAssertEqual(Session(plan: plan, dataset: data).render(try Session(plan: plan, dataset: data).evaluate(e)), "\(2 * (i - 1) + 1)")
    }

    func testEmptyFile() {
        let c = timed(1, "an empty file") { CompiledPlan.compile(bytes: [], name: "empty.tally") }
        XCTAssertNil(c.plan)
        let errors = c.diagnostics.filter(\.isError)
        XCTAssertEqual(errors.count, 1)
        XCTAssertTrue(errors.first?.message.contains("`plan") ?? false, "\(errors.map(\.message))")
        XCTAssertEqual(errors.first?.location?.line, 1)
    }

    func testOnlyABOMAndWhitespace() {
        let c = CompiledPlan.compile(bytes: [0xEF, 0xBB, 0xBF, 0x0A, 0x20, 0x0A], name: "bom.tally")
        XCTAssertNil(c.plan)
        XCTAssertEqual(c.diagnostics.filter(\.isError).count, 1, "\(c.diagnostics.map(\.message))")
    }

    func testInvalidUTF8IsADiagnosticAtTheByte() {
        var bytes = Array((Self.header + "let a = \"").utf8)
        bytes += [0xFF, 0xC3, 0x28]  // an invalid byte, and a truncated 2-byte sequence
        bytes += Array("\"\nlet b = 1\n".utf8)
        let c = timed(1, "invalid UTF-8") { CompiledPlan.compile(bytes: bytes, name: "bad.tally") }
        XCTAssertNil(c.plan)
        let errors = c.diagnostics.filter(\.isError)
        XCTAssertFalse(errors.isEmpty)
        for e in errors {
            XCTAssertTrue(e.message.contains("UTF-8"), e.message)
            XCTAssertEqual(e.location?.line, 5)
        }
        XCTAssertEqual(errors.first?.location?.column, 10)
    }

    func testNulBytesAndControlCharacters() {
        let bytes = Array((Self.header + "let a = 1\u{0}\u{1}\nlet b = 2\n").utf8)
        let c = CompiledPlan.compile(bytes: bytes, name: "nul.tally")
        XCTAssertNil(c.plan)
        XCTAssertTrue(c.diagnostics.contains { $0.isError && $0.location?.line == 5 }, "\(c.diagnostics.map(\.message))")
    }

    func testUnterminatedBlockAtEndOfFile() {
        let c = CompiledPlan.compile(source: Self.header + "for person {\n  let x = 1\n", name: "open.tally")
        XCTAssertNil(c.plan)
        let errors = c.diagnostics.filter(\.isError)
        XCTAssertEqual(errors.count, 1, "\(errors.map { $0.rendered() })")
    }

    func testAMegabyteStringLiteral() throws {
        let long = String(repeating: "长", count: 1_000_000)
        let c = timed(20, "a 3 MB string literal") { CompiledPlan.compile(source: Self.header + "let s = \"\(long)\"\nlet n = len(s)\n", name: "long.tally") }
        let plan = try XCTUnwrap(c.plan)
        let v = try Session(plan: plan, dataset: XCTUnwrap(Harness.dataset(plan))).evaluate(XCTUnwrap(plan.expression("n").expression))
        XCTAssertEqual(CanonicalText.render(v), "1000000")
    }

    /// The CLI on the same inputs: exit code 1 with a diagnostic, never a
    /// crash (a signal) or a hang.
    func testCLIOnBadPlans() throws {
        let binary = Harness.repoRoot.appendingPathComponent(".build/debug/tally")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else { throw XCTSkip("no .build/debug/tally") }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tally-limits-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let cases: [(String, [UInt8])] = [
            ("empty.tally", []),
            ("utf8.tally", Array((Self.header + "let a = \"").utf8) + [0xFF, 0x22, 0x0A]),
            ("parens.tally", Array((Self.header + "let x = " + String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000) + "\n").utf8)),
            ("minus.tally", Array((Self.header + "let x = " + String(repeating: "-", count: 10_001) + "1\n").utf8)),
            ("unterminated.tally", Array((Self.header + "let s = \"abc").utf8)),
        ]
        for (name, bytes) in cases {
            let url = dir.appendingPathComponent(name)
            try Data(bytes).write(to: url)
            let p = Process()
            p.executableURL = binary
            p.arguments = ["check", url.path]
            let err = Pipe()
            p.standardError = err
            p.standardOutput = Pipe()
            let start = Date()
            try p.run()
            let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            XCTAssertLessThan(Date().timeIntervalSince(start), 10, name)
            XCTAssertEqual(p.terminationReason, .exit, "\(name) was killed by a signal")
            XCTAssertEqual(p.terminationStatus, 1, "\(name): \(stderr)")
            XCTAssertTrue(stderr.contains("\(name):") && stderr.contains("error:"), "\(name): \(stderr)")
        }
    }
}
