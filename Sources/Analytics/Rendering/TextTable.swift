/// A plain-text table with aligned columns: a header, a rule of dashes, then the rows.
struct TextTable {
    enum Align { case left, right }

    var headers: [String]
    var align: [Align]
    var rows: [[String]] = []
    /// Whether the header and its rule are printed (off for key/value lists).
    var showHeader = true

    init(_ columns: [(String, Align)]) {
        headers = columns.map(\.0)
        align = columns.map(\.1)
    }

    mutating func add(_ row: [String]) { rows.append(row) }

    /// The lines of the table, each indented by `indent` spaces, columns two spaces apart,
    /// trailing spaces trimmed.
    func lines(indent: Int = 2) -> [String] {
        // Columns are measured in terminal columns, so CJK and emoji names keep the table aligned.
        var width = showHeader ? headers.map(DisplayWidth.of) : headers.map { _ in 0 }
        for row in rows { for (i, cell) in row.enumerated() where i < width.count { width[i] = max(width[i], DisplayWidth.of(cell)) } }
        let pad = String(repeating: " ", count: indent)
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for i in width.indices {
                let c = i < cells.count ? cells[i] : ""
                let fill = String(repeating: " ", count: width[i] - DisplayWidth.of(c))
                parts.append(align[i] == .left ? c + fill : fill + c)
            }
            var s = pad + parts.joined(separator: "  ")
            while s.last == " " { s.removeLast() }
            return s
        }
        let head = showHeader ? [line(headers), line(width.map { String(repeating: "-", count: $0) })] : []
        return head + rows.map(line)
    }
}
