/// The comparison of a rule: the figure must satisfy it for the rule to pass.
public enum RuleOperator: String, Sendable, Equatable, CaseIterable {
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
    case equal = "=="
    case notEqual = "!="

    /// Whether `value` (left) compares to `threshold` (right) as the operator says.
    public func holds(_ value: Double, _ threshold: Double) -> Bool {
        switch self {
        case .less: value < threshold
        case .lessOrEqual: value <= threshold
        case .greater: value > threshold
        case .greaterOrEqual: value >= threshold
        case .equal: value == threshold
        case .notEqual: value != threshold
        }
    }

    /// The same rule in a Nagios threshold range (the values that *alert*), for performance data.
    ///
    /// Nagios ranges are inclusive, so the strict operators `<` and `>` are written with the same
    /// bound as `<=` and `>=` (the threshold value itself is the only difference).
    public func nagiosRange(_ threshold: String) -> String {
        switch self {
        case .greater, .greaterOrEqual: "\(threshold):"          // alert below
        case .less, .lessOrEqual: "~:\(threshold)"              // alert above
        case .equal: "\(threshold):\(threshold)"                // alert outside
        case .notEqual: "@\(threshold):\(threshold)"            // alert inside
        }
    }
}
