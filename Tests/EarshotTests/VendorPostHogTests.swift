import Analytics
import EventStore
import XCTest

/// PostHog payloads (`Tests/Fixtures/vendors/posthog/`, sources in its README.md): the capture API's own
/// samples and batch template (posthog.com docs), capture-test payloads (PostHog/posthog), and PostHog batch
/// exports (`*.jsonl`, `*.jsonl.gz`, `.json`) whose survey properties are those posthog-js' tests expect:
/// `$survey_response_<id>`, `$survey_submission_id`, partial responses (`$survey_completed: false`),
/// a resubmission, `$identify` with `$anon_distinct_id`, `$set`/`$set_once`, `$time`, a re-delivered `uuid`.
/// Every expectation is derived by hand in the comments.
final class VendorPostHogTests: XCTestCase {
    static let rules = """
        segment "Everyone": did any
        segment "Viewed a page": did page
        segment "Left a page": did "$pageleave"
        segment "Answered a survey": did "survey sent"
        segment "Email from $set": trait email = "john@example.com"
        segment "Set once": trait howOftenAmISet = "once!"
        segment "Browsed anonymously, then identified": did page and trait email = "john@example.com"
        """
    static let nps = "nps-2025-q2"

    nonisolated(unsafe) static var cached: Report?
    func report() throws -> Report {
        if let r = Self.cached { return r }
        let r = try VendorFixtures.report("posthog", rules: Self.rules)
        Self.cached = r
        return r
    }

    func testStoreCounts() throws {
        let s = try report().store
        // capture-api-batch.jsonl, capture-api-samples.jsonl, capture-tests.jsonl and batch-exports/
        // 2025-06-02.jsonl, 2025-06-03.jsonl.gz, 2025-06-04.json (one object a line).
        XCTAssertEqual(s.files, 6)
        XCTAssertEqual(s.lines, 23, "1 + 5 + 2 + 8 + 4 + 3")
        // 2025-06-03.jsonl.gz delivers the resubmission's `survey sent` (uuid …0011) twice.
        XCTAssertEqual(s.duplicates, 1, "PostHog `uuid` dedupes like messageId")
        // Accepted: $pageleave (capture test) + 8 (06-02) + 3 (06-03, one duplicate) + 3 (06-04) = 15.
        XCTAssertEqual(s.events, 15, "PostHog's own event shape {uuid, event, distinct_id, timestamp, properties}")
        XCTAssertEqual(s.firstEvent, "2021-04-20T19:11:33.841Z", "$pageleave of PostHog's capture test")
        XCTAssertEqual(s.lastEvent, "2025-06-04T09:40:00.000Z")
    }

    func testMalformedLinesAndReasons() throws {
        let r = try report()
        // capture-api-batch.jsonl line 1 is a PostHog batch envelope ({"api_key", "batch": [2 items]}) copied
        // from the docs' template: item 0's timestamp is the placeholder "[optional timestamp in ISO 8601
        // format]", item 1 has none → 2 entries. capture-api-samples.jsonl: the docs' five samples use
        // zone-less times ("2020-08-16 09:03:11.913767") → 5. capture-tests.jsonl line 2: `$autocapture`
        // without a time (PostHog stamps it on receipt) → 1. 2 + 5 + 1 = 8.
        XCTAssertEqual(r.store.malformed, 8, "PostHog malformed entries (an envelope item counts once, per item)")
        let batch = VendorFixtures.malformed(r, file: "posthog/capture-api-batch.jsonl")
        XCTAssertEqual(batch.map(\.line), [1, 1], "one entry per malformed envelope item, both on line 1; never one \"no type\" for the envelope: \(batch.map(\.reason))")
        XCTAssertEqual(Set(batch.map(\.reason)).count, 2, "the two items' entries differ (item index and reason): \(batch.map(\.reason))")
        XCTAssertTrue(batch.contains { $0.reason.contains("timestamp") }, "item 0: invalid timestamp: \(batch.map(\.reason))")
        let samples = VendorFixtures.malformed(r, file: "posthog/capture-api-samples.jsonl")
        XCTAssertEqual(samples.map(\.line), [1, 2, 3, 4, 5])
        for m in samples {
            XCTAssertTrue(m.reason.contains("--assume-utc"), "zone-less PostHog time must name --assume-utc: \(m.reason)")
        }
        let tests = VendorFixtures.malformed(r, file: "posthog/capture-tests.jsonl")
        XCTAssertEqual(tests.map(\.line), [2], "$autocapture has no time; $pageleave (properties.distinct_id) is fine")
        XCTAssertTrue(tests.allSatisfy { $0.reason.contains("time") }, "\(tests.map(\.reason))")
        XCTAssertTrue(r.store.malformedLines.allSatisfy { !$0.file.hasPrefix("posthog/batch-exports/") },
                      "batch-export events must all be read: \(r.store.malformedLines.filter { $0.file.hasPrefix("posthog/batch-exports/") })")
    }

    func testPersonsMergedByIdentify() throws {
        let r = try report()
        // distinct ids: oldIdentity and a-new-id (one person: `$identify` with $anon_distinct_id oldIdentity),
        // "0", and 94b03e599131fd5026b ($pageleave via properties.distinct_id, and an NPS answer) = 3.
        XCTAssertEqual(r.store.persons, 3, "PostHog: $identify merges $anon_distinct_id into distinct_id")
        XCTAssertEqual(VendorFixtures.size(r, "Everyone"), 3)
        // $pageview is a page: oldIdentity (→ a-new-id) and "0" (its time from properties.$time).
        XCTAssertEqual(VendorFixtures.size(r, "Viewed a page"), 2, "PostHog $pageview is a page call ($time epoch seconds when timestamp is absent)")
        XCTAssertEqual(VendorFixtures.size(r, "Left a page"), 1, "$pageleave is a track event of properties.distinct_id")
        XCTAssertEqual(VendorFixtures.size(r, "Answered a survey"), 3)
        XCTAssertEqual(VendorFixtures.size(r, "Browsed anonymously, then identified"), 1,
                       "the anonymous $pageview and the $set trait belong to one person after $identify")
    }

    func testTraitsFromSetAndSetOnce() throws {
        let r = try report()
        XCTAssertEqual(VendorFixtures.size(r, "Email from $set"), 1, "PostHog $set is a trait")
        XCTAssertEqual(VendorFixtures.size(r, "Set once"), 1, "PostHog $set_once is a trait")
    }

    /// Prompts, answers and response rate with submission ids and partial responses.
    func testFeedbackLoops() throws {
        let f = try report().feedback
        // Prompts (`survey shown`): a-new-id / prefill-survey (06-02 10:02), "0" / nps (11:00),
        // 94b03e… / nps (06-03 12:00). All answered within 7 days by the same person and survey.
        XCTAssertEqual(f.total.prompts, 3)
        XCTAssertEqual(f.total.answered, 3)
        XCTAssertEqual(f.total.responseRate, 1.0)
        XCTAssertEqual(f.total.personsPrompted, 3)
        XCTAssertEqual(f.total.personsAnswered, 3)
        // Only the latest `survey sent` per $survey_submission_id counts: the partial response (10:03,
        // $survey_completed false) is superseded by the complete one (10:04); the first NPS submission of
        // "0" (11:01) by its resubmission (11:05). Times to answer: 120 s, 300 s, 120 s → median 120 s.
        XCTAssertEqual(f.total.medianSecondsToAnswer, 120, "the surviving (latest) event of a submission answers the prompt")
        // Responses: submissions …0a, …0b, …0c, and three responses without a submission id (each its own
        // uuid) = 6. Unmatched: the three on 06-04 (no prompt of their survey for that person).
        XCTAssertEqual(f.responses, 6, "PostHog: one response per $survey_submission_id (partial and resubmitted events superseded)")
        XCTAssertEqual(f.unmatchedResponses, 3)
        XCTAssertEqual(f.surveys.map(\.surveyID), [Self.nps, "prefill-survey"])
        XCTAssertEqual(f.surveys.map(\.prompts), [2, 1])
        XCTAssertEqual(f.surveys.map(\.answered), [2, 1])
        XCTAssertEqual(f.surveys.map(\.channel), ["unknown", "unknown"], "PostHog prompts have no channel")
    }

    /// NPS: the resubmitted "2" is one detractor (PostHog's uniqueSurveySubmissionsFilter), the emoji
    /// rating `1` of prefill-merge-survey is never a detractor.
    func testNPS() throws {
        let f = try report().feedback
        // nps-2025-q2: "0" answered "2" twice in one submission → 1 detractor; 94b03e… answered "10" → 1
        // promoter (its re-delivered uuid is a duplicate, not a second answer). NPS = 100 × (1 − 1) / 2 = 0.
        let nps = f.npsBySurvey[Self.nps]
        XCTAssertEqual(nps?.scored, 2, "PostHog resubmission (same $survey_submission_id) counts once")
        XCTAssertEqual(nps?.detractors, 1, "a person who resubmits \"2\" is one detractor, not two")
        XCTAssertEqual(nps?.promoters, 1)
        XCTAssertEqual(nps?.passives, 0)
        XCTAssertEqual(nps?.nps, 0)
        XCTAssertEqual(f.npsBySurvey["prefill-merge-survey"]?.detractors ?? 0, 0,
                       "a 2-point emoji rating answered 1 (posthog-js prefill-merge-survey) is a rating, not a detractor")
        XCTAssertEqual(f.nps.detractors, 1, "the only detractor is the resubmitted \"2\"")
        XCTAssertEqual(f.nps.promoters, 1, "the only promoter is \"10\"")
    }

    func testConsentWithoutConsentData() throws {
        let c = try report().consent
        // PostHog events carry no consent: no categories, every one of the 15 events consent-unknown.
        XCTAssertEqual(c.categories.count, 0)
        XCTAssertEqual(c.persons, 3)
        XCTAssertEqual(c.events, 15)
        XCTAssertEqual(c.eventsWithoutConsent, 0)
        XCTAssertEqual(c.eventsConsentUnknown, 15)
    }

    func testEventNames() throws {
        let r = try report()
        XCTAssertEqual(VendorFixtures.eventCount(r, "survey shown"), 3)
        XCTAssertEqual(VendorFixtures.eventCount(r, "$pageleave"), 1)
        XCTAssertNil(VendorFixtures.eventCount(r, "$pageview"), "$pageview is a page, not a track event")
        XCTAssertNil(VendorFixtures.eventCount(r, "$identify"), "$identify links ids and sets traits; it is not a track event")
    }

    /// `--assume-utc` reads the capture API samples' zone-less times as UTC.
    func testAssumeUTCReadsZonelessTimes() throws {
        guard let j = try VendorFixtures.cliReport("posthog", ["--assume-utc"]) else { return }
        // The five samples become events (2020-08-16T09:03:11.913767 → .913 ms): $create_alias links 123
        // and 456 (one person), $event/$identify/$pageview/$screen are 1234's. Persons 3 + 2 = 5, events
        // 15 + 5 = 20; the batch template's two items and $autocapture stay malformed (3).
        XCTAssertEqual(jsonValue(j, "store.events") as? Int, 20, "--assume-utc: PostHog zone-less times read as UTC")
        XCTAssertEqual(jsonValue(j, "store.malformed") as? Int, 3)
        XCTAssertEqual(jsonValue(j, "store.persons") as? Int, 5, "$create_alias merges distinct_id 123 with alias 456")
        XCTAssertEqual(jsonValue(j, "store.first_event") as? String, "2020-08-16T09:03:11.913Z")
    }
}
