/// Appends little-endian values and raw arrays of trivial types (the cache format), either to a
/// byte buffer (``init(capacity:)``), or counting them only (``init(counting:)``), or handing them
/// to a sink in pieces of at most ``pieceBytes`` (``init(pieceBytes:sink:)``), so a large table is
/// written without ever holding its whole encoding in memory (#11.15).
struct BinaryWriter {
    enum Mode { case buffer, count, stream }

    /// The buffered bytes (the whole encoding in buffer mode; not yet handed over in stream mode).
    private(set) var bytes: [UInt8] = []
    /// Bytes written so far (buffered, counted or handed to the sink).
    private(set) var count = 0
    let mode: Mode
    /// The largest piece handed to the sink.
    let pieceBytes: Int
    private let sink: ((UnsafeRawBufferPointer) -> Void)?

    init(capacity: Int = 1 << 16) {
        mode = .buffer; pieceBytes = .max; sink = nil
        bytes.reserveCapacity(capacity)
    }

    /// A writer that only counts (the length of an encoding before writing it).
    init(counting: Void) { mode = .count; pieceBytes = .max; sink = nil }

    /// A writer handing its bytes to `sink` in order, in pieces of 1 … `pieceBytes` bytes; call
    /// ``flush()`` at the end.
    init(pieceBytes: Int, sink: @escaping (UnsafeRawBufferPointer) -> Void) {
        precondition(pieceBytes > 0)
        mode = .stream; self.pieceBytes = pieceBytes; self.sink = sink
        bytes.reserveCapacity(pieceBytes)
    }

    /// Appends raw bytes.
    mutating func raw(_ b: UnsafeRawBufferPointer) {
        count += b.count
        switch mode {
        case .buffer: bytes.append(contentsOf: b)
        case .count: return
        case .stream:
            if bytes.count + b.count <= pieceBytes {
                bytes.append(contentsOf: b)
                if bytes.count == pieceBytes { flush() }
                return
            }
            // Top up the buffered piece, then hand large runs over straight from the caller's memory.
            var at = pieceBytes - bytes.count
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: b[0 ..< at]))
            flush()
            while b.count - at >= pieceBytes {
                sink!(UnsafeRawBufferPointer(rebasing: b[at ..< at + pieceBytes]))
                at += pieceBytes
            }
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: b[at...]))
        }
    }

    /// Hands the buffered bytes to the sink (stream mode; nothing otherwise).
    mutating func flush() {
        guard mode == .stream, !bytes.isEmpty else { return }
        bytes.withUnsafeBytes { sink!($0) }
        bytes.removeAll(keepingCapacity: true)
    }

    mutating func int(_ v: Int64) { withUnsafeBytes(of: v.littleEndian) { raw($0) } }
    mutating func int(_ v: Int) { int(Int64(v)) }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { raw($0) } }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { raw($0) } }
    mutating func bool(_ v: Bool) { withUnsafeBytes(of: UInt8(v ? 1 : 0)) { raw($0) } }

    mutating func string(_ s: String) {
        var s = s
        s.withUTF8 { u in
            int(u.count)
            raw(UnsafeRawBufferPointer(u))
        }
    }

    mutating func strings(_ list: [String]) {
        int(list.count)
        for s in list { string(s) }
    }

    /// A count and the raw bytes of an array of a trivial type (this machine's byte order; the
    /// header records it, so a cache is never read on a machine of the other order). With a
    /// ``sectionSink`` (the sectioned table cache, format 9) the count is followed by a section number:
    /// an array of at least ``sectionBytes`` bytes goes to its own section (its number here, the bytes
    /// handed to the sink), a smaller one stays inline (-1, then its bytes).
    mutating func array<T: BitwiseCopyable>(_ a: [T]) {
        int(a.count)
        a.withUnsafeBytes { placed($0) }
    }

    /// A property column as its values' bits (the same bytes as `a.map(\.bits)`, without the copy).
    mutating func array(_ a: [PropValue]) {
        precondition(MemoryLayout<PropValue>.stride == 8)
        int(a.count)
        a.withUnsafeBytes { placed($0) }
    }

    /// An array's bytes, inline or (with a ``sectionSink``, when large) in a section of their own.
    private mutating func placed(_ b: UnsafeRawBufferPointer) {
        guard let sectionSink else { return raw(b) }
        if b.count >= Self.sectionBytes {
            int(sectionSink(b))
        } else {
            int(-1)
            raw(b)
        }
    }

    /// Where arrays of at least ``sectionBytes`` bytes go in the sectioned format: the sink stores them
    /// (8-byte aligned, with their own tag) and returns their section number (≥ 1).
    var sectionSink: ((UnsafeRawBufferPointer) -> Int)?
    /// The smallest array given a section of its own.
    static let sectionBytes = 4096
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

    /// The sections of a sectioned table cache file (format 9): arrays written to a section are read
    /// from there (see ``BinaryWriter/array(_:)-<T>``).
    var sections: CacheSections?

    /// Passes over an array without reading it: in a section, the section is only checked to hold exactly the
    /// array (and counted as passed over, never read or hashed); inline, its bytes are skipped. False when damaged.
    mutating func skipArray<T: BitwiseCopyable>(_: T.Type) -> Bool {
        let size = MemoryLayout<T>.stride
        if let sections {
            guard let n = int(), n >= 0, let section = int() else { return false }
            if section != -1 { return sections.skip(section, count: n, as: T.self) }
            return n <= (base.count - pos) / max(size, 1) && take(n * size) != nil
        }
        guard let n = count(unit: size) else { return false }
        return take(n * size) != nil
    }

    mutating func array<T: BitwiseCopyable>(_: T.Type) -> [T]? {
        let size = MemoryLayout<T>.stride
        if let sections {
            guard let n = int(), n >= 0, let section = int() else { return nil }
            if section != -1 { return sections.load(section, count: n, as: T.self) }
            guard n <= (base.count - pos) / max(size, 1), let b = take(n * size) else { return nil }
            return [T](unsafeUninitializedCapacity: n) { out, initialized in
                UnsafeMutableRawBufferPointer(out).copyMemory(from: b)
                initialized = n
            }
        }
        guard let n = count(unit: size), let b = take(n * size) else { return nil }
        return [T](unsafeUninitializedCapacity: n) { out, initialized in
            UnsafeMutableRawBufferPointer(out).copyMemory(from: b)
            initialized = n
        }
    }
}
