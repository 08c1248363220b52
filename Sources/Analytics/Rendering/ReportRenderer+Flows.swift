// Loops and journeys in the text and CSV reports (docs/REPORT.md).

extension ReportRenderer {
    /// How many levels of a journey tree the text report prints.
    public static let textJourneyDepth = 3
    /// How many whole paths per journey the text report prints.
    public static let textJourneyPaths = 5

    /// The LOOPS and JOURNEYS sections of the text report (no lines when the rules define neither).
    static func flowText(_ report: Report) -> [String] {
        var out: [String] = []
        let privacy = report.privacy
        let P = NumberFormat.percent, D = NumberFormat.duration
        func N(_ v: Int, _ m: Suppression) -> String { privacy.label(m) ?? "\(v)" }
        func PS(_ v: Double?, _ m: Suppression) -> String { privacy.label(m) ?? P(v) }
        func DS(_ v: Double?, _ m: Suppression) -> String { privacy.label(m) ?? D(v) }
        func cell(_ s: String) -> String { DisplayText.cell(s) }

        if !report.loops.isEmpty {
            out += ["", "LOOPS"]
            var t = TextTable([("loop", .left), ("within", .right), ("triggers", .right), ("persons", .right),
                               ("in time", .right), ("late", .right), ("open", .right), ("missed", .right),
                               ("in-time rate", .right), ("median close", .right), ("p90 close", .right), ("oldest open", .right)])
            for l in report.loops {
                let o = l.outcomes
                t.add([cell(l.name), D(l.withinSeconds), N(o.triggers, o.$triggers), N(l.persons, l.$persons),
                       N(o.inTime, o.$inTime), N(o.late, o.$late), N(o.open, o.$open), N(o.missed, o.$missed),
                       PS(o.inTimeRate, o.$inTimeRate), DS(l.medianSecondsToClose, l.$medianSecondsToClose),
                       DS(l.p90SecondsToClose, l.$p90SecondsToClose), DS(l.oldestOpenSeconds, l.$oldestOpenSeconds)])
            }
            out += t.lines()
        }
        for j in report.journeys {
            out += ["", "JOURNEY \"\(cell(j.name))\": \(N(j.entries, j.$entries)) entries, \(N(j.persons, j.$persons)) persons"]
            out.append("  " + DisplayText.cell(j.rule, limit: 200))
            var t = TextTable([("step", .left), ("entries", .right), ("persons", .right), ("share", .right), ("ended", .right)])
            func walk(_ nodes: [JourneyNode], depth: Int) {
                for n in nodes {
                    t.add([String(repeating: "  ", count: depth) + cell(n.step), N(n.entries, n.$entries), N(n.persons, n.$persons),
                           PS(n.share, n.$share), n.children.isEmpty && n.ended == 0 ? "" : N(n.ended, n.$ended)])
                    if depth + 1 < textJourneyDepth { walk(n.children, depth: depth + 1) }
                }
            }
            walk(j.tree.children, depth: 0)
            if !t.rows.isEmpty { out.append(""); out += t.lines() }
            if !j.paths.isEmpty {
                out.append("")
                var pt = TextTable([("path", .left), ("entries", .right), ("persons", .right)])
                for p in j.paths.prefix(textJourneyPaths) {
                    pt.add([p.steps.map(cell).joined(separator: " → "), N(p.entries, p.$entries), N(p.persons, p.$persons)])
                }
                out += pt.lines()
            }
        }
        return out
    }
}

extension CSVWriter {
    /// Loop and journey rows: `loop`, `loop_channel`, `loop_weekly`, `loop_open_age`, `journey`,
    /// `journey_node` (key: the journey; metric: the path of steps joined by ` > `, then `.entries` …) and `journey_path`.
    mutating func flows(_ report: Report) {
        for l in report.loops {
            let o = l.outcomes
            row("loop", l.name, "rule", l.rule)
            row("loop", l.name, "within_seconds", l.withinSeconds)
            outcomes("loop", l.name, o, prefix: "")
            row("loop", l.name, "persons", l.persons, l.$persons)
            row("loop", l.name, "late_rate", l.lateRate, l.$lateRate)
            row("loop", l.name, "missed_rate", l.missedRate, l.$missedRate)
            row("loop", l.name, "median_seconds_to_close", l.medianSecondsToClose, l.$medianSecondsToClose)
            row("loop", l.name, "p90_seconds_to_close", l.p90SecondsToClose, l.$p90SecondsToClose)
            row("loop", l.name, "oldest_open_seconds", l.oldestOpenSeconds, l.$oldestOpenSeconds)
            row("loop", l.name, "open_older_than_hours", l.openOlderThanHours, l.$openOlderThanHours)
            for c in l.byChannel {
                row("loop_channel", l.name, c.channel + ".closed", c.closed, c.$closed)
                row("loop_channel", l.name, c.channel + ".in_time", c.inTime, c.$inTime)
                row("loop_channel", l.name, c.channel + ".median_seconds_to_close", c.medianSecondsToClose, c.$medianSecondsToClose)
            }
            for w in l.weekly { outcomes("loop_weekly", l.name, w.outcomes, prefix: w.week + ".") }
            for b in l.openAges {
                row("loop_open_age", l.name, NumberFormat.plain(b.fromSeconds) + "-" + NumberFormat.plain(b.toSeconds), b.open, b.$open)
            }
        }
        for j in report.journeys {
            row("journey", j.name, "rule", j.rule)
            row("journey", j.name, "entries", j.entries, j.$entries)
            row("journey", j.name, "persons", j.persons, j.$persons)
            func walk(_ nodes: [JourneyNode], path: String) {
                for n in nodes {
                    let p = path.isEmpty ? n.step : path + " > " + n.step
                    row("journey_node", j.name, p + ".entries", n.entries, n.$entries)
                    row("journey_node", j.name, p + ".persons", n.persons, n.$persons)
                    row("journey_node", j.name, p + ".share", n.share, n.$share)
                    row("journey_node", j.name, p + ".ended", n.ended, n.$ended)
                    walk(n.children, path: p)
                }
            }
            walk(j.tree.children, path: "")
            for (i, p) in j.paths.enumerated() {
                row("journey_path", j.name, "\(i + 1).steps", p.steps.joined(separator: " > "))
                row("journey_path", j.name, "\(i + 1).entries", p.entries, p.$entries)
                row("journey_path", j.name, "\(i + 1).persons", p.persons, p.$persons)
            }
        }
    }

    private mutating func outcomes(_ section: String, _ key: String, _ o: LoopOutcomes, prefix: String) {
        row(section, key, prefix + "triggers", o.triggers, o.$triggers)
        row(section, key, prefix + "in_time", o.inTime, o.$inTime)
        row(section, key, prefix + "late", o.late, o.$late)
        row(section, key, prefix + "open", o.open, o.$open)
        row(section, key, prefix + "missed", o.missed, o.$missed)
        row(section, key, prefix + "in_time_rate", o.inTimeRate, o.$inTimeRate)
    }
}
