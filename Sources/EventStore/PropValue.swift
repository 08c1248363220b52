/// A scalar JSON value packed into 8 bytes, so property columns stay compact.
///
/// Numbers are stored as their IEEE-754 bit pattern; everything else lives in the
/// negative quiet-NaN space (a JSON number can never be NaN), tagged by the top 16 bits.
/// Strings are ids into the table's ``Interner``.
public struct PropValue: Hashable, Sendable, BitwiseCopyable, CustomStringConvertible {
    public let bits: UInt64

    @inlinable init(bits: UInt64) { self.bits = bits }

    @usableFromInline static let tagMissing: UInt64 = 0xFFF9
    @usableFromInline static let tagNull: UInt64 = 0xFFFA
    @usableFromInline static let tagBool: UInt64 = 0xFFFB
    @usableFromInline static let tagString: UInt64 = 0xFFFC
    @usableFromInline static let tagComposite: UInt64 = 0xFFFD

    /// The property is absent from the event.
    public static let missing = PropValue(bits: tagMissing << 48)
    /// JSON `null`.
    public static let null = PropValue(bits: tagNull << 48)
    /// An array or an object (earshot does not compare these; conditions on them are false).
    public static let composite = PropValue(bits: tagComposite << 48)
    public static func bool(_ b: Bool) -> PropValue { PropValue(bits: tagBool << 48 | (b ? 1 : 0)) }
    public static func string(_ id: Int32) -> PropValue { PropValue(bits: tagString << 48 | UInt64(UInt32(bitPattern: id))) }
    public static func number(_ d: Double) -> PropValue {
        // Canonicalise -0 to 0 so equal numbers have equal bits.
        PropValue(bits: (d == 0 ? 0.0 : d).bitPattern)
    }

    /// What kind of JSON value this is.
    public enum Kind: UInt8, Sendable { case missing, null, bool, number, string, composite }

    @inlinable var tag: UInt64 { bits >> 48 }

    public var kind: Kind {
        switch tag {
        case Self.tagMissing: return .missing
        case Self.tagNull: return .null
        case Self.tagBool: return .bool
        case Self.tagString: return .string
        case Self.tagComposite: return .composite
        default: return .number
        }
    }

    public var isMissing: Bool { bits == Self.missing.bits }
    /// The number, when this is a number.
    public var number: Double? { kind == .number ? Double(bitPattern: bits) : nil }
    /// The interned string id, when this is a string.
    public var stringID: Int32? { tag == Self.tagString ? Int32(bitPattern: UInt32(truncatingIfNeeded: bits)) : nil }
    /// The boolean, when this is a boolean.
    public var bool: Bool? { tag == Self.tagBool ? (bits & 1) == 1 : nil }

    public var description: String {
        switch kind {
        case .missing: return "missing"
        case .null: return "null"
        case .bool: return bool! ? "true" : "false"
        case .number: return "\(number!)"
        case .string: return "string#\(stringID!)"
        case .composite: return "composite"
        }
    }
}

/// A scalar JSON value as the line parser hands it over, before interning.
public enum ScalarValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    /// An array or object.
    case composite
}
