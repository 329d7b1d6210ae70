// Expressions to nodes, using the checker's side tables.

extension Compiler {
    /// Whether the checker could not prove a list's elements of one type
    /// (they come from a function's parameters): then it is checked as built.
    func elementTypeUnproven(_ e: Expr) -> Bool {
        let id = Int(e.id)
        guard id < plan.types.count else { return true }
        switch plan.types[id] {
        case .list(let element):
            if case .money(nil) = element { return true }
            return element == .unknown
        default:
            return true
        }
    }

    mutating func compile(_ e: Expr) -> Node {
        let span = e.span
        switch e.kind {
        case .number, .money, .string, .date, .bool, .none:
            return ConstantNode(plan.literals[e.id] ?? .none, span: span)
        case .error, .range:
            return ConstantNode(.none, span: span)
        case .name:
            return compileResolution(plan.resolutions[Int(e.id)], span: span)
        case .list(let items):
            if let v = constant(e) { return ConstantNode(v, span: span) }
            return ListNode(items.map { compile($0) }, checksKinds: elementTypeUnproven(e), span: span)
        case .comprehension(let element, _, let iterable, let condition):
            let local = localIndex(e)
            use(local)
            return ComprehensionNode(element: compile(element), local: local, iterable: compile(iterable),
                                     condition: condition.map { compile($0) }, checksKinds: elementTypeUnproven(e), span: span)
        case .unary(let op, let x):
            if let v = constant(e) { return ConstantNode(v, span: span) }
            return op == .negate ? NegateNode(compile(x), span: span) : NotNode(compile(x), span: span)
        case .binary(let op, let a, let b):
            return compileBinary(op, a, b, e)
        case .conditional(let c, let a, let b):
            return ConditionalNode(compile(c), compile(a), compile(b), span: span)
        case .filter(let list, let cond):
            let local = localIndex(e)
            use(local)
            return FilterNode(compile(list), local: local, condition: compile(cond), span: span)
        case .call(_, let args):
            let nodes = args.map { compile($0) }
            switch plan.resolutions[Int(e.id)] {
            case .table(let t)?: return TableCallNode(t, nodes, span: span)
            case .userFunction(let f)?: return UserCallNode(f, nodes, span: span)
            case .builtinFunction(let b)?:
                var zero = Value.number(.zero)
                if b == .sum, case .list(.money(let c)) = plan.types[Int(args[0].id)] {
                    zero = .money(Money(.zero, c ?? header.currency))
                }
                return BuiltinCallNode(b, nodes, emptySum: zero, span: span)
            default:
                return ConstantNode(.none, span: span)
            }
        case .member(let base, let member):
            let b = compile(base)
            switch plan.resolutions[Int(e.id)] {
            case .memberSlot(_, let slot)?: return MemberSlotNode(b, slot: slot, span: span)
            case .memberBuiltin(let f)?: return MemberBuiltinNode(b, field: f, span: span)
            default: return MemberNode(b, name: member.name, span: span)
            }
        case .index(let base, let idx):
            return IndexNode(compile(base), compile(idx), span: span)
        }
    }

    private func localIndex(_ e: Expr) -> Int {
        if case .local(let i)? = plan.resolutions[Int(e.id)] { return i }
        return 0
    }

    mutating func compileResolution(_ r: Resolution?, span: Span) -> Node {
        switch r {
        case .local(let i)?:
            use(i)
            return LocalNode(i, span: span)
        case .slot(_, let i)?: return SlotNode(i, span: span)
        case .companySlot(let i)?: return CompanySlotNode(i, span: span)
        case .builtin(let f)?: return BuiltinNode(f, span: span)
        case .global(let g)?: return GlobalNode(g, span: span)
        case .aligned(let s, let o)?: return AlignedNode(s, o, span: span)
        case .elementSlot(let local, _, let slot)?:
            use(local)
            return ElementSlotNode(local: local, slot: slot, span: span)
        case .elementBuiltin(let local, let f)?:
            use(local)
            return ElementBuiltinNode(local: local, field: f, span: span)
        case .elementRecordField(let local, let name)?:
            use(local)
            return MemberNode(LocalNode(local, span: span), name: name, span: span)
        case .elementDynamic(let local, let name, let outer)?:
            use(local)
            return ElementDynamicNode(local: local, name: name, outer: outer.map { compileResolution($0, span: span) }, span: span)
        default:
            return ConstantNode(.none, span: span)
        }
    }

    mutating func compileBinary(_ op: BinaryOperator, _ a: Expr, _ b: Expr, _ e: Expr) -> Node {
        let span = e.span
        switch op {
        case .and: return AndNode(compile(a), compile(b), span: span)
        case .or: return OrNode(compile(a), compile(b), span: span)
        case .coalesce: return CoalesceNode(compile(a), compile(b), span: span)
        case .in:
            if case .range(let lo, let hi, let inclusive) = b.kind {
                return InRangeNode(compile(a), compile(lo), compile(hi), inclusive: inclusive, span: span)
            }
            return InListNode(compile(a), compile(b), span: span)
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual:
            return CompareNode(op, compile(a), compile(b), span: span)
        case .add, .subtract, .multiply, .divide, .power:
            if let v = constant(e) { return ConstantNode(v, span: span) }
            return ArithmeticNode(op, compile(a), compile(b), span: span)
        }
    }
}
