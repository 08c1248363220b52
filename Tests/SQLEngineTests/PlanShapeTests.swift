import Analytics
import EarshotTestSupport
import Foundation
import XCTest
@testable import SQLEngine

/// The shape of the Spark plan (docs/SCALE.md, "Plan shape"): the store is scanned, parsed and validated by one
/// statement, and the shared base relations are materialised tables, so no figure's statement plans the scan, the
/// parse, the dedupe or the stitching again (a view is inlined into every statement that reads it).
final class PlanShapeTests: XCTestCase {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    func fullPlan() throws -> SQLPlan {
        let rules = try String(contentsOfFile: Binary.packageRoot + "/Tests/Fixtures/spark-edge.segments", encoding: .utf8)
        let program = try SegmentProgram.parse(source: rules, fileName: "spark-edge.segments")
        var options = AnalysisOptions()
        options.now = 1_000_000
        return SparkSQLCompiler(options: options, assumeUTC: false, program: program).plan()
    }

    /// The views a statement inlines, transitively (a table's query is not inlined: it is read as stored rows).
    static func inlined(_ s: SQLStatement, in plan: SQLPlan) -> Set<String> {
        let byName = Dictionary(plan.statements.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var seen = Set<String>(), stack = [s.query]
        while let q = stack.popLast() {
            for name in Self.names(in: q) where !seen.contains(name) {
                if name == "earshot_lines" { seen.insert(name); continue }
                guard let t = byName[name], t.kind == .view else { continue }
                seen.insert(name)
                stack.append(t.query)
            }
        }
        return seen
    }

    static func names(in sql: String) -> Set<String> {
        let re = try! NSRegularExpression(pattern: "\\b(?:esf?_[a-z_0-9]+|earshot_lines)\\b")
        let ns = sql as NSString
        return Set(re.matches(in: sql, range: NSRange(location: 0, length: ns.length)).map { ns.substring(with: $0.range) })
    }

    func testTheStoreIsScannedAndParsedByOneStatement() throws {
        for plan in [try fullPlan(), try XCTUnwrap(try fullPlan().restricted(toSegment: 0))] {
            let scanning = plan.statements.filter { $0.kind != .view && Self.inlined($0, in: plan).contains("earshot_lines") }
            XCTAssertEqual(scanning.map(\.name), ["es_valid"], "only the validated lines' table reads the store")
            XCTAssertEqual(scanning.first?.kind, .table)
        }
    }

    func testSharedBaseRelationsAreTables() throws {
        let plan = try fullPlan()
        let kinds = Dictionary(plan.statements.map { ($0.name, $0.kind) }, uniquingKeysWith: { a, _ in a })
        for name in ["es_valid", "es_dedup", "es_person", "es_events", "es_consent_event", "es_fb", "es_fb_prompts", "es_members"] {
            XCTAssertEqual(kinds[name], .table, name)
        }
        // The windows and joins of dedupe and stitching are planned once: no result inlines them.
        for s in plan.statements where s.kind == .result {
            let views = Self.inlined(s, in: plan)
            XCTAssertTrue(views.isDisjoint(with: ["es_dedup", "es_link", "es_person", "es_json", "es_shape", "es_item", "es_rec", "es_time"]),
                          "\(s.name) inlines \(views.sorted())")
        }
    }

    /// Weekly sizes (docs/SCALE.md, "Weekly sizes without events × weeks"): no statement joins the events to every week
    /// end at or after them, except for a `then … within` chain with a windowed step (spark-edge.segments has one).
    func testWeeklySizesDoNotJoinEveryEventToEveryWeek() throws {
        let unbounded = "JOIN es_segment_weeks n ON e.time <= n.now"
        func occurrences(_ plan: SQLPlan) -> [String: Int] {
            var out: [String: Int] = [:]
            for s in plan.statements where s.query.contains(unbounded) {
                out[s.name] = s.query.components(separatedBy: unbounded).count - 1
            }
            return out
        }
        XCTAssertEqual(occurrences(try fullPlan()), ["es_members_weekly": 1], "only the windowed chain")
        let rules = try String(contentsOfFile: Binary.packageRoot + "/Tests/Fixtures/spark-edge.segments", encoding: .utf8)
            .split(separator: "\n").filter { !$0.hasPrefix("segment \"Windowed chain edge\"") }.joined(separator: "\n")
        let program = try SegmentProgram.parse(source: rules, fileName: "spark-edge.segments")
        let plan = SparkSQLCompiler(options: AnalysisOptions(), assumeUTC: false, program: program).plan()
        XCTAssertEqual(occurrences(plan), [:])
        let names = plan.statements.map(\.name)
        for name in ["es_segment_partial", "es_segment_partial_next", "es_segment_windowed", "es_members_weekly"] {
            XCTAssertTrue(names.contains(name), name)
        }
    }

    /// Statements run in order: every name a statement reads is defined before it.
    func testEveryNameIsDefinedBeforeItIsRead() throws {
        for plan in [try fullPlan(), try XCTUnwrap(try fullPlan().restricted(toSegment: 2))] {
            var defined: Set<String> = ["earshot_lines"]
            for s in plan.statements {
                let missing = Self.names(in: s.query).subtracting(defined)
                XCTAssertTrue(missing.isEmpty, "\(s.name) reads \(missing.sorted()) before they exist")
                if s.kind != .result { defined.insert(s.name) }
            }
        }
    }

    /// The base layer as a golden (re-record with `EARSHOT_RECORD=1` and review): every statement from the store's
    /// lines to the events and per-event consent, with what is a view and what a table.
    func testBasePipelineGolden() throws {
        let compiler = SparkSQLCompiler(options: AnalysisOptions(), assumeUTC: false)
        let text = compiler.pipeline().map { "-- \($0.kind.rawValue): \($0.name)\n\($0.sql);\n" }.joined(separator: "\n")
        GoldenFile.check(text, at: Self.directory.appendingPathComponent("base-pipeline.sql"), filter: "PlanShapeTests")
    }
}
