/// View 1: key figures, top segments, response rate per channel, consent gauges, weekly sparklines.
/// It draws the data it is given: the view model, the glyphs and the number format.
struct OverviewView {
    var model: ViewModel
    var glyphs: Glyphs
    var format: Format

    func render(into buf: inout ScreenBuffer, area: Rect) {
        guard !area.isEmpty else { return }
        let (kpiRow, rest) = area.splitTop(1)
        KPIStrip(items: kpis(), ellipsis: glyphs.ellipsis).render(into: &buf, area: kpiRow)
        let (topHalf, bottomHalf) = rest.splitTop(rest.height / 2)
        let leftWidth = rest.width / 2
        let (tl, tr) = topHalf.splitLeft(leftWidth)
        let (bl, br) = bottomHalf.splitLeft(leftWidth)
        topSegments(&buf, tl)
        channels(&buf, tr)
        consent(&buf, bl)
        weekly(&buf, br)
    }

    /// The key figures, most important first (the strip drops from the end when narrow and says so): a warning
    /// such as malformed lines goes before the date range, which the Weekly panel's title repeats.
    func kpis() -> [KPIStrip.Item] {
        let m = model, g = glyphs
        var items: [KPIStrip.Item] = [
            .init(label: "persons", value: m.count(m.store.persons, m.store.$persons)),
            .init(label: "events", value: Format.int(m.store.events)),
        ]
        if let nps = m.nps.nps { items.append(.init(label: "NPS", value: format.nps(nps), role: ViewModel.npsRole(nps))) }
        if m.store.malformed > 0 {
            items.append(.init(label: "malformed", value: Format.int(m.store.malformed), role: .warn))
        }
        if let a = m.firstDay, let b = m.lastDay {
            items.append(.init(label: "", value: a + " " + g.arrow + " " + b))
        }
        return items
    }

    /// Rows of a panel: all of them when they fit, else as many as fit and a last row `… N more` (never a silent cut).
    static func visible(_ count: Int, rows: Int) -> (shown: Int, more: Int) {
        guard rows > 0 else { return (0, count) }
        return count <= rows ? (count, 0) : (rows - 1, count - rows + 1)
    }

    /// Writes `… N more · 2 for all` in a panel row.
    func moreRow(_ buf: inout ScreenBuffer, _ row: Rect, _ more: Int, key: String) {
        let g = glyphs
        buf.put("\(g.ellipsis) \(Format.int(more)) more" + (key.isEmpty ? "" : " " + g.separator + " " + key), in: row,
                role: .muted, ellipsis: g.ellipsis)
    }

    /// One row of a panel list: a label, a bar (nil: none, e.g. withheld), a value and a muted note, right-aligned.
    struct BarRow {
        var label: String
        var labelRole: StyleRole
        var fraction: Double?
        var value: String
        var valueRole: StyleRole
        var note: String
    }

    /// Draws `rows` one per line of `inner` (inset by one): the label gets what it needs first (at least
    /// `labelMin`), the value and note their widest, the bar fills what is left (``ColumnLayout/solve``).
    func barRows(_ buf: inout ScreenBuffer, _ inner: Rect, labelMin: Int, _ rows: [BarRow]) {
        let g = glyphs
        let widths = ColumnLayout.solve([
            .init(min: labelMin, want: rows.map { DisplayWidth.of($0.label) }.max() ?? labelMin, droppable: false),
            .init(min: 3, want: 10, fill: 1),
            .fixed(rows.map { DisplayWidth.of($0.value) }.max() ?? 1),
            .fixed(rows.map { DisplayWidth.of($0.note) }.max() ?? 1),
        ], width: inner.width - 2)
        let xs = ColumnLayout.offsets(widths)
        for (r, item) in rows.enumerated() {
            let row = inner.row(r).inset(dx: 1, dy: 0)
            func field(_ i: Int) -> Rect { Rect(x: row.x + xs[i], y: row.y, width: widths[i], height: 1) }
            buf.put(item.label, in: field(0), role: item.labelRole, ellipsis: g.ellipsis)
            if widths[1] > 0, let f = item.fraction { Bar(fraction: f, glyphs: g).render(into: &buf, area: field(1)) }
            if widths[2] > 0 { buf.put(item.value, in: field(2), align: .right, role: item.valueRole, ellipsis: g.ellipsis) }
            if widths[3] > 0 { buf.put(item.note, in: field(3), align: .right, role: .muted, ellipsis: g.ellipsis) }
        }
    }

    func topSegments(_ buf: inout ScreenBuffer, _ area: Rect) {
        let g = glyphs
        let inner = Box(title: "Top segments", note: model.segments.isEmpty ? "" : "2 for all", glyphs: g).render(into: &buf, area: area)
        guard !inner.isEmpty else { return }
        if model.segments.isEmpty {
            // The hint, wrapped over the box's rows (it names the flag and where earshot looked).
            let width = max(1, inner.width - 2)
            for (row, text) in wrapWords(model.segmentsHint, width: width).prefix(inner.height).enumerated() {
                buf.put(text, in: inner.row(row).inset(dx: 1, dy: 0), role: .muted, ellipsis: g.ellipsis)
            }
            return
        }
        let (shown, more) = Self.visible(model.segments.count, rows: inner.height)
        let top = model.segments.enumerated().sorted { $0.element.size != $1.element.size ? $0.element.size > $1.element.size : $0.offset < $1.offset }
            .prefix(shown).map(\.element)
        let largest = max(1, top.first(where: { !$0.sizeMark.isSuppressed })?.size ?? 1)
        barRows(&buf, inner, labelMin: 6, top.map { seg in
            BarRow(label: seg.name, labelRole: .normal,
                   fraction: seg.sizeMark.isSuppressed ? nil : Double(seg.size) / Double(largest),
                   value: model.count(seg.size, seg.sizeMark), valueRole: seg.sizeMark.isSuppressed ? .muted : .normal,
                   note: model.percent(seg.share, withheld: seg.share == nil && seg.sizeMark.isSuppressed, format))
        })
        if more > 0 { moreRow(&buf, inner.row(shown).inset(dx: 1, dy: 0), more, key: "2 for all") }
    }

    func channels(_ buf: inout ScreenBuffer, _ area: Rect) {
        let g = glyphs, fmt = format
        let inner = Box(title: "Response rate by channel", note: model.channels.isEmpty ? "" : "3 for all", glyphs: g)
            .render(into: &buf, area: area)
        guard !inner.isEmpty else { return }
        if model.channels.isEmpty {
            buf.put("No feedback prompts", in: inner.row(0).inset(dx: 1, dy: 0), role: .muted, ellipsis: g.ellipsis)
            return
        }
        let reserve = (model.nps.scored > 0 || model.nps.$scored.isSuppressed) && inner.height >= model.channels.count + 2 ? 2 : 0
        let (shown, more) = Self.visible(model.channels.count, rows: inner.height - reserve)
        let list = Array(model.channels.prefix(shown))
        barRows(&buf, inner, labelMin: 5, list.map { c in
            BarRow(label: c.label, labelRole: .accent,
                   fraction: c.stats.$responseRate.isSuppressed ? nil : c.stats.responseRate,
                   value: model.percent(c.stats.responseRate, c.stats.$responseRate, fmt),
                   valueRole: c.stats.$responseRate.isSuppressed ? .muted : ViewModel.rateRole(c.stats.responseRate),
                   note: "of " + model.count(c.stats.prompts, c.stats.$prompts))
        })
        if more > 0 { moreRow(&buf, inner.row(shown).inset(dx: 1, dy: 0), more, key: "3 for all") }
        if reserve > 0 {
            let row = inner.row(inner.height - 1).inset(dx: 1, dy: 0)
            let n = model.nps
            let label = "NPS " + (model.privacy.label(n.$nps) ?? fmt.nps(n.nps))
            let lw = buf.put(label, in: row, role: ViewModel.npsRole(n.nps), ellipsis: g.ellipsis)
            let tail = " " + model.count(n.scored, n.$scored) + " scored"
            let tw = DisplayWidth.of(tail)
            let barArea = Rect(x: row.x + lw + 1, y: row.y, width: row.width - lw - 1 - tw, height: 1)
            if barArea.width >= 6 {
                if !(n.$promoters.isSuppressed || n.$passives.isSuppressed || n.$detractors.isSuppressed) {
                    npsBar(n, glyphs: g).render(into: &buf, area: barArea)
                }
                buf.put(tail, in: Rect(x: row.maxX - tw, y: row.y, width: tw, height: 1), align: .right, role: .muted, ellipsis: g.ellipsis)
            }
        }
    }

    func consent(_ buf: inout ScreenBuffer, _ area: Rect) {
        let g = glyphs, fmt = format
        let inner = Box(title: "Consent coverage", note: model.categories.isEmpty ? "" : "4 for all", glyphs: g)
            .render(into: &buf, area: area)
        guard !inner.isEmpty else { return }
        if model.categories.isEmpty {
            buf.put("No consent preferences seen", in: inner.row(0).inset(dx: 1, dy: 0), role: .muted, ellipsis: g.ellipsis)
            return
        }
        let (shown, more) = Self.visible(model.categories.count, rows: inner.height)
        let list = Array(model.categories.prefix(shown))
        let labels = list.map { model.percent($0.coverage, $0.coverageMark, fmt) }
        let widths = ColumnLayout.solve([
            .init(min: 6, want: list.map { DisplayWidth.of($0.name) }.max() ?? 6, droppable: false),
            .init(min: 3, want: 10, fill: 1),
            .fixed(labels.map { DisplayWidth.of($0) }.max() ?? 1),
        ], width: inner.width - 2, spare: 1)
        let xs = ColumnLayout.offsets(widths)
        for (r, c) in list.enumerated() {
            let row = inner.row(r).inset(dx: 1, dy: 0)
            func field(_ i: Int) -> Rect { Rect(x: row.x + xs[i], y: row.y, width: widths[i], height: 1) }
            buf.put(c.name, in: field(0), role: .normal, ellipsis: g.ellipsis)
            let role = c.coverageMark.isSuppressed ? StyleRole.muted : ViewModel.coverageRole(c.coverage)
            if widths[1] > 0 && !c.coverageMark.isSuppressed {
                // The gauge without its label (the label has its own column, so that the numbers line up).
                Gauge(fraction: c.coverage, label: "", role: role, glyphs: g).render(into: &buf, area: field(1))
            }
            if widths[2] > 0 { buf.put(labels[r], in: field(2), align: .right, role: role, ellipsis: g.ellipsis) }
        }
        if more > 0 { moreRow(&buf, inner.row(shown).inset(dx: 1, dy: 0), more, key: "4 for all") }
    }

    func weekly(_ buf: inout ScreenBuffer, _ area: Rect) {
        let g = glyphs, fmt = format, w = model.weekly
        var title = "Weekly (UTC)"
        if let a = w.firstWeek, let b = w.lastWeek { title += " " + a + " " + g.arrow + " " + b }
        let legend = w.marks.partial.isEmpty && w.marks.pending.isEmpty ? ""
            : g.partialWeek + " partial " + g.pendingWeek + " not final"
        let inner = Box(title: title, note: legend, glyphs: g).render(into: &buf, area: area)
        guard !inner.isEmpty else { return }
        if w.weeks == 0 {
            buf.put("No events yet", in: inner.row(0).inset(dx: 1, dy: 0), role: .muted, ellipsis: g.ellipsis)
            return
        }
        // The figure shown is the last complete week's: a partial week is never the number next to the line.
        let last = w.marks.lastComplete(count: w.weeks)
        func at<T>(_ a: [T], _ i: Int?) -> T? { i.flatMap { a.indices.contains($0) ? a[$0] : nil } }
        let countText: ([Double?], [Suppression]) -> String = { values, marks in
            guard let i = last else { return fmt.missing }
            if let m = at(marks, i), m.isSuppressed { return model.privacy.label(m) ?? model.withheldShare }
            return at(values, i).flatMap { $0 }.map { Format.int(Int($0)) } ?? fmt.missing
        }
        let shareText: ([Double?], [Suppression]) -> String = { values, marks in
            guard let i = last else { return fmt.missing }
            return model.percent(at(values, i).flatMap { $0 }, at(marks, i) ?? .shown, fmt)
        }
        var series: [(String, Series, String)] = [
            ("persons", Series(w.persons, partial: w.marks.partial), countText(w.persons, w.personsMarks)),
            ("prompts", Series(w.prompts, partial: w.marks.partial), countText(w.prompts, w.promptsMarks)),
            ("response", Series(w.responseRate, partial: w.marks.partial), shareText(w.responseRate, w.rateMarks)),
        ]
        for c in model.categories {
            series.append((c.name, Series(c.trend, partial: w.marks.partial), shareText(c.trend, c.trendMarks)))
        }
        // One row for the week axis (when there is a row to spare), then the series; the cut is said.
        let axis = inner.height >= 2
        let (shown, more) = Self.visible(series.count, rows: inner.height - (axis ? 1 : 0))
        let weekOfValue = last.map { String(w.labels[$0].split(separator: "-").last ?? "") } ?? ""
        let widths = ColumnLayout.solve([
            .init(min: 6, want: max(9, series.map { DisplayWidth.of($0.0) }.max() ?? 8), droppable: false),
            .init(min: min(w.weeks, 5), want: w.weeks, fill: 1, max: w.weeks * 4),
            .fixed(max(DisplayWidth.of(weekOfValue), series.map { DisplayWidth.of($0.2) }.max() ?? 1)),
        ], width: inner.width - 2, spare: 2)
        let xs = ColumnLayout.offsets(widths)
        for (r, sr) in series.prefix(shown).enumerated() {
            let row = inner.row(r).inset(dx: 1, dy: 0)
            func field(_ i: Int) -> Rect { Rect(x: row.x + xs[i], y: row.y, width: widths[i], height: 1) }
            buf.put(sr.0, in: field(0), role: .muted, ellipsis: g.ellipsis)
            if widths[1] > 0 { Sparkline(series: sr.1, glyphs: g).render(into: &buf, area: field(1)) }
            if widths[2] > 0 { buf.put(sr.2, in: field(2), align: .right, role: .normal, ellipsis: g.ellipsis) }
        }
        if more > 0 { moreRow(&buf, inner.row(shown).inset(dx: 1, dy: 0), more, key: "") }
        if axis {
            let row = inner.row(inner.height - 1).inset(dx: 1, dy: 0)
            func field(_ i: Int) -> Rect { Rect(x: row.x + xs[i], y: row.y, width: widths[i], height: 1) }
            buf.put("UTC weeks", in: field(0), role: .muted, ellipsis: g.ellipsis)
            if widths[1] > 0 {
                WeekAxis(labels: w.labels, marks: w.marks, glyphs: g).render(into: &buf, area: field(1))
            }
            if widths[2] > 0 { buf.put(weekOfValue, in: field(2), align: .right, role: .muted, ellipsis: g.ellipsis) }
        }
    }
}

/// Promoters (good), passives (warn), detractors (bad) side by side.
func npsBar(_ n: NPSStats, glyphs g: Glyphs) -> StackedBar {
    StackedBar(parts: [(Double(n.promoters), .good, g.shades[g.shades.count - 1]),
                       (Double(n.passives), .warn, g.shades[min(1, g.shades.count - 1)]),
                       (Double(n.detractors), .bad, g.shades[0])], glyphs: g)
}

import Analytics

/// One line of labelled figures (`persons 48,210   events 1,204,332 …`); when they do not fit the gaps narrow, then
/// items are left out from the end and a `…` says so.
struct KPIStrip {
    struct Item {
        var label: String
        var value: String
        var role: StyleRole = .accent
    }
    var items: [Item]

    /// The widths of the items and the gap between them: three spaces, two when that makes everything fit.
    func fit(_ width: Int) -> (count: Int, gap: Int) {
        let widths = items.map { (it: Item) in (it.label.isEmpty ? 0 : DisplayWidth.of(it.label) + 1) + DisplayWidth.of(it.value) }
        for gap in [3, 2] {
            let total = widths.reduce(0, +) + gap * max(0, widths.count - 1)
            if total <= width { return (widths.count, gap) }
        }
        // Drop from the end, leaving room for the "…" that says so.
        var n = widths.count
        while n > 0 && widths.prefix(n).reduce(0, +) + 2 * max(0, n - 1) + 2 > width { n -= 1 }
        return (n, 2)
    }

    var ellipsis = "…"

    func render(into buf: inout ScreenBuffer, area: Rect) {
        guard !area.isEmpty else { return }
        var x = area.x + 1
        let (count, gap) = fit(area.width - 1)
        for it in items.prefix(count) {
            if !it.label.isEmpty {
                x += buf.put(it.label, x: x, y: area.y, clip: area, role: .muted) + 1
            }
            x += buf.put(it.value, x: x, y: area.y, clip: area, role: it.role)
            x += gap
        }
        if count < items.count { buf.put(ellipsis, x: x - gap + 1, y: area.y, clip: area, role: .muted) }
    }
}

/// `text` broken at spaces into lines of at most `width` columns (a longer word is cut by the caller).
func wrapWords(_ text: String, width: Int) -> [String] {
    var lines: [String] = []
    var line = ""
    for word in text.split(separator: " ", omittingEmptySubsequences: true) {
        let candidate = line.isEmpty ? String(word) : line + " " + word
        if DisplayWidth.of(candidate) <= width || line.isEmpty {
            line = candidate
        } else {
            lines.append(line)
            line = String(word)
        }
    }
    if !line.isEmpty { lines.append(line) }
    return lines
}
