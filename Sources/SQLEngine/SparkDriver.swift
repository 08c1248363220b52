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
    # The settings come from spark-submit's --conf (earshot passes them there, once).
    spark = SparkSession.builder.appName("earshot").getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    started = time.time()
    files = plan["files"]
    local_count = sum(1 for f in files if not f.get("remote"))
    # Spark names a file by its URI (file:/abs/path for a local one); earshot gives each file its index.
    def key(p):
        u = urllib.parse.urlparse(p)
        if u.scheme in ("", "file"):
            return os.path.normpath(urllib.parse.unquote(u.path) if u.scheme else os.path.abspath(p))
        return p.rstrip("/")
    index = {key(f["path"]): f["index"] for f in files if not f.get("remote")}
    remote = [f for f in files if f.get("remote")]
    # Spark's file listing skips names starting with "_" or ".", even named one by one; earshot reads them, so the
    # driver reads those (local) files itself, line by line in file order, as Spark's reader would.
    def hidden(f):
        return not f.get("remote") and os.path.basename(f["path"])[:1] in ("_", ".")
    own = [f for f in files if hidden(f)]
    files_for_spark = [f for f in files if not hidden(f)]
    extra = None
    if own:
        import gzip
        rows = []
        for f in own:
            opener = gzip.open if f["path"].endswith(".gz") else open
            with opener(f["path"], "rb") as h:
                data = h.read()
            pieces = data.split(b"\n")
            if pieces and pieces[-1] == b"":
                pieces.pop()
            if pieces and pieces[0].startswith(b"\xef\xbb\xbf"):
                pieces[0] = pieces[0][3:]
            rows += [(f["index"], 0, i, p.decode("utf-8", "replace")) for i, p in enumerate(pieces)]
        # One JSON text parsed by the JVM (from_json), not spark.createDataFrame of Python rows, which would need
        # Python workers on every executor.
        doc = json.dumps([{"file": a, "block": b, "rid": c, "value": d} for a, b, c, d in rows], ensure_ascii=True)
        extra = spark.range(1).select(F.inline(F.from_json(F.lit(doc), "array<struct<file: int, block: bigint, rid: bigint, value: string>>")))
    files = files_for_spark
    if files:
        df = spark.read.option("lineSep", "\n").text([f["path"] for f in files])
        df = df.select(F.col("_metadata.file_path").alias("file_path"),
                       F.col("_metadata.file_block_start").alias("block"),
                       F.monotonically_increasing_id().alias("rid"), F.col("value"))
        # Spark's own listing (no job, no scan): inputFiles() names each file as a URI (file:///path for a local
        # one), _metadata.file_path as file:/path; both spellings map to earshot's index.
        seen = sorted(df.inputFiles())
        # Files Spark found under a remote URI get indices after earshot's own, in path order.
        listed = []
        for p in seen:
            if key(p) in index:
                continue
            if any(p.startswith(f["path"].rstrip("/")) for f in remote):
                index[key(p)] = local_count + len(listed)
                listed.append(p)
            else:
                raise SystemExit("earshot: Spark read a file earshot did not list: " + p)
        spelled = {}
        for p in seen:
            spelled[p] = index[key(p)]
            if p.startswith("file:///"):
                spelled["file:/" + p[len("file:///"):]] = index[key(p)]
        # A map literal, not a join with a DataFrame of Python rows (which would need Python workers on the
        # executors); a line of a file missing from it stops the run instead of vanishing.
        mapping = F.create_map(*[x for p, i in sorted(spelled.items()) for x in (F.lit(p), F.lit(i))])
        lines = df.select(F.coalesce(F.try_element_at(mapping, F.col("file_path")),
                                     F.raise_error(F.concat(F.lit("earshot: Spark read a file earshot did not list: "),
                                                            F.col("file_path")))).cast("int").alias("file"),
                          "block", "rid", "value")
    else:
        lines = spark.sql("SELECT CAST(NULL AS INT) AS file, CAST(NULL AS BIGINT) AS block, CAST(NULL AS BIGINT) AS rid, "
                          "CAST(NULL AS STRING) AS value WHERE FALSE")
    if extra is not None:
        lines = lines.unionByName(extra)
    lines.createOrReplaceTempView("earshot_lines")
    # A table is computed once and checkpointed: its rows stay on the executors (a local checkpoint, memory then
    # disk; a reliable one in spark.checkpoint.dir when the user set one, which then must be shared by the cluster) and
    # it is registered under its name as a plan of its own, so the statements after it neither recompute it nor carry
    # its query in their plans (CACHE TABLE would keep the whole query in every later plan and in the driver's UI).
    reliable = bool(spark.sparkContext.getCheckpointDir())
    results = {}
    stats = []
    # The result statements are small aggregates over the tables: they run together, as one query (a UNION ALL of
    # every result's rows as JSON text, tagged with the result's index), so Spark plans and schedules them once and
    # runs their stages side by side, instead of one SQL execution (and its jobs) per result. They wait until the
    # statements after them have run (a result defines no name); a statement that would redefine a name a pending
    # result reads runs them first. spark.earshot.combineResults=false runs each result on its own.
    combine = spark.sparkContext.getConf().get("spark.earshot.combineResults", "true").lower() != "false"
    pending = []
    defined = set()
    def run_results(batch):
        if not batch:
            return
        t0 = time.time()
        # Rows come back as Spark's JSON text of each row (one result alone too, so combining changes nothing).
        query = "\nUNION ALL\n".join(
            "SELECT " + str(i) + " AS es_result, to_json(struct(*), map('ignoreNullFields', 'false')) AS es_row FROM (\n"
            + st["query"] + "\n)" for i, st in enumerate(batch))
        for st in batch:
            results[st["name"]] = []
        for r in spark.sql(query).collect():
            results[batch[r["es_result"]]["name"]].append(json.loads(r["es_row"]))
        seconds = round(time.time() - t0, 3)
        for st in batch:
            stats.append({"name": st["name"], "kind": "result", "seconds": seconds, "combined": len(batch)})
    for st in plan["statements"]:
        kind = st["kind"]
        if kind == "result":
            if combine:
                pending.append(st)
            else:
                run_results([st])
            continue
        if st["name"] in defined:
            run_results(pending)
            pending = []
        defined.add(st["name"])
        t0 = time.time()
        if kind == "table":
            df = spark.sql(st["query"])
            df = df.checkpoint(eager=True) if reliable else df.localCheckpoint(eager=True)
            df.createOrReplaceTempView(st["name"])
        else:
            spark.sql("CREATE OR REPLACE TEMP VIEW `" + st["name"] + "` AS\n" + st["query"])
        stats.append({"name": st["name"], "kind": kind, "seconds": round(time.time() - t0, 3)})
    run_results(pending)
    out = {"engine": "spark", "remote_files": listed if files else [], "read_by_driver": [f["path"] for f in own], "spark_version": spark.version, "master": spark.sparkContext.master,
           "seconds": round(time.time() - started, 3), "statements": stats, "results": results}
    tmp = out_path + ".part"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=True, default=str)
    os.replace(tmp, out_path)
    spark.stop()

if __name__ == "__main__":
    main()
"""#
}
