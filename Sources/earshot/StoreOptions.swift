import ArgumentParser
import EventStore
import Analytics
import Foundation

/// Options shared by every command that reads a store.
struct StoreOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("Event files or directories (.jsonl, .ndjson, .json, optionally .gz). Default: ExampleData.",
                                 valueName: "path"))
    var paths: [String] = []

    @Option(name: .long, help: ArgumentHelp("Segment rules file. Default: the store's *.segments file, if there is one.",
                                            valueName: "file"))
    var segments: String?

    @Option(name: .long, help: ArgumentHelp("Response window: a prompt counts as answered within it (e.g. 7d, 36h).",
                                            valueName: "duration"))
    var window: String = "7d"

    @Option(name: .long, help: ArgumentHelp("Reference time (ISO-8601 with zone) for `in last` windows and ages. Default: the latest event.",
                                            valueName: "time"))
    var now: String?

    @Option(name: .long, help: ArgumentHelp("Consent category whose denial makes an event \"collected without consent\".",
                                            valueName: "name"))
    var analyticsCategory: String = "Analytics"

    @Option(name: .long, help: ArgumentHelp("Withhold counts of fewer than K persons (shown as <K); 0 turns this off.",
                                            valueName: "K"))
    var minCohort: Int = PrivacyPolicy.defaultMinCohort

    @Flag(name: .long, help: "Show personal data (e-mail addresses, phone numbers, IP and street addresses, names) unmasked.")
    var reveal = false

    @Flag(name: .long, help: "Read the whole store and compute every figure, bypassing the table and report caches in $XDG_CACHE_HOME/earshot (or ~/.cache/earshot).")
    var noCache = false

    /// The cache (tables and finished reports) to use, or nil (`--no-cache`, no cache directory known,
    /// or one that cannot be trusted: then with a warning).
    var cache: StoreCache? {
        guard !noCache, let dir = StoreCache.defaultDirectory() else { return nil }
        return StoreSession.trustedCache(dir)
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

    /// Analysis options from the flags.
    func analysisOptions() throws -> AnalysisOptions {
        guard let w = parseDuration(window), w > 0 else {
            throw CLIError.usage("--window \(window): use a number followed by m, h, d or w (e.g. 7d)")
        }
        var nowMs: Int64?
        if let now {
            do { nowMs = try ISO8601Time.milliseconds(now) } catch {
                throw CLIError.usage("--now \(now): \(error) (e.g. 2026-11-20T00:00:00Z)")
            }
        }
        guard minCohort >= 0 else {
            throw CLIError.usage("--min-cohort \(minCohort): use 0 (no suppression) or a positive number of persons (default 5)")
        }
        return AnalysisOptions(now: nowMs, window: w, analyticsCategory: analyticsCategory,
                               privacy: PrivacyPolicy(minCohort: minCohort, revealPII: reveal))
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
