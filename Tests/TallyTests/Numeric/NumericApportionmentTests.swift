import XCTest
@testable import Tally

/// Largest-remainder apportionment, LANGUAGE.md §8. Every expectation is
/// worked out by hand in the comments.
final class NumericApportionmentTests: XCTestCase {
    func d(_ s: String) -> ExactDecimal { try! ExactDecimal(parsing: s) }

    func split(_ total: Int, _ shares: [String], _ ids: [String]? = nil) throws -> [Int64] {
        let ids = ids ?? shares.indices.map { "p\($0)" }
        let parts = try Apportionment.largestRemainder(total: ExactDecimal(total), shares: shares.map(d), ids: ids)
        XCTAssertEqual(parts.reduce(ExactDecimal.zero) { try! $0.adding($1) }, ExactDecimal(total), "parts sum to the total")
        return parts.map { $0.int64Value! }
    }

    func testPoolExample() throws {
        // 600.00 CNY = 60000 units, shares 0.8 0.6 0.3 → 8:6:3 of 17.
        // 480000/17 = 28235 r 5; 360000/17 = 21176 r 8; 180000/17 = 10588 r 4.
        // Floors sum to 59999; the one leftover unit goes to remainder 8.
        XCTAssertEqual(try split(60000, ["0.8", "0.6", "0.3"]), [28235, 21177, 10588])
    }

    func testEqualSharesLowestIdGetsTheExtraUnit() throws {
        // 10000/3 = 3333 r 1 each; remainders and shares tie; "a" is the lowest id.
        XCTAssertEqual(try split(10000, ["1", "1", "1"], ["b", "a", "c"]), [3333, 3334, 3333])
        XCTAssertEqual(try split(10000, ["1", "1", "1"], ["a", "b", "c"]), [3334, 3333, 3333])
    }

    func testTiedRemaindersGoToTheLargerShare() throws {
        // Shares 1 and 3 of 4, total 2: 2/4 = 0 r 2, 6/4 = 1 r 2 — remainders tie;
        // the one leftover unit goes to the larger share: [0, 2].
        XCTAssertEqual(try split(2, ["1", "3"], ["a", "b"]), [0, 2])
        // Shares 3 and 1 (ids reversed in importance): still the larger share.
        XCTAssertEqual(try split(2, ["3", "1"], ["z", "a"]), [2, 0])
    }

    func testZeroShareGetsNothing() throws {
        // 100 over shares 1, 0, 2 (sum 3): 33 r 1, 0 r 0, 66 r 2 → leftover 1 → third.
        XCTAssertEqual(try split(100, ["1", "0", "2"]), [33, 0, 67])
        XCTAssertEqual(try split(0, ["1", "2"]), [0, 0])
    }

    func testExactRemaindersNotRoundedQuotients() throws {
        // Shares 1, 1, 10 (S = 12), total 16: exact remainders 16 mod 12 = 4,
        // 16 mod 12 = 4, 160 mod 12 = 4 all tie, so the larger share wins:
        // floors 1, 1, 13 (sum 15) + 1 → [1, 1, 14].
        // Through 34-digit quotients, 16/12 = 1.333333333333333333333333333333333
        // shows 33 threes after the point but 160/12 = 13.33333333333333333333333333333333
        // only 32, so comparing rounded fractions would wrongly pick the first person.
        XCTAssertEqual(try split(16, ["1", "1", "10"], ["a", "b", "c"]), [1, 1, 14])
        // The same with a 34-digit share difference: 1 vs 1.000…0001 (10^-33).
        // Exact: S = 2.000…0001, remainders decide for the larger share.
        XCTAssertEqual(try split(3, ["1", "1.000000000000000000000000000000001"], ["a", "b"]), [1, 2])
    }

    func testIdsCompareByCodePoint() throws {
        // "e\u{301}" (e + combining acute) precedes "f" by code point (0x65 < 0x66),
        // although Swift's String < normalises it to "é" (0xE9) and puts it after "f".
        XCTAssertEqual(try split(1, ["1", "1"], ["f", "e\u{301}"]), [0, 1])
        XCTAssertEqual(try split(1, ["1", "1"], ["\u{E9}", "f"]), [0, 1])
        // Code point order, not locale: "Z" (0x5A) < "a" (0x61); "张" (0x5F20) < "李" (0x674E).
        XCTAssertEqual(try split(1, ["1", "1"], ["a", "Z"]), [0, 1])
        XCTAssertEqual(try split(1, ["1", "1"], ["李", "张"]), [0, 1])
    }

    func testErrors() {
        func invalid(_ total: String, _ shares: [String], ids: [String]? = nil) -> Bool {
            do {
                _ = try Apportionment.largestRemainder(total: d(total), shares: shares.map(d), ids: ids ?? shares.map { $0 })
                return false
            } catch {
                if case .invalid = error { return true }
                return false
            }
        }
        XCTAssertTrue(invalid("-1", ["1"]))
        XCTAssertTrue(invalid("1.5", ["1"]))
        XCTAssertTrue(invalid("10", ["1", "-1"]))
        XCTAssertTrue(invalid("10", ["0", "0"]))
        XCTAssertTrue(invalid("10", []))
        XCTAssertTrue(invalid("10", ["1"], ids: []))
    }

    func testWideShares() throws {
        // Shares 1e-20 and 1e20: the first gets ⌊100·10^-20 / (10^20 + 10^-20)⌋ = 0,
        // the second ⌊100·10^20/(10^20 + 10^-20)⌋ = 99 r (close to S) → leftover 1 → second.
        XCTAssertEqual(try split(100, ["1e-20", "1e20"]), [0, 100])
        // 7 over 0.5, 0.25, 0.25: 3.5, 1.75, 1.75 → floors 3, 1, 1; the two leftover
        // units go to the two largest remainders (.75, .75), not to the largest share.
        XCTAssertEqual(try split(7, ["0.5", "0.25", "0.25"]), [3, 2, 2])
    }
}
