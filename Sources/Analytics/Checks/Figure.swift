/// What kind of quantity a figure is: decides how values are shown and which thresholds fit.
public enum FigureUnit: Sendable, Equatable {
    /// A whole number of things (persons, events, prompts).
    case count
    /// A fraction 0…1 (rates, coverage, shares).
    case fraction
    /// A duration in seconds.
    case seconds
    /// A Net Promoter Score, −100…100.
    case score
    /// A number of hours (a loop's `open_older_than_hours`), compared with a plain number.
    case hours

    /// The noun used in messages.
    var noun: String {
        switch self {
        case .count: "a count"
        case .fraction: "a fraction 0…1"
        case .seconds: "a duration in seconds"
        case .score: "a score −100…100"
        case .hours: "a number of hours"
        }
    }
}

/// One numeric figure of the report.
public struct Figure: Sendable, Equatable {
    /// The value; nil when it does not exist (a rate without prompts).
    public var value: Double?
    public var unit: FigureUnit
    /// Why the value is absent, for the message (`no prompts`).
    public var absentBecause: String
    /// Whether the privacy guard withheld the figure (its value is then not the real one: never compare it).
    public var withheld: Suppression

    public init(value: Double?, unit: FigureUnit, absentBecause: String = "no value", withheld: Suppression = .shown) {
        self.value = value; self.unit = unit; self.absentBecause = absentBecause; self.withheld = withheld
    }

    static func count(_ n: Int, _ withheld: Suppression = .shown) -> Figure {
        Figure(value: Double(n), unit: .count, withheld: withheld)
    }
    static func fraction(_ x: Double?, absent: String, _ withheld: Suppression = .shown) -> Figure {
        Figure(value: x, unit: .fraction, absentBecause: absent, withheld: withheld)
    }
    static func seconds(_ x: Double?, absent: String, _ withheld: Suppression = .shown) -> Figure {
        Figure(value: x, unit: .seconds, absentBecause: absent, withheld: withheld)
    }
}

/// Why a path names no figure: which part is unknown and what exists there.
public struct FigureLookupError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The path as written.
    public var path: String
    /// Index of the component that failed.
    public var componentIndex: Int
    /// 1-based column of that component in the rule (1 when unknown).
    public var column: Int
    public var message: String

    public var description: String { message }
}
