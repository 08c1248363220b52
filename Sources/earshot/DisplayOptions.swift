import ArgumentParser
import Terminal

/// How the dashboard is drawn: theme, glyphs, colors (declared once, used by `dashboard`, `demo` and `snapshot`).
struct DisplayOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Theme name (in Themes/) or path to a theme file (default: EARSHOT_THEME, else "
                                            + "default; for demo: presentation).", valueName: "name|path"))
    var theme: String?

    @Flag(name: .long, help: "Use ASCII glyphs for bars, borders and sparklines.")
    var ascii = false

    @Flag(name: .long, help: "No colors: attributes only (as with NO_COLOR).")
    var noColor = false

    /// The theme: `--theme`, else `EARSHOT_THEME`, else `fallback` (or the default theme). A theme that cannot be
    /// loaded is a one-line error.
    func loadTheme(environment: [String: String], fallback: String? = nil) throws -> Theme {
        let name = theme ?? (environment["EARSHOT_THEME"] == nil ? fallback : nil)
        do { return try Theme.load(nameOrPath: name, environment: environment) } catch {
            throw CLIError.failed("\(error)")
        }
    }
}
