import Analytics

/// View 7: loops (follow-ups within a promise): every loop's triggers and outcomes (a table sorted with `s`/`S`
/// like the others), and for the selected loop its open triggers by age (a histogram, not a list of people) and its
/// weeks. It draws the data it is given: the loops, their table and its sort/selection.
struct LoopsView {
    var loops: [LoopReport]
    /// The loop table (``LoopsTable/model(_:cells:sanitizer:)``) and its sort, filter and selection.
    var table: TableModel
    var tableState: TableState
    var cells: CellText
    var sanitizer: Sanitizer
    var glyphs: Glyphs

    struct Areas { var tableBox: Rect; var ages: Rect; var weeks: Rect }

    static func layout(_ content: Rect, loops: Int) -> Areas {
        let bottomH = min(12, max(0, content.height - 5))
        let tableH = max(min(content.height, 5), min(loops + 4, content.height - bottomH))
        let (top, bottom) = content.splitTop(tableH)
        let agesW = bottom.width >= 100 ? bottom.width / 2 : (bottom.width * 11) / 20
        let (ages, weeks) = bottom.splitLeft(agesW)
        return Areas(tableBox: top, ages: ages, weeks: weeks)
    }

    /// Rows of the loop table that fit in `content` (below its header).
    static func tableRows(_ content: Rect, loops: Int) -> Int { max(1, layout(content, loops: loops).tableBox.height - 3) }

    func render(into buf: inout ScreenBuffer, area: Rect) {
        let g = glyphs
        guard !loops.isEmpty else {
            HowToBox(title: "Loops", lines: [
                "No loops in the rules file. Declare a promise next to your segments, e.g.",
                "",
                "  loop \"Late delivery apology\":",
                "      when did \"Order Delivered\" where late = true",
                "      expect did \"Apology Sent\" within 1d",
                "",
                "(docs/SEGMENTS.md, \"Loops\")",
            ], glyphs: g).render(into: &buf, area: area)
            return
        }
        let a = Self.layout(area, loops: loops.count)
        let widget = TableWidget(model: table, state: tableState, focused: true, glyphs: g)
        let inner = Box(title: widget.title(), note: widget.positionNote, focused: true, glyphs: g)
            .render(into: &buf, area: a.tableBox)
        // The loop list: the name flexible, the figures laid out from the model's widths (measured when the report came).
        FlexTableWidget(model: table, state: tableState, minFlex: 14, glyphs: g).render(into: &buf, area: inner.inset(dx: 1, dy: 0))
        guard let first = tableState.order.first else { return }
        let selected = tableState.selectedRow.flatMap { loops.indices.contains($0) ? loops[$0] : nil } ?? loops[first]
        ages(&buf, a.ages, selected)
        weeks(&buf, a.weeks, selected)
    }

    /// Open triggers by age: one bar per bin of an eighth of the promised time.
    func ages(_ buf: inout ScreenBuffer, _ area: Rect, _ l: LoopReport) {
        let g = glyphs, fmt = cells.format
        let title = "Open by age " + g.separator + " " + sanitizer.clean(l.name)
        let inner = Box(title: title, note: "open " + cells.count(l.outcomes.open, l.outcomes.$open), glyphs: g).render(into: &buf, area: area)
        guard !inner.isEmpty else { return }
        let body = inner.inset(dx: 1, dy: 0)
        if l.outcomes.$open.isSuppressed {
            buf.put("Withheld: fewer than \(cells.privacy.minCohort) open", in: body.row(0), role: .muted, ellipsis: g.ellipsis)
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
            let count = cells.count(bin.open, bin.$open)
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
        let g = glyphs
        let inner = Box(title: "By week of the trigger", glyphs: g).render(into: &buf, area: area)
        guard !inner.isEmpty else { return }
        let body = inner.inset(dx: 1, dy: 0)
        if l.weekly.isEmpty {
            buf.put("No triggers yet", in: body.row(0), role: .muted, ellipsis: g.ellipsis)
            return
        }
        let figures = FlexTable(LoopsTable.weekColumns(cells: cells), rows: l.weekly, in: body.row(0), minFlex: 8)
        figures.header(into: &buf, y: body.y, flexTitle: "week", glyphs: g)
        for (k, w) in l.weekly.reversed().prefix(max(0, body.height - 1)).enumerated() {
            let line = body.row(1 + k)
            buf.put(w.week, in: figures.flex(y: line.y), role: .normal, ellipsis: g.ellipsis)
            figures.cells(into: &buf, w, y: line.y, glyphs: g)
        }
    }
}
