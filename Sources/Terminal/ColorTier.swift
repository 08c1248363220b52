/// How many colors earshot uses, from richest to none.
public enum ColorTier: Int, Comparable, CaseIterable, Sendable, CustomStringConvertible {
    /// Attributes only (bold, reverse, underline, dim): `NO_COLOR`, `--no-color`, `TERM=vt100`.
    case none = 0
    /// The 8 basic ANSI colors.
    case ansi8 = 8
    /// The 16 ANSI colors.
    case ansi16 = 16
    /// The xterm-256 palette; hex colors go to the nearest cube or gray-ramp entry.
    case xterm256 = 256

    public static func < (a: ColorTier, b: ColorTier) -> Bool { a.rawValue < b.rawValue }

    public var description: String {
        switch self {
        case .none: return "none"
        case .ansi8: return "8"
        case .ansi16: return "16"
        case .xterm256: return "256"
        }
    }

    /// Parses a tier as written on the command line: `none`/`0`, `8`, `16`, `256`.
    public init?(name: String) {
        switch name.lowercased() {
        case "none", "0", "mono", "off": self = .none
        case "8": self = .ansi8
        case "16": self = .ansi16
        case "256", "truecolor", "24bit": self = .xterm256
        default: return nil
        }
    }

    /// The richest tier a terminal with `count` colors can show.
    public init(colorCount count: Int) {
        switch count {
        case 256...: self = .xterm256
        case 16...: self = .ansi16
        case 8...: self = .ansi8
        default: self = .none
        }
    }

    /// Chooses the tier. A pure function of its inputs:
    ///
    /// - `noColorFlag` (`--no-color`) or a non-empty `NO_COLOR` → `.none` (https://no-color.org).
    /// - The terminal's capability: `terminalColors` is the color count ncurses reports (COLORS after
    ///   start_color, 0 when the terminal has no colors). When it is unknown (`nil`), it is guessed from
    ///   `TERM` (`*-256color`/`*-direct` → 256, `*-16color` → 16, `vt*`, `*-mono`, `dumb` → none,
    ///   otherwise 8) and `COLORTERM` (`truecolor`/`24bit` → 256).
    /// - `override` (`--colors N`) can lower the tier, never raise it above what the terminal can show:
    ///   ncurses refuses colors beyond its count.
    public static func select(environment: [String: String], terminalColors: Int?,
                              override: ColorTier? = nil, noColorFlag: Bool = false) -> ColorTier {
        if noColorFlag { return .none }
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return .none }
        let capability: ColorTier
        if let count = terminalColors {
            capability = ColorTier(colorCount: count)
        } else {
            capability = guess(term: environment["TERM"], colorTerm: environment["COLORTERM"])
        }
        guard let override else { return capability }
        return min(override, capability)
    }

    /// The tier implied by `TERM` and `COLORTERM` alone.
    static func guess(term: String?, colorTerm: String?) -> ColorTier {
        let term = (term ?? "").lowercased()
        if term.isEmpty || term == "dumb" || term.hasSuffix("-mono") || term.hasSuffix("-m")
            || term.hasPrefix("vt") {
            return .none
        }
        let colorTerm = (colorTerm ?? "").lowercased()
        if colorTerm == "truecolor" || colorTerm == "24bit" { return .xterm256 }
        if term.contains("256color") || term.hasSuffix("-direct") || term.contains("truecolor") {
            return .xterm256
        }
        if term.contains("16color") { return .ansi16 }
        return .ansi8
    }
}
