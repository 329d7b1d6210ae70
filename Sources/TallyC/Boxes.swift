import Synchronization
import Tally

// The objects behind the C handles. Each is immutable (a session guards its
// mutable state with a lock) and owns the strings its accessors return.

/// tally_status values (tally.h).
enum Status: Int32 {
    case ok = 0
    case invalidArgument = 1
    case invalidHandle = 2
    case invalidUTF8 = 3
    case compile = 4
    case data = 5
    case evaluation = 6
    case limit = 7
    case cancelled = 8
    case io = 9

    init(_ kind: TallyError.Kind) {
        switch kind {
        case .compile: self = .compile
        case .data: self = .data
        case .evaluation: self = .evaluation
        case .limit: self = .limit
        case .cancelled: self = .cancelled
        }
    }
}

final class PlanBox: Sendable {
    let plan: CompiledPlan
    let info: CText

    init(_ plan: CompiledPlan) {
        self.plan = plan
        let i = plan.info
        info = CText(JSON.object([
            ("title", .string(i.title)),
            ("period", .object([("start", .string(i.start.description)), ("end", .string(i.end.description)),
                                ("days", .number(String(i.days)))])),
            ("currency", .string(i.currency.code)),
            ("warnings", .array(plan.warnings.map(DiagnosticJSON.make))),
        ]).serialized(pretty: false))
    }
}

final class DatasetBox: Sendable {
    let plan: CompiledPlan
    let dataset: Dataset
    let warnings: CText

    init(plan: CompiledPlan, dataset: Dataset, diagnostics: [Diagnostic]) {
        self.plan = plan
        self.dataset = dataset
        warnings = CText(JSON.array(diagnostics.map(DiagnosticJSON.make)).serialized(pretty: false))
    }
}

final class ExpressionBox: Sendable {
    let plan: CompiledPlan
    let expression: CompiledExpression
    init(plan: CompiledPlan, expression: CompiledExpression) {
        self.plan = plan
        self.expression = expression
    }
}

/// A session and the lock that serialises calls on it.
final class SessionBox: Sendable {
    let plan: CompiledPlan
    private let session: Mutex<Session>

    init(plan: CompiledPlan, session: sending Session) {
        self.plan = plan
        self.session = Mutex(session)
    }

    func evaluate(_ e: CompiledExpression) -> Result<ValueBox, EvaluationFailure> {
        session.withLock { s -> Result<ValueBox, EvaluationFailure> in
            do throws(EvaluationFailure) {
                let v = try s.evaluate(e)
                return .success(ValueBox(text: s.render(v), value: s.exported(v)))
            } catch {
                return .failure(error)
            }
        }
    }
}

final class ResultBox: Sendable {
    let json: CText
    init(_ result: EvaluationResult) { json = CText(result.jsonText()) }
}

/// A value: its canonical text made at once (what most hosts read), its
/// JSON and type name on first request (under a lock, once).
final class ValueBox: Sendable {
    let text: CText
    private let value: Value
    private let lazy = Mutex<(json: CText?, type: CText?)>((nil, nil))

    init(text: String, value: Value) {
        self.text = CText(text)
        self.value = value
    }

    var json: CText {
        lazy.withLock { l in
            if let j = l.json { return j }
            let j = CText(JSON(value).serialized(pretty: false))
            l.json = j
            return j
        }
    }

    var type: CText {
        lazy.withLock { l in
            if let t = l.type { return t }
            let t = CText(value.typeName)
            l.type = t
            return t
        }
    }
}

final class ErrorBox: Sendable {
    let status: Status
    let message: CText
    let file: CText
    let line: UInt32
    let column: UInt32
    let count: Int
    let json: CText
    let rendered: CText

    init(_ status: Status, diagnostics: [Diagnostic]) {
        self.status = status
        let first = diagnostics.first { $0.isError } ?? diagnostics.first
        message = CText(first?.message ?? "")
        let location = first?.location
        file = CText(location?.file ?? "")
        line = UInt32(clamping: max(0, location?.line ?? 0))
        column = UInt32(clamping: max(0, location.map { $0.line > 0 ? $0.column : 0 } ?? 0))
        count = diagnostics.count
        json = CText(JSON.array(diagnostics.map(DiagnosticJSON.make)).serialized(pretty: false))
        rendered = CText(diagnostics.map { $0.rendered() }.joined(separator: "\n"))
    }

    convenience init(_ status: Status, _ message: String) {
        self.init(status, diagnostics: [Diagnostic(.error, phase: .evaluation, message: message)])
    }

    convenience init(_ error: TallyError) {
        self.init(Status(error.kind), diagnostics: error.diagnostics)
    }
}

enum DiagnosticJSON {
    static func make(_ d: Diagnostic) -> JSON {
        let located = d.location.map { $0.line > 0 } ?? false
        return .object([
            ("severity", .string(d.severity.rawValue)),
            ("phase", .string(d.phase.rawValue)),
            ("message", .string(d.message)),
            ("file", d.location.map { .string($0.file) } ?? .null),
            ("line", located ? .number(String(d.location!.line)) : .null),
            ("column", located ? .number(String(d.location!.column)) : .null),
            ("rendered", .string(d.rendered())),
        ])
    }
}
