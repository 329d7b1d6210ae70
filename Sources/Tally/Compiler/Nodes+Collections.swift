// Lists, comprehensions and `where`.

final class ListNode: Node, @unchecked Sendable {
    let items: [Node]
    /// The checker could not prove the items of one type (they come from
    /// function parameters): check each value as it is built.
    let checksKinds: Bool
    init(_ items: [Node], checksKinds: Bool = false, span: Span) {
        self.items = items
        self.checksKinds = checksKinds
        super.init(span: span)
    }
    override func evaluate(_ c: Evaluation) throws(EvaluationError) -> Value {
        try c.checkCollection(items.count, span)
        var out: [Value] = []
        out.reserveCapacity(items.count)
        for item in items { out.append(try item.evaluate(c)) }
        if checksKinds { try ListKinds.check(out, span, c) }
        return .list(out)
    }
}

/// A list holds values of one type (money: one currency), `none` aside — as
/// the checker requires where it knows the types; checked when a list is
/// built from values it could not type (a function's parameters).
enum ListKinds {
    static func check(_ values: [Value], _ span: Span, _ c: Evaluation) throws(EvaluationError) {
        var first: Value?
        for v in values where !v.isNone {
            guard let f = first else { first = v; continue }
            if !sameKind(f, v) {
                throw EvaluationError("a list holds values of one type: this is \(describe(v)), earlier items are \(describe(f))",
                                      span: span, subject: c.subject)
            }
        }
    }

    /// A value's type as the checker names it (`list of money (CNY)`).
    static func describe(_ v: Value) -> String {
        guard case .list(let items) = v else { return v.typeName }
        return items.first(where: { !$0.isNone }).map { "list of " + describe($0) } ?? "list"
    }

    static func sameKind(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.bool, .bool), (.number, .number), (.string, .string), (.date, .date): return true
        case (.list(let x), .list(let y)):
            // Lists of lists: their elements are of one kind too (each list
            // was itself checked as it was built; an empty one fits any).
            guard let u = x.first(where: { !$0.isNone }), let v = y.first(where: { !$0.isNone }) else { return true }
            return sameKind(u, v)
        case (.money(let x), .money(let y)): return x.currency == y.currency
        case (.record(let x), .record(let y)): return x.kind.typeName == y.kind.typeName
        case (.subject(let x), .subject(let y)): return x.scope == y.scope
        default: return false
        }
    }
}

/// `[element for x in iterable if condition]`, with x in frame slot `local`.
final class ComprehensionNode: Node, @unchecked Sendable {
    let element: Node
    let local: Int
    let iterable: Node
    let condition: Node?
    /// As for `ListNode`: the elements' type is not known statically.
    let checksKinds: Bool
    init(element: Node, local: Int, iterable: Node, condition: Node?, checksKinds: Bool = false, span: Span) {
        self.checksKinds = checksKinds
        self.element = element
        self.local = local
        self.iterable = iterable
        self.condition = condition
        super.init(span: span)
    }
    override func evaluate(_ c: Evaluation) throws(EvaluationError) -> Value {
        let items = try iterable.list(c, "the iterable of a comprehension")
        var out: [Value] = []
        out.reserveCapacity(items.count)
        let slot = c.base &+ local
        for item in items {
            try c.step()
            c.locals[slot] = item
            do throws(EvaluationError) {
                if let condition, !(try condition.bool(c, "the `if` condition of a comprehension")) { continue }
                out.append(try element.evaluate(c))
            } catch {
                throw c.naming(item, in: error, "a comprehension")
            }
        }
        try c.checkCollection(out.count, span)
        if checksKinds { try ListKinds.check(out, span, c) }
        return .list(out)
    }
}

/// `list where condition`, with each element in frame slot `local` so its
/// fields read as bare names.
final class FilterNode: Node, @unchecked Sendable {
    let list: Node
    let local: Int
    let condition: Node
    init(_ list: Node, local: Int, condition: Node, span: Span) {
        self.list = list
        self.local = local
        self.condition = condition
        super.init(span: span)
    }
    override func evaluate(_ c: Evaluation) throws(EvaluationError) -> Value {
        let items = try list.list(c, "the left side of `where`")
        var out: [Value] = []
        let slot = c.base &+ local
        for item in items {
            try c.step()
            c.locals[slot] = item
            do throws(EvaluationError) {
                if try condition.bool(c, "a `where` condition") { out.append(item) }
            } catch {
                throw c.naming(item, in: error, "`where`")
            }
        }
        try c.checkCollection(out.count, span)
        return .list(out)
    }
}

final class BuiltinCallNode: Node, @unchecked Sendable {
    let function: BuiltinFunction
    let arguments: [Node]
    /// `sum([])`: zero of the element type when it is known statically.
    let emptySum: Value
    init(_ function: BuiltinFunction, _ arguments: [Node], emptySum: Value, span: Span) {
        self.function = function
        self.arguments = arguments
        self.emptySum = emptySum
        super.init(span: span)
    }
    override func evaluate(_ c: Evaluation) throws(EvaluationError) -> Value {
        try c.step()
        var args: [Value] = []
        args.reserveCapacity(arguments.count)
        for a in arguments { args.append(try a.evaluate(c)) }
        return try c.callBuiltin(self, args)
    }
}

/// A user function: arguments evaluated in the caller's frame, the body in a
/// new frame whose first slots are the parameters.
final class UserCallNode: Node, @unchecked Sendable {
    let function: Int
    let arguments: [Node]
    init(_ function: Int, _ arguments: [Node], span: Span) {
        self.function = function
        self.arguments = arguments
        super.init(span: span)
    }
    override func evaluate(_ c: Evaluation) throws(EvaluationError) -> Value {
        try c.step()
        let f = c.program.functions[function]
        var args: [Value] = []
        args.reserveCapacity(arguments.count)
        for a in arguments { args.append(try a.evaluate(c)) }
        let savedBase = c.base
        c.base = c.locals.count
        c.locals.append(contentsOf: args)
        let extra = max(0, f.code.frameSize - args.count)
        if extra > 0 { c.locals.append(contentsOf: repeatElement(Value.none, count: extra)) }
        defer {
            c.locals.removeLast(args.count + extra)
            c.base = savedBase
        }
        return try f.code.node.evaluate(c)
    }
}

final class TableCallNode: Node, @unchecked Sendable {
    let table: Int
    let arguments: [Node]
    init(_ table: Int, _ arguments: [Node], span: Span) {
        self.table = table
        self.arguments = arguments
        super.init(span: span)
    }
    override func evaluate(_ c: Evaluation) throws(EvaluationError) -> Value {
        try c.step()
        var args: [Value] = []
        args.reserveCapacity(arguments.count)
        for (a, node) in zip(arguments, arguments) {
            let v = try a.evaluate(c)
            if v.isNone { throw c.noneError(node) }
            args.append(v)
        }
        return try c.lookup(table: table, args, span: span)
    }
}
