import EventStore
import Analytics
extension Rect {
    /// The part of both rectangles.
    public func intersection(_ o: Rect) -> Rect {
        let x0 = max(x, o.x), y0 = max(y, o.y)
        let x1 = min(maxX, o.maxX), y1 = min(maxY, o.maxY)
        return Rect(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
    }

    /// Shrunk by `dx` columns on the left and right and `dy` rows on top and bottom.
    public func inset(dx: Int, dy: Int) -> Rect {
        Rect(x: x + dx, y: y + dy, width: width - 2 * dx, height: height - 2 * dy)
    }

    /// Row `i` (0-based) as a one-row rectangle; empty when outside.
    public func row(_ i: Int) -> Rect {
        guard i >= 0 && i < height else { return Rect(x: x, y: y + max(0, i), width: 0, height: 0) }
        return Rect(x: x, y: y + i, width: width, height: 1)
    }

    /// The top `rows` rows and the rest.
    public func splitTop(_ rows: Int) -> (top: Rect, rest: Rect) {
        let r = min(max(0, rows), height)
        return (Rect(x: x, y: y, width: width, height: r), Rect(x: x, y: y + r, width: width, height: height - r))
    }

    /// The left `cols` columns and the rest.
    public func splitLeft(_ cols: Int) -> (left: Rect, rest: Rect) {
        let c = min(max(0, cols), width)
        return (Rect(x: x, y: y, width: c, height: height), Rect(x: x + c, y: y, width: width - c, height: height))
    }

    /// A rectangle of at most the given size centered in this one.
    public func centered(width w: Int, height h: Int) -> Rect {
        let cw = min(w, width), ch = min(h, height)
        return Rect(x: x + (width - cw) / 2, y: y + (height - ch) / 2, width: cw, height: ch)
    }
}

/// Horizontal alignment of text in a field.
public enum Alignment: Sendable { case left, right, center }

extension ScreenBuffer {
    /// Sets one cell, keeping wide characters whole: overwriting either half of a wide character
    /// blanks its other half. Out-of-bounds positions are ignored.
    public mutating func set(x: Int, y: Int, _ cell: Cell) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        let i = y * width + x
        let old = cells[i]
        if old.width == 2, x + 1 < width { cells[i + 1] = Cell(text: " ", width: 1, role: cells[i + 1].role) }
        if old.width == 0, x > 0, cells[i - 1].width == 2 { cells[i - 1] = Cell(text: " ", width: 1, role: cells[i - 1].role) }
        if cell.width == 2 {
            guard x + 1 < width else { cells[i] = Cell(text: " ", width: 1, role: cell.role); return }
            let next = cells[i + 1]
            if next.width == 2, x + 2 < width { cells[i + 2] = Cell(text: " ", width: 1, role: cells[i + 2].role) }
            cells[i] = cell
            cells[i + 1] = Cell(text: "", width: 0, role: cell.role)
        } else {
            cells[i] = cell
        }
    }

    /// Writes `text` from column `x` of row `y`, clipped to `clip` and the buffer; returns the columns used.
    /// A wide character that does not fit whole is replaced by a space; characters a sanitizer would have
    /// removed are drawn as `?` (defence in depth: callers pass clean text).
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, clip: Rect, role: StyleRole) -> Int {
        let area = clip.intersection(self.area)
        guard y >= area.y, y < area.maxY, x < area.maxX else { return 0 }
        var cx = x
        for ch in text {
            if cx >= area.maxX { break }
            var w = DisplayWidth.of(ch)
            var glyph = String(ch)
            if ch.unicodeScalars.contains(where: { UnsafeText.isUnsafe($0.value) && $0.value != 0x200D }) {
                glyph = "?"; w = 1
            }
            if w == 0 { continue }
            if cx < area.x { cx += w; continue }
            if cx + w > area.maxX {
                set(x: cx, y: y, Cell(text: " ", width: 1, role: role)); cx += 1; continue
            }
            set(x: cx, y: y, Cell(text: glyph, width: UInt8(w), role: role))
            cx += w
        }
        return cx - x
    }

    /// Writes `text` in a one-row field, aligned, cut with `ellipsis` when too long (at the start when
    /// `keepEnd`, for paths); returns the columns used.
    @discardableResult
    public mutating func put(_ text: String, in field: Rect, align: Alignment = .left, role: StyleRole,
                             ellipsis: String, keepEnd: Bool = false) -> Int {
        guard !field.isEmpty else { return 0 }
        let fitted = keepEnd ? Sanitizer.truncateHead(text, width: field.width, ellipsis: ellipsis)
                             : Sanitizer.truncate(text, width: field.width, ellipsis: ellipsis)
        let w = DisplayWidth.of(fitted)
        let x: Int
        switch align {
        case .left: x = field.x
        case .right: x = field.maxX - w
        case .center: x = field.x + (field.width - w) / 2
        }
        return put(fitted, x: x, y: field.y, clip: field, role: role)
    }

    /// Fills a rectangle with one glyph (a space by default) in a role.
    public mutating func fill(_ rect: Rect, role: StyleRole, glyph: String = " ") {
        let r = rect.intersection(area)
        guard !r.isEmpty else { return }
        for yy in r.y..<r.maxY { for xx in r.x..<r.maxX { set(x: xx, y: yy, Cell(text: glyph, width: 1, role: role)) } }
    }

    /// Changes the role of every cell in a rectangle, keeping the text.
    public mutating func restyle(_ rect: Rect, role: StyleRole) {
        let r = rect.intersection(area)
        guard !r.isEmpty else { return }
        for yy in r.y..<r.maxY { for xx in r.x..<r.maxX { cells[yy * width + xx].role = role } }
    }

    /// The text layer, one string per row (the right half of a wide character adds nothing).
    public func textLines() -> [String] {
        (0..<height).map { y in
            var s = ""
            for x in 0..<width where cells[y * width + x].width != 0 { s += cells[y * width + x].text }
            return s
        }
    }
}
