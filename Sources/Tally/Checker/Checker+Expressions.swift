// Expression checking: resolves every name, member and call, infers static
// types, reports type errors where operand types are known (LANGUAGE.md §2),
// and records dependency edges.

extension Checker {
    @discardableResult
    func check(_ e: Expr, _ env: inout Env) -> StaticType {
        let t = infer(e, &env)
        record(e.id, type: t)
        return t
    }

    func record(_ id: NodeID, type: StaticType) {
        let i = Int(id)
        guard i >= 0 else { return }
        // A body re-checked for one call keeps the side tables of its own check.
        if instantiation != nil { return }
        if i >= plan.types.count {
            plan.types.append(contentsOf: repeatElement(.unknown, count: i + 1 - plan.types.count))
            plan.resolutions.append(contentsOf: repeatElement(nil, count: i + 1 - plan.resolutions.count))
        }
        plan.types[i] = type
    }

    func resolve(_ id: NodeID, _ r: Resolution) {
        if instantiation != nil { return }
        let i = Int(id)
        if i >= plan.resolutions.count {
            plan.resolutions.append(contentsOf: repeatElement(nil, count: i + 1 - plan.resolutions.count))
            plan.types.append(contentsOf: repeatElement(.unknown, count: i + 1 - plan.types.count))
        }
        plan.resolutions[i] = r
    }

    private func infer(_ e: Expr, _ env: inout Env) -> StaticType {
        switch e.kind {
        case .error:
            return .unknown
        case .number(let lit):
            guard let v = literalNumber(lit, e.span) else { return .number }
            plan.literals[e.id] = .number(v)
            return .number
        case .money(let lit, let code):
            guard let currency = Currency(code: code) else {
                error(e.span, "`\(code)` is not an ISO 4217 currency code")
                return .money(nil)
            }
            if let v = literalNumber(lit, e.span) { plan.literals[e.id] = .money(Money(v, currency)) }
            return .money(currency)
        case .string(let s):
            plan.literals[e.id] = .string(s)
            return .string
        case .date(let y, let m, let d):
            if let day = Day(year: y, month: m, day: d) { plan.literals[e.id] = .date(day) }
            return .date
        case .bool(let b):
            plan.literals[e.id] = .bool(b)
            return .bool
        case .none:
            plan.literals[e.id] = Value.none
            return .none
        case .name(let id):
            return checkName(id, e, &env)
        case .list(let items):
            var t: StaticType?
            for item in items {
                let it = check(item, &env)
                if let prev = t, !prev.sameKind(as: it) {
                    error(item.span, "a list holds values of one type: this is \(it), earlier items are \(prev)")
                }
                t = t.map { $0.joined(with: it) } ?? it
            }
            return .list(t ?? .unknown)
        case .comprehension(let element, let variable, let iterable, let condition):
            if env.constantOnly { error(e.span, "must be a constant: a comprehension is not allowed here") }
            let it = check(iterable, &env)
            let elementType = listElement(it, iterable.span, "the iterable of a comprehension")
            resolve(e.id, .local(env.bind(variable.name, elementType)))
            if let c = condition { expect(check(c, &env), .bool, c.span, "the `if` condition of a comprehension") }
            let t = check(element, &env)
            env.unbind()
            return .list(t)
        case .unary(let op, let x):
            let t = check(x, &env)
            switch op {
            case .negate:
                switch t {
                case .number, .money, .unknown: return t
                default:
                    if t != .none { error(e.span, "cannot negate \(t)") }
                    return .unknown
                }
            case .not:
                expect(t, .bool, x.span, "the operand of `not`")
                return .bool
            }
        case .binary(let op, let a, let b):
            return checkBinary(op, a, b, e, &env)
        case .range:
            error(e.span, "a range `a..b` can only follow `in` or be a `first` table row")
            return .unknown
        case .conditional(let c, let a, let b):
            expect(check(c, &env), .bool, c.span, "an `if` condition")
            let ta = check(a, &env), tb = check(b, &env)
            if !ta.sameKind(as: tb) {
                error(e.span, "the branches of `if` have different types: \(ta) and \(tb)")
            }
            return ta.joined(with: tb)
        case .filter(let list, let cond):
            if env.constantOnly { error(e.span, "must be a constant: `where` is not allowed here") }
            let lt = check(list, &env)
            let elementType = listElement(lt, list.span, "the left side of `where`")
            let local = env.hiddenLocal()
            env.elements.append((local, elementType))
            expect(check(cond, &env), .bool, cond.span, "a `where` condition")
            env.elements.removeLast()
            env.nextLocal -= 1
            resolve(e.id, .local(local))
            return lt.elementType == nil ? .list(.unknown) : lt
        case .call(let callee, let args):
            return checkCall(callee, args, e, &env)
        case .member(let base, let member):
            let bt = check(base, &env)
            return checkMember(bt, member, e, &env)
        case .index(let base, let idx):
            let bt = check(base, &env)
            let it = check(idx, &env)
            switch bt {
            case .list(let el):
                switch it {
                case .number, .unknown: return el
                case .string:
                    if case .subject = el { return el }
                    if el == .unknown { return .unknown }
                    error(idx.span, "only `people` and `teams` can be indexed by id; this list holds \(el)")
                    return .unknown
                default:
                    error(idx.span, "a list index must be a number, not \(it)")
                    return .unknown
                }
            case .unknown: return .unknown
            default:
                error(base.span, "cannot index \(bt)")
                return .unknown
            }
        }
    }

    func literalNumber(_ lit: NumberLiteral, _ span: Span) -> ExactDecimal? {
        do {
            let v = try ExactDecimal(parsing: lit.text)
            guard lit.isPercent else { return v }
            return try v.divided(by: ExactDecimal(100))
        } catch let e as DecimalParseError {
            switch e {
            case .tooManyDigits: error(span, "number literal has more than 34 significant digits")
            case .outOfRange: error(span, "number literal is out of range (|x| must be below 10^6145 and a non-zero value at least 10^-6143)")
            case .syntax: error(span, "malformed number literal `\(lit.text.count > 40 ? lit.text.prefix(40) + "…" : lit.text)`")
            }
        } catch {
            self.error(span, "number literal out of range")
        }
        return nil
    }

    func listElement(_ t: StaticType, _ span: Span, _ what: String) -> StaticType {
        switch t {
        case .list(let e): return e
        case .unknown: return .unknown
        default:
            error(span, "\(what) must be a list, not \(t)")
            return .unknown
        }
    }

    // MARK: Operators

    static let comparisons: Set<BinaryOperator> = [.equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual, .in]

    /// `a < b < c`: the parser has reported the chain and kept the tree
    /// `(a < b) < c`; a parenthesised `(a < b) < c` has a left operand whose
    /// span is widened to its parentheses. Comparing the inner bool with `c`
    /// would only add a cascading type error.
    func isChainedComparison(_ op: BinaryOperator, _ a: Expr) -> Bool {
        guard Self.comparisons.contains(op), case .binary(let inner, let l, let r) = a.kind,
              Self.comparisons.contains(inner) else { return false }
        let rhsEnd = if case .range(_, let upper, _) = r.kind { upper.span.end } else { r.span.end }
        return a.span.start == l.span.start && a.span.end == max(r.span.end, rhsEnd)
    }

    /// `2026-1-01` or `10000-01-01` written without spaces: not a date
    /// literal (exactly YYYY-MM-DD, LANGUAGE.md §1) but two subtractions —
    /// legal, and surely not meant. The text of the three numbers decides:
    /// digits only, the first 4 or more, the others 1 or 2, nothing between.
    func dateLikeSubtraction(_ a: Expr, _ b: Expr) -> String? {
        guard case .binary(.subtract, let x, let y) = a.kind,
              case .number = x.kind, case .number = y.kind, case .number = b.kind,
              let file = diagnostics.file(x.span) else { return nil }
        func digits(_ e: Expr) -> Int? {
            let lo = Int(e.span.start), hi = Int(e.span.end)
            guard lo < hi, hi <= file.bytes.count, file.bytes[lo..<hi].allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
            return hi - lo
        }
        guard let dx = digits(x), let dy = digits(y), let db = digits(b), dx >= 4, (1...2).contains(dy), (1...2).contains(db),
              y.span.start == x.span.end + 1, b.span.start == y.span.end + 1,
              a.span.start == x.span.start, a.span.end == y.span.end else { return nil }
        return String(decoding: file.bytes[Int(x.span.start)..<Int(b.span.end)], as: UTF8.self)
    }

    func checkBinary(_ op: BinaryOperator, _ a: Expr, _ b: Expr, _ e: Expr, _ env: inout Env) -> StaticType {
        if op == .subtract, let text = dateLikeSubtraction(a, b) {
            warning(e.span, "`\(text)` is not a date but two subtractions: write a date as YYYY-MM-DD (years 1 to 9999, e.g. `2026-01-01`), or put spaces around `-`")
        }
        if isChainedComparison(op, a) {
            _ = check(a, &env)
            if case .range(let lo, let hi, _) = b.kind {
                _ = check(lo, &env)
                _ = check(hi, &env)
                record(b.id, type: .unknown)
            } else {
                _ = check(b, &env)
            }
            return .bool
        }
        switch op {
        case .and, .or:
            expect(check(a, &env), .bool, a.span, "the left operand of `\(op.rawValue)`")
            expect(check(b, &env), .bool, b.span, "the right operand of `\(op.rawValue)`")
            return .bool
        case .coalesce:
            let ta = check(a, &env), tb = check(b, &env)
            if ta == .none { return tb }
            if !ta.sameKind(as: tb) { error(e.span, "both sides of `??` must have one type: \(ta) and \(tb)") }
            return ta.joined(with: tb)
        case .in:
            let ta = check(a, &env)
            if case .range(let lo, let hi, _) = b.kind {
                let tl = check(lo, &env), th = check(hi, &env)
                record(b.id, type: .unknown)
                for (t, s) in [(tl, lo.span), (th, hi.span)] where !ta.sameKind(as: t) {
                    error(s, "cannot test whether \(ta) is in a range of \(t)")
                }
                if [ta, tl, th].contains(.string) { error(b.span, "strings cannot be ordered, so they cannot form a range") }
                return .bool
            }
            let tb = check(b, &env)
            switch tb {
            case .list(let el):
                if !ta.sameKind(as: el) { error(e.span, "cannot test whether \(ta) is in a list of \(el)") }
            case .unknown: break
            case .string: error(b.span, "`in` tests membership of a list or a range; for text use contains(s, sub)")
            default: error(b.span, "`in` needs a list or a range on its right, not \(tb)")
            }
            return .bool
        case .equal, .notEqual:
            let ta = check(a, &env), tb = check(b, &env)
            if !ta.sameKind(as: tb) { error(e.span, "cannot compare \(ta) with \(tb)") }
            return .bool
        case .less, .lessEqual, .greater, .greaterEqual:
            let ta = check(a, &env), tb = check(b, &env)
            if ta == .none || tb == .none {
                error(e.span, "`none` cannot be ordered; test it with `== none` or substitute with `??`")
            } else if !ta.sameKind(as: tb) {
                error(e.span, "cannot compare \(ta) with \(tb)")
            } else {
                for t in [ta, tb] {
                    switch t {
                    case .number, .money, .date, .unknown: continue
                    case .string: error(e.span, "strings cannot be ordered (only ==, != and in)")
                    default: error(e.span, "\(t) values cannot be ordered")
                    }
                    break
                }
            }
            return .bool
        case .add, .subtract, .multiply, .divide, .power:
            let ta = check(a, &env), tb = check(b, &env)
            return arithmeticType(op, ta, tb, e.span)
        }
    }

    /// LANGUAGE.md §2: m ± m → m; n × m, m × n, m / n → m; m / m → n;
    /// anything else mixing money is an error naming both operand types.
    func arithmeticType(_ op: BinaryOperator, _ a: StaticType, _ b: StaticType, _ span: Span) -> StaticType {
        if a == .none || b == .none {
            error(span, "`none` cannot be used in arithmetic; substitute a value with `??`")
            return .unknown
        }
        for t in [a, b] {
            switch t {
            case .number, .money, .unknown: continue
            default:
                error(span, "cannot use \(t) in arithmetic (`\(op.rawValue)`)")
                return .unknown
            }
        }
        func currencyClash() -> Bool {
            if let x = a.currency, let y = b.currency, x != y {
                error(span, "cannot combine money in \(x.code) and money in \(y.code): currencies differ")
                return true
            }
            return false
        }
        let verb: String
        switch op {
        case .add: verb = "add \(a) and \(b)"
        case .subtract: verb = "subtract \(b) from \(a)"
        case .multiply: verb = "multiply \(a) by \(b)"
        case .divide: verb = "divide \(a) by \(b)"
        default: verb = "raise \(a) to the power \(b)"
        }
        switch (op, a, b) {
        case (_, .unknown, .unknown): return .unknown
        case (.add, .number, .number), (.subtract, .number, .number), (.multiply, .number, .number),
             (.divide, .number, .number), (.power, .number, .number):
            return .number
        case (.add, .money, .money), (.subtract, .money, .money):
            return currencyClash() ? .unknown : a.joined(with: b)
        case (.multiply, .number, .money): return b
        case (.multiply, .money, .number), (.divide, .money, .number): return a
        case (.divide, .money, .money): return currencyClash() ? .unknown : .number
        case (.add, .unknown, let t), (.subtract, .unknown, let t), (.add, let t, .unknown), (.subtract, let t, .unknown):
            return t
        case (.multiply, .unknown, .money), (.multiply, .money, .unknown): return .money(a.currency ?? b.currency)
        case (.multiply, .unknown, .number), (.multiply, .number, .unknown): return .unknown
        case (.divide, .money, .unknown), (.divide, .unknown, .number), (.divide, .unknown, .money),
             (.divide, .number, .unknown):
            return .unknown
        case (.power, _, _) where !(a.isMoney || b.isMoney):
            return .unknown
        default:
            if !currencyClash() { error(span, "cannot \(verb)") }
            return .unknown
        }
    }
}
