import CTally
import Foundation
import Tally
import TallyC

/// Latency of evaluating a small compiled expression through the embedding
/// APIs, on the Wanjiang example (300 people): the Swift API in a reused
/// session, the Swift API one-shot, and the C ABI round trip (the exported
/// functions called as a C host calls them, handle lookups, value
/// rendering and release included).
///
///     swift run -c release tally-bench embedding
enum EmbeddingBenchmark {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Median nanoseconds per call of `body` over `runs` runs of `iterations` calls.
    static func measure(_ name: String, iterations: Int, runs: Int = 7, _ body: () -> Void) {
        for _ in 0..<min(iterations, 1_000) { body() }  // warm up
        var perCall: [Double] = []
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<iterations { body() }
            perCall.append(Double(DispatchTime.now().uptimeNanoseconds - start) / Double(iterations))
        }
        perCall.sort()
        let median = perCall[runs / 2]
        print("  \(name.padding(toLength: 64, withPad: " ", startingAt: 0)) \(String(format: "%10.0f", median)) ns  "
              + "(min \(String(format: "%.0f", perCall[0])))")
    }

    static func run() {
        let planPath = root.appendingPathComponent("examples/wanjiang/plan.tally").path
        let dataPath = root.appendingPathComponent("examples/wanjiang/data.json").path
        guard let plan = CompiledPlan.compile(contentsOfFile: planPath).plan,
              let bytes = FileManager.default.contents(atPath: dataPath),
              let data = plan.dataset(json: Array(bytes)).dataset else {
            print("embedding: cannot load \(planPath) and \(dataPath)")
            exit(1)
        }
        let small = "1 + 2 * 3"
        let field = #"people["E0001"].quarterly_bonus"#
        print("embedding: ns per evaluation (median of 7 runs), Wanjiang plan, \(data.personCount) people")

        print("Swift API")
        let session = Session(plan: plan, dataset: data)
        for text in [small, field] {
            let e = plan.expression(text).expression!
            measure("session.evaluate(compiled `\(text)`)", iterations: 200_000) {
                _ = try! session.evaluate(e)
            }
        }
        let e = plan.expression(field).expression!
        measure("session.render(session.evaluate(compiled `\(field)`))", iterations: 200_000) {
            _ = session.render(try! session.evaluate(e))
        }
        let smallCompiled = plan.expression(small).expression!
        measure("plan.evaluate(compiled `\(small)`, in:) (new session each)", iterations: 20_000) {
            _ = try! plan.evaluate(smallCompiled, in: data)
        }
        measure("plan.evaluate(`\(field)`, in:) (compile + new session)", iterations: 2_000) {
            _ = try! plan.evaluate(field, in: data)
        }

        print("C ABI round trip")
        var cPlan: OpaquePointer?, cData: OpaquePointer?, cSession: OpaquePointer?
        var error: OpaquePointer?
        _ = planPath.withCString { tally_plan_compile_file($0, strlen($0), &cPlan, &error) }
        _ = bytes.withUnsafeBytes { b in
            tally_dataset_from_json(cPlan, b.baseAddress!.assumingMemoryBound(to: CChar.self), b.count, &cData, &error)
        }
        _ = tally_session_create(cPlan, cData, nil, &cSession, &error)
        for text in [small, field] {
            var expr: OpaquePointer?
            _ = text.withCString { tally_expression_compile(cPlan, $0, strlen($0), &expr, &error) }
            measure("tally_session_evaluate + tally_value_text + _free (`\(text)`)", iterations: 200_000) {
                var value: OpaquePointer?
                _ = tally_session_evaluate(cSession, expr, &value, &error)
                var len = 0
                _ = tally_value_text(value, &len)
                tally_value_free(&value)
            }
            tally_expression_free(&expr)
        }
        measure("tally_evaluate_expression (`\(field)`: compile + new session)", iterations: 2_000) {
            var value: OpaquePointer?
            _ = field.withCString { tally_evaluate_expression(cPlan, cData, $0, strlen($0), nil, &value, &error) }
            tally_value_free(&value)
        }
        tally_session_free(&cSession)
        tally_dataset_free(&cData)
        tally_plan_free(&cPlan)
    }
}
