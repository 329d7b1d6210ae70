// The compiled form of a plan: per scope, one `SlotCode` per named slot, plus
// block conditions, objectives, tables, functions, pools and constraints.
// Immutable once built and shared by every evaluation.

/// An expression compiled to a node, with the size of the frame it needs
/// for comprehension variables and parameters.
struct Code: Sendable {
    let node: Node
    let frameSize: Int
}

/// A definition that applies only where its block's condition holds.
protocol Conditional {
    var block: Int? { get }
    /// The declaration, for messages.
    var span: Span { get }
}

struct Definition: Sendable, Conditional {
    let block: Int?
    let code: Code
    let span: Span
}

final class IncentiveCode: Sendable, Conditional {
    let block: Int?
    let eligible: Code?
    let amount: Code
    let cap: Code?
    let floor: Code?
    /// Decimal places of the final rounding; nil: the currency's minor unit.
    let places: Int?
    let currency: Currency?
    let span: Span

    init(block: Int?, eligible: Code?, amount: Code, cap: Code?, floor: Code?, places: Int?, currency: Currency?, span: Span) {
        self.block = block
        self.eligible = eligible
        self.amount = amount
        self.cap = cap
        self.floor = floor
        self.places = places
        self.currency = currency
        self.span = span
    }
}

enum SlotCode: Sendable {
    case input
    case value([Definition])
    /// One objective per block that declares it (same id, different conditions).
    case objective([ObjectiveAlternative])
    case incentive([IncentiveCode])
    case pool(Int)
    case poolShare(Int)
    case score
    case objectives
}

/// How a slot is shown and what it is, for results and the API.
public struct SlotDescription: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case input, value, objective, incentive, pool, poolShare, score, objectives
    }
    public let name: String
    public let kind: Kind
    /// The title written in the plan (`"季度奖金"`), if any.
    public let title: String?
    /// Declared `percent`: shown as a percentage in tables and CSV.
    public let isPercent: Bool
}

struct InputCode: Sendable {
    let slot: Int
    let name: String
    let type: InputType
    let isOptional: Bool
    let defaultValue: Value?
    /// The `inputs … where` block, if any.
    let block: Int?
    let span: Span
}

struct ObjectiveAlternative: Sendable, Conditional {
    let block: Int?
    let objective: Int
    let span: Span
}

final class KeyResultCode: Sendable {
    let id: String
    let title: String?
    let weight: Code?
    let actual: Code?
    let baseline: Code?
    let target: Code?
    let cap: Code?
    let floor: Code?
    let done: Code?
    /// Evaluated with `progress` in frame slot 0 when actual/baseline/target exist.
    let score: Code?
    let span: Span

    init(id: String, title: String?, weight: Code?, actual: Code?, baseline: Code?, target: Code?, cap: Code?, floor: Code?, done: Code?, score: Code?, span: Span) {
        self.id = id
        self.title = title
        self.weight = weight
        self.actual = actual
        self.baseline = baseline
        self.target = target
        self.cap = cap
        self.floor = floor
        self.done = done
        self.score = score
        self.span = span
    }
}

final class ObjectiveCode: Sendable {
    let id: String
    let title: String?
    let block: Int?
    let slot: Int
    let weight: Code?
    let keyResults: [KeyResultCode]
    let alignedTo: String?
    let children: [(scope: ScopeKind, objective: Int)]
    let span: Span

    init(id: String, title: String?, block: Int?, slot: Int, weight: Code?, keyResults: [KeyResultCode], alignedTo: String?, children: [(scope: ScopeKind, objective: Int)], span: Span) {
        self.id = id
        self.title = title
        self.block = block
        self.slot = slot
        self.weight = weight
        self.keyResults = keyResults
        self.alignedTo = alignedTo
        self.children = children
        self.span = span
    }
}

final class PoolCode: Sendable {
    let name: String
    let scope: ScopeKind
    let block: Int?
    let total: Code
    let among: Code
    /// Evaluated per person with the person in frame slot 0.
    let share: Code
    let places: Int?
    let currency: Currency?
    let totalSlot: Int
    let shareSlot: Int
    let span: Span

    init(name: String, scope: ScopeKind, block: Int?, total: Code, among: Code, share: Code, places: Int?, currency: Currency?, totalSlot: Int, shareSlot: Int, span: Span) {
        self.name = name
        self.scope = scope
        self.block = block
        self.total = total
        self.among = among
        self.share = share
        self.places = places
        self.currency = currency
        self.totalSlot = totalSlot
        self.shareSlot = shareSlot
        self.span = span
    }
}

final class ConstraintCode: Sendable {
    let title: String
    let scope: ScopeKind
    let severity: Severity
    let conditions: [Code]
    let rule: Code
    /// The two sides of a comparison rule, shown in the violation message.
    let sides: [(text: String, code: Code)]
    let ruleText: String
    let span: Span

    init(title: String, scope: ScopeKind, severity: Severity, conditions: [Code], rule: Code, sides: [(text: String, code: Code)], ruleText: String, span: Span) {
        self.title = title
        self.scope = scope
        self.severity = severity
        self.conditions = conditions
        self.rule = rule
        self.sides = sides
        self.ruleText = ruleText
        self.span = span
    }
}

enum TableTest: Sendable {
    case compare(BinaryOperator, Value)
    case range(Value, Value, inclusive: Bool)
    case member([Value])
    case equal(Value)
    case any
}

final class TableCode: Sendable {
    let name: String
    let kind: TableKind
    let arity: Int
    let frameSize: Int
    /// interpolate: points; marginal/flat: bracket lower bounds and rates.
    let keys: [Value]
    let results: [Node]
    let below: Node?
    let above: Node?
    /// first: each row's tests (nil for `else`).
    let tests: [[TableTest]?]
    let span: Span

    init(name: String, kind: TableKind, arity: Int, frameSize: Int, keys: [Value], results: [Node], below: Node?, above: Node?, tests: [[TableTest]?], span: Span) {
        self.name = name
        self.kind = kind
        self.arity = arity
        self.frameSize = frameSize
        self.keys = keys
        self.results = results
        self.below = below
        self.above = above
        self.tests = tests
        self.span = span
    }
}

final class FunctionCode: Sendable {
    let name: String
    let arity: Int
    let code: Code

    init(name: String, arity: Int, code: Code) {
        self.name = name
        self.arity = arity
        self.code = code
    }
}

/// A scope's compiled slots and blocks.
final class ScopeCode: Sendable {
    let kind: ScopeKind
    let slots: [SlotCode]
    let descriptions: [SlotDescription]
    let slotIndex: [String: Int]
    let blocks: [Code?]
    let objectives: [ObjectiveCode]
    let inputs: [InputCode]
    let scoreSlot: Int?
    let objectivesSlot: Int?
    /// Slot spans, for diagnostics.
    let spans: [Span]

    init(kind: ScopeKind, slots: [SlotCode], descriptions: [SlotDescription], blocks: [Code?],
         objectives: [ObjectiveCode], inputs: [InputCode], scoreSlot: Int?, objectivesSlot: Int?, spans: [Span]) {
        self.kind = kind
        self.slots = slots
        self.descriptions = descriptions
        var index: [String: Int] = [:]
        for (i, d) in descriptions.enumerated() { index[d.name] = i }
        self.slotIndex = index
        self.blocks = blocks
        self.objectives = objectives
        self.inputs = inputs
        self.scoreSlot = scoreSlot
        self.objectivesSlot = objectivesSlot
        self.spans = spans
    }
}

/// Record shapes shared by all evaluations.
enum Schemas {
    static let objective = RecordSchema(kind: .objective, fields: ["id", "title", "weight", "score", "key_results", "aligned_to"])
    static let keyResult = RecordSchema(kind: .keyResult, fields: ["id", "title", "weight", "actual", "baseline", "target", "progress", "score"])
    static let violation = RecordSchema(kind: .violation, fields: ["constraint", "subject", "severity", "message"])
    static let period = RecordSchema(kind: .period, fields: ["start", "end", "days"])
}
