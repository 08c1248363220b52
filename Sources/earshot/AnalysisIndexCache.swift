import Analytics
import EventStore
import Foundation
import Synchronization

/// The ``AnalysisIndex`` of one loaded table, built at most once: by the first report that needs it, or
/// ahead of time on a background thread (``prepare()``) when the full report came from the cache, so that
/// the first segment filter does not pay for it. A caller that asks while it is being built waits for it.
final class AnalysisIndexCache: Sendable {
    private let table: EventTable
    private let program: SegmentProgram?
    private let options: AnalysisOptions
    private let built = Mutex<AnalysisIndex?>(nil)

    init(table: EventTable, program: SegmentProgram?, options: AnalysisOptions) {
        self.table = table; self.program = program; self.options = options
    }

    /// The index, built now when nobody built it yet.
    func get() -> AnalysisIndex {
        built.withLock { index in
            if let index { return index }
            let made = AnalysisIndex(table: table, program: program, options: options)
            index = made
            return made
        }
    }

    /// Builds the index on a background thread (when it is not built yet).
    func prepare() {
        guard program != nil else { return }
        DispatchQueue.global(qos: .utility).async { [self] in _ = get() }
    }
}
