import Foundation

/// Byte-level helpers shared by the JSON and CSV readers.
enum UTF8Check {
    /// The length (2...4) of the well-formed multi-byte UTF-8 sequence starting at
    /// `p[i]` (a byte >= 0x80), or 0 when it is ill-formed (Unicode Table 3-7:
    /// no overlong forms, no surrogates, nothing above U+10FFFF, no truncation).
    @inline(__always)
    static func sequenceLength(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
        let n = p.count
        let b0 = p[i]
        @inline(__always) func cont(_ k: Int, _ lo: UInt8 = 0x80, _ hi: UInt8 = 0xBF) -> Bool {
            k < n && p[k] >= lo && p[k] <= hi
        }
        switch b0 {
        case 0xC2...0xDF:
            return cont(i + 1) ? 2 : 0
        case 0xE0:
            return cont(i + 1, 0xA0, 0xBF) && cont(i + 2) ? 3 : 0
        case 0xE1...0xEC, 0xEE...0xEF:
            return cont(i + 1) && cont(i + 2) ? 3 : 0
        case 0xED:
            return cont(i + 1, 0x80, 0x9F) && cont(i + 2) ? 3 : 0
        case 0xF0:
            return cont(i + 1, 0x90, 0xBF) && cont(i + 2) && cont(i + 3) ? 4 : 0
        case 0xF1...0xF3:
            return cont(i + 1) && cont(i + 2) && cont(i + 3) ? 4 : 0
        case 0xF4:
            return cont(i + 1, 0x80, 0x8F) && cont(i + 2) && cont(i + 3) ? 4 : 0
        default:
            return 0
        }
    }

    /// The offset of the first byte of an ill-formed sequence in `p[range]`, or nil.
    static func firstInvalid(_ p: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
        var i = range.lowerBound
        let end = range.upperBound
        while i < end {
            let b = p[i]
            if b < 0x80 { i += 1; continue }
            let len = sequenceLength(p, i)
            if len == 0 || i + len > end { return i }
            i += len
        }
        return nil
    }

    /// "byte 0xFF" style description of the bytes at an invalid position.
    static func describeInvalid(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> String {
        "invalid UTF-8 (byte 0x" + String(p[i], radix: 16, uppercase: true) + ")"
    }

    /// A message when `bytes` start with a UTF-16 or UTF-32 byte order mark:
    /// Tally reads UTF-8 only, and decoding such a file as UTF-8 would misread it.
    static func foreignBOM(_ bytes: [UInt8]) -> String? {
        if bytes.starts(with: [0x00, 0x00, 0xFE, 0xFF]) || bytes.starts(with: [0xFF, 0xFE, 0x00, 0x00]) {
            return "the file is UTF-32 encoded; Tally reads UTF-8 (save it as \"UTF-8\" or \"CSV UTF-8\")"
        }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            return "the file is UTF-16 encoded; Tally reads UTF-8 (save it as \"UTF-8\" or \"CSV UTF-8\")"
        }
        return nil
    }
}

enum TextNormalization {
    /// `s` in Normalization Form C. ASCII text (nearly every key and id) is
    /// returned as is without calling into Foundation.
    static func nfc(_ s: String) -> String {
        var ascii = true
        for b in s.utf8 where b >= 0x80 { ascii = false; break }
        if ascii { return s }
        return s.precomposedStringWithCanonicalMapping
    }
}

/// Turns byte offsets into 1-based columns (Unicode scalars from the start of
/// the line), incrementally: offsets asked for in increasing order on the same
/// line cost only the bytes between them, so a 30 MB single-line file is
/// still linear.
struct ColumnCounter {
    private var offset = 0
    private var column = 1
    private var lineStart = 0

    /// The column of `off`, on the line that starts at `lineStart`.
    @inline(__always)
    mutating func column(_ p: UnsafeBufferPointer<UInt8>, lineStart: Int, at off: Int) -> Int {
        if lineStart != self.lineStart || off < offset {
            self.lineStart = lineStart
            offset = lineStart
            column = 1
        }
        var c = column
        var k = offset
        while k < off {
            if p[k] & 0xC0 != 0x80 { c += 1 }
            k += 1
        }
        offset = off
        column = c
        return c
    }
}
