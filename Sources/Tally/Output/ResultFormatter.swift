import Foundation

/// Renders evaluation results for people and programs: the JSON document,
/// a spreadsheet-ready CSV and an aligned text table (docs/output-formats.md).
public enum ResultFormatter {
    // MARK: JSON

    /// The whole result document (see docs/output-formats.md for its shape).
    /// Per subject: `id`, `name` (and a person's `team`), then every named
    /// value in declaration order — inputs that are absent are left out, and
    /// objectives appear once, in the `objectives` list.
    public static func json(_ r: EvaluationResult) -> JSON {
        func subject(_ s: SubjectResult, kind: ScopeKind) -> JSON {
            let slots = r.slots[kind] ?? []
            var pairs: [(String, JSON)] = [("id", .string(s.id)), ("name", s.name.map(JSON.string) ?? .null)]
            if kind == .person { pairs.append(("team", s.team.map(JSON.string) ?? .null)) }
            for (i, (name, v)) in zip(s.names, s.values).enumerated() {
                switch slots[i].kind {
                case .objective: continue
                case .input where v == Value.none: continue
                default: pairs.append((name, v.map { .value($0) } ?? .null))
                }
            }
            return .object(pairs)
        }
        let plan: JSON = .object([
            ("title", .string(r.plan.title)),
            ("period", .object([("start", .string(r.plan.start.description)), ("end", .string(r.plan.end.description)),
                                ("days", .number(String(r.plan.days)))])),
            ("currency", .string(r.plan.currency.code)),
        ])
        let violations: JSON = .array(r.violations.map { v in
            .object([("constraint", .string(v.constraint)), ("subject", .string(v.subject)),
                     ("severity", .string(v.severity.rawValue)), ("message", .string(v.message))])
        })
        let totals: JSON = .object(payoutTotals(r).map { ($0.name, JSON(.money($0.total))) })
        let warnings: JSON = .array(r.diagnostics.filter { !$0.isError }.map { .string($0.rendered()) })
        return .object([
            ("plan", plan),
            ("company", subject(r.company, kind: .company)),
            ("teams", .array(r.teams.map { subject($0, kind: .team) })),
            ("people", .array(r.people.map { subject($0, kind: .person) })),
            ("totals", totals),
            ("violations", violations),
            ("warnings", warnings),
        ])
    }

    /// The sum over people of every incentive and pool part, per name.
    public static func payoutTotals(_ r: EvaluationResult) -> [(name: String, total: Money)] {
        let slots = r.slots[.person] ?? []
        var out: [(String, Money)] = []
        for (i, d) in slots.enumerated() where d.kind == .incentive || d.kind == .poolShare {
            var total: Money?
            for p in r.people {
                guard case .money(let m)? = p.values[i] else { continue }
                if let t = total {
                    guard t.currency == m.currency, let sum = try? t.amount.adding(m.amount) else { continue }
                    total = Money(sum, t.currency)
                } else {
                    total = m
                }
            }
            out.append((d.name, total ?? Money(.zero, r.plan.currency)))
        }
        return out
    }

    // MARK: Columns

    /// The person columns shown by default: the score, text labels such as a
    /// rating (a `let` whose values are strings), every incentive and every
    /// pool part, in declaration order.
    public static func defaultColumns(_ r: EvaluationResult) -> [String] {
        let slots = r.slots[.person] ?? []
        var columns: [String] = slots.contains { $0.kind == .score } ? ["score"] : []
        for (i, d) in slots.enumerated() {
            switch d.kind {
            case .incentive, .poolShare: columns.append(d.name)
            case .value:
                if r.people.contains(where: { if case .string? = $0.values[i] { return true } else { return false } }) {
                    columns.append(d.name)
                }
            default: break
            }
        }
        return columns
    }

    /// One cell: canonical text, percentages for `percent` inputs, money
    /// without its code (the header carries it).
    static func cell(_ v: Value?, percent: Bool) -> String {
        guard let v else { return "error" }
        switch v {
        case .none: return ""
        case .money(let m): return m.amount.formatted(minimumFractionDigits: m.currency.minorUnits)
        case .number(let n) where percent:
            return ((try? n.multiplied(by: ExactDecimal(100)))?.description ?? n.description) + "%"
        case .record(let r) where r.kind == .objective:
            return r["score"].map { CanonicalText.render($0) } ?? ""
        default: return CanonicalText.render(v)
        }
    }

    private static func header(_ name: String, _ r: EvaluationResult, _ index: Int) -> String {
        if r.slots[.person]?[index].kind == .objective { return "\(name).score" }
        for p in r.people {
            if case .money(let m)? = p.values[index] { return "\(name) (\(m.currency.code))" }
        }
        return name
    }

    /// For the table only: a number with more than six fraction digits is
    /// cut after the sixth and marked `…` (CSV and JSON keep every digit).
    static func shortened(_ text: String) -> String {
        guard let dot = text.firstIndex(of: "."), text.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" || $0 == "%" }) else { return text }
        let fraction = text[text.index(after: dot)...].prefix { $0.isNumber }
        guard fraction.count > 6 else { return text }
        let suffix = text.hasSuffix("%") ? "%" : ""
        return String(text[..<text.index(dot, offsetBy: 7)]) + "…" + suffix
    }

    // MARK: CSV

    /// One row per person, UTF-8 with a BOM (so spreadsheet programs detect
    /// the encoding), CRLF line ends, RFC 4180 quoting. Columns: id, name,
    /// team, then `columns` (default: every person value that is not a list,
    /// objectives as their score).
    public static func csv(_ r: EvaluationResult, columns: [String]? = nil) -> String {
        let slots = r.slots[.person] ?? []
        let names = columns ?? slots.enumerated().compactMap { i, d in
            d.kind == .objectives ? nil : (r.people.contains { if case .list? = $0.values[i] { return true } else { return false } } ? nil : d.name)
        }
        let indices = names.map { n in slots.firstIndex { $0.name == n } }
        var out = "\u{FEFF}"
        func row(_ cells: [String]) { out += cells.map(quoteCSV).joined(separator: ",") + "\r\n" }
        row(["id", "name", "team"] + zip(names, indices).map { n, i in i.map { header(n, r, $0) } ?? n })
        for p in r.people {
            row([p.id, p.name ?? "", p.team ?? ""].map(inert) + indices.map { i in
                guard let i else { return "" }
                if p.values[i] == Value.none { return "" }
                if case .string(let s)? = p.values[i] { return inert(s) }
                return cell(p.values[i], percent: slots[i].isPercent)
            })
        }
        return out
    }

    /// Text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`
    /// first) gets a leading `'`, the spreadsheet convention for "this is
    /// text" (OWASP CSV injection). Only text cells: numbers are untouched.
    static func inert(_ s: String) -> String {
        guard let f = s.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(f) else { return s }
        return "'" + s
    }

    static func quoteCSV(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    // MARK: Table

    /// An aligned text table, one row per person (widths account for CJK
    /// characters taking two columns), with payout totals and the company
    /// score underneath. Numbers with more than six fraction digits are cut
    /// and marked `…`; the JSON and CSV formats carry every digit.
    public static func table(_ r: EvaluationResult, columns: [String]? = nil) -> String {
        let slots = r.slots[.person] ?? []
        let names = columns ?? defaultColumns(r)
        let indices = names.map { n in slots.firstIndex { $0.name == n } }
        let headers = ["id", "name", "team"] + zip(names, indices).map { n, i in i.map { header(n, r, $0) } ?? n }
        var rows: [[String]] = []
        for p in r.people {
            rows.append([p.id, p.name ?? "", p.team ?? ""] + indices.map { i in
                guard let i else { return "" }
                return shortened(cell(p.values[i], percent: slots[i].isPercent))
            })
        }
        var out = TextTable.render(headers: headers, rows: rows, rightAligned: { col in
            col >= 3 && rows.allSatisfy { row in row[col].isEmpty || row[col].first.map { $0.isNumber || $0 == "-" } == true }
        })
        let totals = payoutTotals(r).filter { t in names.contains(t.name) }
        if !totals.isEmpty || r.company.names.contains("score") {
            out += "\n"
            for t in totals { out += "total \(t.name): \(t.total)\n" }
            if let v = r.company["score"] { out += "company score: \(shortened(CanonicalText.render(v)))\n" }
        }
        return out
    }
}

/// Column-aligned plain text tables, aware of display width.
public enum TextTable {
    /// A cell on one line: control characters (a line break or an escape in
    /// a name) shown as their visible symbols (␊, ␛), so they neither break
    /// the layout nor reach the terminal.
    static func visible(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return s }
        return String(String.UnicodeScalarView(s.unicodeScalars.map { u in
            u.value < 0x20 ? Unicode.Scalar(0x2400 + u.value)! : u.value == 0x7F ? "\u{2421}" : u
        }))
    }

    public static func render(headers: [String], rows: [[String]], rightAligned: (Int) -> Bool = { _ in false }) -> String {
        let headers = headers.map(visible)
        let rows = rows.map { $0.map(visible) }
        var widths = headers.map { DisplayWidth.of($0) }
        for row in rows {
            for (i, c) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], DisplayWidth.of(c)) }
        }
        let right = (0..<headers.count).map(rightAligned)
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for (i, c) in cells.enumerated() {
                let last = i == cells.count - 1
                parts.append(last && !right[i] ? c : DisplayWidth.pad(c, to: widths[i], right: right[i]))
            }
            return parts.joined(separator: "  ")
        }
        var out = line(headers) + "\n"
        out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
        for row in rows { out += line(row) + "\n" }
        return out
    }
}
