import Dashboard

/// A terminal size in cells.
public struct TerminalSize: Equatable, Sendable {
    public var width: Int
    public var height: Int
    public init(width: Int, height: Int) { self.width = width; self.height = height }
}

/// Input the run loop reacts to.
public enum TerminalEvent: Equatable, Sendable {
    case key(Key)
    /// The terminal now has this size.
    case resize(TerminalSize)
}

/// What the run loop needs from a terminal (ratatui-style backend): the real one is
/// `NcursesBackend`, tests use `RecordingBackend`.
public protocol TerminalBackend: AnyObject {
    /// The current size in cells.
    var size: TerminalSize { get }
    /// Shows `buffer`, writing only what changed since the last call.
    func draw(_ buffer: ScreenBuffer)
    /// Waits up to `timeoutMs` for input; returns everything read in that burst (maybe nothing).
    func readEvents(timeoutMs: Int) -> [TerminalEvent]
    /// A termination signal (SIGINT, SIGTERM, SIGHUP) received since the loop started, if any.
    var pendingSignal: Int32? { get }
    /// Stops the process as Ctrl-Z does and returns when it is resumed; the next draw is complete.
    func suspend()
    /// Restores the terminal. Called once when the loop ends, whatever the reason.
    func close()
}
