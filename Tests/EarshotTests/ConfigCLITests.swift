import Foundation
import XCTest
import EarshotTestSupport

/// `earshot.yaml` and `--config` through the real binary: found in the store, flags win, errors are one line
/// with the usage exit code, and the file is part of the report cache's key.
final class ConfigCLITests: XCTestCase {
    func testStoreConfigFlagsErrorsAndCache() throws {
        let dir = try Fixture.store(lines: [
            Fixture.track("m1", user: "u1", event: "Feedback Requested", time: "2026-11-02T10:00:00Z",
                          properties: #"{"form":"f1","medium":"text"}"#, consent: #"{"C0002":false}"#),
            Fixture.track("m2", user: "u1", event: "Feedback Given", time: "2026-11-02T11:00:00Z",
                          properties: #"{"form":"f1","stars":4}"#),
        ])
        let temp = TempDir("earshot-config-cli")
        let home = temp.path("home")
        let env = ["XDG_CACHE_HOME": home]
        func json(_ extra: [String] = []) throws -> [String: Any] {
            let r = try Earshot.run(["report", dir, "--format", "json", "--min-cohort", "0"] + extra, environment: env)
            XCTAssertEqual(r.status, 0, r.stderr)
            return try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        }
        // Without a configuration the shop's names mean nothing, and "Analytics" is on no event.
        var r = try json()
        var feedback = r["feedback"] as! [String: Any]
        XCTAssertEqual((feedback["total"] as! [String: Any])["prompts"] as? Int, 0)
        var consent = r["consent"] as! [String: Any]
        XCTAssertTrue((consent["analytics_category_note"] as? String)?.contains("C0002") == true)

        // earshot.yaml at the top of the store is read.
        try """
            analytics_category: C0002
            channels: {text: sms}
            feedback:
              prompt_events: Feedback Requested
              answer_events: Feedback Given
              survey_id_fields: form
              channel_fields: medium
              score_fields: stars
            surveys:
              f1:
                questions: [{id: stars, type: rating, scale: 5}]
            """.write(toFile: dir + "/earshot.yaml", atomically: true, encoding: .utf8)
        r = try json()
        feedback = r["feedback"] as! [String: Any]
        let total = feedback["total"] as! [String: Any]
        XCTAssertEqual(total["prompts"] as? Int, 1)
        XCTAssertEqual(total["answered"] as? Int, 1)
        XCTAssertEqual((feedback["channels"] as! [[String: Any]]).map { $0["channel"] as! String }, ["sms"])
        XCTAssertEqual((feedback["nps"] as! [String: Any])["scored"] as? Int, 0)   // a 1–5 rating is not NPS
        consent = r["consent"] as! [String: Any]
        XCTAssertEqual(consent["analytics_category"] as? String, "C0002")
        XCTAssertTrue(consent["analytics_category_note"] is NSNull)
        XCTAssertEqual(consent["events_without_consent"] as? Int, 2)

        // The flag wins over the file.
        r = try json(["--analytics-category", "Analytics"])
        XCTAssertEqual((r["consent"] as! [String: Any])["analytics_category"] as? String, "Analytics")

        // Another file with --config, and a changed file: never the cached report of the old one.
        let other = try Fixture.file(named: "other.yaml", contents: "feedback:\n  prompt_events: []\n  answer_events: Feedback Given\n")
        r = try json(["--config", other])
        XCTAssertEqual(((r["feedback"] as! [String: Any])["total"] as! [String: Any])["prompts"] as? Int, 0)
        XCTAssertEqual((r["feedback"] as! [String: Any])["responses"] as? Int, 1)
        try "analytics_category: Analytics\n".write(toFile: dir + "/earshot.yaml", atomically: true, encoding: .utf8)
        r = try json()
        XCTAssertEqual((r["consent"] as! [String: Any])["analytics_category"] as? String, "Analytics")

        // A bad file: one line with its position, usage exit code 2, nothing on stdout.
        try "feedback:\n  promt_events: x\n".write(toFile: dir + "/earshot.yaml", atomically: true, encoding: .utf8)
        let bad = try Earshot.run(["report", dir], environment: env)
        XCTAssertEqual(bad.status, 2)
        XCTAssertEqual(bad.stdout, "")
        XCTAssertEqual(bad.stderr, "earshot: error: \(dir)/earshot.yaml:2:3: unknown key \"promt_events\" in feedback; did you mean \"prompt_events\"?\n")
        let missing = try Earshot.run(["report", dir, "--config", dir + "/nope.yaml"], environment: env)
        XCTAssertEqual(missing.status, 2)
        XCTAssertEqual(missing.stderr, "earshot: error: \(dir)/nope.yaml:1:1: no such configuration file\n")
    }

    /// The report cache hits again for the same configuration, even with several surveys and channel names (whose
    /// dictionary order differs from process to process).
    func testReportCacheHitsWithACatalog() throws {
        let dir = try Fixture.store(lines: [
            Fixture.track("m1", user: "u1", event: "Survey Sent", time: "2026-11-02T10:00:00Z", properties: #"{"survey_id":"a","score":9}"#),
        ])
        var yaml = "channels: {text: sms, web: modal, app: in_app, mail: email}\nsurveys:\n"
        for k in 0 ..< 12 { yaml += "  s\(k):\n    questions: [{id: q, type: nps}, {id: r, type: rating, scale: 5}]\n" }
        try yaml.write(toFile: dir + "/earshot.yaml", atomically: true, encoding: .utf8)
        let temp = TempDir("earshot-config-cache")
        let home = temp.path("home")
        func results() -> Int {
            ((try? FileManager.default.contentsOfDirectory(atPath: home + "/earshot")) ?? []).filter { $0.hasSuffix(".result") }.count
        }
        for _ in 0 ..< 3 {
            let r = try Earshot.run(["report", dir, "--format", "json"], environment: ["XDG_CACHE_HOME": home])
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertEqual(results(), 1)
        }
    }
}
