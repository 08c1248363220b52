#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

/// The persistent table cache: one sidecar file per store (per resolved paths and field selection)
/// in a cache directory outside the store, holding the finished ``EventTable`` in a compact
/// binary form plus the builder state needed to read appended bytes only.
///
/// The directory is used only when it is trusted: a real directory (not a symbolic link) owned by
/// the user and not writable by group or others (``prepare()`` says why not; the store is then read
/// without the cache). Its files are opened with `O_NOFOLLOW|O_NONBLOCK` and must be regular files
/// no larger than physical memory; new files are written to `O_EXCL|O_NOFOLLOW` temporary files with
/// random names and renamed into place.
///
/// A cache file is used only when all of these hold (else it is ignored and rewritten):
/// - magic, format version, byte order and length match (a truncated or foreign file fails here);
/// - its SipHash-2-4 tag, keyed with the directory's per-user secret `key` file (0600), matches
///   header and payload (corrupted bytes, and any file not written by this user's earshot, fail here);
/// - it was written for the same resolved paths and field selection;
/// - the store has the same files in the same order, each with the same device, inode, size,
///   modification time and status-change time (ctime, which `touch -r` or `cp -p` cannot restore).
///   A plain last file that only grew (same device and inode, larger, its old last byte a newline,
///   and sampled blocks across its old bytes unchanged: all of them up to 256 KiB, else 64 blocks
///   of 4 KiB spread from its first to its old last byte) is read from the old end only; any other
///   change means a full read.
public struct StoreCache: Sendable {
    /// The directory holding the cache files (created when missing, mode 0700).
    public var directory: String

    public init(directory: String) { self.directory = directory }

    /// Creates the directory when missing and checks that it can be trusted; nil when it can,
    /// else why not (the CLI warns once and runs without the cache; loading re-checks anyway).
    public func prepare() -> CacheRefusal? {
        if case .failure(let refusal) = CacheDirectory.openTrusted(directory) { return refusal }
        return nil
    }

    /// `$XDG_CACHE_HOME/earshot`, else `$HOME/.cache/earshot`; nil when neither is set.
    public static func defaultDirectory() -> String? {
        if let x = environment("XDG_CACHE_HOME"), x.hasPrefix("/") { return x + "/earshot" }
        if let h = environment("HOME"), !h.isEmpty { return h + "/.cache/earshot" }
        return nil
    }

    static func environment(_ name: String) -> String? {
        guard let v = getenv(name) else { return nil }
        let s = String(cString: v)
        return s.isEmpty ? nil : s
    }

    /// The cache format version; a file of any other version is rebuilt.
    /// 6: answers, consent labels, trait sources, ctime and sampled block hashes per file, keyed SipHash-2-4 tags.
    /// 7: list columns (`EventTable.arrays`: element offsets and shapes per row, element columns).
    /// 8: the string table as one UTF-8 arena and its offsets (the interner's own layout, #11.15).
    static let formatVersion: UInt32 = 8
    static let magic: [UInt8] = Array("EARSHOT-TABLE\u{0}\u{0}\u{0}".utf8)  // 16 bytes
    static let checksumSeed: UInt64 = 0x6561_7273_686f_7421
    /// A grown file up to this many old bytes is hashed whole before its new bytes are appended.
    static let wholeHashBytes = 256 * 1024
    /// Else this many blocks of ``sampleBlockBytes`` spread over its old bytes are.
    static let sampleBlocks = 64
    static let sampleBlockBytes = 4096
}

/// What the cache did during a load.
public enum CacheOutcome: Sendable, Equatable {
    /// No cache was used (`--no-cache`, no cache directory, or a store read from a pipe).
    case unused
    /// The store is unchanged: the table came from the cache, no event file was read.
    case hit
    /// Files grew: only their new bytes (`bytesRead` in total) were read.
    case appended(bytesRead: Int64)
    /// There was no usable cache (the reason says why); the store was read in full.
    case rebuilt(reason: String)

    /// A short description for logs and the benchmark ("cache hit").
    public var description: String {
        switch self {
        case .unused: return "cache not used"
        case .hit: return "cache hit"
        case .appended(let n): return "cache hit, \(n) appended bytes read"
        case .rebuilt(let reason): return "cache rebuilt (\(reason))"
        }
    }
}

/// One file of the store as the cache remembers it.
struct CachedFile: Equatable, Sendable {
    var path: String
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var mtimeSeconds: Int64
    var mtimeNanoseconds: Int64
    var ctimeSeconds: Int64
    var ctimeNanoseconds: Int64
    var compressed: Bool
    var endsWithNewline: Bool
    var lines: Int
    /// ``CacheFiles/sampleHash(_:end:)`` of the last file (0 for the others and gzip files).
    var sampleHash: UInt64
}

extension StoreReader {
    /// Reads the store through the persistent cache (see ``StoreCache``), or without it when `cache` is nil.
    /// A cache that cannot be written (read-only directory, full disk) is not an error: the table is returned.
    public func load(cache: StoreCache?, progress: ((ReadProgress) -> Void)? = nil) throws(StoreError)
        -> (table: EventTable, cache: CacheOutcome) {
        guard let cache else { return (try load(progress: progress), .unused) }
        let location = try StoreLocator.locate(paths)
        guard let current = CacheFiles.identities(location.files),
              !CacheFiles.isInside(cache.directory, anyOf: paths),
              case .success(let directory) = CacheDirectory.openTrusted(cache.directory) else {
            // A pipe or a file that vanished (nothing to key on), a cache inside the store, or an untrusted cache.
            return (try load(progress: progress), .unused)
        }
        let r = try load(cache: directory, location: location, current: current, progress: progress)
        return (r.table, r.outcome)
    }

    /// The cached load for located, regular files; also returns the store's fingerprint that the
    /// returned table corresponds to (what a cached result must be keyed by).
    func load(cache: CacheDirectory, location: StoreLocation, current: [CachedFile],
              progress: ((ReadProgress) -> Void)?) throws(StoreError)
        -> (table: EventTable, outcome: CacheOutcome, fingerprint: [CachedFile]) {
        var current = current
        let key = cacheKey()
        let file = hex(IDHash.hash(key, seed: StoreCache.checksumSeed)) + ".table"

        var outcome: CacheOutcome
        var previous: [CachedFile]?
        var builder: EventTableBuilder?
        var starts: [ReadSession.FileStart]?
        switch CacheFile.read(cache, file, key: key) {
        case .failure(let reason):
            outcome = .rebuilt(reason: reason.reason)
        case .success(let cached):
            switch CacheFiles.compare(cached: cached.files, current: current, warnings: (cached.locationWarnings, location.warnings)) {
            case .unchanged:
                return (cached.table.redactingDeletions(), .hit, cached.files)
            case .changed(let reason):
                outcome = .rebuilt(reason: reason)
            case .grew where cached.raw.warnedCategories:
                // The consent categories beyond the limit were re-ranked over the whole store: an
                // append could change which are kept, so the store is read again.
                outcome = .rebuilt(reason: "more than \(EventTableBuilder.maxConsentCategories) consent categories")
            case .grew(let s):
                builder = EventTableBuilder(resuming: cached.table, raw: cached.raw)
                starts = s
                previous = cached.files
                outcome = .appended(bytesRead: 0)
            }
        }
        var session = ReadSession(parser: EventLineParser(selection: selection, options: options), files: location.files,
                                  maxLineBytes: maxLineBytes, progress: progress, resuming: builder, starts: starts)
        session.pipeline = ParsePipeline(parser: session.parser, seeds: session.builder.seeds,
                                         threads: parseThreads, chunkBytes: chunkBytes, maxLineBytes: maxLineBytes)
        if builder == nil { session.builder.stats.warnings += location.warnings }
        session.builder.pinnedConsentCategories = keepConsentCategories
        try session.run()
        if case .appended = outcome { outcome = .appended(bytesRead: session.bytesRead) }
        let raw = session.builder.rawState()
        let table = session.builder.finish()
        for i in current.indices {
            if let previous, starts?[i] == .skip {
                current[i] = previous[i]
                continue
            }
            current[i].lines = session.lineCounts[i]
            current[i].compressed = table.stats.files[i].compressed
            if !current[i].compressed { current[i].size = table.stats.files[i].bytes }
            current[i].endsWithNewline = session.endsWithNewline[i]
            // Only the last file may grow and be appended to (see `CacheFiles.compare`).
            current[i].sampleHash = i == current.count - 1 && !current[i].compressed
                ? CacheFiles.sampleHash(current[i].path, end: current[i].size) ?? 0 : 0
        }
        if !session.changedWhileRead {  // a file changed under the read: its figures are not kept
            CacheFile.write(cache, file, key: key, files: current,
                            locationWarnings: location.warnings, table: table, raw: raw)
        }
        return (table.redactingDeletions(), outcome, current)
    }

    /// What a cache file is valid for: the resolved paths and the field selection.
    func cacheKey() -> String {
        let resolved = paths.map { p -> String in
            guard let r = realpath(p, nil) else { return p }
            defer { free(r) }
            return String(cString: r)
        }
        return "paths:" + resolved.joined(separator: "\u{0}") + "\u{1}selection:" + selection.paths.sorted().joined(separator: "\u{0}")
            + "\u{1}captures:" + selection.captures.sorted().joined(separator: "\u{0}")
            + "\u{1}maxLine:\(maxLineBytes)" + "\u{1}assumeUTC:\(options.assumeUTC)"
            + "\u{1}keepConsent:" + keepConsentCategories.sorted().joined(separator: "\u{0}")
    }
}

func hex(_ v: UInt64) -> String {
    let s = String(v, radix: 16)
    return String(repeating: "0", count: 16 - s.count) + s
}

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
        let keys = seen.keys
        return BuilderRaw(userKey: userKey, anonKey: anonKey, linkAnon: links.anon, linkTime: links.time,
                          linkSeq: links.seq, linkUser: links.user, seenA: keys.map(\.a), seenB: keys.map(\.b),
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
        table.time = unpermute(t.time)
        table.kind = unpermute(t.kind)
        table.name = unpermute(t.name)
        table.section = unpermute(t.section)
        table.timezone = unpermute(t.timezone)
        table.sequence = Array(0 ..< Int32(n))
        table.consentCarried = unpermute(t.consentCarried)
        table.consentGranted = unpermute(t.consentGranted)
        table.consentCategories = t.consentCategories
        table.stats = t.stats
        userKey = raw.userKey
        anonKey = raw.anonKey
        for (path, values) in t.properties.sorted(by: { $0.key < $1.key }) {
            columnIndex[path] = columns.count
            columnPaths.append(path)
            columns.append(unpermute(values))
        }
        let atRows = at.map { Int32($0) }
        for (path, col) in t.arrays { arrayColumns[path] = col.permuted(atRows) }
        for (i, c) in t.consentCategories.enumerated() { categoryBit[c] = i }
        warnedCategories = raw.warnedCategories
        clearedRows = raw.clearedRows
        for i in raw.linkAnon.indices {
            links[raw.linkAnon[i]] = (raw.linkTime[i], raw.linkSeq[i], raw.linkUser[i])
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

/// Comparing the store on disk with the cached file list.
enum CacheFiles {
    enum Comparison {
        case unchanged
        case grew([ReadSession.FileStart])
        case changed(String)
    }

    /// The identity of each located file, or nil when one is not a regular file (a pipe).
    static func identities(_ files: [LocatedFile]) -> [CachedFile]? {
        var out: [CachedFile] = []
        for f in files {
            var st = stat()
            guard stat(f.path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
            out.append(CachedFile(path: f.path, device: UInt64(truncatingIfNeeded: st.st_dev),
                                  inode: UInt64(truncatingIfNeeded: st.st_ino), size: Int64(st.st_size),
                                  mtimeSeconds: Int64(st.st_mtim.tv_sec), mtimeNanoseconds: Int64(st.st_mtim.tv_nsec),
                                  ctimeSeconds: Int64(st.st_ctim.tv_sec), ctimeNanoseconds: Int64(st.st_ctim.tv_nsec),
                                  compressed: false, endsWithNewline: true, lines: 0, sampleHash: 0))
        }
        return out
    }

    static func compare(cached: [CachedFile], current: [CachedFile], warnings: ([String], [String])) -> Comparison {
        guard cached.map(\.path) == current.map(\.path) else { return .changed("the store's file list changed") }
        guard warnings.0 == warnings.1 else { return .changed("the store's skipped entries changed") }
        var starts: [ReadSession.FileStart] = []
        var grew = false
        for (i, (old, new)) in zip(cached, current).enumerated() {
            let name = printablePath(new.path)
            guard old.device == new.device && old.inode == new.inode else { return .changed("\(name) was replaced") }
            if old.size == new.size {
                guard old.mtimeSeconds == new.mtimeSeconds && old.mtimeNanoseconds == new.mtimeNanoseconds else {
                    return .changed("\(name) was modified")
                }
                // A write with the mtime put back (touch -r, cp -p, rsync -t) still moves the ctime.
                guard old.ctimeSeconds == new.ctimeSeconds && old.ctimeNanoseconds == new.ctimeNanoseconds else {
                    return .changed("\(name) was modified (status change time)")
                }
                starts.append(.skip)
                continue
            }
            guard new.size > old.size else { return .changed("\(name) shrank") }
            guard !old.compressed else { return .changed("\(name) (gzip) changed") }
            guard old.endsWithNewline else { return .changed("\(name) grew after an unterminated last line") }
            // New lines of an earlier file would come before later files' lines in file order
            // (which decides duplicates and ties), so only the last file may grow.
            guard i == current.count - 1 else { return .changed("\(name) grew but is not the last file in read order") }
            guard sampleHash(new.path, end: old.size) == old.sampleHash else {
                return .changed("\(name) was modified before its old end")
            }
            starts.append(.append(offset: old.size, lines: old.lines))
            grew = true
        }
        return grew ? .grew(starts) : .unchanged
    }

    /// Hash of the file's bytes before `end`: all of them up to ``StoreCache/wholeHashBytes``, else
    /// ``StoreCache/sampleBlocks`` blocks of ``StoreCache/sampleBlockBytes`` evenly spread from the
    /// first byte to byte `end - 1` (the first and the last block included). Nil when unreadable.
    static func sampleHash(_ path: String, end: Int64) -> UInt64? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var ranges: [(offset: Int64, count: Int)] = []
        if end <= Int64(StoreCache.wholeHashBytes) {
            ranges.append((0, Int(end)))
        } else {
            let block = Int64(StoreCache.sampleBlockBytes), k = Int64(StoreCache.sampleBlocks)
            for i in 0 ..< k { ranges.append(((end - block) * i / (k - 1), Int(block))) }
        }
        var buffer = [UInt8](repeating: 0, count: ranges.reduce(0) { $0 + $1.count })
        var at = 0
        for r in ranges {
            var got = 0
            while got < r.count {
                let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + at + got, r.count - got, off_t(r.offset) + off_t(got)) }
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { return nil }
                got += n
            }
            at += r.count
        }
        return buffer.withUnsafeBytes { IDHash.hash($0, seed: StoreCache.checksumSeed) }
    }

    /// Whether `directory` is one of `paths` or inside one (the cache must never live in the store).
    static func isInside(_ directory: String, anyOf paths: [String]) -> Bool {
        guard let d = resolved(directory) else { return false }
        for p in paths {
            guard let r = resolved(p) else { continue }
            if d == r || d.hasPrefix(r.hasSuffix("/") ? r : r + "/") { return true }
        }
        return false
    }

    /// realpath of the path, or of its nearest existing parent plus the rest.
    static func resolved(_ path: String) -> String? {
        var head = path, tail = ""
        while true {
            if let r = realpath(head, nil) {
                defer { free(r) }
                return String(cString: r) + tail
            }
            guard let slash = head.lastIndex(of: "/"), slash != head.startIndex else { return nil }
            tail = String(head[slash...]) + tail
            head = String(head[..<slash])
        }
    }
}

/// The cache file format: header (magic, version, byte order, payload length, payload checksum), then the payload.
enum CacheFile {
    struct Contents {
        var files: [CachedFile]
        var locationWarnings: [String]
        var table: EventTable
        var raw: BuilderRaw
    }

    static let headerBytes = 16 + 4 + 4 + 8 + 8

    static func read(_ dir: CacheDirectory, _ name: String, key: String) -> Result<Contents, Failure> {
        readFramed(dir, name, magic: StoreCache.magic, version: StoreCache.formatVersion) { p in
            guard p.string() == key else { return .failure(Failure("cache written for other paths or fields")) }
            guard let contents = decode(&p), p.atEnd else { return .failure(Failure("cache damaged")) }
            return .success(contents)
        }
    }

    /// The largest cache file read: physical memory (a larger one could not be loaded anyway).
    static var maximumBytes: Int {
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), size = sysconf(Int32(_SC_PAGESIZE))
        guard pages > 0, size > 0 else { return Int.max }
        return pages.multipliedReportingOverflow(by: size).overflow ? Int.max : pages * size
    }

    /// Reads a framed cache file and decodes its payload with `body`: opened without following a
    /// symbolic link or blocking on a FIFO; a regular file of plausible size; header checked (magic,
    /// version, byte order, length) before anything is allocated; then the keyed tag over header
    /// and payload.
    static func readFramed<T>(_ dir: CacheDirectory, _ name: String, magic: [UInt8], version expected: UInt32,
                              _ body: (inout BinaryReader) -> Result<T, Failure>) -> Result<T, Failure> {
        let fd = openat(dir.fd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard fd >= 0 else {
            let e = errno
            if e == ENOENT { return .failure(Failure("no cache yet")) }
            if e == ELOOP { return .failure(Failure("cache file is a symbolic link")) }
            return .failure(Failure("cache unreadable: \(errorText(e))"))
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { return .failure(Failure("cache unreadable")) }
        guard (st.st_mode & S_IFMT) == S_IFREG else { return .failure(Failure("cache file is not a regular file")) }
        let size = Int(st.st_size)
        guard size >= headerBytes else { return .failure(Failure("cache truncated")) }
        guard size <= maximumBytes else { return .failure(Failure("cache file implausibly large (\(size) bytes)")) }
        var header = [UInt8](repeating: 0, count: headerBytes)
        guard readFully(fd, &header, at: 0) else { return .failure(Failure("cache unreadable")) }
        let tag: UInt64
        do {
            let all = header
            let checked: Result<UInt64, Failure> = all.withUnsafeBytes { h in
                guard Array(h[0 ..< 16]) == magic else { return .failure(Failure("not an earshot cache file")) }
                var r = BinaryReader(h, at: 16)
                guard let version = r.u32(), version == expected else {
                    return .failure(Failure("cache of another format version"))
                }
                guard let order = r.u32(), order == 0x0102_0304 else { return .failure(Failure("cache of another byte order")) }
                guard let length = r.int(), length == size - headerBytes else { return .failure(Failure("cache truncated")) }
                return .success(r.u64()!)
            }
            switch checked {
            case .failure(let f): return .failure(f)
            case .success(let t): tag = t
            }
        }
        let count = size - headerBytes
        guard let memory = malloc(max(count, 1)) else { return .failure(Failure("cache too large to load")) }
        defer { free(memory) }
        let payload = UnsafeMutableRawBufferPointer(start: memory, count: count)
        guard readFully(fd, payload, at: headerBytes) else { return .failure(Failure("cache unreadable")) }
        guard authenticationTag(header: header, payload: UnsafeRawBufferPointer(payload), key: dir.key) == tag else {
            return .failure(Failure("cache checksum mismatch"))
        }
        var p = BinaryReader(UnsafeRawBufferPointer(payload))
        let result = body(&p)
        if case .success = result { _ = futimens(fd, nil) }   // a hit keeps the entry from the 30-day sweep
        return result
    }

    /// SipHash-2-4 under the directory's key of the header's first 32 bytes (all but the tag) and the payload.
    static func authenticationTag(header: [UInt8], payload: UnsafeRawBufferPointer, key: (UInt64, UInt64)) -> UInt64 {
        var h = SipHash24(key: key)
        h.update(Array(header[0 ..< headerBytes - 8]))
        h.update(payload)
        return h.finalize()
    }

    private static func readFully(_ fd: Int32, _ bytes: inout [UInt8], at offset: Int) -> Bool {
        bytes.withUnsafeMutableBytes { readFully(fd, $0, at: offset) }
    }

    private static func readFully(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer, at offset: Int) -> Bool {
        var got = 0
        while got < buffer.count {
            let n = pread(fd, buffer.baseAddress! + got, buffer.count - got, off_t(offset + got))
            if n < 0 && (errno == EINTR || errno == EAGAIN) { continue }
            guard n > 0 else { return false }
            got += n
        }
        return true
    }

    struct Failure: Error { var reason: String; init(_ r: String) { reason = r } }

    /// Writes the table cache file, streamed: the payload is encoded twice, once only counted (the
    /// header holds its length), then handed to the file in pieces of at most ``pieceBytes`` while
    /// the tag is computed, so writing never holds a copy of the encoded table (#11.15).
    static func write(_ dir: CacheDirectory, _ name: String, key: String, files: [CachedFile],
                      locationWarnings: [String], table t: EventTable, raw: BuilderRaw) {
        writeFramed(dir, name, magic: StoreCache.magic, version: StoreCache.formatVersion) { w in
            encode(&w, key: key, files: files, locationWarnings: locationWarnings, table: t, raw: raw)
        }
    }

    /// The largest piece of a streamed cache file handed to `write(2)`.
    static let pieceBytes = 1 << 20

    /// The table cache payload.
    static func encode(_ w: inout BinaryWriter, key: String, files: [CachedFile],
                       locationWarnings: [String], table t: EventTable, raw: BuilderRaw) {
        w.string(key)
        encodeFiles(files, &w)
        w.strings(locationWarnings)
        // Table.
        let interned = t.strings.storage
        w.array(interned.offsets); w.array(interned.arena)
        w.array(t.time); w.array(t.person); w.array(t.kind.map(\.rawValue)); w.array(t.name)
        w.array(t.section); w.array(t.timezone); w.array(t.sequence)
        w.array(t.consentCarried); w.array(t.consentGranted)
        let props = t.properties.sorted { $0.key < $1.key }
        w.int(props.count)
        for (path, values) in props { w.string(path); w.array(values) }
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

    /// The header that ``readFramed`` checks, with the tag's 8 bytes zero.
    static func header(magic: [UInt8], version: UInt32, length: Int) -> [UInt8] {
        var out = magic
        withUnsafeBytes(of: version.littleEndian) { out.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt32(0x0102_0304)) { out.append(contentsOf: $0) }
        withUnsafeBytes(of: Int64(length).littleEndian) { out.append(contentsOf: $0) }
        out += [UInt8](repeating: 0, count: 8)
        return out
    }

    /// Writes the payload that `encode` produces atomically behind the header that ``readFramed``
    /// checks, without holding it in memory: `encode` runs twice (counting, then streaming in
    /// pieces of at most ``pieceBytes`` to the file and the tag); the tag is written last, in place.
    static func writeFramed(_ dir: CacheDirectory, _ name: String, magic: [UInt8], version: UInt32,
                            pieceBytes: Int = pieceBytes, encode: (inout BinaryWriter) -> Void) {
        var counter = BinaryWriter(counting: ())
        encode(&counter)
        let length = counter.count
        let head = header(magic: magic, version: version, length: length)
        dir.writeAtomically(name) { fd in
            guard head.withUnsafeBytes({ CacheDirectory.writeAll(fd, $0) }) else { return false }
            var mac = SipHash24(key: dir.key)
            mac.update(Array(head[0 ..< headerBytes - 8]))
            var ok = true
            var w = BinaryWriter(pieceBytes: pieceBytes) { piece in
                guard ok else { return }
                mac.update(piece)
                ok = CacheDirectory.writeAll(fd, piece)
            }
            encode(&w)
            w.flush()
            guard ok, w.count == length else { return false }
            return withUnsafeBytes(of: mac.finalize().littleEndian) { CacheDirectory.writeAll(fd, $0, at: headerBytes - 8) }
        }
    }

    /// Writes `payload` atomically behind the header that ``readFramed`` checks.
    static func writeFramed(_ dir: CacheDirectory, _ name: String, magic: [UInt8], version: UInt32, payload: [UInt8]) {
        var out = header(magic: magic, version: version, length: payload.count)
        let tag = payload.withUnsafeBytes { authenticationTag(header: out, payload: $0, key: dir.key) }
        out.removeLast(8)
        withUnsafeBytes(of: tag.littleEndian) { out.append(contentsOf: $0) }
        dir.writeAtomically(name, parts: [out, payload])
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

    static func decode(_ r: inout BinaryReader) -> Contents? {
        guard let files = decodeFiles(&r) else { return nil }
        guard let warnings = r.strings(), let offsets = r.array(Int.self), let arena = r.array(UInt8.self),
              let strings = Interner(arena: arena, offsets: offsets) else { return nil }
        var t = EventTable()
        t.strings = strings
        guard let time = r.array(Int64.self), let person = r.array(Int32.self), let kind = r.array(UInt8.self),
              let name = r.array(Int32.self), let section = r.array(Int32.self), let tz = r.array(Int32.self),
              let seq = r.array(Int32.self), let carried = r.array(UInt64.self), let granted = r.array(UInt64.self)
        else { return nil }
        let n = time.count
        guard [person.count, kind.count, name.count, section.count, tz.count, seq.count, carried.count, granted.count]
            .allSatisfy({ $0 == n }) else { return nil }
        var kinds: [EventKind] = []
        kinds.reserveCapacity(n)
        for k in kind { guard let e = EventKind(rawValue: k) else { return nil }; kinds.append(e) }
        t.time = time; t.person = person; t.kind = kinds; t.name = name; t.section = section; t.timezone = tz
        t.sequence = seq; t.consentCarried = carried; t.consentGranted = granted
        guard let np = r.count(unit: 16) else { return nil }
        for _ in 0 ..< np {
            guard let path = r.string(), let bits = r.array(UInt64.self), bits.count == n else { return nil }
            t.properties[path] = bits.map { PropValue(bits: $0) }
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
