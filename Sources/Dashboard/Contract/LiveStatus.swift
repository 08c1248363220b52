import Synchronization

/// How following the store is going: shown in the header while the dashboard is live.
public struct LiveStatus: Sendable, Equatable {
    /// The newest event's time in ms since 1970 (nil without events).
    public var newestEventMs: Int64?
    /// Events arriving per second, averaged over the last ten seconds or so.
    public var eventsPerSecond: Double
    /// Events that arrived since following started.
    public var eventsSinceStart: Int
    /// Why the last look at the store failed (it went away, became unreadable); nil when fine.
    /// The dashboard keeps the figures it has and the follower keeps trying.
    public var problem: String?
    /// A one-off message for the status line (say, the rules file could not be read again when following
    /// started): sent with one update only, shown like any other message until the next key.
    public var note: String?

    public init(newestEventMs: Int64? = nil, eventsPerSecond: Double = 0, eventsSinceStart: Int = 0, problem: String? = nil,
                note: String? = nil) {
        self.newestEventMs = newestEventMs; self.eventsPerSecond = eventsPerSecond
        self.eventsSinceStart = eventsSinceStart; self.problem = problem; self.note = note
    }
}

/// A running follow of the store (see ``DashboardSource/follow(onUpdate:)``); `stop()` ends it.
public final class FollowHandle: Sendable {
    private let stopped = Atomic<Bool>(false)
    private let onStop: @Sendable () -> Void

    /// - Parameter onStop: called once, by the first `stop()`.
    public init(onStop: @escaping @Sendable () -> Void = {}) { self.onStop = onStop }

    /// Ends the follow; later updates are not sent (one already under way may still arrive). Idempotent.
    public func stop() {
        if stopped.exchange(true, ordering: .acquiringAndReleasing) == false { onStop() }
    }

    /// Whether `stop()` was called.
    public var isStopped: Bool { stopped.load(ordering: .acquiring) }
}

extension DashboardSource {
    /// Sources that cannot follow (tests, fixed data) answer nil; the dashboard then says so.
    public func follow(onUpdate: @escaping @Sendable (DashboardData?, LiveStatus) -> Void) -> FollowHandle? { nil }
}
