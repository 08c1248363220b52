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
        // Families follow the declared figure lists (``FigureList``); a section's prefix and labels are set here.
        let s = r.store
        out.figures(prefix: "earshot", what: "", [([], s)])
        out.family("earshot_last_event_timestamp_seconds", "Time of the newest event, seconds since 1970.",
                   [([], Self.epochSeconds(s.lastEvent))])
        out.family("earshot_report_timestamp_seconds", "The report's reference time (--now or the newest event), seconds since 1970.",
                   [([], Self.epochSeconds(r.now))])
        out.family("earshot_warnings", "Notes about the read and the analysis (see earshot report).", [([], Double(s.warnings.count))])

        let c = r.consent
        out.figures(prefix: "earshot", what: "", [([("category", c.analyticsCategory)], c)])
        out.figures(prefix: "earshot_consent", what: "", c.categories.map { ([("category", $0.name)], $0) })

        let f = r.feedback
        out.figures(prefix: "earshot", what: "", [([], f)])
        out.figures(prefix: "earshot_feedback", what: "per channel", f.channels.map { ([("channel", $0.channel)], $0) })
        out.figures(prefix: "earshot_survey", what: "per survey (channel: its most frequent prompt channel)",
                    f.surveys.map { ([("survey", $0.surveyID ?? ""), ("channel", $0.channel)], $0) })
        out.figures(prefix: "earshot_nps", what: "over all scored responses", [([], f.nps)])
        // Per channel, survey and segment only the score itself is exported.
        out.figures(prefix: "earshot_nps_by_channel", what: "per channel",
                    f.npsByChannel.keys.sorted().map { ([("channel", $0)], f.npsByChannel[$0]!) }, only: ["nps"])
        out.figures(prefix: "earshot_nps_by_survey", what: "per survey",
                    f.npsBySurvey.keys.sorted().map { ([("survey", $0)], f.npsBySurvey[$0]!) }, only: ["nps"])

        out.figures(prefix: "earshot_segment", what: "", r.segments.map { ([("segment", $0.name)], $0) })
        out.figures(prefix: "earshot_segment_nps", what: "of the segment's members",
                    r.segments.map { ([("segment", $0.name)], $0.nps) }, only: ["nps"])
        out.figures(prefix: "earshot_segment_overlap", what: "", r.overlap.map { ([("a", $0.a), ("b", $0.b)], $0) })
        out.figures(prefix: "earshot_loop", what: "", r.loops.map { ([("loop", $0.name)], $0) })
        out.figures(prefix: "earshot_journey", what: "", r.journeys.map { ([("journey", $0.name)], $0) })
        out.answers(r)   // questions and funnels: ReportRenderer+Answers.swift
        out.fatigue(r)
        out.figures(prefix: "earshot_privacy", what: "", [([], r.privacy)])
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

/// Accumulates metric families.
struct Exposition {
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

    /// The metric families of a section's rows (each row: its labels and its struct), from the struct's
    /// ``FigureList/figures``: one family per distinct ``PrometheusMetric/name`` (in declared order), named
    /// `prefix_name` (`prefix` alone for an empty name), its HELP the help of its figures with `{what}` replaced (the
    /// distinct sentences in declared order: the consent states' or loop outcomes' family names each state); in a
    /// family, samples go row by row, then figure by figure (and key by key for a keyed figure). Figures without a
    /// metric, or not in `only`, are not exported; withheld and absent values have no sample.
    mutating func figures<T: FigureList>(prefix: String, what: String, _ rows: [([(String, String)], T)], only: Set<String>? = nil) {
        var families: [(name: String, figures: [FigureDescriptor<T>])] = []
        for d in T.figures {
            guard let m = d.metric, only?.contains(d.key) ?? true else { continue }
            let name = m.name.isEmpty ? prefix : prefix + "_" + m.name
            if let i = families.firstIndex(where: { $0.name == name }) { families[i].figures.append(d) } else { families.append((name, [d])) }
        }
        for (name, figures) in families {
            var samples: [([(String, String)], Double?)] = []
            for (labels, x) in rows {
                for d in figures {
                    let m = d.metric!
                    for sample in d.samples(of: x) {
                        var l = (m.entryLabels ? labels : []) + m.labels
                        if let keyLabel = m.keyLabel, let k = sample.subkey { l.append((keyLabel, k)) }
                        samples.append((l, sample.withheld.isSuppressed ? nil : sample.value.double))
                    }
                }
            }
            var helps: [String] = []
            for d in figures { let h = d.help(what: what); if !helps.contains(h) { helps.append(h) } }
            family(name, helps.joined(separator: " "), samples)
        }
    }
}

// Prompt fatigue, preferred channel and profile depth (docs/ONCALL.md, docs/DEFINITIONS.md): families from the
// declared lists (``PromptGroup``, ``ChannelPreference``, ``DepthBucket``, ``HourWeekdayCell`` for the best cell…).
extension Exposition {
    mutating func fatigue(_ r: Report) {
        let f = r.feedback.fatigue
        let tables = f.tables
        figures(prefix: "earshot_fatigue_ordinal", what: "by the prompt's ordinal among the person's prompts of the trailing 30 days (5+: 5 or more), per channel (all: every channel)",
                tables.flatMap { t in t.1.map { ([("channel", t.0), ("ordinal", $0.label)], $0) } })
        figures(prefix: "earshot_fatigue_gap", what: "by the time since the person's previous prompt, per channel (all: every channel)",
                tables.flatMap { t in t.2.map { ([("channel", t.0), ("gap", $0.gap)], $0) } })

        let p = r.feedback.preferredChannel
        func groups(_ channel: String, _ row: some PreferredChannelGroups) -> [([(String, String)], PromptGroup)] {
            row.groups.map { ([("channel", channel), ("group", $0.key)], $0.group) }
        }
        figures(prefix: "earshot_preferred_channel", what: "on the person's preferred channel, on another, or to persons without a preference, per channel",
                groups("all", p) + p.channels.flatMap { groups($0.channel, $0) })
        figures(prefix: "earshot_preferred_channel", what: "", [([], p)])
        figures(prefix: "earshot_preferred_channel", what: "", p.preferences.map { ([("channel", $0.channel)], $0) })
        // The best cell's labels carry its weekday and hour; its figures are the hour x weekday cell's declared list.
        figures(prefix: "earshot_preferred_channel_best_cell",
                what: "of the channel's best local hour x weekday cell (at least 20 prompts); labels give the cell",
                p.channels.compactMap { c in
                    c.bestCell.map { ([("channel", c.channel), ("weekday", String($0.weekday)), ("hour", String($0.hour))], $0) }
                })

        let d = r.persons.profileDepth
        func depth(_ population: String, _ dist: DepthDistribution) -> [([(String, String)], DepthBucket)] {
            dist.depth.map { ([("population", population), ("depth", $0.label)], $0) }
        }
        figures(prefix: "earshot_profile_depth", what: "the population", depth("all", d.all) + depth("prompted", d.prompted))
        figures(prefix: "earshot_segment_profile_depth", what: "the segment's members",
                r.segments.flatMap { s in s.profileDepth.all.depth.map { ([("segment", s.name), ("depth", $0.label)], $0) } }, only: ["share"])
    }
}
