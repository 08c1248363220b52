import XCTest
import EventStore
@testable import Analytics

/// Loops on hand-built stores; every expected figure is worked out by hand in the comments
/// (docs/DEFINITIONS.md, "Loops", has the same example).
final class LoopMetricsTests: XCTestCase {
    typealias F = Fixture
    let t0 = Fixture.t0, hour = Fixture.hour, day = Fixture.day, minute = Fixture.minute

    static let rules = """
        loop "Late delivery apology":
            when did "Order Delivered" where late = true
            expect did "Apology Sent"
            within 1d
        """

    /// The worked example: reference time t0 + 10d, promise 1 day.
    func deliveries() -> [ParsedEvent] { Self.deliveries() }

    static func deliveries() -> [ParsedEvent] {
        let t0 = Fixture.t0, hour = Fixture.hour, day = Fixture.day
        let late: [String: ScalarValue] = ["late": .bool(true)]
        return [
            // u1: apology 2 h later → in time (7 200 s), by email.
            F.track("u1", "Order Delivered", at: t0, late),
            F.track("u1", "Apology Sent", at: t0 + 2 * hour, ["channel": .string("email")]),
            // u2: apology 30 h later, no later trigger → late (108 000 s), by SMS.
            F.track("u2", "Order Delivered", at: t0, late),
            F.track("u2", "Apology Sent", at: t0 + 30 * hour, ["channel": .string("sms")]),
            // u3: trigger 12 h before the reference time, nothing after it → open (age 12 h).
            F.track("u3", "Order Delivered", at: t0 + 9 * day + 12 * hour, late),
            // u4: trigger with no later events, window over → missed.
            F.track("u4", "Order Delivered", at: t0, late),
            // u5: a second trigger 2 d later, apology 1 h after that: the first is followed up after
            // its window and after the next trigger → missed; the second → in time (3 600 s), by email.
            F.track("u5", "Order Delivered", at: t0, late),
            F.track("u5", "Order Delivered", at: t0 + 2 * day, late),
            F.track("u5", "Apology Sent", at: t0 + 2 * day + hour, ["channel": .string("email")]),
            // u6: apology at the same millisecond but earlier in file order → not a follow-up → missed.
            F.track("u6", "Apology Sent", at: t0),
            F.track("u6", "Order Delivered", at: t0, late),
            // u7: apology at the same millisecond, later in file order → in time (0 s), no channel.
            F.track("u7", "Order Delivered", at: t0, late),
            F.track("u7", "Apology Sent", at: t0),
            // u8: delivered on time → no trigger.
            F.track("u8", "Order Delivered", at: t0, ["late": .bool(false)]),
            F.track("u8", "Apology Sent", at: t0 + hour),
            // u9: apology after the reference time is ignored → missed.
            F.track("u9", "Order Delivered", at: t0, late),
            F.track("u9", "Apology Sent", at: t0 + 11 * day),
        ]
    }

    var options: AnalysisOptions { AnalysisOptions(now: t0 + 10 * day, privacy: .off) }

    func loop(_ rules: String = LoopMetricsTests.rules, _ events: [ParsedEvent]? = nil) -> LoopReport? {
        let table = F.table(events ?? deliveries())
        guard let program = F.program(rules) else { return nil }
        return LoopMetrics.compute(table: table, program: program, options: options).first
    }

    func testFourOutcomesTiesAndSecondTrigger() throws {
        let r = try XCTUnwrap(loop())
        // Triggers: u1 u2 u3 u4 u5×2 u6 u7 u9 = 9 (u8's delivery was not late).
        XCTAssertEqual(r.triggers, 9)
        XCTAssertEqual(r.persons, 8)
        XCTAssertEqual(r.inTime, 3)   // u1, u5's second, u7
        XCTAssertEqual(r.late, 1)     // u2
        XCTAssertEqual(r.open, 1)     // u3
        XCTAssertEqual(r.missed, 4)   // u4, u5's first, u6, u9
        XCTAssertEqual(try XCTUnwrap(r.inTimeRate), 3.0 / 8.0, accuracy: 1e-12)   // 3 / (9 − 1)
        XCTAssertEqual(try XCTUnwrap(r.lateRate), 1.0 / 8.0, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(r.missedRate), 4.0 / 8.0, accuracy: 1e-12)
        // Times to close: 0, 3 600, 7 200, 108 000 s → median 5 400; p90 = the ⌈3.6⌉ = 4th → 108 000.
        XCTAssertEqual(r.medianSecondsToClose, 5_400)
        XCTAssertEqual(r.p90SecondsToClose, 108_000)
        XCTAssertEqual(r.oldestOpenSeconds, 43_200)
        XCTAssertEqual(r.openOlderThanHours, 12)
        XCTAssertEqual(r.withinSeconds, 86_400)
    }

    func testByChannelWeeklyAndOpenAges() throws {
        let r = try XCTUnwrap(loop())
        XCTAssertEqual(r.byChannel.map(\.channel), ["email", "sms", "unknown"])
        XCTAssertEqual(r.byChannel.map(\.closed), [2, 1, 1])
        XCTAssertEqual(r.byChannel.map(\.inTime), [2, 0, 1])
        XCTAssertEqual(r.byChannel[0].medianSecondsToClose, 5_400)   // 7 200 and 3 600
        // t0 is Monday of 2026-W10; u3's trigger (t0 + 9.5 d) is in W11, as is the reference time.
        XCTAssertEqual(r.weekly.map(\.week), ["2026-W10", "2026-W11"])
        XCTAssertEqual(r.weekly.map(\.outcomes.triggers), [8, 1])
        XCTAssertEqual(r.weekly.map(\.outcomes.inTime), [3, 0])
        XCTAssertEqual(r.weekly.map(\.outcomes.missed), [4, 0])
        XCTAssertEqual(r.weekly.map(\.outcomes.open), [0, 1])
        // Eight bins of 3 h; the one open trigger is 12 h old → [12 h, 15 h).
        XCTAssertEqual(r.openAges.count, 8)
        XCTAssertEqual(r.openAges.map(\.open), [0, 0, 0, 0, 1, 0, 0, 0])
        XCTAssertEqual(r.openAges[4].fromSeconds, 43_200)
        XCTAssertEqual(r.openAges[4].toSeconds, 54_000)
    }

    func testExactlyAtThePromiseIsInTimeOneMillisecondMoreIsLate() throws {
        let late: [String: ScalarValue] = ["late": .bool(true)]
        let r = try XCTUnwrap(loop(Self.rules, [
            F.track("a", "Order Delivered", at: t0, late), F.track("a", "Apology Sent", at: t0 + day),
            F.track("b", "Order Delivered", at: t0, late), F.track("b", "Apology Sent", at: t0 + day + 1),
        ]))
        XCTAssertEqual([r.inTime, r.late, r.open, r.missed], [1, 1, 0, 0])
    }

    func testOpenUntilTheWindowEndsAtTheReferenceTime() throws {
        // Trigger exactly one promise before now: trigger + window = now, not after it → missed.
        let late: [String: ScalarValue] = ["late": .bool(true)]
        let events = [F.track("a", "Order Delivered", at: t0 + 9 * day, late),
                      F.track("b", "Order Delivered", at: t0 + 9 * day + 1, late)]
        let r = try XCTUnwrap(loop(Self.rules, events))
        XCTAssertEqual([r.inTime, r.late, r.open, r.missed], [0, 0, 1, 1])
        XCTAssertNil(r.medianSecondsToClose)
        XCTAssertEqual(r.inTimeRate, 0)   // 0 / (2 − 1)
    }

    func testAllOpenHasNoRateAndNoTriggersHasNoFigures() throws {
        let late: [String: ScalarValue] = ["late": .bool(true)]
        let r = try XCTUnwrap(loop(Self.rules, [F.track("a", "Order Delivered", at: t0 + 10 * day, late)]))
        XCTAssertEqual(r.open, 1)
        XCTAssertNil(r.inTimeRate)
        let none = try XCTUnwrap(loop(Self.rules, [F.track("a", "Order Delivered", at: t0)]))
        XCTAssertEqual([none.triggers, none.persons], [0, 0])
        XCTAssertNil(none.oldestOpenSeconds)
        XCTAssertEqual(none.openOlderThanHours, 0)
        XCTAssertTrue(none.weekly.isEmpty)
    }

    func testAnsweredNPSAndAlternativeFollowUps() throws {
        let rules = """
            loop "Detractor follow-up": when answered nps <= 6 expect did "Support Ticket Created" or did "Email Sent" where campaign = "recovery" within 3d
            """
        let events = [
            // d1: detractor (4), recovery e-mail 1 d later → in time.
            F.track("d1", "Survey Sent", at: t0, ["score": .number(4)]),
            F.track("d1", "Email Sent", at: t0 + day, ["campaign": .string("recovery")]),
            // d2: detractor (score as text "3"), a newsletter (not recovery) then a ticket 4 d later → late.
            F.track("d2", "Survey Sent", at: t0, ["score": .string("3")]),
            F.track("d2", "Email Sent", at: t0 + hour, ["campaign": .string("newsletter")]),
            F.track("d2", "Support Ticket Created", at: t0 + 4 * day),
            // p1: promoter → no trigger; PostHog detractor → missed.
            F.track("p1", "Survey Sent", at: t0, ["score": .number(9)]),
            F.track("h1", "survey sent", at: t0, ["$survey_response": .number(6)]),
        ]
        let r = try XCTUnwrap(loop(rules, events))
        XCTAssertEqual(r.triggers, 3)
        XCTAssertEqual([r.inTime, r.late, r.open, r.missed], [1, 1, 0, 1])
        XCTAssertEqual(r.byChannel.map(\.channel), ["unknown"])
    }

    func testPersonFilterRestrictsTriggers() throws {
        let table = F.table(deliveries())
        let program = try XCTUnwrap(F.program(Self.rules))
        var only = PersonSet(universe: table.personCount)
        for p in 0..<table.personCount where ["u1", "u4"].contains(table.strings[table.personID[p]]) { only.insert(p) }
        let r = try XCTUnwrap(LoopMetrics.compute(table: table, program: program, options: options, persons: only).first)
        XCTAssertEqual([r.triggers, r.inTime, r.missed, r.persons], [2, 1, 1, 2])
    }

    func testInTheReportAndItsJSON() throws {
        let table = F.table(deliveries())
        let program = try XCTUnwrap(F.program(Self.rules))
        let report = Analysis.report(table: table, program: program, options: AnalysisOptions(now: t0 + 10 * day, privacy: .init(minCohort: 0)))
        XCTAssertEqual(report.loops.map(\.name), ["Late delivery apology"])
        let json = ReportRenderer.json(report)
        for key in ["\"loops\"", "\"triggers\" : 9", "\"in_time\" : 3", "\"late\" : 1", "\"open\" : 1", "\"missed\" : 4",
                    "\"in_time_rate\" : 0.375", "\"median_seconds_to_close\" : 5400", "\"p90_seconds_to_close\" : 108000",
                    "\"open_older_than_hours\" : 12", "\"journeys\" : []"] {
            XCTAssertTrue(json.contains(key), "missing \(key)")
        }
        let decoded = try JSONDecoder().decode(Report.self, from: Data(json.utf8))
        XCTAssertEqual(decoded.loops, report.loops)
    }
}
