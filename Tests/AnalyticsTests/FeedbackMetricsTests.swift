import XCTest
import EventStore
@testable import Analytics

final class FeedbackMetricsTests: XCTestCase {
    let t0 = ms(2026, 3, 2, 9)   // a Monday, 09:00 UTC
    let window = AnalysisOptions.defaultWindow

    private func feedback(_ s: Store, _ options: AnalysisOptions = AnalysisOptions(), persons: [String]? = nil) -> FeedbackSummary {
        let t = s.table()
        var set: PersonSet? = nil
        if let persons {
            var p = PersonSet(universe: t.personCount)
            for id in persons { p.insert(t.person(id)) }
            set = p
        }
        return FeedbackMetrics.compute(table: t, options: options, persons: set)
    }

    func testAnsweredWithinWindowIncludingTheEdge() {
        var s = Store()
        s.prompt("edge", t0)
        s.response("edge", t0 + window)              // exactly at the window edge: answered
        s.prompt("late", t0)
        s.response("late", t0 + window + 1)          // 1 ms too late: unanswered, response unmatched
        s.prompt("quick", t0)
        s.response("quick", t0 + 90_000)
        let f = feedback(s)
        XCTAssertEqual(f.total.prompts, 3)
        XCTAssertEqual(f.total.answered, 2)
        XCTAssertEqual(f.responses, 3)
        XCTAssertEqual(f.unmatchedResponses, 1)
        XCTAssertEqual(f.total.medianSecondsToAnswer, (90 + 604_800) / 2)
        XCTAssertEqual(f.windowSeconds, 604_800)
    }

    func testWindowOption() {
        var s = Store()
        s.prompt("u", t0)
        s.response("u", t0 + 2 * hour)
        XCTAssertEqual(feedback(s, AnalysisOptions(window: 2 * hour)).total.answered, 1)
        XCTAssertEqual(feedback(s, AnalysisOptions(window: 2 * hour - 1)).total.answered, 0)
        XCTAssertEqual(feedback(s, AnalysisOptions(window: 2 * hour)).windowSeconds, 7200)
    }

    func testNextPromptBeforeResponse() {
        var s = Store()
        s.prompt("u", t0)
        s.prompt("u", t0 + hour)
        s.response("u", t0 + 2 * hour)   // answers the latest prompt only
        let f = feedback(s)
        XCTAssertEqual(f.total.prompts, 2)
        XCTAssertEqual(f.total.answered, 1)
        XCTAssertEqual(f.total.medianSecondsToAnswer, 3600)
        XCTAssertEqual(f.unmatchedResponses, 0)
    }

    func testResponseBeforePromptIsUnmatched() {
        var s = Store()
        s.response("u", t0)
        s.prompt("u", t0 + 1)
        let f = feedback(s)
        XCTAssertEqual(f.total.answered, 0)
        XCTAssertEqual(f.unmatchedResponses, 1)
    }

    func testTwoResponsesOnePrompt() {
        var s = Store()
        s.prompt("u", t0)
        s.response("u", t0 + 2 * minute)
        s.response("u", t0 + minute)    // earlier in time, later in the file: this one is first
        let f = feedback(s)
        XCTAssertEqual(f.total.prompts, 1)
        XCTAssertEqual(f.total.answered, 1)
        XCTAssertEqual(f.responses, 2)
        XCTAssertEqual(f.unmatchedResponses, 0)
        XCTAssertEqual(f.total.medianSecondsToAnswer, 60)
    }

    func testSameMillisecondMatchesWhateverTheFileOrder() {
        var s = Store()
        s.response("u", t0)
        s.prompt("u", t0)
        let f = feedback(s)
        XCTAssertEqual(f.total.answered, 1)
        XCTAssertEqual(f.unmatchedResponses, 0)
        XCTAssertEqual(f.total.medianSecondsToAnswer, 0)
    }

    func testSurveyAndPersonMustMatch() {
        var s = Store()
        s.prompt("u", t0, survey: .string("s1"))
        s.response("u", t0 + 1, survey: .string("s2"))  // other survey
        s.response("v", t0 + 1, survey: .string("s1"))  // other person
        let f = feedback(s)
        XCTAssertEqual(f.total.answered, 0)
        XCTAssertEqual(f.unmatchedResponses, 2)
    }

    func testSurveyIdForms() {
        var s = Store()
        s.prompt("u", t0, survey: .number(42))
        s.response("u", t0 + 1, survey: .string("42"))            // number and its integer text are one survey
        s.prompt("v", t0, survey: .string("ph-1"), posthog: true)   // $survey_id
        s.response("v", t0 + 1, survey: .string("ph-1"), posthog: true)
        s.prompt("w", t0, survey: nil)                              // no id: survey "unknown"
        s.response("w", t0 + 1, survey: nil)
        s.prompt("x", t0, survey: .number(2.5))
        let f = feedback(s)
        XCTAssertEqual(f.surveys.map(\.surveyID), ["2.5", "42", "ph-1", "unknown"])
        XCTAssertEqual(f.surveys.map(\.answered), [0, 1, 1, 1])
        XCTAssertEqual(f.unmatchedResponses, 0)
    }

    func testPerChannelAndPerPersonRates() {
        var s = Store()
        s.prompt("a", t0, channel: "email")
        s.response("a", t0 + minute)
        s.prompt("a", t0 + day, channel: "email")
        s.prompt("b", t0, channel: "email")
        s.prompt("c", t0, channel: "chat")
        s.response("c", t0 + 3 * minute)
        s.prompt("d", t0, channel: nil)
        let f = feedback(s)
        XCTAssertEqual(f.channels.map(\.channel), ["chat", "email", "unknown"])
        let email = f.channels[1]
        XCTAssertEqual(email.prompts, 3)
        XCTAssertEqual(email.answered, 1)
        XCTAssertEqual(email.responseRate, 1.0 / 3)
        XCTAssertEqual(email.personsPrompted, 2)
        XCTAssertEqual(email.personsAnswered, 1)
        XCTAssertEqual(email.personResponseRate, 0.5)
        XCTAssertEqual(email.medianSecondsToAnswer, 60)
        XCTAssertEqual(f.channels[0].responseRate, 1)
        XCTAssertEqual(f.channels[0].medianSecondsToAnswer, 180)
        XCTAssertEqual(f.channels[2].prompts, 1)
        XCTAssertNil(f.channels[2].medianSecondsToAnswer)
        XCTAssertEqual(f.total.prompts, 5)
        XCTAssertEqual(f.total.personsPrompted, 4)
        XCTAssertEqual(f.total.personsAnswered, 2)
        XCTAssertEqual(f.total.channel, "all")
    }

    func testDismissals() {
        var s = Store()
        s.prompt("a", t0, channel: "chat")
        s.dismissal("a", t0 + 1)                       // no channel: the prompt's channel (chat)
        s.prompt("b", t0, channel: "chat")
        s.dismissal("b", t0 + 1, channel: "email")     // its own channel counts
        s.dismissal("c", t0, survey: .string("s9"))    // no prompt at all: unknown
        let f = feedback(s)
        XCTAssertEqual(f.channels.map(\.channel), ["chat", "email", "unknown"])
        XCTAssertEqual(f.channels.map(\.dismissed), [1, 1, 1])
        XCTAssertEqual(f.channels[0].dismissalRate, 0.5)
        XCTAssertNil(f.channels[1].dismissalRate)      // no prompts in email
        XCTAssertEqual(f.surveys.map(\.surveyID), ["s1", "s9"])
        XCTAssertEqual(f.surveys.map(\.dismissed), [2, 1])
        XCTAssertEqual(f.surveys[1].channel, "unknown")
        XCTAssertEqual(f.total.dismissed, 3)
        XCTAssertEqual(f.total.dismissalRate, 1.5)
    }

    func testMediansOddAndEven() {
        var odd = Store()
        for (i, secs) in [60, 10, 20].enumerated() {
            odd.prompt("p\(i)", t0)
            odd.response("p\(i)", t0 + Int64(secs) * 1000)
        }
        XCTAssertEqual(feedback(odd).total.medianSecondsToAnswer, 20)
        var even = Store()
        for (i, secs) in [70, 10, 30, 20].enumerated() {
            even.prompt("p\(i)", t0)
            even.response("p\(i)", t0 + Int64(secs) * 1000)
        }
        XCTAssertEqual(feedback(even).total.medianSecondsToAnswer, 25)
        XCTAssertEqual(median([1, 2]), 1.5)
        XCTAssertNil(median([]))
    }

    func testSurveyChannelIsTheMostFrequentTiesAlphabetical() {
        var s = Store()
        s.prompt("a", t0, survey: .string("s1"), channel: "email")
        s.prompt("b", t0, survey: .string("s1"), channel: "web")
        s.prompt("c", t0, survey: .string("s1"), channel: "web")
        s.prompt("a", t0, survey: .string("s2"), channel: "web")
        s.prompt("b", t0, survey: .string("s2"), channel: "email")
        let f = feedback(s)
        XCTAssertEqual(f.surveys.map(\.channel), ["web", "email"])
        XCTAssertEqual(f.surveys.map(\.personsPrompted), [3, 2])
    }

    func testHourWeekdayInLocalTime() {
        var s = Store()
        // DST in Berlin starts 2026-03-29 01:00 UTC: 01:30 UTC is 03:30 CEST, a Sunday.
        s.prompt("berlin", ms(2026, 3, 29, 1, 30), tz: "Europe/Berlin")
        s.response("berlin", ms(2026, 3, 29, 2))
        // The day before, still CET (+1): 01:30 UTC is 02:30, a Saturday.
        s.prompt("berlin", ms(2026, 3, 28, 1, 30), tz: "Europe/Berlin")
        // No zone on the prompt: the person's latest earlier zone (New York, EDT −4 since 2026-03-08).
        s.page("ny", ms(2026, 3, 9), tz: "Asia/Tokyo")
        s.page("ny", ms(2026, 3, 9, 1), tz: "America/New_York")
        s.prompt("ny", ms(2026, 3, 10, 2), tz: nil)   // Tue 02:00 UTC → Mon 22:00 local
        // An unknown zone falls back to UTC and is counted; no zone at all is UTC.
        s.prompt("mars", ms(2026, 3, 10, 2), tz: "Mars/Olympus_Mons")
        s.prompt("utc", ms(2026, 3, 10, 2, 59))
        let f = feedback(s)
        XCTAssertEqual(f.hourWeekday, [
            HourWeekdayCell(weekday: 1, hour: 22, prompts: 1, answered: 0, responseRate: 0),
            HourWeekdayCell(weekday: 2, hour: 2, prompts: 2, answered: 0, responseRate: 0),
            HourWeekdayCell(weekday: 6, hour: 2, prompts: 1, answered: 0, responseRate: 0),
            HourWeekdayCell(weekday: 7, hour: 3, prompts: 1, answered: 1, responseRate: 1),
        ])
        XCTAssertEqual(f.promptsUnknownTimezone, 1)
    }

    func testNowAndPersonFilter() {
        var s = Store()
        s.prompt("a", t0)
        s.response("a", t0 + hour)
        s.prompt("b", t0)
        s.response("b", t0 + minute)
        // As of before a's response, a's prompt is not answered yet.
        let early = feedback(s, AnalysisOptions(now: t0 + 30 * minute))
        XCTAssertEqual(early.total.prompts, 2)
        XCTAssertEqual(early.total.answered, 1)
        XCTAssertEqual(early.responses, 1)
        let onlyA = feedback(s, persons: ["a"])
        XCTAssertEqual(onlyA.total.prompts, 1)
        XCTAssertEqual(onlyA.total.personsPrompted, 1)
        XCTAssertEqual(onlyA.total.medianSecondsToAnswer, 3600)
    }

    func testNoSurveyEvents() {
        var s = Store()
        s.page("u", t0)
        let f = feedback(s)
        XCTAssertEqual(f.total.prompts, 0)
        XCTAssertNil(f.total.responseRate)
        XCTAssertEqual(f.channels, [])
        XCTAssertNil(f.nps.nps)
    }
}
