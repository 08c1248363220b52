import XCTest
import EventStore
@testable import Analytics

final class SegmentParserTests: XCTestCase {
    func testParsesTheExampleRules() throws {
        let p = try SegmentProgram.parse(source: Fixture.exampleRules, fileName: "example.segments")
        XCTAssertEqual(p.segments.map(\.name), ["Baby shopper intent", "Gift buyer", "Chat regulars", "Lapsed buyers",
                                                "Coastal, email preferred", "Likely parent"])
        XCTAssertEqual(p.segments[0].rule, #"did "Email Link Clicked" then did "Product Viewed" where category = "baby" within 1d"#)
        XCTAssertEqual(p.segments[5].rule, #"likely_parent >= 10 and not in "Gift buyer""#)
        XCTAssertEqual(p.segments[0].location.line, 2)
        XCTAssertEqual(p.segments[0].location.column, 1)
        XCTAssertEqual(p.scores.map(\.name), ["likely_parent"])
        XCTAssertEqual(p.scores[0].formula, #"2 * count("Product Viewed" where category = "baby") + minutes_in(section "baby") / 5 + minutes_in(section "sale") / 10"#)
        XCTAssertEqual(p.fieldSelection.paths, ["properties.category", "properties.channel"])

        let loc = p.segments[0].location
        XCTAssertEqual(p.segments[0].expression, .sequence([
            EventPattern(event: .named("Email Link Clicked"), location: SourceLocation(file: "example.segments", line: 3, column: 5, offset: loc.offset + 35)),
            EventPattern(event: .named("Product Viewed"),
                         conditions: [EventCondition(subject: .property("properties.category"),
                                                     comparison: Comparison(op: .equal, values: [.string("baby")]),
                                                     location: SourceLocation(file: "example.segments", line: 3, column: 62, offset: loc.offset + 92))],
                         location: SourceLocation(file: "example.segments", line: 3, column: 35, offset: loc.offset + 65)),
        ], within: RuleDuration(milliseconds: 86_400_000, text: "1d"), location: SourceLocation(file: "example.segments", line: 3, column: 5, offset: loc.offset + 35)))

        // "Gift buyer": two separate did clauses joined by a rule-level `and`.
        guard case .and(.did(let a, .atLeast(1)), .did(let b, .atLeast(1))) = p.segments[1].expression else {
            return XCTFail("Gift buyer: \(p.segments[1].expression)")
        }
        XCTAssertEqual(a.conditions.map(\.comparison.values), [[.string("baby")]])
        XCTAssertEqual(b.conditions.map(\.comparison.values), [[.string("gifts")]])
        // "Chat regulars": quantifier and window.
        guard case .did(let c, .atLeast(2)) = p.segments[2].expression else { return XCTFail("\(p.segments[2].expression)") }
        XCTAssertEqual(c.window, RuleDuration(milliseconds: 30 * 86_400_000, text: "30d"))
        // "Lapsed buyers": `not` binds to the second did only.
        guard case .and(.did(_, .atLeast(1)), .not(.did(let lapsed, .atLeast(1)))) = p.segments[3].expression else {
            return XCTFail("\(p.segments[3].expression)")
        }
        XCTAssertEqual(lapsed.window?.milliseconds, 60 * 86_400_000)
        guard case .and(.trait("region", _, _), .trait("preferred_channel", let list, _)) = p.segments[4].expression else {
            return XCTFail("\(p.segments[4].expression)")
        }
        XCTAssertEqual(list, Comparison(op: .in, values: [.string("email"), .string("sms")]))
        // Score: ((2 * count) + minutes/5) + minutes/10.
        guard case .add(.add(.multiply(.number(2), .count), .divide(.minutesIn("baby", nil, _), .number(5))),
                        .divide(.minutesIn("sale", nil, _), .number(10))) = p.scores[0].expression else {
            return XCTFail("\(p.scores[0].expression)")
        }
        XCTAssertEqual(p.segmentEvaluationOrder.firstIndex(of: 1)! < p.segmentEvaluationOrder.firstIndex(of: 5)!, true)
    }
}
