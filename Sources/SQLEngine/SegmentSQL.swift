import Analytics
import EventStore

/// Translates segment rules (docs/SEGMENTS.md) into Spark SQL over `es_scope`: one boolean expression per segment over
/// per-person integer counts.
///
/// Covered: the whole rules language of docs/SEGMENTS.md: `did` (event names, `page`, `any`), `where` conditions on
/// properties, list elements (`products[].category`, `every …`) and `section` (=, !=, <, <=, >, >=, contains, in),
/// `in last D`, `at least / at most / exactly N times`, `did … then did … within D`, `trait NAME OP VALUE` (scalar
/// traits from identify `traits`, `context.traits` and `properties.$set`, and list traits `trait children[].age`),
/// `in "Segment"`, `and`, `or`, `not`, and scores built from `count(…)`, `count(LIST[] of …)`, `sum(…)`, `max(…)`,
/// `min(…)`, `minutes_in(section …)`, numbers, other scores, `+ - * /` and negation. A construct it does not know
/// makes the segment "not compiled", never approximated.
///
/// Scores are exact in both engines: `count` is an integer, `minutes_in` an integer sum of milliseconds (divided by
/// 60 000 once), `sum` an integer sum of millionths (``ScoreSum``: each value rounded half away from zero, as
/// DECIMAL(38,0), divided by 10⁶ once), `max`/`min` order-free; so no summation order can change them. The formula's
/// arithmetic runs in the same order on IEEE doubles in both engines (left to right, division by zero gives 0).
struct SegmentSQL {
    /// Property paths the conditions read (full dotted paths), in first-use order: column `pv<i>` of `es_events`.
    private(set) var properties: [String] = []
    /// Trait names the rules read: column `tr<i>` of `es_events`.
    private(set) var traits: [String] = []
    /// List paths (full dotted paths of the list, `properties.products`) the rules look into: column `pl<i>` of
    /// `es_events` (the list as `ARRAY<VARIANT>`, NULL when the value is not a list).
    private(set) var lists: [String] = []
    /// List traits (`children` of `trait children[].age`): column `tl<i>` of `es_events` (the value the event sets,
    /// any type), and per person the latest such value.
    private(set) var traitLists: [String] = []
    /// Whether a condition (or a journey `by section`, LoopSQL.swift) reads the page section (column `section`).
    var usesSection = false
    /// Per-person count columns: `(name, SQL of count_if)`; also the integer dwell sums of `minutes_in` (`d<i>`).
    private(set) var counts: [(String, String)] = []
    /// How each count column is evaluated per week of the weekly series (``WeeklyKind``), by name.
    private(set) var weeklyKinds: [String: WeeklyKind] = [:]
    /// `then … within` chains: `(name, SQL of a query giving (person, done))`, joined to the per-person counts.
    private(set) var chains: [(String, String)] = []
    /// The boolean SQL of each compiled segment, by name.
    private(set) var compiled: [String: String] = [:]
    /// Why a segment is not compiled, by name.
    private(set) var unsupported: [String: String] = [:]

    struct Unsupported: Error { var construct: String }

    /// How a per-person aggregate is evaluated as of each week's end (docs/SCALE.md, "Weekly sizes without events ×
    /// weeks"), so that no statement joins every event to every week.
    enum WeeklyKind: Equatable {
        /// No time window: partials per (person, week of the event), then a running aggregate over the weeks.
        case running
        /// `minutes_in` without a window: the dwell of an event counts from the week of its next event on, so the
        /// partials are per (person, week of `next_time`), then a running sum.
        case runningByNext
        /// `in last D` (D in ms): each event is joined only to the week ends `w` with `w - D ≤ time ≤ w`.
        case windowed(Int64)
    }

    /// The aggregate that combines per-week partials of the aggregate `sql` into a running one: `sum` for counts and
    /// sums (integers and DECIMAL(38,0), so exact), `max`/`min` for themselves.
    static func runningCombiner(_ sql: String) -> String {
        if sql.hasPrefix("max(") { return "max" }
        if sql.hasPrefix("min(") { return "min" }
        return "sum"
    }

    init(program: SegmentProgram) {
        for s in program.segmentEvaluationOrder.map({ program.segments[$0] }) {
            var copy = self
            do {
                let sql = try copy.rule(s.expression, program: program)
                self = copy
                compiled[s.name] = sql
            } catch let e as Unsupported {
                unsupported[s.name] = e.construct
            } catch {
                unsupported[s.name] = "\(error)"
            }
        }
    }

    mutating func rule(_ e: RuleExpression, program: SegmentProgram) throws -> String {
        switch e {
        case .did(let pattern, let q):
            let c = try count(pattern)
            switch q {
            case .atLeast(let n): return "\(c) >= \(n)L"
            case .atMost(let n): return "\(c) <= \(n)L"
            case .exactly(let n): return "\(c) = \(n)L"
            }
        case .sequence(let steps, let within, _):
            return "COALESCE(\(try chain(steps, within: within.milliseconds)).done, FALSE)"
        case .trait(let name, let comparison, _) where name.contains("[]"):
            guard let split = FieldSelection.elementPath(name) else { throw Unsupported(construct: "list trait \(name)") }
            let list = String(split.array)
            let i: Int
            if let k = traitLists.firstIndex(of: list) { i = k } else { traitLists.append(list); i = traitLists.count - 1 }
            let test = try Self.test("(" + Self.typedValue("el", path: String(split.element)) + ")", comparison, section: false)
            return "COALESCE(exists(try_variant_get(p.tl\(i), '$', 'array<variant>'), el -> COALESCE(\(test), FALSE)), FALSE)"
        case .trait(let name, let comparison, _):
            let i: Int
            if let k = traits.firstIndex(of: name) { i = k } else { traits.append(name); i = traits.count - 1 }
            return "COALESCE(\(try Self.test("p.tr\(i)", comparison, section: false)), FALSE)"
        case .member(let name, _):
            guard let s = compiled[name] else {
                throw Unsupported(construct: unsupported[name].map { "in \"\(name)\" (\($0))" } ?? "in \"\(name)\"")
            }
            return "(\(s))"
        case .score(let name, let op, let value, _):
            let x = try score(name, program: program, depth: 0)
            guard let sqlOp = Self.numericOperator(op) else { return "FALSE" }
            return "(\(x) \(sqlOp) \(Self.number(value)))"
        case .and(let list): return "(" + (try list.map { try rule($0, program: program) }).joined(separator: " AND ") + ")"
        case .or(let list): return "(" + (try list.map { try rule($0, program: program) }).joined(separator: " OR ") + ")"
        case .not(let a): return "NOT (\(try rule(a, program: program)))"
        }
    }

    /// The per-person column counting events of `pattern`.
    mutating func count(_ pattern: EventPattern) throws -> String {
        try column("count_if(" + (try matches(pattern)) + ")", window: pattern.window?.milliseconds)
    }

    /// The per-person column of the aggregate `sql` (shared by equal aggregates) over events of a pattern with the
    /// time window `window` (ms; nil: none); `dwell` for `minutes_in`, whose aggregate reads `next_time`.
    mutating func column(_ sql: String, window: Int64?, dwell: Bool = false) throws -> String {
        if let existing = counts.first(where: { $0.1 == sql }) { return "p." + existing.0 }
        let name = "c\(counts.count)"
        counts.append((name, sql))
        weeklyKinds[name] = window.map { .windowed($0) } ?? (dwell ? .runningByNext : .running)
        return "p." + name
    }

    /// The chain of `then … within` steps (docs/SEGMENTS.md): each step's event strictly later than the previous
    /// step's, the last at most `within` ms after the first. Per step, every matching event carries the latest start
    /// time of a chain completed through the previous step at an earlier time (a window over the person's events
    /// ordered by time, `RANGE … 1 PRECEDING`: the same millisecond does not follow); the person matches when an event
    /// of the last step is at most `within` after that start. Returns the chain's alias (`q<i>`).
    mutating func chain(_ steps: [EventPattern], within: Int64) throws -> String {
        let flags = try steps.enumerated().map { "\(try matches($0.element)) AS m\($0.offset)" }
        let sql = Self.chainSQL(flags: flags, within: within, weekly: false)
        if let existing = chains.first(where: { $0.1 == sql }) { return existing.0 }
        let name = "q\(chains.count)"
        chains.append((name, sql))
        if steps.contains(where: { $0.window != nil }) {
            weeklyChains.append((name, Self.chainSQL(flags: flags, within: within, weekly: true)))
        } else {
            weeklyChains.append((name, Self.chainCompletionSQL(flags: flags, within: within)))
        }
        return name
    }

    /// The same chains per week of the weekly series (``chain(_:within:)``), each a query giving (week, person, done)
    /// where `week` is a row of `es_segment_weeks` (`week`, `now`: the week's last millisecond, never beyond now).
    /// A chain without windowed steps is done as of a week iff its earliest completion is at or before the week's end
    /// (``chainCompletionSQL(flags:within:)``); a chain with a windowed step is evaluated per (week, person) over the
    /// events at or before the week's end (``chainSQL(flags:within:weekly:)``, events × weeks rows).
    private(set) var weeklyChains: [(String, String)] = []

    /// The weeks at whose end a chain without windowed steps is done: an event's chain start (`s<last>`) depends only
    /// on the person's strictly earlier events, so it is the same over the events at or before any week's end as over
    /// all events; the chain is done as of a week iff some completing event (`time - s ≤ within`) is at or before the
    /// week's end, i.e. iff the earliest completing event is. Rows: (week, person, TRUE) for those weeks only
    /// (persons × weeks at most).
    static func chainCompletionSQL(flags: [String], within: Int64) -> String {
        let last = flags.count - 1
        let perEvent = chainSQL(flags: flags, within: within, weekly: false, completion: true)
        return """
            SELECT n.week, q.person, TRUE AS done
            FROM (SELECT person, min(CASE WHEN s\(last) IS NOT NULL AND time - s\(last) <= \(within)L THEN time END) AS at
                  FROM (\(perEvent))
                  GROUP BY person) q
            JOIN es_segment_weeks n ON q.at <= n.now
            """
    }

    /// A chain's query over the per-step match flags (`… AS m<j>`), as of `es_now` or per week.
    /// With `completion`, the per-event rows (with their chain starts `s<j>`) instead of the per-person result.
    static func chainSQL(flags: [String], within: Int64, weekly: Bool, completion: Bool = false) -> String {
        let key = weekly ? "week, person" : "person"
        var sql = weekly
            ? "SELECT n.week, e.person, e.time, " + flags.joined(separator: ", ") + "\n  FROM es_scope e JOIN es_segment_weeks n ON e.time <= n.now"
            : "SELECT e.person, e.time, " + flags.joined(separator: ", ") + "\n  FROM es_scope e CROSS JOIN es_now n"
        sql = "SELECT *, CASE WHEN m0 THEN time END AS s0 FROM (\(sql))"
        for j in flags.indices.dropFirst() {
            sql = """
                SELECT *, CASE WHEN m\(j) THEN max(s\(j - 1)) OVER (PARTITION BY \(key) ORDER BY time
                                                            RANGE BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) END AS s\(j)
                FROM (\(sql))
                """
        }
        if completion { return sql }
        let last = flags.count - 1
        return "SELECT \(key), bool_or(s\(last) IS NOT NULL AND time - s\(last) <= \(within)L) AS done\nFROM (\(sql))\nGROUP BY \(key)"
    }

    /// The SQL of score `name` (a DOUBLE per person), its formula inlined.
    mutating func score(_ name: String, program: SegmentProgram, depth: Int) throws -> String {
        guard depth < 64, let def = program.scores.first(where: { $0.name == name }) else {
            throw Unsupported(construct: "score \(name)")
        }
        return try formula(def.expression, program: program, depth: depth + 1)
    }

    /// A score formula as DOUBLE SQL (SegmentEvaluator's `number`).
    mutating func formula(_ e: ScoreExpression, program: SegmentProgram, depth: Int) throws -> String {
        switch e {
        case .number(let x): return Self.number(x)
        case .count(let p): return "CAST(\(try count(p)) AS DOUBLE)"
        case .minutesIn(let section, let window, let loc):
            let cond = EventCondition(subject: .section, comparison: Comparison(op: .equal, values: [.string(section)]), location: loc)
            let m = try matches(EventPattern(event: .page, conditions: [cond], window: window, location: loc))
            usesNext = true
            let c = try column("sum(CASE WHEN \(m) AND e.next_time <= n.now AND e.next_time - e.time < \(SegmentEvaluator.dwellCutoff)L "
                               + "THEN e.next_time - e.time ELSE 0L END)", window: window?.milliseconds, dwell: true)
            return "(CAST(COALESCE(\(c), 0L) AS DOUBLE) / CAST('60000.0' AS DOUBLE))"
        case .score(let name, _): return try score(name, program: program, depth: depth)
        case .arithmetic(let first, let steps):
            var x = try formula(first, program: program, depth: depth + 1)
            for step in steps { x = Self.arithmetic(x, step.op, try formula(step.operand, program: program, depth: depth + 1)) }
            return x
        case .negate(let a): return "(- \(try formula(a, program: program, depth: depth + 1)))"
        case .sum(let path, let p):
            return try aggregate(.sum, .path(path), p, quantityRule: false)
        case .countElements(let array, let p, _):
            let list = listColumn(array)
            let some = try elementConditions(p, array: array)
            let elements = some.isEmpty ? "e.\(list)" : "filter(e.\(list), el -> \(some))"
            let c = try column("sum(CASE WHEN \(try matches(p)) THEN COALESCE(size(\(elements)), 0) ELSE 0 END)", window: p.window?.milliseconds)
            return "CAST(COALESCE(\(c), 0L) AS DOUBLE)"
        case .aggregate(let kind, let f, let p, _):
            return try aggregate(kind, f, p, quantityRule: true)
        }
    }

    /// `sum`/`max`/`min` of a value over the events of `p` (or over the matching elements of their list when the value
    /// reads element paths), as ``SegmentEvaluator`` and ``ScoreSum``: a value is a number only when every path it
    /// reads is (a `…quantity` path counts 1 otherwise, with `quantityRule`), and only when finite; `sum` adds
    /// millionths as DECIMAL(38,0), `max`/`min` of nothing are 0.
    mutating func aggregate(_ kind: Aggregate, _ f: ValueFormula, _ p: EventPattern, quantityRule: Bool) throws -> String {
        let array = f.paths.lazy.compactMap(elementArray).first
        let value = try valueFormula(f, quantityRule: quantityRule, clamped: kind == .sum)
        let match = try matches(p)
        let perRow: String
        if let array {
            let list = listColumn(array)
            let some = try elementConditions(p, array: array)
            let elements = some.isEmpty ? "e.\(list)" : "filter(e.\(list), el -> \(some))"
            switch kind {
            case .sum:
                perRow = "aggregate(\(elements), CAST(0 AS DECIMAL(38,0)), (acc, el) -> acc + COALESCE(\(Self.micro(value)), CAST(0 AS DECIMAL(38,0))))"
            case .max: perRow = "array_max(transform(\(elements), el -> \(value)))"
            case .min: perRow = "array_min(transform(\(elements), el -> \(value)))"
            }
        } else {
            perRow = kind == .sum ? Self.micro(value) : value
        }
        switch kind {
        case .sum:
            let c = try column("sum(CASE WHEN \(match) THEN \(perRow) END)", window: p.window?.milliseconds)
            return "(CAST(COALESCE(\(c), CAST(0 AS DECIMAL(38,0))) AS DOUBLE) / CAST('\(ScoreSum.scale)' AS DOUBLE))"
        case .max, .min:
            let c = try column("\(kind.rawValue)(CASE WHEN \(match) THEN \(perRow) END)", window: p.window?.milliseconds)
            return "COALESCE(\(c), CAST('0.0' AS DOUBLE))"
        }
    }

    /// A value formula as nullable DOUBLE SQL over the event `e` (and the element `el` for element paths): NULL when a
    /// path it reads is not a number (a `…quantity` path then counts 1, with `quantityRule`) or when the result is not
    /// finite. Each path is read once in the validity test and once in the arithmetic, so the SQL grows linearly with
    /// the formula; division by zero gives 0 (`try_divide`, whose NULL for a NULL operand the validity test overrides).
    /// With `clamped` (for `sum`), a value beyond ±10¹² is ±10¹² (``ScoreSum``'s clamp of ±10¹⁸ millionths: `x · 10⁶` is
    /// monotonic, and 10¹² · 10⁶ is exactly 10¹⁸).
    mutating func valueFormula(_ f: ValueFormula, quantityRule: Bool, clamped: Bool = false) throws -> String {
        var required: [String] = []
        func walk(_ f: ValueFormula, depth: Int) throws -> String {
            guard depth < 256 else { throw Unsupported(construct: "a value formula nested too deeply") }
            switch f {
            case .number(let x): return Self.number(x)
            case .path(let path):
                let number: String
                if let split = FieldSelection.elementPath(path) {
                    number = Self.numberValue("el", path: String(split.element))
                } else {
                    let i = property(path)
                    number = "CASE WHEN e.pv\(i).t = 'n' THEN e.pv\(i).n END"
                }
                if quantityRule && (path == "quantity" || path.hasSuffix(".quantity")) {
                    return "COALESCE(\(number), CAST('1.0' AS DOUBLE))"
                }
                required.append("(\(number)) IS NOT NULL")
                return "(\(number))"
            case .arithmetic(let first, let steps):
                var x = try walk(first, depth: depth + 1)
                for step in steps { x = Self.arithmetic(x, step.op, try walk(step.operand, depth: depth + 1)) }
                return x
            case .negate(let a): return "(- \(try walk(a, depth: depth + 1)))"
            }
        }
        let body = try walk(f, depth: 0)
        let valid = required.isEmpty ? body : "CASE WHEN \(required.joined(separator: " AND ")) THEN \(body) END"
        // ±∞ and NaN are no number (NaN compares greater than everything in Spark, so `abs(…) < ∞` is false for it).
        // The clamp sits inside the CASE: Spark's `greatest`/`least` skip a NULL argument, so outside it a value that
        // is no number would become the bound.
        let limit = "CAST('\(Double(ScoreSum.limit) / ScoreSum.scale)' AS DOUBLE)"
        let then = clamped ? "least(greatest(\(valid), - \(limit)), \(limit))" : valid
        return "(CASE WHEN abs(\(valid)) < CAST('Infinity' AS DOUBLE) THEN \(then) END)"
    }

    /// A nullable DOUBLE already clamped to ±10¹² (``valueFormula(_:quantityRule:clamped:)``) in millionths as
    /// DECIMAL(38,0) (``ScoreSum/micro(_:)``: rounded half away from zero — Spark's `round` on a DOUBLE rounds its
    /// shortest decimal text half up, which lies on the same side of every half as the double itself). NULL stays NULL.
    static func micro(_ x: String) -> String {
        "CAST(CAST(round(\(x) * CAST('\(ScoreSum.scale)' AS DOUBLE)) AS BIGINT) AS DECIMAL(38,0))"
    }

    /// The index of property `path` (column `pv<i>`).
    mutating func property(_ path: String) -> Int {
        if let k = properties.firstIndex(of: path) { return k }
        properties.append(path)
        return properties.count - 1
    }

    /// The column of list `array` (`pl<i>`).
    mutating func listColumn(_ array: String) -> String {
        if let k = lists.firstIndex(of: array) { return "pl\(k)" }
        lists.append(array)
        return "pl\(lists.count - 1)"
    }

    /// The non-`every` conditions of `p` on list `array`, as one boolean over the element `el` ("" when none): they
    /// must hold for the same element.
    mutating func elementConditions(_ p: EventPattern, array: String) throws -> String {
        try p.conditions.compactMap { c -> String? in
            guard !c.every, c.array == array, case .property(let path) = c.subject,
                  let split = FieldSelection.elementPath(path) else { return nil }
            return "COALESCE(\(try Self.test("(" + Self.typedValue("el", path: String(split.element)) + ")", c.comparison, section: false)), FALSE)"
        }.joined(separator: " AND ")
    }

    /// Whether `minutes_in` needs the time of each event's next event (`next_time` of `es_scope_next`).
    private(set) var usesNext = false

    /// The boolean SQL of one event (`e`, with `n.now`) matching `pattern`.
    mutating func matches(_ pattern: EventPattern) throws -> String {
        var conditions: [String] = []
        switch pattern.event {
        case .named(let n): conditions.append("e.name = \(SparkSQLCompiler.literal(n))")
        case .page: conditions.append("e.kind IN ('page', 'screen')")
        case .any: break
        }
        // Conditions on one list hold for the same element (some element); each `every` for all of a non-empty list.
        var listOrder: [String] = []
        for c in pattern.conditions {
            if let array = c.array {
                guard case .property = c.subject else { throw Unsupported(construct: "a list condition on the section") }
                if !listOrder.contains(array) { listOrder.append(array) }
                if c.every {
                    guard case .property(let path) = c.subject, let split = FieldSelection.elementPath(path) else {
                        throw Unsupported(construct: "a list condition")
                    }
                    let list = listColumn(array)
                    let t = try Self.test("(" + Self.typedValue("el", path: String(split.element)) + ")", c.comparison, section: false)
                    conditions.append("COALESCE(size(e.\(list)) > 0 AND forall(e.\(list), el -> COALESCE(\(t), FALSE)), FALSE)")
                }
                continue
            }
            switch c.subject {
            case .section:
                usesSection = true
                conditions.append(try Self.test("e.section", c.comparison, section: true))
            case .property(let path):
                let i = property(path)
                conditions.append("COALESCE(\(try Self.test("e.pv\(i)", c.comparison, section: false)), FALSE)")
            }
        }
        for array in listOrder {
            let some = try elementConditions(pattern, array: array)
            if !some.isEmpty { conditions.append("COALESCE(exists(e.\(listColumn(array)), el -> \(some)), FALSE)") }
        }
        if let w = pattern.window { conditions.append("e.time >= n.now - \(w.milliseconds)L") }
        return conditions.isEmpty ? "TRUE" : conditions.joined(separator: " AND ")
    }

    /// A value test (docs/DEFINITIONS.md; `ValueTest`): missing, null, composite values and values of another type
    /// than the literal never match, so `!=` is false for them too. `x` is a typed value struct (`t`: `s`, `n`, `b`,
    /// `z` for null, `c` for composite; `s`, `n`, `b` the value), or for the section a lowercase string.
    static func test(_ x: String, _ c: Comparison, section: Bool) throws -> String {
        func equal(_ lit: RuleLiteral) -> String {
            switch lit {
            case .string(let s):
                return section ? "\(x) = \(SparkSQLCompiler.literal(s.lowercased()))" : "(\(x).t = 's' AND \(x).s = \(SparkSQLCompiler.literal(s)))"
            case .number(let d):
                return section ? "FALSE" : "(\(x).t = 'n' AND \(x).n = \(number(d)))"
            case .bool(let b):
                return section ? "FALSE" : "(\(x).t = 'b' AND \(x).b = \(b ? "TRUE" : "FALSE"))"
            }
        }
        switch c.op {
        case .equal, .in:
            return "(" + c.values.map(equal).joined(separator: " OR ") + ")"
        case .notEqual:
            guard let lit = c.values.first else { return "FALSE" }
            switch lit {
            case .string(let s):
                return section ? "\(x) <> \(SparkSQLCompiler.literal(s.lowercased()))" : "(\(x).t = 's' AND \(x).s <> \(SparkSQLCompiler.literal(s)))"
            case .number(let d): return section ? "FALSE" : "(\(x).t = 'n' AND \(x).n <> \(number(d)))"
            case .bool(let b): return section ? "FALSE" : "(\(x).t = 'b' AND \(x).b <> \(b ? "TRUE" : "FALSE"))"
            }
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            let op = c.op.rawValue
            switch c.values.first {
            case .number(let d)?: return section ? "FALSE" : "(\(x).t = 'n' AND \(x).n \(op) \(number(d)))"
            case .string(let s)?:
                return section ? "\(x) \(op) \(SparkSQLCompiler.literal(s.lowercased()))"
                    : "(\(x).t = 's' AND \(x).s \(op) \(SparkSQLCompiler.literal(s)))"
            default: return "FALSE"
            }
        case .contains:
            guard case .string(let s)? = c.values.first else { return "FALSE" }
            let lit = SparkSQLCompiler.literal(section ? s.lowercased() : s)
            return section ? "(\(x) IS NOT NULL AND instr(\(x), \(lit)) > 0)" : "(\(x).t = 's' AND instr(\(x).s, \(lit)) > 0)"
        }
    }

    /// The SQL operator of a numeric comparison (a score, an answered score); nil for `contains` and `in`, which a
    /// number never satisfies (the caller writes `FALSE`).
    static func numericOperator(_ op: ComparisonOperator) -> String? {
        switch op {
        case .equal: return "="
        case .notEqual: return "<>"
        case .less, .lessOrEqual, .greater, .greaterOrEqual: return op.rawValue
        case .contains, .in: return nil
        }
    }

    /// A double literal that reads back as exactly `d`.
    static func number(_ d: Double) -> String { "CAST('\(d)' AS DOUBLE)" }

    /// The typed value struct of the variant at `path` (a dotted path) of `v`, NULL when absent.
    static func typedValue(_ v: String, path: String) -> String {
        let p = SparkSQLCompiler.literal(jsonPath(path))
        let x = "variant_get(\(v), \(p))"
        return """
            CASE WHEN \(x) IS NULL THEN NULL ELSE named_struct(
                't', CASE WHEN schema_of_variant(\(x)) = 'STRING' THEN 's' WHEN schema_of_variant(\(x)) = 'BOOLEAN' THEN 'b'
                          WHEN schema_of_variant(\(x)) = 'VOID' THEN 'z'
                          WHEN schema_of_variant(\(x)) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$' THEN 'n'
                          ELSE 'c' END,
                's', CASE WHEN schema_of_variant(\(x)) = 'STRING' THEN variant_get(\(x), '$', 'string') END,
                'n', CASE WHEN schema_of_variant(\(x)) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$'
                          THEN try_variant_get(\(x), '$', 'double') END,
                'b', CASE WHEN schema_of_variant(\(x)) = 'BOOLEAN' THEN variant_get(\(x), '$', 'boolean') END) END
            """
    }

    /// The DOUBLE at `path` of the variant `v` when it is a number (as ``typedValue(_:path:)``'s `n`), else NULL.
    static func numberValue(_ v: String, path: String) -> String {
        let x = "variant_get(\(v), \(SparkSQLCompiler.literal(jsonPath(path))))"
        return "CASE WHEN schema_of_variant(\(x)) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$' THEN try_variant_get(\(x), '$', 'double') END"
    }

    /// `$.a.b` for `a.b` (`$` for the empty path: the value itself); keys that are not plain identifiers are written `['key']` (`["key"]` when the key holds a `'`).
    static func jsonPath(_ dotted: String) -> String {
        if dotted.isEmpty { return "$" }
        var out = "$"
        for key in dotted.split(separator: ".", omittingEmptySubsequences: false) {
            let plain = !key.isEmpty && key.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
                && !(key.first!.isNumber)
            // Spark's path parser has no escapes (`['[^']*']`, `["[^"]*"]`, `.[^.[]+`): a quote takes the other quote.
            if plain { out += "." + key } else if !key.contains("'") { out += "['" + key + "']" } else if !key.contains("\"") {
                out += "[\"" + key + "\"]"
            } else { out += "." + key }
        }
        return out
    }
}

extension SegmentSQL {
    /// One step of a formula's left-to-right arithmetic on doubles, as `SegmentEvaluator` computes it: division by zero
    /// (or any failed division) gives 0.
    static func arithmetic(_ x: String, _ op: ArithmeticOperator, _ y: String) -> String {
        switch op {
        case .add: return "(\(x) + \(y))"
        case .subtract: return "(\(x) - \(y))"
        case .multiply: return "(\(x) * \(y))"
        case .divide: return "COALESCE(try_divide(\(x), \(y)), CAST('0.0' AS DOUBLE))"
        }
    }
}
