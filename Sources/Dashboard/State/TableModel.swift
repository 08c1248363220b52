/// A value a table column sorts by; missing values sort last in either direction.
enum SortKey: Sendable, Equatable {
    case number(Double)
    /// Text compares as given: builders pass it lowercased, so sorting allocates nothing.
    case text(String)
    case missing

    /// A case-insensitive text key.
    static func folded(_ s: String) -> SortKey { .text(s.lowercased()) }
}

/// One column of a table: its title, width and how it sorts.
struct Column: Sendable, Equatable {
    var title: String
    /// The width in columns (the minimum width for the flexible column).
    var width: Int
    /// The flexible column takes the room left by the others.
    var flex: Bool = false
    var align: Alignment = .right
    var sortable: Bool = true
    /// Numbers sort largest first when the column is chosen; text sorts A→Z.
    var descendingFirst: Bool = true
}

/// What a table cell shows.
enum CellContent: Sendable, Equatable {
    case text(String, StyleRole)
    /// Text cut at its start when too long (paths, `file:line`).
    case tail(String, StyleRole)
    /// A sparkline of the values, scaled to their own maximum.
    case spark([Double])
    /// A horizontal bar filled to a fraction 0…1.
    case bar(Double)
}

/// A row: its cells, sort keys (one per column), lowercased search text, and what it refers to.
struct TableRow: Sendable, Equatable {
    var cells: [CellContent]
    var keys: [SortKey]
    var search: String
    /// Index into the source list (segment index, loop index, …); -1 for a summary row.
    var ref: Int
}

/// A table's columns and all of its rows (before filtering and sorting).
struct TableModel: Sendable, Equatable {
    var title: String
    var columns: [Column]
    var rows: [TableRow]
    /// Shown when there are no rows at all.
    var emptyMessage: String
}

/// The tables the views show, each with its own sort, filter and selection.
enum TableID: Sendable, Hashable, CaseIterable {
    case segments, feedback, consent, malformed
}

/// Sort, text filter, visible order and selection of one table.
struct TableState: Sendable, Equatable {
    /// The sorted column, nil for the natural order (the report's order).
    var sortColumn: Int?
    var descending = false
    /// Rows whose search text contains this (case-insensitive); empty for all rows.
    var filter = ""
    /// Visible rows, as indices into the model's rows, in display order.
    var order: [Int] = []
    /// Index into `order`.
    var selected = 0
    /// The first visible position in `order`.
    var offset = 0

    /// The model row index of the selection, nil when no row is visible.
    var selectedRow: Int? { order.indices.contains(selected) ? order[selected] : nil }

    /// Recomputes the visible order after the model, the sort or the filter changed; keeps the selected row when it stays visible.
    mutating func recompute(_ model: TableModel) {
        let keepRef = selectedRow.flatMap { model.rows.indices.contains($0) ? model.rows[$0].ref : nil }
        let needle = filter.lowercased()
        var idx = needle.isEmpty ? Array(model.rows.indices)
                                 : model.rows.indices.filter { model.rows[$0].search.contains(needle) }
        if let c = sortColumn {
            let desc = descending
            idx.sort { a, b in
                let ka = c < model.rows[a].keys.count ? model.rows[a].keys[c] : .missing
                let kb = c < model.rows[b].keys.count ? model.rows[b].keys[c] : .missing
                switch Self.compare(ka, kb, descending: desc) {
                case .some(let less): return less
                case .none: return a < b
                }
            }
        }
        order = idx
        if let ref = keepRef, let pos = order.firstIndex(where: { model.rows[$0].ref == ref }) {
            selected = pos
        } else {
            selected = min(selected, max(0, order.count - 1))
        }
    }

    /// True when a goes before b, nil when they are equal (ties keep the natural order).
    static func compare(_ a: SortKey, _ b: SortKey, descending: Bool) -> Bool? {
        switch (a, b) {
        case (.missing, .missing): return nil
        case (.missing, _): return false
        case (_, .missing): return true
        case let (.number(x), .number(y)):
            if x == y { return nil }
            return descending ? x > y : x < y
        case let (.text(x), .text(y)):
            if x == y { return nil }
            return descending ? x > y : x < y
        case (.number, .text): return true
        case (.text, .number): return false
        }
    }

    /// Moves the selection by `delta` rows, clamped.
    mutating func move(by delta: Int) {
        guard !order.isEmpty else { selected = 0; return }
        selected = min(max(0, selected + delta), order.count - 1)
    }

    /// Keeps the selection within `visibleRows` rows starting at `offset`.
    mutating func scrollToSelection(visibleRows: Int) {
        let rows = max(1, visibleRows)
        if selected < offset { offset = selected }
        if selected >= offset + rows { offset = selected - rows + 1 }
        offset = max(0, min(offset, max(0, order.count - rows)))
    }

    /// Next sort: natural order → each sortable column (in its first direction) → natural order.
    mutating func sortNext(_ model: TableModel) {
        let sortable = model.columns.indices.filter { model.columns[$0].sortable }
        guard !sortable.isEmpty else { return }
        if let c = sortColumn, let i = sortable.firstIndex(of: c) {
            if i + 1 < sortable.count {
                sortColumn = sortable[i + 1]
            } else {
                sortColumn = nil
            }
        } else {
            sortColumn = sortable[0]
        }
        if let c = sortColumn { descending = model.columns[c].descendingFirst }
        recompute(model)
    }

    /// Reverses the direction (choosing the first sortable column when unsorted).
    mutating func sortReverse(_ model: TableModel) {
        if sortColumn == nil {
            guard let first = model.columns.indices.first(where: { model.columns[$0].sortable }) else { return }
            sortColumn = first
            descending = !model.columns[first].descendingFirst
        } else {
            descending.toggle()
        }
        recompute(model)
    }
}
