import EventStore

/// What every metric needs besides the table: the reference time, the response window and
/// which consent category governs analytics collection.
public struct AnalysisOptions: Sendable, Equatable {
    /// The reference time in ms since the epoch (`--now`); nil = the latest event time.
    /// Every metric considers only events at or before it (see docs/DEFINITIONS.md, "Reference time").
    public var now: Int64?
    /// The response window in ms: a response answers a prompt at most this long after it.
    public var window: Int64
    /// The consent category whose denial makes an event "collected without consent".
    public var analyticsCategory: String
    /// The privacy guards ``Analysis/report(table:program:options:persons:)`` applies (on by default).
    public var privacy: PrivacyPolicy = .standard
    /// The shop's feedback events, fields and survey catalog (built-in names unless a configuration file says otherwise).
    public var feedback: FeedbackSchema = .standard

    /// The default response window: 7 days.
    public static let defaultWindow: Int64 = 7 * CivilTime.msPerDay

    public init(now: Int64? = nil, window: Int64 = AnalysisOptions.defaultWindow, analyticsCategory: String = "Analytics",
                privacy: PrivacyPolicy = .standard, feedback: FeedbackSchema = .standard) {
        self.now = now; self.window = window; self.analyticsCategory = analyticsCategory; self.privacy = privacy
        self.feedback = feedback
    }

    /// The reference time for `table`: `now`, else the latest event time, else nil (empty table).
    public func referenceTime(_ table: EventTable) -> Int64? { now ?? table.lastEventTime }
}

/// Parses a duration such as `7d`, `36h`, `90m`, `2w`, `45s` or a sum like `1d12h` into milliseconds.
///
/// Units: `w` (7 days), `d`, `h`, `m`, `s`, `ms`. Each part is ASCII digits followed by a unit; no
/// signs, spaces or fractions. Returns nil for anything else, an empty text, or a total beyond
/// `Int64` milliseconds.
public func parseDuration(_ text: String) -> Int64? {
    let bytes = Array(text.utf8)
    guard !bytes.isEmpty else { return nil }
    var i = 0
    var total: Int64 = 0
    while i < bytes.count {
        var value: Int64 = 0
        let start = i
        while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 {
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int64(bytes[i] - 0x30))
            if o1 || o2 { return nil }
            value = a
            i += 1
        }
        guard i > start, i < bytes.count else { return nil }
        let unit: Int64
        switch bytes[i] {
        case UInt8(ascii: "w"): unit = CivilTime.msPerWeek
        case UInt8(ascii: "d"): unit = CivilTime.msPerDay
        case UInt8(ascii: "h"): unit = 3_600_000
        case UInt8(ascii: "s"): unit = 1000
        case UInt8(ascii: "m"):
            if i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "s") { i += 1; unit = 1 } else { unit = 60_000 }
        default: return nil
        }
        i += 1
        let (part, o1) = value.multipliedReportingOverflow(by: unit)
        let (sum, o2) = total.addingReportingOverflow(part)
        if o1 || o2 { return nil }
        total = sum
    }
    return total
}
