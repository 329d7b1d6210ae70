/// A type known before evaluation (LANGUAGE.md §2). `unknown` is used where
/// the checker cannot know (function parameters, dynamic member access);
/// such values are checked when evaluated instead.
indirect enum StaticType: Hashable, Sendable, CustomStringConvertible {
    case unknown
    /// The literal `none`.
    case none
    case number
    /// Money; the currency when it is known.
    case money(Currency?)
    case bool
    case string
    case date
    case list(StaticType)
    /// A person, a team or the company.
    case subject(ScopeKind)
    /// An objective record of a scope; the objective's index when known, so
    /// that its key results can be reached by id (`grow.rev`).
    case objective(ScopeKind, Int?)
    /// A key-result record.
    case keyResult
    /// `period`: `{start, end, days}`.
    case period
    /// An element of `violations`.
    case violation

    var description: String {
        switch self {
        case .unknown: return "unknown"
        case .none: return "none"
        case .number: return "number"
        case .money(let c): return c.map { "money (\($0.code))" } ?? "money"
        case .bool: return "bool"
        case .string: return "string"
        case .date: return "date"
        case .list(let e): return e == .unknown ? "list" : "list of \(e)"
        case .subject(let s): return s.rawValue
        case .objective: return "objective"
        case .keyResult: return "key result"
        case .period: return "period"
        case .violation: return "violation"
        }
    }

    var isKnown: Bool { self != .unknown }

    var isMoney: Bool {
        if case .money = self { return true }
        return false
    }

    var currency: Currency? {
        if case .money(let c) = self { return c }
        return nil
    }

    var elementType: StaticType? {
        switch self {
        case .list(let e): return e
        default: return nil
        }
    }

    /// The least type covering both (used where a name has several
    /// definitions, for list literals and for `if` branches).
    func joined(with other: StaticType) -> StaticType {
        if self == other { return self }
        switch (self, other) {
        case (.none, let t), (let t, .none): return t
        case (.money(let a), .money(let b)): return .money(a == b ? a : nil)
        case (.list(let a), .list(let b)): return .list(a.joined(with: b))
        case (.objective(let s1, _), .objective(let s2, _)) where s1 == s2: return .objective(s1, nil)
        default: return .unknown
        }
    }

    /// Types of one kind can be compared with `==` and ordered where the kind
    /// is ordered; money must also agree on the currency.
    func sameKind(as other: StaticType) -> Bool {
        switch (self, other) {
        case (.unknown, _), (_, .unknown), (.none, _), (_, .none): return true
        case (.money(let a), .money(let b)): return a == nil || b == nil || a == b
        case (.list(let a), .list(let b)): return a.sameKind(as: b)
        case (.objective(let a, _), .objective(let b, _)): return a == b
        default: return self == other
        }
    }
}
