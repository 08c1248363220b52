/// Splits a rules file into tokens.
///
/// Lexical errors (unterminated string, bad duration, stray character) are recorded and
/// become an ``TokenKind/invalid`` token, so lexing always reaches the end of the file and
/// every such error is reported at once.
struct Lexer {
    private let text: SourceText
    private var i = 0
    private var line = 1
    private var column = 1
    private(set) var tokens: [Token] = []
    private(set) var errors: [SegmentError] = []

    init(_ text: SourceText) { self.text = text }

    /// Milliseconds per duration unit.
    static let units: [Character: Int64] = ["m": 60_000, "h": 3_600_000, "d": 86_400_000, "w": 604_800_000]

    static func tokenize(_ text: SourceText) -> (tokens: [Token], errors: [SegmentError]) {
        var l = Lexer(text)
        l.run()
        return (l.tokens, l.errors)
    }

    private var here: SourceLocation { SourceLocation(file: text.file, line: line, column: column, offset: i) }
    private func peek(_ k: Int = 0) -> Character? { i + k < text.chars.count ? text.chars[i + k] : nil }

    private mutating func advance() {
        let c = text.chars[i]
        i += 1
        if c.isNewline { line += 1; column = 1 } else { column += 1 }
    }

    private mutating func emit(_ kind: TokenKind, from start: SourceLocation) {
        tokens.append(Token(kind: kind, text: text.slice(start.offset, i), location: start, end: here))
    }

    private mutating func fail(_ message: String, at loc: SourceLocation) {
        errors.append(text.error(message, at: loc))
    }

    private mutating func run() {
        while let c = peek() {
            if c.isWhitespace { advance(); continue }
            if c == "#" {
                while let d = peek(), !d.isNewline { advance() }
                continue
            }
            let start = here
            if c == "\"" { lexString(start); continue }
            if c == "\u{201C}" || c == "\u{201D}" || c == "\u{201E}" { lexCurlyString(start); continue }
            if isDigit(c) { lexNumber(start); continue }
            if isNameStart(c) { lexName(start); continue }
            advance()
            let next = peek()
            switch c {
            case ":": emit(.symbol(.colon), from: start)
            case "=":
                if next == "=" { advance() }  // `==` is accepted as `=`
                emit(.symbol(.equal), from: start)
            case "!":
                if next == "=" { advance(); emit(.symbol(.notEqual), from: start) }
                else { fail("unexpected character '!': write 'not' to negate, or '!=' to compare", at: start); emit(.invalid, from: start) }
            case "<":
                if next == "=" { advance(); emit(.symbol(.lessOrEqual), from: start) } else { emit(.symbol(.less), from: start) }
            case ">":
                if next == "=" { advance(); emit(.symbol(.greaterOrEqual), from: start) } else { emit(.symbol(.greater), from: start) }
            case "(": emit(.symbol(.leftParen), from: start)
            case ")": emit(.symbol(.rightParen), from: start)
            case "[": emit(.symbol(.leftBracket), from: start)
            case "]": emit(.symbol(.rightBracket), from: start)
            case ",": emit(.symbol(.comma), from: start)
            case "+": emit(.symbol(.plus), from: start)
            case "-": emit(.symbol(.minus), from: start)
            case "*": emit(.symbol(.star), from: start)
            case "/": emit(.symbol(.slash), from: start)
            case "'":
                fail("names and values are written in double quotes (\"), not single quotes", at: start)
                while let d = peek(), !d.isNewline, d != "'" { advance() }
                if peek() == "'" { advance() }
                emit(.invalid, from: start)
            default:
                fail("unexpected character '\(sanitizedForTerminal(String(c)))'", at: start)
                emit(.invalid, from: start)
            }
        }
        tokens.append(Token(kind: .endOfFile, text: "", location: here, end: here))
    }

    private mutating func lexString(_ start: SourceLocation) {
        advance()  // opening quote
        var value = ""
        while let c = peek() {
            if c.isNewline { break }
            advance()
            if c == "\"" {
                emit(.string(value), from: start)
                return
            }
            if c == "\\", let e = peek(), !e.isNewline {
                advance()
                switch e {
                case "n": value.append("\n")
                case "t": value.append("\t")
                default: value.append(e)  // \" and \\ (and any other escaped character) stand for themselves
                }
                continue
            }
            value.append(c)
        }
        fail("unterminated string: add the closing \" before the end of the line", at: start)
        emit(.invalid, from: start)
    }

    private mutating func lexCurlyString(_ start: SourceLocation) {
        fail("use straight double quotes (\") around names and values, not curly quotes", at: start)
        advance()
        while let c = peek(), !c.isNewline {
            advance()
            if c == "\u{201C}" || c == "\u{201D}" || c == "\"" { break }
        }
        emit(.invalid, from: start)
    }

    private mutating func lexNumber(_ start: SourceLocation) {
        while let c = peek(), isDigit(c) { advance() }
        var isInteger = true
        if peek() == ".", let d = peek(1), isDigit(d) {
            isInteger = false
            advance()
            while let c = peek(), isDigit(c) { advance() }
        }
        guard let c = peek(), isNameStart(c) || isDigit(c) else {
            emit(.number(Double(text.slice(start.offset, i)) ?? 0), from: start)
            return
        }
        // A number glued to letters: a duration such as `30d`.
        let digitsEnd = i
        while let c = peek(), isNameStart(c) || isDigit(c) { advance() }
        let written = text.slice(start.offset, i)
        let suffix = text.slice(digitsEnd, i)
        guard isInteger, suffix.count == 1, let unit = Self.units[suffix.first!] else {
            fail("bad duration '\(sanitizedForTerminal(written))': use a number followed by m, h, d or w", at: start)
            emit(.invalid, from: start)
            return
        }
        guard let n = Int64(text.slice(start.offset, digitsEnd)) else {
            fail("duration '\(written)' is too long", at: start)
            emit(.invalid, from: start)
            return
        }
        let (ms, overflow) = n.multipliedReportingOverflow(by: unit)
        if overflow || ms > Self.maxDuration {
            fail("duration '\(written)' is too long (at most 100000w)", at: start)
            emit(.invalid, from: start)
            return
        }
        emit(.duration(ms), from: start)
    }

    /// The longest duration accepted (100 000 weeks, about 1900 years).
    static let maxDuration: Int64 = 100_000 * 604_800_000

    private mutating func lexName(_ start: SourceLocation) {
        advance()
        while let c = peek() {
            if isNameStart(c) || isDigit(c) { advance(); continue }
            if c == ".", let d = peek(1), isNameStart(d) || isDigit(d) { advance(); continue }
            // `products[]`, `products[].category`: a list's elements.
            if c == "[", peek(1) == "]" { advance(); advance(); continue }
            break
        }
        let word = text.slice(start.offset, i)
        if let k = Keyword(rawValue: word) { emit(.keyword(k), from: start) } else { emit(.identifier(word), from: start) }
    }
}

@inline(__always) func isDigit(_ c: Character) -> Bool { c.isASCII && c.isWholeNumber }
@inline(__always) func isNameStart(_ c: Character) -> Bool { c == "_" || c == "$" || c.isLetter }
