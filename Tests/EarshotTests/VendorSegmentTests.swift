import Analytics
import EventStore
import XCTest

/// Segment payloads as Segment publishes them (`Tests/Fixtures/vendors/segment/`, sources in its README.md):
/// analytics-go batch envelopes, the Spec pages' examples, a consent update, delete requests and a
/// Segment S3 archive file without an extension. Every expectation is derived by hand in the comments
/// from docs/DEFINITIONS.md and issue #10.
final class VendorSegmentTests: XCTestCase {
    static let rules = """
        segment "Everyone": did any
        segment "Downloaded (batch envelope item)": did "Download"
        segment "Clicked a button (S3 archive)": did "Button Clicked"
        segment "Premium plan": trait plan = "premium"
        segment "San Francisco address": trait address.city = "San Francisco"
        segment "Tester (context.traits on a track call)": trait username = "testing-123"
        """

    nonisolated(unsafe) static var cached: Report?
    func report() throws -> Report {
        if let r = Self.cached { return r }
        let r = try VendorFixtures.report("segment", rules: Self.rules)
        Self.cached = r
        return r
    }

    /// Files, lines, duplicates and events of the read.
    func testStoreCounts() throws {
        let s = try report().store
        // Store files: analytics-go-fixtures.jsonl, consent-preference-updated.jsonl, delete-requests.jsonl,
        // refiner-source-examples.jsonl, semantic-events-http-bodies.jsonl, spec-examples.jsonl,
        // spec-minimal-examples.jsonl, and
        // segment-logs/tjT6ccPnFw/1449878400000/1449878461-….gz (Segment's S3 layout: gzip, no extension).
        // README.md is not a store file (its first byte is '#').
        XCTAssertEqual(s.files, 8, "Segment archive layout: segment-logs/<source>/<day-ms>/<name>.gz has no .jsonl in its name and must be read by content (gzip magic)")
        // Lines: 12 envelopes + 2 consent + 2 delete + 2 Refiner + 2 (archive) + 23 HTTP bodies + 5 + 6 = 54.
        XCTAssertEqual(s.lines, 54, "non-blank lines of the eight files")
        // analytics-go's fixtures all use the mocked messageId "I'm unique" (except test-messageid-track's
        // "abc"): 13 items carry it; the first in file order (test-context-track's Download, line 1 item 0)
        // is kept, the other 12 are re-deliveries. The envelope's own messageId is not an event's.
        XCTAssertEqual(s.duplicates, 12, "Segment batch envelopes: each item's messageId dedupes like a line's")
        // Accepted: analytics-go 2 (Download "I'm unique", Download "abc"), spec examples 5 (identify, group,
        // page, track "Report Submitted" of 97980cfea0067; alias of 507f191e81), consent 2 (u123), archive 2
        // (AiUGstSDIg), delete requests 2 = 13. The delete request for 507f191e81 (2020-05-09) removes the
        // alias example (2015-02-23), and delete requests are not behaviour: 13 − 1 − 2 = 10.
        XCTAssertEqual(s.events, 10, "Segment: envelope items are events; a `delete` removes the user's earlier events")
        XCTAssertEqual(s.firstEvent, "2009-11-10T23:00:00.000Z", "analytics-go fixture time (inside the batch envelope)")
        XCTAssertEqual(s.lastEvent, "2023-01-02T00:00:00.000Z", "the empty-preferences consent update")
    }

    /// Malformed lines with their reasons; envelopes are never malformed themselves.
    func testMalformedLinesAndReasons() throws {
        let r = try report()
        // 23 Spec "semantic event" request bodies carry a userId but no time (Segment's API stamps it on
        // receipt); in the minimal Spec examples identify (line 1) and alias (line 6) have a userId and no
        // time, group/page/screen/track (lines 2–5) have no id at all; the Refiner source docs' identify and
        // group examples are not valid JSON as published (a trailing comma, a missing comma). 23 + 6 + 2 = 31.
        XCTAssertEqual(r.store.malformed, 31, "Segment: only the 29 request bodies without time or id and the 2 invalid Refiner examples are malformed")
        XCTAssertTrue(VendorFixtures.malformed(r, file: "segment/analytics-go-fixtures.jsonl").isEmpty,
                      "Segment batch envelopes must never be malformed (\"no type\"): \(VendorFixtures.malformed(r, file: "segment/analytics-go-fixtures.jsonl").map(\.reason))")
        let bodies = VendorFixtures.malformed(r, file: "segment/semantic-events-http-bodies.jsonl")
        XCTAssertEqual(bodies.map(\.line), Array(1...23), "every HTTP request body of b2b-saas.md and mobile.md")
        XCTAssertTrue(bodies.allSatisfy { $0.reason.contains("time") }, "reason names the missing time: \(Set(bodies.map(\.reason)))")
        let refiner = VendorFixtures.malformed(r, file: "segment/refiner-source-examples.jsonl")
        XCTAssertEqual(refiner.map(\.line), [1, 2])
        XCTAssertTrue(refiner.allSatisfy { $0.reason.contains("invalid JSON") }, "\(refiner.map(\.reason))")
        let minimal = VendorFixtures.malformed(r, file: "segment/spec-minimal-examples.jsonl")
        XCTAssertEqual(minimal.map(\.line), [1, 2, 3, 4, 5, 6])
        for m in minimal {
            let noId = (2...5).contains(m.line)
            XCTAssertTrue(m.reason.contains(noId ? "userId" : "time"),
                          "spec-minimal-examples.jsonl:\(m.line): \(noId ? "no userId/anonymousId" : "no time") expected, got \(m.reason)")
        }
    }

    /// Persons: userIds, envelope items, the archive file, and deletion on request.
    func testPersonsAndDeletion() throws {
        let r = try report()
        // Persons: 123456 (analytics-go items), 97980cfea0067 (Spec identify/group/page/track), AiUGstSDIg
        // (archive), u123 (consent) = 4. 507f191e81 (Spec alias) is deleted on request (partners/spec.md);
        // 5678 has nothing but its delete request. Neither is a person in any figure.
        XCTAssertEqual(r.store.persons, 4, "Segment persons: deleted users (type delete) are in no figure")
        XCTAssertEqual(VendorFixtures.size(r, "Everyone"), 4, "`did any` must not match a user deleted on request")
        XCTAssertEqual(VendorFixtures.size(r, "Downloaded (batch envelope item)"), 1, "Segment batch envelope item (analytics-go) read as an event of 123456")
        XCTAssertEqual(VendorFixtures.size(r, "Clicked a button (S3 archive)"), 1, "event from the extension-less Segment S3 archive file")
        XCTAssertEqual(r.consent.persons, 4, "consent denominator: the 4 persons with events at or before now")
    }

    /// Traits: identify traits (nested → dotted) and `context.traits` of a track call.
    func testTraits() throws {
        let r = try report()
        XCTAssertEqual(VendorFixtures.size(r, "Premium plan"), 1, "identify.md example: traits.plan = premium (97980cfea0067)")
        XCTAssertEqual(VendorFixtures.size(r, "San Francisco address"), 1, "identify.md example: traits.address.city (nested trait as dotted key)")
        XCTAssertEqual(VendorFixtures.size(r, "Tester (context.traits on a track call)"), 1,
                       "Segment context.traits on a track call (track.md \"Button Clicked\") is a person trait")
    }

    /// Consent: Segment's categoryPreferences, `{}` meaning every category false, and the preference
    /// event itself never audited as collected without consent / with consent unknown.
    func testConsent() throws {
        let c = try report().consent
        // Categories carried: Advertising, Analytics, DataSharing, Functional (consent-in-unify.md example of
        // u123, 2023-01-01). u123's later update (2023-01-02) has `categoryPreferences: {}`, which Segment
        // documents as "consent is considered to be false for all categories" (consent-in-segment-connections.md)
        // — latest wins: u123 is denied in all four. The other 3 persons carry no consent: unknown.
        XCTAssertEqual(c.categories.map(\.name), ["Advertising", "Analytics", "DataSharing", "Functional"])
        for name in ["Advertising", "Analytics", "DataSharing", "Functional"] {
            let got = VendorFixtures.category(try report(), name)
            XCTAssertTrue(got.map { $0 == (0, 1, 3) } ?? false,
                          "Segment `categoryPreferences: {}` = every category false: \(name) should be granted 0, denied 1, unknown 3; got \(String(describing: got))")
        }
        XCTAssertEqual(c.events, 10, "events audited: all 10 events")
        // u123's two events are "Segment Consent Preference Updated": sent regardless of consent, never
        // collected without consent nor with consent unknown. Every other event (8) of a person who never
        // carries Analytics is unknown.
        XCTAssertEqual(c.eventsWithoutConsent, 0, "Segment Consent Preference Updated (Analytics: false) is never \"collected without consent\"")
        XCTAssertEqual(c.eventsConsentUnknown, 8, "Segment Consent Preference Updated is never \"consent unknown\"; the 8 other events are")
    }

    /// Track event names as counted in `event_names`.
    func testEventNames() throws {
        let r = try report()
        // Download ×2 (analytics-go envelope items), Report Submitted (common.md), Course Clicked and Button
        // Clicked (archive), Segment Consent Preference Updated ×2. No feedback events in Segment's payloads.
        let expected = ["Button Clicked": 1, "Course Clicked": 1, "Download": 2, "Report Submitted": 1,
                        "Segment Consent Preference Updated": 2]
        for (name, count) in expected {
            XCTAssertEqual(VendorFixtures.eventCount(r, name), count, "event_names[\(name)]")
        }
        XCTAssertEqual(r.eventNames.count, expected.count, "only these track names: \(r.eventNames.map(\.name))")
        XCTAssertEqual(r.feedback.total.prompts, 0)
        XCTAssertEqual(r.feedback.nps.scored, 0)
    }
}
