/// Appends little-endian values and raw arrays of trivial types to a byte buffer (the cache format).
struct BinaryWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 1 << 16) { bytes.reserveCapacity(capacity) }

    mutating func int(_ v: Int64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func int(_ v: Int) { int(Int64(v)) }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func bool(_ v: Bool) { bytes.append(v ? 1 : 0) }

    mutating func string(_ s: String) {
        var s = s
        s.withUTF8 { u in
            int(u.count)
            bytes.append(contentsOf: u)
        }
    }

    mutating func strings(_ list: [String]) {
        int(list.count)
        for s in list { string(s) }
    }

    /// A count and the raw bytes of an array of a trivial type (this machine's byte order; the
    /// header records it, so a cache is never read on a machine of the other order).
    mutating func array<T: BitwiseCopyable>(_ a: [T]) {
        int(a.count)
        a.withUnsafeBytes { bytes.append(contentsOf: $0) }
    }
}

/// Reads what a ``BinaryWriter`` wrote; every read is bounds-checked and fails with `nil`.
struct BinaryReader {
    let base: UnsafeRawBufferPointer
    private(set) var pos: Int

    init(_ base: UnsafeRawBufferPointer, at pos: Int = 0) { self.base = base; self.pos = pos }

    var atEnd: Bool { pos == base.count }

    private mutating func take(_ n: Int) -> UnsafeRawBufferPointer? {
        guard n >= 0, n <= base.count - pos else { return nil }
        defer { pos += n }
        return UnsafeRawBufferPointer(rebasing: base[pos ..< pos + n])
    }

    mutating func int() -> Int? {
        guard let b = take(8) else { return nil }
        let v = Int64(littleEndian: b.loadUnaligned(as: Int64.self))
        guard let i = Int(exactly: v) else { return nil }
        return i
    }
    mutating func int64() -> Int64? {
        guard let b = take(8) else { return nil }
        return Int64(littleEndian: b.loadUnaligned(as: Int64.self))
    }
    mutating func u64() -> UInt64? {
        guard let b = take(8) else { return nil }
        return UInt64(littleEndian: b.loadUnaligned(as: UInt64.self))
    }
    mutating func u32() -> UInt32? {
        guard let b = take(4) else { return nil }
        return UInt32(littleEndian: b.loadUnaligned(as: UInt32.self))
    }
    mutating func bool() -> Bool? {
        guard let b = take(1), b[0] <= 1 else { return nil }
        return b[0] == 1
    }
    /// A count that must be plausible for the bytes left (`unit` bytes per element at least).
    mutating func count(unit: Int) -> Int? {
        guard let n = int(), n >= 0, n <= (base.count - pos) / max(unit, 1) else { return nil }
        return n
    }

    mutating func string() -> String? {
        guard let n = count(unit: 1), let b = take(n) else { return nil }
        return String(validating: b, as: UTF8.self)
    }

    mutating func strings() -> [String]? {
        guard let n = count(unit: 8) else { return nil }
        var out: [String] = []
        out.reserveCapacity(n)
        for _ in 0 ..< n {
            guard let s = string() else { return nil }
            out.append(s)
        }
        return out
    }

    mutating func array<T: BitwiseCopyable>(_: T.Type) -> [T]? {
        let size = MemoryLayout<T>.stride
        guard let n = count(unit: size), let b = take(n * size) else { return nil }
        return [T](unsafeUninitializedCapacity: n) { out, initialized in
            UnsafeMutableRawBufferPointer(out).copyMemory(from: b)
            initialized = n
        }
    }
}
