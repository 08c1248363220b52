import XCTest
import EarshotTestSupport
@testable import EventStore

/// The structures of the reading thread's apply (session 7): the staged row block (``RowStage``), the link table
/// indexed by anonymousId (``LinkTable``), the per-position consent hints, per-file counts added in blocks and the
/// presized dedupe set. Each must leave the table exactly as adding the events one by one did.
final class ApplyPathTests: XCTestCase {
    // MARK: LinkTable

    func testLinkTableKeepsTheEarliestLinkByTimeThenSequence() {
        var links = LinkTable()
        links.link(anon: 5, user: 1, time: 100, seq: 10)
        links.link(anon: 5, user: 2, time: 100, seq: 11)   // same time, later in file order: ignored
        links.link(anon: 5, user: 3, time: 200, seq: 3)    // later time: ignored
        links.link(anon: 900, user: 4, time: 50, seq: 20)  // an id far past the index: the index grows
        links.link(anon: 0, user: 6, time: 70, seq: 30)
        XCTAssertEqual(links[5]?.user, 1)
        links.link(anon: 5, user: 7, time: 100, seq: 9)    // same time, earlier in file order: wins
        XCTAssertEqual(links[5]?.user, 7)
        links.link(anon: 5, user: 8, time: 99, seq: 40)    // earlier time: wins
        XCTAssertEqual(links[5].map { [$0.time, Int64($0.seq), Int64($0.user)] }, [99, 40, 8])
        XCTAssertNil(links[6])
        XCTAssertNil(links[100_000])
        XCTAssertEqual(links.count, 3)
        // Iteration: every link once, in first-link order (the cache sorts them; finish() does not care).
        XCTAssertEqual(links.map { $0.key }, [5, 900, 0])
        XCTAssertEqual(links.map { $0.value.user }, [8, 4, 6])
        // The setter replaces whatever is there (the cache's resume), or adds.
        links[900] = (time: 1_000, seq: 1, user: 9)
        links[3] = (time: 1, seq: 2, user: 10)
        XCTAssertEqual(links[900]?.user, 9)
        XCTAssertEqual(links[3]?.user, 10)
        XCTAssertEqual(links.count, 4)
    }

    /// A link table against the dictionary it replaced, on random links.
    func testLinkTableEqualsADictionary() {
        var links = LinkTable()
        var reference: [Int32: (time: Int64, seq: Int32, user: Int32)] = [:]
        var x: UInt64 = 12345
        func next(_ n: UInt64) -> UInt64 { x = x &* 6364136223846793005 &+ 1442695040888963407; return (x >> 33) % n }
        for seq in 0 ..< 20_000 {
            let anon = Int32(next(3_000)), user = Int32(next(50)), time = Int64(next(1_000))
            links.link(anon: anon, user: user, time: time, seq: Int32(seq))
            if let old = reference[anon], (old.time, old.seq) <= (time, Int32(seq)) { continue }
            reference[anon] = (time, Int32(seq), user)
        }
        XCTAssertEqual(links.count, reference.count)
        for (anon, l) in links {
            let r = reference[anon]
            XCTAssertEqual(r?.time, l.time); XCTAssertEqual(r?.seq, l.seq); XCTAssertEqual(r?.user, l.user)
        }
    }

    // MARK: Staged rows and per-file counts

    /// More rows than one staged block, over three files, with duplicates inside and across files and chunks
    /// that end anywhere: the reader's table equals the event-by-event build, and the per-file counts are exact.
    func testStagedRowsAcrossBlocksFilesAndChunks() throws {
        let s = TempStore()
        var files: [[String]] = [[], [], []]
        for i in 0 ..< 700 {
            let f = i % 3 == 0 ? 0 : (i < 400 ? 1 : 2)
            // Every 7th event repeats the messageId of an earlier one (possibly in another file).
            let id = i % 7 == 6 ? "m\(i - 5)" : "m\(i)"
            let consent = i % 5 == 0 ? #","context":{"consent":{"categoryPreferences":{"Ads":\#(i % 2 == 0),"Analytics":true}}}"# : ""
            files[f].append(#"{"type":"track","messageId":"\#(id)","timestamp":"2024-01-01T00:\#(String(format: "%02d", i / 60 % 60)):\#(String(format: "%02d", i % 60))Z","userId":"u\#(i % 37)","anonymousId":"a\#(i % 53)","event":"e\#(i % 11)","properties":{"category":"c\#(i % 4)"}\#(consent)}"#)
        }
        for (f, lines) in files.enumerated() { s.write("s/f\(f).jsonl", lines.joined(separator: "\n") + "\n") }
        let selection = FieldSelection(paths: ["properties.category"])
        var b = EventTableBuilder(selection: nil)
        let parser = EventLineParser(selection: selection)
        b.stats.files = (0 ..< 3).map { FileStats(path: "f\($0)") }
        for (f, lines) in files.enumerated() {
            for line in lines { if case .success(let e) = parser.parse(line) { b.add(e, file: Int32(f)) } }
        }
        let reference = b.finish()
        XCTAssertGreaterThan(reference.count, RowStage.rows * 2, "several staged blocks")
        XCTAssertGreaterThan(reference.stats.duplicates, 50)
        for (threads, chunk) in [(0, 1 << 20), (2, 3_000), (1, 1)] {
            var reader = StoreReader(paths: [s.path("s")], selection: selection)
            reader.parseThreads = threads
            reader.chunkBytes = chunk
            var t = try reader.load()
            XCTAssertEqual(t.stats.files.map(\.events), reference.stats.files.map(\.events), "threads \(threads), chunk \(chunk)")
            XCTAssertEqual(t.stats.files.map(\.duplicates), reference.stats.files.map(\.duplicates), "threads \(threads), chunk \(chunk)")
            XCTAssertEqual(t.stats.files.map(\.events).reduce(0, +), t.stats.events)
            XCTAssertEqual(t.stats.files.map(\.duplicates).reduce(0, +), t.stats.duplicates)
            t.stats = reference.stats
            assertSameTable(t, reference, "threads \(threads), chunk \(chunk)")
        }
    }

    /// A copy of a builder (a follower's snapshot) holds every row added before it, and the original goes on
    /// without the copy seeing its later rows: nothing is left staged between adds.
    func testACopyBetweenAddsHoldsEveryRowSoFar() {
        var b = EventTableBuilder()
        b.stats.files = [FileStats(path: "a")]
        for i in 0 ..< 300 {
            b.add(ParsedEvent(kind: .track, messageId: "m\(i % 290)", time: Int64(i), userId: "u\(i % 9)", event: "e"), file: 0)
        }
        XCTAssertEqual(b.count, 290)
        var copy = b
        // More rows than one staged block after the copy: the original wraps around its block, which a copy must not share.
        for i in 300 ..< 700 { b.add(ParsedEvent(kind: .track, messageId: "m\(i)", time: Int64(i), anonymousId: "a"), file: 0) }
        let early = copy.finish(), late = b.finish()
        XCTAssertEqual(early.count, 290)
        XCTAssertEqual(early.stats.files[0].events, 290)
        XCTAssertEqual(early.stats.files[0].duplicates, 10)
        XCTAssertEqual(late.count, 690)
        XCTAssertEqual(late.stats.files[0].events, 690)
        XCTAssertEqual(Set(early.sequence), Set(0 ..< 290))
        XCTAssertEqual(Set(late.sequence), Set(0 ..< 690))
        XCTAssertEqual(early.time.sorted(), (0 ..< 290).map { Int64($0) })
    }

    // MARK: Consent hints

    /// Categories that change place, change to another category of the same length, grow and shrink in number
    /// from event to event: every row's bits are those of the category names, on both paths.
    func testConsentHintsFollowEveryChangeOfCategory() throws {
        let lists: [[(String, Bool)]] = [
            [("Ads", true), ("Analytics", false)],
            [("Ads", false), ("Analytics", true)],
            [("Analytics", true), ("Ads", true)],                  // swapped places
            [("Abs", true), ("Analytics", true)],                   // same length, other bytes
            [("Ads", true)],
            [("Ads", false), ("Analytics", true), ("Email", true)], // one more
            [("Email", false)],
            [],
            [("Ads", true), ("Ads", false)],                        // repeated in one event: the last wins
            [("Ana\\u006cytics", false), ("Abs", false)],           // an escape: the same category
        ]
        var lines: [String] = []
        for (i, list) in (lists + lists.reversed()).enumerated() {
            let prefs = list.map { #""\#($0.0)":\#($0.1)"# }.joined(separator: ",")
            lines.append(#"{"type":"track","messageId":"c\#(i)","timestamp":"2024-01-06T00:00:\#(String(format: "%02d", i))Z","userId":"u\#(i % 3)","event":"e","context":{"consent":{"categoryPreferences":{\#(prefs)}}}}"#)
        }
        let s = TempStore()
        s.write("s/a.jsonl", lines.joined(separator: "\n") + "\n")
        for (threads, chunk) in [(0, 1 << 20), (1, 1)] {
            var reader = StoreReader(paths: [s.path("s")])
            reader.parseThreads = threads
            reader.chunkBytes = chunk
            let t = try reader.load()
            XCTAssertEqual(t.consentCategories, ["Ads", "Analytics", "Abs", "Email"])
            // Each row by hand, by its original line (sequence).
            for r in 0 ..< t.count {
                let i = Int(t.sequence[r])
                let list = (lists + lists.reversed())[i]
                var carried: UInt64 = 0, granted: UInt64 = 0
                for (name, g) in list {
                    let bit: UInt64 = 1 << UInt64(t.consentCategories.firstIndex(of: name == "Ana\\u006cytics" ? "Analytics" : name)!)
                    carried |= bit
                    if g { granted |= bit } else { granted &= ~bit }
                }
                if list.isEmpty { carried = (1 << 4) - 1; granted = 0 }  // empty preferences deny every category
                XCTAssertEqual(t.consentCarried[r], carried, "line \(i), threads \(threads), chunk \(chunk)")
                XCTAssertEqual(t.consentGranted[r], granted, "line \(i), threads \(threads), chunk \(chunk)")
            }
        }
    }

    // MARK: The presized dedupe set

    func testReservedDedupeSetDoesNotGrowAndKeepsItsKeys() {
        var set = MessageKeySet()
        let early = (0 ..< 100).map { MessageKey(a: UInt64($0) &* 0x9E37_79B9_7F4A_7C15, b: UInt64($0)) }
        for k in early { XCTAssertTrue(set.insert(k)) }
        set.reserve(keys: 50_000)
        let capacity = set.capacity
        XCTAssertGreaterThanOrEqual(capacity * 7 / 10, 50_000)
        XCTAssertLessThan(capacity, 50_000 * 2, "about 1.5 slots per key")
        for k in early { XCTAssertFalse(set.insert(k), "a key inserted before the reserve is still there") }
        for i in 100 ..< 50_000 { XCTAssertTrue(set.insert(MessageKey(a: UInt64(i) &* 0x9E37_79B9_7F4A_7C15, b: UInt64(i)))) }
        XCTAssertEqual(set.capacity, capacity, "no growth up to the reserved keys")
        XCTAssertEqual(set.count, 50_000)
        set.reserve(keys: 10)  // less than it holds: nothing
        XCTAssertEqual(set.capacity, capacity)
    }

    /// The reader presizes the set from the store's bytes (two thirds of the rows it reserves).
    func testReaderPresizesTheDedupeSet() {
        var b = EventTableBuilder()
        b.reserve(rows: 30_000)
        XCTAssertGreaterThanOrEqual(b.seen.capacity * 7 / 10, 20_000)
        XCTAssertLessThan(b.seen.capacity, 30_000 * 3 / 2 + 2)
    }

    /// A store whose bytes promise far more rows than it has (a few huge lines, a sparse file): the tables that are
    /// written when made (the dedupe set's slots, the interner's index) are sized for a bounded number of keys and
    /// strings however large the store, and the columns' reservation is bounded too (review, session 7).
    func testPresizingFromTheStoreBytesIsBounded() {
        // The real caps are large (32 Mi keys): the same code with small ones.
        let keyCap = 40_000, stringCap = 10_000
        var b = EventTableBuilder()
        b.reserve(rows: 12_000_000, keyCap: keyCap, stringCap: stringCap)  // ≈ 3 GB of store at 256 bytes a row
        XCTAssertGreaterThanOrEqual(b.seen.capacity * 7 / 10, keyCap)
        XCTAssertLessThan(b.seen.capacity, keyCap * 3 / 2 + 2, "the dedupe set is capped")
        XCTAssertLessThanOrEqual(b.table.strings.indexCapacity, 4 * stringCap, "the interner's index is capped")
        var huge = EventTableBuilder()
        huge.reserve(rows: 1 << 40, keyCap: keyCap, stringCap: stringCap)  // a 256 TB sparse file: no terabytes
        XCTAssertEqual(huge.expectedRows, EventTableBuilder.maxReservedRows)
        XCTAssertLessThan(huge.seen.capacity, keyCap * 3 / 2 + 2)
        XCTAssertGreaterThanOrEqual(EventTableBuilder.maxPresizedKeys, 27_000_000, "a 10 GB store of the example's lines is presized")
    }
}
