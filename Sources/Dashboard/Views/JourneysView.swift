import Analytics

/// View 6: a journey as a collapsible tree (entry → 1st step → 2nd step …, each node with entries,
/// persons, share of its parent and how many ended there) and its most frequent whole paths.
/// Enter/→ expands, Esc/← collapses or goes to the parent, `s` turns the selected path into a segment rule,
/// `w` appends that rule to `earshot-snippets.segments`, `[`/`]` switch journeys.
/// It draws the data it is given: the journeys, the one shown, its visible tree rows and their table, the selection.
struct JourneysView {
    /// Every journey of the report (for `Journey 2/3`).
    var journeys: [JourneyReport]
    /// The journey shown, nil when the rules declare none.
    var journey: JourneyReport?
    /// Its visible tree rows (``JourneyReport/visibleRows(expanded:)``) and their figures
    /// (``JourneysTable/model(_:cells:)``, built when the tree changed).
    var rows: [JourneyRow]
    var table: TableModel
    /// The selection and scroll offset.
    var flows: FlowViewState
    var cells: CellText
    var sanitizer: Sanitizer
    var glyphs: Glyphs

    struct Areas { var treeBox: Rect; var paths: Rect }

    static func layout(_ content: Rect) -> Areas {
        let pathsH = content.height >= 20 ? 8 : (content.height >= 14 ? 6 : 0)
        let (top, bottom) = content.splitTop(content.height - pathsH)
        return Areas(treeBox: top, paths: bottom)
    }

    /// Tree lines the view shows at once in the current layout (at least 1): the box's inner height less
    /// the rule line and the column header.
    static func treeRows(_ s: AppState) -> Int {
        let content = Layout.frame(width: s.width, height: s.height).content
        return max(1, layout(content).treeBox.height - 4)
    }

    func render(into buf: inout ScreenBuffer, area: Rect) {
        let g = glyphs, c = cells
        let a = Self.layout(area)
        guard let j = journey else {
            HowToBox(title: "Journeys", lines: [
                "No journeys in the rules file. Declare one next to your segments, e.g.",
                "",
                "  journey \"After a baby email\":",
                "      from did \"Email Link Clicked\" where category = \"baby\" steps 3 within 30m",
                "",
                "(docs/SEGMENTS.md, \"Journeys\")",
            ], glyphs: g).render(into: &buf, area: area)
            return
        }
        let count = journeys.count
        let index = journeys.firstIndex(of: j) ?? 0
        let title = "Journey \(index + 1)/\(count): " + sanitizer.clean(j.name)
        let note = count > 1 ? "[ ] other journeys" : ""
        let inner = Box(title: title, note: note, focused: true, glyphs: g).render(into: &buf, area: a.treeBox)
        guard !inner.isEmpty else { return }
        let summary = sanitizer.clean(j.rule) + "  " + g.separator + "  "
            + c.count(j.entries, j.$entries) + " entries " + g.separator + " "
            + c.count(j.persons, j.$persons) + " persons"
        buf.put(summary, in: inner.row(0).inset(dx: 1, dy: 0), role: .muted, ellipsis: g.ellipsis)

        let body = inner.inset(dx: 1, dy: 0)
        let withBar = body.width >= 90
        let header = body.row(1)
        let barWidth = withBar ? 12 : 0
        let figures = FlexTable(table, figures: Array(table.columns.indices), in: header, minFlex: 16, reserve: withBar ? barWidth + 1 : 0)
        figures.header(into: &buf, y: header.y, flexTitle: "step", glyphs: g)
        if withBar {
            buf.put("of parent", in: Rect(x: header.maxX - barWidth, y: header.y, width: barWidth, height: 1), role: .header, ellipsis: g.ellipsis)
        }

        let visible = max(0, inner.height - 2)
        let selected = min(max(0, flows.selected), max(0, rows.count - 1))
        let offset = min(flows.offset, max(0, rows.count - visible))
        for k in 0..<visible {
            let i = offset + k
            guard i < rows.count else { break }
            let row = rows[i]
            let line = body.row(2 + k)
            let isSelected = i == selected
            if isSelected { buf.fill(line, role: .selected) }
            let marker: String
            if row.hasChildren { marker = row.expanded ? (g == .ascii ? "v " : "▾ ") : (g == .ascii ? "> " : "▸ ") } else { marker = "  " }
            let label = String(repeating: "  ", count: row.depth) + marker + sanitizer.clean(row.node.step)
            buf.put(label, in: figures.flex(y: line.y),
                    role: isSelected ? .selected : (row.node.isSpecial ? .muted : .normal), ellipsis: g.ellipsis)
            // Every row has the header's columns.
            if table.rows.indices.contains(i) { figures.cells(into: &buf, table.rows[i], y: line.y, selected: isSelected, glyphs: g) }
            if withBar, !row.node.$share.isSuppressed, let share = row.node.share {
                Bar(fraction: share, role: isSelected ? .selected : (row.node.isSpecial ? .barAlt : .bar), glyphs: g)
                    .render(into: &buf, area: Rect(x: line.maxX - barWidth, y: line.y, width: barWidth, height: 1))
            }
        }
        if rows.count > visible, visible > 0 {
            let note = " \(selected + 1)/\(rows.count) "
            buf.put(note, x: a.treeBox.x + 2, y: a.treeBox.maxY - 1, clip: a.treeBox, role: .muted)
        }
        paths(&buf, a.paths, j)
    }

    func paths(_ buf: inout ScreenBuffer, _ area: Rect, _ j: JourneyReport) {
        guard area.height >= 3 else { return }
        let g = glyphs
        let inner = Box(title: "Top paths (\(Format.int(j.paths.count)))", glyphs: g).render(into: &buf, area: area)
        let body = inner.inset(dx: 1, dy: 0)
        if j.paths.isEmpty {
            buf.put("No entries as of the reference time", in: body.row(0), role: .muted, ellipsis: g.ellipsis)
            return
        }
        let columns = JourneysTable.pathColumns(cells: cells)
        let figures = FlexTable(columns, rows: j.paths, in: body.row(0), minFlex: 16)   // the same for every line
        for (k, p) in j.paths.prefix(body.height).enumerated() {
            let line = body.row(k)
            let text = p.steps.map { sanitizer.clean($0) }.joined(separator: " " + g.arrow + " ")
            buf.put(text, in: figures.flex(y: line.y), role: .normal, ellipsis: g.ellipsis)
            figures.cells(into: &buf, p, y: line.y, glyphs: g)
        }
    }
}
