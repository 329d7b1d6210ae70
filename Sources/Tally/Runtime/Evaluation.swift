/// Options for one evaluation: resource limits and cancellation.
public struct EvaluationOptions: Sendable {
    /// Maximum number of evaluation steps (nodes evaluated); exceeding it is
    /// a `limit` error. Default: no limit.
    public var maximumSteps: Int
    /// Maximum nesting of named values evaluated inside one another (a chain
    /// of `let`s each reading the next). Default 2,000.
    public var maximumDepth: Int
    /// Maximum length of any list built while evaluating. Default 10,000,000.
    public var maximumCollectionSize: Int
    /// Called every 1,024 steps; returning true cancels the evaluation.
    public var isCancelled: (@Sendable () -> Bool)?

    public init(maximumSteps: Int = .max, maximumDepth: Int = 2_000, maximumCollectionSize: Int = 10_000_000,
                isCancelled: (@Sendable () -> Bool)? = nil) {
        self.maximumSteps = maximumSteps
        self.maximumDepth = maximumDepth
        self.maximumCollectionSize = maximumCollectionSize
        self.isCancelled = isCancelled
    }
}

/// Flat per-scope memo storage: subjects × slots values and states.
final class SlotTable {
    let slotCount: Int
    let count: Int
    let values: UnsafeMutablePointer<Value>
    /// 0 not evaluated, 1 in progress, 2 done, 3 failed.
    let state: UnsafeMutablePointer<UInt8>
    var failures: [Int: EvaluationError] = [:]

    /// A copy of another table: its values, states and failures.
    init(copying other: SlotTable) {
        slotCount = other.slotCount
        count = other.count
        values = .allocate(capacity: max(1, count))
        state = .allocate(capacity: max(1, count))
        values.initialize(from: other.values, count: count)
        state.initialize(from: other.state, count: count)
        failures = other.failures
    }

    /// Marks entry `k` as not evaluated.
    func forget(_ k: Int) {
        if state[k] == 3 { failures[k] = nil }
        state[k] = 0
        values[k] = .none
    }

    init(initial: [Value], initialState: [UInt8], slotCount: Int) {
        self.slotCount = slotCount
        count = initial.count
        values = .allocate(capacity: max(1, count))
        state = .allocate(capacity: max(1, count))
        initial.withUnsafeBufferPointer { values.initialize(from: $0.baseAddress!, count: count) }
        initialState.withUnsafeBufferPointer { state.initialize(from: $0.baseAddress!, count: count) }
    }

    deinit {
        values.deinitialize(count: count)
        values.deallocate()
        state.deallocate()
    }
}

/// One evaluation of a compiled plan against a bound dataset: lazy and
/// memoised per subject (LANGUAGE.md §10). Not thread-safe; make one per
/// thread (the program and data are shared).
final class Evaluation {
    let program: Program
    let data: BoundData
    let options: EvaluationOptions
    var tables: [SlotTable]
    /// Per scope: subjects × blocks, 0 unknown, 1 applies, 2 does not, 3 failed.
    var blockState: [[UInt8]]
    var blockFailures: [Int: EvaluationError] = [:]
    /// The frame stack for comprehension variables and parameters.
    var locals: [Value] = []
    var base = 0
    var subject = SubjectRef.company
    var depth = 0
    var steps = 0
    /// `options.maximumSteps`, lowered to 0 once cancelled so that every
    /// later step fails at once (cancellation is sticky) at no extra cost.
    var stepLimit: Int
    /// The first resource limit or cancellation hit, if any: whole-plan
    /// evaluation records errors per value and goes on, so the API looks
    /// here to report the limit as such.
    var stopped: EvaluationError?
    var isCancelled = false
    var stackGuard = StackGuard()
    var warnings: [Diagnostic] = []
    var warningKeys: Set<String> = []
    /// Pool allocations, computed on first use: per pool, person → part.
    var poolParts: [Int: Result<[Int32: Money], EvaluationError>] = [:]
    var poolInstances: [PoolKey: Result<PoolInstance, EvaluationError>] = [:]
    /// The constraints, checked once: the violations and every failure.
    var constraintCheck: (violations: [Value], errors: [EvaluationError])?
    /// While a query runs: its program, whose file table also holds the
    /// query's own text (spans past the plan's files point into it).
    var query: Program?

    struct PoolKey: Hashable {
        var pool: Int
        var subject: SubjectRef
    }

    init(data: BoundData, options: EvaluationOptions = EvaluationOptions(), tables given: [SlotTable]? = nil) {
        self.program = data.program
        self.data = data
        self.options = options
        self.stepLimit = options.maximumSteps
        tables = given ?? ScopeKind.allCases.map { kind in
            let i = BoundData.index(kind)
            let table = SlotTable(initial: data.initial[i], initialState: data.initialState[i],
                                  slotCount: data.program.scope(kind).slots.count)
            for p in data.patches[i] { table.values[p.index] = p.value }
            // Required inputs without data (state 3): reading one fails.
            let spans = data.program.scope(kind).spans
            for (k, message) in data.missing[i] {
                table.failures[k] = EvaluationError(message, span: spans[k % max(1, table.slotCount)],
                                                    subject: SubjectRef(kind, k / max(1, table.slotCount)))
            }
            return table
        }
        blockState = ScopeKind.allCases.map { kind in
            let i = BoundData.index(kind)
            return Array(repeating: 0, count: data.counts[i] * data.program.scope(kind).blocks.count)
        }
        locals.reserveCapacity(64)
    }

    // MARK: Frames

    /// Runs `code` in a fresh frame for the given subject.
    @inline(__always)
    func run(_ code: Code, for s: SubjectRef) throws(EvaluationError) -> Value {
        stackGuard.refresh()
        let savedSubject = subject, savedBase = base
        subject = s
        base = locals.count
        if code.frameSize > 0 { locals.append(contentsOf: repeatElement(Value.none, count: code.frameSize)) }
        defer {
            if code.frameSize > 0 { locals.removeLast(code.frameSize) }
            base = savedBase
            subject = savedSubject
        }
        return try code.node.evaluate(self)
    }

    /// Like `run`, with `value` in frame slot 0 (an element for `share:`, or
    /// `progress` for a key result's `score:`).
    func run(_ code: Code, for s: SubjectRef, binding value: Value) throws(EvaluationError) -> Value {
        stackGuard.refresh()
        let savedSubject = subject, savedBase = base
        subject = s
        base = locals.count
        locals.append(contentsOf: repeatElement(Value.none, count: max(1, code.frameSize)))
        locals[base] = value
        defer {
            locals.removeLast(max(1, code.frameSize))
            base = savedBase
            subject = savedSubject
        }
        return try code.node.evaluate(self)
    }

    /// Runs `code` for `s` with the frame's first slots set to `frame` (used
    /// to evaluate a subexpression where comprehension variables are bound).
    func run(_ code: Code, for s: SubjectRef, frame: [Value]) throws(EvaluationError) -> Value {
        stackGuard.refresh()
        let savedSubject = subject, savedBase = base
        subject = s
        base = locals.count
        let size = max(code.frameSize, frame.count)
        locals.append(contentsOf: frame)
        if size > frame.count { locals.append(contentsOf: repeatElement(Value.none, count: size - frame.count)) }
        defer {
            locals.removeLast(size)
            base = savedBase
            subject = savedSubject
        }
        return try code.node.evaluate(self)
    }

    @inline(__always)
    func step() throws(EvaluationError) {
        steps &+= 1
        if steps > stepLimit { throw stop(isCancelled ? .cancelled : .limit) }
        if stackGuard.isLow() {
            throw stop(.limit, "expression nested too deeply for this thread's stack: evaluate on a thread with a larger stack")
        }
        if steps & 0x3FF == 0, let cancelled = options.isCancelled, cancelled() {
            isCancelled = true
            stepLimit = 0
            throw stop(.cancelled)
        }
    }

    /// A limit or cancellation error, remembered in `stopped` (the first one).
    func stop(_ kind: EvaluationError.Kind, _ message: String? = nil, span: Span? = nil,
              subject s: SubjectRef? = nil) -> EvaluationError {
        let text = message ?? (kind == .cancelled ? "evaluation cancelled"
                                                  : "evaluation exceeded the limit of \(options.maximumSteps) steps")
        let e = EvaluationError(text, span: span, subject: s ?? subject, kind: kind)
        if stopped == nil { stopped = e }
        return e
    }

    /// Enforces `maximumCollectionSize` on a list just built at `span`.
    @inline(__always)
    func checkCollection(_ count: Int, _ span: Span) throws(EvaluationError) {
        if count > options.maximumCollectionSize {
            throw stop(.limit, "a list of \(count) elements exceeds the limit of \(options.maximumCollectionSize) elements", span: span)
        }
    }

    // MARK: Slots

    /// The value of `slot` for subject `s`, computing and memoising it.
    @inline(__always)
    func value(_ s: SubjectRef, _ slot: Int) throws(EvaluationError) -> Value {
        let t = tables[BoundData.index(s.scope)]
        let k = Int(s.index) &* t.slotCount &+ slot
        if t.state[k] == 2 { return t.values[k] }
        return try compute(s, slot, t, k)
    }

    private func compute(_ s: SubjectRef, _ slot: Int, _ t: SlotTable, _ k: Int) throws(EvaluationError) -> Value {
        switch t.state[k] {
        case 3: throw t.failures[k]!
        case 1:
            let name = program.scope(s.scope).descriptions[slot].name
            throw EvaluationError("dependency cycle while evaluating `\(name)`",
                                  span: program.scope(s.scope).spans[slot], subject: s)
        default: break
        }
        guard depth < options.maximumDepth else {
            throw stop(.limit, "named values nested too deeply (more than \(options.maximumDepth) evaluated inside one another)",
                       span: program.scope(s.scope).spans[slot], subject: s)
        }
        stackGuard.refresh()
        if stackGuard.isLow() {
            throw stop(.limit, "evaluation nested too deeply for this thread's stack (\(depth) named values inside one another): "
                           + "evaluate on a thread with a larger stack, or lower maximumDepth",
                       span: program.scope(s.scope).spans[slot], subject: s)
        }
        t.state[k] = 1
        depth += 1
        defer { depth -= 1 }
        do {
            let v = try computeSlot(s, slot)
            t.values[k] = v
            t.state[k] = 2
            return v
        } catch {
            t.failures[k] = error
            t.state[k] = 3
            throw error
        }
    }

    private func computeSlot(_ s: SubjectRef, _ slot: Int) throws(EvaluationError) -> Value {
        let scope = program.scope(s.scope)
        switch scope.slots[slot] {
        case .input:
            return .none
        case .value(let defs):
            guard let def = try applicable(defs, s, slot) else { return .none }
            return try run(def.code, for: s)
        case .objective(let alternatives):
            guard let o = try applicable(alternatives, s, slot) else { return .none }
            return try evaluateObjective(s, o.objective)
        case .incentive(let defs):
            guard let def = try applicable(defs, s, slot) else {
                return .money(Money(.zero, defs.first?.currency ?? program.header.currency))
            }
            return try evaluateIncentive(def, s)
        case .pool(let p):
            let pool = program.pools[p]
            if let b = pool.block, !(try blockApplies(s, b)) { return .money(Money(.zero, pool.currency ?? program.header.currency)) }
            return try poolInstance(p, s).paid
        case .poolShare(let p):
            return try poolShare(p, person: s)
        case .score:
            return try score(s)
        case .objectives:
            return .list(try applicableObjectives(s).map { $0.1 })
        }
    }

    /// The one definition whose block applies to `s`, or nil; two is an error.
    func applicable<D: Conditional>(_ defs: [D], _ s: SubjectRef, _ slot: Int) throws(EvaluationError) -> D? {
        if defs.count == 1 {
            let d = defs[0]
            if let b = d.block, !(try blockApplies(s, b)) { return nil }
            return d
        }
        var found: D?
        for d in defs {
            if let b = d.block, !(try blockApplies(s, b)) { continue }
            if let first = found {
                let name = program.scope(s.scope).descriptions[slot].name
                let line = program.file(first.span).map { " (the other is on line \($0.line(of: Int(first.span.start))))" } ?? ""
                throw EvaluationError("`\(name)` is defined by two blocks that both apply\(line)", span: d.span, subject: s)
            }
            found = d
        }
        return found
    }

    /// Whether the condition of block `b` of the subject's scope holds for `s`.
    func blockApplies(_ s: SubjectRef, _ b: Int) throws(EvaluationError) -> Bool {
        let si = BoundData.index(s.scope)
        let blocks = program.scope(s.scope).blocks
        let k = Int(s.index) * blocks.count + b
        switch blockState[si][k] {
        case 1: return true
        case 2: return false
        case 3: throw blockFailures[k &* 3 &+ si]!
        default: break
        }
        guard let code = blocks[b] else { return true }
        do throws(EvaluationError) {
            let v = try run(code, for: s)
            guard case .bool(let ok) = v else {
                throw EvaluationError("a `where` condition must be true or false, not \(v.typeName)", span: code.node.span, subject: s)
            }
            blockState[si][k] = ok ? 1 : 2
            return ok
        } catch {
            blockState[si][k] = 3
            blockFailures[k &* 3 &+ si] = error
            throw error
        }
    }

    // MARK: Errors and warnings

    func typeError(_ node: Node, _ v: Value, expected: String, _ what: String) -> EvaluationError {
        if v.isNone {
            return noneError(node)
        }
        return EvaluationError("\(what) must be \(expected), not \(v.typeName)", span: node.span, subject: subject)
    }

    /// `none` used where a value is needed: names the expression (the input)
    /// and the subject (LANGUAGE.md §4).
    func noneError(_ node: Node) -> EvaluationError {
        let text = (query ?? program).text(node.span)
        return EvaluationError("`\(text)` is none (absent); test it with `== none` or give a default with `??`",
                               span: node.span, subject: subject)
    }

    /// An error raised while a `where` condition or a comprehension looked at
    /// `item`: when the item is a person or team other than the subject the
    /// error already names, name it too, since its value is usually the
    /// culprit (a none input of that element, LANGUAGE.md §4).
    func naming(_ item: Value, in error: EvaluationError, _ what: String) -> EvaluationError {
        guard error.kind == .evaluation, error.context == nil, case .subject(let s) = item, error.subject != s else { return error }
        var e = error
        e.context = "for \(data.describe(s)) in \(what)"
        return e
    }

    func warn(_ span: Span?, _ message: String) {
        guard warningKeys.insert(message).inserted else { return }
        warnings.append(program.diagnostic(.warning, .evaluation, span, message))
    }

    /// The subject's `id` as a value.
    func subjectID(_ s: SubjectRef) -> String { data.id(of: s) }
}
