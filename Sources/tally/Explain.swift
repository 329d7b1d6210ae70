import ArgumentParser
import Foundation
import Tally

/// `tally explain PLAN --data FILE EXPR`: how a value is derived.
struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explain how a value is derived, step by step, down to the inputs.",
        discussion: """
        Prints the derivation of EXPR (evaluated in the company scope): every rule \
        and formula with its source line, the table row or curve segment that \
        matched, key-result progress and clamping, incentive eligibility, cap, \
        floor and rounding, and pool shares. Example:
          tally explain plan.tally --data data.json 'people["E0001"].quarterly_bonus'
        """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Argument(help: "The plan file (.tally).")
    var plan: String

    @Option(name: .long, help: "A dataset file (repeatable), as for `tally eval`.")
    var data: [String] = []

    @Argument(help: "The expression to explain, e.g. 'people[\"E0001\"].quarterly_bonus'.")
    var expression: String

    @Option(name: .long, help: "Print at most this many levels below the value.")
    var depth: Int?

    @Option(name: .long, help: "Output format: text or json.")
    var format: Format = .text

    func validate() throws {
        if let depth, depth < 0 { throw ValidationError("--depth must be 0 or more") }
    }

    func run() throws {
        let compiled = try compilePlan(plan)
        let dataset = try loadData(compiled, data)
        let c = compiled.expression(expression, name: "<explain>")
        report(c.diagnostics)
        guard let e = c.expression else { finish(.compileErrors) }
        let session = Session(plan: compiled, dataset: dataset)
        let explanation = session.explain(e)
        switch format {
        case .text: printOut(explanation.renderText(maxDepth: depth))
        case .json: writeOut(explanation.json(maxDepth: depth).bytes() + [0x0A])
        }
        guard explanation.value == nil else { finish(.success) }
        // The tree shows where it failed (unless --depth cut it off); the
        // reason, as for `tally eval`, goes to standard error.
        do { _ = try session.evaluate(e) } catch { report([error.diagnostic]) }
        finish(.dataErrors)
    }
}
