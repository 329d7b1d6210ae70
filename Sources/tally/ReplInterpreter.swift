import Foundation
import Tally

/// One REPL command: its name, arguments and help.
struct ReplCommand {
    let name: String
    let arguments: String
    let summary: String
    let detail: String
    /// Arguments are an expression that may span lines (open brackets).
    var multiline = false

    static let all: [ReplCommand] = [
        ReplCommand(name: "help", arguments: "[COMMAND]", summary: "this list, or help on one command",
                    detail: "Without an argument, lists the commands; `:help set` explains one."),
        ReplCommand(name: "load", arguments: "PLAN [--data FILE...]",
                    summary: "load another plan (keeps the data and overrides), or a plan and its data",
                    detail: """
                    Compiles PLAN and evaluates the current data with it, or with FILE... when `--data` \
                    is given (as `:data` reads them). Declarations typed at the prompt are dropped (they \
                    belonged to the old plan); overrides that still apply are kept. If PLAN does not \
                    compile or the data does not load, nothing changes.
                    """),
        ReplCommand(name: "data", arguments: "[FILE...]", summary: "load other data files (no FILE: list them)",
                    detail: """
                    Replaces the dataset with FILE... (data.json, or company.csv / teams.csv / people.csv, \
                    merged as with `tally eval --data`). Overrides that still apply are kept. If the data \
                    does not load, nothing changes. Without FILE, lists the files loaded.
                    """),
        ReplCommand(name: "reload", arguments: "", summary: "re-read the plan and data files; keep declarations and overrides",
                    detail: """
                    Reads the plan and data files again (after editing them elsewhere). Declarations typed \
                    at the prompt and overrides are kept where they still apply. If the files no longer \
                    compile or load, nothing changes.
                    """),
        ReplCommand(name: "set", arguments: "PATH = VALUE", summary: "what-if: override one input",
                    detail: """
                    Overrides an input of one subject, e.g.
                      :set people["E0042"].revenue = 1_500_000 CNY
                      :set teams["sales-east"].budget = none
                      :set company.defect_rate = 1.2%
                    VALUE is an expression evaluated with the overrides so far (`people["E1"].revenue * 1.1`); \
                    its type must be the input's (money in the plan currency, a number for number and \
                    percent inputs, none for an optional one). Setting an input again replaces its override.
                    """, multiline: true),
        ReplCommand(name: "unset", arguments: "PATH | all", summary: "remove one override, or all",
                    detail: "Removes the override of PATH (`:unset company.defect_rate`), or every override (`:unset all`)."),
        ReplCommand(name: "overrides", arguments: "", summary: "list the overrides with their baseline values",
                    detail: "Lists every override: the input, its value now, and its value in the data."),
        ReplCommand(name: "diff", arguments: "[all | N]", summary: "what the overrides change, largest first, with totals",
                    detail: """
                    Every result that differs from the baseline (the data without overrides): subject, name \
                    (with its title), before, after and delta. Money changes come first, largest absolute \
                    delta first, then number changes the same way, then other changes (text, dates, \
                    true/false); ties keep dataset order. Below: the changed totals of every incentive and \
                    pool part. Shows the first 100 rows; `:diff all` shows every one, `:diff N` the first N.
                    """),
        ReplCommand(name: "type", arguments: "EXPR", summary: "the static type of an expression",
                    detail: "Checks EXPR without evaluating it and prints its type: `number`, `money (CNY)`, `list of person`, ...",
                    multiline: true),
        ReplCommand(name: "show", arguments: "ID", summary: "one person or team: inputs, objectives, score, payouts",
                    detail: """
                    Shows the person or team with this id (`:show E0001`, `:show sales-east`, `:show company`; \
                    `:show team X` when a person has the same id): inputs (overridden ones marked *), \
                    objectives with each key result's weight, actual, baseline, target, progress and score, \
                    the score, text labels such as a rating, other values, and payouts, with the titles \
                    written in the plan.
                    """),
        ReplCommand(name: "solve", arguments: "TARGET = VALUE by INPUT [in LOW..HIGH]", summary: "goal seek: the INPUT that makes TARGET reach VALUE",
                    detail: """
                    Finds the value of the input INPUT (a path as for :set) that makes the expression \
                    TARGET (a number or money) equal VALUE, e.g.
                      :solve people["E0001"].payout_multiplier = 1 by people["E0001"].revenue
                    The search starts at the input's current value and walks outward both ways, doubling \
                    the distance, until TARGET reaches VALUE; then it bisects. It searches from 0 upward \
                    (or LOW..HIGH when given) with exact decimals, in steps of the currency's minor unit for \
                    money (0.01 CNY) and of 0.000001 for numbers and percentages, and reports the value \
                    nearest the current one at which TARGET equals VALUE — or, when TARGET jumps over \
                    VALUE, the first value past it. When TARGET never reaches VALUE (a cap, a floor) it \
                    says so, with the range TARGET covers and where it stops changing. Overrides in force \
                    are taken into account; the result is not applied (use :set).
                    """, multiline: true),
        ReplCommand(name: "explain", arguments: "EXPR", summary: "how a value is derived, down to the inputs",
                    detail: """
                    Prints the derivation of EXPR with the overrides in force: every rule and formula with \
                    its source line, the table row or curve segment that matched, key-result progress and \
                    clamping, incentive eligibility, cap, floor and rounding, and pool shares — as \
                    `tally explain` does (docs/explain.md).
                    """, multiline: true),
        ReplCommand(name: "quit", arguments: "", summary: "leave (Ctrl-D does too)", detail: "Leaves the REPL."),
    ]

    /// The command `word` (without its colon) names: exact, an alias, or a unique prefix.
    static func resolve(_ word: String) -> Result<ReplCommand, ReplError> {
        let aliases = ["q": "quit", "exit": "quit", "h": "help", "?": "help"]
        let name = aliases[word] ?? word
        if let exact = all.first(where: { $0.name == name }) { return .success(exact) }
        let matches = all.filter { $0.name.hasPrefix(name) && !name.isEmpty }
        if matches.count == 1 { return .success(matches[0]) }
        if matches.count > 1 {
            return .failure(ReplError("`:\(word)` is ambiguous: " + matches.map { ":" + $0.name }.joined(separator: ", ")))
        }
        return .failure(ReplError("unknown command `:\(word)`; :help lists the commands"))
    }
}

struct ReplError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

/// Collects input lines into complete entries: a line with an open bracket,
/// brace or string continues on the next.
struct EntryAccumulator {
    private(set) var lines: [String] = []

    var isEmpty: Bool { lines.isEmpty }

    mutating func reset() { lines = [] }

    /// Adds a line; returns the complete entry, or nil when more is needed.
    mutating func add(_ line: String) -> String? {
        lines.append(line)
        let text = lines.joined(separator: "\n")
        if Self.isIncomplete(text) { return nil }
        lines = []
        return text
    }

    /// Whatever was collected (at the end of input).
    mutating func flush() -> String {
        defer { lines = [] }
        return lines.joined(separator: "\n")
    }

    static func isIncomplete(_ text: String) -> Bool {
        let trimmed = text.drop { $0 == " " || $0 == "\t" }
        var code = text
        if trimmed.hasPrefix(":") {
            let word = trimmed.dropFirst().prefix { !$0.isWhitespace }
            guard case .success(let command) = ReplCommand.resolve(String(word)), command.multiline else { return false }
            code = String(trimmed.dropFirst(word.count + 1))
        }
        return Lexer.isIncomplete(code) && !hasUnterminatedStringBeforeLastLine(code)
    }

    /// A string cannot span lines (LANGUAGE.md §1): once a line before the
    /// last ends inside a string, more lines cannot complete the entry, so
    /// it is run (and reported) instead of swallowing the lines that follow.
    static func hasUnterminatedStringBeforeLastLine(_ text: String) -> Bool {
        guard let lastLine = text.utf8.lastIndex(of: UInt8(ascii: "\n")) else { return false }
        let lastLineStart = text.utf8.distance(from: text.utf8.startIndex, to: lastLine)
        var bag = DiagnosticBag()
        let tokens = Lexer.tokenize(SourceFile(name: "<repl>", text: text), fileIndex: 0, diagnostics: &bag)
        return tokens.contains { $0.isUnterminated && Int($0.span.start) < lastLineStart }
    }
}

/// The result of work done on another thread, read once it signalled.
private final class ResultBox<T>: @unchecked Sendable {
    var value: T?
}

/// Runs REPL entries against an `InteractiveSession`, printing results to
/// standard output and diagnostics to standard error.
final class ReplInterpreter {
    let interactive: Bool
    let reader: LineReader
    let session: InteractiveSession
    var planPath: String?
    var dataPaths: [String] = []
    /// Some entry failed (the exit status when input is piped).
    var failed = false
    var quitRequested = false
    /// Evaluation warnings already shown, per session.
    var warningsShown: (session: ObjectIdentifier, count: Int)?
    /// The baseline's full evaluation, running in the background (terminal only).
    var warm: WarmUp?
    /// The session generation a warm-up was last started for (one per baseline).
    var warmTried = -1
    /// "cancelled" was reported for the current entry.
    var cancelReported = false
    /// Print how long each entry took (TALLY_REPL_TIMING=1).
    let timing = ProcessInfo.processInfo.environment["TALLY_REPL_TIMING"] == "1"

    static let rowLimit = 1000
    static let diffLimit = 100

    init(interactive: Bool, reader: LineReader) {
        self.interactive = interactive
        self.reader = reader
        self.session = InteractiveSession(options: EvaluationOptions(isCancelled: reader.isInterrupted))
    }

    /// Piped input: 1 when any entry failed. On a terminal: 0.
    var exitStatus: ExitStatus { failed && !interactive ? .compileErrors : .success }

    // MARK: Output

    func out(_ text: String) { printOut(text.hasSuffix("\n") ? text : text + "\n") }
    func note(_ text: String) { printError("note: " + text) }

    func fail(_ diagnostics: [Diagnostic]) {
        for d in diagnostics { printError(d.rendered()) }
        if diagnostics.contains(where: \.isError) { failed = true }
    }

    func fail(_ message: String) {
        printError("error: " + message)
        failed = true
    }

    /// An error under part of the current entry.
    func fail(_ message: String, in entry: String, _ range: Range<Int>) {
        fail([InteractiveSyntax.diagnostic(message, in: SourceFile(name: InteractiveSession.inputName, text: entry),
                                           start: range.lowerBound, end: range.upperBound)])
    }

    func show(_ outcome: InteractiveSession.Outcome) {
        fail(outcome.diagnostics)
        for n in outcome.notes { note(n) }
    }

    // MARK: Start and loop

    /// Loads the plan and data named on the command line.
    func start(plan: String?, data: [String]) -> ExitStatus {
        planPath = plan
        dataPaths = data
        var status = ExitStatus.success
        switch readSources(plan: plan, data: data) {
        case .failure(let message):
            fail(message)
            status = .usage
        case .success(let (planSource, dataSources)):
            reader.beginCommand()
            let pending = interruptible(session.loading(plan: planSource, loader: plan.map { CompiledPlan.fileImportLoader(planPath: $0) },
                                                        data: dataSources))
            reader.endCommand()
            guard let pending else {
                out("Loading was cancelled: nothing is loaded; :reload loads the files again, :load loads another plan.")
                break
            }
            let outcome = session.commit(pending)
            show(outcome)
            if !outcome.ok {
                status = outcome.diagnostics.contains { $0.isError && $0.phase == .compile } ? .compileErrors : .dataErrors
            }
        }
        if interactive {
            // The banner is for the person at the terminal: with standard
            // output redirected it goes, like the prompts, to standard error.
            let say: (String) -> Void = isatty(1) != 0 ? out : { printError($0) }
            if status != .success {
                say("The plan or data did not load; fix the files and :reload, or :load another plan.")
                failed = false
            }
            say("Tally \(TallyCommand.configuration.version) REPL — \(summary())\nType an expression, a declaration or a command; :help lists the commands, Ctrl-D leaves.")
            updateCompleter()
            warmUp()
        }
        return status
    }

    /// Reads and runs entries until the end of input or :quit.
    func run() {
        var entries = EntryAccumulator()
        while !quitRequested {
            let prompt = interactive ? (entries.isEmpty ? "tally> " : "  ...> ") : ""
            switch reader.readLine(prompt: prompt) {
            case .endOfInput:
                if !entries.isEmpty, !interactive { execute(entries.flush()) }
                return
            case .interrupted:
                entries.reset()
            case .invalid(let message):
                // Not run; an entry it continued is dropped too.
                entries.reset()
                printError(message)
                failed = true
            case .line(let text):
                for piece in text.split(separator: "\n", omittingEmptySubsequences: false) {
                    guard let entry = entries.add(String(piece)) else { continue }
                    reader.addHistory(entry)
                    execute(entry)
                    if quitRequested { break }
                }
            }
        }
    }

    /// Runs one complete entry.
    func execute(_ entry: String) {
        adoptWarmUp()
        cancelReported = false
        reader.beginCommand()
        let started = Date()
        defer {
            // A cancelled evaluation is sticky in its session: start afresh.
            if session.recoverFromCancellation(), !cancelReported { cancelled() }
            reader.endCommand()
            if timing { printError(String(format: "(%.3f s)", Date().timeIntervalSince(started))) }
            if interactive {
                updateCompleter()
                warmUp()
            }
        }
        let lines = entry.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.allSatisfy({ $0.allSatisfy(\.isWhitespace) || $0.drop(while: \.isWhitespace).hasPrefix("#") }) { return }
        let bytes = Array(entry.utf8)
        let start = bytes.firstIndex { $0 != 0x20 && $0 != 0x09 } ?? 0
        if bytes[start] == UInt8(ascii: ":") {
            command(entry, at: start)
        } else {
            code(entry)
        }
    }

    /// On a terminal, evaluates the baseline in the background while the
    /// user types, so that the first :set and :diff need not (see
    /// `InteractiveSession.warmUp`). Nothing ever waits for it: an entry
    /// takes its result only once it is done (`adoptWarmUp`).
    func warmUp() {
        if let w = warm, w.generation != session.generation {
            w.cancel()
            warm = nil
        }
        guard interactive, warm == nil, warmTried != session.generation, let w = session.warmUp() else { return }
        warmTried = session.generation
        let thread = Thread { w.run() }
        thread.stackSize = 1 << 29
        thread.start()
        warm = w
    }

    /// Takes a finished warm-up's evaluation (without waiting for one that is not).
    func adoptWarmUp() {
        guard let w = warm, w.isDone else { return }
        warm = nil
        if session.adopt(w), let current = session.current {
            // Its warnings come from evaluating everything, not from what was asked.
            warningsShown = (ObjectIdentifier(current), current.warnings.count)
        }
    }

    /// Runs `work` on another thread while this one waits; on a terminal,
    /// Ctrl-C stops the waiting (nil): the work then finishes in the
    /// background and its result is dropped. For work that changes nothing
    /// until its result is used (compiling, reading and binding data).
    func interruptible<T>(_ work: @escaping @Sendable () -> T) -> T? {
        guard interactive else { return work() }
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            box.value = work()
            done.signal()
        }
        thread.stackSize = 1 << 26
        thread.start()
        while done.wait(timeout: .now() + .milliseconds(20)) == .timedOut {
            if reader.isInterrupted() { return nil }
        }
        return box.value
    }

    /// Reports that the entry was cancelled (once).
    func cancelled(_ detail: String = "") {
        guard !cancelReported else { return }
        cancelReported = true
        fail("cancelled" + detail)
    }

    /// Whether an evaluation of this entry was cancelled (then reported, and
    /// the sessions started afresh): its output is not to be shown.
    func wasCancelled() -> Bool {
        guard session.recoverFromCancellation() || cancelReported else { return false }
        cancelled()
        return true
    }

    func updateCompleter() {
        replCompleter = Completer(plan: session.plan, dataset: session.dataset, commands: ReplCommand.all.map { ":" + $0.name })
    }

    // MARK: Code: expressions and declarations

    func code(_ entry: String) {
        guard session.plan != nil else { return fail("no plan loaded: use :load PLAN") }
        if InteractiveSession.isDeclaration(entry) {
            guard let pending = interruptible(session.declaring(entry)) else { return cancelled(": nothing changed") }
            show(session.commit(pending))
            return
        }
        guard let value = evaluate(entry, original: entry), let current = session.current ?? session.sessionWithoutData else { return }
        let text = current.display(value, rowLimit: Self.rowLimit)
        if wasCancelled() { return }
        out(text)
        showWarnings()
    }

    /// Compiles `text` (an isolated part of `original`, or all of it) and
    /// evaluates it with the overrides; nil (after reporting) on failure.
    func evaluate(_ text: String, original: String) -> Value? {
        guard let expression = compile(text, original: original) else { return nil }
        guard let current = session.current ?? session.sessionWithoutData else {
            fail(session.noDataset())
            return nil
        }
        do {
            return try current.evaluate(expression)
        } catch {
            report(error, original: original)
            return nil
        }
    }

    func compile(_ text: String, original: String) -> CompiledExpression? {
        guard let compilation = session.expression(text) else {
            fail("no plan loaded: use :load PLAN")
            return nil
        }
        fail(InteractiveSyntax.restoringLines(compilation.diagnostics, SourceFile(name: InteractiveSession.inputName, text: original)))
        return compilation.expression
    }

    func report(_ error: EvaluationFailure, original: String) {
        if error.kind == .cancelled { return cancelled() }
        fail(InteractiveSyntax.restoringLines([error.diagnostic], SourceFile(name: InteractiveSession.inputName, text: original)))
        showWarnings()
    }

    func showWarnings() {
        guard let current = session.current ?? session.sessionWithoutData else { return }
        let id = ObjectIdentifier(current)
        let shown = warningsShown?.session == id ? warningsShown!.count : 0
        let all = current.warnings
        for w in all.dropFirst(shown) { printError(w.rendered()) }
        warningsShown = (id, all.count)
    }

    // MARK: Commands

    func command(_ entry: String, at colon: Int) {
        let bytes = Array(entry.utf8)
        var end = colon + 1
        while end < bytes.count, bytes[end] != 0x20, bytes[end] != 0x09, bytes[end] != 0x0A { end += 1 }
        let word = String(decoding: bytes[(colon + 1)..<end], as: UTF8.self)
        var argsStart = end
        while argsStart < bytes.count, bytes[argsStart] == 0x20 || bytes[argsStart] == 0x09 { argsStart += 1 }
        let args = String(decoding: bytes[argsStart...], as: UTF8.self)
        let command: ReplCommand
        switch ReplCommand.resolve(word) {
        case .failure(let e): return fail(e.message, in: entry, colon..<end)
        case .success(let c): command = c
        }
        let trimmedArgs = args.trimmingCharacters(in: .whitespacesAndNewlines)
        if ["quit", "reload", "overrides"].contains(command.name), !trimmedArgs.isEmpty {
            return fail("`:\(command.name)` takes no arguments", in: entry, argsStart..<bytes.count)
        }
        switch command.name {
        case "help": help(trimmedArgs)
        case "quit": quitRequested = true
        case "load": load(trimmedArgs, entry, argsStart)
        case "data": data(trimmedArgs)
        case "reload": reload()
        case "set": set(args, entry, argsStart)
        case "unset": unset(trimmedArgs, entry, argsStart)
        case "overrides": listOverrides()
        case "diff": diff(trimmedArgs, entry, argsStart)
        case "type": type(entry, argsStart)
        case "show": show(trimmedArgs, entry, argsStart)
        case "solve": solve(args, entry, argsStart)
        case "explain": explain(entry, argsStart)
        default: fail("unknown command `:\(word)`")
        }
    }

    func help(_ topic: String) {
        if topic.isEmpty {
            var rows: [[String]] = ReplCommand.all.map { [":\($0.name) \($0.arguments)".trimmingCharacters(in: .whitespaces), $0.summary] }
            rows.append(["EXPR", "evaluate an expression in the company scope (lists print as tables)"])
            rows.append(["let / func / table / for ...", "add a declaration to the session's plan"])
            var text = TextTable.render(headers: ["command", "what it does"], rows: rows)
            text = text.split(separator: "\n").dropFirst(2).joined(separator: "\n") + "\n"
            text += """

            Commands may be shortened to a unique prefix (:o for :overrides). `:help COMMAND` explains one.
            An open bracket, brace or string continues the entry on the next line. Keys: Tab completes \
            names, members after `.` and ids inside people[" / teams["; Ctrl-C cancels the entry; Ctrl-D \
            on an empty line leaves.

            """
            out(text)
            return
        }
        let word = topic.hasPrefix(":") ? String(topic.dropFirst()) : topic
        switch ReplCommand.resolve(word) {
        case .failure(let e): fail(e.message)
        case .success(let c): out(":\(c.name) \(c.arguments)".trimmingCharacters(in: .whitespaces) + "\n  " + c.summary + "\n\n" + Self.wrap(c.detail))
        }
    }

    /// Paragraphs wrapped at `width` display columns; lines that start with
    /// spaces (examples) are kept as they are.
    static func wrap(_ text: String, width: Int = 78) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            if line.hasPrefix(" ") || DisplayWidth.of(String(line)) <= width { return String(line) }
            var lines: [String] = []
            var current = ""
            for word in line.split(separator: " ") {
                if !current.isEmpty, DisplayWidth.of(current) + 1 + DisplayWidth.of(String(word)) > width {
                    lines.append(current)
                    current = ""
                }
                current += (current.isEmpty ? "" : " ") + word
            }
            if !current.isEmpty { lines.append(current) }
            return lines.joined(separator: "\n")
        }.joined(separator: "\n")
    }

    /// A one-line description of what is loaded.
    func summary() -> String {
        guard let plan = session.plan else { return "no plan loaded" }
        var parts: [String] = []
        if let path = planPath, session.planSource != nil {
            parts.append("plan \(CanonicalText.quote(plan.info.title)) (\(path))")
        } else {
            parts.append("no plan file (an empty plan, currency \(plan.info.currency.code))")
        }
        if let data = session.dataset {
            if session.dataFiles.isEmpty {
                parts.append("no data")
            } else {
                parts.append("\(data.personCount) \(data.personCount == 1 ? "person" : "people"), \(data.teamCount) \(data.teamCount == 1 ? "team" : "teams")")
            }
        } else {
            parts.append("no dataset (:data FILE loads one)")
        }
        if session.declarationCount > 0 { parts.append("\(session.declarationCount) declarations typed here") }
        if !session.overrides.isEmpty { parts.append("\(session.overrides.count) overrides") }
        return parts.joined(separator: ", ")
    }

    func readSources(plan: String?, data: [String]) -> Result<(InteractiveSession.Source?, [InteractiveSession.Source]), ReadError> {
        var planSource: InteractiveSession.Source?
        if let plan {
            switch readBytes(plan) {
            case .failure(let e): return .failure(e)
            case .success(let b): planSource = InteractiveSession.Source(name: plan, bytes: b)
            }
        }
        if let repeated = repeatedDataFile(data) { return .failure(ReadError(message: repeated)) }
        var sources: [InteractiveSession.Source] = []
        for path in data {
            switch readBytes(path) {
            case .failure(let e): return .failure(e)
            case .success(let b): sources.append(InteractiveSession.Source(name: path, bytes: b))
            }
        }
        return .success((planSource, sources))
    }

    struct ReadError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    func readBytes(_ path: String) -> Result<[UInt8], ReadError> {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return .failure(ReadError(message: "no such file: \(path)"))
        }
        guard !isDirectory.boolValue, let data = FileManager.default.contents(atPath: path) else {
            return .failure(ReadError(message: "cannot read \(path)\(isDirectory.boolValue ? ": it is a directory" : "")"))
        }
        return .success([UInt8](data))
    }

    func fail(_ error: ReadError) { fail(error.message) }

    /// `range` without the spaces and line ends at either end.
    static func trimmed(_ range: Range<Int>, in text: String) -> Range<Int> {
        let bytes = Array(text.utf8)
        var lo = range.lowerBound, hi = min(range.upperBound, bytes.count)
        func space(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
        while lo < hi, space(bytes[lo]) { lo += 1 }
        while hi > lo, space(bytes[hi - 1]) { hi -= 1 }
        return lo..<hi
    }

    /// Splits arguments at spaces; double quotes group (`"my file.json"`).
    /// The file names of `:load` / `:data`, split as a shell would for the
    /// common cases: `"a b.json"` or `a\\ b.json` for a space, and `~/` for
    /// the home directory (what readline's file-name completion writes).
    static func words(_ text: String) -> [String] {
        var out: [String] = []
        var current = ""
        var quoted = false
        var escaped = false
        var any = false
        func finish() {
            if any { out.append(expandingHome(current)) }
            current = ""
            any = false
        }
        for c in text {
            if escaped { current.append(c); escaped = false; continue }
            if c == "\\" && !quoted { escaped = true; any = true; continue }
            if c == "\"" { quoted.toggle(); any = true; continue }
            if c.isWhitespace && !quoted { finish(); continue }
            current.append(c)
            any = true
        }
        if escaped { current.append("\\") }
        finish()
        return out
    }

    /// `~` or `~/…` with the home directory.
    static func expandingHome(_ path: String) -> String {
        guard path == "~" || path.hasPrefix("~/") else { return path }
        return homeDirectory() + path.dropFirst()
    }

    func load(_ args: String, _ entry: String, _ argsStart: Int) {
        // :load PLAN, or :load PLAN --data FILE... (plan and data together).
        let words = Self.words(args)
        let usage = "usage: :load PLAN, or :load PLAN --data FILE..."
        guard let path = words.first, !path.hasPrefix("--") else { return fail(usage) }
        var dataGiven: [String]?
        if words.count > 1 {
            guard words[1] == "--data" else { return fail(usage) }
            let files = words.dropFirst(2).filter { $0 != "--data" }
            guard !files.isEmpty else { return fail(usage) }
            dataGiven = Array(files)
        }
        loadPlan(path, data: dataGiven)
    }

    /// Loads the plan at `path` with the data files `dataGiven` (nil: the
    /// data loaded now); nothing changes if either does not load.
    func loadPlan(_ path: String, data dataGiven: [String]?) {
        let plan: InteractiveSession.Source
        var data = session.dataFiles
        switch readSources(plan: path, data: dataGiven ?? []) {
        case .failure(let e): return fail(e)
        case .success(let (p, d)):
            plan = p!
            if dataGiven != nil { data = d }
        }
        guard let pending = interruptible(session.loading(plan: plan, loader: CompiledPlan.fileImportLoader(planPath: path),
                                                          data: data, keepDeclarations: false)) else {
            return cancelled(": nothing changed")
        }
        let outcome = session.commit(pending)
        show(outcome)
        guard outcome.ok else { return }
        planPath = path
        if let dataGiven { dataPaths = dataGiven }
        out("loaded " + summary())
    }

    func data(_ args: String) {
        let paths = Self.words(args)
        if paths.isEmpty {
            if dataPaths.isEmpty { out("no data files loaded") } else { out(dataPaths.joined(separator: "\n")) }
            out(summary())
            return
        }
        // The plan named on the command line (or by :load) did not load —
        // or its data did not: load it again together with these files.
        if let planPath, session.planSource == nil { return loadPlan(planPath, data: paths) }
        let sources: [InteractiveSession.Source]
        switch readSources(plan: nil, data: paths) {
        case .failure(let e): return fail(e)
        case .success(let (_, d)): sources = d
        }
        guard let pending = interruptible(session.loading(plan: session.planSource, loader: session.loader, data: sources)) else {
            return cancelled(": nothing changed")
        }
        let outcome = session.commit(pending)
        show(outcome)
        guard outcome.ok else { return }
        dataPaths = paths
        out("loaded " + summary())
    }

    func reload() {
        let sources: (InteractiveSession.Source?, [InteractiveSession.Source])
        switch readSources(plan: planPath, data: dataPaths) {
        case .failure(let e): return fail(e)
        case .success(let s): sources = s
        }
        guard let pending = interruptible(session.loading(plan: sources.0, loader: planPath.map { CompiledPlan.fileImportLoader(planPath: $0) },
                                                          data: sources.1)) else {
            return cancelled(": nothing changed")
        }
        let outcome = session.commit(pending)
        show(outcome)
        guard outcome.ok else {
            if session.plan != nil { note("nothing changed: the session goes on with what was loaded before") }
            return
        }
        out("reloaded " + summary())
    }

    // MARK: What-if

    /// The value of an input path in a session, rendered (nil if it fails).
    func inputValue(_ path: InputPath, in s: Session?) -> String? {
        guard let s, let c = session.expression(path.description)?.expression, let v = try? s.evaluate(c) else { return nil }
        return s.render(v)
    }

    func set(_ args: String, _ entry: String, _ argsStart: Int) {
        let parsed: SetArguments
        switch SetArguments.parse(args) {
        case .failure(let e): return fail(e.message, in: entry, (argsStart + e.start)..<(argsStart + e.end))
        case .success(let p): parsed = p
        }
        guard session.current != nil else { return fail(session.noDataset()) }
        let valueRange = Self.trimmed((argsStart + parsed.value.offset)..<entry.utf8.count, in: entry)
        guard let value = evaluate(InteractiveSyntax.isolate(entry, valueRange), original: entry) else { return }
        switch value {
        case .list, .record, .subject:
            return fail("an input's value is a number, money, text, a date, true/false or none, not \(value.typeName)",
                        in: entry, valueRange)
        default: break
        }
        let pathRange = (argsStart + parsed.pathRange.lowerBound)..<(argsStart + parsed.pathRange.upperBound)
        let outcome = session.set(parsed.path.override(value))
        if outcome.cancelled { return cancelled(": nothing changed") }
        guard outcome.ok else {
            for d in outcome.diagnostics {
                let aboutPath = d.message.contains("is not an input") || d.message.contains(" has id ")
                fail(d.message, in: entry, aboutPath ? pathRange : valueRange)
            }
            return
        }
        let was = inputValue(parsed.path, in: session.baseline).map { " (was \($0))" } ?? ""
        // The value in force: a plain number for a money input became money.
        let now = inputValue(parsed.path, in: session.current) ?? session.current?.render(value) ?? ""
        out("\(parsed.path) = \(now)\(was)")
    }

    func unset(_ args: String, _ entry: String, _ argsStart: Int) {
        if args.isEmpty { return fail("usage: :unset PATH, or :unset all") }
        if args == "all" {
            let n = session.overrides.count
            session.unsetAll()
            out(n == 0 ? "no overrides" : "removed \(n) override\(n == 1 ? "" : "s")")
            return
        }
        let path: InputPath
        switch InputPath.parse(args) {
        case .failure(let e): return fail(e.message, in: entry, (argsStart + e.start)..<(argsStart + e.end))
        case .success(let p): path = p
        }
        guard session.unset(path) else {
            if session.plan != nil, !session.declaresInput(path) {
                return fail("\(path): `\(path.field)` is not an input, so it has no override (:set changes inputs only)")
            }
            return fail("\(path) has no override" + (session.overrides.isEmpty ? " (there are none)" : "; :overrides lists them"))
        }
        out("removed the override of \(path)" + (inputValue(path, in: session.baseline).map { " (back to \($0))" } ?? ""))
    }

    func listOverrides() {
        guard !session.overrides.isEmpty else { return out("no overrides") }
        let rows = session.overrides.map { o -> [String] in
            let path = InputPath(o)
            return [CellText.cut(path.description), CellText.summary(o.value),
                    CellText.cut(inputValue(path, in: session.baseline) ?? "")]
        }
        out(TextTable.render(headers: ["input", "value", "baseline"], rows: rows))
    }

    func diff(_ args: String, _ entry: String, _ argsStart: Int) {
        var limit: Int? = Self.diffLimit
        if args == "all" {
            limit = nil
        } else if let n = Int(args), n > 0 {
            limit = n
        } else if !args.isEmpty {
            return fail("usage: :diff, :diff all or :diff N", in: entry, argsStart..<entry.utf8.count)
        }
        guard let report = session.diff() else { return fail(session.noDataset()) }
        if session.overrides.isEmpty { return out("no overrides: nothing differs from the baseline (:set changes an input)") }
        if wasCancelled() { return }
        out(report.rendered(limit: limit))
    }

    func type(_ entry: String, _ argsStart: Int) {
        guard argsStart < entry.utf8.count else { return fail("usage: :type EXPR") }
        guard let e = compile(InteractiveSyntax.isolate(entry, argsStart..<entry.utf8.count), original: entry) else { return }
        out(e.typeDescription)
    }

    func explain(_ entry: String, _ argsStart: Int) {
        guard argsStart < entry.utf8.count else { return fail("usage: :explain EXPR") }
        guard let e = compile(InteractiveSyntax.isolate(entry, argsStart..<entry.utf8.count), original: entry) else { return }
        guard let current = session.current ?? session.sessionWithoutData else { return fail(session.noDataset()) }
        let explanation = current.explain(e)
        if wasCancelled() { return }
        out(explanation.renderText())
        if explanation.value == nil {
            // The tree shows where; the reason goes with the diagnostics.
            do { _ = try current.evaluate(e) } catch { return report(error, original: entry) }
            failed = true
        }
    }

    func show(_ args: String, _ entry: String, _ argsStart: Int) {
        guard !args.isEmpty else { return fail("usage: :show ID (a person or team id, or company)") }
        guard let current = session.current else { return fail(session.noDataset()) }
        guard let (scope, id) = current.subject(named: args) else {
            // `:show team X` / `:show person X` name the kind.
            var kind = "person or team", key = args
            for prefix in ["team ", "person "] where args.hasPrefix(prefix) {
                kind = String(prefix.dropLast())
                key = String(args.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces)
            }
            return fail("no \(kind) has id \(CanonicalText.quote(key))" + current.suggestion(forSubject: key),
                        in: entry, argsStart..<entry.utf8.count)
        }
        let report = current.report(scope: scope, id: id, baseline: session.baseline, overrides: session.overrides)
        if wasCancelled() { return }
        out(report.text)
        // What failed shows as `error` in the report, explained here.
        if !report.failures.isEmpty { fail(report.failures) }
    }

    func solve(_ args: String, _ entry: String, _ argsStart: Int) {
        let parsed: SolveArguments
        switch SolveArguments.parse(args) {
        case .failure(let e): return fail(e.message, in: entry, (argsStart + e.start)..<(argsStart + e.end))
        case .success(let p): parsed = p
        }
        guard let current = session.current else { return fail(session.noDataset()) }
        func range(_ piece: TextPiece) -> Range<Int> {
            (argsStart + piece.offset)..<(argsStart + piece.offset + piece.text.utf8.count)
        }
        guard let target = compile(InteractiveSyntax.isolate(entry, range(parsed.target)), original: entry) else { return }
        guard let goal = evaluate(InteractiveSyntax.isolate(entry, range(parsed.value)), original: entry) else { return }
        var low: Value?, high: Value?
        if let l = parsed.low {
            guard let v = evaluate(InteractiveSyntax.isolate(entry, range(l)), original: entry) else { return }
            low = v
        }
        if let h = parsed.high {
            guard let v = evaluate(InteractiveSyntax.isolate(entry, range(h)), original: entry) else { return }
            high = v
        }
        switch current.solve(target: target, goal: goal, input: parsed.input, lower: low, upper: high) {
        case .failure(let f):
            if f.cancelled { return cancelled() }
            fail(f.message)
            fail(InteractiveSyntax.restoringLines(f.diagnostics, SourceFile(name: InteractiveSession.inputName, text: entry)))
        case .success(let report):
            if report.found {
                out(report.lines.joined(separator: "\n"))
            } else {
                failed = true
                printError("error: " + report.lines.joined(separator: "\n"))
            }
        }
    }
}
