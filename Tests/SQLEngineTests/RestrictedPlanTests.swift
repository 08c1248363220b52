import Analytics
import EventStore
import XCTest
@testable import SQLEngine

/// The dashboard's segment filter with `--engine spark`: the plan restricted to one segment's members.
final class RestrictedPlanTests: XCTestCase {
    func plan() throws -> SQLPlan {
        let program = try SegmentProgram.parse(source: "segment \"A\":\n    did \"x\"\n\nsegment \"B\":\n    did \"y\"\n", fileName: "t.segments")
        var options = AnalysisOptions()
        options.now = 1_000_000
        return SparkSQLCompiler(options: options, assumeUTC: false, program: program).plan()
    }

    func testStatementsFromEventsOnRunAgainOverTheMembers() throws {
        let full = try plan()
        let r = try XCTUnwrap(full.restricted(toSegment: 1))
        let names = r.statements.map(\.name)
        // The pipeline and the full members first, without results; then the renamed copies.
        let members = try XCTUnwrap(names.firstIndex(of: "es_members"))
        XCTAssertFalse(r.statements[...members].contains(where: \.result))
        XCTAssertTrue(names.contains("esf_events"))
        XCTAssertTrue(names.contains("esf_members"))
        XCTAssertFalse(names.contains("esf_valid"), "the lines are parsed once")
        let eventsStatement = try XCTUnwrap(r.statements.first { $0.name == "esf_events" })
        XCTAssertEqual(eventsStatement.kind, .table, "materialised, as es_events")
        let events = eventsStatement.query
        XCTAssertTrue(events.hasSuffix("WHERE person IN (SELECT person FROM es_members WHERE array_contains(segs, 1))"), events)
        XCTAssertTrue(events.contains("FROM es_marked"), "reads the unrenamed pipeline")
        // The results keep their names and read the renamed views only.
        let results = r.statements.filter(\.result)
        XCTAssertEqual(Set(results.map(\.name)), Set(full.statements.filter(\.result).map(\.name)))
        for s in results where s.name != "store_reads" && s.name != "malformed_kinds" && s.name != "files" && s.name != "file_events" {
            XCTAssertFalse(s.sql.range(of: "\\bes_(events|scope|now|consent_event|members)\\b", options: .regularExpression) != nil, s.sql)
        }
    }

    func testRenameTouchesWholeNamesOnly() {
        let sql = "SELECT * FROM es_events e JOIN es_events_all a ON x JOIN xes_now WHERE es_now.n"
        XCTAssertEqual(SQLPlan.rename(sql, names: ["es_events", "es_now"]),
                       "SELECT * FROM esf_events e JOIN es_events_all a ON x JOIN xes_now WHERE esf_now.n")
    }

    /// A name inside a string literal is text, not a view: an event called `es_scope` in a rules file (or an escaped
    /// quote before it) keeps its name in the restricted plan.
    func testRenameLeavesStringLiteralsAlone() {
        let sql = #"SELECT * FROM es_events e WHERE e.name = 'es_scope' OR e.name IN ('it\'s es_now', 'a\\') AND es_now.n = 1"#
        XCTAssertEqual(SQLPlan.rename(sql, names: ["es_events", "es_now", "es_scope"]),
                       #"SELECT * FROM esf_events e WHERE e.name = 'es_scope' OR e.name IN ('it\'s es_now', 'a\\') AND esf_now.n = 1"#)
        let program = try! SegmentProgram.parse(source: """
            segment "S": did "X"
            loop "L": when did "es_scope" expect did "es_events" within 1d
            """, fileName: "t.segments")
        let plan = SparkSQLCompiler(options: AnalysisOptions(now: 1_780_000_000_000), program: program).plan()
        let triggers = try! XCTUnwrap(plan.restricted(toSegment: 0)?.statements.first { $0.name == "esf_loop_triggers" })
        XCTAssertTrue(triggers.query.contains("'es_scope'") && triggers.query.contains("'es_events'"), triggers.query)
    }

    func testNoSegmentsNoRestriction() throws {
        let p = SparkSQLCompiler(options: AnalysisOptions(), assumeUTC: false, program: nil).plan()
        XCTAssertNil(p.restricted(toSegment: 0))
    }
}
