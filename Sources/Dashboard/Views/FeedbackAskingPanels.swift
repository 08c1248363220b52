import Analytics

/// Which panels the Feedback view shows below its loop table (`v` switches).
public enum FeedbackPanel: Sendable, Equatable {
    /// When customers answer: the hour × weekday heatmap and NPS.
    case when
    /// Whether we ask too much, on the right channel, and what it yields: prompt fatigue, the preferred channel and
    /// profile depth (docs/DEFINITIONS.md).
    case asking
}

/// The "asking" panels of the Feedback view: prompt fatigue on the left; the preferred channel and profile depth on
/// the right. Profile depth lives here, next to the prompts that earn it, rather than on the Overview: it is the
/// answer to "what do customers tell us for all this asking", and its second population (ever-prompted persons) is
/// a feedback figure.
extension FeedbackView {
    /// Ordinal row labels, for `by_ordinal` rows 1…5.
    static let ordinalLabels = ["1st", "2nd", "3rd", "4th", "5th+"]

    /// Splits the lower area between the fatigue panel and the preferred-channel panel.
    static func askingSplit(_ area: Rect) -> (fatigue: Rect, preferred: Rect) {
        let leftW = area.width >= 100 ? area.width * 55 / 100 : area.width * 52 / 100
        let (left, rest) = area.splitLeft(leftW)
        return (left, rest)
    }

    func renderAsking(_ buf: inout ScreenBuffer, _ area: Rect) {
        let (left, right) = Self.askingSplit(area)
        fatiguePanel(&buf, left)
        preferredPanel(&buf, right)
    }

    /// The text after a rate gauge: the rate (or the withheld mark), with the prompts behind it when `withCount`.
    func rateText(_ g: PromptGroup, withCount: Bool) -> String {
        var text = model.percent0(g.responseRate, g.$responseRate, format)
        if withCount { text += " of " + model.count(g.prompts, g.$prompts) }
        return text
    }

    /// Rate gauges for `rows` (label, group) from row `first` of `area`, bars aligned: every value text is padded to
    /// the widest, and the prompts are named when the bars keep at least 8 cells.
    func rateRows(_ buf: inout ScreenBuffer, _ area: Rect, first: Int, labelWidth: Int, _ rows: [(String, PromptGroup)]) {
        let g2 = glyphs
        let room = area.width - labelWidth - 1
        var withCount = true
        var valueW = rows.map { DisplayWidth.of(rateText($0.1, withCount: true)) }.max() ?? 0
        if room - valueW - 1 < 8 {
            withCount = false
            valueW = rows.map { DisplayWidth.of(rateText($0.1, withCount: false)) }.max() ?? 0
        }
        for (i, (label, g)) in rows.enumerated() where first + i < area.height {
            let row = area.row(first + i)
            buf.put(label, in: Rect(x: row.x, y: row.y, width: labelWidth, height: 1), role: .muted, ellipsis: g2.ellipsis)
            let bar = Rect(x: row.x + labelWidth + 1, y: row.y, width: row.width - labelWidth - 1, height: 1)
            guard !bar.isEmpty else { continue }
            let withheld = g.$responseRate.isSuppressed
            let empty = g.prompts == 0 && !g.$prompts.isSuppressed
            Gauge(fraction: withheld ? nil : g.responseRate, label: rateText(g, withCount: withCount).leftPad(valueW),
                  role: empty || withheld ? .muted : .bar, glyphs: g2).render(into: &buf, area: bar)
        }
    }

    func fatiguePanel(_ buf: inout ScreenBuffer, _ area: Rect) {
        let g = glyphs
        let f = model.fatigue
        let inner = Box(title: "Asking too much? Rate by prompt", glyphs: g).render(into: &buf, area: area)
        guard !inner.isEmpty else { return }
        if !model.hasPrompts {
            buf.put("No prompts yet", in: inner.row(0).inset(dx: 1, dy: 0), role: .muted, ellipsis: g.ellipsis)
            return
        }
        let body = inner.inset(dx: 1, dy: 0)
        let (ordCol, gapCol) = body.splitLeft(body.width / 2)
        let gapArea = gapCol.inset(dx: 1, dy: 0)
        buf.put("n-th in \(f.trailingDays) days", in: ordCol.row(0), role: .header, ellipsis: g.ellipsis)
        buf.put("since last prompt", in: gapArea.row(0), role: .header, ellipsis: g.ellipsis)
        rateRows(&buf, ordCol, first: 1, labelWidth: 5, f.byOrdinal.enumerated().map {
            (Self.ordinalLabels[min($0.offset, Self.ordinalLabels.count - 1)], $0.element.counts)
        })
        rateRows(&buf, gapArea, first: 1, labelWidth: 5, f.byGap.map { ($0.gap, $0.counts) })
        // Per channel, first prompt against the fifth or later.
        let y = 1 + max(f.byOrdinal.count, f.byGap.count)
        guard y < inner.height else { return }
        let fmt = format
        let parts: [String] = f.channelTables.compactMap { ch, t in
            guard let first = t.byOrdinal.first?.counts, let last = t.byOrdinal.last?.counts,
                  first.prompts > 0 || first.$prompts.isSuppressed, last.prompts > 0 || last.$prompts.isSuppressed else { return nil }
            let a = model.percent0(first.responseRate, first.$responseRate, fmt)
            let b = model.percent0(last.responseRate, last.$responseRate, fmt)
            return "\(ch) \(a)\(g == .ascii ? "->" : "→")\(b)"
        }
        let text = parts.isEmpty ? "no channel reaches a 5th prompt" : "1st" + (g == .ascii ? "->" : "→") + "5th+: " + parts.joined(separator: ", ")
        buf.put(text, in: body.row(y), role: .muted, ellipsis: g.ellipsis)
    }

    func preferredPanel(_ buf: inout ScreenBuffer, _ area: Rect) {
        let g = glyphs, fmt = format
        let p = model.preferred
        let inner = Box(title: "Preferred channel " + (g == .ascii ? "/" : "·") + " profile depth", glyphs: g).render(into: &buf, area: area)
        guard !inner.isEmpty else { return }
        let body = inner.inset(dx: 1, dy: 0)
        var r = 0
        func next() -> Rect? { guard r < body.height else { return nil }; defer { r += 1 }; return body.row(r) }
        if model.hasPrompts {
            rateRows(&buf, body, first: 0, labelWidth: 13, p.groups.map { ($0.label, $0.group) })
            r = min(3, body.height)
            let best = p.channels.compactMap { c in c.bestCell.map { c.channel + " " + ReportRenderer.cellText($0, privacy: model.privacy) } }
            if let row = next() {
                let text = best.isEmpty ? "best hour: no channel has a cell of 20 prompts" : "best: " + best.joined(separator: ", ")
                buf.put(text, in: row, role: best.isEmpty ? .muted : .good, ellipsis: g.ellipsis)
            }
        } else if let row = next() {
            buf.put("No prompts yet", in: row, role: .muted, ellipsis: g.ellipsis)
        }
        // Profile depth of the prompted persons (all persons when nobody was prompted).
        let d = model.depth
        let (dist, who) = d.prompted.persons > 0 || d.prompted.$persons.isSuppressed ? (d.prompted, "prompted") : (d.all, "all")
        guard let head = next() else { return }
        buf.put("told us (\(who) " + model.count(dist.persons, dist.$persons) + "):", in: head, role: .header, ellipsis: g.ellipsis)
        let anyHidden = dist.depth.contains { $0.$persons.isSuppressed }
        if !anyHidden, dist.persons > 0, let bar = next() {
            let roles: [StyleRole] = [.heat0, .heat1, .heat2, .heat3, .heat4]
            let heat = g.heat
            StackedBar(parts: dist.depth.enumerated().map { i, b in
                (Double(b.persons), roles[min(i, roles.count - 1)], heat[min(i, heat.count - 1)])
            }, glyphs: g).render(into: &buf, area: bar)
        }
        if let legend = next() {
            let text = dist.depth.map { $0.label + " " + model.percent0($0.share, $0.$share, fmt) }.joined(separator: "  ")
            buf.put(text, in: legend, role: .normal, ellipsis: g.ellipsis)
        }
        // Weekly trend: the share of all persons who told at least one thing.
        if let row = next(), d.weekly.count >= 2 {
            let label = "≥1 weekly "
            let values: [Double?] = d.weekly.map { w in
                guard w.distribution.persons > 0, !w.distribution.depth[0].$share.isSuppressed, let s0 = w.distribution.depth[0].share else { return nil }
                return 1 - s0
            }
            let lw = DisplayWidth.of(label)
            buf.put(g == .ascii ? ">=1 weekly " : label, in: Rect(x: row.x, y: row.y, width: lw + 1, height: 1), role: .muted, ellipsis: g.ellipsis)
            let last = values.last.flatMap { $0 }
            let tail = " " + fmt.percent0(last)
            let tw = DisplayWidth.of(tail)
            let spark = Rect(x: row.x + lw + 1, y: row.y, width: max(0, row.width - lw - 1 - tw), height: 1)
            let partial = values.count == model.weekly.weeks ? model.weekly.marks.partial : []
            Sparkline(series: Series(values, partial: partial), glyphs: g).render(into: &buf, area: spark)
            buf.put(tail, in: Rect(x: spark.maxX, y: row.y, width: tw, height: 1), role: .normal, ellipsis: g.ellipsis)
        }
    }
}
