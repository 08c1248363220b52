import XCTest
@testable import EventStore

/// The dedupe set (issue #14: grows by half at 70 % load, slots found by multiply-shift, no power of two).
final class MessageKeySetTests: XCTestCase {
    /// Deterministic pseudo-random keys (splitmix64), including keys whose halves are 0.
    func keys(_ n: Int, seed: UInt64) -> [MessageKey] {
        var x = seed
        func next() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        return (0 ..< n).map { _ in MessageKey(a: next(), b: next()) }
    }

    func testEveryKeyOnceAcrossManyGrowthSteps() {
        var set = MessageKeySet(capacity: 4)
        let list = keys(50_000, seed: 7) + [MessageKey(a: 0, b: 5), MessageKey(a: 5, b: 0), MessageKey(a: 0, b: 0)]
        var capacities: Set<Int> = []
        for k in list {
            XCTAssertTrue(set.insert(k), "a new key must be inserted")
            capacities.insert(set.capacity)
            // Never fuller than 70 %.
            XCTAssertLessThanOrEqual(set.count * 10, set.capacity * 7 + 10)
        }
        XCTAssertGreaterThan(capacities.count, 10, "the set grew step by step")
        XCTAssertEqual(set.count, list.count)
        // Every key is found again (a second insert is a duplicate), after all the growing.
        for k in list { XCTAssertFalse(set.insert(k), "a key inserted before is a duplicate") }
        XCTAssertEqual(set.count, list.count)
        // Keys that were never inserted are new.
        for k in keys(1000, seed: 8) { XCTAssertTrue(set.insert(k)) }
        // The listed keys are exactly the inserted ones ((0, 0) is stored as (0, 1)).
        let stored = Set(set.keys.map { [$0.a, $0.b] })
        XCTAssertEqual(stored.count, set.count)
        XCTAssertTrue(stored.contains([0, 1]))
        XCTAssertTrue(stored.contains([5, 0]))
        XCTAssertTrue(stored.contains([list[123].a, list[123].b]))
    }

    func testMemoryPerKeyStaysBounded() {
        // 23–34 bytes per key (16 per slot at 47–70 % load); the former ×4 step reached 128.
        var set = MessageKeySet()
        for (i, k) in keys(200_000, seed: 9).enumerated() {
            _ = set.insert(k)
            if i > 2000 && i % 997 == 0 {
                let bytesPerKey = Double(set.capacity * 16) / Double(set.count)
                XCTAssertLessThanOrEqual(bytesPerKey, 16 / 0.45, "at \(set.count) keys")
            }
        }
    }

    func testTouchChangesNothing() {
        var set = MessageKeySet(capacity: 8)
        let list = keys(100, seed: 3)
        for k in list.prefix(50) { _ = set.insert(k) }
        let before = set.slots
        var sink: UInt64 = 0
        for k in list { sink ^= set.touch(k) }
        XCTAssertEqual(set.slots, before)
        _ = sink
        for k in list.prefix(50) { XCTAssertFalse(set.insert(k)) }
        for k in list.suffix(50) { XCTAssertTrue(set.insert(k)) }
    }
}
