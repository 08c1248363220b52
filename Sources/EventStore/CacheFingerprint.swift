#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

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

/// Comparing the store on disk with the cached file list.
enum CacheFiles {
    enum Comparison {
        case unchanged
        case grew([ReadSession.FileStart])
        case changed(RebuildReason)
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
        guard cached.map(\.path) == current.map(\.path) else { return .changed(.fileListChanged) }
        guard warnings.0 == warnings.1 else { return .changed(.skippedEntriesChanged) }
        var starts: [ReadSession.FileStart] = []
        var grew = false
        for (i, (old, new)) in zip(cached, current).enumerated() {
            guard old.device == new.device && old.inode == new.inode else { return .changed(.replaced(path: new.path)) }
            if old.size == new.size {
                guard old.mtimeSeconds == new.mtimeSeconds && old.mtimeNanoseconds == new.mtimeNanoseconds else {
                    return .changed(.modified(path: new.path))
                }
                // A write with the mtime put back (touch -r, cp -p, rsync -t) still moves the ctime.
                guard old.ctimeSeconds == new.ctimeSeconds && old.ctimeNanoseconds == new.ctimeNanoseconds else {
                    return .changed(.statusChanged(path: new.path))
                }
                starts.append(.skip)
                continue
            }
            guard new.size > old.size else { return .changed(.shrank(path: new.path)) }
            guard !old.compressed else { return .changed(.gzipChanged(path: new.path)) }
            guard old.endsWithNewline else { return .changed(.grewAfterUnterminatedLine(path: new.path)) }
            // New lines of an earlier file would come before later files' lines in file order
            // (which decides duplicates and ties), so only the last file may grow.
            guard i == current.count - 1 else { return .changed(.grewNotLast(path: new.path)) }
            guard sampleHash(new.path, end: old.size) == old.sampleHash else {
                return .changed(.modifiedBeforeOldEnd(path: new.path))
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
