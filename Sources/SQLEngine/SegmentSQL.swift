import Analytics
import EventStore

/// Translates segment rules (docs/SEGMENTS.md) into Spark SQL over `es_scope`: one boolean expression per segment over
/// per-person integer counts.
///
/// Covered: `did` (event names, `page`, `any`), `where` conditions on properties and `section` (=, !=, <, <=, >, >=,
/// contains, in), `in last D`, `at least / at most / exactly N times`, `trait NAME OP VALUE` (scalar traits from
/// identify `traits`, `context.traits` and `properties.$set`), `in "Segment"`, `and`, `or`, `not`. A segment using
/// anything else (`then … within`, scores, list paths with `[]`) is reported as not compiled, never approximated.
struct SegmentSQL {
    /// Property paths the conditions read (full dotted paths), in first-use order: column `pv<i>` of `es_events`.
    private(set) var properties: [String] = []
    /// Trait names the rules read: column `tr<i>` of `es_events`.
    private(set) var traits: [String] = []
    /// Whether a condition reads the page section (column `section`).
    private(set) var usesSection = false
    /// Per-person count columns: `(name, SQL of count_if)`.
    private(set) var counts: [(String, String)] = []
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
        case .sequence: throw Unsupported(construct: "did … then did … within")
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
        case .score: throw Unsupported(construct: "score")
        case .and(let list): return "(" + (try list.map { try rule($0, program: program) }).joined(separator: " AND ") + ")"
        case .or(let list): return "(" + (try list.map { try rule($0, program: program) }).joined(separator: " OR ") + ")"
        case .not(let a): return "NOT (\(try rule(a, program: program)))"
        }
    }

    /// The per-person column counting events of `pattern`.
    mutating func count(_ pattern: EventPattern) throws -> String {
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
        let sql = "count_if(" + (conditions.isEmpty ? "TRUE" : conditions.joined(separator: " AND ")) + ")"
        if let existing = counts.first(where: { $0.1 == sql }) { return "p." + existing.0 }
        let name = "c\(counts.count)"
        counts.append((name, sql))
        return "p." + name
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
