import XCTest
import Analytics
@testable import Dashboard

/// The Feedback view's table (Sources/Dashboard/Views/FeedbackTable.swift).
final class FeedbackTableTests: XCTestCase {
    func testSurveysStayUnderTheirChannelWhateverTheSort() {
        let m = ViewModel(report: Fixture.report, source: "t", loadSeconds: 0, glyphs: .unicode, categoryIndex: 0)
        let t = FeedbackTable.model(m.loops, cells: m.cells)
        XCTAssertEqual(t.columns.map(\.title), ["LOOP", "PROMPTS", "ANSWERED", "RESP", "DISMISS", "MEDIAN", "NPS", "PROM/PASS/DETR"])
        XCTAssertEqual(t.columns.map(\.sortable), [true, true, true, true, true, true, true, false])
        var st = TableState()
        st.sort(by: 1, t)
        for (pos, row) in st.order.enumerated() {
            guard let p = t.rows[row].parent else { continue }
            XCTAssertTrue(st.order[..<pos].contains(p), "a survey follows its channel")
        }
        // One row per loop, each with a cell and a key per column.
        XCTAssertEqual(t.rows.count, m.loops.count)
        XCTAssertTrue(t.rows.allSatisfy { $0.cells.count == t.columns.count && $0.keys.count == t.columns.count })
    }

    func testWithheldCountsShowTheirMark() {
        var l = Fixture.loop("email", prompts: 3, answered: 1, dismissed: 0, median: nil, persons: 3, personsAnswered: 1)
        l.$prompts = .belowMinimum
        let privacy = PrivacySummary(minCohort: 5)
        let c = CellText(privacy: privacy, format: Format(missing: "—"))
        let t = FeedbackTable.model([LoopInfo(label: "email", channel: "email", isSurvey: false, stats: l, nps: nil)], cells: c)
        XCTAssertEqual(t.rows[0].cells[1], .text("<5", .normal))
        XCTAssertEqual(t.rows[0].cells[5], .text("—", .normal), "no median is the missing mark, not a withheld one")
    }
}
