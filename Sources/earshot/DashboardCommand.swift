import ArgumentParser
import Analytics
import Dashboard
import EventStore
import Foundation
import Synchronization
import Terminal

/// `earshot [PATH…]`: the interactive dashboard (the default command).
struct DashboardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Open the interactive dashboard (the default command).",
        discussion: """
        Themes: --theme NAME|PATH or EARSHOT_THEME (default, light, high-contrast, mono, presentation; see docs/THEMES.md).
        NO_COLOR or --no-color draws with attributes only; --ascii avoids Unicode glyphs (also chosen without a UTF-8 locale).
        Over SSH: ssh -t host earshot PATH. Live: --follow (or F inside) reads what is appended to the store (docs/ONCALL.md).
        """
    )

    @OptionGroup var store: StoreOptions

    @Option(name: .long, help: ArgumentHelp("Theme name (in Themes/) or path to a theme file.", valueName: "name|path"))
    var theme: String?

    @Flag(name: .long, help: "Use ASCII glyphs for bars, borders and sparklines.")
    var ascii = false

    @Flag(name: .long, help: "No colors: attributes only (as with NO_COLOR).")
    var noColor = false

    @Flag(name: .long, help: "Follow the store: read what is appended and new files, update every second (F toggles).")
    var follow = false

    @OptionGroup var exports: ExportOptions

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let code: Int32 = try reportingErrors {
            // Everything that can be wrong with the input is reported first, before the screen changes.
            let paths = try store.validatedPaths()
            let configuration = try store.configuration()
            let analysis = try store.analysisOptions(configuration: configuration)
            let rulesPath = try store.rulesFile(for: paths)
            _ = try StoreSession.rules(rulesPath)
            let themeValue: Theme
            do { themeValue = try Theme.load(nameOrPath: theme, environment: environment) } catch {
                throw CLIError.failed("\(error)")
            }
            if let reason = TerminalCapabilities.precheck(term: environment["TERM"],
                                                          stdoutIsTerminal: isatty(1) == 1,
                                                          stdinIsTerminal: isatty(0) == 1) {
                throw CLIError.failed(reason.description)
            }
            let source = StoreDashboardSource(paths: paths, rulesPath: rulesPath, options: analysis, cache: store.cache,
                                              reader: store.readerOptions(configuration: configuration))
            source.live.setFollowMode(follow)
            var options = TerminalOptions(theme: themeValue, ascii: ascii, noColor: noColor, environment: environment)
            options.follow = follow
            exports.apply(to: &options)
            return DashboardRuntime(source: source, options: options).run()
        }
        // Exit here: a load still running on its background thread must not keep the process alive.
        Foundation.exit(code)
    }
}

/// Feeds the dashboard from a store on disk: reads it (off the UI thread, called by the runtime)
/// and computes segment-filtered reports on demand.
final class StoreDashboardSource: DashboardSource {
    let paths: [String]
    let rulesPath: String?
    let options: AnalysisOptions
    let cache: StoreCache?
    let loaded = Mutex<LoadedStore?>(nil)
    /// Follow mode (`--follow`, `F`): see StoreDashboardSource+Follow.swift.
    let live = LiveFollowState()
    /// The store's name in the header.
    let sourceDescription: String

    /// How the store's lines are read (`--assume-utc`).
    let reader: ReaderOptions

    init(paths: [String], rulesPath: String?, options: AnalysisOptions, cache: StoreCache? = nil,
         reader: ReaderOptions = ReaderOptions(), sourceDescription: String? = nil) {
        self.paths = paths; self.rulesPath = rulesPath; self.options = options; self.cache = cache; self.reader = reader
        self.sourceDescription = sourceDescription ?? StorePathDisplay.describe(paths)
    }

    func load(progress: @escaping @Sendable (LoadProgress) -> Void) throws -> DashboardData {
        if live.followMode { return try loadForFollowing(progress: progress) }
        let started = Date()
        // The table is loaded eagerly (segment filters need it); the full report comes from the
        // cache when it is valid for this store state, rules and options.
        let store: LoadedStore
        do {
            store = try StoreSession.load(paths: paths, rulesPath: rulesPath, options: options, cache: cache,
                                          needsTable: true, reader: reader) { p in
                progress(LoadProgress(bytesRead: p.bytesRead, totalBytes: p.totalBytes, events: p.events,
                                      elapsedSeconds: Date().timeIntervalSince(started), file: p.file))
            }
        } catch {
            throw DashboardLoadError(message: "\(error)")
        }
        let report = store.report()
        loaded.withLock { $0 = store }
        // With the report from the cache, the filters' index is built now, before the first `f`.
        if store.cachedReport != nil { store.index?.prepare() }
        return DashboardData(report: report, sourceDescription: sourceDescription,
                             loadSeconds: Date().timeIntervalSince(started),
                             rules: StoreOptions.rulesOrigin(storePaths: paths, rulesPath: rulesPath))
    }

    func report(filteredTo segment: String) -> Report? {
        // The members come from the store's index (computed once), and the report passes over their rows only.
        guard let store = loaded.withLock({ $0 }), store.program != nil,
              let members = store.index?.get().members(of: segment) else { return nil }
        return store.report(persons: members)
    }
}

/// A load failure shown inside the dashboard (with `r` to retry).
struct DashboardLoadError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
