/// How far a ``StoreReader/load(progress:)`` has come.
public struct ReadProgress: Sendable, Equatable {
    /// On-disk bytes consumed so far (compressed bytes for a gzip file).
    public var bytesRead: Int64
    /// On-disk bytes of all files (0 for pipes).
    public var totalBytes: Int64
    /// Non-blank lines read so far.
    public var lines: Int
    /// Events accepted so far (after dedupe).
    public var events: Int
    /// The file being read.
    public var file: String

    public init(bytesRead: Int64, totalBytes: Int64, lines: Int, events: Int, file: String) {
        self.bytesRead = bytesRead; self.totalBytes = totalBytes; self.lines = lines
        self.events = events; self.file = file
    }

    /// Fraction done in 0…1 (by bytes), or nil when the total is unknown.
    public var fraction: Double? {
        totalBytes > 0 ? min(1, Double(bytesRead) / Double(totalBytes)) : nil
    }
}
