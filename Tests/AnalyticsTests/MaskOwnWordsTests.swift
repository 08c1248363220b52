import XCTest
import EventStore
@testable import Analytics

/// Issue #11.13: the PII masker masks only store-borne text in earshot's messages (malformed-line
/// reasons, warnings), never earshot's own words, numbers, limits or dates.
final class MaskOwnWordsTests: XCTestCase {
    func published(reasons: [String], warnings: [String] = []) -> Report {
        var r = Report()
        r.store.persons = 100
        r.store.malformedLines = reasons.enumerated().map { MalformedLineReport(file: "events.jsonl", line: $0.offset + 1, reason: $0.element) }
        r.store.warnings = warnings
        return Privacy.publish(r, policy: .standard)
    }

    func testEarshotsOwnWordsAreNeverMasked() {
        let own = [
            LineError.tooLong(bytes: 16_777_240, limit: 16_777_216).reason,
            LineError.tooLong(bytes: 1_000_000_040, limit: 16_777_216).reason,
            LineError.missingType.reason,
            LineError.missingIdentity.reason,
            LineError.missingTime.reason,
            LineError.notAnObject(found: "an array").reason,
            LineError.invalidJSON(JSONSyntaxError(.nestedTooDeeply(limit: 512), at: 1_234_567_890)).reason,
        ]
        let p = published(reasons: own)
        XCTAssertEqual(p.store.malformedLines.map(\.reason), own)
        for r in p.store.malformedLines.map(\.reason) { XCTAssertFalse(r.contains(PIIMasker.dot), r) }
    }

    func testDatesInReasonsStayReadable() {
        let reason = LineError.invalidTime(field: "timestamp", value: "\"2026-13-02 10:00:00\"", problem: "month out of range").reason
        XCTAssertEqual(published(reasons: [reason]).store.malformedLines[0].reason, reason)
        let iso = LineError.invalidTime(field: "timestamp", value: "\"2026-10-24T18:42:12.331\"",
                                        problem: "no time zone (add Z or an offset such as +02:00)").reason
        XCTAssertEqual(published(reasons: [iso]).store.malformedLines[0].reason, iso)
    }

    func testStoreBorneValuesInReasonsAreStillMasked() {
        let reason = LineError.invalidTime(field: "timestamp", value: "\"anna@example.com\"", problem: "expected YYYY-MM-DD").reason
        let masked = published(reasons: [reason]).store.malformedLines[0].reason
        XCTAssertEqual(masked, "\"timestamp\" is not a valid time: \"a•••@example.com\": expected YYYY-MM-DD")
        let phone = LineError.invalidTime(field: "receivedAt", value: "\"+49 170 1234567\"", problem: "expected YYYY-MM-DD").reason
        let maskedPhone = published(reasons: [phone]).store.malformedLines[0].reason
        XCTAssertTrue(maskedPhone.hasPrefix("\"receivedAt\" is not a valid time: \"+49 "), maskedPhone)
        XCTAssertFalse(maskedPhone.contains("1234567"), maskedPhone)
        // Revealed: as is.
        var r = Report()
        r.store.malformedLines = [MalformedLineReport(file: "e", line: 1, reason: reason)]
        XCTAssertEqual(Privacy.publish(r, policy: PrivacyPolicy(minCohort: 5, revealPII: true)).store.malformedLines[0].reason, reason)
    }

    func testWarningsMaskQuotedStoreTextAndPathsOnly() {
        let warnings = [
            "more than 64 consent categories: \"anna@example.com\" and later ones are ignored",
            "/data/anna@example.com/x.jsonl.gz: not gzip data despite the .gz name; read as plain text",
            "12345678901 survey prompts name an unknown time zone: their local hour uses UTC",
            "the weekly series spans more than 520 weeks: only the latest 520 are shown",
        ]
        let p = published(reasons: [], warnings: warnings).store.warnings
        XCTAssertEqual(p[0], "more than 64 consent categories: \"a•••@example.com\" and later ones are ignored")
        XCTAssertFalse(p[1].contains("anna@"), p[1])
        XCTAssertTrue(p[1].hasSuffix(": not gzip data despite the .gz name; read as plain text"), p[1])
        XCTAssertEqual(p[2], warnings[2], "a count is earshot's own number")
        XCTAssertEqual(p[3], warnings[3])
    }
}
