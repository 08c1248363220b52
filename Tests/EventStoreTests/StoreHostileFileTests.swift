import XCTest
import EarshotTestSupport
import Foundation
#if canImport(Glibc)
import Glibc
#endif
@testable import EventStore

/// #11.14: a store file that changes under the reader, and gzip data that is damaged in the middle.
final class StoreHostileFileTests: XCTestCase {
    /// About 6 MiB of valid lines: more than one 4 MiB read buffer, so the reader reports progress
    /// (and the test can change the file) before it has read the whole file.
    func bigStore(_ s: TempStore, name: String = "events.jsonl") -> (path: String, lines: Int, bytes: Int) {
        var text = ""
        var n = 0
        let pad = String(repeating: "x", count: 120)
        while text.utf8.count < 6 << 20 {
            text += eventLine(id: "m\(n)", user: "u\(n % 500)", event: "e\(n % 7)", extra: #""properties":{"pad":"\#(pad)"}"#) + "\n"
            n += 1
        }
        return (s.write(name, text), n, text.utf8.count)
    }

    func testFileTruncatedWhileReadIsNamedInAWarning() throws {
        let s = TempStore()
        let store = bigStore(s)
        var done = false
        var reader = StoreReader(paths: [store.path])
        reader.parseThreads = 1
        let t = try reader.load { p in
            if !done && p.bytesRead > 0 && p.bytesRead < Int64(store.bytes) {
                done = true
                XCTAssertEqual(truncate(store.path, 1 << 20), 0)
            }
        }
        XCTAssertTrue(done, "the reader reported no progress in the middle of the file")
        XCTAssertLessThan(t.stats.lines, store.lines)
        let w = t.stats.warnings.filter { $0.hasPrefix("\(store.path): truncated while it was read") }
        XCTAssertEqual(w.count, 1, "\(t.stats.warnings)")
        XCTAssertTrue(w.first?.contains("(\(store.bytes) bytes when opened, \(1 << 20) after reading)") ?? false, "\(w)")
    }

    func testFileRewrittenInPlaceWhileReadIsNamedInAWarning() throws {
        let s = TempStore()
        let store = bigStore(s)
        var done = false
        let t = try StoreReader(paths: [store.path]).load { p in
            if !done && p.bytesRead > 0 && p.bytesRead < Int64(store.bytes) {
                done = true
                // Same size, different bytes at the end (as an editor saving in place would).
                let fd = open(store.path, O_WRONLY)
                XCTAssertGreaterThanOrEqual(fd, 0)
                var tail = Array(#"{"type":"track"}"#.utf8)
                _ = pwrite(fd, &tail, tail.count, off_t(store.bytes - tail.count - 1))
                close(fd)
            }
        }
        XCTAssertTrue(done)
        XCTAssertEqual(t.stats.warnings.filter { $0.hasPrefix("\(store.path): rewritten while it was read") }.count, 1,
                       "\(t.stats.warnings)")
    }

    func testUnchangedAndAppendedFilesGiveNoWarning() throws {
        let s = TempStore()
        let store = bigStore(s)
        XCTAssertEqual(try StoreReader(paths: [store.path]).load().stats.warnings, [])
        var done = false
        let t = try StoreReader(paths: [store.path]).load { p in
            if !done && p.bytesRead > 0 {
                done = true
                let fd = open(store.path, O_WRONLY | O_APPEND)
                var line = Array((eventLine(id: "late", user: "u") + "\n").utf8)
                _ = write(fd, &line, line.count)
                close(fd)
            }
        }
        XCTAssertEqual(t.stats.warnings, [])
        XCTAssertEqual(t.stats.malformed, 0)
    }

    /// A table read while a file changed is not written to the cache (its figures would be served again).
    func testChangedReadIsNotCached() throws {
        let s = TempStore()
        let store = bigStore(s)
        let cache = StoreCache(directory: s.path("cache/earshot"))
        var done = false
        let r = try StoreReader(paths: [store.path]).load(cache: cache) { p in
            if !done && p.bytesRead > 0 && p.bytesRead < Int64(store.bytes) {
                done = true
                XCTAssertEqual(truncate(store.path, 1 << 20), 0)
            }
        }
        XCTAssertTrue(r.table.stats.warnings.contains { $0.contains("truncated while it was read") }, "\(r.table.stats.warnings)")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: cache.directory)) ?? []
        XCTAssertEqual(files.filter { $0.hasSuffix(".table") }, [])
        // The next run reads the (now shorter, unchanged) file afresh and caches it.
        let again = try StoreReader(paths: [store.path]).load(cache: cache)
        XCTAssertEqual(again.table.stats.warnings, [])
    }

    /// Gzip data damaged in the middle: zlib decodes garbage for a while before it notices. Those
    /// garbage lines are one corrupt-file warning, not thousands of malformed lines; a real malformed
    /// line in an earlier, intact member stays counted.
    func testCorruptGzipMiddleIsOneWarningNotThousandsOfMalformedLines() throws {
        let s = TempStore()
        var rng = SeededRandom(seed: 11)
        let lines = (0 ..< 20_000).map { i in
            eventLine(id: "m\(i)", user: "u\(rng.next() % 3000)", event: "e\(i % 9)",
                      extra: #""properties":{"path":"/p/\#(rng.next() % 100_000)"}"#)
        }
        var damaged = gzipMember(lines.joined(separator: "\n") + "\n")
        for k in damaged.count / 3 ..< damaged.count / 3 + 64 { damaged[k] = 0 }
        let intact = gzipMember(eventLine(id: "first", user: "u") + "\nnot json\n")
        let p = s.write("events.jsonl.gz", intact + damaged)
        let t = try StoreReader(paths: [p]).load()
        let st = t.stats
        XCTAssertEqual(st.malformed, 1, "\(st.malformedKinds)")          // line 2 of the intact member
        XCTAssertEqual(st.malformedSamples.map(\.line), [2])
        XCTAssertEqual(st.files[0].malformed, 1)
        XCTAssertEqual(st.malformedKinds.values.reduce(0, +), 1)
        XCTAssertEqual(st.records, st.events + st.duplicates + st.malformed)
        XCTAssertEqual(st.files[0].records, st.files[0].events + st.files[0].duplicates + st.files[0].malformed)
        XCTAssertLessThan(t.count, 20_001)
        XCTAssertEqual(st.warnings.count, 1, "\(st.warnings)")
        let w = st.warnings.first ?? ""
        XCTAssertTrue(w.hasPrefix("\(p): corrupt gzip data near compressed byte"), w)
        XCTAssertTrue(w.contains("of the damaged gzip member, decoded before the damage was detected, are counted in this warning, not as lines"), w)
    }
}

/// The interner compares raw bytes against each `String`'s own UTF-8 (no second copy, #11.15).
final class InternerBytesTests: XCTestCase {
    func testInterningBytesFindsEveryKindOfString() {
        var interner = Interner()
        let texts = ["", "a", "fifteen bytes!!", "sixteen bytes!!!", "Événement Visité", "🙂 emoji", String(repeating: "x", count: 300)]
        var ids: [Int32] = []
        for t in texts {
            var copy = t
            ids.append(copy.withUTF8 { interner.intern(bytes: UnsafeRawBufferPointer($0), hash: IDHash.hash(t, seed: Interner.seed)) })
        }
        XCTAssertEqual(ids, (0 ..< Int32(texts.count)).map { $0 })
        for (t, id) in zip(texts, ids) {
            var copy = t
            let again = copy.withUTF8 { interner.intern(bytes: UnsafeRawBufferPointer($0), hash: IDHash.hash(t, seed: Interner.seed)) }
            XCTAssertEqual(again, id, t)
            XCTAssertEqual(interner.lookup(t), id, t)
            XCTAssertEqual(interner[id], t)
        }
        XCTAssertEqual(interner.count, texts.count)
        XCTAssertFalse(Interner.equal("abc", UnsafeRawBufferPointer(start: nil, count: 0)))
        XCTAssertTrue(Interner.equal("", UnsafeRawBufferPointer(start: nil, count: 0)))
    }

    /// Reserving (the reader sizes the interner from the store's bytes) keeps every id and lookup, also for
    /// strings interned before the reserve, and makes room so that the index does not grow while the
    /// reserved strings come in.
    func testReserveKeepsIdsAndStopsTheIndexGrowing() {
        var plain = Interner(), reserved = Interner()
        let before = (0 ..< 100).map { "before-\($0)" }, after = (0 ..< 5000).map { "id-\($0 * 7919)" }
        for t in before { _ = plain.intern(t); _ = reserved.intern(t) }
        reserved.reserve(strings: after.count, bytes: after.count * 12)
        let capacity = reserved.indexCapacity
        XCTAssertGreaterThanOrEqual(capacity, 2 * (before.count + after.count))
        for t in after + before + after {
            XCTAssertEqual(reserved.intern(t), plain.intern(t), t)
        }
        XCTAssertEqual(reserved.indexCapacity, capacity, "the index grew after reserve")
        XCTAssertEqual(reserved.strings, plain.strings)
        for t in before + after { XCTAssertEqual(reserved.lookup(t), plain.lookup(t), t) }
        XCTAssertNil(reserved.lookup("never"))
        reserved.reserve(strings: 0, bytes: 0)
        XCTAssertEqual(reserved.indexCapacity, capacity)
    }
}
