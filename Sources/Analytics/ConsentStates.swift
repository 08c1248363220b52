import EventStore

/// A person's consent state for one category.
public enum ConsentState: UInt8, Sendable, Equatable {
    /// No event of the person ever carried the category (kept apart from denied).
    case unknown
    case granted
    case denied
}

/// Every person's consent state per category, "latest wins":
/// the value from the person's latest event (by event time, ties by file order) that carries
/// the category, considering events at or before `asOf`.
public struct ConsentStates: Sendable {
    /// Bit `i`: the person has a known state for `table.consentCategories[i]`.
    public private(set) var known: [UInt64]
    /// Bit `i`: that state is granted.
    public private(set) var granted: [UInt64]
    public let categories: [String]

    public init(table: EventTable, asOf: Int64 = .max) {
        categories = table.consentCategories
        known = Array(repeating: 0, count: table.personCount)
        granted = Array(repeating: 0, count: table.personCount)
        for p in 0..<table.personCount {
            var k: UInt64 = 0, g: UInt64 = 0
            for r in table.personRange(p) {
                if table.time[r] > asOf { break }   // rows are time-ordered within a person
                let c = table.consentCarried[r]
                if c == 0 { continue }
                k |= c
                g = (g & ~c) | (table.consentGranted[r] & c)
            }
            known[p] = k
            granted[p] = g
        }
    }

    /// The state of person `p` for the category with bit index `bit`.
    @inlinable public func state(person p: Int, bit: Int) -> ConsentState {
        let m: UInt64 = 1 << UInt64(bit)
        if known[p] & m == 0 { return .unknown }
        return granted[p] & m != 0 ? .granted : .denied
    }

    /// The state of person `p` for a category by name (unknown for a category nobody carried).
    public func state(person p: Int, category: String) -> ConsentState {
        guard let bit = categories.firstIndex(of: category) else { return .unknown }
        return state(person: p, bit: bit)
    }

    /// Persons whose state for the category is granted.
    public func grantedSet(bit: Int) -> PersonSet {
        var s = PersonSet(universe: known.count)
        let m: UInt64 = 1 << UInt64(bit)
        for p in 0..<known.count where known[p] & granted[p] & m != 0 { s.insert(p) }
        return s
    }
}
