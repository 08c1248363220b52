import Analytics
import Dashboard
import EventStore
import Foundation
import Synchronization

/// Feeds the dashboard from a store on disk: reads it (off the UI thread, called by the runtime)
/// and computes segment-filtered reports on demand; follows it (StoreDashboardSource+Follow.swift).
public final class StoreDashboardSource: DashboardSource {
    /// The store, its rules and options.
    public let request: StoreRequest
    let loaded = Mutex<LoadedStore?>(nil)
    /// Counts plain loads, so that a table still loading in the background for an older one is dropped.
    private let loads = Atomic<Int>(0)
    /// Set while the table behind a cached report is being loaded in the background.
    private let pendingTable = Mutex<DispatchGroup?>(nil)
    /// Follow mode (`--follow`, `F`): see StoreDashboardSource+Follow.swift.
    public let live = LiveFollowState()
    /// How often follow mode runs the full analysis (the live figures go out after every poll); tests set a long
    /// ``FollowCadence/minimum`` to see the live figures alone. Set before following starts.
    public var followCadence: FollowCadence {
        get { cadenceSetting.withLock { $0 } }
        set { cadenceSetting.withLock { $0 = newValue } }
    }
    private let cadenceSetting = Mutex(FollowCadence())
    /// The store's name in the header.
    public let sourceDescription: String
    /// Where the notes of a load go (unused rules, …); the CLI writes them to standard error.
    let onWarning: @Sendable (String) -> Void
    /// What the caches did on the latest plain load (nil before the first one, and for follow loads).
    public var lastCacheOutcome: LoadCacheOutcome? { loaded.withLock { $0?.cacheOutcome } }

    var paths: [String] { request.paths }
    var rulesPath: String? { request.rulesPath }
    var options: AnalysisOptions { request.options }
    var reader: ReaderOptions { request.reader }

    public init(_ request: StoreRequest, sourceDescription: String? = nil,
                onWarning: @escaping @Sendable (String) -> Void = { _ in }) {
        self.request = request
        self.sourceDescription = sourceDescription ?? StorePathDisplay.describe(request.paths)
        self.onWarning = onWarning
    }

    public func load(progress: @escaping @Sendable (LoadProgress) -> Void) throws -> DashboardData {
        if live.followMode { return try loadForFollowing(progress: progress) }
        let started = Date()
        let generation = loads.add(1, ordering: .sequentiallyConsistent).newValue
        // The first frame needs only the full report: when the cache holds it for this store state, rules and
        // options, the table (which segment filters need) is loaded afterwards on a background thread (#14, re-open);
        // else the table is read now and the report computed from it.
        let store: LoadedStore
        do {
            store = try StoreSession.load(request, needsTable: false) { p in
                progress(LoadProgress(bytesRead: p.bytesRead, totalBytes: p.totalBytes, events: p.events,
                                      elapsedSeconds: Date().timeIntervalSince(started), file: p.file))
            }
        } catch {
            throw DashboardLoadError(message: error.description)
        }
        let report: Report
        if store.table == nil {
            report = store.report()  // the cached report (a table-less load returns only with one)
            loaded.withLock { $0 = store }
            // Without rules there is nothing to filter by: the table is not needed at all.
            if store.program != nil { loadTableInBackground(after: store, generation: generation) } else { pendingTable.withLock { $0 = nil } }
        } else {
            store.warnings.forEach(onWarning)
            report = store.report()
            loaded.withLock { $0 = store }
            pendingTable.withLock { $0 = nil }
        }
        return DashboardData(report: report, sourceDescription: sourceDescription,
                             loadSeconds: Date().timeIntervalSince(started),
                             rules: StoreSession.rulesOrigin(storePaths: paths, rulesPath: rulesPath))
    }

    /// Loads the table behind a report that came from the cache (from the table cache too, when it is valid), then
    /// builds the filters' index; a filter asked for meanwhile waits for it (``report(filteredTo:)``). Only the table
    /// is read (``StoreSession/loadTable(_:after:progress:)``): the report is not read or decoded again. A later load
    /// (`r`, follow) wins: the result of an older one is dropped.
    private func loadTableInBackground(after shown: LoadedStore, generation: Int) {
        let done = DispatchGroup()
        done.enter()
        pendingTable.withLock { $0 = done }
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            defer { done.leave() }
            // The table is that of the report shown unless the store changed since the report was read: then it is
            // of the newer state (filters describe that), and its full report is computed when asked for.
            guard let store = try? StoreSession.loadTable(request, after: shown) else { return }
            let current = loaded.withLock { slot -> Bool in
                guard loads.load(ordering: .sequentiallyConsistent) == generation, !live.followMode else { return false }
                slot = store
                return true
            }
            guard current else { return }
            store.warnings.forEach(onWarning)
            store.index?.prepare()
        }
    }

    /// Whether the table behind the report is in memory (it is loaded after the first frame when the report came
    /// from the cache); for tests and the benchmark.
    public var tableIsLoaded: Bool { loaded.withLock { $0?.table != nil } }

    /// Waits until a table being loaded in the background (see ``load(progress:)``) is in place.
    public func waitForTable() {
        if let group = pendingTable.withLock({ $0 }) { group.wait() }
    }

    public func report(filteredTo segment: String) -> Report? {
        waitForTable()
        // The members come from the store's index (computed once), and the report passes over their rows only.
        guard let store = loaded.withLock({ $0 }), store.program != nil,
              let members = store.index?.get().members(of: segment) else { return nil }
        return store.report(persons: members)
    }
}

/// A load failure shown inside the dashboard (with `r` to retry).
public struct DashboardLoadError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
