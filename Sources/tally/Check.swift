import ArgumentParser
import Tally

/// `tally check PLAN`: every compile-time diagnostic, no data needed.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a plan and report every compile-time error and warning.")

    @Argument(help: "The plan file (.tally).")
    var plan: String

    func run() throws {
        let compiled = try compilePlan(plan)
        _ = compiled
    }
}
