// Lists, comprehensions and `where`.

final class ListNode: Node, @unchecked Sendable {
    let items: [Node]
    init(_ items: [Node], span: Span) {
        self.items = items
        super.init(span: span)
    }
    override func evaluate(_ c: Evaluation) throws(EvaluationError) -> Value {
        try c.checkCollection(items.count, span)
        var out: [Value] = []
        out.reserveCapacity(items.count)
        for item in items { out.append(try item.evaluate(c)) }
        return .list(out)
    }
}

/// `[element for x in iterable if condition]`, with x in frame slot `local`.
final class ComprehensionNode: Node, @unchecked Sendable {
    let element: Node
    let local: Int
    let iterable: Node
    let condition: Node?
    init(element: Node, local: Int, iterable: Node, condition: Node?, span: Span) {
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
