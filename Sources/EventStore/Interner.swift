#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

/// Stores each distinct string once and hands out dense `Int32` ids.
///
/// Every string of the event table (ids, event names, sections, property values,
/// trait values, category names) lives here once; columns hold the ids.
///
/// Storage (#11.15): the UTF-8 of all strings back to back in one byte arena, an offset per
/// string, and an open-addressing index of 64-bit slots keyed by a fast 64-bit hash of the bytes
/// (seeded randomly per process; not stored, recomputed from the arena when the index grows).
/// No Swift `String` is kept per entry: ``subscript(_:)`` makes one on demand. A distinct string
/// of `n` UTF-8 bytes costs `n + 8` bytes (arena and offset) plus 16–32 bytes of index (at most
/// half full), before array growth; see ``storageBytes``.
///
/// An index slot holds the string's id, length and arena offset together (``Slot``), so a lookup that meets a
/// string reads the slot and then that string's bytes: two cache misses on a large interner, where a slot of the
/// id alone needed a third, dependent one for the string's offsets in between (session 9, apply).
public struct Interner: Sendable {
    /// The UTF-8 of every string, in id order, back to back.
    private var arena: [UInt8] = []
    /// String `i` is `arena[offsets[i] ..< offsets[i + 1]]` (length: count + 1, first 0).
    private var offsets: [Int] = [0]
    /// Slots (``Slot``; 0: empty); the capacity is a power of two, at most half full.
    private var slots: [UInt64] = [UInt64](repeating: 0, count: 64)

    /// The layout of an index slot (0: empty). *Compact* (bit 63 clear): bits 0–25 the id + 1, bits 26–32 the
    /// length in bytes, bits 33–62 the string's offset in the arena — for an id below 2^26 − 1, a string of at most
    /// ``compactLength`` bytes starting below 2^30 (the usual case; a lookup compares the bytes at that offset
    /// without reading `offsets`). *Wide* (bit 63 set): bits 0–31 the id + 1; the length and offset come from
    /// `offsets`, as for every string before session 9.
    enum Slot {
        static let compactLength = 126
        static let wide: UInt64 = 1 << 63

        /// The slot of string `id` with `count` bytes at arena offset `offset`.
        @inline(__always) static func make(id: Int, offset: Int, count: Int) -> UInt64 {
            if id + 1 < 1 << 26 && count <= compactLength && offset < 1 << 30 {
                return UInt64(id + 1) | UInt64(count) << 26 | UInt64(offset) << 33
            }
            return wide | UInt64(UInt32(truncatingIfNeeded: id + 1))
        }

        @inline(__always) static func isCompact(_ slot: UInt64) -> Bool { slot & wide == 0 }
        /// The id of a taken slot.
        @inline(__always) static func id(_ slot: UInt64) -> Int {
            isCompact(slot) ? Int(slot & (1 << 26 - 1)) - 1 : Int(UInt32(truncatingIfNeeded: slot)) - 1
        }
        /// The length of a compact slot's string.
        @inline(__always) static func count(_ slot: UInt64) -> Int { Int((slot >> 26) & 0x7F) }
        /// The arena offset of a compact slot's string.
        @inline(__always) static func offset(_ slot: UInt64) -> Int { Int(slot >> 33) }
    }

    static let seed: UInt64 = {
        var g = SystemRandomNumberGenerator()
        return g.next()
    }()

    public init() {}

    /// An interner holding `strings` with ids 0, 1, … in that order (they must be distinct).
    init(distinct strings: [String]) {
        for s in strings {
            var s = s
            s.withUTF8 { arena.append(contentsOf: $0) }
            offsets.append(arena.count)
        }
        rehash(Self.capacity(for: strings.count))
    }

    /// An interner over a stored arena and its offsets (the table cache), or nil when they do not
    /// describe valid strings: offsets must start at 0, never decrease, end at the arena's size and
    /// fall on UTF-8 scalar boundaries, and the arena must be valid UTF-8.
    init?(arena: [UInt8], offsets: [Int]) {
        guard offsets.first == 0, offsets.last == arena.count, offsets.count - 1 <= Int(Int32.max) else { return nil }
        let ok = arena.withUnsafeBytes { a -> Bool in
            var previous = 0
            for o in offsets {
                guard o >= previous else { return false }
                if o < a.count && a[o] & 0xC0 == 0x80 { return false }  // a boundary inside a scalar
                previous = o
            }
            return UTF8Check.isValid(a)
        }
        guard ok else { return nil }
        self.arena = arena
        self.offsets = offsets
        rehash(Self.capacity(for: offsets.count - 1))
    }

    /// The stored form (for the table cache): the arena and the offsets.
    var storage: (arena: [UInt8], offsets: [Int]) { (arena, offsets) }

    private static func capacity(for count: Int) -> Int {
        var c = 64
        while c < count * 2 + 2 { c <<= 1 }
        return c
    }

    /// Makes room for `strings` more strings of `bytes` UTF-8 bytes in all, so that interning them
    /// grows nothing: the arena and offsets only reserve (capacity never used costs address space, not
    /// memory), the index is rebuilt once at its final size instead of doubling step by step (at 0.1 GB
    /// it doubled 11 times, rehashing every string each time). Ids and lookups are unchanged.
    mutating func reserve(strings: Int, bytes: Int) {
        guard strings > 0 else { return }
        if arena.capacity < arena.count + bytes { arena.reserveCapacity(arena.count + bytes) }
        if offsets.capacity < offsets.count + strings { offsets.reserveCapacity(offsets.count + strings) }
        let c = Self.capacity(for: count + strings)
        if c > slots.count { rehash(c) }
    }

    /// Slots in the index (a power of two; tests).
    var indexCapacity: Int { slots.count }

    /// The id of `s`, adding it when new.
    @inlinable public mutating func intern(_ s: String) -> Int32 {
        internWithHash(s)
    }

    @usableFromInline mutating func internWithHash(_ s: String) -> Int32 {
        var s = s
        return s.withUTF8 { u in
            let b = UnsafeRawBufferPointer(u)
            return intern(bytes: b, hash: IDHash.hash(b, seed: Self.seed))
        }
    }

    /// The id of `s` when it was interned, else `nil` (never adds).
    @inlinable public func lookup(_ s: String) -> Int32? { idsLookup(s) }
    @usableFromInline func idsLookup(_ s: String) -> Int32? {
        var s = s
        return s.withUTF8 { u in
            let b = UnsafeRawBufferPointer(u)
            return find(b, hash: IDHash.hash(b, seed: Self.seed))
        }
    }

    /// The string with this id (made from the arena's bytes on each call).
    @inlinable public subscript(id: Int32) -> String { string(id) }

    @usableFromInline func string(_ id: Int32) -> String {
        withBytes(id) { String(decoding: $0, as: UTF8.self) }
    }

    /// Calls `body` with the UTF-8 bytes of string `id` (valid only inside `body`).
    public func withBytes<R>(_ id: Int32, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let lo = offsets[Int(id)], hi = offsets[Int(id) + 1]
        return try arena.withUnsafeBytes { a in
            try body(UnsafeRawBufferPointer(rebasing: a[lo ..< hi]))
        }
    }

    /// Number of UTF-8 bytes of string `id`.
    public func utf8Count(_ id: Int32) -> Int { offsets[Int(id) + 1] - offsets[Int(id)] }

    /// Number of distinct strings.
    public var count: Int { offsets.count - 1 }

    /// Every string, by id (made on each call: O(total size); for tests and small interners).
    public var strings: [String] { (0 ..< Int32(count)).map { string($0) } }

    /// Bytes held by the interner's storage (arena, offsets and index at their allocated
    /// capacities; the struct itself and allocator overhead excluded).
    public var storageBytes: Int {
        arena.capacity + offsets.capacity * MemoryLayout<Int>.stride + slots.capacity * MemoryLayout<UInt64>.stride
    }

    /// Total UTF-8 bytes of all strings (what the arena holds).
    public var utf8Bytes: Int { arena.count }

    @inline(__always) private func find(_ bytes: UnsafeRawBufferPointer, hash h: UInt64) -> Int32? {
        slots.withUnsafeBufferPointer { s in
            arena.withUnsafeBytes { a in
                offsets.withUnsafeBufferPointer { o in
                    let mask = s.count - 1
                    var i = Int(truncatingIfNeeded: h) & mask
                    let n = bytes.count
                    while true {
                        let slot = s[i]
                        if slot == 0 { return nil }
                        if Slot.isCompact(slot) {
                            // Length and offset from the slot: only the string's bytes are read.
                            if Slot.count(slot) == n
                                && (n == 0 || memcmp(a.baseAddress! + Slot.offset(slot), bytes.baseAddress!, n) == 0) {
                                return Int32(Slot.id(slot))
                            }
                        } else {
                            let id = Slot.id(slot)
                            if Self.same(a, o[id], o[id + 1], bytes) { return Int32(id) }
                        }
                        i = (i + 1) & mask
                    }
                }
            }
        }
    }

    @inline(__always) private static func same(_ a: UnsafeRawBufferPointer, _ lo: Int, _ hi: Int,
                                               _ bytes: UnsafeRawBufferPointer) -> Bool {
        let n = bytes.count
        guard hi - lo == n else { return false }
        return n == 0 || memcmp(a.baseAddress! + lo, bytes.baseAddress!, n) == 0
    }

    /// Loads what interning a string of hash `h` reads first (its home slot, and for a taken slot that
    /// string's first byte — through `offsets` only for a wide slot) and returns a value that depends on them.
    /// Called for a batch of strings before they are interned, so their cache misses overlap instead of coming
    /// one after another; changes nothing.
    @inline(__always) func touch(hash h: UInt64) -> UInt64 { touchGuess(hash: h).value }

    /// ``touch(hash:)``, and the id held by the home slot of hash `h` (-1: empty): a guess at the string's id (it is
    /// the string's own id when no other string took its home slot; only interning confirms it), for loading what
    /// the caller will read at that id next.
    @inline(__always) func touchGuess(hash h: UInt64) -> (value: UInt64, id: Int32) {
        slots.withUnsafeBufferPointer { s in
            let slot = s[Int(truncatingIfNeeded: h) & (s.count - 1)]
            guard slot != 0 else { return (0, -1) }
            let compact = Slot.isCompact(slot)
            let lo = compact ? Slot.offset(slot) : offsets.withUnsafeBufferPointer { $0[Slot.id(slot)] }
            // A compact slot's string is loaded at both ends: one of 36 bytes (a UUID) spans two lines half the time.
            let last = compact ? lo + Swift.max(Slot.count(slot), 1) - 1 : lo
            let v = arena.withUnsafeBufferPointer { a in last < a.count ? UInt64(a[lo]) ^ UInt64(a[last]) : UInt64(lo) }
            return (v, Int32(truncatingIfNeeded: Slot.id(slot)))
        }
    }

    /// The id of the string with UTF-8 `bytes` whose ``IDHash`` under ``seed`` is `h` (computed by the
    /// caller, e.g. on a parsing thread), adding it when new. The bytes must be valid UTF-8.
    mutating func intern(bytes: UnsafeRawBufferPointer, hash h: UInt64) -> Int32 {
        if let id = find(bytes, hash: h) { return id }
        let id = Int32(count)
        // Grown by a quarter, not doubled: at most 25 % of the arena and offsets is slack (#11.15).
        if arena.count + bytes.count > arena.capacity {
            arena.reserveCapacity(max(arena.count + bytes.count, arena.capacity + arena.capacity / 4, 256))
        }
        if offsets.count == offsets.capacity { offsets.reserveCapacity(max(offsets.capacity + offsets.capacity / 4, 64)) }
        let start = arena.count
        arena.append(contentsOf: bytes)
        offsets.append(arena.count)
        if count * 2 > slots.count { rehash(slots.count * 2) } else { place(Slot.make(id: Int(id), offset: start, count: bytes.count), hash: h) }
        return id
    }

    /// Whether `s` is exactly the UTF-8 `bytes`.
    @inline(__always) static func equal(_ s: String, _ bytes: UnsafeRawBufferPointer) -> Bool {
        let u = s.utf8
        let n = bytes.count
        guard u.count == n else { return false }
        if n == 0 { return true }
        if let same = u.withContiguousStorageIfAvailable({ memcmp($0.baseAddress!, bytes.baseAddress!, n) == 0 }) {
            return same
        }
        return u.elementsEqual(bytes)
    }

    private mutating func place(_ slot: UInt64, hash h: UInt64) {
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while slots[i] != 0 { i = (i + 1) & mask }
        slots[i] = slot
    }

    /// Rebuilds the index at `capacity` slots, hashing every string again from the arena.
    private mutating func rehash(_ capacity: Int) {
        slots = []  // free the old index before allocating the new one
        var fresh = [UInt64](repeating: 0, count: capacity)
        let mask = capacity - 1
        fresh.withUnsafeMutableBufferPointer { s in
            arena.withUnsafeBytes { a in
                offsets.withUnsafeBufferPointer { o in
                    for id in 0 ..< o.count - 1 {
                        let h = IDHash.hash(UnsafeRawBufferPointer(rebasing: a[o[id] ..< o[id + 1]]), seed: Self.seed)
                        var i = Int(truncatingIfNeeded: h) & mask
                        while s[i] != 0 { i = (i + 1) & mask }
                        s[i] = Slot.make(id: id, offset: o[id], count: o[id + 1] - o[id])
                    }
                }
            }
        }
        slots = fresh
    }
}

/// A UTF-8 validity check over bytes, without making a `String` (rejects overlong forms,
/// surrogates, scalars above U+10FFFF and truncated sequences, as `String(validating:)` does).
enum UTF8Check {
    static func isValid(_ b: UnsafeRawBufferPointer) -> Bool {
        let n = b.count
        guard n > 0, let base = b.baseAddress else { return true }
        var i = 0
        while i < n {
            // ASCII fast path, 8 bytes at a time.
            if i + 8 <= n && base.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                i += 8
                continue
            }
            let c = b[i]
            if c < 0x80 { i += 1; continue }
            let need: Int
            var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
            switch c {
            case 0xC2 ... 0xDF: need = 1
            case 0xE0: need = 2; lo = 0xA0
            case 0xE1 ... 0xEC, 0xEE ... 0xEF: need = 2
            case 0xED: need = 2; hi = 0x9F
            case 0xF0: need = 3; lo = 0x90
            case 0xF1 ... 0xF3: need = 3
            case 0xF4: need = 3; hi = 0x8F
            default: return false
            }
            guard i + need < n else { return false }
            guard b[i + 1] >= lo && b[i + 1] <= hi else { return false }
            for k in 2 ..< need + 1 where b[i + k] & 0xC0 != 0x80 { return false }
            i += need + 1
        }
        return true
    }
}
