import XCTest
import Foundation
import EarshotTestSupport

/// `earshot cache` and `earshot cache clear`, and that tests never use the real ~/.cache/earshot.
final class CacheCommandTests: XCTestCase {
    func testClearRemovesWhatAReportCachedAndInfoCountsIt() throws {
        let bin = try Binary.requireEarshot()
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("earshot-cachecmd-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: home) }
        var env = Binary.testEnvironment
        env["XDG_CACHE_HOME"] = home
        let report = try Binary.run(bin, ["report", Binary.packageRoot + "/ExampleData", "--format", "json"], environment: env)
        XCTAssertEqual(report.status, 0, report.stderr)
        let entries = try FileManager.default.contentsOfDirectory(atPath: home + "/earshot").filter { $0.hasSuffix(".table") || $0.hasSuffix(".result") }
        XCTAssertEqual(entries.count, 2, "a report caches its table and its result: \(entries)")

        let info = try Binary.run(bin, ["cache"], environment: env)
        XCTAssertEqual(info.status, 0, info.stderr)
        XCTAssertTrue(info.stdout.hasPrefix(home + "/earshot: 2 entries, "), info.stdout)

        let clear = try Binary.run(bin, ["cache", "clear"], environment: env)
        XCTAssertEqual(clear.status, 0, clear.stderr)
        XCTAssertTrue(clear.stdout.hasPrefix("removed 2 entries"), clear.stdout)
        let left = try FileManager.default.contentsOfDirectory(atPath: home + "/earshot").filter { $0.hasSuffix(".table") || $0.hasSuffix(".result") }
        XCTAssertEqual(left, [])
    }

    func testTheTestRunnersCacheIsNotTheUsersCache() {
        let cache = Binary.testEnvironment["XDG_CACHE_HOME"] ?? ""
        XCTAssertTrue(cache.hasPrefix(FileManager.default.temporaryDirectory.path), cache)
        if let home = ProcessInfo.processInfo.environment["HOME"] { XCTAssertFalse(cache.hasPrefix(home + "/.cache")) }
    }
}
