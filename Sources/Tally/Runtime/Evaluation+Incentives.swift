// Incentives and pools (LANGUAGE.md §8).

extension Evaluation {
    func money(_ v: Value, _ code: Code, _ what: String) throws(EvaluationError) -> Money {
        switch v {
        case .money(let m): return m
        case .none: throw noneError(code.node)
        default: throw EvaluationError("\(what) must be money, not \(v.typeName)", span: code.node.span, subject: subject)
        }
    }

    /// zero when not eligible, else round(clamp(amount, floor, cap)), half
    /// away from zero to `round` places (default: the currency's minor unit).
    func evaluateIncentive(_ d: IncentiveCode, _ s: SubjectRef) throws(EvaluationError) -> Value {
        let savedSubject = subject
        subject = s
        defer { subject = savedSubject }
        let fallback = d.currency ?? program.header.currency
        if let e = d.eligible {
            let v = try run(e, for: s)
            guard case .bool(let ok) = v else {
                if v.isNone { throw noneError(e.node) }
                throw EvaluationError("`eligible` must be true or false, not \(v.typeName)", span: e.node.span, subject: s)
            }
            if !ok { return .money(Money(.zero, fallback)) }
        }
        var amount = try money(try run(d.amount, for: s), d.amount, "the amount")
        let floor = try d.floor.map { c throws(EvaluationError) in try money(try run(c, for: s), c, "`floor`") } ?? Money(.zero, amount.currency)
        guard floor.currency == amount.currency else {
            throw EvaluationError("`floor` is in \(floor.currency.code) but the amount is in \(amount.currency.code)", span: d.span, subject: s)
        }
        if amount.amount < floor.amount { amount = floor }
        if let c = d.cap {
            let cap = try money(try run(c, for: s), c, "`cap`")
            guard cap.currency == amount.currency else {
                throw EvaluationError("`cap` is in \(cap.currency.code) but the amount is in \(amount.currency.code)", span: c.node.span, subject: s)
            }
            if amount.amount > cap.amount { amount = cap }
        }
        let places = d.places ?? amount.currency.minorUnits
        let rounded = try decimal(d.span) { () throws(ArithmeticError) in try amount.amount.rounded(places: places, .halfAwayFromZero) }
        return .money(Money(rounded, amount.currency))
    }

    struct PoolInstance {
        var total: Money
        var paid: Value
        var parts: [(person: Int32, amount: Money)]
        /// Each person's share, in `among` order, and the total in whole
        /// units of 10^-places: what the largest-remainder split worked on.
        var shares: [ExactDecimal] = []
        var units: ExactDecimal = .zero
        var places: Int = 0
    }

    /// One instance of pool `p`, declared by subject `s`, computed once.
    func poolInstance(_ p: Int, _ s: SubjectRef) throws(EvaluationError) -> PoolInstance {
        let key = PoolKey(pool: p, subject: s)
        if let cached = poolInstances[key] { return try cached.get() }
        let result = Result { () throws(EvaluationError) in try computePoolInstance(p, s) }
        poolInstances[key] = result
        return try result.get()
    }

    /// Its total, rounded half away from zero, split by the largest-remainder method.
    private func computePoolInstance(_ p: Int, _ s: SubjectRef) throws(EvaluationError) -> PoolInstance {
        let pool = program.pools[p]
        let savedSubject = subject
        subject = s
        defer { subject = savedSubject }
        let currency = pool.currency ?? program.header.currency
        var total = try money(try run(pool.total, for: s), pool.total, "the pool total")
        let places = pool.places ?? total.currency.minorUnits
        total.amount = try decimal(pool.total.node.span) { () throws(ArithmeticError) in
            try total.amount.rounded(places: places, .halfAwayFromZero)
        }
        if total.amount.isNegative {
            throw EvaluationError("the total of pool `\(pool.name)` is negative (\(total))", span: pool.total.node.span, subject: s)
        }
        let amongValue = try run(pool.among, for: s)
        guard case .list(let among) = amongValue else {
            if amongValue.isNone { throw noneError(pool.among.node) }
            throw EvaluationError("`among` must be a list of people, not \(amongValue.typeName)", span: pool.among.node.span, subject: s)
        }
        var people: [Int32] = []
        var shares: [ExactDecimal] = []
        var ids: [String] = []
        for element in among {
            guard case .subject(let person) = element, person.scope == .person else {
                throw EvaluationError("`among` must list people, but it holds \(element.typeName)", span: pool.among.node.span, subject: s)
            }
            let share = try number(try run(pool.share, for: s, binding: element), pool.share, "a share")
            if share.isNegative {
                throw EvaluationError("the share of \(data.describe(person)) in pool `\(pool.name)` is negative (\(share))", span: pool.share.node.span, subject: s)
            }
            people.append(person.index)
            shares.append(share)
            ids.append(data.id(of: person))
        }
        var sum = ExactDecimal.zero
        for share in shares {
            sum = try decimal(pool.share.node.span) { () throws(ArithmeticError) in try sum.adding(share) }
        }
        if people.isEmpty || sum.isZero {
            if !total.amount.isZero {
                warn(pool.span, "pool `\(pool.name)` of \(data.describe(s)) pays nothing: " +
                     (people.isEmpty ? "`among` is empty" : "every share is zero") + " (total \(total))")
            }
            return PoolInstance(total: total, paid: .money(Money(.zero, currency)),
                                parts: people.map { ($0, Money(.zero, total.currency)) })
        }
        // Work in units of 10^-places so the parts are whole units.
        let units = try decimal(pool.span) { () throws(ArithmeticError) in try total.amount.rounded(places: places, .halfAwayFromZero).multiplied(by: try ExactDecimal(10).power(places)) }
        let parts: [ExactDecimal]
        do throws(ArithmeticError) {
            parts = try Apportionment.largestRemainder(total: units, shares: shares, ids: ids)
        } catch {
            throw EvaluationError("pool `\(pool.name)`: \(error.message)", span: pool.span, subject: s)
        }
        var result: [(Int32, Money)] = []
        for (person, part) in zip(people, parts) {
            let amount = try decimal(pool.span) { () throws(ArithmeticError) in try part.divided(by: try ExactDecimal(10).power(places)) }
            result.append((person, Money(amount, total.currency)))
        }
        return PoolInstance(total: total, paid: .money(total), parts: result, shares: shares, units: units, places: places)
    }

    /// A person's part of pool `p`: zero outside every instance; being in two
    /// instances is an error.
    func poolShare(_ p: Int, person: SubjectRef) throws(EvaluationError) -> Value {
        let pool = program.pools[p]
        if poolParts[p] == nil {
            poolParts[p] = Result { () throws(EvaluationError) in try allocate(p) }
        }
        switch poolParts[p]! {
        case .failure(let e): throw e
        case .success(let parts):
            if let m = parts[person.index] { return .money(m) }
            return .money(Money(.zero, pool.currency ?? program.header.currency))
        }
    }

    private func allocate(_ p: Int) throws(EvaluationError) -> [Int32: Money] {
        let pool = program.pools[p]
        var parts: [Int32: Money] = [:]
        var owner: [Int32: SubjectRef] = [:]
        let si = BoundData.index(pool.scope)
        for i in 0..<data.counts[si] {
            let s = SubjectRef(pool.scope, i)
            if let b = pool.block, !(try blockApplies(s, b)) { continue }
            let instance = try poolInstance(p, s)
            for (person, amount) in instance.parts {
                if let first = owner[person] {
                    throw EvaluationError("\(data.describe(SubjectRef(.person, Int(person)))) is in two instances of pool `\(pool.name)`: those of \(data.describe(first)) and \(data.describe(s))",
                                          span: pool.among.node.span, subject: s)
                }
                owner[person] = s
                parts[person] = amount
            }
        }
        return parts
    }
}
