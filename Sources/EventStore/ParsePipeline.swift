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
/// file and line numbers) and puts each chunk on one shared queue (``ParseQueue``); whichever worker
/// is free takes the oldest queued chunk (no fixed assignment, so no worker waits while another has a
/// backlog). Up to ``window`` chunks are in flight; the reading thread applies finished chunks oldest
/// first as soon as they are done, and when the window is full and the oldest chunk is not parsed yet,
/// it parses the oldest queued chunk itself instead of waiting (it waits only when every in-flight
/// chunk is being parsed by a worker). So every thread has work while there is work, and duplicates
/// ("the first copy wins"), identity links ("earliest, ties by file order") and the order of
/// malformed-line samples are exactly those of a sequential read, whatever the timing: chunks are
/// applied in the order they were filled, never in the order they were parsed. Parsing is the only
/// work that moves: dedupe keys and page sections are computed there too (they need no builder
/// state); interning and column appends stay on the reading thread.
struct ParsePipeline {
    /// Worker threads by default: one fewer than the online processors, since the reading thread parses
    /// too whenever it would otherwise wait (on 2 cores: 1 worker + the reading thread, measured against 2
    /// and 3 workers in docs/PERFORMANCE.md, session 7); 0 on one processor (everything on the reading thread).
    public static var defaultThreads: Int { max(0, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) - 1) }

    let parser: EventLineParser
    let seeds: (UInt64, UInt64)
    /// Worker threads; 0 parses each chunk on the reading thread when it is full.
    let threads: Int
    let chunkBytes: Int
    let maxLineBytes: Int
    /// Chunks in flight at most (queued, being parsed, or parsed and waiting to be applied): each holds
    /// about ``chunkBytes`` of lines plus their parsed results, about 4 × ``chunkBytes`` in all at 1 GB, so
    /// the pipeline's memory is bounded by about `window × 4 × chunkBytes` (docs/PERFORMANCE.md, session 7).
    /// A chunk holding a line longer than ``chunkBytes`` is larger: the window also stops at `window × chunkBytes`
    /// bytes of lines in flight (at least two chunks, so that a worker and the reading thread both have one), and
    /// such a chunk is not kept for reuse.
    let window: Int
    /// The shared queue and its workers (started with the first chunk, stopped by ``drain(into:)``).
    private var workers: ParseWorkers?
    /// Called on the parsing thread before chunk `n` (0, 1, … in file order) is parsed (tests: to make
    /// chunks finish out of order).
    var beforeParse: (@Sendable (Int) -> Void)?
    /// Chunks the reading thread parsed itself (instead of waiting for a worker).
    private(set) var parsedOnReadingThread = 0
    /// The lines being gathered for the next chunk and their bytes: kept here in the struct, not in a
    /// ``ParseChunk`` (a class), while they are filled: a stored property of a class costs a dynamic
    /// exclusivity check per access, five per line (docs/PERFORMANCE.md, session 7, reading thread).
    /// ``submit(into:)`` swaps them into a chunk and takes that chunk's empty arrays (capacity kept) back.
    private var fillBytes: [UInt8]
    private var fillLines: [ChunkLine] = []
    /// Submitted chunks, oldest first.
    private var inFlight: [ParseChunk] = []
    /// Bytes of lines in the chunks in flight.
    private var inFlightBytes = 0
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

    /// Chunks in flight per parsing thread (the workers and the reading thread) by default.
    static let windowPerThread = 3

    init(parser: EventLineParser, seeds: (UInt64, UInt64), threads: Int, chunkBytes: Int, maxLineBytes: Int,
         window: Int? = nil) {
        self.parser = parser
        self.seeds = seeds
        self.threads = max(0, threads)
        self.chunkBytes = max(1, chunkBytes)
        self.maxLineBytes = maxLineBytes
        self.window = max(1, window ?? Self.windowPerThread * (max(0, threads) + 1))
        fillBytes = []
        fillBytes.reserveCapacity(chunkBytes)
    }

    /// Queues one non-blank line (copied) with its 1-based line number.
    mutating func add(line: UnsafeRawBufferPointer, number: Int, file: Int32, into builder: inout EventTableBuilder) {
        let start = fillBytes.count
        if start + line.count > chunkBytes && !fillLines.isEmpty {
            submit(into: &builder)
            fillLines.append(ChunkLine(start: 0, count: line.count, number: number, file: file))
        } else {
            fillLines.append(ChunkLine(start: start, count: line.count, number: number, file: file))
        }
        fillBytes.append(contentsOf: line)
    }

    /// Queues a line that was too long to keep (it becomes a malformed line in its place).
    mutating func addTooLong(bytes: Int, line: Int, file: Int32, into builder: inout EventTableBuilder) {
        fillLines.append(ChunkLine(start: 0, count: -bytes - 1, number: line, file: file))
    }

    /// Parses everything queued and applies it; afterwards the builder holds every line added so far.
    mutating func drain(into builder: inout EventTableBuilder) {
        if !fillLines.isEmpty { submit(into: &builder) }
        while !inFlight.isEmpty { applyOldest(into: &builder) }
        // Nothing is queued now: the workers end (a later chunk starts new ones), and the spare chunks are
        // freed (they would otherwise stay through finish()'s peak).
        workers?.stop()
        workers = nil
        spare = []
        fillBytes = []
        fillLines = []
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
        // The chunk takes the filled arrays; the filling goes on in its (empty, reused) ones.
        let chunk = spare.popLast() ?? ParseChunk(capacity: 0)
        swap(&fillBytes, &chunk.bytes)
        swap(&fillLines, &chunk.lines)
        if fillBytes.capacity < chunkBytes { fillBytes.reserveCapacity(chunkBytes) }
        chunk.sequence = submitted
        submitted += 1
        if threads == 0 {
            beforeParse?(chunk.sequence)
            chunk.parse(parser: parser, seeds: seeds, maxLineBytes: maxLineBytes)
            apply(chunk, into: &builder)
            return
        }
        if workers == nil {
            workers = ParseWorkers(threads: threads, queue: ParseQueue(parser: parser, seeds: seeds, maxLineBytes: maxLineBytes,
                                                                       beforeParse: beforeParse))
        }
        let queue = workers!.queue
        inFlightBytes += chunk.bytes.count
        queue.push(chunk)
        inFlight.append(chunk)
        // Apply what is already parsed (oldest first, never out of order), then make room in the window.
        while let oldest = inFlight.first, queue.isParsed(oldest) { applyOldest(into: &builder) }
        while inFlight.count >= window || (inFlight.count > 1 && inFlightBytes > window * chunkBytes) {
            applyOldest(into: &builder)
        }
    }

    /// Applies the oldest chunk in flight; while it is not parsed, the reading thread parses queued chunks itself.
    private mutating func applyOldest(into builder: inout EventTableBuilder) {
        let chunk = inFlight.removeFirst()
        inFlightBytes -= chunk.bytes.count
        if let queue = workers?.queue { parsedOnReadingThread += queue.waitParsed(chunk) }
        apply(chunk, into: &builder)
    }

    private mutating func apply(_ chunk: ParseChunk, into builder: inout EventTableBuilder) {
        let paths = parser.trie.paths, arrayPaths = parser.trie.arrayPaths
        builder.beginChunk(strings: chunk.buffers.texts.count)
        do {
            // Read once (a class's stored property costs an exclusivity check per access, per record here);
            // released at the end of this block, before the chunk's arrays are emptied for reuse.
            let lines = chunk.lines
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
                                                        traits: traits, paths: paths, file: lines[Int(r.line)].file,
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
                                    builder.stats.addEnvelope(file: lines[Int(e.line)].file, items: Int(e.items))
                                }
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
        chunk.parsed = false
        if spare.count < window && chunk.bytes.capacity <= 2 * chunkBytes { spare.append(chunk) }
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
/// worker (or the reading thread), read back by the reading thread once ``ParseQueue`` says it is
/// parsed (the queue's lock orders the accesses).
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
    /// Its place in file order (0, 1, …).
    var sequence = 0
    /// Whether it is parsed: read and written only under the ``ParseQueue``'s lock (or by the reading
    /// thread when no worker can hold the chunk).
    var parsed = false

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

/// The chunks waiting to be parsed, oldest first, shared by the workers and the reading thread.
///
/// One lock guards the queue and every queued chunk's `parsed` flag; a worker waits on `work` while the
/// queue is empty, the reading thread waits on `finished` while the chunk it needs is being parsed.
final class ParseQueue: @unchecked Sendable {
    let parser: EventLineParser
    let seeds: (UInt64, UInt64)
    let maxLineBytes: Int
    let beforeParse: (@Sendable (Int) -> Void)?
    private let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let work = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let finished = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var pending: [ParseChunk] = []
    private var head = 0
    private var stopped = false

    init(parser: EventLineParser, seeds: (UInt64, UInt64), maxLineBytes: Int, beforeParse: (@Sendable (Int) -> Void)?) {
        self.parser = parser
        self.seeds = seeds
        self.maxLineBytes = maxLineBytes
        self.beforeParse = beforeParse
        pthread_mutex_init(lock, nil)
        pthread_cond_init(work, nil)
        pthread_cond_init(finished, nil)
    }

    deinit {
        pthread_cond_destroy(finished); pthread_cond_destroy(work); pthread_mutex_destroy(lock)
        finished.deallocate(); work.deallocate(); lock.deallocate()
    }

    /// Queues a filled chunk (its `parsed` is false).
    func push(_ chunk: ParseChunk) {
        pthread_mutex_lock(lock)
        pending.append(chunk)
        pthread_cond_signal(work)
        pthread_mutex_unlock(lock)
    }

    /// Whether `chunk` is parsed (its results may be read once this returned true).
    func isParsed(_ chunk: ParseChunk) -> Bool {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        return chunk.parsed
    }

    /// Returns once `chunk` is parsed; meanwhile parses the oldest queued chunks on the calling thread.
    /// Returns how many chunks it parsed.
    func waitParsed(_ chunk: ParseChunk) -> Int {
        var helped = 0
        pthread_mutex_lock(lock)
        while !chunk.parsed {
            if let next = take() {
                parse(next)
                helped += 1
            } else {
                pthread_cond_wait(finished, lock)
            }
        }
        pthread_mutex_unlock(lock)
        return helped
    }

    /// A worker's loop: parses the oldest queued chunk until ``stop()``.
    func serve() {
        pthread_mutex_lock(lock)
        while !stopped {
            if let next = take() {
                parse(next)
                pthread_cond_signal(finished)
            } else {
                pthread_cond_wait(work, lock)
            }
        }
        pthread_mutex_unlock(lock)
    }

    /// Ends the workers (chunks still queued are dropped: called when nothing waits for them).
    func stop() {
        pthread_mutex_lock(lock)
        stopped = true
        pending.removeAll()
        head = 0
        pthread_cond_broadcast(work)
        pthread_mutex_unlock(lock)
    }

    /// The oldest queued chunk (called with the lock held).
    private func take() -> ParseChunk? {
        guard head < pending.count else { return nil }
        let c = pending[head]
        head += 1
        if head == pending.count { pending.removeAll(keepingCapacity: true); head = 0 }
        return c
    }

    /// Parses `chunk` without the lock (called and returning with it held), then marks it parsed.
    private func parse(_ chunk: ParseChunk) {
        pthread_mutex_unlock(lock)
        beforeParse?(chunk.sequence)
        chunk.parse(parser: parser, seeds: seeds, maxLineBytes: maxLineBytes)
        pthread_mutex_lock(lock)
        chunk.parsed = true
    }
}

/// The worker threads of one ``ParseQueue``: they serve it until ``stop()`` or until this object goes
/// away (a read that ended with an error never drains, and must not leave threads waiting forever).
final class ParseWorkers {
    let queue: ParseQueue

    init(threads: Int, queue: ParseQueue) {
        self.queue = queue
        for i in 0 ..< threads {
            DispatchQueue(label: "earshot.parse.\(i)", qos: .userInitiated).async { queue.serve() }
        }
    }

    func stop() { queue.stop() }

    deinit { queue.stop() }
}
