import XCTest
@testable import Tally

final class InteractivePathTests: XCTestCase {
    func testParsesThePathsOfEachScope() throws {
        XCTAssertEqual(try InputPath.parse(#"people["E0042"].revenue"#).get(), InputPath(scope: .person, id: "E0042", field: "revenue"))
        XCTAssertEqual(try InputPath.parse(#"teams["sales-east"].budget"#).get(), InputPath(scope: .team, id: "sales-east", field: "budget"))
        XCTAssertEqual(try InputPath.parse("company.defect_rate").get(), InputPath(scope: .company, field: "defect_rate"))
        // Spaces and CJK names; the id is the decoded string.
        XCTAssertEqual(try InputPath.parse(#"  people [ "张\u{4E09}" ] . 销售额 "#).get(), InputPath(scope: .person, id: "张三", field: "销售额"))
        // A field named like a keyword is still a field.
        XCTAssertEqual(try InputPath.parse("company.weight").get().field, "weight")
    }

    func testDescriptionIsTheWrittenPath() {
        XCTAssertEqual(InputPath(scope: .person, id: "E\"1", field: "revenue").description, #"people["E\"1"].revenue"#)
        XCTAssertEqual(InputPath(scope: .company, id: "ignored", field: "x").description, "company.x")
        XCTAssertEqual(InputPath(scope: .team, id: "t", field: "b").override(.none).path, #"teams["t"].b"#)
    }

    func testReportsWhereAPathGoesWrong() {
        func error(_ text: String) -> InteractiveSyntaxError? {
            if case .failure(let e) = InputPath.parse(text) { return e }
            return nil
        }
        XCTAssertEqual(error(#"person["E1"].revenue"#)?.message.contains("write people[\"ID\"]"), true)
        XCTAssertEqual(error(#"person["E1"].revenue"#)?.start, 0)
        XCTAssertEqual(error("people.revenue")?.message, "expected `[\"ID\"]` after `people`")
        XCTAssertEqual(error("people.revenue")?.start, 6)
        XCTAssertEqual(error("people[E1].revenue")?.message.hasPrefix("expected the person's id as a string"), true)
        XCTAssertEqual(error(#"people["E1"]"#)?.message, "expected `.` and an input name")
        XCTAssertEqual(error(#"people["E1"]."#)?.message, "expected an input name after `.`")
        XCTAssertEqual(error("company.a.b")?.message, "unexpected `.` after the input path")
        XCTAssertEqual(error("company.a.b")?.start, 9)
        XCTAssertEqual(error("42")?.message.hasPrefix("expected an input path"), true)
    }

    func testSetArguments() throws {
        let a = try SetArguments.parse(#"people["E1"].revenue = 1_500_000 CNY"#).get()
        XCTAssertEqual(a.path, InputPath(scope: .person, id: "E1", field: "revenue"))
        XCTAssertEqual(a.pathRange, 0..<20)
        XCTAssertEqual(a.value.text.trimmingCharacters(in: .whitespaces), "1_500_000 CNY")
        XCTAssertEqual(a.value.offset, 22)
        // `==` inside the value is not the separator; strings may hold `=`.
        let b = try SetArguments.parse(#"people["a=b"].flag = people["x"].level == "P=3""#).get()
        XCTAssertEqual(b.path.id, "a=b")
        XCTAssertEqual(b.value.text, #" people["x"].level == "P=3""#)

        if case .failure(let e) = SetArguments.parse("company.x == 3") {
            XCTAssertEqual(e.message, "expected `=` and a value after company.x (one `=`, not `==`)")
            XCTAssertEqual(e.start, 10)
        } else { XCTFail("`==` accepted") }
        if case .failure(let e) = SetArguments.parse("company.x =") {
            XCTAssertEqual(e.message, "expected a value after `=`")
        } else { XCTFail("missing value accepted") }
    }

    func testSolveArguments() throws {
        let text = #"people["E1"].payout_multiplier = 1 by people["E1"].revenue"#
        let a = try SolveArguments.parse(text).get()
        XCTAssertEqual(a.target.text, #"people["E1"].payout_multiplier "#)
        XCTAssertEqual(a.target.offset, 0)
        XCTAssertEqual(a.value.text, " 1 ")
        XCTAssertEqual(a.input, InputPath(scope: .person, id: "E1", field: "revenue"))
        XCTAssertNil(a.low)

        // `by` inside brackets or strings is not the separator; the last top-level `by` is.
        let b = try SolveArguments.parse(#"f(by) = g["by"] by company.x in 0 CNY .. 10 CNY"#).get()
        XCTAssertEqual(b.target.text, "f(by) ")
        XCTAssertEqual(b.value.text, #" g["by"] "#)
        XCTAssertEqual(b.input, InputPath(scope: .company, field: "x"))
        XCTAssertEqual(b.low?.text, " 0 CNY ")
        XCTAssertEqual(b.high?.text, " 10 CNY")

        func message(_ t: String) -> String? {
            if case .failure(let e) = SolveArguments.parse(t) { return e.message }
            return nil
        }
        XCTAssertEqual(message("a == 1 by company.x")?.hasPrefix("expected `=` between the target and its value"), true)
        XCTAssertEqual(message("a = 1")?.hasPrefix("expected `by INPUT` after the value"), true)
        XCTAssertEqual(message("a = by company.x"), "expected a value between `=` and `by`")
        XCTAssertEqual(message("a = 1 by company.x in 5"), "expected a range LOW..HIGH after `in`")
        XCTAssertEqual(message("a = 1 by company.x 5")?.hasPrefix("unexpected a number after the input path"), true)
    }

    func testIsolateKeepsLinesAndColumns() {
        let text = ":set 张三 = 1 +\n  (2"
        let bytes = Array(text.utf8)
        let start = bytes.firstIndex(of: UInt8(ascii: "="))! + 1
        let isolated = InteractiveSyntax.isolate(text, start..<bytes.count)
        XCTAssertEqual(isolated, "          1 +\n  (2")
        XCTAssertEqual(isolated.unicodeScalars.filter { $0 == "\n" }.count, 1)
        // Same number of scalars before the kept part: columns stay the same.
        XCTAssertEqual(isolated.unicodeScalars.count, text.unicodeScalars.count)
    }

    func testDiagnosticsPointIntoTheWholeInput() {
        let entry = #":set people["E1"].revenue = 12 + "x""#
        let file = SourceFile(name: "<repl>", text: entry)
        let d = InteractiveSyntax.diagnostic("oops", in: file, start: 5, end: 25)
        XCTAssertEqual(d.rendered(), """
        <repl>:1:6: error: oops
        :set people["E1"].revenue = 12 + "x"
             ^~~~~~~~~~~~~~~~~~~~
        """)
    }
}
