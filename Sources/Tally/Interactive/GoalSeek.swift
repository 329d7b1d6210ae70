// Goal seek for the REPL's `:solve`: the value of one input that makes a
// target expression reach a value, by bracketing and bisection on exact
// decimals.
//
// The stopping rule: the input moves in steps of its resolution — the
// currency's minor unit for money (0.01 CNY), 10^-6 for numbers and
// percentages (0.0001%) — and the search ends when the two sides of the
// bracket are one step apart. The answer is the value *nearest the input's
// current value* at which the target reaches the goal: from the current
// value the search walks outward (both ways, doubling the distance each
// time) until the target is on the other side of the goal or equal to it,
// then bisects between the last value short of the goal and the first one
// that reaches it. When both directions reach the goal in the same round,
// both are bisected and the nearer answer wins.
//
// Where the target fails (an evaluation error, e.g. a division by zero at a
// quota of 0), that side of the search ends; the boundary is located by
// bisection and reported if the goal is not reached elsewhere.
//
// Between two probes the target is assumed not to turn back: a target that
// rises past the goal and falls back between two probes of the outward
// search hides that solution (as in any bracketing goal seek).

/// The bracketing-and-bisection algorithm, independent of any plan.
public enum GoalSeek {
    public struct Problem: Sendable {
        /// Where the search starts (the input's current value).
        public var start: ExactDecimal
        /// The target value to reach.
        public var goal: ExactDecimal
        /// The search range; nil is unbounded on that side.
        public var lower: ExactDecimal?
        public var upper: ExactDecimal?
        /// Decimal places of the answer (2: steps of 0.01).
        public var places: Int
        /// The most doublings of the search distance on each side.
        public var maximumDoublings: Int
        /// Doublings after which an unchanged target counts as a plateau (a
        /// cap or a floor) and the search stops on that side.
        public var plateauDoublings: Int

        public init(start: ExactDecimal, goal: ExactDecimal, lower: ExactDecimal? = nil, upper: ExactDecimal? = nil,
                    places: Int, maximumDoublings: Int = 64, plateauDoublings: Int = 10) {
            self.start = start
            self.goal = goal
            self.lower = lower
            self.upper = upper
            self.places = places
            self.maximumDoublings = maximumDoublings
            self.plateauDoublings = plateauDoublings
        }
    }

    /// One evaluated point: the input and the target there.
    public struct Point: Sendable, Equatable {
        public var input: ExactDecimal
        public var target: ExactDecimal
        public init(input: ExactDecimal, target: ExactDecimal) {
            self.input = input
            self.target = target
        }
    }

    /// Where the target stops changing: from `from.input` on, upward or
    /// downward (a cap or a floor in the plan).
    public struct Plateau: Sendable, Equatable {
        public var from: Point
        public var upward: Bool
        public init(from: Point, upward: Bool) {
            self.from = from
            self.upward = upward
        }
    }

    /// Where evaluating the target fails, nearest the start on one side:
    /// the search did not go past it (upward or downward).
    public struct FailureEdge: Sendable, Equatable {
        public var input: ExactDecimal
        public var upward: Bool
        public init(input: ExactDecimal, upward: Bool) {
            self.input = input
            self.upward = upward
        }
    }

    public enum Outcome: Sendable, Equatable {
        /// The target already equals the goal at the start.
        case alreadyMet(Point)
        /// The target equals the goal exactly at `solution`; `before` is the
        /// neighbouring value (one step toward the start) where it does not.
        case exact(solution: Point, before: Point)
        /// The target passes the goal without equalling it at any step: it is
        /// short of the goal at `before` and past it at `after`, one step apart.
        case crossing(before: Point, after: Point)
        /// The target never reaches the goal in the range searched. `lowest`
        /// and `highest` are the extreme target values seen; `plateaus` the
        /// sides where the target stopped changing (from that input on);
        /// `failures` the inputs nearest the start, on each side, from which
        /// on evaluating the target failed (the search did not go past them).
        case unreachable(searched: ClosedRange<ExactDecimal>, lowest: Point, highest: Point, plateaus: [Plateau],
                         failures: [FailureEdge])
        /// The goal lies between `short` and `reached`, but the target fails
        /// at `failing`, between them, so it cannot be located.
        case failedBetween(short: Point, reached: Point, failing: ExactDecimal)
    }

    /// One side of the outward search.
    private struct Direction {
        var sign: Int
        var last: Point
        var previous: Point?
        var done = false
        var unchanged = 0
        /// The first probe of a run with an unchanged target, and the
        /// probe before it (where the target was different).
        var plateau: Point?
        var beforePlateau: Point?
        /// The first probe of this side.
        var first: Point?
    }

    /// Runs the search; `f` evaluates the target at an input value (nil
    /// where evaluating it fails). Errors `f` throws (a cancellation) end
    /// the search.
    public static func solve<E: Error>(_ p: Problem, _ f: (ExactDecimal) throws(E) -> ExactDecimal?) throws(E) -> Outcome {
        func eval(_ x: ExactDecimal) throws(E) -> Point? {
            try f(x).map { Point(input: x, target: $0) }
        }
        func side(_ pt: Point) -> Int {
            pt.target == p.goal ? 0 : (pt.target < p.goal ? -1 : 1)
        }
        func snap(_ x: ExactDecimal, _ mode: RoundingMode) -> ExactDecimal {
            (try? x.rounded(places: p.places, mode)) ?? x
        }
        /// `from` moved `d` up (sign 1) or down (-1), on a step; nil past the range of decimals.
        func step(_ from: ExactDecimal, _ sign: Int, _ d: ExactDecimal) -> ExactDecimal? {
            guard let x = sign > 0 ? try? from.adding(d) : try? from.subtracting(d) else { return nil }
            return snap(x, sign > 0 ? .floor : .ceiling)
        }

        var startValue = p.start
        if let lo = p.lower, startValue < lo { startValue = lo }
        if let hi = p.upper, hi < startValue { startValue = hi }
        // The first distance: an eighth of the start's magnitude, at least 1,
        // rounded up to a step.
        let eighth = (try? startValue.magnitude.divided(by: ExactDecimal(8))) ?? .one
        var distance = snap(eighth < .one ? .one : eighth, .ceiling)

        // Where the target fails at the start (a quota of 0), the search
        // starts from the nearest value, stepping outward, where it does not.
        var origin = try eval(startValue)
        if origin == nil {
            // From the smallest step up: the nearest value that evaluates.
            var d = ExactDecimal(significand: 1, exponent: -p.places)
            probe: for _ in 0..<p.maximumDoublings {
                for sign in [1, -1] {
                    guard let x = step(startValue, sign, d) else { continue }
                    if sign > 0, let hi = p.upper, hi < x { continue }
                    if sign < 0, let lo = p.lower, x < lo { continue }
                    if let pt = try eval(x) { origin = pt; break probe }
                }
                guard let next = try? d.multiplied(by: ExactDecimal(2)) else { break }
                d = next
            }
        }
        guard let origin else {
            return .unreachable(searched: startValue...startValue, lowest: Point(input: startValue, target: .zero),
                                highest: Point(input: startValue, target: .zero), plateaus: [],
                                failures: [FailureEdge(input: startValue, upward: true)])
        }
        // Moved off a failing start (a quota of 0), the distances begin far
        // below the input's usual scale: a flat stretch of ten doublings
        // there says little, so look further before calling it a plateau.
        let plateauDoublings = origin.input == startValue ? p.plateauDoublings : max(p.plateauDoublings, 40)
        startValue = origin.input
        let s0 = side(origin)
        if s0 == 0 { return .alreadyMet(origin) }

        var lowest = origin, highest = origin
        var searchedLow = startValue, searchedHigh = startValue
        var directions = [Direction(sign: 1, last: origin), Direction(sign: -1, last: origin)]
        var brackets: [(near: Point, far: Point)] = []
        var failures: [FailureEdge] = []

        /// Bisects between `near` (evaluated, not far) and the input `far`
        /// (far by `isFar`, which must count a failing input, nil, as far)
        /// down to one step: the last near point, the first far input and
        /// its point (nil where the target fails there).
        func bisect(_ near: Point, _ far: ExactDecimal, _ farPoint: Point?,
                    _ isFar: (Point?) -> Bool) throws(E) -> (near: Point, far: ExactDecimal, farPoint: Point?) {
            var a = near, b = far, bp = farPoint
            while true {
                guard let sum = try? a.input.adding(b), let half = try? sum.divided(by: ExactDecimal(2)) else { break }
                let mid = snap(half, .halfEven)
                if mid == a.input || mid == b { break }
                let pt = try eval(mid)
                if let pt {
                    if pt.target < lowest.target { lowest = pt }
                    if highest.target < pt.target { highest = pt }
                }
                if isFar(pt) { (b, bp) = (mid, pt) } else if let pt { a = pt }
            }
            return (a, b, bp)
        }
        /// Past the goal, or failing: where a search toward the goal stops.
        func reachedOrFails(_ pt: Point?) -> Bool { pt.map { side($0) != s0 } ?? true }

        search: for _ in 0..<p.maximumDoublings {
            for d in 0..<2 where !directions[d].done {
                guard var x = step(startValue, directions[d].sign, distance) else {
                    directions[d].done = true
                    continue
                }
                if directions[d].sign > 0, let hi = p.upper, !(x < hi) { x = hi; directions[d].done = true }
                if directions[d].sign < 0, let lo = p.lower, !(lo < x) { x = lo; directions[d].done = true }
                if x == directions[d].last.input { directions[d].done = true; continue }
                guard let pt = try eval(x) else {
                    // Where does it start failing? Bisect between the last
                    // good probe and this one; a value past the goal met on
                    // the way is an answer after all.
                    directions[d].done = true
                    let edge = try bisect(directions[d].last, x, nil, reachedOrFails)
                    if let crossing = edge.farPoint {
                        brackets.append((edge.near, crossing))
                    } else {
                        failures.append(FailureEdge(input: edge.far, upward: directions[d].sign > 0))
                        if directions[d].sign > 0 { searchedHigh = edge.near.input } else { searchedLow = edge.near.input }
                    }
                    continue
                }
                if pt.target < lowest.target { lowest = pt }
                if highest.target < pt.target { highest = pt }
                if directions[d].sign > 0 { searchedHigh = x } else { searchedLow = x }
                if side(pt) != s0 {
                    brackets.append((directions[d].last, pt))
                    directions[d].done = true
                    continue
                }
                if pt.target == directions[d].last.target {
                    directions[d].unchanged += 1
                    if directions[d].unchanged == 1 {
                        directions[d].plateau = directions[d].last
                        directions[d].beforePlateau = directions[d].previous
                    }
                    if directions[d].unchanged >= plateauDoublings { directions[d].done = true }
                } else {
                    directions[d].unchanged = 0
                    directions[d].plateau = nil
                    directions[d].beforePlateau = nil
                }
                directions[d].previous = directions[d].last
                directions[d].last = pt
                if directions[d].first == nil { directions[d].first = pt }
            }
            if !brackets.isEmpty || directions.allSatisfy({ $0.done }) { break search }
            guard let next = try? distance.multiplied(by: ExactDecimal(2)) else { break }
            distance = next
        }

        if !brackets.isEmpty {
            // `near` is short of the goal (on the side of the start value),
            // `far` reaches or passes it. Of two answers, the nearer wins
            // (upward on a tie).
            var best: (outcome: Outcome, distance: ExactDecimal)?
            var failure: Outcome?
            for (near, far) in brackets {
                let found = try bisect(near, far.input, far, reachedOrFails)
                guard let f = found.farPoint else {
                    failure = failure ?? .failedBetween(short: near, reached: far, failing: found.far)
                    continue
                }
                let outcome: Outcome = side(f) == 0 ? .exact(solution: f, before: found.near) : .crossing(before: found.near, after: f)
                let distance = ((try? f.input.subtracting(startValue)) ?? .zero).magnitude
                if best == nil || distance < best!.distance { best = (outcome, distance) }
            }
            return best?.outcome ?? failure!
        }

        // Where exactly does the target stop changing? Bisect between the
        // last probe before the plateau and its first probe.
        var plateaus: [Plateau] = []
        for (i, d) in directions.enumerated() where d.unchanged >= plateauDoublings {
            guard let plateau = d.plateau else { continue }
            // The plateau starts before `plateau`: between the probe before
            // it on this side, or — when it already holds at the start —
            // between the start and the other side's first probe.
            let before = d.beforePlateau ?? directions[1 - i].first
            var from = plateau
            if let before, before.target != plateau.target,
               let first = try bisect(before, plateau.input, plateau, { $0.map { $0.target == plateau.target } ?? true }).farPoint {
                from = first
            }
            plateaus.append(Plateau(from: from, upward: d.sign > 0))
        }
        return .unreachable(searched: searchedLow...searchedHigh, lowest: lowest, highest: highest, plateaus: plateaus,
                            failures: failures)
    }

}
