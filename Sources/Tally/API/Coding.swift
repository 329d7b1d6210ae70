/// `Codable` for values and results (shapes documented in Tally.swift).
/// Numbers are encoded as their exact decimal text in JSON strings, through
/// `ExactDecimal`'s own `Codable`, so no number ever becomes a `Double`.

/// String coding keys: one-key objects and record field entries.
struct NameKey: CodingKey {
    let stringValue: String
    init(_ s: String) { stringValue = s }
    init?(stringValue: String) { self.stringValue = stringValue }
    var intValue: Int? { nil }
    init?(intValue: Int) { nil }
}

enum ValueCoding {
    private static let number = NameKey("number"), money = NameKey("money"), currency = NameKey("currency")
    private static let date = NameKey("date"), record = NameKey("record"), fields = NameKey("fields")
    private static let subject = NameKey("subject"), index = NameKey("index")
    private static let name = NameKey("name"), value = NameKey("value")

    static func encode(_ v: Value, to encoder: any Encoder) throws {
        switch v {
        case .none:
            var c = encoder.singleValueContainer()
            try c.encodeNil()
        case .bool(let b):
            var c = encoder.singleValueContainer()
            try c.encode(b)
        case .string(let s):
            var c = encoder.singleValueContainer()
            try c.encode(s)
        case .list(let items):
            var c = encoder.unkeyedContainer()
            for item in items { try c.encode(item) }
        case .number(let n):
            var c = encoder.container(keyedBy: NameKey.self)
            try c.encode(n, forKey: number)
        case .money(let m):
            var c = encoder.container(keyedBy: NameKey.self)
            try c.encode(m.amount.formatted(minimumFractionDigits: m.currency.minorUnits), forKey: money)
            try c.encode(m.currency, forKey: currency)
        case .date(let d):
            var c = encoder.container(keyedBy: NameKey.self)
            try c.encode(d, forKey: date)
        case .record(let r):
            var c = encoder.container(keyedBy: NameKey.self)
            try c.encode(kindName(r.kind), forKey: record)
            var list = c.nestedUnkeyedContainer(forKey: fields)
            for (n, fv) in zip(r.schema.fields, r.values) {
                var entry = list.nestedContainer(keyedBy: NameKey.self)
                try entry.encode(n, forKey: name)
                try entry.encode(fv, forKey: value)
            }
        case .subject(let s):
            var c = encoder.container(keyedBy: NameKey.self)
            try c.encode(s.scope, forKey: subject)
            try c.encode(Int(s.index), forKey: index)
        }
    }

    static func decode(_ decoder: any Decoder) throws -> Value {
        if let single = try? decoder.singleValueContainer() {
            if single.decodeNil() { return .none }
            if let b = try? single.decode(Bool.self) { return .bool(b) }
            if let s = try? single.decode(String.self) { return .string(s) }
        }
        if var list = try? decoder.unkeyedContainer() {
            var items: [Value] = []
            while !list.isAtEnd { items.append(try list.decode(Value.self)) }
            return .list(items)
        }
        let c = try decoder.container(keyedBy: NameKey.self)
        if c.contains(number) { return .number(try c.decode(ExactDecimal.self, forKey: number)) }
        if c.contains(money) {
            let text = try c.decode(String.self, forKey: money)
            guard let amount = ExactDecimal(text) else {
                throw DecodingError.dataCorruptedError(forKey: money, in: c, debugDescription: "invalid amount \"\(text)\"")
            }
            return .money(Money(amount, try c.decode(Currency.self, forKey: currency)))
        }
        if c.contains(date) { return .date(try c.decode(Day.self, forKey: date)) }
        if c.contains(record) {
            let kindText = try c.decode(String.self, forKey: record)
            guard let kind = RecordKind.allNamed[kindText] else {
                throw DecodingError.dataCorruptedError(forKey: record, in: c, debugDescription: "unknown record kind \"\(kindText)\"")
            }
            var list = try c.nestedUnkeyedContainer(forKey: fields)
            var names: [String] = [], values: [Value] = []
            while !list.isAtEnd {
                let entry = try list.nestedContainer(keyedBy: NameKey.self)
                names.append(try entry.decode(String.self, forKey: name))
                values.append(try entry.decode(Value.self, forKey: value))
            }
            return .record(Record(schema: RecordSchema(kind: kind, fields: names), values: values))
        }
        if c.contains(subject) {
            return .subject(SubjectRef(try c.decode(ScopeKind.self, forKey: subject), try c.decode(Int.self, forKey: index)))
        }
        throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                debugDescription: "not a Tally value: expected null, a bool, a string, an array, "
                                                    + "or an object with \"number\", \"money\", \"date\", \"record\" or \"subject\""))
    }

    static func kindName(_ kind: RecordKind) -> String {
        RecordKind.allNamed.first { $0.value == kind }!.key
    }
}

extension RecordKind {
    /// Names used in the encoded form.
    static let allNamed: [String: RecordKind] = [
        "objective": .objective, "key_result": .keyResult, "violation": .violation,
        "period": .period, "pool": .poolInstance, "record": .generic,
    ]
}

enum ResultCoding {
    private enum SubjectKeys: String, CodingKey { case scope, id, name, team, values }
    private enum EntryKeys: String, CodingKey { case name, value, failed }
    private enum ResultKeys: String, CodingKey { case plan, slots, company, teams, people, violations, diagnostics }

    static func encode(_ s: SubjectResult, to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: SubjectKeys.self)
        try c.encode(s.scope, forKey: .scope)
        try c.encode(s.id, forKey: .id)
        try c.encode(s.name, forKey: .name)
        try c.encode(s.team, forKey: .team)
        var list = c.nestedUnkeyedContainer(forKey: .values)
        for (n, v) in zip(s.names, s.values) {
            var entry = list.nestedContainer(keyedBy: EntryKeys.self)
            try entry.encode(n, forKey: .name)
            if let v { try entry.encode(v, forKey: .value) } else { try entry.encode(true, forKey: .failed) }
        }
    }

    static func decodeSubject(_ decoder: any Decoder) throws -> SubjectResult {
        let c = try decoder.container(keyedBy: SubjectKeys.self)
        var list = try c.nestedUnkeyedContainer(forKey: .values)
        var names: [String] = [], values: [Value?] = []
        while !list.isAtEnd {
            let entry = try list.nestedContainer(keyedBy: EntryKeys.self)
            names.append(try entry.decode(String.self, forKey: .name))
            values.append(try entry.decodeIfPresent(Bool.self, forKey: .failed) == true
                          ? nil : try entry.decode(Value.self, forKey: .value))
        }
        return SubjectResult(scope: try c.decode(ScopeKind.self, forKey: .scope), id: try c.decode(String.self, forKey: .id),
                             name: try c.decodeIfPresent(String.self, forKey: .name),
                             team: try c.decodeIfPresent(String.self, forKey: .team), names: names, values: values)
    }

    static func encode(_ r: EvaluationResult, to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: ResultKeys.self)
        try c.encode(r.plan, forKey: .plan)
        var slots = c.nestedContainer(keyedBy: NameKey.self, forKey: .slots)
        for kind in ScopeKind.allCases { try slots.encode(r.slots[kind] ?? [], forKey: NameKey(kind.rawValue)) }
        try c.encode(r.company, forKey: .company)
        try c.encode(r.teams, forKey: .teams)
        try c.encode(r.people, forKey: .people)
        try c.encode(r.violations, forKey: .violations)
        try c.encode(r.diagnostics, forKey: .diagnostics)
    }

    static func decodeResult(_ decoder: any Decoder) throws -> EvaluationResult {
        let c = try decoder.container(keyedBy: ResultKeys.self)
        let slotContainer = try c.nestedContainer(keyedBy: NameKey.self, forKey: .slots)
        var slots: [ScopeKind: [SlotDescription]] = [:]
        for kind in ScopeKind.allCases {
            slots[kind] = try slotContainer.decodeIfPresent([SlotDescription].self, forKey: NameKey(kind.rawValue)) ?? []
        }
        return EvaluationResult(plan: try c.decode(PlanInfo.self, forKey: .plan), slots: slots,
                                company: try c.decode(SubjectResult.self, forKey: .company),
                                teams: try c.decode([SubjectResult].self, forKey: .teams),
                                people: try c.decode([SubjectResult].self, forKey: .people),
                                violations: try c.decode([Violation].self, forKey: .violations),
                                diagnostics: try c.decode([Diagnostic].self, forKey: .diagnostics))
    }
}
