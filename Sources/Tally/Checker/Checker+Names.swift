// Name resolution (LANGUAGE.md §4 "Name resolution"), innermost first:
// parameters and comprehension variables; element fields inside `where` and
// `share:`; the current subject's names; company-scope names; globals.

extension Checker {
    func checkName(_ id: Identifier, _ e: Expr, _ env: inout Env) -> StaticType {
        if env.constantOnly {
            error(id.span, "must be a constant: `\(id.name)` is a name, and only literals and arithmetic on them are allowed here")
            return .unknown
        }
        guard let (r, t) = lookup(id.name, id.span, &env) else {
            // Past the error limit the message is dropped: skip the search.
            guard errorCount < Checker.errorLimit else { error(id.span, ""); return .unknown }
            var hint = Suggestions.closest(to: id.name, in: visibleNames(env), budget: &suggestionBudget)
                .map { "; did you mean `\($0)`?" } ?? ""
            if hint.isEmpty, env.scope != .person, scope(.person).slot(named: id.name) != nil {
                hint = "; `\(id.name)` is a value of each person: read it as people[\"ID\"].\(id.name), or sum(p.\(id.name) for p in people)"
            } else if hint.isEmpty, env.scope != .team, scope(.team).slot(named: id.name) != nil {
                hint = "; `\(id.name)` is a value of each team: read it as teams[\"ID\"].\(id.name)"
            }
            error(id.span, "unknown name `\(id.name)`" + hint)
            return .unknown
        }
        if env.inputCondition, !allowedInInputCondition(r) {
            error(id.span, "an `inputs … where` condition may read only dataset structure (`id`, `team`, `manager`, `name`) and unconditionally declared inputs; `\(id.name)` is neither")
        }
        resolve(e.id, r)
        return t
    }

    func allowedInInputCondition(_ r: Resolution) -> Bool {
        switch r {
        case .local, .builtin, .elementBuiltin, .memberBuiltin: return true
        case .slot(let s, let i), .elementSlot(_, let s, let i), .memberSlot(let s, let i):
            return isUnconditionalInput(s, i)
        case .companySlot(let i): return isUnconditionalInput(.company, i)
        case .global(let g): return g == .company || g == .period
        default: return false
        }
    }

    func isUnconditionalInput(_ s: ScopeKind, _ i: Int) -> Bool {
        let slot = scope(s).slots[i]
        return slot.kind == .input && slot.definitions.allSatisfy { $0.block == nil }
    }

    /// Resolves a bare name, recording the dependency edge it implies.
    func lookup(_ name: String, _ span: Span, _ env: inout Env) -> (Resolution, StaticType)? {
        // 1. parameters, comprehension variables, `progress`.
        if let l = env.locals.last(where: { $0.name == name }) {
            return (.local(l.index), l.type)
        }
        // 2. element fields inside `where` and `share:`.
        for element in env.elements.reversed() {
            if let found = elementField(name, element.local, element.type, span, &env) {
                return found
            }
        }
        return outerLookup(name, span, &env)
    }

    /// Levels 3–5: the current subject, the company, globals.
    func outerLookup(_ name: String, _ span: Span, _ env: inout Env) -> (Resolution, StaticType)? {
        if let s = env.scope {
            if name == "aligned", let o = env.objective {
                addAlignedEdges(o.scope, o.index, span, &env)
                return (.aligned(o.scope, objective: o.index), .list(.objective(childScope(o.scope, o.index), nil)))
            }
            if let b = BuiltinField(rawValue: name), BuiltinField.of(s).contains(b) || (s == .team && b == .team) {
                return (.builtin(b), b == .team && s == .team ? .subject(.team) : b.type(in: s))
            }
            if let i = scope(s).slot(named: name) {
                graph.add(env.from, .slot(s, i), at: span, sameSubject: true)
                return (.slot(s, i), slotType(s, i))
            }
        }
        if env.scope != .company, let i = scope(.company).slot(named: name) {
            graph.add(env.from, .slot(.company, i), at: span)
            return (.companySlot(i), slotType(.company, i))
        }
        if let g = GlobalName(rawValue: name) {
            if g == .violations { graph.add(env.from, .violations, at: span) }
            return (.global(g), g.type)
        }
        return nil
    }

    /// The scope of objectives aligned to objective `i` of `s` (for typing `aligned`).
    func childScope(_ s: ScopeKind, _ i: Int) -> ScopeKind {
        let children = scope(s).objectives[i].children
        if let first = children.first, children.allSatisfy({ $0.scope == first.scope }) { return first.scope }
        return s == .company ? .team : .person
    }

    func addAlignedEdges(_ s: ScopeKind, _ i: Int, _ span: Span, _ env: inout Env) {
        for child in scope(s).objectives[i].children {
            let slot = scope(child.scope).objectives[child.objective].slot
            graph.add(env.from, .slot(child.scope, slot), at: span)
        }
    }

    func elementField(_ name: String, _ local: Int, _ type: StaticType, _ span: Span, _ env: inout Env) -> (Resolution, StaticType)? {
        switch type {
        case .subject(let s):
            if let b = BuiltinField(rawValue: name), BuiltinField.of(s).contains(b) {
                return (.elementBuiltin(local: local, b), b.type(in: s))
            }
            if let i = scope(s).slot(named: name) {
                graph.add(env.from, .slot(s, i), at: span)
                return (.elementSlot(local: local, s, i), slotType(s, i))
            }
            return nil
        case .unknown:
            let outer = outerLookup(name, span, &env)
            return (.elementDynamic(local: local, name, outer: outer?.0), .unknown)
        default:
            if let t = recordFieldType(type, name) {
                return (.elementRecordField(local: local, name), t)
            }
            return nil
        }
    }

    /// Every name visible from `env`, for suggestions.
    func visibleNames(_ env: Env) -> [String] {
        var names = env.locals.map(\.name)
        for element in env.elements {
            if case .subject(let s) = element.type {
                names += scope(s).slots.map(\.name) + BuiltinField.of(s).map(\.rawValue)
            }
        }
        if let s = env.scope {
            names += scope(s).slots.map(\.name) + BuiltinField.of(s).map(\.rawValue)
        }
        names += scope(.company).slots.map(\.name) + GlobalName.allCases.map(\.rawValue)
        return names
    }

    // MARK: Members

    /// Field names and types of records (objective, key result, period, violation).
    func recordFieldType(_ type: StaticType, _ name: String) -> StaticType? {
        switch type {
        case .objective(let s, let index):
            switch name {
            case "id", "title": return .string
            case "weight", "score": return .number
            case "key_results": return .list(.keyResult)
            case "aligned_to": return .string
            case "aligned": return .list(.objective(index.map { childScope(s, $0) } ?? (s == .company ? .team : .person), nil))
            default:
                if let i = index, scope(s).objectives[i].keyResults.contains(where: { $0.decl.id.name == name }) {
                    return .keyResult
                }
                return nil
            }
        case .keyResult:
            switch name {
            case "id", "title": return .string
            case "weight", "score", "progress": return .number
            case "actual", "baseline", "target": return .unknown
            default: return nil
            }
        case .period:
            switch name {
            case "start", "end": return .date
            case "days": return .number
            default: return nil
            }
        case .violation:
            return ["constraint", "subject", "severity", "message"].contains(name) ? .string : nil
        default:
            return nil
        }
    }

    func recordFieldNames(_ type: StaticType) -> [String] {
        switch type {
        case .objective(let s, let index):
            var names = ["id", "title", "weight", "score", "key_results", "aligned_to", "aligned"]
            if let i = index { names += scope(s).objectives[i].keyResults.map(\.decl.id.name) }
            return names
        case .keyResult: return ["id", "title", "weight", "score", "progress", "actual", "baseline", "target"]
        case .period: return ["start", "end", "days"]
        case .violation: return ["constraint", "subject", "severity", "message"]
        default: return []
        }
    }

    func checkMember(_ base: StaticType, _ member: Identifier, _ e: Expr, _ env: inout Env) -> StaticType {
        let name = member.name
        switch base {
        case .unknown:
            resolve(e.id, .memberDynamic(name))
            return .unknown
        case .subject(let s):
            if let b = BuiltinField(rawValue: name), BuiltinField.of(s).contains(b) {
                resolve(e.id, .memberBuiltin(b))
                return b.type(in: s)
            }
            if let i = scope(s).slot(named: name) {
                if env.inputCondition, !isUnconditionalInput(s, i) {
                    error(member.span, "an `inputs … where` condition may read only dataset structure and unconditionally declared inputs; `\(name)` is neither")
                }
                graph.add(env.from, .slot(s, i), at: member.span)
                resolve(e.id, .memberSlot(s, i))
                return slotType(s, i)
            }
            let candidates = scope(s).slots.map(\.name) + BuiltinField.of(s).map(\.rawValue)
            error(member.span, "\(s == .company ? "the company" : "a " + s.rawValue) has no field `\(name)`" + Suggestions.hint(for: name, in: candidates))
            return .unknown
        case .objective(let s, let index):
            if name == "aligned" {
                if let i = index { addAlignedEdges(s, i, member.span, &env) }
            }
            if let t = recordFieldType(base, name) {
                resolve(e.id, .memberField(name))
                return t
            }
            if index == nil {
                resolve(e.id, .memberDynamic(name))
                return .unknown
            }
            error(member.span, "objective has no key result or field `\(name)`" + Suggestions.hint(for: name, in: recordFieldNames(base)))
            return .unknown
        case .keyResult, .period, .violation:
            if let t = recordFieldType(base, name) {
                resolve(e.id, .memberField(name))
                return t
            }
            error(member.span, "\(base) has no field `\(name)`" + Suggestions.hint(for: name, in: recordFieldNames(base)))
            return .unknown
        case .list:
            error(member.span, "a list has no field `\(name)`; to read it from every element write [x.\(name) for x in ...]")
            return .unknown
        default:
            error(member.span, "\(base) has no field `\(name)`")
            return .unknown
        }
    }
}
