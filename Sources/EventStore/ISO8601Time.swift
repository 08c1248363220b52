/// Parses ISO-8601 / RFC 3339 date-times with a zone into milliseconds since the Unix epoch, without Foundation.
///
/// Accepted: `YYYY-MM-DDTHH:MM:SS` (or a space instead of `T`, as RFC 3339 §5.6 allows), an optional fraction of any number of digits (truncated to
/// milliseconds), then `Z` or an offset `±hh:mm` / `±hhmm`. `t` and `z` may be lowercase.
/// Ranges are checked (month, day of the month including leap years, hour ≤ 23, minute ≤ 59,
/// second ≤ 60; a leap second 60 is clamped to 59.999). A time without a zone is rejected:
/// its instant is unknown. The instant must fall in the years 0000–9999 *in UTC*
/// (``minMilliseconds`` … ``maxMilliseconds``): `9999-12-31T23:00:00-02:00` is in the year 10000
/// in UTC and is rejected (``Problem/yearOutOfRange``), so every accepted time prints as
/// `YYYY-MM-DDTHH:MM:SS.mmmZ` (``format(milliseconds:)``) and that text is accepted again (`--now`).
public enum ISO8601Time {
    /// Why a text is not an accepted time.
    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        case badFormat
        case missingZone
        case badZone
        case monthOutOfRange
        case dayOutOfRange
        case hourOutOfRange
        case minuteOutOfRange
        case secondOutOfRange
        case zoneOutOfRange
        /// The instant is before 0000-01-01T00:00:00Z or after 9999-12-31T23:59:59.999Z.
        case yearOutOfRange

        public var description: String {
            switch self {
            case .badFormat: return "expected YYYY-MM-DDTHH:MM:SS[.fff]Z or with an offset ±hh:mm"
            case .missingZone: return "no time zone (add Z or an offset such as +02:00)"
            case .badZone: return "invalid time zone (use Z, ±hh:mm or ±hhmm)"
            case .monthOutOfRange: return "month out of range"
            case .dayOutOfRange: return "day out of range for the month"
            case .hourOutOfRange: return "hour out of range"
            case .minuteOutOfRange: return "minute out of range"
            case .secondOutOfRange: return "second out of range"
            case .zoneOutOfRange: return "zone offset out of range"
            case .yearOutOfRange: return "outside the years 0000–9999 in UTC"
            }
        }
    }

    /// The earliest accepted instant, 0000-01-01T00:00:00.000Z.
    public static let minMilliseconds: Int64 = Int64(daysFromCivil(year: 0, month: 1, day: 1)) * 86_400_000
    /// The latest accepted instant, 9999-12-31T23:59:59.999Z.
    public static let maxMilliseconds: Int64 = Int64(daysFromCivil(year: 10_000, month: 1, day: 1)) * 86_400_000 - 1

    /// Milliseconds since the epoch (UTC) of `text`.
    public static func milliseconds(_ text: String) throws(Problem) -> Int64 {
        var copy = text
        let r: Result<Int64, Problem> = copy.withUTF8 { parse($0) }
        return try r.get()
    }

    /// Milliseconds since the epoch (UTC) of the UTF-8 bytes `p`.
    /// - Parameter assumeUTC: read a time without a zone (`2020-01-15 14:57:24.898`) as UTC instead
    ///   of rejecting it with ``Problem/missingZone``.
    public static func parse(_ p: UnsafeBufferPointer<UInt8>, assumeUTC: Bool = false) -> Result<Int64, Problem> {
        let n = p.count
        if n == 24, let ms = canonicalMilliseconds(p) { return .success(ms) }
        return parseGeneral(p, assumeUTC: assumeUTC)
    }

    /// ``parse(_:assumeUTC:)`` without its fast path for the canonical form (internal: tests compare the two).
    static func parseGeneral(_ p: UnsafeBufferPointer<UInt8>, assumeUTC: Bool) -> Result<Int64, Problem> {
        let n = p.count
        // Fixed part: YYYY-MM-DDTHH:MM:SS (19 bytes).
        guard n >= 19,
              let year = digits(p, 0, 4), p[4] == UInt8(ascii: "-"),
              let month = digits(p, 5, 2), p[7] == UInt8(ascii: "-"),
              let day = digits(p, 8, 2),
              p[10] == UInt8(ascii: "T") || p[10] == UInt8(ascii: "t") || p[10] == UInt8(ascii: " "),
              let hour = digits(p, 11, 2), p[13] == UInt8(ascii: ":"),
              let minute = digits(p, 14, 2), p[16] == UInt8(ascii: ":"),
              let second = digits(p, 17, 2)
        else { return .failure(.badFormat) }
        var i = 19
        var millis = 0
        if i < n && p[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            while i < n && isDigit(p[i]) {
                if i - start < 3 { millis = millis * 10 + Int(p[i] &- 48) }
                i += 1
            }
            guard i > start else { return .failure(.badFormat) }
            for _ in 0 ..< max(0, 3 - (i - start)) { millis *= 10 }
        }
        var offsetMinutes = 0
        switch i < n ? p[i] : 0 {
        case 0 where i == n:
            guard assumeUTC else { return .failure(.missingZone) }
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            i += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign = p[i] == UInt8(ascii: "-") ? -1 : 1
            i += 1
            guard let oh = digits(p, i, 2) else { return .failure(.badZone) }
            i += 2
            if i < n && p[i] == UInt8(ascii: ":") { i += 1 }
            guard let om = digits(p, i, 2) else { return .failure(.badZone) }
            i += 2
            guard oh <= 23, om <= 59 else { return .failure(.zoneOutOfRange) }
            offsetMinutes = sign * (oh * 60 + om)
        default:
            return .failure(isDigit(p[i]) ? .badFormat : .badZone)
        }
        guard i == n else { return .failure(.badZone) }
        guard (1...12).contains(month) else { return .failure(.monthOutOfRange) }
        guard day >= 1 && day <= daysInMonth(year: year, month: month) else { return .failure(.dayOutOfRange) }
        guard hour <= 23 else { return .failure(.hourOutOfRange) }
        guard minute <= 59 else { return .failure(.minuteOutOfRange) }
        guard second <= 60 else { return .failure(.secondOutOfRange) }
        var secondMillis = second * 1000 + millis
        if second == 60 { secondMillis = 59_999 }
        let days = daysFromCivil(year: year, month: month, day: day)
        let minutes = Int64(days) * 1440 + Int64(hour * 60 + minute) - Int64(offsetMinutes)
        let ms = minutes * 60_000 + Int64(secondMillis)
        guard ms >= minMilliseconds && ms <= maxMilliseconds else { return .failure(.yearOutOfRange) }
        return .success(ms)
    }

    /// The fast path of ``parse(_:assumeUTC:)`` for the form every SDK writes, `YYYY-MM-DDTHH:MM:SS.mmmZ` (24 bytes,
    /// uppercase `T` and `Z`): the same value, or nil for anything else, including any field out of range and a leap
    /// second — the general path then decides (and names the problem). Checks the 24 bytes with three 8-byte words.
    @inline(__always) static func canonicalMilliseconds(_ p: UnsafeBufferPointer<UInt8>) -> Int64? {
        let raw = UnsafeRawPointer(p.baseAddress!)
        let w0 = UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self))                  // YYYY-MM-
        let w1 = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))  // DDTHH:MM
        let w2 = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self)) // :SS.mmmZ
        // Separator bytes (0xFF in the mask) must equal the template; every other byte must be an ASCII digit.
        let sep0: UInt64 = 0xFF00_00FF_0000_0000, want0: UInt64 = 0x2D00_002D_0000_0000           // '-' at 4 and 7
        let sep1: UInt64 = 0x0000_FF00_00FF_0000, want1: UInt64 = 0x0000_3A00_0054_0000           // 'T' at 10, ':' at 13
        let sep2: UInt64 = 0xFF00_0000_FF00_00FF, want2: UInt64 = 0x5A00_0000_2E00_003A           // ':' 16, '.' 19, 'Z' 23
        guard w0 & sep0 == want0, w1 & sep1 == want1, w2 & sep2 == want2,
              digitBytes(w0, ~sep0), digitBytes(w1, ~sep1), digitBytes(w2, ~sep2) else { return nil }
        @inline(__always) func d(_ k: Int) -> Int { Int(p[k] &- 48) }
        let year = d(0) * 1000 + d(1) * 100 + d(2) * 10 + d(3)
        let month = d(5) * 10 + d(6), day = d(8) * 10 + d(9)
        let hour = d(11) * 10 + d(12), minute = d(14) * 10 + d(15), second = d(17) * 10 + d(18)
        let millis = d(20) * 100 + d(21) * 10 + d(22)
        guard month >= 1 && month <= 12, day >= 1 && day <= daysInMonth(year: year, month: month),
              hour <= 23, minute <= 59, second <= 59 else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let ms = (Int64(days) * 1440 + Int64(hour * 60 + minute)) * 60_000 + Int64(second * 1000 + millis)
        // Years 0000–9999 with offset 0: always within minMilliseconds … maxMilliseconds.
        return ms
    }

    /// The milliseconds since midnight of a canonical time's bytes 11–23 (`HH:MM:SS.mmmZ` of the 24 at `p`), or nil when
    /// they are not in that form or out of range (hour ≤ 23, minute ≤ 59, second ≤ 59: a leap second is nil): exactly
    /// the checks ``canonicalMilliseconds(_:)`` makes on them. Two times with the same bytes 0–10 (`YYYY-MM-DDT`), of
    /// which the first passed ``canonicalMilliseconds(_:)``, differ only here: the second's value is the first's minus
    /// its time of day plus this.
    @inline(__always) static func canonicalTimeOfDay(_ p: UnsafeRawPointer) -> Int64? {
        let w1 = UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 8, as: UInt64.self))  // DDTHH:MM
        let w2 = UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 16, as: UInt64.self)) // :SS.mmmZ
        let sep2: UInt64 = 0xFF00_0000_FF00_00FF, want2: UInt64 = 0x5A00_0000_2E00_003A
        guard w1 & 0x0000_FF00_0000_0000 == 0x0000_3A00_0000_0000, digitBytes(w1, 0xFFFF_00FF_FF00_0000),
              w2 & sep2 == want2, digitBytes(w2, ~sep2) else { return nil }
        @inline(__always) func d(_ k: Int) -> Int64 { Int64(p.load(fromByteOffset: k, as: UInt8.self) &- 48) }
        let hour = d(11) * 10 + d(12), minute = d(14) * 10 + d(15), second = d(17) * 10 + d(18)
        guard hour <= 23, minute <= 59, second <= 59 else { return nil }
        return (hour * 60 + minute) * 60_000 + second * 1000 + d(20) * 100 + d(21) * 10 + d(22)
    }

    /// Whether every byte of `w` selected by `mask` (0xFF or 0x00 per byte) is an ASCII digit.
    @inline(__always) static func digitBytes(_ w: UInt64, _ mask: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, high = ones &* 0x80
        let x = (w & mask) | (ones &* 0x30 & ~mask)  // bytes not selected read as '0'
        // Every byte below 0x80 (so the additions below carry into no other byte), at least 0x30 (c + 0x50 reaches
        // 0x80) and at most 0x39 (c + 0x46 stays below 0x80).
        return x & high == 0 && (x &+ ones &* 0x50) & high == high && (x &+ ones &* 0x46) & high == 0
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Number of days of `month` (1–12) in `year`.
    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public static func isLeapYear(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c &- 48 < 10 }

    @inline(__always) static func digits(_ p: UnsafeBufferPointer<UInt8>, _ at: Int, _ count: Int) -> Int? {
        guard at + count <= p.count else { return nil }
        var v = 0
        for k in at ..< at + count {
            let d = p[k] &- 48
            guard d < 10 else { return nil }
            v = v * 10 + Int(d)
        }
        return v
    }
}
