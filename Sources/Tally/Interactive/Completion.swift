// Tab completion for the REPL: commands, keywords, declared names, member
// names after `.`, and person / team ids inside `people["` and `teams["`.
// Independent of any line-editing library: given the text before the cursor
// it says which word to replace and with what.

/// What to do at a tab press.
public struct CompletionResult: Sendable, Equatable {
    /// UTF-8 offset in the line where the word being completed starts.
    public var start: Int
    /// Full replacements for the text from `start` to the cursor, sorted.
    public var candidates: [String]
    /// Whether a space should follow a single, final completion.
    public var appendSpace: Bool
    /// The word is a file name: the caller should complete file names.
    public var fileNames: Bool

    public init(start: Int, candidates: [String], appendSpace: Bool = false, fileNames: Bool = false) {
        self.start = start
        self.candidates = candidates
        self.appendSpace = appendSpace
        self.fileNames = fileNames
    }
}

/// Completes REPL input against a plan and a dataset.
public final class Completer: @unchecked Sendable {
    let plan: CompiledPlan?
    let dataset: Dataset?
    /// The REPL's commands, with their colon (`:set`).
    let commands: [String]
    /// Commands whose argument is a file name.
    let fileCommands: Set<String>

    public init(plan: CompiledPlan?, dataset: Dataset?, commands: [String], fileCommands: Set<String> = [":load", ":data"]) {
        self.plan = plan
        self.dataset = dataset
        self.commands = commands
        self.fileCommands = fileCommands
    }

    /// Completion for `line` with the cursor at UTF-8 offset `cursor`.
    public func complete(_ line: String, cursor: Int) -> CompletionResult {
        let bytes = Array(line.utf8.prefix(max(0, cursor)))
        let prefix = String(decoding: bytes, as: UTF8.self)
        let trimmedStart = bytes.firstIndex { $0 != 0x20 && $0 != 0x09 } ?? bytes.count

        // A command name, or a command's argument.
        if trimmedStart < bytes.count, bytes[trimmedStart] == UInt8(ascii: ":") {
            let rest = bytes[trimmedStart...]
            guard let space = rest.firstIndex(where: { $0 == 0x20 || $0 == 0x09 }) else {
                let word = String(decoding: rest, as: UTF8.self)
                return CompletionResult(start: trimmedStart, candidates: matching(commands, word), appendSpace: true)
            }
            let command = String(decoding: bytes[trimmedStart..<space], as: UTF8.self)
            if fileCommands.contains(command) {
                let start = (bytes.lastIndex { $0 == 0x20 || $0 == 0x09 } ?? space) + 1
                return CompletionResult(start: start, candidates: [], fileNames: true)
            }
            if command == ":help" {
                let start = (bytes.lastIndex { $0 == 0x20 } ?? space) + 1
                let word = String(decoding: bytes[start...], as: UTF8.self)
                return CompletionResult(start: start, candidates: matching(commands.map { String($0.dropFirst()) }, word))
            }
            if command == ":show" {
                let start = (bytes.lastIndex { $0 == 0x20 || $0 == 0x22 } ?? space) + 1
                let word = String(decoding: bytes[start...], as: UTF8.self)
                let ids = (dataset?.personIDs ?? []) + (dataset?.teamIDs ?? []) + ["company"]
                return CompletionResult(start: start, candidates: matching(ids, word))
            }
            let inputsOnly = (command == ":set" || command == ":unset") && !bytes[space...].contains(UInt8(ascii: "="))
                || (command == ":solve" && Self.afterWord("by", in: prefix))
            return expression(bytes, prefix, inputsOnly: inputsOnly)
        }
        return expression(bytes, prefix, inputsOnly: false)
    }

    /// Whether `word` appears as a whole word in `text` (the `by` of `:solve`).
    static func afterWord(_ word: String, in text: String) -> Bool {
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
        return parts.dropLast().contains { $0 == word } || (parts.last == Substring(word) && text.hasSuffix(" "))
    }

    private func expression(_ bytes: [UInt8], _ prefix: String, inputsOnly: Bool) -> CompletionResult {
        // Inside a string: an id after `people[` or `teams[`.
        if let quote = Self.openStringStart(bytes) {
            let word = String(decoding: bytes[(quote + 1)...], as: UTF8.self)
            var j = quote
            while j > 0, bytes[j - 1] == 0x20 { j -= 1 }
            guard j > 0, bytes[j - 1] == UInt8(ascii: "[") else { return CompletionResult(start: quote + 1, candidates: []) }
            j -= 1
            while j > 0, bytes[j - 1] == 0x20 { j -= 1 }
            var k = j
            while k > 0, Self.isWordByte(bytes[k - 1]) { k -= 1 }
            let collection = String(decoding: bytes[k..<j], as: UTF8.self)
            let ids: [String]
            switch collection {
            case "people": ids = dataset?.personIDs ?? []
            case "teams": ids = dataset?.teamIDs ?? []
            default: ids = []
            }
            return CompletionResult(start: quote + 1, candidates: matching(ids, word).map { $0 + "\"]" })
        }

        var start = bytes.count
        while start > 0, Self.isWordByte(bytes[start - 1]) { start -= 1 }
        let word = String(decoding: bytes[start...], as: UTF8.self)
        if start > 0, bytes[start - 1] == UInt8(ascii: ".") {
            // A member: find the receiver before the dot.
            let receiverEnd = start - 1
            guard let receiverStart = Self.receiverStart(bytes, end: receiverEnd) else {
                return CompletionResult(start: start, candidates: [])
            }
            let receiver = String(decoding: bytes[receiverStart..<receiverEnd], as: UTF8.self)
            return CompletionResult(start: start, candidates: matching(members(of: receiver, inputsOnly: inputsOnly), word))
        }
        if inputsOnly {
            return CompletionResult(start: start, candidates: matching(["people", "teams", "company"], word))
        }
        return CompletionResult(start: start, candidates: matching(names(), word))
    }

    static func isWordByte(_ b: UInt8) -> Bool {
        b >= 0x80 || b == UInt8(ascii: "_") || (b >= 0x30 && b <= 0x39) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A)
    }

    /// The offset of the quote opening a string that is still open at the end.
    static func openStringStart(_ bytes: [UInt8]) -> Int? {
        var open: Int?
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if let _ = open {
                if b == UInt8(ascii: "\\") { i += 2; continue }
                if b == UInt8(ascii: "\"") { open = nil }
                if b == UInt8(ascii: "\n") { open = nil }
            } else if b == UInt8(ascii: "\"") {
                open = i
            } else if b == UInt8(ascii: "#") {
                while i < bytes.count, bytes[i] != UInt8(ascii: "\n") { i += 1 }
                continue
            }
            i += 1
        }
        return open
    }

    /// Where the postfix expression ending at `end` starts: names, dots,
    /// bracketed indices and call arguments (`people["E1"].team`).
    static func receiverStart(_ bytes: [UInt8], end: Int) -> Int? {
        var i = end
        while i > 0 {
            let b = bytes[i - 1]
            if isWordByte(b) || b == UInt8(ascii: ".") {
                i -= 1
            } else if b == UInt8(ascii: "]") || b == UInt8(ascii: ")") {
                // Skip back over a balanced group (strings inside may hold brackets).
                let close = b, open: UInt8 = b == UInt8(ascii: "]") ? UInt8(ascii: "[") : UInt8(ascii: "(")
                var depth = 0
                var j = i - 1
                var inString = false
                while j >= 0 {
                    let c = bytes[j]
                    if c == UInt8(ascii: "\"") && (j == 0 || bytes[j - 1] != UInt8(ascii: "\\")) { inString.toggle() }
                    if !inString {
                        if c == close { depth += 1 } else if c == open { depth -= 1; if depth == 0 { break } }
                    }
                    j -= 1
                }
                guard j >= 0 else { return nil }
                i = j
            } else {
                break
            }
        }
        return i < end ? i : nil
    }

    // MARK: Names

    /// Every name that may start an expression, plus keywords.
    public func names() -> [String] {
        var out = Set(Keyword.allCases.map(\.rawValue))
        out.formUnion(["company", "people", "teams", "period", "violations"])
        out.formUnion(BuiltinFunction.allCases.map(\.rawValue))
        if let program = plan?.program {
            for kind in ScopeKind.allCases { out.formUnion(program.scope(kind).descriptions.map(\.name)) }
            out.formUnion(program.functions.map(\.name))
            out.formUnion(program.tables.map(\.name))
            out.formUnion(BuiltinField.allCases.map(\.rawValue))
        }
        return out.sorted()
    }

    /// Member names of the value `receiver` names, by its static type; names
    /// of people and teams when the type is not known (a comprehension
    /// variable).
    public func members(of receiver: String, inputsOnly: Bool = false) -> [String] {
        guard let plan else { return [] }
        let program = plan.program
        func subject(_ kind: ScopeKind) -> [String] {
            let scope = program.scope(kind)
            if inputsOnly { return scope.inputs.map(\.name) }
            return BuiltinField.of(kind).map(\.rawValue) + scope.descriptions.map(\.name)
        }
        let type = plan.expression(receiver, name: "<completion>").expression?.type ?? .unknown
        switch type {
        case .subject(let kind): return subject(kind)
        case .objective(let kind, let index):
            var out = Schemas.objective.fields + ["aligned"]
            if let index { out += program.scope(kind).objectives[index].keyResults.map(\.id) }
            return out
        case .keyResult: return Schemas.keyResult.fields
        case .period: return Schemas.period.fields
        case .violation: return Schemas.violation.fields
        case .unknown: return inputsOnly ? [] : subject(.person) + subject(.team)
        default: return []
        }
    }

    private func matching(_ words: [String], _ prefix: String) -> [String] {
        Array(Set(words.filter { $0.hasPrefix(prefix) })).sorted()
    }
}
