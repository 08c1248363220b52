import EventStore

/// Prompt fatigue (`feedback.fatigue`): whether asking the same person again and again, or again soon, costs
/// answers. Definitions: docs/DEFINITIONS.md, "Prompt fatigue".
public struct FatigueSummary: Codable, Sendable, Equatable {
    /// The trailing span that counts towards a prompt's ordinal, in days (30).
    public var trailingDays: Int = FatigueMetrics.trailingDays
    /// Response rate by prompt ordinal: 1, 2, 3, 4 and 5 or more.
    public var byOrdinal: [FatigueOrdinalRow] = FatigueMetrics.emptyOrdinals
    /// Response rate by the time since the person's previous prompt: `first`, `<1d`, `1-3d`, `3-7d`, `7-30d`, `>30d`.
    public var byGap: [FatigueGapRow] = FatigueMetrics.emptyGaps
    /// The same per prompt channel (`unknown` for prompts without one), keyed by channel.
    public var byChannel: [String: FatigueTable] = [:]

    public init() {}

    enum CodingKeys: String, CodingKey {
        case trailingDays = "trailing_days"
        case byOrdinal = "by_ordinal"
        case byGap = "by_gap"
        case byChannel = "by_channel"
    }
}

extension FatigueSummary {
    /// The tables of every channel (`all` first, then by channel name), as the text, CSV and Prometheus reports list
    /// them: one place for the order.
    public var tables: [(channel: String, byOrdinal: [FatigueOrdinalRow], byGap: [FatigueGapRow])] {
        [("all", byOrdinal, byGap)] + channelTables.map { ($0.channel, $0.table.byOrdinal, $0.table.byGap) }
    }

    /// The per-channel tables, by channel name.
    public var channelTables: [(channel: String, table: FatigueTable)] {
        byChannel.keys.sorted().map { ($0, byChannel[$0]!) }
    }
}

/// The two fatigue tables of one channel.
public struct FatigueTable: Codable, Sendable, Equatable {
    public var byOrdinal: [FatigueOrdinalRow] = FatigueMetrics.emptyOrdinals
    public var byGap: [FatigueGapRow] = FatigueMetrics.emptyGaps

    public init() {}

    enum CodingKeys: String, CodingKey {
        case byOrdinal = "by_ordinal"
        case byGap = "by_gap"
    }
}

/// The prompts with one ordinal (the last row: that ordinal or more).
public struct FatigueOrdinalRow: Codable, Sendable, Equatable {
    /// 1…5.
    public var ordinal: Int
    /// True for the last row (5th prompt or later within the trailing span).
    public var orMore: Bool
    public var counts: PromptGroup

    public init(ordinal: Int, orMore: Bool = false, counts: PromptGroup = .init()) {
        self.ordinal = ordinal; self.orMore = orMore; self.counts = counts
    }

    /// `3`, or `5+` for the last row: how text, CSV and the dashboard label it.
    public var label: String { orMore ? "\(ordinal)+" : "\(ordinal)" }

    enum CodingKeys: String, CodingKey {
        case ordinal
        case orMore = "or_more"
    }

    public func encode(to encoder: Encoder) throws { try encodeReport(to: encoder, orMore: orMore) }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        ordinal = try c.decode(Int.self, forKey: .ordinal)
        orMore = try c.decodeIfPresent(Bool.self, forKey: .orMore) ?? false
        counts = try PromptGroup(from: decoder)
    }
}

/// The prompts whose gap since the person's previous prompt falls in one bucket.
public struct FatigueGapRow: Codable, Sendable, Equatable {
    /// `first`, `<1d`, `1-3d`, `3-7d`, `7-30d` or `>30d`.
    public var gap: String
    public var counts: PromptGroup

    public init(gap: String, counts: PromptGroup = .init()) { self.gap = gap; self.counts = counts }

    enum CodingKeys: String, CodingKey { case gap }

    public func encode(to encoder: Encoder) throws { try encodeReport(to: encoder) }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        gap = try c.decode(String.self, forKey: .gap)
        counts = try PromptGroup(from: decoder)
    }
}

/// Computes ``FatigueSummary`` from the prompts of a feedback analysis.
public enum FatigueMetrics {
    /// Prompts in this many days before a prompt count towards its ordinal.
    public static let trailingDays = 30
    /// The last ordinal row holds this ordinal and all higher ones.
    public static let maxOrdinal = 5
    /// Gap bucket names, in report order.
    public static let gapNames = ["first", "<1d", "1-3d", "3-7d", "7-30d", ">30d"]

    static let emptyOrdinals = (1...maxOrdinal).map { FatigueOrdinalRow(ordinal: $0, orMore: $0 == maxOrdinal) }
    static let emptyGaps = gapNames.map { FatigueGapRow(gap: $0) }

    /// The gap bucket (index into ``gapNames``) of a prompt `gap` ms after the previous one (nil: first ever).
    /// Bounds are lower-inclusive: [1d, 3d) is `1-3d`, exactly 30 days is `>30d`.
    static func gapBucket(_ gap: Int64?) -> Int {
        guard let gap else { return 0 }
        let day = CivilTime.msPerDay
        if gap < day { return 1 }
        if gap < 3 * day { return 2 }
        if gap < 7 * day { return 3 }
        if gap < 30 * day { return 4 }
        return 5
    }

    /// The fatigue tables of every prompt in `feedback` (prompts by person, then event order).
    static func compute(_ feedback: FeedbackAnalysis) -> FatigueSummary {
        let span = Int64(trailingDays) * CivilTime.msPerDay
        let names = feedback.channelNames
        var ordinal = [PromptGroupCounter](repeating: .init(), count: maxOrdinal)
        var gap = [PromptGroupCounter](repeating: .init(), count: gapNames.count)
        var chOrdinal = [[PromptGroupCounter]](repeating: ordinal, count: names.count)
        var chGap = [[PromptGroupCounter]](repeating: gap, count: names.count)
        var channelUsed = [Bool](repeating: false, count: names.count)
        let time = feedback.promptTime, person = feedback.promptPerson
        var start = 0   // first prompt of the current person
        var trail = 0   // first prompt of the current person within the trailing span of prompt i
        for i in time.indices {
            if i == 0 || person[i] != person[i - 1] { start = i; trail = i }
            while time[trail] < time[i] - span { trail += 1 }
            let o = min(i - trail + 1, maxOrdinal) - 1
            let g = gapBucket(i == start ? nil : time[i] - time[i - 1])
            let answered = feedback.promptAnswered[i], p = person[i]
            ordinal[o].add(person: p, answered: answered)
            gap[g].add(person: p, answered: answered)
            let ch = Int(feedback.promptChannel[i])
            chOrdinal[ch][o].add(person: p, answered: answered)
            chGap[ch][g].add(person: p, answered: answered)
            channelUsed[ch] = true
        }
        func ordinals(_ c: [PromptGroupCounter]) -> [FatigueOrdinalRow] {
            c.indices.map { FatigueOrdinalRow(ordinal: $0 + 1, orMore: $0 + 1 == maxOrdinal, counts: c[$0].group) }
        }
        func gaps(_ c: [PromptGroupCounter]) -> [FatigueGapRow] {
            c.indices.map { FatigueGapRow(gap: gapNames[$0], counts: c[$0].group) }
        }
        var summary = FatigueSummary()
        summary.byOrdinal = ordinals(ordinal)
        summary.byGap = gaps(gap)
        for ch in names.indices where channelUsed[ch] {
            var t = FatigueTable()
            t.byOrdinal = ordinals(chOrdinal[ch])
            t.byGap = gaps(chGap[ch])
            summary.byChannel[names[ch]] = t
        }
        return summary
    }
}

// A fatigue row's figures are its prompt group's, written flat into the row (`{"ordinal": 3, "prompts": …}`);
// `or_more` is written only on the last row.
extension FatigueOrdinalRow: FigureList {
    public static let figures = PromptGroup.figures.map { $0.lifted(through: \FatigueOrdinalRow.counts) }
    public static let attributes: [ReportAttribute<FatigueOrdinalRow>] = [.init("ordinal", \.ordinal)]
}

extension FatigueGapRow: FigureList {
    public static let figures = PromptGroup.figures.map { $0.lifted(through: \FatigueGapRow.counts) }
    public static let attributes: [ReportAttribute<FatigueGapRow>] = [.init("gap", \.gap)]
}
