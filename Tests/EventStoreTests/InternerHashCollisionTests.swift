import XCTest
@testable import EventStore

/// Interns `s` under the given hash (the tests choose hashes to make collisions); shared by the interner's tests.
func intern(_ s: String, hash h: UInt64, into interner: inout Interner) -> Int32 {
    var s = s
    return s.withUTF8 { interner.intern(bytes: UnsafeRawBufferPointer($0), hash: h) }
}

/// A hash (or any part of it kept in the index, e.g. a tag beside the id) is only a hint: these tests give different
/// strings the same hash (so the same home slot, and the same tag were one kept) and check that the exact bytes still
/// decide, and that a different hash on the same home slot is passed over.
final class InternerHashCollisionTests: XCTestCase {
    /// Two different strings of the same length (as every UUID is) with equal hashes: the second is a new string, not
    /// the first one found again by its hash.
    func testEqualTagsAreToldApartByTheirBytes() {
        var interner = Interner()
        let h: UInt64 = 0xDEAD_BEEF_0000_0005
        let a = "6f1c1d0e-2f44-4f3b-9a57-1f2e3d4c5b6a", b = "6f1c1d0e-2f44-4f3b-9a57-1f2e3d4c5b6b"
        XCTAssertEqual(a.utf8.count, b.utf8.count)
        XCTAssertEqual(intern(a, hash: h, into: &interner), 0)
        XCTAssertEqual(intern(b, hash: h, into: &interner), 1, "a hash match taken without comparing the bytes")
        XCTAssertEqual(intern(a, hash: h, into: &interner), 0)
        XCTAssertEqual(intern(b, hash: h, into: &interner), 1)
        // A neighbouring home slot (the same high half of the hash): the probe from there meets both, compares bytes.
        let c = "6f1c1d0e-2f44-4f3b-9a57-1f2e3d4c5b6c"
        XCTAssertEqual(intern(c, hash: h &+ 1, into: &interner), 2)
        XCTAssertEqual(intern(c, hash: h &+ 1, into: &interner), 2)
        XCTAssertEqual(interner.count, 3)
        XCTAssertEqual(interner.strings, [a, b, c])
    }

    /// Same home slot, hashes differing in their high half: the probe passes over the other string and finds (or
    /// adds) its own.
    func testDifferentHashesOnTheSameHomeSlot() {
        var interner = Interner()
        let a = "user_000001", b = "user_000002"
        XCTAssertEqual(intern(a, hash: 0x0000_0001_0000_0009, into: &interner), 0)
        XCTAssertEqual(intern(b, hash: 0x0000_0002_0000_0009, into: &interner), 1)
        XCTAssertEqual(intern(b, hash: 0x0000_0002_0000_0009, into: &interner), 1)
        XCTAssertEqual(intern(a, hash: 0x0000_0001_0000_0009, into: &interner), 0)
        XCTAssertEqual(interner.count, 2)
    }

    /// Many same-length strings (UUID-like) through the index's growth: every one keeps its id and is found again,
    /// and a string never interned is not found.
    func testSameLengthStringsThroughGrowth() {
        var interner = Interner()
        let n = 20_000
        let texts = (0 ..< n).map { String(format: "%08x-0000-4000-8000-%012x", UInt32(truncatingIfNeeded: $0 &* 2_654_435_761), $0) }
        for (i, t) in texts.enumerated() { XCTAssertEqual(interner.intern(t), Int32(i)) }
        for (i, t) in texts.enumerated() where i % 7 == 0 {
            XCTAssertEqual(interner.intern(t), Int32(i))
            XCTAssertEqual(interner.lookup(t), Int32(i))
        }
        XCTAssertEqual(interner.count, n)
        XCTAssertNil(interner.lookup(String(format: "%08x-0000-4000-8000-%012x", 1, n)))
    }
}
