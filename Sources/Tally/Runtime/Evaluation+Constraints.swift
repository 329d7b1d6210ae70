// Constraints (LANGUAGE.md §9): checked for every subject of their scope;
// a violation is a record, never a failure.

extension Evaluation {
    /// All violations, in constraint declaration order then subject order;
    /// the first failure to evaluate a constraint is thrown.
    func violations() throws(EvaluationError) -> [Value] {
        let (found, errors) = checkedConstraints()
        if let first = errors.first { throw first }
        return found
    }

    /// Every violation and every failure, for every constraint and subject:
    /// a failing constraint does not hide the next subject's failure.
    func checkedConstraints() -> (violations: [Value], errors: [EvaluationError]) {
        if let cached = constraintCheck { return cached }
        var out: [Value] = []
        var errors: [EvaluationError] = []
        for c in program.constraints {
            let si = BoundData.index(c.scope)
            for i in 0..<data.counts[si] {
                let s = SubjectRef(c.scope, i)
                do {
                    if let v = try violation(c, s) { out.append(.record(v)) }
                } catch {
                    var e = error
                    if e.kind == .evaluation {
                        e.context = "in constraint \"\(c.title)\"" + (e.context.map { ", \($0)" } ?? "")
                    }
                    errors.append(e)
                    // A limit or cancellation stops everything (and is not cached).
                    if e.kind != .evaluation { return (out, errors) }
                }
            }
        }
        constraintCheck = (out, errors)
        return (out, errors)
    }

    /// The violation record of constraint `c` for `s`, or nil when it holds
    /// or does not apply.
    func violation(_ c: ConstraintCode, _ s: SubjectRef) throws(EvaluationError) -> Record? {
        for cond in c.conditions {
            let v = try run(cond, for: s)
            guard case .bool(let ok) = v else {
                if v.isNone { throw noneError(cond.node) }
                throw EvaluationError("a constraint's condition must be true or false, not \(v.typeName)", span: cond.node.span, subject: s)
            }
            if !ok { return nil }
        }
        let v = try run(c.rule, for: s)
        guard case .bool(let ok) = v else {
            if v.isNone {
                let savedSubject = subject
                subject = s
                defer { subject = savedSubject }
                throw noneError(c.rule.node)
            }
            throw EvaluationError("constraint \"\(c.title)\" must be true or false, not \(v.typeName)", span: c.rule.node.span, subject: s)
        }
        if ok { return nil }
        var message = "\(c.ruleText) is false"
        let sides = try c.sides.map { side throws(EvaluationError) in
            "\(side.text) = \(CanonicalText.render(try run(side.code, for: s), quoted: true, subjectID: subjectID))"
        }
        if !sides.isEmpty { message += ": " + sides.joined(separator: ", ") }
        let subjectName: Value = .string(s.scope == .company ? "company" : data.id(of: s))
        return Record(schema: Schemas.violation,
                      values: [.string(c.title), subjectName, .string(c.severity.rawValue), .string(message)])
    }
}
