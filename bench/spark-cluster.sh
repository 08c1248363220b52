#!/usr/bin/env bash
# Starts or stops a standalone Spark cluster on loopback: one master (spark://127.0.0.1:7077) and one worker.
# With a full Spark distribution (SPARK_HOME/sbin/start-master.sh and start-worker.sh) those scripts start them; with
# the Spark that pip's pyspark installs (whose wheel ships no sbin/start-master.sh) the same classes are started with
# its bin/spark-class, as start-master.sh does.
#   bench/spark-cluster.sh start   # prints the master URL when both are up
#   bench/spark-cluster.sh stop    # stops the two processes this script started (by their recorded pids)
set -euo pipefail
dir="${EARSHOT_SPARK_CLUSTER_DIR:-${TMPDIR:-/tmp}/earshot-spark-cluster}"
mkdir -p "$dir"
spark_class() {
    if [ -n "${SPARK_HOME:-}" ]; then echo "$SPARK_HOME/bin/spark-class"; return; fi
    local home
    home="$(python3 -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))')"
    echo "$home/bin/spark-class"
}
case "${1:-}" in
start)
    sc="$(spark_class)"
    export SPARK_LOCAL_IP=127.0.0.1 SPARK_MASTER_HOST=127.0.0.1
    sbin="$(dirname "$(dirname "$sc")")/sbin"
    if [ -x "$sbin/start-master.sh" ] && [ -x "$sbin/start-worker.sh" ]; then
        export SPARK_LOG_DIR="$dir" SPARK_PID_DIR="$dir" SPARK_WORKER_DIR="$dir/work"
        "$sbin/start-master.sh" --host 127.0.0.1 --port 7077 --webui-port 8090 >/dev/null
        "$sbin/start-worker.sh" --host 127.0.0.1 --cores 2 --memory 2g --webui-port 8091 spark://127.0.0.1:7077 >/dev/null
        echo "sbin" >"$dir/mode"
        for _ in $(seq 1 120); do
            grep -qs "Successfully registered with master" "$dir"/*Worker*.out && break
            sleep 1
        done
        grep -qs "Successfully registered with master" "$dir"/*Worker*.out || { echo "spark worker did not register: $dir" >&2; exit 1; }
        echo "spark://127.0.0.1:7077"
        exit 0
    fi
    nohup "$sc" org.apache.spark.deploy.master.Master --host 127.0.0.1 --port 7077 --webui-port 8090 \
        >"$dir/master.log" 2>&1 &
    echo $! >"$dir/master.pid"
    for _ in $(seq 1 120); do
        grep -q "I have been elected leader" "$dir/master.log" 2>/dev/null && break
        sleep 1
    done
    grep -q "I have been elected leader" "$dir/master.log" || { echo "spark master did not start: $dir/master.log" >&2; exit 1; }
    nohup "$sc" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores 2 --memory 2g --webui-port 8091 \
        spark://127.0.0.1:7077 >"$dir/worker.log" 2>&1 &
    echo $! >"$dir/worker.pid"
    for _ in $(seq 1 120); do
        grep -q "Successfully registered with master" "$dir/worker.log" 2>/dev/null && break
        sleep 1
    done
    grep -q "Successfully registered with master" "$dir/worker.log" || { echo "spark worker did not register: $dir/worker.log" >&2; exit 1; }
    echo "spark://127.0.0.1:7077"
    ;;
stop)
    if [ -f "$dir/mode" ]; then
        sbin="$(dirname "$(dirname "$(spark_class)")")/sbin"
        export SPARK_PID_DIR="$dir"
        "$sbin/stop-worker.sh" >/dev/null 2>&1 || true
        "$sbin/stop-master.sh" >/dev/null 2>&1 || true
        rm -f "$dir/mode"
    fi
    for p in worker master; do
        if [ -f "$dir/$p.pid" ]; then
            kill "$(cat "$dir/$p.pid")" 2>/dev/null || true
            rm -f "$dir/$p.pid"
        fi
    done
    ;;
*)
    echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
