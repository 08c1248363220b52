import Analytics

/// View 2: the segment table (size, share, weekly change, trend, reachable for a consent category).
struct SegmentsView {
    var state: AppState
    var model: ViewModel

    /// The table's area (inside the box) for a content area.
    static func tableArea(_ content: Rect) -> Rect { content.inset(dx: 1, dy: 1) }

    func render(into buf: inout ScreenBuffer, area: Rect) {
        guard let t = model.tables[.segments], let st = state.tables[.segments] else { return }
        let g = state.glyphs
        let widget = TableWidget(model: t, state: st, focused: true, glyphs: g)
        let cat = model.categories.indices.contains(state.categoryIndex) ? model.categories[state.categoryIndex].name : nil
        let extra = cat.map { "reach: \($0) (c)" } ?? ""
        let inner = Box(title: widget.title(extra: extra), note: widget.positionNote, focused: true, glyphs: g)
            .render(into: &buf, area: area)
        widget.render(into: &buf, area: inner)
    }
}

/// The segment opened with Enter: rule, size over time, consent inside it, its members' feedback, overlaps.
struct SegmentDetailView {
    var state: AppState
    var model: ViewModel
    var segment: SegmentInfo

    func render(into buf: inout ScreenBuffer, area: Rect) {
        guard !area.isEmpty else { return }
        let g = state.glyphs, fmt = state.format, seg = segment
        // Title line.
        let row0 = area.row(0)
        var x = row0.x + 1
        x += buf.put("Segments " + g.arrow + " ", x: x, y: row0.y, clip: row0, role: .muted)
        let nameRoom = max(4, row0.maxX - x - 40)
        x += buf.put(seg.name, in: Rect(x: x, y: row0.y, width: nameRoom, height: 1), role: .title, ellipsis: g.ellipsis)
        var facts = "  " + model.count(seg.size, seg.sizeMark) + " persons"
        if let sh = seg.share { facts += " " + g.separator + " " + fmt.percent(sh) + " of all" }
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
        let g = state.glyphs, seg = segment
        var title = "Size by week"
        if let a = seg.firstWeek, let b = seg.lastWeek { title += " " + a + " " + g.arrow + " " + b }
        let inner = Box(title: title, glyphs: g).render(into: &buf, area: area)
        guard !inner.isEmpty else { return }
        if seg.weekly.isEmpty {
            buf.put("No weekly sizes", in: inner.row(0).inset(dx: 1, dy: 0), role: .muted, ellipsis: g.ellipsis)
            return
        }
        let chart = Rect(x: inner.x + 1, y: inner.y, width: inner.width - 2, height: max(1, inner.height - 1))
        ColumnChart(values: seg.weekly, glyphs: g).render(into: &buf, area: chart)
        if inner.height >= 2 {
            let low = seg.weekly.min() ?? 0, high = seg.weekly.max() ?? 0
            let text = "min \(Format.int(Int(low)))  max \(Format.int(Int(high)))  now \(Format.int(seg.size))"
            buf.put(text, in: inner.row(inner.height - 1).inset(dx: 1, dy: 0), role: .muted, ellipsis: g.ellipsis)
        }
    }

    func consentInside(_ buf: inout ScreenBuffer, _ area: Rect) {
        let g = state.glyphs, fmt = state.format, seg = segment
        let inner = Box(title: "Reachable members", glyphs: g).render(into: &buf, area: area)
        guard !inner.isEmpty else { return }
        if model.categories.isEmpty {
            buf.put("No consent categories", in: inner.row(0).inset(dx: 1, dy: 0), role: .muted, ellipsis: g.ellipsis)
            return
        }
        let nameW = max(6, min(12, inner.width / 3))
        for (r, c) in model.categories.prefix(inner.height).enumerated() {
            let row = inner.row(r).inset(dx: 1, dy: 0)
            let reach = r < seg.reachable.count ? seg.reachable[r] : nil
            let mark = r < seg.reachMarks.count ? seg.reachMarks[r] : .shown
            let withheld = mark.isSuppressed || seg.sizeMark.isSuppressed
            let share = withheld ? nil : reach.flatMap { seg.size > 0 ? Double($0) / Double(seg.size) : nil }
            buf.put(c.name, in: Rect(x: row.x, y: row.y, width: nameW, height: 1), role: .normal, ellipsis: g.ellipsis)
            let reachText = reach.map { model.count($0, mark) } ?? fmt.missing
            let label = reachText.leftPad(6) + " " + (withheld ? "" : fmt.percent0(share)).leftPad(4)
            Gauge(fraction: share, label: label, role: ViewModel.coverageRole(share), glyphs: g)
                .render(into: &buf, area: Rect(x: row.x + nameW + 1, y: row.y, width: row.width - nameW - 1, height: 1))
        }
    }

    func feedback(_ buf: inout ScreenBuffer, _ area: Rect) {
        let g = state.glyphs, fmt = state.format, seg = segment
        let inner = Box(title: "Members' feedback", glyphs: g).render(into: &buf, area: area)
        guard !inner.isEmpty else { return }
        var r = 0
        if seg.feedback.isEmpty {
            buf.put("No prompts to members", in: inner.row(0).inset(dx: 1, dy: 0), role: .muted, ellipsis: g.ellipsis)
            r = 1
        }
        for l in seg.feedback.prefix(max(0, inner.height - 1)) {
            let row = inner.row(r).inset(dx: 1, dy: 0)
            let (name, rest) = row.splitLeft(min(10, row.width / 3))
            buf.put(l.label, in: name, role: .accent, ellipsis: g.ellipsis)
            let text = (model.privacy.label(l.stats.$responseRate) ?? fmt.percent(l.stats.responseRate)) + " of "
                + model.count(l.stats.prompts, l.stats.$prompts)
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
        let g = state.glyphs, fmt = state.format, seg = segment
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
        for (r, o) in seg.overlaps.prefix(inner.height).enumerated() {
            let row = inner.row(r).inset(dx: 1, dy: 0)
            let nums = model.count(o.size, o.sizeMark).leftPad(6) + " " + fmt.percent0(o.ofThis).leftPad(4) + " " + fmt.percent0(o.ofOther).leftPad(4)
            let nw = DisplayWidth.of(nums)
            buf.put(o.name, in: Rect(x: row.x, y: row.y, width: row.width - nw - 1, height: 1), role: .normal, ellipsis: g.ellipsis)
            buf.put(nums, in: Rect(x: row.maxX - nw, y: row.y, width: nw, height: 1), align: .right, role: .muted, ellipsis: g.ellipsis)
        }
    }
}

/// Vertical bars, one per value (two columns and a gap when there is room), eighth-cell resolution
/// with Unicode glyphs. The axis starts a third of the range below the smallest value, so that
/// change shows; callers print the minimum and maximum next to it.
struct ColumnChart {
    var values: [Double]
    var glyphs: Glyphs

    func render(into buf: inout ScreenBuffer, area: Rect) {
        guard !area.isEmpty, !values.isEmpty else { return }
        let slot = max(1, min(6, area.width / values.count))
        let colW = slot >= 3 ? slot - 1 : slot
        let shown = Array(values.suffix(area.width / slot))
        let hi = max(shown.max() ?? 0, 0), lo = max(0, shown.min() ?? 0)
        let base = max(0, lo - (hi - lo) / 3)
        let levels = glyphs.sparkLevels.count
        let unicodeBlocks = glyphs.sparkLevels.last == glyphs.barBlocks.last && levels == 8
        for (i, v) in shown.enumerated() {
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
                    buf.put(glyph, x: area.x + i * slot + k, y: y, clip: area, role: .bar)
                }
            }
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
