import EventStore

/// Everything earshot computes about a store: the value behind `report --format json`,
/// the dashboard's views and `check` rules.
///
/// The JSON form is stable and documented in docs/REPORT.md: keys are snake_case,
/// lists are sorted by name, times are ISO-8601 UTC strings, rates are fractions 0…1
/// and `null` where the denominator is zero.
public struct Report: Codable, Sendable, Equatable {
    /// The reference time (`--now`, else the latest event time), ISO-8601.
    public var now: String?
    public var store: StoreSummary
    public var consent: ConsentSummary
    public var feedback: FeedbackSummary
    /// One point per ISO week from the first to the last event.
    public var weekly: [WeekPoint]
    /// Event names (track events) with counts, sorted by name; `known` marks names of the Segment Spec
    /// and the feedback events earshot understands.
    /// Held compactly (``EventNameList``: no `String` per name).
    public var eventNames: EventNameList
    /// Segments from the rules file, in file order (empty without rules).
    public var segments: [SegmentReport]
    /// Pairwise intersections of segments (each unordered pair once, `a` before `b` in file order).
    public var overlap: [SegmentOverlap]
    /// Loops (follow-ups within a promise) from the rules file, in file order.
    public var loops: [LoopReport] = []
    /// Journeys from the rules file, in file order.
    public var journeys: [JourneyReport] = []
    /// The privacy guards applied to this report (docs/PRIVACY.md).
    public var privacy: PrivacySummary = .init()
    /// Figures about persons beyond the store counts: profile depth.
    public var persons: PersonsSummary = .init()

    public init(now: String? = nil, store: StoreSummary = .init(), consent: ConsentSummary = .init(),
                feedback: FeedbackSummary = .init(), weekly: [WeekPoint] = [], eventNames: EventNameList = [],
                segments: [SegmentReport] = [], overlap: [SegmentOverlap] = []) {
        self.now = now; self.store = store; self.consent = consent; self.feedback = feedback
        self.weekly = weekly; self.eventNames = eventNames; self.segments = segments; self.overlap = overlap
    }

    enum CodingKeys: String, CodingKey {
        case now, store, consent, feedback, weekly, segments, overlap, loops, journeys, privacy, persons
        case eventNames = "event_names"
    }
}

/// Figures about persons (`persons` of the report).
public struct PersonsSummary: Codable, Sendable, Equatable {
    /// Distinct questions answered per person (ProfileDepthMetrics.swift).
    public var profileDepth: ProfileDepthSummary = .init()
    public init() {}
    enum CodingKeys: String, CodingKey { case profileDepth = "profile_depth" }
}

/// What was read.
public struct StoreSummary: Codable, Sendable, Equatable {
    public var files: Int = 0
    public var lines: Int = 0
    /// Lines that were batch envelopes, and the items they held (each item a record).
    public var batchEnvelopes: Int = 0
    public var batchItems: Int = 0
    /// Records read: lines − batch envelopes + batch items = events + duplicates + malformed.
    public var records: Int = 0
    /// Malformed records by kind ("time without a zone", "batch item: no type"), most frequent first.
    public var malformedKinds: [MalformedKind] = []
    public var events: Int = 0
    public var duplicates: Int = 0
    public var malformed: Int = 0
    @Suppressible public var persons: Int = 0
    /// Share of records (non-blank lines, a batch envelope counted as its items) that were malformed (0 when none).
    public var malformedShare: Double = 0
    public var firstEvent: String?
    public var lastEvent: String?
    /// Seconds from the newest event to `now` (0 when `now` is the newest event).
    public var lastEventAgeSeconds: Double?
    /// The first malformed lines with file:line and reason.
    public var malformedLines: [MalformedLineReport] = []
    public var fileList: [FileSummary] = []
    public var warnings: [String] = []
    /// Persons whose data was removed on their deletion request (a `delete` call).
    public var deletedPersons: Int = 0
    /// Events removed for them (not in `events`).
    public var deletedEvents: Int = 0

    public init() {}

    enum CodingKeys: String, CodingKey {
        case files, lines, events, duplicates, malformed, persons, warnings, records
        case batchEnvelopes = "batch_envelopes"
        case batchItems = "batch_items"
        case malformedKinds = "malformed_kinds"
        case malformedShare = "malformed_share"
        case firstEvent = "first_event"
        case lastEvent = "last_event"
        case lastEventAgeSeconds = "last_event_age_seconds"
        case malformedLines = "malformed_lines"
        case fileList = "file_list"
        case deletedPersons = "deleted_persons"
        case deletedEvents = "deleted_events"
    }
}

/// What was read from one file (the report's own copy of the reader's per-file counts).
public struct FileSummary: Codable, Sendable, Equatable {
    public var path: String
    public var bytes: Int
    /// Whether the file is gzip-compressed.
    public var compressed: Bool
    /// Non-blank lines.
    public var lines: Int
    public var events: Int
    public var duplicates: Int
    public var malformed: Int
    /// Lines that were batch envelopes, and the items they held.
    public var batchEnvelopes: Int
    public var batchItems: Int

    public init(path: String, bytes: Int = 0, compressed: Bool = false, lines: Int = 0, events: Int = 0, duplicates: Int = 0,
                malformed: Int = 0, batchEnvelopes: Int = 0, batchItems: Int = 0) {
        self.path = path; self.bytes = bytes; self.compressed = compressed; self.lines = lines; self.events = events
        self.duplicates = duplicates; self.malformed = malformed; self.batchEnvelopes = batchEnvelopes; self.batchItems = batchItems
    }

    /// The reader's counts of one file.
    public init(_ f: FileStats) {
        self.init(path: f.path, bytes: Int(f.bytes), compressed: f.compressed, lines: f.lines, events: f.events,
                  duplicates: f.duplicates, malformed: f.malformed, batchEnvelopes: f.envelopes, batchItems: f.envelopeItems)
    }

    enum CodingKeys: String, CodingKey {
        case path, bytes, compressed, lines, events, duplicates, malformed
        case batchEnvelopes = "batch_envelopes"
        case batchItems = "batch_items"
    }
}

/// How many malformed records share one kind of reason.
public struct MalformedKind: Codable, Sendable, Equatable {
    public var kind: String
    public var count: Int
    public init(kind: String, count: Int) { self.kind = kind; self.count = count }
}

/// A malformed line for people: path, 1-based line, reason.
public struct MalformedLineReport: Codable, Sendable, Equatable {
    public var file: String
    public var line: Int
    public var reason: String
    public init(file: String, line: Int, reason: String) { self.file = file; self.line = line; self.reason = reason }
}

/// Consent coverage across all persons.
public struct ConsentSummary: Codable, Sendable, Equatable {
    /// The category whose denial makes an event "collected without consent" (default `Analytics`).
    public var analyticsCategory: String = "Analytics"
    /// Persons counted (those with an event at or before `now`): the coverage denominator.
    @Suppressible public var persons: Int = 0
    /// Events audited for consent (events at or before `now`).
    public var events: Int = 0
    public var categories: [CategoryCoverage] = []
    public var eventsWithoutConsent: Int = 0
    public var eventsConsentUnknown: Int = 0
    /// Set when no event carries the analytics category (while other categories are carried, or none):
    /// says which categories the store has and how to name the right one. Absent otherwise.
    public var analyticsCategoryNote: String?

    public init() {}

    enum CodingKeys: String, CodingKey {
        case categories, persons, events
        case analyticsCategory = "analytics_category"
        case analyticsCategoryNote = "analytics_category_note"
        case eventsWithoutConsent = "events_without_consent"
        case eventsConsentUnknown = "events_consent_unknown"
    }
}

/// Granted / denied / unknown persons for one consent category.
public struct CategoryCoverage: Codable, Sendable, Equatable {
    public var name: String
    /// The category's label when the events give one (RudderStack's `{"C0001": "Functional Cookies"}`).
    public var label: String?
    /// `C0001 Functional Cookies` when there is a label, else the name.
    public var displayName: String { label.map { name + " " + $0 } ?? name }
    @Suppressible public var granted: Int
    @Suppressible public var denied: Int
    @Suppressible public var unknown: Int
    /// granted / all persons (nil when there are no persons).
    @Suppressible public var coverage: Double?

    public init(name: String, granted: Int, denied: Int, unknown: Int, coverage: Double?) {
        self.name = name; self.granted = granted; self.denied = denied; self.unknown = unknown; self.coverage = coverage
    }
}

/// The feedback loops: prompts, answers, dismissals, NPS.
public struct FeedbackSummary: Codable, Sendable, Equatable {
    public var windowSeconds: Int = 7 * 86_400
    /// All prompts together (channel `all`).
    public var total: LoopStats = .init(channel: "all")
    public var channels: [LoopStats] = []
    public var surveys: [LoopStats] = []
    /// Response events, matched or not.
    public var responses: Int = 0
    /// Response events that matched no prompt.
    public var unmatchedResponses: Int = 0
    public var nps: NPSStats = .init()
    public var npsByChannel: [String: NPSStats] = [:]
    public var npsBySurvey: [String: NPSStats] = [:]
    /// Prompts and answered prompts by the prompt's local ISO weekday (1 = Monday … 7) and hour (0…23);
    /// only cells with at least one prompt, ordered by weekday then hour.
    public var hourWeekday: [HourWeekdayCell] = []
    /// Prompts whose time zone name was unknown (their local time uses UTC).
    public var promptsUnknownTimezone: Int = 0
    /// Free-text answers and chat messages, in aggregate.
    public var freeText: FreeTextSummary = .init()
    /// Every question's answers (PostHog's `$survey_response…` keys, configured answer fields), by survey and
    /// question id.
    public var questions: [QuestionStats] = []
    /// The question funnel of every catalog survey with two or more questions, by survey id.
    public var questionFunnels: [QuestionFunnel] = []
    /// Response rate by prompt ordinal and by the gap since the person's previous prompt (FatigueMetrics.swift).
    public var fatigue: FatigueSummary = .init()
    /// Prompts on the person's preferred channel against other channels (PreferredChannelMetrics.swift).
    public var preferredChannel: PreferredChannelSummary = .init()

    public init() {}

    enum CodingKeys: String, CodingKey {
        case channels, surveys, nps, total, responses, questions, fatigue
        case questionFunnels = "question_funnels"
        case preferredChannel = "preferred_channel"
        case promptsUnknownTimezone = "prompts_unknown_timezone"
        case freeText = "free_text"
        case windowSeconds = "window_seconds"
        case unmatchedResponses = "unmatched_responses"
        case npsByChannel = "nps_by_channel"
        case npsBySurvey = "nps_by_survey"
        case hourWeekday = "hour_weekday"
    }
}

/// One feedback loop (a channel, or a survey): prompts and what became of them.
public struct LoopStats: Codable, Sendable, Equatable {
    /// The channel (`chat`, `email`, … or `unknown`); for a survey, the channel of most of its prompts.
    public var channel: String
    /// Set for per-survey rows.
    public var surveyID: String?
    @Suppressible public var prompts: Int = 0
    @Suppressible public var answered: Int = 0
    /// answered / prompts.
    @Suppressible public var responseRate: Double?
    @Suppressible public var personsPrompted: Int = 0
    @Suppressible public var personsAnswered: Int = 0
    /// persons answered / persons prompted.
    @Suppressible public var personResponseRate: Double?
    @Suppressible public var dismissed: Int = 0
    /// dismissed / prompts.
    @Suppressible public var dismissalRate: Double?
    @Suppressible public var medianSecondsToAnswer: Double?

    public init(channel: String, surveyID: String? = nil) { self.channel = channel; self.surveyID = surveyID }

    enum CodingKeys: String, CodingKey {
        case channel, prompts, answered, dismissed
        case surveyID = "survey_id"
        case responseRate = "response_rate"
        case personsPrompted = "persons_prompted"
        case personsAnswered = "persons_answered"
        case personResponseRate = "person_response_rate"
        case dismissalRate = "dismissal_rate"
        case medianSecondsToAnswer = "median_seconds_to_answer"
    }
}

/// Net Promoter Score over scored responses.
public struct NPSStats: Codable, Sendable, Equatable {
    @Suppressible public var scored: Int = 0
    @Suppressible public var promoters: Int = 0
    @Suppressible public var passives: Int = 0
    @Suppressible public var detractors: Int = 0
    /// % promoters − % detractors, −100…100 (nil when nothing was scored).
    @Suppressible public var nps: Double?

    public init(scored: Int = 0, promoters: Int = 0, passives: Int = 0, detractors: Int = 0, nps: Double? = nil) {
        self.scored = scored; self.promoters = promoters; self.passives = passives; self.detractors = detractors; self.nps = nps
    }
}

/// Prompts and answers in one local hour of one weekday.
public struct HourWeekdayCell: Codable, Sendable, Equatable {
    /// ISO weekday, 1 = Monday … 7 = Sunday.
    public var weekday: Int
    public var hour: Int
    @Suppressible public var prompts: Int
    @Suppressible public var answered: Int
    @Suppressible public var responseRate: Double?

    public init(weekday: Int, hour: Int, prompts: Int, answered: Int, responseRate: Double?) {
        self.weekday = weekday; self.hour = hour; self.prompts = prompts; self.answered = answered; self.responseRate = responseRate
    }

    enum CodingKeys: String, CodingKey {
        case weekday, hour, prompts, answered
        case responseRate = "response_rate"
    }

    /// The short English weekday names, Monday first: element `i` names ISO weekday `i + 1` (the one
    /// definition the text report, the dashboard's heatmap and the tour use).
    public static let weekdayNames = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

    /// The short name of ISO weekday `weekday` (1 = Monday … 7 = Sunday); `?` outside 1…7.
    public static func weekdayName(iso weekday: Int) -> String {
        (1...7).contains(weekday) ? weekdayNames[weekday - 1] : "?"
    }
}

/// One ISO week of the weekly series.
public struct WeekPoint: Codable, Sendable, Equatable {
    /// ISO week, `2026-W09`.
    public var week: String
    /// Persons with at least one event in the week.
    @Suppressible public var personsSeen: Int
    /// Prompts shown in the week.
    @Suppressible public var prompts: Int
    /// Of those prompts, answered (within the window, possibly after the week).
    @Suppressible public var answered: Int
    @Suppressible public var responseRate: Double?
    /// Coverage per category as of the week's end (persons seen by then as the denominator).
    @SuppressibleMap public var consentCoverage: [String: Double]

    public init(week: String, personsSeen: Int, prompts: Int, answered: Int, responseRate: Double?, consentCoverage: [String: Double]) {
        self.week = week; self.personsSeen = personsSeen; self.prompts = prompts; self.answered = answered
        self.responseRate = responseRate; self.consentCoverage = consentCoverage
    }

    enum CodingKeys: String, CodingKey {
        case week, prompts, answered
        case personsSeen = "persons_seen"
        case responseRate = "response_rate"
        case consentCoverage = "consent_coverage"
    }
}

/// A track event name and how often it occurred.
public struct EventNameCount: Codable, Sendable, Equatable {
    public var name: String
    public var count: Int
    public var known: Bool
    public init(name: String, count: Int, known: Bool) { self.name = name; self.count = count; self.known = known }
}

/// Metrics of one segment.
public struct SegmentReport: Codable, Sendable, Equatable {
    public var name: String
    /// The rule's source text, as written in the rules file.
    public var rule: String
    @Suppressible public var size: Int
    /// size / all persons.
    @Suppressible public var share: Double?
    /// Members whose consent state for the category is granted.
    @SuppressibleMap public var reachable: [String: Int]
    /// Size at the end of each ISO week.
    public var weekly: [SegmentWeek]
    /// The members' feedback loops by channel.
    public var feedback: [LoopStats]
    public var nps: NPSStats
    /// The members' profile depth (docs/DEFINITIONS.md, "Profile depth").
    public var profileDepth = SegmentProfileDepth()

    public init(name: String, rule: String, size: Int, share: Double?, reachable: [String: Int],
                weekly: [SegmentWeek], feedback: [LoopStats], nps: NPSStats) {
        self.name = name; self.rule = rule; self.size = size; self.share = share; self.reachable = reachable
        self.weekly = weekly; self.feedback = feedback; self.nps = nps
    }
}

/// A segment's size at the end of an ISO week.
public struct SegmentWeek: Codable, Sendable, Equatable {
    public var week: String
    @Suppressible public var size: Int
    public init(week: String, size: Int) { self.week = week; self.size = size }
}

/// The size of the intersection of two segments.
public struct SegmentOverlap: Codable, Sendable, Equatable {
    public var a: String
    public var b: String
    @Suppressible public var size: Int
    public init(a: String, b: String, size: Int) { self.a = a; self.b = b; self.size = size }
}

// MARK: - Figures and encoding

// Each struct declares its figures once (``FigureList``): JSON, CSV, Prometheus, `check` and the privacy pass
// walk these lists. JSON writes every key, absent values as `null` (docs/REPORT.md); decoding stays synthesized
// through each struct's `CodingKeys`, and `FigureListTests` checks that a report survives the round trip.

extension Report: FigureList {
    public static let figures: [FigureDescriptor<Report>] = []
    public static let attributes: [ReportAttribute<Report>] = [
        .init("now", \.now), .init("store", \.store), .init("consent", \.consent), .init("feedback", \.feedback),
        .init("weekly", \.weekly), .init("event_names", \.eventNames), .init("segments", \.segments),
        .init("overlap", \.overlap), .init("loops", \.loops), .init("journeys", \.journeys), .init("privacy", \.privacy),
        .init("persons", \.persons),
    ]
    public func encode(to encoder: Encoder) throws { try encodeReport(to: encoder) }
}

extension StoreSummary: FigureList {
    public static let figures: [FigureDescriptor<StoreSummary>] = [
        .count("files", \.files, privacy: .audit, help: "Event files read.", metric: .init("files")),
        .count("lines", \.lines, privacy: .audit, help: "Non-blank lines read.", metric: .init("lines")),
        .count("batch_envelopes", \.batchEnvelopes, privacy: .audit, help: "Lines that were batch envelopes."),
        .count("batch_items", \.batchItems, privacy: .audit, help: "Items of those batch envelopes (each one record)."),
        .count("records", \.records, privacy: .audit, help: "Records read: lines − batch envelopes + batch items."),
        .count("events", \.events, privacy: .audit, help: "Accepted events: records that parsed, without duplicate messageIds.", metric: .init("events")),
        .count("duplicates", \.duplicates, privacy: .audit, help: "Lines skipped because their messageId was seen before.",
               metric: .init("duplicates")),
        .count("malformed", \.malformed, privacy: .audit, help: "Lines that could not be read as events (listed with file:line and the reason).",
               metric: .init("malformed_lines")),
        .count("persons", \.persons, \.$persons, privacy: .persons, help: "Persons in the store (stitched identities: userId, else the userId an anonymousId first appeared with, else the anonymousId), whatever their event times.",
               metric: .init("persons")),
        .count("deleted_persons", \.deletedPersons, privacy: .audit,
               help: "Persons whose data was removed on their deletion request."),
        .count("deleted_events", \.deletedEvents, privacy: .audit, help: "Events removed for deleted persons."),
        .fraction("malformed_share", \.malformedShare, absent: "no lines",
                  help: "Malformed lines divided by lines read (0 to 1).", metric: .init("malformed_share")),
        .seconds("last_event_age_seconds", \.lastEventAgeSeconds, absent: "no events",
                 help: "Seconds from the newest event to the reference time.", metric: .init("last_event_age_seconds")),
    ]
    public static let attributes: [ReportAttribute<StoreSummary>] = [
        .init("malformed_kinds", \.malformedKinds), .init("first_event", \.firstEvent), .init("last_event", \.lastEvent),
        .init("malformed_lines", \.malformedLines), .init("file_list", \.fileList), .init("warnings", \.warnings),
    ]
    public func encode(to encoder: Encoder) throws { try encodeReport(to: encoder) }
}

extension FileSummary: FigureList {
    public static let figures: [FigureDescriptor<FileSummary>] = [
        .count("bytes", \.bytes, privacy: .audit, help: "Bytes of the file."),
        .count("lines", \.lines, privacy: .audit, help: "Non-blank lines of the file."),
        .count("events", \.events, privacy: .audit, help: "Accepted events of the file (parsed, duplicates removed)."),
        .count("duplicates", \.duplicates, privacy: .audit, help: "Lines of the file skipped as duplicates."),
        .count("malformed", \.malformed, privacy: .audit, help: "Malformed lines of the file: lines that could not be read as events."),
    ]
    /// The batch counts are written in JSON only (the store's totals are figures).
    public static let attributes: [ReportAttribute<FileSummary>] = [
        .init("path", \.path), .init("compressed", \.compressed), .init("batch_envelopes", \.batchEnvelopes),
        .init("batch_items", \.batchItems),
    ]
    public func encode(to encoder: Encoder) throws { try encodeReport(to: encoder) }
}

extension ConsentSummary: FigureList {
    public static let figures: [FigureDescriptor<ConsentSummary>] = [
        .count("persons", \.persons, \.$persons, privacy: .persons,
               help: "Persons with an event at or before the reference time (the coverage denominator).",
               metric: .init("consent_audited_persons", entryLabels: false)),
        .count("events", \.events, privacy: .audit, help: "Events audited for consent (events at or before the reference time)."),
        .count("events_without_consent", \.eventsWithoutConsent, privacy: .audit,
               help: "Events collected while the analytics category was denied: events that carry it as denied, or inherit denied from the person's earlier events (no retroactivity).", metric: .init("events_without_consent")),
        .count("events_consent_unknown", \.eventsConsentUnknown, privacy: .audit,
               help: "Events without any analytics consent information: events that do not carry the analytics category and have no earlier event carrying it.", metric: .init("events_consent_unknown")),
    ]
    public static let attributes: [ReportAttribute<ConsentSummary>] = [
        .init("analytics_category", \.analyticsCategory), .init("categories", \.categories),
        .init("analytics_category_note", \.analyticsCategoryNote),
    ]
    public func encode(to encoder: Encoder) throws { try encodeReport(to: encoder) }
}

extension CategoryCoverage: FigureList {
    public static let figures: [FigureDescriptor<CategoryCoverage>] = [
        .count("granted", \.granted, \.$granted, privacy: .persons, help: "Granted: persons whose latest event carrying the category says granted.",
               metric: .init("persons", labels: [("state", "granted")])),
        .count("denied", \.denied, \.$denied, privacy: .persons, help: "Denied: persons whose latest event carrying the category says denied.",
               metric: .init("persons", labels: [("state", "denied")])),
        .count("unknown", \.unknown, \.$unknown, privacy: .persons, help: "Unknown: persons with no event carrying the category (unknown is never denied).",
               metric: .init("persons", labels: [("state", "unknown")])),
        .fraction("coverage", \.coverage, \.$coverage, absent: "no persons", from: ["granted"],
                  help: "Coverage: granted persons divided by persons counted (0 to 1): persons whose latest event carrying the category says granted, among persons with an event at or before the reference time. Unknown is never denied.", metric: .init("coverage")),
    ]
    public static let attributes: [ReportAttribute<CategoryCoverage>] = [.init("name", \.name), .init("label", \.label)]
    public func encode(to encoder: Encoder) throws { try encodeReport(to: encoder) }
}

extension FeedbackSummary: FigureList {
    public static let figures: [FigureDescriptor<FeedbackSummary>] = [
        .init("window_seconds", unit: .seconds, \.windowSeconds, privacy: .audit, help: "The response window: a response answers a prompt only within this time (--window).",
              metric: .init("feedback_window_seconds")),
        .count("responses", \.responses, privacy: .audit, help: "Response events, matched to a prompt or not.",
               metric: .init("feedback_responses")),
        .count("unmatched_responses", \.unmatchedResponses, privacy: .audit, help: "Responses that answered no prompt (their latest prompt of the same survey is missing or older than the response window); they are still scored.",
               metric: .init("feedback_unmatched_responses")),
        .count("prompts_unknown_timezone", \.promptsUnknownTimezone, privacy: .audit,
               help: "Prompts whose time zone name was unknown (their local time uses UTC)."),
    ]
    public static let attributes: [ReportAttribute<FeedbackSummary>] = [
        .init("total", \.total), .init("channels", \.channels), .init("surveys", \.surveys), .init("nps", \.nps),
        .init("nps_by_channel", \.npsByChannel), .init("nps_by_survey", \.npsBySurvey), .init("hour_weekday", \.hourWeekday),
        .init("free_text", \.freeText), .init("questions", \.questions), .init("question_funnels", \.questionFunnels),
        .init("fatigue", \.fatigue), .init("preferred_channel", \.preferredChannel),
    ]
    public func encode(to encoder: Encoder) throws { try encodeReport(to: encoder) }
}

extension LoopStats: FigureList {
    public static let figures: [FigureDescriptor<LoopStats>] = [
        .count("prompts", \.prompts, \.$prompts, privacy: .events, help: "Survey prompts (Survey Shown events) {what}.", metric: .init("prompts")),
        .count("answered", \.answered, \.$answered, privacy: .events,
               help: "Prompts answered {what}: by the same person's response of the same survey, after the prompt, before their next prompt of that survey and within the response window.", metric: .init("answered")),
        .fraction("response_rate", \.responseRate, \.$responseRate, absent: "no prompts", from: ["prompts", "answered"],
                  help: "Response rate {what}: answered prompts divided by prompts (0 to 1).", metric: .init("response_rate")),
        .count("persons_prompted", \.personsPrompted, \.$personsPrompted, privacy: .persons, help: "Persons prompted, {what}."),
        .count("persons_answered", \.personsAnswered, \.$personsAnswered, privacy: .persons,
               help: "Persons who answered a prompt, {what}."),
        .fraction("person_response_rate", \.personResponseRate, \.$personResponseRate, absent: "no persons prompted",
                  from: ["persons_prompted", "persons_answered"],
                  help: "Persons who answered divided by persons prompted (0 to 1), {what}.", metric: .init("person_response_rate")),
        .count("dismissed", \.dismissed, \.$dismissed, privacy: .events, help: "Prompts dismissed, {what}.", metric: .init("dismissed")),
        .fraction("dismissal_rate", \.dismissalRate, \.$dismissalRate, absent: "no prompts", from: ["prompts", "dismissed"],
                  help: "Dismissed prompts (Survey Dismissed events) divided by prompts {what} (can exceed 1).", metric: .init("dismissal_rate")),
        .seconds("median_seconds_to_answer", \.medianSecondsToAnswer, \.$medianSecondsToAnswer, absent: "no answers",
                 from: ["answered", "persons_answered"], help: "Median time from a prompt to its first answering response, over answered prompts {what}.",
                 metric: .init("median_seconds_to_answer")),
    ]
    public static let attributes: [ReportAttribute<LoopStats>] = [.init("channel", \.channel), .init("survey_id", \.surveyID)]
    public func encode(to encoder: Encoder) throws { try encodeReport(to: encoder) }
}

extension NPSStats: FigureList {
    public static let figures: [FigureDescriptor<NPSStats>] = [
        .count("scored", \.scored, \.$scored, privacy: .events, help: "Scored responses: responses with an integer score 0 to 10 (score, survey_response or $survey_response), matched to a prompt or not.", metric: .init("scored")),
        .count("promoters", \.promoters, \.$promoters, privacy: .events, help: "Promoters: scored responses of 9 or 10."),
        .count("passives", \.passives, \.$passives, privacy: .events, help: "Passives: scored responses of 7 or 8."),
        .count("detractors", \.detractors, \.$detractors, privacy: .events, help: "Detractors: scored responses of 0 to 6."),
        .init("nps", unit: .score, \.nps, \.$nps, privacy: .derived, absent: "no scored responses",
              help: "Net Promoter Score {what}: 100 x (promoters - detractors) / scored responses, matched to a prompt or not (-100 to 100).", metric: .init(""), derivedFrom: ["scored"]),
    ]
    public static let attributes: [ReportAttribute<NPSStats>] = []
    public func encode(to encoder: Encoder) throws { try encodeReport(to: encoder) }

    enum CodingKeys: String, CodingKey { case scored, promoters, passives, detractors, nps }
}

extension HourWeekdayCell: FigureList {
    public static let figures: [FigureDescriptor<HourWeekdayCell>] = [
        .count("prompts", \.prompts, \.$prompts, privacy: .events, help: "Prompts shown in the local hour and weekday."),
        .count("answered", \.answered, \.$answered, privacy: .events, help: "Of those prompts, answered.", withheldWith: "prompts"),
        // Exported only for the preferred channel's best cell (`feedback.hour_weekday` has no family).
        .fraction("response_rate", \.responseRate, \.$responseRate, absent: "no prompts", from: ["prompts", "answered"],
                  help: "Response rate {what}: answered prompts divided by the prompts shown in that local hour and weekday (the prompt's context.timezone, else the person's latest, else UTC).", metric: .init("response_rate")),
    ]
    public static let attributes: [ReportAttribute<HourWeekdayCell>] = [.init("weekday", \.weekday), .init("hour", \.hour)]
    public func encode(to encoder: Encoder) throws { try encodeReport(to: encoder) }
}

extension WeekPoint: FigureList {
    public static let figures: [FigureDescriptor<WeekPoint>] = [
        .count("persons_seen", \.personsSeen, \.$personsSeen, privacy: .persons, help: "Persons with at least one event in the week."),
        .count("prompts", \.prompts, \.$prompts, privacy: .events, help: "Prompts shown in the week."),
        .count("answered", \.answered, \.$answered, privacy: .events,
               help: "Of the week's prompts, answered (within the window, possibly after the week).", withheldWith: "prompts"),
        .fraction("response_rate", \.responseRate, \.$responseRate, absent: "no prompts that week", from: ["prompts", "answered"],
                  help: "Of the week's prompts, the share answered (0 to 1; the answer may fall in a later week)."),
        .init("consent_coverage", unit: .fraction, keyed: \.consentCoverage, \.$consentCoverage, privacy: .derived,
              noun: "consent category", what: "the consent coverage", absent: "no persons",
              help: "Coverage of the category as of the week's end: granted persons among persons seen by then."),
    ]
    public static let attributes: [ReportAttribute<WeekPoint>] = [.init("week", \.week)]
    public func encode(to encoder: Encoder) throws { try encodeReport(to: encoder) }
}

extension EventNameCount: FigureList {
    public static let figures: [FigureDescriptor<EventNameCount>] = [
        .count("count", \.count, privacy: .audit, help: "Events of that name (the taxonomy, not persons)."),
    ]
    public static let attributes: [ReportAttribute<EventNameCount>] = [.init("name", \.name), .init("known", \.known)]
    public func encode(to encoder: Encoder) throws { try encodeReport(to: encoder) }
}

extension SegmentReport: FigureList {
    public static let figures: [FigureDescriptor<SegmentReport>] = [
        .count("size", \.size, \.$size, privacy: .persons, help: "Members of the segment: persons whose events satisfy its rule as of the reference time.",
               metric: .init("size")),
        .fraction("share", \.share, \.$share, absent: "no persons", from: ["size"],
                  help: "Segment size divided by all persons (0 to 1).", metric: .init("share")),
        .init("reachable", unit: .count, keyed: \.reachable, \.$reachable, privacy: .persons,
              noun: "consent category", what: "the reachable members",
              help: "Reachable members: segment members whose latest consent state for the category is granted.", metric: .init("reachable", keyLabel: "category")),
    ]
    public static let attributes: [ReportAttribute<SegmentReport>] = [
        .init("name", \.name), .init("rule", \.rule), .init("weekly", \.weekly), .init("feedback", \.feedback), .init("nps", \.nps),
        .init("profile_depth", \.profileDepth),
    ]
    public func encode(to encoder: Encoder) throws { try encodeReport(to: encoder) }

    enum CodingKeys: String, CodingKey {
        case name, rule, size, share, reachable, weekly, feedback, nps
        case profileDepth = "profile_depth"
    }
}

extension SegmentWeek: FigureList {
    public static let figures: [FigureDescriptor<SegmentWeek>] = [
        .count("size", \.size, \.$size, privacy: .persons, help: "Members as of the week's end (as of the reference time for the running week)."),
    ]
    public static let attributes: [ReportAttribute<SegmentWeek>] = [.init("week", \.week)]
    public func encode(to encoder: Encoder) throws { try encodeReport(to: encoder) }
}

extension SegmentOverlap: FigureList {
    public static let figures: [FigureDescriptor<SegmentOverlap>] = [
        .count("size", \.size, \.$size, privacy: .persons,
               help: "Persons in both segments (each pair once, a before b in rules-file order).", metric: .init("")),
    ]
    public static let attributes: [ReportAttribute<SegmentOverlap>] = [.init("a", \.a), .init("b", \.b)]
    public func encode(to encoder: Encoder) throws { try encodeReport(to: encoder) }
}
