import Foundation
import XCTest
import EventStore
@testable import Analytics

/// Issue 11.5: the pairwise overlap is quadratic in the number of segments; thousands of generated
/// rules must not take memory or output quadratic in their number, and the report says what was left out.
final class SegmentOverlapLimitTests: XCTestCase {
    static let table = Fixture.table((0 ..< 40).flatMap { p in
        (0 ..< 3).map { k in Fixture.track("u\(p)", "e\((p + k) % 7)", at: Fixture.t0 + Int64(p * 10 + k) * Fixture.minute) }
    })

    /// `count` segments `S0`, `S1`, … each selecting persons that did one of seven events.
    static func rules(_ count: Int) -> String {
        (0 ..< count).map { "segment \"S\($0)\": did \"e\($0 % 7)\"" }.joined(separator: "\n")
    }

    func testThreeThousandRulesPairOnlyTheFirstHundred() throws {
        let n = 3_000
        let program = try SegmentProgram.parse(source: Self.rules(n), fileName: "generated.segments")
        let report = Analysis.report(table: Self.table, program: program, options: AnalysisOptions())
        let limit = SegmentMetrics.overlapLimit
        XCTAssertEqual(limit, 100)
        XCTAssertEqual(report.segments.count, n, "every segment still has its size")
        XCTAssertEqual(report.overlap.count, limit * (limit - 1) / 2)
        let named = Set(program.segments.prefix(limit).map(\.name))
        XCTAssertTrue(report.overlap.allSatisfy { named.contains($0.a) && named.contains($0.b) })
        XCTAssertEqual(report.store.warnings.filter { $0.contains("overlap") },
                       ["segment overlap covers the first 100 segments of 3000 only (limit 100): the overlaps of the other 2900 are left out"])
        // The pairs still have their values: S0 and S7 select the same persons (did "e0").
        let s0s7 = report.overlap.first { $0.a == "S0" && $0.b == "S7" }
        XCTAssertEqual(s0s7?.size, report.segments[0].size)
        // The JSON stays proportional to the segments (the full matrix would be 4.5 million pairs).
        let json = try JSONEncoder().encode(report)
        XCTAssertLessThan(json.count, 8 << 20, "\(json.count) bytes")
        XCTAssertEqual(Analysis.overlapWarning(leftOut: 2900), report.store.warnings.last)
    }

    func testAtTheLimitEveryPairIsThereAndNothingIsSaid() throws {
        let program = try SegmentProgram.parse(source: Self.rules(SegmentMetrics.overlapLimit), fileName: "g.segments")
        let report = Analysis.report(table: Self.table, program: program, options: AnalysisOptions())
        XCTAssertEqual(report.overlap.count, 4_950)
        XCTAssertFalse(report.store.warnings.contains { $0.contains("overlap") })
        let small = try SegmentProgram.parse(source: Self.rules(3), fileName: "g.segments")
        let r3 = Analysis.report(table: Self.table, program: small, options: AnalysisOptions())
        XCTAssertEqual(r3.overlap.map { [$0.a, $0.b] }, [["S0", "S1"], ["S0", "S2"], ["S1", "S2"]])
    }
}
