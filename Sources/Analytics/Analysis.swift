import EventStore

/// The whole analysis of a store: the metrics of ``ReportBuilder`` plus the segments of a rules file.
///
/// This is the one entry point the CLI and the dashboard use, so `report`, `check` and every view
/// show the same figures.
public enum Analysis {
    /// How many of the latest ISO weeks get a weekly segment size (each week is one evaluation of every rule).
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
    public static func rawReport(table: EventTable, program: SegmentProgram?, options: AnalysisOptions,
                                 persons: PersonSet? = nil) -> Report {
        var report = ReportBuilder.report(table: table, options: options, persons: persons)
        report.feedback.freeText = FreeTextMetrics.compute(table: table, options: options, persons: persons,
                                                           maskPII: !options.privacy.revealPII)
        guard let program, let now = options.referenceTime(table), let first = table.firstEventTime else { return report }
        let consent = ConsentStates(table: table, asOf: now)
        var weeks = SegmentMetrics.weeks(from: first, through: now)
        if weeks.count > maxSegmentWeeks { weeks.removeFirst(weeks.count - maxSegmentWeeks) }
        let metrics = SegmentMetrics(program: program, table: table, now: now, consent: consent, weeks: weeks,
                                     persons: persons) { members in
            let loops = FeedbackMetrics.compute(table: table, options: options, persons: members)
            return (loops.channels, loops.nps)
        }
        report.segments = metrics.segments
        report.overlap = metrics.overlap
        return report
    }

    /// The members of the named segment as of the reference time, or nil when the program has no such segment.
    /// `segment` may be the name as written in the rules or as shown in a published report.
    public static func members(of segment: String, table: EventTable, program: SegmentProgram,
                               options: AnalysisOptions) -> PersonSet? {
        // A published report may carry the masked name (PIIMasker.maskIdentifier): accept either.
        guard let index = program.segments.firstIndex(where: { $0.name == segment })
                ?? program.segments.firstIndex(where: { PIIMasker.maskIdentifier($0.name) == segment }) else { return nil }
        let now = options.referenceTime(table) ?? 0
        return SegmentEvaluator(program: program, table: table).evaluate(now: now)[index]
    }
}
