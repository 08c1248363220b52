import XCTest
import Foundation
import EarshotTestSupport

/// Issue #11 items 10–12 and #13.6: store-borne text never reaches any output raw (the dashboard's
/// escape corpus, Tests/Shared/EscapeCorpus.swift), CSV cells cannot start a formula, and a snapshot
/// never writes into the store or over a file.
final class OutputSafetyTests: XCTestCase {
    var dir: TempDir!
    var cache: TempDir!
    var earshot: String!

    override func setUpWithError() throws {
        let bin = try Binary.requireEarshot()
        earshot = bin
        dir = TempDir()
        cache = TempDir("earshot-safety-cache")
    }

    func run(_ args: [String]) throws -> Binary.Result {
        var env = ProcessInfo.processInfo.environment
        env["XDG_CACHE_HOME"] = cache.path
        return try Binary.run(earshot, args, environment: env, timeout: 60)
    }

    /// One JSON line from a dictionary (so that every corpus string is encoded correctly).
    func line(_ object: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    /// A store whose event names, channels, survey ids, consent categories, traits and file name
    /// carry the corpus; returns the store directory.
    func hostileStore() throws -> String {
        var lines: [String] = []
        for (i, sample) in EscapeCorpus.samples.enumerated() {
            let evil = "n\(i)" + sample.text + "end"
            let user = "u\(i)"
            let consent: [String: Any] = ["consent": ["categoryPreferences": ["Analytics": true, evil: i % 2 == 0]]]
            lines.append(try line(["type": "track", "userId": user, "event": evil, "timestamp": "2026-03-02T10:00:0\(i % 10)Z",
                                   "messageId": "m\(i)", "context": consent]))
            lines.append(try line(["type": "track", "userId": user, "event": "Survey Shown", "timestamp": "2026-03-02T11:00:00Z",
                                   "messageId": "s\(i)", "properties": ["survey_id": evil, "channel": evil]]))
            lines.append(try line(["type": "track", "userId": user, "event": "Survey Sent", "timestamp": "2026-03-02T11:05:00Z",
                                   "messageId": "r\(i)", "properties": ["survey_id": evil, "channel": evil, "score": 9]]))
            lines.append(try line(["type": "identify", "userId": user, "timestamp": "2026-03-02T09:00:00Z",
                                   "messageId": "i\(i)", "traits": ["plan": evil]]))
        }
        // A malformed line whose time value carries the corpus, and a formula-looking event name.
        lines.append(try line(["type": "track", "userId": "u0", "event": "x", "timestamp": "2026\u{1b}]0;t\u{07}-13"]))
        let fileName = "events-\u{1b}]0;title\u{07}\u{202e}\u{2028}.jsonl"
        dir.write("store/" + fileName, lines.joined(separator: "\n") + "\n")
        dir.write("store/shop.segments", "segment \"Planners\":\n    trait plan != \"none\"\n")
        return dir.path + "/store"
    }

    func testEveryReportFormatIsFreeOfRawEscapes() throws {
        let store = try hostileStore()
        for format in ["text", "csv", "json", "prometheus"] {
            for extra in [[], ["--reveal"]] {
                let r = try run(["report", store, "--format", format, "--min-cohort", "0"] + extra)
                XCTAssertEqual(r.status, 0, "\(format): \(r.stderr)")
                XCTAssertNil(EscapeCorpus.firstForbidden(in: r.stdout), "\(format) \(extra)")
                XCTAssertNil(EscapeCorpus.firstForbidden(in: r.stderr), "\(format) stderr")
                XCTAssertTrue(r.stdout.contains("end"), "the text around the escapes is kept (\(format))")
            }
        }
        // JSON keeps the values exactly (escaped, not replaced): a parser reads the original text back.
        let json = try run(["report", store, "--format", "json", "--min-cohort", "0", "--reveal"])
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let names = (object["event_names"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        for (i, sample) in EscapeCorpus.samples.enumerated() {
            XCTAssertTrue(names.contains("n\(i)" + sample.text + "end"), "JSON round trip of \(sample.name)")
        }
        // The text report replaces a whole OSC sequence by one placeholder (not `?]0;pwned?`).
        let text = try run(["report", store, "--min-cohort", "0", "--reveal"])
        XCTAssertFalse(text.stdout.contains("]0;pwned"), text.stdout)
        XCTAssertFalse(text.stdout.contains("]52;c;"), text.stdout)
    }

    func testCheckAndErrorMessagesAreFreeOfRawEscapes() throws {
        let store = try hostileStore()
        let check = try run(["check", store, "--min-cohort", "0", "--now", "2026-03-03T00:00:00Z",
                             "--rule", "store.events > 0", "--rule", "consent.Analytics.coverage >= 0.5"])
        XCTAssertEqual(check.status, 0, check.stdout)
        XCTAssertNil(EscapeCorpus.firstForbidden(in: check.stdout), check.stdout)

        // A store directory named with escapes: check's status line names it, safely.
        let evilDir = dir.path + "/st\u{1b}]0;x\u{07}\u{202e}ore"
        try FileManager.default.createDirectory(atPath: evilDir, withIntermediateDirectories: true)
        let missing = try run(["check", evilDir + "/nothing", "--rule", "store.events > 0"])
        XCTAssertEqual(missing.status, 3)
        XCTAssertNil(EscapeCorpus.firstForbidden(in: missing.stdout), missing.stdout)

        // A store's own *.segments file whose name carries escapes and whose rules are bad: the error names it.
        let segStore = dir.path + "/seg"
        dir.write("seg/events.jsonl", SampleEvents.track("u1", "2026-03-02T09:00:00Z") + "\n")
        dir.write("seg/\u{1b}]52;c;aGVsbG8=\u{07}\u{202e}.segments", "segment \"A\":\n    dod \"x\"\n")
        let bad = try run(["report", segStore])
        XCTAssertEqual(bad.status, 1, bad.stderr)
        XCTAssertTrue(bad.stderr.contains("\\u{1b}]52;c;aGVsbG8=\\u{7}\\u{202e}.segments"), bad.stderr)
        XCTAssertNil(EscapeCorpus.firstForbidden(in: bad.stderr), bad.stderr)
        let badCheck = try run(["check", segStore, "--rule", "store.events > 0"])
        XCTAssertEqual(badCheck.status, 3)
        XCTAssertNil(EscapeCorpus.firstForbidden(in: badCheck.stdout), badCheck.stdout)

        // Two rules files: the message lists both names.
        dir.write("seg/\u{1b}[2Jsecond\u{2028}.segments", "segment \"B\":\n    did \"x\"\n")
        let two = try run(["report", segStore])
        XCTAssertEqual(two.status, 2, two.stderr)
        XCTAssertNil(EscapeCorpus.firstForbidden(in: two.stderr), two.stderr)
        let segCheck = try run(["segments", "check", dir.path + "/seg/\u{1b}[2Jsecond\u{2028}.segments"])
        XCTAssertNil(EscapeCorpus.firstForbidden(in: segCheck.stdout + segCheck.stderr), segCheck.stdout)

        // Theme errors name the theme and list the themes.
        let theme = try run(["snapshot", store, "--theme", "x\u{1b}]0;t\u{07}\u{202e}"])
        XCTAssertEqual(theme.status, 1, theme.stderr)
        XCTAssertNil(EscapeCorpus.firstForbidden(in: theme.stderr), theme.stderr)
        let themeFile = dir.write("t\u{1b}[31m.theme", "palette.accent = #12\u{1b}]0;x\u{07}\n")
        let themeFileError = try run(["snapshot", store, "--theme", themeFile])
        XCTAssertEqual(themeFileError.status, 1, themeFileError.stderr)
        XCTAssertNil(EscapeCorpus.firstForbidden(in: themeFileError.stderr), themeFileError.stderr)

        // Usage errors echo what was typed.
        let usage = try run(["report", store, "--window", "7\u{1b}]0;x\u{07}"])
        XCTAssertEqual(usage.status, 2)
        XCTAssertNil(EscapeCorpus.firstForbidden(in: usage.stderr), usage.stderr)
        let checkUsage = try run(["check", store, "--window", "7\u{1b}]0;x\u{07}"])
        XCTAssertEqual(checkUsage.status, 3)
        XCTAssertNil(EscapeCorpus.firstForbidden(in: checkUsage.stdout), checkUsage.stdout)
    }

    // MARK: #11.11 CSV formula injection

    func testCSVCellsFromTheStoreCannotStartAFormula() throws {
        let lines = try ["=HYPERLINK(\"http://x\",\"y\")", "+1+2", "-3+cmd|' /C calc'!A0", "@SUM(A1)", "\tTab", "\rCR"]
            .enumerated().map { i, name in
                try line(["type": "track", "userId": "u\(i)", "event": name, "timestamp": "2026-03-02T10:00:00Z", "messageId": "m\(i)",
                          "properties": ["channel": name, "survey_id": "s"]])
            }
        dir.write("csv/events.jsonl", lines.joined(separator: "\n") + "\n")
        let r = try run(["report", dir.path + "/csv", "--format", "csv", "--min-cohort", "0", "--reveal"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let rows = r.stdout.split(separator: "\n").map(String.init)
        XCTAssertTrue(rows.contains("event_name,'=HYPERLINK(\"\"http://x\"\",\"\"y\"\"),count,1") || rows.contains("event_name,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",count,1"), r.stdout)
        XCTAssertTrue(rows.contains("event_name,'+1+2,count,1"), r.stdout)
        XCTAssertTrue(rows.contains("event_name,'-3+cmd|' /C calc'!A0,count,1"), r.stdout)
        XCTAssertTrue(rows.contains("event_name,'@SUM(A1),count,1"), r.stdout)
        XCTAssertTrue(rows.contains("event_name,' Tab,count,1"), "a tab is sanitized to a space after the quote: \(r.stdout)")
        // No field of any row starts a formula.
        for row in rows {
            for field in row.split(separator: ",", omittingEmptySubsequences: false) {
                let f = field.hasPrefix("\"") ? field.dropFirst() : field[...]
                guard let c = f.first else { continue }
                if "=+@\t\r".contains(c) { XCTFail("formula cell in \(row)") }
                if c == "-", Double(f) == nil { XCTFail("formula cell in \(row)") }
            }
        }
        // Numbers earshot writes itself stay numbers (a negative NPS, for instance).
        XCTAssertFalse(r.stdout.contains(",'0\n"), r.stdout)
    }

    // MARK: #11.12 snapshot output

    func testSnapshotRefusesPathsInsideTheStoreAndExistingFiles() throws {
        dir.write("snap/events.jsonl", SampleEvents.track("u1", "2026-03-02T09:00:00Z") + "\n")
        let store = dir.path + "/snap"
        let events = store + "/events.jsonl"
        let before = try String(contentsOfFile: events, encoding: .utf8)
        for target in [events, store + "/new.txt", store + "/../snap/sub/x.txt"] {
            let r = try run(["snapshot", store, "-o", target, "--force"])
            XCTAssertEqual(r.status, 1, "\(target): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("inside the store"), r.stderr)
        }
        XCTAssertEqual(try String(contentsOfFile: events, encoding: .utf8), before, "the event file is untouched")
        XCTAssertFalse(FileManager.default.fileExists(atPath: store + "/new.txt"))

        // A store given as a file: its directory's other files are not the store, the file itself is.
        let single = try run(["snapshot", events, "-o", events, "--force"])
        XCTAssertEqual(single.status, 1, single.stderr)
        XCTAssertEqual(try String(contentsOfFile: events, encoding: .utf8), before)

        let out = dir.path + "/view.txt"
        let first = try run(["snapshot", store, "-o", out])
        XCTAssertEqual(first.status, 0, first.stderr)
        dir.write("view.txt", "keep me")
        let again = try run(["snapshot", store, "-o", out])
        XCTAssertEqual(again.status, 1, again.stderr)
        XCTAssertTrue(again.stderr.contains("--force"), again.stderr)
        XCTAssertEqual(try String(contentsOfFile: out, encoding: .utf8), "keep me")
        let forced = try run(["snapshot", store, "-o", out, "--force"])
        XCTAssertEqual(forced.status, 0, forced.stderr)
        XCTAssertNotEqual(try String(contentsOfFile: out, encoding: .utf8), "keep me")
    }
}
