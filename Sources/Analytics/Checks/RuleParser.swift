/// Parses threshold rules: `PATH OP VALUE`, from command-line arguments or a rules file.
///
/// ```
/// consent.Personalization.coverage >= 0.55
/// segment["Likely parent"].reachable.Personalization >= 1000
/// store.last_event_age <= 15m          # a duration: 15 minutes, compared in seconds
/// warn: feedback.chat.response_rate >= 30%
/// ```
///
/// Paths: names (letters, digits, `_`, `-`) joined by `.`, and `["name"]` (with `\"` and `\\`
/// escapes) or `[n]` (0-based, negative from the end) for list entries. Operators: `< <= > >= == !=`.
/// Values: numbers (`0.55`, `-20`, `1e3`), percentages (`55%` = 0.55) and durations
/// (`15m`, `2h`, `1d12h`, `30s`, `500ms`; `w` `d` `h` `m` `s` `ms`), which are compared in seconds.
public enum RuleParser {
    /// Parses one rule given as an argument (`--rule`, `--warn`, `--crit`).
    /// - Parameter origin: how to name it in errors, e.g. `--rule 2`.
    public static func parse(_ text: String, level: RuleLevel, origin: String) throws(RuleError) -> CheckRule {
        let chars = Array(text)
        var scanner = RuleScanner(chars: chars, origin: origin, line: nil, start: 0)
        scanner.skipSpaces()
        if scanner.atEnd || scanner.peek == "#" {
            throw scanner.error("empty rule: write a figure, a comparison and a value, e.g. consent.Analytics.coverage >= 0.5")
        }
        return try scanner.rule(level: level)
    }

    /// Parses a rules file: one rule per line, optionally prefixed `warn:` or `crit:` (the default),
    /// blank lines and `#` comments ignored (also after a rule). Errors are `file:line:column`.
    public static func parseFile(_ source: String, fileName: String) throws(RuleError) -> [CheckRule] {
        var rules: [CheckRule] = []
        var lineNumber = 0
        for rawLine in source.split(omittingEmptySubsequences: false, whereSeparator: { $0.isNewline }) {
            lineNumber += 1
            let chars = Array(rawLine)
            var scanner = RuleScanner(chars: chars, origin: fileName, line: lineNumber, start: 0)
            scanner.skipSpaces()
            if scanner.atEnd || scanner.peek == "#" { continue }
            let level = scanner.levelPrefix() ?? .critical
            scanner.skipSpaces()
            if scanner.atEnd || scanner.peek == "#" {
                throw scanner.error("a `\(level == .warning ? "warn" : "crit"):` prefix needs a rule after it")
            }
            rules.append(try scanner.rule(level: level))
        }
        return rules
    }
}

/// A cursor over one line of rule text.
struct RuleScanner {
    let chars: [Character]
    let origin: String
    let line: Int?
    var i: Int

    init(chars: [Character], origin: String, line: Int?, start: Int) {
        self.chars = chars; self.origin = origin; self.line = line; i = start
    }

    var atEnd: Bool { i >= chars.count }
    var peek: Character? { i < chars.count ? chars[i] : nil }

    mutating func skipSpaces() { while let c = peek, c == " " || c == "\t" { i += 1 } }

    func error(_ message: String, at column: Int? = nil) -> RuleError {
        RuleError(origin: origin, line: line, column: (column ?? i) + 1, message: message, sourceLine: String(chars))
    }

    /// `warn:`, `warning:`, `crit:` or `critical:` (any case) at the cursor; consumed when present.
    mutating func levelPrefix() -> RuleLevel? {
        var j = i
        var word = ""
        while j < chars.count, chars[j].isLetter { word.append(chars[j]); j += 1 }
        guard j < chars.count, chars[j] == ":" else { return nil }
        let level: RuleLevel
        switch word.lowercased() {
        case "warn", "warning": level = .warning
        case "crit", "critical": level = .critical
        default: return nil
        }
        i = j + 1
        return level
    }

    static func isNameCharacter(_ c: Character) -> Bool {
        c.isLetter || c.isNumber || c == "_" || c == "-"
    }

    /// `PATH OP VALUE [# comment]` up to the end of the line.
    mutating func rule(level: RuleLevel) throws(RuleError) -> CheckRule {
        let ruleStart = i
        let path = try self.path()
        skipSpaces()
        let op = try self.op()
        skipSpaces()
        let threshold = try value(after: op)
        skipSpaces()
        let ruleEnd = i
        if let c = peek, c != "#" {
            throw error("unexpected `\(c)` after the value: a rule is one comparison (use one rule per line, or several --rule flags)")
        }
        var source = String(chars[ruleStart..<ruleEnd])
        while source.last == " " || source.last == "\t" { source.removeLast() }
        let where_ = line.map { "\(origin):\($0)" } ?? origin
        return CheckRule(level: level, path: path, op: op, threshold: threshold, source: source, origin: where_)
    }

    mutating func path() throws(RuleError) -> FigurePath {
        var components: [FigurePath.Component] = []
        var columns: [Int] = []
        guard let first = peek, Self.isNameCharacter(first) else {
            let found = peek.map { "`\($0)`" } ?? "the end"
            throw error("expected a figure such as consent.Analytics.coverage, found \(found)")
        }
        columns.append(i + 1)
        components.append(.name(name()))
        while let c = peek {
            if c == "." {
                i += 1
                guard let n = peek, Self.isNameCharacter(n) else {
                    throw error("expected a name after `.` (names with spaces go in brackets: segment[\"Likely parent\"])")
                }
                columns.append(i + 1)
                components.append(.name(name()))
            } else if c == "[" {
                columns.append(i + 1)
                components.append(try bracket())
            } else {
                break
            }
        }
        return FigurePath(components: components, columns: columns)
    }

    mutating func name() -> String {
        var s = ""
        while let c = peek, Self.isNameCharacter(c) { s.append(c); i += 1 }
        return s
    }

    /// `["text"]` or `[n]`.
    mutating func bracket() throws(RuleError) -> FigurePath.Component {
        let open = i
        i += 1  // [
        skipSpaces()
        let component: FigurePath.Component
        if peek == "\"" || peek == "'" {
            let quote = peek!
            let quoteAt = i
            i += 1
            var s = ""
            while true {
                guard let c = peek else { throw error("unterminated string: add the closing \(quote)", at: quoteAt) }
                i += 1
                if c == quote { break }
                if c == "\\" {
                    guard let e = peek else { throw error("unterminated string: add the closing \(quote)", at: quoteAt) }
                    i += 1
                    switch e {
                    case "\"", "\\", "'": s.append(e)
                    case "n": s.append("\n")
                    case "t": s.append("\t")
                    default: throw error("unknown escape `\\\(e)`: use \\\" for a quote and \\\\ for a backslash", at: i - 2)
                    }
                } else {
                    s.append(c)
                }
            }
            component = .key(s)
        } else {
            let start = i
            var digits = ""
            if peek == "-" { digits.append("-"); i += 1 }
            while let c = peek, c.isASCII, c.isNumber { digits.append(c); i += 1 }
            guard let n = Int(digits) else {
                throw error("expected a quoted name or a position inside [ ], e.g. segment[\"Likely parent\"] or weekly[-1]", at: start)
            }
            component = .index(n)
        }
        skipSpaces()
        guard peek == "]" else { throw error("expected `]` to close the `[` at column \(open + 1)") }
        i += 1
        return component
    }

    mutating func op() throws(RuleError) -> RuleOperator {
        let start = i
        let two = i + 1 < chars.count ? String(chars[i...i + 1]) : ""
        for candidate in ["<=", ">=", "==", "!="] where two == candidate {
            i += 2
            return RuleOperator(rawValue: candidate)!
        }
        switch peek {
        case "<": i += 1; return .less
        case ">": i += 1; return .greater
        case "=":
            let next = i + 1 < chars.count ? chars[i + 1] : nil
            if next == ">" { throw error("write `>=`, not `=>`", at: start) }
            if next == "<" { throw error("write `<=`, not `=<`", at: start) }
            throw error("use `==` to compare for equality", at: start)
        case nil: throw error("expected a comparison (< <= > >= == !=) after the figure")
        case let c?: throw error("expected a comparison (< <= > >= == !=), found `\(c)`", at: start)
        }
    }

    mutating func value(after op: RuleOperator) throws(RuleError) -> Threshold {
        let start = i
        var text = ""
        while let c = peek, c != " ", c != "\t", c != "#" { text.append(c); i += 1 }
        guard !text.isEmpty else {
            throw error("expected a number (0.55, 55%, 1000) or a duration (15m, 2h) after `\(op.rawValue)`")
        }
        if text.hasSuffix("%"), let v = Self.number(String(text.dropLast())) {
            return Threshold(value: v / 100, kind: .percent, text: text)
        }
        if let v = Self.number(text) { return Threshold(value: v, kind: .number, text: text) }
        if let ms = parseDuration(text) { return Threshold(value: Double(ms) / 1000, kind: .duration, text: text) }
        if text.first == "-", parseDuration(String(text.dropFirst())) != nil {
            throw error("a duration cannot be negative", at: start)
        }
        let hint = text.contains(".") && text.last?.isLetter == true ? " (durations take whole units: 1h30m, not 1.5h)" : ""
        throw error("expected a number (0.55, 55%, 1000) or a duration (15m, 2h, 1d12h) after `\(op.rawValue)`, found `\(text)`\(hint)", at: start)
    }

    /// A finite decimal number: optional `-`, digits with an optional fraction and exponent.
    static func number(_ text: String) -> Double? {
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }),
              text.first != "+", text.contains(where: { $0.isNumber }),
              let v = Double(text), v.isFinite else { return nil }
        return v
    }
}
