// earshot-bench: times the in-memory parts of earshot on a store (not part of the tests).
//
//   EarshotBench STORE [--rules FILE] [--loops N]
//   EarshotBench filter STORE …   |   EarshotBench follow STORE …   (FilterBench.swift)
//   EarshotBench reopen STORE [--cache DIR]   (ReopenBench.swift: the dashboard's re-open)
//
// Prints one JSON object: events, load seconds (no cache), segment evaluation (all rules of the
// file, median and max over the loops), the full report, and a scripted dashboard key-press loop
// (update + render into the in-memory screen buffer, 120×40), median and max per key.
import Analytics
import Dashboard
import EventStore
import Foundation

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// CPU seconds of the calling thread (what a single-threaded part costs, whatever else runs on the machine).
func threadCPU() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// CPU seconds of the whole process, all threads (user + system).
func processCPU() -> Double {
    var u = rusage()
    getrusage(RUSAGE_SELF.rawValue, &u)
    return Double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + Double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6
}

/// The 1-minute load average (a busy machine makes wall times say little; CPU times stay honest).
func loadAverage() -> Double {
    var l = [Double](repeating: 0, count: 3)
    return getloadavg(&l, 3) > 0 ? l[0] : -1
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    guard !s.isEmpty else { return 0 }
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

var args = Array(CommandLine.arguments.dropFirst())
// `filter` and `follow` modes: FilterBench.swift.
if let mode = args.first, mode == "filter" || mode == "follow" || mode == "reopen" {
    args.removeFirst()
    var cacheDir: String?
    var rules: String?, target: String?, loopCount = 5, duration = 30, rate = 1000, full = false, fullOnly = false
    while !args.isEmpty {
        let a = args.removeFirst()
        switch a {
        case "--rules": rules = args.isEmpty ? nil : args.removeFirst()
        case "--loops": loopCount = Int(args.isEmpty ? "" : args.removeFirst()) ?? 5
        case "--seconds": duration = Int(args.isEmpty ? "" : args.removeFirst()) ?? 30
        case "--rate": rate = Int(args.isEmpty ? "" : args.removeFirst()) ?? 1000
        case "--full": full = true
        case "--full-only": fullOnly = true
        case "--cache": cacheDir = args.isEmpty ? nil : args.removeFirst()
        default: target = a
        }
    }
    guard let target else {
        FileHandle.standardError.write(Data("usage: EarshotBench filter|follow|reopen STORE [--rules FILE] [--loops N] [--full] [--seconds N] [--rate N]\n".utf8))
        exit(2)
    }
    if mode == "reopen" {
        try reopenBench(store: target, rulesPath: rules, cacheDir: cacheDir)
    } else if mode == "filter" {
        try filterBench(store: target, rulesPath: rules, loops: loopCount, full: full, fullOnly: fullOnly)
    } else {
        try followBench(store: target, rulesPath: rules, duration: duration, rate: rate)
    }
    exit(0)
}
var rulesPath: String?
var loops = 5
var store: String?
while !args.isEmpty {
    let a = args.removeFirst()
    switch a {
    case "--rules": rulesPath = args.isEmpty ? nil : args.removeFirst()
    case "--loops": loops = Int(args.isEmpty ? "" : args.removeFirst()) ?? 5
    default: store = a
    }
}
guard let store else {
    FileHandle.standardError.write(Data("usage: EarshotBench STORE [--rules FILE] [--loops N]\n".utf8))
    exit(2)
}
let rulesFile = rulesPath ?? (store as NSString).appendingPathComponent("shop.segments")
let program: SegmentProgram
do {
    program = try SegmentProgram.parse(source: try String(contentsOfFile: rulesFile, encoding: .utf8), fileName: rulesFile)
} catch {
    FileHandle.standardError.write(Data("EarshotBench: cannot use rules \(rulesFile): \(error)\n".utf8))
    exit(1)
}

var table = EventTable()
let loadSeconds = try seconds {
    table = try StoreReader(paths: [store], selection: FieldSelection.metrics.union(program.fieldSelection)).load()
}

let loadAtStart = loadAverage()
// Segments: compile once (as the report does), then evaluate every rule.
let evaluator = SegmentEvaluator(program: program, table: table)
var segmentTimes: [Double] = [], segmentCPU: [Double] = []
var sizes: [Int] = []
for _ in 0 ..< loops {
    let cpu = threadCPU()
    segmentTimes.append(seconds { sizes = evaluator.evaluate(now: evaluator.defaultNow).map(\.count) })
    segmentCPU.append(threadCPU() - cpu)
}
var compileCPU = threadCPU()
let compileSeconds = seconds { _ = SegmentEvaluator(program: program, table: table) }
compileCPU = threadCPU() - compileCPU

// The weekly series (every ISO week's end through the reference time, as the report's segments section): one
// evaluation per end, against the single pass over every person's rows (`members(asOf:)`), both on this thread.
let reference = evaluator.defaultNow
var seriesEnds = SegmentMetrics.weeks(from: table.firstEventTime ?? reference, through: reference).map { min($0.end - 1, reference) }
if seriesEnds.count > Analysis.maxSegmentWeeks { seriesEnds.removeFirst(seriesEnds.count - Analysis.maxSegmentWeeks) }
var perEnd: [[PersonSet]] = [], onePass: [[PersonSet]] = []
var perEndCPU = threadCPU()
let perEndSeconds = seconds { perEnd = seriesEnds.map { evaluator.evaluate(now: $0) } }
perEndCPU = threadCPU() - perEndCPU
var onePassCPU = threadCPU()
let onePassSeconds = seconds { onePass = evaluator.members(asOf: seriesEnds) }
onePassCPU = threadCPU() - onePassCPU
guard perEnd == onePass else {
    FileHandle.standardError.write(Data("EarshotBench: the one-pass series differs from one evaluation per end\n".utf8))
    exit(1)
}

// The whole report.
var report: Report?
var reportCPU = processCPU()
let reportSeconds = seconds { report = Analysis.report(table: table, program: program, options: AnalysisOptions()) }
reportCPU = processCPU() - reportCPU

// Dashboard: every tab, scrolling, sorting, filters — update + render per key.
var state = AppState(options: DashboardOptions())
_ = update(&state, .resize(width: 120, height: 40))
_ = update(&state, .loaded(DashboardData(report: report!, sourceDescription: store, loadSeconds: loadSeconds)))
var buffer = ScreenBuffer(width: 120, height: 40)
render(state, into: &buffer)
// Every view (1–8) with its table keys, the sort picker, the row filter as you type, the help and definitions
// overlays, the feedback panels, the journeys' expand/collapse and the segment picker (opened and closed: choosing
// a segment starts the filter's background job, measured by `EarshotBench filter`). Keys that only start an
// effect outside the state (export, reload, quit, saving a snippet) are left out.
var script: [Key] = []
for tab in 1 ... 8 {
    script += [.char(Character(String(tab))), .down, .down, .pageDown, .end, .home, .pageUp,
               .char("s"), .down, .enter, .char("S"), .char("/"), .char("a"), .char("e"), .backspace, .escape,
               .char("i"), .down, .escape, .char("?"), .pageDown, .escape, .right, .left, .enter, .escape,
               .char("v"), .char("c"), .char("]"), .char("["), .char("f"), .down, .end, .escape]
}
script += [.tab, .tab, .backTab, .char("2"), .enter, .down, .up, .escape]
var keyTimes: [Double] = []
var slowest: (ms: Double, key: String) = (0, "")
for _ in 0 ..< 10 {
    for key in script {
        let t = seconds {
            _ = update(&state, .key(key))
            render(state, into: &buffer)
        }
        keyTimes.append(t)
        if t * 1000 > slowest.ms { slowest = (t * 1000, "\(key) in \(state.tab)") }
    }
}

let result: [String: Any] = [
    "store": store,
    "events": table.count,
    "persons": table.personCount,
    "load_seconds": loadSeconds,
    "segment_rules": sizes.count,
    "segment_compile_ms": compileSeconds * 1000,
    "segment_eval_ms_median": median(segmentTimes) * 1000,
    "segment_eval_ms_max": (segmentTimes.max() ?? 0) * 1000,
    "segment_eval_cpu_ms_median": median(segmentCPU) * 1000,
    "segment_compile_cpu_ms": compileCPU * 1000,
    "series_ends": seriesEnds.count,
    "series_per_end_ms": perEndSeconds * 1000,
    "series_per_end_cpu_ms": perEndCPU * 1000,
    "series_one_pass_ms": onePassSeconds * 1000,
    "series_one_pass_cpu_ms": onePassCPU * 1000,
    "report_seconds": reportSeconds,
    "report_cpu_seconds": reportCPU,
    "load_average_start": loadAtStart,
    "load_average_end": loadAverage(),
    "keys": keyTimes.count,
    "key_ms_median": median(keyTimes) * 1000,
    "key_ms_max": (keyTimes.max() ?? 0) * 1000,
    "key_slowest": slowest.key,
]
let json = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
print(String(decoding: json, as: UTF8.self))
