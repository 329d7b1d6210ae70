/// A fixed-size set of small non-negative integers, one bit each: cheap to
/// fill for every (subject, slot) of a large dataset.
struct BitSet: Sendable, Hashable {
    private var words: [UInt64]

    init(count: Int) { words = Array(repeating: 0, count: (max(0, count) + 63) / 64) }

    func contains(_ i: Int) -> Bool {
        let w = i >> 6
        return w >= 0 && w < words.count && words[w] & (1 << UInt64(i & 63)) != 0
    }

    mutating func insert(_ i: Int) { words[i >> 6] |= 1 << UInt64(i & 63) }
    mutating func remove(_ i: Int) { words[i >> 6] &= ~(1 << UInt64(i & 63)) }
}
