#!/usr/bin/env python3
"""The DuckDB side of bench/run.sh: earshot's headline figures in SQL over the same files.

    python3 bench/duck.py STORE_DIR [--threads 2]

Prints one JSON object: seconds (query time inside DuckDB, from connect to the last result),
persons, consent coverage per category and response rate per channel. The SQL follows
docs/DEFINITIONS.md: dedupe by messageId (first copy in file order wins), identity stitching
(userId; else the userId an anonymousId first appeared with, earliest time then file order, also
via alias previousId; else the anonymousId), latest-wins consent per person and category at or
before now (= the latest event), and survey prompts answered by the same person's response with
the same survey id within 7 days, before that person's next prompt of the survey.
"""
import json
import sys
import time

import duckdb

SQL = r"""
CREATE TEMP TABLE raw AS
SELECT row_number() OVER () AS seq, *
FROM read_ndjson([{files}], ignore_errors = true, format = 'newline_delimited',
    columns = {{
        'type': 'VARCHAR', 'messageId': 'VARCHAR', 'timestamp': 'VARCHAR',
        'originalTimestamp': 'VARCHAR', 'receivedAt': 'VARCHAR',
        'userId': 'VARCHAR', 'anonymousId': 'VARCHAR', 'event': 'VARCHAR', 'previousId': 'VARCHAR',
        'properties': 'STRUCT(survey_id VARCHAR, "$survey_id" VARCHAR, channel VARCHAR)',
        'context': 'STRUCT(consent STRUCT(categoryPreferences MAP(VARCHAR, BOOLEAN)), '
                   'consentManagement STRUCT(allowedConsentIds VARCHAR[], deniedConsentIds VARCHAR[]))'
    }});

CREATE TEMP TABLE ev AS
SELECT seq, type, event, nullif(userId, '') AS uid, nullif(anonymousId, '') AS aid, previousId,
       CAST(coalesce(timestamp, originalTimestamp, receivedAt) AS TIMESTAMPTZ) AS ts,
       coalesce(nullif(properties.survey_id, ''), nullif(properties."$survey_id", ''), 'unknown') AS survey,
       coalesce(nullif(properties.channel, ''), 'unknown') AS channel,
       context.consent.categoryPreferences AS prefs,
       context.consentManagement.allowedConsentIds AS allowed,
       context.consentManagement.deniedConsentIds AS denied
FROM raw
WHERE type IS NOT NULL AND (nullif(userId, '') IS NOT NULL OR nullif(anonymousId, '') IS NOT NULL)
  AND regexp_matches(coalesce(timestamp, originalTimestamp, receivedAt), '(Z|z|[+-]\d\d:?\d\d)$')
QUALIFY messageId IS NULL OR messageId = ''
     OR row_number() OVER (PARTITION BY messageId ORDER BY seq) = 1;

CREATE TEMP TABLE links AS
SELECT anon, arg_min(uid, (ts, seq)) AS uid FROM (
    SELECT aid AS anon, uid, ts, seq FROM ev WHERE uid IS NOT NULL AND aid IS NOT NULL
    UNION ALL
    SELECT previousId, uid, ts, seq FROM ev WHERE type = 'alias' AND uid IS NOT NULL AND nullif(previousId, '') IS NOT NULL
) GROUP BY anon;

CREATE TEMP TABLE pe AS
SELECT ev.*, coalesce(ev.uid, links.uid, ev.aid) AS person
FROM ev LEFT JOIN links ON ev.uid IS NULL AND links.anon = ev.aid;
"""

PERSONS = "SELECT count(DISTINCT person) FROM pe"

CONSENT = r"""
WITH now AS (SELECT max(ts) AS now FROM pe),
counted AS (SELECT count(DISTINCT person) AS n FROM pe, now WHERE ts <= now),
carried AS (
    SELECT person, ts, seq, 0 AS part, unnest(map_keys(prefs)) AS category, unnest(map_values(prefs)) AS granted
    FROM pe, now WHERE prefs IS NOT NULL AND ts <= now
    UNION ALL
    SELECT person, ts, seq, 1, unnest(allowed), true FROM pe, now WHERE allowed IS NOT NULL AND ts <= now
    UNION ALL
    SELECT person, ts, seq, 2, unnest(denied), false FROM pe, now WHERE denied IS NOT NULL AND ts <= now
),
latest AS (SELECT person, category, arg_max(granted, (ts, seq, part)) AS granted
           FROM carried WHERE granted IS NOT NULL AND category <> '' GROUP BY ALL)
SELECT category, count(*) FILTER (WHERE granted) / any_value(counted.n) AS coverage
FROM latest, counted GROUP BY category ORDER BY category
"""

RESPONSES = r"""
WITH now AS (SELECT max(ts) AS now FROM pe),
prompts AS (SELECT seq, person, survey, channel, ts FROM pe
            WHERE type = 'track' AND event IN ('Survey Shown', 'survey shown')),
responses AS (SELECT person, survey, ts FROM pe, now
              WHERE type = 'track' AND event IN ('Survey Sent', 'survey sent') AND ts <= now),
matched AS (
    SELECT p.seq, p.ts AS pts, r.ts AS rts
    FROM responses r ASOF JOIN prompts p
      ON r.person = p.person AND r.survey = p.survey AND r.ts >= p.ts
),
answered AS (SELECT DISTINCT seq FROM matched WHERE rts - pts <= INTERVAL 7 DAY)
SELECT channel, count(*) AS prompts, count(answered.seq) AS answered,
       count(answered.seq) / count(*) AS response_rate
FROM prompts LEFT JOIN answered USING (seq) GROUP BY channel ORDER BY channel
"""


def main():
    args = sys.argv[1:]
    threads = 2
    if "--threads" in args:
        i = args.index("--threads")
        threads = int(args[i + 1])
        del args[i:i + 2]
    store = args[0]
    import glob
    found = sorted(glob.glob(f"{store}/**/*.jsonl", recursive=True) + glob.glob(f"{store}/**/*.jsonl.gz", recursive=True))
    files = ", ".join("'" + f.replace("'", "''") + "'" for f in found)
    start = time.perf_counter()
    con = duckdb.connect()
    con.execute(f"SET threads = {threads}")
    con.execute("SET TimeZone = 'UTC'")
    con.execute(SQL.format(files=files))
    persons = con.execute(PERSONS).fetchone()[0]
    coverage = {c: v for c, v in con.execute(CONSENT).fetchall()}
    rates = {c: {"prompts": p, "answered": a, "response_rate": r} for c, p, a, r in con.execute(RESPONSES).fetchall()}
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "persons": persons, "coverage": coverage, "channels": rates}, sort_keys=True))


if __name__ == "__main__":
    main()
