import Analytics

/// What the dashboard shows: the report of the whole store and where it came from.
public struct DashboardData: Sendable {
    public var report: Report
    /// Where the events came from, for the header (e.g. the paths given on the command line).
    public var sourceDescription: String
    /// How long reading and computing took.
    public var loadSeconds: Double
    /// Where the segment rules came from (for the hint shown when there are no segments).
    public var rules: RulesOrigin
    /// Follow mode: when (wall clock, ms since 1970) the analysis behind the views was computed, when it is older
    /// than the report's live figures — the store and consent sections, updated from the appended events within a
    /// poll (docs/PERFORMANCE.md, "Follow mode"). nil when every figure is of the same moment.
    public var viewsAsOfMs: Int64?

    public init(report: Report, sourceDescription: String, loadSeconds: Double, rules: RulesOrigin = .unknown,
                viewsAsOfMs: Int64? = nil) {
        self.report = report; self.sourceDescription = sourceDescription; self.loadSeconds = loadSeconds
        self.rules = rules; self.viewsAsOfMs = viewsAsOfMs
    }
}

/// Where the segment rules came from: a file, or none found (and where earshot looked).
public enum RulesOrigin: Sendable, Equatable {
    /// Not told by the source.
    case unknown
    /// This rules file (`--segments FILE`, or the store's own `*.segments`).
    case file(String)
    /// No `--segments` and no `*.segments` at the top of these store directories (empty when the store
    /// was given as files: then no directory is searched).
    case notFound(searched: [String])

    /// The hint shown where segments would be, naming the flag that defines them and where earshot
    /// looked (store text: sanitize before display).
    public var emptySegmentsHint: String {
        switch self {
        case .unknown:
            return "No segments: define them in a rules file and pass it with --segments FILE (docs/SEGMENTS.md)"
        case .file(let path):
            return "No segments in \(path): add `segment \"Name\":` blocks (docs/SEGMENTS.md)"
        case .notFound(let dirs) where dirs.isEmpty:
            return "No segments: pass a rules file with --segments FILE (a *.segments file is looked for only "
                + "at the top of a store directory)"
        case .notFound(let dirs):
            return "No segments: pass a rules file with --segments FILE; no *.segments file in "
                + dirs.joined(separator: ", ")
        }
    }
}

/// Loads the store and computes filtered reports; implemented by the CLI, called by the terminal
/// runtime off the UI thread.
public protocol DashboardSource: Sendable {
    /// Reads the store, reporting progress now and then; throws an error whose description is for the user.
    func load(progress: @escaping @Sendable (LoadProgress) -> Void) throws -> DashboardData
    /// The report restricted to the members of the named segment, nil when there is no such segment.
    func report(filteredTo segment: String) -> Report?
    /// The filtered report of a source whose filter takes long (an engine run): reports progress lines
    /// (`Spark stage 3: 12/40 tasks`) and throws an error whose description is for the user. Defaults to
    /// ``report(filteredTo:)``.
    func report(filteredTo segment: String, progress: @escaping @Sendable (String) -> Void) throws -> Report?
    /// Starts following the store: reads what is appended to its files and new files (off the UI
    /// thread) and calls `onUpdate` about once a second with the new report (nil when nothing changed)
    /// and the live status. Returns nil when the source cannot follow. Defaults to nil.
    func follow(onUpdate: @escaping @Sendable (DashboardData?, LiveStatus) -> Void) -> FollowHandle?
}

extension DashboardSource {
    /// Sources whose filter is quick have no progress to tell and no failure but an unknown segment.
    public func report(filteredTo segment: String, progress: @escaping @Sendable (String) -> Void) throws -> Report? {
        report(filteredTo: segment)
    }
}
