import XCTest
import EarshotTestSupport
@testable import EventStore

/// Survey answers captured by key (FieldSelection.captures): PostHog's `$survey_response…` keys as posthog-js
/// writes them, and a configured answers field; both parse paths, the cache and deletions keep them.
final class AnswerCaptureTests: XCTestCase {
    // posthog-js (packages/core/src/surveys/events.ts): `$survey_response_<question id>` for every question,
    // plus the old keys `$survey_response` (first question) and `$survey_response_<index>`.
    static let line = #"{"type":"track","event":"survey sent","userId":"u1","timestamp":"2024-05-01T10:00:00Z","properties":{"$survey_id":"s1","$survey_response":"9","$survey_response_1":["Gift wrap","Express"],"$survey_response_8d1c":"9","$survey_response_77aa":["Gift wrap","Express"],"$survey_response_open":"Fast delivery","$survey_response_skipped":null,"$survey_questions":[{"id":"8d1c","question":"NPS?"}],"answers":["x",3,true]}}"#

    func testParsedAnswers() throws {
        let parser = EventLineParser(selection: FieldSelection.metrics.union(FieldSelection(captures: ["properties.answers"])))
        guard case .success(let e) = parser.parse(Self.line) else { return XCTFail() }
        XCTAssertEqual(e.answers.map(\.path), ["$survey_response", "$survey_response_1", "$survey_response_1",
                                               "$survey_response_8d1c", "$survey_response_77aa", "$survey_response_77aa",
                                               "$survey_response_open", "answers", "answers", "answers"])
        XCTAssertEqual(e.answers.map(\.value), [.string("9"), .string("Gift wrap"), .string("Express"), .string("9"),
                                                .string("Gift wrap"), .string("Express"), .string("Fast delivery"),
                                                .string("x"), .number(3), .bool(true)])
        // The selected path `$survey_response` still gets its value.
        XCTAssertEqual(e.properties.first { $0.path == "properties.$survey_response" }?.value, .string("9"))
        // Without the capture, nothing is captured.
        guard case .success(let plain) = EventLineParser(selection: FieldSelection(paths: ["properties.x"])).parse(Self.line)
        else { return XCTFail() }
        XCTAssertTrue(plain.answers.isEmpty)
    }

    /// Only the object a capture rule names captures: the same key in another object (`context`, an object nested
    /// inside `properties`, a trait) is not an answer (the walk looks the rules up by trie node: FieldTrie.captureParent).
    func testCapturesOnlyInTheNamedObject() throws {
        let parser = EventLineParser(selection: FieldSelection.metrics.union(FieldSelection(captures: ["properties.answers", "context.page.q*"])))
        let line = #"{"type":"track","event":"e","userId":"u1","timestamp":"2024-05-01T10:00:00Z","context":{"answers":"no","page":{"path":"/","q1":"yes","x":{"q2":"no"}},"traits":{"answers":"no"}},"properties":{"nested":{"answers":"no"},"answers":"yes","items":[{"answers":"no"}]}}"#
        guard case .success(let e) = parser.parse(line) else { return XCTFail() }
        XCTAssertEqual(e.answers.map(\.path), ["q1", "answers"])
        XCTAssertEqual(e.answers.map(\.value), [.string("yes"), .string("yes")])
    }

    func testTableCacheAndDeletionKeepAnswersRight() throws {
        let s = TempStore()
        let cacheDir = TempStore()
        let other = #"{"type":"track","event":"survey sent","userId":"u2","timestamp":"2024-05-01T09:00:00Z","properties":{"$survey_response_8d1c":7}}"#
        let file = s.write("a.jsonl", other + "\n" + Self.line + "\n")
        let reader = StoreReader(paths: [s.root], selection: .metrics)
        let cache = StoreCache(directory: cacheDir.path("c"))
        let first = try reader.load(cache: cache).table
        func answers(_ t: EventTable) -> [String] {
            t.answerRow.indices.map { i in
                t.strings[t.personID[Int(t.person[Int(t.answerRow[i])])]] + " " + t.strings[t.answerKey[i]] + "="
                    + (t.string(t.answerValue[i]) ?? t.answerValue[i].number.map { "\($0)" } ?? "?")
            }
        }
        let expected = ["u2 $survey_response_8d1c=7.0", "u1 $survey_response=9", "u1 $survey_response_1=Gift wrap", "u1 $survey_response_1=Express",
                        "u1 $survey_response_8d1c=9", "u1 $survey_response_77aa=Gift wrap", "u1 $survey_response_77aa=Express",
                        "u1 $survey_response_open=Fast delivery"]
        XCTAssertEqual(answers(first), expected)
        XCTAssertEqual(answers(try reader.load(cache: cache).table), expected)   // cache hit
        // Appended bytes (resumed builder), then a deletion of u1: only u2's answer is left.
        let h = try XCTUnwrap(FileHandle(forWritingAtPath: file))
        h.seekToEndOfFile()
        h.write(Data((#"{"type":"delete","userId":"u1","timestamp":"2024-05-02T00:00:00Z"}"# + "\n").utf8))
        h.closeFile()
        let after = try reader.load(cache: cache)
        guard case .appended = after.cache else { return XCTFail("\(after.cache)") }
        XCTAssertEqual(answers(after.table), ["u2 $survey_response_8d1c=7.0"])
    }

    func testListOfAnswerObjects() {
        let parser = EventLineParser(selection: FieldSelection(captures: ["properties.answers"]))
        let line = #"{"type":"track","event":"Survey completed","userId":"u","timestamp":"2024-01-01T00:00:00Z","properties":{"answers":[{"value":9,"id":"q\u0031"},{"id":"q2","value":["a",{"x":1},"b"]},{"value":3},{"id":"","value":1},"loose",{"id":"q3","value":{"no":1}},{"id":"q4","value":null}]}}"#
        guard case .success(let e) = parser.parse(line) else { return XCTFail() }
        XCTAssertEqual(e.answers, [PathValue("q1", .number(9)), PathValue("q2", .string("a")), PathValue("q2", .string("b")),
                                   PathValue("answers", .string("loose"))])
    }
}
