import XCTest
@testable import EventStore

/// The walk's per-line costs taken out in session 9 (docs/PERFORMANCE.md, "Session 9, parse"): kept string fields
/// stored by their raw value (``FieldTexts``, ``EventField/isKeptText``) and time slots overwritten without releasing
/// a slot that holds no string (``TimeSlot/store(_:in:)``). Lines through one walk give what each line gives alone.
final class ParseSessionNineTests: XCTestCase {
    /// ``EventField/isKeptText`` (one bit test) is ``EventField/isStringField`` for every field, and every kept field
    /// has a slot of its own in ``FieldTexts``.
    func testKeptTextMaskIsTheStringFields() {
        var raw: UInt8 = 0
        var seen = 0
        while let field = EventField(rawValue: raw) {
            XCTAssertEqual(field.isKeptText, field.isStringField, "\(field)")
            if field.isKeptText { XCTAssertLessThan(Int(raw), FieldTexts.count, "\(field)") }
            seen += 1
            raw += 1
        }
        XCTAssertEqual(seen, 23)
        // Each slot holds its own field.
        var texts = FieldTexts()
        let kept = (0 ..< UInt8(seen)).compactMap { EventField(rawValue: $0) }.filter(\.isKeptText)
        for (i, f) in kept.enumerated() { texts[f] = TextRef(start: Int32(10 * i), count: Int32(i)) }
        for (i, f) in kept.enumerated() { XCTAssertEqual(texts[f], TextRef(start: Int32(10 * i), count: Int32(i)), "\(f)") }
        XCTAssertEqual(FieldTexts()[.timezone], .absent)
    }

    /// Parses `lines` through one walk and each alone; both must agree line by line (events as ``ParsedEvent``, errors
    /// by reason).
    private func assertOneWalkIsEachAlone(_ lines: [String], file: StaticString = #filePath, line: UInt = #line) {
        let parser = EventLineParser(selection: FieldSelection(paths: ["properties.category", "context.timezone"]))
        var buffers = WalkBuffers()
        var shared: [String] = []
        parser.withWalk(buffers: &buffers) { walk in
            for l in lines {
                var bytes = Array(l.utf8)
                let r = bytes.withUnsafeMutableBytes { parser.walk(UnsafeRawBufferPointer($0), reusing: &walk) { $0.parsedEvent() } }
                shared.append(Self.describe(r))
            }
        }
        for (i, l) in lines.enumerated() {
            XCTAssertEqual(shared[i], Self.describe(parser.parse(l)), "line \(i + 1): \(l)", file: file, line: line)
        }
    }

    private static func describe(_ r: Result<ParsedEvent, LineError>) -> String {
        switch r {
        case .success(let e): return "\(e)"
        case .failure(let e): return "error: \(e.reason)"
        }
    }

    /// Repeated time keys (an invalid time, then a valid one, and the reverse; a zone-less time; null), and lines after a
    /// line whose time slot held a string: the last key wins and nothing of one line's times reaches the next.
    func testTimeSlotsOverwrittenAndReset() {
        let head = #"{"type":"track","event":"E","userId":"u","#
        assertOneWalkIsEachAlone([
            head + #""timestamp":"2024-01-01T00:00:00.000Z"}"#,
            head + #""receivedAt":"2024-01-01T00:00:00.500Z"}"#,
            head + #""event":"no time"}"#,
            head + #""timestamp":"yesterday","timestamp":"2024-01-01T00:00:01.000Z"}"#,
            head + #""timestamp":"2024-01-01T00:00:02.000Z","timestamp":"yesterday"}"#,
            head + #""receivedAt":"2024-01-01T00:00:03.000Z"}"#,
            head + #""timestamp":"2024-01-01T00:00:04"}"#,
            head + #""originalTimestamp":"2024-01-01T00:00:05.000Z","timestamp":"2024-01-01T00:00:04"}"#,
            head + #""timestamp":"2024-01-01T00:00:06"}"#,
            head + #""receivedAt":"2024-01-01T00:00:07.000Z","timestamp":null}"#,
            head + #""timestamp":"bad","originalTimestamp":"also bad","receivedAt":"2024-01-01T00:00:08.000Z"}"#,
            head + #""receivedAt":"2024-01-01T00:00:09.000Z"}"#,
            head + #""timestamp":3,"timestamp":"2024-01-01T00:00:10.000Z"}"#,
            head + #""timestamp":"2024-01-01T00:00:11.000Z","timestamp":3}"#,
            head + #""originalTimestamp":"2024-01-01T00:00:12.000Z"}"#,
        ])
    }

    /// Repeated kept string fields (last wins, a non-string value makes the field absent, escapes), and a line without
    /// them after one with them.
    func testKeptFieldsOverwrittenAndReset() {
        let t = #""timestamp":"2024-01-01T00:00:00.000Z""#
        assertOneWalkIsEachAlone([
            #"{"type":"page","userId":"u1","name":"A","name":"B","category":"C","context":{"timezone":"Europe/Berlin"},"#
                + #""properties":{"category":"x","path":"/p"},"# + t + "}",
            #"{"type":"page","anonymousId":"a","name":"N","name":null,"category":"\u0043","# + t + "}",
            #"{"type":"track","userId":"u2","userId":7,"anonymousId":"a2","event":"E\u00e9","event":"F","# + t + "}",
            #"{"type":"alias","userId":"u3","previousId":"p","previousId":"q","context":{"timezone":"Z","timezone":1},"# + t + "}",
            #"{"type":"identify","userId":"u4","# + t + "}",
            #"{"type":"track","messageId":"m","messageId":"","userId":"u5","event":"E","# + t + "}",
        ])
    }
}
