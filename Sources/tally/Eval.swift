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

    @Option(name: .customLong("format"), help: "Output format without --print: table (default), json or csv.")
    var formatOption: Format?

    var format: Format { formatOption ?? .table }

    @Option(name: .long, help: "Comma-separated person columns for table and csv output.")
    var columns: String?

    func validate() throws {
        if columns != nil, !prints.isEmpty { throw ValidationError("--columns chooses table and csv columns; it does not apply with --print") }
        if formatOption != nil, !prints.isEmpty {
            throw ValidationError("--format shapes the whole result; with --print each value prints as canonical text, one line each")
        }
        if columns != nil, format == .json { throw ValidationError("--columns chooses table and csv columns; --format json prints everything") }
    }

    /// The person columns named by `--columns`: each a person value of the
    /// plan (an objective also as `<id>.score`, as CSV headers name it); an
    /// unknown name is a usage error with a suggestion.
    private func checkedColumns(_ text: String, _ plan: CompiledPlan) throws -> [String] {
        let known = plan.personValueNames
        guard !text.allSatisfy({ $0 == "," || $0.isWhitespace }) else {
            printError("tally: error: --columns names no column: give person values, e.g. --columns score,quarterly_bonus")
            throw ExitCode(ExitStatus.usage.rawValue)
        }
        var out: [String] = []
        for raw in text.split(separator: ",") {
            var name = raw.trimmingCharacters(in: .whitespaces)
            if ["id", "name", "team"].contains(name) || name.isEmpty { continue }  // always shown first
            if name.hasSuffix(".score"), known.contains(String(name.dropLast(6))) { name = String(name.dropLast(6)) }
            guard known.contains(name) else {
                let hint = Suggestions.hint(for: name, in: known)
                printError("tally: error: --columns: people have no value `\(name)`\(hint)")
                throw ExitCode(ExitStatus.usage.rawValue)
            }
            if !out.contains(name) { out.append(name) }   // a column named twice is shown once
        }
        return out
    }

    func run() throws {
        let compiled = try compilePlan(plan)
        let dataset = try loadData(compiled, data)
        prints.isEmpty ? try evaluateAll(compiled, dataset) : try printExpressions(compiled, dataset)
        finish(.success)
    }

    /// Scalars that end a line for some reader: LF, VT, FF, CR, NEL, U+2028, U+2029.
    static func isLineBreak(_ u: Unicode.Scalar) -> Bool {
        (0x0A...0x0D).contains(u.value) || u.value == 0x85 || u.value == 0x2028 || u.value == 0x2029
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
        var reported: Set<String> = []
        func fail(_ d: Diagnostic) {
            evaluationFailed = true
            // A failure met by a constraint and again by a --print is said
            // once (the constraint's report lists every subject it affects).
            let key = "\(d.location?.description ?? "") \(d.message.drop { $0 != ":" })"
            if reported.insert(key).inserted { report([d]) }
        }
        // Every constraint is checked on every evaluation (LANGUAGE.md §10).
        var status = ExitStatus.success
        let (violations, failures) = session.checkConstraints()
        for f in failures { fail(f.diagnostic) }
        if failures.isEmpty { status = reportViolations(violations) }
        for e in expressions {
            do {
                let value = try session.evaluate(e)
                // A string prints raw (LANGUAGE.md §11) unless it holds a line
                // break: then quoted with its escapes, so that stdout keeps
                // one line per --print and `a\nb` typed as text stays apart.
                if case .string(let s) = value, s.unicodeScalars.contains(where: Self.isLineBreak) {
                    lines.append(CanonicalText.quote(s))
                } else {
                    lines.append(session.render(value))
                }
            } catch {
                fail(error.diagnostic)
            }
        }
        report(session.warnings)
        if evaluationFailed { throw ExitCode(ExitStatus.dataErrors.rawValue) }
        for line in lines { printOut(line + "\n") }
        finish(status)
    }

    private func evaluateAll(_ compiled: CompiledPlan, _ dataset: Dataset) throws {
        let result = compiled.evaluate(dataset)
        report(result.diagnostics)
        if result.hasErrors { throw ExitCode(ExitStatus.dataErrors.rawValue) }
        let cols = try columns.map { try checkedColumns($0, compiled) }
        switch format {
        case .json: writeOut(ResultFormatter.json(result).bytes() + [0x0A])
        case .csv: printOut(ResultFormatter.csv(result, columns: cols))
        case .table: printOut(ResultFormatter.table(result, columns: cols))
        }
        finish(reportViolations(result.violations))
    }
}
