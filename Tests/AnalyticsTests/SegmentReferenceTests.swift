import XCTest
import EventStore
@testable import Analytics

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

    static func randomTable(seed: UInt64) -> EventTable {
        var rng = SeededRandom(seed: seed)
        var events: [ParsedEvent] = []
        let categories: [String?] = ["baby", "gifts", "Baby", "abc", nil]
        for p in 0..<25 {
            let user = "p\(p)"
            for _ in 0..<rng.int(12) {
                let time = Fixture.t0 + Int64(rng.int(5 * 24)) * Fixture.hour + (rng.int(4) == 0 ? Fixture.minute * Int64(rng.int(40)) : 0)
                switch rng.int(6) {
                case 0:
                    events.append(Fixture.page(user, at: time, category: rng.int(2) == 0 ? categories[rng.int(5)] : nil,
                                               path: ["/baby/x", "/Gifts", "/sale", nil][rng.int(4)]))
                case 1:
                    let region: ScalarValue = [.string("coastal"), .string("inland"), .number(3)][rng.int(3)]
                    events.append(Fixture.identify(user, at: time, ["region": region]))
                default:
                    var props: [String: ScalarValue] = [:]
                    switch rng.int(4) {
                    case 0: props["amount"] = .number(Double(rng.int(6)))
                    case 1: props["amount"] = .string(String(rng.int(4)))
                    case 2: props["amount"] = .number(Double(rng.int(40)) / 8)
                    default: break
                    }
                    if let c = categories[rng.int(5)] { props["category"] = .string(c) }
                    events.append(Fixture.track(user, ["A", "B", "C"][rng.int(3)], at: time, props))
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
        for c in pattern.conditions {
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

struct SeededRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}
