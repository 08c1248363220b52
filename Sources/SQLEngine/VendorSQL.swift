import EventStore

/// The vendor shapes in Spark SQL, as the embedded reader's `VendorShape` (docs/EVENTS.md, "vendor → what earshot
/// reads"): Segment / RudderStack batch envelopes (`{"batch": [...], "sentAt": ..., "context": ...}`), PostHog's
/// `{"api_key": ..., "batch": [...], "sent_at": ...}` and PostHog events (`{"event", "distinct_id", "properties", ...}`).
///
/// A line is a vendor shape only when the plain reading fails for lack of a `type` string or of an id (as the
/// embedded reader, which only then classifies it). Its events are rewritten into Segment-shaped VARIANT objects
/// (`to_variant_object` of a map), so every later statement reads them like any other line's `v`; a batch's items
/// are exploded in order, each with the line's order key extended by its item index (`rid`, see ``orderKey``), so
/// "first copy wins" and every tie by file order stay exact.
extension SparkSQLCompiler {
    /// The order key's row id of a record: the line's row number within its split (`monotonically_increasing_id`
    /// without its partition bits: one split is read by one partition) times 2^30, plus the item index (1…n for a
    /// batch envelope's items, 0 for a line that is one record). A line holds at most 64 MiB, so fewer than 2^30 items.
    static func orderKey(rid: String, item: String) -> String {
        "shiftleft(\(rid) & 8589934591L, 30) + \(item)"
    }

    /// The VARIANT at a dotted path of `v` (keys such as `$time` bracketed), SQL NULL when absent.
    static func at(_ v: String, _ dotted: String) -> String {
        "variant_get(\(v), \(literal(SegmentSQL.jsonPath(dotted))))"
    }

    /// Whether the dotted path is present (any value, JSON `null` included), as the reader's `members.contains`.
    static func has(_ v: String, _ dotted: String) -> String { "\(at(v, dotted)) IS NOT NULL" }

    /// The string at a dotted path (NULL when absent or not a string).
    static func text(_ v: String, _ dotted: String) -> String {
        "CASE WHEN schema_of_variant(\(at(v, dotted))) = 'STRING' THEN variant_get(\(v), \(literal(SegmentSQL.jsonPath(dotted))), 'string') END"
    }

    /// An id at a dotted path as the reader's `idText`: a non-empty string, or an integer's text (NULL otherwise).
    static func idText(_ v: String, _ dotted: String) -> String {
        let p = literal(SegmentSQL.jsonPath(dotted))
        return """
            NULLIF(CASE WHEN schema_of_variant(variant_get(\(v), \(p))) = 'STRING' THEN variant_get(\(v), \(p), 'string')
                        WHEN schema_of_variant(variant_get(\(v), \(p))) IN ('BIGINT', 'INT', 'SMALLINT', 'TINYINT')
                          OR schema_of_variant(variant_get(\(v), \(p))) RLIKE '^DECIMAL[(][0-9]+,0[)]$'
                          THEN variant_get(\(v), \(p), 'string') END, '')
            """
    }

    /// `VendorShape.isPostHog`: no `type` (or PostHog's own `"type": "capture"`), an `event` string and one of
    /// `distinct_id`, `uuid` or `properties.distinct_id` (any value).
    static func isPostHog(_ v: String) -> String {
        """
        COALESCE((NOT \(has(v, "type")) OR \(text(v, "type")) = 'capture') AND \(text(v, "event")) IS NOT NULL
                 AND (\(has(v, "distinct_id")) OR \(has(v, "uuid")) OR \(has(v, "properties.distinct_id"))), FALSE)
        """
    }

    /// An empty `map<string,variant>`.
    static let emptyMap = "CAST(map() AS map<string,variant>)"

    /// The vendor steps of the base pipeline: `es_shape` (each parsed line's vendor shape, decided on the line as the
    /// reader decides it) and `es_item` (one row per record: a plain line as it is, a PostHog event rewritten, a batch
    /// envelope's items exploded and rewritten; an empty batch one row that is no record). Each row carries `line`, the
    /// record's own text for the answers (AnswersSQL.swift reads repeated keys from it): the line, or for a batch item
    /// that item's text as Spark's JSON reader writes it (`get_json_object(value, '$.batch[i]')`, duplicate keys kept).
    func vendorViews() -> [SQLStatement] {
        let s = Self.self
        let firstWalkFails = """
            (\(s.string("v0", "type")) IS NULL
                  OR (COALESCE(\(s.identifier("v0", "userId")), '') = '' AND COALESCE(\(s.identifier("v0", "anonymousId")), '') = ''))
            """
        // The envelope's `sentAt`/`sent_at`: the last of them (in document order) that holds a string.
        let sentAt = """
            CASE WHEN \(s.text("v0", "sentAt")) IS NOT NULL AND \(s.text("v0", "sent_at")) IS NOT NULL
                   THEN CASE WHEN array_position(reverse(json_object_keys(value)), 'sentAt')
                                  < array_position(reverse(json_object_keys(value)), 'sent_at')
                             THEN variant_get(v0, '$.sentAt') ELSE variant_get(v0, '$.sent_at') END
                 WHEN \(s.text("v0", "sentAt")) IS NOT NULL THEN variant_get(v0, '$.sentAt')
                 WHEN \(s.text("v0", "sent_at")) IS NOT NULL THEN variant_get(v0, '$.sent_at') END
            """
        let shape = view("es_shape", """
            SELECT file, block, rid, value, json_error, v0, shape,
              CASE WHEN shape = 'envelope' THEN try_variant_get(v0, '$.batch', 'array<variant>') END AS batch,
              CASE WHEN shape = 'envelope' THEN try_variant_get(v0, '$.context', 'map<string,variant>') END AS env_context,
              CASE WHEN shape = 'envelope' THEN \(sentAt) END AS sent
            FROM (SELECT *,
                    CASE WHEN json_error IS NULL AND \(firstWalkFails) THEN
                      CASE WHEN \(s.has("v0", "batch")) AND NOT \(s.has("v0", "type")) THEN 'envelope'
                           WHEN \(s.isPostHog("v0")) THEN 'posthog' END END AS shape
                  FROM (SELECT file, block, rid, value, json_error, CASE WHEN json_error IS NULL THEN variant_get(w, '$[0]') END AS v0
                        FROM es_json))
            """)
        // A batch item as the reader's `segmentItem`: the envelope's context members the item's own `context` lacks
        // added (the item's value winning), the envelope's `sentAt` the `timestamp` of an item without a time.
        let itemContext = "COALESCE(try_variant_get(e, '$.context', 'map<string,variant>'), \(s.emptyMap))"
        let merged = """
            map_concat(map_filter(COALESCE(env_context, \(s.emptyMap)), (k, y) -> NOT map_contains_key(\(itemContext), k)), \(itemContext))
            """
        let hasTime = "(\(s.present("e", "timestamp")) OR \(s.present("e", "originalTimestamp")) OR \(s.present("e", "receivedAt")))"
        let segmentItem = """
            to_variant_object(map_concat(
                  map_filter(try_variant_get(e, '$', 'map<string,variant>'),
                             (k, y) -> k <> 'context' AND NOT (k = 'timestamp' AND NOT \(hasTime) AND sent IS NOT NULL)),
                  map_filter(map('context', CASE WHEN cardinality(\(merged)) > 0 THEN to_variant_object(\(merged)) END,
                                 'timestamp', CASE WHEN NOT \(hasTime) THEN sent END), (k, y) -> y IS NOT NULL)))
            """
        // A PostHog event as the reader's `postHogEvent` (docs/EVENTS.md): kind by event name, ids, messageId, name,
        // time (`timestamp`, else `properties.$time` in epoch seconds, else the envelope's `sent_at`), page path and
        // zone into `context`, `properties` with a top-level `$set` / `$set_once` moved in.
        let ph = "ph AND json_error IS NULL"
        let postHogFields = """
            CASE WHEN \(ph) THEN \(s.text("e", "event")) END AS ph_event,
                    CASE WHEN \(ph) THEN COALESCE(\(s.idText("e", "distinct_id")), \(s.idText("e", "properties.distinct_id"))) END AS ph_distinct,
                    CASE WHEN \(ph) THEN \(s.idText("e", "properties.alias")) END AS ph_alias,
                    CASE WHEN \(ph) THEN \(s.idText("e", "properties.$anon_distinct_id")) END AS ph_anon,
                    CASE WHEN \(ph) AND NOT (\(s.present("e", "timestamp")))
                              AND (schema_of_variant(\(s.at("e", "properties.$time"))) IN ('TINYINT', 'SMALLINT', 'INT', 'BIGINT', 'FLOAT', 'DOUBLE')
                                   OR schema_of_variant(\(s.at("e", "properties.$time"))) LIKE 'DECIMAL%')
                         THEN variant_get(e, \(s.literal(SegmentSQL.jsonPath("properties.$time"))), 'double') END AS ph_seconds
            """
        let minSeconds = ISO8601Time.minMilliseconds / 1000
        let postHogDerived = """
            CASE ph_event WHEN '$pageview' THEN 'page' WHEN '$screen' THEN 'screen' WHEN '$identify' THEN 'identify'
                          WHEN '$create_alias' THEN 'alias' WHEN '$set' THEN 'identify' WHEN '$groupidentify' THEN 'group'
                          ELSE 'track' END AS ph_kind,
                    CASE WHEN ph_seconds >= \(minSeconds).0D AND ph_seconds < 253402300800.0D THEN floor(ph_seconds * 1000.0D) END AS ph_ms
            """
        let isoTime = """
            format_string('%04d-%02d-%02dT%02d:%02d:%02d.%03dZ',
                          year(ph_date), month(ph_date), day(ph_date), ph_rem div 3600000L, ph_rem div 60000L % 60L,
                          ph_rem div 1000L % 60L, ph_rem % 1000L)
            """
        let path = """
            CASE WHEN ph_kind = 'page' THEN COALESCE(\(s.text("e", "properties.$pathname")), \(s.urlPath(s.text("e", "properties.$current_url")))) END
            """
        let zone = s.text("e", "properties.$timezone")
        let props = "try_variant_get(e, '$.properties', 'map<string,variant>')"
        let setTop = s.at("e", "$set"), onceTop = s.at("e", "$set_once")
        let properties = """
            CASE WHEN COALESCE(cardinality(\(props)), 0) > 0 OR \(setTop) IS NOT NULL OR \(onceTop) IS NOT NULL
                   THEN to_variant_object(map_concat(
                          map_filter(COALESCE(\(props), \(s.emptyMap)),
                                     (k, y) -> NOT (k = '$set' AND \(setTop) IS NOT NULL) AND NOT (k = '$set_once' AND \(onceTop) IS NOT NULL)),
                          map_filter(map('$set', \(setTop), '$set_once', \(onceTop)), (k, y) -> y IS NOT NULL)))
                 ELSE variant_get(e, '$.properties') END
            """
        let title = """
            CASE WHEN \(s.has("e", "properties.title")) THEN \(s.text("e", "properties.title")) ELSE \(s.text("e", "properties.$title")) END
            """
        let postHogEvent = """
            to_variant_object(map_filter(map(
                  'type', CAST(ph_kind AS VARIANT),
                  'messageId', CASE WHEN schema_of_variant(variant_get(e, '$.uuid')) = 'STRING' THEN variant_get(e, '$.uuid') END,
                  'userId', CAST(CASE ph_event WHEN '$identify' THEN ph_distinct WHEN '$create_alias' THEN ph_alias END AS VARIANT),
                  'anonymousId', CAST(CASE ph_event WHEN '$identify' THEN ph_anon
                                                    WHEN '$create_alias' THEN CASE WHEN ph_alias IS NULL THEN ph_distinct END
                                                    ELSE ph_distinct END AS VARIANT),
                  'previousId', CAST(CASE WHEN ph_event = '$create_alias' AND ph_alias IS NOT NULL THEN ph_distinct END AS VARIANT),
                  'event', CAST(CASE WHEN ph_kind IN ('track', 'group') THEN ph_event END AS VARIANT),
                  'name', CAST(CASE ph_kind WHEN 'screen' THEN \(s.text("e", "properties.$screen_name"))
                                            WHEN 'page' THEN \(title) END AS VARIANT),
                  'timestamp', CASE WHEN \(s.present("e", "timestamp")) THEN variant_get(e, '$.timestamp')
                                    WHEN ph_ms IS NOT NULL THEN CAST(\(isoTime) AS VARIANT)
                                    ELSE sent END,
                  'context', CASE WHEN ph_path IS NOT NULL OR ph_zone IS NOT NULL THEN to_variant_object(map_filter(map(
                                    'page', CASE WHEN ph_path IS NOT NULL THEN to_variant_object(map('path', CAST(ph_path AS VARIANT))) END,
                                    'timezone', CAST(ph_zone AS VARIANT)), (k, y) -> y IS NOT NULL)) END,
                  'properties', \(properties)), (k, y) -> y IS NOT NULL))
            """
        let item = view("es_item", """
            SELECT file, block, \(s.orderKey(rid: "rid", item: "item")) AS rid, json_error, envelope, item, record,
              CASE WHEN shape = 'envelope' AND NOT envelope THEN 'batch is not an array'
                   WHEN envelope AND record AND NOT is_object THEN 'batch item: not a JSON object'
                   WHEN ph AND ph_distinct IS NULL THEN concat(CASE WHEN envelope THEN 'batch item: ' ELSE '' END, 'PostHog event without distinct_id')
                   WHEN NOT record THEN 'empty batch' END AS item_error,
              CASE WHEN ph THEN \(postHogEvent)
                   WHEN envelope AND record AND is_object THEN \(segmentItem)
                   ELSE e END AS v,
              CASE WHEN envelope AND record THEN get_json_object(value, concat('$.batch[', CAST(item - 1 AS STRING), ']'))
                   ELSE value END AS line
            FROM (SELECT *, date_add(DATE'1970-01-01', CAST(ph_ms div 86400000L - CASE WHEN ph_ms % 86400000L < 0L THEN 1L ELSE 0L END AS INT)) AS ph_date,
                    ph_ms - (ph_ms div 86400000L - CASE WHEN ph_ms % 86400000L < 0L THEN 1L ELSE 0L END) * 86400000L AS ph_rem,
                    CASE WHEN ph THEN \(path) END AS ph_path,
                    CASE WHEN ph THEN \(zone) END AS ph_zone
                  FROM (SELECT *, \(postHogDerived)
                        FROM (SELECT *, \(postHogFields)
                              FROM (SELECT *, shape = 'posthog' OR (envelope AND record AND is_object AND \(s.isPostHog("e"))) AS ph
                                    FROM (SELECT file, block, rid, value, json_error, shape, env_context, sent, envelope,
                                            CASE WHEN envelope THEN COALESCE(pos + 1, 0) ELSE 0 END AS item,
                                            NOT envelope OR pos IS NOT NULL AS record,
                                            CASE WHEN envelope THEN x ELSE v0 END AS e,
                                            envelope AND pos IS NOT NULL AND try_variant_get(x, '$', 'map<string,variant>') IS NOT NULL AS is_object
                                          FROM (SELECT *, shape = 'envelope' AND batch IS NOT NULL AS envelope FROM es_shape)
                                          LATERAL VIEW OUTER posexplode(CASE WHEN envelope THEN batch ELSE array(v0) END) p AS pos, x)))))
            """)
        return [shape, item]
    }

    /// The path of a URL as the reader's `VendorShape.urlPath` (`https://shop.example/baby/toys?x=1` → `/baby/toys`;
    /// after `scheme://` the path starts at the first `/`, none without one; cut at `?` or `#`; NULL when empty).
    static func urlPath(_ url: String) -> String {
        """
        CASE WHEN regexp_like(\(url), '^[^/?#]*://')
                   THEN NULLIF(regexp_extract(regexp_extract(\(url), '(?s)^[^/?#]*://[^/]*(/.*)', 1), '^[^?#]*', 0), '')
                   ELSE NULLIF(regexp_extract(\(url), '^[^?#]*', 0), '') END
        """
    }
}
