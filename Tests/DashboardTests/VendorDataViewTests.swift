import XCTest
@testable import Dashboard
import Analytics
import EventStore

/// Issue #10: the Consent view shows RudderStack category labels and says when no event carries the
/// analytics category; the Data view explains batch envelopes and every malformed record by kind.
final class VendorDataViewTests: XCTestCase {
    func report() -> Report {
        var r = Report(now: "2026-11-02T10:00:00.000Z")
        r.store.files = 1; r.store.lines = 12; r.store.batchEnvelopes = 3; r.store.batchItems = 7; r.store.records = 16
        r.store.events = 12; r.store.duplicates = 1; r.store.malformed = 3; r.store.persons = 4
        r.store.malformedShare = 3.0 / 16
        r.store.malformedKinds = [MalformedKind(kind: "batch item: no type", count: 2), MalformedKind(kind: "time without a zone", count: 1)]
        r.store.malformedLines = [MalformedLineReport(file: "a.jsonl", line: 2, reason: "batch item 3: no \"type\" string"),
                                  MalformedLineReport(file: "a.jsonl", line: 2, reason: "batch item 5: no \"type\" string"),
                                  MalformedLineReport(file: "a.jsonl", line: 9, reason: "\"timestamp\" is a time without a zone")]
        r.store.fileList = [FileSummary(path: "a.jsonl", bytes: 900, lines: 12, events: 12, duplicates: 1, malformed: 3,
                                      batchEnvelopes: 3, batchItems: 7)]
        r.consent.persons = 40; r.consent.events = 12; r.consent.eventsConsentUnknown = 12
        r.consent.analyticsCategoryNote = "no event carries the analytics category \"Analytics\" (the store has: C0001, C0002)"
        var c1 = CategoryCoverage(name: "C0001", granted: 30, denied: 5, unknown: 5, coverage: 0.75)
        c1.label = "Functional Cookies"
        r.consent.categories = [c1, CategoryCoverage(name: "C0002", granted: 20, denied: 15, unknown: 5, coverage: 0.5)]
        return r
    }

    func testConsentLabelsAndMissingAnalyticsCategory() {
        var s = Fixture.loadedState(width: 120, height: 40)
        _ = update(&s, .loaded(DashboardData(report: report(), sourceDescription: "events/", loadSeconds: 1)))
        _ = update(&s, .key(.char("4")))
        let consent = Golden.render(s, width: 120, height: 40).textLines().joined(separator: "\n")
        XCTAssertTrue(consent.contains("C0001 Functional Cookies"), consent)
        XCTAssertTrue(consent.contains("no event has Analytics"), consent)
        XCTAssertTrue(consent.contains("set --analytics-category"), consent)
    }

    func testDataViewExplainsEnvelopesAndMalformedKinds() {
        var s = Fixture.loadedState(width: 120, height: 40)
        _ = update(&s, .loaded(DashboardData(report: report(), sourceDescription: "events/", loadSeconds: 1)))
        _ = update(&s, .key(.char("5")))
        let data = Golden.render(s, width: 120, height: 40).textLines().joined(separator: "\n")
        XCTAssertTrue(data.contains("batch envelopes"), data)
        XCTAssertTrue(data.split(separator: "\n").contains { $0.contains("records") && $0.contains("16") }, data)
        XCTAssertTrue(data.contains("2 batch item: no type, 1 time without a zone"), data)
    }
}
