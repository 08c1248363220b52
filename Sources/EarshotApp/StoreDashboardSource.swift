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
    /// Follow mode (`--follow`, `F`): see StoreDashboardSource+Follow.swift.
    public let live = LiveFollowState()
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
        // The table is loaded eagerly (segment filters need it); the full report comes from the
        // cache when it is valid for this store state, rules and options.
        let store: LoadedStore
        do {
            store = try StoreSession.load(request, needsTable: true) { p in
                progress(LoadProgress(bytesRead: p.bytesRead, totalBytes: p.totalBytes, events: p.events,
                                      elapsedSeconds: Date().timeIntervalSince(started), file: p.file))
            }
        } catch {
            throw DashboardLoadError(message: error.description)
        }
        store.warnings.forEach(onWarning)
        let report = store.report()
        loaded.withLock { $0 = store }
        // With the report from the cache, the filters' index is built now, before the first `f`.
        if store.cacheOutcome == .reportHit { store.index?.prepare() }
        return DashboardData(report: report, sourceDescription: sourceDescription,
                             loadSeconds: Date().timeIntervalSince(started),
                             rules: StoreSession.rulesOrigin(storePaths: paths, rulesPath: rulesPath))
    }

    public func report(filteredTo segment: String) -> Report? {
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
