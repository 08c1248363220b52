// The dashboard re-open mode of EarshotBench (docs/PERFORMANCE.md, "The persistent cache"; issue #14):
//
//   EarshotBench reopen STORE [--rules FILE] [--cache DIR]
//
// Opens the dashboard's data source over STORE as `earshot STORE` does (the table and report caches in DIR, default
// `$XDG_CACHE_HOME/earshot`), and times, in this one process: until the first frame **with figures** is rendered
// (the source's load, the `.loaded` update and the render of a 120×40 frame), then until the first segment filter's
// report is back (the table must then be in memory). Run it once to fill the cache, then several times as separate
// processes: the first timing of a fresh process is the re-open a person sees (process start-up not included).
// Then it times the background work after the first frame both ways (the whole load again, as before session 5,
// and the table-only entry `StoreSession.loadTable`). Prints one JSON object.
import Analytics
import Dashboard
import EarshotApp
import EventStore
import Foundation

func reopenBench(store: String, rulesPath: String?, cacheDir: String?) throws {
    let rules = rulesPath ?? (store as NSString).appendingPathComponent("shop.segments")
    guard let dir = cacheDir ?? StoreCache.defaultDirectory() else {
        FileHandle.standardError.write(Data("EarshotBench: no cache directory (set XDG_CACHE_HOME or --cache)\n".utf8))
        exit(2)
    }
    let started = DispatchTime.now().uptimeNanoseconds
    func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9 }
    let (cache, warning) = StoreSession.trustedCache(dir)
    if let warning { FileHandle.standardError.write(Data("EarshotBench: \(warning)\n".utf8)) }
    let source = StoreDashboardSource(StoreRequest(paths: [store], rulesPath: rules, options: AnalysisOptions(), cache: cache))
    let data = try source.load { _ in }
    var state = AppState(options: DashboardOptions())
    _ = update(&state, .resize(width: 120, height: 40))
    _ = update(&state, .loaded(data))
    var buffer = ScreenBuffer(width: 120, height: 40)
    render(state, into: &buffer)
    let firstFrame = elapsed()
    let program = loadProgram(store, rulesPath)
    let segment = program.segments.first?.name ?? ""
    let filtered = source.report(filteredTo: segment)
    let firstFilter = elapsed()
    // The background work after the first frame, both ways, in this one process (after the timings above, so they
    // are not disturbed): the whole load again (the re-open before session 5: cache sweep, rules, the cached
    // report read and decoded, the table) and the table-only entry. Twice each, alternating; the smaller of each.
    var whole: [Double] = [], tableOnly: [Double] = []
    let request = StoreRequest(paths: [store], rulesPath: rules, options: AnalysisOptions(), cache: cache)
    if let shown = try? StoreSession.load(request, needsTable: false) {
        for _ in 0 ..< 2 {
            var t = DispatchTime.now().uptimeNanoseconds
            _ = try? StoreSession.load(request, needsTable: true)
            whole.append(Double(DispatchTime.now().uptimeNanoseconds - t) / 1e9)
            t = DispatchTime.now().uptimeNanoseconds
            _ = try? StoreSession.loadTable(request, after: shown)
            tableOnly.append(Double(DispatchTime.now().uptimeNanoseconds - t) / 1e9)
        }
    }
    printJSON([
        "store": store,
        "cache": source.lastCacheOutcome.map { $0.explanation } ?? "-",
        "first_frame_seconds": firstFrame,
        "first_filter_seconds": firstFilter,
        "background_whole_load_seconds": whole.min() ?? -1,
        "background_table_only_seconds": tableOnly.min() ?? -1,
        "filter_segment": segment,
        "filter_persons": filtered?.store.persons ?? -1,
        "persons": data.report.store.persons,
    ])
}
