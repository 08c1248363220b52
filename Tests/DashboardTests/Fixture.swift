import Foundation
import Analytics
import EventStore
@testable import Dashboard

/// A hand-built report with realistic numbers: 48,210 persons, three channels, four consent
/// categories, seven segments (one with a long name, one with CJK text), nine weeks.
enum Fixture {
    /// 2026-03-01T16:05:11Z: two hours and three minutes after the newest event.
    static let nowMs: Int64 = 1_772_381_111_000

    static let weeks = ["2026-W01", "2026-W02", "2026-W03", "2026-W04", "2026-W05", "2026-W06", "2026-W07", "2026-W08", "2026-W09"]

    static func loop(_ channel: String, survey: String? = nil, prompts: Int, answered: Int, dismissed: Int,
                     median: Double?, persons: Int, personsAnswered: Int) -> LoopStats {
        var l = LoopStats(channel: channel, surveyID: survey)
        l.prompts = prompts; l.answered = answered; l.dismissed = dismissed
        l.responseRate = prompts > 0 ? Double(answered) / Double(prompts) : nil
        l.dismissalRate = prompts > 0 ? Double(dismissed) / Double(prompts) : nil
        l.medianSecondsToAnswer = median
        l.personsPrompted = persons; l.personsAnswered = personsAnswered
        l.personResponseRate = persons > 0 ? Double(personsAnswered) / Double(persons) : nil
        return l
    }

    static func nps(_ p: Int, _ pa: Int, _ d: Int) -> NPSStats {
        let n = p + pa + d
        return NPSStats(scored: n, promoters: p, passives: pa, detractors: d,
                        nps: n > 0 ? (Double(p) - Double(d)) / Double(n) * 100 : nil)
    }

    static func segment(_ name: String, _ rule: String, _ sizes: [Int], reach: [String: Int],
                        feedback: [LoopStats] = [], nps: NPSStats = .init()) -> SegmentReport {
        let size = sizes.last ?? 0
        return SegmentReport(name: name, rule: rule, size: size, share: Double(size) / 48_210, reachable: reach,
                             weekly: zip(weeks, sizes).map { SegmentWeek(week: $0, size: $1) },
                             feedback: feedback, nps: nps)
    }

    static var report: Report {
        var store = StoreSummary()
        store.files = 3
        store.lines = 1_204_377
        store.events = 1_198_004
        store.duplicates = 412
        store.malformed = 37
        store.persons = 48_210
        store.malformedShare = 37.0 / 1_204_377
        store.firstEvent = "2025-12-29T08:12:03Z"
        store.lastEvent = "2026-03-01T14:02:11Z"
        store.lastEventAgeSeconds = 0
        store.fileList = [
            FileSummary(path: "events/2026-01.jsonl.gz", bytes: 48_120_311, compressed: true, lines: 402_118, events: 400_020, duplicates: 130, malformed: 12),
            FileSummary(path: "events/2026-02.jsonl.gz", bytes: 51_002_877, compressed: true, lines: 430_902, events: 428_700, duplicates: 201, malformed: 21),
            FileSummary(path: "events/2026-03-partial.jsonl", bytes: 188_332_004, compressed: false, lines: 371_357, events: 369_284, duplicates: 81, malformed: 4),
        ]
        store.malformedLines = [
            MalformedLineReport(file: "events/2026-01.jsonl.gz", line: 1_204, reason: "not valid JSON: unterminated string at byte 17"),
            MalformedLineReport(file: "events/2026-01.jsonl.gz", line: 88_310, reason: "missing \"type\""),
            MalformedLineReport(file: "events/2026-02.jsonl.gz", line: 77, reason: "timestamp \"yesterday\" is not ISO-8601"),
            MalformedLineReport(file: "events/2026-02.jsonl.gz", line: 20_415, reason: "not valid JSON: unexpected end of line"),
            MalformedLineReport(file: "events/2026-03-partial.jsonl", line: 371_357, reason: "truncated line (no closing brace)"),
        ]

        var consent = ConsentSummary()
        consent.categories = [
            CategoryCoverage(name: "Advertising", granted: 9_642, denied: 18_000, unknown: 20_568, coverage: 9_642.0 / 48_210),
            CategoryCoverage(name: "Analytics", granted: 34_380, denied: 3_905, unknown: 9_925, coverage: 34_380.0 / 48_210),
            CategoryCoverage(name: "Functional", granted: 41_000, denied: 1_000, unknown: 6_210, coverage: 41_000.0 / 48_210),
            CategoryCoverage(name: "Marketing", granted: 15_427, denied: 12_100, unknown: 20_683, coverage: 15_427.0 / 48_210),
        ]
        consent.eventsWithoutConsent = 412
        consent.eventsConsentUnknown = 10_220

        var fb = FeedbackSummary()
        fb.channels = [
            loop("chat", prompts: 4_210, answered: 1_735, dismissed: 505, median: 720, persons: 3_900, personsAnswered: 1_650),
            loop("email", prompts: 9_880, answered: 1_186, dismissed: 0, median: 11_520, persons: 9_100, personsAnswered: 1_100),
            loop("in_app", prompts: 6_002, answered: 1_561, dismissed: 2_101, median: 95, persons: 5_800, personsAnswered: 1_500),
        ]
        fb.surveys = [
            loop("chat", survey: "csat-chat", prompts: 4_210, answered: 1_735, dismissed: 505, median: 720, persons: 3_900, personsAnswered: 1_650),
            loop("in_app", survey: "nps-2026-q1", prompts: 5_002, answered: 1_401, dismissed: 1_900, median: 80, persons: 4_900, personsAnswered: 1_350),
            loop("email", survey: "onboarding-ux", prompts: 9_880, answered: 1_186, dismissed: 0, median: 11_520, persons: 9_100, personsAnswered: 1_100),
        ]
        fb.unmatchedResponses = 14
        fb.nps = nps(1_301, 640, 469)
        fb.npsByChannel = ["in_app": nps(1_301, 640, 469)]
        fb.npsBySurvey = ["nps-2026-q1": nps(1_301, 640, 469)]
        var cells: [HourWeekdayCell] = []
        for d in 1...7 {
            for h in 7...21 {
                let prompts = (d <= 5 ? 120 : 40) + (h * 7 + d * 3) % 50
                // Mornings and early evenings answer best (Tuesday 10:00 above all), weekends less.
                let x = Double(h)
                var base = 0.10 + 0.30 * exp(-(x - 10) * (x - 10) / 6) + 0.18 * exp(-(x - 19) * (x - 19) / 4)
                if d >= 6 { base *= 0.6 }
                if d == 2 && h == 10 { base = 0.62 }
                let answered = Int((Double(prompts) * base).rounded())
                cells.append(HourWeekdayCell(weekday: d, hour: h, prompts: prompts, answered: answered,
                                             responseRate: Double(answered) / Double(prompts)))
            }
        }
        fb.hourWeekday = cells

        let persons = [31_020, 33_400, 35_120, 37_800, 39_950, 42_010, 44_300, 46_120, 48_210]
        let prompts = [2_010, 2_140, 2_300, 2_210, 2_380, 2_205, 2_190, 2_310, 2_347]
        let answered = [510, 540, 566, 590, 601, 560, 577, 600, 600]
        let weekly = (0..<9).map { i in
            WeekPoint(week: weeks[i], personsSeen: persons[i], prompts: prompts[i], answered: answered[i],
                      responseRate: Double(answered[i]) / Double(prompts[i]),
                      consentCoverage: ["Analytics": 0.60 + Double(i) * 0.014, "Marketing": 0.28 + Double(i) * 0.005,
                                        "Advertising": 0.22 - Double(i) * 0.002, "Functional": 0.85])
        }

        let segments = [
            segment("Trial users", "plan = \"trial\" and last_seen within 30d",
                    [9_800, 10_020, 10_400, 10_950, 11_100, 11_600, 11_900, 12_015, 12_400],
                    reach: ["Analytics": 8_210, "Marketing": 4_100, "Advertising": 2_020, "Functional": 10_900],
                    feedback: [loop("chat", prompts: 1_100, answered: 520, dismissed: 120, median: 600, persons: 1_000, personsAnswered: 480),
                               loop("email", prompts: 2_400, answered: 260, dismissed: 0, median: 14_000, persons: 2_300, personsAnswered: 250)],
                    nps: nps(210, 140, 96)),
            segment("Power users", "count(Order Completed) >= 5 within 90d",
                    [2_900, 2_950, 3_000, 3_010, 3_080, 3_120, 3_150, 3_230, 3_200],
                    reach: ["Analytics": 2_880, "Marketing": 1_900, "Advertising": 800, "Functional": 3_100],
                    feedback: [loop("in_app", prompts: 900, answered: 410, dismissed: 200, median: 70, persons: 850, personsAnswered: 400)],
                    nps: nps(300, 80, 20)),
            segment("Churn risk", "last_seen before 21d ago and plan = \"pro\"",
                    [1_400, 1_480, 1_520, 1_610, 1_700, 1_760, 1_800, 1_990, 1_870],
                    reach: ["Analytics": 1_100, "Marketing": 300, "Advertising": 90, "Functional": 1_500]),
            segment("Newsletter subscribers in the European Economic Area who opened at least three campaigns",
                    "trait(newsletter) = true\nand country in (\"AT\", \"BE\", \"DE\", \"FR\", \"NL\")\nand count(Email Opened) >= 3",
                    [4_900, 5_020, 5_100, 5_230, 5_300, 5_380, 5_450, 5_600, 5_630],
                    reach: ["Analytics": 4_000, "Marketing": 5_630, "Advertising": 1_200, "Functional": 5_000]),
            segment("東京の顧客 (Tokyo customers)", "trait(city) = \"東京\"",
                    [1_800, 1_850, 1_900, 1_950, 2_000, 2_050, 2_080, 2_100, 2_140],
                    reach: ["Analytics": 1_700, "Marketing": 900, "Advertising": 500, "Functional": 2_000]),
            segment("Promoters", "nps_score >= 9", [1_000, 1_040, 1_090, 1_120, 1_180, 1_200, 1_260, 1_290, 1_301],
                    reach: ["Analytics": 1_250, "Marketing": 800, "Advertising": 400, "Functional": 1_280]),
            segment("Spring promo", "event(Promo Clicked) within 7d", [0, 0, 0, 0, 0, 0, 0, 0, 310],
                    reach: ["Analytics": 300, "Marketing": 310, "Advertising": 150, "Functional": 305]),
        ]
        let overlap = [
            SegmentOverlap(a: "Trial users", b: "Power users", size: 120),
            SegmentOverlap(a: "Trial users", b: "Churn risk", size: 0),
            SegmentOverlap(a: "Trial users", b: segments[3].name, size: 1_900),
            SegmentOverlap(a: "Trial users", b: segments[4].name, size: 610),
            SegmentOverlap(a: "Trial users", b: "Promoters", size: 210),
            SegmentOverlap(a: "Trial users", b: "Spring promo", size: 140),
            SegmentOverlap(a: "Power users", b: "Promoters", size: 300),
        ]
        let names = [
            EventNameCount(name: "Email Opened", count: 88_012, known: true),
            EventNameCount(name: "Order Completed", count: 41_200, known: true),
            EventNameCount(name: "Product Viewed", count: 612_300, known: true),
            EventNameCount(name: "Promo Clicked", count: 1_204, known: false),
            EventNameCount(name: "Survey Shown", count: 20_092, known: true),
            EventNameCount(name: "legacy_pageview", count: 12, known: false),
            EventNameCount(name: "注文完了", count: 88, known: false),
        ]
        var r = Report(now: "2026-03-01T14:02:11Z", store: store, consent: consent, feedback: fb, weekly: weekly,
                       eventNames: EventNameList(names), segments: segments, overlap: overlap)
        r.loops = FlowFixture.loops
        r.journeys = FlowFixture.journeys
        r.privacy = PrivacySummary(applied: true, minCohort: 5, piiMasked: true, suppressedValues: 9)
        return r
    }

    static var data: DashboardData {
        DashboardData(report: report, sourceDescription: "events/", loadSeconds: 3.42)
    }

    /// A state that has loaded the fixture, at the given size, with the fixed clock.
    static func loadedState(width: Int = 80, height: Int = 24, glyphs: Glyphs = .unicode) -> AppState {
        var s = AppState(options: DashboardOptions(glyphs: glyphs))
        _ = update(&s, .resize(width: width, height: height))
        _ = update(&s, .tick(nowMs: nowMs))
        _ = update(&s, .loaded(data))
        return s
    }
}
