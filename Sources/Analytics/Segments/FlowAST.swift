// Loops and journeys: definitions of a rules file next to segments and scores, in the same
// language (their events are `did` clauses) and with the same errors.

/// One kind of event a loop starts from or waits for.
public enum LoopEvent: Sendable, Hashable {
    /// `did "Order Delivered" where late = true`: events matching a `did` clause's pattern.
    case pattern(EventPattern)
    /// `answered nps <= 6`: a survey response (`Survey Sent`, PostHog's `survey sent`) whose score
    /// (`score`, `survey_response` or `$survey_response`, a whole number 0…10) compares true.
    case answered(ComparisonOperator, Double, location: SourceLocation)

    /// Where the event is written.
    public var location: SourceLocation {
        switch self {
        case .pattern(let p): return p.location
        case .answered(_, _, let loc): return loc
        }
    }
}

/// `loop "Name": when TRIGGER expect EXPECTED [or EXPECTED …] within D`: a promise to follow up
/// every trigger with an expected event of the same person within D (docs/DEFINITIONS.md, Loops).
public struct LoopDefinition: Sendable, Hashable {
    public var name: String
    /// The definition's text after the colon, exactly as written.
    public var rule: String
    public var location: SourceLocation
    public var nameLocation: SourceLocation
    /// Any of these starts a loop (`when A or B`).
    public var triggers: [LoopEvent]
    /// Any of these closes it (`expect A or B`).
    public var expected: [LoopEvent]
    /// The promise: how soon after the trigger the expected event must come.
    public var within: RuleDuration
}

/// Which way a journey goes from its entry.
public enum JourneyDirection: String, Sendable, Hashable {
    /// `from PATTERN`: the steps after each entry.
    case after = "from"
    /// `before PATTERN`: the steps that led to each entry, nearest first.
    case before
}

/// What a journey's steps are.
public enum JourneyStepKind: String, Sendable, Hashable {
    /// `by section` (the default): the sections of page and screen calls.
    case section
    /// `by event`: event names (a track call's `event`, a page or screen call's `name`).
    case event
}

/// `journey "Name": from|before PATTERN [by section|event] [steps N] [within D]`
/// (docs/DEFINITIONS.md, Journeys).
public struct JourneyDefinition: Sendable, Hashable {
    public var name: String
    /// The definition's text after the colon, exactly as written.
    public var rule: String
    public var location: SourceLocation
    public var nameLocation: SourceLocation
    public var direction: JourneyDirection
    /// The entry events.
    public var entry: EventPattern
    /// The entry's `did` clause exactly as written (`did "Email Link Clicked" where category = "baby"`).
    public var entryRule: String
    public var stepKind: JourneyStepKind
    /// How many steps each journey follows (1 … ``JourneyDefinition/maxSteps``; default 3).
    public var steps: Int
    /// The journey also ends this long after (or, for `before`, before) the entry; nil: only the
    /// 30-minute inactivity gap ends it.
    public var window: RuleDuration?

    /// The most steps a journey may follow.
    public static let maxSteps = 10
    /// The default number of steps.
    public static let defaultSteps = 3
    /// A journey's session ends at a gap of at least this long between two events (30 minutes).
    public static let inactivityGap: Int64 = 30 * 60_000
}
