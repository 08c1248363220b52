import ArgumentParser
import EventStore
import Analytics
import Dashboard
import EarshotApp
import EarshotConfig
import Foundation

/// Options shared by every command that reads a store.
struct StoreOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("Event files or directories (.jsonl, .ndjson, .json, optionally .gz). Default: ExampleData "
                                 + "(not for check: a check must name its store).",
                                 valueName: "path"))
    var paths: [String] = []

    @Option(name: .long, help: ArgumentHelp("Segment rules file. Default: the store's *.segments file, if there is one.",
                                            valueName: "file"))
    var segments: String?

    @Option(name: .long, help: ArgumentHelp("Response window: a prompt counts as answered within it; a number followed by "
                                            + "m, h, d or w, e.g. 7d, 36h, 1d12h.",
                                            valueName: "duration"))
    var window: DurationArgument = DurationArgument(argument: "7d")!

    @Option(name: .long, help: ArgumentHelp("Reference time for `in last` windows and ages: ISO-8601 with a zone, e.g. "
                                            + "2026-11-20T00:00:00Z. Default: the newest event (report, dashboard, snapshot); "
                                            + "for check: the wall clock, or the newest event if that is later.",
                                            valueName: "time"))
    var now: TimeArgument?

    @Option(name: .long, help: ArgumentHelp("Consent category whose denial makes an event \"collected without consent\" (default: the config's analytics_category, else Analytics).",
                                            valueName: "name"))
    var analyticsCategory: String?

    @Option(name: .long, help: ArgumentHelp("Configuration file (docs/CONFIG.md). Default: earshot.yaml at the top of the store, if there is one.",
                                            valueName: "file"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("Withhold counts of fewer than K persons (shown as <K); 0 turns this off.",
                                            valueName: "K"))
    var minCohort: CohortArgument = CohortArgument(PrivacyPolicy.defaultMinCohort)

    @Flag(name: .long, help: "Show personal data (e-mail addresses, phone numbers, IP and street addresses, names) unmasked.")
    var reveal = false

    @Flag(name: .long, help: "Read event times without a zone (\"2020-01-15 14:57:24.898\", as AppsFlyer sends through RudderStack) as UTC; without it such events are malformed.")
    var assumeUtc = false

    /// How lines are read: `--assume-utc`, or `assume_utc: true` in the configuration (read once by the caller,
    /// with ``configuration()``, and shared with ``analysisOptions(configuration:)``).
    func readerOptions(configuration: EarshotConfiguration) -> ReaderOptions {
        ReaderOptions(assumeUTC: assumeUtc || (configuration.assumeUTC ?? false))
    }

    @Flag(name: .long, help: "Say on standard error where the report came from: the report cache, or computed (and what the table cache did).")
    var explainCache = false

    @Flag(name: .long, help: "Read the whole store and compute every figure, bypassing the table and report caches in $XDG_CACHE_HOME/earshot (or ~/.cache/earshot).")
    var noCache = false

    /// The cache (tables and finished reports) to use, or nil (`--no-cache`, no cache directory known,
    /// or one that cannot be trusted: then with a warning).
    var cache: StoreCache? {
        guard !noCache, let dir = StoreCache.defaultDirectory() else { return nil }
        let (cache, warning) = StoreSession.trustedCache(dir)
        if let warning { Stderr.write("earshot: warning: \(warning)\n") }
        return cache
    }

    /// What the command asks of the store: paths, rules file, analysis options, cache and reader options from the
    /// flags and the configuration file (read once here); `withCache: false` never looks at the cache.
    func request(paths: [String]? = nil, withCache: Bool = true) throws -> StoreRequest {
        let paths = try paths ?? resolvedPaths()
        let configuration = try configuration()
        return StoreRequest(paths: paths, rulesPath: try rulesFile(for: paths),
                            options: try analysisOptions(configuration: configuration), cache: withCache ? cache : nil,
                            reader: readerOptions(configuration: configuration))
    }

    /// Reads the store for a command (``StoreSession/load(_:needsTable:progress:)``): its notes go to standard error,
    /// its error becomes a one-line ``CLIError``.
    /// `request`: one made earlier by ``request(paths:withCache:)`` (so that a caller that also needs the rules file
    /// does not look for it twice), else one made now.
    func load(_ request: StoreRequest? = nil, needsTable: Bool = false,
              progress: ((ReadProgress) -> Void)? = nil) throws -> LoadedStore {
        let request = try request ?? self.request()
        let loaded = try cliErrors { try StoreSession.load(request, needsTable: needsTable, progress: progress) }
        for w in loaded.warnings { Stderr.write("earshot: \(w)\n") }
        if explainCache { Stderr.write("earshot: cache: \(loaded.cacheOutcome.explanation)\n") }
        return loaded
    }

    /// The paths to read (ExampleData when none were given).
    func resolvedPaths() throws -> [String] {
        if !paths.isEmpty { return paths }
        guard let dir = ExampleDataLocator.find() else {
            throw CLIError.usage("no path given and no ExampleData directory found here or next to the earshot binary; name a store: earshot report PATH")
        }
        return [dir]
    }

    /// The paths to read, checked before a full-screen command takes over the terminal: a missing
    /// path or a directory without event files is a one-line error here, not a message inside the dashboard.
    func validatedPaths() throws -> [String] {
        let paths = try resolvedPaths()
        do { _ = try StoreLocator.locate(paths) } catch { throw CLIError.failed(error.description) }
        return paths
    }

    /// The configuration: `--config FILE`, else the store's `earshot.yaml`, else the built-in defaults.
    /// A bad file is a one-line `file:line:col: message` usage error.
    func configuration() throws -> EarshotConfiguration {
        do {
            if let config { return try EarshotConfiguration.load(path: config) }
            guard let found = try EarshotConfiguration.find(storePaths: try resolvedPaths()) else {
                return EarshotConfiguration()
            }
            return try EarshotConfiguration.load(path: found)
        } catch let e as ConfigError {
            throw CLIError.usage(e.description)
        }
    }

    /// Analysis options from the flags and the configuration file (a flag wins over the file).
    func analysisOptions() throws -> AnalysisOptions {
        try analysisOptions(configuration: configuration())
    }

    /// Analysis options from the flags (their values were checked by the argument parser) and `configuration`
    /// (a flag wins over the file).
    func analysisOptions(configuration: EarshotConfiguration) throws -> AnalysisOptions {
        AnalysisOptions(now: now?.milliseconds, window: window.milliseconds,
                        analyticsCategory: analyticsCategory ?? configuration.analyticsCategory ?? "Analytics",
                        privacy: PrivacyPolicy(minCohort: minCohort.value, revealPII: reveal,
                                               piiFields: configuration.piiFields),
                        feedback: configuration.feedback)
    }

    /// The rules file to use: `--segments`, else the single `*.segments` file at the top of a directory store.
    func rulesFile(for storePaths: [String]) throws -> String? {
        if let segments { return segments }
        var found: [String] = []
        for p in storePaths {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: p, isDirectory: &isDir), isDir.boolValue else { continue }
            let names = (try? FileManager.default.contentsOfDirectory(atPath: p)) ?? []
            for n in names.sorted() where n.hasSuffix(".segments") && !n.hasPrefix(".") {
                found.append((p as NSString).appendingPathComponent(n))
            }
        }
        if found.count > 1 {
            throw CLIError.usage("several rules files in the store (\(found.joined(separator: ", "))); choose one with --segments FILE")
        }
        return found.first
    }
}

/// Finds the bundled ExampleData: in the current directory, else next to the binary's package.
enum ExampleDataLocator {
    static func find() -> String? {
        let fm = FileManager.default
        if isDirectory("ExampleData") { return "ExampleData" }
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        if let exe = Bundle.main.executableURL { dir = exe.resolvingSymlinksInPath().deletingLastPathComponent() }
        for _ in 0..<6 {
            let candidate = dir.appendingPathComponent("ExampleData").path
            if isDirectory(candidate) { return candidate }
            dir.deleteLastPathComponent()
        }
        _ = fm
        return nil
    }

    private static func isDirectory(_ p: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: p, isDirectory: &isDir) && isDir.boolValue
    }
}
