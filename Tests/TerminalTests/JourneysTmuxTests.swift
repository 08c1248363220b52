import Analytics
import Foundation
import XCTest

/// The Journeys view in the real binary, in tmux: open the view, expand a node, make a segment rule
/// from its path (`s`), append it to the snippet file (`w`), and check that the file is a valid rules file.
extension EndToEndTmuxTests {
    func testJourneyNodeBecomesASegmentSnippet() throws {
        let tmux = try Tmux.start(testCase: self)
        defer { tmux.stop() }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("earshot-journeys-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let rules = dir.appendingPathComponent("shop.segments")
        try "journey \"After an email\": from did \"Email Link Clicked\" steps 3 within 30m\n"
            .write(to: rules, atomically: true, encoding: .utf8)
        let example = repositoryRoot.appendingPathComponent("ExampleData").path
        try tmux.launch("env TERM=xterm-256color \(shellQuote(try earshotBinary())) \(shellQuote(example)) --segments shop.segments",
                        directory: dir.path)
        try tmux.waitFor("the dashboard", polls: 1200) { $0.contains("1 Overview") }

        // The screens before `w` are replay goldens too (SnapshotReplayTests.testJourneyPathBecomesARuleInTheStatusLine);
        // here the real runtime performs the `w` effect.
        try tmux.press("6", view: "the Journeys view", markers: ["Journey 1/1: After an email", "▸ baby"])
        let expanded = try tmux.press("Enter", view: "the expanded node", markers: ["▾ baby"])
        // The first child of "baby" is the largest second step; select it and make the rule.
        let child = try XCTUnwrap(expanded.split(separator: "\n").first { $0.contains("▾ baby") }
            .flatMap { line in expanded.split(separator: "\n").drop { $0 != line }.dropFirst().first })
        let childStep = child.dropFirst(2).trimmingCharacters(in: .whitespaces).split(separator: " ").dropFirst().first.map(String.init) ?? ""
        XCTAssertFalse(childStep.isEmpty, "no child under baby:\n\(expanded)")
        try tmux.press("Down", view: "the child selected", markers: ["▾ baby"])
        let status = try tmux.press("s", view: "the rule in the status line", markers: ["w saves"])
        XCTAssertTrue(status.contains("did \"Email Link Clicked\" then did page where section = \"baby\""), status)

        try tmux.press("w", view: "the note that the snippet was written", markers: ["segment rule appended"])
        let snippet = try String(contentsOf: dir.appendingPathComponent("earshot-snippets.segments"), encoding: .utf8)
        XCTAssertTrue(snippet.hasPrefix("segment \"After an email: baby → \(childStep)\":\n"), snippet)
        let program = try SegmentProgram.parse(source: snippet, fileName: "earshot-snippets.segments")
        XCTAssertEqual(program.segments.count, 1)

        try tmux.sendKeys("q")
        XCTAssertEqual(try tmux.waitForExit(), 0)
    }
}
