import Analytics

/// The Consent view's table: the reachable share of every segment per consent category, under a pinned
/// `All persons` row with each category's coverage. One column per category.
enum ConsentTable {
    /// A row: the pinned summary of all persons, or a segment (with its index in the model's segments).
    enum Row {
        case all(persons: Int, mark: Suppression)
        case segment(SegmentInfo, index: Int)
    }

    static func columns(categories: [CategoryInfo], cells c: CellText) -> [TableColumn<Row>] {
        var columns: [TableColumn<Row>] = [
            TableColumn("SEGMENT", width: 14, flex: true, align: .left, cell: {
                switch $0 { case .all: .text("All persons", .accent); case .segment(let s, _): .text(s.name, .normal) }
            }, key: {
                switch $0 { case .all: .folded("All persons"); case .segment(let s, _): .folded(s.name) }
            }),
            TableColumn("SIZE", width: 9, cell: {
                switch $0 {
                case .all(let n, let mark): .text(c.count(n, mark), .normal)
                case .segment(let s, _): .text(c.count(s.size, s.sizeMark), .normal)
                }
            }, key: {
                switch $0 { case .all(let n, _): CellText.key(n); case .segment(let s, _): CellText.key(s.size) }
            }),
        ]
        for (ci, cat) in categories.enumerated() {
            /// The segment's reachable share in this category, nil when withheld (second value) or without a value.
            func share(_ s: SegmentInfo) -> (Double?, withheld: Bool) {
                let mark = ci < s.reachMarks.count ? s.reachMarks[ci] : .shown
                let withheld = mark.isSuppressed || s.sizeMark.isSuppressed
                let share = withheld ? nil
                    : (ci < s.reachable.count ? s.reachable[ci] : nil).flatMap { r in s.size > 0 ? Double(r) / Double(s.size) : nil }
                return (share, withheld)
            }
            columns.append(TableColumn(cat.name.uppercased(), width: max(6, min(12, DisplayWidth.of(cat.name))), cell: {
                switch $0 {
                case .all:
                    return .text(c.privacy.label(cat.coverageMark) ?? c.format.percent(cat.coverage), ViewModel.coverageRole(cat.coverage))
                case .segment(let s, _):
                    let (v, withheld) = share(s)
                    return .text(withheld ? c.withheldShare : c.format.percent(v), withheld ? .muted : ViewModel.coverageRole(v))
                }
            }, key: {
                switch $0 { case .all: CellText.key(cat.coverage); case .segment(let s, _): CellText.key(share(s).0) }
            }))
        }
        return columns
    }

    static func model(segments: [SegmentInfo], categories: [CategoryInfo], persons: Int, personsMark: Suppression,
                      cells: CellText) -> TableModel {
        let rows = [Row.all(persons: persons, mark: personsMark)] + segments.enumerated().map { Row.segment($1, index: $0) }
        return TableModel(title: "Reachable share by segment", columns: columns(categories: categories, cells: cells), rows: rows,
                          emptyMessage: "No consent categories",
                          search: { if case .segment(let s, _) = $0 { s.name.lowercased() } else { "all persons" } },
                          ref: { _, row in if case .segment(_, let i) = row { i } else { -1 } },
                          pinned: { if case .all = $0 { true } else { false } })
    }
}
