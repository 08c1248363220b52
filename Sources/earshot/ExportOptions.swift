import ArgumentParser
import Foundation
import Terminal

/// Where and how `e` writes its exports from the dashboard (declared once, used by `dashboard` and `demo`).
struct ExportOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Directory for the `e` exports (created when missing).", valueName: "dir"))
    var exportDir: String = TerminalOptions.defaultExportDirectory

    @Flag(name: .long, help: "`e` exports leave out key hints and the load time (pictures for slides).")
    var slideExports = false

    /// Applies the flags to the terminal options (`slideByDefault`: `earshot demo`, where exports are for slides).
    func apply(to options: inout TerminalOptions, slideByDefault: Bool = false) {
        options.exportDirectory = exportDir
        options.slideExports = slideExports || slideByDefault
    }
}
