import ArgumentParser
import Analytics
import Dashboard
import EarshotApp
import EventStore
import Foundation
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

    @OptionGroup var display: DisplayOptions

    @Flag(name: .long, help: "Follow the store: read what is appended and new files, update every second (F toggles).")
    var follow = false

    @OptionGroup var exports: ExportOptions

    @OptionGroup var engine: EngineOptions

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let code: Int32 = try reportingErrors {
            // Everything that can be wrong with the input is reported first, before the screen changes.
            try engine.validate()
            if engine.engine == .spark && follow {
                throw CLIError.usage("--follow reads the store itself: it does not combine with --engine spark")
            }
            let request = try store.request(paths: engine.engine == .spark ? store.resolvedPaths() : store.validatedPaths())
            _ = try cliErrors { try StoreSession.rules(request.rulesPath) }
            var spark: SparkRequest?
            if engine.engine == .spark {
                spark = try engine.sparkRequest(store: store)
                // The listing's errors (a missing path, a gzip file without .gz) before the screen changes.
                _ = try cliErrors { try EngineInputs.list(request.paths) }
                if !spark!.settings.isAvailable {
                    throw CLIError.failed("no spark-submit found (\(spark!.settings.submitPath)): install pyspark (pip install pyspark) or name Spark with --spark-home / SPARK_HOME")
                }
            }
            let themeValue = try display.loadTheme(environment: environment)
            if let reason = TerminalCapabilities.precheck(term: environment["TERM"],
                                                          stdoutIsTerminal: isatty(1) == 1,
                                                          stdinIsTerminal: isatty(0) == 1) {
                throw CLIError.failed(reason.description)
            }
            let source: any DashboardSource
            if let spark {
                source = SparkDashboardSource(spark)
            } else {
                let store = StoreDashboardSource(request, onWarning: { Stderr.write("earshot: \($0)\n") })
                store.live.setFollowMode(follow)
                source = store
            }
            var options = TerminalOptions(theme: themeValue, ascii: display.ascii, noColor: display.noColor, environment: environment)
            options.follow = follow
            exports.apply(to: &options)
            return DashboardRuntime(source: source, options: options).run()
        }
        // Exit here: a load still running on its background thread must not keep the process alive.
        Foundation.exit(code)
    }
}
