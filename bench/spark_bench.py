#!/usr/bin/env python3
"""The Spark column of the bench (#17): `report --engine spark` on the bench stores next to the embedded engine, with
Spark local[N] and the standalone cluster on loopback (bench/spark-cluster.sh). Called by `bench/run.sh --spark`.

For every store and master it measures the wall time of `earshot report --format json --min-cohort 0 --engine spark`
(the JVM start included), Spark's own time (the report's `engine.seconds`), the peak resident memory of earshot and
its waited-for children (spark-submit's JVM: the driver, and the executors in local mode), the jobs, stages and SQL
executions of the run (Spark's event log), and whether every figure Spark computes equals the embedded engine's (the
same recursive compare as SparkAgreementTests). Prints rows in bench/RESULTS.md's format and writes them as JSON to
$EARSHOT_BENCH_DIR/spark-results.json.

Environment: EARSHOT_BENCH_SIZES (default "0.1GB 1GB"; "smoke" with --mode smoke), EARSHOT_BENCH_SPARK_MASTERS
(default "local[2] cluster": `cluster` starts bench/spark-cluster.sh, and stops it afterwards when it started it),
EARSHOT_BENCH_SPARK_CONF (space-separated k=v, default spark.sql.shuffle.partitions=2).
"""
import argparse
import glob
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare import BENCH_DIR, ROOT, ensure_store, timed  # noqa: E402


def differences(spark, embedded, path=""):
    """Paths where Spark's report differs from the embedded one (every value Spark's report holds)."""
    out = []
    if isinstance(spark, dict):
        if not isinstance(embedded, dict):
            return [path or "."]
        for k, v in spark.items():
            out += differences(v, embedded.get(k, "<absent>"), path + "." + k)
    elif isinstance(spark, list):
        if not isinstance(embedded, list) or len(spark) != len(embedded):
            return [path]
        for i, (a, b) in enumerate(zip(spark, embedded)):
            out += differences(a, b, f"{path}[{i}]")
    elif spark != embedded:
        out.append(path)
    return out


def compare_reports(spark, embedded):
    spark = dict(spark)
    spark.pop("engine", None)
    privacy = dict(spark.get("privacy", {}))
    suppressed = privacy.pop("suppressed_values", None)
    spark["privacy"] = privacy
    diffs = differences(spark, embedded)
    # Spark's report holds fewer figures, so it can suppress at most as many values.
    if suppressed is not None and suppressed > embedded.get("privacy", {}).get("suppressed_values", -1):
        diffs.append(".privacy.suppressed_values")
    return diffs


def event_log_counts(directory):
    """Jobs, stages (completed, skipped ones not counted) and SQL executions in the event log(s) of `directory`."""
    jobs = stages = sql = 0
    # Spark 4 writes a rolling log by default: a directory eventlog_v2_<app> of events_<n>_<app> files.
    for path in sorted(p for p in glob.glob(os.path.join(directory, "**"), recursive=True) if os.path.isfile(p)):
        if os.path.basename(path).startswith("appstatus_"):
            continue
        with open(path, errors="replace") as f:
            for line in f:
                if '"Event":"SparkListenerJobStart"' in line:
                    jobs += 1
                elif '"Event":"SparkListenerStageCompleted"' in line:
                    stages += 1
                elif 'SparkListenerSQLExecutionStart"' in line:
                    sql += 1
    return jobs, stages, sql


def master_up(port=7077):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            return True
    except OSError:
        return False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", default="full")
    ap.add_argument("--bin", required=True)
    a = ap.parse_args()
    earshot = os.path.join(a.bin, "earshot")
    smoke = a.mode == "smoke"
    labels = os.environ.get("EARSHOT_BENCH_SIZES", "smoke" if smoke else "0.1GB 1GB").split()
    masters = os.environ.get("EARSHOT_BENCH_SPARK_MASTERS", "local[2] cluster").split()
    conf = os.environ.get("EARSHOT_BENCH_SPARK_CONF", "spark.sql.shuffle.partitions=2").split()
    if not os.environ.get("SPARK_HOME"):
        try:
            import pyspark
            os.environ["SPARK_HOME"] = os.path.dirname(pyspark.__file__)
        except ImportError:
            sys.exit("bench: no Spark (pip install pyspark==4.3.0, or set SPARK_HOME)")
    cache_home = tempfile.mkdtemp(prefix="earshot-bench-cache-")
    env = dict(os.environ, XDG_CACHE_HOME=cache_home)
    started_cluster = False
    rows = []
    failed = False
    try:
        for label in labels:
            store, size = ensure_store(label, earshot)
            rules = os.path.join(store, "shop.segments")
            base = [earshot, "report", "--format", "json", "--min-cohort", "0", "--no-cache", "--segments", rules, store]
            out, embedded_s, embedded_mb = timed(base, env)
            embedded = json.loads(out)
            for m in masters:
                master = m
                if m == "cluster":
                    if not master_up():
                        r = subprocess.run([os.path.join(ROOT, "bench", "spark-cluster.sh"), "start"],
                                           capture_output=True, text=True)
                        if r.returncode != 0:
                            sys.exit(f"bench: the loopback cluster did not start:\n{r.stderr[-2000:]}")
                        started_cluster = True
                    master = "spark://127.0.0.1:7077"
                log_dir = tempfile.mkdtemp(prefix="earshot-bench-eventlog-")
                extra = ["--spark-conf", "spark.eventLog.enabled=true", "--spark-conf", "spark.eventLog.dir=file://" + log_dir,
                         "--spark-conf", "spark.eventLog.compress=false"]
                for c in conf:
                    extra += ["--spark-conf", c]
                print(f"bench: {label} with --engine spark --spark-master {master}", file=sys.stderr)
                out, spark_s, spark_mb = timed(base + ["--engine", "spark", "--spark-master", master] + extra, env)
                report = json.loads(out)
                diffs = compare_reports(report, embedded)
                jobs, stages, sql = event_log_counts(log_dir)
                shutil.rmtree(log_dir, ignore_errors=True)
                rows.append({
                    "store": label, "mb": round(size / 1e6), "lines": embedded["store"]["lines"],
                    "events": embedded["store"]["events"], "embedded_s": embedded_s, "embedded_peak_mb": embedded_mb,
                    "master": master, "spark_s": spark_s, "spark_engine_s": report["engine"]["seconds"],
                    "peak_mb": spark_mb, "jobs": jobs, "stages": stages, "sql_executions": sql,
                    "conf": conf, "differences": diffs[:20], "agree": not diffs,
                })
                if diffs:
                    failed = True
                    print(f"bench: Spark and the embedded engine differ on {label} ({master}): {diffs[:10]}", file=sys.stderr)
    finally:
        if started_cluster:
            subprocess.run([os.path.join(ROOT, "bench", "spark-cluster.sh"), "stop"])
        shutil.rmtree(cache_home, ignore_errors=True)

    def f(x, spec="{:.2f}"):
        return "–" if x is None else spec.format(x)

    print(f"Spark (#17): `report --format json --min-cohort 0 --no-cache --segments shop.segments`, "
          f"`--spark-conf {' '.join(conf)}`; Spark s = wall time of earshot with `--engine spark` (JVM start included), "
          f"engine s = the report's `engine.seconds`; peak = earshot and its waited-for children (the driver JVM; in "
          f"local mode the executors too); jobs / stages / SQL executions from Spark's event log.")
    print()
    print("| store | MB | lines | events | earshot s | earshot peak MB | master | Spark s | engine s | Spark/earshot | peak MB | jobs | stages | SQL executions | figures equal |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        ratio = r["spark_s"] / r["embedded_s"] if r["spark_s"] and r["embedded_s"] else None
        print(f"| {r['store']} | {r['mb']} | {r['lines']:,} | {r['events']:,} | {f(r['embedded_s'])} | {f(r['embedded_peak_mb'], '{:.0f}')} "
              f"| {r['master']} | {f(r['spark_s'], '{:.1f}')} | {f(r['spark_engine_s'], '{:.1f}')} | {f(ratio, '{:.0f}×')} "
              f"| {f(r['peak_mb'], '{:.0f}')} | {r['jobs']} | {r['stages']} | {r['sql_executions']} "
              f"| {'yes' if r['agree'] else 'no: ' + ', '.join(r['differences'][:3])} |")
    os.makedirs(BENCH_DIR, exist_ok=True)
    with open(os.path.join(BENCH_DIR, "spark-results.json"), "w") as out:
        json.dump(rows, out, indent=1)
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
