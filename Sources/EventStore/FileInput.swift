#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif
import CZlib

/// A file opened read-only and read front to back with large `read(2)` calls (no mmap, no lock).
final class FileInput {
    let path: String
    private let fd: Int32

    init(path: String) throws(StoreError) {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let e = errno
            if e == ENOENT || e == ENOTDIR { throw .notFound(path: path) }
            throw .notReadable(path: path, reason: errorText(e))
        }
        self.fd = fd
    }

    deinit { close(fd) }

    /// What `fstat` says about the open file: enough to notice that it was truncated or rewritten
    /// while it was read. Nil when `fstat` fails.
    func status() -> FileStatus? {
        var st = stat()
        guard fstat(fd, &st) == 0 else { return nil }
        #if canImport(Darwin)
        let m = st.st_mtimespec, c = st.st_ctimespec
        #else
        let m = st.st_mtim, c = st.st_ctim
        #endif
        return FileStatus(regular: (st.st_mode & S_IFMT) == S_IFREG, size: Int64(st.st_size),
                          modified: Int64(m.tv_sec) * 1_000_000_000 + Int64(m.tv_nsec),
                          changed: Int64(c.tv_sec) * 1_000_000_000 + Int64(c.tv_nsec))
    }

    /// Reads up to `buffer.count` bytes; 0 at end of file.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(StoreError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            let n = systemRead(fd, base, buffer.count)
            if n >= 0 { return n }
            let e = errno
            if e == EINTR || e == EAGAIN { continue }
            throw .readFailed(path: path, reason: errorText(e))
        }
    }

    /// Moves the reading position to byte `offset`.
    func seek(to offset: Int64) throws(StoreError) {
        guard lseek(fd, off_t(offset), SEEK_SET) >= 0 else { throw .readFailed(path: path, reason: errorText(errno)) }
    }

    /// Fills `buffer` as far as the file allows (stops early only at end of file).
    func readFull(into buffer: UnsafeMutableRawBufferPointer) throws(StoreError) -> Int {
        var total = 0
        while total < buffer.count {
            let n = try read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[total...]))
            if n == 0 { break }
            total += n
        }
        return total
    }
}

/// Size and times of an open file (``FileInput/status()``).
struct FileStatus: Equatable {
    var regular: Bool
    var size: Int64
    /// mtime and ctime in nanoseconds since the epoch.
    var modified: Int64
    var changed: Int64

    /// Why the file's content may not be what was read, comparing the status when it was opened
    /// (`self`) with the status after the last read, or nil. A file that grew (appended to while it was
    /// read) is not reported: what was read is a prefix of it, and the rest is read next time.
    func changeWhileRead(to end: FileStatus) -> String? {
        guard regular && end.regular else { return nil }
        if end.size < size { return "truncated while it was read (\(size) bytes when opened, \(end.size) after reading)" }
        if end.size == size && (end.modified != modified || end.changed != changed) {
            return "rewritten while it was read (same size, modification time changed)"
        }
        return nil
    }
}

/// `read(2)`, named apart from ``FileInput/read(into:)``.
@inline(__always) private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, buffer, count)
}

/// A zlib inflate stream that reads gzip (and zlib) data, member after member.
final class GzipInflater {
    private var stream = z_stream()
    private(set) var ready = false

    init() {
        ready = inflateInit2_(&stream, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK
    }

    deinit { if ready { inflateEnd(&stream) } }

    /// Starts a new member (after ``Status/memberEnd``).
    func reset() { inflateReset(&stream) }

    enum Status: Equatable {
        /// More input or output space needed.
        case progress
        /// A gzip member ended; more members may follow in the remaining input.
        case memberEnd
        /// The data is not valid gzip; the message is zlib's.
        case corrupt(String)
    }

    /// Inflates from `input` into `output`.
    func inflate(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer)
        -> (consumed: Int, produced: Int, status: Status) {
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = uInt(input.count)
        stream.next_out = output.baseAddress?.assumingMemoryBound(to: Bytef.self)
        stream.avail_out = uInt(output.count)
        let r = CZlib.inflate(&stream, Z_NO_FLUSH)
        let consumed = input.count - Int(stream.avail_in)
        let produced = output.count - Int(stream.avail_out)
        switch r {
        case Z_OK, Z_BUF_ERROR: return (consumed, produced, .progress)
        case Z_STREAM_END: return (consumed, produced, .memberEnd)
        case Z_NEED_DICT: return (consumed, produced, .corrupt("needs a preset dictionary"))
        case Z_MEM_ERROR: return (consumed, produced, .corrupt("out of memory"))
        default:
            let message = stream.msg.map { String(cString: $0) } ?? "error \(r)"
            return (consumed, produced, .corrupt(message))
        }
    }
}
