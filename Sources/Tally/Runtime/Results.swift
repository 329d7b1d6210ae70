/// The results of evaluating a whole plan: every named value of the company,
/// every team and every person, in declaration order; the violations; and
/// the diagnostics (evaluation errors and warnings).
public struct EvaluationResult: Sendable {
    public let plan: PlanInfo
    /// Slot names, kinds and titles per scope, in declaration order.
    public let slots: [ScopeKind: [SlotDescription]]
    public let company: SubjectResult
    public let teams: [SubjectResult]
    public let people: [SubjectResult]
    public let violations: [Violation]
    /// Evaluation errors (each once) and warnings.
    public let diagnostics: [Diagnostic]

    public var hasErrors: Bool { diagnostics.contains { $0.isError } }

    /// The result of evaluating a plan against a dataset loaded for another
    /// plan: nothing, and one error saying so.
    static func foreignDataset(_ program: Program) -> EvaluationResult {
        var slots: [ScopeKind: [SlotDescription]] = [:]
        for kind in ScopeKind.allCases { slots[kind] = program.scope(kind).descriptions }
        return EvaluationResult(
            plan: program.header, slots: slots,
            company: SubjectResult(scope: .company, id: "company", name: nil, team: nil, names: [], values: []),
            teams: [], people: [], violations: [],
            diagnostics: [Diagnostic(.error, phase: .data,
                message: "the dataset was loaded for another plan: load it with this plan's dataset(...)")])
    }

    /// The result of the person with this id.
    public func person(_ id: String) -> SubjectResult? { people.first { $0.id == id } }
    public func team(_ id: String) -> SubjectResult? { teams.first { $0.id == id } }
}

/// One subject's values. A value is `nil` where evaluating it failed.
public struct SubjectResult: Sendable {
    public let scope: ScopeKind
    public let id: String
    public let name: String?
    /// A person's team id.
    public let team: String?
    public let names: [String]
    public let values: [Value?]

    public subscript(_ name: String) -> Value? {
        guard let i = names.firstIndex(of: name) else { return nil }
        return values[i]
    }
}

/// A violated constraint (LANGUAGE.md §9).
public struct Violation: Sendable, Hashable, Codable {
    public let constraint: String
    /// The person or team id, or `"company"`.
    public let subject: String
    public let severity: Severity
    public let message: String
}

extension Evaluation {
    /// Evaluates every slot of every subject and every constraint, collecting
    /// each distinct error once instead of stopping at the first.
    func evaluateAll() -> EvaluationResult {
        // One diagnostic per distinct failure; the subjects that share it are
        // listed together rather than repeating the message for each.
        var errors: [(error: EvaluationError, subjects: [SubjectRef])] = []
        var index: [String: Int] = [:]
        func note(_ e: EvaluationError) {
            let key = "\(e.message)|\(e.span.map { "\($0.file):\($0.start)" } ?? "")|\(e.context ?? "")|\(e.subject?.scope.rawValue ?? "")"
            if let i = index[key] {
                if let s = e.subject, !errors[i].subjects.contains(s) { errors[i].subjects.append(s) }
            } else {
                index[key] = errors.count
                errors.append((e, e.subject.map { [$0] } ?? []))
            }
        }
        var results: [[SubjectResult]] = [[], [], []]
        for kind in ScopeKind.allCases {
            let scope = program.scope(kind)
            let si = BoundData.index(kind)
            let names = scope.descriptions.map(\.name)
            for i in 0..<data.counts[si] {
                let s = SubjectRef(kind, i)
                var values: [Value?] = []
                values.reserveCapacity(names.count)
                for slot in 0..<names.count {
                    do { values.append(exported(try value(s, slot))) } catch {
                        // A subject no objective applies to has no score:
                        // absent in the results, not a failure of the whole
                        // evaluation (reading it in a rule is still an error).
                        if scope.descriptions[slot].kind == .score, (try? applicableObjectives(s).isEmpty) == true {
                            values.append(Value.none)
                            continue
                        }
                        note(error)
                        values.append(nil)
                    }
                }
                let team: String? = kind == .person && data.personTeam[i] >= 0 ? data.ids[1][Int(data.personTeam[i])] : nil
                results[si].append(SubjectResult(scope: kind, id: data.ids[si][i], name: data.names[si][i], team: team,
                                                 names: names, values: values))
            }
        }
        var violations: [Violation] = []
        let (found, failures) = checkedConstraints()
        for e in failures { note(e) }
        if failures.isEmpty {
            for v in found {
                guard case .record(let r) = v, case .string(let c) = r.values[0], case .string(let s) = r.values[1],
                      case .string(let sev) = r.values[2], case .string(let m) = r.values[3] else { continue }
                violations.append(Violation(constraint: c, subject: s, severity: Severity(rawValue: sev) ?? .error, message: m))
            }
        }
        var slots: [ScopeKind: [SlotDescription]] = [:]
        for kind in ScopeKind.allCases { slots[kind] = program.scope(kind).descriptions }
        return EvaluationResult(plan: program.header, slots: slots, company: results[0][0], teams: results[1],
                                people: results[2], violations: violations,
                                diagnostics: errors.map { diagnostic($0.error, subjects: $0.subjects) } + warnings)
    }

    /// A value with subjects replaced by their ids, so it stands alone.
    func exported(_ v: Value) -> Value {
        switch v {
        case .subject(let s): return .string(data.id(of: s))
        case .list(let items):
            guard items.contains(where: { if case .subject = $0 { return true }; if case .list = $0 { return true }; return false }) else { return v }
            return .list(items.map(exported))
        default: return v
        }
    }

    /// An evaluation error as a diagnostic naming the subject, or the first
    /// subjects of several that fail the same way.
    func diagnostic(_ e: EvaluationError, subjects: [SubjectRef]? = nil) -> Diagnostic {
        var message = e.message
        let all = subjects ?? e.subject.map { [$0] } ?? []
        if let first = all.first {
            var who = data.describe(first)
            if all.count > 1 {
                let shown = all.dropFirst().prefix(5).map { data.id(of: $0) }.joined(separator: ", ")
                let more = all.count > 6 ? ", …" : ""
                let plural = first.scope == .person ? "people" : "teams"
                who += " and \(all.count - 1) more \(all.count == 2 ? first.scope.rawValue : plural) (\(shown)\(more))"
            }
            message = "\(who): \(message)"
        }
        if let context = e.context { message += " (\(context))" }
        return (query ?? program).diagnostic(.error, .evaluation, e.span, message)
    }
}
