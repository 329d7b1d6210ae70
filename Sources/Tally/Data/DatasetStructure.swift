/// The dataset's structure, checked (LANGUAGE.md §5). Indices are into RawDataset.teams / .people.
///
/// All structural problems are reported in one pass, in dataset order (teams
/// first, then people; within a record its fields in a fixed order), never
/// stopping at the first:
///
/// - every team and person has a non-empty string `id`;
/// - no two teams, and no two people, share an id (compared after NFC
///   normalisation; the message names both places);
/// - `id`, `team`, `parent`, `manager` and `name` are strings when present
///   (JSON `null` means absent);
/// - every person has a `team` naming a team; a `parent` names a team, a
///   `manager` names a person;
/// - no parent cycle and no manager cycle (the message lists the ids around
///   the cycle, once per cycle).
///
/// When something is wrong the structure is still complete and safe to walk:
/// a record without a usable id has `""` in `teamIDs`/`personIDs` and is not in
/// the index; a duplicate id indexes its first record; an unknown or invalid
/// `parent`/`manager` is nil; an unknown `team` is -1; a parent cycle is cut
/// where the walk from a team first meets a team it has already seen, so
/// every `teamPath` is finite; and a team deeper than `maxTeamDepth` levels
/// is an error.
public struct DatasetStructure: Sendable {
    public var teamIndex: [String: Int]            // id -> index
    public var personIndex: [String: Int]
    public var teamParent: [Int?]                 // parent team index
    public var teamPath: [[String]]               // ids from the root team down to this one
    public var teamSubteams: [[Int]]              // direct children, dataset order
    public var teamMembers: [[Int]]               // people whose team is this team, dataset order
    public var personTeam: [Int]                  // -1 only when the team was invalid (an error was reported)
    public var personManager: [Int?]
    public var teamIDs: [String], personIDs: [String], teamNames: [String?], personNames: [String?]

    /// The deepest team hierarchy accepted (a root team is level 1). Real
    /// organisations have a dozen levels; the limit keeps `teamPath` small
    /// for hostile input. Beyond it a team is an error and its path holds
    /// only its nearest `maxTeamDepth` ancestors.
    public static let maxTeamDepth = 100

    public init(_ data: RawDataset, diagnostics: inout [Diagnostic]) {
        let teams = data.teams, people = data.people
        // Each diagnostic is keyed by the record it is about (teams before
        // people, then dataset order) and sorted by that key at the end, so
        // the output is in dataset order whatever order the checks run in.
        var diags: [(group: Int, index: Int, seq: Int, diagnostic: Diagnostic)] = []
        var current = (group: 0, index: 0)

        func error(_ message: String, _ location: SourceLocation, notes: [Diagnostic] = []) {
            diags.append((current.group, current.index, diags.count, data.diagnostic(message, at: location, notes: notes)))
        }

        /// A structural field as a string: nil when absent or null; reports other kinds.
        func stringField(_ record: RawRecord, _ key: String, who: @autoclosure () -> String) -> (String, RawField)? {
            guard let f = record.field(key) else { return nil }
            switch f.value {
            case .null: return nil
            case .string(let s): return (s, f)
            default:
                error("\(who()): field \"\(key)\" must be a string, not \(f.value.kindDescription)", f.location)
                return nil
            }
        }

        /// The record's id (NFC) after checking it, or nil.
        func checkedID(_ record: RawRecord, scope: String, ordinal: Int) -> String? {
            func who() -> String { "\(scope) #\(ordinal)" }
            guard let f = record.field("id"), f.value != .null else {
                error("\(who()): field \"id\" is missing: every \(scope) needs a string id", record.location)
                return nil
            }
            guard case .string(let s) = f.value else {
                error("\(who()): field \"id\" must be a string, not \(f.value.kindDescription)", f.location)
                return nil
            }
            if s.isEmpty {
                error("\(who()): field \"id\" is empty", f.location)
                return nil
            }
            return TextNormalization.nfc(s)
        }

        /// `team sales` / `person E0013`, or `team #3` when the id is unusable.
        func label(_ scope: String, _ id: String, _ ordinal: Int) -> String {
            id.isEmpty ? "\(scope) #\(ordinal)" : "\(scope) \(id)"
        }

        /// Each record's id (or `""`), the id -> index map (the first record
        /// with an id wins; later ones are duplicates) and each record's name.
        func identify(_ records: [RawRecord], scope: String, table: Int)
            -> (ids: [String], index: [String: Int], names: [String?]) {
            var ids = [String](), index = [String: Int](), names = [String?]()
            ids.reserveCapacity(records.count)
            index.reserveCapacity(records.count)
            names.reserveCapacity(records.count)
            for (r, record) in records.enumerated() {
                current = (table, r)
                let id = checkedID(record, scope: scope, ordinal: r + 1) ?? ""
                ids.append(id)
                if !id.isEmpty {
                    if let first = index[id] {
                        let firstLoc = records[first].field("id")?.location ?? records[first].location
                        error("\(scope) \(id): duplicate id: \(scope) \"\(id)\" is already defined at \(firstLoc)",
                              record.field("id")?.location ?? record.location,
                              notes: [data.diagnostic("first defined here", at: firstLoc, severity: .note)])
                    } else {
                        index[id] = r
                    }
                }
                names.append(stringField(record, "name", who: label(scope, id, r + 1))?.0)
            }
            return (ids, index, names)
        }

        // Teams first: parent references are resolved once all ids are known.
        let (teamIDs, teamIndex, teamNames) = identify(teams, scope: "team", table: 0)
        let (personIDs, personIndex, personNames) = identify(people, scope: "person", table: 1)

        var teamParent = [Int?](repeating: nil, count: teams.count)
        for (t, record) in teams.enumerated() {
            current = (0, t)
            guard record.field("parent") != nil else { continue }
            let who = { label("team", teamIDs[t], t + 1) }
            if let (parent, f) = stringField(record, "parent", who: who()) {
                if let pi = teamIndex[TextNormalization.nfc(parent)] {
                    teamParent[t] = pi
                } else {
                    error("\(who()): field \"parent\": no team has id \"\(parent)\"", f.location)
                }
            }
        }
        var personTeam = [Int](repeating: -1, count: people.count)
        var personManager = [Int?](repeating: nil, count: people.count)
        for (p, record) in people.enumerated() {
            current = (1, p)
            let who = { label("person", personIDs[p], p + 1) }
            if let f = record.field("team"), f.value != .null {
                if let (team, f) = stringField(record, "team", who: who()) {
                    if let ti = teamIndex[TextNormalization.nfc(team)] {
                        personTeam[p] = ti
                    } else {
                        error("\(who()): field \"team\": no team has id \"\(team)\"", f.location)
                    }
                }
            } else {
                error("\(who()): field \"team\" is missing: every person belongs to a team", record.location)
            }
            if let (manager, f) = stringField(record, "manager", who: who()) {
                if let mi = personIndex[TextNormalization.nfc(manager)] {
                    personManager[p] = mi
                } else {
                    error("\(who()): field \"manager\": no person has id \"\(manager)\"", f.location)
                }
            }
        }

        // Cycles. Both graphs have at most one edge out of each node, so a
        // walk from each unvisited node either ends at a root, reaches a node
        // finished earlier, or closes a new cycle on its own path.
        func cycles(_ next: [Int?]) -> [[Int]] {
            var state = [UInt8](repeating: 0, count: next.count)  // 0 new, 1 on the current path, 2 done
            var found: [[Int]] = []
            var path: [Int] = []
            for start in next.indices where state[start] == 0 {
                path.removeAll(keepingCapacity: true)
                var v: Int? = start
                while let cur = v, state[cur] == 0 {
                    state[cur] = 1
                    path.append(cur)
                    v = next[cur]
                }
                if let cur = v, state[cur] == 1, let k = path.firstIndex(of: cur) {
                    found.append(Array(path[k...]))
                }
                for x in path { state[x] = 2 }
            }
            return found
        }
        /// `a → b → c → a`; a long cycle shows its first ten ids and its length.
        func describeCycle(_ cycle: [Int], _ ids: [String], _ noun: String) -> String {
            if cycle.count <= 12 {
                return (cycle + [cycle[0]]).map { ids[$0] }.joined(separator: " → ")
            }
            return cycle.prefix(10).map { ids[$0] }.joined(separator: " → ")
                + " → … → \(ids[cycle[cycle.count - 1]]) → \(ids[cycle[0]]) (\(cycle.count) \(noun) in the cycle)"
        }
        /// The cycle rotated to start at its first record in dataset order.
        func rotated(_ cycle: [Int]) -> [Int] {
            let k = cycle.indices.min { cycle[$0] < cycle[$1] }!
            return Array(cycle[k...] + cycle[..<k])
        }
        for cycle in cycles(teamParent).map(rotated) {
            let ids = describeCycle(cycle, teamIDs, "teams")
            let first = cycle[0]
            let loc = teams[first].field("parent")?.location ?? teams[first].location
            let message = cycle.count == 1
                ? "team \(teamIDs[first]): field \"parent\": a team cannot be its own parent"
                : "team \(teamIDs[first]): field \"parent\": parent cycle: \(ids)"
            current = (0, first)
            error(message, loc)
        }
        for cycle in cycles(personManager).map(rotated) {
            let ids = describeCycle(cycle, personIDs, "people")
            let first = cycle[0]
            let loc = people[first].field("manager")?.location ?? people[first].location
            let message = cycle.count == 1
                ? "person \(personIDs[first]): field \"manager\": a person cannot be their own manager"
                : "person \(personIDs[first]): field \"manager\": manager cycle: \(ids)"
            current = (1, first)
            error(message, loc)
        }

        // Derived structure.
        var teamSubteams = [[Int]](repeating: [], count: teams.count)
        for (t, parent) in teamParent.enumerated() {
            if let parent { teamSubteams[parent].append(t) }
        }
        var teamMembers = [[Int]](repeating: [], count: teams.count)
        for (p, t) in personTeam.enumerated() where t >= 0 {
            teamMembers[t].append(p)
        }
        // Paths: root-down id lists, computed iteratively (no recursion, whatever
        // the depth). A walk that meets a team already on its own path (a
        // cycle, reported above) stops there. Paths are at most
        // `maxTeamDepth` long, so a hostile chain of 100,000 teams costs
        // 100,000 × 100 ids, not 100,000²/2; a deeper team is an error.
        let maxDepth = DatasetStructure.maxTeamDepth
        var teamPath = [[String]?](repeating: nil, count: teams.count)
        var depth = [Int](repeating: 0, count: teams.count)       // uncapped, 1 for a root
        var cyclic = [Bool](repeating: false, count: teams.count)  // on or below a parent cycle
        var chain: [Int] = []
        var onChain = Set<Int>()
        for start in teams.indices where teamPath[start] == nil {
            chain.removeAll(keepingCapacity: true)
            onChain.removeAll(keepingCapacity: true)
            var v: Int? = start
            var base: [String] = [], baseDepth = 0, baseCyclic = false
            while let cur = v {
                if let known = teamPath[cur] {
                    base = known; baseDepth = depth[cur]; baseCyclic = cyclic[cur]
                    break
                }
                if !onChain.insert(cur).inserted { baseCyclic = true; break }
                chain.append(cur)
                v = teamParent[cur]
            }
            // chain is child → ancestor; build paths from the top of the chain down.
            var path = base, d = baseDepth
            for t in chain.reversed() {
                path.append(teamIDs[t])
                if path.count > maxDepth { path.removeFirst() }
                d += 1
                teamPath[t] = path
                depth[t] = d
                cyclic[t] = baseCyclic
                if d == maxDepth + 1 && !baseCyclic {
                    current = (0, t)
                    error("\(label("team", teamIDs[t], t + 1)): the team hierarchy is deeper than \(maxDepth) levels "
                          + "(following \"parent\" from here up to its root team crosses \(d) teams)",
                          teams[t].field("parent")?.location ?? teams[t].location)
                }
            }
        }

        self.teamIndex = teamIndex
        self.personIndex = personIndex
        self.teamParent = teamParent
        self.teamPath = teamPath.map { $0 ?? [] }
        self.teamSubteams = teamSubteams
        self.teamMembers = teamMembers
        self.personTeam = personTeam
        self.personManager = personManager
        self.teamIDs = teamIDs
        self.personIDs = personIDs
        self.teamNames = teamNames
        self.personNames = personNames
        diags.sort { ($0.group, $0.index, $0.seq) < ($1.group, $1.index, $1.seq) }
        diagnostics.append(contentsOf: diags.map(\.diagnostic))
    }
}
