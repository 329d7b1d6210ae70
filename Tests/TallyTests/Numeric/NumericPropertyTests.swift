import XCTest
@testable import Tally

/// Seeded random operands (SplitMix64, reproducible) checked against
/// algebraic invariants that hold for any correct implementation.
final class NumericPropertyTests: XCTestCase {
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// A random value with `digits` significant digits and an exponent in `exponents`.
    func random(_ rng: inout SplitMix64, digits: ClosedRange<Int>, exponents: ClosedRange<Int>) -> ExactDecimal {
        let n = Int.random(in: digits, using: &rng)
        var text = String(Int.random(in: 1...9, using: &rng))
        for _ in 1..<max(n, 1) { text.append(String(Int.random(in: 0...9, using: &rng))) }
        if Bool.random(using: &rng) { text = "-" + text }
        // Keep the adjusted exponent (exponent + n − 1) within [−6143, 6144].
        let e = min(max(Int.random(in: exponents, using: &rng), -6143 - n + 1), 6144 - n + 1)
        text += "e\(e)"
        return try! ExactDecimal(parsing: text)
    }

    func anyValue(_ rng: inout SplitMix64) -> ExactDecimal {
        switch Int.random(in: 0..<5, using: &rng) {
        case 0: return ExactDecimal(Int.random(in: -1000...1000, using: &rng))
        case 1: return random(&rng, digits: 1...10, exponents: -4...4)
        case 2: return random(&rng, digits: 30...34, exponents: -50...20)
        case 3: return random(&rng, digits: 1...34, exponents: -3000...3000)
        default: return random(&rng, digits: 1...34, exponents: -6176...6111)
        }
    }

    func testExactAlgebra() throws {
        var rng = SplitMix64(state: 42)
        for _ in 0..<20_000 {
            // ≤ 15 digits, exponents within ±8: sums (≤ 32 digits) and products (≤ 30) are exact.
            let a = random(&rng, digits: 1...15, exponents: -8...8)
            let b = random(&rng, digits: 1...15, exponents: -8...8)
            let s = try a.adding(b)
            XCTAssertEqual(try s.subtracting(b), a, "\(a) + \(b) − \(b)")
            XCTAssertEqual(try s.subtracting(a), b)
            XCTAssertEqual(try b.adding(a), s)
            XCTAssertEqual(try a.subtracting(b), try b.subtracting(a).negated)
            let p = try a.multiplied(by: b)
            XCTAssertEqual(try b.multiplied(by: a), p)
            XCTAssertEqual(try p.divided(by: b), a, "\(a) × \(b) ÷ \(b)")
            XCTAssertEqual(try a.multiplied(by: b.negated), p.negated)
        }
    }

    func testOrderMatchesSubtractionSign() throws {
        var rng = SplitMix64(state: 7)
        var checked = 0
        for _ in 0..<20_000 {
            let a = anyValue(&rng)
            let b = Bool.random(using: &rng) ? anyValue(&rng) : a.negated
            guard let diff = try? a.subtracting(b) else { continue }   // may overflow near 10^6145
            let sign = diff.isZero ? 0 : (diff.isNegative ? -1 : 1)
            let order = a < b ? -1 : (a == b ? 0 : 1)
            XCTAssertEqual(order, sign, "\(a) vs \(b)")
            XCTAssertEqual(b < a, sign > 0)
            checked += 1
        }
        XCTAssertGreaterThan(checked, 19_000)
    }

    func testTextRoundTripsAndEqualValuesHashAlike() throws {
        var rng = SplitMix64(state: 2026)
        for _ in 0..<5_000 {
            let a = anyValue(&rng)
            let back = try ExactDecimal(parsing: a.description)
            XCTAssertEqual(back, a)
            XCTAssertEqual(back.normalized.coefficient, a.normalized.coefficient)
            XCTAssertEqual(back.hashValue, a.hashValue)
            // The same value with a different coefficient/exponent (×10^k, exponent −k).
            let (c, e) = a.normalized
            let k = Int.random(in: 1...5, using: &rng)
            if c < ExactDecimal.coefficientLimit / Pow10.u128[k], e - k >= -6176 {
                let wide = ExactDecimal(negative: a.isNegative, coefficient: c * Pow10.u128[k], exponent: e - k)
                XCTAssertEqual(wide, a)
                XCTAssertEqual(wide.hashValue, a.hashValue)
                XCTAssertEqual(wide.description, a.description)
            }
        }
    }

    func testRoundingBrackets() throws {
        var rng = SplitMix64(state: 99)
        for _ in 0..<10_000 {
            let a = random(&rng, digits: 1...34, exponents: -40...10)
            let places = Int.random(in: -10...20, using: &rng)
            let lo = try a.rounded(places: places, .floor)
            let hi = try a.rounded(places: places, .ceiling)
            XCTAssertLessThanOrEqual(lo, a)
            XCTAssertGreaterThanOrEqual(hi, a)
            let gap = try hi.subtracting(lo)
            let unit = ExactDecimal(significand: 1, exponent: -places)
            XCTAssertTrue(gap.isZero || gap == unit, "\(a) at \(places)")
            for mode in [RoundingMode.halfAwayFromZero, .halfEven, .towardZero] {
                let r = try a.rounded(places: places, mode)
                XCTAssertTrue(r == lo || r == hi)
            }
            XCTAssertEqual(try a.negated.rounded(places: places, .floor), hi.negated)
        }
    }

    /// The 64-bit fast paths must agree with the general paths, including at
    /// the edges of their exponent windows and of Int64.
    func testFastPathsAgreeWithGeneralPaths() throws {
        var rng = SplitMix64(state: 314)
        let edges = [-6176, -6160, -6144, -6143, -6142, 0, 6099, 6100, 6101, 6124, 6125, 6144]
        func operand() -> ExactDecimal {
            let c: UInt64 = Bool.random(using: &rng) ? UInt64.random(in: 0...1_000_000, using: &rng)
                                                      : UInt64.random(in: 0...UInt64.max, using: &rng)
            var e = Bool.random(using: &rng) ? edges.randomElement(using: &rng)! : Int.random(in: -30...30, using: &rng)
            let digits = decimalDigitCount(c)
            if c != 0 { e = min(max(e, -6143 - digits + 1), 6144 - digits + 1) }
            return ExactDecimal(negative: Bool.random(using: &rng), coefficient: UInt128(c), exponent: e)
        }
        func outcome(_ f: () throws -> ExactDecimal) -> String {
            do { let v = try f(); return "\(v.normalized)\(v.isNegative)" } catch { return "\(error)" }
        }
        for _ in 0..<50_000 {
            let a = operand(), b = operand()
            XCTAssertEqual(outcome { try a.adding(b) }, outcome { try ExactDecimal.addSlow(a, b, subtract: false) }, "\(a) + \(b)")
            XCTAssertEqual(outcome { try a.subtracting(b) }, outcome { try ExactDecimal.addSlow(a, b, subtract: true) }, "\(a) - \(b)")
            XCTAssertEqual(outcome { try a.multiplied(by: b) },
                           outcome { try ExactDecimal.round256(negative: a.isNegative != b.isNegative,
                                                               U256.product(a.coefficient, b.coefficient),
                                                               a.exponent + b.exponent, .zero).0 }, "\(a) × \(b)")
        }
    }
}
