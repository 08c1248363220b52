import XCTest
import EventStore
@testable import Analytics

/// The fatigue, preferred-channel and profile-depth figures in `check` paths, Prometheus, text and CSV.
final class FatigueOutputTests: XCTestCase {
    let t0 = ms(2026, 3, 2, 9)

    /// Six persons prompted twice on email (first answered, second not), one of them three times on sms.
    func report(k: Int = 0) -> Report {
        var events: [ParsedEvent] = []
        for i in 0..<6 {
            let u = "p\(i)"
            events.append(Fixture.identify(u, at: t0 - day, ["preferred_channel": .string(i < 3 ? "email" : "sms")]))
            events.append(Fixture.track(u, "Survey Shown", at: t0, ["survey_id": .string("s"), "channel": .string("email")]))
            events.append(ParsedEvent(kind: .track, time: t0 + hour, userId: u, event: "Survey Sent",
                                      properties: [PathValue("properties.survey_id", .string("s"))],
                                      answers: [PathValue("$survey_response_q1", .string("yes"))]))
            events.append(Fixture.track(u, "Survey Shown", at: t0 + 2 * day, ["survey_id": .string("s"), "channel": .string("email")]))
        }
        let options = AnalysisOptions(privacy: PrivacyPolicy(minCohort: k))
        let program = Fixture.program(#"segment "first three": trait preferred_channel = "email""#)!
        return Analysis.report(table: Fixture.table(events), program: program, options: options)
    }

    func value(_ r: Report, _ path: String) -> Double? {
        switch FigureNode.of(r).resolve(rule("\(path) > 0").path) {
        case .success(let f): return f.value
        case .failure(let e): XCTFail(e.message); return nil
        }
    }

    func testCheckPaths() {
        let r = report()
        XCTAssertEqual(value(r, "feedback.fatigue.ordinal[1].response_rate"), 1)
        XCTAssertEqual(value(r, "feedback.fatigue.ordinal[2].prompts"), 6)
        XCTAssertEqual(value(r, "feedback.fatigue.ordinal[2].response_rate"), 0)
        XCTAssertEqual(value(r, "feedback.fatigue.ordinal[5].prompts"), 0)      // the 5+ row
        XCTAssertEqual(value(r, #"feedback.fatigue.by_ordinal["5+"].prompts"#), 0)
        XCTAssertEqual(value(r, #"feedback.fatigue.gap["1-3d"].prompts"#), 6)
        XCTAssertEqual(value(r, "feedback.fatigue.channel.email.ordinal[1].persons"), 6)
        XCTAssertEqual(value(r, "feedback.preferred_channel.on_preferred.prompts"), 6)
        XCTAssertEqual(value(r, "feedback.preferred_channel.on_other.response_rate"), 0.5)
        XCTAssertEqual(value(r, "feedback.preferred_channel.persons_with_preference"), 6)
        XCTAssertEqual(value(r, "persons.profile_depth.all.depth[1].share"), 1)
        XCTAssertEqual(value(r, "persons.profile_depth.prompted.depth[0].persons"), 0)
        XCTAssertEqual(value(r, "persons.profile_depth.weekly[-1].depth[1].persons"), 6)
        XCTAssertEqual(value(r, #"segment["first three"].profile_depth.all.depth[1].persons"#), 3)
        switch FigureNode.of(r).resolve(rule("feedback.fatigue.ordinal[6].prompts > 0").path) {
        case .success: XCTFail("ordinal 6 does not exist")
        case .failure(let e): XCTAssertTrue(e.message.contains("has no ordinal 6"), e.message)
        }
    }

    func testPrometheusTextAndCSV() {
        let r = report()
        let prom = PrometheusRenderer.render(r)
        XCTAssertTrue(prom.contains(#"earshot_fatigue_ordinal_response_rate{channel="all",ordinal="1"} 1"#), prom)
        XCTAssertTrue(prom.contains(#"earshot_fatigue_gap_prompts{channel="email",gap="1-3d"} 6"#))
        XCTAssertTrue(prom.contains(#"earshot_preferred_channel_response_rate{channel="all",group="on_other"} 0.5"#))
        XCTAssertTrue(prom.contains(#"earshot_profile_depth_share{population="all",depth="1"} 1"#))
        XCTAssertTrue(prom.contains(#"earshot_segment_profile_depth_share{segment="first three",depth="1"} 1"#))
        let text = ReportRenderer.text(r)
        XCTAssertTrue(text.contains("PROMPT FATIGUE"))
        XCTAssertTrue(text.contains("PREFERRED CHANNEL (trait preferred_channel; 6 persons with a preference: email 3, sms 3)"), text)
        XCTAssertTrue(text.contains("PROFILE DEPTH"))
        let csv = ReportRenderer.csv(r)
        XCTAssertTrue(csv.contains("fatigue_ordinal,all/2,prompts,6\n"))
        XCTAssertTrue(csv.contains("fatigue_gap,email/1-3d,response_rate,0\n"))
        XCTAssertTrue(csv.contains("preferred_channel,all,on_preferred.prompts,6\n"))
        XCTAssertTrue(csv.contains("profile_depth,all,depth_1.share,1\n"))
    }

    func testJSONCarriesEveryPartAndReadsBack() throws {
        let r = report(k: 5)
        let data = try JSONEncoder().encode(r)
        let json = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        let depth = (json["persons"] as? [String: Any])?["profile_depth"] as? [String: Any]
        XCTAssertNotNil(depth?["all"])
        XCTAssertNotNil((json["feedback"] as? [String: Any])?["fatigue"])
        XCTAssertNotNil((json["feedback"] as? [String: Any])?["preferred_channel"])
        XCTAssertNotNil(((json["segments"] as? [[String: Any]])?.first)?["profile_depth"])
        XCTAssertEqual(try JSONDecoder().decode(Report.self, from: data), r)
    }

    func testWithheldFiguresStayWithheldInEveryOutput() {
        let r = report(k: 10)
        XCTAssertEqual(r.feedback.fatigue.byOrdinal[0].counts.$persons, .belowMinimum)
        XCTAssertFalse(PrometheusRenderer.render(r).contains(#"earshot_fatigue_ordinal_persons{channel="all",ordinal="1"}"#))
        XCTAssertTrue(PrometheusRenderer.render(r).contains(#"earshot_fatigue_ordinal_persons{channel="all",ordinal="3"} 0"#))
        XCTAssertTrue(ReportRenderer.csv(r).contains("fatigue_ordinal,all/1,persons,<10\n"))
        switch FigureNode.of(r).resolve(rule("feedback.fatigue.ordinal[1].response_rate > 0").path) {
        case .success(let f): XCTAssertTrue(f.withheld.isSuppressed)
        case .failure(let e): XCTFail(e.message)
        }
    }
}
