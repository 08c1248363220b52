import XCTest
import Foundation
import Analytics
import EventStore
import EarshotTestSupport
@testable import SQLEngine

/// The answers figures earshot builds from the engine's rows (AnswersSQL.swift, EngineReport+Answers.swift), computed
/// by hand: questions and funnels from the answer rows, free text from the texts per person, profile depth from the
/// per-bucket and per-week counts. The SQL itself is compared with the embedded engine by the Spark agreement test
/// (`Tests/Fixtures/spark-edge/g-answers.jsonl`), and its text by the goldens below.
final class EngineAnswersReportTests: XCTestCase {
    func result(_ results: String) throws -> EngineResult {
        let text = #"{"spark_version":"4.3.0","master":"local[1]","seconds":2,"results":"# + results + "}"
        return try EngineResult(json: Data(text.utf8))
    }

    var catalogOptions: AnalysisOptions {
        var o = AnalysisOptions()
        o.feedback.catalog = SurveyCatalog(surveys: [
            "s": CatalogSurvey(name: "S", questions: [
                CatalogQuestion(id: "q1", type: .singleChoice(options: ["child", "spouse"])),
                CatalogQuestion(id: "q2", type: .rating(scale: 5)),
            ]),
        ])
        return o
    }

    // 2026-03-09 (Monday of 2026-W11) 00:00 UTC and a day.
    let monday: Int64 = 1_773_014_400_000, day: Int64 = 86_400_000

    /// a answers q1 "Child " (folded to the catalog's `child`) and q2 4 in one response, then q2 2 in a later one; b
    /// answers q1 "spouse"; c is prompted and answers nothing. q1: 2 answers, 2 persons, child and spouse 1 each (50 %);
    /// q2: 2 answers of one person, mean 3, histogram 0 1 0 1 0. Funnel: asked 3 (a, b, c), 2 (a and b went on to q2);
    /// answered 2, 1.
    func testQuestionsAndFunnelsFromAnswerRows() throws {
        let t = monday + day
        let rows = """
            {"answer_rows":[
              {"person":"a","survey":"s","time":\(t),"file":0,"block":0,"rid":1,"pos":0,"question":"q1","kind":"s","value":"Child "},
              {"person":"a","survey":"s","time":\(t),"file":0,"block":0,"rid":1,"pos":1,"question":"q2","kind":"n","value":"4.0"},
              {"person":"b","survey":"s","time":\(t),"file":0,"block":0,"rid":5,"pos":0,"question":"q1","kind":"s","value":"spouse"},
              {"person":"a","survey":"s","time":\(t + day),"file":1,"block":0,"rid":0,"pos":0,"question":"q2","kind":"n","value":"2.0"}],
             "answer_prompted":[{"person":"c","survey":"s"},{"person":"a","survey":"s"},{"person":"b","survey":"s"}],
             "store_events":[{"events":9,"persons":3,"first_event":\(t),"last_event":\(t + day),"now":\(t + day)}],
             "store_reads":[{"lines":9,"malformed":0,"vendor_lines":0}]}
            """
        let r = try EngineReport.rawReport(result: try result(rows), files: [], options: catalogOptions)
        let q = r.feedback.questions
        XCTAssertEqual(q.map(\.key), ["s/q1", "s/q2"])
        XCTAssertEqual(q[0].answers, 2)
        XCTAssertEqual(q[0].persons, 2)
        XCTAssertEqual(q[0].options.map(\.option), ["child", "spouse"])
        XCTAssertEqual(q[0].options.map(\.share), [0.5, 0.5])
        XCTAssertEqual(q[1].answers, 2)
        XCTAssertEqual(q[1].persons, 1)
        XCTAssertEqual(q[1].mean, 3)
        XCTAssertEqual(q[1].histogram.map(\.count), [0, 1, 0, 1, 0])
        XCTAssertEqual(q[1].weekly.map(\.week), ["2026-W11"])
        let f = try XCTUnwrap(r.feedback.questionFunnels.first)
        XCTAssertEqual(f.steps.map(\.asked), [3, 2])
        XCTAssertEqual(f.steps.map(\.answered), [2, 1])
    }

    /// Free text: p1 wrote "Fast delivery" twice and "   " (blank, dropped), p2 "fast parcel". 3 answers of 2 persons,
    /// lengths 13, 13, 11: mean 12.33…, median 13; `fast` 3 times by 2 persons, `delivery` 2 by 1, `parcel` 1 by 1.
    func testFreeTextFromTexts() throws {
        let rows = """
            {"free_texts":[{"person":"p1","text":"Fast delivery","n":2},{"person":"p1","text":"   ","n":1},
                           {"person":"p2","text":"fast parcel","n":1}],
             "store_reads":[{"lines":4,"malformed":0,"vendor_lines":0}]}
            """
        let f = try EngineReport.rawReport(result: try result(rows), files: [], options: AnalysisOptions()).feedback.freeText
        XCTAssertEqual(f.answers, 3)
        XCTAssertEqual(f.persons, 2)
        XCTAssertEqual(f.medianLength, 13)
        XCTAssertEqual(f.meanLength ?? 0, 37.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(f.words.map(\.word), ["fast", "delivery", "parcel"])
        XCTAssertEqual(f.words.map(\.count), [3, 2, 1])
        XCTAssertEqual(f.words.map(\.persons), [2, 1, 1])
    }

    /// Profile depth from counts, as docs/DEFINITIONS.md's worked example (`now` = t0+8d, t0 in 2026-W10): buckets of
    /// all persons 2, 2, 0, 1, 1 (prompted 1, 1, 0, 1, 1); weekly: 6 persons arrive in W10, a reaches depth 1 and 2 in
    /// W10 and 3 in W11; d reaches 1…4 in W10; e and f reach 1 in W10 → W10: 2, 2, 1, 0, 1 and W11: 2, 2, 0, 1, 1.
    func testProfileDepthFromCounts() throws {
        let t0: Int64 = 1_772_496_000_000   // 2026-03-03 (W10)
        let w10 = CivilTime.weekIndex(ofMs: t0), w11 = w10 + 1
        let rows = """
            {"depth_all":[{"depth":0,"persons":2,"prompted":1},{"depth":1,"persons":2,"prompted":1},
                          {"depth":3,"persons":1,"prompted":1},{"depth":4,"persons":1,"prompted":1}],
             "depth_weekly":[{"k":0,"week":\(w10),"persons":6},{"k":1,"week":\(w10),"persons":4},{"k":2,"week":\(w10),"persons":2},
                             {"k":3,"week":\(w10),"persons":1},{"k":4,"week":\(w10),"persons":1},{"k":3,"week":\(w11),"persons":1}],
             "store_events":[{"events":9,"persons":6,"first_event":\(t0),"last_event":\(t0 + 8 * day),"now":\(t0 + 8 * day)}],
             "store_reads":[{"lines":9,"malformed":0,"vendor_lines":0}]}
            """
        let d = try EngineReport.rawReport(result: try result(rows), files: [], options: AnalysisOptions()).persons.profileDepth
        XCTAssertEqual(d.all.persons, 6)
        XCTAssertEqual(d.all.depth.map(\.persons), [2, 2, 0, 1, 1])
        XCTAssertEqual(d.prompted.depth.map(\.persons), [1, 1, 0, 1, 1])
        XCTAssertEqual(d.weekly.map(\.week), ["2026-W10", "2026-W11"])
        XCTAssertEqual(d.weekly[0].distribution.depth.map(\.persons), [2, 2, 1, 0, 1])
        XCTAssertEqual(d.weekly[1].distribution.depth.map(\.persons), [2, 2, 0, 1, 1])
    }

    // MARK: Goldens of the statements

    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    /// The answer statements with a catalog (funnels, the catalog's NPS) and segments (per-segment depth and NPS).
    func testAnswerStatementsGolden() throws {
        let program = try SegmentProgram.parse(source: #"segment "A": did "X""#, fileName: "t.segments")
        var options = catalogOptions
        options.now = 1_780_000_000_000
        options.feedback.catalog.surveys["n"] = CatalogSurvey(questions: [CatalogQuestion(id: "rec", type: .nps),
                                                                         CatalogQuestion(id: "why", type: .open)])
        let compiler = SparkSQLCompiler(options: options, program: program)
        let text = compiler.answerStatements().map { "-- \($0.kind.rawValue): \($0.name)\n\($0.sql);\n" }.joined(separator: "\n")
        GoldenFile.check(text, at: Self.directory.appendingPathComponent("answers-statements.sql"), filter: "EngineAnswersReportTests")
    }

    /// The answer columns of the events with configured answer fields (a list of objects, a nested field).
    func testAnswerColumnsGolden() {
        var options = AnalysisOptions()
        options.feedback.answerFields = ["properties.survey_response", "properties.answers", "properties.form.why"]
        let text = SparkSQLCompiler(options: options).answerColumns.map { "-- \($0.name):\n\($0.sql)\n" }.joined()
        GoldenFile.check(text, at: Self.directory.appendingPathComponent("answers-columns.sql"), filter: "EngineAnswersReportTests")
    }

    /// The capture rules are the embedded reader's: `properties.$survey_response*` and the configured answer fields
    /// other than the built-in ones, by parent.
    func testCaptureRules() {
        var options = AnalysisOptions()
        options.feedback.answerFields = ["properties.survey_response", "properties.answers", "properties.form.why"]
        let rules = SparkSQLCompiler(options: options).captureRules
        XCTAssertEqual(rules.map { "\($0.parent) \($0.key) \($0.prefix)" },
                       ["properties $survey_response true", "properties answers false", "properties.form why false"])
    }
}
