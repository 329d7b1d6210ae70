/// A strict RFC 4180 CSV tokenizer working on UTF-8 bytes.
///
/// Why not a package: both maintained Swift CSV packages available here were
/// tried on hostile input (SwiftCSV 0.10.0 and yaslab/CSV.swift 2.5.2), and
/// both fail at things that are essential for HR data that must never be
/// silently misread:
///
/// - An unterminated quote is accepted by both without any error: the rest
///   of the file becomes one cell. `E1,"abc⏎E2,x⏎` reads as the single row
///   `["E1", "abc\nE2,x\n"]`, which even has the right cell count, so person
///   E2 silently vanishes.
/// - Neither reports a position for anything (no line of a row, no line of
///   an error); SwiftCSV's errors are `quotation(message:)` without a place
///   and CSV.swift reports no quoting errors at all.
/// - CSV.swift silently corrupts text after a closing quote
///   (`"ab"cd` reads as `ab"d⏎…`: the `c` is dropped and the row runs on).
/// - SwiftCSV works on grapheme clusters, so a cell that starts with a
///   combining mark merges into the previous one (`E1,◌́x` is one cell,
///   `"E1,́x"`); it also drops leading spaces of every cell (` 12` → `12`)
///   and drops a trailing empty cell at end of file (`E1,` → `["E1"]`).
///
/// So this file implements the small RFC 4180 subset Tally accepts, on bytes:
/// cells separated by `,`, rows ended by LF or CRLF (the last row may lack
/// one), a cell either unquoted (no `"`, CR or LF inside) or quoted
/// (`"a, b"`, `""` for a quote, line breaks allowed inside). Every row carries
/// the line where it starts and every cell its line and column, counting the
/// lines of quoted line breaks. Quoting errors, a lone CR (old Mac line
/// ends) and NUL bytes stop the read with a positioned error; invalid UTF-8
/// is reported per cell. Entirely empty lines hold no cells and are skipped.
struct CSVTokenizer {
    struct Cell {
        /// The cell's text, or nil when the cell is empty (`a,,b` or `""`), or when
        /// it is not valid UTF-8 (then `invalidUTF8` is set).
        var text: String?
        var line: Int
        var column: Int
        /// Where the first ill-formed UTF-8 byte is, when there is one.
        var invalidUTF8: (line: Int, column: Int, byte: UInt8)?
    }

    struct Row {
        /// The line where the row starts (1-based).
        var line: Int
        var cells: [Cell]
    }

    struct SyntaxError: Error {
        var line: Int
        var column: Int
        var message: String
        var length: Int = 1
    }

    let p: UnsafeBufferPointer<UInt8>
    let n: Int
    var i = 0
    var line = 1
    var lineStart = 0
    var columns = ColumnCounter()
    var scratch: [UInt8] = []

    init(_ p: UnsafeBufferPointer<UInt8>) {
        self.p = p
        self.n = p.count
    }

    private static let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","),
        lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")

    @inline(__always)
    mutating func column(at off: Int) -> Int {
        columns.column(p, lineStart: lineStart, at: off)
    }

    mutating func error(_ message: String, at off: Int, length: Int = 1) -> SyntaxError {
        SyntaxError(line: line, column: column(at: off), message: message, length: length)
    }

    /// The next row, or nil at the end of the input.
    mutating func nextRow() throws(SyntaxError) -> Row? {
        // Skip empty lines.
        while i < n {
            if p[i] == Self.lf {
                i += 1; line += 1; lineStart = i
            } else if p[i] == Self.cr, i + 1 < n, p[i + 1] == Self.lf {
                i += 2; line += 1; lineStart = i
            } else {
                break
            }
        }
        if i >= n { return nil }
        var row = Row(line: line, cells: [])
        while true {
            row.cells.append(try cell())
            // After a cell: a comma, a line end or the end of input.
            if i >= n { return row }
            let b = p[i]
            if b == Self.comma {
                i += 1
                continue
            }
            if b == Self.lf {
                i += 1; line += 1; lineStart = i
                return row
            }
            // CR: cell() only stops at a CR that is followed by LF.
            i += 2; line += 1; lineStart = i
            return row
        }
    }

    /// Reads one cell; `i` ends on the comma, line end or end of input after it.
    mutating func cell() throws(SyntaxError) -> Cell {
        let startLine = line
        let startColumn = column(at: i)
        if i < n, p[i] == Self.quote { return try quotedCell(line: startLine, column: startColumn) }
        let start = i
        while i < n {
            let b = p[i]
            if b == Self.comma || b == Self.lf { break }
            if b == Self.cr {
                if i + 1 < n, p[i + 1] == Self.lf { break }
                throw error("a carriage return (CR) not followed by a line feed: lines must end with LF or CRLF, "
                            + "not CR alone (save the file as \"CSV UTF-8\")", at: i)
            }
            if b == Self.quote {
                throw error("a '\"' inside an unquoted cell: quote the whole cell and double the quote, "
                            + "e.g. \"say \"\"hi\"\"\"", at: i)
            }
            if b == 0 { throw error("a NUL byte: this is not a UTF-8 text file (is it UTF-16 or a spreadsheet binary?)", at: i) }
            i += 1
        }
        return makeCell(start: start, end: i, unescaped: nil, quoted: false, line: startLine, column: startColumn)
    }

    mutating func quotedCell(line startLine: Int, column startColumn: Int) throws(SyntaxError) -> Cell {
        i += 1
        let start = i
        var hasEscapes = false
        while true {
            guard i < n else {
                // Report at the opening quote, which may be lines above.
                throw SyntaxError(line: startLine, column: startColumn,
                                  message: "unterminated quoted cell: the '\"' opened here is never closed "
                                    + "(the file ends inside it)")
            }
            let b = p[i]
            if b == Self.quote {
                if i + 1 < n, p[i + 1] == Self.quote {
                    hasEscapes = true
                    i += 2
                    continue
                }
                let end = i
                i += 1
                // After the closing quote: a comma, a line end or the end of input.
                if i < n {
                    let c = p[i]
                    if !(c == Self.comma || c == Self.lf || (c == Self.cr && i + 1 < n && p[i + 1] == Self.lf)) {
                        if c == Self.cr {
                            throw error("a carriage return (CR) not followed by a line feed: lines must end with LF or "
                                        + "CRLF, not CR alone", at: i)
                        }
                        throw error("unexpected text after the closing quote of a quoted cell (a quote inside a "
                                    + "quoted cell is written \"\")", at: i)
                    }
                }
                var unescaped: [UInt8]? = nil
                if hasEscapes {
                    scratch.removeAll(keepingCapacity: true)
                    var k = start
                    while k < end {
                        scratch.append(p[k])
                        k += p[k] == Self.quote ? 2 : 1
                    }
                    unescaped = scratch
                }
                return makeCell(start: start, end: end, unescaped: unescaped, quoted: true,
                                line: startLine, column: startColumn)
            }
            if b == Self.lf {
                i += 1; line += 1; lineStart = i
                continue
            }
            if b == 0 { throw error("a NUL byte: this is not a UTF-8 text file (is it UTF-16 or a spreadsheet binary?)", at: i) }
            i += 1
        }
    }

    /// A cell from the bytes `p[start..<end]` (or their unescaped copy); `quoted`
    /// when the cell was quoted, so its text starts one column after `column`.
    func makeCell(start: Int, end: Int, unescaped: [UInt8]?, quoted: Bool, line: Int, column: Int) -> Cell {
        if start == end { return Cell(text: nil, line: line, column: column) }
        if let bad = UTF8Check.firstInvalid(p, start..<end) {
            // The cell may span lines (quoted line breaks): find the bad byte's line and column.
            var badLine = line, from = start, badColumn = column + (quoted ? 1 : 0)
            for k in start..<bad where p[k] == Self.lf { badLine += 1; from = k + 1; badColumn = 1 }
            for k in from..<bad where p[k] & 0xC0 != 0x80 { badColumn += 1 }
            return Cell(text: nil, line: line, column: column, invalidUTF8: (badLine, badColumn, p[bad]))
        }
        let text: String
        if let unescaped {
            text = String(decoding: unescaped, as: UTF8.self)
        } else {
            text = String(decoding: UnsafeBufferPointer(rebasing: p[start..<end]), as: UTF8.self)
        }
        return Cell(text: text, line: line, column: column)
    }
}
