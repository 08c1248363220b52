#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif
import Synchronization

/// Why a cache directory is not used (one line, for a warning).
public struct CacheRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    /// The directory as given.
    public var directory: String
    /// Why it is not trusted, e.g. `owned by uid 1001, not by you (uid 0)`.
    public var reason: String
    /// The directory could merely not be created or opened (no home directory, a read-only file
    /// system): nothing to warn about, the cache is just not used. False for a directory that
    /// exists but is not trusted.
    public var isUnavailable: Bool = false

    public var description: String { "not using the cache directory \(printablePath(directory)): \(reason)" }
}

/// An opened cache directory that passed the trust checks, with the per-user key that
/// authenticates its files. Every file operation goes through the directory's descriptor
/// (`openat`, `renameat`), so replacing the directory or a parent after the checks changes nothing.
///
/// Trusted means: a real directory (not a symbolic link), owned by the effective user, not
/// writable by group or others. The key is 16 random bytes in the file `key` (mode 0600, owned
/// by the user); a key file that is anything else is replaced by a new key (which only makes
/// every existing cache file stale).
final class CacheDirectory: Sendable {
    let fd: Int32
    let path: String
    /// The SipHash-2-4 key of this directory's files.
    let key: (UInt64, UInt64)
    /// Whether the start-of-command sweep (``CacheJanitor/sweep(_:nowSeconds:)``) already ran on this directory.
    private let swept = Atomic<Bool>(false)

    /// True the first time only: whoever gets true sweeps.
    func claimSweep() -> Bool { !swept.exchange(true, ordering: .acquiringAndReleasing) }

    private init(fd: Int32, path: String, key: (UInt64, UInt64)) { self.fd = fd; self.path = path; self.key = key }

    deinit { close(fd) }

    static let keyName = "key"

    /// Creates the directory when missing (mode 0700, parents too), checks it and loads or creates its key.
    static func openTrusted(_ path: String) -> Result<CacheDirectory, CacheRefusal> {
        func refuse(_ reason: String, unavailable: Bool = false) -> Result<CacheDirectory, CacheRefusal> {
            .failure(CacheRefusal(directory: path, reason: reason, isUnavailable: unavailable))
        }
        makeDirectory(path)
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else {
            let e = errno
            var st = stat()
            if e == ELOOP || (lstat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFLNK) {
                return refuse("it is a symbolic link")
            }
            if e == ENOTDIR { return refuse("it is not a directory") }
            return refuse(errorText(e), unavailable: e == ENOENT || e == EACCES || e == EROFS)
        }
        var st = stat()
        guard fstat(fd, &st) == 0 else { close(fd); return refuse("cannot check its owner") }
        let me = geteuid()
        guard st.st_uid == me else {
            close(fd)
            return refuse("owned by uid \(st.st_uid), not by you (uid \(me))")
        }
        guard st.st_mode & 0o022 == 0 else {
            close(fd)
            return refuse("writable by " + (st.st_mode & 0o002 != 0 ? "others" : "its group")
                          + " (mode " + String(st.st_mode & 0o7777, radix: 8) + ")")
        }
        guard let key = loadKey(fd) else { close(fd); return refuse("cannot read or create its key file") }
        return .success(CacheDirectory(fd: fd, path: path, key: key))
    }

    /// Creates the directory (mode 0700) and, when missing, its parent (`~/.cache`), but nothing
    /// above: with `HOME=/nonexistent` no directory is made there, the cache is just not used.
    static func makeDirectory(_ dir: String) {
        if mkdir(dir, 0o700) == 0 || errno == EEXIST { return }
        if errno == ENOENT, let slash = dir.lastIndex(of: "/"), slash != dir.startIndex {
            guard mkdir(String(dir[..<slash]), 0o700) == 0 else { return }
            _ = mkdir(dir, 0o700)
        }
    }

    /// The key from `key`, created when missing; a key file that is not a private regular file of
    /// the user holding 16 bytes is replaced.
    private static func loadKey(_ dirfd: Int32) -> (UInt64, UInt64)? {
        for _ in 0 ..< 3 {
            let fd = openat(dirfd, keyName, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
            if fd >= 0 {
                var st = stat()
                var bytes = [UInt8](repeating: 0, count: 16)
                let ok = fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG && st.st_uid == geteuid()
                    && st.st_mode & 0o077 == 0 && st.st_size == 16
                    && bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 16, 0) } == 16
                close(fd)
                if ok {
                    return bytes.withUnsafeBytes {
                        (UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
                         UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
                    }
                }
                unlinkat(dirfd, keyName, 0)
            } else if errno != ENOENT && errno != ELOOP {
                return nil
            } else if errno == ELOOP {
                unlinkat(dirfd, keyName, 0)
            }
            // Create: a private temporary file, then link it to the name (fails if another
            // process was first; its key is read on the next round).
            var rng = SystemRandomNumberGenerator()
            var fresh: [UInt8] = []
            for _ in 0 ..< 2 { withUnsafeBytes(of: rng.next()) { fresh.append(contentsOf: $0) } }
            guard let tmp = writeTemporary(dirfd, prefix: keyName, parts: [fresh]) else { return nil }
            if linkat(dirfd, tmp, dirfd, keyName, 0) != 0 && errno != EEXIST {
                // A file system without hard links: rename (two processes racing then write with
                // different keys once, and the loser's files are rebuilt on the next run).
                if renameat(dirfd, tmp, dirfd, keyName) == 0 { continue }
            }
            unlinkat(dirfd, tmp, 0)
        }
        return nil
    }
}
