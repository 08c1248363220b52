/// Exact calendar arithmetic on UTC milliseconds, without Foundation's `Calendar`.
///
/// Days are counted from 1970-01-01 (day 0, a Thursday) in the proleptic Gregorian calendar
/// (Howard Hinnant's days-from-civil algorithms). Weeks are ISO 8601 weeks: Monday to Sunday,
/// week 1 is the week holding the year's first Thursday, and a week belongs to the ISO week-year
/// of its Thursday (so 2027-01-01 belongs to `2026-W53`).
public enum CivilTime {
    public static let msPerDay: Int64 = 86_400_000
    public static let msPerWeek: Int64 = 7 * msPerDay

    /// A calendar date.
    public struct Date: Sendable, Equatable, Hashable {
        public var year: Int
        public var month: Int
        public var day: Int
        public init(year: Int, month: Int, day: Int) { self.year = year; self.month = month; self.day = day }
    }

    /// Floor division (rounds toward −∞, unlike `/`).
    @inlinable public static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    /// Days since 1970-01-01 of a calendar date.
    public static func days(fromCivil y0: Int, _ m: Int, _ d: Int) -> Int64 {
        let y = Int64(m <= 2 ? y0 - 1 : y0)
        let era = floorDiv(y, 400)
        let yoe = y - era * 400
        let mp = Int64((m + 9) % 12)
        let doy = (153 * mp + 2) / 5 + Int64(d) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The calendar date of a day number.
    public static func civil(fromDays z0: Int64) -> Date {
        let z = z0 + 719_468
        let era = floorDiv(z, 146_097)
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return Date(year: Int(y), month: Int(m), day: Int(d))
    }

    /// The day number holding a UTC millisecond.
    @inlinable public static func day(ofMs ms: Int64) -> Int64 { floorDiv(ms, msPerDay) }

    /// ISO weekday of a day number: 1 = Monday … 7 = Sunday.
    @inlinable public static func isoWeekday(ofDay day: Int64) -> Int {
        Int((day + 3) - floorDiv(day + 3, 7) * 7) + 1
    }

    /// A running week number: week `w` starts on day `7w − 3` (the Monday 1969-12-29 starts week 0).
    /// Consecutive ISO weeks have consecutive indices.
    @inlinable public static func weekIndex(ofMs ms: Int64) -> Int64 { floorDiv(day(ofMs: ms) + 3, 7) }

    /// Monday 00:00 UTC of a running week, in ms.
    @inlinable public static func weekStartMs(_ week: Int64) -> Int64 { (week * 7 - 3) * msPerDay }

    /// The ISO week-year and week number (1…53) of a running week.
    public static func isoWeek(ofWeekIndex week: Int64) -> (year: Int, week: Int) {
        let thursday = week * 7 - 3 + 3
        let year = civil(fromDays: thursday).year
        let jan1 = days(fromCivil: year, 1, 1)
        return (year, Int((thursday - jan1) / 7) + 1)
    }

    /// The ISO week label of a running week: `2026-W09`.
    public static func isoWeekLabel(_ week: Int64) -> String {
        let (y, w) = isoWeek(ofWeekIndex: week)
        return "\(yearText(y))-W\(pad(w, 2))"
    }

    /// ISO 8601 UTC with milliseconds: `2026-11-20T18:03:11.000Z`.
    public static func isoTimestamp(ms: Int64) -> String {
        let day = self.day(ofMs: ms)
        let rest = ms - day * msPerDay
        let d = civil(fromDays: day)
        let h = Int(rest / 3_600_000), mi = Int(rest / 60_000 % 60), s = Int(rest / 1000 % 60), f = Int(rest % 1000)
        return "\(yearText(d.year))-\(pad(d.month, 2))-\(pad(d.day, 2))T\(pad(h, 2)):\(pad(mi, 2)):\(pad(s, 2)).\(pad(f, 3))Z"
    }

    /// Four-digit years; other years with a sign, as ISO 8601's expanded form (`+12345`, `-0001`).
    static func yearText(_ y: Int) -> String {
        if (0...9999).contains(y) { return pad(y, 4) }
        return (y < 0 ? "-" : "+") + pad(abs(y), 4)
    }

    static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
