import Analytics
import Dashboard
@testable import EarshotApp
import EventStore
import EarshotTestSupport
import Foundation
import XCTest

/// The application layer in process: caching outcome, rules, field selection, check's reference time and the
/// dashboard source, on a small store written by each test.
final class StoreSessionTests: XCTestCase {
    var fixture: SmallStore!

    override func setUpWithError() throws {
        var lines: [String] = []
        for (i, user) in ["u1", "u2", "u3"].enumerated() {
            lines.append(#"{"type":"track","event":"Order Completed","userId":"\#(user)","messageId":"m\#(i)","timestamp":"2026-11-0\#(i + 1)T10:00:00Z","properties":{"total":\#(10 * (i + 1))}}"#)
        }
        lines.append(#"{"type":"track","event":"Product Viewed","userId":"u1","messageId":"m9","timestamp":"2026-11-05T10:00:00Z","properties":{"shelf":"baby"}}"#)
        fixture = SmallStore("earshot-app", lines: lines, cache: true)
    }

    override func tearDownWithError() throws { fixture = nil }

    var root: URL { fixture.root }
    var storeFile: URL { fixture.storeFile }
    var rulesFile: URL { fixture.rulesFile }

    func request(cache: Bool, window: Int64 = 7 * 86_400_000) throws -> StoreRequest {
        var options = AnalysisOptions()
        options.window = window
        options.privacy = PrivacyPolicy(minCohort: 0)
        var cacheValue: StoreCache?
        if cache {
            let (c, warning) = StoreSession.trustedCache(root.appendingPathComponent("cache").path)
            XCTAssertNil(warning)
            cacheValue = try XCTUnwrap(c)
        }
        return StoreRequest(paths: [root.appendingPathComponent("store").path], rulesPath: rulesFile.path, options: options,
                            cache: cacheValue)
    }

    func testTheCacheOutcomeIsReturnedAsAValue() throws {
        XCTAssertEqual(try StoreSession.load(request(cache: false)).cacheOutcome, .disabled)

        let first = try StoreSession.load(request(cache: true))
        guard case .rebuilt = first.cacheOutcome else { return XCTFail("first load: \(first.cacheOutcome)") }
        let report = first.report()  // computed and saved
        XCTAssertEqual(report.store.events, 4)

        let second = try StoreSession.load(request(cache: true))
        XCTAssertEqual(second.cacheOutcome, .reportHit)
        XCTAssertNil(second.table, "the cached report needs no table")
        XCTAssertEqual(second.report(), report)

        // Other options: the table is reused, the report computed.
        let other = try StoreSession.load(request(cache: true, window: 86_400_000))
        XCTAssertEqual(other.cacheOutcome, .tableHit(appendedBytes: 0))

        // Appended bytes are read on their own.
        let handle = try FileHandle(forWritingTo: storeFile)
        handle.seekToEndOfFile()
        handle.write(Data(#"{"type":"track","event":"Order Completed","userId":"u4","messageId":"m10","timestamp":"2026-11-06T10:00:00Z"}"#.utf8 + [10]))
        try handle.close()
        let grown = try StoreSession.load(request(cache: true))
        guard case .tableHit(let bytes) = grown.cacheOutcome, bytes > 0 else { return XCTFail("after an append: \(grown.cacheOutcome)") }
        XCTAssertEqual(grown.report().store.events, 5)
    }

    func testBadRulesAndMissingRulesFilesAreOneLineErrors() throws {
        try "segment nope".write(to: rulesFile, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try StoreSession.load(request(cache: false))) { e in
            XCTAssertTrue("\(e)".hasPrefix("invalid segment rules:"), "\(e)")
        }
        XCTAssertThrowsError(try StoreSession.readRulesFile(root.appendingPathComponent("none.segments").path)) { e in
            XCTAssertEqual("\(e)", "no such rules file: \(root.appendingPathComponent("none.segments").path)")
        }
    }

    func testTheFieldSelectionIncludesTheRulesFields() throws {
        let program = try XCTUnwrap(StoreSession.rules(rulesFile.path))
        let plain = StoreSession.selection(program: nil, feedback: .standard)
        let withRules = StoreSession.selection(program: program, feedback: .standard)
        XCTAssertTrue(withRules.paths.isSuperset(of: plain.paths))
        XCTAssertEqual(withRules.paths.subtracting(plain.paths), ["properties.shelf"], "the rule's property is selected")
        // The rule's property is read: the segment has its member.
        let loaded = try StoreSession.load(request(cache: false), needsTable: true)
        XCTAssertEqual(loaded.report().segments.first?.size, 1)
    }

    func testCheckMeasuresFromTheWallClockUnlessTheNewestEventIsLater() throws {
        let newest: Int64 = 1_793_872_800_000  // 2026-11-05T10:00:00Z, the newest event
        XCTAssertEqual(ReferenceTime.check(now: 5, wallClockMs: 9), ReferenceTime(ms: 5, source: .flag))
        XCTAssertEqual(ReferenceTime.check(now: nil, wallClockMs: 9), ReferenceTime(ms: 9, source: .wallClock))

        var later = try StoreSession.load(request(cache: false), needsTable: true)
        let wall = newest + 3_600_000
        XCTAssertEqual(ReferenceTime.check(store: &later, wallClockMs: wall),
                       ReferenceTime(ms: wall, source: .wallClock, newestEventMs: newest))
        XCTAssertEqual(later.report().store.lastEventAgeSeconds, 3600)

        var earlier = try StoreSession.load(request(cache: false), needsTable: true)
        XCTAssertEqual(ReferenceTime.check(store: &earlier, wallClockMs: newest - 1000),
                       ReferenceTime(ms: newest, source: .newestEvent, newestEventMs: newest))
        XCTAssertEqual(earlier.report().store.lastEventAgeSeconds, 0)
    }

    func testACheckNeverUsesOrSavesAReportCachedForAnotherReferenceTime() throws {
        _ = try StoreSession.load(request(cache: true)).report()
        var loaded = try StoreSession.load(request(cache: true), needsTable: true)
        XCTAssertEqual(loaded.cacheOutcome, .reportHit)
        let wall: Int64 = 1_793_872_800_000 + 86_400_000
        _ = ReferenceTime.check(store: &loaded, wallClockMs: wall)
        XCTAssertEqual(loaded.report().store.lastEventAgeSeconds, 86_400, "computed for the wall clock, not the cached report")
        XCTAssertEqual(try StoreSession.load(request(cache: true)).report().store.lastEventAgeSeconds, 0,
                       "the check's report was not saved over the cached one")
    }

    func testTheDashboardSourceLoadsAndFiltersInProcess() throws {
        let source = StoreDashboardSource(try request(cache: true))
        let data = try source.load { _ in }
        XCTAssertEqual(data.report.store.persons, 3)
        guard case .rebuilt? = source.lastCacheOutcome else { return XCTFail("\(String(describing: source.lastCacheOutcome))") }
        let filtered = try XCTUnwrap(source.report(filteredTo: "Baby"))
        XCTAssertEqual(filtered.store.persons, 1)
        XCTAssertNil(source.report(filteredTo: "No such segment"))
        // A second source over the same store gets the report from the cache.
        let again = StoreDashboardSource(try request(cache: true))
        let reopened = try again.load { _ in }
        XCTAssertEqual(again.lastCacheOutcome, .reportHit)
        XCTAssertEqual(reopened.report.store.persons, 3)
        // The first frame did not wait for the table (#14, re-open): it is loaded afterwards, and a filter waits for it.
        let later = try XCTUnwrap(again.report(filteredTo: "Baby"))
        XCTAssertTrue(again.tableIsLoaded)
        XCTAssertEqual(later.store.persons, 1)
        XCTAssertEqual(again.lastCacheOutcome, .reportHit, "the table behind the cached report is that very state")
        XCTAssertNil(again.report(filteredTo: "No such segment"))
    }

    /// The re-open's background work is the table only (#14): after the first frame from the cached report, the
    /// report is neither read nor decoded again, the rules are not parsed again and nothing is analysed — the full
    /// report stays the cached one.
    func testTheReopenLoadsOnlyTheTableBehindTheCachedReport() throws {
        let source = StoreDashboardSource(try request(cache: true))
        _ = try source.load { _ in }
        _ = try XCTUnwrap(source.report(filteredTo: "Baby"))  // the report is cached now (the table too)

        let decodesBefore = ReportCache.decodes.load(ordering: .relaxed)
        let again = StoreDashboardSource(try request(cache: true))
        let reopened = try again.load { _ in }
        XCTAssertEqual(again.lastCacheOutcome, .reportHit)
        again.waitForTable()
        XCTAssertTrue(again.tableIsLoaded)
        XCTAssertEqual(ReportCache.decodes.load(ordering: .relaxed) - decodesBefore, 1,
                       "one decode, for the first frame: the table's load in the background reads no report")
        // The store behind the filters holds the cached report itself (no analysis when it is asked for again).
        let store = try XCTUnwrap(again.loaded.withLock { $0 })
        XCTAssertEqual(store.cachedReport, reopened.report)
        XCTAssertEqual(store.cacheOutcome, .reportHit)
        XCTAssertEqual(try XCTUnwrap(again.report(filteredTo: "Baby")).store.persons, 1)

        // The table-only entry on a store that grew since the report was read: the table is of the newer state, the
        // cached report is not taken for it.
        let h = try FileHandle(forWritingTo: storeFile)
        h.seekToEndOfFile()
        h.write(Data((#"{"type":"track","event":"Product Viewed","userId":"u4","messageId":"m10","timestamp":"2026-11-06T10:00:00Z","properties":{"shelf":"baby"}}"# + "\n").utf8))
        try h.close()
        let grown = try StoreSession.loadTable(try request(cache: true), after: store)
        XCTAssertNil(grown.cachedReport)
        XCTAssertEqual(grown.report().store.persons, 4)
        guard case .tableHit(let bytes) = grown.cacheOutcome, bytes > 0 else { return XCTFail("\(grown.cacheOutcome)") }
    }
}
