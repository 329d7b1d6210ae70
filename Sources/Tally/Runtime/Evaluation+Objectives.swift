// Objectives and key results (LANGUAGE.md §6): progress, clamped scores,
// weighted means, and alignment.

extension Evaluation {
    func number(_ v: Value, _ code: Code, _ what: String) throws(EvaluationError) -> ExactDecimal {
        switch v {
        case .number(let n): return n
        case .none: throw noneError(code.node)
        default: throw EvaluationError("\(what) must be a number, not \(v.typeName)", span: code.node.span, subject: subject)
        }
    }

    func decimal(_ span: Span, _ body: () throws(ArithmeticError) -> ExactDecimal) throws(EvaluationError) -> ExactDecimal {
        do { return try body() } catch { throw EvaluationError(error.message, span: span, subject: subject) }
    }

    /// Evaluates objective `o` of subject `s` into its record.
    func evaluateObjective(_ s: SubjectRef, _ o: Int) throws(EvaluationError) -> Value {
        let objective = program.scope(s.scope).objectives[o]
        let savedSubject = subject
        subject = s
        defer { subject = savedSubject }
        var records: [Value] = []
        var weights: [(ExactDecimal?, ExactDecimal, Span)] = []
        for kr in objective.keyResults {
            let record = try evaluateKeyResult(kr, objective: objective, s)
            records.append(.record(record))
            guard case .number(let w) = record.values[2], case .number(let score) = record.values[7] else { continue }
            weights.append((kr.weight == nil ? nil : w, score, kr.span))
        }
        let score = try weightedMean(weights, of: "the key results of objective `\(objective.id)`", objective.span)
        var weight: Value = .number(.one)
        if let code = objective.weight { weight = .number(try number(try run(code, for: s), code, "an objective's weight")) }
        let alignedTo: Value = objective.alignedTo.map { .string($0) } ?? .none
        return .record(Record(schema: Schemas.objective,
                              values: [.string(objective.id), objective.title.map { .string($0) } ?? .none, weight,
                                       .number(score), .list(records), alignedTo],
                              owner: s, ordinal: o))
    }

    /// Σ wᵢ·scoreᵢ / Σ wᵢ in declaration order; unwritten weights are 1, and
    /// written weights must be all or none, non-negative, summing to 100%.
    func weightedMean(_ items: [(ExactDecimal?, ExactDecimal, Span)], of what: @autoclosure () -> String, _ span: Span) throws(EvaluationError) -> ExactDecimal {
        let written = items.filter { $0.0 != nil }.count
        if written != 0 && written != items.count {
            throw EvaluationError("weights are written for some of \(what()) but not all", span: span, subject: subject)
        }
        var sumW = ExactDecimal.zero, sumWS = ExactDecimal.zero
        for (w, score, itemSpan) in items {
            let weight = w ?? .one
            if weight.isNegative {
                throw EvaluationError("a weight of \(what()) is negative (\(weight))", span: itemSpan, subject: subject)
            }
            sumW = try decimal(itemSpan) { () throws(ArithmeticError) in try sumW.adding(weight) }
            sumWS = try decimal(itemSpan) { () throws(ArithmeticError) in try sumWS.adding(try weight.multiplied(by: score)) }
        }
        if written > 0 && sumW != .one {
            let percent = (try? sumW.multiplied(by: ExactDecimal(100)))?.description ?? sumW.description
            throw EvaluationError("the weights of \(what()) sum to \(percent)%, not 100%", span: span, subject: subject)
        }
        if sumW.isZero {
            throw EvaluationError("the weights of \(what()) sum to zero", span: span, subject: subject)
        }
        return try decimal(span) { () throws(ArithmeticError) in try sumWS.divided(by: sumW) }
    }

    /// progress = (actual − baseline) / (target − baseline);
    /// score = clamp(progress, floor, cap), floor 0 and cap 100% by default.
    func evaluateKeyResult(_ kr: KeyResultCode, objective: ObjectiveCode, _ s: SubjectRef) throws(EvaluationError) -> Record {
        // Only built when a message needs it: this runs for every subject.
        func name() -> String { "key result `\(objective.id).\(kr.id)`" }
        var actual = Value.none, baseline = Value.none, target = Value.none, progress = Value.none
        var score: ExactDecimal
        var weight: Value = .number(.one)
        if let code = kr.weight { weight = .number(try number(try run(code, for: s), code, "a key result's weight")) }
        if let done = kr.done {
            let v = try run(done, for: s)
            guard case .bool(let b) = v else {
                if v.isNone { throw noneError(done.node) }
                throw EvaluationError("`done` of \(name()) must be true or false, not \(v.typeName)", span: done.node.span, subject: s)
            }
            score = b ? .one : .zero
            progress = .number(score)
        } else {
            var p: ExactDecimal?
            var undefinedProgress = false
            if let a = kr.actual, let b = kr.baseline, let t = kr.target {
                actual = try run(a, for: s)
                baseline = try run(b, for: s)
                target = try run(t, for: s)
                for (v, code) in [(actual, a), (baseline, b), (target, t)] where v.isNone { throw noneError(code.node) }
                do {
                    let span = kr.span
                    let num = try Operators.subtract(actual, baseline)
                    let den = try Operators.subtract(target, baseline)
                    var undefined = false
                    if case .number(let d) = den, d.isZero { undefined = true }
                    if case .money(let m) = den, m.amount.isZero { undefined = true }
                    // With a `score:` override, baseline == target is allowed
                    // (LANGUAGE.md §6): progress is then none, an error only
                    // if the score reads it.
                    if undefined, kr.score == nil { throw baselineEqualsTarget(name(), kr, s) }
                    undefinedProgress = undefined
                    if !undefined {
                        let q = try Operators.divide(num, den)
                        guard case .number(let value) = q else {
                            throw EvaluationError("the progress of \(name()) must be a number, not \(q.typeName)", span: span, subject: s)
                        }
                        p = value
                    }
                } catch let e as OperationError {
                    throw EvaluationError("\(name()): \(e.message)", span: kr.span, subject: s)
                } catch let e as EvaluationError {
                    throw e
                } catch {
                    throw EvaluationError("\(name()): \(error)", span: kr.span, subject: s)
                }
                progress = p.map { .number($0) } ?? .none
            }
            if let code = kr.score {
                do {
                    score = try number(try run(code, for: s, binding: progress), code, "the score of \(name())")
                } catch {
                    var e = error
                    if undefinedProgress, e.context == nil { e.context = "\(name()) has baseline equal to target, so `progress` is none" }
                    throw e
                }
                if let c = kr.floor { score = Swift.max(score, try number(try run(c, for: s), c, "`floor`")) }
                if let c = kr.cap { score = Swift.min(score, try number(try run(c, for: s), c, "`cap`")) }
            } else {
                let floor = try kr.floor.map { c throws(EvaluationError) in try number(try run(c, for: s), c, "`floor`") } ?? .zero
                let cap = try kr.cap.map { c throws(EvaluationError) in try number(try run(c, for: s), c, "`cap`") } ?? .one
                score = Swift.min(Swift.max(p ?? .zero, floor), cap)
            }
        }
        return Record(schema: Schemas.keyResult,
                      values: [.string(kr.id), kr.title.map { .string($0) } ?? .none, weight, actual, baseline, target,
                               progress, .number(score)])
    }

    private func baselineEqualsTarget(_ name: String, _ kr: KeyResultCode, _ s: SubjectRef) -> EvaluationError {
        EvaluationError("\(name) has baseline equal to target, so its progress is undefined (division by zero)",
                        span: kr.span, subject: s)
    }

    /// The objectives that apply to `s`, with their records, in declaration order.
    func applicableObjectives(_ s: SubjectRef) throws(EvaluationError) -> [(ObjectiveCode, Value)] {
        // On the scoring path: no Result per objective (see objectiveResults).
        var result: [(ObjectiveCode, Value)] = []
        for o in program.scope(s.scope).objectives {
            if let b = o.block, !(try blockApplies(s, b)) { continue }
            let v = try value(s, o.slot)
            if case .record = v { result.append((o, v)) }
        }
        return result
    }

    /// Each objective that applies to `s`, with its record or why it
    /// failed (one failing objective does not hide the others: `:show`).
    /// Throws only when deciding whether one applies fails.
    func objectiveResults(_ s: SubjectRef) throws(EvaluationError) -> [(ObjectiveCode, Result<Value, EvaluationError>)] {
        var result: [(ObjectiveCode, Result<Value, EvaluationError>)] = []
        for o in program.scope(s.scope).objectives {
            if let b = o.block, !(try blockApplies(s, b)) { continue }
            result.append((o, Result { () throws(EvaluationError) in try value(s, o.slot) }))
        }
        return result
    }

    /// A subject's score: the weighted mean of its objectives (LANGUAGE.md §6).
    func score(_ s: SubjectRef) throws(EvaluationError) -> Value {
        let objectives = try applicableObjectives(s)
        guard let first = objectives.first else {
            // Located at the scope's objectives, none of which apply to `s`.
            throw EvaluationError("no objectives apply, so there is no score",
                                  span: program.scope(s.scope).objectives.first?.span, subject: s)
        }
        var items: [(ExactDecimal?, ExactDecimal, Span)] = []
        for (o, v) in objectives {
            guard case .record(let r) = v, case .number(let w) = r.values[2], case .number(let score) = r.values[3] else { continue }
            items.append((o.weight == nil ? nil : w, score, o.span))
        }
        let savedSubject = subject
        subject = s
        defer { subject = savedSubject }
        return .number(try weightedMean(items, of: "the objectives", first.0.span))
    }

    /// The objective records aligned to objective `o` of subject `s`: its
    /// direct children (LANGUAGE.md §6).
    func aligned(_ s: SubjectRef, _ scope: ScopeKind, _ o: Int) throws(EvaluationError) -> Value {
        let objective = program.scope(scope).objectives[o]
        var result: [Value] = []
        for child in objective.children {
            let code = program.scope(child.scope).objectives[child.objective]
            for c in try childSubjects(of: s, childScope: child.scope, via: code.alignedTo ?? "") {
                let v = try value(c, code.slot)
                if case .record = v { result.append(v) }
            }
        }
        return .list(result)
    }

    /// Subjects whose `aligns to` target resolves to `s`.
    private func childSubjects(of s: SubjectRef, childScope: ScopeKind, via: String) throws(EvaluationError) -> [SubjectRef] {
        switch (s.scope, childScope) {
        case (.company, .team): return (0..<data.counts[1]).map { SubjectRef(.team, $0) }
        case (.company, .person): return (0..<data.counts[2]).map { SubjectRef(.person, $0) }
        case (.team, .person):
            guard case .list(let members) = data.teamMembers[Int(s.index)] else { return [] }
            return members.compactMap { if case .subject(let p) = $0 { return p } else { return nil } }
        case (.team, .team):
            guard case .list(let subs) = data.teamSubteams[Int(s.index)] else { return [] }
            return subs.compactMap { if case .subject(let t) = $0 { return t } else { return nil } }
        default: return []
        }
    }
}
