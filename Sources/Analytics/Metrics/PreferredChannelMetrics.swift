import EventStore

/// Whether asking on a person's own preferred channel pays off (`feedback.preferred_channel`).
/// Definitions: docs/DEFINITIONS.md, "Preferred channel".
public struct PreferredChannelSummary: Codable, Sendable, Equatable {
    /// The trait read (`preferred_channel` unless the configuration names another).
    public var trait: String = FeedbackSchema.defaultPreferredChannelTrait
    /// Persons in scope whose trait names a channel as of the reference time.
    @Suppressible public var personsWithPreference: Int = 0
    /// Those persons by the channel they prefer (lowercased, after the configuration's mapping), by channel.
    public var preferences: [ChannelPreference] = []
    /// Prompts sent on the person's preferred channel.
    public var onPreferred = PromptGroup()
    /// Prompts sent to persons with a preference, on another channel.
    public var onOther = PromptGroup()
    /// Prompts sent to persons without a preference.
    public var noPreference = PromptGroup()
    /// The same per prompt channel, by channel, with the channel's best local hour × weekday cell.
    public var channels: [PreferredChannelRow] = []

    public init() {}

    enum CodingKeys: String, CodingKey {
        case trait, preferences, channels
        case personsWithPreference = "persons_with_preference"
        case onPreferred = "on_preferred"
        case onOther = "on_other"
        case noPreference = "no_preference"
    }

    public func encode(to encoder: Encoder) throws { try encodeReport(to: encoder) }
}

/// How many persons prefer one channel.
public struct ChannelPreference: Codable, Sendable, Equatable {
    public var channel: String
    @Suppressible public var persons: Int
    public init(channel: String, persons: Int) { self.channel = channel; self.persons = persons }

    public func encode(to encoder: Encoder) throws { try encodeReport(to: encoder) }
}

/// One prompt channel: its prompts on and off the person's preference, and its best hour × weekday.
public struct PreferredChannelRow: Codable, Sendable, Equatable {
    public var channel: String
    /// Prompts on this channel to persons who prefer it.
    public var onPreferred = PromptGroup()
    /// Prompts on this channel to persons who prefer another channel.
    public var onOther = PromptGroup()
    /// Prompts on this channel to persons without a preference.
    public var noPreference = PromptGroup()
    /// The local hour × weekday cell of this channel's prompts with the highest response rate among cells with at
    /// least ``PreferredChannelMetrics/bestCellMinPrompts`` prompts; nil when no cell has that many.
    public var bestCell: HourWeekdayCell?

    public init(channel: String) { self.channel = channel }

    enum CodingKeys: String, CodingKey {
        case channel
        case onPreferred = "on_preferred"
        case onOther = "on_other"
        case noPreference = "no_preference"
        case bestCell = "best_cell"
    }

    public func encode(to encoder: Encoder) throws { try encodeReport(to: encoder) }
}

/// Computes ``PreferredChannelSummary``.
public enum PreferredChannelMetrics {
    /// A channel's best hour × weekday cell needs at least this many prompts (a cell of a handful of prompts is
    /// noise: 5 of 5 answered is not a best hour).
    public static let bestCellMinPrompts = 20

    /// The channel a trait value names: trimmed; empty → nil; else the configured value mapping, else the
    /// `channels` mapping (both matched case-insensitively), else the value itself; lowercased.
    /// Trimmed scalar by scalar (Unicode White_Space, as the Spark SQL's `(?U)\s`): a space with a combining mark
    /// after it is one `Character`, which `trimmingSpaces` would drop with its mark.
    static func channel(of value: String, schema: FeedbackSchema, channelsLower: [String: String]) -> String? {
        var scalars = Substring(value).unicodeScalars
        while let f = scalars.first, f.properties.isWhitespace { scalars.removeFirst() }
        while let l = scalars.last, l.properties.isWhitespace { scalars.removeLast() }
        let trimmed = String(scalars)
        guard !trimmed.isEmpty else { return nil }
        let lower = trimmed.lowercased()
        return (schema.preferredChannelValues[lower] ?? channelsLower[lower] ?? trimmed).lowercased()
    }

    static func compute(_ scope: AnalysisScope, feedback: FeedbackAnalysis) -> PreferredChannelSummary {
        let table = scope.table
        let schema = scope.options.feedback
        var summary = PreferredChannelSummary()
        summary.trait = schema.preferredChannelTrait
        // Names that differ only in case (`Mail`, `mail`): the first in sorted order maps (as the Spark SQL does).
        let channelsLower = Dictionary(schema.channelNames.sorted { $0.key < $1.key }.map { ($0.key.lowercased(), $0.value) },
                                       uniquingKeysWith: { a, _ in a })
        let key = table.strings.lookup(schema.preferredChannelTrait)
        let now = scope.now ?? .max
        // Every person's preference, found once (persons ascending: one trait cursor, no binary search of the whole
        // trait list per person) as an index into `prefNames` (-1: none); a trait value's channel is worked out once
        // per distinct string. Equal indices ⇔ equal channel names (`prefIndex` is keyed by the `String`).
        var prefNames: [String] = [], prefIndex: [String: Int32] = [:]
        var byValue: [Int32: Int32] = [:]
        var preference = [Int32](repeating: -1, count: key == nil ? 0 : table.personCount)
        var personsByPref: [Int] = []
        if let key {
            var traits = TraitCursor(table: table)
            scope.forEachPerson { p, _ in
                guard let id = traits.latest(key, ofPerson: p, asOf: now).stringID else { return }
                let k: Int32
                if let known = byValue[id] { k = known } else {
                    if let c = channel(of: table.strings[id], schema: schema, channelsLower: channelsLower) {
                        if let i = prefIndex[c] { k = i } else {
                            k = Int32(prefNames.count)
                            prefIndex[c] = k
                            prefNames.append(c)
                            personsByPref.append(0)
                        }
                    } else {
                        k = -1
                    }
                    byValue[id] = k
                }
                guard k >= 0 else { return }
                preference[p] = k
                personsByPref[Int(k)] += 1
            }
        }
        // Persons in scope with a preference.
        summary.personsWithPreference = personsByPref.reduce(0, +)
        summary.preferences = prefNames.indices.map { ChannelPreference(channel: prefNames[$0], persons: personsByPref[$0]) }
            .sorted { $0.channel < $1.channel }

        // Prompts (every prompt's person is in scope: the feedback pass ran over the same scope).
        let names = feedback.channelNames
        // Per prompt channel: the preference index of its lowercased name (-2: no person prefers it).
        let channelPref = names.map { prefIndex[$0.lowercased()] ?? -2 }
        var on = PromptGroupCounter(), other = PromptGroupCounter(), none = PromptGroupCounter()
        var chOn = [PromptGroupCounter](repeating: .init(), count: names.count)
        var chOther = chOn, chNone = chOn
        var used = [Bool](repeating: false, count: names.count)
        var cells = [[(prompts: Int, answered: Int)]](repeating: [], count: names.count)
        let person = feedback.promptPerson
        for i in person.indices {
            let p = person[i]
            let pref = preference.isEmpty ? -1 : preference[Int(p)]
            let ch = Int(feedback.promptChannel[i]), answered = feedback.promptAnswered[i]
            used[ch] = true
            if pref >= 0 {
                if channelPref[ch] == pref {
                    on.add(person: p, answered: answered); chOn[ch].add(person: p, answered: answered)
                } else {
                    other.add(person: p, answered: answered); chOther[ch].add(person: p, answered: answered)
                }
            } else {
                none.add(person: p, answered: answered); chNone[ch].add(person: p, answered: answered)
            }
            if cells[ch].isEmpty { cells[ch] = Array(repeating: (0, 0), count: 7 * 24) }
            let c = Int(feedback.promptCell[i])
            cells[ch][c].prompts += 1
            if answered { cells[ch][c].answered += 1 }
        }
        summary.onPreferred = on.group
        summary.onOther = other.group
        summary.noPreference = none.group
        summary.channels = names.indices.filter { used[$0] }.map { ch in
            var row = PreferredChannelRow(channel: names[ch])
            row.onPreferred = chOn[ch].group
            row.onOther = chOther[ch].group
            row.noPreference = chNone[ch].group
            row.bestCell = bestCell(cells[ch])
            return row
        }.sorted { $0.channel < $1.channel }
        return summary
    }

    /// The cell with the highest response rate among those with at least ``bestCellMinPrompts`` prompts; ties go to
    /// more prompts, then to the earlier weekday and hour.
    /// `cells`: the 7 × 24 cells, `(weekday − 1) × 24 + hour` (also used by the Spark engine's read-back).
    public static func bestCell(_ cells: [(prompts: Int, answered: Int)]) -> HourWeekdayCell? {
        var best: Int? = nil
        for c in cells.indices where cells[c].prompts >= bestCellMinPrompts {
            guard let b = best else { best = c; continue }
            // Compare answered/prompts exactly by cross-multiplying.
            let lhs = cells[c].answered * cells[b].prompts, rhs = cells[b].answered * cells[c].prompts
            if lhs > rhs || (lhs == rhs && cells[c].prompts > cells[b].prompts) { best = c }
        }
        return best.map { c in
            HourWeekdayCell(weekday: c / 24 + 1, hour: c % 24, prompts: cells[c].prompts, answered: cells[c].answered,
                            responseRate: ratio(cells[c].answered, cells[c].prompts))
        }
    }
}

// The preferred-channel figures. The prompt groups (on / off / without a preference) are nested sections with
// ``PromptGroup``'s figures; the privacy pass takes groups and preferences along by hand (Privacy+Fatigue.swift).
extension PreferredChannelSummary: FigureList {
    public static let figures: [FigureDescriptor<PreferredChannelSummary>] = [
        .count("persons_with_preference", \.personsWithPreference, \.$personsWithPreference, privacy: .persons,
               help: "Persons whose preferred-channel trait names a channel.", metric: .init("persons_with_preference")),
    ]
    public static let attributes: [ReportAttribute<PreferredChannelSummary>] = [
        .init("trait", \.trait), .init("preferences", \.preferences), .init("on_preferred", \.onPreferred),
        .init("on_other", \.onOther), .init("no_preference", \.noPreference), .init("channels", \.channels),
    ]
}

extension ChannelPreference: FigureList {
    public static let figures: [FigureDescriptor<ChannelPreference>] = [
        .count("persons", \.persons, \.$persons, privacy: .persons, help: "Persons by the channel they prefer.",
               metric: .init("preference_persons")),
    ]
    public static let attributes: [ReportAttribute<ChannelPreference>] = [.init("channel", \.channel)]
}

extension PreferredChannelRow: FigureList {
    /// The row's figures are in its nested prompt groups and best cell.
    public static let figures: [FigureDescriptor<PreferredChannelRow>] = []
    public static let attributes: [ReportAttribute<PreferredChannelRow>] = [
        .init("channel", \.channel), .init("on_preferred", \.onPreferred), .init("on_other", \.onOther),
        .init("no_preference", \.noPreference), .init("best_cell", \.bestCell),
    ]
}

/// The three prompt groups of the preferred-channel comparison (overall, ``PreferredChannelSummary``, and per prompt
/// channel, ``PreferredChannelRow``): on the person's preferred channel, on another one, to persons without a
/// preference.
public protocol PreferredChannelGroups {
    var onPreferred: PromptGroup { get set }
    var onOther: PromptGroup { get set }
    var noPreference: PromptGroup { get set }
}

/// One of the three groups with its report key (JSON, CSV and Prometheus) and its label (text and dashboard).
public struct PreferredChannelGroup: Sendable, Equatable {
    /// `on_preferred`, `on_other` or `no_preference`.
    public var key: String
    /// `on preferred`, `on other` or `no preference`.
    public var label: String
    public var group: PromptGroup
}

extension PreferredChannelGroups {
    /// The three groups in report order (on preferred, on other, no preference), the one list every report
    /// and view walks (like ``FatigueSummary/tables``); setting it sets the three groups in that order.
    public var groups: [PreferredChannelGroup] {
        get {
            [PreferredChannelGroup(key: "on_preferred", label: "on preferred", group: onPreferred),
             PreferredChannelGroup(key: "on_other", label: "on other", group: onOther),
             PreferredChannelGroup(key: "no_preference", label: "no preference", group: noPreference)]
        }
        set {
            precondition(newValue.count == 3, "the three preferred-channel groups")
            onPreferred = newValue[0].group; onOther = newValue[1].group; noPreference = newValue[2].group
        }
    }
}

extension PreferredChannelSummary: PreferredChannelGroups {}
extension PreferredChannelRow: PreferredChannelGroups {}
