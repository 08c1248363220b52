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
    public var eventNames: [EventNameCount]
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
                feedback: FeedbackSummary = .init(), weekly: [WeekPoint] = [], eventNames: [EventNameCount] = [],
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
    public var fileList: [FileStats] = []
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
    /// Response rate by prompt ordinal and by the gap since the person's previous prompt (FatigueMetrics.swift).
    public var fatigue: FatigueSummary = .init()
    /// Prompts on the person's preferred channel against other channels (PreferredChannelMetrics.swift).
    public var preferredChannel: PreferredChannelSummary = .init()

    public init() {}

    enum CodingKeys: String, CodingKey {
        case channels, surveys, nps, total, responses, questions, fatigue
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

// MARK: - Encoding

// Explicit encoders so that optional values are written as `null` instead of being left out:
// every key of the schema is always present (docs/REPORT.md). Decoding stays synthesized.
// When you add a stored property, encode it here too (ReportEncodingTests checks the key counts).

extension Report {
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(now, forKey: .now)
        try c.encode(store, forKey: .store)
        try c.encode(consent, forKey: .consent)
        try c.encode(feedback, forKey: .feedback)
        try c.encode(weekly, forKey: .weekly)
        try c.encode(eventNames, forKey: .eventNames)
        try c.encode(segments, forKey: .segments)
        try c.encode(overlap, forKey: .overlap)
        try c.encode(loops, forKey: .loops)
        try c.encode(journeys, forKey: .journeys)
        try c.encode(privacy, forKey: .privacy)
        try c.encode(persons, forKey: .persons)
    }
}

extension StoreSummary {
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(files, forKey: .files)
        try c.encode(lines, forKey: .lines)
        try c.encode(batchEnvelopes, forKey: .batchEnvelopes)
        try c.encode(batchItems, forKey: .batchItems)
        try c.encode(records, forKey: .records)
        try c.encode(events, forKey: .events)
        try c.encode(duplicates, forKey: .duplicates)
        try c.encode(malformed, forKey: .malformed)
        try c.encode(_persons, forKey: .persons)
        try c.encode(deletedPersons, forKey: .deletedPersons)
        try c.encode(deletedEvents, forKey: .deletedEvents)
        try c.encode(malformedShare, forKey: .malformedShare)
        try c.encode(malformedKinds, forKey: .malformedKinds)
        try c.encode(firstEvent, forKey: .firstEvent)
        try c.encode(lastEvent, forKey: .lastEvent)
        try c.encode(lastEventAgeSeconds, forKey: .lastEventAgeSeconds)
        try c.encode(malformedLines, forKey: .malformedLines)
        try c.encode(fileList, forKey: .fileList)
        try c.encode(warnings, forKey: .warnings)
    }
}

extension ConsentSummary {
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(analyticsCategory, forKey: .analyticsCategory)
        try c.encode(_persons, forKey: .persons)
        try c.encode(events, forKey: .events)
        try c.encode(categories, forKey: .categories)
        try c.encode(eventsWithoutConsent, forKey: .eventsWithoutConsent)
        try c.encode(eventsConsentUnknown, forKey: .eventsConsentUnknown)
        try c.encode(analyticsCategoryNote, forKey: .analyticsCategoryNote)
    }
}

extension CategoryCoverage {
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(label, forKey: .label)
        try c.encode(_granted, forKey: .granted)
        try c.encode(_denied, forKey: .denied)
        try c.encode(_unknown, forKey: .unknown)
        try c.encode(_coverage, forKey: .coverage)
    }
}

extension LoopStats {
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(channel, forKey: .channel)
        try c.encode(surveyID, forKey: .surveyID)
        try c.encode(_prompts, forKey: .prompts)
        try c.encode(_answered, forKey: .answered)
        try c.encode(_responseRate, forKey: .responseRate)
        try c.encode(_personsPrompted, forKey: .personsPrompted)
        try c.encode(_personsAnswered, forKey: .personsAnswered)
        try c.encode(_personResponseRate, forKey: .personResponseRate)
        try c.encode(_dismissed, forKey: .dismissed)
        try c.encode(_dismissalRate, forKey: .dismissalRate)
        try c.encode(_medianSecondsToAnswer, forKey: .medianSecondsToAnswer)
    }
}

extension NPSStats {
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(_scored, forKey: .scored)
        try c.encode(_promoters, forKey: .promoters)
        try c.encode(_passives, forKey: .passives)
        try c.encode(_detractors, forKey: .detractors)
        try c.encode(_nps, forKey: .nps)
    }

    enum CodingKeys: String, CodingKey { case scored, promoters, passives, detractors, nps }
}

extension HourWeekdayCell {
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(weekday, forKey: .weekday)
        try c.encode(hour, forKey: .hour)
        try c.encode(_prompts, forKey: .prompts)
        try c.encode(_answered, forKey: .answered)
        try c.encode(_responseRate, forKey: .responseRate)
    }
}

extension WeekPoint {
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(week, forKey: .week)
        try c.encode(_personsSeen, forKey: .personsSeen)
        try c.encode(_prompts, forKey: .prompts)
        try c.encode(_answered, forKey: .answered)
        try c.encode(_responseRate, forKey: .responseRate)
        try c.encode(_consentCoverage, forKey: .consentCoverage)
    }
}

extension SegmentReport {
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(rule, forKey: .rule)
        try c.encode(_size, forKey: .size)
        try c.encode(_share, forKey: .share)
        try c.encode(_reachable, forKey: .reachable)
        try c.encode(weekly, forKey: .weekly)
        try c.encode(feedback, forKey: .feedback)
        try c.encode(nps, forKey: .nps)
        try c.encode(profileDepth, forKey: .profileDepth)
    }

    enum CodingKeys: String, CodingKey {
        case name, rule, size, share, reachable, weekly, feedback, nps
        case profileDepth = "profile_depth"
    }
}
