import XCTest
import Analytics
@testable import Dashboard

/// Follow mode in the pure dashboard: F, --follow, live updates, the header.
final class LiveUpdateTests: XCTestCase {
    func header(_ s: AppState) -> String { Golden.render(s, width: 80, height: 24).textLines()[0] }

    func grown(events: Int) -> DashboardData {
        var d = Fixture.data
        d.report.store.events = events
        return d
    }

    func testFTogglesFollowingWithEffects() {
        var s = Fixture.loadedState()
        XCTAssertFalse(s.following)
        XCTAssertEqual(update(&s, .key(.char("F"))), [.follow(true)])
        XCTAssertTrue(s.following)
        XCTAssertTrue(header(s).contains("● live"), header(s))
        XCTAssertEqual(update(&s, .key(.char("F"))), [.follow(false)])
        XCTAssertFalse(s.following)
        XCTAssertNil(s.live)
        XCTAssertFalse(header(s).contains("live"))
    }

    func testFollowFlagStartsFollowingOnceLoaded() {
        var s = AppState(options: DashboardOptions(follow: true))
        XCTAssertTrue(s.following)
        _ = update(&s, .resize(width: 80, height: 24))
        XCTAssertEqual(update(&s, .loaded(Fixture.data)), [.follow(true)])
        // A second load (reload) does not ask again unless the follow was stopped by the reload.
        XCTAssertEqual(update(&s, .key(.char("r"))), [.follow(false), .reload])
        XCTAssertEqual(update(&s, .loaded(Fixture.data)), [.follow(true)])
        XCTAssertEqual(update(&s, .loaded(Fixture.data)), [])
    }

    func testFWhileLoadingStartsAfterTheLoad() {
        var s = AppState(options: DashboardOptions())
        XCTAssertEqual(update(&s, .key(.char("F"))), [])
        XCTAssertTrue(s.following)
        XCTAssertEqual(update(&s, .loaded(Fixture.data)), [.follow(true)])
    }

    func testLiveUpdateReplacesTheReportAndKeepsTheView() {
        var s = Fixture.loadedState()
        _ = update(&s, .key(.char("F")))
        _ = update(&s, .key(.char("4")))
        let status = LiveStatus(newestEventMs: Fixture.nowMs - 5_000, eventsPerSecond: 2.5, eventsSinceStart: 10)
        XCTAssertEqual(update(&s, .liveUpdate(grown(events: 1_198_014), status)), [])
        XCTAssertEqual(s.tab, .consent)
        XCTAssertEqual(s.report?.store.events, 1_198_014)
        XCTAssertEqual(s.live, status)
        XCTAssertTrue(header(s).contains("● live 2.5 ev/s"), header(s))
        // A status without data keeps the report.
        XCTAssertEqual(update(&s, .liveUpdate(nil, LiveStatus(eventsPerSecond: 0))), [])
        XCTAssertEqual(s.report?.store.events, 1_198_014)
        XCTAssertTrue(header(s).contains("● live 0 ev/s"), header(s))
    }

    /// A one-off note (the rules file could not be re-read when following started) shows in the status line,
    /// cleaned of control bytes, until the next key; updates without a note leave it.
    func testNoteIsShownOnceInTheStatusLine() {
        var s = Fixture.loadedState()
        _ = update(&s, .key(.char("F")))
        _ = update(&s, .liveUpdate(grown(events: 7), LiveStatus(note: "Following with the rules loaded before: bad\u{1b}[31m rule")))
        let status = { Golden.render(s, width: 120, height: 40).textLines().last ?? "" }
        XCTAssertTrue(status().contains("Following with the rules loaded before: bad"), status())
        XCTAssertFalse(status().contains("\u{1b}"), status())
        XCTAssertEqual(s.report?.store.events, 7)
        _ = update(&s, .liveUpdate(nil, LiveStatus()))
        XCTAssertTrue(status().contains("Following with the rules loaded before"), status())
        _ = update(&s, .key(.char("2")))
        XCTAssertFalse(status().contains("Following with the rules"), status())
    }

    func testLateUpdatesAfterStoppingAreIgnored() {
        var s = Fixture.loadedState()
        _ = update(&s, .key(.char("F")))
        _ = update(&s, .key(.char("F")))
        _ = update(&s, .liveUpdate(grown(events: 5), LiveStatus()))
        XCTAssertEqual(s.report?.store.events, Fixture.report.store.events)
        XCTAssertNil(s.live)
    }

    func testProblemIsShownInTheHeader() {
        var s = Fixture.loadedState()
        _ = update(&s, .key(.char("F")))
        _ = update(&s, .liveUpdate(nil, LiveStatus(problem: "no such file or directory: events/")))
        XCTAssertTrue(header(s).contains("● live: no such file"), header(s))
    }

    func testSegmentFilterStaysWhileItsRefreshIsComputed() {
        var s = Fixture.loadedState()
        let segment = Fixture.report.segments[0].name
        var filtered = Fixture.report
        filtered.store.persons = 1234
        s.segmentFilter = segment
        s.filteredReport = filtered
        _ = update(&s, .key(.char("F")))
        XCTAssertEqual(update(&s, .liveUpdate(grown(events: 7), LiveStatus())), [.computeFilter(segment: segment)])
        XCTAssertNil(s.pendingFilter)
        XCTAssertEqual(s.report?.store.persons, 1234, "the filtered figures stay until the refresh arrives")
        var refreshed = filtered
        refreshed.store.persons = 1240
        _ = update(&s, .filterReady(segment: segment, report: refreshed))
        XCTAssertEqual(s.report?.store.persons, 1240)
        XCTAssertEqual(s.segmentFilter, segment)
    }

    func testHelpListsF() {
        XCTAssertEqual(KeyMap.standard.command(for: .char("F"), in: [.global]), .toggleFollow)
    }
}

/// Live figures (follow mode's store and consent sections, updated every poll) with the views' older analysis.
final class LiveFiguresHeaderTests: XCTestCase {
    func header(_ s: AppState, width: Int = 120) -> String { Golden.render(s, width: width, height: 24).textLines()[0] }

    func testTheHeaderSaysWhenTheViewsAreOlderThanTheLiveFigures() {
        var s = Fixture.loadedState()
        _ = update(&s, .key(.char("F")))
        var d = Fixture.data
        d.report.store.events = 1_198_014
        d.viewsAsOfMs = 1_789_948_800_000 + (20 * 3_600 + 12 * 60 + 5) * 1_000  // 20:12:05 UTC
        let status = LiveStatus(newestEventMs: Fixture.nowMs - 5_000, eventsPerSecond: 1_000, eventsSinceStart: 10)
        XCTAssertEqual(update(&s, .liveUpdate(d, status)), [])
        XCTAssertEqual(s.report?.store.events, 1_198_014)
        XCTAssertTrue(header(s).contains("● live 1,000 ev/s · views as of 20:12:05Z"), header(s))
        // Too narrow for it: the live marker and the rest stay as they were.
        XCTAssertFalse(header(s, width: 80).contains("views as of"), header(s, width: 80))
        XCTAssertTrue(header(s, width: 80).contains("● live"), header(s, width: 80))
        // The next full analysis: every figure of one moment again.
        d.viewsAsOfMs = nil
        _ = update(&s, .liveUpdate(d, status))
        XCTAssertFalse(header(s).contains("views as of"), header(s))
    }

    func testLiveFiguresAloneDoNotRecomputeASegmentFilter() {
        var s = Fixture.loadedState()
        _ = update(&s, .key(.char("F")))
        guard let seg = s.report?.segments.first?.name else { return XCTFail("the fixture has segments") }
        _ = update(&s, .filterReady(segment: seg, report: Fixture.data.report))
        s.segmentFilter = seg
        s.pendingFilter = nil
        var d = Fixture.data
        d.viewsAsOfMs = 1
        XCTAssertEqual(update(&s, .liveUpdate(d, LiveStatus())), [], "live figures are of the whole store")
        d.viewsAsOfMs = nil
        XCTAssertEqual(update(&s, .liveUpdate(d, LiveStatus())), [.computeFilter(segment: seg)])
    }
}
