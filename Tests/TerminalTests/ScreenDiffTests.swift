import Dashboard
@testable import Terminal
import XCTest

final class ScreenDiffTests: XCTestCase {
    func buffer(_ rows: [String], role: StyleRole = .normal) -> ScreenBuffer {
        var b = ScreenBuffer(width: rows.map(\.count).max() ?? 0, height: rows.count)
        for (y, row) in rows.enumerated() {
            for (x, ch) in row.enumerated() { b[x, y] = Cell(text: String(ch), width: 1, role: role) }
        }
        return b
    }

    func testIdenticalBuffersDrawNothing() {
        let a = buffer(["hello", "world"])
        XCTAssertEqual(ScreenDiff.runs(from: a, to: a), [])
    }

    func testFirstFrameDrawsEverythingRowByRow() {
        var b = buffer(["ab", "cd"])
        b[1, 1] = Cell(text: "d", width: 1, role: .bad)
        XCTAssertEqual(ScreenDiff.runs(from: nil, to: b), [
            DrawRun(x: 0, y: 0, role: .normal, text: "ab", width: 2),
            DrawRun(x: 0, y: 1, role: .normal, text: "c", width: 1),
            DrawRun(x: 1, y: 1, role: .bad, text: "d", width: 1),
        ])
    }

    func testOnlyChangedRunsAreDrawn() {
        let old = buffer(["hello world", "same line  "])
        var new = buffer(["hellO worlD", "same line  "])
        new[5, 0] = Cell(text: " ", width: 1, role: .selected)  // same text, new role
        XCTAssertEqual(ScreenDiff.runs(from: old, to: new), [
            DrawRun(x: 4, y: 0, role: .normal, text: "O", width: 1),
            DrawRun(x: 5, y: 0, role: .selected, text: " ", width: 1),
            DrawRun(x: 10, y: 0, role: .normal, text: "D", width: 1),
        ])
    }

    func testAdjacentChangesMergeIntoOneRun() {
        let old = buffer(["abcdef"])
        let new = buffer(["aXYZef"])
        XCTAssertEqual(ScreenDiff.runs(from: old, to: new), [DrawRun(x: 1, y: 0, role: .normal, text: "XYZ", width: 3)])
    }

    func testResizeRedrawsEverything() {
        let old = buffer(["ab"])
        let new = buffer(["ab", "cd"])
        XCTAssertEqual(ScreenDiff.runs(from: old, to: new).count, 2)
    }

    func testWideCharactersAreDrawnWhole() {
        var old = buffer(["a    "])
        old[1, 0] = Cell(text: "中", width: 2); old[2, 0] = Cell(text: "", width: 0)
        var new = old
        // Only the right half changes role: the whole character must be redrawn.
        new[2, 0] = Cell(text: "", width: 0, role: .accent)
        XCTAssertEqual(ScreenDiff.runs(from: old, to: new), [DrawRun(x: 1, y: 0, role: .normal, text: "中", width: 2)])
        // A new wide character replaces two narrow ones.
        var wider = buffer(["abcde"])
        let before = wider
        wider[2, 0] = Cell(text: "😀", width: 2); wider[3, 0] = Cell(text: "", width: 0)
        XCTAssertEqual(ScreenDiff.runs(from: before, to: wider), [DrawRun(x: 2, y: 0, role: .normal, text: "😀", width: 2)])
        // A wide character without its right half is drawn as a space.
        var broken = buffer(["ab"])
        broken[1, 0] = Cell(text: "中", width: 2)
        XCTAssertEqual(ScreenDiff.runs(from: nil, to: broken), [DrawRun(x: 0, y: 0, role: .normal, text: "a ", width: 2)])
    }

    func testUnsafeTextNeverReachesTheTerminal() {
        var b = buffer(["abcd"])
        b[0, 0] = Cell(text: "\u{1b}", width: 1)
        b[1, 0] = Cell(text: "\u{9b}", width: 1)
        b[2, 0] = Cell(text: "\u{202e}", width: 1)
        b[3, 0] = Cell(text: "", width: 1)
        XCTAssertEqual(ScreenDiff.runs(from: nil, to: b), [DrawRun(x: 0, y: 0, role: .normal, text: "??? ", width: 4)])
        // A ZWJ emoji sequence is kept.
        XCTAssertEqual(ScreenDiff.safeText("👩‍💻", columns: 2, asciiOnly: false), "👩‍💻")
    }

    func testASCIIOnlyReplacesNonASCIIPerColumn() {
        var b = buffer(["é▏x  "])
        b[3, 0] = Cell(text: "中", width: 2); b[4, 0] = Cell(text: "", width: 0)
        XCTAssertEqual(ScreenDiff.runs(from: nil, to: b, asciiOnly: true),
                       [DrawRun(x: 0, y: 0, role: .normal, text: "??x??", width: 5)])
    }
}
