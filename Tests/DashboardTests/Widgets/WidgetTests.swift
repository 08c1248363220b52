import XCTest
import Analytics
@testable import Dashboard

/// Small inline tests of the widgets: each draws into a few cells and is compared with the expected lines, so a
/// change to a widget fails here first (the screen goldens cover whole views).
final class WidgetTests: XCTestCase {
    func draw(_ w: some Widget, width: Int, height: Int = 1) -> ScreenBuffer {
        var buf = ScreenBuffer(width: width, height: height)
        w.render(into: &buf, area: buf.area)
        return buf
    }

    func testBarFillsItsFractionWithEighths() {
        assertBuffer(draw(Bar(fraction: 0.5, glyphs: .unicode), width: 8), ["████"], roles: ["===="])
        assertBuffer(draw(Bar(fraction: 0.5625, glyphs: .unicode), width: 8), ["████▌"])
        assertBuffer(draw(Bar(fraction: 1, glyphs: .ascii), width: 4), ["####"])
        // Out of range and not-a-number draw nothing past the area or nothing at all.
        assertBuffer(draw(Bar(fraction: 7, glyphs: .ascii), width: 3), ["###"])
        assertBuffer(draw(Bar(fraction: .nan, glyphs: .ascii), width: 3), [""])
    }

    func testSparklineLeavesWithheldPointsBlank() {
        let s = Sparkline(series: Series([0, 1, nil, 2]), glyphs: .ascii)
        let buf = draw(s, width: 4)
        XCTAssertEqual(buf[2, 0].text, " ", "a withheld point is not drawn")
        XCTAssertNotEqual(buf[3, 0].text, " ")
        XCTAssertEqual(buf.roleLines, ["== ="])
    }

    func testTableWidgetHeaderSortMarkAndSelection() {
        let columns: [TableColumn<(String, Int)>] = [
            TableColumn("NAME", width: 6, flex: true, align: .left, cell: { .text($0.0, .normal) }, key: { .folded($0.0) }),
            TableColumn("N", width: 3, cell: { .text(Format.int($0.1), .good) }, key: { CellText.key($0.1) }),
        ]
        let model = TableModel(title: "T", columns: columns, rows: [("b", 1), ("a", 22)], emptyMessage: "none",
                               search: { $0.0 })
        var st = TableState()
        st.sort(by: 1, model)
        let w = TableWidget(model: model, state: st, focused: true, glyphs: .ascii)
        assertBuffer(draw(w, width: 12, height: 3), [
            " NAME    Nv",
            " a       22",
            " b        1",
        ], roles: [
            "hhhhhhhhhhhh",
            "ssssssssssss",
            "          g ",
        ])
        XCTAssertEqual(w.title(), "T (2) | sort n v")
        XCTAssertEqual(w.positionNote, "1/2")
    }

    func testTableWidgetSaysWhenNoRowMatches() {
        let columns: [TableColumn<String>] = [TableColumn("NAME", width: 4, align: .left, cell: { .text($0, .normal) })]
        let model = TableModel(title: "T", columns: columns, rows: ["x"], emptyMessage: "none", search: { $0 })
        var st = TableState()
        st.filter = "q"
        st.recompute(model)
        assertBuffer(draw(TableWidget(model: model, state: st, focused: true, glyphs: .ascii), width: 33, height: 4), [
            " NAME",
            "",
            " No rows match \"q\" (Esc clears)",
        ])
        // Narrower, the message wraps at a space instead of being cut.
        assertBuffer(draw(TableWidget(model: model, state: st, focused: true, glyphs: .ascii), width: 24, height: 4), [
            " NAME",
            "",
            " No rows match \"q\" (Esc",
            "        clears)",
        ])
    }

    func testFlexTableWidensToContentAndDropsWhatDoesNotFit() {
        let columns: [TableColumn<Int>] = [
            TableColumn("a", width: 2, cell: { .text(String(repeating: "9", count: $0), .normal) }),
            TableColumn("wide col", width: 8, cell: { _ in .text("x", .muted) }),
            TableColumn("b", width: 2, cell: { _ in .text("y", .bad) }),
        ]
        // 19 cells, the flexible text keeps 6: "a" is 4 wide (its widest cell), "wide col" (8) does not fit after it,
        // "b" (2) does.
        let t = FlexTable(columns, rows: [4, 1], in: Rect(x: 0, y: 0, width: 19, height: 1), minFlex: 6)
        XCTAssertEqual(t.shown.map(\.index), [0, 2])
        var buf = ScreenBuffer(width: 19, height: 2)
        t.header(into: &buf, y: 0, flexTitle: "name", glyphs: .ascii)
        buf.put("row", in: t.flex(y: 1), role: .normal, ellipsis: "~")
        t.cells(into: &buf, 4, y: 1, glyphs: .ascii)
        assertBuffer(buf, [
            "name           a  b",
            "row         9999  y",
        ])
    }

    func testFlexTableWidgetDrawsTheFirstColumnFlexibleTheSortMarkAndTheSelection() {
        let columns: [TableColumn<(String, Int)>] = [
            TableColumn("name", width: 4, flex: true, align: .left, cell: { .text($0.0, .normal) }, key: { .folded($0.0) }),
            TableColumn("n", width: 1, cell: { .text(Format.int($0.1), .good) }, key: { CellText.key($0.1) }),
        ]
        let model = TableModel(title: "T", columns: columns, rows: [("b", 1), ("a", 22)], emptyMessage: "none", search: { $0.0 })
        var st = TableState()
        st.sort(by: 1, model)   // n, largest first: a (22), b (1)
        let w = FlexTableWidget(model: model, state: st, minFlex: 4, glyphs: .ascii)
        assertBuffer(draw(w, width: 10, height: 3), [
            "name    nv",
            "a       22",
            "b        1",
        ], roles: [
            "hhhh    hh",
            "ssssssssss",
            "         g",
        ])
        st.filter = "zz"
        st.recompute(model)
        assertBuffer(draw(FlexTableWidget(model: model, state: st, minFlex: 4, glyphs: .ascii), width: 34, height: 2), [
            "name                            nv",
            " No rows match \"zz\" (Esc clears)",
        ])
    }

    func testColumnLayoutFlexThenFixed() {
        let fit = ColumnLayout.flexThenFixed([4, 8, 2], width: 19, minFlex: 6)
        XCTAssertEqual(fit.kept, [0, 2], "the 8-wide part is skipped, the 2-wide one after it still fits")
        XCTAssertEqual(fit.xs, [12, 17])
        XCTAssertEqual(fit.flex, 11)
        // With one cell more the 8-wide part fits and the last does not.
        XCTAssertEqual(ColumnLayout.flexThenFixed([4, 8, 2], width: 20, minFlex: 6).kept, [0, 1])
    }

    func testHowToBoxExplainsWithTheFirstLineNormalAndTheRestMuted() {
        let w = HowToBox(title: "Loops", lines: ["No loops.", "  loop \"x\":"], glyphs: .ascii)
        assertBuffer(draw(w, width: 16, height: 4), [
            "+- Loops ------+",
            "| No loops.    |",
            "|   loop \"x\":  |",
            "+--------------+",
        ], roles: [
            "||ttttttt|||||||",
            "|              |",
            "| mmmmmmmmmmm  |",
        ])
    }
}
