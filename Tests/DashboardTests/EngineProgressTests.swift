@testable import Dashboard
import Analytics
import XCTest

/// `--engine spark` in the dashboard: the loading screen shows the engine's stage and task counts, the header the
/// engine and when it computed, and a segment filter run by the engine its progress (#17).
final class EngineProgressTests: XCTestCase {
    func screen(_ s: AppState) -> String {
        Golden.render(s, width: s.width, height: s.height).textLines().joined(separator: "\n")
    }

    func testLoadingShowsTheEnginesStageAndTasks() {
        var s = AppState(options: DashboardOptions(glyphs: .unicode))
        _ = update(&s, .resize(width: 100, height: 24))
        _ = update(&s, .tick(nowMs: Fixture.nowMs))
        let engine = LoadProgress.EngineStatus(name: "Spark (spark://127.0.0.1:7077)", stage: "3", done: 12, total: 40)
        _ = update(&s, .loadProgress(LoadProgress(bytesRead: 0, totalBytes: 0, events: 0, elapsedSeconds: 7.5, file: "", engine: engine)))
        let text = screen(s)
        XCTAssertTrue(text.contains("Computing with Spark (spark://127.0.0.1:7077)"), text)
        XCTAssertTrue(text.contains("stage 3: 12/40 tasks"), text)
        XCTAssertTrue(text.contains("30.0%"), text)
        XCTAssertTrue(text.contains("7.5s elapsed"), text)
        XCTAssertFalse(text.contains("events/s"), "no bytes or events are known while an engine computes")
        let starting = LoadProgress(bytesRead: 0, totalBytes: 0, events: 0, elapsedSeconds: 1, file: "",
                                    engine: LoadProgress.EngineStatus(name: "Spark (local[2])"))
        XCTAssertNil(starting.fraction)
        XCTAssertEqual(starting.engine?.text, "starting")
    }

    func testHeaderNamesTheEngineAndTheFilterShowsProgress() {
        var s = AppState(options: DashboardOptions(glyphs: .unicode))
        _ = update(&s, .resize(width: 160, height: 30))
        _ = update(&s, .tick(nowMs: Fixture.nowMs))
        _ = update(&s, .loaded(DashboardData(report: Fixture.report, sourceDescription: "shop — computed by Spark 4.3.0 at 2026-11-30T16:00:00.000Z",
                                             loadSeconds: 40)))
        XCTAssertTrue(screen(s).contains("computed by Spark 4.3.0 at 2026-11-30T16:00:00.000Z"), screen(s))
        let name = Fixture.report.segments[0].name
        s.pendingFilter = name
        _ = update(&s, .filterProgress(segment: name, status: "Spark stage 2: 3/8 tasks"))
        XCTAssertEqual(s.filterStatus, "Spark stage 2: 3/8 tasks")
        XCTAssertTrue(screen(s).contains("filtering to \(name) (Spark stage 2: 3/8 tasks)"), screen(s))
        // Progress of another segment's (outdated) filter is ignored; the answer clears the status.
        _ = update(&s, .filterProgress(segment: "other", status: "Spark stage 9: 1/1 tasks"))
        XCTAssertEqual(s.filterStatus, "Spark stage 2: 3/8 tasks")
        _ = update(&s, .filterFailed(segment: name, reason: "spark-submit failed: boom (log: /tmp/x/spark.log)"))
        XCTAssertNil(s.filterStatus)
        XCTAssertEqual(s.message, "spark-submit failed: boom (log: /tmp/x/spark.log)")
    }
}
