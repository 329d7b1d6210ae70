// First pass: gather declarations into scopes and namespaces, reporting
// duplicates and misplaced declarations. Nothing is type-checked yet.

extension Checker {
    func collect(_ decls: [Declaration], scope kind: ScopeKind, block: Int?, header: inout Span?) {
        let topLevel = block == nil && kind == .company
        for decl in decls {
            switch decl {
            case .plan(let h):
                if let first = header {
                    error(h.span, "a plan has one `plan` header", notes: [note(first, "the first header is here")])
                } else {
                    header = h.span
                    readHeader(h)
                }
            case .import:
                break  // resolved by the loader before checking
            case .inputs(let b):
                var blockIndex: Int?
                if let cond = b.condition {
                    scope(b.scope).blocks.append(BlockInfo(condition: cond, span: b.span, isInputs: true))
                    blockIndex = scope(b.scope).blocks.count - 1
                }
                for f in b.fields { declareInput(f, scope: b.scope, block: blockIndex) }
            case .scope(let b):
                if !topLevel { error(b.span, "`for` blocks cannot be nested"); continue }
                var blockIndex: Int?
                if let cond = b.condition {
                    scope(b.scope).blocks.append(BlockInfo(condition: cond, span: b.span, isInputs: false))
                    blockIndex = scope(b.scope).blocks.count - 1
                } else {
                    // An unconditional block is recorded too, so that its
                    // declarations compare as "same condition" with each other.
                    blockIndex = nil
                }
                collect(b.declarations, scope: b.scope, block: blockIndex ?? -1, header: &header)
            case .let(let l):
                declare(l.name, kind: .value, scope: kind, block: block,
                        definition: SlotDefinition(block: normal(block), span: l.span, item: .value(l)), title: l.title)
            case .function(let f):
                if !topLevel { error(f.span, "functions are declared at the top level"); continue }
                declareCallable(f.name, span: f.span) {
                    plan.functions.append(FunctionInfo(decl: f))
                    plan.functionByName[f.name.name] = plan.functions.count - 1
                }
            case .table(let t):
                if !topLevel { error(t.span, "tables are declared at the top level"); continue }
                declareCallable(t.name, span: t.span) {
                    plan.tables.append(TableInfo(decl: t))
                    plan.tableByName[t.name.name] = plan.tables.count - 1
                }
            case .objective(let o):
                declareObjective(o, scope: kind, block: block)
            case .incentive(let i):
                declare(i.name, kind: .incentive, scope: kind, block: block,
                        definition: SlotDefinition(block: normal(block), span: i.span, item: .incentive(i)), title: i.title)
            case .pool(let p):
                declarePool(p, scope: kind, block: block)
            case .constraint(let c):
                declareConstraint(c, scope: kind, block: block)
            }
        }
    }

    /// Blocks are passed as -1 for an unconditional `for` block.
    func normal(_ block: Int?) -> Int? {
        guard let b = block, b >= 0 else { return nil }
        return b
    }

    func readHeader(_ h: PlanHeader) {
        var period: (Day, Day)?
        var currency: Currency?
        var seen: [String: Span] = [:]
        for f in h.fields {
            let label = f.label.name
            if let first = seen[label] {
                error(f.label.span, "`\(label)` is given twice", notes: [note(first, "first given here")])
                continue
            }
            seen[label] = f.label.span
            switch label {
            case "period":
                guard case .range(let lo, let hi, let inclusive) = f.value.kind,
                      case .date(let y1, let m1, let d1) = lo.kind, case .date(let y2, let m2, let d2) = hi.kind,
                      let start = Day(year: y1, month: m1, day: d1), let end = Day(year: y2, month: m2, day: d2) else {
                    error(f.value.span, "`period` must be two dates: `period: 2026-07-01 .. 2026-09-30`")
                    continue
                }
                let last = inclusive ? end : Day(ordinal: end.ordinal - 1)
                if last < start {
                    error(f.value.span, "the period ends (\(last)) before it starts (\(start))")
                } else {
                    period = (start, last)
                }
            case "currency":
                guard case .name(let id) = f.value.kind else {
                    error(f.value.span, "`currency` must be a currency code such as `CNY`")
                    continue
                }
                if let c = Currency(code: id.name) {
                    currency = c
                } else {
                    error(id.span, "`\(id.name)` is not an ISO 4217 currency code")
                }
            default:
                error(f.label.span, "unknown plan field `\(label)`" + Suggestions.hint(for: label, in: ["period", "currency"]))
            }
        }
        if seen["period"] == nil { error(h.span, "the plan header needs a `period: START .. END`") }
        if seen["currency"] == nil { error(h.span, "the plan header needs a `currency: CODE`") }
        if let (start, end) = period, let currency {
            plan.header = PlanInfo(title: h.title, start: start, end: end, currency: currency)
        }
    }

    /// Names a scope provides itself and that declarations may not take.
    func reservedNames(_ kind: ScopeKind) -> Set<String> {
        var names = Set(BuiltinField.of(kind).map(\.rawValue))
        if kind == .team { names.insert("team") }
        names.formUnion(GlobalName.allCases.map(\.rawValue))
        names.formUnion(["score", "objectives", "aligned", "progress"])
        return names
    }

    /// Adds a definition to a slot, reporting a duplicate when the existing
    /// definition applies to the same subjects (same or no condition).
    func declare(_ name: Identifier, kind: SlotKind, scope s: ScopeKind, block: Int?,
                 definition: SlotDefinition, title: String?) {
        if reservedNames(s).contains(name.name) {
            let what = ["score", "objectives"].contains(name.name) ? "is computed from the objectives" : "is a built-in name"
            error(name.span, "`\(name.name)` \(what) of a \(s.rawValue) and cannot be declared")
            return
        }
        let model = scope(s)
        if let existing = model.slot(named: name.name) {
            let slot = model.slots[existing]
            if slot.kind != kind {
                error(name.span, "`\(name.name)` is already declared as \(describe(slot.kind)) in the \(s.rawValue) scope",
                      notes: slot.definitions.first.map { [note($0.span, "declared here")] } ?? [])
                return
            }
            for d in slot.definitions where sameCondition(s, d.block, definition.block) {
                error(name.span, "`\(name.name)` is declared twice for the same \(s == .company ? "company" : s.rawValue + "s")",
                      notes: [note(d.span, "first declared here")])
                return
            }
            model.slots[existing].definitions.append(definition)
            return
        }
        let i = model.ensureSlot(name.name, kind: kind, title: title)
        model.slots[i].definitions.append(definition)
    }

    func describe(_ kind: SlotKind) -> String {
        switch kind {
        case .input: return "an input"
        case .value: return "a `let`"
        case .objective: return "an objective"
        case .incentive: return "an incentive"
        case .pool, .poolShare: return "a pool"
        case .score: return "the score"
        case .objectives: return "the objectives list"
        }
    }

    /// Two blocks select the same subjects when neither has a condition or
    /// both conditions are written the same.
    func sameCondition(_ s: ScopeKind, _ a: Int?, _ b: Int?) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case (let x?, let y?):
            if x == y { return true }
            let blocks = scope(s).blocks
            guard let c1 = blocks[x].condition, let c2 = blocks[y].condition else { return false }
            return c1.sameStructure(as: c2)
        default: return false
        }
    }

    func declareInput(_ f: InputField, scope s: ScopeKind, block: Int?) {
        if ["id", "name", "team", "manager", "parent"].contains(f.name.name) {
            error(f.name.span, "`\(f.name.name)` is part of every dataset's structure and cannot be declared as an input")
            return
        }
        let model = scope(s)
        if let existing = model.slot(named: f.name.name), model.slots[existing].kind == .input,
           let first = model.slots[existing].definitions.first, case .input(let other, _) = first.item,
           other.type != f.type || other.isOptional != f.isOptional {
            error(f.typeSpan, "`\(f.name.name)` is declared with two different types",
                  notes: [note(other.typeSpan, "declared as \(other.type.rawValue)\(other.isOptional ? "?" : "") here")])
            return
        }
        declare(f.name, kind: .input, scope: s, block: block,
                definition: SlotDefinition(block: block, span: f.span, item: .input(f, inputsBlock: block ?? -1)),
                title: f.title)
        if let i = model.slot(named: f.name.name) {
            model.slots[i].isPercent = f.type == .percent
            model.slots[i].isOptionalInput = f.isOptional || block != nil
        }
    }

    func declareCallable(_ name: Identifier, span: Span, add: () -> Void) {
        if BuiltinFunction(rawValue: name.name) != nil {
            error(name.span, "`\(name.name)` is a built-in function and cannot be redefined")
            return
        }
        if let t = plan.tableByName[name.name] {
            error(name.span, "`\(name.name)` is already declared", notes: [note(plan.tables[t].decl.span, "as a table here")])
            return
        }
        if let f = plan.functionByName[name.name] {
            error(name.span, "`\(name.name)` is already declared", notes: [note(plan.functions[f].decl.span, "as a function here")])
            return
        }
        add()
    }

    func declareObjective(_ o: ObjectiveDecl, scope s: ScopeKind, block: Int?) {
        let model = scope(s)
        let objectiveIndex = model.objectives.count
        let before = model.slot(named: o.id.name).map { model.slots[$0].definitions.count } ?? 0
        declare(o.id, kind: .objective, scope: s, block: block,
                definition: SlotDefinition(block: normal(block), span: o.span, item: .objective(objectiveIndex)), title: o.title)
        guard let slot = model.slot(named: o.id.name), model.slots[slot].definitions.count > before else { return }
        var krs: [KeyResultInfo] = []
        var seen: [String: Span] = [:]
        for kr in o.keyResults {
            if let first = seen[kr.id.name] {
                error(kr.id.span, "key result `\(kr.id.name)` is declared twice in objective `\(o.id.name)`",
                      notes: [note(first, "first declared here")])
                continue
            }
            seen[kr.id.name] = kr.id.span
            var fields: [String: Field] = [:]
            for f in kr.fields {
                if let first = fields[f.label.name] {
                    error(f.label.span, "`\(f.label.name)` is given twice", notes: [note(first.label.span, "first given here")])
                } else {
                    fields[f.label.name] = f
                }
            }
            krs.append(KeyResultInfo(decl: kr, fields: fields))
        }
        model.objectives.append(ObjectiveInfo(decl: o, scope: s, block: normal(block), slot: slot, keyResults: krs))
        if model.objectiveByName[o.id.name] == nil { model.objectiveByName[o.id.name] = objectiveIndex }
    }

    func declarePool(_ p: PoolDecl, scope s: ScopeKind, block: Int?) {
        if s == .person {
            error(p.name.span, "a pool cannot be declared in a `for person` block: each person's field `\(p.name.name)` holds their part of the pool, so a person cannot also hold a pool total of that name; declare it for the team or the company")
            return
        }
        var fields: [String: Field] = [:]
        for f in p.fields {
            if let first = fields[f.label.name] {
                error(f.label.span, "`\(f.label.name)` is given twice", notes: [note(first.label.span, "first given here")])
            } else {
                fields[f.label.name] = f
            }
        }
        let index = plan.pools.count
        let model = scope(s)
        let before = model.slot(named: p.name.name).map { model.slots[$0].definitions.count } ?? 0
        declare(p.name, kind: .pool, scope: s, block: block,
                definition: SlotDefinition(block: normal(block), span: p.span, item: .pool(index)), title: p.title)
        guard let total = model.slot(named: p.name.name), model.slots[total].definitions.count > before else { return }
        let people = scope(.person)
        if let existing = people.slot(named: p.name.name), people.slots[existing].kind != .poolShare {
            error(p.name.span, "pool `\(p.name.name)` gives every person a field of that name, which is already declared",
                  notes: people.slots[existing].definitions.first.map { [note($0.span, "declared here")] } ?? [])
            return
        }
        if let existing = people.slot(named: p.name.name), people.slots[existing].kind == .poolShare {
            error(p.name.span, "pool `\(p.name.name)` is declared twice",
                  notes: people.slots[existing].definitions.first.map { [note($0.span, "first declared here")] } ?? [])
            return
        }
        let share = people.ensureSlot(p.name.name, kind: .poolShare, title: p.title)
        people.slots[share].definitions.append(SlotDefinition(block: nil, span: p.span, item: .poolShare(index)))
        plan.pools.append(PoolInfo(decl: p, scope: s, block: normal(block), fields: fields, totalSlot: total, shareSlot: share))
    }

    func declareConstraint(_ c: ConstraintDecl, scope s: ScopeKind, block: Int?) {
        var conditions: [Expr] = []
        let target = c.scope ?? s
        if let b = normal(block) {
            if target != s {
                error(c.span, "a constraint inside a `for \(s.rawValue)` block applies to \(s.rawValue)s; move it out to write `for \(target.rawValue)`")
                return
            }
            if let cond = scope(s).blocks[b].condition { conditions.append(cond) }
        }
        if let cond = c.condition { conditions.append(cond) }
        plan.constraints.append(ConstraintInfo(decl: c, scope: target, conditions: conditions))
    }

    /// `score` and `objectives` for every scope that has objectives.
    func addDerivedSlots() {
        for kind in ScopeKind.allCases {
            let model = scope(kind)
            guard !model.objectives.isEmpty else { continue }
            let score = model.ensureSlot("score", kind: .score, title: nil)
            model.slots[score].definitions = [SlotDefinition(block: nil, span: model.objectives[0].decl.span, item: .derived)]
            model.scoreSlot = score
            let list = model.ensureSlot("objectives", kind: .objectives, title: nil)
            model.slots[list].definitions = [SlotDefinition(block: nil, span: model.objectives[0].decl.span, item: .derived)]
            model.objectivesSlot = list
        }
    }

    /// `aligns to company.X | team.X | parent.X`: the target must exist in the
    /// wider scope; each target learns its children for `aligned`.
    func resolveAlignments() {
        for kind in ScopeKind.allCases {
            let model = scope(kind)
            for (i, o) in model.objectives.enumerated() {
                guard let target = o.decl.alignsTo else { continue }
                let via = target.scope.name
                let targetScope: ScopeKind?
                switch (via, kind) {
                case ("company", .team), ("company", .person): targetScope = .company
                case ("team", .person): targetScope = .team
                case ("parent", .team): targetScope = .team
                default: targetScope = nil
                }
                guard let ts = targetScope else {
                    let allowed: String
                    switch kind {
                    case .company: allowed = "a company objective aligns to nothing wider"
                    case .team: allowed = "a team objective aligns to `company.X` or `parent.X`"
                    case .person: allowed = "a person's objective aligns to `company.X` or `team.X`"
                    }
                    error(target.scope.span, "cannot align to `\(via).\(target.objective.name)`: \(allowed)")
                    continue
                }
                let tm = scope(ts)
                guard let ti = tm.objectiveByName[target.objective.name] else {
                    let candidates = tm.objectives.map(\.decl.id.name)
                    error(target.objective.span,
                          "objective `\(via).\(target.objective.name)` does not exist" + Suggestions.hint(for: target.objective.name, in: candidates))
                    continue
                }
                model.objectives[i].alignedTo = (ts, ti, via)
                tm.objectives[ti].children.append((kind, i))
            }
        }
    }
}
