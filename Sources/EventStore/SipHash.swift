/// SipHash-2-4 (Aumasson and Bernstein, 2012): a keyed pseudorandom function with a 128-bit key
/// and a 64-bit output, designed as a message authentication code. The cache uses it to
/// authenticate its files with a per-user secret key, so that nobody without the key can write a
/// cache file earshot accepts (see ``StoreCache``).
struct SipHash24 {
    private var v0: UInt64, v1: UInt64, v2: UInt64, v3: UInt64
    /// Bytes not yet compressed (fewer than 8), little-endian in the low bytes.
    private var tail: UInt64 = 0
    private var tailCount = 0
    private var length = 0

    init(key: (UInt64, UInt64)) {
        v0 = key.0 ^ 0x736f_6d65_7073_6575
        v1 = key.1 ^ 0x646f_7261_6e64_6f6d
        v2 = key.0 ^ 0x6c79_6765_6e65_7261
        v3 = key.1 ^ 0x7465_6462_7974_6573
    }

    @inline(__always) private static func rotl(_ x: UInt64, _ b: UInt64) -> UInt64 { (x << b) | (x >> (64 - b)) }

    @inline(__always) private mutating func round() {
        v0 = v0 &+ v1; v1 = Self.rotl(v1, 13); v1 ^= v0; v0 = Self.rotl(v0, 32)
        v2 = v2 &+ v3; v3 = Self.rotl(v3, 16); v3 ^= v2
        v0 = v0 &+ v3; v3 = Self.rotl(v3, 21); v3 ^= v0
        v2 = v2 &+ v1; v1 = Self.rotl(v1, 17); v1 ^= v2; v2 = Self.rotl(v2, 32)
    }

    @inline(__always) private mutating func compress(_ m: UInt64) {
        v3 ^= m
        round(); round()
        v0 ^= m
    }

    /// Adds bytes to the message.
    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        var i = 0
        let n = bytes.count
        length &+= n
        // Fill a partial word first.
        while tailCount > 0 && tailCount < 8 && i < n {
            tail |= UInt64(bytes[i]) << UInt64(8 * tailCount)
            tailCount += 1; i += 1
        }
        if tailCount == 8 { compress(tail); tail = 0; tailCount = 0 }
        guard let base = bytes.baseAddress else { return }
        while i + 8 <= n {
            compress(UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self)))
            i += 8
        }
        while i < n {
            tail |= UInt64(bytes[i]) << UInt64(8 * tailCount)
            tailCount += 1; i += 1
        }
    }

    /// Adds the bytes of an array to the message.
    mutating func update(_ bytes: [UInt8]) { bytes.withUnsafeBytes { update($0) } }

    /// The tag of the message so far.
    func finalize() -> UInt64 {
        var s = self
        let b = UInt64(truncatingIfNeeded: length & 0xff) << 56 | s.tail
        s.compress(b)
        s.v2 ^= 0xff
        s.round(); s.round(); s.round(); s.round()
        return s.v0 ^ s.v1 ^ s.v2 ^ s.v3
    }

    /// The tag of `bytes` under `key`.
    static func hash(_ bytes: UnsafeRawBufferPointer, key: (UInt64, UInt64)) -> UInt64 {
        var h = SipHash24(key: key)
        h.update(bytes)
        return h.finalize()
    }
}
