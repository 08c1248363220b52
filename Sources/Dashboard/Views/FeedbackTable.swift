import Analytics

/// The Feedback view's table of loops: each channel followed by its surveys, its columns declared once.
enum FeedbackTable {
    static func columns(cells c: CellText) -> [TableColumn<LoopInfo>] {
        let fmt = c.format
        return [
            TableColumn("LOOP", width: 12, flex: true, align: .left,
                        cell: { .text($0.label, $0.isSurvey ? .normal : .accent) }, key: { .folded($0.label.trimmingLeadingSpaces) }),
            TableColumn("PROMPTS", width: 8, cell: { .text(c.count($0.stats.prompts, $0.stats.$prompts), .normal) },
                        key: { CellText.key($0.stats.prompts) }),
            TableColumn("ANSWERED", width: 8, cell: { .text(c.count($0.stats.answered, $0.stats.$answered), .normal) },
                        key: { CellText.key($0.stats.answered) }),
            TableColumn("RESP", width: 6,
                        cell: { .text(c.rate($0.stats.responseRate, $0.stats.$responseRate), ViewModel.rateRole($0.stats.responseRate)) },
                        key: { CellText.key($0.stats.responseRate) }),
            TableColumn("DISMISS", width: 7,
                        cell: { .text(c.rate($0.stats.dismissalRate, $0.stats.$dismissalRate), .muted) },
                        key: { CellText.key($0.stats.dismissalRate) }),
            TableColumn("MEDIAN", width: 7,
                        cell: { .text(c.duration($0.stats.medianSecondsToAnswer, $0.stats.$medianSecondsToAnswer), .normal) },
                        key: { CellText.key($0.stats.medianSecondsToAnswer) }),
            TableColumn("NPS", width: 4,
                        cell: { .text($0.nps.flatMap { c.privacy.label($0.$nps) } ?? fmt.nps($0.nps?.nps), ViewModel.npsRole($0.nps?.nps)) },
                        key: { CellText.key($0.nps?.nps) }),
            TableColumn("PROM/PASS/DETR", width: 14, align: .left, cell: { .text(npsSplit($0.nps, c), .muted) }),
        ]
    }

    static func model(_ loops: [LoopInfo], cells: CellText) -> TableModel {
        var channelRow: [String: Int] = [:]
        for (i, l) in loops.enumerated() where !l.isSurvey { channelRow[l.channel] = channelRow[l.channel] ?? i }
        return TableModel(title: "Feedback loops", columns: columns(cells: cells), rows: loops,
                          emptyMessage: "No feedback prompts in this store",
                          search: { ($0.channel + " " + ($0.stats.surveyID ?? "")).lowercased() },
                          parent: { _, l in l.isSurvey ? channelRow[l.channel] : nil })
    }

    /// `410/120/80` promoters/passives/detractors, or the missing mark.
    static func npsSplit(_ n: NPSStats?, _ c: CellText) -> String {
        guard let n, n.scored > 0 || n.$scored.isSuppressed else { return "" }
        // The privacy guard withholds the three together.
        if n.$promoters.isSuppressed && n.$passives.isSuppressed && n.$detractors.isSuppressed { return "hidden" }
        return c.count(n.promoters, n.$promoters) + "/" + c.count(n.passives, n.$passives) + "/" + c.count(n.detractors, n.$detractors)
    }
}
