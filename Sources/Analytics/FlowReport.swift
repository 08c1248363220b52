// The report sections of loops and journeys (docs/REPORT.md, "loops" and "journeys").
// Each struct declares its figures once (``FigureList``), as in Report.swift.

/// How the triggers of a loop (or of one week of it) ended up, as of the reference time.
public struct LoopOutcomes: Codable, Sendable, Equatable {
    @Suppressible public var triggers: Int = 0
    /// Followed up within the promised time.
    @Suppressible public var inTime: Int = 0
    /// Followed up after the promised time, before the person's next trigger.
    @Suppressible public var late: Int = 0
    /// Not followed up, and the promised time has not passed yet.
    @Suppressible public var open: Int = 0
    /// Not followed up, and the promised time has passed.
    @Suppressible public var missed: Int = 0
    /// in time / (triggers − open); nil when every trigger is open.
    @Suppressible public var inTimeRate: Double?

    public init() {}

    /// Adds one trigger's outcome.
    mutating func add(_ outcome: LoopOutcome) {
        triggers += 1
        switch outcome {
        case .inTime: inTime += 1
        case .late: late += 1
        case .open: open += 1
        case .missed: missed += 1
        }
    }

    /// Sets the rates from the counts.
    mutating func finish() { inTimeRate = ratio(inTime, triggers - open) }

    enum CodingKeys: String, CodingKey {
        case triggers, late, open, missed
        case inTime = "in_time"
        case inTimeRate = "in_time_rate"
    }
}

/// What became of one trigger (docs/DEFINITIONS.md, Loops).
public enum LoopOutcome: String, Sendable, Equatable, CaseIterable {
    case inTime = "in_time", late, open, missed
}

/// One loop of the rules file: its triggers and how they were followed up.
public struct LoopReport: Codable, Sendable, Equatable {
    public var name: String
    /// The definition as written after the colon.
    public var rule: String
    /// The promised time (`within`), in seconds.
    public var withinSeconds: Double
    /// Triggers and their outcomes.
    public var outcomes: LoopOutcomes
    /// Persons with at least one trigger.
    @Suppressible public var persons: Int = 0
    /// late / (triggers − open).
    @Suppressible public var lateRate: Double?
    /// missed / (triggers − open).
    @Suppressible public var missedRate: Double?
    /// Median seconds from trigger to follow-up over triggers closed in time or late.
    @Suppressible public var medianSecondsToClose: Double?
    /// 90th percentile (nearest rank) of the same.
    @Suppressible public var p90SecondsToClose: Double?
    /// Seconds since the oldest open trigger; nil when none is open.
    @Suppressible public var oldestOpenSeconds: Double?
    /// The same in hours, 0 when none is open (for `check`: `open_older_than_hours <= 12`).
    @Suppressible public var openOlderThanHours: Double = 0
    /// Closed triggers (in time or late) by the follow-up event's `channel` property (`unknown` without one).
    public var byChannel: [LoopChannel] = []
    /// Triggers by the ISO week of the trigger.
    public var weekly: [LoopWeek] = []
    /// Open triggers by age: eight equal bins from 0 to the promised time.
    public var openAges: [LoopAgeBin] = []

    public init(name: String, rule: String, withinSeconds: Double) {
        self.name = name; self.rule = rule; self.withinSeconds = withinSeconds; outcomes = LoopOutcomes()
    }

    // The outcome counts are also reachable directly (`loop["X"].in_time`), as the JSON writes them.
    public var triggers: Int { outcomes.triggers }
    public var inTime: Int { outcomes.inTime }
    public var late: Int { outcomes.late }
    public var open: Int { outcomes.open }
    public var missed: Int { outcomes.missed }
    public var inTimeRate: Double? { outcomes.inTimeRate }

    enum CodingKeys: String, CodingKey {
        case name, rule, persons, weekly
        case triggers, late, open, missed
        case inTime = "in_time"
        case inTimeRate = "in_time_rate"
        case withinSeconds = "within_seconds"
        case lateRate = "late_rate"
        case missedRate = "missed_rate"
        case medianSecondsToClose = "median_seconds_to_close"
        case p90SecondsToClose = "p90_seconds_to_close"
        case oldestOpenSeconds = "oldest_open_seconds"
        case openOlderThanHours = "open_older_than_hours"
        case byChannel = "by_channel"
        case openAges = "open_ages"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        rule = try c.decode(String.self, forKey: .rule)
        withinSeconds = try c.decode(Double.self, forKey: .withinSeconds)
        outcomes = try LoopOutcomes(from: decoder)
        _persons = try c.decode(Suppressible<Int>.self, forKey: .persons)
        _lateRate = try c.decode(Suppressible<Double?>.self, forKey: .lateRate)
        _missedRate = try c.decode(Suppressible<Double?>.self, forKey: .missedRate)
        _medianSecondsToClose = try c.decode(Suppressible<Double?>.self, forKey: .medianSecondsToClose)
        _p90SecondsToClose = try c.decode(Suppressible<Double?>.self, forKey: .p90SecondsToClose)
        _oldestOpenSeconds = try c.decode(Suppressible<Double?>.self, forKey: .oldestOpenSeconds)
        _openOlderThanHours = try c.decode(Suppressible<Double>.self, forKey: .openOlderThanHours)
        byChannel = try c.decode([LoopChannel].self, forKey: .byChannel)
        weekly = try c.decode([LoopWeek].self, forKey: .weekly)
        openAges = try c.decode([LoopAgeBin].self, forKey: .openAges)
    }
}


/// Closed triggers of a loop whose follow-up came through one channel.
public struct LoopChannel: Codable, Sendable, Equatable {
    public var channel: String
    /// Closed in time or late.
    @Suppressible public var closed: Int = 0
    @Suppressible public var inTime: Int = 0
    @Suppressible public var medianSecondsToClose: Double?

    public init(channel: String) { self.channel = channel }

    enum CodingKeys: String, CodingKey {
        case channel, closed
        case inTime = "in_time"
        case medianSecondsToClose = "median_seconds_to_close"
    }
}

/// A loop's triggers of one ISO week (by the trigger's time) and their outcomes as of the reference time.
public struct LoopWeek: Codable, Sendable, Equatable {
    public var week: String
    public var outcomes: LoopOutcomes

    public init(week: String, outcomes: LoopOutcomes = .init()) { self.week = week; self.outcomes = outcomes }

    enum CodingKeys: String, CodingKey {
        case week, triggers, late, open, missed
        case inTime = "in_time"
        case inTimeRate = "in_time_rate"
    }

    public init(from decoder: Decoder) throws {
        week = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .week)
        outcomes = try LoopOutcomes(from: decoder)
    }
}

/// Open triggers whose age (reference time − trigger time) is in `from_seconds ..< to_seconds`.
public struct LoopAgeBin: Codable, Sendable, Equatable {
    public var fromSeconds: Double
    public var toSeconds: Double
    @Suppressible public var open: Int = 0

    public init(fromSeconds: Double, toSeconds: Double, open: Int) {
        self.fromSeconds = fromSeconds; self.toSeconds = toSeconds; self.open = open
    }

    enum CodingKeys: String, CodingKey {
        case open
        case fromSeconds = "from_seconds"
        case toSeconds = "to_seconds"
    }
}

/// One journey of the rules file: its entries and where they went (or came from).
public struct JourneyReport: Codable, Sendable, Equatable {
    public var name: String
    /// The definition as written after the colon.
    public var rule: String
    /// The entry's `did` clause as written.
    public var entry: String
    /// `from` (steps after the entry) or `before` (steps that led to it, nearest first).
    public var direction: String
    /// `section` or `event`.
    public var by: String
    /// Steps followed.
    public var steps: Int
    /// The journey's window in seconds; nil: only the inactivity gap ends a journey.
    public var windowSeconds: Double?
    /// Entry events (each matching event at or before the reference time).
    @Suppressible public var entries: Int = 0
    /// Persons with at least one entry.
    @Suppressible public var persons: Int = 0
    /// The tree: entry → 1st step → 2nd step …
    public var tree: JourneyTree = .init()
    /// The most frequent whole journeys, most entries first (at most ``JourneyMetrics/maxPaths``).
    public var paths: [JourneyPath] = []

    public init(name: String, rule: String, entry: String, direction: String, by: String, steps: Int, windowSeconds: Double?) {
        self.name = name; self.rule = rule; self.entry = entry; self.direction = direction; self.by = by; self.steps = steps
        self.windowSeconds = windowSeconds
    }

    enum CodingKeys: String, CodingKey {
        case name, rule, entry, direction, by, steps, entries, persons, tree, paths
        case windowSeconds = "window_seconds"
    }
}

/// The root of a journey tree: the first steps.
public struct JourneyTree: Codable, Sendable, Equatable {
    public var children: [JourneyNode] = []
    public init(children: [JourneyNode] = []) { self.children = children }
}

/// One step of a journey tree: the entries that took this path so far.
public struct JourneyNode: Codable, Sendable, Equatable {
    /// The section or event name; `(other)` for the children folded after the top 8;
    /// `(left)` (`(start)` for `before` journeys) for journeys that ended before this step.
    public var step: String
    @Suppressible public var entries: Int = 0
    @Suppressible public var persons: Int = 0
    /// entries / the parent's entries (the journey's entries for a first step).
    @Suppressible public var share: Double?
    /// Entries whose journey ended right after this step (fewer steps than asked for).
    @Suppressible public var ended: Int = 0
    /// ended / entries.
    @Suppressible public var endedShare: Double?
    public var children: [JourneyNode] = []

    public init(step: String) { self.step = step }

    /// Whether this is an `(other)`, `(left)` or `(start)` node rather than a step.
    public var isSpecial: Bool { JourneyMetrics.isSpecial(step) }

    enum CodingKeys: String, CodingKey {
        case step, entries, persons, share, ended, children
        case endedShare = "ended_share"
    }
}

/// A whole journey as taken by some entries; ends with `(left)` (`(start)`) when it has fewer steps than asked for.
public struct JourneyPath: Codable, Sendable, Equatable {
    public var steps: [String]
    @Suppressible public var entries: Int = 0
    @Suppressible public var persons: Int = 0

    public init(steps: [String], entries: Int, persons: Int) { self.steps = steps; self.entries = entries; self.persons = persons }

    enum CodingKeys: String, CodingKey { case steps, entries, persons }
}

// MARK: - Figures

extension LoopOutcomes: FigureList {
    public static let figures: [FigureDescriptor<LoopOutcomes>] = [
        .count("triggers", \.triggers, \.$triggers, privacy: .events,
               help: "Triggers of the loop: events matching its `when` condition at or before the reference time, each a promise to follow up.", metric: .init("triggers")),
        .count("in_time", \.inTime, \.$inTime, privacy: .events, help: "In time: triggers followed by the same person's expected event within the promised time.",
               metric: .init("outcome", labels: [("outcome", "in_time")]), withheldWith: "triggers"),
        .count("late", \.late, \.$late, privacy: .events, help: "Late: triggers followed up after the promised time but before that person's next trigger of the loop.",
               metric: .init("outcome", labels: [("outcome", "late")]), withheldWith: "triggers"),
        .count("open", \.open, \.$open, privacy: .events, help: "Open: triggers not followed up whose promised time has not yet run out at the reference time.",
               metric: .init("outcome", labels: [("outcome", "open")]), withheldWith: "triggers"),
        .count("missed", \.missed, \.$missed, privacy: .events, help: "Missed: triggers not followed up whose promised time ran out.",
               metric: .init("outcome", labels: [("outcome", "missed")]), withheldWith: "triggers"),
        .fraction("in_time_rate", \.inTimeRate, \.$inTimeRate, absent: "no decided triggers (none, or all open)",
                  from: ["triggers", "in_time", "late", "open", "missed"],
                  help: "Triggers followed up in time divided by triggers no longer open: in time / (triggers - open) (0 to 1).", metric: .init("in_time_rate")),
    ]
    public static let attributes: [ReportAttribute<LoopOutcomes>] = []
    public func encode(to encoder: Encoder) throws { try encodeReport(to: encoder) }
}

extension LoopReport: FigureList {
    /// The promised time, the outcomes (written flat into the loop, as `loop["X"].in_time`), then the loop's own figures.
    public static let figures: [FigureDescriptor<LoopReport>] = [
        .seconds("within_seconds", \.withinSeconds, absent: "no promise", help: "The loop's promised time to follow up.",
                 metric: .init("within_seconds")),
    ] + LoopOutcomes.figures.map { $0.lifted(through: \LoopReport.outcomes) } + [
        .count("persons", \.persons, \.$persons, privacy: .persons, help: "Persons with at least one trigger of the loop.",
               metric: .init("persons")),
        .fraction("late_rate", \.lateRate, \.$lateRate, absent: "no decided triggers", from: ["late", "triggers", "open"],
                  help: "Triggers followed up late divided by triggers no longer open (0 to 1)."),
        .fraction("missed_rate", \.missedRate, \.$missedRate, absent: "no decided triggers", from: ["missed", "triggers", "open"],
                  help: "Triggers missed divided by triggers no longer open (0 to 1)."),
        .seconds("median_seconds_to_close", \.medianSecondsToClose, \.$medianSecondsToClose, absent: "nothing closed",
                 from: ["persons", "in_time", "late"], help: "Median time from a trigger to its follow-up (in time or late).",
                 metric: .init("median_seconds_to_close")),
        .seconds("p90_seconds_to_close", \.p90SecondsToClose, \.$p90SecondsToClose, absent: "nothing closed",
                 from: ["persons", "in_time", "late"],
                 help: "90th percentile of seconds from trigger to follow-up (closed triggers).", metric: .init("p90_seconds_to_close")),
        .seconds("oldest_open_seconds", \.oldestOpenSeconds, \.$oldestOpenSeconds, absent: "nothing open", from: ["open"],
                 help: "Age of the oldest open trigger at the reference time (no value when none is open).", metric: .init("oldest_open_seconds")),
        .init("open_older_than_hours", unit: .hours, \.openOlderThanHours, \.$openOlderThanHours, privacy: .derived,
              help: "Hours since the oldest open trigger, 0 when none is open.", derivedFrom: ["open"]),
    ]
    public static let attributes: [ReportAttribute<LoopReport>] = [
        .init("name", \.name), .init("rule", \.rule), .init("by_channel", \.byChannel), .init("weekly", \.weekly),
        .init("open_ages", \.openAges),
    ]
    public func encode(to encoder: Encoder) throws { try encodeReport(to: encoder) }
}

extension LoopChannel: FigureList {
    public static let figures: [FigureDescriptor<LoopChannel>] = [
        .count("closed", \.closed, \.$closed, privacy: .events, help: "Triggers closed (in time or late) through the channel."),
        .count("in_time", \.inTime, \.$inTime, privacy: .events, help: "Of those, closed in time.", withheldWith: "closed"),
        .seconds("median_seconds_to_close", \.medianSecondsToClose, \.$medianSecondsToClose, absent: "nothing closed",
                 from: ["closed"], help: "Median seconds from trigger to follow-up through the channel."),
    ]
    public static let attributes: [ReportAttribute<LoopChannel>] = [.init("channel", \.channel)]
    public func encode(to encoder: Encoder) throws { try encodeReport(to: encoder) }
}

extension LoopWeek: FigureList {
    public static let figures = LoopOutcomes.figures.map { $0.lifted(through: \LoopWeek.outcomes) }
    public static let attributes: [ReportAttribute<LoopWeek>] = [.init("week", \.week)]
    public func encode(to encoder: Encoder) throws { try encodeReport(to: encoder) }
}

extension LoopAgeBin: FigureList {
    public static let figures: [FigureDescriptor<LoopAgeBin>] = [
        .count("open", \.open, \.$open, privacy: .events, help: "Open triggers of that age."),
    ]
    public static let attributes: [ReportAttribute<LoopAgeBin>] = [
        .init("from_seconds", \.fromSeconds), .init("to_seconds", \.toSeconds),
    ]
    public func encode(to encoder: Encoder) throws { try encodeReport(to: encoder) }
}

extension JourneyReport: FigureList {
    public static let figures: [FigureDescriptor<JourneyReport>] = [
        .count("entries", \.entries, \.$entries, privacy: .events,
               help: "Entry events of the journey at or before the reference time.", metric: .init("entries"), withheldWith: "persons"),
        .count("persons", \.persons, \.$persons, privacy: .persons, help: "Persons with at least one entry of the journey.",
               metric: .init("persons")),
    ]
    public static let attributes: [ReportAttribute<JourneyReport>] = [
        .init("name", \.name), .init("rule", \.rule), .init("entry", \.entry), .init("direction", \.direction), .init("by", \.by),
        .init("steps", \.steps), .init("window_seconds", \.windowSeconds), .init("tree", \.tree), .init("paths", \.paths),
    ]
    public func encode(to encoder: Encoder) throws { try encodeReport(to: encoder) }
}

extension JourneyNode: FigureList {
    public static let figures: [FigureDescriptor<JourneyNode>] = [
        .count("entries", \.entries, \.$entries, privacy: .events, help: "Journeys (entries) that reached this step."),
        .count("persons", \.persons, \.$persons, privacy: .persons, help: "Distinct persons whose journeys reached this step."),
        .fraction("share", \.share, \.$share, absent: "no entries", from: ["entries"],
                  help: "Entries reaching this step divided by the entries reaching its parent (the journey's for a first step)."),
        .count("ended", \.ended, \.$ended, privacy: .events, help: "Journeys that ended at this step (no further step).",
               withheldWith: "entries"),
        .fraction("ended_share", \.endedShare, \.$endedShare, absent: "no entries", from: ["entries", "ended"],
                  help: "Ended divided by entries."),
    ]
    public static let attributes: [ReportAttribute<JourneyNode>] = [.init("step", \.step), .init("children", \.children)]
    public func encode(to encoder: Encoder) throws { try encodeReport(to: encoder) }
}

extension JourneyPath: FigureList {
    public static let figures: [FigureDescriptor<JourneyPath>] = [
        .count("entries", \.entries, \.$entries, privacy: .events, help: "Journeys that took exactly this path, from the entry to where it ended.",
               withheldWith: "persons"),
        .count("persons", \.persons, \.$persons, privacy: .persons, help: "Distinct persons who took this path."),
    ]
    public static let attributes: [ReportAttribute<JourneyPath>] = [.init("steps", \.steps)]
    public func encode(to encoder: Encoder) throws { try encodeReport(to: encoder) }
}
