import XCTest
import Analytics
@testable import SQLEngine

/// The SQL of each rule construct, exactly (docs/SCALE.md): a change to the generated SQL shows here first.
final class SegmentSQLGoldenTests: XCTestCase {
    func compile(_ rules: String) throws -> SegmentSQL {
        SegmentSQL(program: try SegmentProgram.parse(source: rules, fileName: "t.segments"))
    }

    func testDidCountsEventsByName() throws {
        let s = try compile(#"segment "A": did "Order Completed""#)
        XCTAssertEqual(s.compiled["A"], "p.c0 >= 1L")
        XCTAssertEqual(s.counts.map(\.1), ["count_if(e.name = 'Order Completed')"])
    }

    func testNotAndOrAndQuantifiers() throws {
        let s = try compile(#"segment "A": not did "X" and (did page at least 3 times or did any exactly 2 times or did "Y" at most 1 times)"#)
        XCTAssertEqual(s.compiled["A"], "(NOT (p.c0 >= 1L) AND (p.c1 >= 3L OR p.c2 = 2L OR p.c3 <= 1L))")
        XCTAssertEqual(s.counts.map(\.1), ["count_if(e.name = 'X')", "count_if(e.kind IN ('page', 'screen'))", "count_if(TRUE)",
                                           "count_if(e.name = 'Y')"])
    }

    func testWhereConditionsAreTypeExact() throws {
        let s = try compile(#"segment "A": did "V" where category = "baby" and price >= 20 and gift != true and name contains "Set" and size in ["S", 2]"#)
        XCTAssertEqual(s.properties, ["properties.category", "properties.price", "properties.gift", "properties.name", "properties.size"])
        XCTAssertEqual(s.counts.map(\.1), ["count_if(e.name = 'V'"
            + " AND COALESCE(((e.pv0.t = 's' AND e.pv0.s = 'baby')), FALSE)"
            + " AND COALESCE((e.pv1.t = 'n' AND e.pv1.n >= CAST('20.0' AS DOUBLE)), FALSE)"
            + " AND COALESCE((e.pv2.t = 'b' AND e.pv2.b <> TRUE), FALSE)"
            + " AND COALESCE((e.pv3.t = 's' AND instr(e.pv3.s, 'Set') > 0), FALSE)"
            + " AND COALESCE(((e.pv4.t = 's' AND e.pv4.s = 'S') OR (e.pv4.t = 'n' AND e.pv4.n = CAST('2.0' AS DOUBLE))), FALSE))"])
    }

    func testSectionIsCaseInsensitive() throws {
        let s = try compile(#"segment "A": did page where section = "Sale""#)
        XCTAssertTrue(s.usesSection)
        XCTAssertEqual(s.counts.map(\.1), ["count_if(e.kind IN ('page', 'screen') AND (e.section = 'sale'))"])
    }

    func testWindowUsesIntegerMillisecondsWithL() throws {
        let s = try compile(#"segment "A": did "X" in last 30d"#)
        XCTAssertEqual(s.counts.map(\.1), ["count_if(e.name = 'X' AND e.time >= n.now - 2592000000L)"])
    }

    func testTraitAndMembership() throws {
        let s = try compile("""
            segment "A": trait region = "coastal" and trait plan in ["pro", "plus"]
            segment "B": in "A" and not did "X"
            """)
        XCTAssertEqual(s.traits, ["region", "plan"])
        XCTAssertEqual(s.compiled["A"], "(COALESCE(((p.tr0.t = 's' AND p.tr0.s = 'coastal')), FALSE) AND "
                       + "COALESCE(((p.tr1.t = 's' AND p.tr1.s = 'pro') OR (p.tr1.t = 's' AND p.tr1.s = 'plus')), FALSE))")
        XCTAssertEqual(s.compiled["B"], "((" + s.compiled["A"]! + ") AND NOT (p.c0 >= 1L))")
    }

    /// Every construct of the rules language compiles (sums, lists, `in` a segment using them); what the compiler
    /// cannot translate is still named, never approximated: a score chain nested deeper than its recursion bound, and a
    /// segment that is `in` such a segment.
    func testEveryConstructCompilesAndTooDeepScoresAreNamed() throws {
        var rules = "score s0 = count(\"X\")\n"
        for i in 1...40 { rules += "score s\(i) = s\(i - 1) + 1\n" }
        rules += """
            score n = count("X") + sum(revenue of "Order Completed") + minutes_in(section "sale")
            score m = count("X") * 2 + minutes_in(section "sale") / 3
            segment "Seq": did "A" then did "B" within 1d
            segment "Score": n >= 3
            segment "Exact score": m >= 3
            segment "List": did "O" where products[].category = "baby"
            segment "Uses": in "Score"
            segment "Deep": s40 >= 1
            segment "Uses deep": in "Deep"
            """
        let s = try compile(rules)
        XCTAssertEqual(Set(s.compiled.keys), ["Seq", "Score", "Exact score", "List", "Uses"])
        XCTAssertEqual(Set(s.unsupported.keys), ["Deep", "Uses deep"])
        XCTAssertTrue(s.unsupported["Deep"]?.hasPrefix("score s") == true, s.unsupported["Deep"] ?? "")
        XCTAssertEqual(s.unsupported["Uses deep"], "in \"Deep\" (\(s.unsupported["Deep"] ?? ""))")
        XCTAssertEqual(s.compiled["Seq"], "COALESCE(q0.done, FALSE)")
        XCTAssertEqual(s.compiled["Exact score"],
                       "(((CAST(p.c0 AS DOUBLE) * CAST('2.0' AS DOUBLE)) + COALESCE(try_divide((CAST(COALESCE(p.c2, 0L) AS DOUBLE) / "
                       + "CAST('60000.0' AS DOUBLE)), CAST('3.0' AS DOUBLE)), CAST('0.0' AS DOUBLE))) >= CAST('3.0' AS DOUBLE))")
    }

    func testJSONPathsQuoteKeysThatAreNotIdentifiers() {
        XCTAssertEqual(SegmentSQL.jsonPath("properties.$set.region"), "$.properties['$set'].region")
        XCTAssertEqual(SegmentSQL.jsonPath("context.a-b.c"), "$.context['a-b'].c")
        // Spark's path parser reads `['[^']*']`, `["[^"]*"]` and `.[^.[]+` (VariantPathParser, Spark 4): a key with a
        // quote takes the other quote (a `\'` escape is no escape there, and the whole plan failed on a trait named
        // `it's`); a key with both quotes the dotted form.
        XCTAssertEqual(SegmentSQL.jsonPath("traits.it's"), #"$.traits["it's"]"#)
        XCTAssertEqual(SegmentSQL.jsonPath(#"traits.say "hi" it's"#), #"$.traits.say "hi" it's"#)
    }
}
