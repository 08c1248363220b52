import XCTest
import Foundation
import EarshotTestSupport

/// Issue #13 "On call" items 1–5: `earshot check` names what it checked, answers every usage error
/// as UNKNOWN, states its reference time and formats numbers for people; one usage exit code elsewhere.
final class OnCallTests: XCTestCase {
    var dir: TempDir!
    var earshot: String!
    var cache: TempDir!

    override func setUpWithError() throws {
        let bin = try Binary.requireEarshot()
        earshot = bin
        dir = TempDir()
        cache = TempDir("earshot-oncall-cache")
        // Three persons: Personalization coverage 2/3 = 0.6666666666666666.
        dir.write("store/events.jsonl", [
            SampleEvents.track("u1", "2026-03-02T09:00:00Z", personalization: true),
            SampleEvents.track("u2", "2026-03-02T10:00:00Z", personalization: false),
            SampleEvents.track("u3", "2026-03-03T11:00:00Z", personalization: true),
        ].joined(separator: "\n") + "\n")
    }

    var environment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["XDG_CACHE_HOME"] = cache.path
        return env
    }

    func run(_ args: [String], in directory: String? = nil) throws -> Binary.Result {
        guard let directory else { return try Binary.run(earshot, args, environment: environment, timeout: 60) }
        // Run through /bin/sh to set the working directory (posix_spawn has no chdir action everywhere).
        let quoted = ([earshot] + args).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        return try Binary.run("/bin/sh", ["-c", "cd '\(directory)' && exec \(quoted)"], environment: environment, timeout: 60)
    }

    var store: String { dir.path + "/store" }

    // MARK: #13.1 no store, and the store and reference time on the first line

    func testCheckWithoutAStoreIsUnknownNotExampleData() throws {
        // Run where ExampleData is found: today this checks the bundled example store and says OK.
        let r = try run(["check", "--rule", "store.events > 0"], in: Binary.packageRoot)
        XCTAssertEqual(r.status, 3, r.stdout)
        XCTAssertTrue(r.stdout.hasPrefix("EARSHOT UNKNOWN - no store given"), r.stdout)
        XCTAssertFalse(r.stdout.contains("ExampleData"), r.stdout)
    }

    func testFirstLineNamesStoreAndReferenceTimeInEveryState() throws {
        let ok = try run(["check", store, "--now", "2026-03-03T11:10:00Z", "--min-cohort", "0", "--rule", "store.persons == 3"])
        XCTAssertEqual(ok.status, 0, ok.stdout)
        let okLine = String(ok.stdout.split(separator: "\n")[0])
        XCTAssertTrue(okLine.hasPrefix("EARSHOT OK - \(store) as of 2026-03-03T11:10:00Z: 1 rule ok |"), okLine)

        let crit = try run(["check", store, "--now", "2026-03-03T11:10:00Z", "--min-cohort", "0", "--rule", "store.persons > 3"])
        XCTAssertEqual(crit.status, 2, crit.stdout)
        XCTAssertTrue(crit.stdout.hasPrefix("EARSHOT CRITICAL - \(store) as of 2026-03-03T11:10:00Z: 1 critical:"), crit.stdout)

        let unreadable = try run(["check", dir.path + "/missing", "--now", "2026-03-03T11:10:00Z", "--rule", "store.events > 0"])
        XCTAssertEqual(unreadable.status, 3, unreadable.stdout)
        XCTAssertTrue(unreadable.stdout.hasPrefix("EARSHOT UNKNOWN - \(dir.path)/missing as of 2026-03-03T11:10:00Z: cannot read the store: no such file or directory"), unreadable.stdout)

        let noRules = try run(["check", store, "--now", "2026-03-03T11:10:00Z"])
        XCTAssertEqual(noRules.status, 3)
        XCTAssertTrue(noRules.stdout.hasPrefix("EARSHOT UNKNOWN - \(store) as of 2026-03-03T11:10:00Z: no rules to check"), noRules.stdout)
    }

    // MARK: #13.2 usage errors of check are UNKNOWN on stdout

    func testEveryUsageErrorOfCheckIsUnknownWithExit3() throws {
        let cases: [([String], String)] = [
            (["--bogus"], "--bogus"),
            (["--rule"], "--rule"),
            (["--window", "7x", "--rule", "store.events > 0"], "7x"),
            (["--now", "yesterday", "--rule", "store.events > 0"], "yesterday"),
            (["--min-cohort=-3", "--rule", "store.events > 0"], "-3"),
            (["--min-cohort", "many", "--rule", "store.events > 0"], "many"),
        ]
        for (args, mention) in cases {
            let r = try run(["check", store] + args)
            XCTAssertEqual(r.status, 3, "\(args): \(r.stdout) \(r.stderr)")
            let first = String(r.stdout.split(separator: "\n").first ?? "")
            XCTAssertTrue(first.hasPrefix("EARSHOT UNKNOWN - "), "\(args): \(r.stdout)")
            XCTAssertTrue(first.contains(mention), "\(args): \(first)")
            XCTAssertFalse(first.contains("cannot read the store"), "a flag error is never blamed on the store: \(first)")
            XCTAssertEqual(r.stderr, "", "\(args)")
        }
        // Help is still help.
        let help = try run(["check", "--help"])
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.stdout.contains("USAGE: earshot check"), help.stdout)
    }

    // MARK: #13.3 one usage exit code, errors from the argument parser with the usage line

    func testUsageErrorsOfOtherCommandsExitWith2AndShowUsage() throws {
        let cases: [[String]] = [
            ["report", store, "--bogus"],
            ["report", store, "--window", "7x"],
            ["report", store, "--window", "0d"],
            ["report", store, "--now", "2026-11-20T00:00:00"],
            ["report", store, "--min-cohort=-1"],
            ["report", store, "--format", "xml"],
            ["snapshot", store, "--size", "7x2"],
            ["demo", store, "--step", "0"],
            ["segments", "check"],
            ["example-data", "--persons", "lots"],
        ]
        for args in cases {
            let r = try run(args)
            XCTAssertEqual(r.status, 2, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("Usage: earshot"), "\(args): \(r.stderr)")
            XCTAssertEqual(r.stdout, "", "\(args)")
        }
        let window = try run(["report", store, "--window", "7x"])
        XCTAssertTrue(window.stderr.contains("'7x'") && window.stderr.contains("--window"), window.stderr)
    }

    // MARK: #13.4 the reference time is printed and documented

    func testReferenceTimeIsPrintedAndItsDefaultDocumented() throws {
        // Without --now: the wall clock (the store is from March 2026, so the wall clock is later).
        let r = try run(["check", store, "--min-cohort", "0", "--rule", "store.persons == 3"])
        XCTAssertEqual(r.status, 0, r.stdout)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines[0].contains(" as of "), lines[0])
        XCTAssertTrue(lines.contains { $0.hasPrefix("reference time: ") && $0.contains("wall clock")
            && $0.contains("newest event 2026-03-03T11:00:00Z") }, r.stdout)
        let help = try run(["check", "--help"])
        let flat = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        XCTAssertTrue(flat.contains("for check: the wall clock, or the newest event if that is later"), help.stdout)
        XCTAssertTrue(flat.contains("`earshot report` and the dashboard measure from the newest event"), help.stdout)
        let reportHelp = try run(["report", "--help"])
        let reportFlat = reportHelp.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        XCTAssertTrue(reportFlat.contains("Default: the newest event"), reportHelp.stdout)
        let docs = try String(contentsOfFile: Binary.packageRoot + "/docs/ONCALL.md", encoding: .utf8)
        XCTAssertTrue(docs.contains("reference time"), "docs/ONCALL.md explains the reference time")
    }

    // MARK: #13.5 numbers for people in the message, full precision in perfdata

    func testRatesAndDurationsAreFormattedForPeople() throws {
        let r = try run(["check", store, "--now", "2026-03-12T20:00:00Z", "--min-cohort", "0",
                         "--rule", "consent.Personalization.coverage >= 0.5", "--warn", "store.last_event_age <= 1d"])
        XCTAssertEqual(r.status, 1, r.stdout)
        XCTAssertTrue(r.stdout.contains("OK: consent.Personalization.coverage = 0.667 (66.7%) >= 0.5\n"), r.stdout)
        XCTAssertTrue(r.stdout.contains("'consent.Personalization.coverage'=0.6666666666666666;;0.5:;0;1"), r.stdout)
        XCTAssertTrue(r.stdout.contains("store.last_event_age = 810000s (9d 9h), not <= 1d (86400s)"), r.stdout)
        // Rounding never makes a failing value look like it meets the threshold.
        let close = try run(["check", store, "--now", "2026-03-12T20:00:00Z", "--min-cohort", "0",
                             "--rule", "consent.Personalization.coverage >= 0.6667"])
        XCTAssertEqual(close.status, 2, close.stdout)
        XCTAssertTrue(close.stdout.contains("consent.Personalization.coverage = 0.66667 (66.7%), not >= 0.6667"), close.stdout)
    }
}

/// Issue #13.7: the empty-segments hint names `--segments FILE` and where earshot looked.
final class EmptySegmentsHintTests: XCTestCase {
    func testHintNamesTheFlagAndWhereEarshotLooked() throws {
        let earshot = try Binary.requireEarshot()
        let dir = TempDir()
        let cache = TempDir("earshot-hint-cache")
        dir.write("store/events.jsonl", SampleEvents.track("u1", "2026-03-02T09:00:00Z") + "\n")
        var env = ProcessInfo.processInfo.environment
        env["XDG_CACHE_HOME"] = cache.path
        for view in ["segments", "overview"] {
            let r = try Binary.run(earshot, ["snapshot", dir.path + "/store", "--view", view, "--size", "200x40"],
                                   environment: env, timeout: 60)
            XCTAssertEqual(r.status, 0, r.stderr)
            let flat = r.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            XCTAssertFalse(r.stdout.contains("--rules"), "\(view): \(r.stdout)")
            XCTAssertTrue(flat.contains("--segments FILE"), "\(view): \(r.stdout)")
            if view == "segments" {
                XCTAssertTrue(flat.contains("no *.segments file in \(dir.path)/store"), "\(view): \(r.stdout)")
            } else {  // wrapped in the Top segments box, beside another box
                XCTAssertTrue(flat.contains("*.segments file in"), r.stdout)
                XCTAssertTrue(flat.contains("\(dir.path)/store"), r.stdout)
            }
        }
    }
}
