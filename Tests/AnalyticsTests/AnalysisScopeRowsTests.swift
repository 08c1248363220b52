import XCTest
import EventStore
import EarshotTestSupport
@testable import Analytics

/// `AnalysisScope.rows(_:)` takes a person's whole range when the reference time is at or after the last event
/// (`nowCoversEveryRow`, docs/PERFORMANCE.md "Session 9, second round"); otherwise the prefix at or before it. Both
/// must give the prefix of the definition: the person's rows whose time is at or before the reference time.
final class AnalysisScopeRowsTests: XCTestCase {
    func testRowsAreThePrefixAtOrBeforeTheReferenceTimeForEveryNow() {
        var rng = SeededRandom(seed: 9)
        var s = Store()
        let t0 = ms(2026, 3, 2)
        for p in 0 ..< 40 {
            var t = t0 + Int64(rng.int(50)) * hour
            for _ in 0 ..< rng.int(9) {
                t += Int64(rng.int(4)) * 30 * minute
                s.track("u\(p)", t, "Product Viewed")
            }
        }
        let table = s.table()
        let last = table.lastEventTime!
        let times = Array(table.time)
        let nows: [Int64?] = [nil, last, last + 1, last - 1, t0 - 1, t0, t0 + 20 * hour, t0 + 40 * hour, last + 365 * 24 * hour]
        for now in nows {
            var options = AnalysisOptions(privacy: .off)
            options.now = now
            let scope = AnalysisScope(table: table, options: options, persons: nil)
            let reference = now ?? last
            XCTAssertEqual(scope.nowCoversEveryRow, reference >= last, "now \(String(describing: now))")
            for p in 0 ..< table.personCount {
                let r = table.personRange(p)
                let expected = r.lowerBound ..< (r.first { times[$0] > reference } ?? r.upperBound)
                XCTAssertEqual(scope.rows(p), expected, "person \(p), now \(String(describing: now))")
            }
        }
    }
}
