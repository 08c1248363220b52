import XCTest
import EventStore
@testable import Analytics

/// Loops and journeys in `check`, Prometheus, CSV and text, and behind the privacy guards.
final class FlowReportTests: XCTestCase {
    let t0 = Fixture.t0, day = Fixture.day

    /// The worked example of LoopMetricsTests plus the journeys of JourneyMetricsTests.
    func report(minCohort: Int = 0) throws -> Report {
        let events = LoopMetricsTests.deliveries() + JourneyMetricsTests.emailEvents()
        let table = Fixture.table(events)
        let program = try XCTUnwrap(Fixture.program(LoopMetricsTests.rules + """

            journey "After a baby email": from did "Email Link Clicked" where category = "baby" steps 3
            """))
        return Analysis.report(table: table, program: program,
                               options: AnalysisOptions(now: t0 + 10 * day, privacy: PrivacyPolicy(minCohort: minCohort, revealPII: true)))
    }

    func check(_ rule: String, _ r: Report) throws -> RuleResult {
        let parsed = try RuleParser.parse(rule, level: .critical, origin: "--rule 1")
        return CheckEvaluator.evaluate(parsed, tree: FigureNode.of(r), minCohort: r.privacy.minCohort)
    }

    func testCheckPaths() throws {
        let r = try report()
        let rate = try check(#"loop["Late delivery apology"].in_time_rate >= 0.9"#, r)
        XCTAssertEqual(rate.status, .critical)
        XCTAssertEqual(rate.value, 0.375)
        let age = try check(#"loop["Late delivery apology"].open_older_than_hours <= 12"#, r)
        XCTAssertEqual(age.status, .ok)
        XCTAssertEqual(age.message, #"loop["Late delivery apology"].open_older_than_hours = 12h <= 12"#)
        XCTAssertEqual(try check(#"loop["Late delivery apology"].missed < 4"#, r).status, .critical)
        XCTAssertEqual(try check(#"loop["Late delivery apology"].weekly["2026-W11"].open == 1"#, r).status, .ok)
        XCTAssertEqual(try check(#"loop["Late delivery apology"].by_channel.email.closed == 2"#, r).status, .ok)
        XCTAssertEqual(try check(#"loop["Late delivery apology"].p90_seconds_to_close <= 30h"#, r).status, .ok)
        XCTAssertEqual(try check(#"journey["After a baby email"].persons == 4"#, r).status, .ok)
        let unknown = try check(#"loop["Late delivery apolgy"].in_time_rate > 0"#, r)
        XCTAssertEqual(unknown.status, .unknown)
        XCTAssertTrue(unknown.message.contains(#"did you mean `Late delivery apology`"#), unknown.message)
    }

    func testPrometheus() throws {
        let text = PrometheusRenderer.render(try report())
        for line in [
            #"earshot_loop_triggers{loop="Late delivery apology"} 9"#,
            #"earshot_loop_outcome{loop="Late delivery apology",outcome="in_time"} 3"#,
            #"earshot_loop_outcome{loop="Late delivery apology",outcome="missed"} 4"#,
            #"earshot_loop_in_time_rate{loop="Late delivery apology"} 0.375"#,
            #"earshot_loop_oldest_open_seconds{loop="Late delivery apology"} 43200"#,
            #"earshot_loop_within_seconds{loop="Late delivery apology"} 86400"#,
            #"earshot_journey_persons{journey="After a baby email"} 4"#,
        ] {
            XCTAssertTrue(text.contains(line + "\n"), "missing \(line)")
        }
    }

    func testCSVAndText() throws {
        let r = try report()
        let csv = ReportRenderer.csv(r)
        for line in ["loop,Late delivery apology,in_time,3", "loop,Late delivery apology,in_time_rate,0.375",
                     "loop_weekly,Late delivery apology,2026-W10.missed,4", "loop_open_age,Late delivery apology,43200-54000,1",
                     "loop_channel,Late delivery apology,email.closed,2",
                     "journey_node,After a baby email,baby > gifts.entries,2", "journey_path,After a baby email,3.steps,baby > gifts > checkout"] {
            XCTAssertTrue(csv.contains(line + "\n"), "missing \(line)")
        }
        let text = ReportRenderer.text(r)
        XCTAssertTrue(text.contains("LOOPS"))
        XCTAssertTrue(text.contains(#"JOURNEY "After a baby email": 5 entries, 4 persons"#))
        XCTAssertTrue(text.contains("baby → gifts → checkout"))
    }

    func testPrivacyWithholdsSmallCounts() throws {
        // k = 5: 8 persons triggered the loop, so the loop shows; late (1) and open (1) are below 5 and
        // withheld, so is the rate; the oldest open age describes one person's trigger and goes with open.
        let r = try report(minCohort: 5)
        let l = try XCTUnwrap(r.loops.first)
        XCTAssertEqual(l.persons, 8)
        XCTAssertEqual(l.outcomes.triggers, 9)
        XCTAssertEqual(l.outcomes.$late, .belowMinimum)
        XCTAssertEqual(l.outcomes.$open, .belowMinimum)
        XCTAssertEqual(l.outcomes.$inTime, .belowMinimum)   // 3
        XCTAssertEqual(l.outcomes.$missed, .belowMinimum)   // 4
        XCTAssertEqual(l.outcomes.$inTimeRate, .derived)
        XCTAssertNil(l.oldestOpenSeconds)
        XCTAssertEqual(l.$openOlderThanHours, .derived)
        XCTAssertTrue(l.openAges.allSatisfy { $0.open == 0 })
        XCTAssertEqual(l.$medianSecondsToClose, .derived)   // in time + late = 4 closing triggers < 5
        // The journey's 4 persons are fewer than 5: everything of it is withheld.
        let j = try XCTUnwrap(r.journeys.first)
        XCTAssertEqual(j.$persons, .belowMinimum)
        XCTAssertEqual(j.$entries, .derived)
        XCTAssertTrue(j.tree.children.allSatisfy { $0.$entries.isSuppressed && $0.$persons.isSuppressed })
        XCTAssertTrue(j.paths.allSatisfy { $0.$entries.isSuppressed })
        // The JSON never carries a withheld number, and a check of a withheld figure is UNKNOWN.
        let json = ReportRenderer.json(r)
        XCTAssertFalse(json.contains("\"open_older_than_hours\" : 12"))
        XCTAssertEqual(try check(#"loop["Late delivery apology"].open_older_than_hours <= 12"#, r).status, .unknown)
        XCTAssertFalse(PrometheusRenderer.render(r).contains("earshot_loop_oldest_open_seconds"))
    }

    func testComplementaryOutcome() throws {
        // 12 triggers by 12 persons: 6 in time, 5 missed, 1 late → late withheld (<5), and the smallest
        // other shown outcome (missed, 5) goes along so that late cannot be worked out as 12 − 6 − 5.
        var events: [ParsedEvent] = []
        let late: [String: ScalarValue] = ["late": .bool(true)]
        for i in 0..<12 {
            events.append(Fixture.track("p\(i)", "Order Delivered", at: t0, late))
            if i < 6 { events.append(Fixture.track("p\(i)", "Apology Sent", at: t0 + Fixture.hour)) }
            if i == 6 { events.append(Fixture.track("p\(i)", "Apology Sent", at: t0 + 2 * day)) }
        }
        let program = try XCTUnwrap(Fixture.program(LoopMetricsTests.rules))
        let r = Analysis.report(table: Fixture.table(events), program: program,
                                options: AnalysisOptions(now: t0 + 10 * day, privacy: PrivacyPolicy(minCohort: 5)))
        let o = try XCTUnwrap(r.loops.first).outcomes
        XCTAssertEqual(o.inTime, 6)
        XCTAssertEqual(o.$late, .belowMinimum)
        XCTAssertEqual(o.$missed, .complementary)
        XCTAssertEqual(o.open, 0)   // zero is always shown
        XCTAssertEqual(o.$inTimeRate, .derived)
    }
}

/// The journey tree's privacy cascade on a hand-made tree (k = 5).
final class JourneyPrivacyTests: XCTestCase {
    func node(_ step: String, _ entries: Int, _ persons: Int, ended: Int = 0, _ children: [JourneyNode] = []) -> JourneyNode {
        var n = JourneyNode(step: step)
        n.entries = entries; n.persons = persons; n.ended = ended; n.children = children
        n.share = 0.5; n.endedShare = entries > 0 ? Double(ended) / Double(entries) : nil
        return n
    }

    func testSiblingsParentsAndSharesCannotRevealASmallCount() {
        // root 100 = checkout 97 + baby 3. baby < 5 → withheld; checkout is the only other child → withheld
        // (complementary). Under checkout (withheld): cart 90 + (start) 7 → at least one withheld (the
        // smallest, (start)), every share withheld (it would give checkout's entries), checkout's ended goes too.
        var j = JourneyReport(name: "J", rule: "before did \"Order Completed\"", entry: "did \"Order Completed\"",
                              direction: "before", by: "section", steps: 2, windowSeconds: nil)
        j.entries = 100; j.persons = 90
        j.tree = JourneyTree(children: [
            node("checkout", 97, 88, ended: 7, [node("cart", 90, 82), node("(start)", 7, 7)]),
            node("baby", 3, 3),
        ])
        var r = Report()
        r.journeys = [j]
        let p = Privacy.publish(r, policy: PrivacyPolicy(minCohort: 5, revealPII: true)).journeys[0]
        let checkout = p.tree.children[0], baby = p.tree.children[1]
        XCTAssertEqual(baby.$entries, .belowMinimum)
        XCTAssertEqual(baby.$persons, .belowMinimum)
        XCTAssertEqual(checkout.$entries, .complementary)
        XCTAssertEqual(checkout.persons, 88)
        XCTAssertEqual(checkout.$ended, .derived)
        let cart = checkout.children[0], start = checkout.children[1]
        XCTAssertEqual(cart.entries, 90)
        XCTAssertEqual(start.$entries, .complementary)
        XCTAssertEqual(cart.$share, .derived)
        XCTAssertNil(cart.share)
        XCTAssertEqual(p.entries, 100)
    }
}
