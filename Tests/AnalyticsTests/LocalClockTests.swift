import Foundation
import XCTest
import EarshotTestSupport
import EventStore
@testable import Analytics

/// `LocalClock` keeps each zone's offset spans (from a time Foundation was asked about to the zone's next transition)
/// instead of asking Foundation per prompt (session 9). Every weekday and hour must be the one the direct
/// conversion gives — `secondsFromGMT(for:)` at that very time — in zones with daylight saving (both hemispheres,
/// half-hour and 30-minute shifts), with changes of their standard offset (Moscow 2011/2014, Apia 2011, Casablanca's
/// Ramadan shifts), with local mean time offsets of odd seconds before 1900, and without any transition.
final class LocalClockTests: XCTestCase {
    static let zones = ["America/New_York", "Europe/London", "Europe/Berlin", "Australia/Sydney", "Australia/Lord_Howe",
                        "Asia/Kolkata", "America/Sao_Paulo", "Africa/Casablanca", "Europe/Moscow", "Pacific/Apia",
                        "Asia/Tehran", "America/St_Johns", "Pacific/Chatham", "Antarctica/Troll", "UTC",
                        "America/Los_Angeles", "Asia/Kathmandu", "Europe/Dublin", "No/Such_Zone"]

    /// The conversion as `LocalClock` did it before the spans: Foundation asked for every time.
    static func direct(ms: Int64, zone: TimeZone?) -> (weekday: Int, hour: Int) {
        var offsetMs: Int64 = 0
        if let zone { offsetMs = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(ms) / 1000))) * 1000 }
        let local = ms + offsetMs
        let day = CivilTime.day(ofMs: local)
        let hour = Int((local - day * CivilTime.msPerDay) / 3_600_000)
        return (CivilTime.isoWeekday(ofDay: day), hour)
    }

    /// Times around every transition of `zone` from `from` to `to` (ms): just before, at and just after it.
    static func aroundTransitions(_ zone: TimeZone, from: Int64, to: Int64) -> [Int64] {
        var out: [Int64] = []
        var at = Date(timeIntervalSince1970: Double(from) / 1000)
        while let next = zone.nextDaylightSavingTimeTransition(after: at), next.timeIntervalSince1970 * 1000 < Double(to) {
            let t = Int64((next.timeIntervalSince1970 * 1000).rounded(.down))
            for d: Int64 in [-3_600_001, -1001, -1000, -999, -1, 0, 1, 999, 1000, 1001, 3_600_000] { out.append(t + d) }
            at = next
        }
        return out
    }

    func testEveryConversionIsFoundationsOffsetAtThatTime() {
        var strings = Interner()
        let ids = Self.zones.map { strings.intern($0) }
        let zones = Self.zones.map { TimeZone(identifier: $0) }
        var queries: [(Int, Int64)] = []
        let step7 = 7 * 86_400_000 + 3_723_456
        let from2024: Int64 = 1_704_067_200_000, to2028: Int64 = 1_830_297_600_000
        for z in zones.indices {
            // Every 131 minutes over four years (random minutes and seconds of the day, both sides of every shift).
            for t in stride(from: from2024, to: to2028, by: 131 * 60_000 + 1_234) { queries.append((z, t)) }
            // Every 7 days and a bit since 1850 (local mean time, wartime and abolished daylight saving).
            for t in stride(from: -3_786_825_600_000, to: from2024, by: step7) { queries.append((z, t)) }
            if let zone = zones[z] {
                for t in Self.aroundTransitions(zone, from: -3_786_825_600_000, to: to2028) { queries.append((z, t)) }
            }
        }
        var random = SeededRandom(seed: 9)
        var shuffled = queries
        shuffled.shuffle(using: &random)
        // In random order (zones and times interleaved: every span is made, widened and found again) and in each
        // zone's time order (a person's prompts), each through one clock.
        for order in [shuffled, queries] {
            var clock = LocalClock(strings: strings)
            var mismatches = 0
            for (z, t) in order {
                let got = clock.weekdayHour(ms: t, zoneID: ids[z])
                let want = Self.direct(ms: t, zone: zones[z])
                if got != want {
                    mismatches += 1
                    if mismatches <= 5 { XCTFail("\(Self.zones[z]) at \(t) ms: \(got), Foundation \(want)") }
                }
            }
            XCTAssertEqual(mismatches, 0)
            XCTAssertEqual(clock.unknownZoneUses, order.filter { zones[$0.0] == nil }.count)
        }
    }

    func testUTCNeedsNoZone() {
        var clock = LocalClock(strings: Interner())
        // 2025-10-25T01:59:59.999Z is a Saturday (6), hour 1.
        XCTAssertTrue(clock.weekdayHour(ms: 1_761_357_599_999, zoneID: -1) == (6, 1))
        XCTAssertEqual(clock.unknownZoneUses, 0)
    }
}
