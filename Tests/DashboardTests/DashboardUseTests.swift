import Analytics
import Foundation
import EventStore
import XCTest
@testable import Dashboard

/// Issue #13, items 8–14: grouping survives sorting and filtering, columns sized from their content, one look for
/// withheld figures, partial weeks, lists that scroll, live filtering and the sort picker, definitions one key away.
final class DashboardUseTests: XCTestCase {

    func screen(_ s: AppState, _ w: Int? = nil, _ h: Int? = nil) -> String {
        Golden.render(s, width: w ?? s.width, height: h ?? s.height).textLines().joined(separator: "\n")
    }

    func loaded(_ r: Report, width: Int = 120, height: Int = 40) -> AppState {
        var s = AppState(options: DashboardOptions(glyphs: .unicode))
        _ = update(&s, .resize(width: width, height: height))
        _ = update(&s, .tick(nowMs: Fixture.nowMs))
        _ = update(&s, .loaded(DashboardData(report: r, sourceDescription: "events/", loadSeconds: 1)))
        return s
    }

    // MARK: #13.8 sorting and filtering keep channel → survey

    /// The fixture with two more chat surveys, so that a channel has several surveys to sort.
    func feedbackReport() -> Report {
        var r = Fixture.report
        r.feedback.surveys.append(Fixture.loop("chat", survey: "a-chat-exit", prompts: 100, answered: 10, dismissed: 0, median: 60,
                                               persons: 100, personsAnswered: 10))
        r.feedback.surveys.append(Fixture.loop("chat", survey: "z-chat-big", prompts: 9_000, answered: 900, dismissed: 0, median: 60,
                                               persons: 900, personsAnswered: 90))
        return r
    }

    /// The labels of the visible feedback rows, in order (surveys indented).
    func loopOrder(_ s: AppState) -> [String] {
        let t = s.model!.tables[.feedback]!
        return s.tables[.feedback]!.order.map { s.model!.loops[t.rows[$0].ref].label }
    }

    func testSortingTheFeedbackTableSortsWithinEachChannel() {
        var s = loaded(feedbackReport())
        press(&s, .char("3"), .char("s"), .down, .down, .enter)  // PROMPTS, largest first
        XCTAssertEqual(s.tables[.feedback]?.sortColumn, 1)
        XCTAssertEqual(loopOrder(s), ["email", "  onboarding-ux",
                                      "in_app", "  nps-2026-q1",
                                      "chat", "  z-chat-big", "  csat-chat", "  a-chat-exit"],
                       "channels by prompts, each channel's surveys by prompts beneath it")
        // Every survey sits under its own channel, whatever the column and direction.
        for sel in 1...7 {
            for reversed in [false, true] {
                press(&s, .char("s"), .home)
                for _ in 0..<sel { press(&s, .down) }
                press(&s, reversed ? .char("S") : .enter)
                let m = s.model!, t = m.tables[.feedback]!
                var channel: String?
                for i in s.tables[.feedback]!.order {
                    let loop = m.loops[t.rows[i].ref]
                    if loop.isSurvey { XCTAssertEqual(loop.channel, channel, "column \(sel) reversed \(reversed): \(loopOrder(s))") }
                    else { channel = loop.channel }
                }
            }
        }
    }

    func testFilteringKeepsAMatchingSurveysChannelAndCountsMatches() {
        var s = loaded(feedbackReport())
        press(&s, .char("3"), .char("/"))
        type(&s, "csat")
        XCTAssertEqual(loopOrder(s), ["chat", "  csat-chat"], "the channel row is kept as context")
        XCTAssertEqual(s.tables[.feedback]?.matches, 1, "the channel is context, not a match")
        XCTAssertTrue(screen(s).contains("1 of 8 match"), screen(s))
        press(&s, .enter)
        XCTAssertEqual(loopOrder(s), ["chat", "  csat-chat"])
        // A channel's name matches the channel and its surveys.
        press(&s, .char("/"), .ctrl("u"))
        type(&s, "in_app")
        XCTAssertEqual(loopOrder(s), ["in_app", "  nps-2026-q1"])
    }

    func testAllPersonsStaysFirstInTheConsentTable() {
        var s = loaded(Fixture.report)
        press(&s, .char("4"), .char("s"), .down, .down, .enter)  // SIZE, largest first
        let t = s.model!.tables[.consent]!
        XCTAssertEqual(t.rows[s.tables[.consent]!.order[0]].ref, -1)
        press(&s, .char("S"))
        XCTAssertEqual(t.rows[s.tables[.consent]!.order[0]].ref, -1, "pinned in either direction")
    }

    // MARK: #13.9 columns from the content and the box

    func testColumnLayoutGivesTextWhatItNeedsFirstThenFills() {
        typealias P = ColumnLayout.Part
        // name (wants 30), sparkline (fills, up to 56), two numbers.
        let parts = [P(min: 6, want: 30, droppable: false), P(min: 5, want: 14, fill: 1, max: 56), .fixed(5), .fixed(6)]
        // Room for everything wanted: the name is whole, the sparkline grows to its cap, the rest is left.
        XCTAssertEqual(ColumnLayout.solve(parts, width: 200), [30, 56, 5, 6])
        // 70 cells: name 30, numbers 11, gaps 3 → the sparkline gets the 26 left.
        XCTAssertEqual(ColumnLayout.solve(parts, width: 70), [30, 26, 5, 6])
        // 40 cells: minimums 6+5+5+6+3 = 25; the name gets the 15 left (before the sparkline grows).
        XCTAssertEqual(ColumnLayout.solve(parts, width: 40), [21, 5, 5, 6])
        // A very long name gets `generous` cells, then the sparkline what it wants, then the name the rest.
        let long = [P(min: 6, want: 88, droppable: false), P(min: 5, want: 14, fill: 1, max: 56)]
        XCTAssertEqual(ColumnLayout.solve(long, width: 60), [45, 14])
        XCTAssertEqual(ColumnLayout.solve(long, width: 50), [35, 14])
        // Too narrow for the minimums: parts are dropped from the right, never the first.
        XCTAssertEqual(ColumnLayout.solve(parts, width: 18), [6, 5, 5, 0])
        XCTAssertEqual(ColumnLayout.solve(parts, width: 4), [4, 0, 0, 0])
        // Spare room goes to the named part.
        XCTAssertEqual(ColumnLayout.solve([P(min: 3, want: 10), .fixed(4)], width: 30, spare: 0), [25, 4])
        // Two text columns short of room share it fairly.
        XCTAssertEqual(ColumnLayout.solve([P(min: 5, want: 40), P(min: 5, want: 40)], width: 31), [15, 15])
        // Never wider than the width.
        for w in 0...80 {
            let ws = ColumnLayout.solve(parts, width: w)
            let shown = ws.filter { $0 > 0 }
            XCTAssertLessThanOrEqual(shown.reduce(0, +) + max(0, shown.count - 1), max(w, 0), "width \(w): \(ws)")
        }
    }

    func testTableColumnsFitTheirContentAndHeaders() {
        let s = loaded(Fixture.report, width: 200)
        let t = s.model!.tables[.segments]!
        let cols = TableWidget.layout(t, width: 198)
        let longest = s.model!.segments.map { DisplayWidth.of($0.name) }.max()!
        let seg = cols.first { $0.index == 0 }!
        XCTAssertGreaterThanOrEqual(seg.width, longest, "the 88-column name is whole: \(cols)")
        let reach = cols.first { $0.index == 5 }!
        XCTAssertGreaterThanOrEqual(reach.width, DisplayWidth.of("REACH Marketing"))
        let trend = cols.first { $0.index == 4 }!
        XCTAssertGreaterThan(trend.width, 9, "the sparkline grows with the box: \(cols)")
    }

    func testExampleDataNamesAreWholeAt100_120And200Columns() throws {
        let report = try ExampleDataSnapshotTests.exampleReport()
        for w in [100, 120, 200] {
            var s = loaded(report, width: w, height: 40)
            let overview = screen(s)
            for name in ["Personalization ", "post_purchase ", "of 1,897"] {
                XCTAssertTrue(overview.contains(name), "\(w) columns: \(name) in\n\(overview)")
            }
            if w >= 120 { XCTAssertTrue(overview.contains("Sale browsers, no recent order"), overview) }
            press(&s, .char("2"))
            XCTAssertTrue(screen(s).contains("REACH Advertising"), screen(s))
            XCTAssertTrue(screen(s).contains("Sale browsers, no recent order"), screen(s))
            press(&s, .char("4"))
            XCTAssertTrue(screen(s).contains("PERSONALIZATION"), screen(s))
            XCTAssertTrue(screen(s).contains("Personalization "), screen(s))
            for tab in ["1", "2", "3", "4"] {
                press(&s, .char(Character(tab)))
                let text = screen(s).split(separator: "\n").dropFirst(2).joined(separator: "\n")
                XCTAssertFalse(text.contains("…"), "\(w) columns, view \(tab): nothing is cut\n\(text)")
            }
        }
        // At 200 columns the weekly sparklines are wider than one cell per week.
        let s = loaded(report, width: 200, height: 40)
        let persons = screen(s).split(separator: "\n").first { $0.contains("│ persons ") }!
        let sparkCells = persons.filter { "▁▂▃▄▅▆▇█".contains($0) }.count
        XCTAssertGreaterThan(sparkCells, 2 * s.model!.weekly.weeks, String(persons))
    }

    // MARK: #13.10 withheld looks the same everywhere and is not drawn

    /// The fixture with week 5 and week 8 of prompts below k (so their rates are withheld), published.
    func withheldWeeksReport() -> Report {
        var r = Fixture.report
        for i in [4, 7] {
            r.weekly[i] = WeekPoint(week: r.weekly[i].week, personsSeen: r.weekly[i].personsSeen, prompts: 3, answered: 1,
                                    responseRate: 1.0 / 3, consentCoverage: r.weekly[i].consentCoverage)
        }
        return Privacy.publish(r, policy: PrivacyPolicy(minCohort: 5, revealPII: false))
    }

    func testWeeklyPanelNeitherWritesNorDrawsWithheldFigures() {
        let s = loaded(withheldWeeksReport(), width: 120, height: 40)
        let w = s.model!.weekly
        XCTAssertNil(w.prompts[4]); XCTAssertNil(w.responseRate[4]); XCTAssertNil(w.responseRate[7])
        let lines = screen(s).split(separator: "\n")
        // Week 8 is the last complete week: its withheld prompts read <5 and its withheld rate `hidden`.
        let prompts = lines.first { $0.contains("│ prompts ") }!, response = lines.first { $0.contains("│ response ") }!
        XCTAssertTrue(prompts.hasSuffix("<5 │"), String(prompts))
        XCTAssertTrue(response.hasSuffix("hidden │"), String(response))
        let weeklyPart = String(response.split(separator: "││").last!)
        XCTAssertFalse(weeklyPart.contains("0.0%") || weeklyPart.contains("—"), weeklyPart)
        // No sparkline point for a withheld week: the response line has gaps where weeks 5 and 8 are.
        let glyphs = Set("▁▂▃▄▅▆▇█")
        let spark = String(weeklyPart.drop(while: { !glyphs.contains($0) }))
        let k = spark.prefix(while: { $0 == spark.first }).count  // cells per point (the first point is not withheld)
        let cells = Array(spark)
        guard cells.count > 7 * k else { return XCTFail("too short: \(spark)") }
        XCTAssertEqual(cells[4 * k], " ", "week 5 is not drawn: \(spark)")
        XCTAssertEqual(cells[7 * k], " ", "week 8 is not drawn: \(spark)")
        XCTAssertTrue(glyphs.contains(cells[5 * k]))
    }

    /// A rule over a list (issue #18) is shown as written in the segment's details.
    func testListRuleShownAsWritten() throws {
        var s = loaded(try ExampleDataSnapshotTests.exampleReport(), width: 120, height: 40)
        press(&s, .char("2"), .end, .up, .enter)
        let detail = screen(s)
        XCTAssertTrue(detail.contains("Bought for a baby"), detail)
        XCTAssertTrue(detail.contains(#"did "Order Completed" where products[].category = "baby""#), detail)
    }

    func testWithheldSharesReadHiddenNotTheNoValueMark() {
        var r = Fixture.report
        r.segments[6] = Fixture.segment("Spring promo", "x", [0, 0, 0, 0, 0, 0, 0, 0, 3],
                                        reach: ["Analytics": 3, "Marketing": 2, "Advertising": 0, "Functional": 3])
        var s = loaded(Privacy.publish(r, policy: PrivacyPolicy(minCohort: 5, revealPII: false)), width: 120, height: 40)
        // Overview: top segments (share of a withheld size).
        let promoOverview = screen(s).split(separator: "\n").first { $0.contains("Spring promo") }
        if let row = promoOverview { XCTAssertFalse(row.contains("—"), String(row)) }
        // Segment details: reachable members and overlaps.
        press(&s, .char("2"), .end, .enter)
        let detail = screen(s)
        XCTAssertTrue(detail.contains("hidden of all"), detail)
        let reach = detail.split(separator: "\n").filter { $0.contains("Analytics") || $0.contains("Marketing") }
        for row in reach { XCTAssertFalse(row.contains("—"), String(row)) }
        // Consent table.
        press(&s, .escape, .char("4"))
        let consentRow = screen(s).split(separator: "\n").last { $0.contains("Spring promo") }!
        XCTAssertTrue(consentRow.contains("hidden"), String(consentRow))
        XCTAssertFalse(consentRow.contains("—"), String(consentRow))
    }

    // MARK: #13.11 partial weeks

    func testWeekMarksFromTheFirstEventTheReferenceTimeAndTheWindow() {
        // ISO week labels: 2026-W01 starts Monday 2025-12-29; 2027-W01 starts 2027-01-04; 2026-W53 exists.
        XCTAssertEqual(WeekMarks.weekIndex("2026-W01"), CivilTime.weekIndex(ofMs: 1_766_966_400_000))  // 2025-12-29
        XCTAssertEqual(WeekMarks.weekIndex("2027-W01"), CivilTime.weekIndex(ofMs: 1_799_020_800_000))  // 2027-01-04
        XCTAssertEqual(WeekMarks.weekIndex("2026-W53"), CivilTime.weekIndex(ofMs: 1_798_675_200_000))  // 2026-12-31
        XCTAssertNil(WeekMarks.weekIndex("2026-13")); XCTAssertNil(WeekMarks.weekIndex("W01"))
        // The fixture: first event Monday 2025-12-29 08:12 (W01 partial), now Sunday 2026-03-01 14:02 (W09 running).
        // With a 7-day window, W08 (ends 2026-02-22 24:00, + 7d = 2026-03-01 24:00 > now) and W09 are not final.
        let m = WeekMarks.of(Fixture.weeks, firstMs: 1_766_995_923_000, nowMs: 1_772_373_731_000, windowSeconds: 7 * 86_400)
        XCTAssertEqual(m.partial, [0, 8])
        XCTAssertEqual(m.pending, [7, 8])
        XCTAssertEqual(m.lastComplete(count: 9), 7)
        // Data from Monday 00:00 exactly: the first week is whole; a reference time at the week's last ms: whole too.
        let whole = WeekMarks.of(["2026-W01", "2026-W02"], firstMs: 1_766_966_400_000, nowMs: 1_768_176_000_000 - 1, windowSeconds: 0)
        XCTAssertEqual(whole.partial, [])
        XCTAssertEqual(whole.pending, [])
    }

    func testOneWeekChangeComparesTheLastTwoCompleteWeeks() {
        let s = loaded(Fixture.report)
        let trial = s.model!.segments[0]
        // Trial users: W07 11,900 → W08 12,015 (W09, 12,400, is the running week and is not used).
        XCTAssertEqual(trial.change!, 115.0 / 11_900, accuracy: 1e-12)
        // Spring promo: 0 in W07 and W08 → no change (its 310 members arrived in the running week).
        XCTAssertEqual(s.model!.segments[6].change, 0)
        XCTAssertFalse(s.model!.segments[6].isNew)
        // Only two weeks, the first partial and the second running: no week to compare.
        var r = Fixture.report
        r.weekly = Array(r.weekly.suffix(2))
        r.store.firstEvent = "2026-02-17T10:00:00Z"
        r.segments = [SegmentReport(name: "A", rule: "x", size: 20, share: 0.1, reachable: [:],
                                    weekly: [SegmentWeek(week: "2026-W08", size: 10), SegmentWeek(week: "2026-W09", size: 20)],
                                    feedback: [], nps: .init())]
        let two = loaded(r)
        XCTAssertNil(two.model!.segments[0].change)
        XCTAssertFalse(two.model!.segments[0].isNew)
    }

    func testWeeklyChartsMarkPartialAndNotFinalWeeks() {
        var s = loaded(Fixture.report, width: 80, height: 24)
        let overview = screen(s)
        XCTAssertTrue(overview.contains("(UTC)"), overview)
        XCTAssertTrue(overview.contains("◌ partial ◐ not final"), overview)
        let axis = overview.split(separator: "\n").first { $0.contains("UTC weeks") }!
        // 9 weeks: ◌ under W01, ◐ under W08, ◌ under W09; the figures are W08's.
        XCTAssertTrue(axis.contains("◌"), String(axis))
        XCTAssertTrue(axis.contains("◐◌"), String(axis))
        XCTAssertTrue(axis.contains("W08"), String(axis))
        press(&s, .char("2"), .enter)
        let detail = screen(s, 120, 40)
        XCTAssertTrue(detail.contains("◌ partial week"), detail)
        // Partial weeks are drawn dimmed in the Segments table's trend; the title names the weeks it shows, in UTC.
        press(&s, .escape)
        XCTAssertTrue(screen(s, 120, 40).contains("trend 2026-W01 → 2026-W09 (UTC)"), screen(s, 120, 40))
        press(&s, .char("4"))
        XCTAssertTrue(screen(s, 120, 40).contains("Consent by category (persons) · trend W01 → W09 (UTC)"), screen(s, 120, 40))
        XCTAssertTrue(screen(s, 120, 12).contains("… 2 more · the table below lists every category"), screen(s, 120, 12))
        press(&s, .char("2"))
        let buf = Golden.render(s, width: 120, height: 40)
        let cols = TableWidget.layout(s.model!.tables[.segments]!, width: 118)
        let trend = cols.first { $0.index == 4 }!
        XCTAssertGreaterThanOrEqual(trend.width, 9, "every week has its point before a very long name grows: \(cols)")
        // Row 5 of the screen: Power users (row 4, the selection, is drawn in the selection's colors).
        XCTAssertEqual(buf[1 + trend.x, 5].role, .muted, "W01 is partial")
        let k = Sparkline.cellsPerPoint(count: 9, width: trend.width)
        XCTAssertEqual(buf[1 + trend.x + 4 * k, 5].role, .bar)
        XCTAssertEqual(buf[1 + trend.x + 8 * k, 5].role, .muted, "W09 is running")
    }

    // MARK: #13.12 lists that say "more" can be focused and scrolled; the Overview never drops a row silently

    func testDataViewFilesCanBeFocusedAndScrolled() {
        var r = Fixture.report
        r.store.fileList = (1...40).map {
            FileSummary(path: "events/day-\($0).jsonl", bytes: 10, compressed: false, lines: $0, events: $0, duplicates: 0, malformed: 0)
        }
        var s = loaded(r, width: 80, height: 24)
        press(&s, .char("5"))
        XCTAssertEqual(s.focusedTable, .malformed)
        XCTAssertTrue(screen(s).contains("more · h/l focus"), screen(s))
        XCTAssertFalse(screen(s).contains("day-40.jsonl"))
        press(&s, .char("h"))
        XCTAssertEqual(s.focusedTable, .files)
        press(&s, .char("G"))
        XCTAssertTrue(screen(s).contains("day-40.jsonl"), screen(s))
        XCTAssertTrue(screen(s).contains("40/40"), screen(s))
        // The focus cycles files → malformed → unknown names → files.
        press(&s, .char("l"))
        XCTAssertEqual(s.focusedTable, .malformed)
        press(&s, .right)
        XCTAssertEqual(s.focusedTable, .unknownEvents)
        press(&s, .char("G"))
        XCTAssertTrue(screen(s).contains("3/3"), screen(s))
        press(&s, .right)
        XCTAssertEqual(s.focusedTable, .files)
    }

    func testOverviewAt80x24SaysWhatItLeavesOut() throws {
        let s = loaded(try ExampleDataSnapshotTests.exampleReport(), width: 80, height: 24)
        let text = screen(s)
        // Eleven segments in a box with room for eight rows: seven and "… 4 more".
        XCTAssertTrue(text.contains("… 4 more · 2 for all"), text)
        // The key figures: the warning (malformed lines) comes before the date range, which is the first to go and
        // leaves a "…" (the Weekly title repeats the weeks); at 100 columns all of them fit.
        let kpi = screen(Fixture.loadedState(width: 100, height: 24)).split(separator: "\n")[2]
        for figure in ["persons 48,210", "events 1,198,004", "NPS +35", "malformed 37", "2025-12-29 → 2026-03-01"] {
            XCTAssertTrue(kpi.contains(figure), "\(figure) in \(kpi)")
        }
        XCTAssertFalse(kpi.contains("…"))
        let narrow = screen(Fixture.loadedState(width: 80, height: 24)).split(separator: "\n")[2]
        XCTAssertTrue(narrow.contains("malformed 37") && narrow.trimmingCharacters(in: .whitespaces).hasSuffix("…"), String(narrow))
        // Every panel shows each of its rows or says how many it leaves out.
        var r = Fixture.report
        r.consent.categories += (1...8).map { CategoryCoverage(name: "Extra\($0)", granted: 1, denied: 0, unknown: 0, coverage: 0.5) }
        let many = loaded(r, width: 80, height: 24)
        XCTAssertTrue(screen(many).contains("more · 4 for all"), screen(many))
        XCTAssertTrue(screen(many).split(separator: "\n").contains { $0.contains("… ") && $0.contains(" more") && $0.contains("││") },
                      screen(many))
    }

    // MARK: #13.13 filter as you type; sort picker

    func testFilterAsYouTypeShowsTheMatchCount() {
        var s = loaded(Fixture.report, width: 120, height: 40)
        press(&s, .char("2"), .char("/"))
        XCTAssertTrue(screen(s).contains("7 rows"), screen(s))
        type(&s, "u")
        let n = s.tables[.segments]!.order.count
        XCTAssertTrue(screen(s).contains("\(n) of 7 match"), screen(s))
        type(&s, "zz")
        XCTAssertTrue(screen(s).contains("no match"), screen(s))
        press(&s, .backspace, .backspace)
        XCTAssertEqual(s.tables[.segments]!.order.count, n, "Backspace widens the filter at once")
    }

    // MARK: #13.14 every figure has a definition one key away

    func testEveryPlaceAndEveryTableColumnHasADefinition() {
        for place in Definitions.Place.allCases {
            XCTAssertFalse(Definitions.panels[place]?.isEmpty ?? true, "\(place)")
        }
        let s = loaded(Fixture.report)
        let m = s.model!
        let places: [TableID: Definitions.Place] = [.segments: .segments, .feedback: .feedback, .consent: .consent,
                                                    .malformed: .data, .files: .data, .unknownEvents: .data,
                                                    .loops: .loops, .answerSurveys: .answers, .answerQuestions: .answers]
        // The question list exists once a survey is selected; its columns are the same for every survey.
        let questions = AnswersTable.questionsModel(AnswerSurvey(id: "s", name: nil, questions: [], loop: nil, funnel: nil),
                                                    cells: m.cells, sanitizer: Sanitizer(glyphs: .unicode), glyphs: .unicode)
        for id in TableID.allCases {
            let t = m.tables[id] ?? (id == .answerQuestions ? questions : nil)!
            let panels = Definitions.panels[places[id]!]!
            for c in t.columns {
                let known = panels.contains { p in
                    p.meaning(of: c.title) != nil || p.entries.contains { c.title.hasPrefix($0.term + " ") }
                        || (id == .consent && p.meaning(of: "category") != nil && m.categories.contains { $0.name.uppercased() == c.title })
                        || (id == .unknownEvents && p.meaning(of: "name") != nil)
                        || (id == .unknownEvents && c.title == "COUNT")
                }
                XCTAssertTrue(known, "\(id) column \(c.title) has no definition")
            }
        }
        // The figures the issue names explain themselves.
        let all = Definitions.panels.values.flatMap { $0 } + [Definitions.common]
        for term in ["1W CHG", "unmatched", "2 for all", "···", "<k", "hidden", "—"] {
            XCTAssertTrue(all.contains { $0.meaning(of: term) != nil }, term)
        }
    }

    func testIShowsTheViewsDefinitionsWithWindowAndReferenceTime() {
        var s = loaded(Fixture.report, width: 120, height: 40)
        for (key, terms) in [("1", ["2 for all", "Top segments", "Weekly"]), ("2", ["1W CHG", "partial weeks are never used"]),
                             ("3", ["unmatched", "···", "PROM/PASS/DETR"]), ("4", ["GRANT", "consent unknown"]),
                             ("5", ["FILE:LINE", "duplicates"])] {
            press(&s, .char(Character(key)), .char("i"))
            XCTAssertEqual(s.overlay, .definitions(scroll: 0))
            var text = ""
            // Scroll through all of it.
            for _ in 0..<10 { text += screen(s); press(&s, .pageDown) }
            XCTAssertTrue(text.contains("Reference time: 2026-03-01T14:02:11Z"), text)
            XCTAssertTrue(text.contains("Response window: 7d"), text)
            for t in terms { XCTAssertTrue(text.contains(t), "view \(key): \(t)\n\(text)") }
            press(&s, .escape)
            XCTAssertNil(s.overlay)
        }
        // Segment details have their own.
        press(&s, .char("2"), .enter, .char("i"))
        XCTAssertTrue(screen(s).contains("Segment details"), screen(s))
        XCTAssertTrue(screen(s).contains("of other"), screen(s))
    }

    // MARK: safety

    func testNewOverlaysAndListsRenderAtEverySize() {
        var states: [AppState] = []
        var s = loaded(feedbackReport(), width: 80, height: 24)
        press(&s, .char("3"), .char("s")); states.append(s)
        press(&s, .escape, .char("i"), .pageDown); states.append(s)
        press(&s, .escape, .char("5"), .char("h"), .char("/")); type(&s, "2026"); states.append(s)
        press(&s, .escape, .char("2"), .enter, .char("i")); states.append(s)
        for st in states {
            for w in stride(from: 0, through: 130, by: 7) {
                for h in stride(from: 0, through: 45, by: 5) {
                    var buf = ScreenBuffer(width: w, height: h)
                    render(st, into: &buf)
                }
            }
        }
        // Keys while resized tiny still keep the state consistent.
        var tiny = s
        _ = update(&tiny, .resize(width: 3, height: 2))
        press(&tiny, .down, .pageDown, .escape, .char("s"), .enter)
        XCTAssertNotNil(tiny.model)
    }
}
