import Analytics
/// A bordered panel with a title in the top border and an optional note in the bottom border.
struct Box {
    var title: String
    var note: String = ""
    var focused = false
    var glyphs: Glyphs

    /// Draws the border and returns the inner rectangle (empty when the area is too small).
    @discardableResult
    func render(into buf: inout ScreenBuffer, area: Rect) -> Rect {
        guard area.width >= 2, area.height >= 2 else {
            // No room for a border: the content gets the whole area.
            return area
        }
        let g = glyphs
        let border: StyleRole = .border
        let top = area.y, bottom = area.maxY - 1, left = area.x, right = area.maxX - 1
        buf.put(g.topLeft, x: left, y: top, clip: area, role: border)
        buf.put(g.topRight, x: right, y: top, clip: area, role: border)
        buf.put(g.bottomLeft, x: left, y: bottom, clip: area, role: border)
        buf.put(g.bottomRight, x: right, y: bottom, clip: area, role: border)
        if area.width > 2 {
            for x in (left + 1)..<right {
                buf.put(g.horizontal, x: x, y: top, clip: area, role: border)
                buf.put(g.horizontal, x: x, y: bottom, clip: area, role: border)
            }
        }
        if area.height > 2 {
            for y in (top + 1)..<bottom {
                buf.put(g.vertical, x: left, y: y, clip: area, role: border)
                buf.put(g.vertical, x: right, y: y, clip: area, role: border)
            }
        }
        if area.width > 6, !title.isEmpty {
            let field = Rect(x: left + 2, y: top, width: area.width - 4, height: 1)
            buf.put(" " + title + " ", in: field, role: focused ? .title : .header, ellipsis: g.ellipsis)
        }
        if area.width > 8, !note.isEmpty {
            let w = min(DisplayWidth.of(note) + 2, area.width - 4)
            let field = Rect(x: right - 1 - w, y: bottom, width: w, height: 1)
            buf.put(" " + note + " ", in: field, align: .right, role: .muted, ellipsis: g.ellipsis)
        }
        return area.inset(dx: 1, dy: 1)
    }
}

/// A focused box that explains how to get content into an empty view: its first line as a sentence, the rest
/// (an example, where the docs are) muted.
struct HowToBox: Widget {
    var title: String
    var lines: [String]
    var glyphs: Glyphs

    func render(into buf: inout ScreenBuffer, area: Rect) {
        let inner = Box(title: title, focused: true, glyphs: glyphs).render(into: &buf, area: area)
        for (i, l) in lines.enumerated() {
            buf.put(l, in: inner.row(i).inset(dx: 1, dy: 0), role: i == 0 ? .normal : .muted, ellipsis: glyphs.ellipsis)
        }
    }
}
