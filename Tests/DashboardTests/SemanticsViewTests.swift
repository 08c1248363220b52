import XCTest
@testable import Analytics
@testable import Dashboard

/// Issue #10 on screen: the Consent view says when no event carries the analytics category, the Data view shows
/// how many persons were deleted on request — and neither line appears when it does not apply.
final class SemanticsViewTests: XCTestCase {
    func screen(_ report: Report, tab: Tab, width: Int = 120, height: Int = 40) -> String {
        var s = AppState(options: DashboardOptions(glyphs: .unicode))
        _ = update(&s, .resize(width: width, height: height))
        _ = update(&s, .tick(nowMs: Fixture.nowMs))
        _ = update(&s, .loaded(DashboardData(report: report, sourceDescription: "events/", loadSeconds: 1)))
        _ = update(&s, .key(.char(Character(String(tab.rawValue)))))
        return Golden.text(Golden.render(s, width: width, height: height))
    }

    func testConsentViewPointsAtTheAnalyticsCategoryFlag() {
        var report = Fixture.report
        XCTAssertFalse(screen(report, tab: .consent).contains("--analytics-category"))
        report.consent.analyticsCategoryNote = "no event carries the analytics category \"Analytics\""
        let text = screen(report, tab: .consent)
        XCTAssertTrue(text.contains("no event has Analytics"), "\n" + text)
        XCTAssertTrue(text.contains("or analytics_category"))
        XCTAssertTrue(text.contains("set --analytics-category"))
        XCTAssertFalse(text.contains("while Analytics denied"))
    }

    func testDataViewShowsPersonsDeletedOnRequest() {
        var report = Fixture.report
        XCTAssertFalse(screen(report, tab: .data).contains("deleted"))
        report.store.deletedPersons = 3
        report.store.deletedEvents = 40
        let text = screen(report, tab: .data)
        XCTAssertTrue(text.contains("deleted"), "\n" + text)
        XCTAssertTrue(text.contains("3 persons"), "\n" + text)
    }
}
