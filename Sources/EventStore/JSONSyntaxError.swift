/// Why a byte sequence is not valid JSON (RFC 8259), and where.
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public enum Problem: Sendable, Equatable {
        case emptyDocument
        case unexpectedEnd
        case unexpectedCharacter(UInt8)
        case unterminatedString
        case controlCharacterInString
        case invalidEscape
        case invalidUnicodeEscape
        case invalidUTF8
        case invalidNumber
        case leadingZero
        case expectedColon
        case expectedCommaOrObjectEnd
        case expectedCommaOrArrayEnd
        case expectedKey
        case trailingComma
        case nestedTooDeeply(limit: Int)
        case dataAfterValue
    }

    /// What went wrong.
    public var problem: Problem
    /// 0-based byte offset of the problem in the scanned bytes.
    public var offset: Int

    public init(_ problem: Problem, at offset: Int) {
        self.problem = problem
        self.offset = offset
    }

    /// 1-based column (byte) of the problem.
    public var column: Int { offset + 1 }

    /// The problem in words, without the position ("unterminated string").
    public var what: String {
        switch problem {
        case .emptyDocument: return "empty document"
        case .unexpectedEnd: return "unexpected end of input"
        case .unexpectedCharacter(let b): return "unexpected character \(Self.describe(b))"
        case .unterminatedString: return "unterminated string"
        case .controlCharacterInString: return "unescaped control character in string"
        case .invalidEscape: return "invalid escape sequence in string"
        case .invalidUnicodeEscape: return "invalid \\u escape in string (needs 4 hex digits)"
        case .invalidUTF8: return "invalid UTF-8 byte sequence"
        case .invalidNumber: return "invalid number"
        case .leadingZero: return "invalid number (leading zero)"
        case .expectedColon: return "expected ':' after object key"
        case .expectedCommaOrObjectEnd: return "expected ',' or '}' in object"
        case .expectedCommaOrArrayEnd: return "expected ',' or ']' in array"
        case .expectedKey: return "expected a string key in object"
        case .trailingComma: return "trailing comma"
        case .nestedTooDeeply(let limit): return "nested too deeply (more than \(limit) levels)"
        case .dataAfterValue: return "unexpected data after the JSON value"
        }
    }

    /// "unterminated string at column 57".
    public var description: String { "\(what) at column \(column)" }

    /// A byte shown safely: printable ASCII quoted, everything else as hex.
    static func describe(_ b: UInt8) -> String {
        if b > 0x20 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
        let hex = String(b, radix: 16, uppercase: true)
        return "0x" + (hex.count == 1 ? "0" + hex : hex)
    }
}
