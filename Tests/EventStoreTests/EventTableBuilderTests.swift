import XCTest
@testable import EventStore

final class EventTableBuilderTests: XCTestCase {
    func testStitchingDedupeAndOrder() {
        var b = EventTableBuilder()
        // anonymous browsing, then sign-in (anon a1 first appears with u1 at t=30)
        b.add(ParsedEvent(kind: .page, messageId: "m1", time: 20, anonymousId: "a1", category: "Baby"))
        b.add(ParsedEvent(kind: .page, messageId: "m2", time: 10, anonymousId: "a1", pagePath: "/gifts/x"))
        b.add(ParsedEvent(kind: .identify, messageId: "m3", time: 30, userId: "u1", anonymousId: "a1",
                          traits: [PathValue("region", .string("coastal"))]))
        b.add(ParsedEvent(kind: .track, messageId: "m3", time: 31, userId: "u1", event: "dup"))  // duplicate
        b.add(ParsedEvent(kind: .track, messageId: "m4", time: 5, anonymousId: "a2", event: "Order Completed",
                          consent: [ConsentEntry("Analytics", true)],
                          properties: [PathValue("properties.category", .string("baby"))]))
        // a later pairing of a1 with u2 does not move a1
        b.add(ParsedEvent(kind: .track, messageId: "m5", time: 40, userId: "u2", anonymousId: "a1", event: "x"))
        // alias: a3 → u2
        b.add(ParsedEvent(kind: .alias, messageId: "m6", time: 50, userId: "u2", previousId: "a3"))
        b.add(ParsedEvent(kind: .track, messageId: "m7", time: 60, anonymousId: "a3", event: "y"))
        let t = b.finish()
        XCTAssertEqual(t.stats.duplicates, 1)
        XCTAssertEqual(t.count, 7)
        XCTAssertEqual(t.personCount, 3)
        let ids = (0..<t.personCount).map { t.strings[t.personID[$0]] }
        XCTAssertEqual(ids, ["u1", "a2", "u2"])
        XCTAssertEqual(t.personIsUser, [true, false, true])
        XCTAssertEqual(t.personRange(0).map { t.time[$0] }, [10, 20, 30])
        XCTAssertEqual(t.personRange(0).map { t.section[$0] == -1 ? nil : t.strings[t.section[$0]] }, ["gifts", "baby", nil])
        XCTAssertEqual(t.personRange(2).map { t.time[$0] }, [40, 50, 60])
        let region = t.strings.lookup("region")!
        XCTAssertEqual(t.string(t.trait(region, ofPerson: 0)), "coastal")
        XCTAssertTrue(t.trait(region, ofPerson: 0, asOf: 29).isMissing)
        let cat = t.column("properties.category")!
        XCTAssertEqual(cat.count, 7)
        XCTAssertEqual(cat.filter { !$0.isMissing }.count, 1)
        XCTAssertEqual(t.consentCategories, ["Analytics"])
    }

    func testPropValueBoxing() {
        XCTAssertEqual(PropValue.number(2.5).number, 2.5)
        XCTAssertEqual(PropValue.number(-0.0), PropValue.number(0))
        XCTAssertEqual(PropValue.string(42).stringID, 42)
        XCTAssertNil(PropValue.string(42).number)
        XCTAssertEqual(PropValue.bool(true).bool, true)
        XCTAssertEqual(PropValue.null.kind, .null)
        XCTAssertEqual(PropValue.number(-Double.infinity).kind, .number)
        XCTAssertTrue(PropValue.missing.isMissing)
    }
}

final class EventTableBuilderIdentityTests: XCTestCase {
    /// An anonymous id belongs to the user it first appeared with by event time, not by file order;
    /// two user ids are never merged, not even by an alias between them.
    func testEarliestPairingWinsAndUsersNeverMerge() {
        var b = EventTableBuilder()
        b.add(ParsedEvent(kind: .track, messageId: "1", time: 10, userId: "u1", anonymousId: "a", event: "x"))
        b.add(ParsedEvent(kind: .track, messageId: "2", time: 5, userId: "u2", anonymousId: "a", event: "x"))
        b.add(ParsedEvent(kind: .page, messageId: "3", time: 1, anonymousId: "a"))
        b.add(ParsedEvent(kind: .alias, messageId: "4", time: 20, userId: "u3", previousId: "u1"))
        b.add(ParsedEvent(kind: .track, messageId: "5", time: 30, userId: "u1", event: "y"))
        let t = b.finish()
        let ids = (0 ..< t.personCount).map { t.strings[t.personID[$0]] }
        XCTAssertEqual(ids, ["u1", "u2", "u3"])
        XCTAssertEqual(t.personRange(0).map { t.time[$0] }, [10, 30])
        XCTAssertEqual(t.personRange(1).map { t.time[$0] }, [1, 5])      // "a" went to u2 (time 5 < 10)
        XCTAssertEqual(t.personRange(2).map { t.time[$0] }, [20])
        XCTAssertEqual(t.stats.events, 5)
    }

    func testStatsAreModifiedInPlaceAndPerFileCountsKept() {
        var b = EventTableBuilder()
        b.stats.files = [FileStats(path: "a"), FileStats(path: "b")]
        b.stats.files[1].lines += 2
        b.add(ParsedEvent(kind: .track, messageId: "m", time: 1, userId: "u"), file: 1)
        b.add(ParsedEvent(kind: .track, messageId: "m", time: 1, userId: "u"), file: 0)
        let t = b.finish()
        XCTAssertEqual(t.stats.files, [FileStats(path: "a", duplicates: 1), FileStats(path: "b", lines: 2, events: 1)])
    }
}
