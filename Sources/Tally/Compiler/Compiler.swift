/// Turns a checked plan into executable code: every name becomes a slot
/// index, a frame index or a built-in; constant subexpressions are folded.
struct Compiler {
    let plan: CheckedPlan
    let header: PlanInfo
    /// Highest frame slot used by the expression being compiled, plus one.
    var frameSize = 0

    init(plan: CheckedPlan, header: PlanInfo) {
        self.plan = plan
        self.header = header
    }

    /// Compiles the whole plan. The checker must have reported no errors.
    static func compile(_ plan: CheckedPlan) -> Program? {
        guard let header = plan.header else { return nil }
        var c = Compiler(plan: plan, header: header)
        let scopes = ScopeKind.allCases.map { c.compileScope($0) }
        let functions = plan.functions.map { f in
            FunctionCode(name: f.decl.name.name, arity: f.decl.parameters.count,
                         code: c.root(f.decl.body, minimumFrame: f.decl.parameters.count))
        }
        let tables = plan.tables.indices.map { c.compileTable($0) }
        let pools = plan.pools.map { c.compilePool($0) }
        let constraints = plan.constraints.map { c.compileConstraint($0) }
        return Program(header: header, scopes: scopes, functions: functions, tables: tables,
                       pools: pools, constraints: constraints, files: plan.files, readers: plan.readers)
    }

    /// Compiles an expression checked with `Env(scope:from:)` (a query).
    static func compileQuery(_ e: Expr, plan: CheckedPlan) -> Code? {
        guard let header = plan.header else { return nil }
        var c = Compiler(plan: plan, header: header)
        return c.root(e)
    }

    mutating func root(_ e: Expr, minimumFrame: Int = 0) -> Code {
        frameSize = minimumFrame
        let node = compile(e)
        return Code(node: node, frameSize: frameSize)
    }

    mutating func use(_ local: Int) {
        frameSize = max(frameSize, local + 1)
    }

    // MARK: Scopes

    mutating func compileScope(_ kind: ScopeKind) -> ScopeCode {
        let model = plan.scope(kind)
        let blocks = model.blocks.map { b in b.condition.map { root($0) } }
        var slots: [SlotCode] = []
        var descriptions: [SlotDescription] = []
        var inputs: [InputCode] = []
        for (i, slot) in model.slots.enumerated() {
            let kindName: SlotDescription.Kind
            switch slot.kind {
            case .input:
                kindName = .input
                slots.append(.input)
                for d in slot.definitions {
                    guard case .input(let f, let b) = d.item else { continue }
                    let def = f.defaultValue.flatMap { constant($0) }
                    inputs.append(InputCode(slot: i, name: f.name.name, type: f.type, isOptional: f.isOptional,
                                            defaultValue: def, block: b >= 0 ? b : nil, span: f.span))
                }
            case .value:
                kindName = .value
                slots.append(.value(slot.definitions.compactMap { d in
                    guard case .value(let l) = d.item else { return nil }
                    return Definition(block: d.block, code: root(l.value), span: d.span)
                }))
            case .objective:
                kindName = .objective
                slots.append(.objective(slot.definitions.compactMap { d in
                    guard case .objective(let o) = d.item else { return nil }
                    return ObjectiveAlternative(block: d.block, objective: o, span: d.span)
                }))
            case .incentive:
                kindName = .incentive
                slots.append(.incentive(slot.definitions.compactMap { d in
                    guard case .incentive(let decl) = d.item else { return nil }
                    return compileIncentive(decl, block: d.block, type: slot.type)
                }))
            case .pool:
                kindName = .pool
                guard case .pool(let p)? = slot.definitions.first?.item else { slots.append(.value([])); break }
                slots.append(.pool(p))
            case .poolShare:
                kindName = .poolShare
                guard case .poolShare(let p)? = slot.definitions.first?.item else { slots.append(.value([])); break }
                slots.append(.poolShare(p))
            case .score:
                kindName = .score
                slots.append(.score)
            case .objectives:
                kindName = .objectives
                slots.append(.objectives)
            }
            descriptions.append(SlotDescription(name: slot.name, kind: kindName, title: slot.title, isPercent: slot.isPercent))
        }
        let objectives = model.objectives.map { compileObjective($0) }
        return ScopeCode(kind: kind, slots: slots, descriptions: descriptions, blocks: blocks, objectives: objectives,
                         inputs: inputs, scoreSlot: model.scoreSlot, objectivesSlot: model.objectivesSlot,
                         spans: model.slots.map { $0.definitions.first?.span ?? .synthetic })
    }

    mutating func compileObjective(_ o: ObjectiveInfo) -> ObjectiveCode {
        let krs = o.keyResults.map { kr -> KeyResultCode in
            let f = kr.fields
            func code(_ label: String) -> Code? { f[label].map { root($0.value) } }
            let hasProgress = f["actual"] != nil && f["baseline"] != nil && f["target"] != nil
            return KeyResultCode(
                id: kr.decl.id.name, title: kr.decl.title, weight: kr.decl.weight.map { root($0) },
                actual: code("actual"), baseline: code("baseline"), target: code("target"),
                cap: code("cap"), floor: code("floor"), done: code("done"),
                score: f["score"].map { root($0.value, minimumFrame: hasProgress ? 1 : 0) }, span: kr.decl.span)
        }
        let aligned = o.alignedTo.map { "\($0.via).\(o.decl.alignsTo!.objective.name)" }
        return ObjectiveCode(id: o.decl.id.name, title: o.decl.title, block: o.block, slot: o.slot,
                             weight: o.decl.weight.map { root($0) }, keyResults: krs, alignedTo: aligned,
                             children: o.children, span: o.decl.span)
    }

    mutating func compileIncentive(_ d: IncentiveDecl, block: Int?, type: StaticType) -> IncentiveCode? {
        var fields: [String: Field] = [:]
        for f in d.fields where fields[f.label.name] == nil { fields[f.label.name] = f }
        guard let amount = fields["amount"] else { return nil }
        return IncentiveCode(block: block, eligible: fields["eligible"].map { root($0.value) }, amount: root(amount.value),
                             cap: fields["cap"].map { root($0.value) }, floor: fields["floor"].map { root($0.value) },
                             places: fields["round"].flatMap { integer($0.value) }, currency: type.currency, span: d.span)
    }

    mutating func compilePool(_ p: PoolInfo) -> PoolCode {
        let f = p.fields
        func code(_ label: String, minimumFrame: Int = 0) -> Code {
            f[label].map { root($0.value, minimumFrame: minimumFrame) } ?? Code(node: ConstantNode(.none, span: p.decl.span), frameSize: minimumFrame)
        }
        return PoolCode(name: p.decl.name.name, scope: p.scope, block: p.block, total: code("total"), among: code("among"),
                        share: code("share", minimumFrame: 1), places: f["round"].flatMap { integer($0.value) },
                        currency: p.currency, totalSlot: p.totalSlot, shareSlot: p.shareSlot, span: p.decl.span)
    }

    mutating func compileConstraint(_ c: ConstraintInfo) -> ConstraintCode {
        var sides: [(String, Code)] = []
        if case .binary(let op, let a, let b) = c.decl.rule.kind, op.isComparison {
            for side in [a, b] where constant(side) == nil {
                sides.append((text(side.span), root(side)))
            }
        }
        return ConstraintCode(title: c.decl.title, scope: c.scope, severity: c.decl.severity,
                              conditions: c.conditions.map { root($0) }, rule: root(c.decl.rule),
                              sides: sides, ruleText: text(c.decl.rule.span), span: c.decl.span)
    }

    mutating func compileTable(_ t: Int) -> TableCode {
        let decl = plan.tables[t].decl
        frameSize = decl.parameters.count
        var keys: [Value] = [], results: [Node] = [], tests: [[TableTest]?] = []
        var below: Node?, above: Node?
        for row in decl.rows {
            switch row.key {
            case .value(let k):
                keys.append(constant(k) ?? .none)
                results.append(compile(row.result))
            case .below: below = compile(row.result)
            case .above: above = compile(row.result)
            case .tests(let ts):
                tests.append(ts.map { test in
                    switch test {
                    case .any: return .any
                    case .compare(let op, let k): return .compare(op, constant(k) ?? .none)
                    case .range(let lo, let hi, let inclusive): return .range(constant(lo) ?? .none, constant(hi) ?? .none, inclusive: inclusive)
                    case .member(let list): return .member(constant(list).flatMap { if case .list(let l) = $0 { return l } else { return nil } } ?? [])
                    case .equal(let v): return .equal(constant(v) ?? .none)
                    }
                })
                results.append(compile(row.result))
            case .else:
                tests.append(nil)
                results.append(compile(row.result))
            }
        }
        return TableCode(name: decl.name.name, kind: decl.kind, arity: decl.parameters.count, frameSize: frameSize,
                         keys: keys, results: results, below: below, above: above, tests: tests, span: decl.span)
    }

    // MARK: Helpers

    func text(_ span: Span) -> String {
        guard !span.isSynthetic, Int(span.file) < plan.files.count else { return "" }
        return plan.files[Int(span.file)].text(of: span)
    }

    func constant(_ e: Expr) -> Value? { plan.constant(e) }

    func integer(_ e: Expr) -> Int? {
        guard case .number(let n)? = constant(e), let v = n.int64Value else { return nil }
        return Int(v)
    }
}
