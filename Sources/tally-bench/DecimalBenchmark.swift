import Foundation
import Tally

/// The OKR scoring kernel with three number types.
///
/// Per person and key result: progress = (actual − baseline) / (target − baseline),
/// clamped to [0, 1.2]; score = Σ weight · progress; bonus = salary × bonus% × score,
/// rounded half away from zero to 2 places. One iteration = one person (4 key
/// results: 4 subtractions pairs, 4 divisions, 8 comparisons, 4 multiply-adds,
/// 2 multiplications, 1 rounding).
enum DecimalBenchmark {
    struct Person<N> {
        var actual: [N], baseline: [N], target: [N], weight: [N]
        var salary: N, bonusPercent: N
    }

    /// Deterministic data as text (the way plans and datasets provide it).
    static func makeData(count: Int) -> [Person<String>] {
        var state: UInt64 = 0x5EED
        func next(_ n: UInt64) -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return (state >> 33) % n
        }
        let weights = [["0.4", "0.3", "0.2", "0.1"], ["0.25", "0.25", "0.25", "0.25"], ["0.5", "0.2", "0.2", "0.1"]]
        return (0..<count).map { _ in
            var actual: [String] = [], baseline: [String] = [], target: [String] = []
            for k in 0..<4 {
                switch k {
                case 0:  // revenue in money with cents
                    baseline.append("\(100_000 + next(50_000)).00")
                    target.append("\(200_000 + next(100_000)).00")
                    actual.append("\(90_000 + next(250_000)).\(10 + next(90))")
                case 1:  // a percentage metric
                    baseline.append("0.\(50 + next(20))")
                    target.append("0.9\(next(10))")
                    actual.append("0.\(40 + next(60))")
                case 2:  // a count
                    baseline.append("0")
                    target.append("\(10 + next(40))")
                    actual.append("\(next(60))")
                default: // a score from 0 to 1 in tenths
                    baseline.append("0")
                    target.append("1")
                    actual.append("0.\(next(10))")
                }
            }
            return Person(actual: actual, baseline: baseline, target: target, weight: weights[Int(next(3))],
                          salary: "\(15_000 + next(35_000)).\(next(10))0", bonusPercent: "0.15")
        }
    }

    /// The kernels read flat arrays of plain structs, so no reference counting
    /// happens in the timed loops (nested arrays would cost every type ~10 ns).
    struct KeyResult<N> { var actual, baseline, target, weight: N }
    struct Pay<N> { var salary, bonusPercent: N }
    struct Flat<N> { var keyResults: [KeyResult<N>]; var pay: [Pay<N>] }

    static func convert<N>(_ people: [Person<String>], _ f: (String) -> N) -> Flat<N> {
        var krs: [KeyResult<N>] = [], pay: [Pay<N>] = []
        for p in people {
            for k in 0..<4 {
                krs.append(KeyResult(actual: f(p.actual[k]), baseline: f(p.baseline[k]), target: f(p.target[k]), weight: f(p.weight[k])))
            }
            pay.append(Pay(salary: f(p.salary), bonusPercent: f(p.bonusPercent)))
        }
        return Flat(keyResults: krs, pay: pay)
    }

    // MARK: Kernels

    @inline(never)
    static func kernelExact(_ data: Flat<ExactDecimal>, zero: ExactDecimal, cap: ExactDecimal) throws -> ExactDecimal {
        var total = ExactDecimal.zero
        for (i, p) in data.pay.enumerated() {
            var score = ExactDecimal.zero
            for k in 4 * i..<4 * i + 4 {
                let r = data.keyResults[k]
                var progress = try r.actual.subtracting(r.baseline).divided(by: r.target.subtracting(r.baseline))
                if progress < zero { progress = zero }
                if progress > cap { progress = cap }
                score = try score.adding(r.weight.multiplied(by: progress))
            }
            let bonus = try p.salary.multiplied(by: p.bonusPercent).multiplied(by: score).rounded(places: 2, .halfAwayFromZero)
            total = try total.adding(bonus)
        }
        return total
    }

    @inline(never)
    static func kernelDouble(_ data: Flat<Double>, zero: Double, cap: Double) -> Double {
        var total = 0.0
        for (i, p) in data.pay.enumerated() {
            var score = 0.0
            for k in 4 * i..<4 * i + 4 {
                let r = data.keyResults[k]
                var progress = (r.actual - r.baseline) / (r.target - r.baseline)
                if progress < zero { progress = zero }
                if progress > cap { progress = cap }
                score += r.weight * progress
            }
            let bonus = ((p.salary * p.bonusPercent * score) * 100).rounded(.toNearestOrAwayFromZero) / 100
            total += bonus
        }
        return total
    }

    @inline(never)
    static func kernelFoundation(_ data: Flat<Decimal>, zero: Decimal, cap: Decimal) -> Decimal {
        var total = Decimal.zero
        for (i, p) in data.pay.enumerated() {
            var score = Decimal.zero
            for k in 4 * i..<4 * i + 4 {
                let r = data.keyResults[k]
                var progress = (r.actual - r.baseline) / (r.target - r.baseline)
                if progress < zero { progress = zero }
                if progress > cap { progress = cap }
                score += r.weight * progress
            }
            var raw = p.salary * p.bonusPercent * score
            var bonus = Decimal()
            NSDecimalRound(&bonus, &raw, 2, .plain)
            total += bonus
        }
        return total
    }

    // MARK: Timing

    /// Best-of-`rounds` nanoseconds per iteration of `body`, which performs `iterations` iterations.
    static func measure(rounds: Int = 15, iterations: Int, _ body: () -> Void) -> Double {
        body() // warm up
        var best = Double.infinity
        for _ in 0..<rounds {
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start)
            best = min(best, elapsed / Double(iterations))
        }
        return best
    }

    static func format(_ x: Double) -> String {
        x >= 100 ? String(Int(x.rounded())) : String(Double(Int(x * 10)) / 10)
    }

    static func runKernelOnly() {
        let count = 2_000
        let passes = Int(ProcessInfo.processInfo.environment["TALLY_BENCH_PASSES"] ?? "") ?? 200
        let exact = convert(makeData(count: count)) { try! ExactDecimal(parsing: $0) }
        let cap = try! ExactDecimal(parsing: "1.2")
        var total = ExactDecimal.zero
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<passes { total = try! kernelExact(exact, zero: opaque(.zero), cap: opaque(cap)) }
        let ns = Double(DispatchTime.now().uptimeNanoseconds - start) / Double(count * passes)
        print("decimal-kernel: \(format(ns)) ns/iteration (total \(total))")
    }

    static func run() {
        let count = 2_000
        let text = makeData(count: count)
        let exact = convert(text) { try! ExactDecimal(parsing: $0) }
        let double = convert(text) { Double($0)! }
        let foundation = convert(text) { Decimal(string: $0, locale: Locale(identifier: "en_US_POSIX"))! }

        var exactTotal = ExactDecimal.zero, doubleTotal = 0.0, foundationTotal = Decimal.zero
        let cap = try! ExactDecimal(parsing: "1.2"), foundationCap = Decimal(string: "1.2")!
        let repeatsFast = 50, repeatsSlow = 3
        let nsDouble = measure(iterations: count * repeatsFast) {
            for _ in 0..<repeatsFast { doubleTotal = kernelDouble(double, zero: opaque(0), cap: opaque(1.2)) }
        }
        let nsExact = measure(iterations: count * repeatsFast) {
            for _ in 0..<repeatsFast { exactTotal = try! kernelExact(exact, zero: opaque(.zero), cap: opaque(cap)) }
        }
        let nsFoundation = measure(rounds: 5, iterations: count * repeatsSlow) {
            for _ in 0..<repeatsSlow { foundationTotal = kernelFoundation(foundation, zero: opaque(0), cap: opaque(foundationCap)) }
        }

        print("decimal: OKR scoring kernel, \(count) people × 4 key results, best of several runs")
        print("  type                 ns/iteration   × Double")
        func row(_ name: String, _ ns: Double) {
            print("  \(name.padding(toLength: 20, withPad: " ", startingAt: 0)) \(format(ns).leftPad(12))   \(format(ns / nsDouble).leftPad(8))")
        }
        row("Double", nsDouble)
        row("ExactDecimal", nsExact)
        row("Foundation.Decimal", nsFoundation)
        print("  ExactDecimal is \(format(nsFoundation / nsExact))× faster than Foundation.Decimal")
        print("  one pass's total bonus: ExactDecimal \(exactTotal), Double \(doubleTotal), Foundation.Decimal \(foundationTotal)")
        print("  (Python decimal, prec 34: 5969105.44 — Double and Foundation.Decimal misround half-cent ties)")

        // Per-operation costs on representative operands.
        let n = 1_000_000
        let a = try! ExactDecimal(parsing: "12345.67"), b = try! ExactDecimal(parsing: "890.12")
        let third = try! ExactDecimal(1).divided(by: ExactDecimal(3))
        let rate = try! ExactDecimal(parsing: "0.15"), c85 = ExactDecimal(85), c100 = ExactDecimal(100)
        let long = try! ExactDecimal(parsing: "1234567.891234567891234567891234567")
        var sink = ExactDecimal.zero
        func op(_ name: String, _ f: (Int) throws -> ExactDecimal) {
            let ns = measure(rounds: 5, iterations: n) {
                for i in 0..<n { sink = try! f(i) }
            }
            print("  \(name.padding(toLength: 40, withPad: " ", startingAt: 0)) \(format(ns).leftPad(8)) ns")
        }
        print("per operation:")
        op("add money (2 places)") { _ in try opaque(a).adding(b) }
        op("add money, different scales") { _ in try a.adding(third) }
        op("multiply money × 0.15") { _ in try a.multiplied(by: opaque(rate)) }
        op("multiply 34-digit × 34-digit") { _ in try third.multiplied(by: long) }
        op("divide money / money (non-terminating)") { _ in try a.divided(by: b) }
        op("divide 85 / 100 (exact)") { _ in try opaque(c85).divided(by: c100) }
        op("divide 34-digit / 34-digit") { _ in try long.divided(by: third) }
        op("round 34-digit to 2 places") { _ in try long.rounded(places: 2, .halfAwayFromZero) }
        op("compare (as 0/1)") { i in (i & 1 == 0 ? a : b) < third ? .one : .zero }
        _ = sink
    }
}

/// Hides a value from the optimiser so pure kernels are not hoisted out of timing loops.
@inline(never) @_optimize(none)
func opaque<T>(_ x: T) -> T { x }

extension String {
    func leftPad(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
