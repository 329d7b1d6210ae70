import Foundation
import Tally

/// `:set` + `:diff` cost: change one person's revenue and list what moved,
/// against a fully evaluated baseline; compared with evaluating everything
/// from scratch in the same run.
///
///     tally-bench whatif [PLAN DATA PERSON]
enum WhatIfBenchmark {
    static func run() {
        let args = Array(CommandLine.arguments.dropFirst(2))
        let planPath = args.first ?? "examples/wanjiang/plan.tally"
        let dataPath = args.dropFirst().first ?? "examples/wanjiang/data.json"
        let person = args.dropFirst(2).first ?? "E0042"
        guard let planBytes = FileManager.default.contents(atPath: planPath),
              let dataBytes = FileManager.default.contents(atPath: dataPath),
              let plan = CompiledPlan.compile(bytes: [UInt8](planBytes), name: planPath).plan,
              let data = plan.dataset(files: [(dataPath, [UInt8](dataBytes))]).dataset else {
            print("whatif: cannot load \(planPath) with \(dataPath)")
            return
        }
        func time<T>(_ body: () -> T) -> (T, Double) {
            let start = DispatchTime.now().uptimeNanoseconds
            let v = body()
            return (v, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        let baseline = Session(plan: plan, dataset: data)
        let (_, full) = time { baseline.results() }
        let change = Override(scope: .person, id: person, field: "revenue",
                              value: .money(Money(ExactDecimal(2_000_000), plan.info.currency)))
        let (after, apply) = time { baseline.applying([change]).session! }
        let (changes, diff) = time { after.changes(from: baseline) }
        print("whatif on \(data.personCount) people: \(change.path) = 2000000 \(plan.info.currency.code)")
        print("  evaluate everything (baseline)  \(String(format: "%.3f", full)) s")
        print("  apply the change                \(String(format: "%.3f", apply)) s")
        print("  diff (\(changes.count) changes)  \(String(format: "%.3f", diff)) s  = \(String(format: "%.2f", (apply + diff) / full))× the full evaluation")
    }
}
