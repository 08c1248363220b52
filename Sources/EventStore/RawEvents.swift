#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

/// A string of a parsed chunk: `count` bytes at `start` of the chunk's arena, with its
/// ``IDHash`` under ``Interner/seed`` computed on the parsing thread (`count < 0`: absent), and its
/// id in the chunk's string table (``ChunkStrings``: equal strings of one chunk share one id and
/// one copy in the arena; -1 when absent).
struct RawText {
    var start: Int32
    var count: Int32
    var hash: UInt64
    var local: Int32
    static let absent = RawText(start: 0, count: -1, hash: 0, local: -1)
    @inline(__always) var isAbsent: Bool { count < 0 }
}

/// The string table of one parsed chunk, built on the parsing thread once the chunk is parsed: every distinct
/// string of the chunk that the builder interns into the table's strings (ids, names, sections, time zones,
/// property, trait, answer and element values, trait and answer keys) gets a dense chunk id in
/// ``RawText/local``, so the reading thread interns each distinct string of a chunk once
/// (``EventTableBuilder/stringID(_:arena:)``) and finds its repeats by an array lookup instead of a probe of the
/// store-wide interner (a large table: cache misses) with a `memcmp` against its arena.
/// Chunk ids never reach the table: the interner's ids are still given in the order of first use while
/// applying, so they are exactly those of a sequential read. Consent categories (a builder-private interner)
/// and labels keep `local` -1.
struct ChunkStrings {
    /// Slots holding id + 1 (0: empty); a power of two, at least twice the strings of the chunk.
    private var slots: [Int32] = []
    /// The slot table's size (tests: when a table is kept for the next chunk).
    var slotCount: Int { slots.count }
    /// Per chunk id: its bytes (in the arena) and hash.
    private var entries: [(start: Int32, count: Int32, hash: UInt64)] = []
    /// Per chunk id: the slot it filled, so that the next chunk clears only those (not the whole table).
    private var filled: [Int32] = []
    /// Number of distinct strings of the last chunk numbered.
    private(set) var count = 0
    /// The strings numbered last, by a cheap index of their length and first bytes (chunk id + 1; 0: none): a string
    /// equal to the one in its slot takes its hash and id without being hashed (see ``Numbering/number(_:)``).
    private var recent: [Int32] = []
    /// The size of `recent` (a power of two).
    static var recentSlots: Int { 1024 }

    /// The slot of `recent` for the `n > 0` bytes at `p`: their length and first (up to 8) bytes, mixed. Not a hash
    /// the table relies on: a slot holds one string, compared byte by byte, so colliding strings only miss.
    @inline(__always) static func recentSlot(_ p: UnsafeRawPointer, _ n: Int) -> Int {
        let w = n >= 8 ? UInt64(littleEndian: p.loadUnaligned(as: UInt64.self)) : IDHash.tail(p, count: n, from: 0)
        return Int(truncatingIfNeeded: ((w ^ UInt64(truncatingIfNeeded: n) &* 0x0100_0000_01B3) &* 0x9E37_79B9_7F4A_7C15) >> 54)
            & (recentSlots - 1)
    }

    /// Gives every present string of `raw` (see the type) its hash (``RawText/hash``: ``IDHash`` under
    /// ``Interner/seed``; ``EventWalk/emit(kind:time:into:seeds:)`` leaves it 0) and its chunk id. Consent categories
    /// and labels get neither (see ``RawConsent``). `arena` holds their bytes.
    ///
    /// The hashes are computed here, in one tight loop per list, not in `emit`: `emit` is too large a function for
    /// the optimiser to inline its per-string helpers (a call per kept string, docs/PERFORMANCE.md "Session 9, parse").
    mutating func number(_ raw: inout RawEvents, arena: ByteArena) {
        let bound = raw.events.count * 6 + raw.properties.count + raw.traits.count * 2 + raw.elements.count
        var capacity = 1024
        while capacity < bound * 2 { capacity <<= 1 }
        if slots.count >= capacity && slots.count <= 4 * capacity {
            // Empty again: the slots the last chunk filled (far fewer than the table's; every other slot is 0). A table
            // larger than this chunk needs is kept too: a new one per chunk whose size class differs from the last
            // chunk's meant fresh memory (≥ 128 KiB: an mmap, page faults, kernel zeroing) and a memset each time.
            // Up to 4× larger only: one chunk of a huge line does not pin its table for the rest of the read.
            let used = count
            slots.withUnsafeMutableBufferPointer { s in
                filled.withUnsafeBufferPointer { f in for k in 0 ..< used { s[Int(f[k])] = 0 } }
            }
        } else {
            slots = [Int32](repeating: 0, count: capacity)
        }
        count = 0
        // With a quarter of slack: sized exactly, they were made again (and filled) whenever a chunk had a few more strings.
        if entries.count < bound { entries = Array(repeating: (0, 0, 0), count: bound + bound / 4) }
        if filled.count < bound { filled = Array(repeating: 0, count: bound + bound / 4) }
        let seed = Interner.seed
        var n: Int32 = 0
        if recent.isEmpty { recent = [Int32](repeating: 0, count: Self.recentSlots) } else {
            recent.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        }
        slots.withUnsafeMutableBufferPointer { s in
        filled.withUnsafeMutableBufferPointer { f in
        entries.withUnsafeMutableBufferPointer { e in
        recent.withUnsafeMutableBufferPointer { r in
            var table = Numbering(slots: s.baseAddress!, mask: s.count - 1, filled: f.baseAddress!, entries: e.baseAddress!,
                                  recent: r.baseAddress!, arena: arena.baseAddress, seed: seed,
                                  empty: EventWalk.emptyHash(seed: seed))
            raw.events.withUnsafeMutableBufferPointer { Self.number(events: $0, &table) }
            raw.properties.withUnsafeMutableBufferPointer { Self.number(properties: $0, &table) }
            raw.traits.withUnsafeMutableBufferPointer { Self.number(traits: $0, &table) }
            raw.elements.withUnsafeMutableBufferPointer { Self.number(elements: $0, &table) }
            n = table.n
        }
        }
        }
        }
        count = Int(n)
    }

    /// Whether the `n` bytes at offsets `a` and `b` of `arena` are equal: 8 bytes at a time (the last word overlapping
    /// the one before), shorter strings by at most two loads each; no byte outside either range is read.
    @inline(__always) static func sameBytes(_ arena: UnsafeRawPointer, _ a: Int32, _ b: Int32, _ n: Int32) -> Bool {
        let pa = arena + Int(a), pb = arena + Int(b), n = Int(n)
        if n >= 8 {
            var i = 0
            while i &+ 8 < n {
                if pa.loadUnaligned(fromByteOffset: i, as: UInt64.self) != pb.loadUnaligned(fromByteOffset: i, as: UInt64.self) {
                    return false
                }
                i &+= 8
            }
            return pa.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self) == pb.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self)
        }
        if n >= 4 {
            return pa.loadUnaligned(as: UInt32.self) == pb.loadUnaligned(as: UInt32.self)
                && pa.loadUnaligned(fromByteOffset: n &- 4, as: UInt32.self) == pb.loadUnaligned(fromByteOffset: n &- 4, as: UInt32.self)
        }
        if n > 0 {
            return pa.load(as: UInt8.self) == pb.load(as: UInt8.self)
                && pa.load(fromByteOffset: n >> 1, as: UInt8.self) == pb.load(fromByteOffset: n >> 1, as: UInt8.self)
                && pa.load(fromByteOffset: n &- 1, as: UInt8.self) == pb.load(fromByteOffset: n &- 1, as: UInt8.self)
        }
        return true
    }

    // One loop per list, each a function of its own: in one larger function the optimiser called the per-string
    // numbering out of line (a call per string).
    /// Each text is first compared with the same field of the event before (same length, same bytes: then its hash and
    /// id are that one's, without hashing or probing): consecutive events often share their ids, name and zone.
    @inline(never) private static func number(events ev: UnsafeMutableBufferPointer<RawEvent>, _ table: inout Numbering) {
        guard !ev.isEmpty else { return }
        table.number(&ev[0].user); table.number(&ev[0].anon); table.number(&ev[0].previous)
        table.number(&ev[0].name); table.number(&ev[0].section); table.number(&ev[0].timezone)
        for k in 1 ..< ev.count {
            table.number(&ev[k].user, like: ev[k &- 1].user); table.number(&ev[k].anon, like: ev[k &- 1].anon)
            table.number(&ev[k].previous, like: ev[k &- 1].previous); table.number(&ev[k].name, like: ev[k &- 1].name)
            table.number(&ev[k].section, like: ev[k &- 1].section)
            table.number(&ev[k].timezone, like: ev[k &- 1].timezone)
        }
    }

    @inline(never) private static func number(properties p: UnsafeMutableBufferPointer<RawProperty>, _ table: inout Numbering) {
        for k in p.indices { table.number(&p[k].value) }
    }

    @inline(never) private static func number(traits tr: UnsafeMutableBufferPointer<RawTrait>, _ table: inout Numbering) {
        for k in tr.indices { table.number(&tr[k].key); table.number(&tr[k].value) }
    }

    @inline(never) private static func number(elements el: UnsafeMutableBufferPointer<RawElement>, _ table: inout Numbering) {
        for k in el.indices { table.number(&el[k].value) }
    }

    /// The numbering of one chunk over the table's memory: plain pointers and a local counter (no closure captures,
    /// so no exclusivity checks per string).
    private struct Numbering {
        let slots: UnsafeMutablePointer<Int32>
        let mask: Int
        let filled: UnsafeMutablePointer<Int32>
        let entries: UnsafeMutablePointer<(start: Int32, count: Int32, hash: UInt64)>
        /// ``ChunkStrings/recent``.
        let recent: UnsafeMutablePointer<Int32>
        let arena: UnsafeRawPointer?
        let seed: UInt64
        /// The hash of the empty string.
        let empty: UInt64
        var n: Int32 = 0

        /// The ``IDHash`` under `seed` of the `count` bytes at `start` of the arena — the hash of every kept string the
        /// reading thread interns (``RawText/hash``); the empty string hashes as ``EventWalk/emptyHash(seed:)``.
        @inline(__always) func hash(_ start: Int32, _ count: Int32) -> UInt64 {
            count > 0 ? IDHash.hash(UnsafeRawBufferPointer(start: arena! + Int(start), count: Int(count)), seed: seed) : empty
        }

        /// Sets the hash and chunk id of present text `t`: those of the string in its ``ChunkStrings/recent`` slot when
        /// that has its bytes, else hashed and found in (or added to) the table, then remembered in that slot.
        @inline(__always) mutating func number(_ t: inout RawText) {
            guard t.count >= 0 else { return }
            var r = -1
            if t.count > 0 {
                let p = arena! + Int(t.start)
                r = ChunkStrings.recentSlot(p, Int(t.count))
                let known = recent[r]
                if known > 0 {
                    let c = entries[Int(known) - 1]
                    if c.count == t.count && (c.start == t.start || ChunkStrings.sameBytes(arena!, c.start, t.start, t.count)) {
                        t.hash = c.hash
                        t.local = known - 1
                        return
                    }
                }
            }
            let h = hash(t.start, t.count)
            t.hash = h
            var i = Int(truncatingIfNeeded: h) & mask
            while true {
                let slot = slots[i]
                if slot == 0 {
                    slots[i] = n + 1
                    filled[Int(n)] = Int32(truncatingIfNeeded: i)
                    entries[Int(n)] = (t.start, t.count, h)
                    t.local = n
                    n += 1
                    if r >= 0 { recent[r] = n }
                    return
                }
                let c = entries[Int(slot) - 1]
                if c.hash == h && c.count == t.count
                    && (c.start == t.start || t.count == 0
                        || memcmp(arena! + Int(c.start), arena! + Int(t.start), Int(t.count)) == 0) {
                    t.local = slot - 1
                    if r >= 0 { recent[r] = slot }
                    return
                }
                i = (i + 1) & mask
            }
        }

        /// ``number(_:)-(RawText)``, taking the hash and id of `p` (a text numbered before) when `t` has its bytes.
        @inline(__always) mutating func number(_ t: inout RawText, like p: RawText) {
            guard t.count >= 0 else { return }
            if t.count == p.count && (t.start == p.start || t.count == 0 || ChunkStrings.sameBytes(arena!, t.start, p.start, t.count)) {
                t.hash = p.hash
                t.local = p.local
                return
            }
            number(&t)
        }

        @inline(__always) mutating func number(_ v: inout RawValue) {
            guard case .string(var t) = v else { return }
            number(&t)
            v = .string(t)
        }
    }
}

/// A property or trait value of a parsed chunk.
enum RawValue {
    case null
    case bool(Bool)
    case number(Double)
    case string(RawText)
    case composite
}

/// One accepted line of a chunk in the form the builder applies without any `String`: texts refer to
/// the chunk's arena, lists to ranges of the chunk's flat consent/property/trait arrays.
struct RawEvent {
    var kind: EventKind
    var time: Int64
    /// The dedupe key of a non-empty `messageId`.
    var key: MessageKey?
    /// Non-empty `userId` / `anonymousId` / alias `previousId`, else absent.
    var user: RawText
    var anon: RawText
    var previous: RawText
    /// `event` of a track call, `name` of a page or screen call, else absent.
    var name: RawText
    /// The page section (lowercased), page and screen only.
    var section: RawText
    /// Non-empty `context.timezone`.
    var timezone: RawText
    var consentStart: Int32, consentEnd: Int32
    var propertyStart: Int32, propertyEnd: Int32
    var traitStart: Int32, traitEnd: Int32
    /// An empty `context.consent.categoryPreferences` (every category denied).
    var consentCleared = false
    /// Captured answers: a range of the chunk's `traits` array (key = the answer's key).
    var answerStart: Int32 = 0, answerEnd: Int32 = 0
    /// Selected lists: a range of the chunk's ``RawEvents/arrays``.
    var arrayStart: Int32 = 0, arrayEnd: Int32 = 0
}

/// A selected array of an event on the byte path: its array index (the parser's array paths), shape,
/// element count, and its element values in ``RawEvents/elements``.
struct RawArray {
    var array: Int32
    var shape: ArrayShape
    var count: Int32
    var valueStart: Int32, valueEnd: Int32
}

/// A selected element value on the byte path.
struct RawElement {
    var element: Int32
    /// Index into the parser's selected paths (the element path).
    var selection: Int32
    var value: RawValue
}

/// A consent entry of a parsed chunk. Its texts have no hash and no chunk id (``RawText/hash`` 0, ``RawText/local``
/// -1): the builder recognises a category by its bytes at the same position of the last event (nearly always) and
/// hashes it only when that fails; a label is read as a `String`.
struct RawConsent {
    var category: RawText
    var granted: Bool
    var label: RawText
}

struct RawProperty {
    /// Index into the parser's selected paths.
    var selection: Int32
    var value: RawValue
}

struct RawTrait {
    var key: RawText
    var value: RawValue
    /// PostHog `$set_once`: applies only where the person has no earlier value.
    var once: Bool
}

/// The parsed events of one chunk (reused from chunk to chunk: cleared, capacity kept).
struct RawEvents {
    var events: [RawEvent] = []
    var consent: [RawConsent] = []
    var properties: [RawProperty] = []
    var traits: [RawTrait] = []
    var arrays: [RawArray] = []
    var elements: [RawElement] = []

    mutating func removeAll() {
        arrays.removeAll(keepingCapacity: true)
        elements.removeAll(keepingCapacity: true)
        events.removeAll(keepingCapacity: true)
        consent.removeAll(keepingCapacity: true)
        properties.removeAll(keepingCapacity: true)
        traits.removeAll(keepingCapacity: true)
    }
}

/// What one line gave on the byte path.
enum RawOutcome {
    /// One event (appended to the chunk's events).
    case event
    /// One malformed record.
    case malformed(LineError)
    /// A line in a vendor shape: its records (nil: an event, appended in order), and whether it was a batch envelope.
    case records(envelope: Bool, [LineError?])
}

extension EventLineParser {
    /// Parses one line into `out` with a walk of ``withWalk(buffers:_:)`` (strings into the arena of its buffers).
    /// Exactly the decisions of ``parseRecords(_:)-(UnsafeRawBufferPointer)``; a plain Segment line takes no extra pass.
    func parseRaw(_ bytes: UnsafeRawBufferPointer, walk reused: inout EventWalk, into out: inout RawEvents,
                  seeds: (UInt64, UInt64)) -> RawOutcome {
        func walkOne(_ b: UnsafeRawBufferPointer) -> Result<Void, LineError> {
            walk(b, reusing: &reused) { w in
                switch w.validated() {
                case .failure(let e): return .failure(e)
                case .success(let v):
                    w.emit(kind: v.kind, time: v.time, into: &out, seeds: seeds)
                    return .success(())
                }
            }
        }
        switch walkOne(bytes) {
        case .success: return .event
        case .failure(let e) where e == .missingType || e == .missingIdentity:
            guard let shape = VendorShape.classify(bytes) else { return .malformed(e) }
            let records = shape.records(bytes, options: options) { walkOne($0) }
            return .records(envelope: records.envelope, records.outcomes.map { r in
                if case .failure(let e) = r { return e }
                return nil
            })
        case .failure(let e): return .malformed(e)
        }
    }
}

extension EventWalk {
    /// The hash of the empty string under `seed` (an empty buffer with an address).
    static func emptyHash(seed: UInt64) -> UInt64 {
        withUnsafeBytes(of: UInt64(0)) { IDHash.hash(UnsafeRawBufferPointer(start: $0.baseAddress, count: 0), seed: seed) }
    }

    /// The chunk's form of kept string `t` (absent when `t` is): its bytes; its hash and chunk id are given later, by
    /// ``ChunkStrings/number(_:arena:)`` (0 and -1 until then).
    @inline(__always) static func raw(_ t: TextRef) -> RawText {
        RawText(start: t.isAbsent ? 0 : t.start, count: t.isAbsent ? -1 : t.count, hash: 0, local: -1)
    }

    /// ``raw(_:)-(TextRef)``, absent also for an empty string.
    @inline(__always) static func rawNonBlank(_ t: TextRef) -> RawText {
        t.isBlank ? .absent : raw(t)
    }

    @inline(__always) static func raw(_ v: RawScalar) -> RawValue {
        switch v {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .number(let d): return .number(d)
        case .string(let t): return .string(raw(t))
        case .composite: return .composite
        }
    }

    /// Appends the validated event to `out`.
    mutating func emit(kind: EventKind, time: Int64, into out: inout RawEvents, seeds: (UInt64, UInt64)) {
        var section = TextRef.absent
        if kind.isPageLike {
            // First: it may append a lowercased copy to the arena (the pointer below is taken after it).
            section = sectionText(category: pageCategory, path: propertiesPath.isAbsent ? contextPagePath : propertiesPath)
        }
        let nameText: TextRef = kind == .track ? event : (kind.isPageLike ? name : .absent)
        // The strings below are hashed later, by ``ChunkStrings/number(_:arena:)`` (only the dedupe key is hashed here).
        let a = buf.arena.baseAddress  // not mutated below
        var key: MessageKey?
        if !messageId.isBlank {
            let id = UnsafeRawBufferPointer(start: a! + Int(messageId.start), count: Int(messageId.count))
            let (ka, kb) = IDHash.hashPair(id, seeds: seeds)  // one pass over the id for both halves
            key = MessageKey(a: ka, b: kb)
        }
        let consentStart = Int32(out.consent.count)
        for p in buf.preferences {
            out.consent.append(RawConsent(category: Self.raw(p.category), granted: p.granted, label: .absent))
        }
        for c in buf.allowed where c.id.count > 0 {
            out.consent.append(RawConsent(category: Self.raw(c.id), granted: true,
                                          label: Self.raw(c.label)))
        }
        for c in buf.denied where c.id.count > 0 {
            out.consent.append(RawConsent(category: Self.raw(c.id), granted: false,
                                          label: Self.raw(c.label)))
        }
        let propertyStart = Int32(out.properties.count)
        for p in buf.properties {
            out.properties.append(RawProperty(selection: p.selection, value: Self.raw(p.value)))
        }
        let traitStart = Int32(out.traits.count)
        for t in buf.finalTraits where !t.once {
            out.traits.append(RawTrait(key: Self.raw(t.path), value: Self.raw(t.value),
                                       once: false))
        }
        for t in buf.finalTraits where t.once {
            out.traits.append(RawTrait(key: Self.raw(t.path), value: Self.raw(t.value),
                                       once: true))
        }
        let answerStart = Int32(out.traits.count)
        for x in buf.answers {
            out.traits.append(RawTrait(key: Self.raw(x.key), value: Self.raw(x.value),
                                       once: false))
        }
        let arrayStart = Int32(out.arrays.count)
        for x in buf.arrays {
            let valueStart = Int32(out.elements.count)
            for e in buf.elements where e.array == x.array {
                out.elements.append(RawElement(element: e.element, selection: e.selection, value: Self.raw(e.value)))
            }
            out.arrays.append(RawArray(array: x.array, shape: x.shape, count: x.count,
                                       valueStart: valueStart, valueEnd: Int32(out.elements.count)))
        }
        out.events.append(RawEvent(
            kind: kind, time: time, key: key, user: Self.rawNonBlank(userId),
            anon: Self.rawNonBlank(anonymousId),
            previous: kind == .alias ? Self.rawNonBlank(previousId) : .absent,
            name: Self.raw(nameText), section: Self.raw(section),
            timezone: Self.rawNonBlank(timezone),
            consentStart: consentStart, consentEnd: Int32(out.consent.count),
            propertyStart: propertyStart, propertyEnd: Int32(out.properties.count),
            traitStart: traitStart, traitEnd: answerStart, consentCleared: buf.consentCleared,
            answerStart: answerStart, answerEnd: Int32(out.traits.count),
            arrayStart: arrayStart, arrayEnd: Int32(out.arrays.count)))
    }

    /// The bytes version of ``EventTableBuilder/section(category:path:)``: the lowercased category
    /// when non-empty, else the lowercased first piece of the path's first segment; absent when none.
    mutating func sectionText(category: TextRef, path: TextRef) -> TextRef {
        if !category.isBlank { return lowercased(category) }
        guard !path.isAbsent else { return .absent }
        let slash = UInt8(ascii: "/"), question = UInt8(ascii: "?"), hash = UInt8(ascii: "#")
        let piece: Range<Int>? = buf.arena.withUnsafeBufferPointer { all in
            let n = Int(path.start) + Int(path.count)
            var i = Int(path.start)
            while i < n && all[i] == slash { i += 1 }
            guard i < n else { return nil }
            var j = i
            while j < n && all[j] != slash { j += 1 }
            var a = i
            while a < j && (all[a] == question || all[a] == hash) { a += 1 }
            guard a < j else { return nil }
            var b = a
            while b < j && all[b] != question && all[b] != hash { b += 1 }
            return a ..< b
        }
        guard let piece else { return .absent }
        return lowercased(TextRef(start: Int32(piece.lowerBound), count: Int32(piece.count)))
    }

    /// `t` lowercased: itself when it has no uppercase ASCII letter and is ASCII, else a lowercased copy in the arena.
    mutating func lowercased(_ t: TextRef) -> TextRef {
        var ascii = true, upper = false
        for i in t.range {
            let c = buf.arena[i]
            if c >= 0x80 { ascii = false; break }
            if c >= 0x41 && c <= 0x5A { upper = true }
        }
        if ascii && !upper { return t }
        let start = buf.arena.count
        if ascii {
            for i in t.range { let c = buf.arena[i]; buf.arena.append(c >= 0x41 && c <= 0x5A ? c | 0x20 : c) }
        } else {
            var lower = (buf.string(t) as String).lowercased()
            lower.withUTF8 { buf.arena.append(contentsOf: $0) }
        }
        return TextRef(start: Int32(truncatingIfNeeded: start), count: Int32(truncatingIfNeeded: buf.arena.count - start))
    }
}

extension EventTableBuilder {
    /// Adds one event of a parsed chunk: the work of ``add(_:file:)`` on bytes (interning compares
    /// bytes against the interned UTF-8, with the hash computed by the parsing thread).
    /// - Returns: `false` when it was a duplicate and ignored.
    @discardableResult
    mutating func add(raw e: RawEvent, arena: UnsafeRawBufferPointer, consent: UnsafeBufferPointer<RawConsent>,
                      properties: UnsafeBufferPointer<RawProperty>, traits: UnsafeBufferPointer<RawTrait>,
                      paths: [String], file: Int32,
                      arrays: UnsafeBufferPointer<RawArray> = UnsafeBufferPointer(start: nil, count: 0),
                      elements: UnsafeBufferPointer<RawElement> = UnsafeBufferPointer(start: nil, count: 0),
                      arrayPaths: [String] = []) -> Bool {
        @inline(__always) func text(_ t: RawText) -> UnsafeRawBufferPointer {
            UnsafeRawBufferPointer(rebasing: arena[Int(t.start) ..< Int(t.start) + Int(t.count)])
        }
        guard let row = beginRow(key: e.key, time: e.time, kind: e.kind, file: file) else { return false }
        let u = e.user.isAbsent ? -1 : stringID(e.user, arena: arena)
        let a = e.anon.isAbsent ? -1 : stringID(e.anon, arena: arena)
        let prev = u >= 0 && !e.previous.isAbsent ? stringID(e.previous, arena: arena) : nil
        addIdentity(user: u, anon: a, previous: prev, time: e.time, row: row)
        let s = staged - 1
        stage.name[s] = e.name.isAbsent ? -1 : stringID(e.name, arena: arena)
        stage.section[s] = e.section.isAbsent ? -1 : stringID(e.section, arena: arena)
        stage.timezone[s] = e.timezone.isAbsent ? -1 : stringID(e.timezone, arena: arena)

        var carried: UInt64 = 0, granted: UInt64 = 0
        let hints = consentHints.count
        for i in Int(e.consentStart) ..< Int(e.consentEnd) {
            // Fields read through the pointer: copying the whole entry (two texts and a flag) cost ~13 instructions.
            let c = consent.baseAddress.unsafelyUnwrapped + i
            if !c.pointee.label.isAbsent && c.pointee.label.count > 0 {
                let category = String(decoding: text(c.pointee.category), as: UTF8.self), label = String(decoding: text(c.pointee.label), as: UTF8.self)
                if table.consentLabels[category] != label { table.consentLabels[category] = label }
            }
            // The category at this position of the last event that had one here, when it is the same bytes
            // (compared as two masked words: categories of up to 16 bytes, the usual case, get a hint).
            let position = i - Int(e.consentStart)
            let t = c.pointee.category
            var b = -1
            if position < hints {
                let h = consentHints[position]
                if h.count == t.count && Int(t.start) + 16 <= arena.count {
                    let p = arena.baseAddress! + Int(t.start)
                    let w0 = UInt64(littleEndian: p.loadUnaligned(as: UInt64.self))
                    let w1 = UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
                    if (w0 ^ h.w0) & h.m0 | (w1 ^ h.w1) & h.m1 == 0 { b = Int(h.bit) }
                }
            }
            if b < 0 {
                // The category's hash only now (the parse leaves it 0, see RawConsent): this is the rare case.
                let bytes = text(c.pointee.category)
                let id = Int(categoryNames.intern(bytes: bytes, hash: IDHash.hash(bytes, seed: Interner.seed)))
                b = id < categoryBitByName.count ? categoryBitByName[id] : -1
                if b < 0 {
                    guard let found = bit(for: categoryNames[Int32(id)]) else {
                        overflow(categoryNames[Int32(id)], granted: c.pointee.granted)
                        continue
                    }
                    while categoryBitByName.count <= id { categoryBitByName.append(-1) }
                    categoryBitByName[id] = found
                    b = found
                }
                while consentHints.count <= position { consentHints.append(ConsentHint()) }
                consentHints[position] = ConsentHint(arena, t, bit: Int32(b))
            }
            let m: UInt64 = 1 << UInt64(b)
            carried |= m
            if c.pointee.granted { granted |= m } else { granted &= ~m }
        }
        stage.carried[s] = carried
        stage.granted[s] = granted
        if e.consentCleared { clearedRows.append(row) }

        let n = count
        for i in Int(e.propertyStart) ..< Int(e.propertyEnd) {
            let p = properties[i]
            let sel = Int(p.selection)
            while columnOfSelection.count <= sel { columnOfSelection.append(-2) }
            var c = columnOfSelection[sel]
            if c == -2 {
                c = column(for: paths[sel])
                columnOfSelection[sel] = c
            }
            if c < 0 { continue }
            setLastRow(column: c, intern(p.value, arena: arena), rows: n)
        }
        for i in Int(e.traitStart) ..< Int(e.traitEnd) {
            let t = traits[i]
            traitRowsRaw.append(row)
            traitOnceRaw.append(t.once)
            table.traitKey.append(stringID(t.key, arena: arena))
            table.traitValue.append(intern(t.value, arena: arena))
        }
        for i in Int(e.arrayStart) ..< Int(e.arrayEnd) {
            let a = arrays[i]
            var values: [(Int, String, PropValue)] = []
            values.reserveCapacity(Int(a.valueEnd - a.valueStart))
            for j in Int(a.valueStart) ..< Int(a.valueEnd) {
                let v = elements[j]
                values.append((Int(v.element), paths[Int(v.selection)], intern(v.value, arena: arena)))
            }
            addArray(arrayPaths[Int(a.array)], shape: a.shape, count: Int(a.count), values: values, rows: n)
        }
        for i in Int(e.answerStart) ..< Int(e.answerEnd) {
            let t = traits[i]
            answerRowsRaw.append(row)
            table.answerKey.append(stringID(t.key, arena: arena))
            table.answerValue.append(intern(t.value, arena: arena))
        }
        return true
    }

    /// The most rows reserved ahead of a read (≈ 17 GB of store at 256 bytes a row); beyond it the columns grow as they fill.
    static let maxReservedRows = 1 << 26
    /// The most new keys the dedupe set is sized for ahead of a read (32 Mi keys: ≈ 770 MB of slots, what a store of
    /// ≈ 12 GB of the example's lines needs). Unlike a column's capacity its slots are written when it is made, so
    /// they are resident whether or not the rows come: a store of a few huge lines (or a sparse file) pays at most
    /// this much, not bytes / 16 without limit. Beyond it the set grows as before. (A cap of 4 M keys made the 10 GB
    /// store's read 30 % slower and its peak 2.89 GB: the set grew by half six times.)
    static let maxPresizedKeys = 1 << 25
    /// The most new strings the interner's index is sized for ahead of a read (written when made, like the dedupe
    /// set's: at most 2^24 slots of 4 bytes).
    static let maxPresizedStrings = 1 << 23

    /// Reserves room for `rows` rows in all in every row column (and in property columns as they are
    /// created), so that they are not grown step by step: each step copied the column into fresh memory,
    /// which the kernel first had to clear (the copies and the page clearing were ~10 % of a cold read's
    /// CPU, on the one thread that applies events). Capacity that stays unused is never touched, so it
    /// costs address space, not memory; `finish()` moves every row column into an exact-size copy.
    /// `keyCap` and `stringCap` bound what is written up front (tests lower them).
    mutating func reserve(rows wanted: Int, keyCap: Int = maxPresizedKeys, stringCap: Int = maxPresizedStrings) {
        flushRows()
        // A store's byte count says little about its rows when its lines are huge (or a file is sparse): the columns'
        // capacity is only address space, but not without limit, and the two hash tables below are written when made.
        let rows = Swift.min(wanted, count + Self.maxReservedRows)
        guard rows > table.time.count else { return }
        expectedRows = rows
        table.time.reserveCapacity(rows)
        table.kind.reserveCapacity(rows)
        table.sequence.reserveCapacity(rows)
        table.name.reserveCapacity(rows)
        table.section.reserveCapacity(rows)
        table.timezone.reserveCapacity(rows)
        table.consentCarried.reserveCapacity(rows)
        table.consentGranted.reserveCapacity(rows)
        userKey.reserveCapacity(rows)
        anonKey.reserveCapacity(rows)
        // The dedupe set is sized up front too (it grew by half 14 times at 0.1 GB, 20 at 1 GB, rehashing every key
        // each time and holding old and new slots together), but for fewer keys than the columns' rows: a column's
        // unused capacity is never touched, while a hash table writes all over its slots, so every reserved slot
        // becomes resident. Two thirds of the rows (lines of 384 bytes; the example stores have ≈ 420) fits the
        // stores of `earshot example-data` without a grow; a store of shorter lines grows from there as before.
        seen.reserve(keys: seen.count + Swift.min((rows - count) * 2 / 3, keyCap))
        // The interner likewise, for an eighth as many new strings as rows, i.e. one per 2 KB of store (the bench
        // stores have ≈ 0.2 distinct strings per line of ≈ 420 bytes: ids, names, values; 1 GB ≈ 0.35 M) of 64 bytes
        // each: its index is written all over (8-byte slots at most half full, 8 MB at 1 GB; a store with more
        // distinct strings doubles it from there), its arena and offsets only reserve.
        let strings = Swift.min((rows - count) / 8, stringCap)
        table.strings.reserve(strings: strings, bytes: strings * 64)
    }

    /// Loads the slots that ``add(raw:arena:consent:properties:traits:paths:file:arrays:elements:arrayPaths:)``
    /// will probe first for `e` (its dedupe key, its user and anonymous id, or the anonymous id's link when the id is
    /// already known), returning a value that depends on them; see ``MessageKeySet/touch(_:)``. Changes nothing.
    @inline(__always) func touch(_ e: RawEvent) -> UInt64 {
        var v: UInt64 = 0
        if let key = e.key { v ^= seen.touch(key) }
        if !e.user.isAbsent && chunkIDs[Int(e.user.local)] < 0 { v ^= table.strings.touch(hash: e.user.hash) }
        if !e.anon.isAbsent {
            let id = chunkIDs[Int(e.anon.local)]
            // Not interned yet in this chunk: its interner slot (and, with a user, the link at the id that slot holds,
            // most likely its own); else (with a user) the link it will be compared with.
            if id < 0 {
                let t = table.strings.touchGuess(hash: e.anon.hash)
                v ^= t.value
                if !e.user.isAbsent && t.id >= 0 { v ^= links.touch(anon: t.id) }
            } else if !e.user.isAbsent {
                v ^= links.touch(anon: id)
            }
        }
        return v
    }

    /// Starts applying a chunk whose string table (``ChunkStrings``) holds `strings` strings: none has an
    /// interner id yet.
    mutating func beginChunk(strings: Int) {
        chunkIDs.removeAll(keepingCapacity: true)
        chunkIDs.append(contentsOf: repeatElement(-1, count: strings))
    }

    /// Ends applying a chunk: its staged rows go into the columns (``flushRows()``), so that nothing is staged
    /// between chunks.
    mutating func endChunk() {
        flushRows()
    }

    /// The interner id of a string of the chunk being applied: interned at its first use in the chunk (so new
    /// ids are given in exactly the order of a sequential read), then found by its chunk id.
    @inline(__always) mutating func stringID(_ t: RawText, arena: UnsafeRawBufferPointer) -> Int32 {
        let known = chunkIDs[Int(t.local)]
        if known >= 0 { return known }
        let id = table.strings.intern(bytes: UnsafeRawBufferPointer(rebasing: arena[Int(t.start) ..< Int(t.start) + Int(t.count)]),
                                      hash: t.hash)
        chunkIDs[Int(t.local)] = id
        return id
    }

    @inline(__always) mutating func intern(_ v: RawValue, arena: UnsafeRawBufferPointer) -> PropValue {
        switch v {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .number(let d): return .number(d)
        case .string(let t):
            return .string(stringID(t, arena: arena))
        case .composite: return .composite
        }
    }
}
