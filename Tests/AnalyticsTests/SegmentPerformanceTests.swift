import XCTest
import EventStore
@testable import Analytics
import EarshotTestSupport

/// Measures the example rules over a synthetic 2-million-event store. Skipped unless
/// `EARSHOT_PERF=1`; run it in release: `EARSHOT_PERF=1 swift test -c release --filter SegmentPerformanceTests`.
/// It prints timings and asserts no time limit.
final class SegmentPerformanceTests: XCTestCase {
    func testExampleRulesOverTwoMillionEvents() throws {
        try XCTSkipUnless(ProcessInfo.processInfo.environment["EARSHOT_PERF"] == "1", "set EARSHOT_PERF=1 to run")
        let names = ["Email Link Clicked", "Product Viewed", "Survey Sent", "Order Completed", "Ping"]
        let categories = ["baby", "gifts", "sale", "home"]
        let channels = ["chat", "email", "sms"]
        var b = EventTableBuilder(selection: try SegmentProgram.parse(source: Fixture.exampleRules, fileName: "x").fieldSelection)
        var rng = SeededRandom(seed: 42)
        let persons = 100_000, perPerson = 20
        var buildStart = Date()
        for p in 0..<persons {
            var t = Fixture.t0 + Int64(rng.next() % 1000) * 60_000
            let user = "u\(p)"
            b.add(Fixture.identify(user, at: t, ["region": .string(rng.next() % 3 == 0 ? "coastal" : "inland"),
                                                 "preferred_channel": .string(channels[Int(rng.next() % 3)])]))
            for _ in 0..<perPerson - 1 {
                t += Int64(rng.next() % (3 * 3_600_000))
                if rng.next() % 4 == 0 {
                    b.add(Fixture.page(user, at: t, category: categories[Int(rng.next() % 4)]))
                } else {
                    let n = names[Int(rng.next() % 5)]
                    b.add(Fixture.track(user, n, at: t, ["category": .string(categories[Int(rng.next() % 4)]),
                                                         "channel": .string(channels[Int(rng.next() % 3)])]))
                }
            }
        }
        let table = b.finish()
        print("built \(table.count) events in \(Date().timeIntervalSince(buildStart))s")
        let program = try SegmentProgram.parse(source: Fixture.exampleRules, fileName: "x")
        buildStart = Date()
        let ev = SegmentEvaluator(program: program, table: table)
        print("compiled in \(Date().timeIntervalSince(buildStart))s")
        for _ in 0..<(Int(ProcessInfo.processInfo.environment["EARSHOT_PERF_LOOPS"] ?? "3") ?? 3) {
            let start = Date()
            let sets = ev.evaluate(now: ev.defaultNow)
            print("evaluated in \(Date().timeIntervalSince(start))s: sizes \(sets.map(\.count))")
            XCTAssertEqual(sets.count, 6)
        }
        let start = Date()
        let weeks = SegmentMetrics.weeks(from: table.firstEventTime!, through: ev.defaultNow)
        let m = SegmentMetrics(evaluator: ev, now: ev.defaultNow, consent: ConsentStates(table: table), weeks: weeks,
                               feedback: { _ in ([], NPSStats()) })
        print("metrics with \(weeks.count) weeks in \(Date().timeIntervalSince(start))s: \(m.segments.map(\.size))")
    }
}

