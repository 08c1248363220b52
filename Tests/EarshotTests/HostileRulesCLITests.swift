import Foundation
import XCTest

/// Issue 11.2 end to end: a store carrying its own machine-made `*.segments` (read automatically)
/// with deep nesting makes every command fail with one positioned error, never crash; long flat
/// chains are simply evaluated.
final class HostileRulesCLITests: XCTestCase {
    func testDeepNestingInTheStoresOwnRulesIsAnErrorNotACrash() throws {
        let dir = try Fixture.store(lines: [Fixture.track("m1", user: "u1", event: "x")])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let rules = "segment \"Deep\": " + String(repeating: "(", count: 10_000) + "did \"x\"" + String(repeating: ")", count: 10_000) + "\n"
        try rules.write(toFile: dir + "/store.segments", atomically: true, encoding: .utf8)
        let report = try Earshot.run(["report", dir, "--no-cache"])
        XCTAssertEqual(report.status, 1, report.stderr.prefix(300) + "")
        XCTAssertTrue(report.stderr.hasPrefix("earshot: error: invalid segment rules:\n\(dir)/store.segments:1:117: nested too deeply (limit 100)\n"),
                      String(report.stderr.prefix(300)))
        let check = try Earshot.run(["check", dir, "--no-cache", "--rule", "store.events >= 1"])
        XCTAssertEqual(check.status, 3, "UNKNOWN, not a crash: " + check.stdout.prefix(300))
        XCTAssertTrue(check.stdout.hasPrefix("EARSHOT UNKNOWN"), String(check.stdout.prefix(300)))
    }

    func testLongChainsInTheStoresOwnRulesAreEvaluated() throws {
        let dir = try Fixture.store(lines: [Fixture.track("m1", user: "u1", event: "x")])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let ands = Array(repeating: "did \"x\"", count: 75_000).joined(separator: " and ")
        let plus = Array(repeating: "count(\"x\")", count: 13_100).joined(separator: " + ")
        try "segment \"Long\": \(ands) and s >= 13100\nscore s = \(plus)\n".write(toFile: dir + "/store.segments", atomically: true, encoding: .utf8)
        let r = try Earshot.run(["check", dir, "--no-cache", "--rule", "segment[\"Long\"].size == 1", "--min-cohort", "0"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
    }
}
