/// A problem in a configuration file, with its position: `file:line:col: message`.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file as named to earshot.
    public var file: String
    /// 1-based line and column (column in Unicode scalars, as the YAML parser counts).
    public var line: Int
    public var column: Int
    public var message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file; self.line = line; self.column = column; self.message = message
    }

    /// One line: `file:line:col: message` (control characters of the message shown as `?`).
    public var description: String {
        let clean = String(String.UnicodeScalarView(message.unicodeScalars.map {
            $0.value < 0x20 || $0.value == 0x7F || (0x80 ..< 0xA0).contains($0.value) ? "?" : $0
        }))
        return "\(file):\(line):\(column): \(clean)"
    }
}

/// The known name closest to `word` when it is a likely typo (edit distance at most 2, and less than
/// half the word), else nil. Compared case-insensitively, `-` and `_` alike.
func didYouMean(_ word: String, among names: [String]) -> String? {
    func norm(_ s: String) -> [Character] { Array(s.lowercased().map { $0 == "-" ? "_" : $0 }) }
    let w = norm(word)
    var best: (name: String, distance: Int)?
    for name in names {
        let d = editDistance(w, norm(name))
        if d <= 2, d * 2 < max(w.count, 2), best == nil || d < best!.distance { best = (name, d) }
    }
    return best?.name
}

/// Levenshtein distance (bounded inputs: configuration keys).
func editDistance(_ a: [Character], _ b: [Character]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}
