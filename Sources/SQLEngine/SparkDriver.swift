/// The Python driver `spark-submit` runs (written next to the plan): it registers the store's lines as
/// `earshot_lines`, runs the plan's statements and writes the result rows as one JSON document. It computes nothing
/// itself. Files whose entry is `remote` (an `s3a://`, `gs://`, `abfss://` or `hdfs://` URI) are listed by Spark; the
/// files found under them get indices after earshot's own, in path order, and are returned as `remote_files`.
enum SparkDriver {
    static let source = #"""
# earshot's Spark driver: reads the plan earshot wrote (files in earshot's order, SQL statements), registers the
# lines of the files as the view `earshot_lines` (file index, block start, row id, text), runs the statements in
# order and writes every result statement's rows as one JSON document. It decides nothing about the figures.
import json, os, sys, time, urllib.parse

def main():
    plan_path, out_path = sys.argv[1], sys.argv[2]
    with open(plan_path, encoding="utf-8") as f:
        plan = json.load(f)
    from pyspark.sql import SparkSession, functions as F, types as T
    builder = SparkSession.builder.appName("earshot")
    for k, v in plan.get("conf", {}).items():
        builder = builder.config(k, v)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    started = time.time()
    files = plan["files"]
    # Spark names a file by its URI (file:/abs/path for a local one); earshot gives each file its index.
    def key(p):
        u = urllib.parse.urlparse(p)
        if u.scheme in ("", "file"):
            return os.path.normpath(urllib.parse.unquote(u.path) if u.scheme else os.path.abspath(p))
        return p.rstrip("/")
    index = {key(f["path"]): f["index"] for f in files if not f.get("remote")}
    remote = [f for f in files if f.get("remote")]
    if files:
        df = spark.read.option("lineSep", "\n").text([f["path"] for f in files])
        df = df.select(F.col("_metadata.file_path").alias("file_path"),
                       F.col("_metadata.file_block_start").alias("block"),
                       F.monotonically_increasing_id().alias("rid"), F.col("value"))
        seen = sorted(r[0] for r in df.select("file_path").distinct().collect())
        # Files Spark found under a remote URI get indices after earshot's own, in path order.
        listed = []
        for p in seen:
            if key(p) in index:
                continue
            if any(p.startswith(f["path"].rstrip("/")) for f in remote):
                index[key(p)] = len(files) + len(listed)
                listed.append(p)
            else:
                raise SystemExit("earshot: Spark read a file earshot did not list: " + p)
        mapping = spark.createDataFrame([(p, index[key(p)]) for p in seen], "file_path string, file int")
        lines = df.join(F.broadcast(mapping), "file_path").select("file", "block", "rid", "value")
    else:
        lines = spark.createDataFrame([], "file int, block bigint, rid bigint, value string")
    lines.createOrReplaceTempView("earshot_lines")
    results = {}
    for st in plan["statements"]:
        df = spark.sql(st["sql"])
        if st.get("result"):
            results[st["name"]] = [r.asDict(recursive=True) for r in df.collect()]
    out = {"engine": "spark", "remote_files": listed if files else [], "spark_version": spark.version, "master": spark.sparkContext.master,
           "seconds": round(time.time() - started, 3), "results": results}
    tmp = out_path + ".part"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=True, default=str)
    os.replace(tmp, out_path)
    spark.stop()

if __name__ == "__main__":
    main()
"""#
}
