import EventStore
import Dashboard
import Foundation

/// Runs the interactive dashboard: starts the terminal, loads the store off the UI thread, and
/// loops { read keys; take background results; tick; update; render; draw the difference }.
///
/// The terminal is restored on every way out: `q`, Ctrl-C, SIGINT/SIGTERM/SIGHUP (the loop polls a
/// flag the C signal handlers set), and process exit (an atexit guard in the C shim).
public struct DashboardRuntime: Sendable {
    /// Exit status after a clean quit.
    public static let exitOK: Int32 = 0
    /// Exit status when the terminal cannot be used (not a tty, TERM=dumb, ncurses failed).
    public static let exitNoTerminal: Int32 = 2
    /// Exit status after Ctrl-C, as for SIGINT.
    public static let exitInterrupted: Int32 = 130

    public let source: any DashboardSource
    public let options: TerminalOptions

    public init(source: any DashboardSource, options: TerminalOptions) {
        self.source = source; self.options = options
    }

    /// Runs on the real terminal and returns the process exit status: 0 after `q`, 130 after Ctrl-C,
    /// 128+N after signal N, 2 (with a one-line message on stderr) when there is no usable terminal.
    /// The loader thread may still be running when this returns; the caller should exit the process.
    public func run() -> Int32 {
        let capabilities: TerminalCapabilities
        switch TerminalCapabilities.check(environment: options.environment) {
        case .success(let c): capabilities = c
        case .failure(let reason):
            FileHandle.standardError.write(Data((UnsafeText.escaped(reason.description) + "\n").utf8))
            return Self.exitNoTerminal
        }
        let backend: NcursesBackend
        do {
            backend = try NcursesBackend.start(theme: options.theme, capabilities: capabilities,
                                               tierOverride: options.colorTier, noColor: options.noColor,
                                               environment: options.environment,
                                               escapeDelayMs: options.escapeDelayMs)
        } catch {
            FileHandle.standardError.write(Data(("earshot: " + UnsafeText.escaped(error.description) + "\n").utf8))
            return Self.exitNoTerminal
        }
        let glyphs = GlyphSelection.glyphs(preference: options.theme.glyphs, utf8Locale: capabilities.utf8,
                                           asciiFlag: options.ascii)
        return run(on: backend, glyphs: glyphs)
    }

    /// Runs the loop on any backend (tests use `RecordingBackend` and `InlineWorker`).
    ///
    /// - Parameters:
    ///   - worker: where loading and filtering run.
    ///   - clock: wall-clock milliseconds since 1970, read on the UI thread for `.tick`.
    ///   - pollMs: how long one wait for input lasts.
    public func run(on backend: some TerminalBackend, glyphs: Glyphs, worker: some BackgroundWorker = ThreadWorker(),
                    clock: () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) },
                    pollMs: Int = 100) -> Int32 {
        var loop = RunLoop(source: source, backend: backend, worker: worker, pollMs: pollMs,
                           options: DashboardOptions(glyphs: glyphs, initialTab: options.initialTab, follow: options.follow,
                                                     tour: options.tour, tourStepMs: options.tourStepMs,
                                                     clockPinnedToData: options.clockPinnedToData),
                           palette: ExportPalette(theme: options.theme), exportDirectory: options.exportDirectory,
                           exportChrome: options.slideExports ? .slide : .interactive)
        let status = loop.run(clock: clock)
        loop.stopFollowing()
        backend.close()
        return status
    }
}

/// The loop itself, on the UI thread.
private struct RunLoop<Backend: TerminalBackend, Worker: BackgroundWorker> {
    let source: any DashboardSource
    let backend: Backend
    let worker: Worker
    let pollMs: Int
    let inbox = ActionInbox()
    var state: AppState
    var dirty = true
    var lastTickMs: Int64 = 0
    /// The running follow of the store (see `Effect.follow`).
    var followHandle: FollowHandle?
    let palette: ExportPalette
    let exportDirectory: String
    let exportChrome: Chrome

    init(source: any DashboardSource, backend: Backend, worker: Worker, pollMs: Int, options: DashboardOptions,
         palette: ExportPalette, exportDirectory: String, exportChrome: Chrome = .interactive) {
        self.source = source; self.backend = backend; self.worker = worker; self.pollMs = pollMs
        self.palette = palette; self.exportDirectory = exportDirectory; self.exportChrome = exportChrome
        state = AppState(options: options)
    }

    /// What to do after an action.
    enum Outcome { case keepGoing, exit(Int32) }

    mutating func run(clock: () -> Int64) -> Int32 {
        let size = backend.size
        _ = update(&state, .resize(width: size.width, height: size.height))
        lastTickMs = clock()
        _ = update(&state, .tick(nowMs: lastTickMs))
        startLoad()
        while true {
            if case .exit(let status) = takeBackgroundResults() { return status }
            if dirty { draw() }
            if let signal = backend.pendingSignal { return 128 + signal }

            for event in backend.readEvents(timeoutMs: pollMs) {
                let outcome: Outcome
                switch event {
                case .key(.ctrl("c")):
                    return DashboardRuntime.exitInterrupted
                case .key(.ctrl("z")):
                    backend.suspend()
                    dirty = true
                    outcome = .keepGoing
                case .key(let key):
                    outcome = apply(.key(key))
                case .resize(let newSize):
                    outcome = apply(.resize(width: newSize.width, height: newSize.height))
                }
                if case .exit(let status) = outcome { return status }
            }
            if let signal = backend.pendingSignal { return 128 + signal }

            let now = clock()
            let interval: Int64 = state.wantsTicks ? 100 : 1000
            if now - lastTickMs >= interval || now < lastTickMs {
                lastTickMs = now
                if case .exit(let status) = apply(.tick(nowMs: now)) { return status }
            }
        }
    }

    mutating func takeBackgroundResults() -> Outcome {
        for action in inbox.drain() {
            if case .exit(let status) = apply(action) { return .exit(status) }
        }
        return .keepGoing
    }

    mutating func draw() {
        let size = backend.size
        var buffer = ScreenBuffer(width: size.width, height: size.height)
        render(state, into: &buffer)
        backend.draw(buffer)
        dirty = false
    }

    /// Updates the state and carries out the effects.
    mutating func apply(_ action: Action) -> Outcome {
        let effects = update(&state, action)
        dirty = true
        for effect in effects {
            switch effect {
            case .quit:
                return .exit(DashboardRuntime.exitOK)
            case .reload:
                startLoad()
            case .computeFilter(let segment):
                if let segment { startFilter(segment) }
            case .follow(let on):
                stopFollowing()
                if on { startFollowing() }
            case .export:
                _ = update(&state, .exported(exportScreen()))
            case .appendSnippet(let text):
                _ = update(&state, .exported(SnippetFile.append(text, directory: ".")))
            }
        }
        return .keepGoing
    }

    /// Writes the screen as it is now (text, HTML, SVG) and returns the note for the status line.
    func exportScreen() -> String {
        let size = backend.size
        var buffer = ScreenBuffer(width: size.width, height: size.height)
        render(state, into: &buffer, chrome: exportChrome)
        let base = SlideFiles.baseName(view: state.tab.title, nowMs: state.nowMs ?? 0)
        do {
            let written = try SlideFiles.write(buffer, palette: palette, title: "earshot — " + state.tab.title,
                                               directory: exportDirectory, baseName: base)
            // The full path, so the files can be found from any directory.
            let first = written.first ?? base
            let stem = first.hasSuffix(".txt") ? String(first.dropLast(4)) : first
            return "exported " + stem + ".{txt,html,svg}"
        } catch {
            return "export failed: \(error)"
        }
    }

    func startLoad() {
        let load = inbox.beginLoad()
        let inbox = self.inbox
        let source = self.source
        worker.start {
            do {
                let data = try source.load(progress: { inbox.post(.loadProgress($0), load: load) })
                inbox.post(.loaded(data), load: load)
            } catch {
                inbox.post(.loadFailed(String(describing: error)), load: load)
            }
        }
    }

    /// Asks the source to follow the store; its updates come back through the inbox.
    mutating func startFollowing() {
        let inbox = self.inbox
        followHandle = source.follow { data, status in inbox.post(.liveUpdate(data, status)) }
        if followHandle == nil {
            inbox.post(.liveUpdate(nil, LiveStatus(problem: "this store cannot be followed")))
        }
    }

    mutating func stopFollowing() {
        followHandle?.stop()
        followHandle = nil
    }

    func startFilter(_ segment: String) {
        let inbox = self.inbox
        let source = self.source
        // Timed from the request (a queued filter waits for the one before it) to the finished report.
        let requested = DispatchTime.now().uptimeNanoseconds
        worker.start {
            // An unknown segment or a failed engine run: the dashboard keeps the unfiltered report and says why.
            do {
                if let report = try source.report(filteredTo: segment, progress: { inbox.post(.filterProgress(segment: segment, status: $0)) }) {
                    let seconds = Double(DispatchTime.now().uptimeNanoseconds - requested) / 1e9
                    inbox.post(.filterReady(segment: segment, report: report, seconds: seconds))
                } else {
                    inbox.post(.filterFailed(segment: segment, reason: "no segment named \"\(segment)\" in the rules"))
                }
            } catch {
                inbox.post(.filterFailed(segment: segment, reason: "\(error)"))
            }
        }
    }
}
