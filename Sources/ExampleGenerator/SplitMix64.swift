/// A small, fast, fully specified pseudo-random generator (SplitMix64, Steele et al. 2014).
///
/// The example store must be byte-identical on every machine, so the generator never uses
/// the standard library's random APIs (whose algorithms may change between Swift releases)
/// nor any transcendental function from the platform's libm. Everything derived from it uses
/// integer arithmetic or exact IEEE operations (+, −, ×, ÷ on values of at most 53 bits).
struct SplitMix64: Sendable {
    private(set) var state: UInt64

    init(seed: UInt64) { state = seed }

    /// A generator for an independent stream, derived from a seed and stream numbers.
    init(seed: UInt64, stream: UInt64, _ sub: UInt64 = 0) {
        state = SplitMix64.mix(SplitMix64.mix(seed ^ 0x6A09_E667_F3BC_C908) &+ SplitMix64.mix(stream &+ 0x9E37_79B9) &+ sub)
    }

    /// The SplitMix64 finalizer: a bijective 64-bit mixing function.
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1), 53 random bits (exact).
    mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// Uniform integer in `range` (multiply-high reduction; bias below 2⁻⁴⁰ for our spans).
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        let span = UInt64(range.upperBound - range.lowerBound) + 1
        return range.lowerBound + Int(next().multipliedFullWidth(by: span).high)
    }

    /// Uniform 64-bit integer in `range`.
    mutating func int64(_ range: ClosedRange<Int64>) -> Int64 {
        let span = UInt64(range.upperBound - range.lowerBound) + 1
        return range.lowerBound + Int64(next().multipliedFullWidth(by: span).high)
    }

    /// Uniform double in [lo, hi).
    mutating func uniform(_ lo: Double, _ hi: Double) -> Double { lo + (hi - lo) * unit() }

    /// A uniformly chosen element (the array must not be empty).
    mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }

    /// An index chosen with the given non-negative integer weights (at least one positive).
    mutating func weighted(_ weights: [Int]) -> Int {
        var total = 0
        for w in weights { total += w }
        var r = int(0...(total - 1))
        for (i, w) in weights.enumerated() {
            if r < w { return i }
            r -= w
        }
        return weights.count - 1
    }

    /// Milliseconds in [lo, hi] seconds, skewed towards `lo` (the smaller of two uniform draws).
    mutating func skewedMillis(_ loSeconds: Double, _ hiSeconds: Double) -> Int64 {
        let u = min(unit(), unit())
        return Int64((loSeconds + (hiSeconds - loSeconds) * u) * 1000)
    }

    /// Milliseconds uniformly in [lo, hi] seconds.
    mutating func millis(_ loSeconds: Double, _ hiSeconds: Double) -> Int64 {
        Int64((loSeconds + (hiSeconds - loSeconds) * unit()) * 1000)
    }

    /// A random version-4 UUID in its canonical lowercase 8-4-4-4-12 form.
    mutating func uuid() -> String {
        let a = next(), b = next()
        return SplitMix64.formatUUID(a, b)
    }

    /// Formats 128 bits as a version-4, variant-1 UUID.
    static func formatUUID(_ a: UInt64, _ b: UInt64) -> String {
        let hi = (a & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000
        let lo = (b & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        var out = [UInt8]()
        out.reserveCapacity(36)
        let digits = Array("0123456789abcdef".utf8)
        func put(_ v: UInt64, _ nibbles: Int) {
            var i = nibbles - 1
            while i >= 0 { out.append(digits[Int((v >> UInt64(i * 4)) & 0xF)]); i -= 1 }
        }
        put(hi >> 32, 8); out.append(UInt8(ascii: "-"))
        put((hi >> 16) & 0xFFFF, 4); out.append(UInt8(ascii: "-"))
        put(hi & 0xFFFF, 4); out.append(UInt8(ascii: "-"))
        put(lo >> 48, 4); out.append(UInt8(ascii: "-"))
        put(lo & 0xFFFF_FFFF_FFFF, 12)
        return String(decoding: out, as: UTF8.self)
    }
}
