// Fixed-width helpers for the exact decimal core: powers of ten, decimal digit
// counts, a 256-bit unsigned integer and the "what was discarded" state used
// for correctly rounded results. Everything here is internal.

/// Powers of ten as lookup tables.
@usableFromInline
internal enum Pow10 {
    /// 10^0 ... 10^19 (10^19 is the largest power of ten below 2^64).
    @usableFromInline
    static let u64: [UInt64] = {
        var t: [UInt64] = [1]
        for _ in 1...19 { t.append(t.last! &* 10) }
        return t
    }()

    /// 10^0 ... 10^38 (10^38 is the largest power of ten below 2^128).
    @usableFromInline
    static let u128: [UInt128] = {
        var t: [UInt128] = [1]
        for _ in 1...38 { t.append(t.last! &* 10) }
        return t
    }()
}

/// Number of decimal digits of `x` (0 for 0).
@inlinable
internal func decimalDigitCount(_ x: UInt64) -> Int {
    let bits = 64 - x.leadingZeroBitCount
    let approx = (bits &* 1233) >> 12          // floor(bits * log10(2)), may be one low
    return x >= Pow10.u64[approx] ? approx &+ 1 : approx
}

/// Number of decimal digits of `x` (0 for 0).
@inlinable
internal func decimalDigitCount(_ x: UInt128) -> Int {
    if x >> 64 == 0 { return decimalDigitCount(UInt64(truncatingIfNeeded: x)) }
    let bits = 128 - x.leadingZeroBitCount
    let approx = (bits &* 1233) >> 12
    return x >= Pow10.u128[approx] ? approx &+ 1 : approx
}

/// What was discarded by a division by a power of ten (or any truncation),
/// relative to one unit of the last kept digit: exactly nothing, less than a
/// half, exactly a half, or more than a half. This is the classic
/// round-digit + sticky-bit pair, and it is all that correct rounding needs.
@usableFromInline
internal enum Discarded: Sendable {
    case zero, belowHalf, half, aboveHalf

    /// Combines the state of a higher discarded part (`self`, from a division by
    /// 10^k with k >= 1) with a non-empty or empty lower part `lower` (the part
    /// already discarded below it, strictly less than one unit of the higher
    /// part's last digit).
    @inlinable
    func combined(withLower lower: Discarded) -> Discarded {
        if case .zero = lower { return self }
        switch self {
        case .zero: return .belowHalf
        case .half: return .aboveHalf
        default: return self
        }
    }

    /// The state of a remainder `r` of a division by `divisor` (r < divisor).
    @inlinable
    static func of<T: BinaryInteger>(remainder r: T, divisor: T) -> Discarded {
        if r == 0 { return .zero }
        // Compare r with divisor/2 without overflow: 2r vs divisor, via r vs divisor - r.
        let rest = divisor - r
        if r < rest { return .belowHalf }
        if r == rest { return .half }
        return .aboveHalf
    }
}

/// Unsigned 256-bit integer as two 128-bit halves. Only the operations the
/// decimal core needs.
@usableFromInline
internal struct U256: Sendable, Equatable {
    @usableFromInline var hi: UInt128
    @usableFromInline var lo: UInt128

    @inlinable init(hi: UInt128, lo: UInt128) { self.hi = hi; self.lo = lo }
    @inlinable init(_ x: UInt128) { hi = 0; lo = x }

    /// Full product of two 128-bit values.
    @inlinable
    static func product(_ a: UInt128, _ b: UInt128) -> U256 {
        let p = a.multipliedFullWidth(by: b)
        return U256(hi: p.high, lo: p.low)
    }

    @inlinable var isZero: Bool { hi == 0 && lo == 0 }

    /// self × m; the caller guarantees the product fits in 256 bits.
    @inlinable
    func multiplied(by m: UInt64) -> U256 {
        let m128 = UInt128(m)
        let l = lo.multipliedFullWidth(by: m128)
        let h = hi &* m128
        return U256(hi: h &+ l.high, lo: l.low)
    }

    /// self × 10^k; the caller guarantees the product fits in 256 bits.
    @inlinable
    func multiplied(byPowerOfTen k: Int) -> U256 {
        var r = self
        var k = k
        while k > 0 {
            let step = min(k, 19)
            r = r.multiplied(by: Pow10.u64[step])
            k -= step
        }
        return r
    }

    /// Limbs, least significant first.
    @inlinable var limbs: (UInt64, UInt64, UInt64, UInt64) {
        (UInt64(truncatingIfNeeded: lo), UInt64(truncatingIfNeeded: lo >> 64),
         UInt64(truncatingIfNeeded: hi), UInt64(truncatingIfNeeded: hi >> 64))
    }

    @inlinable
    init(limbs l: (UInt64, UInt64, UInt64, UInt64)) {
        lo = UInt128(l.1) << 64 | UInt128(l.0)
        hi = UInt128(l.3) << 64 | UInt128(l.2)
    }

    /// Quotient and remainder of a division by a non-zero 64-bit divisor.
    @inlinable
    func quotientAndRemainder(dividingBy d: UInt64) -> (quotient: U256, remainder: UInt64) {
        if hi == 0 {
            // 128-bit dividend: two hardware divisions.
            let l1 = UInt64(truncatingIfNeeded: lo >> 64), l0 = UInt64(truncatingIfNeeded: lo)
            let q1 = l1 / d, r1 = l1 % d
            let (q0, r0) = d.dividingFullWidth((high: r1, low: l0))
            return (U256(hi: 0, lo: UInt128(q1) << 64 | UInt128(q0)), r0)
        }
        let l = limbs
        let q3 = l.3 / d, r3 = l.3 % d
        let (q2, r2) = d.dividingFullWidth((high: r3, low: l.2))
        let (q1, r1) = d.dividingFullWidth((high: r2, low: l.1))
        let (q0, r0) = d.dividingFullWidth((high: r1, low: l.0))
        return (U256(limbs: (q0, q1, q2, q3)), r0)
    }

    /// Number of decimal digits (0 for 0).
    @inlinable
    var decimalDigitCount: Int {
        if hi == 0 { return Tally.decimalDigitCount(lo) }
        // 2^128 <= self < 2^256: between 39 and 78 digits.
        let bits = 256 - hi.leadingZeroBitCount
        let approx = (bits &* 1233) >> 12
        return self >= U256.powerOfTen(approx) ? approx + 1 : approx
    }

    /// 10^k for 0 <= k <= 77.
    @inlinable
    static func powerOfTen(_ k: Int) -> U256 {
        if k <= 38 { return U256(Pow10.u128[k]) }
        return product(Pow10.u128[38], Pow10.u128[k - 38])
    }

    @inlinable
    static func >= (a: U256, b: U256) -> Bool {
        a.hi != b.hi ? a.hi > b.hi : a.lo >= b.lo
    }

    /// Divides by 10^k (0 <= k <= 77), returning the quotient and what was
    /// discarded, relative to one unit of the quotient.
    @inlinable
    func shiftedRight(decimalDigits k: Int) -> (U256, Discarded) {
        if k == 0 { return (self, .zero) }
        if k <= 19 {
            let (q, r) = quotientAndRemainder(dividingBy: Pow10.u64[k])
            return (q, .of(remainder: r, divisor: Pow10.u64[k]))
        }
        // Peel off 19 digits at a time; the lowest part only matters as "non-zero".
        let (q1, r1) = quotientAndRemainder(dividingBy: Pow10.u64[19])
        let (q, d) = q1.shiftedRight(decimalDigits: k - 19)
        return (q, d.combined(withLower: r1 == 0 ? .zero : .belowHalf))
    }
}

extension UInt128 {
    /// Divides by 10^k (0 <= k <= 38), returning the quotient and what was discarded.
    @inlinable
    internal func shiftedRight(decimalDigits k: Int) -> (UInt128, Discarded) {
        if k == 0 { return (self, .zero) }
        if k <= 19 {
            let d = Pow10.u64[k]
            let l1 = UInt64(truncatingIfNeeded: self >> 64), l0 = UInt64(truncatingIfNeeded: self)
            let q1 = l1 / d, r1 = l1 % d
            let (q0, r0) = d.dividingFullWidth((high: r1, low: l0))
            return (UInt128(q1) << 64 | UInt128(q0), .of(remainder: r0, divisor: d))
        }
        let p = Pow10.u128[k]
        let (q, r) = self.quotientAndRemainder(dividingBy: p)
        return (q, .of(remainder: r, divisor: p))
    }

    /// Quotient and remainder of a division by a non-zero 64-bit divisor
    /// (two hardware divisions instead of a generic 128-bit division).
    @inlinable
    internal func quotientAndRemainder(dividingBySmall d: UInt64) -> (quotient: UInt128, remainder: UInt64) {
        let l1 = UInt64(truncatingIfNeeded: self >> 64), l0 = UInt64(truncatingIfNeeded: self)
        let q1 = l1 / d, r1 = l1 % d
        let (q0, r0) = d.dividingFullWidth((high: r1, low: l0))
        return (UInt128(q1) << 64 | UInt128(q0), r0)
    }
}
