import EventStore

/// The weekly series: one point per ISO week (Monday 00:00 UTC to Sunday 23:59:59.999 UTC)
/// from the week of the first event in scope to the week of the reference time.
///
/// Definitions: docs/DEFINITIONS.md, "Weekly series".
public enum WeeklyMetrics {
    /// The most weeks a series holds (about 96 years); longer spans keep the latest weeks.
    public static let maxWeeks = 5_000

    static func compute(_ scope: AnalysisScope, feedback: FeedbackAnalysis) -> (points: [WeekPoint], truncated: Bool) {
        guard let now = scope.now else { return ([], false) }
        let table = scope.table
        var firstTime = Int64.max
        scope.forEachPerson { _, rows in firstTime = min(firstTime, table.time[rows.lowerBound]) }
        guard firstTime != .max else { return ([], false) }
        let lastWeek = CivilTime.weekIndex(ofMs: now)
        var firstWeek = CivilTime.weekIndex(ofMs: firstTime)
        var truncated = false
        if lastWeek - firstWeek + 1 > Int64(maxWeeks) { firstWeek = lastWeek - Int64(maxWeeks) + 1; truncated = true }
        let weeks = Int(lastWeek - firstWeek + 1)
        let categories = table.consentCategories

        var seen = [Int](repeating: 0, count: weeks)        // persons with an event in the week
        var arrived = [Int](repeating: 0, count: weeks)     // persons whose first event is in the week
        var grantedDiff = [[Int]](repeating: [Int](repeating: 0, count: weeks), count: categories.count)

        // The row columns read for every row, pinned once (no generic column subscript per row).
        table.time.withUnsafeBufferPointer { times in
        table.consentCarried.withUnsafeBufferPointer { carried in
        table.consentGranted.withUnsafeBufferPointer { grants in
        scope.forEachPerson { _, rows in
            var grant: UInt64 = 0, active: UInt64 = 0
            var week = CivilTime.weekIndex(ofMs: times[rows.lowerBound])
            var nextWeekStart = CivilTime.weekStartMs(week + 1)
            func slot(_ w: Int64) -> Int { max(0, Int(w - firstWeek)) }
            arrived[slot(week)] += 1
            if week >= firstWeek { seen[slot(week)] += 1 }
            func flush(_ w: Int64) {
                let changed = grant ^ active
                var d = changed
                while d != 0 {
                    let bit = d.trailingZeroBitCount
                    d &= d - 1
                    grantedDiff[bit][slot(w)] += grant & (1 << UInt64(bit)) != 0 ? 1 : -1
                }
                active = grant
            }
            for r in rows {
                let t = times[r]
                if t >= nextWeekStart {
                    flush(week)
                    week = CivilTime.weekIndex(ofMs: t)
                    nextWeekStart = CivilTime.weekStartMs(week + 1)
                    if week >= firstWeek { seen[slot(week)] += 1 }
                }
                let c = carried[r]
                if c != 0 {
                    grant = (grant & ~c) | (grants[r] & c)
                }
            }
            flush(week)
        }
        }
        }
        }

        var prompts = [Int](repeating: 0, count: weeks)
        var answered = [Int](repeating: 0, count: weeks)
        for i in feedback.promptTime.indices {
            let w = CivilTime.weekIndex(ofMs: feedback.promptTime[i]) - firstWeek
            guard w >= 0 else { continue }
            prompts[Int(w)] += 1
            if feedback.promptAnswered[i] { answered[Int(w)] += 1 }
        }

        var points: [WeekPoint] = []
        points.reserveCapacity(weeks)
        var population = 0
        var granted = [Int](repeating: 0, count: categories.count)
        for w in 0..<weeks {
            population += arrived[w]
            var coverage: [String: Double] = [:]
            for c in categories.indices {
                granted[c] += grantedDiff[c][w]
                coverage[categories[c]] = population == 0 ? 0 : Double(granted[c]) / Double(population)
            }
            points.append(WeekPoint(week: CivilTime.isoWeekLabel(firstWeek + Int64(w)), personsSeen: seen[w],
                                    prompts: prompts[w], answered: answered[w], responseRate: ratio(answered[w], prompts[w]),
                                    consentCoverage: coverage))
        }
        return (points, truncated)
    }
}
