import Analytics
import EarshotApp
import EventStore
import Foundation
import XCTest
import EarshotTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// #11.15: a store read leaves no freed large array resident. Before, glibc raised its mmap threshold after the first
/// large block was freed, so the later columns and report arrays came from its heaps and stayed resident once freed:
/// the 1 M-distinct-name store peaked at 1.96× (uncached) to 2.2× (cold cached) of its size, though the live arrays
/// were far smaller. Measured in resident pages of the freed array itself (`mincore`), never in time.
final class AllocatorPolicyTests: XCTestCase {
    /// Resident bytes of the pages holding `bytes` at `pointer` (`mincore`), or nil when the range is no longer mapped
    /// (its pages were given back to the system). A figure about these pages alone: other threads allocating or
    /// freeing meanwhile cannot move it, unlike the process's resident size.
    private func residentBytes(_ pointer: UnsafeMutableRawPointer, _ bytes: Int) -> Int? {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = Int(bitPattern: pointer) & ~(page - 1)
        let length = Int(bitPattern: pointer) + bytes - start
        var pages = [UInt8](repeating: 0, count: (length + page - 1) / page)
        guard mincore(UnsafeMutableRawPointer(bitPattern: start), length, &pages) == 0 else { return nil }
        return pages.reduce(0) { $0 + Int($1 & 1) } * page
    }

    /// The probe runs in a fresh process (this test binary again, filtered to this one test, with
    /// `EARSHOT_ALLOCATOR_PROBE=1`): in the shared test process, a large block an earlier test freed into glibc's heap
    /// before any load pinned the thresholds can serve the probe's 16 MiB from that heap hole, whatever the policy.
    func testAfterALoadAFreedLargeArrayIsGivenBackToTheSystem() throws {
        #if canImport(Glibc)
        if ProcessInfo.processInfo.environment["EARSHOT_ALLOCATOR_PROBE"] == "1" { return try probe() }
        let me = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        var env = Binary.testEnvironment
        env["EARSHOT_ALLOCATOR_PROBE"] = "1"
        let name = "EarshotAppTests.AllocatorPolicyTests/testAfterALoadAFreedLargeArrayIsGivenBackToTheSystem"
        let r = try Binary.run(me, [name], environment: env, timeout: 120)
        let output = r.stdout + r.stderr
        XCTAssertFalse(r.timedOut, "the probe process timed out")
        XCTAssertTrue(output.contains("Executed 1 test"), "the probe process ran exactly this test: \(output.suffix(2000))")
        XCTAssertEqual(r.status, 0, "the probe failed in a fresh process: \(output.suffix(2000))")
        #else
        throw XCTSkip("glibc only")
        #endif
    }

    #if canImport(Glibc)
    /// The probe itself, in the fresh process.
    private func probe() throws {
        // Any load pins the allocator's thresholds first (the CLI, the dashboard and the follower all load this way).
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("earshot-alloc-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try (#"{"type":"track","event":"A","userId":"u1","messageId":"m1","timestamp":"2026-11-01T10:00:00Z"}"# + "\n")
            .write(to: root.appendingPathComponent("e.jsonl"), atomically: true, encoding: .utf8)
        let loaded = try StoreSession.load(StoreRequest(paths: [root.path], rulesPath: nil, options: AnalysisOptions(), cache: nil))
        XCTAssertEqual(loaded.report().store.events, 1)

        let mib = 1 << 20
        func touched(_ bytes: Int) -> UnsafeMutableRawPointer {
            let p = malloc(bytes)!
            memset(p, 1, bytes)
            return p
        }
        // A large block freed: glibc's dynamic threshold would now rise to its size (24 MiB)…
        free(touched(24 * mib))
        // … so that a 16 MiB array (a column, the report's name arena) came from the heap, below a later small block:
        // freed, it stayed resident. Pinned, it has a mapping of its own and freeing it returns its pages.
        let column = touched(16 * mib)
        let later = touched(64 << 10)
        defer { free(later) }
        let whileLive = residentBytes(column, 16 * mib)
        XCTAssertGreaterThanOrEqual(whileLive ?? 0, 15 * mib, "the touched column's pages are resident while it is live")
        free(column)
        // Given back: the range is no longer mapped (mincore fails), or a mapping made since holds none of its pages.
        let after = residentBytes(column, 16 * mib)
        if after == nil || after! < 4 * mib { return }
        XCTFail("a freed 16 MiB array stays resident: \(after! / mib) MiB of its pages (the allocator's thresholds are not pinned)")
    }
    #endif
}
