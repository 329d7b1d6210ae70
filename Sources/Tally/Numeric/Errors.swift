/// Why a piece of text is not a Tally number (LANGUAGE.md §1 "Number literals", §3, §12).
///
/// Thrown by ``ExactDecimal/init(parsing:)``. The parser and the data loader turn
/// it into a diagnostic that names the literal, or the record and field.
public enum DecimalParseError: Error, Sendable, Equatable {
    /// The text is not `[+-]? digits [. digits] [(e|E) [+-]? digits]`
    /// (for example `.5`, `5.`, `1,5`, `1e`, an empty string or a `_`).
    case syntax
    /// More than 34 significant digits, counted from the first to the last
    /// non-zero digit (IEEE 754 decimal128 precision; LANGUAGE.md §1, §3).
    case tooManyDigits
    /// The magnitude is 10^6145 or more, or it is non-zero and below 10^-6143
    /// (the decimal128 exponent range, LANGUAGE.md §3), e.g. `1e7000`.
    case outOfRange

    /// A short English description, suitable after "invalid number: ".
    public var message: String {
        switch self {
        case .syntax:
            return "malformed number (expected digits, an optional fraction and an optional exponent, e.g. 12, 3.5, 2.5e-3)"
        case .tooManyDigits:
            return "more than 34 significant digits"
        case .outOfRange:
            return "number out of range (its magnitude must be below 10^6145 and, unless it is zero, at least 10^-6143)"
        }
    }
}

/// Why an arithmetic operation on ``ExactDecimal`` has no result (LANGUAGE.md §3).
///
/// Tally never yields an infinity, a NaN, a subnormal or a wrapped value: every
/// such case is one of these errors, which the evaluator reports with the source
/// location and the subject.
public enum ArithmeticError: Error, Sendable, Equatable {
    /// The correctly rounded result has a magnitude of 10^6145 or more.
    case overflow
    /// The exact result is non-zero and its magnitude is below 10^-6143.
    case underflow
    /// A division by zero, including `0 / 0` and `0 ^ n` with n < 0.
    case divisionByZero
    /// Any other operation without a defined result; the string says why
    /// (e.g. "negative base with a non-integer exponent").
    case invalid(String)

    /// A short English description, suitable after "error: ".
    public var message: String {
        switch self {
        case .overflow: return "numeric overflow: the result's magnitude is 10^6145 or more"
        case .underflow: return "numeric underflow: the result is non-zero and below 10^-6143 in magnitude"
        case .divisionByZero: return "division by zero"
        case .invalid(let why): return why
        }
    }
}

/// How ``ExactDecimal/rounded(places:_:)`` picks between the two neighbouring
/// multiples of 10^-places (LANGUAGE.md §3 "Rounding functions").
public enum RoundingMode: Sendable, Hashable {
    /// Ties go away from zero: `round` in Tally, Excel `ROUND`, 四舍五入.
    /// round(2.5) = 3, round(-2.5) = -3, round(1.005, 2) = 1.01.
    case halfAwayFromZero
    /// Ties go to the even neighbour (banker's rounding, IEEE 754
    /// roundTiesToEven): `round_half_even`. round_half_even(0.125, 2) = 0.12.
    case halfEven
    /// Toward −∞: `floor`. floor(-1.5) = -2.
    case floor
    /// Toward +∞: `ceil`. ceil(-1.5) = -1.
    case ceiling
    /// Toward zero (truncation): `truncate`. truncate(-1.99) = -1.
    case towardZero
}
