import XCTest
import Foundation
@testable import EventStore
import EarshotTestSupport

final class StoreReaderTests: XCTestCase {
    func testLinesBlankCRLFMalformedAndFinalLineWithoutNewline() throws {
        let s = TempStore()
        let text = eventLine(id: "m1", user: "u1") + "\r\n"      // 1
            + "   \r\n"                                           // 2 blank
            + #"{"type":"track","userId":"u1","timestamp":"2024-01-01T00:00:00Z","event":"x""# + "\n"  // 3 bad JSON
            + "\n"                                                // 4 blank
            + #"{"type":"track","timestamp":"2024-01-01T00:00:00Z"}"# + "\n"   // 5 no identity
            + eventLine(id: "m2", anon: "a1", time: "2024-01-02T00:00:00Z")   // 6, no final newline
        let p = s.write("e.jsonl", text)
        let t = try StoreReader(paths: [p]).load()
        XCTAssertEqual(t.count, 2)
        XCTAssertEqual(t.stats.lines, 4)
        XCTAssertEqual(t.stats.blankLines, 2)
        XCTAssertEqual(t.stats.events, 2)
        XCTAssertEqual(t.stats.malformed, 2)
        XCTAssertEqual(t.stats.malformedSamples, [
            MalformedLine(file: 0, line: 3, reason: "invalid JSON: unexpected end of input at column 77",
                          excerpt: #"{"type":"track","userId":"u1","timestamp":"2024-01-01T00:00:00Z","event":"x""#),
            MalformedLine(file: 0, line: 5, reason: #"neither "userId" nor "anonymousId" is a non-empty string"#,
                          excerpt: #"{"type":"track","timestamp":"2024-01-01T00:00:00Z"}"#),
        ])
        XCTAssertEqual(t.stats.files, [FileStats(path: p, bytes: Int64(text.utf8.count), compressed: false,
                                                 lines: 4, events: 2, duplicates: 0, malformed: 2)])
        XCTAssertEqual(t.stats.warnings, [])
    }

    func testDuplicatesAcrossFilesAndPerFileCounts() throws {
        let s = TempStore()
        s.write("store/a.jsonl", [eventLine(id: "m1", user: "u"), eventLine(id: "m2", user: "u")].joined(separator: "\n") + "\n")
        s.write("store/b.jsonl", [eventLine(id: "m2", user: "u", event: "dup"), eventLine(id: "m3", user: "u")].joined(separator: "\n") + "\n")
        let t = try StoreReader(paths: [s.path("store")]).load()
        XCTAssertEqual(t.count, 3)
        XCTAssertEqual(t.stats.duplicates, 1)
        XCTAssertEqual(t.stats.files.map(\.events), [2, 1])
        XCTAssertEqual(t.stats.files.map(\.duplicates), [0, 1])
        XCTAssertEqual(t.stats.files.map(\.lines), [2, 2])
        XCTAssertFalse(t.name.contains(t.strings.lookup("dup") ?? -2))   // the first copy wins
    }

    func testGzipPlainAndTwoMembers() throws {
        let s = TempStore()
        let l1 = eventLine(id: "g1", user: "u", event: "one")
        let l2 = eventLine(id: "g2", user: "u", event: "two")
        let l3 = eventLine(id: "g3", user: "u", event: "three")
        // Member boundary in the middle of a line: the line continues in the second member.
        let split = l2.index(l2.startIndex, offsetBy: 10)
        let twoMembers = gzipMember(l1 + "\n" + l2[..<split]) + gzipMember(l2[split...] + "\n" + l3 + "\n")
        let gz = s.write("s/a.jsonl.gz", twoMembers)
        let plain = eventLine(id: "p1", user: "u", event: "plain") + "\n"
        s.write("s/b.jsonl", plain)
        let t = try StoreReader(paths: [s.path("s")]).load()
        XCTAssertEqual(t.stats.files.map(\.path), [gz, s.path("s/b.jsonl")])
        XCTAssertEqual(t.stats.files.map(\.compressed), [true, false])
        XCTAssertEqual(t.stats.files.map(\.bytes), [Int64(twoMembers.count), Int64(plain.utf8.count)])
        XCTAssertEqual(t.stats.files.map(\.events), [3, 1])
        XCTAssertEqual(t.stats.malformed, 0)
        XCTAssertEqual(t.stats.warnings, [])
        XCTAssertEqual(t.personRange(0).map { t.strings[t.name[$0]] }, ["one", "two", "three", "plain"])
    }

    func testTruncatedGzipKeepsLinesReadSoFar() throws {
        let s = TempStore()
        // Hard-to-compress lines, so the cut lands well inside the data.
        var rng = SeededRandom(seed: 7)
        let lines = (0 ..< 3000).map { i in
            eventLine(id: "m\(i)-\(rng.next())-\(rng.next())", user: "u\(rng.next() % 1000)", event: "e\(i)")
        }
        let full = gzipMember(lines.joined(separator: "\n") + "\n")
        let p = s.write("cut.jsonl.gz", Array(full[0 ..< full.count / 2]))
        let t = try StoreReader(paths: [p]).load()
        XCTAssertGreaterThan(t.count, 100)
        XCTAssertLessThan(t.count, 3000)
        XCTAssertEqual(t.stats.malformed, 0)               // the cut line is dropped, not counted
        XCTAssertEqual(t.stats.lines, t.count)
        // What was read is exactly the first lines, in order.
        let names = Set((0 ..< t.count).map { t.strings[t.name[$0]] })
        XCTAssertEqual(names, Set((0 ..< t.count).map { "e\($0)" }))
        XCTAssertEqual(t.stats.warnings.count, 1)
        XCTAssertTrue(t.stats.warnings[0].hasPrefix("\(p): gzip data is truncated"), t.stats.warnings[0])
    }

    func testCorruptGzipAndTrailingGarbage() throws {
        let s = TempStore()
        var rng = SeededRandom(seed: 3)
        let lines = (0 ..< 2000).map { i in eventLine(id: "m\(i)-\(rng.next())", user: "u", event: "e\(i)") }
        var bytes = gzipMember(lines.joined(separator: "\n") + "\n")
        for k in stride(from: bytes.count / 2, to: bytes.count / 2 + 64, by: 1) { bytes[k] ^= 0x5A }
        let bad = s.write("bad.json.gz", bytes)
        let t = try StoreReader(paths: [bad]).load()
        XCTAssertLessThan(t.count, 2000)
        XCTAssertEqual(t.stats.warnings.count, 1)
        XCTAssertTrue(t.stats.warnings[0].hasPrefix("\(bad): corrupt gzip data"), t.stats.warnings[0])

        let padded = s.write("padded.jsonl.gz", gzipMember(eventLine(id: "x", user: "u") + "\n") + [0, 0, 0, 0])
        let t2 = try StoreReader(paths: [padded]).load()
        XCTAssertEqual(t2.count, 1)
        XCTAssertEqual(t2.stats.warnings, ["\(padded): ignored data after the end of the gzip stream (from compressed byte \(t2.stats.files[0].bytes - 4))"])
    }

    func testNotGzipDespiteName() throws {
        let s = TempStore()
        let p = s.write("plain.jsonl.gz", eventLine(id: "x", user: "u") + "\n")
        let t = try StoreReader(paths: [p]).load()
        XCTAssertEqual(t.count, 1)
        XCTAssertEqual(t.stats.files[0].compressed, false)
        XCTAssertEqual(t.stats.warnings, ["\(p): not gzip data despite the .gz name; read as plain text"])
    }

    func testStitchingThroughAliasEndToEnd() throws {
        let s = TempStore()
        s.write("1.jsonl", [
            eventLine("page", id: "p1", anon: "anon-1", time: "2024-01-01T10:00:00Z"),
            eventLine("alias", id: "al", user: "user-1", time: "2024-01-01T10:05:00Z", extra: #""previousId":"anon-1""#),
        ].joined(separator: "\n"))
        s.write("2.jsonl", [
            eventLine(id: "t1", anon: "anon-1", time: "2024-01-01T09:00:00Z", event: "earlier"),
            eventLine(id: "t2", user: "user-1", time: "2024-01-01T11:00:00Z", event: "later"),
            eventLine(id: "t3", anon: "anon-2", time: "2024-01-01T11:00:00Z", event: "stranger"),
        ].joined(separator: "\n"))
        let t = try StoreReader(paths: [s.root]).load()
        XCTAssertEqual(t.personCount, 2)
        XCTAssertEqual(t.strings[t.personID[0]], "user-1")
        XCTAssertTrue(t.personIsUser[0])
        // Ordered by time inside the person, across files.
        XCTAssertEqual(t.personRange(0).map { t.kind[$0] }, [.track, .page, .alias, .track])
        XCTAssertEqual(t.personRange(0).map { t.time[$0] }.map { ($0 - 1_704_099_600_000) / 60_000 }, [0, 60, 65, 120])
        XCTAssertEqual(t.strings[t.personID[1]], "anon-2")
        XCTAssertFalse(t.personIsUser[1])
    }

    func testByteOrderMarkAndLongLines() throws {
        let s = TempStore()
        let p = s.write("bom.jsonl", [0xEF, 0xBB, 0xBF] + Array((eventLine(id: "a", user: "u") + "\n"
            + eventLine(id: "b", user: "u", extra: #""pad":""# + String(repeating: "x", count: 300) + "\"") + "\n").utf8))
        var reader = StoreReader(paths: [p])
        reader.maxLineBytes = 200
        let t = try reader.load()
        XCTAssertEqual(t.count, 1)
        XCTAssertEqual(t.stats.malformedSamples.map(\.line), [2])
        XCTAssertTrue(t.stats.malformedSamples[0].reason.hasPrefix("line too long ("), t.stats.malformedSamples[0].reason)
        XCTAssertTrue(t.stats.malformedSamples[0].reason.hasSuffix(" bytes; the limit is 200)"))
    }

    func testExcerptIsCutAtACharacterBoundary() {
        let line = String(repeating: "a", count: 199) + "é" + "tail"
        let excerpt = Array(line.utf8).withUnsafeBytes { ReadSession.excerpt($0) }
        XCTAssertEqual(excerpt, String(repeating: "a", count: 199))
        let short = Array("ok".utf8).withUnsafeBytes { ReadSession.excerpt($0) }
        XCTAssertEqual(short, "ok")
    }

    func testProgressReportsStartAndEnd() throws {
        let s = TempStore()
        let text = (0 ..< 50).map { eventLine(id: "m\($0)", user: "u") }.joined(separator: "\n")
        let p = s.write("p.jsonl", text)
        var reports: [ReadProgress] = []
        let t = try StoreReader(paths: [p]).load { reports.append($0) }
        XCTAssertEqual(t.count, 50)
        XCTAssertEqual(reports.first, ReadProgress(bytesRead: 0, totalBytes: Int64(text.utf8.count), lines: 0, events: 0, file: p))
        XCTAssertEqual(reports.last, ReadProgress(bytesRead: Int64(text.utf8.count), totalBytes: Int64(text.utf8.count),
                                                  lines: 50, events: 50, file: p))
        XCTAssertEqual(reports.last?.fraction, 1)
        XCTAssertLessThanOrEqual(reports.count, 3)
    }

    func testMissingPathErrorFromLoad() {
        XCTAssertThrowsError(try StoreReader(paths: ["/nonexistent/earshot/store"]).load()) { error in
            XCTAssertEqual(error as? StoreError, .notFound(path: "/nonexistent/earshot/store"))
            XCTAssertEqual("\(error)", "no such file or directory: /nonexistent/earshot/store")
        }
    }
}

