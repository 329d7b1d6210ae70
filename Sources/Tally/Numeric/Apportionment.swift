/// Largest-remainder (Hamilton) apportionment of a pool total into whole
/// minor units (LANGUAGE.md §8 "Incentives and pools").
public enum Apportionment {
    /// Splits `total` minor units in proportion to `shares`, exactly.
    ///
    /// With T = `total` and S = Σ sᵢ, person i first gets ⌊T·sᵢ/S⌋ units; the
    /// T − Σ⌊T·sᵢ/S⌋ units left over (fewer than the number of people) go one
    /// each to the largest remainders T·sᵢ mod S. Remainders are compared as
    /// exact integers over the common denominator S, never through rounded
    /// quotients. Ties go to the larger share, then to the lower id in Unicode
    /// code-point order (`ids[i].unicodeScalars`, not `String` `<`, which
    /// compares by canonical equivalence). The parts sum to `total` exactly.
    ///
    /// - Parameters:
    ///   - total: a non-negative integer count of minor units (60000 for 600.00 CNY).
    ///   - shares: non-negative decimals with a positive sum.
    ///   - ids: one id per share, used only to break ties.
    /// - Returns: integer minor-unit parts, in the order of `shares`.
    /// - Throws: ``ArithmeticError/invalid(_:)`` when `total` is negative or not
    ///   an integer, a share is negative, the counts differ, the shares sum to
    ///   zero (the caller reports an empty pool as a warning before calling),
    ///   or a part would need more than 34 digits.
    public static func largestRemainder(total: ExactDecimal, shares: [ExactDecimal], ids: [String]) throws(ArithmeticError) -> [ExactDecimal] {
        guard shares.count == ids.count else {
            throw .invalid("apportionment needs one id per share (\(shares.count) shares, \(ids.count) ids)")
        }
        guard !total.isNegative else { throw .invalid("a pool total cannot be negative (\(total))") }
        guard total.isInteger else { throw .invalid("a pool total must be a whole number of minor units (\(total))") }
        for s in shares where s.isNegative { throw .invalid("a pool share cannot be negative (\(s))") }

        // Bring every share to integers over a common power of ten: sᵢ = mᵢ / 10^scale.
        let normalized = shares.map { $0.normalized }
        var scale = 0
        for (c, e) in normalized where c != 0 { scale = max(scale, -e) }
        let m: [BigUInt] = normalized.map { c, e in c == 0 ? BigUInt() : BigUInt(c).multiplied(byPowerOfTen: e + scale) }
        var sum = BigUInt()
        for x in m { sum = sum + x }
        guard !sum.isZero else { throw .invalid("the pool shares sum to zero") }

        let (tc, te) = total.normalized
        let t = tc == 0 ? BigUInt() : BigUInt(tc).multiplied(byPowerOfTen: te)

        var parts: [BigUInt] = []
        var remainders: [BigUInt] = []
        parts.reserveCapacity(m.count)
        remainders.reserveCapacity(m.count)
        var given = BigUInt()
        for x in m {
            let (q, r) = (t * x).quotientAndRemainder(dividingBy: sum)
            parts.append(q)
            remainders.append(r)
            given = given + q
        }
        // Fewer than shares.count units are left over.
        var leftover = Int((t - given).uint128!)
        if leftover > 0 {
            let order = m.indices.sorted { i, j in
                let c = BigUInt.compare(remainders[i], remainders[j])
                if c != 0 { return c > 0 }
                let s = BigUInt.compare(m[i], m[j])
                if s != 0 { return s > 0 }
                return ids[i].unicodeScalars.lexicographicallyPrecedes(ids[j].unicodeScalars)
            }
            for i in order where leftover > 0 {
                parts[i] = parts[i] + BigUInt(1 as UInt64)
                leftover -= 1
            }
        }
        var result: [ExactDecimal] = []
        result.reserveCapacity(parts.count)
        for p in parts {
            guard let v = p.uint128, v < ExactDecimal.coefficientLimit else {
                throw .invalid("a pool part would need more than 34 digits")
            }
            result.append(ExactDecimal(negative: false, coefficient: v, exponent: 0))
        }
        return result
    }
}
