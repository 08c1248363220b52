/// Turns one line of a JSON-lines store into a ``ParsedEvent``, or says why it cannot.
///
/// The whole line is validated as RFC 8259 JSON, byte by byte, while only the fields earshot
/// uses are pulled out (see ``ParsedEvent`` and docs/STORE.md); no dictionary is ever built.
/// A parser is immutable and holds no shared mutable state, so one instance may parse lines on
/// several threads at once.
public struct EventLineParser: Sendable {
    let trie: FieldTrie

    /// A parser that keeps the property paths of `selection`.
    public init(selection: FieldSelection = .metrics) {
        trie = FieldTrie(selection: selection)
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

    /// Parses one line (without its newline).
    public func parse(_ bytes: UnsafeRawBufferPointer) -> Result<ParsedEvent, LineError> {
        trie.withView { view in
            var walk = EventWalk(trie: view, paths: trie.paths, scanner: JSONScanner(bytes.bindMemory(to: UInt8.self)))
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
            return walk.result()
        }
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

/// Where a value sits relative to an identify call's `traits`.
enum TraitPosition {
    /// The `traits` object itself: its members are top-level traits.
    case root
    /// A value inside traits, with its dotted key.
    case path(String)

    func child(_ key: String) -> String {
        switch self {
        case .root: return key
        case .path(let p): return p + "." + key
        }
    }
}

/// The event time field as last seen in the line.
enum TimeSlot {
    case absent
    case valid(Int64)
    case invalid(value: String, problem: String)
}

/// The state of parsing one line: the scanner plus the fields found so far (duplicate keys: last wins).
struct EventWalk {
    let trie: TrieView
    let paths: [String]
    var s: JSONScanner

    var kind: EventKind?
    var messageId: String?, userId: String?, anonymousId: String?, event: String?, name: String?
    var category: String?, previousId: String?, timezone: String?
    var propertiesPath: String?, contextPagePath: String?, propertiesCategory: String?
    var times: (TimeSlot, TimeSlot, TimeSlot) = (.absent, .absent, .absent)
    var preferences: [ConsentEntry] = []
    var allowed: [String] = []
    var denied: [String] = []
    var properties: [PathValue] = []
    var traits: [PathValue] = []

    init(trie: TrieView, paths: [String], scanner: JSONScanner) {
        self.trie = trie
        self.paths = paths
        self.s = scanner
    }

    // MARK: Walking

    /// At `{` of an object at nesting level `depth` whose trie node is `node` (-1: none).
    mutating func object(node: Int32, depth: Int, trait: TraitPosition?) throws(JSONSyntaxError) {
        guard try s.objectStart(depth: depth) else { return }
        repeat {
            let key = try s.objectKey()
            let child = node >= 0 ? trie.child(of: node, key: key, in: s) : -1
            let childTrait = trait.map { TraitPosition.path($0.child(s.string(key))) }
            try value(node: child, depth: depth, trait: childTrait)
        } while try s.objectNext()
    }

    /// At a value inside a container at nesting level `depth`; `node` is its trie node (-1: none) and
    /// `trait` its place inside an identify call's traits (nil: outside).
    mutating func value(node: Int32, depth: Int, trait: TraitPosition?) throws(JSONSyntaxError) {
        if node < 0 && trait == nil {
            try s.skipValue(depth: depth)
            return
        }
        let field = node >= 0 ? trie.field[Int(node)] : .none
        let selection = node >= 0 ? trie.selection[Int(node)] : -1
        guard !s.atEnd else { throw JSONSyntaxError(.unexpectedEnd, at: s.pos) }
        let start = s.pos
        switch s.peek {
        case UInt8(ascii: "{"):
            switch field {
            case .consentPreferences:
                preferences.removeAll()
                try consentPreferences(node: node, depth: depth + 1)
            case .traits:
                traits.removeAll()
                try object(node: node, depth: depth + 1, trait: .root)
            default:
                if trait != nil || trie.hasChildren(node) {
                    try object(node: node, depth: depth + 1, trait: trait)
                } else {
                    try s.skipValue(depth: depth)
                }
            }
            if field != .consentPreferences && field != .traits { setNonString(field, start: start) }
            if selection >= 0 { setProperty(selection, .composite) }
        case UInt8(ascii: "["):
            if field == .consentAllowed || field == .consentDenied {
                let ids = try stringArray(depth: depth + 1)
                if field == .consentAllowed { allowed = ids } else { denied = ids }
            } else {
                try s.skipValue(depth: depth)
                setNonString(field, start: start)
            }
            if selection >= 0 { setProperty(selection, .composite) }
            if case .path(let p)? = trait { addTrait(p, .composite) }
        case UInt8(ascii: "\""):
            let token = try s.scanString()
            if field != .none { setString(field, token) }
            if selection >= 0 || trait != nil {
                let v = ScalarValue.string(s.string(token))
                if selection >= 0 { setProperty(selection, v) }
                if case .path(let p)? = trait { addTrait(p, v) }
            }
        default:
            if selection >= 0 || trait != nil {
                let v = try s.scalarValue()
                if selection >= 0 { setProperty(selection, v) }
                if case .path(let p)? = trait { addTrait(p, v) }
            } else {
                try s.skipValue(depth: depth)
            }
            setNonString(field, start: start)
        }
    }

    /// `context.consent.categoryPreferences` (trie node `node`): boolean members only, in document order.
    mutating func consentPreferences(node: Int32, depth: Int) throws(JSONSyntaxError) {
        guard try s.objectStart(depth: depth) else { return }
        repeat {
            let key = try s.objectKey()
            let child = trie.child(of: node, key: key, in: s)
            guard !s.atEnd else { throw JSONSyntaxError(.unexpectedEnd, at: s.pos) }
            let c = s.peek
            if c == UInt8(ascii: "t") || c == UInt8(ascii: "f") {
                let v = try s.scalarValue()
                let category = s.string(key)
                if let i = preferences.firstIndex(where: { $0.category == category }) {
                    preferences.remove(at: i)  // a repeated key: the last one wins, at its own position
                }
                preferences.append(ConsentEntry(category, v == .bool(true)))
                if child >= 0 && trie.selection[Int(child)] >= 0 { setProperty(trie.selection[Int(child)], v) }
            } else {
                try value(node: child, depth: depth, trait: nil)
            }
        } while try s.objectNext()
    }

    /// An array's string elements (others are validated and ignored).
    mutating func stringArray(depth: Int) throws(JSONSyntaxError) -> [String] {
        var out: [String] = []
        guard try s.arrayStart(depth: depth) else { return out }
        repeat {
            if !s.atEnd && s.peek == UInt8(ascii: "\"") {
                out.append(s.string(try s.scanString()))
            } else {
                try s.skipValue(depth: depth)
            }
        } while try s.arrayNext()
        return out
    }

    // MARK: Recording

    mutating func setString(_ field: EventField, _ t: StringToken) {
        switch field {
        case .type: kind = EventKind(typeField: s.string(t))
        case .messageId: messageId = s.string(t)
        case .userId: userId = s.string(t)
        case .anonymousId: anonymousId = s.string(t)
        case .event: event = s.string(t)
        case .name: name = s.string(t)
        case .category: category = s.string(t)
        case .previousId: previousId = s.string(t)
        case .timezone: timezone = s.string(t)
        case .propertiesPath: propertiesPath = s.string(t)
        case .contextPagePath: contextPagePath = s.string(t)
        case .propertiesCategory: propertiesCategory = s.string(t)
        case .timestamp: times.0 = time(t)
        case .originalTimestamp: times.1 = time(t)
        case .receivedAt: times.2 = time(t)
        case .consentPreferences: preferences.removeAll()
        case .consentAllowed: allowed.removeAll()
        case .consentDenied: denied.removeAll()
        case .traits: traits.removeAll()
        case .none: break
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
        case .messageId: messageId = nil
        case .userId: userId = nil
        case .anonymousId: anonymousId = nil
        case .event: event = nil
        case .name: name = nil
        case .category: category = nil
        case .previousId: previousId = nil
        case .timezone: timezone = nil
        case .propertiesPath: propertiesPath = nil
        case .contextPagePath: contextPagePath = nil
        case .propertiesCategory: propertiesCategory = nil
        case .consentPreferences: preferences.removeAll()
        case .consentAllowed: allowed.removeAll()
        case .consentDenied: denied.removeAll()
        case .traits: traits.removeAll()
        default: break
        }
    }

    func time(_ t: StringToken) -> TimeSlot {
        let parsed: Result<Int64, ISO8601Time.Problem>
        if t.hasEscapes {
            var text = s.string(t)
            parsed = text.withUTF8 { ISO8601Time.parse($0) }
        } else {
            parsed = ISO8601Time.parse(UnsafeBufferPointer(rebasing: s.b[t.start ..< t.end]))
        }
        switch parsed {
        case .success(let ms): return .valid(ms)
        case .failure(let problem):
            return .invalid(value: quoted(s.string(t), limit: 64), problem: problem.description)
        }
    }

    mutating func setProperty(_ selection: Int32, _ v: ScalarValue) {
        let path = paths[Int(selection)]
        if let i = properties.firstIndex(where: { $0.path == path }) {
            properties[i].value = v
        } else {
            properties.append(PathValue(path, v))
        }
    }

    mutating func addTrait(_ path: String, _ v: ScalarValue) {
        traits.append(PathValue(path, v))
    }

    // MARK: Result

    /// The event, or why the line is not one.
    func result() -> Result<ParsedEvent, LineError> {
        guard let kind else { return .failure(.missingType) }
        let user = nonEmpty(userId), anon = nonEmpty(anonymousId)
        guard user != nil || anon != nil else { return .failure(.missingIdentity) }
        let time: Int64
        let slot: TimeSlot, fieldName: String
        if case .absent = times.0 {
            if case .absent = times.1 { (slot, fieldName) = (times.2, "receivedAt") }
            else { (slot, fieldName) = (times.1, "originalTimestamp") }
        } else {
            (slot, fieldName) = (times.0, "timestamp")
        }
        switch slot {
        case .valid(let ms): time = ms
        case let .invalid(value, problem): return .failure(.invalidTime(field: fieldName, value: value, problem: problem))
        case .absent: return .failure(.missingTime)
        }
        var consent = preferences
        if !allowed.isEmpty || !denied.isEmpty {
            consent.reserveCapacity(consent.count + allowed.count + denied.count)
            for id in allowed where !id.isEmpty { consent.append(ConsentEntry(id, true)) }
            for id in denied where !id.isEmpty { consent.append(ConsentEntry(id, false)) }
        }
        return .success(ParsedEvent(
            kind: kind, messageId: nonEmpty(messageId), time: time, userId: user, anonymousId: anon,
            event: event, name: name,
            category: kind.isPageLike ? (nonEmpty(category) ?? propertiesCategory) : category,
            previousId: previousId, timezone: timezone,
            pagePath: propertiesPath ?? contextPagePath,
            consent: consent, properties: properties,
            traits: kind == .identify ? lastWins(traits) : []))
    }

    /// Repeated trait keys: the last value wins, at the first key's position.
    func lastWins(_ list: [PathValue]) -> [PathValue] {
        guard list.count > 1 else { return list }
        var index: [String: Int] = [:]
        var out: [PathValue] = []
        out.reserveCapacity(list.count)
        for pv in list {
            if let i = index[pv.path] { out[i].value = pv.value } else { index[pv.path] = out.count; out.append(pv) }
        }
        return out
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
