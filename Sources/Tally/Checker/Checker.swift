/// The checker: name resolution, types, the dependency graph and the plan's
/// structural rules (LANGUAGE.md §4–§10). It visits every declaration, and
/// collects *all* diagnostics in one pass instead of stopping at the first.
///
/// Types of named values are inferred on demand (declarations are
/// order-independent), memoised per slot, with a depth limit so that an
/// adversarial chain of definitions cannot exhaust the stack.
final class Checker {
    /// Longest chain of definitions checked inside one another. Deeper, a
    /// definition is not checked on the spot but later, in declaration
    /// order, and its readers see its type as unknown (they are then checked
    /// when evaluated). This keeps the checker's stack bounded whatever the
    /// order of a long chain of declarations.
    static let maximumDefinitionDepth = 200

    var plan: CheckedPlan
    var diagnostics: DiagnosticBag
    var graph = DependencyGraph()
    /// 0 unchecked, 1 in progress, 2 done; per scope, per slot.
    var slotState: [[UInt8]] = [[], [], []]
    var depth = 0
    var functionState: [UInt8] = []
    var tableState: [UInt8] = []

    init(plan: CheckedPlan, diagnostics: DiagnosticBag) {
        self.plan = plan
        self.diagnostics = diagnostics
    }

    /// Checks parsed files (the main plan first, then its imports).
    static func check(_ files: [PlanFile], nodeCount: Int, diagnostics: inout DiagnosticBag) -> CheckedPlan {
        let checker = Checker(plan: CheckedPlan(files: diagnostics.files, nodeCount: nodeCount), diagnostics: diagnostics)
        checker.run(files)
        diagnostics = checker.diagnostics
        return checker.plan
    }

    func run(_ files: [PlanFile]) {
        var headerSeen: Span?
        for file in files {
            collect(file.declarations, scope: .company, block: nil, header: &headerSeen)
        }
        if headerSeen == nil {
            let span = files.first.map { Span(file: $0.file, start: 0, end: 0) }
            error(span, "the plan has no `plan \"title\" { period: ... currency: ... }` header")
        }
        addDerivedSlots()
        resolveAlignments()
        checkAll()
        // Calls met too deep inside other definitions, re-checked from the top
        // (each may defer deeper ones in turn; every pass starts at depth 0).
        while !deferredInstantiations.isEmpty {
            let pending = deferredInstantiations
            deferredInstantiations = []
            for (f, types, call) in pending { _ = instantiate(f, types, at: call) }
        }
        reportCycles()
        plan.readers = graph.readers
    }

    // MARK: Diagnostics

    /// Errors reported per compilation; past it, one "too many errors".
    static let errorLimit = 1_000
    var errorCount = 0
    /// Names compared for "did you mean" suggestions, at most, per compilation.
    var suggestionBudget = 1_000_000

    /// Set while a function body is re-checked for one call (see
    /// `instantiate`): what it finds is collected here, not reported.
    var instantiation: Instantiation?
    /// Function bodies re-checked per argument types: the type, and whether
    /// it found errors.
    var instantiations: [InstantiationKey: (type: StaticType, errors: [InstantiationError])] = [:]
    /// Where errors of definitions' own checks were reported (file and start).
    var errorSpans: Set<SpanKey> = []
    /// Errors reported from re-checks: where in `diagnostics.items`.
    var reportedInstantiationErrors: [String: Int] = [:]
    /// Re-checks met too deep inside other definitions, done at the end.
    var deferredInstantiations: [(Int, [StaticType], Span)] = []
    /// Bodies re-checked for calls, at most, per compilation (beyond it,
    /// calls get the body's own type and are checked when evaluated).
    static let instantiationLimit = 10_000
    /// Source bytes of bodies re-checked for calls, at most, per compilation:
    /// keeps a plan of many distinct calls to a long function linear.
    static let instantiationByteLimit = 4_000_000
    var instantiatedBytes = 0

    /// Runs `body` — a definition's own first check, met while re-checking
    /// a function body for a call — as a normal check: reported, recorded.
    func outsideInstantiation<T>(_ body: () -> T) -> T {
        guard let saved = instantiation else { return body() }
        instantiation = nil
        let frozen = graph.frozen
        graph.frozen = false
        defer {
            instantiation = saved
            graph.frozen = frozen
        }
        return body()
    }

    struct Instantiation {
        /// The functions being re-checked, outermost first (a cycle stops).
        var functions: [Int]
        var errors: [InstantiationError] = []
    }

    /// A problem found re-checking a body, with the notes of the calls
    /// (innermost first) that led to it.
    struct InstantiationError {
        var span: Span?
        var message: String
        var notes: [Diagnostic] = []
    }

    struct SpanKey: Hashable {
        var file: Int32
        var start: Int32
        var end: Int32
        init(_ s: Span) {
            file = s.file
            start = s.start
            end = s.end
        }
    }

    struct InstantiationKey: Hashable {
        var function: Int
        var arguments: [StaticType]
    }

    /// Reports an error. `ownCheck` is false for a problem found re-checking
    /// a function body for a call (its place is not one the body's own check
    /// flagged; see `deliver`).
    func error(_ span: Span?, _ message: String, notes: [Diagnostic] = [], ownCheck: Bool = true) {
        if instantiation != nil {
            // A mismatch in a body often repeats: a few say enough.
            if instantiation!.errors.count < 10 { instantiation!.errors.append(InstantiationError(span: span, message: message)) }
            return
        }
        if let span, ownCheck { errorSpans.insert(SpanKey(span)) }
        errorCount += 1
        if errorCount == Checker.errorLimit + 1 {
            diagnostics.error(span, "too many errors (more than \(Checker.errorLimit)); fix these first")
        }
        guard errorCount <= Checker.errorLimit else { return }
        diagnostics.error(span, message, notes: notes)
    }

    func warning(_ span: Span?, _ message: String) {
        if instantiation != nil { return }   // said by the body's own check
        diagnostics.warning(span, message)
    }

    func note(_ span: Span?, _ message: String) -> Diagnostic {
        diagnostics.note(span, message)
    }

    func scope(_ kind: ScopeKind) -> ScopeModel { plan.scope(kind) }

    /// `hi` when `lo` and `hi` are constants and lo > hi: a clamp or a
    /// floor/cap pair that always gives `hi` (clamp is `min(max(x, lo), hi)`,
    /// LANGUAGE.md §4) — allowed, but surely not meant.
    func boundsInverted(_ lo: Expr, _ hi: Expr) -> Value? {
        guard let l = plan.constant(lo), let h = plan.constant(hi), let c = try? Operators.compare(l, h), c > 0 else { return nil }
        return h
    }

    func sourceText(_ span: Span) -> String {
        diagnostics.file(span)?.text(of: span) ?? ""
    }

    /// `name` for company-scope names, `person.name` elsewhere.
    func qualified(_ scope: ScopeKind, _ name: String) -> String {
        scope == .company ? name : "\(scope.rawValue).\(name)"
    }

    // MARK: Check everything

    func checkAll() {
        for kind in ScopeKind.allCases {
            let model = scope(kind)
            slotState[index(kind)] = Array(repeating: 0, count: model.slots.count)
        }
        functionState = Array(repeating: 0, count: plan.functions.count)
        tableState = Array(repeating: 0, count: plan.tables.count)
        for kind in ScopeKind.allCases {
            for i in scope(kind).blocks.indices { checkBlock(kind, i) }
            for i in scope(kind).slots.indices { _ = slotType(kind, i) }
        }
        for i in plan.functions.indices { _ = functionType(i) }
        for i in plan.tables.indices { checkTable(i) }
        for i in plan.constraints.indices { checkConstraint(i) }
        checkObjectiveWeights()
    }

    func index(_ kind: ScopeKind) -> Int {
        switch kind {
        case .company: return 0
        case .team: return 1
        case .person: return 2
        }
    }

    func checkBlock(_ kind: ScopeKind, _ i: Int) {
        let block = scope(kind).blocks[i]
        guard let cond = block.condition else { return }
        var env = Env(scope: kind, from: .block(kind, i))
        env.inputCondition = block.isInputs
        let t = check(cond, &env)
        expect(t, .bool, cond.span, "a `where` condition")
    }

    /// The type of a slot, checking its definitions first if needed.
    func slotType(_ kind: ScopeKind, _ i: Int) -> StaticType {
        let k = index(kind)
        switch slotState[k][i] {
        case 2: return scope(kind).slots[i].type
        case 1: return .unknown  // a cycle: reported by the dependency graph
        default: break
        }
        guard depth < Checker.maximumDefinitionDepth else { return .unknown }
        slotState[k][i] = 1
        depth += 1
        let t = outsideInstantiation { inferSlot(kind, i) }
        depth -= 1
        scope(kind).slots[i].type = t
        slotState[k][i] = 2
        return t
    }

    func expect(_ t: StaticType, _ want: StaticType, _ span: Span, _ what: String) {
        guard t.isKnown, t != .none else { return }
        switch (t, want) {
        case (.money, .money): return
        default:
            if t != want { error(span, "\(what) must be \(want), not \(t)") }
        }
    }
}

/// Where an expression is being checked: its scope, frame and context.
struct Env {
    /// The subject scope, or `nil` inside function and table bodies (which see
    /// only their parameters, company-scope names and globals).
    var scope: ScopeKind?
    /// The graph node that reads whatever this expression reads.
    var from: GraphNode
    var locals: [(name: String, index: Int, type: StaticType)] = []
    var nextLocal = 0
    /// Elements whose fields are bare names: `where` conditions, `share:`.
    var elements: [(local: Int, type: StaticType)] = []
    /// Inside a key result: the objective, for `aligned`.
    var objective: (scope: ScopeKind, index: Int)?
    /// Only literals and operators on them (table keys, defaults, `round`).
    var constantOnly = false
    /// An `inputs … where` condition: only structure and unconditional inputs.
    var inputCondition = false

    init(scope: ScopeKind?, from: GraphNode) {
        self.scope = scope
        self.from = from
    }

    mutating func bind(_ name: String, _ type: StaticType) -> Int {
        let i = nextLocal
        nextLocal += 1
        locals.append((name, i, type))
        return i
    }

    mutating func unbind() {
        locals.removeLast()
        nextLocal -= 1
    }

    mutating func hiddenLocal() -> Int {
        let i = nextLocal
        nextLocal += 1
        return i
    }
}

extension Checker {
    /// A checker for expressions outside the plan (`--print`, REPL lines,
    /// API queries): every declaration is already checked, so nothing in the
    /// shared model is rechecked or changed.
    static func forQuery(_ plan: CheckedPlan, diagnostics: DiagnosticBag) -> Checker {
        let c = Checker(plan: plan, diagnostics: diagnostics)
        for kind in ScopeKind.allCases {
            c.slotState[c.index(kind)] = Array(repeating: 2, count: plan.scope(kind).slots.count)
        }
        c.functionState = Array(repeating: 2, count: plan.functions.count)
        c.tableState = Array(repeating: 2, count: plan.tables.count)
        return c
    }
}
