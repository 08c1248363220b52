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
        let tx = TextCells(privacy: privacy)
        let D = NumberFormat.duration

        if !report.loops.isEmpty {
            out += ["", "LOOPS"]
            var t = TextTable([("loop", .left), ("within", .right), ("triggers", .right), ("persons", .right),
                               ("in time", .right), ("late", .right), ("open", .right), ("missed", .right),
                               ("in-time rate", .right), ("median close", .right), ("p90 close", .right), ("oldest open", .right)])
            for l in report.loops {
                let o = l.outcomes
                t.add([tx.cell(l.name), D(l.withinSeconds), tx.N(o.triggers, o.$triggers), tx.N(l.persons, l.$persons),
                       tx.N(o.inTime, o.$inTime), tx.N(o.late, o.$late), tx.N(o.open, o.$open), tx.N(o.missed, o.$missed),
                       tx.PS(o.inTimeRate, o.$inTimeRate), tx.DS(l.medianSecondsToClose, l.$medianSecondsToClose),
                       tx.DS(l.p90SecondsToClose, l.$p90SecondsToClose), tx.DS(l.oldestOpenSeconds, l.$oldestOpenSeconds)])
            }
            out += t.lines()
        }
        for j in report.journeys {
            out += ["", "JOURNEY \"\(tx.cell(j.name))\": \(tx.N(j.entries, j.$entries)) entries, \(tx.N(j.persons, j.$persons)) persons"]
            out.append("  " + DisplayText.cell(j.rule, limit: 200))
            var t = TextTable([("step", .left), ("entries", .right), ("persons", .right), ("share", .right), ("ended", .right)])
            func walk(_ nodes: [JourneyNode], depth: Int) {
                for n in nodes {
                    t.add([String(repeating: "  ", count: depth) + tx.cell(n.step), tx.N(n.entries, n.$entries), tx.N(n.persons, n.$persons),
                           tx.PS(n.share, n.$share), n.children.isEmpty && n.ended == 0 ? "" : tx.N(n.ended, n.$ended)])
                    if depth + 1 < textJourneyDepth { walk(n.children, depth: depth + 1) }
                }
            }
            walk(j.tree.children, depth: 0)
            if !t.rows.isEmpty { out.append(""); out += t.lines() }
            if !j.paths.isEmpty {
                out.append("")
                var pt = TextTable([("path", .left), ("entries", .right), ("persons", .right)])
                for p in j.paths.prefix(textJourneyPaths) {
                    pt.add([p.steps.map(tx.cell).joined(separator: " → "), tx.N(p.entries, p.$entries), tx.N(p.persons, p.$persons)])
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
            row("loop", l.name, "rule", l.rule)
            figures("loop", l.name, l)
            for c in l.byChannel { figures("loop_channel", l.name, c, prefix: c.channel + ".") }
            for w in l.weekly { figures("loop_weekly", l.name, w, prefix: w.week + ".") }
            for b in l.openAges {
                figures("loop_open_age", l.name, b, metric: { _ in NumberFormat.plain(b.fromSeconds) + "-" + NumberFormat.plain(b.toSeconds) })
            }
        }
        for j in report.journeys {
            row("journey", j.name, "rule", j.rule)
            figures("journey", j.name, j)
            func walk(_ nodes: [JourneyNode], path: String) {
                for n in nodes {
                    let p = path.isEmpty ? n.step : path + " > " + n.step
                    figures("journey_node", j.name, n, prefix: p + ".")
                    walk(n.children, path: p)
                }
            }
            walk(j.tree.children, path: "")
            for (i, p) in j.paths.enumerated() {
                row("journey_path", j.name, "\(i + 1).steps", p.steps.joined(separator: " > "))
                figures("journey_path", j.name, p, prefix: "\(i + 1).")
            }
        }
    }
}
