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
/// segments in dependency order, from the rules flattened into instruction arrays
/// (``SegmentCode``). Nothing is allocated per row or per person. ``members(asOf:)`` evaluates
/// as of several times (the weekly series) in the same single pass.
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
    /// Every use of every filter (a single evaluation applies all of them, windows checked per use).
    private let allUses: UseTable
    private let accumulatorCount: Int
    private let chains: [Chain]
    private let chainStepCount: Int
    private let sumColumns: [PropertyColumn]
    /// Per-row sums in millionths (``ScoreSum``) of element `sum`s, by column.
    private let microColumns: [[Int128]]
    /// Accumulators that start at -∞ (`max`) or +∞ (`min`) instead of 0.
    private let extremeStarts: [(Int, Double)]
    /// The rules and formulas as flat instruction arrays.
    private let code: SegmentCode
    /// How an evaluation as of several times in one pass treats each use (``members(asOf:)``).
    private let plan: SeriesPlan
    /// What each segment and score reads, so that a series decides again only what moved (nil: too many inputs).
    private let inputs: DecisionInputs?

    /// Compiles the program against the table.
    public init(program: SegmentProgram, table: EventTable) {
        self.program = program
        self.table = table
        var c = Compiler(table: table)
        let segmentNodes = program.segments.map { c.compile($0.expression, program: program) }
        let scoreNodes = program.scores.map { c.compile($0.expression, program: program) }
        code = SegmentCode(segments: segmentNodes, scores: scoreNodes)
        maskWords = (c.filters.count + 63) / 64
        rowMask = c.buildRowMask(words: maskWords)
        // Chain step slots: the chains without a windowed step first (a series evaluation advances them with the
        // rows), then the others (re-run from the person's first row for every end of a series).
        let rescanChain = c.chains.map { chain in chain.steps.contains { $0.window >= 0 } }
        var chains = [Chain](repeating: Chain(base: 0, steps: 0, within: 0), count: c.chains.count)
        var base = 0
        var prefixSlots = 0
        for pass in [false, true] {
            for (ci, chain) in c.chains.enumerated() where rescanChain[ci] == pass {
                chains[ci] = Chain(base: base, steps: chain.steps.count, within: chain.within)
                base += chain.steps.count
            }
            if !pass { prefixSlots = base }
        }
        self.chains = chains
        chainStepCount = base
        var list: [FilterUse] = []
        for (i, a) in c.accumulators.enumerated() {
            list.append(FilterUse(kind: a.kind, target: i, step: 0, window: a.window, column: a.column, filter: a.filter))
        }
        for (ci, chain) in c.chains.enumerated() {
            for (j, step) in chain.steps.enumerated() {
                list.append(FilterUse(kind: .step, target: ci, step: j, window: step.window, column: -1, filter: step.filter))
            }
        }
        allUses = UseTable(list, filters: c.filters.count, words: maskWords)
        accumulatorCount = c.accumulators.count
        sumColumns = c.sumColumns
        microColumns = c.microColumns
        extremeStarts = c.extremes.sorted { $0.key < $1.key }.map { ($0.key, $0.value ? -Double.infinity : Double.infinity) }
        plan = SeriesPlan(uses: list, filters: c.filters.count, words: maskWords, rescanChain: rescanChain,
                          prefixSlots: prefixSlots, slots: base, sumColumns: c.sumColumns, extremes: c.extremes)
        inputs = DecisionInputs(code: code, accumulators: c.accumulators.count, chains: c.chains.count,
                                segmentOrder: program.segmentEvaluationOrder, scoreOrder: program.scoreEvaluationOrder)
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

    /// The members of every segment as of each of `ends` (ascending; `result[k][segment]`), the same sets as
    /// `ends.map(evaluate(now:))` but in **one pass** over each person's time-ordered rows instead of one pass per
    /// end: the weekly series (docs/PERFORMANCE.md, "perf, session 6 (analysis)").
    ///
    /// What a rule counts as of an end is what it counted as of the previous end plus the rows up to the new end, so
    /// the pass stops at each end to decide the person's segments, then goes on. Uses with an `in last` window also
    /// drop the rows that fell out of their window (a second cursor per window; counts, exact sums and dwell times
    /// are integers, so taking a row away is exact); a windowed `max`/`min`, a windowed sum that is not integral and
    /// a `then` chain with a windowed step cannot take a row away, and are re-run over the person's rows for each
    /// end (still one row pass for everything else). A person whose rows and windows did not move between two ends
    /// keeps the previous end's segments.
    public func members(asOf ends: [Int64]) -> [[PersonSet]] {
        let persons = table.personCount
        let words = memberWords(asOf: ends, persons: 0 ..< persons)
        let perSet = (persons + 63) >> 6
        return ends.indices.map { k in
            program.segments.indices.map { s in
                let at = (k * program.segments.count + s) * perSet
                return PersonSet(universe: persons, words: Array(words[at ..< at + perSet]))
            }
        }
    }

    /// ``members(asOf:)`` for the persons `persons` only (its lower bound a multiple of 64, so that jobs over
    /// different ranges write different words): bit `p - persons.lowerBound` of the words at
    /// `(k * segments + s) * ⌈persons.count / 64⌉`.
    func memberWords(asOf ends: [Int64], persons: Range<Int>) -> [UInt64] {
        precondition(persons.lowerBound & 63 == 0, "person ranges start at a multiple of 64")
        let rangeWords = (persons.count + 63) >> 6
        var out = [UInt64](repeating: 0, count: ends.count * program.segments.count * rangeWords)
        out.withUnsafeMutableBufferPointer { o in
            series(ends: ends, persons: persons, output: .bits(o.baseAddress!, rangeWords: rangeWords), scores: nil)
        }
        return out
    }

    /// How many members of each segment are in `filter` (every person when nil) as of each of `ends` (ascending;
    /// `result[k][segment]`), counting the persons `persons` only: ``members(asOf:)`` without keeping the sets.
    func memberCounts(asOf ends: [Int64], filter: PersonSet?, persons: Range<Int>) -> [[Int]] {
        let segments = program.segments.count
        var counts = [Int](repeating: 0, count: ends.count * segments)
        let filterWords = filter?.words ?? []
        counts.withUnsafeMutableBufferPointer { c in
            filterWords.withUnsafeBufferPointer { f in
                series(ends: ends, persons: persons, output: .counts(c.baseAddress!, filter: filter == nil ? nil : f), scores: nil)
            }
        }
        return ends.indices.map { k in Array(counts[k * segments ..< (k + 1) * segments]) }
    }

    /// `persons` persons in at most `jobs` ranges for concurrent jobs of a series evaluation (each starting at a
    /// multiple of 64, so that their member words never share a word).
    static func personChunks(persons: Int, jobs: Int) -> [Range<Int>] {
        let jobs = max(1, jobs)
        let per = max(64, ((persons + jobs - 1) / jobs + 63) & ~63)
        return stride(from: 0, to: persons, by: per).map { $0 ..< min(persons, $0 + per) }
    }

    /// The member sets (`result[end][segment]`) from the ``memberWords(asOf:persons:)`` of consecutive person
    /// `chunks` covering all `universe` persons.
    static func assemble(_ parts: [[UInt64]], chunks: [Range<Int>], ends: Int, segments: Int, universe: Int) -> [[PersonSet]] {
        (0 ..< ends).map { k in
            (0 ..< segments).map { s in
                var words: [UInt64] = []
                words.reserveCapacity((universe + 63) >> 6)
                for (i, chunk) in chunks.enumerated() {
                    let n = (chunk.count + 63) >> 6
                    let at = (k * segments + s) * n
                    words += parts[i][at ..< at + n]
                }
                return PersonSet(universe: universe, words: words)
            }
        }
    }

    // MARK: The pass

    private func run(now: Int64, wantScores: Bool) -> (segments: [PersonSet], scores: [[Double]]) {
        let persons = table.personCount
        let perSet = (persons + 63) >> 6
        var words = [UInt64](repeating: 0, count: program.segments.count * perSet)
        var flatScores = [Double](repeating: 0, count: wantScores ? program.scores.count * persons : 0)
        words.withUnsafeMutableBufferPointer { o in
            flatScores.withUnsafeMutableBufferPointer { sc in
                series(ends: [now], persons: 0 ..< persons, output: .bits(o.baseAddress!, rangeWords: perSet),
                       scores: wantScores ? sc.baseAddress! : nil)
            }
        }
        let sets = program.segments.indices.map { s in PersonSet(universe: persons, words: Array(words[s * perSet ..< (s + 1) * perSet])) }
        let scores = wantScores ? program.scores.indices.map { Array(flatScores[$0 * persons ..< ($0 + 1) * persons]) } : []
        return (sets, scores)
    }

    /// Where a pass puts a person's membership.
    private enum Output {
        /// Bit per person: `(end * segments + segment) * rangeWords + (p - persons.lowerBound) / 64`.
        case bits(UnsafeMutablePointer<UInt64>, rangeWords: Int)
        /// A count per end and segment (`end * segments + segment`) of the members in `filter` (all when nil).
        case counts(UnsafeMutablePointer<Int>, filter: UnsafeBufferPointer<UInt64>?)
    }

    /// Evaluates every segment as of each of `ends` (ascending) for the persons `persons`, in one pass over each
    /// person's rows (``members(asOf:)``); with one end, every use is applied as the rows come (windows checked per
    /// row), as a single evaluation always did. `scores` (one end only): every score of every person, by score then
    /// person.
    private func series(ends: [Int64], persons: Range<Int>, output: Output, scores scoreOut: UnsafeMutablePointer<Double>?) {
        guard !ends.isEmpty, !persons.isEmpty else { return }
        let single = ends.count == 1
        let personTotal = table.personCount
        // The uses of each part of the pass and the earliest time each use accepts, per end.
        let head = single ? allUses : plan.head
        let headMin: [Int64] = single ? head.uses.map { $0.window < 0 ? .min : saturatingSubtract(ends[0], $0.window) }
            : [Int64](repeating: .min, count: head.uses.count)
        let rescanMin: [Int64] = single ? [] : ends.flatMap { end in
            plan.rescan.uses.map { $0.window < 0 ? .min : saturatingSubtract(end, $0.window) }
        }
        let tailMin: [Int64] = single ? [] : ends.flatMap { end in plan.windows.map { saturatingSubtract(end, $0) } }
        let windowCount = single ? 0 : plan.windows.count
        let hasRescan = !single && !plan.rescan.uses.isEmpty
        let segmentCount = program.segments.count
        let st = Scratch(accumulators: accumulatorCount, chains: chains.count, chainSteps: chainStepCount,
                         scores: program.scores.count, segments: segmentCount, extremes: extremeStarts,
                         stack: code.stackDepth, windows: windowCount)
        defer { st.deallocate() }
        let segmentOrder = program.segmentEvaluationOrder
        // What each segment and score reads (``DecisionInputs``); the pass marks what it touches in `st.touched`.
        let inputs = self.inputs
        let scoreOrder = program.scoreEvaluationOrder
        let headSlots = single ? 0 ..< chainStepCount : 0 ..< plan.prefixSlots
        let rescanSlots = plan.prefixSlots ..< chainStepCount
        var traitCursor = 0

        withPass(head: head, headMin: headMin, rescanMin: rescanMin, st: st) { pass in
            let time = pass.time
            let traitRow = pass.traitRow
            // Trait entries are in row order, persons in row order: find the first entry of the first person.
            let firstRow = Int32(pass.personStart[persons.lowerBound])
            var lo = 0, hi = traitRow.count
            while lo < hi {
                let mid = (lo + hi) >> 1
                if traitRow[mid] < firstRow { lo = mid + 1 } else { hi = mid }
            }
            traitCursor = lo

            for p in persons {
                let lo = Int(pass.personStart[p]), hi = Int(pass.personStart[p + 1])
                st.reset()
                while traitCursor < traitRow.count, Int(traitRow[traitCursor]) < lo { traitCursor += 1 }
                var traitEnd = traitCursor
                while traitEnd < traitRow.count, Int(traitRow[traitEnd]) < hi { traitEnd += 1 }
                let traits = traitCursor ..< traitEnd
                var traitSeen = traitCursor
                var headRow = lo
                var groupTime = Int64.min
                var deferred = -1
                for t in 0 ..< windowCount { st.tails[t] = lo }
                var decided = false
                // The segments the person is in (bit s), as last decided; `segmentCount <= 64` only, else the flags.
                var memberBits: UInt64 = 0
                // Without scores to write, the ends before the person's first row decide nothing (no row at or before
                // them: in no segment, and nothing to apply or take away), so the pass starts at the first end at or
                // after it; a person without rows is in no segment at any end.
                var firstEnd = 0
                if scoreOut == nil {
                    guard lo < hi else { continue }
                    let first = time[lo]
                    while firstEnd < ends.count, ends[firstEnd] < first { firstEnd += 1 }
                }

                for k in firstEnd ..< ends.count {
                    let end = ends[k]
                    var moved = false
                    // A page whose dwell waited for its next event (after the previous end).
                    if deferred >= 0, time[deferred + 1] <= end {
                        pass.addDeferredDwell(row: deferred, end: end)
                        deferred = -1
                    }
                    while headRow < hi, time[headRow] <= end {
                        if pass.apply(row: headRow, hi: hi, now: end, table: pass.head, minimum: pass.headMin,
                                      groupTime: &groupTime, commit: headSlots) {
                            deferred = headRow
                        }
                        headRow += 1
                        moved = true
                    }
                    for w in 0 ..< windowCount {
                        let below = tailMin[k * windowCount + w]
                        var r = st.tails[w]
                        while r < headRow, time[r] < below {
                            pass.remove(row: r, headRow: headRow, window: w)
                            r += 1
                            moved = true
                        }
                        st.tails[w] = r
                    }
                    let seen = headRow > lo
                    if hasRescan && seen {
                        pass.rescan(rows: lo ..< headRow, hi: hi, now: end, minimum: k * plan.rescan.uses.count, slots: rescanSlots)
                        moved = true
                    }
                    if let scoreOut {
                        for s in scoreOrder { st.scores[s] = pass.score(s) }
                        for s in 0 ..< program.scores.count { scoreOut[s * personTotal + p] = st.scores[s] }
                    }
                    guard seen else { continue }  // no event at or before this end: in no segment
                    if moved || !decided {
                        // The trait entries of the rows applied so far (a trait's value as of `end` is the latest of them).
                        let traitsBefore = traitSeen
                        while traitSeen < traitEnd, Int(traitRow[traitSeen]) < headRow { traitSeen += 1 }
                        if let inputs, decided {
                            // Decide again only the scores and segments whose inputs the pass touched since the last
                            // decision (a touched input may have come back to its value: deciding again is then merely
                            // redundant).
                            let changed = st.touched.pointee | (traitSeen != traitsBefore ? inputs.traitBit : 0)
                            st.touched.pointee = 0
                            if changed != 0 {
                                if scoreOut == nil {
                                    for s in scoreOrder where inputs.score[s] & changed != 0 { st.scores[s] = pass.score(s) }
                                }
                                for s in segmentOrder where inputs.segment[s] & changed != 0 {
                                    st.segments[s] = pass.truth(s, traits: traits, now: end)
                                }
                            }
                        } else {
                            if scoreOut == nil { for s in scoreOrder { st.scores[s] = pass.score(s) } }
                            for s in segmentOrder { st.segments[s] = pass.truth(s, traits: traits, now: end) }
                            st.touched.pointee = 0
                        }
                        decided = true
                        if segmentCount <= 64 {
                            memberBits = 0
                            for s in 0 ..< segmentCount where st.segments[s] { memberBits |= 1 << UInt64(s) }
                        }
                    }
                    // Settled: every row applied, none left to take away from a window, no dwell waiting, nothing
                    // re-run, no scores to write — the remaining ends decide exactly as this one.
                    var last = k
                    if scoreOut == nil, headRow == hi, deferred < 0, !hasRescan {
                        var drained = true
                        for w in 0 ..< windowCount where st.tails[w] != hi { drained = false; break }
                        if drained { last = ends.count - 1 }
                    }
                    switch output {
                    case .bits(let out, let rangeWords):
                        let word = (p - persons.lowerBound) >> 6
                        let bit: UInt64 = 1 << UInt64(p & 63)
                        for e in k ... last {
                            if segmentCount <= 64 {
                                var m = memberBits
                                while m != 0 {
                                    let s = m.trailingZeroBitCount
                                    m &= m &- 1
                                    out[(e * segmentCount + s) * rangeWords + word] |= bit
                                }
                            } else {
                                for s in 0 ..< segmentCount where st.segments[s] { out[(e * segmentCount + s) * rangeWords + word] |= bit }
                            }
                        }
                    case .counts(let out, let filter):
                        if let filter, filter[p >> 6] & (1 << UInt64(p & 63)) == 0 { break }
                        for e in k ... last {
                            for s in 0 ..< segmentCount where st.segments[s] { out[e * segmentCount + s] += 1 }
                        }
                    }
                    if last > k { break }
                }
            }
        }
    }

    /// Calls `body` with a ``Pass`` over the table's and the program's memory.
    private func withPass(head: UseTable, headMin: [Int64], rescanMin: [Int64], st: Scratch, _ body: (Pass) -> Void) {
        let rescan = plan.rescan, tails = plan.tails
        table.time.withUnsafeBufferPointer { time in
        rowMask.withUnsafeBufferPointer { mask in
        table.personStart.withUnsafeBufferPointer { personStart in
        table.traitRow.withUnsafeBufferPointer { traitRow in
        table.traitKey.withUnsafeBufferPointer { traitKey in
        table.traitValue.withUnsafeBufferPointer { traitValue in
            let small = Pinned(head: head, headMin: headMin, rescan: rescan, rescanMin: rescanMin, tails: tails,
                               chains: chains, code: code)
            defer { small.deallocate() }
            body(Pass(time: time, mask: mask, words: maskWords, personStart: personStart, traitRow: traitRow,
                      traitKey: traitKey, traitValue: traitValue, head: small.head, headMin: small.headMin,
                      rescan: small.rescan, rescanMin: small.rescanMin, tails: small.tails, chains: small.chains,
                      rules: small.rules, ruleEntry: small.ruleEntry, scoreCode: small.scoreCode, scoreEntry: small.scoreEntry,
                      tests: code.tests, elementSets: code.elementSets, sumColumns: sumColumns, microColumns: microColumns,
                      rescanResets: plan.rescanResets, rescanChains: plan.rescanChains, st: st,
                      chainTouch: 1 << UInt64(accumulatorCount)))
        }
        }
        }
        }
        }
        }
    }

    /// A page's dwell time counts when the next event comes less than this long after it (30 minutes).
    public static let dwellCutoff: Int64 = 30 * 60_000
}

/// The uses of the filters by one part of a pass, indexed by filter: `uses[useStart[f] ..< useStart[f + 1]]`, and the
/// filters that have any (`filterMask`, one bit per filter, so a row none of whose filters is used is skipped at once).
struct UseTable: Sendable {
    var useStart: [Int]
    var uses: [FilterUse]
    var filterMask: [UInt64]

    init(_ list: [FilterUse], filters: Int, words: Int) {
        var byFilter = [[FilterUse]](repeating: [], count: filters)
        for u in list { byFilter[u.filter].append(u) }
        var start = [0]
        var flat: [FilterUse] = []
        var mask = [UInt64](repeating: 0, count: words)
        for (f, l) in byFilter.enumerated() {
            flat += l
            start.append(flat.count)
            if !l.isEmpty { mask[f >> 6] |= 1 << UInt64(f & 63) }
        }
        useStart = start
        uses = flat
        filterMask = mask
    }
}

/// How an evaluation as of several ends in one pass (``SegmentEvaluator/members(asOf:)``) treats each use:
///
/// - without a window (and not a step of a chain with a windowed step): applied as the rows come, kept across ends;
/// - a windowed count, exact sum, per-row exact sum, dwell time, or an integral `sum` (element counts): applied as
///   the rows come, and taken away again when the row falls out of the window at a later end (exact: integers);
/// - a windowed `max`/`min`, a windowed non-integral `sum`, and every step of a chain with a windowed step: re-run
///   over the person's rows up to each end (``rescan``).
struct SeriesPlan: Sendable {
    /// The uses applied as the rows come (everything but ``rescan``'s).
    var head: UseTable
    /// The uses re-run for each end.
    var rescan: UseTable
    /// The distinct windows of the uses taken away again, and per window those uses.
    var windows: [Int64]
    var tails: [UseTable]
    /// Chain step slots `0 ..< prefixSlots` belong to chains without a windowed step.
    var prefixSlots: Int
    /// The accumulators of re-run uses and their start values (0, or ∓∞ for `max`/`min`), reset before each re-run.
    var rescanResets: [(Int, Double)]
    /// The chains re-run for each end.
    var rescanChains: [Int]

    init(uses list: [FilterUse], filters: Int, words: Int, rescanChain: [Bool], prefixSlots: Int, slots: Int,
         sumColumns: [PropertyColumn], extremes: [Int: Bool]) {
        var headList: [FilterUse] = [], rescanList: [FilterUse] = []
        var windows: [Int64] = []
        var byWindow: [[FilterUse]] = []
        var resets: [(Int, Double)] = []
        for u in list {
            let rescan: Bool
            switch u.kind {
            case .step: rescan = rescanChain[u.target]
            case .max, .min: rescan = u.window >= 0
            case .sum: rescan = u.window >= 0 && !SeriesPlan.integral(sumColumns[u.column])
            case .count, .microSum, .microColumn, .dwell: rescan = false
            }
            if rescan {
                rescanList.append(u)
                if u.kind != .step { resets.append((u.target, extremes[u.target].map { $0 ? -Double.infinity : Double.infinity } ?? 0)) }
                continue
            }
            headList.append(u)
            guard u.window >= 0 else { continue }
            if let w = windows.firstIndex(of: u.window) {
                byWindow[w].append(u)
            } else {
                windows.append(u.window)
                byWindow.append([u])
            }
        }
        head = UseTable(headList, filters: filters, words: words)
        rescan = UseTable(rescanList, filters: filters, words: words)
        self.windows = windows
        tails = byWindow.map { UseTable($0, filters: filters, words: words) }
        self.prefixSlots = prefixSlots
        rescanResets = resets
        rescanChains = rescanChain.indices.filter { rescanChain[$0] }
    }

    /// Whether a column's numbers are integers whose absolute values add up to less than 2⁵³, so that adding and
    /// taking away any of them in any order gives exactly the same `Double` sums.
    static func integral(_ column: PropertyColumn) -> Bool {
        var total = 0.0
        for v in column.values {
            guard let x = v.number else { continue }
            guard x == x.rounded(), x.magnitude < 9_007_199_254_740_992 else { return false }
            total += x.magnitude
            if total >= 9_007_199_254_740_992 { return false }
        }
        return true
    }
}

/// The small program tables of a pass copied into memory that the pass reads without bounds checks or reference
/// counting (freed by `deallocate()`).
private struct Pinned {
    let head: UnsafeUseTable
    let headMin: UnsafeMutableBufferPointer<Int64>
    let rescan: UnsafeUseTable
    let rescanMin: UnsafeMutableBufferPointer<Int64>
    let tails: [UnsafeUseTable]
    let chains: UnsafeMutableBufferPointer<Chain>
    let rules: UnsafeMutableBufferPointer<RuleInstruction>
    let ruleEntry: UnsafeMutableBufferPointer<Int>
    let scoreCode: UnsafeMutableBufferPointer<ScoreInstruction>
    let scoreEntry: UnsafeMutableBufferPointer<Int>

    init(head: UseTable, headMin: [Int64], rescan: UseTable, rescanMin: [Int64], tails: [UseTable], chains: [Chain],
         code: SegmentCode) {
        self.head = UnsafeUseTable(head)
        self.headMin = pin(headMin)
        self.rescan = UnsafeUseTable(rescan)
        self.rescanMin = pin(rescanMin)
        self.tails = tails.map(UnsafeUseTable.init)
        self.chains = pin(chains)
        rules = pin(code.rules)
        ruleEntry = pin(code.ruleEntry)
        scoreCode = pin(code.scores)
        scoreEntry = pin(code.scoreEntry)
    }

    func deallocate() {
        head.deallocate(); rescan.deallocate(); tails.forEach { $0.deallocate() }
        headMin.deallocate(); rescanMin.deallocate(); chains.deallocate(); rules.deallocate(); ruleEntry.deallocate()
        scoreCode.deallocate(); scoreEntry.deallocate()
    }
}

/// A copy of `array` in freshly allocated memory (the caller deallocates it).
private func pin<T>(_ array: [T]) -> UnsafeMutableBufferPointer<T> {
    let b = UnsafeMutableBufferPointer<T>.allocate(capacity: max(1, array.count))
    _ = b.initialize(from: array)
    return UnsafeMutableBufferPointer(rebasing: b[0 ..< array.count])
}

/// A ``UseTable`` in pinned memory.
private struct UnsafeUseTable {
    let useStart: UnsafeMutableBufferPointer<Int>
    let uses: UnsafeMutableBufferPointer<FilterUse>
    let filterMask: UnsafeMutableBufferPointer<UInt64>

    init(_ t: UseTable) {
        useStart = pin(t.useStart)
        uses = pin(t.uses)
        filterMask = pin(t.filterMask)
    }

    func deallocate() {
        useStart.deallocate(); uses.deallocate(); filterMask.deallocate()
    }
}

/// One pass's view of the table and the program (valid inside ``SegmentEvaluator``'s `withPass`).
private struct Pass {
    let time: TimeColumn.UnsafeTimes
    let mask: UnsafeBufferPointer<UInt64>
    let words: Int
    let personStart: UnsafeBufferPointer<Int32>
    let traitRow: UnsafeBufferPointer<Int32>
    let traitKey: UnsafeBufferPointer<Int32>
    let traitValue: UnsafeBufferPointer<PropValue>
    let head: UnsafeUseTable
    let headMin: UnsafeMutableBufferPointer<Int64>
    let rescan: UnsafeUseTable
    let rescanMin: UnsafeMutableBufferPointer<Int64>
    let tails: [UnsafeUseTable]
    let chains: UnsafeMutableBufferPointer<Chain>
    let rules: UnsafeMutableBufferPointer<RuleInstruction>
    let ruleEntry: UnsafeMutableBufferPointer<Int>
    let scoreCode: UnsafeMutableBufferPointer<ScoreInstruction>
    let scoreEntry: UnsafeMutableBufferPointer<Int>
    let tests: [ValueTest]
    let elementSets: [IDSet]
    let sumColumns: [PropertyColumn]
    let microColumns: [[Int128]]
    let rescanResets: [(Int, Double)]
    let rescanChains: [Int]
    let st: Scratch
    /// The touched bit of chain 0 (``DecisionInputs``: chain `c` is bit `accumulators + c`; 0 when out of the word).
    let chainTouch: UInt64

    /// Applies the uses of `table` that row `r` (of a person whose rows end before `hi`) matches and whose earliest
    /// time (`minimum[u]`, `minimumBase` added) it is not before, as of `now`. Returns whether a dwell use waits for
    /// the row's next event, which comes after `now` (only the last row at or before `now` can).
    @inline(__always)
    func apply(row r: Int, hi: Int, now: Int64, table: UnsafeUseTable, minimum: UnsafeMutableBufferPointer<Int64>,
               minimumBase: Int = 0, groupTime: inout Int64, commit: Range<Int>) -> Bool {
        let t = time[r]
        var waits = false
        for w in 0 ..< words {
            var m = mask[r &* words &+ w] & table.filterMask[w]
            while m != 0 {
                let f = w << 6 | m.trailingZeroBitCount
                m &= m &- 1
                for u in table.useStart[f] ..< table.useStart[f + 1] where t >= minimum[minimumBase &+ u] {
                    let use = table.uses[u]
                    st.touched.pointee |= use.kind == .step ? chainTouch << UInt64(use.target) : 1 << UInt64(use.target)
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
                            if next > now {
                                waits = true
                            } else if next - t < SegmentEvaluator.dwellCutoff {
                                st.accumulators[use.target] += Double(next - t)
                            }
                        }
                    case .step:
                        if st.chainDone[use.target] { continue }
                        if t != groupTime { st.commitChains(commit); groupTime = t }
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
        return waits
    }

    /// Adds the dwell of row `r`, the last row before the previous end, now that its next event is at or before
    /// `end`: for every dwell use of its filters, unless the use's window already dropped the row.
    func addDeferredDwell(row r: Int, end: Int64) {
        let t = time[r], next = time[r + 1]
        guard next - t < SegmentEvaluator.dwellCutoff else { return }
        for w in 0 ..< words {
            var m = mask[r &* words &+ w] & head.filterMask[w]
            while m != 0 {
                let f = w << 6 | m.trailingZeroBitCount
                m &= m &- 1
                for u in head.useStart[f] ..< head.useStart[f + 1] {
                    let use = head.uses[u]
                    guard use.kind == .dwell else { continue }
                    if use.window >= 0, let slot = tailIndex(use.window), r < st.tails[slot] { continue }
                    st.accumulators[use.target] += Double(next - t)
                    st.touched.pointee |= 1 << UInt64(use.target)
                }
            }
        }
    }

    private func tailIndex(_ window: Int64) -> Int? {
        for (i, t) in tails.enumerated() where t.uses.first?.window == window { return i }
        return nil
    }

    /// Takes row `r` away from the uses of window `w` (the row fell out of it). Rows before `headRow` were applied;
    /// a row's dwell was added only once its next row was (`r + 1 < headRow`).
    @inline(__always)
    func remove(row r: Int, headRow: Int, window w: Int) {
        let table = tails[w]
        for word in 0 ..< words {
            var m = mask[r &* words &+ word] & table.filterMask[word]
            while m != 0 {
                let f = word << 6 | m.trailingZeroBitCount
                m &= m &- 1
                for u in table.useStart[f] ..< table.useStart[f + 1] {
                    let use = table.uses[u]
                    st.touched.pointee |= 1 << UInt64(use.target)
                    switch use.kind {
                    case .count:
                        st.accumulators[use.target] -= 1
                    case .sum:
                        if let x = sumColumns[use.column][r].number { st.accumulators[use.target] -= x }
                    case .microSum:
                        if let x = sumColumns[use.column][r].number, let m = ScoreSum.micro(x) { st.micro[use.target] -= Int128(m) }
                    case .microColumn:
                        st.micro[use.target] -= microColumns[use.column][r]
                    case .dwell:
                        if r + 1 < headRow {
                            let t = time[r], next = time[r + 1]
                            if next - t < SegmentEvaluator.dwellCutoff { st.accumulators[use.target] -= Double(next - t) }
                        }
                    case .max, .min, .step:
                        preconditionFailure("never taken away: re-run instead")
                    }
                }
            }
        }
    }

    /// Re-runs the re-run uses (``SeriesPlan/rescan``) over `rows` as of `now` from their start values.
    func rescan(rows: Range<Int>, hi: Int, now: Int64, minimum base: Int, slots: Range<Int>) {
        for (a, x) in rescanResets { st.accumulators[a] = x; st.touched.pointee |= 1 << UInt64(a) }
        for c in rescanChains { st.chainDone[c] = false; st.touched.pointee |= chainTouch << UInt64(c) }
        for i in slots { st.best[i] = .min; st.pending[i] = .min }
        var groupTime = Int64.min
        for r in rows {
            _ = apply(row: r, hi: hi, now: now, table: rescan, minimum: rescanMin, minimumBase: base,
                      groupTime: &groupTime, commit: slots)
        }
    }

    /// Score `s` from the accumulators and the scores before it.
    @inline(__always)
    func score(_ s: Int) -> Double {
        let stack = st.stack
        var sp = 0
        for pc in scoreEntry[s] ..< scoreEntry[s + 1] {
            let i = scoreCode[pc]
            let a = Int(i.a)
            switch i.op {
            case .constant: stack[sp] = i.x; sp &+= 1
            case .accumulator: stack[sp] = st.accumulators[a]; sp &+= 1
            case .minutes: stack[sp] = st.accumulators[a] / 60_000; sp &+= 1
            case .microSum: stack[sp] = ScoreSum.value(st.micro[a]); sp &+= 1
            case .extreme:
                let x = st.accumulators[a]
                stack[sp] = x.isFinite ? x : 0
                sp &+= 1
            case .score: stack[sp] = st.scores[a]; sp &+= 1
            case .negate: stack[sp &- 1] = -stack[sp &- 1]
            case .add: sp &-= 1; stack[sp &- 1] = stack[sp &- 1] + stack[sp]
            case .subtract: sp &-= 1; stack[sp &- 1] = stack[sp &- 1] - stack[sp]
            case .multiply: sp &-= 1; stack[sp &- 1] = stack[sp &- 1] * stack[sp]
            case .divide:
                sp &-= 1
                let y = stack[sp]
                stack[sp &- 1] = y == 0 ? 0 : stack[sp &- 1] / y
            }
        }
        return stack[0]
    }

    /// Whether the person is in segment `s` as of `now` (scores and the segments before `s` decided).
    @inline(__always)
    func truth(_ s: Int, traits: Range<Int>, now: Int64) -> Bool {
        var pc = ruleEntry[s]
        var v = false
        while true {
            let i = rules[pc]
            switch i.op {
            case .never: v = false
            case .always: v = true
            case .atLeast: v = Int(st.accumulators[Int(i.a)]) >= i.n
            case .atMost: v = Int(st.accumulators[Int(i.a)]) <= i.n
            case .exactly: v = Int(st.accumulators[Int(i.a)]) == i.n
            case .chain: v = st.chainDone[Int(i.a)]
            case .trait: v = tests[Int(i.b)].matches(traitValue(i.a, traits: traits, now: now))
            case .traitList: v = listTrait(i.a, elements: Int(i.c), test: Int(i.b), traits: traits, now: now)
            case .member: v = st.segments[Int(i.a)]
            case .scoreEqual: v = st.scores[Int(i.a)] == i.x
            case .scoreNotEqual: v = st.scores[Int(i.a)] != i.x
            case .scoreLess: v = st.scores[Int(i.a)] < i.x
            case .scoreLessOrEqual: v = st.scores[Int(i.a)] <= i.x
            case .scoreGreater: v = st.scores[Int(i.a)] > i.x
            case .scoreGreaterOrEqual: v = st.scores[Int(i.a)] >= i.x
            case .jumpIfFalse: if !v { pc = Int(i.a); continue }
            case .jumpIfTrue: if v { pc = Int(i.a); continue }
            case .not: v = !v
            case .end: return v
            }
            pc &+= 1
        }
    }

    /// The person's latest value of trait `key` set at or before `now`, among trait entries `traits`.
    private func traitValue(_ key: Int32, traits: Range<Int>, now: Int64) -> PropValue {
        var best = PropValue.missing
        for i in traits where traitKey[i] == key {
            if time[Int(traitRow[i])] <= now { best = traitValue[i] } else { break }
        }
        return best
    }

    /// Whether an element of the latest list `key` set at or before `now` (its element traits, set by that same
    /// event, whose keys are in element set `elements`) passes test `test`.
    private func listTrait(_ key: Int32, elements: Int, test: Int, traits: Range<Int>, now: Int64) -> Bool {
        var row: Int32 = -1
        for i in traits where traitKey[i] == key {
            if time[Int(traitRow[i])] <= now { row = traitRow[i] } else { break }
        }
        guard row >= 0 else { return false }
        let set = elementSets[elements], check = tests[test]
        for i in traits where traitRow[i] == row && set.contains(traitKey[i]) {
            if check.matches(traitValue[i]) { return true }
        }
        return false
    }
}

@inline(__always) func saturatingSubtract(_ a: Int64, _ b: Int64) -> Int64 {
    let (r, o) = a.subtractingReportingOverflow(b)
    return o ? .min : r
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
    /// The filter whose rows it applies to.
    var filter: Int
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
    /// The score formulas' stack.
    let stack: UnsafeMutableBufferPointer<Double>
    /// Per window of a series evaluation: the first row not yet taken away.
    let tails: UnsafeMutableBufferPointer<Int>
    /// Accumulators with another start value than 0 (`max`, `min`).
    let extremes: [(Int, Double)]
    /// The inputs the pass touched since the person's last decision, as ``DecisionInputs`` bits (accumulator `a`:
    /// bit `a`; chain `c`: bit `accumulators + c`).
    let touched: UnsafeMutablePointer<UInt64>

    init(accumulators: Int, chains: Int, chainSteps: Int, scores: Int, segments: Int, extremes: [(Int, Double)] = [],
         stack: Int = 1, windows: Int = 0) {
        self.extremes = extremes
        self.accumulators = .allocate(capacity: accumulators)
        micro = .allocate(capacity: accumulators)
        chainDone = .allocate(capacity: chains)
        best = .allocate(capacity: chainSteps)
        pending = .allocate(capacity: chainSteps)
        self.scores = .allocate(capacity: scores)
        self.segments = .allocate(capacity: segments)
        self.stack = .allocate(capacity: max(1, stack))
        self.tails = .allocate(capacity: windows)
        touched = .allocate(capacity: 1)
        touched.initialize(to: 0)
        self.stack.initialize(repeating: 0)
        self.tails.initialize(repeating: 0)
        self.scores.initialize(repeating: 0)
        self.segments.initialize(repeating: false)
        reset()
    }

    func deallocate() {
        accumulators.deallocate(); micro.deallocate(); chainDone.deallocate(); best.deallocate()
        pending.deallocate(); scores.deallocate(); segments.deallocate(); stack.deallocate(); tails.deallocate()
        touched.deallocate()
    }

    func reset() {
        accumulators.initialize(repeating: 0)
        micro.initialize(repeating: 0)
        for (a, x) in extremes { accumulators[a] = x }
        chainDone.initialize(repeating: false)
        best.initialize(repeating: .min)
        pending.initialize(repeating: .min)
        segments.initialize(repeating: false)
        touched.pointee = 0
    }

    /// Commits the pending starts of the chain step slots `slots` (time moved on).
    @inline(__always)
    func commitChains(_ slots: Range<Int>) {
        for i in slots where pending[i] != .min {
            if pending[i] > best[i] { best[i] = pending[i] }
            pending[i] = .min
        }
    }
}
