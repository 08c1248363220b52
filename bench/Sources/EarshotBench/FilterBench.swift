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
// removed at the end), `--rate` events per second for `--seconds`, while the dashboard's own follow runs
// (StoreDashboardSource: the `--follow` load, then its follow loop — live figures after every poll, the full
// analysis on its ``FollowCadence`` — and every update taken by an AppState and drawn, as the UI thread does); it
// prints the process CPU time per wall second in steady state, how far the header's figures trailed the file
// (`figures_lag_seconds_max`: the longest an appended event waited in the file before the figures counted it),
// the newest event's lag and the interval between full analyses.
import Analytics
import Dashboard
import EarshotApp
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
    let rules = rulesPath ?? (store as NSString).appendingPathComponent("shop.segments")
    // The dashboard's own follow: the source's `--follow` load, then its follow loop (live figures after every poll,
    // the full analysis on its cadence), and every update taken by the dashboard state and drawn as the UI thread does.
    let source = StoreDashboardSource(StoreRequest(paths: [store], rulesPath: FileManager.default.fileExists(atPath: rules) ? rules : nil,
                                                   options: AnalysisOptions()))
    source.live.setFollowMode(true)
    let loadStarted = Date()
    let first = try source.load { _ in }
    let loadSeconds = Date().timeIntervalSince(loadStarted)
    let baseline = first.report.store.events
    final class Log: @unchecked Sendable {
        let lock = NSLock()
        /// (events written so far, wall time of the write), one entry per batch.
        var writes: [(count: Int, time: Double)] = []
        /// (wall time, bench events in the figures, full analysis?) per update with data.
        var updates: [(time: Double, included: Int, viewsAsOfMs: Int64?)] = []
        /// Seconds from the newest event's time to the update, per update (the header's "newest event … ago").
        var newestLags: [Double] = []
        /// The follow thread's CPU seconds per round (poll, live figures, the update taken and drawn), and the wall
        /// seconds between rounds: a long gap with little CPU is the machine's load, not the follow loop's work.
        var roundCPU: [Double] = [], roundGaps: [Double] = []
        var lastCPU: Double?, lastTime: Double?
        var state = AppState(options: DashboardOptions(follow: true))
        func withLock<T>(_ body: () -> T) -> T { lock.lock(); defer { lock.unlock() }; return body() }
    }
    let log = Log()
    log.withLock {
        _ = update(&log.state, .resize(width: 120, height: 40))
        _ = update(&log.state, .loaded(first))
    }
    let handle = source.follow { d, s in
        let now = Date().timeIntervalSince1970
        log.withLock {
            if let d { log.updates.append((now, d.report.store.events - baseline, d.viewsAsOfMs ?? Int64(now * 1000))) }
            if let newest = s.newestEventMs { log.newestLags.append(max(0, now - Double(newest) / 1000)) }
            if let t = log.lastTime { log.roundGaps.append(now - t) }
            log.lastTime = now
            _ = update(&log.state, .liveUpdate(d, s))
            var buffer = ScreenBuffer(width: 120, height: 40)
            render(log.state, into: &buffer)
            var te = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &te)
            let cpu = Double(te.tv_sec) + Double(te.tv_nsec) / 1e9
            if let c = log.lastCPU { log.roundCPU.append(cpu - c) }
            log.lastCPU = cpu
        }
    }

    // The writer: `rate` events a second, in 10 batches a second, each line a fresh track event.
    let path = (store as NSString).appendingPathComponent("earshot-bench-follow-\(getpid()).jsonl")
    _ = FileManager.default.createFile(atPath: path, contents: nil)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let out = FileHandle(forWritingAtPath: path)!
    let stop = Date().addingTimeInterval(Double(duration))
    let writer = Thread {
        var n = 0
        let begin = Date()
        let format = ISO8601DateFormatter()
        format.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        while Date() < stop {
            var chunk = ""
            let now = Date()
            let iso = format.string(from: now)
            // As many events as the rate asks for by now (batches catch up when a write was slow).
            let due = Int(now.timeIntervalSince(begin) * Double(rate)) + max(1, rate / 10)
            while n < due {
                chunk += #"{"type":"track","event":"Product Viewed","userId":"bench-\#(n % 5000)","messageId":"bench-\#(getpid())-\#(n)","timestamp":"\#(iso)","properties":{"category":"baby"}}"#
                chunk += "\n"
                n += 1
            }
            out.write(Data(chunk.utf8))
            let written = Date().timeIntervalSince1970
            log.withLock { log.writes.append((n, written)) }
            Thread.sleep(forTimeInterval: 0.1)
        }
    }
    writer.start()

    var samples: [(wall: Double, cpu: Double)] = []
    let started = Date(), cpuStart = cpuSeconds()
    while Date() < stop {
        Thread.sleep(forTimeInterval: 1)
        samples.append((Date().timeIntervalSince(started), cpuSeconds() - cpuStart))
    }
    out.closeFile()
    handle?.stop()
    // Steady state: the second half of the run.
    let half = samples.count / 2
    var steady = 0.0
    if samples.count > 2, let last = samples.last {
        let first = samples[half]
        steady = (last.cpu - first.cpu) / max(0.001, last.wall - first.wall)
    }
    // How far the header's figures trail the file: just before each update, the figures were those of the update
    // before, so the oldest event written and not yet in them had been in the file for (this update's time − that
    // event's write time). The largest such age over the second half of the run, and its median.
    let (writes, updates, newestLags) = log.withLock { (log.writes, log.updates, log.newestLags) }
    let (roundCPU, roundGaps) = log.withLock { (log.roundCPU.sorted(), log.roundGaps.sorted()) }
    func writeTime(ofEvent i: Int) -> Double? { writes.first { $0.count >= i }?.time }
    var figureLags: [Double] = []
    for k in updates.indices.dropFirst() where updates[k].time - started.timeIntervalSince1970 >= Double(duration) / 2 {
        guard let w = writeTime(ofEvent: updates[k - 1].included + 1), w < updates[k].time else { figureLags.append(0); continue }
        figureLags.append(updates[k].time - w)
    }
    let sortedLags = figureLags.sorted()
    // The full analyses: the distinct times the views' figures are of (an update of one moment counts as its own).
    var fullTimes: [Double] = []
    for u in updates { if let t = u.viewsAsOfMs.map({ Double($0) / 1000 }), fullTimes.last.map({ abs($0 - t) > 0.01 }) ?? true { fullTimes.append(t) } }
    printJSON(["store": store, "events": baseline + (updates.last?.included ?? 0), "load_seconds": loadSeconds,
               "seconds": duration, "rate": rate, "updates": updates.count, "analyses": fullTimes.count,
               "cpu_share_of_one_core_steady": steady,
               "figures_lag_seconds_max": sortedLags.last ?? -1,
               "figures_lag_seconds_median": sortedLags.isEmpty ? -1 : sortedLags[sortedLags.count / 2],
               "header_lag_seconds_max": newestLags.dropFirst(1).max() ?? 0,
               "round_cpu_seconds_median": roundCPU.isEmpty ? -1 : roundCPU[roundCPU.count / 2],
               "round_cpu_seconds_max": roundCPU.last ?? -1,
               "round_gap_seconds_max": roundGaps.last ?? -1,
               "report_interval_seconds": fullTimes.count > 1 ? (fullTimes.last! - fullTimes.first!) / Double(fullTimes.count - 1) : -1])
}
