import EventStore
import Foundation

/// A one-line progress bar on stderr (bytes, percent, events per second), only when stderr is a terminal.
final class ProgressBar: @unchecked Sendable {
    private let enabled: Bool
    private let started = Date()
    private var lastDraw = Date.distantPast
    private var drawn = false

    init(enabled: Bool = Stderr.isTerminal) { self.enabled = enabled }

    /// Called from the reader (on the reading thread).
    func update(_ p: ReadProgress) {
        guard enabled else { return }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = now
        let elapsed = max(now.timeIntervalSince(started), 0.001)
        let fraction = p.totalBytes > 0 ? min(1, Double(p.bytesRead) / Double(p.totalBytes)) : 0
        let width = 24
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let line = String(format: "\rreading [%@] %3.0f%%  %@ / %@  %@ events/s ",
                          bar, fraction * 100, Self.bytes(p.bytesRead), Self.bytes(p.totalBytes),
                          Self.count(Double(p.events) / elapsed))
        Stderr.writeRaw(line)
        drawn = true
    }

    /// Clears the bar.
    func finish() {
        guard enabled, drawn else { return }
        Stderr.writeRaw("\r\u{1B}[K")
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
