import Dispatch

/// Runs independent pure computations on all cores and hands back their results in the order they were given,
/// so that the combined result never depends on which finished first.
enum ParallelJobs {
    /// The results of `jobs`, `results[i]` from `jobs[i]`. Dispatch balances the jobs over the cores
    /// (`DispatchQueue.concurrentPerform`), so list the longest first.
    static func run<T>(_ jobs: [@Sendable () -> T]) -> [T] {
        guard jobs.count > 1 else { return jobs.map { $0() } }
        let slots = Slots<T>(count: jobs.count)
        DispatchQueue.concurrentPerform(iterations: jobs.count) { i in slots.store(jobs[i](), at: i) }
        return slots.take()
    }

    /// One result slot per job. Each slot is written by exactly one job and read only after every job has
    /// finished (`concurrentPerform` returns after all iterations), so the slots need no lock.
    private final class Slots<T>: @unchecked Sendable {
        private let buffer: UnsafeMutableBufferPointer<T?>

        init(count: Int) {
            buffer = .allocate(capacity: count)
            buffer.initialize(repeating: nil)
        }

        func store(_ value: T, at index: Int) { buffer[index] = value }

        func take() -> [T] { buffer.map { $0! } }

        deinit {
            buffer.deinitialize()
            buffer.deallocate()
        }
    }
}
