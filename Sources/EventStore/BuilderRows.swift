/// The row values of the rows an ``EventTableBuilder`` is applying, written by pointer (session 7, apply): each
/// `Array.append` of a row column costs a call to the runtime's uniqueness check plus a capacity check (and, in a
/// function as large as the builder's `add`, often a call to the array's out-of-line append path), ten times per
/// event; a store through a pointer into this block costs one instruction. ``EventTableBuilder/flushRows()`` moves
/// the block into the table's row columns (one `append(contentsOf:)` per column per ``rows`` rows) when it is full,
/// at the end of every chunk and of every single `add`, and before anything reads the columns: so between the
/// builder's public operations nothing is staged, and a copy of the builder (a follower's snapshot) never sees a
/// half-applied block.
///
/// The memory is owned here and never shared with a column; the builder keeps the number of staged rows itself
/// (a stored property of a class would cost a dynamic exclusivity check per access).
final class RowStage: @unchecked Sendable {
    /// Rows per block.
    static let rows = 256
    let time: UnsafeMutablePointer<Int64>
    let kind: UnsafeMutablePointer<EventKind>
    let sequence: UnsafeMutablePointer<Int32>
    let name: UnsafeMutablePointer<Int32>
    let section: UnsafeMutablePointer<Int32>
    let timezone: UnsafeMutablePointer<Int32>
    let carried: UnsafeMutablePointer<UInt64>
    let granted: UnsafeMutablePointer<UInt64>
    let user: UnsafeMutablePointer<Int32>
    let anon: UnsafeMutablePointer<Int32>

    init() {
        let n = Self.rows
        time = .allocate(capacity: n); kind = .allocate(capacity: n); sequence = .allocate(capacity: n)
        name = .allocate(capacity: n); section = .allocate(capacity: n); timezone = .allocate(capacity: n)
        carried = .allocate(capacity: n); granted = .allocate(capacity: n)
        user = .allocate(capacity: n); anon = .allocate(capacity: n)
    }

    deinit {
        time.deallocate(); kind.deallocate(); sequence.deallocate()
        name.deallocate(); section.deallocate(); timezone.deallocate()
        carried.deallocate(); granted.deallocate()
        user.deallocate(); anon.deallocate()
    }
}

/// The anonymous → user links of a build: per anonymousId (an interned string id), the earliest
/// (time, file-order sequence, userId) it appeared with (session 7, apply).
///
/// The link of an anonymousId sits at its id in one array (`byAnon`, 16 bytes per interned id up to the largest
/// anonymousId linked; ids are dense; `user` -1: no link), so the probe made for every event that carries both ids is
/// one load. (Session 7 had an index of 4 bytes per id into dense entries: two dependent cache misses per probe, one
/// for the index and one for the entry; session 9, apply.) The `Dictionary` before that hashed each such event's id
/// with SipHash. `anons` lists the linked anonymousIds in first-link order, so this is a `Sequence` of
/// `(key: anonymousId, value: link)` in that order, and the code that read the dictionary
/// (``EventTableBuilder/finish()``, the cache's ``EventTableBuilder/rawState()``) reads it unchanged.
struct LinkTable: Sequence {
    typealias Link = (time: Int64, seq: Int32, user: Int32)
    /// By anonymousId: its link, or `user` -1 when it has none.
    private var byAnon: [Link] = []
    /// The linked anonymousIds, in first-link order.
    private var anons: [Int32] = []
    private static let none: Link = (0, 0, -1)

    init() {}

    /// Number of linked anonymousIds.
    var count: Int { anons.count }
    var isEmpty: Bool { anons.isEmpty }

    /// The link of `anon`; setting one replaces it (whatever its time).
    subscript(anon: Int32) -> Link? {
        get {
            let a = Int(anon)
            guard a >= 0, a < byAnon.count else { return nil }
            let l = byAnon[a]
            return l.user < 0 ? nil : l
        }
        set {
            guard let newValue else { preconditionFailure("links are never removed") }
            let a = Int(anon)
            precondition(a >= 0, "an interned id")
            // A link to no user (a user below 0: `addIdentity` never makes one, the cache resume skips them) is no
            // link: it is not stored, so a later link of the same anonymousId is listed once.
            guard newValue.user >= 0 else { return }
            if a < byAnon.count, byAnon[a].user >= 0 { byAnon[a] = newValue; return }
            insert(anon, newValue)
        }
    }

    /// Links `anon` to `user` when it has no link yet or its link is later than (time, seq) (by time, then sequence).
    @inline(__always) mutating func link(anon: Int32, user: Int32, time: Int64, seq: Int32) {
        let a = Int(anon)
        if a < byAnon.count {
            let old = byAnon[a]
            if old.user >= 0 {
                if (old.time, old.seq) <= (time, seq) { return }
                byAnon[a] = (time, seq, user)
                return
            }
        }
        insert(anon, (time, seq, user))
    }

    /// Loads the link entry of `anon` (for the apply's block prefetch, ``EventTableBuilder/touch(_:)``) and returns a
    /// value that depends on it. Changes nothing.
    @inline(__always) func touch(anon: Int32) -> UInt64 {
        let a = Int(anon)
        guard a >= 0, a < byAnon.count else { return 0 }
        return UInt64(bitPattern: byAnon[a].time)
    }

    private mutating func insert(_ anon: Int32, _ link: Link) {
        let a = Int(anon)
        if a >= byAnon.count {
            // Grown by half (at least to `a`): ids arrive roughly in order, so the array stays near the largest id.
            let size = Swift.max(a + 1, byAnon.count + byAnon.count / 2, 64)
            byAnon.append(contentsOf: repeatElement(Self.none, count: size - byAnon.count))
        }
        byAnon[a] = link
        anons.append(anon)
    }

    struct Iterator: IteratorProtocol {
        fileprivate let anons: [Int32]
        fileprivate let byAnon: [Link]
        fileprivate var i = 0
        mutating func next() -> (key: Int32, value: Link)? {
            guard i < anons.count else { return nil }
            defer { i += 1 }
            return (anons[i], byAnon[Int(anons[i])])
        }
    }

    /// Every link, in the order the anonymousIds were first linked.
    func makeIterator() -> Iterator { Iterator(anons: anons, byAnon: byAnon) }
}

/// A consent category of up to 16 bytes as the builder last saw it at one position of an event's consent list
/// (session 7, apply): its length, its bytes as two little-endian words with the masks of its length, and its bit.
/// A category with the same length whose first 16 bytes equal the words under the masks is the same bytes, so it
/// takes the bit without a probe of the category interner (a hash-table probe and a `memcmp` for each of an event's
/// 4–5 categories, ~120 instructions each, before). `count` -1: no hint (a longer category, or none yet).
struct ConsentHint {
    var count: Int32 = -1
    var w0: UInt64 = 0, w1: UInt64 = 0
    var m0: UInt64 = 0, m1: UInt64 = 0
    var bit: Int32 = -1

    init() {}

    /// The hint for category `t` (bytes in `arena`) with bit `bit`; no hint when it is longer than 16 bytes.
    init(_ arena: UnsafeRawBufferPointer, _ t: RawText, bit: Int32) {
        let n = Int(t.count)
        guard n >= 0, n <= 16 else { return }
        var a: UInt64 = 0, b: UInt64 = 0
        for k in 0 ..< n {
            let byte = UInt64(arena[Int(t.start) + k])
            if k < 8 { a |= byte << UInt64(8 * k) } else { b |= byte << UInt64(8 * (k - 8)) }
        }
        count = t.count
        w0 = a; w1 = b
        m0 = n >= 8 ? ~0 : (1 << UInt64(8 * n)) &- 1
        m1 = n >= 16 ? ~0 : n <= 8 ? 0 : (1 << UInt64(8 * (n - 8))) &- 1
        self.bit = bit
    }
}
