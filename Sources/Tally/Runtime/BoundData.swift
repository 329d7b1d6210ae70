/// A dataset checked against a compiled plan: the structure (teams, people,
/// paths, members) and every declared input as a typed value in its slot.
/// Immutable; each evaluation starts from a copy of `initial`.
final class BoundData: Sendable {
    let program: Program
    /// Subjects per scope: 1 company, then teams and people in dataset order.
    let counts: [Int]
    let ids: [[String]]
    let names: [[String?]]
    let personTeam: [Int32]
    let personManager: [Int32]
    let teamParent: [Int32]
    let teamPath: [Value]
    let teamMembers: [Value]
    let teamSubteams: [Value]
    let people: Value
    let teams: Value
    let personIndex: [String: Int]
    let teamIndex: [String: Int]
    /// Per scope: subjects × slots, inputs filled in.
    let initial: [[Value]]
    /// Per scope: 2 where `initial` holds a value, 0 elsewhere.
    let initialState: [[UInt8]]
    /// What-if overrides on top of `initial`: per scope, (index, value). Kept
    /// apart so a what-if shares the loaded dataset instead of copying it.
    let patches: [[(index: Int, value: Value)]]
    /// Per scope: table indices of conditional inputs whose `inputs … where`
    /// block does not apply to the subject (the input is `none` there).
    let inapplicable: [BitSet]
    /// Per scope: table indices of required inputs that have no value
    /// because no dataset was given (see `DatasetBinder.bind(_:_:withoutData:)`),
    /// with the message an evaluation reading one fails with.
    let missing: [[Int: String]]

    /// The input value at table index `k` of scope `si`, overrides applied.
    func input(_ si: Int, _ k: Int) -> Value {
        for p in patches[si].reversed() where p.index == k { return p.value }
        return initial[si][k]
    }

    init(program: Program, counts: [Int], ids: [[String]], names: [[String?]],
         personTeam: [Int32], personManager: [Int32], teamParent: [Int32],
         teamPath: [Value], teamMembers: [Value], teamSubteams: [Value],
         personIndex: [String: Int], teamIndex: [String: Int],
         initial: [[Value]], initialState: [[UInt8]], patches: [[(index: Int, value: Value)]] = [[], [], []],
         inapplicable: [BitSet] = [BitSet(count: 0), BitSet(count: 0), BitSet(count: 0)],
         missing: [[Int: String]] = [[:], [:], [:]]) {
        self.patches = patches
        self.missing = missing
        self.inapplicable = inapplicable
        self.program = program
        self.counts = counts
        self.ids = ids
        self.names = names
        self.personTeam = personTeam
        self.personManager = personManager
        self.teamParent = teamParent
        self.teamPath = teamPath
        self.teamMembers = teamMembers
        self.teamSubteams = teamSubteams
        self.people = .list((0..<counts[2]).map { .subject(SubjectRef(.person, $0)) })
        self.teams = .list((0..<counts[1]).map { .subject(SubjectRef(.team, $0)) })
        self.personIndex = personIndex
        self.teamIndex = teamIndex
        self.initial = initial
        self.initialState = initialState
    }

    @inline(__always)
    static func index(_ kind: ScopeKind) -> Int {
        switch kind {
        case .company: return 0
        case .team: return 1
        case .person: return 2
        }
    }

    /// The id of a subject; a reference that is not into this dataset (a
    /// decoded value, a value from another dataset) prints as `person#7`.
    /// The index of the subject of `scope` with `id` (the company is 0), or nil.
    func index(of scope: ScopeKind, id: String) -> Int? {
        switch scope {
        case .company: return 0
        case .team: return teamIndex[id]
        case .person: return personIndex[id]
        }
    }

    func id(of s: SubjectRef) -> String {
        let list = ids[BoundData.index(s.scope)]
        let i = Int(s.index)
        return i >= 0 && i < list.count ? list[i] : "\(s.scope.rawValue)#\(i)"
    }

    /// "person E017", "team sales-east", "the company".
    func describe(_ s: SubjectRef) -> String {
        s.scope == .company ? "the company" : "\(s.scope.rawValue) \(id(of: s))"
    }
}
