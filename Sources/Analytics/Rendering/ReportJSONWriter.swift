import EventStore
import Foundation

/// Writes a ``Report`` (any `Encodable`) as the JSON text ``ReportRenderer/encodedJSON(_:)`` gives — byte for byte —
/// without `JSONEncoder`, its `Data`, the empty-container pass and the whole-text sanitizing pass.
///
/// The value is encoded into a small tree (``ReportJSONWriter/Node``: objects keep their members in the order they
/// were encoded), then written in one pass into a byte buffer with exactly the encoder's conventions (Foundation's
/// `JSONEncoder` with `.sortedKeys`, `.prettyPrinted`, `.withoutEscapingSlashes`, non-finite numbers as strings):
/// - members sorted by the UTF-8 bytes of their keys; a key encoded twice keeps its last value;
/// - two spaces of indent per level, `"key" : value`, `,\n` between members and elements; empty containers `[]`, `{}`
///   (what ``ReportRenderer/collapseEmptyContainers(_:)`` makes of the encoder's three lines);
/// - integers in decimal; a `Double` as its `description` without a trailing `.0`, NaN and ±infinity as the strings
///   `"NaN"`, `"Infinity"`, `"-Infinity"`;
/// - strings: `"` and `\` escaped, `\b \f \n \r \t`, other C0 controls as `\u00xx` (lower-case hex), slashes raw; then
///   every other character on ``UnsafeText``'s list as `\uxxxx` (a surrogate pair above U+FFFF), as
///   ``UnsafeText/jsonEscaped(_:)`` writes it over the encoder's text.
///
/// `ReportJSONWriterTests` pins the equality against the encoder path on ExampleData, the fixtures and generated
/// hostile strings and numbers. A value of a type the encoder treats specially (`Date`, `Data`, `URL`, `Decimal`)
/// makes ``write(_:namesPerPiece:to:)`` throw ``Unsupported``, and the caller falls back to the encoder.
struct ReportJSONWriter {
    /// A value the writer does not render itself (the encoder has its own conventions for it).
    struct Unsupported: Error {}

    /// One JSON value of the tree.
    enum Node {
        case null
        case bool(Bool)
        case int(Int)
        case double(Double)
        /// A number already in its final text (other integer widths, `Float`).
        case number(String)
        case string(String)
        case object(Object)
        case array(Array)
        /// A list of event names, written element by element when the tree is written (``EventNameList``).
        case names(EventNameList)
        /// A value encoded through an encoder handed out by `superEncoder`: read when written.
        case deferred(Encoder)
    }

    /// An object's members in encoding order.
    final class Object {
        var keys: [String] = []
        var values: [Node] = []
        /// The members' positions by key, made once the object has more than ``Object/scanLimit`` members (a
        /// dictionary of the report, e.g. NPS by survey, has one member per distinct name in the store: a scan per
        /// member would be quadratic).
        private var index: [String: Int]?

        /// Objects with at most this many members find a key by scanning.
        static let scanLimit = 16

        /// The position of `key` (equal as `String`s, as the encoder's dictionary compares them), if present.
        private func position(_ key: String) -> Int? {
            if let index { return index[key] }
            return keys.firstIndex(of: key)
        }

        /// Sets `key` to `value`: a key already present keeps its place and takes the new value.
        func set(_ key: String, _ value: Node) {
            if let i = position(key) {
                values[i] = value
                return
            }
            keys.append(key)
            values.append(value)
            if index != nil {
                index![key] = keys.count - 1
            } else if keys.count > Self.scanLimit {
                var made: [String: Int] = [:]
                made.reserveCapacity(keys.count * 2)
                for (i, k) in keys.enumerated() { made[k] = i }
                index = made
            }
        }

        /// The member under `key`, if present.
        func value(_ key: String) -> Node? {
            position(key).map { values[$0] }
        }
    }

    /// An array's elements.
    final class Array {
        var items: [Node] = []
    }

    // MARK: Encoding into the tree

    /// The `Encoder` that builds a ``Node``.
    final class Encoder: Swift.Encoder {
        var codingPath: [CodingKey] = []
        var userInfo: [CodingUserInfoKey: Any] { [:] }
        /// What was encoded (nil: nothing yet).
        var node: Node?

        init() {}

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            if case .object(let o)? = node { return KeyedEncodingContainer(Keyed<Key>(object: o)) }
            let o = Object()
            node = .object(o)
            return KeyedEncodingContainer(Keyed<Key>(object: o))
        }

        func unkeyedContainer() -> UnkeyedEncodingContainer {
            if case .array(let a)? = node { return Unkeyed(array: a) }
            let a = Array()
            node = .array(a)
            return Unkeyed(array: a)
        }

        func singleValueContainer() -> SingleValueEncodingContainer { Single(encoder: self) }

        /// The node of `value`: primitives directly, other values through a fresh encoder (`{}` when they encode
        /// nothing, as the encoder writes them).
        static func node<T: Encodable>(_ value: T) throws -> Node {
            // The type is compared first, so each bit cast is to the value's own type.
            if T.self == Int.self { return .int(unsafeBitCast(value, to: Int.self)) }
            if T.self == String.self { return .string(unsafeBitCast(value, to: String.self)) }
            if T.self == Double.self { return .double(unsafeBitCast(value, to: Double.self)) }
            if T.self == Bool.self { return .bool(unsafeBitCast(value, to: Bool.self)) }
            if T.self == EventNameList.self { return .names(unsafeBitCast(value, to: EventNameList.self)) }
            // A shown figure encodes as its value, an optional as `null` or its value: the nodes the generic path
            // below builds for them, without an encoder each (withheld figures take the generic path).
            if T.self == Suppressible<Int>.self {
                let f = unsafeBitCast(value, to: Suppressible<Int>.self)
                if !f.projectedValue.isSuppressed { return .int(f.wrappedValue) }
            } else if T.self == Suppressible<Double?>.self {
                let f = unsafeBitCast(value, to: Suppressible<Double?>.self)
                if !f.projectedValue.isSuppressed { return f.wrappedValue.map { .double($0) } ?? .null }
            } else if T.self == Suppressible<Double>.self {
                let f = unsafeBitCast(value, to: Suppressible<Double>.self)
                if !f.projectedValue.isSuppressed { return .double(f.wrappedValue) }
            } else if T.self == String?.self {
                return unsafeBitCast(value, to: String?.self).map { .string($0) } ?? .null
            } else if T.self == Double?.self {
                return unsafeBitCast(value, to: Double?.self).map { .double($0) } ?? .null
            } else if T.self == Int?.self {
                return unsafeBitCast(value, to: Int?.self).map { .int($0) } ?? .null
            }
            if T.self == Date.self || T.self == Data.self || T.self == URL.self || T.self == Decimal.self {
                throw Unsupported()
            }
            let e = Encoder()
            try value.encode(to: e)
            return e.node ?? .object(Object())
        }
    }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let object: Object
        var codingPath: [CodingKey] { [] }

        mutating func encodeNil(forKey key: Key) throws { object.set(key.stringValue, .null) }
        mutating func encode(_ value: Bool, forKey key: Key) throws { object.set(key.stringValue, .bool(value)) }
        mutating func encode(_ value: String, forKey key: Key) throws { object.set(key.stringValue, .string(value)) }
        mutating func encode(_ value: Double, forKey key: Key) throws { object.set(key.stringValue, .double(value)) }
        mutating func encode(_ value: Float, forKey key: Key) throws { object.set(key.stringValue, ReportJSONWriter.float(value)) }
        mutating func encode(_ value: Int, forKey key: Key) throws { object.set(key.stringValue, .int(value)) }
        mutating func encode(_ value: Int8, forKey key: Key) throws { object.set(key.stringValue, .int(Int(value))) }
        mutating func encode(_ value: Int16, forKey key: Key) throws { object.set(key.stringValue, .int(Int(value))) }
        mutating func encode(_ value: Int32, forKey key: Key) throws { object.set(key.stringValue, .int(Int(value))) }
        mutating func encode(_ value: Int64, forKey key: Key) throws { object.set(key.stringValue, .int(Int(value))) }
        mutating func encode(_ value: UInt, forKey key: Key) throws { object.set(key.stringValue, .number(value.description)) }
        mutating func encode(_ value: UInt8, forKey key: Key) throws { object.set(key.stringValue, .int(Int(value))) }
        mutating func encode(_ value: UInt16, forKey key: Key) throws { object.set(key.stringValue, .int(Int(value))) }
        mutating func encode(_ value: UInt32, forKey key: Key) throws { object.set(key.stringValue, .int(Int(value))) }
        mutating func encode(_ value: UInt64, forKey key: Key) throws { object.set(key.stringValue, .number(value.description)) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            object.set(key.stringValue, try Encoder.node(value))
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type,
                                                            forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            if case .object(let o)? = object.value(key.stringValue) { return KeyedEncodingContainer(Keyed<NestedKey>(object: o)) }
            let o = Object()
            object.set(key.stringValue, .object(o))
            return KeyedEncodingContainer(Keyed<NestedKey>(object: o))
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> UnkeyedEncodingContainer {
            if case .array(let a)? = object.value(key.stringValue) { return Unkeyed(array: a) }
            let a = Array()
            object.set(key.stringValue, .array(a))
            return Unkeyed(array: a)
        }

        mutating func superEncoder() -> Swift.Encoder {
            let e = Encoder()
            object.set("super", .deferred(e))
            return e
        }

        mutating func superEncoder(forKey key: Key) -> Swift.Encoder {
            let e = Encoder()
            object.set(key.stringValue, .deferred(e))
            return e
        }
    }

    struct Unkeyed: UnkeyedEncodingContainer {
        let array: Array
        var codingPath: [CodingKey] { [] }
        var count: Int { array.items.count }

        mutating func encodeNil() throws { array.items.append(.null) }
        mutating func encode(_ value: Bool) throws { array.items.append(.bool(value)) }
        mutating func encode(_ value: String) throws { array.items.append(.string(value)) }
        mutating func encode(_ value: Double) throws { array.items.append(.double(value)) }
        mutating func encode(_ value: Float) throws { array.items.append(ReportJSONWriter.float(value)) }
        mutating func encode(_ value: Int) throws { array.items.append(.int(value)) }
        mutating func encode(_ value: Int8) throws { array.items.append(.int(Int(value))) }
        mutating func encode(_ value: Int16) throws { array.items.append(.int(Int(value))) }
        mutating func encode(_ value: Int32) throws { array.items.append(.int(Int(value))) }
        mutating func encode(_ value: Int64) throws { array.items.append(.int(Int(value))) }
        mutating func encode(_ value: UInt) throws { array.items.append(.number(value.description)) }
        mutating func encode(_ value: UInt8) throws { array.items.append(.int(Int(value))) }
        mutating func encode(_ value: UInt16) throws { array.items.append(.int(Int(value))) }
        mutating func encode(_ value: UInt32) throws { array.items.append(.int(Int(value))) }
        mutating func encode(_ value: UInt64) throws { array.items.append(.number(value.description)) }
        mutating func encode<T: Encodable>(_ value: T) throws { array.items.append(try Encoder.node(value)) }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            let o = Object()
            array.items.append(.object(o))
            return KeyedEncodingContainer(Keyed<NestedKey>(object: o))
        }

        mutating func nestedUnkeyedContainer() -> UnkeyedEncodingContainer {
            let a = Array()
            array.items.append(.array(a))
            return Unkeyed(array: a)
        }

        mutating func superEncoder() -> Swift.Encoder {
            let e = Encoder()
            array.items.append(.deferred(e))
            return e
        }
    }

    struct Single: SingleValueEncodingContainer {
        let encoder: Encoder
        var codingPath: [CodingKey] { [] }

        mutating func encodeNil() throws { encoder.node = .null }
        mutating func encode(_ value: Bool) throws { encoder.node = .bool(value) }
        mutating func encode(_ value: String) throws { encoder.node = .string(value) }
        mutating func encode(_ value: Double) throws { encoder.node = .double(value) }
        mutating func encode(_ value: Float) throws { encoder.node = ReportJSONWriter.float(value) }
        mutating func encode(_ value: Int) throws { encoder.node = .int(value) }
        mutating func encode(_ value: Int8) throws { encoder.node = .int(Int(value)) }
        mutating func encode(_ value: Int16) throws { encoder.node = .int(Int(value)) }
        mutating func encode(_ value: Int32) throws { encoder.node = .int(Int(value)) }
        mutating func encode(_ value: Int64) throws { encoder.node = .int(Int(value)) }
        mutating func encode(_ value: UInt) throws { encoder.node = .number(value.description) }
        mutating func encode(_ value: UInt8) throws { encoder.node = .int(Int(value)) }
        mutating func encode(_ value: UInt16) throws { encoder.node = .int(Int(value)) }
        mutating func encode(_ value: UInt32) throws { encoder.node = .int(Int(value)) }
        mutating func encode(_ value: UInt64) throws { encoder.node = .number(value.description) }
        mutating func encode<T: Encodable>(_ value: T) throws { encoder.node = try Encoder.node(value) }
    }

    /// A `Float` as the encoder writes it.
    static func float(_ value: Float) -> Node {
        if value.isNaN { return .string("NaN") }
        if value.isInfinite { return .string(value < 0 ? "-Infinity" : "Infinity") }
        var s = value.description
        if s.hasSuffix(".0") { s.removeLast(2) }
        return .number(s)
    }

    // MARK: Writing the tree

    /// The bytes written and not yet handed on.
    private(set) var bytes: [UInt8] = []
    /// Where pieces go (see ``write(_:names:to:)``).
    private let sink: (String) -> Void

    private init(sink: @escaping (String) -> Void) {
        self.sink = sink
        bytes.reserveCapacity(1 << 16)
    }

    /// Writes `value` as ``ReportRenderer/encodedJSON(_:)`` does, followed by a line feed, to `sink` in pieces:
    /// the text before an event-name list's first element, each run of `namesPerPiece` elements (after the first
    /// run starting with the `,\n` before its first element), and the rest (all of it in one piece without a
    /// non-empty event-name list). Throws ``Unsupported`` before writing anything when the value holds a type the
    /// writer leaves to the encoder.
    static func write<T: Encodable>(_ value: T, namesPerPiece: Int, to sink: @escaping (String) -> Void) throws {
        let root = try Encoder.node(value)
        var w = ReportJSONWriter(sink: sink)
        try w.value(root, depth: 0, namesPerPiece: namesPerPiece)
        w.bytes.append(0x0A)
        w.flush()
    }

    /// Hands the bytes written so far to the sink.
    private mutating func flush() {
        guard !bytes.isEmpty else { return }
        sink(String(decoding: bytes, as: UTF8.self))
        bytes.removeAll(keepingCapacity: true)
    }

    @inline(__always)
    private mutating func indent(_ depth: Int) {
        for _ in 0 ..< depth { bytes.append(0x20); bytes.append(0x20) }
    }

    private mutating func value(_ node: Node, depth: Int, namesPerPiece: Int) throws {
        switch node {
        case .null: append("null")
        case .bool(let b): append(b ? "true" : "false")
        case .int(let i): integer(i)
        case .double(let d): double(d)
        case .number(let s): append(s)
        case .string(let s): string(s)
        case .deferred(let e): try value(e.node ?? .object(Object()), depth: depth, namesPerPiece: namesPerPiece)
        case .array(let a):
            guard !a.items.isEmpty else { append("[]"); return }
            bytes.append(UInt8(ascii: "["))
            for (i, item) in a.items.enumerated() {
                bytes.append(contentsOf: i == 0 ? [0x0A] : [0x2C, 0x0A])
                indent(depth + 1)
                try value(item, depth: depth + 1, namesPerPiece: namesPerPiece)
            }
            bytes.append(0x0A)
            indent(depth)
            bytes.append(UInt8(ascii: "]"))
        case .names(let names):
            guard !names.isEmpty else { append("[]"); return }
            // The elements share one type, so a type the writer leaves to the encoder throws here, before
            // anything is handed to the sink (the caller's fallback then writes the whole document once).
            _ = try Encoder.node(names[0])
            bytes.append(UInt8(ascii: "["))
            bytes.append(0x0A)
            flush()
            for i in 0 ..< names.count {
                if i > 0 {
                    if i % namesPerPiece == 0 { flush() }
                    bytes.append(0x2C)
                    bytes.append(0x0A)
                }
                indent(depth + 1)
                try value(try Encoder.node(names[i]), depth: depth + 1, namesPerPiece: namesPerPiece)
            }
            flush()
            bytes.append(0x0A)
            indent(depth)
            bytes.append(UInt8(ascii: "]"))
        case .object(let o):
            let n = o.keys.count
            guard n > 0 else { append("{}"); return }
            // Members by the UTF-8 bytes of their keys (distinct after `set`, so the order is total and the sort's
            // stability does not matter; O(n log n) for a dictionary with a member per name in the store).
            var order = Swift.Array(0 ..< n)
            order.sort { Self.precedes(o.keys[$0], o.keys[$1]) }
            bytes.append(UInt8(ascii: "{"))
            for (k, i) in order.enumerated() {
                bytes.append(contentsOf: k == 0 ? [0x0A] : [0x2C, 0x0A])
                indent(depth + 1)
                string(o.keys[i])
                bytes.append(contentsOf: [0x20, 0x3A, 0x20])
                try value(o.values[i], depth: depth + 1, namesPerPiece: namesPerPiece)
            }
            bytes.append(0x0A)
            indent(depth)
            bytes.append(UInt8(ascii: "}"))
        }
    }

    /// Whether `a`'s UTF-8 bytes come before `b`'s (a proper prefix first).
    static func precedes(_ a: String, _ b: String) -> Bool {
        var a = a, b = b
        return a.withUTF8 { pa in
            b.withUTF8 { pb in
                let n = min(pa.count, pb.count)
                if n > 0 {
                    let c = memcmp(pa.baseAddress!, pb.baseAddress!, n)
                    if c != 0 { return c < 0 }
                }
                return pa.count < pb.count
            }
        }
    }

    @inline(__always)
    private mutating func append(_ s: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    private mutating func append(_ s: String) {
        var s = s
        s.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// `i` in decimal, as `Int.description` writes it.
    private mutating func integer(_ i: Int) {
        if i == Int.min { append("-9223372036854775808"); return }
        var v = i
        if v < 0 { bytes.append(UInt8(ascii: "-")); v = -v }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for 19 digits
        withUnsafeMutableBytes(of: &digits) { buf in
            var at = 24
            repeat {
                at -= 1
                buf[at] = UInt8(truncatingIfNeeded: v % 10) + 0x30
                v /= 10
            } while v > 0
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buf[at...]))
        }
    }

    /// `d` as the encoder writes a `Double`: its `description` without a trailing `.0`; integral values below
    /// 2^53 in magnitude as integers (the same text); non-finite values as strings.
    private mutating func double(_ d: Double) {
        guard d.isFinite else {
            append(d.isNaN ? "\"NaN\"" : d < 0 ? "\"-Infinity\"" : "\"Infinity\"")
            return
        }
        if d == d.rounded(.towardZero), abs(d) < 9_007_199_254_740_992 {
            // `description` writes integral values below 2^53 as digits plus `.0` (1e16 and above in exponent form,
            // beyond this range): the integer's digits; -0.0 is `-0`.
            if d == 0, d.sign == .minus { append("-0"); return }
            if abs(d) < 1e16 { integer(Int(d)); return }
        }
        var s = d.description
        if s.hasSuffix(".0") { s.removeLast(2) }
        append(s)
    }

    /// `s` as a JSON string: the encoder's escapes, then ``UnsafeText``'s list as `\uxxxx`.
    private mutating func string(_ s: String) {
        bytes.append(0x22)
        var s = s
        s.withUTF8 { u in
            let n = u.count
            var mark = 0, i = 0
            while i < n {
                let b = u[i]
                if b >= 0x20, b < 0x7F, b != 0x22, b != 0x5C { i += 1; continue }
                if i > mark { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: u[mark ..< i])) }
                if b < 0x80 {
                    switch b {
                    case 0x22: bytes.append(0x5C); bytes.append(0x22)
                    case 0x5C: bytes.append(0x5C); bytes.append(0x5C)
                    case 0x08: bytes.append(0x5C); bytes.append(UInt8(ascii: "b"))
                    case 0x0C: bytes.append(0x5C); bytes.append(UInt8(ascii: "f"))
                    case 0x0A: bytes.append(0x5C); bytes.append(UInt8(ascii: "n"))
                    case 0x0D: bytes.append(0x5C); bytes.append(UInt8(ascii: "r"))
                    case 0x09: bytes.append(0x5C); bytes.append(UInt8(ascii: "t"))
                    default: hex4(UInt32(b))  // other C0 controls and DEL
                    }
                    i += 1
                } else {
                    // A scalar of 2–4 bytes (the text is valid UTF-8: it is a String).
                    let len = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2
                    var v = UInt32(b) & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07)
                    for k in 1 ..< len { v = v << 6 | UInt32(u[i + k] & 0x3F) }
                    if UnsafeText.isUnsafe(v) {
                        if v > 0xFFFF {
                            let w = v - 0x10000
                            hex4(0xD800 + (w >> 10))
                            hex4(0xDC00 + (w & 0x3FF))
                        } else {
                            hex4(v)
                        }
                    } else {
                        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: u[i ..< i + len]))
                    }
                    i += len
                }
                mark = i
            }
            if n > mark { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: u[mark ..< n])) }
        }
        bytes.append(0x22)
    }

    /// `\u` and four lower-case hex digits.
    @inline(__always)
    private mutating func hex4(_ v: UInt32) {
        let digits: StaticString = "0123456789abcdef"
        let p = digits.utf8Start
        bytes.append(0x5C)
        bytes.append(UInt8(ascii: "u"))
        bytes.append(p[Int(v >> 12 & 0xF)])
        bytes.append(p[Int(v >> 8 & 0xF)])
        bytes.append(p[Int(v >> 4 & 0xF)])
        bytes.append(p[Int(v & 0xF)])
    }
}
