import Analytics

/// One table column declared once: its title, width rule, alignment, the cell it shows for a row and the key it
/// sorts by. A table's builder (beside its view, e.g. `Views/FeedbackTable.swift`) lists its columns; the
/// ``TableModel/init(title:columns:rows:emptyMessage:search:ref:parent:pinned:)`` builder derives the position-matched
/// cells and keys, so a column is one entry and cannot drift out of step with its header or sort.
struct TableColumn<Row> {
    /// Title, width rule (the minimum of a text column; numbers get their digits and sparklines fill — see
    /// ``TableWidget/layout(_:width:sortColumn:)``, which hands them to ``ColumnLayout``), alignment, sort direction.
    var column: Column
    /// What the column shows for a row.
    var cell: (Row) -> CellContent
    /// What the column sorts by (`.missing` sorts last); nil when the column does not sort.
    var key: ((Row) -> SortKey)?

    /// A column titled `title` at least `width` cells wide (text columns); `flex` takes the room left. Numbers
    /// (right-aligned) sort largest first when chosen, text A→Z. A column without `key` is not offered for sorting.
    init(_ title: String, width: Int, flex: Bool = false, align: Alignment = .right,
         cell: @escaping (Row) -> CellContent, key: ((Row) -> SortKey)? = nil) {
        column = Column(title: title, width: width, flex: flex, align: align, sortable: key != nil,
                        descendingFirst: align == .right)
        self.cell = cell
        self.key = key
    }

    /// A column as declared (``Column``), its cell and sort key.
    init(column: Column, cell: @escaping (Row) -> CellContent, key: ((Row) -> SortKey)? = nil) {
        self.column = column
        self.cell = cell
        self.key = key
    }
}

extension TableModel {
    /// A table built from declared columns: each row's cells and sort keys come from the columns, in order.
    /// - Parameters:
    ///   - search: the row's lowercased search text (what `/` matches).
    ///   - ref: what the row refers to (default: its position in `rows`; -1 for a summary row).
    ///   - parent: the model row it belongs under (a channel's survey under its channel), nil for a top-level row.
    ///   - pinned: a summary row that stays first whatever the sort.
    init<Row>(title: String, columns: [TableColumn<Row>], rows: [Row], emptyMessage: String,
              search: (Row) -> String, ref: (Int, Row) -> Int = { i, _ in i },
              parent: (Int, Row) -> Int? = { _, _ in nil }, pinned: (Row) -> Bool = { _ in false }) {
        self.init(title: title, columns: columns.map(\.column), rows: rows.enumerated().map { i, row in
            TableRow(cells: columns.map { $0.cell(row) }, keys: columns.map { $0.key?(row) ?? .missing },
                     search: search(row), ref: ref(i, row), parent: parent(i, row), pinned: pinned(row))
        }, emptyMessage: emptyMessage)
    }
}

/// How a figure is written in a cell under the privacy guard: a count, share, rate or duration, or its withheld
/// mark (`<5`, `hidden`). One place for every table builder and view (`—` means "no value", never "withheld").
struct CellText: Sendable {
    var privacy: PrivacySummary
    var format: Format

    /// A count as shown: the number, or `<5` / `hidden` when the privacy guard withheld it.
    func count(_ n: Int, _ mark: Suppression) -> String { privacy.label(mark) ?? Format.int(n) }

    /// How a share or rate the privacy guard withheld is written, everywhere (`—` means "no value", never this).
    var withheldShare: String { privacy.label(.derived) ?? "hidden" }

    /// A share or rate as shown: `hidden` when withheld (its mark, or a figure it derives from), else the percentage
    /// (`—` without a value).
    func percent(_ v: Double?, _ mark: Suppression = .shown, withheld: Bool = false) -> String {
        (mark.isSuppressed || withheld) ? (privacy.label(mark.isSuppressed ? mark : .derived) ?? withheldShare) : format.percent(v)
    }

    /// Like ``percent(_:_:withheld:)`` with no decimals.
    func percent0(_ v: Double?, _ mark: Suppression = .shown, withheld: Bool = false) -> String {
        (mark.isSuppressed || withheld) ? (privacy.label(mark.isSuppressed ? mark : .derived) ?? withheldShare) : format.percent0(v)
    }

    /// A rate or share the report marks itself: its withheld mark, else the percentage (`—` without a value).
    func rate(_ v: Double?, _ mark: Suppression) -> String { privacy.label(mark) ?? format.percent(v) }

    /// A duration as shown (`3h`), or its withheld mark.
    func duration(_ seconds: Double?, _ mark: Suppression = .shown) -> String {
        privacy.label(mark) ?? format.duration(seconds)
    }

    /// A number key, `.missing` without a value.
    static func key(_ v: Double?) -> SortKey { v.map(SortKey.number) ?? .missing }
    /// A count key.
    static func key(_ n: Int) -> SortKey { .number(Double(n)) }
    /// A count or rate key that sorts last (`.missing`) when the privacy guard withheld the figure, so the order of
    /// the rows cannot reveal a withheld value.
    static func key(_ n: Int, _ mark: Suppression) -> SortKey { mark.isSuppressed ? .missing : key(n) }
    /// A rate or share key that sorts last when withheld or without a value.
    static func key(_ v: Double?, _ mark: Suppression) -> SortKey { mark.isSuppressed ? .missing : key(v) }
}
