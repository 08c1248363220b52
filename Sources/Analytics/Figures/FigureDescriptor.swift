/// How the privacy pass treats a figure (docs/PRIVACY.md).
public enum FigurePrivacy: String, Sendable, Equatable, CaseIterable {
    /// A count of persons: withheld when in 1 ..< k.
    case persons
    /// A count of events that describe persons (prompts, answers, dismissals): fewer than k events come from
    /// fewer than k persons, so it is withheld when in 1 ..< k too.
    case events
    /// A share, rate, time or score computed from guarded counts: withheld with them (never on its own).
    case derived
    /// A pipeline count that audits the data rather than describes persons (files, lines, events read,
    /// duplicates, malformed lines, the response window): always exact.
    case audit

    /// Whether the privacy pass guards the figure's own value against 1 ..< k.
    public var isGuardedCount: Bool { self == .persons || self == .events }
}

/// A figure's value as read from its struct: a whole count or a number that may be absent.
public enum FigureValue: Sendable, Equatable {
    case count(Int)
    case number(Double?)

    /// The value as a number; nil when absent.
    public var double: Double? {
        switch self {
        case .count(let n): Double(n)
        case .number(let x): x
        }
    }
}

/// One value of a figure: a plain figure has one (``subkey`` nil); a keyed figure (reachable persons per
/// consent category) has one per key, sorted by key.
public struct FigureSample: Sendable, Equatable {
    /// The key within a keyed figure (`Marketing`), nil for a plain figure.
    public var subkey: String?
    public var value: FigureValue
    /// Whether (and why) the privacy pass withheld the value.
    public var withheld: Suppression
}

/// The types a figure's stored value can have.
public protocol FigureNumber: Codable, Sendable, Equatable {
    /// The value as a ``FigureValue``.
    var figureValue: FigureValue { get }
    /// The value a withheld figure holds in Swift: zero, or nil.
    static var withheldValue: Self { get }
}

extension Int: FigureNumber {
    public var figureValue: FigureValue { .count(self) }
    public static var withheldValue: Int { 0 }
}

extension Double: FigureNumber {
    public var figureValue: FigureValue { .number(self) }
    public static var withheldValue: Double { 0 }
}

extension Optional: FigureNumber where Wrapped == Double {
    public var figureValue: FigureValue { .number(self) }
    public static var withheldValue: Double? { nil }
}

/// How a figure is exported as a Prometheus metric family (docs/ONCALL.md).
public struct PrometheusMetric: Sendable, Equatable {
    /// The family name after the section's prefix (`prompts` → `earshot_feedback_prompts`); empty: the prefix itself.
    /// The `# HELP` text is the figure's ``FigureDescriptor/help``.
    public var name: String
    /// Fixed labels of this figure's samples (`state="granted"`), after the entry's own labels.
    public var labels: [(String, String)]
    /// The label that names the key of a keyed figure (`category`).
    public var keyLabel: String?
    /// Whether the samples carry the labels of the entry they belong to (false for a section-wide total
    /// among labelled figures, such as the consent audit's persons).
    public var entryLabels: Bool

    public init(_ name: String, labels: [(String, String)] = [], keyLabel: String? = nil, entryLabels: Bool = true) {
        self.name = name; self.labels = labels; self.keyLabel = keyLabel; self.entryLabels = entryLabels
    }

    public static func == (a: PrometheusMetric, b: PrometheusMetric) -> Bool {
        a.name == b.name && a.keyLabel == b.keyLabel && a.entryLabels == b.entryLabels
            && a.labels.map(\.0) == b.labels.map(\.0) && a.labels.map(\.1) == b.labels.map(\.1)
    }
}

/// One numeric figure of a report struct, declared once: its JSON key (which is also its CSV metric and its
/// `check` path component), how to read and withhold it, its unit, its privacy kind, its help text and its
/// Prometheus metric. Every output — JSON, CSV, Prometheus, the `check` figure tree and the privacy pass — walks
/// the struct's ``FigureList/figures``, so a figure added there appears everywhere.
///
/// Declare figures with the factories ``count(_:_:_:privacy:help:metric:withheldWith:)``,
/// ``fraction(_:_:_:absent:from:help:metric:)`` and their kin:
///
/// ```swift
/// extension LoopStats: FigureList {
///     public static let figures: [FigureDescriptor<LoopStats>] = [
///         .count("prompts", \.prompts, \.$prompts, privacy: .events, help: "Survey prompts {what}.",
///                metric: .init("prompts")),
///         .fraction("response_rate", \.responseRate, \.$responseRate, absent: "no prompts", from: ["prompts", "answered"],
///                   help: "Answered prompts divided by prompts (0 to 1), {what}."),
///     ]
/// }
/// ```
public struct FigureDescriptor<Root>: @unchecked Sendable {
    // @unchecked: the stored closures only capture key paths, which are immutable values.

    /// The JSON key, CSV metric and `check` path component (`response_rate`).
    public let key: String
    public let unit: FigureUnit
    public let privacy: FigurePrivacy
    /// What the figure means, one sentence (docs/DEFINITIONS.md has the full definition); `{what}` stands for
    /// the section it is shown in.
    public let help: String
    /// Why the value may be absent, for `check` messages (`no prompts`).
    public let absentBecause: String
    /// The Prometheus family, nil when the figure is not exported as a metric.
    public let metric: PrometheusMetric?
    /// For a guarded count: the count it is a part of (answered ⊂ prompts), withheld with it.
    public let withheldWith: String?
    /// For a derived figure: the figures it is computed from; it is withheld when one of them is.
    public let derivedFrom: [String]
    /// Whether the figure is keyed (one value per key).
    public let isKeyed: Bool
    /// For a keyed figure: what a key is (`consent category`) and what the figure is (`the reachable members`),
    /// for `check` messages.
    public let keyNoun: String
    public let keyedWhat: String

    let read: (Root) -> [FigureSample]
    let encodeJSON: (Root, inout KeyedEncodingContainer<FigureKey>) throws -> Void
    /// Sets the value to zero (nil) and the mark to the reason; nil for a figure that cannot be withheld.
    let withhold: ((inout Root, Suppression) -> Void)?

    /// The figure's values (one, or one per key).
    public func samples(of root: Root) -> [FigureSample] { read(root) }

    /// The value of a plain figure.
    public func value(of root: Root) -> FigureValue { read(root).first?.value ?? .number(nil) }

    /// Whether the plain figure is withheld.
    public func isWithheld(in root: Root) -> Bool { read(root).first?.withheld.isSuppressed ?? false }

    /// The help text with `{what}` replaced; with an empty `what` the placeholder goes with the space or comma
    /// before it (`Survey prompts {what}.` → `Survey prompts.`).
    public func help(what: String) -> String {
        guard what.isEmpty else { return help.replacingOccurrences(of: "{what}", with: what) }
        return help.replacingOccurrences(of: ", {what}", with: "").replacingOccurrences(of: " {what}", with: "")
            .replacingOccurrences(of: "{what}", with: "")
    }
}

extension FigureDescriptor {
    /// A plain figure stored as `value` (an `Int`, `Double` or `Double?`) with an optional privacy mark.
    public init<V: FigureNumber>(_ key: String, unit: FigureUnit, _ value: WritableKeyPath<Root, V>,
                                 _ mark: WritableKeyPath<Root, Suppression>? = nil, privacy: FigurePrivacy,
                                 absent: String = "no value", help: String, metric: PrometheusMetric? = nil,
                                 withheldWith: String? = nil, derivedFrom: [String] = []) {
        self.key = key; self.unit = unit; self.privacy = privacy; self.help = help; self.absentBecause = absent
        self.metric = metric; self.withheldWith = withheldWith; self.derivedFrom = derivedFrom; isKeyed = false
        keyNoun = ""; keyedWhat = ""
        read = { r in [FigureSample(subkey: nil, value: r[keyPath: value].figureValue, withheld: mark.map { r[keyPath: $0] } ?? .shown)] }
        encodeJSON = { r, c in
            try c.encode(Suppressible(wrappedValue: r[keyPath: value], suppression: mark.map { r[keyPath: $0] } ?? .shown),
                         forKey: FigureKey(key))
        }
        withhold = mark.map { mark in
            { r, why in r[keyPath: value] = V.withheldValue; r[keyPath: mark] = why }
        }
    }

    /// A figure computed from others (`warnings` = the number of warnings): read-only, never withheld.
    public init<V: FigureNumber>(_ key: String, unit: FigureUnit, computed value: KeyPath<Root, V>, privacy: FigurePrivacy = .audit,
                                 absent: String = "no value", help: String, metric: PrometheusMetric? = nil) {
        self.key = key; self.unit = unit; self.privacy = privacy; self.help = help; self.absentBecause = absent
        self.metric = metric; withheldWith = nil; derivedFrom = []; isKeyed = false
        keyNoun = ""; keyedWhat = ""
        read = { r in [FigureSample(subkey: nil, value: r[keyPath: value].figureValue, withheld: .shown)] }
        encodeJSON = { r, c in try c.encode(r[keyPath: value], forKey: FigureKey(key)) }
        withhold = nil
    }

    /// A keyed figure (one value per key, each withheld on its own), stored with `@SuppressibleMap`.
    public init<V: FigureNumber>(_ key: String, unit: FigureUnit, keyed value: WritableKeyPath<Root, [String: V]>,
                                 _ marks: WritableKeyPath<Root, [String: Suppression]>, privacy: FigurePrivacy,
                                 noun: String, what: String, absent: String = "no value", help: String,
                                 metric: PrometheusMetric? = nil) {
        self.key = key; self.unit = unit; self.privacy = privacy; self.help = help; self.absentBecause = absent
        self.metric = metric; withheldWith = nil; derivedFrom = []; isKeyed = true
        keyNoun = noun; keyedWhat = what
        read = { r in
            let values = r[keyPath: value], m = r[keyPath: marks]
            return Set(values.keys).union(m.keys).sorted().map { k in
                FigureSample(subkey: k, value: (values[k] ?? V.withheldValue).figureValue, withheld: m[k] ?? .shown)
            }
        }
        encodeJSON = { r, c in
            var map = SuppressibleMap(wrappedValue: r[keyPath: value])
            map.projectedValue = r[keyPath: marks]
            try c.encode(map, forKey: FigureKey(key))
        }
        withhold = nil
    }

    /// A count (of persons or events, or an audit count).
    public static func count(_ key: String, _ value: WritableKeyPath<Root, Int>, _ mark: WritableKeyPath<Root, Suppression>? = nil,
                             privacy: FigurePrivacy, help: String, metric: PrometheusMetric? = nil,
                             withheldWith: String? = nil) -> Self {
        Self(key, unit: .count, value, mark, privacy: privacy, help: help, metric: metric, withheldWith: withheldWith)
    }

    /// A fraction 0…1 (a rate, a share, a coverage) computed from the counts `from`.
    public static func fraction<V: FigureNumber>(_ key: String, _ value: WritableKeyPath<Root, V>,
                                                 _ mark: WritableKeyPath<Root, Suppression>? = nil, absent: String,
                                                 from: [String] = [], help: String, metric: PrometheusMetric? = nil) -> Self {
        Self(key, unit: .fraction, value, mark, privacy: mark == nil ? .audit : .derived, absent: absent, help: help,
             metric: metric, derivedFrom: from)
    }

    /// A duration in seconds.
    public static func seconds<V: FigureNumber>(_ key: String, _ value: WritableKeyPath<Root, V>,
                                                _ mark: WritableKeyPath<Root, Suppression>? = nil, absent: String,
                                                from: [String] = [], help: String, metric: PrometheusMetric? = nil) -> Self {
        Self(key, unit: .seconds, value, mark, privacy: mark == nil ? .audit : .derived, absent: absent, help: help,
             metric: metric, derivedFrom: from)
    }
}

/// A JSON key given as text (the figure's key).
public struct FigureKey: CodingKey, Sendable, Equatable {
    public var stringValue: String
    public var intValue: Int? { nil }
    public init(_ s: String) { stringValue = s }
    public init(stringValue: String) { self.stringValue = stringValue }
    public init?(intValue: Int) { nil }
}
