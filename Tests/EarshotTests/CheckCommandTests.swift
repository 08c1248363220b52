import XCTest
import Foundation
import EarshotTestSupport

/// `earshot check` and `report --format prometheus` through the real binary: output and exit codes.
final class CheckCommandTests: XCTestCase {
    var dir: TempDir!
    var earshot: String!

    override func setUpWithError() throws {
        let bin = try Binary.requireEarshot()
        earshot = bin
        dir = TempDir()
        dir.write("store/events.jsonl", [
            SampleEvents.track("u1", "2026-03-02T09:00:00Z", personalization: true),
            SampleEvents.track("u2", "2026-03-02T10:00:00Z", personalization: false),
            SampleEvents.track("u3", "2026-03-03T10:00:00Z", analytics: false, personalization: true),
            SampleEvents.track("u4", "2026-03-03T11:00:00Z", personalization: true),
            "{not json",
        ].joined(separator: "\n") + "\n")
    }

    /// The start of the status line: the store and the reference time.
    var subject: String { dir.path + "/store as of 2026-03-03T11:10:00Z: " }

    func check(_ args: [String]) throws -> Binary.Result {
        // Exact figures: the tiny store would otherwise be withheld by the privacy guard (docs/PRIVACY.md).
        try Binary.run(earshot, ["check", dir.path + "/store", "--now", "2026-03-03T11:10:00Z", "--min-cohort", "0"] + args, timeout: 60)
    }

    func testOK() throws {
        let r = try check(["--rule", "consent.Personalization.coverage >= 0.75", "--warn", "store.last_event_age <= 15m",
                           "--rule", "store.persons == 4"])
        XCTAssertEqual(r.status, 0, r.stdout)
        XCTAssertEqual(r.stdout, """
        EARSHOT OK - \(dir.path)/store as of 2026-03-03T11:10:00Z: 3 rules ok | 'consent.Personalization.coverage'=0.75;;0.75:;0;1 'store.persons'=4;;4:4;0 'store.last_event_age'=600s;~:900
        OK: consent.Personalization.coverage = 0.75 (75.0%) >= 0.75
        OK: store.persons = 4 == 4
        OK: store.last_event_age = 600s (10m) <= 15m (900s)
        reference time: 2026-03-03T11:10:00Z (--now; `earshot report` and the dashboard measure from the newest event)

        """)
    }

    /// Segments over lists (issue #18) in `check`: the figure path is the usual one; a `[]` on a property that is
    /// never a list in the store is a warning on standard error at the rule's position, and the check still runs.
    func testListSegmentSizesAndTheNeverAListWarning() throws {
        let order = { (user: String, properties: String) in
            #"{"type":"track","userId":"\#(user)","event":"Order Completed","timestamp":"2026-03-03T10:00:00Z","properties":\#(properties)}"#
        }
        dir.write("shop/events.jsonl", [
            order("u1", #"{"products":[{"category":"gifts","price":60},{"category":"baby","price":10}],"tags":"gift"}"#),
            order("u2", #"{"products":[{"category":"gifts","price":5}]}"#),
            order("u3", #"{"products":[{"category":"baby","price":70,"quantity":2}]}"#),
        ].joined(separator: "\n") + "\n")
        let rules = dir.write("shop.segments", """
        segment "Bought for a baby": did "Order Completed" where products[].category = "baby"
        segment "Baby over 50": did "Order Completed" where products[].category = "baby" and products[].price > 50
        segment "Gift tag": did "Order Completed" where tags[] = "gift"

        """)
        let r = try Binary.run(earshot, ["check", dir.path + "/shop", "--segments", rules, "--now", "2026-03-03T11:00:00Z",
                                         "--min-cohort", "0", "--rule", "segment[\"Bought for a baby\"].size == 2",
                                         "--rule", "segment[\"Baby over 50\"].size == 1", "--rule", "segment[\"Gift tag\"].size == 0"],
                               timeout: 60)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("EARSHOT OK"), r.stdout)
        XCTAssertTrue(r.stderr.contains(rules + ":3:49: warning: 'tags[]' looks into a list, but 'tags' is never a list in the store: "
                                        + "seen on 1 event, \"Order Completed\" 1× as a single value"), r.stderr)
    }

    func testWarningAndCriticalExitCodes() throws {
        let warn = try check(["--warn", "store.last_event_age <= 5m", "--crit", "store.persons >= 4"])
        XCTAssertEqual(warn.status, 1, warn.stdout)
        XCTAssertTrue(warn.stdout.hasPrefix("EARSHOT WARNING - \(subject)1 warning, 1 ok: store.last_event_age = 600s (10m), not <= 5m (300s) |"), warn.stdout)
        let crit = try check(["--warn", "store.last_event_age <= 5m", "--crit", "consent.events_without_consent == 0"])
        XCTAssertEqual(crit.status, 2, crit.stdout)
        XCTAssertTrue(crit.stdout.hasPrefix("EARSHOT CRITICAL - \(subject)1 critical, 1 warning: consent.events_without_consent = 1, not == 0;"), crit.stdout)
    }

    func testUnknownCases() throws {
        let unknownFigure = try check(["--rule", "consent.Personalisation.coverage >= 0.5"])
        XCTAssertEqual(unknownFigure.status, 3)
        XCTAssertTrue(unknownFigure.stdout.hasPrefix("EARSHOT UNKNOWN - \(subject)1 unknown: unknown figure `consent.Personalisation.coverage`: `consent` has no `Personalisation` (did you mean `Personalization`?)"), unknownFigure.stdout)

        let badRule = try check(["--rule", "store.persons >= 4", "--warn", "store.persons >= many"])
        XCTAssertEqual(badRule.status, 3)
        XCTAssertEqual(badRule.stdout, """
        EARSHOT UNKNOWN - \(subject)bad rule: --warn 1, column 18: expected a number (0.55, 55%, 1000) or a duration (15m, 2h, 1d12h) after `>=`, found `many`
          store.persons >= many
                           ^

        """)

        let nullFigure = try check(["--rule", "feedback.total.response_rate >= 0.1"])
        XCTAssertEqual(nullFigure.status, 3)
        XCTAssertTrue(nullFigure.stdout.contains("has no value (no prompts)"), nullFigure.stdout)

        let noStore = try Binary.run(earshot, ["check", dir.path + "/missing", "--rule", "store.events > 0"])
        XCTAssertEqual(noStore.status, 3)
        XCTAssertTrue(noStore.stdout.hasPrefix("EARSHOT UNKNOWN - \(dir.path)/missing as of "), noStore.stdout)
        XCTAssertTrue(noStore.stdout.contains(": cannot read the store: no such file or directory"), noStore.stdout)
        XCTAssertEqual(noStore.stdout.split(separator: "\n").count, 1)

        let noRules = try check([])
        XCTAssertEqual(noRules.status, 3)
        XCTAssertEqual(noRules.stdout, "EARSHOT UNKNOWN - \(subject)no rules to check: give --rule, --warn, --crit or --rules FILE\n")

        let badWindow = try check(["--window", "soon", "--rule", "store.events > 0"])
        XCTAssertEqual(badWindow.status, 3)
        XCTAssertTrue(badWindow.stdout.hasPrefix("EARSHOT UNKNOWN - The value 'soon' is invalid for '--window <duration>'\n"), badWindow.stdout)
    }

    func testWithheldFigureIsUnknown() throws {
        // The default guard (k = 5) withholds the 4 persons: a check must not compare the published 0.
        let r = try Binary.run(earshot, ["check", dir.path + "/store", "--now", "2026-03-03T11:10:00Z",
                                         "--rule", "store.persons >= 1", "--rule", "store.events >= 4"])
        XCTAssertEqual(r.status, 3, r.stdout)
        XCTAssertTrue(r.stdout.hasPrefix("EARSHOT UNKNOWN - \(subject)1 unknown, 1 ok: store.persons is withheld by the privacy guard (<5: it counts fewer than 5 persons); to check it, run with --min-cohort 0 | 'store.persons'=U;;1:;0 'store.events'=4;;4:;0\n"), r.stdout)
        let prom = try Binary.run(earshot, ["report", dir.path + "/store", "--format", "prometheus"])
        XCTAssertFalse(prom.stdout.contains("earshot_persons "), prom.stdout)
        XCTAssertTrue(prom.stdout.contains("\nearshot_events 4\n"))
        XCTAssertTrue(prom.stdout.contains("\nearshot_privacy_min_cohort 5\n"))
    }

    func testRulesFile() throws {
        let rules = dir.write("oncall.rules", """
        # on call
        crit: store.persons >= 4
        warn: store.malformed_share <= 10%   # one bad line in five
        store.events > 100
        """)
        let r = try check(["--rules", rules])
        XCTAssertEqual(r.status, 2, r.stdout)
        XCTAssertTrue(r.stdout.hasPrefix("EARSHOT CRITICAL - \(subject)1 critical, 1 warning, 1 ok: store.events = 4, not > 100; store.malformed_share = 0.2 (20.0%), not <= 10% (0.1) |"), r.stdout)

        let bad = dir.write("bad.rules", "store.persons >= 4\nwarn: store.persons >> 4\n")
        let b = try check(["--rules", bad])
        XCTAssertEqual(b.status, 3)
        XCTAssertTrue(b.stdout.hasPrefix("EARSHOT UNKNOWN - \(subject)bad rule: \(bad):2:22: expected a number"), b.stdout)

        let missing = try check(["--rules", dir.path + "/nope.rules"])
        XCTAssertEqual(missing.status, 3)
        XCTAssertTrue(missing.stdout.contains("no such rules file"), missing.stdout)
    }

    func testPrometheusFormat() throws {
        let r = try Binary.run(earshot, ["report", dir.path + "/store", "--format", "prometheus", "--min-cohort", "0"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(Array(lines.prefix(3)), ["# HELP earshot_files Event files read.", "# TYPE earshot_files gauge", "earshot_files 1"])
        XCTAssertTrue(lines.contains("earshot_persons 4"))
        XCTAssertTrue(lines.contains("earshot_malformed_lines 1"))
        XCTAssertTrue(lines.contains(#"earshot_consent_coverage{category="Personalization"} 0.75"#))
        XCTAssertTrue(lines.contains(#"earshot_consent_persons{category="Analytics",state="denied"} 1"#))
    }
}

/// Loops through the real binary: a broken promise is CRITICAL, with perfdata, and the gauges are exported.
final class LoopCheckCommandTests: XCTestCase {
    func testLoopPromiseChecksAndGauges() throws {
        let earshot = try Binary.requireEarshot()
        let dir = TempDir()
        // u1: apology 2 h after the late delivery (in time); u2: none, the day is over (missed);
        // u3: delivered 3 h before the reference time (open, 3 h old).
        dir.write("store/events.jsonl", [
            #"{"type":"track","userId":"u1","event":"Order Delivered","timestamp":"2026-03-02T09:00:00Z","properties":{"late":true}}"#,
            #"{"type":"track","userId":"u1","event":"Apology Sent","timestamp":"2026-03-02T11:00:00Z","properties":{"channel":"email"}}"#,
            #"{"type":"track","userId":"u2","event":"Order Delivered","timestamp":"2026-03-02T09:00:00Z","properties":{"late":true}}"#,
            #"{"type":"track","userId":"u3","event":"Order Delivered","timestamp":"2026-03-04T07:00:00Z","properties":{"late":true}}"#,
        ].joined(separator: "\n") + "\n")
        dir.write("oncall.segments", """
            loop "Late delivery apology": when did "Order Delivered" where late = true expect did "Apology Sent" within 1d

            """)
        let common = [dir.path + "/store", "--segments", dir.path + "/oncall.segments", "--now", "2026-03-04T10:00:00Z", "--min-cohort", "0"]
        let r = try Binary.run(earshot, ["check"] + common + ["--rule", #"loop["Late delivery apology"].in_time_rate >= 0.9"#,
                                                             "--warn", #"loop["Late delivery apology"].open_older_than_hours <= 12"#], timeout: 60)
        XCTAssertEqual(r.status, 2, r.stdout)
        XCTAssertTrue(r.stdout.hasPrefix("EARSHOT CRITICAL - " + dir.path + "/store as of 2026-03-04T10:00:00Z: "), r.stdout)
        XCTAssertTrue(r.stdout.contains(#": 1 critical, 1 ok: loop["Late delivery apology"].in_time_rate = 0.5 (50.0%), not >= 0.9 |"#), r.stdout)
        XCTAssertTrue(r.stdout.contains(#"OK: loop["Late delivery apology"].open_older_than_hours = 3h <= 12"#), r.stdout)
        let prom = try Binary.run(earshot, ["report"] + common + ["--format", "prometheus"], timeout: 60)
        XCTAssertEqual(prom.status, 0, prom.stderr)
        XCTAssertTrue(prom.stdout.contains(#"earshot_loop_outcome{loop="Late delivery apology",outcome="missed"} 1"#), prom.stdout)
        XCTAssertTrue(prom.stdout.contains(#"earshot_loop_oldest_open_seconds{loop="Late delivery apology"} 10800"#), prom.stdout)
        let check = try Binary.run(earshot, ["segments", "check", dir.path + "/oncall.segments"], timeout: 60)
        XCTAssertTrue(check.stdout.hasSuffix("ok — 0 segments, 0 scores, 1 loops\n"), check.stdout)
    }
}
