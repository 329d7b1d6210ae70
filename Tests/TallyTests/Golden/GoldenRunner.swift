import Foundation
import XCTest
@testable import Tally

/// Golden tests written in Tally itself (in the style of starlark-go's and
/// Crafting Interpreters' test files): a plan whose comments say what the
/// line they sit on must produce.
///
/// Annotations (the text after the first `#` outside a string):
///
///     let x = 1 / 3          # => 0.3333333333333333333333333333333333
///     let z = 1 / 0          # eval-error: division by zero
///     let a = 2              # people["P1"].ratio => 0.5
///                            # people["P2"].ratio => eval-error: division by zero
///     let y = nope + 1       # error: unknown name
///     table t(x) first { … } # warning: never match
///                            # note: first declared here
///
/// - `# => WANT` checks the name declared on the line (`let`, `incentive`,
///   `pool`, `objective`), evaluated in the company scope.
/// - `# EXPR => WANT` evaluates EXPR in the company scope (as
///   `tally eval --print EXPR`). WANT is the canonical text, compared exactly,
///   or `eval-error: TEXT`.
/// - `# eval-error: TEXT` is `# => eval-error: TEXT` for the declared name,
///   and the error must be located on this line.
/// - `# error: TEXT` / `# warning: TEXT`: the compiler must report a
///   diagnostic of that severity on this line whose message contains TEXT.
///   Every compile diagnostic must be annotated: an unannotated one fails.
///   A file with an `error:` annotation must not compile and may carry no
///   value checks.
/// - `# note: TEXT`: some diagnostic carries a note on this line containing TEXT.
/// - `# eval-warning: TEXT`: evaluating the whole plan warns on this line
///   (e.g. a pool that pays nothing). Every evaluation error of the whole
///   plan must be on a line with an `eval-error` annotation, and every
///   evaluation warning must be annotated.
/// - `# data-error: TEXT` / `# data-warning: TEXT` (anywhere): loading the
///   dataset reports that. Data errors stop the file.
///
/// An annotation on a comment-only line applies to the nearest code line
/// above it. Texts are matched case-sensitively. A plan that needs data
/// reads `NAME.json` beside `NAME.tally`; otherwise an empty dataset.
enum Golden {
    enum Kind: Equatable {
        case compileError, compileWarning, note, evalWarning, dataError, dataWarning
        case value(expr: String?, want: String)   // expr nil: the declared name
        case evalError(expr: String?, text: String, located: Bool)
    }

    struct Annotation {
        var line: Int        // 1-based line of the comment
        var anchor: Int      // the code line it applies to (0: none)
        var kind: Kind
        var text: String     // the TEXT of diagnostics; unused for values
        var declared: String?
    }

    /// The comment part of a source line, if any (the first `#` outside a string).
    static func comment(of line: String) -> (code: String, comment: String?) {
        var inString = false
        var escaped = false
        var index = line.startIndex
        while index < line.endIndex {
            let c = line[index]
            if inString {
                if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { inString = false }
            } else if c == "\"" {
                inString = true
            } else if c == "#" {
                return (String(line[..<index]), String(line[line.index(after: index)...]))
            }
            index = line.index(after: index)
        }
        return (line, nil)
    }

    static let declaration = try! NSRegularExpression(
        pattern: #"^\s*(?:let|incentive|pool|objective)\s+([\p{L}_][\p{L}\p{N}_]*)"#)

    static func declaredName(_ code: String) -> String? {
        let ns = code as NSString
        guard let m = declaration.firstMatch(in: code, range: NSRange(location: 0, length: ns.length)) else { return nil }
        return ns.substring(with: m.range(at: 1))
    }

    static func annotations(_ source: String) -> [Annotation] {
        var result: [Annotation] = []
        var lastCode = 0
        var lastDeclared: String?
        for (i, raw) in source.components(separatedBy: "\n").enumerated() {
            let n = i + 1
            let (code, comment) = Self.comment(of: raw.hasSuffix("\r") ? String(raw.dropLast()) : raw)
            if !code.trimmingCharacters(in: .whitespaces).isEmpty {
                lastCode = n
                lastDeclared = declaredName(code)
            }
            guard let text = comment?.trimmingCharacters(in: .whitespaces) else { continue }
            func after(_ prefix: String) -> String? {
                text.hasPrefix(prefix) ? text.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces) : nil
            }
            var a = Annotation(line: n, anchor: lastCode, kind: .note, text: "", declared: lastDeclared)
            if let t = after("error:") { a.kind = .compileError; a.text = t }
            else if let t = after("warning:") { a.kind = .compileWarning; a.text = t }
            else if let t = after("note:") { a.kind = .note; a.text = t }
            else if let t = after("eval-warning:") { a.kind = .evalWarning; a.text = t }
            else if let t = after("data-error:") { a.kind = .dataError; a.text = t }
            else if let t = after("data-warning:") { a.kind = .dataWarning; a.text = t }
            else if let t = after("eval-error:") { a.kind = .evalError(expr: nil, text: t, located: true); a.text = t }
            else if let arrow = text.range(of: "=>", options: .backwards) {
                let lhs = text[..<arrow.lowerBound].trimmingCharacters(in: .whitespaces)
                let rhs = text[arrow.upperBound...].trimmingCharacters(in: .whitespaces)
                let expr: String? = lhs.isEmpty ? nil : lhs
                if rhs.hasPrefix("eval-error:") {
                    let t = rhs.dropFirst("eval-error:".count).trimmingCharacters(in: .whitespaces)
                    a.kind = .evalError(expr: expr, text: t, located: false)
                    a.text = t
                } else {
                    a.kind = .value(expr: expr, want: rhs)
                }
            } else {
                continue // an ordinary comment
            }
            result.append(a)
        }
        return result
    }

    /// Runs one golden file; returns every failure as `FILE:LINE: message`.
    static func run(name: String, source: [UInt8], data: [UInt8]?) -> (failures: [String], checks: Int) {
        var failures: [String] = []
        var checks = 0
        func fail(_ line: Int, _ message: String) { failures.append("\(name):\(line): \(message)") }
        guard let text = String(bytes: source, encoding: .utf8) else { return (["\(name): not UTF-8"], 0) }
        let notes = annotations(text)
        if notes.isEmpty { fail(0, "a golden file without annotations tests nothing") }

        // 1. Compile diagnostics: every annotation matched, every diagnostic annotated.
        let compilation = CompiledPlan.compile(bytes: source, name: name)
        func line(_ d: Diagnostic) -> Int { d.location.flatMap { $0.file == name ? $0.line : nil } ?? 0 }
        func matchDiagnostics(_ diags: [Diagnostic], _ wanted: [Annotation], what: String) {
            var used = Array(repeating: false, count: diags.count)
            for a in wanted {
                checks += 1
                if let i = diags.indices.first(where: { !used[$0] && (a.anchor == 0 || line(diags[$0]) == a.anchor) && diags[$0].message.contains(a.text) }) {
                    used[i] = true
                } else {
                    let near = diags.filter { line($0) == a.anchor }.map { "\"\($0.message)\"" }.joined(separator: ", ")
                    fail(a.line, "missing \(what) containing \"\(a.text)\" on line \(a.anchor)" + (near.isEmpty ? "" : "; on that line: \(near)"))
                }
            }
            for (i, d) in diags.enumerated() where !used[i] {
                fail(line(d), "unexpected \(what): \(d.rendered())")
            }
        }
        let errors = compilation.diagnostics.filter { $0.severity == .error }
        let warnings = compilation.diagnostics.filter { $0.severity == .warning }
        matchDiagnostics(errors, notes.filter { $0.kind == .compileError }, what: "compile error")
        matchDiagnostics(warnings, notes.filter { $0.kind == .compileWarning }, what: "compile warning")
        let allNotes = compilation.diagnostics.flatMap(\.notes)
        for a in notes where a.kind == .note {
            checks += 1
            if !allNotes.contains(where: { line($0) == a.anchor && $0.message.contains(a.text) }) {
                fail(a.line, "missing note containing \"\(a.text)\" on line \(a.anchor); notes: \(allNotes.map { "\(line($0)): \($0.message)" })")
            }
        }
        let expectsCompileError = notes.contains { $0.kind == .compileError }
        if expectsCompileError {
            if compilation.plan != nil { fail(0, "compiled although compile errors were expected") }
            if let a = notes.first(where: { if case .value = $0.kind { return true }; if case .evalError = $0.kind { return true }; return false }) {
                fail(a.line, "a file expecting compile errors cannot check values")
            }
            return (failures, checks)
        }
        guard let plan = compilation.plan else {
            if errors.isEmpty { fail(0, "did not compile, without an error diagnostic") }
            return (failures, checks)
        }

        // 2. Data.
        let load = plan.dataset(files: [("\(name).json", data ?? Harness.emptyJSON)])
        let dataErrors = load.diagnostics.filter(\.isError)
        let dataWarnings = load.diagnostics.filter { !$0.isError }
        for (kind, found, what) in [(Kind.dataError, dataErrors, "data error"), (.dataWarning, dataWarnings, "data warning")] {
            let wanted = notes.filter { $0.kind == kind }
            var used = Array(repeating: false, count: found.count)
            for a in wanted {
                checks += 1
                if let i = found.indices.first(where: { !used[$0] && found[$0].message.contains(a.text) }) { used[i] = true }
                else { fail(a.line, "missing \(what) containing \"\(a.text)\"; got: \(found.map(\.message))") }
            }
            for (i, d) in found.enumerated() where !used[i] { fail(0, "unexpected \(what): \(d.rendered())") }
        }
        guard let dataset = load.dataset else {
            if dataErrors.isEmpty { fail(0, "dataset did not load, without an error") }
            return (failures, checks)
        }

        // 3. Value checks, each in a fresh session (as one `tally eval --print`).
        for a in notes {
            let exprText: String?
            let want: String?
            let errorText: String?
            var located = false
            switch a.kind {
            case .value(let e, let w): exprText = e; want = w; errorText = nil
            case .evalError(let e, let t, let l): exprText = e; want = nil; errorText = t; located = l
            default: continue
            }
            checks += 1
            guard let source = exprText ?? a.declared else {
                fail(a.line, "no declared name on line \(a.anchor) to check; write `# EXPR => WANT`")
                continue
            }
            let compiled = plan.expression(source)
            guard let expr = compiled.expression else {
                fail(a.line, "cannot compile `\(source)`: \(compiled.diagnostics.map(\.message))")
                continue
            }
            let session = Session(plan: plan, dataset: dataset)
            do {
                let value = try session.evaluate(expr)
                let got = session.render(value)
                if let want { if got != want { fail(a.line, "\(source): want \(want), got \(got)") } }
                else { fail(a.line, "\(source): want eval-error \"\(errorText!)\", got \(got)") }
            } catch {
                let d = error.diagnostic
                if let errorText {
                    // The message only: the rendered form quotes the source
                    // line, annotation comment included.
                    if !d.message.contains(errorText) { fail(a.line, "\(source): want eval-error \"\(errorText)\", got \(d.rendered())") }
                    if located, line(d) != a.anchor { fail(a.line, "\(source): the error is on line \(line(d)), not \(a.anchor): \(d.rendered())") }
                } else {
                    fail(a.line, "\(source): want \(want!), got error \(d.rendered())")
                }
            }
        }

        // 4. The whole plan: evaluation errors only where annotated, warnings exactly as annotated.
        let result = plan.evaluate(dataset)
        let errorLines = Set(notes.compactMap { a -> Int? in if case .evalError = a.kind { return a.anchor }; return nil })
        for d in result.diagnostics where d.isError {
            checks += 1
            if !errorLines.contains(line(d)) { fail(line(d), "unexpected evaluation error: \(d.rendered())") }
        }
        let evalWarnings = result.diagnostics.filter { !$0.isError }
        var used = Array(repeating: false, count: evalWarnings.count)
        for a in notes where a.kind == .evalWarning {
            checks += 1
            if let i = evalWarnings.indices.first(where: { !used[$0] && (a.anchor == 0 || line(evalWarnings[$0]) == a.anchor) && evalWarnings[$0].message.contains(a.text) }) {
                used[i] = true
            } else {
                fail(a.line, "missing evaluation warning containing \"\(a.text)\" on line \(a.anchor); got \(evalWarnings.map { "\(line($0)): \($0.message)" })")
            }
        }
        for (i, d) in evalWarnings.enumerated() where !used[i] { fail(line(d), "unexpected evaluation warning: \(d.rendered())") }
        return (failures, checks)
    }
}
