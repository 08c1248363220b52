/// The arithmetic of `sum(…)` scores (docs/DEFINITIONS.md, Scores): exact whatever the order of the events, so that
/// every engine (the embedded one, Spark) gets the same number. Each value (per event, or per list element) is
/// rounded to millionths (half away from zero) and clamped to ±10¹² (±10¹⁸ millionths); the millionths are added
/// as integers (128 bits: no overflow), and the sum is divided by 10⁶ once. A value that is not finite (a formula
/// reaching ±∞ or NaN) is no number: it adds nothing (and `max`/`min` skip it).
public enum ScoreSum {
    /// Millionths per unit.
    public static let scale: Double = 1_000_000
    /// The largest magnitude of one value, in millionths.
    public static let limit: Int64 = 1_000_000_000_000_000_000

    /// `x` in millionths (rounded half away from zero, clamped to ±``limit``), or nil when `x` is not finite.
    @inline(__always) public static func micro(_ x: Double) -> Int64? {
        guard x.isFinite else { return nil }
        let m = (x * scale).rounded()
        if m >= Double(limit) { return limit }
        if m <= -Double(limit) { return -limit }
        return Int64(m)
    }

    /// The number a sum of millionths stands for.
    ///
    /// A sum that fits in 64 bits (every sum of fewer than ten values, and every realistic one) converts through
    /// `Int64`: the same correctly rounded `Double` as `Double(micro)`, whose generic 128-bit path cost ~1,900
    /// instructions per call (docs/PERFORMANCE.md, "perf, session 6 (analysis)"); wider sums take that path.
    @inline(__always) public static func value(_ micro: Int128) -> Double {
        let narrow = Int64(truncatingIfNeeded: micro)
        if Int128(narrow) == micro { return Double(narrow) / scale }
        return Double(micro) / scale
    }
}
