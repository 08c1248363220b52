import XCTest
import EarshotTestSupport
@testable import EventStore

/// The string table of a parsed chunk (docs/PERFORMANCE.md, "perf, session 6 (parse)"): equal strings share one chunk
/// id, different strings never do, absent strings and consent categories have none.
final class ChunkStringsTests: XCTestCase {
    /// Parses `lines` (each must be an event) as one chunk and numbers its strings, as the pipeline does.
    private func numberedChunk(_ lines: [String], parser: EventLineParser,
                               file: StaticString = #filePath, line: UInt = #line) -> (WalkBuffers, RawEvents) {
        var buffers = WalkBuffers(), raw = RawEvents()
        parser.withWalk(buffers: &buffers) { walk in
            for text in lines {
                var bytes = Array(text.utf8)
                let outcome = bytes.withUnsafeMutableBytes { parser.parseRaw(UnsafeRawBufferPointer($0), walk: &walk, into: &raw, seeds: (1, 2)) }
                guard case .event = outcome else { return XCTFail("\(text): \(outcome)", file: file, line: line) }
            }
        }
        buffers.texts.number(&raw, arena: buffers.arena)
        return (buffers, raw)
    }

    func testEqualStringsShareAnIdAndOnlyThey() {
        let lines = [
            #"{"type":"track","messageId":"m1","timestamp":"2024-01-01T00:00:00Z","userId":"u1","event":"Viewed","properties":{"category":"u1","plan":"pro"},"context":{"timezone":"Europe/Berlin","consent":{"categoryPreferences":{"Ads":true}}}}"#,
            #"{"type":"track","messageId":"m2","timestamp":"2024-01-01T00:00:01Z","userId":"u\u0031","anonymousId":"a1","event":"Viewed","properties":{"category":"Viewed","plan":""}}"#,
            #"{"type":"identify","messageId":"m3","timestamp":"2024-01-01T00:00:02Z","userId":"u2","traits":{"plan":"pro","city":"Köln","n":3}}"#,
            #"{"type":"page","messageId":"m4","timestamp":"2024-01-01T00:00:03Z","anonymousId":"a1","name":"Home","category":"SHOP","properties":{"category":"shop"}}"#,
            #"{"type":"track","messageId":"m5","timestamp":"2024-01-01T00:00:04Z","userId":"u10","event":"Viewedx","properties":{"plan":"pr"}}"#,
        ]
        let parser = EventLineParser(selection: FieldSelection(paths: ["properties.category", "properties.plan"]))
        var (buffers, raw) = numberedChunk(lines, parser: parser)

        var texts: [RawText] = []
        for e in raw.events { texts += [e.user, e.anon, e.previous, e.name, e.section, e.timezone] }
        for p in raw.properties { if case .string(let t) = p.value { texts.append(t) } }
        for t in raw.traits {
            texts.append(t.key)
            if case .string(let v) = t.value { texts.append(v) }
        }
        func bytes(_ t: RawText) -> [UInt8] { Array(buffers.arena[Int(t.start) ..< Int(t.start) + Int(t.count)]) }
        var distinct: [[UInt8]: Int32] = [:]
        for t in texts {
            if t.isAbsent { XCTAssertEqual(t.local, -1); continue }
            XCTAssertGreaterThanOrEqual(t.local, 0)
            if let id = distinct[bytes(t)] {
                XCTAssertEqual(t.local, id, String(decoding: bytes(t), as: UTF8.self))
            } else {
                XCTAssertFalse(distinct.values.contains(t.local), "id \(t.local) given to two strings")
                distinct[bytes(t)] = t.local
            }
        }
        XCTAssertEqual(buffers.texts.count, distinct.count)
        XCTAssertEqual(Set(distinct.values), Set((0 ..< Int32(distinct.count))))
        // "u1" (as a property value and, escaped, as an id), "Viewed", "pro" and "shop" (a section and a value) repeat.
        XCTAssertEqual(distinct[Array("u1".utf8)].map { id in texts.filter { $0.local == id }.count }, 3)
        XCTAssertEqual(distinct[Array("shop".utf8)].map { id in texts.filter { $0.local == id }.count }, 2)
        XCTAssertNotNil(distinct[Array("".utf8)])  // an empty property value is a string too
        for c in raw.consent { XCTAssertEqual(c.category.local, -1) }
        XCTAssertFalse(raw.consent.isEmpty)

        // A second chunk starts from nothing.
        var one = RawEvents()
        one.events = [raw.events[4]]
        buffers.texts.number(&one, arena: buffers.arena)
        XCTAssertEqual(buffers.texts.count, 2)  // "u10", "Viewedx"
        XCTAssertEqual(Set([one.events[0].user.local, one.events[0].name.local]), [0, 1])
    }

    /// The slot table is kept from chunk to chunk, also when a chunk needs a smaller one than the last (apply8): it must
    /// be empty again for the next chunk, or a string of the new chunk finds the last chunk's slot (a stale id).
    func testASmallChunkAfterALargeOneStartsFromNothing() {
        let parser = EventLineParser(selection: FieldSelection(paths: []))
        var buffers = WalkBuffers()
        func chunk(_ users: [Int]) -> RawEvents {
            var raw = RawEvents()
            parser.withWalk(buffers: &buffers) { walk in
                for u in users {
                    var bytes = Array(#"{"type":"track","messageId":"m\#(u)","timestamp":"2024-01-01T00:00:00Z","userId":"user_\#(u)","event":"E"}"#.utf8)
                    let outcome = bytes.withUnsafeMutableBytes { parser.parseRaw(UnsafeRawBufferPointer($0), walk: &walk, into: &raw, seeds: (1, 2)) }
                    guard case .event = outcome else { return XCTFail("\(u): \(outcome)") }
                }
            }
            return raw
        }
        var large = chunk(Array(0 ..< 600))
        buffers.texts.number(&large, arena: buffers.arena)
        XCTAssertEqual(buffers.texts.count, 601)
        // 100 events need a table of 2,048 slots: the 8,192 of the last chunk are kept (at most 4× larger).
        var small = chunk([5, 7] + Array(repeating: 5, count: 98))
        buffers.texts.number(&small, arena: buffers.arena)
        XCTAssertEqual(buffers.texts.slotCount, 8192, "a table up to 4× larger than a chunk needs is kept")
        XCTAssertEqual(buffers.texts.count, 3)  // "user_5", "E", "user_7"
        XCTAssertEqual(small.events.prefix(3).map(\.user.local), [0, 2, 0])
        XCTAssertTrue(small.events.allSatisfy { $0.name.local == 1 })
        // And a large one again (the table grows back where it needs to).
        var again = chunk(Array(300 ..< 1500))
        buffers.texts.number(&again, arena: buffers.arena)
        XCTAssertEqual(buffers.texts.count, 1201)
        XCTAssertEqual(Set(again.events.map(\.user.local)).count, 1200)
        XCTAssertTrue(again.events.allSatisfy { $0.name.local == 1 })
        XCTAssertEqual(buffers.texts.slotCount, 16384)
        // A table more than 4× larger than the next chunk needs is not kept (one chunk of a huge line must not pin
        // its table for the rest of the read): the next small chunk has a table of its own size, ids dense from 0.
        var tiny = chunk([1400, 1, 1400])
        buffers.texts.number(&tiny, arena: buffers.arena)
        XCTAssertEqual(buffers.texts.slotCount, 1024)
        XCTAssertEqual(tiny.events.map(\.user.local), [0, 2, 0])
    }
    /// Every text of a parsed chunk that the reading thread interns gets its hash from the string table
    /// (``ChunkStrings/number(_:arena:)``; `emit` leaves it 0): ids, names, sections, zones, property, trait, answer and
    /// element values, trait and answer keys. The interner finds each string by that hash (it confirms by bytes, so a
    /// wrong hash adds the string a second time): interned once as a `String`, the text's bytes with its hash must give
    /// back the same id and add nothing. (Consent categories are hashed by the builder, see `RawConsent`.)
    func testEveryTextIsHashedAsTheInternerHashesIt() {
        let parser = EventLineParser(selection: RawPipelineTests.selection)
        var buffers = WalkBuffers(), raw = RawEvents()
        let extra = [
            // Empty strings: a property value, a trait value, an answer's value, an element.
            #"{"type":"identify","messageId":"e1","timestamp":"2024-01-01T00:00:00Z","userId":"u","traits":{"plan":"","":"x"},"properties":{"plan":"","tags":["",""]}}"#,
            #"{"type":"track","messageId":"e2","timestamp":"2024-01-01T00:00:00Z","userId":"u","event":"","properties":{"answers":[""],"products":[{"category":""}]},"context":{"consentManagement":{"allowedConsentIds":{"C1":"","C2":"Ads \u00e9"}}}}"#,
            #"{"type":"alias","messageId":"e3","timestamp":"2024-01-01T00:00:00Z","userId":"u","previousId":"p\u00e9","context":{"timezone":"Europe/Berlin"}}"#,
        ]
        parser.withWalk(buffers: &buffers) { walk in
            for line in RawPipelineTests.lines + extra {
                var bytes = Array(line.utf8)
                _ = bytes.withUnsafeMutableBytes { parser.parseRaw(UnsafeRawBufferPointer($0), walk: &walk, into: &raw, seeds: (1, 2)) }
            }
        }
        buffers.texts.number(&raw, arena: buffers.arena)

        var texts: [RawText] = []
        func add(_ v: RawValue) { if case .string(let t) = v { texts.append(t) } }
        for e in raw.events { texts += [e.user, e.anon, e.previous, e.name, e.section, e.timezone] }
        for p in raw.properties { add(p.value) }
        for t in raw.traits { texts.append(t.key); add(t.value) }
        for e in raw.elements { add(e.value) }
        let present = texts.filter { !$0.isAbsent }
        XCTAssertGreaterThan(present.count, 80)
        XCTAssertTrue(present.contains { $0.count == 0 }, "an empty string among the texts")
        var interner = Interner()
        for t in present {
            let bytes = Array(buffers.arena[Int(t.start) ..< Int(t.start) + Int(t.count)])
            let text = String(decoding: bytes, as: UTF8.self)
            let id = interner.intern(text)
            let before = interner.count
            let again = bytes.withUnsafeBytes { interner.intern(bytes: $0, hash: t.hash) }
            XCTAssertEqual(again, id, "the hash of \(text.debugDescription) finds its string")
            XCTAssertEqual(interner.count, before, "the hash of \(text.debugDescription) adds nothing")
            XCTAssertEqual(t.hash, IDHash.hash(text, seed: Interner.seed), text.debugDescription)
        }
    }
    /// Consent categories reach the builder without a hash (`RawConsent`): it recognises a category by its bytes at the
    /// same position of the last event and hashes it itself when that fails. Categories that move between positions, repeat
    /// with escapes, are empty, or are more than the hints: the byte path's table equals the one built from the lines
    /// one by one (``EventTableBuilder/add(_:file:)``), for several chunk sizes.
    func testConsentCategoriesHashedByTheBuilder() throws {
        let names = ["Analytics", "Ads", "A\\u0064s", "", "Personalization", "SmsMarketing", "C0001", "Marketing\\u00e9"]
        var lines: [String] = []
        var random = SeededRandom(seed: 14)
        for i in 0 ..< 300 {
            let n = Int(random.next() % 7)
            let members = (0 ..< n).map { _ in
                "\"\(names[Int(random.next() % UInt64(names.count))])\":\(random.next() % 2 == 0)"
            }.joined(separator: ",")
            lines.append(#"{"type":"track","messageId":"m\#(i)","timestamp":"2024-01-01T00:00:00Z","userId":"u\#(i % 17)","event":"E","context":{"consent":{"categoryPreferences":{\#(members)}}}}"#)
        }
        let store = TempStore()
        store.write("s/c.jsonl", lines.joined(separator: "\n") + "\n")
        var reference = EventTableBuilder(selection: nil)
        let parser = EventLineParser(selection: .metrics)
        for line in lines {
            guard case .success(let e) = parser.parse(line) else { return XCTFail(line) }
            reference.add(e)
        }
        let expected = reference.finish()
        XCTAssertGreaterThan(expected.consentCategories.count, 5)
        for (threads, chunk) in [(0, 1 << 20), (2, 700), (1, 1)] {
            var reader = StoreReader(paths: [store.path("s")], selection: .metrics)
            reader.parseThreads = threads
            reader.chunkBytes = chunk
            var t = try reader.load()
            t.stats = expected.stats
            assertSameTable(t, expected, "threads \(threads), chunk \(chunk)")
        }
    }
    /// ``ChunkStrings/sameBytes(_:_:_:_:)`` (the comparison with the event before) against `memcmp`: every length 0–40,
    /// a difference at every position, at both ends of a buffer.
    func testSameBytesAgreesWithMemcmp() {
        var random = SeededRandom(seed: 9)
        for n in 0 ... 40 {
            for at in -1 ..< n {
                // Two copies of the same random bytes at the start and at the very end of one buffer; one byte changed at
                // `at` (-1: none).
                let count = 2 * n + 16
                var bytes = (0 ..< count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
                let a = 0, b = count - n
                for i in 0 ..< n { bytes[b + i] = bytes[a + i] }
                if at >= 0 { bytes[b + at] ^= 1 << UInt8(random.next() % 8) }
                bytes.withUnsafeBytes { p in
                    let expected = memcmp(p.baseAddress! + a, p.baseAddress! + b, n) == 0
                    XCTAssertEqual(ChunkStrings.sameBytes(p.baseAddress!, Int32(a), Int32(b), Int32(n)), expected, "n \(n) at \(at)")
                    XCTAssertEqual(ChunkStrings.sameBytes(p.baseAddress!, Int32(b), Int32(a), Int32(n)), expected, "n \(n) at \(at)")
                }
            }
        }
    }

    /// Consecutive events whose ids, names and zones are equal, or of the same length and different in one byte (at every
    /// position, lengths 1–40): each text gets the id of its bytes and their hash, as without the comparison.
    func testTextsLikeTheEventBefore() {
        var lines: [String] = []
        var expected: [String] = [], bases: [String] = []
        for n in 1 ... 40 {
            let base = String((0 ..< n).map { Character(UnicodeScalar(UInt8(97 + $0 % 26))) })
            for at in -1 ..< n {
                var id = Array(base.utf8)
                if at >= 0 { id[at] = UInt8(ascii: "Z") }
                let text = String(decoding: id, as: UTF8.self)
                expected.append(text)
                bases.append(base)
                lines.append(#"{"type":"page","messageId":"m\#(lines.count)","timestamp":"2024-01-01T00:00:00Z","userId":"\#(text)","anonymousId":"\#(base)","name":"\#(text)","context":{"timezone":"\#(text)"}}"#)
            }
        }
        let parser = EventLineParser(selection: FieldSelection(paths: []))
        let (buffers, raw) = numberedChunk(lines, parser: parser)
        XCTAssertEqual(raw.events.count, lines.count)
        var ids: [String: Int32] = [:]
        func check(_ t: RawText, _ text: String, _ i: Int) {
            let bytes = Array(buffers.arena[Int(t.start) ..< Int(t.start) + Int(t.count)])
            XCTAssertEqual(String(decoding: bytes, as: UTF8.self), text, "event \(i)")
            XCTAssertEqual(t.hash, IDHash.hash(text, seed: Interner.seed), "event \(i): \(text)")
            if let id = ids[text] { XCTAssertEqual(t.local, id, "event \(i): \(text)") } else {
                XCTAssertFalse(ids.values.contains(t.local), "event \(i): \(text) has the id of another string")
                ids[text] = t.local
            }
        }
        for (i, e) in raw.events.enumerated() {
            check(e.user, expected[i], i)
            check(e.name, expected[i], i)
            check(e.timezone, expected[i], i)
            check(e.anon, bases[i], i)
        }
        XCTAssertEqual(buffers.texts.count, ids.count)
    }
}
