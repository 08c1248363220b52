#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

/// What one ``StoreFollower/poll(progress:)`` found.
public struct FollowPoll: Sendable, Equatable {
    /// Events accepted in this poll (after dedupe).
    public var newEvents = 0
    /// Non-blank lines read in this poll.
    public var newLines = 0
    /// Bytes read from disk in this poll.
    public var bytesRead: Int64 = 0
    /// Files seen for the first time.
    public var newFiles: [String] = []
    /// Files that got shorter than what was read: read again from the start.
    public var truncated: [String] = []
    /// Paths whose file was replaced (a new inode): the old file was read to its end, the new one from the start.
    public var rotated: [String] = []
    /// Files that went away (deleted or renamed out of the store) and were read to their end.
    public var finished: [String] = []

    public init() {}

    /// Whether anything the report depends on changed (lines, files or notes).
    public var changed: Bool {
        newLines > 0 || newEvents > 0 || !newFiles.isEmpty || !truncated.isEmpty || !rotated.isEmpty || !finished.isEmpty
    }
}

/// Reads a store like ``StoreReader`` and then keeps reading what is appended to it.
///
/// The first ``poll(progress:)`` reads every file; each later poll looks for new files (the paths
/// are located again) and reads only the bytes appended since, from per-file offsets: nothing is
/// read twice. A last line without its newline waits until it is complete. A file that shrinks
/// below what was read (truncated, `copytruncate`) is read again from the start; a path whose
/// inode changes (rotated: renamed away and re-created) has its old file read to its end (its
/// unterminated last line then counts) and the new file read from the start. Files are identified
/// by device and inode, so a rotated file that is renamed to another matching name is not read
/// twice. Gzip files are inflated as they grow. Events already read stay, even when their file is
/// truncated or removed.
///
/// Not thread-safe: poll and take snapshots from one thread at a time.
public final class StoreFollower {
    public let paths: [String]
    public let selection: FieldSelection
    public let maxLineBytes: Int

    private let parser: EventLineParser
    private var builder = EventTableBuilder(selection: nil)
    private var files: [FollowedFile] = []
    private var warned: Set<String> = []
    private var buffer: UnsafeMutableRawBufferPointer
    private var inflated: UnsafeMutableRawBufferPointer?
    private var polled = false
    /// The newest event time seen so far (ms since 1970).
    public private(set) var newestEventTime: Int64?
    /// Called with every accepted event (not a duplicate), in file order, while a poll reads: what follow mode
    /// feeds its live figures with (Analytics' `LiveFigures`). Called on the polling thread.
    public var onAccepted: ((ParsedEvent) -> Void)?

    static let bufferSize = 1 << 20

    public init(paths: [String], selection: FieldSelection = .metrics, maxLineBytes: Int = 64 << 20,
                options: ReaderOptions = ReaderOptions()) {
        self.paths = paths
        self.selection = selection
        self.maxLineBytes = maxLineBytes
        parser = EventLineParser(selection: selection, options: options)
        buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.bufferSize, alignment: 16)
    }

    deinit {
        buffer.deallocate()
        inflated?.deallocate()
        for f in files { f.close() }
    }

    /// Events accepted so far.
    public var eventCount: Int { builder.count }

    /// Statistics so far (files, lines, duplicates, malformed lines, warnings).
    public var stats: StoreStats { builder.stats }

    /// The table of everything read so far. The follower keeps going; the table is a snapshot
    /// (a copy, finished as ``EventTableBuilder/finish()`` does: linear in the events read).
    public func table() -> EventTable {
        snapshot().table()
    }

    /// What was read so far, to be made into a table later, on any thread (``FollowSnapshot/table()``): taking it
    /// costs nothing (the builder's columns are shared copy-on-write; the follower's next append copies them), so
    /// follow mode can analyse a snapshot on another thread while it keeps polling.
    public func snapshot() -> FollowSnapshot { FollowSnapshot(builder: builder) }

    /// Reads new files and appended bytes.
    /// - Throws: a ``StoreError`` when the paths cannot be located (missing, unreadable, no event
    ///   files); the data read so far stays, and a later poll may succeed.
    /// - Parameter progress: called now and then while reading (as ``StoreReader/load(progress:)``).
    @discardableResult
    public func poll(progress: ((ReadProgress) -> Void)? = nil) throws(StoreError) -> FollowPoll {
        let location = try StoreLocator.locate(paths)
        for w in location.warnings where warned.insert(w).inserted { builder.stats.warnings.append(w) }
        var result = FollowPoll()
        let linesBefore = builder.stats.lines, eventsBefore = builder.count

        // Which inode each located path holds now.
        var current: [(file: LocatedFile, id: FileID)] = []
        for f in location.files {
            var st = stat()
            guard stat(f.path, &st) == 0 else { continue }  // vanished since it was located: next poll
            current.append((f, FileID(st)))
        }
        let currentIDs = Set(current.map(\.id))

        // Files no longer in the store, or whose path now names another file: read to the end, then done.
        for f in files where !f.done && !currentIDs.contains(f.id) {
            drain(f, into: &result, progress: progress)
            finishFile(f)
            if current.contains(where: { $0.file.path == f.path }) { result.rotated.append(f.path) } else { result.finished.append(f.path) }
        }
        // Known files: check for truncation, then read what was appended.
        var known: [FileID: FollowedFile] = [:]
        for f in files where !f.done { known[f.id] = f }
        var totalBytes: Int64 = 0
        for (located, _) in current { totalBytes += located.bytes }
        var progressState = ProgressState(total: totalBytes, report: progress)
        for (located, id) in current {
            if let f = known[id] {
                if f.size() < f.offset {
                    builder.stats.warnings.append("\(printablePath(f.path)): the file was truncated; read again from the start")
                    result.truncated.append(f.path)
                    f.restart()
                }
                drain(f, into: &result, progress: progress, state: &progressState)
            } else {
                guard let f = open(located.path, id: id) else { continue }
                if polled { result.newFiles.append(located.path) }
                drain(f, into: &result, progress: progress, state: &progressState)
            }
        }
        polled = true
        result.newLines = builder.stats.lines - linesBefore
        result.newEvents = builder.count - eventsBefore
        progressState.bytes = progressState.total
        progressState.emit(lines: builder.stats.lines, events: builder.count, file: files.last?.path ?? "", force: true)
        return result
    }

    // MARK: Files

    private func open(_ path: String, id: FileID) -> FollowedFile? {
        let fd = Glibc_open(path)
        guard fd >= 0 else {
            let w = "skipped \(printablePath(path)): \(errorText(errno))"
            if warned.insert(w).inserted { builder.stats.warnings.append(w) }
            return nil
        }
        builder.stats.files.append(FileStats(path: path))
        let f = FollowedFile(path: path, id: id, fd: fd, statsIndex: builder.stats.files.count - 1, maxLineBytes: maxLineBytes)
        files.append(f)
        return f
    }

    private func finishFile(_ f: FollowedFile) {
        f.splitter.finish { handle($0, of: f) }
        f.close()
        f.done = true
    }

    private func drain(_ f: FollowedFile, into result: inout FollowPoll, progress: ((ReadProgress) -> Void)?) {
        var state = ProgressState(total: 0, report: nil)
        drain(f, into: &result, progress: progress, state: &state)
    }

    /// Reads `f` from its offset to the current end.
    private func drain(_ f: FollowedFile, into result: inout FollowPoll, progress: ((ReadProgress) -> Void)?,
                       state: inout ProgressState) {
        while !f.done {
            let n = f.read(into: buffer)
            if n < 0 {
                builder.stats.warnings.append("\(printablePath(f.path)): read failed (\(errorText(Int32(-n)))); no longer followed")
                f.close()
                f.done = true
                return
            }
            if n == 0 { return }
            f.offset += Int64(n)
            result.bytesRead += Int64(n)
            builder.stats.files[f.statsIndex].bytes = max(builder.stats.files[f.statsIndex].bytes, f.offset)
            feed(f, UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            state.bytes += Int64(n)
            state.emit(lines: builder.stats.lines, events: builder.count, file: f.path, force: false)
        }
    }

    /// Hands new bytes to the file's splitter (through zlib for a gzip file).
    private func feed(_ f: FollowedFile, _ bytes: UnsafeRawBufferPointer) {
        var bytes = bytes
        if f.kind == .undecided {
            f.head.append(contentsOf: bytes)
            guard f.head.count >= 2 else { return }
            let gzip = StoreLocator.isGzipMagic(f.head[0], f.head[1])
            f.kind = gzip ? .gzip : .plain
            builder.stats.files[f.statsIndex].compressed = gzip
            if gzip { f.inflater = GzipInflater() }
            let head = f.head
            f.head = []
            head.withUnsafeBytes { feed(f, $0) }
            return
        }
        if f.kind == .plain {
            f.splitter.feed(bytes) { handle($0, of: f) }
            return
        }
        guard f.kind == .gzip, let z = f.inflater, z.ready else { return }
        if inflated == nil { inflated = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.bufferSize, alignment: 16) }
        let out = inflated!
        while true {
            if f.memberEnded {
                z.reset()
                f.memberEnded = false
            }
            let r = z.inflate(bytes, into: out)
            bytes = UnsafeRawBufferPointer(rebasing: bytes[r.consumed...])
            if r.produced > 0 { f.splitter.feed(UnsafeRawBufferPointer(rebasing: out[0..<r.produced])) { handle($0, of: f) } }
            switch r.status {
            case .memberEnd:
                f.memberEnded = true
            case .corrupt(let message):
                f.splitter.discardPending()
                builder.stats.warnings.append("\(printablePath(f.path)): corrupt gzip data (\(message)); no longer followed")
                f.kind = .broken
                return
            case .progress:
                break
            }
            if bytes.isEmpty && r.produced < out.count { return }
            if r.consumed == 0 && r.produced == 0 { return }
        }
    }

    /// One line of `f` (as ``StoreReader`` does it).
    private func handle(_ piece: SplitLine, of f: FollowedFile) {
        f.lineNumber += 1
        let file = Int32(f.statsIndex)
        switch builder.stats.count(piece, line: f.lineNumber, file: f.statsIndex) {
        case .blank:
            return
        case .tooLong(let count):
            let error = LineError.tooLong(bytes: count, limit: maxLineBytes)
            builder.stats.addMalformed(MalformedLine(file: file, line: f.lineNumber, reason: error.reason, excerpt: ""),
                                       kind: error.kind)
        case .line(let bytes):
            let records = parser.parseRecords(bytes)
            if records.envelope { builder.stats.addEnvelope(file: file, items: records.outcomes.count) }
            for outcome in records.outcomes {
                switch outcome {
                case .success(let event):
                    if builder.add(event, file: file) {
                        if newestEventTime == nil || event.time > newestEventTime! { newestEventTime = event.time }
                        onAccepted?(event)
                    }
                case .failure(let error):
                    builder.stats.addMalformed(MalformedLine(file: file, line: f.lineNumber, reason: error.reason,
                                                             excerpt: ReadSession.excerpt(bytes)), kind: error.kind)
                }
            }
        }
    }
}

/// The events a ``StoreFollower`` had read at one moment (``StoreFollower/snapshot()``).
public struct FollowSnapshot: @unchecked Sendable {
    // A value copy of the follower's builder (arrays and dictionaries, shared copy-on-write, and its row stage, which
    // holds no staged rows here and which the follower replaces before it writes into a shared one): nothing the
    // follower changes afterwards, so it may go to another thread.
    let builder: EventTableBuilder

    /// Events in the snapshot.
    public var eventCount: Int { builder.count }

    /// The table of the snapshot (finished as ``EventTableBuilder/finish()`` does, deletions applied): linear in its
    /// events.
    public func table() -> EventTable {
        var copy = builder
        return copy.finish().redactingDeletions()
    }
}

/// Throttled progress reports of a poll (every 32 MiB).
private struct ProgressState {
    var total: Int64
    var report: ((ReadProgress) -> Void)?
    var bytes: Int64 = 0
    var lastReported: Int64 = -1

    mutating func emit(lines: Int, events: Int, file: String, force: Bool) {
        guard let report else { return }
        guard force || lastReported < 0 || bytes - lastReported >= 32 << 20 else { return }
        lastReported = bytes
        report(ReadProgress(bytesRead: bytes, totalBytes: max(total, bytes), lines: lines, events: events, file: file))
    }
}

/// One file being followed: its descriptor, how far it was read, and its pending tail.
private final class FollowedFile {
    enum Kind { case undecided, plain, gzip, broken }

    let path: String
    let id: FileID
    private var fd: Int32
    let statsIndex: Int
    var offset: Int64 = 0
    var splitter: LineSplitter
    var lineNumber = 0
    var kind = Kind.undecided
    var head: [UInt8] = []
    var inflater: GzipInflater?
    var memberEnded = false
    var done = false

    init(path: String, id: FileID, fd: Int32, statsIndex: Int, maxLineBytes: Int) {
        self.path = path; self.id = id; self.fd = fd; self.statsIndex = statsIndex
        splitter = LineSplitter(maxLineBytes: maxLineBytes)
    }

    /// Bytes read, 0 at the current end, or −errno.
    func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        guard fd >= 0, kind != .broken else { return 0 }
        while true {
            let n = Glibc_read(fd, buffer.baseAddress!, buffer.count)
            if n >= 0 { return n }
            let e = errno
            if e == EINTR { continue }
            if e == EAGAIN || e == EWOULDBLOCK { return 0 }  // a pipe with nothing new
            return -Int(e)
        }
    }

    /// The file's current size (`Int64.max` when unknown, e.g. a pipe, so it never looks truncated).
    func size() -> Int64 {
        var st = stat()
        guard fd >= 0, fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return .max }
        return Int64(st.st_size)
    }

    /// Starts over from byte 0 (after a truncation): the pending tail and the gzip state are dropped.
    func restart() {
        _ = lseek(fd, 0, SEEK_SET)
        offset = 0
        lineNumber = 0
        splitter.discardPending()
        kind = .undecided
        head = []
        inflater = nil
        memberEnded = false
    }

    func close() {
        if fd >= 0 { _ = Glibc_close(fd) }
        fd = -1
    }
}

// The system calls, named apart from the methods above.
@inline(__always) private func Glibc_open(_ path: String) -> Int32 { open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK) }
@inline(__always) private func Glibc_read(_ fd: Int32, _ p: UnsafeMutableRawPointer, _ n: Int) -> Int { read(fd, p, n) }
@inline(__always) private func Glibc_close(_ fd: Int32) -> Int32 { close(fd) }
