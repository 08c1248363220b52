import Analytics
import Dashboard
import EventStore
import Foundation
import SQLEngine
import Synchronization

/// Feeds the dashboard from Spark (`--engine spark`): the load runs the store's SQL with `spark-submit` and shows
/// its stage and task counts; the header names the engine and when it computed ("computed by Spark 4.3.0 at …").
///
/// The segment filter (`f`) runs the SQL again restricted to the segment's members (``SQLPlan/restricted(toSegment:)``),
/// measured from the full run's time, with the stage and task counts in the header while it runs; the store's line
/// counts (files, lines, duplicates, malformed) stay those of the whole store, as with the embedded engine.
/// Following the store (`F`) is not offered: the source answers `follow` with nil and the dashboard says so.
public final class SparkDashboardSource: DashboardSource {
    public let request: SparkRequest
    public let sourceDescription: String
    let full = Mutex<SparkOutcome?>(nil)
    /// The run the load prepared (files listed, plan compiled): the segment filter executes it again.
    let prepared = Mutex<PreparedSparkRun?>(nil)
    let clock: @Sendable () -> Date

    public init(_ request: SparkRequest, sourceDescription: String? = nil, clock: @escaping @Sendable () -> Date = Date.init) {
        self.request = request
        self.sourceDescription = sourceDescription ?? StorePathDisplay.describe(request.store.paths)
        self.clock = clock
    }

    /// `Spark (local[2])`.
    var engineName: String { "Spark (\(request.settings.master))" }

    public func load(progress: @escaping @Sendable (LoadProgress) -> Void) throws -> DashboardData {
        let started = clock()
        let name = engineName, clock = self.clock
        @Sendable func post(_ p: SparkProgress?) {
            progress(LoadProgress(bytesRead: 0, totalBytes: 0, events: 0, elapsedSeconds: clock().timeIntervalSince(started), file: "",
                                  engine: LoadProgress.EngineStatus(name: name, stage: p?.stage, done: p?.done ?? 0, total: p?.total ?? 0)))
        }
        post(nil)
        let outcome: SparkOutcome
        do {
            let run = try SparkEngine.prepare(request)
            prepared.withLock { $0 = run }
            outcome = try SparkEngine.execute(run, clock: clock, progress: { post($0) })
        } catch {
            throw DashboardLoadError(message: error.description)
        }
        full.withLock { $0 = outcome }
        return DashboardData(report: outcome.report, sourceDescription: sourceDescription + " — " + outcome.headerNote,
                             loadSeconds: clock().timeIntervalSince(started),
                             rules: StoreSession.rulesOrigin(storePaths: request.store.paths, rulesPath: request.store.rulesPath))
    }

    public func report(filteredTo segment: String) -> Report? {
        try? report(filteredTo: segment, progress: { _ in })
    }

    public func report(filteredTo segment: String, progress: @escaping @Sendable (String) -> Void) throws -> Report? {
        guard let whole = full.withLock({ $0 }) else { return nil }
        guard whole.report.segments.contains(where: { $0.name == segment }) else { return nil }
        progress("Spark starting")
        let run = try prepared.withLock({ $0 }) ?? SparkEngine.prepare(request)
        let filtered = try SparkEngine.execute(run, now: whole.nowMs, segment: segment, clock: clock,
                                               progress: { progress("Spark " + $0.description) })
        return Self.merge(filtered: filtered.report, whole: whole.report)
    }

    /// The filtered report with the store's line counts of the whole store (files, lines, records, duplicates,
    /// malformed lines and kinds, warnings), as the embedded engine's filtered report has them.
    static func merge(filtered: Report, whole: Report) -> Report {
        var r = filtered
        let w = whole.store
        r.store.files = w.files; r.store.fileList = w.fileList; r.store.lines = w.lines; r.store.records = w.records
        r.store.duplicates = w.duplicates; r.store.malformed = w.malformed; r.store.malformedShare = w.malformedShare
        r.store.malformedKinds = w.malformedKinds; r.store.malformedLines = w.malformedLines; r.store.warnings = w.warnings
        r.store.deletedEvents = w.deletedEvents; r.store.deletedPersons = w.deletedPersons
        return r
    }
}
