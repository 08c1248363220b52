import XCTest
@testable import Dashboard

final class SnapshotTests: XCTestCase {
    func snap(_ s: AppState, _ name: String, width: Int, height: Int, file: StaticString = #filePath, line: UInt = #line) {
        Golden.assert(Golden.render(s, width: width, height: height), named: name, file: file, line: line)
    }

    func testEachViewAt80x24And120x40() {
        for (w, h) in [(80, 24), (120, 40)] {
            for tab in Tab.allCases {
                var s = Fixture.loadedState(width: w, height: h)
                _ = update(&s, .key(.char(Character(String(tab.rawValue)))))
                XCTAssertEqual(s.tab, tab)
                snap(s, "\(tab.title.lowercased())_\(w)x\(h)", width: w, height: h)
            }
        }
    }

    func testSegmentDetail() {
        for (w, h) in [(80, 24), (120, 40)] {
            var s = Fixture.loadedState(width: w, height: h)
            for k: Key in [.char("2"), .enter] { _ = update(&s, .key(k)) }
            snap(s, "segment_detail_\(w)x\(h)", width: w, height: h)
        }
    }

    func testOverlaysAndInput() {
        var s = Fixture.loadedState()
        _ = update(&s, .key(.char("?")))
        snap(s, "help_80x24", width: 80, height: 24)
        s = Fixture.loadedState()
        _ = update(&s, .key(.char("f")))
        snap(s, "picker_80x24", width: 80, height: 24)
        s = Fixture.loadedState()
        for k: Key in [.char("2"), .char("/"), .char("u"), .char("s")] { _ = update(&s, .key(k)) }
        snap(s, "search_80x24", width: 80, height: 24)
    }

    func testLoadingAndFailure() {
        var s = AppState(options: DashboardOptions())
        _ = update(&s, .resize(width: 80, height: 24))
        _ = update(&s, .tick(nowMs: Fixture.nowMs))
        snap(s, "loading_start_80x24", width: 80, height: 24)
        _ = update(&s, .loadProgress(LoadProgress(bytesRead: 120_400_000, totalBytes: 287_455_192, events: 1_204_332,
                                                  elapsedSeconds: 2.5, file: "events/2026-02.jsonl.gz")))
        snap(s, "loading_80x24", width: 80, height: 24)
        _ = update(&s, .loadFailed("cannot read events/2026-02.jsonl.gz: gzip stream is corrupt at byte 4,112 (line 77)"))
        snap(s, "load_failed_80x24", width: 80, height: 24)
    }

    func testASCIIGlyphs() {
        var s = Fixture.loadedState(glyphs: .ascii)
        snap(s, "overview_ascii_80x24", width: 80, height: 24)
        _ = update(&s, .key(.char("3")))
        snap(s, "feedback_ascii_80x24", width: 80, height: 24)
    }

    func testFilteringHeader() {
        var s = Fixture.loadedState()
        for k: Key in [.char("f"), .down, .enter] { _ = update(&s, .key(k)) }
        snap(s, "filtering_80x24", width: 80, height: 24)
    }

    func testTooSmall() {
        let s = Fixture.loadedState(width: 39, height: 10)
        snap(s, "too_small_39x10", width: 39, height: 10)
    }
}
