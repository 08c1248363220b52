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
        guard case .and(let gift) = p.segments[1].expression, gift.count == 2,
              case .did(let a, .atLeast(1)) = gift[0], case .did(let b, .atLeast(1)) = gift[1] else {
            return XCTFail("Gift buyer: \(p.segments[1].expression)")
        }
        XCTAssertEqual(a.conditions.map(\.comparison.values), [[.string("baby")]])
        XCTAssertEqual(b.conditions.map(\.comparison.values), [[.string("gifts")]])
        // "Chat regulars": quantifier and window.
        guard case .did(let c, .atLeast(2)) = p.segments[2].expression else { return XCTFail("\(p.segments[2].expression)") }
        XCTAssertEqual(c.window, RuleDuration(milliseconds: 30 * 86_400_000, text: "30d"))
        // "Lapsed buyers": `not` binds to the second did only.
        guard case .and(let l) = p.segments[3].expression, l.count == 2, case .did(_, .atLeast(1)) = l[0],
              case .not(.did(let lapsed, .atLeast(1))) = l[1] else {
            return XCTFail("\(p.segments[3].expression)")
        }
        XCTAssertEqual(lapsed.window?.milliseconds, 60 * 86_400_000)
        guard case .and(let t) = p.segments[4].expression, t.count == 2, case .trait("region", _, _) = t[0],
              case .trait("preferred_channel", let list, _) = t[1] else {
            return XCTFail("\(p.segments[4].expression)")
        }
        XCTAssertEqual(list, Comparison(op: .in, values: [.string("email"), .string("sms")]))
        // Score: 2 * count + minutes/5 + minutes/10: one chain of + whose operands are chains of * and /.
        guard case .arithmetic(let first, let steps) = p.scores[0].expression, steps.map(\.op) == [.add, .add],
              case .arithmetic(.number(2), let s0) = first, s0.map(\.op) == [.multiply], case .count = s0[0].operand,
              case .arithmetic(.minutesIn("baby", nil, _), let s1) = steps[0].operand, s1 == [ArithmeticStep(.divide, .number(5))],
              case .arithmetic(.minutesIn("sale", nil, _), let s2) = steps[1].operand, s2 == [ArithmeticStep(.divide, .number(10))] else {
            return XCTFail("\(p.scores[0].expression)")
        }
        XCTAssertEqual(p.segmentEvaluationOrder.firstIndex(of: 1)! < p.segmentEvaluationOrder.firstIndex(of: 5)!, true)
    }

    func testFreeLayoutCommentsAndRuleText() throws {
        let p = try SegmentProgram.parse(source: """
        # header
        segment "One": did "A"   # trailing comment is not part of the rule
        segment "Two":
            did "B"
              # a comment inside the rule is kept in its text
              or did "C" segment "Three": did "D" score s = 1 score t = s + 2
        """, fileName: "f")
        XCTAssertEqual(p.segments.map(\.name), ["One", "Two", "Three"])
        XCTAssertEqual(p.segments[0].rule, #"did "A""#)
        XCTAssertEqual(p.segments[1].rule, "did \"B\"\n      # a comment inside the rule is kept in its text\n      or did \"C\"")
        XCTAssertEqual(p.scores.map(\.formula), ["1", "s + 2"])
        XCTAssertEqual(p.scores[1].location, SourceLocation(file: "f", line: 6, column: 55, offset: p.scores[1].location.offset))
    }

    func testAndAfterWhereContinuesConditionsOnlyBeforeAComparison() throws {
        let p = try SegmentProgram.parse(source: """
        score likely = 1
        segment "A": did "X" where a = 1 and b = 2 and did "Y"
        segment "B": did "X" where a = 1 and likely >= 2
        segment "C": did "X" where a = 1 and not did "Y" where count > 2 and section contains "x"
        segment "D": (did "X" where a = 1) and likely >= 2
        """, fileName: "f")
        guard case .and(let s0) = p.segments[0].expression, s0.count == 2, case .did(let a, _) = s0[0], case .did(let y, _) = s0[1] else {
            return XCTFail("\(p.segments[0].expression)")
        }
        XCTAssertEqual(a.conditions.map(\.subject), [.property("properties.a"), .property("properties.b")])
        XCTAssertEqual(y.event, .named("Y"))
        guard case .and(let s1) = p.segments[1].expression, s1.count == 2, case .did(let b, _) = s1[0],
              case .score("likely", .greaterOrEqual, 2, _) = s1[1] else {
            return XCTFail("\(p.segments[1].expression)")
        }
        XCTAssertEqual(b.conditions.count, 1)
        guard case .and(let s2) = p.segments[2].expression, s2.count == 2, case .did = s2[0], case .not(.did(let c, _)) = s2[1] else {
            return XCTFail("\(p.segments[2].expression)")
        }
        // a keyword followed by an operator is a property name
        XCTAssertEqual(c.conditions.map(\.subject), [.property("properties.count"), .section])
        XCTAssertEqual(p.segments[3].expression, p.segments[1].expression.withLocations(of: p.segments[3].expression))
        XCTAssertEqual(p.fieldSelection.paths, ["properties.a", "properties.b", "properties.count"])
    }

    func testLiteralsQuantifiersAndLists() throws {
        let p = try SegmentProgram.parse(source: #"""
        segment "A": did "Say \"hi\"" where amount == -2.5 at least 1 time
        segment "B": did "X" exactly 3 in last 2w
        segment "C": did "X" in last 90m at most 0 times where flag != false and tag in ["a", 1, true,]
        score s = sum(revenue of "Order Completed" where context.campaign.medium = "email" in last 1h) * -(2 - 1)
        """#, fileName: "f")
        guard case .did(let a, .atLeast(1)) = p.segments[0].expression else { return XCTFail() }
        XCTAssertEqual(a.event, .named(#"Say "hi""#))
        XCTAssertEqual(a.conditions[0].comparison, Comparison(op: .equal, values: [.number(-2.5)]))
        guard case .did(let b, .exactly(3)) = p.segments[1].expression else { return XCTFail() }
        XCTAssertEqual(b.window?.milliseconds, 14 * 86_400_000)
        guard case .did(let c, .atMost(0)) = p.segments[2].expression else { return XCTFail() }
        XCTAssertEqual(c.window, RuleDuration(milliseconds: 90 * 60_000, text: "90m"))
        XCTAssertEqual(c.conditions.map(\.comparison), [Comparison(op: .notEqual, values: [.bool(false)]),
                                                        Comparison(op: .in, values: [.string("a"), .number(1), .bool(true)])])
        XCTAssertEqual(p.fieldSelection.paths, ["properties.amount", "properties.flag", "properties.tag", "properties.revenue",
                                                "context.campaign.medium"])
        guard case .arithmetic(.sum("properties.revenue", let pattern), let steps) = p.scores[0].expression,
              steps == [ArithmeticStep(.multiply, .negate(.arithmetic(.number(2), [ArithmeticStep(.subtract, .number(1))])))] else {
            return XCTFail("\(p.scores[0].expression)")
        }
        XCTAssertEqual(pattern.window?.milliseconds, 3_600_000)
    }

    func testErrorsAreSortedAndAllReported() {
        let text = Fixture.errors("""
        segment "A": did "x" in last 3x
        segment "B": dod "y"
        segment "C": in "Nope"
        score s = count("x" at least 2)
        """)
        XCTAssertEqual(text.components(separatedBy: "\n\n").map { $0.components(separatedBy: ":").prefix(3).joined(separator: ":") },
                       ["rules.segments:1:30", "rules.segments:2:14", "rules.segments:3:17", "rules.segments:4:21"])
        XCTAssertTrue(text.contains("count(…) takes no 'at least', 'at most' or 'exactly'"), text)
    }
}

extension RuleExpression {
    /// This expression with the source locations of `other` (same shape), to compare structure only.
    func withLocations(of other: RuleExpression) -> RuleExpression {
        switch (self, other) {
        case (.did(var p, let q), .did(let o, _)):
            p.location = o.location
            for i in p.conditions.indices where i < o.conditions.count { p.conditions[i].location = o.conditions[i].location }
            return .did(p, q)
        case (.score(let n, let op, let x, _), .score(_, _, _, let loc)): return .score(n, op, x, location: loc)
        case (.and(let a), .and(let b)) where a.count == b.count:
            return .and(zip(a, b).map { $0.withLocations(of: $1) })
        default: return self
        }
    }
}
