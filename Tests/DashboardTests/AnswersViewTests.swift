import Analytics
import XCTest
@testable import Dashboard

/// The Answers view (view 8): drill-down surveys → questions → a question, scrolling, truncation by display width,
/// withheld figures, the segment filter, and goldens at 80×24 and 120×40 for every level.
final class AnswersViewTests: XCTestCase {
    static func question(_ survey: String, _ name: String?, _ id: String, _ position: Int?, _ text: String?, _ type: String?,
                         answers: Int, persons: Int) -> QuestionStats {
        var q = QuestionStats(surveyID: survey, question: id)
        q.surveyName = name; q.position = position; q.text = text; q.type = type; q.answers = answers; q.persons = persons
        return q
    }

    static var questions: [QuestionStats] {
        let nb = "Next birthday (chat bot)"
        var q1 = question("next_birthday", nb, "q1", 1, "Who is the next birthday on your list?", "single_choice", answers: 260, persons: 230)
        q1.options = [
            OptionShare(option: "child", declared: true, count: 131, persons: 120, share: 120.0 / 230),
            OptionShare(option: "sibling", declared: true, count: 52, persons: 50, share: 50.0 / 230),
            OptionShare(option: "parent", declared: true, count: 41, persons: 40, share: 40.0 / 230),
            OptionShare(option: "spouse", declared: true, count: 25, persons: 25, share: 25.0 / 230),
            OptionShare(option: "姪の誕生日、来月です — my niece, next month, she loves wooden toys and books", count: 6, persons: 6,
                        share: 6.0 / 230),
            OptionShare(option: "other", other: true, count: 5, persons: 0, share: nil),
        ]
        q1.options[5].$persons = .belowMinimum
        q1.options[5].$share = .derived
        q1.topOption = "child"
        q1.weekly = [QuestionWeek(week: "2026-W07", answers: 80, persons: 74, topShare: 0.5),
                     QuestionWeek(week: "2026-W08", answers: 95, persons: 88, topShare: 0.54),
                     QuestionWeek(week: "2026-W09", answers: 85, persons: 80, topShare: 0.52)]
        var q2 = question("next_birthday", nb, "q2", 2, "How old will they turn?", "single_choice", answers: 200, persons: 190)
        q2.options = ["1–2", "3–5", "under 1", "18–39"].enumerated().map { i, o in
            OptionShare(option: o, declared: true, count: 60 - 10 * i, persons: 58 - 10 * i, share: Double(58 - 10 * i) / 190)
        }
        q2.topOption = "1–2"
        var q3 = question("next_birthday", nb, "q3", 3, "What clothing size do they wear?", "single_choice", answers: 150, persons: 150)
        q3.options = ["86–92", "74–80", "98–104", "adult M"].enumerated().map { i, o in
            OptionShare(option: o, declared: true, count: 50 - 10 * i, persons: 50 - 10 * i, share: Double(50 - 10 * i) / 150)
        }
        let se = "Shopping experience (chat bot)"
        var r1 = question("shopping_experience", se, "q1", 1, "How easy was it to find the right gift today?", "rating", answers: 90, persons: 80)
        r1.mean = 3.9
        r1.histogram = [HistogramBin(value: 1, count: 0), HistogramBin(value: 2, count: 3), HistogramBin(value: 3, count: 17),
                        HistogramBin(value: 4, count: 30), HistogramBin(value: 5, count: 40)]
        r1.histogram[1].$count = .belowMinimum
        r1.topOption = "5"
        var r3 = question("shopping_experience", se, "q3", 3, "What should we improve?", "open", answers: 40, persons: 36)
        r3.medianLength = 31
        r3.themes = [
            AnswerTheme(theme: "delivery", kind: "word", persons: 12, answers: 13, examples: ["Delivery was quick, packaging lovely", "slow delivery"]),
            AnswerTheme(theme: "size guide", kind: "phrase", persons: 8, answers: 8, examples: ["The size guide for snowsuits is confusing"]),
            AnswerTheme(theme: "来月", kind: "phrase", persons: 6, answers: 6, examples: ["来月の誕生日"]),
        ]
        r3.themesDropped = 4
        var nps = question("post_purchase_nps", "Post-purchase NPS", "score", 1, "How likely are you to recommend us?", "nps", answers: 118, persons: 110)
        nps.histogram = (0...10).map { HistogramBin(value: $0, count: [2, 1, 3, 4, 5, 6, 8, 14, 20, 25, 30][$0]) }
        for i in 0...3 { nps.histogram[i].$count = .belowMinimum }
        nps.nps = NPSStats(scored: 118, promoters: 55, passives: 34, detractors: 29, nps: 100.0 * 26 / 118)
        nps.mean = 7.4
        return [q1, q2, q3, nps, r1, r3]
    }

    static var report: Report {
        var r = Fixture.report
        r.feedback.questions = questions
        r.feedback.questionFunnels = [QuestionFunnel(surveyID: "next_birthday", name: "Next birthday (chat bot)", steps: [
            FunnelStep(position: 1, question: "q1", text: "Who is the next birthday on your list?", asked: 300, answered: 230),
            FunnelStep(position: 2, question: "q2", text: "How old will they turn?", asked: 230, answered: 190),
            FunnelStep(position: 3, question: "q3", text: "What clothing size do they wear?", asked: 190, answered: 150),
        ])]
        return r
    }

    static func state(width: Int = 80, height: Int = 24) -> AppState {
        var s = AppState(options: DashboardOptions(glyphs: .unicode))
        _ = update(&s, .resize(width: width, height: height))
        _ = update(&s, .tick(nowMs: Fixture.nowMs))
        _ = update(&s, .loaded(DashboardData(report: report, sourceDescription: "events/", loadSeconds: 3.42)))
        _ = update(&s, .key(.char("8")))
        return s
    }


    func screen(_ s: AppState) -> String { Golden.render(s, width: s.width, height: s.height).textLines().joined(separator: "\n") }

    func testDrillDownFromASurveyToAQuestionAndBack() {
        var s = Self.state()
        XCTAssertEqual(s.tab, .answers)
        XCTAssertEqual(s.answerSurveys.map(\.id), ["next_birthday", "post_purchase_nps", "shopping_experience"])
        XCTAssertTrue(screen(s).contains("surveys (3)"))
        XCTAssertTrue(screen(s).contains("Question funnel"))
        press(&s, .down, .down, .up)                                   // post_purchase_nps
        press(&s, .enter)
        XCTAssertEqual(s.answers.level, .questions)
        XCTAssertTrue(screen(s).contains("NPS +22"), screen(s))
        press(&s, .escape, .up, .enter, .down, .down, .enter)          // next_birthday, q3
        XCTAssertEqual(s.answers.level, .question)
        XCTAssertTrue(screen(s).contains("What clothing size do they wear?"))
        XCTAssertTrue(screen(s).contains("86–92"))
        press(&s, .escape)
        XCTAssertEqual(s.answers.level, .questions)
        press(&s, .escape, .escape)
        XCTAssertEqual(s.answers.level, .surveys)
        XCTAssertEqual(s.tab, .answers, "Esc on the survey list stays in the view")
    }

    func testTheDistributionScrollsAndLongOptionsAreCutByDisplayWidth() {
        var s = Self.state(width: 80, height: 20)
        press(&s, .enter, .enter)                                      // next_birthday q1
        let first = screen(s)
        XCTAssertTrue(first.contains("姪の誕生日"), first)
        XCTAssertFalse(first.contains("wooden toys"), "a long option is cut, not wrapped over its bar")
        for line in first.split(separator: "\n") { XCTAssertEqual(DisplayWidth.of(String(line)), 80) }
        XCTAssertTrue(first.contains("hidden"), "the folded row's share is withheld")
        press(&s, .down, .down, .down)
        let scrolled = screen(s)
        XCTAssertFalse(scrolled.contains("│ child"), scrolled)
        XCTAssertTrue(first.contains("│ child"), first)
        XCTAssertTrue(scrolled.contains("4/"))
        press(&s, .end)
        XCTAssertEqual(s.answers.scroll, s.answerDetailLines - 1)
    }

    func testASegmentFilterThatRemovesSurveysKeepsTheSelectionInside() {
        var s = Self.state()
        press(&s, .end, .enter, .down, .enter)                         // shopping_experience q3
        XCTAssertEqual(s.answers.level, .question)
        var filtered = Self.report
        filtered.feedback.questions = Array(Self.questions.prefix(3))
        filtered.feedback.questionFunnels = []
        s.pendingFilter = "Power users"
        _ = update(&s, .filterReady(segment: "Power users", report: filtered))
        let text = screen(s)
        XCTAssertTrue(text.contains("Next birthday"), text)
        press(&s, .down)
        XCTAssertEqual(s.answers.survey, 0)
    }

    func testGoldensOfEveryLevel() {
        for (w, h) in [(80, 24), (120, 40)] {
            var s = Self.state(width: w, height: h)
            Golden.assert(Golden.render(s, width: w, height: h), named: "answers_surveys_\(w)x\(h)")
            press(&s, .enter)
            Golden.assert(Golden.render(s, width: w, height: h), named: "answers_questions_\(w)x\(h)")
            press(&s, .enter)
            Golden.assert(Golden.render(s, width: w, height: h), named: "answers_question_choice_\(w)x\(h)")
            press(&s, .escape, .escape, .end, .enter, .end, .enter)
            Golden.assert(Golden.render(s, width: w, height: h), named: "answers_question_themes_\(w)x\(h)")
            press(&s, .escape, .escape, .up, .enter, .enter)
            Golden.assert(Golden.render(s, width: w, height: h), named: "answers_question_nps_\(w)x\(h)")
        }
    }

    func testDefinitionsCoverTheAnswersView() {
        var s = Self.state()
        press(&s, .char("i"))
        let text = screen(s)
        XCTAssertTrue(text.contains("answered by"), text)
    }

    func testTheTourStopsAtTheMostAnsweredChoiceQuestion() throws {
        var s = Self.state()
        let step = try XCTUnwrap(Tour.answerStep(s.answerSurveys, format: s.format))
        XCTAssertEqual(step.caption, "Next birthday (chat bot): \"Who is the next birthday on your list?\" 52.2% of 230 persons answered child")
        press(&s, .char("1"))
        for k in step.keys { press(&s, k) }
        XCTAssertEqual(s.tab, .answers)
        XCTAssertEqual(s.answers.level, .question)
        XCTAssertEqual(s.answerSurveys[s.answers.survey].questions[s.answers.question].question, "q1")
    }
}
