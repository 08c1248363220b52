import EventStore
import XCTest
@testable import Analytics

/// Issue #10's meaning items, on JSON lines as vendors write them, with hand-computed figures:
/// which answers are NPS, PostHog resubmissions and partial responses, Segment's consent event and empty
/// preferences, the missing analytics category, deletion requests, and a shop's own event names.
final class SemanticsTests: XCTestCase {
    /// Parses `lines` exactly as the store reader does (line parser → builder → deletions applied).
    func table(_ lines: [String], schema: FeedbackSchema = .standard) -> EventTable {
        let parser = EventLineParser(selection: FieldSelection.metrics.union(schema.fieldSelection))
        var b = EventTableBuilder()
        for line in lines {
            switch parser.parse(line) {
            case .success(let e): b.add(e)
            case .failure(let e): XCTFail("line not accepted: \(e): \(line)")
            }
        }
        return b.finish().redactingDeletions()
    }

    func options(_ schema: FeedbackSchema = .standard, category: String = "Analytics") -> AnalysisOptions {
        AnalysisOptions(analyticsCategory: category, privacy: .off, feedback: schema)
    }

    func track(_ user: String, _ time: String, _ event: String, _ props: String = "{}", context: String = "{}",
               id: String? = nil) -> String {
        let mid = id.map { ",\"messageId\":\"\($0)\"" } ?? ""
        return "{\"type\":\"track\",\"userId\":\"\(user)\",\"timestamp\":\"\(time)\",\"event\":\"\(event)\"\(mid),"
            + "\"properties\":\(props),\"context\":\(context)}"
    }

    // MARK: Item 10: which answers are NPS

    func testRatingSurveysAreNotNPSWhenDeclared() {
        let lines = [
            // A 1–5 rating of 2 (not a detractor), a thumbs-up 1, and a real NPS 2 (a detractor).
            track("u1", "2026-01-01T10:00:00Z", "Survey Sent", #"{"survey_id":"csat","score":2}"#),
            track("u2", "2026-01-01T10:00:00Z", "Survey Sent", #"{"survey_id":"thumbs","score":1}"#),
            track("u3", "2026-01-01T10:00:00Z", "Survey Sent", #"{"survey_id":"nps","score":2}"#),
            // Undeclared survey: today's rule (every 0–10 score counts): a promoter.
            track("u4", "2026-01-01T10:00:00Z", "Survey Sent", #"{"survey_id":"other","score":10}"#),
        ]
        var schema = FeedbackSchema.standard
        schema.catalog = SurveyCatalog(surveys: [
            "csat": CatalogSurvey(questions: [CatalogQuestion(id: "q", type: .rating(scale: 5))]),
            "thumbs": CatalogSurvey(questions: [CatalogQuestion(id: "q", type: .rating(scale: 2))]),
            "nps": CatalogSurvey(questions: [CatalogQuestion(id: "q", type: .nps), CatalogQuestion(id: "why", type: .open)]),
        ])
        let f = FeedbackMetrics.compute(table: table(lines, schema: schema), options: options(schema))
        XCTAssertEqual(f.nps.scored, 2)
        XCTAssertEqual(f.nps.detractors, 1)
        XCTAssertEqual(f.nps.promoters, 1)
        XCTAssertEqual(f.nps.nps, 0)             // 100 × (1 − 1) / 2
        XCTAssertNil(f.npsBySurvey["csat"])
        XCTAssertEqual(f.npsBySurvey["nps"]?.detractors, 1)
        XCTAssertEqual(f.responses, 4)           // every answer is still a response
        // Without the catalog, all four scores count (the rule before declarations): 2 promoters… no: 1 promoter, 3 detractors.
        let plain = FeedbackMetrics.compute(table: table(lines), options: options())
        XCTAssertEqual(plain.nps.scored, 4)
        XCTAssertEqual(plain.nps.detractors, 3)
    }

    func testSurveyTypeOnTheAnswerOrItsPromptDecides() {
        let lines = [
            track("u1", "2026-01-01T10:00:00Z", "Survey Shown", #"{"survey_id":"a","survey_type":"rating"}"#),
            track("u1", "2026-01-01T10:01:00Z", "Survey Sent", #"{"survey_id":"a","score":3}"#),
            track("u2", "2026-01-01T10:00:00Z", "Survey Shown", #"{"survey_id":"b","survey_type":"NPS"}"#),
            track("u2", "2026-01-01T10:01:00Z", "Survey Sent", #"{"survey_id":"b","score":3}"#),
            track("u3", "2026-01-01T10:01:00Z", "Survey Sent", #"{"survey_id":"c","score":9,"survey_type":"emoji"}"#),
        ]
        let f = FeedbackMetrics.compute(table: table(lines), options: options())
        XCTAssertEqual(f.nps.scored, 1)          // only survey b's 3
        XCTAssertEqual(f.nps.detractors, 1)
        XCTAssertEqual(f.npsBySurvey.keys.sorted(), ["b"])
    }

    // MARK: Item 9: PostHog resubmissions and partial responses

    func testPostHogResubmissionCountsOnce() {
        // PostHog's own case: a person who submits "2" twice with one submission id is one detractor, not two.
        let props = #"{"$survey_id":"s","$survey_response":"2","$survey_submission_id":"sub-1"}"#
        let lines = [
            track("p1", "2026-01-01T10:00:00Z", "survey shown", #"{"$survey_id":"s"}"#),
            track("p1", "2026-01-01T10:01:00Z", "survey sent", props),
            track("p1", "2026-01-01T10:02:00Z", "survey sent", props),
            // Another submission of the same person counts on its own.
            track("p1", "2026-01-02T10:02:00Z", "survey sent", #"{"$survey_id":"s","$survey_response":"10","$survey_submission_id":"sub-2"}"#),
        ]
        let f = FeedbackMetrics.compute(table: table(lines), options: options())
        XCTAssertEqual(f.responses, 2)
        XCTAssertEqual(f.nps.scored, 2)
        XCTAssertEqual(f.nps.detractors, 1)
        XCTAssertEqual(f.nps.promoters, 1)
        XCTAssertEqual(f.total.answered, 1)
    }

    func testPartialResponseIsSupersededByTheCompleteOne() {
        let lines = [
            track("p1", "2026-01-01T10:01:00Z", "survey sent",
                  #"{"$survey_id":"s","$survey_response":"4","$survey_submission_id":"x","$survey_completed":false}"#),
            track("p1", "2026-01-01T10:03:00Z", "survey sent",
                  #"{"$survey_id":"s","$survey_response":"9","$survey_submission_id":"x","$survey_completed":true}"#),
        ]
        let f = FeedbackMetrics.compute(table: table(lines), options: options())
        XCTAssertEqual(f.responses, 1)
        XCTAssertEqual(f.nps.promoters, 1)
        XCTAssertEqual(f.nps.detractors, 0)
    }

    // MARK: Own event names, fields and channel names

    func testShopOwnNamesFieldsAndChannels() {
        var schema = FeedbackSchema.standard
        schema.promptEvents = ["Survey shown"]
        schema.answerEvents = ["Survey completed"]
        schema.dismissalEvents = ["Survey dismissed"]
        schema.surveyIDFields = ["properties.campaign"]
        schema.channelFields = ["properties.medium"]
        schema.scoreFields = ["properties.rating"]
        schema.channelNames = ["text": "sms"]
        let lines = [
            track("u1", "2026-01-01T10:00:00Z", "Survey shown", #"{"campaign":"c1","medium":"text"}"#),
            track("u1", "2026-01-01T11:00:00Z", "Survey completed", #"{"campaign":"c1","rating":7}"#),
            track("u2", "2026-01-01T10:00:00Z", "Survey shown", #"{"campaign":"c1","medium":"email"}"#),
            track("u2", "2026-01-01T10:05:00Z", "Survey dismissed", #"{"campaign":"c1"}"#),
            // The built-in names mean nothing with this configuration.
            track("u3", "2026-01-01T10:00:00Z", "Survey Shown", #"{"survey_id":"c1","channel":"chat"}"#),
        ]
        let f = FeedbackMetrics.compute(table: table(lines, schema: schema), options: options(schema))
        XCTAssertEqual(f.total.prompts, 2)
        XCTAssertEqual(f.total.answered, 1)
        XCTAssertEqual(f.total.dismissed, 1)
        XCTAssertEqual(f.channels.map(\.channel), ["email", "sms"])
        XCTAssertEqual(f.channels.first { $0.channel == "sms" }?.answered, 1)
        XCTAssertEqual(f.channels.first { $0.channel == "email" }?.dismissed, 1)
        XCTAssertEqual(f.surveys.map { $0.surveyID }, ["c1"])
        XCTAssertEqual(f.nps.passives, 1)
        XCTAssertEqual(f.npsByChannel["sms"]?.scored, 1)
    }

    // MARK: Item 5: Segment consent semantics

    func testConsentPreferenceUpdatedIsNeverAuditedButUpdatesState() {
        let denied = #"{"consent":{"categoryPreferences":{"Analytics":false}}}"#
        let granted = #"{"consent":{"categoryPreferences":{"Analytics":true}}}"#
        let lines = [
            // u1 revokes: the consent event itself is not "collected without consent"; the page after it is.
            track("u1", "2026-01-01T10:00:00Z", "Product Viewed", "{}", context: granted),
            track("u1", "2026-01-01T10:01:00Z", "Segment Consent Preference Updated", "{}", context: denied),
            track("u1", "2026-01-01T10:02:00Z", "Product Viewed"),
            // u2's first event is the consent event: not "consent unknown" either.
            track("u2", "2026-01-01T10:00:00Z", "Segment Consent Preference Updated", "{}", context: granted),
            track("u2", "2026-01-01T10:01:00Z", "Product Viewed"),
        ]
        let c = ConsentMetrics.compute(table: table(lines), options: options())
        XCTAssertEqual(c.events, 5)
        XCTAssertEqual(c.eventsWithoutConsent, 1)   // u1's last Product Viewed (inherits the denial)
        XCTAssertEqual(c.eventsConsentUnknown, 0)
        let analytics = c.categories.first { $0.name == "Analytics" }
        XCTAssertEqual(analytics?.granted, 1)       // u2
        XCTAssertEqual(analytics?.denied, 1)        // u1, from the consent event's own preferences
    }

    func testEmptyCategoryPreferencesDenyEveryCategory() {
        let lines = [
            track("u1", "2026-01-01T10:00:00Z", "Product Viewed", "{}",
                  context: #"{"consent":{"categoryPreferences":{"Analytics":true,"Advertising":true}}}"#),
            track("u1", "2026-01-01T10:01:00Z", "Product Viewed", "{}", context: #"{"consent":{"categoryPreferences":{}}}"#),
            // A category first seen later (on another person) is denied for u1 too: Segment sets every category false.
            track("u2", "2026-01-01T10:02:00Z", "Product Viewed", "{}",
                  context: #"{"consent":{"categoryPreferences":{"Analytics":true,"SmsMarketing":true}}}"#),
            // An event without any consent object changes nothing.
            track("u2", "2026-01-01T10:03:00Z", "Product Viewed", "{}", context: #"{"consent":{}}"#),
        ]
        let t = table(lines)
        let c = ConsentMetrics.compute(table: t, options: options())
        XCTAssertEqual(c.eventsWithoutConsent, 1)   // u1's second event carries Analytics denied
        let states = ConsentStates(table: t)
        let u1 = t.personID.firstIndex { t.strings[$0] == "u1" }!
        XCTAssertEqual(states.state(person: u1, category: "Analytics"), .denied)
        XCTAssertEqual(states.state(person: u1, category: "Advertising"), .denied)
        XCTAssertEqual(states.state(person: u1, category: "SmsMarketing"), .denied)
        let u2 = t.personID.firstIndex { t.strings[$0] == "u2" }!
        XCTAssertEqual(states.state(person: u2, category: "Analytics"), .granted)
        XCTAssertEqual(states.state(person: u2, category: "Advertising"), .unknown)
    }

    // MARK: Item 4: the analytics category is absent

    func testNoteWhenTheAnalyticsCategoryIsOnNoEvent() {
        let lines = [track("u1", "2026-01-01T10:00:00Z", "Product Viewed", "{}",
                           context: #"{"consentManagement":{"allowedConsentIds":["C0001","C0002"],"deniedConsentIds":["C0004"]}}"#)]
        let c = ConsentMetrics.compute(table: table(lines), options: options())
        XCTAssertEqual(c.eventsConsentUnknown, 1)
        let note = try? XCTUnwrap(c.analyticsCategoryNote)
        XCTAssertTrue(note?.contains("\"Analytics\"") == true)
        XCTAssertTrue(note?.contains("C0001, C0002, C0004") == true)
        XCTAssertTrue(note?.contains("--analytics-category") == true)
        XCTAssertTrue(note?.contains("analytics_category") == true)
        // Named right, there is no note.
        let named = ConsentMetrics.compute(table: table(lines), options: options(category: "C0002"))
        XCTAssertNil(named.analyticsCategoryNote)
        XCTAssertEqual(named.eventsConsentUnknown, 0)
        // The text report says it too.
        var report = Report()
        report.consent = c
        XCTAssertTrue(ReportRenderer.text(report).contains("note: no event carries the analytics category \"Analytics\""))
    }

    // MARK: Item 6: deletions

    func testDeletedPersonCountsInNoFigure() {
        let granted = #"{"consent":{"categoryPreferences":{"Analytics":true}}}"#
        let lines = [
            "{\"type\":\"identify\",\"userId\":\"gone\",\"anonymousId\":\"a-1\",\"timestamp\":\"2026-01-01T09:00:00Z\",\"traits\":{\"email\":\"x@example.com\"}}",
            track("gone", "2026-01-01T10:00:00Z", "Survey Shown", #"{"survey_id":"s","channel":"email"}"#, context: granted),
            track("gone", "2026-01-01T10:05:00Z", "Survey Sent", #"{"survey_id":"s","score":0}"#),
            "{\"type\":\"page\",\"anonymousId\":\"a-1\",\"timestamp\":\"2026-01-01T10:06:00Z\",\"name\":\"Home\"}",
            "{\"type\":\"delete\",\"userId\":\"gone\",\"messageId\":\"d-1\",\"timestamp\":\"2026-01-02T00:00:00Z\",\"context\":{}}",
            track("stays", "2026-01-01T10:00:00Z", "Survey Shown", #"{"survey_id":"s","channel":"email"}"#, context: granted),
            track("stays", "2026-01-01T10:05:00Z", "Survey Sent", #"{"survey_id":"s","score":10}"#),
        ]
        let t = table(lines)
        XCTAssertEqual(t.personCount, 1)
        XCTAssertEqual(t.count, 2)
        XCTAssertEqual(t.stats.deletedPersons, 1)
        XCTAssertEqual(t.stats.deletedEvents, 5)    // identify, prompt, answer, the anonymous page, the delete
        XCTAssertEqual(t.stats.events, 2)
        XCTAssertTrue(t.traitKey.isEmpty)
        let r = Analysis.report(table: t, program: nil, options: options())
        XCTAssertEqual(r.store.persons, 1)
        XCTAssertEqual(r.store.deletedPersons, 1)
        XCTAssertEqual(r.store.deletedEvents, 5)
        XCTAssertEqual(r.feedback.total.prompts, 1)
        XCTAssertEqual(r.feedback.nps.scored, 1)
        XCTAssertEqual(r.feedback.nps.nps, 100)
        XCTAssertTrue(ReportRenderer.text(r).contains("deleted on request"))
        XCTAssertFalse(ReportRenderer.json(r).contains("gone"))
    }

    func testEventsAfterTheDeletionStayAndDeletionWithoutTimeRemovesAll() {
        let lines = [
            track("u", "2026-01-01T10:00:00Z", "Product Viewed"),
            "{\"type\":\"delete\",\"userId\":\"u\",\"timestamp\":\"2026-01-02T00:00:00Z\"}",
            track("u", "2026-01-03T10:00:00Z", "Product Viewed"),
            track("v", "2026-01-01T10:00:00Z", "Product Viewed"),
            track("v", "2026-01-05T10:00:00Z", "Product Viewed"),
            "{\"type\":\"delete\",\"userId\":\"v\"}",
            // A deletion request for someone the store never saw: removed, but no person was deleted.
            "{\"type\":\"delete\",\"userId\":\"stranger\",\"timestamp\":\"2026-01-02T00:00:00Z\"}",
        ]
        let t = table(lines)
        XCTAssertEqual(t.personCount, 1)
        XCTAssertEqual(t.count, 1)
        XCTAssertEqual(t.strings[t.personID[0]], "u")
        XCTAssertEqual(t.time[0], try ISO8601Time.milliseconds("2026-01-03T10:00:00Z"))
        XCTAssertEqual(t.stats.deletedPersons, 2)
        XCTAssertEqual(t.stats.deletedEvents, 6)
    }

    // MARK: Item 9: every question's answer

    /// A three-question PostHog survey as posthog-js writes it: question-id keys plus the old index keys with the
    /// same answers, `$survey_questions`, a multiple-choice array; the NPS question is the second one.
    func postHogAnswer(_ user: String, _ time: String, open: String, nps: Int, choices: [String], submission: String) -> String {
        let list = choices.map { "\"\($0)\"" }.joined(separator: ",")
        return track(user, time, "survey sent", """
            {"$survey_id":"s","$survey_response":"\(open)","$survey_response_1":\(nps),"$survey_response_2":[\(list)],            "$survey_response_qopen":"\(open)","$survey_response_qnps":\(nps),"$survey_response_qmulti":[\(list)],            "$survey_questions":[{"id":"qopen","question":"Why?"},{"id":"qnps","question":"Recommend?"},{"id":"qmulti","question":"Used?"}],            "$survey_submission_id":"\(submission)"}
            """)
    }

    func testEveryQuestionIsReadOnceAndNPSComesFromTheNPSQuestion() {
        let lines = [
            postHogAnswer("a", "2026-01-01T10:00:00Z", open: "Fast delivery, call me at +49 151 1234567", nps: 9,
                          choices: ["Gift wrap", "Express"], submission: "1"),
            postHogAnswer("b", "2026-01-01T10:00:00Z", open: "ok", nps: 3, choices: ["Express"], submission: "2"),
            // b resubmits the same submission: only the latest counts.
            postHogAnswer("b", "2026-01-01T10:05:00Z", open: "ok", nps: 6, choices: ["Express"], submission: "2"),
            postHogAnswer("c", "2026-01-01T10:00:00Z", open: "meh", nps: 10, choices: [], submission: "3"),
        ]
        var schema = FeedbackSchema.standard
        schema.catalog = SurveyCatalog(surveys: ["s": CatalogSurvey(name: "Checkout", questions: [
            CatalogQuestion(id: "qopen", text: "Why?", type: .open),
            CatalogQuestion(id: "qnps", text: "Recommend?", type: .nps),
            CatalogQuestion(id: "qmulti", text: "Used?", type: .multipleChoice(options: ["Gift wrap", "Express"])),
        ])])
        let t = table(lines, schema: schema)
        let f = FeedbackMetrics.compute(table: t, options: options(schema))
        // NPS from the second question (9, 6, 10), not from `$survey_response` (the open text, never a score).
        XCTAssertEqual(f.nps.scored, 3)
        XCTAssertEqual(f.nps.promoters, 2)
        XCTAssertEqual(f.nps.detractors, 1)
        let q = Dictionary(uniqueKeysWithValues: f.questions.map { ($0.question, $0) })
        XCTAssertEqual(q.keys.sorted(), ["qmulti", "qnps", "qopen"])   // the index keys are not questions of their own
        XCTAssertEqual(q["qnps"]?.answers, 3)
        XCTAssertEqual(q["qnps"]?.persons, 3)
        XCTAssertEqual(q["qnps"]?.type, "nps")
        XCTAssertEqual(q["qnps"]?.text, "Recommend?")
        XCTAssertEqual(q["qnps"]?.mean, 25.0 / 3)
        XCTAssertEqual(q["qnps"]?.values, [ValueCount(value: "6", count: 1), ValueCount(value: "9", count: 1),
                                           ValueCount(value: "10", count: 1)])
        XCTAssertEqual(q["qmulti"]?.answers, 2)                     // c chose nothing
        XCTAssertEqual(q["qmulti"]?.values, [ValueCount(value: "Express", count: 2), ValueCount(value: "Gift wrap", count: 1)])
        XCTAssertEqual(q["qopen"]?.answers, 3)
        XCTAssertEqual(q["qopen"]?.values, [])                       // free text is never listed
        XCTAssertNil(q["qopen"]?.mean)

        // Without a catalog: legacy-free id keys name the questions; numbers are listed, text is not.
        let plain = FeedbackMetrics.compute(table: table(lines), options: options())
        let p = Dictionary(uniqueKeysWithValues: plain.questions.map { ($0.question, $0) })
        XCTAssertEqual(p.keys.sorted(), ["qmulti", "qnps", "qopen"])
        XCTAssertNil(p["qnps"]?.type)
        XCTAssertEqual(p["qnps"]?.values.count, 3)
        XCTAssertEqual(p["qmulti"]?.values, [])
        // Without a declaration, the score is `$survey_response` as before: free text, so nothing is scored.
        XCTAssertEqual(plain.nps.scored, 0)

        // Published with k = 2: values given once are withheld, the open text never appears.
        var policy = PrivacyPolicy.standard
        policy.minCohort = 2
        let published = Analysis.report(table: t, program: nil,
                                        options: AnalysisOptions(privacy: policy, feedback: schema))
        let pm = published.feedback.questions.first { $0.question == "qmulti" }
        XCTAssertEqual(pm?.values, [ValueCount(value: "Express", count: 2)])
        XCTAssertEqual(published.feedback.questions.first { $0.question == "qnps" }?.values, [])
        XCTAssertFalse(ReportRenderer.json(published).contains("1234567"))
        XCTAssertTrue(ReportRenderer.text(published).contains("QUESTIONS"))
    }

    func testLegacyIndexKeysWithoutQuestionIDs() {
        // Older posthog-js: `$survey_response` and `$survey_response_1` only; the catalog names the questions.
        let lines = [
            track("a", "2026-01-01T10:00:00Z", "survey sent", #"{"$survey_id":"s","$survey_response":"Great","$survey_response_1":"8"}"#),
            track("b", "2026-01-01T10:00:00Z", "survey sent", #"{"$survey_id":"t","$survey_response":4}"#),
        ]
        var schema = FeedbackSchema.standard
        schema.catalog = SurveyCatalog(surveys: ["s": CatalogSurvey(questions: [
            CatalogQuestion(id: "why", type: .open), CatalogQuestion(id: "score", type: .nps),
        ])])
        let f = FeedbackMetrics.compute(table: table(lines, schema: schema), options: options(schema))
        XCTAssertEqual(f.questions.map { $0.surveyID + "/" + $0.question }, ["s/score", "s/why", "t/#1"])
        XCTAssertEqual(f.nps.scored, 2)                  // s: 8 from its NPS question; t undeclared: 4 as before
        XCTAssertEqual(f.npsBySurvey["s"]?.passives, 1)
        XCTAssertEqual(f.npsBySurvey["t"]?.detractors, 1)
    }

    func testConfiguredAnswerFieldIsAQuestion() {
        var schema = FeedbackSchema.standard
        schema.answerFields = ["properties.survey_response", "properties.answers"]
        schema.catalog = SurveyCatalog(surveys: ["s": CatalogSurvey(questions: [
            CatalogQuestion(id: "answers", text: "What do you buy?", type: .multipleChoice(options: ["toys", "books"])),
        ])])
        let lines = [
            track("a", "2026-01-01T10:00:00Z", "Survey Sent", #"{"survey_id":"s","answers":["toys","books"],"survey_response":"free"}"#),
            track("b", "2026-01-01T10:00:00Z", "Survey Sent", #"{"survey_id":"s","answers":"toys"}"#),
        ]
        let f = FeedbackMetrics.compute(table: table(lines, schema: schema), options: options(schema))
        XCTAssertEqual(f.questions.count, 1)                 // the built-in survey_response stays free text only
        XCTAssertEqual(f.questions.first?.question, "answers")
        XCTAssertEqual(f.questions.first?.type, "multiple_choice")
        XCTAssertEqual(f.questions.first?.answers, 2)
        XCTAssertEqual(f.questions.first?.values, [ValueCount(value: "books", count: 1), ValueCount(value: "toys", count: 2)])
    }

    /// SatisMeter through RudderStack's SatisMeter source (rudder-transformer
    /// test/integrations/sources/satismeter/data.ts, ISC per its package.json; trimmed): the answers are a list of objects.
    func testSatisMeterAnswersListThroughTheConfiguration() throws {
        let line = #"{"event":"Survey completed","anonymousId":"63766fbb7ac7b72676145338","context":{"campaign":{"id":"6373271b764986ebee62bfca","name":"NPS Survey"},"integration":{"name":"SATISMETER"}},"type":"track","userId":"No response","originalTimestamp":"2022-11-17T17:51:21.764Z","properties":{"category":"detractor","answers":[{"label":"How likely are you to recommend us to your friends and colleagues?","id":"7ddb22b0-64a8-11ed-a4c7-b3bed73771cd","value":5,"name":"SM_rating","type":"scale","metric":"nps"},{"label":"What could we do to improve?","id":"7ddb22b1-64a8-11ed-a4c7-b3bed73771cd","value":"Many things to imporve\n","name":"SM_comment","type":"long-text"},{"label":"The company made it easy for me to handle my issue.","id":"1dc53f60-66a0-11ed-856c-6f39711bf041","value":4,"name":null,"type":"scale","metric":"ces"},{"label":"Your Name (Single Answer)","id":"37a8c000-66a0-11ed-856c-6f39711bf041","value":"a","type":"single-choice"},{"label":"Your Name (Multiple Answer)","id":"4b435da0-66a0-11ed-856c-6f39711bf041","value":["a1","b1"],"type":"multiple-choice"}],"surveyDismissed":false,"surveyPending":false,"receivedAt":"2022-11-17T17:51:21.764Z"}}"#
        var schema = FeedbackSchema.standard
        schema.promptEvents = []
        schema.answerEvents = ["Survey completed"]
        schema.dismissalEvents = ["Survey dismissed"]
        schema.surveyIDFields = ["context.campaign.id"]
        schema.answerFields = ["properties.answers"]
        schema.catalog = SurveyCatalog(surveys: ["6373271b764986ebee62bfca": CatalogSurvey(name: "NPS Survey", questions: [
            CatalogQuestion(id: "7ddb22b0-64a8-11ed-a4c7-b3bed73771cd", type: .nps),
            CatalogQuestion(id: "7ddb22b1-64a8-11ed-a4c7-b3bed73771cd", type: .open),
            CatalogQuestion(id: "1dc53f60-66a0-11ed-856c-6f39711bf041", type: .rating(scale: 7)),
            CatalogQuestion(id: "37a8c000-66a0-11ed-856c-6f39711bf041", type: .singleChoice(options: ["a", "b"])),
            CatalogQuestion(id: "4b435da0-66a0-11ed-856c-6f39711bf041", type: .multipleChoice(options: ["a1", "b1"])),
        ])])
        let f = FeedbackMetrics.compute(table: table([line], schema: schema), options: options(schema))
        XCTAssertEqual(f.responses, 1)
        XCTAssertEqual(f.nps.scored, 1)                 // the NPS question's 5: a detractor
        XCTAssertEqual(f.nps.detractors, 1)
        let q = Dictionary(uniqueKeysWithValues: f.questions.map { ($0.question, $0) })
        XCTAssertEqual(q.count, 5)
        XCTAssertEqual(q["1dc53f60-66a0-11ed-856c-6f39711bf041"]?.mean, 4)
        XCTAssertEqual(q["1dc53f60-66a0-11ed-856c-6f39711bf041"]?.type, "rating")
        XCTAssertEqual(q["4b435da0-66a0-11ed-856c-6f39711bf041"]?.values,
                       [ValueCount(value: "a1", count: 1), ValueCount(value: "b1", count: 1)])
        XCTAssertEqual(q["37a8c000-66a0-11ed-856c-6f39711bf041"]?.values, [ValueCount(value: "a", count: 1)])
        XCTAssertEqual(q["7ddb22b1-64a8-11ed-a4c7-b3bed73771cd"]?.values, [])
    }
}
