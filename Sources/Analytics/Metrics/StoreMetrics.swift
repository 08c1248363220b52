import EventStore

/// The store summary: what was read, and the population analysed.
enum StoreMetrics {
    /// How many malformed lines the report lists with file:line and reason.
    static let maxMalformedLines = 1000

    static func compute(_ scope: AnalysisScope) -> StoreSummary {
        let table = scope.table
        var s = readCounts(table.stats)
        s.persons = scope.personCount
        var first: Int64? = nil, last: Int64? = nil
        if let filter = scope.filter {
            var events = 0
            for p in filter.members {
                let r = table.personRange(p)
                events += r.count
                for i in r {
                    let t = table.time[i]
                    if first == nil || t < first! { first = t }
                    if last == nil || t > last! { last = t }
                }
            }
            s.events = events
        } else {
            s.events = table.count
            first = table.firstEventTime
            last = table.lastEventTime
        }
        s.firstEvent = first.map { CivilTime.isoTimestamp(ms: $0) }
        s.lastEvent = last.map { CivilTime.isoTimestamp(ms: $0) }
        if let now = scope.now, let last { s.lastEventAgeSeconds = Double(now - last) / 1000 }
        s.deletedPersons = table.stats.deletedPersons
        s.deletedEvents = table.stats.deletedEvents
        return s
    }

    /// The figures of the read itself (files, lines, records, duplicates, malformed, warnings), from `stats`.
    static func readCounts(_ stats: StoreStats) -> StoreSummary {
        var s = StoreSummary()
        s.files = stats.files.count
        s.lines = stats.lines
        s.duplicates = stats.duplicates
        s.malformed = stats.malformed
        s.batchEnvelopes = stats.envelopes
        s.batchItems = stats.envelopeItems
        s.records = stats.records
        s.malformedShare = stats.records <= 0 ? 0 : Double(stats.malformed) / Double(stats.records)
        s.malformedKinds = stats.malformedKinds.map { MalformedKind(kind: $0.key, count: $0.value) }
            .sorted { ($0.count, $1.kind) > ($1.count, $0.kind) }
        s.malformedLines = stats.malformedSamples.prefix(maxMalformedLines).map { m in
            let path = m.file >= 0 && Int(m.file) < stats.files.count ? stats.files[Int(m.file)].path : "(unknown file)"
            return MalformedLineReport(file: path, line: m.line, reason: m.reason)
        }
        s.fileList = stats.files.map(FileSummary.init)
        s.warnings = stats.warnings
        return s
    }
}
