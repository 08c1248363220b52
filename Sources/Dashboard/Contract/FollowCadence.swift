/// How often follow mode recomputes the report while the store grows (docs/PERFORMANCE.md, "Follow mode").
///
/// The store is polled every second and the header's live figures (newest event, events per second, and the
/// store and consent sections, kept exact from the appended events) are sent after every poll, so they are never
/// more than about a poll behind the file. The other figures come from a full, exact analysis of a snapshot table,
/// run beside the polls; on a large store it costs more than a poll interval, so it runs at most once per
/// ``interval``: the last recompute's **CPU** time (all threads: the analysis runs on every core,
/// so its wall time understates what it costs) divided by ``budget`` (and at least ``minimum``).
/// The recompute then takes at most `budget` of one core on average, whatever the store size, and the views'
/// figures are at most one interval plus one recompute old. The default budget, a fifth of a core, leaves
/// room for the polls themselves (reading and parsing what arrived) within a quarter of a core.
public struct FollowCadence: Sendable, Equatable {
    /// The share of one core that recomputing may take on average (0.2: a fifth).
    public var budget: Double
    /// Seconds between recomputes at the least (the poll interval).
    public var minimum: Double
    /// Seconds to wait between the start of one recompute and the next.
    public private(set) var interval: Double

    public init(budget: Double = 0.2, minimum: Double = 1) {
        self.budget = budget; self.minimum = minimum; interval = minimum
    }

    /// Takes the CPU seconds (all threads of the process) the last recompute took.
    public mutating func analyzed(seconds: Double) {
        interval = max(minimum, seconds / max(budget, 0.01))
    }

    /// Whether a recompute is due `elapsed` seconds after the start of the previous one. (The follow loop
    /// sleeps a full poll interval after each round, so `elapsed` never falls short of ``minimum``.)
    public func due(sinceLast elapsed: Double) -> Bool { elapsed >= interval }
}
