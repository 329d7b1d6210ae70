/// A compiled plan: immutable code for every scope, table, function, pool
/// and constraint. Shared by all evaluations, on any thread.
final class Program: Sendable {
    let header: PlanInfo
    let scopes: [ScopeCode]
    let functions: [FunctionCode]
    let tables: [TableCode]
    let pools: [PoolCode]
    let constraints: [ConstraintCode]
    let files: [SourceFile]
    /// Who reads each slot, block, table or function, for what-if evaluation.
    let readers: [GraphNode: [(reader: GraphNode, sameSubject: Bool)]]

    init(header: PlanInfo, scopes: [ScopeCode], functions: [FunctionCode], tables: [TableCode],
         pools: [PoolCode], constraints: [ConstraintCode], files: [SourceFile],
         readers: [GraphNode: [(reader: GraphNode, sameSubject: Bool)]] = [:]) {
        self.readers = readers
        self.header = header
        self.scopes = scopes
        self.functions = functions
        self.tables = tables
        self.pools = pools
        self.constraints = constraints
        self.files = files
    }

    @inline(__always)
    func scope(_ kind: ScopeKind) -> ScopeCode {
        switch kind {
        case .company: return scopes[0]
        case .team: return scopes[1]
        case .person: return scopes[2]
        }
    }

    func file(_ span: Span) -> SourceFile? {
        span.isSynthetic || Int(span.file) >= files.count ? nil : files[Int(span.file)]
    }

    func text(_ span: Span) -> String { file(span)?.text(of: span) ?? "" }

    /// A resolved diagnostic at `span`.
    func diagnostic(_ severity: Diagnostic.Severity, _ phase: Diagnostic.Phase, _ span: Span?, _ message: String) -> Diagnostic {
        DiagnosticBag(files: files).make(severity, phase, span, message)
    }
}
