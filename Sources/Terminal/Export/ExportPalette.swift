import Dashboard

/// The colors of a theme for files (HTML, SVG): every role as 24-bit colors and attributes.
///
/// Palette indices become xterm's RGB values; the terminal's own colors (`default`) become a fixed
/// dark pair (or a light pair for themes meant for light terminals, such as `light`), because a file
/// has no terminal to inherit them from.
public struct ExportPalette: Sendable, Equatable {
    /// One role's look in a file.
    public struct Style: Sendable, Equatable {
        public var foreground: RGB
        public var background: RGB
        public var bold: Bool
        public var underline: Bool
        public var dim: Bool
    }

    public var styles: [StyleRole: Style]
    /// The page background around the screen (the `normal` role's background).
    public var page: RGB

    /// The dark terminal the default colors stand for.
    public static let darkDefaults = (foreground: RGB(0xd0, 0xd0, 0xd0), background: RGB(0x1c, 0x1c, 0x1c))
    /// The light terminal the default colors stand for.
    public static let lightDefaults = (foreground: RGB(0x1c, 0x1c, 0x1c), background: RGB(0xff, 0xff, 0xff))

    /// - Parameter lightTerminal: what `default` stands for; nil picks light for themes named `light…`.
    public init(theme: Theme, lightTerminal: Bool? = nil) {
        let light = lightTerminal ?? theme.name.lowercased().hasPrefix("light")
        let defaults = light ? Self.lightDefaults : Self.darkDefaults
        func rgb(_ c: ThemeColor, _ fallback: RGB) -> RGB {
            switch c {
            case .terminalDefault: return fallback
            case .ansi(let i), .indexed(let i): return ColorMatching.rgb(ofIndex: i)
            case .rgb(let v): return v
            }
        }
        let normal = theme.style(.normal)
        let baseFG = rgb(normal.foreground, defaults.foreground)
        let baseBG = rgb(normal.background, defaults.background)
        var out: [StyleRole: Style] = [:]
        for role in StyleRole.allCases {
            let s = theme.style(role)
            var fg = rgb(s.foreground, baseFG), bg = rgb(s.background, baseBG)
            if s.attributes.contains(.reverse) { swap(&fg, &bg) }
            out[role] = Style(foreground: fg, background: bg, bold: s.attributes.contains(.bold),
                              underline: s.attributes.contains(.underline), dim: s.attributes.contains(.dim))
        }
        styles = out
        page = baseBG
    }

    public func style(_ role: StyleRole) -> Style {
        styles[role] ?? Style(foreground: Self.darkDefaults.foreground, background: Self.darkDefaults.background,
                              bold: false, underline: false, dim: false)
    }
}
