import EventStore

/// Renders a ``Report`` in the Prometheus text exposition format 0.0.4, for node_exporter's
/// textfile collector or any scraper: `earshot report --format prometheus > /var/lib/node_exporter/earshot.prom`.
///
/// Every metric is a gauge named `earshot_…` with `# HELP` and `# TYPE` lines; label values are
/// escaped (`\\`, `\"`, `\n`); a figure that does not exist (a rate without prompts) has no sample
/// (never `NaN`), nor does a figure the privacy guard withheld (docs/PRIVACY.md: never a fake 0);
/// a family without samples is left out. Families and samples come in a fixed
/// order, so equal reports give identical bytes. The metrics are listed in docs/ONCALL.md.
public enum PrometheusRenderer {
    /// The exposition format's content type, for an HTTP server that serves the output.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    public static func render(_ r: Report) -> String {
        var out = Exposition()
        let s = r.store
        out.family("earshot_files", "Event files read.", [([], Double(s.files))])
        out.family("earshot_lines", "Non-blank lines read.", [([], Double(s.lines))])
        out.family("earshot_events", "Accepted events (after dropping duplicates).", [([], Double(s.events))])
        out.family("earshot_duplicates", "Lines skipped because their messageId was seen before.", [([], Double(s.duplicates))])
        out.family("earshot_malformed_lines", "Lines that could not be read as events.", [([], Double(s.malformed))])
        out.family("earshot_malformed_share", "Malformed lines divided by lines read (0 to 1).", [([], s.malformedShare)])
        out.family("earshot_persons", "Persons (stitched identities) in the store.", [([], shown(s.persons, s.$persons))])
        out.family("earshot_last_event_timestamp_seconds", "Time of the newest event, seconds since 1970.",
                   [([], Self.epochSeconds(s.lastEvent))])
        out.family("earshot_report_timestamp_seconds", "The report's reference time (--now or the newest event), seconds since 1970.",
                   [([], Self.epochSeconds(r.now))])
        out.family("earshot_last_event_age_seconds", "Seconds from the newest event to the reference time.",
                   [([], s.lastEventAgeSeconds)])
        out.family("earshot_warnings", "Notes about the read and the analysis (see earshot report).", [([], Double(s.warnings.count))])

        let c = r.consent
        out.family("earshot_consent_audited_persons", "Persons with an event at or before the reference time (the coverage denominator).",
                   [([], shown(c.persons, c.$persons))])
        out.family("earshot_consent_persons", "Persons by their latest consent state per category.", c.categories.flatMap { cat in
            [([("category", cat.name), ("state", "granted")], shown(cat.granted, cat.$granted)),
             ([("category", cat.name), ("state", "denied")], shown(cat.denied, cat.$denied)),
             ([("category", cat.name), ("state", "unknown")], shown(cat.unknown, cat.$unknown))]
        })
        out.family("earshot_consent_coverage", "Persons who granted the category divided by all persons (0 to 1).",
                   c.categories.map { ([("category", $0.name)], shown($0.coverage, $0.$coverage)) })
        out.family("earshot_events_without_consent", "Events collected while the analytics category was denied.",
                   [([("category", c.analyticsCategory)], Double(c.eventsWithoutConsent))])
        out.family("earshot_events_consent_unknown", "Events without any analytics consent information.",
                   [([("category", c.analyticsCategory)], Double(c.eventsConsentUnknown))])

        let f = r.feedback
        let channels = f.channels.map { ([("channel", $0.channel)], $0) }
        out.loops("earshot_feedback", what: "per channel", channels)
        let surveys = f.surveys.map { ([("survey", $0.surveyID ?? ""), ("channel", $0.channel)], $0) }
        out.loops("earshot_survey", what: "per survey (channel: its most frequent prompt channel)", surveys)
        out.family("earshot_feedback_responses", "Response events, matched to a prompt or not.", [([], Double(f.responses))])
        out.family("earshot_feedback_unmatched_responses", "Response events that answered no prompt.", [([], Double(f.unmatchedResponses))])
        out.family("earshot_feedback_window_seconds", "The response window.", [([], Double(f.windowSeconds))])
        out.family("earshot_nps", "Net Promoter Score over all scored responses (-100 to 100).", [([], shown(f.nps.nps, f.nps.$nps))])
        out.family("earshot_nps_scored", "Scored survey responses.", [([], shown(f.nps.scored, f.nps.$scored))])
        out.family("earshot_nps_by_channel", "Net Promoter Score per channel (-100 to 100).",
                   f.npsByChannel.keys.sorted().map { ([("channel", $0)], shown(f.npsByChannel[$0]!.nps, f.npsByChannel[$0]!.$nps)) })
        out.family("earshot_nps_by_survey", "Net Promoter Score per survey (-100 to 100).",
                   f.npsBySurvey.keys.sorted().map { ([("survey", $0)], shown(f.npsBySurvey[$0]!.nps, f.npsBySurvey[$0]!.$nps)) })

        out.family("earshot_segment_size", "Persons in the segment at the reference time.",
                   r.segments.map { ([("segment", $0.name)], shown($0.size, $0.$size)) })
        out.family("earshot_segment_share", "Segment size divided by all persons (0 to 1).",
                   r.segments.map { ([("segment", $0.name)], shown($0.share, $0.$share)) })
        out.family("earshot_segment_reachable", "Segment members who granted the consent category.", r.segments.flatMap { seg in
            seg.reachable.keys.sorted().map { ([("segment", seg.name), ("category", $0)], shown(seg.reachable[$0]!, seg.$reachable[$0] ?? .shown)) }
        })
        out.family("earshot_segment_nps", "Net Promoter Score of the segment's members (-100 to 100).",
                   r.segments.map { ([("segment", $0.name)], shown($0.nps.nps, $0.nps.$nps)) })
        out.family("earshot_segment_overlap", "Persons in both segments (each pair once, a before b in rules-file order).",
                   r.overlap.map { ([("a", $0.a), ("b", $0.b)], shown($0.size, $0.$size)) })
        out.flows(r)
        out.fatigue(r)
        out.family("earshot_privacy_min_cohort", "Counts of fewer persons than this are withheld (0: none are).",
                   [([], Double(r.privacy.minCohort))])
        out.family("earshot_privacy_suppressed_values", "Figures withheld by the privacy guard (their samples are left out).",
                   [([], Double(r.privacy.suppressedValues))])
        return out.text
    }

    /// Seconds since 1970 of an ISO-8601 time, nil when absent or unreadable.
    static func epochSeconds(_ iso: String?) -> Double? {
        guard let iso, let ms = try? ISO8601Time.milliseconds(iso) else { return nil }
        return Double(ms) / 1000
    }

    /// Whether `name` is a valid metric name: `[a-zA-Z_:][a-zA-Z0-9_:]*`.
    public static func isValidMetricName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first else { return false }
        func ok(_ u: Unicode.Scalar, digits: Bool) -> Bool {
            (u >= "a" && u <= "z") || (u >= "A" && u <= "Z") || u == "_" || u == ":" || (digits && u >= "0" && u <= "9")
        }
        return ok(first, digits: false) && name.unicodeScalars.allSatisfy { ok($0, digits: true) }
    }

    /// A label value between double quotes: `\` → `\\`, `"` → `\"`, line feed → `\n` (the format's
    /// escapes); every other character on ``UnsafeText``'s list (ESC, BEL, CR, C1, bidi, zero-width, …)
    /// as the text `\u{1b}` (its backslash escaped too: `\\u{1b}`), so that distinct values stay distinct.
    public static func escapeLabelValue(_ s: String) -> String {
        var out = ""
        for ch in s.unicodeScalars {
            switch ch {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default:
                if UnsafeText.isUnsafe(ch) { out += "\\\\u{" + String(ch.value, radix: 16) + "}" } else { out.unicodeScalars.append(ch) }
            }
        }
        return out
    }

    /// HELP text: `\` → `\\`, line feed → `\n`, other characters on ``UnsafeText``'s list as `\\u{…}`.
    static func escapeHelp(_ s: String) -> String {
        var out = ""
        for ch in s.unicodeScalars {
            switch ch {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default:
                if UnsafeText.isUnsafe(ch) { out += "\\\\u{" + String(ch.value, radix: 16) + "}" } else { out.unicodeScalars.append(ch) }
            }
        }
        return out
    }

    /// A sample value: integral values without a fraction, others in shortest round-trip form.
    static func value(_ x: Double) -> String {
        if x.isNaN { return "NaN" }
        if x.isInfinite { return x < 0 ? "-Inf" : "+Inf" }
        if x.rounded(.towardZero) == x, abs(x) < 9.0e15 { return String(Int64(x)) }
        return "\(x)"
    }
}

/// A figure's value, or nil when the privacy guard withheld it (the sample is then left out, never written as 0).
private func shown(_ x: Int, _ s: Suppression) -> Double? { s.isSuppressed ? nil : Double(x) }
private func shown(_ x: Double?, _ s: Suppression) -> Double? { s.isSuppressed ? nil : x }

/// Accumulates metric families.
private struct Exposition {
    var text = ""

    mutating func family(_ name: String, _ help: String, _ samples: [([(String, String)], Double?)]) {
        let present = samples.compactMap { s in s.1.map { (s.0, $0) } }
        guard !present.isEmpty else { return }
        text += "# HELP \(name) \(PrometheusRenderer.escapeHelp(help))\n"
        text += "# TYPE \(name) gauge\n"
        for (labels, v) in present {
            text += name
            if !labels.isEmpty {
                text += "{" + labels.map { "\($0.0)=\"\(PrometheusRenderer.escapeLabelValue($0.1))\"" }.joined(separator: ",") + "}"
            }
            text += " " + PrometheusRenderer.value(v) + "\n"
        }
    }

    /// Loops and journeys (docs/ONCALL.md): one sample per loop or journey, labelled with its name.
    mutating func flows(_ r: Report) {
        func each(_ f: (LoopReport) -> Double?) -> [([(String, String)], Double?)] { r.loops.map { ([("loop", $0.name)], f($0)) } }
        family("earshot_loop_triggers", "Triggers of the loop (its 'when' events) at or before the reference time.",
               each { shown($0.outcomes.triggers, $0.outcomes.$triggers) })
        family("earshot_loop_persons", "Persons with at least one trigger of the loop.", each { shown($0.persons, $0.$persons) })
        family("earshot_loop_outcome", "Triggers of the loop by outcome: in_time, late, open, missed.", r.loops.flatMap { l in
            let o = l.outcomes
            return [("in_time", shown(o.inTime, o.$inTime)), ("late", shown(o.late, o.$late)),
                    ("open", shown(o.open, o.$open)), ("missed", shown(o.missed, o.$missed))]
                .map { ([("loop", l.name), ("outcome", $0.0)], $0.1) }
        })
        family("earshot_loop_in_time_rate", "Triggers followed up in time divided by triggers no longer open (0 to 1).",
               each { shown($0.outcomes.inTimeRate, $0.outcomes.$inTimeRate) })
        family("earshot_loop_median_seconds_to_close", "Median seconds from trigger to follow-up (closed triggers).",
               each { shown($0.medianSecondsToClose, $0.$medianSecondsToClose) })
        family("earshot_loop_p90_seconds_to_close", "90th percentile of seconds from trigger to follow-up (closed triggers).",
               each { shown($0.p90SecondsToClose, $0.$p90SecondsToClose) })
        family("earshot_loop_oldest_open_seconds", "Age of the oldest open trigger in seconds (no sample when none is open).",
               each { shown($0.oldestOpenSeconds, $0.$oldestOpenSeconds) })
        family("earshot_loop_within_seconds", "The loop's promised time to follow up.", each { $0.withinSeconds })
        family("earshot_journey_entries", "Entry events of the journey at or before the reference time.",
               r.journeys.map { ([("journey", $0.name)], shown($0.entries, $0.$entries)) })
        family("earshot_journey_persons", "Persons with at least one entry of the journey.",
               r.journeys.map { ([("journey", $0.name)], shown($0.persons, $0.$persons)) })
    }

    mutating func loops(_ prefix: String, what: String, _ rows: [([(String, String)], LoopStats)]) {
        family("\(prefix)_prompts", "Survey prompts \(what).", rows.map { ($0.0, shown($0.1.prompts, $0.1.$prompts)) })
        family("\(prefix)_answered", "Prompts answered within the response window, \(what).",
               rows.map { ($0.0, shown($0.1.answered, $0.1.$answered)) })
        family("\(prefix)_dismissed", "Prompts dismissed, \(what).", rows.map { ($0.0, shown($0.1.dismissed, $0.1.$dismissed)) })
        family("\(prefix)_response_rate", "Answered prompts divided by prompts (0 to 1), \(what).",
               rows.map { ($0.0, shown($0.1.responseRate, $0.1.$responseRate)) })
        family("\(prefix)_person_response_rate", "Persons who answered divided by persons prompted (0 to 1), \(what).",
               rows.map { ($0.0, shown($0.1.personResponseRate, $0.1.$personResponseRate)) })
        family("\(prefix)_dismissal_rate", "Dismissed prompts divided by prompts (0 to 1), \(what).",
               rows.map { ($0.0, shown($0.1.dismissalRate, $0.1.$dismissalRate)) })
        family("\(prefix)_median_seconds_to_answer", "Median seconds from prompt to answer, \(what).",
               rows.map { ($0.0, shown($0.1.medianSecondsToAnswer, $0.1.$medianSecondsToAnswer)) })
    }
}

// Prompt fatigue, preferred channel and profile depth (docs/ONCALL.md, docs/DEFINITIONS.md).
extension Exposition {
    typealias Sample = ([(String, String)], Double?)

    mutating func promptGroups(_ prefix: String, what: String, _ rows: [([(String, String)], PromptGroup)]) {
        family("\(prefix)_prompts", "Survey prompts \(what).", rows.map { ($0.0, shown($0.1.prompts, $0.1.$prompts)) })
        family("\(prefix)_answered", "Prompts answered within the response window, \(what).",
               rows.map { ($0.0, shown($0.1.answered, $0.1.$answered)) })
        family("\(prefix)_response_rate", "Answered prompts divided by prompts (0 to 1), \(what).",
               rows.map { ($0.0, shown($0.1.responseRate, $0.1.$responseRate)) })
        family("\(prefix)_persons", "Persons with a prompt, \(what).", rows.map { ($0.0, shown($0.1.persons, $0.1.$persons)) })
    }

    mutating func fatigue(_ r: Report) {
        let f = r.feedback.fatigue
        let tables = [("all", f.byOrdinal, f.byGap)] + f.byChannel.keys.sorted().map { ($0, f.byChannel[$0]!.byOrdinal, f.byChannel[$0]!.byGap) }
        promptGroups("earshot_fatigue_ordinal", what: "by the prompt's ordinal among the person's prompts of the trailing 30 days (5+: 5 or more), per channel (all: every channel)",
                     tables.flatMap { t in t.1.map { ([("channel", t.0), ("ordinal", $0.label)], $0.counts) } })
        promptGroups("earshot_fatigue_gap", what: "by the time since the person's previous prompt, per channel (all: every channel)",
                     tables.flatMap { t in t.2.map { ([("channel", t.0), ("gap", $0.gap)], $0.counts) } })

        let p = r.feedback.preferredChannel
        let groups: [(String, PromptGroup)] = [("on_preferred", p.onPreferred), ("on_other", p.onOther), ("no_preference", p.noPreference)]
        let rows = groups.map { ([("channel", "all"), ("group", $0.0)], $0.1) } + p.channels.flatMap { c in
            [("on_preferred", c.onPreferred), ("on_other", c.onOther), ("no_preference", c.noPreference)]
                .map { ([("channel", c.channel), ("group", $0.0)], $0.1) }
        }
        promptGroups("earshot_preferred_channel", what: "on the person's preferred channel, on another, or to persons without a preference, per channel", rows)
        family("earshot_preferred_channel_persons_with_preference", "Persons whose preferred-channel trait names a channel.",
               [([], shown(p.personsWithPreference, p.$personsWithPreference))])
        family("earshot_preferred_channel_preference_persons", "Persons by the channel they prefer.",
               p.preferences.map { ([("channel", $0.channel)], shown($0.persons, $0.$persons)) })
        family("earshot_preferred_channel_best_cell_response_rate",
               "Response rate of the channel's best local hour x weekday cell (at least 20 prompts); labels give the cell.",
               p.channels.compactMap { c in
                   c.bestCell.map { ([("channel", c.channel), ("weekday", String($0.weekday)), ("hour", String($0.hour))],
                                     shown($0.responseRate, $0.$responseRate)) }
               })

        let d = r.persons.profileDepth
        func depth(_ population: String, _ dist: DepthDistribution) -> [([(String, String)], DepthBucket)] {
            dist.depth.map { ([("population", population), ("depth", $0.label)], $0) }
        }
        let buckets = depth("all", d.all) + depth("prompted", d.prompted)
        family("earshot_profile_depth_persons", "Persons by distinct questions answered (4+: 4 or more); population all or prompted.",
               buckets.map { ($0.0, shown($0.1.persons, $0.1.$persons)) })
        family("earshot_profile_depth_share", "Share of the population (0 to 1) by distinct questions answered.",
               buckets.map { ($0.0, shown($0.1.share, $0.1.$share)) })
        family("earshot_segment_profile_depth_share", "Share of the segment's members (0 to 1) by distinct questions answered.",
               r.segments.flatMap { s in s.profileDepth.all.depth.map { ([("segment", s.name), ("depth", $0.label)], shown($0.share, $0.$share)) } })
    }
}
