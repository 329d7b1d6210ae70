/// A message about a plan, a dataset or an evaluation: what went wrong and where.
///
/// Diagnostics are plain values (resolved to file, line and column when they
/// are made) so they can be collected, sorted, encoded and rendered later.
/// Compilation returns *all* of them, never only the first.
public struct Diagnostic: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable, Codable {
        case error, warning, note
    }

    /// What kind of failure this is; decides the CLI exit code (LANGUAGE.md §11).
    public enum Phase: String, Sendable, Hashable, Codable {
        /// Lexing, parsing or checking a plan: exit code 1.
        case compile
        /// Reading or validating a dataset: exit code 2.
        case data
        /// Evaluating a plan against a dataset: exit code 2.
        case evaluation
        /// A violated constraint (exit code 3 when its severity is error).
        case constraint
    }

    public var severity: Severity
    public var phase: Phase
    public var message: String
    /// Where in a plan or data file, when known.
    public var location: SourceLocation?
    /// The full text of the line at `location`, for the caret display.
    public var sourceLine: String?
    /// How many Unicode scalars of `sourceLine` to underline (at least 1).
    public var length: Int
    /// Secondary messages, e.g. "first declared here".
    public var notes: [Diagnostic]
    /// Where the caret goes in `sourceLine` (1-based, in scalars) when the
    /// shown line is a window of a long line; nil: `location.column`.
    public var caretColumn: Int?

    public init(
        _ severity: Severity, phase: Phase, message: String,
        location: SourceLocation? = nil, sourceLine: String? = nil, length: Int = 1,
        notes: [Diagnostic] = []
    ) {
        self.severity = severity
        self.phase = phase
        self.message = message
        self.location = location
        self.sourceLine = sourceLine
        self.length = max(1, length)
        self.notes = notes
    }

    public var isError: Bool { severity == .error }

    /// The canonical rendering (LANGUAGE.md §11):
    /// Shows `line` under the diagnostic with the caret at `column` (1-based,
    /// in scalars) over `length` scalars. A very long line (generated plans,
    /// minified data, a long REPL entry) is shown as a window around the caret.
    mutating func show(line raw: String, column: Int, length: Int) {
        // Control characters would act on the terminal: shown as pictures.
        let line = ControlPictures.replacing(raw)
        sourceLine = line
        caretColumn = nil
        self.length = length
        let scalars = Array(line.unicodeScalars)
        guard scalars.count > DiagnosticBag.window * 2 else { return }
        let start = max(0, column - 1 - DiagnosticBag.window / 2)
        let end = min(scalars.count, start + DiagnosticBag.window)
        var shown = String(String.UnicodeScalarView(scalars[start..<end]))
        var caret = column - start
        if start > 0 { shown = "…" + shown; caret += 1 }
        if end < scalars.count { shown += "…" }
        sourceLine = shown
        caretColumn = caret
        self.length = max(1, min(length, end - (column - 1)))
    }

    /// `FILE:LINE:COL: error: MESSAGE`, the source line, and a caret line
    /// whose indentation accounts for wide (CJK) characters.
    public var description: String { rendered() }

    public func rendered() -> String {
        var out = ""
        if let location { out += "\(location): " }
        out += "\(severity.rawValue): \(message)"
        if let line = sourceLine, let location {
            out += "\n" + line + "\n" + Self.caretLine(line: line, column: caretColumn ?? location.column, length: length)
        }
        for note in notes { out += "\n" + note.rendered() }
        return out
    }

    /// Spaces up to the display column of `column` (1-based, in scalars),
    /// then `^` and `~` covering `length` scalars' display width. Tabs are
    /// copied so the caret lines up in any terminal.
    static func caretLine(line: String, column: Int, length: Int) -> String {
        let scalars = Array(line.unicodeScalars)
        var pad = ""
        for s in scalars.prefix(max(0, column - 1)) {
            if s == "\t" { pad += "\t" } else { pad += String(repeating: " ", count: DisplayWidth.of(s)) }
        }
        let start = min(max(0, column - 1), scalars.count)
        let end = min(scalars.count, start + length)
        let width = max(1, scalars[start..<end].reduce(0) { $0 + DisplayWidth.of($1) })
        return pad + "^" + String(repeating: "~", count: width - 1)
    }
}

/// Collects diagnostics during one compilation, resolving spans against the
/// compilation's file table.
public struct DiagnosticBag: Sendable {
    public private(set) var files: [SourceFile]
    public private(set) var items: [Diagnostic] = []

    public init(files: [SourceFile] = []) { self.files = files }

    /// Adds a file and returns its index for `Span.file`.
    public mutating func add(file: SourceFile) -> Int32 {
        files.append(file)
        return Int32(files.count - 1)
    }

    public var hasErrors: Bool { items.contains { $0.isError } }

    /// Adds notes to the diagnostic at `index` (another way the same
    /// problem is reached), skipping any it already has.
    mutating func addNotes(_ notes: [Diagnostic], at index: Int) {
        for n in notes where !items[index].notes.contains(where: { $0.location == n.location && $0.message == n.message }) {
            items[index].notes.append(n)
        }
    }

    public func file(_ span: Span) -> SourceFile? {
        span.isSynthetic || Int(span.file) >= files.count ? nil : files[Int(span.file)]
    }

    /// A resolved diagnostic at `span`.
    public func make(
        _ severity: Diagnostic.Severity, _ phase: Diagnostic.Phase, _ span: Span?, _ message: String,
        notes: [Diagnostic] = []
    ) -> Diagnostic {
        guard let span, let file = file(span) else {
            return Diagnostic(severity, phase: phase, message: message, notes: notes)
        }
        let loc = file.location(of: Int(span.start))
        let line = file.lineText(loc.line)
        // Underline the span, but never past the end of its first line.
        let endLoc = file.location(of: Int(span.end))
        let length = endLoc.line == loc.line ? endLoc.column - loc.column : line.unicodeScalars.count - loc.column + 1
        var d = Diagnostic(severity, phase: phase, message: message, location: loc, notes: notes)
        d.show(line: line, column: loc.column, length: length)
        return d
    }

    /// Scalars of a long source line shown around the caret.
    static let window = 100

    public mutating func error(_ span: Span?, _ message: String, phase: Diagnostic.Phase = .compile, notes: [Diagnostic] = []) {
        items.append(make(.error, phase, span, message, notes: notes))
    }

    public mutating func warning(_ span: Span?, _ message: String, phase: Diagnostic.Phase = .compile, notes: [Diagnostic] = []) {
        items.append(make(.warning, phase, span, message, notes: notes))
    }

    public func note(_ span: Span?, _ message: String) -> Diagnostic {
        make(.note, .compile, span, message)
    }

    public mutating func append(_ d: Diagnostic) { items.append(d) }
    public mutating func append(contentsOf ds: [Diagnostic]) { items.append(contentsOf: ds) }
}
