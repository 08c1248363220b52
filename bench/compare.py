#!/usr/bin/env python3
"""Runs earshot (cold and cache-warm) and DuckDB over the same generated stores, interleaved;
checks they agree; prints a table of medians. Called by bench/run.sh (see there)."""
import argparse
import glob
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH_DIR = os.environ.get("EARSHOT_BENCH_DIR", "/tmp/earshot-bench")
# label → (persons, gzip). About 5,000 bytes of JSON lines per person over 91 days.
STORES = {
    "smoke": (300, True),
    "0.1GB": (19000, False),
    "0.5GB": (95000, False),
    "1GB": (200000, False),
    "0.5GB-gz": (95000, True),
}


def rules_text():
    local = os.path.join(ROOT, "ExampleData", "shop.segments")
    if os.path.exists(local):
        return open(local).read()
    for ref in ("main", "example"):
        r = subprocess.run(["git", "-C", ROOT, "show", f"{ref}:ExampleData/shop.segments"], capture_output=True, text=True)
        if r.returncode == 0:
            return r.stdout
    sys.exit("bench: ExampleData/shop.segments not found (needed for the segment figures)")


def ensure_store(label, earshot):
    persons, gz = STORES[label]
    path = os.path.join(BENCH_DIR, label)
    if not os.path.exists(os.path.join(path, ".complete")):
        shutil.rmtree(path, ignore_errors=True)
        print(f"bench: generating {label} ({persons} persons) into {path}", file=sys.stderr)
        subprocess.run([earshot, "example-data", "--out", path, "--persons", str(persons),
                        "--gzip" if gz else "--no-gzip"], check=True, stdout=subprocess.DEVNULL)
        with open(os.path.join(path, "shop.segments"), "w") as f:
            f.write(rules_text())
        open(os.path.join(path, ".complete"), "w").close()
    size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs
               if re.search(r"\.jsonl(\.gz)?$", f))
    return path, size


def timed(cmd, env=None):
    """Runs cmd under /usr/bin/time -v; returns (stdout, wall seconds, peak RSS in MB)."""
    have_time = os.path.exists("/usr/bin/time")
    full = (["/usr/bin/time", "-v"] if have_time else []) + cmd
    r = subprocess.run(full, capture_output=True, text=True, env=env)
    if r.returncode != 0:
        sys.exit(f"bench: {' '.join(cmd)} failed:\n{r.stderr[-2000:]}")
    wall, rss = None, None
    m = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", r.stderr)
    if m:
        wall = int(m.group(1) or 0) * 3600 + int(m.group(2)) * 60 + float(m.group(3))
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", r.stderr)
    if m:
        rss = int(m.group(1)) / 1024
    return r.stdout, wall, rss


def store_files(store):
    """The store's event files (what `cat` reads for the floor)."""
    import glob
    return sorted(glob.glob(f"{store}/**/*.jsonl", recursive=True) + glob.glob(f"{store}/**/*.jsonl.gz", recursive=True))


def median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def agree(report, duck):
    """Differences between earshot's report and DuckDB's figures (empty: they agree)."""
    problems = []
    if report["store"]["persons"] != duck["persons"]:
        problems.append(f"persons: earshot {report['store']['persons']}, DuckDB {duck['persons']}")
    mine = {c["name"]: c["coverage"] for c in report["consent"]["categories"]}
    for name in sorted(set(mine) | set(duck["coverage"])):
        a, b = mine.get(name), duck["coverage"].get(name)
        if a is None or b is None or abs(a - b) > 1e-9:
            problems.append(f"coverage {name}: earshot {a}, DuckDB {b}")
    rates = {c["channel"]: c["response_rate"] for c in report["feedback"]["channels"] if c["prompts"] > 0}
    theirs = {k: v["response_rate"] for k, v in duck["channels"].items()}
    for ch in sorted(set(rates) | set(theirs)):
        a, b = rates.get(ch), theirs.get(ch)
        if a is None or b is None or abs(a - b) > 1e-9:
            problems.append(f"response rate {ch}: earshot {a}, DuckDB {b}")
    return problems


def fmt(x, spec="{:.2f}"):
    return "–" if x is None else spec.format(x)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", default="full")
    ap.add_argument("--bin", required=True)
    a = ap.parse_args()
    earshot = os.path.join(a.bin, "earshot")
    bench = os.path.join(a.bin, "EarshotBench")
    smoke = a.mode == "smoke"
    labels = ["smoke"] if smoke else os.environ.get("EARSHOT_BENCH_SIZES", "0.1GB 0.5GB 1GB 0.5GB-gz").split()
    reps = int(os.environ.get("EARSHOT_BENCH_REPS", "1" if smoke else "3"))
    try:
        import duckdb  # noqa: F401
        have_duck = True
    except ImportError:
        have_duck = False
    cache_home = tempfile.mkdtemp(prefix="earshot-bench-cache-")
    env = dict(os.environ, XDG_CACHE_HOME=cache_home)
    rows = []
    failed = False
    for label in labels:
        store, size = ensure_store(label, earshot)
        # --min-cohort 0: exact counts (small cohorts would be withheld otherwise).
        base = [earshot, "report", "--format", "json", "--min-cohort", "0", store]
        timed(base, env)  # prime the cache (and the page cache)
        cold, warm, duck, duck_inner, lean, lean_inner, cat = [], [], [], [], [], [], []
        report = duck_result = None
        files = store_files(store)
        for _ in range(reps):  # interleaved: cat, cold, warm, DuckDB, lean DuckDB
            _, w, _ = timed(["sh", "-c", 'cat "$@" > /dev/null', "cat"] + files)
            cat.append(w)
            out, w, m = timed(base[:2] + ["--no-cache"] + base[2:], env)
            cold.append((w, m))
            report = json.loads(out)
            _, w, m = timed(base, env)
            warm.append((w, m))
            if have_duck:
                out, w, m = timed([sys.executable, os.path.join(ROOT, "bench", "duck.py"), store, "--threads", "2"])
                duck_result = json.loads(out)
                duck.append((w, m))
                duck_inner.append(duck_result["seconds"])
                out, w, m = timed([sys.executable, os.path.join(ROOT, "bench", "duck_lean.py"), store, "--threads", "2"])
                lean.append((w, m))
                lean_inner.append(json.loads(out)["seconds"])
        problems = agree(report, duck_result) if duck_result else []
        for p in problems:
            print(f"DISAGREEMENT on {label}: {p}")
        failed |= bool(problems)
        c, wm, d = median([x[0] for x in cold]), median([x[0] for x in warm]), median(duck_inner)
        rows.append({
            "store": label, "mb": size / 1e6, "events": report["store"]["events"],
            "cold_s": c, "cold_rss": median([x[1] for x in cold]),
            "warm_s": wm, "warm_rss": median([x[1] for x in warm]),
            "duck_s": d, "duck_wall_s": median([x[0] for x in duck]), "duck_rss": median([x[1] for x in duck]),
            "agree": "yes" if duck_result and not problems else ("no" if problems else "–"),
            "lean_s": median(lean_inner), "lean_rss": median([x[1] for x in lean]), "cat_s": median(cat),
        })
    print()
    print(f"{reps} interleaved repetitions, medians; DuckDB {'with 2 threads' if have_duck else 'not installed'}; "
          f"DuckDB time = query time inside the Python process (its process wall time incl. start-up in brackets).")
    print()
    print("| store | MB | events | earshot cold s | MB/s | peak MB | re-open s | re-open/cold | DuckDB s | DuckDB peak MB | cold/DuckDB time | cold/DuckDB memory | agree |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        ratio = lambda x, y: None if x is None or y in (None, 0) else x / y
        print(f"| {r['store']} | {r['mb']:.0f} | {r['events']:,} | {fmt(r['cold_s'])} | {fmt(ratio(r['mb'], r['cold_s']), '{:.0f}')} "
              f"| {fmt(r['cold_rss'], '{:.0f}')} | {fmt(r['warm_s'])} | {fmt(ratio(r['warm_s'], r['cold_s']), '{:.3f}')} "
              f"| {fmt(r['duck_s'])} ({fmt(r['duck_wall_s'])}) | {fmt(r['duck_rss'], '{:.0f}')} "
              f"| {fmt(ratio(r['cold_s'], r['duck_s']), '{:.2f}')}× | {fmt(ratio(r['cold_rss'], r['duck_rss']), '{:.2f}')}× | {r['agree']} |")
    # Issue #14's table: cold against the lean DuckDB query, re-open, and the floor.
    print()
    print("Issue #14 (lean DuckDB = bench/duck_lean.py, the query a DuckDB user writes first; floor = `cat` of the files, "
          "load = read + parse + build without the analysis, EarshotBench, largest store only):")
    print()
    print("| store | MB | cold s | peak MB | B/event | lean DuckDB s | its peak MB | cold/lean time | cold/lean memory | re-open s | cat s | cold/cat |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        ratio = lambda x, y: None if x is None or y in (None, 0) else x / y
        per_event = None if r["cold_rss"] is None else r["cold_rss"] * 1e6 / max(r["events"], 1)
        print(f"| {r['store']} | {r['mb']:.0f} | {fmt(r['cold_s'])} | {fmt(r['cold_rss'], '{:.0f}')} | {fmt(per_event, '{:.0f}')} "
              f"| {fmt(r['lean_s'])} | {fmt(r['lean_rss'], '{:.0f}')} | {fmt(ratio(r['cold_s'], r['lean_s']), '{:.2f}')}× "
              f"| {fmt(ratio(r['cold_rss'], r['lean_rss']), '{:.2f}')}× | {fmt(r['warm_s'])} | {fmt(r['cat_s'], '{:.3f}')} "
              f"| {fmt(ratio(r['cold_s'], r['cat_s']), '{:.1f}')}× |")
    # In-memory parts on the largest store: segments and the dashboard key loop.
    store, _ = ensure_store(labels[-1] if smoke else ("1GB" if "1GB" in labels else labels[-1]), earshot)
    out = subprocess.run([bench, store, "--loops", "3" if smoke else "7"], capture_output=True, text=True, check=True).stdout
    b = json.loads(out)
    print()
    print(f"In memory ({os.path.basename(store)}: {b['events']:,} events, {b['persons']:,} persons): "
          f"all {b['segment_rules']} segment rules evaluated in {b['segment_eval_ms_median']:.1f} ms median "
          f"(max {b['segment_eval_ms_max']:.1f} ms; compile {b['segment_compile_ms']:.1f} ms); "
          f"weekly series of {b.get('series_ends', 0)} ends in one pass {b.get('series_one_pass_ms', float('nan')):.1f} ms "
          f"(one evaluation per end: {b.get('series_per_end_ms', float('nan')):.1f} ms); "
          f"full report {b['report_seconds']:.2f} s ({b.get('report_cpu_seconds', float('nan')):.2f} s CPU); "
          f"dashboard key press (update + render 120×40) {b['key_ms_median']:.3f} ms median, {b['key_ms_max']:.2f} ms max over {b['keys']} keys (every view; slowest: {b.get('key_slowest', '?')}); "
          f"load alone (read + parse + build, no analysis) {b.get('load_seconds', float('nan')):.2f} s.")
    # Dashboard re-open (#14): the dashboard's source over the unchanged store with its caches, in fresh processes.
    reopen_env = dict(env, XDG_CACHE_HOME=tempfile.mkdtemp(prefix="earshot-bench-reopen-"))
    subprocess.run([bench, "reopen", store], capture_output=True, text=True, check=True, env=reopen_env)  # fills the caches
    runs = [json.loads(subprocess.run([bench, "reopen", store], capture_output=True, text=True, check=True,
                                      env=reopen_env).stdout) for _ in range(max(reps, 5) if not smoke else 1)]
    print()
    print(f"Dashboard re-open ({os.path.basename(store)}, unchanged store, {len(runs)} fresh processes, medians): "
          f"first frame with figures {median([r['first_frame_seconds'] for r in runs]):.3f} s "
          f"(min {min(r['first_frame_seconds'] for r in runs):.3f}, max {max(r['first_frame_seconds'] for r in runs):.3f}); "
          f"first segment filter answered {median([r['first_filter_seconds'] for r in runs]):.2f} s after the start "
          f"({runs[0]['cache']}).")
    shutil.rmtree(reopen_env["XDG_CACHE_HOME"], ignore_errors=True)
    # Segment filter (#14): every segment of shop.segments, the dashboard's path and a full recompute.
    out = subprocess.run([bench, "filter", store, "--loops", "2" if smoke else "5", "--full"],
                         capture_output=True, text=True, check=True).stdout
    rows_f = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    summary = rows_f[-1]
    print()
    print(f"Segment filter ({os.path.basename(store)}; index built once in {summary['index_seconds']:.2f} s, "
          f"weekly sets kept: {summary['weekly_sets_kept']}):")
    print("| segment | persons | filtered report ms (median) | max | full recompute ms (median) |")
    print("|---|---:|---:|---:|---:|")
    for r in rows_f[:-1]:
        print(f"| {r['segment']} | {r['persons']:,} | {r['filter_ms_median']:.1f} | {r['filter_ms_max']:.1f} "
              f"| {r.get('full_recompute_ms_median', 0):.1f} |")
    # Follow mode (#14): 1,000 events/s appended to a new file in the store (removed afterwards).
    for leftover in glob.glob(os.path.join(store, "earshot-bench-follow-*.jsonl")):
        os.remove(leftover)
    out = subprocess.run([bench, "follow", store, "--seconds", "10" if smoke else "120", "--rate", "1000"],
                         capture_output=True, text=True, check=True).stdout
    fo = json.loads(out.splitlines()[-1])
    print()
    print(f"Follow mode ({fo['rate']} events/s for {fo['seconds']} s): CPU {fo['cpu_share_of_one_core_steady'] * 100:.0f} % "
          f"of one core in the second half; the header's figures at most {fo['figures_lag_seconds_max']:.1f} s behind the file "
          f"(median {fo['figures_lag_seconds_median']:.1f} s; {fo['updates']} updates); {fo['analyses']} full analyses "
          f"(interval {fo['report_interval_seconds']:.1f} s; load with the first {fo['load_seconds']:.2f} s); "
          f"newest event at most {fo['header_lag_seconds_max']:.1f} s behind after a poll.")
    shutil.rmtree(cache_home, ignore_errors=True)
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
