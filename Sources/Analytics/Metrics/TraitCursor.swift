import EventStore

/// Finds the trait entries of persons asked for in ascending order (a pass over persons, all or a filter's) without
/// two binary searches of the whole trait list per person (``EventTable/traitIndices(ofPerson:)``): the entries are in
/// row order and persons own ascending row ranges, so a person's entries start at or after the previous person's end.
/// From the cursor it steps forward while the next entry is close, else binary-searches the rest: O(1) per person
/// in a pass over every person, O(log n) per person of a sparse filter (docs/PERFORMANCE.md, "session 7, analysis").
///
/// ``latest(_:ofPerson:asOf:)`` is ``EventTable/trait(_:ofPerson:asOf:)`` with the entries found this way.
struct TraitCursor {
    let table: EventTable
    /// The first trait entry not before the previous person's rows.
    private var cursor = 0
    private var lastPerson = -1

    init(table: EventTable) { self.table = table }

    /// The trait entries of person `p` (indices into the trait columns), in row order: the same range as
    /// `table.traitIndices(ofPerson: p)`. Persons must be asked for in ascending order (the same person again is fine).
    mutating func entries(ofPerson p: Int) -> Range<Int> {
        precondition(p >= lastPerson, "persons in ascending order")
        lastPerson = p
        let rows = table.personRange(p)
        let traitRow = table.traitRow
        let lo = Self.lowerBound(traitRow, Int32(rows.lowerBound), from: cursor)
        var hi = lo
        while hi < traitRow.count, Int(traitRow[hi]) < rows.upperBound { hi += 1 }
        cursor = lo
        return lo ..< hi
    }

    /// The person's latest value of trait `key` set at or before `asOf` (latest by event time, ties by file order), or
    /// `.missing`: ``EventTable/trait(_:ofPerson:asOf:)``. Persons in ascending order.
    mutating func latest(_ key: Int32, ofPerson p: Int, asOf: Int64 = .max) -> PropValue {
        var best = PropValue.missing
        for i in entries(ofPerson: p) where table.traitKey[i] == key {
            let row = Int(table.traitRow[i])
            if table.time[row] <= asOf { best = table.traitValue[i] } else { break }
        }
        return best
    }

    /// The first index at or after `start` whose value is ≥ `x` (`a` ascending): a few steps forward, then a binary
    /// search of the rest.
    static func lowerBound(_ a: [Int32], _ x: Int32, from start: Int) -> Int {
        var i = start
        for _ in 0 ..< 8 {
            if i >= a.count || a[i] >= x { return i }
            i += 1
        }
        var lo = i, hi = a.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if a[mid] < x { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
