/// A position in a rules file.
///
/// `line` and `column` are 1-based. A column counts *characters* (extended grapheme
/// clusters, what a person sees as one letter), so `é` or `👍🏽` is one column whatever its
/// encoding; a tab counts as one column too. `offset` is the 0-based character offset from
/// the start of the file (used to slice rule text).
public struct SourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var offset: Int

    public init(file: String, line: Int, column: Int, offset: Int) {
        self.file = file; self.line = line; self.column = column; self.offset = offset
    }

    /// `file:line:column`.
    public var description: String { "\(file):\(line):\(column)" }

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.file, a.offset) < (b.file, b.offset)
    }
}
