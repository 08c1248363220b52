/// Writes one JSON value into bytes, keys in exactly the order they are written.
///
/// The generator writes every line with this writer, so the key order is fixed by the code and
/// the output never depends on dictionary order. Strings are escaped per RFC 8259: `"` and `\`,
/// the control characters U+0000…U+001F (short forms where JSON has them), and U+007F as
/// `\u007f`; other characters are written as UTF-8.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    /// Whether the next member or element needs a leading comma.
    private var needsComma = false

    init(capacity: Int = 512) { bytes.reserveCapacity(capacity) }

    // MARK: Structure

    /// Writes `{ … }` with `body` writing the members.
    mutating func object(_ body: (inout JSONWriter) -> Void) {
        separator()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
        body(&self)
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    /// Writes `[ … ]` with `body` writing the elements.
    mutating func array(_ body: (inout JSONWriter) -> Void) {
        separator()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
        body(&self)
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Writes a member name; the next value written is its value.
    mutating func key(_ name: String) {
        separator()
        appendEscaped(name)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    // MARK: Values

    mutating func string(_ s: String) { separator(); appendEscaped(s); needsComma = true }

    mutating func int(_ v: Int) {
        separator()
        if v < 0 { bytes.append(UInt8(ascii: "-")) }
        CivilTime.appendDigits(v < 0 ? -v : v, 1, &bytes)
        needsComma = true
    }

    /// A decimal amount given in hundredths, written without trailing zeros (`129.9`, `45`).
    mutating func cents(_ v: Int) {
        separator()
        let a = v < 0 ? -v : v
        if v < 0 { bytes.append(UInt8(ascii: "-")) }
        CivilTime.appendDigits(a / 100, 1, &bytes)
        let c = a % 100
        if c != 0 {
            bytes.append(UInt8(ascii: "."))
            if c % 10 == 0 { CivilTime.appendDigits(c / 10, 1, &bytes) } else { CivilTime.appendDigits(c, 2, &bytes) }
        }
        needsComma = true
    }

    mutating func bool(_ b: Bool) {
        separator()
        bytes.append(contentsOf: b ? JSONWriter.trueBytes : JSONWriter.falseBytes)
        needsComma = true
    }

    /// An ISO-8601 UTC timestamp string with milliseconds; `zone: false` omits the `Z` (a malformed time).
    mutating func timestamp(_ ms: Int64, zone: Bool = true) {
        separator()
        bytes.append(UInt8(ascii: "\""))
        CivilTime.appendISO8601(ms, to: &bytes, zone: zone)
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    // MARK: Members (key + value)

    mutating func field(_ name: String, _ value: String) { key(name); string(value) }
    mutating func field(_ name: String, _ value: Int) { key(name); int(value) }
    mutating func field(_ name: String, _ value: Bool) { key(name); bool(value) }
    mutating func field(_ name: String, cents value: Int) { key(name); cents(value) }
    mutating func field(_ name: String, timestamp ms: Int64) { key(name); timestamp(ms) }
    mutating func field(_ name: String, _ body: (inout JSONWriter) -> Void) { key(name); object(body) }
    mutating func field(_ name: String, strings values: [String]) {
        key(name)
        array { w in for v in values { w.string(v) } }
    }

    // MARK: Escaping

    private static let trueBytes = Array("true".utf8)
    private static let falseBytes = Array("false".utf8)

    private mutating func separator() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    private mutating func appendEscaped(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\\")); bytes.append(b)
            case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\")); bytes.append(b)
            case 0x0A: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "t"))
            case 0x08: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "b"))
            case 0x0C: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "f"))
            case 0x00..<0x20, 0x7F:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: Array("\\u00".utf8))
                bytes.append(hex[Int(b >> 4)])
                bytes.append(hex[Int(b & 0xF)])
            default: bytes.append(b)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
