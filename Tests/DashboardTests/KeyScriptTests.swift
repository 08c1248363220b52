import XCTest
@testable import Dashboard

/// `snapshot --keys`: key words and the headless replay through `update`.
final class KeyScriptTests: XCTestCase {
    func testWordsAndNames() throws {
        XCTAssertEqual(try KeyScript.parse("2 j Enter"), [.char("2"), .char("j"), .enter])
        XCTAssertEqual(try KeyScript.parse("  esc S-Tab pgdn C-c F3 Space / "),
                       [.escape, .backTab, .pageDown, .ctrl("c"), .function(3), .char(" "), .char("/")])
        XCTAssertEqual(try KeyScript.parse(""), [])
        XCTAssertThrowsError(try KeyScript.parse("2 foo")) { error in
            XCTAssertEqual(error as? KeyScript.ParseError, KeyScript.ParseError(word: 2, text: "foo"))
        }
        XCTAssertThrowsError(try KeyScript.parse("F13"))
        XCTAssertThrowsError(try KeyScript.parse("C-1"))
    }

    func testReplayIsWhatTheDashboardShowsAfterTheKeys() {
        let data = Fixture.data
        let keys: [Key] = [.char("2"), .char("j"), .enter]
        let replay = Snapshot.replay(data: data, tab: .overview, keys: keys, width: 100, height: 30, nowMs: Fixture.nowMs)
        var s = Fixture.loadedState(width: 100, height: 30)
        for k in keys { _ = update(&s, .key(k)) }
        XCTAssertEqual(replay.screen, Golden.render(s, width: 100, height: 30))
        XCTAssertTrue(replay.screen.textLines()[2].contains("Segments →"), replay.screen.textLines().joined(separator: "\n"))
        XCTAssertEqual(replay.skipped, [])
    }

    func testEffectsAreReportedNotPerformedAndQuitStops() {
        let data = Fixture.data
        let r = Snapshot.replay(data: data, tab: .overview, keys: [.char("r")], width: 80, height: 24)
        XCTAssertEqual(r.skipped, [.reload])
        let q = Snapshot.replay(data: data, tab: .overview, keys: [.char("q"), .char("2")], width: 80, height: 24)
        XCTAssertEqual(q.screen, Snapshot.replay(data: data, tab: .overview, keys: [], width: 80, height: 24).screen,
                       "keys after q are not played")
    }
}
