import XCTest
import Foundation
import EarshotTestSupport

/// `earshot snapshot --keys`: the dashboard's keys replayed without a terminal, compared with golden screens. These
/// are the checks the tmux tests used to make by polling a terminal (a view after its key, the help, a segment's
/// detail, a journey path made into a rule); the tmux tests keep only what needs a real terminal (docs/DASHBOARD.md).
final class SnapshotReplayTests: XCTestCase {
    /// A fixed clock, so the header's "newest event … ago" does not move.
    let now = ["--now", "2026-11-30T00:00:00Z"]

    /// `earshot snapshot --keys KEYS --with-hints` on ExampleData (run in the repository, so the header names
    /// `ExampleData`), with the one figure that is not a function of the store — the load time in the status line —
    /// written `loaded in #.#s`.
    func replay(_ keys: String, _ extra: [String] = [], size: String = "100x30", line: UInt = #line) throws -> Binary.Result {
        var r = try Earshot.run(["snapshot", "--keys", keys, "--with-hints", "--size", size] + now + extra + ["ExampleData"],
                                currentDirectory: Fixture.repoRoot)
        XCTAssertEqual(r.status, 0, r.stderr, line: line)
        let time = try NSRegularExpression(pattern: "loaded in [0-9.]+s")
        let ns = r.stdout as NSString
        var out = r.stdout
        for m in time.matches(in: r.stdout, range: NSRange(location: 0, length: ns.length)).reversed() {
            let found = ns.substring(with: m.range)
            out = (out as NSString).replacingCharacters(in: m.range, with: found.replacingOccurrences(of: "[0-9]", with: "#", options: .regularExpression))
        }
        r.stdout = out
        return r
    }

    func golden(_ text: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) {
        GoldenFile.check(text, at: URL(fileURLWithPath: Fixture.repoRoot).appendingPathComponent("Tests/EarshotTests/Golden/replay/\(name).txt"),
                         filter: "SnapshotReplayTests", file: file, line: line)
    }

    func testEachViewAfterItsKey() throws {
        for (key, name) in [("2", "segments"), ("3", "feedback"), ("4", "consent"), ("5", "data"), ("7", "loops"), ("1", "overview")] {
            golden(try replay(key, size: "80x24").stdout, "view-\(name)-80x24")
        }
    }

    func testSegmentDetailAndBack() throws {
        let detail = try replay("2 j Enter").stdout
        golden(detail, "segment-detail")
        XCTAssertTrue(detail.contains("Segments → "), detail)
        XCTAssertEqual(try replay("2 j Enter Esc").stdout, try replay("2 j").stdout, "Esc goes back to the list")
    }

    func testHelpOpensAndEscClosesIt() throws {
        let help = try replay("?").stdout
        golden(help, "help")
        XCTAssertTrue(help.contains(" Keys "), help)
        XCTAssertEqual(try replay("? Esc").stdout, try replay("").stdout)
    }

    func testLoopsSortWithS() throws {
        let sorted = try replay("7 S").stdout
        golden(sorted, "loops-sorted")
        XCTAssertTrue(sorted.contains("sort loop ▼"), sorted)
    }

    func testJourneyPathBecomesARuleInTheStatusLine() throws {
        let dir = TempDir("earshot-replay-journey")
        dir.write("shop.segments", "journey \"After an email\": from did \"Email Link Clicked\" steps 3 within 30m\n")
        let r = try replay("6 Enter Down s", ["--segments", dir.path("shop.segments")])
        golden(r.stdout, "journey-rule")
        XCTAssertTrue(r.stdout.contains("did \"Email Link Clicked\" then did page where section = \"baby\""), r.stdout)
        // `w` would append the rule to a file: a replay says it did not, and writes nothing.
        let w = try replay("6 Enter Down s w", ["--segments", dir.path("shop.segments")])
        XCTAssertEqual(w.stderr, "earshot: snapshot: not performed in a replay: saving the journey snippet (w)\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.path("earshot-snippets.segments")))
        XCTAssertFalse(FileManager.default.fileExists(atPath: Fixture.repoRoot + "/earshot-snippets.segments"))
    }

    func testAWordThatIsNotAKeyIsAOneLineUsageError() throws {
        let r = try Earshot.run(["snapshot", "--keys", "2 jj", Fixture.repoRoot + "/ExampleData"])
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertEqual(r.stdout, "")
        XCTAssertTrue(r.stderr.hasPrefix("earshot: error: --keys: word 2 \"jj\" is not a key"), r.stderr)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
    }
}
