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
        let g = state.glyphs
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
            + state.flowCount(j.entries, j.$entries) + " entries " + g.separator + " "
            + state.flowCount(j.persons, j.$persons) + " persons"
        buf.put(summary, in: inner.row(0).inset(dx: 1, dy: 0), role: .muted, ellipsis: g.ellipsis)

        let columns: [FlowColumn<JourneyRow>] = [
            FlowColumn(title: "persons", width: 8) { (state.flowCount($0.node.persons, $0.node.$persons), .normal) },
            FlowColumn(title: "share", width: 7) { (state.flowPercent($0.node.share, $0.node.$share), .normal) },
            FlowColumn(title: "entries", width: 8) { (state.flowCount($0.node.entries, $0.node.$entries), .muted) },
            FlowColumn(title: "ended", width: 7) { row in
                row.node.isSpecial || (row.node.children.isEmpty && row.node.ended == 0) ? ("", .muted)
                    : (state.flowCount(row.node.ended, row.node.$ended), .muted)
            },
        ]
        let body = inner.inset(dx: 1, dy: 0)
        let kept = fittedColumns(columns, rows: state.journeyRows, width: body.width - (body.width >= 90 ? 13 : 0), minFlex: 16)
        let withBar = body.width >= 90
        let header = body.row(1)
        let barWidth = withBar ? 12 : 0
        let tableRow = { (r: Rect) in Rect(x: r.x, y: r.y, width: r.width - (withBar ? barWidth + 1 : 0), height: 1) }
        let (xs, flexWidth) = columnPositions(kept, in: tableRow(header))
        buf.put("step", in: Rect(x: header.x, y: header.y, width: flexWidth, height: 1), role: .header, ellipsis: g.ellipsis)
        for (i, c) in kept.enumerated() {
            buf.put(c.title, in: Rect(x: xs[i], y: header.y, width: c.width, height: 1), align: .right, role: .header, ellipsis: g.ellipsis)
        }
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
            buf.put(label, in: Rect(x: line.x, y: line.y, width: flexWidth, height: 1),
                    role: isSelected ? .selected : (row.node.isSpecial ? .muted : .normal), ellipsis: g.ellipsis)
            // Every row has the header's columns.
            for (c, col) in kept.enumerated() {
                let (text, role) = col.cell(row)
                buf.put(text, in: Rect(x: xs[c], y: line.y, width: col.width, height: 1), align: .right,
                        role: isSelected ? .selected : role, ellipsis: g.ellipsis)
            }
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
        let columns: [FlowColumn<JourneyPath>] = [
            FlowColumn(title: "persons", width: 8) { (state.flowCount($0.persons, $0.$persons), .normal) },
            FlowColumn(title: "entries", width: 8) { (state.flowCount($0.entries, $0.$entries), .muted) },
        ]
        let kept = fittedColumns(columns, rows: j.paths, width: body.width, minFlex: 16)
        let (xs, flexWidth) = columnPositions(kept, in: body.row(0))   // the same for every line
        for (k, p) in j.paths.prefix(body.height).enumerated() {
            let line = body.row(k)
            let text = p.steps.map { state.sanitizer.clean($0) }.joined(separator: " " + g.arrow + " ")
            buf.put(text, in: Rect(x: line.x, y: line.y, width: flexWidth, height: 1), role: .normal, ellipsis: g.ellipsis)
            for (c, col) in kept.enumerated() {
                let (t, role) = col.cell(p)
                buf.put(t, in: Rect(x: xs[c], y: line.y, width: col.width, height: 1), align: .right, role: role, ellipsis: g.ellipsis)
            }
        }
    }
}
