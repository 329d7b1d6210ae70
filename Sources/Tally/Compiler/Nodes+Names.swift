// Nodes that read values: constants, frame slots, subject slots, built-ins,
// element fields, members and indexes.

final class ConstantNode: Node, @unchecked Sendable {
    let value: Value
    init(_ value: Value, span: Span) {
        self.value = value
        super.init(span: span)
    }
    override func evaluate(_ c: Evaluation) throws(EvaluationError) -> Value { value }
}

final class LocalNode: Node, @unchecked Sendable {
    let index: Int
    init(_ index: Int, span: Span) {
        self.index = index
        super.init(span: span)
    }
    override func evaluate(_ c: Evaluation) throws(EvaluationError) -> Value { c.locals[c.base &+ index] }
}

/// A slot of the current subject.
final class SlotNode: Node, @unchecked Sendable {
    let slot: Int
    init(_ slot: Int, span: Span) {
        self.slot = slot
        super.init(span: span)
    }
    override func evaluate(_ c: Evaluation) throws(EvaluationError) -> Value {
        try c.value(c.subject, slot)
    }
}

/// A company-scope slot, read from anywhere.
final class CompanySlotNode: Node, @unchecked Sendable {
    let slot: Int
    init(_ slot: Int, span: Span) {
        self.slot = slot
        super.init(span: span)
    }
    override func evaluate(_ c: Evaluation) throws(EvaluationError) -> Value {
        try c.value(.company, slot)
    }
}

final class BuiltinNode: Node, @unchecked Sendable {
    let field: BuiltinField
    init(_ field: BuiltinField, span: Span) {
        self.field = field
        super.init(span: span)
    }
    override func evaluate(_ c: Evaluation) throws(EvaluationError) -> Value {
        c.builtin(c.subject, field)
    }
}

final class GlobalNode: Node, @unchecked Sendable {
    let name: GlobalName
    init(_ name: GlobalName, span: Span) {
        self.name = name
        super.init(span: span)
    }
    override func evaluate(_ c: Evaluation) throws(EvaluationError) -> Value {
        switch name {
        case .company: return .subject(.company)
        case .people: return c.data.people
        case .teams: return c.data.teams
        case .period: return c.period
        case .violations: return .list(try c.violations())
        }
    }
}

final class AlignedNode: Node, @unchecked Sendable {
    let scope: ScopeKind
    let objective: Int
    init(_ scope: ScopeKind, _ objective: Int, span: Span) {
        self.scope = scope
        self.objective = objective
        super.init(span: span)
    }
    override func evaluate(_ c: Evaluation) throws(EvaluationError) -> Value {
        try c.aligned(c.subject, scope, objective)
    }
}

/// A slot of the subject bound in a frame slot (a `where` element).
final class ElementSlotNode: Node, @unchecked Sendable {
    let local: Int
    let slot: Int
    init(local: Int, slot: Int, span: Span) {
        self.local = local
        self.slot = slot
        super.init(span: span)
    }
    override func evaluate(_ c: Evaluation) throws(EvaluationError) -> Value {
        guard case .subject(let s) = c.locals[c.base &+ local] else {
            throw EvaluationError("internal error: element is not a subject", span: span, subject: c.subject)
        }
        return try c.value(s, slot)
    }
}

final class ElementBuiltinNode: Node, @unchecked Sendable {
    let local: Int
    let field: BuiltinField
    init(local: Int, field: BuiltinField, span: Span) {
        self.local = local
        self.field = field
        super.init(span: span)
    }
    override func evaluate(_ c: Evaluation) throws(EvaluationError) -> Value {
        guard case .subject(let s) = c.locals[c.base &+ local] else {
            throw EvaluationError("internal error: element is not a subject", span: span, subject: c.subject)
        }
        return c.builtin(s, field)
    }
}

/// A field of an element whose type was not known when compiling: the
/// element's field of that name if it has one, else the outer name.
final class ElementDynamicNode: Node, @unchecked Sendable {
    let local: Int
    let name: String
    let outer: Node?
    init(local: Int, name: String, outer: Node?, span: Span) {
        self.local = local
        self.name = name
        self.outer = outer
        super.init(span: span)
    }
    override func evaluate(_ c: Evaluation) throws(EvaluationError) -> Value {
        let element = c.locals[c.base &+ local]
        if let v = try c.member(element, name, span: span, required: false) { return v }
        if let outer { return try outer.evaluate(c) }
        throw EvaluationError("\(element.typeName) has no field `\(name)`", span: span, subject: c.subject)
    }
}

/// `base.slot` where base is a subject of a known scope.
final class MemberSlotNode: Node, @unchecked Sendable {
    let base: Node
    let slot: Int
    init(_ base: Node, slot: Int, span: Span) {
        self.base = base
        self.slot = slot
        super.init(span: span)
    }
    override func evaluate(_ c: Evaluation) throws(EvaluationError) -> Value {
        let v = try base.evaluate(c)
        guard case .subject(let s) = v else {
            if v.isNone { throw c.noneError(base) }
            throw EvaluationError("\(v.typeName) has no fields", span: span, subject: c.subject)
        }
        return try c.value(s, slot)
    }
}

final class MemberBuiltinNode: Node, @unchecked Sendable {
    let base: Node
    let field: BuiltinField
    init(_ base: Node, field: BuiltinField, span: Span) {
        self.base = base
        self.field = field
        super.init(span: span)
    }
    override func evaluate(_ c: Evaluation) throws(EvaluationError) -> Value {
        let v = try base.evaluate(c)
        guard case .subject(let s) = v else {
            if v.isNone { throw c.noneError(base) }
            throw EvaluationError("\(v.typeName) has no field `\(field.rawValue)`", span: span, subject: c.subject)
        }
        return c.builtin(s, field)
    }
}

/// A record field or any member whose base type was not known statically.
final class MemberNode: Node, @unchecked Sendable {
    let base: Node
    let name: String
    init(_ base: Node, name: String, span: Span) {
        self.base = base
        self.name = name
        super.init(span: span)
    }
    override func evaluate(_ c: Evaluation) throws(EvaluationError) -> Value {
        let v = try base.evaluate(c)
        if v.isNone { throw c.noneError(base) }
        return try c.member(v, name, span: span, required: true)!
    }
}

final class IndexNode: Node, @unchecked Sendable {
    let base: Node
    let index: Node
    init(_ base: Node, _ index: Node, span: Span) {
        self.base = base
        self.index = index
        super.init(span: span)
    }
    override func evaluate(_ c: Evaluation) throws(EvaluationError) -> Value {
        let b = try base.evaluate(c)
        let i = try index.evaluate(c)
        guard case .list(let items) = b else {
            if b.isNone { throw c.noneError(base) }
            throw EvaluationError("cannot index \(b.typeName)", span: span, subject: c.subject)
        }
        switch i {
        case .number(let n):
            guard let k = n.int64Value, k >= 0, k < items.count else {
                throw EvaluationError("index \(n) is out of range for a list of \(items.count)", span: index.span, subject: c.subject)
            }
            return items[Int(k)]
        case .string(let id):
            return try c.lookup(id: id, in: b, base: base, span: index.span)
        case .none:
            throw c.noneError(index)
        default:
            throw EvaluationError("a list index must be a number or an id, not \(i.typeName)", span: index.span, subject: c.subject)
        }
    }
}
