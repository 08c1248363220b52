/// The reserved words of the rules language (case-sensitive, lowercase).
enum Keyword: String, CaseIterable, Sendable {
    case segment, score, loop, journey, did, `where`, and, or, not, then, within, at, least, most, exactly, times
    case `in`, last, trait, page, any, section, contains, count, sum, of
    case minutesIn = "minutes_in"
    case `true`, `false`
}

/// Punctuation and operators.
enum Symbol: String, Sendable {
    case colon = ":", equal = "=", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">"
    case greaterOrEqual = ">=", leftParen = "(", rightParen = ")", leftBracket = "[", rightBracket = "]"
    case comma = ",", plus = "+", minus = "-", star = "*", slash = "/"
}

enum TokenKind: Equatable, Sendable {
    case keyword(Keyword)
    /// A name: letters, digits, `_`, `$`, with inner dots (`context.campaign.medium`).
    case identifier(String)
    /// A double-quoted string, escapes resolved.
    case string(String)
    case number(Double)
    /// A duration (`30d`) in milliseconds.
    case duration(Int64)
    case symbol(Symbol)
    /// A token the lexer already reported as an error.
    case invalid
    case endOfFile
}

/// One token with its text as written and where it starts and ends.
struct Token: Sendable {
    var kind: TokenKind
    /// The characters as written in the file.
    var text: String
    var location: SourceLocation
    /// Position just after the last character.
    var end: SourceLocation

    func isKeyword(_ k: Keyword) -> Bool { kind == .keyword(k) }
    func isSymbol(_ s: Symbol) -> Bool { kind == .symbol(s) }

    /// How the token is named in a message: `'where'`, `"Gift buyer"`, `end of file`.
    var quoted: String {
        switch kind {
        case .endOfFile: return "end of file"
        case .string: return text
        default: return "'\(text)'"
        }
    }
}
