-- table: es_members
SELECT p.person, transform(filter(array(
      named_struct('i', 0, 'in', (COALESCE(q0.done, FALSE) AND COALESCE(((p.tr0.t = 's' AND p.tr0.s = 'pro')), FALSE))),
      named_struct('i', 1, 'in', ((((CAST(COALESCE(p.c0, 0L) AS DOUBLE) / CAST('60000.0' AS DOUBLE)) + (CAST(COALESCE(p.c1, CAST(0 AS DECIMAL(38,0))) AS DOUBLE) / CAST('1000000.0' AS DOUBLE))) > CAST('2.0' AS DOUBLE)) OR COALESCE(exists(try_variant_get(p.tl0, '$', 'array<variant>'), el -> COALESCE(((CASE WHEN variant_get(el, '$.age') IS NULL THEN NULL ELSE named_struct(
    't', CASE WHEN schema_of_variant(variant_get(el, '$.age')) = 'STRING' THEN 's' WHEN schema_of_variant(variant_get(el, '$.age')) = 'BOOLEAN' THEN 'b'
              WHEN schema_of_variant(variant_get(el, '$.age')) = 'VOID' THEN 'z'
              WHEN schema_of_variant(variant_get(el, '$.age')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$' THEN 'n'
              ELSE 'c' END,
    's', CASE WHEN schema_of_variant(variant_get(el, '$.age')) = 'STRING' THEN variant_get(variant_get(el, '$.age'), '$', 'string') END,
    'n', CASE WHEN schema_of_variant(variant_get(el, '$.age')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$'
              THEN try_variant_get(variant_get(el, '$.age'), '$', 'double') END,
    'b', CASE WHEN schema_of_variant(variant_get(el, '$.age')) = 'BOOLEAN' THEN variant_get(variant_get(el, '$.age'), '$', 'boolean') END) END).t = 'n' AND (CASE WHEN variant_get(el, '$.age') IS NULL THEN NULL ELSE named_struct(
    't', CASE WHEN schema_of_variant(variant_get(el, '$.age')) = 'STRING' THEN 's' WHEN schema_of_variant(variant_get(el, '$.age')) = 'BOOLEAN' THEN 'b'
              WHEN schema_of_variant(variant_get(el, '$.age')) = 'VOID' THEN 'z'
              WHEN schema_of_variant(variant_get(el, '$.age')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$' THEN 'n'
              ELSE 'c' END,
    's', CASE WHEN schema_of_variant(variant_get(el, '$.age')) = 'STRING' THEN variant_get(variant_get(el, '$.age'), '$', 'string') END,
    'n', CASE WHEN schema_of_variant(variant_get(el, '$.age')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$'
              THEN try_variant_get(variant_get(el, '$.age'), '$', 'double') END,
    'b', CASE WHEN schema_of_variant(variant_get(el, '$.age')) = 'BOOLEAN' THEN variant_get(variant_get(el, '$.age'), '$', 'boolean') END) END).n < CAST('3.0' AS DOUBLE)), FALSE)), FALSE))),
      named_struct('i', 2, 'in', (p.c2 >= 2L OR COALESCE(q1.done, FALSE)))), x -> x.in), x -> x.i) AS segs
FROM (SELECT e.person,
    sum(CASE WHEN e.kind IN ('page', 'screen') AND (e.section = 'sale') AND e.next_time <= n.now AND e.next_time - e.time < 1800000L THEN e.next_time - e.time ELSE 0L END) AS c0,
    sum(CASE WHEN e.name = 'Order Completed' THEN aggregate(e.pl0, CAST(0 AS DECIMAL(38,0)), (acc, el) -> acc + COALESCE(CAST(CAST(round((CASE WHEN abs(CASE WHEN (CASE WHEN schema_of_variant(variant_get(el, '$.price')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$' THEN try_variant_get(variant_get(el, '$.price'), '$', 'double') END) IS NOT NULL THEN (CASE WHEN schema_of_variant(variant_get(el, '$.price')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$' THEN try_variant_get(variant_get(el, '$.price'), '$', 'double') END) END) < CAST('Infinity' AS DOUBLE) THEN least(greatest(CASE WHEN (CASE WHEN schema_of_variant(variant_get(el, '$.price')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$' THEN try_variant_get(variant_get(el, '$.price'), '$', 'double') END) IS NOT NULL THEN (CASE WHEN schema_of_variant(variant_get(el, '$.price')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$' THEN try_variant_get(variant_get(el, '$.price'), '$', 'double') END) END, - CAST('1000000000000.0' AS DOUBLE)), CAST('1000000000000.0' AS DOUBLE)) END) * CAST('1000000.0' AS DOUBLE)) AS BIGINT) AS DECIMAL(38,0)), CAST(0 AS DECIMAL(38,0)))) END) AS c1,
    count_if(e.name = 'X' AND e.time >= n.now - 864000000L) AS c2,
    COALESCE(max_by(e.tr0, struct(e.time, e.file, e.block, e.rid)) FILTER (WHERE e.tr0 IS NOT NULL), min_by(e.to0, struct(e.time, e.file, e.block, e.rid)) FILTER (WHERE e.to0 IS NOT NULL)) AS tr0,
    max_by(e.tl0, struct(e.time, e.file, e.block, e.rid)) FILTER (WHERE e.tl0 IS NOT NULL) AS tl0
      FROM (SELECT *, lead(time) OVER (PARTITION BY person ORDER BY time, file, block, rid) AS next_time FROM es_scope) e CROSS JOIN es_now n GROUP BY e.person) p
            LEFT JOIN (SELECT person, bool_or(s1 IS NOT NULL AND time - s1 <= 86400000L) AS done
FROM (SELECT *, CASE WHEN m1 THEN max(s0) OVER (PARTITION BY person ORDER BY time
                                            RANGE BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) END AS s1
FROM (SELECT *, CASE WHEN m0 THEN time END AS s0 FROM (SELECT e.person, e.time, e.name = 'X' AS m0, e.name = 'Y' AS m1
  FROM es_scope e CROSS JOIN es_now n)))
GROUP BY person) q0 ON p.person = q0.person
            LEFT JOIN (SELECT person, bool_or(s1 IS NOT NULL AND time - s1 <= 3600000L) AS done
FROM (SELECT *, CASE WHEN m1 THEN max(s0) OVER (PARTITION BY person ORDER BY time
                                            RANGE BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) END AS s1
FROM (SELECT *, CASE WHEN m0 THEN time END AS s0 FROM (SELECT e.person, e.time, e.name = 'X' AND e.time >= n.now - 604800000L AS m0, e.name = 'Y' AS m1
  FROM es_scope e CROSS JOIN es_now n)))
GROUP BY person) q1 ON p.person = q1.person;

-- table: es_segment_weeks
SELECT w AS week, least((7L * (w + 1L) - 3L) * 86400000L - 1L, now) AS now
FROM (SELECT explode(sequence(greatest(first, last - 103L), last)) AS w, now
      FROM (SELECT (((((min(e.time) - pmod(min(e.time), 86400000L)) div 86400000L) + 3L) - pmod((((min(e.time) - pmod(min(e.time), 86400000L)) div 86400000L) + 3L), 7L)) div 7L) AS first, (((((max(n.now) - pmod(max(n.now), 86400000L)) div 86400000L) + 3L) - pmod((((max(n.now) - pmod(max(n.now), 86400000L)) div 86400000L) + 3L), 7L)) div 7L) AS last, max(n.now) AS now
            FROM es_scope e CROSS JOIN es_now n));

-- table: es_segment_partial
SELECT n.week, e.person,
    sum(CASE WHEN e.name = 'Order Completed' THEN aggregate(e.pl0, CAST(0 AS DECIMAL(38,0)), (acc, el) -> acc + COALESCE(CAST(CAST(round((CASE WHEN abs(CASE WHEN (CASE WHEN schema_of_variant(variant_get(el, '$.price')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$' THEN try_variant_get(variant_get(el, '$.price'), '$', 'double') END) IS NOT NULL THEN (CASE WHEN schema_of_variant(variant_get(el, '$.price')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$' THEN try_variant_get(variant_get(el, '$.price'), '$', 'double') END) END) < CAST('Infinity' AS DOUBLE) THEN least(greatest(CASE WHEN (CASE WHEN schema_of_variant(variant_get(el, '$.price')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$' THEN try_variant_get(variant_get(el, '$.price'), '$', 'double') END) IS NOT NULL THEN (CASE WHEN schema_of_variant(variant_get(el, '$.price')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$' THEN try_variant_get(variant_get(el, '$.price'), '$', 'double') END) END, - CAST('1000000000000.0' AS DOUBLE)), CAST('1000000000000.0' AS DOUBLE)) END) * CAST('1000000.0' AS DOUBLE)) AS BIGINT) AS DECIMAL(38,0)), CAST(0 AS DECIMAL(38,0)))) END) AS c1,
    max_by(named_struct('k', struct(e.time, e.file, e.block, e.rid), 'v', e.tr0), struct(e.time, e.file, e.block, e.rid)) FILTER (WHERE e.tr0 IS NOT NULL) AS tr0,
    max_by(named_struct('k', struct(e.time, e.file, e.block, e.rid), 'v', e.tl0), struct(e.time, e.file, e.block, e.rid)) FILTER (WHERE e.tl0 IS NOT NULL) AS tl0,
    min_by(named_struct('k', struct(e.time, e.file, e.block, e.rid), 'v', e.to0), struct(e.time, e.file, e.block, e.rid)) FILTER (WHERE e.to0 IS NOT NULL) AS to0
FROM (SELECT *, lead(time) OVER (PARTITION BY person ORDER BY time, file, block, rid) AS next_time FROM es_scope) e CROSS JOIN (SELECT min(week) AS first, max(week) AS last FROM es_segment_weeks) f
  JOIN es_segment_weeks n ON n.week = greatest((((((e.time - pmod(e.time, 86400000L)) div 86400000L) + 3L) - pmod((((e.time - pmod(e.time, 86400000L)) div 86400000L) + 3L), 7L)) div 7L), f.first) AND e.time <= n.now
GROUP BY n.week, e.person;

-- table: es_segment_partial_next
SELECT n.week, e.person,
    sum(CASE WHEN e.kind IN ('page', 'screen') AND (e.section = 'sale') AND e.next_time <= n.now AND e.next_time - e.time < 1800000L THEN e.next_time - e.time ELSE 0L END) AS c0
FROM (SELECT *, lead(time) OVER (PARTITION BY person ORDER BY time, file, block, rid) AS next_time FROM es_scope) e CROSS JOIN (SELECT min(week) AS first, max(week) AS last FROM es_segment_weeks) f
  JOIN es_segment_weeks n ON n.week = greatest((((((e.next_time - pmod(e.next_time, 86400000L)) div 86400000L) + 3L) - pmod((((e.next_time - pmod(e.next_time, 86400000L)) div 86400000L) + 3L), 7L)) div 7L), f.first) AND e.next_time <= n.now
GROUP BY n.week, e.person;

-- table: es_segment_windowed
SELECT n.week, e.person,
    count_if(e.name = 'X' AND e.time >= n.now - 864000000L) AS c2
FROM (SELECT e.*, explode(CASE WHEN lo <= hi THEN sequence(lo, hi) ELSE array() END) AS wk
      FROM (SELECT e.*, greatest((((((e.time - pmod(e.time, 86400000L)) div 86400000L) + 3L) - pmod((((e.time - pmod(e.time, 86400000L)) div 86400000L) + 3L), 7L)) div 7L), f.first) AS lo,
              least((((((e.time + 864000000L - pmod(e.time + 864000000L, 86400000L)) div 86400000L) + 3L) - pmod((((e.time + 864000000L - pmod(e.time + 864000000L, 86400000L)) div 86400000L) + 3L), 7L)) div 7L), f.last) AS hi
            FROM (SELECT *, lead(time) OVER (PARTITION BY person ORDER BY time, file, block, rid) AS next_time FROM es_scope) e CROSS JOIN (SELECT min(week) AS first, max(week) AS last FROM es_segment_weeks) f) e) e
  JOIN es_segment_weeks n ON n.week = e.wk AND e.time <= n.now AND e.time >= n.now - 864000000L
GROUP BY n.week, e.person;

-- table: es_members_weekly
SELECT p.week, transform(filter(array(
      named_struct('i', 0, 'in', (COALESCE(q0.done, FALSE) AND COALESCE(((p.tr0.t = 's' AND p.tr0.s = 'pro')), FALSE))),
      named_struct('i', 1, 'in', ((((CAST(COALESCE(p.c0, 0L) AS DOUBLE) / CAST('60000.0' AS DOUBLE)) + (CAST(COALESCE(p.c1, CAST(0 AS DECIMAL(38,0))) AS DOUBLE) / CAST('1000000.0' AS DOUBLE))) > CAST('2.0' AS DOUBLE)) OR COALESCE(exists(try_variant_get(p.tl0, '$', 'array<variant>'), el -> COALESCE(((CASE WHEN variant_get(el, '$.age') IS NULL THEN NULL ELSE named_struct(
    't', CASE WHEN schema_of_variant(variant_get(el, '$.age')) = 'STRING' THEN 's' WHEN schema_of_variant(variant_get(el, '$.age')) = 'BOOLEAN' THEN 'b'
              WHEN schema_of_variant(variant_get(el, '$.age')) = 'VOID' THEN 'z'
              WHEN schema_of_variant(variant_get(el, '$.age')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$' THEN 'n'
              ELSE 'c' END,
    's', CASE WHEN schema_of_variant(variant_get(el, '$.age')) = 'STRING' THEN variant_get(variant_get(el, '$.age'), '$', 'string') END,
    'n', CASE WHEN schema_of_variant(variant_get(el, '$.age')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$'
              THEN try_variant_get(variant_get(el, '$.age'), '$', 'double') END,
    'b', CASE WHEN schema_of_variant(variant_get(el, '$.age')) = 'BOOLEAN' THEN variant_get(variant_get(el, '$.age'), '$', 'boolean') END) END).t = 'n' AND (CASE WHEN variant_get(el, '$.age') IS NULL THEN NULL ELSE named_struct(
    't', CASE WHEN schema_of_variant(variant_get(el, '$.age')) = 'STRING' THEN 's' WHEN schema_of_variant(variant_get(el, '$.age')) = 'BOOLEAN' THEN 'b'
              WHEN schema_of_variant(variant_get(el, '$.age')) = 'VOID' THEN 'z'
              WHEN schema_of_variant(variant_get(el, '$.age')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$' THEN 'n'
              ELSE 'c' END,
    's', CASE WHEN schema_of_variant(variant_get(el, '$.age')) = 'STRING' THEN variant_get(variant_get(el, '$.age'), '$', 'string') END,
    'n', CASE WHEN schema_of_variant(variant_get(el, '$.age')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$'
              THEN try_variant_get(variant_get(el, '$.age'), '$', 'double') END,
    'b', CASE WHEN schema_of_variant(variant_get(el, '$.age')) = 'BOOLEAN' THEN variant_get(variant_get(el, '$.age'), '$', 'boolean') END) END).n < CAST('3.0' AS DOUBLE)), FALSE)), FALSE))),
      named_struct('i', 2, 'in', (p.c2 >= 2L OR COALESCE(q1.done, FALSE)))), x -> x.in), x -> x.i) AS segs
FROM (SELECT r.week, r.person, r.c1, r.c0, COALESCE(r.tr0.v, r.to0.v) AS tr0, r.tl0.v AS tl0, COALESCE(b.c2, 0L) AS c2
      FROM (SELECT g.week, g.person,
              sum(a.c1) OVER w AS c1,
              sum(d.c0) OVER w AS c0,
              max_by(a.tr0, a.tr0.k) OVER w AS tr0,
              max_by(a.tl0, a.tl0.k) OVER w AS tl0,
              min_by(a.to0, a.to0.k) OVER w AS to0
            FROM (SELECT s.person, n.week
                  FROM (SELECT person, min(week) AS first FROM es_segment_partial GROUP BY person) s
                  JOIN es_segment_weeks n ON n.week >= s.first) g
            LEFT JOIN es_segment_partial a ON a.week = g.week AND a.person = g.person
            LEFT JOIN es_segment_partial_next d ON d.week = g.week AND d.person = g.person
            WINDOW w AS (PARTITION BY g.person ORDER BY g.week ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)) r
      LEFT JOIN es_segment_windowed b ON b.week = r.week AND b.person = r.person) p
            LEFT JOIN (SELECT n.week, q.person, TRUE AS done
FROM (SELECT person, min(CASE WHEN s1 IS NOT NULL AND time - s1 <= 86400000L THEN time END) AS at
      FROM (SELECT *, CASE WHEN m1 THEN max(s0) OVER (PARTITION BY person ORDER BY time
                                            RANGE BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) END AS s1
FROM (SELECT *, CASE WHEN m0 THEN time END AS s0 FROM (SELECT e.person, e.time, e.name = 'X' AS m0, e.name = 'Y' AS m1
  FROM es_scope e CROSS JOIN es_now n)))
      GROUP BY person) q
JOIN es_segment_weeks n ON q.at <= n.now) q0 ON p.week = q0.week AND p.person = q0.person
            LEFT JOIN (SELECT week, person, bool_or(s1 IS NOT NULL AND time - s1 <= 3600000L) AS done
FROM (SELECT *, CASE WHEN m1 THEN max(s0) OVER (PARTITION BY week, person ORDER BY time
                                            RANGE BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) END AS s1
FROM (SELECT *, CASE WHEN m0 THEN time END AS s0 FROM (SELECT n.week, e.person, e.time, e.name = 'X' AND e.time >= n.now - 604800000L AS m0, e.name = 'Y' AS m1
  FROM es_scope e JOIN es_segment_weeks n ON e.time <= n.now)))
GROUP BY week, person) q1 ON p.week = q1.week AND p.person = q1.person;

-- result: segment_weekly
SELECT week, s AS segment, count(*) AS size FROM es_members_weekly LATERAL VIEW explode(segs) x AS s GROUP BY week, s;

-- table: es_member_of
SELECT person, s AS segment FROM es_members LATERAL VIEW explode(segs) x AS s;

-- result: segment_feedback_loops
SELECT segment, channel, count(*) AS prompts, count_if(answered) AS answered,
  count(DISTINCT person) AS persons_prompted, count(DISTINCT CASE WHEN answered THEN person END) AS persons_answered,
  max(CASE WHEN answered AND rk = (n + 1L) div 2L THEN delay END) AS median_low,
  max(CASE WHEN answered AND rk = n div 2L + 1L THEN delay END) AS median_high
FROM (SELECT *, row_number() OVER (PARTITION BY segment, channel, answered ORDER BY delay) AS rk,
        count_if(answered) OVER (PARTITION BY segment, channel) AS n
      FROM (SELECT m.segment, p.channel, p.person, p.answered, p.delay
            FROM es_fb_prompts p JOIN es_member_of m ON p.person = m.person))
GROUP BY segment, channel;

-- result: segment_feedback_dismissed
SELECT m.segment, COALESCE(f.channel, f.lp.channel, 'unknown') AS channel, count(*) AS dismissed
FROM es_fb f JOIN es_member_of m ON f.person = m.person
WHERE f.role = 2 GROUP BY m.segment, COALESCE(f.channel, f.lp.channel, 'unknown');

-- result: segment_nps
SELECT m.segment, count_if(f.score >= 9) AS promoters, count_if(f.score BETWEEN 7 AND 8) AS passives,
  count_if(f.score <= 6) AS detractors
FROM es_fb f JOIN es_member_of m ON f.person = m.person
WHERE f.role = 1 AND f.score IS NOT NULL AND COALESCE(f.decl, f.lp.decl, 1) = 1
GROUP BY m.segment;

-- result: segment_sizes
SELECT s AS segment, count(*) AS size FROM es_members LATERAL VIEW explode(segs) x AS s GROUP BY s;

-- result: segment_reachable
SELECT s AS segment, g.category, count(*) AS persons
FROM es_members m
JOIN (SELECT person, category FROM (
        SELECT person, category, max_by(granted, struct(time, file, block, rid)) AS granted
        FROM es_consent_event WHERE time <= (SELECT max(now) FROM es_now) GROUP BY person, category)
      WHERE granted) g ON m.person = g.person
LATERAL VIEW explode(m.segs) x AS s
GROUP BY s, g.category;

-- result: segment_overlap
SELECT a, b, count(*) AS size
FROM (SELECT filter(segs, s -> s < 100) AS segs FROM es_members)
LATERAL VIEW explode(segs) x AS a LATERAL VIEW explode(segs) y AS b
WHERE a < b GROUP BY a, b;
