import EventStore

/// What every report of one table under one rules program and one set of options shares, computed once,
/// so that a report restricted to a person set (the dashboard's segment filter) costs time proportional to
/// that set's rows instead of the store's.
///
/// A segment's membership, a person's consent state and which rows a loop or journey pattern matches are
/// each a function of one person's own rows (or of one row), never of other persons. So the parts of the
/// analysis that would otherwise pass over the whole table for every filter are done here once, over every
/// person:
///
/// - the compiled ``SegmentEvaluator`` and every segment's members as of the reference time
///   (``members``; the filter's person set is one of them);
/// - every segment's members at the end of each week of the weekly series (kept while they fit in
///   ``weeklyMemoryBudget``; a filtered weekly size is then the popcount of an intersection);
/// - the persons whose consent is granted as of the reference time, per category;
/// - the row bits of the loops' and journeys' patterns (``FlowMatcher``);
/// - every person's own feedback records (prompts with their answers and delays, dismissals, NPS scores:
///   ``FeedbackFacts``) and profile depth, so that each segment's feedback and depth in a filtered report are
///   sums over its members' records, not a pass over their rows;
/// - the reference time itself (pinned into ``options``, so no metric scans the time column for it again).
///
/// ``Analysis/rawReport(index:persons:)`` then restricts those sets to the filter (bitset intersections) and
/// runs the per-person metrics (store, consent, feedback, weekly, event names, free text, loops, journeys,
/// each segment's feedback) over the filter's persons only: ``AnalysisScope`` visits exactly the set's rows.
/// The figures are those of a report computed from scratch (`FilteredReportPropertyTests` compares both on
/// random stores and random segments).
public struct AnalysisIndex: Sendable {
    public let table: EventTable
    public let program: SegmentProgram?
    /// The options as given, except that `now` is the reference time (``AnalysisOptions/referenceTime(_:)``).
    public let options: AnalysisOptions
    /// The reference time; nil only for an empty table without `--now`.
    let now: Int64?
    /// The weeks of the segments' weekly sizes (empty without segments or events).
    let weeks: [SegmentMetrics.Week]
    /// Whether the report has a segments section: a program, a reference time and at least one event.
    let reportsSegments: Bool
    let evaluator: SegmentEvaluator?
    /// Every segment's members as of the reference time, over the whole table, in file order
    /// (empty without a program).
    public let members: [PersonSet]
    /// `weeklyMembers[week][segment]`: members as of the end of the week (or the reference time); nil when
    /// they would not fit in ``weeklyMemoryBudget`` (each filtered report then evaluates the weeks again).
    let weeklyMembers: [[PersonSet]]?
    /// Consent categories of the table and, per category, the persons granted as of the reference time.
    let consentCategories: [String]
    let granted: [PersonSet]
    let loopMatcher: FlowMatcher?
    let journeyMatcher: FlowMatcher?
    /// Every person's feedback records and profile depth, from one feedback pass over the table: set exactly when
    /// ``reportsSegments`` (the report's segments need nothing else of the feedback analysis).
    let feedbackFacts: FeedbackFacts?
    let personDepths: PersonDepths?

    /// At most this many bytes of weekly member sets are kept (weeks × segments × persons / 8).
    public static let weeklyMemoryBudget = 256 << 20

    /// Computes the shared parts for `table`, `program` and `options` (independent parts concurrently).
    /// `weeklyBudget`: at most this many bytes of weekly member sets are kept (tests pass 0 to take the other path).
    public init(table: EventTable, program: SegmentProgram?, options: AnalysisOptions,
                weeklyBudget: Int = AnalysisIndex.weeklyMemoryBudget) {
        self.table = table
        self.program = program
        let now = options.referenceTime(table)
        self.now = now
        var pinned = options
        pinned.now = now
        self.options = pinned
        let pinnedOptions = pinned
        guard let program else {
            weeks = []; reportsSegments = false; evaluator = nil; members = []; weeklyMembers = nil
            consentCategories = []; granted = []; loopMatcher = nil; journeyMatcher = nil
            feedbackFacts = nil; personDepths = nil
            return
        }
        var weeks: [SegmentMetrics.Week] = []
        let first = table.firstEventTime
        reportsSegments = now != nil && first != nil
        if let now, let first {
            weeks = SegmentMetrics.weeks(from: first, through: now)
            if weeks.count > Analysis.maxSegmentWeeks { weeks.removeFirst(weeks.count - Analysis.maxSegmentWeeks) }
        }
        self.weeks = weeks
        let evaluator = SegmentEvaluator(program: program, table: table)
        self.evaluator = evaluator
        let setBytes = (table.personCount + 63) / 64 * 8
        let keepWeekly = weeks.count * program.segments.count * setBytes <= weeklyBudget

        var jobs: [@Sendable () -> Part] = []
        jobs.append {
            let consent = ConsentStates(table: table, asOf: now ?? .max)
            return .now(evaluator.evaluate(now: now ?? 0), consent.categories,
                        consent.categories.indices.map { consent.grantedSet(bit: $0) })
        }
        if keepWeekly {
            for slice in stride(from: 0, to: weeks.count, by: Analysis.weeksPerJob) {
                let sliceWeeks = Array(weeks[slice ..< min(weeks.count, slice + Analysis.weeksPerJob)])
                let now = now ?? 0
                jobs.append { .weekly(sliceWeeks.map { evaluator.evaluate(now: min($0.end - 1, now)) }) }
            }
        }
        if reportsSegments {
            jobs.append {
                let scope = AnalysisScope(table: table, options: pinnedOptions, persons: nil)
                let feedback = FeedbackMetrics.analyze(scope)
                return .feedback(FeedbackFacts(feedback, personCount: table.personCount),
                                 ProfileDepthMetrics.personDepths(scope, feedback: feedback))
            }
        }
        if !program.loops.isEmpty {
            jobs.append { .loops(FlowMatcher(table: table, sets: LoopMetrics.matcherSets(program))) }
        }
        if !program.journeys.isEmpty {
            jobs.append { .journeys(FlowMatcher(table: table, sets: JourneyMetrics.matcherSets(program))) }
        }
        var members: [PersonSet] = [], weekly: [[PersonSet]] = [], categories: [String] = [], granted: [PersonSet] = []
        var loops: FlowMatcher?, journeys: FlowMatcher?
        var facts: FeedbackFacts?, depths: PersonDepths?
        for part in ParallelJobs.run(jobs) {
            switch part {
            case .now(let m, let c, let g): members = m; categories = c; granted = g
            case .weekly(let w): weekly += w
            case .loops(let m): loops = m
            case .journeys(let m): journeys = m
            case .feedback(let f, let d): facts = f; depths = d
            }
        }
        self.members = members
        weeklyMembers = keepWeekly ? weekly : nil
        consentCategories = categories
        self.granted = granted
        loopMatcher = loops
        journeyMatcher = journeys
        feedbackFacts = facts
        personDepths = depths
    }

    private enum Part {
        case now([PersonSet], [String], [PersonSet])
        case weekly([[PersonSet]])
        case loops(FlowMatcher)
        case journeys(FlowMatcher)
        case feedback(FeedbackFacts, PersonDepths)
    }

    /// The members of the named segment as of the reference time, or nil when the program has no such
    /// segment. `segment` may be the name as written in the rules or as shown in a published report.
    public func members(of segment: String) -> PersonSet? {
        guard let program, let index = Analysis.segmentIndex(segment, in: program), index < members.count else { return nil }
        return members[index]
    }

    /// Whether the weekly member sets are kept (false when over ``weeklyMemoryBudget`` or without segments).
    public var keepsWeeklyMembers: Bool { weeklyMembers != nil }
}
