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
            for c in children[node] {
                let key = keys[Int(c)]
                edges.append(Edge(prefix: Self.pack(key), length: Int32(key.count), restStart: Int32(rest.count), node: c))
                if key.count > 8 { rest.append(contentsOf: key[8...]) }
            }
        }
    }

    /// Up to the first 8 bytes of `key`, little-endian, zero-padded.
    static func pack<C: Collection>(_ key: C) -> UInt64 where C.Element == UInt8 {
        var v: UInt64 = 0
        for (k, byte) in key.prefix(8).enumerated() { v |= UInt64(byte) << UInt64(8 * k) }
        return v
    }

    /// Runs `body` with a pointer view of the trie (valid only inside `body`).
    func withView<R>(_ body: (TrieView) throws -> R) rethrows -> R {
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
    let elementRoot: UnsafeBufferPointer<Int32>
    let arrayIndex: UnsafeBufferPointer<Int32>
    /// Per node: a capture rule names it as its parent object (``FieldTrie/captureParent``).
    let captureParent: UnsafeBufferPointer<Bool>

    @inline(__always) func hasChildren(_ node: Int32) -> Bool { edgeCount[Int(node)] > 0 }

    /// The child of `node` whose key equals the scanned key, or -1.
    @inline(__always) func child(of node: Int32, key t: StringToken, in s: JSONScanner) -> Int32 {
        let count = Int(edgeCount[Int(node)])
        guard count > 0 else { return -1 }
        if t.hasEscapes {
            var decoded = s.string(t)
            return decoded.withUTF8 { match(node, count, $0) }
        }
        return match(node, count, UnsafeBufferPointer(rebasing: s.b[t.start ..< t.end]))
    }

    @inline(__always) private func match(_ node: Int32, _ count: Int, _ key: UnsafeBufferPointer<UInt8>) -> Int32 {
        let length = key.count
        var prefix: UInt64
        if length >= 8 {
            prefix = UInt64(littleEndian: UnsafeRawPointer(key.baseAddress!).loadUnaligned(as: UInt64.self))
        } else {
            prefix = 0
            for k in 0 ..< length { prefix |= UInt64(key[k]) << UInt64(8 * k) }
        }
        let start = Int(edgeStart[Int(node)])
        for e in start ..< start + count {
            let edge = edges[e]
            guard edge.length == length, edge.prefix == prefix else { continue }
            if length <= 8 { return edge.node }
            if memcmp(key.baseAddress! + 8, rest.baseAddress! + Int(edge.restStart), length - 8) == 0 { return edge.node }
        }
        return -1
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif
