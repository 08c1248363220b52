import XCTest
import Analytics
@testable import Dashboard

/// The Loops view's table (Sources/Dashboard/Views/LoopsTable.swift): declared columns, sorting like the others.
final class LoopsTableTests: XCTestCase {
    let cells = CellText(privacy: PrivacySummary(), format: Format(missing: "—"))
    var model: TableModel { LoopsTable.model(FlowFixture.loops, cells: cells, sanitizer: Sanitizer(glyphs: .unicode)) }

    func testColumnsAndCells() {
        let m = model
        XCTAssertEqual(m.columns.map(\.title), ["loop", "in time", "open", "missed", "oldest open", "triggers", "late",
                                                "within", "median close", "persons"])
        XCTAssertEqual(m.rows[0].cells[0], .text("Late delivery apology", .normal))
        XCTAssertEqual(m.rows[0].cells[2], .text("17", .warn), "open loops warn")
        XCTAssertEqual(m.rows[1].cells[3], .text("20", .bad), "missed loops are bad")
        XCTAssertEqual(m.rows[0].cells[7], .text("1d", .muted))
        XCTAssertTrue(m.columns.allSatisfy(\.sortable))
    }

    func testSortsByAFigureWithWithheldValuesLast() {
        var st = TableState()
        let m = model
        st.sort(by: 2, m)   // open, largest first
        XCTAssertEqual(st.order, [0, 1, 2])
        st.sort(by: 1, m)   // in time: the payment loop's rate is withheld (missing), so last either way
        XCTAssertEqual(st.order.last, 2)
        st.sort(by: 1, reversed: true, m)
        XCTAssertEqual(st.order.last, 2)
        st.sort(by: 0, m)   // names A→Z
        XCTAssertEqual(st.order, [1, 2, 0])
    }

    func testTheViewSortsAndShowsTheSelectedLoopsPanels() {
        var s = Fixture.loadedState(width: 120, height: 40)
        _ = update(&s, .key(.char("7")))
        _ = update(&s, .key(.char("S")))   // unsorted → the first sortable column (loop), reversed: Z→A
        XCTAssertEqual(s.tables[.loops]?.sortColumn, 0)
        XCTAssertEqual(s.tables[.loops]?.order, [0, 2, 1])
        _ = update(&s, .key(.char("j")))
        let text = Golden.render(s, width: 120, height: 40).textLines()
        XCTAssertTrue(text.contains { $0.contains("loop▲") || $0.contains("loop▼") }, "the sorted column is marked")
        XCTAssertTrue(text.contains { $0.contains("Loops (3) · sort loop ▼") }, text.joined(separator: "\n"))
        // The second row is now "Failed payment retry" and the panels show it.
        XCTAssertTrue(text.contains { $0.contains("Open by age · Failed payment retry") }, text.joined(separator: "\n"))
    }
}
