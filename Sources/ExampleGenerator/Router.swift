/// Where a line goes: the day's main event file, or the month's chat or survey file.
enum StreamKind: UInt8, Sendable, CaseIterable {
    case main, chat, surveys
    /// Deliveries, apologies, support tickets and recovery e-mails (`service/service-YYYY-MM.jsonl`).
    case service
}

/// One line waiting to be written, with its position in the file.
struct Entry {
    /// Sort key inside the day (usually the event time; a re-delivered duplicate sorts where it arrived).
    var key: Int64
    /// Tie-breaker: emission order.
    var seq: Int64
    var stream: StreamKind
    var line: [UInt8]
    /// A noise line (malformed or blank) rather than an event.
    var injected = false
}

/// Collects rendered lines into per-day buckets (by UTC day of the event), so the generator can
/// render an event as soon as it is planned (even days ahead) and still write files in day order
/// with bounded memory. It also injects re-delivered duplicates (~0.1 % of lines).
struct Router {
    let rangeStart: Int64
    let rangeEnd: Int64
    let days: Int
    /// The day being generated; nothing is routed to earlier days.
    var today = 0
    private var buckets: [[Entry]]
    private var seq: Int64 = 0
    var noise: SplitMix64
    private(set) var events = 0
    private(set) var duplicates = 0
    var duplicateRate = 0.001

    init(rangeStart: Int64, days: Int, seed: UInt64) {
        self.rangeStart = rangeStart
        self.days = days
        rangeEnd = rangeStart + Int64(days) * CivilTime.msPerDay
        buckets = Array(repeating: [], count: days)
        noise = SplitMix64(seed: seed, stream: 0xD0_0B1E, 7)
    }

    /// The day index of an instant inside the range.
    func dayIndex(_ t: Int64) -> Int { Int((t - rangeStart) / CivilTime.msPerDay) }

    /// Routes one event line at time `t`; lines outside the store's range are dropped.
    /// - Returns: whether the line was kept.
    @discardableResult
    mutating func emit(_ line: [UInt8], at t: Int64, to stream: StreamKind) -> Bool {
        guard t >= rangeStart && t < rangeEnd else { return false }
        let d = max(today, dayIndex(t))
        append(Entry(key: t, seq: nextSeq(), stream: stream, line: line), day: d)
        events += 1
        if noise.chance(duplicateRate) {
            // The same message delivered again: a few minutes later in the same file, or in the next day's file.
            if noise.chance(0.6) || d + 1 >= days {
                append(Entry(key: t + noise.int64(2_000...900_000), seq: nextSeq(), stream: stream, line: line), day: d)
            } else {
                let nextStart = rangeStart + Int64(d + 1) * CivilTime.msPerDay
                append(Entry(key: nextStart + noise.int64(0...(CivilTime.msPerDay - 1)), seq: nextSeq(), stream: stream, line: line), day: d + 1)
            }
            duplicates += 1
        }
        return true
    }

    /// Routes one event line without rolling for a re-delivered duplicate (the noise stream is left
    /// untouched, so events added this way change no other line of the store).
    @discardableResult
    mutating func emitQuiet(_ line: [UInt8], at t: Int64, to stream: StreamKind) -> Bool {
        guard t >= rangeStart && t < rangeEnd else { return false }
        append(Entry(key: t, seq: nextSeq(), stream: stream, line: line), day: max(today, dayIndex(t)))
        events += 1
        return true
    }

    /// Adds a noise line (malformed or blank) at sort position `key` of day `day`.
    mutating func inject(_ line: [UInt8], key: Int64, day: Int, stream: StreamKind) {
        append(Entry(key: key, seq: nextSeq(), stream: stream, line: line, injected: true), day: day)
    }

    /// An event line of `stream` already routed to `day` (the middle one), if any.
    func sampleLine(day: Int, stream: StreamKind) -> [UInt8]? {
        let lines = buckets[day].filter { $0.stream == stream && !$0.injected }
        return lines.isEmpty ? nil : lines[lines.count / 2].line
    }

    /// Removes and returns the day's lines in file order.
    mutating func take(day: Int) -> [Entry] {
        var out = buckets[day]
        buckets[day] = []
        out.sort { ($0.key, $0.seq) < ($1.key, $1.seq) }
        return out
    }

    private mutating func append(_ e: Entry, day: Int) { buckets[day].append(e) }
    private mutating func nextSeq() -> Int64 { seq += 1; return seq }
}
