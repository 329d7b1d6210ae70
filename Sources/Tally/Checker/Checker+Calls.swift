// Calls: tables, user functions and built-in functions share one namespace,
// separate from values, so `let rating = rating(score)` is fine.

extension Checker {
    func checkCall(_ callee: Identifier, _ args: [Expr], _ e: Expr, _ env: inout Env) -> StaticType {
        let name = callee.name
        if let t = plan.tableByName[name] {
            if env.constantOnly { error(e.span, "must be a constant: a table call is not allowed here") }
            let types = args.map { check($0, &env) }
            resolve(e.id, .table(t))
            graph.add(env.from, .table(t), at: callee.span)
            let table = plan.tables[t]
            if args.count != table.decl.parameters.count {
                error(e.span, "table `\(name)` takes \(table.decl.parameters.count) argument\(table.decl.parameters.count == 1 ? "" : "s"), not \(args.count)")
            } else if table.decl.kind != .first, let first = types.first, !first.sameKind(as: tableKeyType(t)) {
                error(args[0].span, "table `\(name)` looks up \(tableKeyType(t)) keys, not \(first)")
            } else if table.decl.kind == .first {
                checkTable(t)
                for (i, (arg, type)) in zip(args, types).enumerated() where i < plan.tables[t].columnTypes.count {
                    let column = plan.tables[t].columnTypes[i]
                    if !type.sameKind(as: column) {
                        let which = args.count > 1 ? " (input `\(table.decl.parameters[i].name)`)" : ""
                        error(arg.span, "table `\(name)` looks up \(column) keys, not \(type)\(which)")
                    }
                }
            }
            return tableResultType(t, argumentTypes: types)
        }
        if let f = plan.functionByName[name] {
            if env.constantOnly { error(e.span, "must be a constant: a function call is not allowed here") }
            let types = args.map { check($0, &env) }
            resolve(e.id, .userFunction(f))
            graph.add(env.from, .function(f), at: callee.span)
            let decl = plan.functions[f].decl
            if args.count != decl.parameters.count {
                error(e.span, "function `\(name)` takes \(decl.parameters.count) argument\(decl.parameters.count == 1 ? "" : "s"), not \(args.count)")
                return functionType(f)
            }
            let generic = functionType(f)
            return instantiate(f, types, at: e.span) ?? generic
        }
        guard let b = BuiltinFunction(rawValue: name) else {
            for a in args { check(a, &env) }
            let candidates = Array(plan.tableByName.keys) + Array(plan.functionByName.keys) + BuiltinFunction.allCases.map(\.rawValue)
            error(callee.span, "unknown function `\(name)`" + Suggestions.hint(for: name, in: candidates))
            return .unknown
        }
        resolve(e.id, .builtinFunction(b))
        let types = args.map { check($0, &env) }
        guard b.arity.contains(args.count) else {
            let want = b.arity.upperBound == Int.max ? "at least \(b.arity.lowerBound)" :
                b.arity.lowerBound == b.arity.upperBound ? "\(b.arity.lowerBound)" : "\(b.arity.lowerBound) or \(b.arity.upperBound)"
            error(e.span, "`\(name)` takes \(want) argument\(want == "1" ? "" : "s"), not \(args.count)")
            return .unknown
        }
        return builtinType(b, types, args, e, &env)
    }

    func builtinType(_ b: BuiltinFunction, _ types: [StaticType], _ args: [Expr], _ e: Expr, _ env: inout Env) -> StaticType {
        func numeric(_ t: StaticType, _ span: Span, _ what: String) {
            switch t {
            case .number, .money, .unknown: return
            default: error(span, "\(what) must be a number or money, not \(t)")
            }
        }
        switch b {
        case .min, .max:
            if args.count == 1 {
                guard case .list(let el) = types[0] else {
                    if types[0].isKnown {
                        error(args[0].span, "`\(b.rawValue)` of one value needs a list; pass a list or two or more values")
                    }
                    return .unknown
                }
                orderable(el, args[0].span)
                return el
            }
            var t = types[0]
            for (i, u) in types.enumerated() {
                orderable(u, args[i].span)
                if !t.sameKind(as: u) { error(args[i].span, "`\(b.rawValue)` compares values of one type: \(t) and \(u)") }
                t = t.joined(with: u)
            }
            return t
        case .clamp:
            for (i, t) in types.enumerated() {
                numeric(t, args[i].span, "each argument of `clamp`")
                if !types[0].sameKind(as: t) { error(args[i].span, "`clamp` needs values of one type: \(types[0]) and \(t)") }
            }
            if let hi = boundsInverted(args[1], args[2]) {
                warning(args[1].span, "the low bound of `clamp` is above its high bound, so it always gives the high bound (\(CanonicalText.render(hi)))")
            }
            return types[0]
        case .abs:
            numeric(types[0], args[0].span, "the argument of `abs`")
            return types[0]
        case .sum, .avg:
            let el = listElement(types[0], args[0].span, "the argument of `\(b.rawValue)`")
            numeric(el, args[0].span, "the elements of `\(b.rawValue)`")
            return el == .unknown ? .unknown : el
        case .count:
            _ = listElement(types[0], args[0].span, "the argument of `count`")
            return .number
        case .weighted_avg:
            let v = listElement(types[0], args[0].span, "the values of `weighted_avg`")
            let w = listElement(types[1], args[1].span, "the weights of `weighted_avg`")
            numeric(v, args[0].span, "the values of `weighted_avg`")
            if w.isKnown && w != .number { error(args[1].span, "the weights of `weighted_avg` must be numbers, not \(w)") }
            return v
        case .any, .all:
            let el = listElement(types[0], args[0].span, "the argument of `\(b.rawValue)`")
            expect(el, .bool, args[0].span, "the elements of `\(b.rawValue)`")
            return .bool
        case .round, .round_half_even, .floor, .ceil, .truncate:
            numeric(types[0], args[0].span, "the value to round")
            if args.count == 2 { expect(types[1], .number, args[1].span, "the number of decimal places") }
            return types[0]
        case .days_between:
            for (i, t) in types.enumerated() { expect(t, .date, args[i].span, "each argument of `days_between`") }
            return .number
        case .overlap_days:
            for (i, t) in types.enumerated() { expect(t, .date, args[i].span, "each argument of `overlap_days`") }
            return .number
        case .year, .month, .quarter:
            expect(types[0], .date, args[0].span, "the argument of `\(b.rawValue)`")
            return .number
        case .len:
            expect(types[0], .string, args[0].span, "the argument of `len`")
            return .number
        case .lower, .upper:
            expect(types[0], .string, args[0].span, "the argument of `\(b.rawValue)`")
            return .string
        case .contains:
            expect(types[0], .string, args[0].span, "the text searched by `contains`")
            expect(types[1], .string, args[1].span, "the text sought by `contains`")
            return .bool
        }
    }

    func orderable(_ t: StaticType, _ span: Span) {
        switch t {
        case .number, .money, .date, .unknown, .none: return
        case .string: error(span, "strings cannot be ordered (only ==, != and in)")
        default: error(span, "\(t) values cannot be ordered")
        }
    }

    // MARK: User functions

    /// Binds a function's or table's parameters as frame slots 0..n-1,
    /// reporting a parameter named twice.
    func bindParameters(_ parameters: [Identifier], _ env: inout Env) {
        var seen: [String: Span] = [:]
        for p in parameters {
            if let first = seen[p.name] {
                error(p.span, "parameter `\(p.name)` is declared twice", notes: [note(first, "first declared here")])
            }
            seen[p.name] = p.span
            _ = env.bind(p.name, .unknown)
        }
    }

    /// Re-checks function `f`'s body with the argument types of one call
    /// (parameters are untyped: the body's own check saw them as unknown),
    /// so that a mismatch the arguments cause — `add(1 CNY, 1 USD)` — is a
    /// compile-time error at the body, with a note at the call. Returns the
    /// body's type for these arguments (nil: not re-checked). Memoised per
    /// function and argument types, within a budget per compilation; side
    /// tables and the dependency graph keep the body's own check.
    func instantiate(_ f: Int, _ argumentTypes: [StaticType], at call: Span) -> StaticType? {
        let decl = plan.functions[f].decl
        guard !decl.parameters.isEmpty, argumentTypes.allSatisfy(\.isKnown), errorCount <= Checker.errorLimit else { return nil }
        // Not checked yet because this call is too deep inside other
        // definitions (it will be, in declaration order): re-check it then.
        if functionState[f] == 0 {
            deferredInstantiations.append((f, argumentTypes, call))
            return nil
        }
        guard functionState[f] == 2 else { return nil }
        let key = InstantiationKey(function: f, arguments: argumentTypes)
        let callNote = { self.note(call, "when `\(decl.name.name)` is called with \(argumentTypes.map(\.description).joined(separator: ", "))") }
        if let known = instantiations[key] {
            // The same problems, from this call too (said once in the end).
            if !known.errors.isEmpty { deliver(known.errors, callNote()) }
            return known.errors.isEmpty ? known.type : .unknown
        }
        let size = max(1, Int(decl.body.span.end) - Int(decl.body.span.start))
        guard instantiations.count < Checker.instantiationLimit, instantiatedBytes + size <= Checker.instantiationByteLimit,
              !(instantiation?.functions.contains(f) ?? false) else { return nil }
        // Too deep inside other definitions: re-checked at the end, from the
        // top (the call's type here stays the body's own).
        guard depth < Checker.maximumDefinitionDepth else {
            deferredInstantiations.append((f, argumentTypes, call))
            return nil
        }
        instantiatedBytes += size
        let outer = instantiation
        instantiation = Instantiation(functions: (outer?.functions ?? []) + [f])
        let wasFrozen = graph.frozen
        graph.frozen = true
        depth += 1
        var env = Env(scope: nil, from: .function(f))
        for (p, t) in zip(decl.parameters, argumentTypes) { _ = env.bind(p.name, t) }
        let t = check(decl.body, &env)
        depth -= 1
        graph.frozen = wasFrozen
        let found = instantiation!.errors
        instantiation = outer
        instantiations[key] = (t, found)
        if !found.isEmpty { deliver(found, callNote()) }
        return found.isEmpty ? t : .unknown
    }

    /// Problems found re-checking a body for a call: with the call's note,
    /// they go to the re-check around this one (a function called by a
    /// function), or are reported — once per place and message, and not
    /// where the body's own check already reported an error (a problem that
    /// does not come from the arguments).
    func deliver(_ found: [InstantiationError], _ callNote: Diagnostic) {
        for e in found {
            // A long chain of calls keeps its innermost notes and the outermost call.
            var notes = e.notes
            if notes.count >= 8 { notes.removeLast() }
            let noted = InstantiationError(span: e.span, message: e.message, notes: notes + [callNote])
            if instantiation != nil {
                if instantiation!.errors.count < 10 { instantiation!.errors.append(noted) }
                continue
            }
            if let span = e.span, errorSpans.contains(SpanKey(span)) { continue }
            let id = "\(e.span.map { "\($0.file):\($0.start):\($0.end)" } ?? "") \(e.message)"
            if let index = reportedInstantiationErrors[id] {
                // Reached again by another call: add its notes, up to a few.
                if diagnostics.items[index].notes.count < 12 { diagnostics.addNotes(noted.notes, at: index) }
                continue
            }
            let before = diagnostics.items.count
            error(e.span, e.message, notes: noted.notes, ownCheck: false)
            if diagnostics.items.count > before { reportedInstantiationErrors[id] = before }
        }
    }

    /// Checks a function body once, with parameters of unknown type, and
    /// returns its type. The call graph is in the dependency graph, so
    /// recursion is reported as a cycle.
    func functionType(_ f: Int) -> StaticType {
        switch functionState[f] {
        case 2: return plan.functions[f].returnType
        case 1: return .unknown
        default: break
        }
        // Deep chains of functions are checked later, in declaration order.
        guard depth < Checker.maximumDefinitionDepth else { return .unknown }
        functionState[f] = 1
        depth += 1
        defer { depth -= 1 }
        let decl = plan.functions[f].decl
        let t = outsideInstantiation { () -> StaticType in
            var env = Env(scope: nil, from: .function(f))
            bindParameters(decl.parameters, &env)
            return check(decl.body, &env)
        }
        plan.functions[f].returnType = t
        functionState[f] = 2
        return t
    }
}
