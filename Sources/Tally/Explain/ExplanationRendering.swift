// Explanations as text for people (an indented tree, trivial nodes folded
// away) and as JSON for other tools.

extension Explanation {
    /// An indented tree: one line per step — name, plan title, subject, value
    /// and `file:line` — with what happened beneath it. Literals are folded
    /// into their parent's formula, and a name is shown on one line with its
    /// definition. `maxDepth` limits how deep the tree is printed.
    public func renderText(maxDepth: Int? = nil) -> String {
        var out = ""
        folded().write(into: &out, prefix: "", childPrefix: "", depth: 0, maxDepth: maxDepth)
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

    private func headline() -> String {
        var line = label
        if let title { line += " “\(title)”" }
        if let subject { line += " · \(subject)" }
        line += " = \(text)"
        if let location { line += "   [\(location.file):\(location.line)]" }
        return line
    }

    private func write(into out: inout String, prefix: String, childPrefix: String, depth: Int, maxDepth: Int?) {
        out += prefix + headline() + "\n"
        let hidden = maxDepth.map { depth >= $0 } ?? false
        let shown = hidden ? [] : children
        let notePrefix = childPrefix + (shown.isEmpty ? "   " : "│  ")
        for note in notes { out += notePrefix + note + "\n" }
        if hidden && !children.isEmpty {
            out += notePrefix + "… \(children.count) more step\(children.count == 1 ? "" : "s") (raise --depth)\n"
        }
        for (i, child) in shown.enumerated() {
            let last = i == shown.count - 1
            child.write(into: &out, prefix: childPrefix + (last ? "└─ " : "├─ "),
                        childPrefix: childPrefix + (last ? "   " : "│  "), depth: depth + 1, maxDepth: maxDepth)
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
        pairs.append(("value", value.map { .value($0) } ?? .null))
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
