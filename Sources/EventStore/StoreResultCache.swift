#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

/// What ``StoreReader/open(cache:resultKey:needsTable:progress:)`` found: the table and/or a
/// finished result (e.g. an encoded report) cached for exactly this store state and `resultKey`.
public struct StoreOpening: Sendable {
    /// The table; nil only when `needsTable` was false and ``cachedResult`` is set (the table was
    /// then not decoded at all).
    public var table: EventTable?
    /// The bytes saved earlier with ``CachedResultSlot/save(_:)`` for the same `resultKey` and the
    /// same store state (files, sizes, inodes, mtimes); nil when there is none or it is stale.
    public var cachedResult: [UInt8]?
    /// What the table cache did (``CacheOutcome/hit`` when the table was not needed).
    public var cache: CacheOutcome
    /// Where to save a result computed for this store state (it replaces any saved one); nil
    /// without a cache.
    public var resultSlot: CachedResultSlot?
}

/// A place in the cache for a result computed from one particular state of the store.
///
/// The slot remembers the store's fingerprint *as the table was read*, so a store that changes
/// after the read never gets a result that belongs to its older contents.
public struct CachedResultSlot: Sendable {
    let directory: CacheDirectory
    let name: String
    let key: String
    let files: [CachedFile]
    let locationWarnings: [String]

    /// Writes `bytes` atomically (private file, authenticated with the directory's key). Failure to write is silent: a cache
    /// is an optimisation, never a reason to fail.
    public func save(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { b in save(count: b.count) { piece in piece(b) } }
    }

    /// Writes a result of `count` bytes handed out in pieces, streamed to the file like the table cache (#11.15: a large
    /// result is never copied into one payload buffer). `pieces` runs twice — counted, then written — and must hand
    /// out the same `count` bytes both times (a different number makes a file the reader rejects: a cache miss). Same file as
    /// ``save(_:)`` for the same bytes.
    public func save(count: Int, pieces: ((UnsafeRawBufferPointer) -> Void) -> Void) {
        CacheFile.writeFramed(directory, name, magic: StoreCache.resultMagic, version: StoreCache.formatVersion) { w in
            w.string(key)
            CacheFile.encodeFiles(files, &w)
            w.strings(locationWarnings)
            w.int(count)
            pieces { w.raw($0) }
        }
    }
}

extension StoreCache {
    static let resultMagic: [UInt8] = Array("EARSHOT-RESULT\u{0}\u{0}".utf8)  // 16 bytes
}

extension StoreReader {
    /// Opens the store through the persistent cache for an analysis whose result is cached too.
    ///
    /// `resultKey` must name everything besides the store that the result depends on (rules text,
    /// analysis options, program version). A cached result is returned only when its file passes
    /// the same checks as the table cache (trusted directory, header, keyed tag, key) and the store is unchanged since
    /// it was saved: same files in the same order, same devices, inodes, sizes and mtimes. A store
    /// that grew, or any other change, means no cached result (the table is then read, appended
    /// bytes only when possible, and the caller computes the result and saves it in `resultSlot`).
    ///
    /// With `needsTable` false and a valid cached result, no table is read or decoded at all.
    /// With `cache` nil (`--no-cache`) nothing is read from or written to the cache.
    public func open(cache: StoreCache?, resultKey: String, needsTable: Bool,
                     progress: ((ReadProgress) -> Void)? = nil) throws(StoreError) -> StoreOpening {
        guard let cache else {
            return StoreOpening(table: try load(progress: progress), cachedResult: nil, cache: .unused, resultSlot: nil)
        }
        let location = try StoreLocator.locate(paths)
        guard let current = CacheFiles.identities(location.files),
              !CacheFiles.isInside(cache.directory, anyOf: paths),
              case .success(let directory) = cache.trusted() else {
            return StoreOpening(table: try load(progress: progress), cachedResult: nil, cache: .unused, resultSlot: nil)
        }
        let tableKey = cacheKey()
        let key = tableKey + "\u{1}result:" + resultKey
        let name = hex(IDHash.hash(tableKey, seed: StoreCache.checksumSeed)) + "-"
            + hex(IDHash.hash(key, seed: StoreCache.checksumSeed)) + ".result"
        var valid: (bytes: [UInt8], files: [CachedFile])?
        if case .success(let saved) = ResultFile.read(directory, name, key: key),
           case .unchanged = CacheFiles.compare(cached: saved.files, current: current,
                                                warnings: (saved.locationWarnings, location.warnings)) {
            valid = (saved.bytes, saved.files)
        }
        if let valid, !needsTable {
            let slot = CachedResultSlot(directory: directory, name: name, key: key, files: valid.files,
                                        locationWarnings: location.warnings)
            return StoreOpening(table: nil, cachedResult: valid.bytes, cache: .hit, resultSlot: slot)
        }
        let loaded = try load(cache: directory, location: location, current: current, progress: progress)
        let slot = CachedResultSlot(directory: directory, name: name, key: key, files: loaded.fingerprint,
                                    locationWarnings: location.warnings)
        // The table read must be of the very state the result was saved for.
        let result = valid.flatMap { $0.files == loaded.fingerprint ? $0.bytes : nil }
        return StoreOpening(table: loaded.table, cachedResult: result, cache: loaded.outcome, resultSlot: slot)
    }
}

/// The result file: key, store fingerprint, location warnings, then the result bytes.
enum ResultFile {
    struct Contents {
        var files: [CachedFile]
        var locationWarnings: [String]
        var bytes: [UInt8]
    }

    static func read(_ dir: CacheDirectory, _ name: String, key: String) -> Result<Contents, CacheFile.Failure> {
        CacheFile.readFramed(dir, name, magic: StoreCache.resultMagic, version: StoreCache.formatVersion) { r in
            guard r.string() == key else { return .failure(CacheFile.Failure(.otherKey)) }
            guard let files = CacheFile.decodeFiles(&r), let warnings = r.strings(), let bytes = r.array(UInt8.self),
                  r.atEnd else { return .failure(CacheFile.Failure(.damaged)) }
            return .success(Contents(files: files, locationWarnings: warnings, bytes: bytes))
        }
    }
}
