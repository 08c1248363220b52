import XCTest
import EventStore
import EarshotTestSupport
@testable import Analytics

/// The whole-table feedback pass finds its survey rows from row marks made by scans of the name codes, and the latest
/// earlier time zone of a prompt without one by a forward cursor (session 7); a filter's pass tests every row of its
/// persons. Both must give the same facts: on seeded stores with prompts with and without a zone (after pages with
/// and without one, unknown zones included), responses, dismissals, and pages carrying a survey event's name (not
/// track calls: never survey events), with the standard names and with a schema whose prompt and answer names
/// overlap (a name in both lists is a prompt).
final class FeedbackRoleMarksTests: XCTestCase {
    private func randomStore(seed: UInt64) -> EventTable {
        var rng = SeededRandom(seed: seed)
        var s = Store()
        let zones: [String?] = [nil, nil, "Europe/Berlin", "Asia/Kolkata", "America/New_York", "Mars/Olympus_Mons"]
        let t0 = ms(2026, 3, 2)
        for p in 0 ..< 60 {
            let user = "u\(p)"
            var t = t0 + Int64(rng.int(30)) * hour
            for _ in 0 ..< rng.int(14) {
                t += Int64(rng.int(3)) * 20 * minute   // ties at the same millisecond too
                switch rng.int(7) {
                case 0: s.page(user, t, tz: zones[rng.int(zones.count)])
                case 1, 2: s.prompt(user, t, survey: .string("s\(rng.int(3))"), channel: ["email", "sms", nil][rng.int(3)],
                                    tz: zones[rng.int(zones.count)])
                case 3: s.response(user, t, survey: .string("s\(rng.int(3))"), score: .number(Double(rng.int(11))))
                case 4: s.dismissal(user, t, survey: .string("s\(rng.int(3))"))
                case 5: s.events.append(ParsedEvent(kind: .page, time: t, userId: user, name: "Survey Shown",
                                                    timezone: zones[rng.int(zones.count)]))
                default: s.track(user, t, "Product Viewed", tz: zones[rng.int(zones.count)])
                }
            }
        }
        return s.table()
    }

    func testMarkedRowsGiveTheFactsOfTheRowByRowPass() {
        var overlapping = FeedbackSchema.standard
        overlapping.promptEvents.append("Survey Sent")       // also an answer name: a prompt, as role(_:) decides
        overlapping.dismissalEvents.append("Product Viewed")
        for seed: UInt64 in 1 ... 8 {
            let table = randomStore(seed: seed)
            for (name, schema) in [("standard", FeedbackSchema.standard), ("overlapping", overlapping)] {
                let options = AnalysisOptions(privacy: .off, feedback: schema)
                let marked = FeedbackMetrics.analyze(AnalysisScope(table: table, options: options, persons: nil))
                let byRow = FeedbackMetrics.analyze(AnalysisScope(table: table, options: options,
                                                                  persons: PersonSet.all(table.personCount)))
                let what = "seed \(seed), \(name)"
                XCTAssertGreaterThan(marked.promptTime.count, 20, what)
                XCTAssertEqual(marked.summary, byRow.summary, what)
                XCTAssertEqual(marked.promptTime, byRow.promptTime, what)
                XCTAssertEqual(marked.promptPerson, byRow.promptPerson, what)
                XCTAssertEqual(marked.promptChannel, byRow.promptChannel, what)
                XCTAssertEqual(marked.promptCell, byRow.promptCell, what)
                XCTAssertEqual(marked.promptDelay, byRow.promptDelay, what)
                XCTAssertEqual(marked.dismissalPerson, byRow.dismissalPerson, what)
                XCTAssertEqual(marked.scorePerson, byRow.scorePerson, what)
                XCTAssertEqual(marked.score, byRow.score, what)
            }
        }
    }

    /// Free text over the whole table visits only the rows with a string answer or of a chat name (marked from the
    /// answer columns' present values and the name codes); a filter's pass tests every row. Both give the same
    /// summary on seeded stores with text, numeric and number-text answers, chat messages of customers and of the
    /// shop, and rows of other events.
    func testFreeTextOverMarkedRowsEqualsTheRowByRowPass() {
        let texts = ["Lovely pram, fast delivery", "  ", "7", " 12 ", "Call anna@example.com please", "Great gifts"]
        for seed: UInt64 in 1 ... 6 {
            var rng = SeededRandom(seed: seed)
            var s = Store()
            let t0 = ms(2026, 3, 2)
            for p in 0 ..< 50 {
                for k in 0 ..< rng.int(9) {
                    let t = t0 + Int64(p * 100 + k) * minute
                    switch rng.int(5) {
                    case 0: s.track("u\(p)", t, "Survey Sent", props: [("properties.survey_response", .string(texts[rng.int(texts.count)]))])
                    case 1: s.track("u\(p)", t, "Survey Sent", props: [("properties.survey_response", .number(Double(rng.int(11)))),
                                                                       ("properties.$survey_response", .string(texts[rng.int(texts.count)]))])
                    case 2: s.track("u\(p)", t, ["Live Chat Message Sent", "Live Chat Conversation Started", "Live Chat Message Received"][rng.int(3)],
                                    props: [("properties.message_body", .string(texts[rng.int(texts.count)])),
                                            ("properties.sender", .string(["customer", "Bot", "agent"][rng.int(3)]))])
                    case 3: s.track("u\(p)", t, "Product Viewed", props: [("properties.message", .string("not a chat event"))])
                    default: s.page("u\(p)", t)
                    }
                }
            }
            let table = s.table()
            let options = AnalysisOptions(privacy: .off)
            let marked = FreeTextMetrics.compute(table: table, options: options, persons: nil)
            let byRow = FreeTextMetrics.compute(table: table, options: options, persons: PersonSet.all(table.personCount))
            XCTAssertGreaterThan(marked.answers, 10, "seed \(seed)")
            XCTAssertEqual(marked, byRow, "seed \(seed)")
        }
    }
}
