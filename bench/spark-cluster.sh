#!/usr/bin/env bash
# Starts or stops a standalone Spark cluster on loopback: one master (spark://127.0.0.1:7077) and one worker, from
# the Spark that pip's pyspark installs (its bin/spark-class; pyspark's wheel ships no sbin/start-master.sh).
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
