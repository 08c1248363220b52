import XCTest
import Foundation
import Analytics
import EventStore
import EarshotTestSupport
@testable import SQLEngine

/// Loops and journeys with `--engine spark` (docs/SCALE.md; docs/DEFINITIONS.md, "Loops", "Journeys"): the generated
/// SQL (golden files), and the figures earshot builds from the engine's integer rows, hand-computed from the worked
/// examples of docs/DEFINITIONS.md. What the SQL computes is checked against the embedded engine by the Spark
/// agreement test (`Tests/Fixtures/spark-edge/h-flows.jsonl`).
final class FlowSQLTests: XCTestCase {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    func compiler(_ rules: String) throws -> SparkSQLCompiler {
        let program = try SegmentProgram.parse(source: rules, fileName: "t.segments")
        return SparkSQLCompiler(options: AnalysisOptions(now: 1_780_000_000_000), program: program)
    }

    func golden(_ statements: [SQLStatement], columns: [(name: String, sql: String)], _ name: String) {
        var text = columns.map { "-- column \($0.name):\n\($0.sql)\n" }.joined()
        text += statements.map { "-- \($0.kind.rawValue): \($0.name)\n\($0.query);\n" }.joined(separator: "\n")
        GoldenFile.check(text, at: Self.directory.appendingPathComponent(name), filter: "FlowSQLTests")
    }

    /// Loops: a `did` with a condition, `answered nps` (the standard score fields), alternatives, the promise.
    func testLoopStatements() throws {
        let c = try compiler("""
            loop "Late delivery apology": when did "Order Delivered" where late = true expect did "Apology Sent" within 1d
            loop "Detractor follow-up": when answered nps <= 6 expect did "Support Ticket Created" or did "Email Sent" where campaign = "recovery" within 3d
            """)
        golden(c.loopStatements(), columns: c.extraColumns.filter { $0.name.hasPrefix("pv") }, "loop-statements.sql")
        XCTAssertFalse(c.plan().notComputed.contains("loops"))
        // Every window frame grows: Spark recomputes a shrinking frame (one ending `UNBOUNDED FOLLOWING`) for every
        // row, quadratic in a person's events (a bot's millions of events).
        for s in c.plan().statements { XCTAssertFalse(s.query.contains("UNBOUNDED FOLLOWING"), "\(s.name): a shrinking window frame") }
    }

    /// Journeys: `from … by section … within`, `before … by event`.
    func testJourneyStatements() throws {
        let c = try compiler("""
            journey "After a baby email": from did "Email Link Clicked" where category = "baby" steps 3 within 30m
            journey "Led to an order": before did "Order Completed" by event steps 2
            """)
        golden(c.journeyStatements(), columns: c.extraColumns.filter { $0.name == "section" || $0.name.hasPrefix("pv") }, "journey-statements.sql")
        let plan = c.plan()
        XCTAssertFalse(plan.notComputed.contains("journeys"))
        XCTAssertTrue(c.extraColumns.contains { $0.name == "section" }, "a journey by section reads the section column")
        // The restricted plan (segment filter) needs a segment; without one the flows still come before the results' end.
        XCTAssertTrue(plan.statements.contains { $0.name == "journey_paths" })
    }

    /// Without a rules file nothing of loops and journeys is compiled (and both are named as not computed).
    func testNoRulesNoFlows() throws {
        let c = SparkSQLCompiler(options: AnalysisOptions())
        XCTAssertTrue(c.loopStatements().isEmpty)
        XCTAssertTrue(c.journeyStatements().isEmpty)
        XCTAssertTrue(c.plan().notComputed.contains("loops"))
        XCTAssertTrue(c.plan().notComputed.contains("journeys"))
        // Rules without loops or journeys add no column to the events (the follow-up's channel is read for loops only).
        let segmentsOnly = try SparkSQLCompiler(options: AnalysisOptions(), program: SegmentProgram.parse(source: #"segment "S": did "X" where a = 1"#,
                                                                                                        fileName: "t.segments"))
        XCTAssertEqual(segmentsOnly.extraColumns.map(\.name).filter { $0.hasPrefix("pv") || $0 == "section" }, ["pv0"])
        XCTAssertFalse(segmentsOnly.plan().notComputed.contains("loops"), "an empty list of loops is computed (none)")
    }

    func result(_ results: String) throws -> EngineResult {
        let text = #"{"spark_version":"4.3.0","master":"local[1]","seconds":2,"results":"# + results + "}"
        return try EngineResult(json: Data(text.utf8))
    }

    /// The worked example of docs/DEFINITIONS.md, "Loops" (`LoopMetricsTests`): t0 = Monday 2026-03-02 00:00 UTC
    /// (1 772 409 600 000 ms, ISO week index 2931), now = t0 + 10 d, within 1 d. The rows are what the SQL gives
    /// for u1…u9: outcomes per week and channel, the two middle times to close, the 90th percentile, u3's open trigger
    /// 12 h old (bin 4 of eight 3-hour bins).
    func testLoopFromCounts() throws {
        let t0: Int64 = 1_772_409_600_000, day: Int64 = 86_400_000
        let now = t0 + 10 * day
        let r = try result("""
            {"loop_outcomes":[
               {"loop":0,"week":2931,"outcome":0,"channel":"email","triggers":2,"first":\(t0)},
               {"loop":0,"week":2931,"outcome":0,"channel":"unknown","triggers":1,"first":\(t0)},
               {"loop":0,"week":2931,"outcome":1,"channel":"sms","triggers":1,"first":\(t0)},
               {"loop":0,"week":2931,"outcome":3,"channel":null,"triggers":4,"first":\(t0)},
               {"loop":0,"week":2932,"outcome":2,"channel":null,"triggers":1,"first":\(t0 + 9 * day + day / 2)}],
             "loop_close":[{"loop":0,"prompts":9,"answered":4,"persons_prompted":8,"persons_answered":4,"median_low":3600000,"median_high":7200000}],
             "loop_channel_close":[
               {"loop":0,"channel":"email","prompts":2,"answered":2,"persons_prompted":2,"persons_answered":2,"median_low":3600000,"median_high":7200000},
               {"loop":0,"channel":"sms","prompts":1,"answered":1,"persons_prompted":1,"persons_answered":1,"median_low":108000000,"median_high":108000000},
               {"loop":0,"channel":"unknown","prompts":1,"answered":1,"persons_prompted":1,"persons_answered":1,"median_low":0,"median_high":0}],
             "loop_p90":[{"loop":0,"p90":108000000}],
             "loop_open_ages":[{"loop":0,"bin":4,"open":1}]}
            """)
        let program = try SegmentProgram.parse(source: #"""
            loop "Late delivery apology": when did "Order Delivered" where late = true expect did "Apology Sent" within 1d
            """#, fileName: "t.segments")
        let loops = EngineReport.loops(result: r, program: program, now: now)
        XCTAssertEqual(loops.count, 1)
        let l = try XCTUnwrap(loops.first)
        XCTAssertEqual([l.triggers, l.inTime, l.late, l.open, l.missed], [9, 3, 1, 1, 4])
        XCTAssertEqual(l.persons, 8)
        XCTAssertEqual(l.inTimeRate, 0.375)
        XCTAssertEqual(l.lateRate, 0.125)
        XCTAssertEqual(l.missedRate, 0.5)
        XCTAssertEqual(l.medianSecondsToClose, 5400)
        XCTAssertEqual(l.p90SecondsToClose, 108_000)
        XCTAssertEqual(l.oldestOpenSeconds, 43_200)
        XCTAssertEqual(l.openOlderThanHours, 12)
        XCTAssertEqual(l.withinSeconds, 86_400)
        XCTAssertEqual(l.byChannel.map(\.channel), ["email", "sms", "unknown"])
        XCTAssertEqual(l.byChannel.map(\.closed), [2, 1, 1])
        XCTAssertEqual(l.byChannel.map(\.inTime), [2, 0, 1])
        XCTAssertEqual(l.byChannel.map(\.medianSecondsToClose), [5400, 108_000, 0])
        XCTAssertEqual(l.weekly.map(\.week), ["2026-W10", "2026-W11"])
        XCTAssertEqual(l.weekly.map { [$0.outcomes.triggers, $0.outcomes.inTime, $0.outcomes.late, $0.outcomes.open, $0.outcomes.missed] },
                       [[8, 3, 1, 0, 4], [1, 0, 0, 1, 0]])
        XCTAssertEqual(l.weekly.map(\.outcomes.inTimeRate), [0.375, nil])
        XCTAssertEqual(l.openAges.map(\.open), [0, 0, 0, 0, 1, 0, 0, 0])
        XCTAssertEqual(l.openAges[4].fromSeconds, 43_200)
        XCTAssertEqual(l.openAges[4].toSeconds, 54_000)
        // Without events (no `now`) a loop has no figures, as the embedded engine's.
        let empty = EngineReport.loops(result: try result("{}"), program: program, now: nil)
        XCTAssertEqual(empty, [LoopReport(name: "Late delivery apology", rule: program.loops[0].rule, withinSeconds: 86_400)])
    }

    /// The worked example of docs/DEFINITIONS.md, "Journeys" (`JourneyMetricsTests`): a baby → gifts → sale,
    /// b baby → sale → (left), c baby → gifts → checkout, c (a day later) baby → (left), d (left). Entries 5, persons
    /// 4; a second journey folds the children after the top 8 into `(other)`.
    func testJourneyFromCounts() throws {
        let r = try result("""
            {"journey_entries":[{"journey":0,"entries":5,"persons":4,"ended":1,"ended_persons":1},
                                {"journey":1,"entries":12,"persons":12,"ended":0,"ended_persons":0}],
             "journey_nodes":[
               {"journey":0,"parent":[],"step":"baby","entries":4,"persons":3,"ended":1,"ended_persons":1},
               {"journey":0,"parent":["baby"],"step":"gifts","entries":2,"persons":2,"ended":0,"ended_persons":0},
               {"journey":0,"parent":["baby"],"step":"sale","entries":1,"persons":1,"ended":1,"ended_persons":1},
               {"journey":0,"parent":["baby","gifts"],"step":"sale","entries":1,"persons":1,"ended":0,"ended_persons":0},
               {"journey":0,"parent":["baby","gifts"],"step":"checkout","entries":1,"persons":1,"ended":0,"ended_persons":0},
               \((0..<8).map { #"{"journey":1,"parent":[],"step":"s\#($0)","entries":\#($0 == 3 ? 3 : 1),"persons":1,"ended":0,"ended_persons":0}"# }.joined(separator: ","))],
             "journey_other":[{"journey":1,"parent":[],"entries":2,"persons":1,"ended":1}],
             "journey_paths":[
               {"journey":0,"steps":["baby","gifts","sale"],"ended":0,"entries":1,"persons":1},
               {"journey":0,"steps":["baby","sale"],"ended":1,"entries":1,"persons":1},
               {"journey":0,"steps":["baby","gifts","checkout"],"ended":0,"entries":1,"persons":1},
               {"journey":0,"steps":["baby"],"ended":1,"entries":1,"persons":1},
               {"journey":0,"steps":[],"ended":1,"entries":1,"persons":1}]}
            """)
        let program = try SegmentProgram.parse(source: """
            journey "After a baby email": from did "Email Link Clicked" where category = "baby" steps 3
            journey "Before": before did "Order Completed" steps 1
            """, fileName: "t.segments")
        let journeys = EngineReport.journeys(result: r, program: program, now: 1)
        let j = journeys[0]
        XCTAssertEqual([j.entries, j.persons], [5, 4])
        XCTAssertEqual(j.tree.children.map(\.step), ["baby", "(left)"])
        let baby = j.tree.children[0]
        XCTAssertEqual([baby.entries, baby.persons, baby.ended], [4, 3, 1])
        XCTAssertEqual(baby.share, 0.8)
        XCTAssertEqual(baby.endedShare, 0.25)
        XCTAssertEqual(baby.children.map(\.step), ["gifts", "sale", "(left)"])
        XCTAssertEqual(baby.children.map(\.entries), [2, 1, 1])
        XCTAssertEqual(baby.children[0].children.map(\.step), ["checkout", "sale"], "ties by name")
        XCTAssertEqual(baby.children[1].children.map(\.step), ["(left)"])
        XCTAssertEqual(j.tree.children[1].entries, 1)
        XCTAssertEqual(j.tree.children[1].share, 0.2)
        XCTAssertEqual(j.paths.map(\.steps), [["(left)"], ["baby", "(left)"], ["baby", "gifts", "checkout"], ["baby", "gifts", "sale"],
                                              ["baby", "sale", "(left)"]], "ties by their steps in order")
        let folded = journeys[1]
        XCTAssertEqual(folded.tree.children.map(\.step), ["s3", "s0", "s1", "s2", "s4", "s5", "s6", "s7", "(other)"])
        let other = try XCTUnwrap(folded.tree.children.last)
        XCTAssertEqual([other.entries, other.persons, other.ended], [2, 1, 1])
        XCTAssertEqual(other.share, 2.0 / 12)
        XCTAssertTrue(other.children.isEmpty)
    }
}
