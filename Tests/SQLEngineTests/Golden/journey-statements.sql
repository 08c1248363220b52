-- column pv0:
CASE WHEN variant_get(v, '$.properties.category') IS NULL THEN NULL ELSE named_struct(
    't', CASE WHEN schema_of_variant(variant_get(v, '$.properties.category')) = 'STRING' THEN 's' WHEN schema_of_variant(variant_get(v, '$.properties.category')) = 'BOOLEAN' THEN 'b'
              WHEN schema_of_variant(variant_get(v, '$.properties.category')) = 'VOID' THEN 'z'
              WHEN schema_of_variant(variant_get(v, '$.properties.category')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$' THEN 'n'
              ELSE 'c' END,
    's', CASE WHEN schema_of_variant(variant_get(v, '$.properties.category')) = 'STRING' THEN variant_get(variant_get(v, '$.properties.category'), '$', 'string') END,
    'n', CASE WHEN schema_of_variant(variant_get(v, '$.properties.category')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$'
              THEN try_variant_get(variant_get(v, '$.properties.category'), '$', 'double') END,
    'b', CASE WHEN schema_of_variant(variant_get(v, '$.properties.category')) = 'BOOLEAN' THEN variant_get(variant_get(v, '$.properties.category'), '$', 'boolean') END) END
-- column section:
CASE WHEN type_text IN ('page', 'screen') THEN lower(NULLIF(CASE
    WHEN COALESCE(CASE WHEN schema_of_variant(variant_get(v, '$.category')) = 'STRING' THEN variant_get(v, '$.category', 'string') END, '') <> '' THEN CASE WHEN schema_of_variant(variant_get(v, '$.category')) = 'STRING' THEN variant_get(v, '$.category', 'string') END
    WHEN COALESCE(CASE WHEN schema_of_variant(variant_get(v, '$.properties.category')) = 'STRING' THEN variant_get(v, '$.properties.category', 'string') END, '') <> '' THEN CASE WHEN schema_of_variant(variant_get(v, '$.properties.category')) = 'STRING' THEN variant_get(v, '$.properties.category', 'string') END
    ELSE regexp_extract(regexp_extract(COALESCE(CASE WHEN schema_of_variant(variant_get(v, '$.properties.path')) = 'STRING' THEN variant_get(v, '$.properties.path', 'string') END, CASE WHEN schema_of_variant(variant_get(v, '$.context.page.path')) = 'STRING' THEN variant_get(v, '$.context.page.path', 'string') END),
                                       '^/*([^/]*)', 1), '^[?#]*([^?#]*)', 1) END, '')) END
-- table: es_journey_paths
SELECT 0 AS journey, person, slice(out, 1, 3) AS steps, CASE WHEN size(out) < 3 THEN 1 ELSE 0 END AS ended
FROM (SELECT person,
        aggregate(filter(slice(evs, pos + 2, size(evs)), y -> y.time - et <= 1800000L), named_struct('prev', ev, 'out', CAST(array() AS array<string>)),
                  (acc, y) -> CASE WHEN y.v IS NOT NULL AND y.v IS DISTINCT FROM acc.prev AND size(acc.out) < 3
                                   THEN named_struct('prev', y.v, 'out', concat(acc.out, array(y.v))) ELSE acc END).out AS out
      FROM (SELECT person, evs, pos, en.time AS et, en.v AS ev
            FROM (SELECT person, sort_array(collect_list(named_struct('time', time, 'file', file, 'block', block, 'rid', rid,
                                                                     'v', v, 'entry', entry))) AS evs
                  FROM (SELECT *, sum(brk) OVER (PARTITION BY person ORDER BY time, file, block, rid
                                                 ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS sess
                        FROM (SELECT e.person, e.time, e.file, e.block, e.rid,
                                CASE WHEN e.kind IN ('page', 'screen') THEN e.section END AS v,
                                e.name = 'Email Link Clicked' AND COALESCE(((e.pv0.t = 's' AND e.pv0.s = 'baby')), FALSE) AS entry,
                                CASE WHEN e.time - lag(e.time) OVER (PARTITION BY e.person ORDER BY e.time, e.file, e.block, e.rid)
                                          >= 1800000L THEN 1 ELSE 0 END AS brk
                              FROM es_scope e CROSS JOIN es_now n))
                  GROUP BY person, sess
                  HAVING bool_or(entry))
            LATERAL VIEW posexplode(evs) x AS pos, en
            WHERE en.entry))
UNION ALL
SELECT 1 AS journey, person, slice(out, 1, 2) AS steps, CASE WHEN size(out) < 2 THEN 1 ELSE 0 END AS ended
FROM (SELECT person,
        aggregate(reverse(slice(evs, 1, pos)), named_struct('prev', ev, 'out', CAST(array() AS array<string>)),
                  (acc, y) -> CASE WHEN y.v IS NOT NULL AND y.v IS DISTINCT FROM acc.prev AND size(acc.out) < 2
                                   THEN named_struct('prev', y.v, 'out', concat(acc.out, array(y.v))) ELSE acc END).out AS out
      FROM (SELECT person, evs, pos, en.time AS et, en.v AS ev
            FROM (SELECT person, sort_array(collect_list(named_struct('time', time, 'file', file, 'block', block, 'rid', rid,
                                                                     'v', v, 'entry', entry))) AS evs
                  FROM (SELECT *, sum(brk) OVER (PARTITION BY person ORDER BY time, file, block, rid
                                                 ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS sess
                        FROM (SELECT e.person, e.time, e.file, e.block, e.rid,
                                CASE WHEN e.kind IN ('track', 'page', 'screen') THEN e.name END AS v,
                                e.name = 'Order Completed' AS entry,
                                CASE WHEN e.time - lag(e.time) OVER (PARTITION BY e.person ORDER BY e.time, e.file, e.block, e.rid)
                                          >= 1800000L THEN 1 ELSE 0 END AS brk
                              FROM es_scope e CROSS JOIN es_now n))
                  GROUP BY person, sess
                  HAVING bool_or(entry))
            LATERAL VIEW posexplode(evs) x AS pos, en
            WHERE en.entry));

-- table: es_journey_nodes
SELECT *, row_number() OVER (PARTITION BY journey, parent ORDER BY entries DESC, step) AS rk
FROM (SELECT journey, parent, step, count(*) AS entries, count(DISTINCT person) AS persons,
        sum(ended_here) AS ended, count(DISTINCT CASE WHEN ended_here = 1 THEN person END) AS ended_persons
      FROM (SELECT journey, person, parent, step, CASE WHEN ended = 1 AND size(steps) = d + 1 THEN 1 ELSE 0 END AS ended_here
      FROM (SELECT journey, person, steps, ended, d, s AS step, slice(steps, 1, d) AS parent
            FROM es_journey_paths LATERAL VIEW posexplode(steps) x AS d, s))
      GROUP BY journey, parent, step);

-- result: journey_entries
SELECT journey, count(*) AS entries, count(DISTINCT person) AS persons,
  count_if(size(steps) = 0) AS ended, count(DISTINCT CASE WHEN size(steps) = 0 THEN person END) AS ended_persons
FROM es_journey_paths GROUP BY journey;

-- result: journey_nodes
SELECT journey, parent, step, entries, persons, ended, ended_persons
FROM es_journey_nodes WHERE rk <= 8;

-- result: journey_other
SELECT s.journey, s.parent, count(*) AS entries, count(DISTINCT s.person) AS persons, sum(s.ended_here) AS ended
FROM (SELECT journey, person, parent, step, CASE WHEN ended = 1 AND size(steps) = d + 1 THEN 1 ELSE 0 END AS ended_here
      FROM (SELECT journey, person, steps, ended, d, s AS step, slice(steps, 1, d) AS parent
            FROM es_journey_paths LATERAL VIEW posexplode(steps) x AS d, s)) s
JOIN (SELECT journey, parent, step FROM es_journey_nodes WHERE rk > 8) r
  ON s.journey = r.journey AND s.parent = r.parent AND s.step = r.step
GROUP BY s.journey, s.parent;

-- result: journey_paths
SELECT journey, steps, ended, entries, persons
FROM (SELECT *, rank() OVER (PARTITION BY journey ORDER BY entries DESC) AS rk
      FROM (SELECT journey, steps, ended, count(*) AS entries, count(DISTINCT person) AS persons
            FROM es_journey_paths GROUP BY journey, steps, ended))
WHERE rk <= 20;
