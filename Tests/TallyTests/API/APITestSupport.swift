import Foundation
import XCTest
@testable import Tally

/// The Wanjiang example (examples/wanjiang), compiled and loaded once for
/// the API tests, and small helpers.
enum APIFixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let planPath = root.appendingPathComponent("examples/wanjiang/plan.tally").path
    static let dataPath = root.appendingPathComponent("examples/wanjiang/data.json").path

    static let plan: CompiledPlan = {
        let c = CompiledPlan.compile(contentsOfFile: planPath)
        guard let plan = c.plan else { fatalError("the Wanjiang plan does not compile: \(c.diagnostics)") }
        return plan
    }()

    static let dataBytes: [UInt8] = Array(FileManager.default.contents(atPath: dataPath)!)

    static let dataset: Dataset = {
        let load = plan.dataset(json: dataBytes)
        guard let d = load.dataset else { fatalError("the Wanjiang data does not load: \(load.diagnostics)") }
        return d
    }()

    /// A small plan with one input per type, for dataset and limit tests.
    static let smallSource = """
    plan "small" {
      period: 2026-07-01 .. 2026-09-30
      currency: CNY
    }
    inputs company { budget: money }
    inputs person {
      level: string
      base_salary: money
      hire_date: date
      fte: number = 1
      rate: percent
      manager_ok: bool?
    }
    for person {
      let pay = base_salary * fte
    }
    let total = sum(p.pay for p in people)
    """

    static let small: CompiledPlan = compile(smallSource)

    static func compile(_ source: String, file: StaticString = #filePath, line: UInt = #line) -> CompiledPlan {
        let c = CompiledPlan.compile(source: source, name: "test.tally")
        guard let plan = c.plan else {
            XCTFail("does not compile: \(c.diagnostics.map { $0.rendered() })", file: file, line: line)
            fatalError()
        }
        return plan
    }

    static func money(_ text: String, _ code: String = "CNY") -> Value {
        .money(Money(ExactDecimal(text)!, Currency(code: code)!))
    }

    static func number(_ text: String) -> Value { .number(ExactDecimal(text)!) }
}
