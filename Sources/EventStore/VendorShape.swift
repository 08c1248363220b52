/// Lines that are not one Segment-shaped event but hold events in a vendor's own shape: batch
/// envelopes (`{"batch": [...], "sentAt": ..., "context": ...}` of Segment's `/v1/batch` and
/// RudderStack; PostHog's `{"api_key": ..., "batch": [...], "sent_at": ...}`) and PostHog events
/// (`{"uuid", "event", "distinct_id", "timestamp", "properties"}`).
///
/// Only a line the fast walker rejected for having no `type` comes here (so plain Segment lines
/// never pay for it). The line is taken apart generically, and every event it holds is rewritten
/// as a Segment-shaped object and handed back to the same walker, so nothing after the parser
/// knows a vendor's spelling. See docs/EVENTS.md ("vendor → what earshot reads") for the mapping.
enum VendorShape {
    case envelope
    case postHog

    /// The shape of an (already validated) JSON object line without `type`, or nil when it is none of them.
    static func classify(_ bytes: UnsafeRawBufferPointer) -> VendorShape? {
        let doc = JSONDoc(bytes)
        guard let members = doc.members(doc.root) else { return nil }
        if members.contains(where: { $0.key == "batch" }) && !members.contains(where: { $0.key == "type" }) { return .envelope }
        return isPostHog(doc, members) ? .postHog : nil
    }

    /// An object is a PostHog event when it has no `type` (or PostHog's own `"type": "capture"`), an
    /// `event` string and one of `distinct_id`, `uuid` or `properties.distinct_id`.
    static func isPostHog(_ doc: JSONDoc, _ members: [JSONDoc.Member]) -> Bool {
        if let t = members.last(where: { $0.key == "type" }), doc.string(t.value) != "capture" { return false }
        guard let e = members.last(where: { $0.key == "event" }), doc.string(e.value) != nil else { return false }
        if members.contains(where: { $0.key == "distinct_id" || $0.key == "uuid" }) { return true }
        if let p = members.last(where: { $0.key == "properties" }), let props = doc.members(p.value) {
            return props.contains { $0.key == "distinct_id" }
        }
        return false
    }

    /// The records of the line: each event rewritten and passed to `walk`.
    func records<E>(_ bytes: UnsafeRawBufferPointer, options: ReaderOptions,
                    walk: (UnsafeRawBufferPointer) -> Result<E, LineError>) -> LineRecords<E> {
        let doc = JSONDoc(bytes)
        let members = doc.members(doc.root) ?? []
        switch self {
        case .postHog:
            switch Self.postHogEvent(doc, members, sentAt: nil) {
            case .failure(let e): return LineRecords(envelope: false, outcomes: [.failure(e)])
            case .success(let out): return LineRecords(envelope: false, outcomes: [out.withUnsafeBytes { walk($0) }])
            }
        case .envelope:
            guard let batch = members.last(where: { $0.key == "batch" }), let items = doc.elements(batch.value) else {
                return LineRecords(envelope: false, outcomes: [.failure(.batchNotAnArray)])
            }
            let context = members.last { $0.key == "context" }.flatMap { doc.members($0.value) } ?? []
            let sentAt = members.last { ($0.key == "sentAt" || $0.key == "sent_at") && doc.byte($0.value) == UInt8(ascii: "\"") }?.value
            var outcomes: [Result<E, LineError>] = []
            outcomes.reserveCapacity(items.count)
            // Merging the envelope's context into every item must not multiply a large context by many items.
            let limit = Self.mergedBytesLimit(lineBytes: bytes.count)
            var merged = 0
            for (i, item) in items.enumerated() {
                let r: Result<E, LineError>
                if merged > limit {
                    r = .failure(.batchTooLarge(limit: limit))
                } else if let itemMembers = doc.members(item) {
                    let rewritten: Result<[UInt8], LineError>
                    if Self.isPostHog(doc, itemMembers) {
                        rewritten = Self.postHogEvent(doc, itemMembers, sentAt: sentAt)
                    } else {
                        rewritten = .success(Self.segmentItem(doc, itemMembers, context: context, sentAt: sentAt))
                    }
                    switch rewritten {
                    case .failure(let e): r = .failure(e)
                    case .success(let out):
                        merged += out.count
                        r = merged > limit ? .failure(.batchTooLarge(limit: limit)) : out.withUnsafeBytes { walk($0) }
                    }
                } else {
                    r = .failure(.notAnObject(found: EventLineParser.kindName(doc.byte(item))))
                }
                outcomes.append(r.mapError { .batchItem(index: i + 1, problem: $0) })
            }
            return LineRecords(envelope: true, outcomes: outcomes)
        }
    }

    /// The most bytes the rewritten items of one envelope may have in all: 8 × the line, at least 16 MiB.
    static func mergedBytesLimit(lineBytes: Int) -> Int { max(16 << 20, 8 * lineBytes) }

    // MARK: Segment / RudderStack batch items

    /// A Segment batch item with the envelope applied: the envelope's `context` members the item's own
    /// `context` lacks are added (per top-level key of `context`, the item's value winning), and the
    /// envelope's `sentAt` becomes the `timestamp` of an item with no time field of its own.
    static func segmentItem(_ doc: JSONDoc, _ members: [JSONDoc.Member], context: [JSONDoc.Member],
                            sentAt: Range<Int>?) -> [UInt8] {
        var w = JSONWriter()
        w.open()
        var itemContext: [JSONDoc.Member] = []
        var hasTime = false
        for m in members {
            if m.key == "context" {
                itemContext = doc.members(m.value) ?? []
                continue
            }
            if (m.key == "timestamp" || m.key == "originalTimestamp" || m.key == "receivedAt") && doc.byte(m.value) != UInt8(ascii: "n") {
                hasTime = true
            }
            w.member(rawKey: doc.slice(m.keyRange), rawValue: doc.slice(m.value))
        }
        if !context.isEmpty || !itemContext.isEmpty {
            w.key("context")
            w.open()
            let own = Set(itemContext.map(\.key))
            for m in context where !own.contains(m.key) { w.member(rawKey: doc.slice(m.keyRange), rawValue: doc.slice(m.value)) }
            for m in itemContext { w.member(rawKey: doc.slice(m.keyRange), rawValue: doc.slice(m.value)) }
            w.close()
        }
        if !hasTime, let sentAt {
            w.key("timestamp")
            w.raw(doc.slice(sentAt))
        }
        w.close()
        return w.bytes
    }

    // MARK: PostHog

    /// A PostHog event as a Segment-shaped object. One PostHog event is one event:
    /// - `$pageview` → `page` (path: `$pathname`, else the path of `$current_url`), `$screen` → `screen`
    ///   (`$screen_name`), `$identify` → `identify`, `$create_alias` → `alias`, `$set` → `identify`,
    ///   `$groupidentify` → `group`, anything else → `track` named by `event`;
    /// - ids: `$identify` has `userId` = `distinct_id` and `anonymousId` = `$anon_distinct_id`;
    ///   `$create_alias` has `userId` = `alias` and `previousId` = `distinct_id`; every other event
    ///   has `anonymousId` = `distinct_id` (the builder joins it to the user of that id);
    /// - `uuid` → `messageId`; time: `timestamp`, else `properties.$time` (epoch seconds), else the
    ///   envelope's `sent_at` (a batch item only; an event's own `sent_at` is the send time, never used);
    /// - `properties` kept as they are, with a top-level `$set` / `$set_once` (posthog-js) moved in;
    ///   `$timezone` → `context.timezone`.
    static func postHogEvent(_ doc: JSONDoc, _ members: [JSONDoc.Member], sentAt: Range<Int>?) -> Result<[UInt8], LineError> {
        func top(_ key: String) -> Range<Int>? { members.last { $0.key == key }?.value }
        let propsRange = top("properties")
        let props = propsRange.flatMap { doc.members($0) } ?? []
        func prop(_ key: String) -> Range<Int>? { props.last { $0.key == key }?.value }
        guard let eventName = top("event").flatMap({ doc.string($0) }) else { return .failure(.missingType) }
        guard let distinct = top("distinct_id").flatMap({ doc.idText($0) }) ?? prop("distinct_id").flatMap({ doc.idText($0) }) else {
            return .failure(.postHogNoDistinctId)
        }
        var w = JSONWriter()
        w.open()
        var kind = "track"
        var user: String?, anon: String? = distinct, previous: String?
        switch eventName {
        case "$pageview": kind = "page"
        case "$screen": kind = "screen"
        case "$identify":
            kind = "identify"
            user = distinct
            anon = prop("$anon_distinct_id").flatMap { doc.idText($0) }
        case "$create_alias":
            kind = "alias"
            if let alias = prop("alias").flatMap({ doc.idText($0) }) {
                user = alias
                anon = nil
                previous = distinct
            }
        case "$set": kind = "identify"
        case "$groupidentify": kind = "group"
        default: break
        }
        w.key("type"); w.string(kind)
        if let uuid = top("uuid"), doc.byte(uuid) == UInt8(ascii: "\"") { w.key("messageId"); w.raw(doc.slice(uuid)) }
        if let user { w.key("userId"); w.string(user) }
        if let anon { w.key("anonymousId"); w.string(anon) }
        if let previous { w.key("previousId"); w.string(previous) }
        if kind == "track" || kind == "group" { w.key("event"); w.string(eventName) }
        if kind == "screen", let n = prop("$screen_name"), doc.byte(n) == UInt8(ascii: "\"") { w.key("name"); w.raw(doc.slice(n)) }
        if kind == "page", let t = prop("title") ?? prop("$title"), doc.byte(t) == UInt8(ascii: "\"") { w.key("name"); w.raw(doc.slice(t)) }
        // Time.
        if let t = top("timestamp"), doc.byte(t) != UInt8(ascii: "n") {
            w.key("timestamp"); w.raw(doc.slice(t))
        } else if let t = prop("$time"), let seconds = doc.number(t), seconds.isFinite,
                  seconds >= Double(ISO8601Time.minMilliseconds / 1000), seconds < 253_402_300_800 {  // years 0000–9999
            w.key("timestamp"); w.string(ISO8601Time.format(milliseconds: Int64((seconds * 1000).rounded(.down))))
        } else if let sentAt {
            w.key("timestamp"); w.raw(doc.slice(sentAt))
        }
        // Context: page path and zone.
        var path: String?
        if kind == "page" {
            path = prop("$pathname").flatMap { doc.string($0) } ?? prop("$current_url").flatMap { doc.string($0) }.flatMap(urlPath)
        }
        let zone = prop("$timezone").flatMap { doc.string($0) }
        if path != nil || zone != nil {
            w.key("context"); w.open()
            if let path { w.key("page"); w.open(); w.key("path"); w.string(path); w.close() }
            if let zone { w.key("timezone"); w.string(zone) }
            w.close()
        }
        // Properties, with posthog-js's top-level $set / $set_once moved in (they win over inner ones).
        let setTop = top("$set"), onceTop = top("$set_once")
        if !props.isEmpty || setTop != nil || onceTop != nil {
            w.key("properties"); w.open()
            for m in props { w.member(rawKey: doc.slice(m.keyRange), rawValue: doc.slice(m.value)) }
            if let setTop { w.key("$set"); w.raw(doc.slice(setTop)) }
            if let onceTop { w.key("$set_once"); w.raw(doc.slice(onceTop)) }
            w.close()
        } else if let propsRange {
            w.key("properties"); w.raw(doc.slice(propsRange))
        }
        w.close()
        return .success(w.bytes)
    }

    /// The path of a URL (`https://shop.example/baby/toys?x=1` → `/baby/toys`), nil when there is none.
    static func urlPath(_ url: String) -> String? {
        var rest = Substring(url)
        var i = rest.startIndex
        while i < rest.endIndex && rest[i] != "/" && rest[i] != "?" && rest[i] != "#" { i = rest.index(after: i) }
        if i < rest.endIndex && rest[i...].hasPrefix("//"), i > rest.startIndex, rest[rest.index(before: i)] == ":" {
            rest = rest[rest.index(i, offsetBy: 2)...]
            guard let slash = rest.firstIndex(of: "/") else { return nil }
            rest = rest[slash...]
        }
        if let cut = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) { rest = rest[..<cut] }
        return rest.isEmpty ? nil : String(rest)
    }
}

/// Generic read access to an already validated JSON document: members and elements by byte range.
struct JSONDoc {
    struct Member {
        var key: String
        /// The key with its quotes.
        var keyRange: Range<Int>
        var value: Range<Int>
    }

    let b: UnsafeBufferPointer<UInt8>
    var root: Range<Int>

    init(_ bytes: UnsafeRawBufferPointer) {
        b = bytes.bindMemory(to: UInt8.self)
        var s = JSONScanner(b)
        s.skipWhitespace()
        let start = s.pos
        var end = b.count
        while end > start && (b[end - 1] == 0x20 || b[end - 1] == 0x09 || b[end - 1] == 0x0A || b[end - 1] == 0x0D) { end -= 1 }
        root = start ..< end
    }

    func byte(_ r: Range<Int>) -> UInt8 { r.isEmpty ? 0 : b[r.lowerBound] }
    func slice(_ r: Range<Int>) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: b[r]) }

    /// The members of the object at `r`, in document order; nil when it is not an object.
    func members(_ r: Range<Int>) -> [Member]? {
        guard byte(r) == UInt8(ascii: "{") else { return nil }
        var s = JSONScanner(UnsafeBufferPointer(rebasing: b[..<r.upperBound]))
        s.pos = r.lowerBound
        var out: [Member] = []
        do throws(JSONSyntaxError) {
            guard try s.objectStart(depth: 1) else { return out }
            repeat {
                let keyStart = s.pos
                let key = try s.objectKey()
                let valueStart = s.pos
                try s.skipValue(depth: 1)
                out.append(Member(key: s.string(key), keyRange: keyStart ..< key.end + 1, value: valueStart ..< s.pos))
            } while try s.objectNext()
        } catch {
            return nil
        }
        return out
    }

    /// The elements of the array at `r`; nil when it is not an array.
    func elements(_ r: Range<Int>) -> [Range<Int>]? {
        guard byte(r) == UInt8(ascii: "[") else { return nil }
        var s = JSONScanner(UnsafeBufferPointer(rebasing: b[..<r.upperBound]))
        s.pos = r.lowerBound
        var out: [Range<Int>] = []
        do throws(JSONSyntaxError) {
            guard try s.arrayStart(depth: 1) else { return out }
            repeat {
                let start = s.pos
                try s.skipValue(depth: 1)
                out.append(start ..< s.pos)
            } while try s.arrayNext()
        } catch {
            return nil
        }
        return out
    }

    /// The decoded string at `r`, or nil when it is not a string.
    func string(_ r: Range<Int>) -> String? {
        guard byte(r) == UInt8(ascii: "\"") else { return nil }
        var s = JSONScanner(UnsafeBufferPointer(rebasing: b[..<r.upperBound]))
        s.pos = r.lowerBound
        guard let t = try? s.scanString() else { return nil }
        return s.string(t)
    }

    /// The number at `r`, or nil.
    func number(_ r: Range<Int>) -> Double? {
        let c = byte(r)
        guard c == UInt8(ascii: "-") || c &- 48 < 10 else { return nil }
        var s = JSONScanner(UnsafeBufferPointer(rebasing: b[..<r.upperBound]))
        s.pos = r.lowerBound
        guard let t = try? s.scanNumber() else { return nil }
        return s.number(t)
    }

    /// An id: a non-empty string, or a number as JavaScript prints it; else nil.
    func idText(_ r: Range<Int>) -> String? {
        if let text = string(r) { return text.isEmpty ? nil : text }
        guard byte(r) != UInt8(ascii: "t") && byte(r) != UInt8(ascii: "f") && byte(r) != UInt8(ascii: "n") else { return nil }
        let c = byte(r)
        guard c == UInt8(ascii: "-") || c &- 48 < 10 else { return nil }
        var s = JSONScanner(UnsafeBufferPointer(rebasing: b[..<r.upperBound]))
        s.pos = r.lowerBound
        guard let t = try? s.scanNumber() else { return nil }
        if t.isInteger {
            let text = String(decoding: UnsafeBufferPointer(rebasing: b[t.start ..< t.end]), as: UTF8.self)
            return text == "-0" ? "0" : text
        }
        return EventWalk.javaScriptNumberText(s.number(t))
    }
}

/// Writes a JSON object from raw slices and escaped strings.
struct JSONWriter {
    var bytes: [UInt8] = []
    private var first: [Bool] = []

    mutating func open() { bytes.append(UInt8(ascii: "{")); first.append(true) }
    mutating func close() { bytes.append(UInt8(ascii: "}")); first.removeLast() }

    private mutating func comma() {
        if first[first.count - 1] { first[first.count - 1] = false } else { bytes.append(UInt8(ascii: ",")) }
    }

    mutating func key(_ k: String) {
        comma()
        string(k)
        bytes.append(UInt8(ascii: ":"))
    }

    mutating func member(rawKey: UnsafeBufferPointer<UInt8>, rawValue: UnsafeBufferPointer<UInt8>) {
        comma()
        bytes.append(contentsOf: rawKey)
        bytes.append(UInt8(ascii: ":"))
        bytes.append(contentsOf: rawValue)
    }

    mutating func raw(_ value: UnsafeBufferPointer<UInt8>) { bytes.append(contentsOf: value) }

    mutating func string(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        for c in s.utf8 {
            switch c {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [0x5C, 0x5C])
            case 0 ..< 0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(c >> 4)], hex[Int(c & 15)]])
            default: bytes.append(c)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

extension ISO8601Time {
    /// `YYYY-MM-DDTHH:MM:SS.mmmZ` for milliseconds since the epoch (years 0000–9999).
    public static func format(milliseconds ms: Int64) -> String {
        let days = Int(ms >= 0 ? ms / 86_400_000 : (ms - 86_399_999) / 86_400_000)
        let rem = Int(ms - Int64(days) * 86_400_000)
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        func pad(_ v: Int, _ n: Int) -> String { let s = String(v); return String(repeating: "0", count: max(0, n - s.count)) + s }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(rem / 3_600_000, 2)):\(pad(rem / 60_000 % 60, 2)):\(pad(rem / 1000 % 60, 2)).\(pad(rem % 1000, 3))Z"
    }
}
