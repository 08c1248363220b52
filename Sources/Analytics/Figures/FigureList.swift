/// A report struct that declares its figures once (docs/ARCHITECTURE.md, "Add a report figure").
///
/// The JSON encoding (``encodeReport(to:)``), the CSV rows (`CSVWriter.figures`), the Prometheus families
/// (`PrometheusRenderer`), the `check` figure tree (`FigureNode.group(_:_:)`) and the privacy pass
/// (`Privacy.Pass.guardFigures(_:)`) all walk ``figures``; `FigureListTests` checks that each output carries
/// every figure of every list.
public protocol FigureList: Encodable, FigureParent {
    /// The struct's figures, in report order (the order of CSV rows, `check` fields and Prometheus families).
    static var figures: [FigureDescriptor<Self>] { get }
    /// The JSON members that are not figures: names, text, flags and nested sections.
    static var attributes: [ReportAttribute<Self>] { get }
}

extension FigureList {
    /// Writes the struct as a JSON object: every attribute and every figure, absent values as `null`
    /// (docs/REPORT.md: every key of the schema is always present).
    public func encodeReport(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: FigureKey.self)
        for a in Self.attributes { try a.encode(self, &c) }
        for f in Self.figures { try f.encodeJSON(self, &c) }
    }

    /// Writes the struct as ``encodeReport(to:)`` does, with `"or_more": true` when `orMore`: the last row of a
    /// table whose last bucket holds that value or more (fatigue ordinal 5+, profile depth 4+); other rows have no
    /// `or_more` member.
    public func encodeReport(to encoder: Encoder, orMore: Bool) throws {
        if orMore {
            var c = encoder.container(keyedBy: FigureKey.self)
            try c.encode(true, forKey: FigureKey("or_more"))
        }
        try encodeReport(to: encoder)
    }

    /// The figure declared under `key`; a programming error when there is none.
    public static func figure(_ key: String) -> FigureDescriptor<Self> {
        guard let f = figures.first(where: { $0.key == key }) else { preconditionFailure("no figure \(key) in \(Self.self)") }
        return f
    }
}

/// A reference to one declared figure — its struct and JSON key — with its help text for a section (`{what}`
/// replaced). Texts shown elsewhere (the dashboard's `i` screen) refer to a figure this way instead of restating
/// what it means, so ``FigureDescriptor/help`` is the one place a figure's meaning is written.
public struct FigureRef: Sendable, Hashable, CustomStringConvertible {
    /// The report struct that declares the figure (`LoopStats`).
    public let owner: String
    /// The figure's JSON key (`response_rate`).
    public let key: String
    /// The figure's help with `{what}` replaced.
    public let help: String

    /// `LoopStats.response_rate`.
    public var description: String { "\(owner).\(key)" }
}

extension FigureList {
    /// A reference to the figure declared under `key`, its help read for the section `what`; a programming error
    /// when there is no such figure.
    public static func ref(_ key: String, what: String = "") -> FigureRef {
        FigureRef(owner: String(describing: Self.self), key: key, help: figure(key).help(what: what))
    }
}

/// A JSON member of a report struct that is not a figure (a name, a rule's text, a nested list).
public struct ReportAttribute<Root>: @unchecked Sendable {
    // @unchecked: the stored closure only captures a key path, an immutable value.

    /// The JSON key.
    public let key: String
    let encode: (Root, inout KeyedEncodingContainer<FigureKey>) throws -> Void

    /// The member `key` holding `value`; an absent optional is written as `null`.
    public init<V: Encodable>(_ key: String, _ value: KeyPath<Root, V>) {
        self.key = key
        encode = { r, c in try c.encode(r[keyPath: value], forKey: FigureKey(key)) }
    }
}

extension FigureDescriptor {
    /// The same figure read through `path` from an enclosing struct (a loop's outcomes, written flat into the loop).
    public func lifted<Outer>(through path: WritableKeyPath<Outer, Root>) -> FigureDescriptor<Outer> {
        let read = self.read, encodeJSON = self.encodeJSON, withhold = self.withhold
        return FigureDescriptor<Outer>(
            key: key, unit: unit, privacy: privacy, help: help, absentBecause: absentBecause, metric: metric,
            withheldWith: withheldWith, derivedFrom: derivedFrom, isKeyed: isKeyed, keyNoun: keyNoun, keyedWhat: keyedWhat,
            read: { read($0[keyPath: path]) },
            encodeJSON: { o, c in try encodeJSON(o[keyPath: path], &c) },
            withhold: withhold.map { w in { o, why in w(&o[keyPath: path], why) } })
    }
}
