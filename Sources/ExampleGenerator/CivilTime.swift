/// Proleptic Gregorian calendar arithmetic on days since 1970-01-01 (UTC), without Foundation.
///
/// Algorithms from Howard Hinnant, "chrono-Compatible Low-Level Date Algorithms".
enum CivilTime {
    static let msPerDay: Int64 = 86_400_000

    /// Days since 1970-01-01 of a calendar date.
    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The calendar date of a day number.
    static func date(days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    /// Number of days in a month.
    static func daysInMonth(year: Int, month: Int) -> Int {
        let next = month == 12 ? days(year: year + 1, month: 1, day: 1) : days(year: year, month: month + 1, day: 1)
        return next - days(year: year, month: month, day: 1)
    }

    /// ISO weekday of a day number: 1 = Monday … 7 = Sunday.
    static func isoWeekday(days: Int) -> Int {
        ((days % 7 + 7) % 7 + 3) % 7 + 1
    }

    /// Floor division of milliseconds into days.
    static func day(ofMillis ms: Int64) -> Int {
        Int(ms >= 0 ? ms / msPerDay : (ms - msPerDay + 1) / msPerDay)
    }

    /// `2026-08-22T09:14:03.123Z`.
    static func iso8601(_ ms: Int64, zone: Bool = true) -> String {
        var out = [UInt8]()
        appendISO8601(ms, to: &out, zone: zone)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `2026-08-22T09:14:03.123Z` (or without the `Z` when `zone` is false).
    static func appendISO8601(_ ms: Int64, to out: inout [UInt8], zone: Bool = true) {
        let d = day(ofMillis: ms)
        let msOfDay = Int(ms - Int64(d) * msPerDay)
        let (y, m, dd) = date(days: d)
        appendDigits(y, 4, &out); out.append(UInt8(ascii: "-"))
        appendDigits(m, 2, &out); out.append(UInt8(ascii: "-"))
        appendDigits(dd, 2, &out); out.append(UInt8(ascii: "T"))
        appendDigits(msOfDay / 3_600_000, 2, &out); out.append(UInt8(ascii: ":"))
        appendDigits(msOfDay / 60_000 % 60, 2, &out); out.append(UInt8(ascii: ":"))
        appendDigits(msOfDay / 1000 % 60, 2, &out); out.append(UInt8(ascii: "."))
        appendDigits(msOfDay % 1000, 3, &out)
        if zone { out.append(UInt8(ascii: "Z")) }
    }

    /// `2026-08` for a day number.
    static func monthKey(days: Int) -> String {
        let (y, m, _) = date(days: days)
        var out = [UInt8]()
        appendDigits(y, 4, &out); out.append(UInt8(ascii: "-")); appendDigits(m, 2, &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `2026-08-22` for a day number.
    static func dayKey(days: Int) -> String {
        let (y, m, d) = date(days: days)
        var out = [UInt8]()
        appendDigits(y, 4, &out); out.append(UInt8(ascii: "-"))
        appendDigits(m, 2, &out); out.append(UInt8(ascii: "-")); appendDigits(d, 2, &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends a non-negative integer zero-padded to `width` digits.
    static func appendDigits(_ value: Int, _ width: Int, _ out: inout [UInt8]) {
        var buf = [UInt8](repeating: UInt8(ascii: "0"), count: max(width, 20))
        var v = value, i = buf.count
        repeat { i -= 1; buf[i] = UInt8(ascii: "0") + UInt8(v % 10); v /= 10 } while v > 0
        let start = min(i, buf.count - width)
        out.append(contentsOf: buf[start...])
    }
}
