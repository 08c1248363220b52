import XCTest
import Analytics
@testable import Dashboard

final class TourAndPrivacyTests: XCTestCase {
    static let t0 = Fixture.nowMs

    func tourState(stepMs: Int64 = 6000) -> AppState {
        var s = AppState(options: DashboardOptions(tour: true, tourStepMs: stepMs))
        _ = update(&s, .resize(width: 120, height: 40))
        _ = update(&s, .loaded(Fixture.data))
        return s
    }

    func statusLine(_ s: AppState) -> String {
        Golden.render(s, width: 120, height: 40).textLines()[39]
    }

    func testCaptionsWrapAt100ColumnsAndTheTourHighlightsWhatItNames() {
        var s = tourState()
        _ = update(&s, .resize(width: 100, height: 30))
        var captions: [String] = []
        var checkedHighlight = false
        for i in 0 ..< 5 {
            // A presenter left the Feedback table on its last row: the tour must still point at its channel.
            if let n = s.tables[.feedback]?.order.count, n > 1 { s.tables[.feedback]?.selected = n - 1 }
            _ = update(&s, .tick(nowMs: Self.t0 + Int64(i) * 6_000))
            let lines = Golden.render(s, width: 100, height: 30).textLines()
            let shown = (lines[28] + " " + lines[29]).split(separator: " ").joined(separator: " ")
            let caption = s.tour?.caption ?? ""
            // Every word of the caption is on screen: wrapped, not cut.
            for word in caption.split(separator: " ") { XCTAssertTrue(shown.contains(word), "\(word) missing from: \(shown)") }
            captions.append(caption)
            if s.tab == .feedback, let sel = s.tables[.feedback]?.selectedRow, let m = s.model?.tables[.feedback] {
                checkedHighlight = true
                // The channel the caption names is the selected row.
                guard case .text(let label, _)? = m.rows[sel].cells.first else { return XCTFail("no label") }
                XCTAssertTrue(caption.contains("answer " + label.trimmingSpaces() + " most"), "\(label) vs \(caption)")
            }
        }
        XCTAssertEqual(captions.count, 5)
        XCTAssertTrue(checkedHighlight, "the tour reached the Feedback view")
    }

    func testTRestartsTheTourAndAnyOtherKeyStopsIt() {
        var s = tourState()
        _ = update(&s, .tick(nowMs: Self.t0))
        _ = update(&s, .tick(nowMs: Self.t0 + 6_000))
        XCTAssertEqual(s.tour?.index, 1)
        _ = update(&s, .key(.char("t")))
        XCTAssertEqual(s.tour?.index, -1, "t starts over")
        _ = update(&s, .tick(nowMs: Self.t0 + 6_001))
        XCTAssertEqual(s.tour?.index, 0)
        XCTAssertEqual(s.tab, .overview)
        _ = update(&s, .key(.char("j")))
        XCTAssertNil(s.tour)
        _ = update(&s, .key(.char("t")))
        XCTAssertNotNil(s.tour, "t starts the tour from the dashboard too")
    }

    func testTourWalksThroughTheFindingsOnTicks() {
        var s = tourState()
        XCTAssertEqual(s.tour?.steps.count, 5)
        XCTAssertNil(s.tour?.caption, "nothing before the first tick")

        _ = update(&s, .tick(nowMs: Self.t0))
        XCTAssertEqual(s.tab, .overview)
        XCTAssertEqual(s.tour?.caption, "48,210 persons and 1,198,004 events from 2025-12-29 to 2026-03-01: "
                       + "this is what listening to customers yields")
        // Too long for one line beside the hint at 120 columns: wrapped onto the row above, never cut.
        let lines = Golden.render(s, width: 120, height: 40).textLines()
        XCTAssertTrue(lines[38].contains("48,210 persons and 1,198,004 events"), lines[38])
        XCTAssertTrue(lines[38].hasSuffix("any key: take over "), lines[38])
        XCTAssertTrue(lines[39].contains("customers yields"), lines[39])
        XCTAssertFalse(lines[38].contains("…") || lines[39].contains("…"))

        _ = update(&s, .tick(nowMs: Self.t0 + 5_999))
        XCTAssertEqual(s.tour?.index, 0, "a step lasts stepMs")

        _ = update(&s, .tick(nowMs: Self.t0 + 6_000))
        XCTAssertEqual(s.tab, .segments)
        XCTAssertEqual(s.detail, 0, "the biggest segment is opened with Home, Down…, Enter")
        XCTAssertEqual(s.tour?.caption, "Biggest segment: Trial users, 12,400 persons (25.7% of all), 33.1% reachable for marketing")

        _ = update(&s, .tick(nowMs: Self.t0 + 12_000))
        XCTAssertEqual(s.tab, .feedback)
        XCTAssertNil(s.detail)
        XCTAssertEqual(s.tour?.caption, "Customers answer chat most: 41.2% of 4,210 prompts; best hour Tue 10:00 (62.3%)")

        _ = update(&s, .tick(nowMs: Self.t0 + 18_000))
        XCTAssertEqual(s.tab, .consent)
        XCTAssertEqual(s.tour?.caption, "Lowest consent coverage: Advertising, granted by 20.0% of persons")

        _ = update(&s, .tick(nowMs: Self.t0 + 24_000))
        XCTAssertEqual(s.tour?.caption, "412 events were collected while Analytics consent was denied")

        _ = update(&s, .tick(nowMs: Self.t0 + 30_000))
        XCTAssertEqual(s.tour?.index, 0, "the tour starts over until someone takes the keys")
        XCTAssertEqual(s.tab, .overview)
    }

    func testAnyKeyHandsControlBack() {
        var s = tourState()
        _ = update(&s, .tick(nowMs: Self.t0))
        _ = update(&s, .key(.char("3")))
        XCTAssertNil(s.tour)
        XCTAssertEqual(s.tab, .feedback, "the key also does what it always does")
        _ = update(&s, .tick(nowMs: Self.t0 + 60_000))
        XCTAssertEqual(s.tab, .feedback, "no more steps")
        XCTAssertFalse(statusLine(s).contains("take over"))

        var t = tourState()
        _ = update(&t, .tick(nowMs: Self.t0))
        _ = update(&t, .key(.char(" ")))
        XCTAssertNil(t.tour)
        XCTAssertEqual(t.tab, .overview)
        XCTAssertTrue(statusLine(t).contains("Tour stopped"))
        // A reload does not restart the tour.
        _ = update(&t, .loaded(Fixture.data))
        XCTAssertNil(t.tour)
    }

    func testNoTourWithoutTheOption() {
        var s = Fixture.loadedState()
        _ = update(&s, .tick(nowMs: Self.t0 + 10_000))
        XCTAssertNil(s.tour)
    }

    func testExportKeyAsksTheRuntimeAndShowsItsNote() {
        var s = Fixture.loadedState(width: 120, height: 40)
        XCTAssertEqual(update(&s, .key(.char("e"))), [.export])
        _ = update(&s, .exported("exported earshot-overview-20260301-140211.{txt,html,svg}"))
        XCTAssertTrue(statusLine(s).contains("exported earshot-overview-20260301-140211.{txt,html,svg}"))
        var loading = AppState(options: DashboardOptions())
        XCTAssertEqual(update(&loading, .key(.char("e"))), [], "nothing to export while loading")
    }

    /// The fixture with a few small figures, published with the default guards.
    func smallReport(reveal: Bool = false) -> Report {
        var r = Fixture.report
        r.segments[6] = Fixture.segment("Spring promo", "email = \"lea@example.com\"", [0, 0, 0, 0, 0, 0, 0, 0, 3],
                                        reach: ["Analytics": 3, "Marketing": 2, "Advertising": 0, "Functional": 3])
        r.consent.categories[2] = CategoryCoverage(name: "Functional", granted: 48_207, denied: 1, unknown: 2,
                                                   coverage: 48_207.0 / 48_210)
        r.consent.persons = 48_210
        return Privacy.publish(r, policy: PrivacyPolicy(minCohort: 5, revealPII: reveal))
    }

    func testWithheldFiguresShowAsBelowK() {
        var s = Fixture.loadedState(width: 120, height: 40)
        _ = update(&s, .loaded(DashboardData(report: smallReport(), sourceDescription: "events/", loadSeconds: 1)))
        _ = update(&s, .key(.char("2")))
        let segments = Golden.render(s, width: 120, height: 40).textLines().joined(separator: "\n")
        let promo = segments.split(separator: "\n").first { $0.contains("Spring promo") }!
        XCTAssertTrue(promo.contains(" <5 "), String(promo))
        XCTAssertTrue(promo.contains(" <5 ") && promo.contains(" hidden "), "the share of a withheld size is hidden: \(promo)")
        XCTAssertFalse(promo.contains("<0.1%") || promo.contains(" —"), "never a percentage or the no-value mark: \(promo)")

        _ = update(&s, .key(.char("4")))
        let consent = Golden.render(s, width: 120, height: 40).textLines().joined(separator: "\n")
        // Denied 1 and unknown 2 are both withheld (so neither can be worked out from the other).
        let functional = consent.split(separator: "\n").first { $0.contains("Functional") && $0.contains("GRANT") == false }
        XCTAssertEqual(functional?.components(separatedBy: " <5 ").count, 3, consent)

        // The rule's e-mail address is masked in the segment details.
        _ = update(&s, .key(.char("2")))
        _ = update(&s, .key(.end))
        _ = update(&s, .key(.enter))
        let detail = Golden.render(s, width: 120, height: 40).textLines().joined(separator: "\n")
        XCTAssertTrue(detail.contains("l•••@example.com"), detail)
        XCTAssertFalse(detail.contains("lea@"))
        XCTAssertTrue(detail.contains("<5 persons"))
    }

    func testHeaderWarnsWhenPersonalDataIsShown() {
        var s = Fixture.loadedState(width: 120, height: 40)
        _ = update(&s, .loaded(DashboardData(report: smallReport(reveal: true), sourceDescription: "events/", loadSeconds: 1)))
        let buf = Golden.render(s, width: 120, height: 40)
        let header = buf.textLines()[0]
        guard let range = header.range(of: "PERSONAL DATA SHOWN") else { return XCTFail(header) }
        let x = header.distance(from: header.startIndex, to: range.lowerBound)
        XCTAssertEqual(buf[x, 0].role, .warn)

        var masked = Fixture.loadedState(width: 120, height: 40)
        _ = update(&masked, .loaded(DashboardData(report: smallReport(), sourceDescription: "events/", loadSeconds: 1)))
        XCTAssertFalse(Golden.render(masked, width: 120, height: 40).textLines()[0].contains("PERSONAL DATA"))
    }
}
