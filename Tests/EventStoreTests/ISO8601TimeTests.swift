import XCTest
@testable import EventStore

final class ISO8601TimeTests: XCTestCase {
    func ms(_ s: String) -> Int64? { try? ISO8601Time.milliseconds(s) }
    func problem(_ s: String) -> ISO8601Time.Problem? {
        do { _ = try ISO8601Time.milliseconds(s); return nil } catch { return error }
    }

    func testZonesAndFractions() {
        XCTAssertEqual(ms("1970-01-01T00:00:00Z"), 0)
        XCTAssertEqual(ms("1970-01-01T00:00:01.5Z"), 1_500)
        XCTAssertEqual(ms("1970-01-01T00:00:00.1239999Z"), 123)          // truncated, not rounded
        XCTAssertEqual(ms("1970-01-01t00:00:00.04z"), 40)
        // 2024-03-10T12:00:00Z = 19792 days * 86400 s + 12 h
        XCTAssertEqual(ms("2024-03-10T12:00:00Z"), (19_792 * 86_400 + 12 * 3_600) * 1_000)
        XCTAssertEqual(ms("2024-03-10T14:00:00+02:00"), ms("2024-03-10T12:00:00Z"))
        XCTAssertEqual(ms("2024-03-10T14:00:00+0200"), ms("2024-03-10T12:00:00Z"))
        XCTAssertEqual(ms("2024-03-10T06:30:00-05:30"), ms("2024-03-10T12:00:00Z"))
        XCTAssertEqual(ms("1969-12-31T23:59:59.999Z"), -1)
        XCTAssertEqual(ms("2016-12-31T23:59:60Z"), ms("2016-12-31T23:59:59.999Z"))  // leap second clamped
        XCTAssertEqual(ms("2016-12-31T23:59:60.5Z"), ms("2016-12-31T23:59:59.999Z"))
    }

    func testLeapYears() {
        XCTAssertNotNil(ms("2024-02-29T00:00:00Z"))
        XCTAssertNotNil(ms("2000-02-29T00:00:00Z"))
        XCTAssertEqual(problem("2023-02-29T00:00:00Z"), .dayOutOfRange)
        XCTAssertEqual(problem("1900-02-29T00:00:00Z"), .dayOutOfRange)
        XCTAssertEqual(ms("2000-03-01T00:00:00Z")! - ms("2000-02-28T00:00:00Z")!, 2 * 86_400_000)
        XCTAssertEqual(ms("1900-03-01T00:00:00Z")! - ms("1900-02-28T00:00:00Z")!, 86_400_000)
    }

    func testInvalid() {
        XCTAssertEqual(problem("2024-03-10T12:00:00"), .missingZone)
        XCTAssertEqual(problem("2024-03-10T12:00:00.123"), .missingZone)
        XCTAssertEqual(problem("2024-13-10T12:00:00Z"), .monthOutOfRange)
        XCTAssertEqual(problem("2024-00-10T12:00:00Z"), .monthOutOfRange)
        XCTAssertEqual(problem("2024-04-31T12:00:00Z"), .dayOutOfRange)
        XCTAssertEqual(problem("2024-04-00T12:00:00Z"), .dayOutOfRange)
        XCTAssertEqual(problem("2024-04-01T24:00:00Z"), .hourOutOfRange)
        XCTAssertEqual(problem("2024-04-01T23:60:00Z"), .minuteOutOfRange)
        XCTAssertEqual(problem("2024-04-01T23:59:61Z"), .secondOutOfRange)
        XCTAssertEqual(problem("2024-04-01T23:59:59+24:00"), .zoneOutOfRange)
        XCTAssertEqual(problem("2024-04-01T23:59:59+02"), .badZone)
        XCTAssertEqual(problem("2024-04-01T23:59:59Zjunk"), .badZone)
        XCTAssertEqual(problem("2024-04-01_23:59:59Z"), .badFormat)
        XCTAssertEqual(problem("2024-04-01T23:59:59.Z"), .badFormat)
        XCTAssertEqual(problem("2024-4-01T23:59:59Z"), .badFormat)
        XCTAssertEqual(problem("1712000000"), .badFormat)
        XCTAssertEqual(problem(""), .badFormat)
    }

    func testDaysFromCivil() {
        XCTAssertEqual(ISO8601Time.daysFromCivil(year: 1970, month: 1, day: 1), 0)
        XCTAssertEqual(ISO8601Time.daysFromCivil(year: 2000, month: 3, day: 1), 11_017)
        XCTAssertEqual(ISO8601Time.daysFromCivil(year: 1969, month: 12, day: 31), -1)
        XCTAssertEqual(ISO8601Time.daysFromCivil(year: 1, month: 1, day: 1), -719_162)
    }

    /// #11.14: an instant past 9999-12-31T23:59:59.999Z in UTC (a zone offset pushes the last day of
    /// the year 9999 into the year 10000) or before the year 0000 is rejected: every accepted time
    /// prints as `YYYY-MM-DDTHH:MM:SS.mmmZ` and that text parses back to the same instant (`--now`).
    func testYearsOutsideZeroToNineThousandNineHundredNinetyNineAreRejected() {
        XCTAssertEqual(problem("9999-12-31T23:59:59-00:01"), .yearOutOfRange)
        XCTAssertEqual(problem("9999-12-31T22:00:00-23:59"), .yearOutOfRange)
        XCTAssertEqual(problem("0000-01-01T00:00:00+00:01"), .yearOutOfRange)
        XCTAssertEqual(problem("0000-01-01T00:30:00+01:00"), .yearOutOfRange)
        XCTAssertEqual(ms("9999-12-31T23:59:59.999Z"), ISO8601Time.maxMilliseconds)
        XCTAssertEqual(ms("9999-12-31T23:59:59.999-00:00"), ISO8601Time.maxMilliseconds)
        XCTAssertEqual(ms("0000-01-01T00:00:00Z"), ISO8601Time.minMilliseconds)
        XCTAssertEqual(ms("0000-01-01T00:00:00-01:00"), ISO8601Time.minMilliseconds + 3_600_000)
        XCTAssertEqual(ISO8601Time.Problem.yearOutOfRange.description, "outside the years 0000–9999 in UTC")
        // Round trip at both ends and for a few instants in between.
        for t in [ISO8601Time.minMilliseconds, ISO8601Time.maxMilliseconds, -1, 0, 1_790_000_000_123,
                  ms("9999-12-31T23:00:00+10:00")!] {
            let text = ISO8601Time.format(milliseconds: t)
            XCTAssertEqual(ms(text), t, text)
            XCTAssertEqual(text.utf8.count, 24, text)
        }
        // In a store line the time is malformed, with the reason.
        let line = #"{"type":"track","event":"E","userId":"u","timestamp":"9999-12-31T23:59:59-02:00"}"#
        guard case .failure(let e) = EventLineParser().parse(line) else { return XCTFail("accepted a time in the year 10000") }
        XCTAssertTrue(e.reason.contains("outside the years 0000–9999 in UTC"), e.reason)
        // PostHog's numeric `$time` (seconds) before the year 0000 is not used as the event's time.
        let early = #"{"event":"$pageview","distinct_id":"d","properties":{"$time":-62167219201}}"#
        if case .success(let ev) = EventLineParser().parse(early) {
            XCTAssertGreaterThanOrEqual(ev.time, ISO8601Time.minMilliseconds)
        }
    }
}
