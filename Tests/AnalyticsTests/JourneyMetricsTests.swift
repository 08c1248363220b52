import XCTest
import EventStore
@testable import Analytics

/// Journeys on hand-built stores; the expected trees are worked out by hand in the comments
/// (docs/DEFINITIONS.md, "Journeys", has the same example).
final class JourneyMetricsTests: XCTestCase {
    typealias F = Fixture
    let t0 = Fixture.t0, minute = Fixture.minute, day = Fixture.day

    static func baby(_ u: String, at t: Int64) -> ParsedEvent { F.track(u, "Email Link Clicked", at: t, ["category": .string("baby")]) }
    static func page(_ u: String, _ section: String, at t: Int64) -> ParsedEvent { F.page(u, at: t, category: section) }
    func page(_ u: String, _ section: String, at t: Int64) -> ParsedEvent { Self.page(u, section, at: t) }

    func emailEvents() -> [ParsedEvent] { Self.emailEvents() }

    static func emailEvents() -> [ParsedEvent] {
        let t0 = Fixture.t0, minute = Fixture.minute, day = Fixture.day
        return [
            // a: baby, baby (repeat collapsed), gifts, sale → baby → gifts → sale (3 steps: complete).
            baby("a", at: t0), page("a", "baby", at: t0 + minute), page("a", "baby", at: t0 + 2 * minute),
            page("a", "gifts", at: t0 + 5 * minute), page("a", "sale", at: t0 + 6 * minute),
            // b: baby, sale, then exactly 30 minutes of silence end the session → baby → sale → (left).
            baby("b", at: t0), page("b", "baby", at: t0 + minute), page("b", "sale", at: t0 + 3 * minute),
            page("b", "gifts", at: t0 + 33 * minute),
            // c, first entry: baby → gifts → checkout.
            baby("c", at: t0), page("c", "baby", at: t0 + minute), page("c", "gifts", at: t0 + 2 * minute),
            page("c", "checkout", at: t0 + 3 * minute),
            // c, second entry a day later: baby, then a 40-minute gap → baby → (left).
            baby("c", at: t0 + day), page("c", "baby", at: t0 + day + minute), page("c", "gifts", at: t0 + day + 41 * minute),
            // d: nothing after the click → (left) at once.
            baby("d", at: t0),
            // e: a click on a gifts product is no entry.
            F.track("e", "Email Link Clicked", at: t0, ["category": .string("gifts")]), page("e", "baby", at: t0 + minute),
        ]
    }

    func journeys(_ rules: String, _ events: [ParsedEvent], now: Int64? = nil) -> [JourneyReport] {
        let table = F.table(events)
        guard let program = F.program(rules) else { return [] }
        return JourneyMetrics.compute(table: table, program: program, options: AnalysisOptions(now: now, privacy: .off))
    }

    /// `step entries/persons [ended]` lines, indented by depth.
    func outline(_ nodes: [JourneyNode], depth: Int = 0) -> [String] {
        nodes.flatMap { n in
            ["\(String(repeating: "  ", count: depth))\(n.step) \(n.entries)/\(n.persons)" + (n.ended > 0 ? " ended \(n.ended)" : "")]
                + outline(n.children, depth: depth + 1)
        }
    }

    func testTreeSessionsCollapsingAndLeft() throws {
        let j = try XCTUnwrap(journeys("""
            journey "After a baby email": from did "Email Link Clicked" where category = "baby" steps 3
            """, emailEvents()).first)
        XCTAssertEqual(j.entries, 5)   // a, b, c twice, d
        XCTAssertEqual(j.persons, 4)
        XCTAssertEqual(outline(j.tree.children), [
            "baby 4/3 ended 1",
            "  gifts 2/2",
            "    checkout 1/1",
            "    sale 1/1",
            "  sale 1/1 ended 1",
            "    (left) 1/1",
            "  (left) 1/1",
            "(left) 1/1",
        ])
        let babyNode = j.tree.children[0]
        XCTAssertEqual(babyNode.share, 4.0 / 5.0)
        XCTAssertEqual(babyNode.endedShare, 1.0 / 4.0)
        XCTAssertEqual(babyNode.children[0].share, 2.0 / 4.0)
        XCTAssertEqual(j.paths.map(\.steps), [
            ["(left)"], ["baby", "(left)"], ["baby", "gifts", "checkout"], ["baby", "gifts", "sale"], ["baby", "sale", "(left)"],
        ])
        XCTAssertEqual(j.paths.map(\.entries), [1, 1, 1, 1, 1])
    }

    func testWindowEndsTheJourney() throws {
        // within 5m: a's gifts page comes exactly 5 minutes after the click (kept), sale 6 minutes after (not).
        let j = try XCTUnwrap(journeys("""
            journey "Quick": from did "Email Link Clicked" where category = "baby" steps 3 within 5m
            """, emailEvents()).first)
        XCTAssertEqual(j.windowSeconds, 300)
        XCTAssertTrue(j.paths.contains { $0.steps == ["baby", "gifts", "(left)"] && $0.entries == 1 })
        // c's first journey: baby, gifts, checkout within 3 minutes: still complete.
        XCTAssertTrue(j.paths.contains { $0.steps == ["baby", "gifts", "checkout"] })
    }

    func testReferenceTimeCutsJourneysAndEntries() throws {
        // As of t0 + 2 minutes: a has seen baby only; c's second entry (a day later) is not there yet.
        let j = try XCTUnwrap(journeys("""
            journey "J": from did "Email Link Clicked" where category = "baby"
            """, emailEvents(), now: t0 + 2 * minute).first)
        XCTAssertEqual(j.entries, 4)
        XCTAssertEqual(j.tree.children.first?.step, "baby")
        XCTAssertEqual(j.tree.children.first?.entries, 3)   // a, b, c (c's gifts page is at t0 + 2 min: included)
    }

    func testTopEightChildrenAndOther() throws {
        // Ten sections after "Go": s1 three times, s2…s10 once each. Kept: s1, then the 1s by name
        // (s10, s2, s3, s4, s5, s6, s7); s8 and s9 fold into (other) with 2 entries of 2 persons.
        var events: [ParsedEvent] = []
        for (i, s) in (["s1", "s1", "s1"] + (2...10).map { "s\($0)" }).enumerated() {
            events += [F.track("p\(i)", "Go", at: t0), page("p\(i)", s, at: t0 + minute)]
        }
        let j = try XCTUnwrap(journeys("journey \"Fold\": from did \"Go\" steps 1", events).first)
        XCTAssertEqual(j.tree.children.map(\.step), ["s1", "s10", "s2", "s3", "s4", "s5", "s6", "s7", "(other)"])
        XCTAssertEqual(j.tree.children.last?.entries, 2)
        XCTAssertEqual(j.tree.children.last?.persons, 2)
        XCTAssertEqual(j.tree.children.first?.entries, 3)
        XCTAssertEqual(j.entries, 12)
    }

    func testBeforeByEventAndEntrysOwnStepCollapses() throws {
        let events = [
            // x: Product Viewed, Cart Viewed ×2, page "Checkout" (name), Order Completed →
            // backwards: Checkout, Cart Viewed (2 steps: complete).
            F.track("x", "Product Viewed", at: t0), F.track("x", "Cart Viewed", at: t0 + minute),
            F.track("x", "Cart Viewed", at: t0 + 2 * minute), F.page("x", at: t0 + 3 * minute, name: "Checkout"),
            F.track("x", "Order Completed", at: t0 + 4 * minute),
            // y: nothing before the order → (start).
            F.track("y", "Order Completed", at: t0),
        ]
        let j = try XCTUnwrap(journeys("journey \"Led to an order\": before did \"Order Completed\" by event steps 2", events).first)
        XCTAssertEqual(j.direction, "before")
        XCTAssertEqual(j.by, "event")
        XCTAssertEqual(j.paths.map(\.steps), [["(start)"], ["Checkout", "Cart Viewed"]])

        // An entry that is itself a page: its own section counts as the step before the first one.
        let pages = [page("z", "baby", at: t0), page("z", "baby", at: t0 + minute), page("z", "sale", at: t0 + 2 * minute)]
        let k = try XCTUnwrap(journeys("journey \"From baby\": from did page where section = \"baby\" steps 1", pages).first)
        XCTAssertEqual(k.entries, 2)
        XCTAssertEqual(k.paths.map(\.steps), [["sale"]])
        XCTAssertEqual(k.paths.first?.entries, 2)
        XCTAssertEqual(k.paths.first?.persons, 1)
    }
}
