/// Builder state that the finished table does not hold, needed to continue reading.
struct BuilderRaw {
    /// By build row (file order): the raw userId / anonymousId ids (-1: absent).
    var userKey: [Int32]
    var anonKey: [Int32]
    var linkAnon: [Int32]
    var linkTime: [Int64]
    var linkSeq: [Int32]
    var linkUser: [Int32]
    var seenA: [UInt64]
    var seenB: [UInt64]
    var seeds: (UInt64, UInt64)
    var warnedCategories: Bool
    /// Build rows with an empty `categoryPreferences` (re-expanded to every category by each finish()).
    var clearedRows: [Int32] = []
}

extension EventTableBuilder {
    /// The state ``finish()`` does not carry into the table. Call right before `finish()`.
    func rawState() -> BuilderRaw {
        var links = (anon: [Int32](), time: [Int64](), seq: [Int32](), user: [Int32]())
        for (k, v) in self.links.sorted(by: { $0.key < $1.key }) {
            links.anon.append(k); links.time.append(v.time); links.seq.append(v.seq); links.user.append(v.user)
        }
        let keys = seen.keyColumns
        // Rows still staged (none between the builder's public operations) belong to the ids too.
        var userKey = self.userKey, anonKey = self.anonKey
        if staged > 0 {
            userKey.append(contentsOf: UnsafeBufferPointer(start: stage.user, count: staged))
            anonKey.append(contentsOf: UnsafeBufferPointer(start: stage.anon, count: staged))
        }
        return BuilderRaw(userKey: userKey, anonKey: anonKey, linkAnon: links.anon, linkTime: links.time,
                          linkSeq: links.seq, linkUser: links.user, seenA: keys.a, seenB: keys.b,
                          seeds: seeds, warnedCategories: warnedCategories, clearedRows: clearedRows)
    }

    /// A builder that continues after the rows of a finished `table` (whose `sequence` column gives
    /// every row's original file order) with the raw state saved alongside it.
    init(resuming t: EventTable, raw: BuilderRaw) {
        self.init(selection: nil, seeds: raw.seeds)
        let n = t.count
        // Row order of the build: old row r sits at finished row `at[r]`.
        var at = [Int](repeating: 0, count: n)
        for (row, old) in t.sequence.enumerated() { at[Int(old)] = row }
        func unpermute<T>(_ a: [T]) -> [T] { at.map { a[$0] } }
        table.strings = t.strings
        for c in EventTable.rowColumns where !c.derived { c.reorder(&table, t, at) }  // `sequence` becomes 0, 1, …
        table.consentCategories = t.consentCategories
        table.stats = t.stats
        userKey = raw.userKey
        anonKey = raw.anonKey
        for (path, values) in t.properties.sorted(by: { $0.key < $1.key }) {
            columnIndex[path] = columns.count
            columnPaths.append(path)
            columns.append(values.permuted(at))
        }
        let atRows = at.map { Int32($0) }
        for (path, col) in t.arrays { arrayColumns[path] = col.permuted(atRows) }
        for (i, c) in t.consentCategories.enumerated() { categoryBit[c] = i }
        warnedCategories = raw.warnedCategories
        clearedRows = raw.clearedRows
        // Only links between interned ids: a damaged cache's link to no user reads as no link anyway, and an
        // anonymousId past the strings would size the link table by a number the store never produced.
        for i in raw.linkAnon.indices {
            let anon = raw.linkAnon[i], user = raw.linkUser[i]
            guard anon >= 0, Int(anon) < t.strings.count, user >= 0, Int(user) < t.strings.count else { continue }
            links[anon] = (raw.linkTime[i], raw.linkSeq[i], user)
        }
        seen = MessageKeySet(capacity: raw.seenA.count)
        for i in raw.seenA.indices { _ = seen.insert(MessageKey(a: raw.seenA[i], b: raw.seenB[i])) }
        // Traits in build order: by original row, stable.
        let oldRows = t.traitRow.map { t.sequence[Int($0)] }
        let order = oldRows.indices.sorted { (oldRows[$0], $0) < (oldRows[$1], $1) }
        traitRowsRaw = order.map { oldRows[$0] }
        table.traitKey = order.map { t.traitKey[$0] }
        table.traitValue = order.map { t.traitValue[$0] }
        traitOnceRaw = Array(repeating: false, count: order.count)
        table.consentLabels = t.consentLabels
        let oldAnswerRows = t.answerRow.map { t.sequence[Int($0)] }
        let answerOrder = oldAnswerRows.indices.sorted { (oldAnswerRows[$0], $0) < (oldAnswerRows[$1], $1) }
        answerRowsRaw = answerOrder.map { oldAnswerRows[$0] }
        table.answerKey = answerOrder.map { t.answerKey[$0] }
        table.answerValue = answerOrder.map { t.answerValue[$0] }
    }
}
