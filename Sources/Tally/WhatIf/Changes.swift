/// One result that differs between two evaluations (`:diff` in the REPL).
public struct Change: Sendable {
    public let scope: ScopeKind
    /// The person or team id, or `"company"`.
    public let subject: String
    public let name: String
    public let before: Value?
    public let after: Value?
    /// after − before, for numbers and money of one currency.
    public let delta: Value?
}

extension Session {
    /// Every named value that differs between `baseline` and this session
    /// (same plan, different inputs), for subjects in both, in dataset and
    /// declaration order. Values that failed are compared as `nil`. Objective
    /// records and the `objectives` lists are left out (their scores appear
    /// through `score` and their key results through the inputs).
    public func changes(from baseline: Session) -> [Change] {
        let a = baseline.evaluation, b = evaluation
        var out: [Change] = []
        // Against the dataset as loaded, the overrides since then say what may
        // have moved (the dependency graph's reach); anything else is equal by
        // construction, so only those slots are compared.
        let known = baseline.dataset.changed.isEmpty && baseline.dataset.root === dataset.root
        var candidates: [ScopeKind: Set<Int>] = [:]
        if known {
            for node in Evaluation.staleness(b.program, dataset.changed).keys {
                guard case .slot(let kind, let slot) = node else { continue }
                candidates[kind, default: []].insert(slot)
            }
            for (subject, slot) in dataset.changed { candidates[subject.scope, default: []].insert(slot) }
        }
        for kind in ScopeKind.allCases {
            let scope = b.program.scope(kind)
            let si = BoundData.index(kind)
            let slots = known ? (candidates[kind] ?? []).sorted() : Array(scope.descriptions.indices)
            if slots.isEmpty { continue }
            for i in 0..<b.data.counts[si] {
                let s = SubjectRef(kind, i)
                for slot in slots {
                    let d = scope.descriptions[slot]
                    if d.kind == .objective || d.kind == .objectives { continue }
                    let before = try? a.value(s, slot)
                    let after = try? b.value(s, slot)
                    if before == after { continue }
                    var delta: Value?
                    if let x = before, let y = after { delta = try? Operators.subtract(y, x) }
                    out.append(Change(scope: kind, subject: kind == .company ? "company" : b.data.id(of: s),
                                      name: d.name, before: before.map(b.exported), after: after.map(b.exported), delta: delta))
                }
            }
        }
        return out
    }
}
