import Analytics

/// View 2: the segment table (size, share, weekly change, trend, reachable for a consent category).
struct SegmentsView {
    var model: ViewModel
    /// The segment table's sort, filter and selection.
    var tableState: TableState
    /// The consent category of the REACH column.
    var categoryIndex: Int
    var glyphs: Glyphs

    /// The table's area (inside the box) for a content area.
    static func tableArea(_ content: Rect) -> Rect { content.inset(dx: 1, dy: 1) }

    func render(into buf: inout ScreenBuffer, area: Rect) {
        guard let t = model.tables[.segments], let st = Optional(tableState) else { return }
        let g = glyphs
        let widget = TableWidget(model: t, state: st, focused: true, glyphs: g)
        let cat = model.categories.indices.contains(categoryIndex) ? model.categories[categoryIndex].name : nil
        var extras = cat.map { ["reach: \($0) (c)"] } ?? []
        // The trend's week axis: first and last week, in UTC (partial weeks are dimmed; `i` explains).
        // The weeks the trend column shows (its last weeks when it is narrower than the series).
        let w = model.weekly
        let trendColumn = t.columns.firstIndex(where: { $0.title == "TREND" })
        if let trend = TableWidget.layout(t, width: area.width - 2, sortColumn: st.sortColumn).first(where: { $0.index == trendColumn }),
           !w.labels.isEmpty {
            let first = Sparkline.window(count: w.labels.count, width: trend.width).first
            extras.append("trend " + w.labels[first] + " " + g.arrow + " " + w.labels[w.labels.count - 1] + " (UTC)")
        }
        let extra = extras.joined(separator: " " + g.separator + " ")
        let inner = Box(title: widget.title(extra: extra), note: widget.positionNote, focused: true, glyphs: g)
            .render(into: &buf, area: area)
        widget.render(into: &buf, area: inner)
    }
}

/// The segment opened with Enter: rule, size over time, consent inside it, its members' feedback, overlaps.
struct SegmentDetailView {
    var model: ViewModel
    var glyphs: Glyphs
    var format: Format { Format(missing: glyphs.missing) }
    var segment: SegmentInfo

    func render(into buf: inout ScreenBuffer, area: Rect) {
        guard !area.isEmpty else { return }
        let g = glyphs, fmt = format, seg = segment
        // Title line.
        let row0 = area.row(0)
        var x = row0.x + 1
        x += buf.put("Segments " + g.arrow + " ", x: x, y: row0.y, clip: row0, role: .muted)
        let nameRoom = max(4, row0.maxX - x - 40)
        x += buf.put(seg.name, in: Rect(x: x, y: row0.y, width: nameRoom, height: 1), role: .title, ellipsis: g.ellipsis)
        var facts = "  " + model.count(seg.size, seg.sizeMark) + " persons"
        if let sh = seg.share { facts += " " + g.separator + " " + fmt.percent(sh) + " of all" }
        else if seg.sizeMark.isSuppressed { facts += " " + g.separator + " " + model.withheldShare + " of all" }
        if seg.isNew { facts += " " + g.separator + " new this week" } else if let c = seg.change {
            facts += " " + g.separator + " " + fmt.change(c) + " wk"
        }
        buf.put(facts, in: Rect(x: x, y: row0.y, width: row0.maxX - x, height: 1), role: .normal, ellipsis: g.ellipsis)
        // Rule (up to 2 lines).
        let ruleRows = min(2, seg.ruleLines.count)
        for i in 0..<ruleRows {
            let r = area.row(1 + i)
            let label = i == 0 ? " rule " : "      "
            let lw = buf.put(label, x: r.x, y: r.y, clip: r, role: .muted)
            var text = seg.ruleLines[i]
            if i == ruleRows - 1 && seg.ruleLines.count > ruleRows { text += " " + g.ellipsis }
            buf.put(text, in: Rect(x: r.x + lw, y: r.y, width: r.width - lw - 1, height: 1), role: .accent, ellipsis: g.ellipsis)
        }
        let body = area.splitTop(1 + ruleRows).rest
        let (top, bottom) = body.splitTop(body.height / 2)
        let (tl, tr) = top.splitLeft(top.width / 2)
        let (bl, br) = bottom.splitLeft(bottom.width / 2)
        sizeChart(&buf, tl)
        consentInside(&buf, tr)
        feedback(&buf, bl)
        overlaps(&buf, br)
    }

    func sizeChart(_ buf: inout ScreenBuffer, _ area: Rect) {
        let g = glyphs, seg = segment
        var title = "Size by week (UTC)"
        if let a = seg.firstWeek, let b = seg.lastWeek { title += " " + a + " " + g.arrow + " " + b }
        let legend = seg.weekMarks.partial.isEmpty ? "" : g.partialWeek + " partial week"
        let inner = Box(title: title, note: legend, glyphs: g).render(into: &buf, area: area)
        guard !inner.isEmpty else { return }
        if seg.weekly.isEmpty {
            buf.put("No weekly sizes", in: inner.row(0).inset(dx: 1, dy: 0), role: .muted, ellipsis: g.ellipsis)
            return
        }
        // Bars, then (with room) the week axis, then the figures.
        let axis = inner.height >= 4
        let chartH = max(1, inner.height - (inner.height >= 2 ? 1 : 0) - (axis ? 1 : 0))
        let chart = Rect(x: inner.x + 1, y: inner.y, width: inner.width - 2, height: chartH)
        let series = Series(seg.weekly, partial: seg.weekMarks.partial)
        ColumnChart(series: series, glyphs: g).render(into: &buf, area: chart)
        if axis {
            ColumnChart(series: series, glyphs: g).axis(into: &buf, area: Rect(x: chart.x, y: chart.maxY, width: chart.width, height: 1),
                                                         labels: seg.weekLabels, marks: seg.weekMarks)
        }
        if inner.height >= 2 {
            let shown = seg.weekly.compactMap { $0 }
            let low = shown.min(), high = shown.max()
            var text = "min \(low.map { Format.int(Int($0)) } ?? format.missing)  max \(high.map { Format.int(Int($0)) } ?? format.missing)"
            text += "  now " + model.count(seg.size, seg.sizeMark)
            if shown.count < seg.weekly.count { text += "  " + g.separator + " \(seg.weekly.count - shown.count) weeks withheld" }
            buf.put(text, in: inner.row(inner.height - 1).inset(dx: 1, dy: 0), role: .muted, ellipsis: g.ellipsis)
        }
    }

    func consentInside(_ buf: inout ScreenBuffer, _ area: Rect) {
        let g = glyphs, fmt = format, seg = segment
        let inner = Box(title: "Reachable members", glyphs: g).render(into: &buf, area: area)
        guard !inner.isEmpty else { return }
        if model.categories.isEmpty {
            buf.put("No consent categories", in: inner.row(0).inset(dx: 1, dy: 0), role: .muted, ellipsis: g.ellipsis)
            return
        }
        let nameW = ColumnLayout.solve([.init(min: 6, want: model.categories.map { DisplayWidth.of($0.name) }.max() ?? 6, droppable: false),
                                        .init(min: 14, want: 24, fill: 1)], width: inner.width - 2)[0]
        for (r, c) in model.categories.prefix(inner.height).enumerated() {
            let row = inner.row(r).inset(dx: 1, dy: 0)
            let reach = r < seg.reachable.count ? seg.reachable[r] : nil
            let mark = r < seg.reachMarks.count ? seg.reachMarks[r] : .shown
            let withheld = mark.isSuppressed || seg.sizeMark.isSuppressed
            let share = withheld ? nil : reach.flatMap { seg.size > 0 ? Double($0) / Double(seg.size) : nil }
            buf.put(c.name, in: Rect(x: row.x, y: row.y, width: nameW, height: 1), role: .normal, ellipsis: g.ellipsis)
            let reachText = reach.map { model.count($0, mark) } ?? fmt.missing
            // A withheld reach is its mark alone (its share would give it away).
            let label = withheld && reach != nil ? reachText.leftPad(6) : reachText.leftPad(6) + " " + fmt.percent0(share).leftPad(4)
            Gauge(fraction: withheld ? nil : share, label: label, role: withheld ? .muted : ViewModel.coverageRole(share), glyphs: g)
                .render(into: &buf, area: Rect(x: row.x + nameW + 1, y: row.y, width: row.width - nameW - 1, height: 1))
        }
    }

    func feedback(_ buf: inout ScreenBuffer, _ area: Rect) {
        let g = glyphs, fmt = format, seg = segment
        let inner = Box(title: "Members' feedback", glyphs: g).render(into: &buf, area: area)
        guard !inner.isEmpty else { return }
        var r = 0
        if seg.feedback.isEmpty {
            buf.put("No prompts to members", in: inner.row(0).inset(dx: 1, dy: 0), role: .muted, ellipsis: g.ellipsis)
            r = 1
        }
        let shownLoops = Array(seg.feedback.prefix(max(0, inner.height - 1)))
        let texts = shownLoops.map { l in
            model.percent(l.stats.responseRate, l.stats.$responseRate, fmt) + " of " + model.count(l.stats.prompts, l.stats.$prompts)
        }
        let nameW = ColumnLayout.solve([.init(min: 5, want: shownLoops.map { DisplayWidth.of($0.label) }.max() ?? 5, droppable: false),
                                        .fixed(texts.map { DisplayWidth.of($0) }.max() ?? 1)], width: inner.width - 2)[0]
        for (i, l) in shownLoops.enumerated() {
            let row = inner.row(r).inset(dx: 1, dy: 0)
            let (name, rest) = row.splitLeft(nameW)
            buf.put(l.label, in: name, role: .accent, ellipsis: g.ellipsis)
            let text = texts[i]
            buf.put(text, in: rest, align: .right, role: ViewModel.rateRole(l.stats.responseRate), ellipsis: g.ellipsis)
            r += 1
        }
        if r < inner.height {
            let row = inner.row(inner.height - 1 > r ? r : inner.height - 1).inset(dx: 1, dy: 0)
            let label = "NPS " + fmt.nps(seg.nps.nps)
            let lw = buf.put(label, in: row, role: ViewModel.npsRole(seg.nps.nps), ellipsis: g.ellipsis)
            if seg.nps.scored > 0, row.width - lw - 1 >= 6 {
                npsBar(seg.nps, glyphs: g).render(into: &buf, area: Rect(x: row.x + lw + 1, y: row.y, width: row.width - lw - 1, height: 1))
            }
        }
    }

    func overlaps(_ buf: inout ScreenBuffer, _ area: Rect) {
        let g = glyphs, fmt = format, seg = segment
        let inner = Box(title: "Overlap", note: seg.overlaps.isEmpty ? "" : "of this " + g.separator + " of other", glyphs: g)
            .render(into: &buf, area: area)
        guard !inner.isEmpty else { return }
        if seg.overlaps.isEmpty {
            let text = seg.overlapLeftOut
                ? "Left out: computed among the first \(SegmentMetrics.overlapLimit) segments only"
                : "No other segments"
            buf.put(text, in: inner.row(0).inset(dx: 1, dy: 0), role: .muted, ellipsis: g.ellipsis)
            return
        }
        let (shown, more) = OverviewView.visible(seg.overlaps.count, rows: inner.height)
        let cells = seg.overlaps.prefix(shown).map { o -> [String] in
            let hidden = o.sizeMark.isSuppressed
            return [model.count(o.size, o.sizeMark), model.percent0(o.ofThis, withheld: hidden || seg.sizeMark.isSuppressed, fmt),
                    model.percent0(o.ofOther, withheld: hidden, fmt)]
        }
        let colW = (0..<3).map { k in cells.map { DisplayWidth.of($0[k]) }.max() ?? 1 }
        for (r, o) in seg.overlaps.prefix(shown).enumerated() {
            let row = inner.row(r).inset(dx: 1, dy: 0)
            let nums = cells[r][0].leftPad(colW[0]) + " " + cells[r][1].leftPad(colW[1]) + " " + cells[r][2].leftPad(colW[2])
            let nw = DisplayWidth.of(nums)
            buf.put(o.name, in: Rect(x: row.x, y: row.y, width: row.width - nw - 1, height: 1), role: .normal, ellipsis: g.ellipsis)
            buf.put(nums, in: Rect(x: row.maxX - nw, y: row.y, width: nw, height: 1), align: .right, role: .muted, ellipsis: g.ellipsis)
        }
        if more > 0 {
            buf.put("\(g.ellipsis) \(Format.int(more)) more", in: inner.row(shown).inset(dx: 1, dy: 0), role: .muted, ellipsis: g.ellipsis)
        }
    }
}

/// Vertical bars, one per value (two columns and a gap when there is room), eighth-cell resolution
/// with Unicode glyphs. The axis starts a third of the range below the smallest value, so that
/// change shows; callers print the minimum and maximum next to it. Withheld values (nil) are not drawn;
/// partial weeks are drawn dimmed.
struct ColumnChart {
    var series: Series
    var glyphs: Glyphs

    /// Cells per value (bar and gap) for `count` values in `width` cells.
    static func slot(count: Int, width: Int) -> Int { max(1, min(6, width / max(1, count))) }

    func render(into buf: inout ScreenBuffer, area: Rect) {
        let values = series.values
        guard !area.isEmpty, !values.isEmpty else { return }
        let slot = Self.slot(count: values.count, width: area.width)
        let colW = slot >= 3 ? slot - 1 : slot
        let first = max(0, values.count - area.width / slot)
        let known = values[first...].compactMap { $0 }
        let hi = max(known.max() ?? 0, 0), lo = max(0, known.min() ?? 0)
        let base = max(0, lo - (hi - lo) / 3)
        let levels = glyphs.sparkLevels.count
        let unicodeBlocks = glyphs.sparkLevels.last == glyphs.barBlocks.last && levels == 8
        for i in first..<values.count {
            guard let v = values[i] else { continue }
            let role: StyleRole = series.partial.contains(i) ? .muted : .bar
            let units = hi > base ? Int(((max(0, v) - base) / (hi - base) * Double(area.height * levels)).rounded()) : (v > 0 ? area.height * levels : 0)
            for row in 0..<area.height {
                let y = area.maxY - 1 - row
                let here = units - row * levels
                let glyph: String
                if here >= levels { glyph = unicodeBlocks ? glyphs.sparkLevels[levels - 1] : glyphs.barBlocks.last ?? "#" }
                else if here > 0 { glyph = glyphs.sparkLevels[here - 1 + (unicodeBlocks ? 0 : 1)] }
                else if row == 0 { glyph = glyphs.sparkLevels[0] }
                else { continue }
                for k in 0..<colW {
                    buf.put(glyph, x: area.x + (i - first) * slot + k, y: y, clip: area, role: role)
                }
            }
        }
    }

    /// The row under the bars: the partial-week mark under partial weeks, the first and last week's labels.
    func axis(into buf: inout ScreenBuffer, area: Rect, labels: [String], marks: WeekMarks) {
        guard !area.isEmpty, !labels.isEmpty else { return }
        let slot = Self.slot(count: labels.count, width: area.width)
        let first = max(0, labels.count - area.width / slot)
        let short = { (l: String) in String(l.split(separator: "-").last ?? Substring(l)) }
        var used = 0
        let a = short(labels[first]), b = short(labels[labels.count - 1])
        let lastX = (labels.count - 1 - first) * slot
        if marks.partial.contains(first) { buf.put(glyphs.partialWeek, x: area.x, y: area.y, clip: area, role: .muted) }
        let aStart = marks.partial.contains(first) ? 2 : 0
        let tailMark = marks.partial.contains(labels.count - 1)
        if tailMark { buf.put(glyphs.partialWeek, x: area.x + lastX, y: area.y, clip: area, role: .muted) }
        let bEnd = tailMark ? lastX - 2 : lastX + max(0, (slot >= 3 ? slot - 1 : slot) - 1)
        let bStart = bEnd - DisplayWidth.of(b) + 1
        if aStart + DisplayWidth.of(a) < bStart {
            used += buf.put(a, x: area.x + aStart, y: area.y, clip: area, role: .muted)
            buf.put(b, x: area.x + bStart, y: area.y, clip: area, role: .muted)
        }
        // Partial weeks inside the series (a gap in the data never makes one; only the ends can be partial).
        for i in (first + 1)..<max(first + 1, labels.count - 1) where marks.partial.contains(i) {
            buf.put(glyphs.partialWeek, x: area.x + (i - first) * slot, y: area.y, clip: area, role: .muted)
        }
    }
}

extension String {
    /// Pads with spaces on the left to `width` columns.
    func leftPad(_ width: Int) -> String {
        let w = DisplayWidth.of(self)
        return w >= width ? self : String(repeating: " ", count: width - w) + self
    }
}
