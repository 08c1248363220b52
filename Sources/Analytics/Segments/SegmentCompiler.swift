import EventStore

/// Turns rules and formulas into indices: distinct event filters, accumulators
/// (counts, sums, dwell) and `then` chains, shared wherever rules repeat themselves.
struct Compiler {
    let table: EventTable

    struct ConditionKey: Hashable { var subject: ConditionSubject; var comparison: Comparison; var every: Bool = false }
    /// A computed per-row column (element scores), keyed by what computes it.
    struct ComputedColumnKey: Hashable { var kind: String; var formula: ValueFormula; var pattern: [ConditionKey] }
    struct FilterKey: Hashable { var event: EventReference; var conditions: [ConditionKey] }
    struct AccumulatorKey: Hashable {
        var kind: UseKind
        var filter: Int
        /// `in last` in milliseconds, or -1.
        var window: Int64
        /// Sum column, or -1.
        var column: Int
    }
    struct ChainStep { var filter: Int; var window: Int64 }
    struct ChainSpec { var steps: [ChainStep]; var within: Int64 }

    private(set) var filters: [FilterKey] = []
    private var filterIndex: [FilterKey: Int] = [:]
    private(set) var accumulators: [AccumulatorKey] = []
    private var accumulatorIndex: [AccumulatorKey: Int] = [:]
    private(set) var chains: [ChainSpec] = []
    private(set) var sumColumns: [PropertyColumn] = []
    /// Per-row sums in millionths of element `sum`s (``ScoreSum``).
    private(set) var microColumns: [[Int128]] = []
    private var microColumnIndex: [ComputedColumnKey: Int] = [:]
    private var sumColumnIndex: [String: Int] = [:]
    private var computedColumnIndex: [ComputedColumnKey: Int] = [:]
    /// Accumulators of `max` (true) / `min` (false): they start at -∞ / +∞, and read as 0 when nothing came.
    private(set) var extremes: [Int: Bool] = [:]

    /// Segment and score indices by name (the first definition of a name), built on first use.
    private var indexByName: (segments: [String: Int], scores: [String: Int])?

    init(table: EventTable) { self.table = table }

    private mutating func names(_ program: SegmentProgram) -> (segments: [String: Int], scores: [String: Int]) {
        if let indexByName { return indexByName }
        let built = (Dictionary(program.segments.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a }),
                     Dictionary(program.scores.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a }))
        indexByName = built
        return built
    }

    mutating func filter(_ event: EventReference, _ conditions: [EventCondition]) -> Int {
        let key = FilterKey(event: event, conditions: conditions.map { ConditionKey(subject: $0.subject, comparison: $0.comparison, every: $0.every) })
        if let i = filterIndex[key] { return i }
        filters.append(key)
        filterIndex[key] = filters.count - 1
        return filters.count - 1
    }

    private mutating func accumulator(_ kind: UseKind, _ p: EventPattern, column: Int = -1) -> Int {
        accumulator(AccumulatorKey(kind: kind, filter: filter(p.event, p.conditions),
                                   window: p.window?.milliseconds ?? -1, column: column))
    }

    private mutating func accumulator(_ key: AccumulatorKey) -> Int {
        if let i = accumulatorIndex[key] { return i }
        accumulators.append(key)
        accumulatorIndex[key] = accumulators.count - 1
        return accumulators.count - 1
    }

    mutating func compile(_ e: RuleExpression, program: SegmentProgram) -> BoolNode {
        switch e {
        case .did(let p, let q):
            return .count(accumulator(.count, p), q)
        case .sequence(let steps, let within, _):
            let compiled = steps.map { ChainStep(filter: filter($0.event, $0.conditions), window: $0.window?.milliseconds ?? -1) }
            chains.append(ChainSpec(steps: compiled, within: within.milliseconds))
            return .chain(chains.count - 1)
        case .trait(let name, let c, _) where elementArray(name) != nil:
            // `trait children[].age < 3`: the elements `children[0].age`, `children[1].age`… of the latest `children`.
            let split = FieldSelection.elementPath(name)!
            let list = String(split.array), element = String(split.element)
            guard let key = table.strings.lookup(list) else { return .never }
            let elements = IDSet(table.strings) { s in isElementKey(s, list: list, element: element) }
            return .traitList(key, elements, ValueTest(c, strings: table.strings, caseInsensitive: false))
        case .trait(let name, let c, _):
            guard let key = table.strings.lookup(name) else { return .never }
            return .trait(key, ValueTest(c, strings: table.strings, caseInsensitive: false))
        case .member(let name, _):
            guard let i = names(program).segments[name] else { return .never }
            return .member(i)
        case .score(let name, let op, let x, _):
            guard let i = names(program).scores[name] else { return .never }
            return .score(i, op, x)
        case .and(let operands): return .and(operands.map { compile($0, program: program) })
        case .or(let operands): return .or(operands.map { compile($0, program: program) })
        case .not(let a): return .not(compile(a, program: program))
        }
    }

    mutating func compile(_ e: ScoreExpression, program: SegmentProgram) -> NumberNode {
        // Only the recursive cases here: the leaves' locals live in `compileLeaf`'s frame, so each level of a
        // formula nested up to the parser's limit costs a small frame (a debug build overflowed a 1 MiB stack).
        switch e {
        case .arithmetic(let first, let steps):
            return .arithmetic(compile(first, program: program),
                               steps.map { NumberStep(op: $0.op, operand: compile($0.operand, program: program)) })
        case .negate(let a): return .negate(compile(a, program: program))
        default: return compileLeaf(e, program: program)
        }
    }

    /// A formula's leaf (everything but arithmetic and negation).
    @inline(never)
    private mutating func compileLeaf(_ e: ScoreExpression, program: SegmentProgram) -> NumberNode {
        switch e {
        case .number(let x): return .constant(x)
        case .count(let p): return .accumulator(accumulator(.count, p))
        case .sum(let path, let p):
            guard let column = table.column(path) else { return .constant(0) }
            let ci: Int
            if let i = sumColumnIndex[path] { ci = i } else {
                sumColumns.append(column)
                ci = sumColumns.count - 1
                sumColumnIndex[path] = ci
            }
            return .microSum(accumulator(.microSum, p, column: ci))
        case .countElements(let array, let p, _):
            let key = ComputedColumnKey(kind: "count " + array, formula: .number(1), pattern: conditionKeys(p))
            let t = table
            let ci = computedColumn(key) { elementScoreColumn(count: array, p, table: t) }
            return .accumulator(accumulator(.sum, p, column: ci))
        case .aggregate(let kind, let f, let p, _):
            let key = ComputedColumnKey(kind: kind.rawValue, formula: f, pattern: conditionKeys(p))
            let t = table
            if kind == .sum {
                let ci: Int
                if let i = microColumnIndex[key] { ci = i } else {
                    microColumns.append(aggregateSumColumn(f, p, table: t))
                    ci = microColumns.count - 1
                    microColumnIndex[key] = ci
                }
                return .microSum(accumulator(.microColumn, p, column: ci))
            }
            let ci = computedColumn(key) { aggregateColumn(kind, f, p, table: t) }
            switch kind {
            case .sum: return .constant(0)  // handled above
            case .max, .min:
                let a = accumulator(kind == .max ? .max : .min, p, column: ci)
                extremes[a] = kind == .max
                return .extreme(a)
            }
        case .minutesIn(let section, let window, let loc):
            let cond = EventCondition(subject: .section, comparison: Comparison(op: .equal, values: [.string(section)]), location: loc)
            return .minutes(accumulator(.dwell, EventPattern(event: .page, conditions: [cond], window: window, location: loc)))
        case .score(let name, _):
            guard let i = names(program).scores[name] else { return .constant(0) }
            return .score(i)
        case .arithmetic, .negate:
            preconditionFailure("compileLeaf takes leaves only")
        }
    }

    private func conditionKeys(_ p: EventPattern) -> [ConditionKey] {
        p.conditions.map { ConditionKey(subject: $0.subject, comparison: $0.comparison, every: $0.every) }
    }

    /// The index of a computed column in the sum columns, computing it on first use.
    private mutating func computedColumn(_ key: ComputedColumnKey, _ make: () -> [PropValue]) -> Int {
        if let i = computedColumnIndex[key] { return i }
        sumColumns.append(PropertyColumn(make()))
        computedColumnIndex[key] = sumColumns.count - 1
        return sumColumns.count - 1
    }

    /// One bit per (row, filter): whether the row's name/kind and conditions match the filter.
    ///
    /// Filter by filter, column by column: the rows with the right name (or kind) first, then
    /// each condition narrows that candidate list with one pass over its column.
    func buildRowMask(words: Int) -> [UInt64] {
        let n = table.count
        guard words > 0 else { return [] }
        var mask = [UInt64](repeating: 0, count: n * words)
        forEachFilterRows { f, candidates in
            let word = f >> 6
            let bit: UInt64 = 1 << UInt64(f & 63)
            mask.withUnsafeMutableBufferPointer { out in
                for r in candidates { out[Int(r) &* words &+ word] |= bit }
            }
        }
        return mask
    }

    /// Calls `body` with each filter's index and its rows (ascending), for the filters that match any row: what
    /// ``buildRowMask(words:)`` marks, for a caller that wants the rows of a few filters without a mask over every row
    /// (``FlowMatcher``). The rows buffer is reused from one filter to the next.
    func forEachFilterRows(_ body: (Int, [Int32]) -> Void) {
        let n = table.count
        var candidates = [Int32]()
        candidates.reserveCapacity(n)
        // The rows of each event name (and of pages, of any event), found once however many filters share them: at
        // 1 GB shop.segments' 10 filters scanned the name column for 4 names 7 times, and the kinds twice.
        var baseRows: [EventReference: [Int32]] = [:]
        for (f, key) in filters.enumerated() {
            // Resolve the conditions' columns and values once.
            var tests: [(column: PropertyColumn?, test: ValueTest)] = []
            var lists: [ListTests] = []
            var impossible = false
            var listConditions: [String: [(comparison: Comparison, path: String, every: Bool)]] = [:]
            var listOrder: [String] = []
            conditions: for c in key.conditions {
                if case .property(let path) = c.subject, let array = elementArray(path) {
                    if listConditions[array] == nil { listOrder.append(array) }
                    listConditions[array, default: []].append((c.comparison, path, c.every))
                    continue
                }
                switch c.subject {
                case .section:
                    tests.append((nil, ValueTest(c.comparison, strings: table.strings, caseInsensitive: true)))
                case .property(let path):
                    guard let column = table.column(path) else { impossible = true; break conditions }
                    tests.append((column, ValueTest(c.comparison, strings: table.strings, caseInsensitive: false)))
                }
                if case .never = tests[tests.count - 1].test { impossible = true; break conditions }
            }
            if impossible { continue }
            for array in listOrder {
                let t = ListTests(array: array, conditions: listConditions[array]!, table: table)
                if t.column == nil { impossible = true; break }
                lists.append(t)
            }
            if impossible { continue }
            candidates.removeAll(keepingCapacity: true)
            if let rows = baseRows[key.event] {
                candidates.append(contentsOf: rows)
            } else {
                switch key.event {
                case .named(let name):
                    guard let id = table.strings.lookup(name) else { continue }
                    table.name.appendRows(equalTo: id, to: &candidates)
                case .page:
                    table.kind.withUnsafeBufferPointer { kinds in
                        for r in 0..<n where kinds[r] == .page || kinds[r] == .screen { candidates.append(Int32(r)) }
                    }
                case .any:
                    for r in 0..<n { candidates.append(Int32(r)) }
                }
                if filters[(f + 1)...].contains(where: { $0.event == key.event }) { baseRows[key.event] = candidates }
            }
            for t in tests {
                let test = t.test
                if let column = t.column {
                    // One pass over the candidates, reading the sparse column in place: a bit test per
                    // row, the value only where the row has one (absent rows all take the same answer).
                    let absentMatches = test.matches(column.absent)
                    var kept = 0
                    column.withUnsafeBufferPointer { values in
                        candidates.withUnsafeMutableBufferPointer { rows in
                            for i in 0 ..< rows.count {
                                let r = rows[i]
                                let keep: Bool
                                if let v = values.present(Int(r)) { keep = test.matches(v) } else { keep = absentMatches }
                                if keep { rows[kept] = r; kept &+= 1 }
                            }
                        }
                    }
                    candidates.removeLast(candidates.count - kept)
                } else {
                    // Each distinct section tested once (the column is coded: a few sections, most rows pages).
                    table.section.keepRows(&candidates) { s in test.matches(s < 0 ? .missing : .string(s)) }
                }
            }
            for list in lists { candidates.removeAll { !list.rowMatches(Int($0)) } }
            body(f, candidates)
        }
    }
}

/// Whether trait key `s` is `list[N]` (element "") or `list[N].element` for a decimal index N.
func isElementKey(_ s: String, list: String, element: String) -> Bool {
    let u = Array(s.utf8), l = Array(list.utf8), e = Array(element.utf8)
    guard u.count > l.count + 2, u.starts(with: l), u[l.count] == UInt8(ascii: "[") else { return false }
    var i = l.count + 1
    let digits = i
    while i < u.count, u[i] >= 0x30, u[i] <= 0x39 { i += 1 }
    guard i > digits, i < u.count, u[i] == UInt8(ascii: "]") else { return false }
    i += 1
    if e.isEmpty { return i == u.count }
    guard i < u.count, u[i] == UInt8(ascii: ".") else { return false }
    return Array(u[(i + 1)...]) == e
}
