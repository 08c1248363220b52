import Analytics
import EventStore

/// The events of the rules file's loops and journeys in Spark SQL: per loop a trigger and an expected flag, per
/// journey an entry flag (booleans over an event `e` of `es_scope`, with `n` the row of `es_now`), compiled by the
/// segment compiler (``SegmentSQL``) so that the properties they read become columns of `es_events` as the segments'.
///
/// `answered nps OP N` (``LoopEvent/answered(_:_:location:)``) is, as the embedded `FlowMatcher`, a track event named
/// like a survey response of the standard schema (`Survey Sent`, `survey sent`) whose score — the first present and
/// non-null of the standard score fields (`properties.score`, `properties.survey_response`,
/// `properties.$survey_response`), a whole number 0…10, also as text — compares true. The configured feedback schema
/// does not change it (the embedded matcher reads the standard one).
struct FlowSQL: Sendable {
    /// Per loop of the rules file: the trigger's and the expected event's boolean SQL; nil when a loop uses a
    /// construct the compiler does not translate (then `loops` is not computed).
    var loops: [(trigger: String, expected: String)]?
    /// Per journey: the entry's boolean SQL and the step value's SQL (a section or an event name; NULL: no step);
    /// nil when an entry is not translated.
    var journeys: [(entry: String, step: String)]?
    /// The follow-up's channel: `properties.channel` when a non-empty string, else `unknown`.
    var channel: String
}

extension SegmentSQL {
    /// Compiles the loops' and journeys' events of `program` (their properties become columns `pv<i>`, after the
    /// segments' ones).
    mutating func flows(_ program: SegmentProgram) -> FlowSQL {
        var out = FlowSQL(loops: [], journeys: [], channel: "'unknown'")
        var copy = self
        if !program.loops.isEmpty, let loops = try? program.loops.map({ l in
            (trigger: try copy.anyOf(l.triggers), expected: try copy.anyOf(l.expected))
        }) {
            let channel = "e.pv\(copy.property("properties.channel"))"
            out.channel = "CASE WHEN \(channel).t = 's' AND \(channel).s <> '' THEN \(channel).s ELSE 'unknown' END"
            self = copy
            out.loops = loops
        } else if !program.loops.isEmpty {
            out.loops = nil
        }
        copy = self
        if !program.journeys.isEmpty, let journeys = try? program.journeys.map({ j -> (entry: String, step: String) in
            let step: String
            switch j.stepKind {
            case .section:
                copy.usesSection = true
                step = "CASE WHEN e.kind IN ('page', 'screen') THEN e.section END"
            case .event:
                step = "CASE WHEN e.kind IN ('track', 'page', 'screen') THEN e.name END"
            }
            return (entry: try copy.matches(j.entry), step: step)
        }) {
            self = copy
            out.journeys = journeys
        } else if !program.journeys.isEmpty {
            out.journeys = nil
        }
        return out
    }

    /// Whether the event matches any of `events` (`when A or B`, `expect A or B`).
    mutating func anyOf(_ events: [LoopEvent]) throws -> String {
        let parts = try events.map { e -> String in
            switch e {
            case .pattern(let p): return "(" + (try matches(p)) + ")"
            case .answered(let op, let value, _):
                let names = FeedbackSchema.defaultAnswerEvents.map { SparkSQLCompiler.literal($0) }.joined(separator: ", ")
                guard let sqlOp = SegmentSQL.numericOperator(op) else { return "FALSE" }
                return "(e.kind = 'track' AND e.name IN (\(names)) AND COALESCE(CAST(\(standardScore()) AS DOUBLE) \(sqlOp) \(Self.number(value)), FALSE))"
            }
        }
        return parts.isEmpty ? "FALSE" : parts.joined(separator: " OR ")
    }

    /// The score of the standard feedback schema (`SurveyFields.score` with ``FeedbackSchema/standard``): the first
    /// score field that is present and not null decides, as an integer 0…10 (a whole number, or a text of digits with
    /// white space around), else NULL.
    mutating func standardScore() -> String {
        var sql = "CASE"
        for f in FeedbackSchema.defaultScoreFields {
            let x = "e.pv\(property(f))"
            sql += """

                  WHEN \(x) IS NOT NULL AND \(x).t <> 'z' THEN CASE
                    WHEN \(x).t = 'n' AND \(x).n BETWEEN CAST('0' AS DOUBLE) AND CAST('10' AS DOUBLE) AND \(x).n = floor(\(x).n)
                      THEN CAST(\(x).n AS INT)
                    WHEN \(x).t = 's' AND regexp_like(\(x).s, '(?U)^\\\\s*0*([0-9]|10)\\\\s*\\\\z')
                      THEN CAST(regexp_extract(\(x).s, '(?U)^\\\\s*0*([0-9]+)', 1) AS INT) END
                """
        }
        return sql + "\nEND"
    }
}

/// The loops of the rules file in Spark SQL (docs/DEFINITIONS.md, "Loops"; `LoopMetrics`): integer counts per loop,
/// outcome, week and channel, the two middle times to close (the exact median, by rank), the nearest-rank 90th
/// percentile's value, the oldest open trigger's time and the open triggers per age bin. earshot computes the
/// rates, the medians (mean of the two middle values), the week list and applies the privacy guards
/// (``EngineReport``).
///
/// - `es_loop_triggers` (a table): one row per (loop, trigger) of the events at or before `now`. A person's trigger
///   and expected events are ordered by (time, file order); each trigger carries the first expected event strictly
///   after it in that order and the next trigger of the loop: `last(… IGNORE NULLS)` over the rows after it (at the
///   same millisecond only later in file order, never itself), walked in descending order so that the frame grows
///   (`UNBOUNDED PRECEDING AND 1 PRECEDING`; a frame ending `UNBOUNDED FOLLOWING` shrinks, and Spark recomputes a
///   shrinking frame for every row: quadratic in a person's events). Outcome 0 in time (`f − t ≤ W`), 1 late (`f` before
///   the next trigger), 2 open (`now − t < W`, which is `t + W > now` without an overflow), 3 missed.
extension SparkSQLCompiler {
    /// The loops' statements (none without loops, or when a loop is not translated: `loops` is then not computed).
    func loopStatements() -> [SQLStatement] {
        guard let program, let loops = flows?.loops, !loops.isEmpty, let channel = flows?.channel else { return [] }
        let branches = loops.enumerated().map { i, l in
            let w = "\(program.loops[i].within.milliseconds)L"
            return """
                SELECT \(i) AS loop, person, time, \(w) AS within, outcome,
                  CASE WHEN outcome <= 1 THEN f.time - time END AS delay, CASE WHEN outcome <= 1 THEN f.channel END AS channel
                FROM (SELECT person, time,
                        CASE WHEN f IS NOT NULL AND f.time - time <= \(w) THEN 0
                             WHEN f IS NOT NULL AND (nt IS NULL OR f.k < nt) THEN 1
                             WHEN now - time < \(w) THEN 2 ELSE 3 END AS outcome, f
                      FROM (SELECT person, time, t, now,
                              last(CASE WHEN x THEN named_struct('time', time, 'channel', ch,
                                                                 'k', named_struct('time', time, 'file', file, 'block', block, 'rid', rid)) END, TRUE)
                                OVER w AS f,
                              last(CASE WHEN t THEN named_struct('time', time, 'file', file, 'block', block, 'rid', rid) END, TRUE)
                                OVER w AS nt
                            FROM (SELECT e.person, e.time, e.file, e.block, e.rid, n.now,
                                    \(l.trigger) AS t,
                                    \(l.expected) AS x,
                                    \(channel) AS ch
                                  FROM es_scope e CROSS JOIN es_now n)
                            WHERE t OR x
                            WINDOW w AS (PARTITION BY person ORDER BY time DESC, file DESC, block DESC, rid DESC
                                         ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING))
                      WHERE t)
                """
        }
        return [
            cached("es_loop_triggers", branches.joined(separator: "\nUNION ALL\n")),
            // Outcomes per loop, week of the trigger and channel of the follow-up (closed ones), with the earliest
            // trigger (the first week; the oldest open trigger).
            result("loop_outcomes", """
                SELECT loop, \(Self.week("time")) AS week, outcome, channel, count(*) AS triggers, min(time) AS first
                FROM es_loop_triggers GROUP BY loop, \(Self.week("time")), outcome, channel
                """),
            // Persons, closed triggers and the two middle times to close per loop (`persons_prompted`: persons with a
            // trigger; `answered`: closed in time or late).
            result("loop_close", Self.loopCounts(keys: "loop", rows: """
                SELECT loop, person, outcome <= 1 AS answered, delay FROM es_loop_triggers
                """)),
            result("loop_channel_close", Self.loopCounts(keys: "loop, channel", rows: """
                SELECT loop, channel, person, TRUE AS answered, delay FROM es_loop_triggers WHERE outcome <= 1
                """)),
            // The nearest-rank 90th percentile: the ⌈0.9·n⌉-th smallest time to close, the rank computed on doubles
            // as the embedded engine does.
            result("loop_p90", """
                SELECT loop, max(CASE WHEN rk = least(n, greatest(1L, CAST(ceil(CAST('0.9' AS DOUBLE) * CAST(n AS DOUBLE)) AS BIGINT)))
                                      THEN delay END) AS p90
                FROM (SELECT loop, delay, row_number() OVER (PARTITION BY loop ORDER BY delay) AS rk,
                        count(*) OVER (PARTITION BY loop) AS n
                      FROM es_loop_triggers WHERE outcome <= 1)
                GROUP BY loop
                """),
            // Open triggers per age bin: eight equal bins of the promised time, the bin computed on doubles as the
            // embedded engine does (`age / (W / 8)`, truncated).
            result("loop_open_ages", """
                SELECT loop, bin, count(*) AS open
                FROM (SELECT t.loop, least(7L, greatest(0L, CAST(floor(CAST(n.now - t.time AS DOUBLE)
                                                                 / (CAST(t.within AS DOUBLE) / CAST('8' AS DOUBLE))) AS BIGINT))) AS bin
                      FROM es_loop_triggers t CROSS JOIN es_now n WHERE t.outcome = 2)
                GROUP BY loop, bin
                """),
        ]
    }
}
