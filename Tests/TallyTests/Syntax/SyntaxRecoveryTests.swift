import XCTest
@testable import Tally

/// All syntax errors of a file in one pass, each once, at the right place,
/// and the rest of the file still parsed.
final class SyntaxRecoveryTests: XCTestCase {
    func testThreeIndependentErrors() {
        let p = Syntax.parse("""
            let a = 1 +
            let b = 2
            for person {
              let c = (3 * 4
              let d = 5
            }
            let e = 6 6
            let f = 7
            """)
        XCTAssertEqual(p.located, [
            "2:1: expected an expression, found `let`",
            "5:3: expected `)` to close the `(` at 4:11, found `let`",
            "7:11: expected a declaration (`plan`, `import`, `inputs`, `for`, `let`, `func`, `table`, `objective`, `incentive`, `pool` or `constraint`), found a number",
        ])
        XCTAssertEqual(p.printed, """
            (let a (+ 1 <error>))
            (let b 2)
            (for person (let c (* 3 4)) (let d 5))
            (let e 6)
            (let f 7)
            """)
    }

    func testErrorsInSeveralFieldsOfOneBlock() {
        let p = Syntax.parse("""
            incentive bonus {
              eligible: a and
              amount: (1 CNY
              cap: 5 CNY
              floor: * 2
              round: 2
            }
            """)
        XCTAssertEqual(p.located.map { String($0.prefix(4)) }, ["3:3:", "4:3:", "5:10"])
        XCTAssertEqual(p.printed, "(incentive bonus (eligible (and a <error>)) (amount 1CNY) (cap 5CNY) (floor <error>) (round 2))")
    }

    func testMissingFieldValue() {
        let p = Syntax.parse("objective o {\n  key_result k {\n    actual:\n    baseline: 0\n    target: 1\n  }\n}")
        XCTAssertEqual(p.located, ["3:11: expected a value for `actual`"])
        XCTAssertEqual(p.printed, "(objective o (key_result k (actual <error>) (baseline 0) (target 1)))")
    }

    func testUnterminatedBlockAtEndOfFile() {
        let p = Syntax.parse("let x = 1\nfor person {\n  let a = 1\n")
        XCTAssertEqual(p.located, ["4:1: unterminated block: expected `}` to close the block opened at 2:12"])
        XCTAssertEqual(p.diagnostics[0].notes.first?.location?.description, "t.tally:2:12")
        XCTAssertEqual(p.printed, "(let x 1)\n(for person (let a 1))")
    }

    func testNestedUnterminatedBlocksReportTheInnermost() {
        let p = Syntax.parse("for person {\n  objective o {\n    key_result k { actual: 1")
        XCTAssertEqual(p.located, ["3:29: unterminated block: expected `}` to close the block opened at 3:18"])
        XCTAssertEqual(p.printed, "(for person (objective o (key_result k (actual 1))))")
    }

    func testMissingBraceBeforeTopLevelDeclaration() {
        let p = Syntax.parse("""
            for person {
              let a = 1
            table t(x) first { else -> 1 }
            let b = 2
            """)
        XCTAssertEqual(p.located, ["3:1: unterminated block: expected `}` to close the block opened at 1:12"])
        XCTAssertEqual(p.printed, "(for person (let a 1))\n(table t (x) first (-> else 1))\n(let b 2)")
    }

    func testMissingBraceOfAKeyResult() {
        let p = Syntax.parse("""
            objective o {
              key_result a { done: true
              key_result b { done: false }
            }
            """)
        XCTAssertEqual(p.located, ["3:3: unterminated block: expected `}` to close the block opened at 2:16"])
        XCTAssertEqual(p.printed, "(objective o (key_result a (done true)) (key_result b (done false)))")
    }

    func testMissingOpeningBraceFoundLaterOnTheLine() {
        let p = Syntax.parse("objective o \"t\" oops {\n  key_result k { done: true }\n}")
        XCTAssertEqual(p.located, ["1:17: expected `{` to open the block, found a name"])
        XCTAssertEqual(p.printed, #"(objective o "t" (key_result k (done true)))"#)
    }

    func testStrayClosingBrace() {
        let p = Syntax.parse("let a = 1\n}\nlet b = 2")
        XCTAssertEqual(p.located, ["2:1: unexpected `}`: there is no open block to close"])
        XCTAssertEqual(p.printed, "(let a 1)\n(let b 2)")
    }

    func testLexicalErrorsDoNotCascade() {
        let p = Syntax.parse("let a = 5 @ 3\nlet b = \"open\nlet c = 2026-02-30 + 1\nlet d = 1")
        XCTAssertEqual(p.located, [
            "1:11: unexpected character `@`",
            "2:9: unterminated string: no closing `\"` before the end of the line",
            "3:9: invalid date 2026-02-30 (February 2026 has 28 days)",
        ])
        XCTAssertEqual(p.printed, "(let a 5)\n(let b <error>)\n(let c (+ <error> 1))\n(let d 1)")
    }

    func testUnterminatedCallArguments() {
        let p = Syntax.parse("let x = f(1, 2\nlet y = 3")
        XCTAssertEqual(p.located, ["2:1: expected `)` to close the argument list opened at 1:10, found `let`"])
        XCTAssertEqual(p.printed, "(let x (call f 1 2))\n(let y 3)")
    }

    func testReservedWordAsName() {
        let p = Syntax.parse("let first = 1\nlet ok = 2")
        XCTAssertEqual(p.located, ["1:5: expected a name after `let`, found `first`, which is a reserved word"])
        XCTAssertEqual(p.printed.split(separator: "\n").last, "(let ok 2)")
    }

    func testTableRowErrorsRecoverPerRow() {
        let p = Syntax.parse("""
            table t(x) first {
              >= -> "a"
              1 "b"
              2 -> "c"
              3 -> -> "d"; 4 -> "e"
            }
            """)
        XCTAssertEqual(p.located, [
            "2:6: expected an expression, found `->`",
            "3:5: expected `->` and the row's result, found a string",
            "5:8: expected an expression, found `->`",
        ])
        XCTAssertEqual(p.printed, #"(table t (x) first (-> ((>= <error>)) "a") (-> (1) <error>) (-> (2) "c") (-> (3) <error>) (-> (4) "e"))"#)
    }

    func testGarbageBetweenDeclarations() {
        let p = Syntax.parse("let a = 1\n) ] 5 \"x\" + foo\nlet b = 2\n} } 7\nlet c = 3")
        XCTAssertEqual(p.located.count, 2)
        XCTAssertEqual(p.printed, "(let a 1)\n(let b 2)\n(let c 3)")
    }

    func testIndentationTellsAMisplacedItemFromAMissingBrace() {
        // Indented deeper than the objective: a misplaced item inside it.
        let p = Syntax.parse("for person {\n  objective o {\n    let x = 1\n  }\n}")
        XCTAssertEqual(p.located, ["3:5: expected `key_result` in an objective, found `let`"])
        XCTAssertEqual(p.printed, "(for person (objective o))")
        // Not deeper: the objective's `}` is missing.
        let q = Syntax.parse("for person {\n  objective o {\n  let x = 1\n}")
        XCTAssertEqual(q.located, ["3:3: unterminated block: expected `}` to close the block opened at 2:15"])
        XCTAssertEqual(q.printed, "(for person (objective o) (let x 1))")
    }
}
