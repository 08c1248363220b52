import Analytics
import EventStore

/// Translates segment rules (docs/SEGMENTS.md) into Spark SQL over `es_scope`: one boolean expression per segment over
/// per-person integer counts.
///
/// Covered: `did` (event names, `page`, `any`), `where` conditions on properties and `section` (=, !=, <, <=, >, >=,
/// contains, in), `in last D`, `at least / at most / exactly N times`, `did … then did … within D`, `trait NAME OP
/// VALUE` (scalar traits from identify `traits`, `context.traits` and `properties.$set`), `in "Segment"`, `and`, `or`,
/// `not`, and scores built from `count(…)`, `minutes_in(section …)`, numbers, other scores, `+ - * /` and negation.
/// A segment using anything else (sums of a property, `max`/`min`, list paths with `[]`, list traits) is reported as
/// not compiled, never approximated.
///
/// Scores are exact in both engines: `count` is an integer and `minutes_in` an integer sum of milliseconds (divided by
/// 60 000 once), so no summation order can change them; the formula's arithmetic runs in the same order on IEEE
/// doubles in both engines (left to right, division by zero gives 0). `sum(PROP of …)` adds floating-point values in
/// an engine-dependent order and is therefore not compiled.
struct SegmentSQL {
    /// Property paths the conditions read (full dotted paths), in first-use order: column `pv<i>` of `es_events`.
    private(set) var properties: [String] = []
    /// Trait names the rules read: column `tr<i>` of `es_events`.
    private(set) var traits: [String] = []
    /// Whether a condition reads the page section (column `section`).
    private(set) var usesSection = false
    /// Per-person count columns: `(name, SQL of count_if)`; also the integer dwell sums of `minutes_in` (`d<i>`).
    private(set) var counts: [(String, String)] = []
    /// `then … within` chains: `(name, SQL of a query giving (person, done))`, joined to the per-person counts.
    private(set) var chains: [(String, String)] = []
    /// The boolean SQL of each compiled segment, by name.
    private(set) var compiled: [String: String] = [:]
    /// Why a segment is not compiled, by name.
    private(set) var unsupported: [String: String] = [:]

    struct Unsupported: Error { var construct: String }

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
        case .trait(let name, let comparison, _):
            if name.contains("[]") { throw Unsupported(construct: "list trait \(name)") }
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
            let sqlOp: String
            switch op {
            case .equal: sqlOp = "="
            case .notEqual: sqlOp = "<>"
            case .less, .lessOrEqual, .greater, .greaterOrEqual: sqlOp = op.rawValue
            case .contains, .in: return "FALSE"
            }
            return "(\(x) \(sqlOp) \(Self.number(value)))"
        case .and(let list): return "(" + (try list.map { try rule($0, program: program) }).joined(separator: " AND ") + ")"
        case .or(let list): return "(" + (try list.map { try rule($0, program: program) }).joined(separator: " OR ") + ")"
        case .not(let a): return "NOT (\(try rule(a, program: program)))"
        }
    }

    /// The per-person column counting events of `pattern`.
    mutating func count(_ pattern: EventPattern) throws -> String {
        try column("count_if(" + (try matches(pattern)) + ")")
    }

    /// The per-person column of the aggregate `sql` (shared by equal aggregates).
    mutating func column(_ sql: String) throws -> String {
        if let existing = counts.first(where: { $0.1 == sql }) { return "p." + existing.0 }
        let name = "c\(counts.count)"
        counts.append((name, sql))
        return "p." + name
    }

    /// The chain of `then … within` steps (docs/SEGMENTS.md): each step's event strictly later than the previous
    /// step's, the last at most `within` ms after the first. Per step, every matching event carries the latest start
    /// time of a chain completed through the previous step at an earlier time (a window over the person's events
    /// ordered by time, `RANGE … 1 PRECEDING`: the same millisecond does not follow); the person matches when an event
    /// of the last step is at most `within` after that start. Returns the chain's alias (`q<i>`).
    mutating func chain(_ steps: [EventPattern], within: Int64) throws -> String {
        let flags = try steps.enumerated().map { "\(try matches($0.element)) AS m\($0.offset)" }
        var sql = "SELECT e.person, e.time, " + flags.joined(separator: ", ") + "\n  FROM es_scope e CROSS JOIN es_now n"
        sql = "SELECT *, CASE WHEN m0 THEN time END AS s0 FROM (\(sql))"
        for j in steps.indices.dropFirst() {
            sql = """
                SELECT *, CASE WHEN m\(j) THEN max(s\(j - 1)) OVER (PARTITION BY person ORDER BY time
                                                            RANGE BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) END AS s\(j)
                FROM (\(sql))
                """
        }
        let last = steps.count - 1
        sql = "SELECT person, bool_or(s\(last) IS NOT NULL AND time - s\(last) <= \(within)L) AS done\nFROM (\(sql))\nGROUP BY person"
        if let existing = chains.first(where: { $0.1 == sql }) { return existing.0 }
        let name = "q\(chains.count)"
        chains.append((name, sql))
        return name
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
                               + "THEN e.next_time - e.time ELSE 0L END)")
            return "(CAST(COALESCE(\(c), 0L) AS DOUBLE) / CAST('60000.0' AS DOUBLE))"
        case .score(let name, _): return try score(name, program: program, depth: depth)
        case .arithmetic(let first, let steps):
            var x = try formula(first, program: program, depth: depth + 1)
            for step in steps {
                let y = try formula(step.operand, program: program, depth: depth + 1)
                switch step.op {
                case .add: x = "(\(x) + \(y))"
                case .subtract: x = "(\(x) - \(y))"
                case .multiply: x = "(\(x) * \(y))"
                case .divide: x = "COALESCE(try_divide(\(x), \(y)), CAST('0.0' AS DOUBLE))"
                }
            }
            return x
        case .negate(let a): return "(- \(try formula(a, program: program, depth: depth + 1)))"
        case .sum: throw Unsupported(construct: "sum of a property (floating-point sums depend on the order of the events)")
        case .countElements: throw Unsupported(construct: "count of list elements")
        case .aggregate(let kind, _, _, _): throw Unsupported(construct: "\(kind.rawValue) of a formula")
        }
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
        for c in pattern.conditions {
            if c.every || c.array != nil { throw Unsupported(construct: "a list condition") }
            switch c.subject {
            case .section:
                usesSection = true
                conditions.append(try Self.test("e.section", c.comparison, section: true))
            case .property(let path):
                let i: Int
                if let k = properties.firstIndex(of: path) { i = k } else { properties.append(path); i = properties.count - 1 }
                conditions.append("COALESCE(\(try Self.test("e.pv\(i)", c.comparison, section: false)), FALSE)")
            }
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

    /// `$.a.b` for `a.b`; keys that are not plain identifiers are written `['key']`.
    static func jsonPath(_ dotted: String) -> String {
        var out = "$"
        for key in dotted.split(separator: ".", omittingEmptySubsequences: false) {
            let plain = !key.isEmpty && key.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
                && !(key.first!.isNumber)
            out += plain ? "." + key : "['" + key.replacingOccurrences(of: "'", with: "\\'") + "']"
        }
        return out
    }
}
