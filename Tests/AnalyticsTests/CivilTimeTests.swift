import XCTest
import EventStore
@testable import Analytics

final class CivilTimeTests: XCTestCase {
    func testDaysFromCivilAndBack() {
        XCTAssertEqual(CivilTime.days(fromCivil: 1970, 1, 1), 0)
        XCTAssertEqual(CivilTime.days(fromCivil: 1969, 12, 31), -1)
        XCTAssertEqual(CivilTime.days(fromCivil: 2026, 12, 31), 20818)
        XCTAssertEqual(CivilTime.days(fromCivil: 2024, 2, 29), 19782)
        XCTAssertEqual(CivilTime.civil(fromDays: 20819), CivilTime.Date(year: 2027, month: 1, day: 1))
        XCTAssertEqual(CivilTime.civil(fromDays: -1), CivilTime.Date(year: 1969, month: 12, day: 31))
        for d in stride(from: Int64(-800_000), through: 800_000, by: 997) {
            let c = CivilTime.civil(fromDays: d)
            XCTAssertEqual(CivilTime.days(fromCivil: c.year, c.month, c.day), d)
        }
    }

    func testISOWeeksAroundYearEnds() {
        func label(_ y: Int, _ m: Int, _ d: Int) -> String { CivilTime.isoWeekLabel(CivilTime.weekIndex(ofMs: ms(y, m, d, 12))) }
        XCTAssertEqual(label(2026, 12, 28), "2026-W53")
        XCTAssertEqual(label(2026, 12, 31), "2026-W53")
        XCTAssertEqual(label(2027, 1, 1), "2026-W53")
        XCTAssertEqual(label(2027, 1, 3), "2026-W53")
        XCTAssertEqual(label(2027, 1, 4), "2027-W01")
        XCTAssertEqual(label(2024, 12, 30), "2025-W01")
        XCTAssertEqual(label(2021, 1, 3), "2020-W53")
        XCTAssertEqual(label(2020, 12, 31), "2020-W53")
        XCTAssertEqual(label(2025, 12, 29), "2026-W01")
        XCTAssertEqual(label(2026, 1, 1), "2026-W01")
        XCTAssertEqual(label(2026, 3, 2), "2026-W10")
        XCTAssertEqual(label(1969, 12, 31), "1970-W01")
        // Week boundaries are Monday 00:00 UTC.
        XCTAssertEqual(CivilTime.weekIndex(ofMs: ms(2027, 1, 3, 23, 59, 59, 999)) + 1, CivilTime.weekIndex(ofMs: ms(2027, 1, 4)))
        XCTAssertEqual(CivilTime.weekStartMs(CivilTime.weekIndex(ofMs: ms(2027, 1, 1, 15))), ms(2026, 12, 28))
    }

    func testWeekdays() {
        XCTAssertEqual(CivilTime.isoWeekday(ofDay: 0), 4)  // 1970-01-01, Thursday
        XCTAssertEqual(CivilTime.isoWeekday(ofDay: -3), 1) // 1969-12-29, Monday
        XCTAssertEqual(CivilTime.isoWeekday(ofDay: CivilTime.days(fromCivil: 2026, 3, 29)), 7)
    }

    func testTimestamps() {
        XCTAssertEqual(CivilTime.isoTimestamp(ms: 1_795_197_791_000), "2026-11-20T18:03:11.000Z")
        XCTAssertEqual(CivilTime.isoTimestamp(ms: 0), "1970-01-01T00:00:00.000Z")
        XCTAssertEqual(CivilTime.isoTimestamp(ms: -1), "1969-12-31T23:59:59.999Z")
        XCTAssertEqual(CivilTime.isoTimestamp(ms: ms(2026, 3, 29, 1, 30, 5, 42)), "2026-03-29T01:30:05.042Z")
    }

    func testParseDuration() {
        XCTAssertEqual(parseDuration("7d"), 604_800_000)
        XCTAssertEqual(parseDuration("36h"), 129_600_000)
        XCTAssertEqual(parseDuration("90m"), 5_400_000)
        XCTAssertEqual(parseDuration("2w"), 1_209_600_000)
        XCTAssertEqual(parseDuration("45s"), 45_000)
        XCTAssertEqual(parseDuration("250ms"), 250)
        XCTAssertEqual(parseDuration("1d12h"), 129_600_000)
        XCTAssertEqual(parseDuration("0d"), 0)
        for bad in ["", "7", "d", "-1d", "7 d", " 7d", "1.5h", "7D", "7x", "99999999999999999999d", "1000000000000000w"] {
            XCTAssertNil(parseDuration(bad), bad)
        }
    }

    func testOptionsReferenceTime() {
        var s = Store()
        s.page("u", 100)
        s.page("u", 50)
        let t = s.table()
        XCTAssertEqual(AnalysisOptions().referenceTime(t), 100)
        XCTAssertEqual(AnalysisOptions(now: 70).referenceTime(t), 70)
        XCTAssertNil(AnalysisOptions().referenceTime(EventTable()))
        XCTAssertEqual(AnalysisOptions().window, 604_800_000)
    }
}
