import XCTest
import Analytics
@testable import Dashboard

final class UpdateTests: XCTestCase {

    /// Names of the visible segment rows, in order.
    func segmentOrder(_ s: AppState) -> [String] {
        let t = s.model!.tables[.segments]!
        return s.tables[.segments]!.order.map { s.model!.segments[t.rows[$0].ref].rawName }
    }

    func testTabSwitchingByNumberTabAndShiftTab() {
        var s = Fixture.loadedState()
        XCTAssertEqual(s.tab, .overview)
        press(&s, .char("4"))
        XCTAssertEqual(s.tab, .consent)
        press(&s, .tab, .tab)
        XCTAssertEqual(s.tab, .journeys)
        press(&s, .tab, .tab)
        XCTAssertEqual(s.tab, .overview, "Tab wraps from Loops to Overview")
        press(&s, .backTab)
        XCTAssertEqual(s.tab, .loops)
        press(&s, .char("2"))
        XCTAssertEqual(s.tab, .segments)
    }

    func testNavigationMovesClampsAndScrolls() {
        var s = Fixture.loadedState(width: 80, height: 12)
        press(&s, .char("2"))
        let rows = Layout.tableRows(s, .segments)
        XCTAssertEqual(rows, 6, "12 rows: header, tabs, status, box borders and the column header leave 6")
        press(&s, .char("j"), .down, .char("j"))
        XCTAssertEqual(s.tables[.segments]?.selected, 3)
        press(&s, .up)
        XCTAssertEqual(s.tables[.segments]?.selected, 2)
        press(&s, .end)
        XCTAssertEqual(s.tables[.segments]?.selected, 6)
        XCTAssertEqual(s.tables[.segments]?.offset, 1, "the last of 7 rows is visible in a 6-row window")
        press(&s, .down)
        XCTAssertEqual(s.tables[.segments]?.selected, 6, "stays on the last row")
        press(&s, .home)
        XCTAssertEqual(s.tables[.segments]?.selected, 0)
        XCTAssertEqual(s.tables[.segments]?.offset, 0)
        press(&s, .pageDown)
        XCTAssertEqual(s.tables[.segments]?.selected, 5, "a page is the window less one row")
        press(&s, .up)
        XCTAssertEqual(s.tables[.segments]?.selected, 4)
    }

    func testDrillDownNextSegmentAndBack() {
        var s = Fixture.loadedState()
        press(&s, .char("2"), .char("j"), .enter)
        XCTAssertEqual(s.detail, 1)
        XCTAssertEqual(s.model?.segments[1].rawName, "Power users")
        XCTAssertEqual(s.keyContexts, [.detail, .global])
        press(&s, .down)
        XCTAssertEqual(s.detail, 2, "Down opens the next segment of the list")
        press(&s, .escape)
        XCTAssertNil(s.detail)
        XCTAssertEqual(s.tables[.segments]?.selected, 2, "back on the list at the segment last shown")
        press(&s, .char("4"), .enter)
        XCTAssertNil(s.detail, "Enter opens nothing outside the Segments view")
    }

    func testSlashFiltersRowsEnterAppliesEscCancels() {
        var s = Fixture.loadedState()
        press(&s, .char("2"), .char("/"))
        XCTAssertEqual(s.input, "")
        type(&s, "trix")
        press(&s, .backspace)
        XCTAssertEqual(s.input, "tri")
        XCTAssertEqual(segmentOrder(s), ["Trial users"], "the table is filtered as the text is typed")
        press(&s, .enter)
        XCTAssertNil(s.input)
        XCTAssertEqual(s.tables[.segments]?.filter, "tri")
        XCTAssertEqual(segmentOrder(s), ["Trial users"])
        // Search also matches rule text, case-insensitively.
        press(&s, .char("/"), .ctrl("u"))
        type(&s, "ORDER COMPLETED")
        press(&s, .enter)
        XCTAssertEqual(segmentOrder(s), ["Power users"])
        // Esc on the line cancels the edit and restores the filter the table had.
        press(&s, .char("/"))
        type(&s, "zzz")
        XCTAssertEqual(s.tables[.segments]?.order.count, 0, "live: nothing matches zzz")
        press(&s, .escape)
        XCTAssertNil(s.input)
        XCTAssertEqual(s.tables[.segments]?.filter, "ORDER COMPLETED")
        // Esc in the table clears the filter.
        press(&s, .escape)
        XCTAssertEqual(s.tables[.segments]?.filter, "")
        XCTAssertEqual(s.tables[.segments]?.order.count, 7)
        // Keys typed in the line are text, not commands.
        press(&s, .char("/"))
        type(&s, "q2")
        XCTAssertEqual(s.input, "q2")
        XCTAssertEqual(s.tab, .segments)
    }

    func testSortPickerListsTheColumnsAndSReverses() {
        var s = Fixture.loadedState()
        press(&s, .char("2"))
        XCTAssertNil(s.tables[.segments]?.sortColumn)
        XCTAssertEqual(segmentOrder(s).first, "Trial users", "natural order is the rules file's")
        // s opens a picker (htop's F6) listing the natural order and every sortable column; nothing is sorted yet.
        press(&s, .char("s"))
        XCTAssertEqual(s.overlay, .sort(selected: 0))
        XCTAssertNil(s.tables[.segments]?.sortColumn)
        let picker = Golden.render(s, width: 80, height: 24).textLines().joined(separator: "\n")
        for title in ["Sort by", "natural order", "SEGMENT", "SIZE", "SHARE", "1W CHG", "REACH Marketing"] {
            XCTAssertTrue(picker.contains(title), "\(title) in\n\(picker)")
        }
        XCTAssertEqual(SortPickerOverlay.entries(s.model!.tables[.segments]!),
                       ["natural order", "SEGMENT", "SIZE", "SHARE", "1W CHG", "REACH Marketing"], "a sparkline column cannot be sorted")
        press(&s, .down, .enter)
        XCTAssertNil(s.overlay)
        XCTAssertEqual(s.tables[.segments]?.sortColumn, 0)
        XCTAssertEqual(s.tables[.segments]?.descending, false)
        XCTAssertEqual(segmentOrder(s).first, "Churn risk")
        // The picker opens on the current column; Down, Enter: size, largest first.
        press(&s, .char("s"))
        XCTAssertEqual(s.overlay, .sort(selected: 1))
        press(&s, .down, .enter)
        XCTAssertEqual(s.tables[.segments]?.sortColumn, 1)
        XCTAssertEqual(s.tables[.segments]?.descending, true)
        XCTAssertEqual(segmentOrder(s), ["Trial users", "Newsletter subscribers in the European Economic Area who opened at least three campaigns",
                                         "Power users", "東京の顧客 (Tokyo customers)", "Churn risk", "Promoters", "Spring promo"])
        press(&s, .char("S"))
        XCTAssertEqual(s.tables[.segments]?.descending, false)
        XCTAssertEqual(segmentOrder(s).first, "Spring promo")
        // S in the picker sorts by the chosen column reversed; Esc leaves the sort alone.
        press(&s, .char("s"), .down, .down, .char("S"))
        XCTAssertEqual(s.tables[.segments]?.sortColumn, 3, "1W CHG")
        XCTAssertEqual(s.tables[.segments]?.descending, false)
        press(&s, .char("s"), .down, .escape)
        XCTAssertEqual(s.tables[.segments]?.sortColumn, 3)
        press(&s, .char("s"), .home, .enter)
        XCTAssertNil(s.tables[.segments]?.sortColumn, "the first entry is the natural order")
        XCTAssertEqual(segmentOrder(s).first, "Trial users")
        // The sort shows in the column header.
        press(&s, .char("s"), .down, .down, .enter)
        let text = Golden.render(s, width: 80, height: 24).textLines().joined(separator: "\n")
        XCTAssertTrue(text.contains("SIZE▼"), text)
        XCTAssertTrue(text.contains("sort size ▼"), text)
    }

    func testSelectionFollowsTheRowWhenSorting() {
        var s = Fixture.loadedState()
        press(&s, .char("2"), .char("j"), .char("j"))  // Churn risk
        press(&s, .char("s"), .down, .down, .enter)  // size, largest first
        XCTAssertEqual(segmentOrder(s)[s.tables[.segments]!.selected], "Churn risk")
    }

    func testHelpOpensScrollsAndCloses() {
        var s = Fixture.loadedState(width: 80, height: 24)
        press(&s, .char("?"))
        XCTAssertEqual(s.overlay, .help(scroll: 0))
        press(&s, .char("j"), .char("j"))
        XCTAssertEqual(s.overlay, .help(scroll: 2))
        XCTAssertEqual(press(&s, .char("q")), [], "q closes the help instead of quitting")
        XCTAssertNil(s.overlay)
        press(&s, .function(1))
        XCTAssertNotNil(s.overlay)
        press(&s, .escape)
        XCTAssertNil(s.overlay)
        // The help lists every binding's description from the key map.
        press(&s, .char("?"))
        let lines = Layout.helpLines(s)
        XCTAssertEqual(lines.filter { !$0.isSection && !$0.key.isEmpty }.count, KeyMap.standard.bindings.count)
    }

    func testSegmentFilterEffectThenFilterReady() {
        var s = Fixture.loadedState()
        press(&s, .char("f"))
        XCTAssertEqual(s.overlay, .picker(selected: 0, offset: 0))
        let effects = press(&s, .down, .enter)
        XCTAssertEqual(effects, [.computeFilter(segment: "Trial users")])
        XCTAssertEqual(s.pendingFilter, "Trial users")
        XCTAssertNil(s.segmentFilter)
        XCTAssertTrue(s.wantsTicks)
        let header = Golden.render(s, width: 80, height: 24).textLines()[0]
        XCTAssertTrue(header.contains("filtering to Trial users"), header)

        var filtered = Fixture.report
        filtered.store.persons = 12_400
        // An answer for another segment (a stale request) is ignored.
        _ = update(&s, .filterReady(segment: "Power users", report: filtered))
        XCTAssertNil(s.segmentFilter)
        XCTAssertEqual(s.model?.store.persons, 48_210)
        _ = update(&s, .filterReady(segment: "Trial users", report: filtered))
        XCTAssertEqual(s.segmentFilter, "Trial users")
        XCTAssertNil(s.pendingFilter)
        XCTAssertEqual(s.model?.store.persons, 12_400)
        XCTAssertFalse(s.wantsTicks)
        let header2 = Golden.render(s, width: 80, height: 24).textLines()[0]
        XCTAssertTrue(header2.contains("segment: Trial users"), header2)

        // "All persons" clears it at once.
        press(&s, .char("f"))
        XCTAssertEqual(s.overlay, .picker(selected: 1, offset: 0), "the picker opens on the active segment")
        XCTAssertEqual(press(&s, .home, .enter), [.computeFilter(segment: nil)])
        XCTAssertNil(s.segmentFilter)
        XCTAssertEqual(s.model?.store.persons, 48_210)
        // Esc closes the picker without an effect.
        XCTAssertEqual(press(&s, .char("f"), .down, .escape), [])
        XCTAssertNil(s.overlay)
    }

    func testResizeKeepsSelectionVisible() {
        var s = Fixture.loadedState(width: 80, height: 24)
        press(&s, .char("2"), .end)
        XCTAssertEqual(s.tables[.segments]?.offset, 0)
        _ = update(&s, .resize(width: 60, height: 11))
        XCTAssertEqual(s.width, 60)
        XCTAssertEqual(s.height, 11)
        XCTAssertEqual(Layout.tableRows(s, .segments), 5)
        XCTAssertEqual(s.tables[.segments]?.offset, 2, "rows 2…6 shown, the selected last row included")
    }

    func testQuitEffects() {
        var s = Fixture.loadedState()
        XCTAssertEqual(press(&s, .char("q")), [.quit])
        XCTAssertEqual(press(&s, .ctrl("c")), [.quit])
        press(&s, .char("2"), .char("/"))
        XCTAssertEqual(press(&s, .ctrl("c")), [.quit], "Ctrl-C quits even from the search line")
    }

    func testReloadKeepsTabAndReappliesTheSegmentFilter() {
        var s = Fixture.loadedState()
        press(&s, .char("3"))
        XCTAssertEqual(press(&s, .char("r")), [.reload])
        XCTAssertEqual(s.phase, .loading(nil))
        XCTAssertEqual(press(&s, .char("r")), [], "no second reload while loading")
        XCTAssertEqual(update(&s, .loaded(Fixture.data)), [])
        XCTAssertEqual(s.phase, .ready)
        XCTAssertEqual(s.tab, .feedback)

        press(&s, .char("f"), .down, .down, .enter)
        _ = update(&s, .filterReady(segment: "Power users", report: Fixture.report))
        XCTAssertEqual(s.segmentFilter, "Power users")
        press(&s, .char("r"))
        XCTAssertEqual(update(&s, .loaded(Fixture.data)), [.computeFilter(segment: "Power users")])
        XCTAssertEqual(s.pendingFilter, "Power users")
    }

    func testKeysWhileLoadingAndAfterAFailure() {
        var s = AppState(options: DashboardOptions())
        XCTAssertTrue(s.wantsTicks)
        XCTAssertEqual(press(&s, .char("2"), .char("?"), .char("f"), .enter), [], "views and overlays wait for data")
        XCTAssertEqual(s.tab, .overview)
        XCTAssertNil(s.overlay)
        _ = update(&s, .loadProgress(LoadProgress(bytesRead: 10, totalBytes: 100, events: 5, elapsedSeconds: 1, file: "a.jsonl")))
        XCTAssertEqual(s.phase, .loading(LoadProgress(bytesRead: 10, totalBytes: 100, events: 5, elapsedSeconds: 1, file: "a.jsonl")))
        XCTAssertEqual(press(&s, .char("r")), [], "r does nothing while loading")
        _ = update(&s, .loadFailed("no such file: events/"))
        XCTAssertEqual(s.phase, .failed("no such file: events/"))
        XCTAssertEqual(press(&s, .char("r")), [.reload])
        XCTAssertEqual(s.phase, .loading(nil))
        XCTAssertEqual(press(&s, .char("q")), [.quit])
        XCTAssertEqual(press(&s, .escape), [], "Esc does not quit by accident")
    }

    func testCategoryCycleChangesTheReachableColumn() {
        var s = Fixture.loadedState()
        press(&s, .char("2"))
        XCTAssertEqual(s.model?.tables[.segments]?.columns.last?.title, "REACH Marketing", "Marketing is the default")
        press(&s, .char("c"))
        XCTAssertEqual(s.model?.tables[.segments]?.columns.last?.title, "REACH Advertising")
        guard case .text(let reach, _)? = s.model?.tables[.segments]?.rows[0].cells.last else { return XCTFail("no reach cell") }
        XCTAssertEqual(reach, "2,020  16%")
        press(&s, .char("c"), .char("c"), .char("c"))
        XCTAssertEqual(s.model?.tables[.segments]?.columns.last?.title, "REACH Marketing")
        // The choice survives a reload.
        press(&s, .char("c"), .char("r"))
        _ = update(&s, .loaded(Fixture.data))
        XCTAssertEqual(s.model?.tables[.segments]?.columns.last?.title, "REACH Advertising")
    }

    func testTickSetsTheClockForTheDataAge() {
        var s = Fixture.loadedState()
        _ = update(&s, .tick(nowMs: Fixture.nowMs + 3_600_000))
        XCTAssertEqual(s.nowMs, Fixture.nowMs + 3_600_000)
        let header = Golden.render(s, width: 80, height: 24).textLines()[0]
        XCTAssertTrue(header.contains("newest event 3h 3m ago"), header)
    }
}

final class FilterFailureTests: XCTestCase {
    func testFailedFilterClearsPendingAndSaysWhy() {
        var s = Fixture.loadedState()
        _ = update(&s, .key(.char("f")))
        _ = update(&s, .key(.down))
        XCTAssertEqual(update(&s, .key(.enter)), [.computeFilter(segment: "Trial users")])
        let segment = "Trial users"
        XCTAssertEqual(s.pendingFilter, segment)
        _ = update(&s, .filterFailed(segment: segment, reason: "no segment named \"\(segment)\" in the rules"))
        XCTAssertNil(s.pendingFilter)
        XCTAssertNil(s.segmentFilter)
        XCTAssertEqual(s.message, "no segment named \"\(segment)\" in the rules")
    }
}
