import Foundation

/// Compiling plans and expressions for the façade (Tally.swift).
enum PlanCompiler {
    static func compile(bytes: [UInt8], name: String, loader: ImportLoader?,
                        additional: [(name: String, bytes: [UInt8])]) -> Compilation {
        LargeStack.run { compileHere(bytes: bytes, name: name, loader: loader, additional: additional) }
    }

    private static func compileHere(bytes: [UInt8], name: String, loader: ImportLoader?,
                                    additional: [(name: String, bytes: [UInt8])]) -> Compilation {
        var loader = PlanLoader(loader: loader)
        loader.load(main: SourceFile(name: name, bytes: bytes))
        for extra in additional { loader.load(additional: SourceFile(name: extra.name, bytes: extra.bytes)) }
        var bag = loader.diagnostics
        let syntaxErrors = bag.hasErrors
        let checked = Checker.check(loader.files, nodeCount: Int(loader.nextID), diagnostics: &bag)
        let diagnostics = sorted(bag.items, files: bag.files)
        guard !syntaxErrors, !bag.hasErrors, let program = Compiler.compile(checked) else {
            return Compilation(plan: nil, diagnostics: diagnostics)
        }
        let plan = CompiledPlan(checked: checked, program: program, nodeCount: loader.nextID,
                                warnings: diagnostics.filter { !$0.isError })
        return Compilation(plan: plan, diagnostics: diagnostics)
    }

    static func compile(file path: String, loader: ImportLoader?) -> Compilation {
        switch FileImportLoader.read(path) {
        case .failure(let message):
            return Compilation(plan: nil, diagnostics: [Diagnostic(.error, phase: .compile, message: "\(path): \(message)")])
        case .success(let bytes):
            return compile(bytes: bytes, name: path, loader: loader ?? FileImportLoader.make(planPath: path), additional: [])
        }
    }

    /// Diagnostics in file order (the main file first, then imports as first
    /// imported), then line and column; stable for equal positions.
    static func sorted(_ items: [Diagnostic], files: [SourceFile]) -> [Diagnostic] {
        let order = Dictionary(files.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        return items.enumerated().sorted { a, b in
            let la = a.element.location, lb = b.element.location
            let ka = (la.flatMap { order[$0.file] } ?? Int.max, la?.line ?? 0, la?.column ?? 0)
            let kb = (lb.flatMap { order[$0.file] } ?? Int.max, lb?.line ?? 0, lb?.column ?? 0)
            return ka != kb ? ka < kb : a.offset < b.offset
        }.map(\.element)
    }

    static func expression(_ text: String, name: String, in plan: CompiledPlan) -> ExpressionCompilation {
        LargeStack.runIfNeeded { expressionHere(text, name: name, in: plan) }
    }

    private static func expressionHere(_ text: String, name: String, in plan: CompiledPlan) -> ExpressionCompilation {
        let copy = plan.checked.copy()
        var bag = DiagnosticBag(files: copy.files)
        let file = SourceFile(name: name, text: text)
        let index = bag.add(file: file)
        copy.files = bag.files
        var nextID = plan.nodeCount
        let expr = Parser.parseExpression(file, fileIndex: index, nextID: &nextID, diagnostics: &bag)
        if bag.hasErrors { return ExpressionCompilation(expression: nil, diagnostics: bag.items) }
        let checker = Checker.forQuery(copy, diagnostics: bag)
        var env = Env(scope: .company, from: .query)
        let type = checker.check(expr, &env)
        bag = checker.diagnostics
        guard !bag.hasErrors, let code = Compiler.compileQuery(expr, plan: copy) else {
            return ExpressionCompilation(expression: nil, diagnostics: bag.items)
        }
        let p = plan.program
        let program = Program(header: p.header, scopes: p.scopes, functions: p.functions, tables: p.tables,
                              pools: p.pools, constraints: p.constraints, files: bag.files, readers: p.readers)
        return ExpressionCompilation(expression: CompiledExpression(code: code, program: program, text: text, type: type,
                                                                    expr: expr, checked: copy),
                                     diagnostics: bag.items)
    }
}

/// Imports from the file system, confined to the main plan's directory tree
/// (LANGUAGE.md §5): what the CLI and ``CompiledPlan/compile(contentsOfFile:loader:)`` use.
enum FileImportLoader {
    static func make(planPath: String) -> ImportLoader {
        let root = URL(fileURLWithPath: planPath).deletingLastPathComponent().standardizedFileURL.path
        return { (path: String, importer: String) throws(ImportError) -> ImportedSource in
            guard !path.hasPrefix("/") else {
                throw ImportError("import paths are relative to the importing file; absolute paths are not allowed")
            }
            // Text with a pseudo-name (`<repl>`, `<session>`: declarations
            // typed at a prompt) imports relative to the plan, as if written in it.
            let base = importer.hasPrefix("<") ? URL(fileURLWithPath: planPath).deletingLastPathComponent()
                                               : URL(fileURLWithPath: importer).deletingLastPathComponent()
            let resolved = base.appendingPathComponent(path).standardizedFileURL.path
            guard resolved == root || resolved.hasPrefix(root.hasSuffix("/") ? root : root + "/") else {
                throw ImportError("\(path) is outside the plan's directory \(root)")
            }
            // Symbolic links may not lead out of the tree either.
            let realRoot = URL(fileURLWithPath: root).resolvingSymlinksInPath().path
            let real = URL(fileURLWithPath: resolved).resolvingSymlinksInPath().path
            guard real == realRoot || real.hasPrefix(realRoot.hasSuffix("/") ? realRoot : realRoot + "/") else {
                throw ImportError("\(path) leads outside the plan's directory \(root) through a symbolic link")
            }
            guard case .success(let bytes) = read(resolved) else { throw ImportError("no such file: \(resolved)") }
            let relative = String(resolved.dropFirst(root.count)).drop { $0 == "/" }
            let shown = URL(fileURLWithPath: planPath).deletingLastPathComponent()
                .appendingPathComponent(String(relative)).relativePath
            return ImportedSource(name: shown, bytes: bytes)
        }
    }

    /// The bytes of a regular file, or why it cannot be read.
    static func read(_ path: String) -> Result<[UInt8], FileProblem> {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return .failure("no such file") }
        guard !isDirectory.boolValue else { return .failure("it is a directory, not a file") }
        // A FIFO or a device would block or never end: only regular files are read.
        if let type = (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType,
           type != .typeRegular, type != .typeSymbolicLink {
            return .failure("it is not a regular file")
        }
        guard let data = FileManager.default.contents(atPath: path) else { return .failure("cannot read the file") }
        return .success([UInt8](data))
    }

    struct FileProblem: Error, ExpressibleByStringLiteral, CustomStringConvertible {
        let description: String
        init(stringLiteral value: String) { description = value }
    }
}

/// Runs work on a thread with a large stack and waits for it, as the CLI
/// runs everything. The checker recurses once per definition a definition
/// reads before it is typed (about 10 frames each), so a long chain of
/// forward references can overflow a host's 8 MB (or 512 KB) thread; a
/// compile happens once per plan, so a thread per compile costs little.
enum LargeStack {
    /// Virtual size; pages are committed only as the stack grows.
    static let size = 1 << 29

    /// Runs `work` here when the current thread has at least 8 MB of stack
    /// left (the main thread and ordinary threads of a Linux host), else on
    /// a large-stack thread: parsing and reading nest up to their documented
    /// limits, which a small host thread cannot hold.
    static func runIfNeeded<T>(_ work: @escaping () -> T) -> T {
        if let left = StackGuard.remaining(), left >= 8 << 20 { return work() }
        return run(work)
    }

    static func run<T>(_ work: @escaping () -> T) -> T {
        let box = LargeStackBox(work)
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            box.value = box.work()
            done.signal()
        }
        thread.stackSize = size
        thread.start()
        done.wait()
        return box.value!
    }
}

/// Hands a non-Sendable object to work run on another thread while its
/// owner waits for that work (so it is never used by two threads at once).
struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

/// Carries the work and its result across the thread boundary; the
/// semaphore orders the accesses.
private final class LargeStackBox<T>: @unchecked Sendable {
    var value: T?
    let work: () -> T
    init(_ work: @escaping () -> T) { self.work = work }
}
