// The report sections of loops and journeys (docs/REPORT.md, "loops" and "journeys").
// Explicit encoders as in Report.swift: every key is always present, absent values are `null`.

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

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(rule, forKey: .rule)
        try c.encode(withinSeconds, forKey: .withinSeconds)
        try outcomes.encodeFields(into: &c)
        try c.encode(_persons, forKey: .persons)
        try c.encode(_lateRate, forKey: .lateRate)
        try c.encode(_missedRate, forKey: .missedRate)
        try c.encode(_medianSecondsToClose, forKey: .medianSecondsToClose)
        try c.encode(_p90SecondsToClose, forKey: .p90SecondsToClose)
        try c.encode(_oldestOpenSeconds, forKey: .oldestOpenSeconds)
        try c.encode(_openOlderThanHours, forKey: .openOlderThanHours)
        try c.encode(byChannel, forKey: .byChannel)
        try c.encode(weekly, forKey: .weekly)
        try c.encode(openAges, forKey: .openAges)
    }
}

extension LoopOutcomes {
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try encodeFields(into: &c)
    }

    /// Writes the outcome keys into a container that has them (a loop's or a week's), flat.
    func encodeFields<K: CodingKey>(into c: inout KeyedEncodingContainer<K>) throws {
        func key(_ k: CodingKeys) -> K { K(stringValue: k.rawValue)! }
        try c.encode(_triggers, forKey: key(.triggers))
        try c.encode(_inTime, forKey: key(.inTime))
        try c.encode(_late, forKey: key(.late))
        try c.encode(_open, forKey: key(.open))
        try c.encode(_missed, forKey: key(.missed))
        try c.encode(_inTimeRate, forKey: key(.inTimeRate))
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

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(channel, forKey: .channel)
        try c.encode(_closed, forKey: .closed)
        try c.encode(_inTime, forKey: .inTime)
        try c.encode(_medianSecondsToClose, forKey: .medianSecondsToClose)
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

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(week, forKey: .week)
        try outcomes.encodeFields(into: &c)
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

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(fromSeconds, forKey: .fromSeconds)
        try c.encode(toSeconds, forKey: .toSeconds)
        try c.encode(_open, forKey: .open)
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

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(rule, forKey: .rule)
        try c.encode(entry, forKey: .entry)
        try c.encode(direction, forKey: .direction)
        try c.encode(by, forKey: .by)
        try c.encode(steps, forKey: .steps)
        try c.encode(windowSeconds, forKey: .windowSeconds)
        try c.encode(_entries, forKey: .entries)
        try c.encode(_persons, forKey: .persons)
        try c.encode(tree, forKey: .tree)
        try c.encode(paths, forKey: .paths)
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

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(step, forKey: .step)
        try c.encode(_entries, forKey: .entries)
        try c.encode(_persons, forKey: .persons)
        try c.encode(_share, forKey: .share)
        try c.encode(_ended, forKey: .ended)
        try c.encode(_endedShare, forKey: .endedShare)
        try c.encode(children, forKey: .children)
    }
}

/// A whole journey as taken by some entries; ends with `(left)` (`(start)`) when it has fewer steps than asked for.
public struct JourneyPath: Codable, Sendable, Equatable {
    public var steps: [String]
    @Suppressible public var entries: Int = 0
    @Suppressible public var persons: Int = 0

    public init(steps: [String], entries: Int, persons: Int) { self.steps = steps; self.entries = entries; self.persons = persons }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(steps, forKey: .steps)
        try c.encode(_entries, forKey: .entries)
        try c.encode(_persons, forKey: .persons)
    }

    enum CodingKeys: String, CodingKey { case steps, entries, persons }
}
