/// The one table of what the dashboard's figures mean: every term a panel shows (a column title, a label, a mark such
/// as `···` or `◌`) with the sentence from docs/DEFINITIONS.md, grouped by panel. The `i` key shows the current
/// view's panels from here, with the response window and the reference time; `DefinitionsTests` checks that every
/// panel and every table column has its entry.
enum Definitions {
    /// A term as it appears on screen and what it means.
    struct Entry: Sendable, Equatable {
        var term: String
        var meaning: String
    }

    /// A panel of a view: its title as on screen and its terms.
    struct Panel: Sendable, Equatable {
        var title: String
        var entries: [Entry]

        init(_ title: String, _ entries: [(String, String)]) {
            self.title = title
            self.entries = entries.map { Entry(term: $0.0, meaning: $0.1) }
        }

        /// The meaning of `term` in this panel (exact, case-insensitive).
        func meaning(of term: String) -> String? {
            entries.first(where: { $0.term.lowercased() == term.lowercased() })?.meaning
        }
    }

    /// Where a panel is: a view, or the segment details.
    enum Place: Hashable, CaseIterable, Sendable {
        case overview, segments, segmentDetail, feedback, consent, data, journeys, loops
    }

    /// Marks that mean the same in every panel.
    static let common = Panel("Everywhere", [
        ("<k", "A count withheld by the privacy guard: fewer than k persons (k is the minimum cohort, 5 by default)."),
        ("hidden", "A figure withheld by the privacy guard because it would reveal a withheld count (a share, a rate, or a count that subtracts to one); withheld figures are never drawn in bars or sparklines either."),
        ("—", "No value: a rate without a denominator, or a figure that does not exist (never a withheld one)."),
        ("week", "ISO weeks, Monday 00:00 to Sunday 23:59:59.999 UTC, labelled YYYY-Www."),
        ("◌ / o partial", "A week the data covers only in part: the first week (the data starts after its Monday) and the week of the reference time (still running). Partial weeks are drawn dimmed and never used for a weekly change."),
        ("◐ / n not final", "A week whose prompts can still be answered within the response window: its answered count and response rate may still rise."),
    ])

    /// The panels of each place, in screen order.
    static let panels: [Place: [Panel]] = [
        .overview: [
            Panel("Key figures", [
                ("persons", "Persons in the store (stitched identities: userId, else the userId an anonymousId first appeared with, else the anonymousId), whatever their event times."),
                ("events", "Accepted events: lines that parsed, without duplicate messageIds."),
                ("first → last", "The days (UTC) of the earliest and the latest event."),
                ("NPS", "100 × (promoters − detractors) / scored responses, over all scored responses (matched or not)."),
                ("malformed", "Lines that could not be read as events (Data view lists them with file:line and reason)."),
            ]),
            Panel("Top segments", [
                ("bar", "The segment's size relative to the largest segment."),
                ("size", "Members of the segment: persons whose events satisfy its rule as of the reference time."),
                ("share", "size / all persons."),
                ("2 for all", "Press 2 for the Segments view with every segment."),
            ]),
            Panel("Response rate by channel", [
                ("rate", "answered / prompts: a prompt is answered when the same person sends a response of the same survey after it, before their next prompt of that survey and within the response window."),
                ("of N", "N prompts (Survey Shown events) in the channel (properties.channel, else unknown)."),
                ("NPS", "100 × (promoters − detractors) / scored, with the promoter (9–10), passive (7–8) and detractor (0–6) split as a bar."),
                ("scored", "Responses with an integer score 0…10, matched or not."),
                ("3 for all", "Press 3 for the Feedback view with every channel and survey."),
            ]),
            Panel("Consent coverage", [
                ("coverage", "granted / persons counted: persons whose latest event carrying the category says granted, among persons with an event at or before the reference time. Unknown is never denied."),
                ("4 for all", "Press 4 for the Consent view."),
            ]),
            Panel("Weekly", [
                ("persons", "Persons with at least one event in the week."),
                ("prompts", "Prompts shown in the week."),
                ("response", "Of the week's prompts, the share answered (the answer may fall in a later week)."),
                ("category", "Coverage of the category as of the week's end: granted persons among persons seen by then."),
                ("value", "The figure of the last complete week (named under the column); a partial week is never the figure shown."),
            ]),
        ],
        .segments: [
            Panel("Segments", [
                ("SEGMENT", "The segment's name in the rules file (--segments FILE)."),
                ("SIZE", "Members as of the reference time."),
                ("SHARE", "SIZE / all persons."),
                ("1W CHG", "Change of the size (as of each week's end) from the week before the last complete week to the last complete week; partial weeks are never used. new: the earlier week had no members."),
                ("TREND", "The size at the end of each week, scaled from the smallest to the largest week shown; partial weeks dimmed."),
                ("REACH", "Members whose latest consent state for the category is granted, and their share of SIZE (c cycles the category)."),
            ]),
        ],
        .segmentDetail: [
            Panel("Size by week", [
                ("bars", "Members as of each week's end (as of the reference time for the running week); the axis starts below the minimum so that change shows."),
                ("min / max / now", "The smallest and largest weekly size shown, and the size as of the reference time."),
            ]),
            Panel("Reachable members", [
                ("reachable", "Members whose latest consent state for the category is granted, and their share of the segment."),
            ]),
            Panel("Members' feedback", [
                ("rate of N", "Response rate (answered / prompts) of the members' prompts in the channel, and the prompts."),
                ("NPS", "The members' NPS: 100 × (promoters − detractors) / scored."),
            ]),
            Panel("Overlap", [
                ("persons", "Persons in both segments."),
                ("of this", "Persons in both / this segment's size."),
                ("of other", "Persons in both / the other segment's size."),
            ]),
        ],
        .feedback: [
            Panel("Feedback loops", [
                ("LOOP", "A channel (properties.channel of the prompt, else unknown) and, indented beneath it, its surveys (survey_id); a survey's channel is the most frequent channel of its prompts."),
                ("PROMPTS", "Survey Shown events."),
                ("ANSWERED", "Prompts answered by the same person's response of the same survey, after the prompt, before their next prompt of that survey and within the response window."),
                ("RESP", "ANSWERED / PROMPTS."),
                ("DISMISS", "Survey Dismissed events / PROMPTS (can exceed 100%)."),
                ("MEDIAN", "Median time from a prompt to its first answering response, over answered prompts."),
                ("NPS", "100 × (promoters − detractors) / scored responses of the loop."),
                ("PROM/PASS/DETR", "Scored responses 9–10 / 7–8 / 0–6."),
            ]),
            Panel("Response rate by local hour × weekday", [
                ("cell", "Response rate of the prompts shown in that local hour and weekday (the prompt's context.timezone, else the person's latest, else UTC), shaded relative to the best cell."),
                ("···", "A cell with prompts whose response rate is under a fifth of the best cell's (the lowest shade)."),
                ("blank", "No prompts in that hour, or too few to show (privacy guard)."),
                ("best", "The cell with the highest response rate among cells with at least 5 prompts."),
            ]),
            Panel("NPS", [
                ("score", "100 × (promoters − detractors) / scored, over all scored responses."),
                ("scored", "Responses with an integer score 0…10 (score, survey_response or $survey_response), matched or not."),
                ("promoters / passives / detractors", "Scored 9–10 / 7–8 / 0–6, with their share of scored."),
                ("unmatched", "Responses whose latest prompt of the same survey is missing or older than the response window: they answer nothing but are still scored."),
                ("window", "The response window: a response answers a prompt only within this time (--window)."),
            ]),
        ],
        .consent: [
            Panel("Consent by category", [
                ("GRANT", "Persons whose latest event carrying the category says granted, as a share of persons counted."),
                ("DENY", "Persons whose latest event carrying the category says denied."),
                ("UNKN", "Persons with no event carrying the category (unknown is never denied)."),
                ("TREND", "Coverage as of each week's end; partial weeks dimmed."),
            ]),
            Panel("Without consent", [
                ("events", "Events that carry the analytics category as denied, or inherit denied from the person's earlier events (no retroactivity)."),
                ("consent unknown", "Events that do not carry the analytics category and have no earlier event carrying it."),
            ]),
            Panel("Reachable share by segment", [
                ("SEGMENT", "A segment of the rules file; All persons is the whole store."),
                ("SIZE", "Members as of the reference time."),
                ("category", "Members granted the category / SIZE (for All persons: the category's coverage)."),
            ]),
        ],
        .data: [
            Panel("Files", [
                ("FILE", "A file read (.jsonl, .ndjson, .json, optionally .gz); long paths are cut at the start."),
                ("LINES", "Non-blank lines read from the file."),
                ("EVENTS", "Accepted events (parsed, duplicates removed)."),
                ("BAD", "Malformed lines in the file."),
                ("!", "A warning of the read (a weekly series cut short, prompts with an unknown time zone, …)."),
            ]),
            Panel("Totals", [
                ("lines", "Non-blank lines of all files."),
                ("events", "Accepted events."),
                ("duplicates", "Lines skipped because their messageId was seen before."),
                ("malformed", "Lines that are not events, and their share of lines."),
                ("persons", "Persons in the store."),
                ("event names", "Track event names known to earshot (Segment specs, consent, surveys) + unknown ones."),
                ("loaded in", "Time to read the store and compute the report."),
            ]),
            Panel("Malformed lines", [
                ("FILE:LINE", "Where the line is (1-based); only the first 1000 are kept."),
                ("REASON", "Why the line is not an event."),
            ]),
            Panel("Unknown event names", [
                ("NAME", "A track event name not in earshot's list of known names (docs/DEFINITIONS.md, Event names)."),
                ("COUNT", "Track events with that name."),
            ]),
        ],
        .journeys: [
            Panel("Journey", [
                ("entry", "An event matching the journey's `from` (or `before`) condition; each starts one journey."),
                ("step", "The next distinct page section (or event, `by event`) the person went to after the entry; consecutive repeats count once. A journey ends at a 30-minute gap, the journey's window, or the reference time."),
                ("persons", "Distinct persons whose journeys reached this node."),
                ("share", "Entries reaching this node out of the entries reaching its parent."),
                ("entries", "Journeys (entries) that reached this node."),
                ("ended", "Journeys that ended at this node (no further step)."),
                ("(left)", "Journeys that ended before this step."),
                ("(other)", "The children of a node beyond its top 8, folded together."),
            ]),
            Panel("Top paths", [
                ("path", "The whole sequence of steps of a journey, from the entry to where it ended."),
                ("entries", "Journeys that took exactly this path."),
                ("persons", "Distinct persons who took it."),
            ]),
        ],
        .loops: [
            Panel("Loops", [
                ("loop", "The loop's name in the rules file; `s` sorts the loops by any column, `/` filters them by name."),
                ("trig.", "Triggers: events matching the loop's `when` condition, each a promise to follow up."),
                ("triggers", "Events matching the loop's `when` condition, each a promise to follow up."),
                ("persons", "Distinct persons with at least one trigger."),
                ("in time", "Triggers followed by the same person's expected event within the promised time."),
                ("late", "Triggers followed up after the promised time but before that person's next trigger of the loop."),
                ("open", "Triggers not followed up whose promised time has not yet run out at the reference time."),
                ("missed", "Triggers not followed up whose promised time ran out."),
                ("within", "The promised time."),
                ("oldest open", "The age of the oldest open trigger at the reference time."),
                ("median close", "The median time from a trigger to its follow-up (in time or late)."),
                ("in time rate", "In time ÷ (triggers − open)."),
            ]),
            Panel("Open by age", [
                ("age", "Time since an open trigger, in eighths of the promised time."),
            ]),
            Panel("By week of the trigger", [
                ("week", "The ISO week (UTC) of the trigger; the loop's figures for the triggers of that week."),
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
