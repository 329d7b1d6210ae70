// `:show ID`: one person, team or the company at a glance — inputs,
// objectives with their key results, score, text labels (a rating), other
// values and payouts, each with the title written in the plan.

extension Session {
    /// Which subject `id` names: a person id, a team id, or `company`. A
    /// person and a team with the same id: the person (write `team ID` for
    /// the team).
    public func subject(named id: String) -> (scope: ScopeKind, id: String)? {
        let data = dataset.data
        let text = id.interactiveTrimmed
        if text == "company" { return (.company, "company") }
        for prefix in ["person ", "team "] where text.hasPrefix(prefix) {
            let rest = String(text.dropFirst(prefix.count)).interactiveTrimmed
            let key = Self.unquoted(rest)
            if prefix == "person ", data.personIndex[key] != nil { return (.person, key) }
            if prefix == "team ", data.teamIndex[key] != nil { return (.team, key) }
            return nil
        }
        let key = Self.unquoted(text)
        if data.personIndex[key] != nil { return (.person, key) }
        if data.teamIndex[key] != nil { return (.team, key) }
        return nil
    }

    private static func unquoted(_ s: String) -> String {
        s.count >= 2 && s.hasPrefix("\"") && s.hasSuffix("\"") ? String(s.dropFirst().dropLast()) : s
    }

    /// A suggestion for an id that names no subject ("did you mean ...").
    public func suggestion(forSubject id: String) -> String {
        let data = dataset.data
        let all = data.ids[2] + data.ids[1]
        return all.count <= 100_000 ? Suggestions.hint(for: id, in: all) : ""
    }

    /// The `:show` report of one subject: its text, and a diagnostic for
    /// each value that failed (shown as `error` in the text). Inputs changed
    /// by `overrides` are marked with `*` and show the value in `baseline`.
    public func report(scope kind: ScopeKind, id: String, baseline: Session? = nil,
                       overrides: [Override] = []) -> (text: String, failures: [Diagnostic]) {
        let data = dataset.data
        let index: Int
        let missing = { (what: String) in Diagnostic(.error, phase: .evaluation, message: "no \(what) has id \(CanonicalText.quote(id))") }
        switch kind {
        case .company: index = 0
        case .team: guard let i = data.teamIndex[id] else { return ("", [missing("team")]) }; index = i
        case .person: guard let i = data.personIndex[id] else { return ("", [missing("person")]) }; index = i
        }
        let s = SubjectRef(kind, index)
        let scope = data.program.scope(kind)
        var failures: [EvaluationError] = []
        func value(_ slot: Int) -> Value? {
            do { return try evaluation.value(s, slot) } catch {
                if !failures.contains(where: { $0.message == error.message }) { failures.append(error) }
                return nil
            }
        }
        func text(_ v: Value?, percent: Bool = false) -> String {
            guard let v else { return "error" }
            if case .number(let n) = v, percent, let p = try? n.multiplied(by: ExactDecimal(100)) { return "\(n) (\(p)%)" }
            return cellText(v)
        }
        func indent(_ table: String) -> String {
            table.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : "  " + $0 }.joined(separator: "\n")
        }

        // Heading: who, where, reporting to whom. Ids and names come from
        // the data: control characters are shown as pictures (an ESC would
        // reach the terminal) and long names are cut.
        var out = ""
        let si = BoundData.index(kind)
        func label(_ text: String) -> String { CellText.cut(ControlPictures.replacing(text)) }
        let name = data.names[si][index].map(label)
        let id = label(id)
        switch kind {
        case .company:
            out += "company" + (name.map { " \($0)" } ?? "") + "\n"
        case .person:
            var parts = ["person \(id)" + (name.map { " \($0)" } ?? "")]
            let t = Int(data.personTeam[index])
            if t >= 0 { parts.append("team \(label(data.ids[1][t]))" + (data.names[1][t].map { " \(label($0))" } ?? "")) }
            let m = Int(data.personManager[index])
            if m >= 0 { parts.append("manager \(label(data.ids[2][m]))" + (data.names[2][m].map { " \(label($0))" } ?? "")) }
            out += parts.joined(separator: " · ") + "\n"
        case .team:
            var parts = ["team \(id)" + (name.map { " \($0)" } ?? "")]
            let p = Int(data.teamParent[index])
            if p >= 0 { parts.append("parent \(label(data.ids[1][p]))" + (data.names[1][p].map { " \(label($0))" } ?? "")) }
            if case .list(let members) = data.teamMembers[index] { parts.append("\(members.count) member\(members.count == 1 ? "" : "s")") }
            if case .list(let subteams) = data.teamSubteams[index], !subteams.isEmpty { parts.append("\(subteams.count) subteams") }
            out += parts.joined(separator: " · ") + "\n"
        }

        // Inputs that apply to this subject (conditional ones only where their block holds).
        var inputRows: [[String]] = []
        for input in scope.inputs {
            if let b = input.block, (try? evaluation.blockApplies(s, b)) != true { continue }
            let d = scope.descriptions[input.slot]
            var cell = text(value(input.slot), percent: d.isPercent)
            var mark = ""
            if overrides.contains(where: { $0.scope == kind && ($0.scope == .company || $0.id == id) && $0.field == input.name }) {
                mark = "*"
                if let base = baseline, let was = try? base.evaluation.value(s, input.slot) {
                    cell += "  (was \(text(was, percent: d.isPercent)))"
                }
            }
            inputRows.append([input.name + mark, d.title ?? "", cell])
        }
        if !inputRows.isEmpty {
            out += "\ninputs\n" + indent(TextTable.render(headers: ["name", "title", "value"], rows: inputRows))
            if inputRows.contains(where: { $0[0].hasSuffix("*") }) { out += "  * changed by :set\n" }
        }

        // Objectives and key results. One that fails shows as a row with
        // `error` (its key results are part of its failed record); the
        // others are shown as usual.
        var rows: [[String]] = []
        let objectives: [(ObjectiveCode, Result<Value, EvaluationError>)]
        do { objectives = try evaluation.objectiveResults(s) } catch {
            failures.append(error)
            objectives = []
        }
        for (o, result) in objectives {
            guard case .record(let r)? = try? result.get() else {
                if case .failure(let error) = result, !failures.contains(where: { $0.message == error.message }) { failures.append(error) }
                rows.append([o.id, o.title ?? "", "", "", "", "", "", "error"])
                continue
            }
            rows.append([o.id, o.title ?? "", percentText(r["weight"]), "", "", "", "", text(r["score"])])
            if case .list(let krs)? = r["key_results"] {
                for case .record(let kr) in krs {
                    let id = "  " + (kr["id"].map { text($0) } ?? "")
                    let title = kr["title"].flatMap { $0.isNone ? nil : text($0) } ?? ""
                    rows.append([id, title, percentText(kr["weight"]), optional(kr["actual"]), optional(kr["baseline"]),
                                 optional(kr["target"]), optional(kr["progress"]), text(kr["score"])])
                }
            }
        }
        if !rows.isEmpty {
            out += "\nobjectives\n" + indent(TextTable.render(
                headers: ["objective / key result", "title", "weight", "actual", "baseline", "target", "progress", "score"],
                rows: rows, rightAligned: { $0 >= 2 }))
        }

        // Score and text labels (a rating), then the other values.
        var summary: [[String]] = []
        if let slot = scope.scoreSlot, !objectives.isEmpty { summary.append(["score", "", text(value(slot))]) }
        var others: [[String]] = []
        for (slot, d) in scope.descriptions.enumerated() where d.kind == .value {
            guard let v = value(slot) else { others.append([d.name, d.title ?? "", "error"]); continue }
            if v.isNone { continue }
            if case .string = v { summary.append([d.name, d.title ?? "", text(v)]) } else { others.append([d.name, d.title ?? "", text(v)]) }
        }
        if !summary.isEmpty {
            out += "\n" + TextTable.render(headers: ["result", "title", "value"], rows: summary)
                .split(separator: "\n").dropFirst(2).map { String($0) + "\n" }.joined()
        }
        if !others.isEmpty {
            out += "\nvalues\n" + indent(TextTable.render(headers: ["name", "title", "value"], rows: others, rightAligned: { $0 == 2 }))
        }

        // Payouts: incentives, pool parts, pools paid by this subject.
        var payouts: [[String]] = []
        for (slot, d) in scope.descriptions.enumerated() where d.kind == .incentive || d.kind == .poolShare || d.kind == .pool {
            if d.kind == .pool, let p = poolIndex(kind, slot), let b = data.program.pools[p].block,
               (try? evaluation.blockApplies(s, b)) != true { continue }
            let label = d.kind == .pool ? "\(d.name) (pool total)" : d.name
            payouts.append([label, d.title ?? "", text(value(slot))])
        }
        if !payouts.isEmpty {
            out += "\npayouts\n" + indent(TextTable.render(headers: ["name", "title", "amount"], rows: payouts, rightAligned: { $0 == 2 }))
        }
        return (out, failures.map { evaluation.diagnostic($0) })
    }

    private func poolIndex(_ kind: ScopeKind, _ slot: Int) -> Int? {
        if case .pool(let p) = dataset.data.program.scope(kind).slots[slot] { return p }
        return nil
    }

    private func percentText(_ v: Value?) -> String {
        guard case .number(let n)? = v, let p = try? n.multiplied(by: ExactDecimal(100)) else { return v.map { cellText($0) } ?? "" }
        return CellText.cut("\(p)%")
    }

    private func optional(_ v: Value?) -> String {
        guard let v, !v.isNone else { return "" }
        return cellText(v)
    }
}
