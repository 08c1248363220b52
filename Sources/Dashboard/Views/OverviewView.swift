/// View 1: key figures, top segments, response rate per channel, consent gauges, weekly sparklines.
struct OverviewView {
    var state: AppState
    var model: ViewModel

    func render(into buf: inout ScreenBuffer, area: Rect) {
        guard !area.isEmpty else { return }
        let (kpiRow, rest) = area.splitTop(1)
        KPIStrip(items: kpis()).render(into: &buf, area: kpiRow)
        let (topHalf, bottomHalf) = rest.splitTop(rest.height / 2)
        let leftWidth = rest.width / 2
        let (tl, tr) = topHalf.splitLeft(leftWidth)
        let (bl, br) = bottomHalf.splitLeft(leftWidth)
        topSegments(&buf, tl)
        channels(&buf, tr)
        consent(&buf, bl)
        weekly(&buf, br)
    }

    func kpis() -> [KPIStrip.Item] {
        let m = model, g = state.glyphs
        var items: [KPIStrip.Item] = [
            .init(label: "persons", value: m.count(m.store.persons, m.store.$persons)),
            .init(label: "events", value: Format.int(m.store.events)),
        ]
        if let a = m.firstDay, let b = m.lastDay {
            items.append(.init(label: "", value: a + " " + g.arrow + " " + b))
        }
        if let nps = m.nps.nps { items.append(.init(label: "NPS", value: state.format.nps(nps), role: ViewModel.npsRole(nps))) }
        if m.store.malformed > 0 {
            items.append(.init(label: "malformed", value: Format.int(m.store.malformed), role: .warn))
        }
        return items
    }

    func topSegments(_ buf: inout ScreenBuffer, _ area: Rect) {
        let g = state.glyphs
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
        let top = model.segments.enumerated().sorted { $0.element.size != $1.element.size ? $0.element.size > $1.element.size : $0.offset < $1.offset }
            .prefix(inner.height).map(\.element)
        let largest = max(1, top.first?.size ?? 1)
        let numW = 7 + 1 + 6
        let nameW = max(6, min(20, inner.width * 2 / 5))
        let barW = inner.width - 2 - nameW - 1 - numW - 1
        for (r, seg) in top.enumerated() {
            let row = inner.row(r).inset(dx: 1, dy: 0)
            buf.put(seg.name, in: Rect(x: row.x, y: row.y, width: nameW, height: 1), role: .normal, ellipsis: g.ellipsis)
            if barW >= 3 {
                Bar(fraction: Double(seg.size) / Double(largest), glyphs: g)
                    .render(into: &buf, area: Rect(x: row.x + nameW + 1, y: row.y, width: barW, height: 1))
            }
            let nums = Rect(x: row.maxX - numW, y: row.y, width: numW, height: 1)
            buf.put(model.count(seg.size, seg.sizeMark), in: nums.splitLeft(7).left, align: .right, role: .normal, ellipsis: g.ellipsis)
            buf.put(state.format.percent(seg.share), in: nums.splitLeft(8).rest, align: .right, role: .muted, ellipsis: g.ellipsis)
        }
    }

    func channels(_ buf: inout ScreenBuffer, _ area: Rect) {
        let g = state.glyphs, fmt = state.format
        let inner = Box(title: "Response rate by channel", note: model.channels.isEmpty ? "" : "3 for all", glyphs: g)
            .render(into: &buf, area: area)
        guard !inner.isEmpty else { return }
        if model.channels.isEmpty {
            buf.put("No feedback prompts", in: inner.row(0).inset(dx: 1, dy: 0), role: .muted, ellipsis: g.ellipsis)
            return
        }
        let nameW = max(5, min(10, inner.width / 4))
        let numW = 6 + 1 + 8
        let barW = inner.width - 2 - nameW - 1 - numW - 1
        let reserve = model.nps.scored > 0 && inner.height >= model.channels.count + 2 ? 2 : 0
        for (r, c) in model.channels.prefix(max(0, inner.height - reserve)).enumerated() {
            let row = inner.row(r).inset(dx: 1, dy: 0)
            buf.put(c.label, in: Rect(x: row.x, y: row.y, width: nameW, height: 1), role: .accent, ellipsis: g.ellipsis)
            if barW >= 3 {
                Bar(fraction: c.stats.responseRate ?? 0, glyphs: g)
                    .render(into: &buf, area: Rect(x: row.x + nameW + 1, y: row.y, width: barW, height: 1))
            }
            let nums = Rect(x: row.maxX - numW, y: row.y, width: numW, height: 1)
            buf.put(fmt.percent(c.stats.responseRate), in: nums.splitLeft(6).left, align: .right,
                    role: ViewModel.rateRole(c.stats.responseRate), ellipsis: g.ellipsis)
            buf.put("of " + model.count(c.stats.prompts, c.stats.$prompts), in: nums.splitLeft(7).rest, align: .right, role: .muted, ellipsis: g.ellipsis)
        }
        if reserve > 0 {
            let row = inner.row(inner.height - 1).inset(dx: 1, dy: 0)
            let n = model.nps
            let label = "NPS " + fmt.nps(n.nps)
            let lw = buf.put(label, in: row, role: ViewModel.npsRole(n.nps), ellipsis: g.ellipsis)
            let tail = " " + model.count(n.scored, n.$scored) + " scored"
            let tw = DisplayWidth.of(tail)
            let barArea = Rect(x: row.x + lw + 1, y: row.y, width: row.width - lw - 1 - tw, height: 1)
            if barArea.width >= 6 {
                npsBar(n, glyphs: g).render(into: &buf, area: barArea)
                buf.put(tail, in: Rect(x: row.maxX - tw, y: row.y, width: tw, height: 1), align: .right, role: .muted, ellipsis: g.ellipsis)
            }
        }
    }

    func consent(_ buf: inout ScreenBuffer, _ area: Rect) {
        let g = state.glyphs, fmt = state.format
        let inner = Box(title: "Consent coverage", note: model.categories.isEmpty ? "" : "4 for all", glyphs: g)
            .render(into: &buf, area: area)
        guard !inner.isEmpty else { return }
        if model.categories.isEmpty {
            buf.put("No consent preferences seen", in: inner.row(0).inset(dx: 1, dy: 0), role: .muted, ellipsis: g.ellipsis)
            return
        }
        let nameW = max(6, min(14, inner.width / 3))
        for (r, c) in model.categories.prefix(inner.height).enumerated() {
            let row = inner.row(r).inset(dx: 1, dy: 0)
            buf.put(c.name, in: Rect(x: row.x, y: row.y, width: nameW, height: 1), role: .normal, ellipsis: g.ellipsis)
            Gauge(fraction: c.coverage, label: fmt.percent(c.coverage), role: ViewModel.coverageRole(c.coverage), glyphs: g)
                .render(into: &buf, area: Rect(x: row.x + nameW + 1, y: row.y, width: row.width - nameW - 1, height: 1))
        }
    }

    func weekly(_ buf: inout ScreenBuffer, _ area: Rect) {
        let g = state.glyphs, fmt = state.format, w = model.weekly
        var title = "Weekly"
        if let a = w.firstWeek, let b = w.lastWeek { title += " " + a + " " + g.arrow + " " + b }
        let inner = Box(title: title, glyphs: g).render(into: &buf, area: area)
        guard !inner.isEmpty else { return }
        if w.weeks == 0 {
            buf.put("No events yet", in: inner.row(0).inset(dx: 1, dy: 0), role: .muted, ellipsis: g.ellipsis)
            return
        }
        var series: [(String, [Double], String)] = [
            ("persons", w.persons, w.lastPersons.map { model.count($0, w.lastPersonsMark) } ?? fmt.missing),
            ("prompts", w.prompts, w.lastPrompts.map { model.count($0, w.lastPromptsMark) } ?? fmt.missing),
            ("response", w.responseRate, fmt.percent(w.lastResponseRate)),
        ]
        for c in model.categories {
            series.append((c.name, c.trend, fmt.percent(c.trend.last)))
        }
        let labelW = max(8, min(12, series.map { DisplayWidth.of($0.0) }.max() ?? 8)), valueW = 8
        for (r, sr) in series.prefix(inner.height).enumerated() {
            let row = inner.row(r).inset(dx: 1, dy: 0)
            buf.put(sr.0, in: Rect(x: row.x, y: row.y, width: labelW, height: 1), role: .muted, ellipsis: g.ellipsis)
            let sparkW = row.width - labelW - 1 - valueW - 1
            if sparkW > 0 {
                Sparkline(values: sr.1, glyphs: g).render(into: &buf, area: Rect(x: row.x + labelW + 1, y: row.y, width: sparkW, height: 1))
            }
            buf.put(sr.2, in: Rect(x: row.maxX - valueW, y: row.y, width: valueW, height: 1), align: .right, role: .normal, ellipsis: g.ellipsis)
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

/// One line of labelled figures (`persons 48,210   events 1,204,332 …`); items that do not fit are left out.
struct KPIStrip {
    struct Item {
        var label: String
        var value: String
        var role: StyleRole = .accent
    }
    var items: [Item]

    func render(into buf: inout ScreenBuffer, area: Rect) {
        guard !area.isEmpty else { return }
        var x = area.x + 1
        for it in items {
            let w = (it.label.isEmpty ? 0 : DisplayWidth.of(it.label) + 1) + DisplayWidth.of(it.value)
            if x + w > area.maxX { break }
            if !it.label.isEmpty {
                x += buf.put(it.label, x: x, y: area.y, clip: area, role: .muted) + 1
            }
            x += buf.put(it.value, x: x, y: area.y, clip: area, role: it.role)
            x += 3
        }
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
