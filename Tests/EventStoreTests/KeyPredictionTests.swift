import XCTest
@testable import EventStore

/// The walk's key predictions (``KeyPredictions``: the next key of an object predicted from the lines before and
/// confirmed by its bytes): a walk that predicts gives exactly what a walk without predictions gives, line by line —
/// events, errors and their offsets — over key orders that repeat, change, and near-miss the predicted key.
final class KeyPredictionTests: XCTestCase {
    /// Selected keys that share prefixes with one another (the same first 8 bytes, one a prefix of the other, the
    /// longest predicted length and one byte more).
    static let paths: Set<String> = [
        "properties.abcdefgh_one", "properties.abcdefgh_two", "properties.abcdefgh_on", "properties.abcdefgh",
        "properties.abcdefg", "properties.a", "properties.ab", "properties.abcdefghijklmnopqrstu",
        "properties.abcdefghijklmnopqrstuv", "properties.abcdefghijklmnopqrs", "properties.nested.abcdefgh_one",
        "properties.nested.abcdefgh_two", "properties.items[].abcdefgh_one", "properties.items[].a",
    ]

    /// Every line walked by one walk over `lines` in order, predicting or not.
    private func walkAll(_ lines: [String], _ parser: EventLineParser, predicting: Bool)
        -> [Result<ParsedEvent, LineError>] {
        var buffers = WalkBuffers()
        return parser.withWalk(buffers: &buffers) { w in
            if !predicting { w.predictions.release() }
            return lines.map { line in
                let u = Array(line.utf8)
                return u.withUnsafeBytes { b in parser.walk(b, reusing: &w) { $0.parsedEvent() } }
            }
        }
    }

    /// The walk with predictions agrees with the walk without, line by line (and the lines' selected values are not
    /// all absent, so that a wrong key would show).
    private func assertPredictionsChangeNothing(_ lines: [String], paths: Set<String> = paths, captures: Set<String> = [],
                                                file: StaticString = #filePath, line: UInt = #line) {
        let parser = EventLineParser(selection: FieldSelection(paths: paths, captures: captures))
        let predicted = walkAll(lines, parser, predicting: true)
        let plain = walkAll(lines, parser, predicting: false)
        XCTAssertEqual(predicted.count, lines.count, file: file, line: line)
        for (k, (p, q)) in zip(predicted, plain).enumerated() {
            XCTAssertEqual(p, q, "line \(k): \(lines[k])", file: file, line: line)
            // And each line alone, through the one-line API.
            XCTAssertEqual(p, parser.parse(lines[k]), "line \(k) alone", file: file, line: line)
        }
    }

    private func event(_ properties: String, type: String = "track") -> String {
        #"{"type":"\#(type)","userId":"u","timestamp":"2026-01-01T00:00:00.000Z","properties":\#(properties),"context":{"timezone":"Europe/Berlin"}}"#
    }

    /// The same key order line after line (every key predicted after the first line), then the values changing.
    func testRepeatedOrderIsPredicted() throws {
        let lines = (0 ..< 6).map { event(#"{"abcdefgh_one":\#($0),"x":"y","abcdefgh_two":"t\#($0)","a":true}"#) }
        assertPredictionsChangeNothing(lines)
        // The predictions were learned: the root's first key is `type`.
        let parser = EventLineParser(selection: FieldSelection(paths: Self.paths))
        var buffers = WalkBuffers()
        let learned: Int32 = parser.withWalk(buffers: &buffers) { w in
            for line in lines {
                let u = Array(line.utf8)
                _ = u.withUnsafeBytes { b in parser.walk(b, reusing: &w) { $0.parsedEvent() } }
            }
            return w.predictions.candidates(w.predictions.first(of: 0)).pointee.length
        }
        XCTAssertEqual(learned, 4)
        let last = try parser.parse(lines[5]).get()
        XCTAssertEqual(last.properties.map(\.value), [.number(5), .string("t5"), .bool(true)])
    }

    /// Keys that share a prefix with the predicted key, or that the predicted key is a prefix of, or longer ones.
    func testKeysSharingAPrefixWithThePredictedKey() {
        let keys = ["abcdefgh_one", "abcdefgh_on", "abcdefgh_onf", "abcdefgh_one_", "abcdefgh_two", "abcdefgh",
                    "abcdefg", "abcdefghi", "a", "ab", "abc", "b", "abcdefghijklmnopqrs", "abcdefghijklmnopqrst",
                    "abcdefghijklmnopqrstu", "abcdefghijklmnopqrstuv", "abcdefghijklmnopqrstuvw",
                    "abcdefghijklmnopqrstux", "abcdefghijklmnopqrsu"]
        var lines: [String] = []
        for first in keys {
            for second in keys {
                lines.append(event(#"{"\#(first)":1,"\#(second)":2,"x":3}"#))
                lines.append(event(#"{"\#(second)":4,"\#(first)":5,"x":6}"#))
            }
        }
        assertPredictionsChangeNothing(lines)
    }

    /// The predicted key followed by an escape, or written with escapes, or followed by whitespace before its colon,
    /// or a key with the predicted bytes but not closed where the prediction ends.
    func testPredictedKeyWithEscapesAndWhitespace() {
        let variants = [#""abcdefgh_one":1"#, #""abcdefgh_one\u0041":1"#, #""abcdefgh_on\u0065":1"#, #""abcdefgh_one\"":1"#,
                        #""abcdefgh_one" :1"#, #""abcdefgh_one":  1"#, #""abcdefgh_one"  :  1"#, #""abcdefgh_one\n":1"#,
                        #""abcdefgh_oneé":1"#, #""a\u0062":2"#, #""ab":2"#]
        var lines: [String] = []
        for v in variants {
            lines.append(event(#"{"abcdefgh_one":0,"ab":9}"#))
            lines.append(event("{\(v),\"ab\":8}"))
            lines.append(event("{\(v),\(v)}"))
        }
        // Inside traits the key's text is kept (the trait's path): a key with escapes is never predicted as its raw
        // bytes, however often it repeats.
        for _ in 0 ..< 3 {
            lines.append(#"{"type":"identify","userId":"u","timestamp":"2026-01-01T00:00:00.000Z","traits":{"na\u006de":"x","plan":{"ti\u0065r":1}}}"#)
        }
        assertPredictionsChangeNothing(lines)
    }

    /// The key order changing between lines and within nested objects, keys appearing and disappearing, unknown keys
    /// between known ones, objects in arrays, and the same object node reached with different key orders.
    func testKeyOrderChangesBetweenLines() {
        let lines = [
            event(#"{"a":1,"ab":2,"nested":{"abcdefgh_one":1,"abcdefgh_two":2}}"#),
            event(#"{"ab":3,"a":4,"nested":{"abcdefgh_two":3,"abcdefgh_one":4}}"#),
            event(#"{"a":5,"zz":0,"ab":6,"nested":{"q":1,"abcdefgh_one":5}}"#),
            event(#"{"zz":0,"a":7,"yy":[1,{"a":2}],"ab":8,"nested":{"abcdefgh_one":6,"q":1,"abcdefgh_two":7}}"#),
            event(#"{"items":[{"a":1,"abcdefgh_one":2},{"abcdefgh_one":3,"a":4},{"a":5}],"a":9}"#),
            event(#"{"items":[{"a":1,"abcdefgh_one":2},{"a":6,"abcdefgh_one":7}],"ab":1}"#),
            #"{"userId":"u","type":"identify","timestamp":"2026-01-01T00:00:00.000Z","traits":{"a":1,"ab":{"a":2}}}"#,
            #"{"type":"identify","userId":"u","timestamp":"2026-01-01T00:00:00.000Z","traits":{"ab":{"a":3},"a":4}}"#,
            event(#"{"a":1,"ab":2}"#, type: "page"),
            event(#"{"a":1,"ab":2}"#),
            // The same key under two object nodes (selected under one only): each node has its own predictions.
            event(#"{"a":1,"nested":{"a":2,"abcdefgh_one":3}}"#),
            event(#"{"a":4,"nested":{"a":5,"abcdefgh_one":6}}"#),
        ]
        assertPredictionsChangeNothing(lines + lines.reversed() + lines)
    }

    /// Errors right at and after a predicted key (a truncated line, a missing colon, bad bytes in the key) have the
    /// same kind and offset as without predictions; a short line (fewer than 24 bytes after a key) is scanned.
    func testMalformedLinesAfterPredictions() {
        let good = event(#"{"abcdefgh_one":1,"ab":2}"#)
        var lines: [String] = []
        let text = Array(good.utf8)
        for cut in stride(from: 1, to: text.count, by: 1) {
            lines.append(good)
            lines.append(String(decoding: text[..<cut], as: UTF8.self))
        }
        for bad in [#""abcdefgh_one"1"#, #""abcdefgh_one",1"#, #""abcdefgh_one""#, #""abcdefgh_one\x":1"#,
                    "\"abcdefgh_one\u{01}\":1", #""abcdefgh_one":1,}"#, #""abcdefgh_one":"#] {
            lines.append(good)
            lines.append(event("{\(bad)}"))
        }
        lines.append(good)
        lines.append(#"{"type":"a"}"#)
        lines.append(#"{"type""#)
        assertPredictionsChangeNothing(lines)
    }

    /// Capture rules (a key and a key prefix): the verdict remembered with a predicted key is the rule's, for keys that
    /// share a prefix with a captured one, under two nodes, in orders that change between lines.
    func testCapturedKeysUnderPredictions() throws {
        let captures: Set<String> = ["properties.answer", "properties.q*", "properties.nested.q1"]
        let lines = [
            event(#"{"q1":"a","answer":"b","answe":"c","answers":"d","a":1,"nested":{"q1":"e","q2":"f"}}"#),
            event(#"{"q1":"g","answer":"h","answe":"i","answers":"j","a":2,"nested":{"q1":"k","q2":"l"}}"#),
            event(#"{"answers":"m","q1":"n","answer":"o","p":"q","nested":{"q2":"r","q1":"s"}}"#),
            event(#"{"answer":"t","q1":"u","answers":"v","nested":{"q1":"w"},"q":"x"}"#),
            event(#"{"answer":"t","q1":"u","answers":"v","nested":{"q1":"w"},"q":"x"}"#),
        ]
        assertPredictionsChangeNothing(lines + lines, captures: captures)
        let parser = EventLineParser(selection: FieldSelection(paths: Self.paths, captures: captures))
        let last = try walkAll(lines, parser, predicting: true)[4].get()
        XCTAssertEqual(last.answers.map(\.path), ["answer", "q1", "q1", "q"])
    }

    /// The walk's inlined object start (`{` then `"` at once) decides like the validator: nesting just under, at and
    /// over the depth limit through selected and unselected keys, `{}`, whitespace after `{`, and a line ending after `{`.
    func testObjectStartFastPathAgreesWithValidator() {
        // A selected path deeper than the limit, so that the walk itself (not the skipping validator) enters every level.
        let deep = "properties." + Array(repeating: "a", count: 300).joined(separator: ".")
        let parser = EventLineParser(selection: FieldSelection(paths: ["properties.a.a.a", deep]))
        for depth in [1, 2, 3, 254, 255, 256, 257, 258] {
            for (open, inner) in [(#"{"a":"#, "1"), (#"{"a":"#, "{}"), (#"{ "a":"#, "{ }"), (#"{"b":"#, #"{"a""#), (#"{"a":"#, "{")] {
                let nested = String(repeating: open, count: depth) + inner + String(repeating: "}", count: depth)
                for line in [#"{"type":"track","userId":"u","timestamp":"2026-01-01T00:00:00.000Z","properties":"# + nested + "}",
                             nested] {
                    let u = Array(line.utf8)
                    let validation = u.withUnsafeBytes { JSONScanner.validate($0) }
                    let parsed = u.withUnsafeBytes { parser.parse($0) }
                    if case .failure(.invalidJSON(let e)) = parsed {
                        XCTAssertEqual(e, validation, "depth \(depth) \(open)\(inner)")
                    } else {
                        XCTAssertNil(validation, "depth \(depth) \(open)\(inner)")
                    }
                }
            }
        }
    }

    /// The walk's inlined object member (an object under a node with no built-in field): a selected object is a
    /// composite value with its selected members walked; a built-in field's object, a selected list's object and an
    /// object under a node without children keep `value`'s handling — each as a walk without the inlined path has it.
    func testObjectMembersWalkedInPlace() throws {
        let paths: Set<String> = ["properties.nested", "properties.nested.a", "properties.nested.deeper.b",
                                  "properties.items[].a", "properties.leaf", "context.page.path"]
        let parser = EventLineParser(selection: FieldSelection(paths: paths))
        let line = event(#"{"nested":{"a":1,"deeper":{"b":"x"}},"items":{"a":2},"leaf":{"z":1},"other":{"a":3}}"#)
            .replacingOccurrences(of: #""context":{"#, with: #""context":{"page":{"path":"/p"},"#)
        let e = try parser.parse(line).get()
        // In the order the walk sets them: an object's members before the object itself.
        XCTAssertEqual(e.properties, [PathValue("properties.nested.a", .number(1)), PathValue("properties.nested.deeper.b", .string("x")),
                                      PathValue("properties.nested", .composite), PathValue("properties.leaf", .composite),
                                      PathValue("context.page.path", .string("/p"))])
        XCTAssertEqual(e.pagePath, "/p")
        XCTAssertEqual(e.arrays.map(\.path), ["properties.items"])
        assertPredictionsChangeNothing([line, line, line], paths: paths)
    }

    /// The predictions' block stays below the allocator's mmap size (128 KiB) for tries of up to 480 nodes, and always
    /// holds the two slots per node.
    func testPredictionsStayBelowTheMmapSize() {
        XCTAssertEqual(MemoryLayout<PredictedKey>.stride, 64)
        for nodes in [1, 40, 120, 240, 300, 480, 600] {
            var p = KeyPredictions(nodes: nodes)
            defer { p.release() }
            let bytes = 2 * Int(p.capacity) * MemoryLayout<PredictedKey>.stride
            if nodes <= 480 { XCTAssertLessThanOrEqual(bytes, 120 * 1024, "\(nodes) nodes") }
            XCTAssertGreaterThanOrEqual(Int(p.capacity), 2 * nodes)
        }
        // The report's own selection.
        let trie = FieldTrie(selection: .metrics)
        XCTAssertLessThan(trie.field.count, 240)
    }

    /// More keys the trie does not have than chained slots are left: predictions stop, the walk still agrees.
    func testUnknownKeysBeyondTheChainLimit() {
        let many = (0 ..< Int(KeyPredictions.maxChains) + 50).map { #""u\#($0)":\#($0)"# }.joined(separator: ",")
        let lines = [event("{\(many),\"a\":1}"), event("{\(many),\"ab\":2}"), event(#"{"a":3,"u1":1}"#)]
        assertPredictionsChangeNothing(lines + lines)
    }
}
