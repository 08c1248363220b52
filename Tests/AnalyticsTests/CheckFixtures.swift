@testable import Analytics

/// A small hand-made report for the check and Prometheus tests.
func checkReport() -> Report {
    var r = Report(now: "2026-03-04T09:00:00.000Z")
    r.store.files = 2
    r.store.lines = 200
    r.store.events = 190
    r.store.duplicates = 4
    r.store.malformed = 2
    r.store.persons = 40
    r.store.malformedShare = 0.01
    r.store.lastEvent = "2026-03-04T08:50:00.000Z"
    r.store.lastEventAgeSeconds = 600
    r.store.fileList = [FileStatsFixture.make("events/a.jsonl", events: 100), FileStatsFixture.make("events/b.jsonl", events: 90)]
    r.consent.persons = 40
    r.consent.events = 190
    r.consent.eventsWithoutConsent = 3
    r.consent.eventsConsentUnknown = 7
    r.consent.categories = [
        CategoryCoverage(name: "Analytics", granted: 30, denied: 6, unknown: 4, coverage: 0.75),
        CategoryCoverage(name: "Personalization", granted: 22, denied: 10, unknown: 8, coverage: 0.55),
    ]
    var chat = LoopStats(channel: "chat")
    chat.prompts = 20; chat.answered = 5; chat.responseRate = 0.25; chat.dismissed = 2; chat.dismissalRate = 0.1
    chat.medianSecondsToAnswer = 90
    let silent = LoopStats(channel: "sms")  // no prompts: null rates
    r.feedback.channels = [chat, silent]
    r.feedback.total = chat
    r.feedback.total.channel = "all"
    var survey = LoopStats(channel: "email", surveyID: "nps_email_01")
    survey.prompts = 10; survey.answered = 4; survey.responseRate = 0.4
    r.feedback.surveys = [survey]
    r.feedback.nps = NPSStats(scored: 4, promoters: 2, passives: 1, detractors: 1, nps: 25)
    r.feedback.npsByChannel = ["chat": NPSStats(scored: 4, promoters: 2, passives: 1, detractors: 1, nps: 25)]
    r.weekly = [
        WeekPoint(week: "2026-W09", personsSeen: 30, prompts: 10, answered: 2, responseRate: 0.2, consentCoverage: ["Analytics": 0.7]),
        WeekPoint(week: "2026-W10", personsSeen: 35, prompts: 10, answered: 3, responseRate: 0.3, consentCoverage: ["Analytics": 0.75]),
    ]
    r.eventNames = [EventNameCount(name: "Order Completed", count: 12, known: true)]
    r.segments = [
        SegmentReport(name: "Likely parent", rule: "…", size: 12, share: 0.3,
                      reachable: ["Analytics": 10, "Personalization": 7], weekly: [SegmentWeek(week: "2026-W10", size: 12)],
                      feedback: [chat], nps: NPSStats()),
        SegmentReport(name: "VIP", rule: "…", size: 3, share: 0.075, reachable: [:], weekly: [], feedback: [], nps: NPSStats()),
    ]
    r.overlap = [SegmentOverlap(a: "Likely parent", b: "VIP", size: 2)]
    return r
}

enum FileStatsFixture {
    static func make(_ path: String, events: Int) -> FileSummary {
        FileSummary(path: path, bytes: 1000, lines: events, events: events)
    }
}

import EventStore

/// Parses a --rule and fails the test on a parse error.
func rule(_ text: String, _ level: RuleLevel = .critical) -> CheckRule {
    do { return try RuleParser.parse(text, level: level, origin: "--rule 1") } catch {
        preconditionFailure("rule \(text) did not parse: \(error)")
    }
}

/// The parse error of a rule text (nil when it parsed).
func ruleError(_ text: String) -> RuleError? {
    do { _ = try RuleParser.parse(text, level: .critical, origin: "--rule 1"); return nil } catch { return error }
}
