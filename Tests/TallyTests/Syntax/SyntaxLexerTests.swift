import XCTest
@testable import Tally

final class SyntaxLexerTests: XCTestCase {
    func texts(_ l: Syntax.Lexed) -> [String] { l.tokens.dropLast().map(\.text) }

    // MARK: - Literals

    func testIntegersAndSeparators() {
        let l = Syntax.lex("42 1_000_000 0 007")
        XCTAssertEqual(l.errors, [])
        XCTAssertEqual(l.kinds, [.number, .number, .number, .number])
        XCTAssertEqual(texts(l), ["42", "1000000", "0", "007"])
    }

    func testDecimalsAndExponents() {
        let l = Syntax.lex("3.14 2.5e-3 1e3 1E+2 6.02e23 1_000.000_1")
        XCTAssertEqual(l.errors, [])
        XCTAssertEqual(texts(l), ["3.14", "2.5e-3", "1e3", "1E+2", "6.02e23", "1000.0001"])
        XCTAssertTrue(l.kinds.allSatisfy { $0 == .number })
    }

    func testRangeAfterNumberIsNotAFraction() {
        let l = Syntax.lex("1..2 1..<2 0.5..1.5")
        XCTAssertEqual(l.errors, [])
        XCTAssertEqual(l.kinds, [.number, .dotDot, .number, .number, .dotDotLess, .number, .number, .dotDot, .number])
        XCTAssertEqual(texts(l).filter { !$0.isEmpty }, ["1", "2", "1", "2", "0.5", "1.5"])
    }

    func testPercentLiterals() {
        let l = Syntax.lex("85% 2.5% 1_000%")
        XCTAssertEqual(l.errors, [])
        XCTAssertEqual(l.kinds, [.percent, .percent, .percent])
        XCTAssertEqual(texts(l), ["85", "2.5", "1000"])
    }

    func testMoneyLiterals() {
        let l = Syntax.lex("15_000 CNY 99.95 USD 0 JPY 5\tKWD")
        XCTAssertEqual(l.errors, [])
        XCTAssertEqual(l.kinds, [.money, .money, .money, .money])
        XCTAssertEqual(texts(l), ["15000", "99.95", "0", "5"])
        XCTAssertEqual(l.tokens.dropLast().map(\.currency), ["CNY", "USD", "JPY", "KWD"])
        // The span covers the number and the code.
        XCTAssertEqual(l.tokens[0].span.start, 0)
        XCTAssertEqual(l.tokens[0].span.end, 10)
    }

    func testMoneyNeedsAWholeWordOfThreeUppercaseLettersOnTheSameLine() {
        // Not a code: four letters, lowercase, next line, a following digit.
        XCTAssertEqual(Syntax.lex("5 CNYX").kinds, [.number, .identifier])
        XCTAssertEqual(Syntax.lex("5 cny").kinds, [.number, .identifier])
        XCTAssertEqual(Syntax.lex("5\nCNY").kinds, [.number, .identifier])
        XCTAssertEqual(Syntax.lex("5 AB1").kinds, [.number, .identifier])
        XCTAssertEqual(Syntax.lex("85% CNY").kinds, [.percent, .identifier])
        // The code itself is not checked by the lexer.
        XCTAssertEqual(Syntax.lex("5 XYZ").kinds, [.money])
    }

    func testDateLiterals() {
        let l = Syntax.lex("2026-09-30 2024-02-29")
        XCTAssertEqual(l.errors, [])
        XCTAssertEqual(l.kinds, [.date, .date])
        XCTAssertEqual(texts(l), ["2026-09-30", "2024-02-29"])
        // Never `2026 - 09 - 30`; other shapes are arithmetic.
        XCTAssertEqual(Syntax.lex("2026-9-30").kinds, [.number, .minus, .number, .minus, .number])
        XCTAssertEqual(Syntax.lex("2026-07-01..2026-09-30").kinds, [.date, .dotDot, .date])
    }

    func testInvalidDatesNameTheDate() {
        for text in ["2026-02-30", "2025-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "0000-01-01"] {
            let l = Syntax.lex(text)
            XCTAssertEqual(l.kinds, [.date], text)
            XCTAssertTrue(l.tokens[0].hasError, text)
            XCTAssertEqual(l.errors.count, 1, text)
            XCTAssertTrue(l.errors[0].contains("invalid date \(text)"), l.errors[0])
        }
        XCTAssertTrue(Syntax.lex("2026-02-30").errors[0].contains("February 2026 has 28 days"))
        // Not a date when it runs on into a digit or a word.
        XCTAssertEqual(Syntax.lex("2026-09-301").kinds, [.number, .minus, .number, .minus, .number])
        XCTAssertEqual(Syntax.lex("2026-09-301").errors, [])
        XCTAssertEqual(Syntax.lex("2026-09-30x").errors.count, 1)
    }

    func testStringsAndEscapes() {
        let l = Syntax.lex(#""plain" "a\"b" "back\\slash" "x\ny\tz" "\u{4E2D}\u{1F600}" "华东区""#)
        XCTAssertEqual(l.errors, [])
        XCTAssertEqual(texts(l), ["plain", "a\"b", "back\\slash", "x\ny\tz", "中😀", "华东区"])
    }

    func testUnterminatedStringIsReportedAtTheOpeningQuote() {
        let l = Syntax.lex("let a = \"abc\nlet b = 2")
        XCTAssertEqual(l.diagnostics.count, 1)
        XCTAssertTrue(l.errors[0].contains("unterminated string"))
        XCTAssertEqual(l.diagnostics[0].location?.line, 1)
        XCTAssertEqual(l.diagnostics[0].location?.column, 9)
        // Lexing goes on with the next line.
        XCTAssertEqual(l.kinds.suffix(4), [.keyword(.let), .identifier, .equal, .number])
        XCTAssertTrue(l.tokens[3].isUnterminated)

        let eof = Syntax.lex("x = \"open to the end")
        XCTAssertEqual(eof.diagnostics.count, 1)
        XCTAssertTrue(eof.errors[0].contains("unterminated string"))
        XCTAssertEqual(eof.diagnostics[0].location?.column, 5)

        // A CRLF ends the line too, and a backslash does not escape it.
        let crlf = Syntax.lex("\"abc\\\r\nx")
        XCTAssertEqual(crlf.errors.count, 1)
        XCTAssertEqual(crlf.kinds.last, .identifier)
    }

    func testBadEscapes() {
        let l = Syntax.lex(#""a\qb" "\u{D800}" "\u{110000}" "\u4E2D" "ok""#)
        XCTAssertEqual(l.errors.count, 4, "\(l.errors)")
        XCTAssertTrue(l.errors[0].contains("unknown escape"))
        XCTAssertEqual(l.kinds, [.string, .string, .string, .string, .string])
        XCTAssertEqual(l.tokens[4].text, "ok")
        XCTAssertFalse(l.tokens[4].hasError)
    }

    // MARK: - Words

    func testKeywordsAndIdentifiers() {
        let l = Syntax.lex("plan inputs for where let func table objective key_result weight aligns to incentive pool constraint severity import if then else and or not in none true false interpolate marginal flat first below above")
        XCTAssertEqual(l.errors, [])
        XCTAssertEqual(l.kinds, Keyword.allCases.map { TokenKind.keyword($0) })
        // Contextual labels and scope words are plain identifiers.
        let labels = "actual baseline target cap floor done score eligible amount round total among share period currency person team company"
        XCTAssertTrue(Syntax.lex(labels).kinds.allSatisfy { $0 == .identifier })
        XCTAssertEqual(Syntax.lex("Plan IF kr_2 _x x_ __").kinds, [.identifier, .identifier, .identifier, .identifier, .identifier, .identifier])
    }

    func testWildcard() {
        XCTAssertEqual(Syntax.lex("_ , _a").kinds, [.underscore, .comma, .identifier])
    }

    func testUnicodeIdentifiers() {
        let l = Syntax.lex("销售额 达成率 目标_2 café Ωmega")
        XCTAssertEqual(l.errors, [])
        XCTAssertEqual(l.kinds, Array(repeating: .identifier, count: 5))
        XCTAssertEqual(texts(l), ["销售额", "达成率", "目标_2", "café", "Ωmega"])
    }

    func testIdentifiersAreNFCNormalised() {
        let decomposed = "cafe\u{301}"  // e + combining acute
        let l = Syntax.lex(decomposed + " café")
        XCTAssertEqual(l.errors, [])
        XCTAssertEqual(l.tokens[0].text, l.tokens[1].text)
        XCTAssertEqual(Array(l.tokens[0].text.unicodeScalars).map(\.value).last, 0xE9)
    }

    func testNonIdentifierCharacters() {
        let l = Syntax.lex("a @ b ： c $ d")
        XCTAssertEqual(l.errors.count, 3)
        XCTAssertTrue(l.errors[0].contains("unexpected character `@`"), l.errors[0])
        XCTAssertTrue(l.errors[1].contains("U+FF1A"), l.errors[1])
        XCTAssertEqual(l.kinds.filter { $0 == .identifier }.count, 4)
        XCTAssertTrue(Syntax.lex("!x").errors[0].contains("use `not`"))
    }

    // MARK: - Operators

    func testOperators() {
        let l = Syntax.lex("+ - * / ^ == != < <= > >= ?? -> .. ..< . , ; : ( ) [ ] { } = ? _")
        XCTAssertEqual(l.errors, [])
        XCTAssertEqual(l.kinds, [.plus, .minus, .star, .slash, .caret, .equalEqual, .bangEqual, .less, .lessEqual,
                                 .greater, .greaterEqual, .questionQuestion, .arrow, .dotDot, .dotDotLess, .dot, .comma,
                                 .semicolon, .colon, .leftParen, .rightParen, .leftBracket, .rightBracket, .leftBrace,
                                 .rightBrace, .equal, .question, .underscore])
    }

    func testOperatorsWithoutSpaces() {
        XCTAssertEqual(Syntax.lex("a->b").kinds, [.identifier, .arrow, .identifier])
        XCTAssertEqual(Syntax.lex("x>=-1").kinds, [.identifier, .greaterEqual, .minus, .number])
        XCTAssertEqual(Syntax.lex("a??b").kinds, [.identifier, .questionQuestion, .identifier])
        XCTAssertEqual(Syntax.lex("date?").kinds, [.identifier, .question])
        XCTAssertEqual(Syntax.lex("p.score").kinds, [.identifier, .dot, .identifier])
    }

    // MARK: - Number errors

    func testNumberErrors() {
        let cases: [(String, String)] = [
            ("1__000", "between two digits"),
            ("1_", "between two digits"),
            ("1_.5", "between two digits"),
            (".5", "must start with a digit"),
            ("5.", "followed by a digit"),
            ("5.x", "followed by a digit"),
            ("35%%", "one `%`"),
            ("12abc", "directly follows"),
            ("% 5", "percent sign"),
        ]
        for (text, fragment) in cases {
            let l = Syntax.lex(text)
            XCTAssertEqual(l.errors.count, 1, "\(text): \(l.errors)")
            XCTAssertTrue(l.errors.first?.contains(fragment) ?? false, "\(text): \(l.errors)")
        }
        // The broken literal is still one token, flagged.
        XCTAssertEqual(Syntax.lex(".5").kinds, [.number])
        XCTAssertTrue(Syntax.lex(".5").tokens[0].hasError)
        XCTAssertEqual(Syntax.lex("35%%").kinds, [.percent])
        XCTAssertEqual(Syntax.lex("5. + 1").kinds, [.number, .plus, .number])
    }

    // MARK: - Layout

    func testCommentsAndNewlineFlags() {
        let l = Syntax.lex("a # comment with 中文 and \"quotes\n  b c\n\n# only a comment\nd")
        XCTAssertEqual(l.errors, [])
        XCTAssertEqual(texts(l), ["a", "b", "c", "d"])
        XCTAssertEqual(l.tokens.dropLast().map(\.precededByNewline), [true, true, false, true])
    }

    func testCRLFAndBOM() {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("let a = 1\r\nlet b = \"x\"\r\n".utf8)
        let l = Syntax.lex(bytes: bytes)
        XCTAssertEqual(l.errors, [])
        XCTAssertEqual(l.kinds, [.keyword(.let), .identifier, .equal, .number, .keyword(.let), .identifier, .equal, .string])
        XCTAssertTrue(l.tokens[4].precededByNewline)
        XCTAssertEqual(l.tokens[7].text, "x")
        XCTAssertEqual(Syntax.lex("a\rb").errors.count, 1)
    }

    func testSpansAreByteOffsets() {
        let l = Syntax.lex("销售额 >= 1_000 CNY")
        XCTAssertEqual(l.tokens[0].span.start, 0)
        XCTAssertEqual(l.tokens[0].span.end, 9)
        XCTAssertEqual(l.tokens[1].span.start, 10)
        XCTAssertEqual(l.tokens[1].span.end, 12)
        XCTAssertEqual(l.tokens[2].span.start, 13)
        XCTAssertEqual(l.tokens[2].span.end, 22)
        XCTAssertEqual(l.tokens[3].kind, .eof)
        XCTAssertEqual(l.tokens[3].span.start, 22)
    }

    func testInvalidUTF8IsReportedAndLexingGoesOn() {
        let bytes: [UInt8] = Array("a = ".utf8) + [0xFF] + Array(" b\n# c ".utf8) + [0xC3] + Array("\n\"s".utf8) + [0xE4, 0xB8] + Array("\" z".utf8)
        let l = Syntax.lex(bytes: bytes)
        XCTAssertEqual(l.errors, ["invalid UTF-8 byte 0xFF", "invalid UTF-8 byte 0xC3", "invalid UTF-8 byte 0xE4"])
        XCTAssertEqual(l.diagnostics.map { $0.location!.line }, [1, 2, 3])
        XCTAssertEqual(l.diagnostics[0].location?.column, 5)
        XCTAssertEqual(l.kinds, [.identifier, .equal, .invalid, .identifier, .string, .identifier])
        XCTAssertEqual(l.tokens[4].text, "s\u{FFFD}")
    }

    func testEmptyInput() {
        let l = Syntax.lex("")
        XCTAssertEqual(l.tokens.map(\.kind), [.eof])
        XCTAssertEqual(l.errors, [])
    }

    // MARK: - REPL continuation

    func testIsIncomplete() {
        XCTAssertTrue(Lexer.isIncomplete("sum(p.bonus for p in"))
        XCTAssertTrue(Lexer.isIncomplete("[1, 2,"))
        XCTAssertTrue(Lexer.isIncomplete("for person {\n let a = 1"))
        XCTAssertTrue(Lexer.isIncomplete("let s = \"abc"))
        XCTAssertFalse(Lexer.isIncomplete("1 + 2"))
        XCTAssertFalse(Lexer.isIncomplete("f(1)"))
        XCTAssertFalse(Lexer.isIncomplete("for person { let a = 1 }"))
        XCTAssertFalse(Lexer.isIncomplete("\"(\" + \"[\""))
        XCTAssertFalse(Lexer.isIncomplete("x # ( in a comment"))
        XCTAssertFalse(Lexer.isIncomplete("1 )("))
        XCTAssertFalse(Lexer.isIncomplete("\"abc\n1"))
        XCTAssertFalse(Lexer.isIncomplete(""))
    }
}
