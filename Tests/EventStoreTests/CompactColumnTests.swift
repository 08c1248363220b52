import XCTest
@testable import EventStore

/// The compact table's column types (#14): sparse columns (properties, consent bits) and the packed time column.
final class SparseColumnTests: XCTestCase {
    private let s1 = PropValue.string(1), n2 = PropValue.number(2.5), t = PropValue.bool(true)

    /// Every row reads back what was appended, across word boundaries, for a dense array with gaps.
    private func checkRoundTrip(_ dense: [PropValue], file: StaticString = #filePath, line: UInt = #line) {
        let c = PropertyColumn(dense)
        XCTAssertEqual(c.count, dense.count, file: file, line: line)
        XCTAssertEqual(Array(c), dense, file: file, line: line)
        for r in dense.indices {
            XCTAssertEqual(c[r], dense[r], "row \(r)", file: file, line: line)
            XCTAssertEqual(c.isPresent(r), !dense[r].isMissing, "row \(r)", file: file, line: line)
        }
        XCTAssertEqual(c.presentCount, dense.filter { !$0.isMissing }.count, file: file, line: line)
        var seen: [Int] = []
        c.forEachPresent { r, v in seen.append(r); XCTAssertEqual(v, dense[r], file: file, line: line) }
        XCTAssertEqual(seen, dense.indices.filter { !dense[$0].isMissing }, file: file, line: line)
        // The in-place view reads the same rows (the segment compiler's condition pass).
        c.withUnsafeBufferPointer { u in
            for r in dense.indices {
                XCTAssertEqual(u[r], dense[r], "row \(r)", file: file, line: line)
                XCTAssertEqual(u.present(r), dense[r].isMissing ? nil : dense[r], "row \(r)", file: file, line: line)
            }
        }
        // The stored parts rebuild the same column (the cache's path).
        let back = PropertyColumn(rows: c.count, words: c.words, values: c.values, absent: .missing)
        XCTAssertEqual(back, c, file: file, line: line)
    }

    func testEmptyColumn() {
        let c = PropertyColumn()
        XCTAssertEqual(c.count, 0)
        XCTAssertTrue(c.isEmpty)
        XCTAssertEqual(c.storageBytes, 0)
        XCTAssertEqual(Array(c), [])
        checkRoundTrip([])
    }

    func testAllMissingStoresNoValues() {
        let dense = [PropValue](repeating: .missing, count: 1000)
        let c = PropertyColumn(dense)
        XCTAssertEqual(c.presentCount, 0)
        XCTAssertEqual(c.storageBytes, 16 * 8 + 16 * 4, "bitmap and rank only: 16 words of 64 rows")
        checkRoundTrip(dense)
    }

    func testAllPresent() {
        let dense = (0 ..< 300).map { PropValue.number(Double($0)) }
        let c = PropertyColumn(dense)
        XCTAssertEqual(c.presentCount, 300)
        XCTAssertEqual(c.words.prefix(4), [~0, ~0, ~0, ~0])
        XCTAssertEqual(c.rank, [0, 64, 128, 192, 256])
        checkRoundTrip(dense)
    }

    func testWordBoundariesAndNullIsAValue() {
        var dense = [PropValue](repeating: .missing, count: 260)
        for r in [0, 1, 62, 63, 64, 65, 127, 128, 191, 192, 255, 256, 259] { dense[r] = r % 3 == 0 ? s1 : (r % 3 == 1 ? n2 : .null) }
        checkRoundTrip(dense)
        XCTAssertEqual(PropertyColumn(dense)[2], .missing)
        XCTAssertEqual(PropertyColumn(dense)[65], .null, "JSON null is stored, only a missing path is absent")
    }

    func testBuildingByAppendPadAndSetLast() {
        var c = PropertyColumn()
        c.pad(to: 70)
        c.append(s1)          // row 70
        c.setLast(n2)         // the path repeated in one event: the last value wins
        c.append(.missing)    // row 71
        c.setLast(t)          // row 71 gets a value after all
        c.pad(to: 130)
        c.append(t)           // row 130
        c.setLast(.missing)   // and loses it again
        XCTAssertEqual(c.count, 131)
        var dense = [PropValue](repeating: .missing, count: 131)
        dense[70] = n2; dense[71] = t
        XCTAssertEqual(Array(c), dense)
        XCTAssertEqual(c, PropertyColumn(dense), "canonical: built either way, the same parts")
        XCTAssertEqual(c.values, [n2, t])
    }

    /// Appending with the builder's expected row count (apply8): at every power of two from 1024 rows, `values` is
    /// reserved for the projected count (at most 8× in one step) instead of doubling; the column reads exactly as one
    /// built by plain appends.
    func testAppendGrowsValuesToTheProjectedCount() {
        var projected = SparseColumn<UInt64>(absent: 0), plain = SparseColumn<UInt64>(absent: 0)
        var grewTo: [Int] = []
        for r in 0 ..< 20_000 {
            let v: UInt64 = r % 4 == 3 ? 0 : UInt64(r + 1)  // three rows in four hold a value
            let before = projected.valueCapacity
            projected.append(v, expectingRows: 100_000)
            plain.append(v)
            if projected.valueCapacity != before { grewTo.append(projected.valueCapacity) }
        }
        XCTAssertEqual(projected, plain)
        XCTAssertEqual(Array(projected), Array(plain))
        // Reserved at 1024, 2048, 4096, 8192 rows (8× the count each time) and at 16 384 rows for the projection
        // (75 000 + 1/16): ≥ 75 000 slots for the 15 000 values, where plain doubling stops at ≈ 16 000.
        XCTAssertGreaterThanOrEqual(grewTo.last ?? 0, 75_000, "grew to \(grewTo)")
        XCTAssertEqual(grewTo.filter { $0 > 1100 }.count, 5, "grew to \(grewTo)")
        // Unknown total (0): plain growth.
        var unknown = SparseColumn<UInt64>(absent: 0)
        for r in 0 ..< 5000 { unknown.append(UInt64(r + 1), expectingRows: 0) }
        XCTAssertLessThan(unknown.valueCapacity, 5000 * 2 + 64)
        XCTAssertEqual(Array(unknown), (0 ..< 5000).map { UInt64($0 + 1) })
    }

    func testPermuteFilterAndMap() {
        let dense: [PropValue] = [s1, .missing, n2, .missing, t, .null]
        let c = PropertyColumn(dense)
        let order: [Int32] = [5, 4, 3, 2, 1, 0]
        XCTAssertEqual(Array(c.permuted(order)), order.map { dense[Int($0)] })
        XCTAssertEqual(Array(c.permuted([2, 2, 1])), [n2, n2, .missing])
        XCTAssertEqual(Array(c.filtered([true, false, false, true, true, false])), [s1, .missing, t])
        XCTAssertEqual(Array(c.mapped { r, v in r == 1 ? t : v }), [s1, t, n2, .missing, t, .null])
        let consent = SparseColumn<UInt64>([0, 0, 5, 0], absent: 0)
        XCTAssertEqual(Array(consent), [0, 0, 5, 0])
        XCTAssertEqual(consent.values, [5])
    }

    /// The word-by-word permutation is the column built by appending `self[order[i]]` row by row (what it replaced)
    /// — `==` compares the canonical parts (bitmap, rank index, values) — for permutations, subsets and repeats of
    /// many sizes and densities, with `Int32` and `Int` orders.
    func testPermutedIsTheRowByRowColumn() {
        var state: UInt64 = 0x5EED
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 17
        }
        for rows in [0, 1, 2, 63, 64, 65, 127, 128, 129, 200, 1000, 4099] {
            for density in [0, 1, 10, 50, 90, 100] {
                let dense: [PropValue] = (0 ..< rows).map { r in
                    Int(next() % 100) < density ? .number(Double(r)) : .missing
                }
                let c = PropertyColumn(dense)
                var perm = Array(0 ..< rows)
                for i in stride(from: rows - 1, to: 0, by: -1) { perm.swapAt(i, Int(next() % UInt64(i + 1))) }
                let subset = perm.prefix(rows / 3) + perm.prefix(rows / 5)  // fewer rows, with repeats
                // With the inverse (the builder's path): the present rows scattered (sparse) or gathered (dense).
                var inverse = [Int32](repeating: 0, count: rows)
                for (newRow, old) in perm.enumerated() { inverse[old] = Int32(newRow) }
                var expectedPerm = PropertyColumn()
                for o in perm { expectedPerm.append(dense[o]) }
                XCTAssertEqual(c.permuted(perm.map { Int32($0) }, inverse: inverse), expectedPerm, "\(rows) rows, \(density) % (inverse)")
                for order in [perm, Array(subset), Array(perm.reversed())] {
                    var expected = PropertyColumn()
                    for o in order { expected.append(dense[o]) }
                    XCTAssertEqual(c.permuted(order.map { Int32($0) }), expected, "\(rows) rows, \(density) %")
                    XCTAssertEqual(c.permuted(order), expected, "\(rows) rows, \(density) % (Int)")
                    XCTAssertEqual(Array(c.permuted(order)), order.map { dense[$0] })
                }
            }
        }
        let bits = SparseColumn<UInt64>([0, 7, 0, 9], absent: 0)
        XCTAssertEqual(bits.permuted([3, 1, 0]).values, [9, 7])
    }

    /// `finish`'s `Permutation` permutes a sparse column through the inverse order only when the order is a
    /// permutation; an order with a row twice (never from the counting sort) takes the row-by-row path (review,
    /// session 8: the inverse of `[0, 0, 2]` would have lost row 1's value silently).
    func testPermutationWithARepeatedRowTakesTheRowByRowPath() {
        // Values in under half the rows: the inverse path's case.
        let dense: [PropValue] = [.missing, n2, .missing, .missing, .missing, s1, .missing, .missing]
        let c = PropertyColumn(dense)
        for order: [Int32] in [[0, 0, 2, 3, 4, 5, 6, 7], [1, 1, 1, 1, 1, 1, 1, 1], [7, 6, 5, 4, 3, 2, 1, 0], [5, 1, 0, 2, 3, 4, 6, 7]] {
            let p = Permutation(order: order)
            let box = p.sparse(c)
            p.run()
            XCTAssertEqual(Array(box.value), order.map { dense[Int($0)] }, "\(order)")
        }
    }

    /// Stored parts that are not a canonical column of the table's rows are damage (a cache miss), never a
    /// column that reads differently.
    func testDamagedPartsAreRejected() {
        let c = PropertyColumn([s1, .missing, n2])
        XCTAssertNotNil(PropertyColumn(rows: 3, words: c.words, values: c.values, absent: .missing))
        XCTAssertNil(PropertyColumn(rows: 65, words: c.words, values: c.values, absent: .missing), "word count")
        XCTAssertNil(PropertyColumn(rows: 2, words: c.words, values: c.values, absent: .missing), "a bit past the last row")
        XCTAssertNil(PropertyColumn(rows: 3, words: c.words, values: [s1], absent: .missing), "present count")
        XCTAssertNil(PropertyColumn(rows: 3, words: c.words, values: [s1, .missing], absent: .missing), "a stored absent value")
        XCTAssertNil(PropertyColumn(rows: -1, words: [], values: [], absent: .missing))
    }
}

final class TimeColumnTests: XCTestCase {
    func testPacksExactlyAcrossMoreThan32BitsOfMilliseconds() {
        let base: Int64 = 1_754_006_400_123  // 2025-08-01
        let times: [Int64] = [base + (1 << 32) + 5, base, base + (1 << 32) - 1, base + (1 << 32), base + TimeColumn.packedSpan - 1, base + 1]
        let c = TimeColumn(times)
        XCTAssertTrue(c.isPacked)
        XCTAssertEqual(c.base, base)
        XCTAssertEqual(Array(c), times, "every millisecond exact, also past 2^32 ms (~49.7 days) from the first")
        XCTAssertEqual(c.storageBytes, 5 * times.count)
        c.withUnsafeBufferPointer { u in
            XCTAssertEqual(u.count, times.count)
            for r in times.indices { XCTAssertEqual(u[r], times[r]) }
        }
        XCTAssertEqual(Array(c.permuted([3, 0, 5])), [times[3], times[0], times[5]])
        XCTAssertEqual(Array(c.filtered([false, true, true, false, false, true])), [times[1], times[2], times[5]])
        XCTAssertEqual(Array(c.unpacked([1, 0])), [times[1], times[0]])
        XCTAssertFalse(c.unpacked([1, 0]).isPacked, "a resuming builder appends to it")
        XCTAssertEqual(c.min(), base)
        XCTAssertEqual(c.max(), base + TimeColumn.packedSpan - 1)
    }

    func testTooWideASpanKeepsEveryTimeInFull() {
        let times: [Int64] = [1_700_000_000_000, -2_208_988_800_000, 1_700_000_000_001]  // a stray 1900 timestamp
        let c = TimeColumn(times)
        XCTAssertFalse(c.isPacked)
        XCTAssertEqual(Array(c), times)
        let extremes: [Int64] = [.max, .min, 0]  // a deletion without a time reads as Int64.max
        XCTAssertEqual(Array(TimeColumn(extremes)), extremes)
        XCTAssertFalse(TimeColumn(extremes).isPacked)
        // One millisecond over the packed span.
        XCTAssertFalse(TimeColumn([0, TimeColumn.packedSpan]).isPacked)
        XCTAssertTrue(TimeColumn([0, TimeColumn.packedSpan - 1]).isPacked)
        // A builder's (wide) column permuted into a finished one packs when it can.
        XCTAssertTrue(TimeColumn(wide: [5, 3, 9]).permuted([2, 1, 0]).isPacked)
        XCTAssertEqual(Array(TimeColumn(wide: [5, 3, 9]).permuted([2, 1, 0])), [9, 3, 5])
        XCTAssertEqual(TimeColumn(wide: [5, 3, 9]).permuted([2, 1, 0]), TimeColumn([9, 3, 5]))
    }

    func testEmptyAndDamagedParts() {
        let e = TimeColumn([])
        XCTAssertEqual(e.count, 0)
        XCTAssertEqual(e, TimeColumn())
        XCTAssertNil(TimeColumn(base: 0, low: [1, 2], high: [0]), "lengths disagree")
        XCTAssertNil(TimeColumn(base: .max - 5, low: [0], high: [0]), "base + the largest offset would overflow")
        XCTAssertNotNil(TimeColumn(base: .max - (TimeColumn.packedSpan - 1), low: [0], high: [0]))
    }
}

final class CodedColumnTests: XCTestCase {
    func testFewDistinctValuesTakeOneByteEach() {
        let values: [Int32] = [7, -1, 7, 3, -1, 7, 3, 3]
        let c = CodedColumn(values)
        XCTAssertEqual(c.width, 1)
        XCTAssertEqual(c.dictionary, [7, -1, 3], "first appearance first")
        XCTAssertEqual(Array(c), values)
        XCTAssertEqual(c.storageBytes, values.count + 3 * 4)
        c.withUnsafeBufferPointer { u in for r in values.indices { XCTAssertEqual(u[r], values[r]) } }
        XCTAssertEqual(Array(c.permuted([7, 0, 4])), [3, 7, -1])
        XCTAssertEqual(Array(c.filtered([true, false, false, true, false, false, false, true])), [7, 3, 3])
        XCTAssertEqual(Array(c.unpacked([1, 0])), [-1, 7])
        XCTAssertEqual(c.unpacked([1, 0]).width, 0, "a resuming builder appends to it")
    }

    func testWidthGrowsWithTheDistinctValuesAndFallsBackToRaw() {
        let exactly256 = (0 ..< 256).map { Int32($0) } + [0, 255]
        XCTAssertEqual(CodedColumn(exactly256).width, 1)
        XCTAssertEqual(Array(CodedColumn(exactly256)), exactly256)
        let over256 = (0 ..< 257).map { Int32($0) }
        XCTAssertEqual(CodedColumn(over256).width, 2)
        XCTAssertEqual(Array(CodedColumn(over256)), over256)
        let over65536 = (0 ..< 65_537).map { Int32($0) }
        let raw = CodedColumn(over65536)
        XCTAssertEqual(raw.width, 0, "more distinct values than 2-byte codes address: kept as they are")
        XCTAssertEqual(Array(raw), over65536)
        XCTAssertEqual(raw.storageBytes, 65_537 * 4, "no dictionary on top")
        let consent: [UInt64] = [0, 5, 5, 0, 1 << 63]
        XCTAssertEqual(Array(CodedColumn(consent)), consent)
        XCTAssertEqual(CodedColumn([Int32]()).count, 0)
        XCTAssertEqual(CodedColumn([Int32]()), CodedColumn<Int32>())
    }

    /// Interned ids (Int32) are coded through an array indexed by id: the same dictionary and codes as the
    /// hash path takes for any other value type, for dense ids, for ids of 1- and 2-byte codes, and for ids
    /// too sparse for the array (the hash path).
    func testIDsCodeExactlyAsTheHashPath() {
        var rng = SystemRandomNumberGenerator()
        let cases: [[Int32]] = [
            [7, -1, 7, 3, -1, 7, 3, 3],
            (0 ..< 5000).map { _ in Int32.random(in: -1 ..< 40, using: &rng) },
            (0 ..< 5000).map { _ in Int32.random(in: -1 ..< 3000, using: &rng) },
            [5, 1_000_000_000, -1, 5, 1_000_000_000],
            [-1, -1],
        ]
        for ids in cases {
            let byID = CodedColumn(ids), byHash = CodedColumn(ids.map { Int64($0) })
            XCTAssertEqual(byID.width, byHash.width)
            XCTAssertEqual(byID.dictionary.map { Int64($0) }, byHash.dictionary)
            XCTAssertEqual(byID.codes8, byHash.codes8)
            XCTAssertEqual(byID.codes16, byHash.codes16)
            XCTAssertEqual(Array(byID), ids)
            let order = ids.indices.reversed().map { Int32($0) }
            XCTAssertEqual(Array(CodedColumn(raw: ids).permuted(order)), order.map { ids[Int($0)] })
        }
    }

    /// Consent bits (`UInt64`) are coded through the bits table, with runs of equal values taking the previous row's
    /// code: the same dictionary (first appearance first) and codes as the `Dictionary` path takes for the same
    /// values as another type, for runs, alternations, many distinct values (2-byte codes) and the raw fallback.
    func testBitsCodeExactlyAsTheHashPath() {
        var x: UInt64 = 99
        func next() -> UInt64 { x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407; return x >> 20 }
        let cases: [[UInt64]] = [
            [0, 5, 5, 0, 1 << 63, 1 << 63, 5],
            (0 ..< 3000).map { i in UInt64(i / 7 % 5) },                  // runs
            (0 ..< 3000).map { i in UInt64(i % 2) * 3 },                  // alternation
            (0 ..< 3000).map { _ in next() % 400 },                       // 2-byte codes
            (0 ..< 3000).map { i in (next() % 3 == 0 ? next() % 5 : UInt64(i / 11)) },
            (0 ..< 70_000).map { i in UInt64(i) },                        // more than 65,536 distinct: raw
            [],
        ]
        for bits in cases {
            let order = bits.indices.reversed().map { Int32($0) }
            let coded = CodedColumn(raw: bits).permuted(order)
            let byHash = CodedColumn(raw: bits.map { Int64(bitPattern: $0) }).permuted(order)
            XCTAssertEqual(coded.width, byHash.width)
            XCTAssertEqual(coded.dictionary.map { Int64(bitPattern: $0) }, byHash.dictionary)
            XCTAssertEqual(coded.codes8, byHash.codes8)
            XCTAssertEqual(coded.codes16, byHash.codes16)
            XCTAssertEqual(Array(coded), order.map { bits[Int($0)] })
        }
    }

    /// The rows of one value, by code scan, coded or raw.
    func testRowsEqualToAValue() {
        for ids: [Int32] in [[7, -1, 7, 3, -1, 7, 3, 3], (0 ..< 600).map { Int32($0 % 300) }] {
            for column in [CodedColumn(ids), CodedColumn(raw: ids)] {
                for v: Int32 in [7, -1, 3, 299, 12345] {
                    var rows: [Int32] = [99]
                    column.appendRows(equalTo: v, to: &rows)
                    XCTAssertEqual(rows, [99] + ids.indices.filter { ids[$0] == v }.map { Int32($0) }, "value \(v), width \(column.width)")
                }
            }
        }
    }

    /// The word-at-a-time scan of a 1-byte column (session 9) finds exactly the rows of the code: every length around
    /// the 8-byte words, codes 0, 0x7F, 0x80, 0xFF and their neighbours (the carry trick's borrows), rare and dense rows.
    func testOneByteScanFindsEveryRowOfTheCode() {
        var seed: UInt64 = 0x9E37_79B9
        func next() -> UInt64 { seed = seed &* 6364136223846793005 &+ 1442695040888963407; return seed >> 33 }
        for length in Array(0 ... 40) + [255, 1000, 4099] {
            for code: UInt8 in [0, 1, 0x7F, 0x80, 0x81, 0xFE, 0xFF] {
                for density in [0, 1, 8, 50, 100] {
                    let codes: [UInt8] = (0 ..< length).map { _ in
                        if Int(next() % 100) < density { return code }
                        // Neighbours of the code (one off in either direction) and random bytes.
                        switch next() % 3 {
                        case 0: return code &+ 1
                        case 1: return code &- 1
                        default: return UInt8(truncatingIfNeeded: next())
                        }
                    }
                    var rows: [Int32] = [-5]
                    codes.withUnsafeBufferPointer { CodedColumn<Int32>.appendRows(of: code, in: $0, to: &rows) }
                    XCTAssertEqual(rows, [-5] + codes.indices.filter { codes[$0] == code }.map { Int32($0) },
                                   "length \(length), code \(code), density \(density)")
                }
            }
        }
    }

    /// `keepRows` keeps exactly the rows whose value passes, in order, for 1-byte, 2-byte and raw columns, and asks a
    /// coded column's predicate once per distinct value (what makes it cheaper than a test per row).
    func testKeepRowsWhereAValuePasses() {
        let wide = (0 ..< 70_000).map { Int32($0 % 300) }   // 300 distinct: 2-byte codes
        let many = (0 ..< 70_000).map { Int32($0) }         // 70,000 distinct: raw
        for ids: [Int32] in [[7, -1, 7, 3, -1, 7, 3, 3], wide, many] {
            for column in [CodedColumn(ids), CodedColumn(raw: ids)] {
                for keep: (Int32) -> Bool in [{ $0 == 7 }, { $0 < 0 }, { $0 % 2 == 1 }, { _ in false }, { _ in true }] {
                    let candidates = ids.indices.filter { $0 % 3 != 1 }.map { Int32($0) }
                    var rows = candidates
                    var asked = 0
                    column.keepRows(&rows) { asked += 1; return keep($0) }
                    XCTAssertEqual(rows, candidates.filter { keep(ids[Int($0)]) }, "width \(column.width)")
                    if column.width != 0 { XCTAssertEqual(asked, column.dictionary.count, "once per distinct value") }
                }
            }
        }
    }

    /// `rowMarks` gives every row its value's mark, for 1-byte, 2-byte and raw columns, asking a coded column once per
    /// distinct value.
    func testRowMarksMarkEveryRowByItsValue() {
        for ids: [Int32] in [[7, -1, 7, 3, -1, 7, 3, 3], (0 ..< 70_000).map { Int32($0 % 300) }, (0 ..< 70_000).map { Int32($0) }, []] {
            for column in [CodedColumn(ids), CodedColumn(raw: ids)] {
                var asked = 0
                let marks = column.rowMarks { asked += 1; return UInt8(truncatingIfNeeded: $0 &* 7 &+ 1) }
                XCTAssertEqual(marks, ids.map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 1) }, "width \(column.width)")
                XCTAssertEqual(asked, column.width == 0 ? ids.count : column.dictionary.count, "width \(column.width)")
            }
        }
    }

    /// Stored parts that are not a valid coded column are damage (a cache miss).
    func testDamagedPartsAreRejected() {
        XCTAssertNotNil(CodedColumn<Int32>(dictionary: [4, 5], codes8: [0, 1, 1], codes16: [], width: 1))
        XCTAssertNil(CodedColumn<Int32>(dictionary: [4, 5], codes8: [0, 2], codes16: [], width: 1), "code outside the dictionary")
        XCTAssertNil(CodedColumn<Int32>(dictionary: [4, 4], codes8: [0, 1], codes16: [], width: 1), "a repeated value")
        XCTAssertNil(CodedColumn<Int32>(dictionary: [4], codes8: [0], codes16: [], width: 3), "width")
        XCTAssertNil(CodedColumn<Int32>(dictionary: (0 ..< 257).map { Int32($0) }, codes8: [0], codes16: [], width: 1))
        XCTAssertNil(CodedColumn<Int32>(dictionary: [1, 2], codes8: [], codes16: [0, 2], width: 2))
    }
}
