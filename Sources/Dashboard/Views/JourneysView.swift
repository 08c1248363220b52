import Analytics

/// View 6: a journey as a collapsible tree (entry → 1st step → 2nd step …, each node with entries,
/// persons, share of its parent and how many ended there) and its most frequent whole paths.
/// Enter/→ expands, Esc/← collapses or goes to the parent, `s` turns the selected path into a segment rule,
/// `w` appends that rule to `earshot-snippets.segments`, `[`/`]` switch journeys.
struct JourneysView {
    var state: AppState

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
        let g = state.glyphs, c = state.cells
        let a = Self.layout(area)
        guard let report = state.report, let j = state.currentJourney else {
            let inner = Box(title: "Journeys", focused: true, glyphs: g).render(into: &buf, area: area)
            let lines = [
                "No journeys in the rules file. Declare one next to your segments, e.g.",
                "",
                "  journey \"After a baby email\":",
                "      from did \"Email Link Clicked\" where category = \"baby\" steps 3 within 30m",
                "",
                "(docs/SEGMENTS.md, \"Journeys\")",
            ]
            for (i, l) in lines.enumerated() {
                buf.put(l, in: inner.row(i).inset(dx: 1, dy: 0), role: i == 0 ? .normal : .muted, ellipsis: g.ellipsis)
            }
            return
        }
        let count = report.journeys.count
        let index = report.journeys.firstIndex(of: j) ?? 0
        let title = "Journey \(index + 1)/\(count): " + state.sanitizer.clean(j.name)
        let note = count > 1 ? "[ ] other journeys" : ""
        let inner = Box(title: title, note: note, focused: true, glyphs: g).render(into: &buf, area: a.treeBox)
        guard !inner.isEmpty else { return }
        let summary = state.sanitizer.clean(j.rule) + "  " + g.separator + "  "
            + c.count(j.entries, j.$entries) + " entries " + g.separator + " "
            + c.count(j.persons, j.$persons) + " persons"
        buf.put(summary, in: inner.row(0).inset(dx: 1, dy: 0), role: .muted, ellipsis: g.ellipsis)

        let columns: [TableColumn<JourneyRow>] = [
            TableColumn("persons", width: 8, cell: { .text(c.count($0.node.persons, $0.node.$persons), .normal) }),
            TableColumn("share", width: 7, cell: { .text(c.rate($0.node.share, $0.node.$share), .normal) }),
            TableColumn("entries", width: 8, cell: { .text(c.count($0.node.entries, $0.node.$entries), .muted) }),
            TableColumn("ended", width: 7, cell: { row in
                row.node.isSpecial || (row.node.children.isEmpty && row.node.ended == 0) ? .text("", .muted)
                    : .text(c.count(row.node.ended, row.node.$ended), .muted)
            }),
        ]
        let body = inner.inset(dx: 1, dy: 0)
        let withBar = body.width >= 90
        let header = body.row(1)
        let barWidth = withBar ? 12 : 0
        let figures = FlexTable(columns, rows: state.journeyRows, in: header, minFlex: 16, reserve: withBar ? barWidth + 1 : 0)
        figures.header(into: &buf, y: header.y, flexTitle: "step", glyphs: g)
        if withBar {
            buf.put("of parent", in: Rect(x: header.maxX - barWidth, y: header.y, width: barWidth, height: 1), role: .header, ellipsis: g.ellipsis)
        }

        let rows = state.journeyRows
        let visible = max(0, inner.height - 2)
        let selected = min(max(0, state.flows.selected), max(0, rows.count - 1))
        let offset = min(state.flows.offset, max(0, rows.count - visible))
        for k in 0..<visible {
            let i = offset + k
            guard i < rows.count else { break }
            let row = rows[i]
            let line = body.row(2 + k)
            let isSelected = i == selected
            if isSelected { buf.fill(line, role: .selected) }
            let marker: String
            if row.hasChildren { marker = row.expanded ? (g == .ascii ? "v " : "▾ ") : (g == .ascii ? "> " : "▸ ") } else { marker = "  " }
            let label = String(repeating: "  ", count: row.depth) + marker + state.sanitizer.clean(row.node.step)
            buf.put(label, in: figures.flex(y: line.y),
                    role: isSelected ? .selected : (row.node.isSpecial ? .muted : .normal), ellipsis: g.ellipsis)
            // Every row has the header's columns.
            figures.cells(into: &buf, row, y: line.y, selected: isSelected, glyphs: g)
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
        let g = state.glyphs
        let inner = Box(title: "Top paths (\(Format.int(j.paths.count)))", glyphs: g).render(into: &buf, area: area)
        let body = inner.inset(dx: 1, dy: 0)
        if j.paths.isEmpty {
            buf.put("No entries as of the reference time", in: body.row(0), role: .muted, ellipsis: g.ellipsis)
            return
        }
        let c = state.cells
        let columns: [TableColumn<JourneyPath>] = [
            TableColumn("persons", width: 8, cell: { .text(c.count($0.persons, $0.$persons), .normal) }),
            TableColumn("entries", width: 8, cell: { .text(c.count($0.entries, $0.$entries), .muted) }),
        ]
        let figures = FlexTable(columns, rows: j.paths, in: body.row(0), minFlex: 16)   // the same for every line
        for (k, p) in j.paths.prefix(body.height).enumerated() {
            let line = body.row(k)
            let text = p.steps.map { state.sanitizer.clean($0) }.joined(separator: " " + g.arrow + " ")
            buf.put(text, in: figures.flex(y: line.y), role: .normal, ellipsis: g.ellipsis)
            figures.cells(into: &buf, p, y: line.y, glyphs: g)
        }
    }
}
