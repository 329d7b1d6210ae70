// Checking the definitions of named slots: inputs, lets, objectives and key
// results, incentives, pools, and the derived `score` / `objectives`.

extension Checker {
    func inferSlot(_ kind: ScopeKind, _ i: Int) -> StaticType {
        let slot = scope(kind).slots[i]
        let node = GraphNode.slot(kind, i)
        var result: StaticType?
        for def in slot.definitions {
            if let b = def.block { graph.add(node, .block(kind, b), at: def.span, sameSubject: true) }
            var env = Env(scope: kind, from: node)
            let t: StaticType
            switch def.item {
            case .input(let f, _):
                t = inputType(f.type)
                if let d = f.defaultValue {
                    env.constantOnly = true
                    let dt = check(d, &env)
                    if f.isOptional { error(d.span, "an optional input (`\(f.type.rawValue)?`) has no default: it is `none` when absent") }
                    if !dt.sameKind(as: t) || dt == .none { error(d.span, "the default of `\(f.name.name)` must be \(t), not \(dt)") }
                }
            case .value(let l):
                t = check(l.value, &env)
            case .objective(let o):
                checkObjective(kind, o)
                t = .objective(kind, o)
            case .incentive(let d):
                t = checkIncentive(d, &env)
            case .pool(let p):
                t = checkPool(p, &env)
            case .poolShare(let p):
                let pool = plan.pools[p]
                graph.add(node, .slot(pool.scope, pool.totalSlot), at: def.span)
                t = slotType(pool.scope, pool.totalSlot)
            case .derived:
                let model = scope(kind)
                for o in model.objectives { graph.add(node, .slot(kind, o.slot), at: o.decl.id.span, sameSubject: true) }
                t = slot.kind == .score ? .number : .list(.objective(kind, nil))
            }
            if let prev = result, !prev.sameKind(as: t) {
                error(def.span, "`\(slot.name)` is \(t) here but \(prev) in another block; a name has one type")
            }
            result = result.map { $0.joined(with: t) } ?? t
        }
        return result ?? .unknown
    }

    func inputType(_ t: InputType) -> StaticType {
        switch t {
        case .number, .percent: return .number
        case .money: return .money(plan.header?.currency)
        case .bool: return .bool
        case .string: return .string
        case .date: return .date
        }
    }

    /// Validates a field list against the labels a declaration accepts.
    func validateLabels(_ fields: [Field], allowed: [String], in what: String) {
        for f in fields where !allowed.contains(f.label.name) {
            error(f.label.span, "\(what) has no field `\(f.label.name)`" + Suggestions.hint(for: f.label.name, in: allowed)
                + " (fields: \(allowed.joined(separator: ", ")))")
        }
    }

    // MARK: Objectives

    func checkObjective(_ kind: ScopeKind, _ oi: Int) {
        let o = scope(kind).objectives[oi]
        var env = Env(scope: kind, from: .slot(kind, o.slot))
        env.objective = (kind, oi)
        if let w = o.decl.weight { expect(check(w, &env), .number, w.span, "an objective's weight") }
        if o.keyResults.isEmpty {
            error(o.decl.id.span, "objective `\(o.decl.id.name)` has no key results")
            return
        }
        for kr in o.keyResults { checkKeyResult(kr, objective: o.decl.id.name, &env) }
        checkWeights(o.keyResults.map { ($0.decl.id, $0.decl.weight) }, of: "the key results of objective `\(o.decl.id.name)`")
    }

    /// Weights in one list are written for all or for none; literal weights
    /// must sum to 100% and none may be negative (LANGUAGE.md §6).
    func checkWeights(_ items: [(Identifier, Expr?)], of what: String) {
        let written = items.filter { $0.1 != nil }
        guard !written.isEmpty else { return }
        if written.count != items.count, let missing = items.first(where: { $0.1 == nil }) {
            error(missing.0.span, "weights are written for some of \(what) but not for `\(missing.0.name)`: write them for all or for none")
            return
        }
        var sum = ExactDecimal.zero
        for (id, w) in items {
            guard let w, case .number(let v)? = constantValue(w) else { return }
            if v.isNegative { error(w.span, "the weight of `\(id.name)` is negative") }
            guard let s = try? sum.adding(v) else { return }
            sum = s
        }
        if sum != .one {
            let percent = (try? sum.multiplied(by: ExactDecimal(100)))?.description ?? sum.description
            error(written[0].1!.span, "the weights of \(what) sum to \(percent)%, not 100%")
        }
    }

    func checkKeyResult(_ kr: KeyResultInfo, objective: String, _ env: inout Env) {
        let name = "key result `\(objective).\(kr.decl.id.name)`"
        validateLabels(kr.decl.fields, allowed: ["actual", "baseline", "target", "cap", "floor", "done", "score"], in: name)
        if let w = kr.decl.weight { expect(check(w, &env), .number, w.span, "a key result's weight") }
        let f = kr.fields
        let progressFields = ["actual", "baseline", "target"]
        let present = progressFields.filter { f[$0] != nil }
        if let done = f["done"] {
            for label in present + (f["score"] != nil ? ["score"] : []) {
                error(f[label]!.label.span, "\(name) has `done`, so it is binary and takes no `\(label)`")
            }
            expect(check(done.value, &env), .bool, done.value.span, "`done`")
        } else if f["score"] == nil || !present.isEmpty {
            for label in progressFields where f[label] == nil {
                error(kr.decl.id.span, "\(name) needs `\(label)`" + (f["score"] != nil ? " (or none of actual, baseline, target)" : ""))
            }
        }
        var types: [StaticType] = []
        for label in present {
            let t = check(f[label]!.value, &env)
            switch t {
            case .number, .money, .unknown: break
            default: error(f[label]!.value.span, "`\(label)` must be a number or money, not \(t)")
            }
            if let first = types.first, !first.sameKind(as: t) {
                error(f[label]!.value.span, "`\(label)` is \(t) but `actual` is \(first): actual, baseline and target have one type")
            }
            types.append(t)
        }
        if f["score"] == nil, f["done"] == nil, let b = f["baseline"], let t = f["target"],
           let bv = constantValue(b.value), let tv = constantValue(t.value), (try? Operators.equal(bv, tv)) == true {
            error(t.value.span, "\(name) has baseline equal to target, so its progress is undefined")
        }
        for label in ["cap", "floor"] {
            if let c = f[label] { expect(check(c.value, &env), .number, c.value.span, "`\(label)`") }
        }
        warnIfFloorAboveCap(floor: f["floor"], cap: f["cap"], "the score of \(name)")
        if let s = f["score"] {
            let hasProgress = present.count == 3
            if hasProgress { _ = env.bind("progress", .number) }
            expect(check(s.value, &env), .number, s.value.span, "`score`")
            if hasProgress { env.unbind() }
        }
    }

    // MARK: Incentives and pools

    func checkIncentive(_ d: IncentiveDecl, _ env: inout Env) -> StaticType {
        let what = "incentive `\(d.name.name)`"
        validateLabels(d.fields, allowed: ["eligible", "amount", "cap", "floor", "round"], in: what)
        var fields: [String: Field] = [:]
        for f in d.fields {
            if let first = fields[f.label.name] {
                error(f.label.span, "`\(f.label.name)` is given twice", notes: [note(first.label.span, "first given here")])
            } else {
                fields[f.label.name] = f
            }
        }
        var amount = StaticType.money(nil)
        if let a = fields["amount"] {
            let t = check(a.value, &env)
            switch t {
            case .money, .unknown: amount = t == .unknown ? .money(nil) : t
            default: error(a.value.span, "the amount of \(what) must be money, not \(t)")
            }
        } else {
            error(d.name.span, "\(what) needs an `amount`")
        }
        if let e = fields["eligible"] { expect(check(e.value, &env), .bool, e.value.span, "`eligible`") }
        for label in ["cap", "floor"] {
            guard let c = fields[label] else { continue }
            let t = check(c.value, &env)
            if t.isKnown, !t.isMoney { error(c.value.span, "`\(label)` of \(what) must be money, not \(t)") }
            else if !t.sameKind(as: amount) { error(c.value.span, "`\(label)` is \(t) but the amount is \(amount)") }
        }
        warnIfFloorAboveCap(floor: fields["floor"], cap: fields["cap"], "\(what)")
        if let r = fields["round"] { _ = roundPlaces(r) }
        return amount.currency == nil ? .money(plan.header?.currency) : amount
    }

    /// A constant floor above a constant cap: the value is always the cap.
    func warnIfFloorAboveCap(floor: Field?, cap: Field?, _ what: String) {
        guard let floor, let cap, let hi = boundsInverted(floor.value, cap.value) else { return }
        warning(floor.value.span, "the floor of \(what) is above its cap, so it is always the cap (\(CanonicalText.render(hi)))")
    }

    /// `round: N` — a constant integer number of decimal places.
    func roundPlaces(_ f: Field) -> Int? {
        var env = Env(scope: nil, from: .query)
        env.constantOnly = true
        check(f.value, &env)
        guard case .number(let v)? = constantValue(f.value), let n = v.int64Value, abs(n) <= 100 else {
            error(f.value.span, "`round` must be a whole number of decimal places (for example `round: 2`)")
            return nil
        }
        return Int(n)
    }

    func checkPool(_ p: Int, _ env: inout Env) -> StaticType {
        let pool = plan.pools[p]
        let what = "pool `\(pool.decl.name.name)`"
        validateLabels(pool.decl.fields, allowed: ["total", "among", "share", "round"], in: what)
        var total = StaticType.money(plan.header?.currency)
        if let t = pool.fields["total"] {
            let tt = check(t.value, &env)
            if tt.isKnown, !tt.isMoney { error(t.value.span, "the total of \(what) must be money, not \(tt)") }
            if tt.currency != nil { total = tt }
        } else {
            error(pool.decl.name.span, "\(what) needs a `total`")
        }
        if let a = pool.fields["among"] {
            let t = check(a.value, &env)
            switch t {
            case .list(.subject(.person)), .list(.unknown), .unknown: break
            default: error(a.value.span, "`among` must be a list of people, not \(t)")
            }
        } else {
            error(pool.decl.name.span, "\(what) needs `among` (the people who share it)")
        }
        if let s = pool.fields["share"] {
            // `share:` is evaluated once per person, with the person's names bare.
            var shareEnv = Env(scope: pool.scope, from: env.from)
            let local = shareEnv.hiddenLocal()
            shareEnv.elements.append((local, .subject(.person)))
            expect(check(s.value, &shareEnv), .number, s.value.span, "`share`")
        } else {
            error(pool.decl.name.span, "\(what) needs `share` (each person's weight)")
        }
        if let r = pool.fields["round"] { _ = roundPlaces(r) }
        plan.pools[p].currency = total.currency
        return total
    }

    // MARK: Constraints

    func checkConstraint(_ i: Int) {
        let c = plan.constraints[i]
        graph.add(.violations, .constraint(i), at: c.decl.titleSpan)
        var env = Env(scope: c.scope, from: .constraint(i))
        if let cond = c.decl.condition { expect(check(cond, &env), .bool, cond.span, "a constraint's `where` condition") }
        // An enclosing block's condition is checked with the block; record the edge.
        for (b, block) in scope(c.scope).blocks.enumerated() where !block.isInputs {
            if let cond = block.condition, c.conditions.contains(where: { $0.id == cond.id }) {
                graph.add(.constraint(i), .block(c.scope, b), at: c.decl.titleSpan, sameSubject: true)
            }
        }
        expect(check(c.decl.rule, &env), .bool, c.decl.rule.span, "a constraint's rule")
    }

    /// Literal objective weights that apply to every subject of a scope
    /// together (all objectives under one condition) must sum to 100%;
    /// otherwise the sum is checked per subject when evaluating.
    func checkObjectiveWeights() {
        for kind in ScopeKind.allCases {
            let objectives = scope(kind).objectives
            guard let first = objectives.first,
                  objectives.allSatisfy({ sameCondition(kind, $0.block, first.block) }) else { continue }
            let what = kind == .company ? "the company objectives" : "the objectives of every \(kind.rawValue)"
            checkWeights(objectives.map { ($0.decl.id, $0.decl.weight) }, of: what)
        }
    }

    // MARK: Cycles

    func reportCycles() {
        for (nodes, span) in graph.cycles() {
            let names = nodes.map(nodeName)
            if nodes.contains(.violations) {
                error(span, "a constraint may not read `violations` (dependency cycle: \(names.joined(separator: " -> ")))")
            } else if nodes.allSatisfy({ if case .function = $0 { return true } else { return false } }) {
                error(span, "function \(names[0]) is recursive (\(names.joined(separator: " -> "))); functions may not call themselves, directly or indirectly")
            } else {
                error(span, "dependency cycle: \(names.joined(separator: " -> "))")
            }
        }
    }

    func nodeName(_ node: GraphNode) -> String {
        switch node {
        case .slot(let s, let i): return "`\(qualified(s, scope(s).slots[i].name))`"
        case .block(let s, let i):
            let line = diagnostics.file(scope(s).blocks[i].span).map { $0.line(of: Int(scope(s).blocks[i].span.start)) } ?? 0
            return "the `\(s.rawValue) where` condition on line \(line)"
        case .function(let f): return "`\(plan.functions[f].decl.name.name)()`"
        case .table(let t): return "table `\(plan.tables[t].decl.name.name)`"
        case .constraint(let c): return "constraint \"\(plan.constraints[c].decl.title)\""
        case .violations: return "`violations`"
        case .query: return "the query"
        }
    }
}
