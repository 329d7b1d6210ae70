/// What a name, member access or call refers to, as decided by the checker
/// and kept in a side table indexed by the expression's `NodeID`.
enum Resolution: Sendable {
    /// A comprehension variable, function or table parameter, or the
    /// key result's `progress`: a slot of the current frame.
    case local(Int)
    /// A slot of the subject being evaluated.
    case slot(ScopeKind, Int)
    /// A company-scope slot read from a team or person scope, or from a
    /// function or table body.
    case companySlot(Int)
    /// A built-in of the current subject (`team`, `members`, `id`, ...).
    case builtin(BuiltinField)
    case global(GlobalName)
    /// `aligned` inside a key result: the children of the enclosing objective.
    case aligned(ScopeKind, objective: Int)
    /// A field of the element bound in the frame slot `local`, read bare
    /// inside `where` or a pool's `share:` (resolution level 2).
    case elementSlot(local: Int, ScopeKind, Int)
    case elementBuiltin(local: Int, BuiltinField)
    case elementRecordField(local: Int, String)
    /// Element type unknown: the element's field if it has one, else `outer`.
    indirect case elementDynamic(local: Int, String, outer: Resolution?)

    // Member access `a.b`:
    /// `b` is a slot of a subject of the given scope.
    case memberSlot(ScopeKind, Int)
    case memberBuiltin(BuiltinField)
    /// A record field (objective, key result, period, violation) or key result by id.
    case memberField(String)
    /// Not known statically: looked up by name when evaluated.
    case memberDynamic(String)

    // Calls:
    case builtinFunction(BuiltinFunction)
    case userFunction(Int)
    case table(Int)
}

/// Built-in functions (LANGUAGE.md §4).
enum BuiltinFunction: String, Sendable, CaseIterable {
    case min, max, clamp, abs, sum, count, avg, weighted_avg, any, all
    case round, round_half_even, floor, ceil, truncate
    case days_between, overlap_days, year, month, quarter
    case len, lower, upper, contains

    /// Allowed argument counts.
    var arity: ClosedRange<Int> {
        switch self {
        case .min, .max: return 1...Int.max
        case .clamp: return 3...3
        case .abs, .sum, .count, .avg, .any, .all: return 1...1
        case .weighted_avg: return 2...2
        case .round, .round_half_even, .floor, .ceil, .truncate: return 1...2
        case .days_between: return 2...2
        case .overlap_days: return 4...4
        case .year, .month, .quarter: return 1...1
        case .len, .lower, .upper: return 1...1
        case .contains: return 2...2
        }
    }

    var roundingMode: RoundingMode? {
        switch self {
        case .round: return .halfAwayFromZero
        case .round_half_even: return .halfEven
        case .floor: return .floor
        case .ceil: return .ceiling
        case .truncate: return .towardZero
        default: return nil
        }
    }
}

/// The checker's output: the plan model plus side tables keyed by `NodeID`.
final class CheckedPlan {
    var files: [SourceFile]
    var header: PlanInfo?
    var scopes: [ScopeModel]
    var functions: [FunctionInfo] = []
    var functionByName: [String: Int] = [:]
    var tables: [TableInfo] = []
    var tableByName: [String: Int] = [:]
    var pools: [PoolInfo] = []
    var constraints: [ConstraintInfo] = []
    /// Indexed by `NodeID`.
    var resolutions: [Resolution?]
    var types: [StaticType]
    /// Literal values (numbers, money, dates), parsed once.
    var literals: [NodeID: Value] = [:]
    /// Who reads what (see `DependencyGraph.readers`).
    var readers: [GraphNode: [(reader: GraphNode, sameSubject: Bool)]] = [:]

    init(files: [SourceFile], nodeCount: Int) {
        self.files = files
        self.scopes = ScopeKind.allCases.map { ScopeModel(kind: $0) }
        self.resolutions = Array(repeating: nil, count: nodeCount)
        self.types = Array(repeating: .unknown, count: nodeCount)
    }

    func scope(_ kind: ScopeKind) -> ScopeModel {
        switch kind {
        case .company: return scopes[0]
        case .team: return scopes[1]
        case .person: return scopes[2]
        }
    }
}

extension CheckedPlan {
    /// The value of a constant expression — literals, unary minus,
    /// arithmetic and lists of constants — or nil when it is not constant or
    /// its arithmetic fails. The checker uses it for table keys and weights;
    /// the compiler to fold constants.
    func constant(_ e: Expr) -> Value? {
        switch e.kind {
        case .number, .money, .string, .date, .bool, .none:
            return literals[e.id]
        case .unary(.negate, let x):
            return constant(x).flatMap { try? Operators.negate($0) }
        case .binary(let op, let a, let b) where [.add, .subtract, .multiply, .divide, .power].contains(op):
            guard let x = constant(a), let y = constant(b) else { return nil }
            return try? Operators.arithmetic(op, x, y)
        case .list(let items):
            var values: [Value] = []
            for item in items {
                guard let v = constant(item) else { return nil }
                values.append(v)
            }
            return .list(values)
        default:
            return nil
        }
    }

    /// A copy that shares the (fully checked) scopes and declarations, for
    /// checking an expression against the plan without changing it.
    func copy() -> CheckedPlan {
        let c = CheckedPlan(files: files, nodeCount: 0)
        c.header = header
        c.scopes = scopes
        c.functions = functions
        c.functionByName = functionByName
        c.tables = tables
        c.tableByName = tableByName
        c.pools = pools
        c.constraints = constraints
        c.resolutions = resolutions
        c.types = types
        c.literals = literals
        c.readers = readers
        return c
    }
}
