/// Number formats of the text and CSV renderers (no locale: the same bytes everywhere).
public enum NumberFormat {
    /// `x` rounded half away from zero to `decimals` places: `fixed(42.857, 1)` = `42.9`.
    public static func fixed(_ x: Double, _ decimals: Int) -> String {
        guard x.isFinite else { return x.isNaN ? "NaN" : (x < 0 ? "-inf" : "inf") }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(x) * scale).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9.0e18 else { return "\(x)" }
        let n = Int64(scaled)
        let negative = x < 0 && n != 0
        let unit = Int64(scale)
        var s = String(n / unit)
        if decimals > 0 {
            let frac = String(n % unit)
            s += "." + String(repeating: "0", count: decimals - frac.count) + frac
        }
        return negative ? "-" + s : s
    }

    /// A fraction 0…1 as a percentage with one decimal (`0.4286` → `42.9%`), `-` for nil.
    static func percent(_ x: Double?) -> String { x.map { fixed($0 * 100, 1) + "%" } ?? "-" }

    /// A number with one decimal, `-` for nil.
    static func oneDecimal(_ x: Double?) -> String { x.map { fixed($0, 1) } ?? "-" }

    /// A duration in seconds for people, two units at most, a zero second unit left out:
    /// `45s`, `3m 20s`, `2h 05m`, `2h`, `3d 04h`, `7d`; `-` for nil.
    static func duration(_ seconds: Double?) -> String {
        guard let seconds, seconds.isFinite else { return "-" }
        let total = Int64(seconds.rounded(.toNearestOrAwayFromZero))
        let sign = total < 0 ? "-" : ""
        let t = abs(total)
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        func join(_ big: Int64, _ bigUnit: String, _ small: Int64, _ smallUnit: String) -> String {
            small == 0 ? "\(sign)\(big)\(bigUnit)" : "\(sign)\(big)\(bigUnit) \(two(small))\(smallUnit)"
        }
        if t < 60 { return "\(sign)\(t)s" }
        if t < 3600 { return join(t / 60, "m", t % 60, "s") }
        if t < 86_400 { return join(t / 3600, "h", t / 60 % 60, "m") }
        return join(t / 86_400, "d", t / 3600 % 24, "h")
    }

    /// A number for machines: integral values without a fraction (`3`), others in Swift's
    /// shortest round-trip form (`0.42857142857142855`).
    static func plain(_ x: Double) -> String {
        if x.isFinite, x.rounded(.towardZero) == x, abs(x) < 9.0e15 { return String(Int64(x)) }
        return "\(x)"
    }
}

/// Durations for people, as the dashboard and `earshot check` write them: two units at most, the
/// second without padding and left out when zero: `42s`, `12m 5s`, `12m`, `3h 12m`, `9d 9h`, `7d`.
public enum DurationText {
    /// `seconds` rounded to whole seconds (half away from zero); negative durations get a `-`.
    public static func short(_ seconds: Double) -> String {
        guard seconds.isFinite else { return seconds.isNaN ? "NaN" : (seconds < 0 ? "-inf" : "inf") }
        let rounded = seconds.rounded(.toNearestOrAwayFromZero)
        guard abs(rounded) < 9.0e18 else { return "\(seconds)s" }
        let total = Int64(rounded)
        let sign = total < 0 ? "-" : ""
        let t = total.magnitude
        func two(_ a: UInt64, _ ua: String, _ b: UInt64, _ ub: String) -> String {
            b == 0 ? "\(sign)\(a)\(ua)" : "\(sign)\(a)\(ua) \(b)\(ub)"
        }
        if t < 60 { return "\(sign)\(t)s" }
        if t < 3600 { return two(t / 60, "m", t % 60, "s") }
        if t < 86_400 { return two(t / 3600, "h", t % 3600 / 60, "m") }
        return two(t / 86_400, "d", t % 86_400 / 3600, "h")
    }
}
