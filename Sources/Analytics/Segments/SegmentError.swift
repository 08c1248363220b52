import EventStore

/// One problem in a rules file, with where it is.
///
/// Its description is what a compiler prints:
/// ```
/// rules.segments:3:5: unknown keyword 'dod' — did you mean 'did'?
///     dod "Order Completed"
///     ^
/// ```
/// The caret line repeats the tabs of the source line before the column (so it lines up)
/// and uses spaces elsewhere. Control and bidirectional-override characters of the message
/// and the source line are shown as `�` so that the rules file cannot drive the terminal.
public struct SegmentError: Error, CustomStringConvertible, Sendable, Equatable {
    public var location: SourceLocation
    /// What is wrong, written for the person who wrote the rule.
    public var message: String
    /// The whole source line the error is on (without its line break), sanitized.
    public var sourceLine: String

    public init(location: SourceLocation, message: String, sourceLine: String) {
        self.location = location
        self.message = sanitizedForTerminal(message)
        self.sourceLine = sanitizedForTerminal(sourceLine)
    }

    /// Source lines longer than this many characters are shown as an excerpt around the column.
    static let maxShownLine = 160
    /// Characters of a long line shown before the column (about as many follow).
    static let excerptBefore = 60

    /// `file:line:column: message`, the source line, and a caret under the column. A line longer
    /// than ``maxShownLine`` characters (a generated file) is cut to 120 characters around the
    /// column, with `…` where it was cut.
    public var description: String {
        let chars = Array(sourceLine)
        var start = 0, end = chars.count
        if chars.count > Self.maxShownLine {
            start = max(0, min(location.column - 1 - Self.excerptBefore, chars.count - 2 * Self.excerptBefore))
            end = min(chars.count, start + 2 * Self.excerptBefore)
        }
        var shown = String(chars[start ..< end])
        var pad = ""
        if start > 0 { shown = "…" + shown; pad = " " }
        if end < chars.count { shown += "…" }
        var k = start + 1
        for c in chars[start ..< end] where k < location.column {
            // A tab stays a tab; a wide character (CJK, emoji) takes two columns on a terminal.
            pad += c == "\t" ? "\t" : String(repeating: " ", count: DisplayWidth.of(c))
            k += 1
        }
        while k < location.column { pad.append(" "); k += 1 }
        return "\(location): \(message)\n\(shown)\n\(pad)^"
    }
}

/// Every problem found in a rules file, in source order (at least one).
public struct SegmentErrors: Error, CustomStringConvertible, Sendable, Equatable {
    public var errors: [SegmentError]

    public init(_ errors: [SegmentError]) { self.errors = errors }

    /// Each error's description, separated by a blank line.
    public var description: String { errors.map(\.description).joined(separator: "\n\n") }
}

/// Replaces every grapheme holding a character of ``UnsafeText``'s list (except tab) with U+FFFD,
/// one for one, so that caret columns are kept.
func sanitizedForTerminal(_ s: String) -> String {
    guard s.unicodeScalars.contains(where: isUnsafeScalar) else { return s }
    var out = ""
    for ch in s {
        out.append(ch.unicodeScalars.contains(where: isUnsafeScalar) ? "\u{FFFD}" : ch)
    }
    return out
}

private func isUnsafeScalar(_ u: Unicode.Scalar) -> Bool {
    u.value != 0x09 && UnsafeText.isUnsafe(u.value)
}
