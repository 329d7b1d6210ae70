import CReadline
import Foundation
import Tally

// The terminal side of `tally repl`: GNU readline through its callback
// interface (so Ctrl-C can cancel the line being edited), persistent
// history, and tab completion through the library's `Completer`.
//
// Everything that touches the C shim's static state (the SIGINT flag and
// self-pipe) lives in this one file: the shim's `static` helpers are
// emitted per object file.

/// What reading one line gave.
enum ReadResult {
    case line(String)
    /// Ctrl-D on an empty line (or the end of input).
    case endOfInput
    /// Ctrl-C: the line being edited was thrown away.
    case interrupted
    /// A line that is not valid UTF-8: why (it is not run).
    case invalid(String)
}

/// A line read as bytes, decoded only if it is valid UTF-8: replacing a bad
/// byte with U+FFFD would run something else than what was written.
enum LineBytes {
    static func decode(_ bytes: [UInt8]) -> ReadResult {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        var column = 1
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                offset += encoded.count
                column += 1
            case .error:
                let hex = String(bytes[offset], radix: 16, uppercase: true)
                return .invalid("<repl>:1:\(column): error: invalid UTF-8 byte 0x\(hex.count == 1 ? "0" + hex : hex): the line is not run")

            case .emptyInput:
                return .line(String(decoding: bytes, as: UTF8.self))
            }
        }
    }
}


/// Lines from standard input; implemented by the terminal (readline) and by
/// a plain reader for piped input.
protocol LineReader: AnyObject {
    func readLine(prompt: String) -> ReadResult
    func addHistory(_ entry: String)
    func close()
    /// True once Ctrl-C was pressed while a command runs.
    var isInterrupted: @Sendable () -> Bool { get }
    /// A command starts (Ctrl-C now cancels it) or ends.
    func beginCommand()
    func endCommand()
}

/// Standard input that is not a terminal: no prompts, no editing.
final class PipedLineReader: LineReader {
    /// Bytes read from standard input and not yet returned as lines.
    private var pending: [UInt8] = []
    private var start = 0
    private var atEnd = false

    func readLine(prompt: String) -> ReadResult {
        while true {
            if let newline = pending[start...].firstIndex(of: 0x0A) {
                var line = Array(pending[start..<newline])
                start = newline + 1
                if line.last == 0x0D { line.removeLast() }
                return LineBytes.decode(line)
            }
            if atEnd {
                guard start < pending.count else { return .endOfInput }
                var line = Array(pending[start...])
                start = pending.count
                if line.last == 0x0D { line.removeLast() }
                return LineBytes.decode(line)
            }
            // Keep only what is not returned yet, then read more.
            if start > 0 {
                pending.removeFirst(start)
                start = 0
            }
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            let n = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            if n <= 0 { atEnd = true } else { pending += chunk.prefix(n) }
        }
    }
    func addHistory(_ entry: String) {}
    func close() {}
    var isInterrupted: @Sendable () -> Bool { { false } }
    func beginCommand() {}
    func endCommand() {}
}

// Readline calls back into plain C function pointers, which cannot capture
// context: the state they need lives here, touched only by the REPL thread.
nonisolated(unsafe) private var pendingLine: [UInt8]?
nonisolated(unsafe) private var lineArrived = false
nonisolated(unsafe) private var endOfInput = false
nonisolated(unsafe) var replCompleter: Completer?
/// Break characters handed to readline (kept alive for its lifetime).
nonisolated(unsafe) private var breakDefault = strdup(" \t\n\"'()[]{},.+-*/^<>=!?;")
nonisolated(unsafe) private var breakString = strdup("\"")
nonisolated(unsafe) private var breakFiles = strdup(" \t\n")

/// GNU readline on a terminal.
final class TerminalLineReader: LineReader {
    private(set) var historyPath: String?
    let historyLimit: Int

    init(historyPath: String?, historyLimit: Int) {
        self.historyPath = historyPath
        self.historyLimit = historyLimit
        Self.useUTF8Characters()
        if isatty(1) == 0 { tally_rl_echo_to_stderr() }
        _ = tally_install_sigint()
        tally_terminal_keep_input_on_interrupt()
        tally_rl_setup(strdup("tally"), breakDefault)
        tally_rl_set_completion(completeCallback)
        tally_rl_set_word_break_hook(wordBreakCallback)
        using_history()
        tally_history_set_multiline()
        stifle_history(Int32(clamping: historyLimit))
        if let path = self.historyPath {
            // The history holds what was typed (names, figures): the owner's only.
            let status = FileManager.default.fileExists(atPath: path) ? read_history(path) : write_history(path)
            if status != 0 {
                printError("tally: warning: history file \(path): \(String(cString: strerror(status))); no history is kept")
                self.historyPath = nil
            } else {
                chmod(path, 0o600)
            }
        }
    }

    /// Readline edits by character only in a multibyte locale: in the "C"
    /// locale of many servers and containers, Backspace after 肖 removes one
    /// of its three bytes. Tally reads and writes UTF-8 whatever the locale,
    /// so the character type is the user's if it is UTF-8, else C.UTF-8.
    /// Only LC_CTYPE changes: nothing in Tally formats numbers through the C
    /// library's locale. Readline sets its own locale from the environment
    /// (LC_ALL, LC_CTYPE, LANG) when it starts, so the variable it reads
    /// first is set too (this process starts no others).
    static func useUTF8Characters() {
        func isUTF8() -> Bool {
            let codeset = String(cString: nl_langinfo(nl_item(CODESET))).uppercased()
            return codeset == "UTF-8" || codeset == "UTF8"
        }
        if setlocale(LC_CTYPE, "") != nil, isUTF8() { return }
        for name in ["C.UTF-8", "C.utf8", "en_US.UTF-8"] where setlocale(LC_CTYPE, name) != nil && isUTF8() {
            let all = getenv("LC_ALL").map { String(cString: $0) } ?? ""
            setenv(all.isEmpty ? "LC_CTYPE" : "LC_ALL", name, 1)
            return
        }
        setlocale(LC_CTYPE, "C")
    }

    var isInterrupted: @Sendable () -> Bool { { tally_cancellation_requested() != 0 } }

    func beginCommand() {
        _ = tally_take_sigint()
        tally_set_cancel_enabled(1)
    }

    func endCommand() {
        tally_set_cancel_enabled(0)
        _ = tally_take_sigint()
    }

    func readLine(prompt: String) -> ReadResult {
        _ = tally_take_sigint()
        pendingLine = nil
        lineArrived = false
        endOfInput = false
        rl_callback_handler_install(prompt, lineCallback)
        while !lineArrived {
            switch tally_wait_for_input() {
            case 1:
                rl_callback_read_char()
            case 0:
                // Ctrl-C: throw the line away and start a fresh prompt.
                _ = tally_take_sigint()
                tally_flush_input()
                rl_free_line_state()
                rl_callback_sigcleanup()
                rl_echo_signal_char(SIGINT)
                rl_cleanup_after_signal()
                rl_callback_handler_remove()
                tally_write_terminal("\n")
                return .interrupted
            default:
                rl_callback_handler_remove()
                return .endOfInput
            }
        }
        if endOfInput {
            tally_write_terminal("\n")
            return .endOfInput
        }
        return LineBytes.decode(pendingLine ?? [])
    }

    func addHistory(_ entry: String) {
        guard !entry.allSatisfy(\.isWhitespace) else { return }
        if tally_history_length() > 0, let last = history_get(tally_history_base() + tally_history_length() - 1), let text = last.pointee.line,
           String(cString: text) == entry {
            return
        }
        add_history(entry)
        if let historyPath { append_history(1, historyPath) }
    }

    func close() {
        rl_callback_handler_remove()
        tally_terminal_restore()
        if let historyPath { Self.truncateHistory(historyPath, entries: historyLimit) }
    }

    /// Keeps the last `limit` entries of the history file. Readline's own
    /// `history_truncate_file` counts lines, so a multi-line entry counts
    /// several times and may be cut in half; here an entry is a `#TIMESTAMP`
    /// line with the lines that follow it (a file without timestamps: one
    /// line each). The file is replaced atomically, readable by its owner only.
    static func truncateHistory(_ path: String, entries limit: Int) {
        guard let data = FileManager.default.contents(atPath: path) else { return }
        let bytes = [UInt8](data)
        var starts: [Int] = []   // byte offset where each entry starts
        var lineStart = 0
        var sawTimestamp = false
        while lineStart < bytes.count {
            let end = bytes[lineStart...].firstIndex(of: 0x0A).map { $0 + 1 } ?? bytes.count
            let isTimestamp = end - lineStart >= 2 && bytes[lineStart] == UInt8(ascii: "#")
                && (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[lineStart + 1])
            if isTimestamp || !sawTimestamp { starts.append(lineStart) }
            if isTimestamp { sawTimestamp = true }
            lineStart = end
        }
        guard starts.count > limit else { return }
        let kept = limit == 0 ? [] : Array(bytes[starts[starts.count - limit]...])
        let url = URL(fileURLWithPath: path)
        do {
            try Data(kept).write(to: url, options: .atomic)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        } catch {
            printError("tally: warning: cannot shorten the history file \(path): \(error.localizedDescription)")
        }
    }
}

private func lineCallback(_ line: UnsafeMutablePointer<CChar>?) {
    if let line {
        pendingLine = [UInt8](UnsafeRawBufferPointer(start: line, count: strlen(line)))
        free(line)
    } else {
        endOfInput = true
    }
    lineArrived = true
    rl_callback_handler_remove()
}

/// Readline asks where words break: inside an open string the word starts
/// after the quote (an id); after `:load` / `:data` it is a file name.
private func wordBreakCallback() -> UnsafeMutablePointer<CChar>? {
    guard let buffer = tally_rl_line_buffer() else { return breakDefault }
    let bytes = Array(UnsafeBufferPointer(start: UnsafeRawPointer(buffer).assumingMemoryBound(to: UInt8.self),
                                          count: Int(max(0, tally_rl_point()))))
    let text = String(decoding: bytes, as: UTF8.self).drop { $0 == " " }
    if text.hasPrefix(":load ") || text.hasPrefix(":data ") { return breakFiles }
    var open = false
    var escaped = false
    for b in bytes {
        if open {
            if escaped { escaped = false } else if b == UInt8(ascii: "\\") { escaped = true } else if b == UInt8(ascii: "\"") { open = false }
        } else if b == UInt8(ascii: "\"") {
            open = true
        }
    }
    return open ? breakString : breakDefault
}

private func completeCallback(_ text: UnsafePointer<CChar>?, _ start: Int32, _ end: Int32) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
    guard let completer = replCompleter, let buffer = tally_rl_line_buffer() else { return nil }
    let line = Array(UnsafeBufferPointer(start: UnsafeRawPointer(buffer).assumingMemoryBound(to: UInt8.self), count: Int(tally_rl_end())))
    let lineText = String(decoding: line, as: UTF8.self)
    let result = completer.complete(lineText, cursor: Int(end))
    if result.fileNames {
        tally_rl_set_attempted_over(0)
        return nil
    }
    tally_rl_set_attempted_over(1)
    // Readline replaces line[start..<end]; the completer's word starts at
    // result.start: adjust the candidates to readline's word.
    let s = Int(start)
    var candidates = result.candidates
    if result.start < s {
        let extra = String(decoding: line[result.start..<min(s, line.count)], as: UTF8.self)
        candidates = candidates.filter { $0.hasPrefix(extra) }.map { String($0.dropFirst(extra.count)) }
    } else if result.start > s {
        let extra = String(decoding: line[s..<min(result.start, line.count)], as: UTF8.self)
        candidates = candidates.map { extra + $0 }
    }
    guard !candidates.isEmpty else { return nil }
    tally_rl_set_suppress_append(result.appendSpace ? 0 : 1)
    var common = candidates[0]
    for c in candidates.dropFirst() {
        while !c.hasPrefix(common) { common.removeLast() }
    }
    let items = candidates.count == 1 ? candidates : [common] + candidates
    // Readline frees the array and its strings with free(): allocate with malloc.
    guard let raw = malloc(MemoryLayout<UnsafeMutablePointer<CChar>?>.stride * (items.count + 1)) else { return nil }
    let out = raw.bindMemory(to: UnsafeMutablePointer<CChar>?.self, capacity: items.count + 1)
    for (i, item) in items.enumerated() { out[i] = strdup(item) }
    out[items.count] = nil
    return out
}
