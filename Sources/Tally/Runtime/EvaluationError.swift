/// A failure while evaluating: what, where in the plan, and for whom.
struct EvaluationError: Error, Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case evaluation
        /// A resource limit of `EvaluationOptions` was exceeded.
        case limit
        case cancelled
    }

    var kind: Kind = .evaluation
    var message: String
    var span: Span?
    /// The subject being evaluated when it failed.
    var subject: SubjectRef?
    /// Extra context, e.g. `in constraint "…"`.
    var context: String?

    init(_ message: String, span: Span?, subject: SubjectRef?, kind: Kind = .evaluation) {
        self.message = message
        self.span = span
        self.subject = subject
        self.kind = kind
    }
}
