import ArgumentParser
import Analytics
import EarshotApp
import Dashboard
import EventStore
import Foundation
import Terminal

/// `earshot snapshot`: one dashboard view as a text, HTML or SVG file, for slides and reports.
struct SnapshotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Write one dashboard view as plain text, a self-contained HTML page or an SVG image.",
        discussion: """
        The file shows exactly what the dashboard shows at that size, in the theme's colors, with the privacy \
        guards on (--min-cohort, --reveal). Without -o the export goes to standard output.
        Example: earshot snapshot --view consent --format svg --theme presentation -o consent.svg
        With --keys the keys are played through the dashboard first, without a terminal (a headless replay): \
        earshot snapshot --keys "2 j Enter" --with-hints ExampleData
        """
    )

    enum View: String, ExpressibleByArgument, CaseIterable {
        case overview, segments, feedback, consent, data, journeys, loops, answers
        var tab: Tab {
            switch self {
            case .overview: .overview
            case .segments: .segments
            case .feedback: .feedback
            case .consent: .consent
            case .data: .data
            case .journeys: .journeys
            case .loops: .loops
            case .answers: .answers
            }
        }
    }

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case txt, html, svg
        var exporter: ScreenExporter.Format { ScreenExporter.Format(rawValue: rawValue)! }
    }

    @OptionGroup var store: StoreOptions

    @Option(name: .long, help: "The view: overview, segments, feedback, consent or data.")
    var view: View = .overview

    @Option(name: .long, help: "Output format: txt, html or svg.")
    var format: Format = .txt

    @Option(name: .long, help: ArgumentHelp("Screen size in cells, COLSxROWS (40x10 to 400x200).", valueName: "size"))
    var size: ScreenSizeArgument = ScreenSizeArgument(width: 120, height: 40)

    @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
    var output: String?

    @OptionGroup var display: DisplayOptions

    @Flag(name: .long, help: "Keep the key hints and the load time in the bottom line (left out by default: snapshots are for slides).")
    var withHints = false

    @Option(name: .long, help: ArgumentHelp("Keys to play through the dashboard before the snapshot, e.g. \"2 j Enter\" (one character or a name: Enter, Esc, Tab, S-Tab, Up, Down, PgUp, PgDn, Home, End, Backspace, Space, C-x, F1…F12).", valueName: "keys"))
    var keys: String?

    @Flag(name: .long, help: "Replace the -o file if it exists (never allowed inside the store).")
    var force = false

    @OptionGroup var engine: EngineOptions

    func run() throws {
        try reportingErrors {
            let dims = size
            let script: [Key]
            do { script = try KeyScript.parse(keys ?? "") } catch { throw CLIError.usage("--keys: \(error)") }
            if let output { try OutputFile.check(output, storePaths: try store.resolvedPaths(), force: force) }
            let environment = ProcessInfo.processInfo.environment
            // --no-color: a picture in the mono theme (attributes only), as the dashboard draws without colors.
            let themeValue: Theme
            do {
                themeValue = display.noColor ? try Theme.load(nameOrPath: "mono", environment: environment)
                    : try display.loadTheme(environment: environment)
            } catch let e as CLIError { throw e } catch {
                throw CLIError.failed("\(error)")
            }
            try engine.validate()
            let data: DashboardData
            if engine.engine == .spark {
                // The figures from Spark, the header naming it ("computed by Spark … at …").
                let source = SparkDashboardSource(try engine.sparkRequest(store: store))
                let bar = ProgressBar()
                do {
                    data = try source.load(progress: { p in if let e = p.engine { bar.showEngine(e) } })
                } catch {
                    bar.finish()
                    throw CLIError.failed("\(error)")
                }
                bar.finish()
            } else {
                // One request: the rules file is looked up once and the same one names the rules in the picture.
                let request = try store.request()
                let loaded = try store.load(request)
                let rules = StoreSession.rulesOrigin(storePaths: loaded.paths, rulesPath: request.rulesPath)
                data = DashboardData(report: loaded.report(), sourceDescription: StorePathDisplay.describe(loaded.paths),
                                     loadSeconds: loaded.seconds, rules: rules)
            }
            let glyphs = GlyphSelection.glyphs(preference: themeValue.glyphs, utf8Locale: true, asciiFlag: display.ascii)
            let replay = Snapshot.replay(data: data, tab: view.tab, keys: script, width: dims.width, height: dims.height,
                                         glyphs: glyphs, nowMs: store.now?.milliseconds ?? Int64(Date().timeIntervalSince1970 * 1000),
                                         chrome: withHints ? .interactive : .slide)
            for effect in replay.skipped { Stderr.write("earshot: snapshot: not performed in a replay: \(effect.replayNote)\n") }
            let buffer = replay.screen
            let text = ScreenExporter.export(buffer, format: format.exporter, palette: ExportPalette(theme: themeValue),
                                             title: "earshot — " + view.tab.title)
            if let output {
                try OutputFile.write(Data(text.utf8), to: output, force: force)
                Stderr.write("earshot: wrote \(output)\n")
            } else {
                FileHandle.standardOutput.write(Data(text.utf8))
            }
        }
    }
}

/// Where earshot writes a file the user named (`snapshot -o`): never into the store it reads, never
/// over an existing file unless asked (`--force`).
enum OutputFile {
    /// Refuses `path` when it is inside one of `storePaths` (a directory store: anything below it; a file
    /// store: that file), symlinks resolved, or when it exists and `force` is off.
    static func check(_ path: String, storePaths: [String], force: Bool) throws {
        let target = canonical(path)
        for store in storePaths {
            let root = canonical(store)
            var isDir: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: root, isDirectory: &isDir)
            let inside = target == root || (exists && isDir.boolValue && target.hasPrefix(root.hasSuffix("/") ? root : root + "/"))
            if inside {
                throw CLIError.failed("refusing to write \(path): it is inside the store \(store) (earshot never writes into a store); choose a path outside it")
            }
        }
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir) {
            if isDir.boolValue { throw CLIError.failed("cannot write \(path): it is a directory") }
            if !force { throw CLIError.failed("\(path) exists; use --force to replace it") }
        }
    }

    /// Writes `data` to `path`: created anew (`O_EXCL`, so a file appearing meanwhile is not replaced)
    /// unless `force`, and never through a symbolic link at `path`.
    static func write(_ data: Data, to path: String, force: Bool) throws {
        let flags = O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | (force ? O_TRUNC : O_EXCL)
        let fd = open(path, flags, 0o644)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            if errno == EEXIST { throw CLIError.failed("\(path) exists; use --force to replace it") }
            throw CLIError.failed("cannot write \(path): \(reason)")
        }
        defer { close(fd) }
        var failed: Int32 = 0
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < raw.count {
                let n = Foundation.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 { if errno == EINTR { continue }; failed = errno; return }
                offset += n
            }
        }
        if failed != 0 { throw CLIError.failed("cannot write \(path): \(String(cString: strerror(failed)))") }
    }

    /// The absolute path with `.`/`..` and the symbolic links of its existing part resolved.
    static func canonical(_ path: String) -> String {
        var existing = URL(fileURLWithPath: path).standardizedFileURL
        var rest: [String] = []
        while existing.path != "/" && !FileManager.default.fileExists(atPath: existing.path) {
            rest.insert(existing.lastPathComponent, at: 0)
            existing.deleteLastPathComponent()
        }
        var resolved = existing.resolvingSymlinksInPath()
        for part in rest { resolved.appendPathComponent(part) }
        return resolved.standardizedFileURL.path
    }
}

extension Effect {
    /// What `snapshot --keys` says for an effect its headless replay does not perform.
    var replayNote: String {
        switch self {
        case .quit: "quit"
        case .reload: "reload the store (r)"
        case .computeFilter(let segment): segment.map { "the segment filter \"\(UnsafeText.escaped($0))\" (f)" } ?? "clearing the segment filter (f)"
        case .follow(let on): on ? "following the store (F)" : "stopping the follow (F)"
        case .export: "the export (e); use --format and -o instead"
        case .appendSnippet: "saving the journey snippet (w)"
        }
    }
}
