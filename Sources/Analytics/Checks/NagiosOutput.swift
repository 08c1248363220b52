import EventStore
/// Writes a check's result in the Nagios/Icinga plugin format.
///
/// ```
/// EARSHOT CRITICAL - 1 critical, 4 ok: consent.Personalization.coverage = 0.512 (51.2%), not >= 0.55 | 'consent.Personalization.coverage'=0.512;;0.55:;0;1 …
/// CRITICAL: consent.Personalization.coverage = 0.512 (51.2%), not >= 0.55
/// OK: feedback.chat.response_rate = 0.31 (31.0%) >= 0.25
/// ```
///
/// The first line is the status and a summary, then `|` and the performance data
/// (`'label'=value[UOM];[warn];[crit];[min];[max]`, one entry per figure, thresholds as Nagios
/// ranges); then one line per rule, worst first. Text from the store is sanitized and never contains `|`.
public enum NagiosOutput {
    /// The service name at the start of the status line.
    public static let service = "EARSHOT"

    /// The full output (ending with a newline) for an evaluated check. `subject` (what was checked
    /// and when: `/srv/events as of 2026-11-20T10:00:00Z`) starts the summary; `details` are lines
    /// after the rule lines (e.g. how the reference time was chosen).
    public static func render(_ outcome: CheckOutcome, subject: String? = nil, details: [String] = []) -> String {
        let status = outcome.status
        let ordered = outcome.results.enumerated().sorted {
            ($0.element.status.severity, -$0.offset) > ($1.element.status.severity, -$1.offset)
        }.map(\.element)
        var summary: String
        let ok = outcome.results.filter { $0.status == .ok }.count
        if outcome.results.isEmpty {
            summary = "no rules to check"
        } else if status == .ok {
            summary = ok == 1 ? "1 rule ok" : "\(ok) rules ok"
        } else {
            var counts: [String] = []
            for s in [CheckStatus.critical, .unknown, .warning, .ok] {
                let n = outcome.results.filter { $0.status == s }.count
                if n > 0 { counts.append("\(n) \(s.label.lowercased())") }
            }
            let problems = ordered.filter { $0.status != .ok }.map(\.message)
            summary = counts.joined(separator: ", ") + ": " + problems.joined(separator: "; ")
        }
        var out = "\(service) \(status.label) - \(prefix(subject))\(clean(summary))"
        let perf = perfdata(outcome.results)
        if !perf.isEmpty { out += " | " + perf }
        out += "\n"
        for r in ordered { out += "\(r.status.label): \(clean(r.message))\n" }
        for d in details { out += clean(d) + "\n" }
        return out
    }

    /// `subject: ` (sanitized), or nothing.
    static func prefix(_ subject: String?) -> String {
        guard let subject, !subject.isEmpty else { return "" }
        return clean(subject) + ": "
    }

    /// An UNKNOWN result without evaluated rules (unreadable store, bad rules, bad flags).
    /// `details` are printed as lines after the status line (e.g. a rule with its caret).
    public static func unknown(_ summary: String, details: [String] = [], subject: String? = nil) -> String {
        var out = "\(service) \(CheckStatus.unknown.label) - \(prefix(subject))\(clean(summary))\n"
        for d in details { out += clean(d, keepNewlines: true) + "\n" }
        return out
    }

    /// Performance data of every figure the rules name, in rule order, each figure once.
    public static func perfdata(_ results: [RuleResult]) -> String {
        var order: [String] = []
        var entries: [String: (result: RuleResult, warn: String?, crit: String?)] = [:]
        for r in results {
            guard r.unit != nil else { continue }  // unknown figure: nothing to graph
            let key = r.rule.path.description
            if entries[key] == nil { order.append(key); entries[key] = (r, nil, nil) }
            let range = r.rule.op.nagiosRange(CheckFormat.plain(r.rule.threshold.value))
            switch r.rule.level {
            case .warning: if entries[key]!.warn == nil { entries[key]!.warn = range }
            case .critical: if entries[key]!.crit == nil { entries[key]!.crit = range }
            }
        }
        return order.map { key in
            let e = entries[key]!
            let unit = e.result.unit!
            let value = e.result.value.map(CheckFormat.plain) ?? "U"
            let uom = unit == .seconds ? "s" : ""
            let (min, max): (String, String) = {
                switch unit {
                case .fraction: ("0", "1")
                case .count, .hours: ("0", "")
                case .score: ("-100", "100")
                case .seconds: ("", "")
                }
            }()
            var fields = [value + uom, e.warn ?? "", e.crit ?? "", min, max]
            while fields.count > 1, fields.last == "" { fields.removeLast() }
            return label(key) + "=" + fields.joined(separator: ";")
        }.joined(separator: " ")
    }

    /// A perfdata label: single-quoted; `'` and `=` (not allowed in labels) and control characters become `_`.
    public static func label(_ text: String) -> String {
        var out = ""
        for u in text.unicodeScalars {
            if u == "'" || u == "=" || u == "|" || UnsafeText.isUnsafe(u) { out += "_" } else { out.unicodeScalars.append(u) }
        }
        return "'" + out + "'"
    }

    /// Status text: control characters → `?`, `|` (the perfdata separator) → `/`.
    static func clean(_ text: String, keepNewlines: Bool = false) -> String {
        if keepNewlines {
            return text.split(separator: "\n", omittingEmptySubsequences: false).map { clean(String($0)) }.joined(separator: "\n")
        }
        var out = String.UnicodeScalarView()
        for u in DisplayText.sanitize(text).unicodeScalars { out.append(u == "|" ? "/" : u) }
        return String(out)
    }
}
