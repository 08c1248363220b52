#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

/// The sectioned framing of the table cache (format 9, issue #14): the 40-byte header of every cache
/// file, then a table of contents, then 8-byte-aligned sections.
///
///     header   magic (16), format version (4), byte order (4), length after the header (8), tag (8)
///     contents section count n (8), then per section: offset (8), length (8), SipHash-2-4 tag (8)
///     section 0   the metadata: everything small (key, files, statistics, …), arrays under
///                 ``BinaryWriter/sectionBytes`` inline, larger ones as a section number
///     section 1…  one large array each (a row column, a property column, the string arena, …),
///                 raw bytes at an offset that is a multiple of 8, zero padding between sections
///
/// The header's tag covers the header, the table of contents (with every section's tag) and section 0;
/// each other section has its own tag, checked when that section is read. So the small part is
/// authenticated before anything is trusted, and a section is never used unauthenticated.
///
/// Checked before anything is allocated for a section: the table of contents must fit in the file, its
/// count be plausible (at least 1, at most ``maximumSections`` and what the file can hold), every
/// section lie inside the file, start at a multiple of 8 after the contents, and follow the previous one
/// without overlap; an array's element count must equal its section's length exactly; every section is
/// used at most once and all of them by the end. Any failure is a cache miss.
///
/// Sections are read with `pread` straight into the array that keeps them (one copy, no intermediate
/// payload buffer): the table's columns are Swift arrays, which cannot adopt mapped memory, so mapping the
/// file would cost the same copy — and a mapped file truncated by another process while it is read would
/// stop earshot with `SIGBUS`, where a short `pread` is simply a cache miss.
extension CacheFile {
    /// Bytes of one table-of-contents entry.
    static let sectionEntryBytes = 24
    /// The most sections a table cache file may declare (a file declaring more is not one of ours).
    static let maximumSections = 1 << 16

    @inline(__always) static func aligned8(_ n: Int) -> Int { (n + 7) & ~7 }

    /// Reads a sectioned cache file: opened and checked like ``readFramed(_:_:magic:version:_:)``, then
    /// the table of contents and section 0 (authenticated by the header's tag); `body` decodes section 0
    /// with a reader that loads the other sections on demand.
    static func readSectioned<T>(_ dir: CacheDirectory, _ name: String, magic: [UInt8], version expected: UInt32,
                                 _ body: (inout BinaryReader) -> Result<T, Failure>) -> Result<T, Failure> {
        withCheckedFile(dir, name, minimumBytes: headerBytes + 8, magic: magic, version: expected) { fd, size, header, tag in
            // The table of contents.
            var countBytes = [UInt8](repeating: 0, count: 8)
            guard readFully(fd, &countBytes, at: headerBytes) else { return .failure(Failure(.truncated)) }
            let declared = countBytes.withUnsafeBytes { Int64(littleEndian: $0.loadUnaligned(as: Int64.self)) }
            let room = (size - headerBytes - 8) / sectionEntryBytes
            guard declared >= 1, declared <= Int64(min(maximumSections, room)) else { return .failure(Failure(.damaged)) }
            let n = Int(declared)
            var toc = [UInt8](repeating: 0, count: n * sectionEntryBytes)
            guard readFully(fd, &toc, at: headerBytes + 8) else { return .failure(Failure(.truncated)) }
            let contentsEnd = headerBytes + 8 + n * sectionEntryBytes
            var entries: [CacheSections.Entry] = []
            entries.reserveCapacity(n)
            let valid = toc.withUnsafeBytes { t -> Bool in
                var end = contentsEnd
                for i in 0 ..< n {
                    let at = i * sectionEntryBytes
                    let offset = Int64(littleEndian: t.loadUnaligned(fromByteOffset: at, as: Int64.self))
                    let length = Int64(littleEndian: t.loadUnaligned(fromByteOffset: at + 8, as: Int64.self))
                    let tag = UInt64(littleEndian: t.loadUnaligned(fromByteOffset: at + 16, as: UInt64.self))
                    // Inside the file, aligned, after the contents and the previous section, no overlap.
                    guard offset >= Int64(end), offset % 8 == 0, offset <= Int64(size), length >= 0,
                          length <= Int64(size) - offset else { return false }
                    entries.append(CacheSections.Entry(offset: Int(offset), length: Int(length), tag: tag))
                    end = Int(offset + length)
                }
                return true
            }
            guard valid else { return .failure(Failure(.damaged)) }
            // Section 0, authenticated together with the header and the contents.
            let meta = entries[0]
            guard let memory = malloc(max(meta.length, 1)) else { return .failure(Failure(.tooLargeToLoad)) }
            defer { free(memory) }
            let metaBytes = UnsafeMutableRawBufferPointer(start: memory, count: meta.length)
            guard readFully(fd, metaBytes, at: meta.offset) else { return .failure(Failure(.truncated)) }
            var mac = SipHash24(key: dir.key)
            mac.update(Array(header[0 ..< headerBytes - 8]))
            mac.update(countBytes)
            mac.update(toc)
            mac.update(UnsafeRawBufferPointer(metaBytes))
            guard mac.finalize() == tag else { return .failure(Failure(.checksumMismatch)) }
            let sections = CacheSections(fd: fd, key: dir.key, entries: entries)
            var p = BinaryReader(UnsafeRawBufferPointer(metaBytes))
            p.sections = sections
            var result = body(&p)
            if case .success = result, !sections.allUsed { result = .failure(Failure(.damaged)) }
            if case .failure = result, sections.tagMismatch { result = .failure(Failure(.checksumMismatch)) }
            if case .success = result { _ = futimens(fd, nil) }   // a hit keeps the entry from the 30-day sweep
            return result
        }
    }

    /// Writes a sectioned cache file atomically: `encode` runs twice — once counting (the metadata's length and
    /// every section's length, which fix the layout), then for real: each large array is written at its offset
    /// straight from the caller's memory while its tag is computed; section 0 (small, kept in memory), the table
    /// of contents and the header with its tag are written last.
    static func writeSectioned(_ dir: CacheDirectory, _ name: String, magic: [UInt8], version: UInt32,
                               encode: (inout BinaryWriter) -> Void) {
        var lengths: [Int] = []
        var counter = BinaryWriter(counting: ())
        counter.sectionSink = { b in lengths.append(b.count); return lengths.count }
        encode(&counter)
        let metaLength = counter.count
        let n = 1 + lengths.count
        let contentsEnd = headerBytes + 8 + n * sectionEntryBytes
        var offsets = [aligned8(contentsEnd)]
        var end = offsets[0] + metaLength
        for l in lengths {
            offsets.append(aligned8(end))
            end = offsets[offsets.count - 1] + l
        }
        let fileEnd = end
        dir.writeAtomically(name) { fd in
            var tags = [UInt64](repeating: 0, count: n)
            var ok = true
            var next = 1
            var meta = BinaryWriter(capacity: metaLength)
            meta.sectionSink = { b in
                let i = next
                next += 1
                guard ok, i < n, b.count == lengths[i - 1] else { ok = false; return i }
                var mac = SipHash24(key: dir.key)
                mac.update(b)
                tags[i] = mac.finalize()
                ok = b.isEmpty || CacheDirectory.writeAll(fd, b, at: offsets[i])
                return i
            }
            encode(&meta)
            guard ok, next == n, meta.count == metaLength else { return false }
            let metaBytes = meta.bytes
            tags[0] = metaBytes.withUnsafeBytes { b in var m = SipHash24(key: dir.key); m.update(b); return m.finalize() }
            guard metaBytes.withUnsafeBytes({ CacheDirectory.writeAll(fd, $0, at: offsets[0]) }),
                  ftruncate(fd, off_t(fileEnd)) == 0 else { return false }
            var contents = BinaryWriter(capacity: 8 + n * sectionEntryBytes)
            contents.int(n)
            for i in 0 ..< n {
                contents.int(offsets[i]); contents.int(i == 0 ? metaLength : lengths[i - 1]); contents.u64(tags[i])
            }
            var head = header(magic: magic, version: version, length: fileEnd - headerBytes)
            var mac = SipHash24(key: dir.key)
            mac.update(Array(head[0 ..< headerBytes - 8]))
            contents.bytes.withUnsafeBytes { mac.update($0) }
            metaBytes.withUnsafeBytes { mac.update($0) }
            head.removeLast(8)
            withUnsafeBytes(of: mac.finalize().littleEndian) { head.append(contentsOf: $0) }
            return (head + contents.bytes).withUnsafeBytes { CacheDirectory.writeAll(fd, $0, at: 0) }
        }
    }
}

/// The sections of an opened, sectioned cache file (see ``CacheFile/readSectioned(_:_:magic:version:_:)``),
/// read on demand into arrays, each checked against its own tag. Used by one thread, during one read.
final class CacheSections {
    struct Entry { var offset: Int; var length: Int; var tag: UInt64 }

    private let fd: Int32
    private let key: (UInt64, UInt64)
    private let entries: [Entry]
    private var used: [Bool]
    /// A section's bytes did not match its tag.
    private(set) var tagMismatch = false

    init(fd: Int32, key: (UInt64, UInt64), entries: [Entry]) {
        self.fd = fd; self.key = key; self.entries = entries
        used = [Bool](repeating: false, count: entries.count)
        used[0] = true
    }

    /// The reader stopped early on purpose (``stopReading()``).
    private var stopped = false

    /// Whether every section was read or passed over, or reading stopped early on purpose (a file with
    /// sections nobody refers to is not one we wrote).
    var allUsed: Bool { stopped || !used.contains(false) }

    /// The rest of the file is not needed (the store changed: only the file list was).
    func stopReading() { stopped = true }

    /// Passes over section `index` as `count` values of `T` without reading it (same checks as ``load(_:count:as:)``
    /// except the tag, since nothing of it is used).
    func skip<T: BitwiseCopyable>(_ index: Int, count: Int, as _: T.Type) -> Bool {
        guard index >= 1, index < entries.count, !used[index], count >= 0 else { return false }
        used[index] = true
        let (bytes, overflow) = count.multipliedReportingOverflow(by: MemoryLayout<T>.stride)
        return !overflow && bytes == entries[index].length
    }

    /// Section `index` as `count` values of `T`; nil when there is no such section, it was used before, its
    /// length is not exactly `count` values, it cannot be read or its tag does not match.
    func load<T: BitwiseCopyable>(_ index: Int, count: Int, as _: T.Type) -> [T]? {
        guard index >= 1, index < entries.count, !used[index], count >= 0 else { return nil }
        used[index] = true
        let e = entries[index]
        let (bytes, overflow) = count.multipliedReportingOverflow(by: MemoryLayout<T>.stride)
        guard !overflow, bytes == e.length else { return nil }
        var ok = false
        let out = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            let raw = UnsafeMutableRawBufferPointer(buffer)
            guard CacheFile.readFully(fd, raw, at: e.offset) else { initialized = 0; return }
            var mac = SipHash24(key: key)
            mac.update(UnsafeRawBufferPointer(raw))
            ok = mac.finalize() == e.tag
            if !ok { tagMismatch = true }
            initialized = ok ? count : 0
        }
        return ok ? out : nil
    }
}
