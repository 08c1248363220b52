import EventStore

/// Which rows a computation looks at: the persons of the filter (all without one), and of
/// each person the rows at or before the reference time (a prefix, rows being time-ordered).
struct AnalysisScope {
    let table: EventTable
    let options: AnalysisOptions
    let filter: PersonSet?
    /// The reference time; nil only for an empty table without `--now`.
    let now: Int64?
    /// Whether every row of the table is at or before `now` (no `--now`, or one at or after the last event): then a
    /// person's rows in scope are all its rows, without reading the time column per person.
    let nowCoversEveryRow: Bool

    init(table: EventTable, options: AnalysisOptions, persons: PersonSet?) {
        self.table = table
        self.options = options
        if let persons { precondition(persons.universe == table.personCount, "person set of another table") }
        self.filter = persons
        let now = options.referenceTime(table)
        self.now = now
        if let now {
            // Without `--now` the reference time is the last event's time itself.
            let last = options.now == nil ? now : table.lastEventTime
            nowCoversEveryRow = last.map { $0 <= now } ?? true
        } else {
            nowCoversEveryRow = false
        }
    }

    /// The persons in scope, ascending.
    var persons: [Int] { filter?.members ?? Array(0..<table.personCount) }

    /// Number of persons in scope.
    var personCount: Int { filter?.count ?? table.personCount }

    /// The rows of person `p` at or before the reference time.
    @inline(__always) func rows(_ p: Int) -> Range<Int> {
        let r = table.personRange(p)
        if nowCoversEveryRow { return r }
        guard let now else { return r.lowerBound ..< r.lowerBound }
        var lo = r.lowerBound, hi = r.upperBound
        if hi == lo || table.time[hi - 1] <= now { return r }
        while lo < hi {
            let mid = (lo + hi) >> 1
            if table.time[mid] <= now { lo = mid + 1 } else { hi = mid }
        }
        return r.lowerBound ..< lo
    }

    /// Calls `body(p, rows)` for every person in scope with at least one row in scope.
    func forEachPerson(_ body: (Int, Range<Int>) -> Void) {
        if let filter {
            for p in filter.members {
                let r = rows(p)
                if !r.isEmpty { body(p, r) }
            }
        } else {
            for p in 0..<table.personCount {
                let r = rows(p)
                if !r.isEmpty { body(p, r) }
            }
        }
    }
}

/// `numerator / denominator`, nil when the denominator is zero.
@inlinable func ratio(_ numerator: Int, _ denominator: Int) -> Double? {
    denominator == 0 ? nil : Double(numerator) / Double(denominator)
}
