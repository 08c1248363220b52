import XCTest
import EarshotTestSupport
import Foundation
@testable import EventStore

/// Follow mode: appended bytes, partial lines, new files, truncation, rotation, gzip, vanishing stores.
final class StoreFollowerTests: XCTestCase {
    func line(_ id: String, _ event: String = "e", time: String = "2024-01-01T00:00:00Z") -> String {
        eventLine(id: id, user: "u-\(id)", time: time, event: event) + "\n"
    }

    func append(_ path: String, _ text: String) {
        let h = FileHandle(forWritingAtPath: path)!
        h.seekToEndOfFile()
        h.write(Data(text.utf8))
        h.closeFile()
    }

    func names(_ t: EventTable) -> [String] { t.name.map { t.strings[$0] }.sorted() }

    func testFirstPollReadsLikeTheReaderThenOnlyAppendedBytes() throws {
        let s = TempStore()
        let a = s.write("store/a.jsonl", line("a1", "one") + line("a2", "two") + "{bad\n")
        s.write("store/b.jsonl", line("b1", "three"))
        let f = StoreFollower(paths: [s.path("store")])
        let first = try f.poll()
        XCTAssertEqual(first.newEvents, 3)
        XCTAssertEqual(first.newLines, 4)
        XCTAssertEqual(first.newFiles, [])  // the first poll reads, it does not "discover"
        let reader = try StoreReader(paths: [s.path("store")]).load()
        let t = f.table()
        XCTAssertEqual(names(t), names(reader))
        XCTAssertEqual(t.stats.files.map(\.path), reader.stats.files.map(\.path))
        XCTAssertEqual(t.stats.malformed, 1)
        XCTAssertEqual(t.stats.malformedSamples.first?.line, 3)

        // Nothing new: nothing read.
        let idle = try f.poll()
        XCTAssertEqual(idle.bytesRead, 0)
        XCTAssertFalse(idle.changed)

        append(a, line("a3", "four"))
        let next = try f.poll()
        XCTAssertEqual(next.newEvents, 1)
        XCTAssertEqual(next.bytesRead, Int64(line("a3", "four").utf8.count))
        XCTAssertEqual(names(f.table()), ["four", "one", "three", "two"])
        XCTAssertEqual(f.stats.files[0].lines, 4)
        XCTAssertEqual(f.stats.files[0].events, 3)
    }

    /// Follow mode reads selected lists (issue #18) like the reader, first poll and appended lines alike.
    func testListsAreFollowedLikeTheReaderReadsThem() throws {
        let s = TempStore()
        let selection = FieldSelection(paths: ["properties.products[].category", "properties.products[].price"])
        let order = { (id: String, products: String) in
            eventLine(id: id, user: "u-\(id)", time: "2024-01-01T00:00:00Z", event: "Order Completed",
                      extra: #""properties":{"products":\#(products)}"#) + "\n"
        }
        let a = s.write("store/a.jsonl", order("o1", #"[{"category":"baby","price":3},{"price":2}]"#) + order("o2", "[]"))
        let f = StoreFollower(paths: [s.path("store")], selection: selection)
        _ = try f.poll()
        append(a, order("o3", #"[{"category":"gifts"}]"#) + order("o4", #""none""#))
        _ = try f.poll()
        let followed = f.table()
        let read = try StoreReader(paths: [s.path("store")], selection: selection).load()
        XCTAssertEqual(followed.arrays, read.arrays)
        XCTAssertEqual(followed.arrays["properties.products"]?.elementCount, 3)
        XCTAssertEqual(followed.arrays["properties.products"]?.values["properties.products[].category"]?
            .compactMap { followed.string($0) }.sorted(), ["baby", "gifts"])
    }

    func testAnIncompleteLineWaitsForItsNewline() throws {
        let s = TempStore()
        let a = s.write("a.jsonl", line("1"))
        let f = StoreFollower(paths: [a])
        try f.poll()
        let full = line("2", "late")
        let cut = full.index(full.startIndex, offsetBy: 25)
        append(a, String(full[..<cut]))
        let partial = try f.poll()
        XCTAssertEqual(partial.newLines, 0)
        XCTAssertEqual(f.eventCount, 1)
        XCTAssertEqual(f.stats.malformed, 0)  // not a malformed line: just not finished yet
        append(a, String(full[cut...]))
        let done = try f.poll()
        XCTAssertEqual(done.newEvents, 1)
        XCTAssertEqual(f.stats.malformed, 0)
        XCTAssertEqual(names(f.table()), ["e", "late"])
    }

    func testNewFilesInADirectoryAreRead() throws {
        let s = TempStore()
        s.write("store/2024-01.jsonl", line("1"))
        let f = StoreFollower(paths: [s.path("store")])
        try f.poll()
        s.write("store/2024-02.jsonl", line("2", "feb"))
        s.write("store/notes.txt", "not an event file\n")
        let p = try f.poll()
        XCTAssertEqual(p.newFiles, [s.path("store/2024-02.jsonl")])
        XCTAssertEqual(p.newEvents, 1)
        XCTAssertEqual(f.stats.files.count, 2)
    }

    func testTruncatedFileIsReadAgainFromTheStart() throws {
        let s = TempStore()
        let a = s.write("a.jsonl", line("1") + line("2") + line("3"))
        let f = StoreFollower(paths: [a])
        try f.poll()
        XCTAssertEqual(f.eventCount, 3)
        // copytruncate: the file is emptied, then the writer goes on.
        let h = FileHandle(forWritingAtPath: a)!
        h.truncateFile(atOffset: 0)
        h.closeFile()
        append(a, line("4", "after"))
        let p = try f.poll()
        XCTAssertEqual(p.truncated, [a])
        XCTAssertEqual(p.newEvents, 1)
        XCTAssertEqual(f.eventCount, 4)  // what was read before stays
        XCTAssertEqual(f.stats.warnings, ["\(a): the file was truncated; read again from the start"])
        // Line numbers start over for the new content.
        append(a, "{broken\n")
        try f.poll()
        XCTAssertEqual(f.stats.malformedSamples.last?.line, 2)
    }

    func testRotationFinishesTheOldFileAndReadsTheNewOne() throws {
        let s = TempStore()
        let a = s.write("store/events.jsonl", line("1"))
        let f = StoreFollower(paths: [s.path("store")])
        try f.poll()
        // The writer adds a line and a half, then the file is rotated away and re-created.
        append(a, line("2") + #"{"type":"track","messageId":"3","userId":"u","timestamp":"2024-01-01T00:00:00Z","event":"tail"}"#)
        // Rotated out of the store (a rotated file left inside it whose content is JSON lines is itself part of the store).
        try FileManager.default.moveItem(atPath: a, toPath: s.path("events.log.1"))
        s.write("store/events.jsonl", line("5", "fresh"))
        let p = try f.poll()
        XCTAssertEqual(p.rotated, [a])
        XCTAssertEqual(p.newEvents, 3)  // "2", the now-complete tail "3" of the old file, "5" of the new
        XCTAssertEqual(names(f.table()), ["e", "e", "fresh", "tail"])
        XCTAssertEqual(f.stats.files.map(\.path), [a, a])
        XCTAssertEqual(f.stats.files.map(\.events), [3, 1])
    }

    func testRotationToAnotherMatchingNameIsNotReadTwice() throws {
        let s = TempStore()
        let a = s.write("store/events.jsonl", line("1") + line("2"))
        let f = StoreFollower(paths: [s.path("store")])
        try f.poll()
        try FileManager.default.moveItem(atPath: a, toPath: s.path("store/events-old.jsonl"))
        s.write("store/events.jsonl", line("3"))
        let p = try f.poll()
        XCTAssertEqual(p.newEvents, 1)
        XCTAssertEqual(p.newFiles, [a])
        XCTAssertEqual(f.eventCount, 3)
        XCTAssertEqual(f.stats.duplicates, 0)
    }

    func testDeletedFileIsFinished() throws {
        let s = TempStore()
        s.write("store/a.jsonl", line("1"))
        let b = s.write("store/b.jsonl", line("2"))
        let f = StoreFollower(paths: [s.path("store")])
        try f.poll()
        try FileManager.default.removeItem(atPath: b)
        let p = try f.poll()
        XCTAssertEqual(p.finished, [b])
        XCTAssertEqual(f.eventCount, 2)
    }

    func testGrowingGzipFile() throws {
        let s = TempStore()
        let gz = s.write("a.jsonl.gz", gzipMember(line("1") + line("2")))
        let f = StoreFollower(paths: [gz])
        try f.poll()
        XCTAssertEqual(f.eventCount, 2)
        XCTAssertEqual(f.stats.files.first?.compressed, true)
        let h = FileHandle(forWritingAtPath: gz)!
        h.seekToEndOfFile()
        h.write(Data(gzipMember(line("3", "more"))))
        h.closeFile()
        let p = try f.poll()
        XCTAssertEqual(p.newEvents, 1)
        XCTAssertEqual(names(f.table()), ["e", "e", "more"])
        XCTAssertEqual(f.stats.warnings, [])
    }

    func testDuplicatesAcrossPollsAreDropped() throws {
        let s = TempStore()
        let a = s.write("a.jsonl", line("1"))
        let f = StoreFollower(paths: [a])
        try f.poll()
        append(a, line("1"))
        let p = try f.poll()
        XCTAssertEqual(p.newEvents, 0)
        XCTAssertEqual(p.newLines, 1)
        XCTAssertEqual(f.stats.duplicates, 1)
    }

    func testVanishedStoreThrowsAndKeepsTheData() throws {
        let s = TempStore()
        s.write("store/a.jsonl", line("1"))
        let f = StoreFollower(paths: [s.path("store")])
        try f.poll()
        try FileManager.default.removeItem(atPath: s.path("store"))
        XCTAssertThrowsError(try f.poll()) { error in
            XCTAssertEqual(error as? StoreError, .notFound(path: s.path("store")))
        }
        XCTAssertEqual(f.eventCount, 1)
        XCTAssertEqual(f.table().count, 1)
        // It comes back.
        s.write("store/a.jsonl", line("1") + line("2"))
        let p = try f.poll()
        XCTAssertEqual(p.newEvents, 1)  // "1" again is a duplicate by messageId
        XCTAssertEqual(f.stats.duplicates, 1)
    }

    func testSnapshotsDoNotDisturbTheFollower() throws {
        let s = TempStore()
        let a = s.write("a.jsonl", line("1", time: "2024-01-02T00:00:00Z") + line("2", time: "2024-01-01T00:00:00Z"))
        let f = StoreFollower(paths: [a])
        try f.poll()
        let t1 = f.table()
        append(a, line("3", time: "2024-01-03T00:00:00Z"))
        try f.poll()
        let t2 = f.table()
        XCTAssertEqual(t1.count, 2)
        XCTAssertEqual(t2.count, 3)
        XCTAssertEqual(t2.lastEventTime, 1_704_240_000_000)
        XCTAssertEqual(f.newestEventTime, 1_704_240_000_000)
        XCTAssertEqual(t2.personCount, 3)
    }

    func testProgressIsReported() throws {
        let s = TempStore()
        let a = s.write("a.jsonl", line("1") + line("2"))
        let f = StoreFollower(paths: [a])
        var last: ReadProgress?
        try f.poll { last = $0 }
        XCTAssertEqual(last?.events, 2)
        XCTAssertEqual(last?.bytesRead, Int64((line("1") + line("2")).utf8.count))
        XCTAssertEqual(last?.fraction, 1)
    }

    /// Follow mode reads vendor shapes (batch envelopes, PostHog events, zone-less times with the option)
    /// exactly as the reader does, also when they arrive in pieces.
    func testVendorShapesFollowLikeTheReader() throws {
        let fixtures = VendorShapeTests.fixtures
        func text(_ name: String) -> String { try! String(contentsOfFile: fixtures + "/" + name, encoding: .utf8) }
        let all = [text("segment/analytics-go-batches.jsonl"), text("posthog/capture-shapes.jsonl"),
                   text("rudderstack/appsflyer-zoneless.jsonl")].joined()
        let s = TempStore()
        let half = all.utf8.count / 2
        let a = s.write("store/mixed.jsonl", Array(all.utf8.prefix(half)))
        let options = ReaderOptions(assumeUTC: true)
        let f = StoreFollower(paths: [s.path("store")], options: options)
        try f.poll()
        append(a, String(decoding: Array(all.utf8.dropFirst(half)), as: UTF8.self))
        try f.poll()
        let reader = try StoreReader(paths: [s.path("store")], options: options).load()
        let followed = f.table()
        XCTAssertEqual(followed.stats.envelopes, reader.stats.envelopes)
        XCTAssertEqual(followed.stats.envelopeItems, reader.stats.envelopeItems)
        XCTAssertEqual(followed.stats.malformedKinds, reader.stats.malformedKinds)
        XCTAssertEqual(reader.stats.envelopes, 15)
        var r = reader
        r.stats = followed.stats
        assertSameTable(followed, r, "follower vs reader")
    }
}
