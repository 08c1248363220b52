#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

/// Turns one line of a JSON-lines store into a ``ParsedEvent``, or says why it cannot.
///
/// The whole line is validated as RFC 8259 JSON, byte by byte, while only the fields earshot
/// uses are pulled out (see ``ParsedEvent`` and docs/STORE.md); no dictionary is ever built.
/// A parser is immutable and holds no shared mutable state, so one instance may parse lines on
/// several threads at once.
public struct EventLineParser: Sendable {
    let trie: FieldTrie
    /// How lines are read (zone-less times).
    public let options: ReaderOptions

    /// The longest dotted trait path kept (`address.city`), in UTF-8 bytes; a longer one makes the line malformed.
    public static let maxTraitPathBytes = 1024
    /// The deepest nesting inside a traits object; a deeper trait makes the line malformed.
    public static let maxTraitDepth = 32

    /// A parser that keeps the property paths of `selection`.
    public init(selection: FieldSelection = .metrics, options: ReaderOptions = ReaderOptions()) {
        trie = FieldTrie(selection: selection)
        self.options = options
    }

    /// Parses one line (without its newline) with a one-off parser for `selection`.
    public static func parse(_ bytes: UnsafeRawBufferPointer, selection: FieldSelection = .metrics)
        -> Result<ParsedEvent, LineError> {
        EventLineParser(selection: selection).parse(bytes)
    }

    /// Parses the UTF-8 of `line` (convenience for tests and tools).
    public func parse(_ line: String) -> Result<ParsedEvent, LineError> {
        var copy = line
        return copy.withUTF8 { parse(UnsafeRawBufferPointer($0)) }
    }

    /// Parses one line (without its newline) that holds one event. A batch envelope is not one
    /// event: its first item's outcome is returned (use ``parseRecords(_:)`` for all of them).
    public func parse(_ bytes: UnsafeRawBufferPointer) -> Result<ParsedEvent, LineError> {
        let records = parseRecords(bytes)
        if records.envelope, let first = records.outcomes.first { return first }
        return records.outcomes.first ?? .failure(.missingType)
    }

    /// Parses one line (without its newline) into its records: one for an event line, one per item
    /// for a batch envelope (`envelope` true; its items' errors are ``LineError/batchItem(index:problem:)``).
    ///
    /// The walk made for the line does not predict keys (``KeyPredictions``: they pay only over many lines, while
    /// their block, up to 120 KiB, would be allocated and cleared for every call — ``StoreFollower`` parses each new
    /// line of a followed store this way).
    public func parseRecords(_ bytes: UnsafeRawBufferPointer) -> LineRecords<ParsedEvent> {
        parseRecords(bytes) { _ in }
    }

    /// ``parseRecords(_:)-(UnsafeRawBufferPointer)``, calling `inspect` with each record's finished walk (tests).
    func parseRecords(_ bytes: UnsafeRawBufferPointer, inspect: (inout EventWalk) -> Void) -> LineRecords<ParsedEvent> {
        var buffers = WalkBuffers()
        let first = walk(bytes, buffers: &buffers, predicting: false) { w in inspect(&w); return w.parsedEvent() }
        guard case .failure(let e) = first, e == .missingType || e == .missingIdentity,
              let shape = VendorShape.classify(bytes) else {
            return LineRecords(envelope: false, outcomes: [first])
        }
        return shape.records(bytes, options: options) { normalised in
            walk(normalised, buffers: &buffers, predicting: false) { w in inspect(&w); return w.parsedEvent() }
        }
    }

    /// Parses the UTF-8 of `line` into its records (convenience for tests and tools).
    public func parseRecords(_ line: String) -> LineRecords<ParsedEvent> {
        var copy = line
        return copy.withUTF8 { parseRecords(UnsafeRawBufferPointer($0)) }
    }

    /// Validates and walks one line with `buffers` (strings kept are appended to its arena), then
    /// hands the finished walk to `finish`, or returns why the line is not JSON / not an object.
    @inline(__always)
    func walk<T>(_ bytes: UnsafeRawBufferPointer, buffers: inout WalkBuffers, predicting: Bool = true,
                 _ finish: (inout EventWalk) -> Result<T, LineError>) -> Result<T, LineError> {
        withWalk(buffers: &buffers, predicting: predicting) { w in walk(bytes, reusing: &w, finish) }
    }

    /// Calls `body` with a walk over this parser's trie that serves any number of lines (``walk(_:reusing:_:)``),
    /// holding `buffers` meanwhile: the walk is set up once per chunk, not once per line. `predicting` false: no
    /// ``KeyPredictions`` (nothing allocated for them; for a walk of one line, where they cannot pay).
    @inline(__always)
    func withWalk<R>(buffers: inout WalkBuffers, predicting: Bool = true, _ body: (inout EventWalk) -> R) -> R {
        trie.withView { view in
            var walk = EventWalk(trie: view, paths: trie.paths, arrayPaths: trie.arrayPaths, traitLists: trie.traitLists,
                                 scanner: JSONScanner(UnsafeBufferPointer(start: nil, count: 0)), assumeUTC: options.assumeUTC)
            walk.captures = trie.captures
            if predicting { walk.predictions = KeyPredictions(nodes: view.field.count) }
            defer { walk.predictions.release() }
            swap(&walk.buf, &buffers)
            defer { swap(&walk.buf, &buffers) }
            return body(&walk)
        }
    }

    /// Validates and walks one line with a walk from ``withWalk(buffers:_:)`` (reset first, so nothing of an
    /// earlier line remains but the arena), then hands it to `finish`, or returns why the line is not JSON / not
    /// an object.
    @inline(__always)
    func walk<T>(_ bytes: UnsafeRawBufferPointer, reusing walk: inout EventWalk,
                 _ finish: (inout EventWalk) -> Result<T, LineError>) -> Result<T, LineError> {
        walk.startLine(JSONScanner(bytes.bindMemory(to: UInt8.self)))
        do throws(JSONSyntaxError) {
            walk.s.skipWhitespace()
            guard !walk.s.atEnd else { return .failure(.invalidJSON(JSONSyntaxError(.emptyDocument, at: 0))) }
            let first = walk.s.peek
            if first != UInt8(ascii: "{") {
                try walk.s.skipValue(depth: 0)
                try walk.s.expectEnd()
                return .failure(.notAnObject(found: Self.kindName(first)))
            }
            try walk.object(node: 0, depth: 1, trait: nil)
            try walk.s.expectEnd()
        } catch {
            return .failure(.invalidJSON(error))
        }
        return finish(&walk)
    }

    static func kindName(_ first: UInt8) -> String {
        switch first {
        case UInt8(ascii: "["): return "an array"
        case UInt8(ascii: "\""): return "a string"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return "a boolean"
        case UInt8(ascii: "n"): return "null"
        default: return "a number"
        }
    }
}

/// A string kept by the walk: `count` bytes at `start` of the arena (`count < 0`: absent).
struct TextRef: Equatable {
    var start: Int32
    var count: Int32
    static let absent = TextRef(start: 0, count: -1)
    @inline(__always) var isAbsent: Bool { count < 0 }
    /// Absent or empty.
    @inline(__always) var isBlank: Bool { count <= 0 }
    @inline(__always) var range: Range<Int> { Int(start) ..< Int(start) + Int(count) }
}

/// A scalar as the walk keeps it (strings as arena references).
enum RawScalar {
    case null
    case bool(Bool)
    case number(Double)
    case string(TextRef)
    case composite

    init(_ v: ScalarValue) {
        switch v {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .number(let d): self = .number(d)
        case .composite, .string: self = .composite  // strings never come this way (see EventWalk.value)
        }
    }
}

/// Where a trait comes from; a lower value wins when one event carries a key in several places.
enum TraitSource: UInt8 {
    /// Top-level `traits` of an identify call.
    case top
    /// `context.traits` (any call).
    case context
    /// PostHog's `properties.$set`.
    case set
    /// PostHog's `properties.$set_once` (sets a key only when the person has no earlier value).
    case setOnce
}

/// One piece of a dotted trait path: its key (in the arena) under `parent` (-1: a top-level trait).
/// Paths are stored by reference to their parent, so a long key with many children costs its bytes once.
struct TraitPathNode {
    var parent: Int32
    var key: TextRef
    /// UTF-8 bytes of the whole dotted path and its number of pieces.
    var length: Int32
    var depth: Int32
    /// A hash of the whole dotted path (equal paths have equal hashes).
    var hash: UInt64
    /// A list element (`[3]`): joined to its parent without a dot (`children[3]`).
    var isElement: Bool = false
}

/// A trait leaf found by the walk.
struct WalkTrait {
    var node: Int32
    var value: RawScalar
    var source: TraitSource
}

/// A trait as the line yields it: its dotted path materialised in the arena.
struct FinalTrait {
    var path: TextRef
    var value: RawScalar
    var once: Bool
}

/// Reused storage of the walk: the byte arena of kept strings plus per-line scratch lists.
/// One instance serves a whole chunk of lines, so parsing allocates nothing per line.
struct WalkBuffers {
    var arena = ByteArena()
    var preferences: [(category: TextRef, granted: Bool)] = []
    /// RudderStack consent ids (granted / denied) with their label (absent unless given as `{"id": "label"}`).
    var allowed: [(id: TextRef, label: TextRef)] = []
    var denied: [(id: TextRef, label: TextRef)] = []
    var properties: [(selection: Int32, value: RawScalar)] = []
    var traits: [WalkTrait] = []
    var pathNodes: [TraitPathNode] = []
    var finalTraits: [FinalTrait] = []
    /// ``EventWalk/resolveTraits(kind:)``'s list of the traits kept (its memory reused line after line; emptied there).
    var keptTraits: [WalkTrait] = []
    /// Selected arrays seen: array index (into the trie's array paths), shape and element count.
    var arrays: [(array: Int32, shape: ArrayShape, count: Int32)] = []
    /// Selected element values: array index, element index, selection index (the element path) and value.
    var elements: [(array: Int32, element: Int32, selection: Int32, value: RawScalar)] = []
    /// The line's `context.consent.categoryPreferences` is an empty object `{}`.
    var consentCleared = false
    /// Captured answers (key as written, value), in document order.
    var answers: [(key: TextRef, value: RawScalar)] = []
    /// The chunk's string table (byte path only; cleared with the arena, per chunk).
    var texts = ChunkStrings()

    /// Clears the per-line lists (the arena keeps growing over the chunk). Only lists that hold something are
    /// cleared: `removeAll(keepingCapacity:)` is a `replaceSubrange` call even on an empty array, and most lines use
    /// few of these lists.
    @inline(__always) mutating func startLine() {
        consentCleared = false
        if !answers.isEmpty { answers.removeAll(keepingCapacity: true) }
        if !preferences.isEmpty { preferences.removeAll(keepingCapacity: true) }
        if !allowed.isEmpty { allowed.removeAll(keepingCapacity: true) }
        if !denied.isEmpty { denied.removeAll(keepingCapacity: true) }
        if !properties.isEmpty { properties.removeAll(keepingCapacity: true) }
        if !traits.isEmpty { traits.removeAll(keepingCapacity: true) }
        if !pathNodes.isEmpty { pathNodes.removeAll(keepingCapacity: true) }
        if !finalTraits.isEmpty { finalTraits.removeAll(keepingCapacity: true) }
        if !arrays.isEmpty { arrays.removeAll(keepingCapacity: true) }
        if !elements.isEmpty { elements.removeAll(keepingCapacity: true) }
    }

    @inline(__always) func equal(_ a: TextRef, _ b: TextRef) -> Bool {
        guard a.count == b.count else { return false }
        if a.count <= 0 || a.start == b.start { return true }
        return arena.withUnsafeBytes { memcmp($0.baseAddress! + Int(a.start), $0.baseAddress! + Int(b.start), Int(a.count)) == 0 }
    }

    func string(_ t: TextRef) -> String {
        arena.withUnsafeBytes { String(decoding: UnsafeRawBufferPointer(rebasing: $0[t.range]), as: UTF8.self) }
    }

    func string(_ t: TextRef) -> String? { t.isAbsent ? nil : string(t) as String }
}

/// Where a value sits relative to a traits object.
enum TraitPosition {
    /// The traits object itself: its members are top-level traits.
    case root(TraitSource)
    /// A value inside traits: its path node.
    case path(Int32, TraitSource)
}

/// The event time field as last seen in the line.
enum TimeSlot {
    case absent
    case valid(Int64)
    case invalid(value: String, problem: String)
    /// A valid time without a zone (``ReaderOptions/assumeUTC`` off).
    case zoneless(value: String)

    /// Absent or valid: holds no string (nothing to release when overwritten).
    @inline(__always) var isTrivial: Bool {
        switch self {
        case .absent, .valid: return true
        case .invalid, .zoneless: return false
        }
    }

    /// `slot = v`, without the outlined release of the old value when it holds no string (nearly always).
    @inline(__always) static func store(_ v: __owned TimeSlot, in slot: inout TimeSlot) {
        if slot.isTrivial {
            withUnsafeMutablePointer(to: &slot) { $0.initialize(to: v) }
        } else {
            slot = v
        }
    }
}

/// The kept string fields of a walk (``EventField/isStringField``), each in the slot of its ``EventField/rawValue``
/// (absent until set; the other fields' slots stay unused).
struct FieldTexts {
    private var slots: (TextRef, TextRef, TextRef, TextRef, TextRef, TextRef, TextRef, TextRef,
                        TextRef, TextRef, TextRef, TextRef, TextRef, TextRef, TextRef, TextRef)
    /// The number of slots: every kept string field's raw value is below it.
    @inline(__always) static var count: Int { 16 }

    /// Every field absent.
    init() {
        let a = TextRef.absent
        slots = (a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a)
    }

    /// The text of kept string field `field` (``EventField/isKeptText``).
    @inline(__always) subscript(_ field: EventField) -> TextRef {
        get {
            precondition(Int(field.rawValue) < Self.count)
            return withUnsafeBytes(of: slots) { $0.load(fromByteOffset: Int(field.rawValue) &* MemoryLayout<TextRef>.stride, as: TextRef.self) }
        }
        set {
            precondition(Int(field.rawValue) < Self.count)
            withUnsafeMutableBytes(of: &slots) {
                $0.storeBytes(of: newValue, toByteOffset: Int(field.rawValue) &* MemoryLayout<TextRef>.stride, as: TextRef.self)
            }
        }
    }
}

/// The state of parsing one line: the scanner plus the fields found so far (duplicate keys: last wins).
/// Kept strings are copied (unescaped) into the arena of `buf`; no `String` is made on the way.
struct EventWalk {
    let trie: TrieView
    /// The trie's child lookup (``TrieView/lookup``), kept apart: small enough to use in place.
    let lookup: TrieLookup
    let paths: [String]
    let arrayPaths: [String]
    /// Whether lists inside traits are kept as element traits (`children[0].age`; see ``FieldSelection/traitLists``).
    let traitLists: Bool
    var s: JSONScanner
    var buf = WalkBuffers()
    /// Earlier lines' results reused when the bytes repeat (one chunk).
    let memo = WalkMemo()

    var kind: EventKind?
    /// The kept string fields (``EventField/isStringField``), one slot per field: ``setString(_:_:)`` stores a kept
    /// field by its raw value instead of a `switch` over the fields.
    var texts = FieldTexts()
    var messageId: TextRef { get { texts[.messageId] } set { texts[.messageId] = newValue } }
    var userId: TextRef { get { texts[.userId] } set { texts[.userId] = newValue } }
    var anonymousId: TextRef { get { texts[.anonymousId] } set { texts[.anonymousId] = newValue } }
    var event: TextRef { get { texts[.event] } set { texts[.event] = newValue } }
    var name: TextRef { get { texts[.name] } set { texts[.name] = newValue } }
    var category: TextRef { get { texts[.category] } set { texts[.category] = newValue } }
    var previousId: TextRef { get { texts[.previousId] } set { texts[.previousId] = newValue } }
    var timezone: TextRef { get { texts[.timezone] } set { texts[.timezone] = newValue } }
    var propertiesPath: TextRef { get { texts[.propertiesPath] } set { texts[.propertiesPath] = newValue } }
    var contextPagePath: TextRef { get { texts[.contextPagePath] } set { texts[.contextPagePath] = newValue } }
    var propertiesCategory: TextRef { get { texts[.propertiesCategory] } set { texts[.propertiesCategory] = newValue } }
    var times: (TimeSlot, TimeSlot, TimeSlot) = (.absent, .absent, .absent)
    let assumeUTC: Bool
    /// Set when a trait path broke a limit (the line is then malformed).
    var traitLimit: String?
    /// Set when the arena would pass 2 GiB (its offsets are 32-bit).
    var arenaFull = false
    /// While walking an element of a selected array: its array index and element index (-1: not in one).
    var elementArray: Int32 = -1
    var elementIndex: Int32 = 0
    /// The answer captures of the parser (see ``FieldSelection/captures``).
    var captures: [CaptureRule] = []
    /// The keys each object is expected to have next, learned from the lines before (off unless ``EventLineParser``'s
    /// `withWalk` turns them on).
    var predictions = KeyPredictions()

    init(trie: TrieView, paths: [String], arrayPaths: [String] = [], traitLists: Bool = false, scanner: JSONScanner,
         assumeUTC: Bool = false) {
        self.trie = trie
        self.lookup = trie.lookup
        self.paths = paths
        self.arrayPaths = arrayPaths
        self.traitLists = traitLists
        self.s = scanner
        self.assumeUTC = assumeUTC
    }

    /// Starts a line: the scanner over its bytes, every per-line field as a fresh walk has it (the arena and the
    /// chunk's string table are kept).
    @inline(__always) mutating func startLine(_ scanner: JSONScanner) {
        s = scanner
        buf.startLine()
        // The arena unshared once here, so that the appends of the line skip the check (``ByteArena/appendOwned``).
        buf.arena.makeUnique()
        kind = nil
        texts = FieldTexts()
        // Without the release of the old slots when none holds a string (every line but a malformed time's): the
        // generic assignment of the enum tuple was an outlined call per line.
        if times.0.isTrivial && times.1.isTrivial && times.2.isTrivial {
            withUnsafeMutablePointer(to: &times) { $0.initialize(to: (.absent, .absent, .absent)) }
        } else {
            times = (.absent, .absent, .absent)
        }
        traitLimit = nil
        arenaFull = false
        elementArray = -1
        elementIndex = 0
    }

    // MARK: Arena

    /// Copies the (unescaped) string of token `t` into the arena.
    @inline(__always) mutating func keep(_ t: StringToken) -> TextRef {
        let start = buf.arena.count
        if _slowPath(!buf.arena.fits(t.end - t.start)) {
            arenaFull = true
            return TextRef(start: 0, count: 0)
        }
        if _fastPath(!t.hasEscapes) {
            buf.arena.appendOwned(UnsafeRawPointer(s.b.baseAddress! + t.start), count: t.end - t.start)
        } else {
            var text = s.string(t)
            text.withUTF8 { buf.arena.append(contentsOf: $0) }
        }
        return TextRef(start: Int32(truncatingIfNeeded: start), count: Int32(truncatingIfNeeded: buf.arena.count - start))
    }

    /// The path node of `parent.key` (or `key` under the root); nil (and ``traitLimit`` set) when the
    /// path is too long or too deep.
    mutating func childPath(_ parent: TraitPosition, _ key: StringToken) -> TraitPosition? {
        var parentNode: Int32 = -1, length = 0, depth = 0
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        let source: TraitSource
        switch parent {
        case .root(let src): source = src
        case .path(let p, let src):
            source = src
            parentNode = p
            let n = buf.pathNodes[Int(p)]
            length = Int(n.length) + 1
            depth = Int(n.depth)
            hash = (n.hash ^ 0x2E) &* 0x0000_0100_0000_01B3
        }
        let k = keep(key)
        length += Int(k.count)
        depth += 1
        if length > EventLineParser.maxTraitPathBytes {
            traitLimit = "a trait path of more than \(EventLineParser.maxTraitPathBytes) bytes"
            return nil
        }
        if depth > EventLineParser.maxTraitDepth {
            traitLimit = "traits nested more than \(EventLineParser.maxTraitDepth) levels deep"
            return nil
        }
        buf.arena.withUnsafeBufferPointer { a in
            for i in k.range { hash = (hash ^ UInt64(a[i])) &* 0x0000_0100_0000_01B3 }
        }
        buf.pathNodes.append(TraitPathNode(parent: parentNode, key: k, length: Int32(length), depth: Int32(depth), hash: hash))
        return .path(Int32(buf.pathNodes.count - 1), source)
    }

    /// The path node of element `index` of the list at trait path `parent` (`children` → `children[2]`); nil (and
    /// ``traitLimit`` set) when the path is too long or too deep.
    mutating func elementPath(_ parent: Int32, _ source: TraitSource, index: Int) -> TraitPosition? {
        let n = buf.pathNodes[Int(parent)]
        let start = buf.arena.count
        guard buf.arena.fits(24) else { arenaFull = true; return nil }
        buf.arena.append(UInt8(ascii: "["))
        var digits = String(index)
        digits.withUTF8 { buf.arena.append(contentsOf: $0) }
        buf.arena.append(UInt8(ascii: "]"))
        let k = TextRef(start: Int32(start), count: Int32(buf.arena.count - start))
        let length = Int(n.length) + Int(k.count), depth = Int(n.depth) + 1
        if length > EventLineParser.maxTraitPathBytes {
            traitLimit = "a trait path of more than \(EventLineParser.maxTraitPathBytes) bytes"
            return nil
        }
        if depth > EventLineParser.maxTraitDepth {
            traitLimit = "traits nested more than \(EventLineParser.maxTraitDepth) levels deep"
            return nil
        }
        var hash = n.hash
        buf.arena.withUnsafeBufferPointer { a in
            for i in k.range { hash = (hash ^ UInt64(a[i])) &* 0x0000_0100_0000_01B3 }
        }
        buf.pathNodes.append(TraitPathNode(parent: parent, key: k, length: Int32(length), depth: Int32(depth), hash: hash,
                                           isElement: true))
        return .path(Int32(buf.pathNodes.count - 1), source)
    }

    /// The elements of a list inside traits at path node `parent`, each as the traits under `parent[i]`.
    mutating func traitElements(_ parent: Int32, _ source: TraitSource, depth: Int) throws(JSONSyntaxError) {
        guard try s.arrayStart(depth: depth) else { return }
        var index = 0
        repeat {
            if let child = elementPath(parent, source, index: index) {
                try value(node: -1, depth: depth, trait: child)
            } else {
                try s.skipValue(depth: depth)
            }
            index += 1
        } while try s.arrayNext()
    }

    /// Whether two path nodes spell the same dotted path.
    /// `mutating` only so that the walk is passed by reference: a non-mutating method called from the walk's mutating
    /// ones received a copy of the whole walk (≈ 700 bytes, a `memcpy` per call).
    mutating func samePath(_ a: Int32, _ b: Int32) -> Bool {
        var a = a, b = b
        while true {
            if a == b { return true }
            if a < 0 || b < 0 { return false }
            let na = buf.pathNodes[Int(a)], nb = buf.pathNodes[Int(b)]
            guard na.hash == nb.hash, na.length == nb.length, na.isElement == nb.isElement, buf.equal(na.key, nb.key) else { return false }
            a = na.parent
            b = nb.parent
        }
    }

    /// Writes the dotted path of `node` into the arena.
    mutating func materialise(_ node: Int32) -> TextRef {
        let n = buf.pathNodes[Int(node)]
        if n.parent < 0 { return n.key }
        let start = buf.arena.count
        guard buf.arena.fits(Int(n.length)) else { arenaFull = true; return TextRef(start: 0, count: 0) }
        let out = buf.arena.appendUninitializedOwned(Int(n.length))
        // The pieces are earlier bytes of the arena (never moved by the append above: it only grows the end).
        buf.arena.withUnsafeBufferPointer { a in
            var end = Int(n.length)
            var at = node
            while at >= 0 {
                let piece = buf.pathNodes[Int(at)]
                let c = Int(piece.key.count)
                for i in 0 ..< c { out[end - c + i] = a[Int(piece.key.start) + i] }
                end -= c
                if piece.parent >= 0 && !piece.isElement { end -= 1; out[end] = UInt8(ascii: ".") }
                at = piece.parent
            }
        }
        return TextRef(start: Int32(start), count: n.length)
    }

    // MARK: Walking

    /// At `{` of an object at nesting level `depth` whose trie node is `node` (-1: none).
    mutating func object(node: Int32, depth: Int, trait: TraitPosition?) throws(JSONSyntaxError) {
        guard try s.objectStartFast(depth: depth) else { return }
        let capturing = node >= 0 && trait == nil && trie.captureParent[Int(node)]
        // The slot predicting the next key (``KeyPredictions``; -1: none).
        var slot: Int32 = node >= 0 ? predictions.first(of: node) : -1
        repeat {
            var key: StringToken
            var child: Int32 = -1
            // The candidate that matched (nil: the key was scanned and looked up).
            var hit: UnsafeMutablePointer<PredictedKey>? = nil
            if slot >= 0 {
                let p = predictions.candidates(slot)
                if let k = s.predictedKey(p) {
                    key = k; hit = p
                } else if let k = s.predictedKey(p + 1) {
                    key = k; hit = p + 1
                } else {
                    key = try s.objectKeyFast()
                    child = lookup.child(of: node, key: key, in: s)
                    predictions.learn(slot, key: key, child: child, in: s)
                }
                if let hit { child = hit.pointee.child }
            } else {
                key = try s.objectKeyFast()
                child = node >= 0 ? lookup.child(of: node, key: key, in: s) : -1
            }
            slot = child >= 0 ? predictions.after(child) : slot >= 0 ? predictions.chain(slot) : -1
            if capturing && (child < 0 || (trie.field[Int(child)] == .none && !trie.hasChildren(child))),
               capturedKey(node, key, hit) {
                try capture(key, selection: child >= 0 ? trie.selection[Int(child)] : -1, depth: depth)
                continue
            }
            if let trait {
                guard let childTrait = childPath(trait, key) else {
                    try s.skipValue(depth: depth)
                    continue
                }
                try value(node: child, depth: depth, trait: childTrait)
            } else if child < 0 {
                // What value(node: -1, …, trait: nil) does; a string (the common case) by the inlined scan.
                if !s.atEnd && s.peek == UInt8(ascii: "\"") { _ = try s.scanStringFast() } else { try s.skipValue(depth: depth) }
            } else if !s.atEnd && s.peek == UInt8(ascii: "\"") && trie.arrayIndex[Int(child)] < 0 {
                // value()'s string case for a member outside traits whose node is no selected list, inlined here:
                // most members of an event are strings.
                try stringMember(field: trie.field[Int(child)], selection: trie.selection[Int(child)])
            } else if !s.atEnd && s.peek == UInt8(ascii: "{") && trie.field[Int(child)] == .none
                        && trie.arrayIndex[Int(child)] < 0 && trie.hasChildren(child) {
                // value()'s object case for a member outside traits with no built-in field and no selected list (most
                // nested objects: `properties`, `context`, `page`…), inlined here: its members walked at once (a field
                // of `.none` sets nothing for a value that is not a string).
                try object(node: child, depth: depth + 1, trait: nil)
                let selection = trie.selection[Int(child)]
                if selection >= 0 { setProperty(selection, .composite) }
            } else {
                try value(node: child, depth: depth, trait: nil)
            }
        } while try s.objectNextFast()
    }

    /// At `"` of a member's string value outside traits: ``value(node:depth:trait:)``'s string case for `trait` nil.
    @inline(__always) mutating func stringMember(field: EventField, selection: Int32) throws(JSONSyntaxError) {
        let token = try s.scanStringFast()
        var kept = TextRef.absent
        if field != .none { kept = setString(field, token) }
        if selection >= 0 {
            if kept.isAbsent { kept = keep(token) }
            setProperty(selection, .string(kept))
        }
    }

    /// At a value inside a container at nesting level `depth`; `node` is its trie node (-1: none) and
    /// `trait` its place inside a traits object (nil: outside).
    mutating func value(node: Int32, depth: Int, trait: TraitPosition?) throws(JSONSyntaxError) {
        if node < 0 && trait == nil {
            try s.skipValue(depth: depth)
            return
        }
        let field = node >= 0 ? trie.field[Int(node)] : .none
        let selection = node >= 0 ? trie.selection[Int(node)] : -1
        guard !s.atEnd else { throw JSONSyntaxError(.unexpectedEnd, at: s.pos) }
        let start = s.pos
        // A selected list (not RudderStack's consent id lists, which keep their own meaning).
        let array = node >= 0 && elementArray < 0 && field != .consentAllowed && field != .consentDenied
            ? trie.arrayIndex[Int(node)] : -1
        if array >= 0 {
            let c = s.peek
            let shape: ArrayShape = c == UInt8(ascii: "[") ? .array : c == UInt8(ascii: "{") ? .object
                : c == UInt8(ascii: "n") ? .null : .scalar
            setArray(array, shape: shape)
            if shape == .array {
                try elements(of: array, root: trie.elementRoot[Int(node)], depth: depth + 1)
                setNonString(field, start: start)
                if selection >= 0 { setProperty(selection, .composite) }
                if case .path(let p, let src)? = trait { addTrait(p, .composite, src) }
                return
            }
        }
        if traitLists, s.peek == UInt8(ascii: "["), case .path(let p, let src)? = trait,
           field != .consentAllowed && field != .consentDenied {
            // A list inside traits: the list itself (composite), then its elements as `list[i]…` traits.
            addTrait(p, .composite, src)
            if selection >= 0 { setProperty(selection, .composite) }
            try traitElements(p, src, depth: depth + 1)
            setNonString(field, start: start)
            return
        }
        switch s.peek {
        case UInt8(ascii: "{"):
            switch field {
            case .consentPreferences:
                // Emptied only when not empty: `removeAll(keepingCapacity:)` is a `replaceSubrange` call even on an empty
                // list, and the list is nearly always empty here (once per line, after `startLine`).
                if !buf.preferences.isEmpty { buf.preferences.removeAll(keepingCapacity: true) }
                try consentPreferences(node: node, depth: depth + 1)
            case .consentAllowed:
                if !buf.allowed.isEmpty { buf.allowed.removeAll(keepingCapacity: true) }
                try consentObject(depth: depth + 1, into: \.allowed)
            case .consentDenied:
                if !buf.denied.isEmpty { buf.denied.removeAll(keepingCapacity: true) }
                try consentObject(depth: depth + 1, into: \.denied)
            case .traits, .contextTraits, .setTraits, .setOnceTraits:
                let source = field.traitSource!
                buf.traits.removeAll { $0.source == source }
                try object(node: node, depth: depth + 1, trait: .root(source))
            default:
                if trait != nil || trie.hasChildren(node) {
                    try object(node: node, depth: depth + 1, trait: trait)
                } else {
                    try s.skipValue(depth: depth)
                }
                setNonString(field, start: start)
            }
            if selection >= 0 { setProperty(selection, .composite) }
        case UInt8(ascii: "["):
            if field == .consentAllowed {
                if !buf.allowed.isEmpty { buf.allowed.removeAll(keepingCapacity: true) }
                try stringArray(depth: depth + 1, into: \.allowed)
            } else if field == .consentDenied {
                if !buf.denied.isEmpty { buf.denied.removeAll(keepingCapacity: true) }
                try stringArray(depth: depth + 1, into: \.denied)
            } else {
                try s.skipValue(depth: depth)
                setNonString(field, start: start)
            }
            if selection >= 0 { setProperty(selection, .composite) }
            if case .path(let p, let src)? = trait { addTrait(p, .composite, src) }
        case UInt8(ascii: "\""):
            let token = try s.scanStringFast()
            var kept = TextRef.absent
            if field != .none { kept = setString(field, token) }
            if selection >= 0 || trait != nil {
                if kept.isAbsent { kept = keep(token) }
                let v = RawScalar.string(kept)
                if selection >= 0 { setProperty(selection, v) }
                if case .path(let p, let src)? = trait { addTrait(p, v, src) }
            }
        default:
            if field.isIdField && (s.peek == UInt8(ascii: "-") || s.peek &- 48 < 10) {
                // A number: the id is its text as JavaScript would print it (`1234`, not `1234.0`).
                let token = try s.scanNumber()
                let id = keepNumberText(token)
                switch field {
                case .userId: userId = id
                case .anonymousId: anonymousId = id
                default: previousId = id
                }
                let v = RawScalar.number(s.number(token))
                if selection >= 0 { setProperty(selection, v) }
                if case .path(let p, let src)? = trait { addTrait(p, v, src) }
            } else if selection >= 0 || trait != nil {
                let v = RawScalar(try s.scalarValue())
                if selection >= 0 { setProperty(selection, v) }
                if case .path(let p, let src)? = trait { addTrait(p, v, src) }
                setNonString(field, start: start)
            } else {
                try s.skipValue(depth: depth)
                setNonString(field, start: start)
            }
        }
    }

    /// The number `t` as JavaScript's `String(n)` writes it: an integer without `.0` (`1234`, `-7`,
    /// `12345678901234567890` kept digit for digit), a fraction in shortest round-trip form (`12.5`).
    mutating func keepNumberText(_ t: NumberToken) -> TextRef {
        var text: String
        if t.isInteger {
            text = String(decoding: UnsafeBufferPointer(rebasing: s.b[t.start ..< t.end]), as: UTF8.self)
            if text == "-0" { text = "0" }
        } else {
            text = Self.javaScriptNumberText(s.number(t))
        }
        let start = buf.arena.count
        guard buf.arena.fits(text.utf8.count) else { arenaFull = true; return TextRef(start: 0, count: 0) }
        text.withUTF8 { buf.arena.append(contentsOf: $0) }
        return TextRef(start: Int32(start), count: Int32(buf.arena.count - start))
    }

    /// `d` as JavaScript prints it for the common cases: integral values below 2^63 without a fraction,
    /// others in Swift's shortest round-trip form (which JavaScript's matches for ordinary magnitudes).
    static func javaScriptNumberText(_ d: Double) -> String {
        if d.isFinite && d == d.rounded() && abs(d) < 9.2e18 { return String(Int64(d)) }
        return d.description
    }

    /// Whether a capture rule of object `node` takes `key`.
    /// `mutating` only so that the walk is passed by reference: a non-mutating method called from the walk's mutating
    /// ones received a copy of the whole walk (≈ 700 bytes, a `memcpy` per call).
    mutating func capturedKey(_ node: Int32, _ key: StringToken) -> Bool {
        if key.hasEscapes {
            var text = s.string(key)
            return text.withUTF8 { k in captures.contains { $0.node == node && $0.matches(k) } }
        }
        let k = UnsafeBufferPointer(rebasing: s.b[key.start ..< key.end])
        return captures.contains { $0.node == node && $0.matches(k) }
    }

    /// ``capturedKey(_:_:)``, remembered in the predicted key `hit` that matched the key (nil: asked every time): the
    /// verdict depends only on the object's node and the key's bytes, which a match confirmed.
    @inline(__always) mutating func capturedKey(_ node: Int32, _ key: StringToken,
                                                _ hit: UnsafeMutablePointer<PredictedKey>?) -> Bool {
        guard let hit else { return capturedKey(node, key) }
        if hit.pointee.captured < 0 { hit.pointee.captured = capturedKey(node, key) ? 1 : 0 }
        return hit.pointee.captured == 1
    }

    /// A captured key's value: a scalar is one answer (null: none), an array one answer per scalar element;
    /// an object is validated and skipped. A selected path with the same key still gets its value.
    mutating func capture(_ key: StringToken, selection: Int32, depth: Int) throws(JSONSyntaxError) {
        let name = keep(key)
        guard !s.atEnd else { throw JSONSyntaxError(.unexpectedEnd, at: s.pos) }
        switch s.peek {
        case UInt8(ascii: "{"):
            try s.skipValue(depth: depth)
            if selection >= 0 { setProperty(selection, .composite) }
        case UInt8(ascii: "["):
            if try s.arrayStart(depth: depth + 1) {
                repeat {
                    guard !s.atEnd else { throw JSONSyntaxError(.unexpectedEnd, at: s.pos) }
                    let c = s.peek
                    if c == UInt8(ascii: "\"") {
                        buf.answers.append((name, .string(keep(try s.scanString()))))
                    } else if c == UInt8(ascii: "{") {
                        try captureItem(depth: depth + 2)
                    } else if c == UInt8(ascii: "[") {
                        try s.skipValue(depth: depth + 1)
                    } else {
                        let v = try s.scalarValue()
                        if v != .null { buf.answers.append((name, RawScalar(v))) }
                    }
                } while try s.arrayNext()
            }
            if selection >= 0 { setProperty(selection, .composite) }
        case UInt8(ascii: "\""):
            let v = RawScalar.string(keep(try s.scanString()))
            buf.answers.append((name, v))
            if selection >= 0 { setProperty(selection, v) }
        default:
            let scalar = try s.scalarValue()
            if scalar != .null { buf.answers.append((name, RawScalar(scalar))) }
            if selection >= 0 { setProperty(selection, RawScalar(scalar)) }
        }
    }

    /// An object in a captured list, as survey tools write a list of answers (SatisMeter's
    /// `{"id": "…", "label": "…", "value": 5}`): its `value` (a scalar, or a list of scalars) is an answer whose key is
    /// the object's `id` (a non-empty string); an object without one is skipped. At `{` of nesting level `depth`.
    mutating func captureItem(depth: Int) throws(JSONSyntaxError) {
        guard try s.objectStart(depth: depth) else { return }
        var id = TextRef.absent
        var values: [RawScalar] = []
        func isKey(_ t: StringToken, _ word: String) -> Bool {
            if t.hasEscapes { return s.string(t) == word }
            return t.end - t.start == word.utf8.count && s.b[t.start ..< t.end].elementsEqual(word.utf8)
        }
        repeat {
            let key = try s.objectKey()
            guard !s.atEnd else { throw JSONSyntaxError(.unexpectedEnd, at: s.pos) }
            let c = s.peek
            if isKey(key, "id"), c == UInt8(ascii: "\"") {
                id = keep(try s.scanString())
            } else if isKey(key, "value"), c != UInt8(ascii: "{") {
                values.removeAll()
                if c == UInt8(ascii: "[") {
                    if try s.arrayStart(depth: depth + 1) {
                        repeat {
                            guard !s.atEnd else { throw JSONSyntaxError(.unexpectedEnd, at: s.pos) }
                            let e = s.peek
                            if e == UInt8(ascii: "\"") { values.append(.string(keep(try s.scanString()))) }
                            else if e == UInt8(ascii: "{") || e == UInt8(ascii: "[") { try s.skipValue(depth: depth + 1) }
                            else { let v = try s.scalarValue(); if v != .null { values.append(RawScalar(v)) } }
                        } while try s.arrayNext()
                    }
                } else if c == UInt8(ascii: "\"") {
                    values.append(.string(keep(try s.scanString())))
                } else {
                    let v = try s.scalarValue()
                    if v != .null { values.append(RawScalar(v)) }
                }
            } else {
                try s.skipValue(depth: depth)
            }
        } while try s.objectNext()
        guard !id.isBlank else { return }
        for v in values { buf.answers.append((id, v)) }
    }

    /// `context.consent.categoryPreferences` (trie node `node`): boolean members only, in document order.
    /// An object of the same bytes at the same place as one of the last few (``WalkMemo``) gives what that one gave
    /// (preferences, property calls and the bytes kept in the arena) without being walked again.
    mutating func consentPreferences(node: Int32, depth: Int) throws(JSONSyntaxError) {
        buf.consentCleared = false
        if rememberedPreferences(node: node, depth: depth) { return }
        let start = s.pos, arenaStart = buf.arena.count
        // Whether the object can be remembered: only boolean members (the others may do anything), few of them.
        var plain = true, members = 0
        let calls = memo.consentProperties + WalkMemo.consentMembers * WalkMemo.consentSlots  // the scratch slot
        var called = 0
        guard try s.objectStart(depth: depth) else { buf.consentCleared = true; return }
        repeat {
            let key = try s.objectKeyFast()
            let child = lookup.child(of: node, key: key, in: s)
            guard !s.atEnd else { throw JSONSyntaxError(.unexpectedEnd, at: s.pos) }
            let c = s.peek
            members += 1
            if c == UInt8(ascii: "t") || c == UInt8(ascii: "f") {
                let granted = c == UInt8(ascii: "t")
                if granted { try s.literal(0x74_72_75_65, 4) } else { try s.literal(0x66_61_6C_73_65, 5) }
                buf.preferences.append((keep(key), granted))
                if child >= 0 && trie.selection[Int(child)] >= 0 {
                    setProperty(trie.selection[Int(child)], .bool(granted))
                    if members <= WalkMemo.consentMembers { calls[called] = (trie.selection[Int(child)], granted); called += 1 }
                }
            } else {
                plain = false
                try value(node: child, depth: depth, trait: nil)
            }
        } while try s.objectNextFast()
        // A repeated key: the last one wins, at its own position. Decided once after the object, in linear time
        // (a hostile line with 160,000 categories must not cost a search per member).
        if buf.preferences.count > 1 { dropRepeatedPreferences() }
        if plain && members <= WalkMemo.consentMembers && s.pos - start <= WalkMemo.consentBytes && !arenaFull {
            remember(node: node, depth: depth, start: start, arenaStart: arenaStart, properties: called)
        }
    }

    /// Remembers the consent-preferences object just walked (bytes `start ..< s.pos`, trie node `node`, level `depth`;
    /// it kept arena bytes `arenaStart...`): its preferences (now in `buf.preferences`) and its first `properties`
    /// property calls (in the scratch slot).
    mutating func remember(node: Int32, depth: Int, start: Int, arenaStart: Int, properties: Int) {
        let k = memo.consentNext.pointee
        memo.consentNext.pointee = (k + 1) % WalkMemo.consentSlots
        let length = s.pos - start, kept = buf.arena.count - arenaStart
        memo.consent[k] = WalkMemo.ConsentSlot(node: node, depth: Int32(depth), length: Int32(length), kept: Int32(kept),
                                               preferences: Int32(buf.preferences.count), properties: Int32(properties))
        (memo.consentText + WalkMemo.consentBytes * k).update(from: s.b.baseAddress! + start, count: length)
        if kept > 0 {
            (memo.consentKept + WalkMemo.consentBytes * k)
                .update(from: buf.arena.baseAddress!.assumingMemoryBound(to: UInt8.self) + arenaStart, count: kept)
        }
        let out = memo.consentPreferences + WalkMemo.consentMembers * k
        for (i, p) in buf.preferences.enumerated() {
            out[i] = (TextRef(start: p.category.start - Int32(arenaStart), count: p.category.count), p.granted)
        }
        (memo.consentProperties + WalkMemo.consentMembers * k)
            .update(from: memo.consentProperties + WalkMemo.consentMembers * WalkMemo.consentSlots, count: properties)
    }

    /// Whether the object at `{` is one remembered by ``remember(node:depth:start:arenaStart:properties:)`` at the same
    /// node and level, compared byte by byte; if so, what walking it would do is done again: the bytes it kept are
    /// appended to the arena, its preferences (on those bytes) and property calls are given again, and the scanner
    /// moves past it. Not when the arena might be too full for them (the walk then decides, see ``EventWalk/keep(_:)``).
    mutating func rememberedPreferences(node: Int32, depth: Int) -> Bool {
        let available = s.b.count - s.pos
        let last = memo.consentNext[1]
        for j in 0 ..< WalkMemo.consentSlots {
            let k = j == 0 ? last : (j == last ? 0 : j)  // the last hit first
            let slot = memo.consent[k]
            let n = Int(slot.length)
            guard n > 0, slot.node == node, Int(slot.depth) == depth, n <= available,
                  memcmp(memo.consentText + WalkMemo.consentBytes * k, s.b.baseAddress! + s.pos, n) == 0 else { continue }
            // The object's keys are at most its length: when that fits, every `keep` of the walk would have.
            guard buf.arena.fits(n) else { return false }
            memo.consentNext[1] = k
            let base = Int32(buf.arena.count)
            buf.arena.appendOwned(UnsafeRawPointer(memo.consentKept + WalkMemo.consentBytes * k), count: Int(slot.kept))
            // One plain append per preference, moved onto the bytes just appended (`append(contentsOf:)` of the
            // remembered ones, then a pass moving them, cost twice as much for the usual 3–4 preferences).
            let remembered = memo.consentPreferences + WalkMemo.consentMembers * k
            for i in 0 ..< Int(slot.preferences) {
                var p = remembered[i]
                p.category.start += base
                buf.preferences.append(p)
            }
            let calls = memo.consentProperties + WalkMemo.consentMembers * k
            for i in 0 ..< Int(slot.properties) { setProperty(calls[i].selection, .bool(calls[i].granted)) }
            s.pos += n
            return true
        }
        return false
    }

    /// Keeps the preferences whose category does not occur again later, in order, in place. Up to 16 entries (every
    /// real line) by comparing pairs, without allocating; more by a set of the categories (``lastOccurrences(_:)``).
    mutating func dropRepeatedPreferences() {
        let n = buf.preferences.count
        guard n <= 16 else { buf.preferences = lastOccurrences(buf.preferences); return }
        let a = buf.arena.baseAddress  // not mutated below
        let kept: Int = buf.preferences.withUnsafeMutableBufferPointer { p in
            var w = 0
            for i in 0 ..< n {
                let c = p[i].category
                var later = false
                for j in (i + 1) ..< n {
                    let d = p[j].category
                    if d.count == c.count && (c.count <= 0 || c.start == d.start
                        || memcmp(a! + Int(c.start), a! + Int(d.start), Int(c.count)) == 0) {
                        later = true
                        break
                    }
                }
                if !later { p[w] = p[i]; w += 1 }
            }
            return w
        }
        if kept < n { buf.preferences.removeLast(n - kept) }
    }

    /// The entries whose category does not occur again later, in order.
    func lastOccurrences(_ list: [(category: TextRef, granted: Bool)]) -> [(category: TextRef, granted: Bool)] {
        var keep = [Bool](repeating: true, count: list.count)
        if list.count <= 16 {
            for i in list.indices {
                for j in (i + 1) ..< list.count where buf.equal(list[i].category, list[j].category) { keep[i] = false; break }
            }
        } else {
            var seen = Set<[UInt8]>()
            seen.reserveCapacity(list.count)
            for i in list.indices.reversed() {
                let t = list[i].category
                let bytes = buf.arena[t.range]
                if !seen.insert(bytes).inserted { keep[i] = false }
            }
        }
        var out: [(category: TextRef, granted: Bool)] = []
        out.reserveCapacity(list.count)
        for i in list.indices where keep[i] { out.append(list[i]) }
        return out
    }

    /// An array's string elements (others are validated and ignored), appended to a list of `buf`.
    mutating func stringArray(depth: Int, into list: WritableKeyPath<WalkBuffers, [(id: TextRef, label: TextRef)]>) throws(JSONSyntaxError) {
        guard try s.arrayStart(depth: depth) else { return }
        repeat {
            if !s.atEnd && s.peek == UInt8(ascii: "\"") {
                let t = keep(try s.scanString())
                buf[keyPath: list].append((t, .absent))
            } else {
                try s.skipValue(depth: depth)
            }
        } while try s.arrayNext()
    }

    /// RudderStack's older consent form `{"C0001": "Functional Cookies"}` (rudder-sdk-js before v3):
    /// each key is a category id, a string value its label; in document order, a repeated key last.
    mutating func consentObject(depth: Int, into list: WritableKeyPath<WalkBuffers, [(id: TextRef, label: TextRef)]>) throws(JSONSyntaxError) {
        guard try s.objectStart(depth: depth) else { return }
        repeat {
            let id = keep(try s.objectKey())
            guard !s.atEnd else { throw JSONSyntaxError(.unexpectedEnd, at: s.pos) }
            var label = TextRef.absent
            if s.peek == UInt8(ascii: "\"") {
                label = keep(try s.scanString())
            } else {
                try s.skipValue(depth: depth)
            }
            if let i = buf[keyPath: list].firstIndex(where: { buf.equal($0.id, id) }) {
                buf[keyPath: list].remove(at: i)
            }
            buf[keyPath: list].append((id, label))
        } while try s.objectNext()
    }

    // MARK: Recording

    /// Records a string field; returns the kept text (absent for fields kept in another form).
    /// A kept string field (most calls) is one `keep` and one store into its slot of ``texts``; the other fields go to
    /// ``setOtherString(_:_:)``. Not inlined: inlined, it pushed the object loop's string member out of line (a call per
    /// string member instead of one per kept field).
    @inline(never) mutating func setString(_ field: EventField, _ t: StringToken) -> TextRef {
        if _fastPath(field.isKeptText) {
            let kept = keep(t)
            texts[field] = kept
            return kept
        }
        return setOtherString(field, t)
    }

    /// ``setString(_:_:)`` for a field that is not a kept string (``EventField/isKeptText`` false).
    @inline(never) mutating func setOtherString(_ field: EventField, _ t: StringToken) -> TextRef {
        switch field {
        case .type: kind = kindOf(t); return .absent
        case .messageId, .userId, .anonymousId, .event, .name, .category, .previousId, .timezone, .propertiesPath,
             .contextPagePath, .propertiesCategory:
            let kept = keep(t)
            texts[field] = kept
            return kept
        case .timestamp: TimeSlot.store(time(t), in: &times.0)
        case .originalTimestamp: TimeSlot.store(time(t), in: &times.1)
        case .receivedAt: TimeSlot.store(time(t), in: &times.2)
        case .consentPreferences: buf.preferences.removeAll(keepingCapacity: true); buf.consentCleared = false
        case .consentAllowed: buf.allowed.removeAll(keepingCapacity: true)
        case .consentDenied: buf.denied.removeAll(keepingCapacity: true)
        case .traits, .contextTraits, .setTraits, .setOnceTraits:
            let source = field.traitSource!
            buf.traits.removeAll { $0.source == source }
        case .none: break
        }
        return .absent
    }

    /// The kind named by a `type` string token (case-sensitive).
    ///
    /// `mutating` only so that the walk is passed by reference: a non-mutating method called from the walk's mutating
    /// ones received a copy of the whole walk (≈ 700 bytes, a `memcpy` per call).
    mutating func kindOf(_ t: StringToken) -> EventKind {
        if t.hasEscapes { return EventKind(typeField: s.string(t)) }
        let raw = UnsafeBufferPointer(rebasing: s.b[t.start ..< t.end])
        func equals(_ word: StaticString) -> Bool {
            word.utf8CodeUnitCount == raw.count && memcmp(word.utf8Start, raw.baseAddress!, raw.count) == 0
        }
        switch raw.count {
        case 5: return equals("track") ? .track : equals("group") ? .group : equals("alias") ? .alias : .other
        case 8: return equals("identify") ? .identify : .other
        case 4: return equals("page") ? .page : .other
        case 6: return equals("screen") ? .screen : equals("delete") ? .delete : .other
        default: return .other
        }
    }

    /// The field's value (starting at byte `start`) is not a string: the field counts as absent
    /// (a later duplicate key replaces an earlier one). A time field that is present but not a
    /// string makes the line malformed, unless it is `null`.
    mutating func setNonString(_ field: EventField, start: Int) {
        if field.isTimeField {
            let slot: TimeSlot = s.b[start] == UInt8(ascii: "n")
                ? .absent
                : .invalid(value: "", problem: "expected an ISO-8601 string, found \(EventLineParser.kindName(s.b[start]))")
            switch field {
            case .timestamp: times.0 = slot
            case .originalTimestamp: times.1 = slot
            default: times.2 = slot
            }
            return
        }
        switch field {
        case .type: kind = nil
        case .messageId: messageId = .absent
        case .userId: userId = .absent
        case .anonymousId: anonymousId = .absent
        case .event: event = .absent
        case .name: name = .absent
        case .category: category = .absent
        case .previousId: previousId = .absent
        case .timezone: timezone = .absent
        case .propertiesPath: propertiesPath = .absent
        case .contextPagePath: contextPagePath = .absent
        case .propertiesCategory: propertiesCategory = .absent
        case .consentPreferences: buf.preferences.removeAll(keepingCapacity: true); buf.consentCleared = false
        case .consentAllowed: buf.allowed.removeAll(keepingCapacity: true)
        case .consentDenied: buf.denied.removeAll(keepingCapacity: true)
        case .traits, .contextTraits, .setTraits, .setOnceTraits:
            let source = field.traitSource!
            buf.traits.removeAll { $0.source == source }
        default: break
        }
    }

    /// `mutating` only so that the walk is passed by reference: a non-mutating method called from the walk's mutating
    /// ones received a copy of the whole walk (≈ 700 bytes, a `memcpy` per call).
    mutating func time(_ t: StringToken) -> TimeSlot {
        if !t.hasEscapes && t.end - t.start == 24, let ms = canonicalTime(UnsafeRawPointer(s.b.baseAddress! + t.start)) {
            return .valid(ms)
        }
        let parsed: Result<Int64, ISO8601Time.Problem>
        if t.hasEscapes {
            var text = s.string(t)
            parsed = text.withUTF8 { ISO8601Time.parse($0, assumeUTC: assumeUTC) }
        } else {
            parsed = ISO8601Time.parse(UnsafeBufferPointer(rebasing: s.b[t.start ..< t.end]), assumeUTC: assumeUTC)
        }
        switch parsed {
        case .success(let ms): return .valid(ms)
        case .failure(.missingZone): return .zoneless(value: quoted(s.string(t), limit: 64))
        case .failure(let problem):
            return .invalid(value: quoted(s.string(t), limit: 64), problem: problem.description)
        }
    }

    /// ``ISO8601Time/canonicalMilliseconds(_:)`` of the 24 bytes at `p`: when bytes 0–10 (`YYYY-MM-DDT`) are those of
    /// the last canonical time (``WalkMemo/time``), that time's midnight plus ``ISO8601Time/canonicalTimeOfDay(_:)``
    /// (the same value: see there); else the full check, remembering the date of a canonical time. Nil: not canonical.
    @inline(__always) mutating func canonicalTime(_ p: UnsafeRawPointer) -> Int64? {
        let w0 = UInt64(littleEndian: p.loadUnaligned(as: UInt64.self))
        let w1 = UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 8, as: UInt64.self)) & 0xFF_FFFF
        let m = memo.time
        if m.pointee.day != .min && w0 == m.pointee.w0 && w1 == m.pointee.w1, let time = ISO8601Time.canonicalTimeOfDay(p) {
            return m.pointee.day + time
        }
        guard let ms = ISO8601Time.canonicalMilliseconds(UnsafeBufferPointer(start: p.assumingMemoryBound(to: UInt8.self), count: 24)),
              let time = ISO8601Time.canonicalTimeOfDay(p) else { return nil }
        m.pointee = (w0, w1, ms - time)
        return ms
    }

    /// The elements of a selected array (index `array`, element subtrie `root`) at nesting level `depth`.
    mutating func elements(of array: Int32, root: Int32, depth: Int) throws(JSONSyntaxError) {
        guard try s.arrayStart(depth: depth) else { return }
        var index: Int32 = 0
        repeat {
            elementArray = array
            elementIndex = index
            defer { elementArray = -1 }
            try value(node: root, depth: depth, trait: nil)
            index &+= 1
        } while try s.arrayNext()
        if let i = buf.arrays.lastIndex(where: { $0.array == array }) { buf.arrays[i].count = index }
    }

    /// Records the shape of selected array `array` (a repeated key: the last one wins).
    mutating func setArray(_ array: Int32, shape: ArrayShape) {
        buf.arrays.removeAll { $0.array == array }
        buf.elements.removeAll { $0.array == array }
        buf.arrays.append((array, shape, 0))
    }

    mutating func setProperty(_ selection: Int32, _ v: RawScalar) {
        if elementArray >= 0 {
            // Inside an element: a repeated key of the same element keeps its last value.
            var i = buf.elements.count - 1
            while i >= 0 && buf.elements[i].array == elementArray && buf.elements[i].element == elementIndex {
                if buf.elements[i].selection == selection { buf.elements[i].value = v; return }
                i -= 1
            }
            buf.elements.append((elementArray, elementIndex, selection, v))
            return
        }
        if let i = buf.properties.firstIndex(where: { $0.selection == selection }) {
            buf.properties[i].value = v
        } else {
            buf.properties.append((selection, v))
        }
    }

    mutating func addTrait(_ node: Int32, _ v: RawScalar, _ source: TraitSource) {
        buf.traits.append(WalkTrait(node: node, value: v, source: source))
    }

    // MARK: Result

    /// The kind and time of the event, or why the line is not one; fills `buf.finalTraits`.
    mutating func validated() -> Result<(kind: EventKind, time: Int64), LineError> {
        guard let kind else { return .failure(.missingType) }
        if let traitLimit { return .failure(.traitPathTooLong(limit: traitLimit)) }
        guard !userId.isBlank || !anonymousId.isBlank else { return .failure(.missingIdentity) }
        let slot: TimeSlot, fieldName: String
        if case .absent = times.0 {
            if case .absent = times.1 { (slot, fieldName) = (times.2, "receivedAt") }
            else { (slot, fieldName) = (times.1, "originalTimestamp") }
        } else {
            (slot, fieldName) = (times.0, "timestamp")
        }
        let time: Int64
        switch slot {
        case .valid(let ms): time = ms
        case let .invalid(value, problem): return .failure(.invalidTime(field: fieldName, value: value, problem: problem))
        case .zoneless(let value): return .failure(.zonelessTime(field: fieldName, value: value))
        case .absent:
            // A deletion request without a time deletes everything the store holds about the person.
            guard kind == .delete else { return .failure(.missingTime) }
            time = .max
        }
        if let problem = resolveTraits(kind: kind) { return .failure(problem) }
        if arenaFull { return .failure(.traitPathTooLong(limit: "more than 2 GiB of text in one read chunk")) }
        return .success((kind, time))
    }

    /// The page category: for a page or screen a non-empty top-level `category`, else `properties.category`.
    /// (A `mutating get` for the reason given at ``samePath(_:_:)``.)
    var pageCategory: TextRef {
        mutating get {
            guard let kind, kind.isPageLike else { return category }
            return category.isBlank ? propertiesCategory : category
        }
    }

    /// The consent entries in order: preferences, then non-empty allowed (granted) and denied ids,
    /// with their labels (absent unless RudderStack's object form gave one).
    func forEachConsent(_ body: (TextRef, Bool, TextRef) -> Void) {
        for p in buf.preferences { body(p.category, p.granted, .absent) }
        for c in buf.allowed where c.id.count > 0 { body(c.id, true, c.label) }
        for c in buf.denied where c.id.count > 0 { body(c.id, false, c.label) }
    }

    /// The traits the event sets, into `buf.finalTraits`: top-level `traits` (identify calls only),
    /// `context.traits`, `properties.$set` and `properties.$set_once`. A key repeated inside one source
    /// keeps its last value; a key in several sources takes the first source's (in that order) value;
    /// each key stays at its first position. Paths are written to the arena only now, once per key.
    /// Returns why the line is malformed when its trait paths pass their budget.
    mutating func resolveTraits(kind: EventKind) -> LineError? {
        if !buf.finalTraits.isEmpty { buf.finalTraits.removeAll(keepingCapacity: true) }
        guard !buf.traits.isEmpty else { return nil }
        let list = buf.traits
        // The list of the last line with traits, emptied (a fresh one per line was an allocation per line).
        var kept: [WalkTrait] = []
        swap(&kept, &buf.keptTraits)
        defer { swap(&kept, &buf.keptTraits) }
        kept.removeAll(keepingCapacity: true)
        kept.reserveCapacity(list.count)
        var index: [UInt64: [Int]] = [:]
        for t in list where t.source != .top || kind == .identify {
            var found = -1
            if list.count <= 32 {
                found = kept.firstIndex { samePath($0.node, t.node) } ?? -1
            } else {
                let h = buf.pathNodes[Int(t.node)].hash
                if let bucket = index[h] { found = bucket.first { samePath(kept[$0].node, t.node) } ?? -1 }
                if found < 0 { index[h, default: []].append(kept.count) }
            }
            if found < 0 {
                kept.append(t)
            } else if t.source.rawValue <= kept[found].source.rawValue {
                kept[found].value = t.value
                kept[found].source = t.source
                kept[found].node = t.node
            }
        }
        if traitLists && buf.pathNodes.contains(where: \.isElement) { dropStaleElements(&kept) }
        // Memory stays proportional to the line: the dotted paths written out may not exceed this.
        var budget = max(1 << 20, 4 * s.b.count)
        for t in kept {
            budget -= Int(buf.pathNodes[Int(t.node)].length)
            if budget < 0 { return .traitPathTooLong(limit: "trait paths longer than \(max(1 << 20, 4 * s.b.count)) bytes in all") }
        }
        for t in kept {
            buf.finalTraits.append(FinalTrait(path: materialise(t.node), value: t.value, once: t.source == .setOnce))
        }
        return nil
    }

    /// Keeps a list element trait (`children[1].age`) only when the list it belongs to is the occurrence that won
    /// (a repeated key, or the same list in another traits source, replaces the whole list, not element by element).
    mutating func dropStaleElements(_ kept: inout [WalkTrait]) {
        var winner: [UInt64: [Int32]] = [:]  // path hash → winning nodes
        for t in kept { winner[buf.pathNodes[Int(t.node)].hash, default: []].append(t.node) }
        func isWinner(_ node: Int32) -> Bool {
            guard let nodes = winner[buf.pathNodes[Int(node)].hash] else { return false }
            for n in nodes where samePath(n, node) { return n == node }
            return false
        }
        kept.removeAll { t in
            var at = t.node
            while at >= 0 {
                let piece = buf.pathNodes[Int(at)]
                if piece.isElement && !isWinner(piece.parent) { return true }
                at = piece.parent
            }
            return false
        }
    }

    func scalar(_ v: RawScalar) -> ScalarValue {
        switch v {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .number(let d): return .number(d)
        case .string(let t): return .string(buf.string(t))
        case .composite: return .composite
        }
    }

    /// The event as a ``ParsedEvent`` (the public, test-facing form), or why the line is not one.
    mutating func parsedEvent() -> Result<ParsedEvent, LineError> {
        let kind: EventKind, time: Int64
        switch validated() {
        case .failure(let e): return .failure(e)
        case .success(let v): (kind, time) = v
        }
        func text(_ t: TextRef) -> String? { buf.string(t) }
        func nonBlank(_ t: TextRef) -> String? { t.isBlank ? nil : buf.string(t) as String }
        var consent: [ConsentEntry] = []
        forEachConsent { consent.append(ConsentEntry(buf.string($0), $1, label: $2.isAbsent ? nil : buf.string($2) as String)) }
        let pagePath = propertiesPath.isAbsent ? contextPagePath : propertiesPath
        return .success(ParsedEvent(
            kind: kind, messageId: nonBlank(messageId), time: time, userId: nonBlank(userId),
            anonymousId: nonBlank(anonymousId), event: text(event), name: text(name),
            category: text(pageCategory), previousId: text(previousId), timezone: text(timezone),
            pagePath: text(pagePath), consent: consent, consentCleared: buf.consentCleared,
            properties: buf.properties.map { PathValue(paths[Int($0.selection)], scalar($0.value)) },
            traits: buf.finalTraits.filter { !$0.once }.map { PathValue(buf.string($0.path), scalar($0.value)) },
            onceTraits: buf.finalTraits.filter(\.once).map { PathValue(buf.string($0.path), scalar($0.value)) },
            answers: buf.answers.map { PathValue(buf.string($0.key), scalar($0.value)) },
            arrays: buf.arrays.map { a in
                ArrayField(path: arrayPaths[Int(a.array)], shape: a.shape, count: Int(a.count),
                           values: buf.elements.filter { $0.array == a.array }.map {
                               ElementValue(Int($0.element), paths[Int($0.selection)], scalar($0.value))
                           })
            }))
    }
}

/// `"text"` with at most `limit` UTF-8 bytes of `text` (cut at a character boundary, then `…`).
func quoted(_ text: String, limit: Int) -> String {
    if text.utf8.count <= limit { return "\"" + text + "\"" }
    var cut = ""
    var bytes = 0
    for ch in text {
        let n = ch.utf8.count
        if bytes + n > limit { break }
        cut.append(ch)
        bytes += n
    }
    return "\"" + cut + "…\""
}
