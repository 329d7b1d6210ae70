import ArgumentParser
import Foundation

/// `tally`: compile, check and evaluate Tally plans.
struct TallyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tally",
        abstract: "Exact OKR scoring and incentive rules: check and evaluate Tally plans.",
        discussion: """
        Exit codes: 0 success; 1 compile-time errors; 2 data or evaluation errors; \
        3 error-severity constraint violations (2 wins over 3); 64 usage errors.
        """,
        version: "0.1.0",
        subcommands: [Eval.self, Check.self, Explain.self, Repl.self]
    )
}

// Evaluation recurses through the plan's definitions; run on a thread with a
// large stack so that the documented nesting limits, not the default 8 MB
// stack, decide how deep a plan may go.
let worker = Thread {
    TallyCommand.main()
    exit(0)
}
worker.stackSize = 1 << 29
worker.start()
while true { sleep(3600) }
