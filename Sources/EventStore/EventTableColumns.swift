/// The row columns of ``EventTable`` (one value per row), declared once.
///
/// This list drives the four places that must treat every row column alike (#12.3): the builder's
/// permutation into person order (``EventTableBuilder/finish()``), resuming a build from a cached
/// table (``EventTableBuilder/init(resuming:raw:)``), and the table cache's encoding and decoding
/// (``CacheFile``). Adding a row column to `EventTable` means one line here (and the builder's
/// `add`, which fills it); the cache format version must then be bumped.
///
/// Not in this list: the property and list columns (one per selected path, kept in dictionaries and
/// handled by path), and the columns of persons, traits and answers (not one value per row).
struct RowColumn: @unchecked Sendable {
    /// A name for error messages and tests.
    let name: String
    /// Whether ``EventTableBuilder/finish()`` computes the column itself (the person of each row):
    /// it is then neither permuted nor restored when resuming, only stored and loaded.
    let derived: Bool
    /// Appends the column to a cache encoding.
    let encode: (EventTable, inout BinaryWriter) -> Void
    /// Reads the column from a cache encoding into the table; false when damaged or not `rows` long.
    let decode: (inout EventTable, inout BinaryReader, _ rows: Int) -> Bool
    /// Moves the column into a ``Permutation`` job; the returned closure puts the permuted column back.
    let permute: (inout EventTable, Permutation) -> (inout EventTable) -> Void
    /// Sets the column of `target` to the column of `source` with rows taken in `order`
    /// (new row i = source row order[i]).
    let reorder: (_ target: inout EventTable, _ source: EventTable, _ order: [Int]) -> Void
    /// The column's length in `t`.
    let count: (EventTable) -> Int

    /// A column of a trivial type, stored as its raw bytes.
    init<T: BitwiseCopyable>(_ name: String, _ path: WritableKeyPath<EventTable, [T]>, derived: Bool = false) {
        self.init(name, path, derived: derived, store: { $0 }, load: { $0 })
    }

    /// A column stored as `Stored` values (an enum as its raw value): `load` nil means damaged.
    init<T, Stored: BitwiseCopyable>(_ name: String, _ path: WritableKeyPath<EventTable, [T]>, derived: Bool = false,
                                     store: @escaping (T) -> Stored, load: @escaping (Stored) -> T?) {
        self.name = name
        self.derived = derived
        if T.self == Stored.self {
            encode = { t, w in w.array(unsafeBitCast(t[keyPath: path], to: [Stored].self)) }
        } else {
            encode = { t, w in w.array(t[keyPath: path].map(store)) }
        }
        decode = { t, r, rows in
            guard let stored = r.array(Stored.self), stored.count == rows else { return false }
            if T.self == Stored.self {
                t[keyPath: path] = unsafeBitCast(stored, to: [T].self)
                return true
            }
            var values: [T] = []
            values.reserveCapacity(rows)
            for s in stored {
                guard let v = load(s) else { return false }
                values.append(v)
            }
            t[keyPath: path] = values
            return true
        }
        permute = { t, p in
            let slot = p.slot(t[keyPath: path])
            t[keyPath: path] = []  // the source column is freed as soon as its job is done
            return { t in t[keyPath: path] = slot.value }
        }
        reorder = { target, source, order in
            let column = source[keyPath: path]
            target[keyPath: path] = order.map { column[$0] }
        }
        count = { $0[keyPath: path].count }
    }

    /// The time column (#14): packed (a flag, the base time, the low 32 and high 8 bits of each offset) or
    /// wide (every time in full).
    init(time name: String) {
        self.name = name
        self.derived = false
        encode = { t, w in
            let c = t.time
            w.bool(c.isPacked)
            if c.isPacked {
                w.int(c.base); w.array(c.low); w.array(c.high)
            } else {
                w.array(c.wide)
            }
        }
        decode = { t, r, rows in
            guard let packed = r.bool() else { return false }
            if packed {
                guard let base = r.int64(), let low = r.array(UInt32.self), let high = r.array(UInt8.self),
                      low.count == rows, let c = TimeColumn(base: base, low: low, high: high) else { return false }
                t.time = c
            } else {
                guard let wide = r.array(Int64.self), wide.count == rows else { return false }
                t.time = TimeColumn(wide: wide)
            }
            return true
        }
        permute = { t, p in
            let box = p.job(t.time, cost: 4 * t.time.count) { $0.permuted($1) }
            t.time = TimeColumn()  // freed when its job is done
            return { t in t.time = box.value }
        }
        reorder = { target, source, order in target.time = source.time.unpacked(order) }
        count = { $0.time.count }
    }

    /// A coded column (#14): stored as its width, its dictionary and its codes (or, not coded, its values).
    init<T>(_ name: String, coded path: WritableKeyPath<EventTable, CodedColumn<T>>) {
        self.name = name
        self.derived = false
        encode = { t, w in
            let c = t[keyPath: path]
            w.int(c.width)
            switch c.width {
            case 1: w.array(c.dictionary); w.array(c.codes8)
            case 2: w.array(c.dictionary); w.array(c.codes16)
            default: w.array(c.raw)
            }
        }
        decode = { t, r, rows in
            guard let width = r.int() else { return false }
            let c: CodedColumn<T>
            switch width {
            case 0:
                guard let raw = r.array(T.self), raw.count == rows else { return false }
                c = CodedColumn(raw: raw)
            case 1:
                guard let d = r.array(T.self), let codes = r.array(UInt8.self), codes.count == rows,
                      let coded = CodedColumn(dictionary: d, codes8: codes, codes16: [], width: 1) else { return false }
                c = coded
            case 2:
                guard let d = r.array(T.self), let codes = r.array(UInt16.self), codes.count == rows,
                      let coded = CodedColumn(dictionary: d, codes8: [], codes16: codes, width: 2) else { return false }
                c = coded
            default: return false
            }
            t[keyPath: path] = c
            return true
        }
        permute = { t, p in
            let column = t[keyPath: path]
            // Coded already (in row order, by `finish` while it made the order): the codes are moved and renumbered.
            let box = column.width == 0 ? p.job(column, cost: 6 * column.count) { $0.permuted($1) }
                                        : p.job(column, cost: 2 * column.count) { $0.recoded($1) }
            t[keyPath: path] = CodedColumn()  // freed when its job is done
            return { t in t[keyPath: path] = box.value }
        }
        reorder = { target, source, order in target[keyPath: path] = source[keyPath: path].unpacked(order) }
        count = { $0[keyPath: path].count }
    }

    /// A sparse column (#14): stored as its presence bitmap and its present values (the rank index is
    /// rebuilt on load, after the parts are checked to form a canonical column of the table's rows).
    init<T>(_ name: String, sparse path: WritableKeyPath<EventTable, SparseColumn<T>>) {
        self.name = name
        self.derived = false
        encode = { t, w in
            let c = t[keyPath: path]
            w.array(c.words); w.array(c.values)
        }
        decode = { t, r, rows in
            guard let words = r.array(UInt64.self), let values = r.array(T.self),
                  let c = SparseColumn(rows: rows, words: words, values: values, absent: t[keyPath: path].absent)
            else { return false }
            t[keyPath: path] = c
            return true
        }
        permute = { t, p in
            let box = p.sparse(t[keyPath: path])
            t[keyPath: path] = SparseColumn(absent: box.value.absent)  // freed when its job is done
            return { t in t[keyPath: path] = box.value }
        }
        reorder = { target, source, order in target[keyPath: path] = source[keyPath: path].permuted(order) }
        count = { $0[keyPath: path].count }
    }
}

extension EventTable {
    /// Every row column, in cache order.
    static let rowColumns: [RowColumn] = [
        RowColumn(time: "time"),
        RowColumn("person", \.person, derived: true),
        RowColumn("kind", \.kind, store: { $0.rawValue }, load: { EventKind(rawValue: $0) }),
        RowColumn("name", coded: \.name),
        RowColumn("section", coded: \.section),
        RowColumn("timezone", coded: \.timezone),
        RowColumn("sequence", \.sequence),
        RowColumn("consentCarried", coded: \.consentCarried),
        RowColumn("consentGranted", coded: \.consentGranted),
    ]
}
