import Analytics
import EventStore

/// The time a check evaluates the store at, and where it came from.
public struct ReferenceTime: Sendable, Equatable {
    /// Where the time came from.
    public enum Source: Sendable, Equatable { case flag, wallClock, newestEvent }
    public var ms: Int64
    public var source: Source
    /// The newest event's time, when the store was read for it.
    public var newestEventMs: Int64?

    public init(ms: Int64, source: Source, newestEventMs: Int64? = nil) {
        self.ms = ms; self.source = source; self.newestEventMs = newestEventMs
    }

    /// `check`'s rule before the store is read: `--now`, else the wall clock.
    public static func check(now: Int64?, wallClockMs: Int64) -> ReferenceTime {
        ReferenceTime(ms: now ?? wallClockMs, source: now == nil ? .wallClock : .flag)
    }

    /// `check`'s rule once the store is read without `--now` (loaded with its table): staleness is measured against
    /// the wall clock, unless the newest event is later (a writer's clock ahead), then from it. The store then
    /// measures from that time (its cached report, computed for another reference time, is neither used nor saved).
    public static func check(store: inout LoadedStore, wallClockMs: Int64) -> ReferenceTime {
        let newest = store.table?.lastEventTime
        let reference = if let newest, newest > wallClockMs {
            ReferenceTime(ms: newest, source: .newestEvent, newestEventMs: newest)
        } else {
            ReferenceTime(ms: wallClockMs, source: .wallClock, newestEventMs: newest)
        }
        store.setReferenceTime(reference.ms)
        return reference
    }

    /// ISO 8601 UTC, milliseconds only when there are any: `2026-11-20T18:03:11Z`.
    public static func iso(_ ms: Int64) -> String {
        let text = CivilTime.isoTimestamp(ms: ms)
        return text.hasSuffix(".000Z") ? String(text.dropLast(5)) + "Z" : text
    }

    /// The line after the rules: `reference time: T (the wall clock; newest event T2, 9d 9h earlier)`.
    public var line: String {
        var out = "reference time: \(Self.iso(ms)) ("
        switch source {
        case .flag: out += "--now"
        case .wallClock: out += "the wall clock"
        case .newestEvent: out += "the newest event, later than the wall clock"
        }
        if source != .newestEvent, let newest = newestEventMs {
            let delta = Double(ms - newest) / 1000
            out += "; newest event \(Self.iso(newest)), "
                + (delta >= 0 ? "\(CheckFormat.duration(delta)) earlier" : "\(CheckFormat.duration(-delta)) later")
        }
        return out + "; `earshot report` and the dashboard measure from the newest event)"
    }
}
