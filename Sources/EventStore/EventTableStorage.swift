extension EventTable {
    /// The table's resident storage by part (#14's bytes-per-event accounting): element counts times their
    /// stride (capacity for the interner, which includes its hash index), summed over each part's arrays.
    /// Parts: every row column by name (``rowColumns``), `properties` (all selected property columns), `lists`
    /// (``arrays``), `strings`, `traits`, `answers`, `persons`. Dictionary and array headers are not counted.
    public var storageBreakdown: [(part: String, bytes: Int)] {
        func bytes<T>(_ a: [T]) -> Int { a.count * MemoryLayout<T>.stride }
        var parts: [(part: String, bytes: Int)] = [
            ("time", time.storageBytes),
            ("person", bytes(person)),
            ("kind", bytes(kind)),
            ("name", name.storageBytes),
            ("section", section.storageBytes),
            ("timezone", timezone.storageBytes),
            ("sequence", bytes(sequence)),
            ("consentCarried", consentCarried.storageBytes),
            ("consentGranted", consentGranted.storageBytes),
        ]
        parts.append(("properties", properties.values.reduce(0) { $0 + $1.storageBytes }))
        parts.append(("lists", arrays.values.reduce(0) { sum, c in
            sum + bytes(c.start) + bytes(c.shape) + c.values.values.reduce(0) { $0 + bytes($1) }
        }))
        parts.append(("strings", strings.storageBytes))
        parts.append(("traits", bytes(traitRow) + bytes(traitKey) + bytes(traitValue)))
        parts.append(("answers", bytes(answerRow) + bytes(answerKey) + bytes(answerValue)))
        parts.append(("persons", bytes(personID) + bytes(personIsUser) + bytes(personStart)))
        return parts
    }

    /// The sum of ``storageBreakdown``.
    public var storageBytes: Int { storageBreakdown.reduce(0) { $0 + $1.bytes } }
}
