import EventStore

/// Turns rules and formulas into indices: distinct event filters, accumulators
/// (counts, sums, dwell) and `then` chains, shared wherever rules repeat themselves.
struct Compiler {
    let table: EventTable

    struct ConditionKey: Hashable { var subject: ConditionSubject; var comparison: Comparison }
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
    private(set) var sumColumns: [[PropValue]] = []
    private var sumColumnIndex: [String: Int] = [:]

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
        let key = FilterKey(event: event, conditions: conditions.map { ConditionKey(subject: $0.subject, comparison: $0.comparison) })
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
            return .accumulator(accumulator(.sum, p, column: ci))
        case .minutesIn(let section, let window, let loc):
            let cond = EventCondition(subject: .section, comparison: Comparison(op: .equal, values: [.string(section)]), location: loc)
            return .minutes(accumulator(.dwell, EventPattern(event: .page, conditions: [cond], window: window, location: loc)))
        case .score(let name, _):
            guard let i = names(program).scores[name] else { return .constant(0) }
            return .score(i)
        case .arithmetic(let first, let steps):
            return .arithmetic(compile(first, program: program),
                               steps.map { NumberStep(op: $0.op, operand: compile($0.operand, program: program)) })
        case .negate(let a): return .negate(compile(a, program: program))
        }
    }

    /// One bit per (row, filter): whether the row's name/kind and conditions match the filter.
    ///
    /// Filter by filter, column by column: the rows with the right name (or kind) first, then
    /// each condition narrows that candidate list with one pass over its column.
    func buildRowMask(words: Int) -> [UInt64] {
        let n = table.count
        guard words > 0 else { return [] }
        var mask = [UInt64](repeating: 0, count: n * words)
        var candidates = [Int32]()
        candidates.reserveCapacity(n)
        for (f, key) in filters.enumerated() {
            // Resolve the conditions' columns and values once.
            var tests: [(column: [PropValue]?, test: ValueTest)] = []
            var impossible = false
            conditions: for c in key.conditions {
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
            candidates.removeAll(keepingCapacity: true)
            switch key.event {
            case .named(let name):
                guard let id = table.strings.lookup(name) else { continue }
                table.name.withUnsafeBufferPointer { names in
                    for r in 0..<n where names[r] == id { candidates.append(Int32(r)) }
                }
            case .page:
                table.kind.withUnsafeBufferPointer { kinds in
                    for r in 0..<n where kinds[r].isPageLike { candidates.append(Int32(r)) }
                }
            case .any:
                for r in 0..<n { candidates.append(Int32(r)) }
            }
            for t in tests {
                let test = t.test
                if let column = t.column {
                    column.withUnsafeBufferPointer { values in
                        candidates.removeAll { !test.matches(values[Int($0)]) }
                    }
                } else {
                    table.section.withUnsafeBufferPointer { sections in
                        candidates.removeAll { r in
                            let s = sections[Int(r)]
                            return !test.matches(s < 0 ? .missing : .string(s))
                        }
                    }
                }
            }
            let word = f >> 6
            let bit: UInt64 = 1 << UInt64(f & 63)
            mask.withUnsafeMutableBufferPointer { out in
                for r in candidates { out[Int(r) &* words &+ word] |= bit }
            }
        }
        return mask
    }
}
