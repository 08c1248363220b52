import Foundation
@testable import EventStore
import EarshotTestSupport
import XCTest

/// #11.15: memory on pathological stores, checked by what can be deterministic (no RSS or timing):
/// the interner's storage per distinct string, and the table cache written in bounded pieces.
final class PathologicalMemoryTests: XCTestCase {
    /// A store with many distinct event names, read into a table (`rows` events).
    private func distinctNamesTable(rows: Int) throws -> (EventTable, TempStore, String) {
        let s = TempStore()
        var lines: [String] = []
        for i in 0 ..< rows {
            lines.append(eventLine(id: "m\(i)", user: "u\(i % 7)", time: "2024-01-01T00:00:00Z",
                                   event: "Event \(i) with a longer name", extra: #""properties":{"category":"c\#(i % 3)"}"#))
        }
        let store = s.write("store/a.jsonl", lines.joined(separator: "\n") + "\n")
        return (try StoreReader(paths: [store]).load(), s, store)
    }

    // MARK: Interner

    /// The interner keeps each string's UTF-8 once in its arena (no `String` per entry): its storage is
    /// the bytes plus an offset and index slots per string, and that is all the heap it grows by.
    func testInternerStoresBytesInOneArenaWithBoundedOverheadPerString() {
        let n = 100_000
        let texts = (0 ..< n).map { String(format: "Event %07d %08x", $0, UInt32(truncatingIfNeeded: $0 &* 2_654_435_761)) }
        XCTAssertEqual(texts[0].utf8.count, 22)
        var interner = Interner()
        for t in texts { _ = interner.intern(t) }
        for t in texts { _ = interner.intern(t) }  // again: nothing new
        XCTAssertEqual(interner.count, n)
        XCTAssertEqual(interner.utf8Bytes, n * 22, "each distinct string's bytes are stored exactly once")
        // Bytes, an 8-byte offset and 4-byte slots at most a quarter full after growth; arrays at most
        // double their use: ≤ 2 × (22 + 8) + 4 × 4 = 76 bytes per 22-byte string (a `String` per
        // entry alone would add 16 bytes of array and a 48-byte heap object).
        XCTAssertLessThanOrEqual(interner.storageBytes, n * 76, "\(interner.storageBytes / n) B per string")
        // Nothing but the three arrays accounted for above (a `[String]` beside them would show here).
        XCTAssertEqual(MemoryLayout<Interner>.size, 3 * MemoryLayout<[UInt8]>.size)
        for i in stride(from: 0, to: n, by: 997) {
            XCTAssertEqual(interner[Int32(i)], texts[i])
            XCTAssertEqual(interner.lookup(texts[i]), Int32(i))
        }
        XCTAssertNil(interner.lookup("Event"))
    }

    /// The stored form round-trips, and a damaged one is refused (never a wrong string).
    func testInternerArenaRoundTripsAndRejectsDamagedStorage() {
        var a = Interner()
        for t in ["", "a", "Événement", "🙂", "sixteen bytes!!!", "x"] { _ = a.intern(t) }
        let st = a.storage
        guard let b = Interner(arena: st.arena, offsets: st.offsets) else { return XCTFail("valid storage refused") }
        XCTAssertEqual(b.strings, a.strings)
        XCTAssertEqual(b.lookup("🙂"), 3)
        XCTAssertEqual(b.utf8Count(2), "Événement".utf8.count)
        // Offsets: not starting at 0, decreasing, past the end, inside a scalar.
        XCTAssertNil(Interner(arena: st.arena, offsets: [1] + st.offsets.dropFirst()))
        var decreasing = st.offsets; decreasing.swapAt(2, 3)
        XCTAssertNil(Interner(arena: st.arena, offsets: decreasing))
        XCTAssertNil(Interner(arena: st.arena, offsets: st.offsets.dropLast() + [st.arena.count + 1]))
        var inside = st.offsets; inside[3] += 1  // "Événement" ends one byte late: "🙂" starts mid-scalar
        XCTAssertNil(Interner(arena: st.arena, offsets: inside))
        var bad = st.arena; bad[st.offsets[2]] = 0xFF
        XCTAssertNil(Interner(arena: bad, offsets: st.offsets))
    }

    /// The arena's UTF-8 check agrees with the standard library's on valid text and random bytes.
    func testUTF8CheckAgreesWithTheStandardLibrary() {
        var rng = SeededRandom(seed: 11_15)
        let samples: [[UInt8]] = [
            [], Array("plain ascii text, longer than eight".utf8), Array("Événement 🙂 中文".utf8),
            [0xC0, 0x80], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF0, 0x9F, 0x99],
            [0xC2], [0x80], [0xEF, 0xBF, 0xBF], [0xF4, 0x8F, 0xBF, 0xBF],
        ]
        var all = samples
        for _ in 0 ..< 5000 {
            let n = Int(rng.next() % 12)
            all.append((0 ..< n).map { _ in
                let r = rng.next()
                return r & 1 == 0 ? UInt8(truncatingIfNeeded: r >> 8) : UInt8(truncatingIfNeeded: 0x80 | (r >> 8) & 0x7F)
            })
        }
        for bytes in all {
            let expected = String(validating: bytes, as: UTF8.self) != nil
            XCTAssertEqual(bytes.withUnsafeBytes { UTF8Check.isValid($0) }, expected, "\(bytes)")
        }
    }

    // MARK: Streamed cache writing

    /// The table cache encoding handed to the file in pieces: none larger than the bound, large
    /// columns passed through in several pieces, and together exactly the one-buffer encoding.
    func testCacheEncodingIsWrittenInBoundedPieces() throws {
        let (t, _, _) = try distinctNamesTable(rows: 300)
        let raw = BuilderRaw(userKey: Array(repeating: 0, count: t.count), anonKey: Array(repeating: -1, count: t.count),
                             linkAnon: [], linkTime: [], linkSeq: [], linkUser: [], seenA: [1, 2], seenB: [3, 4],
                             seeds: (1, 2), warnedCategories: false)
        func encode(_ w: inout BinaryWriter) {
            CacheFile.encode(&w, key: "k", files: [], locationWarnings: ["w"], table: t, raw: raw)
        }
        var whole = BinaryWriter()
        encode(&whole)
        var counter = BinaryWriter(counting: ())
        encode(&counter)
        XCTAssertEqual(counter.count, whole.bytes.count)
        XCTAssertTrue(counter.bytes.isEmpty, "counting keeps no bytes")
        XCTAssertGreaterThan(t.count * 8, 1000, "the time column alone spans several pieces")
        let bound = 1000
        var pieces: [[UInt8]] = []
        var streamed = BinaryWriter(pieceBytes: bound) { pieces.append(Array($0)) }
        encode(&streamed)
        streamed.flush()
        XCTAssertEqual(streamed.count, whole.bytes.count)
        XCTAssertTrue(pieces.allSatisfy { !$0.isEmpty && $0.count <= bound }, "\(pieces.map(\.count).max() ?? 0)")
        XCTAssertGreaterThan(pieces.count, whole.bytes.count / bound)
        XCTAssertEqual(pieces.flatMap { $0 }, whole.bytes)
        XCTAssertLessThanOrEqual(streamed.bytes.capacity, 2 * bound, "the writer buffers at most about one piece")
    }

    /// A cache file written in tiny pieces is a valid cache file: the next load is a hit with the same table.
    func testStreamedCacheFileIsReadBack() throws {
        let (t, s, store) = try distinctNamesTable(rows: 200)
        let cache = StoreCache(directory: s.path("cache/earshot"))
        let first = try StoreReader(paths: [store]).load(cache: cache)
        guard case .rebuilt = first.cache else { return XCTFail("\(first.cache)") }
        let second = try StoreReader(paths: [store]).load(cache: cache)
        XCTAssertEqual(second.cache, .hit)
        XCTAssertEqual(second.table.strings.strings, t.strings.strings)
        XCTAssertEqual(second.table.time, t.time)
        XCTAssertEqual(second.table.name, t.name)
        XCTAssertEqual(second.table.properties, t.properties)

        // The framing itself, with 7-byte pieces.
        guard case .success(let dir) = CacheDirectory.openTrusted(cache.directory) else { return XCTFail("no directory") }
        let payload = (0 ..< 5000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        CacheFile.writeFramed(dir, "pieces.table", magic: StoreCache.magic, version: StoreCache.formatVersion,
                              pieceBytes: 7) { (w: inout BinaryWriter) in w.array(payload) }
        let back: Result<[UInt8], CacheFile.Failure> = CacheFile.readFramed(
            dir, "pieces.table", magic: StoreCache.magic, version: StoreCache.formatVersion) { r in
            guard let a = r.array(UInt8.self), r.atEnd else { return .failure(CacheFile.Failure(.damaged)) }
            return .success(a)
        }
        XCTAssertEqual(try? back.get(), payload)
    }
}

/// #12.3: the table's row columns are declared once and every use follows the list.
final class TableColumnListTests: XCTestCase {
    /// Every row column of a built table is in the list, each as long as the table, and a resumed
    /// builder (the cache's append path) restores each of them in build order.
    func testRowColumnListCoversTheTableAndResumesEachColumn() throws {
        let s = TempStore()
        let store = s.write("store/a.jsonl", [
            eventLine(id: "m1", user: "u2", time: "2024-01-03T00:00:00Z", event: "B"),
            eventLine(id: "m2", user: "u1", time: "2024-01-01T00:00:00Z", event: "A",
                      extra: #""context":{"timezone":"Europe/Paris","consent":{"categoryPreferences":{"Analytics":true}}}"#),
            eventLine("page", id: "m3", user: "u2", time: "2024-01-02T00:00:00Z", event: "P"),
        ].joined(separator: "\n") + "\n")
        let t = try StoreReader(paths: [store]).load()
        XCTAssertEqual(EventTable.rowColumns.map(\.name),
                       ["time", "person", "kind", "name", "section", "timezone", "sequence", "consentCarried", "consentGranted"])
        for c in EventTable.rowColumns { XCTAssertEqual(c.count(t), t.count, c.name) }
        // Reordering by the inverse of `sequence` gives file order back, for every column.
        var at = [Int](repeating: 0, count: t.count)
        for (row, old) in t.sequence.enumerated() { at[Int(old)] = row }
        var back = EventTable()
        for c in EventTable.rowColumns { c.reorder(&back, t, at) }
        XCTAssertEqual(back.sequence, [0, 1, 2])
        XCTAssertEqual(back.time.map { $0 / 86_400_000 }, [19725, 19723, 19724].map { Int64($0) })
        XCTAssertEqual(back.kind, [.track, .track, .page])
        XCTAssertEqual(back.timezone.map { $0 >= 0 }, [false, true, false])
        // A column encoded and decoded through the list is the same column; a wrong row count is damage.
        var w = BinaryWriter()
        for c in EventTable.rowColumns { c.encode(t, &w) }
        var decoded = EventTable()
        let ok = w.bytes.withUnsafeBytes { b -> Bool in
            var r = BinaryReader(b)
            return EventTable.rowColumns.allSatisfy { $0.decode(&decoded, &r, t.count) } && r.atEnd
        }
        XCTAssertTrue(ok)
        XCTAssertEqual(decoded.time, t.time); XCTAssertEqual(decoded.kind, t.kind); XCTAssertEqual(decoded.person, t.person)
        XCTAssertEqual(decoded.consentCarried, t.consentCarried); XCTAssertEqual(decoded.sequence, t.sequence)
        let short = w.bytes.withUnsafeBytes { b -> Bool in
            var r = BinaryReader(b)
            var x = EventTable()
            return EventTable.rowColumns[0].decode(&x, &r, t.count + 1)
        }
        XCTAssertFalse(short)
    }

    /// The rebuild reasons are cases; their descriptions are the texts shown to a person.
    func testRebuildReasonsDescribeThemselves() {
        XCTAssertEqual(CacheOutcome.rebuilt(reason: .noCacheYet).description, "cache rebuilt (no cache yet)")
        XCTAssertEqual(RebuildReason.shrank(path: "/s/a.jsonl").description, "/s/a.jsonl shrank")
        XCTAssertEqual(RebuildReason.implausiblySized(bytes: 9).description, "cache file implausibly large (9 bytes)")
        XCTAssertEqual(RebuildReason.tooManyConsentCategories(limit: 64).description, "more than 64 consent categories")
        XCTAssertNotEqual(RebuildReason.modified(path: "a"), .statusChanged(path: "a"))
    }
}
