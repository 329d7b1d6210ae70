/// A failed operation, before the evaluator adds where and for whom.
struct OperationError: Error, Sendable {
    var message: String
    init(_ message: String) { self.message = message }
}

/// The language's operators on runtime values (LANGUAGE.md §2–§4), shared by
/// the evaluator, compile-time constant folding and explanations so that all
/// three compute exactly the same thing.
enum Operators {
    typealias Failure = OperationError

    static func arithmetic(_ op: BinaryOperator, _ a: Value, _ b: Value) throws(Failure) -> Value {
        switch op {
        case .add: return try add(a, b)
        case .subtract: return try subtract(a, b)
        case .multiply: return try multiply(a, b)
        case .divide: return try divide(a, b)
        case .power: return try power(a, b)
        default: throw Failure("`\(op.rawValue)` is not an arithmetic operator")
        }
    }

    @inline(__always)
    static func decimal(_ body: () throws(ArithmeticError) -> ExactDecimal) throws(Failure) -> ExactDecimal {
        do { return try body() } catch { throw Failure(error.message) }
    }

    static func add(_ a: Value, _ b: Value) throws(Failure) -> Value {
        switch (a, b) {
        case (.number(let x), .number(let y)):
            return .number(try decimal { () throws(ArithmeticError) in try x.adding(y) })
        case (.money(let x), .money(let y)) where x.currency == y.currency:
            return .money(Money(try decimal { () throws(ArithmeticError) in try x.amount.adding(y.amount) }, x.currency))
        default: throw mismatch("add", a, b)
        }
    }

    static func subtract(_ a: Value, _ b: Value) throws(Failure) -> Value {
        switch (a, b) {
        case (.number(let x), .number(let y)):
            return .number(try decimal { () throws(ArithmeticError) in try x.subtracting(y) })
        case (.money(let x), .money(let y)) where x.currency == y.currency:
            return .money(Money(try decimal { () throws(ArithmeticError) in try x.amount.subtracting(y.amount) }, x.currency))
        case (.date, .date): throw Failure("cannot subtract dates; use days_between(a, b)")
        default: throw mismatch("subtract", a, b)
        }
    }

    static func multiply(_ a: Value, _ b: Value) throws(Failure) -> Value {
        switch (a, b) {
        case (.number(let x), .number(let y)):
            return .number(try decimal { () throws(ArithmeticError) in try x.multiplied(by: y) })
        case (.number(let x), .money(let y)):
            return .money(Money(try decimal { () throws(ArithmeticError) in try x.multiplied(by: y.amount) }, y.currency))
        case (.money(let x), .number(let y)):
            return .money(Money(try decimal { () throws(ArithmeticError) in try x.amount.multiplied(by: y) }, x.currency))
        default: throw mismatch("multiply", a, b)
        }
    }

    static func divide(_ a: Value, _ b: Value) throws(Failure) -> Value {
        switch (a, b) {
        case (.number(let x), .number(let y)):
            return .number(try decimal { () throws(ArithmeticError) in try x.divided(by: y) })
        case (.money(let x), .number(let y)):
            return .money(Money(try decimal { () throws(ArithmeticError) in try x.amount.divided(by: y) }, x.currency))
        case (.money(let x), .money(let y)) where x.currency == y.currency:
            return .number(try decimal { () throws(ArithmeticError) in try x.amount.divided(by: y.amount) })
        default: throw mismatch("divide", a, b)
        }
    }

    static func power(_ a: Value, _ b: Value) throws(Failure) -> Value {
        switch (a, b) {
        case (.number(let x), .number(let y)):
            return .number(try decimal { () throws(ArithmeticError) in try x.power(y) })
        default: throw mismatch("raise", a, b)
        }
    }

    static func negate(_ a: Value) throws(Failure) -> Value {
        switch a {
        case .number(let x): return .number(x.negated)
        case .money(let m): return .money(Money(m.amount.negated, m.currency))
        default: throw Failure("cannot negate \(a.typeName)")
        }
    }

    static func mismatch(_ verb: String, _ a: Value, _ b: Value) -> Failure {
        if case .money(let x) = a, case .money(let y) = b, x.currency != y.currency {
            return Failure("cannot \(verb) money in \(x.currency.code) and money in \(y.currency.code): currencies differ")
        }
        switch verb {
        case "subtract": return Failure("cannot subtract \(b.typeName) from \(a.typeName)")
        case "add": return Failure("cannot add \(a.typeName) and \(b.typeName)")
        case "raise": return Failure("cannot raise \(a.typeName) to the power \(b.typeName)")
        default: return Failure("cannot \(verb) \(a.typeName) by \(b.typeName)")
        }
    }

    // MARK: Comparison

    /// `==`: values of one type (money: one currency) or `none` on either side.
    static func equal(_ a: Value, _ b: Value) throws(Failure) -> Bool {
        switch (a, b) {
        case (.none, .none): return true
        case (.none, _), (_, .none): return false
        case (.number(let x), .number(let y)): return x == y
        case (.money(let x), .money(let y)):
            guard x.currency == y.currency else { throw mismatchCompare(a, b) }
            return x.amount == y.amount
        case (.bool(let x), .bool(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.date(let x), .date(let y)): return x == y
        case (.subject(let x), .subject(let y)): return x == y
        case (.list(let x), .list(let y)):
            guard x.count == y.count else { return false }
            for (p, q) in zip(x, y) where !(try equal(p, q)) { return false }
            return true
        case (.record(let x), .record(let y)): return x == y
        default: throw mismatchCompare(a, b)
        }
    }

    /// Orders numbers, money of one currency and dates; -1, 0 or 1.
    static func compare(_ a: Value, _ b: Value) throws(Failure) -> Int {
        switch (a, b) {
        case (.number(let x), .number(let y)): return x < y ? -1 : (x == y ? 0 : 1)
        case (.money(let x), .money(let y)) where x.currency == y.currency:
            return x.amount < y.amount ? -1 : (x.amount == y.amount ? 0 : 1)
        case (.date(let x), .date(let y)): return x < y ? -1 : (x == y ? 0 : 1)
        case (.string, .string): throw Failure("strings cannot be ordered (only ==, != and in)")
        case (.bool, .bool): throw Failure("true and false cannot be ordered")
        default: throw mismatchCompare(a, b)
        }
    }

    static func compare(_ op: BinaryOperator, _ a: Value, _ b: Value) throws(Failure) -> Bool {
        switch op {
        case .equal: return try equal(a, b)
        case .notEqual: return !(try equal(a, b))
        case .less: return try compare(a, b) < 0
        case .lessEqual: return try compare(a, b) <= 0
        case .greater: return try compare(a, b) > 0
        case .greaterEqual: return try compare(a, b) >= 0
        default: throw Failure("`\(op.rawValue)` is not a comparison")
        }
    }

    static func mismatchCompare(_ a: Value, _ b: Value) -> Failure {
        if case .money(let x) = a, case .money(let y) = b {
            return Failure("cannot compare money in \(x.currency.code) with money in \(y.currency.code): currencies differ")
        }
        return Failure("cannot compare \(a.typeName) with \(b.typeName)")
    }

    /// `x in list`.
    static func contains(_ list: [Value], _ x: Value) throws(Failure) -> Bool {
        for e in list where try equal(e, x) { return true }
        return false
    }

    /// `x in lo..hi` / `x in lo..<hi`.
    static func inRange(_ x: Value, _ lo: Value, _ hi: Value, inclusive: Bool) throws(Failure) -> Bool {
        guard try compare(x, lo) >= 0 else { return false }
        let c = try compare(x, hi)
        return inclusive ? c <= 0 : c < 0
    }

    // MARK: Rounding

    static func round(_ a: Value, places: Int, _ mode: RoundingMode) throws(Failure) -> Value {
        switch a {
        case .number(let x):
            return .number(try decimal { () throws(ArithmeticError) in try x.rounded(places: places, mode) })
        case .money(let m):
            return .money(Money(try decimal { () throws(ArithmeticError) in try m.amount.rounded(places: places, mode) }, m.currency))
        default: throw Failure("cannot round \(a.typeName)")
        }
    }
}
