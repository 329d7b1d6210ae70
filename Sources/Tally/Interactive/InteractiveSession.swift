import Foundation

/// Carries the last reference to a session to the thread that frees it.
private final class ReleaseBox: @unchecked Sendable {
    private var session: Session?
    init(taking session: inout Session?) {
        self.session = session
        session = nil
    }
    func drop() { session = nil }
}

// The state of a REPL session, without any terminal or file I/O: the plan
// (its text plus the declarations typed at the prompt), the dataset, the
// what-if overrides, and the baseline and what-if evaluations. Every
// operation either succeeds completely or changes nothing.

/// A plan, a dataset and what-if overrides, explored interactively.
public final class InteractiveSession {
    /// A named source text (a plan or data file).
    public struct Source: Sendable {
        public var name: String
        public var bytes: [UInt8]
        public init(name: String, bytes: [UInt8]) {
            self.name = name
            self.bytes = bytes
        }
    }

    /// The outcome of an operation: diagnostics to show and notes (plain
    /// sentences) about what happened besides.
    public struct Outcome: Sendable {
        public var ok: Bool
        public var diagnostics: [Diagnostic]
        public var notes: [String]
        /// The operation was cancelled (`EvaluationOptions.isCancelled`); nothing changed.
        public var cancelled: Bool
        public init(ok: Bool, diagnostics: [Diagnostic] = [], notes: [String] = [], cancelled: Bool = false) {
            self.ok = ok
            self.diagnostics = diagnostics
            self.notes = notes
            self.cancelled = cancelled
        }
    }

    /// A plan and dataset compiled and bound but not yet in force: made by
    /// ``loading(plan:loader:data:keepDeclarations:)`` or
    /// ``declaring(_:)`` (which may run on another thread, and be
    /// abandoned), put in force by ``commit(_:)``.
    public struct Pending: Sendable {
        public var outcome: Outcome
        var plan: CompiledPlan?
        var raw = RawDataset()
        var dataset: Dataset?
        var dataProblems: [Diagnostic] = []
        var source: Source?
        var loader: ImportLoader?
        var data: [Source] = []
        var entries: [Entry] = []
    }

    /// One accepted entry of declarations typed at the prompt.
    struct Entry: Sendable {
        var text: String
        var keys: Set<DeclarationKey>
        var declaresHeader: Bool
    }

    /// What a declaration declares, to replace an earlier entry that
    /// declared the same names.
    enum DeclarationKey: Hashable, Sendable, CustomStringConvertible {
        case value(ScopeKind, condition: String?, name: String)
        case callable(String)
        case constraint(String)
        case input(ScopeKind, condition: String?, name: String)
        case header

        var description: String {
            switch self {
            case .value(_, _, let n), .callable(let n), .input(_, _, let n): return "`\(n)`"
            case .constraint(let t): return "constraint \(CanonicalText.quote(t))"
            case .header: return "the plan header"
            }
        }
    }

    /// The name given to REPL input in diagnostics.
    public static let inputName = "<repl>"
    /// The name of the declarations accepted so far.
    public static let declarationsName = "<session>"

    public private(set) var planSource: Source?
    public private(set) var loader: ImportLoader?
    public private(set) var dataFiles: [Source] = []
    var entries: [Entry] = []
    public let options: EvaluationOptions

    public private(set) var plan: CompiledPlan?
    var raw = RawDataset()
    public private(set) var dataset: Dataset?
    /// Why there is no dataset (data errors, or no data for required inputs).
    public private(set) var dataProblems: [Diagnostic] = []
    /// The evaluation without overrides.
    public private(set) var baseline: Session?
    /// The evaluation with the overrides applied (the baseline when there are none).
    public private(set) var current: Session?
    /// See ``sessionWithoutData``.
    private var dataFree: Session?
    public private(set) var overrides: [Override] = []
    var baselineTotals: [PayoutTotal]?
    /// The baseline has every value evaluated (a finished ``WarmUp`` was adopted).
    public private(set) var isPrepared = false
    /// Counts the baselines built: a ``WarmUp`` of an older one is of no use.
    public private(set) var generation = 0
    /// The year of the implicit plan header used without a plan file.
    let implicitYear: Int

    public init(options: EvaluationOptions = EvaluationOptions(), implicitYear: Int? = nil) {
        self.options = options
        self.implicitYear = implicitYear ?? Calendar(identifier: .gregorian).component(.year, from: Date())
    }

    /// The number of declaration entries typed at the prompt and kept.
    public var declarationCount: Int { entries.count }
    /// The declarations typed at the prompt, as one source text.
    public var declarationsText: String { entries.map(\.text).joined(separator: "\n") }

    // MARK: Plan and data

    /// Loads a plan (nil: an empty, implicit plan) and data files. On
    /// success the declarations typed at the prompt are kept when
    /// `keepDeclarations` (else dropped) and overrides that still apply are
    /// kept; on failure nothing changes.
    @discardableResult
    public func open(plan source: Source?, loader: ImportLoader?, data: [Source], keepDeclarations: Bool = true) -> Outcome {
        commit(loading(plan: source, loader: loader, data: data, keepDeclarations: keepDeclarations)())
    }

    /// The work of ``open(plan:loader:data:keepDeclarations:)`` before
    /// anything changes: compiling the plan and reading and binding the
    /// data. The closure touches nothing of this session, so it may run on
    /// another thread (and be abandoned); ``commit(_:)`` its result.
    public func loading(plan source: Source?, loader: ImportLoader?, data: [Source],
                        keepDeclarations: Bool = true) -> @Sendable () -> Pending {
        let kept = keepDeclarations ? entries : []
        let dropped = keepDeclarations ? 0 : entries.count
        let year = implicitYear
        return {
            var diagnostics: [Diagnostic] = []
            let compilation = Self.compile(source, loader: loader, entries: kept, extra: nil, year: year)
            diagnostics += compilation.diagnostics
            guard let plan = compilation.plan else { return Pending(outcome: Outcome(ok: false, diagnostics: diagnostics)) }
            let (raw, readProblems) = data.isEmpty ? (RawDataset(), []) : DatasetReader.read(files: data.map { ($0.name, $0.bytes) })
            if readProblems.contains(where: \.isError) {
                return Pending(outcome: Outcome(ok: false, diagnostics: diagnostics + readProblems))
            }
            let load = plan.dataset(raw)
            if data.isEmpty {
                // Without data, a plan that needs inputs has no dataset; that is
                // not an error until something needs one.
                diagnostics += readProblems
            } else {
                diagnostics += readProblems + load.diagnostics
                if load.dataset == nil { return Pending(outcome: Outcome(ok: false, diagnostics: diagnostics)) }
            }
            var notes: [String] = []
            if dropped > 0 {
                notes.append("dropped \(dropped) declaration\(dropped == 1 ? "" : "s") typed at the prompt")
            }
            return Pending(outcome: Outcome(ok: true, diagnostics: diagnostics, notes: notes), plan: plan, raw: raw,
                           dataset: load.dataset, dataProblems: load.dataset == nil ? load.diagnostics.filter(\.isError) : [],
                           source: source, loader: loader, data: data, entries: kept)
        }
    }

    /// Puts a plan and dataset made by ``loading(plan:loader:data:keepDeclarations:)``
    /// or ``declaring(_:)`` in force (nothing changes when it failed), and
    /// builds the sessions afresh.
    @discardableResult
    public func commit(_ pending: Pending) -> Outcome {
        guard pending.outcome.ok, let plan = pending.plan else { return pending.outcome }
        planSource = pending.source
        loader = pending.loader
        dataFiles = pending.data
        entries = pending.entries
        self.plan = plan
        raw = pending.raw
        dataset = pending.dataset
        dataProblems = pending.dataProblems
        var outcome = pending.outcome
        outcome.notes += rebuildSessions()
        return outcome
    }

    /// Builds the baseline and what-if sessions; drops overrides that no
    /// longer apply and says so.
    @discardableResult
    func rebuildSessions() -> [String] {
        baselineTotals = nil
        isPrepared = false
        generation += 1
        guard let plan, let dataset else {
            baseline = nil
            current = nil
            return overrides.isEmpty ? [] : ["the overrides are kept but have no effect without a dataset"]
        }
        let base = Session(plan: plan, dataset: dataset, options: options)
        baseline = base
        var notes: [String] = []
        var kept: [Override] = []
        for o in overrides {
            if base.applying(kept + [o]).session != nil { kept.append(o) } else { notes.append("dropped the override of \(o.path): it no longer applies") }
        }
        overrides = kept
        current = kept.isEmpty ? base : base.applying(kept).session
        return notes
    }

    /// A full evaluation of the baseline to run on another thread while
    /// the user types (nil when there is nothing to evaluate or it was done):
    /// what-if sessions then start from its memoised values and recompute
    /// only what an override can reach. It evaluates its own copy of the
    /// baseline, so this session can be used meanwhile and need never wait
    /// for it; ``adopt(_:)`` takes its result when it is done. It gives up
    /// (cancelled) after `budget` seconds: a warm-up only saves time.
    public func warmUp(budget: Double = 60) -> WarmUp? {
        guard !isPrepared, let plan, let dataset, baseline != nil else { return nil }
        let flag = WarmUp.Flag(budget: budget, host: options.isCancelled)
        var options = self.options
        options.isCancelled = { flag.isRaised }
        return WarmUp(session: Session(plan: plan, dataset: dataset, options: options), generation: generation, flag: flag)
    }

    /// Takes a finished warm-up's evaluation as the baseline (and rebuilds
    /// the what-if session on it). False when it is not finished, failed,
    /// or belongs to an earlier baseline.
    @discardableResult
    public func adopt(_ warmUp: WarmUp) -> Bool {
        guard warmUp.generation == generation, !isPrepared, warmUp.succeeded else { return false }
        var oldBaseline = baseline
        var oldCurrent = current
        let base = warmUp.session
        warmUp.flag.handOver()
        let next = overrides.isEmpty ? base : base.applying(overrides).session
        guard let next else { return false }
        baseline = base
        current = next
        baselineTotals = nil
        isPrepared = true
        Self.release(&oldCurrent)
        Self.release(&oldBaseline)
        return true
    }

    /// After an evaluation was cancelled (cancellation is sticky in the
    /// session that saw it: every later evaluation in it fails at once),
    /// starts afresh the session it happened in. True when one was cancelled.
    @discardableResult
    public func recoverFromCancellation() -> Bool {
        if let d = dataFree, d.evaluation.isCancelled {
            dataFree = nil
            return true
        }
        if let b = baseline, b.evaluation.isCancelled {
            rebuildSessions()
            return true
        }
        if let c = current, c !== baseline, c.evaluation.isCancelled {
            var old = current
            current = baseline?.applying(overrides).session
            Self.release(&old)
            return true
        }
        return false
    }

    /// Starts the evaluations afresh (after a cancelled evaluation left
    /// failures memoised).
    public func resetEvaluations() { rebuildSessions() }

    /// The implicit plan used without a plan file.
    static func implicitHeader(year: Int) -> String {
        "plan \"untitled\" { period: \(year)-01-01 .. \(year)-12-31  currency: CNY }\n"
    }

    static func compile(_ source: Source?, loader: ImportLoader?, entries: [Entry], extra: String?, year: Int) -> Compilation {
        var additional: [(name: String, bytes: [UInt8])] = []
        if !entries.isEmpty {
            additional.append((Self.declarationsName, Array(entries.map(\.text).joined(separator: "\n").utf8)))
        }
        if let extra { additional.append((Self.inputName, Array(extra.utf8))) }
        let main: Source
        if let source {
            main = source
        } else {
            let headerTyped = entries.contains(where: \.declaresHeader) || (extra.map(Self.declaresHeader) ?? false)
            main = Source(name: "<no plan>", bytes: headerTyped ? [] : Array(implicitHeader(year: year).utf8))
        }
        return CompiledPlan.compile(bytes: main.bytes, name: main.name, loader: loader, additional: additional)
    }

    static func declaresHeader(_ text: String) -> Bool {
        guard case .declarations(let decls) = parse(text) else { return false }
        return decls.contains { if case .plan = $0 { return true } else { return false } }
    }

    static func parse(_ text: String) -> InteractiveInput {
        var bag = DiagnosticBag()
        var next: NodeID = 0
        let file = SourceFile(name: inputName, text: text)
        let index = bag.add(file: file)
        return Parser.parseInteractive(file, fileIndex: index, nextID: &next, diagnostics: &bag)
    }

    // MARK: Input

    /// Whether `text` is declarations (`let`, `func`, `for person`, ...)
    /// rather than an expression.
    public static func isDeclaration(_ text: String) -> Bool {
        if case .declarations = parse(text) { return true }
        return false
    }

    /// Adds declarations typed at the prompt to the plan. A declaration of
    /// the same names as an earlier entry replaces it. Nothing changes when
    /// the plan with them does not compile or the data does not bind.
    public func declare(_ text: String) -> Outcome {
        commit(declaring(text)())
    }

    /// The work of ``declare(_:)`` before anything changes (compiling and
    /// binding), as ``loading(plan:loader:data:keepDeclarations:)``.
    public func declaring(_ text: String) -> @Sendable () -> Pending {
        let file = SourceFile(name: Self.inputName, text: text)
        guard case .declarations(let decls) = Self.parse(text) else {
            let outcome = Outcome(ok: false, diagnostics: [InteractiveSyntax.diagnostic("expected a declaration", in: file, start: 0, end: 1)])
            return { Pending(outcome: outcome) }
        }
        let keys = Self.keys(decls, file)
        let entry = Entry(text: text, keys: keys, declaresHeader: keys.contains(.header))
        // Earlier entries all of whose names are declared again are replaced.
        let replaced = entries.enumerated().filter { !$0.element.keys.isEmpty && $0.element.keys.isSubset(of: keys) }.map(\.offset)
        let remaining = entries.enumerated().filter { !replaced.contains($0.offset) }.map(\.element)
        // An earlier entry that declared these names with others is kept
        // whole: say so, rather than report a duplicate declaration.
        for e in remaining {
            let shared = e.keys.intersection(keys).filter { $0 != .header }
            guard !shared.isEmpty else { continue }
            let names = shared.map(\.description).sorted().joined(separator: ", ")
            let others = e.keys.subtracting(keys).map(\.description).sorted().joined(separator: ", ")
            let outcome = Outcome(ok: false, diagnostics: [InteractiveSyntax.diagnostic(
                "\(names) was declared at the prompt in one entry with \(others): an entry is replaced whole, so declare them again together (or use another name)",
                in: file, start: 0, end: text.utf8.count)])
            return { Pending(outcome: outcome) }
        }
        let notes = replaced.map { i -> String in
            "replaced the earlier definition of " + entries[i].keys.map(\.description).sorted().joined(separator: ", ")
        }
        let (source, loader, raw, data, year) = (planSource, self.loader, self.raw, dataFiles, implicitYear)
        return {
            let compilation = Self.compile(source, loader: loader, entries: remaining, extra: text, year: year)
            // Warnings about the plan file itself were shown when it was loaded.
            let shown = compilation.diagnostics.filter { $0.isError || $0.location?.file == Self.inputName }
            guard compilation.plan != nil else { return Pending(outcome: Outcome(ok: false, diagnostics: shown)) }
            // The plan in force holds the entry among the session's
            // declarations (`<session>`), not under the name of the line
            // being typed (`<repl>`), which later entries use for themselves.
            guard let plan = Self.compile(source, loader: loader, entries: remaining + [entry], extra: nil, year: year).plan ?? compilation.plan
            else { return Pending(outcome: Outcome(ok: false, diagnostics: shown)) }
            let load = plan.dataset(raw)
            if load.dataset == nil, !data.isEmpty {
                return Pending(outcome: Outcome(ok: false, diagnostics: shown + load.diagnostics.filter(\.isError)))
            }
            return Pending(outcome: Outcome(ok: true, diagnostics: shown, notes: notes), plan: plan, raw: raw,
                           dataset: load.dataset, dataProblems: load.dataset == nil ? load.diagnostics.filter(\.isError) : [],
                           source: source, loader: loader, data: data, entries: remaining + [entry])
        }
    }

    static func keys(_ decls: [Declaration], _ file: SourceFile) -> Set<DeclarationKey> {
        var keys = Set<DeclarationKey>()
        func condition(_ e: Expr?) -> String? {
            e.map { file.text(of: $0.span).split(whereSeparator: \.isWhitespace).joined(separator: " ") }
        }
        func add(_ d: Declaration, scope: ScopeKind, condition c: String?) {
            switch d {
            case .plan: keys.insert(.header)
            case .import: break
            case .inputs(let b):
                for f in b.fields { keys.insert(.input(b.scope, condition: condition(b.condition), name: f.name.name)) }
            case .scope(let b):
                for inner in b.declarations { add(inner, scope: b.scope, condition: condition(b.condition)) }
            case .let(let l): keys.insert(.value(scope, condition: c, name: l.name.name))
            case .function(let f): keys.insert(.callable(f.name.name))
            case .table(let t): keys.insert(.callable(t.name.name))
            case .objective(let o): keys.insert(.value(scope, condition: c, name: o.id.name))
            case .incentive(let i): keys.insert(.value(scope, condition: c, name: i.name.name))
            case .pool(let p): keys.insert(.value(scope, condition: c, name: p.name.name))
            case .constraint(let k): keys.insert(.constraint(k.title))
            }
        }
        for d in decls { add(d, scope: .company, condition: nil) }
        return keys
    }

    /// Compiles an expression typed at the prompt (named `<repl>` in
    /// diagnostics).
    public func expression(_ text: String) -> ExpressionCompilation? {
        plan?.expression(text, name: Self.inputName)
    }

    // MARK: What-if

    /// Where expressions are evaluated when no data is loaded: the plan over
    /// an empty dataset (no teams, no people), so that functions, tables and
    /// constants can be tried; reading a required company input fails with
    /// "no dataset is loaded". Nil when data is loaded (use ``current``) or
    /// named but did not load.
    public var sessionWithoutData: Session? {
        if current != nil || !dataFiles.isEmpty { return nil }
        if let s = dataFree, s.plan === plan { return s }
        guard let plan, let bound = DatasetBinder.bind(plan.program, RawDataset(), withoutData: true).0 else { return nil }
        dataFree = Session(plan: plan, dataset: Dataset(bound), options: options)
        return dataFree
    }

    /// Whether the plan declares `path`'s field as an input of its scope.
    public func declaresInput(_ path: InputPath) -> Bool {
        plan?.program.scope(path.scope).inputs.contains { $0.name == path.field } ?? false
    }

    /// Sets (or replaces) an override. Nothing changes when it is refused
    /// (an unknown subject or input, a wrong type, an input whose `inputs …
    /// where` block does not hold for the subject).
    public func set(_ override: Override) -> Outcome {
        guard let baseline else { return Outcome(ok: false, diagnostics: noDataset()) }
        var override = override
        // A plain number for a money input is an amount in the plan currency
        // (as in datasets); keep it as money so `:overrides` shows it so.
        if case .number(let n) = override.value, let plan,
           plan.program.scope(override.scope).inputs.first(where: { $0.name == override.field })?.type == .money {
            override.value = .money(Money(n, plan.info.currency))
        }
        var next = overrides.filter { !($0.scope == override.scope && $0.id == override.id && $0.field == override.field) }
        next.append(override)
        let (data, problems) = baseline.dataset.overriding(next)
        guard let data else { return Outcome(ok: false, diagnostics: problems) }
        // The baseline values the overrides can reach, evaluated once in the
        // baseline, are copied into the what-if session (and compared by
        // `:diff`); nothing else is evaluated.
        guard baseline.evaluateReach(of: data.changed) else {
            return Outcome(ok: false, diagnostics: [], cancelled: true)
        }
        let (session, more) = baseline.applying(next)
        guard let session else { return Outcome(ok: false, diagnostics: more) }
        overrides = next
        var old = current
        current = session
        if old !== baseline { Self.release(&old) }
        return Outcome(ok: true, diagnostics: problems + more)
    }

    /// Lets go of a what-if session on a background thread: freeing the
    /// memoised values of a large dataset takes a noticeable fraction of a
    /// second, which the next command need not wait for.
    static func release(_ session: inout Session?) {
        guard session != nil else { return }
        let box = ReleaseBox(taking: &session)
        DispatchQueue.global(qos: .utility).async { box.drop() }
    }

    /// Removes the override of `path`; false when there is none.
    public func unset(_ path: InputPath) -> Bool {
        let before = overrides.count
        overrides.removeAll { InputPath($0) == path }
        guard overrides.count != before else { return false }
        current = overrides.isEmpty ? baseline : baseline?.applying(overrides).session
        return true
    }

    /// Removes every override.
    public func unsetAll() {
        overrides = []
        current = baseline
    }

    /// The changes the overrides make, largest first, with changed totals.
    public func diff() -> ChangeReport? {
        guard let baseline, let current else { return nil }
        if current === baseline { return ChangeReport(rows: [], totals: []) }
        if baselineTotals == nil { baselineTotals = baseline.payoutTotals() }
        return current.changeReport(from: baseline, baselineTotals: baselineTotals)
    }

    /// The diagnostic explaining that there is no dataset to evaluate.
    public func noDataset() -> [Diagnostic] {
        if plan == nil { return [Diagnostic(.error, phase: .data, message: "no plan loaded: use :load PLAN")] }
        var message = "no dataset: the plan's inputs need data; load it with :data FILE"
        if !dataFiles.isEmpty { message = "the dataset does not fit the plan" }
        return [Diagnostic(.error, phase: .data, message: message)] + dataProblems.prefix(5)
    }
}

/// A full evaluation of a baseline on another thread (see
/// ``InteractiveSession/warmUp(budget:)``): call ``run()`` there, then
/// ``InteractiveSession/adopt(_:)`` once ``isDone``.
public final class WarmUp: @unchecked Sendable {
    /// Raised to stop the evaluation: by ``cancel()`` or when the budget is
    /// spent. Once the session is adopted, it answers the host's own
    /// cancellation check instead (the adopted session goes on evaluating
    /// what later entries ask, which Ctrl-C must still stop).
    final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var raised = false
        private var deadline: DispatchTime?
        private var adopted = false
        let budget: Double
        let host: (@Sendable () -> Bool)?
        init(budget: Double, host: (@Sendable () -> Bool)?) {
            self.budget = budget
            self.host = host
        }
        func start() { lock.withLock { deadline = .now() + budget } }
        func raise() { lock.withLock { raised = true } }
        func handOver() { lock.withLock { adopted = true } }
        var isRaised: Bool {
            let handedOver: Bool = lock.withLock {
                if adopted { return true }
                if !raised, let deadline, DispatchTime.now() > deadline { raised = true }
                return false
            }
            if handedOver { return host?() ?? false }
            return lock.withLock { raised }
        }
    }

    let session: Session
    /// The ``InteractiveSession/generation`` of the baseline it evaluates.
    public let generation: Int
    let flag: Flag
    private let lock = NSLock()
    private var done = false
    private var ok = false

    init(session: Session, generation: Int, flag: Flag) {
        self.session = session
        self.generation = generation
        self.flag = flag
    }

    /// Evaluates every value (on the warm-up's own thread).
    public func run() {
        flag.start()
        let ok = session.evaluateEverySlot()
        lock.withLock {
            self.ok = ok
            done = true
        }
    }

    /// Stops the evaluation soon (it is then of no use).
    public func cancel() { flag.raise() }

    /// ``run()`` has returned.
    public var isDone: Bool { lock.withLock { done } }
    /// ``run()`` has returned without being cancelled.
    public var succeeded: Bool { lock.withLock { done && ok } }
}
