import Analytics

/// The Segments view's table: one row per segment, its columns declared once.
enum SegmentsTable {
    /// The columns; the REACH column shows the consent category at `categoryIndex` of `categories`.
    static func columns(categories: [CategoryInfo], categoryIndex: Int, cells c: CellText) -> [TableColumn<SegmentInfo>] {
        let fmt = c.format
        let cat = categories.indices.contains(categoryIndex) ? categories[categoryIndex] : nil
        let reachTitle = "REACH " + (cat?.name ?? fmt.missing)
        func reach(_ s: SegmentInfo) -> Int? { categoryIndex < s.reachable.count ? s.reachable[categoryIndex] : nil }
        return [
            TableColumn("SEGMENT", width: 14, flex: true, align: .left,
                        cell: { .text($0.name, .normal) }, key: { .folded($0.name) }),
            TableColumn("SIZE", width: 9,
                        cell: { .text(c.count($0.size, $0.sizeMark), $0.sizeMark.isSuppressed ? .muted : .normal) },
                        key: { CellText.key($0.size) }),
            TableColumn("SHARE", width: 6,
                        cell: { .text(c.privacy.label($0.share == nil && $0.sizeMark.isSuppressed ? .derived : .shown) ?? fmt.percent($0.share), .muted) },
                        key: { CellText.key($0.share) }),
            TableColumn("1W CHG", width: 7, cell: { s in
                // A change of withheld weekly sizes is withheld too (`hidden`), not "no value".
                let changeWithheld = s.change == nil && !s.isNew && s.weekly.contains(where: { $0 == nil })
                let text = s.isNew ? "new" : (changeWithheld ? c.withheldShare : fmt.change(s.change))
                let role: StyleRole = s.isNew ? .accent : ((s.change ?? 0) > 0.00049 ? .good : ((s.change ?? 0) < -0.00049 ? .warn : .muted))
                return .text(text, role)
            }, key: { $0.isNew ? .number(.infinity) : CellText.key($0.change) }),
            TableColumn("TREND", width: 10, align: .left, cell: { .spark(Series($0.weekly, partial: $0.weekMarks.partial)) }),
            TableColumn(reachTitle, width: max(14, min(22, DisplayWidth.of(reachTitle))), cell: { s in
                let r = reach(s)
                let mark = categoryIndex < s.reachMarks.count ? s.reachMarks[categoryIndex] : .shown
                let share = r.flatMap { r in s.size > 0 && !mark.isSuppressed && !s.sizeMark.isSuppressed
                    ? Double(r) / Double(s.size) : nil }
                // A withheld reach is its mark alone (its share would give it away).
                let text = r.map { c.privacy.label(mark)
                    ?? (Format.int($0) + " " + c.percent0(share, withheld: s.sizeMark.isSuppressed).leftPad(4)) }
                    ?? fmt.missing
                return .text(text, r == nil ? .muted : .normal)
            }, key: { reach($0).map { .number(Double($0)) } ?? .missing }),
        ]
    }

    /// The table of `segments` (`emptyMessage`: what to say when there are none — the flag that defines them).
    static func model(_ segments: [SegmentInfo], categories: [CategoryInfo], categoryIndex: Int, cells: CellText,
                      emptyMessage: String) -> TableModel {
        TableModel(title: "Segments", columns: columns(categories: categories, categoryIndex: categoryIndex, cells: cells),
                   rows: segments, emptyMessage: emptyMessage,
                   search: { ($0.name + " " + $0.ruleLines.joined(separator: " ")).lowercased() })
    }
}
