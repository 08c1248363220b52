#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif
import Dispatch

/// Parses lines on worker threads while the reading thread keeps reading, and feeds the results
/// to the ``EventTableBuilder`` strictly in file order.
///
/// The reading thread copies complete lines into chunks of about ``chunkBytes`` bytes (with their
/// file and line numbers). Chunk *k* goes to worker *k mod threads* (one serial queue per worker);
/// the reading thread then applies finished chunks oldest first. So duplicates ("the first copy
/// wins"), identity links ("earliest, ties by file order") and the order of malformed-line samples
/// are exactly those of a sequential read, whatever the timing. Parsing is the only work that
/// moves: dedupe keys and page sections are computed there too (they need no builder state);
/// interning and column appends stay on the reading thread.
struct ParsePipeline {
    /// The number of online processors (at least 1).
    public static var defaultThreads: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    let parser: EventLineParser
    let seeds: (UInt64, UInt64)
    /// Worker threads; 0 parses each chunk on the reading thread when it is full.
    let threads: Int
    let chunkBytes: Int
    let maxLineBytes: Int
    private let queues: [DispatchQueue]
    private var current: ParseChunk
    /// Submitted chunks, oldest first.
    private var inFlight: [ParseChunk] = []
    private var spare: [ParseChunk] = []
    private var submitted = 0
    /// The file whose malformed lines are remembered (a gzip file being read; -1 for none), from which
    /// line on, and those lines with their kinds (indices into `watchedKindNames`), in line order:
    /// if the file's gzip data turns out to be corrupt, they are taken back (``retractWatched(into:)``).
    private var watchedFile: Int32 = -1
    private var watchedAfterLine = 0
    private var watchedLines: [Int32] = []
    private var watchedKinds: [UInt8] = []
    private var watchedKindNames: [String] = []
    /// Records applied per block of ``apply(_:into:)``, whose probes are loaded before the block is applied.
    static let touchBlock = 64
    /// Where the values loaded ahead of a block go (stored, so the loads cannot be optimised away).
    private(set) var touchSink: UInt64 = 0

    init(parser: EventLineParser, seeds: (UInt64, UInt64), threads: Int, chunkBytes: Int, maxLineBytes: Int) {
        self.parser = parser
        self.seeds = seeds
        self.threads = max(0, threads)
        self.chunkBytes = max(1, chunkBytes)
        self.maxLineBytes = maxLineBytes
        queues = (0 ..< max(0, threads)).map { DispatchQueue(label: "earshot.parse.\($0)", qos: .userInitiated) }
        current = ParseChunk(capacity: chunkBytes)
    }

    /// Queues one non-blank line (copied) with its 1-based line number.
    mutating func add(line: UnsafeRawBufferPointer, number: Int, file: Int32, into builder: inout EventTableBuilder) {
        if !current.lines.isEmpty && current.bytes.count + line.count > chunkBytes { submit(into: &builder) }
        current.lines.append(ChunkLine(start: current.bytes.count, count: line.count, number: number, file: file))
        current.bytes.append(contentsOf: line)
    }

    /// Queues a line that was too long to keep (it becomes a malformed line in its place).
    mutating func addTooLong(bytes: Int, line: Int, file: Int32, into builder: inout EventTableBuilder) {
        current.lines.append(ChunkLine(start: 0, count: -bytes - 1, number: line, file: file))
    }

    /// Parses everything queued and applies it; afterwards the builder holds every line added so far.
    mutating func drain(into builder: inout EventTableBuilder) {
        if !current.lines.isEmpty { submit(into: &builder) }
        while !inFlight.isEmpty { applyOldest(into: &builder) }
    }

    /// Remembers the malformed lines of `file` numbered after `line` (forgetting earlier ones):
    /// called when a gzip file starts (line 0) and after each of its members; `file` -1 stops.
    mutating func watchMalformed(file: Int32, afterLine line: Int) {
        if file != watchedFile {
            watchedLines.removeAll(keepingCapacity: true)
            watchedKinds.removeAll(keepingCapacity: true)
        } else if let keep = watchedLines.firstIndex(where: { Int($0) > line }) {
            watchedLines.removeFirst(keep)
            watchedKinds.removeFirst(keep)
        } else {
            watchedLines.removeAll(keepingCapacity: true)
            watchedKinds.removeAll(keepingCapacity: true)
        }
        watchedFile = file
        watchedAfterLine = line
    }

    /// Takes back the remembered malformed lines (call after ``drain(into:)``): they are no longer
    /// counted as lines nor as malformed, nor kept as samples. Returns how many, and the first and last
    /// line number. Used when a gzip member turns out to be corrupt: the garbage zlib produced before it
    /// noticed becomes part of the one corrupt-file warning instead of thousands of malformed lines.
    mutating func retractWatched(into builder: inout EventTableBuilder) -> (count: Int, first: Int, last: Int) {
        let f = Int(watchedFile)
        guard let first = watchedLines.first, let last = watchedLines.last,
              f >= 0, f < builder.stats.files.count else { return (0, 0, 0) }
        let n = watchedLines.count
        var perKind = [Int](repeating: 0, count: watchedKindNames.count)
        for k in watchedKinds { perKind[Int(k)] += 1 }
        for (k, c) in perKind.enumerated() where c > 0 {
            let left = (builder.stats.malformedKinds[watchedKindNames[k]] ?? 0) - c
            builder.stats.malformedKinds[watchedKindNames[k]] = left > 0 ? left : nil
        }
        builder.stats.malformed -= n
        builder.stats.lines -= n
        builder.stats.files[f].malformed -= n
        builder.stats.files[f].lines -= n
        let lines = Set(watchedLines)
        builder.stats.malformedSamples.removeAll { $0.file == watchedFile && lines.contains(Int32(truncatingIfNeeded: $0.line)) }
        watchedLines.removeAll()
        watchedKinds.removeAll()
        return (n, Int(first), Int(last))
    }

    private mutating func submit(into builder: inout EventTableBuilder) {
        let chunk = current
        current = spare.popLast() ?? ParseChunk(capacity: chunkBytes)
        if threads == 0 {
            chunk.parse(parser: parser, seeds: seeds, maxLineBytes: maxLineBytes)
            apply(chunk, into: &builder)
            return
        }
        let parser = self.parser, seeds = self.seeds, limit = maxLineBytes
        queues[submitted % threads].async {
            chunk.parse(parser: parser, seeds: seeds, maxLineBytes: limit)
            chunk.done.signal()
        }
        submitted += 1
        inFlight.append(chunk)
        while inFlight.count > threads * 2 { applyOldest(into: &builder) }
    }

    private mutating func applyOldest(into builder: inout EventTableBuilder) {
        let chunk = inFlight.removeFirst()
        chunk.done.wait()
        apply(chunk, into: &builder)
    }

    private mutating func apply(_ chunk: ParseChunk, into builder: inout EventTableBuilder) {
        let paths = parser.trie.paths, arrayPaths = parser.trie.arrayPaths
        builder.beginChunk(strings: chunk.buffers.texts.count)
        chunk.raw.arrays.withUnsafeBufferPointer { arrays in
        chunk.raw.elements.withUnsafeBufferPointer { elements in
        chunk.buffers.arena.withUnsafeBytes { arena in
            chunk.raw.consent.withUnsafeBufferPointer { consent in
                chunk.raw.properties.withUnsafeBufferPointer { properties in
                    chunk.raw.traits.withUnsafeBufferPointer { traits in
                        chunk.raw.events.withUnsafeBufferPointer { events in
                            // In blocks: first load what the block's inserts will probe (dedupe slot, id slots),
                            // so those cache misses overlap, then apply the block in order.
                            let outcome = chunk.outcome
                            var blockStart = 0
                            while blockStart < outcome.count {
                                let blockEnd = min(blockStart + Self.touchBlock, outcome.count)
                                var sink: UInt64 = 0
                                for j in blockStart ..< blockEnd where outcome[j].code >= 0 {
                                    sink ^= builder.touch(events[Int(outcome[j].code)])
                                }
                                touchSink ^= sink
                                for r in outcome[blockStart ..< blockEnd] {
                                    let o = r.code
                                    if o >= 0 {
                                        builder.add(raw: events[Int(o)], arena: arena, consent: consent, properties: properties,
                                                    traits: traits, paths: paths, file: chunk.lines[Int(r.line)].file,
                                                    arrays: arrays, elements: elements, arrayPaths: arrayPaths)
                                    } else {
                                        let m = chunk.malformed[Int(-o - 1)], kind = chunk.malformedKinds[Int(-o - 1)]
                                        builder.stats.addMalformed(m, kind: kind)
                                        if m.file == watchedFile && m.line > watchedAfterLine
                                            && !chunk.envelopes.contains(where: { $0.line == r.line }) {
                                            watch(line: m.line, kind: kind)
                                        }
                                    }
                                }
                                blockStart = blockEnd
                            }
                            builder.endChunk()
                            for e in chunk.envelopes {
                                builder.stats.addEnvelope(file: chunk.lines[Int(e.line)].file, items: Int(e.items))
                            }
                        }
                    }
                }
            }
        }
        }
        }
        chunk.bytes.removeAll(keepingCapacity: true)
        chunk.lines.removeAll(keepingCapacity: true)
        if spare.count < threads * 2 + 2 { spare.append(chunk) }
    }

    /// Remembers one malformed line of the watched file (5 bytes; the kinds are a handful of texts).
    private mutating func watch(line: Int, kind: String) {
        var k = watchedKindNames.firstIndex(of: kind) ?? -1
        if k < 0 && watchedKindNames.count < 255 { watchedKindNames.append(kind); k = watchedKindNames.count - 1 }
        guard k >= 0, line <= Int(Int32.max) else { return }
        watchedLines.append(Int32(line))
        watchedKinds.append(UInt8(k))
    }
}

/// One line of a chunk: `count` bytes at `start`, or (count < 0) a too-long line of `-count - 1` bytes.
struct ChunkLine {
    var start: Int
    var count: Int
    var number: Int
    var file: Int32
}

/// A batch of lines and, once parsed, their results. Filled by the reading thread, parsed by one
/// worker, read back by the reading thread after `done` was signalled (the semaphore orders the accesses).
///
/// The results hold no `String`s: every kept string is copied into `buffers.arena` and referred to
/// by offset (with its interning hash); consent, properties and traits sit in flat arrays. Parsing a
/// chunk therefore allocates nothing per line once the arrays have grown to their working size.
final class ParseChunk: @unchecked Sendable {
    var bytes: [UInt8] = []
    var lines: [ChunkLine] = []
    /// Per record (a line, or an item of a batch envelope), in order: its line (index into `lines`) and
    /// the index of its event in `raw.events`, or `-(i + 1)` for `malformed[i]`.
    var outcome: [(line: Int32, code: Int32)] = []
    /// Lines that were batch envelopes, with their item counts.
    var envelopes: [(line: Int32, items: Int32)] = []
    var malformed: [MalformedLine] = []
    /// ``LineError/kind`` of each of `malformed`.
    var malformedKinds: [String] = []
    var buffers = WalkBuffers()
    var raw = RawEvents()
    let done = DispatchSemaphore(value: 0)

    init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    func parse(parser: EventLineParser, seeds: (UInt64, UInt64), maxLineBytes: Int) {
        // The results are built in locals (moved out of the object and back, no copy): a stored property of a class
        // passed `inout` costs a dynamic exclusivity check per access, two per line (docs/PERFORMANCE.md, session 5).
        var outcome: [(line: Int32, code: Int32)] = [], malformed: [MalformedLine] = [], malformedKinds: [String] = []
        var envelopes: [(line: Int32, items: Int32)] = [], buffers = WalkBuffers(), raw = RawEvents()
        swap(&outcome, &self.outcome); swap(&malformed, &self.malformed); swap(&malformedKinds, &self.malformedKinds)
        swap(&envelopes, &self.envelopes); swap(&buffers, &self.buffers); swap(&raw, &self.raw)
        defer {
            swap(&outcome, &self.outcome); swap(&malformed, &self.malformed); swap(&malformedKinds, &self.malformedKinds)
            swap(&envelopes, &self.envelopes); swap(&buffers, &self.buffers); swap(&raw, &self.raw)
        }
        outcome.removeAll(keepingCapacity: true)
        outcome.reserveCapacity(lines.count)
        malformed.removeAll(keepingCapacity: true)
        malformedKinds.removeAll(keepingCapacity: true)
        envelopes.removeAll(keepingCapacity: true)
        buffers.arena.removeAll(keepingCapacity: true)
        raw.removeAll()
        let lines = self.lines
        // One walk for the whole chunk (reset per line), not one built and torn down per line.
        parser.withWalk(buffers: &buffers) { walk in
        bytes.withUnsafeBytes { all in
            for (index, l) in lines.enumerated() {
                let li = Int32(index)
                if l.count < 0 {
                    outcome.append((li, -Int32(malformed.count) - 1))
                    let error = LineError.tooLong(bytes: -l.count - 1, limit: maxLineBytes)
                    malformed.append(MalformedLine(file: l.file, line: l.number, reason: error.reason, excerpt: ""))
                    malformedKinds.append(error.kind)
                    continue
                }
                let line = UnsafeRawBufferPointer(rebasing: all[l.start ..< l.start + l.count])
                let eventsBefore = raw.events.count
                switch parser.parseRaw(line, walk: &walk, into: &raw, seeds: seeds) {
                case .event:
                    outcome.append((li, Int32(raw.events.count - 1)))
                case .malformed(let error):
                    outcome.append((li, -Int32(malformed.count) - 1))
                    malformed.append(MalformedLine(file: l.file, line: l.number, reason: error.reason,
                                                   excerpt: ReadSession.excerpt(line)))
                    malformedKinds.append(error.kind)
                case .records(let envelope, let records):
                    if envelope { envelopes.append((li, Int32(records.count))) }
                    var next = eventsBefore
                    for r in records {
                        if let error = r {
                            outcome.append((li, -Int32(malformed.count) - 1))
                            malformed.append(MalformedLine(file: l.file, line: l.number, reason: error.reason,
                                                           excerpt: ReadSession.excerpt(line)))
                            malformedKinds.append(error.kind)
                        } else {
                            outcome.append((li, Int32(next)))
                            next += 1
                        }
                    }
                }
            }
        }
        }
        // The chunk's string table, here on the worker (the reading thread then interns each distinct string once).
        buffers.texts.number(&raw, arena: buffers.arena)
    }
}
