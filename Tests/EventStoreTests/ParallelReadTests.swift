import XCTest
import EarshotTestSupport
import Foundation
@testable import EventStore

/// Parallel parsing must give exactly the table of a sequential read, whatever the chunking.
final class ParallelReadTests: XCTestCase {
    /// A store whose lines repeat message ids every 50 lines (duplicates cross every chunk boundary),
    /// with malformed lines every 7th line, blank lines every 11th, an over-long line, CRLF, and a gzip file.
    private func makeStore() -> (TempStore, String) {
        let s = TempStore()
        var a: [String] = []
        for i in 1 ... 400 {
            if i % 11 == 0 { a.append("  "); continue }
            if i % 7 == 0 { a.append(#"{"type":"track","userId":"u1","#); continue }
            if i == 200 { a.append(eventLine(id: "long", user: "u1", event: String(repeating: "x", count: 3000))); continue }
            let t = String(format: "2024-01-%02dT00:00:00Z", 1 + i % 20)
            a.append(eventLine(id: "m\(i % 50)", user: i % 3 == 0 ? "u\(i % 5)" : nil, anon: "a\(i % 9)",
                               time: t, event: "e\(i)",
                               extra: #""context":{"consent":{"categoryPreferences":{"Analytics":\#(i % 2 == 0)}}}"#))
        }
        s.write("s/a.jsonl", a.joined(separator: "\r\n") + "\n")
        // Latest-wins tie: same person, same time; grant then deny (file order decides).
        let tie1 = eventLine(id: "t1", user: "tie", time: "2024-02-01T00:00:00Z",
                             extra: #""context":{"consent":{"categoryPreferences":{"Analytics":true}}}"#)
        let tie2 = eventLine(id: "t2", user: "tie", time: "2024-02-01T00:00:00Z",
                             extra: #""context":{"consent":{"categoryPreferences":{"Analytics":false}}}"#)
        s.write("s/b.jsonl.gz", gzipMember([tie1, eventLine(id: "m3", user: "u9"), tie2].joined(separator: "\n")))
        return (s, s.path("s"))
    }

    private func load(_ path: String, threads: Int, chunk: Int) throws -> EventTable {
        var r = StoreReader(paths: [path])
        r.parseThreads = threads
        r.chunkBytes = chunk
        r.maxLineBytes = 2000
        return try r.load()
    }

    func testParallelEqualsSequentialForManyChunkSizes() throws {
        let (s, path) = makeStore()
        _ = s
        let reference = try load(path, threads: 0, chunk: 1 << 20)
        for (threads, chunk) in [(1, 1), (2, 150), (2, 1000), (3, 4096), (2, 1 << 20)] {
            let t = try load(path, threads: threads, chunk: chunk)
            assertSameTable(t, reference, "threads \(threads), chunk \(chunk)")
        }
    }

    /// Chunks that finish parsing out of order (every third one is held back on its parsing thread) are
    /// still applied in file order: "first copy wins", identity links, latest-wins ties and the order of
    /// malformed samples are those of the sequential read, for every worker count and window.
    func testChunksFinishingOutOfOrderAreAppliedInFileOrder() throws {
        let (s, path) = makeStore()
        _ = s
        let reference = try load(path, threads: 0, chunk: 1 << 20)
        for (threads, chunk, window) in [(1, 150, 2), (2, 150, 8), (2, 400, 3), (3, 100, 16)] {
            var r = StoreReader(paths: [path])
            r.parseThreads = threads
            r.chunkBytes = chunk
            r.maxLineBytes = 2000
            r.parseWindow = window
            r.beforeParse = { n in if n % 3 == 0 { usleep(3000) } }
            assertSameTable(try r.load(), reference, "threads \(threads), chunk \(chunk), window \(window)")
        }
    }

    /// When the window is full and its oldest chunk is not parsed yet, the reading thread parses queued
    /// chunks itself instead of waiting (the one worker here is slow): the table is still the sequential one.
    func testReadingThreadParsesQueuedChunksWhenTheWorkerLags() throws {
        let (s, path) = makeStore()
        _ = s
        let reference = try load(path, threads: 0, chunk: 1 << 20)
        let reading = pthread_self()
        var r = StoreReader(paths: [path])
        r.parseThreads = 1
        r.chunkBytes = 200
        r.maxLineBytes = 2000
        r.parseWindow = 4
        r.beforeParse = { _ in if pthread_equal(pthread_self(), reading) == 0 { usleep(5000) } }
        let session = try r.run(StoreLocator.locate([path]), progress: nil)
        XCTAssertGreaterThan(session.pipeline.parsedOnReadingThread, 0)
        var builder = session.builder
        builder.seen = MessageKeySet()
        assertSameTable(builder.finish().redactingDeletions(), reference, "reading thread helps")
    }

    /// Lines longer than a chunk: the window stops at `window × chunkBytes` bytes in flight (at least two chunks), not
    /// at `window` chunks, so a store of huge lines does not hold `window` of them at once (review, session 7). While the
    /// worker holds the first chunk, the reading thread may submit and parse only the second; the table is still the
    /// sequential one.
    func testWindowIsBoundedByBytesInFlight() throws {
        let s = TempStore()
        let lines = (0 ..< 12).map { i in eventLine(id: "m\(i)", user: "u\(i % 3)", event: String(repeating: "e", count: 4000)) }
        let path = s.write("s/a.jsonl", lines.joined(separator: "\n") + "\n")
        var sequential = StoreReader(paths: [path])
        sequential.parseThreads = 0
        let reference = try sequential.load()
        final class Started: @unchecked Sendable {
            let lock = NSLock()
            var whileFirstHeld: [Int] = []
            var holding = false
            var held = false
        }
        let reading = pthread_self()
        // The bound is tested only when the worker (not the reading thread) takes chunk 0 and holds it: the reading
        // thread may take it first (it parses the oldest queued chunk when the window is full), so the read is
        // repeated until the worker has held chunk 0 once, and a run in which it never did fails.
        var attempts = 0
        var started = Started()
        while attempts < 50 && !started.held {
            attempts += 1
            let run = Started()
            started = run
            var r = StoreReader(paths: [path])
            r.parseThreads = 1
            r.chunkBytes = 1000
            r.maxLineBytes = 10_000
            r.parseWindow = 6
            r.beforeParse = { n in
                if n == 0 && pthread_equal(pthread_self(), reading) == 0 {
                    run.lock.lock(); run.holding = true; run.held = true; run.lock.unlock()
                    usleep(200_000)
                    run.lock.lock(); run.holding = false; run.lock.unlock()
                    return
                }
                run.lock.lock()
                if run.holding { run.whileFirstHeld.append(n) }
                run.lock.unlock()
            }
            assertSameTable(try r.load(), reference, "huge lines, bytes-bounded window (attempt \(attempts))")
        }
        started.lock.lock(); defer { started.lock.unlock() }
        XCTAssertTrue(started.held, "the worker took chunk 0 in none of \(attempts) reads: the bound was never tested")
        XCTAssertLessThanOrEqual(started.whileFirstHeld.max() ?? 0, 1,
                                 "only one more chunk of huge lines in flight while the first is parsed: \(started.whileFirstHeld)")
    }

    /// A corrupt gzip member read with small chunks finishing out of order: the damaged member's garbage
    /// lines are still taken back exactly (the one malformed line of the intact member stays).
    func testGzipRetractionWithChunksFinishingOutOfOrder() throws {
        let s = TempStore()
        let lines = (0 ..< 3000).map { i in eventLine(id: "m\(i)", user: "u\(i % 300)", event: "e\(i % 9)") }
        var damaged = gzipMember(lines.joined(separator: "\n") + "\n")
        for k in damaged.count / 3 ..< damaged.count / 3 + 64 { damaged[k] = 0 }
        let intact = gzipMember(eventLine(id: "first", user: "u") + "\nnot json\n")
        let p = s.write("events.jsonl.gz", intact + damaged)
        var sequential = StoreReader(paths: [p])
        sequential.parseThreads = 0
        let reference = try sequential.load()
        XCTAssertEqual(reference.stats.malformedSamples.map(\.line), [2])
        for threads in [1, 2] {
            var r = StoreReader(paths: [p])
            r.parseThreads = threads
            r.chunkBytes = 500
            r.parseWindow = 6
            r.beforeParse = { n in if n % 4 == 1 { usleep(2000) } }
            assertSameTable(try r.load(), reference, "gzip, threads \(threads)")
        }
    }

    /// The lines of the next chunk are gathered in the pipeline's own arrays and swapped into a (reused)
    /// chunk when it is full: chunk limits that fall exactly on a line's end, one byte before or after it,
    /// or inside every line, with chunks reused many times (small windows), give the sequential table,
    /// and every line keeps its number and bytes (each line's event name is its line number).
    func testChunkFillingAtEveryBoundaryWithReusedChunks() throws {
        let s = TempStore()
        // Lines of exactly the same length (ids and names padded), a blank and a malformed one among them.
        var a: [String] = []
        for i in 1 ... 120 {
            if i == 30 { a.append(""); continue }
            if i == 61 { a.append(#"{"type":"track","userId":"#); continue }
            let n = String(format: "%04d", i)
            a.append(eventLine(id: "m\(n)", user: "u\(i % 6)", event: "line\(n)"))
        }
        let p = s.write("events.jsonl", a.joined(separator: "\n") + "\n")
        let length = a[0].utf8.count + 1
        let reference = try load(p, threads: 0, chunk: 1 << 20)
        XCTAssertEqual(reference.count, 118)
        let names = Set((0 ..< reference.count).map { reference.strings[reference.name[$0]] })
        XCTAssertEqual(names, Set((1 ... 120).filter { $0 != 30 && $0 != 61 }.map { String(format: "line%04d", $0) }))
        XCTAssertEqual(reference.stats.blankLines, 1)
        XCTAssertEqual(reference.stats.malformedSamples.map(\.line), [61])
        for threads in [0, 1, 2] {
            for chunk in [length - 1, length, length + 1, 2 * length - 1, 2 * length, 3 * length + 1, 7 * length] {
                var r = StoreReader(paths: [p])
                r.parseThreads = threads
                r.chunkBytes = chunk
                r.parseWindow = 2
                assertSameTable(try r.load(), reference, "threads \(threads), chunk \(chunk)")
            }
        }
    }

    func testHandCountedFiguresAndLineNumbers() throws {
        let (s, path) = makeStore()
        _ = s
        let t = try load(path, threads: 2, chunk: 300)
        // File a: 400 lines; blank: multiples of 11 (36); malformed: multiples of 7 that are not
        // multiples of 11 (57 - 5 = 52) plus the over-long line 200; events: the other 311 lines
        // with ids m0…m49, of which the first copy of each id is kept (50), 261 duplicates.
        XCTAssertEqual(t.stats.blankLines, 36)
        XCTAssertEqual(t.stats.files[0].malformed, 53)
        XCTAssertEqual(t.stats.files[0].events, 50)
        XCTAssertEqual(t.stats.files[0].duplicates, 261)
        XCTAssertEqual(t.stats.files[0].lines, 364)
        // File b: m3 is a duplicate of file a's m3.
        XCTAssertEqual(t.stats.files[1].events, 2)
        XCTAssertEqual(t.stats.files[1].duplicates, 1)
        let lines = t.stats.malformedSamples.filter { $0.file == 0 }.map(\.line)
        let expected = (1 ... 400).filter { ($0 % 7 == 0 && $0 % 11 != 0) || $0 == 200 }
        XCTAssertEqual(lines, expected)
        XCTAssertEqual(t.stats.malformedSamples.first { $0.line == 200 }?.reason,
                       LineError.tooLong(bytes: 3095, limit: 2000).reason)
        // The tie: both rows kept in file order, so the later denial is the person's last word.
        let tie = t.strings.lookup("tie")!
        let p = t.personID.firstIndex(of: tie)!
        let rows = Array(t.personRange(p))
        XCTAssertEqual(rows.count, 2)
        XCTAssertLessThan(t.sequence[rows[0]], t.sequence[rows[1]])
        XCTAssertEqual(t.consentGranted[rows[0]] & 1, 1)
        XCTAssertEqual(t.consentGranted[rows[1]] & 1, 0)
    }
}

/// Asserts two tables are identical column by column (strings compared by text).
func assertSameTable(_ a: EventTable, _ b: EventTable, _ label: String, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.strings.strings, b.strings.strings, label, file: file, line: line)
    XCTAssertEqual(a.time, b.time, label, file: file, line: line)
    XCTAssertEqual(a.person, b.person, label, file: file, line: line)
    XCTAssertEqual(a.kind, b.kind, label, file: file, line: line)
    XCTAssertEqual(a.name, b.name, label, file: file, line: line)
    XCTAssertEqual(a.section, b.section, label, file: file, line: line)
    XCTAssertEqual(a.timezone, b.timezone, label, file: file, line: line)
    XCTAssertEqual(a.sequence, b.sequence, label, file: file, line: line)
    XCTAssertEqual(a.consentCarried, b.consentCarried, label, file: file, line: line)
    XCTAssertEqual(a.consentGranted, b.consentGranted, label, file: file, line: line)
    XCTAssertEqual(a.properties, b.properties, label, file: file, line: line)
    XCTAssertEqual(a.arrays, b.arrays, label, file: file, line: line)
    XCTAssertEqual(a.personID, b.personID, label, file: file, line: line)
    XCTAssertEqual(a.personIsUser, b.personIsUser, label, file: file, line: line)
    XCTAssertEqual(a.personStart, b.personStart, label, file: file, line: line)
    XCTAssertEqual(a.traitRow, b.traitRow, label, file: file, line: line)
    XCTAssertEqual(a.traitKey, b.traitKey, label, file: file, line: line)
    XCTAssertEqual(a.traitValue, b.traitValue, label, file: file, line: line)
    XCTAssertEqual(a.answerRow, b.answerRow, label, file: file, line: line)
    XCTAssertEqual(a.answerKey.map { a.strings[$0] }, b.answerKey.map { b.strings[$0] }, label, file: file, line: line)
    XCTAssertEqual(a.answerValue.map { a.string($0) ?? "\($0.bits)" }, b.answerValue.map { b.string($0) ?? "\($0.bits)" },
                   label, file: file, line: line)
    XCTAssertEqual(a.consentCategories, b.consentCategories, label, file: file, line: line)
    XCTAssertEqual(a.consentLabels, b.consentLabels, label, file: file, line: line)
    XCTAssertEqual(a.stats, b.stats, label, file: file, line: line)
}
