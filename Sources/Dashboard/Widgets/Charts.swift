import Analytics
/// A horizontal bar filled to a fraction of its width, with eighth-cell resolution when the glyphs allow.
struct Bar {
    var fraction: Double
    var role: StyleRole = .bar
    var glyphs: Glyphs

    func render(into buf: inout ScreenBuffer, area: Rect) {
        guard !area.isEmpty else { return }
        let f = fraction.isFinite ? min(1, max(0, fraction)) : 0
        let steps = glyphs.barBlocks.count
        let units = Int((f * Double(area.width * steps)).rounded())
        let full = units / steps, part = units % steps
        for i in 0..<full { buf.put(glyphs.barBlocks[steps - 1], x: area.x + i, y: area.y, clip: area, role: role) }
        if part > 0 { buf.put(glyphs.barBlocks[part - 1], x: area.x + full, y: area.y, clip: area, role: role) }
    }
}

/// A weekly (or any) series for a sparkline: a nil value is withheld or missing and is not drawn; the points in
/// `partial` (weeks the data covers only in part) are drawn dimmed.
struct Series: Sendable, Equatable {
    var values: [Double?]
    var partial: Set<Int> = []

    init(_ values: [Double?], partial: Set<Int> = []) { self.values = values; self.partial = partial }
}

/// A sparkline of the last values that fit, scaled from the smallest to the largest value shown
/// (a trend, not a magnitude: a flat series sits in the middle, zeros at the bottom). With room to spare each point
/// takes up to four cells, so the line grows with the box. Withheld points (nil) are left blank; partial points dimmed.
struct Sparkline {
    var series: Series
    var role: StyleRole = .bar
    var glyphs: Glyphs

    init(values: [Double], role: StyleRole = .bar, glyphs: Glyphs) {
        self.series = Series(values.map { $0 }); self.role = role; self.glyphs = glyphs
    }

    init(series: Series, role: StyleRole = .bar, glyphs: Glyphs) {
        self.series = series; self.role = role; self.glyphs = glyphs
    }

    /// Cells per point for `count` points in `width` cells (1…4).
    static func cellsPerPoint(count: Int, width: Int) -> Int {
        guard count > 0 else { return 1 }
        return max(1, min(4, width / count))
    }

    /// The cells per point and the first of `count` points that a sparkline of `width` cells shows (the latest ones).
    static func window(count: Int, width: Int) -> (k: Int, first: Int) {
        let k = cellsPerPoint(count: count, width: width)
        return (k, max(0, count - width / k))
    }

    func render(into buf: inout ScreenBuffer, area: Rect) {
        let values = series.values
        guard !area.isEmpty, !values.isEmpty else { return }
        let (k, first) = Self.window(count: values.count, width: area.width)
        let finite = values[first...].compactMap { $0 }.filter(\.isFinite)
        let lo = finite.min() ?? 0, hi = finite.max() ?? 0
        let levels = glyphs.sparkLevels.count
        for i in first..<values.count {
            guard let v = values[i] else { continue }
            let level: Int
            if !v.isFinite || (hi == lo && v == 0) { level = 0 }
            else if hi == lo { level = levels / 2 }
            else { level = min(levels - 1, max(0, Int(((v - lo) / (hi - lo) * Double(levels - 1)).rounded()))) }
            let r: StyleRole = series.partial.contains(i) && role == .bar ? .muted : role
            for c in 0..<k {
                buf.put(glyphs.sparkLevels[level], x: area.x + (i - first) * k + c, y: area.y, clip: area, role: r)
            }
        }
    }
}

/// The row under a weekly sparkline: under each week's point, `◌` for a partial week (the first, when the data starts
/// after its Monday; the one still running) and `◐` for a week whose answers can still arrive; with room, the first and
/// last week's labels (`W34`, `W47`) where they do not cover a mark. Same geometry as ``Sparkline``.
struct WeekAxis {
    var labels: [String]
    var marks: WeekMarks
    var glyphs: Glyphs

    func render(into buf: inout ScreenBuffer, area: Rect) {
        guard !area.isEmpty, !labels.isEmpty else { return }
        let (k, first) = Sparkline.window(count: labels.count, width: area.width)
        var used = Set<Int>()
        for i in first..<labels.count {
            let x = (i - first) * k
            if marks.partial.contains(i) {
                buf.put(glyphs.partialWeek, x: area.x + x, y: area.y, clip: area, role: .muted); used.insert(x)
            } else if marks.pending.contains(i) {
                buf.put(glyphs.pendingWeek, x: area.x + x, y: area.y, clip: area, role: .muted); used.insert(x)
            }
        }
        // The first and the last week's labels, under their own points, when those weeks carry no mark (a label
        // is never put under another week's point).
        let short = { (l: String) in String(l.split(separator: "-").last ?? Substring(l)) }
        let a = short(labels[first]), b = short(labels[labels.count - 1])
        let aw = DisplayWidth.of(a), bw = DisplayWidth.of(b)
        let lastX = (labels.count - 1 - first) * k
        let span = (labels.count - first) * k
        let aFree = !used.contains(0), bFree = !used.contains(lastX)
        let bStart = span - bw
        if aFree && bFree && aw + 1 + bw <= span && k >= max(aw, bw) {
            buf.put(a, x: area.x, y: area.y, clip: area, role: .muted)
            buf.put(b, x: area.x + bStart, y: area.y, clip: area, role: .muted)
        }
    }
}

/// A gauge `███████░░░░ 71.3%`: filled part in a role chosen by the value, empty part muted, label after it.
struct Gauge {
    var fraction: Double?
    var label: String
    var role: StyleRole
    var glyphs: Glyphs

    func render(into buf: inout ScreenBuffer, area: Rect) {
        guard !area.isEmpty else { return }
        let lw = DisplayWidth.of(label)
        let barWidth = area.width - lw - (lw > 0 ? 1 : 0)
        if barWidth >= 3 {
            let f = fraction.map { $0.isFinite ? min(1, max(0, $0)) : 0 } ?? 0
            let filled = Int((f * Double(barWidth)).rounded())
            for i in 0..<barWidth {
                let on = i < filled
                buf.put(on ? glyphs.gaugeFill : glyphs.gaugeEmpty, x: area.x + i, y: area.y, clip: area,
                        role: on ? role : .muted)
            }
            buf.put(label, in: Rect(x: area.x + barWidth + 1, y: area.y, width: lw, height: 1), align: .right,
                    role: role, ellipsis: glyphs.ellipsis)
        } else {
            buf.put(label, in: area, align: .right, role: role, ellipsis: glyphs.ellipsis)
        }
    }
}

/// Parts of a whole side by side, each in its own role and glyph (largest remainder rounding,
/// so the parts always fill the width exactly when the total is positive).
struct StackedBar {
    var parts: [(value: Double, role: StyleRole, glyph: String)]
    var glyphs: Glyphs

    func render(into buf: inout ScreenBuffer, area: Rect) {
        guard !area.isEmpty else { return }
        let total = parts.reduce(0) { $0 + max(0, $1.value) }
        guard total > 0 else {
            for i in 0..<area.width { buf.put(glyphs.gaugeEmpty, x: area.x + i, y: area.y, clip: area, role: .muted) }
            return
        }
        let widths = Self.apportion(parts.map { max(0, $0.value) / total }, into: area.width)
        var x = area.x
        for (i, w) in widths.enumerated() {
            for _ in 0..<w { buf.put(parts[i].glyph, x: x, y: area.y, clip: area, role: parts[i].role); x += 1 }
        }
    }

    /// Splits `width` cells by shares (summing to 1) with the largest-remainder method.
    static func apportion(_ shares: [Double], into width: Int) -> [Int] {
        let exact = shares.map { $0 * Double(width) }
        var out = exact.map { Int($0) }
        var left = width - out.reduce(0, +)
        let byRemainder = exact.indices.sorted { (exact[$0] - Double(out[$0])) > (exact[$1] - Double(out[$1])) }
        var k = 0
        while left > 0 && !byRemainder.isEmpty {
            out[byRemainder[k % byRemainder.count]] += 1; left -= 1; k += 1
        }
        return out
    }
}
