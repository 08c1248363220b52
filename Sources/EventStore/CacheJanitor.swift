#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

/// Keeps the cache directory from growing without end: removes cache entries that were not used for a while
/// (on every start of a command that uses the cache) and clears the directory on request (`earshot cache clear`).
///
/// Only earshot's own entries are touched — regular files named `*.table`, `*.result` or a temporary
/// `*.tmp…` of theirs, directly in the directory; anything else (and anything behind a symbolic link) is left alone.
public enum CacheJanitor {
    /// Entries whose last use (written, or read by a cache hit, which refreshes the time) is older than this are removed.
    public static let unusedDays = 30

    /// What a sweep or a clear did.
    public struct Outcome: Sendable, Equatable {
        public var removedFiles = 0
        public var removedBytes: Int64 = 0
        public var keptFiles = 0
        public var keptBytes: Int64 = 0
        public init() {}
    }

    /// Whether `name` is one of earshot's cache entries.
    static func isCacheEntry(_ name: String) -> Bool {
        if name.hasPrefix(".") { return false }
        if name.hasSuffix(".table") || name.hasSuffix(".result") { return true }
        return name.contains(".table.tmp") || name.contains(".result.tmp")
    }

    /// Removes the entries of `directory` last used before `nowSeconds - unusedDays` (all of them when `all`).
    /// A missing directory is an empty one; the directory itself is never followed through a symbolic link.
    @discardableResult
    public static func sweep(directory: String, nowSeconds: Int64, all: Bool = false) -> Outcome {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return Outcome() }
        defer { close(fd) }
        return sweep(fd: fd, nowSeconds: nowSeconds, all: all)
    }

    /// The sweep of a command's start, through the descriptor of the cache's opened, trusted directory (the one
    /// its cache files are read and written through); done at most once per opened directory. Nothing when the
    /// directory is not trusted.
    @discardableResult
    public static func sweep(_ cache: StoreCache, nowSeconds: Int64) -> Outcome {
        guard case .success(let dir) = cache.trusted(), dir.claimSweep() else { return Outcome() }
        return sweep(fd: dir.fd, nowSeconds: nowSeconds, all: false)
    }

    /// Removes the entries of the directory open at `dirfd` (not closed) last used before the cutoff.
    static func sweep(fd dirfd: Int32, nowSeconds: Int64, all: Bool) -> Outcome {
        var outcome = Outcome()
        // A duplicate for the directory stream (closedir closes it); rewound, since it shares the offset.
        let own = dup(dirfd)
        guard own >= 0 else { return outcome }
        guard let dir = fdopendir(own) else { close(own); return outcome }
        defer { closedir(dir) }
        rewinddir(dir)
        let cutoff = nowSeconds - Int64(unusedDays) * 86_400
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            guard isCacheEntry(name) else { continue }
            var st = stat()
            guard fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0, (st.st_mode & S_IFMT) == S_IFREG else { continue }
            let used = Int64(st.st_mtim.tv_sec)
            if all || used < cutoff {
                if unlinkat(dirfd, name, 0) == 0 {
                    outcome.removedFiles += 1
                    outcome.removedBytes += Int64(st.st_size)
                    continue
                }
            }
            outcome.keptFiles += 1
            outcome.keptBytes += Int64(st.st_size)
        }
        return outcome
    }
}
