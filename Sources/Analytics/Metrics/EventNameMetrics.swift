import EventStore

/// Track event names with their counts.
enum EventNameMetrics {
    /// Every track event name in scope with its count, sorted by name.
    static func compute(_ scope: AnalysisScope) -> [EventNameCount] {
        let table = scope.table
        // Counted in a flat array by string id (4 bytes per interned string, no dictionary), and the
        // list sorted in place: a store of a million distinct names holds one list, not three (#11.15).
        var counts = [Int32](repeating: 0, count: table.strings.count)
        var distinct = 0
        scope.forEachPerson { _, rows in
            for r in rows where table.kind[r] == .track {
                let n = Int(table.name[r])
                if n >= 0 {
                    if counts[n] == 0 { distinct += 1 }
                    counts[n] += 1
                }
            }
        }
        var list: [EventNameCount] = []
        list.reserveCapacity(distinct)
        for (id, n) in counts.enumerated() where n > 0 {
            let name = table.strings[Int32(id)]
            list.append(EventNameCount(name: name, count: Int(n), known: KnownEvents.isKnown(name)))
        }
        counts = []
        list.sort { $0.name < $1.name }
        return list
    }
}

extension EventNameCount {
    /// The `k` most frequent names (ties by name, ascending), most frequent first: the first `k` of
    /// the list sorted that way, found in one pass keeping `k` candidates (no sorted copy of a
    /// list that can hold a million distinct names, #11.15).
    static func top(_ k: Int, of names: [EventNameCount]) -> [EventNameCount] {
        func before(_ a: EventNameCount, _ b: EventNameCount) -> Bool { (a.count, b.name) > (b.count, a.name) }
        guard k > 0 else { return [] }
        var best: [EventNameCount] = []
        best.reserveCapacity(k + 1)
        for e in names {
            if best.count == k, !before(e, best[k - 1]) { continue }
            var i = best.count
            while i > 0 && before(e, best[i - 1]) { i -= 1 }
            best.insert(e, at: i)
            if best.count > k { best.removeLast() }
        }
        return best
    }
}
