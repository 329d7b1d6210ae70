import XCTest
@testable import Tally

final class InteractiveDiffTests: XCTestCase {
    private let cny = Currency(code: "CNY")!

    private func money(_ s: String) -> Value { .money(Money(ExactDecimal(s)!, cny)) }
    private func number(_ s: String) -> Value { .number(ExactDecimal(s)!) }

    private func change(_ subject: String, _ name: String, _ before: Value?, _ after: Value?, _ delta: Value?) -> Change {
        Change(scope: .person, subject: subject, name: name, before: before, after: after, delta: delta)
    }

    func testOrderIsMoneyThenNumbersByAbsoluteDeltaThenTheRest() {
        let changes = [
            change("P1", "rating", .string("B"), .string("A"), nil),
            change("P1", "score", number("0.5"), number("0.9"), number("0.4")),
            change("P1", "bonus", money("100"), money("50"), money("-50")),
            change("P2", "bonus", money("100"), money("400"), money("300")),
            change("P2", "score", number("0.5"), number("-0.5"), number("-1")),
            change("P3", "bonus", money("10"), money("60"), money("50")),
            change("P3", "flag", .bool(true), .bool(false), nil),
            change("P4", "bonus", nil, money("1"), nil),
        ]
        let ordered = ChangeReport.ordered(changes).map { "\($0.subject).\($0.name)" }
        // Equal |delta| (P1 -50, P3 +50) keep dataset order; no delta keeps its order too.
        XCTAssertEqual(ordered, ["P2.bonus", "P1.bonus", "P3.bonus", "P2.score", "P1.score", "P1.rating", "P3.flag", "P4.bonus"])
    }

    func testTotalsAddTheDeltasToTheBaseline() {
        // P3's bonus failed in the baseline: 1000 is the sum of the others.
        let baseline = [PayoutTotal(scope: .person, name: "bonus", title: "奖金", total: Money(ExactDecimal(1000), cny), failed: 1),
                        PayoutTotal(scope: .person, name: "award", title: nil, total: Money(ExactDecimal(300), cny))]
        let changes = [
            change("P1", "bonus", money("100"), money("150.25"), money("50.25")),
            change("P2", "bonus", money("200"), money("190"), money("-10")),
            change("P3", "bonus", nil, money("5"), nil),     // failed before, 5 after
            change("P1", "score", number("1"), number("2"), number("1")),
        ]
        let totals = ChangeReport.totals(changes, baseline: baseline)
        XCTAssertEqual(totals.count, 1)
        XCTAssertEqual(totals[0].name, "bonus")
        XCTAssertEqual(totals[0].before.description, "1000.00 CNY")
        XCTAssertEqual(totals[0].after.description, "1045.25 CNY")
        XCTAssertEqual(totals[0].delta.description, "45.25 CNY")
        XCTAssertEqual(totals[0].failedBefore, 1)
        XCTAssertEqual(totals[0].failedAfter, 0)
        // 1000 + 50.25 - 10 + 5; the baseline had a failure, so no delta is shown.
        let text = ChangeReport(rows: [], totals: totals).rendered()
        XCTAssertEqual(text, "no result differs from the baseline\n")
        let report = ChangeReport(rows: [.init(change: changes[0], subjectName: nil, title: nil)], totals: totals).rendered()
        XCTAssertTrue(report.hasSuffix("""
            total                 before        after  delta
            ----------  ----------------  -----------  -----
            bonus 奖金  error (1 failed)  1045.25 CNY       \n
            """), report)

        // A value that fails only after the change: the after total is an error.
        let failing = ChangeReport.totals([change("P1", "bonus", money("100"), nil, nil)],
                                          baseline: [PayoutTotal(scope: .person, name: "bonus", title: nil, total: Money(ExactDecimal(1000), cny))])
        XCTAssertEqual(failing[0].failedAfter, 1)
        XCTAssertEqual(failing[0].after.description, "900.00 CNY", "the sum of the values that did not fail")
    }

    func testSignedDeltas() {
        XCTAssertEqual(ChangeReport.signed(money("12")), "+12.00 CNY")
        XCTAssertEqual(ChangeReport.signed(money("-0.5")), "-0.50 CNY")
        XCTAssertEqual(ChangeReport.signed(money("0")), "0.00 CNY")
        XCTAssertEqual(ChangeReport.signed(number("0.25")), "+0.25")
        XCTAssertEqual(ChangeReport.signed(number("-3")), "-3")
    }

    func testReportOfASession() {
        let s = InteractiveFixture.session()
        XCTAssertEqual(s.diff()?.rows.count, 0)
        XCTAssertTrue(s.set(Override(scope: .person, id: "P1", field: "revenue", value: money("1200"))).ok)
        guard let report = s.diff() else { return XCTFail() }
        XCTAssertEqual(report.rendered(), """
        subject  name                 before        after        delta
        -------  ---------------  ----------  -----------  -----------
        P1 张三  revenue 销售额   800.00 CNY  1200.00 CNY  +400.00 CNY
        P1 张三  bonus 奖金       800.00 CNY  1100.00 CNY  +300.00 CNY
        P1 张三  award 团队奖     133.33 CNY   163.64 CNY   +30.31 CNY
        P2 李四  award 团队奖     166.67 CNY   136.36 CNY   -30.31 CNY
        P1 张三  multiplier 系数         0.8          1.2         +0.4
        P1 张三  score                   0.8          1.2         +0.4
        P1 张三  rating 评级               B            A             
        7 results changed

        total              before        after        delta
        ------------  -----------  -----------  -----------
        bonus 奖金    2050.00 CNY  2350.00 CNY  +300.00 CNY
        award 团队奖   600.00 CNY   600.00 CNY     0.00 CNY

        """)
        XCTAssertEqual(report.rendered(limit: 2).split(separator: "\n")[4], "… and 5 more changes (`:diff all` lists every one)")
    }

    func testCompanyChangesAndPercentInputs() {
        let s = InteractiveFixture.session()
        XCTAssertTrue(s.set(Override(scope: .company, field: "defect_rate", value: number("0.012"))).ok)
        let rows = s.diff()!.rows
        XCTAssertEqual(rows.map(\.change.subject), ["company"])
        XCTAssertEqual(rows[0].change.delta, number("-0.008"))
        XCTAssertTrue(s.diff()!.totals.isEmpty)
    }

    func testLongValuesAreSummarisedInCells() {
        let ids = Value.list((1...1000).map { .string(String(format: "E%04d", $0)) })
        let cell = CellText.summary(ids)
        // "[" + 4 × 9 − 2 + ", " + "…] (1000 items)" is 52 columns; a fifth id would make 61.
        XCTAssertEqual(cell, #"["E0001", "E0002", "E0003", "E0004", …] (1000 items)"#)
        XCTAssertLessThanOrEqual(DisplayWidth.of(cell), CellText.width)
        XCTAssertEqual(CellText.summary(.list([.number(.one), .string("a")])), #"[1, "a"]"#)
        XCTAssertEqual(CellText.summary(.list([])), "[]")
        XCTAssertEqual(CellText.summary(.string("原样")), "原样")
        let long = String(repeating: "长", count: 100)
        XCTAssertEqual(CellText.summary(.string(long)), String(repeating: "长", count: 29) + "…")
        // One element is cut to half the width: a quote, 14 wide characters, "…".
        XCTAssertEqual(CellText.summary(.list([.string(long)])), "[\"" + String(repeating: "长", count: 14) + "…]")
        // A change of a long list in a :diff table stays narrow.
        let c = Change(scope: .company, subject: "company", name: "hi", before: ids, after: .list([]), delta: nil)
        let text = ChangeReport(rows: [.init(change: c, subjectName: nil, title: nil)], totals: []).rendered()
        XCTAssertTrue(text.split(separator: "\n").allSatisfy { DisplayWidth.of(String($0)) < 120 }, text)
    }
}
