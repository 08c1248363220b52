import XCTest
@testable import Analytics

final class CheckEvaluatorTests: XCTestCase {
    let tree = FigureNode.of(checkReport())

    func value(_ path: String) -> Double? {
        switch tree.resolve(rule("\(path) > 0").path) {
        case .success(let f): return f.value
        case .failure(let e): XCTFail(e.message); return nil
        }
    }

    func lookupError(_ path: String) -> String {
        switch tree.resolve(rule("\(path) > 0").path) {
        case .success(let f): XCTFail("\(path) resolved to \(String(describing: f.value))"); return ""
        case .failure(let e): return e.message
        }
    }

    func testPathsAddressEveryPartOfTheReport() {
        XCTAssertEqual(value("store.events"), 190)
        XCTAssertEqual(value("store.malformed_share"), 0.01)
        XCTAssertEqual(value("store.last_event_age"), 600)
        XCTAssertEqual(value("store.last_event_age_seconds"), 600)
        XCTAssertEqual(value(#"store.file["events/b.jsonl"].events"#), 90)
        XCTAssertEqual(value(#"store.file_list[0].events"#), 100)
        XCTAssertEqual(value("consent.Personalization.coverage"), 0.55)
        XCTAssertEqual(value(#"consent.categories["Analytics"].denied"#), 6)
        XCTAssertEqual(value(#"consent.category["Analytics"].unknown"#), 4)
        XCTAssertEqual(value("consent.events_without_consent"), 3)
        XCTAssertEqual(value("feedback.chat.response_rate"), 0.25)
        XCTAssertEqual(value(#"feedback.channels["chat"].dismissed"#), 2)
        XCTAssertEqual(value("feedback.total.prompts"), 20)
        XCTAssertEqual(value(#"feedback.survey["nps_email_01"].response_rate"#), 0.4)
        XCTAssertEqual(value("feedback.nps.nps"), 25)
        XCTAssertEqual(value("feedback.nps_by_channel.chat.promoters"), 2)
        XCTAssertEqual(value("feedback.chat.median_seconds_to_answer"), 90)
        XCTAssertEqual(value("weekly[-1].response_rate"), 0.3)
        XCTAssertEqual(value(#"weekly["2026-W09"].consent_coverage.Analytics"#), 0.7)
        XCTAssertEqual(value(#"event["Order Completed"].count"#), 12)
        XCTAssertEqual(value(#"segment["Likely parent"].reachable.Personalization"#), 7)
        XCTAssertEqual(value(#"segments["VIP"].size"#), 3)
        XCTAssertEqual(value(#"segment["Likely parent"].feedback.chat.answered"#), 5)
        XCTAssertEqual(value(#"overlap["VIP"]["Likely parent"]"#), 2)
    }

    func testUnknownPathsSayWhichPartAndWhatExists() {
        XCTAssertEqual(lookupError("consent.Personalisation.coverage"),
                       "unknown figure `consent.Personalisation.coverage`: `consent` has no `Personalisation` (did you mean `Personalization`?); there: persons, events, events_without_consent, events_consent_unknown, categories; consent category entries Analytics, Personalization")
        XCTAssertEqual(lookupError("storage.events"),
                       "unknown figure `storage.events`: the report has no `storage` (did you mean `store`?); there: store, consent, feedback, weekly, event_names, segments, overlap, loops, journeys, questions, question_funnels, persons, privacy")
        XCTAssertEqual(lookupError(#"segment["Nope"].size"#),
                       #"unknown figure `segment["Nope"].size`: `segment` has no segment "Nope"; there: segment entries ["Likely parent"], ["VIP"]"#)
        XCTAssertEqual(lookupError("weekly[5].prompts"),
                       "unknown figure `weekly[5].prompts`: `weekly` has 2 week entries, so [5] does not exist")
        XCTAssertEqual(lookupError("store.events.count"),
                       "`store.events` is already a figure; remove `count`")
        XCTAssertEqual(lookupError("consent.Analytics"),
                       #"`consent.Analytics` is consent category "Analytics", not a figure; figures there: granted, denied, unknown, coverage"#)
        XCTAssertTrue(lookupError(#"store["x"]"#).contains("`store` is not a list"))
        XCTAssertTrue(lookupError("feedback.whatsapp.prompts").contains("`feedback` has no `whatsapp`"))
    }

    func testEveryOperatorPassesAndFails() {
        // store.events is 190.
        let cases: [(String, CheckStatus)] = [
            ("store.events < 191", .ok), ("store.events < 190", .critical),
            ("store.events <= 190", .ok), ("store.events <= 189", .critical),
            ("store.events > 189", .ok), ("store.events > 190", .critical),
            ("store.events >= 190", .ok), ("store.events >= 191", .critical),
            ("store.events == 190", .ok), ("store.events == 191", .critical),
            ("store.events != 191", .ok), ("store.events != 190", .critical),
        ]
        for (text, status) in cases {
            XCTAssertEqual(CheckEvaluator.evaluate(rule(text), tree: tree).status, status, text)
        }
    }

    func testWarnAndCritLevels() {
        let warn = CheckEvaluator.evaluate(rule("feedback.chat.response_rate >= 0.3", .warning), tree: tree)
        XCTAssertEqual(warn.status, .warning)
        XCTAssertEqual(warn.message, "feedback.chat.response_rate = 0.25 (25.0%), not >= 0.3")
        let crit = CheckEvaluator.evaluate(rule("feedback.chat.response_rate >= 0.2"), tree: tree)
        XCTAssertEqual(crit.status, .ok)
        XCTAssertEqual(crit.message, "feedback.chat.response_rate = 0.25 (25.0%) >= 0.2")
        let outcome = CheckEvaluator.evaluate([rule("feedback.chat.response_rate >= 0.3", .warning),
                                               rule("feedback.chat.response_rate >= 0.2")], report: checkReport())
        XCTAssertEqual(outcome.status, .warning)
    }

    func testDurationsAndPercentages() {
        let ok = CheckEvaluator.evaluate(rule("store.last_event_age <= 15m"), tree: tree)
        XCTAssertEqual(ok.status, .ok)
        XCTAssertEqual(ok.message, "store.last_event_age = 600s (10m) <= 15m (900s)")
        XCTAssertEqual(CheckEvaluator.evaluate(rule("store.last_event_age <= 5m"), tree: tree).status, .critical)
        XCTAssertEqual(CheckEvaluator.evaluate(rule("store.last_event_age <= 900"), tree: tree).status, .ok)
        XCTAssertEqual(CheckEvaluator.evaluate(rule("consent.Analytics.coverage >= 75%"), tree: tree).status, .ok)
        XCTAssertEqual(CheckEvaluator.evaluate(rule("consent.Analytics.coverage > 75%"), tree: tree).status, .critical)
        // A duration against a fraction, a percentage against a count: a mistake, not a pass.
        let wrongUnit = CheckEvaluator.evaluate(rule("consent.Analytics.coverage <= 15m"), tree: tree)
        XCTAssertEqual(wrongUnit.status, .unknown)
        XCTAssertEqual(wrongUnit.message, "consent.Analytics.coverage is a fraction 0…1, but `15m` is a duration; compare it with a number")
        XCTAssertEqual(CheckEvaluator.evaluate(rule("store.events >= 50%"), tree: tree).status, .unknown)
    }

    func testNullFigureIsUnknownNeverOK() {
        let r = CheckEvaluator.evaluate(rule("feedback.sms.response_rate >= 0", .warning), tree: tree)
        XCTAssertEqual(r.status, .unknown)
        XCTAssertEqual(r.message, "feedback.sms.response_rate has no value (no prompts), so `>= 0` cannot be checked")
        XCTAssertNil(r.value)
        XCTAssertEqual(r.unit, .fraction)
    }

    func testWithheldFiguresAreUnknown() {
        var r = checkReport()
        r.privacy.minCohort = 5
        r.segments[1].$size = .belowMinimum
        r.segments[1].size = 0
        r.consent.categories[0].$coverage = .derived
        let outcome = CheckEvaluator.evaluate([rule(#"segment["VIP"].size >= 0"#), rule("consent.Analytics.coverage >= 0")], report: r)
        XCTAssertEqual(outcome.results.map(\.status), [.unknown, .unknown])
        XCTAssertEqual(outcome.results[0].message,
                       #"segment["VIP"].size is withheld by the privacy guard (<5: it counts fewer than 5 persons); to check it, run with --min-cohort 0"#)
        XCTAssertEqual(outcome.results[1].message,
                       "consent.Analytics.coverage is withheld by the privacy guard (hidden: it would reveal a count of fewer than 5 persons); to check it, run with --min-cohort 0")
        XCTAssertTrue(NagiosOutput.perfdata(outcome.results).hasPrefix(#"'segment["VIP"].size'=U;;0:;0 "#))
    }

    func testOverallStatusOrder() {
        func outcome(_ s: [CheckStatus]) -> CheckStatus {
            CheckOutcome(results: s.map { RuleResult(rule: rule("store.events > 0"), status: $0, value: 1, unit: .count, message: "") }).status
        }
        XCTAssertEqual(outcome([.ok, .ok]), .ok)
        XCTAssertEqual(outcome([.ok, .warning]), .warning)
        XCTAssertEqual(outcome([.warning, .unknown]), .unknown)
        XCTAssertEqual(outcome([.unknown, .critical, .warning]), .critical)
        XCTAssertEqual(outcome([]), .unknown)
        XCTAssertEqual(CheckStatus.allCases.map(\.exitCode), [0, 1, 2, 3])
    }

    func testPlainNumbersNeverUseExponents() {
        XCTAssertEqual(CheckFormat.plain(0.00001), "0.00001")
        XCTAssertEqual(CheckFormat.plain(1.25e-7), "0.000000125")
        XCTAssertEqual(CheckFormat.plain(-3.5e-5), "-0.000035")
        XCTAssertEqual(CheckFormat.plain(1e20), "100000000000000000000")
        XCTAssertEqual(CheckFormat.plain(1.5e17), "150000000000000000")
        XCTAssertEqual(CheckFormat.plain(1500000), "1500000")
        XCTAssertEqual(CheckFormat.plain(0.635), "0.635")
        XCTAssertEqual(CheckFormat.plain(-0.0), "0")
    }
}
