-- table: es_answers
CACHE TABLE es_answers OPTIONS ('storageLevel' 'MEMORY_AND_DISK') AS
SELECT r.person, r.survey, r.time, r.file, r.block, r.rid, a.pos, a.s.q AS question, a.s.val AS val
FROM (SELECT r.*,
        CASE WHEN size(named) > 0 THEN named
             WHEN r.survey IN ('n', 's') THEN concat(
               CASE WHEN plain_score IS NOT NULL THEN array(named_struct('q', plain_score, 'val', r.fb_pscore))
                    ELSE CAST(array() AS array<struct<q: string, val: variant>>) END,
               CASE WHEN r.fb_ptext IS NOT NULL
                         AND COALESCE(CASE WHEN plain_score IS NOT NULL THEN try_element_at(map('n', 'why'), r.survey) ELSE try_element_at(map('n', 'why'), r.survey) END, '') <> ''
                    THEN array(named_struct('q', CASE WHEN plain_score IS NOT NULL THEN try_element_at(map('n', 'why'), r.survey) ELSE try_element_at(map('n', 'why'), r.survey) END,
                                            'val', CAST(r.fb_ptext AS VARIANT)))
                    ELSE CAST(array() AS array<struct<q: string, val: variant>>) END)
             ELSE CAST(array() AS array<struct<q: string, val: variant>>) END AS answers
      FROM (SELECT r.*,
              filter(transform(classified, c -> named_struct('q', CASE
                  WHEN c.c = 1 OR c.c = 3 THEN c.n
                  WHEN c.c = 2 AND NOT exists(classified, d -> d.c = 1)
                    THEN COALESCE(try_element_at(try_element_at(map('n', array('rec', 'why'), 's', array('q1', 'q2')), r.survey), CAST(c.n AS INT) + 1), concat('#', CAST(CAST(c.n AS INT) + 1 AS STRING)))
                  END, 'val', c.val)), c -> c.q IS NOT NULL) AS named,
              CASE WHEN r.fb_pscore IS NOT NULL AND (schema_of_variant(r.fb_pscore) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$'
 OR (schema_of_variant(r.fb_pscore) = 'STRING' AND regexp_like(variant_get(r.fb_pscore, '$', 'string'), '(?U)(?i)^\\s*[+-]?(?:(?:[0-9]+[.]?[0-9]*|[.][0-9]+)(?:e[+-]?[0-9]+)?|0x(?:[0-9a-f]+[.]?[0-9a-f]*|[.][0-9a-f]+)(?:p[+-]?[0-9]+)?|inf|infinity|nan)\\s*\\z'))) THEN try_element_at(map('n', 'rec', 's', 'q2'), r.survey) END AS plain_score
            FROM (SELECT f.person, f.survey, f.time, f.file, f.block, f.rid, e.fb_pscore, e.fb_ptext,
                    transform(COALESCE(e.fb_ans, CAST(array() AS array<struct<key: string, val: variant>>)), x -> named_struct(
                      'c', CASE WHEN x.key = '$survey_response' THEN 2
                                WHEN startswith(x.key, '$survey_response_') THEN
                                  CASE WHEN x.key = '$survey_response_' THEN 0
                                       WHEN regexp_like(x.key, '^[$]survey_response_[0-9]{1,4}\\z') THEN 2 ELSE 1 END
                                WHEN startswith(x.key, '$survey_response') THEN 0 ELSE 3 END,
                      'n', CASE WHEN x.key = '$survey_response' THEN '0'
                                WHEN startswith(x.key, '$survey_response_') THEN substr(x.key, 18)
                                ELSE x.key END,
                      'val', x.val)) AS classified
                  FROM es_fb f JOIN es_events e ON f.file = e.file AND f.block = e.block AND f.rid = e.rid
                  WHERE f.role = 1) r) r) r
LATERAL VIEW posexplode(answers) a AS pos, s;

-- result: answer_rows
SELECT person, survey, time, file, block, rid, pos, question,
  CASE WHEN schema_of_variant(val) = 'STRING' THEN 's' WHEN schema_of_variant(val) = 'BOOLEAN' THEN 'b' ELSE 'n' END AS kind,
  CASE WHEN schema_of_variant(val) = 'STRING' THEN variant_get(val, '$', 'string')
       WHEN schema_of_variant(val) = 'BOOLEAN' THEN CAST(variant_get(val, '$', 'boolean') AS STRING)
       ELSE CAST(try_variant_get(val, '$', 'double') AS STRING) END AS value
FROM es_answers;

-- result: free_texts
SELECT person, ft AS text, count(*) AS n FROM es_scope WHERE ft IS NOT NULL GROUP BY person, ft;

-- table: es_depth
CACHE TABLE es_depth OPTIONS ('storageLevel' 'MEMORY_AND_DISK') AS
SELECT s.person, s.first, COALESCE(size(d.times), 0) AS depth, d.times, p.person IS NOT NULL AS prompted
FROM (SELECT person, min(time) AS first FROM es_scope GROUP BY person) s
LEFT JOIN (SELECT person, sort_array(collect_list(t)) AS times
           FROM (SELECT person, min(time) AS t
                 FROM (SELECT person, survey, question, time FROM es_answers
                       UNION ALL
                       SELECT f.person, f.survey, CAST(NULL AS STRING), f.time
                       FROM es_fb f LEFT ANTI JOIN es_answers a ON f.file = a.file AND f.block = a.block AND f.rid = a.rid
                       WHERE f.role = 1)
                 GROUP BY person, survey, question)
           GROUP BY person) d ON s.person = d.person
LEFT JOIN (SELECT DISTINCT person FROM es_fb_prompts) p ON s.person = p.person;

-- result: depth_all
SELECT least(depth, 4) AS depth, count(*) AS persons, count_if(prompted) AS prompted
FROM es_depth GROUP BY 1;

-- result: depth_weekly
SELECT k, week, count(*) AS persons
FROM (SELECT 0 AS k, (((((first - pmod(first, 86400000L)) div 86400000L) + 3L) - pmod((((first - pmod(first, 86400000L)) div 86400000L) + 3L), 7L)) div 7L) AS week FROM es_depth
      UNION ALL
      SELECT k0 + 1 AS k, (((((t - pmod(t, 86400000L)) div 86400000L) + 3L) - pmod((((t - pmod(t, 86400000L)) div 86400000L) + 3L), 7L)) div 7L) AS week
      FROM es_depth LATERAL VIEW posexplode(slice(times, 1, 4)) x AS k0, t)
GROUP BY k, week;

-- result: answer_prompted
SELECT DISTINCT person, survey FROM es_fb_prompts WHERE survey IN ('n', 's');

-- table: es_scored
CACHE TABLE es_scored OPTIONS ('storageLevel' 'MEMORY_AND_DISK') AS
SELECT f.person, f.survey,
  COALESCE(f.channel, CASE WHEN f.lp IS NOT NULL AND f.time - f.lp.time <= 604800000L THEN f.lp.channel END, 'unknown') AS channel,
  CASE WHEN a.answered THEN a.score ELSE f.score END AS score
FROM (SELECT * FROM es_fb WHERE role = 1 AND CASE WHEN survey IN ('n', 's') THEN survey IN ('n')
     ELSE COALESCE(decl, lp.decl, 1) = 1 END) f
LEFT JOIN (SELECT file, block, rid, TRUE AS answered, max_by(CASE WHEN schema_of_variant(val) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$'
          AND try_variant_get(val, '$', 'double') BETWEEN CAST('0' AS DOUBLE) AND CAST('10' AS DOUBLE)
          AND try_variant_get(val, '$', 'double') = floor(try_variant_get(val, '$', 'double'))
       THEN CAST(try_variant_get(val, '$', 'double') AS INT)
     WHEN schema_of_variant(val) = 'STRING'
          AND regexp_like(variant_get(val, '$', 'string'), '(?U)^\\s*0*([0-9]|10)\\s*\\z')
       THEN CAST(regexp_extract(variant_get(val, '$', 'string'), '(?U)^\\s*0*([0-9]+)', 1) AS INT) END, pos) AS score
           FROM es_answers WHERE question = try_element_at(map('n', 'rec'), survey) GROUP BY file, block, rid) a
  ON f.file = a.file AND f.block = a.block AND f.rid = a.rid;

-- result: feedback_nps
SELECT survey, channel, count_if(score >= 9) AS promoters, count_if(score BETWEEN 7 AND 8) AS passives,
  count_if(score <= 6) AS detractors
FROM es_scored WHERE score IS NOT NULL GROUP BY survey, channel;

-- result: segment_depth
SELECT m.segment, least(d.depth, 4) AS depth, count(*) AS persons,
  count_if(d.prompted) AS prompted
FROM es_depth d JOIN es_member_of m ON d.person = m.person GROUP BY 1, 2;

-- result: segment_nps
SELECT m.segment, count_if(f.score >= 9) AS promoters, count_if(f.score BETWEEN 7 AND 8) AS passives,
  count_if(f.score <= 6) AS detractors
FROM es_scored f JOIN es_member_of m ON f.person = m.person
WHERE f.score IS NOT NULL GROUP BY m.segment;
