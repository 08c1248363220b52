-- view: es_json
CREATE OR REPLACE TEMP VIEW es_json AS
SELECT file, block, rid, value, w,
  CASE WHEN w IS NULL OR variant_get(w, '$[2]') IS NOT NULL
            OR try_variant_get(w, '$[1]', 'bigint') IS DISTINCT FROM 0L THEN 'invalid JSON'
       WHEN NOT regexp_like(value, '^[ \\t\\r\\n]*[{]') THEN 'not a JSON object' END AS json_error
FROM (SELECT file, block, rid, value,
        COALESCE(try_parse_json(concat('[', value, '\n,0]')),
                 try_parse_json(regexp_replace(concat('[', value, '\n,0]'), '\\\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\\\u[dD][c-fC-F][0-9a-fA-F]{2})|(?<!\\\\u[dD][89abAB][0-9a-fA-F]{2})\\\\u[dD][c-fC-F][0-9a-fA-F]{2}', '\\\\uFFFD'))) AS w
      FROM earshot_lines
      WHERE NOT regexp_like(value, '^[ \\t\\r\\n]*\\z'));

-- view: es_shape
CREATE OR REPLACE TEMP VIEW es_shape AS
SELECT file, block, rid, value, json_error, v0, shape,
  CASE WHEN shape = 'envelope' THEN try_variant_get(v0, '$.batch', 'array<variant>') END AS batch,
  CASE WHEN shape = 'envelope' THEN try_variant_get(v0, '$.context', 'map<string,variant>') END AS env_context,
  CASE WHEN shape = 'envelope' THEN CASE WHEN CASE WHEN schema_of_variant(variant_get(v0, '$.sentAt')) = 'STRING' THEN variant_get(v0, '$.sentAt', 'string') END IS NOT NULL AND CASE WHEN schema_of_variant(variant_get(v0, '$.sent_at')) = 'STRING' THEN variant_get(v0, '$.sent_at', 'string') END IS NOT NULL
       THEN CASE WHEN array_position(reverse(json_object_keys(value)), 'sentAt')
                      < array_position(reverse(json_object_keys(value)), 'sent_at')
                 THEN variant_get(v0, '$.sentAt') ELSE variant_get(v0, '$.sent_at') END
     WHEN CASE WHEN schema_of_variant(variant_get(v0, '$.sentAt')) = 'STRING' THEN variant_get(v0, '$.sentAt', 'string') END IS NOT NULL THEN variant_get(v0, '$.sentAt')
     WHEN CASE WHEN schema_of_variant(variant_get(v0, '$.sent_at')) = 'STRING' THEN variant_get(v0, '$.sent_at', 'string') END IS NOT NULL THEN variant_get(v0, '$.sent_at') END END AS sent
FROM (SELECT *,
        CASE WHEN json_error IS NULL AND (CASE WHEN schema_of_variant(variant_get(v0, '$.type')) = 'STRING' THEN variant_get(v0, '$.type', 'string') END IS NULL
      OR (COALESCE(CASE WHEN schema_of_variant(variant_get(v0, '$.userId')) = 'STRING' THEN variant_get(v0, '$.userId', 'string')
     WHEN schema_of_variant(variant_get(v0, '$.userId')) IN ('BIGINT', 'INT', 'SMALLINT', 'TINYINT')
       THEN variant_get(v0, '$.userId', 'string') END, '') = '' AND COALESCE(CASE WHEN schema_of_variant(variant_get(v0, '$.anonymousId')) = 'STRING' THEN variant_get(v0, '$.anonymousId', 'string')
     WHEN schema_of_variant(variant_get(v0, '$.anonymousId')) IN ('BIGINT', 'INT', 'SMALLINT', 'TINYINT')
       THEN variant_get(v0, '$.anonymousId', 'string') END, '') = '')) THEN
          CASE WHEN variant_get(v0, '$.batch') IS NOT NULL AND NOT variant_get(v0, '$.type') IS NOT NULL THEN 'envelope'
               WHEN COALESCE((NOT variant_get(v0, '$.type') IS NOT NULL OR CASE WHEN schema_of_variant(variant_get(v0, '$.type')) = 'STRING' THEN variant_get(v0, '$.type', 'string') END = 'capture') AND CASE WHEN schema_of_variant(variant_get(v0, '$.event')) = 'STRING' THEN variant_get(v0, '$.event', 'string') END IS NOT NULL
         AND (variant_get(v0, '$.distinct_id') IS NOT NULL OR variant_get(v0, '$.uuid') IS NOT NULL OR variant_get(v0, '$.properties.distinct_id') IS NOT NULL), FALSE) THEN 'posthog' END END AS shape
      FROM (SELECT file, block, rid, value, json_error, CASE WHEN json_error IS NULL THEN variant_get(w, '$[0]') END AS v0
            FROM es_json));

-- view: es_item
CREATE OR REPLACE TEMP VIEW es_item AS
SELECT file, block, shiftleft(rid & 8589934591L, 30) + item AS rid, json_error, envelope, item, record,
  CASE WHEN shape = 'envelope' AND NOT envelope THEN 'batch is not an array'
       WHEN envelope AND record AND NOT is_object THEN 'batch item: not a JSON object'
       WHEN ph AND ph_distinct IS NULL THEN concat(CASE WHEN envelope THEN 'batch item: ' ELSE '' END, 'PostHog event without distinct_id')
       WHEN NOT record THEN 'empty batch' END AS item_error,
  CASE WHEN ph THEN to_variant_object(map_filter(map(
      'type', CAST(ph_kind AS VARIANT),
      'messageId', CASE WHEN schema_of_variant(variant_get(e, '$.uuid')) = 'STRING' THEN variant_get(e, '$.uuid') END,
      'userId', CAST(CASE ph_event WHEN '$identify' THEN ph_distinct WHEN '$create_alias' THEN ph_alias END AS VARIANT),
      'anonymousId', CAST(CASE ph_event WHEN '$identify' THEN ph_anon
                                        WHEN '$create_alias' THEN CASE WHEN ph_alias IS NULL THEN ph_distinct END
                                        ELSE ph_distinct END AS VARIANT),
      'previousId', CAST(CASE WHEN ph_event = '$create_alias' AND ph_alias IS NOT NULL THEN ph_distinct END AS VARIANT),
      'event', CAST(CASE WHEN ph_kind IN ('track', 'group') THEN ph_event END AS VARIANT),
      'name', CAST(CASE ph_kind WHEN 'screen' THEN CASE WHEN schema_of_variant(variant_get(e, '$.properties[\'$screen_name\']')) = 'STRING' THEN variant_get(e, '$.properties[\'$screen_name\']', 'string') END
                                WHEN 'page' THEN CASE WHEN variant_get(e, '$.properties.title') IS NOT NULL THEN CASE WHEN schema_of_variant(variant_get(e, '$.properties.title')) = 'STRING' THEN variant_get(e, '$.properties.title', 'string') END ELSE CASE WHEN schema_of_variant(variant_get(e, '$.properties[\'$title\']')) = 'STRING' THEN variant_get(e, '$.properties[\'$title\']', 'string') END END END AS VARIANT),
      'timestamp', CASE WHEN variant_get(e, '$.timestamp') IS NOT NULL AND NOT is_variant_null(variant_get(e, '$.timestamp')) THEN variant_get(e, '$.timestamp')
                        WHEN ph_ms IS NOT NULL THEN CAST(format_string('%04d-%02d-%02dT%02d:%02d:%02d.%03dZ',
              year(ph_date), month(ph_date), day(ph_date), ph_rem div 3600000L, ph_rem div 60000L % 60L,
              ph_rem div 1000L % 60L, ph_rem % 1000L) AS VARIANT)
                        ELSE sent END,
      'context', CASE WHEN ph_path IS NOT NULL OR ph_zone IS NOT NULL THEN to_variant_object(map_filter(map(
                        'page', CASE WHEN ph_path IS NOT NULL THEN to_variant_object(map('path', CAST(ph_path AS VARIANT))) END,
                        'timezone', CAST(ph_zone AS VARIANT)), (k, y) -> y IS NOT NULL)) END,
      'properties', CASE WHEN COALESCE(cardinality(try_variant_get(e, '$.properties', 'map<string,variant>')), 0) > 0 OR variant_get(e, '$[\'$set\']') IS NOT NULL OR variant_get(e, '$[\'$set_once\']') IS NOT NULL
       THEN to_variant_object(map_concat(
              map_filter(COALESCE(try_variant_get(e, '$.properties', 'map<string,variant>'), CAST(map() AS map<string,variant>)),
                         (k, y) -> NOT (k = '$set' AND variant_get(e, '$[\'$set\']') IS NOT NULL) AND NOT (k = '$set_once' AND variant_get(e, '$[\'$set_once\']') IS NOT NULL)),
              map_filter(map('$set', variant_get(e, '$[\'$set\']'), '$set_once', variant_get(e, '$[\'$set_once\']')), (k, y) -> y IS NOT NULL)))
     ELSE variant_get(e, '$.properties') END), (k, y) -> y IS NOT NULL))
       WHEN envelope AND record AND is_object THEN to_variant_object(map_concat(
      map_filter(try_variant_get(e, '$', 'map<string,variant>'),
                 (k, y) -> k <> 'context' AND NOT (k = 'timestamp' AND NOT (variant_get(e, '$.timestamp') IS NOT NULL AND NOT is_variant_null(variant_get(e, '$.timestamp')) OR variant_get(e, '$.originalTimestamp') IS NOT NULL AND NOT is_variant_null(variant_get(e, '$.originalTimestamp')) OR variant_get(e, '$.receivedAt') IS NOT NULL AND NOT is_variant_null(variant_get(e, '$.receivedAt'))) AND sent IS NOT NULL)),
      map_filter(map('context', CASE WHEN cardinality(map_concat(map_filter(COALESCE(env_context, CAST(map() AS map<string,variant>)), (k, y) -> NOT map_contains_key(COALESCE(try_variant_get(e, '$.context', 'map<string,variant>'), CAST(map() AS map<string,variant>)), k)), COALESCE(try_variant_get(e, '$.context', 'map<string,variant>'), CAST(map() AS map<string,variant>)))) > 0 THEN to_variant_object(map_concat(map_filter(COALESCE(env_context, CAST(map() AS map<string,variant>)), (k, y) -> NOT map_contains_key(COALESCE(try_variant_get(e, '$.context', 'map<string,variant>'), CAST(map() AS map<string,variant>)), k)), COALESCE(try_variant_get(e, '$.context', 'map<string,variant>'), CAST(map() AS map<string,variant>)))) END,
                     'timestamp', CASE WHEN NOT (variant_get(e, '$.timestamp') IS NOT NULL AND NOT is_variant_null(variant_get(e, '$.timestamp')) OR variant_get(e, '$.originalTimestamp') IS NOT NULL AND NOT is_variant_null(variant_get(e, '$.originalTimestamp')) OR variant_get(e, '$.receivedAt') IS NOT NULL AND NOT is_variant_null(variant_get(e, '$.receivedAt'))) THEN sent END), (k, y) -> y IS NOT NULL)))
       ELSE e END AS v,
  CASE WHEN envelope AND record THEN get_json_object(value, concat('$.batch[', CAST(item - 1 AS STRING), ']'))
       ELSE value END AS line
FROM (SELECT *, date_add(DATE'1970-01-01', CAST(ph_ms div 86400000L - CASE WHEN ph_ms % 86400000L < 0L THEN 1L ELSE 0L END AS INT)) AS ph_date,
        ph_ms - (ph_ms div 86400000L - CASE WHEN ph_ms % 86400000L < 0L THEN 1L ELSE 0L END) * 86400000L AS ph_rem,
        CASE WHEN ph THEN CASE WHEN ph_kind = 'page' THEN COALESCE(CASE WHEN schema_of_variant(variant_get(e, '$.properties[\'$pathname\']')) = 'STRING' THEN variant_get(e, '$.properties[\'$pathname\']', 'string') END, CASE WHEN regexp_like(CASE WHEN schema_of_variant(variant_get(e, '$.properties[\'$current_url\']')) = 'STRING' THEN variant_get(e, '$.properties[\'$current_url\']', 'string') END, '^[^/?#]*://')
           THEN NULLIF(regexp_extract(regexp_extract(CASE WHEN schema_of_variant(variant_get(e, '$.properties[\'$current_url\']')) = 'STRING' THEN variant_get(e, '$.properties[\'$current_url\']', 'string') END, '(?s)^[^/?#]*://[^/]*(/.*)', 1), '^[^?#]*', 0), '')
           ELSE NULLIF(regexp_extract(CASE WHEN schema_of_variant(variant_get(e, '$.properties[\'$current_url\']')) = 'STRING' THEN variant_get(e, '$.properties[\'$current_url\']', 'string') END, '^[^?#]*', 0), '') END) END END AS ph_path,
        CASE WHEN ph THEN CASE WHEN schema_of_variant(variant_get(e, '$.properties[\'$timezone\']')) = 'STRING' THEN variant_get(e, '$.properties[\'$timezone\']', 'string') END END AS ph_zone
      FROM (SELECT *, CASE ph_event WHEN '$pageview' THEN 'page' WHEN '$screen' THEN 'screen' WHEN '$identify' THEN 'identify'
              WHEN '$create_alias' THEN 'alias' WHEN '$set' THEN 'identify' WHEN '$groupidentify' THEN 'group'
              ELSE 'track' END AS ph_kind,
        CASE WHEN ph_seconds >= -62167219200.0D AND ph_seconds < 253402300800.0D THEN floor(ph_seconds * 1000.0D) END AS ph_ms
            FROM (SELECT *, CASE WHEN ph AND json_error IS NULL THEN CASE WHEN schema_of_variant(variant_get(e, '$.event')) = 'STRING' THEN variant_get(e, '$.event', 'string') END END AS ph_event,
        CASE WHEN ph AND json_error IS NULL THEN COALESCE(NULLIF(CASE WHEN schema_of_variant(variant_get(e, '$.distinct_id')) = 'STRING' THEN variant_get(e, '$.distinct_id', 'string')
            WHEN schema_of_variant(variant_get(e, '$.distinct_id')) IN ('BIGINT', 'INT', 'SMALLINT', 'TINYINT')
              OR schema_of_variant(variant_get(e, '$.distinct_id')) RLIKE '^DECIMAL[(][0-9]+,0[)]$'
              THEN variant_get(e, '$.distinct_id', 'string') END, ''), NULLIF(CASE WHEN schema_of_variant(variant_get(e, '$.properties.distinct_id')) = 'STRING' THEN variant_get(e, '$.properties.distinct_id', 'string')
            WHEN schema_of_variant(variant_get(e, '$.properties.distinct_id')) IN ('BIGINT', 'INT', 'SMALLINT', 'TINYINT')
              OR schema_of_variant(variant_get(e, '$.properties.distinct_id')) RLIKE '^DECIMAL[(][0-9]+,0[)]$'
              THEN variant_get(e, '$.properties.distinct_id', 'string') END, '')) END AS ph_distinct,
        CASE WHEN ph AND json_error IS NULL THEN NULLIF(CASE WHEN schema_of_variant(variant_get(e, '$.properties.alias')) = 'STRING' THEN variant_get(e, '$.properties.alias', 'string')
            WHEN schema_of_variant(variant_get(e, '$.properties.alias')) IN ('BIGINT', 'INT', 'SMALLINT', 'TINYINT')
              OR schema_of_variant(variant_get(e, '$.properties.alias')) RLIKE '^DECIMAL[(][0-9]+,0[)]$'
              THEN variant_get(e, '$.properties.alias', 'string') END, '') END AS ph_alias,
        CASE WHEN ph AND json_error IS NULL THEN NULLIF(CASE WHEN schema_of_variant(variant_get(e, '$.properties[\'$anon_distinct_id\']')) = 'STRING' THEN variant_get(e, '$.properties[\'$anon_distinct_id\']', 'string')
            WHEN schema_of_variant(variant_get(e, '$.properties[\'$anon_distinct_id\']')) IN ('BIGINT', 'INT', 'SMALLINT', 'TINYINT')
              OR schema_of_variant(variant_get(e, '$.properties[\'$anon_distinct_id\']')) RLIKE '^DECIMAL[(][0-9]+,0[)]$'
              THEN variant_get(e, '$.properties[\'$anon_distinct_id\']', 'string') END, '') END AS ph_anon,
        CASE WHEN ph AND json_error IS NULL AND NOT (variant_get(e, '$.timestamp') IS NOT NULL AND NOT is_variant_null(variant_get(e, '$.timestamp')))
                  AND (schema_of_variant(variant_get(e, '$.properties[\'$time\']')) IN ('TINYINT', 'SMALLINT', 'INT', 'BIGINT', 'FLOAT', 'DOUBLE')
                       OR schema_of_variant(variant_get(e, '$.properties[\'$time\']')) LIKE 'DECIMAL%')
             THEN variant_get(e, '$.properties[\'$time\']', 'double') END AS ph_seconds
                  FROM (SELECT *, shape = 'posthog' OR (envelope AND record AND is_object AND COALESCE((NOT variant_get(e, '$.type') IS NOT NULL OR CASE WHEN schema_of_variant(variant_get(e, '$.type')) = 'STRING' THEN variant_get(e, '$.type', 'string') END = 'capture') AND CASE WHEN schema_of_variant(variant_get(e, '$.event')) = 'STRING' THEN variant_get(e, '$.event', 'string') END IS NOT NULL
         AND (variant_get(e, '$.distinct_id') IS NOT NULL OR variant_get(e, '$.uuid') IS NOT NULL OR variant_get(e, '$.properties.distinct_id') IS NOT NULL), FALSE)) AS ph
                        FROM (SELECT file, block, rid, value, json_error, shape, env_context, sent, envelope,
                                CASE WHEN envelope THEN COALESCE(pos + 1, 0) ELSE 0 END AS item,
                                NOT envelope OR pos IS NOT NULL AS record,
                                CASE WHEN envelope THEN x ELSE v0 END AS e,
                                envelope AND pos IS NOT NULL AND try_variant_get(x, '$', 'map<string,variant>') IS NOT NULL AS is_object
                              FROM (SELECT *, shape = 'envelope' AND batch IS NOT NULL AS envelope FROM es_shape)
                              LATERAL VIEW OUTER posexplode(CASE WHEN envelope THEN batch ELSE array(v0) END) p AS pos, x)))));

-- view: es_rec
CREATE OR REPLACE TEMP VIEW es_rec AS
SELECT file, block, rid, json_error, item_error, envelope, item, record, v,
  CASE WHEN schema_of_variant(variant_get(v, '$.type')) = 'STRING' THEN variant_get(v, '$.type', 'string') END AS type_text,
  CASE WHEN schema_of_variant(variant_get(v, '$.userId')) = 'STRING' THEN variant_get(v, '$.userId', 'string')
     WHEN schema_of_variant(variant_get(v, '$.userId')) IN ('BIGINT', 'INT', 'SMALLINT', 'TINYINT')
       THEN variant_get(v, '$.userId', 'string') END AS uid,
  CASE WHEN schema_of_variant(variant_get(v, '$.anonymousId')) = 'STRING' THEN variant_get(v, '$.anonymousId', 'string')
     WHEN schema_of_variant(variant_get(v, '$.anonymousId')) IN ('BIGINT', 'INT', 'SMALLINT', 'TINYINT')
       THEN variant_get(v, '$.anonymousId', 'string') END AS aid,
  CASE WHEN schema_of_variant(variant_get(v, '$.previousId')) = 'STRING' THEN variant_get(v, '$.previousId', 'string')
     WHEN schema_of_variant(variant_get(v, '$.previousId')) IN ('BIGINT', 'INT', 'SMALLINT', 'TINYINT')
       THEN variant_get(v, '$.previousId', 'string') END AS prev,
  CASE WHEN schema_of_variant(variant_get(v, '$.messageId')) = 'STRING' THEN variant_get(v, '$.messageId', 'string') END AS mid,
  CASE WHEN schema_of_variant(variant_get(v, '$.event')) = 'STRING' THEN variant_get(v, '$.event', 'string') END AS event_text,
  CASE WHEN schema_of_variant(variant_get(v, '$.name')) = 'STRING' THEN variant_get(v, '$.name', 'string') END AS name_text,
  tfield, CASE WHEN schema_of_variant(variant_get(tval, '$')) = 'STRING' THEN variant_get(tval, '$', 'string') END AS ttext,
  concat(
    COALESCE(transform(map_entries(map_filter(
      try_variant_get(v, '$.context.consent.categoryPreferences', 'map<string,variant>'),
      (k, x) -> schema_of_variant(x) = 'BOOLEAN')),
      x -> named_struct('category', x.key, 'granted', variant_get(x.value, '$', 'boolean'), 'src', 0, 'pos', 0,
                        'label', CAST(NULL AS STRING))),
      CAST(array() AS array<struct<category: string, granted: boolean, src: int, pos: int, label: string>>)),
    COALESCE(transform(filter(try_variant_get(v, '$.context.consentManagement.allowedConsentIds', 'array<variant>'),
                         x -> schema_of_variant(x) = 'STRING' AND variant_get(x, '$', 'string') <> ''),
                  (x, i) -> named_struct('category', variant_get(x, '$', 'string'), 'granted', TRUE,
                                         'src', 1, 'pos', i, 'label', CAST(NULL AS STRING))), CAST(array() AS array<struct<category: string, granted: boolean, src: int, pos: int, label: string>>)),
      COALESCE(transform(filter(map_entries(try_variant_get(v, '$.context.consentManagement.allowedConsentIds', 'map<string,variant>')), x -> x.key <> ''),
                  (x, i) -> named_struct('category', x.key, 'granted', TRUE, 'src', 1, 'pos', i,
                                         'label', CASE WHEN schema_of_variant(x.value) = 'STRING'
                                                       THEN variant_get(x.value, '$', 'string') END)), CAST(array() AS array<struct<category: string, granted: boolean, src: int, pos: int, label: string>>)),
    COALESCE(transform(filter(try_variant_get(v, '$.context.consentManagement.deniedConsentIds', 'array<variant>'),
                         x -> schema_of_variant(x) = 'STRING' AND variant_get(x, '$', 'string') <> ''),
                  (x, i) -> named_struct('category', variant_get(x, '$', 'string'), 'granted', FALSE,
                                         'src', 2, 'pos', i, 'label', CAST(NULL AS STRING))), CAST(array() AS array<struct<category: string, granted: boolean, src: int, pos: int, label: string>>)),
      COALESCE(transform(filter(map_entries(try_variant_get(v, '$.context.consentManagement.deniedConsentIds', 'map<string,variant>')), x -> x.key <> ''),
                  (x, i) -> named_struct('category', x.key, 'granted', FALSE, 'src', 2, 'pos', i,
                                         'label', CASE WHEN schema_of_variant(x.value) = 'STRING'
                                                       THEN variant_get(x.value, '$', 'string') END)), CAST(array() AS array<struct<category: string, granted: boolean, src: int, pos: int, label: string>>))) AS consent,
  COALESCE(cardinality(try_variant_get(v, '$.context.consent.categoryPreferences', 'map<string,variant>')) = 0, FALSE)
    AS consent_cleared,
  CASE WHEN type_text = 'track' AND event_text IN ('Survey Shown', 'survey shown') THEN 0
     WHEN type_text = 'track' AND event_text IN ('Survey Sent', 'survey sent') THEN 1
     WHEN type_text = 'track' AND event_text IN ('Survey Dismissed', 'survey dismissed') THEN 2 END AS fb_role,
  COALESCE(CASE WHEN schema_of_variant(variant_get(v, '$.properties.survey_id')) = 'STRING' THEN NULLIF(variant_get(variant_get(v, '$.properties.survey_id'), '$', 'string'), '')
     WHEN schema_of_variant(variant_get(v, '$.properties.survey_id')) IN ('BIGINT', 'INT', 'SMALLINT', 'TINYINT') THEN variant_get(variant_get(v, '$.properties.survey_id'), '$', 'string')
     WHEN schema_of_variant(variant_get(v, '$.properties.survey_id')) RLIKE '^(DOUBLE|FLOAT|DECIMAL.*)$' THEN
       CASE WHEN try_variant_get(variant_get(v, '$.properties.survey_id'), '$', 'double') = floor(try_variant_get(variant_get(v, '$.properties.survey_id'), '$', 'double'))
                 AND abs(try_variant_get(variant_get(v, '$.properties.survey_id'), '$', 'double')) < CAST('9.0e15' AS DOUBLE)
            THEN CAST(CAST(try_variant_get(variant_get(v, '$.properties.survey_id'), '$', 'double') AS BIGINT) AS STRING)
            ELSE CAST(try_variant_get(variant_get(v, '$.properties.survey_id'), '$', 'double') AS STRING) END END,
CASE WHEN schema_of_variant(variant_get(v, '$.properties[\'$survey_id\']')) = 'STRING' THEN NULLIF(variant_get(variant_get(v, '$.properties[\'$survey_id\']'), '$', 'string'), '')
     WHEN schema_of_variant(variant_get(v, '$.properties[\'$survey_id\']')) IN ('BIGINT', 'INT', 'SMALLINT', 'TINYINT') THEN variant_get(variant_get(v, '$.properties[\'$survey_id\']'), '$', 'string')
     WHEN schema_of_variant(variant_get(v, '$.properties[\'$survey_id\']')) RLIKE '^(DOUBLE|FLOAT|DECIMAL.*)$' THEN
       CASE WHEN try_variant_get(variant_get(v, '$.properties[\'$survey_id\']'), '$', 'double') = floor(try_variant_get(variant_get(v, '$.properties[\'$survey_id\']'), '$', 'double'))
                 AND abs(try_variant_get(variant_get(v, '$.properties[\'$survey_id\']'), '$', 'double')) < CAST('9.0e15' AS DOUBLE)
            THEN CAST(CAST(try_variant_get(variant_get(v, '$.properties[\'$survey_id\']'), '$', 'double') AS BIGINT) AS STRING)
            ELSE CAST(try_variant_get(variant_get(v, '$.properties[\'$survey_id\']'), '$', 'double') AS STRING) END END) AS fb_survey,
  CASE
  WHEN CASE WHEN schema_of_variant(variant_get(v, '$.properties.channel')) = 'STRING' THEN variant_get(v, '$.properties.channel', 'string') END IS NOT NULL THEN NULLIF(CASE WHEN schema_of_variant(variant_get(v, '$.properties.channel')) = 'STRING' THEN variant_get(v, '$.properties.channel', 'string') END, '') END AS fb_channel,
  NULLIF(CASE WHEN schema_of_variant(variant_get(v, '$.properties[\'$survey_submission_id\']')) = 'STRING' THEN variant_get(v, '$.properties[\'$survey_submission_id\']', 'string') END, '') AS fb_sub,
  CASE
  WHEN variant_get(v, '$.properties.score') IS NOT NULL AND NOT is_variant_null(variant_get(v, '$.properties.score')) THEN CASE
    WHEN schema_of_variant(variant_get(v, '$.properties.score')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$'
         AND try_variant_get(variant_get(v, '$.properties.score'), '$', 'double') BETWEEN CAST('0' AS DOUBLE) AND CAST('10' AS DOUBLE)
         AND try_variant_get(variant_get(v, '$.properties.score'), '$', 'double') = floor(try_variant_get(variant_get(v, '$.properties.score'), '$', 'double'))
      THEN CAST(try_variant_get(variant_get(v, '$.properties.score'), '$', 'double') AS INT)
    WHEN schema_of_variant(variant_get(v, '$.properties.score')) = 'STRING'
         AND regexp_like(variant_get(variant_get(v, '$.properties.score'), '$', 'string'), '(?U)^\\s*0*([0-9]|10)\\s*\\z')
      THEN CAST(regexp_extract(variant_get(variant_get(v, '$.properties.score'), '$', 'string'), '(?U)^\\s*0*([0-9]+)', 1) AS INT) END
  WHEN variant_get(v, '$.properties.survey_response') IS NOT NULL AND NOT is_variant_null(variant_get(v, '$.properties.survey_response')) THEN CASE
    WHEN schema_of_variant(variant_get(v, '$.properties.survey_response')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$'
         AND try_variant_get(variant_get(v, '$.properties.survey_response'), '$', 'double') BETWEEN CAST('0' AS DOUBLE) AND CAST('10' AS DOUBLE)
         AND try_variant_get(variant_get(v, '$.properties.survey_response'), '$', 'double') = floor(try_variant_get(variant_get(v, '$.properties.survey_response'), '$', 'double'))
      THEN CAST(try_variant_get(variant_get(v, '$.properties.survey_response'), '$', 'double') AS INT)
    WHEN schema_of_variant(variant_get(v, '$.properties.survey_response')) = 'STRING'
         AND regexp_like(variant_get(variant_get(v, '$.properties.survey_response'), '$', 'string'), '(?U)^\\s*0*([0-9]|10)\\s*\\z')
      THEN CAST(regexp_extract(variant_get(variant_get(v, '$.properties.survey_response'), '$', 'string'), '(?U)^\\s*0*([0-9]+)', 1) AS INT) END
  WHEN variant_get(v, '$.properties[\'$survey_response\']') IS NOT NULL AND NOT is_variant_null(variant_get(v, '$.properties[\'$survey_response\']')) THEN CASE
    WHEN schema_of_variant(variant_get(v, '$.properties[\'$survey_response\']')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$'
         AND try_variant_get(variant_get(v, '$.properties[\'$survey_response\']'), '$', 'double') BETWEEN CAST('0' AS DOUBLE) AND CAST('10' AS DOUBLE)
         AND try_variant_get(variant_get(v, '$.properties[\'$survey_response\']'), '$', 'double') = floor(try_variant_get(variant_get(v, '$.properties[\'$survey_response\']'), '$', 'double'))
      THEN CAST(try_variant_get(variant_get(v, '$.properties[\'$survey_response\']'), '$', 'double') AS INT)
    WHEN schema_of_variant(variant_get(v, '$.properties[\'$survey_response\']')) = 'STRING'
         AND regexp_like(variant_get(variant_get(v, '$.properties[\'$survey_response\']'), '$', 'string'), '(?U)^\\s*0*([0-9]|10)\\s*\\z')
      THEN CAST(regexp_extract(variant_get(variant_get(v, '$.properties[\'$survey_response\']'), '$', 'string'), '(?U)^\\s*0*([0-9]+)', 1) AS INT) END
END AS fb_score,
  CASE
  WHEN lower(replace(CASE WHEN schema_of_variant(variant_get(v, '$.properties.survey_type')) = 'STRING' THEN variant_get(v, '$.properties.survey_type', 'string') END, ' ', '')) <> '' THEN CASE WHEN lower(replace(CASE WHEN schema_of_variant(variant_get(v, '$.properties.survey_type')) = 'STRING' THEN variant_get(v, '$.properties.survey_type', 'string') END, ' ', '')) = 'nps' THEN 1 ELSE 0 END END AS fb_decl,
  NULLIF(CASE WHEN schema_of_variant(variant_get(v, '$.context.timezone')) = 'STRING' THEN variant_get(v, '$.context.timezone', 'string') END, '') AS tz,
  COALESCE(CASE WHEN type_text = 'identify' THEN CASE WHEN variant_get(v, '$.traits.preferred_channel') IS NULL THEN NULL ELSE named_struct(
    't', CASE WHEN schema_of_variant(variant_get(v, '$.traits.preferred_channel')) = 'STRING' THEN 's' WHEN schema_of_variant(variant_get(v, '$.traits.preferred_channel')) = 'BOOLEAN' THEN 'b'
              WHEN schema_of_variant(variant_get(v, '$.traits.preferred_channel')) = 'VOID' THEN 'z'
              WHEN schema_of_variant(variant_get(v, '$.traits.preferred_channel')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$' THEN 'n'
              ELSE 'c' END,
    's', CASE WHEN schema_of_variant(variant_get(v, '$.traits.preferred_channel')) = 'STRING' THEN variant_get(variant_get(v, '$.traits.preferred_channel'), '$', 'string') END,
    'n', CASE WHEN schema_of_variant(variant_get(v, '$.traits.preferred_channel')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$'
              THEN try_variant_get(variant_get(v, '$.traits.preferred_channel'), '$', 'double') END,
    'b', CASE WHEN schema_of_variant(variant_get(v, '$.traits.preferred_channel')) = 'BOOLEAN' THEN variant_get(variant_get(v, '$.traits.preferred_channel'), '$', 'boolean') END) END END,
         CASE WHEN variant_get(v, '$.context.traits.preferred_channel') IS NULL THEN NULL ELSE named_struct(
    't', CASE WHEN schema_of_variant(variant_get(v, '$.context.traits.preferred_channel')) = 'STRING' THEN 's' WHEN schema_of_variant(variant_get(v, '$.context.traits.preferred_channel')) = 'BOOLEAN' THEN 'b'
              WHEN schema_of_variant(variant_get(v, '$.context.traits.preferred_channel')) = 'VOID' THEN 'z'
              WHEN schema_of_variant(variant_get(v, '$.context.traits.preferred_channel')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$' THEN 'n'
              ELSE 'c' END,
    's', CASE WHEN schema_of_variant(variant_get(v, '$.context.traits.preferred_channel')) = 'STRING' THEN variant_get(variant_get(v, '$.context.traits.preferred_channel'), '$', 'string') END,
    'n', CASE WHEN schema_of_variant(variant_get(v, '$.context.traits.preferred_channel')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$'
              THEN try_variant_get(variant_get(v, '$.context.traits.preferred_channel'), '$', 'double') END,
    'b', CASE WHEN schema_of_variant(variant_get(v, '$.context.traits.preferred_channel')) = 'BOOLEAN' THEN variant_get(variant_get(v, '$.context.traits.preferred_channel'), '$', 'boolean') END) END,
         CASE WHEN variant_get(v, '$.properties[\'$set\'].preferred_channel') IS NULL THEN NULL ELSE named_struct(
    't', CASE WHEN schema_of_variant(variant_get(v, '$.properties[\'$set\'].preferred_channel')) = 'STRING' THEN 's' WHEN schema_of_variant(variant_get(v, '$.properties[\'$set\'].preferred_channel')) = 'BOOLEAN' THEN 'b'
              WHEN schema_of_variant(variant_get(v, '$.properties[\'$set\'].preferred_channel')) = 'VOID' THEN 'z'
              WHEN schema_of_variant(variant_get(v, '$.properties[\'$set\'].preferred_channel')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$' THEN 'n'
              ELSE 'c' END,
    's', CASE WHEN schema_of_variant(variant_get(v, '$.properties[\'$set\'].preferred_channel')) = 'STRING' THEN variant_get(variant_get(v, '$.properties[\'$set\'].preferred_channel'), '$', 'string') END,
    'n', CASE WHEN schema_of_variant(variant_get(v, '$.properties[\'$set\'].preferred_channel')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$'
              THEN try_variant_get(variant_get(v, '$.properties[\'$set\'].preferred_channel'), '$', 'double') END,
    'b', CASE WHEN schema_of_variant(variant_get(v, '$.properties[\'$set\'].preferred_channel')) = 'BOOLEAN' THEN variant_get(variant_get(v, '$.properties[\'$set\'].preferred_channel'), '$', 'boolean') END) END) AS pct,
  CASE WHEN type_text = 'track' AND event_text IN ('Survey Sent', 'survey sent') AND NOT event_text IN ('Survey Shown', 'survey shown') THEN transform(array(try_parse_json(array_join(transform(split(get_json_object(regexp_replace(line, '\\\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\\\u[dD][c-fC-F][0-9a-fA-F]{2})|(?<!\\\\u[dD][89abAB][0-9a-fA-F]{2})\\\\u[dD][c-fC-F][0-9a-fA-F]{2}', '\\\\uFFFD'), '$'),
                                          '(?<=[{,])(?="(?:\\Q$survey_response\\E(?:[^"\\\\]|\\\\.)*)":)'),
    (s, i) -> CASE WHEN i = 0 THEN s ELSE concat('"', CAST(i AS STRING), '\\u0001', substr(s, 2)) END), ''))), rv -> flatten(transform(array_sort(COALESCE(filter(transform(filter(map_entries(try_variant_get(rv, '$.properties', 'map<string,variant>')), e -> instr(e.key, '\u0001') > 0),
    e -> named_struct('i', try_cast(substring_index(e.key, '\u0001', 1) AS INT),
                      'k', substr(e.key, instr(e.key, '\u0001') + 1), 'x', e.value)),
  e -> e.i IS NOT NULL AND (startswith(e.k, '$survey_response'))), CAST(array() AS array<struct<i: int, k: string, x: variant>>)),
    (a, b) -> CASE WHEN a.i < b.i THEN -1 WHEN a.i > b.i THEN 1 ELSE 0 END),
  e -> CASE WHEN schema_of_variant(e.x) LIKE 'ARRAY%' THEN flatten(transform(try_variant_get(e.x, '$', 'array<variant>'), y ->
       CASE WHEN schema_of_variant(y) LIKE 'OBJECT%' THEN
              CASE WHEN COALESCE(CASE WHEN schema_of_variant(variant_get(y, '$.id')) = 'STRING' THEN variant_get(y, '$.id', 'string') END, '') <> ''
                   THEN transform(CASE WHEN variant_get(y, '$.value') IS NULL OR is_variant_null(variant_get(y, '$.value'))
          OR schema_of_variant(variant_get(y, '$.value')) LIKE 'OBJECT%' THEN CAST(array() AS array<variant>)
     WHEN schema_of_variant(variant_get(y, '$.value')) LIKE 'ARRAY%'
       THEN filter(try_variant_get(variant_get(y, '$.value'), '$', 'array<variant>'), z -> NOT (schema_of_variant(z) LIKE 'OBJECT%' OR schema_of_variant(z) LIKE 'ARRAY%' OR is_variant_null(z)))
     ELSE array(variant_get(y, '$.value')) END, z -> named_struct('key', CASE WHEN schema_of_variant(variant_get(y, '$.id')) = 'STRING' THEN variant_get(y, '$.id', 'string') END, 'val', z))
                   ELSE CAST(array() AS array<struct<key: string, val: variant>>) END
            WHEN (schema_of_variant(y) LIKE 'OBJECT%' OR schema_of_variant(y) LIKE 'ARRAY%' OR is_variant_null(y)) THEN CAST(array() AS array<struct<key: string, val: variant>>)
            ELSE array(named_struct('key', e.k, 'val', y)) END))
     WHEN (schema_of_variant(e.x) LIKE 'OBJECT%' OR schema_of_variant(e.x) LIKE 'ARRAY%' OR is_variant_null(e.x)) THEN CAST(array() AS array<struct<key: string, val: variant>>)
     ELSE array(named_struct('key', e.k, 'val', e.x)) END)))[0] END AS fb_ans,
  CASE WHEN type_text = 'track' AND event_text IN ('Survey Sent', 'survey sent') AND NOT event_text IN ('Survey Shown', 'survey shown') THEN CASE
  WHEN variant_get(v, '$.properties.score') IS NOT NULL AND NOT is_variant_null(variant_get(v, '$.properties.score')) THEN variant_get(v, '$.properties.score')
  WHEN variant_get(v, '$.properties.survey_response') IS NOT NULL AND NOT is_variant_null(variant_get(v, '$.properties.survey_response')) THEN variant_get(v, '$.properties.survey_response')
  WHEN variant_get(v, '$.properties[\'$survey_response\']') IS NOT NULL AND NOT is_variant_null(variant_get(v, '$.properties[\'$survey_response\']')) THEN variant_get(v, '$.properties[\'$survey_response\']') END END AS fb_pscore,
  CASE WHEN type_text = 'track' AND event_text IN ('Survey Sent', 'survey sent') AND NOT event_text IN ('Survey Shown', 'survey shown') THEN COALESCE(CASE WHEN NOT regexp_like(CASE WHEN schema_of_variant(variant_get(v, '$.properties.survey_response')) = 'STRING' THEN variant_get(v, '$.properties.survey_response', 'string') END, '(?U)^\\s*\\z') AND NOT regexp_like(CASE WHEN schema_of_variant(variant_get(v, '$.properties.survey_response')) = 'STRING' THEN variant_get(v, '$.properties.survey_response', 'string') END, '(?U)(?i)^\\s*[+-]?(?:(?:[0-9]+[.]?[0-9]*|[.][0-9]+)(?:e[+-]?[0-9]+)?|0x(?:[0-9a-f]+[.]?[0-9a-f]*|[.][0-9a-f]+)(?:p[+-]?[0-9]+)?|inf|infinity|nan)\\s*\\z') THEN CASE WHEN schema_of_variant(variant_get(v, '$.properties.survey_response')) = 'STRING' THEN variant_get(v, '$.properties.survey_response', 'string') END END, CASE WHEN NOT regexp_like(CASE WHEN schema_of_variant(variant_get(v, '$.properties[\'$survey_response\']')) = 'STRING' THEN variant_get(v, '$.properties[\'$survey_response\']', 'string') END, '(?U)^\\s*\\z') AND NOT regexp_like(CASE WHEN schema_of_variant(variant_get(v, '$.properties[\'$survey_response\']')) = 'STRING' THEN variant_get(v, '$.properties[\'$survey_response\']', 'string') END, '(?U)(?i)^\\s*[+-]?(?:(?:[0-9]+[.]?[0-9]*|[.][0-9]+)(?:e[+-]?[0-9]+)?|0x(?:[0-9a-f]+[.]?[0-9a-f]*|[.][0-9a-f]+)(?:p[+-]?[0-9]+)?|inf|infinity|nan)\\s*\\z') THEN CASE WHEN schema_of_variant(variant_get(v, '$.properties[\'$survey_response\']')) = 'STRING' THEN variant_get(v, '$.properties[\'$survey_response\']', 'string') END END) END AS fb_ptext,
  COALESCE(CASE
  WHEN CASE WHEN schema_of_variant(variant_get(v, '$.properties.survey_response')) = 'STRING' THEN variant_get(v, '$.properties.survey_response', 'string') END IS NOT NULL THEN CASE WHEN regexp_like(CASE WHEN schema_of_variant(variant_get(v, '$.properties.survey_response')) = 'STRING' THEN variant_get(v, '$.properties.survey_response', 'string') END, '^ *[+-]?[0-9]+ *\\z')
       AND try_cast(regexp_replace(CASE WHEN schema_of_variant(variant_get(v, '$.properties.survey_response')) = 'STRING' THEN variant_get(v, '$.properties.survey_response', 'string') END, '^ +| +\\z', '') AS BIGINT) IS NOT NULL THEN NULL ELSE CASE WHEN schema_of_variant(variant_get(v, '$.properties.survey_response')) = 'STRING' THEN variant_get(v, '$.properties.survey_response', 'string') END END
  WHEN CASE WHEN schema_of_variant(variant_get(v, '$.properties[\'$survey_response\']')) = 'STRING' THEN variant_get(v, '$.properties[\'$survey_response\']', 'string') END IS NOT NULL THEN CASE WHEN regexp_like(CASE WHEN schema_of_variant(variant_get(v, '$.properties[\'$survey_response\']')) = 'STRING' THEN variant_get(v, '$.properties[\'$survey_response\']', 'string') END, '^ *[+-]?[0-9]+ *\\z')
       AND try_cast(regexp_replace(CASE WHEN schema_of_variant(variant_get(v, '$.properties[\'$survey_response\']')) = 'STRING' THEN variant_get(v, '$.properties[\'$survey_response\']', 'string') END, '^ +| +\\z', '') AS BIGINT) IS NOT NULL THEN NULL ELSE CASE WHEN schema_of_variant(variant_get(v, '$.properties[\'$survey_response\']')) = 'STRING' THEN variant_get(v, '$.properties[\'$survey_response\']', 'string') END END
END,
  CASE WHEN CASE WHEN type_text = 'track' THEN event_text WHEN type_text IN ('page', 'screen') THEN name_text END IN ('Live Chat Message Sent', 'Live Chat Conversation Started')
            AND NOT COALESCE(lower(CASE WHEN schema_of_variant(variant_get(v, '$.properties.sender')) = 'STRING' THEN variant_get(v, '$.properties.sender', 'string') END) IN ('agent', 'assistant', 'bot', 'operator', 'staff', 'system'), FALSE)
       THEN COALESCE(CASE WHEN schema_of_variant(variant_get(v, '$.properties.message_body')) = 'STRING' THEN variant_get(v, '$.properties.message_body', 'string') END, CASE WHEN schema_of_variant(variant_get(v, '$.properties.message')) = 'STRING' THEN variant_get(v, '$.properties.message', 'string') END) END) AS ft
FROM (SELECT *,
        CASE tfield WHEN 'timestamp' THEN variant_get(v, '$.timestamp')
                    WHEN 'originalTimestamp' THEN variant_get(v, '$.originalTimestamp')
                    WHEN 'receivedAt' THEN variant_get(v, '$.receivedAt') END AS tval
      FROM (SELECT *,
              CASE WHEN variant_get(v, '$.timestamp') IS NOT NULL AND NOT is_variant_null(variant_get(v, '$.timestamp')) THEN 'timestamp'
                   WHEN variant_get(v, '$.originalTimestamp') IS NOT NULL AND NOT is_variant_null(variant_get(v, '$.originalTimestamp')) THEN 'originalTimestamp'
                   WHEN variant_get(v, '$.receivedAt') IS NOT NULL AND NOT is_variant_null(variant_get(v, '$.receivedAt')) THEN 'receivedAt' END AS tfield
            FROM es_item));

-- view: es_time
CREATE OR REPLACE TEMP VIEW es_time AS
SELECT *,
  (((CASE WHEN (ty - CASE WHEN tmo <= 2L THEN 1L ELSE 0L END) >= 0L THEN (ty - CASE WHEN tmo <= 2L THEN 1L ELSE 0L END) ELSE (ty - CASE WHEN tmo <= 2L THEN 1L ELSE 0L END) - 399L END) div 400L) * 146097L + (((ty - CASE WHEN tmo <= 2L THEN 1L ELSE 0L END) - ((CASE WHEN (ty - CASE WHEN tmo <= 2L THEN 1L ELSE 0L END) >= 0L THEN (ty - CASE WHEN tmo <= 2L THEN 1L ELSE 0L END) ELSE (ty - CASE WHEN tmo <= 2L THEN 1L ELSE 0L END) - 399L END) div 400L) * 400L) * 365L + ((ty - CASE WHEN tmo <= 2L THEN 1L ELSE 0L END) - ((CASE WHEN (ty - CASE WHEN tmo <= 2L THEN 1L ELSE 0L END) >= 0L THEN (ty - CASE WHEN tmo <= 2L THEN 1L ELSE 0L END) ELSE (ty - CASE WHEN tmo <= 2L THEN 1L ELSE 0L END) - 399L END) div 400L) * 400L) div 4L - ((ty - CASE WHEN tmo <= 2L THEN 1L ELSE 0L END) - ((CASE WHEN (ty - CASE WHEN tmo <= 2L THEN 1L ELSE 0L END) >= 0L THEN (ty - CASE WHEN tmo <= 2L THEN 1L ELSE 0L END) ELSE (ty - CASE WHEN tmo <= 2L THEN 1L ELSE 0L END) - 399L END) div 400L) * 400L) div 100L + ((153L * ((tmo + 9L) % 12L) + 2L) div 5L + td - 1L)) - 719468L) * 86400000L
    + (th * 60L + tmi) * 60000L
    + CASE WHEN ts = 60L THEN 59999L ELSE ts * 1000L + tfrac END
    - tsign * (toh * 60L + tom) * 60000L AS tms
FROM (SELECT *,
        CAST(regexp_extract(tm, '^([0-9]{4})', 1) AS BIGINT) AS ty,
        CAST(substr(tm, 6, 2) AS BIGINT) AS tmo, CAST(substr(tm, 9, 2) AS BIGINT) AS td,
        CAST(substr(tm, 12, 2) AS BIGINT) AS th, CAST(substr(tm, 15, 2) AS BIGINT) AS tmi,
        CAST(substr(tm, 18, 2) AS BIGINT) AS ts,
        CAST(rpad(substr(regexp_extract(tm, '^.{19}[.]([0-9]+)', 1), 1, 3), 3, '0') AS BIGINT) AS tfrac,
        CASE regexp_extract(tm, '([+-])[0-9]{2}:?[0-9]{2}\\z', 1) WHEN '-' THEN -1L WHEN '+' THEN 1L ELSE 0L END AS tsign,
        CASE WHEN regexp_like(tm, '[+-][0-9]{2}:?[0-9]{2}\\z')
             THEN CAST(regexp_extract(tm, '([0-9]{2}):?([0-9]{2})\\z', 1) AS BIGINT) ELSE 0L END AS toh,
        CASE WHEN regexp_like(tm, '[+-][0-9]{2}:?[0-9]{2}\\z')
             THEN CAST(regexp_extract(tm, '([0-9]{2}):?([0-9]{2})\\z', 2) AS BIGINT) ELSE 0L END AS tom
      FROM (SELECT *,
              CASE WHEN regexp_like(ttext, '^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(?:[.][0-9]+)?(?:[Zz]|[+-][0-9]{2}:?[0-9]{2})?\\z') THEN ttext END AS tm,
              regexp_like(ttext, '^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(?:[.][0-9]+)?(?:[Zz]|[+-][0-9]{2}:?[0-9]{2})?\\z')
                AND NOT regexp_like(ttext, '(?:[Zz]|[+-][0-9]{2}:?[0-9]{2})\\z') AS zoneless
            FROM es_rec));

-- table: es_valid
CACHE TABLE es_valid OPTIONS ('storageLevel' 'MEMORY_AND_DISK') AS
SELECT file, block, rid, envelope, item, record, consent, consent_cleared, type_text, uid, aid, prev, mid, event_text, name_text, fb_role, fb_survey, fb_channel, fb_sub, fb_score, fb_decl, tz, pct, fb_ans, fb_pscore, fb_ptext, ft,
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
       WHEN tfield IS NOT NULL AND zoneless AND TRUE THEN 'time without a zone'
       WHEN tfield IS NOT NULL AND tm IS NULL THEN 'invalid time'
       WHEN tfield IS NOT NULL AND NOT (tmo BETWEEN 1L AND 12L AND td >= 1L
AND td <= CASE WHEN tmo = 2L THEN CASE WHEN (ty % 4L = 0L AND ty % 100L <> 0L) OR ty % 400L = 0L THEN 29L ELSE 28L END
               WHEN tmo IN (4L, 6L, 9L, 11L) THEN 30L ELSE 31L END
AND th <= 23L AND tmi <= 59L AND ts <= 60L AND toh <= 23L AND tom <= 59L
AND tms BETWEEN -62167219200000L AND 253402300799999L) THEN 'invalid time'
  END) END AS reason
FROM es_time;

-- table: es_dedup
CACHE TABLE es_dedup OPTIONS ('storageLevel' 'MEMORY_AND_DISK') AS
SELECT *, 1 AS copy FROM es_valid WHERE reason IS NULL AND COALESCE(mid, '') = ''
UNION ALL
SELECT *, row_number() OVER (PARTITION BY mid ORDER BY file, block, rid) AS copy
FROM es_valid WHERE reason IS NULL AND COALESCE(mid, '') <> '';

-- view: es_link
CREATE OR REPLACE TEMP VIEW es_link AS
SELECT anon, min_by(user, struct(time, file, block, rid)) AS user
FROM (SELECT aid AS anon, uid AS user, time, file, block, rid FROM es_dedup
      WHERE copy = 1 AND COALESCE(uid, '') <> '' AND COALESCE(aid, '') <> ''
      UNION ALL
      SELECT prev AS anon, uid AS user, time, file, block, rid FROM es_dedup
      WHERE copy = 1 AND kind = 'alias' AND COALESCE(uid, '') <> '' AND COALESCE(prev, '') <> '')
GROUP BY anon;

-- table: es_person
CACHE TABLE es_person OPTIONS ('storageLevel' 'MEMORY_AND_DISK') AS
SELECT d.*,
  CASE WHEN COALESCE(d.uid, '') <> '' THEN d.uid
       WHEN u.user_id IS NOT NULL THEN d.aid
       WHEN l.user IS NOT NULL THEN l.user
       ELSE d.aid END AS person
FROM (SELECT * FROM es_dedup WHERE copy = 1) d
LEFT JOIN (SELECT DISTINCT uid AS user_id FROM es_dedup WHERE copy = 1 AND COALESCE(uid, '') <> '') u
  ON COALESCE(d.uid, '') = '' AND d.aid = u.user_id
LEFT JOIN es_link l ON COALESCE(d.uid, '') = '' AND d.aid = l.anon;

-- view: es_marked
CREATE OR REPLACE TEMP VIEW es_marked AS
SELECT p.*, d.last_delete
FROM es_person p
LEFT JOIN (SELECT person, max(struct(time, file, block, rid)) AS last_delete
           FROM es_person WHERE kind = 'delete' GROUP BY person) d
  ON p.person = d.person;

-- table: es_events
CACHE TABLE es_events OPTIONS ('storageLevel' 'MEMORY_AND_DISK') AS
SELECT file, block, rid, time, kind, person, uid, aid, consent, consent_cleared, fb_role, fb_survey, fb_channel, fb_sub, fb_score, fb_decl, tz, pct, fb_ans, fb_pscore, fb_ptext, ft,
  CASE WHEN kind = 'track' THEN event_text WHEN kind IN ('page', 'screen') THEN name_text END AS name
FROM es_marked
WHERE last_delete IS NULL OR struct(time, file, block, rid) > last_delete;

-- view: es_now
CREATE OR REPLACE TEMP VIEW es_now AS
SELECT max(time) AS now FROM es_events;

-- view: es_scope
CREATE OR REPLACE TEMP VIEW es_scope AS
SELECT e.* FROM es_events e CROSS JOIN es_now n WHERE e.time <= n.now;

-- view: es_consent_entries
CREATE OR REPLACE TEMP VIEW es_consent_entries AS
SELECT e.file, e.block, e.rid, e.time, e.person, c.category, c.granted, c.src, c.pos
FROM es_events e
LATERAL VIEW explode(e.consent) p AS c;

-- view: es_categories
CREATE OR REPLACE TEMP VIEW es_categories AS
SELECT DISTINCT category FROM es_consent_entries;

-- table: es_consent_event
CACHE TABLE es_consent_event OPTIONS ('storageLevel' 'MEMORY_AND_DISK') AS
SELECT file, block, rid, time, person, category,
  max_by(granted, struct(src, pos)) AS granted
FROM (SELECT file, block, rid, time, person, category, granted, src, pos FROM es_consent_entries
      UNION ALL
      SELECT e.file, e.block, e.rid, e.time, e.person, c.category, FALSE, 3, 0
      FROM es_events e CROSS JOIN es_categories c
      WHERE e.consent_cleared)
GROUP BY file, block, rid, time, person, category;
