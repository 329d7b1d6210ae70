// A compact S-expression rendering of the AST, for tests and debugging.
//
//   1 + 2 * 3                 (+ 1 (* 2 3))
//   -2^2                      (- (^ 2 2))
//   people where score >= 0.5 (where people (>= score 0.5))
//   x in 80%..120%            (in x (.. 80% 120%))
//   f(a, b)  a.b  a[i]        (call f a b)  (. a b)  (index a i)
//   [1, 2]  [e for x in xs if c]   (list 1 2)  (for e x xs c)
//   if c then a else b        (if c a b)
//   15_000 CNY  2026-09-30    15000CNY  2026-09-30
//
// Literals: numbers as written without `_`, percents with their `%`,
// strings quoted with the source escapes, `none`, `true`, `false`, and
// `<error>` for an error node. Declarations render as one S-expression
// each (see `print(_ declaration:)`).

public enum ASTPrinter {
    public static func print(_ e: Expr) -> String {
        var out = ""
        write(e, to: &out)
        return out
    }

    public static func print(_ file: PlanFile) -> String {
        file.declarations.map { print($0) }.joined(separator: "\n")
    }

    public static func print(_ d: Declaration) -> String {
        switch d {
        case .plan(let p):
            return list(["plan", quote(p.title)] + p.fields.map(field))
        case .import(let i):
            return list(["import", quote(i.path)])
        case .inputs(let b):
            var parts = ["inputs", b.scope.rawValue]
            if let c = b.condition { parts.append(list(["where", print(c)])) }
            for f in b.fields {
                var fp = [f.name.name, f.type.rawValue + (f.isOptional ? "?" : "")]
                if let v = f.defaultValue { fp.append(list(["=", print(v)])) }
                if let t = f.title { fp.append(quote(t)) }
                parts.append(list(fp))
            }
            return list(parts)
        case .scope(let s):
            var parts = ["for", s.scope.rawValue]
            if let c = s.condition { parts.append(list(["where", print(c)])) }
            return list(parts + s.declarations.map { print($0) })
        case .let(let l):
            return list(["let", l.name.name] + (l.title.map { [quote($0)] } ?? []) + [print(l.value)])
        case .function(let f):
            return list(["func", f.name.name, list(f.parameters.map(\.name)), print(f.body)])
        case .table(let t):
            return list(["table", t.name.name, list(t.parameters.map(\.name)), t.kind.rawValue] + t.rows.map(row))
        case .objective(let o):
            var parts = ["objective", o.id.name]
            if let t = o.title { parts.append(quote(t)) }
            if let w = o.weight { parts.append(list(["weight", print(w)])) }
            if let a = o.alignsTo { parts.append(list(["aligns", a.scope.name + "." + a.objective.name])) }
            return list(parts + o.keyResults.map(keyResult))
        case .incentive(let i):
            return list(["incentive", i.name.name] + (i.title.map { [quote($0)] } ?? []) + i.fields.map(field))
        case .pool(let p):
            return list(["pool", p.name.name] + (p.title.map { [quote($0)] } ?? []) + p.fields.map(field))
        case .constraint(let c):
            var parts = ["constraint", quote(c.title)]
            if let s = c.scope {
                var sp = ["for", s.rawValue]
                if let cond = c.condition { sp.append(list(["where", print(cond)])) }
                parts.append(list(sp))
            }
            parts.append(c.severity.rawValue)
            parts.append(print(c.rule))
            return list(parts)
        }
    }

    static func keyResult(_ k: KeyResultDecl) -> String {
        var parts = ["key_result", k.id.name]
        if let t = k.title { parts.append(quote(t)) }
        if let w = k.weight { parts.append(list(["weight", print(w)])) }
        return list(parts + k.fields.map(field))
    }

    static func field(_ f: Field) -> String { list([f.label.name, print(f.value)]) }

    static func row(_ r: TableRow) -> String {
        let key: String
        switch r.key {
        case .value(let e): key = print(e)
        case .below: key = "below"
        case .above: key = "above"
        case .else: key = "else"
        case .tests(let tests): key = list(tests.map(test))
        }
        return list(["->", key, print(r.result)])
    }

    public static func test(_ t: UnaryTest) -> String {
        switch t {
        case .compare(let op, let e): return list([op.rawValue, print(e)])
        case .range(let lo, let hi, let inclusive): return list([inclusive ? ".." : "..<", print(lo), print(hi)])
        case .member(let e): return list(["in", print(e)])
        case .equal(let e): return print(e)
        case .any: return "_"
        }
    }

    static func list(_ parts: [String]) -> String { "(" + parts.joined(separator: " ") + ")" }

    /// A string with the source escapes (`\"`, `\\`, `\n`, `\t`, `\u{...}` for
    /// other control characters): the canonical quoting of strings.
    public static func quote(_ s: String) -> String { CanonicalText.quote(s) }

    static func write(_ e: Expr, to out: inout String) {
        func group(_ head: String, _ children: [Expr]) {
            out += "(" + head
            for c in children {
                out += " "
                write(c, to: &out)
            }
            out += ")"
        }
        switch e.kind {
        case .number(let n): out += n.text + (n.isPercent ? "%" : "")
        case .money(let n, let currency): out += n.text + currency
        case .string(let s): out += quote(s)
        case .date(let y, let m, let d): out += Day(year: y, month: m, day: d)?.description ?? "\(y)-\(m)-\(d)"
        case .bool(let b): out += b ? "true" : "false"
        case .none: out += "none"
        case .name(let id): out += id.name
        case .list(let items): group("list", items)
        case .comprehension(let element, let variable, let iterable, let condition):
            out += "(for "
            write(element, to: &out)
            out += " " + variable.name + " "
            write(iterable, to: &out)
            if let c = condition {
                out += " "
                write(c, to: &out)
            }
            out += ")"
        case .unary(let op, let x): group(op.rawValue, [x])
        case .binary(let op, let a, let b): group(op.rawValue, [a, b])
        case .range(let lo, let hi, let inclusive): group(inclusive ? ".." : "..<", [lo, hi])
        case .conditional(let c, let a, let b): group("if", [c, a, b])
        case .filter(let xs, let c): group("where", [xs, c])
        case .call(let f, let args): group("call " + f.name, args)
        case .member(let x, let name):
            out += "(. "
            write(x, to: &out)
            out += " " + name.name + ")"
        case .index(let x, let i): group("index", [x, i])
        case .error: out += "<error>"
        }
    }
}
