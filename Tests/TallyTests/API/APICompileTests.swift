import XCTest
@testable import Tally

final class APICompileTests: XCTestCase {
    func testAllDiagnosticsComeBackTogetherSorted() {
        let source = """
        plan "p" {
          period: 2026-07-01 .. 2026-09-30
          currency: CNY
        }
        let a = missing_one + 1
        let b = missing_two * 2
        """
        let c = CompiledPlan.compile(source: source, name: "bad.tally")
        XCTAssertNil(c.plan)
        let errors = c.diagnostics.filter(\.isError)
        XCTAssertEqual(errors.count, 2, "\(c.diagnostics)")
        XCTAssertEqual(errors.map { $0.location?.line }, [5, 6])
        XCTAssertEqual(errors.first?.location?.file, "bad.tally")
        XCTAssertTrue(errors[0].message.contains("missing_one"), errors[0].message)
    }

    func testImportsGoThroughTheHostLoader() {
        let main = """
        import "common.tally"
        plan "p" {
          period: 2026-07-01 .. 2026-09-30
          currency: CNY
        }
        let doubled = base * 2
        """
        let loader: ImportLoader = { (path: String, importer: String) throws(ImportError) -> ImportedSource in
            guard path == "common.tally" else { throw ImportError("unknown import \(path)") }
            return ImportedSource(name: "common.tally", bytes: Array("let base = 21".utf8))
        }
        let c = CompiledPlan.compile(source: main, name: "main.tally", loader: loader)
        XCTAssertNotNil(c.plan, "\(c.diagnostics)")
        let data = c.plan!.dataset(json: Array(#"{"company": {}}"#.utf8)).dataset!
        XCTAssertEqual(try c.plan!.evaluate("doubled", in: data), APIFixtures.number("42"))

        let refused = CompiledPlan.compile(source: main, name: "main.tally")
        XCTAssertNil(refused.plan)
        XCTAssertTrue(refused.diagnostics.contains { $0.message.contains("no loader") }, "\(refused.diagnostics)")
    }

    func testCompileFromFileAndMissingFile() {
        let c = CompiledPlan.compile(contentsOfFile: APIFixtures.planPath)
        XCTAssertNotNil(c.plan)
        XCTAssertEqual(c.plan?.info.currency.code, "CNY")
        XCTAssertEqual(c.plan?.info.days, 92)

        let missing = CompiledPlan.compile(contentsOfFile: "/nonexistent/plan.tally")
        XCTAssertNil(missing.plan)
        XCTAssertEqual(missing.diagnostics.count, 1)
        XCTAssertTrue(missing.diagnostics[0].message.contains("no such file"))
    }

    func testInvalidUTF8IsADiagnostic() {
        var bytes = Array(APIFixtures.smallSource.utf8)
        bytes.insert(0xFF, at: 5)
        let c = CompiledPlan.compile(bytes: bytes, name: "bad.tally")
        XCTAssertNil(c.plan)
        XCTAssertTrue(c.diagnostics.contains { $0.isError && $0.location?.line == 1 }, "\(c.diagnostics)")
    }

    func testExpressionCompilationAndTypes() {
        let plan = APIFixtures.plan
        let ok = plan.expression(#"people["E0001"].quarterly_bonus"#)
        XCTAssertEqual(ok.expression?.typeDescription, "money (CNY)")
        let bad = plan.expression("people[\"E0001\"].quartely_bonus", name: "<q>")
        XCTAssertNil(bad.expression)
        XCTAssertEqual(bad.diagnostics.first?.location?.file, "<q>")
        XCTAssertTrue(bad.diagnostics.first?.message.contains("did you mean `quarterly_bonus`") ?? false)
    }

    func testDeclaredInputs() {
        let inputs = APIFixtures.small.inputs(of: .person)
        XCTAssertEqual(inputs.map(\.name), ["level", "base_salary", "hire_date", "fte", "rate", "manager_ok"])
        XCTAssertEqual(inputs.map(\.type), [.string, .money, .date, .number, .percent, .bool])
        XCTAssertEqual(inputs.map(\.mayBeAbsent), [false, false, false, true, false, true])
        let wanjiang = APIFixtures.plan.inputs(of: .person)
        XCTAssertTrue(wanjiang.contains { $0.name == "quota" && $0.mayBeAbsent }, "conditional inputs may be absent")
    }
}
