/// A rule that cannot be parsed, with where and why.
///
/// Its description is one line with the position, then the offending line and a caret under the column:
///
/// ```
/// rules.txt:3:34: expected a number or a duration after `>=`, found `high`
///   consent.Personalization.coverage >= high
///                                       ^
/// ```
public struct RuleError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Where the rule came from: a file name, or `--rule 2` for the second rule given on the command line.
    public var origin: String
    /// 1-based line in a rules file; nil for a rule given as an argument.
    public var line: Int?
    /// 1-based column (characters) in the line or argument.
    public var column: Int
    public var message: String
    /// The line (or argument) as written, for the caret display.
    public var sourceLine: String

    public init(origin: String, line: Int?, column: Int, message: String, sourceLine: String) {
        self.origin = origin; self.line = line; self.column = column; self.message = message; self.sourceLine = sourceLine
    }

    /// `file:line:column` or `--rule 2, column 14`.
    public var position: String {
        if let line { return "\(origin):\(line):\(column)" }
        return "\(origin), column \(column)"
    }

    /// The position and message on one line (for a status line).
    public var summary: String { "\(position): \(message)" }

    /// The rule as written and a caret under the column, two lines.
    public var caretLines: [String] {
        ["  " + DisplayText.sanitize(sourceLine), "  " + String(repeating: " ", count: max(0, column - 1)) + "^"]
    }

    public var description: String { ([summary] + caretLines).joined(separator: "\n") }
}
