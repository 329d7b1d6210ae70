// Built-in functions (LANGUAGE.md §4).

extension Evaluation {
    func callBuiltin(_ node: BuiltinCallNode, _ args: [Value]) throws(EvaluationError) -> Value {
        let f = node.function
        func fail(_ message: String) -> EvaluationError {
            EvaluationError("\(f.rawValue): \(message)", span: node.span, subject: subject)
        }
        func op<T>(_ body: () throws(OperationError) -> T) throws(EvaluationError) -> T {
            do { return try body() } catch { throw fail(error.message) }
        }
        func arg(_ i: Int) throws(EvaluationError) -> Value {
            let v = args[i]
            if v.isNone { throw noneError(node.arguments[i]) }
            return v
        }
        func list(_ i: Int) throws(EvaluationError) -> [Value] {
            guard case .list(let items) = try arg(i) else { throw fail("needs a list, not \(args[i].typeName)") }
            return items
        }
        func date(_ i: Int) throws(EvaluationError) -> Day {
            guard case .date(let d) = try arg(i) else { throw fail("needs a date, not \(args[i].typeName)") }
            return d
        }
        func string(_ i: Int) throws(EvaluationError) -> String {
            guard case .string(let s) = try arg(i) else { throw fail("needs a string, not \(args[i].typeName)") }
            return s
        }
        func elements(_ items: [Value]) throws(EvaluationError) -> [Value] {
            for (i, v) in items.enumerated() where v.isNone {
                throw fail("element \(i) of the list is none; filter it out or substitute with `??`")
            }
            return items
        }
        func sum(_ items: [Value]) throws(EvaluationError) -> Value {
            guard var total = items.first else { return node.emptySum }
            for v in items.dropFirst() { total = try op { () throws(OperationError) in try Operators.add(total, v) } }
            return total
        }

        switch f {
        case .min, .max:
            let items = args.count == 1 ? try elements(try list(0)) : try elements(args)
            guard var best = items.first else { throw fail("the list is empty") }
            for v in items.dropFirst() {
                let c = try op { () throws(OperationError) in try Operators.compare(v, best) }
                if (f == .min && c < 0) || (f == .max && c > 0) { best = v }
            }
            return best
        case .clamp:
            // min(max(x, lo), hi), as LANGUAGE.md §4 defines it: when lo is
            // above hi the result is hi.
            let x = try arg(0), lo = try arg(1), hi = try arg(2)
            let atLeastLo = try op({ () throws(OperationError) in try Operators.compare(x, lo) }) < 0 ? lo : x
            if try op({ () throws(OperationError) in try Operators.compare(atLeastLo, hi) }) > 0 { return hi }
            return atLeastLo
        case .abs:
            let x = try arg(0)
            switch x {
            case .number(let n): return .number(n.magnitude)
            case .money(let m): return .money(Money(m.amount.magnitude, m.currency))
            default: throw fail("needs a number or money, not \(x.typeName)")
            }
        case .sum:
            return try sum(try elements(try list(0)))
        case .count:
            return .number(ExactDecimal(try list(0).count))
        case .avg:
            let items = try elements(try list(0))
            guard !items.isEmpty else { throw fail("the list is empty") }
            let total = try sum(items)
            return try op { () throws(OperationError) in try Operators.divide(total, .number(ExactDecimal(items.count))) }
        case .weighted_avg:
            let values = try elements(try list(0)), weights = try elements(try list(1))
            guard values.count == weights.count else {
                throw fail("\(values.count) values but \(weights.count) weights")
            }
            var num: Value?, den: Value?
            for (v, w) in zip(values, weights) {
                let vw = try op { () throws(OperationError) in try Operators.multiply(v, w) }
                num = try num.map { n throws(EvaluationError) in try op { () throws(OperationError) in try Operators.add(n, vw) } } ?? vw
                den = try den.map { d throws(EvaluationError) in try op { () throws(OperationError) in try Operators.add(d, w) } } ?? w
            }
            guard let n = num, let d = den else { throw fail("the lists are empty") }
            if case .number(let z) = d, z.isZero { throw fail("the weights sum to zero") }
            return try op { () throws(OperationError) in try Operators.divide(n, d) }
        case .any, .all:
            for v in try list(0) {
                guard case .bool(let b) = v else { throw fail("needs a list of true/false, found \(v.typeName)") }
                if f == .any && b { return .bool(true) }
                if f == .all && !b { return .bool(false) }
            }
            return .bool(f == .all)
        case .round, .round_half_even, .floor, .ceil, .truncate:
            let x = try arg(0)
            var places = 0
            if args.count == 2 {
                guard case .number(let n) = try arg(1), let p = n.int64Value, abs(p) <= 10_000 else {
                    throw fail("the number of decimal places must be a whole number")
                }
                places = Int(p)
            }
            return try op { () throws(OperationError) in try Operators.round(x, places: places, f.roundingMode!) }
        case .days_between:
            let a = try date(0), b = try date(1)
            return .number(ExactDecimal(Int(b.ordinal) - Int(a.ordinal)))
        case .overlap_days:
            let a1 = try date(0), a2 = try date(1), b1 = try date(2), b2 = try date(3)
            let start = Swift.max(a1.ordinal, b1.ordinal), end = Swift.min(a2.ordinal, b2.ordinal)
            return .number(ExactDecimal(Swift.max(0, Int(end) - Int(start) + 1)))
        case .year: return .number(ExactDecimal(try date(0).year))
        case .month: return .number(ExactDecimal(try date(0).month))
        case .quarter: return .number(ExactDecimal(try date(0).quarter))
        case .len: return .number(ExactDecimal(try string(0).unicodeScalars.count))
        case .lower: return .string(try string(0).lowercased())
        case .upper: return .string(try string(0).uppercased())
        case .contains:
            let text = try string(0), sub = try string(1)
            // Every string contains the empty string (as in most languages).
            return .bool(sub.isEmpty || text.contains(sub))
        }
    }
}
