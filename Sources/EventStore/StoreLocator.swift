#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

/// One file of the store, as located.
public struct LocatedFile: Sendable, Equatable {
    /// The path as it will be opened and shown (the given path, or directory + "/" + name).
    public var path: String
    /// Size on disk in bytes (0 for a pipe or other non-regular file).
    public var bytes: Int64

    public init(path: String, bytes: Int64) {
        self.path = path
        self.bytes = bytes
    }
}

/// The files to read and the notes gathered while finding them.
public struct StoreLocation: Sendable, Equatable {
    /// Files in read order: byte order of the full path.
    public var files: [LocatedFile]
    /// Entries skipped inside directories (unreadable folder, broken link, undecodable name).
    public var warnings: [String]
}

/// Turns the paths a user gives into the ordered list of event files.
///
/// A path naming a file is read whatever its extension (also a pipe such as `/dev/stdin`).
/// A directory is searched recursively for `*.jsonl`, `*.ndjson`, `*.json` and the same
/// ending in `.gz`, and for any other regular file whose content is gzip (magic `1f 8b`) or whose
/// first non-blank byte (after an optional UTF-8 byte order mark) is `{` — so archives such as
/// Segment's `segment-logs/<source>/<day>/<random>.gz` are found whatever their names. Other
/// files are skipped with one warning per extension. Names starting with `.` are skipped inside directories, symbolic links are
/// followed but a directory is never entered twice (no loops). Inside directories, entries that are not
/// regular files or directories (FIFOs, devices, sockets) and entries on a kernel pseudo-file system
/// (`/proc`, `/sys`, reached through a link) are skipped with a warning each. Files reached twice (same device
/// and inode) are read once. The store is only ever opened for reading.
public enum StoreLocator {
    /// The extensions searched for in directories (each also with `.gz`).
    public static let extensions = ["jsonl", "ndjson", "json"]

    /// The patterns searched for, for messages: `*.jsonl, …, *.json.gz`.
    public static var patterns: [String] {
        extensions.map { "*.\($0)" } + extensions.map { "*.\($0).gz" }
    }

    /// Whether a file found in a directory is an event file (extension match, ASCII case-insensitive).
    public static func isEventFileName(_ name: String) -> Bool {
        var n = name.lowercased()
        if n.hasSuffix(".gz") { n.removeLast(3) }
        return extensions.contains { n.hasSuffix("." + $0) && n.count > $0.count + 1 }
    }

    /// The files of `paths`, in byte order of their full paths.
    public static func locate(_ paths: [String]) throws(StoreError) -> StoreLocation {
        guard !paths.isEmpty else { throw .noPaths }
        var found: [(file: LocatedFile, id: FileID)] = []
        var warnings: [String] = []
        for path in paths {
            guard !path.isEmpty else { throw .notFound(path: path) }
            var st = stat()
            guard stat(path, &st) == 0 else {
                let e = errno
                if e == ENOENT || e == ENOTDIR { throw .notFound(path: path) }
                throw .notReadable(path: path, reason: errorText(e))
            }
            if (st.st_mode & S_IFMT) == S_IFDIR {
                guard access(path, R_OK | X_OK) == 0 else { throw .notReadable(path: path, reason: errorText(errno)) }
                var visited: Set<FileID> = [FileID(st)]
                let before = found.count
                var root = path
                while root.count > 1 && root.hasSuffix("/") { root.removeLast() }
                var skipped: [String: (count: Int, first: String)] = [:]
                try walk(root, visited: &visited, into: &found, warnings: &warnings, skipped: &skipped)
                for (kind, s) in skipped.sorted(by: { $0.key < $1.key }) {
                    let what = kind.isEmpty ? "without an extension" : "*.\(kind)"
                    let files = s.count == 1 ? "file" : "files"
                    warnings.append("skipped \(s.count) \(files) (\(what)) that are neither JSON lines nor gzip (first: \(printablePath(s.first)))")
                }
                if found.count == before { throw .noEventFiles(directory: path) }
            } else {
                guard access(path, R_OK) == 0 else { throw .notReadable(path: path, reason: errorText(errno)) }
                let regular = (st.st_mode & S_IFMT) == S_IFREG
                found.append((LocatedFile(path: path, bytes: regular ? Int64(st.st_size) : 0), FileID(st)))
            }
        }
        found.sort { $0.file.path.utf8.lexicographicallyPrecedes($1.file.path.utf8) }
        var seen = Set<FileID>()
        let files = found.filter { seen.insert($0.id).inserted }.map(\.file)
        return StoreLocation(files: files, warnings: warnings)
    }

    private static func walk(_ dir: String, visited: inout Set<FileID>,
                             into found: inout [(file: LocatedFile, id: FileID)],
                             warnings: inout [String], skipped: inout [String: (count: Int, first: String)]) throws(StoreError) {
        guard let handle = opendir(dir) else {
            warnings.append("skipped directory \(printablePath(dir)): \(errorText(errno))")
            return
        }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name: String? = withUnsafePointer(to: &entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(validatingCString: $0) }
            }
            guard let name else {
                warnings.append("skipped an entry of \(printablePath(dir)) whose name is not valid UTF-8")
                continue
            }
            if name.hasPrefix(".") { continue }  // ".", "..", and hidden entries
            names.append(name)
        }
        for name in names {
            let full = dir == "/" ? "/" + name : dir + "/" + name
            var st = stat()
            guard stat(full, &st) == 0 else {
                if isEventFileName(name) {
                    warnings.append("skipped \(printablePath(full)): \(errorText(errno))")
                }
                continue
            }
            let type = st.st_mode & S_IFMT
            if type == S_IFDIR || type == S_IFREG, let fs = pseudoFileSystem(full, st) {
                // A link into /proc or /sys: its "files" are live kernel state (environment, memory
                // maps, …), never events; its directories lead anywhere (/proc/self/root is /).
                warnings.append("skipped \(printablePath(full)): on the kernel's \(fs) file system, not event data")
                continue
            }
            switch type {
            case S_IFDIR:
                guard visited.insert(FileID(st)).inserted else { continue }  // a link loop or a second way in
                try walk(full, visited: &visited, into: &found, warnings: &warnings, skipped: &skipped)
            case S_IFREG where isEventFileName(name):
                found.append((LocatedFile(path: full, bytes: Int64(st.st_size)), FileID(st)))
            case S_IFREG:
                if st.st_size > 0 && looksLikeEvents(full) {
                    found.append((LocatedFile(path: full, bytes: Int64(st.st_size)), FileID(st)))
                } else if !isCompanionFile(name) {
                    let kind = extensionKind(name)
                    if let s = skipped[kind] {
                        skipped[kind] = (s.count + 1, full.utf8.lexicographicallyPrecedes(s.first.utf8) ? full : s.first)
                    } else {
                        skipped[kind] = (1, full)
                    }
                }
            default:
                // A FIFO would block the read, a device would be read forever or have side effects.
                warnings.append("skipped \(printablePath(full)): not a regular file (\(fileTypeName(type)))")
            }
        }
    }
}

extension StoreLocator {
    /// Whether a file's first bytes look like event data: gzip magic, or (after an optional UTF-8
    /// byte order mark and whitespace) `{`. Reads at most 4 KiB; an unreadable file is no.
    static func looksLikeEvents(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var head = [UInt8](repeating: 0, count: 4096)
        let n = head.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
        guard n > 0 else { return false }
        if n >= 2 && isGzipMagic(head[0], head[1]) { return true }
        var i = 0
        if n >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF { i = 3 }
        while i < n && (head[i] == 0x20 || head[i] == 0x09 || head[i] == 0x0A || head[i] == 0x0D) { i += 1 }
        return i < n && head[i] == UInt8(ascii: "{")
    }

    /// Whether two first bytes are gzip's magic number (`1f 8b`): how earshot tells gzip by content.
    @inline(__always) static func isGzipMagic(_ a: UInt8, _ b: UInt8) -> Bool { a == 0x1F && b == 0x8B }

    /// Whether the file at `path` is gzip by content (its first two bytes), as earshot reads it whatever its name;
    /// an unreadable or shorter file is no.
    public static func isGzip(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var head: (UInt8, UInt8) = (0, 0)
        let n = withUnsafeMutableBytes(of: &head) { read(fd, $0.baseAddress!, 2) }
        return n == 2 && isGzipMagic(head.0, head.1)
    }

    /// `proc` or `sysfs` when `path` (with status `st`) lies on the kernel's `/proc` or `/sys` (same
    /// device, or a link resolving below them), else nil. Such entries are skipped inside directories (a store's symbolic link to
    /// `/proc/self/environ` must not be read as events, a link to `/proc/self` must not be walked).
    static func pseudoFileSystem(_ path: String, _ st: stat) -> String? {
        let device = UInt64(truncatingIfNeeded: st.st_dev)
        for root in pseudoRoots where device == root.device { return root.name }
        // Not on the same device as /proc or /sys, but a link into them (a mount below /sys).
        var link = stat()
        guard lstat(path, &link) == 0, (link.st_mode & S_IFMT) == S_IFLNK,
              let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        let target = String(cString: resolved)
        for (prefix, name) in [("/proc", "proc"), ("/sys", "sysfs")] where target == prefix || target.hasPrefix(prefix + "/") {
            return name
        }
        return nil
    }

    /// The devices of `/proc` and `/sys` on this machine (absent ones are left out).
    static let pseudoRoots: [(device: UInt64, name: String)] = {
        #if os(Linux)
        return [("/proc", "proc"), ("/sys", "sysfs")].compactMap { path, name in
            var st = stat()
            guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else { return nil }
            return (UInt64(truncatingIfNeeded: st.st_dev), name)
        }
        #else
        return []
        #endif
    }()

    /// A person's name for a non-regular file type (`a FIFO`, `a character device`, …).
    static func fileTypeName(_ type: mode_t) -> String {
        switch type {
        case S_IFIFO: return "a FIFO"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        default: return "type \(String(type, radix: 8))"
        }
    }

    /// Files that belong next to an event store and are skipped without a warning when their content
    /// is not events: earshot's own rules (`*.segments`) and config (`earshot.yaml`, `.yml`, `.toml`),
    /// and documentation (`*.md`, `*.txt`, `README*`, `LICENSE*`).
    static func isCompanionFile(_ name: String) -> Bool {
        let n = name.lowercased()
        return n.hasSuffix(".segments") || n.hasSuffix(".md") || n.hasSuffix(".txt")
            || n.hasPrefix("readme") || n.hasPrefix("license") || n.hasPrefix("licence")
            || n == "earshot.yaml" || n == "earshot.yml" || n == "earshot.toml"
    }

    /// The lowercased extension of a name (`md`, `tar.gz` counts as `gz`), empty when there is none.
    static func extensionKind(_ name: String) -> String {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        let ext = name[name.index(after: dot)...].lowercased()
        return ext.count <= 16 && ext.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) ? ext : ""
    }
}

/// A file's identity on this machine.
struct FileID: Hashable {
    var device: UInt64
    var inode: UInt64
    init(_ st: stat) {
        device = UInt64(truncatingIfNeeded: st.st_dev)
        inode = UInt64(truncatingIfNeeded: st.st_ino)
    }
}

/// The system's text for an errno value, in lowercase ("permission denied").
func errorText(_ code: Int32) -> String {
    guard let c = strerror(code) else { return "error \(code)" }
    let text = String(cString: c)
    guard let first = text.first else { return "error \(code)" }
    return first.lowercased() + text.dropFirst()
}
