import Analytics
import XCTest
@testable import Dashboard

/// Issue #12 §1: the `i` screen's meaning of a report figure is the figure's declared help (`FigureDescriptor.help`),
/// never a hand-written copy. A term written by hand (`Definitions.Entry.screen`) must be one of the terms below,
/// which are no report figure; a table column that shows a report figure must be defined by the figure.
extension DashboardUseTests {

    /// The terms written by hand in `Definitions` ("panel/term"): names, bars, marks, keys and figures the dashboard
    /// computes itself. Add a term here only when it is no report figure; a figure is `.figure(term, X.ref("key"))`.
    static let screenTerms: Set<String> = [
        "Everywhere/<k", "Everywhere/hidden", "Everywhere/—", "Everywhere/week", "Everywhere/◌ / o partial",
        "Everywhere/◐ / n not final",
        "Key figures/first → last", "Top segments/bar", "Top segments/2 for all", "Response rate by channel/3 for all",
        "Consent coverage/4 for all", "Weekly/value",
        "Segments/SEGMENT", "Segments/1W CHG", "Segments/TREND", "Size by week/min / max / now", "Overlap/of this",
        "Overlap/of other",
        "Feedback loops/LOOP", "Response rate by local hour × weekday/···", "Response rate by local hour × weekday/blank",
        "Response rate by local hour × weekday/best",
        "Asking too much? Rate by prompt (v)/n-th in 30 days", "Asking too much? Rate by prompt (v)/since last prompt",
        "Asking too much? Rate by prompt (v)/1st→5th+",
        "Preferred channel · profile depth (v)/best", "Preferred channel · profile depth (v)/≥1 weekly",
        "Reachable share by segment/SEGMENT", "Reachable share by segment/category",
        "Files/FILE", "Files/!", "Totals/event names", "Totals/loaded in", "Malformed lines/FILE:LINE",
        "Malformed lines/REASON", "Unknown event names/NAME",
        "Journey/entry", "Journey/step", "Journey/(left)", "Journey/(other)", "Top paths/path",
        "Answers/survey", "Answers/questions", "Answers/answered by", "Answers/question", "Answers/type",
        "Answers/top answer", "Question funnel/bar", "Answers of a question/option", "Answers of a question/theme",
        "Answers of a question/“example”",
        "Loops/loop", "Open by age/age", "By week of the trigger/week",
    ]

    /// Table columns that show no report figure (names, text, a trend the dashboard draws, a change it computes).
    static let columnsWithoutFigure: Set<String> = [
        "SEGMENT", "1W CHG", "TREND", "LOOP", "FILE", "!", "FILE:LINE", "REASON", "NAME", "loop", "survey", "questions",
        "answered by", "question", "type", "top answer",
    ]

    func testNoFigureMeaningIsWrittenByHand() {
        var seen: Set<String> = []
        for p in Definitions.panels.values.flatMap({ $0 }) + [Definitions.common] {
            for e in p.entries {
                let id = "\(p.title)/\(e.term)"
                if e.figures.isEmpty {
                    seen.insert(id)
                    XCTAssertTrue(Self.screenTerms.contains(id),
                                  "\(id) is written by hand: refer to its figure (.figure(\"\(e.term)\", X.ref(\"key\"))), "
                                  + "or, when it is no report figure, list it in screenTerms")
                } else {
                    // The meaning is the figures' help (with the panel's {what}), then at most a note on the screen.
                    let helps = e.figures.map(\.help).joined(separator: " ")
                    XCTAssertTrue(e.meaning.hasPrefix(helps), id)
                    XCTAssertFalse(helps.contains("{what}"), "\(id): \(helps)")
                    XCTAssertFalse(e.figures.contains { $0.help.isEmpty }, id)
                }
            }
        }
        XCTAssertEqual(Self.screenTerms.subtracting(seen), [], "screenTerms lists terms that are no longer written by hand")
    }

    func testEveryTableColumnOfAFigureIsDefinedByTheFigure() {
        let s = loaded(Fixture.report)
        let m = s.model!
        let places: [TableID: Definitions.Place] = [.segments: .segments, .feedback: .feedback, .consent: .consent,
                                                    .malformed: .data, .files: .data, .unknownEvents: .data,
                                                    .loops: .loops, .answerSurveys: .answers, .answerQuestions: .answers]
        let questions = AnswersTable.questionsModel(AnswerSurvey(id: "s", name: nil, questions: [], loop: nil, funnel: nil),
                                                    cells: m.cells, sanitizer: Sanitizer(glyphs: .unicode), glyphs: .unicode)
        var walked = 0
        for id in TableID.allCases {
            let t = m.tables[id] ?? (id == .answerQuestions ? questions : nil)!
            let panels = Definitions.panels[places[id]!]!
            for c in t.columns {
                walked += 1
                if Self.columnsWithoutFigure.contains(c.title) { continue }
                // A consent category's column (`MARKETING`) is the category's reachable share: listed by hand.
                if id == .consent, m.categories.contains(where: { $0.name.uppercased() == c.title }) { continue }
                let entry = panels.lazy.compactMap { p in
                    p.entry(c.title) ?? p.entries.first { c.title.hasPrefix($0.term + " ") }
                }.first
                XCTAssertFalse(entry?.figures.isEmpty ?? true,
                               "\(id) column \(c.title) shows a report figure but its meaning is not the figure's help")
            }
        }
        XCTAssertGreaterThan(walked, 40)
    }

    func testTheIScreenShowsTheDeclaredHelp() {
        var s = loaded(Fixture.report)
        press(&s, .char("3"), .char("i"))
        XCTAssertEqual(s.overlay, .definitions(scroll: 0))
        let text = Definitions.lines(s, width: 116).map(\.text).joined(separator: " ")
        let help = LoopStats.figure("dismissal_rate").help(what: "of the row")
        XCTAssertTrue(help.contains("Survey Dismissed events"), help)
        XCTAssertTrue(text.contains(help), text)
    }
}
