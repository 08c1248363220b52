import XCTest
@testable import EventStore

/// The walk's memo of earlier lines (``WalkMemo``, docs/PERFORMANCE.md "session 8, values"): a consent-preferences object
/// of the same bytes is not walked again, a time sharing its date `YYYY-MM-DDT` with the last one reuses that date's
/// midnight. Each must give exactly what the full work gives:
/// these tests parse lines through one walk (the memo at work) and each line through a walk of its own (a fresh memo:
/// no hit possible) and compare everything, including the bytes the walk kept.
final class WalkMemoTests: XCTestCase {
    /// One event as the byte path gave it, with its texts decoded; every text's hash is checked against its bytes.
    struct Decoded: Equatable, CustomStringConvertible {
        var time: Int64
        var key: [UInt64]
        var texts: [String?]
        var consent: [String]
        var properties: [String]
        var traits: [String]
        var description: String { "\(time) \(key) \(texts) \(consent) \(properties) \(traits)" }
    }

    enum Outcome: Equatable {
        case event(Decoded)
        case malformed(String)
        case other
    }

    /// Parses `lines` with `parser`: through one walk when `shared`, else each line with a walk of its own; returns each
    /// line's outcome and the bytes of the arena at the end.
    private func run(_ lines: [String], _ parser: EventLineParser, shared: Bool,
                     file: StaticString = #filePath, line: UInt = #line) -> (outcomes: [Outcome], arena: [UInt8]) {
        var buffers = WalkBuffers(), raw = RawEvents()
        var codes: [Int] = []  // event index, or -1 - malformed index
        var errors: [String] = []
        func one(_ text: String, _ walk: inout EventWalk) {
            var bytes = Array(text.utf8)
            let outcome = bytes.withUnsafeMutableBytes { parser.parseRaw(UnsafeRawBufferPointer($0), walk: &walk, into: &raw, seeds: (1, 2)) }
            switch outcome {
            case .event: codes.append(raw.events.count - 1)
            case .malformed(let e): codes.append(-1 - errors.count); errors.append(e.reason)
            case .records: codes.append(Int.min)
            }
        }
        if shared {
            parser.withWalk(buffers: &buffers) { walk in for l in lines { one(l, &walk) } }
        } else {
            for l in lines { parser.withWalk(buffers: &buffers) { walk in one(l, &walk) } }
        }
        // The texts' hashes are given by the chunk's string table, as the pipeline does once a chunk is parsed.
        buffers.texts.number(&raw, arena: buffers.arena)
        let arena = buffers.arena[0 ..< buffers.arena.count]
        // Consent texts carry no hash (the builder hashes a category when it needs to, see RawConsent).
        func text(_ t: RawText, hashed: Bool = true) -> String? {
            if t.isAbsent { return nil }
            let b = Array(arena[Int(t.start) ..< Int(t.start) + Int(t.count)])
            let h = b.withUnsafeBytes { IDHash.hash($0, seed: Interner.seed) }
            if hashed { XCTAssertEqual(t.hash, h, "hash of \(String(decoding: b, as: UTF8.self))", file: file, line: line) }
            return String(decoding: b, as: UTF8.self)
        }
        func value(_ v: RawValue) -> String {
            switch v {
            case .null: return "null"
            case .bool(let b): return "\(b)"
            case .number(let d): return "\(d)"
            case .string(let t): return "'\(text(t) ?? "?")'"
            case .composite: return "composite"
            }
        }
        let outcomes: [Outcome] = codes.map { code in
            if code == Int.min { return .other }
            if code < 0 { return .malformed(errors[-1 - code]) }
            let e = raw.events[code]
            return .event(Decoded(
                time: e.time, key: e.key.map { [$0.a, $0.b] } ?? [],
                texts: [text(e.user), text(e.anon), text(e.previous), text(e.name), text(e.section), text(e.timezone)],
                consent: raw.consent[Int(e.consentStart) ..< Int(e.consentEnd)].map {
                    "\(text($0.category, hashed: false) ?? "-")=\($0.granted)/\(text($0.label, hashed: false) ?? "-")"
                } + (e.consentCleared ? ["cleared"] : []),
                properties: raw.properties[Int(e.propertyStart) ..< Int(e.propertyEnd)].map {
                    "\(parser.trie.paths[Int($0.selection)])=\(value($0.value))"
                },
                traits: raw.traits[Int(e.traitStart) ..< Int(e.answerEnd)].map {
                    "\(text($0.key) ?? "-")=\(value($0.value))\($0.once ? " once" : "")"
                }))
        }
        return (outcomes, arena)
    }

    /// The lines through one walk give what each line gives alone, and keep the same bytes in the arena.
    private func assertMemoIsExact(_ lines: [String], _ parser: EventLineParser,
                                   file: StaticString = #filePath, line: UInt = #line) {
        let memo = run(lines, parser, shared: true, file: file, line: line)
        let fresh = run(lines, parser, shared: false, file: file, line: line)
        XCTAssertEqual(memo.outcomes.count, lines.count, file: file, line: line)
        for (i, (m, f)) in zip(memo.outcomes, fresh.outcomes).enumerated() {
            XCTAssertEqual(m, f, "line \(i + 1): \(lines[i])", file: file, line: line)
        }
        XCTAssertEqual(memo.arena, fresh.arena, "the arena's bytes", file: file, line: line)
    }

    private static func line(_ prefs: String, time: String = "2026-10-30T00:00:06.243Z", user: String = "user_014107",
                             tail: String = "") -> String {
        #"{"type":"page","messageId":"m-\#(user)","timestamp":"\#(time)","userId":"\#(user)","name":"Home","properties":{"path":"/"},"context":{"timezone":"America/New_York","consent":{"categoryPreferences":\#(prefs)}}\#(tail)}"#
    }

    // MARK: Consent preferences

    func testConsentMemoHitAndOneByteDifferentMiss() {
        let parser = EventLineParser(selection: FieldSelection(paths: ["context.consent.categoryPreferences.Analytics",
                                                                       "properties.path"]))
        let base = #"{"Analytics":true,"Personalization":true,"Advertising":true,"SmsMarketing":false}"#
        var lines: [String] = [Self.line(base), Self.line(base)]
        // Every single byte of the object changed (to another letter, a quote, a brace, a space…): the same object
        // remembered just before must not answer for it — valid or not, the line gives what it gives alone.
        let bytes = Array(base.utf8)
        for i in bytes.indices {
            for c in [UInt8(ascii: "a"), UInt8(ascii: "\""), UInt8(ascii: "}"), UInt8(ascii: " "), UInt8(ascii: "1")]
            where c != bytes[i] {
                var changed = bytes
                changed[i] = c
                lines.append(Self.line(base))
                lines.append(Self.line(String(decoding: changed, as: UTF8.self)))
            }
        }
        // The same bytes at another place (a property, not the consent object) and then at the consent object again.
        lines.append(#"{"type":"track","event":"E","userId":"u","timestamp":"2026-10-30T00:00:06.243Z","properties":{"path":\#(base)},"context":{"consent":{"categoryPreferences":\#(base)}}}"#)
        // The object as the line's last bytes (nothing after its `}` but the line's) and with a different tail.
        lines.append(#"{"type":"track","event":"E","userId":"u","timestamp":"2026-10-30T00:00:06.243Z","context":{"consent":{"categoryPreferences":\#(base)}}}"#)
        lines.append(Self.line(base, tail: #","traits":{"a":1}"#))
        // A repeated key within the line: the last consent object wins.
        lines.append(Self.line(base, tail: #","context":{"consent":{"categoryPreferences":{"X":true}}}"#))
        lines.append(Self.line(base, tail: #","context":{"consent":{"categoryPreferences":\#(base)}}"#))
        assertMemoIsExact(lines, parser)

        // The memo did remember the object (the hits above were real).
        var buffers = WalkBuffers(), raw = RawEvents()
        parser.withWalk(buffers: &buffers) { walk in
            var b = Array(Self.line(base).utf8)
            _ = b.withUnsafeMutableBytes { parser.parseRaw(UnsafeRawBufferPointer($0), walk: &walk, into: &raw, seeds: (1, 2)) }
            XCTAssertEqual(Int(walk.memo.consent[0].length), base.utf8.count)
            _ = b.withUnsafeMutableBytes { parser.parseRaw(UnsafeRawBufferPointer($0), walk: &walk, into: &raw, seeds: (1, 2)) }
        }
        XCTAssertEqual(raw.events.count, 2)
    }

    func testConsentMemoWithRepeatedCategoriesAndOtherShapes() {
        let parser = EventLineParser(selection: FieldSelection(paths: ["context.consent.categoryPreferences.A"]))
        let objects = [
            #"{"A":true,"B":false,"A":false,"C":true}"#,
            #"{"A":true,"A":true,"A":false}"#,
            #"{"Ab":true,"Ba":false,"\u0041b":false}"#,  // an escaped repeat
            #"{"A":true,"B":1,"C":false}"#,              // a member that is no boolean: never remembered
            #"{"":true,"":false,"B":true}"#,
            #"{}"#,                                      // every category denied
            #"{ "A" : true , "B":false }"#,              // whitespace
            (0 ..< 20).map { "\"c\($0 % 7)\":\($0 % 2 == 0)" }.joined(separator: ",").wrapped,  // more than 16 members
            (0 ..< 16).map { "\"c\($0 % 7)\":\($0 % 2 == 0)" }.joined(separator: ",").wrapped,  // exactly 16
            "{" + (0 ..< 12).map { "\"category_with_a_long_name_\($0)\":true" }.joined(separator: ",") + "}",  // > 256 bytes
        ]
        var lines: [String] = []
        for o in objects { lines += [Self.line(o), Self.line(o), Self.line(objects[0]), Self.line(o)] }
        // More objects than the memo has slots, round and round.
        for k in 0 ..< 3 { for o in objects.shuffled() { lines.append(Self.line(o, user: "u\(k)")) } }
        assertMemoIsExact(lines, parser)
        // The repeated categories of a remembered object: only the last of each, at its own position.
        let out = run([Self.line(objects[0]), Self.line(objects[0])], parser, shared: true).outcomes
        guard case .event(let second) = out[1] else { return XCTFail("\(out)") }
        XCTAssertEqual(second.consent, ["B=false/-", "A=false/-", "C=true/-"])
        XCTAssertEqual(second.properties, ["context.consent.categoryPreferences.A=false"])
    }

    func testConsentMemoLeavesTheArenaLimitExact() {
        // With a lowered arena limit the line that no longer fits is malformed whether or not the object was remembered.
        let parser = EventLineParser()
        let o = #"{"Analytics":true,"Personalization":true}"#
        let lines = (0 ..< 12).map { _ in Self.line(o) }
        func outcomes(shared: Bool, limit: Int) -> [String] {
            var buffers = WalkBuffers(), raw = RawEvents()
            buffers.arena.limit = limit
            var result: [String] = []
            func one(_ l: String, _ w: inout EventWalk) {
                var b = Array(l.utf8)
                let r = b.withUnsafeMutableBytes { parser.parseRaw(UnsafeRawBufferPointer($0), walk: &w, into: &raw, seeds: (1, 2)) }
                if case .malformed(let e) = r { result.append(e.reason) } else { result.append("ok") }
            }
            if shared { parser.withWalk(buffers: &buffers) { w in for l in lines { one(l, &w) } } }
            else { for l in lines { parser.withWalk(buffers: &buffers) { w in one(l, &w) } } }
            return result + ["\(buffers.arena.count)"]
        }
        // Every limit from "the first line does not fit" to "all fit", byte by byte.
        var sawBoth = false
        for limit in 0 ... 12 * 100 {
            let shared = outcomes(shared: true, limit: limit)
            XCTAssertEqual(shared, outcomes(shared: false, limit: limit), "limit \(limit)")
            sawBoth = sawBoth || shared.contains("ok") && shared.dropLast().contains { $0 != "ok" }
        }
        XCTAssertTrue(sawBoth)
    }

    // MARK: Times

    /// Every byte of a canonical time changed to every value, right after the time it was changed from: the walk's
    /// answer (the memo's date, or the full parse) equals ``ISO8601Time/parse(_:assumeUTC:)``'s.
    func testTimeSharingThePrefixButInvalidLaterIsRejected() {
        let parser = EventLineParser()
        var buffers = WalkBuffers()
        let bases = ["2026-10-30T00:00:06.243Z", "2024-02-29T23:59:59.999Z", "2026-02-28T12:34:56.000Z", "0000-01-01T00:00:00.000Z"]
        parser.withWalk(buffers: &buffers) { walk in
            for base in bases {
                let b = Array(base.utf8)
                for i in b.indices {
                    for v in 0 ... 255 {
                        var t = b
                        t[i] = UInt8(v)
                        // The base first (remembering its date), then the variant.
                        let primed = b.withUnsafeBytes { walk.canonicalTime($0.baseAddress!) }
                        XCTAssertEqual(primed, b.withUnsafeBufferPointer { ISO8601Time.canonicalMilliseconds($0) })
                        let got = t.withUnsafeBytes { walk.canonicalTime($0.baseAddress!) }
                        let want = t.withUnsafeBufferPointer { ISO8601Time.canonicalMilliseconds($0) }
                        XCTAssertEqual(got, want, String(decoding: t, as: UTF8.self))
                        if let got {
                            XCTAssertEqual(t.withUnsafeBufferPointer { try? ISO8601Time.parse($0).get() }, got)
                        }
                    }
                }
            }
        }
        // Through whole lines: a time sharing the date of a valid one but with a leap second, a bad second, a bad
        // fraction or zone, and a date that is invalid in both (the 30th of February never gets remembered).
        let times = ["2026-10-30T00:00:06.243Z", "2026-10-30T00:00:60.000Z", "2026-10-30T00:00:6x.243Z", "2026-10-30T00:00:07.2a3Z",
                     "2026-10-30T00:00:07.243z", "2026-10-30T00:00:07.243+", "2026-10-30T00:00:07,243Z", "2026-10-30T00:00:59.999Z",
                     "2026-02-30T00:00:01.000Z", "2026-02-30T00:00:02.000Z", "2026-10-30T00:00:08+01:00", "2026-10-30T00:00:09.000Z",
                     "2026-10-30T00:01:09.000Z", "2026-10-30T00:00:09.000Z"]
        let lines = times.map { Self.line(#"{"A":true}"#, time: $0) }
        assertMemoIsExact(lines, parser)
        let out = run(lines, parser, shared: true).outcomes
        XCTAssertEqual(out.filter { if case .malformed = $0 { return true } else { return false } }.count, 6, "\(out)")
    }

    // MARK: Everything else through one walk

    /// Lines whose names, time zones, categories (both consent forms), traits and property values repeat, change by one
    /// byte or change length, through one walk: every text's hash matches its bytes (checked by `run`) and every line
    /// gives what it gives alone; the chunk's string table still gives equal strings one id.
    func testRepeatedValuesThroughOneWalk() {
        // Whole lines: names, time zones, categories and property values that repeat, change by one byte, change length.
        let parser = EventLineParser(selection: FieldSelection(paths: ["properties.path", "properties.plan"]))
        var lines: [String] = []
        for (k, name) in ["Home", "Home", "Homf", "Hom", "Home", "HomeHomeHomeHome", "HomeHomeHomeHomf", "HomeHomeHomeHomeX"].enumerated() {
            lines.append(#"{"type":"page","messageId":"m\#(k)","timestamp":"2026-10-30T00:00:06.243Z","userId":"user_01410\#(k % 3)","name":"\#(name)","category":"\#(name)","properties":{"path":"/\#(name)","plan":"\#(name)"},"context":{"timezone":"Europe/\#(name)","consent":{"categoryPreferences":{"\#(name)":true,"B":false}}},"traits":{"\#(name)":"\#(name)"}}"#)
            lines.append(#"{"type":"identify","messageId":"i\#(k)","timestamp":"2026-10-30T00:00:06.243Z","anonymousId":"a\#(k % 2)","traits":{"\#(name)":"\#(name)","x":"\#(name)"},"context":{"traits":{"y":"\#(name)"}},"properties":{"$set_once":{"z":"\#(name)"}}}"#)
            lines.append(#"{"type":"track","messageId":"t\#(k)","timestamp":"2026-10-30T00:00:06.243Z","userId":"\#(name)","event":"\#(name)","context":{"consentManagement":{"allowedConsentIds":["\#(name)","B"],"deniedConsentIds":{"C":"\#(name)"}}}}"#)
        }
        assertMemoIsExact(lines, parser)
        // And the chunk's string table still gives equal strings one id, whatever copy a text points at.
        var buffers = WalkBuffers(), raw = RawEvents()
        parser.withWalk(buffers: &buffers) { walk in
            for l in lines {
                var b = Array(l.utf8)
                _ = b.withUnsafeMutableBytes { parser.parseRaw(UnsafeRawBufferPointer($0), walk: &walk, into: &raw, seeds: (1, 2)) }
            }
        }
        buffers.texts.number(&raw, arena: buffers.arena)
        var ids: [[UInt8]: Int32] = [:], names: [Int32: [UInt8]] = [:]
        for e in raw.events {
            for t in [e.user, e.anon, e.name, e.section, e.timezone] where !t.isAbsent {
                let b = buffers.arena[Int(t.start) ..< Int(t.start) + Int(t.count)]
                if let id = ids[b] { XCTAssertEqual(id, t.local) } else { ids[b] = t.local }
                if let n = names[t.local] { XCTAssertEqual(n, b) } else { names[t.local] = b }
            }
        }
    }
}

private extension String {
    var wrapped: String { "{" + self + "}" }
}
