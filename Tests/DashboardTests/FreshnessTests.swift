import XCTest
@testable import Dashboard

/// The header's "newest event" label: ages in the past, and events from the future (clock skew, test data).
final class FreshnessTests: XCTestCase {
    func header(_ s: AppState, width: Int = 120) -> String { Golden.render(s, width: width, height: 24).textLines()[0] }

    func testPastAgeReadsAgo() {
        let s = Fixture.loadedState(width: 120)
        XCTAssertTrue(header(s).contains("newest event 2h 3m ago"), header(s))
    }

    func testNewestEventInTheFutureSaysSoInsteadOfZeroSecondsAgo() {
        var s = Fixture.loadedState(width: 120)
        // The clock 4 days before the fixture's: the newest event is 3d 21h 57m ahead of it.
        _ = update(&s, .tick(nowMs: Fixture.nowMs - 4 * 86_400_000))
        let h = header(s)
        XCTAssertTrue(h.contains("newest event in 3d 21h (clock skew?)"), h)
        XCTAssertFalse(h.contains(" ago"), h)
        XCTAssertEqual(freshnessLabel(-3 * 86_400, Format()).1, .warn)
    }

    func testSkewUnderAMinuteIsNotFlagged() {
        XCTAssertEqual(freshnessLabel(-30, Format()).0, "newest event 0s ago")
        XCTAssertEqual(freshnessLabel(-30, Format()).1, .header)
        XCTAssertEqual(freshnessLabel(3 * 86_400, Format()).1, .warn)
    }
}
