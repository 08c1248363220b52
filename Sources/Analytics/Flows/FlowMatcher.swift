import EventStore

/// Which rows match each event set of the program's loops and journeys: one bit per row per set.
///
/// Patterns go through the segment compiler's filters (names, conditions and values resolved once,
/// each condition one pass over its column); `answered nps …` tests the score of survey responses
/// as the feedback metrics read it. A name or value the table never saw matches no row.
struct FlowMatcher {
    /// `bits[set][row >> 6]` bit `row & 63`.
    private let bits: [[UInt64]]

    /// Builds the row bits of `sets` (each a list of alternatives, any of which matches).
    init(table: EventTable, sets: [[LoopEvent]]) {
        var compiler = Compiler(table: table)
        let filterIndices: [[Int]] = sets.map { set in
            set.compactMap { e in
                if case .pattern(let p) = e { return compiler.filter(p.event, p.conditions) }
                return nil
            }
        }
        let n = table.count
        let rowWords = (n + 63) / 64
        // Each filter's rows straight into the bits of the sets that use it (no mask of every row by every filter).
        var setsOfFilter = [[Int]](repeating: [], count: compiler.filters.count)
        for (s, filters) in filterIndices.enumerated() { for f in filters { setsOfFilter[f].append(s) } }
        var out = [[UInt64]](repeating: [UInt64](repeating: 0, count: rowWords), count: sets.count)
        compiler.forEachFilterRows { f, rows in
            for s in setsOfFilter[f] {
                out[s].withUnsafeMutableBufferPointer { b in
                    for r in rows { b[Int(r) >> 6] |= 1 << UInt64(Int(r) & 63) }
                }
            }
        }
        var fields: SurveyFields?
        var responseRows: [Int]?
        for (s, set) in sets.enumerated() {
            var b = out[s]
            out[s] = []
            for e in set {
                guard case .answered(let op, let value, _) = e else { continue }
                if fields == nil { fields = SurveyFields(table: table) }
                if responseRows == nil {
                    // The rows of each response name from a scan of the name codes (no hash per row), ascending.
                    var rows: [Int32] = []
                    for id in Set(FeedbackMetrics.responseNames.compactMap { table.strings.lookup($0) }) {
                        table.name.appendRows(equalTo: id, to: &rows)
                    }
                    rows.sort()
                    responseRows = rows.lazy.map { Int($0) }.filter { table.kind[$0] == .track }
                }
                for r in responseRows! {
                    if let score = fields!.score(r), compareNumbers(Double(score), op, value) {
                        b[r >> 6] |= 1 << UInt64(r & 63)
                    }
                }
            }
            out[s] = b
        }
        bits = out
    }

    /// Whether row `r` matches set `s`.
    @inline(__always) func matches(_ s: Int, _ r: Int) -> Bool { bits[s][r >> 6] & (1 << UInt64(r & 63)) != 0 }
}

/// `v OP x` for numbers (`contains` and `in` never hold).
func compareNumbers(_ v: Double, _ op: ComparisonOperator, _ x: Double) -> Bool {
    switch op {
    case .equal: return v == x
    case .notEqual: return v != x
    case .less: return v < x
    case .lessOrEqual: return v <= x
    case .greater: return v > x
    case .greaterOrEqual: return v >= x
    case .contains, .in: return false
    }
}
