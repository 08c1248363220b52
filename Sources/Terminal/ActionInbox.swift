import Dashboard
import Foundation

/// Actions posted by background work (loading, filtering) for the UI thread to take.
///
/// Thread-safe: every access to the pending list holds the lock. Loads are numbered; actions of a
/// load that a reload replaced are dropped. Progress reports coalesce: only the newest waiting
/// one is kept, so a fast loader cannot flood the UI.
final class ActionInbox: @unchecked Sendable {
    private let lock = NSLock()
    private var pending: [Action] = []
    private var currentLoad = 0

    /// Starts a new load and returns its number; actions of older loads are dropped from now on.
    func beginLoad() -> Int {
        lock.lock(); defer { lock.unlock() }
        currentLoad += 1
        pending.removeAll { if case .loadProgress = $0 { return true } else { return false } }
        return currentLoad
    }

    /// Posts an action of load `load` (dropped if a newer load started).
    func post(_ action: Action, load: Int) {
        lock.lock(); defer { lock.unlock() }
        guard load == currentLoad else { return }
        append(action)
    }

    /// Posts an action that belongs to no load (a filter result).
    func post(_ action: Action) {
        lock.lock(); defer { lock.unlock() }
        append(action)
    }

    /// Takes every waiting action, oldest first.
    func drain() -> [Action] {
        lock.lock(); defer { lock.unlock() }
        let out = pending
        pending.removeAll(keepingCapacity: true)
        return out
    }

    private func append(_ action: Action) {
        if case .loadProgress = action, let last = pending.indices.last, case .loadProgress = pending[last] {
            pending[last] = action
        } else {
            pending.append(action)
        }
    }
}

/// Where background work runs.
public protocol BackgroundWorker: Sendable {
    /// Starts `work` and returns at once (or, for a synchronous worker, after running it).
    func start(_ work: @escaping @Sendable () -> Void)
}

/// Runs work on a new detached thread; the runtime never waits for it (quitting abandons it).
public struct ThreadWorker: BackgroundWorker {
    public init() {}
    public func start(_ work: @escaping @Sendable () -> Void) {
        let thread = Thread(block: work)
        thread.stackSize = 8 << 20
        thread.start()
    }
}

/// Runs work immediately on the calling thread: deterministic tests of the run loop.
public struct InlineWorker: BackgroundWorker {
    public init() {}
    public func start(_ work: @escaping @Sendable () -> Void) { work() }
}
