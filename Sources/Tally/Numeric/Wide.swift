// Fixed-width helpers for the exact decimal core: powers of ten, decimal digit
// counts, a 256-bit unsigned integer and the "what was discarded" state used
// for correctly rounded results. Everything here is internal.

/// Powers of ten and their reciprocals as lookup tables. The tables are
/// array literals of constants, so optimised builds place them in static data
/// (no lazy initialisation on access).
@usableFromInline
internal enum Pow10 {
    /// 10^0 ... 10^19 (10^19 is the largest power of ten below 2^64).
    @usableFromInline
    static let u64: [UInt64] = [1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000, 10000000000, 100000000000, 1000000000000, 10000000000000, 100000000000000, 1000000000000000, 10000000000000000, 100000000000000000, 1000000000000000000, 10000000000000000000]

    /// 10^0 ... 10^38 (10^38 is the largest power of ten below 2^128).
    @usableFromInline
    static let u128: [UInt128] = [
        1,
        10,
        100,
        1000,
        10000,
        100000,
        1000000,
        10000000,
        100000000,
        1000000000,
        10000000000,
        100000000000,
        1000000000000,
        10000000000000,
        100000000000000,
        1000000000000000,
        10000000000000000,
        100000000000000000,
        1000000000000000000,
        10000000000000000000,
        100000000000000000000,
        1000000000000000000000,
        10000000000000000000000,
        100000000000000000000000,
        1000000000000000000000000,
        10000000000000000000000000,
        100000000000000000000000000,
        1000000000000000000000000000,
        10000000000000000000000000000,
        100000000000000000000000000000,
        1000000000000000000000000000000,
        10000000000000000000000000000000,
        100000000000000000000000000000000,
        1000000000000000000000000000000000,
        10000000000000000000000000000000000,
        100000000000000000000000000000000000,
        1000000000000000000000000000000000000,
        10000000000000000000000000000000000000,
        100000000000000000000000000000000000000,
    ]

    /// For 10^k (k = 0 ... 19): the left shift that normalises it (top bit set).
    @usableFromInline
    static let shift: [UInt8] = [63, 60, 57, 54, 50, 47, 44, 40, 37, 34, 30, 27, 24, 20, 17, 14, 10, 7, 4, 0]

    /// For 10^k (k = 0 ... 19): 10^k << shift[k].
    @usableFromInline
    static let normalized: [UInt64] = [0x8000000000000000, 0xa000000000000000, 0xc800000000000000, 0xfa00000000000000, 0x9c40000000000000, 0xc350000000000000, 0xf424000000000000, 0x9896800000000000, 0xbebc200000000000, 0xee6b280000000000, 0x9502f90000000000, 0xba43b74000000000, 0xe8d4a51000000000, 0x9184e72a00000000, 0xb5e620f480000000, 0xe35fa931a0000000, 0x8e1bc9bf04000000, 0xb1a2bc2ec5000000, 0xde0b6b3a76400000, 0x8ac7230489e80000]

    /// For 10^k (k = 0 ... 19): the reciprocal ⌊(2^128 − 1) / normalized[k]⌋ − 2^64
    /// used by `divide2by1` (Möller & Granlund, "Improved division by invariant
    /// integers", IEEE Trans. Computers 60(2), 2011, algorithm 4).
    @usableFromInline
    static let reciprocal: [UInt64] = [0xffffffffffffffff, 0x9999999999999999, 0x47ae147ae147ae14, 0x624dd2f1a9fbe76, 0xa36e2eb1c432ca57, 0x4f8b588e368f0846, 0xc6f7a0b5ed8d36b, 0xad7f29abcaf48578, 0x5798ee2308c39df9, 0x12e0be826d694b2e, 0xb7cdfd9d7bdbab7d, 0x5fd7fe17964955fd, 0x19799812dea11197, 0xc25c268497681c26, 0x6849b86a12b9b01e, 0x203af9ee756159b2, 0xcd2b297d889bc2b6, 0x70ef54646d496892, 0x2725dd1d243aba0e, 0xd83c94fb6d2ac34a]
}

/// Divides the two-limb number (u1, u0) by the normalised divisor d (top bit
/// set) with its reciprocal v = ⌊(2^128 − 1)/d⌋ − 2^64, given u1 < d: two
/// multiplications instead of a hardware division (Möller & Granlund 2011,
/// algorithm 4).
@inlinable @inline(__always)
internal func divide2by1(_ u1: UInt64, _ u0: UInt64, _ d: UInt64, _ v: UInt64) -> (quotient: UInt64, remainder: UInt64) {
    let p = v.multipliedFullWidth(by: u1)
    let (q0, carry) = p.low.addingReportingOverflow(u0)
    var q1 = p.high &+ u1 &+ (carry ? 1 : 0) &+ 1
    var r = u0 &- q1 &* d
    if r > q0 {
        q1 &-= 1
        r &+= d
    }
    if r >= d {
        q1 &+= 1
        r &-= d
    }
    return (q1, r)
}

/// The reciprocal of a normalised divisor, for `divide2by1` (one hardware
/// division, amortised over several limbs).
@inlinable
internal func reciprocal(ofNormalized d: UInt64) -> UInt64 {
    d.dividingFullWidth((high: ~d, low: UInt64.max)).quotient
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

    /// Quotient and remainder of a division by a non-zero 64-bit divisor:
    /// one hardware division for the reciprocal, then two multiplications per limb.
    @inlinable
    func quotientAndRemainder(dividingBy divisor: UInt64) -> (quotient: U256, remainder: UInt64) {
        if hi == 0 {
            let (q, r) = lo.quotientAndRemainder(dividingBySmall: divisor)
            return (U256(q), r)
        }
        let s = UInt64(divisor.leadingZeroBitCount)
        let d = divisor << s
        return quotientAndRemainder(normalizedDivisor: d, reciprocal: reciprocal(ofNormalized: d), shift: s)
    }

    /// Division by d = divisor << shift (top bit set) with its reciprocal.
    @inlinable
    func quotientAndRemainder(normalizedDivisor d: UInt64, reciprocal v: UInt64, shift s: UInt64) -> (quotient: U256, remainder: UInt64) {
        var l = limbs
        var top: UInt64 = 0
        if s != 0 {
            top = l.3 >> (64 - s)
            l.3 = l.3 << s | l.2 >> (64 - s)
            l.2 = l.2 << s | l.1 >> (64 - s)
            l.1 = l.1 << s | l.0 >> (64 - s)
            l.0 = l.0 << s
        }
        var q3: UInt64 = 0, r3 = top
        if top != 0 || l.3 >= d { (q3, r3) = divide2by1(top, l.3, d, v) } else { r3 = l.3 }
        let (q2, r2) = divide2by1(r3, l.2, d, v)
        let (q1, r1) = divide2by1(r2, l.1, d, v)
        let (q0, r0) = divide2by1(r1, l.0, d, v)
        return (U256(limbs: (q0, q1, q2, q3)), r0 >> s)
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
        if hi == 0 && k <= 38 {
            let (q, d) = lo.shiftedRight(decimalDigits: k)
            return (U256(q), d)
        }
        if k <= 19 {
            let (q, r) = quotientAndRemainder(normalizedDivisor: Pow10.normalized[k], reciprocal: Pow10.reciprocal[k],
                                              shift: UInt64(Pow10.shift[k]))
            return (q, .of(remainder: r, divisor: Pow10.u64[k]))
        }
        // Peel off 19 digits at a time; the lowest part only matters as "non-zero".
        let (q1, r1) = quotientAndRemainder(normalizedDivisor: Pow10.normalized[19], reciprocal: Pow10.reciprocal[19], shift: 0)
        let (q, d) = q1.shiftedRight(decimalDigits: k - 19)
        return (q, d.combined(withLower: r1 == 0 ? .zero : .belowHalf))
    }
}

extension UInt128 {
    /// Quotient and remainder of a division by 10^k, 0 ≤ k ≤ 19, by
    /// multiplication with a precomputed reciprocal.
    @inlinable @inline(__always)
    internal func dividedByPowerOfTen(_ k: Int) -> (quotient: UInt128, remainder: UInt64) {
        let s = UInt64(Pow10.shift[k]), d = Pow10.normalized[k], v = Pow10.reciprocal[k]
        let hi = UInt64(truncatingIfNeeded: self >> 64), lo = UInt64(truncatingIfNeeded: self)
        // Shift the dividend by s, into three limbs (top, h, l).
        let top = s == 0 ? 0 : hi >> (64 &- s)
        let h = s == 0 ? hi : (hi << s) | (lo >> (64 &- s))
        let l = lo << s
        let (q1, r1) = divide2by1(top, h, d, v)
        let (q0, r0) = divide2by1(r1, l, d, v)
        return (UInt128(q1) << 64 | UInt128(q0), r0 >> s)
    }

    /// Divides by 10^k (0 ≤ k ≤ 38), returning the quotient and what was discarded.
    @inlinable
    internal func shiftedRight(decimalDigits k: Int) -> (UInt128, Discarded) {
        if k == 0 { return (self, .zero) }
        if k <= 19 {
            let (q, r) = dividedByPowerOfTen(k)
            return (q, .of(remainder: r, divisor: Pow10.u64[k]))
        }
        // Two steps: the lower 19 digits only matter as "non-zero".
        let (q1, r1) = dividedByPowerOfTen(19)
        let (q, r) = q1.dividedByPowerOfTen(k - 19)
        return (q, Discarded.of(remainder: r, divisor: Pow10.u64[k - 19]).combined(withLower: r1 == 0 ? .zero : .belowHalf))
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
