// Table lookups (LANGUAGE.md §7): piecewise-linear interpolation, marginal
// (graduated) and flat brackets, and first-hit decision tables (DMN FEEL
// unary tests, first-hit policy).

extension Evaluation {
    func lookup(table t: Int, _ args: [Value], span: Span) throws(EvaluationError) -> Value {
        let table = program.tables[t]
        let savedBase = base
        base = locals.count
        locals.append(contentsOf: args)
        let extra = max(0, table.frameSize - args.count)
        if extra > 0 { locals.append(contentsOf: repeatElement(Value.none, count: extra)) }
        defer {
            locals.removeLast(args.count + extra)
            base = savedBase
        }
        do {
            switch table.kind {
            case .interpolate: return try interpolate(table, args[0])
            case .marginal: return try brackets(table, args[0], marginal: true)
            case .flat: return try brackets(table, args[0], marginal: false)
            case .first: return try firstHit(table, args)
            }
        } catch {
            var e = error
            if e.span == nil { e.span = span }
            throw e
        }
    }

    /// A lookup failure, reported at the call (the caller's span is filled
    /// in by `lookup(table:_:span:)`) and naming where the table is declared.
    private func tableError(_ table: TableCode, _ message: String) -> EvaluationError {
        let line = program.file(table.span).map { "; the table is declared on line \($0.line(of: Int(table.span.start)))" } ?? ""
        return EvaluationError("table `\(table.name)`: \(message)\(line)", span: nil, subject: subject)
    }

    private func compare(_ table: TableCode, _ a: Value, _ b: Value) throws(EvaluationError) -> Int {
        do { return try Operators.compare(a, b) } catch {
            throw tableError(table, "cannot look up \(CanonicalText.render(a, quoted: true)): \(error.message)")
        }
    }

    /// The amount of a number or money value, with its currency if any.
    private func amount(_ v: Value) -> (ExactDecimal, Currency?)? {
        switch v {
        case .number(let n): return (n, nil)
        case .money(let m): return (m.amount, m.currency)
        default: return nil
        }
    }

    private func interpolate(_ table: TableCode, _ x: Value) throws(EvaluationError) -> Value {
        let keys = table.keys
        guard !keys.isEmpty else { throw tableError(table, "has no points") }
        if try compare(table, x, keys[0]) < 0 {
            return try (table.below ?? table.results[0]).evaluate(self)
        }
        if try compare(table, x, keys[keys.count - 1]) > 0 {
            return try (table.above ?? table.results[keys.count - 1]).evaluate(self)
        }
        // The last point x0 ≤ x (binary search).
        var lo = 0, hi = keys.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if try compare(table, keys[mid], x) <= 0 { lo = mid } else { hi = mid - 1 }
        }
        let y0 = try table.results[lo].evaluate(self)
        if lo == keys.count - 1 { return y0 }
        if try compare(table, keys[lo], x) == 0 { return y0 }
        let y1 = try table.results[lo + 1].evaluate(self)
        guard let (xv, _) = amount(x), let (x0, _) = amount(keys[lo]), let (x1, _) = amount(keys[lo + 1]),
              let (a0, c0) = amount(y0), let (a1, c1) = amount(y1) else {
            throw tableError(table, "interpolates numbers or money only")
        }
        guard c0 == c1 else { throw tableError(table, "its values mix currencies") }
        // y0 + (x − x0) × (y1 − y0) / (x1 − x0), left to right, each step rounded once.
        let y = try decimal(table.span) { () throws(ArithmeticError) in
            let t = try xv.subtracting(x0).multiplied(by: try a1.subtracting(a0)).divided(by: try x1.subtracting(x0))
            return try a0.adding(t)
        }
        return c0.map { .money(Money(y, $0)) } ?? .number(y)
    }

    private func brackets(_ table: TableCode, _ v: Value, marginal: Bool) throws(EvaluationError) -> Value {
        let keys = table.keys
        guard !keys.isEmpty, try compare(table, v, keys[0]) >= 0 else {
            throw tableError(table, "\(CanonicalText.render(v, quoted: true)) is below its first bracket (\(CanonicalText.render(keys.first ?? .none, quoted: true)))")
        }
        guard let (amountV, currency) = amount(v) else { throw tableError(table, "brackets apply to numbers or money") }
        func rate(_ i: Int) throws(EvaluationError) -> ExactDecimal {
            let r = try table.results[i].evaluate(self)
            guard case .number(let n) = r else { throw tableError(table, "its rates must be numbers, not \(r.typeName)") }
            return n
        }
        var total = ExactDecimal.zero
        if marginal {
            for i in keys.indices {
                guard let (lower, _) = amount(keys[i]), amountV > lower else { break }
                var upper = amountV
                if i + 1 < keys.count, let (next, _) = amount(keys[i + 1]), next < amountV { upper = next }
                let r = try rate(i)
                total = try decimal(table.span) { () throws(ArithmeticError) in
                    try total.adding(try upper.subtracting(lower).multiplied(by: r))
                }
            }
        } else {
            var reached = 0
            for i in keys.indices where try compare(table, keys[i], v) <= 0 { reached = i }
            let r = try rate(reached)
            total = try decimal(table.span) { () throws(ArithmeticError) in try amountV.multiplied(by: r) }
        }
        return currency.map { .money(Money(total, $0)) } ?? .number(total)
    }

    private func firstHit(_ table: TableCode, _ args: [Value]) throws(EvaluationError) -> Value {
        rows: for (row, tests) in table.tests.enumerated() {
            guard let tests else { return try table.results[row].evaluate(self) }
            for (test, arg) in zip(tests, args) where !(try matches(table, test, arg)) { continue rows }
            return try table.results[row].evaluate(self)
        }
        let shown = args.map { CanonicalText.render($0, quoted: true) }.joined(separator: ", ")
        throw tableError(table, "no row matches \(shown)")
    }

    private func matches(_ table: TableCode, _ test: TableTest, _ x: Value) throws(EvaluationError) -> Bool {
        do {
            switch test {
            case .any: return true
            case .equal(let v): return try Operators.equal(x, v)
            case .compare(let op, let v): return try Operators.compare(op, x, v)
            case .range(let lo, let hi, let inclusive): return try Operators.inRange(x, lo, hi, inclusive: inclusive)
            case .member(let list): return try Operators.contains(list, x)
            }
        } catch {
            throw tableError(table, "cannot test \(CanonicalText.render(x, quoted: true)): \(error.message)")
        }
    }
}
