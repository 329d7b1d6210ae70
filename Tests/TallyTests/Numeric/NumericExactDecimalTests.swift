import Foundation
import XCTest
@testable import Tally

/// Unit tests for the examples of LANGUAGE.md §3 and §11 and of the numeric
/// core's brief. Expected values are computed by hand or with Python's
/// `decimal` module (prec=34, ROUND_HALF_EVEN), as noted.
final class NumericExactDecimalTests: XCTestCase {
    func d(_ s: String) -> ExactDecimal { try! ExactDecimal(parsing: s) }

    // MARK: Layout

    func testLayoutIsSixteenBytesAndTriviallyCopyable() {
        XCTAssertEqual(MemoryLayout<ExactDecimal>.size, 16)
        XCTAssertTrue(_isPOD(ExactDecimal.self))
        XCTAssertEqual(MemoryLayout<Currency>.size, 4)
        XCTAssertTrue(_isPOD(Money.self))
    }

    // MARK: §3 arithmetic

    func testPointOnePlusPointTwoIsPointThree() throws {
        XCTAssertEqual(try d("0.1").adding(d("0.2")), d("0.3"))
        XCTAssertEqual(try d("0.1").adding(d("0.2")).description, "0.3")
    }

    func testNonTerminatingDivisionRoundsHalfEvenTo34Digits() throws {
        XCTAssertEqual(try ExactDecimal(1).divided(by: ExactDecimal(3)).description, "0.3333333333333333333333333333333333")
        XCTAssertEqual(try ExactDecimal(2).divided(by: ExactDecimal(3)).description, "0.6666666666666666666666666666666667")
        XCTAssertEqual(try ExactDecimal(-2).divided(by: ExactDecimal(3)).description, "-0.6666666666666666666666666666666667")
        XCTAssertEqual(try ExactDecimal(1).divided(by: ExactDecimal(7)).description, "0.1428571428571428571428571428571429")
        // (1/3) * (1/3), LANGUAGE.md §3; Python decimal: 0.1111111111111111111111111111111111
        let third = try ExactDecimal(1).divided(by: ExactDecimal(3))
        XCTAssertEqual(try third.multiplied(by: third).description, "0.1111111111111111111111111111111111")
    }

    func testExactQuotientsStayShort() throws {
        let q = try ExactDecimal(85).divided(by: ExactDecimal(100))
        XCTAssertEqual(q.description, "0.85")
        XCTAssertTrue(q.isSmall, "exact quotients are stored without trailing zeros")
        XCTAssertEqual(try ExactDecimal(10).divided(by: ExactDecimal(4)).description, "2.5")
        XCTAssertEqual(try ExactDecimal(100).divided(by: ExactDecimal(4)).description, "25")
    }

    func testLongSumsRoundHalfEven() throws {
        // 10^40 + 1 has 41 digits: rounds to 10^40 (Python: 1.000…000E+40).
        XCTAssertEqual(try d("1e40").adding(ExactDecimal(1)), d("1e40"))
        // Ties at the 34th digit go to even (Python decimal).
        XCTAssertEqual(try d("1234567890123456789012345678901234").adding(d("0.5")), d("1234567890123456789012345678901234"))
        XCTAssertEqual(try d("1234567890123456789012345678901235").adding(d("0.5")), d("1234567890123456789012345678901236"))
        // A carry across 10^34.
        XCTAssertEqual(try d("9999999999999999999999999999999999").adding(ExactDecimal(1)).description,
                       "10000000000000000000000000000000000")
    }

    func testDivisionByZero() {
        XCTAssertThrowsError(try ExactDecimal(1).divided(by: .zero)) { XCTAssertEqual($0 as? ArithmeticError, .divisionByZero) }
        XCTAssertThrowsError(try ExactDecimal.zero.divided(by: .zero)) { XCTAssertEqual($0 as? ArithmeticError, .divisionByZero) }
        XCTAssertThrowsError(try ExactDecimal.zero.divided(by: d("-0"))) { XCTAssertEqual($0 as? ArithmeticError, .divisionByZero) }
    }

    func testRange() throws {
        let max = d("9.999999999999999999999999999999999e6144")
        XCTAssertThrowsError(try max.adding(d("1e6111"))) { XCTAssertEqual($0 as? ArithmeticError, .overflow) }
        // Half an ulp: a tie, and 34 nines is odd, so it rounds up to 10^6145.
        XCTAssertThrowsError(try max.adding(d("5e6110"))) { XCTAssertEqual($0 as? ArithmeticError, .overflow) }
        XCTAssertEqual(try max.adding(d("4e6110")), max)
        XCTAssertThrowsError(try d("1e6144").multiplied(by: ExactDecimal(10))) { XCTAssertEqual($0 as? ArithmeticError, .overflow) }
        XCTAssertThrowsError(try d("1e-6143").divided(by: ExactDecimal(10))) { XCTAssertEqual($0 as? ArithmeticError, .underflow) }
        XCTAssertThrowsError(try d("1e-6100").multiplied(by: d("1e-100"))) { XCTAssertEqual($0 as? ArithmeticError, .underflow) }
        XCTAssertEqual(try max.negated.subtracting(max.negated), .zero)
        // A 34-digit coefficient just above 10^-6143 needs exponent −6176.
        let tiny = d("1.234567890123456789012345678901234e-6143")
        XCTAssertEqual(tiny.exponent, -6176)
        XCTAssertEqual(try tiny.multiplied(by: .one), tiny)
        XCTAssertEqual(try ExactDecimal(parsing: tiny.description), tiny)
        XCTAssertEqual(try tiny.adding(tiny), d("2.469135780246913578024691357802468e-6143"))
        XCTAssertThrowsError(try tiny.subtracting(d("1.234567890123456789012345678901233e-6143"))) {
            XCTAssertEqual($0 as? ArithmeticError, .underflow)
        }
    }

    // MARK: Powers

    func testIntegerPowers() throws {
        XCTAssertEqual(try ExactDecimal(2).power(-2), d("0.25"))                 // LANGUAGE.md §3
        XCTAssertEqual(try ExactDecimal.zero.power(0), .one)                      // 0^0 = 1
        XCTAssertEqual(try ExactDecimal.zero.power(3), .zero)
        XCTAssertThrowsError(try ExactDecimal.zero.power(-1)) { XCTAssertEqual($0 as? ArithmeticError, .divisionByZero) }
        XCTAssertEqual(try ExactDecimal(-2).power(3), ExactDecimal(-8))
        XCTAssertEqual(try d("1.1").power(2), d("1.21"))
        XCTAssertEqual(try ExactDecimal(2).power(100).description, "1267650600228229401496703205376")   // exact, 31 digits
        // 2^200 = 1606938044258990275541962092341162602522202993782792835301376: rounded once.
        XCTAssertEqual(try ExactDecimal(2).power(200), d("1.606938044258990275541962092341163e60"))
        // Python decimal: 1.05 ** -3 = 0.8638375985314760824964906597559659
        XCTAssertEqual(try d("1.05").power(-3).description, "0.8638375985314760824964906597559659")
        XCTAssertThrowsError(try ExactDecimal(10).power(6145)) { XCTAssertEqual($0 as? ArithmeticError, .overflow) }
        XCTAssertThrowsError(try ExactDecimal(10).power(-6144)) { XCTAssertEqual($0 as? ArithmeticError, .underflow) }
        XCTAssertThrowsError(try ExactDecimal(2).power(1_000_000)) { XCTAssertEqual($0 as? ArithmeticError, .overflow) }
        XCTAssertThrowsError(try d("0.5").power(1_000_000)) { XCTAssertEqual($0 as? ArithmeticError, .underflow) }
        XCTAssertThrowsError(try d("1.000000001").power(1_000_000)) { error in
            guard case .invalid(let why)? = error as? ArithmeticError else { return XCTFail("\(error)") }
            XCTAssertTrue(why.hasPrefix("exponent too large"), why)
        }
    }

    func testDecimalExponents() throws {
        XCTAssertEqual(try ExactDecimal(2).power(d("-2")), d("0.25"))             // integer-valued: exact path
        XCTAssertEqual(try ExactDecimal(2).power(d("3.000")), ExactDecimal(8))
        XCTAssertEqual(try ExactDecimal(4).power(d("0.5")), ExactDecimal(2))
        // Python decimal: Decimal(2) ** Decimal("0.5"), Decimal(10) ** Decimal("0.3")
        XCTAssertEqual(try ExactDecimal(2).power(d("0.5")).description, "1.414213562373095048801688724209698")
        XCTAssertEqual(try ExactDecimal(10).power(d("0.3")).description, "1.995262314968879601352455396739536")
        XCTAssertEqual(try ExactDecimal.zero.power(d("0.5")), .zero)
        XCTAssertThrowsError(try ExactDecimal.zero.power(d("-0.5"))) { XCTAssertEqual($0 as? ArithmeticError, .divisionByZero) }
        XCTAssertThrowsError(try ExactDecimal(-8).power(d("0.5"))) {
            XCTAssertEqual($0 as? ArithmeticError, .invalid("negative base with a non-integer exponent"))
        }
        XCTAssertThrowsError(try d("1e6000").power(d("1.5"))) { XCTAssertEqual($0 as? ArithmeticError, .overflow) }
        XCTAssertEqual(try ExactDecimal(-1).power(d("1e30")), .one)               // huge even exponent
        XCTAssertEqual(try ExactDecimal(-1).power(d("1000000000000000000001")), ExactDecimal(-1))
    }

    // MARK: Rounding

    func testRoundingExamples() throws {
        XCTAssertEqual(try d("1234.5678").rounded(places: -2, .halfAwayFromZero).description, "1200")
        XCTAssertEqual(try d("1.005").rounded(places: 2, .halfAwayFromZero).description, "1.01")
        XCTAssertEqual(try d("-2.5").rounded(places: 0, .halfAwayFromZero).description, "-3")
        XCTAssertEqual(try d("2.5").rounded(places: 0, .halfEven).description, "2")
        XCTAssertEqual(try d("0.125").rounded(places: 2, .halfEven).description, "0.12")
        XCTAssertEqual(try d("0.135").rounded(places: 2, .halfEven).description, "0.14")
        XCTAssertEqual(try d("-1.5").rounded(places: 0, .floor).description, "-2")
        XCTAssertEqual(try d("-1.5").rounded(places: 0, .ceiling).description, "-1")
        XCTAssertEqual(try d("1.01").rounded(places: 0, .ceiling).description, "2")
        XCTAssertEqual(try d("-1.99").rounded(places: 0, .towardZero).description, "-1")
        let r = try d("-0.4").rounded(places: 0, .halfAwayFromZero)
        XCTAssertEqual(r.description, "0")
        XCTAssertFalse(r.isNegative)
        XCTAssertEqual(try d("12.5").rounded(places: 3, .floor).description, "12.5")       // nothing to drop
        XCTAssertEqual(try d("0.0001").rounded(places: -3, .ceiling).description, "1000")
        XCTAssertThrowsError(try ExactDecimal(1).rounded(places: -6145, .ceiling)) { XCTAssertEqual($0 as? ArithmeticError, .overflow) }
        XCTAssertEqual(try ExactDecimal(1).rounded(places: Int.min, .floor), .zero)
        XCTAssertEqual(try ExactDecimal(1).rounded(places: Int.max, .floor), .one)
    }

    // MARK: Text

    func testCanonicalText() throws {
        XCTAssertEqual(d("1e40").description, "1" + String(repeating: "0", count: 40))
        XCTAssertEqual(d("1.50").description, "1.5")
        XCTAssertEqual(d("3.0").description, "3")
        XCTAssertEqual(d("-0").description, "0")
        XCTAssertEqual(d("-0.000").description, "0")
        XCTAssertEqual(d("-3.5").description, "-3.5")
        XCTAssertEqual(d("0.85").description, "0.85")
        XCTAssertEqual(d("12000").description, "12000")
        XCTAssertEqual(d("2.5e-3").description, "0.0025")
        XCTAssertEqual(d("85e-2").description, "0.85")
        XCTAssertEqual(ExactDecimal(-42).description, "-42")
        XCTAssertEqual(ExactDecimal(Int.min).description, "-9223372036854775808")
        XCTAssertEqual(ExactDecimal(significand: 12345, exponent: -2).description, "123.45")
        XCTAssertEqual(ExactDecimal(significand: 100, exponent: 6142), d("1e6144"))
        XCTAssertEqual(ExactDecimal(significand: Int64.min, exponent: 0).description, "-9223372036854775808")
        XCTAssertEqual(String(describing: d("12345678901234567890.12")), "12345678901234567890.12")
    }

    func testFormattedForMoney() {
        XCTAssertEqual(ExactDecimal(13500).formatted(minimumFractionDigits: 2), "13500.00")
        XCTAssertEqual(d("0.125").formatted(minimumFractionDigits: 2), "0.125")
        XCTAssertEqual(d("-0.5").formatted(minimumFractionDigits: 2), "-0.50")
        XCTAssertEqual(ExactDecimal.zero.formatted(minimumFractionDigits: 2), "0.00")
        XCTAssertEqual(d("-0").formatted(minimumFractionDigits: 2), "0.00")
        XCTAssertEqual(d("5").formatted(minimumFractionDigits: 0), "5")
        XCTAssertEqual(d("1.5000").formatted(minimumFractionDigits: 3), "1.500")
    }

    func testParsing() {
        func err(_ s: String) -> DecimalParseError? {
            do { _ = try ExactDecimal(parsing: s); return nil } catch { return error }
        }
        XCTAssertEqual(d("1000000000000000000000000000000000000000").description, "1000000000000000000000000000000000000000")
        XCTAssertEqual(d("0.5000000000000000000000000000000000000").description, "0.5")
        XCTAssertEqual(d("12345678901234567890.12").description, "12345678901234567890.12")
        XCTAssertEqual(d("+7"), ExactDecimal(7))
        XCTAssertEqual(d("1E3"), ExactDecimal(1000))
        XCTAssertEqual(try ExactDecimal(parsing: "x12.5y".dropFirst().dropLast()), d("12.5"))   // Substring input
        XCTAssertEqual(err("12345678901234567890123456789012345"), .tooManyDigits)               // 35 digits
        XCTAssertEqual(err("1.0000000000000000000000000000000001"), .tooManyDigits)
        XCTAssertEqual(err("1e7000"), .outOfRange)
        XCTAssertEqual(err("1e6145"), .outOfRange)
        XCTAssertEqual(err("1e-6144"), .outOfRange)
        XCTAssertNil(err("0e7000"))
        for bad in [".5", "5.", "1_000", "1,5", "1.000.000", "", " 1", "1 ", "-", "1e", "1e+", "e5", "0x1F", "NaN", "inf", "85%"] {
            XCTAssertEqual(err(bad), .syntax, bad)
        }
        XCTAssertFalse(DecimalParseError.tooManyDigits.message.isEmpty)
        XCTAssertNil(ExactDecimal("abc"))
        XCTAssertEqual(ExactDecimal("2.50"), d("2.5"))
    }

    // MARK: Equality, hashing, properties

    func testNumericEqualityAndHashing() throws {
        XCTAssertEqual(d("1.50"), d("1.5"))
        XCTAssertEqual(d("1.50").hashValue, d("1.5").hashValue)
        XCTAssertEqual(d("100"), d("1e2"))
        XCTAssertEqual(d("100").hashValue, d("1e2").hashValue)
        XCTAssertEqual(d("-0"), .zero)
        XCTAssertEqual(d("-0").hashValue, ExactDecimal.zero.hashValue)
        XCTAssertEqual(Set([d("1.50"), d("1.5"), d("1.500"), d("15e-1")]).count, 1)
        XCTAssertLessThan(d("-1"), d("-0.5"))
        XCTAssertLessThan(d("0.999999999999999999999999999999999"), .one)
        XCTAssertLessThan(d("-1e6144"), d("1e-6143"))
        XCTAssertEqual([d("3"), d("-1.5"), d("0"), d("2.25")].sorted(), [d("-1.5"), d("0"), d("2.25"), d("3")])
    }

    func testProperties() {
        XCTAssertTrue(d("-0").isZero)
        XCTAssertFalse(d("-0").isNegative)
        XCTAssertTrue(d("-0.1").isNegative)
        XCTAssertEqual(d("-0.1").magnitude, d("0.1"))
        XCTAssertEqual(d("-0.1").negated, d("0.1"))
        XCTAssertFalse(ExactDecimal.zero.negated.isNegative)
        XCTAssertTrue(d("1e3").isInteger)
        XCTAssertTrue(d("12.000").isInteger)
        XCTAssertFalse(d("0.5").isInteger)
        XCTAssertTrue(ExactDecimal.zero.isInteger)
        XCTAssertEqual(d("12.0").int64Value, 12)
        XCTAssertNil(d("1.5").int64Value)
        XCTAssertEqual(d("-9223372036854775808").int64Value, Int64.min)
        XCTAssertEqual(d("9223372036854775807").int64Value, Int64.max)
        XCTAssertNil(d("9223372036854775808").int64Value)
        XCTAssertNil(d("1e19").int64Value)
        XCTAssertEqual(d("1e18").int64Value, 1_000_000_000_000_000_000)
    }

    func testCodableUsesCanonicalText() throws {
        let data = try JSONEncoder().encode([d("1.50"), d("-0"), d("1e3")])
        XCTAssertEqual(String(decoding: data, as: UTF8.self), #"["1.5","0","1000"]"#)
        let back = try JSONDecoder().decode([ExactDecimal].self, from: data)
        XCTAssertEqual(back, [d("1.5"), .zero, d("1000")])
        XCTAssertThrowsError(try JSONDecoder().decode([ExactDecimal].self, from: Data(#"["1e7000"]"#.utf8)))
    }
}
