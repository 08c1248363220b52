import Foundation
import XCTest

/// The privacy guards through the real binary: on by default, `--min-cohort`, `--reveal`, `snapshot`.
final class PrivacyCLITests: XCTestCase {
    /// Two persons, one of them named in an event name and a survey answer.
    func smallStore() throws -> String {
        try Fixture.store(lines: [
            Fixture.track("m1", user: "u1", event: "Survey Shown", properties: #"{"survey_id":"s","channel":"chat"}"#,
                          consent: #"{"Analytics":true}"#),
            Fixture.track("m2", user: "u1", event: "Survey Sent", time: "2026-11-02T10:01:00Z",
                          properties: #"{"survey_id":"s","channel":"chat","survey_response":"mail me at anna@example.com"}"#),
            Fixture.track("m3", user: "u2", event: "Callback for +49 170 1234512", consent: #"{"Analytics":false}"#),
        ])
    }

    func testReportIsPrivateByDefault() throws {
        let r = try Earshot.run(["report", try smallStore(), "--format", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let store = try XCTUnwrap(json["store"] as? [String: Any])
        XCTAssertEqual((store["persons"] as? [String: Any])?["suppressed"] as? Bool, true)
        XCTAssertEqual(store["events"] as? Int, 3, "pipeline counts stay exact")
        let privacy = try XCTUnwrap(json["privacy"] as? [String: Any])
        XCTAssertEqual(privacy["min_cohort"] as? Int, 5)
        XCTAssertEqual(privacy["pii_masked"] as? Bool, true)
        XCTAssertFalse(r.stdout.contains("1234512"), r.stdout)
        XCTAssertTrue(r.stdout.contains("Callback for +49 •••• ••12"), r.stdout)
        XCTAssertFalse(r.stdout.contains("anna"), "free text is aggregate only")

        let text = try Earshot.run(["report", try smallStore()])
        XCTAssertTrue(text.stdout.contains("persons         <5"), text.stdout)
        XCTAssertTrue(text.stdout.contains("minimum cohort 5; personal data masked"), text.stdout)
    }

    func testMinCohortAndReveal() throws {
        let dir = try smallStore()
        let open = try Earshot.run(["report", dir, "--format", "csv", "--min-cohort", "0", "--reveal"])
        XCTAssertEqual(open.status, 0, open.stderr)
        XCTAssertTrue(open.stdout.contains("store,,persons,2\n"), open.stdout)
        XCTAssertTrue(open.stdout.contains("event_name,Callback for +49 170 1234512,count,1\n"), open.stdout)
        XCTAssertTrue(open.stdout.contains("privacy,,pii_masked,false\n"))
        let strict = try Earshot.run(["report", dir, "--format", "csv", "--min-cohort", "3"])
        XCTAssertTrue(strict.stdout.contains("store,,persons,<3\n"), strict.stdout)
        let bad = try Earshot.run(["report", dir, "--min-cohort=-1"])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.hasPrefix("Error: The value '-1' is invalid for '--min-cohort <K>'\n"), bad.stderr)
        XCTAssertTrue(bad.stderr.contains("Usage: earshot report"), bad.stderr)
    }

    func testSnapshotWritesAViewWithTheGuards() throws {
        let dir = try smallStore()
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("earshot-snap-\(UUID().uuidString).svg").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let r = try Earshot.run(["snapshot", dir, "--view", "data", "--format", "svg", "--size", "100x30",
                                 "--theme", Fixture.repoRoot + "/Themes/presentation.theme", "-o", out])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stderr, "earshot: wrote \(out)\n")
        let svg = try String(contentsOfFile: out, encoding: .utf8)
        XCTAssertTrue(svg.hasPrefix("<?xml"))
        XCTAssertTrue(svg.contains("width=\"1000\" height=\"600\""))
        XCTAssertTrue(svg.contains("#ffffff"), "the presentation theme's paper")
        XCTAssertFalse(svg.contains("1234512"))

        let txt = try Earshot.run(["snapshot", dir, "--view", "overview", "--size", "80x24"])
        XCTAssertEqual(txt.status, 0, txt.stderr)
        let lines = txt.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines.count, 25, "24 rows and the final newline")
        XCTAssertTrue(lines[2].contains("persons <5"), String(lines[2]))

        let bad = try Earshot.run(["snapshot", dir, "--size", "12by4"])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.hasPrefix("Error: The value '12by4' is invalid for '--size <size>'\n"), bad.stderr)
        XCTAssertTrue(bad.stderr.contains("COLSxROWS (40x10 to 400x200)"), bad.stderr)
    }

    func testDemoNeedsATerminal() throws {
        let r = try Earshot.run(["demo"], environment: ["TERM": "xterm-256color"], currentDirectory: Fixture.repoRoot)
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("earshot snapshot"), r.stderr)
    }
}
