import EventStore

/// The whole analysis of a store: the metrics of ``ReportBuilder`` plus the segments of a rules file.
///
/// This is the one entry point the CLI and the dashboard use, so `report`, `check` and every view
/// show the same figures.
public enum Analysis {
    /// How many of the latest ISO weeks get a weekly segment size (each week's end is one more stop of the single pass
    /// over every person's rows: ``SegmentEvaluator/members(asOf:)``).
    public static let maxSegmentWeeks = 104

    /// Builds the published report: the raw figures of ``rawReport(table:program:options:persons:)`` after the
    /// privacy guards of `options.privacy` (``Privacy/publish(_:policy:)``; on by default: k = 5, PII masked).
    /// With `persons`, every figure (segments included) is restricted to those persons: a segment's size is
    /// then the size of its intersection with them and its share is relative to them.
    public static func report(table: EventTable, program: SegmentProgram?, options: AnalysisOptions,
                              persons: PersonSet? = nil) -> Report {
        Privacy.publish(rawReport(table: table, program: program, options: options, persons: persons),
                        policy: options.privacy)
    }

    /// Every figure exactly, before the privacy guards: for computations (such as `check` thresholds), never
    /// for showing. Its free-text word list is still built from masked text unless PII is revealed.
    ///
    /// The independent parts (store, consent, feedback and weekly metrics; free text; segments; the segments'
    /// weekly sizes in person chunks) run concurrently on all cores: each is a pure function of the immutable
    /// table, and their results are put together in a fixed order, so the report is the same as computed serially.
    public static func rawReport(table: EventTable, program: SegmentProgram?, options: AnalysisOptions,
                                 persons: PersonSet? = nil) -> Report {
        if persons == nil { return indexAndRawReport(table: table, program: program, options: options).report }
        return rawReport(index: AnalysisIndex(table: table, program: program, options: options), persons: persons)
    }

    /// The ``AnalysisIndex`` of `table` and the full published report (no person filter), computed together: the
    /// report's parts that need no index run in the same schedule as the index's parts and share its feedback pass
    /// (``AnalysisIndex/init(table:program:options:weeklyBudget:head:withHead:)``), instead of the index first and
    /// the report after it. The same report as ``report(index:persons:)`` on the same index.
    public static func indexAndReport(table: EventTable, program: SegmentProgram?, options: AnalysisOptions,
                                      weeklyBudget: Int = AnalysisIndex.weeklyMemoryBudget) -> (index: AnalysisIndex, report: Report) {
        let (index, raw) = indexAndRawReport(table: table, program: program, options: options, weeklyBudget: weeklyBudget)
        return (index, Privacy.publish(raw, policy: index.options.privacy))
    }

    /// ``indexAndReport(table:program:options:weeklyBudget:)`` before the privacy guards.
    public static func indexAndRawReport(table: EventTable, program: SegmentProgram?, options: AnalysisOptions,
                                         weeklyBudget: Int = AnalysisIndex.weeklyMemoryBudget)
        -> (index: AnalysisIndex, report: Report) {
        var head: AnalysisIndex.ReportHead?
        let index = AnalysisIndex(table: table, program: program, options: options, weeklyBudget: weeklyBudget,
                                  head: &head, withHead: true)
        return (index, rawReport(index: index, persons: nil, head: head))
    }

    /// Builds the published report from an ``AnalysisIndex`` (computed once per table, rules and options),
    /// restricted to `persons` when given: the same figures as ``report(table:program:options:persons:)``,
    /// in time proportional to the persons' rows (the dashboard's segment filter).
    public static func report(index: AnalysisIndex, persons: PersonSet? = nil) -> Report {
        Privacy.publish(rawReport(index: index, persons: persons), policy: index.options.privacy)
    }

    /// ``rawReport(table:program:options:persons:)`` from an ``AnalysisIndex``: segment members, weekly member
    /// sets, consent states and loop/journey row bits come from the index (restricted to `persons` by bitset
    /// intersections); every other metric passes over the rows of `persons` only.
    public static func rawReport(index: AnalysisIndex, persons: PersonSet? = nil) -> Report {
        rawReport(index: index, persons: persons, head: nil)
    }

    /// The same; `head` (for `persons` nil only): the parts already computed with the index.
    static func rawReport(index: AnalysisIndex, persons: PersonSet?, head: AnalysisIndex.ReportHead?) -> Report {
        precondition(head == nil || persons == nil, "the report head is the unfiltered report's")
        let table = index.table, options = index.options
        if let persons { precondition(persons.universe == table.personCount, "person set of another table") }
        let maskPII = !options.privacy.revealPII
        var jobs: [@Sendable () -> Part] = []
        // The index keeps every person's feedback records and depth exactly when it reports segments: each segment's
        // feedback and depth are sums over its members' records, with no feedback pass of their own (the report's one
        // feedback pass is ReportBuilder's).
        if let program = index.program, let now = index.now, index.reportsSegments, let evaluator = index.evaluator {
            guard let facts = index.feedbackFacts, let depths = index.personDepths else {
                preconditionFailure("an index that reports segments keeps every person's feedback records")
            }
            let weeks = index.weeks
            let weeklyMembers = index.weeklyMembers
            jobs.append {
                // Weekly sizes come from the index's weekly sets, else from the slices below.
                var weekly = [[SegmentWeek]](repeating: [], count: program.segments.count)
                if let weeklyMembers {
                    for (w, sets) in weeklyMembers.enumerated() {
                        for (i, s) in sets.enumerated() {
                            weekly[i].append(SegmentWeek(week: weeks[w].label, size: persons.map { s.intersectionCount($0) } ?? s.count))
                        }
                    }
                }
                return .segments(SegmentMetrics(program: program, members: index.members, weekly: weekly,
                                                categories: index.consentCategories, granted: index.granted,
                                                persons: persons, feedback: { facts.loops(of: $0) },
                                                depth: { depths.distribution(of: $0) }))
            }
            if weeklyMembers == nil, !weeks.isEmpty {
                // Over the memory budget: the weekly sizes counted in one pass per person chunk, no sets kept.
                let ends = weeks.map { min($0.end - 1, now) }
                for chunk in SegmentEvaluator.personChunks(persons: table.personCount, jobs: seriesJobs) {
                    jobs.append { .weekly(evaluator.memberCounts(asOf: ends, filter: persons, persons: chunk)) }
                }
            }
        }
        if head == nil, let program = index.program, !program.loops.isEmpty || !program.journeys.isEmpty {
            jobs.append { .flows(LoopMetrics.compute(table: table, program: program, options: options, persons: persons,
                                                     matcher: index.loopMatcher),
                                 JourneyMetrics.compute(table: table, program: program, options: options, persons: persons,
                                                        matcher: index.journeyMatcher)) }
        }
        // The report builder's two halves run as two jobs: the feedback half (the longest job of a filtered report)
        // first, the store/consent/event-name half last (docs/PERFORMANCE.md, "Segment filter").
        if head == nil {
            jobs.insert({ .feedbackBase(ReportBuilder.feedbackParts(AnalysisScope(table: table, options: options, persons: persons))) },
                        at: 0)
            jobs.append { .rowBase(ReportBuilder.rowParts(AnalysisScope(table: table, options: options, persons: persons))) }
            jobs.insert({ .freeText(FreeTextMetrics.compute(table: table, options: options, persons: persons,
                                                            maskPII: maskPII)) }, at: 1)
        }

        var feedbackParts = head?.feedback, rowParts = head?.rows
        var freeText = head?.freeText ?? FreeTextSummary()
        var segments: SegmentMetrics?
        var weeklyCounts: [[Int]] = []
        var loops = head?.loops ?? [], journeys = head?.journeys ?? []
        for part in ParallelJobs.run(jobs) {
            switch part {
            case .feedbackBase(let f): feedbackParts = f
            case .rowBase(let r): rowParts = r
            case .freeText(let f): freeText = f
            case .segments(let s): segments = s
            case .flows(let l, let j): loops = l; journeys = j
            case .weekly(let counts):
                if weeklyCounts.isEmpty { weeklyCounts = counts } else {
                    for k in counts.indices { for s in counts[k].indices { weeklyCounts[k][s] += counts[k][s] } }
                }
            }
        }
        guard let feedbackParts, let rowParts else { preconditionFailure("both report builder jobs ran") }
        var report = ReportBuilder.assemble(AnalysisScope(table: table, options: options, persons: persons),
                                            rows: rowParts, feedback: feedbackParts)
        report.feedback.freeText = freeText
        report.loops = loops
        report.journeys = journeys
        guard var segments else { return report }
        for (k, counts) in weeklyCounts.enumerated() {
            for (i, size) in counts.enumerated() where i < segments.segments.count {
                segments.segments[i].weekly.append(SegmentWeek(week: index.weeks[k].label, size: size))
            }
        }
        report.segments = segments.segments
        report.overlap = segments.overlap
        if segments.overlapLeftOut > 0 {
            report.store.warnings.append(Self.overlapWarning(leftOut: segments.overlapLeftOut))
        }
        return report
    }

    /// The store warning saying that the overlap of `leftOut` segments (those after
    /// ``SegmentMetrics/overlapLimit``) is not in the report.
    public static func overlapWarning(leftOut: Int) -> String {
        let limit = SegmentMetrics.overlapLimit
        return "segment overlap covers the first \(limit) segments of \(limit + leftOut) only "
            + "(limit \(limit)): the overlaps of the other \(leftOut) are left out"
    }

    /// Into how many person chunks (concurrent jobs) the weekly series' single pass is split.
    static let seriesJobs = 4

    /// One independently computed part of ``rawReport(table:program:options:persons:)``.
    private enum Part {
        case feedbackBase(ReportBuilder.FeedbackParts)
        case rowBase(ReportBuilder.RowParts)
        case freeText(FreeTextSummary)
        case segments(SegmentMetrics)
        /// Per week, per segment: the members in the filter, for one person chunk.
        case weekly([[Int]])
        case flows([LoopReport], [JourneyReport])
    }

    /// The members of the named segment as of the reference time, or nil when the program has no such segment.
    /// `segment` may be the name as written in the rules or as shown in a published report.
    public static func members(of segment: String, table: EventTable, program: SegmentProgram,
                               options: AnalysisOptions) -> PersonSet? {
        guard let index = segmentIndex(segment, in: program) else { return nil }
        let now = options.referenceTime(table) ?? 0
        return SegmentEvaluator(program: program, table: table).evaluate(now: now)[index]
    }

    /// The index of the named segment in `program` (the name as written in the rules, else as shown in a
    /// published report, which may carry the masked name: ``PIIMasker/maskIdentifier(_:)``).
    static func segmentIndex(_ segment: String, in program: SegmentProgram) -> Int? {
        program.segments.firstIndex(where: { $0.name == segment })
            ?? program.segments.firstIndex(where: { PIIMasker.maskIdentifier($0.name) == segment })
    }
}
