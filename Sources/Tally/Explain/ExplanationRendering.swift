// Explanations as text for people (an indented tree, trivial nodes folded
// away) and as JSON for other tools.

extension Explanation {
    /// An indented tree: one line per step — name, plan title, subject, value
    /// and `file:line` — with what happened beneath it. Literals are folded
    /// into their parent's formula, and a name is shown on one line with its
    /// definition. `maxDepth` limits how deep the tree is printed.
    public func renderText(maxDepth: Int? = nil) -> String {
        var out = ""
        var printed: Set<String> = []
        folded().write(into: &out, prefix: "", childPrefix: "", depth: 0, maxDepth: maxDepth, printed: &printed)
        return out
    }

    /// The tree as a reader sees it: literal leaves dropped, a name merged
    /// with its definition's expression.
    func folded() -> Explanation {
        var me = self
        if (kind == .value || kind == .query) && children.count == 1 {
            let child = children[0]
            switch child.kind {
            case .operation, .call, .table, .list, .conditional, .member, .literal:
                if child.label != label { me.notes.insert("= \(child.label)", at: 0) }
                me.notes.append(contentsOf: child.notes)
                me.children = child.children
            default:
                break
            }
        }
        me.children = me.children.filter { child in
            switch child.kind {
            // Literals show in the parent's formula; built-in names such as
            // `period` in `period.end` add nothing.
            case .literal: return child.label.contains(":")
            case .builtin: return me.kind != .member && me.kind != .operation
            default: return true
            }
        }.map { $0.folded() }
        return me
    }

    /// One line: label, title, subject, value, `[file:line]`. A long value
    /// (a list of a whole company) is cut, with its length.
    private func headline() -> String {
        var line = label
        if let title { line += " “\(title)”" }
        if let subject { line += " · \(subject)" }
        var shownText = text
        if shownText.count > 160 {
            let count: String
            if case .list(let items)? = value { count = "\(items.count) elements" } else { count = "\(shownText.count) characters" }
            shownText = String(shownText.prefix(150)) + " … (\(count))"
        }
        line += " = \(shownText)"
        if let location { line += "   [\(location.file):\(location.line)]" }
        return line
    }

    /// Nodes below this one.
    var descendants: Int { children.reduce(0) { $0 + 1 + $1.descendants } }

    private func write(into out: inout String, prefix: String, childPrefix: String, depth: Int, maxDepth: Int?,
                       printed: inout Set<String>) {
        out += prefix + headline() + "\n"
        let hidden = maxDepth.map { depth >= $0 } ?? false
        let shown = hidden ? [] : children
        if !hidden, kind != .reference, let subject { printed.insert("\(label) \(subject)") }
        let notePrefix = childPrefix + (shown.isEmpty ? "   " : "│  ")
        for note in notes {
            // "explained above" only when it was; else say where to find it.
            if note == "explained above", let target = refersTo, !printed.contains(target) {
                out += notePrefix + "explained in full where it is first used (hidden here by --depth)\n"
            } else {
                out += notePrefix + note + "\n"
            }
        }
        if hidden && !children.isEmpty {
            let n = descendants
            out += notePrefix + "… \(n) more step\(n == 1 ? "" : "s") below (raise --depth)\n"
        }
        for (i, child) in shown.enumerated() {
            let last = i == shown.count - 1
            child.write(into: &out, prefix: childPrefix + (last ? "└─ " : "├─ "),
                        childPrefix: childPrefix + (last ? "   " : "│  "), depth: depth + 1, maxDepth: maxDepth, printed: &printed)
        }
    }

    /// The tree as JSON: `kind`, `label`, `title`, `subject`, `value` (exact
    /// numbers; money as `{"amount", "currency"}`), `text` (canonical),
    /// `location` (`file:line:col`), `notes`, `children`. Nodes below
    /// `maxDepth` are left out and their parent carries `"truncated": true`.
    public func json(maxDepth: Int? = nil, folded fold: Bool = true) -> JSON {
        (fold ? folded() : self).jsonNode(depth: 0, maxDepth: maxDepth)
    }

    private func jsonNode(depth: Int, maxDepth: Int?) -> JSON {
        var pairs: [(String, JSON)] = [("kind", .string(kind.rawValue)), ("label", .string(label))]
        if let title { pairs.append(("title", .string(title))) }
        if let subject { pairs.append(("subject", .string(subject))) }
        pairs.append(("value", (shown ?? value).map { .value($0) } ?? .null))
        pairs.append(("text", .string(text)))
        if let location { pairs.append(("location", .string(location.description))) }
        if !notes.isEmpty { pairs.append(("notes", .array(notes.map(JSON.string)))) }
        if let maxDepth, depth >= maxDepth {
            if !children.isEmpty { pairs.append(("truncated", .bool(true))) }
        } else if !children.isEmpty {
            pairs.append(("children", .array(children.map { $0.jsonNode(depth: depth + 1, maxDepth: maxDepth) })))
        }
        return .object(pairs)
    }
}
