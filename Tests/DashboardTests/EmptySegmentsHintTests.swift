import XCTest
import Analytics
@testable import Dashboard
import EarshotTestSupport

/// Issue #13.7: with no segments, every place that says so names `--segments FILE` (a flag that
/// exists) and where earshot looked for a `*.segments` file.
final class EmptySegmentsHintTests: XCTestCase {
    func state(rules: RulesOrigin, width: Int = 120, height: Int = 40) -> AppState {
        var report = Fixture.report
        report.segments = []
        report.overlap = []
        var s = AppState(options: DashboardOptions())
        _ = update(&s, .resize(width: width, height: height))
        _ = update(&s, .tick(nowMs: Fixture.nowMs))
        _ = update(&s, .loaded(DashboardData(report: report, sourceDescription: "/srv/store", loadSeconds: 1, rules: rules)))
        return s
    }

    func screen(_ s: AppState, width: Int = 120, height: Int = 40) -> String {
        Golden.render(s, width: width, height: height).textLines().joined(separator: "\n")
            .split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "│" || $0 == "|" }).joined(separator: " ")
    }

    func testEveryPlaceNamesTheFlagAndWhereEarshotLooked() {
        var s = state(rules: .notFound(searched: ["/srv/store"]))
        let overview = screen(s)
        XCTAssertTrue(overview.contains("--segments FILE"), overview)
        XCTAssertTrue(overview.contains("*.segments file in /srv/store"), overview)
        _ = update(&s, .key(.char("2")))
        let segments = screen(s)
        XCTAssertTrue(segments.contains("--segments FILE"), segments)
        XCTAssertTrue(segments.contains("no *.segments file in /srv/store"), segments)
        _ = update(&s, .key(.char("f")))
        XCTAssertEqual(s.message, "No segments: pass a rules file with --segments FILE; no *.segments file in /srv/store")
        for text in [overview, segments, s.message ?? ""] { XCTAssertFalse(text.contains("--rules"), text) }
    }

    func testAGivenFileWithoutSegmentsIsNamed() {
        var s = state(rules: .file("/srv/shop.segments"))
        _ = update(&s, .key(.char("2")))
        XCTAssertTrue(screen(s).contains("No segments in /srv/shop.segments"), screen(s))
    }

    func testStoreTextInTheHintIsSanitized() {
        var s = state(rules: .notFound(searched: ["/srv/\u{1b}]0;x\u{07}store"]), width: 80, height: 24)
        _ = update(&s, .key(.char("2")))
        let buf = Golden.render(s, width: 80, height: 24)
        for line in buf.textLines() { XCTAssertNil(EscapeCorpus.firstForbidden(in: line, newlines: false), line) }
    }
}
