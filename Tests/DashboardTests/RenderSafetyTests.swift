import XCTest
@testable import Dashboard

final class RenderSafetyTests: XCTestCase {
    func testTooSmallTerminals() {
        for (w, h) in [(10, 3), (0, 0), (1, 1), (39, 24), (80, 9)] {
            let s = Fixture.loadedState(width: w, height: h)
            let buf = Golden.render(s, width: w, height: h)
            XCTAssertEqual(buf.width, w)
            XCTAssertEqual(buf.height, h)
            let text = buf.textLines().joined(separator: "\n")
            if w >= 20 && h >= 1 {
                XCTAssertTrue(text.contains("terminal too small (\(w)×\(h), need 40×10)"), text)
            }
        }
        let tiny = Golden.render(Fixture.loadedState(width: 10, height: 3), width: 10, height: 3).textLines()
        XCTAssertEqual(tiny, ["          ", "terminal …", "          "])
        XCTAssertEqual(Golden.render(Fixture.loadedState(width: 1, height: 1), width: 1, height: 1).textLines(), ["…"])
        XCTAssertEqual(Golden.render(Fixture.loadedState(width: 0, height: 0), width: 0, height: 0).textLines(), [])
    }

    func testMinimumSizeShowsTheDashboard() {
        let buf = Golden.render(Fixture.loadedState(width: 40, height: 10), width: 40, height: 10)
        XCTAssertTrue(buf.textLines()[1].contains("1 Ove"), buf.textLines().joined(separator: "\n"))
    }

    /// Every view, overlay and the loading screen at widths 0…46 (and some up to 90) and many heights: no crash,
    /// and no wide character left without its continuation cell.
    func testEverySizeRendersWithoutTrapping() {
        var states: [AppState] = []
        for tab in Tab.allCases {
            var s = Fixture.loadedState()
            _ = update(&s, .key(.char(Character(String(tab.rawValue)))))
            states.append(s)
        }
        var detail = Fixture.loadedState()
        for k: Key in [.char("2"), .char("j"), .char("j"), .char("j"), .enter] { _ = update(&detail, .key(k)) }
        states.append(detail)
        var help = Fixture.loadedState(); _ = update(&help, .key(.char("?"))); states.append(help)
        var picker = Fixture.loadedState(); _ = update(&picker, .key(.char("f"))); states.append(picker)
        var search = Fixture.loadedState(); for k: Key in [.char("5"), .char("/"), .char("x")] { _ = update(&search, .key(k)) }
        states.append(search)
        var loading = AppState(options: DashboardOptions())
        _ = update(&loading, .loadProgress(LoadProgress(bytesRead: 5, totalBytes: 10, events: 1, elapsedSeconds: 0.5, file: "東京.jsonl")))
        states.append(loading)
        var ascii = Fixture.loadedState(glyphs: .ascii); _ = update(&ascii, .key(.char("3"))); states.append(ascii)
        for s in states {
            for w in Array(0...46) + Array(stride(from: 50, through: 90, by: 8)) {
                for h in [0, 1, 2, 3, 7, 10, 11, 13, 24, 31] {
                    var st = s
                    _ = update(&st, .resize(width: w, height: h))
                    var buf = ScreenBuffer(width: w, height: h)
                    render(st, into: &buf)
                    for y in 0..<h {
                        for x in 0..<w where buf[x, y].width == 2 {
                            XCTAssertTrue(x + 1 < w && buf[x + 1, y].width == 0, "wide cell without continuation at \(x),\(y) in \(w)x\(h)")
                        }
                    }
                }
            }
        }
    }
}
