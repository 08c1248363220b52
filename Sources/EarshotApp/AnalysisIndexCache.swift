import Analytics
import EventStore
import Foundation
import Synchronization

/// The ``AnalysisIndex`` of one loaded table, built at most once: by the first report that needs it, or
/// ahead of time on a background thread (``prepare()``) when the full report came from the cache, so that
/// the first segment filter does not pay for it. A caller that asks while it is being built waits for it.
public final class AnalysisIndexCache: Sendable {
    private let table: EventTable
    private let program: SegmentProgram?
    private let options: AnalysisOptions
    private let built = Mutex<AnalysisIndex?>(nil)

    public init(table: EventTable, program: SegmentProgram?, options: AnalysisOptions) {
        self.table = table; self.program = program; self.options = options
    }

    /// The index, built now when nobody built it yet.
    public func get() -> AnalysisIndex {
        built.withLock { index in
            if let index { return index }
            let made = AnalysisIndex(table: table, program: program, options: options)
            index = made
            return made
        }
    }

    /// The full published report (no person filter). When the index is not built yet, it is built together with
    /// the report (``Analysis/indexAndReport(table:program:options:weeklyBudget:)``: one schedule of jobs on all
    /// cores, one feedback pass for both) and kept for later filters; else the report comes from the index.
    public func fullReport() -> Report {
        let (index, report): (AnalysisIndex, Report?) = built.withLock { index in
            if let index { return (index, nil) }
            let made = Analysis.indexAndReport(table: table, program: program, options: options)
            index = made.index
            return (made.index, made.report)
        }
        return report ?? Analysis.report(index: index)
    }

    /// Builds the index on a background thread (when it is not built yet).
    public func prepare() {
        guard program != nil else { return }
        DispatchQueue.global(qos: .utility).async { [self] in _ = get() }
    }
}
