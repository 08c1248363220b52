import XCTest
@testable import Analytics

final class NagiosOutputTests: XCTestCase {
    func testAllOK() {
        let outcome = CheckEvaluator.evaluate([
            rule("consent.Personalization.coverage >= 0.5"),
            rule("store.last_event_age <= 15m", .warning),
        ], report: checkReport())
        XCTAssertEqual(NagiosOutput.render(outcome), """
        EARSHOT OK - 2 rules ok | 'consent.Personalization.coverage'=0.55;;0.5:;0;1 'store.last_event_age'=600s;~:900
        OK: consent.Personalization.coverage = 0.55 (55.0%) >= 0.5
        OK: store.last_event_age = 600s (10m) <= 15m (900s)

        """)
    }

    func testProblemsFirstAndOneEntryPerFigure() {
        let outcome = CheckEvaluator.evaluate([
            rule("feedback.chat.response_rate >= 0.3", .warning),
            rule("feedback.chat.response_rate >= 0.2"),
            rule("consent.events_without_consent == 0"),
            rule("feedback.sms.response_rate >= 0.1"),
            rule(#"segment["Likely parent"].size != 12"#),
        ], report: checkReport())
        XCTAssertEqual(outcome.status, .critical)
        let lines = NagiosOutput.render(outcome).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(lines, [
            "EARSHOT CRITICAL - 2 critical, 1 unknown, 1 warning, 1 ok: consent.events_without_consent = 3, not == 0; "
                + #"segment["Likely parent"].size = 12, not != 12; "#
                + "feedback.sms.response_rate has no value (no prompts), so `>= 0.1` cannot be checked; "
                + "feedback.chat.response_rate = 0.25 (25.0%), not >= 0.3"
                + " | 'feedback.chat.response_rate'=0.25;0.3:;0.2:;0;1 'consent.events_without_consent'=3;;0:0;0"
                + " 'feedback.sms.response_rate'=U;;0.1:;0;1 'segment[\"Likely parent\"].size'=12;;@12:12;0",
            "CRITICAL: consent.events_without_consent = 3, not == 0",
            #"CRITICAL: segment["Likely parent"].size = 12, not != 12"#,
            "UNKNOWN: feedback.sms.response_rate has no value (no prompts), so `>= 0.1` cannot be checked",
            "WARNING: feedback.chat.response_rate = 0.25 (25.0%), not >= 0.3",
            "OK: feedback.chat.response_rate = 0.25 (25.0%) >= 0.2",
            "",
        ])
    }

    func testUnknownFigureHasNoPerfdata() {
        let outcome = CheckEvaluator.evaluate([rule("store.nothing > 1")], report: checkReport())
        let first = NagiosOutput.render(outcome).split(separator: "\n").first!
        XCTAssertTrue(first.hasPrefix("EARSHOT UNKNOWN - 1 unknown: unknown figure `store.nothing`"))
        XCTAssertFalse(first.contains("|"))
    }

    func testStoreTextCannotBreakTheFormat() {
        var report = checkReport()
        report.segments[1].name = "a|b='c'\n\u{1B}[31m"
        let outcome = CheckEvaluator.evaluate([rule(#"segment["a|b='c'\n\u{1B}[31m"].size > 100"#.replacingOccurrences(of: "\\u{1B}", with: "\u{1B}"))],
                                              report: report)
        XCTAssertEqual(outcome.status, .critical)
        let text = NagiosOutput.render(outcome)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines.count, 3)  // status, one rule, final newline
        XCTAssertEqual(lines[0].filter { $0 == "|" }.count, 1)  // only the perfdata separator
        XCTAssertFalse(text.contains("\u{1B}"))
        XCTAssertTrue(lines[0].hasSuffix(#" | 'segment["a_b__c_\n\u{1b}[31m"].size'=3;;100:;0"#), String(lines[0]))
    }

    func testUnknownWithDetails() {
        XCTAssertEqual(NagiosOutput.unknown("bad rule: x | y", details: ["  a", "  ^"]), "EARSHOT UNKNOWN - bad rule: x / y\n  a\n  ^\n")
    }

    func testNagiosRanges() {
        XCTAssertEqual(RuleOperator.greaterOrEqual.nagiosRange("5"), "5:")
        XCTAssertEqual(RuleOperator.greater.nagiosRange("5"), "5:")
        XCTAssertEqual(RuleOperator.lessOrEqual.nagiosRange("5"), "~:5")
        XCTAssertEqual(RuleOperator.less.nagiosRange("5"), "~:5")
        XCTAssertEqual(RuleOperator.equal.nagiosRange("5"), "5:5")
        XCTAssertEqual(RuleOperator.notEqual.nagiosRange("5"), "@5:5")
    }
}
