import Analytics
import EventStore
import Foundation

extension EngineReport {
    /// Prompt fatigue (`feedback.fatigue`) from the rows of `fatigue` (FatigueSQL.swift): per table (`ordinal` 1…5,
    /// `gap` 0…5 into ``FatigueMetrics/gapNames``) and channel (null: all prompts) the prompts, answered prompts and
    /// persons. Every ordinal and gap row is listed (empty ones too); a channel's tables only when it has a prompt.
    /// Rates as ``PromptGroup`` computes them.
    static func fatigue(result: EngineResult) -> FatigueSummary {
        var summary = FatigueSummary()
        var channels: [String: FatigueTable] = [:]
        for row in result.rows["fatigue"] ?? [] {
            let bucket = EngineResult.int(row["bucket"])
            let group = PromptGroup(prompts: EngineResult.int(row["prompts"]), answered: EngineResult.int(row["answered"]),
                                    persons: EngineResult.int(row["persons"]))
            let channel = row["channel"] as? String
            var table = channel.map { channels[$0] ?? FatigueTable() }
            switch row["tbl"] as? String {
            case "ordinal"? where (1...FatigueMetrics.maxOrdinal).contains(bucket):
                if table != nil { table!.byOrdinal[bucket - 1].counts = group } else { summary.byOrdinal[bucket - 1].counts = group }
            case "gap"? where FatigueMetrics.gapNames.indices.contains(bucket):
                if table != nil { table!.byGap[bucket].counts = group } else { summary.byGap[bucket].counts = group }
            default:
                continue
            }
            if let channel { channels[channel] = table }
        }
        summary.byChannel = channels
        return summary
    }

    /// The preferred-channel comparison (`feedback.preferred_channel`) from `preferred_persons`, `preferred_prompts`
    /// and `preferred_cells` (FatigueSQL.swift): persons with a preference by channel, the three groups overall and per
    /// prompt channel, and each channel's best local hour × weekday cell chosen here
    /// (``PreferredChannelMetrics/bestCell(_:)``, with earshot's own zone rules deciding which cell a prompt counts in).
    static func preferredChannel(result: EngineResult, options: AnalysisOptions) -> PreferredChannelSummary {
        var summary = PreferredChannelSummary()
        summary.trait = options.feedback.preferredChannelTrait
        summary.preferences = (result.rows["preferred_persons"] ?? []).compactMap { row -> ChannelPreference? in
            guard let channel = row["channel"] as? String else { return nil }
            return ChannelPreference(channel: channel, persons: EngineResult.int(row["persons"]))
        }.sorted { $0.channel < $1.channel }
        summary.personsWithPreference = summary.preferences.reduce(0) { $0 + $1.persons }

        var rows: [String: PreferredChannelRow] = [:]
        for row in result.rows["preferred_prompts"] ?? [] {
            let group = PromptGroup(prompts: EngineResult.int(row["prompts"]), answered: EngineResult.int(row["answered"]),
                                    persons: EngineResult.int(row["persons"]))
            let grp = row["grp"] as? String
            func set<T: PreferredChannelGroups>(_ target: inout T) {
                switch grp {
                case "on_preferred"?: target.onPreferred = group
                case "on_other"?: target.onOther = group
                case "no_preference"?: target.noPreference = group
                default: break
                }
            }
            if let channel = row["channel"] as? String {
                set(&rows[channel, default: PreferredChannelRow(channel: channel)])
            } else {
                set(&summary)
            }
        }
        // Each channel's cells: the local cell when earshot knows the zone and Java converted it, else the UTC one.
        var cells: [String: [(prompts: Int, answered: Int)]] = [:]
        var zones = ZoneCells()
        for row in result.rows["preferred_cells"] ?? [] {
            guard let channel = row["channel"] as? String else { continue }
            let cell = zones.cell(of: row).cell
            guard (0..<7 * 24).contains(cell) else { continue }
            cells[channel, default: Array(repeating: (0, 0), count: 7 * 24)][cell].prompts += EngineResult.int(row["prompts"])
            cells[channel, default: Array(repeating: (0, 0), count: 7 * 24)][cell].answered += EngineResult.int(row["answered"])
        }
        for (channel, c) in cells { rows[channel]?.bestCell = PreferredChannelMetrics.bestCell(c) }
        summary.channels = rows.values.sorted { $0.channel < $1.channel }
        return summary
    }
}
