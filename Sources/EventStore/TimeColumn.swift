/// The event times of a table: milliseconds since the Unix epoch, UTC, one per row, exact (#14, the compact
/// table).
///
/// A finished table stores each time as a 40-bit offset from the earliest time (`base`): the low 32 bits in
/// `low`, bits 32–39 in `high` — 5 bytes per row instead of 8, exact to the millisecond for any store whose
/// times span less than 2⁴⁰ ms (≈ 34.8 years). A store with a wider span (a stray year-1900 timestamp, a
/// deletion without a time, which reads as `Int64.max`) keeps every time in full (`wide`, 8 bytes per row):
/// never rounded. Milliseconds are needed (the `within`/`in last` windows, the time-then-file-order ties),
/// and a 4-byte offset of milliseconds covers only ~49.7 days, so 5 bytes is the smallest exact fixed width
/// for real stores (ExampleData spans four months).
///
/// While a builder appends rows the column is `wide`; ``EventTableBuilder/finish()`` writes the packed
/// column while it permutes the rows. It is a `RandomAccessCollection` of `Int64`, so `time[r]`, `min()`,
/// `map` work as on the array it replaces; hot loops use ``withUnsafeBufferPointer(_:)``.
public struct TimeColumn: RandomAccessCollection, Sendable, CustomStringConvertible {
    /// Offsets are from this time (the earliest), when packed.
    public private(set) var base: Int64 = 0
    /// Bits 0–31 of each row's offset, when packed.
    public private(set) var low: [UInt32] = []
    /// Bits 32–39 of each row's offset, when packed.
    public private(set) var high: [UInt8] = []
    /// Every row's time in full, when not packed.
    public private(set) var wide: [Int64] = []
    /// Whether the times are stored as 40-bit offsets (`base`, `low`, `high`) rather than in full (`wide`).
    public private(set) var isPacked = false

    /// Offsets below this fit the packed layout.
    public static let packedSpan: Int64 = 1 << 40

    /// An empty column.
    public init() {}

    /// The column of `times`, packed when their span allows.
    public init(_ times: [Int64]) {
        if let (lo, hi) = Self.bounds(times), Self.fits(lo, hi) {
            self.init(packing: times.count, base: lo) { times[$0] }
        } else {
            self.init(wide: times)
        }
    }

    /// A packed column of `rows` rows whose row r is `time(r)` (all within `base ..< base + packedSpan`).
    init(packing rows: Int, base: Int64, _ time: (Int) -> Int64) {
        self.base = base
        isPacked = true
        var low: [UInt32] = []
        high = [UInt8](unsafeUninitializedCapacity: rows) { h, highCount in
            low = [UInt32](unsafeUninitializedCapacity: rows) { out, initialized in
                for r in 0 ..< rows {
                    let offset = UInt64(bitPattern: time(r) &- base)
                    out[r] = UInt32(truncatingIfNeeded: offset)
                    h[r] = UInt8(truncatingIfNeeded: offset >> 32)
                }
                initialized = rows
            }
            highCount = rows
        }
        self.low = low
    }

    /// A packed column from its stored parts (a cache read): nil when they disagree in length or `base`
    /// plus the largest offset would not be a valid time.
    init?(base: Int64, low: [UInt32], high: [UInt8]) {
        guard low.count == high.count, base <= Int64.max - (Self.packedSpan - 1) else { return nil }
        self.base = base; self.low = low; self.high = high; isPacked = true
    }

    /// A column holding `times` in full (a cache read of a wide column, or a builder resuming).
    init(wide times: [Int64]) { wide = times }

    /// The smallest and largest time, or nil when empty.
    static func bounds(_ times: [Int64]) -> (Int64, Int64)? {
        guard var lo = times.first else { return nil }
        var hi = lo
        for t in times {
            if t < lo { lo = t }
            if t > hi { hi = t }
        }
        return (lo, hi)
    }

    /// Whether times from `lo` to `hi` fit the packed layout.
    static func fits(_ lo: Int64, _ hi: Int64) -> Bool {
        let (span, overflow) = hi.subtractingReportingOverflow(lo)
        return !overflow && span < packedSpan
    }

    // MARK: Collection

    public var startIndex: Int { 0 }
    public var endIndex: Int { isPacked ? low.count : wide.count }
    public var count: Int { isPacked ? low.count : wide.count }

    /// Row `r`'s time.
    @inlinable public subscript(r: Int) -> Int64 {
        isPacked ? base &+ (Int64(high[r]) &<< 32 | Int64(low[r])) : wide[r]
    }

    public var description: String { "TimeColumn(\(Array(self)))" }

    /// Bytes this column holds (by element count).
    public var storageBytes: Int { low.count * 4 + high.count + wide.count * 8 }

    /// Calls `body` with a view of the times over the column's memory (no bounds checks in release builds
    /// beyond the buffers'), for hot loops.
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeTimes) throws -> R) rethrows -> R {
        try low.withUnsafeBufferPointer { l in
            try high.withUnsafeBufferPointer { h in
                try wide.withUnsafeBufferPointer { w in
                    try body(UnsafeTimes(base: base, low: l, high: h, wide: w, isPacked: isPacked))
                }
            }
        }
    }

    /// The times of a ``TimeColumn`` over its memory (valid inside ``TimeColumn/withUnsafeBufferPointer(_:)``).
    /// Its reads are `@inlinable`: other modules' hot loops inline them instead of calling per row.
    public struct UnsafeTimes {
        @usableFromInline let base: Int64
        @usableFromInline let low: UnsafeBufferPointer<UInt32>
        @usableFromInline let high: UnsafeBufferPointer<UInt8>
        @usableFromInline let wide: UnsafeBufferPointer<Int64>
        @usableFromInline let isPacked: Bool
        /// Row `r`'s time.
        @inlinable @inline(__always) public subscript(r: Int) -> Int64 {
            isPacked ? base &+ (Int64(high[r]) &<< 32 | Int64(low[r])) : wide[r]
        }
        /// Number of rows.
        @inlinable public var count: Int { isPacked ? low.count : wide.count }
    }

    // MARK: Building

    /// Appends a time (only while the column is not packed: a builder's column).
    mutating func append(_ t: Int64) {
        precondition(!isPacked, "a packed time column is read-only")
        wide.append(t)
    }

    /// Appends times in a block (only while not packed; the builder's staged rows, ``EventTableBuilder/flushRows()``).
    mutating func append(contentsOf times: UnsafeBufferPointer<Int64>) {
        precondition(!isPacked, "a packed time column is read-only")
        wide.append(contentsOf: times)
    }

    /// Reserves room for `rows` times (while not packed).
    mutating func reserveCapacity(_ rows: Int) { if !isPacked { wide.reserveCapacity(rows) } }

    /// This column with rows taken in `order` (new row i = old row order[i]), packed when the span allows.
    func permuted(_ order: [Int32]) -> TimeColumn {
        if isPacked {
            return TimeColumn(packing: order.count, base: base) { self[Int(order[$0])] }
        }
        guard let (lo, hi) = Self.bounds(wide), Self.fits(lo, hi) else {
            return TimeColumn(wide: order.map { wide[Int($0)] })
        }
        return wide.withUnsafeBufferPointer { w in TimeColumn(packing: order.count, base: lo) { w[Int(order[$0])] } }
    }

    /// This column in full with rows taken in `order` (a builder resuming appends to it).
    func unpacked(_ order: [Int]) -> TimeColumn { TimeColumn(wide: order.map { self[$0] }) }

    /// This column with the rows where `keep` is true (packed like this one when it is).
    func filtered(_ keep: [Bool]) -> TimeColumn {
        var rows: [Int32] = []
        for (r, k) in keep.enumerated() where k { rows.append(Int32(r)) }
        return permuted(rows)
    }
}

extension TimeColumn: Equatable {
    /// Equal when they hold the same times (packed or not).
    public static func == (a: TimeColumn, b: TimeColumn) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0 == $1 }
    }
}
