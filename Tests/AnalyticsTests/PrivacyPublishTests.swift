import XCTest
import EventStore
@testable import Analytics

final class PrivacyPublishTests: XCTestCase {
    /// A report with small and large figures everywhere.
    static func report() -> Report {
        var r = Report()
        r.store.persons = 120
        r.store.malformedLines = [MalformedLineReport(file: "anna@example.com.jsonl", line: 3, reason: "\"timestamp\" is not a valid time")]
        r.consent.persons = 120
        r.consent.categories = [
            CategoryCoverage(name: "Analytics", granted: 100, denied: 17, unknown: 3, coverage: 100.0 / 120),
            CategoryCoverage(name: "Advertising", granted: 2, denied: 60, unknown: 58, coverage: 2.0 / 120),
            CategoryCoverage(name: "Sms", granted: 0, denied: 0, unknown: 120, coverage: 0),
        ]
        var big = LoopStats(channel: "email")
        big.prompts = 40; big.answered = 12; big.responseRate = 0.3; big.personsPrompted = 30; big.personsAnswered = 10
        big.personResponseRate = 1.0 / 3; big.dismissed = 2; big.dismissalRate = 0.05; big.medianSecondsToAnswer = 600
        var small = LoopStats(channel: "sms")
        small.prompts = 6; small.answered = 1; small.responseRate = 1.0 / 6; small.personsPrompted = 3; small.personsAnswered = 1
        small.personResponseRate = 1.0 / 3; small.dismissed = 0; small.dismissalRate = 0; small.medianSecondsToAnswer = 42
        var fewAnswers = LoopStats(channel: "chat", surveyID: "s1")
        fewAnswers.prompts = 50; fewAnswers.answered = 3; fewAnswers.responseRate = 0.06; fewAnswers.personsPrompted = 45
        fewAnswers.personsAnswered = 3; fewAnswers.personResponseRate = 3.0 / 45; fewAnswers.medianSecondsToAnswer = 30
        r.feedback.channels = [big, small]
        r.feedback.surveys = [fewAnswers]
        r.feedback.total = big
        r.feedback.nps = NPSStats.from(promoters: 20, passives: 10, detractors: 2)
        r.feedback.npsByChannel = ["sms": NPSStats.from(promoters: 1, passives: 1, detractors: 1)]
        r.feedback.hourWeekday = [
            HourWeekdayCell(weekday: 1, hour: 9, prompts: 30, answered: 12, responseRate: 0.4),
            HourWeekdayCell(weekday: 1, hour: 10, prompts: 30, answered: 2, responseRate: 2.0 / 30),
            HourWeekdayCell(weekday: 2, hour: 9, prompts: 4, answered: 4, responseRate: 1),
        ]
        r.weekly = [WeekPoint(week: "2026-W10", personsSeen: 3, prompts: 3, answered: 1, responseRate: 1.0 / 3,
                              consentCoverage: ["Analytics": 2.0 / 3]),
                    WeekPoint(week: "2026-W11", personsSeen: 100, prompts: 20, answered: 10, responseRate: 0.5,
                              consentCoverage: ["Analytics": 0.9, "Advertising": 0.02])]
        r.eventNames = [EventNameCount(name: "Refund for bob@example.org", count: 1, known: false)]
        r.segments = [
            SegmentReport(name: "big", rule: "trait email = \"anna@example.com\"", size: 80, share: 80.0 / 120,
                          reachable: ["Analytics": 70, "Advertising": 2], weekly: [SegmentWeek(week: "2026-W10", size: 4),
                                                                                   SegmentWeek(week: "2026-W11", size: 80)],
                          feedback: [small], nps: NPSStats()),
            SegmentReport(name: "tiny", rule: "event \"Order Completed\"", size: 4, share: 4.0 / 120,
                          reachable: ["Analytics": 4, "Advertising": 0], weekly: [], feedback: [], nps: NPSStats()),
        ]
        r.overlap = [SegmentOverlap(a: "big", b: "tiny", size: 3), SegmentOverlap(a: "big", b: "big2", size: 0)]
        r.feedback.freeText.answers = 30
        r.feedback.freeText.persons = 25
        r.feedback.freeText.meanLength = 40
        r.feedback.freeText.medianLength = 38
        r.feedback.freeText.words = [WordCount(word: "pram", persons: 9, count: 11), WordCount(word: "mia", persons: 1, count: 1)]
        return r
    }

    func testCountsOfFewPersonsAreWithheld() {
        let p = Privacy.publish(Self.report(), policy: .standard)
        XCTAssertEqual(p.privacy, PrivacySummary(applied: true, minCohort: 5, piiMasked: true, suppressedValues: p.privacy.suppressedValues))
        XCTAssertEqual(p.store.persons, 120); XCTAssertEqual(p.store.$persons, .shown)

        // Consent: unknown 3 is withheld and takes the smallest other (denied 17) along; coverage stays.
        let analytics = p.consent.categories[0]
        XCTAssertEqual([analytics.$granted, analytics.$denied, analytics.$unknown], [.shown, .complementary, .belowMinimum])
        XCTAssertEqual([analytics.granted, analytics.denied, analytics.unknown], [100, 0, 0])
        XCTAssertEqual(analytics.coverage, 100.0 / 120)
        // Granted 2: withheld with its coverage, and the smallest other (unknown 58) goes along.
        let ads = p.consent.categories[1]
        XCTAssertEqual([ads.$granted, ads.$denied, ads.$unknown, ads.$coverage], [.belowMinimum, .shown, .complementary, .derived])
        XCTAssertNil(ads.coverage)
        // Zeros single nobody out.
        XCTAssertEqual(p.consent.categories[2].$granted, .shown)
        XCTAssertEqual(p.consent.categories[2].$unknown, .shown)

        // Loops: 3 prompted persons hide the whole row.
        let sms = p.feedback.channels[1]
        for mark in [sms.$prompts, sms.$personsPrompted, sms.$answered, sms.$personsAnswered] { XCTAssertTrue(mark.isSuppressed) }
        XCTAssertEqual(sms.$prompts, .derived)                       // 6 prompts are not few themselves
        XCTAssertEqual(sms.$personsPrompted, .belowMinimum)
        XCTAssertNil(sms.medianSecondsToAnswer); XCTAssertNil(sms.responseRate)
        XCTAssertEqual(sms.dismissed, 0); XCTAssertEqual(sms.$dismissed, .derived)
        // 3 answering persons out of 45: answers and the answer time go, prompts stay.
        let s1 = p.feedback.surveys[0]
        XCTAssertEqual(s1.prompts, 50); XCTAssertEqual(s1.personsPrompted, 45)
        XCTAssertEqual([s1.$answered, s1.$personsAnswered, s1.$responseRate, s1.$medianSecondsToAnswer],
                       [.belowMinimum, .belowMinimum, .derived, .derived])
        // The big loop: only 2 dismissals go.
        let email = p.feedback.channels[0]
        XCTAssertEqual(email.answered, 12); XCTAssertEqual(email.personsAnswered, 10); XCTAssertEqual(email.medianSecondsToAnswer, 600)
        XCTAssertEqual([email.$dismissed, email.$dismissalRate], [.belowMinimum, .derived])

        // NPS: 2 detractors → all three parts go, the score and the total stay.
        let nps = p.feedback.nps
        XCTAssertEqual([nps.$promoters, nps.$passives, nps.$detractors], [.complementary, .complementary, .belowMinimum])
        XCTAssertEqual(nps.scored, 32); XCTAssertEqual(nps.nps, 100 * 18.0 / 32)
        // 3 scored: everything goes.
        let smsNPS = p.feedback.npsByChannel["sms"]!
        XCTAssertEqual([smsNPS.$scored, smsNPS.$nps], [.belowMinimum, .derived]); XCTAssertNil(smsNPS.nps)

        // Heatmap cells.
        let cells = p.feedback.hourWeekday
        XCTAssertEqual(cells[0].$answered, .shown)
        XCTAssertEqual([cells[1].$prompts, cells[1].$answered, cells[1].$responseRate], [.shown, .belowMinimum, .derived])
        XCTAssertEqual([cells[2].$prompts, cells[2].$answered, cells[2].$responseRate], [.belowMinimum, .belowMinimum, .derived])

        // Weekly: 3 persons seen hide the week's persons and coverage; 2% of 100 is 2 granted persons.
        XCTAssertEqual(p.weekly[0].$personsSeen, .belowMinimum)
        XCTAssertEqual(p.weekly[0].$consentCoverage["Analytics"], .derived)
        XCTAssertEqual(p.weekly[1].$consentCoverage["Advertising"], .belowMinimum)
        XCTAssertNil(p.weekly[1].$consentCoverage["Analytics"])
        XCTAssertEqual(p.weekly[1].consentCoverage["Analytics"], 0.9)

        // Segments.
        XCTAssertEqual(p.segments[0].$size, .shown)
        XCTAssertEqual(p.segments[0].reachable["Advertising"], 0)
        XCTAssertEqual(p.segments[0].$reachable["Advertising"], .belowMinimum)
        XCTAssertEqual(p.segments[0].weekly[0].$size, .belowMinimum)
        XCTAssertEqual(p.segments[1].$size, .belowMinimum); XCTAssertEqual(p.segments[1].$share, .derived)
        XCTAssertEqual(p.segments[1].$reachable["Analytics"], .belowMinimum)
        XCTAssertNil(p.segments[1].$reachable["Advertising"])
        XCTAssertEqual(p.overlap[0].$size, .belowMinimum)
        XCTAssertEqual(p.overlap[1].$size, .shown)

        // Free text: the word of one person is dropped.
        XCTAssertEqual(p.feedback.freeText.words.map(\.word), ["pram"])
        XCTAssertEqual(p.feedback.freeText.wordsDropped, 1)
    }

    func testPersonalDataIsMaskedUnlessRevealed() {
        let p = Privacy.publish(Self.report(), policy: .standard)
        XCTAssertEqual(p.segments[0].rule, "trait email = \"a•••@example.com\"")
        XCTAssertEqual(p.eventNames[0].name, "Refund for b•••@example.org")
        XCTAssertEqual(p.store.malformedLines[0].file, "a•••@example.com.jsonl")
        let revealed = Privacy.publish(Self.report(), policy: PrivacyPolicy(minCohort: 5, revealPII: true))
        XCTAssertEqual(revealed.segments[0].rule, "trait email = \"anna@example.com\"")
        XCTAssertFalse(revealed.privacy.piiMasked)
        XCTAssertEqual(revealed.segments[1].$size, .belowMinimum)   // revealing PII keeps the cohort guard
    }

    func testMinCohortZeroTurnsSuppressionOff() {
        let raw = Self.report()
        var p = Privacy.publish(raw, policy: PrivacyPolicy(minCohort: 0, revealPII: true))
        XCTAssertEqual(p.privacy.suppressedValues, 0)
        p.privacy = raw.privacy
        XCTAssertEqual(p, raw)
    }

    func testLargerKWithholdsMore() {
        let p = Privacy.publish(Self.report(), policy: PrivacyPolicy(minCohort: 11))
        XCTAssertEqual(p.feedback.channels[0].$personsAnswered, .belowMinimum)     // 10 < 11
        XCTAssertEqual(p.feedback.channels[0].$personsPrompted, .shown)            // 30
        XCTAssertEqual(p.feedback.freeText.words.count, 0)                          // pram: 9 persons
    }

    func testJSONMarksWithheldFiguresAndReadsThemBack() throws {
        let p = Privacy.publish(Self.report(), policy: .standard)
        let json = ReportRenderer.json(p)
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        let segments = object["segments"] as! [[String: Any]]
        XCTAssertEqual(segments[1]["size"] as? NSDictionary, ["suppressed": true, "reason": "below_minimum"])
        XCTAssertEqual(segments[1]["share"] as? NSDictionary, ["suppressed": true, "reason": "derived"])
        XCTAssertEqual((segments[1]["reachable"] as! [String: Any])["Analytics"] as? NSDictionary,
                       ["suppressed": true, "reason": "below_minimum"])
        XCTAssertEqual((segments[1]["reachable"] as! [String: Any])["Advertising"] as? Int, 0)
        XCTAssertEqual(segments[0]["size"] as? Int, 80)
        let privacy = object["privacy"] as! [String: Any]
        XCTAssertEqual(privacy["min_cohort"] as? Int, 5)
        XCTAssertEqual(privacy["pii_masked"] as? Bool, true)
        XCTAssertFalse(json.contains("\"denied\" : 17"))
        XCTAssertFalse(json.contains("anna@"))

        let decoded = try JSONDecoder().decode(Report.self, from: Data(json.utf8))
        XCTAssertTrue(decoded.segments[1].$size.isSuppressed)
        XCTAssertEqual(decoded.segments[1].size, 0)
        XCTAssertTrue(decoded.consent.categories[1].$coverage.isSuppressed)
        XCTAssertEqual(ReportRenderer.json(decoded), json)
    }

    func testTextAndCSVShowTheMarks() {
        let p = Privacy.publish(Self.report(), policy: .standard)
        let text = ReportRenderer.text(p)
        XCTAssertTrue(text.contains("  Analytics        100  hidden       <5     83.3%"), text)
        XCTAssertTrue(text.contains("minimum cohort 5; personal data masked"))
        XCTAssertTrue(text.contains("  tiny       <5  hidden    -  "), text)
        let csv = ReportRenderer.csv(p)
        XCTAssertTrue(csv.contains("segment,tiny,size,<5\n"))
        XCTAssertTrue(csv.contains("consent_category,Analytics,denied,hidden\n"))
        XCTAssertTrue(csv.contains("free_text_word,pram,persons,9\n"))
        XCTAssertFalse(csv.contains("free_text_word,mia"))
        XCTAssertTrue(csv.contains("privacy,,min_cohort,5\n"))
    }

    /// The pass publishes the questions in two concurrent halves and checks the free-text words in a job of its own
    /// (session 7): the published questions keep their order, each is what publishing it alone gives, the withheld
    /// count is the sum over all parts, and the words are filtered and cut as before — for 0 to 7 questions.
    func testQuestionsAndWordsPublishedConcurrentlyAsOneByOne() {
        let policy = PrivacyPolicy(minCohort: 5)
        for count in 0 ... 7 {
            var r = Self.report()
            r.feedback.questions = (0 ..< count).map { i in
                var q = QuestionStats(surveyID: "s\(i)", question: "q for anna@example.com \(i)")
                q.answers = 3 + 4 * i
                q.persons = i % 3 == 0 ? 2 : 10 + i   // some below k: values and details withheld
                q.mean = 4
                q.values = [ValueCount(value: "call me at +44 20 7946 0958", count: 6), ValueCount(value: "rare", count: 1)]
                q.options = [OptionShare(option: "bob@example.org", count: 2, persons: 2, share: 0.2),
                             OptionShare(option: "plenty", declared: true, count: 9, persons: 9, share: 0.9)]
                return q
            }
            r.feedback.freeText.words = (0 ..< 40).map { WordCount(word: $0 % 5 == 0 ? "x\($0)@example.com" : "w\($0)", persons: $0 % 4 + 3, count: 9) }
            let published = Privacy.publish(r, policy: policy)

            var alone = Privacy.Pass(policy: policy)
            let expected = r.feedback.questions.map { alone.published($0) }
            XCTAssertEqual(published.feedback.questions, expected, "\(count) questions")
            var rest = r
            rest.feedback.questions = []
            rest.feedback.freeText.words = []
            var restPass = Privacy.Pass(policy: policy)
            restPass.applyRest(&rest)
            let words = r.feedback.freeText.words.filter { $0.persons >= 5 && PIIMasker.maskText($0.word) == $0.word }
            XCTAssertEqual(published.feedback.freeText.words, Array(words.prefix(Privacy.maxWords)))
            XCTAssertEqual(published.feedback.freeText.wordsDropped, rest.feedback.freeText.wordsDropped + 40 - words.count)
            XCTAssertEqual(published.privacy.suppressedValues, alone.suppressed + restPass.suppressed, "\(count) questions")
            XCTAssertGreaterThan(alone.suppressed, count == 0 ? -1 : 0)
        }
    }
}
