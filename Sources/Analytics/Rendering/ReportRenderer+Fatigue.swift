// Prompt fatigue, the preferred channel and profile depth in the text and CSV reports (docs/REPORT.md).

extension ReportRenderer {
    /// The PROMPT FATIGUE, PREFERRED CHANNEL and PROFILE DEPTH sections of the text report (none without prompts
    /// or persons).
    static func fatigueText(_ report: Report) -> [String] {
        var out: [String] = []
        let privacy = report.privacy
        let tx = TextCells(privacy: privacy)
        func groupCells(_ g: PromptGroup) -> [String] {
            [tx.N(g.prompts, g.$prompts), tx.N(g.answered, g.$answered), tx.PS(g.responseRate, g.$responseRate), tx.N(g.persons, g.$persons)]
        }
        let f = report.feedback.fatigue
        if f.byOrdinal.contains(where: { $0.counts.prompts > 0 || $0.counts.$prompts.isSuppressed }) {
            out += ["", "PROMPT FATIGUE (ordinal: the person's n-th prompt within \(f.trailingDays) days; gap: time since their previous prompt)"]
            var t = TextTable([("channel", .left), ("by", .left), ("bucket", .left), ("prompts", .right), ("answered", .right),
                               ("rate", .right), ("persons", .right)])
            let tables = f.tables
            for (channel, ordinals, gaps) in tables {
                for r in ordinals { t.add([tx.cell(channel), "ordinal", r.label] + groupCells(r.counts)) }
                for r in gaps { t.add([tx.cell(channel), "gap", r.gap] + groupCells(r.counts)) }
            }
            out += t.lines()

            let p = report.feedback.preferredChannel
            out += ["", "PREFERRED CHANNEL (trait \(tx.cell(p.trait)); \(tx.N(p.personsWithPreference, p.$personsWithPreference)) persons with a preference"
                    + (p.preferences.isEmpty ? "" : ": " + p.preferences.map { tx.cell($0.channel) + " " + tx.N($0.persons, $0.$persons) }.joined(separator: ", "))
                    + ")"]
            var pt = TextTable([("channel", .left), ("group", .left), ("prompts", .right), ("answered", .right),
                                ("rate", .right), ("persons", .right), ("best hour", .left)])
            for g in p.groups { pt.add(["all", g.label] + groupCells(g.group) + [""]) }
            for c in p.channels {
                let best = c.bestCell.map { cellText($0, privacy: privacy) } ?? "-"
                for (i, g) in c.groups.enumerated() { pt.add([tx.cell(c.channel), g.label] + groupCells(g.group) + [i == 0 ? best : ""]) }
            }
            out += pt.lines()
        }

        let d = report.persons.profileDepth
        if d.all.persons > 0 || d.all.$persons.isSuppressed {
            out += ["", "PROFILE DEPTH (distinct questions answered per person)"]
            var dt = TextTable([("persons", .left), ("of", .right)]
                               + d.all.depth.map { ("\($0.label)", .right) })
            func row(_ name: String, _ dist: DepthDistribution) {
                dt.add([name, tx.N(dist.persons, dist.$persons)]
                       + dist.depth.map { tx.N($0.persons, $0.$persons) + " (" + tx.PS($0.share, $0.$share) + ")" })
            }
            row("all", d.all)
            row("prompted", d.prompted)
            for s in report.segments {
                row("segment " + tx.cell(s.name), s.profileDepth.all)
            }
            out += dt.lines()
        }
        return out
    }

    /// `Tue 18:00 62.5% of 8`: a best hour × weekday cell for the text report and the dashboard.
    public static func cellText(_ c: HourWeekdayCell, privacy: PrivacySummary) -> String {
        let day = HourWeekdayCell.weekdayName(iso: c.weekday)
        let hour = (c.hour < 10 ? "0" : "") + "\(c.hour):00"
        let tx = TextCells(privacy: privacy)
        return "\(day) \(hour) \(tx.PS(c.responseRate, c.$responseRate)) of \(tx.N(c.prompts, c.$prompts))"
    }
}

extension CSVWriter {
    /// A distribution's rows: `persons`, then `depth_<label>.persons` and `depth_<label>.share` per bucket.
    mutating func depth(_ section: String, _ key: String, _ d: DepthDistribution, prefix: String) {
        figures(section, key, d, prefix: prefix)
        for b in d.depth { figures(section, key, b, prefix: prefix + "depth_\(b.label).") }
    }

    /// Rows `fatigue_ordinal,<channel>/<ordinal>,…`, `fatigue_gap,<channel>/<gap>,…`, `preferred_channel,<channel>,…`
    /// and `profile_depth,<population>,…` (docs/REPORT.md, "CSV"); every figure from the declared lists.
    mutating func fatigue(_ report: Report) {
        let f = report.feedback.fatigue
        let tables = f.tables
        for (channel, ordinals, gaps) in tables {
            for r in ordinals { figures("fatigue_ordinal", channel + "/" + r.label, r) }
            for r in gaps { figures("fatigue_gap", channel + "/" + r.gap, r) }
        }
        let p = report.feedback.preferredChannel
        row("preferred_channel", "", "trait", p.trait)
        figures("preferred_channel", "", p)
        for c in p.preferences { figures("preferred_channel_persons", c.channel, c) }
        for g in p.groups { figures("preferred_channel", "all", g.group, prefix: g.key + ".") }
        for c in p.channels {
            for g in c.groups { figures("preferred_channel", c.channel, g.group, prefix: g.key + ".") }
            if let b = c.bestCell {
                row("preferred_channel", c.channel, "best_cell.weekday", b.weekday)
                row("preferred_channel", c.channel, "best_cell.hour", b.hour)
                figures("preferred_channel", c.channel, b, prefix: "best_cell.")
            }
        }
        let d = report.persons.profileDepth
        depth("profile_depth", "all", d.all, prefix: "")
        depth("profile_depth", "prompted", d.prompted, prefix: "")
        for w in d.weekly { depth("profile_depth_weekly", w.week, w.distribution, prefix: "") }
        for s in report.segments {
            depth("segment_profile_depth", s.name, s.profileDepth.all, prefix: "")
            depth("segment_profile_depth", s.name, s.profileDepth.prompted, prefix: "prompted.")
        }
    }
}
