import Analytics

/// What the dashboard shows: the report of the whole store and where it came from.
public struct DashboardData: Sendable {
    public var report: Report
    /// Where the events came from, for the header (e.g. the paths given on the command line).
    public var sourceDescription: String
    /// How long reading and computing took.
    public var loadSeconds: Double

    public init(report: Report, sourceDescription: String, loadSeconds: Double) {
        self.report = report; self.sourceDescription = sourceDescription; self.loadSeconds = loadSeconds
    }
}

/// Loads the store and computes filtered reports; implemented by the CLI, called by the terminal
/// runtime off the UI thread.
public protocol DashboardSource: Sendable {
    /// Reads the store, reporting progress now and then; throws an error whose description is for the user.
    func load(progress: @escaping @Sendable (LoadProgress) -> Void) throws -> DashboardData
    /// The report restricted to the members of the named segment, nil when there is no such segment.
    func report(filteredTo segment: String) -> Report?
    /// Starts following the store: reads what is appended to its files and new files (off the UI
    /// thread) and calls `onUpdate` about once a second with the new report (nil when nothing changed)
    /// and the live status. Returns nil when the source cannot follow. Defaults to nil.
    func follow(onUpdate: @escaping @Sendable (DashboardData?, LiveStatus) -> Void) -> FollowHandle?
}
