import EventStore

/// The segments section of the report: each segment's size, reach per consent category,
/// weekly sizes and feedback, and the pairwise overlaps.
public struct SegmentMetrics: Sendable {
    /// One report per segment, in file order.
    public var segments: [SegmentReport]
    /// Every unordered pair of the first ``overlapLimit`` segments once, `a` before `b` in file order.
    public var overlap: [SegmentOverlap]
    /// How many segments (those after the first ``overlapLimit``) are in no pair of ``overlap``.
    public var overlapLeftOut: Int

    /// The pairwise overlap is computed among the first this many segments (in file order) only:
    /// 100 segments make 4,950 pairs, while the pairs of thousands of (generated) rules would take
    /// memory and output quadratic in their number (10,000 rules: 50 million pairs).
    public static let overlapLimit = 100

    /// Computes the metrics of every segment of the program.
    /// - Parameters:
    ///   - now: the reference time; sizes, reach and feedback are as of now.
    ///   - consent: the persons' consent states as of now; `reachable[category]` counts members
    ///     whose state for the category is granted.
    ///   - weeks: the weeks of the weekly series (see ``weeks(from:through:)``); a week's size is
    ///     the segment evaluated as of the week's last millisecond, or as of `now` for a week
    ///     that ends after `now`.
    ///   - persons: when given, only these persons count: sizes are intersections with them and
    ///     shares are relative to them (the dashboard's segment filter).
    ///   - feedback: the members' feedback loops by channel and their NPS (injected by the report assembly).
    ///   - depth: the members' profile depth (injected by the report assembly; none when nil).
    public init(program: SegmentProgram, table: EventTable, now: Int64, consent: ConsentStates,
                weeks: [Week], persons filter: PersonSet? = nil, feedback: (PersonSet) -> ([LoopStats], NPSStats),
                depth: ((PersonSet) -> SegmentProfileDepth)? = nil) {
        self.init(evaluator: SegmentEvaluator(program: program, table: table), now: now, consent: consent,
                  weeks: weeks, persons: filter, feedback: feedback, depth: depth)
    }

    /// The same, reusing a compiled evaluator.
    public init(evaluator: SegmentEvaluator, now: Int64, consent: ConsentStates,
                weeks: [Week], persons filter: PersonSet? = nil, feedback: (PersonSet) -> ([LoopStats], NPSStats),
                depth: ((PersonSet) -> SegmentProfileDepth)? = nil) {
        self.init(program: evaluator.program, members: evaluator.evaluate(now: now),
                  weekly: Self.weeklySizes(evaluator: evaluator, now: now, weeks: weeks, persons: filter),
                  categories: consent.categories,
                  granted: consent.categories.indices.map { consent.grantedSet(bit: $0) },
                  persons: filter, feedback: feedback, depth: depth)
    }

    /// The same from what ``AnalysisIndex`` keeps: every segment's members as of now over the whole
    /// table (`members`, in file order), the weekly sizes already restricted to `filter`
    /// (`weekly[segment]`), and per consent category the persons whose state is granted as of now.
    init(program: SegmentProgram, members unfiltered: [PersonSet], weekly: [[SegmentWeek]],
         categories: [String], granted: [PersonSet], persons filter: PersonSet?,
         feedback: (PersonSet) -> ([LoopStats], NPSStats), depth: ((PersonSet) -> SegmentProfileDepth)? = nil) {
        let persons = filter?.count ?? unfiltered.first?.universe ?? 0
        func restrict(_ s: PersonSet) -> PersonSet { filter.map { s.intersection($0) } ?? s }
        let members = unfiltered.map(restrict)
        segments = program.segments.enumerated().map { i, def in
            let set = members[i]
            let size = set.count
            var reachable: [String: Int] = [:]
            for (bit, category) in categories.enumerated() where granted[bit].universe == set.universe {
                reachable[category] = set.intersectionCount(granted[bit])
            }
            let (loops, nps) = feedback(set)
            var report = SegmentReport(name: def.name, rule: def.rule, size: size,
                                       share: persons == 0 ? nil : Double(size) / Double(persons),
                                       reachable: reachable, weekly: i < weekly.count ? weekly[i] : [], feedback: loops, nps: nps)
            if let depth { report.profileDepth = depth(set) }
            return report
        }
        var pairs: [SegmentOverlap] = []
        let paired = min(members.count, Self.overlapLimit)
        overlapLeftOut = members.count - paired
        pairs.reserveCapacity(paired * (paired - 1) / 2)
        for i in 0 ..< paired {
            for j in i + 1 ..< paired {
                pairs.append(SegmentOverlap(a: program.segments[i].name, b: program.segments[j].name,
                                            size: members[i].intersectionCount(members[j])))
            }
        }
        overlap = pairs
    }

    /// Each segment's size at the end of each of `weeks`: the rules evaluated as of the week's last
    /// millisecond, or as of `now` for a week that ends after it; with `persons`, only those count.
    /// One evaluation of every rule per week: the plain definition, which the report's own path (the single pass of
    /// ``SegmentEvaluator/members(asOf:)`` in ``AnalysisIndex``) is tested against (`FilteredReportPropertyTests`).
    public static func weeklySizes(evaluator: SegmentEvaluator, now: Int64, weeks: [Week],
                                   persons: PersonSet?) -> [[SegmentWeek]] {
        var out = [[SegmentWeek]](repeating: [], count: evaluator.program.segments.count)
        for w in weeks {
            let sets = evaluator.evaluate(now: min(w.end - 1, now))
            for (i, s) in sets.enumerated() {
                out[i].append(SegmentWeek(week: w.label, size: persons.map { s.intersectionCount($0) } ?? s.count))
            }
        }
        return out
    }

    /// An ISO week: Monday 00:00 UTC to the next Monday 00:00 UTC.
    public struct Week: Sendable, Equatable, CustomStringConvertible {
        /// ISO week-year and week, `2026-W09`.
        public var label: String
        /// Monday 00:00:00.000 UTC, milliseconds since the epoch.
        public var start: Int64
        /// The next Monday 00:00 UTC (exclusive).
        public var end: Int64

        public var description: String { label }

        /// The ISO week containing `time` (milliseconds since the epoch, UTC).
        public init(containing time: Int64) {
            let week = CivilTime.weekIndex(ofMs: time)
            label = CivilTime.isoWeekLabel(week)
            start = CivilTime.weekStartMs(week)
            end = CivilTime.weekStartMs(week + 1)
        }
    }

    /// The ISO weeks from the one containing `first` through the one containing `last`
    /// (empty when `first > last`).
    public static func weeks(from first: Int64, through last: Int64) -> [Week] {
        guard first <= last else { return [] }
        var out: [Week] = []
        var w = Week(containing: first)
        while w.start <= last {
            out.append(w)
            w = Week(containing: w.end)
        }
        return out
    }
}
