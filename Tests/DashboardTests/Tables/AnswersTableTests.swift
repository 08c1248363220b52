import XCTest
import Analytics
@testable import Dashboard

/// The Answers view's lists (Sources/Dashboard/Views/AnswersTable.swift): declared columns on the shared table
/// machinery, so they sort (`s`/`S`) and filter (`/`) like every other table, and Enter opens the row selected in the
/// sorted or filtered order.
final class AnswersTableTests: XCTestCase {
    let cells = CellText(privacy: PrivacySummary(), format: Format(missing: "—"))
    let san = Sanitizer(glyphs: .unicode)
    var surveys: [AnswerSurvey] { AnswerSurvey.list(AnswersViewTests.report) }

    func screen(_ s: AppState) -> [String] { Golden.render(s, width: s.width, height: s.height).textLines() }

    func testSurveyColumnsCellsAndWithheldKeysSortLast() {
        let m = AnswersTable.surveysModel(surveys, cells: cells, sanitizer: san, glyphs: .unicode)
        XCTAssertEqual(m.title, "Answers · surveys")
        XCTAssertEqual(m.columns.map(\.title), ["survey", "questions", "answered by", "prompts", "resp. rate"])
        XCTAssertEqual(m.rows.map { $0.cells[0] }, [.text("Next birthday (chat bot)", .normal), .text("Post-purchase NPS", .normal),
                                                   .text("Shopping experience (chat bot)", .normal)])
        XCTAssertEqual(m.rows[0].cells[1], .text("3", .normal))
        XCTAssertEqual(m.rows[0].cells[2], .text("230", .normal), "the most answered question's persons")
        XCTAssertTrue(m.columns.allSatisfy(\.sortable))
        // A withheld count sorts last, whatever the direction, so the order reveals nothing.
        XCTAssertEqual(CellText.key(3, .belowMinimum), .missing)
        XCTAssertEqual(CellText.key(3, .shown), .number(3))
        var st = TableState()
        st.sort(by: 2, m)   // answered by, largest first: 230, 110, 80
        XCTAssertEqual(st.order, [0, 1, 2])
        st.sort(by: 2, reversed: true, m)
        XCTAssertEqual(st.order, [2, 1, 0])
        st.sort(by: 0, reversed: true, m)   // names Z→A
        XCTAssertEqual(st.order, [2, 1, 0])
    }

    func testQuestionColumnsSortByPositionAndFilterByText() {
        let m = AnswersTable.questionsModel(surveys[0], cells: cells, sanitizer: san, glyphs: .unicode)
        XCTAssertEqual(m.title, "Next birthday (chat bot) · questions")
        XCTAssertEqual(m.columns.map(\.title), ["question", "type", "persons", "top answer"])
        XCTAssertEqual(m.rows[0].cells[0], .text("1. Who is the next birthday on your list?", .normal))
        var st = TableState()
        st.sort(by: 2, reversed: true, m)   // persons, smallest first: q3 150, q2 190, q1 230
        XCTAssertEqual(st.order, [2, 1, 0])
        st.sort(by: 0, m)   // by position, not as text
        XCTAssertEqual(st.order, [0, 1, 2])
        st.filter = "clothing"
        st.recompute(m)
        XCTAssertEqual(st.order, [2])
    }

    func testTheViewSortsWithSAndOpensTheSurveySelectedInTheSortedOrder() {
        var s = AnswersViewTests.state(width: 120, height: 40)
        XCTAssertEqual(s.keyContexts, [.answers, .table, .global])
        press(&s, .char("s"))
        guard case .sort? = s.overlay else { return XCTFail("s opens the sort picker on the survey list") }
        press(&s, .down, .char("S"))        // the survey column, reversed: Z→A
        XCTAssertEqual(s.tables[.answerSurveys]?.order, [2, 1, 0])
        let text = screen(s)
        XCTAssertTrue(text.contains { $0.contains("Answers · surveys (3) · sort survey ▼") }, text.joined(separator: "\n"))
        XCTAssertTrue(text.contains { $0.contains("survey▼") }, "the sorted column is marked")
        // The selection stays on its survey (now last); Home selects the first row, "Shopping experience", and the
        // funnel below and Enter follow it.
        XCTAssertEqual(s.answers.survey, 0)
        press(&s, .home)
        XCTAssertEqual(s.answers.survey, 2)
        press(&s, .enter)
        XCTAssertEqual(s.answers.level, .questions)
        XCTAssertTrue(screen(s).contains { $0.contains("Shopping experience (chat bot) · questions (2)") }, screen(s).joined(separator: "\n"))
        press(&s, .enter)
        XCTAssertEqual(s.answerSurveys[s.answers.survey].questions[s.answers.question].question, "q1")
    }

    func testSlashFiltersTheQuestionsAndEscClearsBeforeGoingBack() {
        var s = AnswersViewTests.state(width: 120, height: 40)
        press(&s, .enter)                                       // next_birthday's questions
        press(&s, .char("/"), .char("s"), .char("i"), .char("z"), .char("e"), .enter)
        XCTAssertEqual(s.tables[.answerQuestions]?.order, [2])
        XCTAssertEqual(s.answers.question, 2, "the selection follows the filter")
        let text = screen(s)
        XCTAssertTrue(text.contains { $0.contains("questions (3) · /size") }, text.joined(separator: "\n"))
        XCTAssertFalse(text.contains { $0.contains("How old will they turn?") && $0.contains("choice") })
        press(&s, .enter)
        XCTAssertEqual(s.answerSurveys[s.answers.survey].questions[s.answers.question].question, "q3")
        press(&s, .escape)                                      // back to the (filtered) questions
        press(&s, .escape)                                      // clears the filter
        XCTAssertEqual(s.answers.level, .questions)
        XCTAssertEqual(s.tables[.answerQuestions]?.order, [0, 1, 2])
        press(&s, .escape)
        XCTAssertEqual(s.answers.level, .surveys)
        // A filter that matches nothing says so and Enter opens nothing.
        press(&s, .char("/"), .char("q"), .char("q"), .enter, .enter)
        XCTAssertEqual(s.answers.level, .surveys)
        XCTAssertTrue(screen(s).contains { $0.contains("No rows match \"qq\"") })
    }
}
