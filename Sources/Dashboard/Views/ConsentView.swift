import Analytics
/// View 4: granted / denied / unknown per category, coverage trend, events collected without consent,
/// and the segment × category table of reachable shares.
struct ConsentView {
    var state: AppState
    var model: ViewModel

    struct Areas { var categories: Rect; var without: Rect; var table: Rect; var tableBox: Rect }

    static func layout(_ content: Rect, _ m: ViewModel) -> Areas {
        let topH = min(max(6, m.categories.count + 3), max(6, content.height / 2))
        let (top, bottom) = content.splitTop(topH)
        let sideW = top.width >= 70 ? 28 : 0
        let (cats, side) = top.splitLeft(top.width - sideW)
        return Areas(categories: cats, without: side, table: bottom.inset(dx: 1, dy: 1), tableBox: bottom)
    }

    func render(into buf: inout ScreenBuffer, area: Rect) {
        guard let t = model.tables[.consent], let st = state.tables[.consent] else { return }
        let g = state.glyphs
        let a = Self.layout(area, model)
        categories(&buf, a.categories)
        withoutConsent(&buf, a.without)
        let widget = TableWidget(model: t, state: st, focused: true, glyphs: g)
        Box(title: widget.title(), note: widget.positionNote, focused: true, glyphs: g).render(into: &buf, area: a.tableBox)
        widget.render(into: &buf, area: a.table)
    }

    func categories(_ buf: inout ScreenBuffer, _ area: Rect) {
        let g = state.glyphs, fmt = state.format
        let full = g.shades[g.shades.count - 1], mid = g.shades[min(1, g.shades.count - 1)], light = g.shades[0]
        let legend = "\(full) granted \(mid) denied \(light) unknown"
        let inner = Box(title: "Consent by category (persons)", note: legend, glyphs: g).render(into: &buf, area: area)
        guard !inner.isEmpty else { return }
        if model.categories.isEmpty {
            buf.put("No consent preferences seen (context.consent.categoryPreferences)", in: inner.row(0).inset(dx: 1, dy: 0),
                    role: .muted, ellipsis: g.ellipsis)
            return
        }
        let nameW = max(6, min(14, model.categories.map { DisplayWidth.of($0.name) }.max() ?? 8))
        let numW = 6, trendW = inner.width >= 60 ? 10 : 0
        let fixed = 1 + nameW + 1 + 3 * (numW + 1) + (trendW > 0 ? trendW + 1 : 0)
        let barW = inner.width - fixed - 1
        // Header.
        let header = inner.row(0)
        buf.fill(header, role: .header)
        var x = header.x + 1 + nameW + 1
        buf.put("CATEGORY", in: Rect(x: header.x + 1, y: header.y, width: nameW, height: 1), role: .header, ellipsis: g.ellipsis)
        if barW >= 4 { x += barW + 1 }
        for title in ["GRANT", "DENY", "UNKN"] {
            buf.put(title, in: Rect(x: x, y: header.y, width: numW, height: 1), align: .right, role: .header, ellipsis: g.ellipsis)
            x += numW + 1
        }
        if trendW > 0 { buf.put("TREND", in: Rect(x: x, y: header.y, width: trendW, height: 1), role: .header, ellipsis: g.ellipsis) }
        for (i, c) in model.categories.prefix(inner.height - 1).enumerated() {
            let row = inner.row(i + 1)
            var x = row.x + 1
            buf.put(c.name, in: Rect(x: x, y: row.y, width: nameW, height: 1), role: .normal, ellipsis: g.ellipsis)
            x += nameW + 1
            if barW >= 4 {
                // A withheld part is not drawn on its own: what the shown parts leave is drawn blank.
                let shownParts = [(Double(c.granted), StyleRole.good, full), (Double(c.denied), .bad, mid), (Double(c.unknown), .muted, light)]
                    .enumerated().map { c.marks[$0.offset].isSuppressed ? (0, $0.element.1, $0.element.2) : $0.element }
                let rest = Double(c.total) - shownParts.reduce(0) { $0 + $1.0 }
                StackedBar(parts: shownParts + [(max(0, rest), .muted, " ")], glyphs: g).render(into: &buf, area: Rect(x: x, y: row.y, width: barW, height: 1))
                x += barW + 1
            }
            let total = c.total
            let shares: [(Int, StyleRole)] = [(c.granted, ViewModel.coverageRole(c.coverage)), (c.denied, .normal), (c.unknown, .muted)]
            for (i, (n, role)) in shares.enumerated() {
                let text = model.privacy.label(c.marks[i]) ?? (total > 0 ? fmt.percent0(Double(n) / Double(total)) : fmt.missing)
                buf.put(text, in: Rect(x: x, y: row.y, width: numW, height: 1), align: .right, role: role, ellipsis: g.ellipsis)
                x += numW + 1
            }
            if trendW > 0 {
                Sparkline(values: c.trend, glyphs: g).render(into: &buf, area: Rect(x: x, y: row.y, width: trendW, height: 1))
            }
        }
    }

    func withoutConsent(_ buf: inout ScreenBuffer, _ area: Rect) {
        let g = state.glyphs
        guard area.width >= 10 else { return }
        let inner = Box(title: "Without consent", glyphs: g).render(into: &buf, area: area)
        guard !inner.isEmpty else { return }
        let n = model.eventsWithoutConsent
        let row0 = inner.row(0).inset(dx: 1, dy: 0)
        let nw = buf.put(Format.int(n), in: row0, role: n > 0 ? .bad : .good, ellipsis: g.ellipsis)
        buf.put(n == 1 ? " event" : " events", in: Rect(x: row0.x + nw, y: row0.y, width: row0.width - nw, height: 1), role: n > 0 ? .bad : .good, ellipsis: g.ellipsis)
        if model.analyticsCategoryMissing {
            // No event carries the analytics category (OneTrust ids such as C0002): say how to name it.
            buf.put("no event has " + model.analyticsCategory, in: inner.row(1).inset(dx: 1, dy: 0), role: .warn, ellipsis: g.ellipsis)
            if inner.height >= 3 {
                buf.put("set --analytics-category", in: inner.row(2).inset(dx: 1, dy: 0), role: .warn, ellipsis: g.ellipsis)
            }
        } else {
            buf.put("while " + model.analyticsCategory + " denied", in: inner.row(1).inset(dx: 1, dy: 0), role: .muted, ellipsis: g.ellipsis)
        }
        if inner.height >= 4 {
            let u = model.eventsConsentUnknown
            buf.put(Format.int(u) + " consent unknown", in: inner.row(3).inset(dx: 1, dy: 0),
                    role: u > 0 ? .warn : .muted, ellipsis: g.ellipsis)
        }
        if model.analyticsCategoryMissing && inner.height >= 5 {
            buf.put("or analytics_category", in: inner.row(4).inset(dx: 1, dy: 0), role: .muted, ellipsis: g.ellipsis)
        }
    }
}
