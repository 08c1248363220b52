import Foundation
import EventStore

/// Local weekday and hour of an event time in an IANA time zone, with one `TimeZone` per
/// interned zone name (looked up once). Unknown zone names fall back to UTC and are counted.
struct LocalClock {
    private let strings: Interner
    private var zones: [Int32: TimeZone?] = [:]
    /// The zone of the previous conversion (a person's prompts mostly share one): no dictionary lookup then.
    private var lastID: Int32 = -1
    private var lastZone: TimeZone?
    /// How many conversions used UTC because the zone name was unknown.
    private(set) var unknownZoneUses = 0

    init(strings: Interner) { self.strings = strings }

    /// The local ISO weekday (1 = Monday … 7) and hour (0…23) of `ms` in zone `zoneID`
    /// (an interned IANA name, or -1 for UTC).
    mutating func weekdayHour(ms: Int64, zoneID: Int32) -> (weekday: Int, hour: Int) {
        var offsetMs: Int64 = 0
        if zoneID >= 0 {
            let zone: TimeZone?
            if zoneID == lastID { zone = lastZone } else if let cached = zones[zoneID] { zone = cached } else {
                zone = TimeZone(identifier: strings[zoneID])
                zones[zoneID] = zone
            }
            lastID = zoneID
            lastZone = zone
            if let zone {
                let date = Date(timeIntervalSince1970: Double(ms) / 1000)
                offsetMs = Int64(zone.secondsFromGMT(for: date)) * 1000
            } else {
                unknownZoneUses += 1
            }
        }
        let local = ms + offsetMs
        let day = CivilTime.day(ofMs: local)
        let hour = Int((local - day * CivilTime.msPerDay) / 3_600_000)
        return (CivilTime.isoWeekday(ofDay: day), hour)
    }
}
