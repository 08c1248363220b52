#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

/// Atomic writes into the cache directory: a new private temporary file (`O_CREAT|O_EXCL|O_NOFOLLOW`,
/// mode 0600, a random name), written through its descriptor, then renamed over the final name, so a
/// reader never sees half a file and nothing is written through a planted link.
extension CacheDirectory {
    /// Creates a new private file (`O_CREAT|O_EXCL|O_NOFOLLOW`, mode 0600) named `PREFIX.tmp-` plus
    /// 16 random hex digits in the directory, writes `parts` and returns its name; nil on failure
    /// (the file is then removed).
    static func writeTemporary(_ dirfd: Int32, prefix: String, parts: [[UInt8]]) -> String? {
        writeTemporary(dirfd, prefix: prefix) { fd in
            parts.allSatisfy { part in part.withUnsafeBytes { writeAll(fd, $0) } }
        }
    }

    /// Creates a new private temporary file as above and lets `fill` write it through its
    /// descriptor (`fill` returns whether every write succeeded); its name, or nil on failure
    /// (the file is then removed).
    static func writeTemporary(_ dirfd: Int32, prefix: String, fill: (Int32) -> Bool) -> String? {
        var rng = SystemRandomNumberGenerator()
        for _ in 0 ..< 16 {
            let name = prefix + ".tmp-" + hex(rng.next())
            let fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            if fd < 0 {
                if errno == EEXIST { continue }
                return nil
            }
            let ok = fill(fd)
            close(fd)
            if !ok { unlinkat(dirfd, name, 0); return nil }
            return name
        }
        return nil
    }

    /// Writes all of `b` at the descriptor's position (retrying short writes and `EINTR`).
    static func writeAll(_ fd: Int32, _ b: UnsafeRawBufferPointer) -> Bool {
        var done = 0
        while done < b.count {
            let n = write(fd, b.baseAddress! + done, b.count - done)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            done += n
        }
        return true
    }

    /// Writes all of `b` at `offset` (retrying short writes and `EINTR`).
    static func writeAll(_ fd: Int32, _ b: UnsafeRawBufferPointer, at offset: Int) -> Bool {
        var done = 0
        while done < b.count {
            let n = pwrite(fd, b.baseAddress! + done, b.count - done, off_t(offset + done))
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            done += n
        }
        return true
    }

    /// Writes `parts` to a new temporary file, then renames it over `name` (readers never see half a file).
    func writeAtomically(_ name: String, parts: [[UInt8]]) {
        guard let tmp = Self.writeTemporary(fd, prefix: name, parts: parts) else { return }
        if renameat(fd, tmp, fd, name) != 0 { unlinkat(fd, tmp, 0) }
    }

    /// Lets `fill` write a new temporary file, then renames it over `name`; nothing when `fill` fails.
    func writeAtomically(_ name: String, fill: (Int32) -> Bool) {
        guard let tmp = Self.writeTemporary(fd, prefix: name, fill: fill) else { return }
        if renameat(fd, tmp, fd, name) != 0 { unlinkat(fd, tmp, 0) }
    }
}
