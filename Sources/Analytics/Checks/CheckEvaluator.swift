/// The result of one rule against a report.
public struct RuleResult: Sendable, Equatable {
    public var rule: CheckRule
    public var status: CheckStatus
    /// The figure's value (nil when it could not be found or does not exist).
    public var value: Double?
    /// The figure's unit when it was found.
    public var unit: FigureUnit?
    /// One line for people: `consent.Personalization.coverage = 0.512 (51.2%), not >= 0.55`.
    public var message: String

    public init(rule: CheckRule, status: CheckStatus, value: Double?, unit: FigureUnit?, message: String) {
        self.rule = rule; self.status = status; self.value = value; self.unit = unit; self.message = message
    }
}

/// Every rule's result and the overall status.
public struct CheckOutcome: Sendable, Equatable {
    public var results: [RuleResult]

    public init(results: [RuleResult]) { self.results = results }

    /// The worst status of all rules (OK < WARNING < UNKNOWN < CRITICAL); UNKNOWN without rules.
    public var status: CheckStatus {
        guard !results.isEmpty else { return .unknown }
        return results.map(\.status).max() ?? .ok
    }
}

/// Evaluates threshold rules against a report. Pure.
public enum CheckEvaluator {
    public static func evaluate(_ rules: [CheckRule], report: Report) -> CheckOutcome {
        let tree = FigureNode.of(report)
        let k = report.privacy.minCohort
        return CheckOutcome(results: rules.map { evaluate($0, tree: tree, minCohort: k) })
    }

    /// - Parameter minCohort: the privacy guard's k, for the message about a withheld figure.
    public static func evaluate(_ rule: CheckRule, tree: FigureNode, minCohort: Int = 0) -> RuleResult {
        let figure: Figure
        switch tree.resolve(rule.path) {
        case .failure(let e):
            return RuleResult(rule: rule, status: .unknown, value: nil, unit: nil, message: e.message)
        case .success(let f):
            figure = f
        }
        let path = rule.path.description
        if let label = figure.withheld.label(minCohort: minCohort) {
            let why = figure.withheld == .belowMinimum
                ? "it counts fewer than \(max(1, minCohort)) persons"
                : "it would reveal a count of fewer than \(max(1, minCohort)) persons"
            return RuleResult(rule: rule, status: .unknown, value: nil, unit: figure.unit,
                              message: "\(path) is withheld by the privacy guard (\(label): \(why)); to check it, run with --min-cohort 0")
        }
        if rule.threshold.kind == .duration && figure.unit != .seconds {
            return RuleResult(rule: rule, status: .unknown, value: figure.value, unit: figure.unit,
                              message: "\(path) is \(figure.unit.noun), but `\(rule.threshold.text)` is a duration; compare it with a number")
        }
        if rule.threshold.kind == .percent && figure.unit != .fraction {
            return RuleResult(rule: rule, status: .unknown, value: figure.value, unit: figure.unit,
                              message: "\(path) is \(figure.unit.noun), but `\(rule.threshold.text)` is a percentage; compare it with a number")
        }
        guard let value = figure.value else {
            return RuleResult(rule: rule, status: .unknown, value: nil, unit: figure.unit,
                              message: "\(path) has no value (\(figure.absentBecause)), so `\(rule.op.rawValue) \(rule.threshold.text)` cannot be checked")
        }
        let holds = rule.op.holds(value, rule.threshold.value)
        let shown = CheckFormat.value(value, unit: figure.unit, comparedBy: rule.op, with: rule.threshold.value)
        let wanted = "\(rule.op.rawValue) \(CheckFormat.threshold(rule.threshold))"
        if holds {
            return RuleResult(rule: rule, status: .ok, value: value, unit: figure.unit,
                              message: "\(path) = \(shown) \(wanted)")
        }
        return RuleResult(rule: rule, status: rule.level.failureStatus, value: value, unit: figure.unit,
                          message: "\(path) = \(shown), not \(wanted)")
    }
}

/// How check output writes numbers.
public enum CheckFormat {
    /// A number in plain decimal notation, never with an exponent (`0.00001`, `1500000`), shortest
    /// round-trip digits; integral values without a fraction. As performance data requires.
    public static func plain(_ x: Double) -> String {
        guard x.isFinite else { return x.isNaN ? "NaN" : (x < 0 ? "-Inf" : "Inf") }
        if x == 0 { return "0" }
        if x.rounded(.towardZero) == x, abs(x) < 9.0e15 { return String(Int64(x)) }
        let text = "\(x)"
        guard let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) else { return text }
        // Expand d.ddde±N.
        let negative = text.hasPrefix("-")
        let mantissa = text[text.index(text.startIndex, offsetBy: negative ? 1 : 0)..<e]
        guard let exponent = Int(text[text.index(after: e)...]) else { return text }
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        let intPart = String(parts[0])
        let fracPart = parts.count > 1 ? String(parts[1]) : ""
        var digits = intPart + fracPart
        var point = intPart.count + exponent  // position of the decimal point in `digits`
        while digits.hasPrefix("0") && digits.count > 1 { digits.removeFirst(); point -= 1 }
        var out: String
        if point <= 0 {
            out = "0." + String(repeating: "0", count: -point) + digits
        } else if point >= digits.count {
            out = digits + String(repeating: "0", count: point - digits.count)
        } else {
            out = String(digits.prefix(point)) + "." + String(digits.dropFirst(point))
        }
        if out.contains(".") {
            while out.hasSuffix("0") { out.removeLast() }
            if out.hasSuffix(".") { out.removeLast() }
        }
        return (negative ? "-" : "") + out
    }

    /// A value for people: fractions with three decimals (as the report rounds them) and a percentage,
    /// scores with one decimal, durations in seconds and as the dashboard writes them (`810000s (9d 9h)`).
    /// When `op` and `threshold` are given, more decimals are shown where rounding would make the value
    /// look as if it compared otherwise (0.6666… against `>= 0.6667` is `0.66667`, never `0.667`).
    /// Performance data keeps full precision (``plain(_:)``).
    public static func value(_ x: Double, unit: FigureUnit, comparedBy op: RuleOperator? = nil,
                             with threshold: Double? = nil) -> String {
        switch unit {
        case .fraction: return "\(rounded(x, decimals: 3, op, threshold)) (\(NumberFormat.percent(x)))"
        case .seconds: return "\(plain(x))s (\(duration(x)))"
        case .score: return rounded(x, decimals: 1, op, threshold)
        case .count: return plain(x)
        case .hours: return "\(plain(x))h"
        }
    }

    /// `x` with at least `decimals` decimals (trailing zeros dropped), more while the rounded value would
    /// compare with `threshold` differently from `x` itself (or equal it when `x` does not).
    public static func rounded(_ x: Double, decimals: Int, _ op: RuleOperator? = nil, _ threshold: Double? = nil) -> String {
        guard x.isFinite else { return plain(x) }
        for d in decimals...17 {
            var s = NumberFormat.fixed(x, d)
            if s.contains(".") {
                while s.hasSuffix("0") { s.removeLast() }
                if s.hasSuffix(".") { s.removeLast() }
            }
            if s == "-0" { s = "0" }
            guard let op, let threshold, let shown = Double(s) else { return s }
            if op.holds(shown, threshold) == op.holds(x, threshold) && (shown == threshold) == (x == threshold) { return s }
        }
        return plain(x)
    }

    /// A duration as the dashboard writes it: `45s`, `12m 5s`, `3h 12m`, `9d 9h`, `7d` (negative with `-`).
    public static func duration(_ seconds: Double) -> String {
        DurationText.short(seconds)
    }

    /// A threshold as written, with its value when that differs (`15m` → `15m (900s)`).
    public static func threshold(_ t: Threshold) -> String {
        switch t.kind {
        case .number: return t.text
        case .percent: return "\(t.text) (\(plain(t.value)))"
        case .duration: return "\(t.text) (\(plain(t.value))s)"
        }
    }
}
