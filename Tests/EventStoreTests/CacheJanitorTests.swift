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
}
