import XCTest
import EarshotTestSupport
import Foundation
@testable import EventStore

final class StoreCacheTests: XCTestCase {
    /// A store (two plain files, one gzip) and a cache directory beside it.
    private func makeStore() -> (s: TempStore, store: String, cache: StoreCache) {
        let s = TempStore()
        s.write("store/a.jsonl", [
            eventLine(id: "m1", anon: "a1", time: "2024-01-01T00:00:00Z", event: "Viewed"),
            eventLine(id: "m2", user: "u1", time: "2024-01-02T00:00:00Z",
                      extra: #""context":{"consent":{"categoryPreferences":{"Analytics":true}}}"#),
            "{broken",
        ].joined(separator: "\n") + "\n")
        s.write("store/b.jsonl.gz", gzipMember(eventLine(id: "m3", user: "u2", event: "Order Completed",
                                                         extra: #""properties":{"category":"baby"}"#) + "\n"))
        s.write("store/c.jsonl", eventLine("identify", id: "m4", user: "u1", extra: #""traits":{"plan":"pro"}"#) + "\n")
        return (s, s.path("store"), StoreCache(directory: s.path("cache/earshot")))
    }

    private func load(_ store: String, _ cache: StoreCache?) throws -> (EventTable, CacheOutcome) {
        try StoreReader(paths: [store]).load(cache: cache)
    }

    private func cacheFile(_ cache: StoreCache) -> String {
        let names = try! FileManager.default.contentsOfDirectory(atPath: cache.directory).filter { $0.hasSuffix(".table") }
        XCTAssertEqual(names.count, 1)
        return cache.directory + "/" + names[0]
    }

    /// Rewrites a file in place (same inode).
    private func overwrite(_ path: String, _ text: String) {
        let h = FileHandle(forWritingAtPath: path)!
        h.truncateFile(atOffset: 0)
        h.write(Data(text.utf8))
        h.closeFile()
    }

    private func append(_ path: String, _ text: String) {
        let h = FileHandle(forWritingAtPath: path)!
        h.seekToEndOfFile()
        h.write(Data(text.utf8))
        h.closeFile()
    }

    private func reason(_ o: CacheOutcome) -> RebuildReason? {
        if case .rebuilt(let r) = o { return r }
        return nil
    }

    func testFirstLoadWritesSecondLoadHitsWithTheSameTable() throws {
        let (s, store, cache) = makeStore()
        _ = s
        let (cold, o1) = try load(store, cache)
        XCTAssertEqual(o1, .rebuilt(reason: .noCacheYet))
        let (warm, o2) = try load(store, cache)
        XCTAssertEqual(o2, .hit)
        assertSameTable(warm, cold, "warm vs cold")
        assertSameTable(warm, try StoreReader(paths: [store]).load(), "warm vs no cache")
        XCTAssertEqual(warm.count, 4)
        XCTAssertEqual(warm.stats.malformedSamples.map(\.line), [3])
        // Private by default: the cache file is readable by its owner only.
        let attrs = try FileManager.default.attributesOfItem(atPath: cacheFile(cache))
        XCTAssertEqual((attrs[.posixPermissions] as? NSNumber)?.intValue, 0o600)
        XCTAssertEqual(try load(store, nil).1, .unused)
    }

    func testSizeChangeThatIsNotAnAppendRebuilds() throws {
        let (s, store, cache) = makeStore()
        _ = try load(store, cache)
        overwrite(s.path("store/c.jsonl"), "\n")  // shrank
        let (t, o) = try load(store, cache)
        XCTAssertEqual(reason(o), .shrank(path: s.path("store/c.jsonl")))
        XCTAssertEqual(t.count, 3)
        // Grew, but an earlier byte changed too.
        _ = try load(store, cache)
        overwrite(s.path("store/c.jsonl"), " \n" + eventLine(id: "m9", user: "u9") + "\n")
        XCTAssertEqual(reason(try load(store, cache).1), .modifiedBeforeOldEnd(path: s.path("store/c.jsonl")))
    }

    func testModificationTimeChangeRebuilds() throws {
        let (s, store, cache) = makeStore()
        _ = try load(store, cache)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_000_000)],
                                              ofItemAtPath: s.path("store/a.jsonl"))
        XCTAssertEqual(reason(try load(store, cache).1), .modified(path: s.path("store/a.jsonl")))
        XCTAssertEqual(try load(store, cache).1, .hit)
    }

    func testReplacedFileRebuildsEvenWithSameSizeAndTime() throws {
        let (s, store, cache) = makeStore()
        _ = try load(store, cache)
        let a = s.path("store/a.jsonl")
        let mtime = try FileManager.default.attributesOfItem(atPath: a)[.modificationDate] as! Date
        let copy = s.write("a.copy", Array(FileManager.default.contents(atPath: a)!))
        try FileManager.default.setAttributes([.modificationDate: mtime], ofItemAtPath: copy)
        XCTAssertEqual(rename(copy, a), 0)
        XCTAssertEqual(reason(try load(store, cache).1), .replaced(path: a))
    }

    func testTruncatedCorruptedAndForeignCachesAreRebuilt() throws {
        let (s, store, cache) = makeStore()
        _ = s
        let (cold, _) = try load(store, cache)
        let file = cacheFile(cache)
        let good = Array(FileManager.default.contents(atPath: file)!)

        func check(_ bytes: [UInt8], _ expected: RebuildReason, line: UInt = #line) throws {
            XCTAssertTrue(FileManager.default.createFile(atPath: file, contents: Data(bytes)))
            let (t, o) = try load(store, cache)
            XCTAssertEqual(reason(o), expected, line: line)
            assertSameTable(t, cold, expected.description)
            XCTAssertEqual(try load(store, cache).1, .hit, line: line)  // and rewritten
        }
        try check(Array(good[0 ..< good.count - 9]), .truncated)
        try check(Array(good[0 ..< 20]), .truncated)
        var flipped = good
        flipped[good.count / 2] ^= 0x40
        try check(flipped, .checksumMismatch)
        var version = good
        version[16] &+= 1
        try check(version, .otherFormatVersion)
        var magic = good
        magic[0] = UInt8(ascii: "X")
        try check(magic, .notACacheFile)
    }

    func testAppendReadsOnlyNewBytesAndMatchesAColdRead() throws {
        let (s, store, cache) = makeStore()
        _ = try load(store, cache)
        // New lines: a duplicate, a malformed line, a blank line, an event that links anonymous a1 to u3
        // *earlier* than anything else (re-stitching), and a consent change.
        let added = [
            eventLine(id: "m2", user: "u1", event: "dup"),
            "[1]",
            "",
            eventLine(id: "m10", user: "u3", anon: "a1", time: "2023-12-31T00:00:00Z"),
            eventLine(id: "m11", user: "u1", time: "2024-01-03T00:00:00Z",
                      extra: #""context":{"consent":{"categoryPreferences":{"Analytics":false}}}"#),
        ].joined(separator: "\n") + "\n"
        append(s.path("store/c.jsonl"), added)
        let (t, o) = try load(store, cache)
        XCTAssertEqual(o, .appended(bytesRead: Int64(added.utf8.count)))
        let cold = try StoreReader(paths: [store]).load()
        assertSameTable(t, cold, "appended vs cold")
        XCTAssertEqual(t.stats.malformedSamples.map { [Int($0.file), $0.line] }, [[0, 3], [2, 3]])
        XCTAssertEqual(t.stats.files[2].duplicates, 1)
        XCTAssertEqual(t.stats.files[2].events, 3)
        XCTAssertEqual(t.strings[t.personID[0]], "u3")  // a1's earliest pairing is now u3
        // And the appended state is cached again.
        let (again, o2) = try load(store, cache)
        XCTAssertEqual(o2, .hit)
        assertSameTable(again, cold, "hit after append")
    }

    /// List columns (issue #18) survive the cache: a hit and an append give the cold table.
    func testListColumnsHitAndAppendMatchAColdRead() throws {
        let s = TempStore()
        let selection = FieldSelection(paths: ["properties.products[].category", "properties.products[].price", "properties.tags[]"])
        s.write("store/a.jsonl", [
            eventLine(id: "m1", user: "u1", time: "2024-01-02T00:00:00Z", event: "Order Completed",
                      extra: #""properties":{"products":[{"category":"baby","price":3},{"price":2}],"tags":["gift"]}"#),
            eventLine(id: "m2", user: "u2", time: "2024-01-01T00:00:00Z", event: "Order Completed",
                      extra: #""properties":{"products":"none"}"#),
        ].joined(separator: "\n") + "\n")
        let store = s.path("store"), cache = StoreCache(directory: s.path("cache/earshot"))
        func load() throws -> (EventTable, CacheOutcome) { try StoreReader(paths: [store], selection: selection).load(cache: cache) }
        let (cold, _) = try load()
        XCTAssertEqual(cold.arrays["properties.products"]?.elementCount, 2)
        let (warm, o) = try load()
        XCTAssertEqual(o, .hit)
        assertSameTable(warm, cold, "warm vs cold")
        append(s.path("store/a.jsonl"), eventLine(id: "m3", user: "u1", time: "2023-12-31T00:00:00Z", event: "Order Completed",
                                                  extra: #""properties":{"products":[{"category":"sale"}]}"#) + "\n")
        let (t, o2) = try load()
        guard case .appended = o2 else { return XCTFail("\(o2)") }
        assertSameTable(t, try StoreReader(paths: [store], selection: selection).load(), "appended vs cold")
        XCTAssertEqual(t.arrays["properties.products"]?.elementCount, 3)
    }

    func testGrowthOfAFileBeforeTheLastRebuilds() throws {
        let (s, store, cache) = makeStore()
        _ = try load(store, cache)
        append(s.path("store/a.jsonl"), eventLine(id: "m30", user: "u1") + "\n")
        XCTAssertEqual(reason(try load(store, cache).1),
                       .grewNotLast(path: s.path("store/a.jsonl")))
    }

    func testFileListChangeAndUnterminatedLastLineRebuild() throws {
        let (s, store, cache) = makeStore()
        _ = try load(store, cache)
        s.write("store/d.jsonl", eventLine(id: "m20", user: "u1"))  // no final newline
        XCTAssertEqual(reason(try load(store, cache).1), .fileListChanged)
        append(s.path("store/d.jsonl"), "\n")
        XCTAssertEqual(reason(try load(store, cache).1),
                       .grewAfterUnterminatedLine(path: s.path("store/d.jsonl")))
    }

    func testCacheInsideTheStoreIsNeverUsed() throws {
        let (s, store, _) = makeStore()
        let inside = StoreCache(directory: store + "/.cache")
        XCTAssertEqual(try load(store, inside).1, .unused)
        XCTAssertFalse(FileManager.default.fileExists(atPath: store + "/.cache"))
        _ = s
    }
}
