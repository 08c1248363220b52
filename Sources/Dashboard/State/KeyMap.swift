/// What a key does, independent of which key it is.
public enum Command: Sendable, Equatable {
    case quit, help, reload
    case nextTab, previousTab, showTab(Tab)
    case up, down, pageUp, pageDown, home, end
    case open, back
    case sortPicker, sortReverse, find, segmentFilter, cycleCategory, toggleFollow
    case apply, cancel, deleteBackward, clearInput
    case export
    case restartTour
    /// Show what the figures of the current view mean (from ``Definitions``).
    case definitions
    /// Move the focus to the next / previous list of a view with several lists (Data).
    case nextList, previousList
    /// Journeys and Loops views (FlowViews.swift): the other journey, a segment rule from the selected
    /// path, appending that rule to the snippet file.
    case nextItem, previousItem, segmentFromPath, saveSnippet
}

/// Where a binding applies.
public enum KeyContext: String, CaseIterable, Sendable {
    case global = "Everywhere"
    case table = "Tables"
    case segments = "Segments view"
    case data = "Data view"
    case detail = "Segment details"
    case picker = "Segment picker"
    case sortPicker = "Sort picker"
    case input = "Search line"
    case help = "Help"
    case definitions = "Definitions"
    case loading = "Loading"
    case journeys = "Journeys view"
    case loops = "Loops view"
}

/// One row of the key map: keys, the label shown for them, what they do.
public struct KeyBinding: Sendable {
    public var keys: [Key]
    /// How the keys are written in help and hints (`Up/k`).
    public var label: String
    public var command: Command
    /// The sentence in the help overlay.
    public var description: String
    public var context: KeyContext
    /// The short word in the status line, nil when the binding is not hinted there.
    public var hint: String?

    public init(_ keys: [Key], _ label: String, _ command: Command, _ description: String,
                _ context: KeyContext, hint: String? = nil) {
        self.keys = keys; self.label = label; self.command = command; self.description = description
        self.context = context; self.hint = hint
    }
}

/// The one table of keys: `update` dispatches through it, the help overlay and the status-line hints are generated from it.
public struct KeyMap: Sendable {
    public var bindings: [KeyBinding]

    public init(bindings: [KeyBinding]) { self.bindings = bindings }

    /// The command bound to `key` in the first of `contexts` (most specific first) that binds it.
    public func command(for key: Key, in contexts: [KeyContext]) -> Command? {
        for ctx in contexts {
            if let b = bindings.first(where: { $0.context == ctx && $0.keys.contains(key) }) { return b.command }
        }
        return nil
    }

    /// Bindings of one context, in table order.
    public func bindings(in ctx: KeyContext) -> [KeyBinding] { bindings.filter { $0.context == ctx } }

    /// Hinted bindings of the given contexts, most specific first, one per command.
    public func hints(for contexts: [KeyContext]) -> [KeyBinding] {
        var out: [KeyBinding] = []
        for ctx in contexts {
            for b in bindings where b.context == ctx && b.hint != nil
                && !out.contains(where: { $0.command == b.command }) { out.append(b) }
        }
        return out
    }

    /// The key table of the README (Markdown), generated from the bindings so that the README, the help overlay and
    /// dispatch cannot disagree: one row per binding, grouped by context in ``KeyContext`` order.
    /// `Tests/DashboardTests/KeyTableDocsTests` checks that README.md carries exactly this table.
    public func markdownTable() -> String {
        var lines = ["| key | where | what |", "|---|---|---|"]
        for ctx in KeyContext.allCases {
            for b in bindings(in: ctx) {
                lines.append("| `\(b.label)` | \(ctx.rawValue) | \(b.description) |")
            }
        }
        return lines.joined(separator: "\n")
    }

    public static let standard = KeyMap(bindings: [
        // Global
        KeyBinding([.char("?"), .function(1)], "?", .help, "Show or hide this help", .global, hint: "help"),
        KeyBinding([.char("i")], "i", .definitions, "What the figures of this view mean", .global, hint: "info"),
        KeyBinding([.char("1")], "1", .showTab(.overview), "Overview: persons, top segments, response, consent", .global),
        KeyBinding([.char("2")], "2", .showTab(.segments), "Segments: sizes, trends, reachability", .global),
        KeyBinding([.char("3")], "3", .showTab(.feedback), "Feedback: loops, NPS, when customers answer", .global),
        KeyBinding([.char("4")], "4", .showTab(.consent), "Consent: coverage and events without consent", .global),
        KeyBinding([.char("5")], "5", .showTab(.data), "Data: files, malformed lines, unknown events", .global),
        KeyBinding([.char("6")], "6", .showTab(.journeys), "Journeys: where persons go after a touch", .global),
        KeyBinding([.char("7")], "7", .showTab(.loops), "Loops: follow-ups within a promise, open loops by age", .global),
        KeyBinding([.tab], "Tab", .nextTab, "Next view", .global, hint: "views"),
        KeyBinding([.backTab], "S-Tab", .previousTab, "Previous view", .global),
        KeyBinding([.char("f")], "f", .segmentFilter, "Show only the members of a segment (all views)", .global, hint: "segment"),
        KeyBinding([.char("r")], "r", .reload, "Reload the store", .global, hint: "reload"),
        KeyBinding([.char("F")], "F", .toggleFollow, "Follow the store: show new events as they are written", .global),
        KeyBinding([.char("e")], "e", .export, "Export this view for a slide (text, HTML, SVG files)", .global),
        KeyBinding([.char("t")], "t", .restartTour, "Start the guided tour of the findings (again)", .global),
        KeyBinding([.char("q"), .ctrl("c")], "q", .quit, "Quit (Ctrl-C also quits)", .global, hint: "quit"),
        // Tables
        KeyBinding([.up, .char("k")], "Up/k", .up, "Move up", .table, hint: "move"),
        KeyBinding([.down, .char("j")], "Down/j", .down, "Move down", .table),
        KeyBinding([.pageUp, .ctrl("b")], "PgUp", .pageUp, "Page up", .table),
        KeyBinding([.pageDown, .ctrl("f")], "PgDn", .pageDown, "Page down", .table),
        KeyBinding([.home, .char("g")], "Home/g", .home, "First row", .table),
        KeyBinding([.end, .char("G")], "End/G", .end, "Last row", .table),
        KeyBinding([.char("s")], "s", .sortPicker, "Sort: choose the column from a list", .table, hint: "sort"),
        KeyBinding([.char("S")], "S", .sortReverse, "Reverse the sort direction", .table),
        KeyBinding([.char("/")], "/", .find, "Filter rows as you type (Enter keeps, Esc restores)", .table, hint: "find"),
        KeyBinding([.escape], "Esc", .back, "Clear the text filter", .table),
        // Segments view
        KeyBinding([.enter, .right, .char("l")], "Enter", .open, "Open the selected segment", .segments, hint: "open"),
        KeyBinding([.char("c")], "c", .cycleCategory, "Cycle the consent category of the Reachable column", .segments, hint: "category"),
        // Data view
        KeyBinding([.right, .char("l")], "Right/l", .nextList, "Focus the next list (files, malformed, unknown names)", .data, hint: "next list"),
        KeyBinding([.left, .char("h")], "Left/h", .previousList, "Focus the previous list", .data),
        // Segment details
        KeyBinding([.escape, .left, .char("h"), .backspace], "Esc", .back, "Back to the segment list", .detail, hint: "back"),
        KeyBinding([.up, .char("k")], "Up/k", .up, "Previous segment", .detail, hint: "prev/next"),
        KeyBinding([.down, .char("j")], "Down/j", .down, "Next segment", .detail),
        // Picker
        KeyBinding([.up, .char("k")], "Up/k", .up, "Move up", .picker, hint: "move"),
        KeyBinding([.down, .char("j")], "Down/j", .down, "Move down", .picker),
        KeyBinding([.pageUp], "PgUp", .pageUp, "Page up", .picker),
        KeyBinding([.pageDown], "PgDn", .pageDown, "Page down", .picker),
        KeyBinding([.home], "Home", .home, "First entry", .picker),
        KeyBinding([.end], "End", .end, "Last entry", .picker),
        KeyBinding([.enter], "Enter", .apply, "Filter every view to this segment", .picker, hint: "choose"),
        KeyBinding([.escape, .char("q"), .char("f")], "Esc", .cancel, "Close the picker", .picker, hint: "cancel"),
        // Sort picker
        KeyBinding([.up, .char("k")], "Up/k", .up, "Move up", .sortPicker, hint: "move"),
        KeyBinding([.down, .char("j")], "Down/j", .down, "Move down", .sortPicker),
        KeyBinding([.home], "Home", .home, "First entry", .sortPicker),
        KeyBinding([.end], "End", .end, "Last entry", .sortPicker),
        KeyBinding([.enter], "Enter", .apply, "Sort by this column", .sortPicker, hint: "sort"),
        KeyBinding([.char("S")], "S", .sortReverse, "Sort by this column, reversed", .sortPicker, hint: "reversed"),
        KeyBinding([.escape, .char("q"), .char("s")], "Esc", .cancel, "Close the picker", .sortPicker, hint: "cancel"),
        // Search line
        KeyBinding([.enter], "Enter", .apply, "Keep the filter and go back to the table", .input, hint: "keep"),
        KeyBinding([.escape], "Esc", .cancel, "Restore the filter the table had", .input, hint: "cancel"),
        KeyBinding([.backspace, .delete, .ctrl("h")], "Backspace", .deleteBackward, "Delete the last character", .input),
        KeyBinding([.ctrl("u")], "Ctrl-U", .clearInput, "Clear the line", .input, hint: "clear"),
        // Help
        KeyBinding([.up, .char("k")], "Up/k", .up, "Scroll up", .help, hint: "scroll"),
        KeyBinding([.down, .char("j")], "Down/j", .down, "Scroll down", .help),
        KeyBinding([.pageUp], "PgUp", .pageUp, "Page up", .help),
        KeyBinding([.pageDown, .char(" ")], "PgDn", .pageDown, "Page down", .help),
        KeyBinding([.escape, .char("?"), .char("q"), .function(1)], "Esc/?", .cancel, "Close the help", .help, hint: "close"),
        // Definitions
        KeyBinding([.up, .char("k")], "Up/k", .up, "Scroll up", .definitions, hint: "scroll"),
        KeyBinding([.down, .char("j")], "Down/j", .down, "Scroll down", .definitions),
        KeyBinding([.pageUp], "PgUp", .pageUp, "Page up", .definitions),
        KeyBinding([.pageDown, .char(" ")], "PgDn", .pageDown, "Page down", .definitions),
        KeyBinding([.escape, .char("i"), .char("q")], "Esc/i", .cancel, "Close the definitions", .definitions, hint: "close"),
        // Journeys view
        KeyBinding([.up, .char("k")], "Up/k", .up, "Previous node", .journeys, hint: "move"),
        KeyBinding([.down, .char("j")], "Down/j", .down, "Next node", .journeys),
        KeyBinding([.pageUp], "PgUp", .pageUp, "Page up", .journeys),
        KeyBinding([.pageDown], "PgDn", .pageDown, "Page down", .journeys),
        KeyBinding([.home, .char("g")], "Home/g", .home, "First node", .journeys),
        KeyBinding([.end, .char("G")], "End/G", .end, "Last node", .journeys),
        KeyBinding([.enter, .right, .char("l")], "Enter/Right", .open, "Expand the node (Enter again collapses it)", .journeys, hint: "expand"),
        KeyBinding([.escape, .left, .char("h")], "Esc/Left", .back, "Collapse the node, or go to its parent", .journeys, hint: "collapse"),
        KeyBinding([.char("s")], "s", .segmentFromPath, "Turn the selected path into a segment rule (shown in the status line)", .journeys, hint: "segment"),
        KeyBinding([.char("w")], "w", .saveSnippet, "Append that rule to earshot-snippets.segments (current directory)", .journeys, hint: "save"),
        KeyBinding([.char("]")], "]", .nextItem, "Next journey", .journeys, hint: "journey"),
        KeyBinding([.char("[")], "[", .previousItem, "Previous journey", .journeys),
        // Loops view
        KeyBinding([.up, .char("k")], "Up/k", .up, "Previous loop", .loops, hint: "move"),
        KeyBinding([.down, .char("j")], "Down/j", .down, "Next loop", .loops),
        KeyBinding([.home, .char("g")], "Home/g", .home, "First loop", .loops),
        KeyBinding([.end, .char("G")], "End/G", .end, "Last loop", .loops),
        KeyBinding([.pageUp, .ctrl("b")], "PgUp", .pageUp, "Page up", .loops),
        KeyBinding([.pageDown, .ctrl("f")], "PgDn", .pageDown, "Page down", .loops),
        KeyBinding([.char("s")], "s", .sortPicker, "Sort the loops: choose the column from a list", .loops),
        KeyBinding([.char("S")], "S", .sortReverse, "Reverse the sort direction", .loops),
        KeyBinding([.char("/")], "/", .find, "Filter the loops by name as you type", .loops),
        KeyBinding([.escape], "Esc", .back, "Clear the text filter", .loops),
        // Loading
        KeyBinding([.char("r")], "r", .reload, "Retry after a failed load", .loading, hint: "retry"),
        KeyBinding([.char("F")], "F", .toggleFollow, "Follow the store once it is loaded", .loading),
        KeyBinding([.char("q"), .ctrl("c")], "q", .quit, "Quit", .loading, hint: "quit"),
    ])
}
