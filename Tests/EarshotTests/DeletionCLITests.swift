import Foundation
import XCTest
import EarshotTestSupport

/// The privacy promise of deletion requests through the real binary: a deleted person is in no report format and
/// no exported view, and the Data view says how many persons were deleted.
final class DeletionCLITests: XCTestCase {
    func testDeletedPersonIsInNoReportAndNoView() throws {
        let dir = try Fixture.store(lines: [
            #"{"type":"identify","messageId":"i1","userId":"gone-user-42","timestamp":"2026-11-01T10:00:00Z","traits":{"plan":"gold-secret"}}"#,
            Fixture.track("m1", user: "gone-user-42", event: "Secret Event Name", time: "2026-11-01T10:01:00Z",
                          properties: #"{"survey_id":"gone-survey","score":0}"#),
            Fixture.track("m2", user: "stays", event: "Product Viewed", time: "2026-11-02T10:00:00Z"),
            #"{"type":"delete","messageId":"d1","userId":"gone-user-42","timestamp":"2026-11-03T00:00:00Z"}"#,
        ])
        let rules = try Fixture.file(named: "r.segments", contents: "segment \"Everyone\":\n    did \"Product Viewed\"\n")
        let temp = TempDir("earshot-deletion-cli")
        let home = temp.path("home")
        let env = ["XDG_CACHE_HOME": home]
        for format in ["text", "json", "csv", "prometheus"] {
            for extra in [[], ["--reveal", "--min-cohort", "0"]] {
                let r = try Earshot.run(["report", dir, "--segments", rules, "--format", format] + extra, environment: env)
                XCTAssertEqual(r.status, 0, r.stderr)
                for secret in ["gone-user-42", "gold-secret", "Secret Event Name", "gone-survey"] {
                    XCTAssertFalse(r.stdout.contains(secret), "\(format) \(extra) shows \(secret)")
                }
            }
        }
        let json = try Earshot.run(["report", dir, "--format", "json"], environment: env).stdout
        let store = (try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any])["store"] as! [String: Any]
        XCTAssertEqual(store["deleted_persons"] as? Int, 1)
        XCTAssertEqual(store["deleted_events"] as? Int, 3)
        XCTAssertEqual(store["events"] as? Int, 1)
        for view in ["overview", "segments", "feedback", "consent", "data"] {
            let out = home + "/\(view).txt"
            let r = try Earshot.run(["snapshot", dir, "--segments", rules, "--view", view, "--format", "txt", "--size", "160x50",
                                     "-o", out, "--reveal", "--min-cohort", "0"], environment: env)
            XCTAssertEqual(r.status, 0, r.stderr)
            let text = try String(contentsOfFile: out, encoding: .utf8)
            for secret in ["gone-user-42", "gold-secret", "Secret Event Name", "gone-survey"] {
                XCTAssertFalse(text.contains(secret), "\(view) shows \(secret)")
            }
            if view == "data" { XCTAssertTrue(text.contains("deleted"), text) }
        }
    }
}
