import XCTest
@testable import Dashboard

/// The segment filter's time in the status line, and the follow-mode report cadence.
final class FilterTimeTests: XCTestCase {
    func statusLine(_ s: AppState, width: Int = 120) -> String {
        Golden.render(s, width: width, height: 40).textLines().last ?? ""
    }

    func testStatusLineShowsTheFilterTimeNextToTheLoadTime() {
        var s = Fixture.loadedState(width: 120, height: 40)
        XCTAssertTrue(statusLine(s).contains("loaded in"), statusLine(s))
        XCTAssertFalse(statusLine(s).contains("filtered in"), statusLine(s))
        _ = update(&s, .key(.char("f")))
        _ = update(&s, .key(.down))
        _ = update(&s, .key(.enter))
        let segment = s.pendingFilter!
        var filtered = Fixture.report
        filtered.store.persons = 12_400
        _ = update(&s, .filterReady(segment: segment, report: filtered, seconds: 0.0424))
        XCTAssertTrue(statusLine(s).contains("filtered in 42 ms"), statusLine(s))
        // Without a measured time (older callers), nothing is claimed.
        _ = update(&s, .filterReady(segment: segment, report: filtered))
        XCTAssertFalse(statusLine(s).contains("filtered in"), statusLine(s))
        _ = update(&s, .filterReady(segment: segment, report: filtered, seconds: 1.5))
        XCTAssertTrue(statusLine(s).contains("filtered in 1,500 ms") || statusLine(s).contains("filtered in 1500 ms"), statusLine(s))
        // Clearing the filter clears its time.
        _ = update(&s, .key(.char("f")))
        _ = update(&s, .key(.home))
        _ = update(&s, .key(.enter))
        XCTAssertNil(s.segmentFilter)
        XCTAssertFalse(statusLine(s).contains("filtered in"), statusLine(s))
    }

    func testFollowCadenceKeepsRecomputingWithinAFifthOfACore() {
        var c = FollowCadence()
        XCTAssertEqual(c.budget, 0.2)
        XCTAssertEqual(c.interval, 1)
        XCTAssertTrue(c.due(sinceLast: 1))
        c.analyzed(seconds: 0.1)   // cheap: every poll
        XCTAssertEqual(c.interval, 1)
        c.analyzed(seconds: 2)     // 2 CPU seconds of work: at most every 10 s
        XCTAssertEqual(c.interval, 10)
        XCTAssertFalse(c.due(sinceLast: 9))
        XCTAssertFalse(c.due(sinceLast: 9.99))
        XCTAssertTrue(c.due(sinceLast: 10))
        // Simulated steady state: work / elapsed stays within the budget for any recompute cost.
        for cost in [0.05, 0.3, 1.0, 4.0] {
            var cadence = FollowCadence()
            var clock = 0.0, busy = 0.0, last = -1e9, first: Double?, recomputes = 0
            while clock < 600 {
                clock += 1   // one poll a second
                if cadence.due(sinceLast: clock - last) {
                    if first == nil { first = clock } else { busy += cost }   // work done between the first and this start
                    last = clock
                    recomputes += 1
                    clock += cost
                    cadence.analyzed(seconds: cost)
                }
            }
            XCTAssertGreaterThan(recomputes, 10, "cost \(cost)")
            XCTAssertLessThanOrEqual(busy / (last - first!), 0.2 + 1e-9, "cost \(cost)")
        }
    }
}
