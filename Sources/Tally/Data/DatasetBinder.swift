/// Checks a raw dataset against a compiled plan's `inputs` declarations and
/// produces the typed, bound dataset every evaluation starts from.
///
/// Reports *all* problems — every missing or ill-typed field of every record,
/// with the record's id and the field's name — never only the first.
enum DatasetBinder {
    /// With `withoutData` (no dataset was given: an interactive session
    /// trying out functions and tables), a required input without a value
    /// is not an error here: reading it fails, saying that there is no data.
    static func bind(_ program: Program, _ raw: RawDataset, withoutData: Bool = false) -> (BoundData?, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        var missing: [[Int: String]] = [[:], [:], [:]]
        let structure = DatasetStructure(raw, diagnostics: &diagnostics)
        let company = raw.company ?? RawRecord(fields: [], location: SourceLocation(file: "<data>", line: 0, column: 0))
        let records: [[RawRecord]] = [[company], raw.teams, raw.people]
        let counts = records.map(\.count)
        let companyID = company.id ?? "company"
        let ids = [[companyID], structure.teamIDs, structure.personIDs]
        let names: [[String?]] = [[company.field("name")?.value.stringValue], structure.teamNames, structure.personNames]

        // Structure as values.
        let teamPath = structure.teamPath.map { Value.list($0.map { .string($0) }) }
        let teamMembers = structure.teamMembers.map { Value.list($0.map { .subject(SubjectRef(.person, $0)) }) }
        let teamSubteams = structure.teamSubteams.map { Value.list($0.map { .subject(SubjectRef(.team, $0)) }) }

        // The dataset with the inputs bound so far.
        func bound(_ initial: [[Value]], _ states: [[UInt8]]) -> BoundData {
            BoundData(program: program, counts: counts, ids: ids, names: names,
                      personTeam: structure.personTeam.map { Int32($0) },
                      personManager: structure.personManager.map { Int32($0 ?? -1) },
                      teamParent: structure.teamParent.map { Int32($0 ?? -1) },
                      teamPath: teamPath, teamMembers: teamMembers, teamSubteams: teamSubteams,
                      personIndex: structure.personIndex, teamIndex: structure.teamIndex,
                      initial: initial, initialState: states, inapplicable: inapplicable, missing: missing)
        }

        var initial: [[Value]] = []
        var states: [[UInt8]] = []
        for kind in ScopeKind.allCases {
            let slots = program.scope(kind).slots.count
            let n = counts[BoundData.index(kind)]
            initial.append(Array(repeating: .none, count: n * slots))
            states.append(Array(repeating: 0, count: n * slots))
        }
        warnUndeclared(program, records, &diagnostics)

        let currency = program.header.currency
        var ignored: [IgnoredKey: [String]] = [:]
        var inapplicable = initial.map { BitSet(count: $0.count) }
        // Pass 1: unconditional inputs. Pass 2: inputs whose `where` holds,
        // decided by evaluating the condition on what pass 1 bound.
        for pass in 0..<2 {
            var evaluation: Evaluation?
            if pass == 1 {
                guard program.scopes.contains(where: { $0.inputs.contains { $0.block != nil } }) else { break }
                evaluation = Evaluation(data: bound(initial, states))
            }
            for kind in ScopeKind.allCases {
                let scope = program.scope(kind)
                let si = BoundData.index(kind)
                let slots = scope.slots.count
                // Field name -> positions in `scope.inputs`, so each record's
                // fields are matched in one pass instead of one search per input.
                var positions: [String: [Int]] = [:]
                for (i, input) in scope.inputs.enumerated() { positions[input.name, default: []].append(i) }
                var found = [RawField?](repeating: nil, count: scope.inputs.count)
                // Records of one file usually list their keys in the same
                // order: remember the last record's keys and positions, so a
                // key is compared rather than hashed.
                var lastKeys: [String] = []
                var lastPositions: [[Int]] = []
                var bound = [Bool](repeating: false, count: slots)
                for (r, record) in records[si].enumerated() {
                    for i in found.indices { found[i] = nil }
                    for (j, f) in record.fields.enumerated() {
                        let hits: [Int]
                        if j < lastKeys.count, lastKeys[j] == f.key {
                            hits = lastPositions[j]
                        } else {
                            hits = positions[f.key] ?? []
                            if j < lastKeys.count {
                                lastKeys[j] = f.key
                                lastPositions[j] = hits
                            } else {
                                lastKeys.append(f.key)
                                lastPositions.append(hits)
                            }
                        }
                        for i in hits { found[i] = f }
                    }
                    for i in bound.indices { bound[i] = false }
                    for (position, input) in scope.inputs.enumerated() where (input.block == nil) == (pass == 0) {
                        let k = r * slots + input.slot
                        if bound[input.slot] { continue }
                        if let b = input.block {
                            let applies: Bool
                            do { applies = try evaluation!.blockApplies(SubjectRef(kind, r), b) } catch {
                                diagnostics.append(program.diagnostic(.error, .data, error.span,
                                    "\(subjectName(kind, ids[si][r], ordinal: r)): cannot decide whether `\(input.name)` is required: \(error.message)"))
                                continue
                            }
                            if !applies {
                                if states[si][k] == 0 { states[si][k] = 2 }
                                inapplicable[si].insert(k)
                                if let f = found[position], f.value != .null {
                                    ignored[IgnoredKey(scope: si, input: position), default: []].append(ids[si][r])
                                }
                                continue
                            }
                        }
                        bound[input.slot] = true
                        inapplicable[si].remove(k)
                        states[si][k] = 2
                        guard let field = found[position], field.value != .null else {
                            if let d = input.defaultValue {
                                initial[si][k] = d
                            } else if input.isOptional {
                                initial[si][k] = .none
                            } else if withoutData {
                                states[si][k] = 3
                                missing[si][k] = "no dataset is loaded, so the input `\(input.name)` (\(input.type.rawValue)) has no value"
                            } else {
                                diagnostics.append(Diagnostic(.error, phase: .data,
                                    message: "\(subjectName(kind, ids[si][r], ordinal: r)): missing required field `\(input.name)` (\(input.type.rawValue))",
                                    location: record.location.line > 0 ? record.location : nil))
                            }
                            continue
                        }
                        switch FieldConversion.convert(field.value, to: input.type, currency: currency) {
                        case .success(let v): initial[si][k] = v
                        case .failure(let e):
                            diagnostics.append(Diagnostic(.error, phase: .data,
                                message: "\(subjectName(kind, ids[si][r], ordinal: r)): field `\(input.name)` (\(input.type.rawValue)): \(e.message)",
                                location: field.location))
                        }
                    }
                }
            }
        }
        // A value given where its `inputs … where` block does not apply is
        // not used: say so once per field, with who is affected.
        for (key, who) in ignored.sorted(by: { ($0.key.scope, $0.key.input) < ($1.key.scope, $1.key.input) }) {
            let kind = ScopeKind.allCases[key.scope]
            let input = program.scope(kind).inputs[key.input]
            let line = program.file(input.span).map { " (line \($0.line(of: Int(input.span.start))))" } ?? ""
            let shown = who.prefix(5).joined(separator: ", ") + (who.count > 5 ? ", …" : "")
            let plural = kind == .person ? (who.count == 1 ? "person" : "people") : (who.count == 1 ? kind.rawValue : "\(kind.rawValue)s")
            diagnostics.append(Diagnostic(.warning, phase: .data,
                message: "field `\(input.name)` is given for \(who.count) \(plural) (\(shown)) to whom its `inputs \(kind.rawValue) where …` block\(line) does not apply; it is ignored there"))
        }
        guard !diagnostics.contains(where: \.isError) else { return (nil, diagnostics) }
        let data = bound(initial, states)
        return (data, diagnostics)
    }

    struct IgnoredKey: Hashable {
        var scope: Int
        var input: Int
    }

    static func subjectName(_ kind: ScopeKind, _ id: String, ordinal: Int? = nil) -> String {
        if kind == .company { return "company" }
        // A record without a usable id is named by its position, as the structure checks name it.
        if id.isEmpty, let ordinal { return "\(kind.rawValue) #\(ordinal + 1)" }
        return "\(kind.rawValue) \(id)"
    }

    /// One warning per field name that no `inputs` block of its scope declares.
    private static func warnUndeclared(_ program: Program, _ records: [[RawRecord]], _ diagnostics: inout [Diagnostic]) {
        let structural: Set<String> = ["id", "name", "team", "manager", "parent"]
        for kind in ScopeKind.allCases {
            let declared = Set(program.scope(kind).inputs.map(\.name))
            var warned: Set<String> = []
            for record in records[BoundData.index(kind)] {
                for f in record.fields where !structural.contains(f.key) && !declared.contains(f.key) && !warned.contains(f.key) {
                    warned.insert(f.key)
                    let plural = kind == .company ? "the company" : kind == .team ? "teams" : "people"
                    diagnostics.append(Diagnostic(.warning, phase: .data,
                        message: "field `\(f.key)` of \(plural) is not declared in any `inputs \(kind.rawValue)` block; it is ignored",
                        location: f.location))
                }
            }
        }
    }
}
