import XCTest
@testable import Tally

/// Helpers shared by the syntax tests.
enum Syntax {
    struct Lexed {
        var tokens: [Token]
        var diagnostics: [Diagnostic]
        /// Kinds without the final `.eof`.
        var kinds: [TokenKind] { tokens.dropLast().map(\.kind) }
        var errors: [String] { diagnostics.map(\.message) }
    }

    static func lex(_ text: String) -> Lexed {
        lex(bytes: Array(text.utf8))
    }

    static func lex(bytes: [UInt8]) -> Lexed {
        let file = SourceFile(name: "t.tally", bytes: bytes)
        var bag = DiagnosticBag()
        let tokens = Lexer.tokenize(file, fileIndex: 0, diagnostics: &bag)
        return Lexed(tokens: tokens, diagnostics: bag.items)
    }

    struct Parsed {
        var file: PlanFile
        var diagnostics: [Diagnostic]
        var errors: [String] { diagnostics.map(\.message) }
        /// `line:col: message` for every diagnostic.
        var located: [String] {
            diagnostics.map { d in "\(d.location.map { "\($0.line):\($0.column)" } ?? "?"): \(d.message)" }
        }
        var printed: String { ASTPrinter.print(file) }
    }

    static func parse(_ text: String, name: String = "t.tally") -> Parsed {
        parse(bytes: Array(text.utf8), name: name)
    }

    static func parse(bytes: [UInt8], name: String = "t.tally") -> Parsed {
        let file = SourceFile(name: name, bytes: bytes)
        var bag = DiagnosticBag()
        let index = bag.add(file: file)
        var next: NodeID = 0
        let plan = Parser.parseFile(file, fileIndex: index, nextID: &next, diagnostics: &bag)
        return Parsed(file: plan, diagnostics: bag.items)
    }

    /// Parses `text` as one expression: its S-expression and error messages.
    static func expression(_ text: String) -> (String, [String]) {
        let file = SourceFile(name: "<expr>", text: text)
        var bag = DiagnosticBag()
        var next: NodeID = 0
        let e = Parser.parseExpression(file, fileIndex: 0, nextID: &next, diagnostics: &bag)
        return (ASTPrinter.print(e), bag.items.map(\.message))
    }

    /// The fixtures folder copied into the test bundle.
    static func fixture(_ name: String) throws -> URL {
        guard let url = Bundle.module.url(forResource: "Fixtures/syntax/" + name, withExtension: nil) else {
            throw XCTSkip("fixture \(name) not found")
        }
        return url
    }

    static func fixtureNames(withExtension ext: String) throws -> [String] {
        guard let dir = Bundle.module.url(forResource: "Fixtures/syntax", withExtension: nil) else {
            XCTFail("Fixtures/syntax missing from the test bundle")
            return []
        }
        return try FileManager.default.contentsOfDirectory(atPath: dir.path)
            .filter { $0.hasSuffix("." + ext) }.sorted()
    }
}

/// Asserts that `text` parses as one expression without errors, printing as `expected`.
func assertExpr(_ text: String, _ expected: String, file: StaticString = #filePath, line: UInt = #line) {
    let (printed, errors) = Syntax.expression(text)
    XCTAssertEqual(errors, [], "errors parsing \(text)", file: file, line: line)
    XCTAssertEqual(printed, expected, "parsing \(text)", file: file, line: line)
}

/// Asserts that parsing `text` as an expression reports an error containing `fragment`.
func assertExprError(_ text: String, _ fragment: String, file: StaticString = #filePath, line: UInt = #line) {
    let (_, errors) = Syntax.expression(text)
    XCTAssertTrue(errors.contains { $0.contains(fragment) }, "expected an error containing \"\(fragment)\" for \(text), got \(errors)",
                  file: file, line: line)
}
