import Dashboard

/// A role's style fitted to a color tier: color numbers ncurses understands (-1 = the terminal's
/// default) and attributes.
public struct TerminalStyle: Equatable, Hashable, Sendable {
    public var foreground: Int
    public var background: Int
    public var attributes: TextAttributes

    public init(foreground: Int = -1, background: Int = -1, attributes: TextAttributes = []) {
        self.foreground = foreground; self.background = background; self.attributes = attributes
    }
}

/// Every role's `TerminalStyle` for one theme and tier. Pure; the ncurses backend turns it into pairs.
public struct ResolvedStyles: Equatable, Sendable {
    public let tier: ColorTier
    public let styles: [StyleRole: TerminalStyle]

    /// Fits `theme` to `tier`:
    /// - 256: ANSI names and indices as written, hex → nearest cube / gray-ramp index.
    /// - 16 / 8: everything → the nearest of the 16 (or 8) ANSI colors.
    /// - none: no colors; the theme's attributes plus the attributes that keep each role readable
    ///   without color (`ResolvedStyles.monochromeAttributes`: reverse for selected and tab_active, bold for
    ///   header and bad, underline for warn, …).
    public init(theme: Theme, tier: ColorTier) {
        self.tier = tier
        var styles: [StyleRole: TerminalStyle] = [:]
        for role in StyleRole.allCases {
            let style = theme.style(role)
            if tier == .none {
                styles[role] = TerminalStyle(attributes: Self.monochromeAttributes(role, themeAttributes: style.attributes))
            } else {
                styles[role] = TerminalStyle(foreground: Self.colorNumber(style.foreground, tier: tier),
                                             background: Self.colorNumber(style.background, tier: tier),
                                             attributes: style.attributes)
            }
        }
        self.styles = styles
    }

    public subscript(role: StyleRole) -> TerminalStyle { styles[role] ?? TerminalStyle() }

    /// The color number for `color` in `tier` (-1 for the terminal default or tier `.none`).
    public static func colorNumber(_ color: ThemeColor, tier: ColorTier) -> Int {
        switch (color, tier) {
        case (_, .none), (.terminalDefault, _):
            return -1
        case (.ansi(let i), .ansi8):
            return i % 8
        case (.ansi(let i), _):
            return i
        case (.indexed(let i), .xterm256):
            return i
        case (.indexed(let i), _):
            return ColorMatching.nearestANSI(ColorMatching.rgb(ofIndex: i), count: tier.rawValue)
        case (.rgb(let c), .xterm256):
            return ColorMatching.nearest256(c)
        case (.rgb(let c), _):
            return ColorMatching.nearestANSI(c, count: tier.rawValue)
        }
    }

    /// Attributes for a role without any color: the theme's own (minus `dim` where the role must
    /// stand out bold) plus what the role needs to stay distinguishable.
    public static func monochromeAttributes(_ role: StyleRole, themeAttributes: TextAttributes) -> TextAttributes {
        let needed: TextAttributes
        switch role {
        case .normal, .help, .good: needed = []
        case .header, .title, .bad: needed = [.bold]
        case .tabActive: needed = [.reverse, .bold]
        case .tabInactive: needed = []
        case .selected: needed = [.reverse]
        case .warn: needed = [.underline]
        case .muted, .border: needed = [.dim]
        // Bars and heat cells are drawn with block glyphs: reverse would hide them.
        case .bar: needed = []
        case .barAlt: needed = [.dim]
        case .status: needed = [.reverse]
        case .accent: needed = [.bold]
        case .input: needed = [.underline]
        case .heat0: needed = [.dim]
        case .heat1: needed = []
        case .heat2: needed = [.bold]
        case .heat3, .heat4: needed = [.bold]
        }
        var attributes = themeAttributes.union(needed)
        if needed.contains(.bold) { attributes.remove(.dim) }
        return attributes
    }
}
