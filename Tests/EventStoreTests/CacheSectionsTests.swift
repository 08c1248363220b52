import XCTest
import EarshotTestSupport
import Foundation
@testable import EventStore

/// The sectioned table cache (format 9, issue #14): a checked table of contents, 8-byte-aligned sections with their
/// own tags. Hostile files — lying offsets and lengths, overlapping, unaligned or out-of-file sections, implausible
/// counts, truncation, a corrupted section — are a cache miss (and the full read gives the same table), never a
/// crash. Most hostile files here are signed again with the directory's key, so that what rejects them is the check
/// of the layout itself, not the tag.
final class CacheSectionsTests: XCTestCase {
    private func makeStore(rows: Int = 1200) -> (s: TempStore, store: String, cache: StoreCache) {
        let s = TempStore()
        s.write("store/a.jsonl", (0 ..< rows).map {
            eventLine(id: "m\($0)", user: "user\($0 % 97)", time: "2024-01-0\($0 % 9 + 1)T00:00:00Z", event: "E\($0 % 13)",
                      extra: #""properties":{"total":\#($0)}"#)
        }.joined(separator: "\n") + "\n")
        return (s, s.path("store"), StoreCache(directory: s.path("cache/earshot")))
    }

    private func reader(_ store: String) -> StoreReader {
        StoreReader(paths: [store], selection: FieldSelection(paths: ["properties.total"]))
    }

    private func tableFile(_ cache: StoreCache) -> String {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: cache.directory)) ?? []
        return cache.directory + "/" + names.first { $0.hasSuffix(".table") }!
    }

    private func key(_ cache: StoreCache) throws -> (UInt64, UInt64) {
        guard case .success(let dir) = CacheDirectory.openTrusted(cache.directory) else { throw XCTSkip("no directory") }
        return dir.key
    }

    private struct Entry: Equatable { var offset: Int; var length: Int; var tag: UInt64 }

    private func int(_ b: [UInt8], _ at: Int) -> Int {
        b.withUnsafeBytes { Int(Int64(littleEndian: $0.loadUnaligned(fromByteOffset: at, as: Int64.self))) }
    }

    private func put(_ b: inout [UInt8], _ at: Int, _ v: Int64) {
        withUnsafeBytes(of: v.littleEndian) { b.replaceSubrange(at ..< at + 8, with: $0) }
    }

    private func entries(_ b: [UInt8]) -> [Entry] {
        let n = max(0, min(int(b, CacheFile.headerBytes), (b.count - CacheFile.headerBytes - 8) / CacheFile.sectionEntryBytes))
        return (0 ..< n).map { i in
            let at = CacheFile.headerBytes + 8 + i * CacheFile.sectionEntryBytes
            return Entry(offset: int(b, at), length: int(b, at + 8), tag: UInt64(bitPattern: Int64(int(b, at + 16))))
        }
    }

    private func setEntry(_ b: inout [UInt8], _ i: Int, _ e: Entry) {
        let at = CacheFile.headerBytes + 8 + i * CacheFile.sectionEntryBytes
        put(&b, at, Int64(e.offset)); put(&b, at + 8, Int64(e.length)); put(&b, at + 16, Int64(bitPattern: e.tag))
    }

    private func sip(_ key: (UInt64, UInt64), _ bytes: ArraySlice<UInt8>) -> UInt64 {
        var m = SipHash24(key: key)
        Array(bytes).withUnsafeBytes { m.update($0) }
        return m.finalize()
    }

    /// Signs the file again as earshot would: header length, then the header's tag over header, contents and
    /// section 0 as the (possibly lying) contents describe them.
    private func resign(_ b: inout [UInt8], _ key: (UInt64, UInt64)) {
        put(&b, 24, Int64(b.count - CacheFile.headerBytes))
        let n = max(0, min(int(b, CacheFile.headerBytes), (b.count - CacheFile.headerBytes - 8) / CacheFile.sectionEntryBytes))
        let contentsEnd = CacheFile.headerBytes + 8 + n * CacheFile.sectionEntryBytes
        var m = SipHash24(key: key)
        Array(b[0 ..< CacheFile.headerBytes - 8]).withUnsafeBytes { m.update($0) }
        Array(b[CacheFile.headerBytes ..< contentsEnd]).withUnsafeBytes { m.update($0) }
        if n > 0, let meta = entries(b).first, meta.offset >= 0, meta.length >= 0, meta.offset + meta.length <= b.count {
            Array(b[meta.offset ..< meta.offset + meta.length]).withUnsafeBytes { m.update($0) }
        }
        put(&b, 32, Int64(bitPattern: m.finalize()))
    }

    /// Loads with the file replaced by `bytes`: the outcome, and the table must equal a full read.
    private func outcome(_ store: String, _ cache: StoreCache, _ bytes: [UInt8], cold: EventTable,
                         file: StaticString = #filePath, line: UInt = #line) throws -> CacheOutcome {
        let path = tableFile(cache)
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(bytes), attributes: [.posixPermissions: 0o600]))
        let r = try reader(store).load(cache: cache)
        XCTAssertEqual(r.table.time, cold.time, file: file, line: line)
        XCTAssertEqual(r.table.name, cold.name, file: file, line: line)
        XCTAssertEqual(r.table.properties, cold.properties, file: file, line: line)
        XCTAssertEqual(r.table.strings.strings, cold.strings.strings, file: file, line: line)
        return r.cache
    }

    func testTheLayoutIsAlignedCheckedAndReadBackExactly() throws {
        let (s, store, cache) = makeStore()
        _ = s
        let cold = try reader(store).load()
        _ = try reader(store).load(cache: cache)
        let bytes = Array(FileManager.default.contents(atPath: tableFile(cache))!)
        let toc = entries(bytes)
        XCTAssertGreaterThan(toc.count, 5, "the large columns have sections of their own")
        var end = CacheFile.headerBytes + 8 + toc.count * CacheFile.sectionEntryBytes
        let key = try key(cache)
        for e in toc {
            XCTAssertEqual(e.offset % 8, 0, "aligned")
            XCTAssertGreaterThanOrEqual(e.offset, end, "in order, no overlap")
            XCTAssertEqual(sip(key, bytes[e.offset ..< e.offset + e.length]), e.tag, "each section carries its own tag")
            end = e.offset + e.length
        }
        XCTAssertEqual(end, bytes.count)
        XCTAssertTrue(toc.dropFirst().contains { $0.length == cold.count * 8 }, "the time column is one section")
        let hit = try reader(store).load(cache: cache)
        XCTAssertEqual(hit.cache, .hit)
        XCTAssertEqual(hit.table.time, cold.time)
        XCTAssertEqual(hit.table.person, cold.person)
        XCTAssertEqual(hit.table.sequence, cold.sequence)
        XCTAssertEqual(hit.table.properties, cold.properties)
        XCTAssertEqual(hit.table.strings.strings, cold.strings.strings)
        XCTAssertEqual(hit.table.personStart, cold.personStart)
        // An append resumes from the sectioned file exactly like a cold read.
        append(store + "/a.jsonl", eventLine(id: "new", user: "user5", time: "2024-01-09T00:00:00Z", event: "Late") + "\n")
        let appended = try reader(store).load(cache: cache)
        guard case .appended = appended.cache else { return XCTFail("\(appended.cache)") }
        let again = try reader(store).load()
        XCTAssertEqual(appended.table.time, again.time)
        XCTAssertEqual(appended.table.person, again.person)
        XCTAssertEqual(appended.table.strings.strings, again.strings.strings)
    }

    func testLyingContentsSignedWithTheKeyAreStillAMiss() throws {
        let (s, store, cache) = makeStore()
        _ = s
        let cold = try reader(store).load()
        _ = try reader(store).load(cache: cache)
        let original = Array(FileManager.default.contents(atPath: tableFile(cache))!)
        let key = try key(cache)
        let toc = entries(original)
        let big = try XCTUnwrap(toc.indices.dropFirst().max { toc[$0].length < toc[$1].length })
        func lie(_ change: (inout [UInt8]) -> Void) -> [UInt8] {
            var b = original
            change(&b)
            resign(&b, key)
            return b
        }
        var cases: [(String, [UInt8], RebuildReason)] = []
        // A section reaching past the end of the file.
        cases.append(("past the end", lie { b in
            var e = toc[big]; e.length = b.count - e.offset + 8; setEntry(&b, big, e)
        }, .damaged))
        // A section starting inside the previous one (overlap).
        cases.append(("overlapping", lie { b in
            var e = toc[big]; e.offset = toc[big - 1].offset; setEntry(&b, big, e)
        }, .damaged))
        // An unaligned section.
        cases.append(("unaligned", lie { b in
            var e = toc[big]; e.offset += 4; e.length -= 4
            e.tag = sip(key, b[e.offset ..< e.offset + e.length]); setEntry(&b, big, e)
        }, .damaged))
        // A negative offset, and a section inside the table of contents.
        cases.append(("negative", lie { b in var e = toc[big]; e.offset = -8; setEntry(&b, big, e) }, .damaged))
        cases.append(("inside the contents", lie { b in var e = toc[0]; e.offset = CacheFile.headerBytes; setEntry(&b, 0, e) }, .damaged))
        // A section whose length (with its own tag made to match) does not hold the array's count.
        cases.append(("short section", lie { b in
            var e = toc[big]; e.length -= 8; e.tag = sip(key, b[e.offset ..< e.offset + e.length]); setEntry(&b, big, e)
        }, .damaged))
        // Implausible counts: none, more than the file can hold, negative.
        for n in [0, 1 << 40, -1] {
            cases.append(("count \(n)", lie { b in put(&b, CacheFile.headerBytes, Int64(n)) }, .damaged))
        }
        // A section no one refers to (an extra entry at the end).
        cases.append(("unreferenced section", lie { b in
            let n = toc.count
            // Room for one more entry: shift nothing, append a 16-byte section and grow the contents into padding
            // only when there is padding; else rebuild the file with the extra entry.
            var rebuilt = [UInt8](b[0 ..< CacheFile.headerBytes])
            rebuilt += [UInt8](repeating: 0, count: 8 + (n + 1) * CacheFile.sectionEntryBytes)
            let shift = CacheFile.aligned8(rebuilt.count) - toc[0].offset
            let start = CacheFile.aligned8(rebuilt.count)
            rebuilt += [UInt8](repeating: 0, count: start - rebuilt.count)
            rebuilt += b[toc[0].offset...]
            put(&rebuilt, CacheFile.headerBytes, Int64(n + 1))
            for (i, e) in toc.enumerated() { setEntry(&rebuilt, i, Entry(offset: e.offset + shift, length: e.length, tag: e.tag)) }
            let extra = CacheFile.aligned8(rebuilt.count)
            rebuilt += [UInt8](repeating: 0, count: extra - rebuilt.count) + [UInt8](repeating: 7, count: 16)
            setEntry(&rebuilt, n, Entry(offset: extra, length: 16, tag: sip(key, rebuilt[extra ..< extra + 16])))
            b = rebuilt
        }, .damaged))
        // A corrupted section under a valid header: its own tag fails.
        cases.append(("corrupted section", lie { b in b[toc[big].offset + 3] ^= 0x40 }, .checksumMismatch))
        // Truncated inside the last section, the header's length made to match.
        cases.append(("truncated, signed", lie { b in b.removeLast(5) }, .damaged))
        for (what, bytes, expected) in cases {
            XCTAssertEqual(try outcome(store, cache, bytes, cold: cold), .rebuilt(reason: expected), what)
        }
        // Truncated without signing again: the header's length says so.
        XCTAssertEqual(try outcome(store, cache, Array(original.dropLast(100)), cold: cold), .rebuilt(reason: .truncated))
        XCTAssertEqual(try outcome(store, cache, Array(original.prefix(CacheFile.headerBytes + 4)), cold: cold),
                       .rebuilt(reason: .truncated))
        // A changed entry without the key: the header's tag fails.
        var forged = original
        var e = toc[big]; e.tag ^= 1; setEntry(&forged, big, e)
        XCTAssertEqual(try outcome(store, cache, forged, cold: cold), .rebuilt(reason: .checksumMismatch))
        // And the untouched file is a hit again (the rebuilt one, written by the last load).
        XCTAssertEqual(try reader(store).load(cache: cache).cache, .hit)
    }

    func testOnlyWhatIsUsedIsReadAndItIsAuthenticated() throws {
        let (s, store, cache) = makeStore()
        _ = s
        let cold = try reader(store).load()
        _ = try reader(store).load(cache: cache)
        let original = Array(FileManager.default.contents(atPath: tableFile(cache))!)
        let toc = entries(original)
        // The last section is the dedupe keys (builder state, needed only to append); the second the string offsets.
        let builderState = toc[toc.count - 1], table = toc[1]
        XCTAssertEqual(builderState.length, cold.count * 8)
        var b = original
        b[builderState.offset + 1] ^= 0x10
        XCTAssertEqual(try outcome(store, cache, b, cold: cold), .hit, "a hit does not read the builder state")
        // An append needs it: its tag is checked, and the damage found.
        XCTAssertTrue(FileManager.default.createFile(atPath: tableFile(cache), contents: Data(b)))
        append(store + "/a.jsonl", eventLine(id: "m0", user: "user1", time: "2024-01-09T00:00:00Z") + "\n")  // a duplicate
        let appended = try reader(store).load(cache: cache)
        XCTAssertEqual(appended.cache, .rebuilt(reason: .checksumMismatch))
        XCTAssertEqual(appended.table.count, cold.count, "the duplicate is dropped as in a cold read")
        // A changed store needs no table at all: a damaged table section is not even read.
        var c = Array(FileManager.default.contents(atPath: tableFile(cache))!)
        c[entries(c)[1].offset] ^= 0x01
        XCTAssertTrue(FileManager.default.createFile(atPath: tableFile(cache), contents: Data(c)))
        XCTAssertEqual(table.offset % 8, 0)
        let file = store + "/a.jsonl"
        let text = try String(contentsOfFile: file, encoding: .utf8)
        try text.replacingOccurrences(of: "\"E1\"", with: "\"X1\"").write(toFile: file, atomically: false, encoding: .utf8)
        let changed = try reader(store).load(cache: cache)
        guard case .rebuilt(let reason) = changed.cache, reason != .checksumMismatch, reason != .damaged else {
            return XCTFail("\(changed.cache)")
        }
    }

    /// (FIFOs and sparse files larger than memory in place of the table: CacheHardeningTests.)
    func testASparseFileWhoseLastSectionSpansTheHoleIsAMiss() throws {
        let (s, store, cache) = makeStore()
        _ = s
        _ = try reader(store).load(cache: cache)
        let path = tableFile(cache)
        var b = Array(FileManager.default.contents(atPath: path)!)
        let size = 16 << 20
        var toc = entries(b)
        toc[toc.count - 1].length = size - toc[toc.count - 1].offset
        setEntry(&b, toc.count - 1, toc[toc.count - 1])
        b += [UInt8](repeating: 0, count: size - b.count)
        resign(&b, try key(cache))
        let cold = try reader(store).load()
        XCTAssertEqual(try outcome(store, cache, b, cold: cold), .rebuilt(reason: .damaged),
                       "the array's count does not fill the section")
    }
}
