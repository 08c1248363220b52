import XCTest
@testable import EventStore

/// The string table of a parsed chunk (docs/PERFORMANCE.md, "perf, session 6 (parse)"): equal strings share one chunk
/// id, different strings never do, absent strings and consent categories have none.
final class ChunkStringsTests: XCTestCase {
    func testEqualStringsShareAnIdAndOnlyThey() {
        let lines = [
            #"{"type":"track","messageId":"m1","timestamp":"2024-01-01T00:00:00Z","userId":"u1","event":"Viewed","properties":{"category":"u1","plan":"pro"},"context":{"timezone":"Europe/Berlin","consent":{"categoryPreferences":{"Ads":true}}}}"#,
            #"{"type":"track","messageId":"m2","timestamp":"2024-01-01T00:00:01Z","userId":"u\u0031","anonymousId":"a1","event":"Viewed","properties":{"category":"Viewed","plan":""}}"#,
            #"{"type":"identify","messageId":"m3","timestamp":"2024-01-01T00:00:02Z","userId":"u2","traits":{"plan":"pro","city":"Köln","n":3}}"#,
            #"{"type":"page","messageId":"m4","timestamp":"2024-01-01T00:00:03Z","anonymousId":"a1","name":"Home","category":"SHOP","properties":{"category":"shop"}}"#,
            #"{"type":"track","messageId":"m5","timestamp":"2024-01-01T00:00:04Z","userId":"u10","event":"Viewedx","properties":{"plan":"pr"}}"#,
        ]
        let parser = EventLineParser(selection: FieldSelection(paths: ["properties.category", "properties.plan"]))
        var buffers = WalkBuffers(), raw = RawEvents()
        parser.withWalk(buffers: &buffers) { walk in
            for line in lines {
                var bytes = Array(line.utf8)
                let outcome = bytes.withUnsafeMutableBytes { parser.parseRaw(UnsafeRawBufferPointer($0), walk: &walk, into: &raw, seeds: (1, 2)) }
                guard case .event = outcome else { return XCTFail("\(line): \(outcome)") }
            }
        }
        buffers.texts.number(&raw, arena: buffers.arena)

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
}
