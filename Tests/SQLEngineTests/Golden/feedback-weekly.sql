-- view: es_fb_events
CREATE OR REPLACE TEMP VIEW es_fb_events AS
SELECT person, time, file, block, rid, fb_role AS role, COALESCE(fb_survey, 'unknown') AS survey,
  fb_channel AS channel, fb_sub AS sub, fb_score AS score, fb_decl AS decl, zone,
  struct(time, CASE WHEN fb_role = 0 THEN 0 ELSE 1 END AS prompt_last, file, block, rid) AS k
FROM (SELECT *, last(tz, TRUE) OVER (PARTITION BY person ORDER BY time, file, block, rid
                                     ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS zone
      FROM es_scope)
WHERE fb_role IS NOT NULL;

-- table: es_fb
CACHE TABLE es_fb OPTIONS ('storageLevel' 'MEMORY_AND_DISK') AS
SELECT *,
  last(CASE WHEN role = 0 THEN named_struct('time', time, 'channel', COALESCE(channel, 'unknown'), 'decl', decl,
                                            'file', file, 'block', block, 'rid', rid) END, TRUE)
    OVER (PARTITION BY person, survey ORDER BY k ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS lp
FROM (SELECT *, CASE WHEN role = 1 AND sub IS NOT NULL
                     THEN row_number() OVER (PARTITION BY person, survey, role, sub ORDER BY k DESC) ELSE 1 END AS latest
      FROM es_fb_events)
WHERE latest = 1;

-- table: es_fb_prompts
CACHE TABLE es_fb_prompts OPTIONS ('storageLevel' 'MEMORY_AND_DISK') AS
SELECT p.person, p.time, p.survey, COALESCE(p.channel, 'unknown') AS channel, p.zone,
  a.delay IS NOT NULL AS answered, a.delay, p.file, p.block, p.rid
FROM es_fb p
LEFT JOIN (SELECT lp.file AS f, lp.block AS b, lp.rid AS r, min(time - lp.time) AS delay
           FROM es_fb WHERE role = 1 AND lp IS NOT NULL AND time - lp.time <= 604800000L
           GROUP BY lp.file, lp.block, lp.rid) a
  ON p.file = a.f AND p.block = a.b AND p.rid = a.r
WHERE p.role = 0;

-- result: feedback_loops
SELECT g, gkey, count(*) AS prompts, count_if(answered) AS answered,
  count(DISTINCT person) AS persons_prompted, count(DISTINCT CASE WHEN answered THEN person END) AS persons_answered,
  max(CASE WHEN answered AND rk = (n + 1L) div 2L THEN delay END) AS median_low,
  max(CASE WHEN answered AND rk = n div 2L + 1L THEN delay END) AS median_high
FROM (SELECT *, row_number() OVER (PARTITION BY g, gkey, answered ORDER BY delay) AS rk,
        count_if(answered) OVER (PARTITION BY g, gkey) AS n
      FROM (SELECT 'all' AS g, '' AS gkey, person, answered, delay FROM es_fb_prompts
            UNION ALL SELECT 'channel', channel, person, answered, delay FROM es_fb_prompts
            UNION ALL SELECT 'survey', survey, person, answered, delay FROM es_fb_prompts))
GROUP BY g, gkey;

-- result: feedback_survey_channels
SELECT survey, channel, count(*) AS prompts FROM es_fb_prompts GROUP BY survey, channel;

-- result: feedback_dismissed
SELECT survey, COALESCE(channel, lp.channel, 'unknown') AS channel, count(*) AS dismissed
FROM es_fb WHERE role = 2 GROUP BY survey, COALESCE(channel, lp.channel, 'unknown');

-- result: feedback_responses
SELECT count(*) AS responses, count_if(lp IS NULL OR time - lp.time > 604800000L) AS unmatched
FROM es_fb WHERE role = 1;

-- result: feedback_hour_weekday
SELECT zone, utc_cell, local_cell, count(*) AS prompts, count_if(answered) AS answered
FROM (SELECT zone, answered,
        pmod(((time - pmod(time, 86400000L)) div 86400000L) + 3L, 7L) * 24L + pmod(time, 86400000L) div 3600000L AS utc_cell,
        CASE WHEN zone IS NOT NULL AND try_reflect('java.time.ZoneId', 'of', zone) IS NOT NULL
             THEN CAST(pmod(dayofweek(from_utc_timestamp(timestamp_millis(time), zone)) + 5, 7) AS BIGINT) * 24L
                  + hour(from_utc_timestamp(timestamp_millis(time), zone)) END AS local_cell
      FROM es_fb_prompts)
GROUP BY zone, utc_cell, local_cell;

-- result: weekly_seen
SELECT (((((time - pmod(time, 86400000L)) div 86400000L) + 3L) - pmod((((time - pmod(time, 86400000L)) div 86400000L) + 3L), 7L)) div 7L) AS week, count(DISTINCT person) AS persons FROM es_scope GROUP BY 1;

-- result: weekly_arrived
SELECT (((((first - pmod(first, 86400000L)) div 86400000L) + 3L) - pmod((((first - pmod(first, 86400000L)) div 86400000L) + 3L), 7L)) div 7L) AS week, count(*) AS persons
FROM (SELECT person, min(time) AS first FROM es_scope GROUP BY person) GROUP BY 1;

-- result: weekly_prompts
SELECT (((((time - pmod(time, 86400000L)) div 86400000L) + 3L) - pmod((((time - pmod(time, 86400000L)) div 86400000L) + 3L), 7L)) div 7L) AS week, count(*) AS prompts, count_if(answered) AS answered FROM es_fb_prompts GROUP BY 1;

-- result: weekly_granted
SELECT category, week, sum(delta) AS delta
FROM (SELECT category, week,
        g - COALESCE(lag(g) OVER (PARTITION BY person, category ORDER BY week), 0) AS delta
      FROM (SELECT person, category, (((((time - pmod(time, 86400000L)) div 86400000L) + 3L) - pmod((((time - pmod(time, 86400000L)) div 86400000L) + 3L), 7L)) div 7L) AS week,
              CASE WHEN max_by(granted, struct(time, file, block, rid)) THEN 1 ELSE 0 END AS g
            FROM es_consent_event WHERE time <= (SELECT max(now) FROM es_now)
            GROUP BY person, category, (((((time - pmod(time, 86400000L)) div 86400000L) + 3L) - pmod((((time - pmod(time, 86400000L)) div 86400000L) + 3L), 7L)) div 7L)))
GROUP BY category, week;

-- result: feedback_nps
SELECT survey,
  COALESCE(channel, CASE WHEN lp IS NOT NULL AND time - lp.time <= 604800000L THEN lp.channel END, 'unknown') AS channel,
  count_if(score >= 9) AS promoters, count_if(score BETWEEN 7 AND 8) AS passives, count_if(score <= 6) AS detractors
FROM es_fb
WHERE role = 1 AND score IS NOT NULL AND COALESCE(decl, lp.decl, 1) = 1
GROUP BY 1, 2;
