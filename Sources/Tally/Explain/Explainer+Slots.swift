// Named values: lets, inputs, objectives and key results, scores,
// incentives, pools; and the notes that say which table row matched.

extension Explainer {
    func explainSlot(_ s: SubjectRef, _ slot: Int, span: Span) -> Explanation {
        let scope = checked.scope(s.scope)
        let info = scope.slots[slot]
        let v = Result { () throws(EvaluationError) in try evaluation.value(s, slot) }
        let key = SlotKey(subject: s, slot: slot)
        if seen.contains(key) || exhausted || depth >= depthLimit {
            let why = exhausted ? "not expanded: explanation size limit"
                : depth >= depthLimit ? "not expanded: definitions nested more than \(depthLimit) deep"
                : "explained above"
            var r = node(.reference, info.name, value: v, span: info.definitions.first?.span, subject: s, title: info.title,
                         notes: [why])
            if why == "explained above" { r.refersTo = "\(info.name) \(describe(s))" }
            return r
        }
        seen.insert(key)
        depth += 1
        defer { depth -= 1 }
        switch info.kind {
        case .input:
            let note = (try? v.get()) == Value.none ? "input, absent (none)" : "input"
            return node(.input, info.name, value: v, span: info.definitions.first?.span, subject: s, title: info.title, notes: [note])
        case .value:
            guard let def = applicable(info.definitions, s), case .value(let l) = def.item else {
                return node(.value, info.name, value: v, span: info.definitions.first?.span, subject: s, title: info.title,
                            notes: ["no block defining `\(info.name)` applies: none"])
            }
            return node(.value, info.name, value: v, span: l.span, subject: s, title: info.title,
                        children: [explain(l.value, s, [])], formula: .alias)
        case .objective:
            guard let def = applicable(info.definitions, s), case .objective(let o) = def.item else {
                return node(.objective, info.name, value: v, span: info.definitions.first?.span, subject: s, title: info.title,
                            notes: ["this objective does not apply"])
            }
            return explainObjective(s, o, v)
        case .score:
            return explainScore(s, slot, v)
        case .objectives:
            return node(.value, info.name, value: v, span: nil, subject: s, notes: ["the objectives that apply"])
        case .incentive:
            guard let def = applicable(info.definitions, s), case .incentive(let d) = def.item else {
                return node(.incentive, info.name, value: v, span: info.definitions.first?.span, subject: s, title: info.title,
                            notes: ["not applicable to \(describe(s)): zero"])
            }
            return explainIncentive(s, d, info, v)
        case .pool:
            guard case .pool(let p)? = info.definitions.first?.item else { break }
            return explainPoolTotal(s, p, v)
        case .poolShare:
            guard case .poolShare(let p)? = info.definitions.first?.item else { break }
            return explainPoolShare(s, p, info, v)
        }
        return node(.value, info.name, value: v, span: info.definitions.first?.span, subject: s, title: info.title)
    }

    func applicable(_ defs: [SlotDefinition], _ s: SubjectRef) -> SlotDefinition? {
        defs.first { d in
            guard let b = d.block else { return true }
            return (try? evaluation.blockApplies(s, b)) == true
        }
    }

    func decimal(_ v: Value?) -> ExactDecimal? {
        if case .number(let n)? = v { return n }
        return nil
    }

    // MARK: Objectives

    func explainObjective(_ s: SubjectRef, _ o: Int, _ v: Result<Value, EvaluationError>) -> Explanation {
        let info = checked.scope(s.scope).objectives[o]
        guard case .success(.record(let record)) = v, case .list(let krRecords) = record.values[4] else {
            // It failed: show the key results' parts, where the cause is.
            var children: [Explanation] = []
            for kr in info.keyResults {
                for label in ["done", "actual", "baseline", "target", "score"] {
                    guard let f = kr.fields[label] else { continue }
                    var c = explain(f.value, s, label == "score" ? [.none] : [])
                    c.label = "\(info.decl.id.name).\(kr.decl.id.name) \(label): \(c.label)"
                    children.append(c)
                }
            }
            return node(.objective, info.decl.id.name, value: v, span: info.decl.span, subject: s, title: info.decl.title,
                        children: children)
        }
        var children: [Explanation] = []
        var weights: [ExactDecimal?] = []
        var parts: [(ExactDecimal?, Value)] = []
        for (kr, krValue) in zip(info.keyResults, krRecords) {
            guard case .record(let r) = krValue else { continue }
            children.append(explainKeyResult(s, info, kr, r))
            weights.append(kr.decl.weight == nil ? nil : decimal(r.values[2]))
            parts.append((weights.last!, r.values[7]))
        }
        var notes = [meanNote(parts, record.values[3], of: "key results")]
        if let w = info.decl.weight, case .number(let n) = record.values[2] {
            notes.append("weight \(n) (\(text(w.span))) in the subject's score")
        }
        if let to = info.alignedTo { notes.append("aligns to \(to.via).\(info.decl.alignsTo?.objective.name ?? "")") }
        var objective = node(.objective, info.decl.id.name, value: v, span: info.decl.span, subject: s, title: info.decl.title,
                             notes: notes, children: children, formula: .weightedMean(weights: weights))
        objective.text = render(record.values[3])
        return objective
    }

    /// "score = (0.8 × 1.0021 + 0.2 × 0.6) / (0.8 + 0.2) = 0.92168", or the
    /// plain mean when no weights are written.
    func meanNote(_ parts: [(ExactDecimal?, Value)], _ result: Value, of what: String) -> String {
        let written = parts.contains { $0.0 != nil }
        if !written {
            return "score = mean of \(parts.count) \(what): (" + parts.map { render($0.1) }.joined(separator: " + ") + ") / \(parts.count) = \(render(result))"
        }
        let top = parts.map { "\($0.0 ?? .one) × \(render($0.1))" }.joined(separator: " + ")
        let bottom = parts.map { "\($0.0 ?? .one)" }.joined(separator: " + ")
        return "score = (\(top)) / (\(bottom)) = \(render(result))"
    }

    func explainKeyResult(_ s: SubjectRef, _ o: ObjectiveInfo, _ kr: KeyResultInfo, _ r: Record) -> Explanation {
        let f = kr.fields
        var children: [Explanation] = []
        var notes: [String] = []
        let progress = r.values[6], score = r.values[7]
        let name = "\(o.decl.id.name).\(kr.decl.id.name)"
        var floor: ExactDecimal?, cap: ExactDecimal?
        if let c = f["floor"], case .success(.number(let n)) = value(c.value, s, []) { floor = n }
        if let c = f["cap"], case .success(.number(let n)) = value(c.value, s, []) { cap = n }
        if let done = f["done"] {
            var c = explain(done.value, s, [])
            c.label = "done: \(c.label)"
            children.append(c)
            notes.append("binary key result: score \(render(score)) (done: \(children[0].text))")
        } else {
            for label in ["actual", "baseline", "target"] {
                guard let field = f[label] else { continue }
                var c = explain(field.value, s, [])
                c.label = "\(label): \(c.label)"
                children.append(c)
            }
            if children.count == 3 {
                notes.append("progress = (actual − baseline) / (target − baseline) = (\(render(r.values[3])) − \(render(r.values[4]))) / (\(render(r.values[5])) − \(render(r.values[4]))) = \(render(progress))")
            }
            if let sc = f["score"] {
                var c = explain(sc.value, s, [progress])
                c.label = "score: \(c.label)"
                children.append(c)
                let raw = c.value.flatMap { decimal($0) }
                if let raw, let lo = floor, raw < lo {
                    notes.append("score from `score:` is \(raw), below the floor \(lo): raised to \(render(score))")
                } else if let raw, let hi = cap, raw > hi {
                    notes.append("score from `score:` is \(raw), above the cap \(hi): capped at \(render(score))")
                } else {
                    let bounds = [floor.map { "floor \($0)" }, cap.map { "cap \($0)" }].compactMap { $0 }
                    notes.append("score from `score:` = \(render(score))" + (bounds.isEmpty ? "" : ", within the \(bounds.joined(separator: " and "))"))
                }
            } else {
                let lo = floor ?? .zero, hi = cap ?? .one
                if let p = decimal(progress), p < lo {
                    notes.append("score = clamp(progress, \(lo), \(hi)): progress is below \(lo), so \(render(score))")
                } else if let p = decimal(progress), p > hi {
                    notes.append("score = clamp(progress, \(lo), \(hi)): progress is above the cap \(hi), so \(render(score))")
                } else {
                    notes.append("score = clamp(progress, \(lo), \(hi)) = \(render(score))")
                }
            }
        }
        count += 1
        return Explanation(kind: .keyResult, label: name, title: kr.decl.title, subject: describe(s), value: .record(r),
                           text: render(score), location: location(kr.decl.span), notes: notes, children: children,
                           formula: .keyResult(floor: floor, cap: cap, done: f["done"] != nil, scoreOverride: f["score"] != nil))
    }

    func explainScore(_ s: SubjectRef, _ slot: Int, _ v: Result<Value, EvaluationError>) -> Explanation {
        let scope = checked.scope(s.scope)
        var children: [Explanation] = []
        var weights: [ExactDecimal?] = []
        var parts: [(ExactDecimal?, Value)] = []
        var failed = false
        for (o, info) in scope.objectives.enumerated() {
            if let b = info.block, (try? evaluation.blockApplies(s, b)) != true { continue }
            let ov = Result { () throws(EvaluationError) in try evaluation.value(s, info.slot) }
            let key = SlotKey(subject: s, slot: info.slot)
            let child: Explanation
            if seen.contains(key) {
                var r = node(.reference, info.decl.id.name, value: ov, span: info.decl.span, subject: s, title: info.decl.title,
                             notes: ["explained above"])
                r.refersTo = "\(info.decl.id.name) \(describe(s))"
                if case .success(.record(let rec)) = ov { r.text = render(rec.values[3]) }
                child = r
            } else {
                seen.insert(key)
                child = explainObjective(s, o, ov)
            }
            children.append(child)
            // A failed objective is shown (its cause is in it) but not averaged.
            guard case .success(.record(let r)) = ov else { failed = true; continue }
            weights.append(info.decl.weight == nil ? nil : decimal(r.values[2]))
            parts.append((weights.last!, r.values[3]))
        }
        let notes = failed ? [] : [meanNote(parts, (try? v.get()) ?? .none, of: "objectives")]
        return node(.score, "score", value: v, span: scope.objectives.first?.decl.span, subject: s,
                    notes: notes, children: children, formula: failed ? .leaf : .weightedMean(weights: weights))
    }

    // MARK: Incentives and pools

    func explainIncentive(_ s: SubjectRef, _ d: IncentiveDecl, _ info: SlotInfo, _ v: Result<Value, EvaluationError>) -> Explanation {
        var fields: [String: Field] = [:]
        for f in d.fields where fields[f.label.name] == nil { fields[f.label.name] = f }
        func labelled(_ label: String) -> Explanation? {
            guard let f = fields[label] else { return nil }
            var c = explain(f.value, s, [])
            c.label = "\(label): \(c.label)"
            return c
        }
        var children: [Explanation] = []
        var notes: [String] = []
        var eligible = true
        if let e = labelled("eligible") {
            children.append(e)
            eligible = e.value == .bool(true)
        } else {
            count += 1
            children.append(Explanation(kind: .literal, label: "eligible", title: nil, subject: nil, value: .bool(true), text: "true",
                                        location: nil, notes: ["eligible (no condition written)"], children: [], formula: .leaf))
        }
        let currency = info.type.currency ?? program.header.currency
        var places = currency.minorUnits
        if let r = fields["round"], case .success(.number(let n)) = value(r.value, s, []), let p = n.int64Value { places = Int(p) }
        guard eligible else {
            notes.append("not eligible: zero")
            return node(.incentive, info.name, value: v, span: d.span, subject: s, title: info.title, notes: notes,
                        children: children, formula: .incentive(hasFloor: false, hasCap: false, places: places))
        }
        guard let amount = labelled("amount") else {
            return node(.incentive, info.name, value: v, span: d.span, subject: s, title: info.title, children: children)
        }
        children.append(amount)
        let floor = labelled("floor"), cap = labelled("cap")
        if let floor { children.append(floor) }
        if let cap { children.append(cap) }
        if case .money(let a)? = amount.value {
            notes.append("amount before floor and cap: \(render(amount.value))")
            var clamped = a
            let floorAmount: Money
            if case .money(let f)? = floor?.value { floorAmount = f } else { floorAmount = Money(.zero, a.currency) }
            if a.amount < floorAmount.amount {
                notes.append("below the floor \(floorAmount): raised to it")
                clamped = floorAmount
            } else if floor != nil {
                notes.append("at or above the floor \(floorAmount): not raised")
            }
            if case .money(let c)? = cap?.value {
                notes.append(clamped.amount > c.amount ? "above the cap \(c): capped" : "cap \(c) not reached")
                if clamped.amount > c.amount { clamped = c }
            }
            if case .success(let final) = v {
                notes.append("rounded half away from zero to \(places) place\(places == 1 ? "" : "s"): \(render(.money(clamped))) → \(render(final))")
            }
        }
        return node(.incentive, info.name, value: v, span: d.span, subject: s, title: info.title, notes: notes,
                    children: children, formula: .incentive(hasFloor: floor != nil, hasCap: cap != nil, places: places))
    }

    /// "57978.18 CNY = 5797818 cents": the units a pool is split in.
    func unitsNote(_ total: Money, _ units: ExactDecimal, _ places: Int) -> String {
        let unit: String
        switch places {
        case 0: unit = "whole \(total.currency.code)"
        case 2: unit = "cents (0.01 \(total.currency.code))"
        default: unit = "units of \(try! ExactDecimal(1).divided(by: try! ExactDecimal(10).power(places))) \(total.currency.code)"
        }
        return "\(total) = \(units) \(unit)"
    }

    func explainPoolTotal(_ s: SubjectRef, _ p: Int, _ v: Result<Value, EvaluationError>) -> Explanation {
        let pool = checked.pools[p]
        if let b = pool.block, (try? evaluation.blockApplies(s, b)) != true {
            return node(.pool, pool.decl.name.name, value: v, span: pool.decl.span, subject: s, title: pool.decl.title,
                        notes: ["the block declaring this pool does not apply to \(describe(s)): zero"])
        }
        var children: [Explanation] = []
        var notes: [String] = []
        if let total = pool.fields["total"] {
            var c = explain(total.value, s, [])
            c.label = "total: \(c.label)"
            children.append(c)
        }
        switch Result(catching: { () throws(EvaluationError) in try evaluation.poolInstance(p, s) }) {
        case .success(let instance):
            notes.append("total rounded half away from zero to \(instance.places) place\(instance.places == 1 ? "" : "s"): \(instance.total)")
            let sum = instance.shares.reduce(ExactDecimal.zero) { (try? $0.adding($1)) ?? $0 }
            let ids = instance.parts.map { evaluation.data.id(of: SubjectRef(.person, Int($0.person))) }
            let shown = ids.prefix(10).joined(separator: ", ") + (ids.count > 10 ? ", …" : "")
            notes.append("shared among \(instance.parts.count) \(instance.parts.count == 1 ? "person" : "people") (\(shown)), Σ shares = \(sum)")
            if case .money(let paid) = instance.paid, paid.amount.isZero, !instance.total.amount.isZero {
                notes.append("pays nothing: nobody to share it")
            }
        case .failure(let e):
            notes.append("the pool cannot be shared: \(e.message)")
        }
        return node(.pool, pool.decl.name.name, value: v, span: pool.decl.span, subject: s, title: pool.decl.title,
                    notes: notes, children: children, formula: .leaf)
    }

    func explainPoolShare(_ person: SubjectRef, _ p: Int, _ info: SlotInfo, _ v: Result<Value, EvaluationError>) -> Explanation {
        let pool = checked.pools[p]
        let si = BoundData.index(pool.scope)
        var excluded: [Explanation] = []
        for i in 0..<evaluation.data.counts[si] {
            let owner = SubjectRef(pool.scope, i)
            if let b = pool.block, (try? evaluation.blockApplies(owner, b)) != true { continue }
            let instance: EvaluationInstance
            switch Result(catching: { () throws(EvaluationError) in try evaluation.poolInstance(p, owner) }) {
            case .failure(let e):
                // The split failed: say whose and why, rather than "not shared".
                return node(.poolShare, info.name, value: v, span: pool.decl.span, subject: person, title: info.title,
                            notes: ["the pool of \(describe(owner)) cannot be shared: \(e.message)"])
            case .success(let x): instance = x
            }
            guard let position = instance.parts.firstIndex(where: { $0.person == person.index }) else {
                if let why = exclusion(person, from: pool, owner) { excluded.append(why) }
                continue
            }
            let totalNode = explainSlot(owner, pool.totalSlot, span: pool.decl.span)
            var children = [totalNode]
            if let share = pool.fields["share"] {
                var c = explain(share.value, owner, [.subject(person)])
                c.label = "share: \(c.label)"
                c.notes.insert("the share of \(describe(person))", at: 0)
                children.append(c)
            }
            let ids = instance.parts.map { evaluation.data.id(of: SubjectRef(.person, Int($0.person))) }
            var notes = ["part of the pool of \(describe(owner)): " + unitsNote(instance.total, instance.units, instance.places)]
            notes.append(contentsOf: splitNotes(instance, position: position, ids: ids))
            return node(.poolShare, info.name, value: v, span: pool.decl.span, subject: person, title: info.title, notes: notes,
                        children: children,
                        formula: .poolShare(units: instance.units, shares: instance.shares, ids: ids, position: position,
                                            places: instance.places))
        }
        return node(.poolShare, info.name, value: v, span: pool.decl.span, subject: person, title: info.title,
                    notes: ["not among the people sharing any instance of this pool: zero"], children: excluded)
    }

    typealias EvaluationInstance = Evaluation.PoolInstance

    /// Why `person` is not among those sharing `owner`'s pool, when `among`
    /// is `list where condition` and the person is in the list: the
    /// condition, explained for them.
    func exclusion(_ person: SubjectRef, from pool: PoolInfo, _ owner: SubjectRef) -> Explanation? {
        guard let among = pool.fields["among"], case .filter(let list, let cond) = among.value.kind,
              case .local(let local)? = checked.resolutions[Int(among.value.id)],
              case .success(.list(let items)) = value(list, owner, []),
              items.contains(.subject(person)) else { return nil }
        var frame = [Value](repeating: .none, count: local + 1)
        frame[local] = .subject(person)
        var c = explain(cond, owner, frame)
        c.label = "among: \(text(list.span)) where \(c.label)"
        c.notes.insert("in the pool of \(describe(owner)) only if this holds; for \(describe(person)) it is \(c.text)", at: 0)
        return c
    }

    /// How the largest-remainder split treated one person: the floor part,
    /// and whether a leftover unit came their way and why (LANGUAGE.md §8).
    func splitNotes(_ instance: EvaluationInstance, position: Int, ids: [String]) -> [String] {
        let sum = instance.shares.reduce(ExactDecimal.zero) { (try? $0.adding($1)) ?? $0 }
        guard !sum.isZero, let scale = try? ExactDecimal(10).power(instance.places),
              let part = try? instance.parts[position].amount.amount.multiplied(by: scale) else { return [] }
        // Floors and remainders of every share, to say where a leftover unit went.
        var floors: [ExactDecimal] = []
        var remainders: [ExactDecimal] = []
        for share in instance.shares {
            guard let product = try? instance.units.multiplied(by: share),
                  let q = try? product.divided(by: sum).rounded(places: 0, .floor),
                  let r = try? product.subtracting(q.multiplied(by: sum)) else { return [] }
            floors.append(q)
            remainders.append(r)
        }
        let given = floors.reduce(ExactDecimal.zero) { (try? $0.adding($1)) ?? $0 }
        guard let leftover = try? instance.units.subtracting(given), let left = leftover.int64Value else { return [] }
        let exact = (try? instance.units.multiplied(by: instance.shares[position]).divided(by: sum)).map { q -> String in
            let t = q.description
            guard let dot = t.firstIndex(of: "."), t.distance(from: dot, to: t.endIndex) > 5 else { return t }
            return String(t[..<t.index(dot, offsetBy: 5)]) + "…"
        } ?? "?"
        var notes = ["units × share / Σ shares = \(instance.units) × \(instance.shares[position]) / \(sum) = \(exact): "
                     + "\(floors[position]) whole units"]
        if left == 0 { notes.append("no leftover units: the floors add up to the total"); return notes }
        // Ranking: larger remainder, then larger share, then lower id.
        let order = instance.shares.indices.sorted { a, b in
            if remainders[a] != remainders[b] { return remainders[a] > remainders[b] }
            if instance.shares[a] != instance.shares[b] { return instance.shares[a] > instance.shares[b] }
            return Array(ids[a].unicodeScalars.map(\.value)).lexicographicallyPrecedes(ids[b].unicodeScalars.map(\.value))
        }
        let rank = (order.firstIndex(of: position) ?? 0) + 1
        let gets = part != floors[position]
        var line = "\(left) leftover unit\(left == 1 ? "" : "s") go\(left == 1 ? "es" : "") to the largest remainders "
            + "(ties: the larger share, then the lower id); this remainder ranks \(rank) of \(order.count), so "
            + (gets ? "it gets one: \(part) units" : "it gets none: \(part) units")
        if !gets, let next = order.prefix(Int(left)).last, remainders[next] == remainders[position] {
            line += " (it ties with \(ids[next]), which comes first)"
        }
        notes.append(line)
        return notes
    }

    // MARK: Tables

    func amountOf(_ v: Value) -> ExactDecimal? {
        switch v {
        case .number(let n): return n
        case .money(let m): return m.amount
        default: return nil
        }
    }

    /// Which row matched, or which curve segment or brackets applied.
    func tableNotes(_ t: Int, _ args: [Value], _ result: Result<Value, EvaluationError>) -> [String] {
        let table = program.tables[t]
        let decl = checked.tables[t].decl
        let x = args.first ?? .none
        func line(_ span: Span) -> String { location(span).map { "line \($0.line)" } ?? "" }
        switch table.kind {
        case .first:
            var row = 0
            for (i, declRow) in decl.rows.enumerated() {
                guard i < table.tests.count else { break }
                if let tests = table.tests[i] {
                    let matched = zip(tests, args).allSatisfy { test, arg in
                        switch test {
                        case .any: return true
                        case .equal(let v): return (try? Operators.equal(arg, v)) == true
                        case .compare(let op, let v): return (try? Operators.compare(op, arg, v)) == true
                        case .range(let lo, let hi, let inc): return (try? Operators.inRange(arg, lo, hi, inclusive: inc)) == true
                        case .member(let list): return (try? Operators.contains(list, arg)) == true
                        }
                    }
                    if matched {
                        return ["first matching row (\(line(declRow.span))): \(text(declRow.keySpan)) -> \(text(declRow.result.span))"]
                    }
                } else {
                    return ["no earlier row matched: `else` (\(line(declRow.span))) -> \(text(declRow.result.span))"]
                }
                row += 1
            }
            return ["no row matched"]
        case .interpolate:
            let points = decl.rows.filter { if case .value = $0.key { return true } else { return false } }
            guard let first = table.keys.first, let last = table.keys.last else { return [] }
            if (try? Operators.compare(x, first)) == -1 {
                return ["below the first point \(render(first)): the `below` value"]
            }
            if (try? Operators.compare(x, last)) == 1 {
                return ["above the last point \(render(last)): the `above` value"]
            }
            for i in 0..<(table.keys.count - 1) {
                guard (try? Operators.compare(table.keys[i], x)) ?? 1 <= 0, (try? Operators.compare(x, table.keys[i + 1])) ?? 1 <= 0 else { continue }
                if (try? Operators.equal(x, table.keys[i])) == true {
                    return ["exactly at the point \(text(points[i].keySpan)) -> \(text(points[i].result.span)) (\(line(points[i].span)))"]
                }
                let y0 = text(points[i].result.span), y1 = text(points[i + 1].result.span)
                let x0 = text(points[i].keySpan), x1 = text(points[i + 1].keySpan)
                return ["segment \(x0) -> \(y0) .. \(x1) -> \(y1) (\(line(points[i].span))–\(line(points[i + 1].span)))",
                        "\(y0) + (\(render(x)) − \(x0)) × (\(y1) − \(y0)) / (\(x1) − \(x0)) = \((try? result.get()).map { render($0) } ?? "error")"]
            }
            return ["at the last point \(render(last))"]
        case .marginal, .flat:
            var reached = 0
            for (i, k) in table.keys.enumerated() where (try? Operators.compare(k, x)) ?? 1 <= 0 { reached = i }
            let row = decl.rows.filter { if case .value = $0.key { return true } else { return false } }
            guard reached < row.count else { return [] }
            if table.kind == .flat {
                return ["bracket reached: \(text(row[reached].keySpan)) -> \(text(row[reached].result.span)) (\(line(row[reached].span))), applied to the whole \(render(x))"]
            }
            // Each bracket's part of the value times its rate, as the table adds them.
            var terms: [String] = []
            for i in 0...reached {
                guard let lower = amountOf(table.keys[i]), let v = amountOf(x) else { return [] }
                var upper = v
                if i + 1 < table.keys.count, let next = amountOf(table.keys[i + 1]), next < v { upper = next }
                guard let part = try? upper.subtracting(lower), !part.isNegative else { continue }
                terms.append("\(part) × \(text(row[i].result.span))")
            }
            let brackets = reached == 0 ? "the first bracket (from \(text(row[0].keySpan)))"
                : "brackets 1 to \(reached + 1) (from \(text(row[0].keySpan)) up to \(text(row[reached].keySpan)) and beyond)"
            return ["marginal: \(render(x)) reaches \(brackets); each part at its rate: "
                    + terms.joined(separator: " + ") + " = \((try? result.get()).map { render($0) } ?? "error")"]
        }
    }
}
