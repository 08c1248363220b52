import Analytics
import EventStore

/// Writes the Spark SQL that computes earshot's figures over the lines of a store (``SQLPlan``).
///
/// The statements read the view `earshot_lines` that the driver registers and build, step by step, what the
/// embedded reader builds (docs/STORE.md, docs/DEFINITIONS.md):
///
/// 1. `es_json` — non-blank lines (blank: only space, tab, CR, LF) parsed as VARIANT. Spark's parser reads the first
///    value of a text and ignores the rest, so the line is parsed wrapped as `[LINE\n,0]`: only a line that is exactly
///    one JSON value gives a two-element array ending in `0`. Spark rejects what earshot rejects (NaN, Infinity,
///    single quotes, comments, leading zeros, control characters in strings, lone surrogates); a repeated key keeps its
///    last value (`spark.sql.variant.allowDuplicateKeys=true`, set by the driver's configuration).
/// 1a. `es_shape`, `es_item` — the vendor shapes (VendorSQL.swift): batch envelopes exploded into their items in order
///    (the order key's `rid` extended by the item index), batch items and PostHog events rewritten into Segment-shaped
///    VARIANT objects, as the embedded reader's `VendorShape`; one row per record.
/// 2. `es_rec` — the fields earshot reads, type-exact: a string field holds a string (`schema_of_variant` = `STRING`),
///    ids may be numbers (their text), times are checked with earshot's own grammar (``ISO8601Time``) by a regular
///    expression and turned into integer milliseconds by integer arithmetic — never `CAST(… AS TIMESTAMP)` (Spark accepts
///    zone-less times in the session zone, bare dates, and throws in ANSI mode).
/// 3. `es_valid` — the malformed reason of each record (the kinds of ``LineError/kind``, `batch item: …` for an
///    envelope's item), in earshot's order of checks; `envelope`, `item` and `record` for the line and record counts.
/// 4. `es_dedup` — the first copy of a `messageId` wins **in file order**: the order key is (earshot's file index, the
///    split's byte offset, the row id within the split), since Spark itself has no file order.
/// 5. `es_person` — stitching: `userId`; an `anonymousId` that is some event's `userId`; else the user the
///    `anonymousId` (or an alias's `previousId`) first appeared with (earliest time, ties by file order).
/// 6. `es_events` — the events left after deletion requests (every row of the person up to their latest `delete`).
///
/// Every integer literal carries `L`, so no product of two constants overflows in ANSI mode.
public struct SparkSQLCompiler: Sendable {
    /// The analysis options (reference time, analytics category).
    public var options: AnalysisOptions
    /// Read zone-less times as UTC (`assume_utc`, docs/CONFIG.md).
    public var assumeUTC: Bool

    /// The segment rules (nil: no segments).
    public var program: SegmentProgram?
    let segments: SegmentSQL?
    /// The loops' and journeys' events (LoopSQL.swift), compiled with the segments.
    let flows: FlowSQL?

    public init(options: AnalysisOptions, assumeUTC: Bool = false, program: SegmentProgram? = nil) {
        self.options = options; self.assumeUTC = assumeUTC; self.program = program
        if let program {
            var s = SegmentSQL(program: program)
            flows = s.flows(program)
            segments = s
        } else {
            segments = nil; flows = nil
        }
    }

    /// The extra columns of the events: the feedback fields (`fb_…`, `tz`; FeedbackSQL.swift), the answers (`fb_ans`, …;
    /// AnswersSQL.swift), the preferred-channel
    /// trait (`pct`, `pco` from `$set_once`; FatigueSQL.swift) and what the segment rules read: `pv<i>` (a property), `pl<i>` (a list,
    /// `ARRAY<VARIANT>`), `section`, `tr<i>` (a trait; `to<i>` as its `$set_once` sets it), `tl<i>` (a list trait's value as set by the event).
    var extraColumns: [(name: String, sql: String)] {
        var out: [(String, String)] = feedbackColumns + [preferredChannelColumn, preferredChannelOnceColumn] + answerColumns
        guard let segments else { return out }
        for (i, path) in segments.properties.enumerated() { out.append(("pv\(i)", SegmentSQL.typedValue("v", path: path))) }
        for (i, path) in segments.lists.enumerated() {
            out.append(("pl\(i)", "try_variant_get(v, \(Self.literal(SegmentSQL.jsonPath(path))), 'array<variant>')"))
        }
        if segments.usesSection {
            out.append(("section", """
                CASE WHEN type_text IN ('page', 'screen') THEN lower(NULLIF(CASE
                    WHEN COALESCE(\(Self.string("v", "category")), '') <> '' THEN \(Self.string("v", "category"))
                    WHEN COALESCE(\(Self.string("v", "properties.category")), '') <> '' THEN \(Self.string("v", "properties.category"))
                    ELSE regexp_extract(regexp_extract(COALESCE(\(Self.string("v", "properties.path")), \(Self.string("v", "context.page.path"))),
                                                       '^/*([^/]*)', 1), '^[?#]*([^?#]*)', 1) END, '')) END
                """))
        }
        for (i, name) in segments.traits.enumerated() {
            out.append(("tr\(i)", Self.traitValue(name)))
            out.append(("to\(i)", SegmentSQL.typedValue("v", path: "properties.$set_once." + name)))
        }
        for (i, name) in segments.traitLists.enumerated() {
            func at(_ path: String) -> String { "variant_get(v, \(Self.literal(SegmentSQL.jsonPath(path))))" }
            out.append(("tl\(i)", """
                COALESCE(CASE WHEN type_text = 'identify' THEN \(at("traits." + name)) END,
                         \(at("context.traits." + name)), \(at("properties.$set." + name)))
                """))
        }
        return out
    }

    /// The typed value (a struct, `SegmentSQL.typedValue`) an event sets for the trait `name`: identify `traits`, else
    /// `context.traits`, else `properties.$set` (NULL: the event sets none). The segment rules' `tr<i>` columns and the
    /// preferred-channel column read traits this way.
    static func traitValue(_ name: String) -> String {
        """
        COALESCE(CASE WHEN type_text = 'identify' THEN \(SegmentSQL.typedValue("v", path: "traits." + name)) END,
                 \(SegmentSQL.typedValue("v", path: "context.traits." + name)),
                 \(SegmentSQL.typedValue("v", path: "properties.$set." + name)))
        """
    }

    /// A person's latest value of a trait (an aggregate over the person's events), as the embedded engine keeps
    /// PostHog's `$set_once` (EventTableBuilder.finish(): an entry is kept only when the person has no earlier entry
    /// for the key, in event order — time, then file order). `set` is the value the event sets through `traits`,
    /// `context.traits` or `$set` (NULL: no entry), `once` the value of its `$set_once` (the parser keeps it only
    /// where the other sources lack the key). So a `$set_once` entry survives only as the person's first entry; the
    /// latest kept entry is the latest `set` one when there is any (it is later than a kept first `$set_once`), else
    /// the person's first `$set_once` one.
    static func latestTrait(set: String, once: String, order: String) -> String {
        "COALESCE(max_by(\(set), \(order)) FILTER (WHERE \(set) IS NOT NULL), min_by(\(once), \(order)) FILTER (WHERE \(once) IS NOT NULL))"
    }

    /// `, a, b` for the extra columns (empty without).
    var extraNames: String { extraColumns.map { ", " + $0.name }.joined() }

    /// The figures of `report --format json` this compiler leaves to the embedded engine (dotted paths): per-line
    /// detail; segments, loops and journeys without a rules file (``plan()`` names what a rules file's plan computes).
    public static let notComputed: [String] = [
        "store.malformed_lines",
    ] + feedbackNotComputed + ["segments", "overlap", "loops", "journeys"]

    /// The whole plan: the pipeline views, then the result statements (the answers' last: AnswersSQL.swift).
    public func plan() -> SQLPlan {
        var notComputed = Self.notComputed
        if program != nil {
            notComputed.removeAll { $0 == "segments" || $0 == "overlap" }
        }
        // Loops and journeys (LoopSQL.swift, JourneySQL.swift): computed when every one of them is translated.
        if flows?.loops != nil { notComputed.removeAll { $0 == "loops" } }
        if flows?.journeys != nil { notComputed.removeAll { $0 == "journeys" } }
        return SQLPlan(dialect: .spark, statements: pipeline() + results() + feedbackStatements() + segmentResults() + fatigueStatements()
                           + loopStatements() + journeyStatements() + answerStatements(), notComputed: notComputed,
                       unsupportedSegments: segments?.unsupported ?? [:])
    }

    /// The compiled segments in file order: (index in the rules file, boolean SQL).
    var compiledSegments: [(index: Int, sql: String)] {
        guard let program, let segments else { return [] }
        return program.segments.enumerated().compactMap { i, s in segments.compiled[s.name].map { (i, $0) } }
    }

    /// Segment sizes, reachable persons per consent category, and pairwise overlaps (the first
    /// ``SegmentMetrics/overlapLimit`` segments of the file): rows keyed by the segment's index in the rules file.
    func segmentResults() -> [SQLStatement] {
        guard let segments, !compiledSegments.isEmpty else { return [] }
        let counts = segments.counts.map { ",\n    \($0.1) AS \($0.0)" }.joined()
        let traits = segments.traits.indices.map { i in
            ",\n    \(Self.latestTrait(set: "e.tr\(i)", once: "e.to\(i)", order: "struct(e.time, e.file, e.block, e.rid)")) AS tr\(i)"
        }.joined() + segments.traitLists.indices.map { i in
            ",\n    max_by(e.tl\(i), struct(e.time, e.file, e.block, e.rid)) FILTER (WHERE e.tl\(i) IS NOT NULL) AS tl\(i)"
        }.joined()
        let flags = compiledSegments.map { "named_struct('i', \($0.index), 'in', \($0.sql))" }.joined(separator: ",\n      ")
        let events = segments.usesNext
            ? "(SELECT *, lead(time) OVER (PARTITION BY person ORDER BY time, file, block, rid) AS next_time FROM es_scope)"
            : "es_scope"
        let chains = segments.chains.map { "\n            LEFT JOIN (\($0.1)) \($0.0) ON p.person = \($0.0).person" }.joined()
        let members = cached("es_members", """
            SELECT p.person, transform(filter(array(
                  \(flags)), x -> x.in), x -> x.i) AS segs
            FROM (SELECT e.person\(counts)\(traits)
                  FROM \(events) e CROSS JOIN es_now n GROUP BY e.person) p\(chains)
            """)
        // Weekly sizes: the same rules as of each week's last millisecond (never beyond now) over the weeks of the
        // weekly series (the week of the first event in scope to the week of now; the latest `Analysis.maxSegmentWeeks`), as
        // SegmentMetrics.weeklySizes: one evaluation per week, each over the events at or before it.
        let weekStart = { (w: String) in "(7L * \(w) - 3L) * 86400000L" }
        let weeks = cached("es_segment_weeks", """
            SELECT w AS week, least(\(weekStart("(w + 1L)")) - 1L, now) AS now
            FROM (SELECT explode(sequence(greatest(first, last - \(Analysis.maxSegmentWeeks - 1)L), last)) AS w, now
                  FROM (SELECT \(Self.week("min(e.time)")) AS first, \(Self.week("max(n.now)")) AS last, max(n.now) AS now
                        FROM es_scope e CROSS JOIN es_now n))
            """)
        let weeklyChains = segments.weeklyChains.map {
            "\n            LEFT JOIN (\($0.1)) \($0.0) ON p.week = \($0.0).week AND p.person = \($0.0).person"
        }.joined()
        let weekly = weeklyMemberStatements(segments, events: events, flags: flags, chains: weeklyChains)
        let limit = SegmentMetrics.overlapLimit
        return [
            members,
            weeks,
        ] + weekly + [
            result("segment_weekly", """
                SELECT week, s AS segment, count(*) AS size FROM es_members_weekly LATERAL VIEW explode(segs) x AS s GROUP BY week, s
                """),
            // The members' feedback loops per channel and NPS (`segments[].feedback`, `nps`): the prompts, dismissals
            // and scored responses of each segment's members as of now, matched as for the whole store (es_fb).
            cached("es_member_of", """
                SELECT person, s AS segment FROM es_members LATERAL VIEW explode(segs) x AS s
                """),
            result("segment_feedback_loops", Self.loopCounts(keys: "segment, channel", rows: """
                SELECT m.segment, p.channel, p.person, p.answered, p.delay
                            FROM es_fb_prompts p JOIN es_member_of m ON p.person = m.person
                """)),
            result("segment_feedback_dismissed", """
                SELECT m.segment, COALESCE(f.channel, f.lp.channel, 'unknown') AS channel, count(*) AS dismissed
                FROM es_fb f JOIN es_member_of m ON f.person = m.person
                WHERE f.role = 2 GROUP BY m.segment, COALESCE(f.channel, f.lp.channel, 'unknown')
                """),
        ] + (computesNPS ? [
            result("segment_nps", """
                SELECT m.segment, count_if(f.score >= 9) AS promoters, count_if(f.score BETWEEN 7 AND 8) AS passives,
                  count_if(f.score <= 6) AS detractors
                FROM es_fb f JOIN es_member_of m ON f.person = m.person
                WHERE f.role = 1 AND f.score IS NOT NULL AND COALESCE(f.decl, f.lp.decl, 1) = 1
                GROUP BY m.segment
                """),
        ] : []) + [
            result("segment_sizes", """
                SELECT s AS segment, count(*) AS size FROM es_members LATERAL VIEW explode(segs) x AS s GROUP BY s
                """),
            result("segment_reachable", """
                SELECT s AS segment, g.category, count(*) AS persons
                FROM es_members m
                JOIN (SELECT person, category FROM (
                        SELECT person, category, max_by(granted, struct(time, file, block, rid)) AS granted
                        FROM es_consent_event WHERE time <= (SELECT max(now) FROM es_now) GROUP BY person, category)
                      WHERE granted) g ON m.person = g.person
                LATERAL VIEW explode(m.segs) x AS s
                GROUP BY s, g.category
                """),
            result("segment_overlap", """
                SELECT a, b, count(*) AS size
                FROM (SELECT filter(segs, s -> s < \(limit)) AS segs FROM es_members)
                LATERAL VIEW explode(segs) x AS a LATERAL VIEW explode(segs) y AS b
                WHERE a < b GROUP BY a, b
                """),
        ]
    }

    /// The members of each week of the weekly series (`es_members_weekly`: week, segment indices), the rules evaluated
    /// as of each week's end as SegmentMetrics.weeklySizes, in statements whose rows are bounded by persons × weeks
    /// (docs/SCALE.md, "Weekly sizes without events × weeks"):
    ///
    /// - `es_segment_partial`: per (week of the event, person) the partial aggregates without a time window and, per
    ///   trait, the latest value of the week with its order key. The week of an event is the first week end at or
    ///   after it; events before the first week of the series count in the first week (its end is after them).
    /// - `es_segment_partial_next` (with `minutes_in` without a window): the dwell partials per week of the next event.
    /// - `es_segment_windowed` (with `in last D`): each event joined only to the week ends `w` with `w - D ≤ time ≤ w`
    ///   (⌈D / 7 days⌉ + 1 weeks at most, an equi-join on the week), the windowed aggregates per (week, person).
    /// - `es_members_weekly`: every person from the week of their first event on, the running aggregates (a window
    ///   over the person's weeks: `sum` of counts and exact sums, `max`/`min`, the latest trait), the windowed ones,
    ///   and the chains (``SegmentSQL/weeklyChains``).
    func weeklyMemberStatements(_ segments: SegmentSQL, events: String, flags: String, chains: String) -> [SQLStatement] {
        let kinds = segments.counts.map { (name: $0.0, sql: $0.1, kind: segments.weeklyKinds[$0.0] ?? .running) }
        let running = kinds.filter { $0.kind == .running }
        let byNext = kinds.filter { $0.kind == .runningByNext }
        var windowed: [(name: String, sql: String, d: Int64)] = []
        for k in kinds { if case .windowed(let d) = k.kind { windowed.append((k.name, k.sql, d)) } }
        let key = "struct(e.time, e.file, e.block, e.rid)"
        let traitNames = segments.traits.indices.map { "tr\($0)" } + segments.traitLists.indices.map { "tl\($0)" }
        // A trait's first `$set_once` value, kept when the person has no other entry by then (``latestTrait``).
        let onceNames = segments.traits.indices.map { "to\($0)" }
        let bounds = "(SELECT min(week) AS first, max(week) AS last FROM es_segment_weeks) f"
        var out: [SQLStatement] = []
        out.append(cached("es_segment_partial", """
            SELECT n.week, e.person\(running.map { ",\n    \($0.sql) AS \($0.name)" }.joined())\(traitNames.map { t in
                ",\n    max_by(named_struct('k', \(key), 'v', e.\(t)), \(key)) FILTER (WHERE e.\(t) IS NOT NULL) AS \(t)" }.joined())\(onceNames.map { t in
                ",\n    min_by(named_struct('k', \(key), 'v', e.\(t)), \(key)) FILTER (WHERE e.\(t) IS NOT NULL) AS \(t)" }.joined())
            FROM \(events) e CROSS JOIN \(bounds)
              JOIN es_segment_weeks n ON n.week = greatest(\(Self.week("e.time")), f.first) AND e.time <= n.now
            GROUP BY n.week, e.person
            """))
        if !byNext.isEmpty {
            out.append(cached("es_segment_partial_next", """
                SELECT n.week, e.person\(byNext.map { ",\n    \($0.sql) AS \($0.name)" }.joined())
                FROM \(events) e CROSS JOIN \(bounds)
                  JOIN es_segment_weeks n ON n.week = greatest(\(Self.week("e.next_time")), f.first) AND e.next_time <= n.now
                GROUP BY n.week, e.person
                """))
        }
        if let d = windowed.map(\.d).max() {
            out.append(cached("es_segment_windowed", """
                SELECT n.week, e.person\(windowed.map { ",\n    \($0.sql) AS \($0.name)" }.joined())
                FROM (SELECT e.*, explode(CASE WHEN lo <= hi THEN sequence(lo, hi) ELSE array() END) AS wk
                      FROM (SELECT e.*, greatest(\(Self.week("e.time")), f.first) AS lo,
                              least(\(Self.week("e.time + \(d)L")), f.last) AS hi
                            FROM \(events) e CROSS JOIN \(bounds)) e) e
                  JOIN es_segment_weeks n ON n.week = e.wk AND e.time <= n.now AND e.time >= n.now - \(d)L
                GROUP BY n.week, e.person
                """))
        }
        let runningColumns = running.map { ",\n              \(SegmentSQL.runningCombiner($0.sql))(a.\($0.name)) OVER w AS \($0.name)" }
            + byNext.map { ",\n              sum(d.\($0.name)) OVER w AS \($0.name)" }
            + traitNames.map { ",\n              max_by(a.\($0), a.\($0).k) OVER w AS \($0)" }
            + onceNames.map { ",\n              min_by(a.\($0), a.\($0).k) OVER w AS \($0)" }
        // As of each week: the latest trait entry set by then, else the first `$set_once` one (``latestTrait``).
        let columns = running.map { ", r.\($0.name)" } + byNext.map { ", r.\($0.name)" }
            + segments.traits.indices.map { ", COALESCE(r.tr\($0).v, r.to\($0).v) AS tr\($0)" }
            + segments.traitLists.indices.map { ", r.tl\($0).v AS tl\($0)" }
            + windowed.map { $0.sql.hasPrefix("count_if(") ? ", COALESCE(b.\($0.name), 0L) AS \($0.name)" : ", b.\($0.name)" }
        let nextJoin = byNext.isEmpty ? "" : "\n            LEFT JOIN es_segment_partial_next d ON d.week = g.week AND d.person = g.person"
        let windowedJoin = windowed.isEmpty ? "" : "\n      LEFT JOIN es_segment_windowed b ON b.week = r.week AND b.person = r.person"
        out.append(cached("es_members_weekly", """
            SELECT p.week, transform(filter(array(
                  \(flags)), x -> x.in), x -> x.i) AS segs
            FROM (SELECT r.week, r.person\(columns.joined())
                  FROM (SELECT g.week, g.person\(runningColumns.joined())
                        FROM (SELECT s.person, n.week
                              FROM (SELECT person, min(week) AS first FROM es_segment_partial GROUP BY person) s
                              JOIN es_segment_weeks n ON n.week >= s.first) g
                        LEFT JOIN es_segment_partial a ON a.week = g.week AND a.person = g.person\(nextJoin)
                        WINDOW w AS (PARTITION BY g.person ORDER BY g.week ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)) r\(windowedJoin)) p\(chains)
            """))
        return out
    }

    // MARK: Pipeline

    /// The views from `earshot_lines` to `es_events` (see the type's documentation).
    public func pipeline() -> [SQLStatement] {
        var statements = basePipeline()
        // The vendor shapes (VendorSQL.swift) between the parse and the fields.
        statements.insert(contentsOf: vendorViews(), at: 1)
        return statements
    }

    func basePipeline() -> [SQLStatement] {
        [
            view("es_json", """
                SELECT file, block, rid, value, w,
                  CASE WHEN w IS NULL OR variant_get(w, '$[2]') IS NOT NULL
                            OR try_variant_get(w, '$[1]', 'bigint') IS DISTINCT FROM 0L THEN 'invalid JSON'
                       WHEN NOT regexp_like(value, '^[ \\\\t\\\\r\\\\n]*[{]') THEN 'not a JSON object' END AS json_error
                FROM (SELECT file, block, rid, value,
                        COALESCE(try_parse_json(concat('[', value, '\\n,0]')),
                                 try_parse_json(regexp_replace(concat('[', value, '\\n,0]'), \(Self.loneSurrogate), '\\\\\\\\uFFFD'))) AS w
                      FROM earshot_lines
                      WHERE NOT regexp_like(value, '^[ \\\\t\\\\r\\\\n]*\\\\z'))
                """),
            view("es_rec", """
                SELECT file, block, rid, json_error, item_error, envelope, item, record, v,
                  \(Self.string("v", "type")) AS type_text,
                  \(Self.identifier("v", "userId")) AS uid,
                  \(Self.identifier("v", "anonymousId")) AS aid,
                  \(Self.identifier("v", "previousId")) AS prev,
                  \(Self.string("v", "messageId")) AS mid,
                  \(Self.string("v", "event")) AS event_text,
                  \(Self.string("v", "name")) AS name_text,
                  tfield, \(Self.string("tval", nil)) AS ttext,
                  concat(
                    COALESCE(transform(map_entries(map_filter(
                      try_variant_get(v, '$.context.consent.categoryPreferences', 'map<string,variant>'),
                      (k, x) -> schema_of_variant(x) = 'BOOLEAN')),
                      x -> named_struct('category', x.key, 'granted', variant_get(x.value, '$', 'boolean'), 'src', 0, 'pos', 0,
                                        'label', CAST(NULL AS STRING))),
                      \(Self.noEntries)),
                    \(Self.consentIds("v", "allowedConsentIds", granted: true, source: 1)),
                    \(Self.consentIds("v", "deniedConsentIds", granted: false, source: 2))) AS consent,
                  COALESCE(cardinality(try_variant_get(v, '$.context.consent.categoryPreferences', 'map<string,variant>')) = 0, FALSE)
                    AS consent_cleared\(extraColumns.map { ",\n  " + $0.sql + " AS " + $0.name }.joined())
                FROM (SELECT *,
                        CASE tfield WHEN 'timestamp' THEN variant_get(v, '$.timestamp')
                                    WHEN 'originalTimestamp' THEN variant_get(v, '$.originalTimestamp')
                                    WHEN 'receivedAt' THEN variant_get(v, '$.receivedAt') END AS tval
                      FROM (SELECT *,
                              CASE WHEN \(Self.present("v", "timestamp")) THEN 'timestamp'
                                   WHEN \(Self.present("v", "originalTimestamp")) THEN 'originalTimestamp'
                                   WHEN \(Self.present("v", "receivedAt")) THEN 'receivedAt' END AS tfield
                            FROM es_item))
                """),
            view("es_time", """
                SELECT *,
                  \(Self.daysFromCivil(year: "ty", month: "tmo", day: "td")) * 86400000L
                    + (th * 60L + tmi) * 60000L
                    + CASE WHEN ts = 60L THEN 59999L ELSE ts * 1000L + tfrac END
                    - tsign * (toh * 60L + tom) * 60000L AS tms
                FROM (SELECT *,
                        CAST(regexp_extract(tm, '^([0-9]{4})', 1) AS BIGINT) AS ty,
                        CAST(substr(tm, 6, 2) AS BIGINT) AS tmo, CAST(substr(tm, 9, 2) AS BIGINT) AS td,
                        CAST(substr(tm, 12, 2) AS BIGINT) AS th, CAST(substr(tm, 15, 2) AS BIGINT) AS tmi,
                        CAST(substr(tm, 18, 2) AS BIGINT) AS ts,
                        CAST(rpad(substr(regexp_extract(tm, '^.{19}[.]([0-9]+)', 1), 1, 3), 3, '0') AS BIGINT) AS tfrac,
                        CASE regexp_extract(tm, '([+-])[0-9]{2}:?[0-9]{2}\\\\z', 1) WHEN '-' THEN -1L WHEN '+' THEN 1L ELSE 0L END AS tsign,
                        CASE WHEN regexp_like(tm, '[+-][0-9]{2}:?[0-9]{2}\\\\z')
                             THEN CAST(regexp_extract(tm, '([0-9]{2}):?([0-9]{2})\\\\z', 1) AS BIGINT) ELSE 0L END AS toh,
                        CASE WHEN regexp_like(tm, '[+-][0-9]{2}:?[0-9]{2}\\\\z')
                             THEN CAST(regexp_extract(tm, '([0-9]{2}):?([0-9]{2})\\\\z', 2) AS BIGINT) ELSE 0L END AS tom
                      FROM (SELECT *,
                              CASE WHEN regexp_like(ttext, '\(Self.timeGrammar)') THEN ttext END AS tm,
                              regexp_like(ttext, '\(Self.timeGrammar)')
                                AND NOT regexp_like(ttext, '(?:[Zz]|[+-][0-9]{2}:?[0-9]{2})\\\\z') AS zoneless
                            FROM es_rec))
                """),
            cached("es_valid", """
                SELECT file, block, rid, envelope, item, record, consent, consent_cleared, type_text, uid, aid, prev, mid, event_text, name_text\(extraNames),
                  CASE WHEN type_text = 'track' THEN 'track' WHEN type_text = 'identify' THEN 'identify'
                       WHEN type_text = 'page' THEN 'page' WHEN type_text = 'screen' THEN 'screen'
                       WHEN type_text = 'group' THEN 'group' WHEN type_text = 'alias' THEN 'alias'
                       WHEN type_text = 'delete' THEN 'delete' ELSE 'other' END AS kind,
                  CASE WHEN tfield IS NULL THEN 9223372036854775807L ELSE tms END AS time,
                  CASE WHEN json_error IS NOT NULL THEN json_error
                       WHEN item_error IS NOT NULL THEN item_error
                       ELSE concat(CASE WHEN envelope THEN 'batch item: ' ELSE '' END, CASE
                       WHEN type_text IS NULL THEN 'no type'
                       WHEN COALESCE(uid, '') = '' AND COALESCE(aid, '') = '' THEN 'no userId or anonymousId'
                       WHEN tfield IS NULL AND type_text <> 'delete' THEN 'no event time'
                       WHEN tfield IS NOT NULL AND ttext IS NULL THEN 'invalid time'
                       WHEN tfield IS NOT NULL AND zoneless AND \(assumeUTC ? "FALSE" : "TRUE") THEN 'time without a zone'
                       WHEN tfield IS NOT NULL AND tm IS NULL THEN 'invalid time'
                       WHEN tfield IS NOT NULL AND NOT (\(Self.timeInRange)) THEN 'invalid time'
                  END) END AS reason
                FROM es_time
                """),
            cached("es_dedup", """
                SELECT *, 1 AS copy FROM es_valid WHERE reason IS NULL AND COALESCE(mid, '') = ''
                UNION ALL
                SELECT *, row_number() OVER (PARTITION BY mid ORDER BY file, block, rid) AS copy
                FROM es_valid WHERE reason IS NULL AND COALESCE(mid, '') <> ''
                """),
            view("es_link", """
                SELECT anon, min_by(user, struct(time, file, block, rid)) AS user
                FROM (SELECT aid AS anon, uid AS user, time, file, block, rid FROM es_dedup
                      WHERE copy = 1 AND COALESCE(uid, '') <> '' AND COALESCE(aid, '') <> ''
                      UNION ALL
                      SELECT prev AS anon, uid AS user, time, file, block, rid FROM es_dedup
                      WHERE copy = 1 AND kind = 'alias' AND COALESCE(uid, '') <> '' AND COALESCE(prev, '') <> '')
                GROUP BY anon
                """),
            cached("es_person", """
                SELECT d.*,
                  CASE WHEN COALESCE(d.uid, '') <> '' THEN d.uid
                       WHEN u.user_id IS NOT NULL THEN d.aid
                       WHEN l.user IS NOT NULL THEN l.user
                       ELSE d.aid END AS person
                FROM (SELECT * FROM es_dedup WHERE copy = 1) d
                LEFT JOIN (SELECT DISTINCT uid AS user_id FROM es_dedup WHERE copy = 1 AND COALESCE(uid, '') <> '') u
                  ON COALESCE(d.uid, '') = '' AND d.aid = u.user_id
                LEFT JOIN es_link l ON COALESCE(d.uid, '') = '' AND d.aid = l.anon
                """),
            view("es_marked", """
                SELECT p.*, d.last_delete
                FROM es_person p
                LEFT JOIN (SELECT person, max(struct(time, file, block, rid)) AS last_delete
                           FROM es_person WHERE kind = 'delete' GROUP BY person) d
                  ON p.person = d.person
                """),
            cached("es_events", """
                SELECT file, block, rid, time, kind, person, uid, aid, consent, consent_cleared\(extraNames),
                  CASE WHEN kind = 'track' THEN event_text WHEN kind IN ('page', 'screen') THEN name_text END AS name
                FROM es_marked
                WHERE last_delete IS NULL OR struct(time, file, block, rid) > last_delete
                """),
            view("es_now", """
                SELECT \(options.now.map { "\($0)L AS now" } ?? "max(time) AS now FROM es_events")
                """),
            view("es_scope", """
                SELECT e.* FROM es_events e CROSS JOIN es_now n WHERE e.time <= n.now
                """),
            view("es_consent_entries", """
                SELECT e.file, e.block, e.rid, e.time, e.person, c.category, c.granted, c.src, c.pos
                FROM es_events e
                LATERAL VIEW explode(e.consent) p AS c
                """),
            view("es_categories", """
                SELECT DISTINCT category FROM es_consent_entries
                """),
            cached("es_consent_event", """
                SELECT file, block, rid, time, person, category,
                  max_by(granted, struct(src, pos)) AS granted
                FROM (SELECT file, block, rid, time, person, category, granted, src, pos FROM es_consent_entries
                      UNION ALL
                      SELECT e.file, e.block, e.rid, e.time, e.person, c.category, FALSE, 3, 0
                      FROM es_events e CROSS JOIN es_categories c
                      WHERE e.consent_cleared)
                GROUP BY file, block, rid, time, person, category
                """),
        ]
    }

    // MARK: Results

    /// The result statements: integer counts and sums, keyed by names (and the consent categories' labels).
    public func results() -> [SQLStatement] {
        let category = Self.literal(options.analyticsCategory)
        return [
            // A row of es_valid is a record (a line, or an item of a batch envelope) or an empty batch's line
            // (`record` false); a line's first row has item 0 or 1.
            result("store_reads", """
                SELECT count_if(item <= 1) AS lines, count_if(record AND reason IS NOT NULL) AS malformed,
                  count_if(envelope AND item <= 1) AS envelopes, count_if(envelope AND record) AS envelope_items
                FROM es_valid
                """),
            result("malformed_kinds", """
                SELECT reason AS kind, count(*) AS count FROM es_valid
                WHERE record AND reason IS NOT NULL GROUP BY reason
                """),
            result("files", """
                SELECT file, count_if(item <= 1) AS lines, count_if(record AND reason IS NOT NULL) AS malformed,
                  count_if(envelope AND item <= 1) AS envelopes, count_if(envelope AND record) AS envelope_items
                FROM es_valid GROUP BY file
                """),
            result("file_events", """
                SELECT file, count_if(copy = 1) AS events, count_if(copy > 1) AS duplicates FROM es_dedup GROUP BY file
                """),
            result("store_events", """
                SELECT count(*) AS events, count(DISTINCT person) AS persons, min(time) AS first_event,
                  max(time) AS last_event, (SELECT max(now) FROM es_now) AS now FROM es_events
                """),
            result("deletions", """
                SELECT count_if(struct(time, file, block, rid) <= last_delete) AS deleted_events,
                  count(DISTINCT CASE WHEN struct(time, file, block, rid) <= last_delete AND kind <> 'delete'
                                      THEN person END) AS deleted_persons
                FROM es_marked
                """),
            result("consent_states", """
                SELECT category, count_if(granted) AS granted, count_if(NOT granted) AS denied
                FROM (SELECT person, category, max_by(granted, struct(time, file, block, rid)) AS granted
                      FROM es_consent_event WHERE time <= (SELECT max(now) FROM es_now) GROUP BY person, category)
                GROUP BY category
                """),
            result("consent_audit", """
                SELECT count(DISTINCT person) AS persons, count(*) AS events,
                  count_if(audited AND has_category AND state = FALSE) AS without_consent,
                  count_if(audited AND (NOT has_category OR state IS NULL)) AS consent_unknown
                FROM (SELECT s.person,
                        NOT (s.kind = 'track' AND COALESCE(s.name = 'Segment Consent Preference Updated', FALSE)) AS audited,
                        (SELECT count(*) FROM es_categories WHERE category = \(category)) > 0 AS has_category,
                        last(c.granted, TRUE) OVER (PARTITION BY s.person ORDER BY s.time, s.file, s.block, s.rid
                                                     ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS state
                      FROM es_scope s
                      LEFT JOIN (SELECT file, block, rid, granted FROM es_consent_event WHERE category = \(category)) c
                        ON s.file = c.file AND s.block = c.block AND s.rid = c.rid)
                """),
            result("consent_categories", """
                SELECT category FROM es_categories
                """),
            // As the embedded table's `consentLabels`: every accepted event (deleted ones too), the last non-empty
            // label in file order, then in the event's order of entries.
            result("consent_labels", """
                SELECT c.category, max_by(c.label, struct(d.file, d.block, d.rid, c.src, c.pos)) AS label
                FROM es_dedup d LATERAL VIEW explode(d.consent) p AS c
                WHERE d.copy = 1 AND c.label <> ''
                GROUP BY c.category
                """),
            result("event_names", """
                SELECT name, count(*) AS count FROM es_scope WHERE kind = 'track' AND name IS NOT NULL GROUP BY name
                """),
        ]
    }

    // MARK: Pieces

    /// A view: inlined by Spark into every statement that reads it (use it for a step read by one statement only).
    func view(_ name: String, _ body: String) -> SQLStatement { .view(name, body) }

    /// A table computed once and materialised (``SQLStatement/Kind/table``): read by several later statements, which
    /// then neither scan the store again nor carry its query in their plans.
    func cached(_ name: String, _ body: String) -> SQLStatement { .table(name, body) }

    /// A figure: the engine returns its rows under `name` (integer counts and sums only; ``EngineReport`` reads them).
    func result(_ name: String, _ body: String) -> SQLStatement { .result(name, body) }

    /// earshot's time grammar (``ISO8601Time``) as a Java regular expression, written for a Spark SQL literal.
    static let timeGrammar = #"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(?:[.][0-9]+)?(?:[Zz]|[+-][0-9]{2}:?[0-9]{2})?\\z"#

    /// The range checks of ``ISO8601Time`` on the parsed parts (`ty`, `tmo`, … of `es_time`).
    static let timeInRange = """
        tmo BETWEEN 1L AND 12L AND td >= 1L
        AND td <= CASE WHEN tmo = 2L THEN CASE WHEN (ty % 4L = 0L AND ty % 100L <> 0L) OR ty % 400L = 0L THEN 29L ELSE 28L END
                       WHEN tmo IN (4L, 6L, 9L, 11L) THEN 30L ELSE 31L END
        AND th <= 23L AND tmi <= 59L AND ts <= 60L AND toh <= 23L AND tom <= 59L
        AND tms BETWEEN \(ISO8601Time.minMilliseconds)L AND \(ISO8601Time.maxMilliseconds)L
        """

    /// Days since 1970-01-01 of a proleptic Gregorian date, in integer arithmetic (Howard Hinnant's algorithm, as
    /// ``ISO8601Time/daysFromCivil(year:month:day:)``); `div` truncates, so the era is floored by hand.
    static func daysFromCivil(year: String, month: String, day: String) -> String {
        let y = "(\(year) - CASE WHEN \(month) <= 2L THEN 1L ELSE 0L END)"
        let era = "(CASE WHEN \(y) >= 0L THEN \(y) ELSE \(y) - 399L END) div 400L"
        let yoe = "(\(y) - (\(era)) * 400L)"
        let doy = "((153L * ((\(month) + 9L) % 12L) + 2L) div 5L + \(day) - 1L)"
        let doe = "(\(yoe) * 365L + \(yoe) div 4L - \(yoe) div 100L + \(doy))"
        return "((\(era)) * 146097L + \(doe) - 719468L)"
    }

    /// A JSON path of top-level key `key` (`$.key`), or the value itself (`$`).
    static func jsonPath(_ key: String?) -> String {
        guard let key else { return "$" }
        return "$." + key
    }

    /// The string at `key` of variant `v` (NULL when absent or not a string: a number is not a string).
    static func string(_ v: String, _ key: String?) -> String {
        let p = literal(jsonPath(key))
        return "CASE WHEN schema_of_variant(variant_get(\(v), \(p))) = 'STRING' THEN variant_get(\(v), \(p), 'string') END"
    }

    /// An id at `key`: a string, or a number's text (earshot keeps numeric ids as the number's text).
    static func identifier(_ v: String, _ key: String) -> String {
        let p = literal(jsonPath(key))
        return """
            CASE WHEN schema_of_variant(variant_get(\(v), \(p))) = 'STRING' THEN variant_get(\(v), \(p), 'string')
                 WHEN schema_of_variant(variant_get(\(v), \(p))) IN ('BIGINT', 'INT', 'SMALLINT', 'TINYINT')
                   THEN variant_get(\(v), \(p), 'string') END
            """
    }

    /// Whether `key` holds a value other than JSON `null` (a time field that is `null` counts as absent).
    static func present(_ v: String, _ key: String) -> String {
        let p = literal(jsonPath(key))
        return "variant_get(\(v), \(p)) IS NOT NULL AND NOT is_variant_null(variant_get(\(v), \(p)))"
    }

    /// RudderStack's consent ids at `context.consentManagement.FIELD`: a list of non-empty strings, or an object
    /// `{"id": "label"}`; entries `(category, granted, src, pos, label)`. The label is the object's value when it is a
    /// string (the list form and other values give none), as the embedded parser's `consentObject`.
    static func consentIds(_ v: String, _ field: String, granted: Bool, source: Int) -> String {
        let p = literal("$.context.consentManagement." + field)
        return """
            COALESCE(transform(filter(try_variant_get(\(v), \(p), 'array<variant>'),
                                     x -> schema_of_variant(x) = 'STRING' AND variant_get(x, '$', 'string') <> ''),
                              (x, i) -> named_struct('category', variant_get(x, '$', 'string'), 'granted', \(granted ? "TRUE" : "FALSE"),
                                                     'src', \(source), 'pos', i, 'label', CAST(NULL AS STRING))), \(noEntries)),
                  COALESCE(transform(filter(map_entries(try_variant_get(\(v), \(p), 'map<string,variant>')), x -> x.key <> ''),
                              (x, i) -> named_struct('category', x.key, 'granted', \(granted ? "TRUE" : "FALSE"), 'src', \(source), 'pos', i,
                                                     'label', CASE WHEN schema_of_variant(x.value) = 'STRING'
                                                                   THEN variant_get(x.value, '$', 'string') END)), \(noEntries))
            """
    }

    /// A `\\uD800`-style escape of a lone surrogate (a high one not followed by a low one, a low one not after a high
    /// one): RFC 8259 accepts it, and so does earshot, but Spark's parser does not. A line that fails to parse is parsed
    /// again with these escapes replaced by `\\uFFFD` (which cannot make an invalid line valid).
    static let loneSurrogate = #"'\\\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\\\u[dD][c-fC-F][0-9a-fA-F]{2})|(?<!\\\\u[dD][89abAB][0-9a-fA-F]{2})\\\\u[dD][c-fC-F][0-9a-fA-F]{2}'"#

    /// An empty list of consent entries, typed.
    static let noEntries = "CAST(array() AS array<struct<category: string, granted: boolean, src: int, pos: int, label: string>>)"

    /// `text` as a Spark SQL string literal (`\` and `'` escaped, control characters as `\u` escapes).
    public static func literal(_ text: String) -> String {
        var out = "'"
        for u in text.unicodeScalars {
            switch u {
            case "\\": out += "\\\\"
            case "'": out += "\\'"
            default:
                if u.value < 0x20 || u.value == 0x7F {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "'"
    }
}
