/// Reads a plan and its imports (LANGUAGE.md §5 "Imports") and parses them
/// into one compilation: the main file first, then each imported file once,
/// in the order first imported. Import cycles are errors naming the chain.
struct PlanLoader {
    /// Longest chain of files importing one another.
    static let maximumImportDepth = 64

    let loader: ImportLoader?
    var diagnostics = DiagnosticBag()
    var files: [PlanFile] = []
    var nextID: NodeID = 0
    private var loaded: [String: Int32] = [:]

    init(loader: ImportLoader?) { self.loader = loader }

    mutating func load(main: SourceFile) {
        let index = diagnostics.add(file: main)
        loaded[main.name] = index
        parse(main, index, chain: [main.name])
    }

    /// A further source compiled with the plan, as if the plan imported it.
    mutating func load(additional file: SourceFile) {
        guard loaded[file.name] == nil else { return }
        let index = diagnostics.add(file: file)
        loaded[file.name] = index
        parse(file, index, chain: [file.name])
    }

    private mutating func parse(_ source: SourceFile, _ index: Int32, chain: [String]) {
        let file = Parser.parseFile(source, fileIndex: index, nextID: &nextID, diagnostics: &diagnostics)
        files.append(file)
        for decl in file.declarations {
            guard case .import(let imp) = decl else { continue }
            guard let loader else {
                diagnostics.error(imp.pathSpan, "imports are not available here: no loader was given to resolve \(CanonicalText.quote(imp.path))")
                continue
            }
            let resolved: ImportedSource
            do {
                resolved = try loader(imp.path, source.name)
            } catch {
                diagnostics.error(imp.pathSpan, "cannot import \(CanonicalText.quote(imp.path)): \(error.message)")
                continue
            }
            if let cycleStart = chain.firstIndex(of: resolved.name) {
                let names = (chain[cycleStart...] + [resolved.name]).joined(separator: " -> ")
                diagnostics.error(imp.pathSpan, "import cycle: \(names)")
                continue
            }
            if loaded[resolved.name] != nil { continue }
            guard chain.count < Self.maximumImportDepth else {
                diagnostics.error(imp.pathSpan, "imports nested too deeply (more than \(Self.maximumImportDepth) files importing one another)")
                continue
            }
            let child = SourceFile(name: resolved.name, bytes: resolved.bytes)
            let childIndex = diagnostics.add(file: child)
            loaded[resolved.name] = childIndex
            parse(child, childIndex, chain: chain + [resolved.name])
        }
    }
}

/// What an import loader returns: the imported file's display name (used in
/// diagnostics and to detect cycles; e.g. its path) and its bytes.
public struct ImportedSource: Sendable {
    public var name: String
    public var bytes: [UInt8]
    public init(name: String, bytes: [UInt8]) {
        self.name = name
        self.bytes = bytes
    }
}

/// Why an import could not be loaded.
public struct ImportError: Error, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
}

/// Resolves `import "path"` written in the file named `importer`.
public typealias ImportLoader = @Sendable (_ path: String, _ importer: String) throws(ImportError) -> ImportedSource
