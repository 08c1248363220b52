import XCTest
import EarshotTestSupport
@testable import EventStore

/// The interner's index slots hold a string's id, length and arena offset together (``Interner/Slot``, session 9):
/// a lookup compares the bytes at the slot's offset, reading `offsets` only for a *wide* slot (a long string, a huge
/// id or a far offset). These tests pin the layout's limits and that both kinds of slot find exactly their own bytes.
final class InternerSlotTests: XCTestCase {
    /// A compact slot round-trips its id, length and offset up to each field's limit; one past any limit is wide
    /// and keeps the id.
    func testSlotLayoutLimits() {
        typealias Slot = Interner.Slot
        let maxID = (1 << 26) - 2, maxOffset = (1 << 30) - 1
        for (id, offset, count) in [(0, 0, 0), (maxID, maxOffset, Slot.compactLength), (12_345, 987_654, 36)] {
            let s = Slot.make(id: id, offset: offset, count: count)
            XCTAssertTrue(Slot.isCompact(s), "\(id) \(offset) \(count)")
            XCTAssertNotEqual(s, 0, "a taken slot is never the empty one")
            XCTAssertEqual(Slot.id(s), id)
            XCTAssertEqual(Slot.offset(s), offset)
            XCTAssertEqual(Slot.count(s), count)
        }
        for (id, offset, count) in [(maxID + 1, 0, 1), (0, maxOffset + 1, 1), (0, 0, Slot.compactLength + 1),
                                    (Int(Int32.max) - 1, 1 << 40, 1 << 20)] {
            let s = Slot.make(id: id, offset: offset, count: count)
            XCTAssertFalse(Slot.isCompact(s), "\(id) \(offset) \(count)")
            XCTAssertEqual(Slot.id(s), id)
        }
    }

    /// Strings given one hash (one home slot), some equal in their first bytes or in their length, short ones and
    /// ones too long for a compact slot: each gets its own id and is found again by its exact bytes.
    func testOneHomeSlotCompactAndWideStrings() {
        var interner = Interner()
        let h: UInt64 = 0x1234_5678_0000_0011
        let long = String(repeating: "x", count: Interner.Slot.compactLength)
        let texts = ["", "a", "ab", "abc", "abd", "abcd",
                     long, long + "y", long + "z", long + "yy", String(repeating: "q", count: 5_000),
                     String(repeating: "q", count: 4_999) + "r", "b"]
        for (i, t) in texts.enumerated() {
            XCTAssertEqual(intern(t, hash: h, into: &interner), Int32(i), "\(t.prefix(8))… (\(t.utf8.count) bytes) is new")
        }
        for (i, t) in texts.enumerated().reversed() {
            XCTAssertEqual(intern(t, hash: h, into: &interner), Int32(i), "\(t.prefix(8))… (\(t.utf8.count) bytes) found again")
        }
        XCTAssertEqual(interner.count, texts.count)
        XCTAssertEqual(interner.strings, texts)
    }

    /// Through the index's growth (its slots rebuilt from the arena) and a reserve, strings of every length around
    /// the compact limit keep their ids and are found; strings never interned (a byte more, a byte less) are not.
    func testCompactAndWideStringsThroughGrowth() {
        var interner = Interner()
        var texts: [String] = []
        for i in 0 ..< 3_000 {
            let n = Interner.Slot.compactLength - 3 + i % 8   // lengths 123 … 130: both kinds of slot
            let head = "\(i)-"
            texts.append(head + String(repeating: "k", count: n - head.utf8.count))
        }
        for (i, t) in texts.enumerated() { XCTAssertEqual(interner.intern(t), Int32(i)) }
        interner.reserve(strings: 50_000, bytes: 0)
        for (i, t) in texts.enumerated() {
            XCTAssertEqual(interner.intern(t), Int32(i))
            XCTAssertEqual(interner.lookup(t), Int32(i))
        }
        XCTAssertEqual(interner.count, texts.count)
        for t in texts.prefix(40) {
            XCTAssertNil(interner.lookup(t + "k"))
            XCTAssertNil(interner.lookup(String(t.dropLast())))
        }
    }
}

/// The apply's block touch (``EventTableBuilder/touch(_:)``) reads ahead and changes nothing; its reads stay inside
/// the tables at their ends too.
final class ApplyTouchTests: XCTestCase {
    /// Keys homed on the set's last two slots, with those slots taken: the touch's read two slots on wraps to the
    /// start of the table instead of reading past its end, and the set is unchanged.
    func testDedupeTouchWrapsAtTheEnd() {
        var set = MessageKeySet(capacity: 8)
        let c = set.capacity
        var g = SeededRandom(seed: 7)
        var atEnd: [MessageKey] = []
        while atEnd.count < 6 {
            let k = MessageKey(a: g.next() | 1, b: g.next())
            if MessageKeySet.home(k.a, capacity: c) >= c - 2 { atEnd.append(k) }
        }
        for k in atEnd.prefix(3) { XCTAssertTrue(set.insert(k)) }
        let before = set.keys.map { [$0.a, $0.b] }
        for k in atEnd { _ = set.touch(k) }
        XCTAssertEqual(set.keys.map { [$0.a, $0.b] }, before)
        XCTAssertEqual(set.count, 3)
        for k in atEnd.prefix(3) { XCTAssertFalse(set.insert(k), "still there") }
        for k in atEnd.suffix(3) { XCTAssertTrue(set.insert(k), "still new") }
    }

    /// The interner's touch names the id in a string's home slot (its own id when it is interned and no other string
    /// took that slot), -1 for an empty home slot, and adds nothing.
    func testInternerTouchGuessesTheHomeSlotsID() {
        var interner = Interner()
        let texts = (0 ..< 20).map { "anon-\($0)-" + String(repeating: "z", count: $0 * 9) }  // compact and wide
        for t in texts { _ = interner.intern(t) }
        var own = 0
        for (i, t) in texts.enumerated() {
            var t = t
            let h = t.withUTF8 { IDHash.hash(UnsafeRawBufferPointer($0), seed: Interner.seed) }
            let guess = interner.touchGuess(hash: h).id
            XCTAssertTrue(guess >= 0 && Int(guess) < texts.count, "a taken home slot names an interned id")
            if guess == Int32(i) { own += 1 }
        }
        XCTAssertGreaterThanOrEqual(own, 15, "a sparse index: most strings sit in their home slot")
        let absent = "never interned"
        var a = absent
        let h = a.withUTF8 { IDHash.hash(UnsafeRawBufferPointer($0), seed: Interner.seed) }
        if interner.touchGuess(hash: h).id < 0 { XCTAssertNil(interner.lookup(absent)) }
        XCTAssertEqual(interner.count, texts.count)
    }
}


/// ``LinkTable`` keeps links in one array by anonymousId (session 9); a link without a user (only a damaged cache
/// can hold one) is not stored and reads as no link.
final class LinkTableArrayTests: XCTestCase {
    func testALinkWithoutAUserReadsAsNone() {
        var links = LinkTable()
        links[7] = (time: 1, seq: 2, user: -1)
        XCTAssertNil(links[7])
        links.link(anon: 7, user: 3, time: 5, seq: 9)
        XCTAssertEqual(links[7]?.user, 3)
        XCTAssertEqual(links.count, 1, "the anonymousId is listed once")
        XCTAssertEqual(Array(links).map(\.key), [7])
        XCTAssertNil(links[6])
        XCTAssertNil(links[-1])
    }

    /// The cache resume takes only links between interned ids: a damaged cache's anonymousId past the strings (which
    /// would size the link table by it), a negative one, or a link to no user is dropped; the valid link stays.
    func testResumeTakesOnlyLinksBetweenInternedIds() {
        var b = EventTableBuilder()
        b.add(ParsedEvent(kind: .identify, messageId: "1", time: 10, userId: "u", anonymousId: "a"))
        b.add(ParsedEvent(kind: .track, messageId: "2", time: 20, anonymousId: "a", event: "X"))
        var raw = b.rawState()
        let table = b.finish()
        XCTAssertEqual(raw.linkAnon.count, 1)
        let n = Int32(table.strings.count)
        raw.linkAnon += [n + 1_000, -3, raw.linkAnon[0]]
        raw.linkUser += [raw.linkUser[0], raw.linkUser[0], -1]
        raw.linkTime += [1, 1, 1]
        raw.linkSeq += [0, 0, 0]
        let resumed = EventTableBuilder(resuming: table, raw: raw)
        XCTAssertEqual(resumed.links.count, 1)
        XCTAssertEqual(Array(resumed.links).map(\.key), [raw.linkAnon[0]])
    }
}
