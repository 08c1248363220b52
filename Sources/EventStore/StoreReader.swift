/// Reads a store — files and directories of JSON-lines events, plain or gzip — into an ``EventTable``.
///
/// ```swift
/// let table = try StoreReader(paths: ["events/"]).load { p in print(p.bytesRead, "of", p.totalBytes) }
/// ```
///
/// Files are read in byte order of their paths (see ``StoreLocator``), each front to back with
/// large buffered reads; every line goes through the ``EventLineParser`` into an
/// ``EventTableBuilder``. Bad lines, corrupt gzip data and the like are counted in
/// `table.stats`, never thrown: only a store that cannot be opened at all is a ``StoreError``.
public struct StoreReader: Sendable {
    /// The paths as given (files or directories).
    public var paths: [String]
    /// The property paths kept as columns.
    public var selection: FieldSelection
    /// Lines longer than this are malformed (their bytes are not kept in memory).
    public var maxLineBytes: Int = 64 << 20
    /// Worker threads that parse lines (besides the reading thread, which decompresses, splits and builds
    /// the table in file order, and parses queued chunks itself when it would otherwise wait). Default:
    /// ``ParsePipeline/defaultThreads`` (one fewer than the online processors); 0 parses on the reading thread.
    public var parseThreads: Int = ParsePipeline.defaultThreads
    /// How lines are read (``ReaderOptions/assumeUTC``); part of the table cache's key.
    public var options = ReaderOptions()
    /// Bytes of lines handed to a parsing thread at once.
    var chunkBytes: Int = 1 << 20
    /// Chunks in flight at most (nil: ``ParsePipeline/windowPerThread`` per parsing thread).
    var parseWindow: Int?
    /// Tests: called on the parsing thread before chunk `n` (in file order) is parsed.
    var beforeParse: (@Sendable (Int) -> Void)?
    /// Consent categories kept even when a store has more than
    /// ``EventTableBuilder/maxConsentCategories`` (pass the analysis' analytics category).
    public var keepConsentCategories: Set<String> = ["Analytics"]

    public init(paths: [String], selection: FieldSelection = .metrics, options: ReaderOptions = ReaderOptions()) {
        self.paths = paths
        self.selection = selection
        self.options = options
    }

    /// Reads every file and returns the finished table (with `stats` filled in).
    /// - Parameter progress: called with the reading position, every `max(1 MiB, total / 200)`
    ///   bytes of input (or 200,000 lines), plus once at the start and at the end.
    public func load(progress: ((ReadProgress) -> Void)? = nil) throws(StoreError) -> EventTable {
        var session = try run(StoreLocator.locate(paths), progress: progress)
        // finish() does not need the dedupe set: freed before its peak, as the cached load does (#11.15).
        session.builder.seen = MessageKeySet()
        return session.builder.finish().redactingDeletions()
    }

    /// The one read of the located files that every load runs (``load(progress:)``, the cached
    /// ``load(cache:progress:)`` and ``open(cache:resultKey:needsTable:progress:)``): a fresh read, or with
    /// `resuming` and `starts` the continuation of an earlier one (the builder then already holds the
    /// location's warnings). Returns the finished session; its builder is not finished yet.
    func run(_ location: StoreLocation, resuming: EventTableBuilder? = nil, starts: [ReadSession.FileStart]? = nil,
             progress: ((ReadProgress) -> Void)?) throws(StoreError) -> ReadSession {
        var session = ReadSession(parser: EventLineParser(selection: selection, options: options), files: location.files,
                                  maxLineBytes: maxLineBytes, progress: progress, resuming: resuming, starts: starts)
        session.pipeline = ParsePipeline(parser: session.parser, seeds: session.builder.seeds,
                                         threads: parseThreads, chunkBytes: chunkBytes, maxLineBytes: maxLineBytes,
                                         window: parseWindow)
        session.pipeline.beforeParse = beforeParse
        if resuming == nil { session.builder.stats.warnings += location.warnings }
        session.builder.pinnedConsentCategories = keepConsentCategories
        try session.run()
        return session
    }
}

/// One run of the reader over the located files.
struct ReadSession {
    /// Bytes read (or inflated) at a time: small enough that they are still in the core's cache (2 MB of L2 here)
    /// when the splitter scans them and copies their lines into a chunk right after `read(2)` (or zlib) wrote them;
    /// with 4 MiB the scan met the start of the buffer evicted again (session 9, apply). Lines that cross a buffer's
    /// end go through the splitter's carry, one in ~500 at 256 KiB.
    static let inputBufferSize = 256 << 10
    static let outputBufferSize = 256 << 10
    /// Progress is reported every `max(1 MiB, total / 200)` bytes (or 200,000 lines): a 5 MB store
    /// moves its bar five times, a gigabyte one about 200 times, never per line.
    static let progressBytes = 1 << 20
    static let progressLines = 200_000
    /// Bytes of input per row assumed when the columns are reserved before a read (``EventTableBuilder/reserve(rows:)``).
    static let reserveBytesPerRow: Int64 = 256

    let parser: EventLineParser
    let files: [LocatedFile]
    let maxLineBytes: Int
    let progress: ((ReadProgress) -> Void)?
    var builder = EventTableBuilder(selection: nil)
    /// Parses lines off the reading thread and hands the results back in file order.
    var pipeline: ParsePipeline

    let totalBytes: Int64
    var bytesRead: Int64 = 0
    /// Bytes read of the current plain file (by readPlain).
    var fileBytesRead: Int64 = 0
    /// The file being read and its current 1-based line number.
    var fileIndex = 0
    var lineNumber = 0
    // Throttling of progress reports.
    var bytesSinceReport = 0
    var linesSinceReport = 0

    /// Whether a file was truncated or rewritten while it was read (see `checkUnchanged`).
    var changedWhileRead = false
    /// Where each file's reading starts (all `.start` for a fresh read).
    var starts: [FileStart]
    /// Per file after the run: the 1-based number of its last line (blank ones included).
    var lineCounts: [Int]
    /// Per file after the run: whether its last byte was `\n` (or it is empty); plain files only.
    var endsWithNewline: [Bool]

    /// Where to begin reading a file.
    enum FileStart: Equatable {
        /// From its first byte.
        case start
        /// Not at all: the builder already holds it.
        case skip
        /// From byte `offset` of a plain file whose first `lines` lines the builder already holds.
        case append(offset: Int64, lines: Int)
    }

    /// A fresh read of `files`, or (with `resuming` and `starts`) the continuation of an earlier one.
    init(parser: EventLineParser, files: [LocatedFile], maxLineBytes: Int, progress: ((ReadProgress) -> Void)?,
         resuming: EventTableBuilder? = nil, starts: [FileStart]? = nil) {
        self.parser = parser
        self.files = files
        self.maxLineBytes = maxLineBytes
        self.progress = progress
        self.starts = starts ?? Array(repeating: .start, count: files.count)
        lineCounts = Array(repeating: 0, count: files.count)
        endsWithNewline = Array(repeating: true, count: files.count)
        if let resuming { builder = resuming }
        pipeline = ParsePipeline(parser: parser, seeds: builder.seeds, threads: 0, chunkBytes: 1 << 20,
                                 maxLineBytes: maxLineBytes)
        var total: Int64 = 0
        for (f, start) in zip(files, self.starts) {
            switch start {
            case .start: total += f.bytes
            case .skip: break
            case .append(let offset, _): total += max(0, f.bytes - offset)
            }
        }
        totalBytes = total
        if resuming == nil {
            builder.stats.files = files.map { FileStats(path: $0.path, bytes: $0.bytes) }
        }
    }

    mutating func run() throws(StoreError) {
        let input = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.inputBufferSize, alignment: 16)
        defer { input.deallocate() }
        var output: UnsafeMutableRawBufferPointer?
        defer { output?.deallocate() }
        // Room for the rows to come, assuming short lines (ExampleData's average 390 bytes): an overestimate
        // only reserves address space. Gzip'd bytes count once, so their rows may still grow the columns.
        builder.reserve(rows: builder.count + Int(totalBytes / Self.reserveBytesPerRow))
        report()
        for i in files.indices {
            fileIndex = i
            lineNumber = 0
            switch starts[i] {
            case .start: break
            case .skip: continue
            case .append(let offset, let lines):
                let file = try FileInput(path: files[i].path)
                let opened = file.status()
                defer { checkUnchanged(file, since: opened) }
                try file.seek(to: offset)
                lineNumber = lines
                var splitter = LineSplitter(maxLineBytes: maxLineBytes)
                try readPlain(file, input: input, preloaded: 0, splitter: &splitter)
                splitter.finish { handle($0) }
                builder.stats.files[i].bytes = offset + fileBytesRead
                lineCounts[i] = lineNumber
                continue
            }
            let file = try FileInput(path: files[i].path)
            let opened = file.status()
            defer { checkUnchanged(file, since: opened) }
            let startBytes = bytesRead
            // Sniff the gzip magic from the first bytes.
            let first = try file.readFull(into: UnsafeMutableRawBufferPointer(rebasing: input[0 ..< 2]))
            bytesRead += Int64(first)
            let gzip = first == 2 && StoreLocator.isGzipMagic(input[0], input[1])
            builder.stats.files[i].compressed = gzip
            var splitter = LineSplitter(maxLineBytes: maxLineBytes)
            if gzip {
                if output == nil {
                    output = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.outputBufferSize, alignment: 16)
                }
                try readGzip(file, input: input, output: output!, preloaded: first, splitter: &splitter)
            } else {
                if first > 0 && files[i].path.lowercased().hasSuffix(".gz") {
                    builder.stats.warnings.append("\(printablePath(files[i].path)): not gzip data despite the .gz name; read as plain text")
                }
                try readPlain(file, input: input, preloaded: first, splitter: &splitter)
            }
            splitter.finish { handle($0) }
            if files[i].bytes == 0 { builder.stats.files[i].bytes = bytesRead - startBytes }
            lineCounts[i] = lineNumber
        }
        pipeline.drain(into: &builder)
        report(force: true)
    }

    /// Warns (naming the file) when the file was truncated or rewritten while it was read: its
    /// figures may be partial or mix old and new data. Such a read is not written to the table cache.
    private mutating func checkUnchanged(_ file: FileInput, since opened: FileStatus?) {
        guard let opened, let end = file.status(), let change = opened.changeWhileRead(to: end) else { return }
        changedWhileRead = true
        builder.stats.warnings.append("\(printablePath(file.path)): \(change); its figures may be partial or mix old and new lines — read the store again")
    }

    private mutating func readPlain(_ file: FileInput, input: UnsafeMutableRawBufferPointer, preloaded: Int,
                                    splitter: inout LineSplitter) throws(StoreError) {
        var filled = preloaded
        fileBytesRead = Int64(preloaded)
        endsWithNewline[fileIndex] = preloaded == 0 || input[preloaded - 1] == 0x0A
        while true {
            let n = try file.read(into: UnsafeMutableRawBufferPointer(rebasing: input[filled...]))
            bytesRead += Int64(n)
            fileBytesRead += Int64(n)
            if n > 0 { endsWithNewline[fileIndex] = input[filled + n - 1] == 0x0A }
            filled += n
            if n == 0 && filled == 0 { return }
            if n == 0 || filled == input.count {
                splitter.feed(UnsafeRawBufferPointer(rebasing: input[0 ..< filled])) { handle($0) }
                bytesSinceReport += filled
                report()
                if n == 0 { return }
                filled = 0
            }
        }
    }

    private mutating func readGzip(_ file: FileInput, input: UnsafeMutableRawBufferPointer,
                                   output: UnsafeMutableRawBufferPointer, preloaded: Int,
                                   splitter: inout LineSplitter) throws(StoreError) {
        let path = printablePath(files[fileIndex].path)
        let z = GzipInflater()
        guard z.ready else {
            builder.stats.warnings.append("\(path): zlib could not start; the file was skipped")
            return
        }
        var inStart = 0, inEnd = preloaded
        var eof = false
        var compressedOffset: Int64 = 0   // compressed bytes handed to zlib so far
        var memberEnded = false
        var memberInput = 0               // compressed bytes of the current member so far
        var memberOutput = 0              // bytes it produced so far
        var membersDone = 0
        pipeline.watchMalformed(file: Int32(fileIndex), afterLine: lineNumber)
        defer { pipeline.watchMalformed(file: -1, afterLine: 0) }
        while true {
            if inStart == inEnd {
                if eof { break }
                let n = try file.read(into: input)
                bytesRead += Int64(n)
                inStart = 0
                inEnd = n
                if n == 0 { eof = true; break }
            }
            if memberEnded {
                z.reset()
                memberEnded = false
                memberInput = 0
                memberOutput = 0
            }
            let r = z.inflate(UnsafeRawBufferPointer(rebasing: input[inStart ..< inEnd]), into: output)
            inStart += r.consumed
            memberInput += r.consumed
            memberOutput += r.produced
            compressedOffset += Int64(r.consumed)
            if r.produced > 0 {
                splitter.feed(UnsafeRawBufferPointer(rebasing: output[0 ..< r.produced])) { handle($0) }
                bytesSinceReport += r.produced
                report()
            }
            switch r.status {
            case .memberEnd:
                memberEnded = true
                membersDone += 1
                // The member's check value matched: its lines are what was written.
                pipeline.watchMalformed(file: Int32(fileIndex), afterLine: lineNumber)
            case .corrupt(let message):
                splitter.discardPending()
                if membersDone > 0 && memberOutput == 0 {
                    builder.stats.warnings.append("\(path): ignored data after the end of the gzip stream (from compressed byte \(compressedOffset - Int64(memberInput)))")
                } else {
                    builder.stats.warnings.append("\(path): corrupt gzip data near compressed byte \(compressedOffset) (\(message)); the rest of the file was skipped after line \(lineNumber)"
                        + retractDamagedLines())
                }
                return
            case .progress:
                // zlib takes all input while it has room for output; no progress at all would spin.
                if r.consumed == 0 && r.produced == 0 {
                    splitter.discardPending()
                    builder.stats.warnings.append("\(path): gzip data could not be decoded past compressed byte \(compressedOffset); the rest of the file was skipped"
                        + retractDamagedLines())
                    return
                }
            }
        }
        if !memberEnded && memberInput > 0 {
            splitter.discardPending()
            builder.stats.warnings.append("\(path): gzip data is truncated (the file ends inside a compressed member); the lines before the cut were kept, an incomplete last line was dropped")
        }
    }

    /// Takes back the malformed lines of the damaged gzip member (decoded before zlib detected the
    /// damage: garbage, not lines anyone wrote) and says so for the warning; "" when there were none.
    /// Events decoded from the member before the damage was detected are kept.
    private mutating func retractDamagedLines() -> String {
        pipeline.drain(into: &builder)
        let r = pipeline.retractWatched(into: &builder)
        guard r.count > 0 else { return "" }
        let lines = r.count == 1 ? "1 malformed line (line \(r.first))" : "\(r.count) malformed lines (lines \(r.first)–\(r.last))"
        return "; \(lines) of the damaged gzip member, decoded before the damage was detected, are counted in this warning, not as lines"
    }

    /// One line (or an over-long line) of the current file: counted here, parsed by the pipeline.
    mutating func handle(_ piece: SplitLine) {
        lineNumber += 1
        switch builder.stats.count(piece, line: lineNumber, file: fileIndex) {
        case .blank:
            return
        case .tooLong(let count):
            pipeline.addTooLong(bytes: count, line: lineNumber, file: Int32(fileIndex), into: &builder)
        case .line(let bytes):
            linesSinceReport += 1
            pipeline.add(line: bytes, number: lineNumber, file: Int32(fileIndex), into: &builder)
        }
    }

    mutating func report(force: Bool = false) {
        guard let progress else { return }
        let due = force || bytesRead == 0 || Int64(bytesSinceReport) >= max(Int64(Self.progressBytes), totalBytes / 200) || linesSinceReport >= Self.progressLines
        guard due else { return }
        bytesSinceReport = 0
        linesSinceReport = 0
        progress(ReadProgress(bytesRead: bytesRead, totalBytes: totalBytes, lines: builder.stats.lines,
                              events: builder.count, file: files.isEmpty ? "" : files[fileIndex].path))
    }

    @inline(__always) static func isBlank(_ bytes: UnsafeRawBufferPointer) -> Bool {
        for b in bytes where !(b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A) { return false }
        return true
    }

    /// The first 200 bytes of a line, cut at a character boundary, decoded leniently.
    static func excerpt(_ bytes: UnsafeRawBufferPointer, limit: Int = 200) -> String {
        var end = min(bytes.count, limit)
        if end < bytes.count {
            // Back off to the start of a UTF-8 sequence that fits completely.
            var lead = end
            while lead > 0 && lead > end - 4 && bytes[lead - 1] & 0xC0 == 0x80 { lead -= 1 }
            if lead > 0 {
                let c = bytes[lead - 1]
                let length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1
                if lead - 1 + length > end { end = lead - 1 }
            }
        }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[0 ..< end]), as: UTF8.self)
    }
}

/// A split line as every reader counts it (``StoreStats/count(_:line:file:)``).
enum CountedLine {
    /// Only spaces, tabs and line ends: counted as blank, not as a line.
    case blank
    /// Longer than the limit (`bytes` long): counted as a line, to be reported malformed.
    case tooLong(bytes: Int)
    /// A line to parse (without a leading UTF-8 byte order mark on line 1), counted as a line.
    case line(UnsafeRawBufferPointer)
}

extension StoreStats {
    /// Counts one split line (1-based `line` of file `file`) the way ``StoreReader`` and
    /// ``StoreFollower`` both do: a UTF-8 byte order mark on line 1 is dropped, a blank line is
    /// counted as blank, any other line as a line of the store and of its file.
    mutating func count(_ piece: SplitLine, line: Int, file: Int) -> CountedLine {
        switch piece {
        case .tooLong(let count):
            lines += 1
            files[file].lines += 1
            return .tooLong(bytes: count)
        case .line(var bytes):
            if line == 1 && bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF {
                bytes = UnsafeRawBufferPointer(rebasing: bytes[3...])  // a UTF-8 byte order mark
            }
            if ReadSession.isBlank(bytes) {
                blankLines += 1
                return .blank
            }
            lines += 1
            files[file].lines += 1
            return .line(bytes)
        }
    }
}
