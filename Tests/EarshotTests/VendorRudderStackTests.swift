import Analytics
import EventStore
import XCTest

/// RudderStack payloads (`Tests/Fixtures/vendors/rudderstack/`, sources in its README.md): the rudder-sdk-js
/// sanity suite's expected messages (OneTrust consent as arrays and, before v3.0 GA, as objects), a
/// rudder-server object-storage dump (`*.json.gz`, 109 lines, 10 re-deliveries), a rudder-server warehouse
/// dump (not events), the devtool batch envelope, AppsFlyer webhook outputs with zone-less times, and
/// destination test inputs with numeric ids. Every expectation is derived by hand in the comments.
final class VendorRudderStackTests: XCTestCase {
    static let rules = """
        segment "Everyone": did any
        segment "Leads (object-storage dump)": did "leads"
        segment "Ordered": did "Order Completed"
        segment "Viewed a page": did page
        segment "Demo (devtool batch envelope)": did "Demo Track"
        segment "Tutorial (numeric userId 1234)": did "tutorial complete"
        segment "Investor (numeric anonymousId 3131)": did "First Investment"
        segment "Named John Doe": trait name = "John Doe"
        segment "Named John Snow": trait name = "John Snow"
        segment "Gold plan": trait plan = "Gold"
        segment "First name test (numeric anonymousId)": trait firstName = "test"
        """

    nonisolated(unsafe) static var cached: Report?
    func report() throws -> Report {
        if let r = Self.cached { return r }
        let r = try VendorFixtures.report("rudderstack", rules: Self.rules)
        Self.cached = r
        return r
    }

    func testStoreCounts() throws {
        let s = try report().store
        // appsflyer-webhook-outputs.jsonl, rudder-sdk-js-sanity-suite.jsonl, rudder-server-devtool-batch.json,
        // rudder-transformer-numeric-ids.jsonl and two rudder-logs/<source>/<day>/<…>.json.gz dumps.
        XCTAssertEqual(s.files, 6)
        // 7 + 43 + 1 + 3 + 109 (original100) + 2 (test_tracks) = 165.
        XCTAssertEqual(s.lines, 165)
        // original100.json.gz: 109 lines, 99 distinct messageIds.
        XCTAssertEqual(s.duplicates, 10, "rudder-server dump re-deliveries (same messageId)")
        // Accepted: sanity suite 43, dump 99, devtool envelope item 1, numeric ids 3 (engage identify and
        // track with anonymousId 3131, GA4 track with userId 1234) = 146.
        XCTAssertEqual(s.events, 146, "RudderStack: batch envelope item and numeric ids (3131, 1234) must be read")
        // Engage track: originalTimestamp 2020-09-28T19:53:31.900Z (the engage identify's `timestamp`
        // 2020-09-29T14:50:29.907+05:30 comes first in the field order but is a day later).
        XCTAssertEqual(s.firstEvent, "2020-09-28T19:53:31.900Z")
        XCTAssertEqual(s.lastEvent, "2023-11-20T01:21:41.355Z", "sanity suite eventFiltering3 originalTimestamp")
    }

    func testMalformedLinesAndReasons() throws {
        let r = try report()
        // 7 AppsFlyer outputs with `timestamp: "2020-01-15 14:57:24.898"` (no zone) + 2 warehouse rows
        // (flattened S3_DATALAKE columns, no `type`) = 9. The devtool envelope and the numeric ids are fine.
        XCTAssertEqual(r.store.malformed, 9, "RudderStack malformed: only zone-less AppsFlyer times and warehouse rows")
        let appsflyer = VendorFixtures.malformed(r, file: "rudderstack/appsflyer-webhook-outputs.jsonl")
        XCTAssertEqual(appsflyer.map(\.line), Array(1...7))
        for m in appsflyer {
            XCTAssertTrue(m.reason.contains("--assume-utc"),
                          "a zone-less time's reason must name the option --assume-utc: \(m.reason)")
        }
        let warehouse = r.store.malformedLines.filter { $0.file.hasSuffix("test_tracks.json.gz") }
        XCTAssertEqual(warehouse.map(\.line), [1, 2], "rudder-server warehouse rows are lines without `type`")
        XCTAssertTrue(warehouse.allSatisfy { $0.reason.contains("\"type\"") }, "\(warehouse.map(\.reason))")
        XCTAssertTrue(VendorFixtures.malformed(r, file: "rudderstack/rudder-server-devtool-batch.json").isEmpty,
                      "rudder-server devtool batch envelope must not be malformed")
        XCTAssertTrue(VendorFixtures.malformed(r, file: "rudderstack/rudder-transformer-numeric-ids.jsonl").isEmpty,
                      "numeric anonymousId 3131 is the id \"3131\" (rudder-server accepts it): \(VendorFixtures.malformed(r, file: "rudderstack/rudder-transformer-numeric-ids.jsonl").map(\.reason))")
    }

    func testPersonsAndStitching() throws {
        let r = try report()
        // Dump: 99 distinct userIds. Sanity suite: customUserID, 1234567890, newCustomUserID, newUserID and
        // three anonymous-only visitors of eventFiltering1–3 = 7 ("sample anonymousId" first appears with
        // newCustomUserID: alias1 has the same time as identify1 and comes first in the file). Devtool
        // envelope: devtool-anonymous-id-1. Numeric ids: "3131" and "1234" (GA4's anonymousId dummyAnonId
        // joins 1234). 99 + 7 + 1 + 2 = 109.
        XCTAssertEqual(r.store.persons, 109, "RudderStack persons (numeric ids are ids)")
        XCTAssertEqual(VendorFixtures.size(r, "Everyone"), 109)
        XCTAssertEqual(VendorFixtures.size(r, "Leads (object-storage dump)"), 99, "rudder-server *.json.gz dump")
        // Order Completed: track1–5 of customUserID and track6 of "sample anonymousId" → newCustomUserID.
        XCTAssertEqual(VendorFixtures.size(r, "Ordered"), 2)
        // All 12 pages are anonymous ("sample anonymousId") → newCustomUserID.
        XCTAssertEqual(VendorFixtures.size(r, "Viewed a page"), 1)
        XCTAssertEqual(VendorFixtures.size(r, "Demo (devtool batch envelope)"), 1, "rudder-server batch envelope item")
        XCTAssertEqual(VendorFixtures.size(r, "Tutorial (numeric userId 1234)"), 1, "numeric userId 1234")
        XCTAssertEqual(VendorFixtures.size(r, "Investor (numeric anonymousId 3131)"), 1, "numeric anonymousId 3131")
    }

    /// RudderStack puts identify traits in `context.traits` only.
    func testTraitsFromContextTraits() throws {
        let r = try report()
        // name "John Doe": customUserID (identify1/2/5/7, track1–5; at 2023-01-18T14:29:20.234Z identify6
        // says "John Snow" but identify7, same time, later in the file, says "John Doe") and newCustomUserID
        // (alias1–4, alias6, identify9 via "sample anonymousId") = 2. "John Snow": 1234567890 (identify8).
        XCTAssertEqual(VendorFixtures.size(r, "Named John Doe"), 2, "RudderStack context.traits are person traits (latest wins, ties by file order)")
        XCTAssertEqual(VendorFixtures.size(r, "Named John Snow"), 1, "RudderStack context.traits, latest wins (identify8 of 1234567890)")
        // plan "Gold": context.traits of track1/track4 (customUserID) and page1/4/9/11 (newCustomUserID).
        XCTAssertEqual(VendorFixtures.size(r, "Gold plan"), 2, "context.traits on track and page calls are person traits")
        // engage identify of anonymousId 3131: top-level traits.firstName = "test".
        XCTAssertEqual(VendorFixtures.size(r, "First name test (numeric anonymousId)"), 1)
    }

    /// OneTrust consent ids as arrays (HEAD) and as objects `{"C0001": "Functional Cookies", …}` (before v3.0 GA).
    func testConsentArraysAndObjects() throws {
        let r = try report()
        let c = r.consent
        // Every sanity message: allowed C0001, C0003 (identify1–8 and track1–6 as an object with labels),
        // denied C0002, C0004, C0005, C0006 (arrays). The 7 sanity persons carry them; 102 others carry none.
        XCTAssertEqual(c.categories.map(\.name), ["C0001", "C0002", "C0003", "C0004", "C0005", "C0006"],
                       "category names are the OneTrust ids (labels only in views)")
        for (name, want) in [("C0001", (7, 0, 102)), ("C0003", (7, 0, 102)), ("C0002", (0, 7, 102)),
                             ("C0004", (0, 7, 102)), ("C0005", (0, 7, 102)), ("C0006", (0, 7, 102))] {
            let got = VendorFixtures.category(r, name)
            XCTAssertTrue(got.map { $0 == want } ?? false,
                          "RudderStack consent (arrays and objects) \(name): want granted/denied/unknown \(want), got \(String(describing: got))")
        }
        XCTAssertEqual(c.persons, 109)
        XCTAssertEqual(c.events, 146)
        // No event carries the analytics category "Analytics": every event is consent-unknown, none is
        // without consent, and the report says so, pointing at --analytics-category.
        XCTAssertEqual(c.eventsWithoutConsent, 0)
        XCTAssertEqual(c.eventsConsentUnknown, 146)
        // Wherever the report puts the note (a warning or a consent field), its JSON must carry it.
        let json = String(decoding: try JSONEncoder().encode(r), as: UTF8.self)
        XCTAssertTrue(json.contains("--analytics-category"),
                      "OneTrust ids only (no \"Analytics\"): the report must say so and point at --analytics-category; warnings: \(r.store.warnings)")
    }

    /// With the analytics category set to a OneTrust id, the audit uses it.
    func testConsentAuditWithOneTrustCategory() throws {
        // C0002 is denied on all 43 sanity events; the other 103 events (dump 99, devtool 1, numeric 3) belong
        // to persons who never carry C0002: unknown.
        let denied = try VendorFixtures.report("rudderstack", options: AnalysisOptions(analyticsCategory: "C0002")).consent
        XCTAssertEqual(denied.eventsWithoutConsent, 43, "analytics category C0002 (denied array)")
        XCTAssertEqual(denied.eventsConsentUnknown, 103)
        // C0003 is allowed on all 43 (as an object for identify/track, as an array elsewhere).
        let allowed = try VendorFixtures.report("rudderstack", options: AnalysisOptions(analyticsCategory: "C0003")).consent
        XCTAssertEqual(allowed.eventsWithoutConsent, 0, "analytics category C0003 (allowed, object form before v3.0 GA)")
        XCTAssertEqual(allowed.eventsConsentUnknown, 103, "C0003 granted on all 43 sanity events, including the object-form ones")
    }

    func testEventNames() throws {
        let r = try report()
        let expected = ["leads": 99, "Order Completed": 6, "tutorial complete": 1, "First Investment": 1, "Demo Track": 1,
                        "AllowListed_Event_Name": 1, "AllowListed_DenyListed_Event_Name": 1, "DenyListed_Event_Name": 1]
        for (name, count) in expected {
            XCTAssertEqual(VendorFixtures.eventCount(r, name), count, "event_names[\(name)]")
        }
        XCTAssertEqual(r.eventNames.count, expected.count, "\(r.eventNames.map(\.name))")
    }

    /// `--assume-utc` reads AppsFlyer's zone-less times as UTC.
    func testAssumeUTCReadsZonelessTimes() throws {
        guard let j = try VendorFixtures.cliReport("rudderstack", ["--assume-utc"]) else { return }
        // The 7 AppsFlyer outputs become events, but all carry the test harness's messageId
        // 00000000-0000-0000-0000-000000000000: 1 event (hi.from@appsflyer.example.com) + 6 duplicates.
        XCTAssertEqual(jsonValue(j, "store.events") as? Int, 147, "--assume-utc: AppsFlyer times read as UTC")
        XCTAssertEqual(jsonValue(j, "store.duplicates") as? Int, 16)
        XCTAssertEqual(jsonValue(j, "store.malformed") as? Int, 2, "only the warehouse rows stay malformed")
        XCTAssertEqual(jsonValue(j, "store.persons") as? Int, 110)
        XCTAssertEqual(jsonValue(j, "store.first_event") as? String, "2020-01-15T14:57:24.898Z")
    }
}
