// x^y for a non-integer y: exp(y · ln x) in extended-precision fixed-point
// decimal (90 fraction digits on a big integer), then rounded to 34 digits.
// This is the only approximate operation of the numeric core (LANGUAGE.md §3:
// "a non-integer exponent is computed approximately and documented as such").

/// Extended-precision logarithm and exponential for ``ExactDecimal/power(_:)-(ExactDecimal)``.
///
/// Fixed-point numbers are (sign, magnitude) pairs whose magnitude is scaled by
/// 10^90. ln uses ln x = ln m + j·ln 2 + a·ln 10 with m reduced to [0.75, 1.5)
/// and ln m = 2·atanh((m−1)/(m+1)) (series, |z| ≤ 1/5); exp uses
/// t = k·ln 10 + r with |r| ≤ ln(10)/2, exp(r) = (Taylor series of r/2^10)^(2^10).
/// The absolute error of y·ln x stays below 10^-50 for every representable y,
/// so the final 34-digit rounding is correct except when the true result lies
/// within about 10^-50 (relative) of a rounding boundary.
@usableFromInline
internal enum ApproximatePower {
    static let fractionDigits = 90
    static let scale = BigUInt.powerOfTen(fractionDigits)

    /// A signed fixed-point number: value = ± magnitude / 10^90.
    struct Fixed {
        var negative: Bool
        var magnitude: BigUInt

        static func + (a: Fixed, b: Fixed) -> Fixed {
            if a.negative == b.negative { return Fixed(negative: a.negative, magnitude: a.magnitude + b.magnitude) }
            if a.magnitude >= b.magnitude {
                let m = a.magnitude - b.magnitude
                return Fixed(negative: m.isZero ? false : a.negative, magnitude: m)
            }
            return Fixed(negative: b.negative, magnitude: b.magnitude - a.magnitude)
        }

        static func - (a: Fixed, b: Fixed) -> Fixed { a + Fixed(negative: !b.negative, magnitude: b.magnitude) }

        func times(_ k: Int) -> Fixed {
            Fixed(negative: (k < 0) != negative && k != 0, magnitude: magnitude.multiplied(bySmall: UInt64(k.magnitude)))
        }
    }

    /// Σ z^(2i+1)/(2i+1) for a fixed-point 0 ≤ z < 1 (atanh z).
    static func atanh(_ z: BigUInt) -> BigUInt {
        var sum = z
        var power = z
        let z2 = (z * z).quotientAndRemainder(dividingBy: scale).0
        var denominator: UInt64 = 3
        while true {
            power = (power * z2).quotientAndRemainder(dividingBy: scale).0
            if power.isZero { break }
            sum = sum + power.quotientAndRemainder(dividingBySmall: denominator).0
            denominator += 2
        }
        return sum
    }

    /// atanh(p/q) for small positive integers p < q.
    static func atanh(_ p: UInt64, over q: UInt64) -> BigUInt {
        atanh(scale.multiplied(bySmall: p).quotientAndRemainder(dividingBySmall: q).0)
    }

    /// ln 2 = 2·atanh(1/3).
    static let ln2: BigUInt = atanh(1, over: 3).multiplied(bySmall: 2)
    /// ln 10 = 3·ln 2 + ln(5/4) = 3·ln 2 + 2·atanh(1/9).
    static let ln10: BigUInt = ln2.multiplied(bySmall: 3) + atanh(1, over: 9).multiplied(bySmall: 2)

    /// ln x for x > 0.
    static func ln(_ x: ExactDecimal) -> Fixed {
        let c = x.coefficient
        let d = decimalDigitCount(c)
        let adjusted = x.exponent + d - 1
        // m = c / 10^(d−1) in [1, 10), as fixed point (exact: d − 1 < 90).
        var m = BigUInt(c).multiplied(byPowerOfTen: fractionDigits - (d - 1))
        let s = scale
        let j: Int
        if m < s.multiplied(bySmall: 3).shiftedRight(bits: 1) { j = 0 }          // m < 1.5
        else if m < s.multiplied(bySmall: 3) { j = 1 }                              // m < 3
        else if m < s.multiplied(bySmall: 6) { j = 2 }                              // m < 6
        else { j = 3 }
        m = m.shiftedRight(bits: j)                                                 // now in [0.75, 1.5)
        let sum = m + s
        let lnm: Fixed
        if m >= s {
            let z = (m - s).multiplied(byPowerOfTen: fractionDigits).quotientAndRemainder(dividingBy: sum).0
            lnm = Fixed(negative: false, magnitude: atanh(z).multiplied(bySmall: 2))
        } else {
            let z = (s - m).multiplied(byPowerOfTen: fractionDigits).quotientAndRemainder(dividingBy: sum).0
            lnm = Fixed(negative: true, magnitude: atanh(z).multiplied(bySmall: 2))
        }
        return lnm + Fixed(negative: false, magnitude: ln2).times(j) + Fixed(negative: false, magnitude: ln10).times(adjusted)
    }

    /// exp(r) for 0 ≤ r ≤ 1.2 (fixed point).
    static func expSmall(_ r: BigUInt) -> BigUInt {
        let halvings = 10
        let x = r.shiftedRight(bits: halvings)           // r / 1024
        var sum = scale + x
        var term = x
        var i: UInt64 = 2
        while true {
            term = (term * x).quotientAndRemainder(dividingBy: scale).0.quotientAndRemainder(dividingBySmall: i).0
            if term.isZero { break }
            sum = sum + term
            i += 1
        }
        for _ in 0..<halvings { sum = (sum * sum).quotientAndRemainder(dividingBy: scale).0 }
        return sum
    }

    /// x^y for x > 0, x ≠ 1 and a non-integer y.
    static func power(_ x: ExactDecimal, _ y: ExactDecimal) throws(ArithmeticError) -> ExactDecimal {
        let lnx = ln(x)
        // t = y · ln x. A non-integer y has a negative exponent.
        let ey = y.exponent
        let product = lnx.magnitude * BigUInt(y.coefficient)
        let tMagnitude = ey >= 0 ? product.multiplied(byPowerOfTen: ey)
                                 : product.quotientAndRemainder(dividingBy: BigUInt.powerOfTen(-ey)).0
        let t = Fixed(negative: lnx.negative != y.isNegative && !tMagnitude.isZero, magnitude: tMagnitude)
        // ln(10^6145) ≈ 14149.7 and ln(10^-6143) ≈ −14145: anything well beyond is out of range.
        if t.magnitude > scale.multiplied(bySmall: 14_200) { throw t.negative ? .underflow : .overflow }
        // t = k·ln 10 + r with |r| ≤ ln(10)/2.
        let half = ln10.shiftedRight(bits: 1)
        let kq = (t.magnitude + half).quotientAndRemainder(dividingBy: ln10).0
        let kMagnitude = Int(kq.uint128 ?? 0)
        let k = t.negative ? -kMagnitude : kMagnitude
        let r = t - Fixed(negative: false, magnitude: ln10).times(k)
        var e = expSmall(r.magnitude)
        if r.negative { e = (scale * scale).quotientAndRemainder(dividingBy: e).0 }
        // Result = e / 10^90 × 10^k. Never exact in general: mark a non-zero tail.
        return try ExactDecimal.roundBig(negative: false, e, k - fractionDigits, .belowHalf).0
    }
}
