/// The privacy guards in force: on by default everywhere (dashboard, report, check, exports).
public struct PrivacyPolicy: Sendable, Equatable, Hashable {
    /// The default minimum cohort size.
    public static let defaultMinCohort = 5

    /// Counts of persons in 1 ..< `minCohort` are withheld (`--min-cohort K`); 0 turns the guard off.
    public var minCohort: Int
    /// Personal data (e-mail addresses, phone numbers, IP addresses, street addresses, names) is shown
    /// as it is (`--reveal`) instead of masked.
    public var revealPII: Bool
    /// Further trait keys whose values are personal data (the configuration's `pii_fields`, e.g.
    /// `traits.nickname`), masked like names wherever rules quote them.
    public var piiFields: [String]

    public init(minCohort: Int = PrivacyPolicy.defaultMinCohort, revealPII: Bool = false, piiFields: [String] = []) {
        self.minCohort = max(0, minCohort); self.revealPII = revealPII; self.piiFields = piiFields
    }

    /// The default: k = 5, personal data masked.
    public static let standard = PrivacyPolicy()
    /// No guard at all (tests and raw computations).
    public static let off = PrivacyPolicy(minCohort: 0, revealPII: true)

    /// Whether a count in 1 ..< k is to be withheld.
    @inlinable public func isSmall(_ count: Int) -> Bool { count > 0 && count < minCohort }
}

/// What the privacy pass did to a report: written into the report so every reader (JSON, text, CSV,
/// dashboard, exports) knows how to show withheld figures.
public struct PrivacySummary: Codable, Sendable, Equatable {
    /// False for a report that did not go through ``Privacy/publish(_:policy:)`` (a raw report).
    public var applied: Bool = false
    /// The minimum cohort size k (0 = no suppression).
    public var minCohort: Int = 0
    /// Whether personal data was masked.
    public var piiMasked: Bool = false
    /// How many figures were withheld.
    public var suppressedValues: Int = 0

    public init(applied: Bool = false, minCohort: Int = 0, piiMasked: Bool = false, suppressedValues: Int = 0) {
        self.applied = applied; self.minCohort = minCohort; self.piiMasked = piiMasked; self.suppressedValues = suppressedValues
    }

    /// The text for a withheld figure (`<5`, `hidden`), nil when it is shown.
    public func label(_ suppression: Suppression) -> String? { suppression.label(minCohort: minCohort) }

    enum CodingKeys: String, CodingKey {
        case applied
        case minCohort = "min_cohort"
        case piiMasked = "pii_masked"
        case suppressedValues = "suppressed_values"
    }
}

extension PrivacySummary: FigureList {
    public static let figures: [FigureDescriptor<PrivacySummary>] = [
        .count("min_cohort", \.minCohort, privacy: .audit, help: "Counts of fewer persons than this are withheld (0: none are).",
               metric: .init("min_cohort")),
        .count("suppressed_values", \.suppressedValues, privacy: .audit,
               help: "Figures withheld by the privacy guard (their samples are left out).", metric: .init("suppressed_values")),
    ]
    public static let attributes: [ReportAttribute<PrivacySummary>] = [.init("applied", \.applied), .init("pii_masked", \.piiMasked)]
    public func encode(to encoder: Encoder) throws { try encodeReport(to: encoder) }
}
