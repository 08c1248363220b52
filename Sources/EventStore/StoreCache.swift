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
    /// The directory, opened and checked once by ``opening(_:)``: every later use in the process (the janitor's
    /// sweep, reading and writing cache files) goes through this descriptor instead of the path. Nil for a cache
    /// made with ``init(directory:)``, which opens and checks the path on each use.
    let opened: CacheDirectory?

    /// A cache in `directory`, opened and checked on each use (``opening(_:)`` does it once).
    public init(directory: String) { self.directory = directory; self.opened = nil }

    private init(opened: CacheDirectory) { self.directory = opened.path; self.opened = opened }

    /// Creates the directory when missing, opens it and checks once that it can be trusted (see ``prepare()``);
    /// the cache returned keeps the opened directory for every later use.
    public static func opening(_ directory: String) -> Result<StoreCache, CacheRefusal> {
        CacheDirectory.openTrusted(directory).map { StoreCache(opened: $0) }
    }

    /// Creates the directory when missing and checks that it can be trusted; nil when it can,
    /// else why not (the CLI warns once and runs without the cache; loading re-checks anyway).
    public func prepare() -> CacheRefusal? {
        if case .failure(let refusal) = trusted() { return refusal }
        return nil
    }

    /// The opened, trusted directory: the one opened by ``opening(_:)``, else the path opened and checked now.
    func trusted() -> Result<CacheDirectory, CacheRefusal> {
        if let opened { return .success(opened) }
        return CacheDirectory.openTrusted(directory)
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
    /// 9: sectioned (#14): a checked table of contents, every array of 4 KiB or more in an 8-byte-aligned
    ///    section with its own tag, read straight into its column (CacheSections.swift).
    /// 10: the compact table (#14): property columns sparse (presence bitmap + present values, SparseColumn);
    ///    times as 5-byte offsets from the earliest (TimeColumn); names, sections, timezones and consent bits as
    ///    1–2-byte codes into a dictionary of their distinct values (CodedColumn).
    static let formatVersion: UInt32 = 10
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
    case rebuilt(reason: RebuildReason)

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

/// Why the table cache was not used and the store was read in full (``CacheOutcome/rebuilt(reason:)``).
/// Paths are the store's file paths as located; ``description`` is the text shown to a person.
public enum RebuildReason: Sendable, Equatable, CustomStringConvertible {
    // The cache file.
    /// There is no cache file for this store yet.
    case noCacheYet
    /// The cache file is a symbolic link (never followed).
    case symbolicLink
    /// The cache file is not a regular file (a FIFO, a directory).
    case notRegularFile
    /// The cache file could not be read (`errno` text when known).
    case unreadable(String?)
    /// Shorter than its header, or than the length its header records.
    case truncated
    /// Larger than physical memory.
    case implausiblySized(bytes: Int)
    /// Not an earshot cache file (wrong magic).
    case notACacheFile
    /// Written by another cache format version.
    case otherFormatVersion
    /// Written on a machine of the other byte order.
    case otherByteOrder
    /// The payload could not be allocated.
    case tooLargeToLoad
    /// The keyed tag does not match (corruption, or written without this user's key).
    case checksumMismatch
    /// Written for other resolved paths, fields or reader options.
    case otherKey
    /// The tag matched but the payload does not decode.
    case damaged
    // The store.
    /// Files were added, removed or reordered.
    case fileListChanged
    /// The entries skipped while locating the store's files changed.
    case skippedEntriesChanged
    /// Another file (device or inode) is at this path.
    case replaced(path: String)
    /// Same size, another modification time.
    case modified(path: String)
    /// Same size and modification time, another status-change time (`touch -r`, `cp -p`).
    case statusChanged(path: String)
    /// The file is smaller than when cached.
    case shrank(path: String)
    /// A gzip file changed (never appended to).
    case gzipChanged(path: String)
    /// The file grew after a last line without a newline.
    case grewAfterUnterminatedLine(path: String)
    /// A file other than the last in read order grew.
    case grewNotLast(path: String)
    /// The file grew but a sampled block before its old end changed.
    case modifiedBeforeOldEnd(path: String)
    /// More consent categories than the limit: an append could change which are kept.
    case tooManyConsentCategories(limit: Int)

    public var description: String {
        switch self {
        case .noCacheYet: return "no cache yet"
        case .symbolicLink: return "cache file is a symbolic link"
        case .notRegularFile: return "cache file is not a regular file"
        case .unreadable(let e): return e.map { "cache unreadable: \($0)" } ?? "cache unreadable"
        case .truncated: return "cache truncated"
        case .implausiblySized(let n): return "cache file implausibly large (\(n) bytes)"
        case .notACacheFile: return "not an earshot cache file"
        case .otherFormatVersion: return "cache of another format version"
        case .otherByteOrder: return "cache of another byte order"
        case .tooLargeToLoad: return "cache too large to load"
        case .checksumMismatch: return "cache checksum mismatch"
        case .otherKey: return "cache written for other paths or fields"
        case .damaged: return "cache damaged"
        case .fileListChanged: return "the store's file list changed"
        case .skippedEntriesChanged: return "the store's skipped entries changed"
        case .replaced(let p): return "\(printablePath(p)) was replaced"
        case .modified(let p): return "\(printablePath(p)) was modified"
        case .statusChanged(let p): return "\(printablePath(p)) was modified (status change time)"
        case .shrank(let p): return "\(printablePath(p)) shrank"
        case .gzipChanged(let p): return "\(printablePath(p)) (gzip) changed"
        case .grewAfterUnterminatedLine(let p): return "\(printablePath(p)) grew after an unterminated last line"
        case .grewNotLast(let p): return "\(printablePath(p)) grew but is not the last file in read order"
        case .modifiedBeforeOldEnd(let p): return "\(printablePath(p)) was modified before its old end"
        case .tooManyConsentCategories(let limit): return "more than \(limit) consent categories"
        }
    }
}
