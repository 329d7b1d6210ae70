// `:solve TARGET = VALUE by INPUT [in LOW..HIGH]`: goal seek over one input
// of one subject, on top of `Session.applying` (see GoalSeek.swift for the
// search and its stopping rule).

/// Why a goal seek could not run (or was cancelled).
public struct SolveFailure: Error, Sendable {
    public var message: String
    /// The evaluation diagnostic, when evaluating the target failed.
    public var diagnostics: [Diagnostic]
    public var cancelled: Bool

    public init(_ message: String, diagnostics: [Diagnostic] = [], cancelled: Bool = false) {
        self.message = message
        self.diagnostics = diagnostics
        self.cancelled = cancelled
    }
}

/// The result of a goal seek, with its explanation.
public struct SolveReport: Sendable {
    public let input: InputPath
    /// The target expression as written.
    public let target: String
    public let goal: Value
    public let outcome: GoalSeek.Outcome
    /// The input's value before the search.
    public let current: Value
    /// Decimal places of the answer.
    public let places: Int
    /// The input value found: exact, or the first one past the goal; nil when
    /// the goal is out of reach.
    public let solution: Value?
    /// The explanation, one line per element.
    public let lines: [String]

    /// False when the goal is out of reach.
    public var found: Bool { solution != nil }
}

extension Session {
    /// Finds the value of `input` nearest its current value that makes
    /// `target` (a number or money expression) equal `goal`, searching within
    /// `lower...upper` (default: from 0 — or without bound when the current
    /// value is negative — upward without bound).
    public func solve(target: CompiledExpression, goal: Value, input: InputPath,
                      lower: Value? = nil, upper: Value? = nil) -> Result<SolveReport, SolveFailure> {
        let data = dataset.data
        let scope = data.program.scope(input.scope)
        guard let subjectIndex = data.index(of: input.scope, id: input.id) else {
            let kind = input.scope.rawValue
            return .failure(SolveFailure("\(input): no \(kind) has id \(CanonicalText.quote(input.id))"))
        }
        guard let code = scope.inputs.first(where: { $0.name == input.field }) else {
            return .failure(SolveFailure("\(input): `\(input.field)` is not an input of \(input.scope == .company ? "the company" : input.scope.rawValue + "s"); :solve varies an input"
                + Suggestions.hint(for: input.field, in: scope.inputs.map(\.name))))
        }
        let currency = data.program.header.currency
        guard code.type == .money || code.type == .number || code.type == .percent else {
            return .failure(SolveFailure("\(input): `\(input.field)` is \(code.type.rawValue); :solve varies a number, percent or money input"))
        }
        let isMoney = code.type == .money
        let places = isMoney ? currency.minorUnits : 6
        func wrap(_ x: ExactDecimal) -> Value { isMoney ? .money(Money(x, currency)) : .number(x) }
        func unwrap(_ v: Value, _ what: String) -> Result<ExactDecimal, SolveFailure> {
            switch (v, isMoney) {
            case (.money(let m), true) where m.currency == currency: return .success(m.amount)
            // A plain number is an amount in the plan currency, as for :set.
            case (.number(let n), _): return .success(n)
            default:
                return .failure(SolveFailure("\(what) must be \(isMoney ? "money in \(currency.code)" : "a number") like \(input), not \(v.typeName)"))
            }
        }

        let subject = SubjectRef(input.scope, subjectIndex)
        let currentValue = (try? evaluation.value(subject, code.slot)) ?? .none
        var start = ExactDecimal.zero
        if !currentValue.isNone {
            switch unwrap(currentValue, "the current value") {
            case .success(let x): start = x
            case .failure(let f): return .failure(f)
            }
        }
        // An input the subject cannot be given (outside its `inputs … where`
        // block) is refused before the search, with the reason.
        if let problem = dataset.overriding([input.override(wrap(start))]).1.first {
            return .failure(SolveFailure(problem.message))
        }
        var lo: ExactDecimal? = start.isNegative ? nil : .zero
        var hi: ExactDecimal?
        if let lower {
            switch unwrap(lower, "the low end of the range") { case .success(let x): lo = x; case .failure(let f): return .failure(f) }
        }
        if let upper {
            switch unwrap(upper, "the high end of the range") { case .success(let x): hi = x; case .failure(let f): return .failure(f) }
        }
        if let l = lo, let h = hi, h < l {
            return .failure(SolveFailure("the search range is empty: \(render(wrap(l)))..\(render(wrap(h)))"))
        }

        // The goal fixes the kind of the target: a number, or money of one currency.
        let goalAmount: ExactDecimal
        let goalCurrency: Currency?
        switch goal {
        case .number(let n): goalAmount = n; goalCurrency = nil
        case .money(let m): goalAmount = m.amount; goalCurrency = m.currency
        default: return .failure(SolveFailure("the goal must be a number or money, not \(goal.typeName)"))
        }

        // The first failure of the target (shown when the goal is not reached).
        var firstFailure: (input: ExactDecimal, diagnostic: Diagnostic)?
        var targetIsMoney = false
        func targetValue(_ x: ExactDecimal) throws(SolveFailure) -> ExactDecimal? {
            // A probe may take fewer steps than the evaluation's own check
            // needs to notice a cancellation: ask before each one.
            if let cancelled = evaluation.options.isCancelled, cancelled() { throw SolveFailure("cancelled", cancelled: true) }
            let (session, problems) = applying([input.override(wrap(x))])
            guard let session else { throw SolveFailure("cannot set \(input) to \(render(wrap(x)))", diagnostics: problems) }
            let v: Value
            do {
                v = try session.evaluate(target)
            } catch {
                if error.kind == .cancelled { throw SolveFailure("cancelled", cancelled: true) }
                if firstFailure == nil { firstFailure = (x, error.diagnostic) }
                return nil
            }
            switch (v, goalCurrency) {
            case (.number(let n), nil): return n
            case (.money(let m), let c?) where m.currency == c: return m.amount
            // A plain-number goal for a money target is in the plan currency.
            case (.money(let m), nil) where m.currency == currency:
                targetIsMoney = true
                return m.amount
            default:
                throw SolveFailure("the target \(target.text.interactiveTrimmed) is \(v.typeName) (with \(input) = \(render(wrap(x)))), but the goal \(render(goal)) is \(goal.typeName)")
            }
        }

        let problem = GoalSeek.Problem(start: start, goal: goalAmount, lower: lo, upper: hi, places: places)
        let outcome: GoalSeek.Outcome
        do {
            outcome = try GoalSeek.solve(problem, targetValue)
        } catch {
            return .failure(error)
        }

        let name = input.description
        let targetText = target.text.interactiveTrimmed
        let shownCurrency = goalCurrency ?? (targetIsMoney ? currency : nil)
        func t(_ x: ExactDecimal) -> String { render(shownCurrency.map { .money(Money(x, $0)) } ?? .number(x)) }
        let goalText = t(goalAmount)
        func at(_ p: GoalSeek.Point) -> String { "\(t(p.target)) at \(render(wrap(p.input)))" }
        let step = isMoney ? render(wrap(unit(places))) : unit(places).description
        var lines: [String] = []
        var solution: Value?
        let now = currentValue.isNone ? "none (searched from \(render(wrap(start))))" : render(currentValue)
        switch outcome {
        case .alreadyMet(let p):
            solution = wrap(p.input)
            lines.append("\(name) = \(render(wrap(p.input)))")
            if p.input == start {
                lines.append("  \(targetText) is already \(t(p.target)) there (the current value)")
            } else {
                lines.append("  \(targetText) is \(t(p.target)) there, the nearest value to the current \(now) where it can be evaluated")
            }
        case .exact(let s, let before):
            solution = wrap(s.input)
            lines.append("\(name) = \(render(wrap(s.input)))")
            lines.append("  gives \(targetText) = \(t(s.target)) (\(at(before)))")
            lines.append("  the nearest such value to the current \(now), in steps of \(step)")
        case .crossing(let before, let after):
            solution = wrap(after.input)
            lines.append("\(name) = \(render(wrap(after.input)))")
            lines.append("  is the first value where \(targetText) passes \(goalText): \(at(before)), \(at(after))")
            lines.append("  no value gives exactly \(goalText) (searched from the current \(now), in steps of \(step))")
        case .unreachable(let searched, let lowest, let highest, let plateaus, let failures):
            let failsAtStart = failures.count == 1 && searched.lowerBound == searched.upperBound
            if failsAtStart {
                lines.append("no solution: \(targetText) fails with the current \(name) = \(now)")
            } else {
                lines.append("no solution: \(targetText) never reaches \(goalText) for \(name) in \(render(wrap(searched.lowerBound)))..\(render(wrap(searched.upperBound)))")
                if lowest.target == highest.target {
                    lines.append("  it is \(t(lowest.target)) throughout: it does not change with \(name) there")
                } else {
                    lines.append("  it ranges from \(t(lowest.target)) (at \(render(wrap(lowest.input)))) to \(t(highest.target)) (at \(render(wrap(highest.input))))")
                    for p in plateaus {
                        lines.append("  it stays at \(t(p.from.target)) from \(name) = \(render(wrap(p.from.input))) \(p.upward ? "up" : "down") (a cap or a floor in the plan)")
                    }
                }
            }
            for f in failures where !failsAtStart {
                lines.append("  it cannot be evaluated at \(name) = \(render(wrap(f.input))), so the search did not go further \(f.upward ? "up" : "down")")
            }
            if let first = firstFailure {
                lines.append("  the error (with \(name) = \(render(wrap(first.input)))): \(first.diagnostic.message)")
            }
        case .failedBetween(let short, let reached, let failing):
            lines.append("no solution found: \(targetText) goes from \(at(short)) to \(at(reached)), past \(goalText),")
            lines.append("  but it cannot be evaluated at \(name) = \(render(wrap(failing))) in between, so the value cannot be located")
            if let first = firstFailure { lines.append("  the error: \(first.diagnostic.message)") }
        }
        return .success(SolveReport(input: input, target: targetText, goal: goal, outcome: outcome, current: currentValue,
                                    places: places, solution: solution, lines: lines))
    }

    private func unit(_ places: Int) -> ExactDecimal { ExactDecimal(significand: 1, exponent: -places) }
}

extension String {
    var interactiveTrimmed: String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }
}
