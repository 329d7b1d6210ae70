/// Evaluating for the façade (Tally.swift): whole plans and single
/// expressions, with what-if overrides and typed errors.
enum Evaluating {
    enum Expression {
        case text(String)
        case compiled(CompiledExpression)
    }

    static func overridden(_ dataset: Dataset, _ overrides: [Override], plan: CompiledPlan) throws(TallyError) -> Dataset {
        guard dataset.data.program === plan.program else {
            throw TallyError(.data, diagnostics: [Diagnostic(.error, phase: .data,
                message: "the dataset was loaded for another plan: load it with this plan's dataset(...)")])
        }
        if overrides.isEmpty { return dataset }
        let (data, problems) = dataset.overriding(overrides)
        guard let data else { throw TallyError(.data, diagnostics: problems) }
        return data
    }

    static func all(_ plan: CompiledPlan, _ dataset: Dataset, overrides: [Override],
                    options: EvaluationOptions) throws(TallyError) -> EvaluationResult {
        let data = try overridden(dataset, overrides, plan: plan)
        let evaluation = Evaluation(data: data.data, options: options)
        let result = evaluation.evaluateAll()
        if let stopped = evaluation.stopped {
            throw TallyError(stopped.kind == .cancelled ? .cancelled : .limit,
                             diagnostics: [evaluation.diagnostic(stopped)] + result.diagnostics)
        }
        return result
    }

    /// The value (subjects exported as ids) and its canonical text as
    /// `tally eval --print` prints it.
    static func expression(_ expression: Expression, _ plan: CompiledPlan, _ dataset: Dataset,
                           overrides: [Override], options: EvaluationOptions) throws(TallyError) -> (value: Value, text: String) {
        let compiled: CompiledExpression
        switch expression {
        case .compiled(let e): compiled = e
        case .text(let text):
            let c = plan.expression(text)
            guard let e = c.expression else { throw TallyError(.compile, diagnostics: c.diagnostics) }
            compiled = e
        }
        let session = Session(plan: plan, dataset: try overridden(dataset, overrides, plan: plan), options: options)
        do {
            let value = try session.evaluate(compiled)
            return (session.exported(value), session.render(value))
        } catch {
            throw TallyError(error)
        }
    }
}

/// The bodies of `Session`'s throwing methods.
enum SessionSupport {
    static func evaluate(_ expression: CompiledExpression, in session: Session) throws(EvaluationFailure) -> Value {
        let evaluation = session.evaluation
        // Slots are numbered per plan: code of another plan would read the wrong ones.
        guard expression.program.scopes[0] === evaluation.program.scopes[0],
              session.dataset.data.program === session.plan.program else {
            throw EvaluationFailure(kind: .evaluation, diagnostic: Diagnostic(.error, phase: .evaluation,
                message: "the expression `\(expression.text)` was compiled against another plan than the session's dataset"))
        }
        evaluation.query = expression.program
        defer { evaluation.query = nil }
        do {
            return try evaluation.run(expression.code, for: .company)
        } catch {
            throw failure(error, evaluation)
        }
    }

    static func checkConstraints(in session: Session) -> (violations: [Violation], failures: [EvaluationFailure]) {
        do throws(EvaluationFailure) {
            _ = try violations(in: session)
        } catch {
            // Group the failures as a whole evaluation does.
            let evaluation = session.evaluation
            var groups: [(EvaluationError, [SubjectRef])] = []
            for e in evaluation.constraintCheck?.errors ?? [] {
                if let i = groups.firstIndex(where: { $0.0.message == e.message && $0.0.span == e.span && $0.0.context == e.context }) {
                    if let s = e.subject { groups[i].1.append(s) }
                } else {
                    groups.append((e, e.subject.map { [$0] } ?? []))
                }
            }
            if groups.isEmpty { return ([], [error]) }
            return ([], groups.map { g in
                EvaluationFailure(kind: g.0.kind == .limit ? .limit : g.0.kind == .cancelled ? .cancelled : .evaluation,
                                  diagnostic: evaluation.diagnostic(g.0, subjects: g.1))
            })
        }
        return ((try? violations(in: session)) ?? [], [])
    }

    static func violations(in session: Session) throws(EvaluationFailure) -> [Violation] {
        guard session.dataset.data.program === session.plan.program else {
            throw EvaluationFailure(kind: .evaluation, diagnostic: Diagnostic(.error, phase: .evaluation,
                message: "the session's dataset was loaded for another plan than the session's plan"))
        }
        do {
            return try session.evaluation.violations().compactMap { v in
                guard case .record(let r) = v, case .string(let c) = r.values[0], case .string(let s) = r.values[1],
                      case .string(let sev) = r.values[2], case .string(let m) = r.values[3] else { return nil }
                return Violation(constraint: c, subject: s, severity: Severity(rawValue: sev) ?? .error, message: m)
            }
        } catch {
            throw failure(error, session.evaluation)
        }
    }

    static func failure(_ e: EvaluationError, _ evaluation: Evaluation) -> EvaluationFailure {
        let kind: EvaluationFailure.Kind = switch e.kind {
        case .evaluation: .evaluation
        case .limit: .limit
        case .cancelled: .cancelled
        }
        return EvaluationFailure(kind: kind, diagnostic: evaluation.diagnostic(e))
    }
}
