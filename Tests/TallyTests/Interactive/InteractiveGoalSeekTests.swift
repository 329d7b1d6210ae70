import XCTest
@testable import Tally

final class InteractiveGoalSeekTests: XCTestCase {
    private func d(_ s: String) -> ExactDecimal { ExactDecimal(s)! }

    private func solve(start: String, goal: String, lower: String? = "0", upper: String? = nil, places: Int = 2,
                       _ f: @escaping (ExactDecimal) -> ExactDecimal) -> GoalSeek.Outcome {
        let p = GoalSeek.Problem(start: d(start), goal: d(goal), lower: lower.map(d), upper: upper.map(d), places: places)
        return GoalSeek.solve(p) { (x: ExactDecimal) throws(Never) -> ExactDecimal in f(x) }
    }

    func testExactSolutionOfALinearTarget() {
        // 3x = 10 has no exact two-place solution; 3x = 12 does.
        let outcome = solve(start: "1", goal: "12") { try! $0.multiplied(by: ExactDecimal(3)) }
        XCTAssertEqual(outcome, .exact(solution: .init(input: d("4"), target: d("12")),
                                       before: .init(input: d("3.99"), target: d("11.97"))))
    }

    func testCrossingWhenNoStepHitsTheGoal() {
        let outcome = solve(start: "1", goal: "10") { try! $0.multiplied(by: ExactDecimal(3)) }
        // 3.33 → 9.99 (short), 3.34 → 10.02 (past): the first value past the goal.
        XCTAssertEqual(outcome, .crossing(before: .init(input: d("3.33"), target: d("9.99")),
                                          after: .init(input: d("3.34"), target: d("10.02"))))
    }

    func testTheNearestSolutionToTheStartOfAFlatStep() {
        // round(x / 100) == 5 holds for 450 ≤ x < 550: from below the answer
        // is 450, from above 549.99.
        let f: (ExactDecimal) -> ExactDecimal = { x in try! x.divided(by: ExactDecimal(100)).rounded(places: 0, .halfAwayFromZero) }
        guard case .exact(let up, let beforeUp) = solve(start: "100", goal: "5", f) else { return XCTFail() }
        XCTAssertEqual(up.input, d("450"))
        XCTAssertEqual(beforeUp.input, d("449.99"))
        guard case .exact(let down, let beforeDown) = solve(start: "900", goal: "5", f) else { return XCTFail() }
        XCTAssertEqual(down.input, d("549.99"))
        XCTAssertEqual(beforeDown.input, d("550"))
    }

    func testDecreasingTargetAndAlreadyMet() {
        // 100 - x reaches 40 at 60.
        guard case .exact(let s, _) = solve(start: "0", goal: "40", { try! ExactDecimal(100).subtracting($0) }) else { return XCTFail() }
        XCTAssertEqual(s.input, d("60"))
        XCTAssertEqual(solve(start: "7", goal: "14") { try! $0.multiplied(by: ExactDecimal(2)) },
                       .alreadyMet(.init(input: d("7"), target: d("14"))))
    }

    func testACapMakesTheGoalUnreachableAndIsLocatedExactly() {
        // min(x, 1500) / 1000 never reaches 2; it stops changing at x = 1500.
        let f: (ExactDecimal) -> ExactDecimal = { x in try! min(x, ExactDecimal(1500)).divided(by: ExactDecimal(1000)) }
        guard case .unreachable(let searched, let lowest, let highest, let plateaus, let failures) = solve(start: "800", goal: "2", f) else {
            return XCTFail()
        }
        XCTAssertEqual(searched.lowerBound, d("0"))
        XCTAssertEqual(lowest, .init(input: d("0"), target: d("0")))
        XCTAssertEqual(highest.target, d("1.5"))
        XCTAssertEqual(plateaus, [.init(from: .init(input: d("1500"), target: d("1.5")), upward: true)])
        XCTAssertEqual(failures, [])
    }

    func testAPlateauThatHoldsAtTheStartIsLocatedOnTheOtherSide() {
        // max(0, 1 - 10x) is 0 from x = 0.1 up; from 0.5 (already on the
        // plateau) the boundary is found between 0.5 and the first probe
        // below it, not reported at the start.
        let f: (ExactDecimal) -> ExactDecimal = { x in max(.zero, try! ExactDecimal(1).subtracting(x.multiplied(by: ExactDecimal(10)))) }
        guard case .unreachable(_, _, _, let plateaus, _) = solve(start: "0.5", goal: "2", places: 6, f) else { return XCTFail() }
        XCTAssertEqual(plateaus, [.init(from: .init(input: d("0.1"), target: d("0")), upward: true)])
    }

    func testTheRangeBoundsTheSearch() {
        // 2x = 50 is at 25, outside 0..20.
        let outcome = solve(start: "10", goal: "50", upper: "20") { try! $0.multiplied(by: ExactDecimal(2)) }
        guard case .unreachable(let searched, _, let highest, _, _) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual(searched, d("0")...d("20"))
        XCTAssertEqual(highest, .init(input: d("20"), target: d("40")))
        // A start outside the range is moved into it.
        guard case .exact(let s, _) = solve(start: "-5", goal: "6", lower: "1", upper: "9", { try! $0.multiplied(by: ExactDecimal(2)) }) else {
            return XCTFail()
        }
        XCTAssertEqual(s.input, d("3"))
    }

    func testNegativeInputsWithoutALowerBound() {
        // x + 100 = 0 at -100.
        guard case .exact(let s, _) = solve(start: "5", goal: "0", lower: nil, { try! $0.adding(ExactDecimal(100)) }) else { return XCTFail() }
        XCTAssertEqual(s.input, d("-100"))
    }

    func testMorePlacesAndLargeValues() {
        // x / 3 = 0.1234567 needs six places: 0.370370 → 0.123456666…, 0.370371 → 0.123457.
        let outcome = solve(start: "0", goal: "0.1234567", places: 6) { try! $0.divided(by: ExactDecimal(3)) }
        guard case .crossing(let before, let after) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual(before.input, d("0.37037"))
        XCTAssertEqual(after.input, d("0.370371"))
        // A goal far away is still found by doubling (1e15 from a start of 1).
        guard case .exact(let s, _) = solve(start: "1", goal: "1000000000000000", { $0 }) else { return XCTFail() }
        XCTAssertEqual(s.input, d("1000000000000000"))
    }

    func testTheNearerOfTwoAnswersFoundInTheSameRound() {
        // (x - 245)² = 2500 at 195 and 295. From 240 (target 25) the first
        // round probes 240 ± 30 (625 and 1225: short of the goal), the second
        // 240 ± 60 (3025 and 4225): both sides pass the goal in the same
        // round. 195 is 45 away, 295 is 55 away: 195 wins, although the
        // upward side is probed first.
        let f: (ExactDecimal) -> ExactDecimal = { x in let y = try! x.subtracting(ExactDecimal(245)); return try! y.multiplied(by: y) }
        guard case .exact(let a, _) = solve(start: "240", goal: "2500", f) else { return XCTFail() }
        XCTAssertEqual(a.input, d("195"))
        // From 250 (rounds of ±31.25 and ±62.5) 295 is the nearer.
        guard case .exact(let b, _) = solve(start: "250", goal: "2500", f) else { return XCTFail() }
        XCTAssertEqual(b.input, d("295"))
    }

    func testAFailingTargetEndsThatSideAndIsLocated() {
        // 100 / (x - 40) fails at x = 40 and stays positive above it: from
        // 100 it never reaches -5 in 40..; the search stops at the failure
        // (probes 87.5, 75, 50, then the bound 40), located exactly.
        let f: (ExactDecimal) -> ExactDecimal? = { x in
            let y = try! x.subtracting(ExactDecimal(40))
            return y.isZero ? nil : try! ExactDecimal(100).divided(by: y)
        }
        let p = GoalSeek.Problem(start: ExactDecimal(100), goal: ExactDecimal(-5), lower: ExactDecimal(40), places: 2)
        let outcome = GoalSeek.solve(p) { (x: ExactDecimal) throws(Never) -> ExactDecimal? in f(x) }
        guard case .unreachable(let searched, _, _, _, let failures) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual(failures, [.init(input: d("40"), upward: false)])
        XCTAssertEqual(searched.lowerBound, d("40.01"), "the last input where it could be evaluated")
        // A failure strictly inside a bracket: x passes 5.75 between 5 and 6
        // (the first round from 5 steps by 1, the least first step), and the
        // first bisection probe, 5.5, fails: the value cannot be located.
        let g: (ExactDecimal) -> ExactDecimal? = { x in x == ExactDecimal("5.5")! ? nil : x }
        let inside = GoalSeek.solve(GoalSeek.Problem(start: ExactDecimal(5), goal: ExactDecimal("5.75")!, places: 2)) {
            (x: ExactDecimal) throws(Never) -> ExactDecimal? in g(x)
        }
        guard case .failedBetween(let short, let reached, let failing) = inside else { return XCTFail("\(inside)") }
        XCTAssertEqual(short.input, d("5"))
        XCTAssertEqual(reached.input, d("6"))
        XCTAssertEqual(failing, d("5.5"))
    }

    func testAFailingStartMovesToTheNearestValueThatEvaluates() {
        // 1000 / x fails at 0 (the start); 1000 / x = 0.5 at x = 2000, found
        // from the first value up that evaluates, past a long flat-looking
        // stretch of small steps.
        let f: (ExactDecimal) -> ExactDecimal? = { x in x.isZero ? nil : try! ExactDecimal(1000).divided(by: x) }
        let outcome = GoalSeek.solve(GoalSeek.Problem(start: .zero, goal: ExactDecimal("0.5")!, lower: .zero, places: 2)) {
            (x: ExactDecimal) throws(Never) -> ExactDecimal? in f(x)
        }
        guard case .exact(let s, _) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual(s.input, d("2000"))
    }

    func testAGoalPassedOnTheWayToAFailureIsFound() {
        // 1 / max(0, x - 1000) fails for x ≤ 1000 and rises toward it; from
        // 1125 (target 0.008) the first probe down, 984.37, fails, and the
        // goal 0.5 (at 1002) lies between it and the start: found while
        // locating where the target starts failing.
        let f: (ExactDecimal) -> ExactDecimal? = { x in
            let y = max(.zero, try! x.subtracting(ExactDecimal(1000)))
            return y.isZero ? nil : try! ExactDecimal(1).divided(by: y)
        }
        let p = GoalSeek.Problem(start: ExactDecimal(1125), goal: ExactDecimal("0.5")!, lower: .zero, places: 2)
        let outcome = GoalSeek.solve(p) { (x: ExactDecimal) throws(Never) -> ExactDecimal? in f(x) }
        guard case .exact(let s, _) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual(s.input, d("1002"))
    }

    func testErrorsPropagate() {
        struct Boom: Error {}
        let p = GoalSeek.Problem(start: .one, goal: ExactDecimal(5), places: 2)
        XCTAssertThrowsError(try GoalSeek.solve(p) { (x: ExactDecimal) throws(Boom) -> ExactDecimal in
            if ExactDecimal(3) < x { throw Boom() }
            return x
        })
    }
}
