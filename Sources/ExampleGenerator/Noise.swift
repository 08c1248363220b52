/// The intentional data-quality problems of the example store: a fixed handful of malformed lines of
/// different kinds and a few blank lines, at fixed relative positions in the time range. (Duplicates
/// are injected by the ``Router``.)
enum Noise {
    enum Kind: String, Sendable, CaseIterable {
        /// A line cut off mid-way (a partial re-delivery): not valid JSON.
        case truncated
        /// Not JSON at all (a proxy's error page captured into the log).
        case notJSON
        /// Valid JSON without a `type`.
        case missingType
        /// Valid JSON without `userId` and `anonymousId`.
        case noIds
        /// A timestamp without a zone (`2026-10-22T14:22:05.120`) and no other time.
        case zonelessTimestamp
        /// An empty line (ignored by readers, not malformed).
        case blank
    }

    struct Item {
        /// Position in the time range, percent of the days (0 = first day, 100 = last day).
        let percent: Int
        let kind: Kind
        let stream: StreamKind
    }

    static let schedule: [Item] = [
        Item(percent: 10, kind: .truncated, stream: .main),
        Item(percent: 20, kind: .blank, stream: .main),
        Item(percent: 30, kind: .notJSON, stream: .main),
        Item(percent: 45, kind: .missingType, stream: .main),
        Item(percent: 50, kind: .blank, stream: .surveys),
        Item(percent: 55, kind: .noIds, stream: .main),
        Item(percent: 60, kind: .truncated, stream: .surveys),
        Item(percent: 70, kind: .zonelessTimestamp, stream: .main),
        Item(percent: 92, kind: .truncated, stream: .main),
        Item(percent: 100, kind: .blank, stream: .main),
    ]

    /// Lines of each kind in every generated store.
    static func count(_ kind: Kind) -> Int { schedule.filter { $0.kind == kind }.count }

    /// Malformed lines (everything but blank lines) in every generated store.
    static var malformedCount: Int { schedule.filter { $0.kind != .blank }.count }

    /// The day index of an item in a store of `days` days.
    static func day(of item: Item, days: Int) -> Int { (days - 1) * item.percent / 100 }

    /// Adds the day's noise lines to the router.
    static func inject(day d: Int, into router: inout Router) {
        let start = router.rangeStart + Int64(d) * CivilTime.msPerDay
        for item in schedule where day(of: item, days: router.days) == d {
            let at = start + router.noise.int64(6 * 3_600_000 ... 22 * 3_600_000)
            let line: [UInt8]
            switch item.kind {
            case .blank:
                line = []
            case .truncated:
                let whole = router.sampleLine(day: d, stream: item.stream) ?? synthetic(at: at, rng: &router.noise)
                line = Array(whole.prefix(max(1, whole.count * 3 / 5)))
            case .notJSON:
                line = Array("<html><head><title>502 Bad Gateway</title></head><body>upstream timed out</body></html>".utf8)
            case .missingType, .noIds, .zonelessTimestamp:
                line = synthetic(at: at, rng: &router.noise, omitType: item.kind == .missingType,
                                 omitIds: item.kind == .noIds, zoneless: item.kind == .zonelessTimestamp)
            }
            let key = item.kind == .blank && item.percent == 100 ? Int64.max : at
            router.inject(line, key: key, day: d, stream: item.stream)
        }
    }

    /// A `Product Viewed` line of a visitor who appears nowhere else.
    static func synthetic(at t: Int64, rng: inout SplitMix64, omitType: Bool = false, omitIds: Bool = false,
                          zoneless: Bool = false) -> [UInt8] {
        var w = JSONWriter()
        w.object { w in
            if !omitType { w.field("type", "track") }
            w.field("messageId", rng.uuid())
            w.key("timestamp"); w.timestamp(t, zone: !zoneless)
            if !omitIds { w.field("anonymousId", rng.uuid()) }
            w.field("event", "Product Viewed")
            w.field("properties") { w in
                w.field("product_id", "BB-101")
                w.field("category", "baby")
                w.field("price", cents: 64900)
            }
        }
        return w.bytes
    }
}
