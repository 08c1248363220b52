#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

/// The table cache's payload: what ``StoreCache`` stores (the file list, the finished table through
/// ``EventTable/rowColumns`` and its other columns, the read statistics, the builder state for appends);
/// framed by ``CacheFile/writeSectioned(_:_:magic:version:encode:)`` (CacheSections.swift): every array of
/// 4 KiB or more in an 8-byte-aligned section of its own with its own tag.
enum CacheFile {
    struct Contents {
        var files: [CachedFile]
        var locationWarnings: [String]
        /// Nil when ``Need/nothing`` was asked for.
        var table: EventTable?
        /// Nil unless ``Need/tableAndBuilder`` was asked for.
        var raw: BuilderRaw?
    }

    /// What a read needs beyond the file list, decided from the cached file list (which comes first): the
    /// sections of what is not needed are neither read nor hashed (#14: a hit needs no builder state; a store
    /// that changed needs no table, it is read again).
    enum Need { case nothing, table, tableAndBuilder }

    static func read(_ dir: CacheDirectory, _ name: String, key: String,
                     needs: ([CachedFile], [String]) -> Need = { _, _ in .tableAndBuilder }) -> Result<Contents, Failure> {
        readSectioned(dir, name, magic: StoreCache.magic, version: StoreCache.formatVersion) { p in
            guard p.string() == key else { return .failure(Failure(.otherKey)) }
            guard let contents = decode(&p, needs: needs) else { return .failure(Failure(.damaged)) }
            guard contents.table == nil || p.atEnd else { return .failure(Failure(.damaged)) }
            return .success(contents)
        }
    }

    /// Writes the table cache file, streamed: the payload is encoded twice, once only counted (the
    /// layout: the metadata's and every section's length), then each large array is written to its
    /// section straight from the table's memory while its tag is computed, so writing never holds a
    /// copy of the encoded table (#11.15).
    static func write(_ dir: CacheDirectory, _ name: String, key: String, files: [CachedFile],
                      locationWarnings: [String], table t: EventTable, raw: BuilderRaw) {
        writeSectioned(dir, name, magic: StoreCache.magic, version: StoreCache.formatVersion) { w in
            encode(&w, key: key, files: files, locationWarnings: locationWarnings, table: t, raw: raw)
        }
    }

    /// The table cache payload.
    static func encode(_ w: inout BinaryWriter, key: String, files: [CachedFile],
                       locationWarnings: [String], table t: EventTable, raw: BuilderRaw) {
        w.string(key)
        encodeFiles(files, &w)
        w.strings(locationWarnings)
        // Table.
        let interned = t.strings.storage
        w.array(interned.offsets); w.array(interned.arena)
        w.int(t.count)
        for c in EventTable.rowColumns { c.encode(t, &w) }
        let props = t.properties.sorted { $0.key < $1.key }
        w.int(props.count)
        for (path, column) in props { w.string(path); w.array(column.words); w.array(column.values) }
        w.array(t.personID); w.array(t.personIsUser.map { $0 ? UInt8(1) : 0 }); w.array(t.personStart)
        w.array(t.traitRow); w.array(t.traitKey); w.array(t.traitValue)
        w.strings(t.consentCategories)
        let labels = t.consentLabels.sorted { $0.key < $1.key }
        w.strings(labels.map(\.key)); w.strings(labels.map(\.value))
        // Array columns (format 7).
        let arrays = t.arrays.sorted { $0.key < $1.key }
        w.int(arrays.count)
        for (path, col) in arrays {
            w.string(path); w.array(col.start); w.array(col.shape)
            let values = col.values.sorted { $0.key < $1.key }
            w.int(values.count)
            for (elementPath, column) in values { w.string(elementPath); w.array(column) }
        }
        w.array(t.answerRow); w.array(t.answerKey); w.array(t.answerValue)
        // Stats.
        let s = t.stats
        w.int(s.files.count)
        for f in s.files {
            w.string(f.path); w.int(f.bytes); w.bool(f.compressed); w.int(f.lines); w.int(f.events)
            w.int(f.duplicates); w.int(f.malformed); w.int(f.envelopes); w.int(f.envelopeItems)
        }
        w.int(s.lines); w.int(s.blankLines); w.int(s.events); w.int(s.duplicates); w.int(s.malformed)
        w.int(s.envelopes); w.int(s.envelopeItems)
        let kinds = s.malformedKinds.sorted { $0.key < $1.key }
        w.strings(kinds.map(\.key)); w.int(kinds.count)
        for k in kinds { w.int(k.value) }
        w.int(s.malformedSamples.count)
        for m in s.malformedSamples { w.int(Int(m.file)); w.int(m.line); w.string(m.reason); w.string(m.excerpt) }
        w.strings(s.warnings)
        // Builder state.
        w.array(raw.userKey); w.array(raw.anonKey)
        w.array(raw.linkAnon); w.array(raw.linkTime); w.array(raw.linkSeq); w.array(raw.linkUser)
        w.array(raw.seenA); w.array(raw.seenB)
        w.u64(raw.seeds.0); w.u64(raw.seeds.1); w.bool(raw.warnedCategories)
        w.array(raw.clearedRows)
    }

    static func encodeFiles(_ files: [CachedFile], _ w: inout BinaryWriter) {
        w.int(files.count)
        for f in files {
            w.string(f.path); w.u64(f.device); w.u64(f.inode); w.int(f.size)
            w.int(f.mtimeSeconds); w.int(f.mtimeNanoseconds); w.int(f.ctimeSeconds); w.int(f.ctimeNanoseconds)
            w.bool(f.compressed); w.bool(f.endsWithNewline); w.int(f.lines); w.u64(f.sampleHash)
        }
    }

    static func decodeFiles(_ r: inout BinaryReader) -> [CachedFile]? {
        guard let nf = r.count(unit: 8) else { return nil }
        var files: [CachedFile] = []
        for _ in 0 ..< nf {
            guard let path = r.string(), let dev = r.u64(), let ino = r.u64(), let size = r.int64(),
                  let ms = r.int64(), let mn = r.int64(), let cs = r.int64(), let cn = r.int64(),
                  let comp = r.bool(), let nl = r.bool(), let lines = r.int(), let sh = r.u64() else { return nil }
            files.append(CachedFile(path: path, device: dev, inode: ino, size: size, mtimeSeconds: ms,
                                    mtimeNanoseconds: mn, ctimeSeconds: cs, ctimeNanoseconds: cn, compressed: comp,
                                    endsWithNewline: nl, lines: lines, sampleHash: sh))
        }
        return files
    }

    static func decode(_ r: inout BinaryReader, needs: ([CachedFile], [String]) -> Need = { _, _ in .tableAndBuilder })
        -> Contents? {
        guard let files = decodeFiles(&r) else { return nil }
        guard let warnings = r.strings() else { return nil }
        let need = needs(files, warnings)
        if need == .nothing {
            r.sections?.stopReading()
            return Contents(files: files, locationWarnings: warnings, table: nil, raw: nil)
        }
        guard let offsets = r.array(Int.self), let arena = r.array(UInt8.self),
              let strings = Interner(arena: arena, offsets: offsets) else { return nil }
        var t = EventTable()
        t.strings = strings
        // The row count: rows are numbered by `Int32`; every row column must then hold exactly this many values
        // (their bytes are in sections, not after this count, so it is not bounded by the bytes left here).
        guard let n = r.int(), n >= 0, n <= Int(Int32.max) else { return nil }
        for c in EventTable.rowColumns { guard c.decode(&t, &r, n) else { return nil } }
        guard let np = r.count(unit: 16) else { return nil }
        for _ in 0 ..< np {
            guard let path = r.string(), let words = r.array(UInt64.self), let values = r.array(PropValue.self),
                  let column = PropertyColumn(rows: n, words: words, values: values, absent: .missing) else { return nil }
            t.properties[path] = column
        }
        guard let pid = r.array(Int32.self), let isUser = r.array(UInt8.self), let start = r.array(Int32.self),
              let tRow = r.array(Int32.self), let tKey = r.array(Int32.self), let tVal = r.array(UInt64.self),
              let categories = r.strings(),
              pid.count == isUser.count, start.count == pid.count + 1, tRow.count == tKey.count, tKey.count == tVal.count
        else { return nil }
        t.personID = pid; t.personIsUser = isUser.map { $0 != 0 }; t.personStart = start
        t.traitRow = tRow; t.traitKey = tKey; t.traitValue = tVal.map { PropValue(bits: $0) }
        t.consentCategories = categories
        guard let labelKeys = r.strings(), let labelValues = r.strings(), labelKeys.count == labelValues.count else { return nil }
        for (k, v) in zip(labelKeys, labelValues) { t.consentLabels[k] = v }
        guard let na = r.count(unit: 16) else { return nil }
        for _ in 0 ..< na {
            guard let path = r.string(), let start = r.array(Int32.self), let shape = r.array(UInt8.self),
                  start.count == n + 1, shape.count == n, start.first == 0,
                  zip(start, start.dropFirst()).allSatisfy({ $0 <= $1 }),
                  shape.allSatisfy({ ArrayShape(rawValue: $0) != nil }),
                  let nv = r.count(unit: 16) else { return nil }
            var col = ArrayColumn()
            col.start = start; col.shape = shape
            for _ in 0 ..< nv {
                guard let elementPath = r.string(), let bits = r.array(UInt64.self), bits.count == Int(start[n]) else { return nil }
                col.values[elementPath] = bits.map { PropValue(bits: $0) }
            }
            t.arrays[path] = col
        }
        guard let aRow = r.array(Int32.self), let aKey = r.array(Int32.self), let aVal = r.array(UInt64.self),
              aRow.count == aKey.count, aKey.count == aVal.count else { return nil }
        t.answerRow = aRow; t.answerKey = aKey; t.answerValue = aVal.map { PropValue(bits: $0) }
        var s = StoreStats()
        guard let nsf = r.count(unit: 8) else { return nil }
        for _ in 0 ..< nsf {
            guard let path = r.string(), let bytes = r.int64(), let comp = r.bool(), let lines = r.int(),
                  let events = r.int(), let dups = r.int(), let bad = r.int(), let env = r.int(), let items = r.int()
            else { return nil }
            s.files.append(FileStats(path: path, bytes: bytes, compressed: comp, lines: lines, events: events,
                                     duplicates: dups, malformed: bad, envelopes: env, envelopeItems: items))
        }
        guard let lines = r.int(), let blank = r.int(), let events = r.int(), let dups = r.int(), let bad = r.int(),
              let env = r.int(), let items = r.int() else { return nil }
        s.lines = lines; s.blankLines = blank; s.events = events; s.duplicates = dups; s.malformed = bad
        s.envelopes = env; s.envelopeItems = items
        guard let kindNames = r.strings(), let nk = r.int(), nk == kindNames.count else { return nil }
        for name in kindNames { guard let v = r.int() else { return nil }; s.malformedKinds[name] = v }
        guard let ns = r.count(unit: 32) else { return nil }
        for _ in 0 ..< ns {
            guard let f = r.int(), let l = r.int(), let reason = r.string(), let excerpt = r.string(),
                  let file = Int32(exactly: f) else { return nil }
            s.malformedSamples.append(MalformedLine(file: file, line: l, reason: reason, excerpt: excerpt))
        }
        guard let sw = r.strings() else { return nil }
        s.warnings = sw
        t.stats = s
        if need == .table {
            // The builder state is only for appends: skipped unread (its sections are not used, so not hashed).
            guard r.skipArray(Int32.self), r.skipArray(Int32.self), r.skipArray(Int32.self), r.skipArray(Int64.self),
                  r.skipArray(Int32.self), r.skipArray(Int32.self), r.skipArray(UInt64.self), r.skipArray(UInt64.self),
                  r.u64() != nil, r.u64() != nil, r.bool() != nil, r.skipArray(Int32.self) else { return nil }
            return Contents(files: files, locationWarnings: warnings, table: t, raw: nil)
        }
        guard let uk = r.array(Int32.self), let ak = r.array(Int32.self), uk.count == n, ak.count == n,
              let la = r.array(Int32.self), let lt = r.array(Int64.self), let ls = r.array(Int32.self),
              let lu = r.array(Int32.self), la.count == lt.count, lt.count == ls.count, ls.count == lu.count,
              let sa = r.array(UInt64.self), let sb = r.array(UInt64.self), sa.count == sb.count,
              let s0 = r.u64(), let s1 = r.u64(), let warned = r.bool(), let cleared = r.array(Int32.self)
        else { return nil }
        let raw = BuilderRaw(userKey: uk, anonKey: ak, linkAnon: la, linkTime: lt, linkSeq: ls, linkUser: lu,
                             seenA: sa, seenB: sb, seeds: (s0, s1), warnedCategories: warned, clearedRows: cleared)
        return Contents(files: files, locationWarnings: warnings, table: t, raw: raw)
    }
}
