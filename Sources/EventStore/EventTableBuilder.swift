/// Builds an ``EventTable`` from parsed events in file order.
///
/// While events stream in, it drops duplicates (same `messageId` as an earlier
/// accepted event) and interns strings into columns. ``finish()`` then stitches
/// identities and groups rows by person, ordered by time (ties by file order).
///
/// Definitions (docs/DEFINITIONS.md):
/// - **Person**: `userId` when present; else the `userId` this `anonymousId` first
///   appeared with (earliest event time, ties by file order, in any event carrying both
///   or as an alias's `previousId`); else the `anonymousId`. Two `userId`s are never merged.
/// - **Duplicate**: an event whose `messageId` was already accepted. Duplicates are keyed
///   by a 128-bit keyed SipHash of the id (a collision among 10⁹ ids has probability < 10⁻²⁰).
public struct EventTableBuilder {
    private var table = EventTable()
    private let selection: FieldSelection?
    private var seen = Set<MessageKey>()
    private let seedA: Int
    private let seedB: Int

    // Raw per-row identity, resolved in finish().
    private var userKey: [Int32] = []
    private var anonKey: [Int32] = []
    /// anonymousId (interned) → the earliest (time, sequence, userId) it appeared with.
    private var links: [Int32: (time: Int64, seq: Int32, user: Int32)] = [:]
    private var categoryBit: [String: Int] = [:]
    private var warnedCategories = false
    private var traitRowsRaw: [Int32] = []

    /// Statistics gathered so far; the store reader adds files and lines here.
    public var stats: StoreStats {
        get { table.stats }
        // In place: `builder.stats.files[i].lines += 1` must not copy the stats arrays.
        _modify { yield &table.stats }
    }

    /// - Parameter selection: property paths to keep; `nil` keeps every path the events carry.
    public init(selection: FieldSelection? = nil) {
        self.selection = selection
        var g = SystemRandomNumberGenerator()
        seedA = Int(truncatingIfNeeded: g.next())
        seedB = Int(truncatingIfNeeded: g.next())
    }

    /// Number of rows accepted so far.
    public var count: Int { table.time.count }

    /// Adds one parsed event from `file` (an index into `stats.files`, or -1).
    /// - Returns: `false` when it was a duplicate and ignored.
    @discardableResult
    public mutating func add(_ e: ParsedEvent, file: Int32 = -1) -> Bool {
        if let mid = e.messageId {
            var h1 = Hasher(); h1.combine(seedA); h1.combine(mid)
            var h2 = Hasher(); h2.combine(seedB); h2.combine(mid)
            let key = MessageKey(a: h1.finalize(), b: h2.finalize())
            if !seen.insert(key).inserted {
                table.stats.duplicates += 1
                if file >= 0 && Int(file) < table.stats.files.count { table.stats.files[Int(file)].duplicates += 1 }
                return false
            }
        }
        let row = Int32(table.time.count)
        table.stats.events += 1
        if file >= 0 && Int(file) < table.stats.files.count { table.stats.files[Int(file)].events += 1 }

        table.time.append(e.time)
        table.kind.append(e.kind)
        table.sequence.append(row)
        let u = nonEmpty(e.userId).map { table.strings.intern($0) } ?? -1
        let a = nonEmpty(e.anonymousId).map { table.strings.intern($0) } ?? -1
        userKey.append(u)
        anonKey.append(a)
        if u >= 0 {
            if a >= 0 { link(anon: a, user: u, time: e.time, seq: row) }
            if e.kind == .alias, let prev = nonEmpty(e.previousId) {
                link(anon: table.strings.intern(prev), user: u, time: e.time, seq: row)
            }
        }

        let nameText: String? = e.kind == .track ? e.event : (e.kind.isPageLike ? e.name : nil)
        table.name.append(nameText.map { table.strings.intern($0) } ?? -1)
        table.section.append(e.kind.isPageLike ? (Self.section(category: e.category, path: e.pagePath).map { table.strings.intern($0) } ?? -1) : -1)
        table.timezone.append(nonEmpty(e.timezone).map { table.strings.intern($0) } ?? -1)

        var carried: UInt64 = 0, granted: UInt64 = 0
        for c in e.consent {
            guard let bit = bit(for: c.category) else { continue }
            let m: UInt64 = 1 << UInt64(bit)
            carried |= m
            if c.granted { granted |= m } else { granted &= ~m }
        }
        table.consentCarried.append(carried)
        table.consentGranted.append(granted)

        let n = table.time.count
        for pv in e.properties {
            if let sel = selection, !sel.paths.contains(pv.path) { continue }
            let v = intern(pv.value)
            if table.properties[pv.path] == nil {
                table.properties[pv.path] = [PropValue](repeating: .missing, count: n - 1)
                table.properties[pv.path]!.reserveCapacity(n * 2)
            }
            let col = table.properties[pv.path]!.count
            if col == n { table.properties[pv.path]![n - 1] = v; continue }  // repeated path: last wins
            if col < n - 1 { table.properties[pv.path]!.append(contentsOf: repeatElement(.missing, count: n - 1 - col)) }
            table.properties[pv.path]!.append(v)
        }
        if e.kind == .identify {
            for t in e.traits {
                traitRowsRaw.append(row)
                table.traitKey.append(table.strings.intern(t.path))
                table.traitValue.append(intern(t.value))
            }
        }
        return true
    }

    /// The section of a page: its category if present, else the first segment of its path; lowercased.
    public static func section(category: String?, path: String?) -> String? {
        if let c = nonEmpty(category) { return c.lowercased() }
        guard let p = path else { return nil }
        let first = p.split(separator: "/", omittingEmptySubsequences: true).first
        guard let seg = first?.split(whereSeparator: { $0 == "?" || $0 == "#" }).first, !seg.isEmpty else { return nil }
        return seg.lowercased()
    }

    private mutating func link(anon: Int32, user: Int32, time: Int64, seq: Int32) {
        if let old = links[anon], (old.time, old.seq) <= (time, seq) { return }
        links[anon] = (time, seq, user)
    }

    private mutating func bit(for category: String) -> Int? {
        if let b = categoryBit[category] { return b }
        guard table.consentCategories.count < 64 else {
            if !warnedCategories {
                warnedCategories = true
                table.stats.warnings.append("more than 64 consent categories: \"\(category)\" and later ones are ignored")
            }
            return nil
        }
        let b = table.consentCategories.count
        table.consentCategories.append(category)
        categoryBit[category] = b
        return b
    }

    private mutating func intern(_ v: ScalarValue) -> PropValue {
        switch v {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .number(let d): return .number(d)
        case .string(let s): return .string(table.strings.intern(s))
        case .composite: return .composite
        }
    }

    /// Stitches identities, groups rows by person and orders them by time.
    public mutating func finish() -> EventTable {
        let n = table.time.count
        // Pad property columns to full length.
        for key in Array(table.properties.keys) where table.properties[key]!.count < n {
            table.properties[key]!.append(contentsOf: repeatElement(.missing, count: n - table.properties[key]!.count))
        }
        // 1. Resolve each row's person key; number persons by first appearance in file order.
        var personOf = [Int32](repeating: 0, count: n)
        var index: [Int64: Int32] = [:]
        var personID: [Int32] = [], personIsUser: [Bool] = []
        for r in 0..<n {
            let key: Int64
            if userKey[r] >= 0 { key = Int64(userKey[r]) }
            else if let l = links[anonKey[r]] { key = Int64(l.user) }
            else if anonKey[r] >= 0 { key = Int64(anonKey[r]) | (1 << 40) }
            else { key = -1 }  // the reader never passes such events; keep them as one "unknown" person
            if let p = index[key] { personOf[r] = p; continue }
            let p = Int32(personID.count)
            index[key] = p
            personOf[r] = p
            personID.append(key < 0 ? table.strings.intern("") : Int32(truncatingIfNeeded: key & 0xFFFF_FFFF))
            personIsUser.append(key >= 0 && key < (1 << 40))
        }
        let persons = personID.count
        // 2. Counting sort by person (stable: file order inside a person), then by time.
        var start = [Int32](repeating: 0, count: persons + 1)
        for p in personOf { start[Int(p) + 1] += 1 }
        for p in 0..<persons { start[p + 1] += start[p] }
        var next = start
        var order = [Int32](repeating: 0, count: n)
        for r in 0..<n {
            let p = Int(personOf[r])
            order[Int(next[p])] = Int32(r)
            next[p] += 1
        }
        let time = table.time
        for p in 0..<persons {
            let lo = Int(start[p]), hi = Int(start[p + 1])
            var sorted = true
            if hi - lo > 1 {
                for i in lo + 1 ..< hi where time[Int(order[i - 1])] > time[Int(order[i])] { sorted = false; break }
            }
            if !sorted {
                order[lo..<hi].sort { (time[Int($0)], $0) < (time[Int($1)], $1) }
            }
        }
        // 3. Permute the columns.
        func permute<T>(_ a: [T]) -> [T] { order.map { a[Int($0)] } }
        var rowOf = [Int32](repeating: 0, count: n)  // old row → new row
        for (newRow, old) in order.enumerated() { rowOf[Int(old)] = Int32(newRow) }
        table.time = permute(table.time)
        table.kind = permute(table.kind)
        table.name = permute(table.name)
        table.section = permute(table.section)
        table.timezone = permute(table.timezone)
        table.sequence = permute(table.sequence)
        table.consentCarried = permute(table.consentCarried)
        table.consentGranted = permute(table.consentGranted)
        for key in Array(table.properties.keys) { table.properties[key] = permute(table.properties[key]!) }
        table.person = order.map { personOf[Int($0)] }
        table.personStart = start
        table.personID = personID
        table.personIsUser = personIsUser
        // Traits: remap rows and order by new row (stable).
        let tr = traitRowsRaw.map { rowOf[Int($0)] }
        let tOrder = tr.indices.sorted { (tr[$0], $0) < (tr[$1], $1) }
        table.traitRow = tOrder.map { tr[$0] }
        table.traitKey = tOrder.map { table.traitKey[$0] }
        table.traitValue = tOrder.map { table.traitValue[$0] }
        return table
    }
}

private struct MessageKey: Hashable {
    var a: Int
    var b: Int
}

@inline(__always) func nonEmpty(_ s: String?) -> String? {
    guard let s, !s.isEmpty else { return nil }
    return s
}
