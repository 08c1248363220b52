import EventStore

/// Assembles the whole ``Report`` of a table: store, consent, feedback, weekly series and event names.
///
/// Pure: no I/O and no clock (the reference time comes from ``AnalysisOptions/now``).
/// `segments` and `overlap` are left empty; they come from the segment language.
public enum ReportBuilder {
    /// The store warning when the weekly series is cut to its latest ``WeeklyMetrics/maxWeeks`` weeks (also used by
    /// SQLEngine's EngineReport, so that both engines say the same).
    public static var weeklyTruncatedWarning: String {
        "the weekly series spans more than \(WeeklyMetrics.maxWeeks) weeks: only the latest \(WeeklyMetrics.maxWeeks) are shown"
    }

    /// The store warning for `count` survey prompts whose time zone is unknown (also used by SQLEngine's EngineReport).
    public static func unknownZoneWarning(count: Int) -> String {
        "\(count) survey prompts name an unknown time zone: their local hour uses UTC"
    }

    /// The store warning when events carry consent categories but not the analytics category `category`;
    /// `carried`: the categories' display names in name order. Also used by the figures an engine computes
    /// (SQLEngine's EngineReport), so that both say the same.
    public static func analyticsCategoryWarning(category: String, carried: [String]) -> String {
        let shown = carried.prefix(6).joined(separator: ", ")
        let more = carried.count > 6 ? ", …" : ""
        return "no event carries the analytics consent category \"\(category)\" (the events carry \(shown)\(more)): "
            + "every event counts as consent unknown; name the analytics category with --analytics-category"
    }

    /// The report of `table`, restricted to `persons` when given (every figure then counts only those persons).
    public static func report(table: EventTable, options: AnalysisOptions, persons: PersonSet? = nil) -> Report {
        let scope = AnalysisScope(table: table, options: options, persons: persons)
        return assemble(scope, rows: rowParts(scope), feedback: feedbackParts(scope))
    }

    /// The figures that need no feedback analysis: store, consent, event names.
    struct RowParts: Sendable {
        var store: StoreSummary
        var consent: ConsentSummary
        var eventNames: EventNameList
    }

    /// The figures built on the feedback analysis: feedback (with fatigue and preferred channel), the weekly
    /// series, profile depth.
    struct FeedbackParts: Sendable {
        var summary: FeedbackSummary
        var weekly: [WeekPoint]
        var weeklyTruncated: Bool
        var depth: ProfileDepthSummary
    }

    static func rowParts(_ scope: AnalysisScope) -> RowParts {
        RowParts(store: StoreMetrics.compute(scope), consent: ConsentMetrics.compute(scope),
                 eventNames: EventNameMetrics.compute(scope))
    }

    static func feedbackParts(_ scope: AnalysisScope) -> FeedbackParts {
        feedbackParts(scope, feedback: FeedbackMetrics.analyze(scope))
    }

    /// The same from a feedback analysis of `scope` already made (``AnalysisIndex`` shares it with every person's records).
    static func feedbackParts(_ scope: AnalysisScope, feedback: FeedbackAnalysis) -> FeedbackParts {
        let weekly = WeeklyMetrics.compute(scope, feedback: feedback)
        var summary = feedback.summary
        summary.fatigue = FatigueMetrics.compute(feedback)
        summary.preferredChannel = PreferredChannelMetrics.compute(scope, feedback: feedback)
        return FeedbackParts(summary: summary, weekly: weekly.points, weeklyTruncated: weekly.truncated,
                             depth: ProfileDepthMetrics.compute(scope, feedback: feedback))
    }

    /// The report from both halves (computed one after the other, or concurrently by ``Analysis``): the same
    /// figures and warnings in the same order either way.
    static func assemble(_ scope: AnalysisScope, rows: RowParts, feedback: FeedbackParts) -> Report {
        let table = scope.table, options = scope.options
        var store = rows.store
        if feedback.weeklyTruncated {
            store.warnings.append(weeklyTruncatedWarning)
        }
        if feedback.summary.promptsUnknownTimezone > 0 {
            store.warnings.append(unknownZoneWarning(count: feedback.summary.promptsUnknownTimezone))
        }
        if !table.consentCategories.isEmpty && table.consentBit(options.analyticsCategory) == nil {
            store.warnings.append(analyticsCategoryWarning(category: options.analyticsCategory,
                                                           carried: table.consentCategories.sorted().map { table.consentDisplayName($0) }))
        }
        var report = Report(now: scope.now.map { CivilTime.isoTimestamp(ms: $0) },
                            store: store, consent: rows.consent, feedback: feedback.summary, weekly: feedback.weekly,
                            eventNames: rows.eventNames)
        report.persons.profileDepth = feedback.depth
        return report
    }
}
