-- column pv0:
CASE WHEN variant_get(v, '$.properties.late') IS NULL THEN NULL ELSE named_struct(
    't', CASE WHEN schema_of_variant(variant_get(v, '$.properties.late')) = 'STRING' THEN 's' WHEN schema_of_variant(variant_get(v, '$.properties.late')) = 'BOOLEAN' THEN 'b'
              WHEN schema_of_variant(variant_get(v, '$.properties.late')) = 'VOID' THEN 'z'
              WHEN schema_of_variant(variant_get(v, '$.properties.late')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$' THEN 'n'
              ELSE 'c' END,
    's', CASE WHEN schema_of_variant(variant_get(v, '$.properties.late')) = 'STRING' THEN variant_get(variant_get(v, '$.properties.late'), '$', 'string') END,
    'n', CASE WHEN schema_of_variant(variant_get(v, '$.properties.late')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$'
              THEN try_variant_get(variant_get(v, '$.properties.late'), '$', 'double') END,
    'b', CASE WHEN schema_of_variant(variant_get(v, '$.properties.late')) = 'BOOLEAN' THEN variant_get(variant_get(v, '$.properties.late'), '$', 'boolean') END) END
-- column pv1:
CASE WHEN variant_get(v, '$.properties.score') IS NULL THEN NULL ELSE named_struct(
    't', CASE WHEN schema_of_variant(variant_get(v, '$.properties.score')) = 'STRING' THEN 's' WHEN schema_of_variant(variant_get(v, '$.properties.score')) = 'BOOLEAN' THEN 'b'
              WHEN schema_of_variant(variant_get(v, '$.properties.score')) = 'VOID' THEN 'z'
              WHEN schema_of_variant(variant_get(v, '$.properties.score')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$' THEN 'n'
              ELSE 'c' END,
    's', CASE WHEN schema_of_variant(variant_get(v, '$.properties.score')) = 'STRING' THEN variant_get(variant_get(v, '$.properties.score'), '$', 'string') END,
    'n', CASE WHEN schema_of_variant(variant_get(v, '$.properties.score')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$'
              THEN try_variant_get(variant_get(v, '$.properties.score'), '$', 'double') END,
    'b', CASE WHEN schema_of_variant(variant_get(v, '$.properties.score')) = 'BOOLEAN' THEN variant_get(variant_get(v, '$.properties.score'), '$', 'boolean') END) END
-- column pv2:
CASE WHEN variant_get(v, '$.properties.survey_response') IS NULL THEN NULL ELSE named_struct(
    't', CASE WHEN schema_of_variant(variant_get(v, '$.properties.survey_response')) = 'STRING' THEN 's' WHEN schema_of_variant(variant_get(v, '$.properties.survey_response')) = 'BOOLEAN' THEN 'b'
              WHEN schema_of_variant(variant_get(v, '$.properties.survey_response')) = 'VOID' THEN 'z'
              WHEN schema_of_variant(variant_get(v, '$.properties.survey_response')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$' THEN 'n'
              ELSE 'c' END,
    's', CASE WHEN schema_of_variant(variant_get(v, '$.properties.survey_response')) = 'STRING' THEN variant_get(variant_get(v, '$.properties.survey_response'), '$', 'string') END,
    'n', CASE WHEN schema_of_variant(variant_get(v, '$.properties.survey_response')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$'
              THEN try_variant_get(variant_get(v, '$.properties.survey_response'), '$', 'double') END,
    'b', CASE WHEN schema_of_variant(variant_get(v, '$.properties.survey_response')) = 'BOOLEAN' THEN variant_get(variant_get(v, '$.properties.survey_response'), '$', 'boolean') END) END
-- column pv3:
CASE WHEN variant_get(v, '$.properties[\'$survey_response\']') IS NULL THEN NULL ELSE named_struct(
    't', CASE WHEN schema_of_variant(variant_get(v, '$.properties[\'$survey_response\']')) = 'STRING' THEN 's' WHEN schema_of_variant(variant_get(v, '$.properties[\'$survey_response\']')) = 'BOOLEAN' THEN 'b'
              WHEN schema_of_variant(variant_get(v, '$.properties[\'$survey_response\']')) = 'VOID' THEN 'z'
              WHEN schema_of_variant(variant_get(v, '$.properties[\'$survey_response\']')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$' THEN 'n'
              ELSE 'c' END,
    's', CASE WHEN schema_of_variant(variant_get(v, '$.properties[\'$survey_response\']')) = 'STRING' THEN variant_get(variant_get(v, '$.properties[\'$survey_response\']'), '$', 'string') END,
    'n', CASE WHEN schema_of_variant(variant_get(v, '$.properties[\'$survey_response\']')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$'
              THEN try_variant_get(variant_get(v, '$.properties[\'$survey_response\']'), '$', 'double') END,
    'b', CASE WHEN schema_of_variant(variant_get(v, '$.properties[\'$survey_response\']')) = 'BOOLEAN' THEN variant_get(variant_get(v, '$.properties[\'$survey_response\']'), '$', 'boolean') END) END
-- column pv4:
CASE WHEN variant_get(v, '$.properties.campaign') IS NULL THEN NULL ELSE named_struct(
    't', CASE WHEN schema_of_variant(variant_get(v, '$.properties.campaign')) = 'STRING' THEN 's' WHEN schema_of_variant(variant_get(v, '$.properties.campaign')) = 'BOOLEAN' THEN 'b'
              WHEN schema_of_variant(variant_get(v, '$.properties.campaign')) = 'VOID' THEN 'z'
              WHEN schema_of_variant(variant_get(v, '$.properties.campaign')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$' THEN 'n'
              ELSE 'c' END,
    's', CASE WHEN schema_of_variant(variant_get(v, '$.properties.campaign')) = 'STRING' THEN variant_get(variant_get(v, '$.properties.campaign'), '$', 'string') END,
    'n', CASE WHEN schema_of_variant(variant_get(v, '$.properties.campaign')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$'
              THEN try_variant_get(variant_get(v, '$.properties.campaign'), '$', 'double') END,
    'b', CASE WHEN schema_of_variant(variant_get(v, '$.properties.campaign')) = 'BOOLEAN' THEN variant_get(variant_get(v, '$.properties.campaign'), '$', 'boolean') END) END
-- column pv5:
CASE WHEN variant_get(v, '$.properties.channel') IS NULL THEN NULL ELSE named_struct(
    't', CASE WHEN schema_of_variant(variant_get(v, '$.properties.channel')) = 'STRING' THEN 's' WHEN schema_of_variant(variant_get(v, '$.properties.channel')) = 'BOOLEAN' THEN 'b'
              WHEN schema_of_variant(variant_get(v, '$.properties.channel')) = 'VOID' THEN 'z'
              WHEN schema_of_variant(variant_get(v, '$.properties.channel')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$' THEN 'n'
              ELSE 'c' END,
    's', CASE WHEN schema_of_variant(variant_get(v, '$.properties.channel')) = 'STRING' THEN variant_get(variant_get(v, '$.properties.channel'), '$', 'string') END,
    'n', CASE WHEN schema_of_variant(variant_get(v, '$.properties.channel')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$'
              THEN try_variant_get(variant_get(v, '$.properties.channel'), '$', 'double') END,
    'b', CASE WHEN schema_of_variant(variant_get(v, '$.properties.channel')) = 'BOOLEAN' THEN variant_get(variant_get(v, '$.properties.channel'), '$', 'boolean') END) END
-- table: es_loop_triggers
SELECT 0 AS loop, person, time, 86400000L AS within, outcome,
  CASE WHEN outcome <= 1 THEN f.time - time END AS delay, CASE WHEN outcome <= 1 THEN f.channel END AS channel
FROM (SELECT person, time,
        CASE WHEN f IS NOT NULL AND f.time - time <= 86400000L THEN 0
             WHEN f IS NOT NULL AND (nt IS NULL OR f.k < nt) THEN 1
             WHEN now - time < 86400000L THEN 2 ELSE 3 END AS outcome, f
      FROM (SELECT person, time, t, now,
              last(CASE WHEN x THEN named_struct('time', time, 'channel', ch,
                                                 'k', named_struct('time', time, 'file', file, 'block', block, 'rid', rid)) END, TRUE)
                OVER w AS f,
              last(CASE WHEN t THEN named_struct('time', time, 'file', file, 'block', block, 'rid', rid) END, TRUE)
                OVER w AS nt
            FROM (SELECT e.person, e.time, e.file, e.block, e.rid, n.now,
                    (e.name = 'Order Delivered' AND COALESCE(((e.pv0.t = 'b' AND e.pv0.b = TRUE)), FALSE)) AS t,
                    (e.name = 'Apology Sent') AS x,
                    CASE WHEN e.pv5.t = 's' AND e.pv5.s <> '' THEN e.pv5.s ELSE 'unknown' END AS ch
                  FROM es_scope e CROSS JOIN es_now n)
            WHERE t OR x
            WINDOW w AS (PARTITION BY person ORDER BY time DESC, file DESC, block DESC, rid DESC
                         ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING))
      WHERE t)
UNION ALL
SELECT 1 AS loop, person, time, 259200000L AS within, outcome,
  CASE WHEN outcome <= 1 THEN f.time - time END AS delay, CASE WHEN outcome <= 1 THEN f.channel END AS channel
FROM (SELECT person, time,
        CASE WHEN f IS NOT NULL AND f.time - time <= 259200000L THEN 0
             WHEN f IS NOT NULL AND (nt IS NULL OR f.k < nt) THEN 1
             WHEN now - time < 259200000L THEN 2 ELSE 3 END AS outcome, f
      FROM (SELECT person, time, t, now,
              last(CASE WHEN x THEN named_struct('time', time, 'channel', ch,
                                                 'k', named_struct('time', time, 'file', file, 'block', block, 'rid', rid)) END, TRUE)
                OVER w AS f,
              last(CASE WHEN t THEN named_struct('time', time, 'file', file, 'block', block, 'rid', rid) END, TRUE)
                OVER w AS nt
            FROM (SELECT e.person, e.time, e.file, e.block, e.rid, n.now,
                    (e.kind = 'track' AND e.name IN ('Survey Sent', 'survey sent') AND COALESCE(CAST(CASE
  WHEN e.pv1 IS NOT NULL AND e.pv1.t <> 'z' THEN CASE
    WHEN e.pv1.t = 'n' AND e.pv1.n BETWEEN CAST('0' AS DOUBLE) AND CAST('10' AS DOUBLE) AND e.pv1.n = floor(e.pv1.n)
      THEN CAST(e.pv1.n AS INT)
    WHEN e.pv1.t = 's' AND regexp_like(e.pv1.s, '(?U)^\\s*0*([0-9]|10)\\s*\\z')
      THEN CAST(regexp_extract(e.pv1.s, '(?U)^\\s*0*([0-9]+)', 1) AS INT) END
  WHEN e.pv2 IS NOT NULL AND e.pv2.t <> 'z' THEN CASE
    WHEN e.pv2.t = 'n' AND e.pv2.n BETWEEN CAST('0' AS DOUBLE) AND CAST('10' AS DOUBLE) AND e.pv2.n = floor(e.pv2.n)
      THEN CAST(e.pv2.n AS INT)
    WHEN e.pv2.t = 's' AND regexp_like(e.pv2.s, '(?U)^\\s*0*([0-9]|10)\\s*\\z')
      THEN CAST(regexp_extract(e.pv2.s, '(?U)^\\s*0*([0-9]+)', 1) AS INT) END
  WHEN e.pv3 IS NOT NULL AND e.pv3.t <> 'z' THEN CASE
    WHEN e.pv3.t = 'n' AND e.pv3.n BETWEEN CAST('0' AS DOUBLE) AND CAST('10' AS DOUBLE) AND e.pv3.n = floor(e.pv3.n)
      THEN CAST(e.pv3.n AS INT)
    WHEN e.pv3.t = 's' AND regexp_like(e.pv3.s, '(?U)^\\s*0*([0-9]|10)\\s*\\z')
      THEN CAST(regexp_extract(e.pv3.s, '(?U)^\\s*0*([0-9]+)', 1) AS INT) END
END AS DOUBLE) <= CAST('6.0' AS DOUBLE), FALSE)) AS t,
                    (e.name = 'Support Ticket Created') OR (e.name = 'Email Sent' AND COALESCE(((e.pv4.t = 's' AND e.pv4.s = 'recovery')), FALSE)) AS x,
                    CASE WHEN e.pv5.t = 's' AND e.pv5.s <> '' THEN e.pv5.s ELSE 'unknown' END AS ch
                  FROM es_scope e CROSS JOIN es_now n)
            WHERE t OR x
            WINDOW w AS (PARTITION BY person ORDER BY time DESC, file DESC, block DESC, rid DESC
                         ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING))
      WHERE t);

-- result: loop_outcomes
SELECT loop, (((((time - pmod(time, 86400000L)) div 86400000L) + 3L) - pmod((((time - pmod(time, 86400000L)) div 86400000L) + 3L), 7L)) div 7L) AS week, outcome, channel, count(*) AS triggers, min(time) AS first
FROM es_loop_triggers GROUP BY loop, (((((time - pmod(time, 86400000L)) div 86400000L) + 3L) - pmod((((time - pmod(time, 86400000L)) div 86400000L) + 3L), 7L)) div 7L), outcome, channel;

-- result: loop_close
SELECT loop, count(*) AS prompts, count_if(answered) AS answered,
  count(DISTINCT person) AS persons_prompted, count(DISTINCT CASE WHEN answered THEN person END) AS persons_answered,
  max(CASE WHEN answered AND rk = (n + 1L) div 2L THEN delay END) AS median_low,
  max(CASE WHEN answered AND rk = n div 2L + 1L THEN delay END) AS median_high
FROM (SELECT *, row_number() OVER (PARTITION BY loop, answered ORDER BY delay) AS rk,
        count_if(answered) OVER (PARTITION BY loop) AS n
      FROM (SELECT loop, person, outcome <= 1 AS answered, delay FROM es_loop_triggers))
GROUP BY loop;

-- result: loop_channel_close
SELECT loop, channel, count(*) AS prompts, count_if(answered) AS answered,
  count(DISTINCT person) AS persons_prompted, count(DISTINCT CASE WHEN answered THEN person END) AS persons_answered,
  max(CASE WHEN answered AND rk = (n + 1L) div 2L THEN delay END) AS median_low,
  max(CASE WHEN answered AND rk = n div 2L + 1L THEN delay END) AS median_high
FROM (SELECT *, row_number() OVER (PARTITION BY loop, channel, answered ORDER BY delay) AS rk,
        count_if(answered) OVER (PARTITION BY loop, channel) AS n
      FROM (SELECT loop, channel, person, TRUE AS answered, delay FROM es_loop_triggers WHERE outcome <= 1))
GROUP BY loop, channel;

-- result: loop_p90
SELECT loop, max(CASE WHEN rk = least(n, greatest(1L, CAST(ceil(CAST('0.9' AS DOUBLE) * CAST(n AS DOUBLE)) AS BIGINT)))
                      THEN delay END) AS p90
FROM (SELECT loop, delay, row_number() OVER (PARTITION BY loop ORDER BY delay) AS rk,
        count(*) OVER (PARTITION BY loop) AS n
      FROM es_loop_triggers WHERE outcome <= 1)
GROUP BY loop;

-- result: loop_open_ages
SELECT loop, bin, count(*) AS open
FROM (SELECT t.loop, least(7L, greatest(0L, CAST(floor(CAST(n.now - t.time AS DOUBLE)
                                                 / (CAST(t.within AS DOUBLE) / CAST('8' AS DOUBLE))) AS BIGINT))) AS bin
      FROM es_loop_triggers t CROSS JOIN es_now n WHERE t.outcome = 2)
GROUP BY loop, bin;
