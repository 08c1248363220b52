import Analytics

/// A table with one flexible text column on the left and right-aligned figure columns ending at the row's end (the
/// Loops, Journeys and Answers views): each figure column is as wide as its declared width, its title and its widest
/// cell over the rows, so `hidden` or a long duration is never cut; columns that do not fit are left out
/// (``ColumnLayout/flexThenFixed(_:width:minFlex:gap:)``). The flexible text is drawn by the caller (it may carry a
/// tree's indentation); this draws the header and the figure cells.
///
/// A table of many rows lays out from a ``TableModel`` (``init(_:figures:in:minFlex:reserve:)``), whose widths were
/// measured once when the model was built; the closure form measures its rows when drawn and is for the short lists
/// of one selection (a loop's weeks, a journey's top paths).
struct FlexTable<Row> {
    /// The figure columns shown, with their x (absolute) and width; `index` is the column's position in the list the
    /// table was made from (the model's columns for a model).
    var shown: [(column: TableColumn<Row>, index: Int, x: Int, width: Int)]
    /// The flexible column's area on the first row (its x and width; the caller moves it to each line).
    var flexX: Int, flexWidth: Int

    /// Lays out `columns` for `rows` in `row` (one line: its x and width; `reserve` cells at its end stay free),
    /// measuring every cell of `rows`.
    init(_ columns: [TableColumn<Row>], rows: [Row], in row: Rect, minFlex: Int, reserve: Int = 0) {
        let widths = columns.map { c in
            rows.reduce(TableModel.measure(c.column, nil)) { max($0, TableModel.measure(c.column, c.cell($1))) }
        }
        self.init(columns, widths: widths, in: row, minFlex: minFlex, reserve: reserve)
    }

    /// Lays out `columns` of the content `widths` (measured beforehand) in `row`.
    init(_ columns: [TableColumn<Row>], widths: [Int], in row: Rect, minFlex: Int, reserve: Int = 0) {
        let fit = ColumnLayout.flexThenFixed(widths, width: row.width - reserve, minFlex: minFlex)
        shown = fit.kept.enumerated().map { k, i in (columns[i], i, row.x + fit.xs[k], widths[i]) }
        flexX = row.x
        flexWidth = fit.flex
    }

    /// The flexible column's cell on line `y`.
    func flex(y: Int) -> Rect { Rect(x: flexX, y: y, width: flexWidth, height: 1) }

    /// The header on line `y`: `flexTitle`, then each column's title (with `sortMark` after the sorted one).
    func header(into buf: inout ScreenBuffer, y: Int, flexTitle: String, sorted: Int? = nil, sortMark: String = "",
                glyphs g: Glyphs) {
        buf.put(flexTitle, in: flex(y: y), role: .header, ellipsis: g.ellipsis)
        for c in shown {
            let title = c.column.column.title + (c.index == sorted ? sortMark : "")
            buf.put(title, in: Rect(x: c.x, y: y, width: c.width, height: 1), align: .right, role: .header, ellipsis: g.ellipsis)
        }
    }

    /// The figure cells of `row` on line `y` (in the selection's role when `selected`).
    func cells(into buf: inout ScreenBuffer, _ row: Row, y: Int, selected: Bool = false, glyphs g: Glyphs) {
        for c in shown {
            let field = Rect(x: c.x, y: y, width: c.width, height: 1)
            switch c.column.cell(row) {
            case .text(let t, let role), .tail(let t, let role):
                buf.put(t, in: field, align: .right, role: selected ? .selected : role, ellipsis: g.ellipsis)
            case .spark(let series):
                Sparkline(series: series, role: selected ? .selected : .bar, glyphs: g).render(into: &buf, area: field)
            case .bar(let f):
                Bar(fraction: f, role: selected ? .selected : .bar, glyphs: g).render(into: &buf, area: field)
            }
        }
    }
}

extension FlexTable where Row == TableRow {
    /// Lays out the model's columns `figures` (indices into `model.columns`; the others are the flexible text the
    /// caller draws) from the widths measured when the model was built: drawing a frame measures nothing.
    /// `shown[].index` and `header(sorted:)` use the model's column indices.
    init(_ model: TableModel, figures: [Int], in row: Rect, minFlex: Int, reserve: Int = 0) {
        let columns = figures.map { i in
            TableColumn<TableRow>(column: model.columns[i], cell: { $0.cells.indices.contains(i) ? $0.cells[i] : .text("", .normal) })
        }
        self.init(columns, widths: figures.map { model.widths[$0] }, in: row, minFlex: minFlex, reserve: reserve)
        for k in shown.indices { shown[k].index = figures[shown[k].index] }
    }
}

/// A declared table drawn with ``FlexTable``: its first column is the flexible text (each row's first cell), the
/// others figures laid out from the widths the model measured; a header with the sort mark, the visible rows from the
/// state's offset, the selection, and a note when the text filter matches nothing. The Loops list and the Answers
/// view's survey and question lists; the caller draws the box around it.
struct FlexTableWidget: Widget {
    var model: TableModel
    var state: TableState
    /// Cells the flexible text keeps before a figure column is left out.
    var minFlex: Int
    var glyphs: Glyphs

    func render(into buf: inout ScreenBuffer, area body: Rect) {
        let g = glyphs, st = state
        guard !body.isEmpty else { return }
        let figures = FlexTable(model, figures: Array(model.columns.indices.dropFirst()), in: body.row(0), minFlex: minFlex)
        let mark = st.descending ? g.sortDescending : g.sortAscending
        figures.header(into: &buf, y: body.y, flexTitle: (model.columns.first?.title ?? "") + (st.sortColumn == 0 ? mark : ""),
                       sorted: st.sortColumn, sortMark: mark, glyphs: g)
        let order = st.order
        guard !order.isEmpty else {
            buf.put(TableWidget.emptyMessage(model, filter: st.filter, glyphs: g), in: body.row(1), align: .center, role: .muted,
                    ellipsis: g.ellipsis)
            return
        }
        let visible = max(0, body.height - 1)
        let offset = max(0, min(st.offset, order.count - visible))
        for k in 0..<visible {
            let pos = offset + k
            guard pos < order.count, model.rows.indices.contains(order[pos]) else { break }
            let row = model.rows[order[pos]], line = body.row(1 + k), isSelected = pos == st.selected
            if isSelected { buf.fill(line, role: .selected) }
            if case .text(let label, let role)? = row.cells.first {
                buf.put(label, in: figures.flex(y: line.y), role: isSelected ? .selected : role, ellipsis: g.ellipsis)
            }
            figures.cells(into: &buf, row, y: line.y, selected: isSelected, glyphs: g)
        }
    }
}
