// How the REPL shows a value: canonical text (LANGUAGE.md §11) for plain
// values, aligned tables (CJK-aware widths) for lists of people, teams and
// records.

extension Session {
    /// `value` for the REPL: a list of people or teams (or one of them) as a
    /// table of their id, name, team, score, text labels and payouts; a list
    /// of records (violations, objectives, key results) as a table of their
    /// fields; anything else as its canonical text. At most `rowLimit` rows
    /// are listed (nil: all). The result ends with a line end.
    public func display(_ value: Value, rowLimit: Int? = nil) -> String {
        switch value {
        case .subject(let s) where s.scope != .company:
            return subjectTable([s], rowLimit: rowLimit, footer: false)
        case .list(let items) where !items.isEmpty:
            if let subjects = Self.subjects(items) { return subjectTable(subjects, rowLimit: rowLimit, footer: true) }
            if let records = Self.records(items) { return recordTable(records, rowLimit: rowLimit) }
        default:
            break
        }
        return render(value) + "\n"
    }

    private static func subjects(_ items: [Value]) -> [SubjectRef]? {
        var out: [SubjectRef] = []
        out.reserveCapacity(items.count)
        for item in items {
            guard case .subject(let s) = item, s.scope != .company, s.scope == out.first?.scope ?? s.scope else { return nil }
            out.append(s)
        }
        return out
    }

    private static func records(_ items: [Value]) -> [Record]? {
        var out: [Record] = []
        for item in items {
            guard case .record(let r) = item, r.schema.fields == out.first?.schema.fields ?? r.schema.fields else { return nil }
            out.append(r)
        }
        return out
    }

    /// The columns shown for subjects of `kind`: the score, text labels
    /// (a `let` whose values are strings for the subjects shown), incentives,
    /// pools and pool parts, in declaration order.
    func displayColumns(_ kind: ScopeKind, for subjects: [SubjectRef]) -> [Int] {
        let scope = dataset.data.program.scope(kind)
        var columns: [Int] = []
        if let s = scope.scoreSlot { columns.append(s) }
        for (i, d) in scope.descriptions.enumerated() where i != scope.scoreSlot {
            switch d.kind {
            case .incentive, .pool, .poolShare: columns.append(i)
            case .value:
                if subjects.prefix(200).contains(where: { if case .string? = try? evaluation.value($0, i) { return true } else { return false } }) {
                    columns.append(i)
                }
            default: break
            }
        }
        return columns
    }

    private func subjectTable(_ subjects: [SubjectRef], rowLimit: Int?, footer: Bool) -> String {
        let data = dataset.data
        let kind = subjects[0].scope
        let scope = data.program.scope(kind)
        let shown = rowLimit.map { Array(subjects.prefix($0)) } ?? subjects
        let columns = displayColumns(kind, for: shown)
        var failures: [EvaluationError] = []
        var cells: [[Value?]] = []
        for s in shown {
            var row: [Value?] = []
            for slot in columns {
                do { row.append(try evaluation.value(s, slot)) } catch {
                    if failures.isEmpty { failures.append(error) }
                    row.append(nil)
                }
            }
            cells.append(row)
        }
        var headers = ["id", "name", kind == .person ? "team" : "parent"]
        for (c, slot) in columns.enumerated() {
            var h = scope.descriptions[slot].name
            if let currency = cells.lazy.compactMap({ row -> Currency? in if case .money(let m)? = row[c] { return m.currency } else { return nil } }).first {
                h += " (\(currency.code))"
            }
            headers.append(h)
        }
        var rows: [[String]] = []
        for (r, s) in shown.enumerated() {
            let i = Int(s.index)
            var row = [CellText.cut(data.id(of: s)), CellText.cut(data.names[BoundData.index(kind)][i] ?? "")]
            if kind == .person {
                row.append(data.personTeam[i] >= 0 ? data.ids[1][Int(data.personTeam[i])] : "")
            } else {
                row.append(data.teamParent[i] >= 0 ? data.ids[1][Int(data.teamParent[i])] : "")
            }
            for (c, slot) in columns.enumerated() {
                if case .list? = cells[r][c] {
                    row.append(cellText(cells[r][c]!))
                } else {
                    row.append(CellText.cut(ResultFormatter.cell(cells[r][c], percent: scope.descriptions[slot].isPercent)))
                }
            }
            rows.append(row)
        }
        var out = TextTable.render(headers: headers, rows: rows, rightAligned: { col in
            col >= 3 && rows.allSatisfy { row in row[col].isEmpty || row[col] == "error" || row[col].first.map { $0.isNumber || $0 == "-" } == true }
        })
        if shown.count < subjects.count {
            out += "… and \(subjects.count - shown.count) more\n"
        }
        if footer {
            let noun = kind == .person ? (subjects.count == 1 ? "person" : "people") : (subjects.count == 1 ? "team" : "teams")
            out += "(\(subjects.count) \(noun))\n"
        }
        for f in failures { out += evaluation.diagnostic(f).rendered() + "\n" }
        return out
    }

    /// A value in a table cell, cut to `CellText.width` (see `CellText.summary`).
    func cellText(_ value: Value) -> String {
        let data = dataset.data
        return CellText.summary(value, subjectID: { data.id(of: $0) })
    }

    private func recordTable(_ records: [Record], rowLimit: Int?) -> String {
        let schema = records[0].schema
        let shown = rowLimit.map { Array(records.prefix($0)) } ?? records
        // Nested lists of records (an objective's key results) are counted, not spelled out.
        var fields: [Int] = []
        for (i, _) in schema.fields.enumerated() {
            let nested = shown.contains { r in
                if case .list(let items) = r.values[i], items.contains(where: { if case .record = $0 { return true } else { return false } }) { return true }
                return false
            }
            if !nested { fields.append(i) }
        }
        let headers = fields.map { schema.fields[$0] }
        let rows = shown.map { r in fields.map { i -> String in
            cellText(r.values[i])
        } }
        var out = TextTable.render(headers: headers, rows: rows, rightAligned: { col in
            rows.allSatisfy { row in row[col].isEmpty || row[col].first.map { $0.isNumber || $0 == "-" } == true }
        })
        if shown.count < records.count { out += "… and \(records.count - shown.count) more\n" }
        out += "(\(records.count) \(records.count == 1 ? "row" : "rows"))\n"
        return out
    }
}

/// Values in table cells (`:diff`, `:show`, tables of people and records):
/// at most `width` display columns, so that one long value (a list of
/// 100,000 ids) cannot widen every row of its table.
public enum CellText {
    /// The widest cell, in display columns.
    public static let width = 60

    /// `text` cut to `width` display columns, ending with `…` when cut.
    public static func cut(_ text: String, width: Int = CellText.width) -> String {
        guard DisplayWidth.of(text) > width else { return text }
        var out = ""
        var used = 0
        for scalar in text.unicodeScalars {
            let w = DisplayWidth.of(scalar)
            if used + w > width - 1 { break }
            out.unicodeScalars.append(scalar)
            used += w
        }
        return out + "…"
    }

    /// A value's canonical text for a cell (a top-level string raw): a
    /// list too long for `width` keeps the elements that fit and says how
    /// many it has (`["E0001", "E0017", …] (57 items)`); anything else too
    /// long is cut with `…`.
    public static func summary(_ value: Value, width: Int = CellText.width,
                               subjectID: ((SubjectRef) -> String)? = nil) -> String {
        guard case .list(let items) = value else { return cut(CanonicalText.render(value, subjectID: subjectID), width: width) }
        let tail = "…] (\(items.count) \(items.count == 1 ? "item" : "items"))"
        var out = "["
        var used = 1
        var complete = true
        for (i, item) in items.enumerated() {
            let piece = (i > 0 ? ", " : "") + cut(CanonicalText.render(item, quoted: true, subjectID: subjectID), width: max(8, width / 2))
            let w = DisplayWidth.of(piece)
            // Room for this element and, unless it is the last, for the tail.
            let last = i == items.count - 1
            if used + w + (last ? 1 : 2 + DisplayWidth.of(tail)) > width {
                complete = false
                break
            }
            out += piece
            used += w
        }
        if complete { return out + "]" }
        return (out == "[" ? out : out + ", ") + tail
    }
}
