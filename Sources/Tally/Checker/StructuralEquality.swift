/// Structural equality of expressions, ignoring spans and node ids: two
/// `for` blocks whose conditions are written the same select the same
/// subjects, so a name defined in both is a compile-time duplicate.
extension Expr {
    func sameStructure(as other: Expr) -> Bool {
        switch (kind, other.kind) {
        case (.number(let a), .number(let b)): return a == b
        case (.money(let a, let c), .money(let b, let d)): return a == b && c == d
        case (.string(let a), .string(let b)): return a == b
        case (.date(let y1, let m1, let d1), .date(let y2, let m2, let d2)): return y1 == y2 && m1 == m2 && d1 == d2
        case (.bool(let a), .bool(let b)): return a == b
        case (.none, .none): return true
        case (.name(let a), .name(let b)): return a.name == b.name
        case (.list(let a), .list(let b)): return Expr.same(a, b)
        case (.comprehension(let e1, let v1, let i1, let c1), .comprehension(let e2, let v2, let i2, let c2)):
            return v1.name == v2.name && e1.sameStructure(as: e2) && i1.sameStructure(as: i2) && Expr.same(c1, c2)
        case (.unary(let o1, let a), .unary(let o2, let b)): return o1 == o2 && a.sameStructure(as: b)
        case (.binary(let o1, let a1, let b1), .binary(let o2, let a2, let b2)):
            return o1 == o2 && a1.sameStructure(as: a2) && b1.sameStructure(as: b2)
        case (.range(let l1, let u1, let i1), .range(let l2, let u2, let i2)):
            return i1 == i2 && l1.sameStructure(as: l2) && u1.sameStructure(as: u2)
        case (.conditional(let c1, let t1, let e1), .conditional(let c2, let t2, let e2)):
            return c1.sameStructure(as: c2) && t1.sameStructure(as: t2) && e1.sameStructure(as: e2)
        case (.filter(let l1, let c1), .filter(let l2, let c2)):
            return l1.sameStructure(as: l2) && c1.sameStructure(as: c2)
        case (.call(let f1, let a1), .call(let f2, let a2)): return f1.name == f2.name && Expr.same(a1, a2)
        case (.member(let a, let m1), .member(let b, let m2)): return m1.name == m2.name && a.sameStructure(as: b)
        case (.index(let a1, let i1), .index(let a2, let i2)): return a1.sameStructure(as: a2) && i1.sameStructure(as: i2)
        default: return false
        }
    }

    static func same(_ a: [Expr], _ b: [Expr]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.sameStructure(as: $1) }
    }

    static func same(_ a: Expr?, _ b: Expr?) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case (let x?, let y?): return x.sameStructure(as: y)
        default: return false
        }
    }
}
