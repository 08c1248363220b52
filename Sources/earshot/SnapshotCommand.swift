import ArgumentParser
import Analytics
import Dashboard
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
        """
    )

    enum View: String, ExpressibleByArgument, CaseIterable {
        case overview, segments, feedback, consent, data, journeys, loops
        var tab: Tab {
            switch self {
            case .overview: .overview
            case .segments: .segments
            case .feedback: .feedback
            case .consent: .consent
            case .data: .data
            case .journeys: .journeys
            case .loops: .loops
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
    var size: String = "120x40"

    @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
    var output: String?

    @Option(name: .long, help: ArgumentHelp("Theme name (in Themes/) or path to a theme file.", valueName: "name|path"))
    var theme: String?

    @Flag(name: .long, help: "Use ASCII glyphs for bars, borders and sparklines.")
    var ascii = false

    /// Parses `120x40`.
    static func parseSize(_ text: String) -> (width: Int, height: Int)? {
        let parts = text.lowercased().split(separator: "x", omittingEmptySubsequences: false)
        guard parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]),
              (40...400).contains(w), (10...200).contains(h) else { return nil }
        return (w, h)
    }

    func run() throws {
        try reportingErrors {
            guard let dims = Self.parseSize(size) else {
                throw CLIError.usage("--size \(size): use COLSxROWS from 40x10 to 400x200 (e.g. 120x40)")
            }
            let environment = ProcessInfo.processInfo.environment
            let themeValue: Theme
            do { themeValue = try Theme.load(nameOrPath: theme, environment: environment) } catch {
                throw CLIError.failed("\(error)")
            }
            let loaded = try StoreSession.load(store)
            let data = DashboardData(report: loaded.report(), sourceDescription: loaded.paths.joined(separator: " "),
                                     loadSeconds: loaded.seconds)
            let glyphs = GlyphSelection.glyphs(preference: themeValue.glyphs, utf8Locale: true, asciiFlag: ascii)
            let buffer = Snapshot.screen(data: data, tab: view.tab, width: dims.width, height: dims.height, glyphs: glyphs,
                                         nowMs: Int64(Date().timeIntervalSince1970 * 1000))
            let text = ScreenExporter.export(buffer, format: format.exporter, palette: ExportPalette(theme: themeValue),
                                             title: "earshot — " + view.tab.title)
            if let output {
                guard FileManager.default.createFile(atPath: output, contents: Data(text.utf8)) else {
                    throw CLIError.failed("cannot write \(output)")
                }
                Stderr.write("earshot: wrote \(output)\n")
            } else {
                FileHandle.standardOutput.write(Data(text.utf8))
            }
        }
    }
}
