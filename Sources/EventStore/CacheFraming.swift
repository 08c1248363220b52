#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

/// The framing of every cache file (the table's and the result's): a 40-byte header (magic, format
/// version, byte order, payload length, keyed SipHash-2-4 tag over header and payload), then the
/// payload. Reading checks the header before allocating and the tag before decoding; writing streams
/// the payload to a private temporary file and renames it into place (``CacheDirectory``).
extension CacheFile {
    static let headerBytes = 16 + 4 + 4 + 8 + 8

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
        withCheckedFile(dir, name, minimumBytes: headerBytes, magic: magic, version: expected) { fd, size, header, tag in
            let count = size - headerBytes
            guard let memory = malloc(max(count, 1)) else { return .failure(Failure(.tooLargeToLoad)) }
            defer { free(memory) }
            let payload = UnsafeMutableRawBufferPointer(start: memory, count: count)
            guard readFully(fd, payload, at: headerBytes) else { return .failure(Failure(.unreadable(nil))) }
            guard authenticationTag(header: header, payload: UnsafeRawBufferPointer(payload), key: dir.key) == tag else {
                return .failure(Failure(.checksumMismatch))
            }
            var p = BinaryReader(UnsafeRawBufferPointer(payload))
            let result = body(&p)
            if case .success = result { _ = futimens(fd, nil) }   // a hit keeps the entry from the 30-day sweep
            return result
        }
    }

    /// Opens `name` like ``openChecked(_:_:minimumBytes:)``, reads its header and checks it (``checkHeader``) before
    /// anything else is read or allocated; `body` reads the rest from the open descriptor (closed afterwards), given
    /// the file's size, the header's bytes and its tag.
    static func withCheckedFile<T>(_ dir: CacheDirectory, _ name: String, minimumBytes: Int, magic: [UInt8], version: UInt32,
                                   _ body: (_ fd: Int32, _ size: Int, _ header: [UInt8], _ tag: UInt64) -> Result<T, Failure>)
        -> Result<T, Failure> {
        let fd: Int32, size: Int
        switch openChecked(dir, name, minimumBytes: minimumBytes) {
        case .failure(let f): return .failure(f)
        case .success(let (d, s)): fd = d; size = s
        }
        defer { close(fd) }
        var header = [UInt8](repeating: 0, count: headerBytes)
        guard readFully(fd, &header, at: 0) else { return .failure(Failure(.unreadable(nil))) }
        switch checkHeader(header, magic: magic, version: version, size: size) {
        case .failure(let f): return .failure(f)
        case .success(let tag): return body(fd, size, header, tag)
        }
    }

    /// Opens a cache file without following a symbolic link or blocking on a FIFO, and checks that it is a
    /// regular file of at least `minimumBytes` and at most ``maximumBytes``; its descriptor and size.
    static func openChecked(_ dir: CacheDirectory, _ name: String, minimumBytes: Int) -> Result<(Int32, Int), Failure> {
        let fd = openat(dir.fd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard fd >= 0 else {
            let e = errno
            if e == ENOENT { return .failure(Failure(.noCacheYet)) }
            if e == ELOOP { return .failure(Failure(.symbolicLink)) }
            return .failure(Failure(.unreadable(errorText(e))))
        }
        var st = stat()
        guard fstat(fd, &st) == 0 else { close(fd); return .failure(Failure(.unreadable(nil))) }
        guard (st.st_mode & S_IFMT) == S_IFREG else { close(fd); return .failure(Failure(.notRegularFile)) }
        let size = Int(st.st_size)
        guard size >= minimumBytes else { close(fd); return .failure(Failure(.truncated)) }
        guard size <= maximumBytes else { close(fd); return .failure(Failure(.implausiblySized(bytes: size))) }
        return .success((fd, size))
    }

    /// Checks a header's magic, format version, byte order and recorded length against the file's size; its tag.
    static func checkHeader(_ header: [UInt8], magic: [UInt8], version expected: UInt32, size: Int) -> Result<UInt64, Failure> {
        header.withUnsafeBytes { h in
            guard h.count == headerBytes, Array(h[0 ..< 16]) == magic else { return .failure(Failure(.notACacheFile)) }
            var r = BinaryReader(h, at: 16)
            guard let version = r.u32(), version == expected else { return .failure(Failure(.otherFormatVersion)) }
            guard let order = r.u32(), order == 0x0102_0304 else { return .failure(Failure(.otherByteOrder)) }
            guard let length = r.int(), length == size - headerBytes else { return .failure(Failure(.truncated)) }
            return .success(r.u64()!)
        }
    }

    /// SipHash-2-4 under the directory's key of the header's first 32 bytes (all but the tag) and the payload.
    static func authenticationTag(header: [UInt8], payload: UnsafeRawBufferPointer, key: (UInt64, UInt64)) -> UInt64 {
        var h = SipHash24(key: key)
        h.update(Array(header[0 ..< headerBytes - 8]))
        h.update(payload)
        return h.finalize()
    }

    static func readFully(_ fd: Int32, _ bytes: inout [UInt8], at offset: Int) -> Bool {
        bytes.withUnsafeMutableBytes { readFully(fd, $0, at: offset) }
    }

    static func readFully(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer, at offset: Int) -> Bool {
        var got = 0
        while got < buffer.count {
            let n = pread(fd, buffer.baseAddress! + got, buffer.count - got, off_t(offset + got))
            if n < 0 && (errno == EINTR || errno == EAGAIN) { continue }
            guard n > 0 else { return false }
            got += n
        }
        return true
    }

    /// Why a cache file was not used.
    struct Failure: Error { var reason: RebuildReason; init(_ r: RebuildReason) { reason = r } }

    /// The largest piece of a streamed cache file handed to `write(2)`.
    static let pieceBytes = 1 << 20

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
}
