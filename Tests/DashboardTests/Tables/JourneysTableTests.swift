import XCTest
import Analytics
@testable import Dashboard

/// The Journeys view's tree table (Sources/Dashboard/Views/JourneysTable.swift) and the rule that a table's column
/// widths are measured once, when its model is built, not on every frame.
final class JourneysTableTests: XCTestCase {
    let cells = CellText(privacy: PrivacySummary(), format: Format(missing: "—"))

    func testNodeCellsAndWidthsOfTheVisibleRows() {
        let rows = FlowFixture.journeys[0].visibleRows(expanded: [])
        let m = JourneysTable.model(rows, cells: cells)
        XCTAssertEqual(m.columns.map(\.title), ["persons", "share", "entries", "ended"])
        XCTAssertEqual(m.rows[0].cells, [.text("760", .normal), .text("66.1%", .normal), .text("820", .muted), .text("210", .muted)])
        XCTAssertEqual(m.rows[2].cells[3], .text("", .muted), "a leaf that ended nowhere has no ended count")
        // Each width: the declared one, the title, or the widest text cell.
        XCTAssertEqual(m.widths, [8, 7, 8, 7])
    }

    func testAModelIsMeasuredWhenBuiltAndDrawingMeasuresNothing() {
        final class Counter: @unchecked Sendable { var calls = 0 }
        let counter = Counter()
        let columns: [TableColumn<Int>] = [
            TableColumn("name", width: 4, flex: true, align: .left, cell: { counter.calls += 1; return .text("r\($0)", .normal) }),
            TableColumn("n", width: 1, cell: { counter.calls += 1; return .text(String(repeating: "9", count: $0), .normal) }),
        ]
        let m = TableModel(title: "T", columns: columns, rows: [3, 12], emptyMessage: "", search: { "\($0)" })
        XCTAssertEqual(counter.calls, 4, "each cell once, when the model is built")
        XCTAssertEqual(m.widths, [4, 12])
        var buf = ScreenBuffer(width: 20, height: 3)
        for _ in 0..<3 {   // three frames
            let t = FlexTable(m, figures: [1], in: Rect(x: 0, y: 0, width: 20, height: 1), minFlex: 4)
            t.header(into: &buf, y: 0, flexTitle: "name", glyphs: .ascii)
            for (k, row) in m.rows.enumerated() { t.cells(into: &buf, row, y: 1 + k, glyphs: .ascii) }
        }
        XCTAssertEqual(counter.calls, 4, "frames measure and draw from the model, calling no cell closure")
        assertBuffer(buf, [
            "name               n",
            "                 999",
            "        999999999999",
        ])
    }

    func testTheTreeTableFollowsExpandingAndCollapsing() {
        var s = Fixture.loadedState(width: 120, height: 40)
        _ = update(&s, .key(.char("6")))
        let before = s.journeyTable.rows.count
        XCTAssertEqual(before, s.journeyRows.count)
        _ = update(&s, .key(.enter))   // expand the first node
        XCTAssertGreaterThan(s.journeyTable.rows.count, before)
        XCTAssertEqual(s.journeyTable.rows.count, s.journeyRows.count)
        _ = update(&s, .key(.escape))
        XCTAssertEqual(s.journeyTable.rows.count, before)
    }
}
