/// A rules file as characters, with line starts, for slicing and for error messages.
struct SourceText: Sendable {
    let file: String
    let chars: [Character]
    /// Offset of the first character of each line (line 1 at index 0).
    let lineStarts: [Int]

    init(_ source: String, file: String) {
        self.file = file
        chars = Array(source)
        var starts = [0]
        for (i, c) in chars.enumerated() where c.isNewline { starts.append(i + 1) }
        lineStarts = starts
    }

    /// The text of a 1-based line, without its line break.
    func line(_ n: Int) -> String {
        guard n >= 1, n <= lineStarts.count else { return "" }
        var end = n < lineStarts.count ? lineStarts[n] : chars.count
        let start = lineStarts[n - 1]
        if end > start, chars[end - 1].isNewline { end -= 1 }
        return String(chars[start..<end])
    }

    /// The text between two offsets.
    func slice(_ from: Int, _ to: Int) -> String { String(chars[max(0, from)..<min(to, chars.count)]) }

    func error(_ message: String, at location: SourceLocation) -> SegmentError {
        SegmentError(location: location, message: message, sourceLine: line(location.line))
    }
}
