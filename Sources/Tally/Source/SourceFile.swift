/// One plan source text, held as UTF-8 bytes with a line table.
///
/// Spans point into it by byte offset; line and column are computed only
/// when a diagnostic is rendered, so the lexer and parser never count columns.
public final class SourceFile: Sendable {
    /// The name shown in diagnostics: the path as the user gave it, or a
    /// label such as `<repl>` or `<print>`.
    public let name: String
    /// The text as UTF-8 bytes, with any BOM removed.
    public let bytes: [UInt8]
    /// Byte offset of the first byte of every line.
    public let lineStarts: [Int]

    public init(name: String, bytes: [UInt8]) {
        var bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        self.name = name
        self.bytes = bytes
        var starts = [0]
        // An index loop over the buffer: `enumerated()` is very slow in debug builds.
        bytes.withUnsafeBufferPointer { buffer in
            var i = 0
            while i < buffer.count {
                if buffer[i] == UInt8(ascii: "\n") { starts.append(i + 1) }
                i += 1
            }
        }
        self.lineStarts = starts
    }

    public convenience init(name: String, text: String) {
        self.init(name: name, bytes: Array(text.utf8))
    }

    /// The 1-based line containing `offset`.
    public func line(of offset: Int) -> Int {
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return lo + 1
    }

    /// The text of 1-based `line`, without its line end (LF or CRLF).
    /// Invalid UTF-8 is shown with replacement characters.
    public func lineText(_ line: Int) -> String {
        guard line >= 1, line <= lineStarts.count else { return "" }
        let start = lineStarts[line - 1]
        var end = line < lineStarts.count ? lineStarts[line] - 1 : bytes.count
        if end > start, end <= bytes.count, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return String(decoding: bytes[start..<max(start, end)], as: UTF8.self)
    }

    /// 1-based line and column of `offset`; the column counts Unicode scalar
    /// values from the start of the line (LANGUAGE.md §11).
    public func location(of offset: Int) -> SourceLocation {
        let offset = min(max(0, offset), bytes.count)
        let line = self.line(of: offset)
        let start = lineStarts[line - 1]
        var column = 1
        for b in bytes[start..<offset] where b & 0xC0 != 0x80 { column += 1 }
        return SourceLocation(file: name, line: line, column: column)
    }

    /// The source text a span covers.
    public func text(of span: Span) -> String {
        let lo = min(max(0, Int(span.start)), bytes.count)
        let hi = min(max(lo, Int(span.end)), bytes.count)
        return String(decoding: bytes[lo..<hi], as: UTF8.self)
    }
}

/// A human-facing position: file, 1-based line, 1-based column in Unicode scalars.
public struct SourceLocation: Sendable, Hashable, Codable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:col`; only `file` when the line is 0, which marks a place
    /// with no line (a record built from Swift values, named like `people[3]`).
    public var description: String { line > 0 ? "\(file):\(line):\(column)" : file }
}
