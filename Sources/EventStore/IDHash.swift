/// A fast keyed 64-bit hash of bytes (wyhash-style multiply-fold rounds), used twice with
/// independent keys to form 128-bit dedupe keys and once for interning.
///
/// It is deterministic for a given key, so keys computed in one run can be stored in the
/// persistent cache together with the key (a random per-store seed) and reused later.
enum IDHash {
    static let p0: UInt64 = 0xa076_1d64_78bd_642f
    static let p1: UInt64 = 0xe703_7ed1_a0b4_28db
    static let p2: UInt64 = 0x8ebc_6af0_9c88_c6e3
    static let p3: UInt64 = 0x5899_65cc_7537_4cc3

    @inline(__always) static func mum(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let r = a.multipliedFullWidth(by: b)
        return r.high ^ r.low
    }

    /// The last `count - from` (< 8) of the `count` bytes at `base`, little-endian, zero-padded — read by at most three
    /// loads, none outside the bytes (the value of a byte-by-byte loop; words overlapping earlier bytes are shifted out,
    /// repeats OR'ed in). Shared by ``hash(_:seed:)`` and ``hashPair(_:seeds:)``.
    @inline(__always)
    static func tail(_ base: UnsafeRawPointer, count n: Int, from i: Int) -> UInt64 {
        let r = n - i
        guard r > 0 else { return 0 }
        if n >= 8 {
            return UInt64(littleEndian: base.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)) >> UInt64(64 - 8 * r)
        } else if r >= 4 {
            let lo = UInt64(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt32.self)))
            let hi = UInt64(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)))
            return lo | hi << UInt64(8 * (r - 4))
        }
        return UInt64(base.load(fromByteOffset: i, as: UInt8.self))
            | UInt64(base.load(fromByteOffset: i + r / 2, as: UInt8.self)) << UInt64(8 * (r / 2))
            | UInt64(base.load(fromByteOffset: n - 1, as: UInt8.self)) << UInt64(8 * (r - 1))
    }

    /// The hash of `bytes` under `seed`.
    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64) -> UInt64 {
        let n = bytes.count
        var h = seed ^ mum(seed ^ p0, UInt64(truncatingIfNeeded: n) ^ p1)
        guard let base = bytes.baseAddress else { return mum(h ^ p2, p3) }
        var i = 0
        while i + 16 <= n {
            let a = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let b = base.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self)
            h = mum(a ^ p1 ^ h, b ^ p2 ^ seed)
            i += 16
        }
        if i + 8 <= n {
            h = mum(base.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ p1 ^ h, p3 ^ seed)
            i += 8
        }
        let tail = Self.tail(base, count: n, from: i)
        h = mum(tail ^ p2 ^ h, p0 ^ UInt64(truncatingIfNeeded: n))
        return mum(h ^ p3, h ^ p1)
    }

    /// `(hash(bytes, seed: s0), hash(bytes, seed: s1))` in one pass: every word of `bytes` (and the tail) is read once
    /// for both — the dedupe key of a `messageId` (two hashes of the same bytes under the two dedupe seeds).
    @inline(__always)
    static func hashPair(_ bytes: UnsafeRawBufferPointer, seeds: (UInt64, UInt64)) -> (UInt64, UInt64) {
        let n = bytes.count
        let s0 = seeds.0, s1 = seeds.1
        let len = UInt64(truncatingIfNeeded: n)
        var h0 = s0 ^ mum(s0 ^ p0, len ^ p1)
        var h1 = s1 ^ mum(s1 ^ p0, len ^ p1)
        guard let base = bytes.baseAddress else { return (mum(h0 ^ p2, p3), mum(h1 ^ p2, p3)) }
        var i = 0
        while i + 16 <= n {
            let a = base.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ p1
            let b = base.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self) ^ p2
            h0 = mum(a ^ h0, b ^ s0)
            h1 = mum(a ^ h1, b ^ s1)
            i += 16
        }
        if i + 8 <= n {
            let a = base.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ p1
            h0 = mum(a ^ h0, p3 ^ s0)
            h1 = mum(a ^ h1, p3 ^ s1)
            i += 8
        }
        let t = Self.tail(base, count: n, from: i) ^ p2, m = p0 ^ len
        h0 = mum(t ^ h0, m)
        h1 = mum(t ^ h1, m)
        return (mum(h0 ^ p3, h0 ^ p1), mum(h1 ^ p3, h1 ^ p1))
    }

    /// The hash of a string's UTF-8 under `seed`.
    @inline(__always)
    static func hash(_ s: String, seed: UInt64) -> UInt64 {
        var s = s
        return s.withUTF8 { hash(UnsafeRawBufferPointer($0), seed: seed) }
    }
}

/// A 128-bit dedupe key of a `messageId` (two independently keyed 64-bit hashes).
struct MessageKey: Hashable, Sendable {
    var a: UInt64
    var b: UInt64

    /// The key of `id` under the two seeds.
    init(_ id: String, seeds: (UInt64, UInt64)) {
        var s = id
        (a, b) = s.withUTF8 { u in
            let raw = UnsafeRawBufferPointer(u)
            return IDHash.hashPair(raw, seeds: seeds)
        }
    }

    init(a: UInt64, b: UInt64) { self.a = a; self.b = b }
}

/// An insert-only open-addressing set of ``MessageKey``s (linear probing, the key's own bits as hash).
///
/// Memory is what bounds a 10 GB read (#14), so the table is filled to at most 70 % and grows by half
/// (not to a power of two: the slot of a key is `a · capacity >> 64`, Lemire's multiply-shift range
/// reduction, which needs no mask); growing rehashes straight from the old slots, never holding a list
/// of the keys besides. So the set costs 23–34 bytes per key (16 per slot), and at most 2.5× the old
/// table while it grows. Before, it doubled-twice at half load (a ×4 step): 32–128 bytes per key, and
/// 24.8 M keys at 10 GB briefly held 512 MB of old slots, 268 MB of listed keys and 2 GB of new slots.
struct MessageKeySet {
    /// Slots: pairs (a, b); (0, 0) marks an empty slot (a real (0, 0) key is stored as (0, 1)).
    private(set) var slots: [UInt64]
    /// Number of slots (`slots.count / 2`).
    private(set) var capacity: Int
    private(set) var count = 0
    /// The count at which the next insert grows the table (70 % of `capacity`).
    private var limit: Int

    /// An empty set that holds `capacity` keys before it first grows.
    init(capacity: Int = 1024) {
        let c = max(16, capacity + capacity / 2 + 1)
        slots = [UInt64](repeating: 0, count: c * 2)
        self.capacity = c
        limit = Self.limit(c)
    }

    @inline(__always) private static func limit(_ capacity: Int) -> Int { capacity * 7 / 10 }

    /// The first slot probed for a key whose first half is `a`, in a table of `capacity` slots.
    @inline(__always) static func home(_ a: UInt64, capacity: Int) -> Int {
        Int(truncatingIfNeeded: (a ^ (a >> 29)).multipliedFullWidth(by: UInt64(capacity)).high)
    }

    /// Inserts `key`; `false` when it was already there.
    @inline(__always)
    mutating func insert(_ key: MessageKey) -> Bool {
        if count >= limit { grow() }
        let b = key.a == 0 && key.b == 0 ? 1 : key.b
        let c = capacity
        let inserted = slots.withUnsafeMutableBufferPointer { s -> Bool in
            var i = Self.home(key.a, capacity: c)
            while true {
                let sa = s[2 * i], sb = s[2 * i + 1]
                if sa == 0 && sb == 0 {
                    s[2 * i] = key.a
                    s[2 * i + 1] = b
                    return true
                }
                if sa == key.a && sb == b { return false }
                i += 1
                if i == c { i = 0 }
            }
        }
        if inserted { count += 1 }
        return inserted
    }

    /// Reads the first slot `key` would probe and returns a value that depends on it, so that a caller
    /// can load the slots of many keys before inserting them: the loads are independent and overlap,
    /// where the inserts would wait for one cache miss after another (the set is far larger than the
    /// cache). When the home slot is taken, the insert probes on: the slot two further is loaded too (its line holds
    /// the next slot when the home slot ends its line; four slots share a line). Changes nothing.
    @inline(__always)
    func touch(_ key: MessageKey) -> UInt64 {
        let c = capacity
        return slots.withUnsafeBufferPointer { s in
            let i = Self.home(key.a, capacity: c)
            let v = s[2 * i]
            guard v != 0 else { return v }
            let j = i + 2 < c ? i + 2 : i + 2 - c
            return v ^ s[2 * j]
        }
    }

    /// The keys' two halves as two columns, in slot order (the cache's layout), without a list of the keys first.
    var keyColumns: (a: [UInt64], b: [UInt64]) {
        var a: [UInt64] = [], b: [UInt64] = []
        a.reserveCapacity(count); b.reserveCapacity(count)
        for i in 0 ..< capacity where slots[2 * i] != 0 || slots[2 * i + 1] != 0 {
            a.append(slots[2 * i]); b.append(slots[2 * i + 1])
        }
        return (a, b)
    }

    /// Every key, in slot order.
    var keys: [MessageKey] {
        let c = keyColumns
        return zip(c.a, c.b).map { MessageKey(a: $0, b: $1) }
    }

    /// Makes room for `keys` keys in all before the set next grows (one rehash now instead of one per step of
    /// half on the way there); nothing when it already has room.
    mutating func reserve(keys: Int) {
        guard keys > limit else { return }
        resize(to: max(16, keys + keys / 2 + 1))
    }

    /// Grows by half, moving every key straight from the old slots into the new ones.
    private mutating func grow() { resize(to: capacity + capacity / 2) }

    /// Rehashes into `c` slots (more than `count`), moving every key straight from the old slots into the new ones.
    private mutating func resize(to c: Int) {
        var fresh = [UInt64](repeating: 0, count: c * 2)
        fresh.withUnsafeMutableBufferPointer { f in
            slots.withUnsafeBufferPointer { s in
                for j in 0 ..< capacity {
                    let a = s[2 * j], b = s[2 * j + 1]
                    if a == 0 && b == 0 { continue }
                    var i = Self.home(a, capacity: c)
                    while f[2 * i] != 0 || f[2 * i + 1] != 0 {
                        i += 1
                        if i == c { i = 0 }
                    }
                    f[2 * i] = a
                    f[2 * i + 1] = b
                }
            }
        }
        slots = fresh
        capacity = c
        limit = Self.limit(c)
    }
}
