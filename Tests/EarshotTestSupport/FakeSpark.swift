import Foundation

/// A fake Spark installation for tests without a JVM: `HOME/bin/spark-submit` is a shell script that records its
/// arguments (`args.txt`, one per line), writes a progress bar to standard error and copies a prepared result
/// document to the output path spark-submit is given (its last argument). Files in the home change what it does:
/// `fail` (exit 1 with a Java-like exception line, after writing the result), `silent` (exit 0 and write nothing), `hang` (start a `sleep`
/// in its process group, record its pid in `sleep.pid` and wait), `filtered.json` (the result when the plan is a
/// segment filter's, i.e. names `esf_events`).
public final class FakeSpark {
    public let home: TempDir
    public var path: String { home.path }

    public init(result: String) {
        home = TempDir("earshot-fake-spark")
        home.write("result.json", result)
        let script = #"""
        #!/bin/sh
        home="$(cd "$(dirname "$0")/.." && pwd)"
        : > "$home/args.txt"
        for a in "$@"; do printf '%s\n' "$a" >> "$home/args.txt"; done
        for a in "$@"; do plan="$out"; out="$a"; done
        cp "$plan" "$home/plan.json"
        echo "26/11/30 16:00:00 WARN NativeCodeLoader: Unable to load native-hadoop library" >&2
        printf '[Stage 3:=====>            (12 + 2) / 40]\r' >&2
        printf '[Stage 3:==========>       (31 + 2) / 40]\r' >&2
        if [ -e "$home/hang" ]; then
            sleep 300 &
            echo $! > "$home/sleep.pid"
            wait
            exit 0
        fi
        if [ -e "$home/fail" ]; then
            cp "$home/result.json" "$out"   # a result from a failed run must not be read as a success
            echo 'Exception in thread "main" org.apache.spark.SparkException: Job aborted: boom' >&2
            exit 1
        fi
        [ -e "$home/silent" ] && exit 0
        if [ -e "$home/filtered.json" ] && grep -q esf_events "$plan"; then
            cp "$home/filtered.json" "$out"
        else
            cp "$home/result.json" "$out"
        fi
        """#
        let submit = home.write("bin/spark-submit", script)
        chmod(submit, 0o755)
    }

    /// Makes the next runs fail (`fail`), succeed without a result (`silent`) or hang (`hang`).
    public func set(_ mode: String) { home.write(mode, "") }

    /// The plan document of the latest run.
    public var plan: String { (try? String(contentsOfFile: home.path("plan.json"), encoding: .utf8)) ?? "" }

    /// The arguments of the latest run.
    public var arguments: [String] {
        (try? String(contentsOfFile: home.path("args.txt"), encoding: .utf8))?.split(separator: "\n").map(String.init) ?? []
    }

    /// A result document as the driver writes it: a store of 4 lines (1 malformed), 3 events of 2 persons, the
    /// newest at 2026-11-20T12:00:00Z, consent category Analytics granted by 1, segment 0 of size `segmentSize`.
    public static func result(events: Int = 3, persons: Int = 2, segmentSize: Int = 1, version: String = "4.3.0") -> String {
        #"""
        {"engine":"spark","spark_version":"\#(version)","master":"local[2]","seconds":1.25,"remote_files":[],
         "results":{
          "store_reads":[{"lines":4,"malformed":1,"envelopes":0,"envelope_items":0}],
          "malformed_kinds":[{"kind":"invalid JSON","count":1}],
          "files":[{"file":0,"lines":4,"malformed":1}],
          "file_events":[{"file":0,"events":\#(events),"duplicates":0}],
          "store_events":[{"events":\#(events),"persons":\#(persons),"first_event":1763553600000,"last_event":1763640000000,"now":1763640000000}],
          "deletions":[{"deleted_events":0,"deleted_persons":0}],
          "consent_states":[{"category":"Analytics","granted":1,"denied":0}],
          "consent_audit":[{"persons":\#(persons),"events":\#(events),"without_consent":0,"consent_unknown":1}],
          "consent_categories":[{"category":"Analytics"}],
          "event_names":[{"name":"Order Completed","count":2}],
          "segment_sizes":[{"segment":0,"size":\#(segmentSize)}],
          "segment_reachable":[{"segment":0,"category":"Analytics","persons":1}],
          "segment_overlap":[]
         }}
        """#
    }
}
