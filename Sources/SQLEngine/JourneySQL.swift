import Analytics
import EventStore

/// The journeys of the rules file in Spark SQL (docs/DEFINITIONS.md, "Journeys"; `JourneyMetrics`): every entry's
/// steps, then counts per tree node and per whole path. earshot builds the tree, the shares, the `(left)`/`(start)`
/// and `(other)` nodes' labels and applies the privacy guards (``EngineReport``).
///
/// - A person's events (at or before `now`) are ordered by (time, file order) and cut into **sessions** where two
///   consecutive events are 30 minutes or more apart: a walk from an entry, forward or backward, stops at the first
///   such gap, so it never leaves the entry's session. Each session holding an entry becomes one sorted array of
///   (time, order key, step value, entry flag).
/// - Per entry (`posexplode`), the walk is the part of the array after it (`from`) or before it, nearest first
///   (`before`), cut at the first event more than `within` from the entry (times are monotone, so a filter is that
///   cut). The step values (a page or screen call's section, or a track, page or screen call's name; NULL: no step)
///   collapse consecutive repeats, the entry's own value counting as the one before the first step (`aggregate`);
///   the first `steps` of them are the journey, which *ended* when it has fewer.
/// - `journey_nodes`: per (journey, parent path, step) the entries, distinct persons, ended journeys and their
///   distinct persons, for the first ``JourneyMetrics/maxChildren`` children of each parent by (entries, descending;
///   step); `journey_other` sums the rest per parent (their persons distinct across them). The tie order is Spark's
///   binary string order, which is Swift's for normalized text (docs/SCALE.md, "Known differences").
/// - `journey_paths`: per whole journey (steps, ended) the entries and distinct persons, for every path whose
///   entries reach the top ``JourneyMetrics/maxPaths`` (ties at the boundary included; earshot orders them).
extension SparkSQLCompiler {
    /// The journeys' statements (none without journeys, or when an entry is not translated: `journeys` is then not
    /// computed).
    func journeyStatements() -> [SQLStatement] {
        guard let program, let journeys = flows?.journeys, !journeys.isEmpty else { return [] }
        let gap = "\(JourneyDefinition.inactivityGap)L"
        let branches = journeys.enumerated().map { i, j in
            let def = program.journeys[i]
            let n = def.steps
            let walk: String
            switch def.direction {
            case .after:
                let cut = def.window.map { "filter(slice(evs, pos + 2, size(evs)), y -> y.time - et <= \($0.milliseconds)L)" }
                walk = cut ?? "slice(evs, pos + 2, size(evs))"
            case .before:
                let cut = def.window.map { "filter(reverse(slice(evs, 1, pos)), y -> et - y.time <= \($0.milliseconds)L)" }
                walk = cut ?? "reverse(slice(evs, 1, pos))"
            }
            return """
                SELECT \(i) AS journey, person, slice(out, 1, \(n)) AS steps, CASE WHEN size(out) < \(n) THEN 1 ELSE 0 END AS ended
                FROM (SELECT person,
                        aggregate(\(walk), named_struct('prev', ev, 'out', CAST(array() AS array<string>)),
                                  (acc, y) -> CASE WHEN y.v IS NOT NULL AND y.v IS DISTINCT FROM acc.prev AND size(acc.out) < \(n)
                                                   THEN named_struct('prev', y.v, 'out', concat(acc.out, array(y.v))) ELSE acc END).out AS out
                      FROM (SELECT person, evs, pos, en.time AS et, en.v AS ev
                            FROM (SELECT person, sort_array(collect_list(named_struct('time', time, 'file', file, 'block', block, 'rid', rid,
                                                                                     'v', v, 'entry', entry))) AS evs
                                  FROM (SELECT *, sum(brk) OVER (PARTITION BY person ORDER BY time, file, block, rid
                                                                 ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS sess
                                        FROM (SELECT e.person, e.time, e.file, e.block, e.rid,
                                                \(j.step) AS v,
                                                \(j.entry) AS entry,
                                                CASE WHEN e.time - lag(e.time) OVER (PARTITION BY e.person ORDER BY e.time, e.file, e.block, e.rid)
                                                          >= \(gap) THEN 1 ELSE 0 END AS brk
                                              FROM es_scope e CROSS JOIN es_now n))
                                  GROUP BY person, sess
                                  HAVING bool_or(entry))
                            LATERAL VIEW posexplode(evs) x AS pos, en
                            WHERE en.entry))
                """
        }
        let limit = JourneyMetrics.maxChildren
        // Every step of every journey, with the path before it (`parent`) and whether the journey ended right after it.
        let steps = """
            SELECT journey, person, parent, step, CASE WHEN ended = 1 AND size(steps) = d + 1 THEN 1 ELSE 0 END AS ended_here
                  FROM (SELECT journey, person, steps, ended, d, s AS step, slice(steps, 1, d) AS parent
                        FROM es_journey_paths LATERAL VIEW posexplode(steps) x AS d, s)
            """
        return [
            cached("es_journey_paths", branches.joined(separator: "\nUNION ALL\n")),
            cached("es_journey_nodes", """
                SELECT *, row_number() OVER (PARTITION BY journey, parent ORDER BY entries DESC, step) AS rk
                FROM (SELECT journey, parent, step, count(*) AS entries, count(DISTINCT person) AS persons,
                        sum(ended_here) AS ended, count(DISTINCT CASE WHEN ended_here = 1 THEN person END) AS ended_persons
                      FROM (\(steps))
                      GROUP BY journey, parent, step)
                """),
            // The root: entries, persons, and the journeys without a step (ended at the root).
            result("journey_entries", """
                SELECT journey, count(*) AS entries, count(DISTINCT person) AS persons,
                  count_if(size(steps) = 0) AS ended, count(DISTINCT CASE WHEN size(steps) = 0 THEN person END) AS ended_persons
                FROM es_journey_paths GROUP BY journey
                """),
            result("journey_nodes", """
                SELECT journey, parent, step, entries, persons, ended, ended_persons
                FROM es_journey_nodes WHERE rk <= \(limit)
                """),
            result("journey_other", """
                SELECT s.journey, s.parent, count(*) AS entries, count(DISTINCT s.person) AS persons, sum(s.ended_here) AS ended
                FROM (\(steps)) s
                JOIN (SELECT journey, parent, step FROM es_journey_nodes WHERE rk > \(limit)) r
                  ON s.journey = r.journey AND s.parent = r.parent AND s.step = r.step
                GROUP BY s.journey, s.parent
                """),
            result("journey_paths", """
                SELECT journey, steps, ended, entries, persons
                FROM (SELECT *, rank() OVER (PARTITION BY journey ORDER BY entries DESC) AS rk
                      FROM (SELECT journey, steps, ended, count(*) AS entries, count(DISTINCT person) AS persons
                            FROM es_journey_paths GROUP BY journey, steps, ended))
                WHERE rk <= \(JourneyMetrics.maxPaths)
                """),
        ]
    }
}
