import ArgumentParser
import Foundation
import Tally

/// Exit codes (LANGUAGE.md §11).
enum ExitStatus: Int32 {
    case success = 0
    case compileErrors = 1
    case dataErrors = 2
    case violations = 3
    case usage = 64
}

/// Ends the process with `status`. Called instead of returning from a
/// command so that the plan, dataset and results are not torn down value by
/// value just before the process exits anyway.
func finish(_ status: ExitStatus) -> Never {
    exit(status.rawValue)
}

/// The home directory `~` stands for: $HOME (as in a shell), else the account's.
func homeDirectory() -> String {
    ProcessInfo.processInfo.environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
}

/// Writes to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
}

/// Writes to standard output without Foundation buffering surprises.
func printOut(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
}

func writeOut(_ bytes: [UInt8]) {
    FileHandle.standardOutput.write(Data(bytes))
}

func report(_ diagnostics: [Diagnostic]) {
    for d in diagnostics { printError(d.rendered()) }
}

/// Reads a file named on the command line; a missing or unreadable file is a
/// usage error.
func readFile(_ path: String) throws -> [UInt8] {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
        printError("tally: error: no such file: \(path)")
        throw ExitCode(ExitStatus.usage.rawValue)
    }
    guard !isDirectory.boolValue, let data = FileManager.default.contents(atPath: path) else {
        printError("tally: error: cannot read \(path)\(isDirectory.boolValue ? ": it is a directory" : "")")
        throw ExitCode(ExitStatus.usage.rawValue)
    }
    return [UInt8](data)
}

/// Compiles the plan at `path`, printing every diagnostic; exits 1 on errors.
func compilePlan(_ path: String) throws -> CompiledPlan {
    let bytes = try readFile(path)
    let compilation = CompiledPlan.compile(bytes: bytes, name: path, loader: CompiledPlan.fileImportLoader(planPath: path))
    report(compilation.diagnostics)
    guard let plan = compilation.plan else { throw ExitCode(ExitStatus.compileErrors.rawValue) }
    return plan
}

/// A data file named twice (by any path to it), as an error message: its
/// records would be merged with themselves, every field "given twice".
func repeatedDataFile(_ paths: [String]) -> String? {
    var seen: [String: String] = [:]
    for p in paths {
        let key = URL(fileURLWithPath: p).standardizedFileURL.resolvingSymlinksInPath().path
        if let first = seen[key] {
            return first == p ? "the data file \(p) is named twice" : "the data files \(first) and \(p) are the same file"
        }
        seen[key] = p
    }
    return nil
}

/// Loads and binds the `--data` files, printing every diagnostic; exits 2 on errors.
func loadData(_ plan: CompiledPlan, _ paths: [String]) throws -> Dataset {
    if let repeated = repeatedDataFile(paths) {
        printError("tally: error: --data: \(repeated)")
        throw ExitCode(ExitStatus.usage.rawValue)
    }
    var files: [(name: String, bytes: [UInt8])] = []
    for p in paths {
        guard DatasetReader.kind(ofFileNamed: p) != nil else {
            printError("tally: error: --data \(p): not a dataset file name: use *.json, or company.csv, teams.csv and people.csv")
            throw ExitCode(ExitStatus.usage.rawValue)
        }
        files.append((p, try readFile(p)))
    }
    let load = plan.dataset(files: files)
    report(load.diagnostics)
    guard let data = load.dataset else {
        if paths.isEmpty {
            printError("note: no --data was given: the plan's inputs need a dataset (--data data.json, or company.csv, teams.csv and people.csv)")
        }
        throw ExitCode(ExitStatus.dataErrors.rawValue)
    }
    return data
}

/// Prints violations to stderr, at most ten per constraint (the JSON
/// output lists them all); returns the exit status they imply.
func reportViolations(_ violations: [Violation]) -> ExitStatus {
    var shown: [String: Int] = [:]
    var counts: [String: Int] = [:]
    for v in violations { counts[v.constraint, default: 0] += 1 }
    for v in violations {
        let n = shown[v.constraint, default: 0]
        shown[v.constraint] = n + 1
        let label = v.severity == .error ? "error" : "warning"
        if n < 10 {
            let who = v.subject == "company" ? "the company" : v.subject
            printError("\(label): constraint \"\(v.constraint)\" violated for \(who): \(v.message)")
        } else if n == 10 {
            printError("\(label): constraint \"\(v.constraint)\" violated for \(counts[v.constraint]! - 10) more subjects (`tally eval` with --format json, without --print, lists every violation)")
        }
    }
    return violations.contains { $0.severity == .error } ? .violations : .success
}
