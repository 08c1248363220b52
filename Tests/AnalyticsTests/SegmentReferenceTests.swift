import XCTest
import EventStore
@testable import Analytics
import EarshotTestSupport

/// Compares the compiled evaluator with a deliberately naive interpreter of the syntax tree
/// (strings compared as strings, chains by exhaustive search) on seeded random stores.
final class SegmentReferenceTests: XCTestCase {
    static let rules = """
    segment "a": did "A"
    segment "b": did "B" where amount > 3 at least 2 times
    segment "c": did "A" then did "B" within 1d
    segment "d": did "A" where category = "baby" then did page where section = "BABY" then did "C" within 2d
    segment "e": did any in last 2d at most 3 times
    segment "f": not did "C" where amount in [1, "2", 3] or trait region = "coastal"
    segment "g": in "a" and not in "c"
    segment "h": did "B" where category contains "ab" and amount != 2 exactly 1 times
    segment "i": did page where section != "gifts" in last 1d
    segment "j": s1 >= 2 or s2 < -1
    segment "k": did "A" in last 3d then did "A" within 12h
    segment "l": trait region != "inland" and not (did "B" or did "C" where category <= "baby")
    segment "m": did "A" where products[].category = "baby" and products[].price > 2
    segment "n": did "B" where every products[].category = "baby" and amount >= 0
    segment "o": did any where tags[] = "gift" and not did "C" where products[].category in ["gifts", "sale"]
    segment "p": did "A" where every products[].price >= 1 then did any where products[].category = "gifts" within 3d
    segment "q": s3 > 3 and s4 != 0
    segment "r": trait kids[].age < 3 or trait tags[] = "vip"
    score s3 = count(products[] of "A" where products[].category = "baby") + sum(products[].price * products[].quantity of any in last 2d)
    score s4 = max(products[].price of any where products[].category != "sale") - min(products[].price / 2 of "B" where category = "baby")
    score s1 = count("A") + sum(amount of "B" where category < "c") / (count(any) - 5) + minutes_in(section "baby") / 30
    score s2 = -s1 * 2 + count(page in last 1d)
    """

    func testMatchesTheNaiveInterpreter() throws {
        let program = try SegmentProgram.parse(source: Self.rules, fileName: "ref")
        var sizes = [Int](repeating: 0, count: program.segments.count), checked = 0
        for seed in 1...12 as ClosedRange<UInt64> {
            let table = Self.randomTable(seed: seed)
            let ev = SegmentEvaluator(program: program, table: table)
            let naive = Naive(program: program, table: table)
            let last = table.lastEventTime!
            for now in [last, last - 36 * Fixture.hour, last - 3 * Fixture.day, table.firstEventTime! + Fixture.hour] {
                let (sets, scores) = ev.evaluateAll(now: now)
                for (i, seg) in program.segments.enumerated() {
                    let expected = (0..<table.personCount).filter { naive.isMember(seg.name, person: $0, now: now) }
                    XCTAssertEqual(sets[i].members, expected, "seed \(seed), now \(now), segment \(seg.name)")
                    sizes[i] += expected.count
                }
                checked += table.personCount
                for (i, sc) in program.scores.enumerated() {
                    for p in 0..<table.personCount {
                        XCTAssertEqual(scores[i][p], naive.score(sc.name, person: p, now: now), accuracy: 1e-9,
                                       "seed \(seed), score \(sc.name), person \(p)")
                    }
                }
            }
        }
        // every rule both admits and rejects somebody somewhere, so the comparison means something
        for (i, seg) in program.segments.enumerated() {
            XCTAssertTrue(sizes[i] > 0 && sizes[i] < checked, "segment \(seg.name): \(sizes[i]) of \(checked)")
        }
    }

    /// Rules whose windows slide between the ends of a series: windowed `max`/`min` (re-run per end), windowed
    /// exact sums, element counts and dwell times (taken away when a row leaves the window), and a chain with
    /// windowed steps (re-run per end), besides the unwindowed ones of ``rules``.
    static let seriesRules = rules + """

    segment "w1": s5 >= 2
    segment "w2": s6 > 0 and not in "k"
    segment "w3": did "A" where category = "baby" in last 1d then did "B" in last 2d within 1d or s7 > 1
    segment "w4": s8 > 0.5 and s8 < 4
    score s5 = max(amount of "B" in last 2d) - min(products[].price of any in last 1d) + count(products[] of "A" in last 3d)
    score s6 = minutes_in(section "baby" in last 1d) + sum(amount of "B" where category = "baby" in last 2d)
    score s7 = count(products[] of any where products[].category = "baby" in last 2d) + minutes_in(section "sale")
    score s8 = max(products[].price * products[].quantity of "A" in last 2d) + sum(products[].price of any in last 1d)
    """

    /// The weekly series' single pass (`members(asOf:)`, by person chunks as the index runs it, and the counting
    /// form used over the memory budget) against one evaluation per end and the naive interpreter, with ends before
    /// the first event, on event times (ties), between events, repeated, and days after the last event (windows
    /// slide while no row comes).
    func testSeriesMatchesOneEvaluationPerEnd() throws {
        try assertSeriesMatchesOneEvaluationPerEnd(rules: Self.seriesRules, name: "series", naiveEvery: 3,
                                                   table: { Self.randomTable(seed: $0, persons: $0 == 1 ? 150 : 25) },
                                                   rngSeed: { $0 &* 31 }) { table, rng in
            let first = table.firstEventTime!, last = table.lastEventTime!
            var ends: [Int64] = [first - Fixture.hour, first, last, last + 36 * Fixture.hour, last + 5 * Fixture.day]
            for _ in 0..<10 { ends.append(table.time[rng.int(table.count)]) }
            for _ in 0..<10 { ends.append(first + Int64(rng.int(Int(last - first) + 1))) }
            ends.sort()
            ends.insert(ends[7], at: 7)  // the same end twice
            return ends
        }
    }

    /// Rules with windows but nothing re-run per end (windowed counts, element counts and dwell times are taken away
    /// again; chains without a windowed step), so that a person's pass settles once every row is applied and has left
    /// every window: the series then writes the remaining ends from the last decision, and starts at the first end at
    /// or after the person's first row (session 8, `eval8`). Against one evaluation per end, by person chunks and
    /// counted in a filter, with ends before the first event, between events, on ties and days after the last one.
    static let settlingRules = """
    segment "a": did "A"
    segment "c": did "A" then did "B" within 1d
    segment "e": did any in last 2d at most 3 times
    segment "f": not did "C" where amount in [1, "2", 3] or trait region = "coastal"
    segment "g": in "a" and not in "c"
    segment "i": did page where section != "gifts" in last 1d
    segment "w": did "B" in last 1d at least 2 times or s9 > 1
    segment "r": trait kids[].age < 3 or trait tags[] = "vip"
    segment "x": not did "A" in last 3d
    score s9 = minutes_in(section "baby" in last 1d) + count(products[] of any where products[].category = "baby" in last 2d)
    """

    func testSeriesOfSettlingPersonsMatchesOneEvaluationPerEnd() throws {
        try assertSeriesMatchesOneEvaluationPerEnd(rules: Self.settlingRules, name: "settling", naiveEvery: 4,
                                                   table: { Self.randomTable(seed: $0 &+ 100, persons: $0 == 1 ? 150 : 40) },
                                                   rngSeed: { $0 &* 17 }) { table, rng in
            let first = table.firstEventTime!, last = table.lastEventTime!
            var ends: [Int64] = [first - Fixture.hour, first, last, last + 20 * Fixture.hour, last + 36 * Fixture.hour,
                                 last + 3 * Fixture.day, last + 5 * Fixture.day]
            for _ in 0..<8 { ends.append(table.time[rng.int(table.count)]) }
            for _ in 0..<12 { ends.append(first + Int64(rng.int(Int(last - first) + 1))) }
            ends.sort()
            return ends
        }
    }

    /// For seeds 1…8: the series at the ends `endsOf` gives for the seed's table (`members(asOf:)`, by person chunks as
    /// the index runs it, and counted in a random filter) against one evaluation per end, and every `naiveEvery`-th
    /// end against the naive interpreter; over the run every segment holds some but not all persons.
    func assertSeriesMatchesOneEvaluationPerEnd(rules: String, name: String, naiveEvery: Int,
                                                table makeTable: (UInt64) -> EventTable, rngSeed: (UInt64) -> UInt64,
                                                ends endsOf: (EventTable, inout SeededRandom) -> [Int64]) throws {
        let program = try SegmentProgram.parse(source: rules, fileName: name)
        var sizes = [Int](repeating: 0, count: program.segments.count), checked = 0
        for seed in 1...8 as ClosedRange<UInt64> {
            let table = makeTable(seed)
            let ev = SegmentEvaluator(program: program, table: table)
            let naive = Naive(program: program, table: table)
            var rng = SeededRandom(seed: rngSeed(seed))
            let ends = endsOf(table, &rng)
            let series = ev.members(asOf: ends)
            XCTAssertEqual(series.count, ends.count)
            let chunks = SegmentEvaluator.personChunks(persons: table.personCount, jobs: 3)
            if table.personCount == 150 { XCTAssertEqual(chunks.count, 3, "150 persons in chunks of 64") }
            let assembled = SegmentEvaluator.assemble(chunks.map { ev.memberWords(asOf: ends, persons: $0) }, chunks: chunks,
                                                      ends: ends.count, segments: program.segments.count, universe: table.personCount)
            XCTAssertEqual(assembled, series, "seed \(seed): by person chunks")
            var filter = PersonSet(universe: table.personCount)
            for p in 0..<table.personCount where rng.int(2) == 0 { filter.insert(p) }
            var counts = [[Int]](repeating: [Int](repeating: 0, count: program.segments.count), count: ends.count)
            for chunk in chunks {
                for (k, row) in ev.memberCounts(asOf: ends, filter: filter, persons: chunk).enumerated() {
                    for (s, n) in row.enumerated() { counts[k][s] += n }
                }
            }
            for (k, end) in ends.enumerated() {
                let one = ev.evaluate(now: end)
                for (i, seg) in program.segments.enumerated() {
                    XCTAssertEqual(series[k][i], one[i], "seed \(seed), end \(k) (\(end)), segment \(seg.name)")
                    XCTAssertEqual(counts[k][i], one[i].intersectionCount(filter), "seed \(seed), end \(k): counted in the filter")
                    sizes[i] += one[i].count
                    if k % naiveEvery == 0 {
                        let expected = (0..<table.personCount).filter { naive.isMember(seg.name, person: $0, now: end) }
                        XCTAssertEqual(series[k][i].members, expected, "seed \(seed), end \(end), segment \(seg.name): naive")
                    }
                }
                checked += table.personCount
            }
        }
        for (i, seg) in program.segments.enumerated() {
            XCTAssertTrue(sizes[i] > 0 && sizes[i] < checked, "segment \(seg.name): \(sizes[i]) of \(checked)")
        }
    }

    static func randomTable(seed: UInt64, persons: Int = 25) -> EventTable {
        var rng = SeededRandom(seed: seed)
        var events: [ParsedEvent] = []
        let categories: [String?] = ["baby", "gifts", "Baby", "abc", nil]
        for p in 0..<persons {
            let user = "p\(p)"
            for _ in 0..<rng.int(12) {
                let time = Fixture.t0 + Int64(rng.int(5 * 24)) * Fixture.hour + (rng.int(4) == 0 ? Fixture.minute * Int64(rng.int(40)) : 0)
                switch rng.int(6) {
                case 0:
                    events.append(Fixture.page(user, at: time, category: rng.int(2) == 0 ? categories[rng.int(5)] : nil,
                                               path: ["/baby/x", "/Gifts", "/sale", nil][rng.int(4)]))
                case 1:
                    let region: ScalarValue = [.string("coastal"), .string("inland"), .number(3)][rng.int(3)]
                    var e = Fixture.identify(user, at: time, ["region": region])
                    // Lists in traits as the reader keeps them: the list, then `list[i]…` element traits.
                    if rng.int(2) == 0 {
                        e.traits.append(PathValue("kids", rng.int(5) == 0 ? .string("none") : .composite))
                        if case .composite = e.traits.last!.value {
                            for i in 0..<rng.int(3) {
                                let age: ScalarValue = [.number(Double(rng.int(6))), .string("2"), .null][rng.int(3)]
                                e.traits.append(PathValue("kids[\(i)].age", age))
                            }
                        }
                    }
                    if rng.int(3) == 0 {
                        e.traits.append(PathValue("tags", .composite))
                        if rng.int(2) == 0 { e.traits.append(PathValue("tags[0]", .string(["vip", "new"][rng.int(2)]))) }
                    }
                    events.append(e)
                default:
                    var props: [String: ScalarValue] = [:]
                    switch rng.int(4) {
                    case 0: props["amount"] = .number(Double(rng.int(6)))
                    case 1: props["amount"] = .string(String(rng.int(4)))
                    case 2: props["amount"] = .number(Double(rng.int(40)) / 8)
                    default: break
                    }
                    if let c = categories[rng.int(5)] { props["category"] = .string(c) }
                    var e = Fixture.track(user, ["A", "B", "C"][rng.int(3)], at: time, props)
                    if rng.int(4) > 0 {
                        var values: [ElementValue] = []
                        let n = rng.int(4)
                        for k in 0..<n {
                            let cat: ScalarValue? = [.string("baby"), .string("gifts"), .string("sale"), .number(1), nil][rng.int(5)]
                            if let cat { values.append(ElementValue(k, "properties.products[].category", cat)) }
                            let price: ScalarValue? = [.number(Double(rng.int(8)) / 2), .string("3"), .null, nil][rng.int(4)]
                            if let price { values.append(ElementValue(k, "properties.products[].price", price)) }
                            if rng.int(2) == 0 { values.append(ElementValue(k, "properties.products[].quantity", .number(Double(rng.int(3))))) }
                        }
                        let shape: ArrayShape = rng.int(8) == 0 ? .scalar : .array
                        e.arrays.append(ArrayField(path: "properties.products", shape: shape, count: shape == .array ? n : 0,
                                                   values: shape == .array ? values : []))
                    }
                    if rng.int(3) == 0 {
                        let tags: [ScalarValue] = (0..<rng.int(3)).map { _ in [.string("gift"), .number(1), .null, .composite][rng.int(4)] }
                        e.arrays.append(ArrayField(path: "properties.tags", shape: .array, count: tags.count,
                                                   values: tags.enumerated().map { ElementValue($0.offset, "properties.tags[]", $0.element) }))
                    }
                    events.append(e)
                }
            }
        }
        return Fixture.table(events)
    }
}

/// The rules' meaning, computed the slow and obvious way.
private struct Naive {
    let program: SegmentProgram
    let table: EventTable

    func rows(_ p: Int, now: Int64) -> [Int] { table.personRange(p).filter { table.time[$0] <= now } }

    func isMember(_ name: String, person p: Int, now: Int64) -> Bool {
        guard !rows(p, now: now).isEmpty else { return false }
        return truth(program.segment(named: name)!.expression, p, now)
    }

    func truth(_ e: RuleExpression, _ p: Int, _ now: Int64) -> Bool {
        switch e {
        case .did(let pattern, let q):
            return q.accepts(rows(p, now: now).filter { matches(pattern, $0, now) }.count)
        case .sequence(let steps, let within, _):
            let rs = rows(p, now: now)
            func search(_ step: Int, after prev: Int, first: Int64) -> Bool {
                if step == steps.count { return true }
                for r in rs where matches(steps[step], r, now) {
                    if step > 0 && table.time[r] <= table.time[prev] { continue }
                    let start = step == 0 ? table.time[r] : first
                    if table.time[r] - start > within.milliseconds { continue }
                    if search(step + 1, after: r, first: start) { return true }
                }
                return false
            }
            return search(0, after: -1, first: 0)
        case .trait(let name, let c, _) where name.contains("[]"):
            // The latest identify (by row) at or before now that set the list; its element traits.
            let parts = name.components(separatedBy: "[]")
            let list = parts[0], rest = parts[1]
            var latest = -1
            for i in table.traitIndices(ofPerson: p) where table.strings[table.traitKey[i]] == list {
                let row = Int(table.traitRow[i])
                if table.time[row] <= now { latest = row }
            }
            guard latest >= 0 else { return false }
            for i in table.traitIndices(ofPerson: p) where Int(table.traitRow[i]) == latest {
                let key = table.strings[table.traitKey[i]]
                guard key.hasPrefix(list + "["), key.hasSuffix("]" + rest),
                      let index = Int(key.dropFirst(list.count + 1).dropLast(rest.count + 1)), index >= 0 else { continue }
                if compare(table.traitValue[i], c, section: false) { return true }
            }
            return false
        case .trait(let name, let c, _):
            guard let key = table.strings.lookup(name) else { return false }
            return compare(table.trait(key, ofPerson: p, asOf: now), c, section: false)
        case .member(let name, _): return isMember(name, person: p, now: now)
        case .score(let name, let op, let x, _):
            let v = score(name, person: p, now: now)
            switch op {
            case .equal: return v == x
            case .notEqual: return v != x
            case .less: return v < x
            case .lessOrEqual: return v <= x
            case .greater: return v > x
            case .greaterOrEqual: return v >= x
            default: return false
            }
        case .and(let operands): return operands.allSatisfy { truth($0, p, now) }
        case .or(let operands): return operands.contains { truth($0, p, now) }
        case .not(let a): return !truth(a, p, now)
        }
    }

    func score(_ name: String, person p: Int, now: Int64) -> Double {
        number(program.scores.first { $0.name == name }!.expression, p, now)
    }

    func number(_ e: ScoreExpression, _ p: Int, _ now: Int64) -> Double {
        switch e {
        case .number(let x): return x
        case .count(let pattern): return Double(rows(p, now: now).filter { matches(pattern, $0, now) }.count)
        case .sum(let path, let pattern):
            return rows(p, now: now).filter { matches(pattern, $0, now) }.reduce(0.0) { $0 + (table.column(path)?[$1].number ?? 0) }
        case .countElements(let array, let pattern, _):
            var n = 0
            for r in rows(p, now: now) where matches(pattern, r, now) {
                for e in elements(array, r) where someHolds(pattern, array, r, e) { n += 1 }
            }
            return Double(n)
        case .aggregate(let kind, let f, let pattern, _):
            let array = f.paths.compactMap(elementArray).first
            var values: [Double] = []
            for r in rows(p, now: now) where matches(pattern, r, now) {
                if let array {
                    for e in elements(array, r) where someHolds(pattern, array, r, e) {
                        if let x = formula(f, r, array, e) { values.append(x) }
                    }
                } else if let x = formula(f, r, nil, 0) {
                    values.append(x)
                }
            }
            switch kind {
            case .sum: return values.reduce(0, +)
            case .max: return values.max() ?? 0
            case .min: return values.min() ?? 0
            }
        case .minutesIn(let section, let window, _):
            var total = 0.0
            let rs = rows(p, now: now)
            for (i, r) in rs.enumerated() where table.kind[r].isPageLike && table.section[r] >= 0 {
                guard table.strings[table.section[r]] == section.lowercased() else { continue }
                if let w = window, table.time[r] < now - w.milliseconds { continue }
                guard i + 1 < rs.count else { continue }
                let gap = table.time[rs[i + 1]] - table.time[r]
                if gap < 30 * 60_000 { total += Double(gap) / 60_000 }
            }
            return total
        case .score(let name, _): return score(name, person: p, now: now)
        case .arithmetic(let first, let steps):
            return steps.reduce(number(first, p, now)) { x, s in
                let y = number(s.operand, p, now)
                switch s.op {
                case .add: return x + y
                case .subtract: return x - y
                case .multiply: return x * y
                case .divide: return y == 0 ? 0 : x / y
                }
            }
        case .negate(let a): return -number(a, p, now)
        }
    }

    func matches(_ pattern: EventPattern, _ r: Int, _ now: Int64) -> Bool {
        switch pattern.event {
        case .named(let n): if table.name[r] < 0 || table.strings[table.name[r]] != n { return false }
        case .page: if !table.kind[r].isPageLike { return false }
        case .any: break
        }
        if let w = pattern.window, table.time[r] < now - w.milliseconds { return false }
        // Lists: the non-`every` conditions on one list hold for one element; each `every` for all of a non-empty list.
        for array in Set(pattern.conditions.compactMap(\.array)) {
            let es = elements(array, r)
            if pattern.conditions.contains(where: { $0.array == array && !$0.every }),
               !es.contains(where: { someHolds(pattern, array, r, $0) }) { return false }
            for c in pattern.conditions where c.array == array && c.every {
                if es.isEmpty || !es.allSatisfy({ elementHolds(c, array, $0) }) { return false }
            }
        }
        for c in pattern.conditions where c.array == nil {
            switch c.subject {
            case .section:
                let s = table.section[r]
                if !compare(s < 0 ? .missing : .string(s), c.comparison, section: true) { return false }
            case .property(let path):
                guard let column = table.column(path), compare(column[r], c.comparison, section: false) else { return false }
            }
        }
        return true
    }

    /// The element indices of row `r`'s list (none unless the row's value there is a list).
    func elements(_ array: String, _ r: Int) -> Range<Int> {
        guard let col = table.arrays[array], col.shape(ofRow: r) == .array else { return 0..<0 }
        return col.elements(ofRow: r)
    }

    func elementValue(_ array: String, _ path: String, _ e: Int) -> PropValue {
        table.arrays[array]?.values[path]?[e] ?? .missing
    }

    func elementHolds(_ c: EventCondition, _ array: String, _ e: Int) -> Bool {
        guard case .property(let path) = c.subject else { return false }
        return compare(elementValue(array, path, e), c.comparison, section: false)
    }

    func someHolds(_ pattern: EventPattern, _ array: String, _ r: Int, _ e: Int) -> Bool {
        pattern.conditions.filter { $0.array == array && !$0.every }.allSatisfy { elementHolds($0, array, e) }
    }

    /// A value formula at row `r` / element `e`: nil when a path is not a number (a `quantity` then counts 1).
    func formula(_ f: ValueFormula, _ r: Int, _ array: String?, _ e: Int) -> Double? {
        switch f {
        case .path(let path):
            let v = elementArray(path) != nil ? elementValue(array!, path, e) : (table.column(path)?[r] ?? .missing)
            if let x = v.number { return x }
            return path.hasSuffix(".quantity") ? 1 : nil
        case .number(let x): return x
        case .arithmetic(let first, let steps):
            return steps.reduce(formula(first, r, array, e)) { acc, s in
                acc.flatMap { x in
                    formula(s.operand, r, array, e).map { y in
                        switch s.op {
                        case .add: return x + y
                        case .subtract: return x - y
                        case .multiply: return x * y
                        case .divide: return y == 0 ? 0 : x / y
                        }
                    }
                }
            }
        case .negate(let a): return formula(a, r, array, e).map { -$0 }
        }
    }

    func compare(_ v: PropValue, _ c: Comparison, section: Bool) -> Bool {
        func one(_ lit: RuleLiteral, _ op: ComparisonOperator) -> Bool {
            switch (lit, v.kind) {
            case (.number(let x), .number):
                let d = v.number!
                switch op {
                case .equal, .in: return d == x
                case .notEqual: return d != x
                case .less: return d < x
                case .lessOrEqual: return d <= x
                case .greater: return d > x
                case .greaterOrEqual: return d >= x
                case .contains: return false
                }
            case (.string(let x0), .string):
                let s = table.string(v)!
                let x = section ? x0.lowercased() : x0
                switch op {
                case .equal, .in: return s == x
                case .notEqual: return s != x
                case .less: return s < x
                case .lessOrEqual: return s <= x
                case .greater: return s > x
                case .greaterOrEqual: return s >= x
                case .contains: return x.isEmpty || s.contains(x)
                }
            case (.bool(let b), .bool):
                return op == .notEqual ? v.bool! != b : v.bool! == b
            default:
                return false
            }
        }
        if c.op == .in { return c.values.contains { one($0, .in) } }
        return one(c.values[0], c.op)
    }
}

