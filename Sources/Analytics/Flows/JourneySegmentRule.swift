import EventStore
extension JourneyReport {
    /// A segment definition for the persons who took `path` (steps from the tree's root, as shown; `(other)`,
    /// `(left)` and `(start)` are left out) after (or, for `before` journeys, before) the entry:
    ///
    /// ```
    /// segment "After a baby email: baby → gifts":
    ///     did "Email Link Clicked" where category = "baby" then did page where section = "baby" then did page where section = "gifts" within 30m
    /// ```
    /// The steps become a `then … within` chain in time order, bounded by the journey's window, else by
    /// 30 minutes per step (the session gap): an approximation of the path that the rule language can say
    /// (it does not require the steps to be consecutive). Text ends with a line break.
    public func segmentRule(forPath path: [String]) -> String {
        let steps = path.filter { !JourneyMetrics.isSpecial($0) }
        let stepClauses = steps.map { step in
            by == JourneyStepKind.event.rawValue
                ? "did \(Self.quoted(step))"
                : "did page where section = \(Self.quoted(step))"
        }
        let ordered = direction == JourneyDirection.before.rawValue ? stepClauses.reversed() + [entry] : [entry] + stepClauses
        var rule = ordered.joined(separator: " then ")
        if ordered.count > 1 {
            let ms = windowSeconds.map { Int64($0 * 1000) } ?? Int64(steps.count) * JourneyDefinition.inactivityGap
            rule += " within " + Self.durationText(ms)
        }
        let title = steps.isEmpty ? name : name + ": " + steps.joined(separator: " → ")
        return "segment \(Self.quoted(title)):\n    \(rule)\n"
    }

    /// A rules-language string literal: quotes and backslashes escaped, line breaks and tabs as `\n`, `\t`,
    /// other control characters as `?` (the language has no escape for them).
    static func quoted(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default: out.unicodeScalars.append(UnsafeText.isUnsafe(u) ? "?" : u)
            }
        }
        return out + "\""
    }

    /// The largest whole unit (w, d, h, m) for a duration in milliseconds (at least 1m).
    static func durationText(_ ms: Int64) -> String {
        let minutes = max(1, (ms + 59_999) / 60_000)
        for (unit, size) in [("w", Int64(7 * 24 * 60)), ("d", 24 * 60), ("h", 60)] where minutes % size == 0 {
            return "\(minutes / size)\(unit)"
        }
        return "\(minutes)m"
    }
}
