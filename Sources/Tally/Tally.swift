// The public API of the Tally library, in one place: what a host program
// (a payroll service, a notebook, a backend) compiles, loads and evaluates
// with. Implementation lives in API/ and the pipeline folders; this file
// holds declarations, documentation and one-line forwards.
//
//     let compilation = CompiledPlan.compile(source: text, name: "plan.tally")
//     guard let plan = compilation.plan else { /* compilation.diagnostics */ }
//     let load = plan.dataset(json: bytes)
//     guard let data = load.dataset else { /* load.diagnostics */ }
//     let results = plan.evaluate(data)                       // everything
//     let bonus = results.person("E0001")?["quarterly_bonus"]  // .money(2649.48 CNY)
//     let total = try plan.evaluate("sum(p.quarterly_bonus for p in people)", in: data)
//
// Pipeline: Syntax (lexer, parser) → Checker (names, types, dependency
// graph) → Compiler (slots, nodes) → Runtime (lazy memoised evaluation).
// See Tally.docc (Getting Started, Embedding) and docs/embedding.md.

// MARK: - Compiling

/// A plan compiled for evaluation: checked, with every name resolved.
///
/// Immutable and `Sendable`: compile once, then load datasets and evaluate
/// from any number of threads at the same time. Each evaluation keeps its own
/// memo tables; the plan is only read. Results do not depend on which thread
/// evaluates or how many evaluate at once.
public final class CompiledPlan: @unchecked Sendable {
    // Never mutated after compilation: expressions are checked against a
    // copy of `checked` (see `expression(_:)`), which is what makes this Sendable.
    let checked: CheckedPlan
    let program: Program
    let nodeCount: NodeID

    /// The plan header: title, period (`start`...`end`, both included) and the
    /// plan currency, in which every money input and incentive is expressed.
    public var info: PlanInfo { program.header }
    /// Compile-time warnings (a table row that can never match, ...). Errors
    /// prevent compilation, so a compiled plan has none.
    public let warnings: [Diagnostic]

    init(checked: CheckedPlan, program: Program, nodeCount: NodeID, warnings: [Diagnostic]) {
        self.checked = checked
        self.program = program
        self.nodeCount = nodeCount
        self.warnings = warnings
    }

    /// Compiles plan text.
    ///
    /// - Parameters:
    ///   - source: The plan (`*.tally`), LANGUAGE.md.
    ///   - name: The file name shown in diagnostics (`plan.tally:12:5: error: ...`).
    ///   - loader: Resolves `import "path"`; `nil` makes every import an error.
    /// - Returns: Every diagnostic, errors and warnings together, sorted by file
    ///   and position; ``Compilation/plan`` is `nil` when any is an error.
    ///   Never throws: problems are values.
    public static func compile(source: String, name: String = "<plan>", loader: ImportLoader? = nil) -> Compilation {
        PlanCompiler.compile(bytes: Array(source.utf8), name: name, loader: loader, additional: [])
    }

    /// Compiles plan bytes: UTF-8 with an optional BOM. Invalid UTF-8 is a
    /// diagnostic naming the byte, never a crash.
    ///
    /// - Parameters:
    ///   - bytes: The plan's text as UTF-8.
    ///   - name: The file name shown in diagnostics.
    ///   - loader: Resolves `import "path"`; `nil` makes every import an error.
    ///   - additional: Further sources compiled with the plan as if it
    ///     imported them (a REPL session's own declarations, for example).
    /// - Returns: As ``compile(source:name:loader:)``.
    public static func compile(bytes: [UInt8], name: String, loader: ImportLoader? = nil,
                               additional: [(name: String, bytes: [UInt8])] = []) -> Compilation {
        PlanCompiler.compile(bytes: bytes, name: name, loader: loader, additional: additional)
    }

    /// Reads and compiles the plan file at `path`.
    ///
    /// - Parameters:
    ///   - path: A file path; diagnostics name the file as given here.
    ///   - loader: Resolves imports; `nil` uses ``fileImportLoader(planPath:)``
    ///     (the file system, confined to the plan's directory tree, as the CLI does).
    /// - Returns: As ``compile(source:name:loader:)``; a missing or unreadable
    ///   file is one error diagnostic.
    public static func compile(contentsOfFile path: String, loader: ImportLoader? = nil) -> Compilation {
        PlanCompiler.compile(file: path, loader: loader)
    }

    /// The import loader of the command-line tool: `import "x.tally"` is read
    /// relative to the importing file, and may not leave the directory tree
    /// of the plan at `planPath` (no absolute paths, no `..` escaping it).
    public static func fileImportLoader(planPath: String) -> ImportLoader {
        FileImportLoader.make(planPath: planPath)
    }

    /// Compiles an expression evaluated in the company scope (the language of
    /// `tally eval --print`: `people["E0001"].quarterly_bonus`,
    /// `sum(p.quarterly_bonus for p in people)`), checked against this plan
    /// without changing it. Safe to call from several threads at once.
    public func expression(_ text: String, name: String = "<expr>") -> ExpressionCompilation {
        PlanCompiler.expression(text, name: name, in: self)
    }

    /// The names of every person value (inputs, lets, objectives, incentives,
    /// pool parts, `score`), in declaration order: the columns a table or
    /// CSV of people may show.
    public var personValueNames: [String] {
        program.scope(.person).descriptions.filter { $0.kind != .objectives }.map(\.name)
    }

    /// The inputs a dataset provides for one scope, in declaration order:
    /// what ``dataset(company:teams:people:)`` records may hold besides the
    /// structural fields `id`, `name`, `team`, `manager` and `parent`.
    public func inputs(of scope: ScopeKind) -> [InputDescription] {
        program.scope(scope).inputs.map(InputDescription.init)
    }

    // MARK: Datasets

    /// Reads dataset files and checks them against the plan's inputs.
    ///
    /// - Parameter files: `(name, bytes)` pairs. A name ending in `.json` is a
    ///   JSON dataset `{"company": {...}, "teams": [...], "people": [...]}`; a
    ///   base name of `company.csv`, `teams.csv` or `people.csv` is CSV for that
    ///   scope (LANGUAGE.md §12). Several files are merged as `tally eval
    ///   --data ... --data ...` merges them.
    /// - Returns: The dataset, or `nil` with every problem (record id and field,
    ///   file, line and column) in ``DatasetLoad/diagnostics``. Numbers are read
    ///   from their digits, never through `Double`; money fields hold plain
    ///   numbers in the plan currency; percent fields take `0.85` or `"85%"`.
    public func dataset(files: [(name: String, bytes: [UInt8])]) -> DatasetLoad {
        DatasetLoading.files(files, plan: self)
    }

    /// Reads one JSON dataset (UTF-8 bytes). Malformed JSON is a diagnostic
    /// with line and column. See ``dataset(files:)``.
    public func dataset(json: [UInt8], name: String = "data.json") -> DatasetLoad {
        DatasetLoading.files([(name, json)], plan: self, forceJSON: true)
    }

    /// Builds a dataset from Swift values, with the same checks and messages
    /// as a JSON file.
    ///
    /// Each record maps field names to values: `id` (a string; required for
    /// teams and people), `name`, `team` (a person's team id), `manager`,
    /// `parent` (a team's parent id), and the plan's inputs (``inputs(of:)``).
    /// Give money as `.money` in the plan currency or as a plain `.number`
    /// (read in the plan currency); percent inputs as the fraction
    /// (`.number(0.85)` for 85%); dates as `.date`; absent optional inputs as
    /// `.none` or by leaving the key out. Fields are read in key order, so the
    /// result does not depend on dictionary order.
    ///
    /// - Returns: As ``dataset(files:)``. Diagnostics locate a record as
    ///   `people[3]` (its position in `people`) or `company`, with line 0.
    public func dataset(company: [String: Value] = [:], teams: [[String: Value]] = [],
                        people: [[String: Value]] = []) -> DatasetLoad {
        DatasetLoading.values(company: company, teams: teams, people: people, plan: self)
    }

    /// Checks an already-read dataset (``DatasetReader``) against the plan's inputs.
    public func dataset(_ raw: RawDataset) -> DatasetLoad {
        let (bound, diagnostics) = DatasetBinder.bind(program, raw)
        return DatasetLoad(dataset: bound.map { Dataset($0) }, diagnostics: diagnostics)
    }

    // MARK: Evaluating

    /// Evaluates every named value of every subject and every constraint.
    ///
    /// Never throws: a value that fails (division by zero for one person, a
    /// limit of `options`) is `nil` in its ``SubjectResult`` and its error is
    /// in ``EvaluationResult/diagnostics``, naming the subject and location.
    /// Use ``evaluate(_:overrides:options:)`` to have limits, cancellation and
    /// invalid overrides thrown as a ``TallyError``.
    public func evaluate(_ dataset: Dataset, options: EvaluationOptions = EvaluationOptions()) -> EvaluationResult {
        guard dataset.data.program === program else { return EvaluationResult.foreignDataset(program) }
        return Evaluation(data: dataset.data, options: options).evaluateAll()
    }

    /// Evaluates the whole plan against `dataset` with what-if `overrides`
    /// applied (pass `[]` for none).
    ///
    /// - Throws: ``TallyError`` of kind `data` when an override names no
    ///   subject or input or has the wrong type (every problem listed);
    ///   `limit` when a limit of `options` was exceeded; `cancelled` when
    ///   `options.isCancelled` answered true. Evaluation errors of single
    ///   values do not throw: they are in the result's diagnostics.
    public func evaluate(_ dataset: Dataset, overrides: [Override],
                         options: EvaluationOptions = EvaluationOptions()) throws(TallyError) -> EvaluationResult {
        try Evaluating.all(self, dataset, overrides: overrides, options: options)
    }

    /// Compiles and evaluates one company-scope expression against `dataset`.
    ///
    /// People and teams in the value come back as their id strings, so the
    /// value stands alone. To evaluate many expressions over one dataset,
    /// compile them once with ``expression(_:name:)`` and use a ``Session``,
    /// which memoises named values between queries.
    ///
    /// - Throws: ``TallyError`` of kind `compile` (the expression), `data`
    ///   (an override), `evaluation`, `limit` or `cancelled`.
    public func evaluate(_ expression: String, in dataset: Dataset, overrides: [Override] = [],
                         options: EvaluationOptions = EvaluationOptions()) throws(TallyError) -> Value {
        try Evaluating.expression(.text(expression), self, dataset, overrides: overrides, options: options).value
    }

    /// Evaluates an expression compiled with ``expression(_:name:)``. As
    /// ``evaluate(_:in:overrides:options:)``.
    public func evaluate(_ expression: CompiledExpression, in dataset: Dataset, overrides: [Override] = [],
                         options: EvaluationOptions = EvaluationOptions()) throws(TallyError) -> Value {
        try Evaluating.expression(.compiled(expression), self, dataset, overrides: overrides, options: options).value
    }
}

/// The outcome of compiling a plan: the plan, or the reasons there is none.
public struct Compilation: Sendable {
    /// The compiled plan, or `nil` when any diagnostic is an error.
    public let plan: CompiledPlan?
    /// Every diagnostic, errors and warnings, sorted by file and position.
    public let diagnostics: [Diagnostic]
}

/// An expression compiled against a plan. Immutable and `Sendable`; evaluate
/// it in any number of sessions, on any thread. (`@unchecked` because it
/// keeps the checked syntax tree for explanations, which is never mutated.)
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

    /// The static type as the language names it: `number`, `money (CNY)`,
    /// `list of person`, ...
    public var typeDescription: String { type.description }
}

/// The outcome of compiling an expression.
public struct ExpressionCompilation: Sendable {
    /// The compiled expression, or `nil` when any diagnostic is an error.
    public let expression: CompiledExpression?
    /// Every diagnostic; their file is the `name` given to ``CompiledPlan/expression(_:name:)``.
    public let diagnostics: [Diagnostic]
}

/// One declared input of a scope (an `inputs` block field).
public struct InputDescription: Sendable, Hashable, Codable {
    /// The field name, as records carry it.
    public let name: String
    /// The declared type: `money` is in the plan currency; `percent` is a
    /// fraction (0.85 for 85%).
    public let type: InputType
    /// A record may leave the field out: declared `T?`, with a default
    /// (`= 1`), or under `inputs … where` and not required for every subject.
    public let mayBeAbsent: Bool
}

// MARK: - Datasets

/// A dataset checked against a plan: typed inputs and the company, team and
/// people structure. Immutable and `Sendable`; evaluate it any number of
/// times, from any thread.
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

    /// The number of teams.
    public var teamCount: Int { data.counts[1] }
    /// The number of people.
    public var personCount: Int { data.counts[2] }
    /// Person ids in dataset order (JSON array or CSV row order).
    public var personIDs: [String] { data.ids[2] }
    /// Team ids in dataset order.
    public var teamIDs: [String] { data.ids[1] }

}

/// The outcome of loading a dataset.
public struct DatasetLoad: Sendable {
    /// The dataset, or `nil` when any diagnostic is an error.
    public let dataset: Dataset?
    /// Every problem found, errors and warnings (a field no `inputs` block
    /// declares is a warning), in file and record order.
    public let diagnostics: [Diagnostic]
}

extension Override {
    /// Reads overrides written as JSON, each value written as in a dataset
    /// file and typed against its declared input:
    /// `[{"scope": "person", "id": "E0001", "field": "revenue", "value": 1500000},
    /// {"scope": "company", "field": "defect_rate", "value": "1.5%"}]` (money
    /// as a plain number in the plan currency, percent as `0.015` or `"1.5%"`,
    /// dates as `"YYYY-MM-DD"`, `null` for an absent optional input).
    ///
    /// - Returns: The overrides, or `nil` with every problem (malformed JSON,
    ///   a missing key, a value of the wrong type) located in the text named
    ///   `name`. Unknown subjects and fields are reported when the overrides
    ///   are applied (``Dataset/overriding(_:)``).
    public static func read(json: [UInt8], name: String = "<overrides>",
                            plan: CompiledPlan) -> (overrides: [Override]?, diagnostics: [Diagnostic]) {
        OverrideReading.read(json, name: name, plan: plan)
    }
}

// MARK: - Sessions

/// One evaluation context over a plan and a dataset: named values computed
/// for one query are memoised and reused by later queries.
///
/// Not thread-safe: use a session from one thread at a time, and make one
/// session per thread to evaluate in parallel. The plan and dataset they
/// share are safe to share.
public final class Session {
    /// The plan evaluated.
    public let plan: CompiledPlan
    /// The dataset evaluated against.
    public let dataset: Dataset
    let evaluation: Evaluation

    /// A session with the resource limits and cancellation of `options`.
    /// The step limit counts over the session's whole life.
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

    /// Evaluates a compiled expression in the company scope. People and
    /// teams in the value are `.subject` references into this session's
    /// dataset; ``render(_:)`` prints them as their ids.
    ///
    /// - Throws: ``EvaluationFailure`` (kind `evaluation`, `limit` or
    ///   `cancelled`) with a diagnostic naming the location and subject.
    public func evaluate(_ expression: CompiledExpression) throws(EvaluationFailure) -> Value {
        try SessionSupport.evaluate(expression, in: self)
    }

    /// The violated constraints, in constraint then subject order (LANGUAGE.md §9).
    ///
    /// - Throws: ``EvaluationFailure`` when a constraint cannot be evaluated.
    public func violations() throws(EvaluationFailure) -> [Violation] {
        try SessionSupport.violations(in: self)
    }

    /// Checks every constraint for every subject: the violations, and every
    /// failure to evaluate one (each distinct failure once, with the
    /// subjects it affects) — where ``violations()`` stops at the first.
    public func checkConstraints() -> (violations: [Violation], failures: [EvaluationFailure]) {
        SessionSupport.checkConstraints(in: self)
    }

    /// Every named value of every subject and every constraint; values
    /// already memoised are reused. As ``CompiledPlan/evaluate(_:options:)``.
    public func results() -> EvaluationResult {
        guard dataset.data.program === plan.program else { return EvaluationResult.foreignDataset(plan.program) }
        return evaluation.evaluateAll()
    }

    /// A new session over this one's dataset with `overrides` applied: the
    /// what-if of the REPL's `:set`. Compare the two with ``changes(from:)``.
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
        // An explanation walks definitions inside one another (up to 200
        // deep): on a small host thread, it runs on a large-stack one while
        // the caller waits, so the session is still used by one thread at a time.
        let evaluation = self.evaluation
        let box = UncheckedBox(evaluation)
        return LargeStack.runIfNeeded {
            let explainer = Explainer(checked: expression.checked, program: expression.program, evaluation: box.value)
            let v = explainer.value(expression.expr, .company, [])
            let child = explainer.explain(expression.expr, .company, [])
            // The heading is the expression as one line: an interactive host
            // may pass it padded with blanks (to keep its columns) or on
            // several lines.
            let heading = expression.text.split(whereSeparator: \.isNewline)
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: " ")
            return explainer.node(.query, heading, value: v, span: nil, children: [child], formula: .alias)
        }
    }

    /// Recomputes every node of an explanation from its children's values
    /// (see `Explanation`); returns one message per node that disagrees.
    func verify(_ explanation: Explanation) -> [String] {
        explanation.verify(with: evaluation)
    }

    /// Warnings raised while evaluating so far (a pool that pays nothing, ...).
    public var warnings: [Diagnostic] { evaluation.warnings }

    /// The canonical text of a value (LANGUAGE.md §11), exactly as
    /// `tally eval --print` prints it; people and teams print as their ids.
    public func render(_ value: Value) -> String {
        CanonicalText.render(value, subjectID: { [evaluation] in evaluation.data.id(of: $0) })
    }

    /// `value` with people and teams replaced by their id strings, so that it
    /// stands alone (encodable, comparable across sessions).
    public func exported(_ value: Value) -> Value { evaluation.exported(value) }
}

// MARK: - Errors

/// An evaluation in a ``Session`` failed.
public struct EvaluationFailure: Error, Sendable {
    /// What stopped the evaluation.
    public enum Kind: Sendable {
        /// An error in the plan's logic for this data: division by zero,
        /// `none` used as a value, a table with no matching row, ...
        case evaluation
        /// A limit of ``EvaluationOptions`` was exceeded.
        case limit
        /// ``EvaluationOptions/isCancelled`` answered true.
        case cancelled
    }
    /// What stopped the evaluation.
    public let kind: Kind
    /// The message, naming the subject (`person E0017: division by zero`) and
    /// the source location when there is one.
    public let diagnostic: Diagnostic
}

/// Why a compile, load or evaluate call of ``CompiledPlan`` failed: every
/// diagnostic, and the kind of failure.
public struct TallyError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure; it decides the CLI's exit code.
    public enum Kind: String, Sendable, Codable {
        /// A plan or expression has errors (exit code 1).
        case compile
        /// A dataset or an override has errors (exit code 2).
        case data
        /// Evaluation failed for this data (exit code 2).
        case evaluation
        /// A limit of ``EvaluationOptions`` was exceeded.
        case limit
        /// ``EvaluationOptions/isCancelled`` answered true.
        case cancelled
    }
    /// The kind of failure.
    public let kind: Kind
    /// Every diagnostic, errors first in the order found, then warnings.
    /// Never empty.
    public let diagnostics: [Diagnostic]

    /// The first error: its message, file, line and column.
    public var diagnostic: Diagnostic { diagnostics.first { $0.isError } ?? diagnostics[0] }

    /// Every diagnostic rendered as the CLI prints them, one after another.
    public var description: String { diagnostics.map { $0.rendered() }.joined(separator: "\n") }

    /// A ``TallyError`` of `kind` with these diagnostics.
    public init(_ kind: Kind, diagnostics: [Diagnostic]) {
        self.kind = kind
        self.diagnostics = diagnostics.isEmpty ? [Diagnostic(.error, phase: .evaluation, message: "unknown error")] : diagnostics
    }

    /// The same failure as an ``EvaluationFailure`` from a ``Session``.
    public init(_ failure: EvaluationFailure) {
        let kind: Kind = switch failure.kind {
        case .evaluation: .evaluation
        case .limit: .limit
        case .cancelled: .cancelled
        }
        self.init(kind, diagnostics: [failure.diagnostic])
    }
}

// MARK: - Values

extension Value {
    /// The exact number, when this is a `number` (percentages are fractions:
    /// 85% is 0.85).
    public var decimal: ExactDecimal? { if case .number(let n) = self { n } else { nil } }
    /// The amount and currency, when this is `money`.
    public var money: Money? { if case .money(let m) = self { m } else { nil } }
    /// The text, when this is a `string`.
    public var string: String? { if case .string(let s) = self { s } else { nil } }
    /// The truth value, when this is a `bool`.
    public var bool: Bool? { if case .bool(let b) = self { b } else { nil } }
    /// The calendar day, when this is a `date`.
    public var date: Day? { if case .date(let d) = self { d } else { nil } }
    /// The elements, when this is a list.
    public var list: [Value]? { if case .list(let l) = self { l } else { nil } }
    /// The record (objective, key result, violation, period), when this is one.
    public var record: Record? { if case .record(let r) = self { r } else { nil } }

    /// The canonical text (LANGUAGE.md §11): `0.85`, `13500.00 CNY`,
    /// `2026-09-30`, `none`, `[1, 2]`; a top-level string prints raw. A
    /// `.subject` prints as `person#3`; use ``Session/render(_:)`` for ids.
    public var text: String { CanonicalText.render(self) }
}

/// `Value` is `Codable` with exact numbers: no number passes through `Double`.
///
/// JSON shapes: `none` is `null`, a bool is `true`/`false`, a string is a
/// JSON string, a list is an array; the other kinds are one-key objects whose
/// numbers are strings of exact decimal text:
/// `{"number": "0.85"}`, `{"money": "13500.00", "currency": "CNY"}`,
/// `{"date": "2026-09-30"}`, `{"record": "objective", "fields": [{"name": "id",
/// "value": "growth"}, ...]}` (fields in declaration order), and
/// `{"subject": "person", "index": 3}` (a reference into a session's dataset;
/// results never hold one). Decoding accepts exactly these shapes.
extension Value: Codable {
    /// Decodes the shapes above.
    ///
    /// - Throws: `DecodingError.dataCorrupted` for any other shape or an
    ///   invalid number, currency or date.
    public init(from decoder: any Decoder) throws { self = try ValueCoding.decode(decoder) }
    /// Encodes the shapes above.
    public func encode(to encoder: any Encoder) throws { try ValueCoding.encode(self, to: encoder) }
}

/// Encoded as `{"scope", "id", "name", "team", "values": [{"name", "value"}
/// or {"name", "failed": true}]}`, values in declaration order.
extension SubjectResult: Codable {
    /// Decodes the shape above.
    public init(from decoder: any Decoder) throws { self = try ResultCoding.decodeSubject(decoder) }
    /// Encodes the shape above; values as ``Value`` encodes them.
    public func encode(to encoder: any Encoder) throws { try ResultCoding.encode(self, to: encoder) }
}

/// Encoded as `{"plan", "slots": {"company": [...], "team": [...],
/// "person": [...]}, "company", "teams", "people", "violations",
/// "diagnostics"}` with subjects as ``SubjectResult`` encodes them. Use
/// `JSONEncoder.outputFormatting = .sortedKeys` for byte-identical output;
/// every ordered collection is an array. For the natural JSON document of
/// `tally eval --format json` (numbers as exact JSON number tokens), use
/// ``jsonText(pretty:)``.
extension EvaluationResult: Codable {
    /// Decodes the shape above.
    public init(from decoder: any Decoder) throws { self = try ResultCoding.decodeResult(decoder) }
    /// Encodes the shape above.
    public func encode(to encoder: any Encoder) throws { try ResultCoding.encode(self, to: encoder) }

    /// The document `tally eval --format json` prints: plan, company, teams,
    /// people (values by name, money as `{"amount": 13482.50, "currency":
    /// "CNY"}`), payout totals, violations and warnings. Numbers are JSON
    /// number tokens holding the exact decimal text; read them with a
    /// decimal-preserving parser (Python: `json.loads(s, parse_float=Decimal)`).
    public func jsonText(pretty: Bool = true) -> String { ResultFormatter.json(self).serialized(pretty: pretty) }
}
