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
/// The index is an open-addressing table keyed by a fast 64-bit hash of the UTF-8 bytes
/// (seeded randomly per process), so interning costs one hash and usually one comparison.
public struct Interner: Sendable {
    public private(set) var strings: [String] = []
    /// Hash of each string, by id.
    private var hashes: [UInt64] = []
    /// Slots holding id + 1 (0: empty); the capacity is a power of two, at most half full.
    private var slots: [Int32] = [Int32](repeating: 0, count: 64)

    static let seed: UInt64 = {
        var g = SystemRandomNumberGenerator()
        return g.next()
    }()

    public init() {}

    /// An interner holding `strings` with ids 0, 1, … in that order (they must be distinct).
    init(distinct strings: [String]) {
        var c = 64
        while c < strings.count * 2 + 2 { c <<= 1 }
        slots = [Int32](repeating: 0, count: c)
        self.strings = strings
        hashes = strings.map { IDHash.hash($0, seed: Self.seed) }
        let mask = c - 1
        slots.withUnsafeMutableBufferPointer { s in
            for (id, h) in hashes.enumerated() {
                var i = Int(truncatingIfNeeded: h) & mask
                while s[i] != 0 { i = (i + 1) & mask }
                s[i] = Int32(id + 1)
            }
        }
    }

    /// The id of `s`, adding it when new.
    @inlinable public mutating func intern(_ s: String) -> Int32 {
        internWithHash(s)
    }

    @usableFromInline mutating func internWithHash(_ s: String) -> Int32 {
        let h = IDHash.hash(s, seed: Self.seed)
        if let id = find(s, hash: h) { return id }
        return insert(s, hash: h)
    }

    @usableFromInline mutating func add(_ s: String) -> Int32 {
        insert(s, hash: IDHash.hash(s, seed: Self.seed))
    }

    /// The id of `s` when it was interned, else `nil` (never adds).
    @inlinable public func lookup(_ s: String) -> Int32? { idsLookup(s) }
    @usableFromInline func idsLookup(_ s: String) -> Int32? { find(s, hash: IDHash.hash(s, seed: Self.seed)) }

    /// The string with this id.
    @inlinable public subscript(id: Int32) -> String { strings[Int(id)] }

    public var count: Int { strings.count }

    @inline(__always) private func find(_ s: String, hash h: UInt64) -> Int32? {
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let slot = slots[i]
            if slot == 0 { return nil }
            let id = Int(slot - 1)
            if hashes[id] == h && strings[id] == s { return Int32(id) }
            i = (i + 1) & mask
        }
    }

    /// The id of the string with UTF-8 `bytes` whose ``IDHash`` under ``seed`` is `h` (computed by the
    /// caller, e.g. on a parsing thread), adding it when new. The bytes must be valid UTF-8.
    mutating func intern(bytes: UnsafeRawBufferPointer, hash h: UInt64) -> Int32 {
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let slot = slots[i]
            if slot == 0 { break }
            let id = Int(slot - 1)
            if hashes[id] == h && Self.equal(strings[id], bytes) { return Int32(id) }
            i = (i + 1) & mask
        }
        return insert(String(decoding: bytes, as: UTF8.self), hash: h)
    }

    private mutating func insert(_ s: String, hash h: UInt64) -> Int32 {
        let id = Int32(strings.count)
        strings.append(s)
        hashes.append(h)
        if strings.count * 2 > slots.count { rehash(slots.count * 2) } else { place(id, hash: h) }
        return id
    }

    /// Whether `s` is exactly the UTF-8 `bytes`: compared in place in the `String`'s own contiguous
    /// UTF-8 (native strings, small ones included), so the interner keeps no second copy of the bytes
    /// (#11.15: ~30 B less per distinct string).
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

    private mutating func place(_ id: Int32, hash h: UInt64) {
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while slots[i] != 0 { i = (i + 1) & mask }
        slots[i] = id + 1
    }

    private mutating func rehash(_ capacity: Int) {
        slots = [Int32](repeating: 0, count: capacity)
        let mask = capacity - 1
        slots.withUnsafeMutableBufferPointer { s in
            for (id, h) in hashes.enumerated() {
                var i = Int(truncatingIfNeeded: h) & mask
                while s[i] != 0 { i = (i + 1) & mask }
                s[i] = Int32(id + 1)
            }
        }
    }
}
