/// A runtime value of the Tally language (LANGUAGE.md §2).
///
/// Numbers are exact decimals (34 significant digits, IEEE 754 decimal128
/// range); money is an exact amount with its ISO 4217 currency. Persons,
/// teams and the company are referenced by index (`.subject`) so that their
/// fields are computed lazily, on first read, by the evaluation that owns them.
public enum Value: Sendable, Hashable {
    /// An absent optional input, `parent`/`manager` where there is none.
    case none
    case bool(Bool)
    case number(ExactDecimal)
    case money(Money)
    case string(String)
    case date(Day)
    case list([Value])
    /// A record with named fields (objectives, key results, violations, the period).
    case record(Record)
    /// A person, a team or the company of the dataset being evaluated.
    case subject(SubjectRef)

    /// The language's name for this value's type, used in messages.
    public var typeName: String {
        switch self {
        case .none: return "none"
        case .bool: return "bool"
        case .number: return "number"
        case .money(let m): return "money (\(m.currency.code))"
        case .string: return "string"
        case .date: return "date"
        case .list: return "list"
        case .record(let r): return r.kind.typeName
        case .subject(let s): return s.scope.rawValue
        }
    }

    public var isNone: Bool {
        if case .none = self { return true }
        return false
    }
}

/// A reference to one subject of a dataset: the company, a team or a person,
/// by its index in dataset order.
public struct SubjectRef: Sendable, Hashable {
    public var scope: ScopeKind
    public var index: Int32

    public init(_ scope: ScopeKind, _ index: Int) {
        self.scope = scope
        self.index = Int32(index)
    }

    public static let company = SubjectRef(.company, 0)
}

/// The shape of a record: its kind and field names, shared by all records of
/// that shape so that a field is found by index, not by string.
public final class RecordSchema: Sendable, Hashable {
    public let kind: RecordKind
    public let fields: [String]
    private let index: [String: Int]

    public init(kind: RecordKind, fields: [String]) {
        self.kind = kind
        self.fields = fields
        var index: [String: Int] = [:]
        for (i, f) in fields.enumerated() where index[f] == nil { index[f] = i }
        self.index = index
    }

    public func fieldIndex(_ name: String) -> Int? { index[name] }

    public static func == (a: RecordSchema, b: RecordSchema) -> Bool { a === b }
    public func hash(into h: inout Hasher) { h.combine(ObjectIdentifier(self)) }
}

public enum RecordKind: Sendable, Hashable {
    case objective, keyResult, violation, period, poolInstance, generic

    public var typeName: String {
        switch self {
        case .objective: return "objective"
        case .keyResult: return "key result"
        case .violation: return "violation"
        case .period: return "period"
        case .poolInstance: return "pool"
        case .generic: return "record"
        }
    }
}

/// An immutable record value. Field values are in schema order.
public final class Record: Sendable, Hashable {
    public let schema: RecordSchema
    public let values: [Value]
    /// For objective records: the subject that owns the objective and the
    /// objective's index in its scope, so `aligned` can be found on demand.
    public let owner: SubjectRef?
    public let ordinal: Int

    public init(schema: RecordSchema, values: [Value], owner: SubjectRef? = nil, ordinal: Int = 0) {
        self.schema = schema
        self.values = values
        self.owner = owner
        self.ordinal = ordinal
    }

    public var kind: RecordKind { schema.kind }

    public subscript(_ name: String) -> Value? {
        schema.fieldIndex(name).map { values[$0] }
    }

    public static func == (a: Record, b: Record) -> Bool {
        a === b || (a.schema.fields == b.schema.fields && a.values == b.values && a.owner == b.owner && a.ordinal == b.ordinal)
    }

    public func hash(into h: inout Hasher) {
        h.combine(schema.fields)
        h.combine(values)
    }
}
