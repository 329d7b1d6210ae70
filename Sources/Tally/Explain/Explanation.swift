/// The derivation of a value: which rule, which formula, which inputs, which
/// table row or curve segment, which rounding — down to the dataset's inputs
/// and the plan's literals.
///
/// Every node carries its value and the formula that produced it from its
/// children's values, so the trail can be checked: recomputing a node from
/// its children gives its value exactly (see `verify()`).
public struct Explanation: @unchecked Sendable {
    public enum Kind: String, Sendable, Codable {
        /// The expression asked about.
        case query
        /// A named value: a `let`, or a field reached through a subject.
        case value
        /// A dataset input.
        case input
        case literal
        /// A comprehension variable or parameter.
        case local
        /// A built-in name (`team`, `members`, `period`, ...).
        case builtin
        /// Arithmetic, comparison, `and`/`or`/`not`, `in`, `??`.
        case operation
        case conditional
        /// A built-in or user function call.
        case call
        /// A table lookup, with the row or curve segment that matched.
        case table
        /// A list, comprehension or `where`.
        case list
        case member
        case index
        case keyResult
        case objective
        case score
        case incentive
        case pool
        case poolShare
        /// A value already explained elsewhere in this tree.
        case reference
        /// A part that failed to evaluate.
        case failure
    }

    public var kind: Kind
    /// The name (`quarterly_bonus`) or the expression text.
    public var label: String
    /// The title written in the plan (`"季度奖金"`), if any.
    public var title: String?
    /// Whose value this is: `person E0001`, `team sales-east`, `the company`.
    public var subject: String?
    /// The value; nil when evaluating it failed (see `notes`).
    public var value: Value?
    /// The value's canonical text (people and teams as their ids).
    public var text: String
    /// Where in the plan the rule or expression is written.
    public var location: SourceLocation?
    /// What happened, in words: the formula, the segment, the rounding.
    public var notes: [String]
    public var children: [Explanation]
    /// How the value follows from the children's values (for `verify()`).
    var formula: Formula
    /// The value as shown in JSON: people and teams as their ids.
    var shown: Value?
    /// For a `reference`: the label and subject of the node it repeats.
    var refersTo: String?

    /// Number of nodes in the tree.
    public var size: Int { 1 + children.reduce(0) { $0 + $1.size } }
}

/// How a node's value is computed from its children's values.
enum Formula: @unchecked Sendable {
    /// Nothing to check: literals, inputs, built-in names, references.
    case leaf
    /// Equal to the only child's value (a name and its definition).
    case alias
    /// `c0 op1 c1 op2 c2 …`, left to right.
    case chain([BinaryOperator])
    case negate
    case not
    case compare(BinaryOperator)
    case and
    case or
    case coalesce
    /// `in` a list (children: element, list) or a range (element, lower, upper).
    case member(inclusive: Bool?)
    /// Children: condition, then the branch taken.
    case conditional
    /// A built-in applied to the children's values.
    case builtin(BuiltinFunction, emptySum: Value)
    /// A table applied to the children's values.
    case table(Int)
    /// The children's values as a list.
    case list
    /// A field of the base's value, read by name.
    case field(String)
    case index
    /// progress = (actual − baseline) / (target − baseline), clamped.
    case keyResult(floor: ExactDecimal?, cap: ExactDecimal?, done: Bool, scoreOverride: Bool)
    /// Σ wᵢ·scoreᵢ / Σ wᵢ over the children (objectives or key results).
    case weightedMean(weights: [ExactDecimal?])
    /// eligible, amount, then optional floor and cap children.
    case incentive(hasFloor: Bool, hasCap: Bool, places: Int)
    /// The person's part of a largest-remainder split.
    case poolShare(units: ExactDecimal, shares: [ExactDecimal], ids: [String], position: Int, places: Int)
}
