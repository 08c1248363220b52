import XCTest
import EventStore
@testable import Analytics

final class SegmentMetricsTests: XCTestCase {
    typealias F = Fixture
    let t0 = Fixture.t0, day = Fixture.day

    func testISOWeeks() {
        typealias W = SegmentMetrics.Week
        XCTAssertEqual(W(containing: t0).label, "2026-W10")
        XCTAssertEqual(W(containing: t0).start, t0)
        XCTAssertEqual(W(containing: t0 - 1).label, "2026-W09")
        XCTAssertEqual(W(containing: t0 + 7 * day - 1).label, "2026-W10")
        // 2026-01-01 is a Thursday: week 1 of 2026 starts on Monday 2025-12-29
        XCTAssertEqual(W(containing: 1_767_225_600_000).label, "2026-W01")
        XCTAssertEqual(W(containing: 1_767_225_600_000).start, 1_766_966_400_000)
        XCTAssertEqual(W(containing: 1_766_966_400_000).label, "2026-W01")
        // 2027-01-01 (Friday) still belongs to week 53 of 2026
        XCTAssertEqual(W(containing: 1_798_761_600_000).label, "2026-W53")
        // 2021-01-03 (Sunday) belongs to week 53 of 2020; before the epoch works too
        XCTAssertEqual(W(containing: 1_609_632_000_000).label, "2020-W53")
        XCTAssertEqual(W(containing: -day).label, "1970-W01")
        XCTAssertEqual(SegmentMetrics.weeks(from: t0 - 1, through: t0 + 7 * day).map(\.label), ["2026-W09", "2026-W10", "2026-W11"])
        XCTAssertEqual(SegmentMetrics.weeks(from: t0, through: t0).map(\.label), ["2026-W10"])
        XCTAssertEqual(SegmentMetrics.weeks(from: t0 + 1, through: t0), [])
    }

    func testReportsReachWeeklySizesFeedbackAndOverlap() throws {
        var events = [
            F.track("a", "X", at: t0),
            F.track("b", "X", at: t0 + 8 * day),
            F.track("c", "Y", at: t0 + 15 * day),
        ]
        events[0].consent = [ConsentEntry("Analytics", true), ConsentEntry("Marketing", false)]
        events[1].consent = [ConsentEntry("Analytics", false)]
        let table = F.table(events)
        let program = try SegmentProgram.parse(source: """
        segment "X": did "X"
        segment "Not X":
            not did "X"   # nobody before they are seen
        segment "Recent X": did "X" in last 7d
        """, fileName: "m.segments")
        let now = t0 + 15 * day
        var asked: [[Int]] = []
        let metrics = SegmentMetrics(
            program: program, table: table, now: now, consent: ConsentStates(table: table, asOf: now),
            weeks: SegmentMetrics.weeks(from: table.firstEventTime!, through: now),
            feedback: { set in
                asked.append(set.members)
                var loop = LoopStats(channel: "chat")
                loop.prompts = set.count
                return ([loop], NPSStats(scored: set.count))
            })
        XCTAssertEqual(metrics.segments.map(\.name), ["X", "Not X", "Recent X"])
        XCTAssertEqual(metrics.segments.map(\.rule), [#"did "X""#, #"not did "X""#, #"did "X" in last 7d"#])
        XCTAssertEqual(metrics.segments.map(\.size), [2, 1, 1])
        XCTAssertEqual(metrics.segments[0].share!, 2.0 / 3.0, accuracy: 1e-12)
        XCTAssertEqual(metrics.segments[0].reachable, ["Analytics": 1, "Marketing": 0])
        XCTAssertEqual(metrics.segments[1].reachable, ["Analytics": 0, "Marketing": 0])
        XCTAssertEqual(metrics.segments[0].weekly, [SegmentWeek(week: "2026-W10", size: 1), SegmentWeek(week: "2026-W11", size: 2),
                                                    SegmentWeek(week: "2026-W12", size: 2)])
        XCTAssertEqual(metrics.segments[1].weekly.map(\.size), [0, 0, 1])
        // W10 ends at t0 + 7d − 1 ms: a's X is inside its last 7 days; W12 is evaluated as of now,
        // when b's X (t0 + 8d) is exactly 7 days old.
        XCTAssertEqual(metrics.segments[2].weekly.map(\.size), [1, 1, 1])
        XCTAssertEqual(asked, [[0, 1], [2], [1]])
        XCTAssertEqual(metrics.segments[0].feedback.map(\.prompts), [2])
        XCTAssertEqual(metrics.segments[2].nps, NPSStats(scored: 1))
        XCTAssertEqual(metrics.overlap, [SegmentOverlap(a: "X", b: "Not X", size: 0), SegmentOverlap(a: "X", b: "Recent X", size: 1),
                                         SegmentOverlap(a: "Not X", b: "Recent X", size: 0)])
    }

    func testEmptyStore() throws {
        let table = F.table([])
        let program = try SegmentProgram.parse(source: "segment \"A\": did any\n", fileName: "e")
        let m = SegmentMetrics(program: program, table: table, now: 0, consent: ConsentStates(table: table), weeks: [],
                               feedback: { _ in ([], NPSStats()) })
        XCTAssertEqual(m.segments.map(\.size), [0])
        XCTAssertNil(m.segments[0].share)
        XCTAssertEqual(m.overlap, [])
    }
}
