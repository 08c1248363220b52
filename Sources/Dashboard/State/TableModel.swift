import Analytics

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
    /// The minimum width of a text column (it gets what its content needs when there is room; numbers always get
    /// their digits, sparklines and bars fill the room left — see ``TableWidget/layout(_:width:sortColumn:)``).
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
    /// A sparkline of the series (withheld points blank, partial weeks dimmed).
    case spark(Series)
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
    /// The model row this row belongs under (a channel's survey under the channel), nil for a top-level row.
    /// Sorting keeps a group together (the top-level rows sorted, each one's members sorted beneath it) and the text
    /// filter keeps a matching member's group row, so a survey never shows without its channel.
    var parent: Int? = nil
    /// A summary row (`All persons`) that stays first whatever the sort.
    var pinned = false
}

/// A table's columns and all of its rows (before filtering and sorting).
struct TableModel: Sendable, Equatable {
    var title: String
    var columns: [Column]
    var rows: [TableRow] { didSet { widths = Self.widths(columns, rows) } }
    /// Shown when there are no rows at all.
    var emptyMessage: String
    /// Each column's width for its content: its declared width, its title and its widest text cell over all rows.
    /// Measured once when the model is built (``FlexTable`` lays out from it), not on every frame.
    private(set) var widths: [Int]

    init(title: String, columns: [Column], rows: [TableRow], emptyMessage: String) {
        self.title = title
        self.columns = columns
        self.rows = rows
        self.emptyMessage = emptyMessage
        widths = Self.widths(columns, rows)
    }

    /// The content width of each of `columns` over `rows` (see ``widths``).
    static func widths(_ columns: [Column], _ rows: [TableRow]) -> [Int] {
        columns.indices.map { c in
            rows.reduce(measure(columns[c], nil)) { w, r in c < r.cells.count ? max(w, measure(columns[c], r.cells[c])) : w }
        }
    }

    /// The width `column` needs for `cell` (nil: for its title and declared width only); sparklines and bars need none.
    static func measure(_ column: Column, _ cell: CellContent?) -> Int {
        switch cell {
        case nil: return max(column.width, DisplayWidth.of(column.title))
        case .text(let t, _)?, .tail(let t, _)?: return DisplayWidth.of(t)
        case .spark?, .bar?: return 0
        }
    }
}

/// The tables the views show, each with its own sort, filter and selection.
enum TableID: Sendable, Hashable, CaseIterable {
    case segments, feedback, consent, malformed
    /// The Loops view's loops.
    case loops
    /// The Data view's files (and the read's warnings) and unknown event names.
    case files, unknownEvents
    /// The Answers view's surveys, and the selected survey's questions.
    case answerSurveys, answerQuestions
}

/// Sort, text filter, visible order and selection of one table.
struct TableState: Sendable, Equatable {
    /// The sorted column, nil for the natural order (the report's order).
    var sortColumn: Int?
    var descending = false
    /// Rows whose search text contains this (case-insensitive); empty for all rows.
    var filter = ""
    /// Rows that match the filter themselves (group rows shown only as context are not counted).
    var matches = 0
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
        let rows = model.rows
        // Rows that match the filter themselves, then the group rows of matching members (context, not matches).
        var visible = needle.isEmpty ? Array(rows.indices) : rows.indices.filter { rows[$0].search.contains(needle) }
        matches = visible.count
        if !needle.isEmpty {
            var shown = Set(visible)
            for i in visible { if let p = rows[i].parent, rows.indices.contains(p) { shown.insert(p) } }
            visible = shown.sorted()
        }
        let c = sortColumn, desc = descending
        func less(_ a: Int, _ b: Int) -> Bool {
            if rows[a].pinned != rows[b].pinned { return rows[a].pinned }
            guard let c else { return a < b }
            let ka = c < rows[a].keys.count ? rows[a].keys[c] : .missing
            let kb = c < rows[b].keys.count ? rows[b].keys[c] : .missing
            return Self.compare(ka, kb, descending: desc) ?? (a < b)
        }
        // Groups: top-level rows in sort order, each followed by its members in sort order.
        let isTop: (Int) -> Bool = { i in rows[i].parent.map { !rows.indices.contains($0) } ?? true }
        var children: [Int: [Int]] = [:]
        var top: [Int] = []
        for i in visible {
            if isTop(i) { top.append(i) } else if let p = rows[i].parent { children[p, default: []].append(i) }
        }
        top.sort(by: less)
        var idx: [Int] = []
        idx.reserveCapacity(visible.count)
        for t in top {
            idx.append(t)
            if var kids = children.removeValue(forKey: t) { kids.sort(by: less); idx += kids }
        }
        // Members whose group row is filtered out cannot happen (the group row is kept); any left over go last.
        for (_, kids) in children.sorted(by: { $0.key < $1.key }) { idx += kids.sorted(by: less) }
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

    /// The columns the sort picker lists: the sortable ones, in table order.
    static func sortableColumns(_ model: TableModel) -> [Int] {
        model.columns.indices.filter { model.columns[$0].sortable }
    }

    /// Sorts by `column` (nil: the natural order) in the column's first direction, or `reversed`.
    mutating func sort(by column: Int?, reversed: Bool = false, _ model: TableModel) {
        sortColumn = column
        if let c = column, model.columns.indices.contains(c) {
            descending = model.columns[c].descendingFirst != reversed
        } else {
            sortColumn = nil
            descending = false
        }
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
