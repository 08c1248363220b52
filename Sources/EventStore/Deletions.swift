extension EventTable {
    /// The table without what persons asked to have deleted: for every person with a `delete` event
    /// (Segment's user deletion), every row up to and including their latest deletion — earlier events, the
    /// traits those events set, and the deletion rows themselves — is removed. What the person did after
    /// the deletion stays (a new start). A person left without rows is gone entirely. The store's counts
    /// say how many persons and events went: ``StoreStats/deletedPersons``, ``StoreStats/deletedEvents``
    /// (and ``StoreStats/events`` no longer counts them). A deletion request for a person of whom the store holds
    /// nothing else removes only itself and counts no person.
    ///
    /// Rows of a person are time-ordered, so "up to the deletion" means earlier in time, ties by file order:
    /// an event in the same millisecond written after the deletion stays. A deletion without any time field
    /// has the time `Int64.max` and removes everything of the person.
    ///
    /// Applied by every reader entry point (``StoreReader/load(progress:)``, the cached load, the follower),
    /// so no figure, segment, answer, view or export ever sees deleted data. The persistent cache keeps the
    /// table before this step (so that a deletion read later from appended bytes still applies).
    public func redactingDeletions() -> EventTable {
        guard kind.contains(.delete) else { return self }
        var keep = [Bool](repeating: true, count: count)
        var deletedPersons = 0
        for p in 0 ..< personCount {
            let r = personRange(p)
            guard let last = r.last(where: { kind[$0] == .delete }) else { continue }
            // Counted when the store held something of the person before the deletion.
            if (r.lowerBound ... last).contains(where: { kind[$0] != .delete }) { deletedPersons += 1 }
            for i in r.lowerBound ... last { keep[i] = false }
        }
        var t = EventTable()
        t.strings = strings
        t.consentCategories = consentCategories
        t.consentLabels = consentLabels
        t.stats = stats
        let kept = keep.reduce(0) { $0 + ($1 ? 1 : 0) }
        func filtered<T>(_ a: [T]) -> [T] {
            var out: [T] = []
            out.reserveCapacity(kept)
            for i in a.indices where keep[i] { out.append(a[i]) }
            return out
        }
        t.time = time.filtered(keep); t.kind = filtered(kind); t.name = name.filtered(keep); t.section = section.filtered(keep)
        t.timezone = timezone.filtered(keep); t.sequence = filtered(sequence)
        t.consentCarried = consentCarried.filtered(keep); t.consentGranted = consentGranted.filtered(keep)
        for (path, values) in properties { t.properties[path] = values.filtered(keep) }
        // The lists rules look into (`products[]`), with their elements, for the kept rows.
        if !arrays.isEmpty {
            let keptRows = keep.indices.compactMap { keep[$0] ? Int32($0) : nil }
            for (path, col) in arrays { t.arrays[path] = col.permuted(keptRows) }
        }
        // Rows → new rows; persons renumbered in order, those without rows dropped.
        var newRow = [Int32](repeating: -1, count: count)
        var n: Int32 = 0
        t.personStart = [0]
        for p in 0 ..< personCount {
            let before = n
            for i in personRange(p) where keep[i] {
                newRow[i] = n
                n += 1
            }
            guard n > before else { continue }
            let q = Int32(t.personID.count)
            t.personID.append(personID[p])
            t.personIsUser.append(personIsUser[p])
            t.personStart.append(n)
            t.person.append(contentsOf: repeatElement(q, count: Int(n - before)))
        }
        for i in traitRow.indices where newRow[Int(traitRow[i])] >= 0 {
            t.traitRow.append(newRow[Int(traitRow[i])])
            t.traitKey.append(traitKey[i])
            t.traitValue.append(traitValue[i])
        }
        for i in answerRow.indices where newRow[Int(answerRow[i])] >= 0 {
            t.answerRow.append(newRow[Int(answerRow[i])])
            t.answerKey.append(answerKey[i])
            t.answerValue.append(answerValue[i])
        }
        let removed = count - kept
        t.stats.deletedPersons = deletedPersons
        t.stats.deletedEvents = removed
        t.stats.events = max(0, stats.events - removed)
        return t
    }
}
