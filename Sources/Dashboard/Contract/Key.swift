/// A key press, decoded by the terminal backend (or scripted by tests and the demo tour).
public enum Key: Equatable, Hashable, Sendable {
    case char(Character)
    /// Ctrl plus a letter, e.g. `.ctrl("c")`.
    case ctrl(Character)
    case up, down, left, right, pageUp, pageDown, home, end
    case enter, escape, tab, backTab, backspace, delete
    case function(Int)
}
