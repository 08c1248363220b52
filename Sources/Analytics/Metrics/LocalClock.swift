import Foundation
import EventStore

/// Local weekday and hour of an event time in an IANA time zone, with one `TimeZone` per
/// interned zone name (looked up once). Unknown zone names fall back to UTC and are counted.
///
/// A zone's offset from UTC is constant between two of its transitions, so each zone keeps the spans it has been
/// asked about: a span runs from a time whose offset Foundation gave (`secondsFromGMT(for:)`) to the zone's next
/// transition after that time (`nextDaylightSavingTimeTransition(after:)`: ICU's next time-zone transition, standard
/// or daylight), ending a millisecond before the transition. A time inside a known span takes the
/// span's offset without asking Foundation again (which costs a lock and an ICU calendar computation per call:
/// docs/PERFORMANCE.md, "Session 9, the analysis"); a time outside every span asks and adds or widens a span. So
/// every offset is the one Foundation gives for that very time (`LocalClockTests` compares both over several
/// years of times in many zones, across their transitions).
struct LocalClock {
    private let strings: Interner
    /// Index into ``known`` per interned zone name; -1: not a known zone.
    private var zones: [Int32: Int] = [:]
    private var known: [Zone] = []
    /// The zone of the previous conversion (a person's prompts mostly share one) and its last used span.
    private var lastID: Int32 = -1
    private var lastIndex = -1
    private var lastSpan = Span(start: 1, end: 0, offset: 0)
    /// How many conversions used UTC because the zone name was unknown.
    private(set) var unknownZoneUses = 0

    /// At most this many spans per zone (a store's prompts span a few transitions; beyond it, Foundation is asked).
    static let maxSpans = 64

    /// Times `start ... end` (milliseconds) of one offset (milliseconds).
    private struct Span {
        var start: Int64
        var end: Int64
        var offset: Int64
        @inline(__always) func contains(_ ms: Int64) -> Bool { ms >= start && ms <= end }
    }

    private struct Zone {
        let zone: TimeZone
        var spans: [Span] = []
    }

    init(strings: Interner) { self.strings = strings }

    /// The local ISO weekday (1 = Monday … 7) and hour (0…23) of `ms` in zone `zoneID`
    /// (an interned IANA name, or -1 for UTC).
    mutating func weekdayHour(ms: Int64, zoneID: Int32) -> (weekday: Int, hour: Int) {
        var offsetMs: Int64 = 0
        if zoneID >= 0 {
            if zoneID == lastID, lastSpan.contains(ms) {
                offsetMs = lastSpan.offset
            } else {
                let index: Int
                if zoneID == lastID { index = lastIndex } else if let cached = zones[zoneID] { index = cached } else {
                    if let zone = TimeZone(identifier: strings[zoneID]) {
                        index = known.count
                        known.append(Zone(zone: zone))
                    } else {
                        index = -1
                    }
                    zones[zoneID] = index
                }
                lastID = zoneID
                lastIndex = index
                if index >= 0 {
                    let span = span(ms: ms, zone: index)
                    lastSpan = span
                    offsetMs = span.offset
                } else {
                    lastSpan = Span(start: 1, end: 0, offset: 0)
                    unknownZoneUses += 1
                }
            }
        }
        let local = ms + offsetMs
        let day = CivilTime.day(ofMs: local)
        let hour = Int((local - day * CivilTime.msPerDay) / 3_600_000)
        return (CivilTime.isoWeekday(ofDay: day), hour)
    }

    /// The span of zone `index` holding `ms`: a known one, else one made from Foundation's offset at `ms` and the
    /// zone's next transition after it (only `ms` itself when there is no room for more spans).
    private mutating func span(ms: Int64, zone index: Int) -> Span {
        for s in known[index].spans where s.contains(ms) { return s }
        let zone = known[index].zone
        let date = Date(timeIntervalSince1970: Double(ms) / 1000)
        let offset = Int64(zone.secondsFromGMT(for: date)) * 1000
        var end = Int64.max
        if let next = zone.nextDaylightSavingTimeTransition(after: date) {
            let transition = (next.timeIntervalSince1970 * 1000).rounded(.down)
            // A millisecond short of the transition (the first time of the next offset).
            end = transition >= 9.2e18 ? .max : transition <= -9.2e18 ? .min : Int64(transition) - 1
        }
        guard end >= ms else { return Span(start: ms, end: ms, offset: offset) }
        var made = Span(start: ms, end: end, offset: offset)
        // The same span asked about earlier than its known start: widen it (same next transition, same offset).
        if let j = known[index].spans.firstIndex(where: { $0.end == end && $0.offset == offset && $0.start > ms }) {
            known[index].spans[j].start = ms
            made = known[index].spans[j]
        } else if known[index].spans.count < Self.maxSpans {
            known[index].spans.append(made)
        }
        return made
    }
}
