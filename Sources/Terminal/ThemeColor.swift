/// A color as written in a theme file, before it is fitted to what the terminal can show.
public enum ThemeColor: Equatable, Hashable, Sendable {
    /// The terminal's own foreground or background (`default`).
    case terminalDefault
    /// One of the 16 ANSI colors by index: 0–7 `black`…`white`, 8–15 `bright_black`…`bright_white`.
    case ansi(Int)
    /// An xterm-256 palette index 16–255 (0–15 are written as `.ansi`).
    case indexed(Int)
    /// A true color `#RRGGBB`.
    case rgb(RGB)

    /// The ANSI color names, index = ANSI number.
    public static let ansiNames: [String] = [
        "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
        "bright_black", "bright_red", "bright_green", "bright_yellow",
        "bright_blue", "bright_magenta", "bright_cyan", "bright_white",
    ]

    /// Why a color literal was rejected; the parser adds file and line.
    public enum LiteralProblem: Error, Equatable, Sendable {
        case badHex(String)
        case indexOutOfRange(Int)
        case unknownName(String)
    }

    /// Parses a color literal: `default`, an ANSI name (`grey`/`gray` alias `bright_black`),
    /// an index `0`…`255`, or `#RRGGBB`. Names are case-insensitive.
    public static func parseLiteral(_ text: String) -> Result<ThemeColor, LiteralProblem> {
        let word = text.lowercased()
        if word == "default" { return .success(.terminalDefault) }
        if word.hasPrefix("#") {
            guard let rgb = RGB(hex: word) else { return .failure(.badHex(text)) }
            return .success(.rgb(rgb))
        }
        if let first = word.first, first.isASCII, first.isNumber {
            guard word.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(word) else {
                return .failure(.unknownName(text))
            }
            guard (0...255).contains(n) else { return .failure(.indexOutOfRange(n)) }
            return .success(n < 16 ? .ansi(n) : .indexed(n))
        }
        if word == "grey" || word == "gray" { return .success(.ansi(8)) }
        if let i = ansiNames.firstIndex(of: word) { return .success(.ansi(i)) }
        return .failure(.unknownName(text))
    }

    /// How the color is written in a theme file.
    public var literal: String {
        switch self {
        case .terminalDefault: return "default"
        case .ansi(let i): return Self.ansiNames[i]
        case .indexed(let i): return String(i)
        case .rgb(let c): return c.hex
        }
    }
}

/// A 24-bit color.
public struct RGB: Equatable, Hashable, Sendable, CustomStringConvertible {
    public var r: UInt8, g: UInt8, b: UInt8
    public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) { self.r = r; self.g = g; self.b = b }

    /// Parses `#RRGGBB` (exactly six hex digits after `#`).
    public init?(hex: String) {
        let digits = Array(hex.utf8)
        guard digits.count == 7, digits[0] == UInt8(ascii: "#") else { return nil }
        var value: UInt32 = 0
        for d in digits[1...] {
            let nibble: UInt8
            switch d {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = d - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = d - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = d - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(nibble)
        }
        self.init(UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff))
    }

    /// `#rrggbb`.
    public var hex: String {
        let digits = Array("0123456789abcdef")
        var out = "#"
        for v in [r, g, b] { out.append(digits[Int(v >> 4)]); out.append(digits[Int(v & 0xf)]) }
        return out
    }

    public var description: String { hex }

    /// Squared Euclidean distance in RGB space.
    func distanceSquared(to other: RGB) -> Int {
        let dr = Int(r) - Int(other.r), dg = Int(g) - Int(other.g), db = Int(b) - Int(other.b)
        return dr * dr + dg * dg + db * db
    }
}
