import Foundation
import XCTest

/// The Answers view in the real binary, in tmux, on ExampleData: open the view, drill from the chat-bot survey
/// "Next birthday" to its first question ("Who is the next birthday on your list?") and back.
extension EndToEndTmuxTests {
    func testAnswersDrillFromASurveyToAQuestion() throws {
        let tmux = try Tmux.start(testCase: self)
        defer { tmux.stop() }
        let example = repositoryRoot.appendingPathComponent("ExampleData").path
        try tmux.launch("env TERM=xterm-256color \(shellQuote(try earshotBinary())) \(shellQuote(example))",
                        directory: repositoryRoot.path)
        try tmux.waitFor("the dashboard", polls: 1200) { $0.contains("1 Overview") }

        try tmux.sendKeys("8")
        let surveys = try tmux.waitFor("the survey list") { $0.contains("8 Answers") && $0.contains("Enter: questions") }
        // The survey rows follow the header line; find the chat bot's row.
        let lines = surveys.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let header = try XCTUnwrap(lines.firstIndex { $0.contains("survey") && $0.contains("questions") }, surveys)
        let row = try XCTUnwrap(lines[(header + 1)...].firstIndex { $0.contains("Next birthday (chat bot)") }, surveys)
        for _ in 0 ..< (row - header - 1) { try tmux.sendKeys("Down") }
        try tmux.waitFor("the chat bot's funnel") { $0.contains("Question funnel · Next birthday (chat bot)") }

        try tmux.sendKeys("Enter")
        let questions = try tmux.waitFor("the questions of Next birthday") { screen in
            screen.contains("Next birthday (chat bot) · questions (3)") && screen != surveys
        }
        XCTAssertTrue(questions.contains("1. Who is the next birthday on your list?"), questions)
        XCTAssertTrue(questions.contains("2. How old will they turn?"), questions)

        try tmux.sendKeys("Enter")
        let question = try tmux.waitFor("the first question's answers") { screen in
            // "By week" is drawn below the header: waiting for it too keeps a half-written frame (a busy machine) out.
            screen.contains("Next birthday (chat bot) · question 1") && screen.contains("Esc: questions") && screen != questions
                && screen.contains("By week") && screen.contains("│ child ")
        }
        for option in ["child", "sibling", "parent", "spouse"] {
            XCTAssertTrue(question.contains("│ \(option) "), "option \(option) missing:\n\(question)")
        }
        XCTAssertTrue(question.contains("By week"), question)

        try tmux.sendKeys("Escape")
        try tmux.waitFor("the questions again") { $0.contains("Enter: answers") && !$0.contains("Esc: questions") }
        try tmux.sendKeys("q")
        XCTAssertEqual(try tmux.waitForExit(), 0)
    }
}
