import Analytics
import EventStore
/// Number, percentage, duration and date formatting for the views (no Foundation, no locale:
/// the same text on every machine).
public struct Format: Sendable {
    /// Shown for a missing value.
    public var missing: String

    public init(missing: String = "—") { self.missing = missing }

    /// `12400` → `12,400`.
    public static func int(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        out.reserveCapacity(digits.count + digits.count / 3 + 1)
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return n < 0 ? "-" + out : out
    }

    /// `x` rounded to `decimals` places, e.g. `fixed(41.25, 1)` → `41.3` (half away from zero).
    public static func fixed(_ x: Double, _ decimals: Int) -> String {
        guard x.isFinite else { return x.isNaN ? "NaN" : (x > 0 ? "inf" : "-inf") }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(x) * scale).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9.0e17 else { return String(x) }
        let n = Int(scaled)
        let p = Int(scale)
        let whole = n / p, frac = n % p
        var s = int(whole)
        if decimals > 0 {
            let f = String(frac)
            s += "." + String(repeating: "0", count: decimals - f.count) + f
        }
        return (x < 0 && n != 0) ? "-" + s : s
    }

    /// A fraction 0…1 as a percentage with one decimal: `0.412` → `41.2%`; tiny non-zero → `<0.1%`.
    public func percent(_ fraction: Double?) -> String {
        guard let f = fraction, f.isFinite else { return missing }
        if f > 0 && f < 0.0005 { return "<0.1%" }
        return Self.fixed(f * 100, 1) + "%"
    }

    /// A whole-number percentage: `0.412` → `41%`.
    public func percent0(_ fraction: Double?) -> String {
        guard let f = fraction, f.isFinite else { return missing }
        return Self.fixed(f * 100, 0) + "%"
    }

    /// A signed relative change: `0.032` → `+3.2%`, `-0.1` → `-10.0%`, `0` → `0.0%`.
    public func change(_ fraction: Double?) -> String {
        guard let f = fraction, f.isFinite else { return missing }
        let s = Self.fixed(f * 100, 1)
        if s == "0.0" || s == "-0.0" { return "0.0%" }
        return (f > 0 ? "+" : "") + s + "%"
    }

    /// A count or the missing mark.
    public func int(_ n: Int?) -> String { n.map(Self.int) ?? missing }

    /// Net Promoter Score: `32.4` → `+32`, `-5` → `-5`, nil → missing.
    public func nps(_ score: Double?) -> String {
        guard let s = score, s.isFinite else { return missing }
        let r = Int(s.rounded(.toNearestOrAwayFromZero))
        return r > 0 ? "+\(r)" : "\(r)"
    }

    /// Seconds as a short duration: `42s`, `12m 5s`, `12m`, `3h 12m`, `2d 4h`, `7d` (``DurationText``, as `check` writes them).
    public func duration(_ seconds: Double?) -> String {
        guard let sec = seconds, sec.isFinite else { return missing }
        return DurationText.short(max(0, sec))
    }

    /// Bytes for people: `512 B`, `12.3 KB`, `40.1 MB`, `2.0 GB` (powers of 1000).
    public static func bytes(_ n: Int64) -> String {
        let x = Double(n)
        if n < 1000 { return "\(n) B" }
        if x < 1e6 { return fixed(x / 1e3, 1) + " KB" }
        if x < 1e9 { return fixed(x / 1e6, 1) + " MB" }
        return fixed(x / 1e9, 1) + " GB"
    }

    /// The date part of an ISO-8601 time (`2026-03-01T14:02:11Z` → `2026-03-01`), or the text itself.
    public static func day(_ iso: String) -> String {
        iso.count >= 10 ? String(iso.prefix(10)) : iso
    }

    /// Seconds since 1970 of an ISO-8601 time (`YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)`, or a bare date taken
    /// as midnight UTC), nil when not of that form. Parsed by the store's own ``ISO8601Time``.
    /// Milliseconds since 1970 of an ISO 8601 time (a bare day is its midnight UTC), nil when it does not parse.
    public static func epochMilliseconds(iso: String) -> Int64? {
        try? ISO8601Time.milliseconds(iso.utf8.count == 10 ? iso + "T00:00:00Z" : iso)
    }

    public static func epochSeconds(iso: String) -> Int64? {
        let text = iso.utf8.count == 10 ? iso + "T00:00:00Z" : iso
        guard let ms = try? ISO8601Time.milliseconds(text) else { return nil }
        return ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000)
    }
}
