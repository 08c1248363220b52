import Analytics

/// View 7: loops (follow-ups within a promise): every loop's triggers and outcomes, and for the selected
/// loop its open triggers by age (a histogram, not a list of people) and its weeks.
struct LoopsView {
    var state: AppState

    struct Areas { var tableBox: Rect; var ages: Rect; var weeks: Rect }

    static func layout(_ content: Rect, loops: Int) -> Areas {
        let bottomH = min(12, max(0, content.height - 5))
        let tableH = max(min(content.height, 5), min(loops + 4, content.height - bottomH))
        let (top, bottom) = content.splitTop(tableH)
        let agesW = bottom.width >= 100 ? bottom.width / 2 : (bottom.width * 11) / 20
        let (ages, weeks) = bottom.splitLeft(agesW)
        return Areas(tableBox: top, ages: ages, weeks: weeks)
    }

    func render(into buf: inout ScreenBuffer, area: Rect) {
        let g = state.glyphs
        guard let report = state.report, !report.loops.isEmpty else {
            let inner = Box(title: "Loops", focused: true, glyphs: g).render(into: &buf, area: area)
            let lines = [
                "No loops in the rules file. Declare a promise next to your segments, e.g.",
                "",
                "  loop \"Late delivery apology\":",
                "      when did \"Order Delivered\" where late = true",
                "      expect did \"Apology Sent\" within 1d",
                "",
                "(docs/SEGMENTS.md, \"Loops\")",
            ]
            for (i, l) in lines.enumerated() {
                buf.put(l, in: inner.row(i).inset(dx: 1, dy: 0), role: i == 0 ? .normal : .muted, ellipsis: g.ellipsis)
            }
            return
        }
        let loops = report.loops
        let selected = min(max(0, state.flows.loop), loops.count - 1)
        let a = Self.layout(area, loops: loops.count)
        let inner = Box(title: "Loops (\(loops.count))", note: "\(selected + 1)/\(loops.count)", focused: true, glyphs: g)
            .render(into: &buf, area: a.tableBox)
        let body = inner.inset(dx: 1, dy: 0)
        let s = state
        let columns: [FlowColumn<LoopReport>] = [
            FlowColumn(title: "in time", width: 7) { (s.flowPercent($0.outcomes.inTimeRate, $0.outcomes.$inTimeRate), Self.rateRole($0.outcomes.inTimeRate)) },
            FlowColumn(title: "open", width: 6) { (s.flowCount($0.outcomes.open, $0.outcomes.$open), $0.outcomes.open > 0 ? .warn : .normal) },
            FlowColumn(title: "missed", width: 7) { (s.flowCount($0.outcomes.missed, $0.outcomes.$missed), $0.outcomes.missed > 0 ? .bad : .normal) },
            FlowColumn(title: "oldest open", width: 11) { (s.flowDuration($0.oldestOpenSeconds, $0.$oldestOpenSeconds), .normal) },
            FlowColumn(title: "triggers", width: 8) { (s.flowCount($0.outcomes.triggers, $0.outcomes.$triggers), .normal) },
            FlowColumn(title: "late", width: 6) { (s.flowCount($0.outcomes.late, $0.outcomes.$late), .normal) },
            FlowColumn(title: "within", width: 7) { (s.format.duration($0.withinSeconds), .muted) },
            FlowColumn(title: "median close", width: 12) { (s.flowDuration($0.medianSecondsToClose, $0.$medianSecondsToClose), .muted) },
            FlowColumn(title: "persons", width: 8) { (s.flowCount($0.persons, $0.$persons), .muted) },
        ]
        let kept = fittedColumns(columns, rows: loops, width: body.width, minFlex: 14)
        let (xs, flexWidth) = columnPositions(kept, in: body.row(0))
        buf.put("loop", in: Rect(x: body.x, y: body.y, width: flexWidth, height: 1), role: .header, ellipsis: g.ellipsis)
        for (i, c) in kept.enumerated() {
            buf.put(c.title, in: Rect(x: xs[i], y: body.y, width: c.width, height: 1), align: .right, role: .header, ellipsis: g.ellipsis)
        }
        let visible = max(0, body.height - 1)
        let offset = max(0, selected - visible + 1)
        for k in 0..<visible {
            let i = offset + k
            guard i < loops.count else { break }
            let l = loops[i], line = body.row(1 + k), isSelected = i == selected
            if isSelected { buf.fill(line, role: .selected) }
            buf.put(state.sanitizer.clean(l.name), in: Rect(x: line.x, y: line.y, width: flexWidth, height: 1),
                    role: isSelected ? .selected : .normal, ellipsis: g.ellipsis)
            for (c, col) in kept.enumerated() {
                let (t, role) = col.cell(l)
                buf.put(t, in: Rect(x: xs[c], y: line.y, width: col.width, height: 1), align: .right,
                        role: isSelected ? .selected : role, ellipsis: g.ellipsis)
            }
        }
        ages(&buf, a.ages, loops[selected])
        weeks(&buf, a.weeks, loops[selected])
    }

    static func rateRole(_ rate: Double?) -> StyleRole {
        guard let r = rate else { return .muted }
        return r >= 0.9 ? .good : (r >= 0.7 ? .warn : .bad)
    }

    /// Open triggers by age: one bar per bin of an eighth of the promised time.
    func ages(_ buf: inout ScreenBuffer, _ area: Rect, _ l: LoopReport) {
        let g = state.glyphs, fmt = state.format
        let title = "Open by age " + g.separator + " " + state.sanitizer.clean(l.name)
        let inner = Box(title: title, note: "open " + state.flowCount(l.outcomes.open, l.outcomes.$open), glyphs: g).render(into: &buf, area: area)
        guard !inner.isEmpty else { return }
        let body = inner.inset(dx: 1, dy: 0)
        if l.outcomes.$open.isSuppressed {
            buf.put("Withheld: fewer than \(state.report?.privacy.minCohort ?? 0) open", in: body.row(0), role: .muted, ellipsis: g.ellipsis)
            return
        }
        if l.outcomes.open == 0 {
            buf.put("No open loops: every trigger is closed or missed", in: body.row(0), role: .good, ellipsis: g.ellipsis)
            return
        }
        let top = max(1, l.openAges.map(\.open).max() ?? 1)
        let labelW = 13, countW = 6
        for (k, bin) in l.openAges.prefix(body.height).enumerated() {
            let line = body.row(k)
            let label = (bin.fromSeconds == 0 ? "0" : fmt.duration(bin.fromSeconds)) + (g == .ascii ? "-" : "–") + fmt.duration(bin.toSeconds)
            buf.put(label, in: Rect(x: line.x, y: line.y, width: labelW, height: 1), role: .muted, ellipsis: g.ellipsis)
            let count = state.flowCount(bin.open, bin.$open)
            buf.put(count, in: Rect(x: line.maxX - countW, y: line.y, width: countW, height: 1), align: .right, role: .normal, ellipsis: g.ellipsis)
            let barArea = Rect(x: line.x + labelW + 1, y: line.y, width: line.width - labelW - countW - 2, height: 1)
            if !bin.$open.isSuppressed {
                // Older bins are closer to a broken promise.
                Bar(fraction: Double(bin.open) / Double(top), role: k >= 6 ? .bad : (k >= 4 ? .warn : .bar), glyphs: g)
                    .render(into: &buf, area: barArea)
            }
        }
    }

    /// The selected loop's weeks, newest first.
    func weeks(_ buf: inout ScreenBuffer, _ area: Rect, _ l: LoopReport) {
        let g = state.glyphs
        let inner = Box(title: "By week of the trigger", glyphs: g).render(into: &buf, area: area)
        guard !inner.isEmpty else { return }
        let body = inner.inset(dx: 1, dy: 0)
        if l.weekly.isEmpty {
            buf.put("No triggers yet", in: body.row(0), role: .muted, ellipsis: g.ellipsis)
            return
        }
        let s = state
        let columns: [FlowColumn<LoopWeek>] = [
            FlowColumn(title: "trig.", width: 6) { (s.flowCount($0.outcomes.triggers, $0.outcomes.$triggers), .normal) },
            FlowColumn(title: "in time", width: 7) { (s.flowPercent($0.outcomes.inTimeRate, $0.outcomes.$inTimeRate), Self.rateRole($0.outcomes.inTimeRate)) },
            FlowColumn(title: "open", width: 5) { (s.flowCount($0.outcomes.open, $0.outcomes.$open), .normal) },
            FlowColumn(title: "missed", width: 6) { (s.flowCount($0.outcomes.missed, $0.outcomes.$missed), .normal) },
            FlowColumn(title: "late", width: 5) { (s.flowCount($0.outcomes.late, $0.outcomes.$late), .normal) },
        ]
        let kept = fittedColumns(columns, rows: l.weekly, width: body.width, minFlex: 8)
        let (xs, flexWidth) = columnPositions(kept, in: body.row(0))
        buf.put("week", in: Rect(x: body.x, y: body.y, width: flexWidth, height: 1), role: .header, ellipsis: g.ellipsis)
        for (i, c) in kept.enumerated() {
            buf.put(c.title, in: Rect(x: xs[i], y: body.y, width: c.width, height: 1), align: .right, role: .header, ellipsis: g.ellipsis)
        }
        for (k, w) in l.weekly.reversed().prefix(max(0, body.height - 1)).enumerated() {
            let line = body.row(1 + k)
            buf.put(w.week, in: Rect(x: line.x, y: line.y, width: flexWidth, height: 1), role: .normal, ellipsis: g.ellipsis)
            for (c, col) in kept.enumerated() {
                let (t, role) = col.cell(w)
                buf.put(t, in: Rect(x: xs[c], y: line.y, width: col.width, height: 1), align: .right, role: role, ellipsis: g.ellipsis)
            }
        }
    }
}
