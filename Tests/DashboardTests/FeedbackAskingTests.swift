import Analytics
import XCTest
@testable import Dashboard

/// The Feedback view's "asking" panels (`v`): prompt fatigue, preferred channel, profile depth.
final class FeedbackAskingTests: XCTestCase {
    /// The fixture report with hand-set fatigue, preferred-channel and depth figures (one of each withheld).
    static var report: Report {
        var r = Fixture.report
        var f = FatigueSummary()
        let ordinal = [(1200, 540, 800), (700, 250, 520), (400, 110, 300), (220, 40, 160), (180, 18, 90)]
        f.byOrdinal = ordinal.enumerated().map { i, x in
            FatigueOrdinalRow(ordinal: i + 1, orMore: i == 4, counts: PromptGroup(prompts: x.0, answered: x.1, persons: x.2))
        }
        let gap = [(900, 420, 900), (300, 45, 200), (500, 130, 380), (400, 140, 300), (450, 180, 320), (150, 45, 140)]
        f.byGap = gap.enumerated().map { i, x in
            FatigueGapRow(gap: FatigueMetrics.gapNames[i], counts: PromptGroup(prompts: x.0, answered: x.1, persons: x.2))
        }
        var email = FatigueTable()
        email.byOrdinal = f.byOrdinal
        f.byChannel = ["email": email]
        var sms = FatigueTable()
        sms.byOrdinal[4].counts = PromptGroup(prompts: 3, answered: 1, persons: 2)
        sms.byOrdinal[4].counts.$prompts = .belowMinimum
        sms.byOrdinal[4].counts.prompts = 0
        sms.byOrdinal[4].counts.$responseRate = .derived
        sms.byOrdinal[4].counts.responseRate = nil
        sms.byOrdinal[0].counts = PromptGroup(prompts: 90, answered: 50, persons: 80)
        f.byChannel["sms"] = sms
        r.feedback.fatigue = f
        var p = PreferredChannelSummary()
        p.personsWithPreference = 1400
        p.preferences = [ChannelPreference(channel: "email", persons: 900), ChannelPreference(channel: "sms", persons: 500)]
        p.onPreferred = PromptGroup(prompts: 900, answered: 430, persons: 700)
        p.onOther = PromptGroup(prompts: 800, answered: 240, persons: 600)
        p.noPreference = PromptGroup(prompts: 1000, answered: 288, persons: 900)
        var row = PreferredChannelRow(channel: "email")
        row.bestCell = HourWeekdayCell(weekday: 2, hour: 9, prompts: 40, answered: 22, responseRate: 0.55)
        p.channels = [row]
        r.feedback.preferredChannel = p
        var d = ProfileDepthSummary()
        d.all = DepthDistribution(counts: [5000, 1800, 700, 300, 200])
        d.prompted = DepthDistribution(counts: [900, 1500, 600, 280, 190])
        d.weekly = (0..<8).map { DepthWeek(week: "2026-W0\($0 + 1)", distribution: DepthDistribution(counts: [5000 - 200 * $0, 1000 + 100 * $0, 500, 200, 100])) }
        r.persons.profileDepth = d
        return r
    }

    func state(width: Int = 80, height: Int = 24, glyphs: Glyphs = .unicode) -> AppState {
        var s = AppState(options: DashboardOptions(glyphs: glyphs))
        _ = update(&s, .resize(width: width, height: height))
        _ = update(&s, .tick(nowMs: Fixture.nowMs))
        _ = update(&s, .loaded(DashboardData(report: Self.report, sourceDescription: "events/", loadSeconds: 3.42)))
        return s
    }

    func testVSwitchesThePanelsOfTheFeedbackViewOnly() {
        var s = state()
        _ = update(&s, .key(.char("v")))
        XCTAssertEqual(s.feedbackPanel, .when, "v does nothing outside the Feedback view")
        _ = update(&s, .key(.char("3")))
        _ = update(&s, .key(.char("v")))
        XCTAssertEqual(s.feedbackPanel, .asking)
        let text = Golden.text(Golden.render(s, width: 80, height: 24))
        XCTAssertTrue(text.contains("Asking too much?"), text)
        XCTAssertTrue(text.contains("1st"))
        XCTAssertTrue(text.contains("45%"))        // 540 / 1200
        XCTAssertTrue(text.contains("on preferred"))
        XCTAssertTrue(text.contains("told us (prompted 3,470)"), text)
        XCTAssertFalse(text.contains("Response rate by local hour"))
        _ = update(&s, .key(.char("v")))
        XCTAssertEqual(s.feedbackPanel, .when)
        XCTAssertTrue(Golden.text(Golden.render(s, width: 80, height: 24)).contains("Response rate by local hour"))
    }

    func testGoldens() {
        for (w, h) in [(80, 24), (120, 40)] {
            var s = state(width: w, height: h)
            for k: Key in [.char("3"), .char("v")] { _ = update(&s, .key(k)) }
            Golden.assert(Golden.render(s, width: w, height: h), named: "feedback_asking_\(w)x\(h)")
        }
        var s = state(glyphs: .ascii)
        for k: Key in [.char("3"), .char("v")] { _ = update(&s, .key(k)) }
        Golden.assert(Golden.render(s, width: 80, height: 24), named: "feedback_asking_ascii_80x24")
    }

    func testWithheldFiguresAreMarksNotBars() {
        var s = state(width: 120, height: 40)
        for k: Key in [.char("3"), .char("v")] { _ = update(&s, .key(k)) }
        let text = Golden.text(Golden.render(s, width: 120, height: 40))
        XCTAssertTrue(text.contains("sms 56%→hidden"), text)   // sms 5th+ rate withheld
    }

    func testDefinitionsAndTour() {
        let titles = Definitions.panels[.feedback]!.map(\.title)
        XCTAssertTrue(titles.contains("Asking too much? Rate by prompt (v)"))
        XCTAssertTrue(titles.contains("Preferred channel · profile depth (v)"))
        let m = state().model!
        let step = Tour.fatigueStep(m, format: Format(missing: "—"))!
        XCTAssertEqual(step.keys, [.char("3"), .char("v")])
        XCTAssertEqual(step.caption, "Asking too often costs answers: 45.0% of first prompts are answered, 10.0% of a 5th or later "
                       + "within 30 days; on the preferred channel 47.8% against 30.0%")
        // The tour shows the step with the panels switched, and a restart starts from the heatmap again.
        var s = state()
        s.feedbackPanel = .asking
        s.restartTour()
        XCTAssertEqual(s.feedbackPanel, .when)
        XCTAssertTrue(s.tour!.steps.contains(step))
    }
}

/// The asking panels on the real ExampleData (its check-in pulse prompts people again and again).
final class ExampleDataAskingTests: XCTestCase {
    func testAskingPanelsOfExampleData() throws {
        for (w, h) in [(80, 24), (120, 40)] {
            var s = AppState(options: DashboardOptions(glyphs: .unicode))
            _ = update(&s, .resize(width: w, height: h))
            _ = update(&s, .tick(nowMs: ExampleDataSnapshotTests.nowMs))
            _ = update(&s, .loaded(DashboardData(report: try ExampleDataSnapshotTests.exampleReport(), sourceDescription: "ExampleData",
                                                 loadSeconds: 0.4)))
            for k: Key in [.char("3"), .char("v")] { _ = update(&s, .key(k)) }
            Golden.assert(Golden.render(s, width: w, height: h), named: "example_feedback_asking_\(w)x\(h)")
        }
    }
}
