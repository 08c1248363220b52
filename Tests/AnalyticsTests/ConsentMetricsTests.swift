import XCTest
import EventStore
@testable import Analytics

final class ConsentMetricsTests: XCTestCase {
    func testLatestWinsCoverageWithUnknown() {
        var s = Store()
        s.page("granted-then-denied", 10, consent: [granted("Analytics"), granted("Marketing")])
        s.page("granted-then-denied", 20, consent: [denied("Analytics")])
        s.page("granted", 5, consent: [granted("Analytics")])
        s.page("nothing", 7)
        s.page("marketing-only", 8, consent: [denied("Marketing")])
        let c = ConsentMetrics.compute(table: s.table(), options: AnalysisOptions())
        XCTAssertEqual(c.persons, 4)
        XCTAssertEqual(c.categories, [
            CategoryCoverage(name: "Analytics", granted: 1, denied: 1, unknown: 2, coverage: 0.25),
            CategoryCoverage(name: "Marketing", granted: 1, denied: 1, unknown: 2, coverage: 0.25),
        ])
    }

    func testCategoriesSortedByName() {
        var s = Store()
        s.page("u", 1, consent: [granted("Zeta"), denied("Advertising"), granted("Analytics")])
        let names = ConsentMetrics.compute(table: s.table(), options: AnalysisOptions()).categories.map(\.name)
        XCTAssertEqual(names, ["Advertising", "Analytics", "Zeta"])
    }

    func testEventsWithoutConsent() {
        var s = Store()
        // own denial, inherited denial, own grant, inherited grant
        s.page("a", 10, consent: [denied("Analytics")])
        s.page("a", 20)
        s.page("a", 30, consent: [granted("Analytics")])
        s.page("a", 40)
        // no state at all: unknown, and another category does not help
        s.page("b", 5)
        s.page("b", 6, consent: [denied("Advertising")])
        // granted, then an event without consent info (fine), then a denial later (without)
        s.page("c", 10, consent: [granted("Analytics")])
        s.page("c", 20)
        s.page("c", 30, consent: [denied("Analytics")])
        let c = ConsentMetrics.compute(table: s.table(), options: AnalysisOptions())
        XCTAssertEqual(c.events, 9)
        XCTAssertEqual(c.eventsWithoutConsent, 3)   // a@10, a@20, c@30
        XCTAssertEqual(c.eventsConsentUnknown, 2)   // b@5, b@6
        XCTAssertEqual(c.analyticsCategory, "Analytics")
    }

    func testEarlierMeansEarlierInTimeNotInFile() {
        var s = Store()
        s.page("a", 50, consent: [denied("Analytics")])  // first in the file, but later in time
        s.page("a", 40)                                   // nothing earlier in time: unknown
        s.page("a", 60)                                   // after the denial: without consent
        let c = ConsentMetrics.compute(table: s.table(), options: AnalysisOptions())
        XCTAssertEqual(c.eventsConsentUnknown, 1)
        XCTAssertEqual(c.eventsWithoutConsent, 2)
    }

    func testAnalyticsCategoryOptionAndAbsentCategory() {
        var s = Store()
        s.page("a", 10, consent: [denied("Statistics")])
        s.page("a", 20)
        let t = s.table()
        let custom = ConsentMetrics.compute(table: t, options: AnalysisOptions(analyticsCategory: "Statistics"))
        XCTAssertEqual(custom.eventsWithoutConsent, 2)
        XCTAssertEqual(custom.eventsConsentUnknown, 0)
        XCTAssertEqual(custom.analyticsCategory, "Statistics")
        // Nobody ever carried "Analytics": every event's analytics consent is unknown.
        let absent = ConsentMetrics.compute(table: t, options: AnalysisOptions())
        XCTAssertEqual(absent.eventsWithoutConsent, 0)
        XCTAssertEqual(absent.eventsConsentUnknown, 2)
    }

    func testNowCutsStatesAndEvents() {
        var s = Store()
        s.page("a", 10, consent: [granted("Analytics")])
        s.page("a", 30, consent: [denied("Analytics")])
        s.page("late", 40, consent: [granted("Analytics")])
        let c = ConsentMetrics.compute(table: s.table(), options: AnalysisOptions(now: 29))
        XCTAssertEqual(c.persons, 1)   // "late" has no event by then
        XCTAssertEqual(c.events, 1)
        XCTAssertEqual(c.eventsWithoutConsent, 0)
        XCTAssertEqual(c.categories, [CategoryCoverage(name: "Analytics", granted: 1, denied: 0, unknown: 0, coverage: 1)])
        // At exactly the denial's time it counts.
        let at = ConsentMetrics.compute(table: s.table(), options: AnalysisOptions(now: 30))
        XCTAssertEqual(at.categories[0].denied, 1)
        XCTAssertEqual(at.eventsWithoutConsent, 1)
    }

    func testPersonFilter() {
        var s = Store()
        s.page("a", 10, consent: [denied("Analytics")])
        s.page("b", 10, consent: [granted("Analytics")])
        s.page("c", 10)
        let t = s.table()
        let c = ConsentMetrics.compute(table: t, options: AnalysisOptions(), persons: t.persons("a", "c"))
        XCTAssertEqual(c.persons, 2)
        XCTAssertEqual(c.events, 2)
        XCTAssertEqual(c.eventsWithoutConsent, 1)
        XCTAssertEqual(c.eventsConsentUnknown, 1)
        XCTAssertEqual(c.categories, [CategoryCoverage(name: "Analytics", granted: 0, denied: 1, unknown: 1, coverage: 0)])
    }

    func testEmptyTable() {
        let c = ConsentMetrics.compute(table: EventTable(), options: AnalysisOptions())
        XCTAssertEqual(c.persons, 0)
        XCTAssertEqual(c.categories, [])
        XCTAssertEqual(c.eventsConsentUnknown, 0)
    }
}

/// Issue #10 item 4: RudderStack's consent ids with labels, and an analytics category no event carries.
final class ConsentLabelTests: XCTestCase {
    func testLabelsAndMissingAnalyticsCategory() throws {
        let parser = EventLineParser()
        var b = EventTableBuilder()
        // The consent object of rudder-sdk-js's sanity suite (packages/sanity-suite/__fixtures__, before v3).
        let line = #"{"type":"track","event":"e","userId":"u","timestamp":"2023-01-13T08:13:58.548Z","context":{"consentManagement":{"deniedConsentIds":["C0002","C0004"],"allowedConsentIds":{"C0001":"Functional Cookies","C0003":"Analytical Cookies"}}}}"#
        b.add(try parser.parse(line).get())
        let table = b.finish()
        let report = ReportBuilder.report(table: table, options: AnalysisOptions(privacy: PrivacyPolicy(minCohort: 0)))
        XCTAssertEqual(report.consent.categories.map(\.displayName),
                       ["C0001 Functional Cookies", "C0002", "C0003 Analytical Cookies", "C0004"])
        XCTAssertEqual(report.consent.categories.first?.label, "Functional Cookies")
        XCTAssertEqual(report.consent.eventsConsentUnknown, 1)
        XCTAssertEqual(report.store.warnings, [
            "no event carries the analytics consent category \"Analytics\" (the events carry C0001 Functional Cookies, C0002, "
            + "C0003 Analytical Cookies, C0004): every event counts as consent unknown; name the analytics category with --analytics-category",
        ])
        let text = ReportRenderer.text(report)
        XCTAssertTrue(text.contains("C0001 Functional Cookies"))
        // Named: no warning.
        let named = ReportBuilder.report(table: table, options: AnalysisOptions(analyticsCategory: "C0003", privacy: PrivacyPolicy(minCohort: 0)))
        XCTAssertEqual(named.store.warnings, [])
        XCTAssertEqual(named.consent.eventsConsentUnknown, 0)
        // JSON keeps the id as the name and adds the label.
        let json = ReportRenderer.json(report)
        XCTAssertTrue(json.contains("\"label\" : \"Functional Cookies\""))
        XCTAssertTrue(json.contains("\"name\" : \"C0001\""))
    }
}

/// Issue #10 item 2: traits from `context.traits` (RudderStack) and PostHog's `$set` / `$set_once` are
/// the persons' traits for segment rules, exactly like an identify call's `traits`.
final class VendorTraitRuleTests: XCTestCase {
    func testRulesSeeContextTraitsAndPostHogSet() throws {
        let p = EventLineParser()
        let lines = [
            // rudder-sdk-js sanity suite shape: identify traits only in context.traits.
            #"{"type":"identify","userId":"r1","originalTimestamp":"2023-01-13T08:13:58.548Z","context":{"traits":{"plan":"Gold","address":{"city":"Austin"}}}}"#,
            // Segment: context.traits on a track call.
            #"{"type":"track","event":"Order Completed","userId":"s1","timestamp":"2023-01-13T09:00:00Z","context":{"traits":{"plan":"Gold"}}}"#,
            // PostHog: $set_once never overrides an earlier value; $set does.
            #"{"event":"$identify","distinct_id":"p1","timestamp":"2023-01-13T10:00:00Z","properties":{"$set":{"plan":"Silver"}}}"#,
            #"{"event":"$pageview","distinct_id":"p1","timestamp":"2023-01-13T11:00:00Z","properties":{"$set_once":{"plan":"Gold"}}}"#,
            #"{"event":"$pageview","distinct_id":"p2","timestamp":"2023-01-13T11:00:00Z","properties":{"$set_once":{"plan":"Gold"}}}"#,
        ]
        var b = EventTableBuilder()
        for line in lines { b.add(try p.parse(line).get()) }
        let table = b.finish()
        XCTAssertEqual(Fixture.members(rule: #"trait plan = "Gold""#, table), ["p2", "r1", "s1"])
        XCTAssertEqual(Fixture.members(rule: #"trait address.city = "Austin""#, table), ["r1"])
        XCTAssertEqual(Fixture.members(rule: #"trait plan = "Silver""#, table), ["p1"])
    }
}
