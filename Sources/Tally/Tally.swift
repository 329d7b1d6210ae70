// The public API of the Tally library, in one place.
//
//     let compilation = CompiledPlan.compile(source: text, name: "plan.tally")
//     guard let plan = compilation.plan else { /* compilation.diagnostics */ }
//     let load = plan.dataset(files: [("data.json", bytes)])
//     guard let data = load.dataset else { /* load.diagnostics */ }
//     let results = plan.evaluate(data)              // everything
//     let session = Session(plan: plan, dataset: data)
//     let total = try session.evaluate("sum(p.quarterly_bonus for p in people)")
//
// Pipeline: Syntax (lexer, parser) → Checker (names, types, dependency
// graph) → Compiler (slots, nodes) → Runtime (lazy memoised evaluation).
// A `CompiledPlan` and a `Dataset` are immutable and `Sendable`: compile
// once, bind once, and evaluate from any number of threads, each with its
// own `Session`.

/// A plan compiled for evaluation. Immutable and safe to share across threads.
public final class CompiledPlan: @unchecked Sendable {
    // `checked` is never mutated after compilation: expressions are checked
    // against a copy (see `expression(_:)`), which is what makes this Sendable.
    let checked: CheckedPlan
    let program: Program
    let nodeCount: NodeID

    /// The plan header: title, period and currency.
    public var info: PlanInfo { program.header }
    /// Compile-time warnings (errors prevent compilation).
    public let warnings: [Diagnostic]

    init(checked: CheckedPlan, program: Program, nodeCount: NodeID, warnings: [Diagnostic]) {
        self.checked = checked
        self.program = program
        self.nodeCount = nodeCount
        self.warnings = warnings
    }

    /// Compiles plan text. All diagnostics come back together, errors and
    /// warnings, sorted by file and position; `plan` is nil when any is an
    /// error. `loader` resolves `import` (nil: imports are errors).
    public static func compile(source: String, name: String = "<plan>", loader: ImportLoader? = nil) -> Compilation {
        compile(bytes: Array(source.utf8), name: name, loader: loader)
    }

    /// Compiles plan bytes (UTF-8, optional BOM; invalid UTF-8 is a diagnostic).
    /// `additional` sources are compiled with the plan as if imported by it
    /// (a REPL session's declarations, for example).
    public static func compile(bytes: [UInt8], name: String, loader: ImportLoader? = nil,
                               additional: [(name: String, bytes: [UInt8])] = []) -> Compilation {
        var loader = PlanLoader(loader: loader)
        loader.load(main: SourceFile(name: name, bytes: bytes))
        for extra in additional { loader.load(additional: SourceFile(name: extra.name, bytes: extra.bytes)) }
        var bag = loader.diagnostics
        let syntaxErrors = bag.hasErrors
        let checked = Checker.check(loader.files, nodeCount: Int(loader.nextID), diagnostics: &bag)
        let diagnostics = sorted(bag.items, files: bag.files)
        guard !syntaxErrors, !bag.hasErrors, let program = Compiler.compile(checked) else {
            return Compilation(plan: nil, diagnostics: diagnostics)
        }
        let plan = CompiledPlan(checked: checked, program: program, nodeCount: loader.nextID,
                                warnings: diagnostics.filter { !$0.isError })
        return Compilation(plan: plan, diagnostics: diagnostics)
    }

    static func sorted(_ items: [Diagnostic], files: [SourceFile]) -> [Diagnostic] {
        let order = Dictionary(files.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        return items.enumerated().sorted { a, b in
            let la = a.element.location, lb = b.element.location
            let ka = (la.flatMap { order[$0.file] } ?? Int.max, la?.line ?? 0, la?.column ?? 0)
            let kb = (lb.flatMap { order[$0.file] } ?? Int.max, lb?.line ?? 0, lb?.column ?? 0)
            return ka != kb ? ka < kb : a.offset < b.offset
        }.map(\.element)
    }

    /// Compiles an expression evaluated in the company scope (the language
    /// of `tally eval --print`), checked against this plan without changing it.
    public func expression(_ text: String, name: String = "<expr>") -> ExpressionCompilation {
        let copy = checked.copy()
        var bag = DiagnosticBag(files: copy.files)
        let file = SourceFile(name: name, text: text)
        let index = bag.add(file: file)
        copy.files = bag.files
        var nextID = nodeCount
        let expr = Parser.parseExpression(file, fileIndex: index, nextID: &nextID, diagnostics: &bag)
        if bag.hasErrors { return ExpressionCompilation(expression: nil, diagnostics: bag.items) }
        let checker = Checker.forQuery(copy, diagnostics: bag)
        var env = Env(scope: .company, from: .query)
        let type = checker.check(expr, &env)
        bag = checker.diagnostics
        guard !bag.hasErrors, let code = Compiler.compileQuery(expr, plan: copy) else {
            return ExpressionCompilation(expression: nil, diagnostics: bag.items)
        }
        let program = Program(header: self.program.header, scopes: self.program.scopes, functions: self.program.functions,
                              tables: self.program.tables, pools: self.program.pools, constraints: self.program.constraints,
                              files: bag.files, readers: self.program.readers)
        return ExpressionCompilation(expression: CompiledExpression(code: code, program: program, text: text, type: type,
                                                                    expr: expr, checked: copy),
                                     diagnostics: bag.items)
    }

    /// Reads dataset files (JSON, or `company.csv` / `teams.csv` /
    /// `people.csv`, recognised by name) and checks them against the plan's
    /// inputs, reporting every problem with the record id and field.
    public func dataset(files: [(name: String, bytes: [UInt8])]) -> DatasetLoad {
        let (raw, readDiagnostics) = DatasetReader.read(files: files)
        if readDiagnostics.contains(where: \.isError) { return DatasetLoad(dataset: nil, diagnostics: readDiagnostics) }
        let load = dataset(raw)
        return DatasetLoad(dataset: load.dataset, diagnostics: readDiagnostics + load.diagnostics)
    }

    /// Checks an already-read dataset against the plan's inputs.
    public func dataset(_ raw: RawDataset) -> DatasetLoad {
        let (bound, diagnostics) = DatasetBinder.bind(program, raw)
        return DatasetLoad(dataset: bound.map { Dataset($0) }, diagnostics: diagnostics)
    }

    /// Evaluates every named value of every subject and every constraint.
    public func evaluate(_ dataset: Dataset, options: EvaluationOptions = EvaluationOptions()) -> EvaluationResult {
        Evaluation(data: dataset.data, options: options).evaluateAll()
    }
}

/// The outcome of compiling a plan.
public struct Compilation: Sendable {
    /// The compiled plan, or nil when there were errors.
    public let plan: CompiledPlan?
    /// Every diagnostic, errors and warnings, sorted by file and position.
    public let diagnostics: [Diagnostic]
}

/// An expression compiled against a plan. Immutable and `Sendable`.
public final class CompiledExpression: @unchecked Sendable {
    let code: Code
    let program: Program
    /// The expression as written.
    public let text: String
    let type: StaticType
    /// The checked syntax tree and the side tables that cover it (for
    /// explanations); never mutated.
    let expr: Expr
    let checked: CheckedPlan

    init(code: Code, program: Program, text: String, type: StaticType, expr: Expr, checked: CheckedPlan) {
        self.code = code
        self.program = program
        self.text = text
        self.type = type
        self.expr = expr
        self.checked = checked
    }

    /// The static type, as the language names it (`number`, `money (CNY)`, `list of person`, ...).
    public var typeDescription: String { type.description }
}

public struct ExpressionCompilation: Sendable {
    public let expression: CompiledExpression?
    public let diagnostics: [Diagnostic]
}

/// A dataset checked against a plan: typed inputs and structure. Immutable
/// and `Sendable`; evaluate it any number of times.
public final class Dataset: Sendable {
    let data: BoundData
    /// Inputs changed from the dataset as loaded (subject, slot), when this
    /// dataset was made by `overriding(_:)`.
    let changed: [(SubjectRef, Int)]
    /// The dataset as loaded, before any override.
    let root: BoundData
    init(_ data: BoundData, changed: [(SubjectRef, Int)] = [], root: BoundData? = nil) {
        self.data = data
        self.changed = changed
        self.root = root ?? data
    }

    /// Number of teams and people.
    public var teamCount: Int { data.counts[1] }
    public var personCount: Int { data.counts[2] }
    public var personIDs: [String] { data.ids[2] }
    public var teamIDs: [String] { data.ids[1] }
}

public struct DatasetLoad: Sendable {
    /// The dataset, or nil when there were data errors.
    public let dataset: Dataset?
    /// Every problem found (errors and warnings).
    public let diagnostics: [Diagnostic]
}

/// An evaluation failed: the diagnostic names the location and the subject.
public struct EvaluationFailure: Error, Sendable {
    public enum Kind: Sendable { case evaluation, limit, cancelled }
    public let kind: Kind
    public let diagnostic: Diagnostic
}

/// One evaluation context over a plan and a dataset: values computed once
/// are memoised and reused by later queries. Not thread-safe — create one per
/// thread; the plan and dataset they share are.
public final class Session {
    public let plan: CompiledPlan
    public let dataset: Dataset
    let evaluation: Evaluation

    public init(plan: CompiledPlan, dataset: Dataset, options: EvaluationOptions = EvaluationOptions()) {
        self.plan = plan
        self.dataset = dataset
        self.evaluation = Evaluation(data: dataset.data, options: options)
    }

    init(plan: CompiledPlan, dataset: Dataset, evaluation: Evaluation) {
        self.plan = plan
        self.dataset = dataset
        self.evaluation = evaluation
    }

    /// Evaluates a compiled expression in the company scope.
    public func evaluate(_ expression: CompiledExpression) throws(EvaluationFailure) -> Value {
        evaluation.query = expression.program
        defer { evaluation.query = nil }
        do {
            return try evaluation.run(expression.code, for: .company)
        } catch {
            throw failure(error)
        }
    }

    /// The violated constraints, in constraint then subject order.
    public func violations() throws(EvaluationFailure) -> [Violation] {
        do {
            return try evaluation.violations().compactMap { v in
                guard case .record(let r) = v, case .string(let c) = r.values[0], case .string(let s) = r.values[1],
                      case .string(let sev) = r.values[2], case .string(let m) = r.values[3] else { return nil }
                return Violation(constraint: c, subject: s, severity: Severity(rawValue: sev) ?? .error, message: m)
            }
        } catch {
            throw failure(error)
        }
    }

    /// Every named value of every subject and every constraint (memoised
    /// values are reused).
    public func results() -> EvaluationResult { evaluation.evaluateAll() }

    /// A new session over this one's dataset with `overrides` applied: the
    /// what-if of the REPL's `:set`. Compare the two with `changes(from:)`.
    public func applying(_ overrides: [Override]) -> (session: Session?, diagnostics: [Diagnostic]) {
        let (data, problems) = dataset.overriding(overrides)
        guard let data else { return (nil, problems) }
        // Only inputs changed relative to this session's dataset matter.
        let changedNow = Array(data.changed.dropFirst(dataset.changed.count))
        let evaluation = Evaluation(data: data.data, reusing: self.evaluation, changed: changedNow)
        return (Session(plan: plan, dataset: data, evaluation: evaluation), problems)
    }

    /// How the expression's value is derived: a tree from the value down
    /// through every rule, formula, table row or curve segment, clamp, cap
    /// and rounding to the dataset's inputs (see `Explanation`). Costs nothing
    /// until asked for; values already computed by this session are reused.
    public func explain(_ expression: CompiledExpression) -> Explanation {
        let explainer = Explainer(checked: expression.checked, program: expression.program, evaluation: evaluation)
        let v = explainer.value(expression.expr, .company, [])
        let child = explainer.explain(expression.expr, .company, [])
        return explainer.node(.query, expression.text, value: v, span: nil, children: [child], formula: .alias)
    }

    /// Recomputes every node of an explanation from its children's values
    /// (see `Explanation`); returns one message per node that disagrees.
    func verify(_ explanation: Explanation) -> [String] {
        explanation.verify(with: evaluation)
    }

    /// Warnings raised while evaluating (e.g. a pool that pays nothing).
    public var warnings: [Diagnostic] { evaluation.warnings }

    /// The canonical text of a value (LANGUAGE.md §11); people and teams
    /// inside it print as their ids.
    public func render(_ value: Value) -> String {
        CanonicalText.render(value, subjectID: { [evaluation] in evaluation.data.id(of: $0) })
    }

    func failure(_ e: EvaluationError) -> EvaluationFailure {
        let kind: EvaluationFailure.Kind = e.kind == .limit ? .limit : e.kind == .cancelled ? .cancelled : .evaluation
        return EvaluationFailure(kind: kind, diagnostic: evaluation.diagnostic(e))
    }
}
