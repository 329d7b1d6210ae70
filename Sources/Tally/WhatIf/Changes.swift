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
        for kind in ScopeKind.allCases {
            let scope = b.program.scope(kind)
            let si = BoundData.index(kind)
            for i in 0..<b.data.counts[si] {
                let s = SubjectRef(kind, i)
                for (slot, d) in scope.descriptions.enumerated() where d.kind != .objective && d.kind != .objectives {
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
