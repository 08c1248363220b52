import XCTest
import Analytics
@testable import Dashboard

/// Issue 11.5 in the dashboard: the overlaps of segments after the first 100 were not computed,
/// and the segment's Overlap box says so instead of "No other segments".
final class OverlapLimitTests: XCTestCase {
    func testASegmentBeyondTheLimitSaysItsOverlapWasLeftOut() {
        let n = SegmentMetrics.overlapLimit + 2
        var report = Fixture.report
        report.segments = (0 ..< n).map { Fixture.segment("S\($0)", "did \"x\"", [10, 10], reach: [:]) }
        report.overlap = [SegmentOverlap(a: "S0", b: "S1", size: 4)]
        report.store.warnings = [Analysis.overlapWarning(leftOut: 2)]
        var s = AppState(options: DashboardOptions(glyphs: .unicode))
        _ = update(&s, .resize(width: 120, height: 40))
        _ = update(&s, .tick(nowMs: Fixture.nowMs))
        _ = update(&s, .loaded(DashboardData(report: report, sourceDescription: "events/", loadSeconds: 1)))
        _ = update(&s, .key(.char("2")))
        func detail(_ i: Int) -> String {
            s.detail = i
            return Golden.render(s, width: 120, height: 40).textLines().joined(separator: "\n")
        }
        XCTAssertTrue(detail(n - 1).contains("Left out: computed among the first 100 segments only"), detail(n - 1))
        XCTAssertFalse(detail(n - 1).contains("No other segments"))
        XCTAssertTrue(detail(0).contains("S1"))
        XCTAssertFalse(detail(0).contains("Left out"))
        // The Data view lists the warning.
        s.detail = nil
        _ = update(&s, .key(.char("5")))
        XCTAssertTrue(Golden.render(s, width: 120, height: 40).textLines().joined().contains("segment overlap covers the first 100"))
    }
}
