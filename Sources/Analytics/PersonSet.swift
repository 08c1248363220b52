import EventStore

/// A set of persons of one ``EventTable``, as a bitset over person indices.
public struct PersonSet: Equatable, Hashable, Sendable {
    public private(set) var words: [UInt64]
    /// Number of persons in the universe (the table's person count).
    public let universe: Int

    /// An empty set over `universe` persons.
    public init(universe: Int) {
        self.universe = universe
        words = Array(repeating: 0, count: (universe + 63) / 64)
    }

    /// The set of a bitset's words (bit `p % 64` of word `p / 64`: person `p`; no bit at or past `universe`).
    init(universe: Int, words: [UInt64]) {
        precondition(words.count == (universe + 63) / 64, "a set's words cover its universe")
        self.universe = universe
        self.words = words
    }

    /// Every person of the universe.
    public static func all(_ universe: Int) -> PersonSet {
        var s = PersonSet(universe: universe)
        for p in 0..<universe { s.insert(p) }
        return s
    }

    @inlinable public func contains(_ p: Int) -> Bool { words[p >> 6] & (1 << UInt64(p & 63)) != 0 }
    public mutating func insert(_ p: Int) { words[p >> 6] |= 1 << UInt64(p & 63) }
    public mutating func remove(_ p: Int) { words[p >> 6] &= ~(1 << UInt64(p & 63)) }

    public var count: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }
    public var isEmpty: Bool { words.allSatisfy { $0 == 0 } }

    public func intersection(_ o: PersonSet) -> PersonSet { combine(o, &) }
    /// `intersection(o).count` without building the set.
    public func intersectionCount(_ o: PersonSet) -> Int {
        precondition(universe == o.universe, "person sets of different tables")
        var n = 0
        for i in words.indices { n &+= (words[i] & o.words[i]).nonzeroBitCount }
        return n
    }
    public func union(_ o: PersonSet) -> PersonSet { combine(o, |) }
    public func subtracting(_ o: PersonSet) -> PersonSet { combine(o) { $0 & ~$1 } }
    /// Persons of the universe not in this set.
    public func complement() -> PersonSet {
        var s = self
        for i in s.words.indices { s.words[i] = ~s.words[i] }
        if universe % 64 != 0, !s.words.isEmpty { s.words[s.words.count - 1] &= (1 << UInt64(universe % 64)) - 1 }
        return s
    }

    private func combine(_ o: PersonSet, _ f: (UInt64, UInt64) -> UInt64) -> PersonSet {
        precondition(universe == o.universe, "person sets of different tables")
        var s = self
        for i in s.words.indices { s.words[i] = f(words[i], o.words[i]) }
        return s
    }

    /// Calls `body` with every member in ascending order (``members`` without building the array).
    @inlinable public func forEachMember(_ body: (Int) throws -> Void) rethrows {
        for (wi, w0) in words.enumerated() {
            var w = w0
            while w != 0 {
                try body(wi << 6 | w.trailingZeroBitCount)
                w &= w &- 1
            }
        }
    }

    /// The members in ascending order.
    public var members: [Int] {
        var out: [Int] = []
        for (wi, w0) in words.enumerated() {
            var w = w0
            while w != 0 {
                let b = w.trailingZeroBitCount
                out.append(wi << 6 | b)
                w &= w - 1
            }
        }
        return out
    }
}
