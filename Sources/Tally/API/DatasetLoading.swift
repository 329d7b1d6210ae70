/// Loading datasets for the façade (Tally.swift): from files, JSON bytes and
/// Swift values. Every path ends in `DatasetBinder`, so the checks and
/// messages are the same whatever the source.
enum DatasetLoading {
    static func files(_ files: [(name: String, bytes: [UInt8])], plan: CompiledPlan,
                      forceJSON: Bool = false) -> DatasetLoad {
        let (raw, readDiagnostics) = forceJSON && files.count == 1
            ? DatasetReader.readJSON(files[0].bytes, file: files[0].name)
            : DatasetReader.read(files: files)
        if readDiagnostics.contains(where: \.isError) { return DatasetLoad(dataset: nil, diagnostics: readDiagnostics) }
        let load = plan.dataset(raw)
        return DatasetLoad(dataset: load.dataset, diagnostics: readDiagnostics + load.diagnostics)
    }

    // MARK: Swift values

    /// Builds the raw records a JSON reader would produce from the same data,
    /// then binds them. A record is located as `people[3]` with line 0.
    static func values(company: [String: Value], teams: [[String: Value]], people: [[String: Value]],
                       plan: CompiledPlan) -> DatasetLoad {
        var diagnostics: [Diagnostic] = []
        let program = plan.program
        func records(_ list: [[String: Value]], _ scope: ScopeKind, _ key: String) -> [RawRecord] {
            list.enumerated().map { k, fields in
                record(fields, scope: scope, ordinal: k + 1, place: "\(key)[\(k)]", program: program, &diagnostics)
            }
        }
        let raw = RawDataset(company: record(company, scope: .company, ordinal: 1, place: "company", program: program, &diagnostics),
                             teams: records(teams, .team, "teams"), people: records(people, .person, "people"))
        if diagnostics.contains(where: \.isError) { return DatasetLoad(dataset: nil, diagnostics: diagnostics) }
        let load = plan.dataset(raw)
        return DatasetLoad(dataset: load.dataset, diagnostics: diagnostics + load.diagnostics)
    }

    private static func record(_ values: [String: Value], scope: ScopeKind, ordinal: Int, place: String,
                               program: Program, _ diagnostics: inout [Diagnostic]) -> RawRecord {
        let location = SourceLocation(file: place, line: 0, column: 0)
        let id = values["id"]?.string.map(TextNormalization.nfc)
        let who = JSONRecordBuilder.label(scope, id: id, ordinal: ordinal)
        let inputs = program.scope(scope).inputs
        var fields: [RawField] = []
        var seen: [String: String] = [:]
        for (written, value) in values.sorted(by: { $0.key < $1.key }) {
            let key = TextNormalization.nfc(written)
            if let first = seen[key] {
                diagnostics.append(Diagnostic(.error, phase: .data, message:
                    "\(who): duplicate field \"\(written)\" (the same name as \"\(first)\" after Unicode normalisation)",
                    location: location))
                continue
            }
            seen[key] = written
            let type = inputs.first { $0.name == key }?.type
            switch rawValue(value, declared: type, currency: program.header.currency) {
            case .success(let raw):
                fields.append(RawField(key: key, value: raw, location: location))
            case .failure(let problem):
                let declared = type.map { " (\($0.rawValue))" } ?? ""
                diagnostics.append(Diagnostic(.error, phase: .data,
                                              message: "\(who): field `\(key)`\(declared): \(problem.message)", location: location))
            }
        }
        return RawRecord(fields: fields, location: location)
    }

    /// What a JSON file would hold for `value`. Money and dates, which JSON
    /// writes as numbers and strings, are checked against the declared type
    /// here, since the raw form no longer says what they were.
    static func rawValue(_ value: Value, declared: InputType?, currency: Currency) -> Result<RawValue, FieldConversion.FieldError> {
        switch value {
        case .none: return .success(.null)
        case .bool(let b): return .success(.bool(b))
        case .number(let n): return .success(.number(exactText(n)))
        case .string(let s): return .success(.string(s))
        case .money(let m):
            guard declared == nil || declared == .money else {
                return .failure(.init("expected \(declared!.rawValue), found money (\(m.currency.code))"))
            }
            guard m.currency == currency else {
                return .failure(.init("money in \(m.currency.code), but the plan's currency is \(currency.code)"))
            }
            return .success(.number(exactText(m.amount)))
        case .date(let d):
            guard declared == nil || declared == .date else {
                return .failure(.init("expected \(declared!.rawValue), found a date"))
            }
            return .success(.string(d.description))
        case .list: return .success(.array)
        case .record: return .success(.object)
        case .subject: return .failure(.init("a person or team reference cannot be a dataset value; give its id as a string"))
        }
    }

    /// Decimal text that reads back as exactly `n`: scientific notation, so a
    /// value such as 1e6000 stays short and within the 34-digit rule.
    static func exactText(_ n: ExactDecimal) -> String {
        let sign = n.isNegative && !n.isZero ? "-" : ""
        return n.exponent == 0 ? sign + String(n.coefficient) : "\(sign)\(n.coefficient)e\(n.exponent)"
    }
}

extension InputDescription {
    init(_ input: InputCode) {
        self.init(name: input.name, type: input.type,
                  mayBeAbsent: input.isOptional || input.defaultValue != nil || input.block != nil)
    }
}
