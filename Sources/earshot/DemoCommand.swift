import ArgumentParser
import Analytics
import Dashboard
import EarshotApp
import Foundation
import Terminal

/// `earshot demo`: the dashboard on ExampleData with a guided tour, in the presentation theme.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Open the dashboard on ExampleData and walk through its findings (any key takes over).",
        discussion: """
        Every few seconds the tour moves to the next view and names one finding in the bottom line: the store at a \
        glance, the biggest segment, the channel customers answer most and when, the consent category with the lowest \
        coverage, events collected without consent. It repeats until a key is pressed (t starts it again); --no-tour just \
        opens the dashboard. The header gives the data's date instead of its age, and `e` exports leave out key hints.
        The presentation theme is used unless --theme or EARSHOT_THEME says otherwise. Privacy guards are on.
        """
    )

    @OptionGroup var store: StoreOptions

    @Flag(name: .long, help: "Open the dashboard without the tour.")
    var noTour = false

    @Option(name: .long, help: ArgumentHelp("Seconds per tour step, 1 to 3600.", valueName: "seconds"))
    var step: StepSecondsArgument = StepSecondsArgument(6)

    @OptionGroup var display: DisplayOptions

    @OptionGroup var exports: ExportOptions

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let code: Int32 = try reportingErrors {
            if let reason = TerminalCapabilities.precheck(term: environment["TERM"], stdoutIsTerminal: isatty(1) == 1,
                                                          stdinIsTerminal: isatty(0) == 1) {
                throw CLIError.failed("\(reason.description); for a picture of a view use `earshot snapshot`")
            }
            let request = try store.request(paths: store.validatedPaths(), withCache: false)  // a demo always reads the store
            _ = try StoreSession.rules(request.rulesPath)
            let themeValue = try display.loadTheme(environment: environment, fallback: "presentation")
            let source = StoreDashboardSource(request, sourceDescription: StorePathDisplay.describe(request.paths, lastComponentOutside: true),
                                              onWarning: { Stderr.write("earshot: \($0)\n") })
            var options = TerminalOptions(theme: themeValue, ascii: display.ascii, noColor: display.noColor,
                                          environment: ProcessInfo.processInfo.environment)
            options.tour = !noTour
            options.tourStepMs = Int64(step.seconds * 1000)
            // A demo is presented, not monitored: the header tells the data's date, exports are for slides.
            options.clockPinnedToData = true
            exports.apply(to: &options, slideByDefault: true)
            return DashboardRuntime(source: source, options: options).run()
        }
        if code != 0 { throw ExitCode(code) }
    }
}
