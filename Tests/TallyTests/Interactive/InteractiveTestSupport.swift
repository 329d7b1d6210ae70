import XCTest
@testable import Tally

/// A small plan and dataset for the REPL's library tests.
enum InteractiveFixture {
    static let plan = """
    plan "测试计划" { period: 2026-01-01 .. 2026-03-31  currency: CNY }
    inputs company { budget: money  defect_rate: percent }
    inputs person {
      level: string       "职级"
      revenue: money      "销售额"
      quota: money        "销售指标"
      nps: number?        "客户 NPS"
    }
    inputs team { budget: money? }
    for person {
      objective sell "销售" {
        key_result rev "销售额达成" { actual: revenue  baseline: 0 CNY  target: quota  cap: 150% }
      }
      let rating "评级" = if score >= 1 then "A" else "B"
      let multiplier "系数" = round(clamp(score, 0, 1.2), 2)
      incentive bonus "奖金" {
        amount: 1000 CNY * multiplier
        cap: 1100 CNY
      }
    }
    for team {
      pool award "团队奖" {
        total: 300 CNY
        among: members
        share: score
      }
    }
    constraint "预算": sum(p.bonus for p in people) <= company.budget
    """

    static let data = """
    {"company": {"budget": 3000, "defect_rate": 0.02},
     "teams": [{"id": "east", "name": "华东"}, {"id": "west", "name": "华西"}],
     "people": [
       {"id": "P1", "name": "张三", "team": "east", "level": "P2", "revenue": 800, "quota": 1000},
       {"id": "P2", "name": "李四", "team": "east", "level": "P3", "revenue": 1000, "quota": 1000, "nps": 40},
       {"id": "P3", "name": "王五", "team": "west", "level": "P1", "revenue": 500, "quota": 2000}
     ]}
    """

    static func session(file: StaticString = #filePath, line: UInt = #line) -> InteractiveSession {
        let s = InteractiveSession(implicitYear: 2026)
        let outcome = s.open(plan: .init(name: "plan.tally", bytes: Array(plan.utf8)), loader: nil,
                             data: [.init(name: "data.json", bytes: Array(data.utf8))])
        XCTAssertTrue(outcome.ok, outcome.diagnostics.map { $0.rendered() }.joined(separator: "\n"), file: file, line: line)
        return s
    }

    /// A switch for a session's cancellation check (Ctrl-C in the REPL).
    final class Switch: @unchecked Sendable { var on = false }

    /// The fixture's session, cancelled while `switch.on`.
    static func cancellableSession(file: StaticString = #filePath, line: UInt = #line) -> (InteractiveSession, Switch) {
        let cancel = Switch()
        let s = InteractiveSession(options: EvaluationOptions(isCancelled: { cancel.on }), implicitYear: 2026)
        let outcome = s.open(plan: .init(name: "plan.tally", bytes: Array(plan.utf8)), loader: nil,
                             data: [.init(name: "data.json", bytes: Array(data.utf8))])
        XCTAssertTrue(outcome.ok, file: file, line: line)
        return (s, cancel)
    }

    /// `[1, 2, ..., 40]`: three comprehensions over it take 64,000 steps.
    static let forty = "[" + (1...40).map(String.init).joined(separator: ", ") + "]"

    static func value(_ s: InteractiveSession, _ text: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        guard let c = s.expression(text), let e = c.expression, let current = s.current else {
            XCTFail("\(text) does not compile: \(s.expression(text)?.diagnostics.map { $0.rendered() } ?? [])", file: file, line: line)
            return ""
        }
        do { return current.render(try current.evaluate(e)) } catch {
            XCTFail(error.diagnostic.rendered(), file: file, line: line)
            return ""
        }
    }

    static func decimal(_ s: String) -> ExactDecimal { ExactDecimal(s)! }
}
