/// A what-if change to one input of one subject: "what if person E0042's
/// revenue were 1,500,000 CNY?". Applied with `Dataset.overriding(_:)`.
public struct Override: Sendable, Hashable {
    public var scope: ScopeKind
    /// The person or team id; ignored for the company.
    public var id: String
    /// The input field's name, as declared in an `inputs` block.
    public var field: String
    /// The new value: of the field's declared type (numbers for `number` and
    /// `percent`, money in the plan currency, ...), or `none` for an
    /// optional field.
    public var value: Value

    public init(scope: ScopeKind, id: String = "company", field: String, value: Value) {
        self.scope = scope
        self.id = id
        self.field = field
        self.value = value
    }

    /// `people["E0042"].revenue`, `company.defect_rate`.
    public var path: String {
        switch scope {
        case .company: return "company.\(field)"
        case .team: return "teams[\(CanonicalText.quote(id))].\(field)"
        case .person: return "people[\(CanonicalText.quote(id))].\(field)"
        }
    }
}

extension Dataset {
    /// A copy of this dataset with `overrides` applied to its inputs. Each
    /// override must name an existing subject and a declared input, at most
    /// once, with a value of the input's type; every problem is reported.
    ///
    /// Inputs declared under `inputs … where` keep the applicability decided
    /// when the dataset was loaded: an override changes values, not which
    /// subjects a conditional block covers.
    public func overriding(_ overrides: [Override]) -> (Dataset?, [Diagnostic]) {
        var patches = data.patches
        var problems: [Diagnostic] = []
        var changed = self.changed
        // One call sets each input once: two values for one input would
        // leave which one counts to the order of the list.
        var seen: Set<String> = []
        for o in overrides {
            guard seen.insert("\(o.scope.rawValue)\u{0}\(o.id)\u{0}\(o.field)").inserted else {
                problems.append(Diagnostic(.error, phase: .data, message: "\(o.path): given twice in one set of overrides"))
                continue
            }
            let scope = data.program.scope(o.scope)
            let si = BoundData.index(o.scope)
            guard let subject = data.index(of: o.scope, id: o.id) else {
                problems.append(Diagnostic(.error, phase: .data, message: "\(o.path): no \(o.scope.rawValue) has id \(CanonicalText.quote(o.id))"))
                continue
            }
            guard let input = scope.inputs.first(where: { $0.name == o.field }) else {
                let candidates = scope.inputs.map(\.name)
                problems.append(Diagnostic(.error, phase: .data,
                    message: "\(o.path): `\(o.field)` is not an input of \(o.scope == .company ? "the company" : o.scope.rawValue + "s"); only declared inputs can be changed"
                        + Suggestions.hint(for: o.field, in: candidates)))
                continue
            }
            let k = subject * scope.slots.count + input.slot
            if data.inapplicable[si].contains(k) {
                problems.append(Diagnostic(.error, phase: .data,
                    message: "\(o.path): `\(o.field)` does not apply to this \(o.scope.rawValue): its `inputs \(o.scope.rawValue) where …` block does not hold, so a value would never be used"))
                continue
            }
            var value = o.value
            // none (JSON null) for an input with a default is an absent
            // field, as in a dataset: the default.
            if value.isNone, let d = input.defaultValue { value = d }
            // A plain number for a money input is an amount in the plan currency, as in datasets.
            if case .number(let n) = value, input.type == .money { value = .money(Money(n, data.program.header.currency)) }
            if let problem = Override.check(value, against: input, currency: data.program.header.currency) {
                problems.append(Diagnostic(.error, phase: .data, message: "\(o.path): \(problem)"))
                continue
            }
            patches[si].append((k, value))
            changed.append((SubjectRef(o.scope, subject), input.slot))
        }
        guard problems.isEmpty else { return (nil, problems) }
        return (Dataset(data.replacing(patches: patches), changed: changed, root: root), [])
    }
}

extension Override {
    /// Why `value` cannot be given to `input`, or nil when it can.
    static func check(_ value: Value, against input: InputCode, currency: Currency) -> String? {
        // Where its block applies, a conditional input is as required as any.
        let optional = input.isOptional
        switch (value, input.type) {
        case (.none, _): return optional ? nil : "`\(input.name)` is required and cannot be none"
        case (.number, .number), (.number, .percent), (.bool, .bool), (.string, .string), (.date, .date): return nil
        case (.money(let m), .money):
            return m.currency == currency ? nil : "`\(input.name)` is money in \(currency.code), not \(m.currency.code)"
        case (.number, .money): return "`\(input.name)` is money: write the amount with its currency, e.g. 1500 \(currency.code)"
        default: return "`\(input.name)` is \(input.type.rawValue), not \(value.typeName)"
        }
    }
}

extension BoundData {
    /// The same dataset with different input values.
    func replacing(patches: [[(index: Int, value: Value)]]) -> BoundData {
        BoundData(program: program, counts: counts, ids: ids, names: names, personTeam: personTeam,
                  personManager: personManager, teamParent: teamParent, teamPath: teamPath,
                  teamMembers: teamMembers, teamSubteams: teamSubteams, personIndex: personIndex,
                  teamIndex: teamIndex, initial: initial, initialState: initialState, patches: patches,
                  inapplicable: inapplicable, missing: missing)
    }
}
