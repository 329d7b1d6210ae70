// Built-in fields of subjects, and member access when the base's type was
// not known at compile time (the only place a field is found by name).

extension Evaluation {
    var period: Value {
        let h = program.header
        return .record(Record(schema: Schemas.period, values: [.date(h.start), .date(h.end), .number(ExactDecimal(h.days))]))
    }

    func builtin(_ s: SubjectRef, _ field: BuiltinField) -> Value {
        let i = Int(s.index)
        switch field {
        case .id:
            return .string(data.id(of: s))
        case .name:
            return data.names[BoundData.index(s.scope)][i].map { .string($0) } ?? .none
        case .team:
            switch s.scope {
            case .person:
                let t = data.personTeam[i]
                return t >= 0 ? .subject(SubjectRef(.team, Int(t))) : .none
            case .team: return .subject(s)
            case .company: return .none
            }
        case .manager:
            guard s.scope == .person else { return .none }
            let m = data.personManager[i]
            return m >= 0 ? .subject(SubjectRef(.person, Int(m))) : .none
        case .parent:
            guard s.scope == .team else { return .none }
            let p = data.teamParent[i]
            return p >= 0 ? .subject(SubjectRef(.team, Int(p))) : .none
        case .path:
            return s.scope == .team ? data.teamPath[i] : .none
        case .members:
            return s.scope == .team ? data.teamMembers[i] : .none
        case .subteams:
            return s.scope == .team ? data.teamSubteams[i] : .none
        }
    }

    /// `v.name` by name. Returns nil when `required` is false and there is
    /// no such field.
    func member(_ v: Value, _ name: String, span: Span, required: Bool) throws(EvaluationError) -> Value? {
        switch v {
        case .subject(let s):
            if let b = BuiltinField(rawValue: name), BuiltinField.of(s.scope).contains(b) || (s.scope == .team && b == .team) {
                return builtin(s, b)
            }
            if let slot = program.scope(s.scope).slotIndex[name] { return try value(s, slot) }
        case .record(let r):
            if r.kind == .objective {
                if name == "aligned", let owner = r.owner { return try aligned(owner, owner.scope, r.ordinal) }
                if let i = r.schema.fieldIndex(name) { return r.values[i] }
                if case .list(let krs) = r.values[4] {
                    for kr in krs {
                        if case .record(let k) = kr, case .string(name) = k.values[0] { return kr }
                    }
                }
            } else if let i = r.schema.fieldIndex(name) {
                return r.values[i]
            }
        default:
            break
        }
        guard required else { return nil }
        throw EvaluationError("\(v.typeName) has no field `\(name)`", span: span, subject: subject)
    }

    /// `people["E001"]`, `teams["sales"]`, or an id lookup in any list of subjects.
    func lookup(id: String, in list: Value, base: Node, span: Span) throws(EvaluationError) -> Value {
        guard case .list(let items) = list else { return .none }
        if let g = (base as? GlobalNode)?.name {
            switch g {
            case .people:
                if let i = data.personIndex[id] { return .subject(SubjectRef(.person, i)) }
                throw unknownID(id, "person", span)
            case .teams:
                if let i = data.teamIndex[id] { return .subject(SubjectRef(.team, i)) }
                throw unknownID(id, "team", span)
            default: break
            }
        }
        for item in items {
            if case .subject(let s) = item, data.id(of: s) == id { return item }
        }
        if case .subject(let first)? = items.first {
            throw unknownID(id, first.scope.rawValue, span)
        }
        throw EvaluationError("no element has id \(CanonicalText.quote(id))", span: span, subject: subject)
    }

    private func unknownID(_ id: String, _ kind: String, _ span: Span) -> EvaluationError {
        let candidates = kind == "person" ? Array(data.personIndex.keys) : Array(data.teamIndex.keys)
        let hint = candidates.count < 100_000 ? Suggestions.hint(for: id, in: candidates) : ""
        return EvaluationError("no \(kind) has id \(CanonicalText.quote(id))" + hint, span: span, subject: subject)
    }
}
