// Built-in copies of Themes/default.theme and Themes/mono.theme, so that a missing Themes
// directory never breaks startup. TerminalTests checks that they match the files.

extension Theme {
    /// The text of Themes/default.theme.
    static let builtinDefaultText = """
# earshot — default theme
# Calm colors on the terminal's own background. Format: docs/THEMES.md
name = default
glyphs = unicode

palette.accent  = #5fafff
palette.ok      = #87d787
palette.caution = #ffd75f
palette.alarm   = #ff5f5f
palette.quiet   = #8a8a8a
palette.line    = #585858
palette.second  = #af87ff
palette.panel   = #303030
palette.pick    = #005f87
palette.h0      = #3a3a3a
palette.h1      = #005f5f
palette.h2      = #008787
palette.h3      = #00af87
palette.h4      = #87ffaf

role.normal       = fg:default bg:default
role.header       = fg:white bold
role.title        = fg:accent bold
role.tab_active   = fg:black bg:accent bold
role.tab_inactive = fg:quiet
role.selected     = fg:bright_white bg:pick bold
role.good         = fg:ok
role.warn         = fg:caution
role.bad          = fg:alarm bold
role.muted        = fg:quiet
role.bar          = fg:accent
role.bar_alt      = fg:second
role.border       = fg:line
role.accent       = fg:accent
role.status       = fg:white bg:panel
role.input        = fg:bright_white bg:panel
role.help         = fg:white bg:panel
role.heat0        = fg:h0
role.heat1        = fg:h1
role.heat2        = fg:h2
role.heat3        = fg:h3
role.heat4        = fg:h4
"""

    /// The text of Themes/mono.theme.
    static let builtinMonoText = """
# earshot — mono theme
# No colors at all: attributes only, readable on any terminal. Format: docs/THEMES.md
name = mono
glyphs = unicode

role.normal       = fg:default bg:default
role.header       = bold
role.title        = bold underline
role.tab_active   = reverse bold
role.tab_inactive = fg:default
role.selected     = reverse
role.good         = fg:default
role.warn         = underline
role.bad          = bold
role.muted        = dim
role.bar          = fg:default
role.bar_alt      = dim
role.border       = dim
role.accent       = bold
role.status       = reverse
role.input        = underline
role.help         = fg:default
role.heat0        = dim
role.heat1        = fg:default
role.heat2        = fg:default
role.heat3        = bold
role.heat4        = bold
"""
}
