import Foundation
import XCTest
import EarshotTestSupport

/// The cached full report of `earshot report`: reused only for the same store, rules text and options.
final class ReportCacheCLITests: XCTestCase {
    private func results(_ cacheHome: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: cacheHome + "/earshot")) ?? []).filter { $0.hasSuffix(".result") }
    }

    func testReportIsCachedAndInvalidatedByRulesOptionsAndStore() throws {
        let dir = try Fixture.store(lines: [
            Fixture.track("m1", user: "u1", event: "Order Completed", time: "2026-11-02T10:00:00Z"),
            Fixture.track("m2", user: "u2", event: "Viewed", time: "2026-11-03T10:00:00Z"),
        ])
        let rules = try Fixture.file(named: "r.segments", contents: "segment \"Buyers\":\n    did \"Order Completed\"\n")
        let temp = TempDir("earshot-report-cache")
        let home = temp.path("home")
        let env = ["XDG_CACHE_HOME": home]
        let fromCache = "earshot: cache: report from the cache\n", computed = "earshot: cache: report computed"
        /// The report, after checking that `--explain-cache` says it came from where `expect` says (a binary that
        /// ignored its cache would compute every time and fail here, even with equal output).
        func report(_ extra: [String] = [], expect: String = "earshot: cache: report computed",
                    line: UInt = #line) throws -> String {
            let r = try Earshot.run(["report", dir, "--format", "json", "--min-cohort", "0", "--segments", rules, "--explain-cache"] + extra,
                                    environment: env)
            XCTAssertEqual(r.status, 0, r.stderr, line: line)
            XCTAssertTrue(r.stderr.hasPrefix(expect), "expected \(expect.debugDescription), got \(r.stderr.debugDescription)", line: line)
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr, line: line)
            return r.stdout
        }
        let cold = try report(expect: computed)
        XCTAssertTrue(cold.contains("\"Buyers\""))
        XCTAssertEqual(results(home).count, 1)
        // Served from the cache: byte for byte the same, no new result file, and said so.
        XCTAssertEqual(try report(expect: fromCache), cold)
        XCTAssertEqual(results(home).count, 1)
        // Options change the key: another result file, another report (the table itself comes from its cache).
        let windowed = try report(["--window", "1h"], expect: computed + " (table: cache hit)")
        XCTAssertEqual(results(home).count, 2)
        XCTAssertNotEqual(windowed, cold)
        _ = try report(["--min-cohort", "3"])
        _ = try report(["--reveal"])
        _ = try report(["--now", "2026-11-20T00:00:00Z"])
        _ = try report(["--analytics-category", "Marketing"])
        XCTAssertEqual(results(home).count, 6)
        // The rules text is part of the key (same file name, new contents).
        try "segment \"Lookers\":\n    did \"Viewed\"\n".write(toFile: rules, atomically: false, encoding: .utf8)
        let relabelled = try report(expect: computed)
        XCTAssertTrue(relabelled.contains("\"Lookers\""), relabelled)
        XCTAssertFalse(relabelled.contains("\"Buyers\""))
        XCTAssertEqual(results(home).count, 7)
        // The store grew: recomputed (3 events now), same key so the file is replaced.
        let h = FileHandle(forWritingAtPath: dir + "/events.jsonl")!
        h.seekToEndOfFile()
        h.write(Data((Fixture.track("m3", user: "u3", event: "Viewed", time: "2026-11-04T10:00:00Z") + "\n").utf8))
        h.closeFile()
        let grown = try report(expect: computed)
        XCTAssertTrue(grown.contains("\"events\" : 3") || grown.contains("\"events\":3"), grown)
        XCTAssertEqual(results(home).count, 7)
        XCTAssertEqual(try report(expect: fromCache), grown)
        // --no-cache neither reads nor writes.
        try FileManager.default.removeItem(atPath: home)
        XCTAssertEqual(try report(["--no-cache"], expect: computed + " (table: cache not used)"), grown)
        XCTAssertFalse(FileManager.default.fileExists(atPath: home))
    }

    /// Issue 11.8: a cache directory another user could write is refused with one warning line, and
    /// the run is the same as with `--no-cache` (nothing read from or written to that directory).
    func testAnUntrustedCacheDirectoryIsRefusedWithOneWarning() throws {
        let dir = try Fixture.store(lines: [Fixture.track("m1", user: "u1", event: "Viewed", time: "2026-11-02T10:00:00Z")])
        let temp = TempDir("earshot-untrusted-cache")
        let home = temp.path("home")
        try FileManager.default.createDirectory(atPath: home + "/earshot", withIntermediateDirectories: true)
        XCTAssertEqual(chmod(home + "/earshot", 0o777), 0)
        for command in [["report", dir, "--format", "json"], ["check", dir, "--rule", "store.events >= 1", "--now", "2026-11-03T00:00:00Z"]] {
            let r = try Earshot.run(command, environment: ["XDG_CACHE_HOME": home])
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertEqual(r.stderr, "earshot: warning: not using the cache directory \(home)/earshot: writable by others "
                           + "(mode 777); running without the cache\n")
            let uncached = try Earshot.run(command + ["--no-cache"], environment: ["XDG_CACHE_HOME": home])
            XCTAssertEqual(r.stdout, uncached.stdout)
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: home + "/earshot"), [])
        }
    }

    /// A home directory that does not exist (`HOME=/nonexistent` for a service account): no cache,
    /// no warning, and no directory created there.
    func testAMissingHomeMeansNoCacheSilently() throws {
        let dir = try Fixture.store(lines: [Fixture.track("m1", user: "u1", event: "Viewed", time: "2026-11-02T10:00:00Z")])
        let temp = TempDir("earshot-no-home")
        let missing = temp.path("missing")
        let r = try Earshot.run(["check", dir, "--rule", "store.events >= 1"],
                                environment: ["HOME": missing + "/home", "XDG_CACHE_HOME": ""])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertEqual(r.stderr, "")
        XCTAssertFalse(FileManager.default.fileExists(atPath: missing))
    }
}
