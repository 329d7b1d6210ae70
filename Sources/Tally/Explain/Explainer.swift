/// Builds explanations by walking the checked syntax tree of the expression
/// asked about and of every definition it reaches, asking the evaluation for
/// each part's value. Nothing here runs during normal evaluation: recording a
/// derivation costs nothing unless one is requested.
final class Explainer {
    let checked: CheckedPlan
    let program: Program
    let evaluation: Evaluation
    /// Subexpressions compiled on demand, by node.
    private var codes: [NodeID: Code] = [:]
    /// Slots already explained in this tree, by subject and slot.
    var seen: Set<SlotKey> = []
    /// Nodes made so far; past `budget`, definitions are no longer expanded.
    var count = 0
    let budget: Int
    /// Elements of a list expanded individually; the rest are listed by value.
    let elementLimit: Int
    /// Definitions explained inside one another so far, and the limit past
    /// which they are listed by value (a chain of thousands of `let`s).
    var depth = 0
    let depthLimit = 200

    struct SlotKey: Hashable {
        var subject: SubjectRef
        var slot: Int
    }

    init(checked: CheckedPlan, program: Program, evaluation: Evaluation, budget: Int = 20_000, elementLimit: Int = 25) {
        self.checked = checked
        self.program = program
        self.evaluation = evaluation
        self.budget = budget
        self.elementLimit = elementLimit
    }

    // MARK: Helpers

    func location(_ span: Span) -> SourceLocation? {
        program.file(span).map { $0.location(of: Int(span.start)) }
    }

    /// The source text of a span on one line: comments removed (they would
    /// swallow what follows once lines are joined), lines trimmed and joined.
    func text(_ span: Span) -> String {
        program.text(span).split(whereSeparator: \.isNewline)
            .map { Substring(Explainer.withoutComment($0)).trimmingSpacesAndTabs }
            .filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// A line without its `#` comment (a `#` inside a string is kept).
    static func withoutComment(_ line: Substring) -> String {
        var inString = false, escaped = false
        var out = ""
        for c in line {
            if inString {
                if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { inString = false }
            } else if c == "\"" {
                inString = true
            } else if c == "#" {
                break
            }
            out.append(c)
        }
        return out
    }

    func render(_ v: Value?) -> String {
        guard let v else { return "error" }
        return CanonicalText.render(v, quoted: true, subjectID: { [data = evaluation.data] in data.id(of: $0) })
    }

    /// "person E0001 (肖涛)": the subject, with the name an employee knows.
    func describe(_ s: SubjectRef) -> String {
        let who = evaluation.data.describe(s)
        guard s.scope != .company, let name = evaluation.data.names[BoundData.index(s.scope)][Int(s.index)] else { return who }
        return "\(who) (\(name))"
    }

    /// The value of a subexpression for subject `s` with frame `frame`.
    func value(_ e: Expr, _ s: SubjectRef, _ frame: [Value]) -> Result<Value, EvaluationError> {
        let code: Code
        if let c = codes[e.id] {
            code = c
        } else {
            var compiler = Compiler(plan: checked, header: program.header)
            code = compiler.root(e)
            codes[e.id] = code
        }
        let saved = evaluation.query
        evaluation.query = program
        defer { evaluation.query = saved }
        return Result { () throws(EvaluationError) in try evaluation.run(code, for: s, frame: frame) }
    }

    func node(_ kind: Explanation.Kind, _ label: String, value: Result<Value, EvaluationError>, span: Span?,
              subject: SubjectRef? = nil, title: String? = nil, notes: [String] = [],
              children: [Explanation] = [], formula: Formula = .leaf) -> Explanation {
        count += 1
        var notes = notes
        var v: Value?
        switch value {
        case .success(let x): v = x
        case .failure(let e):
            // Say why once, where it happens: a parent failing because a
            // child failed adds nothing.
            if !children.contains(where: { $0.kind == .failure }) { notes.append("failed: \(e.message)") }
        }
        var x = Explanation(kind: v == nil ? .failure : kind, label: label, title: title,
                            subject: subject.map(describe), value: v, text: render(v),
                            location: span.flatMap(location), notes: notes, children: children, formula: formula)
        x.shown = v.map(evaluation.exported)
        return x
    }

    var exhausted: Bool { count >= budget }

    // MARK: Expressions

    /// Explains expression `e` evaluated for `s` with frame `frame`.
    func explain(_ e: Expr, _ s: SubjectRef, _ frame: [Value]) -> Explanation {
        let label = text(e.span)
        let v = value(e, s, frame)
        if exhausted { return node(.value, label, value: v, span: e.span, notes: ["not expanded: explanation size limit"]) }
        let resolution = Int(e.id) < checked.resolutions.count ? checked.resolutions[Int(e.id)] : nil
        switch e.kind {
        case .number, .money, .string, .date, .bool, .none, .error, .range:
            return node(.literal, label, value: v, span: e.span)
        case .name(let id):
            return explainName(id.name, resolution, e, s, frame, v)
        case .binary(.power, let a, let b):
            return node(.operation, label, value: v, span: e.span,
                        children: [explain(a, s, frame), explain(b, s, frame)], formula: .chain([.power]))
        case .binary(let op, _, _) where [.add, .subtract, .multiply, .divide].contains(op):
            var operands: [Expr] = []
            var ops: [BinaryOperator] = []
            flatten(e, level: level(op), into: &operands, ops: &ops)
            return node(.operation, label, value: v, span: e.span,
                        children: operands.map { explain($0, s, frame) }, formula: .chain(ops))
        case .binary(let op, let a, let b):
            return explainLogic(op, a, b, e, s, frame, v)
        case .unary(let op, let x):
            return node(.operation, label, value: v, span: e.span, children: [explain(x, s, frame)],
                        formula: op == .negate ? .negate : .not)
        case .conditional(let c, let a, let b):
            let cond = explain(c, s, frame)
            var children = [cond]
            if case .bool(let taken)? = cond.value { children.append(explain(taken ? a : b, s, frame)) }
            return node(.conditional, label, value: v, span: e.span, children: children, formula: .conditional)
        case .list(let items):
            let shown = items.prefix(elementLimit).map { explain($0, s, frame) }
            let notes = items.count > shown.count ? ["\(items.count - shown.count) more elements not shown"] : []
            return node(.list, label, value: v, span: e.span, notes: notes, children: shown, formula: .list)
        case .comprehension(let element, let variable, let iterable, let condition):
            return explainComprehension(e, element, variable.name, iterable, condition, resolution, s, frame, v)
        case .filter(let list, let cond):
            return explainFilter(e, list, cond, resolution, s, frame, v)
        case .call(let callee, let args):
            return explainCall(callee.name, args, resolution, e, s, frame, v)
        case .member(let base, let member):
            return explainMember(base, member.name, resolution, e, s, frame, v)
        case .index:
            return node(.index, label, value: v, span: e.span)
        }
    }

    private func level(_ op: BinaryOperator) -> Int {
        switch op {
        case .add, .subtract: return 7
        case .multiply, .divide: return 8
        default: return 10
        }
    }

    /// `a * b * c / d` as operands [a, b, c, d] with operators [*, *, /]:
    /// one node per chain of one precedence level, as a reader sees it.
    private func flatten(_ e: Expr, level l: Int, into operands: inout [Expr], ops: inout [BinaryOperator]) {
        if case .binary(let op, let a, let b) = e.kind, [.add, .subtract, .multiply, .divide].contains(op), level(op) == l {
            flatten(a, level: l, into: &operands, ops: &ops)
            ops.append(op)
            operands.append(b)
        } else {
            operands.append(e)
        }
    }

    private func explainName(_ name: String, _ r: Resolution?, _ e: Expr, _ s: SubjectRef, _ frame: [Value],
                             _ v: Result<Value, EvaluationError>) -> Explanation {
        switch r {
        case .slot(_, let slot)?: return explainSlot(s, slot, span: e.span)
        case .companySlot(let slot)?: return explainSlot(.company, slot, span: e.span)
        case .elementSlot(let local, _, let slot)?:
            if local < frame.count, case .subject(let element) = frame[local] { return explainSlot(element, slot, span: e.span) }
        case .local?:
            return node(.local, name, value: v, span: e.span)
        default:
            break
        }
        return node(.builtin, name, value: v, span: e.span)
    }

    private func explainLogic(_ op: BinaryOperator, _ a: Expr, _ b: Expr, _ e: Expr, _ s: SubjectRef, _ frame: [Value],
                              _ v: Result<Value, EvaluationError>) -> Explanation {
        let label = text(e.span)
        let left = explain(a, s, frame)
        switch op {
        case .and, .or:
            var children = [left]
            // Short circuit: the right side is evaluated only when needed.
            if case .bool(let x)? = left.value, x == (op == .and) { children.append(explain(b, s, frame)) }
            return node(.operation, label, value: v, span: e.span, children: children, formula: op == .and ? .and : .or)
        case .coalesce:
            var children = [left]
            if left.value == Value.none { children.append(explain(b, s, frame)) }
            return node(.operation, label, value: v, span: e.span, children: children, formula: .coalesce)
        case .in:
            if case .range(let lo, let hi, let inclusive) = b.kind {
                return node(.operation, label, value: v, span: e.span,
                            children: [left, explain(lo, s, frame), explain(hi, s, frame)], formula: .member(inclusive: inclusive))
            }
            return node(.operation, label, value: v, span: e.span, children: [left, explain(b, s, frame)], formula: .member(inclusive: nil))
        default:
            return node(.operation, label, value: v, span: e.span, children: [left, explain(b, s, frame)], formula: .compare(op))
        }
    }

    private func bind(_ frame: [Value], _ local: Int, _ value: Value) -> [Value] {
        var f = frame
        if f.count <= local { f.append(contentsOf: repeatElement(Value.none, count: local + 1 - f.count)) }
        f[local] = value
        return f
    }

    private func explainComprehension(_ e: Expr, _ element: Expr, _ variable: String, _ iterable: Expr, _ condition: Expr?,
                                      _ r: Resolution?, _ s: SubjectRef, _ frame: [Value],
                                      _ v: Result<Value, EvaluationError>) -> Explanation {
        guard case .local(let local)? = r, case .success(.list(let items)) = value(iterable, s, frame) else {
            return node(.list, text(e.span), value: v, span: e.span)
        }
        var children: [Explanation] = []
        var kept = 0
        for item in items {
            let f = bind(frame, local, item)
            if let condition, case .success(.bool(false)) = value(condition, s, f) { continue }
            kept += 1
            if children.count < elementLimit && !exhausted {
                var child = explain(element, s, f)
                child.notes.insert("for \(variable) = \(describeItem(item))", at: 0)
                children.append(child)
            }
        }
        var notes = ["\(items.count) element\(items.count == 1 ? "" : "s") of \(text(iterable.span))" + (condition == nil ? "" : ", \(kept) kept by the `if`")]
        if kept > children.count { notes.append("\(kept - children.count) more not shown") }
        return node(.list, text(e.span), value: v, span: e.span, notes: notes, children: children, formula: .list)
    }

    private func explainFilter(_ e: Expr, _ list: Expr, _ cond: Expr, _ r: Resolution?, _ s: SubjectRef, _ frame: [Value],
                               _ v: Result<Value, EvaluationError>) -> Explanation {
        guard case .local(let local)? = r, case .success(.list(let items)) = value(list, s, frame),
              case .success(.list(let kept))? = Optional(v) else {
            return node(.list, text(e.span), value: v, span: e.span)
        }
        var children: [Explanation] = []
        for item in items.prefix(elementLimit) where !exhausted {
            var child = explain(cond, s, bind(frame, local, item))
            child.notes.insert("for \(describeItem(item))", at: 0)
            children.append(child)
        }
        var notes = ["\(kept.count) of \(items.count) kept"]
        if items.count > children.count { notes.append("conditions of \(items.count - children.count) more not shown") }
        return node(.list, text(e.span), value: v, span: e.span, notes: notes, children: children, formula: .leaf)
    }

    private func explainMember(_ base: Expr, _ name: String, _ r: Resolution?, _ e: Expr, _ s: SubjectRef, _ frame: [Value],
                               _ v: Result<Value, EvaluationError>) -> Explanation {
        let baseValue = value(base, s, frame)
        if case .success(.subject(let subject)) = baseValue, let slot = program.scope(subject.scope).slotIndex[name] {
            return explainSlot(subject, slot, span: e.span)
        }
        // An objective's own fields: its weight's expression, its aligned children.
        if case .success(.record(let r)) = baseValue, r.kind == .objective, let owner = r.owner {
            let info = checked.scope(owner.scope).objectives[r.ordinal]
            if name == "weight" {
                if let w = info.decl.weight {
                    var c = explain(w, owner, [])
                    c.label = "weight of \(info.decl.id.name): \(c.label)"
                    return node(.member, text(e.span), value: v, span: e.span, children: [c], formula: .alias)
                }
                return node(.member, text(e.span), value: v, span: e.span, notes: ["no weight written: 1"])
            }
            if name == "aligned", case .success(.list(let items)) = v {
                let who = items.prefix(elementLimit).map(describeItem)
                return node(.member, text(e.span), value: v, span: e.span,
                            notes: ["the objectives aligned to \(info.decl.id.name) of \(describe(owner)): " + (who.isEmpty ? "none" : who.joined(separator: "; "))])
            }
        }
        return node(.member, text(e.span), value: v, span: e.span, children: [explain(base, s, frame)], formula: .field(name))
    }

    private func explainCall(_ name: String, _ args: [Expr], _ r: Resolution?, _ e: Expr, _ s: SubjectRef, _ frame: [Value],
                             _ v: Result<Value, EvaluationError>) -> Explanation {
        let label = text(e.span)
        let children = args.map { explain($0, s, frame) }
        switch r {
        case .builtinFunction(let f)?:
            var zero = Value.number(.zero)
            if f == .sum, let first = args.first, case .list(.money(let c)) = checked.types[Int(first.id)] {
                zero = .money(Money(.zero, c ?? program.header.currency))
            }
            var notes: [String] = []
            if f == .overlap_days, children.count == 4, case .date(let a1)? = children[0].value, case .date(let a2)? = children[1].value,
               case .date(let b1)? = children[2].value, case .date(let b2)? = children[3].value, case .success(let y) = v {
                let from = Swift.max(a1, b1), to = Swift.min(a2, b2)
                notes.append(from <= to ? "days in both \(a1)…\(a2) and \(b1)…\(b2): \(from) to \(to), both ends included = \(render(y))"
                                        : "\(a1)…\(a2) and \(b1)…\(b2) do not overlap: 0")
            }
            if f == .days_between, children.count == 2, case .date(let a)? = children[0].value, case .date(let b)? = children[1].value,
               case .success(let y) = v {
                notes.append("from \(a) to \(b): \(render(y)) days")
            }
            if let mode = f.roundingMode, let x = children.first?.value, case .success(let y) = v {
                let places = children.count > 1 ? children[1].text : "0"
                notes.append("\(roundingName(mode)) to \(places) place\(places == "1" ? "" : "s"): \(render(x)) → \(render(y))")
            }
            return node(.call, label, value: v, span: e.span, notes: notes, children: children, formula: .builtin(f, emptySum: zero))
        case .table(let t)?:
            let values = children.compactMap(\.value)
            let notes = values.count == children.count ? tableNotes(t, values, v) : []
            return node(.table, label, value: v, span: e.span, notes: notes, children: children, formula: .table(t))
        case .userFunction(let f)?:
            let decl = checked.functions[f].decl
            let argValues = children.map { $0.value ?? .none }
            var body = explain(decl.body, s, argValues)
            body.notes.insert("the body of \(decl.name.name)(\(decl.parameters.map(\.name).joined(separator: ", ")))", at: 0)
            return node(.call, label, value: v, span: e.span, children: children + [body], formula: .alias)
        default:
            return node(.call, label, value: v, span: e.span, children: children)
        }
    }

    /// An element as a reader knows it: a person or team with their name, an
    /// objective as whose objective it is.
    func describeItem(_ v: Value) -> String {
        switch v {
        case .subject(let s): return describe(s)
        case .record(let r) where r.kind == .objective:
            let id = r.values[0]
            let whose = r.owner.map { " of \(describe($0))" } ?? ""
            return "objective \(CanonicalText.render(id))\(whose) (score \(render(r.values[3])))"
        default: return render(v)
        }
    }

    func roundingName(_ mode: RoundingMode) -> String {
        switch mode {
        case .halfAwayFromZero: return "rounded half away from zero"
        case .halfEven: return "rounded half to even"
        case .floor: return "rounded down (floor)"
        case .ceiling: return "rounded up (ceiling)"
        case .towardZero: return "truncated toward zero"
        }
    }
}

extension Substring {
    var trimmingSpacesAndTabs: String { String(self).trimmingSpaces }
}
