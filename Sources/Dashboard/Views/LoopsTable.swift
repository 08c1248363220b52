import Analytics

/// The Loops view's tables: every loop (sortable, like the other views' tables) and the selected loop's weeks.
enum LoopsTable {
    /// The loop list: its name (the flexible column), then its figures.
    static func columns(cells c: CellText, sanitizer san: Sanitizer) -> [TableColumn<LoopReport>] {
        [
            TableColumn("loop", width: 14, flex: true, align: .left, cell: { .text(san.clean($0.name), .normal) },
                        key: { .folded(san.clean($0.name)) }),
            TableColumn("in time", width: 7, cell: { .text(c.rate($0.outcomes.inTimeRate, $0.outcomes.$inTimeRate), rateRole($0.outcomes.inTimeRate)) },
                        key: { CellText.key($0.outcomes.inTimeRate) }),
            TableColumn("open", width: 6, cell: { .text(c.count($0.outcomes.open, $0.outcomes.$open), $0.outcomes.open > 0 ? .warn : .normal) },
                        key: { CellText.key($0.outcomes.open) }),
            TableColumn("missed", width: 7, cell: { .text(c.count($0.outcomes.missed, $0.outcomes.$missed), $0.outcomes.missed > 0 ? .bad : .normal) },
                        key: { CellText.key($0.outcomes.missed) }),
            TableColumn("oldest open", width: 11, cell: { .text(c.duration($0.oldestOpenSeconds, $0.$oldestOpenSeconds), .normal) },
                        key: { CellText.key($0.oldestOpenSeconds) }),
            TableColumn("triggers", width: 8, cell: { .text(c.count($0.outcomes.triggers, $0.outcomes.$triggers), .normal) },
                        key: { CellText.key($0.outcomes.triggers) }),
            TableColumn("late", width: 6, cell: { .text(c.count($0.outcomes.late, $0.outcomes.$late), .normal) },
                        key: { CellText.key($0.outcomes.late) }),
            TableColumn("within", width: 7, cell: { .text(c.format.duration($0.withinSeconds), .muted) },
                        key: { CellText.key($0.withinSeconds) }),
            TableColumn("median close", width: 12, cell: { .text(c.duration($0.medianSecondsToClose, $0.$medianSecondsToClose), .muted) },
                        key: { CellText.key($0.medianSecondsToClose) }),
            TableColumn("persons", width: 8, cell: { .text(c.count($0.persons, $0.$persons), .muted) },
                        key: { CellText.key($0.persons) }),
        ]
    }

    static func model(_ loops: [LoopReport], cells: CellText, sanitizer: Sanitizer) -> TableModel {
        TableModel(title: "Loops", columns: columns(cells: cells, sanitizer: sanitizer), rows: loops,
                   emptyMessage: "No loops in the rules file", search: { sanitizer.clean($0.name).lowercased() })
    }

    /// The selected loop's weeks (the week is the flexible column, drawn by the view).
    static func weekColumns(cells c: CellText) -> [TableColumn<LoopWeek>] {
        [
            TableColumn("trig.", width: 6, cell: { .text(c.count($0.outcomes.triggers, $0.outcomes.$triggers), .normal) }),
            TableColumn("in time", width: 7, cell: { .text(c.rate($0.outcomes.inTimeRate, $0.outcomes.$inTimeRate), rateRole($0.outcomes.inTimeRate)) }),
            TableColumn("open", width: 5, cell: { .text(c.count($0.outcomes.open, $0.outcomes.$open), .normal) }),
            TableColumn("missed", width: 6, cell: { .text(c.count($0.outcomes.missed, $0.outcomes.$missed), .normal) }),
            TableColumn("late", width: 5, cell: { .text(c.count($0.outcomes.late, $0.outcomes.$late), .normal) }),
        ]
    }

    /// In-time rates: from 90% good, below 70% bad.
    static func rateRole(_ rate: Double?) -> StyleRole {
        guard let r = rate else { return .muted }
        return r >= 0.9 ? .good : (r >= 0.7 ? .warn : .bad)
    }
}
