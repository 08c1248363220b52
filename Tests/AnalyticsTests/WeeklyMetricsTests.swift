import XCTest
import EventStore
@testable import Analytics

final class WeeklyMetricsTests: XCTestCase {
    func testSeriesAcrossTheYearEnd() {
        var s = Store()
        s.page("d", ms(2026, 12, 7, 10), consent: [granted("Analytics")])          // 2026-W50, never again
        s.page("a", ms(2026, 12, 21, 10), consent: [granted("Analytics")])         // 2026-W52
        s.prompt("a", ms(2027, 1, 4, 8))                                            // 2027-W01, never answered
        s.page("a", ms(2027, 1, 5, 10), consent: [denied("Analytics")])            // 2027-W01
        s.page("b", ms(2026, 12, 31, 9))                                            // 2026-W53
        s.prompt("b", ms(2026, 12, 31, 23))                                         // 2026-W53 …
        s.response("b", ms(2027, 1, 4, 1))                                          // … answered in the next week
        s.page("c", ms(2027, 1, 12), consent: [granted("Analytics")])              // after now: ignored
        let now = ms(2027, 1, 10, 12)
        let r = ReportBuilder.report(table: s.table(), options: AnalysisOptions(now: now))
        XCTAssertEqual(r.weekly, [
            WeekPoint(week: "2026-W50", personsSeen: 1, prompts: 0, answered: 0, responseRate: nil, consentCoverage: ["Analytics": 1]),
            WeekPoint(week: "2026-W51", personsSeen: 0, prompts: 0, answered: 0, responseRate: nil, consentCoverage: ["Analytics": 1]),
            WeekPoint(week: "2026-W52", personsSeen: 1, prompts: 0, answered: 0, responseRate: nil, consentCoverage: ["Analytics": 1]),
            WeekPoint(week: "2026-W53", personsSeen: 1, prompts: 1, answered: 1, responseRate: 1, consentCoverage: ["Analytics": 2.0 / 3]),
            WeekPoint(week: "2027-W01", personsSeen: 2, prompts: 1, answered: 0, responseRate: 0, consentCoverage: ["Analytics": 1.0 / 3]),
        ])
    }

    func testWeekEndIsInclusiveAndNowWeekIsLast() {
        var s = Store()
        s.page("a", ms(2026, 3, 1, 23, 59, 59, 999), consent: [granted("Analytics")])  // Sunday, last ms of 2026-W09
        s.page("a", ms(2026, 3, 2), consent: [denied("Analytics")])                     // Monday 00:00, 2026-W10
        let r = ReportBuilder.report(table: s.table(), options: AnalysisOptions(now: ms(2026, 3, 17)))
        XCTAssertEqual(r.weekly.map(\.week), ["2026-W09", "2026-W10", "2026-W11", "2026-W12"])
        XCTAssertEqual(r.weekly.map { $0.consentCoverage["Analytics"]! }, [1, 0, 0, 0])
        XCTAssertEqual(r.weekly.map(\.personsSeen), [1, 1, 0, 0])
    }

    func testPersonFilterAppliesToTheSeries() {
        var s = Store()
        s.page("a", ms(2026, 3, 2), consent: [granted("Analytics")])
        s.page("b", ms(2026, 3, 9), consent: [denied("Analytics")])
        let t = s.table()
        let r = ReportBuilder.report(table: t, options: AnalysisOptions(), persons: t.persons("b"))
        XCTAssertEqual(r.weekly, [
            WeekPoint(week: "2026-W11", personsSeen: 1, prompts: 0, answered: 0, responseRate: nil, consentCoverage: ["Analytics": 0]),
        ])
    }

    func testVeryLongSpansKeepTheLatestWeeks() {
        var s = Store()
        s.page("old", ms(1900, 1, 1))   // a bogus timestamp
        s.page("a", ms(2026, 3, 2))
        let r = ReportBuilder.report(table: s.table(), options: AnalysisOptions())
        XCTAssertEqual(r.weekly.count, WeeklyMetrics.maxWeeks)
        XCTAssertEqual(r.weekly.last?.week, "2026-W10")
        XCTAssertEqual(r.weekly.last?.personsSeen, 1)
        XCTAssertEqual(r.weekly.first?.personsSeen, 0)
        XCTAssertTrue(r.store.warnings.contains { $0.contains("more than 5000 weeks") })
    }
}
