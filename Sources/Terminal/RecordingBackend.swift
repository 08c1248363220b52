import Dashboard
import Foundation

/// An in-memory terminal for tests and demos: plays a script of input, records every frame and
/// applies the drawn runs to a simulated screen, so tests can assert both what the dashboard
/// rendered and what reached the "terminal".
public final class RecordingBackend: TerminalBackend {
    /// One scripted step, played on successive `readEvents` calls.
    public enum Step: Sendable {
        /// Deliver these events in one burst.
        case events([TerminalEvent])
        /// Return nothing, as a poll that timed out.
        case idle
        /// Keep answering "nothing" until `condition` holds for the latest frame (bounded by `maxPolls`);
        /// lets a test wait for background work without sleeping.
        case waitUntil(maxPolls: Int, condition: @Sendable (ScreenBuffer) -> Bool)
        /// Report a termination signal.
        case signal(Int32)

        /// Convenience: one key.
        public static func key(_ key: Key) -> Step { .events([.key(key)]) }
    }

    public private(set) var size: TerminalSize
    /// Every buffer passed to `draw`, in order.
    public private(set) var frames: [ScreenBuffer] = []
    /// The runs written for each frame.
    public private(set) var drawnRuns: [[DrawRun]] = []
    /// The simulated screen: each drawn run copies its cells from the frame, so after every
    /// draw `screen == lastFrame` exactly when the diff covered every change.
    public private(set) var screen: ScreenBuffer
    /// How many times the loop polled for input.
    public private(set) var polls = 0
    /// Timeouts the loop asked for, in order.
    public private(set) var requestedTimeouts: [Int] = []
    public private(set) var closed = false
    public private(set) var suspensions = 0
    /// Set when a `waitUntil` step ran out of polls before its condition held.
    public private(set) var timedOutWaiting = false

    private var script: [Step]
    private var signal: Int32?
    private var previous: ScreenBuffer?

    /// - Parameters:
    ///   - size: the initial size.
    ///   - script: the input to play; when it runs out the backend reports SIGHUP, so a loop that
    ///     never quits still ends.
    public init(size: TerminalSize = TerminalSize(width: 80, height: 24), script: [Step]) {
        self.size = size
        self.script = script
        screen = ScreenBuffer(width: size.width, height: size.height)
    }

    public var lastFrame: ScreenBuffer? { frames.last }

    public var pendingSignal: Int32? { signal }

    public func draw(_ buffer: ScreenBuffer) {
        let runs = ScreenDiff.runs(from: previous, to: buffer)
        if previous == nil || previous!.width != buffer.width || previous!.height != buffer.height {
            screen = ScreenBuffer(width: buffer.width, height: buffer.height)
        }
        for run in runs {
            for x in run.x..<(run.x + run.width) { screen[x, run.y] = buffer[x, run.y] }
        }
        frames.append(buffer)
        drawnRuns.append(runs)
        previous = buffer
    }

    public func readEvents(timeoutMs: Int) -> [TerminalEvent] {
        polls += 1
        requestedTimeouts.append(timeoutMs)
        guard let step = script.first else {
            signal = 1  // SIGHUP: the "terminal" went away
            return []
        }
        switch step {
        case .events(let events):
            script.removeFirst()
            for case .resize(let newSize) in events { size = newSize }
            return events
        case .idle:
            script.removeFirst()
            return []
        case .signal(let s):
            script.removeFirst()
            signal = s
            return []
        case let .waitUntil(maxPolls, condition):
            if let frame = frames.last, condition(frame) {
                script.removeFirst()
                return readEvents(timeoutMs: timeoutMs)
            }
            if maxPolls <= 1 {
                timedOutWaiting = true
                script.removeFirst()
                return []
            }
            script[0] = .waitUntil(maxPolls: maxPolls - 1, condition: condition)
            // Give background work a moment, like a real poll timeout would (bounded by maxPolls).
            Thread.sleep(forTimeInterval: 0.002)
            return []
        }
    }

    public func suspend() {
        suspensions += 1
        previous = nil
    }

    public func close() { closed = true }
}
