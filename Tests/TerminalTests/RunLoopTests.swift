import Analytics
import Dashboard
import Foundation
@testable import Terminal
import XCTest

/// A store in memory: counts loads and filter requests; can fail or block.
final class FakeSource: DashboardSource, @unchecked Sendable {
    enum Mode { case ok, fail, blockAfterProgress }
    private let lock = NSLock()
    private var _loads = 0
    private var _filters: [String] = []
    let mode: Mode
    /// Released by the test to let a blocked load finish.
    let gate = DispatchSemaphore(value: 0)

    init(mode: Mode = .ok) { self.mode = mode }

    var loads: Int { lock.lock(); defer { lock.unlock() }; return _loads }
    var filters: [String] { lock.lock(); defer { lock.unlock() }; return _filters }

    static let report: Report = {
        var store = StoreSummary()
        store.files = 1; store.lines = 1200; store.events = 1200; store.persons = 300
        return Report(now: "2024-06-30T00:00:00Z", store: store, segments: [
            SegmentReport(name: "power_users", rule: "count(track) >= 10", size: 120, share: 0.4, reachable: [:],
                          weekly: [], feedback: [], nps: NPSStats()),
            SegmentReport(name: "churn_risk", rule: "last_seen > 30d", size: 45, share: 0.15, reachable: [:],
                          weekly: [], feedback: [], nps: NPSStats()),
        ])
    }()

    func load(progress: @escaping @Sendable (LoadProgress) -> Void) throws -> DashboardData {
        lock.lock(); _loads += 1; lock.unlock()
        progress(LoadProgress(bytesRead: 500, totalBytes: 1000, events: 600, elapsedSeconds: 0.5, file: "events.jsonl"))
        switch mode {
        case .ok: break
        case .fail: throw LoadError()
        case .blockAfterProgress: gate.wait()
        }
        return DashboardData(report: Self.report, sourceDescription: "fixture", loadSeconds: 0.5)
    }

    func report(filteredTo segment: String) -> Report? {
        lock.lock(); _filters.append(segment); lock.unlock()
        guard let s = Self.report.segments.first(where: { $0.name == segment }) else { return nil }
        var r = Self.report
        r.store.persons = s.size
        return r
    }

    struct LoadError: Error, CustomStringConvertible {
        var description: String { "events.jsonl: permission denied" }
    }
}

final class RunLoopTests: XCTestCase {
    func run(_ source: FakeSource, _ script: [RecordingBackend.Step], size: TerminalSize = .init(width: 100, height: 30),
             worker: some BackgroundWorker = InlineWorker(), glyphs: Glyphs = .unicode) -> (Int32, RecordingBackend) {
        let backend = RecordingBackend(size: size, script: script)
        var now: Int64 = 1_719_705_600_000
        let runtime = DashboardRuntime(source: source, options: TerminalOptions(environment: [:]))
        let status = runtime.run(on: backend, glyphs: glyphs, worker: worker, clock: { now += 250; return now })
        return (status, backend)
    }

    func text(_ buffer: ScreenBuffer?) -> String { buffer?.textLines().joined(separator: "\n") ?? "" }

    func testLoadsThenSwitchesTabsAndQuits() {
        let source = FakeSource()
        let (status, backend) = run(source, [.key(.char("2")), .idle, .key(.char("q"))])
        XCTAssertEqual(status, 0)
        XCTAssertTrue(backend.closed)
        XCTAssertEqual(source.loads, 1)
        let screen = text(backend.lastFrame)
        XCTAssertTrue(screen.contains("2 Segments"), screen)
        XCTAssertTrue(screen.contains("power_users"), screen)
        XCTAssertTrue(screen.contains("churn_risk"), screen)
        // The active tab is drawn in the tab_active role.
        let frame = backend.lastFrame!
        let row = (0..<frame.height).first { y in frame.textLines()[y].contains("2 Segments") }!
        let x = Array(frame.textLines()[row]).firstIndex(of: "S")!
        XCTAssertEqual(frame[x, row].role, .tabActive)
        // What reached the simulated terminal is exactly the last frame.
        XCTAssertEqual(backend.screen, frame)
    }

    func testOnlyChangesAreDrawnAfterTheFirstFrame() {
        // The fake clock advances 250 ms per loop turn: eight idle polls bring two ticks, each redrawn.
        let (_, backend) = run(FakeSource(), Array(repeating: .idle, count: 8) + [.key(.char("q"))])
        XCTAssertGreaterThanOrEqual(backend.frames.count, 3)
        XCTAssertEqual(backend.drawnRuns[0].reduce(0) { $0 + $1.width }, 100 * 30, "the first frame covers the screen")
        // A tick changes at most a few cells (a clock), never the whole screen.
        for runs in backend.drawnRuns.dropFirst() {
            XCTAssertLessThan(runs.reduce(0) { $0 + $1.width }, 100)
        }
        XCTAssertEqual(backend.screen, backend.lastFrame)
    }

    func testQuitWhileLoadingDoesNotWaitForTheLoader() {
        let source = FakeSource(mode: .blockAfterProgress)
        defer { source.gate.signal() }
        let (status, backend) = run(source, [
            .waitUntil(maxPolls: 2000) { $0.textLines().joined().contains("Reading events.jsonl") },
            .key(.char("q")),
        ], worker: ThreadWorker())
        XCTAssertFalse(backend.timedOutWaiting, "the progress never appeared")
        XCTAssertEqual(status, 0)
        XCTAssertTrue(backend.closed)
        XCTAssertTrue(text(backend.lastFrame).contains("Loading"))
        XCTAssertTrue(text(backend.lastFrame).contains("50"), "progress percentage shown: \(text(backend.lastFrame))")
    }

    func testLoadFailureIsShownAndRetryReloads() {
        let source = FakeSource(mode: .fail)
        let (status, backend) = run(source, [.idle, .key(.char("r")), .idle, .key(.char("q"))])
        XCTAssertEqual(status, 0)
        XCTAssertEqual(source.loads, 2)
        let screen = text(backend.lastFrame)
        XCTAssertTrue(screen.contains("Could not load the store"), screen)
        XCTAssertTrue(screen.contains("permission denied"), screen)
    }

    func testCtrlCSignalsAndEndOfInputRestoreTheTerminal() {
        let (c, b1) = run(FakeSource(), [.key(.ctrl("c"))])
        XCTAssertEqual(c, 130)
        XCTAssertTrue(b1.closed)
        let (term, b2) = run(FakeSource(), [.idle, .signal(15)])
        XCTAssertEqual(term, 128 + 15)
        XCTAssertTrue(b2.closed)
        let (hup, b3) = run(FakeSource(), [])
        XCTAssertEqual(hup, 128 + 1)
        XCTAssertTrue(b3.closed)
    }

    func testResizeRendersAtTheNewSize() {
        let (_, backend) = run(FakeSource(), [.events([.resize(TerminalSize(width: 60, height: 20))]), .key(.char("q"))])
        XCTAssertEqual(backend.lastFrame?.width, 60)
        XCTAssertEqual(backend.lastFrame?.height, 20)
        XCTAssertEqual(backend.screen, backend.lastFrame)
    }

    func testSegmentFilterIsComputedInTheBackground() {
        let source = FakeSource()
        // f opens the picker (entry 0 = all persons), Down selects the first segment, Enter applies.
        let (status, backend) = run(source, [.key(.char("f")), .key(.down), .key(.enter), .idle, .key(.char("q"))])
        XCTAssertEqual(status, 0)
        XCTAssertEqual(source.filters, ["power_users"])
        XCTAssertTrue(text(backend.lastFrame).contains("power_users"))
    }

    func testSuspendRedrawsEverythingAfterwards() {
        let (_, backend) = run(FakeSource(), [.idle, .key(.ctrl("z")), .key(.char("q"))])
        XCTAssertEqual(backend.suspensions, 1)
        XCTAssertEqual(backend.screen, backend.lastFrame)
    }

    func testEscapeSequencesInDataNeverReachTheScreen() {
        final class HostileSource: DashboardSource {
            func load(progress: @escaping @Sendable (LoadProgress) -> Void) throws -> DashboardData {
                var r = FakeSource.report
                r.segments[0].name = "evil\u{1b}]52;c;aGVsbG8=\u{07}\u{1b}[2J\u{9b}1m\u{202e}name"
                return DashboardData(report: r, sourceDescription: "fixture\u{1b}[31m", loadSeconds: 0)
            }
            func report(filteredTo segment: String) -> Report? { nil }
        }
        let backend = RecordingBackend(size: TerminalSize(width: 100, height: 30),
                                       script: [.key(.char("2")), .key(.char("q"))])
        _ = DashboardRuntime(source: HostileSource(), options: TerminalOptions(environment: [:]))
            .run(on: backend, glyphs: .unicode, worker: InlineWorker(), clock: { 0 })
        for runs in backend.drawnRuns {
            for run in runs {
                XCTAssertFalse(run.text.unicodeScalars.contains { $0.value < 0x20 || (0x7f...0x9f).contains($0.value)
                    || $0.value == 0x202e }, "unsafe text drawn: \(run.text.debugDescription)")
            }
        }
        XCTAssertTrue(text(backend.lastFrame).contains("evil"))
    }

    func testInboxCoalescesProgressAndDropsStaleLoads() {
        let inbox = ActionInbox()
        let first = inbox.beginLoad()
        let p1 = LoadProgress(bytesRead: 1, totalBytes: 10, events: 1, elapsedSeconds: 0.1, file: "a")
        let p2 = LoadProgress(bytesRead: 2, totalBytes: 10, events: 2, elapsedSeconds: 0.2, file: "a")
        inbox.post(.loadProgress(p1), load: first)
        inbox.post(.loadProgress(p2), load: first)
        let drained = inbox.drain()
        XCTAssertEqual(drained.count, 1)
        if case .loadProgress(let p)? = drained.first { XCTAssertEqual(p, p2) } else { XCTFail("\(drained)") }
        XCTAssertTrue(inbox.drain().isEmpty)

        let second = inbox.beginLoad()
        inbox.post(.loadFailed("old"), load: first)
        inbox.post(.loadFailed("new"), load: second)
        inbox.post(.tick(nowMs: 5))
        let after = inbox.drain()
        XCTAssertEqual(after.count, 2)
        if case .loadFailed(let m)? = after.first { XCTAssertEqual(m, "new") } else { XCTFail("\(after)") }
    }
}
