import Analytics
/// View 5: files read, totals, malformed lines with file:line and reason (scrollable), unknown event names.
struct DataView {
    var state: AppState
    var model: ViewModel

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
        files(&buf, a.files)
        totals(&buf, a.totals)
        unknown(&buf, a.unknown)
        guard let t = model.tables[.malformed], let st = state.tables[.malformed] else { return }
        let g = state.glyphs
        let widget = TableWidget(model: t, state: st, focused: true, glyphs: g)
        var title = widget.title()
        if model.store.malformed > t.rows.count {
            title += " " + g.separator + " first \(Format.int(t.rows.count)) of \(Format.int(model.store.malformed))"
        }
        Box(title: title, note: widget.positionNote, focused: true, glyphs: g).render(into: &buf, area: a.malformedBox)
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

    func files(_ buf: inout ScreenBuffer, _ area: Rect) {
        let g = state.glyphs
        let inner = Box(title: "Files (\(Format.int(model.store.files)))", glyphs: g).render(into: &buf, area: area)
        guard !inner.isEmpty else { return }
        let numW = 9, badW = 7
        let pathW = inner.width - 2 - 2 * (numW + 1) - (badW + 1)
        let header = inner.row(0)
        buf.fill(header, role: .header)
        let cols: [(String, Int)] = [("LINES", numW), ("EVENTS", numW), ("BAD", badW)]
        buf.put("FILE", in: Rect(x: header.x + 1, y: header.y, width: max(0, pathW), height: 1), role: .header, ellipsis: g.ellipsis)
        var x = header.x + 1 + pathW + 1
        for (t, w) in cols { buf.put(t, in: Rect(x: x, y: header.y, width: w, height: 1), align: .right, role: .header, ellipsis: g.ellipsis); x += w + 1 }
        var r = 1
        for f in model.files {
            guard r < inner.height else { break }
            if r == inner.height - 1 && model.files.count + model.warnings.count > inner.height - 1 {
                let more = model.files.count + model.warnings.count - (r - 1)
                buf.put("\(g.ellipsis) \(Format.int(more)) more", in: inner.row(r).inset(dx: 1, dy: 0), role: .muted, ellipsis: g.ellipsis)
                return
            }
            let row = inner.row(r)
            buf.put(f.path, in: Rect(x: row.x + 1, y: row.y, width: max(0, pathW), height: 1), role: .normal,
                    ellipsis: g.ellipsis, keepEnd: true)
            var x = row.x + 1 + pathW + 1
            let vals: [(String, Int, StyleRole)] = [(Format.int(f.stats.lines), numW, .normal), (Format.int(f.stats.events), numW, .normal),
                                                     (Format.int(f.stats.malformed), badW, f.stats.malformed > 0 ? .warn : .muted)]
            for (v, w, role) in vals { buf.put(v, in: Rect(x: x, y: row.y, width: w, height: 1), align: .right, role: role, ellipsis: g.ellipsis); x += w + 1 }
            r += 1
        }
        for w in model.warnings {
            guard r < inner.height else { break }
            buf.put("! " + w, in: inner.row(r).inset(dx: 1, dy: 0), role: .warn, ellipsis: g.ellipsis)
            r += 1
        }
    }

    func totals(_ buf: inout ScreenBuffer, _ area: Rect) {
        let g = state.glyphs, fmt = state.format, s = model.store
        guard area.width >= 10 else { return }
        let inner = Box(title: "Totals", glyphs: g).render(into: &buf, area: area)
        var lines: [(String, String, StyleRole)] = [
            ("lines", Format.int(s.lines), .normal),
            ("events", Format.int(s.events), .normal),
            ("duplicates", Format.int(s.duplicates), s.duplicates > 0 ? .accent : .muted),
            ("malformed", Format.int(s.malformed) + " " + fmt.percent(s.malformedShare), s.malformed > 0 ? .warn : .good),
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

    func unknown(_ buf: inout ScreenBuffer, _ area: Rect) {
        let g = state.glyphs
        guard area.width >= 10 else { return }
        let inner = Box(title: "Unknown event names (\(Format.int(model.unknownEvents.count)))", glyphs: g).render(into: &buf, area: area)
        guard !inner.isEmpty else { return }
        if model.unknownEvents.isEmpty {
            buf.put("All event names are known", in: inner.row(0).inset(dx: 1, dy: 0), role: .good, ellipsis: g.ellipsis)
            return
        }
        for (r, e) in model.unknownEvents.prefix(inner.height).enumerated() {
            let row = inner.row(r).inset(dx: 1, dy: 0)
            if r == inner.height - 1 && model.unknownEvents.count > inner.height {
                buf.put("\(g.ellipsis) \(Format.int(model.unknownEvents.count - r)) more", in: row, role: .muted, ellipsis: g.ellipsis)
                break
            }
            let count = Format.int(e.count)
            let cw = DisplayWidth.of(count)
            buf.put(e.name, in: Rect(x: row.x, y: row.y, width: row.width - cw - 1, height: 1), role: .warn, ellipsis: g.ellipsis)
            buf.put(count, in: Rect(x: row.maxX - cw, y: row.y, width: cw, height: 1), align: .right, role: .normal, ellipsis: g.ellipsis)
        }
    }
}
