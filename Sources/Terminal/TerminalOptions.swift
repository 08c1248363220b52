import Dashboard
import Foundation

/// How the terminal dashboard starts; filled by the CLI from flags and the environment.
public struct TerminalOptions: Sendable {
    /// The theme (see `Theme.load(nameOrPath:environment:)`).
    public var theme: Theme
    /// Use at most this many colors (`--colors`); the terminal's own limit still applies.
    public var colorTier: ColorTier?
    /// ASCII glyphs even with a UTF-8 locale (`--ascii`).
    public var ascii: Bool
    /// No colors, attributes only (`--no-color`; `NO_COLOR` in the environment does the same).
    public var noColor: Bool
    /// The view shown first.
    public var initialTab: Tab
    /// The process environment (TERM, NO_COLOR, COLORTERM, …).
    public var environment: [String: String]
    /// How long ncurses waits after Esc for the rest of a sequence, in milliseconds.
    public var escapeDelayMs: Int
    /// Follow the store from the start (`earshot --follow`).
    public var follow = false
    /// Run the guided demo tour once the store is loaded (`earshot demo`), each step this long.
    public var tour: Bool = false
    public var tourStepMs: Int64 = 6000
    /// Where `e` writes its exports (created when missing): `--export-dir`, by default `./earshot-exports`.
    public var exportDirectory: String = TerminalOptions.defaultExportDirectory
    /// `e` exports leave out key hints, the load time and messages (`--slide-exports`; on in `earshot demo`).
    public var slideExports = false
    /// The header tells the data's date instead of the newest event's age (`earshot demo`).
    public var clockPinnedToData = false

    /// `./earshot-exports`.
    public static let defaultExportDirectory = "earshot-exports"

    public init(theme: Theme = .builtinDefault, colorTier: ColorTier? = nil, ascii: Bool = false,
                noColor: Bool = false, initialTab: Tab = .overview,
                environment: [String: String] = ProcessInfo.processInfo.environment, escapeDelayMs: Int = 25) {
        self.theme = theme; self.colorTier = colorTier; self.ascii = ascii; self.noColor = noColor
        self.initialTab = initialTab; self.environment = environment; self.escapeDelayMs = escapeDelayMs
    }
}

/// Chooses the dashboard's glyphs. Pure.
public enum GlyphSelection {
    /// ASCII when asked (`--ascii`, a theme with `glyphs = ascii`) or when the locale is not UTF-8
    /// (earshot then still starts, with plain characters); heavy lines for `glyphs = heavy`.
    public static func glyphs(preference: GlyphPreference, utf8Locale: Bool, asciiFlag: Bool) -> Glyphs {
        if asciiFlag || !utf8Locale || preference == .ascii { return .ascii }
        return preference == .heavy ? heavy : .unicode
    }

    /// The Unicode set with heavy box-drawing lines (for projectors: thin lines wash out).
    public static let heavy: Glyphs = {
        var g = Glyphs.unicode
        g.horizontal = "━"; g.vertical = "┃"
        g.topLeft = "┏"; g.topRight = "┓"; g.bottomLeft = "┗"; g.bottomRight = "┛"
        g.barBlocks = ["▌", "▌", "▌", "▌", "█", "█", "█", "█"]
        return g
    }()
}
