import Foundation
import XCTest
import EarshotTestSupport

/// Runs the real `earshot` binary as a person or a script would.
final class CLITests: XCTestCase {
    func testMissingPathIsOneLineErrorWithExitCode1() throws {
        let r = try Earshot.run(["report", "/nonexistent/store"])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr, "earshot: error: no such file or directory: /nonexistent/store\n")
        XCTAssertEqual(r.stdout, "")
    }

    /// `--assume-utc` (issue #10 item 11) on RudderStack's AppsFlyer payload, whose time has no zone.
    func testAssumeUTCReadsZonelessTimes() throws {
        let line = #"{"type":"track","event":"My Apps","userId":"alex@example.com","timestamp":"2020-01-15 14:57:24.898","anonymousId":"97fcd7b2-cc24-47d7-b776-057b7b199513"}"#
        let dir = try Fixture.store(lines: [line])
        let strict = try Earshot.run(["report", dir, "--format", "csv"])
        XCTAssertEqual(strict.status, 0, strict.stderr)
        XCTAssertTrue(strict.stdout.contains("store,,events,0\n"), strict.stdout)
        XCTAssertTrue(strict.stdout.contains("(use --assume-utc to read such times as UTC)"), strict.stdout)
        let utc = try Earshot.run(["report", dir, "--format", "csv", "--assume-utc"])
        XCTAssertEqual(utc.status, 0, utc.stderr)
        XCTAssertTrue(utc.stdout.contains("store,,events,1\n"), utc.stdout)
        XCTAssertTrue(utc.stdout.contains("store,,first_event,2020-01-15T14:57:24.898Z\n"), utc.stdout)
    }

    func testBadWindowIsUsageError() throws {
        let dir = try Fixture.store(lines: [Fixture.track("m1", user: "u1", event: "Order Completed")])
        let r = try Earshot.run(["report", dir, "--window", "7x"])
        XCTAssertEqual(r.status, 2)
        // The argument parser's message, the flag's help (what a duration looks like) and the usage line.
        XCTAssertTrue(r.stderr.hasPrefix("Error: The value '7x' is invalid for '--window <duration>'\n"), r.stderr)
        XCTAssertTrue(r.stderr.contains("a number followed by m, h, d or w"), r.stderr)
        XCTAssertTrue(r.stderr.contains("Usage: earshot report"), r.stderr)
    }

    func testBadNowIsUsageError() throws {
        let dir = try Fixture.store(lines: [Fixture.track("m1", user: "u1", event: "Order Completed")])
        let r = try Earshot.run(["report", dir, "--now", "2026-11-20T00:00:00"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.hasPrefix("Error: The value '2026-11-20T00:00:00' is invalid for '--now <time>'\n"), r.stderr)
        XCTAssertTrue(r.stderr.contains("Usage: earshot report"), r.stderr)
    }

    func testSegmentsCheckReportsPositionAndCaret() throws {
        let file = try Fixture.file(named: "bad.segments", contents: "segment \"A\":\n    dod \"x\"\n")
        let r = try Earshot.run(["segments", "check", file])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr, """
            earshot: error: invalid segment rules:
            \(file):2:5: unknown keyword 'dod' — did you mean 'did'?
                dod "x"
                ^

            """)
    }

    func testSegmentsCheckAcceptsTheExampleRules() throws {
        let r = try Earshot.run(["segments", "check", Fixture.repoRoot + "/ExampleData/shop.segments"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasSuffix("ok — 11 segments, 2 scores, 2 loops, 2 journeys\n"), r.stdout)
    }

    func testReportJSONOnAHandBuiltStore() throws {
        let dir = try Fixture.store(lines: [
            Fixture.track("m1", user: "u1", event: "Survey Shown", time: "2026-11-02T10:00:00Z",
                          properties: #"{"survey_id":"s","channel":"chat"}"#, consent: #"{"Analytics":true}"#),
            Fixture.track("m2", user: "u1", event: "Survey Sent", time: "2026-11-02T10:01:00Z",
                          properties: #"{"survey_id":"s","channel":"chat","score":10}"#),
            Fixture.track("m2", user: "u1", event: "Survey Sent", time: "2026-11-02T10:01:00Z",
                          properties: #"{"survey_id":"s","channel":"chat","score":10}"#),
            "{not json",
            Fixture.track("m3", user: "u2", event: "Survey Shown", time: "2026-11-03T10:00:00Z",
                          properties: #"{"survey_id":"s","channel":"chat"}"#, consent: #"{"Analytics":false}"#),
        ])
        // Two persons: exact figures need the minimum cohort off (PrivacyCLITests checks the default).
        let r = try Earshot.run(["report", dir, "--format", "json", "--min-cohort", "0"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let store = try XCTUnwrap(json["store"] as? [String: Any])
        XCTAssertEqual(store["events"] as? Int, 3)
        XCTAssertEqual(store["duplicates"] as? Int, 1)
        XCTAssertEqual(store["malformed"] as? Int, 1)
        XCTAssertEqual(store["persons"] as? Int, 2)
        let consent = try XCTUnwrap(json["consent"] as? [String: Any])
        let analytics = try XCTUnwrap((consent["categories"] as? [[String: Any]])?.first)
        XCTAssertEqual(analytics["granted"] as? Int, 1)
        XCTAssertEqual(analytics["denied"] as? Int, 1)
        XCTAssertEqual(analytics["coverage"] as? Double, 0.5)
        XCTAssertEqual(consent["events_without_consent"] as? Int, 1)
        let feedback = try XCTUnwrap(json["feedback"] as? [String: Any])
        let chat = try XCTUnwrap((feedback["channels"] as? [[String: Any]])?.first)
        XCTAssertEqual(chat["channel"] as? String, "chat")
        XCTAssertEqual(chat["prompts"] as? Int, 2)
        XCTAssertEqual(chat["answered"] as? Int, 1)
        XCTAssertEqual(chat["response_rate"] as? Double, 0.5)
        XCTAssertEqual(chat["median_seconds_to_answer"] as? Double, 60)
        let nps = try XCTUnwrap(feedback["nps"] as? [String: Any])
        XCTAssertEqual(nps["nps"] as? Double, 100)
    }

    func testCSVAndTextFormats() throws {
        let dir = try Fixture.store(lines: [Fixture.track("m1", user: "u1", event: "Order Completed")])
        let csv = try Earshot.run(["report", dir, "--format", "csv", "--min-cohort", "0"])
        XCTAssertEqual(csv.status, 0, csv.stderr)
        XCTAssertTrue(csv.stdout.hasPrefix("section,key,metric,value\n"), csv.stdout)
        XCTAssertTrue(csv.stdout.contains("store,,persons,1\n"), csv.stdout)
        let text = try Earshot.run(["report", dir, "--min-cohort", "0"])
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("persons         1"), text.stdout)
    }

    func testDashboardWithoutATerminalPointsAtReport() throws {
        let dir = try Fixture.store(lines: [Fixture.track("m1", user: "u1", event: "Order Completed")])
        let r = try Earshot.run([dir], environment: ["TERM": "xterm-256color"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("use `earshot report`"), r.stderr)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1)
    }

    func testNoArgumentsReadsExampleDataFromTheRepository() throws {
        let r = try Earshot.run(["report", "--format", "json"], currentDirectory: Fixture.repoRoot)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("\"segments\""))
    }
}

/// The built binary and a way to run it.
enum Earshot {
    typealias Result = Binary.Result

    /// Runs the built `earshot` with `arguments` through the shared runner (output to files, stdin /dev/null, killed
    /// after `timeout` seconds — a hung binary fails the test instead of holding it up), `NO_COLOR` unset, the test
    /// run's own cache home, and `environment` on top.
    static func run(_ arguments: [String], environment: [String: String] = [:],
                    currentDirectory: String? = nil, timeout: TimeInterval = 120) throws -> Result {
        var env = Binary.testEnvironment
        env["NO_COLOR"] = nil
        for (k, v) in environment { env[k] = v }
        let r = try Binary.run(try Binary.requireEarshot(), arguments, environment: env, in: currentDirectory, timeout: timeout)
        if r.timedOut { XCTFail("earshot \(arguments.joined(separator: " ")) did not finish within \(Int(timeout)) s") }
        return r
    }
}

/// Small stores written to temporary directories.
enum Fixture {
    static let repoRoot: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
    }()

    static func track(_ id: String, user: String, event: String, time: String = "2026-11-02T10:00:00Z",
                      properties: String = "{}", consent: String? = nil) -> String {
        let ctx = consent.map { #","context":{"consent":{"categoryPreferences":\#($0)}}"# } ?? ""
        return #"{"type":"track","messageId":"\#(id)","userId":"\#(user)","event":"\#(event)","timestamp":"\#(time)","properties":\#(properties)\#(ctx)}"#
    }

    static func store(lines: [String]) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("earshot-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try (lines.joined(separator: "\n") + "\n").write(to: dir.appendingPathComponent("events.jsonl"),
                                                         atomically: true, encoding: .utf8)
        return dir.path
    }

    static func file(named name: String, contents: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("earshot-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try contents.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }
}

/// The dashboard's input errors come before the screen changes (and before the terminal check).
final class DashboardInputErrorTests: XCTestCase {
    func testMissingPathIsOneLineErrorNotADashboard() throws {
        let r = try Earshot.run(["/nonexistent/store"])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr, "earshot: error: no such file or directory: /nonexistent/store\n")
    }

    func testBadThemeNamesFileAndLine() throws {
        let dir = try Fixture.store(lines: [Fixture.track("m1", user: "u1", event: "Order Completed")])
        let theme = try Fixture.file(named: "bad.theme", contents: "palette.accent = #12345\n")
        let r = try Earshot.run([dir, "--theme", theme])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr, "earshot: error: \(theme):1: bad hex color '#12345'; expected # and six hex digits, like #5fafff\n")
    }
}
