import CZlib
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One output file, written in order, optionally gzip-compressed in-process with zlib.
///
/// Compression uses `deflateInit2_` with window bits 15 + 16 (gzip wrapper), level 9, memory
/// level 8 and the default strategy, and a fixed gzip header (no name, mtime 0, OS 3 = Unix),
/// so the same input gives the same bytes on every machine with the same zlib deflate.
final class OutputFile {
    let path: String
    private var file: UnsafeMutablePointer<FILE>?
    private var stream: UnsafeMutablePointer<z_stream>?
    private var header: UnsafeMutablePointer<gz_header>?
    private var pending: [UInt8] = []
    private var outBuffer: [UInt8]
    private static let chunk = 1 << 16

    /// Creates (or truncates) the file.
    init(path: String, gzip: Bool) throws {
        self.path = path
        outBuffer = [UInt8](repeating: 0, count: gzip ? OutputFile.chunk : 0)
        guard let f = fopen(path, "wb") else {
            throw ExampleStoreError.cannotWrite(path: path, reason: OutputFile.errnoText())
        }
        file = f
        guard gzip else { return }
        let s = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        s.initialize(to: z_stream())
        let rc = deflateInit2_(s, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard rc == Z_OK else {
            s.deinitialize(count: 1); s.deallocate()
            fclose(f); file = nil
            throw ExampleStoreError.compression(path: path, code: Int(rc))
        }
        let h = UnsafeMutablePointer<gz_header>.allocate(capacity: 1)
        h.initialize(to: gz_header())
        h.pointee.time = 0
        h.pointee.os = 3
        deflateSetHeader(s, h)
        stream = s
        header = h
    }

    deinit { release() }

    /// Appends bytes (buffered).
    func write(_ bytes: [UInt8]) throws {
        pending.append(contentsOf: bytes)
        if pending.count >= OutputFile.chunk { try flushPending(finish: false) }
    }

    /// Appends one line and its `\n`.
    func writeLine(_ bytes: [UInt8]) throws {
        pending.append(contentsOf: bytes)
        pending.append(0x0A)
        if pending.count >= OutputFile.chunk { try flushPending(finish: false) }
    }

    /// Flushes everything, ends the gzip member and closes the file.
    func close() throws {
        defer { release() }
        try flushPending(finish: true)
        if let f = file {
            file = nil
            if fclose(f) != 0 { throw ExampleStoreError.cannotWrite(path: path, reason: OutputFile.errnoText()) }
        }
    }

    private func flushPending(finish: Bool) throws {
        guard let f = file else { return }
        guard let s = stream else {
            if !pending.isEmpty {
                let n = pending.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) }
                if n != pending.count { throw ExampleStoreError.cannotWrite(path: path, reason: OutputFile.errnoText()) }
                pending.removeAll(keepingCapacity: true)
            }
            return
        }
        let input = pending
        pending.removeAll(keepingCapacity: true)
        try input.withUnsafeBufferPointer { inBuf in
            s.pointee.next_in = UnsafeMutablePointer(mutating: inBuf.baseAddress)
            s.pointee.avail_in = UInt32(inBuf.count)
            let flush = finish ? Z_FINISH : Z_NO_FLUSH
            while true {
                let (rc, produced) = outBuffer.withUnsafeMutableBufferPointer { out -> (Int32, Int) in
                    s.pointee.next_out = out.baseAddress
                    s.pointee.avail_out = UInt32(out.count)
                    let rc = deflate(s, flush)
                    return (rc, out.count - Int(s.pointee.avail_out))
                }
                if rc == Z_STREAM_ERROR { throw ExampleStoreError.compression(path: path, code: Int(rc)) }
                if produced > 0 {
                    let n = outBuffer.withUnsafeBytes { fwrite($0.baseAddress, 1, produced, f) }
                    if n != produced { throw ExampleStoreError.cannotWrite(path: path, reason: OutputFile.errnoText()) }
                }
                if finish {
                    if rc == Z_STREAM_END { break }
                } else if s.pointee.avail_in == 0 && s.pointee.avail_out != 0 {
                    break
                }
            }
            s.pointee.next_in = nil
        }
    }

    private func release() {
        if let s = stream { deflateEnd(s); s.deinitialize(count: 1); s.deallocate(); stream = nil }
        if let h = header { h.deinitialize(count: 1); h.deallocate(); header = nil }
        if let f = file { fclose(f); file = nil }
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }

    /// Creates a directory and its parents (like `mkdir -p`).
    static func makeDirectories(_ path: String) throws {
        var current = path.hasPrefix("/") ? "/" : ""
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            current += (current.isEmpty || current == "/" ? "" : "/") + part
            if mkdir(current, 0o755) != 0 && errno != EEXIST {
                throw ExampleStoreError.cannotCreateDirectory(path: current, reason: errnoText())
            }
            var st = stat()
            if stat(current, &st) != 0 || (st.st_mode & S_IFMT) != S_IFDIR {
                throw ExampleStoreError.cannotCreateDirectory(path: current, reason: "exists and is not a directory")
            }
        }
    }
}
