import XCTest
@testable import Tally

final class DataCSVReaderTests: XCTestCase {
    private func fields(_ r: RawRecord) -> [String] {
        r.fields.map { f in
            if case .string(let s) = f.value { return "\(f.key)=\(s)@\(f.location.line):\(f.location.column)" }
            return "\(f.key)=?"
        }
    }

    // MARK: Values and positions

    func testQuotingEscapesAndEmptyCells() {
        let (data, diags) = dataCSVRead("id,name,note\nE1,\"Lin, Mei\",\"say \"\"hi\"\"\"\nE2,,\"\"\n")
        XCTAssertEqual(dataMessages(diags), [])
        XCTAssertEqual(data.people.count, 2)
        XCTAssertEqual(fields(data.people[0]), ["id=E1@2:1", "name=Lin, Mei@2:4", "note=say \"hi\"@2:15"])
        // An empty cell, quoted or not, is an absent field.
        XCTAssertEqual(fields(data.people[1]), ["id=E2@3:1"])
        XCTAssertEqual(data.people[1].location, SourceLocation(file: "people.csv", line: 3, column: 1))
        XCTAssertNil(data.company)
        XCTAssertEqual(data.teams.count, 0)
    }

    func testQuotedLineBreaksKeepLineNumbersRight() {
        let (data, diags) = dataCSVRead("id,note\r\nE1,\"line one\r\nline two\nline three\"\r\nE2,x\r\nE3,\"\"\"\"\r\n")
        XCTAssertEqual(dataMessages(diags), [])
        XCTAssertEqual(data.people.map(\.location.line), [2, 5, 6])
        XCTAssertEqual(data.people[0].field("note")?.value, .string("line one\r\nline two\nline three"))
        XCTAssertEqual(fields(data.people[1]), ["id=E2@5:1", "note=x@5:4"])
        XCTAssertEqual(data.people[2].field("note")?.value, .string("\""))
    }

    func testCellTextIsKeptExactly() {
        let (data, diags) = dataCSVRead("id,a,b,c,d\nE1, 12 ,9.1%,\"1,5\",\"1.000.000\"\n")
        XCTAssertEqual(dataMessages(diags), [])
        XCTAssertEqual(data.people[0].fields.map(\.value),
                       [.string("E1"), .string(" 12 "), .string("9.1%"), .string("1,5"), .string("1.000.000")])
        // Unquoted, 1,5 is two cells, so the row no longer fits the header: an error, never a reinterpretation.
        let (data2, diags2) = dataCSVRead("id,a,b,c,d\nE1, 12 ,9.1%,1,5,\"1.000.000\"\n")
        XCTAssertEqual(dataMessages(diags2),
                       ["people.csv:2:1: this row has 6 cells, more than the 5 columns of the header; the row is skipped"])
        XCTAssertEqual(data2.people.count, 0)
    }

    func testCJKColumnsCountCharacters() {
        let (data, _) = dataCSVRead("id,name,team\nE1,肖涛,销售\n")
        XCTAssertEqual(fields(data.people[0]), ["id=E1@2:1", "name=肖涛@2:4", "team=销售@2:7"])
    }

    func testLastRowWithoutLineEndAndTrailingEmptyCell() {
        let (data, diags) = dataCSVRead("id,name\nE1,")
        XCTAssertEqual(dataMessages(diags), [])
        XCTAssertEqual(fields(data.people[0]), ["id=E1@2:1"])
        let (data2, diags2) = dataCSVRead("id,name\r\nE1,\"x\"")
        XCTAssertEqual(dataMessages(diags2), [])
        XCTAssertEqual(fields(data2.people[0]), ["id=E1@2:1", "name=x@2:4"])
    }

    func testBlankLinesAreSkipped() {
        let (data, diags) = dataCSVRead("id,name\n\nE1,a\r\n\r\n\nE2,b\n\n")
        XCTAssertEqual(dataMessages(diags), [])
        XCTAssertEqual(data.people.map(\.location.line), [3, 6])
    }

    func testHeaderNamesAreNFCNormalised() {
        let (data, diags) = dataCSVRead("id,cafe\u{301}\nE1,x\n")
        XCTAssertEqual(dataMessages(diags), [])
        XCTAssertEqual(Array(data.people[0].fields[1].key.unicodeScalars), Array("caf\u{E9}".unicodeScalars))
    }

    func testBOMIsSkippedAndColumnsStartAfterIt() {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("id,team\r\nE1,sales\r\n".utf8)
        let (data, diags) = DatasetReader.readCSV(bytes, file: "people.csv", scope: .person)
        XCTAssertEqual(dataMessages(diags), [])
        XCTAssertEqual(data.people[0].fields.map(\.key), ["id", "team"])
        XCTAssertEqual(fields(data.people[0]), ["id=E1@2:1", "team=sales@2:4"])
    }

    func testHugeField() {
        let big = String(repeating: "长", count: 2_000_000)
        let (data, diags) = dataCSVRead("id,note\nE1,\"\(big)\"\nE2,x\n")
        XCTAssertEqual(dataMessages(diags), [])
        XCTAssertEqual(data.people.count, 2)
        XCTAssertEqual(data.people[0].field("note")?.value, .string(big))
        XCTAssertEqual(data.people[1].field("note")?.location.line, 3)
    }

    // MARK: Malformed CSV

    func testUnterminatedQuoteIsAnErrorAtTheOpeningQuote() {
        let (data, diags) = dataCSVRead("id,name\nE1,ok\nE2,\"abc\nE3,x\n")
        XCTAssertEqual(dataMessages(diags),
                       ["people.csv:3:4: unterminated quoted cell: the '\"' opened here is never closed (the file ends inside it)"])
        // Rows before the error were read; nothing after it is trusted.
        XCTAssertEqual(data.people.map(\.id), ["E1"])
    }

    func testStrayQuotes() {
        XCTAssertEqual(dataMessages(dataCSVRead("id,name\nE1,ab\"c\n").1),
                       ["people.csv:2:6: a '\"' inside an unquoted cell: quote the whole cell and double the quote, e.g. \"say \"\"hi\"\"\""])
        XCTAssertEqual(dataMessages(dataCSVRead("id,name\nE1,\"ab\"cd\n").1),
                       ["people.csv:2:8: unexpected text after the closing quote of a quoted cell (a quote inside a quoted cell is written \"\")"])
        XCTAssertEqual(dataMessages(dataCSVRead("id,name\nE1,\"ab\" \n").1),
                       ["people.csv:2:8: unexpected text after the closing quote of a quoted cell (a quote inside a quoted cell is written \"\")"])
    }

    func testRaggedRowsAreReportedWithTheirLineAndTheRestIsRead() {
        let (data, diags) = dataCSVRead("id,name,team\nE1,a,t\nE2,b\nE3,c,t,extra\nE4,\"multi\nline\",t\nE5,d\n")
        XCTAssertEqual(dataMessages(diags), [
            "people.csv:3:1: this row has 2 cells, fewer than the 3 columns of the header; the row is skipped",
            "people.csv:4:1: this row has 4 cells, more than the 3 columns of the header; the row is skipped",
            "people.csv:7:1: this row has 2 cells, fewer than the 3 columns of the header; the row is skipped",
        ])
        XCTAssertEqual(data.people.map(\.id), ["E1", "E4"])
        XCTAssertEqual(data.people.map(\.location.line), [2, 5])
    }

    func testNULByte() {
        let (_, diags) = DatasetReader.readCSV(Array("id,name\nE1,a\u{0}b\n".utf8), file: "people.csv", scope: .person)
        XCTAssertEqual(dataMessages(diags),
                       ["people.csv:2:5: a NUL byte: this is not a UTF-8 text file (is it UTF-16 or a spreadsheet binary?)"])
    }

    func testLoneCR() {
        let (data, diags) = dataCSVRead("id,name\rE1,a\rE2,b")
        XCTAssertEqual(dataMessages(diags), [
            "people.csv:1:8: a carriage return (CR) not followed by a line feed: lines must end with LF or CRLF, not CR alone (save the file as \"CSV UTF-8\")",
        ])
        XCTAssertEqual(data.people.count, 0)
        // The shown line has the CRs as visible control pictures, so the terminal is not garbled.
        XCTAssertEqual(diags.first?.sourceLine, "id,name\u{240D}E1,a\u{240D}E2,b")
        // Inside quotes a CR is text.
        let (data2, diags2) = dataCSVRead("id,name\nE1,\"a\rb\"\n")
        XCTAssertEqual(dataMessages(diags2), [])
        XCTAssertEqual(data2.people[0].field("name")?.value, .string("a\rb"))
    }

    func testInvalidUTF8IsReportedPerCellWithItsPosition() {
        var bytes = Array("id,name,team\nE1,肖".utf8)
        bytes += [0xFF]
        bytes += Array(",t\nE2,\"x\n".utf8) + [0xC0, 0xAF] + Array("\",t\nE3,ok,t\n".utf8)
        let (data, diags) = DatasetReader.readCSV(bytes, file: "people.csv", scope: .person)
        XCTAssertEqual(dataMessages(diags), [
            "people.csv:2:5: person E1: field \"name\": invalid UTF-8 (byte 0xFF); save the file as UTF-8",
            "people.csv:4:1: person E2: field \"name\": invalid UTF-8 (byte 0xC0); save the file as UTF-8",
        ])
        // The records are kept, without the unreadable field: no replacement characters anywhere.
        XCTAssertEqual(data.people.map(\.id), ["E1", "E2", "E3"])
        XCTAssertNil(data.people[0].field("name"))
        XCTAssertEqual(data.people[0].field("team")?.value, .string("t"))
    }

    func testHeaderProblems() {
        XCTAssertEqual(dataMessages(dataCSVRead("id,name,,team,name\nE1,a,b,c,d\n").1), [
            "people.csv:1:9: blank header name in column 3: every column needs a field name",
            "people.csv:1:15: duplicate header name \"name\" (also at column 4 of line 1)",
        ])
        let (data, _) = dataCSVRead("id,name,,team,name\nE1,a,b,c,d\n")
        // Unusable columns are left out of the records.
        XCTAssertEqual(data.people[0].fields.map(\.key), ["id", "name", "team"])
        XCTAssertEqual(data.people[0].field("name")?.value, .string("a"))
        // White space: a blank name is an error, padding is kept and warned about.
        let (padded, pd) = dataCSVRead("id, revenue,\"  \"\nE1,5,x\n")
        XCTAssertEqual(dataMessages(pd), [
            "people.csv:1:4: warning: header name \" revenue\" starts or ends with white space; it is kept as written, so it will not match a field named without it",
            "people.csv:1:13: blank header name in column 3: every column needs a field name",
        ])
        XCTAssertEqual(padded.people[0].fields.map(\.key), ["id", " revenue"])
        XCTAssertEqual(dataMessages(dataCSVRead("").1), ["people.csv:1:1: empty file: expected a header row naming the fields (e.g. id,name,...)"])
        XCTAssertEqual(dataMessages(dataCSVRead("\n\r\n").1), ["people.csv:1:1: empty file: expected a header row naming the fields (e.g. id,name,...)"])
        // Header only: no records, no error.
        let (d2, e2) = dataCSVRead("id,name\r\n")
        XCTAssertEqual(dataMessages(e2), [])
        XCTAssertEqual(d2.people.count, 0)
    }

    func testUTF16FileIsRejected() {
        let bytes: [UInt8] = [0xFF, 0xFE] + Array("id".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        XCTAssertEqual(dataMessages(DatasetReader.readCSV(bytes, file: "people.csv", scope: .person).1),
                       ["people.csv:1:1: the file is UTF-16 encoded; Tally reads UTF-8 (save it as \"UTF-8\" or \"CSV UTF-8\")"])
        XCTAssertEqual(dataMessages(DatasetReader.readJSON(bytes, file: "d.json").1),
                       ["d.json:1:1: the file is UTF-16 encoded; Tally reads UTF-8 (save it as \"UTF-8\" or \"CSV UTF-8\")"])
    }

    // MARK: Scopes

    func testCompanyCSVNeedsExactlyOneRow() {
        let (one, e1) = dataCSVRead("id,revenue\nwj,100\n", scope: .company, file: "company.csv")
        XCTAssertEqual(dataMessages(e1), [])
        XCTAssertEqual(one.company?.field("revenue")?.value, .string("100"))
        XCTAssertEqual(one.people.count, 0)

        let (none, e0) = dataCSVRead("id,revenue\n", scope: .company, file: "company.csv")
        XCTAssertNil(none.company)
        XCTAssertEqual(dataMessages(e0), ["company.csv:1:1: company.csv must have exactly one data row after the header (the company); it has none"])

        let (two, e2) = dataCSVRead("id,revenue\nwj,100\nwj2,200\n", scope: .company, file: "company.csv")
        XCTAssertEqual(two.company?.id, "wj")
        XCTAssertEqual(dataMessages(e2),
                       ["company.csv:3:1: company.csv must have exactly one data row after the header (the company); it has 2 (the first is used)"])
    }

    func testTeamsScope() {
        let (data, diags) = dataCSVRead("id,name,parent\nsales,销售中心,\nsales-east,华东销售部,sales\n", scope: .team, file: "teams.csv")
        XCTAssertEqual(dataMessages(diags), [])
        XCTAssertEqual(data.teams.map(\.id), ["sales", "sales-east"])
        XCTAssertNil(data.teams[0].field("parent"))
        XCTAssertEqual(data.teams[1].field("parent")?.value, .string("sales"))
    }

    func testDiagnosticsShowTheSourceLine() {
        let (_, diags) = dataCSVRead("id,name\nE1,\"ab\"cd\n")
        XCTAssertEqual(diags.first?.rendered(),
                       "people.csv:2:8: error: unexpected text after the closing quote of a quoted cell (a quote inside a quoted cell is written \"\")\nE1,\"ab\"cd\n       ^")
        XCTAssertEqual(diags.first?.phase, .data)
    }
}
