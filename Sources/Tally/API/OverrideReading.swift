/// Reading what-if overrides written as JSON (the C ABI's
/// `tally_dataset_with_overrides`), each value typed against its input the
/// way a dataset file's value is.
enum OverrideReading {
    static func read(_ bytes: [UInt8], name: String, plan: CompiledPlan) -> ([Override]?, [Diagnostic]) {
        let root: JSONNode
        switch JSONReader.parse(bytes, file: name) {
        case .failure(let d): return (nil, [d])
        case .success(let node): root = node
        }
        var problems: [Diagnostic] = []
        func problem(_ message: String, _ node: JSONNode) {
            problems.append(Diagnostic(.error, phase: .data, message: message,
                                       location: SourceLocation(file: name, line: node.line, column: node.column)))
        }
        guard case .array(let items) = root.value else {
            problem("overrides must be an array [{\"scope\": ..., \"id\": ..., \"field\": ..., \"value\": ...}, ...]", root)
            return (nil, problems)
        }
        var overrides: [Override] = []
        for (k, item) in items.enumerated() {
            guard case .object(let members) = item.value else {
                problem("overrides[\(k)] must be an object {\"scope\", \"id\", \"field\", \"value\"}", item)
                continue
            }
            var fields: [String: JSONNode] = [:]
            for m in members where fields[m.key] == nil { fields[m.key] = m.value }
            for m in members where !["scope", "id", "field", "value"].contains(m.key) {
                problem("overrides[\(k)]: unknown key \"\(m.key)\" (an override has \"scope\", \"id\", \"field\" and \"value\")", m.value)
            }
            func string(_ key: String) -> String? {
                guard let node = fields[key] else { return nil }
                guard case .string(let s) = node.value else {
                    problem("overrides[\(k)]: \"\(key)\" must be a string", node)
                    return nil
                }
                return s
            }
            guard let scopeText = string("scope") else {
                if fields["scope"] == nil { problem("overrides[\(k)]: \"scope\" is missing (\"company\", \"team\" or \"person\")", item) }
                continue
            }
            guard let scope = ScopeKind(rawValue: scopeText) else {
                problem("overrides[\(k)]: unknown scope \"\(scopeText)\" (\"company\", \"team\" or \"person\")", fields["scope"]!)
                continue
            }
            let id = string("id") ?? "company"
            if scope != .company && fields["id"] == nil {
                problem("overrides[\(k)]: \"id\" is missing: which \(scope.rawValue)?", item)
                continue
            }
            guard let field = string("field") else {
                if fields["field"] == nil { problem("overrides[\(k)]: \"field\" is missing", item) }
                continue
            }
            guard let valueNode = fields["value"] else {
                problem("overrides[\(k)]: \"value\" is missing (null for an absent optional input)", item)
                continue
            }
            let raw: RawValue
            switch valueNode.value {
            case .null: raw = .null
            case .bool(let b): raw = .bool(b)
            case .number(let t): raw = .number(t)
            case .string(let s): raw = .string(s)
            case .array: raw = .array
            case .object: raw = .object
            }
            var value = Value.none
            // An unknown subject or field is left for `Dataset.overriding` to
            // report, with its suggestions; only the value is typed here.
            if raw != .null, let input = plan.program.scope(scope).inputs.first(where: { $0.name == field }) {
                switch FieldConversion.convert(raw, to: input.type, currency: plan.info.currency) {
                case .success(let v): value = v
                case .failure(let e):
                    problem("overrides[\(k)]: `\(field)` (\(input.type.rawValue)): \(e.message)", valueNode)
                    continue
                }
            }
            overrides.append(Override(scope: scope, id: id, field: field, value: value))
        }
        return problems.isEmpty ? (overrides, []) : (nil, problems)
    }
}
