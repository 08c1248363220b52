import XCTest
import Foundation
import Analytics
import EventStore
@testable import SQLEngine

/// The report earshot builds from an engine's integer results: rates and unknowns computed here, what is not
/// computed absent (never zero), batch envelopes counted as their items.
final class EngineReportTests: XCTestCase {
    func result(_ results: String) throws -> EngineResult {
        let text = #"{"spark_version":"4.3.0","master":"local[1]","seconds":2,"results":"# + results + "}"
        return try EngineResult(json: Data(text.utf8))
    }

    let basic = #"""
        {"store_reads":[{"lines":10,"malformed":2,"envelopes":0,"envelope_items":0}],
         "malformed_kinds":[{"kind":"no type","count":1},{"kind":"invalid JSON","count":1}],
         "files":[{"file":0,"lines":10,"malformed":2}], "file_events":[{"file":0,"events":7,"duplicates":1}],
         "store_events":[{"events":7,"persons":4,"first_event":0,"last_event":60000,"now":60000}],
         "deletions":[{"deleted_events":0,"deleted_persons":0}],
         "consent_categories":[{"category":"Analytics"},{"category":"Ads"}],
         "consent_states":[{"category":"Analytics","granted":3,"denied":0}],
         "consent_audit":[{"persons":4,"events":7,"without_consent":1,"consent_unknown":2}],
         "event_names":[{"name":"Order Completed","count":2},{"name":"Zed","count":1}]}
        """#

    func testFiguresFromCounts() throws {
        let r = try EngineReport.rawReport(result: try result(basic), files: [ListedFile(path: "a.jsonl", bytes: 99, compressed: false)],
                                           options: AnalysisOptions())
        XCTAssertEqual(r.now, "1970-01-01T00:01:00.000Z")
        XCTAssertEqual(r.store.records, 10)
        XCTAssertEqual(r.store.duplicates, 1)
        XCTAssertEqual(r.store.malformedShare, 0.2)
        // Most frequent first, ties by kind.
        XCTAssertEqual(r.store.malformedKinds.map(\.kind), ["invalid JSON", "no type"])
        XCTAssertEqual(r.store.lastEventAgeSeconds, 0)
        XCTAssertEqual(r.store.fileList, [FileSummary(FileStats(path: "a.jsonl", bytes: 99, compressed: false, lines: 10, events: 7, duplicates: 1, malformed: 2))])
        // Sorted by name; a category nobody holds as of now is all unknown.
        XCTAssertEqual(r.consent.categories.map(\.name), ["Ads", "Analytics"])
        XCTAssertEqual(r.consent.categories[0].unknown, 4)
        XCTAssertEqual(r.consent.categories[1].granted, 3)
        XCTAssertEqual(r.consent.categories[1].unknown, 1)
        XCTAssertEqual(r.consent.categories[1].coverage, 0.75)
        XCTAssertEqual(r.eventNames.map(\.known), [true, false])
    }

    /// A category's label is the engine's `consent_labels` row, shown as the embedded engine shows it: none when
    /// empty or equal to the category; a label of a category no event carries now is not a category.
    func testConsentLabelsAsTheEmbeddedEngineShowsThem() throws {
        let text = basic.replacingOccurrences(of: #""consent_categories":[{"category":"Analytics"},{"category":"Ads"}],"#, with: #"""
            "consent_categories":[{"category":"Analytics"},{"category":"Ads"},{"category":"C0001"},{"category":"C0002"}],
            "consent_labels":[{"category":"C0001","label":"Functional Cookies"},{"category":"Ads","label":"Ads"},
                              {"category":"Analytics","label":""},{"category":"Gone","label":"Gone label"}],
            """#)
        let r = try EngineReport.rawReport(result: try result(text), files: [], options: AnalysisOptions())
        XCTAssertEqual(r.consent.categories.map(\.name), ["Ads", "Analytics", "C0001", "C0002"])
        XCTAssertEqual(r.consent.categories.map(\.label), [nil, nil, "Functional Cookies", nil])
        XCTAssertEqual(r.consent.categories.map(\.displayName), ["Ads", "Analytics", "C0001 Functional Cookies", "C0002"])

        // Without the analytics category, the warning names the categories as the embedded engine does.
        var options = AnalysisOptions()
        options.analyticsCategory = "Stats"
        let w = try EngineReport.rawReport(result: try result(text), files: [], options: options)
        XCTAssertTrue(w.store.warnings.contains(ReportBuilder.analyticsCategoryWarning(
            category: "Stats", carried: ["Ads", "Analytics", "C0001 Functional Cookies", "C0002"])), "\(w.store.warnings)")
    }

    /// A batch envelope is one line and as many records as it has items (StoreStats): 10 lines of which 2 envelopes
    /// holding 5 items in all are 13 records; the share of malformed records is of the records.
    func testBatchEnvelopesCountAsTheirItems() throws {
        let text = basic
            .replacingOccurrences(of: #""envelopes":0,"envelope_items":0"#, with: #""envelopes":2,"envelope_items":5"#)
            .replacingOccurrences(of: #"{"file":0,"lines":10,"malformed":2}"#,
                                  with: #"{"file":0,"lines":10,"malformed":2,"envelopes":2,"envelope_items":5}"#)
        let r = try EngineReport.rawReport(result: try result(text), files: [ListedFile(path: "a.jsonl", bytes: 99, compressed: false)],
                                           options: AnalysisOptions())
        XCTAssertEqual(r.store.lines, 10)
        XCTAssertEqual(r.store.records, 13)
        XCTAssertEqual(r.store.batchEnvelopes, 2)
        XCTAssertEqual(r.store.batchItems, 5)
        XCTAssertEqual(r.store.malformedShare, 2.0 / 13.0)
        XCTAssertEqual(r.store.fileList.first?.batchEnvelopes, 2)
        XCTAssertEqual(r.store.fileList.first?.batchItems, 5)
    }

    func testNotComputedFiguresAreAbsentAndNamed() throws {
        let r = try EngineReport.rawReport(result: try result(basic), files: [], options: AnalysisOptions())
        let origin = EngineReport.Origin(engine: "spark", version: "4.3.0", master: "local[1]", computedAt: "2026-11-30T00:00:00.000Z", seconds: 2)
        let json = EngineReport.json(r, notComputed: ["feedback", "weekly", "store.malformed_lines"], origin: origin,
                                     unsupportedSegments: ["S": "score"])
        let top = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        XCTAssertNil(top["feedback"])
        XCTAssertNil(top["weekly"])
        XCTAssertNil((top["store"] as? [String: Any])?["malformed_lines"])
        XCTAssertNotNil((top["store"] as? [String: Any])?["lines"])
        let engine = try XCTUnwrap(top["engine"] as? [String: Any])
        XCTAssertEqual(engine["not_computed"] as? [String], ["feedback", "weekly", "store.malformed_lines"])
        XCTAssertEqual(engine["segments_not_computed"] as? [String: String], ["S": "score"])
        XCTAssertTrue(EngineReport.header(origin: origin, notComputed: ["feedback"]).contains("not computed by this engine (shown empty): feedback"))
    }

    /// `segments[].weekly` from `segment_weekly` rows (week index, segment, size): one point per week of the weekly
    /// series, labelled as it, 0 where no row came; a segment that is not compiled has no entry at all.
    func testSegmentWeeklySizes() throws {
        // first event 1970-01-01 (week 0, 1970-W01), now 1970-01-09 (week 1, 1970-W02).
        let text = basic.replacingOccurrences(of: #""last_event":60000,"now":60000"#, with: #""last_event":691200000,"now":691200000"#)
            .replacingOccurrences(of: "\"event_names\"", with: #""segment_sizes":[{"segment":0,"size":2}],"segment_weekly":[{"week":0,"segment":0,"size":1},{"week":1,"segment":0,"size":2},{"week":1,"segment":2,"size":9}],"event_names""#)
        let program = try SegmentProgram.parse(source: """
            segment "A": did "X"
            segment "B": did "Y"
            segment "C": did "Z"
            """, fileName: "w.segments")
        let r = try EngineReport.rawReport(result: try result(text), files: [], options: AnalysisOptions(), program: program,
                                           unsupportedSegments: ["C": "a construct"])
        XCTAssertEqual(r.weekly.map(\.week), ["1970-W01", "1970-W02"])
        XCTAssertEqual(r.segments.map(\.name), ["A", "B"])
        XCTAssertEqual(r.segments[0].weekly, [SegmentWeek(week: "1970-W01", size: 1), SegmentWeek(week: "1970-W02", size: 2)])
        XCTAssertEqual(r.segments[1].weekly, [SegmentWeek(week: "1970-W01", size: 0), SegmentWeek(week: "1970-W02", size: 0)])
    }

    /// `segments[].feedback` and `nps` from the per-segment rows: rates, the median (mean of the two middle times)
    /// and the NPS computed here; a channel with only dismissals has no rates; a segment without rows has no loops.
    func testSegmentFeedbackAndNPS() throws {
        let text = basic.replacingOccurrences(of: "\"event_names\"", with: #"""
            "segment_feedback_loops":[{"segment":0,"channel":"email","prompts":4,"answered":3,"persons_prompted":3,"persons_answered":2,"median_low":1000,"median_high":3000}],
            "segment_feedback_dismissed":[{"segment":0,"channel":"push","dismissed":1},{"segment":0,"channel":"email","dismissed":2}],
            "segment_nps":[{"segment":0,"promoters":2,"passives":1,"detractors":1}],
            "event_names"
            """#)
        let program = try SegmentProgram.parse(source: "segment \"A\": did \"X\"\nsegment \"B\": did \"Y\"", fileName: "f.segments")
        let r = try EngineReport.rawReport(result: try result(text), files: [], options: AnalysisOptions(), program: program)
        let a = r.segments[0]
        XCTAssertEqual(a.feedback.map(\.channel), ["email", "push"])
        XCTAssertEqual(a.feedback[0].prompts, 4)
        XCTAssertEqual(a.feedback[0].responseRate, 0.75)
        XCTAssertEqual(a.feedback[0].personResponseRate, 2.0 / 3.0)
        XCTAssertEqual(a.feedback[0].medianSecondsToAnswer, 2)
        XCTAssertEqual(a.feedback[0].dismissalRate, 0.5)
        XCTAssertEqual(a.feedback[1].dismissed, 1)
        XCTAssertNil(a.feedback[1].dismissalRate)
        XCTAssertEqual(a.nps.scored, 4)
        XCTAssertEqual(a.nps.nps, 25)
        XCTAssertEqual(r.segments[1].feedback, [])
        XCTAssertEqual(r.segments[1].nps, NPSStats())
    }
}
