/// The characters the dashboard draws with; the terminal picks `.unicode` or `.ascii`.
public struct Glyphs: Sendable, Equatable {
    /// Partial bar blocks from the smallest step to a full cell (the last one is full).
    public var barBlocks: [String]
    /// Sparkline levels, lowest first.
    public var sparkLevels: [String]
    /// Shades from light to full, for stacked bars.
    public var shades: [String]
    /// Five heatmap levels, lowest first (the roles `heat0`…`heat4` color them too).
    public var heat: [String]
    public var horizontal: String, vertical: String
    public var topLeft: String, topRight: String, bottomLeft: String, bottomRight: String
    /// Marks truncated text.
    public var ellipsis: String
    public var gaugeFill: String, gaugeEmpty: String
    public var sortAscending: String, sortDescending: String
    /// Separates items in one line.
    public var separator: String
    /// Replaces control, escape, bidi and zero-width characters of untrusted text.
    public var placeholder: String
    /// Shown for a missing value (rate with no denominator, unknown time).
    public var missing: String
    public var arrow: String
    public var cursor: String
    public var bullet: String
    /// Cycles while loading or filtering.
    public var spinner: [String]
    /// Marks a week the data covers only in part (the first week, the week still running) on week axes.
    public var partialWeek: String
    /// Marks a week whose prompts can still be answered within the response window (its rate is not final).
    public var pendingWeek: String

    public init(barBlocks: [String], sparkLevels: [String], shades: [String], heat: [String],
                horizontal: String, vertical: String, topLeft: String, topRight: String,
                bottomLeft: String, bottomRight: String, ellipsis: String, gaugeFill: String, gaugeEmpty: String,
                sortAscending: String, sortDescending: String, separator: String, placeholder: String,
                missing: String, arrow: String, cursor: String, bullet: String, spinner: [String],
                partialWeek: String = "o", pendingWeek: String = "n") {
        self.barBlocks = barBlocks; self.sparkLevels = sparkLevels; self.shades = shades; self.heat = heat
        self.horizontal = horizontal; self.vertical = vertical; self.topLeft = topLeft; self.topRight = topRight
        self.bottomLeft = bottomLeft; self.bottomRight = bottomRight; self.ellipsis = ellipsis
        self.gaugeFill = gaugeFill; self.gaugeEmpty = gaugeEmpty; self.sortAscending = sortAscending
        self.sortDescending = sortDescending; self.separator = separator; self.placeholder = placeholder
        self.missing = missing; self.arrow = arrow; self.cursor = cursor; self.bullet = bullet; self.spinner = spinner
        self.partialWeek = partialWeek; self.pendingWeek = pendingWeek
    }

    /// Block elements, box drawing and sparkline characters.
    public static let unicode = Glyphs(
        barBlocks: ["▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"],
        sparkLevels: ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"],
        shades: ["░", "▒", "▓", "█"],
        heat: ["·", "░", "▒", "▓", "█"],
        horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘",
        ellipsis: "…", gaugeFill: "█", gaugeEmpty: "░", sortAscending: "▲", sortDescending: "▼",
        separator: "·", placeholder: "\u{FFFD}", missing: "—", arrow: "→", cursor: "█", bullet: "●",
        spinner: ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"],
        partialWeek: "◌", pendingWeek: "◐")

    /// Plain ASCII for terminals and fonts without Unicode (every glyph is one byte).
    public static let ascii = Glyphs(
        barBlocks: ["#"],
        sparkLevels: [" ", ".", ":", "-", "=", "+", "*", "#"],
        shades: [".", ":", "*", "#"],
        heat: [".", ":", "+", "*", "#"],
        horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+",
        ellipsis: "~", gaugeFill: "#", gaugeEmpty: ".", sortAscending: "^", sortDescending: "v",
        separator: "|", placeholder: "?", missing: "-", arrow: "->", cursor: "_", bullet: "*",
        spinner: ["|", "/", "-", "\\"],
        partialWeek: "o", pendingWeek: "n")
}
