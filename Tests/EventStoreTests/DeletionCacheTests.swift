import XCTest
import EarshotTestSupport
@testable import EventStore

/// A deletion request must apply however the table was read: in full, from the cache, or from appended bytes.
final class DeletionCacheTests: XCTestCase {
    func testDeletionAppliesThroughTheCacheAndToAppendedBytes() throws {
        let s = TempStore()
        let cacheDir = TempStore()
        let before = [
            #"{"type":"identify","messageId":"i1","timestamp":"2024-01-01T00:00:00Z","userId":"u1","traits":{"plan":"pro"}}"#,
            #"{"type":"track","messageId":"t1","timestamp":"2024-01-01T00:01:00Z","userId":"u1","event":"e"}"#,
            #"{"type":"track","messageId":"t2","timestamp":"2024-01-01T00:02:00Z","userId":"u2","event":"e"}"#,
        ]
        let file = s.write("a.jsonl", before.joined(separator: "\n") + "\n")
        let cache = StoreCache(directory: cacheDir.path("cache"))
        let reader = StoreReader(paths: [s.root], selection: .metrics)
        let first = try reader.load(cache: cache)
        XCTAssertEqual(first.table.personCount, 2)
        XCTAssertEqual(first.table.stats.deletedPersons, 0)

        // The deletion arrives in appended bytes: only they are read, and u1 is gone.
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: file))
        handle.seekToEndOfFile()
        handle.write(Data((#"{"type":"delete","messageId":"d1","timestamp":"2024-01-02T00:00:00Z","userId":"u1"}"# + "\n").utf8))
        handle.closeFile()
        let second = try reader.load(cache: cache)
        guard case .appended = second.cache else { return XCTFail("expected an append, got \(second.cache)") }
        XCTAssertEqual(second.table.personCount, 1)
        XCTAssertEqual(second.table.strings[second.table.personID[0]], "u2")
        XCTAssertEqual(second.table.count, 1)
        XCTAssertTrue(second.table.traitKey.isEmpty)
        XCTAssertEqual(second.table.stats.deletedPersons, 1)
        XCTAssertEqual(second.table.stats.deletedEvents, 3)

        // Unchanged store: a cache hit, still without u1.
        let third = try reader.load(cache: cache)
        XCTAssertEqual(third.cache, .hit)
        XCTAssertEqual(third.table.personCount, 1)
        XCTAssertEqual(third.table.stats.deletedPersons, 1)
        // Without the cache: the same.
        let plain = try reader.load()
        XCTAssertEqual(plain.personCount, 1)
        XCTAssertEqual(plain.stats.deletedEvents, 3)
    }

    func testDeleteIsAKindAndDeletionWithoutTimeIsAccepted() {
        let parser = EventLineParser()
        guard case .success(let e) = parser.parse(#"{"type":"delete","userId":"u1"}"#) else { return XCTFail() }
        XCTAssertEqual(e.kind, .delete)
        XCTAssertEqual(e.time, .max)
        XCTAssertEqual(EventKind(typeField: "delete"), .delete)
        // Other kinds still need a time.
        guard case .failure = parser.parse(#"{"type":"track","userId":"u1","event":"e"}"#) else { return XCTFail() }
        guard case .success(let c) = parser.parse(#"{"type":"track","userId":"u1","timestamp":"2024-01-01T00:00:00Z","context":{"consent":{"categoryPreferences":{}}}}"#) else { return XCTFail() }
        XCTAssertTrue(c.consentCleared)
        guard case .success(let d) = parser.parse(#"{"type":"track","userId":"u1","timestamp":"2024-01-01T00:00:00Z","context":{"consent":{"categoryPreferences":{"A":true}}}}"#) else { return XCTFail() }
        XCTAssertFalse(d.consentCleared)
        // A repeated key: the last one wins, also for emptiness.
        guard case .success(let r) = parser.parse(#"{"type":"track","userId":"u1","timestamp":"2024-01-01T00:00:00Z","context":{"consent":{"categoryPreferences":{},"categoryPreferences":null}}}"#) else { return XCTFail() }
        XCTAssertFalse(r.consentCleared)
        guard case .success(let r2) = parser.parse(#"{"type":"track","userId":"u1","timestamp":"2024-01-01T00:00:00Z","context":{"consent":{"categoryPreferences":{"A":true},"categoryPreferences":{}}}}"#) else { return XCTFail() }
        XCTAssertTrue(r2.consentCleared)
        XCTAssertTrue(r2.consent.isEmpty)
    }
}
