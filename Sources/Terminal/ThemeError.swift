import EventStore
/// Why a theme could not be used. `description` is the one-line message shown to people:
/// `file:line: message` for problems inside a theme file.
public enum ThemeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A problem on one line of a theme file (1-based line).
    case malformed(file: String, line: Int, problem: ThemeProblem)
    /// No theme of that name in the themes directory, and none built in.
    case notFound(name: String, searched: [String], available: [String])
    /// The theme file exists but cannot be read.
    case unreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case let .malformed(file, line, problem):
            return "\(quoted(file, limit: 4096)):\(line): \(problem)"
        case let .notFound(name, searched, available):
            var message = "no theme named '\(quoted(name))'"
            if !searched.isEmpty { message += " in \(searched.map { quoted($0, limit: 4096) }.joined(separator: ", "))" }
            if !available.isEmpty { message += "; available: \(available.joined(separator: ", "))" }
            return message
        case let .unreadable(path, reason):
            return "cannot read theme file \(quoted(path, limit: 4096)): \(reason)"
        }
    }
}

/// What is wrong with one line of a theme file.
public enum ThemeProblem: Equatable, Sendable, CustomStringConvertible {
    case expectedAssignment(found: String)
    case unknownSetting(String)
    case emptyValue(key: String)
    case unknownRole(String, suggestion: String?)
    case unknownColor(String, suggestion: String?)
    case badHex(String)
    case colorIndexOutOfRange(Int)
    case unknownAttribute(String, suggestion: String?)
    case unknownStylePart(String)
    case repeatedStylePart(String)
    case badGlyphs(String)
    case badPaletteName(String)
    case duplicateRole(String, firstLine: Int)
    case duplicatePalette(String, firstLine: Int)
    case duplicateSetting(String, firstLine: Int)

    public var description: String {
        switch self {
        case .expectedAssignment(let found):
            return "expected 'key = value', found '\(quoted(found))'"
        case .unknownSetting(let key):
            return "unknown setting '\(quoted(key))'; settings are name, glyphs, palette.NAME and role.ROLE"
        case .emptyValue(let key):
            return "'\(quoted(key))' has no value"
        case let .unknownRole(name, suggestion):
            if let suggestion { return "unknown role '\(quoted(name))'; did you mean '\(quoted(suggestion))'?" }
            return "unknown role '\(quoted(name))'; roles are "
                + StyleRoleNames.all.joined(separator: ", ")
        case let .unknownColor(name, suggestion):
            if let suggestion { return "unknown color '\(quoted(name))'; did you mean '\(quoted(suggestion))'?" }
            return "unknown color '\(quoted(name))'; use a palette name, an ANSI name (red, bright_blue…), "
                + "0-255, #RRGGBB or default"
        case .badHex(let text):
            return "bad hex color '\(quoted(text))'; expected # and six hex digits, like #5fafff"
        case .colorIndexOutOfRange(let n):
            return "color index \(n) is out of range 0-255"
        case let .unknownAttribute(name, suggestion):
            if let suggestion { return "unknown attribute '\(quoted(name))'; did you mean '\(quoted(suggestion))'?" }
            return "unknown attribute '\(quoted(name))'; attributes are bold, reverse, underline and dim"
        case .unknownStylePart(let part):
            return "unknown style part '\(quoted(part))'; expected fg:COLOR, bg:COLOR, bold, reverse, underline or dim"
        case .repeatedStylePart(let part):
            return "'\(quoted(part))' is given twice"
        case .badGlyphs(let value):
            return "glyphs must be unicode, ascii or heavy, not '\(quoted(value))'"
        case .badPaletteName(let name):
            return "bad palette name '\(quoted(name))'; use letters, digits, '_' or '-', not a color name"
        case let .duplicateRole(name, firstLine):
            return "role '\(quoted(name))' is already set on line \(firstLine)"
        case let .duplicatePalette(name, firstLine):
            return "palette color '\(quoted(name))' is already set on line \(firstLine)"
        case let .duplicateSetting(key, firstLine):
            return "'\(quoted(key))' is already set on line \(firstLine)"
        }
    }
}

import Dashboard

/// Text from a theme file or the command line made safe to print: control characters
/// (escape sequences, bidi overrides) become `\u{…}` escapes, and long text is cut.
func quoted(_ text: String, limit: Int = 60) -> String {
    var out = ""
    for scalar in text.unicodeScalars.prefix(limit) {
        if UnsafeText.isUnsafe(scalar) {
            out += "\\u{" + String(scalar.value, radix: 16) + "}"
        } else {
            out.unicodeScalars.append(scalar)
        }
    }
    if text.unicodeScalars.count > limit { out += "…" }
    return out
}

enum StyleRoleNames {
    static let all: [String] = StyleRole.allCases.map(\.themeName)
}

/// The closest candidate within edit distance 2 (case-insensitive), for "did you mean" hints.
func closestMatch(to word: String, in candidates: [String]) -> String? {
    let target = Array(word.lowercased())
    var best: (String, Int)?
    for candidate in candidates {
        let d = editDistance(target, Array(candidate))
        if d <= 2, d < (best?.1 ?? Int.max) { best = (candidate, d) }
    }
    return best?.0
}

/// Levenshtein distance between two character arrays.
func editDistance(_ a: [Character], _ b: [Character]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = Array(repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}
