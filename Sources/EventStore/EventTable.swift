/// The whole store as a compact, columnar, read-only table: one row per accepted event.
///
/// Rows are grouped by person and, inside a person, ordered by event time, ties by
/// file order. So every per-person computation is one pass over a contiguous range
/// (``personRange(_:)``), and "the person's next event" is simply the next row.
/// Duplicates are already gone and anonymous ids are already stitched to users.
public struct EventTable: Sendable {
    /// Every string of the table, once.
    public var strings = Interner()

    // MARK: Row columns (all of length `count`)

    /// Event time, milliseconds since the Unix epoch, UTC: exact, stored as 5-byte offsets from the earliest
    /// time when the store spans less than ~34.8 years (``TimeColumn``).
    public var time = TimeColumn()
    /// Person index (into the person columns).
    public var person: [Int32] = []
    /// Call type.
    public var kind: [EventKind] = []
    /// Interned track `event` name, or page/screen `name`; -1 when absent. Coded (#14): 1–2 bytes per row
    /// for up to 65,536 distinct names (``CodedColumn``).
    public var name = CodedColumn<Int32>()
    /// Interned, lowercased section of a page/screen event; -1 otherwise or when unknown. Coded like ``name``.
    public var section = CodedColumn<Int32>()
    /// Interned `context.timezone`; -1 when absent. Coded like ``name``.
    public var timezone = CodedColumn<Int32>()
    /// Global file order of the row (0 = first accepted event of the first file).
    public var sequence: [Int32] = []
    /// Bit `i` set: the event carries consent category `consentCategories[i]`. Coded (#14): a store's rows
    /// carry few distinct consent states, so each row is a 1–2-byte code into their dictionary (``CodedColumn``).
    public var consentCarried = CodedColumn<UInt64>()
    /// Bit `i` set: the event grants category `consentCategories[i]` (only meaningful where carried; never
    /// set where not carried). Coded like ``consentCarried``.
    public var consentGranted = CodedColumn<UInt64>()
    /// Selected property columns, keyed by full dotted path (`properties.category`). Sparse (#14): a column
    /// stores only the rows that carry the path (``PropertyColumn``); the others read `.missing`.
    public var properties: [String: PropertyColumn] = [:]
    /// Selected arrays, keyed by the array's full dotted path (`properties.products`): only arrays
    /// whose elements a rule reads (`properties.products[].category`) are kept.
    public var arrays: [String: ArrayColumn] = [:]

    // MARK: Persons

    /// Interned person id (the userId, or the anonymousId for a never-identified person).
    public var personID: [Int32] = []
    /// Whether the person id is a `userId`.
    public var personIsUser: [Bool] = []
    /// Row ranges: person `p` owns rows `personStart[p] ..< personStart[p + 1]`.
    public var personStart: [Int32] = [0]

    // MARK: Traits, ordered by row

    /// Row of the event that set the trait (an identify's `traits`, any call's `context.traits`, PostHog's `$set`).
    public var traitRow: [Int32] = []
    /// Interned trait key (dotted for nested traits).
    public var traitKey: [Int32] = []
    /// The trait value.
    public var traitValue: [PropValue] = []

    // MARK: Survey answers (captured keys, FieldSelection.captures), ordered by row

    /// Row of the event that carried the answer.
    public var answerRow: [Int32] = []
    /// Interned key as written (`$survey_response_<question id>`, `$survey_response_1`, `$survey_response`).
    public var answerKey: [Int32] = []
    /// The value (a multiple-choice answer is several rows with the same row and key).
    public var answerValue: [PropValue] = []

    /// The answers of rows `rows` (indices into the answer columns), in row order.
    public func answerIndices(ofRows rows: Range<Int>) -> Range<Int> {
        lowerBound(answerRow, Int32(rows.lowerBound)) ..< lowerBound(answerRow, Int32(rows.upperBound))
    }

    // MARK: Consent categories

    /// Consent category names, by bit index (first seen first).
    public var consentCategories: [String] = []
    /// Labels of consent categories given by the events (RudderStack's `{"C0001": "Functional Cookies"}`),
    /// by category; the latest label read wins.
    public var consentLabels: [String: String] = [:]

    /// `C0001 Functional Cookies` when the category has a label, else the category itself.
    public func consentDisplayName(_ category: String) -> String {
        guard let label = consentLabels[category], !label.isEmpty, label != category else { return category }
        return category + " " + label
    }

    /// How the read went.
    public var stats = StoreStats()

    public init() {}

    /// Number of rows (accepted events).
    @inlinable public var count: Int { time.count }
    /// Number of persons.
    @inlinable public var personCount: Int { personStart.count - 1 }

    /// The rows of person `p`.
    @inlinable public func personRange(_ p: Int) -> Range<Int> {
        Int(personStart[p]) ..< Int(personStart[p + 1])
    }

    /// Earliest event time, or nil for an empty table.
    public var firstEventTime: Int64? { eventTimeBound(earliest: true) }
    /// Latest event time, or nil for an empty table.
    public var lastEventTime: Int64? { eventTimeBound(earliest: false) }

    /// The earliest or latest event time. A person's rows are ordered by time, so it is the earliest of the persons'
    /// first rows or the latest of their last rows: one read per person instead of one per row (session 9). A table
    /// whose person ranges do not cover its rows exactly — they must start at 0, never decrease and end at the row
    /// count, which a damaged cache need not honour — is scanned row by row (``eventTimeBoundByRows(earliest:)``).
    func eventTimeBound(earliest: Bool) -> Int64? {
        guard count > 0 else { return nil }
        guard personStart.first == 0, personStart.last.map(Int.init) == count, time.count == count
        else { return eventTimeBoundByRows(earliest: earliest) }
        let bound: Int64?? = time.withUnsafeBufferPointer { t in
            personStart.withUnsafeBufferPointer { starts in
                var m: Int64? = nil
                for p in 0 ..< starts.count - 1 {
                    let lo = Int(starts[p]), hi = Int(starts[p + 1])
                    // Unchecked reads below: a range outside the column (a decreasing start) means no answer here.
                    guard lo <= hi, hi <= t.count else { return Int64??.none }
                    guard lo < hi else { continue }
                    let x = earliest ? t[lo] : t[hi - 1]
                    if let y = m { if earliest ? x < y : x > y { m = x } } else { m = x }
                }
                return m
            }
        }
        return bound ?? eventTimeBoundByRows(earliest: earliest)
    }

    /// ``eventTimeBound(earliest:)`` over every row (the definition the per-person reads are tested against).
    func eventTimeBoundByRows(earliest: Bool) -> Int64? {
        time.withUnsafeBufferPointer { t in
            guard t.count > 0 else { return nil }
            var m = t[0]
            if earliest { for r in 1 ..< t.count where t[r] < m { m = t[r] } } else { for r in 1 ..< t.count where t[r] > m { m = t[r] } }
            return m
        }
    }

    /// The property column for a full dotted path, when it was selected and seen (`column[r]` is row r's value).
    public func column(_ path: String) -> PropertyColumn? { properties[path] }

    /// The bit index of a consent category, when any event carried it.
    public func consentBit(_ category: String) -> Int? { consentCategories.firstIndex(of: category) }

    /// The trait rows of person `p` (indices into the trait columns), in row order.
    public func traitIndices(ofPerson p: Int) -> Range<Int> {
        let r = personRange(p)
        return lowerBound(traitRow, Int32(r.lowerBound)) ..< lowerBound(traitRow, Int32(r.upperBound))
    }

    /// The person's latest value of trait `key` among identify calls at or before `asOf`
    /// (latest by event time, ties by file order), or `.missing`.
    public func trait(_ key: Int32, ofPerson p: Int, asOf: Int64 = .max) -> PropValue {
        var best = PropValue.missing
        for i in traitIndices(ofPerson: p) where traitKey[i] == key {
            let row = Int(traitRow[i])
            if time[row] <= asOf { best = traitValue[i] } else { break }
        }
        return best
    }

    /// The string behind a string value, or nil.
    public func string(_ v: PropValue) -> String? { v.stringID.map { strings[$0] } }
}

/// One selected array of every row: per row its shape and element range, and per selected
/// element path the elements' values.
public struct ArrayColumn: Sendable, Equatable {
    /// Row `r`'s elements are `start[r] ..< start[r + 1]` (length: rows + 1).
    public var start: [Int32] = [0]
    /// Per row, what the value at the array path was (``ArrayShape`` raw values).
    public var shape: [UInt8] = []
    /// Per full element path (`properties.products[].category`, `properties.tags[]`), one value per element
    /// (`.missing` where an element lacks the path or is not an object).
    public var values: [String: [PropValue]] = [:]

    public init() {}

    /// The element range of row `r`.
    @inlinable public func elements(ofRow r: Int) -> Range<Int> { Int(start[r]) ..< Int(start[r + 1]) }
    /// Number of elements over all rows.
    public var elementCount: Int { Int(start.last ?? 0) }
    /// The shape of row `r`.
    public func shape(ofRow r: Int) -> ArrayShape { ArrayShape(rawValue: shape[r]) ?? .missing }

    /// This column with rows taken in `order` (new row i = old row order[i]).
    func permuted(_ order: [Int32]) -> ArrayColumn {
        let n = order.count
        var out = ArrayColumn()
        // Per new row its shape and element range (a prefix sum of the old rows' element counts), then the old
        // element index of every new element, read once per element path.
        var total = 0
        out.shape = [UInt8](unsafeUninitializedCapacity: n) { shapeOut, shapeCount in
            out.start = [Int32](unsafeUninitializedCapacity: n + 1) { startOut, startCount in
                shape.withUnsafeBufferPointer { shape in
                    start.withUnsafeBufferPointer { start in
                        startOut[0] = 0
                        for i in 0 ..< n {
                            let r = Int(order[i])
                            shapeOut[i] = shape[r]
                            total &+= Int(start[r + 1] &- start[r])
                            startOut[i + 1] = Int32(truncatingIfNeeded: total)
                        }
                    }
                }
                startCount = n + 1
            }
            shapeCount = n
        }
        let pick = [Int32](unsafeUninitializedCapacity: total) { pickOut, pickCount in
            start.withUnsafeBufferPointer { start in
                var k = 0
                for o in order {
                    for e in Int(start[Int(o)]) ..< Int(start[Int(o) + 1]) { pickOut[k] = Int32(truncatingIfNeeded: e); k &+= 1 }
                }
                pickCount = k
            }
        }
        for (path, column) in values {
            out.values[path] = column.withUnsafeBufferPointer { column in pick.map { column[Int($0)] } }
        }
        return out
    }
}

@inlinable func lowerBound(_ a: [Int32], _ x: Int32) -> Int {
    var lo = 0, hi = a.count
    while lo < hi {
        let mid = (lo + hi) >> 1
        if a[mid] < x { lo = mid + 1 } else { hi = mid }
    }
    return lo
}
