/// Keys written as words (`2 j Enter`), for the headless replay of `earshot snapshot --keys` and for tests: the
/// dashboard's keys played through ``update(_:_:)`` without a terminal (visidata's `--play`, lnav's `-c`).
///
/// Words are separated by spaces. A single character is that key (`j`, `/`, `2`); names are case-insensitive:
/// `Enter`, `Esc`, `Tab`, `S-Tab`, `Up`, `Down`, `Left`, `Right`, `PgUp`, `PgDn`, `Home`, `End`, `Backspace`, `Delete`,
/// `Space`, `C-x` (Ctrl plus a letter) and `F1`…`F12`.
public enum KeyScript {
    /// A word that is not a key, with its position.
    public struct ParseError: Error, CustomStringConvertible, Equatable {
        /// 1-based position of the word.
        public var word: Int
        public var text: String
        public var description: String {
            "word \(word) \"\(text)\" is not a key: write one character (j, /, 2) or a name (Enter, Esc, Tab, S-Tab, Up, Down, "
                + "Left, Right, PgUp, PgDn, Home, End, Backspace, Delete, Space, C-x, F1…F12), separated by spaces"
        }
    }

    static let names: [String: Key] = [
        "enter": .enter, "return": .enter, "esc": .escape, "escape": .escape, "tab": .tab, "s-tab": .backTab,
        "backtab": .backTab, "up": .up, "down": .down, "left": .left, "right": .right, "pgup": .pageUp, "pageup": .pageUp,
        "pgdn": .pageDown, "pagedown": .pageDown, "home": .home, "end": .end, "backspace": .backspace, "bs": .backspace,
        "delete": .delete, "del": .delete, "space": .char(" "),
    ]

    /// The keys of `script` (empty for an empty script).
    public static func parse(_ script: String) throws -> [Key] {
        try script.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).enumerated().map { i, word in
            if word.count == 1, let c = word.first, c.isASCII ? !(c.asciiValue! < 0x20 || c.asciiValue! == 0x7F) : true {
                return .char(c)
            }
            let lower = word.lowercased()
            if let k = names[lower] { return k }
            if (lower.hasPrefix("c-") || lower.hasPrefix("ctrl-")), let c = lower.last, c.isLetter, lower.count == (lower.hasPrefix("c-") ? 3 : 6) {
                return .ctrl(c)
            }
            if lower.hasPrefix("f"), let n = Int(lower.dropFirst()), (1...12).contains(n) { return .function(n) }
            throw ParseError(word: i + 1, text: String(word.prefix(40)))
        }
    }
}
