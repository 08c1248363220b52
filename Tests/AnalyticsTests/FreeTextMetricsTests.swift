import XCTest
import EventStore
@testable import Analytics

final class FreeTextMetricsTests: XCTestCase {
    /// Six persons answer; u1 twice. Messages to the customer, a bot's message and a score are not free text.
    static func table() -> EventTable {
        var s = Store()
        let t0 = ms(2026, 3, 2, 9)
        func answer(_ u: String, _ i: Int64, _ text: String) {
            s.track(u, t0 + i * minute, "Survey Sent", props: [("properties.survey_id", .string("open")),
                                                                ("properties.survey_response", .string(text))])
        }
        answer("u1", 0, "Lovely pram, my niece Mia adores it")
        answer("u1", 1, "pram arrived late")
        answer("u2", 2, "The pram is great, mail me: anna@example.com")
        answer("u3", 3, "Great pram")
        answer("u4", 4, "great service")
        s.track("u5", t0 + 5 * minute, "Live Chat Message Sent",
                props: [("properties.message_body", .string("Where is my pram? Call +49 170 1234512"))])
        s.track("u6", t0 + 6 * minute, "Live Chat Message Received",
                props: [("properties.message_body", .string("Which pram do you like?"))])
        s.track("u6", t0 + 6 * minute, "Live Chat Message Sent",
                props: [("properties.message", .string("Which pram do you like?")), ("properties.sender", .string("bot"))])
        s.track("u6", t0 + 7 * minute, "Survey Sent", props: [("properties.survey_response", .string("9"))])
        s.track("u6", t0 + 8 * minute, "Survey Sent", props: [("properties.survey_response", .string("pram is ok"))])
        return s.table()
    }

    func testAggregate() {
        let f = FreeTextMetrics.compute(table: Self.table(), options: AnalysisOptions())
        XCTAssertEqual(f.answers, 7)
        XCTAssertEqual(f.persons, 6)
        let lengths = [35, 17, 44, 10, 13, 38, 10]
        XCTAssertEqual(f.meanLength!, Double(lengths.reduce(0, +)) / 7, accuracy: 1e-9)
        XCTAssertEqual(f.medianLength, 17)
        let byWord = Dictionary(uniqueKeysWithValues: f.words.map { ($0.word, $0) })
        XCTAssertEqual(byWord["pram"], WordCount(word: "pram", persons: 5, count: 6))
        XCTAssertEqual(byWord["great"], WordCount(word: "great", persons: 3, count: 3))
        XCTAssertEqual(f.words.first?.word, "pram")
        // Masked personal data never becomes a word; names introduced by a cue neither.
        XCTAssertNil(byWord["mia"]); XCTAssertNil(byWord["anna"]); XCTAssertNil(byWord["example"])
        XCTAssertNil(byWord["the"])                                    // stop word
        XCTAssertNil(byWord["like"])                                   // only the bot said it
    }

    func testPublishedWordsNeedFivePersons() {
        var r = Report()
        r.feedback.freeText = FreeTextMetrics.compute(table: Self.table(), options: AnalysisOptions())
        let p = Privacy.publish(r, policy: .standard)
        XCTAssertEqual(p.feedback.freeText.words, [WordCount(word: "pram", persons: 5, count: 6)])
        XCTAssertEqual(p.feedback.freeText.persons, 6)
        let strict = Privacy.publish(r, policy: PrivacyPolicy(minCohort: 7))
        XCTAssertEqual(strict.feedback.freeText.$persons, .belowMinimum)
        XCTAssertEqual(strict.feedback.freeText.$medianLength, .derived)
        XCTAssertTrue(strict.feedback.freeText.words.isEmpty)
    }

    func testWords() {
        XCTAssertEqual(FreeTextMetrics.words("It's GREAT: size-12 pram, don't a•••@x.de"), ["great", "pram"])
        XCTAssertEqual(FreeTextMetrics.words("Kinderwagen für Lea’s Bruder"), ["kinderwagen", "lea's", "bruder"])
    }
}
