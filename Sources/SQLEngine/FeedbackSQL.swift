import Analytics
import EventStore

/// The feedback figures and the weekly series in Spark SQL (docs/DEFINITIONS.md, "Feedback", "NPS", "Weekly series";
/// `FeedbackMetrics`, `WeeklyMetrics`): integer counts per channel, survey, hour × weekday cell and week. earshot
/// computes the rates, the majority channel of a survey, the median's mean and the NPS from them (``EngineReport``).
///
/// - Prompts, responses and dismissals are the track events named by the feedback schema; a person's feedback events
///   are ordered by (time, prompts first, file order) — the order key `k` of `es_fb_events`.
/// - A response supersedes the earlier responses of the same person, survey and `$survey_submission_id`.
/// - **Prompt/response matching** (Spark has no ASOF join): each event carries the latest prompt of its person and
///   survey at or before it in that order (a window `last(…) IGNORE NULLS` over (person, survey) ordered by `k`); a
///   response matches it when it is at most the feedback window later. A prompt is answered when a response matches
///   it; its time to answer is the earliest matching response's time minus the prompt's, in integer milliseconds.
/// - **Exact median**: the SQL returns the two middle values (integer ms) of each loop's times to answer, by rank;
///   earshot takes their mean as the embedded engine does.
/// - **Local hour × weekday**: the prompt's `context.timezone`, else the person's latest earlier one. Java's time-zone
///   rules convert only when `java.time.ZoneId.of` accepts the name (`try_reflect`: an unknown zone never throws);
///   the rows keep the zone name, the UTC cell and the local cell, and earshot decides with its own zone rules which
///   cell counts (a zone earshot does not know uses UTC and is counted, as in the embedded engine).
extension SparkSQLCompiler {
    /// Figures inside `feedback` that the SQL does not compute: none (the answers: AnswersSQL.swift; fatigue and the
    /// preferred channel: FatigueSQL.swift).
    static let feedbackNotComputed: [String] = []

    /// Whether NPS is computed from the score fields alone here: without a survey catalog (docs/DEFINITIONS.md, "NPS");
    /// with one, an NPS answer comes from the answers (AnswersSQL.swift computes it).
    var computesNPS: Bool { options.feedback.catalog.surveys.isEmpty }

    /// The feedback columns of `es_rec` (read from the variant `v` of every record).
    var feedbackColumns: [(name: String, sql: String)] {
        let schema = options.feedback
        func list(_ names: [String]) -> String { names.map { Self.literal($0) }.joined(separator: ", ") }
        func inList(_ names: [String]) -> String { names.isEmpty ? "FALSE" : "event_text IN (\(list(names)))" }
        let role = """
            CASE WHEN type_text = 'track' AND \(inList(schema.promptEvents)) THEN 0
                 WHEN type_text = 'track' AND \(inList(schema.answerEvents)) THEN 1
                 WHEN type_text = 'track' AND \(inList(schema.dismissalEvents)) THEN 2 END
            """
        // Survey id: the first field holding a non-empty string or a number (integral numbers as integer text).
        let survey = schema.surveyIDFields.isEmpty ? "CAST(NULL AS STRING)" : "COALESCE(" + schema.surveyIDFields.map { f in
            let x = "variant_get(v, \(Self.literal(SegmentSQL.jsonPath(f))))"
            return """
                CASE WHEN schema_of_variant(\(x)) = 'STRING' THEN NULLIF(variant_get(\(x), '$', 'string'), '')
                     WHEN schema_of_variant(\(x)) IN ('BIGINT', 'INT', 'SMALLINT', 'TINYINT') THEN variant_get(\(x), '$', 'string')
                     WHEN schema_of_variant(\(x)) RLIKE '^(DOUBLE|FLOAT|DECIMAL.*)$' THEN
                       CASE WHEN try_variant_get(\(x), '$', 'double') = floor(try_variant_get(\(x), '$', 'double'))
                                 AND abs(try_variant_get(\(x), '$', 'double')) < CAST('9.0e15' AS DOUBLE)
                            THEN CAST(CAST(try_variant_get(\(x), '$', 'double') AS BIGINT) AS STRING)
                            ELSE CAST(try_variant_get(\(x), '$', 'double') AS STRING) END END
                """
        }.joined(separator: ",\n") + ")"
        // Channel: the first field holding a string; without channel names an empty string ends the search (no
        // channel), with them it is skipped and the name is renamed.
        var channel = "CASE"
        for f in schema.channelFields {
            let s = Self.pathString("v", f)
            if schema.channelNames.isEmpty {
                channel += "\n  WHEN \(s) IS NOT NULL THEN NULLIF(\(s), '')"
            } else {
                let renames = schema.channelNames.sorted { $0.key < $1.key }
                    .map { "WHEN \(Self.literal($0.key)) THEN \(Self.literal($0.value))" }.joined(separator: " ")
                channel += "\n  WHEN COALESCE(\(s), '') <> '' THEN CASE \(s) \(renames) ELSE \(s) END"
            }
        }
        channel += schema.channelFields.isEmpty ? " WHEN FALSE THEN CAST(NULL AS STRING) END" : " END"
        // Score: the first score field present and not null, when it is an integer 0…10 (a number, or a text of
        // digits with white space around).
        var score = "CASE"
        for f in schema.scoreFields {
            let x = "variant_get(v, \(Self.literal(SegmentSQL.jsonPath(f))))"
            score += """

                  WHEN \(x) IS NOT NULL AND NOT is_variant_null(\(x)) THEN CASE
                    WHEN schema_of_variant(\(x)) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$'
                         AND try_variant_get(\(x), '$', 'double') BETWEEN CAST('0' AS DOUBLE) AND CAST('10' AS DOUBLE)
                         AND try_variant_get(\(x), '$', 'double') = floor(try_variant_get(\(x), '$', 'double'))
                      THEN CAST(try_variant_get(\(x), '$', 'double') AS INT)
                    WHEN schema_of_variant(\(x)) = 'STRING'
                         AND regexp_like(variant_get(\(x), '$', 'string'), '(?U)^\\\\s*0*([0-9]|10)\\\\s*\\\\z')
                      THEN CAST(regexp_extract(variant_get(\(x), '$', 'string'), '(?U)^\\\\s*0*([0-9]+)', 1) AS INT) END
                """
        }
        score += schema.scoreFields.isEmpty ? " WHEN FALSE THEN CAST(NULL AS INT) END" : "\nEND"
        // Survey type: the first type field holding a string that is not empty without spaces: 1 for `nps`, else 0.
        var declared = "CASE"
        for f in schema.surveyTypeFields {
            let t = "lower(replace(\(Self.pathString("v", f)), ' ', ''))"
            declared += "\n  WHEN \(t) <> '' THEN CASE WHEN \(t) = 'nps' THEN 1 ELSE 0 END"
        }
        declared += schema.surveyTypeFields.isEmpty ? " WHEN FALSE THEN CAST(NULL AS INT) END" : " END"
        return [
            ("fb_role", role), ("fb_survey", survey), ("fb_channel", channel),
            ("fb_sub", "NULLIF(\(Self.pathString("v", "properties.$survey_submission_id")), '')"),
            ("fb_score", score), ("fb_decl", declared),
            ("tz", "NULLIF(\(Self.string("v", "context.timezone")), '')"),
        ]
    }

    /// The string at dotted `path` of variant `v` (NULL when absent or not a string).
    static func pathString(_ v: String, _ path: String) -> String {
        let p = literal(SegmentSQL.jsonPath(path))
        return "CASE WHEN schema_of_variant(variant_get(\(v), \(p))) = 'STRING' THEN variant_get(\(v), \(p), 'string') END"
    }

    /// The ISO week index of a time in ms (`CivilTime.weekIndex`: weeks start on Monday 00:00 UTC).
    static func week(_ ms: String) -> String {
        let day = floorDiv(ms, "86400000L")
        return floorDiv("(\(day) + 3L)", "7L")
    }

    /// `a` divided by `b` rounded down, in integer arithmetic (`div` truncates toward zero; `b` is positive).
    static func floorDiv(_ a: String, _ b: String) -> String { "((\(a) - pmod(\(a), \(b))) div \(b))" }

    /// The views and results of the feedback figures and the weekly series.
    func feedbackStatements() -> [SQLStatement] {
        let w = "\(options.window)L"
        var out: [SQLStatement] = [
            view("es_fb_events", """
                SELECT person, time, file, block, rid, fb_role AS role, COALESCE(fb_survey, 'unknown') AS survey,
                  fb_channel AS channel, fb_sub AS sub, fb_score AS score, fb_decl AS decl, zone,
                  struct(time, CASE WHEN fb_role = 0 THEN 0 ELSE 1 END AS prompt_last, file, block, rid) AS k
                FROM (SELECT *, last(tz, TRUE) OVER (PARTITION BY person ORDER BY time, file, block, rid
                                                     ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS zone
                      FROM es_scope)
                WHERE fb_role IS NOT NULL
                """),
            cached("es_fb", """
                SELECT *,
                  last(CASE WHEN role = 0 THEN named_struct('time', time, 'channel', COALESCE(channel, 'unknown'), 'decl', decl,
                                                            'file', file, 'block', block, 'rid', rid) END, TRUE)
                    OVER (PARTITION BY person, survey ORDER BY k ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS lp
                FROM (SELECT *, CASE WHEN role = 1 AND sub IS NOT NULL
                                     THEN row_number() OVER (PARTITION BY person, survey, role, sub ORDER BY k DESC) ELSE 1 END AS latest
                      FROM es_fb_events)
                WHERE latest = 1
                """),
            cached("es_fb_prompts", """
                SELECT p.person, p.time, p.survey, COALESCE(p.channel, 'unknown') AS channel, p.zone,
                  a.delay IS NOT NULL AS answered, a.delay, p.file, p.block, p.rid
                FROM es_fb p
                LEFT JOIN (SELECT lp.file AS f, lp.block AS b, lp.rid AS r, min(time - lp.time) AS delay
                           FROM es_fb WHERE role = 1 AND lp IS NOT NULL AND time - lp.time <= \(w)
                           GROUP BY lp.file, lp.block, lp.rid) a
                  ON p.file = a.f AND p.block = a.b AND p.rid = a.r
                WHERE p.role = 0
                """),
            result("feedback_loops", Self.loopCounts(keys: "g, gkey", rows: """
                SELECT 'all' AS g, '' AS gkey, person, answered, delay FROM es_fb_prompts
                            UNION ALL SELECT 'channel', channel, person, answered, delay FROM es_fb_prompts
                            UNION ALL SELECT 'survey', survey, person, answered, delay FROM es_fb_prompts
                """)),
            result("feedback_survey_channels", """
                SELECT survey, channel, count(*) AS prompts FROM es_fb_prompts GROUP BY survey, channel
                """),
            result("feedback_dismissed", """
                SELECT survey, COALESCE(channel, lp.channel, 'unknown') AS channel, count(*) AS dismissed
                FROM es_fb WHERE role = 2 GROUP BY survey, COALESCE(channel, lp.channel, 'unknown')
                """),
            result("feedback_responses", """
                SELECT count(*) AS responses, count_if(lp IS NULL OR time - lp.time > \(w)) AS unmatched
                FROM es_fb WHERE role = 1
                """),
            result("feedback_hour_weekday", """
                SELECT zone, utc_cell, local_cell, count(*) AS prompts, count_if(answered) AS answered
                FROM (SELECT zone, answered,
                        pmod(\(Self.floorDiv("time", "86400000L")) + 3L, 7L) * 24L + pmod(time, 86400000L) div 3600000L AS utc_cell,
                        CASE WHEN zone IS NOT NULL AND try_reflect('java.time.ZoneId', 'of', zone) IS NOT NULL
                             THEN CAST(pmod(dayofweek(from_utc_timestamp(timestamp_millis(time), zone)) + 5, 7) AS BIGINT) * 24L
                                  + hour(from_utc_timestamp(timestamp_millis(time), zone)) END AS local_cell
                      FROM es_fb_prompts)
                GROUP BY zone, utc_cell, local_cell
                """),
            result("weekly_seen", """
                SELECT \(Self.week("time")) AS week, count(DISTINCT person) AS persons FROM es_scope GROUP BY 1
                """),
            result("weekly_arrived", """
                SELECT \(Self.week("first")) AS week, count(*) AS persons
                FROM (SELECT person, min(time) AS first FROM es_scope GROUP BY person) GROUP BY 1
                """),
            result("weekly_prompts", """
                SELECT \(Self.week("time")) AS week, count(*) AS prompts, count_if(answered) AS answered FROM es_fb_prompts GROUP BY 1
                """),
            result("weekly_granted", """
                SELECT category, week, sum(delta) AS delta
                FROM (SELECT category, week,
                        g - COALESCE(lag(g) OVER (PARTITION BY person, category ORDER BY week), 0) AS delta
                      FROM (SELECT person, category, \(Self.week("time")) AS week,
                              CASE WHEN max_by(granted, struct(time, file, block, rid)) THEN 1 ELSE 0 END AS g
                            FROM es_consent_event WHERE time <= (SELECT max(now) FROM es_now)
                            GROUP BY person, category, \(Self.week("time"))))
                GROUP BY category, week
                """),
        ]
        if computesNPS {
            out.append(result("feedback_nps", """
                SELECT survey,
                  COALESCE(channel, CASE WHEN lp IS NOT NULL AND time - lp.time <= \(w) THEN lp.channel END, 'unknown') AS channel,
                  count_if(score >= 9) AS promoters, count_if(score BETWEEN 7 AND 8) AS passives, count_if(score <= 6) AS detractors
                FROM es_fb
                WHERE role = 1 AND score IS NOT NULL AND COALESCE(decl, lp.decl, 1) = 1
                GROUP BY 1, 2
                """))
        }
        return out
    }
}

extension SparkSQLCompiler {
    /// Per `keys`: prompts, answered prompts, persons prompted and answered, and the two middle times to answer (the
    /// exact median is their mean, computed by earshot) of the prompt rows `rows` (a query giving the `keys` columns
    /// and `person`, `answered`, `delay`). Shared by the whole store's loops and each segment's.
    static func loopCounts(keys: String, rows: String) -> String {
        """
        SELECT \(keys), count(*) AS prompts, count_if(answered) AS answered,
          count(DISTINCT person) AS persons_prompted, count(DISTINCT CASE WHEN answered THEN person END) AS persons_answered,
          max(CASE WHEN answered AND rk = (n + 1L) div 2L THEN delay END) AS median_low,
          max(CASE WHEN answered AND rk = n div 2L + 1L THEN delay END) AS median_high
        FROM (SELECT *, row_number() OVER (PARTITION BY \(keys), answered ORDER BY delay) AS rk,
                count_if(answered) OVER (PARTITION BY \(keys)) AS n
              FROM (\(rows)))
        GROUP BY \(keys)
        """
    }
}
