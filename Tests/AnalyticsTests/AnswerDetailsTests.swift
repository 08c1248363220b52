import EventStore
import XCTest
@testable import Analytics

/// Issue #15 §1 and the question funnel: per-question distributions, themes, weekly series, on JSON lines with
/// hand-computed figures (docs/DEFINITIONS.md, "Answers", "Themes", "Question funnel").
final class AnswerDetailsTests: XCTestCase {
    func table(_ lines: [String], schema: FeedbackSchema) -> EventTable {
        let parser = EventLineParser(selection: FieldSelection.metrics.union(schema.fieldSelection))
        var b = EventTableBuilder()
        for line in lines {
            switch parser.parse(line) {
            case .success(let e): b.add(e)
            case .failure(let e): XCTFail("line not accepted: \(e): \(line)")
            }
        }
        return b.finish()
    }

    func track(_ user: String, _ time: String, _ event: String, _ props: String) -> String {
        "{\"type\":\"track\",\"userId\":\"\(user)\",\"timestamp\":\"\(time)\",\"event\":\"\(event)\",\"properties\":\(props)}"
    }

    func prompt(_ user: String, _ time: String, _ survey: String) -> String {
        track(user, time, "Survey Shown", #"{"survey_id":"\#(survey)","channel":"chat"}"#)
    }

    func answer(_ user: String, _ time: String, _ survey: String, _ answers: String) -> String {
        track(user, time, "Survey Sent", #"{"survey_id":"\#(survey)","channel":"chat","answers":\#(answers)}"#)
    }

    var scriptSchema: FeedbackSchema {
        var s = FeedbackSchema.standard
        s.answerFields.append("properties.answers")
        s.catalog = SurveyCatalog(surveys: ["next_birthday": CatalogSurvey(name: "Next birthday", questions: [
            CatalogQuestion(id: "q1", text: "Who is the next birthday on your list?",
                            type: .singleChoice(options: ["spouse", "parent", "sibling", "child"])),
            CatalogQuestion(id: "q2", text: "How happy are you with our gift ideas?", type: .rating(scale: 5)),
            CatalogQuestion(id: "q3", text: "What are you looking for?", type: .multipleChoice(options: ["A", "B", "C"])),
        ])])
        return s
    }

    /// Five persons prompted; a, b, c (week 2026-W02) and e (W03) answer, d does not.
    var scriptLines: [String] {
        [
            prompt("a", "2026-01-05T10:00:00Z", "next_birthday"),
            answer("a", "2026-01-05T10:01:00Z", "next_birthday",
                   #"[{"id":"q1","value":"child"},{"id":"q2","value":4},{"id":"q3","value":["A","B"]}]"#),
            prompt("b", "2026-01-06T10:00:00Z", "next_birthday"),
            answer("b", "2026-01-06T10:01:00Z", "next_birthday", #"[{"id":"q1","value":"Child "},{"id":"q2","value":"5"}]"#),
            prompt("c", "2026-01-07T10:00:00Z", "next_birthday"),
            answer("c", "2026-01-07T10:01:00Z", "next_birthday", #"[{"id":"q1","value":"spouse"}]"#),
            prompt("d", "2026-01-07T11:00:00Z", "next_birthday"),
            prompt("e", "2026-01-12T10:00:00Z", "next_birthday"),
            answer("e", "2026-01-12T10:01:00Z", "next_birthday",
                   #"[{"id":"q1","value":"child"},{"id":"q2","value":2},{"id":"q3","value":["B"]}]"#),
        ]
    }

    func testChoiceRatingAndMultipleChoiceQuestions() throws {
        let schema = scriptSchema
        let f = FeedbackMetrics.compute(table: table(scriptLines, schema: schema),
                                        options: AnalysisOptions(privacy: .off, feedback: schema))
        let q = Dictionary(uniqueKeysWithValues: f.questions.map { ($0.key, $0) })
        let q1 = try XCTUnwrap(q["next_birthday/q1"])
        XCTAssertEqual(q1.position, 1)
        XCTAssertEqual(q1.persons, 4)
        // "Child " is the catalog's "child" (case and spaces folded); options without answers are listed with 0.
        XCTAssertEqual(q1.options.map(\.option), ["child", "spouse", "parent", "sibling"])
        XCTAssertEqual(q1.options.map(\.persons), [3, 1, 0, 0])
        XCTAssertEqual(q1.options.map(\.share), [0.75, 0.25, 0, 0])
        XCTAssertEqual(q1.options.map(\.declared), [true, true, true, true])
        XCTAssertEqual(q1.topOption, "child")
        XCTAssertEqual(q1.weekly.map(\.week), ["2026-W02", "2026-W03"])
        XCTAssertEqual(q1.weekly.map(\.answers), [3, 1])
        XCTAssertEqual(q1.weekly.map(\.topShare), [2.0 / 3, 1])

        let q2 = try XCTUnwrap(q["next_birthday/q2"])
        XCTAssertEqual(q2.histogram.map(\.value), [1, 2, 3, 4, 5])
        XCTAssertEqual(q2.histogram.map(\.count), [0, 1, 0, 1, 1])
        XCTAssertEqual(q2.mean, 11.0 / 3)
        XCTAssertTrue(q2.options.isEmpty)

        let q3 = try XCTUnwrap(q["next_birthday/q3"])
        XCTAssertEqual(q3.persons, 2)
        XCTAssertEqual(q3.options.map(\.option), ["B", "A", "C"])
        XCTAssertEqual(q3.options.map(\.share), [1, 0.5, 0])

        // Funnel: asked 5 (prompted) → answered 4; asked 4 (answered q1) → 3; asked 3 (answered q2) → 2.
        let funnel = try XCTUnwrap(f.questionFunnels.first)
        XCTAssertEqual(funnel.surveyID, "next_birthday")
        XCTAssertEqual(funnel.steps.map(\.asked), [5, 4, 3])
        XCTAssertEqual(funnel.steps.map(\.answered), [4, 3, 2])
        XCTAssertEqual(funnel.steps.map(\.answerRate), [0.8, 0.75, 2.0 / 3])
    }

    /// The same answer strings and numbers repeated by many persons (each distinct string or number of a question is
    /// resolved once, session 7): every repetition still counts with the catalog's spelling, as a number where its
    /// text is one, and in its person's and week's tallies.
    func testRepeatedAnswersCountEveryTime() throws {
        let schema = scriptSchema
        let answers: [(String, String)] = [
            (#""Child ""#, #"" 4 ""#), (#""Child ""#, #"" 4 ""#), (#""CHILD""#, "4"), (#""spouse""#, #"" 4 ""#),
            (#""Child ""#, #""2""#), (#""spouse""#, "4.0"), (#""Child ""#, "4"),
        ]
        var lines: [String] = []
        for (i, (q1, q2)) in answers.enumerated() {
            let day = i < 4 ? "05" : "12"   // two ISO weeks: 2026-W02 (4 answers), 2026-W03 (3)
            lines.append(prompt("p\(i)", "2026-01-\(day)T10:00:00Z", "next_birthday"))
            lines.append(answer("p\(i)", "2026-01-\(day)T10:01:00Z", "next_birthday",
                                #"[{"id":"q1","value":\#(q1)},{"id":"q2","value":\#(q2)}]"#))
        }
        let f = FeedbackMetrics.compute(table: table(lines, schema: schema), options: AnalysisOptions(privacy: .off, feedback: schema))
        let q = Dictionary(uniqueKeysWithValues: f.questions.map { ($0.key, $0) })
        let q1 = try XCTUnwrap(q["next_birthday/q1"])
        XCTAssertEqual(q1.persons, 7)
        XCTAssertEqual(q1.options.map(\.option), ["child", "spouse", "parent", "sibling"])
        XCTAssertEqual(q1.options.map(\.persons), [5, 2, 0, 0])
        XCTAssertEqual(q1.weekly.map(\.answers), [4, 3])
        XCTAssertEqual(q1.weekly.map(\.topShare), [0.75, 2.0 / 3])
        let q2 = try XCTUnwrap(q["next_birthday/q2"])
        XCTAssertEqual(q2.mean, 26.0 / 7)
        XCTAssertEqual(q2.histogram.map(\.count), [0, 1, 0, 6, 0])
    }

    func testPublishedWithholdsSmallOptionsAndTheSharesDerivedFromThem() throws {
        var schema = scriptSchema
        schema.catalog.surveys["next_birthday"]!.questions.removeLast()
        var policy = PrivacyPolicy.standard
        policy.minCohort = 3
        let r = Analysis.report(table: table(scriptLines, schema: schema), program: nil,
                                options: AnalysisOptions(privacy: policy, feedback: schema))
        let q1 = try XCTUnwrap(r.feedback.questions.first { $0.question == "q1" })
        XCTAssertEqual(q1.options[0].persons, 3)
        XCTAssertEqual(q1.options[0].share, 0.75)
        XCTAssertEqual(q1.options[1].$persons, .belowMinimum)   // spouse: 1 person
        XCTAssertEqual(q1.options[1].$share, .derived)
        XCTAssertNil(q1.options[1].share)
        XCTAssertEqual(q1.weekly[1].$persons, .belowMinimum)
        XCTAssertNil(q1.weekly[1].topShare)
        XCTAssertEqual(r.feedback.questionFunnels[0].steps[1].answered, 3)
        let json = ReportRenderer.json(r)
        XCTAssertTrue(json.contains("\"question_funnels\""))
    }

    func testOpenTextThemesWordsPhrasesAndCJK() throws {
        var schema = FeedbackSchema.standard
        schema.catalog = SurveyCatalog(surveys: ["fb": CatalogSurvey(questions: [
            CatalogQuestion(id: "why", text: "What should we improve?", type: .open),
        ])])
        func text(_ u: String, _ t: String, _ s: String) -> String {
            track(u, t, "Survey Sent", #"{"survey_id":"fb","survey_response":"\#(s)"}"#)
        }
        let lines = [
            text("p1", "2026-01-05T10:00:00Z", "Delivery was fast, great packaging"),
            text("p2", "2026-01-05T10:00:00Z", "fast delivery and great prices"),
            text("p3", "2026-01-05T10:00:00Z", "Great packaging! Delivery fast."),
            text("p3", "2026-01-06T10:00:00Z", "great packaging"),
            text("p4", "2026-01-05T10:00:00Z", "姪の誕生日、来月です"),
            text("p5", "2026-01-05T10:00:00Z", "来月の誕生日"),
        ]
        let t = table(lines, schema: schema)
        let f = FeedbackMetrics.compute(table: t, options: AnalysisOptions(privacy: .off, feedback: schema))
        let q = try XCTUnwrap(f.questions.first)
        XCTAssertEqual(q.key, "fb/why")
        XCTAssertEqual(q.answers, 6)
        XCTAssertEqual(q.persons, 5)
        XCTAssertEqual(q.medianLength, 22.5)                      // lengths 6, 10, 15, 30, 31, 34
        XCTAssertNil(q.topOption)
        XCTAssertTrue(q.options.isEmpty)
        XCTAssertEqual(q.themes.map(\.theme), ["great", "delivery", "fast", "packaging", "great packaging",
                                               "日", "月", "来", "生", "誕", "来月", "生日", "誕生"])
        XCTAssertEqual(q.themes.map(\.persons), [3, 3, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2])
        XCTAssertEqual(q.themes.map(\.answers), [4, 3, 3, 3, 3, 2, 2, 2, 2, 2, 2, 2, 2])
        XCTAssertEqual(q.themes[4].kind, "phrase")
        XCTAssertEqual(q.themes[0].examples, ["great packaging", "fast delivery and great prices",
                                              "Great packaging! Delivery fast.", "Delivery was fast, great packaging"])

        var policy = PrivacyPolicy.standard
        policy.minCohort = 3
        let r = Analysis.report(table: t, program: nil, options: AnalysisOptions(privacy: policy, feedback: schema))
        let published = try XCTUnwrap(r.feedback.questions.first)
        XCTAssertEqual(published.themes.map(\.theme), ["great", "delivery", "fast"])
        XCTAssertEqual(published.themesDropped, 10)
    }

    func testStopWordsOfFourLanguagesAndPhraseBoundaries() {
        XCTAssertEqual(AnswerThemes.terms("The delivery was very slow").words, ["delivery", "slow"])
        XCTAssertEqual(AnswerThemes.terms("Die Lieferung war sehr schnell").words, ["lieferung", "schnell"])
        XCTAssertEqual(AnswerThemes.terms("La livraison est très rapide").words, ["livraison", "rapide"])
        XCTAssertEqual(AnswerThemes.terms("El envío fue muy rápido").words, ["envío", "rápido"])
        // A stop word, punctuation or a line break ends a phrase; spaces do not.
        XCTAssertEqual(AnswerThemes.terms("fast delivery, great  packaging\nlovely box").phrases,
                       ["fast delivery", "great packaging", "lovely box"])
        XCTAssertEqual(AnswerThemes.terms("slow and late").phrases, [])
        // Masked personal data and words with digits are never themes.
        XCTAssertEqual(AnswerThemes.terms(PIIMasker.maskText("mail jo@example.com size 92cm")).words, ["mail", "size"])
    }

    func testOtherFoldsTheOptionsAfterTheTopTwelve() throws {
        let schema = FeedbackSchema.standard
        var lines: [String] = []
        func ph(_ u: String, _ v: String, _ n: Int) -> String {
            track(u, "2026-01-05T10:00:0\(n)Z", "survey sent", #"{"$survey_id":"s","$survey_response_pick":"\#(v)"}"#)
        }
        for i in 1 ... 12 { lines.append(ph(String(format: "u%02d", i), String(format: "v%02d", i), 0)) }
        lines.append(ph("u13", "v13", 0))
        lines.append(ph("u13", "v14", 1))
        lines.append(ph("u14", "v01", 0))
        let f = FeedbackMetrics.compute(table: table(lines, schema: schema),
                                        options: AnalysisOptions(privacy: .off, feedback: schema))
        let q = try XCTUnwrap(f.questions.first)
        XCTAssertNil(q.type)
        XCTAssertEqual(q.persons, 14)
        XCTAssertEqual(q.options.count, 13)
        XCTAssertEqual(q.options[0].option, "v01")
        XCTAssertEqual(q.options[0].persons, 2)
        XCTAssertEqual(q.options[11].option, "v12")
        let other = q.options[12]
        XCTAssertTrue(other.other)
        XCTAssertEqual(other.count, 2)            // v13 and v14
        XCTAssertEqual(other.persons, 1)          // both by u13
        XCTAssertEqual(other.share, 1.0 / 14)
        XCTAssertFalse(q.options[0].declared)

        // Published with k = 2: undeclared options of one person (the customer's own words) are left out; the
        // folded row stays, its one person withheld.
        var policy = PrivacyPolicy.standard
        policy.minCohort = 2
        let r = Analysis.report(table: table(lines, schema: schema), program: nil,
                                options: AnalysisOptions(privacy: policy, feedback: schema))
        let p = try XCTUnwrap(r.feedback.questions.first)
        XCTAssertEqual(p.options.map(\.option), ["v01", "other"])
        XCTAssertEqual(p.options[1].$persons, .belowMinimum)
    }

    func testSegmentScoreAndTextAnswerTheCatalogQuestions() throws {
        var schema = FeedbackSchema.standard
        schema.catalog = SurveyCatalog(surveys: ["pp": CatalogSurvey(questions: [
            CatalogQuestion(id: "score", type: .nps), CatalogQuestion(id: "comment", type: .open),
        ])])
        let lines = [
            track("a", "2026-01-05T10:00:00Z", "Survey Sent", #"{"survey_id":"pp","score":9,"survey_response":"love it"}"#),
            track("b", "2026-01-05T10:00:00Z", "Survey Sent", #"{"survey_id":"pp","score":"3"}"#),
            track("c", "2026-01-05T10:00:00Z", "Survey Sent", #"{"survey_id":"undeclared","score":7}"#),
        ]
        let f = FeedbackMetrics.compute(table: table(lines, schema: schema),
                                        options: AnalysisOptions(privacy: .off, feedback: schema))
        XCTAssertEqual(f.questions.map(\.key), ["pp/comment", "pp/score"])   // undeclared surveys: no plain answers
        let score = try XCTUnwrap(f.questions.last)
        XCTAssertEqual(score.nps, NPSStats(scored: 2, promoters: 1, passives: 0, detractors: 1, nps: 0))
        XCTAssertEqual(score.histogram.count, 11)
        XCTAssertEqual(score.histogram[9].count, 1)
        XCTAssertEqual(score.histogram[3].count, 1)
        XCTAssertEqual(f.questions.first?.answers, 1)
    }

    /// The script fixture's report as `check`, CSV and Prometheus see it.
    func scriptReport() -> Report {
        let schema = scriptSchema
        return Analysis.report(table: table(scriptLines, schema: schema), program: nil,
                               options: AnalysisOptions(privacy: .off, feedback: schema))
    }

    func testCheckPathsReachOptionsHistogramsWeeksAndFunnels() {
        let tree = FigureNode.of(scriptReport())
        func value(_ path: String) -> Double? {
            switch tree.resolve(rule("\(path) > 0").path) {
            case .success(let f): return f.value
            case .failure(let e): XCTFail(e.message); return nil
            }
        }
        XCTAssertEqual(value(#"question["next_birthday/q1"].option["child"].share"#), 0.75)
        XCTAssertEqual(value(#"question["next_birthday/q1"].option["spouse"].persons"#), 1)
        XCTAssertEqual(value(#"feedback.question["next_birthday/q1"].persons"#), 4)
        XCTAssertEqual(value(#"question["next_birthday/q2"].histogram["5"].count"#), 1)
        XCTAssertEqual(value(#"question["next_birthday/q2"].mean"#), 11.0 / 3)
        XCTAssertEqual(value(#"question["next_birthday/q1"].weekly[-1].top_share"#), 1)
        XCTAssertEqual(value(#"funnel["next_birthday"].step["q3"].answer_rate"#), 2.0 / 3)
        XCTAssertEqual(value(#"funnel["next_birthday"].step[1].asked"#), 4)
        switch tree.resolve(rule(#"question["next_birthday/q1"].option["chlid"].share > 0"#).path) {
        case .success: XCTFail("a misspelt option resolved")
        case .failure(let e): XCTAssertTrue(e.message.contains("did you mean"), e.message)
        }
    }

    func testCSVAndPrometheusCarryTheQuestionFigures() {
        let r = scriptReport()
        let csv = ReportRenderer.csv(r)
        XCTAssertTrue(csv.contains("question_option,next_birthday/q1/child,share,0.75"), csv)
        XCTAssertTrue(csv.contains("funnel_step,next_birthday/3/q3,asked,3"), csv)
        let prom = PrometheusRenderer.render(r)
        XCTAssertTrue(prom.contains(#"earshot_question_option_share{survey="next_birthday",question="q1",option="child"} 0.75"#), prom)
        XCTAssertTrue(prom.contains(#"earshot_funnel_answered{survey="next_birthday",position="1",question="q1"} 4"#), prom)
        let text = ReportRenderer.text(r)
        XCTAssertTrue(text.contains("QUESTION FUNNELS"), text)
        XCTAssertTrue(text.contains("next_birthday/q1 (single_choice): 4 answers, 4 persons"), text)
    }
}
