/// Why a figure of a published report is withheld (see docs/PRIVACY.md).
public enum Suppression: UInt8, Sendable, Equatable, Hashable, Codable {
    /// The figure is shown.
    case shown
    /// A count of persons (or of events, which involve at most as many persons) in 1 ..< k: shown as `<k`.
    case belowMinimum
    /// Withheld because it would let a reader work out a figure below k (for instance the third of
    /// granted/denied/unknown, which add up to the persons shown): shown as `hidden`.
    case complementary
    /// A share, rate or score computed from a withheld count: shown as `hidden`.
    case derived

    /// The reason as JSON writes it next to `"suppressed": true`.
    public var jsonReason: String {
        switch self {
        case .shown: return "shown"
        case .belowMinimum: return "below_minimum"
        case .complementary: return "complementary"
        case .derived: return "derived"
        }
    }

    init?(jsonReason: String) {
        switch jsonReason {
        case "below_minimum": self = .belowMinimum
        case "complementary": self = .complementary
        case "derived": self = .derived
        default: return nil
        }
    }

    /// True unless the figure is shown.
    @inlinable public var isSuppressed: Bool { self != .shown }

    /// How text, CSV and the dashboard write a withheld figure: `<5` for ``belowMinimum`` (with `k` = 5),
    /// `hidden` for the others; nil when the figure is shown.
    public func label(minCohort k: Int) -> String? {
        switch self {
        case .shown: return nil
        case .belowMinimum: return "<\(max(1, k))"
        case .complementary, .derived: return "hidden"
        }
    }
}

/// A report figure that the privacy pass may withhold.
///
/// The Swift value keeps its plain type (`report.segments[0].size` is still an `Int`), so code that
/// only reads figures needs no change; the projection (`segment.$size`) tells whether it is withheld.
/// In a published report a withheld figure's value is zero (`nil` for optionals), so code that forgets
/// to look at the projection can never show the real value. JSON writes a withheld figure as
/// `{"suppressed": true, "reason": "below_minimum"}` (or `complementary`, `derived`) in place of the number
/// and reads it back the same way (a marker without a reason reads as `below_minimum`).
@propertyWrapper
public struct Suppressible<Value: Codable & Sendable & Equatable>: Codable, Sendable, Equatable {
    public var wrappedValue: Value
    /// Whether (and why) the figure is withheld.
    public var projectedValue: Suppression

    public init(wrappedValue: Value) {
        self.wrappedValue = wrappedValue
        projectedValue = .shown
    }

    public init(wrappedValue: Value, suppression: Suppression) {
        self.wrappedValue = wrappedValue
        projectedValue = suppression
    }

    public func encode(to encoder: Encoder) throws {
        if projectedValue.isSuppressed {
            var c = encoder.container(keyedBy: SuppressedKey.self)
            try c.encode(true, forKey: .suppressed)
            try c.encode(projectedValue.jsonReason, forKey: .reason)
        } else {
            try wrappedValue.encode(to: encoder)
        }
    }

    public init(from decoder: Decoder) throws {
        let marker = try? decoder.container(keyedBy: SuppressedKey.self)
        if let marker, (try? marker.decode(Bool.self, forKey: .suppressed)) == true {
            let reason = (try? marker.decode(String.self, forKey: .reason)).flatMap(Suppression.init(jsonReason:))
            self.init(wrappedValue: try Value.zeroForSuppressed(), suppression: reason ?? .belowMinimum)
        } else {
            self.init(wrappedValue: try Value(from: decoder))
        }
    }
}

/// A keyed group of figures (reachable persons per category, coverage per category): each entry may be
/// withheld on its own. The projection holds the withheld keys and why.
@propertyWrapper
public struct SuppressibleMap<Value: Codable & Sendable & Equatable>: Codable, Sendable, Equatable {
    public var wrappedValue: [String: Value]
    /// The withheld keys; keys not listed are shown.
    public var projectedValue: [String: Suppression]

    public init(wrappedValue: [String: Value]) {
        self.wrappedValue = wrappedValue
        projectedValue = [:]
    }

    /// Whether the entry for `key` is withheld.
    public func suppression(_ key: String) -> Suppression { projectedValue[key] ?? .shown }

    public func encode(to encoder: Encoder) throws {
        var out: [String: Suppressible<Value>] = [:]
        for (k, v) in wrappedValue { out[k] = Suppressible(wrappedValue: v, suppression: projectedValue[k] ?? .shown) }
        try out.encode(to: encoder)
    }

    public init(from decoder: Decoder) throws {
        let all = try [String: Suppressible<Value>](from: decoder)
        wrappedValue = all.mapValues(\.wrappedValue)
        projectedValue = all.compactMapValues { $0.projectedValue.isSuppressed ? $0.projectedValue : nil }
    }
}

struct SuppressedKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
    static let suppressed = SuppressedKey(stringValue: "suppressed")
    static let reason = SuppressedKey(stringValue: "reason")
}

/// The value a withheld figure holds in Swift: zero, or nil for optionals.
public protocol SuppressibleZero { static var suppressedZero: Self { get } }
extension Int: SuppressibleZero { public static var suppressedZero: Int { 0 } }
extension Double: SuppressibleZero { public static var suppressedZero: Double { 0 } }
extension Optional: SuppressibleZero { public static var suppressedZero: Optional { nil } }

extension Decodable {
    static func zeroForSuppressed() throws -> Self {
        if let z = Self.self as? SuppressibleZero.Type, let v = z.suppressedZero as? Self { return v }
        throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "a suppressed value of an unsupported type"))
    }
}
