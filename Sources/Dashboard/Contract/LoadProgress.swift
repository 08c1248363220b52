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

    /// Set while an engine (`--engine spark`) computes instead of earshot reading: then the bytes and events
    /// are not known and the loading screen shows the engine's stage and task counts.
    public var engine: EngineStatus?

    public init(bytesRead: Int64, totalBytes: Int64, events: Int, elapsedSeconds: Double, file: String,
                engine: EngineStatus? = nil) {
        self.bytesRead = bytesRead; self.totalBytes = totalBytes; self.events = events
        self.elapsedSeconds = elapsedSeconds; self.file = file; self.engine = engine
    }

    /// What an engine reports while it computes: its name and master, the current stage and its finished and total
    /// tasks (nil before the first stage).
    public struct EngineStatus: Sendable, Equatable {
        /// `Spark (spark://127.0.0.1:7077)` (untrusted: sanitized before display).
        public var name: String
        public var stage: String?
        public var done: Int
        public var total: Int
        public init(name: String, stage: String? = nil, done: Int = 0, total: Int = 0) {
            self.name = name; self.stage = stage; self.done = done; self.total = total
        }
        /// `stage 3: 12/40 tasks`, or `starting` before the first stage.
        public var text: String { stage.map { "stage \($0): \(done)/\(total) tasks" } ?? "starting" }
    }

    /// bytesRead / totalBytes clamped to 0…1 (an engine's tasks of the current stage), nil when the total is unknown.
    public var fraction: Double? {
        if let engine { return engine.total > 0 ? min(1, max(0, Double(engine.done) / Double(engine.total))) : nil }
        guard totalBytes > 0 else { return nil }
        return min(1, max(0, Double(bytesRead) / Double(totalBytes)))
    }

    /// Bytes read per second so far, nil before any time has passed.
    public var bytesPerSecond: Double? {
        guard elapsedSeconds > 0 else { return nil }
        return Double(bytesRead) / elapsedSeconds
    }

    /// Seconds left at the speed so far (the bytes left over bytes per second), nil while the total or
    /// the speed is unknown (#14: shown with the bar for any load over 0.5 s).
    public var remainingSeconds: Double? {
        guard engine == nil, totalBytes > 0, let bps = bytesPerSecond, bps > 0 else { return nil }
        return Double(max(0, totalBytes - bytesRead)) / bps
    }

    /// "4s left", "2m 05s left", "1h 02m left" (whole seconds, rounded up), or nil when unknown.
    public var remainingText: String? {
        guard let r = remainingSeconds, r.isFinite else { return nil }
        let s = Int(min(r, 359_999).rounded(.up))
        if s < 60 { return "\(s)s left" }
        if s < 3600 { return "\(s / 60)m " + (s % 60 < 10 ? "0" : "") + "\(s % 60)s left" }
        return "\(s / 3600)h " + (s / 60 % 60 < 10 ? "0" : "") + "\(s / 60 % 60)m left"
    }

    /// Events per second so far, nil before any time has passed.
    public var eventsPerSecond: Double? {
        guard elapsedSeconds > 0 else { return nil }
        return Double(events) / elapsedSeconds
    }
}
