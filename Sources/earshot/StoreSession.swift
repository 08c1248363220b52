import Analytics
import EventStore
import Foundation

/// A store read into memory (or its report read from the cache), with its rules, ready to answer reports.
struct LoadedStore: Sendable {
    /// The table; nil when the finished report came from the cache and no table was asked for.
    var table: EventTable? { didSet { makeIndex() } }
    var program: SegmentProgram? { didSet { makeIndex() } }
    var options: AnalysisOptions { didSet { makeIndex() } }
    var paths: [String]
    var seconds: Double
    /// The full report as cached for this very store state, rules and options.
    var cachedReport: Report? = nil
    /// Where to save the full report once computed (nil: no cache, or it is already cached).
    var reportSlot: CachedResultSlot? = nil
    /// What the table cache did (``CacheOutcome/hit`` when only the cached report was read).
    var tableCache: CacheOutcome = .unused

    /// One line for `--explain-cache`: `report from the cache`, or `report computed (table: cache hit)`.
    var cacheExplanation: String {
        cachedReport != nil ? "report from the cache" : "report computed (table: \(tableCache.description))"
    }

    /// The table's ``AnalysisIndex`` (built once, on first use or by ``AnalysisIndexCache/prepare()``); nil without a table.
    private(set) var index: AnalysisIndexCache?

    init(table: EventTable?, program: SegmentProgram?, options: AnalysisOptions, paths: [String], seconds: Double,
         cachedReport: Report? = nil, reportSlot: CachedResultSlot? = nil, tableCache: CacheOutcome = .unused) {
        self.table = table; self.program = program; self.options = options; self.paths = paths
        self.seconds = seconds; self.cachedReport = cachedReport; self.reportSlot = reportSlot
        self.tableCache = tableCache
        makeIndex()
    }

    /// A new (not yet built) index for the current table, rules and options.
    private mutating func makeIndex() {
        index = table.map { AnalysisIndexCache(table: $0, program: program, options: options) }
    }

    /// The full report (segments included) when `persons` is nil — from the cache when it is valid,
    /// else computed and saved to the cache — or the report restricted to `persons`.
    func report(persons: PersonSet? = nil) -> Report {
        if persons == nil, let cachedReport { return cachedReport }
        guard let index else { preconditionFailure("a filtered report needs the table: load with needsTable") }
        let report = Analysis.report(index: index.get(), persons: persons)
        if persons == nil, let reportSlot, let data = try? ReportCache.encoder.encode(report) {
            reportSlot.save([UInt8](data))
        }
        return report
    }
}

/// The cached full report: its key and encoding.
enum ReportCache {
    /// Bump when the meaning of a cached report changes without the binary changing.
    static let version = "report-1"

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

    static var encoder: JSONEncoder { JSONEncoder() }

    static func decode(_ bytes: [UInt8]?) -> Report? {
        guard let bytes else { return nil }
        return try? JSONDecoder().decode(Report.self, from: Data(bytes))
    }
}

/// Reads rules and store for a command: the one place where flags become a `LoadedStore`.
enum StoreSession {
    /// Parses the rules file (if any), then reads the store with only the columns needed — or,
    /// when the cache holds the full report for this store state, rules and options, only that
    /// (the table is then loaded only with `needsTable`). Errors are `CLIError`s with messages
    /// for the person at the keyboard.
    static func load(_ options: StoreOptions, needsTable: Bool = false,
                     progress: ((ReadProgress) -> Void)? = nil) throws -> LoadedStore {
        let paths = try options.resolvedPaths()
        let configuration = try options.configuration()
        let analysis = try options.analysisOptions(configuration: configuration)
        let loaded = try load(paths: paths, rulesPath: options.rulesFile(for: paths), options: analysis,
                              cache: options.cache, needsTable: needsTable, reader: options.readerOptions(configuration: configuration), progress: progress)
        if options.explainCache { Stderr.write("earshot: cache: \(loaded.cacheExplanation)\n") }
        return loaded
    }

    /// ``load(_:needsTable:progress:)`` from resolved values.
    static func load(paths: [String], rulesPath: String?, options analysis: AnalysisOptions, cache: StoreCache?,
                     needsTable: Bool, reader: ReaderOptions = ReaderOptions(),
                     progress: ((ReadProgress) -> Void)?) throws -> LoadedStore {
        let started = Date()
        if let cache { CacheJanitor.sweep(directory: cache.directory, nowSeconds: Int64(started.timeIntervalSince1970)) }
        let (program, source) = try rulesWithSource(rulesPath)
        var selection = FieldSelection.metrics.union(FreeTextMetrics.fieldSelection).union(analysis.feedback.fieldSelection)
        if let program { selection = selection.union(program.fieldSelection) }
        let key = ReportCache.key(rulesPath: rulesPath, rulesSource: source, options: analysis)
        var opening: StoreOpening
        do {
            var storeReader = StoreReader(paths: paths, selection: selection, options: reader)
            storeReader.keepConsentCategories = [analysis.analyticsCategory]
            opening = try storeReader.open(cache: cache, resultKey: key, needsTable: needsTable, progress: progress)
            var cached = ReportCache.decode(opening.cachedResult)
            if opening.cachedResult != nil && cached == nil && opening.table == nil {
                // Undecodable (cannot happen for a file this binary wrote): read the table and recompute.
                opening = try storeReader.open(cache: cache, resultKey: key, needsTable: true, progress: progress)
                cached = nil
            }
            if let program, let table = opening.table, let source {
                for w in program.listWarnings(table: table, source: source) { Stderr.write("earshot: \(w.description)\n") }
            }
            return LoadedStore(table: opening.table, program: program, options: analysis, paths: paths,
                               seconds: Date().timeIntervalSince(started), cachedReport: cached,
                               reportSlot: opening.resultSlot, tableCache: opening.cache)
        } catch {
            throw CLIError.failed(error.description)
        }
    }

    /// The cache in `directory` when it can be trusted (created when missing); else nil after a
    /// one-line warning on stderr: a directory that is a symbolic link, owned by another user or
    /// writable by group or others is never used (another user could plant or read cache files).
    /// One that cannot be created or opened at all is not used either, without a warning.
    static func trustedCache(_ directory: String) -> StoreCache? {
        let cache = StoreCache(directory: directory)
        if let refusal = cache.prepare() {
            // A directory that cannot be created (no home, read-only) silently means no cache.
            if !refusal.isUnavailable {
                Stderr.write("earshot: warning: \(refusal.description); running without the cache\n")
            }
            return nil
        }
        return cache
    }

    /// Parses a rules file; `nil` path → no rules.
    static func rules(_ path: String?) throws -> SegmentProgram? {
        try rulesWithSource(path).program
    }

    /// Parses a rules file and returns it with its text; `nil` path → no rules.
    static func rulesWithSource(_ path: String?) throws -> (program: SegmentProgram?, source: String?) {
        guard let path else { return (nil, nil) }
        let source = try readRulesFile(path)
        do {
            return (try SegmentProgram.parse(source: source, fileName: path), source)
        } catch {
            throw CLIError.failed("invalid segment rules:\n\(error.description)")
        }
    }
}

/// The text of a rules file (segment rules or check rules), or a one-line `CLIError` saying why not.
func readRulesFile(_ path: String) throws -> String {
    do {
        return try String(contentsOfFile: path, encoding: .utf8)
    } catch {
        var isDir: ObjCBool = false
        if !FileManager.default.fileExists(atPath: path, isDirectory: &isDir) {
            throw CLIError.failed("no such rules file: \(path)")
        }
        throw CLIError.failed("cannot read rules file \(path) as UTF-8 text")
    }
}
