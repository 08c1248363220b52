#!/usr/bin/env bash
# earshot vs DuckDB, side by side. See bench/RESULTS.md and docs/PERFORMANCE.md.
#
#   bench/run.sh            full run: stores of ~0.1, 0.5 and 1 GB (+ a gzip'd one), 3 interleaved reps
#   bench/run.sh --smoke    a tiny store, one rep (seconds; CI runs this so the script cannot rot)
#   bench/run.sh --spark    issue #17's Spark column (bench/spark_bench.py): `report --engine spark` on the 0.1 and
#                           1 GB stores with Spark local[2] and the standalone cluster on loopback
#                           (bench/spark-cluster.sh), next to the embedded engine; figures compared; rows for
#                           bench/RESULTS.md. `bench/run.sh --spark --smoke`: the smoke store only (debug build).
#                           EARSHOT_BENCH_SPARK_MASTERS="local[2] cluster", EARSHOT_BENCH_SPARK_CONF=k=v…
#   bench/run.sh --issue14  issue #14's table only: the 1 GB store, cold vs the lean DuckDB query
#                           (bench/duck_lean.py), re-open, `cat` floor and load-only time, 3 reps;
#                           the dashboard's re-open (EarshotBench reopen: first frame with figures, first filter)
#
# Stores are generated once into $EARSHOT_BENCH_DIR (default /tmp/earshot-bench) and reused.
# Environment: EARSHOT_BENCH_REPS (repetitions), EARSHOT_BENCH_SIZES (e.g. "0.1GB 1GB").
set -euo pipefail
cd "$(dirname "$0")/.."

mode=full
spark=no
for arg in "$@"; do
    case "$arg" in
    --smoke) mode=smoke ;;
    --issue14) export EARSHOT_BENCH_SIZES="${EARSHOT_BENCH_SIZES:-1GB}" ;;
    --spark) spark=yes ;;
    *) echo "usage: bench/run.sh [--smoke] [--issue14] [--spark]" >&2; exit 2 ;;
    esac
done

if [[ "$mode" == smoke ]]; then
    # CI: a debug build is already there or quick enough; no DuckDB needed when pip is unavailable.
    swift build --product earshot >/dev/null
    swift build --product EarshotBench >/dev/null
    bin=$(swift build --show-bin-path)
else
    swift build -c release --product earshot >/dev/null
    swift build -c release --product EarshotBench >/dev/null
    bin=$(swift build -c release --show-bin-path)
fi

if [[ "$spark" == yes ]]; then
    if ! python3 -c "import pyspark" 2>/dev/null && [[ -z "${SPARK_HOME:-}" ]]; then
        echo "bench: installing pyspark 4.3.0 (pip install pyspark==4.3.0)" >&2
        pip install --quiet pyspark==4.3.0 2>/dev/null || pip install --quiet --break-system-packages pyspark==4.3.0
    fi
    if [[ ! -x /usr/bin/time ]]; then
        (apt-get install -y -qq time >/dev/null 2>&1 || sudo apt-get install -y -qq time >/dev/null 2>&1) \
            || echo "bench: /usr/bin/time is missing; peak memory is not measured" >&2
    fi
    exec python3 bench/spark_bench.py --mode "$mode" --bin "$bin"
fi

if ! python3 -c "import duckdb" 2>/dev/null; then
    echo "bench: installing DuckDB's Python package (pip install duckdb)" >&2
    pip install --quiet duckdb 2>/dev/null || pip install --quiet --break-system-packages duckdb \
        || echo "bench: DuckDB is not available; its columns stay empty" >&2
fi
if [[ ! -x /usr/bin/time ]]; then
    echo "bench: installing GNU time for peak memory (apt-get install time)" >&2
    (apt-get install -y -qq time >/dev/null 2>&1 || sudo apt-get install -y -qq time >/dev/null 2>&1) \
        || echo "bench: /usr/bin/time is missing; peak memory is not measured" >&2
fi

exec python3 bench/compare.py --mode "$mode" --bin "$bin"
