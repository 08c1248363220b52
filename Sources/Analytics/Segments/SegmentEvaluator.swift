import EventStore

/// Evaluates a ``SegmentProgram`` against one ``EventTable``.
///
/// Compiling (the initializer) resolves event names, property paths, strings and sections
/// to the table's interned ids once, and marks, for every row, which of the program's
/// distinct event filters (`"Product Viewed" where category = "baby"`, …) it matches: one
/// bit per filter, so the filters' conditions are never tested again. A name or value the
/// table never saw can never match.
///
/// Each evaluation is then one pass over each person's contiguous, time-ordered rows
/// (rows after `now` are skipped), accumulating per-filter counts, sums, dwell times and
/// `then`-chain progress in preallocated buffers, followed by the person's scores and
/// segments in dependency order. Nothing is allocated per row or per person.
///
/// Evaluation is "as of now": only events with time ≤ now count, traits are the latest
/// values set at or before now, and a person with no event at or before now is in no segment.
public struct SegmentEvaluator: Sendable {
    public let program: SegmentProgram
    private let table: EventTable

    /// 64-bit words per row of the filter mask (one bit per distinct event filter).
    private let maskWords: Int
    /// `rowMask[row * maskWords + f / 64]` bit `f % 64`: the row matches filter `f` (windows aside).
    private let rowMask: [UInt64]
    /// Uses of filter `f`: `uses[useStart[f] ..< useStart[f + 1]]`.
    private let useStart: [Int]
    private let uses: [FilterUse]
    private let accumulatorCount: Int
    private let chains: [Chain]
    private let chainStepCount: Int
    private let sumColumns: [PropertyColumn]
    /// Per-row sums in millionths (``ScoreSum``) of element `sum`s, by column.
    private let microColumns: [[Int128]]
    /// Accumulators that start at -∞ (`max`) or +∞ (`min`) instead of 0.
    private let extremeStarts: [(Int, Double)]
    private let segmentNodes: [BoolNode]
    private let scoreNodes: [NumberNode]

    /// Compiles the program against the table.
    public init(program: SegmentProgram, table: EventTable) {
        self.program = program
        self.table = table
        var c = Compiler(table: table)
        segmentNodes = program.segments.map { c.compile($0.expression, program: program) }
        scoreNodes = program.scores.map { c.compile($0.expression, program: program) }
        maskWords = (c.filters.count + 63) / 64
        rowMask = c.buildRowMask(words: maskWords)
        var byFilter = [[FilterUse]](repeating: [], count: c.filters.count)
        for (i, a) in c.accumulators.enumerated() {
            byFilter[a.filter].append(FilterUse(kind: a.kind, target: i, step: 0, window: a.window, column: a.column))
        }
        var base = 0
        var chains: [Chain] = []
        for (ci, chain) in c.chains.enumerated() {
            for (j, step) in chain.steps.enumerated() {
                byFilter[step.filter].append(FilterUse(kind: .step, target: ci, step: j, window: step.window, column: -1))
            }
            chains.append(Chain(base: base, steps: chain.steps.count, within: chain.within))
            base += chain.steps.count
        }
        self.chains = chains
        chainStepCount = base
        var start = [0]
        var flat: [FilterUse] = []
        for list in byFilter { flat += list; start.append(flat.count) }
        useStart = start
        uses = flat
        accumulatorCount = c.accumulators.count
        sumColumns = c.sumColumns
        microColumns = c.microColumns
        extremeStarts = c.extremes.sorted { $0.key < $1.key }.map { ($0.key, $0.value ? -Double.infinity : Double.infinity) }
    }

    /// The latest event time of the table (the default `now`), or 0 for an empty table.
    public var defaultNow: Int64 { table.lastEventTime ?? 0 }

    /// Number of persons of the table.
    public var personCount: Int { table.personCount }

    /// The members of every segment as of `now` (milliseconds since the epoch), in file order.
    public func evaluate(now: Int64) -> [PersonSet] { run(now: now, wantScores: false).segments }

    /// Every score's value for every person as of `now`, by score name (indexed by person).
    public func scores(now: Int64) -> [String: [Double]] {
        let values = run(now: now, wantScores: true).scores
        var out: [String: [Double]] = [:]
        for (i, s) in program.scores.enumerated() { out[s.name] = values[i] }
        return out
    }

    /// Segments and scores (by score index, then person) in one pass.
    public func evaluateAll(now: Int64) -> (segments: [PersonSet], scores: [[Double]]) { run(now: now, wantScores: true) }

    // MARK: The pass

    private func run(now: Int64, wantScores: Bool) -> (segments: [PersonSet], scores: [[Double]]) {
        let persons = table.personCount
        var sets = [PersonSet](repeating: PersonSet(universe: persons), count: segmentNodes.count)
        var scoreOut = wantScores ? [[Double]](repeating: [Double](repeating: 0, count: persons), count: scoreNodes.count) : []
        // Earliest time each use accepts (its window), computed once per evaluation.
        let useMin: [Int64] = uses.map { $0.window < 0 ? .min : saturatingSubtract(now, $0.window) }
        let st = Scratch(accumulators: accumulatorCount, chains: chains.count, chainSteps: chainStepCount,
                         scores: scoreNodes.count, segments: segmentNodes.count, extremes: extremeStarts)
        defer { st.deallocate() }
        let words = maskWords
        let segmentOrder = program.segmentEvaluationOrder
        let scoreOrder = program.scoreEvaluationOrder
        let traitRow = table.traitRow
        var traitCursor = 0

        table.time.withUnsafeBufferPointer { time in
        rowMask.withUnsafeBufferPointer { mask in
        uses.withUnsafeBufferPointer { uses in
        useStart.withUnsafeBufferPointer { useStart in
        useMin.withUnsafeBufferPointer { useMin in
        chains.withUnsafeBufferPointer { chains in
        table.personStart.withUnsafeBufferPointer { personStart in
            for p in 0..<persons {
                let lo = Int(personStart[p]), hi = Int(personStart[p + 1])
                st.reset()
                var groupTime = Int64.min
                var r = lo
                while r < hi {
                    let t = time[r]
                    if t > now { break }
                    for w in 0..<words {
                        var m = mask[r &* words &+ w]
                        while m != 0 {
                            let f = w << 6 | m.trailingZeroBitCount
                            m &= m &- 1
                            for u in useStart[f] ..< useStart[f + 1] where t >= useMin[u] {
                                let use = uses[u]
                                switch use.kind {
                                case .count:
                                    st.accumulators[use.target] += 1
                                case .sum:
                                    if let x = sumColumns[use.column][r].number { st.accumulators[use.target] += x }
                                case .microSum:
                                    if let x = sumColumns[use.column][r].number, let m = ScoreSum.micro(x) { st.micro[use.target] += Int128(m) }
                                case .microColumn:
                                    st.micro[use.target] += microColumns[use.column][r]
                                case .max:
                                    if let x = sumColumns[use.column][r].number, x > st.accumulators[use.target] { st.accumulators[use.target] = x }
                                case .min:
                                    if let x = sumColumns[use.column][r].number, x < st.accumulators[use.target] { st.accumulators[use.target] = x }
                                case .dwell:
                                    if r + 1 < hi {
                                        let next = time[r + 1]
                                        if next <= now, next - t < SegmentEvaluator.dwellCutoff {
                                            st.accumulators[use.target] += Double(next - t)
                                        }
                                    }
                                case .step:
                                    if st.chainDone[use.target] { continue }
                                    if t != groupTime { st.commitChains(); groupTime = t }
                                    let chain = chains[use.target]
                                    let slot = chain.base + use.step
                                    let start = use.step == 0 ? t : st.best[slot - 1]
                                    if start == .min { continue }
                                    if use.step == chain.steps - 1 {
                                        if t - start <= chain.within { st.chainDone[use.target] = true }
                                    } else if start > st.pending[slot] {
                                        st.pending[slot] = start
                                    }
                                }
                            }
                        }
                    }
                    r += 1
                }
                // The person's trait entries (trait rows are in row order, persons in row order).
                while traitCursor < traitRow.count, Int(traitRow[traitCursor]) < lo { traitCursor += 1 }
                var traitEnd = traitCursor
                while traitEnd < traitRow.count, Int(traitRow[traitEnd]) < hi { traitEnd += 1 }
                let traits = traitCursor ..< traitEnd

                for s in scoreOrder { st.scores[s] = number(scoreNodes[s], st) }
                if wantScores { for s in 0..<scoreNodes.count { scoreOut[s][p] = st.scores[s] } }
                guard lo < hi, time[lo] <= now else { continue }  // not seen yet as of now
                for s in segmentOrder {
                    let member = truth(segmentNodes[s], st, traits: traits, now: now)
                    st.segments[s] = member
                    if member { sets[s].insert(p) }
                }
            }
        }
        }
        }
        }
        }
        }
        }
        return (sets, scoreOut)
    }

    /// The person's latest value of trait `key` set at or before `now`, among trait entries `traits`.
    private func traitValue(_ key: Int32, traits: Range<Int>, now: Int64) -> PropValue {
        var best = PropValue.missing
        for i in traits where table.traitKey[i] == key {
            if table.time[Int(table.traitRow[i])] <= now { best = table.traitValue[i] } else { break }
        }
        return best
    }

    /// A page's dwell time counts when the next event comes less than this long after it (30 minutes).
    public static let dwellCutoff: Int64 = 30 * 60_000

    private func truth(_ n: BoolNode, _ st: Scratch, traits: Range<Int>, now: Int64) -> Bool {
        switch n {
        case .never: return false
        case .count(let a, let q): return q.accepts(Int(st.accumulators[a]))
        case .chain(let c): return st.chainDone[c]
        case .trait(let key, let test): return test.matches(traitValue(key, traits: traits, now: now))
        case .traitList(let key, let elements, let test):
            // The latest event (at or before now) that set the list; then its elements set by that same event.
            var row: Int32 = -1
            for i in traits where table.traitKey[i] == key {
                if table.time[Int(table.traitRow[i])] <= now { row = table.traitRow[i] } else { break }
            }
            guard row >= 0 else { return false }
            for i in traits where table.traitRow[i] == row && elements.contains(table.traitKey[i]) {
                if test.matches(table.traitValue[i]) { return true }
            }
            return false
        case .member(let s): return st.segments[s]
        case .score(let s, let op, let x): return compare(st.scores[s], op, x)
        case .and(let operands):
            for o in operands where !truth(o, st, traits: traits, now: now) { return false }
            return true
        case .or(let operands):
            for o in operands where truth(o, st, traits: traits, now: now) { return true }
            return false
        case .not(let a): return !truth(a, st, traits: traits, now: now)
        }
    }

    private func number(_ n: NumberNode, _ st: Scratch) -> Double {
        switch n {
        case .constant(let x): return x
        case .accumulator(let a): return st.accumulators[a]
        case .minutes(let a): return st.accumulators[a] / 60_000
        case .microSum(let a): return ScoreSum.value(st.micro[a])
        case .extreme(let a):
            let x = st.accumulators[a]
            return x.isFinite ? x : 0
        case .score(let s): return st.scores[s]
        case .arithmetic(let first, let steps):
            var x = number(first, st)
            for s in steps {
                let y = number(s.operand, st)
                switch s.op {
                case .add: x += y
                case .subtract: x -= y
                case .multiply: x *= y
                case .divide: x = y == 0 ? 0 : x / y
                }
            }
            return x
        case .negate(let a): return -number(a, st)
        }
    }
}

@inline(__always) func saturatingSubtract(_ a: Int64, _ b: Int64) -> Int64 {
    let (r, o) = a.subtractingReportingOverflow(b)
    return o ? .min : r
}

private func compare(_ v: Double, _ op: ComparisonOperator, _ x: Double) -> Bool {
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

// MARK: Compiled program

/// A rule compiled to indices into the evaluator's buffers.
indirect enum BoolNode: Sendable {
    case never
    /// The count of accumulator `a` satisfies the quantifier.
    case count(Int, Quantifier)
    case chain(Int)
    /// Trait key id (interned) and test.
    case trait(Int32, ValueTest)
    /// A list trait's key id, its element keys (`children[0].age`, …) and the test some element must pass.
    case traitList(Int32, IDSet, ValueTest)
    case member(Int)
    case score(Int, ComparisonOperator, Double)
    case and([BoolNode])
    case or([BoolNode])
    case not(BoolNode)
}

/// A score formula compiled to indices.
indirect enum NumberNode: Sendable {
    case constant(Double)
    case accumulator(Int)
    /// An exact sum in millionths (``ScoreSum``), as a number.
    case microSum(Int)
    /// Accumulated milliseconds, as minutes.
    case minutes(Int)
    /// A `max`/`min` accumulator (0 when nothing came).
    case extreme(Int)
    case score(Int)
    /// Left to right, as ``ScoreExpression/arithmetic(_:_:)``.
    case arithmetic(NumberNode, [NumberStep])
    case negate(NumberNode)
}

/// One `OP OPERAND` step of a compiled arithmetic chain.
struct NumberStep: Sendable {
    var op: ArithmeticOperator
    var operand: NumberNode
}

/// `sum` adds a column's numbers as doubles (element counts: integers, exact); `microSum` adds a column's numbers
/// in millionths (``ScoreSum``), `microColumn` a column of per-row sums in millionths.
enum UseKind: UInt8, Sendable, Hashable { case count, sum, microSum, microColumn, dwell, step, max, min }

/// What to do when a row matches a filter.
struct FilterUse: Sendable {
    var kind: UseKind
    /// Accumulator index, or chain index for a step.
    var target: Int
    /// Step index inside the chain.
    var step: Int
    /// `in last` window in milliseconds, or -1.
    var window: Int64
    /// Sum column index, or -1.
    var column: Int
}

struct Chain: Sendable {
    /// First slot of the chain in the step buffers.
    var base: Int
    var steps: Int
    var within: Int64
}

/// Scratch buffers for one person, allocated once per evaluation (and deallocated by its owner).
struct Scratch {
    let accumulators: UnsafeMutableBufferPointer<Double>
    /// Exact sums in millionths (``ScoreSum``), indexed like ``accumulators``.
    let micro: UnsafeMutableBufferPointer<Int128>
    let chainDone: UnsafeMutableBufferPointer<Bool>
    /// Per chain step: the latest start time of a partial chain completed through the step
    /// at an earlier time than the current one (`Int64.min`: none).
    let best: UnsafeMutableBufferPointer<Int64>
    /// The same for the current time (committed when time moves on; events at the same
    /// millisecond are not "strictly later").
    let pending: UnsafeMutableBufferPointer<Int64>
    let scores: UnsafeMutableBufferPointer<Double>
    let segments: UnsafeMutableBufferPointer<Bool>
    /// Accumulators with another start value than 0 (`max`, `min`).
    let extremes: [(Int, Double)]

    init(accumulators: Int, chains: Int, chainSteps: Int, scores: Int, segments: Int, extremes: [(Int, Double)] = []) {
        self.extremes = extremes
        self.accumulators = .allocate(capacity: accumulators)
        micro = .allocate(capacity: accumulators)
        chainDone = .allocate(capacity: chains)
        best = .allocate(capacity: chainSteps)
        pending = .allocate(capacity: chainSteps)
        self.scores = .allocate(capacity: scores)
        self.segments = .allocate(capacity: segments)
        self.scores.initialize(repeating: 0)
        self.segments.initialize(repeating: false)
        reset()
    }

    func deallocate() {
        accumulators.deallocate(); micro.deallocate(); chainDone.deallocate(); best.deallocate()
        pending.deallocate(); scores.deallocate(); segments.deallocate()
    }

    func reset() {
        accumulators.initialize(repeating: 0)
        micro.initialize(repeating: 0)
        for (a, x) in extremes { accumulators[a] = x }
        chainDone.initialize(repeating: false)
        best.initialize(repeating: .min)
        pending.initialize(repeating: .min)
        segments.initialize(repeating: false)
    }

    func commitChains() {
        for i in best.indices where pending[i] != .min {
            if pending[i] > best[i] { best[i] = pending[i] }
            pending[i] = .min
        }
    }
}
