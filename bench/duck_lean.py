#!/usr/bin/env python3
"""The lean DuckDB anchor of bench/run.sh (issue #14): the query a DuckDB user writes first.

    python3 bench/duck_lean.py STORE_DIR [--threads 2]

It does less than earshot on purpose — no dedupe by messageId, no identity stitching, no time
window — which is exactly why a user would reach for it: `read_ndjson` with explicit columns
(userId, anonymousId, type, event, timestamp, properties and context as JSON),
`ignore_errors=true`, 2 threads; persons = distinct coalesce(userId, anonymousId); two segment
conditions of ExampleData/shop.segments ("Gift buyer": viewed a baby and a gifts product;
"Chat regulars" without its window: at least 2 Survey Sent on chat) via GROUP BY person HAVING
bool_or(…) / count(*) FILTER; the latest Personalization consent per person via arg_max(…, timestamp);
response rate per channel as Survey Sent / Survey Shown counts.

Prints one JSON object: seconds (from connect to the last result) and the figures (not compared
with earshot's: the semantics differ by design).
"""
import glob
import json
import sys
import time

import duckdb

LOAD = r"""
CREATE TEMP TABLE ev AS
SELECT coalesce(userId, anonymousId) AS uid, type, event, CAST(timestamp AS TIMESTAMPTZ) AS ts,
       properties, context
FROM read_ndjson([{files}], ignore_errors = true, format = 'newline_delimited',
    columns = {{'userId': 'VARCHAR', 'anonymousId': 'VARCHAR', 'type': 'VARCHAR', 'event': 'VARCHAR',
                'timestamp': 'VARCHAR', 'properties': 'JSON', 'context': 'JSON'}})
"""

PERSONS = "SELECT count(DISTINCT uid) FROM ev"

SEGMENTS = r"""
SELECT
  (SELECT count(*) FROM (
     SELECT uid FROM ev WHERE type = 'track' AND event = 'Product Viewed' GROUP BY uid
     HAVING bool_or(properties->>'category' = 'baby') AND bool_or(properties->>'category' = 'gifts'))),
  (SELECT count(*) FROM (
     SELECT uid FROM ev WHERE type = 'track' AND event = 'Survey Sent' GROUP BY uid
     HAVING count(*) FILTER (WHERE properties->>'channel' = 'chat') >= 2))
"""

CONSENT = r"""
SELECT count(*) FILTER (WHERE granted) / count(*) FROM (
  SELECT uid, arg_max(CAST(context->'consent'->'categoryPreferences'->>'Personalization' AS BOOLEAN), ts) AS granted
  FROM ev WHERE context->'consent'->'categoryPreferences'->>'Personalization' IS NOT NULL GROUP BY uid)
"""

RATES = r"""
SELECT coalesce(properties->>'channel', 'unknown') AS channel,
       count(*) FILTER (WHERE event = 'Survey Shown') AS shown,
       count(*) FILTER (WHERE event = 'Survey Sent') AS sent,
       count(*) FILTER (WHERE event = 'Survey Sent') / nullif(count(*) FILTER (WHERE event = 'Survey Shown'), 0) AS rate
FROM ev WHERE type = 'track' AND event IN ('Survey Shown', 'Survey Sent') GROUP BY ALL ORDER BY channel
"""


def main():
    args = sys.argv[1:]
    threads = 2
    if "--threads" in args:
        i = args.index("--threads")
        threads = int(args[i + 1])
        del args[i:i + 2]
    store = args[0]
    found = sorted(glob.glob(f"{store}/**/*.jsonl", recursive=True) + glob.glob(f"{store}/**/*.jsonl.gz", recursive=True))
    files = ", ".join("'" + f.replace("'", "''") + "'" for f in found)
    start = time.perf_counter()
    con = duckdb.connect()
    con.execute(f"SET threads = {threads}")
    con.execute("SET TimeZone = 'UTC'")
    con.execute(LOAD.format(files=files))
    persons = con.execute(PERSONS).fetchone()[0]
    gift, chat = con.execute(SEGMENTS).fetchone()
    personalization = con.execute(CONSENT).fetchone()[0]
    rates = {c: {"shown": s, "sent": n, "rate": r} for c, s, n, r in con.execute(RATES).fetchall()}
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "persons": persons, "segments": {"Gift buyer": gift, "Chat regulars": chat},
                      "personalization_coverage": personalization, "channels": rates}, sort_keys=True))


if __name__ == "__main__":
    main()
