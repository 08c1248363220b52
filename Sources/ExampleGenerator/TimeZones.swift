/// The time zones of the example shop's customers, with their 2007+ daylight-saving rules.
///
/// Only what the generator needs: the UTC offset at an instant. The rules are the EU rule
/// (last Sunday of March to last Sunday of October, switching at 01:00 UTC), the US rule
/// (second Sunday of March to first Sunday of November, switching at 02:00 local time) and
/// Japan (no DST). They are exact for these zones in the years the generator is used for.
enum Zone: UInt8, Sendable, CaseIterable {
    case berlin, london, newYork, losAngeles, tokyo

    /// The IANA name written to `context.timezone`.
    var identifier: String {
        switch self {
        case .berlin: return "Europe/Berlin"
        case .london: return "Europe/London"
        case .newYork: return "America/New_York"
        case .losAngeles: return "America/Los_Angeles"
        case .tokyo: return "Asia/Tokyo"
        }
    }

    private var standardOffset: Int {
        switch self {
        case .berlin: return 3600
        case .london: return 0
        case .newYork: return -5 * 3600
        case .losAngeles: return -8 * 3600
        case .tokyo: return 9 * 3600
        }
    }

    /// Seconds east of UTC at the instant `ms` (milliseconds since the epoch).
    func offsetSeconds(atMillis ms: Int64) -> Int {
        let seconds = ms >= 0 ? ms / 1000 : (ms - 999) / 1000
        let year = CivilTime.date(days: CivilTime.day(ofMillis: ms)).year
        switch self {
        case .tokyo:
            return standardOffset
        case .berlin, .london:
            let start = Int64(Zone.lastSunday(year: year, month: 3)) * 86_400 + 3600
            let end = Int64(Zone.lastSunday(year: year, month: 10)) * 86_400 + 3600
            return seconds >= start && seconds < end ? standardOffset + 3600 : standardOffset
        case .newYork, .losAngeles:
            let start = Int64(Zone.nthSunday(2, year: year, month: 3)) * 86_400 + Int64(2 * 3600 - standardOffset)
            let end = Int64(Zone.nthSunday(1, year: year, month: 11)) * 86_400 + Int64(2 * 3600 - standardOffset - 3600)
            return seconds >= start && seconds < end ? standardOffset + 3600 : standardOffset
        }
    }

    static func lastSunday(year: Int, month: Int) -> Int {
        let last = CivilTime.days(year: year, month: month, day: CivilTime.daysInMonth(year: year, month: month))
        return last - CivilTime.isoWeekday(days: last) % 7
    }

    static func nthSunday(_ n: Int, year: Int, month: Int) -> Int {
        let first = CivilTime.days(year: year, month: month, day: 1)
        let toSunday = (7 - CivilTime.isoWeekday(days: first)) % 7
        return first + toSunday + 7 * (n - 1)
    }

    /// The local hour (0…23) and ISO weekday (1…7) at the instant `ms`.
    func localHourAndWeekday(atMillis ms: Int64) -> (hour: Int, weekday: Int) {
        let local = ms + Int64(offsetSeconds(atMillis: ms)) * 1000
        let d = CivilTime.day(ofMillis: local)
        let msOfDay = local - Int64(d) * CivilTime.msPerDay
        return (Int(msOfDay / 3_600_000), CivilTime.isoWeekday(days: d))
    }

    /// The instant inside UTC day `day` whose local time of day is `localSecond` (0 ..< 86 400).
    ///
    /// Keeping the result inside the UTC day lets the generator write each day's file once;
    /// the local *time of day* is exact, the local date may be the day before or after.
    func instant(inUTCDay day: Int, localSecond: Int) -> Int64 {
        let noon = Int64(day) * CivilTime.msPerDay + CivilTime.msPerDay / 2
        let offset = offsetSeconds(atMillis: noon)
        let s = ((localSecond - offset) % 86_400 + 86_400) % 86_400
        return Int64(day) * CivilTime.msPerDay + Int64(s) * 1000
    }
}
