import XCTest
import EarshotTestSupport
@testable import EventStore

/// The row order ``EventTableBuilder/finish()`` produces (session 7 made its parts concurrent and its sorts
/// counting sorts): rows grouped by person (first appearance), inside a person by time with ties in file
/// order; trait and answer entries by new row, the entries of one row in the order the event listed them.
final class FinishOrderTests: XCTestCase {
    func testStableOrderByRowEqualsSortByRowThenIndex() {
        var rng = SeededRandom(seed: 7)
        for (entries, rows) in [(0, 5), (1, 1), (50, 3), (2000, 40), (5000, 9000)] {
            let r = (0 ..< entries).map { _ in Int32(rng.int(rows)) }
            let expected = r.indices.sorted { (r[$0], $0) < (r[$1], $1) }.map { Int32($0) }
            XCTAssertEqual(EventTableBuilder.stableOrder(byRow: r, rows: rows), expected, "\(entries) entries, \(rows) rows")
        }
    }

    func testSplitPersonsCoversEveryPersonInOrder() {
        let start: [Int32] = [0, 10, 10, 30, 31, 60, 100]
        XCTAssertEqual(EventTableBuilder.splitPersons(start, parts: 1), [0, 6])
        XCTAssertEqual(EventTableBuilder.splitPersons(start, parts: 2), [0, 5, 6])  // 50 rows: persons 0–4 hold rows 0..<60
        XCTAssertEqual(EventTableBuilder.splitPersons([0], parts: 2), [0, 0, 0])
    }

    func testSparsePermutedEqualsRowByRowRebuild() {
        var rng = SeededRandom(seed: 3)
        for rows in [0, 1, 63, 64, 65, 1000] {
            let dense = (0 ..< rows).map { _ in rng.int(3) == 0 ? Int32(rng.int(5)) : 0 }
            let column = SparseColumn(dense, absent: Int32(0))
            var order = (0 ..< rows).map { Int32($0) }
            order.shuffle(using: &rng)
            let fast = column.permuted(order)
            let reference = column.permuted(order.map { Int($0) })  // the append-per-row path
            XCTAssertEqual(fast, reference, "\(rows) rows")
            XCTAssertEqual(Array(fast), order.map { dense[Int($0)] }, "\(rows) rows")
            XCTAssertEqual(fast.rank, reference.rank, "\(rows) rows")
            // A subset (the filtered path) and repeated rows.
            let some = order.filter { $0 % 3 != 0 } + order.prefix(5)
            XCTAssertEqual(Array(column.permuted(some)), some.map { dense[Int($0)] }, "\(rows) rows, subset")
        }
    }

    func testConsentBitsCodedInFirstAppearanceOrder() {
        var rng = SeededRandom(seed: 5)
        for distinct in [1, 3, 256, 257, 3000, 70_000] {
            let rows = max(distinct * 2, 100)
            let values = (0 ..< rows).map { i in i < distinct ? UInt64(i) &* 0x1_0000_0001 : UInt64(rng.int(distinct)) &* 0x1_0000_0001 }
            var order = (0 ..< rows).map { Int32($0) }
            order.shuffle(using: &rng)
            let coded = CodedColumn(raw: values).permuted(order)
            XCTAssertEqual(Array(coded), order.map { values[Int($0)] }, "\(distinct) distinct")
            if distinct > 65_536 {
                XCTAssertEqual(coded.width, 0)
            } else {
                var seen = Set<UInt64>(), firstAppearance: [UInt64] = []
                for o in order where seen.insert(values[Int(o)]).inserted { firstAppearance.append(values[Int(o)]) }
                XCTAssertEqual(coded.dictionary, firstAppearance, "\(distinct) distinct")
                XCTAssertEqual(coded.width, distinct <= 256 ? 1 : 2)
            }
        }
    }

    /// A store large enough for the two-part sort (persons' events out of time order, many equal times),
    /// identify calls with several traits each, read with and without worker threads.
    func testPersonRowsByTimeThenFileOrderAndTraitsInEventOrder() throws {
        let s = TempStore()
        var rng = SeededRandom(seed: 17)
        var lines: [String] = []
        var expected: [String: [(time: Int, line: Int)]] = [:]
        var traitOrder: [String: [String]] = [:]
        for i in 0 ..< 6000 {
            let user = "u\(rng.int(300))"
            let day = 1 + rng.int(4)
            let time = String(format: "2024-03-%02dT00:00:00Z", day)
            if i % 5 == 0 {
                let keys = ["k\(rng.int(3))", "z\(i % 4)", "a\(rng.int(2))"]
                let traits = keys.map { #""\#($0)":"\#(i)""# }.joined(separator: ",")
                lines.append(#"{"type":"identify","messageId":"m\#(i)","userId":"\#(user)","timestamp":"\#(time)","traits":{\#(traits)}}"#)
                traitOrder[user, default: []].append(contentsOf: keys)
            } else {
                lines.append(eventLine(id: "m\(i)", user: user, time: time, event: "e\(i % 7)"))
            }
            expected[user, default: []].append((day, i))
        }
        let p = s.write("events.jsonl", lines.joined(separator: "\n") + "\n")
        for threads in [0, 2] {
            var r = StoreReader(paths: [p])
            r.parseThreads = threads
            r.chunkBytes = 20_000
            let t = try r.load()
            XCTAssertEqual(t.count, 6000)
            for person in 0 ..< t.personID.count {
                let user = t.strings[t.personID[person]]
                // Stable by time: rows of one day keep their file order.
                let want = expected[user]!.sorted { ($0.time, $0.line) < ($1.time, $1.line) }.map { Int32($0.line) }
                XCTAssertEqual(t.personRange(person).map { t.sequence[$0] }, want, "\(user), threads \(threads)")
                // Traits: by row, and inside a row in the order the event listed them.
                let rowsByTime = t.personRange(person).map { Int32($0) }
                var keysByRow: [Int32: [String]] = [:]
                for i in t.traitIndices(ofPerson: person) { keysByRow[t.traitRow[i], default: []].append(t.strings[t.traitKey[i]]) }
                let traitRows = t.traitIndices(ofPerson: person).map { t.traitRow[$0] }
                XCTAssertEqual(traitRows, traitRows.sorted(), "\(user)")
                XCTAssertEqual(rowsByTime.flatMap { keysByRow[$0] ?? [] }.count, traitOrder[user, default: []].count, "\(user)")
                for (row, keys) in keysByRow {
                    let line = Int(t.sequence[Int(row)])
                    XCTAssertEqual(keys.count, 3, "\(user) line \(line)")
                    XCTAssertTrue(keys[1].hasPrefix("z") && keys[0].hasPrefix("k") && keys[2].hasPrefix("a"), "\(user) line \(line): \(keys)")
                }
            }
        }
    }
}
