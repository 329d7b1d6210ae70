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
        public init(ok: Bool, diagnostics: [Diagnostic] = [], notes: [String] = []) {
            self.ok = ok
            self.diagnostics = diagnostics
            self.notes = notes
        }
    }

    /// One accepted entry of declarations typed at the prompt.
    struct Entry {
        var text: String
        var keys: Set<DeclarationKey>
        var declaresHeader: Bool
    }

    /// What a declaration declares, to replace an earlier entry that
    /// declared the same names.
    enum DeclarationKey: Hashable, CustomStringConvertible {
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
    public private(set) var overrides: [Override] = []
    var baselineTotals: [PayoutTotal]?
    /// The baseline has every value evaluated (see `prepare`).
    public private(set) var isPrepared = false
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
        let kept = keepDeclarations ? entries : []
        var diagnostics: [Diagnostic] = []
        let compilation = compile(source, loader: loader, entries: kept, extra: nil)
        diagnostics += compilation.diagnostics
        guard let plan = compilation.plan else { return Outcome(ok: false, diagnostics: diagnostics) }
        let (raw, readProblems) = data.isEmpty ? (RawDataset(), []) : DatasetReader.read(files: data.map { ($0.name, $0.bytes) })
        if readProblems.contains(where: \.isError) {
            return Outcome(ok: false, diagnostics: diagnostics + readProblems)
        }
        let load = plan.dataset(raw)
        if data.isEmpty {
            // Without data, a plan that needs inputs has no dataset; that is
            // not an error until something needs one.
            diagnostics += readProblems
        } else {
            diagnostics += readProblems + load.diagnostics
            if load.dataset == nil { return Outcome(ok: false, diagnostics: diagnostics) }
        }
        var notes: [String] = []
        if !keepDeclarations, !entries.isEmpty {
            notes.append("dropped \(entries.count) declaration\(entries.count == 1 ? "" : "s") typed at the prompt")
        }
        planSource = source
        self.loader = loader
        dataFiles = data
        entries = kept
        self.plan = plan
        self.raw = raw
        dataset = load.dataset
        dataProblems = load.dataset == nil ? load.diagnostics.filter(\.isError) : []
        notes += rebuildSessions()
        return Outcome(ok: true, diagnostics: diagnostics, notes: notes)
    }

    /// Builds the baseline and what-if sessions; drops overrides that no
    /// longer apply and says so.
    @discardableResult
    func rebuildSessions() -> [String] {
        baselineTotals = nil
        isPrepared = false
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

    /// Evaluates every value of the baseline once, so that what-if sessions
    /// reuse them and recompute only what an override can reach (the first
    /// `:set` and `:diff` on a large dataset are then as fast as the next
    /// ones). Returns false when the evaluation was cancelled (the sessions
    /// are then started afresh). Safe to call on another thread while
    /// nothing else uses this session.
    @discardableResult
    public func prepare() -> Bool {
        guard !isPrepared, let baseline else { return true }
        guard baseline.evaluateEverySlot() else {
            rebuildSessions()
            return false
        }
        if baselineTotals == nil { baselineTotals = baseline.payoutTotals() }
        isPrepared = true
        if !overrides.isEmpty, current !== baseline, let again = baseline.applying(overrides).session {
            var old = current
            current = again
            Self.release(&old)
        }
        return true
    }

    /// Starts the evaluations afresh (after a cancelled evaluation left
    /// failures memoised).
    public func resetEvaluations() { rebuildSessions() }

    /// The implicit plan used without a plan file.
    var implicitHeader: String {
        "plan \"untitled\" { period: \(implicitYear)-01-01 .. \(implicitYear)-12-31  currency: CNY }\n"
    }

    func compile(_ source: Source?, loader: ImportLoader?, entries: [Entry], extra: String?) -> Compilation {
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
            main = Source(name: "<no plan>", bytes: headerTyped ? [] : Array(implicitHeader.utf8))
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
        let file = SourceFile(name: Self.inputName, text: text)
        guard case .declarations(let decls) = Self.parse(text) else {
            return Outcome(ok: false, diagnostics: [InteractiveSyntax.diagnostic("expected a declaration", in: file, start: 0, end: 1)])
        }
        let keys = Self.keys(decls, file)
        let entry = Entry(text: text, keys: keys, declaresHeader: keys.contains(.header))
        // Earlier entries all of whose names are declared again are replaced.
        let replaced = entries.enumerated().filter { !$0.element.keys.isEmpty && $0.element.keys.isSubset(of: keys) }.map(\.offset)
        let remaining = entries.enumerated().filter { !replaced.contains($0.offset) }.map(\.element)
        let compilation = compile(planSource, loader: loader, entries: remaining, extra: text)
        // Warnings about the plan file itself were shown when it was loaded.
        let shown = compilation.diagnostics.filter { $0.isError || $0.location?.file == Self.inputName }
        guard let plan = compilation.plan else { return Outcome(ok: false, diagnostics: shown) }
        let load = plan.dataset(raw)
        if load.dataset == nil, !dataFiles.isEmpty {
            return Outcome(ok: false, diagnostics: shown + load.diagnostics.filter(\.isError))
        }
        var notes = replaced.map { i -> String in
            "replaced the earlier definition of " + entries[i].keys.map(\.description).sorted().joined(separator: ", ")
        }
        self.plan = plan
        entries = remaining + [entry]
        dataset = load.dataset
        dataProblems = load.dataset == nil ? load.diagnostics.filter(\.isError) : []
        notes += rebuildSessions()
        return Outcome(ok: true, diagnostics: shown, notes: notes)
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

    /// Sets (or replaces) an override. Nothing changes when it is refused
    /// (an unknown subject or input, a wrong type, an input whose `inputs …
    /// where` block does not hold for the subject).
    public func set(_ override: Override) -> Outcome {
        guard baseline != nil else { return Outcome(ok: false, diagnostics: noDataset()) }
        prepare()
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
        let (session, problems) = baseline.applying(next)
        guard let session else { return Outcome(ok: false, diagnostics: problems) }
        overrides = next
        var old = current
        current = session
        Self.release(&old)
        return Outcome(ok: true, diagnostics: problems)
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
