import XCTest
import EventStore
@testable import Analytics

final class NPSTests: XCTestCase {
    let t0 = ms(2026, 3, 2, 9)

    func testParseScore() {
        XCTAssertEqual(parseScore(number: 10), 10)
        XCTAssertEqual(parseScore(number: 0), 0)
        XCTAssertEqual(parseScore(number: 9.0), 9)
        XCTAssertNil(parseScore(number: 7.5))
        XCTAssertNil(parseScore(number: 11))
        XCTAssertNil(parseScore(number: -1))
        XCTAssertEqual(parseScore(text: "9"), 9)
        XCTAssertEqual(parseScore(text: " 9 "), 9)
        XCTAssertEqual(parseScore(text: "\t10\n"), 10)
        XCTAssertEqual(parseScore(text: "07"), 7)
        for bad in ["7.5", "11", "100", "-1", "+9", "", "  ", "9 9", "nine", "9a", "١"] {
            XCTAssertNil(parseScore(text: bad), bad)
        }
    }

    func testScoreSourcesAndBuckets() {
        var s = Store()
        s.response("a", t0, score: .number(10))
        s.response("b", t0, score: .number(0))
        s.response("c", t0, score: .string(" 9 "))
        s.response("d", t0, score: .string("7"))
        s.response("e", t0, score: .number(8))
        s.response("f", t0, score: .number(11))        // out of range: not scored
        s.response("g", t0, score: .string("7.5"))     // not scored
        s.response("h", t0, score: .string("great"))   // free text
        s.response("i", t0, score: .number(6), posthog: true)   // $survey_response
        s.response("j", t0)                            // no score at all
        // survey_response when score is absent; a null score falls through too
        s.track("k", t0, "Survey Sent", props: [("properties.survey_id", .string("s1")),
                                                ("properties.survey_response", .string("10"))])
        s.track("l", t0, "Survey Sent", props: [("properties.survey_id", .string("s1")), ("properties.score", .null),
                                                ("properties.survey_response", .number(3))])
        // a present but invalid score does not fall through
        s.track("m", t0, "Survey Sent", props: [("properties.survey_id", .string("s1")), ("properties.score", .bool(true)),
                                                ("properties.survey_response", .number(10))])
        let f = FeedbackMetrics.compute(table: s.table(), options: AnalysisOptions())
        // promoters: a(10) c(9) k(10); passives: d(7) e(8); detractors: b(0) i(6) l(3)
        XCTAssertEqual(f.nps, NPSStats(scored: 8, promoters: 3, passives: 2, detractors: 3, nps: 0))
        XCTAssertEqual(f.responses, 13)
        XCTAssertEqual(f.unmatchedResponses, 13)   // unmatched responses are scored all the same
    }

    func testNPSValueAndBreakdowns() {
        var s = Store()
        s.prompt("a", t0, survey: .string("s1"), channel: "email")
        s.response("a", t0 + 1, survey: .string("s1"), score: .number(10))          // email via its prompt
        s.response("a", t0 + 2, survey: .string("s1"), score: .number(9))           // repeated answer counts
        s.response("b", t0, survey: .string("s1"), channel: "chat", score: .number(3))  // own channel
        s.response("c", t0, survey: .string("s2"), score: .number(8))               // unmatched, no channel: unknown
        let f = FeedbackMetrics.compute(table: s.table(), options: AnalysisOptions())
        XCTAssertEqual(f.nps, NPSStats(scored: 4, promoters: 2, passives: 1, detractors: 1, nps: 25))
        XCTAssertEqual(f.npsByChannel, [
            "email": NPSStats(scored: 2, promoters: 2, passives: 0, detractors: 0, nps: 100),
            "chat": NPSStats(scored: 1, promoters: 0, passives: 0, detractors: 1, nps: -100),
            "unknown": NPSStats(scored: 1, promoters: 0, passives: 1, detractors: 0, nps: 0),
        ])
        XCTAssertEqual(f.npsBySurvey["s1"], NPSStats(scored: 3, promoters: 2, passives: 0, detractors: 1, nps: 100.0 / 3))
        XCTAssertEqual(f.npsBySurvey["s2"]?.scored, 1)
    }

    func testOwnChannelWinsOverThePrompts() {
        var s = Store()
        s.prompt("a", t0, channel: "email")
        s.response("a", t0 + 1, channel: "web", score: .number(9))
        let f = FeedbackMetrics.compute(table: s.table(), options: AnalysisOptions())
        XCTAssertEqual(Array(f.npsByChannel.keys), ["web"])
        XCTAssertEqual(f.channels.map(\.channel), ["email"])   // answered counts stay with the prompt's channel
        XCTAssertEqual(f.channels[0].answered, 1)
    }

    func testNPSStatsFrom() {
        XCTAssertNil(NPSStats.from(promoters: 0, passives: 0, detractors: 0).nps)
        XCTAssertEqual(NPSStats.from(promoters: 1, passives: 0, detractors: 2).nps, -100.0 / 3)
    }
}
