import Dashboard

/// Text attributes a role may carry; every terminal that earshot supports can show them.
public struct TextAttributes: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let bold = TextAttributes(rawValue: 1)
    public static let reverse = TextAttributes(rawValue: 2)
    public static let underline = TextAttributes(rawValue: 4)
    public static let dim = TextAttributes(rawValue: 8)

    /// Attribute names as written in theme files, in canonical order.
    public static let names: [(String, TextAttributes)] = [
        ("bold", .bold), ("reverse", .reverse), ("underline", .underline), ("dim", .dim),
    ]
}

/// How one role looks: colors (palette names already resolved) and attributes.
public struct RoleStyle: Equatable, Hashable, Sendable {
    public var foreground: ThemeColor
    public var background: ThemeColor
    public var attributes: TextAttributes

    public init(foreground: ThemeColor = .terminalDefault, background: ThemeColor = .terminalDefault,
                attributes: TextAttributes = []) {
        self.foreground = foreground; self.background = background; self.attributes = attributes
    }
}

/// Which glyph set a theme asks for.
public enum GlyphPreference: String, Sendable, CaseIterable {
    /// Block elements, sparkline levels and box-drawing lines (falls back to ASCII without UTF-8).
    case unicode
    /// ASCII only: `#` bars, `-`/`|` borders.
    case ascii
    /// Unicode blocks but no thin box-drawing lines (projectors wash out hairlines).
    case heavy
}

/// A parsed theme: a palette of named colors, a style for every `StyleRole`, and a glyph set.
///
/// The file format is documented in docs/THEMES.md. Roles a file does not set keep the built-in
/// default theme's style; `explicitRoles` tells which ones the file set itself.
public struct Theme: Equatable, Sendable {
    /// The theme's name (`name = …`, else the file name without `.theme`).
    public var name: String
    /// Where it came from (a path, or `built-in:default`), for messages.
    public var source: String
    /// Named colors, palette name → color.
    public var palette: [String: ThemeColor]
    /// The style of each role; always complete.
    public var roles: [StyleRole: RoleStyle]
    /// Roles the theme file itself set.
    public var explicitRoles: Set<StyleRole>
    public var glyphs: GlyphPreference

    public init(name: String, source: String, palette: [String: ThemeColor], roles: [StyleRole: RoleStyle],
                explicitRoles: Set<StyleRole>, glyphs: GlyphPreference) {
        self.name = name; self.source = source; self.palette = palette; self.roles = roles
        self.explicitRoles = explicitRoles; self.glyphs = glyphs
    }

    /// The style of a role (the `normal` style if a role is somehow missing).
    public func style(_ role: StyleRole) -> RoleStyle {
        roles[role] ?? roles[.normal] ?? RoleStyle()
    }

    /// Roles by their theme-file name (`tab_active` → `.tabActive`).
    public static let rolesByName: [String: StyleRole] = {
        var out: [String: StyleRole] = [:]
        for role in StyleRole.allCases { out[role.themeName] = role }
        return out
    }()
}
