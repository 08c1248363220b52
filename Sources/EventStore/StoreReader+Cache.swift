#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif


extension StoreReader {
    /// Reads the store through the persistent cache (see ``StoreCache``), or without it when `cache` is nil.
    /// A cache that cannot be written (read-only directory, full disk) is not an error: the table is returned.
    public func load(cache: StoreCache?, progress: ((ReadProgress) -> Void)? = nil) throws(StoreError)
        -> (table: EventTable, cache: CacheOutcome) {
        guard let cache else { return (try load(progress: progress), .unused) }
        let location = try StoreLocator.locate(paths)
        guard let current = CacheFiles.identities(location.files),
              !CacheFiles.isInside(cache.directory, anyOf: paths),
              case .success(let directory) = cache.trusted() else {
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
        // The cached file list decides what else is read: a hit needs the table only, an append also the builder
        // state, a changed store nothing more (it is read again).
        var comparison = CacheFiles.Comparison.changed(.damaged)
        let read = CacheFile.read(cache, file, key: key) { files, warnings in
            comparison = CacheFiles.compare(cached: files, current: current, warnings: (warnings, location.warnings))
            switch comparison {
            case .unchanged: return .table
            case .grew: return .tableAndBuilder
            case .changed: return .nothing
            }
        }
        switch read {
        case .failure(let reason):
            outcome = .rebuilt(reason: reason.reason)
        case .success(let cached):
            switch comparison {
            case .unchanged:
                guard let table = cached.table else { preconditionFailure("a hit decodes the table") }
                return (table.redactingDeletions(), .hit, cached.files)
            case .changed(let reason):
                outcome = .rebuilt(reason: reason)
            case .grew where cached.raw?.warnedCategories ?? true:
                // The consent categories beyond the limit were re-ranked over the whole store: an
                // append could change which are kept, so the store is read again.
                outcome = .rebuilt(reason: .tooManyConsentCategories(limit: EventTableBuilder.maxConsentCategories))
            case .grew(let s):
                guard let table = cached.table, let raw = cached.raw else { preconditionFailure("an append decodes both") }
                builder = EventTableBuilder(resuming: table, raw: raw)
                starts = s
                previous = cached.files
                outcome = .appended(bytesRead: 0)
            }
        }
        var session = try run(location, resuming: builder, starts: starts, progress: progress)
        if case .appended = outcome { outcome = .appended(bytesRead: session.bytesRead) }
        let raw = session.builder.rawState()
        // finish() does not need the dedupe set and `raw` holds its keys: freed before finish()'s peak (#11.15).
        session.builder.seen = MessageKeySet()
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
