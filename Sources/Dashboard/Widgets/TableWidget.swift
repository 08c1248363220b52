import Analytics
/// Draws a table: a header row with the sort indicator, then the visible rows from the state's offset;
/// the selected row is highlighted when the table has the focus. Columns that do not fit are dropped
/// from the right; the flexible column takes the room left.
struct TableWidget {
    var model: TableModel
    var state: TableState
    var focused: Bool
    var glyphs: Glyphs

    /// Column x positions and widths for an area width (dropped columns are absent), from the content
    /// (``ColumnLayout``): numbers get their digits, text columns and headers what they need, sparklines and bars fill
    /// the room left (a sparkline up to four cells per point), and the flexible column takes what no column wants.
    /// Text is cut only when the minimums take the whole width.
    static func layout(_ model: TableModel, width: Int, sortColumn: Int? = nil) -> [(index: Int, x: Int, width: Int)] {
        let columns = model.columns
        guard !columns.isEmpty, width > 2 else { return columns.isEmpty ? [] : [(0, 1, max(0, width - 2))] }
        var content = [Int](repeating: 0, count: columns.count)
        var points = [Int](repeating: 0, count: columns.count)
        var kind = [Int](repeating: 0, count: columns.count)  // 0 text, 1 spark, 2 bar
        for row in model.rows {
            for (c, cell) in row.cells.enumerated() where c < columns.count {
                switch cell {
                case .text(let t, _), .tail(let t, _): content[c] = max(content[c], DisplayWidth.of(t))
                case .spark(let v): kind[c] = 1; points[c] = max(points[c], v.values.count)
                case .bar: kind[c] = 2
                }
            }
        }
        let flex = columns.indices.first(where: { columns[$0].flex }) ?? 0
        let parts = columns.indices.map { i -> ColumnLayout.Part in
            let col = columns[i]
            let header = DisplayWidth.of(col.title) + (sortColumn == i ? 1 : 0)
            switch kind[i] {
            case 1:
                let n = max(1, points[i])
                return ColumnLayout.Part(min: min(n, max(5, header)), want: max(n, header), fill: 1, max: max(n * 4, header))
            case 2:
                return ColumnLayout.Part(min: 5, want: max(10, header), fill: 1, max: 40)
            default:
                if col.align == .right {
                    // Numbers are never cut: their digits are the minimum.
                    return ColumnLayout.Part(min: max(content[i], min(3, header)), want: max(content[i], header))
                }
                let want = max(content[i], header)
                return ColumnLayout.Part(min: min(want, col.width), want: want, droppable: i != flex && i != 0)
            }
        }
        let widths = ColumnLayout.solve(parts, width: width - 2, spare: flex)
        let xs = ColumnLayout.offsets(widths)
        return columns.indices.compactMap { i in widths[i] > 0 ? (i, 1 + xs[i], widths[i]) : nil }
    }

    func render(into buf: inout ScreenBuffer, area: Rect) {
        guard !area.isEmpty else { return }
        let cols = Self.layout(model, width: area.width, sortColumn: state.sortColumn)
        // Header.
        buf.fill(area.row(0), role: .header)
        for c in cols {
            var title = model.columns[c.index].title
            if state.sortColumn == c.index { title += state.descending ? glyphs.sortDescending : glyphs.sortAscending }
            let field = Rect(x: area.x + c.x, y: area.y, width: c.width, height: 1)
            buf.put(title, in: field, align: model.columns[c.index].align, role: .header, ellipsis: glyphs.ellipsis)
        }
        let body = Rect(x: area.x, y: area.y + 1, width: area.width, height: area.height - 1)
        guard !body.isEmpty else { return }
        if state.order.isEmpty {
            let msg = Self.emptyMessage(model, filter: state.filter, glyphs: glyphs)
            // Wrapped at spaces over the rows below the header, so that a long hint is read whole.
            let first = min(1, body.height - 1)
            let lines = wrapWords(msg, width: max(1, body.width - 2)).prefix(max(1, body.height - first))
            for (i, line) in lines.enumerated() {
                buf.put(line, in: body.row(first + i).inset(dx: 1, dy: 0), align: .center, role: .muted,
                        ellipsis: glyphs.ellipsis)
            }
            return
        }
        let offset = max(0, min(state.offset, max(0, state.order.count - body.height)))
        var sel = state.selected
        if sel < offset || sel >= offset + body.height { sel = -1 }
        for r in 0..<min(body.height, state.order.count - offset) {
            let pos = offset + r
            let row = model.rows[state.order[pos]]
            let y = body.y + r
            let selected = focused && pos == sel
            if selected { buf.fill(body.row(r), role: .selected) }
            for c in cols where c.index < row.cells.count {
                let field = Rect(x: area.x + c.x, y: y, width: c.width, height: 1)
                switch row.cells[c.index] {
                case .text(let text, let role):
                    buf.put(text, in: field, align: model.columns[c.index].align, role: selected ? .selected : role,
                            ellipsis: glyphs.ellipsis)
                case .tail(let text, let role):
                    buf.put(text, in: field, align: model.columns[c.index].align, role: selected ? .selected : role,
                            ellipsis: glyphs.ellipsis, keepEnd: true)
                case .spark(let series):
                    Sparkline(series: series, role: selected ? .selected : .bar, glyphs: glyphs).render(into: &buf, area: field)
                case .bar(let f):
                    Bar(fraction: f, role: selected ? .selected : .bar, glyphs: glyphs).render(into: &buf, area: field)
                }
            }
        }
    }

    /// What a table with no row to show says (``TableWidget`` and ``FlexTableWidget``): the model's own empty message
    /// when it has no rows, else that the text filter matches none of them.
    static func emptyMessage(_ model: TableModel, filter: String, glyphs: Glyphs) -> String {
        model.rows.isEmpty ? model.emptyMessage : "No rows match \"\(Sanitizer(glyphs: glyphs).clean(filter))\" (Esc clears)"
    }

    /// `12/340` (or `12/340 of 500` when filtered) for the box's bottom border.
    var positionNote: String {
        guard !state.order.isEmpty else { return model.rows.isEmpty ? "" : "0/\(Format.int(model.rows.count))" }
        var s = "\(Format.int(state.selected + 1))/\(Format.int(state.order.count))"
        if state.order.count != model.rows.count { s += " of \(Format.int(model.rows.count))" }
        return s
    }

    /// The table's box title: name, sort column and direction, text filter.
    func title(extra: String = "") -> String {
        var parts = [model.title + " (\(Format.int(model.rows.count)))"]
        if let c = state.sortColumn, model.columns.indices.contains(c) {
            parts.append("sort " + model.columns[c].title.lowercased() + " " + (state.descending ? glyphs.sortDescending : glyphs.sortAscending))
        }
        if !state.filter.isEmpty { parts.append("/" + Sanitizer(glyphs: glyphs).clean(state.filter)) }
        if !extra.isEmpty { parts.append(extra) }
        return parts.joined(separator: " " + glyphs.separator + " ")
    }
}
