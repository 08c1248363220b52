import XCTest
import EarshotTestSupport
import Foundation
@testable import EventStore

/// The cached result next to the table cache (`StoreReader.open(cache:resultKey:needsTable:)`).
final class StoreResultCacheTests: XCTestCase {
    private func makeStore() -> (s: TempStore, store: String, cache: StoreCache) {
        let s = TempStore()
        s.write("store/a.jsonl", [
            eventLine(id: "m1", anon: "a1", time: "2024-01-01T00:00:00Z", event: "Viewed"),
            eventLine(id: "m2", user: "u1", time: "2024-01-02T00:00:00Z"),
        ].joined(separator: "\n") + "\n")
        s.write("store/b.jsonl.gz", gzipMember(eventLine(id: "m3", user: "u2", event: "Order Completed") + "\n"))
        s.write("store/c.jsonl", eventLine(id: "m4", user: "u1", time: "2024-01-03T00:00:00Z") + "\n")
        return (s, s.path("store"), StoreCache(directory: s.path("cache/earshot")))
    }

    private func open(_ store: String, _ cache: StoreCache?, key: String = "k1", needsTable: Bool = false) throws -> StoreOpening {
        try StoreReader(paths: [store]).open(cache: cache, resultKey: key, needsTable: needsTable)
    }

    /// Opens, and saves `result` when nothing valid was cached; returns what was cached.
    @discardableResult
    private func run(_ store: String, _ cache: StoreCache?, key: String = "k1", result: [UInt8],
                     needsTable: Bool = false) throws -> StoreOpening {
        let o = try open(store, cache, key: key, needsTable: needsTable)
        if o.cachedResult == nil { o.resultSlot?.save(result) }
        return o
    }

    private func resultFiles(_ cache: StoreCache) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: cache.directory)) ?? [])
            .filter { $0.hasSuffix(".result") }.map { cache.directory + "/" + $0 }
    }

    private func append(_ path: String, _ text: String) {
        let h = FileHandle(forWritingAtPath: path)!
        h.seekToEndOfFile()
        h.write(Data(text.utf8))
        h.closeFile()
    }

    func testSecondOpenReturnsTheSavedResultWithoutTheTable() throws {
        let (s, store, cache) = makeStore()
        _ = s
        let first = try run(store, cache, result: [1, 2, 3])
        XCTAssertNil(first.cachedResult)
        XCTAssertEqual(first.table?.count, 4)
        XCTAssertEqual(first.cache, .rebuilt(reason: .noCacheYet))
        let second = try open(store, cache)
        XCTAssertEqual(second.cachedResult, [1, 2, 3])
        XCTAssertNil(second.table, "the table is not decoded when the result is valid")
        XCTAssertEqual(second.cache, .hit)
        // Asked for the table too: both, the table from the table cache.
        let both = try open(store, cache, needsTable: true)
        XCTAssertEqual(both.cachedResult, [1, 2, 3])
        XCTAssertEqual(both.table?.count, 4)
        XCTAssertEqual(both.cache, .hit)
        let attrs = try FileManager.default.attributesOfItem(atPath: resultFiles(cache)[0])
        XCTAssertEqual((attrs[.posixPermissions] as? NSNumber)?.intValue, 0o600)
    }

    func testAnotherKeyIsAnotherResult() throws {
        let (s, store, cache) = makeStore()
        _ = s
        try run(store, cache, key: "rules A", result: [1])
        let other = try run(store, cache, key: "rules B", result: [2])
        XCTAssertNil(other.cachedResult)
        XCTAssertEqual(other.cache, .hit, "the table cache is shared by both keys")
        XCTAssertEqual(try open(store, cache, key: "rules A").cachedResult, [1])
        XCTAssertEqual(try open(store, cache, key: "rules B").cachedResult, [2])
        XCTAssertEqual(resultFiles(cache).count, 2)
    }

    func testAppendedBytesInvalidateTheResult() throws {
        let (s, store, cache) = makeStore()
        try run(store, cache, result: [1])
        append(s.path("store/c.jsonl"), eventLine(id: "m5", user: "u3", time: "2024-01-04T00:00:00Z") + "\n")
        let grown = try run(store, cache, result: [2])
        XCTAssertNil(grown.cachedResult, "a grown store never gets the old result")
        XCTAssertEqual(grown.table?.count, 5)
        guard case .appended = grown.cache else { return XCTFail("\(grown.cache)") }
        XCTAssertEqual(try open(store, cache).cachedResult, [2])
    }

    func testModifiedReplacedOrRemovedFilesInvalidateTheResult() throws {
        let (s, store, cache) = makeStore()
        try run(store, cache, result: [1])
        // Same size, other mtime.
        let a = s.path("store/a.jsonl")
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_000_000)], ofItemAtPath: a)
        XCTAssertNil(try run(store, cache, result: [2]).cachedResult)
        XCTAssertEqual(try open(store, cache).cachedResult, [2])
        // Replaced by another file (new inode).
        let text = try String(contentsOfFile: a, encoding: .utf8)
        try FileManager.default.removeItem(atPath: a)
        s.write("store/a.jsonl", text)
        XCTAssertNil(try run(store, cache, result: [3]).cachedResult)
        XCTAssertEqual(try open(store, cache).cachedResult, [3])
        // A file removed.
        try FileManager.default.removeItem(atPath: s.path("store/c.jsonl"))
        let fewer = try run(store, cache, result: [4])
        XCTAssertNil(fewer.cachedResult)
        XCTAssertEqual(fewer.table?.count, 3)
    }

    func testTruncatedCorruptedAndForeignResultFilesAreIgnoredAndRewritten() throws {
        let (s, store, cache) = makeStore()
        _ = s
        try run(store, cache, result: [7, 7, 7])
        let file = resultFiles(cache)[0]
        let good = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
        func check(_ bytes: [UInt8], line: UInt = #line) throws {
            try Data(bytes).write(to: URL(fileURLWithPath: file))
            let o = try run(store, cache, result: [8], needsTable: false)
            XCTAssertNil(o.cachedResult, line: line)
            XCTAssertEqual(o.table?.count, 4, line: line)
            XCTAssertEqual(try open(store, cache).cachedResult, [8], "rewritten", line: line)
        }
        try check(Array(good[0 ..< good.count - 1]))
        try check(Array(good[0 ..< 10]))
        var flipped = good; flipped[flipped.count - 2] ^= 0x01
        try check(flipped)
        var version = good; version[16] &+= 1
        try check(version)
        var magic = good; magic[0] = UInt8(ascii: "X")
        try check(magic)
        // A table cache file in place of the result file is not a result.
        let table = try FileManager.default.contentsOfDirectory(atPath: cache.directory).first { $0.hasSuffix(".table") }!
        try check([UInt8](try Data(contentsOf: URL(fileURLWithPath: cache.directory + "/" + table))))
    }

    func testWithoutACacheNothingIsReadOrWritten() throws {
        let (s, store, cache) = makeStore()
        _ = s
        try run(store, cache, result: [1])
        let o = try open(store, nil)
        XCTAssertNil(o.cachedResult)
        XCTAssertNil(o.resultSlot)
        XCTAssertEqual(o.cache, .unused)
        XCTAssertEqual(o.table?.count, 4)
        let empty = StoreCache(directory: s.path("other-cache"))
        _ = try StoreReader(paths: [store]).open(cache: nil, resultKey: "k1", needsTable: false)
        XCTAssertFalse(FileManager.default.fileExists(atPath: empty.directory))
    }
}
