import XCTest
import EventStore
import EarshotTestSupport
@testable import Analytics

/// `KeyTable.key(stringID:in:)` answers from a 64-slot direct-mapped memo in front of its dictionary
/// (docs/PERFORMANCE.md, "Session 9, second round"): ids sharing a slot (id, id + 64, id + 128 …) alternate, the empty
/// string (no key) among them; every answer must be the key of the string's text.
final class KeyTableMemoTests: XCTestCase {
    func testMemoAnswersTheKeyOfTheTextForCollidingIDs() {
        var strings = Interner()
        var ids: [Int32] = []
        for i in 0 ..< 300 { ids.append(strings.intern(i % 37 == 5 ? "" : "name-\(i)")) }
        var memo = KeyTable(), plain = KeyTable()
        var rng = SeededRandom(seed: 14)
        var queries: [Int32] = []
        for round in 0 ..< 4000 {
            // Mostly ids of one slot taking turns, sometimes any id.
            let base = rng.int(64)
            queries.append(round % 5 == 0 ? ids[rng.int(ids.count)] : ids[min(ids.count - 1, base + 64 * rng.int(5))])
        }
        for id in queries {
            let text = strings[id]
            let expected: Int32 = text.isEmpty ? -1 : plain.key(text)
            XCTAssertEqual(memo.key(stringID: id, in: strings), expected, "id \(id)")
        }
        XCTAssertEqual(memo.names, plain.names)
    }
}
