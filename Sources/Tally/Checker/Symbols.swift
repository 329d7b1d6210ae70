// The checker's model of a plan: scopes with their named slots, block
// conditions, objectives, tables, functions, pools and constraints. The
// compiler turns this model (plus the side tables in `CheckedPlan`) into
// executable code; nothing here is consulted while evaluating.

/// Built-in names of a scope (LANGUAGE.md §5) and of records reached by `.`.
enum BuiltinField: String, Sendable, CaseIterable {
    case id, name, team, manager, members, subteams, parent, path

    /// The built-ins a subject of `scope` has, in the order they print.
    static func of(_ scope: ScopeKind) -> [BuiltinField] {
        switch scope {
        case .person: return [.id, .name, .team, .manager]
        case .team: return [.id, .name, .parent, .path, .members, .subteams]
        case .company: return [.id, .name]
        }
    }

    func type(in scope: ScopeKind) -> StaticType {
        switch self {
        case .id: return .string
        case .name: return .string
        case .team: return .subject(.team)
        case .manager: return .subject(.person)
        case .members: return .list(.subject(.person))
        case .subteams: return .list(.subject(.team))
        case .parent: return .subject(.team)
        case .path: return .list(.string)
        }
    }
}

/// Names visible everywhere (resolution level 5).
enum GlobalName: String, Sendable, CaseIterable {
    case company, people, teams, period, violations

    var type: StaticType {
        switch self {
        case .company: return .subject(.company)
        case .people: return .list(.subject(.person))
        case .teams: return .list(.subject(.team))
        case .period: return .period
        case .violations: return .list(.violation)
        }
    }
}

/// What a named slot of a scope holds.
enum SlotKind: Sendable, Equatable {
    /// A dataset field declared in an `inputs` block.
    case input
    /// `let`.
    case value
    /// An objective (its value is the objective record).
    case objective
    case incentive
    /// The pool total actually paid, on the declaring subject.
    case pool
    /// A person's part of a pool (zero outside every instance).
    case poolShare
    /// The weighted mean of the objectives that apply to the subject.
    case score
    /// The list of objective records that apply to the subject.
    case objectives
}

/// One definition of a slot: a declaration, and the block whose condition
/// decides whether it applies to a subject.
struct SlotDefinition: Sendable {
    enum Item: Sendable {
        case input(InputField, inputsBlock: Int)
        case value(LetDecl)
        case objective(Int)
        case incentive(IncentiveDecl)
        case pool(Int)
        case poolShare(Int)
        case derived
    }
    var block: Int?
    var span: Span
    var item: Item
}

struct SlotInfo: Sendable {
    var name: String
    var kind: SlotKind
    var title: String?
    var definitions: [SlotDefinition] = []
    var type: StaticType = .unknown
    /// Declared as `percent`: shown as a percentage in table and CSV output.
    var isPercent = false
    var isOptionalInput = false
}

/// A `for ... where` or `inputs ... where` condition.
struct BlockInfo: Sendable {
    var condition: Expr?
    var span: Span
    /// An `inputs` block (its condition may read only dataset structure and
    /// unconditional inputs).
    var isInputs: Bool
}

struct KeyResultInfo: Sendable {
    var decl: KeyResultDecl
    var fields: [String: Field]
}

struct ObjectiveInfo: Sendable {
    var decl: ObjectiveDecl
    var scope: ScopeKind
    var block: Int?
    var slot: Int
    var keyResults: [KeyResultInfo]
    /// The objective it aligns to: scope and objective index there.
    var alignedTo: (scope: ScopeKind, objective: Int, via: String)?
    /// Objectives that align to this one: (scope, objective index).
    var children: [(scope: ScopeKind, objective: Int)] = []
}

final class ScopeModel {
    let kind: ScopeKind
    var slots: [SlotInfo] = []
    var byName: [String: Int] = [:]
    var blocks: [BlockInfo] = []
    var objectives: [ObjectiveInfo] = []
    var objectiveByName: [String: Int] = [:]
    var scoreSlot: Int?
    var objectivesSlot: Int?

    init(kind: ScopeKind) { self.kind = kind }

    func slot(named name: String) -> Int? { byName[name] }

    /// Adds a slot or returns the existing one of that name.
    func ensureSlot(_ name: String, kind: SlotKind, title: String?) -> Int {
        if let i = byName[name] { return i }
        slots.append(SlotInfo(name: name, kind: kind, title: title))
        byName[name] = slots.count - 1
        return slots.count - 1
    }
}

struct FunctionInfo: Sendable {
    var decl: FunctionDecl
    var returnType: StaticType = .unknown
}

struct TableInfo: Sendable {
    var decl: TableDecl
    var keyType: StaticType = .unknown
    /// A `first` table: the type each input column's row tests compare with.
    var columnTypes: [StaticType] = []
    var resultType: StaticType = .unknown
}

struct PoolInfo: Sendable {
    var decl: PoolDecl
    var scope: ScopeKind
    var block: Int?
    var fields: [String: Field]
    /// The slot of the declaring scope holding the total paid.
    var totalSlot: Int
    /// The person slot holding each person's part.
    var shareSlot: Int
    var currency: Currency?
}

struct ConstraintInfo: Sendable {
    var decl: ConstraintDecl
    var scope: ScopeKind
    /// Conditions that select subjects: the enclosing `for` block's and the
    /// constraint's own `where`.
    var conditions: [Expr]
}

/// The plan header: title, period and currency.
public struct PlanInfo: Sendable, Hashable, Codable {
    public var title: String
    public var start: Day
    public var end: Day
    public var currency: Currency

    /// Calendar days of the period, both ends included.
    public var days: Int { Int(end.ordinal - start.ordinal) + 1 }
}
