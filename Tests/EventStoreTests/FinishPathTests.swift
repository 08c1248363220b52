import XCTest
import EarshotTestSupport
@testable import EventStore

/// The parts of ``EventTableBuilder/finish()`` that session 9 rewrote for speed, each against a plain reference:
/// the person numbering, the counting sort, codes written narrow and widened in place, the jobs' schedule, the
/// list columns' permutation, and a whole finished table checked row by row through its file-order `sequence`
/// (the inverse order and the person column are now written by the sort's two halves).
final class FinishPathTests: XCTestCase {
    /// `codes(rows:_:)` asks for each row's code once, in order, and returns what collecting every code and then
    /// narrowing them would: 1-byte codes when all fit, else 2-byte codes (widened at the first code above 255,
    /// wherever it is), nil when a code is -1 (in either phase).
    func testCodesWidenAtTheFirstCodeAbove255() {
        let cases: [[Int]] = [
            [],
            [0],
            Array(0 ..< 256) + [255, 0],
            [256],
            [300, 0, 1],
            Array(0 ..< 256) + [256, 0, 17, 256, 65_535],
            Array(0 ..< 300),
            [0, 1, 2, 255, 255, 1000],          // widened at the last row
            [0, 1, -1, 3],                      // overflow while narrow
            [0, 400, 2, -1, 5],                 // overflow while wide
        ]
        for codes in cases {
            var asked: [Int] = []
            let got = CodedColumn<Int32>.codes(rows: codes.count) { i in asked.append(i); return codes[i] }
            if let bad = codes.firstIndex(of: -1) {
                XCTAssertNil(got, "\(codes)")
                XCTAssertEqual(asked, Array(0 ... bad), "\(codes)")
                continue
            }
            XCTAssertEqual(asked, Array(codes.indices), "\(codes)")
            guard let got else { XCTFail("\(codes)"); continue }
            if codes.allSatisfy({ $0 <= 255 }) {
                XCTAssertEqual(got.codes8, codes.map { UInt8($0) }, "\(codes)")
                XCTAssertEqual(got.codes16, [], "\(codes)")
            } else {
                XCTAssertEqual(got.codes8, [], "\(codes)")
                XCTAssertEqual(got.codes16, codes.map { UInt16($0) }, "\(codes)")
            }
        }
    }

    /// Interned-id columns across the 1-/2-byte boundary: the same dictionary (first appearance in the order) and
    /// codes as the hash path.
    func testIDColumnsAcrossTheWidthBoundary() {
        var rng = SeededRandom(seed: 91)
        for distinct in [1, 255, 256, 257, 300, 5000] {
            let rows = distinct * 3
            let ids = (0 ..< rows).map { i in i < distinct ? Int32(i) : Int32(rng.int(distinct)) }
            var order = ids.indices.map { Int32($0) }
            order.shuffle(using: &rng)
            let byID = CodedColumn(raw: ids).permuted(order)
            let byHash = CodedColumn(raw: ids.map { Int64($0) }).permuted(order)
            XCTAssertEqual(byID.width, distinct <= 256 ? 1 : 2, "\(distinct)")
            XCTAssertEqual(byID.width, byHash.width, "\(distinct)")
            XCTAssertEqual(byID.dictionary.map { Int64($0) }, byHash.dictionary, "\(distinct)")
            XCTAssertEqual(byID.codes8, byHash.codes8, "\(distinct)")
            XCTAssertEqual(byID.codes16, byHash.codes16, "\(distinct)")
            XCTAssertEqual(Array(byID), order.map { ids[Int($0)] }, "\(distinct)")
        }
    }

    /// A column coded in row order and then recoded through an order has the same width, dictionary and codes as the
    /// raw column coded in that order, for ids and consent bits on both sides of the 1-/2-byte boundary, runs, and a
    /// subset order (fewer distinct values: narrowed); columns the id or bits path would not code are not coded.
    func testRecodedEqualsCodingInTheNewOrder() {
        var rng = SeededRandom(seed: 41)
        func check<V: Hashable & BitwiseCopyable & Sendable>(_ values: [V], _ label: String) {
            let raw = CodedColumn(raw: values)
            guard let inRowOrder = raw.codedInRowOrder() else { return XCTFail(label) }
            let identity = values.indices.map { Int32($0) }
            let direct = raw.permuted(identity)
            XCTAssertEqual(inRowOrder.dictionary, direct.dictionary, label)
            XCTAssertEqual(inRowOrder.codes8, direct.codes8, label)
            XCTAssertEqual(inRowOrder.codes16, direct.codes16, label)
            var order = identity
            order.shuffle(using: &rng)
            for o in [order, order.filter { $0 % 5 == 0 }, identity] {
                let want = raw.permuted(o), got = inRowOrder.recoded(o)
                XCTAssertEqual(got.width, want.width, label)
                XCTAssertEqual(got.dictionary, want.dictionary, label)
                XCTAssertEqual(got.codes8, want.codes8, label)
                XCTAssertEqual(got.codes16, want.codes16, label)
                XCTAssertEqual(Array(got), o.map { values[Int($0)] }, label)
            }
        }
        for distinct in [1, 200, 256, 257, 600, 5000] {
            let rows = distinct * 3
            check((0 ..< rows).map { i in i < distinct ? Int32(i) - 1 : Int32(rng.int(distinct)) - 1 }, "ids \(distinct)")
            check((0 ..< rows).map { i in UInt64(i < distinct ? i : rng.int(distinct)) &* 0x1_0000_0001 }, "bits \(distinct)")
            check((0 ..< rows).map { i in UInt64(i / 9 % distinct) }, "runs \(distinct)")
        }
        XCTAssertNil(CodedColumn(raw: [Int32(5), 1_000_000_000]).codedInRowOrder(), "sparse ids")
        XCTAssertNil(CodedColumn(raw: (0 ..< 70_000).map { UInt64($0) }).codedInRowOrder(), "more than 65,536 values")
        XCTAssertNil(CodedColumn(raw: [Int64(1), 2]).codedInRowOrder(), "neither ids nor bits")
    }

    /// `numberPersons` against the definition written plainly (separate user and anonymousId tables, a flag per id
    /// for "is some row's userId"): rows with a user, with an anonymousId that is a userId, linked, or neither, and
    /// rows without ids.
    func testNumberPersonsEqualsThePlainLoop() {
        var rng = SeededRandom(seed: 23)
        for (rows, ids) in [(0, 0), (1, 1), (50, 10), (3000, 400), (3000, 4000)] {
            let user = (0 ..< rows).map { _ in rng.int(3) == 0 ? Int32(rng.int(max(ids, 1))) : -1 }.map { ids == 0 ? -1 : $0 }
            let anon = (0 ..< rows).map { _ in rng.int(7) == 0 || ids == 0 ? -1 : Int32(rng.int(ids)) }
            var linked = [Int32](repeating: -1, count: ids)
            for a in 0 ..< ids where rng.int(4) == 0 { linked[a] = Int32(rng.int(ids)) }
            let isUser = (0 ..< ids).map { id in user.contains(Int32(id)) }
            var anonUser = linked
            for u in user where u >= 0 { anonUser[Int(u)] = u }
            // Reference: the pre-session-9 loop.
            var ofUser: [Int32: Int32] = [:], ofAnon: [Int32: Int32] = [:], unknown: Int32 = -1
            var personOf: [Int32] = [], personID: [Int32] = [], personIsUser: [Bool] = []
            for r in 0 ..< rows {
                var u = user[r]
                let a = anon[r]
                if u < 0 && a >= 0 { u = isUser[Int(a)] ? a : linked[Int(a)] }
                if u >= 0 {
                    if ofUser[u] == nil { ofUser[u] = Int32(personID.count); personID.append(u); personIsUser.append(true) }
                    personOf.append(ofUser[u]!)
                } else if a >= 0 {
                    if ofAnon[a] == nil { ofAnon[a] = Int32(personID.count); personID.append(a); personIsUser.append(false) }
                    personOf.append(ofAnon[a]!)
                } else {
                    if unknown < 0 { unknown = Int32(personID.count); personID.append(-1); personIsUser.append(false) }
                    personOf.append(unknown)
                }
            }
            let got = EventTableBuilder.numberPersons(user: user, anon: anon, anonUser: anonUser, ids: ids)
            XCTAssertEqual(got.personOf, personOf, "\(rows) rows, \(ids) ids")
            XCTAssertEqual(got.personID, personID, "\(rows) rows, \(ids) ids")
            XCTAssertEqual(got.personIsUser, personIsUser, "\(rows) rows, \(ids) ids")
            XCTAssertEqual(got.unknown, unknown, "\(rows) rows, \(ids) ids")
        }
    }

    /// The counting sort groups rows by person, file order inside a person, with each person's first index.
    func testCountingSortEqualsStableSortByPerson() {
        var rng = SeededRandom(seed: 29)
        for (rows, persons) in [(0, 0), (1, 1), (100, 7), (5000, 300)] {
            let personOf = (0 ..< rows).map { _ in Int32(rng.int(persons)) }
            let (start, order) = EventTableBuilder.countingSort(personOf, persons: persons)
            XCTAssertEqual(order, personOf.indices.sorted { (personOf[$0], $0) < (personOf[$1], $1) }.map { Int32($0) })
            XCTAssertEqual(start.count, persons + 1)
            for p in 0 ..< persons {
                XCTAssertEqual(Int(start[p + 1] - start[p]), personOf.filter { $0 == p }.count, "person \(p)")
            }
            XCTAssertEqual(start.last.map(Int.init), rows)
        }
    }

    /// Jobs start costliest first (equal costs in registration order), and every job runs once.
    func testJobsRunLongestFirst() {
        XCTAssertEqual(Permutation.longestFirst([3, 10, 1, 10, 0]), [1, 3, 0, 2, 4])
        XCTAssertEqual(Permutation.longestFirst([]), [])
        let order: [Int32] = [2, 0, 1]
        let p = Permutation(order: order)
        let a = p.job([10, 20, 30], cost: 1) { v, o in o.map { v[Int($0)] } }
        let b = p.job([1, 2, 3], cost: 50) { v, o in o.map { v[Int($0)] } }
        let ran = Permutation.Box(0)
        p.task(cost: 7) { ran.value += 1 }
        XCTAssertEqual(p.schedule, [50, 7, 1])
        p.run()
        XCTAssertEqual(a.value, [30, 10, 20])
        XCTAssertEqual(b.value, [3, 1, 2])
        XCTAssertEqual(ran.value, 1)
    }

    /// A list column permuted equals the row-by-row rebuild, for permutations, subsets, repeated rows and none.
    func testArrayColumnPermutedEqualsRowByRow() {
        var rng = SeededRandom(seed: 31)
        for rows in [0, 1, 40, 700] {
            var c = ArrayColumn()
            var a: [PropValue] = [], b: [PropValue] = []
            for r in 0 ..< rows {
                let k = rng.int(4) == 0 ? 0 : rng.int(5)
                c.shape.append(k == 0 ? ArrayShape.missing.rawValue : ArrayShape.array.rawValue)
                for e in 0 ..< k { a.append(.number(Double(r * 10 + e))); b.append(e % 2 == 0 ? .missing : .bool(true)) }
                c.start.append(Int32(a.count))
            }
            c.values = ["x[].a": a, "x[].b": b]
            var shuffled = (0 ..< rows).map { Int32($0) }
            shuffled.shuffle(using: &rng)
            let orders: [[Int32]] = [shuffled, shuffled.filter { $0 % 3 != 0 }, Array(shuffled.prefix(5) + shuffled.prefix(5)), []]
            for order in orders {
                // Reference: the row-by-row rebuild.
                var want = ArrayColumn()
                var pick: [Int] = []
                for o in order {
                    want.shape.append(c.shape[Int(o)])
                    pick.append(contentsOf: c.elements(ofRow: Int(o)))
                    want.start.append(Int32(pick.count))
                }
                for (path, column) in c.values { want.values[path] = pick.map { column[$0] } }
                XCTAssertEqual(c.permuted(order), want, "\(rows) rows, \(order.count) picked")
            }
        }
    }

    /// A finished table read row by row through `sequence` (the file-order row each row came from): every
    /// column — time, name (300 distinct names: 2-byte codes, widened mid-column), a property on few rows (permuted through
    /// the inverse order) and one on every row, a list, consent — holds that event's value, the person column
    /// matches the person ranges, and every trait entry's row is its event's; read with and without worker threads.
    func testFinishedRowsHoldTheirEventsValues() throws {
        let s = TempStore()
        var rng = SeededRandom(seed: 37)
        var lines: [String] = []
        var time: [Int] = []
        for i in 0 ..< 6000 {
            let day = 1 + rng.int(9)
            time.append(day)
            let ids = rng.int(10) == 0 ? #""anonymousId":"a\#(rng.int(80))""# : #""userId":"u\#(rng.int(200))""#
            var props = #""price":\#(i)"#
            if i % 7 == 0 { props += #","plan":"p\#(i)""# }
            if i % 3 == 0 { props += #","products":[{"category":"c\#(i)-0"},{"category":"c\#(i)-1"}]"# }
            let consent = #""context":{"consent":{"categoryPreferences":{"Analytics":\#(i % 5 == 0),"Ads":\#(i % 2 == 0)}}}"#
            if i % 4 == 0 {
                lines.append(#"{"type":"identify","messageId":"m\#(i)",\#(ids),"timestamp":"2024-03-0\#(day)T00:00:00Z","traits":{"k":"v\#(i)"},\#(consent)}"#)
            } else {
                lines.append(#"{"type":"track","messageId":"m\#(i)",\#(ids),"timestamp":"2024-03-0\#(day)T00:00:00Z","event":"e\#(i % 400)","properties":{\#(props)},\#(consent)}"#)
            }
        }
        let p = s.write("events.jsonl", lines.joined(separator: "\n") + "\n")
        let selection = FieldSelection(paths: ["properties.plan", "properties.price", "properties.products[].category",
                                               "context.consent.categoryPreferences.Analytics"])
        for threads in [0, 2] {
            var r = StoreReader(paths: [p], selection: selection)
            r.parseThreads = threads
            r.chunkBytes = 20_000
            let t = try r.load()
            XCTAssertEqual(t.count, 6000)
            let plan = try XCTUnwrap(t.properties["properties.plan"])
            let price = try XCTUnwrap(t.properties["properties.price"])
            let products = try XCTUnwrap(t.arrays["properties.products"])
            let category = try XCTUnwrap(products.values["properties.products[].category"])
            XCTAssertLessThan(plan.presentCount * 2, t.count, "the inverse-order path")
            XCTAssertEqual(t.name.width, 2)
            let analytics = try XCTUnwrap(t.consentCategories.firstIndex(of: "Analytics"))
            func text(_ v: PropValue) -> String? { v.stringID.map { t.strings[$0] } }
            for person in 0 ..< t.personID.count {
                for row in t.personRange(person) { XCTAssertEqual(Int(t.person[row]), person, "row \(row)") }
            }
            for row in 0 ..< t.count {
                let i = Int(t.sequence[row])
                XCTAssertEqual(t.time[row], Int64(time[i] - 1) * 86_400_000 + 1_709_251_200_000, "line \(i)")
                XCTAssertEqual(t.consentGranted[row] >> UInt64(analytics) & 1 == 1, i % 5 == 0, "line \(i)")
                if i % 4 == 0 {
                    XCTAssertEqual(t.name[row], -1, "line \(i)")
                    XCTAssertEqual(price[row], .missing, "line \(i)")
                    continue
                }
                XCTAssertEqual(t.strings[t.name[row]], "e\(i % 400)", "line \(i)")
                XCTAssertEqual(price[row].number, Double(i), "line \(i)")
                XCTAssertEqual(text(plan[row]), i % 7 == 0 ? "p\(i)" : nil, "line \(i)")
                XCTAssertEqual(products.elements(ofRow: row).map { text(category[$0]) ?? "?" },
                               i % 3 == 0 ? ["c\(i)-0", "c\(i)-1"] : [], "line \(i)")
            }
            XCTAssertEqual(t.traitRow.count, 1500)
            for k in t.traitRow.indices {
                XCTAssertEqual(text(t.traitValue[k]), "v\(t.sequence[Int(t.traitRow[k])])", "trait \(k)")
            }
        }
    }
}
