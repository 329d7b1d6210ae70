// A small arbitrary-precision unsigned integer for the decimal core's slow
// paths: exact integer powers, apportionment of pools, and the extended
// precision used by non-integer powers. Internal; not a general-purpose bignum.

/// Arbitrary-precision unsigned integer: 64-bit limbs, least significant first,
/// no high zero limbs (zero has no limbs).
@usableFromInline
internal struct BigUInt: Sendable, Hashable, Comparable {
    @usableFromInline var limbs: [UInt64]

    @inlinable init() { limbs = [] }

    @inlinable init(_ v: UInt64) { limbs = v == 0 ? [] : [v] }

    @inlinable init(_ v: UInt128) {
        let l = UInt64(truncatingIfNeeded: v), h = UInt64(truncatingIfNeeded: v >> 64)
        limbs = h != 0 ? [l, h] : (l != 0 ? [l] : [])
    }

    @usableFromInline init(limbs: [UInt64]) {
        self.limbs = limbs
        normalize()
    }

    @usableFromInline mutating func normalize() {
        while let last = limbs.last, last == 0 { limbs.removeLast() }
    }

    @inlinable var isZero: Bool { limbs.isEmpty }

    /// The value when it fits in 128 bits.
    @usableFromInline var uint128: UInt128? {
        switch limbs.count {
        case 0: return 0
        case 1: return UInt128(limbs[0])
        case 2: return UInt128(limbs[1]) << 64 | UInt128(limbs[0])
        default: return nil
        }
    }

    @usableFromInline var bitWidth: Int {
        guard let last = limbs.last else { return 0 }
        return limbs.count * 64 - last.leadingZeroBitCount
    }

    @usableFromInline var isOdd: Bool { (limbs.first ?? 0) & 1 == 1 }

    // MARK: Comparison

    @usableFromInline static func compare(_ a: BigUInt, _ b: BigUInt) -> Int {
        if a.limbs.count != b.limbs.count { return a.limbs.count < b.limbs.count ? -1 : 1 }
        var i = a.limbs.count - 1
        while i >= 0 {
            if a.limbs[i] != b.limbs[i] { return a.limbs[i] < b.limbs[i] ? -1 : 1 }
            i -= 1
        }
        return 0
    }

    @usableFromInline static func < (a: BigUInt, b: BigUInt) -> Bool { compare(a, b) < 0 }

    // MARK: Addition and subtraction

    @usableFromInline static func + (a: BigUInt, b: BigUInt) -> BigUInt {
        let (long, short) = a.limbs.count >= b.limbs.count ? (a.limbs, b.limbs) : (b.limbs, a.limbs)
        var r = long
        var carry: UInt64 = 0
        for i in 0..<r.count {
            let (s1, o1) = r[i].addingReportingOverflow(i < short.count ? short[i] : 0)
            let (s2, o2) = s1.addingReportingOverflow(carry)
            r[i] = s2
            carry = (o1 ? 1 : 0) + (o2 ? 1 : 0)
            if carry == 0 && i >= short.count { break }
        }
        if carry != 0 { r.append(carry) }
        return BigUInt(limbs: r)
    }

    /// a - b; precondition a >= b.
    @usableFromInline static func - (a: BigUInt, b: BigUInt) -> BigUInt {
        precondition(compare(a, b) >= 0, "BigUInt subtraction underflow")
        var r = a.limbs
        var borrow: UInt64 = 0
        for i in 0..<r.count {
            let (d1, o1) = r[i].subtractingReportingOverflow(i < b.limbs.count ? b.limbs[i] : 0)
            let (d2, o2) = d1.subtractingReportingOverflow(borrow)
            r[i] = d2
            borrow = (o1 ? 1 : 0) + (o2 ? 1 : 0)
            if borrow == 0 && i >= b.limbs.count { break }
        }
        return BigUInt(limbs: r)
    }

    // MARK: Multiplication

    @usableFromInline static func * (a: BigUInt, b: BigUInt) -> BigUInt {
        if a.isZero || b.isZero { return BigUInt() }
        if b.limbs.count == 1 { return a.multiplied(bySmall: b.limbs[0]) }
        if a.limbs.count == 1 { return b.multiplied(bySmall: a.limbs[0]) }
        var r = [UInt64](repeating: 0, count: a.limbs.count + b.limbs.count)
        for i in 0..<a.limbs.count {
            let ai = a.limbs[i]
            if ai == 0 { continue }
            var carry: UInt64 = 0
            for j in 0..<b.limbs.count {
                let p = UInt128(ai) * UInt128(b.limbs[j]) + UInt128(r[i + j]) + UInt128(carry)
                r[i + j] = UInt64(truncatingIfNeeded: p)
                carry = UInt64(truncatingIfNeeded: p >> 64)
            }
            r[i + b.limbs.count] = carry
        }
        return BigUInt(limbs: r)
    }

    @usableFromInline func multiplied(bySmall m: UInt64) -> BigUInt {
        if m == 0 || isZero { return BigUInt() }
        var r = limbs
        var carry: UInt64 = 0
        for i in 0..<r.count {
            let p = UInt128(r[i]) * UInt128(m) + UInt128(carry)
            r[i] = UInt64(truncatingIfNeeded: p)
            carry = UInt64(truncatingIfNeeded: p >> 64)
        }
        if carry != 0 { r.append(carry) }
        return BigUInt(limbs: r)
    }

    @usableFromInline func multiplied(byPowerOfTen k: Int) -> BigUInt {
        if k <= 19 { return multiplied(bySmall: Pow10.u64[k]) }
        return self * BigUInt.powerOfTen(k)
    }

    /// self^n by binary exponentiation.
    @usableFromInline func power(_ n: Int) -> BigUInt {
        var result = BigUInt(1 as UInt64)
        var base = self
        var n = n
        while n > 0 {
            if n & 1 == 1 { result = result * base }
            n >>= 1
            if n > 0 { base = base * base }
        }
        return result
    }

    /// 10^k.
    @usableFromInline static func powerOfTen(_ k: Int) -> BigUInt {
        if k <= 38 { return BigUInt(Pow10.u128[k]) }
        return BigUInt(Pow10.u64[19]).power(k / 19).multiplied(bySmall: Pow10.u64[k % 19])
    }

    // MARK: Shifts

    @usableFromInline func shiftedLeft(bits s: Int) -> BigUInt {
        if isZero || s == 0 { return self }
        let limbShift = s / 64, bitShift = s % 64
        var r = [UInt64](repeating: 0, count: limbs.count + limbShift + 1)
        for i in 0..<limbs.count {
            r[i + limbShift] |= limbs[i] << bitShift
            if bitShift != 0 { r[i + limbShift + 1] |= limbs[i] >> (64 - bitShift) }
        }
        return BigUInt(limbs: r)
    }

    @usableFromInline func shiftedRight(bits s: Int) -> BigUInt {
        let limbShift = s / 64, bitShift = s % 64
        if limbShift >= limbs.count { return BigUInt() }
        var r = [UInt64](repeating: 0, count: limbs.count - limbShift)
        for i in 0..<r.count {
            r[i] = limbs[i + limbShift] >> bitShift
            if bitShift != 0 && i + limbShift + 1 < limbs.count {
                r[i] |= limbs[i + limbShift + 1] << (64 - bitShift)
            }
        }
        return BigUInt(limbs: r)
    }

    // MARK: Division

    /// Quotient and remainder of a division by a non-zero 64-bit divisor.
    @usableFromInline func quotientAndRemainder(dividingBySmall d: UInt64) -> (BigUInt, UInt64) {
        precondition(d != 0)
        var q = limbs
        var r: UInt64 = 0
        var i = q.count - 1
        while i >= 0 {
            let (qi, ri) = d.dividingFullWidth((high: r, low: q[i]))
            q[i] = qi
            r = ri
            i -= 1
        }
        return (BigUInt(limbs: q), r)
    }

    /// Quotient and remainder (Knuth, TAOCP vol. 2, §4.3.1, Algorithm D).
    @usableFromInline func quotientAndRemainder(dividingBy v: BigUInt) -> (BigUInt, BigUInt) {
        precondition(!v.isZero, "BigUInt division by zero")
        if BigUInt.compare(self, v) < 0 { return (BigUInt(), self) }
        if v.limbs.count == 1 {
            let (q, r) = quotientAndRemainder(dividingBySmall: v.limbs[0])
            return (q, BigUInt(r))
        }
        let s = v.limbs.last!.leadingZeroBitCount
        let vn = v.shiftedLeft(bits: s).limbs
        var un = self.shiftedLeft(bits: s).limbs
        let n = vn.count
        if un.count == limbs.count { un.append(0) }
        while un.count < limbs.count + 1 { un.append(0) }
        let m = un.count - n - 1
        var q = [UInt64](repeating: 0, count: m + 1)
        let vTop = vn[n - 1], vNext = vn[n - 2]
        var j = m
        while j >= 0 {
            // Estimate the quotient digit from the top two limbs.
            var qhat: UInt64
            var rhat: UInt64
            var rhatOverflow = false
            if un[j + n] >= vTop {
                qhat = UInt64.max
                let (s, o) = un[j + n - 1].addingReportingOverflow(vTop)
                // rhat = (un[j+n], un[j+n-1]) - qhat*vTop = un[j+n-1] + vTop when un[j+n] == vTop
                rhat = s
                rhatOverflow = o
            } else {
                (qhat, rhat) = vTop.dividingFullWidth((high: un[j + n], low: un[j + n - 1]))
            }
            while !rhatOverflow {
                let left = UInt128(qhat) * UInt128(vNext)
                let right = UInt128(rhat) << 64 | UInt128(un[j + n - 2])
                if left <= right { break }
                qhat -= 1
                let (s, o) = rhat.addingReportingOverflow(vTop)
                rhat = s
                rhatOverflow = o
            }
            // Multiply and subtract.
            var borrow: UInt64 = 0
            var carry: UInt64 = 0
            for i in 0..<n {
                let p = UInt128(qhat) * UInt128(vn[i]) + UInt128(carry)
                carry = UInt64(truncatingIfNeeded: p >> 64)
                let (d1, o1) = un[i + j].subtractingReportingOverflow(UInt64(truncatingIfNeeded: p))
                let (d2, o2) = d1.subtractingReportingOverflow(borrow)
                un[i + j] = d2
                borrow = (o1 ? 1 : 0) + (o2 ? 1 : 0)
            }
            let (d1, o1) = un[j + n].subtractingReportingOverflow(carry)
            let (d2, o2) = d1.subtractingReportingOverflow(borrow)
            un[j + n] = d2
            if o1 || o2 {
                // Estimate was one too large: add back.
                qhat -= 1
                var c: UInt64 = 0
                for i in 0..<n {
                    let sum = UInt128(un[i + j]) + UInt128(vn[i]) + UInt128(c)
                    un[i + j] = UInt64(truncatingIfNeeded: sum)
                    c = UInt64(truncatingIfNeeded: sum >> 64)
                }
                un[j + n] &+= c
            }
            q[j] = qhat
            j -= 1
        }
        let r = BigUInt(limbs: Array(un[0..<n])).shiftedRight(bits: s)
        return (BigUInt(limbs: q), r)
    }

    // MARK: Decimal digits

    /// Number of decimal digits (0 for 0).
    @usableFromInline var decimalDigitCount: Int {
        if let v = uint128 { return Tally.decimalDigitCount(v) }
        // 2^(bits−1) ≤ self < 2^bits, so the digit count lies between those of
        // the two bounds; log10(2) to 18 digits keeps the bounds exact for any
        // realistic size (the error stays below 10^-9 up to 10^9 bits).
        let bits = UInt128(bitWidth)
        let log10of2: UInt128 = 301_029_995_663_981_195        // × 10^-18
        let scale: UInt128 = 1_000_000_000_000_000_000
        let low = Int((bits - 1) * log10of2 / scale) + 1         // digits of 2^(bits−1)
        let high = Int(bits * log10of2 / scale) + 1              // digits of 2^bits, an upper bound
        if low == high { return low }
        return BigUInt.compare(self, BigUInt.powerOfTen(low)) >= 0 ? low + 1 : low
    }

    /// Divides by 10^k, returning the quotient and what was discarded.
    @usableFromInline func shiftedRight(decimalDigits k: Int) -> (BigUInt, Discarded) {
        if k == 0 { return (self, .zero) }
        if let v = uint128, k <= 38 {
            let (q, d) = v.shiftedRight(decimalDigits: k)
            return (BigUInt(q), d)
        }
        if k <= 19 {
            let (q, r) = quotientAndRemainder(dividingBySmall: Pow10.u64[k])
            return (q, .of(remainder: r, divisor: Pow10.u64[k]))
        }
        let p = BigUInt.powerOfTen(k)
        let (q, r) = quotientAndRemainder(dividingBy: p)
        let rest = p - r
        let c = BigUInt.compare(r, rest)
        let d: Discarded = r.isZero ? .zero : (c < 0 ? .belowHalf : (c == 0 ? .half : .aboveHalf))
        return (q, d)
    }

    /// Decimal digits, most significant first ("0" for zero).
    @usableFromInline var decimalString: String {
        if isZero { return "0" }
        var chunks: [UInt64] = []
        var v = self
        while !v.isZero {
            let (q, r) = v.quotientAndRemainder(dividingBySmall: Pow10.u64[19])
            chunks.append(r)
            v = q
        }
        var s = String(chunks.last!)
        for c in chunks.dropLast().reversed() {
            let t = String(c)
            s += String(repeating: "0", count: 19 - t.count) + t
        }
        return s
    }
}
