/// The raw bytes of a JSON string between its quotes.
struct StringToken {
    var start: Int
    var end: Int
    /// Whether the raw bytes contain a backslash escape (else they are the string's UTF-8).
    var hasEscapes: Bool
}

/// The raw bytes of a JSON number.
struct NumberToken {
    var start: Int
    var end: Int
    /// No fraction and no exponent.
    var isInteger: Bool
}

/// A validating, byte-level RFC 8259 JSON scanner over a borrowed buffer.
///
/// It never builds a tree: callers walk objects and arrays with ``objectStart(depth:)``,
/// ``objectKey()``, ``objectNext()``, ``arrayStart(depth:)``, ``arrayNext()`` and skip what they
/// do not need with ``skipValue(depth:)``, which still validates every byte. Strings are checked
/// for strict UTF-8 (no overlongs, no encoded surrogates, nothing above U+10FFFF), escapes for the
/// RFC grammar, numbers for the RFC grammar. Nesting deeper than ``maxDepth`` is rejected before
/// it can exhaust the stack.
///
/// The scanner holds no shared state: one per thread, over any buffer.
public struct JSONScanner {
    /// The deepest nesting of objects and arrays accepted.
    public static let maxDepth = 256

    @usableFromInline let b: UnsafeBufferPointer<UInt8>
    /// Current byte offset.
    var pos: Int = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { b = bytes }

    // MARK: Public entry point

    /// Validates `bytes` as one complete JSON document (any value at top level, surrounded by
    /// optional whitespace). Returns `nil` when valid, else the first error.
    public static func validate(_ bytes: UnsafeRawBufferPointer) -> JSONSyntaxError? {
        var s = JSONScanner(bytes.bindMemory(to: UInt8.self))
        do {
            s.skipWhitespace()
            guard s.pos < s.b.count else { return JSONSyntaxError(.emptyDocument, at: 0) }
            try s.skipValue(depth: 0)
            try s.expectEnd()
            return nil
        } catch {
            return error
        }
    }

    /// Validates the UTF-8 bytes of `text` as one JSON document.
    public static func validate(_ text: String) -> JSONSyntaxError? {
        var copy = text
        return copy.withUTF8 { validate(UnsafeRawBufferPointer($0)) }
    }

    // MARK: Basics

    @inline(__always) var atEnd: Bool { pos >= b.count }
    @inline(__always) var peek: UInt8 { b[pos] }

    @inline(__always) mutating func skipWhitespace() {
        while pos < b.count {
            let c = b[pos]
            guard c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 else { return }
            pos += 1
        }
    }

    /// Only whitespace may follow the value.
    mutating func expectEnd() throws(JSONSyntaxError) {
        skipWhitespace()
        if pos < b.count { throw JSONSyntaxError(.dataAfterValue, at: pos) }
    }

    @inline(__always) func unexpected(_ at: Int) -> JSONSyntaxError {
        at < b.count ? JSONSyntaxError(.unexpectedCharacter(b[at]), at: at) : JSONSyntaxError(.unexpectedEnd, at: at)
    }

    // MARK: Values

    /// Validates and skips one value starting at `pos` (whitespace already skipped).
    /// `depth` is the nesting level of the value itself (0 at top level).
    mutating func skipValue(depth: Int) throws(JSONSyntaxError) {
        guard pos < b.count else { throw JSONSyntaxError(.unexpectedEnd, at: pos) }
        switch b[pos] {
        case UInt8(ascii: "\""):
            _ = try scanString()
        case UInt8(ascii: "{"):
            if try objectStart(depth: depth + 1) {
                repeat {
                    _ = try objectKey()
                    try skipValue(depth: depth + 1)
                } while try objectNext()
            }
        case UInt8(ascii: "["):
            if try arrayStart(depth: depth + 1) {
                repeat {
                    try skipValue(depth: depth + 1)
                } while try arrayNext()
            }
        case UInt8(ascii: "t"): try literal(0x74_72_75_65, 4)   // "true"
        case UInt8(ascii: "f"): try literal(0x66_61_6C_73_65, 5) // "false"
        case UInt8(ascii: "n"): try literal(0x6E_75_6C_6C, 4)   // "null"
        case UInt8(ascii: "-"), UInt8(ascii: "0") ... UInt8(ascii: "9"):
            _ = try scanNumber()
        default:
            throw unexpected(pos)
        }
    }

    /// Scans a scalar (string, number, literal) at `pos` and returns its value.
    mutating func scalarValue() throws(JSONSyntaxError) -> ScalarValue {
        switch b[pos] {
        case UInt8(ascii: "\""): return .string(string(try scanString()))
        case UInt8(ascii: "t"): try literal(0x74_72_75_65, 4); return .bool(true)
        case UInt8(ascii: "f"): try literal(0x66_61_6C_73_65, 5); return .bool(false)
        case UInt8(ascii: "n"): try literal(0x6E_75_6C_6C, 4); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0") ... UInt8(ascii: "9"): return .number(number(try scanNumber()))
        default: throw unexpected(pos)
        }
    }

    /// Matches a literal whose ASCII bytes are packed big-endian in `packed`.
    @inline(__always) mutating func literal(_ packed: UInt64, _ length: Int) throws(JSONSyntaxError) {
        for k in 0 ..< length {
            let want = UInt8(truncatingIfNeeded: packed >> UInt64(8 * (length - 1 - k)))
            guard pos + k < b.count, b[pos + k] == want else { throw unexpected(pos + k) }
        }
        pos += length
    }

    // MARK: Objects and arrays

    /// At `{`: enters the object at nesting level `depth`. Returns false for `{}` (consumed).
    /// Otherwise `pos` is at the first key.
    mutating func objectStart(depth: Int) throws(JSONSyntaxError) -> Bool {
        if depth > Self.maxDepth { throw JSONSyntaxError(.nestedTooDeeply(limit: Self.maxDepth), at: pos) }
        pos += 1
        skipWhitespace()
        if pos < b.count && b[pos] == UInt8(ascii: "}") { pos += 1; return false }
        return true
    }

    /// ``objectStart(depth:)`` for the common case, inlined into the walk: `{` followed at once by a key's `"`.
    /// Anything else goes to ``objectStart(depth:)`` from the same position (exactly its outcome).
    @inline(__always) mutating func objectStartFast(depth: Int) throws(JSONSyntaxError) -> Bool {
        if depth <= Self.maxDepth, let base = b.baseAddress, pos &+ 1 < b.count, base[pos &+ 1] == UInt8(ascii: "\"") {
            pos &+= 1
            return true
        }
        return try objectStart(depth: depth)
    }

    /// At a key: scans it and the `:`; leaves `pos` at the value.
    mutating func objectKey() throws(JSONSyntaxError) -> StringToken {
        guard pos < b.count else { throw JSONSyntaxError(.unexpectedEnd, at: pos) }
        guard b[pos] == UInt8(ascii: "\"") else { throw JSONSyntaxError(.expectedKey, at: pos) }
        let key = try scanString()
        skipWhitespace()
        guard pos < b.count else { throw JSONSyntaxError(.unexpectedEnd, at: pos) }
        guard b[pos] == UInt8(ascii: ":") else { throw JSONSyntaxError(.expectedColon, at: pos) }
        pos += 1
        skipWhitespace()
        return key
    }

    /// ``objectKey()`` for the common case, inlined into the walk: a plain ASCII key whose closing quote is among the
    /// 16 bytes after its opening quote, then `:` at once. Anything else (escapes, non-ASCII, control bytes, longer
    /// keys, whitespace before the colon, too few bytes left, errors) goes to ``objectKey()`` from the same position,
    /// so the outcome, errors and offsets included, is exactly that of ``objectKey()``.
    @inline(__always) mutating func objectKeyFast() throws(JSONSyntaxError) -> StringToken {
        let n = b.count
        if let base = b.baseAddress, pos &+ 17 < n, base[pos] == UInt8(ascii: "\"") {
            let mask = cjs_string_attention16(base + pos + 1)
            if mask != 0 {
                let end = pos &+ 1 &+ mask.trailingZeroBitCount
                if base[end] == UInt8(ascii: "\"") && base[end &+ 1] == UInt8(ascii: ":") {
                    let start = pos &+ 1
                    pos = end &+ 2
                    if pos < n && base[pos] <= 0x20 { skipWhitespace() }
                    return StringToken(start: start, end: end, hasEscapes: false)
                }
            }
        }
        return try objectKey()
    }

    /// At a key: when the bytes from `pos` are exactly those of the predicted key `p` (its opening quote, its bytes,
    /// its closing quote and `:`; see ``KeyPredictions``), consumes them and the whitespace after the colon and returns
    /// the key, exactly as ``objectKeyFast()`` would (the predicted bytes were once scanned as a plain key, so equal
    /// bytes scan the same). Otherwise nil, `pos` unchanged. Needs 24 bytes from `pos`.
    @inline(__always) mutating func predictedKey(_ p: UnsafePointer<PredictedKey>) -> StringToken? {
        guard let base = b.baseAddress, pos &+ 24 <= b.count, p.pointee.length >= 0 else { return nil }
        let r = UnsafeRawPointer(base + pos)
        let d = ((UInt64(littleEndian: r.loadUnaligned(as: UInt64.self)) ^ p.pointee.w0) & p.pointee.m0)
            | ((UInt64(littleEndian: r.loadUnaligned(fromByteOffset: 8, as: UInt64.self)) ^ p.pointee.w1) & p.pointee.m1)
            | ((UInt64(littleEndian: r.loadUnaligned(fromByteOffset: 16, as: UInt64.self)) ^ p.pointee.w2) & p.pointee.m2)
        guard d == 0 else { return nil }
        let start = pos &+ 1
        let end = start &+ Int(p.pointee.length)
        pos = end &+ 2
        if pos < b.count && base[pos] <= 0x20 { skipWhitespace() }
        return StringToken(start: start, end: end, hasEscapes: false)
    }

    /// ``scanString()`` for the common case, inlined into the walk: plain ASCII up to the closing quote, 16 bytes at a
    /// time while 16 bytes remain. At the first byte that is not plain (or too near the end) it starts
    /// ``scanString()`` over from the opening quote, so the outcome is exactly that of ``scanString()``.
    @inline(__always) mutating func scanStringFast() throws(JSONSyntaxError) -> StringToken {
        let n = b.count
        if let base = b.baseAddress {
            var i = pos &+ 1
            while i &+ 16 <= n {
                let mask = cjs_string_attention16(base + i)
                if mask != 0 {
                    let end = i &+ mask.trailingZeroBitCount
                    if base[end] == UInt8(ascii: "\"") {
                        let start = pos &+ 1
                        pos = end &+ 1
                        return StringToken(start: start, end: end, hasEscapes: false)
                    }
                    break
                }
                i &+= 16
            }
        }
        return try scanString()
    }

    /// ``objectNext()`` for the common cases, inlined into the walk: `,` then `"` at once (another key), or `}` at once.
    /// Anything else goes to ``objectNext()`` from the same position (exactly its outcome).
    @inline(__always) mutating func objectNextFast() throws(JSONSyntaxError) -> Bool {
        if let base = b.baseAddress, pos &+ 1 < b.count {
            let c = base[pos]
            if c == UInt8(ascii: ",") && base[pos &+ 1] == UInt8(ascii: "\"") { pos &+= 1; return true }
            if c == UInt8(ascii: "}") { pos &+= 1; return false }
        }
        return try objectNext()
    }

    /// After a member's value: true when another key follows (`,` consumed), false at `}` (consumed).
    mutating func objectNext() throws(JSONSyntaxError) -> Bool {
        skipWhitespace()
        guard pos < b.count else { throw JSONSyntaxError(.unexpectedEnd, at: pos) }
        switch b[pos] {
        case UInt8(ascii: ","):
            pos += 1
            skipWhitespace()
            if pos < b.count && b[pos] == UInt8(ascii: "}") { throw JSONSyntaxError(.trailingComma, at: pos) }
            return true
        case UInt8(ascii: "}"):
            pos += 1
            return false
        default:
            throw JSONSyntaxError(.expectedCommaOrObjectEnd, at: pos)
        }
    }

    /// At `[`: enters the array at nesting level `depth`. Returns false for `[]` (consumed).
    /// Otherwise `pos` is at the first element.
    mutating func arrayStart(depth: Int) throws(JSONSyntaxError) -> Bool {
        if depth > Self.maxDepth { throw JSONSyntaxError(.nestedTooDeeply(limit: Self.maxDepth), at: pos) }
        pos += 1
        skipWhitespace()
        if pos < b.count && b[pos] == UInt8(ascii: "]") { pos += 1; return false }
        return true
    }

    /// After an element: true when another element follows (`,` consumed), false at `]` (consumed).
    mutating func arrayNext() throws(JSONSyntaxError) -> Bool {
        skipWhitespace()
        guard pos < b.count else { throw JSONSyntaxError(.unexpectedEnd, at: pos) }
        switch b[pos] {
        case UInt8(ascii: ","):
            pos += 1
            skipWhitespace()
            if pos < b.count && b[pos] == UInt8(ascii: "]") { throw JSONSyntaxError(.trailingComma, at: pos) }
            return true
        case UInt8(ascii: "]"):
            pos += 1
            return false
        default:
            throw JSONSyntaxError(.expectedCommaOrArrayEnd, at: pos)
        }
    }

    // MARK: Strings

    /// At `"`: validates the string and returns its raw bytes; `pos` ends after the closing quote.
    mutating func scanString() throws(JSONSyntaxError) -> StringToken {
        let open = pos
        let n = b.count
        var i = pos + 1
        var escapes = false
        while true {
            // Sixteen plain bytes at a time (SSE2), then eight (the tail): no quote, no backslash, no control byte,
            // no non-ASCII. Only skips bytes that need no check; the byte that stops it is handled below.
            if let base = b.baseAddress {
                var stopped = false
                while i + 16 <= n {
                    let mask = cjs_string_attention16(base + i)
                    if mask != 0 { i += mask.trailingZeroBitCount; stopped = true; break }
                    i += 16
                }
                if !stopped {
                    while i + 8 <= n {
                        let v = UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
                        let mask = Self.attentionMask(v)
                        if mask != 0 { i += mask.trailingZeroBitCount >> 3; break }
                        i += 8
                    }
                }
            }
            guard i < n else { throw JSONSyntaxError(.unterminatedString, at: open) }
            let c = b[i]
            if c == UInt8(ascii: "\"") {
                pos = i + 1
                return StringToken(start: open + 1, end: i, hasEscapes: escapes)
            } else if c == UInt8(ascii: "\\") {
                escapes = true
                guard i + 1 < n else { throw JSONSyntaxError(.unterminatedString, at: open) }
                switch b[i + 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                     UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    i += 2
                case UInt8(ascii: "u"):
                    guard i + 6 <= n, Self.hex4(b, i + 2) != nil else {
                        throw JSONSyntaxError(.invalidUnicodeEscape, at: i)
                    }
                    i += 6
                default:
                    throw JSONSyntaxError(.invalidEscape, at: i)
                }
            } else if c < 0x20 {
                throw JSONSyntaxError(.controlCharacterInString, at: i)
            } else if c < 0x80 {
                i += 1
            } else {
                i += try utf8Sequence(at: i)
            }
        }
    }

    /// Bit 7 of byte `k` set when byte `k` of `v` (little-endian) is `"`, `\\`, below 0x20 or at/above
    /// 0x80. Bytes above the lowest flagged one may be flagged falsely (borrows); the lowest is exact.
    @inline(__always) static func attentionMask(_ v: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        let q = v ^ (ones &* 0x22)
        let bs = v ^ (ones &* 0x5C)
        let quote = (q &- ones) & ~q
        let backslash = (bs &- ones) & ~bs
        let control = v &- (ones &* 0x20)
        return ((quote | backslash | control) & ~v & high) | (v & high)
    }

    /// Length of the valid multi-byte UTF-8 sequence at `i` (Unicode Table 3-7), else throws.
    @inline(__always) func utf8Sequence(at i: Int) throws(JSONSyntaxError) -> Int {
        let n = b.count
        let c0 = b[i]
        @inline(__always) func cont(_ k: Int, _ lo: UInt8 = 0x80, _ hi: UInt8 = 0xBF) -> Bool {
            i + k < n && b[i + k] >= lo && b[i + k] <= hi
        }
        switch c0 {
        case 0xC2 ... 0xDF:
            if cont(1) { return 2 }
        case 0xE0:
            if cont(1, 0xA0, 0xBF) && cont(2) { return 3 }
        case 0xE1 ... 0xEC, 0xEE ... 0xEF:
            if cont(1) && cont(2) { return 3 }
        case 0xED:
            if cont(1, 0x80, 0x9F) && cont(2) { return 3 }
        case 0xF0:
            if cont(1, 0x90, 0xBF) && cont(2) && cont(3) { return 4 }
        case 0xF1 ... 0xF3:
            if cont(1) && cont(2) && cont(3) { return 4 }
        case 0xF4:
            if cont(1, 0x80, 0x8F) && cont(2) && cont(3) { return 4 }
        default:
            break
        }
        throw JSONSyntaxError(.invalidUTF8, at: i)
    }

    @inline(__always) static func hexValue(_ c: UInt8) -> UInt32? {
        switch c {
        case UInt8(ascii: "0") ... UInt8(ascii: "9"): return UInt32(c &- 48)
        case UInt8(ascii: "a") ... UInt8(ascii: "f"): return UInt32(c &- 87)
        case UInt8(ascii: "A") ... UInt8(ascii: "F"): return UInt32(c &- 55)
        default: return nil
        }
    }

    @inline(__always) static func hex4(_ b: UnsafeBufferPointer<UInt8>, _ at: Int) -> UInt32? {
        guard at + 4 <= b.count else { return nil }
        var v: UInt32 = 0
        for k in at ..< at + 4 {
            guard let h = hexValue(b[k]) else { return nil }
            v = v << 4 | h
        }
        return v
    }

    /// The decoded text of a scanned string. Lone surrogates in `\u` escapes become U+FFFD.
    func string(_ t: StringToken) -> String {
        let raw = UnsafeBufferPointer(rebasing: b[t.start ..< t.end])
        if !t.hasEscapes { return String(decoding: raw, as: UTF8.self) }
        // Every escape is at least as long as its UTF-8 encoding, so the raw length bounds the output.
        return String(unsafeUninitializedCapacity: raw.count) { out in
            var o = 0
            var i = 0
            let n = raw.count
            func put(_ scalar: UInt32) {
                switch scalar {
                case 0 ..< 0x80:
                    out[o] = UInt8(scalar); o += 1
                case 0x80 ..< 0x800:
                    out[o] = UInt8(0xC0 | scalar >> 6); out[o + 1] = UInt8(0x80 | scalar & 0x3F); o += 2
                case 0x800 ..< 0x10000:
                    out[o] = UInt8(0xE0 | scalar >> 12); out[o + 1] = UInt8(0x80 | scalar >> 6 & 0x3F)
                    out[o + 2] = UInt8(0x80 | scalar & 0x3F); o += 3
                default:
                    out[o] = UInt8(0xF0 | scalar >> 18); out[o + 1] = UInt8(0x80 | scalar >> 12 & 0x3F)
                    out[o + 2] = UInt8(0x80 | scalar >> 6 & 0x3F); out[o + 3] = UInt8(0x80 | scalar & 0x3F); o += 4
                }
            }
            while i < n {
                let c = raw[i]
                guard c == UInt8(ascii: "\\") else { out[o] = c; o += 1; i += 1; continue }
                let e = raw[i + 1]
                i += 2
                switch e {
                case UInt8(ascii: "b"): put(0x08)
                case UInt8(ascii: "f"): put(0x0C)
                case UInt8(ascii: "n"): put(0x0A)
                case UInt8(ascii: "r"): put(0x0D)
                case UInt8(ascii: "t"): put(0x09)
                case UInt8(ascii: "u"):
                    let u = Self.hex4(raw, i)!
                    i += 4
                    if u >= 0xD800 && u <= 0xDBFF {
                        if i + 6 <= n, raw[i] == UInt8(ascii: "\\"), raw[i + 1] == UInt8(ascii: "u"),
                           let low = Self.hex4(raw, i + 2), low >= 0xDC00 && low <= 0xDFFF {
                            put(0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00))
                            i += 6
                        } else {
                            put(0xFFFD)
                        }
                    } else if u >= 0xDC00 && u <= 0xDFFF {
                        put(0xFFFD)
                    } else {
                        put(u)
                    }
                default: put(UInt32(e))  // " \ /
                }
            }
            return o
        }
    }

    /// Whether the scanned string equals `key` (UTF-8 bytes, as decoded).
    func stringEquals(_ t: StringToken, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        if !t.hasEscapes {
            guard t.end - t.start == key.count else { return false }
            guard let kb = key.baseAddress, let bb = b.baseAddress else { return key.isEmpty }
            return memcmp(bb + t.start, kb, key.count) == 0
        }
        var s = string(t)
        return s.withUTF8 { $0.elementsEqual(key) }
    }

    // MARK: Numbers

    /// At `-` or a digit: validates an RFC 8259 number; `pos` ends after it.
    mutating func scanNumber() throws(JSONSyntaxError) -> NumberToken {
        let start = pos
        let n = b.count
        var i = pos
        @inline(__always) func digit(_ k: Int) -> Bool { k < n && b[k] &- 48 < 10 }
        if b[i] == UInt8(ascii: "-") { i += 1 }
        guard i < n else { throw JSONSyntaxError(.invalidNumber, at: start) }
        if b[i] == UInt8(ascii: "0") {
            i += 1
            if digit(i) { throw JSONSyntaxError(.leadingZero, at: start) }
        } else if digit(i) {
            while digit(i) { i += 1 }
        } else {
            throw JSONSyntaxError(.invalidNumber, at: start)
        }
        var integer = true
        if i < n && b[i] == UInt8(ascii: ".") {
            i += 1
            guard digit(i) else { throw JSONSyntaxError(.invalidNumber, at: start) }
            while digit(i) { i += 1 }
            integer = false
        }
        if i < n && (b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E")) {
            i += 1
            if i < n && (b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-")) { i += 1 }
            guard digit(i) else { throw JSONSyntaxError(.invalidNumber, at: start) }
            while digit(i) { i += 1 }
            integer = false
        }
        pos = i
        return NumberToken(start: start, end: i, isInteger: integer)
    }

    /// The value of a scanned number, correctly rounded (overflow → ±infinity).
    func number(_ t: NumberToken) -> Double {
        let negative = b[t.start] == UInt8(ascii: "-")
        let digitsStart = negative ? t.start + 1 : t.start
        if t.isInteger && t.end - digitsStart <= 15 {
            // Up to 15 digits is below 2^53: exact as a Double.
            var v: Int64 = 0
            for k in digitsStart ..< t.end { v = v * 10 + Int64(b[k] &- 48) }
            return negative ? -Double(v) : Double(v)
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: b[t.start ..< t.end]), as: UTF8.self)
        // Swift's parser is locale-independent and correctly rounded; the grammar is already valid.
        return Double(text) ?? (negative ? -.infinity : .infinity)
    }
}

import CJSONScan
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif
