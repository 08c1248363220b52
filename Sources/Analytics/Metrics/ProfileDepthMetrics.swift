import EventStore

/// Profile depth (`persons.profile_depth`): how many distinct questions each person has answered by the reference
/// time — the value exchange of "listen, don't track". Definitions: docs/DEFINITIONS.md, "Profile depth".
public struct ProfileDepthSummary: Codable, Sendable, Equatable {
    /// Over all persons in scope (those with an event at or before the reference time).
    public var all = DepthDistribution()
    /// Over the persons who received at least one prompt at or before the reference time.
    public var prompted = DepthDistribution()
    /// Per ISO week (the weeks of the weekly series): the distribution over all persons as of the week's end.
    public var weekly: [DepthWeek] = []

    public init() {}
}

/// Persons by profile depth: 0, 1, 2, 3 and 4 or more distinct questions answered.
public struct DepthDistribution: Codable, Sendable, Equatable {
    /// Persons counted (the denominator of the shares).
    @Suppressible public var persons: Int = 0
    /// Depth 0, 1, 2, 3, 4+ (always five rows).
    public var depth: [DepthBucket] = ProfileDepthMetrics.emptyBuckets

    public init() {}

    /// The distribution of `counts` (persons at depth 0, 1, 2, 3, 4+), shares relative to their sum.
    public init(counts: [Int]) {
        let total = counts.reduce(0, +)
        persons = total
        depth = counts.indices.map {
            DepthBucket(depth: $0, orMore: $0 == ProfileDepthMetrics.maxDepth, persons: counts[$0],
                        share: ratio(counts[$0], total))
        }
    }

    enum CodingKeys: String, CodingKey { case persons, depth }

    public func encode(to encoder: Encoder) throws { try encodeReport(to: encoder) }
}

/// The persons at one depth (the last bucket: that depth or more).
public struct DepthBucket: Codable, Sendable, Equatable {
    /// 0…4.
    public var depth: Int
    /// True for the last bucket (4 or more questions).
    public var orMore: Bool
    @Suppressible public var persons: Int
    /// persons / the distribution's persons.
    @Suppressible public var share: Double?

    public init(depth: Int, orMore: Bool, persons: Int, share: Double?) {
        self.depth = depth; self.orMore = orMore; self.persons = persons; self.share = share
    }

    /// `2`, or `4+` for the last bucket.
    public var label: String { orMore ? "\(depth)+" : "\(depth)" }

    enum CodingKeys: String, CodingKey {
        case depth, persons, share
        case orMore = "or_more"
    }

    public func encode(to encoder: Encoder) throws { try encodeReport(to: encoder, orMore: orMore) }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        depth = try c.decode(Int.self, forKey: .depth)
        orMore = try c.decodeIfPresent(Bool.self, forKey: .orMore) ?? false
        _persons = try c.decode(Suppressible<Int>.self, forKey: .persons)
        _share = try c.decode(Suppressible<Double?>.self, forKey: .share)
    }
}

/// The depth distribution as of one week's end.
public struct DepthWeek: Codable, Sendable, Equatable {
    public var week: String
    public var distribution: DepthDistribution

    public init(week: String, distribution: DepthDistribution) { self.week = week; self.distribution = distribution }

    enum CodingKeys: String, CodingKey { case week }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(week, forKey: .week)
        try distribution.encode(to: encoder)
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        week = try c.decode(String.self, forKey: .week)
        distribution = try DepthDistribution(from: decoder)
    }
}

/// A segment's profile depth: over its members, and over its members who were ever prompted.
public struct SegmentProfileDepth: Codable, Sendable, Equatable {
    public var all = DepthDistribution()
    public var prompted = DepthDistribution()
    public init() {}
}

/// While a person's responses stream in (FeedbackMetrics), the distinct questions they answer and when each was
/// first answered.
struct DepthRecorder: Sendable {
    private struct Key: Hashable { var survey: Int32; var question: String? }
    private var seen: Set<Key> = []
    private var current: Int32 = -1
    /// Per distinct (person, question), in person order then time order: the person and the first answer's time.
    private(set) var person: [Int32] = []
    private(set) var time: [Int64] = []

    mutating func begin(person p: Int32) {
        if p != current { seen.removeAll(keepingCapacity: true); current = p }
    }

    /// Notes an answer to `question` of survey key `survey`; returns whether the value is an answer (not null).
    mutating func note(survey: Int32, question: String, value: PropValue, time t: Int64) -> Bool {
        guard value.number != nil || value.stringID != nil || value.bool != nil else { return false }
        add(Key(survey: survey, question: question), t)
        return true
    }

    /// Notes a response that carries no answer: it answers its survey as one question.
    mutating func noteSurvey(_ survey: Int32, time t: Int64) { add(Key(survey: survey, question: nil), t) }

    private mutating func add(_ key: Key, _ t: Int64) {
        if seen.insert(key).inserted { person.append(current); time.append(t) }
    }
}

/// Every in-scope person's depth, for per-segment distributions.
public struct PersonDepths: Sendable {
    /// Per person of the table: distinct questions answered (capped at ``ProfileDepthMetrics/maxDepth``), or -1
    /// for a person out of scope or without events at or before the reference time.
    var depth: [Int8]
    /// Per person: at least one prompt at or before the reference time.
    var prompted: PersonSet

    /// The distributions over the members of `set` (and its prompted members).
    public func distribution(of set: PersonSet) -> SegmentProfileDepth {
        var all = [Int](repeating: 0, count: ProfileDepthMetrics.maxDepth + 1)
        var asked = all
        set.forEachMember { p in
            let d = Int(depth[p])
            guard d >= 0 else { return }
            all[d] += 1
            if prompted.contains(p) { asked[d] += 1 }
        }
        var out = SegmentProfileDepth()
        out.all = DepthDistribution(counts: all)
        out.prompted = DepthDistribution(counts: asked)
        return out
    }
}

/// Computes profile depth.
public enum ProfileDepthMetrics {
    /// The last bucket holds this depth and more.
    public static let maxDepth = 4

    static let emptyBuckets = (0...maxDepth).map {
        DepthBucket(depth: $0, orMore: $0 == maxDepth, persons: 0, share: nil)
    }

    /// Every in-scope person's depth over `persons` (all when nil), from a feedback pass of its own (the report takes
    /// them from ``AnalysisIndex``; tests recompute them with this).
    public static func personDepths(table: EventTable, options: AnalysisOptions, persons: PersonSet? = nil) -> PersonDepths {
        let scope = AnalysisScope(table: table, options: options, persons: persons)
        return personDepths(scope, feedback: FeedbackMetrics.analyze(scope))
    }

    static func personDepths(_ scope: AnalysisScope, feedback: FeedbackAnalysis) -> PersonDepths {
        var depth = [Int8](repeating: -1, count: scope.table.personCount)
        scope.forEachPerson { p, _ in depth[p] = 0 }
        for p in feedback.depth.person where depth[Int(p)] < Int8(maxDepth) { depth[Int(p)] += 1 }
        var prompted = PersonSet(universe: scope.table.personCount)
        for p in feedback.promptPerson { prompted.insert(Int(p)) }
        return PersonDepths(depth: depth, prompted: prompted)
    }

    static func compute(_ scope: AnalysisScope, feedback: FeedbackAnalysis) -> ProfileDepthSummary {
        let depths = personDepths(scope, feedback: feedback)
        var summary = ProfileDepthSummary()
        let all = depths.distribution(of: scope.filter ?? PersonSet.all(scope.table.personCount))
        summary.all = all.all
        summary.prompted = all.prompted
        summary.weekly = weekly(scope, feedback: feedback)
        return summary
    }

    /// One distribution per week of the weekly series, as of the week's end: a person counts from the week of
    /// their first event (at depth 0) and moves up a bucket in the week of each distinct question's first answer.
    static func weekly(_ scope: AnalysisScope, feedback: FeedbackAnalysis) -> [DepthWeek] {
        guard let now = scope.now else { return [] }
        let table = scope.table
        var firstTime = Int64.max
        scope.forEachPerson { _, rows in firstTime = min(firstTime, table.time[rows.lowerBound]) }
        guard firstTime != .max else { return [] }
        let lastWeek = CivilTime.weekIndex(ofMs: now)
        let firstWeek = max(CivilTime.weekIndex(ofMs: firstTime), lastWeek - Int64(WeeklyMetrics.maxWeeks) + 1)
        let weeks = Int(lastWeek - firstWeek + 1)
        func slot(_ t: Int64) -> Int { max(0, Int(CivilTime.weekIndex(ofMs: t) - firstWeek)) }
        // diff[w][d]: change in persons at depth d during week w.
        var diff = [[Int]](repeating: [Int](repeating: 0, count: maxDepth + 1), count: weeks)
        scope.forEachPerson { p, rows in diff[slot(table.time[rows.lowerBound])][0] += 1 }
        let person = feedback.depth.person, time = feedback.depth.time
        var k = 0
        for i in person.indices {
            k = i > 0 && person[i] == person[i - 1] ? k + 1 : 1
            guard k <= maxDepth else { continue }
            let w = slot(time[i])
            diff[w][k - 1] -= 1
            diff[w][k] += 1
        }
        var counts = [Int](repeating: 0, count: maxDepth + 1)
        return (0..<weeks).map { w in
            for d in counts.indices { counts[d] += diff[w][d] }
            return DepthWeek(week: CivilTime.isoWeekLabel(firstWeek + Int64(w)), distribution: DepthDistribution(counts: counts))
        }
    }
}

// Profile depth figures: the distribution's persons (the shares' denominator) and each bucket's persons and share.
// Prometheus: `earshot_profile_depth_persons` / `_share` (labels population, depth) and, per segment, only the share.
extension DepthDistribution: FigureList {
    public static let figures: [FigureDescriptor<DepthDistribution>] = [
        .count("persons", \.persons, \.$persons, privacy: .persons, help: "Persons counted (the denominator of the shares)."),
    ]
    public static let attributes: [ReportAttribute<DepthDistribution>] = [.init("depth", \.depth)]
}

extension DepthBucket: FigureList {
    public static let figures: [FigureDescriptor<DepthBucket>] = [
        .count("persons", \.persons, \.$persons, privacy: .persons,
               help: "Persons by distinct questions answered (4+: 4 or more); population all or prompted.", metric: .init("persons")),
        .fraction("share", \.share, \.$share, absent: "no persons", from: ["persons"],
                  help: "Share of {what} (0 to 1) by profile depth: the distinct questions each person answered by the reference time (a response without answers counts as its survey), 0, 1, 2, 3 and 4+.", metric: .init("share")),
    ]
    public static let attributes: [ReportAttribute<DepthBucket>] = [.init("depth", \.depth)]
}
