import Analytics
import EventStore

/// Prompt fatigue and the preferred channel in Spark SQL (docs/DEFINITIONS.md, "Prompt fatigue" and "Preferred
/// channel"; `FatigueMetrics`, `PreferredChannelMetrics`): integer counts per row and channel. earshot computes the
/// rates, picks each channel's best hour × weekday cell and applies the privacy guards (EngineReport+Fatigue.swift).
///
/// - The prompts and their `answered` flag are the feedback figures' (`es_fb_prompts`: same matching, same window).
/// - A person's prompts are in event order (time, then file order: `file`, `block`, `rid`), whatever their survey or
///   channel. **Ordinal**: the prompt's rank in that order minus the person's prompts more than 30 days before it
///   (a window `count(*)` over the time with the frame ending `30 days + 1 ms` before: a prompt exactly 30 days
///   earlier still counts), capped at 5. **Gap**: the time since the previous prompt in that order (`lag`), so the
///   later of two prompts in one millisecond has gap 0; buckets lower-inclusive.
/// - **Preferred channel**: the person's latest value of the trait as of `now` (column `pct` of the events, read as
///   the trait rules read traits, `pco` its PostHog `$set_once` kept only as the person's first entry for the key;
///   latest by time, then file order). Only a string counts: trimmed of Unicode white
///   space (`(?U)\s`, Java's White_Space as Swift's `isWhitespace`), empty is none, mapped by
///   `preferred_channel.values`, else the `channels` mapping (both ignoring case), else kept; lowercased.
/// - Each channel's hour × weekday cells (zone, UTC cell, local cell) as in `feedback_hour_weekday`: earshot's zone
///   rules decide which cell counts.
extension SparkSQLCompiler {
    /// The event column holding the preferred-channel trait's value as the event sets it (a typed struct, as the
    /// segment rules' trait columns `tr<i>`): identify `traits`, else `context.traits`, else `properties.$set`.
    var preferredChannelColumn: (name: String, sql: String) {
        let name = options.feedback.preferredChannelTrait
        return ("pct", Self.traitValue(name))
    }

    /// The event column holding the preferred-channel trait's value as the event's PostHog `$set_once` sets it
    /// (kept as in ``SparkSQLCompiler/latestTrait(set:once:order:)``).
    var preferredChannelOnceColumn: (name: String, sql: String) {
        ("pco", SegmentSQL.typedValue("v", path: "properties.$set_once." + options.feedback.preferredChannelTrait))
    }

    /// The channel a trimmed, non-empty trait text `t` names (`PreferredChannelMetrics.channel(of:)`): the configured
    /// value mapping, else the `channels` mapping, both matched on the lowercased text, else the text; lowercased.
    func preferredChannelMapping(_ t: String) -> String {
        let schema = options.feedback
        var branches: [(String, String)] = schema.preferredChannelValues.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        // The `channels` mapping by lowercased name (the first name in sorted order where two differ only in case).
        var seen = Set(branches.map(\.0))
        for (from, to) in schema.channelNames.sorted(by: { $0.key < $1.key }) {
            let key = from.lowercased()
            if seen.insert(key).inserted { branches.append((key, to)) }
        }
        guard !branches.isEmpty else { return "lower(\(t))" }
        let whens = branches.map { "WHEN \(Self.literal($0.0)) THEN \(Self.literal($0.1))" }.joined(separator: " ")
        return "lower(CASE lower(\(t)) \(whens) ELSE \(t) END)"
    }

    /// The prompt-fatigue and preferred-channel statements (after the feedback ones: they read `es_fb_prompts`).
    func fatigueStatements() -> [SQLStatement] {
        let day = CivilTime.msPerDay
        let span = Int64(FatigueMetrics.trailingDays) * day
        let gap = "time - lag(time) OVER w"
        return [
            view("es_fatigue_prompts", """
                SELECT person, channel, answered,
                  least(row_number() OVER w
                        - count(*) OVER (PARTITION BY person ORDER BY time RANGE BETWEEN UNBOUNDED PRECEDING AND \(span + 1)L PRECEDING),
                        \(FatigueMetrics.maxOrdinal)L) AS ordinal,
                  CASE WHEN \(gap) IS NULL THEN 0 WHEN \(gap) < \(day)L THEN 1 WHEN \(gap) < \(3 * day)L THEN 2
                       WHEN \(gap) < \(7 * day)L THEN 3 WHEN \(gap) < \(30 * day)L THEN 4 ELSE 5 END AS gap
                FROM es_fb_prompts
                WINDOW w AS (PARTITION BY person ORDER BY time, file, block, rid)
                """),
            // Per table (`ordinal`: 1…5, `gap`: the index into FatigueMetrics.gapNames) and channel (NULL: all).
            result("fatigue", """
                SELECT x.tbl, x.bucket, ch AS channel, count(*) AS prompts, count_if(answered) AS answered,
                  count(DISTINCT person) AS persons
                FROM es_fatigue_prompts
                LATERAL VIEW explode(array(named_struct('tbl', 'ordinal', 'bucket', ordinal),
                                           named_struct('tbl', 'gap', 'bucket', CAST(gap AS BIGINT)))) t AS x
                LATERAL VIEW explode(array(channel, CAST(NULL AS STRING))) c AS ch
                GROUP BY x.tbl, x.bucket, ch
                """),
            cached("es_pref", """
                SELECT person, CASE WHEN t <> '' THEN \(preferredChannelMapping("t")) END AS pref
                FROM (SELECT person, CASE WHEN v.t = 's' THEN regexp_replace(v.s, '(?U)^\\\\s+|\\\\s+\\\\z', '') END AS t
                      FROM (SELECT person, \(Self.latestTrait(set: "pct", once: "pco", order: "struct(time, file, block, rid)")) AS v
                            FROM es_scope GROUP BY person))
                """),
            result("preferred_persons", """
                SELECT pref AS channel, count(*) AS persons FROM es_pref WHERE pref IS NOT NULL GROUP BY pref
                """),
            // Per group (on_preferred, on_other, no_preference) and prompt channel (NULL: all).
            result("preferred_prompts", """
                SELECT grp, ch AS channel, count(*) AS prompts, count_if(answered) AS answered, count(DISTINCT person) AS persons
                FROM (SELECT p.person, p.channel, p.answered,
                        CASE WHEN r.pref IS NULL THEN 'no_preference' WHEN lower(p.channel) = r.pref THEN 'on_preferred'
                             ELSE 'on_other' END AS grp
                      FROM es_fb_prompts p LEFT JOIN es_pref r ON p.person = r.person)
                LATERAL VIEW explode(array(channel, CAST(NULL AS STRING))) c AS ch
                GROUP BY grp, ch
                """),
            result("preferred_cells", """
                SELECT channel, zone, utc_cell, local_cell, count(*) AS prompts, count_if(answered) AS answered
                FROM (SELECT channel, zone, answered, \(Self.promptCells)
                      FROM es_fb_prompts)
                GROUP BY channel, zone, utc_cell, local_cell
                """),
        ]
    }

    /// A prompt's UTC hour × weekday cell (`utc_cell`, `(weekday − 1) × 24 + hour`, Monday = 1) and its local cell in
    /// its zone (`local_cell`: NULL when the zone is absent or Java does not know it), as `feedback_hour_weekday`.
    static var promptCells: String {
        """
        pmod(\(floorDiv("time", "86400000L")) + 3L, 7L) * 24L + pmod(time, 86400000L) div 3600000L AS utc_cell,
                        CASE WHEN zone IS NOT NULL AND try_reflect('java.time.ZoneId', 'of', zone) IS NOT NULL
                             THEN CAST(pmod(dayofweek(from_utc_timestamp(timestamp_millis(time), zone)) + 5, 7) AS BIGINT) * 24L
                                  + hour(from_utc_timestamp(timestamp_millis(time), zone)) END AS local_cell
        """
    }
}
