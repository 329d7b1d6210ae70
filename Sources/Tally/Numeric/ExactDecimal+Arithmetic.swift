// Arithmetic on ExactDecimal: + − × ÷, integer powers and rounding to places.
//
// Every operation computes the exact result (or enough of it: the digits it
// keeps plus a Discarded state for the rest) and rounds once, half-even, to
// 34 significant digits (IEEE 754 decimal128 / LANGUAGE.md §3).

extension Discarded {
    /// Whether round-half-even increments a truncated coefficient with this
    /// discarded part. `odd` is the parity of the truncated coefficient.
    @inlinable @inline(__always)
    func roundsUpHalfEven(odd: Bool) -> Bool {
        switch self {
        case .aboveHalf: return true
        case .half: return odd
        default: return false
        }
    }

    /// Whether `mode` increments the magnitude of a truncated coefficient.
    @inlinable
    func roundsUp(_ mode: RoundingMode, odd: Bool, negative: Bool) -> Bool {
        if case .zero = self { return false }
        switch mode {
        case .halfAwayFromZero:
            if case .belowHalf = self { return false }
            return true
        case .halfEven: return roundsUpHalfEven(odd: odd)
        case .floor: return negative
        case .ceiling: return !negative
        case .towardZero: return false
        }
    }
}

// MARK: - Correct rounding to 34 digits and the range check

extension ExactDecimal {
    /// Rounds ±c × 10^e (plus a discarded tail strictly below one unit of c's
    /// last digit) half-even to 34 significant digits and checks the range.
    /// Returns the value and whether it is exact.
    ///
    /// - Throws: `.underflow` when the exact value is non-zero and below
    ///   10^-6143; `.overflow` when the rounded value is 10^6145 or more.
    @usableFromInline
    static func round128(negative: Bool, _ c: UInt128, _ e: Int, _ discarded: Discarded) throws(ArithmeticError) -> (ExactDecimal, Bool) {
        if c == 0 { return (.zero, true) }
        let n = decimalDigitCount(c)
        var adjusted = e + n - 1
        if adjusted < minAdjusted { throw .underflow }
        var q = c, exp = e, d = discarded
        if n > precision {
            let k = n - precision
            let (qq, dd) = c.shiftedRight(decimalDigits: k)
            q = qq
            d = dd.combined(withLower: discarded)
            exp += k
        }
        if d.roundsUpHalfEven(odd: q & 1 == 1) {
            q += 1
            if q == coefficientLimit { q = coefficientLimitOverTen; exp += 1 }
            adjusted = exp + decimalDigitCount(q) - 1
        }
        if adjusted > maxAdjusted { throw .overflow }
        let isExact: Bool
        if case .zero = d { isExact = true } else { isExact = false }
        return (ExactDecimal(negative: negative, coefficient: q, exponent: exp), isExact)
    }

    /// `round128` for a 256-bit coefficient.
    @usableFromInline
    static func round256(negative: Bool, _ c: U256, _ e: Int, _ discarded: Discarded) throws(ArithmeticError) -> (ExactDecimal, Bool) {
        if c.hi == 0 { return try round128(negative: negative, c.lo, e, discarded) }
        let n = c.decimalDigitCount                   // ≥ 39
        if e + n - 1 < minAdjusted { throw .underflow }
        let k = n - precision
        let (q, d) = c.shiftedRight(decimalDigits: k)
        return try round128(negative: negative, q.lo, e + k, d.combined(withLower: discarded))
    }

    /// `round128` for a big-integer coefficient.
    @usableFromInline
    static func roundBig(negative: Bool, _ c: BigUInt, _ e: Int, _ discarded: Discarded) throws(ArithmeticError) -> (ExactDecimal, Bool) {
        if let small = c.uint128 { return try round128(negative: negative, small, e, discarded) }
        let n = c.decimalDigitCount
        let adjusted = e + n - 1
        if adjusted < minAdjusted { throw .underflow }
        if adjusted > maxAdjusted { throw .overflow }  // rounding never lowers the adjusted exponent
        let k = n - precision
        let (q, d) = c.shiftedRight(decimalDigits: k)
        return try round128(negative: negative, q.uint128!, e + k, d.combined(withLower: discarded))
    }

    /// Removes trailing zeros from an exact result while its exponent is below
    /// `ideal` (the exponent an exact quotient would naturally have), so that
    /// 85 / 100 is stored as 85 × 10^-2 and later operations stay on the
    /// 64-bit fast path.
    @usableFromInline
    static func stripTrailingZeros(_ v: ExactDecimal, toward ideal: Int) -> ExactDecimal {
        if v.isZero { return v }
        let (c, e) = stripTrailingZeros(v.coefficient, v.exponent, toward: ideal)
        return ExactDecimal(negative: v.isNegative, coefficient: c, exponent: e)
    }

    @usableFromInline
    static func stripTrailingZeros(_ c: UInt128, _ e: Int, toward ideal: Int) -> (UInt128, Int) {
        var c = c, e = e
        while c >> 64 != 0 && e < ideal {
            let step = min(16, ideal - e)
            let (q, r) = c.dividedByPowerOfTen(step)
            if r != 0 {
                if step == 1 { return (c, e) }
                // Fewer than `step` zeros: finish digit by digit.
                while e < ideal {
                    let (q1, r1) = c.dividedByPowerOfTen(1)
                    if r1 != 0 { return (c, e) }
                    c = q1
                    e += 1
                }
                return (c, e)
            }
            c = q
            e += step
        }
        if c >> 64 != 0 { return (c, e) }      // reached the ideal exponent with a wide coefficient
        // 64-bit coefficient: binary search over 8, 4, 2, 1 zeros (constant
        // divisors compile to multiplications).
        var small = UInt64(truncatingIfNeeded: c)
        if small == 0 { return (0, 0) }
        if ideal - e >= 8 && small % 100_000_000 == 0 {
            small /= 100_000_000
            e += 8
            if ideal - e >= 8 && small % 100_000_000 == 0 { small /= 100_000_000; e += 8 }
        }
        if ideal - e >= 4 && small % 10_000 == 0 { small /= 10_000; e += 4 }
        if ideal - e >= 2 && small % 100 == 0 { small /= 100; e += 2 }
        if ideal - e >= 1 && small % 10 == 0 { small /= 10; e += 1 }
        if e < ideal && small % 10 == 0 {
            // Only when `ideal − e` was not a sum of the steps above.
            while e < ideal && small % 10 == 0 { small /= 10; e += 1 }
        }
        return (UInt128(small), e)
    }
}

// MARK: - Addition and subtraction

extension ExactDecimal {
    /// self + other, exact when the sum has at most 34 significant digits,
    /// else rounded half-even to 34 (LANGUAGE.md §3). `0.1 + 0.2 == 0.3`.
    ///
    /// - Throws: ``ArithmeticError/overflow`` when the rounded sum's magnitude is
    ///   10^6145 or more; ``ArithmeticError/underflow`` when the exact sum is
    ///   non-zero and below 10^-6143.
    @inlinable
    public func adding(_ other: ExactDecimal) throws(ArithmeticError) -> ExactDecimal {
        if let r = ExactDecimal.addFast(self, other, flipB: 0) { return r }
        return try ExactDecimal.addSlow(self, other, subtract: false)
    }

    /// self − other, exact when the difference has at most 34 significant
    /// digits, else rounded half-even to 34.
    ///
    /// - Throws: ``ArithmeticError/overflow`` or ``ArithmeticError/underflow`` as ``adding(_:)``.
    @inlinable
    public func subtracting(_ other: ExactDecimal) throws(ArithmeticError) -> ExactDecimal {
        if let r = ExactDecimal.addFast(self, other, flipB: ExactDecimal.signBit) { return r }
        return try ExactDecimal.addSlow(self, other, subtract: true)
    }

    /// The 64-bit fast path: both coefficients fit in 64 bits, the exponents
    /// are equal (or differ by at most 19 and the aligned coefficient still
    /// fits), the exponent is far from both range limits and the signed sum
    /// does not overflow `Int64`. Returns nil to take the general path.
    @inlinable @inline(__always)
    static func addFast(_ a: ExactDecimal, _ b: ExactDecimal, flipB: UInt64) -> ExactDecimal? {
        let ah = a.hi, bh = b.hi ^ flipB
        guard a.isSmall, b.isSmall, a.lo <= UInt64(Int64.max), b.lo <= UInt64(Int64.max) else { return nil }
        let ebA = (ah >> exponentShift) & exponentMask, ebB = (bh >> exponentShift) & exponentMask
        // Biased exponent window where any sum of 64-bit coefficients is in range:
        // e ≥ −6143 (no underflow possible) and e ≤ 6100 (no overflow possible).
        guard ebA &- 33 <= 12276 - 33, ebB &- 33 <= 12276 - 33 else { return nil }
        var x = Int64(bitPattern: a.lo), y = Int64(bitPattern: b.lo)
        if ah & signBit != 0 { x = -x }
        if bh & signBit != 0 && b.lo != 0 { y = -y }
        var eb = ebA
        if ebA != ebB {
            // Align: scale the one with the larger exponent.
            if ebA > ebB {
                let d = ebA - ebB
                if d > 18 { return nil }
                let (p, o) = x.multipliedReportingOverflow(by: Int64(Pow10.u64[Int(d)]))
                if o { return nil }
                x = p
                eb = ebB
            } else {
                let d = ebB - ebA
                if d > 18 { return nil }
                let (p, o) = y.multipliedReportingOverflow(by: Int64(Pow10.u64[Int(d)]))
                if o { return nil }
                y = p
            }
        }
        let (s, o) = x.addingReportingOverflow(y)
        if o { return nil }
        if s == 0 { return .zero }
        return ExactDecimal(lo: s.magnitude, hi: (s < 0 ? signBit : 0) | eb << exponentShift)
    }

    @usableFromInline
    static func addSlow(_ a: ExactDecimal, _ b: ExactDecimal, subtract: Bool) throws(ArithmeticError) -> ExactDecimal {
        if b.isZero { return a }
        if a.isZero { return subtract ? b.negated : b }
        var xn = a.signBitSet, yn = b.signBitSet != subtract
        var cx = a.coefficient, cy = b.coefficient
        var ex = a.exponent, ey = b.exponent
        if ex < ey {
            swap(&xn, &yn); swap(&cx, &cy); swap(&ex, &ey)
        }
        // Now ex ≥ ey. Work with at most 37 digits: scale x up as far as that
        // allows; what is left of the alignment scales y down, and anything cut
        // off y then lies at least two digits below the result's last digit,
        // where only "non-zero" matters for half-even rounding.
        let shift = ex - ey
        let dx = decimalDigitCount(cx)
        let x: UInt128, y: UInt128, e: Int
        var sticky = false
        if shift <= 37 - dx {
            x = cx * Pow10.u128[shift]
            y = cy
            e = ey
        } else {
            let up = 37 - dx
            x = cx * Pow10.u128[up]
            e = ex - up
            let down = shift - up
            if down > 38 {
                y = 0
                sticky = true
            } else {
                let (q, d) = cy.shiftedRight(decimalDigits: down)
                y = q
                if case .zero = d {} else { sticky = true }
            }
        }
        if xn == yn {
            return try round128(negative: xn, x + y, e, sticky ? .belowHalf : .zero).0
        }
        if sticky {
            // x − (y + f) with 0 < f < 1 equals (x − y − 1) + (1 − f); here x ≥ 10^36 > y.
            return try round128(negative: xn, x - y - 1, e, .belowHalf).0
        }
        if x == y { return .zero }
        if x > y { return try round128(negative: xn, x - y, e, .zero).0 }
        return try round128(negative: yn, y - x, e, .zero).0
    }
}

// MARK: - Multiplication

extension ExactDecimal {
    /// self × other, exact when the product has at most 34 significant digits,
    /// else rounded half-even to 34.
    ///
    /// - Throws: ``ArithmeticError/overflow`` or ``ArithmeticError/underflow``
    ///   when the product leaves the range.
    @inlinable
    public func multiplied(by other: ExactDecimal) throws(ArithmeticError) -> ExactDecimal {
        if let r = ExactDecimal.multiplyFast(self, other) { return r }
        return try ExactDecimal.multiplySlow(self, other)
    }

    /// Fast path: both coefficients and the product fit in 64 bits and the
    /// exponent sum is well inside the range.
    @inlinable @inline(__always)
    static func multiplyFast(_ a: ExactDecimal, _ b: ExactDecimal) -> ExactDecimal? {
        guard a.isSmall, b.isSmall else { return nil }
        let (p, o) = a.lo.multipliedReportingOverflow(by: b.lo)
        if o { return nil }
        if p == 0 { return .zero }
        // Biased exponent of the product: ebA + ebB − bias; keep it in [−6143, 6100].
        let eb = Int(truncatingIfNeeded: (a.hi >> exponentShift) & exponentMask)
            &+ Int(truncatingIfNeeded: (b.hi >> exponentShift) & exponentMask) &- exponentBias
        guard eb >= 33, eb <= 12276 else { return nil }
        return ExactDecimal(lo: p, hi: ((a.hi ^ b.hi) & signBit) | UInt64(truncatingIfNeeded: eb) << exponentShift)
    }

    @usableFromInline
    static func multiplySlow(_ a: ExactDecimal, _ b: ExactDecimal) throws(ArithmeticError) -> ExactDecimal {
        if a.isZero || b.isZero { return .zero }
        let negative = a.signBitSet != b.signBitSet
        if a.isSmall || b.isSmall {
            // 64 × 113 bits: two 64-bit multiplications (a weight times a quotient, say).
            let (small, wide) = a.isSmall ? (a.lo, b.coefficient) : (b.lo, a.coefficient)
            let low = UInt64(truncatingIfNeeded: wide).multipliedFullWidth(by: small)
            let high = UInt64(truncatingIfNeeded: wide >> 64).multipliedFullWidth(by: small)
            let (mid, carry) = high.low.addingReportingOverflow(low.high)
            let top = high.high &+ (carry ? 1 : 0)
            let e = a.exponent + b.exponent
            if top == 0 {
                return try round128(negative: negative, UInt128(mid) << 64 | UInt128(low.low), e, .zero).0
            }
            return try round256(negative: negative, U256(hi: UInt128(top), lo: UInt128(mid) << 64 | UInt128(low.low)), e, .zero).0
        }
        let p = U256.product(a.coefficient, b.coefficient)
        return try round256(negative: negative, p, a.exponent + b.exponent, .zero).0
    }
}

// MARK: - Division

extension ExactDecimal {
    /// self ÷ other, rounded half-even to 34 significant digits when the
    /// quotient does not terminate within them (1/3 = 0.3333333333333333333333333333333333,
    /// 2/3 = 0.6666666666666666666666666666666667). Exact quotients are exact.
    ///
    /// - Throws: ``ArithmeticError/divisionByZero`` when `other` is zero
    ///   (including 0 / 0); ``ArithmeticError/overflow`` or
    ///   ``ArithmeticError/underflow`` when the quotient leaves the range.
    public func divided(by other: ExactDecimal) throws(ArithmeticError) -> ExactDecimal {
        if other.isZero { throw .divisionByZero }
        if isZero { return .zero }
        let negative = signBitSet != other.signBitSet
        let ideal = exponent - other.exponent
        var q: UInt128
        let discarded: Discarded
        let s: Int
        if isSmall && other.isSmall {
            let ca = lo, cb = other.lo
            // Exact integer quotient of the coefficients: no scaling needed.
            let (qi, r) = ca.quotientAndRemainder(dividingBy: cb)
            if r == 0 && ideal >= -6143 && ideal <= 6100 {
                return ExactDecimal(negative: negative, smallCoefficient: qi, exponent: ideal)
            }
            s = ExactDecimal.quotientScale(UInt128(ca), decimalDigitCount(ca), UInt128(cb), decimalDigitCount(cb))
            // Long division continued from ⌊ca/cb⌋ in chunks of up to 19 digits:
            // each chunk is one 128-by-64 division whose quotient fits in 64 bits.
            q = UInt128(qi)
            var rem = r
            var left = s
            while left > 0 {
                if rem == 0 {
                    // Terminated early: the quotient is exact and the remaining
                    // digits are zeros, so skip them instead of stripping them.
                    let e = ideal - s
                    if e + 33 < ExactDecimal.minAdjusted { throw .underflow }
                    if e + 33 > ExactDecimal.maxAdjusted { throw .overflow }
                    let (c, ex) = ExactDecimal.stripTrailingZeros(q, ideal - (s - left), toward: ideal)
                    return ExactDecimal(negative: negative, coefficient: c, exponent: ex)
                }
                let c = min(left, 19)
                let p = rem.multipliedFullWidth(by: Pow10.u64[c])
                let (fq, fr) = cb.dividingFullWidth((high: p.high, low: p.low))
                q = q &* Pow10.u128[c] &+ UInt128(fq)
                rem = fr
                left -= c
            }
            discarded = .of(remainder: rem, divisor: cb)
        } else {
            let ca = coefficient, cb = other.coefficient
            s = ExactDecimal.quotientScale(ca, digitCount, cb, other.digitCount)
            let n = U256(ca).multiplied(byPowerOfTen: s)   // < 10^(34 + db) ≤ 10^68
            if cb >> 64 == 0 {
                let (qq, r) = n.quotientAndRemainder(dividingBy: UInt64(truncatingIfNeeded: cb))
                q = qq.lo
                discarded = .of(remainder: r, divisor: UInt64(truncatingIfNeeded: cb))
            } else {
                let (qq, r) = cb.dividingFullWidth((high: n.hi, low: n.lo))
                q = qq
                discarded = .of(remainder: r, divisor: cb)
            }
        }
        var e = ideal - s
        // q has exactly 34 digits, so the exact quotient's leading digit is at e + 33.
        if e + 33 < ExactDecimal.minAdjusted { throw .underflow }
        if case .zero = discarded {
            if e + 33 > ExactDecimal.maxAdjusted { throw .overflow }
            let (c, ex) = ExactDecimal.stripTrailingZeros(q, e, toward: ideal)
            return ExactDecimal(negative: negative, coefficient: c, exponent: ex)
        }
        if discarded.roundsUpHalfEven(odd: q & 1 == 1) {
            q += 1
            if q == ExactDecimal.coefficientLimit {
                q = ExactDecimal.coefficientLimitOverTen
                e += 1
            }
        }
        if e + 33 > ExactDecimal.maxAdjusted { throw .overflow }
        return ExactDecimal(negative: negative, coefficient: q, exponent: e)
    }

    /// The power of ten s for which ⌊ca·10^s / cb⌋ has exactly 34 digits
    /// (ca has da digits, cb has db; both non-zero). The leading digit of
    /// ca/cb sits at 10^(da−db) or 10^(da−db−1): compare ca·10^(db−da) with cb.
    @inlinable
    static func quotientScale(_ ca: UInt128, _ da: Int, _ cb: UInt128, _ db: Int) -> Int {
        let s = precision - 1 + db - da
        let leadingBelowOne = db >= da ? ca * Pow10.u128[db - da] < cb : ca < cb * Pow10.u128[da - db]
        return leadingBelowOne ? s + 1 : s
    }
}

// MARK: - Integer powers

extension ExactDecimal {
    /// The largest number of decimal digits the exact intermediate x^|n| of
    /// ``power(_:)-(Int)`` may have (about 66,000 bits): beyond it the power is
    /// refused with ``ArithmeticError/invalid(_:)`` rather than computed slowly.
    public static let maximumExactPowerDigits = 20_000

    /// self^n for an integer n, computed exactly and rounded once, half-even, to
    /// 34 significant digits (LANGUAGE.md §3). For n < 0 this is 1 / self^|n|:
    /// self^|n| exactly, then one correctly rounded division (2^-2 = 0.25).
    /// 0^0 = 1.
    ///
    /// Results that are certainly out of range are reported as such before any
    /// exact computation (an estimate of |n|·log10|self| with a safety margin).
    ///
    /// - Throws: ``ArithmeticError/divisionByZero`` for 0^n with n < 0;
    ///   ``ArithmeticError/overflow`` / ``ArithmeticError/underflow`` when the
    ///   result leaves the range; ``ArithmeticError/invalid(_:)`` ("exponent too
    ///   large …") when the exact intermediate would have more than
    ///   ``maximumExactPowerDigits`` digits (e.g. 1.000000001^1000000).
    public func power(_ n: Int) throws(ArithmeticError) -> ExactDecimal {
        if n == 0 { return .one }
        if isZero {
            if n < 0 { throw .divisionByZero }
            return .zero
        }
        if n == 1 { return self }
        if n == 2 { return try multiplied(by: self) }
        if n == -1 { return try ExactDecimal.one.divided(by: self) }
        let negative = isNegative && n & 1 == 1
        let (c, e) = normalized
        let m = n.magnitude
        if c == 1 {
            // ±10^e: the result is ±10^(e·n), exactly.
            let (p, o) = e.multipliedReportingOverflow(by: n)
            if o { throw (e > 0) == (n > 0) ? .overflow : .underflow }
            if p > ExactDecimal.maxAdjusted { throw .overflow }
            if p < ExactDecimal.minAdjusted { throw .underflow }
            return ExactDecimal(negative: negative, smallCoefficient: 1, exponent: p)
        }
        // Estimate log10|result| = n·log10|self| (only to reject hopeless cases;
        // the margin covers the estimate's error many times over).
        let d = decimalDigitCount(c)
        let lead = Double(c >> 64 == 0 ? UInt64(c) : UInt64(c / Pow10.u128[d - 18]))
        let leadDigits = c >> 64 == 0 ? d : 18
        let log10x = log10Approximation(lead) + Double(e + d - leadDigits)
        let estimate = log10x * Double(n)
        let margin = 1.0 + abs(estimate) * 1e-9
        if estimate - margin > Double(ExactDecimal.maxAdjusted + 1) { throw .overflow }
        if estimate + margin < Double(ExactDecimal.minAdjusted) { throw .underflow }
        let (size, o) = d.multipliedReportingOverflow(by: Int(clamping: m))
        if o || size > ExactDecimal.maximumExactPowerDigits {
            throw .invalid("exponent too large: the exact power would need more than \(ExactDecimal.maximumExactPowerDigits) digits")
        }
        let mi = Int(m)
        let p = BigUInt(c).power(mi)
        if n > 0 {
            return try ExactDecimal.roundBig(negative: negative, p, e * mi, .zero).0
        }
        // 1 / (p × 10^(e·m)) = (10^s / p) × 10^(−s − e·m), with s chosen so the
        // quotient has 35 digits.
        let s = ExactDecimal.precision + p.decimalDigitCount
        let (q, r) = BigUInt.powerOfTen(s).quotientAndRemainder(dividingBy: p)
        let (v, exact) = try ExactDecimal.roundBig(negative: negative, q, -s - e * mi, r.isZero ? .zero : .belowHalf)
        return exact ? ExactDecimal.stripTrailingZeros(v, toward: -e * mi) : v
    }

    /// self^y. An integer-valued y takes the exact path of ``power(_:)-(Int)``;
    /// any other y is computed **approximately** as exp(y · ln self) in
    /// extended-precision decimal arithmetic (about 80 digits, never binary
    /// floating point) and rounded to 34 significant digits; the error is below
    /// one unit in the last place except in pathological near-tie cases.
    ///
    /// - Throws: ``ArithmeticError/invalid(_:)`` ("negative base with a
    ///   non-integer exponent"); ``ArithmeticError/divisionByZero`` for 0^y with
    ///   y < 0; ``ArithmeticError/overflow`` / ``ArithmeticError/underflow`` when
    ///   the result leaves the range; the errors of ``power(_:)-(Int)``.
    public func power(_ y: ExactDecimal) throws(ArithmeticError) -> ExactDecimal {
        if y.isInteger {
            if let n = y.int64Value { return try power(Int(n)) }
            // |y| ≥ 2^63: only 0, ±1 give an in-range result that is cheap to know;
            // for anything else, an Int exponent of the same sign and parity gives
            // the same outcome (an out-of-range or "too large" error).
            let (c, e) = y.normalized
            let even = e > 0 || c & 1 == 0
            let n: Int = y.isNegative ? (even ? Int.min : Int.min + 1) : (even ? Int.max - 1 : Int.max)
            return try power(n)
        }
        if isNegative { throw .invalid("negative base with a non-integer exponent") }
        if isZero {
            if y.isNegative { throw .divisionByZero }
            return .zero
        }
        if self == .one { return .one }
        return try ApproximatePower.power(self, y)
    }
}

/// log10 of a positive integer-valued Double, for range estimates only.
@usableFromInline
internal func log10Approximation(_ x: Double) -> Double {
    // ln via the exponent and a short series is enough for an estimate; avoid
    // importing Foundation into the numeric core.
    var m = x
    var k = 0.0
    while m >= 10 { m /= 10; k += 1 }
    // m in [1, 10): ln(m) = 2·atanh((m−1)/(m+1)).
    let z = (m - 1) / (m + 1)
    let z2 = z * z
    var term = z, sum = 0.0, i = 1.0
    for _ in 0..<60 { sum += term / i; term *= z2; i += 2 }
    return k + 2 * sum / 2.302585092994046
}

// MARK: - Rounding to places

extension ExactDecimal {
    /// The value rounded to a multiple of 10^-places with `mode`
    /// (LANGUAGE.md §3: `round`, `round_half_even`, `floor`, `ceil`,
    /// `truncate`). `places` may be negative: rounding 1234.5678 to −2 places
    /// gives 1200. The rounding is exact decimal: round(1.005, 2) = 1.01.
    /// A value that already has at most `places` fraction digits is returned
    /// unchanged. A zero result is the unsigned zero (round(−0.4) = 0).
    ///
    /// - Throws: ``ArithmeticError/overflow`` when rounding away from zero at a
    ///   huge negative `places` reaches 10^6145 (e.g. ceil(1, −6145)).
    public func rounded(places: Int, _ mode: RoundingMode) throws(ArithmeticError) -> ExactDecimal {
        if isZero { return self }
        let target = -min(max(places, -100_000), 100_000)
        let e = exponent
        if e >= target { return self }
        let k = target - e
        let negative = isNegative
        var q: UInt128
        var d: Discarded
        if k > 38 {
            q = 0
            d = .belowHalf          // c < 10^34 ≤ 10^(k−1): below half a unit
        } else {
            (q, d) = coefficient.shiftedRight(decimalDigits: k)
        }
        if d.roundsUp(mode, odd: q & 1 == 1, negative: negative) { q += 1 }
        if q == 0 { return .zero }
        if target + decimalDigitCount(q) - 1 > ExactDecimal.maxAdjusted { throw .overflow }
        return ExactDecimal(negative: negative, coefficient: q, exponent: target)
    }
}
