import Dashboard

extension Theme {
    /// Parses theme text (format: docs/THEMES.md).
    ///
    /// - Parameters:
    ///   - text: the file's contents.
    ///   - file: the path used in error messages and `source`.
    ///   - defaultName: the name when the file has no `name = …` line.
    ///   - base: roles the file does not set keep this theme's styles (the built-in default);
    ///     `nil` leaves them plain.
    public static func parse(_ text: String, file: String, defaultName: String,
                             base: Theme? = nil) throws(ThemeError) -> Theme {
        var parser = ThemeParser(file: file)
        return try parser.parse(text, defaultName: defaultName, base: base)
    }
}

/// One `key = value` line.
private struct Assignment {
    var line: Int
    var key: String
    var value: String
}

private struct ThemeParser {
    let file: String

    init(file: String) { self.file = file }

    func fail(_ line: Int, _ problem: ThemeProblem) -> ThemeError {
        .malformed(file: file, line: line, problem: problem)
    }

    mutating func parse(_ text: String, defaultName: String, base: Theme?) throws(ThemeError) -> Theme {
        let assignments = try splitLines(text)

        var name: String?
        var glyphs = GlyphPreference.unicode
        var settingLines: [String: Int] = [:]
        var palette: [String: ThemeColor] = [:]
        var paletteLines: [String: Int] = [:]
        var roleLines: [StyleRole: Int] = [:]
        var roleValues: [(StyleRole, Assignment)] = []

        // Pass 1: settings and palette, so roles may use palette colors defined further down.
        for a in assignments {
            let key = a.key.lowercased()
            if key.hasPrefix("palette.") {
                let colorName = String(key.dropFirst("palette.".count))
                guard Self.isValidPaletteName(colorName) else { throw fail(a.line, .badPaletteName(colorName)) }
                if let first = paletteLines[colorName] {
                    throw fail(a.line, .duplicatePalette(colorName, firstLine: first))
                }
                palette[colorName] = try literalColor(a.value, line: a.line, paletteNames: [])
                paletteLines[colorName] = a.line
            } else if key.hasPrefix("role.") {
                let roleName = String(a.key.dropFirst("role.".count))
                guard let role = Theme.rolesByName[roleName.lowercased()] else {
                    throw fail(a.line, .unknownRole(roleName, suggestion: closestMatch(to: roleName,
                                                                                         in: StyleRoleNames.all)))
                }
                if let first = roleLines[role] { throw fail(a.line, .duplicateRole(roleName, firstLine: first)) }
                roleLines[role] = a.line
                roleValues.append((role, a))
            } else if key == "name" || key == "glyphs" {
                if let first = settingLines[key] { throw fail(a.line, .duplicateSetting(key, firstLine: first)) }
                settingLines[key] = a.line
                if key == "name" {
                    name = a.value
                } else {
                    guard let g = GlyphPreference(rawValue: a.value.lowercased()) else {
                        throw fail(a.line, .badGlyphs(a.value))
                    }
                    glyphs = g
                }
            } else {
                throw fail(a.line, .unknownSetting(a.key))
            }
        }

        // Pass 2: roles.
        var roles: [StyleRole: RoleStyle] = [:]
        for role in StyleRole.allCases { roles[role] = base?.style(role) ?? RoleStyle() }
        for (role, a) in roleValues {
            roles[role] = try roleStyle(a.value, line: a.line, palette: palette)
        }
        return Theme(name: name ?? defaultName, source: file, palette: palette, roles: roles,
                     explicitRoles: Set(roleLines.keys), glyphs: glyphs)
    }

    /// Splits text into assignments, dropping blank lines and comments.
    func splitLines(_ text: String) throws(ThemeError) -> [Assignment] {
        var out: [Assignment] = []
        var number = 0
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            number += 1
            let line = Self.stripComment(String(rawLine)).trimmingSpaces()
            if line.isEmpty { continue }
            guard let eq = line.firstIndex(of: "=") else {
                throw fail(number, .expectedAssignment(found: Self.shorten(line)))
            }
            let key = String(line[..<eq]).trimmingSpaces()
            let value = String(line[line.index(after: eq)...]).trimmingSpaces()
            if key.isEmpty || key.contains(where: { $0 == " " || $0 == "\t" }) {
                throw fail(number, .expectedAssignment(found: Self.shorten(line)))
            }
            if value.isEmpty { throw fail(number, .emptyValue(key: key)) }
            out.append(Assignment(line: number, key: key, value: value))
        }
        return out
    }

    /// `fg:COLOR bg:COLOR bold reverse underline dim`, in any order.
    func roleStyle(_ value: String, line: Int, palette: [String: ThemeColor]) throws(ThemeError) -> RoleStyle {
        var style = RoleStyle()
        var seen: Set<String> = []
        for part in value.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init) {
            let lower = part.lowercased()
            if lower.hasPrefix("fg:") || lower.hasPrefix("bg:") {
                let which = String(lower.prefix(2))
                if seen.contains(which) { throw fail(line, .repeatedStylePart(which)) }
                seen.insert(which)
                let colorText = String(part.dropFirst(3))
                if colorText.isEmpty { throw fail(line, .unknownStylePart(part)) }
                let color = try resolveColor(colorText, line: line, palette: palette)
                if which == "fg" { style.foreground = color } else { style.background = color }
            } else if let attribute = TextAttributes.names.first(where: { $0.0 == lower }) {
                if seen.contains(lower) { throw fail(line, .repeatedStylePart(lower)) }
                seen.insert(lower)
                style.attributes.insert(attribute.1)
            } else if lower.contains(":") {
                throw fail(line, .unknownStylePart(part))
            } else {
                let names = TextAttributes.names.map(\.0)
                throw fail(line, .unknownAttribute(part, suggestion: closestMatch(to: lower, in: names)))
            }
        }
        return style
    }

    /// A palette name (case-insensitive) or a color literal.
    func resolveColor(_ text: String, line: Int, palette: [String: ThemeColor]) throws(ThemeError) -> ThemeColor {
        if let named = palette[text.lowercased()] { return named }
        return try literalColor(text, line: line, paletteNames: Array(palette.keys).sorted())
    }

    func literalColor(_ text: String, line: Int, paletteNames: [String]) throws(ThemeError) -> ThemeColor {
        switch ThemeColor.parseLiteral(text) {
        case .success(let color):
            return color
        case .failure(.badHex(let t)):
            throw fail(line, .badHex(t))
        case .failure(.indexOutOfRange(let n)):
            throw fail(line, .colorIndexOutOfRange(n))
        case .failure(.unknownName(let t)):
            let candidates = paletteNames + ThemeColor.ansiNames + ["default"]
            throw fail(line, .unknownColor(t, suggestion: closestMatch(to: t, in: candidates)))
        }
    }

    /// Palette names: lowercase letters, digits, `_`, `-`, starting with a letter, and not a color literal.
    static func isValidPaletteName(_ name: String) -> Bool {
        guard let first = name.first, first.isASCII, first.isLetter else { return false }
        guard name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }) else {
            return false
        }
        if case .success = ThemeColor.parseLiteral(name) { return false }
        return true
    }

    /// Removes a comment: a `#` at the start of the line, or a `#` preceded by a space and followed by
    /// a space or the end of the line (so `#5fafff` stays a color).
    static func stripComment(_ line: String) -> String {
        let chars = Array(line)
        var i = 0
        while i < chars.count, chars[i] == " " || chars[i] == "\t" { i += 1 }
        if i < chars.count, chars[i] == "#" { return "" }
        for j in chars.indices where chars[j] == "#" && j > 0 {
            let before = chars[j - 1]
            let after: Character? = j + 1 < chars.count ? chars[j + 1] : nil
            if (before == " " || before == "\t") && (after == nil || after == " " || after == "\t") {
                return String(chars[..<j])
            }
        }
        return line
    }

    static func shorten(_ text: String) -> String {
        text.count > 40 ? String(text.prefix(40)) + "…" : text
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and carriage returns.
    func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        guard let start = firstIndex(where: { !isSpace($0) }) else { return "" }
        let end = lastIndex(where: { !isSpace($0) })!
        return String(self[start...end])
    }
}
