import Dashboard
import EventStore
import Foundation
import SQLEngine

/// A one-line progress bar on stderr (percent, bytes, bytes per second, time left), only when stderr is a
/// terminal and only once a load has taken longer than ``delay`` (a quick load draws nothing); for an engine
/// (`--engine spark`) the same line shows its stage and task counts (``showEngine(_:)``).
final class ProgressBar: @unchecked Sendable {
    private let enabled: Bool
    private let started = Date()
    private let lock = NSLock()
    private var lastDraw = Date.distantPast
    private var drawn = false

    init(enabled: Bool = Stderr.isTerminal) { self.enabled = enabled }

    /// Called from the reader (on the reading thread).
    func update(_ p: ReadProgress) {
        guard enabled else { return }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        guard let line = Self.line(p, elapsed: now.timeIntervalSince(started)) else { return }
        lastDraw = now
        Stderr.writeRaw("\r" + line + "\u{1B}[K")
        drawn = true
    }

    /// A load shorter than this draws no bar.
    static let delay = 0.5

    /// The bar's text after `elapsed` seconds, nil before ``delay``:
    /// `reading [######------------------]  25%  250.0 MB / 1.00 GB  125.0 MB/s  6s left`.
    static func line(_ p: ReadProgress, elapsed: Double) -> String? {
        guard elapsed >= delay else { return nil }
        let fraction = p.totalBytes > 0 ? min(1, Double(p.bytesRead) / Double(p.totalBytes)) : 0
        let width = 24
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let speed = Double(p.bytesRead) / elapsed
        var line = String(format: "reading [%@] %3.0f%%  %@ / %@  %@/s", bar, fraction * 100,
                          Self.bytes(p.bytesRead), Self.bytes(p.totalBytes), Self.bytes(Int64(speed.rounded())))
        let progress = LoadProgress(bytesRead: p.bytesRead, totalBytes: p.totalBytes, events: p.events,
                                    elapsedSeconds: elapsed, file: "")
        if let left = progress.remainingText { line += "  " + left }
        return line
    }

    /// An engine's status in place of the bar: `spark: stage 3: 12/40 tasks` (the stage text is the engine's: written
    /// escaped like any message, the control sequence raw). Called from the engine's progress thread.
    func showEngine(_ status: LoadProgress.EngineStatus) {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        Stderr.writeRaw("\r\u{1B}[K")
        Stderr.write("spark: " + status.text)
        drawn = true
    }

    /// The progress callback of a Spark run (``SparkEngine``): its stage and task counts on this line.
    var sparkProgress: @Sendable (SparkProgress) -> Void {
        { [self] p in showEngine(LoadProgress.EngineStatus(name: "Spark", stage: p.stage, done: p.done, total: p.total)) }
    }

    /// Clears the bar.
    func finish() {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        guard drawn else { return }
        Stderr.writeRaw("\r\u{1B}[K")
        drawn = false
    }

    static func bytes(_ n: Int64) -> String {
        let d = Double(n)
        if d >= 1e9 { return String(format: "%.2f GB", d / 1e9) }
        if d >= 1e6 { return String(format: "%.1f MB", d / 1e6) }
        if d >= 1e3 { return String(format: "%.0f kB", d / 1e3) }
        return "\(n) B"
    }

    static func count(_ d: Double) -> String {
        if d >= 1e6 { return String(format: "%.1fM", d / 1e6) }
        if d >= 1e3 { return String(format: "%.0fk", d / 1e3) }
        return String(format: "%.0f", d)
    }
}
