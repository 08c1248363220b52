import Analytics
@testable import EarshotApp
import EventStore
import Foundation
import XCTest

/// The cached full report's encoding (#11.15): the report without its names as JSON plus the names' arrays in a
/// binary section, read back equal, and refused (a cache miss, never a crash) when damaged or hostile.
final class ReportCacheTests: XCTestCase {
    private func names(_ n: Int) -> EventNameList {
        var list = EventNameList()
        list.append(EventNameCount(name: "", count: 1, known: false))
        for i in 0 ..< n {
            list.append(EventNameCount(name: i % 7 == 0 ? "Événement \(i) ✓" : "Event \(i)", count: i * 3 + 1, known: i % 5 == 0))
        }
        return list
    }

    private func sample(names n: Int) -> Report {
        var r = Report(now: "2026-11-30T00:00:00Z", eventNames: names(n))
        r.store.files = 2; r.store.lines = 77
        r.store.persons = 5
        return r
    }

    func testAReportReadBackEqualsTheOneSavedWithALargeNameList() throws {
        for n in [0, 1, 100_000] {
            let report = sample(names: n)
            let bytes = try XCTUnwrap(ReportCache.encode(report))
            let back = try XCTUnwrap(ReportCache.decode(bytes), "\(n) names")
            XCTAssertEqual(back, report)
            XCTAssertEqual(back.eventNames.count, n + 1)
            XCTAssertEqual(back.eventNames[n].name, report.eventNames[n].name)
            // The names are held as arrays, not JSON: about 17 bytes per name besides the UTF-8.
            if n == 100_000 { XCTAssertLessThan(bytes.count, n * 40) }
        }
    }

    /// The streamed save (#11.15) hands out exactly the bytes of the one-buffer encoding, in bounded pieces.
    func testTheNameListStreamsTheBytesOfItsOneBufferEncoding() throws {
        let list = names(20_000)
        var whole: [UInt8] = []
        list.appendBinary(to: &whole)
        var streamed: [UInt8] = []
        var pieces = 0
        list.writeBinary { piece in
            pieces += 1
            streamed.append(contentsOf: piece)
        }
        XCTAssertEqual(streamed, whole)
        XCTAssertEqual(list.binaryCount, whole.count)
        XCTAssertGreaterThan(pieces, 3, "the ends, counts and flags come in pieces")
    }

    func testTruncatedOrHostileBytesAreACacheMissNotACrash() throws {
        let report = sample(names: 40)
        let good = try XCTUnwrap(ReportCache.encode(report))
        XCTAssertNotNil(ReportCache.decode(good))
        // Every truncation and one trailing byte.
        for cut in 0 ..< good.count { XCTAssertNil(ReportCache.decode(Array(good[..<cut])), "cut at \(cut)") }
        XCTAssertNil(ReportCache.decode(good + [0]))
        let jsonLength = Int(good.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
        let section = 8 + jsonLength      // where the name list starts: n, arena length, arena, ends, counts, flags
        func patched(_ at: Int, _ value: UInt64) -> [UInt8] {
            var b = good
            withUnsafeBytes(of: value.littleEndian) { for (i, x) in $0.enumerated() { b[at + i] = x } }
            return b
        }
        let n = 41, arena = Int(good.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: section + 8, as: UInt64.self) })
        let ends = section + 16 + arena, counts = ends + 8 * n, flags = counts + 8 * n
        XCTAssertEqual(flags + n, good.count)
        let hostile: [(String, [UInt8])] = [
            ("JSON length past the end", patched(0, UInt64.max)),
            ("JSON length inside the JSON", patched(0, UInt64(jsonLength - 1))),
            ("huge name count", patched(section, UInt64(Int.max))),
            ("name count one more", patched(section, UInt64(n + 1))),
            ("huge arena", patched(section + 8, UInt64.max / 2)),
            ("falling offsets", patched(ends + 8 * 5, 0)),
            ("offset past the arena", patched(ends + 8 * 3, UInt64(arena + 1))),
            ("last offset short of the arena's end", patched(ends + 8 * (n - 1), UInt64(arena - 1))),
            ("negative count", patched(counts + 8 * 2, UInt64.max)),
            ("flag 2", { var b = good; b[flags + 4] = 2; return b }()),
            ("invalid UTF-8", { var b = good; b[section + 16 + 3] = 0xFF; return b }()),
            ("a name ends inside a character", {
                // "Événement 0 ✓" is name 1 (after the empty name): end it one byte into "É".
                patched(ends, 1)
            }()),
        ]
        for (what, bytes) in hostile { XCTAssertTrue(ReportCache.decode(bytes) == nil, what) }
        XCTAssertNil(ReportCache.decode([]))
        XCTAssertNil(ReportCache.decode(nil))
    }

    /// Through the session: the cold cached run computes and saves, the warm one is a report hit (asserted, not
    /// just equal output) and equals the report computed without the cache, thousands of names included.
    func testTheWarmRunUsesTheCacheAndEqualsTheComputedReport() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("earshot-report-cache-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let store = root.appendingPathComponent("store"), cacheDir = root.appendingPathComponent("cache")
        try FileManager.default.createDirectory(at: store, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: cacheDir, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: cacheDir.path)
        var lines: [String] = []
        for i in 0 ..< 3000 {
            let name = i % 11 == 0 ? "Événement ✓ \(i % 1500)" : "Event \(i % 1500)"
            lines.append(#"{"type":"track","event":"\#(name)","userId":"u\#(i % 17)","messageId":"m\#(i)","timestamp":"2026-11-0\#(i % 9 + 1)T10:00:00Z"}"#)
        }
        lines.append(#"{"type":"track","event":"Order Completed","userId":"u1","messageId":"oc","timestamp":"2026-11-02T10:00:00Z"}"#)
        try (lines.joined(separator: "\n") + "\n").write(to: store.appendingPathComponent("events.jsonl"), atomically: true, encoding: .utf8)
        var options = AnalysisOptions()
        options.privacy.minCohort = 0
        func request(cache: Bool) -> StoreRequest {
            StoreRequest(paths: [store.path], options: options, cache: cache ? StoreCache(directory: cacheDir.path) : nil)
        }
        let computed = try StoreSession.load(request(cache: false)).report()
        XCTAssertGreaterThan(computed.eventNames.count, 1500)
        let cold = try StoreSession.load(request(cache: true))
        guard case .rebuilt = cold.cacheOutcome else { return XCTFail("\(cold.cacheOutcome)") }
        XCTAssertEqual(cold.report(), computed)
        let warm = try StoreSession.load(request(cache: true))
        XCTAssertEqual(warm.cacheOutcome, .reportHit)
        XCTAssertTrue(warm.table == nil, "a report hit reads no table")
        XCTAssertEqual(warm.report(), computed)
    }
}
