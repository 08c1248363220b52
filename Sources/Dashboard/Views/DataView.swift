import Analytics
/// View 5: files read, totals, malformed lines with file:line and reason (scrollable), unknown event names.
struct DataView {
    var model: ViewModel
    /// The sort, filter and selection of the three lists.
    var tables: [TableID: TableState]
    /// The list that has the focus.
    var focus: TableID
    var glyphs: Glyphs
    var format: Format { Format(missing: glyphs.missing) }
    var sanitizer: Sanitizer { Sanitizer(glyphs: glyphs) }

    struct Areas {
        var files: Rect, totals: Rect, malformed: Rect, malformedBox: Rect, unknown: Rect
        /// Two rows under the malformed table with the selected line's whole reason.
        var detail: Rect
    }

    static func layout(_ content: Rect, _ m: ViewModel) -> Areas {
        let topH = min(max(5, m.files.count + m.warnings.count + 3), max(5, content.height / 2), 10)
        let (top, bottom) = content.splitTop(max(topH, 9) <= content.height / 2 ? max(topH, 9) : topH)
        let sideW = content.width >= 70 ? 30 : 0
        let (files, totals) = top.splitLeft(top.width - sideW)
        let (mal, unknown) = bottom.splitLeft(bottom.width - sideW)
        var table = mal.inset(dx: 1, dy: 1)
        var detail = Rect(x: table.x, y: table.maxY, width: table.width, height: 0)
        if !(m.tables[.malformed]?.rows.isEmpty ?? true), table.height >= 7 {
            (table, detail) = table.splitTop(table.height - 2)
        }
        return Areas(files: files, totals: totals, malformed: table, malformedBox: mal, unknown: unknown, detail: detail)
    }

    func render(into buf: inout ScreenBuffer, area: Rect) {
        let a = Self.layout(area, model)
        let g = glyphs
        list(&buf, .files, box: a.files, title: { "Files (\(Format.int(model.store.files)))" + ($0.isEmpty ? "" : " " + g.separator + " " + $0) })
        totals(&buf, a.totals)
        if a.unknown.width >= 10 {
            list(&buf, .unknownEvents, box: a.unknown,
                 title: { "Unknown event names (\(Format.int(model.unknownEvents.count)))" + ($0.isEmpty ? "" : " " + g.separator + " " + $0) })
        }
        guard let t = model.tables[.malformed], let st = tables[.malformed] else { return }
        let focused = focus == .malformed
        let widget = TableWidget(model: t, state: st, focused: focused, glyphs: g)
        var title = widget.title()
        if model.store.malformed > t.rows.count {
            title += " " + g.separator + " first \(Format.int(t.rows.count)) of \(Format.int(model.store.malformed))"
        }
        // Every record not counted, by kind of reason (the table lists each with file:line and reason).
        if model.store.malformedKinds.count > 1 {
            title += " " + g.separator + " " + model.store.malformedKinds.map { "\(Format.int($0.count)) \($0.kind)" }.joined(separator: ", ")
        }
        Box(title: title, note: widget.positionNote, focused: focused, glyphs: g).render(into: &buf, area: a.malformedBox)
        widget.render(into: &buf, area: a.malformed)
        if !a.detail.isEmpty, let row = st.selectedRow, case .tail(let loc, _)? = t.rows[row].cells.first,
           case .text(let reason, _)? = t.rows[row].cells.last {
            buf.fill(a.detail, role: .muted, glyph: " ")
            let text = loc + " " + reason
            let lines = wrap(text, width: a.detail.width - 2, maxLines: a.detail.height, ellipsis: g.ellipsis)
            for (i, l) in lines.enumerated() {
                buf.put(l, in: a.detail.row(i).inset(dx: 1, dy: 0), role: i == 0 ? .accent : .normal, ellipsis: g.ellipsis)
            }
        }
    }

    /// A list of the view (files, unknown names) as a table in a box: focused with Left/Right, then scrolled like any
    /// table; the bottom border says which row of how many, so a cut list always says what it holds.
    func list(_ buf: inout ScreenBuffer, _ id: TableID, box: Rect, title: (String) -> String) {
        guard let t = model.tables[id], let st = tables[id] else { return }
        let g = glyphs
        let focused = focus == id
        let widget = TableWidget(model: t, state: st, focused: focused, glyphs: g)
        var extra: [String] = []
        if let c = st.sortColumn, t.columns.indices.contains(c) {
            extra.append("sort " + t.columns[c].title.lowercased() + " " + (st.descending ? g.sortDescending : g.sortAscending))
        }
        if !st.filter.isEmpty { extra.append("/" + sanitizer.clean(st.filter)) }
        var note = t.rows.isEmpty ? "" : widget.positionNote
        let hidden = st.order.count - max(1, box.inset(dx: 1, dy: 1).height - 1)   // the rows the box shows (Layout.tableRows)
        if !focused && hidden > 0 { note = "\(Format.int(hidden)) more " + g.separator + " h/l focus" }
        let inner = Box(title: title(extra.joined(separator: " " + g.separator + " ")), note: note, focused: focused, glyphs: g)
            .render(into: &buf, area: box)
        widget.render(into: &buf, area: inner)
    }

    func totals(_ buf: inout ScreenBuffer, _ area: Rect) {
        let g = glyphs, fmt = format, s = model.store
        guard area.width >= 10 else { return }
        let inner = Box(title: "Totals", glyphs: g).render(into: &buf, area: area)
        var lines: [(String, String, StyleRole)] = [("lines", Format.int(s.lines), .normal)]
        if s.batchEnvelopes > 0 {
            // A batch envelope line holds several events: each item is one record.
            lines.append(("batch envelopes", Format.int(s.batchEnvelopes), .muted))
            lines.append(("records", Format.int(s.records), .normal))
        }
        lines += [
            ("events", Format.int(s.events), .normal),
            ("duplicates", Format.int(s.duplicates), s.duplicates > 0 ? .accent : .muted),
            ("malformed", Format.int(s.malformed) + " " + fmt.percent(s.malformedShare), s.malformed > 0 ? .warn : .good),
        ]
        lines += [
            ("persons", Format.int(s.persons), .normal),
            ("event names", "\(Format.int(model.knownEventCount)) + \(Format.int(model.unknownEvents.count)) unknown", .normal),
            ("loaded in", Format.fixed(model.loadSeconds, 1) + "s", .muted),
        ]
        if s.deletedPersons > 0 {
            let deleted = s.deletedPersons
            // Persons deleted on request (`delete` calls): their data is in no figure.
            lines.insert(("deleted", Format.int(deleted) + (deleted == 1 ? " person" : " persons"), .accent), at: 5)
        }
        for (r, l) in lines.prefix(inner.height).enumerated() {
            let row = inner.row(r).inset(dx: 1, dy: 0)
            buf.put(l.0, in: row, role: .muted, ellipsis: g.ellipsis)
            let vw = min(DisplayWidth.of(l.1), max(0, row.width - DisplayWidth.of(l.0) - 1))
            buf.put(l.1, in: Rect(x: row.maxX - vw, y: row.y, width: vw, height: 1), align: .right, role: l.2, ellipsis: g.ellipsis)
        }
    }
}
