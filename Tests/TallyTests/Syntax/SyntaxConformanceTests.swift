import XCTest
@testable import Tally

/// The spec's conformance cases (copied into Fixtures/syntax): every plan
/// parses without errors, except the three whose expected error is a
/// syntax-level one.
final class SyntaxConformanceTests: XCTestCase {
    /// Case name -> a fragment the syntax error must contain (the `.expect`
    /// pattern) and its line:col.
    let syntaxErrorCases: [String: (fragment: String, at: String)] = [
        "16-chained-comparison.tally": ("comparisons cannot be chained", "5:15"),
        "18-unterminated-string.tally": ("unterminated", "1:6"),
        "19-bad-date.tally": ("2026-02-30", "5:9"),
    ]

    func testEveryCaseParses() throws {
        let names = try Syntax.fixtureNames(withExtension: "tally")
        XCTAssertGreaterThanOrEqual(names.count, 26)
        for name in names {
            let text = try String(contentsOf: Syntax.fixture(name), encoding: .utf8)
            let p = Syntax.parse(text, name: name)
            if let (fragment, at) = syntaxErrorCases[name] {
                XCTAssertEqual(p.diagnostics.count, 1, "\(name): \(p.located)")
                XCTAssertTrue(p.errors.first?.contains(fragment) ?? false, "\(name): \(p.errors)")
                XCTAssertEqual(p.located.first?.hasPrefix(at + ":"), true, "\(name): \(p.located)")
            } else {
                XCTAssertEqual(p.located, [], name)
                XCTAssertFalse(p.file.declarations.isEmpty, name)
                guard case .plan(let header) = p.file.declarations.first else {
                    XCTFail("\(name): first declaration is not the plan header")
                    continue
                }
                XCTAssertEqual(header.fields.map(\.label.name), ["period", "currency"], name)
            }
        }
    }

    /// The `.expect` patterns of the syntax-level cases match the rendered diagnostics.
    func testExpectPatternsMatch() throws {
        for name in syntaxErrorCases.keys.sorted() {
            let expect = try String(contentsOf: Syntax.fixture(name.replacingOccurrences(of: ".tally", with: ".expect")), encoding: .utf8)
            guard let line = expect.split(separator: "\n").first(where: { $0.hasPrefix("check => error: ") }) else {
                XCTFail("\(name): no check line")
                continue
            }
            let alternatives = line.dropFirst("check => error: ".count).split(separator: "|").map(String.init)
            let text = try String(contentsOf: Syntax.fixture(name), encoding: .utf8)
            let rendered = Syntax.parse(text, name: name).diagnostics.map { $0.rendered() }.joined(separator: "\n")
            XCTAssertTrue(alternatives.contains { rendered.contains($0) }, "\(name): \(rendered)")
            XCTAssertTrue(rendered.contains("error:"), name)
        }
    }

    func testUnicodeCaseKeepsChineseNames() throws {
        let text = try String(contentsOf: Syntax.fixture("21-unicode.tally"), encoding: .utf8)
        XCTAssertEqual(Syntax.parse(text).printed.split(separator: "\n").last,
                       "(for person (let 达成率 (/ 销售额 目标)))")
    }

    func testCaretLineForWideCharacters() {
        let p = Syntax.parse("let 达成率 = 销售额 < 1 < 2")
        XCTAssertEqual(p.diagnostics.count, 1)
        let rendered = p.diagnostics[0].rendered()
        XCTAssertTrue(rendered.hasPrefix("t.tally:1:19: error: comparisons cannot be chained"), rendered)
        XCTAssertTrue(rendered.hasSuffix("\n" + String(repeating: " ", count: 24) + "^"), rendered)
    }
}
