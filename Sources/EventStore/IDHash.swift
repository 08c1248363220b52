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
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < n {
            tail |= UInt64(base.load(fromByteOffset: i, as: UInt8.self)) << shift
            shift += 8
            i += 1
        }
        h = mum(tail ^ p2 ^ h, p0 ^ UInt64(truncatingIfNeeded: n))
        return mum(h ^ p3, h ^ p1)
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
            return (IDHash.hash(raw, seed: seeds.0), IDHash.hash(raw, seed: seeds.1))
        }
    }

    init(a: UInt64, b: UInt64) { self.a = a; self.b = b }
}

/// An insert-only open-addressing set of ``MessageKey``s (linear probing, the key's own bits as hash).
struct MessageKeySet {
    /// Slots: pairs (a, b); (0, 0) marks an empty slot (a real (0, 0) key is stored as (0, 1)).
    private(set) var slots: [UInt64]
    private var mask: Int
    private(set) var count = 0

    init(capacity: Int = 1024) {
        var c = 16
        while c < capacity * 2 { c <<= 1 }
        slots = [UInt64](repeating: 0, count: c * 2)
        mask = c - 1
    }

    /// Inserts `key`; `false` when it was already there.
    @inline(__always)
    mutating func insert(_ key: MessageKey) -> Bool {
        if (count + 1) * 2 > mask + 1 { grow() }
        let b = key.a == 0 && key.b == 0 ? 1 : key.b
        let inserted = slots.withUnsafeMutableBufferPointer { s -> Bool in
            var i = Int(truncatingIfNeeded: key.a ^ (key.a >> 29)) & mask
            while true {
                let sa = s[2 * i], sb = s[2 * i + 1]
                if sa == 0 && sb == 0 {
                    s[2 * i] = key.a
                    s[2 * i + 1] = b
                    return true
                }
                if sa == key.a && sb == b { return false }
                i = (i + 1) & mask
            }
        }
        if inserted { count += 1 }
        return inserted
    }

    /// Every key, in slot order.
    var keys: [MessageKey] {
        var out: [MessageKey] = []
        out.reserveCapacity(count)
        for i in 0 ... mask where slots[2 * i] != 0 || slots[2 * i + 1] != 0 {
            out.append(MessageKey(a: slots[2 * i], b: slots[2 * i + 1]))
        }
        return out
    }

    private mutating func grow() {
        let old = keys
        var bigger = MessageKeySet(capacity: (mask + 1) * 2)
        for k in old { _ = bigger.insert(k) }
        self = bigger
    }
}
