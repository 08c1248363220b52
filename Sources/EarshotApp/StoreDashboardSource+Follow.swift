import Analytics
import Dashboard
import EventStore
import Foundation
import Synchronization

/// The follow state of a dashboard source: whether loads should prepare a follower, and the
/// follower a load prepared for the next `follow(onUpdate:)`.
public final class LiveFollowState: Sendable {
    private let mode = Atomic<Bool>(false)
    private let prepared = Mutex<FollowerBox?>(nil)

    /// Whether loads read through a ``StoreFollower`` (so that following continues where the load ended).
    public var followMode: Bool { mode.load(ordering: .acquiring) }
    /// Turns follow mode on or off for the next load.
    public func setFollowMode(_ on: Bool) { mode.store(on, ordering: .releasing) }

    func stash(_ box: FollowerBox) { prepared.withLock { $0 = box } }
    func take() -> FollowerBox? { prepared.withLock { b in let out = b; b = nil; return out } }
}

/// A follower handed from the loading thread to the follow thread, with the live figures it feeds: used by one
/// thread at a time (the loader creates it and lets go; exactly one follow loop takes it).
final class FollowerBox: @unchecked Sendable {
    let follower: StoreFollower
    let program: SegmentProgram?
    /// The header's figures, updated from every accepted event (``LiveFigures``).
    var figures: LiveFigures
    /// The last full analysis (before the privacy guards) and when it was computed (wall clock, ms since 1970).
    var raw: Report? { didSet { rawSent = false } }
    var rawAsOfMs: Int64 = 0
    /// Whether ``raw`` was sent as it is (without live figures).
    var rawSent = false
    /// How long the load that started following took (the status line's "loaded in").
    var loadSeconds: Double = 0
    private var pending: [ParsedEvent] = []

    init(_ follower: StoreFollower, program: SegmentProgram?, options: AnalysisOptions) {
        self.follower = follower
        self.program = program
        figures = LiveFigures(options: options)
        follower.onAccepted = { [unowned self] e in
            pending.append(e)
            if pending.count >= 1 << 12 { flush() }  // small batches: the first read of a large store holds few events
        }
    }

    deinit { follower.onAccepted = nil }

    /// Hands the events read so far to the live figures.
    func flush() {
        guard !pending.isEmpty else { return }
        figures.apply(pending)
        pending.removeAll(keepingCapacity: pending.count < 4096)
    }
}

extension StoreDashboardSource {
    /// Seconds between looks at the store (and at most one report per look).
    static let followInterval: Double = 1

    public func follow(onUpdate: @escaping @Sendable (DashboardData?, LiveStatus) -> Void) -> FollowHandle? {
        live.setFollowMode(true)
        let handle = FollowHandle()
        let thread = Thread { [self] in self.followLoop(handle: handle, onUpdate: onUpdate) }
        thread.stackSize = 8 << 20
        thread.start()
        return handle
    }

    /// Reads the store through a follower (the `--follow` load) and keeps the follower for `follow`.
    func loadForFollowing(progress: @escaping @Sendable (LoadProgress) -> Void) throws -> DashboardData {
        let started = Date()
        let program: SegmentProgram?
        do { program = try StoreSession.rules(rulesPath) } catch { throw DashboardLoadError(message: "\(error)") }
        let follower = StoreFollower(paths: paths, selection: StoreSession.selection(program: program, feedback: options.feedback),
                                     options: reader)
        let box = FollowerBox(follower, program: program, options: options)
        do {
            try follower.poll { p in
                progress(LoadProgress(bytesRead: p.bytesRead, totalBytes: p.totalBytes, events: p.events,
                                      elapsedSeconds: Date().timeIntervalSince(started), file: p.file))
            }
        } catch {
            throw DashboardLoadError(message: error.description)
        }
        let data = publish(box, started: started)
        live.stash(box)
        return data
    }

    /// Makes the follower's table the store that filters use and returns its dashboard data: a full analysis
    /// (kept, before the privacy guards, for ``publishLive(_:)``).
    func publish(_ box: FollowerBox, started: Date) -> DashboardData {
        box.flush()
        let store = LoadedStore(table: box.follower.table(), program: box.program, options: options, paths: paths,
                                seconds: Date().timeIntervalSince(started))
        let raw = store.index.map { Analysis.rawReport(index: $0.get()) } ?? Report()
        box.raw = raw
        box.rawSent = true
        box.rawAsOfMs = Int64(Date().timeIntervalSince1970 * 1000)
        box.loadSeconds = Date().timeIntervalSince(started)
        loaded.withLock { $0 = store }
        return DashboardData(report: Privacy.publish(raw, policy: options.privacy), sourceDescription: sourceDescription,
                             loadSeconds: box.loadSeconds,
                             rules: StoreSession.rulesOrigin(storePaths: paths, rulesPath: rulesPath))
    }

    /// The last full analysis with its store and consent sections brought up to date from the events read since
    /// (``LiveFigures``: exact, and a poll's work, not an analysis); nil before the first analysis, or when the
    /// live figures cannot be exact (more consent categories than the table keeps).
    /// `current`: the analysis is of the store as it is now (then the update is one of a single moment).
    func publishLive(_ box: FollowerBox, current: Bool = false) -> DashboardData? {
        box.flush()
        guard let raw = box.raw else { return nil }
        if current || !box.figures.exact {
            // The analysis's own figures: of this very moment, or (without exact live figures) the newest there are,
            // sent once.
            guard current || !box.rawSent else { return nil }
            box.rawSent = true
            return DashboardData(report: Privacy.publish(raw, policy: options.privacy), sourceDescription: sourceDescription,
                                 loadSeconds: box.loadSeconds, rules: StoreSession.rulesOrigin(storePaths: paths, rulesPath: rulesPath),
                                 viewsAsOfMs: current ? nil : box.rawAsOfMs)
        }
        let report = Privacy.publish(box.figures.patch(raw, stats: box.follower.stats), policy: options.privacy)
        return DashboardData(report: report, sourceDescription: sourceDescription, loadSeconds: box.loadSeconds,
                             rules: StoreSession.rulesOrigin(storePaths: paths, rulesPath: rulesPath),
                             viewsAsOfMs: box.rawAsOfMs)
    }

    /// The follow thread: about once a second, read what was appended and send the live status; when
    /// something changed, recompute the report — at most once per ``FollowCadence`` interval (from the
    /// recompute's CPU time), so that on a large store the recompute takes at most a fifth of a core on average
    /// and following as a whole at most a quarter (docs/PERFORMANCE.md).
    func followLoop(handle: FollowHandle, onUpdate: @escaping @Sendable (DashboardData?, LiveStatus) -> Void) {
        var rate = ArrivalRate()
        var total = 0
        let box: FollowerBox
        if let prepared = live.take() {
            box = prepared
        } else {
            // Following started after a plain load: read the store (and the rules) once more, then follow.
            // Rules that cannot be read or parsed now are said once in the status line; following goes on with
            // the rules the dashboard loaded before (none when there were none).
            let program: SegmentProgram?
            var note: String?
            do {
                program = try StoreSession.rules(rulesPath)
            } catch {
                program = loaded.withLock { $0?.program }
                note = Self.rulesNote(error)
            }
            let follower = StoreFollower(paths: paths, selection: StoreSession.selection(program: program, feedback: options.feedback),
                                         options: reader)
            box = FollowerBox(follower, program: program, options: options)
            do {
                let started = Date()
                try follower.poll()
                guard !handle.isStopped else { return }
                let data = publish(box, started: started)
                onUpdate(data, LiveStatus(newestEventMs: follower.newestEventTime, note: note))
            } catch {
                onUpdate(nil, LiveStatus(problem: error.description, note: note))
            }
        }
        let follower = box.follower
        // Every second (on a fixed schedule) the store is polled and the live status goes out, with the live figures
        // (``publishLive(_:)``) when something changed. The full analysis runs on its own thread, on a snapshot of
        // the store, at most once per cadence interval (a fifth of a core on average): polling never waits for it, so
        // the header's figures stay within about a poll of the file however long an analysis takes. Changes not yet
        // in an analysis wait in `unreported`; `current` says whether the last analysis is of the store as it is.
        var cadence = followCadence
        var lastReport = Date()
        var unreported = false
        var current = true
        var running = false
        let finished = FollowAnalysisSlot()
        var wake = Date()
        while !handle.isStopped {
            // Sleep until the next second in small steps so that stopping is quick (no catching up after a slow round).
            wake = max(wake.addingTimeInterval(Self.followInterval), Date().addingTimeInterval(0.2))
            while !handle.isStopped && Date() < wake { Thread.sleep(forTimeInterval: 0.05) }
            if handle.isStopped { return }
            let started = Date()
            var status = LiveStatus()
            var data: DashboardData?
            do {
                let poll = try follower.poll()
                total += poll.newEvents
                rate.add(poll.newEvents, at: started.timeIntervalSince1970)
                if poll.changed { unreported = true; current = false }
                var analysed = false
                if let done = finished.take() {
                    running = false
                    analysed = true
                    cadence.analyzed(seconds: done.cpuSeconds)
                    box.raw = done.raw
                    box.rawAsOfMs = done.asOfMs
                    current = done.eventCount == follower.eventCount && !unreported
                    loaded.withLock { $0 = done.store }
                }
                if poll.changed || analysed { data = publishLive(box, current: current) }
                if !running, unreported, cadence.due(sinceLast: started.timeIntervalSince(lastReport)) {
                    lastReport = started
                    unreported = false
                    running = true
                    analyse(follower.snapshot(), program: box.program, into: finished)
                }
            } catch {
                rate.add(0, at: started.timeIntervalSince1970)
                status.problem = error.description
            }
            status.newestEventMs = follower.newestEventTime
            status.eventsPerSecond = rate.perSecond(at: Date().timeIntervalSince1970)
            status.eventsSinceStart = total
            if handle.isStopped { return }
            onUpdate(data, status)
        }
    }

    /// Runs the full analysis of `snapshot` on a thread of its own and leaves it in `slot` (with its CPU time, all
    /// threads of the process, for the cadence).
    func analyse(_ snapshot: FollowSnapshot, program: SegmentProgram?, into slot: FollowAnalysisSlot) {
        let asOf = Int64(Date().timeIntervalSince1970 * 1000)
        let thread = Thread { [self, slot] in
            let cpu = ProcessCPU.seconds(), started = Date()
            let table = snapshot.table()
            let store = LoadedStore(table: table, program: program, options: options, paths: paths,
                                    seconds: Date().timeIntervalSince(started))
            let raw = store.index.map { Analysis.rawReport(index: $0.get()) } ?? Report()
            let done = FollowAnalysis(raw: raw, store: store, asOfMs: asOf, eventCount: snapshot.eventCount,
                                      cpuSeconds: ProcessCPU.seconds() - cpu)
            slot.put(done)
        }
        thread.stackSize = 8 << 20
        thread.start()
    }
}

/// Where the analysis thread leaves its result for the follow loop.
final class FollowAnalysisSlot: Sendable {
    private let value = Mutex<FollowAnalysis?>(nil)
    func put(_ done: FollowAnalysis) { value.withLock { $0 = done } }
    func take() -> FollowAnalysis? { value.withLock { v in let out = v; v = nil; return out } }
}

/// A full analysis the follow loop ran on a snapshot of the store.
struct FollowAnalysis: Sendable {
    var raw: Report
    var store: LoadedStore
    /// When its snapshot was taken (wall clock, ms since 1970).
    var asOfMs: Int64
    /// Events in its snapshot.
    var eventCount: Int
    var cpuSeconds: Double
}

extension StoreDashboardSource {
    /// The status-line message when following could not read the rules file again: the error's first two
    /// lines on one line (a parse error's heading and its first message).
    static func rulesNote(_ error: AppError) -> String {
        let lines = error.message.split(separator: "\n", omittingEmptySubsequences: true).prefix(2)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        return "Following with the rules loaded before: " + lines.joined(separator: " ")
    }
}

/// The CPU time the process has used (user and system, every thread).
enum ProcessCPU {
    static func seconds() -> Double {
        var u = rusage()
        guard getrusage(RUSAGE_SELF.rawValue, &u) == 0 else { return 0 }
        return Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) / 1e6
            + Double(u.ru_stime.tv_sec) + Double(u.ru_stime.tv_usec) / 1e6
    }
}

/// Events per second over a sliding window of recent polls.
struct ArrivalRate {
    var window: Double = 10
    private var samples: [(time: Double, events: Int)] = []
    private var start: Double?

    mutating func add(_ events: Int, at time: Double) {
        if start == nil { start = time - 1 }
        samples.append((time, events))
        samples.removeAll { $0.time < time - window }
    }

    /// Events in the window divided by the window's length (shorter at the start).
    func perSecond(at time: Double) -> Double {
        guard let start else { return 0 }
        let span = min(window, max(1, time - start))
        let events = samples.filter { $0.time >= time - window }.reduce(0) { $0 + $1.events }
        return Double(events) / span
    }
}
