import Foundation
import XCTest
@testable import Tally

final class NumericMoneyTests: XCTestCase {
    func d(_ s: String) -> ExactDecimal { try! ExactDecimal(parsing: s) }
    func money(_ s: String, _ code: String) -> Money { Money(d(s), Currency(code: code)!) }

    func testCurrencyValidation() throws {
        for (code, minor) in [("CNY", 2), ("USD", 2), ("EUR", 2), ("JPY", 0), ("KRW", 0), ("VND", 0), ("CLP", 0),
                              ("ISK", 0), ("BHD", 3), ("KWD", 3), ("TND", 3), ("OMR", 3), ("CLF", 4), ("UYW", 4)] {
            let c = try XCTUnwrap(Currency(code: code), code)
            XCTAssertEqual(c.code, code)
            XCTAssertEqual(c.minorUnits, minor, code)
            XCTAssertEqual(c.description, code)
        }
        for bad in ["cny", "Cny", "US", "USDX", "", "ABC", "QQQ", "XAU", "XXX", "XTS", "ＵＳＤ", "US1", " USD"] {
            XCTAssertNil(Currency(code: bad), bad)
        }
        XCTAssertEqual(Currency(code: "CNY"), Currency(code: "CNY"))
        XCTAssertNotEqual(Currency(code: "CNY"), Currency(code: "USD"))
        XCTAssertGreaterThan(Currency.allCodes.count, 150)
        XCTAssertTrue(Currency.allCodes.allSatisfy { Currency(code: $0)?.code == $0 })
    }

    func testMoneyCanonicalText() {
        // LANGUAGE.md §11 examples.
        XCTAssertEqual(money("13500", "CNY").description, "13500.00 CNY")
        XCTAssertEqual(money("0", "CNY").description, "0.00 CNY")
        XCTAssertEqual(money("-0", "CNY").description, "0.00 CNY")
        XCTAssertEqual(money("0.125", "USD").description, "0.125 USD")
        XCTAssertEqual(money("5", "JPY").description, "5 JPY")
        XCTAssertEqual(money("5.5", "JPY").description, "5.5 JPY")
        XCTAssertEqual(money("-0.5", "EUR").description, "-0.50 EUR")
        XCTAssertEqual(money("1.5", "KWD").description, "1.500 KWD")
        XCTAssertEqual(money("99.950", "USD").description, "99.95 USD")
        XCTAssertEqual(money("1", "CLF").description, "1.0000 CLF")
    }

    func testMoneyEqualityAndCodable() throws {
        XCTAssertEqual(money("1.50", "USD"), money("1.5", "USD"))
        XCTAssertNotEqual(money("1.5", "USD"), money("1.5", "EUR"))
        let data = try JSONEncoder().encode([money("13500", "CNY")])
        XCTAssertEqual(String(decoding: data, as: UTF8.self), #"["13500.00 CNY"]"#)
        XCTAssertEqual(try JSONDecoder().decode([Money].self, from: data), [money("13500", "CNY")])
        XCTAssertThrowsError(try JSONDecoder().decode([Money].self, from: Data(#"["12 ABC"]"#.utf8)))
        XCTAssertEqual(try JSONDecoder().decode([Currency].self, from: Data(#"["JPY"]"#.utf8)).first?.minorUnits, 0)
    }
}
