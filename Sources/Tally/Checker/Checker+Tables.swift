// Tables (LANGUAGE.md §7): constant keys in order, one result type, rows
// that can match. Checked once, on first use or at the end.

extension Checker {
    func tableKeyType(_ t: Int) -> StaticType {
        checkTable(t)
        return plan.tables[t].keyType
    }

    func tableResultType(_ t: Int, argumentTypes: [StaticType]) -> StaticType {
        checkTable(t)
        let table = plan.tables[t]
        switch table.decl.kind {
        case .marginal, .flat:
            // value × rate: money when the looked-up value is money.
            let arg = argumentTypes.first ?? .unknown
            return arg.isKnown ? arg : table.keyType
        default:
            return table.resultType
        }
    }

    func checkTable(_ t: Int) {
        guard tableState[t] == 0 else { return }
        outsideInstantiation { checkTableOnce(t) }
    }

    private func checkTableOnce(_ t: Int) {
        tableState[t] = 1
        defer { tableState[t] = 2 }
        let decl = plan.tables[t].decl
        let name = "table `\(decl.name.name)`"
        var env = Env(scope: nil, from: .table(t))
        bindParameters(decl.parameters, &env)
        if decl.parameters.isEmpty { error(decl.name.span, "\(name) needs at least one input") }
        if decl.rows.isEmpty { error(decl.name.span, "\(name) has no rows") }

        var resultType: StaticType?
        func result(_ row: TableRow, _ env: inout Env) {
            let rt = check(row.result, &env)
            if let prev = resultType, !prev.sameKind(as: rt) {
                error(row.result.span, "all results of \(name) share one type: this is \(rt), earlier results are \(prev)")
            }
            resultType = resultType.map { $0.joined(with: rt) } ?? rt
        }

        switch decl.kind {
        case .interpolate, .marginal, .flat:
            if decl.parameters.count > 1 {
                error(decl.name.span, "\(decl.kind.rawValue) \(name) takes one input; multi-input tables are `first` tables")
            }
            var previous: (Value, Span)?
            var keyType: StaticType?
            var ends: [String: Span] = [:]
            for row in decl.rows {
                switch row.key {
                case .value(let k):
                    var constEnv = env
                    constEnv.constantOnly = true
                    let kt = check(k, &constEnv)
                    switch kt {
                    case .number, .money: break
                    case .unknown: break
                    default: error(k.span, "the keys of \(name) must be numbers or money, not \(kt)")
                    }
                    if let prev = keyType, !prev.sameKind(as: kt) {
                        error(k.span, "the keys of \(name) have one type: this is \(kt), earlier keys are \(prev)")
                    }
                    keyType = keyType ?? kt
                    if let v = constantValue(k) {
                        if let (pv, ps) = previous, let c = try? Operators.compare(pv, v), c >= 0 {
                            let what = decl.kind == .interpolate ? "points" : "bracket bounds"
                            error(k.span, "the \(what) of \(name) must be strictly increasing: \(render(v)) comes after \(render(pv))",
                                  notes: [note(ps, "previous key")])
                        }
                        previous = (v, k.span)
                    }
                case .below, .above:
                    let word = { if case .below = row.key { return "below" } else { return "above" } }()
                    if decl.kind != .interpolate {
                        error(row.keySpan, "`\(word)` rows belong to interpolate tables; a \(decl.kind.rawValue) table's first bound is its lowest")
                    } else if let first = ends[word] {
                        error(row.keySpan, "`\(word)` is given twice", notes: [note(first, "first given here")])
                    }
                    ends[word] = row.keySpan
                case .tests, .else:
                    error(row.keySpan, "a \(decl.kind.rawValue) table's rows are `key -> value`")
                }
                result(row, &env)
            }
            plan.tables[t].keyType = keyType ?? .unknown
            if decl.kind != .interpolate, let r = resultType, r.isKnown, r != .number {
                error(decl.rows.first?.result.span, "the rates of \(decl.kind.rawValue) \(name) must be numbers (e.g. 5%), not \(r)")
            }
            if decl.kind == .interpolate, let r = resultType {
                switch r {
                case .number, .money, .unknown: break
                default: error(decl.rows.first?.result.span, "an interpolate table's values must be numbers or money, not \(r)")
                }
            }
        case .first:
            plan.tables[t].columnTypes = checkFirstRows(decl, name, &env, result)
        }
        plan.tables[t].resultType = resultType ?? .unknown
    }

    /// How many comparisons of a row with an earlier one the unreachable-row
    /// advice of one first table may make (see `checkFirstRows`).
    static let rowComparisonLimit = 250_000

    /// Checks a first table's rows; returns the type each column tests.
    private func checkFirstRows(_ decl: TableDecl, _ name: String, _ env: inout Env,
                                _ result: (TableRow, inout Env) -> Void) -> [StaticType] {
        var columns: [StaticType?] = Array(repeating: nil, count: decl.parameters.count)
        var elseSpan: Span?
        var catchAll: Span?
        var catchAllWhy = "matches everything"
        var earlier: [[UnaryTest]] = []
        // The one-input test sets of the earlier rows (built once per row).
        var earlierSets: [TestSet] = []
        // Comparing each row with every earlier one is quadratic: a table of
        // 100,000 rows would take hours. The advice stops after this many
        // row comparisons (about 700 rows); the rows still work.
        var comparisons = 0
        // For one-column numeric thresholds: the lowest `>=`/`>` bound seen
        // and the highest `<=`/`<` bound, beyond which rows cannot match.
        var lowerCovered: (Value, strict: Bool)?
        var upperCovered: (Value, strict: Bool)?
        for row in decl.rows {
            if let e = elseSpan {
                error(row.keySpan, "a row after `else` can never match", notes: [note(e, "`else` is here")])
                result(row, &env)
                continue
            }
            switch row.key {
            case .else:
                if let c = catchAll { warning(row.keySpan, "this `else` can never match: the row at \(location(c)) \(catchAllWhy)") }
                elseSpan = row.keySpan
            case .tests(let tests):
                if tests.count != decl.parameters.count {
                    error(row.keySpan, "this row has \(tests.count) test\(tests.count == 1 ? "" : "s") but \(name) has \(decl.parameters.count) input\(decl.parameters.count == 1 ? "" : "s")")
                }
                for (i, test) in tests.enumerated() {
                    let (tt, span) = checkUnaryTest(test, name)
                    guard i < columns.count, tt.isKnown, tt != .none else { continue }
                    if let prev = columns[i], !prev.sameKind(as: tt) {
                        error(span, "the tests of input `\(decl.parameters[i].name)` in \(name) have one type: this is \(tt), earlier tests are \(prev)")
                    } else {
                        columns[i] = columns[i].map { $0.joined(with: tt) } ?? tt
                    }
                }
                var unreachable = catchAll != nil
                let mine = tests.count == 1 ? TestSet(tests[0], constantValue) : nil
                comparisons += earlier.count
                if !unreachable, comparisons <= Self.rowComparisonLimit {
                    unreachable = earlier.contains { Self.sameTests($0, tests) }
                    // One input: a test inside an earlier one (`2..3` after
                    // `1..5`, `in [1, 2]` after `>= 1`) can never be reached.
                    if !unreachable, let mine { unreachable = earlierSets.contains { mine.isInside($0) } }
                }
                if tests.count == 1, case .compare(let op, let k) = tests[0], let v = constantValue(k) {
                    switch op {
                    case .greaterEqual, .greater:
                        if let (lo, strict) = lowerCovered, let c = try? Operators.compare(v, lo),
                           c > 0 || (c == 0 && (!strict || op == .greater)) { unreachable = true }
                        if lowerCovered == nil { lowerCovered = (v, op == .greater) }
                        else if let (lo, _) = lowerCovered, let c = try? Operators.compare(v, lo), c < 0 { lowerCovered = (v, op == .greater) }
                    case .lessEqual, .less:
                        if let (hi, strict) = upperCovered, let c = try? Operators.compare(v, hi),
                           c < 0 || (c == 0 && (!strict || op == .less)) { unreachable = true }
                        if upperCovered == nil { upperCovered = (v, op == .less) }
                        else if let (hi, _) = upperCovered, let c = try? Operators.compare(v, hi), c > 0 { upperCovered = (v, op == .less) }
                    default: break
                    }
                }
                if unreachable { warning(row.keySpan, "this row can never match: earlier rows cover every value it tests") }
                // `< 5` then `>= 5` together cover every value: what follows is unreachable.
                if catchAll == nil, let (lo, strictLo) = lowerCovered, let (hi, strictHi) = upperCovered,
                   let c = try? Operators.compare(hi, lo), c > 0 || (c == 0 && !(strictLo && strictHi)) {
                    catchAll = row.keySpan
                    catchAllWhy = "and the rows before it cover every value"
                }
                if tests.allSatisfy({ if case .any = $0 { return true } else { return false } }), catchAll == nil {
                    catchAll = row.keySpan
                }
                earlier.append(tests)
                if let mine { earlierSets.append(mine) }
            default:
                error(row.keySpan, "a first table's rows are unary tests (`>= 0.9`, `in [..]`, `a..b`, a value, `_`) or `else`")
            }
            result(row, &env)
        }
        return columns.map { $0 ?? .unknown }
    }

    /// Checks one row test; returns the type of value it tests and where.
    private func checkUnaryTest(_ test: UnaryTest, _ name: String) -> (StaticType, Span?) {
        var env = Env(scope: nil, from: .query)
        env.constantOnly = true
        switch test {
        case .compare(let op, let k):
            let t = check(k, &env)
            if op != .equal, op != .notEqual {
                switch t {
                case .number, .money, .date, .unknown: break
                default: error(k.span, "`\(op.rawValue)` needs a number, money or a date, not \(t)")
                }
            }
            return (t, k.span)
        case .range(let lo, let hi, _):
            let a = check(lo, &env), b = check(hi, &env)
            if !a.sameKind(as: b) { error(hi.span, "the ends of a range have one type: \(a) and \(b)") }
            if let x = constantValue(lo), let y = constantValue(hi), let c = try? Operators.compare(x, y), c > 0 {
                error(lo.span, "the range \(render(x))..\(render(y)) is empty: its start is above its end")
            }
            return (a.joined(with: b), lo.span)
        case .member(let list):
            if case .list(let element) = check(list, &env) { return (element, list.span) }
            return (.unknown, list.span)
        case .equal(let v):
            return (check(v, &env), v.span)
        case .any:
            return (.unknown, nil)
        }
    }

    /// The values one unary test accepts, for subsumption: an interval, or a
    /// finite set of values.
    struct TestSet {
        var lower: (Value, closed: Bool)?
        var upper: (Value, closed: Bool)?
        var points: [Value]?

        init?(_ test: UnaryTest, _ constant: (Expr) -> Value?) {
            switch test {
            case .any: break
            case .compare(let op, let k):
                guard let v = constant(k) else { return nil }
                switch op {
                case .greaterEqual: lower = (v, true)
                case .greater: lower = (v, false)
                case .lessEqual: upper = (v, true)
                case .less: upper = (v, false)
                case .equal: points = [v]
                default: return nil
                }
            case .range(let lo, let hi, let inclusive):
                guard let a = constant(lo), let b = constant(hi) else { return nil }
                lower = (a, true)
                upper = (b, inclusive)
            case .equal(let k):
                guard let v = constant(k) else { return nil }
                points = [v]
            case .member(let list):
                guard case .list(let items)? = constant(list) else { return nil }
                points = items
            }
        }

        func contains(_ v: Value) -> Bool {
            if let points { return points.contains { (try? Operators.equal($0, v)) == true } }
            if let (lo, closed) = lower { guard let c = try? Operators.compare(v, lo), c > 0 || (c == 0 && closed) else { return false } }
            if let (hi, closed) = upper { guard let c = try? Operators.compare(v, hi), c < 0 || (c == 0 && closed) else { return false } }
            return true
        }

        /// Every value this set accepts, `other` accepts too.
        func isInside(_ other: TestSet) -> Bool {
            if let points { return points.allSatisfy(other.contains) }
            guard other.points == nil else { return false }
            if let (lo, closed) = other.lower {
                guard let (mine, mineClosed) = lower, let c = try? Operators.compare(mine, lo),
                      c > 0 || (c == 0 && (closed || !mineClosed)) else { return false }
            }
            if let (hi, closed) = other.upper {
                guard let (mine, mineClosed) = upper, let c = try? Operators.compare(mine, hi),
                      c < 0 || (c == 0 && (closed || !mineClosed)) else { return false }
            }
            return true
        }
    }

    static func sameTests(_ a: [UnaryTest], _ b: [UnaryTest]) -> Bool {
        guard a.count == b.count else { return false }
        for (x, y) in zip(a, b) {
            switch (x, y) {
            case (.any, .any): continue
            case (.compare(let o1, let k1), .compare(let o2, let k2)) where o1 == o2 && k1.sameStructure(as: k2): continue
            case (.range(let l1, let h1, let i1), .range(let l2, let h2, let i2))
                where i1 == i2 && l1.sameStructure(as: l2) && h1.sameStructure(as: h2): continue
            case (.member(let l1), .member(let l2)) where l1.sameStructure(as: l2): continue
            case (.equal(let v1), .equal(let v2)) where v1.sameStructure(as: v2): continue
            default: return false
            }
        }
        return true
    }

    func location(_ span: Span) -> String {
        guard let f = diagnostics.file(span) else { return "?" }
        return "line \(f.line(of: Int(span.start)))"
    }

    func render(_ v: Value) -> String { CanonicalText.render(v, quoted: true) }

    // MARK: Constants

    /// The value of a constant expression, or nil (see `CheckedPlan.constant`).
    func constantValue(_ e: Expr) -> Value? { plan.constant(e) }
}
