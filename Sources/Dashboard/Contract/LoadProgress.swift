/// How far reading the store has come (sent repeatedly while loading).
public struct LoadProgress: Sendable, Equatable {
    /// Bytes read so far (compressed bytes for compressed files).
    public var bytesRead: Int64
    /// Bytes of all files to read (0 when unknown).
    public var totalBytes: Int64
    /// Events accepted so far.
    public var events: Int
    /// Seconds since loading started.
    public var elapsedSeconds: Double
    /// The file being read (untrusted: sanitized before display).
    public var file: String

    public init(bytesRead: Int64, totalBytes: Int64, events: Int, elapsedSeconds: Double, file: String) {
        self.bytesRead = bytesRead; self.totalBytes = totalBytes; self.events = events
        self.elapsedSeconds = elapsedSeconds; self.file = file
    }

    /// bytesRead / totalBytes clamped to 0…1, nil when the total is unknown.
    public var fraction: Double? {
        guard totalBytes > 0 else { return nil }
        return min(1, max(0, Double(bytesRead) / Double(totalBytes)))
    }

    /// Events per second so far, nil before any time has passed.
    public var eventsPerSecond: Double? {
        guard elapsedSeconds > 0 else { return nil }
        return Double(events) / elapsedSeconds
    }
}
