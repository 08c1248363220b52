import XCTest
import Foundation
import Analytics
import EventStore
@testable import SQLEngine

/// The feedback and weekly figures earshot builds from the engine's integer rows (hand-computed): the median is the
/// mean of the two middle times to answer, a survey's channel the most frequent of its prompts (ties to the first
/// name), earshot's zone rules pick the hour × weekday cell, the weekly coverage is a running sum of changes.
final class EngineFeedbackReportTests: XCTestCase {
    func result(_ results: String) throws -> EngineResult {
        let text = #"{"spark_version":"4.3.0","master":"local[1]","seconds":2,"results":"# + results + "}"
        return try EngineResult(json: Data(text.utf8))
    }

    let rows = #"""
        {"feedback_loops":[
           {"g":"all","gkey":"","prompts":5,"answered":4,"persons_prompted":3,"persons_answered":2,"median_low":1000,"median_high":4001},
           {"g":"channel","gkey":"email","prompts":3,"answered":3,"persons_prompted":2,"persons_answered":2,"median_low":7000,"median_high":7000},
           {"g":"channel","gkey":"chat","prompts":2,"answered":1,"persons_prompted":1,"persons_answered":1,"median_low":5,"median_high":5},
           {"g":"survey","gkey":"s1","prompts":4,"answered":3,"persons_prompted":3,"persons_answered":2,"median_low":1,"median_high":2},
           {"g":"survey","gkey":"s2","prompts":1,"answered":1,"persons_prompted":1,"persons_answered":1,"median_low":0,"median_high":0}],
         "feedback_survey_channels":[{"survey":"s1","channel":"email","prompts":2},{"survey":"s1","channel":"chat","prompts":2},
                                     {"survey":"s2","channel":"email","prompts":1}],
         "feedback_dismissed":[{"survey":"s1","channel":"email","dismissed":1},{"survey":"s9","channel":"push","dismissed":2}],
         "feedback_responses":[{"responses":6,"unmatched":2}],
         "feedback_nps":[{"survey":"s1","channel":"email","promoters":2,"passives":1,"detractors":0},
                         {"survey":"s2","channel":"unknown","promoters":0,"passives":0,"detractors":1}],
         "feedback_hour_weekday":[
           {"zone":null,"utc_cell":10,"local_cell":null,"prompts":1,"answered":1},
           {"zone":"Europe/Berlin","utc_cell":10,"local_cell":11,"prompts":1,"answered":0},
           {"zone":"Mars/Olympus","utc_cell":10,"local_cell":null,"prompts":2,"answered":1},
           {"zone":"EST","utc_cell":30,"local_cell":null,"prompts":1,"answered":1}],
         "weekly_seen":[{"week":2936,"persons":2},{"week":2937,"persons":3}],
         "weekly_arrived":[{"week":2936,"persons":2},{"week":2937,"persons":2}],
         "weekly_prompts":[{"week":2937,"prompts":5,"answered":4}],
         "weekly_granted":[{"category":"Analytics","week":2936,"delta":1},{"category":"Analytics","week":2937,"delta":2},
                           {"category":"Ads","week":2937,"delta":-1},{"category":"Ads","week":2936,"delta":1}],
         "consent_categories":[{"category":"Analytics"},{"category":"Ads"}],
         "store_events":[{"events":9,"persons":4,"first_event":1776000000000,"last_event":1776500000000,"now":1776500000000}],
         "store_reads":[{"lines":9,"malformed":0,"envelopes":0,"envelope_items":0}]}
        """#

    func testFeedbackFromCounts() throws {
        let r = try EngineReport.rawReport(result: try result(rows), files: [], options: AnalysisOptions())
        let f = r.feedback
        XCTAssertEqual(f.total.prompts, 5)
        XCTAssertEqual(f.total.responseRate, 0.8)
        XCTAssertEqual(f.total.medianSecondsToAnswer, 2.5005)          // (1000 + 4001) / 2 ms
        XCTAssertEqual(f.total.dismissed, 3)
        XCTAssertEqual(f.total.dismissalRate, 0.6)
        XCTAssertEqual(f.channels.map(\.channel), ["chat", "email", "push"])   // push: a dismissal, no prompt
        XCTAssertEqual(f.channels[1].dismissed, 1)
        XCTAssertNil(f.channels[2].dismissalRate)
        XCTAssertEqual(f.surveys.map(\.surveyID), ["s1", "s2", "s9"])
        XCTAssertEqual(f.surveys.map(\.channel), ["chat", "email", "unknown"])  // a 2–2 tie goes to "chat"
        XCTAssertEqual(f.surveys[0].medianSecondsToAnswer, 0.0015)
        XCTAssertEqual(f.responses, 6)
        XCTAssertEqual(f.unmatchedResponses, 2)
        XCTAssertEqual(f.nps.scored, 4)
        XCTAssertEqual(f.nps.nps, 25)
        XCTAssertEqual(f.npsByChannel["unknown"]?.nps, -100)
        XCTAssertEqual(f.npsBySurvey["s1"]?.promoters, 2)
        // UTC cell 10 (Monday 10:00) for no zone, the unknown zone (counted) and… the local cell 11 for Berlin; EST is
        // known to earshot but not to Java: UTC cell and a warning.
        XCTAssertEqual(f.hourWeekday.map { [$0.weekday, $0.hour, $0.prompts, $0.answered] }, [[1, 10, 3, 2], [1, 11, 1, 0], [2, 6, 1, 1]])
        XCTAssertEqual(f.promptsUnknownTimezone, 2)
        XCTAssertEqual(r.store.warnings.prefix(2), ["2 survey prompts name an unknown time zone: their local hour uses UTC",
            "1 survey prompts name a time zone that Spark's Java does not know: their local hour uses UTC (the embedded engine converts them)"])
    }

    func testWeeklyFromCounts() throws {
        let r = try EngineReport.rawReport(result: try result(rows), files: [], options: AnalysisOptions())
        // The first event is in running week 2936, now in week 2937.
        XCTAssertEqual(r.weekly.map(\.week), [CivilTime.isoWeekLabel(2936), CivilTime.isoWeekLabel(2937)])
        XCTAssertEqual(r.weekly.map(\.personsSeen), [2, 3])
        XCTAssertEqual(r.weekly.map(\.prompts), [0, 5])
        XCTAssertEqual(r.weekly[1].responseRate, 0.8)
        XCTAssertEqual(r.weekly.map { $0.consentCoverage["Analytics"] }, [0.5, 0.75])   // 1 of 2, then 3 of 4
        XCTAssertEqual(r.weekly.map { $0.consentCoverage["Ads"] }, [0.5, 0])
    }
}
