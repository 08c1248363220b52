import Dispatch

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
///   by a 128-bit keyed hash of the id (two independently seeded 64-bit multiply-fold hashes;
///   for a well-mixed 128-bit key a collision among 10⁹ ids has probability < 10⁻²⁰).
public struct EventTableBuilder {
    var table = EventTable()
    let selection: FieldSelection?
    var seen = MessageKeySet()
    /// Keys of the dedupe hash (random per builder; kept in the persistent cache with the keys).
    let seeds: (UInt64, UInt64)

    // Raw per-row identity, resolved in finish().
    var userKey: [Int32] = []
    var anonKey: [Int32] = []
    /// anonymousId (interned) → the earliest (time, sequence, userId) it appeared with.
    var links = LinkTable()
    /// The rows being applied (their row-column values), moved into the columns by ``flushRows()``; `staged` of
    /// them are filled. Nothing is staged between the builder's public operations.
    var stage = RowStage()
    var staged = 0
    /// Events and duplicates of the current file not yet added to its ``FileStats`` (added by ``flushRows()`` and
    /// when the file changes): a file's counters are not written per event. `pendingFile` is -1 when the
    /// file has no entry in `stats.files` (nothing is counted per file then).
    var pendingFile: Int32 = -1
    var pendingFileIndex: Int32 = -1
    var pendingEvents = 0
    var pendingDuplicates = 0
    /// For chunks parsed to bytes: the consent category seen last at each position of an event's consent list
    /// (``ConsentHint``): most events carry the same categories in the same order, so the category interner is
    /// probed only on a change.
    var consentHints: [ConsentHint] = []
    var categoryBit: [String: Int] = [:]
    /// Set once more than ``maxConsentCategories`` categories were seen (then a resumed build
    /// cannot continue exactly, and the cache reads the store in full).
    var warnedCategories = false
    /// Consent of categories that found no free bit, by build row (rows ascending): re-ranked at ``finish()``.
    var overflowConsent: [(row: Int32, category: Int32, granted: Bool)] = []
    var overflowNames: [String] = []
    var overflowIndex: [String: Int32] = [:]
    /// Categories kept whatever their frequency when there are more than ``maxConsentCategories``
    /// (the analytics category of the analysis; `Analytics` unless set).
    public var pinnedConsentCategories: Set<String> = ["Analytics"]
    /// The table keeps at most this many consent categories (one bit each in a 64-bit mask per event).
    public static let maxConsentCategories = 64
    var traitRowsRaw: [Int32] = []
    /// Per trait entry: PostHog `$set_once` (dropped by finish() where the person had an earlier value).
    var traitOnceRaw: [Bool] = []
    /// Build rows whose `categoryPreferences` was empty: they deny every category (set in ``finish()``,
    /// when all categories are known).
    var clearedRows: [Int32] = []
    /// Build row of each captured answer (remapped by ``finish()``).
    var answerRowsRaw: [Int32] = []

    // Property columns while building (moved into `table.properties` by finish()): sparse from the first
    // row (#14), so a cold read never holds 8 bytes per row for a path the row does not carry.
    var columns: [PropertyColumn] = []
    var columnPaths: [String] = []
    /// Path → column index, or -1 for a path outside the selection.
    var columnIndex: [String: Int] = [:]
    /// The column used last at each position of an event's property list (a guess that is usually right).
    var columnHint: [Int] = []
    /// For chunks parsed to bytes: the column of each selected path index of the parser (-2: not looked up yet).
    var columnOfSelection: [Int] = []
    /// For chunks parsed to bytes: consent category names (a private interner) and their bits (-1: none yet).
    var categoryNames = Interner()
    var categoryBitByName: [Int] = []
    /// For chunks parsed to bytes: the interner id of each string of the chunk being applied (-1: not used yet).
    var chunkIDs: [Int32] = []
    /// Array columns while building (rows in file order; padded lazily), by array path.
    var arrayColumns: [String: ArrayColumn] = [:]
    /// Rows the reader expects in all (``reserve(rows:)``): property columns are created with this capacity.
    var expectedRows = 0

    /// Statistics gathered so far; the store reader adds files and lines here.
    public var stats: StoreStats {
        get { table.stats }
        // In place: `builder.stats.files[i].lines += 1` must not copy the stats arrays.
        _modify { yield &table.stats }
    }

    /// - Parameter selection: property paths to keep; `nil` keeps every path the events carry.
    public init(selection: FieldSelection? = nil) {
        var g = SystemRandomNumberGenerator()
        self.init(selection: selection, seeds: (g.next(), g.next()))
    }

    init(selection: FieldSelection?, seeds: (UInt64, UInt64)) {
        self.selection = selection
        self.seeds = seeds
    }

    /// Number of rows accepted so far.
    public var count: Int { table.time.count + staged }

    /// Adds one parsed event from `file` (an index into `stats.files`, or -1).
    /// - Returns: `false` when it was a duplicate and ignored.
    @discardableResult
    public mutating func add(_ e: ParsedEvent, file: Int32 = -1) -> Bool {
        add(Self.prepare(e, seeds: seeds), file: file)
    }

    /// The work of ``add(_:file:)`` that needs no builder state (done on the parsing threads):
    /// the dedupe key and the page section.
    static func prepare(_ e: ParsedEvent, seeds: (UInt64, UInt64)) -> PreparedEvent {
        PreparedEvent(event: e,
                      key: e.messageId.flatMap { $0.isEmpty ? nil : MessageKey($0, seeds: seeds) },
                      section: e.kind.isPageLike ? section(category: e.category, path: e.pagePath) : nil)
    }

    /// Adds a prepared event (its key must come from this builder's `seeds`).
    @discardableResult
    mutating func add(_ p: PreparedEvent, file: Int32) -> Bool {
        defer { flushRows() }
        let e = p.event
        guard let row = beginRow(key: p.key, time: e.time, kind: e.kind, file: file) else { return false }
        let u = nonEmpty(e.userId).map { table.strings.intern($0) } ?? -1
        let a = nonEmpty(e.anonymousId).map { table.strings.intern($0) } ?? -1
        let prev = e.kind == .alias && u >= 0 ? nonEmpty(e.previousId).map { table.strings.intern($0) } : nil
        addIdentity(user: u, anon: a, previous: prev, time: e.time, row: row)

        let nameText: String? = e.kind == .track ? e.event : (e.kind.isPageLike ? e.name : nil)
        let s = staged - 1
        stage.name[s] = nameText.map { table.strings.intern($0) } ?? -1
        stage.section[s] = p.section.map { table.strings.intern($0) } ?? -1
        stage.timezone[s] = nonEmpty(e.timezone).map { table.strings.intern($0) } ?? -1

        var carried: UInt64 = 0, granted: UInt64 = 0
        for c in e.consent {
            if let label = c.label, !label.isEmpty, table.consentLabels[c.category] != label { table.consentLabels[c.category] = label }
            guard let bit = bit(for: c.category) else { overflow(c.category, granted: c.granted); continue }
            let m: UInt64 = 1 << UInt64(bit)
            carried |= m
            if c.granted { granted |= m } else { granted &= ~m }
        }
        stage.carried[s] = carried
        stage.granted[s] = granted
        if e.consentCleared { clearedRows.append(row) }

        let n = count
        for (position, pv) in e.properties.enumerated() {
            let c = column(for: pv.path, position: position)
            if c < 0 { continue }
            setLastRow(column: c, intern(pv.value), rows: n)
        }
        for t in e.traits { addTrait(t, once: false, row: row) }
        for t in e.onceTraits { addTrait(t, once: true, row: row) }
        for a in e.arrays {
            let values = a.values.map { ($0.element, $0.path, intern($0.value)) }
            addArray(a.path, shape: a.shape, count: a.count, values: values, rows: n)
        }
        for a in e.answers {
            answerRowsRaw.append(row)
            table.answerKey.append(table.strings.intern(a.path))
            table.answerValue.append(intern(a.value))
        }
        return true
    }

    /// Sets the array column `path` of the newest row (`rows` = row count): its shape, `count`
    /// elements (all `.missing`), then `values` (element index, element path, value).
    /// Element paths outside the selection are dropped.
    mutating func addArray(_ path: String, shape: ArrayShape, count: Int, values: [(Int, String, PropValue)], rows n: Int) {
        var col = arrayColumns.removeValue(forKey: path) ?? ArrayColumn()
        if col.shape.count == n {
            // The path repeated within one event (cannot happen from the parser): the last wins.
            col.shape.removeLast(); col.start.removeLast()
            let end = Int(col.start.last!)
            for k in col.values.keys { col.values[k]!.removeSubrange(min(end, col.values[k]!.count)...) }
        }
        if col.shape.count < n - 1 {  // the rows since the last one with this path: in one step, not row by row
            let gap = n - 1 - col.shape.count, end = col.start.last!
            col.shape.append(contentsOf: repeatElement(ArrayShape.missing.rawValue, count: gap))
            col.start.append(contentsOf: repeatElement(end, count: gap))
        }
        let first = Int(col.start.last!)
        col.shape.append(shape.rawValue)
        col.start.append(Int32(first + count))
        let selection = self.selection
        for (element, elementPath, v) in values {
            guard element >= 0, element < count else { continue }
            // One hash of the path per value (it was four: a lookup per access of `col.values[elementPath]`).
            var index = col.values.index(forKey: elementPath)
            if index == nil {
                if let selection, !selection.paths.contains(elementPath) { continue }
                col.values[elementPath] = []
                index = col.values.index(forKey: elementPath)
            }
            Self.put(v, at: first + element, in: &col.values.values[index!])
        }
        arrayColumns[path] = col
    }

    /// Sets `list[at]` to `v`, padding with `.missing` up to it.
    @inline(__always) static func put(_ v: PropValue, at: Int, in list: inout [PropValue]) {
        if list.count <= at { list.append(contentsOf: repeatElement(.missing, count: at + 1 - list.count)) }
        list[at] = v
    }

    private mutating func addTrait(_ t: PathValue, once: Bool, row: Int32) {
        traitRowsRaw.append(row)
        traitOnceRaw.append(once)
        table.traitKey.append(table.strings.intern(t.path))
        table.traitValue.append(intern(t.value))
    }

    /// Starts a row for an event: drops it as a duplicate (counted, `nil`) when its key was seen, else
    /// counts it and appends its time, kind and file-order sequence. Shared by both `add` paths.
    /// The row's time, kind and sequence go to the stage (``RowStage``); the caller fills the rest of its slot
    /// (`staged - 1`) before the next row.
    @inline(__always)
    mutating func beginRow(key: MessageKey?, time: Int64, kind: EventKind, file: Int32) -> Int32? {
        if file != pendingFile { switchFile(file) }
        if let key, !seen.insert(key) {
            table.stats.duplicates += 1
            pendingDuplicates += 1
            return nil
        }
        if staged == RowStage.rows { flushRows() }
        // A copy of the builder (a follower's snapshot) shares the stage's memory; it holds no staged rows (every
        // public operation flushes), but this builder must not write into memory another copy can read.
        if staged == 0 && !isKnownUniquelyReferenced(&stage) { stage = RowStage() }
        let row = Int32(table.time.count + staged)
        table.stats.events += 1
        pendingEvents += 1
        let s = staged
        stage.time[s] = time
        stage.kind[s] = kind
        stage.sequence[s] = row
        staged = s + 1
        return row
    }

    /// Adds the pending per-file counts to the file they belong to and makes `file` the current one.
    @inline(never)
    mutating func switchFile(_ file: Int32) {
        addPendingFileCounts()
        pendingFile = file
        pendingFileIndex = file >= 0 && Int(file) < table.stats.files.count ? file : -1
    }

    /// Adds the pending per-file counts to their file's ``FileStats``.
    mutating func addPendingFileCounts() {
        if pendingFileIndex >= 0 && (pendingEvents != 0 || pendingDuplicates != 0) {
            table.stats.files[Int(pendingFileIndex)].events += pendingEvents
            table.stats.files[Int(pendingFileIndex)].duplicates += pendingDuplicates
        }
        pendingEvents = 0
        pendingDuplicates = 0
    }

    /// Moves the staged rows into the row columns and the pending per-file counts into the stats (see ``RowStage``).
    /// Called when the stage is full, at the end of each chunk and each single `add`, and before the columns are read.
    mutating func flushRows() {
        addPendingFileCounts()
        let n = staged
        guard n > 0 else { return }
        let st = stage
        table.time.append(contentsOf: UnsafeBufferPointer(start: st.time, count: n))
        table.kind.append(contentsOf: UnsafeBufferPointer(start: st.kind, count: n))
        table.sequence.append(contentsOf: UnsafeBufferPointer(start: st.sequence, count: n))
        table.name.append(contentsOf: UnsafeBufferPointer(start: st.name, count: n))
        table.section.append(contentsOf: UnsafeBufferPointer(start: st.section, count: n))
        table.timezone.append(contentsOf: UnsafeBufferPointer(start: st.timezone, count: n))
        table.consentCarried.append(contentsOf: UnsafeBufferPointer(start: st.carried, count: n))
        table.consentGranted.append(contentsOf: UnsafeBufferPointer(start: st.granted, count: n))
        userKey.append(contentsOf: UnsafeBufferPointer(start: st.user, count: n))
        anonKey.append(contentsOf: UnsafeBufferPointer(start: st.anon, count: n))
        staged = 0
    }

    /// Records the row's ids (interned, -1 when absent) and the anonymous → user links they make:
    /// an event carrying both ids, and an alias's `previousId` (given only for an alias with a user).
    @inline(__always)
    mutating func addIdentity(user u: Int32, anon a: Int32, previous: Int32?, time: Int64, row: Int32) {
        stage.user[staged - 1] = u
        stage.anon[staged - 1] = a
        guard u >= 0 else { return }
        if a >= 0 { link(anon: a, user: u, time: time, seq: row) }
        if let previous { link(anon: previous, user: u, time: time, seq: row) }
    }

    /// Sets column `c` of the newest row (`rows` = row count) to `v`: pads skipped rows with `.missing`;
    /// a path repeated within one event keeps its last value.
    @inline(__always)
    mutating func setLastRow(column c: Int, _ v: PropValue, rows n: Int) {
        let have = columns[c].count
        if have == n { columns[c].setLast(v); return }
        if have < n - 1 { columns[c].pad(to: n - 1) }
        columns[c].append(v, expectingRows: expectedRows)
    }

    /// The column index of `path` (-1: not selected), creating the column on first sight.
    @inline(__always)
    private mutating func column(for path: String, position: Int) -> Int {
        if position < columnHint.count {
            let h = columnHint[position]
            if h >= 0 && columnPaths[h] == path { return h }
        } else {
            columnHint.append(-1)
        }
        let c = column(for: path)
        if c >= 0 { columnHint[position] = c }
        return c
    }

    /// The column index of `path` (-1: not selected), creating the column on first sight.
    mutating func column(for path: String) -> Int {
        let c: Int
        if let known = columnIndex[path] {
            c = known
        } else if let sel = selection, !sel.paths.contains(path) {
            c = -1
            columnIndex[path] = -1
        } else {
            c = columns.count
            var col = PropertyColumn()
            col.reserve(rows: max(count * 2, expectedRows))
            col.pad(to: count - 1)
            columns.append(col)
            columnPaths.append(path)
            columnIndex[path] = c
        }
        return c
    }

    /// The section of a page: its category if present, else the first segment of its path; lowercased.
    public static func section(category: String?, path: String?) -> String? {
        if let c = nonEmpty(category) { return lowercased(c) }
        guard var p = path else { return nil }
        return p.withUTF8 { u -> String? in
            let slash = UInt8(ascii: "/"), question = UInt8(ascii: "?"), hash = UInt8(ascii: "#")
            let n = u.count
            var i = 0
            while i < n && u[i] == slash { i += 1 }
            guard i < n else { return nil }
            var j = i
            while j < n && u[j] != slash { j += 1 }
            // Inside the first non-empty segment: its first non-empty piece between `?` and `#`.
            var a = i
            while a < j && (u[a] == question || u[a] == hash) { a += 1 }
            guard a < j else { return nil }
            var b = a
            while b < j && u[b] != question && u[b] != hash { b += 1 }
            return lowercased(UnsafeBufferPointer(rebasing: u[a ..< b]))
        }
    }

    /// `s.lowercased()`, without the Unicode machinery for ASCII text.
    static func lowercased(_ s: String) -> String {
        var s = s
        return s.withUTF8 { lowercased($0) }
    }

    static func lowercased(_ u: UnsafeBufferPointer<UInt8>) -> String {
        var ascii = true, upper = false
        for c in u {
            if c >= 0x80 { ascii = false; break }
            if c >= 0x41 && c <= 0x5A { upper = true }
        }
        if !ascii { return String(decoding: u, as: UTF8.self).lowercased() }
        if !upper { return String(decoding: u, as: UTF8.self) }
        return String(unsafeUninitializedCapacity: u.count) { out in
            for (k, c) in u.enumerated() { out[k] = c >= 0x41 && c <= 0x5A ? c | 0x20 : c }
            return u.count
        }
    }

    @inline(__always) mutating func link(anon: Int32, user: Int32, time: Int64, seq: Int32) {
        links.link(anon: anon, user: user, time: time, seq: seq)
    }

    /// The bit of `category`, a new one while fewer than ``maxConsentCategories`` are taken; nil
    /// when all are (the caller then records the row's consent with ``overflow(_:granted:)``).
    mutating func bit(for category: String) -> Int? {
        if let b = categoryBit[category] { return b }
        guard table.consentCategories.count < Self.maxConsentCategories else {
            warnedCategories = true
            return nil
        }
        let b = table.consentCategories.count
        table.consentCategories.append(category)
        categoryBit[category] = b
        return b
    }

    /// Records the current row's consent for a category that has no bit (all are taken): whether
    /// it is kept is decided at ``finish()``, by how many events carry it.
    mutating func overflow(_ category: String, granted: Bool) {
        let id: Int32
        if let i = overflowIndex[category] { id = i } else {
            id = Int32(overflowNames.count)
            overflowNames.append(category)
            overflowIndex[category] = id
        }
        overflowConsent.append((Int32(count - 1), id, granted))  // the row being added
    }

    /// With more than ``maxConsentCategories`` categories: keeps the pinned ones and then those
    /// carried by the most events (ties: first seen), in first-seen order, and rebuilds every row's
    /// consent bits for them; the others are dropped with one warning. Counting comes first, so
    /// junk categories on a few early lines never take the slots of common ones. Linear in rows
    /// plus recorded overflow entries.
    mutating func rebalanceConsentCategories() {
        guard !overflowConsent.isEmpty else { return }
        let old = table.consentCategories
        let names = old + overflowNames  // first-seen order: overflow names all came after the bits were taken
        var events = [Int](repeating: 0, count: names.count)
        for carried in table.consentCarried {
            var m = carried
            while m != 0 { events[m.trailingZeroBitCount] += 1; m &= m &- 1 }
        }
        for o in overflowConsent { events[old.count + Int(o.category)] += 1 }
        let ranked = names.indices.sorted { a, b in
            let pa = pinnedConsentCategories.contains(names[a]), pb = pinnedConsentCategories.contains(names[b])
            if pa != pb { return pa }
            return events[a] != events[b] ? events[a] > events[b] : a < b
        }
        let kept = Set(ranked.prefix(Self.maxConsentCategories))
        var newBit = [Int](repeating: -1, count: names.count)
        var categories: [String] = []
        for i in names.indices where kept.contains(i) {
            newBit[i] = categories.count
            categories.append(names[i])
        }
        var next = 0
        var newCarried = CodedColumn<UInt64>(), newGranted = CodedColumn<UInt64>()
        newCarried.reserveCapacity(table.consentCarried.count)
        newGranted.reserveCapacity(table.consentCarried.count)
        for r in table.consentCarried.indices {
            var carried: UInt64 = 0, granted: UInt64 = 0
            var m = table.consentCarried[r]
            while m != 0 {
                let b = m.trailingZeroBitCount
                m &= m &- 1
                guard newBit[b] >= 0 else { continue }
                let bit: UInt64 = 1 << UInt64(newBit[b])
                carried |= bit
                if table.consentGranted[r] & (1 << UInt64(b)) != 0 { granted |= bit }
            }
            while next < overflowConsent.count && Int(overflowConsent[next].row) == r {
                let o = overflowConsent[next]
                next += 1
                let nb = newBit[old.count + Int(o.category)]
                guard nb >= 0 else { continue }
                let bit: UInt64 = 1 << UInt64(nb)
                carried |= bit
                if o.granted { granted |= bit } else { granted &= ~bit }
            }
            newCarried.append(carried)
            newGranted.append(granted)
        }
        table.consentCarried = newCarried
        table.consentGranted = newGranted
        let dropped = names.indices.filter { !kept.contains($0) }
        let example = dropped.sorted { events[$0] != events[$1] ? events[$0] > events[$1] : $0 < $1 }.first.map { names[$0] } ?? ""
        table.stats.warnings.append("more than \(Self.maxConsentCategories) consent categories (\(names.count)): the "
            + "\(Self.maxConsentCategories) carried by the most events are kept, the other \(dropped.count) ignored "
            + "(e.g. \"\(example)\")")
        table.consentCategories = categories
        categoryBit = [:]
        for (i, c) in categories.enumerated() { categoryBit[c] = i }
        overflowConsent = []; overflowNames = []; overflowIndex = [:]
        categoryNames = Interner(); categoryBitByName = []; consentHints = []
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
        flushRows()
        // The dedupe set is not needed any more (the cache writer took its keys with rawState()): freed
        // before finish()'s peak.
        seen = MessageKeySet()
        rebalanceConsentCategories()
        let n = table.time.count
        // Pad property columns to full length and hand them to the table.
        for c in columns.indices { columns[c].pad(to: n) }
        for (c, path) in columnPaths.enumerated() { table.properties[path] = columns[c] }
        columns = []
        for (path, var col) in arrayColumns {
            while col.shape.count < n { col.shape.append(ArrayShape.missing.rawValue); col.start.append(col.start.last!) }
            let total = col.elementCount
            for k in col.values.keys where col.values[k]!.count < total {
                col.values[k]!.append(contentsOf: repeatElement(.missing, count: total - col.values[k]!.count))
            }
            table.arrays[path] = col
        }
        arrayColumns = [:]
        // An empty categoryPreferences denies every category the store knows (Segment's semantics).
        let allCategories: UInt64 = table.consentCategories.count >= 64 ? ~0 : (1 << UInt64(table.consentCategories.count)) - 1
        if clearedRows.contains(where: { Int($0) < n }) {
            var cleared = [Bool](repeating: false, count: n)
            for r in clearedRows where r >= 0 && Int(r) < n { cleared[Int(r)] = true }
            table.consentCarried = table.consentCarried.mapped { r, v in cleared[r] ? allCategories : v }
            table.consentGranted = table.consentGranted.mapped { r, v in cleared[r] ? 0 : v }
        }
        // 0. The coded row columns need no person order to find their distinct values: coded in row order on another
        //    thread while this one makes the order (serial work that would leave the second core idle); their
        //    permutation jobs then only move and renumber codes (``CodedColumn/recoded(_:)``).
        let precoding = DispatchGroup()
        let precoded = Permutation.Box((name: CodedColumn<Int32>?.none, section: CodedColumn<Int32>?.none,
                                        timezone: CodedColumn<Int32>?.none, carried: CodedColumn<UInt64>?.none,
                                        granted: CodedColumn<UInt64>?.none))
        if n >= 4096 {
            let name = table.name, section = table.section, timezone = table.timezone
            let carried = table.consentCarried, granted = table.consentGranted
            DispatchQueue.global().async(group: precoding) {
                precoded.value = (name.codedInRowOrder(), section.codedInRowOrder(), timezone.codedInRowOrder(),
                                  carried.codedInRowOrder(), granted.codedInRowOrder())
            }
        }
        // 1. Resolve each row's person key; number persons by first appearance in file order.
        //    Keys are interned ids, so plain arrays indexed by id replace hash lookups.
        // Sized by the largest id used as a person key, not by every interned string: a store of a
        // million distinct event names does not pay 13 bytes per name here (#11.15).
        var ids = 0
        for u in userKey where Int(u) >= ids { ids = Int(u) + 1 }
        for a in anonKey where Int(a) >= ids { ids = Int(a) + 1 }
        for (_, l) in links where Int(l.user) >= ids { ids = Int(l.user) + 1 }
        // The user each anonymousId belongs to (-1: none): itself when it is some event's userId (PostHog writes
        // one `distinct_id` for both; see docs/EVENTS.md), else the user it was first linked to.
        var anonUser = [Int32](repeating: -1, count: ids)
        for (anon, l) in links where Int(anon) < ids { anonUser[Int(anon)] = l.user }
        for u in userKey where u >= 0 { anonUser[Int(u)] = u }
        let numbered = Self.numberPersons(user: userKey, anon: anonKey, anonUser: anonUser, ids: ids)
        var personOf = numbered.personOf
        var personID = numbered.personID
        let personIsUser = numbered.personIsUser
        // The reader never passes events without ids; such rows are kept as one "unknown" person.
        if numbered.unknown >= 0 { personID[Int(numbered.unknown)] = table.strings.intern("") }
        let persons = personID.count
        // The raw ids and links are resolved: freed before the permutation's peak (a cache write keeps its
        // own copy through rawState()). The two id columns' memory (n rows of Int32 each, already resident) is
        // reused for the person column and the inverse order below instead of fresh pages.
        var personColumn = userKey.count == n ? userKey : [Int32](repeating: 0, count: n)
        var inverse = anonKey.count == n ? anonKey : [Int32](repeating: 0, count: n)
        userKey = []; anonKey = []; links = LinkTable(); anonUser = []
        // 2. Counting sort by person (stable: file order inside a person), then by time.
        let (start, orderByPerson) = Self.countingSort(personOf, persons: persons)
        var order = orderByPerson
        // Inside each person, by time (ties by file order: a total order, so the result is unique). Persons
        // with unsorted rows are rare; the persons are split in two halves of rows, sorted concurrently. Each
        // half then writes, for its new rows, the person column and the inverse order (old row → new row: the
        // sparse columns' permutation and the traits' and answers' rows use it).
        table.time.wide.withUnsafeBufferPointer { time in  // the builder's column is never packed
            order.withUnsafeMutableBufferPointer { order in
                personColumn.withUnsafeMutableBufferPointer { personColumn in
                    inverse.withUnsafeMutableBufferPointer { inverse in
                        let halves = Self.splitPersons(start, parts: n >= 4096 ? 2 : 1)
                        let orderBox = UnsafeSendable(order), timeBox = UnsafeSendable(time), startBox = UnsafeSendable(start)
                        let personBox = UnsafeSendable(personColumn), inverseBox = UnsafeSendable(inverse)
                        DispatchQueue.concurrentPerform(iterations: halves.count - 1) { h in
                            let order = orderBox.value, time = timeBox.value
                            let personColumn = personBox.value, inverse = inverseBox.value
                            startBox.value.withUnsafeBufferPointer { start in
                                for p in halves[h] ..< halves[h + 1] {
                                    let lo = Int(start[p]), hi = Int(start[p + 1])
                                    for i in lo ..< hi { personColumn[i] = Int32(truncatingIfNeeded: p) }
                                    guard hi - lo > 1 else { continue }
                                    var sorted = true
                                    for i in lo + 1 ..< hi where time[Int(order[i - 1])] > time[Int(order[i])] { sorted = false; break }
                                    if !sorted {
                                        var run = UnsafeMutableBufferPointer(rebasing: order[lo ..< hi])
                                        run.sort { (time[Int($0)], $0) < (time[Int($1)], $1) }
                                    }
                                }
                                let lo = Int(start[halves[h]]), hi = Int(start[halves[h + 1]])
                                for i in lo ..< hi { inverse[Int(order[i])] = Int32(truncatingIfNeeded: i) }
                            }
                        }
                    }
                }
            }
        }
        precoding.wait()
        let coded = precoded.value
        if let c = coded.name { table.name = c }
        if let c = coded.section { table.section = c }
        if let c = coded.timezone { table.timezone = c }
        if let c = coded.carried { table.consentCarried = c }
        if let c = coded.granted { table.consentGranted = c }
        precoded.value = (nil, nil, nil, nil, nil)
        // 3. Permute the columns and reorder traits and answers: independent jobs, run on all cores, the
        //    longest first.
        let rowOf = inverse  // old row → new row
        inverse = []
        let permuted = Permutation(order: order, inverse: rowOf)
        // Traits and answers: rows remapped to the new order, entries ordered by new row (stable: a counting
        // sort by row keeps the entries of one row in their original order, as the sort by (row, index) did).
        let traitsBox = Permutation.Box((row: [Int32](), key: [Int32](), value: [PropValue]()))
        let answersBox = Permutation.Box((row: [Int32](), key: [Int32](), value: [PropValue]()))
        let traitInput = (rows: traitRowsRaw, once: traitOnceRaw, key: table.traitKey, value: table.traitValue)
        let answerInput = (rows: answerRowsRaw, key: table.answerKey, value: table.answerValue)
        let personOfRow = personOf
        table.traitKey = []; table.traitValue = []; table.answerKey = []; table.answerValue = []
        permuted.task(cost: 2 * n + 12 * (traitInput.rows.count + answerInput.rows.count)) {
            let tr = traitInput.rows.map { rowOf[Int($0)] }
            var tOrder = Self.stableOrder(byRow: tr, rows: n)
            if traitInput.once.contains(true) {
                // `$set_once`: kept only when the person has no earlier entry for the key.
                var keys = Set<Int32>()
                var person: Int32 = -1
                tOrder = tOrder.filter { i in
                    let p = personOfRow[Int(traitInput.rows[Int(i)])]
                    if p != person { person = p; keys.removeAll(keepingCapacity: true) }
                    let fresh = keys.insert(traitInput.key[Int(i)]).inserted
                    return fresh || !traitInput.once[Int(i)]
                }
            }
            traitsBox.value = Self.entries(tOrder, rows: tr, keys: traitInput.key, values: traitInput.value)
            let ar = answerInput.rows.map { rowOf[Int($0)] }
            let aOrder = Self.stableOrder(byRow: ar, rows: n)
            answersBox.value = Self.entries(aOrder, rows: ar, keys: answerInput.key, values: answerInput.value)
        }
        personOf = []
        // Every row column the builder fills (EventTable.rowColumns), then the property and array columns; each
        // source column is dropped from the table so it is freed as soon as its job is done.
        let putBack = EventTable.rowColumns.filter { !$0.derived }.map { $0.permute(&table, permuted) }
        let propertyKeys = Array(table.properties.keys)
        let props2 = propertyKeys.map { permuted.sparse(table.properties[$0]!) }
        table.properties = [:]
        let arrayKeys = Array(table.arrays.keys)
        let arrays2 = arrayKeys.map { k in
            let column = table.arrays[k]!
            return permuted.job(column, cost: 2 * n + column.elementCount * (2 + 2 * column.values.count)) { $0.permuted($1) }
        }
        table.arrays = [:]
        permuted.run()
        for f in putBack { f(&table) }
        for (k, slot) in zip(propertyKeys, props2) { table.properties[k] = slot.value }
        for (k, slot) in zip(arrayKeys, arrays2) { table.arrays[k] = slot.value }
        table.person = personColumn
        table.personStart = start
        table.personID = personID
        table.personIsUser = personIsUser
        (table.traitRow, table.traitKey, table.traitValue) = traitsBox.value
        (table.answerRow, table.answerKey, table.answerValue) = answersBox.value
        return table
    }
}

extension EventTableBuilder {
    /// Each row's person, persons numbered by first appearance in row order. A row's person is its user
    /// (`user[r]`), else the user its anonymousId belongs to (`anonUser[anon[r]]`), else its anonymousId; a
    /// row with neither belongs to one "unknown" person, numbered where it first appears, whose id is left
    /// -1 in `personID` for the caller to fill. Ids are below `ids`; `anonUser` has `ids` entries.
    static func numberPersons(user: [Int32], anon: [Int32], anonUser: [Int32], ids: Int)
        -> (personOf: [Int32], personID: [Int32], personIsUser: [Bool], unknown: Int32) {
        let n = user.count
        precondition(anon.count == n && anonUser.count == ids)
        var personID: [Int32] = [], personIsUser: [Bool] = []
        var unknown: Int32 = -1
        // Per id its person as a user (at 2 id) and as an anonymousId (at 2 id + 1), side by side: one cache
        // line for both lookups of an id.
        var personOfKey = [Int32](repeating: -1, count: 2 * ids)
        let personOf = [Int32](unsafeUninitializedCapacity: n) { out, initialized in
            user.withUnsafeBufferPointer { user in
                anon.withUnsafeBufferPointer { anon in
                    anonUser.withUnsafeBufferPointer { anonUser in
                        personOfKey.withUnsafeMutableBufferPointer { key in
                            for r in 0 ..< n {
                                var u = user[r]
                                let a = anon[r]
                                if u < 0 && a >= 0 { u = anonUser[Int(a)] }
                                let slot: Int
                                if u >= 0 {
                                    slot = 2 &* Int(u)
                                } else if a >= 0 {
                                    slot = 2 &* Int(a) &+ 1
                                } else {
                                    if unknown < 0 {
                                        unknown = Int32(truncatingIfNeeded: personID.count)
                                        personID.append(-1)
                                        personIsUser.append(false)
                                    }
                                    out[r] = unknown
                                    continue
                                }
                                var p = key[slot]
                                if p < 0 {
                                    p = Int32(truncatingIfNeeded: personID.count)
                                    key[slot] = p
                                    personID.append(u >= 0 ? u : a)
                                    personIsUser.append(u >= 0)
                                }
                                out[r] = p
                            }
                        }
                    }
                }
            }
            initialized = n
        }
        return (personOf, personID, personIsUser, unknown)
    }

    /// The rows grouped by person (`personOf[r]` below `persons`), file order inside a person, and each
    /// person's first index into that order (`persons + 1` entries): a counting sort.
    static func countingSort(_ personOf: [Int32], persons: Int) -> (start: [Int32], order: [Int32]) {
        let n = personOf.count
        var start = [Int32](repeating: 0, count: persons + 1)
        personOf.withUnsafeBufferPointer { personOf in
            start.withUnsafeMutableBufferPointer { start in
                for p in personOf { start[Int(p) &+ 1] &+= 1 }
                for p in 0 ..< persons { start[p + 1] &+= start[p] }
            }
        }
        var next = start
        let order = [Int32](unsafeUninitializedCapacity: n) { order, initialized in
            personOf.withUnsafeBufferPointer { personOf in
                next.withUnsafeMutableBufferPointer { next in
                    for r in 0 ..< n {
                        let p = Int(personOf[r])
                        order[Int(next[p])] = Int32(truncatingIfNeeded: r)
                        next[p] &+= 1
                    }
                }
            }
            initialized = n
        }
        return (start, order)
    }

    /// The entries picked by `order` (indices into `rows`, `keys`, `values`), in one pass.
    static func entries(_ order: [Int32], rows: [Int32], keys: [Int32], values: [PropValue])
        -> (row: [Int32], key: [Int32], value: [PropValue]) {
        var r: [Int32] = [], k: [Int32] = [], v: [PropValue] = []
        r.reserveCapacity(order.count); k.reserveCapacity(order.count); v.reserveCapacity(order.count)
        for i in order {
            r.append(rows[Int(i)]); k.append(keys[Int(i)]); v.append(values[Int(i)])
        }
        return (r, k, v)
    }

    /// The indices of `rows` (each below `count`) ordered by row, equal rows in index order: a counting
    /// sort, O(entries + rows), the same order as sorting by (row, index).
    static func stableOrder(byRow rows: [Int32], rows count: Int) -> [Int32] {
        guard !rows.isEmpty else { return [] }
        var next = [Int32](repeating: 0, count: count + 1)
        for r in rows { next[Int(r) + 1] += 1 }
        for r in 0 ..< count { next[r + 1] += next[r] }
        var out = [Int32](repeating: 0, count: rows.count)
        for (i, r) in rows.enumerated() {
            out[Int(next[Int(r)])] = Int32(i)
            next[Int(r)] += 1
        }
        return out
    }

    /// Person boundaries `0 = b[0] ≤ b[1] ≤ … ≤ b[parts] = persons` splitting the rows (given by the person
    /// ranges `start`) into `parts` runs of about equal size.
    static func splitPersons(_ start: [Int32], parts: Int) -> [Int] {
        let persons = start.count - 1, rows = Int(start.last ?? 0)
        var b = [0]
        var p = 0
        for k in 1 ..< max(1, parts) {
            let target = rows * k / parts
            while p < persons && Int(start[p]) < target { p += 1 }
            b.append(p)
        }
        b.append(persons)
        return b
    }
}

/// A value handed to concurrent jobs that each touch a disjoint part of it.
struct UnsafeSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

/// Applies one row order to many columns in parallel: `slot(_:)` registers a column (the array is
/// moved in), `run()` permutes all of them, then each slot's `value` holds its permuted column.
///
/// Each job carries an estimate of its cost (about the instructions per row it takes times rows): ``run()``
/// starts the costliest first, so the last jobs to start are short and no thread idles long while another
/// still has a long job.
final class Permutation: @unchecked Sendable {
    let order: [Int32]
    private var jobs: [(cost: Int, run: @Sendable () -> Void)] = []

    init(order: [Int32]) { self.order = order }

    /// An order with its inverse already made (`inverse[order[i]] == i` for every i: `finish` writes it while
    /// it sorts; not checked).
    init(order: [Int32], inverse: [Int32]) {
        precondition(inverse.count == order.count)
        self.order = order
        self.inverse = inverse
    }

    /// A column to permute; read `value` after ``run()``.
    final class Slot<T>: @unchecked Sendable {
        var value: [T]
        init(_ v: [T]) { value = v }
    }

    /// The inverse of ``order`` (old row → new row), made on first use by ``sparse(_:)`` (before ``run()``)
    /// unless given.
    private var inverse: [Int32]?

    /// A sparse column to permute; read `value` after ``run()``. Sparse columns are permuted from their present rows
    /// through the inverse order (``SparseColumn/permuted(_:inverse:)``).
    /// An order that is not a permutation (a row twice; never from `finish`'s counting sort) has no inverse: its
    /// columns take the row-by-row path, which follows any order.
    func sparse<V>(_ column: SparseColumn<V>) -> Box<SparseColumn<V>> {
        let n = order.count
        let dense = 2 * n + 2 * column.presentCount
        guard column.count == n else { return job(column, cost: dense) { $0.permuted($1) } }
        if inverse == nil {
            var inv = [Int32](repeating: -1, count: n)
            var isPermutation = true
            for (newRow, old) in order.enumerated() {
                guard inv[Int(old)] < 0 else { isPermutation = false; break }
                inv[Int(old)] = Int32(newRow)
            }
            inverse = isPermutation ? inv : []
        }
        let inverse = self.inverse!
        guard inverse.count == n else { return job(column, cost: dense) { $0.permuted($1) } }
        let cost = column.presentCount * 2 < n ? n / 4 + 8 * column.presentCount : dense
        return job(column, cost: cost) { $0.permuted($1, inverse: inverse) }
    }

    /// A value that `permute` (given the value and the order) replaces when the jobs run; read `value` after ``run()``.
    func job<T>(_ value: T, cost: Int, _ permute: @escaping (T, [Int32]) -> T) -> Box<T> {
        let b = Box(value)
        let order = self.order
        nonisolated(unsafe) let f = permute
        jobs.append((cost, { b.value = f(b.value, order) }))
        return b
    }

    /// Another job to run with the permutations (it touches only what it owns).
    func task(cost: Int, _ body: @escaping () -> Void) {
        nonisolated(unsafe) let f = body
        jobs.append((cost, { f() }))
    }

    /// A value a job replaces.
    final class Box<T>: @unchecked Sendable {
        var value: T
        init(_ v: T) { value = v }
    }

    func slot<T>(_ column: [T]) -> Slot<T> {
        let s = Slot(column)
        let order = self.order
        jobs.append((order.count, {
            let source = s.value
            s.value = [T](unsafeUninitializedCapacity: order.count) { out, initialized in
                source.withUnsafeBufferPointer { src in
                    for (i, o) in order.enumerated() { (out.baseAddress! + i).initialize(to: src[Int(o)]) }
                }
                initialized = order.count
            }
        }))
        return s
    }

    /// The jobs' costs in the order ``run()`` starts them (tests).
    var schedule: [Int] { Self.longestFirst(jobs.map(\.cost)).map { jobs[$0].cost } }

    /// Indices of `costs`, costliest first (equal costs in registration order).
    static func longestFirst(_ costs: [Int]) -> [Int] {
        costs.indices.sorted { costs[$0] != costs[$1] ? costs[$0] > costs[$1] : $0 < $1 }
    }

    /// Runs every job (each touches only its own slot), on all cores, the costliest first.
    func run() {
        let jobs = self.jobs
        let start = Self.longestFirst(jobs.map(\.cost))
        DispatchQueue.concurrentPerform(iterations: jobs.count) { jobs[start[$0]].run() }
        self.jobs = []
    }
}

/// A parsed event with the builder-independent work already done (see ``EventTableBuilder/prepare(_:seeds:)``).
struct PreparedEvent: Sendable {
    var event: ParsedEvent
    var key: MessageKey?
    var section: String?
}

@inline(__always) func nonEmpty(_ s: String?) -> String? {
    guard let s, !s.isEmpty else { return nil }
    return s
}
