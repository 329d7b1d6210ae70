// Faithfulness: every node of an explanation can be recomputed from its
// children's values with its formula, and must give its own value exactly.

extension Explanation {
    /// Recomputes every node from its children's values; returns a message
    /// for each node whose recomputed value differs (empty when faithful).
    func verify(with evaluation: Evaluation) -> [String] {
        var problems: [String] = []
        check(evaluation, path: label, into: &problems)
        return problems
    }

    private func check(_ c: Evaluation, path: String, into problems: inout [String]) {
        for (i, child) in children.enumerated() {
            child.check(c, path: "\(path) › \(child.label)#\(i)", into: &problems)
        }
        guard let value, kind != .failure else { return }
        let values = children.map(\.value)
        func fail(_ expected: Value?) {
            problems.append("\(path): recomputed \(expected.map { CanonicalText.render($0) } ?? "nothing") but the node says \(text)")
        }
        func all() -> [Value]? {
            values.contains { $0 == nil } ? nil : values.map { $0! }
        }
        switch formula {
        case .leaf:
            return
        case .alias:
            if values.last ?? nil != value { fail(values.last ?? nil) }
        case .chain(let ops):
            guard let vs = all(), var acc = vs.first, vs.count == ops.count + 1 else { return fail(nil) }
            for (op, v) in zip(ops, vs.dropFirst()) {
                guard let next = try? Operators.arithmetic(op, acc, v) else { return fail(nil) }
                acc = next
            }
            if acc != value { fail(acc) }
        case .negate:
            guard let x = values.first ?? nil, let y = try? Operators.negate(x) else { return fail(nil) }
            if y != value { fail(y) }
        case .not:
            guard case .bool(let b)? = values.first ?? nil else { return fail(nil) }
            if .bool(!b) != value { fail(.bool(!b)) }
        case .compare(let op):
            guard let vs = all(), vs.count == 2, let r = try? Operators.compare(op, vs[0], vs[1]) else { return fail(nil) }
            if .bool(r) != value { fail(.bool(r)) }
        case .and, .or:
            let isAnd: Bool = { if case .and = formula { return true } else { return false } }()
            guard case .bool(let a)? = values.first ?? nil else { return fail(nil) }
            let r: Bool
            if a != isAnd { r = a } else {
                guard values.count == 2, case .bool(let b)? = values[1] else { return fail(nil) }
                r = b
            }
            if .bool(r) != value { fail(.bool(r)) }
        case .coalesce:
            guard let a = values.first ?? nil else { return fail(nil) }
            let r = a == .none ? (values.count > 1 ? values[1] : nil) : a
            if r != value { fail(r) }
        case .member(let inclusive):
            guard let vs = all() else { return fail(nil) }
            let r: Bool?
            if let inclusive, vs.count == 3 {
                r = try? Operators.inRange(vs[0], vs[1], vs[2], inclusive: inclusive)
            } else if vs.count == 2, case .list(let items) = vs[1] {
                r = try? Operators.contains(items, vs[0])
            } else { r = nil }
            if r.map({ Value.bool($0) }) != value { fail(r.map { .bool($0) }) }
        case .conditional:
            guard values.count == 2, case .bool? = values[0] else { return fail(nil) }
            if values[1] != value { fail(values[1]) }
        case .builtin(let f, let zero):
            guard let vs = all() else { return fail(nil) }
            let node = BuiltinCallNode(f, vs.map { ConstantNode($0, span: .synthetic) }, emptySum: zero, span: .synthetic)
            let r = try? c.callBuiltin(node, vs)
            if r != value { fail(r) }
        case .table(let t):
            guard let vs = all() else { return fail(nil) }
            let r = try? c.lookup(table: t, vs, span: .synthetic)
            if r != value { fail(r) }
        case .list:
            guard case .list(let items) = value, let vs = all() else { return fail(nil) }
            // Long lists expand only their first elements.
            if Array(items.prefix(vs.count)) != vs { fail(.list(vs)) }
        case .field(let name):
            guard let base = values.first ?? nil, let r = try? c.member(base, name, span: .synthetic, required: true) else { return fail(nil) }
            if r != value { fail(r) }
        case .index:
            return
        case .keyResult(let floor, let cap, let done, let scoreOverride):
            guard case .record(let r) = value, case .number(let score) = r.values[7] else { return fail(nil) }
            let recomputed: ExactDecimal?
            if done {
                guard case .bool(let d)? = values.first ?? nil else { return fail(nil) }
                recomputed = d ? .one : .zero
            } else {
                var progress: ExactDecimal?
                if values.count >= 3, let a = values[0], let b = values[1], let t = values[2],
                   let num = try? Operators.subtract(a, b), let den = try? Operators.subtract(t, b),
                   case .number(let p)? = try? Operators.divide(num, den) {
                    progress = p
                    if r.values[6] != .number(p) { problems.append("\(path): progress recomputes to \(p), the record says \(CanonicalText.render(r.values[6]))") }
                }
                if scoreOverride {
                    guard case .number(var s)? = values.last ?? nil else { return fail(nil) }
                    if let floor { s = Swift.max(s, floor) }
                    if let cap { s = Swift.min(s, cap) }
                    recomputed = s
                } else {
                    recomputed = progress.map { Swift.min(Swift.max($0, floor ?? .zero), cap ?? .one) }
                }
            }
            if recomputed != score { fail(recomputed.map { .number($0) }) }
        case .weightedMean(let weights):
            func score(_ v: Value?) -> ExactDecimal? {
                switch v {
                case .record(let r)? where r.kind == .objective: if case .number(let n) = r.values[3] { return n }
                case .record(let r)? where r.kind == .keyResult: if case .number(let n) = r.values[7] { return n }
                case .number(let n)?: return n
                default: break
                }
                return nil
            }
            var sumW = ExactDecimal.zero, sumWS = ExactDecimal.zero
            for (w, v) in zip(weights, values) {
                guard let s = score(v), let a = try? sumW.adding(w ?? .one),
                      let b = try? sumWS.adding((w ?? .one).multiplied(by: s)) else { return fail(nil) }
                sumW = a
                sumWS = b
            }
            guard let mean = try? sumWS.divided(by: sumW) else { return fail(nil) }
            if score(value) != mean { fail(.number(mean)) }
        case .incentive(let hasFloor, let hasCap, let places):
            guard case .money(let paid) = value else { return fail(nil) }
            guard case .bool(let eligible)? = values.first ?? nil else { return fail(nil) }
            if !eligible {
                if !paid.amount.isZero { fail(.money(Money(.zero, paid.currency))) }
                return
            }
            guard values.count >= 2, case .money(var amount)? = values[1] else { return fail(nil) }
            var i = 2
            if hasFloor {
                guard case .money(let f)? = values[i] else { return fail(nil) }
                if amount.amount < f.amount { amount = f }
                i += 1
            } else if amount.amount.isNegative {
                amount = Money(.zero, amount.currency)
            }
            if hasCap {
                guard case .money(let cap)? = values[i] else { return fail(nil) }
                if amount.amount > cap.amount { amount = cap }
            }
            guard let rounded = try? amount.amount.rounded(places: places, .halfAwayFromZero) else { return fail(nil) }
            if rounded != paid.amount || amount.currency != paid.currency { fail(.money(Money(rounded, amount.currency))) }
        case .poolShare(let units, let shares, let ids, let position, let places):
            guard case .money(let m) = value,
                  let parts = try? Apportionment.largestRemainder(total: units, shares: shares, ids: ids),
                  let scale = try? ExactDecimal(10).power(places),
                  let part = try? parts[position].divided(by: scale) else { return fail(nil) }
            if part != m.amount { fail(.money(Money(part, m.currency))) }
            if values.count > 1, values[1] != .number(shares[position]) {
                problems.append("\(path): the share child is \(values[1].map { CanonicalText.render($0) } ?? "nothing") but the split used \(shares[position])")
            }
        }
    }
}
