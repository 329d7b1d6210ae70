import XCTest
@testable import Tally

final class DataJSONReaderTests: XCTestCase {
    private func value(_ text: String) throws -> JSONValue {
        switch dataParseJSON(text) {
        case .success(let n): return n.value
        case .failure(let d): XCTFail("unexpected error: \(d.rendered())"); throw d
        }
    }

    private func members(_ text: String) throws -> [JSONMember] {
        guard case .object(let m) = try value(text) else { XCTFail("not an object"); return [] }
        return m
    }

    // MARK: Numbers are kept as written

    func testNumbersKeepTheirSourceText() throws {
        let m = try members(#"{"a": 0.1, "b": 12345678901234567890.12, "c": -0, "d": 1e7000, "e": -1.5E-3, "f": 0, "g": 10E+2}"#)
        let texts = m.map { member -> String in
            if case .number(let t) = member.value.value { return t }
            return "?"
        }
        XCTAssertEqual(texts, ["0.1", "12345678901234567890.12", "-0", "1e7000", "-1.5E-3", "0", "10E+2"])
    }

    func testTopLevelScalars() throws {
        guard case .number("-0.0") = try value(" -0.0 ") else { return XCTFail() }
        guard case .bool(true) = try value("true") else { return XCTFail() }
        guard case .bool(false) = try value("false") else { return XCTFail() }
        guard case .null = try value("null") else { return XCTFail() }
        guard case .string("x") = try value("\"x\"") else { return XCTFail() }
        guard case .array(let a) = try value("[1, [], {}]"), a.count == 3 else { return XCTFail() }
    }

    func testInvalidNumbers() {
        XCTAssertEqual(dataJSONError("[01]"), "1:2: invalid number '01': leading zeros are not allowed")
        XCTAssertEqual(dataJSONError("[-01]"), "1:2: invalid number '-01': leading zeros are not allowed")
        XCTAssertEqual(dataJSONError("[1.]"), "1:2: invalid number '1.': a digit must follow the decimal point")
        XCTAssertEqual(dataJSONError("[-]"), "1:2: invalid number '-': a digit must follow '-'")
        XCTAssertEqual(dataJSONError("[1e]"), "1:2: invalid number '1e': the exponent needs digits")
        XCTAssertEqual(dataJSONError("[1e+]"), "1:2: invalid number '1e+': the exponent needs digits")
        XCTAssertEqual(dataJSONError("[1.000.000]"),
                       "1:2: invalid number '1.000.000': a number must be followed by ',', ']', '}' or white space")
        XCTAssertEqual(dataJSONError("[.5]"),
                       "1:2: invalid value '.5' (JSON values are numbers, \"strings\", true, false, null, arrays and objects)")
        XCTAssertEqual(dataJSONError("[+1]"),
                       "1:2: invalid value '+1' (JSON values are numbers, \"strings\", true, false, null, arrays and objects)")
        XCTAssertEqual(dataJSONError("[NaN]"),
                       "1:2: invalid value 'NaN' (JSON values are numbers, \"strings\", true, false, null, arrays and objects)")
        XCTAssertEqual(dataJSONError("[Infinity]"),
                       "1:2: invalid value 'Infinity' (JSON values are numbers, \"strings\", true, false, null, arrays and objects)")
        XCTAssertEqual(dataJSONError("[tru]"),
                       "1:2: invalid value 'tru' (JSON values are numbers, \"strings\", true, false, null, arrays and objects)")
        XCTAssertEqual(dataJSONError("[nullx]"),
                       "1:2: invalid value 'nullx' (JSON values are numbers, \"strings\", true, false, null, arrays and objects)")
        XCTAssertEqual(dataJSONError("[0x10]"),
                       "1:2: invalid number '0x10': a number must be followed by ',', ']', '}' or white space")
    }

    // MARK: Strings

    func testStringEscapesAndSurrogatePairs() throws {
        let text = #""\u00e9\uD83D\uDE00 \n\t\"\\\/\b\f\r \u0041 é 中""#
        guard case .string(let s) = try value(text) else { return XCTFail() }
        XCTAssertEqual(s, "é😀 \n\t\"\\/\u{8}\u{C}\r A é 中")
    }

    func testLoneSurrogatesAreErrors() {
        XCTAssertEqual(dataJSONError(#"["\uD83D"]"#),
                       #"1:3: lone surrogate \uD83D: a high surrogate must be followed by a low surrogate \uDC00-\uDFFF"#)
        XCTAssertEqual(dataJSONError(#"["ab\uD83Dxy"]"#),
                       #"1:5: lone surrogate \uD83D: a high surrogate must be followed by a low surrogate \uDC00-\uDFFF"#)
        XCTAssertEqual(dataJSONError(#"["\uD83D\u0041"]"#),
                       #"1:3: lone surrogate \uD83D: a high surrogate must be followed by a low surrogate \uDC00-\uDFFF"#)
        XCTAssertEqual(dataJSONError(#"["\uDE00"]"#),
                       #"1:3: lone surrogate \uDE00: a low surrogate must follow a high surrogate \uD800-\uDBFF"#)
    }

    func testBadEscapes() {
        XCTAssertEqual(dataJSONError(#"["\x"]"#),
                       #"1:3: invalid escape '\x' in a string (valid: \" \\ \/ \b \f \n \r \t \uXXXX)"#)
        XCTAssertEqual(dataJSONError(#"["\u12G4"]"#), #"1:3: invalid \u escape: expected 4 hexadecimal digits"#)
        XCTAssertEqual(dataJSONError(#"["\u12"#), #"1:3: unterminated string: input ends inside a \u escape"#)
    }

    func testControlCharactersAndUnterminatedStrings() {
        XCTAssertEqual(dataJSONError("{\"a\": \"abc\n\"}"),
                       "1:11: unterminated string: a line break inside a string must be written \\n")
        XCTAssertEqual(dataJSONError("[\"a\tb\"]"), "1:4: control character U+0009 inside a string must be escaped (\\u0009)")
        XCTAssertEqual(dataJSONError("[\"a\u{0}b\"]"), "1:4: NUL byte inside a string must be escaped (\\u0000)")
        XCTAssertEqual(dataJSONError("[\"abc"), "1:2: unterminated string: no closing '\"' before the end of input")
    }

    func testInvalidUTF8IsAnErrorWithItsPosition() {
        // In a string, after a two-scalar line prefix with CJK.
        let bytes: [UInt8] = Array("{\n  \"名\": \"ab".utf8) + [0xFF] + Array("\"}".utf8)
        XCTAssertEqual(dataJSONError(bytes: bytes), "2:11: invalid UTF-8 (byte 0xFF) in a string")
        // Overlong encoding of '/', an encoded surrogate, a truncated sequence.
        XCTAssertEqual(dataJSONError(bytes: [0x22, 0xC0, 0xAF, 0x22]), "1:2: invalid UTF-8 (byte 0xC0) in a string")
        XCTAssertEqual(dataJSONError(bytes: [0x22, 0xED, 0xA0, 0x80, 0x22]), "1:2: invalid UTF-8 (byte 0xED) in a string")
        XCTAssertEqual(dataJSONError(bytes: [0x22, 0xE4, 0xB8]), "1:2: invalid UTF-8 (byte 0xE4) in a string")
        // Outside a string.
        XCTAssertEqual(dataJSONError(bytes: [0x5B, 0x31, 0x2C, 0xFE, 0x5D]), "1:4: invalid UTF-8 (byte 0xFE)")
    }

    func testBOMIsAcceptedAndPositionsIgnoreIt() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("{\"a\": 1}".utf8)
        guard case .success(let n) = JSONReader.parse(bytes, file: "t.json"), case .object(let m) = n.value else {
            return XCTFail()
        }
        XCTAssertEqual(n.line, 1)
        XCTAssertEqual(n.column, 1)
        XCTAssertEqual(m[0].value.column, 7)
        XCTAssertEqual(dataJSONError(bytes: [0xEF, 0xBB, 0xBF] + Array("{\"a\": x}".utf8)), "1:7: invalid value 'x' (JSON values are numbers, \"strings\", true, false, null, arrays and objects)")
    }

    // MARK: Structure errors

    func testStructuralErrors() {
        XCTAssertEqual(dataJSONError(""), "1:1: empty file: expected a JSON value")
        XCTAssertEqual(dataJSONError("  \n "), "2:2: empty file: expected a JSON value")
        XCTAssertEqual(dataJSONError("{} x"), "1:4: unexpected 'x' after the end of the JSON value")
        XCTAssertEqual(dataJSONError("{}\n{}"), "2:1: unexpected '{' after the end of the JSON value")
        XCTAssertEqual(dataJSONError("[1,]"), "1:4: trailing comma before ']' is not allowed in JSON")
        XCTAssertEqual(dataJSONError("{\"a\":1,}"), "1:8: trailing comma before '}' is not allowed in JSON")
        XCTAssertEqual(dataJSONError("{\"a\" 1}"), "1:6: unexpected '1': expected ':' after the key \"a\"")
        XCTAssertEqual(dataJSONError("{a: 1}"), "1:2: unexpected 'a': expected a \"key\" in double quotes")
        XCTAssertEqual(dataJSONError("{'a': 1}"), "1:2: JSON strings use double quotes, not single quotes")
        XCTAssertEqual(dataJSONError("[1 2]"), "1:4: unexpected '2': expected ',' or ']' after an array element")
        XCTAssertEqual(dataJSONError("{\"a\":1 \"b\":2}"), "1:8: unexpected '\"': expected ',' or '}' after an object member")
        XCTAssertEqual(dataJSONError("[1, // two\n2]"), "1:5: comments are not allowed in JSON")
        XCTAssertEqual(dataJSONError("{\n \"a\": [1,\n   2"),
                       "3:5: unexpected end of input: the array opened at line 2, column 7 is not closed")
        XCTAssertEqual(dataJSONError("{\"a\": 1"), "1:8: unexpected end of input: the object opened at line 1, column 1 is not closed")
        XCTAssertEqual(dataJSONError("[,1]"), "1:2: unexpected ',': expected a value")
        XCTAssertEqual(dataJSONError("]"), "1:1: unexpected ']': expected a value")
    }

    func testErrorCarriesTheSourceLine() {
        guard case .failure(let d) = dataParseJSON("{\n  \"名字\": [1,,2]\n}") else { return XCTFail() }
        XCTAssertEqual(d.phase, .data)
        XCTAssertEqual(d.location, SourceLocation(file: "t.json", line: 2, column: 12))
        XCTAssertEqual(d.sourceLine, "  \"名字\": [1,,2]")
        XCTAssertEqual(d.rendered(), "t.json:2:12: error: unexpected ',': expected a value\n  \"名字\": [1,,2]\n             ^")
    }

    // MARK: Depth

    func testDeepNestingIsAnErrorNotACrash() {
        let deep = String(repeating: "[", count: 100_000)
        XCTAssertEqual(dataJSONError(deep), "1:65: nesting is deeper than 64 levels of arrays and objects")
        let deepObjects = String(repeating: "{\"a\":", count: 100_000)
        XCTAssertEqual(dataJSONError(deepObjects), "1:321: nesting is deeper than 64 levels of arrays and objects")
    }

    func testNestingUpToTheLimitIsAccepted() throws {
        let ok = String(repeating: "[", count: JSONReader.maxDepth) + String(repeating: "]", count: JSONReader.maxDepth)
        _ = try value(ok)
        let tooDeep = "[" + ok + "]"
        XCTAssertEqual(dataJSONError(tooDeep), "1:65: nesting is deeper than 64 levels of arrays and objects")
    }

    // MARK: Positions

    func testEveryValueHasLineAndColumnInScalars() throws {
        let text = "{\n\t\"名字\": \"肖涛\", \"n\": 1,\r\n  \"list\": [true,\n    null]\n}"
        let m = try members(text)
        XCTAssertEqual(m.map(\.key), ["名字", "n", "list"])
        XCTAssertEqual(m.map { "\($0.keyLine):\($0.keyColumn)" }, ["2:2", "2:14", "3:3"])
        XCTAssertEqual(m.map { "\($0.value.line):\($0.value.column)" }, ["2:8", "2:19", "3:11"])
        XCTAssertEqual(m[0].keyLength, 4)
        guard case .array(let items) = m[2].value.value else { return XCTFail() }
        XCTAssertEqual(items.map { "\($0.line):\($0.column)" }, ["3:12", "4:5"])
    }

    func testLongSingleLineKeepsColumnsLinear() throws {
        // 200,000 members on one line: positions are still exact and the parse is fast.
        var text = "{"
        for k in 0..<200_000 { text += (k == 0 ? "" : ",") + "\"k\(k)\":\(k)" }
        text += "}"
        let start = Date()
        let m = try members(text)
        XCTAssertLessThan(Date().timeIntervalSince(start), 20)
        XCTAssertEqual(m.count, 200_000)
        XCTAssertEqual(m[1].value.column, 2 + "\"k0\":0,".count + "\"k1\":".count)
    }

    func testRepeatedKeysAcrossObjectsAreReadCorrectly() throws {
        // Keys at the same position are recognised from earlier objects by their
        // bytes; prefixes, escapes and lookalikes must still come out right.
        let text = #"[{"ab":1,"c":0},{"a":2,"c":0},{"a\"":3,"ab":0},{"a\u0062":4},{"ab":5,"c":0},{"ab\"":6},{"abc":7},{"ab":8}]"#
        guard case .array(let items) = try value(text) else { return XCTFail() }
        let keys = items.map { item -> [String] in
            guard case .object(let m) = item.value else { return [] }
            return m.map(\.key)
        }
        XCTAssertEqual(keys, [["ab", "c"], ["a", "c"], ["a\"", "ab"], ["ab"], ["ab", "c"], ["ab\""], ["abc"], ["ab"]])
        XCTAssertEqual(dataJSONError(#"[{"ab":1},{"ab"#), "1:12: unterminated string: no closing '\"' before the end of input")
    }

    // MARK: Duplicate keys

    func testDuplicateKeysAreKeptForTheDatasetLayerToReport() throws {
        let m = try members(#"{"a": 1, "b": 2, "a": 3, "e\u0301": 4, "é": 5}"#)
        XCTAssertEqual(m.count, 5)
        let dups = JSONReader.duplicateKeys(m)
        XCTAssertEqual(dups.map(\.duplicate), [2, 4])
        XCTAssertEqual(dups.map(\.first), [0, 3])
    }
}
