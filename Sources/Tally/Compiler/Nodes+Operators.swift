// Operator nodes. Arithmetic and comparison delegate to `Operators`, shared
// with constant folding and explanations; `none` operands are reported here,
// where the operand's source text and the subject are known.

final class ArithmeticNode: Node, @unchecked Sendable {
    let op: BinaryOperator
    let lhs: Node
    let rhs: Node
    init(_ op: BinaryOperator, _ lhs: Node, _ rhs: Node, span: Span) {
        self.op = op
        self.lhs = lhs
        self.rhs = rhs
        super.init(span: span)
    }
    override func evaluate(_ c: Evaluation) throws(EvaluationError) -> Value {
        try c.step()
        let a = try lhs.evaluate(c)
        let b = try rhs.evaluate(c)
        // Fast path: numbers, the common case in scoring formulas.
        if case .number(let x) = a, case .number(let y) = b {
            do {
                switch op {
                case .add: return .number(try x.adding(y))
                case .subtract: return .number(try x.subtracting(y))
                case .multiply: return .number(try x.multiplied(by: y))
                case .divide: return .number(try x.divided(by: y))
                default: return .number(try x.power(y))
                }
            } catch {
                throw EvaluationError(error.message, span: span, subject: c.subject)
            }
        }
        if a.isNone { throw c.noneError(lhs) }
        if b.isNone { throw c.noneError(rhs) }
        do { return try Operators.arithmetic(op, a, b) } catch { throw fail(c, error) }
    }
}

final class NegateNode: Node, @unchecked Sendable {
    let operand: Node
    init(_ operand: Node, span: Span) {
        self.operand = operand
        super.init(span: span)
    }
    override func evaluate(_ c: Evaluation) throws(EvaluationError) -> Value {
        let v = try operand.evaluate(c)
        if v.isNone { throw c.noneError(operand) }
        do { return try Operators.negate(v) } catch { throw fail(c, error) }
    }
}

final class NotNode: Node, @unchecked Sendable {
    let operand: Node
    init(_ operand: Node, span: Span) {
        self.operand = operand
        super.init(span: span)
    }
    override func evaluate(_ c: Evaluation) throws(EvaluationError) -> Value {
        .bool(!(try operand.bool(c, "the operand of `not`")))
    }
}

final class CompareNode: Node, @unchecked Sendable {
    let op: BinaryOperator
    let lhs: Node
    let rhs: Node
    init(_ op: BinaryOperator, _ lhs: Node, _ rhs: Node, span: Span) {
        self.op = op
        self.lhs = lhs
        self.rhs = rhs
        super.init(span: span)
    }
    override func evaluate(_ c: Evaluation) throws(EvaluationError) -> Value {
        try c.step()
        let a = try lhs.evaluate(c)
        let b = try rhs.evaluate(c)
        if op != .equal && op != .notEqual {
            if a.isNone { throw c.noneError(lhs) }
            if b.isNone { throw c.noneError(rhs) }
            if case .number(let x) = a, case .number(let y) = b {
                switch op {
                case .less: return .bool(x < y)
                case .lessEqual: return .bool(x <= y)
                case .greater: return .bool(x > y)
                default: return .bool(x >= y)
                }
            }
        }
        do { return .bool(try Operators.compare(op, a, b)) } catch { throw fail(c, error) }
    }
}

final class InListNode: Node, @unchecked Sendable {
    let element: Node
    let list: Node
    init(_ element: Node, _ list: Node, span: Span) {
        self.element = element
        self.list = list
        super.init(span: span)
    }
    override func evaluate(_ c: Evaluation) throws(EvaluationError) -> Value {
        let x = try element.evaluate(c)
        let items = try list.list(c, "the right side of `in`")
        do { return .bool(try Operators.contains(items, x)) } catch { throw fail(c, error) }
    }
}

final class InRangeNode: Node, @unchecked Sendable {
    let element: Node
    let lower: Node
    let upper: Node
    let inclusive: Bool
    init(_ element: Node, _ lower: Node, _ upper: Node, inclusive: Bool, span: Span) {
        self.element = element
        self.lower = lower
        self.upper = upper
        self.inclusive = inclusive
        super.init(span: span)
    }
    override func evaluate(_ c: Evaluation) throws(EvaluationError) -> Value {
        let x = try element.evaluate(c)
        if x.isNone { throw c.noneError(element) }
        let lo = try lower.evaluate(c), hi = try upper.evaluate(c)
        do { return .bool(try Operators.inRange(x, lo, hi, inclusive: inclusive)) } catch { throw fail(c, error) }
    }
}

final class AndNode: Node, @unchecked Sendable {
    let lhs: Node
    let rhs: Node
    init(_ lhs: Node, _ rhs: Node, span: Span) {
        self.lhs = lhs
        self.rhs = rhs
        super.init(span: span)
    }
    override func evaluate(_ c: Evaluation) throws(EvaluationError) -> Value {
        guard try lhs.bool(c, "the left operand of `and`") else { return .bool(false) }
        return .bool(try rhs.bool(c, "the right operand of `and`"))
    }
}

final class OrNode: Node, @unchecked Sendable {
    let lhs: Node
    let rhs: Node
    init(_ lhs: Node, _ rhs: Node, span: Span) {
        self.lhs = lhs
        self.rhs = rhs
        super.init(span: span)
    }
    override func evaluate(_ c: Evaluation) throws(EvaluationError) -> Value {
        if try lhs.bool(c, "the left operand of `or`") { return .bool(true) }
        return .bool(try rhs.bool(c, "the right operand of `or`"))
    }
}

final class CoalesceNode: Node, @unchecked Sendable {
    let lhs: Node
    let rhs: Node
    init(_ lhs: Node, _ rhs: Node, span: Span) {
        self.lhs = lhs
        self.rhs = rhs
        super.init(span: span)
    }
    override func evaluate(_ c: Evaluation) throws(EvaluationError) -> Value {
        let v = try lhs.evaluate(c)
        return v.isNone ? try rhs.evaluate(c) : v
    }
}

final class ConditionalNode: Node, @unchecked Sendable {
    let condition: Node
    let then: Node
    let otherwise: Node
    init(_ condition: Node, _ then: Node, _ otherwise: Node, span: Span) {
        self.condition = condition
        self.then = then
        self.otherwise = otherwise
        super.init(span: span)
    }
    override func evaluate(_ c: Evaluation) throws(EvaluationError) -> Value {
        try condition.bool(c, "an `if` condition") ? try then.evaluate(c) : try otherwise.evaluate(c)
    }
}
