// `:diff`: every result that differs from the baseline, largest change
// first, with the changed payout totals.

/// The sum over all subjects of one incentive or pool part.
public struct PayoutTotal: Sendable, Equatable {
    public let scope: ScopeKind
    public let name: String
    public let title: String?
    /// The sum of the values that did not fail.
    public let total: Money
    /// How many subjects' values failed (then there is no true total).
    public let failed: Int

    public init(scope: ScopeKind, name: String, title: String?, total: Money, failed: Int = 0) {
        self.scope = scope
        self.name = name
        self.title = title
        self.total = total
        self.failed = failed
    }
}

/// A total that changed: before, after, after − before. `before` and
/// `after` sum the values that did not fail; when some failed on a side
/// (`failedBefore`, `failedAfter`), that side has no true total and is
/// shown as `error`.
public struct TotalChange: Sendable, Equatable {
    public let scope: ScopeKind
    public let name: String
    public let title: String?
    public let before: Money
    public let after: Money
    public let delta: Money
    public let failedBefore: Int
    public let failedAfter: Int
}

/// The changes between a baseline and a what-if session, ready to print.
public struct ChangeReport: Sendable {
    /// One changed value, with the labels to show it.
    public struct Row: Sendable {
        public let change: Change
        /// The subject's display name (a person's or team's `name`).
        public let subjectName: String?
        /// The value's title in the plan (`"季度奖金"`).
        public let title: String?
    }

    /// Changed values, largest absolute delta first (see `ordered`).
    public let rows: [Row]
    /// Changed payout totals, in declaration order.
    public let totals: [TotalChange]

    public init(rows: [Row], totals: [TotalChange]) {
        self.rows = rows
        self.totals = totals
    }

    /// The order of `:diff`: money changes by absolute delta, largest first;
    /// then number changes by absolute delta; then changes without a delta
    /// (text, dates, true/false, values that failed). Ties keep dataset
    /// order, then declaration order.
    public static func ordered(_ changes: [Change]) -> [Change] {
        func key(_ c: Change) -> (Int, ExactDecimal) {
            switch c.delta {
            case .money(let m)?: return (0, m.amount.magnitude)
            case .number(let n)?: return (1, n.magnitude)
            default: return (2, .zero)
            }
        }
        let keyed = changes.enumerated().map { (offset: $0.offset, change: $0.element, key: key($0.element)) }
        return keyed.sorted { a, b in
            if a.key.0 != b.key.0 { return a.key.0 < b.key.0 }
            if a.key.1 != b.key.1 { return b.key.1 < a.key.1 }
            return a.offset < b.offset
        }.map(\.change)
    }

    /// Changed totals: `after` is `before` plus the deltas of the changed
    /// values of each incentive and pool part; a value that fails on one
    /// side counts as a failure there (not as zero).
    public static func totals(_ changes: [Change], baseline: [PayoutTotal]) -> [TotalChange] {
        var out: [TotalChange] = []
        for t in baseline {
            var after = t.total
            var changed = false
            var failedAfter = t.failed
            for c in changes where c.scope == t.scope && c.name == t.name {
                changed = true
                if c.before == nil { failedAfter -= 1 }
                if c.after == nil { failedAfter += 1 }
                let b: ExactDecimal, a: ExactDecimal
                if case .money(let m)? = c.before, m.currency == t.total.currency { b = m.amount } else { b = .zero }
                if case .money(let m)? = c.after, m.currency == t.total.currency { a = m.amount } else { a = .zero }
                if let d = try? a.subtracting(b), let sum = try? after.amount.adding(d) { after = Money(sum, after.currency) }
            }
            guard changed else { continue }
            let delta = (try? after.amount.subtracting(t.total.amount)) ?? .zero
            out.append(TotalChange(scope: t.scope, name: t.name, title: t.title, before: t.total, after: after,
                                   delta: Money(delta, t.total.currency), failedBefore: t.failed,
                                   failedAfter: max(0, failedAfter)))
        }
        return out
    }

    /// A delta with its sign: `+1200.00 CNY`, `-0.05`.
    public static func signed(_ v: Value) -> String {
        let text = CanonicalText.render(v)
        switch v {
        case .number(let n) where !n.isNegative && !n.isZero: return "+" + text
        case .money(let m) where !m.amount.isNegative && !m.amount.isZero: return "+" + text
        default: return text
        }
    }

    /// The report as aligned tables. At most `limit` rows are listed (nil:
    /// all); the rest are counted.
    public func rendered(limit: Int? = nil) -> String {
        if rows.isEmpty { return "no result differs from the baseline\n" }
        let shown = limit.map { Array(rows.prefix($0)) } ?? rows
        var table: [[String]] = []
        for r in shown {
            let c = r.change
            let subject = c.scope == .company ? "company" : [c.subject, r.subjectName ?? ""].filter { !$0.isEmpty }.joined(separator: " ")
            let name = [c.name, r.title ?? ""].filter { !$0.isEmpty }.joined(separator: " ")
            table.append([subject, name, c.before.map { CellText.summary($0) } ?? "error",
                          c.after.map { CellText.summary($0) } ?? "error", c.delta.map { CellText.cut(Self.signed($0)) } ?? ""])
        }
        var out = TextTable.render(headers: ["subject", "name", "before", "after", "delta"], rows: table,
                                   rightAligned: { $0 >= 2 })
        if shown.count < rows.count {
            out += "… and \(rows.count - shown.count) more changes (`:diff all` lists every one)\n"
        }
        let noun = rows.count == 1 ? "result" : "results"
        out += "\(rows.count) \(noun) changed\n"
        if !totals.isEmpty {
            out += "\n"
            func side(_ m: Money, _ failed: Int) -> String { failed > 0 ? "error (\(failed) failed)" : m.description }
            let totalRows = totals.map { t in
                [[t.name, t.title ?? ""].filter { !$0.isEmpty }.joined(separator: " ") + (t.scope == .person ? "" : " (\(t.scope.rawValue)s)"),
                 CellText.cut(side(t.before, t.failedBefore)), CellText.cut(side(t.after, t.failedAfter)),
                 t.failedBefore + t.failedAfter > 0 ? "" : CellText.cut(Self.signed(.money(t.delta)))]
            }
            out += TextTable.render(headers: ["total", "before", "after", "delta"], rows: totalRows, rightAligned: { $0 >= 1 })
        }
        return out
    }
}

extension Session {
    /// Evaluates every named value of every subject (failures are kept as
    /// failures); false when the evaluation was cancelled.
    func evaluateEverySlot() -> Bool {
        let data = dataset.data
        for kind in ScopeKind.allCases {
            let slots = data.program.scope(kind).slots.count
            for i in 0..<data.counts[BoundData.index(kind)] {
                let s = SubjectRef(kind, i)
                for slot in 0..<slots {
                    do { _ = try evaluation.value(s, slot) } catch {
                        if error.kind == .cancelled { return false }
                    }
                }
            }
        }
        return true
    }

    /// Evaluates, for every subject, each named value that a change of the
    /// `changed` inputs can reach (the dependency graph decides), and nothing
    /// else: what a what-if session made from this one copies, and what
    /// `:diff` compares. False when the evaluation was cancelled.
    func evaluateReach(of changed: [(SubjectRef, Int)]) -> Bool {
        let data = dataset.data
        var slots: [(kind: ScopeKind, slot: Int)] = []
        for node in Evaluation.staleness(data.program, changed).keys {
            if case .slot(let kind, let slot) = node { slots.append((kind, slot)) }
        }
        slots.sort { (BoundData.index($0.kind), $0.slot) < (BoundData.index($1.kind), $1.slot) }
        for (kind, slot) in slots {
            for i in 0..<data.counts[BoundData.index(kind)] {
                do { _ = try evaluation.value(SubjectRef(kind, i), slot) } catch {
                    if error.kind == .cancelled { return false }
                }
            }
        }
        return !evaluation.isCancelled
    }

    /// The totals over all subjects of every incentive and pool part, in
    /// scope then declaration order (evaluates them all; memoised).
    public func payoutTotals() -> [PayoutTotal] {
        let data = dataset.data
        var out: [PayoutTotal] = []
        for kind in [ScopeKind.person, .team, .company] {
            let scope = data.program.scope(kind)
            let si = BoundData.index(kind)
            for (slot, d) in scope.descriptions.enumerated() where d.kind == .incentive || d.kind == .poolShare {
                var total = Money(.zero, data.program.header.currency)
                var first = true
                var failed = 0
                for i in 0..<data.counts[si] {
                    let v: Value
                    do { v = try evaluation.value(SubjectRef(kind, i), slot) } catch {
                        failed += 1
                        continue
                    }
                    guard case .money(let m) = v else { continue }
                    if first { total = Money(total.amount, m.currency); first = false }
                    guard m.currency == total.currency, let sum = try? total.amount.adding(m.amount) else { continue }
                    total = Money(sum, total.currency)
                }
                out.append(PayoutTotal(scope: kind, name: d.name, title: d.title, total: total, failed: failed))
            }
        }
        return out
    }

    /// The changes from `baseline` as a `:diff` report; `baselineTotals` are
    /// `baseline.payoutTotals()` (passed in so a caller can keep them).
    public func changeReport(from baseline: Session, baselineTotals: [PayoutTotal]? = nil) -> ChangeReport {
        let changes = self.changes(from: baseline)
        let data = dataset.data
        let rows = ChangeReport.ordered(changes).map { c -> ChangeReport.Row in
            let scope = data.program.scope(c.scope)
            let title = scope.slotIndex[c.name].flatMap { scope.descriptions[$0].title }
            var name: String?
            switch c.scope {
            case .person: name = data.personIndex[c.subject].flatMap { data.names[2][$0] }
            case .team: name = data.teamIndex[c.subject].flatMap { data.names[1][$0] }
            case .company: name = nil
            }
            return ChangeReport.Row(change: c, subjectName: name, title: title)
        }
        let totals = changes.isEmpty ? [] : ChangeReport.totals(changes, baseline: baselineTotals ?? baseline.payoutTotals())
        return ChangeReport(rows: rows, totals: totals)
    }
}
