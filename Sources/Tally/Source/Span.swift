/// A half-open byte range `[start, end)` in one source file.
///
/// Every AST node carries one. `file` indexes the compilation's file table
/// (the main plan is 0; imports follow in load order).
public struct Span: Sendable, Hashable {
    public var file: Int32
    public var start: Int32
    public var end: Int32

    public init(file: Int32, start: Int, end: Int) {
        self.file = file
        self.start = Int32(clamping: start)
        self.end = Int32(clamping: end)
    }

    /// A span for generated nodes that have no text of their own.
    public static let synthetic = Span(file: -1, start: 0, end: 0)

    public var isSynthetic: Bool { file < 0 }

    /// The smallest span covering both.
    public func merged(with other: Span) -> Span {
        guard !isSynthetic else { return other }
        guard !other.isSynthetic, other.file == file else { return self }
        return Span(file: file, start: Int(min(start, other.start)), end: Int(max(end, other.end)))
    }
}
