import Analytics

/// Everything that can happen to the dashboard: the only input of ``update(_:_:)``.
public enum Action: Sendable {
    /// A decoded key press.
    case key(Key)
    /// The terminal now has this size in cells.
    case resize(width: Int, height: Int)
    /// The wall clock, in milliseconds since 1970 (the dashboard never reads a clock itself).
    case tick(nowMs: Int64)
    /// The store is being read.
    case loadProgress(LoadProgress)
    /// The store was read and the report computed.
    case loaded(DashboardData)
    /// Reading the store failed; the message is written for the user.
    case loadFailed(String)
    /// The report restricted to the members of `segment` (answer to ``Effect/computeFilter(segment:)``);
    /// `seconds`: how long it took from the request to the finished report (shown in the status line).
    case filterReady(segment: String, report: Report, seconds: Double? = nil)
    /// While following the store: the new report (nil when nothing changed) and how following goes
    /// (answer to ``Effect/follow(_:)``, about once a second).
    case liveUpdate(DashboardData?, LiveStatus)
    /// A long filter computation (an engine run) reports how far it is: one short line (`Spark stage 3: 12/40 tasks`).
    case filterProgress(segment: String, status: String)
    /// The segment filter could not be computed (e.g. the segment vanished on reload); the message is for the user.
    case filterFailed(segment: String, reason: String)
    /// The answer to ``Effect/export``: a one-line note for the status line (the files written, or why not).
    case exported(String)
}

/// Work that ``update(_:_:)`` asks the runtime to do.
public enum Effect: Sendable, Equatable {
    /// Leave the dashboard and restore the terminal.
    case quit
    /// Read the store again (the runtime answers with `.loadProgress`… then `.loaded` or `.loadFailed`).
    case reload
    /// Compute the report for the members of a segment off the UI thread and answer with
    /// `.filterReady(segment:report:)`; `nil` clears the filter and needs no answer.
    case computeFilter(segment: String?)
    /// Start (`true`) or stop (`false`) following the store: reading what is appended and answering
    /// with `.liveUpdate` about once a second (``DashboardSource/follow(onUpdate:)``).
    case follow(Bool)
    /// Export what the screen shows now (text, HTML and SVG) and answer with `.exported(note)`.
    case export
    /// Append this text (a segment definition from the Journeys view) to the snippet file
    /// `earshot-snippets.segments` in the export directory and answer with `.exported(note)`.
    case appendSnippet(String)
}
