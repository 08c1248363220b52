import XCTest
import EarshotTestSupport
import Foundation
@testable import EventStore

/// Issue 11.7–11.9: hostile cache files and directories, and stores edited in place, never hang a
/// load, never make earshot write through a planted link, never turn a forged file into figures,
/// and never give figures of the store's older contents.
final class CacheHardeningTests: XCTestCase {
    /// A store whose last file is `lines` lines long (about 100 bytes each), and a cache beside it.
    private func makeStore(lines: Int = 3) -> (s: TempStore, store: String, cache: StoreCache) {
        let s = TempStore()
        s.write("store/a.jsonl", eventLine(id: "m0", anon: "a0", time: "2024-01-01T00:00:00Z", event: "Viewed") + "\n")
        s.write("store/b.jsonl", (1 ... lines).map {
            eventLine(id: "m\($0)", user: "user\(String(format: "%06d", $0))", time: "2024-01-02T00:00:00Z", event: "Seen")
        }.joined(separator: "\n") + "\n")
        return (s, s.path("store"), StoreCache(directory: s.path("cache/earshot")))
    }

    private func load(_ store: String, _ cache: StoreCache?) throws -> (EventTable, CacheOutcome) {
        try StoreReader(paths: [store]).load(cache: cache)
    }

    private func files(_ cache: StoreCache, _ suffix: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: cache.directory)) ?? [])
            .filter { $0.hasSuffix(suffix) }.map { cache.directory + "/" + $0 }
    }

    private func reason(_ o: CacheOutcome) -> RebuildReason? {
        if case .rebuilt(let r) = o { return r }
        return nil
    }

    /// Runs `body` on another thread; fails (instead of hanging the suite) when it has not returned in a minute.
    private func finishes(_ what: String, _ body: @escaping @Sendable () -> Void) {
        let done = DispatchSemaphore(value: 0)
        Thread { body(); done.signal() }.start()
        if done.wait(timeout: .now() + 60) == .timedOut { XCTFail("\(what) hung") }
    }

    // MARK: 11.7 FIFOs, sparse files, links

    func testAFIFOInPlaceOfACacheFileIsIgnoredWithoutBlocking() throws {
        let (s, store, cache) = makeStore()
        _ = s
        try StoreReader(paths: [store]).open(cache: cache, resultKey: "k", needsTable: false).resultSlot?.save([1])
        XCTAssertEqual(files(cache, ".table").count + files(cache, ".result").count, 2)
        for file in files(cache, ".table") + files(cache, ".result") {
            XCTAssertEqual(unlink(file), 0)
            XCTAssertEqual(mkfifo(file, 0o600), 0)
        }
        finishes("loading with FIFOs as cache files") {
            let o = try? StoreReader(paths: [store]).open(cache: cache, resultKey: "k", needsTable: false)
            XCTAssertNil(o?.cachedResult)
            XCTAssertEqual(o?.cache, .rebuilt(reason: .notRegularFile))
            XCTAssertEqual(o?.table?.count, 4)
        }
    }

    func testAHugeSparseCacheFileIsRejectedBeforeAnyAllocation() throws {
        let (s, store, cache) = makeStore()
        _ = s
        _ = try load(store, cache)
        let file = files(cache, ".table")[0]
        // A valid header claiming a payload larger than physical memory, in a sparse file.
        var header = Array(FileManager.default.contents(atPath: file)!.prefix(CacheFile.headerBytes))
        let size = Int64(CacheFile.maximumBytes) + 4096
        withUnsafeBytes(of: (size - Int64(CacheFile.headerBytes)).littleEndian) { header.replaceSubrange(24 ..< 32, with: $0) }
        XCTAssertTrue(FileManager.default.createFile(atPath: file, contents: Data(header)))
        XCTAssertEqual(truncate(file, off_t(size)), 0)
        finishes("loading a sparse cache file") {
            let r = try? StoreReader(paths: [store]).load(cache: cache)
            XCTAssertEqual(r?.cache, .rebuilt(reason: .implausiblySized(bytes: Int(size))))
            XCTAssertEqual(r?.table.count, 4)
        }
    }

    func testPlantedLinksAreNeverFollowed() throws {
        let (s, store, cache) = makeStore()
        let victim = s.write("victim", "precious\n")
        _ = try load(store, cache)
        let table = files(cache, ".table")[0]
        // The cache file itself is a link to the victim: not read, and replaced rather than written through.
        XCTAssertEqual(unlink(table), 0)
        XCTAssertEqual(symlink(victim, table), 0)
        // Links at the temporary names an older earshot used (`NAME.tmpPID`).
        XCTAssertEqual(symlink(victim, table + ".tmp\(getpid())"), 0)
        let (_, o) = try load(store, cache)
        XCTAssertEqual(o, .rebuilt(reason: .symbolicLink))
        XCTAssertEqual(try String(contentsOfFile: victim, encoding: .utf8), "precious\n")
        var st = stat()
        XCTAssertEqual(lstat(table, &st), 0)
        XCTAssertEqual(st.st_mode & S_IFMT, S_IFREG, "the link was replaced by a cache file")
        XCTAssertEqual(try load(store, cache).1, .hit)
        // No temporary file is left behind, and new ones have unpredictable names.
        XCTAssertEqual(files(cache, ".tmp\(getpid())").count, 1)  // only the planted link
    }

    // MARK: 11.8 Directory trust and authenticated files

    func testAnUntrustedDirectoryIsRefusedAndNotWritten() throws {
        let (s, store, cache) = makeStore()
        s.mkdir("cache/earshot")
        XCTAssertEqual(chmod(cache.directory, 0o777), 0)
        XCTAssertEqual(cache.prepare()?.description,
                       "not using the cache directory \(cache.directory): writable by others (mode 777)")
        XCTAssertEqual(try load(store, cache).1, .unused)
        XCTAssertEqual(try StoreReader(paths: [store]).open(cache: cache, resultKey: "k", needsTable: false).cache, .unused)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: cache.directory), [])
        XCTAssertEqual(chmod(cache.directory, 0o770), 0)
        XCTAssertEqual(cache.prepare()?.reason, "writable by its group (mode 770)")
        // A symbolic link to a directory of the user's is not used either.
        XCTAssertEqual(chmod(cache.directory, 0o700), 0)
        let link = StoreCache(directory: s.path("cache/link"))
        XCTAssertEqual(symlink(cache.directory, link.directory), 0)
        XCTAssertEqual(link.prepare()?.reason, "it is a symbolic link")
        // Another user's directory (root can hand it over; others cannot create one to test with).
        if geteuid() == 0 {
            XCTAssertEqual(chown(cache.directory, 65534, 65534), 0)
            XCTAssertEqual(cache.prepare()?.reason, "owned by uid 65534, not by you (uid 0)")
            XCTAssertEqual(try load(store, cache).1, .unused)
        }
    }

    func testADirectoryThatCannotBeCreatedIsUnavailableNotUntrusted() throws {
        let (s, store, _) = makeStore()
        // `HOME=/nonexistent`: `~/.cache/earshot` two levels below a missing directory.
        let cache = StoreCache(directory: s.path("nonexistent/.cache/earshot"))
        XCTAssertEqual(cache.prepare()?.isUnavailable, true)
        XCTAssertEqual(try load(store, cache).1, .unused)
        XCTAssertFalse(FileManager.default.fileExists(atPath: s.path("nonexistent")))
        // One missing level (`~/.cache` of an existing home) is created.
        s.mkdir("home")
        XCTAssertNil(StoreCache(directory: s.path("home/.cache/earshot")).prepare())
        XCTAssertTrue(FileManager.default.fileExists(atPath: s.path("home/.cache/earshot/key")))
    }

    func testAMissingDirectoryIsCreatedPrivateWithAPrivateKey() throws {
        let (s, store, cache) = makeStore()
        _ = s
        XCTAssertNil(cache.prepare())
        _ = try load(store, cache)
        var st = stat()
        XCTAssertEqual(stat(cache.directory, &st), 0)
        XCTAssertEqual(st.st_mode & 0o777, 0o700)
        XCTAssertEqual(stat(cache.directory + "/key", &st), 0)
        XCTAssertEqual(st.st_mode & 0o777, 0o600)
        XCTAssertEqual(st.st_size, 16)
        XCTAssertEqual(try load(store, cache).1, .hit)
        // A readable key is not a secret: it is replaced, which makes every cache file stale.
        XCTAssertEqual(chmod(cache.directory + "/key", 0o644), 0)
        XCTAssertEqual(try load(store, cache).1, .rebuilt(reason: .checksumMismatch))
        XCTAssertEqual(stat(cache.directory + "/key", &st), 0)
        XCTAssertEqual(st.st_mode & 0o777, 0o600)
        XCTAssertEqual(try load(store, cache).1, .hit)
    }

    func testAForgedResultNeverReplacesTheComputedOne() throws {
        let (s, store, cache) = makeStore()
        let critical = Array("CRITICAL".utf8), ok = Array("OK".utf8)
        func open(_ c: StoreCache) throws -> StoreOpening {
            try StoreReader(paths: [store]).open(cache: c, resultKey: "check", needsTable: false)
        }
        try open(cache).resultSlot?.save(critical)
        XCTAssertEqual(try open(cache).cachedResult, critical)
        let file = files(cache, ".result")[0]
        let good = [UInt8](FileManager.default.contents(atPath: file)!)

        // 1. The payload changed and the header's check value recomputed the way an unkeyed
        //    checksum would be: rejected.
        var forged = Array(good.dropLast(critical.count + 8))
        withUnsafeBytes(of: Int64(ok.count).littleEndian) { forged.append(contentsOf: $0) }
        forged += ok
        let payloadLength = Int64(forged.count - CacheFile.headerBytes)
        withUnsafeBytes(of: payloadLength.littleEndian) { forged.replaceSubrange(24 ..< 32, with: $0) }
        let sum = forged[CacheFile.headerBytes...].withUnsafeBytes { IDHash.hash($0, seed: StoreCache.checksumSeed) }
        withUnsafeBytes(of: sum.littleEndian) { forged.replaceSubrange(32 ..< 40, with: $0) }
        XCTAssertTrue(FileManager.default.createFile(atPath: file, contents: Data(forged)))
        XCTAssertNil(try open(cache).cachedResult)

        // 2. A genuine "OK" file written for the same store under another key (another user's
        //    cache, or an old one): rejected too.
        let other = StoreCache(directory: s.path("other-cache"))
        try open(other).resultSlot?.save(ok)
        XCTAssertEqual(try open(other).cachedResult, ok)
        XCTAssertTrue(FileManager.default.createFile(atPath: file, contents: FileManager.default.contents(atPath: files(other, ".result")[0])))
        XCTAssertNil(try open(cache).cachedResult)
    }

    func testSipHashMatchesTheReferenceVectors() {
        // From the SipHash paper (appendix A) and the reference implementation's vectors.h.
        let key = (UInt64(0x0706_0504_0302_0100), UInt64(0x0f0e_0d0c_0b0a_0908))
        let message = (0 ..< 15).map { UInt8($0) }
        XCTAssertEqual(message.withUnsafeBytes { SipHash24.hash($0, key: key) }, 0xa129_ca61_49be_45e5)
        XCTAssertEqual([UInt8]().withUnsafeBytes { SipHash24.hash($0, key: key) }, 0x726f_db47_dd0e_0e31)
        // Fed in pieces: the same tag.
        var h = SipHash24(key: key)
        h.update(Array(message[0 ..< 3])); h.update(Array(message[3 ..< 12])); h.update(Array(message[12...]))
        XCTAssertEqual(h.finalize(), 0xa129_ca61_49be_45e5)
    }

    // MARK: 11.9 Stores edited in place

    /// Rewrites `count` bytes at `offset` in place (same inode, same size).
    private func patch(_ path: String, at offset: Int, _ bytes: String) {
        let h = FileHandle(forWritingAtPath: path)!
        h.seek(toFileOffset: UInt64(offset))
        h.write(Data(bytes.utf8))
        h.closeFile()
    }

    private func append(_ path: String, _ text: String) {
        let h = FileHandle(forWritingAtPath: path)!
        h.seekToEndOfFile()
        h.write(Data(text.utf8))
        h.closeFile()
    }

    /// Byte offset of the first `needle` in the file.
    private func offset(of needle: String, in path: String) -> Int {
        let text = try! String(contentsOfFile: path, encoding: .utf8)
        return text.utf8.distance(from: text.utf8.startIndex, to: text.range(of: needle)!.lowerBound)
    }

    func testAnEarlierRewritePlusAnAppendIsAFullRead() throws {
        // 200 lines (about 20 KB): the rewrite is far before the last 4 KiB.
        let (s, store, cache) = makeStore(lines: 200)
        _ = try load(store, cache)
        let b = s.path("store/b.jsonl")
        patch(b, at: offset(of: "user000001", in: b), "user000002")  // the first person is now the second: one person fewer
        append(b, eventLine(id: "m999", user: "user000999", time: "2024-01-03T00:00:00Z") + "\n")
        let (t, o) = try load(store, cache)
        XCTAssertEqual(reason(o), .modifiedBeforeOldEnd(path: b))
        let cold = try StoreReader(paths: [store]).load()
        XCTAssertEqual(t.personCount, cold.personCount)
        XCTAssertEqual(t.personCount, 201)  // a0, user000002 … user000200, user000999
    }

    func testARewriteOfALargeFileIsFoundBySampledBlocks() throws {
        // About 500 KB, more than is hashed whole: the first block is always sampled.
        let (s, store, cache) = makeStore(lines: 5_000)
        _ = try load(store, cache)
        let b = s.path("store/b.jsonl")
        let text = try! String(contentsOfFile: b, encoding: .utf8)
        XCTAssertGreaterThan(text.utf8.count, StoreCache.wholeHashBytes)
        patch(b, at: offset(of: "user000001", in: b), "user000002")
        append(b, eventLine(id: "m9999", user: "user009999") + "\n")
        XCTAssertEqual(reason(try load(store, cache).1), .modifiedBeforeOldEnd(path: b))
        // A plain append is still read from the old end only.
        let added = eventLine(id: "m10000", user: "user010000") + "\n"
        append(b, added)
        XCTAssertEqual(try load(store, cache).1, .appended(bytesRead: Int64(added.utf8.count)))
    }

    func testASameSizeRewriteWithTheModificationTimePutBackIsAFullRead() throws {
        let (s, store, cache) = makeStore(lines: 3)
        _ = try load(store, cache)
        let b = s.path("store/b.jsonl")
        var before = stat()
        XCTAssertEqual(stat(b, &before), 0)
        usleep(20_000)  // so that the ctime moves even on a coarse clock
        patch(b, at: offset(of: "user000001", in: b), "user000002")
        // `touch -r`: the old access and modification times put back.
        var times = [before.st_atim, before.st_mtim]
        XCTAssertEqual(utimensat(AT_FDCWD, b, &times, 0), 0)
        var after = stat()
        XCTAssertEqual(stat(b, &after), 0)
        XCTAssertEqual(after.st_size, before.st_size)
        XCTAssertEqual(after.st_mtim.tv_nsec, before.st_mtim.tv_nsec)
        let (t, o) = try load(store, cache)
        XCTAssertEqual(reason(o), .statusChanged(path: b))
        XCTAssertEqual(t.personCount, 3)  // a0, user000002, user000003
    }
}
