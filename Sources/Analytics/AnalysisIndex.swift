import EventStore
import Synchronization

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
        var head: ReportHead?
        self.init(table: table, program: program, options: options, weeklyBudget: weeklyBudget, head: &head, withHead: false)
    }

    /// The parts of the full (unfiltered) report that need nothing from the index, computed in the same schedule
    /// as the index by ``Analysis/indexAndRawReport(table:program:options:)``: the report builder's two halves, free
    /// text, and the loops and journeys (each right after its matcher, in the same job).
    struct ReportHead: Sendable {
        var feedback: ReportBuilder.FeedbackParts
        var rows: ReportBuilder.RowParts
        var freeText: FreeTextSummary
        var loops: [LoopReport]
        var journeys: [JourneyReport]
    }

    /// The index, and with `withHead` also the ``ReportHead`` of the full report, all in one schedule of concurrent
    /// jobs (docs/PERFORMANCE.md, "perf, session 5"): the two used to run one after the other, each waiting for its
    /// slowest job with the other core idle, and the whole-table feedback pass ran twice (once for every person's
    /// records here, once for the report's feedback figures); it now runs once for both. The rules are compiled
    /// by the first job that needs the evaluator while the jobs that do not need it run on the other core.
    /// Every part is the same pure function of the table and the pinned options as before, so every figure is the same.
    init(table: EventTable, program: SegmentProgram?, options: AnalysisOptions, weeklyBudget: Int,
         head: inout ReportHead?, withHead: Bool) {
        self.table = table
        self.program = program
        let now = options.referenceTime(table)
        self.now = now
        var pinned = options
        pinned.now = now
        self.options = pinned
        let pinnedOptions = pinned
        var weeks: [SegmentMetrics.Week] = []
        var reportsSegments = false
        var keepWeekly = false
        let compiled = program.map { EvaluatorOnce(program: $0, table: table) }
        if let program {
            let first = table.firstEventTime
            reportsSegments = now != nil && first != nil
            if let now, let first {
                weeks = SegmentMetrics.weeks(from: first, through: now)
                if weeks.count > Analysis.maxSegmentWeeks { weeks.removeFirst(weeks.count - Analysis.maxSegmentWeeks) }
            }
            let setBytes = (table.personCount + 63) / 64 * 8
            keepWeekly = weeks.count * program.segments.count * setBytes <= weeklyBudget
        }
        self.weeks = weeks
        self.reportsSegments = reportsSegments

        // Longest first (ParallelJobs hands them out in order): the feedback pass, then the weekly series (the first
        // of its jobs compiles the rules: on the other core from the start), then the shorter jobs below.
        var jobs: [@Sendable () -> Part] = []
        let factsWanted = program != nil && reportsSegments
        if withHead || factsWanted {
            jobs.append {
                let scope = AnalysisScope(table: table, options: pinnedOptions, persons: nil)
                let feedback = FeedbackMetrics.analyze(scope)
                let facts = factsWanted ? FeedbackFacts(feedback, personCount: table.personCount) : nil
                let depths = factsWanted ? ProfileDepthMetrics.personDepths(scope, feedback: feedback) : nil
                return .feedback(facts, depths, withHead ? ReportBuilder.feedbackParts(scope, feedback: feedback) : nil)
            }
        }
        // The weekly series and the members as of the reference time (its last end) in one pass over each person's
        // rows (SegmentEvaluator.members(asOf:)), split by persons so that both cores share it.
        let seriesEnds: [Int64] = {
            guard let now, compiled != nil, keepWeekly, !weeks.isEmpty else { return [] }
            var ends = weeks.map { min($0.end - 1, now) }
            if ends.last != now { ends.append(now) }
            return ends
        }()
        let chunks = SegmentEvaluator.personChunks(persons: table.personCount, jobs: Analysis.seriesJobs)
        if let compiled, !seriesEnds.isEmpty {
            for (i, chunk) in chunks.enumerated() {
                jobs.append { .series(i, compiled.evaluator.memberWords(asOf: seriesEnds, persons: chunk)) }
            }
        }
        // The consent states as of now (with the segments' members when there is no series: a whole evaluation, so
        // then early), the loops' and journeys' matchers and figures, the row figures, free text, roughly longest
        // first: the short jobs come last, so that both cores finish together (docs/PERFORMANCE.md, "session 7,
        // analysis").
        var nowJob: (@Sendable () -> Part)?
        if let compiled {
            let evaluateNow = seriesEnds.isEmpty
            nowJob = {
                let consent = ConsentStates(table: table, asOf: now ?? .max)
                return .now(evaluateNow ? compiled.evaluator.evaluate(now: now ?? 0) : nil, consent.categories,
                            consent.categories.indices.map { consent.grantedSet(bit: $0) })
            }
            if evaluateNow, let job = nowJob { jobs.append(job); nowJob = nil }
        }
        if let program, !program.loops.isEmpty {
            jobs.append {
                let matcher = FlowMatcher(table: table, sets: LoopMetrics.matcherSets(program))
                return .loops(matcher, withHead ? LoopMetrics.compute(table: table, program: program, options: pinnedOptions,
                                                                      persons: nil, matcher: matcher) : [])
            }
        }
        if let program, !program.journeys.isEmpty {
            jobs.append {
                let matcher = FlowMatcher(table: table, sets: JourneyMetrics.matcherSets(program))
                return .journeys(matcher, withHead ? JourneyMetrics.compute(table: table, program: program, options: pinnedOptions,
                                                                            persons: nil, matcher: matcher) : [])
            }
        }
        if withHead {
            jobs.append { .rows(ReportBuilder.rowParts(AnalysisScope(table: table, options: pinnedOptions, persons: nil))) }
            let maskPII = !pinnedOptions.privacy.revealPII
            jobs.append { .freeText(FreeTextMetrics.compute(table: table, options: pinnedOptions, persons: nil, maskPII: maskPII)) }
        }
        if let nowJob { jobs.append(nowJob) }
        var members: [PersonSet] = [], categories: [String] = [], granted: [PersonSet] = []
        var seriesWords = [[UInt64]](repeating: [], count: chunks.count)
        var loops: FlowMatcher?, journeys: FlowMatcher?
        var facts: FeedbackFacts?, depths: PersonDepths?
        var feedbackParts: ReportBuilder.FeedbackParts?, rowParts: ReportBuilder.RowParts?
        var freeText = FreeTextSummary()
        var loopReports: [LoopReport] = [], journeyReports: [JourneyReport] = []
        for part in ParallelJobs.run(jobs) {
            switch part {
            case .now(let m, let c, let g): if let m { members = m }; categories = c; granted = g
            case .series(let i, let w): seriesWords[i] = w
            case .loops(let m, let r): loops = m; loopReports = r
            case .journeys(let m, let r): journeys = m; journeyReports = r
            case .feedback(let f, let d, let p): facts = f; depths = d; feedbackParts = p
            case .freeText(let f): freeText = f
            case .rows(let r): rowParts = r
            }
        }
        evaluator = compiled?.evaluator
        var weekly: [[PersonSet]] = []
        if let program, !seriesEnds.isEmpty {
            let series = SegmentEvaluator.assemble(seriesWords, chunks: chunks, ends: seriesEnds.count,
                                                   segments: program.segments.count, universe: table.personCount)
            members = series[series.count - 1]
            weekly = Array(series.prefix(weeks.count))
        }
        self.members = members
        weeklyMembers = program != nil && keepWeekly ? weekly : nil
        consentCategories = categories
        self.granted = granted
        loopMatcher = loops
        journeyMatcher = journeys
        feedbackFacts = facts
        personDepths = depths
        if withHead, let feedbackParts, let rowParts {
            head = ReportHead(feedback: feedbackParts, rows: rowParts, freeText: freeText, loops: loopReports,
                              journeys: journeyReports)
        }
    }

    private enum Part {
        /// The members as of the reference time (nil: they are the series' last end), the consent categories and
        /// the persons granted per category.
        case now([PersonSet]?, [String], [PersonSet])
        /// The series' member words of person chunk `i` (``SegmentEvaluator/memberWords(asOf:persons:)``).
        case series(Int, [UInt64])
        case loops(FlowMatcher, [LoopReport])
        case journeys(FlowMatcher, [JourneyReport])
        case feedback(FeedbackFacts?, PersonDepths?, ReportBuilder.FeedbackParts?)
        case freeText(FreeTextSummary)
        case rows(ReportBuilder.RowParts)
    }

    /// The compiled rules, compiled once by whichever job asks first (the others wait for it), so that compiling
    /// overlaps the jobs that need no evaluator instead of running before all of them.
    private final class EvaluatorOnce: Sendable {
        private let program: SegmentProgram
        private let table: EventTable
        private let compiled = Mutex<SegmentEvaluator?>(nil)

        init(program: SegmentProgram, table: EventTable) { self.program = program; self.table = table }

        var evaluator: SegmentEvaluator {
            compiled.withLock { compiled in
                if let compiled { return compiled }
                let made = SegmentEvaluator(program: program, table: table)
                compiled = made
                return made
            }
        }
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
