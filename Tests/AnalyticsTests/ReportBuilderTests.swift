import XCTest
import EventStore
@testable import Analytics

final class ReportBuilderTests: XCTestCase {
    private func storeWithStats() -> EventTable {
        var stats = StoreStats()
        stats.files = [FileStats(path: "data/a.jsonl", bytes: 100, lines: 6), FileStats(path: "data/b.jsonl.gz", compressed: true, lines: 4)]
        stats.lines = 10
        stats.addMalformed(MalformedLine(file: 0, line: 3, reason: "not valid JSON", excerpt: "{"))
        stats.addMalformed(MalformedLine(file: 1, line: 7, reason: "no timestamp", excerpt: "{}"))
        stats.addMalformed(MalformedLine(file: 9, line: 1, reason: "odd", excerpt: ""))
        stats.warnings = ["note"]
        var s = Store()
        s.track("a", ms(2026, 11, 20, 18, 3, 11), "Order Completed")
        s.track("a", ms(2026, 11, 19), "Order Completed", consent: [granted("Analytics")])
        s.track("b", ms(2026, 11, 18, 7), "custom thing")
        s.prompt("b", ms(2026, 11, 18, 8))
        s.page("c", ms(2026, 11, 17, 6, 0, 0, 250))
        return s.table(stats: stats)
    }

    func testStoreSummary() {
        let t = storeWithStats()
        let r = ReportBuilder.report(table: t, options: AnalysisOptions(now: ms(2026, 11, 20, 20, 3, 11, 500)))
        XCTAssertEqual(r.now, "2026-11-20T20:03:11.500Z")
        let st = r.store
        XCTAssertEqual(st.files, 2)
        XCTAssertEqual(st.lines, 10)
        XCTAssertEqual(st.events, 5)
        XCTAssertEqual(st.malformed, 3)
        XCTAssertEqual(st.malformedShare, 0.3)
        XCTAssertEqual(st.persons, 3)
        XCTAssertEqual(st.firstEvent, "2026-11-17T06:00:00.250Z")
        XCTAssertEqual(st.lastEvent, "2026-11-20T18:03:11.000Z")
        XCTAssertEqual(st.lastEventAgeSeconds, 7200.5)
        XCTAssertEqual(st.malformedLines, [
            MalformedLineReport(file: "data/a.jsonl", line: 3, reason: "not valid JSON"),
            MalformedLineReport(file: "data/b.jsonl.gz", line: 7, reason: "no timestamp"),
            MalformedLineReport(file: "(unknown file)", line: 1, reason: "odd"),
        ])
        XCTAssertEqual(st.fileList.map(\.path), ["data/a.jsonl", "data/b.jsonl.gz"])
        XCTAssertEqual(st.warnings, ["note"])
        // Without --now, now is the last event.
        let latest = ReportBuilder.report(table: t, options: AnalysisOptions())
        XCTAssertEqual(latest.now, "2026-11-20T18:03:11.000Z")
        XCTAssertEqual(latest.store.lastEventAgeSeconds, 0)
    }

    func testEventNames() {
        let r = ReportBuilder.report(table: storeWithStats(), options: AnalysisOptions())
        XCTAssertEqual(r.eventNames, [
            EventNameCount(name: "Order Completed", count: 2, known: true),
            EventNameCount(name: "Survey Shown", count: 1, known: true),
            EventNameCount(name: "custom thing", count: 1, known: false),
        ])
        XCTAssertTrue(KnownEvents.isKnown("survey dismissed"))
        XCTAssertTrue(KnownEvents.isKnown("Live Chat Message Received"))
        XCTAssertFalse(KnownEvents.isKnown("order completed"))
    }

    func testPersonFilterRestrictsEveryFigure() {
        let t = storeWithStats()
        let r = ReportBuilder.report(table: t, options: AnalysisOptions(), persons: t.persons("b", "c"))
        XCTAssertEqual(r.store.persons, 2)
        XCTAssertEqual(r.store.events, 3)
        XCTAssertEqual(r.store.firstEvent, "2026-11-17T06:00:00.250Z")
        XCTAssertEqual(r.store.lastEvent, "2026-11-18T08:00:00.000Z")
        XCTAssertEqual(r.store.lastEventAgeSeconds, Double(ms(2026, 11, 20, 18, 3, 11) - ms(2026, 11, 18, 8)) / 1000)
        XCTAssertEqual(r.store.lines, 10)   // the read itself is not per person
        XCTAssertEqual(r.consent.persons, 2)
        XCTAssertEqual(r.consent.categories.first?.granted, 0)
        XCTAssertEqual(r.feedback.total.prompts, 1)
        XCTAssertEqual(r.eventNames.map(\.name), ["Survey Shown", "custom thing"])
        XCTAssertEqual(r.segments, [])
        XCTAssertEqual(r.overlap, [])
    }

    func testEmptyTable() {
        let r = ReportBuilder.report(table: EventTable(), options: AnalysisOptions())
        XCTAssertNil(r.now)
        XCTAssertNil(r.store.firstEvent)
        XCTAssertNil(r.store.lastEventAgeSeconds)
        XCTAssertEqual(r.weekly, [])
        XCTAssertEqual(r.eventNames, [])
        XCTAssertEqual(r.store.malformedShare, 0)
    }
}
