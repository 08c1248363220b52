/// A column of one value per row that stores only the rows whose value is not the column's `absent`
/// value (#14, the compact table): a presence bitmap, a rank index and the present values in row order.
///
/// Layout, for `count` rows and `k` present values:
///
///     words   one UInt64 per 64 rows: bit r % 64 of word r / 64 is set when row r has a value
///     rank    one UInt32 per word: the number of present values in the words before it
///     values  the k present values, by row
///
/// so a column costs 0.1875 bytes per row plus `MemoryLayout<Value>.stride` per present value, where a
/// dense array costs the stride for every row. Random access is O(1) (one bit test, one popcount) and
/// branch-light, so per-person scans and candidate filters read it as they read an array. It is a
/// `RandomAccessCollection` of every row's value (absent rows read as `absent`), so `map`, `Array(column)`,
/// iteration and `column[r]` work as on the dense array it replaces.
///
/// The layout is canonical (an absent value is never stored, bits past `count` are zero), so two columns
/// holding the same values are `==`.
public struct SparseColumn<Value: BitwiseCopyable & Equatable & Sendable>: RandomAccessCollection, Equatable, Sendable {
    /// What a row without a stored value reads as (`.missing` for properties, 0 for consent bits).
    public let absent: Value
    /// Number of rows.
    public private(set) var rowCount: Int = 0
    /// Presence bitmap, one word per 64 rows.
    public private(set) var words: [UInt64] = []
    /// Present values before each word.
    public private(set) var rank: [UInt32] = []
    /// The present values, in row order.
    public private(set) var values: [Value] = []

    /// An empty column (no rows).
    public init(absent: Value) { self.absent = absent }

    /// The column of a dense array of every row's value.
    public init(_ dense: [Value], absent: Value) {
        self.absent = absent
        reserve(rows: dense.count)
        for v in dense { append(v) }
    }

    /// A column from its stored parts (a cache read): nil when they do not form a canonical column of
    /// `rows` rows (word count, bits past the end, present count, a stored `absent`).
    init?(rows: Int, words: [UInt64], values: [Value], absent: Value) {
        guard rows >= 0, words.count == (rows + 63) >> 6 else { return nil }
        if rows & 63 != 0, let last = words.last, last >> UInt64(rows & 63) != 0 { return nil }
        var rank: [UInt32] = []
        rank.reserveCapacity(words.count)
        var total = 0
        for w in words {
            rank.append(UInt32(truncatingIfNeeded: total))
            total += w.nonzeroBitCount
        }
        guard total == values.count, total <= Int(UInt32.max), !values.contains(absent) else { return nil }
        self.absent = absent
        self.rowCount = rows
        self.words = words
        self.rank = rank
        self.values = values
    }

    // MARK: Collection

    public var startIndex: Int { 0 }
    public var endIndex: Int { rowCount }
    public var count: Int { rowCount }

    /// Row `r`'s value (`absent` when it has none).
    @inlinable public subscript(r: Int) -> Value {
        let w = r &>> 6
        let bit: UInt64 = 1 &<< UInt64(truncatingIfNeeded: r & 63)
        let word = words[w]
        guard word & bit != 0 else { return absent }
        return values[Int(rank[w]) &+ (word & (bit &- 1)).nonzeroBitCount]
    }

    /// Whether row `r` has a stored value.
    @inlinable public func isPresent(_ r: Int) -> Bool {
        words[r &>> 6] & (1 &<< UInt64(truncatingIfNeeded: r & 63)) != 0
    }

    /// Number of rows with a value.
    public var presentCount: Int { values.count }

    /// Calls `body` with a view of the column over its memory, for hot loops (no array bounds or
    /// uniqueness checks per row).
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeRows) throws -> R) rethrows -> R {
        try words.withUnsafeBufferPointer { w in
            try rank.withUnsafeBufferPointer { k in
                try values.withUnsafeBufferPointer { v in
                    try body(UnsafeRows(words: w, rank: k, values: v, absent: absent))
                }
            }
        }
    }

    /// The rows of a ``SparseColumn`` over its memory (valid inside ``SparseColumn/withUnsafeBufferPointer(_:)``).
    ///
    /// Its reads are `@inlinable`, so other modules' hot loops specialize them for the value type instead of
    /// calling a generic function per row.
    public struct UnsafeRows {
        @usableFromInline let words: UnsafeBufferPointer<UInt64>
        @usableFromInline let rank: UnsafeBufferPointer<UInt32>
        @usableFromInline let values: UnsafeBufferPointer<Value>
        /// What a row without a stored value reads as.
        public let absent: Value

        /// Row `r`'s stored value, nil when the row has none.
        @inlinable @inline(__always) public func present(_ r: Int) -> Value? {
            let w = r &>> 6
            let bit: UInt64 = 1 &<< UInt64(truncatingIfNeeded: r & 63)
            let word = words[w]
            guard word & bit != 0 else { return nil }
            return values[Int(rank[w]) &+ (word & (bit &- 1)).nonzeroBitCount]
        }

        /// Row `r`'s value (`absent` when it has none).
        @inlinable @inline(__always) public subscript(r: Int) -> Value { present(r) ?? absent }
    }

    /// The rows that have a value, ascending (calls `body` with each row and its value).
    public func forEachPresent(_ body: (Int, Value) throws -> Void) rethrows {
        var k = 0
        for (w, word) in words.enumerated() {
            var m = word
            while m != 0 {
                try body(w << 6 | m.trailingZeroBitCount, values[k])
                k += 1
                m &= m &- 1
            }
        }
    }

    /// Bytes this column holds (bitmap, rank index and values, by element count, not capacity).
    public var storageBytes: Int {
        words.count * 8 + rank.count * 4 + values.count * MemoryLayout<Value>.stride
    }

    // MARK: Building (append only)

    /// Reserves room for `rows` rows (values are reserved as they come).
    mutating func reserve(rows: Int) {
        words.reserveCapacity((rows + 63) >> 6)
        rank.reserveCapacity((rows + 63) >> 6)
    }

    /// Reserves room for `rows` rows (the row columns' spelling, used by the reader).
    mutating func reserveCapacity(_ rows: Int) { reserve(rows: rows) }

    /// Appends one row.
    @inline(__always) mutating func append(_ v: Value) {
        let r = rowCount
        if r & 63 == 0 {
            words.append(0)
            rank.append(UInt32(truncatingIfNeeded: values.count))
        }
        rowCount = r + 1
        if v != absent {
            words[r >> 6] |= 1 << UInt64(r & 63)
            values.append(v)
        }
    }

    /// Appends one row of a column expected to reach `rows` rows in all (the builder's estimate; 0: unknown). When
    /// this append lands on a power of two from 1024 rows (a row reached by padding is not checked), `values` is reserved for the count projected at `rows` from the share of
    /// rows holding a value so far (``growValues(expectingRows:)``): a property on most rows of a 1 GB store doubled its
    /// values ~20 times, each step a copy into fresh memory that the kernel first had to clear. Checked where a new
    /// bitmap word starts (once per 64 rows), so an append costs nothing more.
    @inline(__always) mutating func append(_ v: Value, expectingRows rows: Int) {
        let r = rowCount
        if r & 63 == 0 && r >= 1024 && r & (r &- 1) == 0 { growValues(expectingRows: rows) }
        append(v)
    }

    /// Reserves `values` for the count projected at `rows` rows (with 1/16 slack), at most 8 × its count, so a guess
    /// from early rows costs at most that much address space (untouched capacity is not resident memory); nothing when
    /// the capacity is already there or no rows are left.
    @inline(never) mutating func growValues(expectingRows rows: Int) {
        let n = values.count
        guard rowCount > 0, rows > rowCount, n > 0 else { return }
        let projected = n * (rows / rowCount) + n * (rows % rowCount) / rowCount
        let target = Swift.min(projected + projected / 16, n * 8)
        if target > values.capacity { values.reserveCapacity(target) }
    }

    /// Capacity of the present values (tests).
    var valueCapacity: Int { values.capacity }

    /// Appends absent rows until the column has `rows` rows.
    mutating func pad(to rows: Int) {
        guard rows > rowCount else { return }
        let neededWords = (rows + 63) >> 6
        if neededWords > words.count {
            let k = UInt32(truncatingIfNeeded: values.count)
            words.append(contentsOf: repeatElement(0, count: neededWords - words.count))
            rank.append(contentsOf: repeatElement(k, count: neededWords - rank.count))
        }
        rowCount = rows
    }

    /// Replaces the value of the last row (a path repeated within one event: the last wins).
    mutating func setLast(_ v: Value) {
        precondition(rowCount > 0)
        let r = rowCount - 1
        let bit: UInt64 = 1 << UInt64(r & 63)
        if words[r >> 6] & bit != 0 {
            if v == absent {
                words[r >> 6] &= ~bit
                values.removeLast()
            } else {
                values[values.count - 1] = v
            }
        } else if v != absent {
            words[r >> 6] |= bit
            values.append(v)
        }
    }

    /// This column with rows taken in `order` (new row i = old row order[i]).
    func permuted(_ order: [Int32]) -> SparseColumn {
        order.withUnsafeBufferPointer { permuted(rows: $0) }
    }

    /// This column with rows taken in `order` (new row i = old row order[i]).
    func permuted(_ order: [Int]) -> SparseColumn {
        order.withUnsafeBufferPointer { permuted(rows: $0) }
    }

    /// This column with rows taken in `order`, a permutation of all its rows whose inverse is `inverse` (old row r is new
    /// row inverse[r]): the same column as ``permuted(_:)-([Int32])``. A column with values in fewer than half of its
    /// rows is built from its present rows alone (each one's bit set at its new row, then its value put at its
    /// rank), in time proportional to its values instead of its rows; a denser one is gathered row by row.
    func permuted(_ order: [Int32], inverse: [Int32]) -> SparseColumn {
        precondition(order.count == rowCount && inverse.count == rowCount, "not a permutation of this column's rows")
        guard values.count * 2 < rowCount else { return permuted(order) }
        let n = rowCount, wordCount = (n + 63) >> 6
        var newWords = [UInt64](repeating: 0, count: wordCount)
        var newRank = [UInt32](repeating: 0, count: wordCount)
        let newValues = withUnsafeBufferPointer { src in
            inverse.withUnsafeBufferPointer { inv in
                newWords.withUnsafeMutableBufferPointer { nw in
                    newRank.withUnsafeMutableBufferPointer { nr in
                        for (w, word) in src.words.enumerated() {
                            var m = word
                            while m != 0 {
                                let t = Int(inv[w << 6 | m.trailingZeroBitCount])
                                precondition(UInt(bitPattern: t) < UInt(n), "row out of range")
                                nw[t &>> 6] |= 1 &<< UInt64(truncatingIfNeeded: t & 63)
                                m &= m &- 1
                            }
                        }
                        var total = 0
                        for w in 0 ..< wordCount {
                            nr[w] = UInt32(truncatingIfNeeded: total)
                            total += nw[w].nonzeroBitCount
                        }
                        precondition(total == src.values.count, "not a permutation of this column's rows")
                        return [Value](unsafeUninitializedCapacity: total) { buf, count in
                            var k = 0
                            for (w, word) in src.words.enumerated() {
                                var m = word
                                while m != 0 {
                                    let t = Int(inv[w << 6 | m.trailingZeroBitCount])
                                    let bit: UInt64 = 1 &<< UInt64(truncatingIfNeeded: t & 63)
                                    let at = Int(nr[t &>> 6]) &+ (nw[t &>> 6] & (bit &- 1)).nonzeroBitCount
                                    (buf.baseAddress! + at).initialize(to: src.values[k])
                                    k += 1
                                    m &= m &- 1
                                }
                            }
                            count = total
                        }
                    }
                }
            }
        }
        return SparseColumn(rows: n, words: newWords, rank: newRank, values: newValues, absent: absent)
    }

    /// This column with rows taken in `order` (any rows of this column, repeats allowed), built word by word
    /// instead of row by row: first the presence bitmap and rank index (one bit gathered per row), then the
    /// present values, exactly as many as the bitmap says, each read once. The same column as appending
    /// `self[order[i]]` for every i (`CompactColumnTests`).
    @inline(__always)
    private func permuted<I: FixedWidthInteger>(rows order: UnsafeBufferPointer<I>) -> SparseColumn {
        let n = order.count, wordCount = (n + 63) >> 6, rows = UInt(rowCount)
        var newWords = [UInt64](repeating: 0, count: wordCount)
        var newRank = [UInt32](repeating: 0, count: wordCount)
        var present = 0
        words.withUnsafeBufferPointer { w in
            newWords.withUnsafeMutableBufferPointer { nw in
                newRank.withUnsafeMutableBufferPointer { nr in
                    for wi in 0 ..< wordCount {
                        nr[wi] = UInt32(truncatingIfNeeded: present)
                        let lo = wi << 6, hi = Swift.min(lo + 64, n)
                        var bits: UInt64 = 0
                        for r in lo ..< hi {
                            let s = Int(order[r])
                            precondition(UInt(bitPattern: s) < rows, "row out of range")
                            bits |= (w[s &>> 6] &>> UInt64(truncatingIfNeeded: s & 63) & 1) &<< UInt64(truncatingIfNeeded: r - lo)
                        }
                        nw[wi] = bits
                        present += bits.nonzeroBitCount
                    }
                }
            }
        }
        let newValues = withUnsafeBufferPointer { src in
            newWords.withUnsafeBufferPointer { nw in
                [Value](unsafeUninitializedCapacity: present) { buf, count in
                    var k = 0
                    for wi in 0 ..< wordCount {
                        var m = nw[wi]
                        while m != 0 {
                            // A row whose bit is set here is present in this column.
                            buf.initializeElement(at: k, to: src[Int(order[wi << 6 | m.trailingZeroBitCount])])
                            k += 1
                            m &= m &- 1
                        }
                    }
                    count = k
                }
            }
        }
        return SparseColumn(rows: n, words: newWords, rank: newRank, values: newValues, absent: absent)
    }

    /// A column from parts the permutations built (canonical by construction: no validation, unlike
    /// ``init(rows:words:values:absent:)``).
    private init(rows: Int, words: [UInt64], rank: [UInt32], values: [Value], absent: Value) {
        self.init(absent: absent)
        rowCount = rows
        self.words = words
        self.rank = rank
        self.values = values
    }

    /// This column with the rows where `keep` is true.
    func filtered(_ keep: [Bool]) -> SparseColumn {
        var out = SparseColumn(absent: absent)
        for (r, k) in keep.enumerated() where k { out.append(self[r]) }
        return out
    }

    /// This column with each row's value replaced by `transform(row, value)` (a rebuild: linear in rows).
    func mapped(_ transform: (Int, Value) -> Value) -> SparseColumn {
        var out = SparseColumn(absent: absent)
        out.reserve(rows: rowCount)
        out.values.reserveCapacity(values.count)
        for r in 0 ..< rowCount { out.append(transform(r, self[r])) }
        return out
    }
}

/// A selected property column: the value of one dotted path (`properties.category`) per row, `.missing`
/// where the event does not carry it (stored sparsely, see ``SparseColumn``).
public typealias PropertyColumn = SparseColumn<PropValue>

extension SparseColumn where Value == PropValue {
    /// An empty property column.
    public init() { self.init(absent: .missing) }
    /// The property column of a dense array (`.missing` rows are not stored).
    public init(_ dense: [PropValue]) { self.init(dense, absent: .missing) }
}
