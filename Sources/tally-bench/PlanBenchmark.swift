import Foundation
import Tally

/// Whole-pipeline timing of a plan against a dataset: read, compile, bind,
/// evaluate everything, format JSON. Each phase is reported in CPU seconds and
/// as a ratio to the time of reading the dataset measured in the same run
/// (the unavoidable baseline: touching every byte once).
///
///     tally-bench plan [PLAN DATA]      # default: the Wanjiang example
enum PlanBenchmark {
    static func run() {
        let args = Array(CommandLine.arguments.dropFirst(2))
        let planPath = args.first ?? "examples/wanjiang/plan.tally"
        let dataPath = args.dropFirst().first ?? "examples/wanjiang/data.json"
        guard let planBytes = FileManager.default.contents(atPath: planPath),
              let dataBytes = FileManager.default.contents(atPath: dataPath) else {
            print("plan: cannot read \(planPath) or \(dataPath)")
            return
        }
        // CPU time of this process, so that other load on the machine does
        // not distort the figures.
        func cpu() -> Double {
            var t = timespec()
            clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
            return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
        }
        func time<T>(_ body: () -> T) -> (T, Double) {
            let start = cpu()
            let v = body()
            return (v, cpu() - start)
        }
        let (compilation, compile) = time { CompiledPlan.compile(bytes: [UInt8](planBytes), name: planPath) }
        guard let plan = compilation.plan else { print("plan: does not compile"); return }
        let bytes = [UInt8](dataBytes)
        let (raw, read) = time { DatasetReader.read(files: [(dataPath, bytes)]) }
        let (load, bind) = time { plan.dataset(raw.0) }
        guard let data = load.dataset else { print("plan: dataset has errors"); return }
        let (result, evaluate) = time { plan.evaluate(data) }
        let (_, format) = time { ResultFormatter.json(result).bytes() }
        let (_, again) = time { plan.evaluate(data) }
        print("plan \(planPath) on \(dataPath): \(data.personCount) people, \(data.teamCount) teams")
        for (name, t) in [("read dataset", read), ("compile plan", compile), ("bind inputs", bind),
                          ("evaluate all", evaluate), ("evaluate all again", again), ("format JSON", format)] {
            print("  \(name.padding(toLength: 20, withPad: " ", startingAt: 0)) \(String(format: "%8.3f s  %6.2f× read", t, t / read))")
        }
        _ = result
    }
}
