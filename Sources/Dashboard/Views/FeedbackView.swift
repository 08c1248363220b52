import Analytics
/// View 3: feedback loops per channel and survey, NPS, the hour × weekday heatmap, unmatched responses.
/// It draws the data it is given: the view model, the loop table's sort/filter/selection, which lower panels show.
struct FeedbackView {
    var model: ViewModel
    /// The loop table's sort, filter and selection.
    var tableState: TableState
    /// The panels below the loop table (`v` switches).
    var panel: FeedbackPanel
    var glyphs: Glyphs
    var format: Format

    struct Areas { var table: Rect; var tableBox: Rect; var heatmap: Rect; var summary: Rect }

    /// The loop table on top (as tall as its rows need, leaving 11 rows for the heatmap), heatmap and NPS below.
    static func layout(_ content: Rect, _ m: ViewModel) -> Areas {
        let heatH = 11
        let want = m.loops.count + 3
        let tableH = max(min(5, content.height), min(want, content.height - heatH))
        let (top, bottom) = content.splitTop(tableH)
        let heatW = bottom.width - 36 >= 78 ? 78 : (bottom.width - 26 >= 54 ? 54 : (bottom.width - 24 >= 30 ? 30 : bottom.width))
        let (hm, sum) = bottom.splitLeft(heatW)
        return Areas(table: top.inset(dx: 1, dy: 1), tableBox: top, heatmap: hm, summary: sum)
    }

    func render(into buf: inout ScreenBuffer, area: Rect) {
        guard let t = model.tables[.feedback] else { return }
        let st = tableState
        let g = glyphs
        let a = Self.layout(area, model)
        let widget = TableWidget(model: t, state: st, focused: true, glyphs: g)
        Box(title: widget.title(), note: widget.positionNote, focused: true, glyphs: g).render(into: &buf, area: a.tableBox)
        widget.render(into: &buf, area: a.table)
        if panel == .asking {
            renderAsking(&buf, Rect(x: a.heatmap.x, y: a.heatmap.y, width: a.heatmap.width + a.summary.width, height: a.heatmap.height))
        } else {
            heatmap(&buf, a.heatmap)
            summary(&buf, a.summary)
        }
    }

    func heatmap(_ buf: inout ScreenBuffer, _ area: Rect) {
        let g = glyphs, fmt = format, h = model.heatmap
        let inner = Box(title: "Response rate by local hour " + (g == .ascii ? "x" : "×") + " weekday", glyphs: g).render(into: &buf, area: area)
        guard !inner.isEmpty else { return }
        if h.cellsWithPrompts == 0 {
            buf.put("No prompts to place on the week", in: inner.row(0).inset(dx: 1, dy: 0), role: .muted, ellipsis: g.ellipsis)
            return
        }
        let cellW = inner.width >= 4 + 72 ? 3 : (inner.width >= 4 + 48 ? 2 : 1)
        let x0 = inner.x + 4
        // Hour labels every 3 hours (every 6 when narrow).
        let step = cellW >= 2 ? 3 : 6
        for hour in stride(from: 0, to: 24, by: step) {
            buf.put(String(hour), x: x0 + hour * cellW, y: inner.y, clip: inner, role: .muted)
        }
        let roles: [StyleRole] = [.heat0, .heat1, .heat2, .heat3, .heat4]
        let heat = g.heat
        for d in 0..<7 {
            let y = inner.y + 1 + d
            guard y < inner.maxY else { break }
            buf.put(HourWeekdayCell.weekdayNames[d], x: inner.x, y: y, clip: inner, role: .muted)
            for hour in 0..<24 {
                guard let rate = h.rate[d][hour] else { continue }
                let level = Self.level(rate, max: h.maxRate)
                let glyph = heat[min(heat.count - 1, level)]
                for k in 0..<cellW {
                    buf.put(glyph, x: x0 + hour * cellW + k, y: y, clip: inner, role: roles[level])
                }
            }
        }
        let legendY = inner.y + 8
        if legendY < inner.maxY {
            let row = Rect(x: inner.x, y: legendY, width: inner.width, height: 1)
            var x = row.x + buf.put("0% ", x: row.x, y: row.y, clip: row, role: .muted)
            for level in 0..<5 {
                let glyph = heat[min(heat.count - 1, level)]
                x += buf.put(glyph, x: x, y: row.y, clip: row, role: roles[level])
            }
            x += buf.put(" " + fmt.percent0(h.maxRate), x: x, y: row.y, clip: row, role: .muted)
            if let b = h.best {
                let text = "   best " + HourWeekdayCell.weekdayNames[b.weekday] + " " + (b.hour < 10 ? "0" : "") + "\(b.hour):00 " + fmt.percent(b.rate)
                buf.put(text, in: Rect(x: x, y: row.y, width: row.maxX - x, height: 1), role: .good, ellipsis: g.ellipsis)
            }
        }
    }

    /// Heat level 0…4 of a rate relative to the highest rate.
    static func level(_ rate: Double, max top: Double) -> Int {
        guard top > 0, rate.isFinite else { return 0 }
        return min(4, Swift.max(0, Int(rate / top * 4.999)))
    }

    func summary(_ buf: inout ScreenBuffer, _ area: Rect) {
        let g = glyphs, fmt = format, n = model.nps
        let inner = Box(title: "NPS", glyphs: g).render(into: &buf, area: area)
        guard !inner.isEmpty else { return }
        var lines: [(String, String, StyleRole)] = []
        lines.append(("score", model.privacy.label(n.$nps) ?? fmt.nps(n.nps), ViewModel.npsRole(n.nps)))
        lines.append(("scored", model.count(n.scored, n.$scored), .normal))
        // A withheld count is its mark alone; its share would give it away.
        let share: (Int, Suppression) -> String = {
            $1.isSuppressed ? "" : (n.scored > 0 ? model.percent0(Double($0) / Double(n.scored), withheld: n.$scored.isSuppressed, fmt) : "")
        }
        lines.append(("promoters", model.count(n.promoters, n.$promoters) + (n.$promoters.isSuppressed ? "" : " " + share(n.promoters, n.$promoters).leftPad(4)), .good))
        lines.append(("passives", model.count(n.passives, n.$passives) + (n.$passives.isSuppressed ? "" : " " + share(n.passives, n.$passives).leftPad(4)), .warn))
        lines.append(("detractors", model.count(n.detractors, n.$detractors) + (n.$detractors.isSuppressed ? "" : " " + share(n.detractors, n.$detractors).leftPad(4)), .bad))
        lines.append(("unmatched", Format.int(model.unmatchedResponses), model.unmatchedResponses > 0 ? .warn : .normal))
        lines.append(("window", fmt.duration(Double(model.windowSeconds)), .muted))
        var r = 0
        for l in lines {
            let splitShown = !(n.$promoters.isSuppressed || n.$passives.isSuppressed || n.$detractors.isSuppressed)
            if r == 1 && n.scored > 0 && splitShown && inner.height >= lines.count + 1 {
                npsBar(n, glyphs: g).render(into: &buf, area: inner.row(r).inset(dx: 1, dy: 0))
                r += 1
            }
            guard r < inner.height else { break }
            let row = inner.row(r).inset(dx: 1, dy: 0)
            buf.put(l.0, in: row, role: .muted, ellipsis: g.ellipsis)
            let vw = DisplayWidth.of(l.1)
            if vw < row.width - DisplayWidth.of(l.0) {
                buf.put(l.1, in: Rect(x: row.maxX - vw, y: row.y, width: vw, height: 1), align: .right, role: l.2, ellipsis: g.ellipsis)
            }
            r += 1
        }
    }
}
