import ArgumentParser
import Foundation
import Tally

/// `tally repl [PLAN] [--data FILE]...`: the interactive what-if REPL.
struct Repl: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explore a plan interactively: evaluate expressions, change inputs, see what moves.",
        discussion: """
        Type an expression to evaluate it in the company scope, a declaration \
        (let, func, table, for person { ... }, ...) to add it to the session's plan, \
        or a command (:help lists them). On a terminal the REPL uses GNU readline: \
        line editing, tab completion and history in ~/.tally_history (TALLY_HISTORY \
        names another file; an empty TALLY_HISTORY keeps none; TALLY_HISTORY_SIZE \
        caps it, default 1000 entries). When standard input is not a terminal, \
        lines are read without prompts, only results and diagnostics are printed, \
        and the exit status is 1 if any line failed. See docs/repl.md.
        """)

    @Argument(help: "The plan file (.tally). Without it the session starts with an empty plan.")
    var plan: String?

    @Option(name: .long, help: "A dataset file: data.json, or company.csv / teams.csv / people.csv (repeatable).")
    var data: [String] = []

    @Flag(name: .long, help: "Neither read nor write the history file.")
    var noHistory = false

    func run() throws {
        let interactive = isatty(0) != 0
        let reader: LineReader
        if interactive {
            let env = ProcessInfo.processInfo.environment
            var path: String? = env["TALLY_HISTORY"] ?? (homeDirectory() as NSString).appendingPathComponent(".tally_history")
            if path?.isEmpty == true || noHistory { path = nil }
            let limit = env["TALLY_HISTORY_SIZE"].flatMap { Int($0) }.map { max(0, $0) } ?? 1000
            reader = TerminalLineReader(historyPath: path, historyLimit: limit)
        } else {
            reader = PipedLineReader()
        }
        let repl = ReplInterpreter(interactive: interactive, reader: reader)
        let status = repl.start(plan: plan, data: data)
        if !interactive, status != .success { finish(status) }
        repl.run()
        reader.close()
        finish(repl.exitStatus)
    }
}
