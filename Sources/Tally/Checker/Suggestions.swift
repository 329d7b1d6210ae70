/// "Did you mean" suggestions: the closest candidate by optimal string
/// alignment distance (Damerau–Levenshtein with adjacent transpositions),
/// within a third of the name's length.
///
/// Bounded so that hostile plans stay fast: names longer than
/// `maximumLength` get no suggestion, candidates whose length alone rules
/// them out are skipped, and the distance keeps three rows, not a matrix.
public enum Suggestions {
    static let maximumLength = 64

    /// Distances worked out per compilation; past it, no more suggestions
    /// (a plan with thousands of unknown names among thousands of names).
    static func closest(to name: String, in candidates: [String], budget: inout Int) -> String? {
        guard budget > 0 else { return nil }
        budget -= candidates.count
        return closest(to: name, in: candidates)
    }

    static func closest(to name: String, in candidates: [String]) -> String? {
        let target = Array(name.lowercased().unicodeScalars)
        guard !target.isEmpty, target.count <= maximumLength else { return nil }
        let limit = max(1, target.count / 3)
        // The nearest, and among equally near ones the first in code-point
        // order, so the answer does not depend on the candidates' order.
        var best: (String, Int)?
        for c in candidates where c != name {
            let count = c.unicodeScalars.count
            guard abs(count - target.count) <= limit, count <= maximumLength else { continue }
            let d = distance(target, Array(c.lowercased().unicodeScalars))
            guard d <= limit else { continue }
            if let (b, bd) = best, bd < d || (bd == d && b.unicodeScalars.lexicographicallyPrecedes(c.unicodeScalars)) { continue }
            best = (c, d)
        }
        return best?.0
    }

    static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        // Rows i-2, i-1 and i of the distance table.
        var older = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], older[j - 2] + 1)
                }
            }
            (older, previous, current) = (previous, current, older)
        }
        return previous[b.count]
    }

    /// `"; did you mean `x`?"` or an empty string.
    public static func hint(for name: String, in candidates: [String]) -> String {
        closest(to: name, in: candidates).map { "; did you mean `\($0)`?" } ?? ""
    }
}
