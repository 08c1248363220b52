import EventStore

/// Loops: follow-ups within a promise (docs/DEFINITIONS.md, "Loops").
///
/// A *trigger* is each event matching the loop's `when`. Let *f* be the same person's first event
/// matching `expect` after the trigger in row order (at or after the trigger's time; at the same
/// time, later in file order), among events at or before the reference time. The trigger is
/// - **in time** when *f* exists and *f* − trigger ≤ the promised time (`within`);
/// - else **late** when *f* exists and comes before the person's next trigger of the same loop;
/// - else **open** when trigger + promised time is after the reference time;
/// - else **missed**.
public enum LoopMetrics {
    /// How many bins the histogram of open triggers' ages has.
    public static let ageBins = 8

    /// Every loop of the program, over the persons of `persons` (all when nil) and events at or before
    /// the reference time; exact figures (the privacy pass comes later).
    public static func compute(table: EventTable, program: SegmentProgram, options: AnalysisOptions,
                               persons: PersonSet? = nil) -> [LoopReport] {
        compute(table: table, program: program, options: options, persons: persons, matcher: nil)
    }

    /// The row sets a loop matcher of `program` needs (trigger, then expected, per loop).
    static func matcherSets(_ program: SegmentProgram) -> [[LoopEvent]] {
        program.loops.flatMap { [$0.triggers, $0.expected] }
    }

    /// The same, reusing a matcher built from ``matcherSets(_:)`` on this table (``AnalysisIndex``).
    static func compute(table: EventTable, program: SegmentProgram, options: AnalysisOptions,
                        persons: PersonSet?, matcher prebuilt: FlowMatcher?) -> [LoopReport] {
        guard !program.loops.isEmpty else { return [] }
        let scope = AnalysisScope(table: table, options: options, persons: persons)
        let matcher = prebuilt ?? FlowMatcher(table: table, sets: matcherSets(program))
        let channelColumn = table.column("properties.channel")
        return program.loops.enumerated().map { i, loop in
            evaluate(loop, triggerSet: 2 * i, expectSet: 2 * i + 1, matcher: matcher, scope: scope,
                     channelColumn: channelColumn)
        }
    }

    /// One trigger's facts.
    private struct Trigger {
        var time: Int64
        var outcome: LoopOutcome
        /// Milliseconds to the follow-up (closed triggers), else -1.
        var delay: Int64
        /// The follow-up's channel (closed triggers).
        var channel: String?
    }

    private static func evaluate(_ loop: LoopDefinition, triggerSet: Int, expectSet: Int, matcher: FlowMatcher,
                                 scope: AnalysisScope, channelColumn: PropertyColumn?) -> LoopReport {
        let table = scope.table
        let within = loop.within.milliseconds
        var report = LoopReport(name: loop.name, rule: loop.rule, withinSeconds: Double(within) / 1000)
        guard let now = scope.now else { return report }
        var triggers: [Trigger] = []
        var persons = 0
        var rowsT: [Int] = [], rowsE: [Int] = []
        var channelNames: [Int32: String] = [:]
        func channel(_ r: Int) -> String {
            guard let col = channelColumn, let id = col[r].stringID else { return "unknown" }
            if let s = channelNames[id] { return s }
            let s = table.strings[id]
            let name = s.isEmpty ? "unknown" : s
            channelNames[id] = name
            return name
        }
        scope.forEachPerson { _, rows in
            rowsT.removeAll(keepingCapacity: true)
            rowsE.removeAll(keepingCapacity: true)
            for r in rows {
                if matcher.matches(triggerSet, r) { rowsT.append(r) }
                if matcher.matches(expectSet, r) { rowsE.append(r) }
            }
            guard !rowsT.isEmpty else { return }
            persons += 1
            var e = 0
            for (k, tr) in rowsT.enumerated() {
                while e < rowsE.count, rowsE[e] <= tr { e += 1 }
                let t = table.time[tr]
                let f: Int? = e < rowsE.count ? rowsE[e] : nil
                let next: Int? = k + 1 < rowsT.count ? rowsT[k + 1] : nil
                var trigger = Trigger(time: t, outcome: .missed, delay: -1, channel: nil)
                if let f, table.time[f] - t <= within {
                    trigger.outcome = .inTime
                } else if let f, next == nil || f < next! {
                    trigger.outcome = .late
                } else if saturatingAdd(t, within) > now {
                    trigger.outcome = .open
                }
                if trigger.outcome == .inTime || trigger.outcome == .late, let f {
                    trigger.delay = table.time[f] - t
                    trigger.channel = channel(f)
                }
                triggers.append(trigger)
            }
        }
        var outcomes = LoopOutcomes()
        for t in triggers { outcomes.add(t.outcome) }
        outcomes.finish()
        report.outcomes = outcomes
        report.persons = persons
        let decided = outcomes.triggers - outcomes.open
        report.lateRate = ratio(outcomes.late, decided)
        report.missedRate = ratio(outcomes.missed, decided)
        let delays = triggers.filter { $0.delay >= 0 }.map(\.delay)
        report.medianSecondsToClose = median(delays).map { $0 / 1000 }
        report.p90SecondsToClose = percentile(delays, 0.9).map { Double($0) / 1000 }
        let openTimes = triggers.filter { $0.outcome == .open }.map(\.time)
        if let oldest = openTimes.min() {
            report.oldestOpenSeconds = Double(now - oldest) / 1000
            report.openOlderThanHours = Double(now - oldest) / 3_600_000
        }

        // By channel of the follow-up.
        var byChannel: [String: (closed: Int, inTime: Int, delays: [Int64])] = [:]
        for t in triggers {
            guard let c = t.channel else { continue }
            var entry = byChannel[c] ?? (0, 0, [])
            entry.closed += 1
            if t.outcome == .inTime { entry.inTime += 1 }
            entry.delays.append(t.delay)
            byChannel[c] = entry
        }
        report.byChannel = byChannel.keys.sorted().map { c in
            var row = LoopChannel(channel: c)
            row.closed = byChannel[c]!.closed
            row.inTime = byChannel[c]!.inTime
            row.medianSecondsToClose = median(byChannel[c]!.delays).map { $0 / 1000 }
            return row
        }

        // Weekly, by the trigger's ISO week, from the first trigger's week through the reference time's.
        if let first = triggers.map(\.time).min() {
            var weeks = SegmentMetrics.weeks(from: first, through: now)
            if weeks.count > Analysis.maxSegmentWeeks { weeks.removeFirst(weeks.count - Analysis.maxSegmentWeeks) }
            var rows = weeks.map { LoopWeek(week: $0.label) }
            for t in triggers {
                // Weeks are sorted and contiguous: find by start.
                var lo = 0, hi = weeks.count
                while lo < hi {
                    let mid = (lo + hi) >> 1
                    if weeks[mid].end <= t.time { lo = mid + 1 } else { hi = mid }
                }
                if lo < weeks.count, weeks[lo].start <= t.time { rows[lo].outcomes.add(t.outcome) }
            }
            for i in rows.indices { rows[i].outcomes.finish() }
            report.weekly = rows
        }

        // Ages of open triggers: `ageBins` equal bins from 0 to the promised time.
        let binWidth = Double(within) / Double(ageBins)
        var counts = [Int](repeating: 0, count: ageBins)
        for t in openTimes {
            let age = Double(now - t)
            counts[min(ageBins - 1, max(0, Int(age / binWidth)))] += 1
        }
        report.openAges = (0..<ageBins).map { b in
            LoopAgeBin(fromSeconds: Double(b) * binWidth / 1000, toSeconds: Double(b + 1) * binWidth / 1000, open: counts[b])
        }
        return report
    }
}

/// The nearest-rank percentile `p` (0 < p ≤ 1) of the values: the ⌈p·n⌉-th smallest; nil when empty.
func percentile(_ values: [Int64], _ p: Double) -> Int64? {
    guard !values.isEmpty else { return nil }
    let v = values.sorted()
    let rank = Int((p * Double(v.count)).rounded(.up))
    return v[min(v.count, max(1, rank)) - 1]
}

@inline(__always) func saturatingAdd(_ a: Int64, _ b: Int64) -> Int64 {
    let (r, o) = a.addingReportingOverflow(b)
    return o ? .max : r
}
