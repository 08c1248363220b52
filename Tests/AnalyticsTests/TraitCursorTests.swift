import XCTest
import EventStore
import EarshotTestSupport
@testable import Analytics

/// `TraitCursor` (session 7): a person's trait entries and latest trait values found by a forward cursor over persons
/// in ascending order must be exactly what `EventTable.traitIndices(ofPerson:)` and `trait(_:ofPerson:asOf:)` find by
/// binary search, for a pass over every person and for a sparse filter's persons (the cursor then jumps).
final class TraitCursorTests: XCTestCase {
    /// A seeded store: persons with no traits, one trait, many traits set at the same and at different times, and
    /// persons with events but no identify between persons with traits.
    private func randomTable(seed: UInt64) -> EventTable {
        var rng = SeededRandom(seed: seed)
        var events: [ParsedEvent] = []
        let keys = ["region", "preferred_channel", "plan"]
        for p in 0 ..< 120 {
            let user = "u\(p)"
            for _ in 0 ..< rng.int(4) { events.append(Fixture.track(user, "Order Completed", at: Fixture.t0 + Int64(rng.int(50)) * Fixture.hour)) }
            let identifies = p % 7 == 3 ? 0 : rng.int(5)
            for _ in 0 ..< identifies {
                var traits: [String: ScalarValue] = [:]
                for k in keys where rng.int(2) == 0 { traits[k] = .string("v\(rng.int(4))") }
                if traits.isEmpty { traits["plan"] = .number(Double(rng.int(3))) }
                // Hours 0…9 only: several identifies of one person often share a millisecond (ties by file order).
                events.append(Fixture.identify(user, at: Fixture.t0 + Int64(rng.int(10)) * Fixture.hour, traits))
            }
        }
        return Fixture.table(events)
    }

    func testEntriesAndLatestValuesMatchTheBinarySearches() {
        for seed: UInt64 in 1 ... 6 {
            let table = randomTable(seed: seed)
            XCTAssertGreaterThan(table.traitRow.count, 100, "the store has traits")
            var rng = SeededRandom(seed: seed &* 31)
            let every = Array(0 ..< table.personCount)
            let sparse = every.filter { _ in rng.int(9) == 0 }
            let keys = ["region", "preferred_channel", "plan", "never set"].map { table.strings.lookup($0) ?? -7 }
            let times: [Int64] = [.min, Fixture.t0 - 1, Fixture.t0, Fixture.t0 + 4 * Fixture.hour, Fixture.t0 + 9 * Fixture.hour, .max]
            for (name, persons) in [("every person", every), ("sparse filter", sparse), ("repeats", every.flatMap { [$0, $0] })] {
                var cursor = TraitCursor(table: table)
                var valueCursor = TraitCursor(table: table)
                for p in persons {
                    XCTAssertEqual(cursor.entries(ofPerson: p), table.traitIndices(ofPerson: p), "seed \(seed), \(name), person \(p)")
                    for key in keys {
                        for t in times {
                            XCTAssertEqual(valueCursor.latest(key, ofPerson: p, asOf: t), table.trait(key, ofPerson: p, asOf: t),
                                           "seed \(seed), \(name), person \(p), key \(key), as of \(t)")
                        }
                    }
                }
            }
        }
    }

    /// The forward-then-binary lower bound equals a plain lower bound from any start at or before it.
    func testLowerBoundFromACursor() {
        let a: [Int32] = [1, 1, 2, 4, 4, 4, 9] + (10 ..< 60).map { Int32($0) }
        for x: Int32 in [-1, 0, 1, 2, 3, 4, 5, 9, 10, 33, 59, 60, 99] {
            let expected = a.firstIndex { $0 >= x } ?? a.count
            for start in 0 ... expected {
                XCTAssertEqual(TraitCursor.lowerBound(a, x, from: start), expected, "x \(x), from \(start)")
            }
        }
    }

    /// `firstEventTime` / `lastEventTime` (the persons' first and last rows since session 9) are the column's min and max.
    func testFirstAndLastEventTimesAreTheColumnsExtremes() {
        for seed: UInt64 in 1 ... 4 {
            let table = randomTable(seed: seed)
            XCTAssertEqual(table.firstEventTime, table.time.min())
            XCTAssertEqual(table.lastEventTime, table.time.max())
        }
        XCTAssertNil(EventTable().firstEventTime)
        XCTAssertNil(EventTable().lastEventTime)
        let one = Fixture.table([Fixture.track("a", "X", at: Fixture.t0)])
        XCTAssertEqual(one.firstEventTime, Fixture.t0)
        XCTAssertEqual(one.lastEventTime, Fixture.t0)
    }

    /// Person ranges that cover the rows but go backwards (only a damaged cache can hold them) are not read through:
    /// the bounds come from the row scan, never from a read outside the column.
    func testDecreasingPersonRangesFallBackToTheRowScan() {
        var table = randomTable(seed: 5)
        let n = Int32(table.count)
        XCTAssertGreaterThan(table.personCount, 2)
        table.personStart = [0, n + 1_000_000, 5, n]
        XCTAssertEqual(table.firstEventTime, table.time.min())
        XCTAssertEqual(table.lastEventTime, table.time.max())
        table.personStart = [0, n / 2, n / 3, n]
        XCTAssertEqual(table.firstEventTime, table.time.min())
        XCTAssertEqual(table.lastEventTime, table.time.max())
    }
}
