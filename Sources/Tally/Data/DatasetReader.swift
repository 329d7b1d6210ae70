/// Reads dataset files (LANGUAGE.md §5, §11, §12) into `RawDataset`s.
///
/// Readers never stop at the first problem they can step over: every
/// diagnostic they can make is returned (phase `.data`, in file order), and
/// the records that could be read are returned beside them. A JSON syntax
/// error, or a CSV quoting error, ends the read of that file, since nothing
/// after it can be trusted.
public enum DatasetReader {
    // MARK: JSON

    /// `{"company": {...}, "teams": [...], "people": [...]}`; unknown top-level keys are an error; each part optional.
    public static func readJSON(_ bytes: [UInt8], file: String) -> (RawDataset, [Diagnostic]) {
        if let foreign = UTF8Check.foreignBOM(bytes) {
            return (RawDataset(), [Diagnostic(.error, phase: .data, message: foreign,
                                              location: SourceLocation(file: file, line: 1, column: 1))])
        }
        let source = SourceFile(name: file, bytes: bytes)
        var data = RawDataset(sources: [file: source])
        var diags: [Diagnostic] = []
        let root: JSONNode
        switch JSONReader.parse(source) {
        case .failure(let d): return (data, [d])
        case .success(let node): root = node
        }
        let builder = JSONRecordBuilder(file: file, data: data)
        guard case .object(let members) = root.value else {
            diags.append(builder.error("the top level must be an object {\"company\": {...}, \"teams\": [...], "
                                       + "\"people\": [...]}, not \(JSONRecordBuilder.kind(root.value))",
                                       line: root.line, column: root.column))
            return (data, diags)
        }
        for (dup, first) in JSONReader.duplicateKeys(members) {
            let m = members[dup], f = members[first]
            diags.append(builder.error("duplicate top-level key \"\(m.key)\" (first at line \(f.keyLine), column \(f.keyColumn))",
                                       line: m.keyLine, column: m.keyColumn, length: m.keyLength))
        }
        var seen = Set<String>()
        for m in members {
            let key = TextNormalization.nfc(m.key)
            if !seen.insert(key).inserted { continue }  // reported above
            switch key {
            case "company":
                guard case .object(let fields) = m.value.value else {
                    diags.append(builder.error("\"company\" must be an object {...}, not \(JSONRecordBuilder.kind(m.value.value))",
                                               line: m.value.line, column: m.value.column))
                    continue
                }
                data.company = builder.record(fields, at: m.value, scope: .company, ordinal: 1, &diags)
            case "teams", "people":
                let scope: ScopeKind = key == "teams" ? .team : .person
                guard case .array(let items) = m.value.value else {
                    diags.append(builder.error("\"\(key)\" must be an array [...] of objects, not \(JSONRecordBuilder.kind(m.value.value))",
                                               line: m.value.line, column: m.value.column))
                    continue
                }
                var records: [RawRecord] = []
                records.reserveCapacity(items.count)
                for (k, item) in items.enumerated() {
                    guard case .object(let fields) = item.value else {
                        diags.append(builder.error("\(key)[\(k)] must be an object {...}, not \(JSONRecordBuilder.kind(item.value))",
                                                   line: item.line, column: item.column))
                        continue
                    }
                    records.append(builder.record(fields, at: item, scope: scope, ordinal: k + 1, &diags))
                }
                if scope == .team { data.teams = records } else { data.people = records }
            default:
                diags.append(builder.error("unknown top-level key \"\(m.key)\" (a dataset has \"company\", \"teams\" and \"people\")",
                                           line: m.keyLine, column: m.keyColumn, length: m.keyLength))
            }
        }
        return (data, sortedByPosition(diags))
    }

    // MARK: CSV

    /// One CSV file for one scope: header row, then one record per row (company.csv: exactly one data row).
    public static func readCSV(_ bytes: [UInt8], file: String, scope: ScopeKind) -> (RawDataset, [Diagnostic]) {
        if let foreign = UTF8Check.foreignBOM(bytes) {
            return (RawDataset(), [Diagnostic(.error, phase: .data, message: foreign,
                                              location: SourceLocation(file: file, line: 1, column: 1))])
        }
        let source = SourceFile(name: file, bytes: bytes)
        var data = RawDataset(sources: [file: source])
        var diags: [Diagnostic] = []
        func error(_ message: String, line: Int, column: Int, length: Int = 1) {
            diags.append(data.diagnostic(message, at: SourceLocation(file: file, line: line, column: column), length: length))
        }
        var records: [RawRecord] = []
        source.bytes.withUnsafeBufferPointer { p in
            var tok = CSVTokenizer(p)
            do throws(CSVTokenizer.SyntaxError) {
                guard let header = try tok.nextRow() else {
                    error("empty file: expected a header row naming the fields (e.g. id,name,...)", line: 1, column: 1)
                    return
                }
                // The header: one key per column; nil for a column whose name is unusable.
                var keys: [String?] = []
                var firstColumn: [String: CSVTokenizer.Cell] = [:]
                for cell in header.cells {
                    if let bad = cell.invalidUTF8 {
                        error("invalid UTF-8 (byte 0x\(String(bad.byte, radix: 16, uppercase: true))) in a header name",
                              line: bad.line, column: bad.column)
                        keys.append(nil)
                        continue
                    }
                    guard let name = cell.text, !name.allSatisfy(\.isWhitespace) else {
                        error("blank header name in column \(keys.count + 1): every column needs a field name",
                              line: cell.line, column: cell.column)
                        keys.append(nil)
                        continue
                    }
                    if name.first!.isWhitespace || name.last!.isWhitespace {
                        diags.append(data.diagnostic("header name \"\(name)\" starts or ends with white space; it is kept "
                                                     + "as written, so it will not match a field named without it",
                                                     at: SourceLocation(file: file, line: cell.line, column: cell.column),
                                                     severity: .warning, length: name.unicodeScalars.count))
                    }
                    let key = TextNormalization.nfc(name)
                    if let first = firstColumn[key] {
                        error("duplicate header name \"\(name)\" (also at column \(first.column) of line \(first.line))",
                              line: cell.line, column: cell.column, length: name.unicodeScalars.count)
                        keys.append(nil)
                        continue
                    }
                    firstColumn[key] = cell
                    keys.append(key)
                }
                let label = scope == .company ? "company" : scope == .team ? "team" : "person"
                while let row = try tok.nextRow() {
                    if row.cells.count != keys.count {
                        let what = row.cells.count < keys.count ? "fewer" : "more"
                        error("this row has \(row.cells.count) cell\(row.cells.count == 1 ? "" : "s"), \(what) than the "
                              + "\(keys.count) column\(keys.count == 1 ? "" : "s") of the header; the row is skipped",
                              line: row.line, column: 1)
                        continue
                    }
                    var fields: [RawField] = []
                    fields.reserveCapacity(keys.count)
                    var badCells: [(String, CSVTokenizer.Cell)] = []
                    for (k, cell) in row.cells.enumerated() {
                        guard let key = keys[k] else { continue }
                        if cell.invalidUTF8 != nil { badCells.append((key, cell)); continue }
                        guard let text = cell.text else { continue }
                        fields.append(RawField(key: key, value: .string(text),
                                               location: SourceLocation(file: file, line: cell.line, column: cell.column)))
                    }
                    let record = RawRecord(fields: fields, location: SourceLocation(file: file, line: row.line, column: 1))
                    for (key, cell) in badCells {
                        let bad = cell.invalidUTF8!
                        let who = scope == .company ? "company" : record.id.map { "\(label) \($0)" } ?? "\(label) on line \(row.line)"
                        error("\(who): field \"\(key)\": invalid UTF-8 (byte 0x\(String(bad.byte, radix: 16, uppercase: true))); "
                              + "save the file as UTF-8", line: bad.line, column: bad.column)
                    }
                    records.append(record)
                }
            } catch {
                diags.append(data.diagnostic(error.message, at: SourceLocation(file: file, line: error.line, column: error.column),
                                             length: error.length))
            }
        }
        switch scope {
        case .company:
            if records.count == 1 {
                data.company = records[0]
            } else if records.isEmpty {
                if !diags.contains(where: { $0.isError }) {
                    error("\(file) must have exactly one data row after the header (the company); it has none", line: 1, column: 1)
                }
            } else {
                data.company = records[0]
                error("\(file) must have exactly one data row after the header (the company); it has \(records.count) "
                      + "(the first is used)", line: records[1].location.line, column: 1)
            }
        case .team: data.teams = records
        case .person: data.people = records
        }
        return (data, sortedByPosition(diags))
    }

    /// Diagnostics of one file in file order (line, then column); stable, so
    /// two at the same place keep the order they were made in.
    static func sortedByPosition(_ diags: [Diagnostic]) -> [Diagnostic] {
        diags.enumerated().sorted { a, b in
            let la = a.element.location, lb = b.element.location
            let ka = (la?.line ?? 0, la?.column ?? 0, a.offset), kb = (lb?.line ?? 0, lb?.column ?? 0, b.offset)
            return ka < kb
        }.map(\.element)
    }

    // MARK: Several files

    /// What a `--data` file name says it holds.
    public enum FileKind: Equatable, Sendable {
        case json
        case csv(ScopeKind)
    }

    /// `company.csv`, `teams.csv`, `people.csv` (base name, any letter case)
    /// or `*.json`; nil for anything else.
    public static func kind(ofFileNamed name: String) -> FileKind? {
        let base = name.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? name
        switch base.lowercased() {
        case "company.csv": return .csv(.company)
        case "teams.csv": return .csv(.team)
        case "people.csv": return .csv(.person)
        default: break
        }
        if base.lowercased().hasSuffix(".json"), base.count > 5 { return .json }
        return nil
    }

    /// Several `--data` files (name as given, bytes), recognised by name: a base name of `company.csv`,
    /// `teams.csv` or `people.csv` is CSV for that scope; `*.json` is JSON; anything else is a usage-style data
    /// error. Merged per LANGUAGE.md §11: people and teams concatenated in file order, company fields merged
    /// (a field given twice is an error naming the field and both files).
    public static func read(files: [(name: String, bytes: [UInt8])]) -> (RawDataset, [Diagnostic]) {
        var merged = RawDataset()
        var diags: [Diagnostic] = []
        for (name, bytes) in files {
            let part: RawDataset, partDiags: [Diagnostic]
            switch kind(ofFileNamed: name) {
            case .json?:
                (part, partDiags) = readJSON(bytes, file: name)
            case .csv(let scope)?:
                (part, partDiags) = readCSV(bytes, file: name, scope: scope)
            case nil:
                diags.append(Diagnostic(.error, phase: .data,
                                        message: "\(name): cannot tell what this data file holds: a dataset is a *.json file "
                                            + "or CSV files named company.csv, teams.csv and people.csv"))
                continue
            }
            diags.append(contentsOf: partDiags)
            merged.teams.append(contentsOf: part.teams)
            merged.people.append(contentsOf: part.people)
            for (k, v) in part.sources where merged.sources[k] == nil { merged.sources[k] = v }
            if let company = part.company {
                merge(company: company, into: &merged, &diags)
            }
        }
        return (merged, diags)
    }

    /// Adds `company`'s fields to the merged company record; a field already
    /// given by an earlier file is an error naming the field and both places.
    static func merge(company: RawRecord, into merged: inout RawDataset, _ diags: inout [Diagnostic]) {
        guard var base = merged.company else {
            merged.company = company
            return
        }
        for field in company.fields {
            if let first = base.field(field.key) {
                let note = merged.diagnostic("\"\(field.key)\" first given here", at: first.location, severity: .note)
                diags.append(merged.diagnostic("company field \"\(field.key)\" is given twice: in \(first.location.file) "
                                               + "(\(first.location)) and in \(field.location.file) (\(field.location))",
                                               at: field.location, notes: [note]))
            } else {
                base.fields.append(field)
            }
        }
        merged.company = base
    }
}

/// Turns JSON objects into records, reporting repeated keys with the record's name.
struct JSONRecordBuilder {
    let file: String
    let data: RawDataset

    init(file: String, data: RawDataset) {
        self.file = file
        self.data = data
    }

    func error(_ message: String, line: Int, column: Int, length: Int = 1) -> Diagnostic {
        data.diagnostic(message, at: SourceLocation(file: file, line: line, column: column), length: length)
    }

    static func kind(_ v: JSONValue) -> String {
        switch v {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    /// How a record is named in messages: `company`, `team sales-east`,
    /// `person E0013`, or by position when it has no usable id (`person #13`).
    static func label(_ scope: ScopeKind, id: String?, ordinal: Int) -> String {
        switch scope {
        case .company: return "company"
        case .team: return id.map { "team \($0)" } ?? "team #\(ordinal)"
        case .person: return id.map { "person \($0)" } ?? "person #\(ordinal)"
        }
    }

    func record(_ members: [JSONMember], at node: JSONNode, scope: ScopeKind, ordinal: Int,
                _ diags: inout [Diagnostic]) -> RawRecord {
        var fields: [RawField] = []
        fields.reserveCapacity(members.count)
        // Index in `members` of the first occurrence of each kept field. Records
        // are small, so repeated keys are found by a linear scan (no hashing);
        // a large object falls back to a dictionary.
        var firstMember: [Int] = []
        firstMember.reserveCapacity(members.count)
        var index: [String: Int]? = members.count > 32 ? [:] : nil
        var duplicates: [(JSONMember, Int)] = []
        var hasNested = false
        for (mi, m) in members.enumerated() {
            let key = TextNormalization.nfc(m.key)
            var first: Int? = nil
            if index != nil {
                first = index![key]
                if first == nil { index![key] = fields.count }
            } else {
                for (k, f) in fields.enumerated() where f.key == key { first = k; break }
            }
            if let first {
                duplicates.append((m, firstMember[first]))
                continue
            }
            let value: RawValue
            switch m.value.value {
            case .null: value = .null
            case .bool(let b): value = .bool(b)
            case .number(let t): value = .number(t)
            case .string(let s): value = .string(s)
            case .array: value = .array; hasNested = true
            case .object: value = .object; hasNested = true
            }
            firstMember.append(mi)
            fields.append(RawField(key: key, value: value,
                                   location: SourceLocation(file: file, line: m.value.line, column: m.value.column)))
        }
        let record = RawRecord(fields: fields, location: SourceLocation(file: file, line: node.line, column: node.column))
        if duplicates.isEmpty && !hasNested { return record }
        let who = Self.label(scope, id: record.id, ordinal: ordinal)
        for (m, first) in duplicates {
            let f = members[first]
            diags.append(error("\(who): duplicate field \"\(m.key)\" (first at line \(f.keyLine), column \(f.keyColumn))",
                               line: m.keyLine, column: m.keyColumn, length: m.keyLength))
        }
        // Repeated keys deeper down (inside a field's own object or array).
        for m in members {
            switch m.value.value {
            case .array, .object: nestedDuplicates(m.value, who: who, path: "field \"\(m.key)\"", &diags)
            default: break
            }
        }
        return record
    }

    func nestedDuplicates(_ node: JSONNode, who: String, path: String, _ diags: inout [Diagnostic]) {
        switch node.value {
        case .object(let members):
            for (dup, first) in JSONReader.duplicateKeys(members) {
                let m = members[dup], f = members[first]
                diags.append(error("\(who): \(path): duplicate key \"\(m.key)\" (first at line \(f.keyLine), column \(f.keyColumn))",
                                   line: m.keyLine, column: m.keyColumn, length: m.keyLength))
            }
            for m in members { nestedDuplicates(m.value, who: who, path: path, &diags) }
        case .array(let items):
            for item in items { nestedDuplicates(item, who: who, path: path, &diags) }
        default:
            break
        }
    }
}
