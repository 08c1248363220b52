/// The fields of an event line that the parser extracts itself (besides the selected property paths).
enum EventField: UInt8, Sendable {
    case none
    case type, messageId, timestamp, originalTimestamp, receivedAt
    case userId, anonymousId, event, name, category, previousId
    case timezone, propertiesPath, contextPagePath, propertiesCategory
    case consentPreferences, consentAllowed, consentDenied
    case traits
    /// `context.traits` (person traits on any call), PostHog's `properties.$set` and `properties.$set_once`.
    case contextTraits, setTraits, setOnceTraits

    /// Fields whose value is kept only when it is a string.
    var isStringField: Bool {
        switch self {
        case .messageId, .userId, .anonymousId, .event, .name, .category, .previousId,
             .timezone, .propertiesPath, .contextPagePath, .propertiesCategory: return true
        default: return false
        }
    }

    /// ``isStringField`` as one bit test (the walk asks it for every string member): the fields whose string value the
    /// walk keeps in its ``FieldTexts`` slot.
    @inline(__always) var isKeptText: Bool { (Self.keptTextMask &>> UInt32(rawValue)) & 1 != 0 }
    /// Bit `rawValue` set for each field of ``isStringField`` (all below ``FieldTexts/count``).
    /// (messageId 2, userId … propertiesCategory 6–15.)
    @inline(__always) static var keptTextMask: UInt32 { 0xFFC4 }

    /// Fields whose value is a number kept as its text (ids: `"userId": 1234` is the id `"1234"`).
    var isIdField: Bool { self == .userId || self == .anonymousId || self == .previousId }

    /// The trait source of a traits object field (nil for other fields).
    var traitSource: TraitSource? {
        switch self {
        case .traits: return .top
        case .contextTraits: return .context
        case .setTraits: return .set
        case .setOnceTraits: return .setOnce
        default: return nil
        }
    }

    /// Fields holding the event time.
    var isTimeField: Bool { self == .timestamp || self == .originalTimestamp || self == .receivedAt }
}

/// A trie of the key paths an event line parser wants, so that every other subtree is only
/// validated and skipped. Node 0 is the root (the event object). Immutable once built; stored
/// flat (arrays of plain values) so that a lookup touches no reference counts.
struct FieldTrie: Sendable {
    /// An edge to a child node, keyed by the child's key bytes.
    struct Edge: Sendable {
        /// The first up-to-8 key bytes, little-endian, zero-padded.
        var prefix: UInt64
        var length: Int32
        /// Offset into ``FieldTrie/rest`` of the key bytes after the first 8.
        var restStart: Int32
        var node: Int32
    }

    /// Per node: its built-in field, its selection index (-1: none), and its edges.
    private(set) var field: [EventField] = [.none]
    private(set) var selection: [Int32] = [-1]
    private(set) var edgeStart: [Int32] = []
    private(set) var edgeCount: [Int32] = []
    private(set) var edges: [Edge] = []
    private(set) var rest: [UInt8] = []
    /// Per node: its hash table of edges (``slots``, from `slotStart`), `slotMask + 1` slots (-1: no children).
    /// A key's slot is ``slot(prefix:length:)`` masked, then linear probing; a table is at most a quarter full.
    private(set) var slotStart: [Int32] = []
    private(set) var slotMask: [Int32] = []
    /// Edge indices (into ``edges``), -1 for an empty slot.
    private(set) var slots: [Int32] = []
    /// The selected dotted paths, by selection index (element paths such as
    /// `properties.products[].category` share this index space).
    private(set) var paths: [String] = []
    /// Per node: the root of its element subtrie when an element path selects `[]` on it (-1: none).
    /// Element roots are reached only by walking an array's elements, never by a key.
    private(set) var elementRoot: [Int32] = [-1]
    /// Per node: its array index (into ``arrayPaths``) when it is an array with selected elements (-1: none).
    private(set) var arrayIndex: [Int32] = [-1]
    /// The dotted paths of the arrays whose elements are selected, by array index.
    private(set) var arrayPaths: [String] = []
    /// Lists inside traits are kept as element traits (``FieldSelection/traitLists``).
    private(set) var traitLists = false
    /// Answer captures (``FieldSelection/captures``): the parent object's node, the key (or key prefix) bytes.
    private(set) var captures: [CaptureRule] = []
    /// Per node: whether some capture rule names it as the parent object (so the walk asks the rules only there).
    private(set) var captureParent: [Bool] = []

    init(selection wanted: FieldSelection) {
        var keys: [[UInt8]] = [[]]
        var children: [[Int32]] = [[]]
        func newNode() -> Int {
            keys.append([])
            children.append([])
            field.append(.none)
            selection.append(-1)
            elementRoot.append(-1)
            arrayIndex.append(-1)
            return keys.count - 1
        }
        func insert(_ path: Substring, from start: Int = 0) -> Int {
            var node = start
            if path.isEmpty { return node }
            for part in path.split(separator: ".", omittingEmptySubsequences: false) {
                let key = Array(part.utf8)
                if let c = children[node].first(where: { keys[Int($0)] == key }) {
                    node = Int(c)
                } else {
                    let c = newNode()
                    keys[c] = key
                    children[node].append(Int32(c))
                    node = c
                }
            }
            return node
        }
        func insert(_ path: String) -> Int { insert(Substring(path)) }
        let builtins: [(String, EventField)] = [
            ("type", .type), ("messageId", .messageId),
            ("timestamp", .timestamp), ("originalTimestamp", .originalTimestamp), ("receivedAt", .receivedAt),
            ("userId", .userId), ("anonymousId", .anonymousId), ("event", .event), ("name", .name),
            ("category", .category), ("previousId", .previousId),
            ("context.timezone", .timezone), ("properties.path", .propertiesPath),
            ("context.page.path", .contextPagePath), ("properties.category", .propertiesCategory),
            ("context.consent.categoryPreferences", .consentPreferences),
            ("context.consentManagement.allowedConsentIds", .consentAllowed),
            ("context.consentManagement.deniedConsentIds", .consentDenied),
            ("traits", .traits), ("context.traits", .contextTraits),
            ("properties.$set", .setTraits), ("properties.$set_once", .setOnceTraits),
        ]
        for (path, f) in builtins { field[insert(path)] = f }
        // Sorted, so that property order in a ParsedEvent does not depend on Set order.
        traitLists = wanted.traitLists
        for path in wanted.paths.sorted() where !path.isEmpty && path != FieldSelection.traitListsPath {
            var n: Int
            if let split = FieldSelection.elementPath(path) {
                // `array[].element`: the element subtrie hangs off the array's node.
                let array = insert(split.array)
                if elementRoot[array] < 0 {
                    elementRoot[array] = Int32(newNode())
                    arrayIndex[array] = Int32(arrayPaths.count)
                    arrayPaths.append(String(split.array))
                }
                n = insert(split.element, from: Int(elementRoot[array]))
            } else if path.utf8.contains(UInt8(ascii: "[")) && FieldSelection.hasElementMark(path) {
                continue  // more than one `[]`: not supported (the rules language refuses it)
            } else {
                n = insert(path)
            }
            if selection[n] < 0 {
                selection[n] = Int32(paths.count)
                paths.append(path)
            }
        }
        for pattern in wanted.captures.sorted() {
            let isPrefix = pattern.hasSuffix("*")
            let body = isPrefix ? String(pattern.dropLast()) : pattern
            guard let dot = body.lastIndex(of: "."), dot != body.startIndex else { continue }
            let parent = insert(String(body[..<dot]))
            captures.append(CaptureRule(node: Int32(parent), key: Array(body[body.index(after: dot)...].utf8), isPrefix: isPrefix))
        }
        captureParent = [Bool](repeating: false, count: children.count)
        for rule in captures { captureParent[Int(rule.node)] = true }
        for node in children.indices {
            edgeStart.append(Int32(edges.count))
            edgeCount.append(Int32(children[node].count))
            let first = edges.count
            for c in children[node] {
                let key = keys[Int(c)]
                edges.append(Edge(prefix: Self.pack(key), length: Int32(key.count), restStart: Int32(rest.count), node: c))
                if key.count > 8 { rest.append(contentsOf: key[8...]) }
            }
            guard !children[node].isEmpty else {
                slotStart.append(Int32(slots.count))
                slotMask.append(-1)
                continue
            }
            var size = 4
            while size < 4 * children[node].count { size <<= 1 }
            let start = slots.count
            slots.append(contentsOf: repeatElement(-1, count: size))
            for e in first ..< edges.count {
                var i = Int(truncatingIfNeeded: Self.slot(prefix: edges[e].prefix, length: Int(edges[e].length))) & (size - 1)
                while slots[start + i] >= 0 { i = (i + 1) & (size - 1) }
                slots[start + i] = Int32(e)
            }
            slotStart.append(Int32(start))
            slotMask.append(Int32(size - 1))
        }
    }

    /// The hash of a key (its first 8 bytes little-endian zero-padded, and its length) that places it in a node's
    /// table (masked to the table's size). Keys longer than 8 bytes with the same first 8 bytes and length share a
    /// hash and are told apart by their remaining bytes.
    @inline(__always) static func slot(prefix: UInt64, length: Int) -> UInt64 {
        ((prefix ^ UInt64(truncatingIfNeeded: length)) &* 0x9E37_79B9_7F4A_7C15) >> 40
    }

    /// Up to the first 8 bytes of `key`, little-endian, zero-padded.
    static func pack<C: Collection>(_ key: C) -> UInt64 where C.Element == UInt8 {
        var v: UInt64 = 0
        for (k, byte) in key.prefix(8).enumerated() { v |= UInt64(byte) << UInt64(8 * k) }
        return v
    }

    /// Runs `body` with a pointer view of the trie (valid only inside `body`).
    func withView<R>(_ body: (TrieView) throws -> R) rethrows -> R {
        try slotStart.withUnsafeBufferPointer { ss in
        try slotMask.withUnsafeBufferPointer { sm in
        try slots.withUnsafeBufferPointer { sl in
        try elementRoot.withUnsafeBufferPointer { er in
        try arrayIndex.withUnsafeBufferPointer { ai in
        try captureParent.withUnsafeBufferPointer { cp in
        try field.withUnsafeBufferPointer { f in
            try selection.withUnsafeBufferPointer { sel in
                try edgeStart.withUnsafeBufferPointer { es in
                    try edgeCount.withUnsafeBufferPointer { ec in
                        try edges.withUnsafeBufferPointer { e in
                            try rest.withUnsafeBufferPointer { r in
                                try body(TrieView(field: f, selection: sel, edgeStart: es, edgeCount: ec, edges: e, rest: r,
                                                  slotStart: ss, slotMask: sm, slots: sl,
                                                  elementRoot: er, arrayIndex: ai, captureParent: cp))
                            }
                        }
                    }
                }
            }
        }
        }
        }
        }
        }
        }
        }
    }
}

/// Captures the values of one key (or every key with a prefix) of one object as answers.
struct CaptureRule: Sendable {
    var node: Int32
    var key: [UInt8]
    var isPrefix: Bool

    func matches(_ k: UnsafeBufferPointer<UInt8>) -> Bool {
        if isPrefix ? k.count < key.count : k.count != key.count { return false }
        for i in key.indices where k[i] != key[i] { return false }
        return true
    }
}

/// Borrowed pointers into a ``FieldTrie`` for the duration of one parse.
struct TrieView {
    let field: UnsafeBufferPointer<EventField>
    let selection: UnsafeBufferPointer<Int32>
    let edgeStart: UnsafeBufferPointer<Int32>
    let edgeCount: UnsafeBufferPointer<Int32>
    let edges: UnsafeBufferPointer<FieldTrie.Edge>
    let rest: UnsafeBufferPointer<UInt8>
    let slotStart: UnsafeBufferPointer<Int32>
    let slotMask: UnsafeBufferPointer<Int32>
    let slots: UnsafeBufferPointer<Int32>
    let elementRoot: UnsafeBufferPointer<Int32>
    let arrayIndex: UnsafeBufferPointer<Int32>
    /// Per node: a capture rule names it as its parent object (``FieldTrie/captureParent``).
    let captureParent: UnsafeBufferPointer<Bool>

    @inline(__always) func hasChildren(_ node: Int32) -> Bool { edgeCount[Int(node)] > 0 }

    /// The child of `node` whose key equals the scanned key, or -1: the node's hash table is probed (no scan of its
    /// edges), the key's first 8 bytes read as one word when the line has them.
    @inline(__always) func child(of node: Int32, key t: StringToken, in s: JSONScanner) -> Int32 {
        lookup.child(of: node, key: t, in: s)
    }

    /// The pointers of the child lookup alone (what the walk keeps at hand: 40 bytes, so that a lookup in the walk's
    /// loop copies nothing — a call on the whole view copied its 192 bytes with `memcpy` for every key).
    var lookup: TrieLookup {
        TrieLookup(slotStart: slotStart.baseAddress!, slotMask: slotMask.baseAddress!, slots: slots.baseAddress!,
                   edges: edges.baseAddress!, rest: rest.baseAddress)
    }
}

/// The hashed child lookup of a ``FieldTrie`` (see ``TrieView/child(of:key:in:)``), over borrowed pointers.
struct TrieLookup {
    let slotStart: UnsafePointer<Int32>
    let slotMask: UnsafePointer<Int32>
    let slots: UnsafePointer<Int32>
    let edges: UnsafePointer<FieldTrie.Edge>
    let rest: UnsafePointer<UInt8>?

    /// The child of `node` whose key equals the scanned key, or -1.
    @inline(__always) func child(of node: Int32, key t: StringToken, in s: JSONScanner) -> Int32 {
        let mask = Int(slotMask[Int(node)])
        guard mask >= 0 else { return -1 }
        if _slowPath(t.hasEscapes) { return escapedChild(of: node, mask: mask, key: t, in: s) }
        let key = s.b.baseAddress! + t.start
        let length = t.end - t.start
        let prefix: UInt64
        if t.start + 8 <= s.b.count {
            // The line holds 8 bytes from the key's start (the key's own, then its quote, colon…): one load, masked.
            let word = UInt64(littleEndian: UnsafeRawPointer(key).loadUnaligned(as: UInt64.self))
            prefix = length >= 8 ? word : word & ((1 &<< UInt64(8 &* length)) &- 1)
        } else {
            prefix = Self.pack(key, length)
        }
        return match(node, mask, key, length, prefix)
    }

    /// ``child(of:key:in:)`` for a key with escapes (rare): decoded, then looked up the same way; out of line, so that
    /// the plain lookup carries no `String` and no closure.
    @inline(never) func escapedChild(of node: Int32, mask: Int, key t: StringToken, in s: JSONScanner) -> Int32 {
        var decoded = s.string(t)
        return decoded.withUTF8 { k in
            // An escape decodes to at least one byte: the decoded key is never empty.
            guard let p = k.baseAddress, !k.isEmpty else { return -1 }
            return match(node, mask, p, k.count, Self.pack(p, k.count))
        }
    }

    /// Up to the first 8 bytes at `p` (of `length`), little-endian, zero-padded: ``FieldTrie/pack(_:)``.
    @inline(__always) static func pack(_ p: UnsafePointer<UInt8>, _ length: Int) -> UInt64 {
        var v: UInt64 = 0
        for k in 0 ..< min(length, 8) { v |= UInt64(p[k]) << UInt64(8 * k) }
        return v
    }

    @inline(__always) private func match(_ node: Int32, _ mask: Int, _ key: UnsafePointer<UInt8>, _ length: Int,
                                         _ prefix: UInt64) -> Int32 {
        let start = Int(slotStart[Int(node)])
        var i = Int(truncatingIfNeeded: FieldTrie.slot(prefix: prefix, length: length)) & mask
        while true {
            let e = slots[start + i]
            if e < 0 { return -1 }
            let edge = edges[Int(e)]
            if edge.length == length && edge.prefix == prefix
                && (length <= 8 || Self.equal(key + 8, rest! + Int(edge.restStart), length - 8)) {
                return edge.node
            }
            i = (i + 1) & mask
        }
    }

    /// Whether the `n` bytes at `a` and `b` are equal (8 at a time, then byte by byte; never reads past either).
    @inline(__always) static func equal(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        var k = 0
        while k + 8 <= n {
            if UnsafeRawPointer(a + k).loadUnaligned(as: UInt64.self) != UnsafeRawPointer(b + k).loadUnaligned(as: UInt64.self) {
                return false
            }
            k += 8
        }
        while k < n {
            if a[k] != b[k] { return false }
            k += 1
        }
        return true
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

/// A key that an object of one trie node is expected to have next: the bytes from its opening quote through `":`
/// (a key of at most ``KeyPredictions/maxKeyBytes`` bytes, so at most 24 bytes), read as three little-endian words
/// under masks, and what the walk found for it (the trie's child; whether a capture rule takes it).
struct PredictedKey {
    var w0: UInt64 = 0, w1: UInt64 = 0, w2: UInt64 = 0
    var m0: UInt64 = 0, m1: UInt64 = 0, m2: UInt64 = 0
    /// The key's length in bytes; -1: nothing predicted (never matches).
    var length: Int32 = -1
    /// The trie's child for the key (-1: a key the trie does not have).
    var child: Int32 = -1
    /// Whether the object's capture rules take the key (``EventWalk/capturedKey(_:_:)``): -1 not asked yet, 0, 1.
    var captured: Int8 = -1
    /// (In a slot's first candidate only.) The slot predicting the key after a key the trie does not have (-1: none).
    var chain: Int32 = -1
}

/// Per-walk predictions of an object's keys from the lines before (event lines repeat their key order): the walk
/// compares the bytes at a key with a predicted key's bytes (three words) and, when equal, takes the key and its
/// trie child without scanning the key or probing the trie's hash table; when neither candidate matches it scans and
/// looks up as before and learns the key for the next line. A prediction is only ever confirmed by the line's own
/// bytes, so the outcome (key, child, position, errors) is exactly that of ``JSONScanner/objectKeyFast()`` and
/// ``TrieLookup``.
///
/// A slot holds two candidates (the key learned last, and the one before: orders that alternate between two event
/// kinds). Slots: `0 ..< nodes` predict the key after trie node `c`'s key (inside `c`'s parent object; a node has one
/// parent, so the slot always serves the same object node); `nodes ..< 2·nodes` predict the first key of an object
/// at node `n`; after a key the trie does not have, the slot chained to the current one (made on first use, at most
/// ``maxChains`` of them; then no prediction until the next key the trie has).
struct KeyPredictions {
    /// The longest key predicted: its quotes and colon make 24 bytes.
    static let maxKeyBytes = 21
    /// The most chained slots (for keys the trie does not have) per walk (fewer for a trie of more than 240 nodes).
    static let maxChains: Int32 = 480

    /// Two candidates per slot: slot `i`'s are `slots[2i]` and `slots[2i + 1]`.
    private(set) var slots: UnsafeMutablePointer<PredictedKey>?
    private var nodes: Int32 = 0
    private var count: Int32 = 0
    /// Slots allocated (two candidates each).
    private(set) var capacity: Int32 = 0

    /// No predictions (every key is scanned and looked up).
    init() {}

    /// Empty predictions for a trie of `nodes` nodes; ``release()`` frees them.
    init(nodes: Int) {
        self.nodes = Int32(nodes)
        count = 2 * Int32(nodes)
        // Chains only as far as the whole stays under 120 KiB (128 bytes a slot): a larger block would be its own
        // mmap, zeroed by the kernel for every chunk (see AllocatorPolicy). A trie of more than 480 nodes (a large
        // rules file's selection; the metrics' trie has fewer than 240) gets no chains, and its block is 256 bytes a
        // node, above that size.
        capacity = count + max(0, min(Self.maxChains, 960 - count))
        let p = UnsafeMutablePointer<PredictedKey>.allocate(capacity: 2 * Int(capacity))
        p.initialize(repeating: PredictedKey(), count: 2 * Int(count))
        slots = p
    }

    /// Frees the slots (the predictions are off afterwards).
    mutating func release() {
        slots?.deallocate()
        slots = nil
        nodes = 0; count = 0; capacity = 0
    }

    /// The slot predicting the first key of an object at trie node `node` (-1: predictions off).
    @inline(__always) func first(of node: Int32) -> Int32 { slots == nil ? -1 : nodes &+ node }

    /// The slot predicting the key after a key whose trie child is `child` (≥ 0) in the same object.
    @inline(__always) func after(_ child: Int32) -> Int32 { slots == nil ? -1 : child }

    /// The first candidate of slot `slot` (the second follows it).
    @inline(__always) func candidates(_ slot: Int32) -> UnsafeMutablePointer<PredictedKey> { slots! + 2 &* Int(slot) }

    /// The slot predicting the key after slot `slot`'s key when that key is not in the trie (-1: none left).
    @inline(__always) mutating func chain(_ slot: Int32) -> Int32 {
        let c = candidates(slot).pointee.chain
        if c >= 0 { return c }
        return newChain(slot)
    }

    @inline(never) private mutating func newChain(_ slot: Int32) -> Int32 {
        guard count < capacity, let p = slots else { return -1 }
        (p + 2 * Int(count)).initialize(repeating: PredictedKey(), count: 2)
        p[2 * Int(slot)].chain = count
        count += 1
        return count - 1
    }

    /// Learns key `t` of scanner `s` (just scanned, its trie child `child`) as slot `slot`'s first candidate (the
    /// first becomes the second). A key that cannot be predicted (escapes, longer than ``maxKeyBytes``, whitespace
    /// before its colon, too near the line's end) is not learned.
    @inline(never) mutating func learn(_ slot: Int32, key t: StringToken, child: Int32, in s: JSONScanner) {
        let length = t.end &- t.start
        let open = t.start &- 1
        guard !t.hasEscapes, length <= Self.maxKeyBytes, open &+ 24 <= s.b.count,
              let base = s.b.baseAddress, base[t.end &+ 1] == UInt8(ascii: ":") else { return }
        let p = candidates(slot)
        let chain = p.pointee.chain
        p[1] = p[0]
        let r = UnsafeRawPointer(base + open)
        let bits = 8 &* (length &+ 3)  // quote, key, quote, colon
        p.pointee.m0 = bits >= 64 ? ~0 : (1 &<< UInt64(bits)) &- 1
        p.pointee.m1 = bits >= 128 ? ~0 : bits <= 64 ? 0 : (1 &<< UInt64(bits &- 64)) &- 1
        p.pointee.m2 = bits >= 192 ? ~0 : bits <= 128 ? 0 : (1 &<< UInt64(bits &- 128)) &- 1
        p.pointee.w0 = UInt64(littleEndian: r.loadUnaligned(as: UInt64.self)) & p.pointee.m0
        p.pointee.w1 = UInt64(littleEndian: r.loadUnaligned(fromByteOffset: 8, as: UInt64.self)) & p.pointee.m1
        p.pointee.w2 = UInt64(littleEndian: r.loadUnaligned(fromByteOffset: 16, as: UInt64.self)) & p.pointee.m2
        p.pointee.length = Int32(length)
        p.pointee.child = child
        p.pointee.captured = -1
        p.pointee.chain = chain
    }
}
