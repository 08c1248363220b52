import Analytics
import Dashboard
import EventStore
import Foundation
import Synchronization

/// Why a store, its rules or a rules file cannot be used: one line for the person at the keyboard.
public struct AppError: Error, CustomStringConvertible, Sendable, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// What the caches did for one load (docs/PERFORMANCE.md, "Caching").
public enum LoadCacheOutcome: Sendable, Equatable {
    /// No cache was used: `--no-cache`, no trusted cache directory, or a store read from a pipe.
    case disabled
    /// The finished report came from the cache: the store, rules and options are unchanged.
    case reportHit
    /// The table came from the cache (after reading `appendedBytes` new bytes of grown files); the report was computed.
    case tableHit(appendedBytes: Int64)
    /// The store was read in full; `reason` says why the cache could not be used (EventStore's ``RebuildReason``).
    case rebuilt(reason: RebuildReason)

    /// One line for `--explain-cache`: `report from the cache`, or `report computed (table: cache hit)`.
    public var explanation: String {
        switch self {
        case .reportHit: "report from the cache"
        case .disabled: "report computed (table: \(CacheOutcome.unused.description))"
        case .tableHit(let n): "report computed (table: \((n > 0 ? CacheOutcome.appended(bytesRead: n) : .hit).description))"
        case .rebuilt(let reason): "report computed (table: \(CacheOutcome.rebuilt(reason: reason).description))"
        }
    }
}

/// What a command asks of the store: its files, rules and options. Built from flags by the CLI, or by hand in tests.
public struct StoreRequest: Sendable {
    public var paths: [String]
    /// The segment rules file; nil: no rules.
    public var rulesPath: String?
    public var options: AnalysisOptions
    /// The cache; nil: none (`--no-cache`).
    public var cache: StoreCache?
    /// How lines are read (`--assume-utc`).
    public var reader: ReaderOptions

    public init(paths: [String], rulesPath: String? = nil, options: AnalysisOptions, cache: StoreCache? = nil,
                reader: ReaderOptions = ReaderOptions()) {
        self.paths = paths; self.rulesPath = rulesPath; self.options = options; self.cache = cache; self.reader = reader
    }
}

/// A store read into memory (or its report read from the cache), with its rules, ready to answer reports.
public struct LoadedStore: Sendable {
    /// The table; nil when the finished report came from the cache and no table was asked for.
    public var table: EventTable? { didSet { makeIndex() } }
    public var program: SegmentProgram? { didSet { makeIndex() } }
    public var options: AnalysisOptions { didSet { makeIndex() } }
    public var paths: [String]
    public var seconds: Double
    /// What the caches did.
    public var cacheOutcome: LoadCacheOutcome = .disabled
    /// Notes for the person at the keyboard (unused rules, …), one line each, without the `earshot: ` prefix.
    public var warnings: [String] = []
    /// The full report as cached for this very store state, rules and options.
    var cachedReport: Report? = nil
    /// Where to save the full report once computed (nil: no cache, or it is already cached).
    var reportSlot: CachedResultSlot? = nil
    /// The rules' text (for the unused-rules notes of a table loaded later, ``StoreSession/loadTable(_:after:)``).
    var rulesSource: String? = nil

    /// The table's ``AnalysisIndex`` (built once, on first use or by ``AnalysisIndexCache/prepare()``); nil without a table.
    public private(set) var index: AnalysisIndexCache?

    public init(table: EventTable?, program: SegmentProgram?, options: AnalysisOptions, paths: [String], seconds: Double) {
        self.table = table; self.program = program; self.options = options; self.paths = paths; self.seconds = seconds
        makeIndex()
    }

    /// A new (not yet built) index for the current table, rules and options.
    private mutating func makeIndex() {
        index = table.map { AnalysisIndexCache(table: $0, program: program, options: options) }
    }

    /// The full report (segments included) when `persons` is nil — from the cache when it is valid,
    /// else computed and saved to the cache — or the report restricted to `persons`.
    public func report(persons: PersonSet? = nil) -> Report {
        if persons == nil, let cachedReport { return cachedReport }
        guard let index else { preconditionFailure("a filtered report needs the table: load with needsTable") }
        let report = Analysis.report(index: index.get(), persons: persons)
        if persons == nil, let reportSlot { ReportCache.save(report, to: reportSlot) }
        return report
    }

    /// Measures from `ms` instead: a cached report was computed for another reference time, so it is neither
    /// used nor saved.
    public mutating func setReferenceTime(_ ms: Int64) {
        options.now = ms
        cachedReport = nil
        reportSlot = nil
    }
}

/// The cached full report: its key and encoding.
enum ReportCache {
    /// Bump when the meaning of a cached report changes without the binary changing.
    static let version = "report-2"
    /// Cached reports decoded by this process (for tests: a re-open decodes one, for its first frame).
    static let decodes = Atomic<Int>(0)

    /// Everything besides the store that the full report depends on: the rules text (and file name,
    /// which positions in messages use), every analysis and privacy option, and the identity of this
    /// earshot binary (a rebuilt binary may compute differently, so it never trusts older reports).
    static func key(rulesPath: String?, rulesSource: String?, options: AnalysisOptions) -> String {
        var parts = [version, "exe:" + executableIdentity()]
        parts.append("rules:" + (rulesPath ?? "-") + "\u{0}" + (rulesSource ?? ""))
        // The reflection of the options names every stored field, so a new option can never be forgotten.
        parts.append("options:" + String(reflecting: options))
        return parts.joined(separator: "\u{1}")
    }

    /// Size, mtime and inode of the running executable ("?" when unknown: then every run differs).
    static func executableIdentity() -> String {
        var st = stat()
        guard stat("/proc/self/exe", &st) == 0 else { return "?\(getpid())-\(Date().timeIntervalSince1970)" }
        return "\(st.st_size):\(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec):\(st.st_ino)"
    }

    /// The cached form of `report`: the report without its event names as JSON, then the names' arrays as they are
    /// held (``EventNameList/appendBinary(to:)``), so a million names are neither encoded nor decoded one by one
    /// (#11.15: a JSON-encoded report cost 6× the store on a cold cached run). Layout: UInt64 length of the JSON
    /// (little-endian), the JSON, the name list. The whole is authenticated by the result file's keyed tag.
    static func encode(_ report: Report) -> [UInt8]? {
        guard let json = json(report) else { return nil }
        var out: [UInt8] = []
        writeParts(report, json: json) { out.append(contentsOf: $0) }
        return out
    }

    /// Saves the bytes of ``encode(_:)`` into `slot` without building them in one buffer: the JSON part, then the name
    /// list straight from its arrays (#11.15: one copy of a million-name list less on a cold cached run).
    static func save(_ report: Report, to slot: CachedResultSlot) {
        guard let json = json(report) else { return }
        slot.save(count: 8 + json.count + report.eventNames.binaryCount) { piece in
            writeParts(report, json: json, piece)
        }
    }

    private static func json(_ report: Report) -> Data? {
        var rest = report
        rest.eventNames = []
        return try? JSONEncoder().encode(rest)
    }

    private static func writeParts(_ report: Report, json: Data, _ sink: (UnsafeRawBufferPointer) -> Void) {
        withUnsafeBytes(of: UInt64(json.count).littleEndian, sink)
        json.withUnsafeBytes(sink)
        report.eventNames.writeBinary(sink)
    }

    /// The report saved by ``encode(_:)``, or nil when the bytes are not a well-formed one (a cache miss, never
    /// a crash: lengths are checked against the bytes present, the name list as ``EventNameList/init(binary:)`` says).
    static func decode(_ bytes: [UInt8]?) -> Report? {
        guard let bytes else { return nil }
        decodes.add(1, ordering: .relaxed)
        return bytes.withUnsafeBytes { raw -> Report? in
            guard raw.count >= 8 else { return nil }
            var length: UInt64 = 0
            withUnsafeMutableBytes(of: &length) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[0 ..< 8])) }
            length = UInt64(littleEndian: length)
            guard length <= UInt64(raw.count - 8) else { return nil }
            let jsonEnd = 8 + Int(length)
            guard var report = try? JSONDecoder().decode(Report.self, from: Data(raw[8 ..< jsonEnd])),
                  report.eventNames.isEmpty,
                  let names = EventNameList(binary: UnsafeRawBufferPointer(rebasing: raw[jsonEnd...])) else { return nil }
            report.eventNames = names
            return report
        }
    }
}

/// Reads rules and store for a command: the one place where a ``StoreRequest`` becomes a ``LoadedStore``.
public enum StoreSession {
    /// The event fields a store is read with: those of the metrics, free text, the feedback schema and the rules
    /// (a projection push-down: nothing else is kept). One function for every read path (load, follow).
    public static func selection(program: SegmentProgram?, feedback: FeedbackSchema) -> FieldSelection {
        var selection = FieldSelection.metrics.union(FreeTextMetrics.fieldSelection).union(feedback.fieldSelection)
        if let program { selection = selection.union(program.fieldSelection) }
        return selection
    }

    /// Parses the rules file (if any), then reads the store with only the columns needed — or,
    /// when the cache holds the full report for this store state, rules and options, only that
    /// (the table is then loaded only with `needsTable`). ``LoadedStore/cacheOutcome`` says which.
    public static func load(_ request: StoreRequest, needsTable: Bool = false,
                            progress: ((ReadProgress) -> Void)? = nil) throws(AppError) -> LoadedStore {
        let started = Date()
        let analysis = request.options, cache = request.cache
        if let cache { CacheJanitor.sweep(cache, nowSeconds: Int64(started.timeIntervalSince1970)) }
        let (program, source) = try rulesWithSource(request.rulesPath)
        let key = ReportCache.key(rulesPath: request.rulesPath, rulesSource: source, options: analysis)
        var opening: StoreOpening
        do {
            let storeReader = reader(request, program: program)
            opening = try storeReader.open(cache: cache, resultKey: key, needsTable: needsTable, progress: progress)
            let cached = ReportCache.decode(opening.cachedResult)
            if opening.cachedResult != nil && cached == nil && opening.table == nil {
                // Undecodable (cannot happen for a file this binary wrote): read the table and recompute.
                opening = try storeReader.open(cache: cache, resultKey: key, needsTable: true, progress: progress)
            }
            var store = LoadedStore(table: opening.table, program: program, options: analysis, paths: request.paths,
                                    seconds: Date().timeIntervalSince(started))
            store.cachedReport = cached
            store.reportSlot = opening.resultSlot
            store.cacheOutcome = outcome(cache: cache, opening: opening, reportCached: cached != nil)
            store.rulesSource = source
            if let program, let table = opening.table, let source {
                store.warnings = program.listWarnings(table: table, source: source).map(\.description)
            }
            return store
        } catch {
            throw AppError(error.description)
        }
    }

    /// The store reader of a request: the field selection of its rules, its reader options and consent categories
    /// (the same for every entry, so that they share the table cache).
    static func reader(_ request: StoreRequest, program: SegmentProgram?) -> StoreReader {
        var storeReader = StoreReader(paths: request.paths, selection: selection(program: program, feedback: request.options.feedback),
                                      options: request.reader)
        storeReader.keepConsentCategories = [request.options.analyticsCategory]
        return storeReader
    }

    /// The table behind `shown`, a store whose report came from the cache without its table (the dashboard's
    /// re-open, #14): the table only — from the table cache when it is valid, appended bytes read when the store grew —
    /// with the rules `shown` was loaded with. No cache sweep, no rules parse, no cached report read or decoded and
    /// no analysis: the report shown stays the full report when the store is unchanged since (the table cache was a
    /// plain hit); else the table is of the newer state and its full report is computed when asked for.
    public static func loadTable(_ request: StoreRequest, after shown: LoadedStore,
                                 progress: ((ReadProgress) -> Void)? = nil) throws(AppError) -> LoadedStore {
        let started = Date()
        do {
            let (table, outcome) = try reader(request, program: shown.program).load(cache: request.cache, progress: progress)
            var store = LoadedStore(table: table, program: shown.program, options: shown.options, paths: request.paths,
                                    seconds: Date().timeIntervalSince(started))
            store.rulesSource = shown.rulesSource
            if case .hit = outcome {
                store.cachedReport = shown.cachedReport
                store.cacheOutcome = shown.cacheOutcome
            } else {
                store.cacheOutcome = tableOutcome(cache: request.cache, outcome)
            }
            if let program = shown.program, let source = shown.rulesSource {
                store.warnings = program.listWarnings(table: table, source: source).map(\.description)
            }
            return store
        } catch {
            throw AppError(error.description)
        }
    }

    /// The outcome of one opening as a value.
    static func outcome(cache: StoreCache?, opening: StoreOpening, reportCached: Bool) -> LoadCacheOutcome {
        guard cache != nil else { return .disabled }
        if reportCached { return .reportHit }
        return tableOutcome(cache: cache, opening.cache)
    }

    /// What the table cache did, as a value.
    static func tableOutcome(cache: StoreCache?, _ outcome: CacheOutcome) -> LoadCacheOutcome {
        guard cache != nil else { return .disabled }
        switch outcome {
        case .unused: return .disabled
        case .hit: return .tableHit(appendedBytes: 0)
        case .appended(let n): return .tableHit(appendedBytes: n)
        case .rebuilt(let reason): return .rebuilt(reason: reason)
        }
    }

    /// The cache in `directory` when it can be trusted (created when missing), else nil with a warning (one line,
    /// without the `earshot: warning: ` prefix): a directory that is a symbolic link, owned by another user or
    /// writable by group or others is never used (another user could plant or read cache files). One that cannot
    /// be created or opened at all is not used either, without a warning.
    public static func trustedCache(_ directory: String) -> (cache: StoreCache?, warning: String?) {
        // Opened and checked once: the sweep and every cache file of the command go through this descriptor.
        switch StoreCache.opening(directory) {
        case .success(let cache): return (cache, nil)
        case .failure(let refusal):
            // A directory that cannot be created (no home, read-only) silently means no cache.
            return (nil, refusal.isUnavailable ? nil : "\(refusal.description); running without the cache")
        }
    }

    /// Parses a rules file; `nil` path → no rules.
    public static func rules(_ path: String?) throws(AppError) -> SegmentProgram? {
        try rulesWithSource(path).program
    }

    /// Parses a rules file and returns it with its text; `nil` path → no rules.
    public static func rulesWithSource(_ path: String?) throws(AppError) -> (program: SegmentProgram?, source: String?) {
        guard let path else { return (nil, nil) }
        let source = try readRulesFile(path)
        do {
            return (try SegmentProgram.parse(source: source, fileName: path), source)
        } catch {
            throw AppError("invalid segment rules:\n\(error.description)")
        }
    }

    /// The text of a rules file (segment rules or check rules), or a one-line error saying why not.
    public static func readRulesFile(_ path: String) throws(AppError) -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            var isDir: ObjCBool = false
            if !FileManager.default.fileExists(atPath: path, isDirectory: &isDir) {
                throw AppError("no such rules file: \(path)")
            }
            throw AppError("cannot read rules file \(path) as UTF-8 text")
        }
    }

    /// Where the rules come from, for the dashboard's hint when there are no segments.
    public static func rulesOrigin(storePaths: [String], rulesPath: String?) -> RulesOrigin {
        if let rulesPath { return .file(rulesPath) }
        return .notFound(searched: storePaths.filter { p in
            var isDir: ObjCBool = false
            return FileManager.default.fileExists(atPath: p, isDirectory: &isDir) && isDir.boolValue
        })
    }
}
