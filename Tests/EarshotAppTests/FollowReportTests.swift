import Analytics
import Dashboard
import EarshotApp
import EventStore
import EarshotTestSupport
import Foundation
import Synchronization
import XCTest

/// Follow mode end to end in process: the report the follow loop publishes after appends (read as appended bytes
/// only by the follower) equals a full recompute from a cold read of the grown store — with a duplicate, a late
/// alias that stitches an anonymous person into a known user, latest-wins consent changes (a same-millisecond
/// tie decided by file order) and a late event; the segment filter on the followed store likewise. And a rules
/// file that cannot be re-read when following starts is said once in the status, not swallowed.
final class FollowReportTests: XCTestCase {
    var fixture: SmallStore!

    override func setUpWithError() throws {
        let lines = [
            #"{"type":"track","event":"Product Viewed","userId":"u1","messageId":"m1","timestamp":"2026-11-01T10:00:00Z","properties":{"shelf":"baby"}}"#,
            #"{"type":"track","event":"Product Viewed","anonymousId":"a1","messageId":"m2","timestamp":"2026-11-02T10:00:00Z","properties":{"shelf":"baby"}}"#,
            #"{"type":"track","event":"Order Completed","anonymousId":"a1","messageId":"m3","timestamp":"2026-11-02T11:00:00Z"}"#,
            #"{"type":"track","event":"Order Completed","userId":"u2","messageId":"m4","timestamp":"2026-11-03T10:00:00Z","context":{"consent":{"categoryPreferences":{"Analytics":true,"Personalization":true}}}}"#,
            #"{"type":"track","event":"Survey Shown","userId":"u2","messageId":"m5","timestamp":"2026-11-03T12:00:00Z","properties":{"channel":"email","survey_id":"s1"}}"#,
            #"{"type":"track","event":"Product Viewed","userId":"u3","messageId":"m6","timestamp":"2026-11-04T10:00:00Z","properties":{"shelf":"toys"}}"#,
        ]
        fixture = SmallStore("earshot-follow", lines: lines)
    }

    override func tearDownWithError() throws { fixture = nil }

    var root: URL { fixture.root }
    var storeFile: URL { fixture.storeFile }
    var rulesFile: URL { fixture.rulesFile }

    var request: StoreRequest {
        var options = AnalysisOptions()
        options.privacy = PrivacyPolicy(minCohort: 0)
        return StoreRequest(paths: [root.appendingPathComponent("store").path], rulesPath: rulesFile.path, options: options)
    }

    /// The appended lines: a duplicate of m4, the late alias a1 → u1, u2's consent revoked and granted again in
    /// the same millisecond (the later line wins), a response to u2's survey, a late event of u3, a new person.
    static let appended = [
        #"{"type":"track","event":"Order Completed","userId":"u2","messageId":"m4","timestamp":"2026-11-03T10:00:00Z"}"#,
        #"{"type":"alias","userId":"u1","previousId":"a1","messageId":"m7","timestamp":"2026-11-05T09:00:00Z"}"#,
        #"{"type":"track","event":"Order Completed","userId":"u2","messageId":"m8","timestamp":"2026-11-05T10:00:00Z","context":{"consent":{"categoryPreferences":{"Analytics":false,"Personalization":false}}}}"#,
        #"{"type":"track","event":"Order Completed","userId":"u2","messageId":"m9","timestamp":"2026-11-05T10:00:00Z","context":{"consent":{"categoryPreferences":{"Analytics":true,"Personalization":false}}}}"#,
        #"{"type":"track","event":"Survey Sent","userId":"u2","messageId":"m10","timestamp":"2026-11-05T11:00:00Z","properties":{"channel":"email","survey_id":"s1","score":9}}"#,
        #"{"type":"track","event":"Product Viewed","userId":"u3","messageId":"m11","timestamp":"2026-11-01T08:00:00Z","properties":{"shelf":"baby"}}"#,
        #"{"type":"track","event":"Product Viewed","userId":"u4","messageId":"m12","timestamp":"2026-11-06T10:00:00Z","properties":{"shelf":"baby"}}"#,
    ]

    /// Collects the follow loop's updates.
    final class Updates: Sendable {
        let all = Mutex<[(DashboardData?, LiveStatus)]>([])
        func add(_ d: DashboardData?, _ s: LiveStatus) { all.withLock { $0.append((d, s)) } }
        /// Waits (up to `timeout` seconds) for an update that satisfies `until`.
        func wait(timeout: Double = 20, until: (DashboardData?, LiveStatus) -> Bool) -> (DashboardData?, LiveStatus)? {
            let end = Date().addingTimeInterval(timeout)
            while Date() < end {
                let seen = all.withLock { $0 }
                if let hit = seen.first(where: { until($0.0, $0.1) }) { return hit }
                Thread.sleep(forTimeInterval: 0.05)
            }
            return nil
        }
    }

    func testFollowedReportEqualsAFullRecomputeAfterAppends() throws {
        let source = StoreDashboardSource(request)
        source.live.setFollowMode(true)
        let first = try source.load { _ in }
        XCTAssertEqual(first.report.store.events, 6)
        let updates = Updates()
        let handle = try XCTUnwrap(source.follow { d, s in updates.add(d, s) })
        defer { handle.stop() }

        let h = try FileHandle(forWritingTo: storeFile)
        h.seekToEndOfFile()
        h.write(Data((Self.appended.joined(separator: "\n") + "\n").utf8))
        try h.close()

        // 12 events: the duplicate is dropped. (A full analysis: on this small store every poll's is due.)
        let update = try XCTUnwrap(updates.wait { d, _ in d?.report.store.events == 12 && d?.viewsAsOfMs == nil },
                                   "no update with the appended events")
        let followed = try XCTUnwrap(update.0).report
        let cold = try StoreSession.load(request, needsTable: true)
        let recomputed = cold.report()
        XCTAssertEqual(followed, recomputed)
        // The cases the appended lines make (so that equality is not trivially of two empty reports).
        XCTAssertEqual(followed.store.persons, 4, "a1 stitched into u1, u4 new")
        XCTAssertEqual(followed.segments.first?.size, 3, "u1 (with a1), u3 (late event) and u4")
        XCTAssertEqual(followed.consent.categories.first { $0.name == "Analytics" }?.granted, 1,
                       "u2's same-millisecond tie: the later line (granted) wins")
        XCTAssertEqual(followed.consent.categories.first { $0.name == "Personalization" }?.granted, 0)
        XCTAssertEqual(followed.feedback.total.answered, 1, "u2's answer to the prompt before the append")

        // The segment filter on the followed store: the same as restricting a cold recompute.
        let filtered = try XCTUnwrap(source.report(filteredTo: "Baby"))
        let table = try XCTUnwrap(cold.table)
        let program = try XCTUnwrap(cold.program)
        let members = try XCTUnwrap(Analysis.members(of: "Baby", table: table, program: program, options: request.options))
        XCTAssertEqual(filtered, Analysis.report(table: table, program: program, options: request.options, persons: members))
    }

    /// The live figures alone (the full analysis held back by a long cadence): the store and consent sections equal
    /// a full recompute of the grown store within a poll or two, the other sections stay those of the analysis the
    /// views were computed from, and the rendered dashboard says so in its header.
    func testLiveFiguresEqualAFullRecomputeBetweenAnalyses() throws {
        let source = StoreDashboardSource(request)
        source.followCadence = FollowCadence(minimum: 3_600)
        source.live.setFollowMode(true)
        let first = try source.load { _ in }
        var state = AppState(options: DashboardOptions(follow: true))
        _ = update(&state, .resize(width: 140, height: 30))
        _ = update(&state, .loaded(first))
        let updates = Updates()
        let handle = try XCTUnwrap(source.follow { d, s in updates.add(d, s) })
        defer { handle.stop() }
        // The first poll finds nothing new; then the appended lines.
        _ = updates.wait { _, _ in true }
        let h = try FileHandle(forWritingTo: storeFile)
        h.seekToEndOfFile()
        h.write(Data((Self.appended.joined(separator: "\n") + "\n").utf8))
        try h.close()

        let update1 = try XCTUnwrap(updates.wait { d, _ in d?.report.store.events == 12 }, "no live update")
        let live = try XCTUnwrap(update1.0)
        XCTAssertNotNil(live.viewsAsOfMs, "the full analysis is held back: these are the live figures")
        let recomputed = try StoreSession.load(request, needsTable: true).report()
        XCTAssertEqual(live.report.store, recomputed.store)
        XCTAssertEqual(live.report.consent, recomputed.consent)
        XCTAssertEqual(live.report.store.persons, 4, "a1 stitched into u1 by the late alias, u4 new")
        XCTAssertEqual(live.report.consent.categories.first { $0.name == "Analytics" }?.granted, 1,
                       "u2's same-millisecond tie: the later line (granted) wins")
        // The views' other figures are still those of the analysis before the append.
        XCTAssertEqual(live.report.feedback, first.report.feedback)
        XCTAssertEqual(live.report.segments, first.report.segments)
        XCTAssertNotEqual(live.report.feedback, recomputed.feedback)

        // Headless: the dashboard shows the live figures and says the views are older.
        _ = update(&state, .liveUpdate(live, update1.1))
        var screen = ScreenBuffer(width: 140, height: 30)
        render(state, into: &screen)
        let lines = screen.textLines()
        XCTAssertTrue(lines[0].contains("views as of "), lines[0])
        XCTAssertTrue(lines.contains { $0.contains("persons 4") && $0.contains("events 12") }, lines.joined(separator: "\n"))
    }

    func testRulesThatCannotBeReadAgainAreSaidOnceWhenFollowingStarts() throws {
        let source = StoreDashboardSource(request)
        let loaded = try source.load { _ in }   // a plain load, then `F`
        XCTAssertEqual(loaded.report.segments.map(\.name), ["Baby"])
        try "segment nope".write(to: rulesFile, atomically: true, encoding: .utf8)
        let updates = Updates()
        let handle = try XCTUnwrap(source.follow { d, s in updates.add(d, s) })
        defer { handle.stop() }
        let first = try XCTUnwrap(updates.wait { _, _ in true }, "no update")
        let note = try XCTUnwrap(first.1.note, "the rules error must be said")
        XCTAssertTrue(note.hasPrefix("Following with the rules loaded before: invalid segment rules:"), note)
        XCTAssertFalse(note.contains("\n"), note)
        // Following goes on with the rules loaded before.
        XCTAssertEqual(first.0?.report.segments.map(\.name), ["Baby"])
        // Once: the next update (a poll a second later) carries no note.
        let second = try XCTUnwrap(updates.wait { _, _ in updates.all.withLock { $0.count } >= 2 }, "no second update")
        _ = second
        XCTAssertEqual(updates.all.withLock { $0.filter { $0.1.note != nil }.count }, 1)
    }
}
