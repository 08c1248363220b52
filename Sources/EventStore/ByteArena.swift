/// The growable byte buffer of a walk's kept strings (``WalkBuffers/arena``): raw memory with pointer copies instead of
/// `[UInt8].append(contentsOf:)`, whose generic path cost ≈ 100 instructions per short string plus a `memmove` call
/// (docs/PERFORMANCE.md, "session 7, parse").
///
/// A value type like the array it replaces: a copy shares the memory until one of them is mutated, which then copies
/// (checked by `isKnownUniquelyReferenced` on each mutation). Offsets into it are 32-bit (``TextRef``), so it refuses
/// to grow past ``limit`` (``fits(_:)``: the walk then marks the line, see ``EventWalk/arenaFull``).
struct ByteArena {
    /// Owns the memory; freed with the last copy.
    private final class Storage {
        let base: UnsafeMutablePointer<UInt8>
        let capacity: Int
        init(capacity: Int) {
            self.capacity = capacity
            base = .allocate(capacity: capacity)
        }
        deinit { base.deallocate() }
    }

    private var storage: Storage?
    /// The memory of `storage` (nil before the first byte), cached so that an append reads no class property.
    private var base: UnsafeMutablePointer<UInt8>?
    private var capacity = 0
    /// Bytes held.
    private(set) var count = 0
    /// The most bytes the arena may hold: offsets and lengths are stored as `Int32` (lowered only by tests).
    var limit = Int(Int32.max) - 1

    init() {}

    /// Whether `n` more bytes stay within ``limit``.
    @inline(__always) func fits(_ n: Int) -> Bool { count + n <= limit }

    /// Makes room for `n` more bytes, unshared.
    @inline(__always) private mutating func reserveMore(_ n: Int) {
        if _slowPath(count + n > capacity || !isKnownUniquelyReferenced(&storage)) { grow(minimum: count + n) }
    }

    private mutating func grow(minimum: Int) {
        let capacity = max(minimum, self.capacity < minimum ? max(4096, self.capacity * 2) : self.capacity)
        let fresh = Storage(capacity: capacity)
        if let base, count > 0 { fresh.base.update(from: base, count: count) }
        storage = fresh
        base = fresh.base
        self.capacity = capacity
    }

    /// Gives this arena memory of its own when it shares it with a copy (the check the `…Owned` appends skip).
    @inline(__always) mutating func makeUnique() {
        if storage != nil && !isKnownUniquelyReferenced(&storage) { grow(minimum: count) }
    }

    /// Makes room for `n` more bytes in memory this arena already owns (``makeUnique()`` since it was last copied).
    @inline(__always) private mutating func reserveMoreOwned(_ n: Int) {
        if _slowPath(count + n > capacity) { grow(minimum: count + n) }
    }

    /// ``append(_:count:)`` without the check for shared memory: only between a ``makeUnique()`` and the next copy of
    /// the arena (the walk calls it at the start of each line and makes no copy until the line is done). Appending
    /// this way to memory a copy shares would change the bytes that copy sees when it appends too.
    @inline(__always) mutating func appendOwned(_ p: UnsafeRawPointer, count n: Int) {
        guard n > 0 else { return }
        reserveMoreOwned(n)
        Self.copy(UnsafeMutableRawPointer(base! + count), p, n)
        count += n
    }

    /// ``appendUninitialized(_:)`` without the check for shared memory (see ``appendOwned(_:count:)``).
    @inline(__always) mutating func appendUninitializedOwned(_ n: Int) -> UnsafeMutablePointer<UInt8> {
        reserveMoreOwned(max(n, 1))
        let p = base! + count
        count += n
        return p
    }

    /// Appends `n` bytes from `p`.
    @inline(__always) mutating func append(_ p: UnsafeRawPointer, count n: Int) {
        guard n > 0 else { return }
        reserveMore(n)
        Self.copy(UnsafeMutableRawPointer(base! + count), p, n)
        count += n
    }

    /// Copies `n > 0` bytes from `src` to `dst` (not overlapping). Up to 64 bytes (keys, ids, names: nearly every kept
    /// string) inline with overlapping word loads and stores that never touch a byte outside either range; longer ones
    /// with `memcpy` (a call of ≈ 30–40 instructions even for a few bytes).
    @inline(__always) static func copy(_ dst: UnsafeMutableRawPointer, _ src: UnsafeRawPointer, _ n: Int) {
        if n >= 8 {
            if n <= 16 {
                let a = src.loadUnaligned(as: UInt64.self), b = src.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self)
                dst.storeBytes(of: a, as: UInt64.self)
                dst.storeBytes(of: b, toByteOffset: n &- 8, as: UInt64.self)
            } else if n <= 32 {
                let a = src.loadUnaligned(as: UInt64.self), b = src.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
                let c = src.loadUnaligned(fromByteOffset: n &- 16, as: UInt64.self)
                let d = src.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self)
                dst.storeBytes(of: a, as: UInt64.self)
                dst.storeBytes(of: b, toByteOffset: 8, as: UInt64.self)
                dst.storeBytes(of: c, toByteOffset: n &- 16, as: UInt64.self)
                dst.storeBytes(of: d, toByteOffset: n &- 8, as: UInt64.self)
            } else if n <= 64 {
                // Four words from the front, four from the back (ids such as UUIDs are 36 bytes).
                let a = src.loadUnaligned(as: UInt64.self), b = src.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
                let c = src.loadUnaligned(fromByteOffset: 16, as: UInt64.self)
                let d = src.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
                let e = src.loadUnaligned(fromByteOffset: n &- 32, as: UInt64.self)
                let f = src.loadUnaligned(fromByteOffset: n &- 24, as: UInt64.self)
                let g = src.loadUnaligned(fromByteOffset: n &- 16, as: UInt64.self)
                let h = src.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self)
                dst.storeBytes(of: a, as: UInt64.self)
                dst.storeBytes(of: b, toByteOffset: 8, as: UInt64.self)
                dst.storeBytes(of: c, toByteOffset: 16, as: UInt64.self)
                dst.storeBytes(of: d, toByteOffset: 24, as: UInt64.self)
                dst.storeBytes(of: e, toByteOffset: n &- 32, as: UInt64.self)
                dst.storeBytes(of: f, toByteOffset: n &- 24, as: UInt64.self)
                dst.storeBytes(of: g, toByteOffset: n &- 16, as: UInt64.self)
                dst.storeBytes(of: h, toByteOffset: n &- 8, as: UInt64.self)
            } else {
                dst.copyMemory(from: src, byteCount: n)
            }
        } else if n >= 4 {
            let a = src.loadUnaligned(as: UInt32.self), b = src.loadUnaligned(fromByteOffset: n &- 4, as: UInt32.self)
            dst.storeBytes(of: a, as: UInt32.self)
            dst.storeBytes(of: b, toByteOffset: n &- 4, as: UInt32.self)
        } else {
            let a = src.load(as: UInt8.self), b = src.load(fromByteOffset: n >> 1, as: UInt8.self)
            let c = src.load(fromByteOffset: n &- 1, as: UInt8.self)
            dst.storeBytes(of: a, as: UInt8.self)
            dst.storeBytes(of: b, toByteOffset: n >> 1, as: UInt8.self)
            dst.storeBytes(of: c, toByteOffset: n &- 1, as: UInt8.self)
        }
    }

    /// Appends the bytes of `bytes`.
    @inline(__always) mutating func append(contentsOf bytes: UnsafeBufferPointer<UInt8>) {
        if let p = bytes.baseAddress { append(UnsafeRawPointer(p), count: bytes.count) }
    }

    /// Appends one byte.
    @inline(__always) mutating func append(_ byte: UInt8) {
        reserveMore(1)
        base![count] = byte
        count += 1
    }

    /// Appends `n` uninitialised bytes and returns where they start, for the caller to fill at once.
    @inline(__always) mutating func appendUninitialized(_ n: Int) -> UnsafeMutablePointer<UInt8> {
        reserveMore(max(n, 1))
        let p = base! + count
        count += n
        return p
    }

    /// The byte at `i` (`0 ≤ i < count`).
    @inline(__always) subscript(i: Int) -> UInt8 {
        precondition(i >= 0 && i < count, "ByteArena index out of range")
        return base![i]
    }

    /// Forgets every byte (the memory is kept for reuse when unshared).
    mutating func removeAll(keepingCapacity: Bool = true) {
        if keepingCapacity && isKnownUniquelyReferenced(&storage) {
            count = 0
        } else {
            self = ByteArena(limit: limit)
        }
    }

    private init(limit: Int) { self.limit = limit }

    /// The first byte held (nil while empty): valid until the arena is next mutated. For reads from inside a mutating
    /// method of the walk, where a `withUnsafeBytes` closure made the compiler copy the whole walk.
    @inline(__always) var baseAddress: UnsafeRawPointer? { UnsafeRawPointer(base) }

    /// Calls `body` with the bytes held (valid only inside `body`).
    @inline(__always) func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }

    /// Calls `body` with the bytes held (valid only inside `body`).
    @inline(__always) func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: base, count: count))
    }

    /// The bytes of `range` as an array (tests and slow paths).
    subscript(range: Range<Int>) -> [UInt8] {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "ByteArena range out of range")
        return withUnsafeBufferPointer { Array($0[range]) }
    }
}
