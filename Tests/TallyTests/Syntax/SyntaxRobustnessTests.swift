import Foundation
import XCTest
@testable import Tally

/// Hostile input: never a crash, a hang or a lost position; a clear
/// diagnostic, promptly.
final class SyntaxRobustnessTests: XCTestCase {
    let tooDeep = "expression nested too deeply (limit \(Parser.nestingLimit))"

    /// The depth of an expression tree (recursive: the trees are bounded).
    func depth(_ e: Expr) -> Int {
        switch e.kind {
        case .number, .money, .string, .date, .bool, .none, .name, .error: return 1
        case .list(let xs): return 1 + (xs.map(depth).max() ?? 0)
        case .call(_, let xs): return 1 + (xs.map(depth).max() ?? 0)
        case .comprehension(let a, _, let b, let c): return 1 + max(depth(a), depth(b), c.map(depth) ?? 0)
        case .unary(_, let a), .member(let a, _): return 1 + depth(a)
        case .binary(_, let a, let b), .range(let a, let b, _), .filter(let a, let b), .index(let a, let b):
            return 1 + max(depth(a), depth(b))
        case .conditional(let a, let b, let c): return 1 + max(depth(a), depth(b), depth(c))
        }
    }

    func letValue(_ p: Syntax.Parsed, _ index: Int = 0) -> Expr? {
        guard index < p.file.declarations.count, case .let(let l) = p.file.declarations[index] else { return nil }
        return l.value
    }

    func timed<T>(_ limit: TimeInterval, _ what: String, _ body: () -> T) -> T {
        let start = Date()
        let result = body()
        let elapsed = Date().timeIntervalSince(start)
        XCTAssertLessThan(elapsed, limit, "\(what) took \(elapsed)s")
        return result
    }

    // MARK: - The nesting limit

    func testNestingJustUnderTheLimitIsFine() {
        let n = Parser.nestingLimit - 1
        let parens = Syntax.parse("let a = " + String(repeating: "(", count: n) + "1" + String(repeating: ")", count: n))
        XCTAssertEqual(parens.errors, [])
        let minus = Syntax.parse("let a = " + String(repeating: "-", count: n) + "1")
        XCTAssertEqual(minus.errors, [])
        XCTAssertEqual(letValue(minus).map(depth), n + 1)
        let sum = Syntax.parse("let a = 1" + String(repeating: "+1", count: n - 1))
        XCTAssertEqual(sum.errors, [])
        XCTAssertEqual(letValue(sum).map(depth), n)
    }

    func testTenThousandNestedParentheses() {
        let n = 10_000
        let text = "let a = " + String(repeating: "(", count: n) + "1" + String(repeating: ")", count: n) + "\nlet b = 2"
        let p = timed(5, "10,000 parentheses") { Syntax.parse(text) }
        XCTAssertEqual(p.located, ["1:209: " + tooDeep])
        XCTAssertEqual(p.file.declarations.count, 2)
        XCTAssertEqual(letValue(p, 1).map(ASTPrinter.print), "2")
    }

    func testTenThousandUnaryMinuses() {
        let text = "let a = " + String(repeating: "-", count: 10_000) + "1\nlet b = 2"
        let p = timed(5, "10,000 minuses") { Syntax.parse(text) }
        XCTAssertEqual(p.errors, [tooDeep])
        XCTAssertLessThanOrEqual(letValue(p).map(depth) ?? .max, Parser.nestingLimit)
        XCTAssertEqual(p.file.declarations.count, 2)
    }

    func testAMillionTermSum() {
        var text = "let a = 1"
        text.reserveCapacity(2_000_020)
        for _ in 1..<1_000_000 { text += "+1" }
        text += "\nlet b = 2"
        let p = timed(20, "1,000,000 terms") { Syntax.parse(text) }
        XCTAssertEqual(p.errors, [tooDeep])
        XCTAssertLessThanOrEqual(letValue(p).map(depth) ?? .max, Parser.nestingLimit)
        XCTAssertEqual(letValue(p, 1).map(ASTPrinter.print), "2")
    }

    func testLongRightAssociativeAndPostfixChains() {
        for (text, what) in [
            ("let a = 2" + String(repeating: "^2", count: 50_000), "power chain"),
            ("let a = x" + String(repeating: " ?? x", count: 50_000), "?? chain"),
            ("let a = x" + String(repeating: ".y", count: 50_000), "member chain"),
            ("let a = x" + String(repeating: "[0]", count: 50_000), "index chain"),
            ("let a = " + String(repeating: "not ", count: 50_000) + "x", "not chain"),
            ("let a = " + String(repeating: "if c then 1 else ", count: 20_000) + "2", "if chain"),
            ("let a = xs" + String(repeating: " where c", count: 50_000), "where chain"),
            ("let a = " + String(repeating: "f(", count: 20_000) + "1" + String(repeating: ")", count: 20_000), "call nesting"),
            ("let a = " + String(repeating: "[", count: 20_000) + "1" + String(repeating: "]", count: 20_000), "list nesting"),
        ] {
            let p = timed(10, what) { Syntax.parse(text + "\nlet b = 2") }
            XCTAssertEqual(p.errors, [tooDeep], what)
            XCTAssertLessThanOrEqual(letValue(p).map(depth) ?? .max, Parser.nestingLimit, what)
            XCTAssertEqual(p.file.declarations.count, 2, what)
        }
    }

    func testUnclosedNesting() {
        for text in [String(repeating: "(", count: 10_000), String(repeating: "[", count: 10_000),
                     String(repeating: "{", count: 10_000), String(repeating: "f(", count: 10_000),
                     String(repeating: "-(", count: 10_000)] {
            let p = timed(5, "unclosed") { Syntax.parse("let a = " + text) }
            XCTAssertFalse(p.errors.isEmpty)
            let q = timed(5, "unclosed at top") { Syntax.parse(text) }
            XCTAssertFalse(q.errors.isEmpty)
        }
    }

    func testDeeplyNestedBlocks() {
        let n = 10_000
        // Indented: nested `for` blocks (misplaced, skipped without recursing).
        let text = "for person {\n" + String(repeating: "  for person {\n", count: n - 1) + "  let a = 1\n"
            + String(repeating: "}\n", count: n) + "let b = 2"
        let p = timed(5, "nested for blocks") { Syntax.parse(text) }
        XCTAssertEqual(p.located, ["2:3: `for` blocks cannot be nested; put the condition in the outer block's `where`"])
        XCTAssertEqual(p.printed, "(for person)\n(let b 2)")
        // Not indented: each is an unterminated block, capped at the error limit.
        let flat = timed(5, "unclosed for blocks") { Syntax.parse(String(repeating: "for person {\n", count: n)) }
        XCTAssertEqual(flat.errors.count, Parser.errorLimit + 1)
        let braces = timed(5, "objective braces") { Syntax.parse("objective o " + String(repeating: "{", count: n)) }
        XCTAssertFalse(braces.errors.isEmpty)
    }

    /// The limit bounds the parser's own stack: deep input parses on a
    /// thread with a small stack.
    func testDeepInputOnASmallStack() {
        let text = "let a = " + String(repeating: "(-", count: 5_000) + "1" + String(repeating: ")", count: 5_000)
        let done = expectation(description: "parsed")
        let errors = LockedBox<[String]>([])
        let thread = Thread {
            errors.value = Syntax.parse(text).errors
            done.fulfill()
        }
        thread.stackSize = 1 << 20  // 1 MiB
        thread.start()
        wait(for: [done], timeout: 30)
        XCTAssertEqual(errors.value, [tooDeep])
    }

    // MARK: - Size

    func testFiveMegabytePlan() {
        var unit = ""
        var text = "plan \"big\" {\n  period: 2026-07-01 .. 2026-09-30\n  currency: CNY\n}\n"
        var i = 0
        while text.utf8.count < 5_000_000 {
            unit = """
                inputs person where "sales" in team.path { revenue_\(i): money "booked revenue"  quota_\(i): money? }
                table payout_\(i)(score) interpolate {
                  0.4 -> 0.5
                  0.7 -> 1.0
                  1.2 -> 2.0
                }
                for person where team.id == "t\(i)" {
                  let attainment_\(i) = revenue_\(i) / (quota_\(i) ?? 1 CNY)
                  objective grow_\(i) "提高销售额 \(i)" weight 100% {
                    key_result rev "季度销售额" { actual: revenue_\(i)  baseline: 0 CNY  target: quota_\(i) ?? 1 CNY  cap: 150% }
                  }
                  incentive bonus_\(i) { amount: 1_000 CNY * payout_\(i)(score) * [1, 2, 3][0]  round: 2 }
                }
                constraint "c\(i)" for person severity warning: sum(p.bonus_\(i) for p in people where p.fte > 0) <= 1_000_000 CNY

                """
            text += unit
            i += 1
        }
        let p = timed(10, "5 MB plan") { Syntax.parse(text) }
        XCTAssertEqual(p.errors, [])
        XCTAssertEqual(p.file.declarations.count, 1 + 4 * i)
    }

    func testAMegabyteOfGarbageHitsTheErrorLimit() {
        var rng = SplitMix(seed: 42)
        let bytes = (0..<1_000_000).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        let p = timed(15, "1 MB of random bytes") { Syntax.parse(bytes: bytes) }
        XCTAssertEqual(p.errors.count, Parser.errorLimit + 1)
        XCTAssertTrue(p.errors.last?.hasPrefix("too many syntax errors: ") ?? false, "\(p.errors.last ?? "")")
        // The kept errors are the first ones in source order.
        let offsets = p.diagnostics.dropLast().map { ($0.location!.line, $0.location!.column) }
        XCTAssertTrue(zip(offsets, offsets.dropFirst()).allSatisfy { $0 <= $1 })
        XCTAssertEqual(offsets.first?.0, 1)
    }

    func testManyIndependentErrorsUpToTheLimit() {
        let text = String(repeating: "let = 1\n", count: 1_500)
        let p = Syntax.parse(text)
        XCTAssertEqual(p.errors.count, Parser.errorLimit + 1)
        XCTAssertEqual(p.located.first, "1:5: expected a name after `let`, found `=`")
        XCTAssertEqual(p.located[Parser.errorLimit - 1], "\(Parser.errorLimit):5: expected a name after `let`, found `=`")
        XCTAssertEqual(p.located.last, "\(Parser.errorLimit + 1):5: too many syntax errors: 500 more in this file are not shown (limit \(Parser.errorLimit))")
    }

    // MARK: - Small hostile inputs

    func testEmptyAndBlankFiles() {
        for text in ["", "\n", "   \t\r\n", "# only a comment", "\u{FEFF}"] {
            let p = Syntax.parse(text)
            XCTAssertEqual(p.errors, [], text.debugDescription)
            XCTAssertTrue(p.file.declarations.isEmpty)
        }
    }

    func testInvalidUTF8InAPlan() {
        let bytes: [UInt8] = Array("let a = 1\nlet b = ".utf8) + [0xC0, 0x80] + Array(" 2\nlet c = \"".utf8) + [0xF5] + Array("\"\nlet d = 4".utf8)
        let p = Syntax.parse(bytes: bytes)
        XCTAssertEqual(p.located, ["2:9: invalid UTF-8 byte 0xC0", "2:10: invalid UTF-8 byte 0x80", "3:10: invalid UTF-8 byte 0xF5"])
        XCTAssertEqual(p.file.declarations.count, 4)
    }

    func testUnterminatedStringAtEndOfFile() {
        let p = Syntax.parse("plan \"never closed")
        XCTAssertEqual(p.located, ["1:6: unterminated string: no closing `\"` before the end of the file"])
    }

    func testUnterminatedBlockMessage() {
        let p = Syntax.parse("plan \"p\" {\n  period: 2026-07-01 .. 2026-09-30")
        XCTAssertEqual(p.errors, ["unterminated block: expected `}` to close the block opened at 1:10"])
    }

    /// Every prefix of every conformance case, and random token soup, parse
    /// without crashing or hanging.
    func testTruncatedAndShuffledInputs() throws {
        var corpus: [[UInt8]] = []
        for name in try Syntax.fixtureNames(withExtension: "tally") {
            corpus.append(Array(try String(contentsOf: Syntax.fixture(name), encoding: .utf8).utf8))
        }
        for bytes in corpus {
            for cut in stride(from: 0, to: bytes.count, by: 3) { _ = Syntax.parse(bytes: Array(bytes[..<cut])) }
        }
        let all = corpus.flatMap { String(decoding: $0, as: UTF8.self).split(whereSeparator: { $0 == " " }) }.map(String.init)
        var rng = SplitMix(seed: 7)
        for _ in 0..<2_000 {
            let words = (0..<Int(rng.next() % 40)).map { _ in all[Int(rng.next() % UInt64(all.count))] }
            let text = words.joined(separator: rng.next() % 2 == 0 ? " " : "\n")
            _ = Syntax.parse(text)
            _ = Syntax.expression(text)
            _ = Lexer.isIncomplete(text)
        }
    }
}

/// A deterministic pseudo-random generator for the fuzz-style tests.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

final class LockedBox<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var _value: T
    init(_ v: T) { _value = v }
    var value: T {
        get { lock.lock(); defer { lock.unlock() }; return _value }
        set { lock.lock(); defer { lock.unlock() }; _value = newValue }
    }
}
