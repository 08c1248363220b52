/// A row column of few distinct values, stored as 1- or 2-byte codes into a dictionary of its distinct values
/// (#14, the compact table): event names, page sections and timezones (interned string ids), and the consent
/// bits of each row (most rows of a store carry one of a handful of consent states).
///
/// Layout: `dictionary` holds the distinct values in order of first appearance (by row); each row stores its
/// value's index in `codes8` (up to 256 distinct values) or `codes16` (up to 65,536). A column with more
/// distinct values keeps every value itself (`raw`, as wide as the value): a store of a million event names
/// pays no dictionary on top. While a builder appends rows the column is raw; ``EventTableBuilder/finish()``
/// codes it: while it permutes the rows, or (a store of 4,096 rows or more, session 9) in row order on a second
/// thread while the order is built, then renumbers the codes in the new order (`recoded`: the same dictionary,
/// width and codes).
///
/// It is a `RandomAccessCollection` of every row's value, so `name[r]`, `map`, iteration work as on the array
/// it replaces; hot loops use ``withUnsafeBufferPointer(_:)``.
public struct CodedColumn<Value: Hashable & BitwiseCopyable & Sendable>: RandomAccessCollection, Sendable {
    /// The distinct values, when coded (first appearance first).
    public private(set) var dictionary: [Value] = []
    /// Per row, the index of its value in `dictionary`, when coded with 1 byte.
    public private(set) var codes8: [UInt8] = []
    /// Per row, the index of its value in `dictionary`, when coded with 2 bytes.
    public private(set) var codes16: [UInt16] = []
    /// Per row, its value, when not coded.
    public private(set) var raw: [Value] = []
    /// Bytes per code: 1 or 2, or 0 when not coded (`raw`).
    public private(set) var width = 0

    /// An empty (raw) column.
    public init() {}

    /// The column of `values`, coded when they have at most 65,536 distinct values.
    public init(_ values: [Value]) {
        self = CodedColumn(raw: values).permuted(values.indices.map { Int32($0) })
    }

    /// A raw column (a builder resuming, a cache read of a raw column).
    init(raw values: [Value]) { raw = values }

    /// A coded column from its stored parts (a cache read): nil when the width is not 1 or 2, the dictionary is
    /// larger than the codes can address or has a repeated value, or a code is outside the dictionary.
    init?(dictionary: [Value], codes8: [UInt8], codes16: [UInt16], width: Int) {
        switch width {
        case 1: guard codes16.isEmpty, dictionary.count <= 256, codes8.allSatisfy({ Int($0) < dictionary.count }) else { return nil }
        case 2: guard codes8.isEmpty, dictionary.count <= 65_536, codes16.allSatisfy({ Int($0) < dictionary.count }) else { return nil }
        default: return nil
        }
        guard Set(dictionary).count == dictionary.count else { return nil }
        self.dictionary = dictionary; self.codes8 = codes8; self.codes16 = codes16; self.width = width
    }

    // MARK: Collection

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }
    public var count: Int {
        switch width {
        case 1: return codes8.count
        case 2: return codes16.count
        default: return raw.count
        }
    }

    /// Row `r`'s value.
    @inlinable public subscript(r: Int) -> Value {
        switch width {
        case 1: return dictionary[Int(codes8[r])]
        case 2: return dictionary[Int(codes16[r])]
        default: return raw[r]
        }
    }

    /// Bytes this column holds (by element count).
    public var storageBytes: Int {
        let stride = MemoryLayout<Value>.stride
        return dictionary.count * stride + codes8.count + codes16.count * 2 + raw.count * stride
    }

    /// Appends to `rows`, ascending, every row whose value is `value` (a scan of the codes for the value's
    /// code when coded: no dictionary read per row).
    public func appendRows(equalTo value: Value, to rows: inout [Int32]) {
        switch width {
        case 1:
            guard let code = dictionary.firstIndex(of: value) else { return }
            let c = UInt8(truncatingIfNeeded: code)
            codes8.withUnsafeBufferPointer { b in Self.appendRows(of: c, in: b, to: &rows) }
        case 2:
            guard let code = dictionary.firstIndex(of: value) else { return }
            let c = UInt16(truncatingIfNeeded: code)
            codes16.withUnsafeBufferPointer { b in
                for r in 0 ..< b.count where b[r] == c { rows.append(Int32(truncatingIfNeeded: r)) }
            }
        default:
            raw.withUnsafeBufferPointer { b in
                for r in 0 ..< b.count where b[r] == value { rows.append(Int32(truncatingIfNeeded: r)) }
            }
        }
    }

    /// Appends the positions of `code` in `codes` to `rows`, ascending: eight codes per word, a word without the code
    /// skipped at once (a zero byte of `word ^ broadcast` found by the carry trick, which never misses one; each byte of
    /// a word that may hold it is then compared on its own). The names of most filters are a few percent of the rows.
    /// The rows found go through a small buffer, appended to `rows` a few hundred at a time.
    static func appendRows(of code: UInt8, in codes: UnsafeBufferPointer<UInt8>, to rows: inout [Int32]) {
        let n = codes.count
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: 512) { found in
            var k = 0
            var r = 0
            if let base = codes.baseAddress, n >= 8 {
                let raw = UnsafeRawPointer(base)
                let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
                let broadcast = UInt64(code) &* ones
                while r &+ 8 <= n {
                    let x = raw.loadUnaligned(fromByteOffset: r, as: UInt64.self) ^ broadcast
                    if (x &- ones) & ~x & highs != 0 {
                        // Each of the eight written, kept only when it is the code.
                        for i in r ..< r &+ 8 {
                            found[k] = Int32(truncatingIfNeeded: i)
                            k &+= codes[i] == code ? 1 : 0
                        }
                        if k > 512 - 8 {
                            rows.append(contentsOf: UnsafeBufferPointer(rebasing: found[0 ..< k]))
                            k = 0
                        }
                    }
                    r &+= 8
                }
            }
            // At most 7 codes left, and at most 504 rows in the buffer.
            while r < n {
                found[k] = Int32(truncatingIfNeeded: r)
                k &+= codes[r] == code ? 1 : 0
                r &+= 1
            }
            rows.append(contentsOf: UnsafeBufferPointer(rebasing: found[0 ..< k]))
        }
    }

    /// Per row, `mark(value)`: asked once per distinct value when coded (then one table read per row), else once per
    /// row. The analysis marks the rows it visits with it (survey events, chat messages) in one pass over the codes.
    @inlinable
    public func rowMarks(_ mark: (Value) -> UInt8) -> [UInt8] {
        switch width {
        case 1, 2:
            let table = dictionary.map(mark)
            return table.withUnsafeBufferPointer { table in
                [UInt8](unsafeUninitializedCapacity: count) { out, initialized in
                    if width == 1 {
                        codes8.withUnsafeBufferPointer { codes in for r in 0 ..< codes.count { out[r] = table[Int(codes[r])] } }
                    } else {
                        codes16.withUnsafeBufferPointer { codes in for r in 0 ..< codes.count { out[r] = table[Int(codes[r])] } }
                    }
                    initialized = count
                }
            }
        default:
            return raw.map(mark)
        }
    }

    /// Keeps in `rows` (row numbers) those whose value passes `keep`, in order. When coded, `keep` is asked once per
    /// distinct value, not once per row (the rules compiler's section conditions: a few sections, most rows pages).
    @inlinable
    public func keepRows(_ rows: inout [Int32], where keep: (Value) -> Bool) {
        var kept = 0
        switch width {
        case 1:
            let pass = dictionary.map(keep)
            codes8.withUnsafeBufferPointer { codes in
                pass.withUnsafeBufferPointer { pass in
                    rows.withUnsafeMutableBufferPointer { out in
                        for i in 0 ..< out.count where pass[Int(codes[Int(out[i])])] { out[kept] = out[i]; kept &+= 1 }
                    }
                }
            }
        case 2:
            let pass = dictionary.map(keep)
            codes16.withUnsafeBufferPointer { codes in
                pass.withUnsafeBufferPointer { pass in
                    rows.withUnsafeMutableBufferPointer { out in
                        for i in 0 ..< out.count where pass[Int(codes[Int(out[i])])] { out[kept] = out[i]; kept &+= 1 }
                    }
                }
            }
        default:
            raw.withUnsafeBufferPointer { values in
                rows.withUnsafeMutableBufferPointer { out in
                    for i in 0 ..< out.count where keep(values[Int(out[i])]) { out[kept] = out[i]; kept &+= 1 }
                }
            }
        }
        rows.removeLast(rows.count - kept)
    }

    /// Calls `body` with a view of the values over the column's memory, for hot loops.
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeValues) throws -> R) rethrows -> R {
        try dictionary.withUnsafeBufferPointer { d in
            try codes8.withUnsafeBufferPointer { c8 in
                try codes16.withUnsafeBufferPointer { c16 in
                    try raw.withUnsafeBufferPointer { r in
                        try body(UnsafeValues(dictionary: d, codes8: c8, codes16: c16, raw: r, width: width))
                    }
                }
            }
        }
    }

    /// The values of a ``CodedColumn`` over its memory (valid inside ``CodedColumn/withUnsafeBufferPointer(_:)``).
    ///
    /// Its reads are `@inlinable`, so other modules' hot loops specialize them for the value type instead of
    /// calling a generic subscript per row.
    public struct UnsafeValues {
        @usableFromInline let dictionary: UnsafeBufferPointer<Value>
        @usableFromInline let codes8: UnsafeBufferPointer<UInt8>
        @usableFromInline let codes16: UnsafeBufferPointer<UInt16>
        @usableFromInline let raw: UnsafeBufferPointer<Value>
        @usableFromInline let width: Int
        /// Row `r`'s value.
        @inlinable @inline(__always) public subscript(r: Int) -> Value {
            switch width {
            case 1: return dictionary[Int(codes8[r])]
            case 2: return dictionary[Int(codes16[r])]
            default: return raw[r]
            }
        }
    }

    // MARK: Building

    /// Appends a value (only while the column is raw: a builder's column).
    mutating func append(_ v: Value) {
        precondition(width == 0, "a coded column is read-only")
        raw.append(v)
    }

    /// Appends values in a block (only while raw; the builder's staged rows, ``EventTableBuilder/flushRows()``).
    mutating func append(contentsOf values: UnsafeBufferPointer<Value>) {
        precondition(width == 0, "a coded column is read-only")
        raw.append(contentsOf: values)
    }

    /// Reserves room for `rows` values (while raw).
    mutating func reserveCapacity(_ rows: Int) { if width == 0 { raw.reserveCapacity(rows) } }

    /// This column with rows taken in `order` (new row i = old row order[i]), coded when it has at most
    /// 65,536 distinct values.
    func permuted(_ order: [Int32]) -> CodedColumn {
        var out = CodedColumn()
        if width != 0 {
            // Already coded: the codes are permuted, the dictionary kept.
            out.dictionary = dictionary
            out.width = width
            if width == 1 { out.codes8 = order.map { codes8[Int($0)] } } else { out.codes16 = order.map { codes16[Int($0)] } }
            return out
        }
        if Value.self == Int32.self, let coded = codedByID(order) { return coded }
        if Value.self == UInt64.self { return codedByBits(order) }
        var index: [Value: UInt16] = [:]
        var dictionary: [Value] = []
        var codes = [UInt16](repeating: 0, count: order.count)
        let ok = raw.withUnsafeBufferPointer { values -> Bool in
            for (i, o) in order.enumerated() {
                let v = values[Int(o)]
                if let c = index[v] { codes[i] = c; continue }
                guard dictionary.count < 65_536 else { return false }
                let c = UInt16(dictionary.count)
                index[v] = c
                dictionary.append(v)
                codes[i] = c
            }
            return true
        }
        guard ok else { return CodedColumn(raw: order.map { raw[Int($0)] }) }
        return CodedColumn(dictionary: dictionary, codes: codes)
    }

    /// A coded column of `dictionary` and each row's code into it (1-byte codes when they fit).
    private init(dictionary: [Value], codes: [UInt16]) {
        self.dictionary = dictionary
        if dictionary.count <= 256 {
            width = 1
            codes8 = codes.map { UInt8(truncatingIfNeeded: $0) }
        } else {
            width = 2
            codes16 = codes
        }
    }

    /// ``permuted(_:)`` of a raw column of interned string ids (`Int32`, -1 for none; #14): each row's code
    /// is looked up in an array indexed by id + 1 instead of a hash table (ids are dense, below the string
    /// table's count). The same dictionary (first appearance in `order` first) and codes as the hash path.
    /// nil (take the hash path) when the column is not raw `Int32`, an id is below -1, the array would
    /// have more entries than the column has rows (sparse ids: it would cost more than the codes), or there
    /// are more than 65,536 distinct ids.
    private func codedByID(_ order: [Int32]?) -> CodedColumn? {
        guard width == 0, Value.self == Int32.self else { return nil }
        return raw.withUnsafeBufferPointer { values -> CodedColumn? in
            guard let base = values.baseAddress else { return nil }
            let ids = UnsafeBufferPointer(start: UnsafeRawPointer(base).assumingMemoryBound(to: Int32.self), count: values.count)
            var low: Int32 = 0, high: Int32 = -1
            for v in ids {
                if v < low { low = v }
                if v > high { high = v }
            }
            let slots = Int(high) + 2
            let rows = order?.count ?? ids.count, identity = order == nil
            guard low >= -1, slots <= Swift.max(rows, 65_536) else { return nil }
            var codeOf = [Int32](repeating: -1, count: slots)
            var dictionary: [Int32] = []
            let coded = codeOf.withUnsafeMutableBufferPointer { codeOf in
                (order ?? []).withUnsafeBufferPointer { order in
                    // The previous row's id and code: rows of one person, now adjacent, often repeat a value.
                    var lastID: Int32 = -2, lastCode = 0
                    return Self.codes(rows: rows) { i -> Int in
                        let v = ids[identity ? i : Int(order[i])]
                        if v == lastID { return lastCode }
                        let slot = Int(v) &+ 1
                        var c = Int(codeOf[slot])
                        if c < 0 {
                            guard dictionary.count < 65_536 else { return -1 }
                            c = dictionary.count
                            codeOf[slot] = Int32(truncatingIfNeeded: c)
                            dictionary.append(v)
                        }
                        lastID = v
                        lastCode = c
                        return c
                    }
                }
            }
            guard let coded else { return nil }
            return CodedColumn(dictionary: unsafeBitCast(dictionary, to: [Value].self), coded: coded)
        }
    }

    /// ``permuted(_:)`` of a raw column of `UInt64` (the consent bits; session 7): the codes are found in a
    /// small open-addressing table keyed by the value's bits (multiplicative hash, linear probing) instead
    /// of a `Dictionary` (SipHash per row). The same dictionary (first appearance in `order` first) and codes
    /// as the hash path; raw when there are more than 65,536 distinct values.
    private func codedByBits(_ order: [Int32]?) -> CodedColumn {
        precondition(width == 0 && Value.self == UInt64.self)
        let bits = unsafeBitCast(raw, to: [UInt64].self)
        var shift = 64 - 10                 // 1,024 slots to start; grown at half full
        var keys = [UInt64](repeating: 0, count: 1 << 10)
        var slotCode = [Int32](repeating: -1, count: 1 << 10)
        var dictionary: [UInt64] = []
        let identity = order == nil, rows = order?.count ?? bits.count
        let coded = bits.withUnsafeBufferPointer { values in
            (order ?? []).withUnsafeBufferPointer { order in
                // The previous row's value and code: rows of one person, now adjacent, mostly carry the same bits.
                var lastValue: UInt64 = 0, lastCode = -1
                return Self.codes(rows: rows) { i -> Int in
                    let v = values[identity ? i : Int(order[i])]
                    if lastCode >= 0, v == lastValue { return lastCode }
                    let mask = keys.count - 1
                    var slot = Int(truncatingIfNeeded: (v &* 0x9E37_79B9_7F4A_7C15) &>> UInt64(shift))
                    while true {
                        let c = slotCode[slot]
                        if c < 0 { break }
                        if keys[slot] == v { lastValue = v; lastCode = Int(c); return lastCode }
                        slot = (slot &+ 1) & mask
                    }
                    guard dictionary.count < 65_536 else { return -1 }
                    let c = Int32(dictionary.count)
                    dictionary.append(v)
                    keys[slot] = v
                    slotCode[slot] = c
                    if dictionary.count * 2 > keys.count {
                        // Grow: re-insert the dictionary (its index is its code).
                        shift -= 1
                        keys = [UInt64](repeating: 0, count: keys.count * 2)
                        slotCode = [Int32](repeating: -1, count: keys.count)
                        let m = keys.count - 1
                        for (code, key) in dictionary.enumerated() {
                            var s = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) &>> UInt64(shift))
                            while slotCode[s] >= 0 { s = (s &+ 1) & m }
                            keys[s] = key
                            slotCode[s] = Int32(code)
                        }
                    }
                    lastValue = v
                    lastCode = Int(c)
                    return lastCode
                }
            }
        }
        guard let coded else { return CodedColumn(raw: order.map { $0.map { raw[Int($0)] } } ?? raw) }
        return CodedColumn(dictionary: unsafeBitCast(dictionary, to: [Value].self), coded: coded)
    }

    /// This raw column coded in row order (its dictionary in first appearance by row), or nil when it would not be
    /// coded by ``permuted(_:)``'s id or bits path (not `Int32` or `UInt64`, sparse ids, more than 65,536 distinct
    /// values). ``EventTableBuilder/finish()`` codes the row columns this way while the person order is still being
    /// made (the work needs no order), then ``recoded(_:)`` permutes the codes.
    func codedInRowOrder() -> CodedColumn? {
        guard width == 0 else { return nil }
        if Value.self == Int32.self { return codedByID(nil) }
        if Value.self == UInt64.self {
            let c = codedByBits(nil)
            return c.width == 0 ? nil : c
        }
        return nil
    }

    /// This coded column with rows taken in `order`, its codes renumbered by first appearance in the new order: the
    /// same dictionary, width and codes as coding the raw values in `order` (``permuted(_:)`` of the raw column).
    /// Each row's code is read (1 or 2 bytes) and mapped through a table as long as the dictionary, instead of the
    /// value being read and looked up.
    func recoded(_ order: [Int32]) -> CodedColumn {
        precondition(width != 0, "recoded(_:) permutes a coded column")
        let n = order.count
        var dictionary: [Value] = []
        dictionary.reserveCapacity(self.dictionary.count)
        var remap = [Int32](repeating: -1, count: self.dictionary.count)
        var out = CodedColumn()
        out.width = width
        remap.withUnsafeMutableBufferPointer { remap in
            self.dictionary.withUnsafeBufferPointer { old in
                order.withUnsafeBufferPointer { order in
                    @inline(__always) func code(_ c: Int) -> Int32 {
                        var r = remap[c]
                        if r < 0 {
                            r = Int32(truncatingIfNeeded: dictionary.count)
                            remap[c] = r
                            dictionary.append(old[c])
                        }
                        return r
                    }
                    if width == 1 {
                        out.codes8 = codes8.withUnsafeBufferPointer { src in
                            [UInt8](unsafeUninitializedCapacity: n) { buf, count in
                                for i in 0 ..< n { buf[i] = UInt8(truncatingIfNeeded: code(Int(src[Int(order[i])]))) }
                                count = n
                            }
                        }
                    } else {
                        out.codes16 = codes16.withUnsafeBufferPointer { src in
                            [UInt16](unsafeUninitializedCapacity: n) { buf, count in
                                for i in 0 ..< n { buf[i] = UInt16(truncatingIfNeeded: code(Int(src[Int(order[i])]))) }
                                count = n
                            }
                        }
                    }
                }
            }
        }
        out.dictionary = dictionary
        if out.width == 2 && dictionary.count <= 256 {
            // Fewer distinct values in `order` than in the column (not a permutation): 1-byte codes, as coding would.
            out.width = 1
            out.codes8 = out.codes16.map { UInt8(truncatingIfNeeded: $0) }
            out.codes16 = []
        }
        return out
    }

    /// The codes of `rows` rows, `code(i)` being row i's (asked once per row, in order; -1: more distinct values than
    /// 2-byte codes address): written as 1-byte codes while every code so far fits one byte, widened to 2 bytes at the
    /// first code above 255 (the rows before it copied). nil when `code` returned -1. The same width and codes as
    /// collecting every code and then narrowing them (``init(dictionary:codes:)``), without the second array and pass.
    @inline(__always)
    static func codes(rows n: Int, _ code: (Int) -> Int) -> (codes8: [UInt8], codes16: [UInt16])? {
        var stop = n, pending = 0
        let c8 = [UInt8](unsafeUninitializedCapacity: n) { out, initialized in
            for i in 0 ..< n {
                let c = code(i)
                if UInt(bitPattern: c) > 255 { stop = i; pending = c; initialized = i; return }
                out[i] = UInt8(truncatingIfNeeded: c)
            }
            initialized = n
        }
        if stop == n { return (c8, []) }
        if pending < 0 { return nil }
        var failed = false
        let c16 = [UInt16](unsafeUninitializedCapacity: n) { out, initialized in
            c8.withUnsafeBufferPointer { c8 in
                for i in 0 ..< stop { out[i] = UInt16(c8[i]) }
            }
            out[stop] = UInt16(truncatingIfNeeded: pending)
            for i in stop + 1 ..< n {
                let c = code(i)
                if UInt(bitPattern: c) > 65_535 { failed = true; initialized = i; return }
                out[i] = UInt16(truncatingIfNeeded: c)
            }
            initialized = n
        }
        return failed ? nil : ([], c16)
    }

    /// A coded column of `dictionary` and the codes ``codes(rows:_:)`` wrote (1-byte codes when `codes16` is empty).
    private init(dictionary: [Value], coded: (codes8: [UInt8], codes16: [UInt16])) {
        self.dictionary = dictionary
        if coded.codes16.isEmpty {
            width = 1
            codes8 = coded.codes8
        } else {
            width = 2
            codes16 = coded.codes16
        }
    }

    /// This column raw, with rows taken in `order` (a builder resuming appends to it).
    func unpacked(_ order: [Int]) -> CodedColumn { CodedColumn(raw: order.map { self[$0] }) }

    /// This column with the rows where `keep` is true.
    func filtered(_ keep: [Bool]) -> CodedColumn {
        var rows: [Int32] = []
        for (r, k) in keep.enumerated() where k { rows.append(Int32(r)) }
        return permuted(rows)
    }

    /// This column raw, with each row's value replaced by `transform(row, value)`.
    func mapped(_ transform: (Int, Value) -> Value) -> CodedColumn {
        CodedColumn(raw: indices.map { transform($0, self[$0]) })
    }
}

extension CodedColumn: Equatable {
    /// Equal when they hold the same values row by row (coded or not).
    public static func == (a: CodedColumn, b: CodedColumn) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0 == $1 }
    }
}

extension CodedColumn: CustomStringConvertible {
    public var description: String { "CodedColumn(\(Array(self)))" }
}
