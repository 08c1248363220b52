import XCTest
import Foundation
@testable import EventStore

/// The cache clean-up: entries unused for 30 days go, recent ones and foreign files stay.
final class CacheJanitorTests: XCTestCase {
    var dir = ""

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("earshot-janitor-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    func write(_ name: String, bytes: Int = 10, daysOld: Int, now: Int64) throws {
        let path = dir + "/" + name
        try Data(repeating: 7, count: bytes).write(to: URL(fileURLWithPath: path))
        let t = Date(timeIntervalSince1970: TimeInterval(now - Int64(daysOld) * 86_400))
        try FileManager.default.setAttributes([.modificationDate: t], ofItemAtPath: path)
    }

    func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: dir + "/" + name) }

    func testSweepRemovesOnlyOldCacheEntries() throws {
        let now: Int64 = 1_800_000_000
        try write("aaaa.table", bytes: 100, daysOld: 31, now: now)
        try write("bbbb.result", bytes: 20, daysOld: 45, now: now)
        try write("cccc.table", bytes: 30, daysOld: 29, now: now)
        try write("dddd.result.tmp123", bytes: 5, daysOld: 40, now: now)
        try write("notes.txt", daysOld: 400, now: now)        // not ours: never touched
        try write(".key", daysOld: 400, now: now)             // hidden: never touched
        try FileManager.default.createSymbolicLink(atPath: dir + "/eeee.table", withDestinationPath: dir + "/notes.txt")
        let outcome = CacheJanitor.sweep(directory: dir, nowSeconds: now)
        XCTAssertEqual(outcome.removedFiles, 3)
        XCTAssertEqual(outcome.removedBytes, 125)
        XCTAssertEqual(outcome.keptFiles, 1)
        XCTAssertFalse(exists("aaaa.table"))
        XCTAssertFalse(exists("bbbb.result"))
        XCTAssertFalse(exists("dddd.result.tmp123"))
        XCTAssertTrue(exists("cccc.table"))
        XCTAssertTrue(exists("notes.txt"))
        XCTAssertTrue(exists(".key"))
        XCTAssertNotNil(try? FileManager.default.destinationOfSymbolicLink(atPath: dir + "/eeee.table"), "a link is not an entry")
    }

    func testMarkUsedKeepsAnEntryAliveAndClearRemovesAll() throws {
        let now = Int64(Date().timeIntervalSince1970)
        try write("aaaa.table", daysOld: 60, now: now)
        try write("bbbb.result", daysOld: 1, now: now)
        _ = utimes(dir + "/aaaa.table", nil)   // what a cache hit does (futimens in CacheFile.readFramed)
        XCTAssertEqual(CacheJanitor.sweep(directory: dir, nowSeconds: now).removedFiles, 0)
        let cleared = CacheJanitor.sweep(directory: dir, nowSeconds: now, all: true)
        XCTAssertEqual(cleared.removedFiles, 2)
        XCTAssertFalse(exists("aaaa.table"))
        XCTAssertFalse(exists("bbbb.result"))
    }

    func testMissingDirectoryIsEmpty() {
        XCTAssertEqual(CacheJanitor.sweep(directory: dir + "/nope", nowSeconds: 0, all: true), CacheJanitor.Outcome())
    }

    // MARK: One opened directory per command (#14 review: opened and trusted once, swept by descriptor)

    func testTheCommandSweepGoesThroughTheOpenedDirectoryOnce() throws {
        chmod(dir, 0o700)
        guard case .success(let cache) = StoreCache.opening(dir) else { return XCTFail("trusted directory refused") }
        let now: Int64 = 1_800_000_000
        try write("aaaa.table", bytes: 100, daysOld: 31, now: now)
        // The path now names another directory: the sweep must still clean the one that was opened and checked.
        let moved = dir + "-moved"
        XCTAssertEqual(rename(dir, moved), 0)
        defer { try? FileManager.default.removeItem(atPath: moved) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false)
        let decoy = dir + "/bbbb.table"
        try Data([1]).write(to: URL(fileURLWithPath: decoy))
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 0)], ofItemAtPath: decoy)
        XCTAssertEqual(CacheJanitor.sweep(cache, nowSeconds: now).removedFiles, 1)
        XCTAssertFalse(FileManager.default.fileExists(atPath: moved + "/aaaa.table"), "the opened directory was swept")
        XCTAssertTrue(FileManager.default.fileExists(atPath: decoy), "the directory now at the path was not touched")
        // Once per opened directory: a second load of the same command does not sweep again.
        try Data([1]).write(to: URL(fileURLWithPath: moved + "/cccc.table"))
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 0)], ofItemAtPath: moved + "/cccc.table")
        XCTAssertEqual(CacheJanitor.sweep(cache, nowSeconds: now).removedFiles, 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: moved + "/cccc.table"))
    }

    func testACacheOpenedOnceReadsAndWritesThroughItsDescriptor() throws {
        let store = dir + "/store"
        try FileManager.default.createDirectory(atPath: store, withIntermediateDirectories: false)
        try Data(#"{"type":"track","event":"Seen","userId":"u1","messageId":"m1","timestamp":"2024-01-01T00:00:00Z"}"#.utf8 + [10])
            .write(to: URL(fileURLWithPath: store + "/a.jsonl"))
        let cacheDir = dir + "/cache"
        guard case .success(let cache) = StoreCache.opening(cacheDir) else { return XCTFail("refused") }
        // After the check, the path is swapped for a link to a directory of someone else's choosing.
        let elsewhere = dir + "/elsewhere"
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: false)
        XCTAssertEqual(rename(cacheDir, dir + "/cache-moved"), 0)
        XCTAssertEqual(symlink(elsewhere, cacheDir), 0)
        let first = try StoreReader(paths: [store]).load(cache: cache)
        XCTAssertEqual(first.cache, .rebuilt(reason: .noCacheYet))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: elsewhere), [], "nothing written through the link")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir + "/cache-moved").filter { $0.hasSuffix(".table") }.count, 1)
        XCTAssertEqual(try StoreReader(paths: [store]).load(cache: cache).cache, .hit)
    }
}
