import Analytics
/// View 4: granted / denied / unknown per category, coverage trend, events collected without consent,
/// and the segment × category table of reachable shares.
struct ConsentView {
    var model: ViewModel
    /// The reachable-share table's sort, filter and selection.
    var tableState: TableState
    var glyphs: Glyphs
    var format: Format { Format(missing: glyphs.missing) }

    struct Areas { var categories: Rect; var without: Rect; var table: Rect; var tableBox: Rect }

    static func layout(_ content: Rect, _ m: ViewModel) -> Areas {
        let topH = min(max(6, m.categories.count + 3), max(6, content.height / 2))
        let (top, bottom) = content.splitTop(topH)
        let sideW = top.width >= 70 ? 28 : 0
        let (cats, side) = top.splitLeft(top.width - sideW)
        return Areas(categories: cats, without: side, table: bottom.inset(dx: 1, dy: 1), tableBox: bottom)
    }

    func render(into buf: inout ScreenBuffer, area: Rect) {
        guard let t = model.tables[.consent], let st = Optional(tableState) else { return }
        let g = glyphs
        let a = Self.layout(area, model)
        categories(&buf, a.categories)
        withoutConsent(&buf, a.without)
        let widget = TableWidget(model: t, state: st, focused: true, glyphs: g)
        Box(title: widget.title(), note: widget.positionNote, focused: true, glyphs: g).render(into: &buf, area: a.tableBox)
        widget.render(into: &buf, area: a.table)
    }

    func categories(_ buf: inout ScreenBuffer, _ area: Rect) {
        let g = glyphs, fmt = format
        let full = g.shades[g.shades.count - 1], mid = g.shades[min(1, g.shades.count - 1)], light = g.shades[0]
        let legend = "\(full) granted \(mid) denied \(light) unknown"
        // The layout first (the box's inside is known before it is drawn), so that the title can name the trend's weeks.
        let inside = area.width >= 2 && area.height >= 2 ? area.inset(dx: 1, dy: 1) : area
        let (shownCount, more) = OverviewView.visible(model.categories.count, rows: max(0, inside.height - 1))
        let rows = Array(model.categories.prefix(shownCount))
        let shareTexts = rows.map { c -> [String] in
            [c.granted, c.denied, c.unknown].enumerated().map { i, n in
                model.privacy.label(c.marks[i]) ?? (c.total > 0 ? fmt.percent0(Double(n) / Double(c.total)) : fmt.missing)
            }
        }
        let numW = max(5, shareTexts.flatMap { $0 }.map { DisplayWidth.of($0) }.max() ?? 4)
        let labels = model.weekly.labels
        let weeks = labels.count
        let widths = ColumnLayout.solve([
            .init(min: 6, want: max(8, rows.map { DisplayWidth.of($0.name) }.max() ?? 8), droppable: false),
            .init(min: 4, want: 20, fill: 2),
            .fixed(numW), .fixed(numW), .fixed(numW),
            .init(min: min(5, max(1, weeks)), want: max(5, weeks), fill: 1, max: max(5, weeks * 4)),
        ], width: inside.width - 2, spare: 1)
        var title = "Consent by category (persons)"
        if widths[5] > 0 && weeks > 0 && !rows.isEmpty {
            // The weeks the trend column shows (its last weeks when it is narrower than the series), in UTC.
            let first = Sparkline.window(count: weeks, width: widths[5]).first
            let short = { (l: String) in String(l.split(separator: "-").last ?? Substring(l)) }
            let trend = " " + g.separator + " trend " + short(labels[first]) + " " + g.arrow + " " + short(labels[weeks - 1]) + " (UTC)"
            title = DisplayWidth.of(title + trend) + 6 <= area.width ? title + trend : "Consent by category" + trend
        }
        let inner = Box(title: title, note: legend, glyphs: g).render(into: &buf, area: area)
        guard !inner.isEmpty else { return }
        if model.categories.isEmpty {
            buf.put("No consent preferences seen (context.consent.categoryPreferences)", in: inner.row(0).inset(dx: 1, dy: 0),
                    role: .muted, ellipsis: g.ellipsis)
            return
        }
        if more > 0 {
            buf.put("\(g.ellipsis) \(Format.int(more)) more " + g.separator + " the table below lists every category",
                    in: inner.row(inner.height - 1).inset(dx: 1, dy: 0), role: .muted, ellipsis: g.ellipsis)
        }
        let xs = ColumnLayout.offsets(widths)
        // Header.
        let header = inner.row(0).inset(dx: 1, dy: 0)
        buf.fill(inner.row(0), role: .header)
        func field(_ row: Rect, _ i: Int) -> Rect { Rect(x: row.x + xs[i], y: row.y, width: widths[i], height: 1) }
        buf.put("CATEGORY", in: field(header, 0), role: .header, ellipsis: g.ellipsis)
        for (i, title) in ["GRANT", "DENY", "UNKN"].enumerated() where widths[2 + i] > 0 {
            buf.put(title, in: field(header, 2 + i), align: .right, role: .header, ellipsis: g.ellipsis)
        }
        if widths[5] > 0 { buf.put("TREND", in: field(header, 5), role: .header, ellipsis: g.ellipsis) }
        for (i, c) in rows.enumerated() {
            let row = inner.row(i + 1).inset(dx: 1, dy: 0)
            buf.put(c.name, in: field(row, 0), role: .normal, ellipsis: g.ellipsis)
            if widths[1] > 0 {
                // A withheld part is not drawn on its own: what the shown parts leave is drawn blank.
                let shownParts = [(Double(c.granted), StyleRole.good, full), (Double(c.denied), .bad, mid), (Double(c.unknown), .muted, light)]
                    .enumerated().map { c.marks[$0.offset].isSuppressed ? (0, $0.element.1, $0.element.2) : $0.element }
                let rest = Double(c.total) - shownParts.reduce(0) { $0 + $1.0 }
                StackedBar(parts: shownParts + [(max(0, rest), .muted, " ")], glyphs: g).render(into: &buf, area: field(row, 1))
            }
            let roles: [StyleRole] = [ViewModel.coverageRole(c.coverage), .normal, .muted]
            for k in 0..<3 where widths[2 + k] > 0 {
                buf.put(shareTexts[i][k], in: field(row, 2 + k), align: .right, role: c.marks[k].isSuppressed ? .muted : roles[k],
                        ellipsis: g.ellipsis)
            }
            if widths[5] > 0 {
                Sparkline(series: Series(c.trend, partial: model.weekly.marks.partial), glyphs: g).render(into: &buf, area: field(row, 5))
            }
        }
    }

    func withoutConsent(_ buf: inout ScreenBuffer, _ area: Rect) {
        let g = glyphs
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
