import XCTest
import EarshotTestSupport
import Foundation
@testable import EventStore

/// Issue 11.6: more consent categories than the table has bits for. Junk categories on one early
/// line must not take the slots of the analytics category or of the categories most events carry.
final class ConsentCategoryLimitTests: XCTestCase {
    static func consentLine(id: String, user: String, _ categories: [(String, Bool)]) -> String {
        let members = categories.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",")
        return eventLine(id: id, user: user, extra: #""context":{"consent":{"categoryPreferences":{"# + members + "}}}")
    }

    /// One line with 100 junk categories first, then 1,225 events without analytics consent,
    /// 40 granting Marketing and one carrying a rare `Stats`.
    static func hostileStore() -> TempStore {
        let s = TempStore()
        var lines = [consentLine(id: "junk", user: "mallory", (0 ..< 100).map { ("junk\($0)", true) })]
        for i in 0 ..< 1_225 { lines.append(consentLine(id: "a\(i)", user: "u\(i % 300)", [("Analytics", false)])) }
        for i in 0 ..< 40 { lines.append(consentLine(id: "m\(i)", user: "u\(i)", [("Marketing", true), ("Analytics", true)])) }
        lines.append(consentLine(id: "s", user: "u1", [("Stats", true)]))
        s.write("store/a.jsonl", lines.joined(separator: "\n") + "\n")
        return s
    }

    /// Rows carrying `category`, and those of them granting it.
    static func counts(_ t: EventTable, _ category: String) -> (carried: Int, granted: Int)? {
        guard let b = t.consentBit(category) else { return nil }
        let m: UInt64 = 1 << UInt64(b)
        let carried = t.consentCarried.filter { $0 & m != 0 }.count
        let granted = zip(t.consentCarried, t.consentGranted).filter { $0 & m != 0 && $1 & m != 0 }.count
        return (carried, granted)
    }

    func testJunkNeverEvictsTheCommonCategories() throws {
        let s = Self.hostileStore()
        for threads in [0, 2] {  // the ParsedEvent-free byte path, serial and parallel
            var reader = StoreReader(paths: [s.path("store")])
            reader.parseThreads = threads
            let t = try reader.load()
            XCTAssertEqual(t.consentCategories.count, EventTableBuilder.maxConsentCategories)
            let analytics = try XCTUnwrap(Self.counts(t, "Analytics"))
            XCTAssertEqual(analytics.carried, 1_265)
            XCTAssertEqual(analytics.carried - analytics.granted, 1_225, "events collected without consent")
            XCTAssertEqual(Self.counts(t, "Marketing")?.granted, 40)
            // Kept in first-seen order: 62 junk categories (all carried once), then the common ones.
            XCTAssertEqual(Array(t.consentCategories.suffix(2)), ["Analytics", "Marketing"])
            XCTAssertNil(t.consentBit("Stats"))
            XCTAssertEqual(t.stats.warnings, [
                "more than 64 consent categories (103): the 64 carried by the most events are kept, the other 39 ignored (e.g. \"junk62\")",
            ])
        }
    }

    func testThePinnedCategoryIsKeptEvenWhenRare() throws {
        let s = Self.hostileStore()
        var reader = StoreReader(paths: [s.path("store")])
        reader.keepConsentCategories = ["Stats"]
        let t = try reader.load()
        XCTAssertEqual(Self.counts(t, "Stats")?.granted, 1)
        XCTAssertEqual(Self.counts(t, "Analytics")?.carried, 1_265)
        XCTAssertEqual(t.consentCategories.count, 64)
    }

    func testTheParsedEventPathRanksTheSameWay() {
        var b = EventTableBuilder()
        b.add(ParsedEvent(kind: .track, messageId: "junk", time: 1, userId: "mallory",
                          consent: (0 ..< 70).map { ConsentEntry("junk\($0)", true) }))
        for i in 0 ..< 5 {
            b.add(ParsedEvent(kind: .track, messageId: "a\(i)", time: 2, userId: "u", consent: [ConsentEntry("Analytics", false)]))
        }
        let t = b.finish()
        XCTAssertEqual(Self.counts(t, "Analytics")?.carried, 5)
        XCTAssertEqual(Self.counts(t, "Analytics")?.granted, 0)
        XCTAssertEqual(t.consentCategories.count, 64)
        XCTAssertEqual(t.consentCategories.first, "junk0")
    }

    func testUpToTheLimitNothingChanges() throws {
        let s = TempStore()
        s.write("store/a.jsonl", [
            Self.consentLine(id: "1", user: "u", (0 ..< 63).map { ("c\($0)", $0 % 2 == 0) }),
            Self.consentLine(id: "2", user: "v", [("Analytics", true)]),
        ].joined(separator: "\n") + "\n")
        let t = try StoreReader(paths: [s.path("store")]).load()
        XCTAssertEqual(t.consentCategories, (0 ..< 63).map { "c\($0)" } + ["Analytics"])
        XCTAssertEqual(t.stats.warnings, [])
        XCTAssertEqual(Self.counts(t, "c2")?.granted, 1)
        XCTAssertEqual(Self.counts(t, "c3")?.granted, 0)
    }

    func testAnAppendToAStoreBeyondTheLimitIsReadInFull() throws {
        let s = Self.hostileStore()
        let cache = StoreCache(directory: s.path("cache/earshot"))
        _ = try StoreReader(paths: [s.path("store")]).load(cache: cache)
        let h = FileHandle(forWritingAtPath: s.path("store/a.jsonl"))!
        h.seekToEndOfFile()
        h.write(Data((Self.consentLine(id: "late", user: "u9", [("Stats", true)]) + "\n").utf8))
        h.closeFile()
        let (t, o) = try StoreReader(paths: [s.path("store")]).load(cache: cache)
        XCTAssertEqual(o, .rebuilt(reason: .tooManyConsentCategories(limit: 64)))
        XCTAssertEqual(Self.counts(t, "Analytics")?.carried, 1_265)
    }
}
