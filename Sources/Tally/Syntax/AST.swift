// The abstract syntax tree of a plan file (LANGUAGE.md §1–§9; grammar/tally.ebnf).
//
// Enums with source spans on every node. Literals keep their source text:
// the checker turns numbers into exact decimals, so literal errors (more than
// 34 significant digits, exponent out of range) are reported with the rest of
// the semantic diagnostics. Every expression has a dense `id` so the checker
// can keep its results (resolved names, types) in side tables.

/// Dense index of an expression node, unique within one compilation.
public typealias NodeID = Int32

/// A name as written, NFC-normalised, with its span.
public struct Identifier: Sendable, Hashable {
    public var name: String
    public var span: Span
    public init(_ name: String, span: Span) {
        self.name = name
        self.span = span
    }
}

/// A number literal's text without `_` separators (`1000000`, `2.5e-3`),
/// and whether it carried the percent sign (`85%` has text `85`).
public struct NumberLiteral: Sendable, Hashable {
    public var text: String
    public var isPercent: Bool
    public init(text: String, isPercent: Bool) {
        self.text = text
        self.isPercent = isPercent
    }
}

public struct Expr: Sendable {
    public var id: NodeID
    public var span: Span
    public var kind: Kind

    public init(id: NodeID, span: Span, kind: Kind) {
        self.id = id
        self.span = span
        self.kind = kind
    }

    public indirect enum Kind: Sendable {
        /// `42`, `3.14`, `85%`.
        case number(NumberLiteral)
        /// `15_000 CNY`: the amount and the three-letter currency code.
        case money(NumberLiteral, currency: String)
        /// A string with its escapes already decoded.
        case string(String)
        /// A checked calendar date (`2026-09-30`).
        case date(year: Int, month: Int, day: Int)
        case bool(Bool)
        case none
        case name(Identifier)
        /// `[a, b, c]`.
        case list([Expr])
        /// `[element for variable in iterable if condition]`, also the bare
        /// form passed to a call: `sum(p.bonus for p in people)`.
        case comprehension(element: Expr, variable: Identifier, iterable: Expr, condition: Expr?)
        case unary(UnaryOperator, Expr)
        case binary(BinaryOperator, Expr, Expr)
        /// `a..b` (inclusive) or `a..<b`; only after `in` and in plan fields.
        case range(lower: Expr, upper: Expr, inclusive: Bool)
        case conditional(condition: Expr, then: Expr, else: Expr)
        /// `xs where cond`.
        case filter(Expr, condition: Expr)
        /// `f(args)`: callee in the function namespace (tables, user and
        /// built-in functions).
        case call(Identifier, [Expr])
        /// `a.b`.
        case member(Expr, Identifier)
        /// `a[i]`, `people["E001"]`.
        case index(Expr, Expr)
        /// Stands in where parsing failed, so later stages can go on and
        /// report more errors without cascading ones.
        case error
    }
}

public enum UnaryOperator: String, Sendable, Hashable {
    case negate = "-"
    case not = "not"
}

public enum BinaryOperator: String, Sendable, Hashable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", power = "^"
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case `in` = "in"
    case and = "and", or = "or"
    case coalesce = "??"

    public var isComparison: Bool {
        switch self {
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual, .in: return true
        default: return false
        }
    }
}

// MARK: - Declarations

/// One parsed file: its declarations in source order.
public struct PlanFile: Sendable {
    public var file: Int32
    public var declarations: [Declaration]
    public init(file: Int32, declarations: [Declaration]) {
        self.file = file
        self.declarations = declarations
    }
}

public enum ScopeKind: String, Sendable, Hashable, Codable, CaseIterable {
    case company, team, person
}

public enum Declaration: Sendable {
    case plan(PlanHeader)
    case `import`(ImportDecl)
    case inputs(InputsBlock)
    /// `for person|team [where cond] { ... }`.
    case scope(ScopeBlock)
    case `let`(LetDecl)
    case function(FunctionDecl)
    case table(TableDecl)
    case objective(ObjectiveDecl)
    case incentive(IncentiveDecl)
    case pool(PoolDecl)
    case constraint(ConstraintDecl)

    public var span: Span {
        switch self {
        case .plan(let d): return d.span
        case .import(let d): return d.span
        case .inputs(let d): return d.span
        case .scope(let d): return d.span
        case .let(let d): return d.span
        case .function(let d): return d.span
        case .table(let d): return d.span
        case .objective(let d): return d.span
        case .incentive(let d): return d.span
        case .pool(let d): return d.span
        case .constraint(let d): return d.span
        }
    }
}

/// `label: expr` inside a braced block (plan header, key result, incentive,
/// pool). Labels are contextual words, checked by the checker, which also
/// reports unknown and repeated labels.
public struct Field: Sendable {
    public var label: Identifier
    public var value: Expr
    public init(label: Identifier, value: Expr) {
        self.label = label
        self.value = value
    }
}

/// `plan "title" { period: a .. b  currency: CNY }`.
public struct PlanHeader: Sendable {
    public var title: String
    public var fields: [Field]
    public var span: Span
    public init(title: String, fields: [Field], span: Span) {
        self.title = title
        self.fields = fields
        self.span = span
    }
}

/// `import "common.tally"`.
public struct ImportDecl: Sendable {
    public var path: String
    public var pathSpan: Span
    public var span: Span
    public init(path: String, pathSpan: Span, span: Span) {
        self.path = path
        self.pathSpan = pathSpan
        self.span = span
    }
}

/// The declared type of an input field.
public enum InputType: String, Sendable, Hashable, Codable {
    case number, money, percent, bool, string, date
}

/// `name: type[?] [= default] ["title"]`.
public struct InputField: Sendable {
    public var name: Identifier
    public var type: InputType
    public var typeSpan: Span
    public var isOptional: Bool
    public var defaultValue: Expr?
    public var title: String?
    public var span: Span
    public init(name: Identifier, type: InputType, typeSpan: Span, isOptional: Bool, defaultValue: Expr?, title: String?, span: Span) {
        self.name = name
        self.type = type
        self.typeSpan = typeSpan
        self.isOptional = isOptional
        self.defaultValue = defaultValue
        self.title = title
        self.span = span
    }
}

/// `inputs person [where cond] { fields }`.
public struct InputsBlock: Sendable {
    public var scope: ScopeKind
    public var scopeSpan: Span
    public var condition: Expr?
    public var fields: [InputField]
    public var span: Span
    public init(scope: ScopeKind, scopeSpan: Span, condition: Expr?, fields: [InputField], span: Span) {
        self.scope = scope
        self.scopeSpan = scopeSpan
        self.condition = condition
        self.fields = fields
        self.span = span
    }
}

/// `for person|team [where cond] { declarations }`. Holds `let`,
/// `objective`, `incentive`, `pool` and `constraint` declarations.
public struct ScopeBlock: Sendable {
    public var scope: ScopeKind
    public var scopeSpan: Span
    public var condition: Expr?
    public var declarations: [Declaration]
    public var span: Span
    public init(scope: ScopeKind, scopeSpan: Span, condition: Expr?, declarations: [Declaration], span: Span) {
        self.scope = scope
        self.scopeSpan = scopeSpan
        self.condition = condition
        self.declarations = declarations
        self.span = span
    }
}

/// `let name ["title"] = expr`.
public struct LetDecl: Sendable {
    public var name: Identifier
    public var title: String?
    public var value: Expr
    public var span: Span
    public init(name: Identifier, title: String?, value: Expr, span: Span) {
        self.name = name
        self.title = title
        self.value = value
        self.span = span
    }
}

/// `func name(params) = body`.
public struct FunctionDecl: Sendable {
    public var name: Identifier
    public var parameters: [Identifier]
    public var body: Expr
    public var span: Span
    public init(name: Identifier, parameters: [Identifier], body: Expr, span: Span) {
        self.name = name
        self.parameters = parameters
        self.body = body
        self.span = span
    }
}

public enum TableKind: String, Sendable, Hashable, Codable {
    case interpolate, marginal, flat, first
}

/// One unary test in a `first` table row (DMN FEEL unary tests).
public enum UnaryTest: Sendable {
    /// `>= x`, `< x`, ...
    case compare(BinaryOperator, Expr)
    /// `a..b` / `a..<b`.
    case range(lower: Expr, upper: Expr, inclusive: Bool)
    /// `in [a, b]`.
    case member(Expr)
    /// A literal: equality.
    case equal(Expr)
    /// `_`: matches anything.
    case any
}

public struct TableRow: Sendable {
    public enum Key: Sendable {
        /// A key expression (interpolate x, marginal/flat bound).
        case value(Expr)
        /// `below` (interpolate only).
        case below
        /// `above` (interpolate only).
        case above
        /// Unary tests, one per input column (first tables).
        case tests([UnaryTest])
        /// `else` (first tables).
        case `else`
    }
    public var key: Key
    public var keySpan: Span
    public var result: Expr
    public var span: Span
    public init(key: Key, keySpan: Span, result: Expr, span: Span) {
        self.key = key
        self.keySpan = keySpan
        self.result = result
        self.span = span
    }
}

/// `table name(params) kind { rows }`.
public struct TableDecl: Sendable {
    public var name: Identifier
    public var parameters: [Identifier]
    public var kind: TableKind
    public var rows: [TableRow]
    public var span: Span
    public init(name: Identifier, parameters: [Identifier], kind: TableKind, rows: [TableRow], span: Span) {
        self.name = name
        self.parameters = parameters
        self.kind = kind
        self.rows = rows
        self.span = span
    }
}

/// `aligns to company.X` / `team.X` / `parent.X`.
public struct AlignmentTarget: Sendable {
    public var scope: Identifier
    public var objective: Identifier
    public var span: Span
    public init(scope: Identifier, objective: Identifier, span: Span) {
        self.scope = scope
        self.objective = objective
        self.span = span
    }
}

/// `key_result id "title" [weight w] { fields }`.
public struct KeyResultDecl: Sendable {
    public var id: Identifier
    public var title: String?
    public var weight: Expr?
    public var fields: [Field]
    public var span: Span
    public init(id: Identifier, title: String?, weight: Expr?, fields: [Field], span: Span) {
        self.id = id
        self.title = title
        self.weight = weight
        self.fields = fields
        self.span = span
    }
}

/// `objective id "title" [weight w] [aligns to scope.id] { key results }`.
public struct ObjectiveDecl: Sendable {
    public var id: Identifier
    public var title: String?
    public var weight: Expr?
    public var alignsTo: AlignmentTarget?
    public var keyResults: [KeyResultDecl]
    public var span: Span
    public init(id: Identifier, title: String?, weight: Expr?, alignsTo: AlignmentTarget?, keyResults: [KeyResultDecl], span: Span) {
        self.id = id
        self.title = title
        self.weight = weight
        self.alignsTo = alignsTo
        self.keyResults = keyResults
        self.span = span
    }
}

/// `incentive name "title" { eligible amount cap floor round }`.
public struct IncentiveDecl: Sendable {
    public var name: Identifier
    public var title: String?
    public var fields: [Field]
    public var span: Span
    public init(name: Identifier, title: String?, fields: [Field], span: Span) {
        self.name = name
        self.title = title
        self.fields = fields
        self.span = span
    }
}

/// `pool name "title" { total among share round }`.
public struct PoolDecl: Sendable {
    public var name: Identifier
    public var title: String?
    public var fields: [Field]
    public var span: Span
    public init(name: Identifier, title: String?, fields: [Field], span: Span) {
        self.name = name
        self.title = title
        self.fields = fields
        self.span = span
    }
}

public enum Severity: String, Sendable, Hashable, Codable {
    case error, warning
}

/// `constraint "title" [for person|team [where cond]] [severity error|warning]: expr`.
public struct ConstraintDecl: Sendable {
    public var title: String
    public var titleSpan: Span
    /// `nil` when written without `for` (the enclosing scope applies).
    public var scope: ScopeKind?
    public var condition: Expr?
    public var severity: Severity
    public var rule: Expr
    public var span: Span
    public init(title: String, titleSpan: Span, scope: ScopeKind?, condition: Expr?, severity: Severity, rule: Expr, span: Span) {
        self.title = title
        self.titleSpan = titleSpan
        self.scope = scope
        self.condition = condition
        self.severity = severity
        self.rule = rule
        self.span = span
    }
}
