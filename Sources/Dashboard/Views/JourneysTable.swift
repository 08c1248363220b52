import Analytics

/// The Journeys view's tables: the figures of each visible tree node and of the top paths (the step or path is the
/// flexible text, drawn by the view with the tree's indentation).
enum JourneysTable {
    /// A tree node's figures.
    static func nodeColumns(cells c: CellText) -> [TableColumn<JourneyRow>] {
        [
            TableColumn("persons", width: 8, cell: { .text(c.count($0.node.persons, $0.node.$persons), .normal) }),
            TableColumn("share", width: 7, cell: { .text(c.rate($0.node.share, $0.node.$share), .normal) }),
            TableColumn("entries", width: 8, cell: { .text(c.count($0.node.entries, $0.node.$entries), .muted) }),
            TableColumn("ended", width: 7, cell: { row in
                row.node.isSpecial || (row.node.children.isEmpty && row.node.ended == 0) ? .text("", .muted)
                    : .text(c.count(row.node.ended, row.node.$ended), .muted)
            }),
        ]
    }

    /// The visible rows of a journey's tree as a table: built when the tree changes (a report, a journey, a node
    /// expanded or collapsed), so drawing a frame measures no cell.
    static func model(_ rows: [JourneyRow], cells: CellText) -> TableModel {
        TableModel(title: "Journey", columns: nodeColumns(cells: cells), rows: rows, emptyMessage: "No entries",
                   search: { $0.node.step.lowercased() })
    }

    /// A top path's figures.
    static func pathColumns(cells c: CellText) -> [TableColumn<JourneyPath>] {
        [
            TableColumn("persons", width: 8, cell: { .text(c.count($0.persons, $0.$persons), .normal) }),
            TableColumn("entries", width: 8, cell: { .text(c.count($0.entries, $0.$entries), .muted) }),
        ]
    }
}
