import EventStore

/// Track event names with their counts.
enum EventNameMetrics {
    /// Every track event name in scope with its count, sorted by name (`String` order, as `<` sorts names).
    static func compute(_ scope: AnalysisScope) -> EventNameList {
        let table = scope.table
        // Counted in a flat array by string id (4 bytes per interned string, no dictionary); the distinct
        // ids sorted by their names' bytes; the names copied once into the list's arena — no `String` per
        // name survives the computation (#11.15).
        var counts = [Int32](repeating: 0, count: table.strings.count)
        var distinct = 0
        table.kind.withUnsafeBufferPointer { kinds in
            table.name.withUnsafeBufferPointer { names in
                counts.withUnsafeMutableBufferPointer { counts in
                    scope.forEachPerson { _, rows in
                        for r in rows where kinds[r] == .track {
                            let n = Int(names[r])
                            if n >= 0 {
                                if counts[n] == 0 { distinct += 1 }
                                counts[n] += 1
                            }
                        }
                    }
                }
            }
        }
        var ids: [Int32] = []
        ids.reserveCapacity(distinct)
        var utf8Bytes = 0
        let strings = table.strings
        // Which names are wholly ASCII, found once per name (a bit per interned string), not on every comparison.
        var ascii = [UInt64](repeating: 0, count: (counts.count + 63) / 64)
        for (id, n) in counts.enumerated() where n > 0 {
            ids.append(Int32(id))
            utf8Bytes += strings.utf8Count(Int32(id))
            if strings.withBytes(Int32(id), { !$0.contains(where: { $0 >= 0x80 }) }) { ascii[id >> 6] |= 1 << UInt64(id & 63) }
        }
        func isASCII(_ id: Int32) -> Bool { (ascii[Int(id) >> 6] >> UInt64(id & 63)) & 1 != 0 }
        ids.sort { a, b in nameBefore(strings, a, b, bothASCII: isASCII(a) && isASCII(b)) }
        var list = EventNameList()
        list.reserveCapacity(names: ids.count, utf8Bytes: utf8Bytes)
        for id in ids {
            let known = KnownEvents.isKnown(strings[id])
            strings.withBytes(id) { list.append(utf8: $0, count: Int(counts[Int(id)]), known: known) }
        }
        return list
    }

    /// Whether the name `a` sorts before `b` as `String`'s `<` orders them: byte order when both are ASCII
    /// (`bothASCII`: the same order, without making a `String`), else the `String`s compared. Only when both are
    /// wholly ASCII: a later combining mark can compose with an earlier letter.
    static func nameBefore(_ strings: Interner, _ a: Int32, _ b: Int32, bothASCII: Bool) -> Bool {
        guard bothASCII else { return strings[a] < strings[b] }
        return strings.withBytes(a) { x in strings.withBytes(b) { y in x.lexicographicallyPrecedes(y) } }
    }
}

extension EventNameCount {
    /// The `k` most frequent names (ties by name, ascending), most frequent first: the first `k` of
    /// the list sorted that way, found in one pass keeping `k` candidates (no sorted copy of a
    /// list that can hold a million distinct names, #11.15).
    static func top<S: Sequence>(_ k: Int, of names: S) -> [EventNameCount] where S.Element == EventNameCount {
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
