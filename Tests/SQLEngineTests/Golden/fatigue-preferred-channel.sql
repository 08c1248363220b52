-- column: pct
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
    'b', CASE WHEN schema_of_variant(variant_get(v, '$.properties[\'$set\'].preferred_channel')) = 'BOOLEAN' THEN variant_get(variant_get(v, '$.properties[\'$set\'].preferred_channel'), '$', 'boolean') END) END)

-- view: es_fatigue_prompts
CREATE OR REPLACE TEMP VIEW es_fatigue_prompts AS
SELECT person, channel, answered,
  least(row_number() OVER w
        - count(*) OVER (PARTITION BY person ORDER BY time RANGE BETWEEN UNBOUNDED PRECEDING AND 2592000001L PRECEDING),
        5L) AS ordinal,
  CASE WHEN time - lag(time) OVER w IS NULL THEN 0 WHEN time - lag(time) OVER w < 86400000L THEN 1 WHEN time - lag(time) OVER w < 259200000L THEN 2
       WHEN time - lag(time) OVER w < 604800000L THEN 3 WHEN time - lag(time) OVER w < 2592000000L THEN 4 ELSE 5 END AS gap
FROM es_fb_prompts
WINDOW w AS (PARTITION BY person ORDER BY time, file, block, rid);

-- result: fatigue
SELECT x.tbl, x.bucket, ch AS channel, count(*) AS prompts, count_if(answered) AS answered,
  count(DISTINCT person) AS persons
FROM es_fatigue_prompts
LATERAL VIEW explode(array(named_struct('tbl', 'ordinal', 'bucket', ordinal),
                           named_struct('tbl', 'gap', 'bucket', CAST(gap AS BIGINT)))) t AS x
LATERAL VIEW explode(array(channel, CAST(NULL AS STRING))) c AS ch
GROUP BY x.tbl, x.bucket, ch;

-- table: es_pref
CACHE TABLE es_pref OPTIONS ('storageLevel' 'MEMORY_AND_DISK') AS
SELECT person, CASE WHEN t <> '' THEN lower(t) END AS pref
FROM (SELECT person, CASE WHEN v.t = 's' THEN regexp_replace(v.s, '(?U)^\\s+|\\s+\\z', '') END AS t
      FROM (SELECT person, max_by(pct, struct(time, file, block, rid)) FILTER (WHERE pct IS NOT NULL) AS v
            FROM es_scope GROUP BY person));

-- result: preferred_persons
SELECT pref AS channel, count(*) AS persons FROM es_pref WHERE pref IS NOT NULL GROUP BY pref;

-- result: preferred_prompts
SELECT grp, ch AS channel, count(*) AS prompts, count_if(answered) AS answered, count(DISTINCT person) AS persons
FROM (SELECT p.person, p.channel, p.answered,
        CASE WHEN r.pref IS NULL THEN 'no_preference' WHEN lower(p.channel) = r.pref THEN 'on_preferred'
             ELSE 'on_other' END AS grp
      FROM es_fb_prompts p LEFT JOIN es_pref r ON p.person = r.person)
LATERAL VIEW explode(array(channel, CAST(NULL AS STRING))) c AS ch
GROUP BY grp, ch;

-- result: preferred_cells
SELECT channel, zone, utc_cell, local_cell, count(*) AS prompts, count_if(answered) AS answered
FROM (SELECT channel, zone, answered, pmod(((time - pmod(time, 86400000L)) div 86400000L) + 3L, 7L) * 24L + pmod(time, 86400000L) div 3600000L AS utc_cell,
                CASE WHEN zone IS NOT NULL AND try_reflect('java.time.ZoneId', 'of', zone) IS NOT NULL
                     THEN CAST(pmod(dayofweek(from_utc_timestamp(timestamp_millis(time), zone)) + 5, 7) AS BIGINT) * 24L
                          + hour(from_utc_timestamp(timestamp_millis(time), zone)) END AS local_cell
      FROM es_fb_prompts)
GROUP BY channel, zone, utc_cell, local_cell;

-- configured: trait contact.channel, values {text: sms, e-mail: email}, channels {Mail: email, mail: post, TXT: sms}
-- column: pct
COALESCE(CASE WHEN type_text = 'identify' THEN CASE WHEN variant_get(v, '$.traits.contact.channel') IS NULL THEN NULL ELSE named_struct(
    't', CASE WHEN schema_of_variant(variant_get(v, '$.traits.contact.channel')) = 'STRING' THEN 's' WHEN schema_of_variant(variant_get(v, '$.traits.contact.channel')) = 'BOOLEAN' THEN 'b'
              WHEN schema_of_variant(variant_get(v, '$.traits.contact.channel')) = 'VOID' THEN 'z'
              WHEN schema_of_variant(variant_get(v, '$.traits.contact.channel')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$' THEN 'n'
              ELSE 'c' END,
    's', CASE WHEN schema_of_variant(variant_get(v, '$.traits.contact.channel')) = 'STRING' THEN variant_get(variant_get(v, '$.traits.contact.channel'), '$', 'string') END,
    'n', CASE WHEN schema_of_variant(variant_get(v, '$.traits.contact.channel')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$'
              THEN try_variant_get(variant_get(v, '$.traits.contact.channel'), '$', 'double') END,
    'b', CASE WHEN schema_of_variant(variant_get(v, '$.traits.contact.channel')) = 'BOOLEAN' THEN variant_get(variant_get(v, '$.traits.contact.channel'), '$', 'boolean') END) END END,
         CASE WHEN variant_get(v, '$.context.traits.contact.channel') IS NULL THEN NULL ELSE named_struct(
    't', CASE WHEN schema_of_variant(variant_get(v, '$.context.traits.contact.channel')) = 'STRING' THEN 's' WHEN schema_of_variant(variant_get(v, '$.context.traits.contact.channel')) = 'BOOLEAN' THEN 'b'
              WHEN schema_of_variant(variant_get(v, '$.context.traits.contact.channel')) = 'VOID' THEN 'z'
              WHEN schema_of_variant(variant_get(v, '$.context.traits.contact.channel')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$' THEN 'n'
              ELSE 'c' END,
    's', CASE WHEN schema_of_variant(variant_get(v, '$.context.traits.contact.channel')) = 'STRING' THEN variant_get(variant_get(v, '$.context.traits.contact.channel'), '$', 'string') END,
    'n', CASE WHEN schema_of_variant(variant_get(v, '$.context.traits.contact.channel')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$'
              THEN try_variant_get(variant_get(v, '$.context.traits.contact.channel'), '$', 'double') END,
    'b', CASE WHEN schema_of_variant(variant_get(v, '$.context.traits.contact.channel')) = 'BOOLEAN' THEN variant_get(variant_get(v, '$.context.traits.contact.channel'), '$', 'boolean') END) END,
         CASE WHEN variant_get(v, '$.properties[\'$set\'].contact.channel') IS NULL THEN NULL ELSE named_struct(
    't', CASE WHEN schema_of_variant(variant_get(v, '$.properties[\'$set\'].contact.channel')) = 'STRING' THEN 's' WHEN schema_of_variant(variant_get(v, '$.properties[\'$set\'].contact.channel')) = 'BOOLEAN' THEN 'b'
              WHEN schema_of_variant(variant_get(v, '$.properties[\'$set\'].contact.channel')) = 'VOID' THEN 'z'
              WHEN schema_of_variant(variant_get(v, '$.properties[\'$set\'].contact.channel')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$' THEN 'n'
              ELSE 'c' END,
    's', CASE WHEN schema_of_variant(variant_get(v, '$.properties[\'$set\'].contact.channel')) = 'STRING' THEN variant_get(variant_get(v, '$.properties[\'$set\'].contact.channel'), '$', 'string') END,
    'n', CASE WHEN schema_of_variant(variant_get(v, '$.properties[\'$set\'].contact.channel')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$'
              THEN try_variant_get(variant_get(v, '$.properties[\'$set\'].contact.channel'), '$', 'double') END,
    'b', CASE WHEN schema_of_variant(variant_get(v, '$.properties[\'$set\'].contact.channel')) = 'BOOLEAN' THEN variant_get(variant_get(v, '$.properties[\'$set\'].contact.channel'), '$', 'boolean') END) END)
-- es_pref mapping:
lower(CASE lower(t) WHEN 'e-mail' THEN 'email' WHEN 'text' THEN 'sms' WHEN 'mail' THEN 'email' WHEN 'txt' THEN 'sms' ELSE t END)
