// The segment filter and follow-mode modes of EarshotBench (docs/PERFORMANCE.md, "Segment filter" and
// "Follow mode"):
//
//   EarshotBench filter STORE [--rules FILE] [--loops N] [--full | --full-only]
//   EarshotBench follow STORE [--rules FILE] [--seconds N] [--rate EVENTS_PER_SECOND]
//
// `filter` loads the store, builds the AnalysisIndex once (timed) and then, for every segment of the rules,
// times the filtered report as the dashboard computes it (the segment's members from the index, the report
// restricted to them): median and max over the loops. `--full` also times the former path (a fresh evaluation
// of every rule plus a report that recomputes everything) for comparison; `--full-only` times only that (for
// instruction counts: run under callgrind with `--loops 0`, with `--loops 1` and with `--loops 1 --full-only`, and
// subtract the first total from the others). One JSON object per segment, then a
// summary.
//
// `follow` copies nothing: it appends to a new file inside STORE (STORE/earshot-bench-follow-<pid>.jsonl,
// removed at the end), `--rate` events per second for `--seconds`, while a follower polls once a second and
// recomputes the report as the dashboard's follow loop does (``FollowCadence``); it prints the process CPU
// time per wall second in steady state and how far the newest event behind the polled figures lagged.
import Analytics
import Dashboard
import EventStore
import Foundation

func cpuSeconds() -> Double {
    var u = rusage()
    getrusage(RUSAGE_SELF.rawValue, &u)
    return Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) / 1e6 + Double(u.ru_stime.tv_sec) + Double(u.ru_stime.tv_usec) / 1e6
}

func loadProgram(_ store: String, _ rulesPath: String?) -> SegmentProgram {
    let rulesFile = rulesPath ?? (store as NSString).appendingPathComponent("shop.segments")
    do {
        return try SegmentProgram.parse(source: try String(contentsOfFile: rulesFile, encoding: .utf8), fileName: rulesFile)
    } catch {
        FileHandle.standardError.write(Data("EarshotBench: cannot use rules \(rulesFile): \(error)\n".utf8))
        exit(1)
    }
}

func printJSON(_ object: [String: Any]) {
    let json = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    print(String(decoding: json, as: UTF8.self))
}

func selection(_ program: SegmentProgram) -> FieldSelection {
    FieldSelection.metrics.union(FreeTextMetrics.fieldSelection).union(AnalysisOptions().feedback.fieldSelection)
        .union(program.fieldSelection)
}

func filterBench(store: String, rulesPath: String?, loops: Int, full: Bool, fullOnly: Bool = false) throws {
    let program = loadProgram(store, rulesPath)
    var table = EventTable()
    let loadSeconds = try seconds { table = try StoreReader(paths: [store], selection: selection(program)).load() }
    let options = AnalysisOptions()
    var index: AnalysisIndex?
    let indexSeconds = seconds { index = AnalysisIndex(table: table, program: program, options: options) }
    var worst = 0.0
    for seg in program.segments {
        var times: [Double] = [], fullTimes: [Double] = []
        var size = 0
        for _ in 0 ..< loops where !fullOnly {
            times.append(seconds {
                let members = index!.members(of: seg.name)!
                size = members.count
                _ = Analysis.report(index: index!, persons: members)
            })
        }
        for _ in 0 ..< loops where full || fullOnly {
            fullTimes.append(seconds {
                let members = Analysis.members(of: seg.name, table: table, program: program, options: options)!
                _ = Analysis.report(table: table, program: program, options: options, persons: members)
            })
        }
        worst = max(worst, median(times))
        var row: [String: Any] = ["segment": seg.name, "persons": size, "filter_ms_median": median(times) * 1000,
                                  "filter_ms_max": (times.max() ?? 0) * 1000]
        if full || fullOnly { row["full_recompute_ms_median"] = median(fullTimes) * 1000 }
        printJSON(row)
    }
    printJSON(["store": store, "events": table.count, "persons": table.personCount, "load_seconds": loadSeconds,
               "index_seconds": indexSeconds, "weekly_sets_kept": index!.keepsWeeklyMembers,
               "filter_ms_worst_median": worst * 1000])
}

func followBench(store: String, rulesPath: String?, duration: Int, rate: Int) throws {
    let program = loadProgram(store, rulesPath)
    let options = AnalysisOptions()
    let follower = StoreFollower(paths: [store], selection: selection(program))
    let loadSeconds = try seconds { _ = try follower.poll() }
    var cadence = FollowCadence()
    // The cadence takes the recompute's CPU time (all threads), as the dashboard's follow loop does.
    let firstCPU = cpuSeconds()
    let firstAnalysis = seconds { _ = Analysis.report(table: follower.table(), program: program, options: options) }
    cadence.analyzed(seconds: cpuSeconds() - firstCPU)

    // The writer: `rate` events a second, in 10 batches a second, each line a fresh track event.
    let path = (store as NSString).appendingPathComponent("earshot-bench-follow-\(getpid()).jsonl")
    _ = FileManager.default.createFile(atPath: path, contents: nil)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let out = FileHandle(forWritingAtPath: path)!
    let stop = Date().addingTimeInterval(Double(duration))
    let writer = Thread {
        var n = 0
        let begin = Date()
        while Date() < stop {
            var chunk = ""
            let now = Date()
            let iso = ISO8601DateFormatter().string(from: now)
            // As many events as the rate asks for by now (batches catch up when a write was slow).
            let due = Int(now.timeIntervalSince(begin) * Double(rate)) + max(1, rate / 10)
            while n < due {
                chunk += #"{"type":"track","event":"Product Viewed","userId":"bench-\#(n % 5000)","messageId":"bench-\#(getpid())-\#(n)","timestamp":"\#(iso)","properties":{"category":"baby"}}"#
                chunk += "\n"
                n += 1
            }
            out.write(Data(chunk.utf8))
            Thread.sleep(forTimeInterval: 0.1)
        }
    }
    writer.start()

    var samples: [(wall: Double, cpu: Double)] = []
    var lags: [Double] = []
    var analyses = 0
    var lastAnalysis = Date.distantPast
    let started = Date(), cpuStart = cpuSeconds()
    while Date() < stop {
        Thread.sleep(forTimeInterval: 1)
        let poll = try follower.poll()
        // The header's figures (newest event, rate) are current after every poll.
        if let newest = follower.newestEventTime {
            lags.append(max(0, Date().timeIntervalSince1970 - Double(newest) / 1000))
        }
        if poll.changed, cadence.due(sinceLast: Date().timeIntervalSince(lastAnalysis)) {
            lastAnalysis = Date()
            let cpu = cpuSeconds()
            _ = Analysis.report(table: follower.table(), program: program, options: options)
            cadence.analyzed(seconds: cpuSeconds() - cpu)
            analyses += 1
        }
        samples.append((Date().timeIntervalSince(started), cpuSeconds() - cpuStart))
    }
    out.closeFile()
    // Steady state: the second half of the run.
    let half = samples.count / 2
    var steady = 0.0
    if samples.count > 2, let last = samples.last {
        let first = samples[half]
        steady = (last.cpu - first.cpu) / max(0.001, last.wall - first.wall)
    }
    printJSON(["store": store, "events": follower.table().count, "load_seconds": loadSeconds,
               "analysis_seconds_first": firstAnalysis, "seconds": duration, "rate": rate, "analyses": analyses,
               "cpu_share_of_one_core_steady": steady, "header_lag_seconds_max": lags.dropFirst(1).max() ?? 0,
               "report_interval_seconds": cadence.interval])
}
