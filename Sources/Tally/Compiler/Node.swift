/// A node of compiled code. The compiler turns a checked expression into a
/// tree of these with every name already resolved to a slot, a frame index
/// or a built-in, so evaluation never looks a name up by string.
///
/// Subclasses override `evaluate`; dispatch is one virtual call per node.
class Node: @unchecked Sendable {
    let span: Span

    init(span: Span) { self.span = span }

    func evaluate(_ c: Evaluation) throws(EvaluationError) -> Value {
        throw EvaluationError("internal error: \(type(of: self)) cannot be evaluated", span: span, subject: c.subject)
    }

    /// Evaluates and requires a bool.
    @inline(__always)
    final func bool(_ c: Evaluation, _ what: @autoclosure () -> String) throws(EvaluationError) -> Bool {
        let v = try evaluate(c)
        if case .bool(let b) = v { return b }
        throw c.typeError(self, v, expected: "bool", what())
    }

    @inline(__always)
    final func list(_ c: Evaluation, _ what: @autoclosure () -> String) throws(EvaluationError) -> [Value] {
        let v = try evaluate(c)
        if case .list(let l) = v { return l }
        throw c.typeError(self, v, expected: "a list", what())
    }

    /// Wraps an operation failure with this node's location and subject.
    @inline(__always)
    final func fail(_ c: Evaluation, _ e: OperationError) -> EvaluationError {
        EvaluationError(e.message, span: span, subject: c.subject)
    }
}
