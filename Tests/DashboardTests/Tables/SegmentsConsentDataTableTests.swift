import XCTest
import Analytics
import EventStore
@testable import Dashboard

/// The Segments, Consent and Data views' tables (Sources/Dashboard/Views/SegmentsTable.swift, ConsentTable.swift,
/// DataTables.swift): declared columns give one cell and one key per column, and the rows the views rely on.
final class SegmentsConsentDataTableTests: XCTestCase {
    let m = ViewModel(report: Fixture.report, source: "t", loadSeconds: 0, glyphs: .unicode, categoryIndex: 1)

    func wellFormed(_ t: TableModel, file: StaticString = #filePath, line: UInt = #line) {
        for r in t.rows {
            XCTAssertEqual(r.cells.count, t.columns.count, file: file, line: line)
            XCTAssertEqual(r.keys.count, t.columns.count, file: file, line: line)
        }
        // A column without a sort key is not offered for sorting, and its keys are all missing.
        for (c, col) in t.columns.enumerated() where !col.sortable {
            XCTAssertTrue(t.rows.allSatisfy { $0.keys[c] == .missing }, col.title, file: file, line: line)
        }
    }

    func testSegmentsReachColumnFollowsTheCategory() {
        let t0 = m.segmentsTable(categoryIndex: 0), t1 = m.segmentsTable(categoryIndex: 1)
        wellFormed(t0)
        XCTAssertEqual(t0.columns.map(\.title).prefix(5), ["SEGMENT", "SIZE", "SHARE", "1W CHG", "TREND"])
        XCTAssertEqual(t0.columns[5].title, "REACH " + m.categories[0].name)
        XCTAssertEqual(t1.columns[5].title, "REACH " + m.categories[1].name)
        XCTAssertFalse(t0.columns[4].sortable, "the trend does not sort")
        let s = m.segments[0]
        XCTAssertEqual(t1.rows[0].keys[5], s.reachable[1].map { .number(Double($0)) } ?? .missing)
        XCTAssertTrue(t0.rows[0].search.contains(s.name.lowercased()))
    }

    func testConsentHasAPinnedAllPersonsRowAndOneColumnPerCategory() {
        let t = m.tables[.consent]!
        wellFormed(t)
        XCTAssertEqual(t.columns.count, 2 + m.categories.count)
        XCTAssertEqual(t.rows.first?.pinned, true)
        XCTAssertEqual(t.rows.first?.ref, -1)
        XCTAssertEqual(t.rows.dropFirst().map(\.ref), Array(m.segments.indices))
        XCTAssertEqual(t.rows[0].cells[2], .text(Format(missing: "—").percent(m.categories[0].coverage),
                                                 ViewModel.coverageRole(m.categories[0].coverage)))
    }

    func testDataListsSortLineNumbersAsNumbersAndKeepWarningsUnsorted() {
        let lines = [MalformedLineReport(file: "a.jsonl", line: 10, reason: "x"), MalformedLineReport(file: "a.jsonl", line: 9, reason: "y")]
        let mal = DataTables.malformed(lines, sanitizer: Sanitizer())
        wellFormed(mal)
        var st = TableState()
        st.sort(by: 0, mal)
        XCTAssertEqual(st.order, [1, 0], "line 9 before line 10")
        let files = DataTables.files(m.files, warnings: ["w1"])
        wellFormed(files)
        XCTAssertEqual(files.rows.last?.cells.first, .text("! w1", .warn))
        XCTAssertEqual(files.rows.last?.keys, [.missing, .missing, .missing, .missing])
    }
}
