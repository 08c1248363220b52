import EventStore

/// Track event names with their counts.
enum EventNameMetrics {
    /// Every track event name in scope with its count, sorted by name.
    static func compute(_ scope: AnalysisScope) -> [EventNameCount] {
        let table = scope.table
        var counts = [Int32: Int]()
        scope.forEachPerson { _, rows in
            for r in rows where table.kind[r] == .track {
                let n = table.name[r]
                if n >= 0 { counts[n, default: 0] += 1 }
            }
        }
        return counts.map { id, n in
            let name = table.strings[id]
            return EventNameCount(name: name, count: n, known: KnownEvents.isKnown(name))
        }.sorted { $0.name < $1.name }
    }
}
