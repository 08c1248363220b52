/// The fields of an event line that the parser extracts itself (besides the selected property paths).
enum EventField: UInt8, Sendable {
    case none
    case type, messageId, timestamp, originalTimestamp, receivedAt
    case userId, anonymousId, event, name, category, previousId
    case timezone, propertiesPath, contextPagePath, propertiesCategory
    case consentPreferences, consentAllowed, consentDenied
    case traits

    /// Fields whose value is kept only when it is a string.
    var isStringField: Bool {
        switch self {
        case .messageId, .userId, .anonymousId, .event, .name, .category, .previousId,
             .timezone, .propertiesPath, .contextPagePath, .propertiesCategory: return true
        default: return false
        }
    }

    /// Fields holding the event time.
    var isTimeField: Bool { self == .timestamp || self == .originalTimestamp || self == .receivedAt }
}

/// A trie of the key paths an event line parser wants, so that every other subtree is only
/// validated and skipped. Node 0 is the root (the event object). Immutable once built.
struct FieldTrie: Sendable {
    struct Node: Sendable {
        var key: [UInt8]
        var field: EventField = .none
        /// Index into ``FieldTrie/paths`` when this node is a selected property path, else -1.
        var selection: Int32 = -1
        var children: [Int32] = []
    }

    private(set) var nodes: [Node] = [Node(key: [])]
    /// The selected dotted paths, by selection index.
    private(set) var paths: [String] = []

    init(selection: FieldSelection) {
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
            ("traits", .traits),
        ]
        for (path, field) in builtins { nodes[Int(insert(path))].field = field }
        // Sorted, so that property order in a ParsedEvent does not depend on Set order.
        for path in selection.paths.sorted() where !path.isEmpty {
            let n = Int(insert(path))
            if nodes[n].selection < 0 {
                nodes[n].selection = Int32(paths.count)
                paths.append(path)
            }
        }
    }

    private mutating func insert(_ path: String) -> Int32 {
        var node: Int32 = 0
        for part in path.split(separator: ".", omittingEmptySubsequences: false) {
            let key = Array(part.utf8)
            if let c = nodes[Int(node)].children.first(where: { nodes[Int($0)].key == key }) {
                node = c
            } else {
                let c = Int32(nodes.count)
                nodes.append(Node(key: key))
                nodes[Int(node)].children.append(c)
                node = c
            }
        }
        return node
    }

    /// The child of `node` whose key equals the scanned key, or -1.
    @inline(__always) func child(of node: Int32, key: StringToken, in s: JSONScanner) -> Int32 {
        for c in nodes[Int(node)].children {
            let match = nodes[Int(c)].key.withUnsafeBufferPointer { s.stringEquals(key, $0) }
            if match { return c }
        }
        return -1
    }
}
