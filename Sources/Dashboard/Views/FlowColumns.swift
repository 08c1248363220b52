import Analytics

/// A right-aligned column of the Journeys and Loops views: title, width, and the cell of each row.
struct FlowColumn<Row> {
    var title: String
    var width: Int
    var cell: (Row) -> (String, StyleRole)
}

/// The columns that fit in `width` (leaving `minFlex` for the flexible text), each widened to its title and its
/// widest cell over `rows` (so `hidden` or a long duration is never cut while there is room, as ``ColumnLayout``
/// does for the other tables). Columns that do not fit are dropped from the end.
func fittedColumns<Row>(_ columns: [FlowColumn<Row>], rows: [Row], width: Int, minFlex: Int) -> [FlowColumn<Row>] {
    var kept: [FlowColumn<Row>] = []
    var used = 0
    for var c in columns {
        c.width = rows.reduce(max(c.width, DisplayWidth.of(c.title))) { max($0, DisplayWidth.of(c.cell($1).0)) }
        guard used + c.width + 1 + minFlex <= width else { continue }
        kept.append(c)
        used += c.width + 1
    }
    return kept
}

/// The x of each kept column and the flexible column's width.
func columnPositions<Row>(_ columns: [FlowColumn<Row>], in row: Rect) -> (xs: [Int], flexWidth: Int) {
    var x = row.maxX
    var xs = [Int](repeating: 0, count: columns.count)
    for i in columns.indices.reversed() {
        x -= columns[i].width
        xs[i] = x
        x -= 1
    }
    return (xs, max(0, x - row.x))
}

extension AppState {
    /// A count for a view: `<5` / `hidden` when withheld by the privacy guard.
    func flowCount(_ n: Int, _ mark: Suppression) -> String {
        report?.privacy.label(mark) ?? Format.int(n)
    }

    /// A percentage for a view, or `hidden`.
    func flowPercent(_ x: Double?, _ mark: Suppression) -> String {
        report?.privacy.label(mark) ?? format.percent(x)
    }

    /// A duration for a view, or `hidden`.
    func flowDuration(_ seconds: Double?, _ mark: Suppression) -> String {
        report?.privacy.label(mark) ?? format.duration(seconds)
    }
}
