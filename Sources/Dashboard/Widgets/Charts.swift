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

/// A sparkline of the last values that fit, scaled from the smallest to the largest value shown
/// (a trend, not a magnitude: a flat series sits in the middle, zeros at the bottom).
struct Sparkline {
    var values: [Double]
    var role: StyleRole = .bar
    var glyphs: Glyphs

    func render(into buf: inout ScreenBuffer, area: Rect) {
        guard !area.isEmpty, !values.isEmpty else { return }
        let shown = values.suffix(area.width)
        let finite = shown.filter(\.isFinite)
        let lo = finite.min() ?? 0, hi = finite.max() ?? 0
        let levels = glyphs.sparkLevels.count
        for (i, v) in shown.enumerated() {
            let level: Int
            if !v.isFinite || (hi == lo && v == 0) { level = 0 }
            else if hi == lo { level = levels / 2 }
            else { level = min(levels - 1, max(0, Int(((v - lo) / (hi - lo) * Double(levels - 1)).rounded()))) }
            buf.put(glyphs.sparkLevels[level], x: area.x + i, y: area.y, clip: area, role: role)
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
        let barWidth = area.width - lw - 1
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
