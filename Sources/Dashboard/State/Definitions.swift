import Analytics

/// The one table of what the dashboard's figures mean: every term a panel shows (a column title, a label, a mark such
/// as `···` or `◌`), grouped by panel. A term that shows a report figure refers to the figure's declaration
/// (``FigureList/ref(_:what:)``: its struct and JSON key, `{what}` read for the panel) — the sentence is the figure's
/// help, the same as Prometheus's `# HELP` — and may add a short note on how the screen draws it; only terms that are
/// no report figure (names, bars, marks, keys, figures the dashboard computes) are written here (``Entry/screen(_:_:)``).
/// The `i` key shows the current view's panels from here, with the response window and the reference time;
/// `DefinitionsTests` checks that every panel and every table column has its entry and that no figure's meaning is
/// written here by hand.
enum Definitions {
    /// A term as it appears on screen and what it means.
    struct Entry: Sendable, Equatable {
        var term: String
        var meaning: String
        /// The declared figures the meaning comes from; empty for a term of the screen that is no report figure.
        var figures: [FigureRef]

        /// A term that shows the declared figure `ref`: its meaning is the figure's help, then `note` (how the screen
        /// draws it), if any.
        static func figure(_ term: String, _ ref: FigureRef, note: String? = nil) -> Entry {
            figures(term, [ref], note: note)
        }

        /// A term that shows several declared figures (`PROM/PASS/DETR`): their helps in order, then `note`.
        static func figures(_ term: String, _ refs: [FigureRef], note: String? = nil) -> Entry {
            Entry(term: term, meaning: (refs.map(\.help) + (note.map { [$0] } ?? [])).joined(separator: " "), figures: refs)
        }

        /// A term of the screen that is no report figure (a name, a bar, a mark, a key, a figure the dashboard
        /// computes itself), with its meaning.
        static func screen(_ term: String, _ meaning: String) -> Entry {
            Entry(term: term, meaning: meaning, figures: [])
        }
    }

    /// A panel of a view: its title as on screen and its terms.
    struct Panel: Sendable, Equatable {
        var title: String
        var entries: [Entry]

        init(_ title: String, _ entries: [Entry]) {
            self.title = title
            self.entries = entries
        }

        /// The meaning of `term` in this panel (exact, case-insensitive).
        func meaning(of term: String) -> String? { entry(term)?.meaning }

        /// The entry of `term` in this panel (exact, case-insensitive).
        func entry(_ term: String) -> Entry? {
            entries.first(where: { $0.term.lowercased() == term.lowercased() })
        }
    }

    /// Where a panel is: a view, or the segment details.
    enum Place: Hashable, CaseIterable, Sendable {
        case overview, segments, segmentDetail, feedback, consent, data, journeys, loops, answers
    }

    /// Marks that mean the same in every panel.
    static let common = Panel("Everywhere", [
        .screen("<k", "A count withheld by the privacy guard: fewer than k persons (k is the minimum cohort, 5 by default)."),
        .screen("hidden", "A figure withheld by the privacy guard because it would reveal a withheld count (a share, a rate, or a count that subtracts to one); withheld figures are never drawn in bars or sparklines either."),
        .screen("—", "No value: a rate without a denominator, or a figure that does not exist (never a withheld one)."),
        .screen("week", "ISO weeks, Monday 00:00 to Sunday 23:59:59.999 UTC, labelled YYYY-Www."),
        .screen("◌ / o partial", "A week the data covers only in part: the first week (the data starts after its Monday) and the week of the reference time (still running). Partial weeks are drawn dimmed and never used for a weekly change."),
        .screen("◐ / n not final", "A week whose prompts can still be answered within the response window: its answered count and response rate may still rise."),
    ])

    /// The panels of each place, in screen order.
    static let panels: [Place: [Panel]] = [
        .overview: [
            Panel("Key figures", [
                .figure("persons", StoreSummary.ref("persons")),
                .figure("events", StoreSummary.ref("events")),
                .screen("first → last", "The days (UTC) of the earliest and the latest event."),
                .figure("NPS", NPSStats.ref("nps", what: "over all scored responses")),
                .figure("malformed", StoreSummary.ref("malformed")),
            ]),
            Panel("Top segments", [
                .screen("bar", "The segment's size relative to the largest segment."),
                .figure("size", SegmentReport.ref("size")),
                .figure("share", SegmentReport.ref("share")),
                .screen("2 for all", "Press 2 for the Segments view with every segment."),
            ]),
            Panel("Response rate by channel", [
                .figure("rate", LoopStats.ref("response_rate", what: "per channel")),
                .figure("of N", LoopStats.ref("prompts", what: "per channel (properties.channel, else unknown)")),
                .figure("NPS", NPSStats.ref("nps", what: "per channel")),
                .figure("scored", NPSStats.ref("scored", what: "per channel")),
                .screen("3 for all", "Press 3 for the Feedback view with every channel and survey."),
            ]),
            Panel("Consent coverage", [
                .figure("coverage", CategoryCoverage.ref("coverage")),
                .screen("4 for all", "Press 4 for the Consent view."),
            ]),
            Panel("Weekly", [
                .figure("persons", WeekPoint.ref("persons_seen")),
                .figure("prompts", WeekPoint.ref("prompts")),
                .figure("response", WeekPoint.ref("response_rate")),
                .figure("category", WeekPoint.ref("consent_coverage")),
                .screen("value", "The figure of the last complete week (named under the column); a partial week is never the figure shown."),
            ]),
        ],
        .segments: [
            Panel("Segments", [
                .screen("SEGMENT", "The segment's name in the rules file (--segments FILE)."),
                .figure("SIZE", SegmentReport.ref("size")),
                .figure("SHARE", SegmentReport.ref("share")),
                .screen("1W CHG", "Change of the size (as of each week's end) from the week before the last complete week to the last complete week; partial weeks are never used. new: the earlier week had no members."),
                .screen("TREND", "The size at the end of each week, scaled from the smallest to the largest week shown; partial weeks dimmed."),
                .figure("REACH", SegmentReport.ref("reachable"), note: "Shown with their share of SIZE; c cycles the category."),
            ]),
        ],
        .segmentDetail: [
            Panel("Size by week", [
                .figure("bars", SegmentWeek.ref("size"), note: "The axis starts below the minimum so that change shows."),
                .screen("min / max / now", "The smallest and largest weekly size shown, and the size as of the reference time."),
            ]),
            Panel("Reachable members", [
                .figure("reachable", SegmentReport.ref("reachable"), note: "Shown with their share of the segment."),
            ]),
            Panel("Members' feedback", [
                .figure("rate of N", LoopStats.ref("response_rate", what: "of the members' prompts in the channel"), note: "N: the prompts."),
                .figure("NPS", NPSStats.ref("nps", what: "of the segment's members")),
            ]),
            Panel("Overlap", [
                .figure("persons", SegmentOverlap.ref("size")),
                .screen("of this", "Persons in both / this segment's size."),
                .screen("of other", "Persons in both / the other segment's size."),
            ]),
        ],
        .feedback: [
            Panel("Feedback loops", [
                .screen("LOOP", "A channel (properties.channel of the prompt, else unknown) and, indented beneath it, its surveys (survey_id); a survey's channel is the most frequent channel of its prompts."),
                .figure("PROMPTS", LoopStats.ref("prompts", what: "of the row")),
                .figure("ANSWERED", LoopStats.ref("answered", what: "of the row")),
                .figure("RESP", LoopStats.ref("response_rate", what: "of the row")),
                .figure("DISMISS", LoopStats.ref("dismissal_rate", what: "of the row")),
                .figure("MEDIAN", LoopStats.ref("median_seconds_to_answer", what: "of the row")),
                .figure("NPS", NPSStats.ref("nps", what: "of the row")),
                .figures("PROM/PASS/DETR", [NPSStats.ref("promoters"), NPSStats.ref("passives"), NPSStats.ref("detractors")]),
            ]),
            Panel("Response rate by local hour × weekday", [
                .figure("cell", HourWeekdayCell.ref("response_rate", what: "of the cell"), note: "Shaded relative to the best cell."),
                .screen("···", "A cell with prompts whose response rate is under a fifth of the best cell's (the lowest shade)."),
                .screen("blank", "No prompts in that hour, or too few to show (privacy guard)."),
                .screen("best", "The cell with the highest response rate among cells with at least 5 prompts."),
            ]),
            Panel("NPS", [
                .figure("score", NPSStats.ref("nps", what: "over all scored responses")),
                .figure("scored", NPSStats.ref("scored", what: "over all responses")),
                .figures("promoters / passives / detractors", [NPSStats.ref("promoters"), NPSStats.ref("passives"), NPSStats.ref("detractors")],
                         note: "Shown with their share of scored."),
                .figure("unmatched", FeedbackSummary.ref("unmatched_responses")),
                .figure("window", FeedbackSummary.ref("window_seconds")),
            ]),
            Panel("Asking too much? Rate by prompt (v)", [
                .screen("n-th in 30 days", "A prompt's ordinal: 1 + the same person's prompts (any survey, any channel) in the 30 days before it; 5th+ is the 5th or later."),
                .screen("since last prompt", "Time since the same person's previous prompt of any survey: first (none), <1d, 1-3d, 3-7d, 7-30d, >30d; lower bounds included."),
                .figure("rate", PromptGroup.ref("response_rate", what: "of the row"), note: "'of N' gives the prompts."),
                .screen("1st→5th+", "Per channel: the response rate of first prompts against 5th-or-later prompts."),
            ]),
            Panel("Preferred channel · profile depth (v)", [
                .figure("on preferred", PromptGroup.ref("prompts", what: "sent on the channel the person's preferred_channel trait names (latest value as of the reference time, mapped by earshot.yaml's preferred_channel.values and channels, ignoring case)")),
                .figure("on other", PromptGroup.ref("prompts", what: "to persons with a preference, on another channel")),
                .figure("no preference", PromptGroup.ref("prompts", what: "to persons whose trait is missing, empty or not text")),
                .screen("best", "Per channel: the local hour × weekday cell with the highest response rate among its cells of at least 20 prompts."),
                .figure("told us", DepthBucket.ref("share", what: "the prompted persons (of all persons when nobody was prompted)")),
                .screen("≥1 weekly", "Share of all persons who had told at least one thing by each week's end."),
            ]),
        ],
        .consent: [
            Panel("Consent by category", [
                .figure("GRANT", CategoryCoverage.ref("granted"), note: "Shown with the coverage."),
                .figure("DENY", CategoryCoverage.ref("denied")),
                .figure("UNKN", CategoryCoverage.ref("unknown")),
                .figure("TREND", WeekPoint.ref("consent_coverage"), note: "Partial weeks dimmed."),
            ]),
            Panel("Without consent", [
                .figure("events", ConsentSummary.ref("events_without_consent")),
                .figure("consent unknown", ConsentSummary.ref("events_consent_unknown")),
            ]),
            Panel("Reachable share by segment", [
                .screen("SEGMENT", "A segment of the rules file; All persons is the whole store."),
                .figure("SIZE", SegmentReport.ref("size")),
                .screen("category", "Members granted the category / SIZE (for All persons: the category's coverage)."),
            ]),
        ],
        .data: [
            Panel("Files", [
                .screen("FILE", "A file read (.jsonl, .ndjson, .json, optionally .gz); long paths are cut at the start."),
                .figure("LINES", FileSummary.ref("lines")),
                .figure("EVENTS", FileSummary.ref("events")),
                .figure("BAD", FileSummary.ref("malformed")),
                .screen("!", "A warning of the read (a weekly series cut short, prompts with an unknown time zone, …)."),
            ]),
            Panel("Totals", [
                .figure("lines", StoreSummary.ref("lines")),
                .figure("events", StoreSummary.ref("events")),
                .figure("duplicates", StoreSummary.ref("duplicates")),
                .figure("malformed", StoreSummary.ref("malformed"), note: "Shown with their share of lines."),
                .figure("persons", StoreSummary.ref("persons")),
                .screen("event names", "Track event names known to earshot (Segment specs, consent, surveys) + unknown ones."),
                .screen("loaded in", "Time to read the store and compute the report."),
            ]),
            Panel("Malformed lines", [
                .screen("FILE:LINE", "Where the line is (1-based); only the first 1000 are kept."),
                .screen("REASON", "Why the line is not an event."),
            ]),
            Panel("Unknown event names", [
                .screen("NAME", "A track event name not in earshot's list of known names (docs/DEFINITIONS.md, Event names)."),
                .figure("COUNT", EventNameCount.ref("count")),
            ]),
        ],
        .journeys: [
            Panel("Journey", [
                .screen("entry", "An event matching the journey's `from` (or `before`) condition; each starts one journey."),
                .screen("step", "The next distinct page section (or event, `by event`) the person went to after the entry; consecutive repeats count once. A journey ends at a 30-minute gap, the journey's window, or the reference time."),
                .figure("persons", JourneyNode.ref("persons")),
                .figure("share", JourneyNode.ref("share")),
                .figure("entries", JourneyNode.ref("entries")),
                .figure("ended", JourneyNode.ref("ended")),
                .screen("(left)", "Journeys that ended before this step."),
                .screen("(other)", "The children of a node beyond its top 8, folded together."),
            ]),
            Panel("Top paths", [
                .screen("path", "The whole sequence of steps of a journey, from the entry to where it ended."),
                .figure("entries", JourneyPath.ref("entries")),
                .figure("persons", JourneyPath.ref("persons")),
            ]),
        ],
        .answers: [
            Panel("Answers", [
                .screen("survey", "A survey with at least one answered question: its catalog name (earshot.yaml) and id."),
                .screen("questions", "Questions of the survey with at least one answer."),
                .screen("answered by", "Distinct persons who answered the survey's most answered question."),
                .figure("prompts", LoopStats.ref("prompts", what: "of the survey (the Feedback view's survey row)")),
                .figure("resp. rate", LoopStats.ref("response_rate", what: "of the survey (the Feedback view's survey row)")),
                .screen("question", "The catalog's question text (else its id), numbered by its place in the catalog."),
                .screen("type", "The catalog's type: choice (single choice), multi (multiple choice), rating (1–scale), NPS (0–10), open (free text); ? when undeclared."),
                .figure("persons", QuestionStats.ref("persons")),
                .screen("top answer", "Choice: the option chosen by most persons and its share; rating: the mean; NPS: the score; open: the theme used by most persons."),
            ]),
            Panel("Question funnel", [
                .figure("asked", FunnelStep.ref("asked")),
                .figure("answered", FunnelStep.ref("answered")),
                .figure("rate", FunnelStep.ref("answer_rate")),
                .screen("bar", "answered relative to the persons asked the first question: where customers stop telling."),
            ]),
            Panel("Answers of a question", [
                .screen("option", "A choice option (the catalog's spelling; answers matching it in another case count for it); after the top 12 by persons the rest is folded into (other)."),
                .figure("share", OptionShare.ref("share")),
                .figure("rating", HistogramBin.ref("count"), note: "The bar is relative to the most given value."),
                .figure("score", HistogramBin.ref("count"), note: "For NPS: promoters 9–10, passives 7–8, detractors 0–6."),
                .screen("theme", "A frequent word or two-word phrase of the open answers after stop words are removed (English, German, French, Spanish; CJK text by character); phrases are highlighted."),
                .figure("mean", QuestionStats.ref("mean")),
                .figure("median length", QuestionStats.ref("median_length")),
                .screen("“example”", "An answer containing the theme, masked like all store text; shown only for themes of at least k persons."),
            ]),
            Panel("By week", [
                .figure("answers", QuestionWeek.ref("answers")),
                .figure("top", QuestionWeek.ref("top_share")),
            ]),
        ],
        .loops: [
            Panel("Loops", [
                .screen("loop", "The loop's name in the rules file; `s` sorts the loops by any column, `/` filters them by name."),
                .figure("trig.", LoopReport.ref("triggers")),
                .figure("triggers", LoopReport.ref("triggers")),
                .figure("persons", LoopReport.ref("persons")),
                .figure("in time", LoopReport.ref("in_time")),
                .figure("late", LoopReport.ref("late")),
                .figure("open", LoopReport.ref("open")),
                .figure("missed", LoopReport.ref("missed")),
                .figure("within", LoopReport.ref("within_seconds")),
                .figure("oldest open", LoopReport.ref("oldest_open_seconds")),
                .figure("median close", LoopReport.ref("median_seconds_to_close")),
                .figure("in time rate", LoopReport.ref("in_time_rate")),
            ]),
            Panel("Open by age", [
                .screen("age", "Time since an open trigger, in eighths of the promised time."),
            ]),
            Panel("By week of the trigger", [
                .screen("week", "The ISO week (UTC) of the trigger; the loop's figures for the triggers of that week."),
            ]),
        ],
    ]

    /// The place the state shows.
    static func place(_ s: AppState) -> Place {
        switch s.tab {
        case .overview: return .overview
        case .segments: return s.detail == nil ? .segments : .segmentDetail
        case .feedback: return .feedback
        case .consent: return .consent
        case .data: return .data
        case .journeys: return .journeys
        case .loops: return .loops
        case .answers: return .answers
        }
    }

    /// One line of the definitions overlay.
    struct Line: Equatable {
        enum Kind: Equatable { case section, term, text, blank }
        var kind: Kind
        var term = ""
        var text = ""
    }

    /// The overlay's lines for the state: the reference time and window, the current view's panels, the common marks.
    /// Meanings are wrapped to `width` columns after a term column.
    static func lines(_ s: AppState, width: Int) -> [Line] {
        var out: [Line] = []
        let fmt = s.format
        func text(_ t: String) {
            for l in wrap(t, width: max(10, width), maxLines: 6, ellipsis: s.glyphs.ellipsis) { out.append(Line(kind: .text, text: l)) }
        }
        let now = s.report?.now.map { s.sanitizer.clean($0) } ?? fmt.missing
        text("Reference time: \(now) (figures count events at or before it; default: the newest event).")
        if let m = s.model {
            text("Response window: \(fmt.duration(Double(m.windowSeconds))). Weeks: ISO weeks in UTC.")
        }
        if let f = s.segmentFilter {
            text("Every figure counts only the members of " + s.sanitizer.clean(f) + ".")
        }
        let termW = 18
        for p in (panels[place(s)] ?? []) + [common] {
            out.append(Line(kind: .blank))
            out.append(Line(kind: .section, text: p.title))
            for var e in p.entries {
                if e.term == "<k", let k = s.report?.privacy.minCohort, k > 0 { e.term = "<\(k)" }
                let wrapped = wrap(e.meaning, width: max(10, width - termW - 1), maxLines: 12, ellipsis: s.glyphs.ellipsis)
                for (i, l) in wrapped.enumerated() {
                    out.append(Line(kind: .term, term: i == 0 ? e.term : "", text: l))
                }
            }
        }
        return out
    }
}
