import EventStore

/// The report's event names with their counts (``Report/eventNames``), sorted by name, held compactly: every
/// name's UTF-8 back to back in one byte arena with an end offset, a count and a `known` flag per name — no
/// `String` (nor a heap object) per name. A store of a million distinct names costs ~40 bytes per name here
/// instead of ~80 with a list of ``EventNameCount`` (#11.15; docs/PERFORMANCE.md).
///
/// It reads as a random-access collection of ``EventNameCount`` (each element made on access), encodes and
/// decodes exactly as a JSON array of them, and compares equal when the names, counts and flags are equal.
public struct EventNameList: RandomAccessCollection, Sendable, Equatable, Codable, ExpressibleByArrayLiteral {
    /// Every name's UTF-8, back to back.
    private var bytes: [UInt8] = []
    /// Where each name ends in ``bytes`` (its start is the previous name's end, or 0).
    private var ends: [Int] = []
    private var counts: [Int] = []
    private var knownFlags: [Bool] = []

    public init() {}

    /// The names of `elements`, in their order.
    public init<S: Sequence>(_ elements: S) where S.Element == EventNameCount {
        for e in elements { append(e) }
    }

    public init(arrayLiteral elements: EventNameCount...) { self.init(elements) }

    /// Reserves room for `names` names of `utf8Bytes` bytes in all.
    public mutating func reserveCapacity(names: Int, utf8Bytes: Int) {
        bytes.reserveCapacity(utf8Bytes); ends.reserveCapacity(names)
        counts.reserveCapacity(names); knownFlags.reserveCapacity(names)
    }

    /// Appends a name given as UTF-8 bytes (valid UTF-8).
    public mutating func append(utf8 name: UnsafeRawBufferPointer, count: Int, known: Bool) {
        bytes.append(contentsOf: name)
        ends.append(bytes.count); counts.append(count); knownFlags.append(known)
    }

    /// Appends `e`.
    public mutating func append(_ e: EventNameCount) {
        var name = e.name
        name.withUTF8 { append(utf8: UnsafeRawBufferPointer($0), count: e.count, known: e.known) }
    }

    // MARK: Collection

    public var startIndex: Int { 0 }
    public var endIndex: Int { ends.count }

    public subscript(i: Int) -> EventNameCount {
        EventNameCount(name: name(at: i), count: counts[i], known: knownFlags[i])
    }

    /// The name at `i` (a new `String`).
    public func name(at i: Int) -> String {
        withUTF8(at: i) { String(decoding: $0, as: UTF8.self) }
    }

    /// The count at `i`.
    public func count(at i: Int) -> Int { counts[i] }

    /// Whether the name at `i` is known (Segment Spec or a feedback event).
    public func isKnown(at i: Int) -> Bool { knownFlags[i] }

    /// Calls `body` with the UTF-8 of the name at `i`.
    public func withUTF8<R>(at i: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let lo = i == 0 ? 0 : ends[i - 1], hi = ends[i]
        return try bytes.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[lo ..< hi])) }
    }

    // MARK: Changing names

    /// Replaces every name by `transform(name)` (the privacy pass masks names this way); counts and flags stay.
    /// The arena is rebuilt from the first name that changes on (none changed: nothing is copied, so a list
    /// shared with the raw report is not duplicated).
    public mutating func mapNames(_ transform: (String) -> String) {
        var fresh: [UInt8]?
        var freshEnds: [Int] = []
        for i in indices {
            let old = name(at: i)
            let new = transform(old)
            if fresh == nil {
                guard !new.utf8.elementsEqual(old.utf8) else { continue }
                // The first changed name: the names before it are copied as they are.
                let start = i == 0 ? 0 : ends[i - 1]
                var f: [UInt8] = []
                f.reserveCapacity(bytes.count + 64)
                f.append(contentsOf: bytes[..<start])
                fresh = f
                freshEnds.reserveCapacity(ends.count)
                freshEnds.append(contentsOf: ends[..<i])
            }
            fresh!.append(contentsOf: new.utf8)
            freshEnds.append(fresh!.count)
        }
        if let fresh { bytes = fresh; ends = freshEnds }
    }

    // MARK: Memory

    /// Bytes held by the list's storage (capacities, not just counts): what a name costs in the report.
    public var storageBytes: Int {
        bytes.capacity + ends.capacity * MemoryLayout<Int>.stride + counts.capacity * MemoryLayout<Int>.stride
            + knownFlags.capacity * MemoryLayout<Bool>.stride
    }

    // MARK: Binary form (the report cache)

    /// Appends the list's arrays to `out` as they are held, little-endian: the name count `n`, the arena's length,
    /// the arena (every name's UTF-8), then `n` end offsets (UInt64), `n` counts (Int64) and `n` known flags (one
    /// byte, 0 or 1). No `String` and no per-name object is made: the report cache saves a million names this way
    /// in about 40 bytes each (docs/PERFORMANCE.md, #11.15). ``init(binary:)`` reads it back.
    public func appendBinary(to out: inout [UInt8]) {
        out.reserveCapacity(out.count + binaryCount)
        writeBinary { out.append(contentsOf: $0) }
    }

    /// The number of bytes ``appendBinary(to:)`` and ``writeBinary(_:)`` produce.
    public var binaryCount: Int { 16 + bytes.count + ends.count * 17 }

    /// Hands the bytes of ``appendBinary(to:)`` to `sink` in order, in pieces of at most 64 KiB besides the name
    /// bytes (handed over as they are held), so a million names are written without a copy of the list (#11.15).
    public func writeBinary(_ sink: (UnsafeRawBufferPointer) -> Void) {
        var piece: [UInt8] = []
        piece.reserveCapacity(1 << 16)
        func flush() { if !piece.isEmpty { piece.withUnsafeBytes(sink); piece.removeAll(keepingCapacity: true) } }
        func u64(_ v: UInt64) {
            withUnsafeBytes(of: v.littleEndian) { piece.append(contentsOf: $0) }
            if piece.count >= 1 << 16 { flush() }
        }
        u64(UInt64(ends.count)); u64(UInt64(bytes.count))
        flush()
        bytes.withUnsafeBytes(sink)
        for e in ends { u64(UInt64(e)) }
        for c in counts { u64(UInt64(bitPattern: Int64(c))) }
        for k in knownFlags {
            piece.append(k ? 1 : 0)
            if piece.count >= 1 << 16 { flush() }
        }
        flush()
    }

    /// Reads what ``appendBinary(to:)`` wrote, exactly filling `raw`, or nil when it is not a well-formed list
    /// (hostile or truncated input is never trusted): the name count and arena length must fit the bytes there are,
    /// the end offsets must rise (never fall) and end at the arena's end, every name must be valid UTF-8, every
    /// count non-negative and every flag 0 or 1. Nothing is allocated for a length before it was checked against
    /// the bytes present.
    public init?(binary raw: UnsafeRawBufferPointer) {
        var pos = 0
        func u64() -> UInt64? {
            guard raw.count - pos >= 8 else { return nil }
            var v: UInt64 = 0
            withUnsafeMutableBytes(of: &v) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[pos ..< pos + 8])) }
            pos += 8
            return UInt64(littleEndian: v)
        }
        guard let n64 = u64(), let arena64 = u64() else { return nil }
        let rest = UInt64(raw.count - pos)
        // Exactly: the arena, then 17 bytes per name; anything else (truncated, trailing bytes, huge lengths) is refused.
        guard n64 <= rest / 17, arena64 <= rest, arena64 == rest - n64 * 17 else { return nil }
        let n = Int(n64), arenaCount = Int(arena64)
        let arena = UnsafeRawBufferPointer(rebasing: raw[pos ..< pos + arenaCount])
        pos += arenaCount
        var ends: [Int] = [], counts: [Int] = [], known: [Bool] = []
        ends.reserveCapacity(n); counts.reserveCapacity(n); known.reserveCapacity(n)
        var previous = 0
        for _ in 0 ..< n {
            guard let e = u64(), e <= arena64, Int(e) >= previous else { return nil }
            let end = Int(e)
            // Each name on its own: a name must not end inside another's character.
            guard String(validating: UnsafeRawBufferPointer(rebasing: arena[previous ..< end]), as: UTF8.self) != nil
            else { return nil }
            ends.append(end); previous = end
        }
        guard previous == arenaCount else { return nil }
        for _ in 0 ..< n {
            guard let c = u64(), Int64(bitPattern: c) >= 0 else { return nil }
            counts.append(Int(Int64(bitPattern: c)))
        }
        for i in 0 ..< n {
            let flag = raw[pos + i]
            guard flag <= 1 else { return nil }
            known.append(flag == 1)
        }
        self.bytes = Array(arena); self.ends = ends; self.counts = counts; self.knownFlags = known
    }

    // MARK: Codable, Equatable

    /// Decodes a JSON array of ``EventNameCount``.
    public init(from decoder: Decoder) throws {
        var c = try decoder.unkeyedContainer()
        while !c.isAtEnd { append(try c.decode(EventNameCount.self)) }
    }

    /// Encodes a JSON array of ``EventNameCount``, as a `[EventNameCount]` would.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.unkeyedContainer()
        for e in self { try c.encode(e) }
    }

    public static func == (a: EventNameList, b: EventNameList) -> Bool {
        a.counts == b.counts && a.knownFlags == b.knownFlags && a.bytes == b.bytes && a.ends == b.ends
    }
}
