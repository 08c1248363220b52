import XCTest
import EventStore
@testable import Analytics

final class ConsentStatesTests: XCTestCase {
    func testLatestWinsAndUnknownIsNotDenied() {
        var b = EventTableBuilder()
        b.add(ParsedEvent(kind: .track, messageId: "1", time: 10, userId: "u", event: "a",
                          consent: [ConsentEntry("Analytics", true), ConsentEntry("Advertising", false)]))
        b.add(ParsedEvent(kind: .track, messageId: "2", time: 30, userId: "u", event: "a",
                          consent: [ConsentEntry("Analytics", false)]))
        // earlier by time though later in the file: does not win
        b.add(ParsedEvent(kind: .track, messageId: "3", time: 20, userId: "u", event: "a",
                          consent: [ConsentEntry("Advertising", true)]))
        b.add(ParsedEvent(kind: .track, messageId: "4", time: 5, userId: "v", event: "a"))
        let t = b.finish()
        let s = ConsentStates(table: t)
        XCTAssertEqual(s.state(person: 0, category: "Analytics"), .denied)
        XCTAssertEqual(s.state(person: 0, category: "Advertising"), .granted)
        XCTAssertEqual(s.state(person: 1, category: "Analytics"), .unknown)
        XCTAssertEqual(s.state(person: 0, category: "Nope"), .unknown)
        XCTAssertEqual(ConsentStates(table: t, asOf: 15).state(person: 0, category: "Advertising"), .denied)
        XCTAssertEqual(ConsentStates(table: t, asOf: 15).state(person: 0, category: "Analytics"), .granted)
        XCTAssertEqual(s.grantedSet(bit: t.consentBit("Advertising")!).members, [0])
    }

    func testPersonSet() {
        var a = PersonSet(universe: 70)
        a.insert(1); a.insert(65)
        var b = PersonSet(universe: 70)
        b.insert(65); b.insert(3)
        XCTAssertEqual(a.intersection(b).members, [65])
        XCTAssertEqual(a.union(b).members, [1, 3, 65])
        XCTAssertEqual(a.subtracting(b).members, [1])
        XCTAssertEqual(a.complement().count, 68)
        XCTAssertEqual(PersonSet.all(70).count, 70)
    }
}
