import XCTest
import EarshotTestSupport
@testable import Analytics

/// `PersonSet.forEachMember` (session 7: the segments part sums members' records without building `members`) visits
/// exactly `members`, in order, for empty, full, sparse and word-boundary sets.
final class PersonSetWalkTests: XCTestCase {
    func testForEachMemberVisitsTheMembersInOrder() {
        var rng = SeededRandom(seed: 3)
        for universe in [0, 1, 63, 64, 65, 200, 1000] {
            var sets = [PersonSet(universe: universe), PersonSet.all(universe)]
            var sparse = PersonSet(universe: universe)
            for p in 0 ..< universe where rng.int(7) == 0 || p == universe - 1 || p % 64 == 63 { sparse.insert(p) }
            sets.append(sparse)
            for s in sets {
                var seen: [Int] = []
                s.forEachMember { seen.append($0) }
                XCTAssertEqual(seen, s.members, "universe \(universe)")
            }
        }
    }
}
