/// An exact decimal number with 34 significant digits: Tally's `number`
/// (LANGUAGE.md §3).
///
/// ## Semantics
/// - Precision: exactly 34 significant decimal digits, the precision of IEEE 754
///   decimal128 (also DMN FEEL's number). A result with at most 34 significant
///   digits is exact (`0.1 + 0.2 == 0.3`); a longer one is rounded **half-even**
///   to 34 significant digits. Every operation rounds once.
/// - Range: |x| < 10^6145. A result at or above that is ``ArithmeticError/overflow``;
///   a non-zero exact result below 10^-6143 in magnitude is
///   ``ArithmeticError/underflow``. There are no infinities, NaNs, subnormals or
///   silent wraps. (Underflow is judged on the exact result, before rounding,
///   as Python's `decimal` does when it signals `Subnormal`.)
/// - Zero is unsigned: `-0` parses to zero, ``isNegative`` is false for any zero and
///   zero prints as `0`.
/// - Equality, ordering and hashing are numeric: `1.50 == 1.5` and both hash alike.
///
/// ## Representation
/// A value is (−1)^sign × coefficient × 10^exponent with
/// 0 ≤ coefficient < 10^34 and −6176 ≤ exponent ≤ 6144, packed like the binary
/// integer decimal (BID) encoding of decimal128 into two 64-bit words, so the
/// struct is 16 bytes, trivially copyable and free of reference counting:
///
/// ```
/// hi: [63] sign | [62...49] exponent + 6176 (14 bits) | [48...0] coefficient bits 112...64
/// lo: coefficient bits 63...0
/// ```
/// The coefficient is not normalised (1.50 may be stored as 150 × 10^-2), so
/// that the common money operations (adding amounts with two fraction digits,
/// multiplying small values) stay in 64-bit arithmetic. Zero is always stored
/// as all bits zero except the exponent field (exponent 0, positive sign).
///
/// Operations take a fast path when both coefficients fit in 64 bits (the high
/// 49 coefficient bits are zero) and fall back to 128/256-bit arithmetic, and
/// to an internal big integer for exact powers.
public struct ExactDecimal: Sendable, BitwiseCopyable {
    @usableFromInline internal var lo: UInt64
    @usableFromInline internal var hi: UInt64

    // MARK: Layout constants

    /// Significant decimal digits (decimal128).
    @usableFromInline static let precision = 34
    /// Smallest stored exponent: a 34-digit coefficient just above 10^-6143.
    @usableFromInline static let minExponent = -6176
    /// Largest stored exponent: coefficient 1 × 10^6144.
    @usableFromInline static let maxExponent = 6144
    /// Largest adjusted exponent (exponent of the leading digit) of a value.
    @usableFromInline static let maxAdjusted = 6144
    /// Smallest adjusted exponent of a non-zero value.
    @usableFromInline static let minAdjusted = -6143
    @usableFromInline static let exponentBias = 6176
    @usableFromInline static let signBit: UInt64 = 1 << 63
    @usableFromInline static let exponentShift: UInt64 = 49
    @usableFromInline static let exponentMask: UInt64 = 0x3FFF
    @usableFromInline static let coefficientHighMask: UInt64 = (1 << 49) - 1
    /// 10^34, one more than the largest coefficient.
    @usableFromInline static let coefficientLimit: UInt128 = 10_000_000_000_000_000_000_000_000_000_000_000
    /// 10^33, the smallest 34-digit coefficient.
    @usableFromInline static let coefficientLimitOverTen: UInt128 = 1_000_000_000_000_000_000_000_000_000_000_000
    /// The `hi` word of zero (exponent 0, positive).
    @usableFromInline static let zeroHi: UInt64 = UInt64(exponentBias) << exponentShift

    // MARK: Raw access

    /// Builds a value from its parts without any check; the caller guarantees
    /// coefficient < 10^34 and minExponent ≤ exponent ≤ maxExponent.
    @inlinable @inline(__always)
    internal init(negative: Bool, coefficient: UInt128, exponent: Int) {
        if coefficient == 0 {
            lo = 0
            hi = ExactDecimal.zeroHi
            return
        }
        lo = UInt64(truncatingIfNeeded: coefficient)
        hi = (negative ? ExactDecimal.signBit : 0)
            | UInt64(truncatingIfNeeded: exponent &+ ExactDecimal.exponentBias) << ExactDecimal.exponentShift
            | UInt64(truncatingIfNeeded: coefficient >> 64)
    }

    /// Builds a value from a 64-bit coefficient without any check.
    @inlinable @inline(__always)
    internal init(negative: Bool, smallCoefficient c: UInt64, exponent: Int) {
        if c == 0 {
            lo = 0
            hi = ExactDecimal.zeroHi
            return
        }
        lo = c
        hi = (negative ? ExactDecimal.signBit : 0)
            | UInt64(truncatingIfNeeded: exponent &+ ExactDecimal.exponentBias) << ExactDecimal.exponentShift
    }

    @inlinable @inline(__always)
    internal init(lo: UInt64, hi: UInt64) { self.lo = lo; self.hi = hi }

    /// The coefficient, 0 ≤ c < 10^34.
    @inlinable @inline(__always)
    internal var coefficient: UInt128 {
        UInt128(hi & ExactDecimal.coefficientHighMask) << 64 | UInt128(lo)
    }

    /// True when the coefficient fits in 64 bits (then it is `lo`).
    @inlinable @inline(__always)
    internal var isSmall: Bool { hi & ExactDecimal.coefficientHighMask == 0 }

    /// The exponent: the value is ±coefficient × 10^exponent.
    @inlinable @inline(__always)
    internal var exponent: Int {
        Int(truncatingIfNeeded: (hi >> ExactDecimal.exponentShift) & ExactDecimal.exponentMask) &- ExactDecimal.exponentBias
    }

    /// The sign bit (never set for zero).
    @inlinable @inline(__always)
    internal var signBitSet: Bool { hi & ExactDecimal.signBit != 0 }

    // MARK: Public basics

    /// 0.
    public static let zero = ExactDecimal(negative: false, smallCoefficient: 0, exponent: 0)
    /// 1.
    public static let one = ExactDecimal(negative: false, smallCoefficient: 1, exponent: 0)

    /// The integer `value`, exactly (every `Int` has at most 19 digits).
    @inlinable
    public init(_ value: Int) {
        self.init(negative: value < 0, smallCoefficient: value.magnitude.toUInt64, exponent: 0)
    }

    /// The value `significand` × 10^`exponent`, exactly: (12345, −2) is 123.45.
    ///
    /// - Precondition: the value is in range: zero (any exponent), or a
    ///   magnitude of at least 10^-6143 and below 10^6145. (Every such value has
    ///   −6176 ≤ exponent ≤ 6144, since a 64-bit significand has at most 19 digits.)
    public init(significand: Int64, exponent: Int) {
        let c = significand.magnitude
        if c == 0 { self = .zero; return }
        precondition(exponent >= ExactDecimal.minExponent && exponent <= ExactDecimal.maxExponent
                     && exponent + decimalDigitCount(c) - 1 <= ExactDecimal.maxAdjusted
                     && exponent + decimalDigitCount(c) - 1 >= ExactDecimal.minAdjusted,
                     "ExactDecimal(significand: \(significand), exponent: \(exponent)) is out of range")
        self.init(negative: significand < 0, smallCoefficient: c, exponent: exponent)
    }

    /// True for zero (whatever sign it was written with).
    @inlinable public var isZero: Bool { lo == 0 && isSmall }

    /// True for values below zero; false for any zero.
    @inlinable public var isNegative: Bool { signBitSet }

    /// −self. Never fails (the range is symmetric); −0 is 0.
    @inlinable public var negated: ExactDecimal {
        if isZero { return self }
        return ExactDecimal(lo: lo, hi: hi ^ ExactDecimal.signBit)
    }

    /// |self|.
    @inlinable public var magnitude: ExactDecimal {
        ExactDecimal(lo: lo, hi: hi & ~ExactDecimal.signBit)
    }

    /// True when the value is a whole number (zero included).
    public var isInteger: Bool {
        if isZero { return true }
        let e = exponent
        if e >= 0 { return true }
        if -e > 34 { return false }            // c < 10^34 cannot be a multiple of 10^35
        return coefficient % Pow10.u128[-e] == 0
    }

    /// The value as an `Int64` when it is an integer within `Int64`'s range, else nil.
    public var int64Value: Int64? {
        if isZero { return 0 }
        let e = exponent
        var c = coefficient
        if e >= 0 {
            if e > 19 { return nil }
            let (p, o) = c.multipliedReportingOverflow(by: Pow10.u128[e])
            if o { return nil }
            c = p
        } else {
            if -e > 34 { return nil }
            let (q, r) = c.quotientAndRemainder(dividingBy: Pow10.u128[-e])
            if r != 0 { return nil }
            c = q
        }
        if isNegative {
            if c > UInt128(Int64.max) + 1 { return nil }
            return c == UInt128(Int64.max) + 1 ? Int64.min : -Int64(c)
        }
        return c > UInt128(Int64.max) ? nil : Int64(c)
    }

    // MARK: Derived quantities used by the algorithms

    /// Number of digits of the coefficient (0 for zero).
    @inlinable var digitCount: Int {
        isSmall ? decimalDigitCount(lo) : decimalDigitCount(coefficient)
    }

    /// The coefficient and exponent with trailing zeros removed (zero: (0, 0)).
    @usableFromInline var normalized: (coefficient: UInt128, exponent: Int) {
        if isZero { return (0, 0) }
        return ExactDecimal.stripTrailingZeros(coefficient, exponent, toward: Int.max / 2)
    }
}

extension UInt {
    @inlinable @inline(__always) var toUInt64: UInt64 { UInt64(truncatingIfNeeded: self) }
}

// MARK: - Equality, ordering, hashing

extension ExactDecimal: Equatable, Hashable, Comparable {
    /// Numeric equality: `1.50 == 1.5`, `-0 == 0`.
    @inlinable
    public static func == (a: ExactDecimal, b: ExactDecimal) -> Bool {
        if a.lo == b.lo && a.hi == b.hi { return true }
        return compare(a, b) == 0
    }

    /// Numeric order.
    @inlinable
    public static func < (a: ExactDecimal, b: ExactDecimal) -> Bool {
        compare(a, b) < 0
    }

    /// Hashes the normalised value, so numerically equal values hash alike.
    public func hash(into hasher: inout Hasher) {
        let (c, e) = normalized
        hasher.combine(c)
        hasher.combine(e)
        hasher.combine(isNegative)
    }

    /// −1, 0 or 1 as a is below, equal to or above b.
    @inlinable
    internal static func compare(_ a: ExactDecimal, _ b: ExactDecimal) -> Int {
        let an = a.signBitSet, bn = b.signBitSet
        if an != bn {
            // Different signs: the negative one is smaller (zero is never negative).
            return an ? -1 : 1
        }
        let m: Int
        if a.isSmall && b.isSmall && a.hi == b.hi {
            // Same exponent and sign, 64-bit coefficients.
            m = a.lo == b.lo ? 0 : (a.lo < b.lo ? -1 : 1)
        } else {
            m = compareMagnitudes(a, b)
        }
        return an ? -m : m
    }

    /// Compares |a| with |b|.
    @usableFromInline
    internal static func compareMagnitudes(_ a: ExactDecimal, _ b: ExactDecimal) -> Int {
        let az = a.isZero, bz = b.isZero
        if az || bz { return az && bz ? 0 : (az ? -1 : 1) }
        let ea = a.exponent, eb = b.exponent
        let da = a.digitCount, db = b.digitCount
        let adjA = ea + da - 1, adjB = eb + db - 1
        if adjA != adjB { return adjA < adjB ? -1 : 1 }
        // Same leading digit position: align the one with the larger exponent
        // (it has fewer digits, so the shifted coefficient still has ≤ 34 digits).
        var ca = a.coefficient, cb = b.coefficient
        if ea > eb { ca *= Pow10.u128[ea - eb] } else if eb > ea { cb *= Pow10.u128[eb - ea] }
        return ca == cb ? 0 : (ca < cb ? -1 : 1)
    }
}

// MARK: - Text

extension ExactDecimal: CustomStringConvertible, LosslessStringConvertible {
    /// Parses a Tally number: `[+-]? digits [. digits] [(e|E) [+-]? digits]`
    /// (LANGUAGE.md §1 "Number literals"; also JSON and CSV numbers, §12).
    ///
    /// The text is read exactly, never through binary floating point: `0.1` is
    /// exactly one tenth. Digit-group underscores are not accepted (the lexer
    /// strips them); a leading or trailing `.` is a syntax error.
    ///
    /// - Throws: ``DecimalParseError/syntax`` for malformed text,
    ///   ``DecimalParseError/tooManyDigits`` for more than 34 significant digits
    ///   (counted from the first to the last non-zero digit, so `1` followed by
    ///   39 zeros is fine), ``DecimalParseError/outOfRange`` when the magnitude is
    ///   at least 10^6145 or non-zero and below 10^-6143.
    public init(parsing text: some StringProtocol) throws(DecimalParseError) {
        var result: ExactDecimal?
        var error: DecimalParseError = .syntax
        var copy = String(text)
        copy.withUTF8 { buffer in
            do throws(DecimalParseError) {
                result = try ExactDecimal.parse(buffer)
            } catch let e {
                error = e
            }
        }
        guard let r = result else { throw error }
        self = r
    }

    /// `LosslessStringConvertible`: nil when the text is not a valid number.
    public init?(_ description: String) {
        guard let v = try? ExactDecimal(parsing: description) else { return nil }
        self = v
    }

    @usableFromInline
    static func parse(_ u: UnsafeBufferPointer<UInt8>) throws(DecimalParseError) -> ExactDecimal {
        let n = u.count
        var i = 0
        var negative = false
        if i < n && (u[i] == UInt8(ascii: "+") || u[i] == UInt8(ascii: "-")) {
            negative = u[i] == UInt8(ascii: "-")
            i += 1
        }
        var coefficient: UInt128 = 0
        var significant = 0          // digits accumulated into `coefficient`
        var pendingZeros = 0         // zeros after the last non-zero digit, not yet accumulated
        var fractionDigits = 0
        var tooMany = false

        @inline(__always) func take(_ d: UInt8) {
            if d == 0 {
                if significant > 0 { pendingZeros += 1 }
                return
            }
            if significant + pendingZeros + 1 > 34 { tooMany = true; return }
            coefficient = coefficient * Pow10.u128[pendingZeros + 1] + UInt128(d)
            significant += pendingZeros + 1
            pendingZeros = 0
        }

        // Integer part: at least one digit.
        let intStart = i
        while i < n, u[i] &- 48 < 10 { if !tooMany { take(u[i] &- 48) }; i += 1 }
        if i == intStart { throw .syntax }
        // Fraction part.
        if i < n && u[i] == UInt8(ascii: ".") {
            i += 1
            let fracStart = i
            while i < n, u[i] &- 48 < 10 {
                if !tooMany { take(u[i] &- 48) }
                fractionDigits += 1
                i += 1
            }
            if i == fracStart { throw .syntax }
        }
        // Exponent part.
        var exponentPart = 0
        if i < n && (u[i] == UInt8(ascii: "e") || u[i] == UInt8(ascii: "E")) {
            i += 1
            var expNegative = false
            if i < n && (u[i] == UInt8(ascii: "+") || u[i] == UInt8(ascii: "-")) {
                expNegative = u[i] == UInt8(ascii: "-")
                i += 1
            }
            let expStart = i
            while i < n, u[i] &- 48 < 10 {
                // Saturate: anything beyond a billion is out of range anyway.
                if exponentPart < 1_000_000_000 { exponentPart = exponentPart * 10 + Int(u[i] &- 48) }
                i += 1
            }
            if i == expStart { throw .syntax }
            if expNegative { exponentPart = -exponentPart }
        }
        if i != n { throw .syntax }
        if tooMany { throw .tooManyDigits }
        if coefficient == 0 { return .zero }
        // The digits accumulated so far (significant) are followed by
        // `pendingZeros` zeros; the decimal point sits `fractionDigits` from the end.
        let e = exponentPart - fractionDigits + pendingZeros
        let adjusted = e + significant - 1
        if adjusted > maxAdjusted || adjusted < minAdjusted { throw .outOfRange }
        return ExactDecimal(negative: negative, coefficient: coefficient, exponent: e)
    }

    /// Canonical text (LANGUAGE.md §11): plain decimal notation, never an
    /// exponent (10^40 prints as 1 followed by 40 zeros), no trailing fraction
    /// zeros (`1.50` → `1.5`, `3.0` → `3`), zero as `0` (never `-0`), and a
    /// leading `-` for negative values. `ExactDecimal(parsing:)` reads it back
    /// to an equal value.
    public var description: String { text(minimumFractionDigits: 0) }

    /// The value in plain decimal notation with at least `minimumFractionDigits`
    /// fraction digits, and more only up to the last non-zero one; the value is
    /// never rounded. This is the money form of LANGUAGE.md §11 with the
    /// currency's minor units: 13500 → `13500.00`, 0.125 → `0.125`,
    /// −0.5 → `-0.50`, 0 → `0.00` (minimum 2). Negative minimums count as 0.
    public func formatted(minimumFractionDigits: Int) -> String {
        text(minimumFractionDigits: max(0, minimumFractionDigits))
    }

    internal func text(minimumFractionDigits minFrac: Int) -> String {
        var (c, e) = normalized
        let negative = isNegative
        if c == 0 { e = 0 }
        // Most coefficients fit in 64 bits, whose decimal conversion is far
        // cheaper than the generic 128-bit one.
        let digits: [UInt8] = c == 0 ? [48] : c <= UInt128(UInt64.max) ? Array(String(UInt64(c)).utf8) : Array(String(c).utf8)
        var out: [UInt8] = []
        out.reserveCapacity(digits.count + max(0, e) + max(0, -e) + minFrac + 3)
        if negative { out.append(UInt8(ascii: "-")) }
        if e >= 0 {
            out.append(contentsOf: digits)
            if c != 0 { out.append(contentsOf: repeatElement(48, count: e)) }
            if minFrac > 0 {
                out.append(UInt8(ascii: "."))
                out.append(contentsOf: repeatElement(48, count: minFrac))
            }
        } else {
            let fracLen = -e
            if fracLen < digits.count {
                out.append(contentsOf: digits[0..<(digits.count - fracLen)])
                out.append(UInt8(ascii: "."))
                out.append(contentsOf: digits[(digits.count - fracLen)...])
            } else {
                out.append(48)
                out.append(UInt8(ascii: "."))
                out.append(contentsOf: repeatElement(48, count: fracLen - digits.count))
                out.append(contentsOf: digits)
            }
            if minFrac > fracLen { out.append(contentsOf: repeatElement(48, count: minFrac - fracLen)) }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

// MARK: - Codable

extension ExactDecimal: Codable {
    /// Decodes the canonical text form (a JSON string such as `"0.85"`);
    /// any text accepted by ``init(parsing:)`` is accepted.
    ///
    /// - Throws: `DecodingError.dataCorrupted` when the string is not a valid number.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try ExactDecimal(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "invalid number \"\(text)\": \(error.message)")
        }
    }

    /// Encodes the canonical text (``description``) as a single string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
