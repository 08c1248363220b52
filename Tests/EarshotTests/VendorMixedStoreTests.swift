import Analytics
import EventStore
import XCTest

/// The whole corpus as one store: `Tests/Fixtures/vendors/` holds Segment, RudderStack and PostHog payloads
/// side by side (plus four README.md files, which are not store files). The figures are the sums of the three
/// vendor stores (no messageId, uuid or person id is shared between vendors), except consent, which is
/// computed over all persons. See VendorSegmentTests, VendorRudderStackTests and VendorPostHogTests for the
/// derivations of each vendor's figures.
final class VendorMixedStoreTests: XCTestCase {
    nonisolated(unsafe) static var cached: Report?
    func report() throws -> Report {
        if let r = Self.cached { return r }
        let r = try VendorFixtures.report("", rules: "segment \"Everyone\": did any")
        Self.cached = r
        return r
    }

    func testStoreCountsAreTheVendorsSums() throws {
        let s = try report().store
        XCTAssertEqual(s.files, 20, "8 Segment + 6 RudderStack + 6 PostHog files (README.md files are not read)")
        XCTAssertEqual(s.lines, 242, "54 + 165 + 23")
        XCTAssertEqual(s.events, 171, "10 + 146 + 15")
        XCTAssertEqual(s.duplicates, 23, "12 + 10 + 1")
        XCTAssertEqual(s.malformed, 48, "31 + 9 + 8")
        XCTAssertEqual(s.persons, 116, "4 + 109 + 3")
        XCTAssertEqual(VendorFixtures.size(try report(), "Everyone"), 116)
        XCTAssertEqual(s.firstEvent, "2009-11-10T23:00:00.000Z", "analytics-go envelope item")
        XCTAssertEqual(s.lastEvent, "2025-06-04T09:40:00.000Z", "PostHog batch export")
    }

    /// Every line not counted is listed with file, line and reason; the four README.md files are documentation,
    /// skipped silently as docs/STORE.md says (other files that are not JSON lines give one warning line per kind,
    /// tested in StoreLocatorTests).
    func testEveryUncountedLineHasAReason() throws {
        let s = try report().store
        XCTAssertEqual(s.malformedLines.count, s.malformed, "all malformed entries listed (fewer than 1000)")
        XCTAssertTrue(s.malformedLines.allSatisfy { !$0.reason.isEmpty && $0.line >= 1 && !$0.file.isEmpty })
        let zoneless = s.malformedLines.filter { $0.reason.contains("--assume-utc") }
        XCTAssertEqual(zoneless.count, 12, "zone-less times: 7 AppsFlyer (RudderStack) + 5 PostHog capture samples")
        XCTAssertEqual(s.malformedLines.filter { $0.file == "posthog/capture-api-batch.jsonl" }.count, 2,
                       "PostHog envelope: one entry per malformed item")
        let skipped = s.warnings.filter { w in
            ["skip", "ignor", "not read", "README"].contains { w.localizedCaseInsensitiveContains($0) }
        }
        XCTAssertEqual(skipped.count, 0, "documentation files (4 × README.md) are skipped without a warning: \(s.warnings)")
        XCTAssertFalse(s.fileList.contains { $0.path.hasSuffix("README.md") }, "README.md files are not read as events")
    }

    func testConsentAcrossVendors() throws {
        let r = try report()
        let c = r.consent
        XCTAssertEqual(c.persons, 116)
        XCTAssertEqual(c.events, 171)
        // Only Segment's u123 carries "Analytics" (denied; both its events are consent updates, which are
        // neither without consent nor unknown). Every other event (171 − 2) is unknown.
        let analytics = VendorFixtures.category(r, "Analytics")
        XCTAssertTrue(analytics.map { $0 == (0, 1, 115) } ?? false, "Analytics: granted 0, denied 1, unknown 115; got \(String(describing: analytics))")
        XCTAssertEqual(c.eventsWithoutConsent, 0)
        XCTAssertEqual(c.eventsConsentUnknown, 169)
        XCTAssertEqual(VendorFixtures.category(r, "C0001")?.granted, 7, "RudderStack OneTrust C0001 granted by the 7 sanity-suite persons")
    }

    /// `earshot report` on the mixed store (the path a user gives the dashboard): same figures as in-process.
    func testCLIReadsTheMixedStore() throws {
        guard let j = try VendorFixtures.cliReport("", []) else { return }
        XCTAssertEqual(jsonValue(j, "store.files") as? Int, 20)
        XCTAssertEqual(jsonValue(j, "store.events") as? Int, 171)
        XCTAssertEqual(jsonValue(j, "store.malformed") as? Int, 48)
        XCTAssertEqual(jsonValue(j, "store.persons") as? Int, 116)
    }

    func testFeedbackComesFromPostHogOnly() throws {
        let f = try report().feedback
        XCTAssertEqual(f.total.prompts, 3)
        XCTAssertEqual(f.total.answered, 3)
        XCTAssertEqual(f.responses, 6)
        XCTAssertEqual(f.npsBySurvey["nps-2025-q2"]?.scored, 2)
        XCTAssertEqual(f.npsBySurvey["nps-2025-q2"]?.detractors, 1)
    }
}
