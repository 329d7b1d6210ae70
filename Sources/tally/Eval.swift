import Foundation
import ArgumentParser
import Tally

/// `tally eval PLAN --data FILE... [--print EXPR]... [--format table|json|csv]`.
struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate a plan against a dataset.",
        discussion: """
        With --print, stdout holds exactly one line per --print, in order; \
        diagnostics, warnings and violations go to stderr.
        """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json, csv
    }

    @Argument(help: "The plan file (.tally).")
    var plan: String

    @Option(name: .long, help: "A dataset file: data.json, or company.csv / teams.csv / people.csv (repeatable).")
    var data: [String] = []

    @Option(name: .customLong("print"), parsing: .unconditionalSingleValue,
            help: "An expression to evaluate in the company scope, taken verbatim (repeatable).")
    var prints: [String] = []

    @Option(name: .long, help: "Output format without --print: table, json or csv.")
    var format: Format = .table

    @Option(name: .long, help: "Comma-separated person columns for table and csv output.")
    var columns: String?

    func run() throws {
        let compiled = try compilePlan(plan)
        let dataset = try loadData(compiled, data)
        prints.isEmpty ? try evaluateAll(compiled, dataset) : try printExpressions(compiled, dataset)
        finish(.success)
    }

    private func printExpressions(_ compiled: CompiledPlan, _ dataset: Dataset) throws {
        var expressions: [CompiledExpression] = []
        var failed = false
        for (i, text) in prints.enumerated() {
            let c = compiled.expression(text, name: prints.count == 1 ? "<print>" : "<print \(i + 1)>")
            report(c.diagnostics)
            if let e = c.expression { expressions.append(e) } else { failed = true }
        }
        if failed { throw ExitCode(ExitStatus.compileErrors.rawValue) }
        let session = Session(plan: compiled, dataset: dataset)
        var lines: [String] = []
        var evaluationFailed = false
        for e in expressions {
            do {
                lines.append(session.render(try session.evaluate(e)))
            } catch {
                report([error.diagnostic])
                evaluationFailed = true
            }
        }
        // Every constraint is checked on every evaluation (LANGUAGE.md §10).
        var status = ExitStatus.success
        do {
            status = reportViolations(try session.violations())
        } catch {
            report([error.diagnostic])
            evaluationFailed = true
        }
        report(session.warnings)
        if evaluationFailed { throw ExitCode(ExitStatus.dataErrors.rawValue) }
        for line in lines { printOut(line.replacingNewlines + "\n") }
        finish(status)
    }

    private func evaluateAll(_ compiled: CompiledPlan, _ dataset: Dataset) throws {
        let result = compiled.evaluate(dataset)
        report(result.diagnostics)
        if result.hasErrors { throw ExitCode(ExitStatus.dataErrors.rawValue) }
        let cols = columns.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
        switch format {
        case .json: writeOut(ResultFormatter.json(result).bytes() + [0x0A])
        case .csv: printOut(ResultFormatter.csv(result, columns: cols))
        case .table: printOut(ResultFormatter.table(result, columns: cols))
        }
        finish(reportViolations(result.violations))
    }
}

extension String {
    /// One printed value per line: a string holding a line break prints it
    /// escaped, so stdout keeps exactly one line per `--print`.
    var replacingNewlines: String {
        contains(where: { $0 == "\n" || $0 == "\r" }) ? replacingOccurrences(of: "\r", with: "\\r").replacingOccurrences(of: "\n", with: "\\n") : self
    }
}
