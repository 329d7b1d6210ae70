/// The dataset as read from its files (LANGUAGE.md §5, §12), before any field
/// is checked against the plan's declared inputs.
///
/// Readers keep every value exactly as written: a JSON number stays its source
/// text, a CSV cell stays its text. Typing (numbers, money, `85%`, dates)
/// happens later, against the plan's `inputs` blocks.

/// A field value as written in the file, before it is checked against the plan's declared inputs.
public enum RawValue: Sendable, Hashable {
    /// JSON `null`: the field is absent (LANGUAGE.md §5 optional inputs).
    case null
    case bool(Bool)
    /// JSON number text exactly as written, e.g. `"0.091"`, `"12345678901234567890.12"`, `"1e7000"`, `"-0"`.
    case number(String)
    /// A JSON string (unescaped) or CSV cell text (never empty from CSV: an
    /// empty CSV cell is an absent field, not an empty string).
    case string(String)
    /// Nested values are not valid inputs; only their kind is kept.
    case array, object

    /// What kind of value this is, for messages ("expected a number, found a string").
    public var kindDescription: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    /// The string, when this is a string.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }
}

/// One field of a record: its key (NFC-normalised), its value and where the value starts.
public struct RawField: Sendable {
    public var key: String
    public var value: RawValue
    /// Where the value starts: the first character of a JSON value, or of a
    /// CSV cell (its opening quote when quoted).
    public var location: SourceLocation

    public init(key: String, value: RawValue, location: SourceLocation) {
        self.key = key
        self.value = value
        self.location = location
    }
}

/// One company, team or person record.
public struct RawRecord: Sendable {
    /// In file order; keys NFC-normalised and unique within the record (a
    /// repeated key is reported and only its first occurrence kept).
    public var fields: [RawField]
    /// Where the record starts: the `{` of a JSON object, or column 1 of the
    /// CSV line where the row starts.
    public var location: SourceLocation

    public init(fields: [RawField], location: SourceLocation) {
        self.fields = fields
        self.location = location
    }

    /// The field named `key` (compared after NFC normalisation, as Swift
    /// string equality does), or nil when the record lacks it.
    public func field(_ key: String) -> RawField? {
        for f in fields where f.key == key { return f }
        return nil
    }

    /// The `id` field when it is a string, NFC-normalised (ids are compared
    /// after NFC normalisation, so this is the form `DatasetStructure`'s
    /// indexes use).
    public var id: String? {
        field("id")?.value.stringValue.map(TextNormalization.nfc)
    }
}

/// A whole dataset: one company, the teams and the people, in file order.
public struct RawDataset: Sendable {
    public var company: RawRecord?
    public var teams: [RawRecord]
    public var people: [RawRecord]
    /// The files the records were read from, keyed by the name used in
    /// their locations, so that later diagnostics (structure, input typing)
    /// can show the offending source line under the message. May be empty
    /// for datasets built in code.
    public var sources: [String: SourceFile]

    public init(company: RawRecord? = nil, teams: [RawRecord] = [], people: [RawRecord] = [],
                sources: [String: SourceFile] = [:]) {
        self.company = company
        self.teams = teams
        self.people = people
        self.sources = sources
    }

    /// The text of the source line at `location`, when its file is known and
    /// the line is not longer than `SourceFile.maxShownLineBytes`.
    public func sourceLine(at location: SourceLocation) -> String? {
        guard let file = sources[location.file] else { return nil }
        return file.shownLine(location.line)
    }

    /// A data-phase diagnostic at `location`, with the source line attached when known.
    public func diagnostic(_ message: String, at location: SourceLocation?,
                           severity: Diagnostic.Severity = .error, length: Int = 1,
                           notes: [Diagnostic] = []) -> Diagnostic {
        guard let location else {
            return Diagnostic(severity, phase: .data, message: message, notes: notes)
        }
        return Diagnostic(severity, phase: .data, message: message, location: location,
                          sourceLine: sourceLine(at: location), length: length, notes: notes)
    }
}

extension SourceFile {
    /// Lines longer than this are not copied into diagnostics: a minified
    /// 30 MB JSON file is one line, and a copy of it in each of a thousand
    /// diagnostics would exhaust memory (and flood the terminal).
    public static let maxShownLineBytes = 2_000

    /// The text of 1-based `line` for a diagnostic, or nil when there is no
    /// such line or it is longer than `maxShownLineBytes`.
    public func shownLine(_ line: Int) -> String? {
        guard line >= 1, line <= lineStarts.count else { return nil }
        let end = line < lineStarts.count ? lineStarts[line] : bytes.count
        guard end - lineStarts[line - 1] <= Self.maxShownLineBytes else { return nil }
        // Control characters (a stray CR, a NUL) are shown as pictures.
        return ControlPictures.replacing(lineText(line))
    }
}
