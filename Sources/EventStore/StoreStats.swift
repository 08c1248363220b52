/// A line that could not be accepted, with where it is and why.
public struct MalformedLine: Sendable, Equatable, Codable {
    /// Index into ``StoreStats/files``.
    public var file: Int32
    /// 1-based line number.
    public var line: Int
    /// Why it was rejected, written for a person ("not valid JSON: unterminated string at byte 17").
    public var reason: String
    /// The first bytes of the line, decoded leniently (untrusted: sanitize before display).
    public var excerpt: String

    public init(file: Int32, line: Int, reason: String, excerpt: String) {
        self.file = file; self.line = line; self.reason = reason; self.excerpt = excerpt
    }
}

/// What was read from one file.
///
/// Accounting: a **record** is a line, except that a batch envelope line is replaced by its items.
/// `records` = `lines` − `envelopes` + `envelopeItems` = `events` + `duplicates` + `malformed`.
public struct FileStats: Sendable, Equatable, Codable {
    public var path: String
    public var bytes: Int64
    public var compressed: Bool
    /// Non-blank lines.
    public var lines: Int
    public var events: Int
    public var duplicates: Int
    public var malformed: Int
    /// Lines that were batch envelopes (`{"batch": [...]}`).
    public var envelopes: Int
    /// Items of those envelopes (each one record: an event, a duplicate or a malformed item).
    public var envelopeItems: Int

    public init(path: String, bytes: Int64 = 0, compressed: Bool = false, lines: Int = 0,
                events: Int = 0, duplicates: Int = 0, malformed: Int = 0, envelopes: Int = 0, envelopeItems: Int = 0) {
        self.path = path; self.bytes = bytes; self.compressed = compressed; self.lines = lines
        self.events = events; self.duplicates = duplicates; self.malformed = malformed
        self.envelopes = envelopes; self.envelopeItems = envelopeItems
    }

    /// Records read: lines, with each batch envelope counted as its items.
    public var records: Int { lines - envelopes + envelopeItems }

    enum CodingKeys: String, CodingKey {
        case path, bytes, compressed, lines, events, duplicates, malformed
        case envelopes = "batch_envelopes"
        case envelopeItems = "batch_items"
    }
}

/// Counts about the read itself: files, lines, duplicates, malformed lines.
public struct StoreStats: Sendable, Equatable {
    /// Files in read order (lexicographic path order).
    public var files: [FileStats] = []
    /// Non-blank lines read.
    public var lines: Int = 0
    /// Blank lines (ignored, not malformed).
    public var blankLines: Int = 0
    /// Accepted events (after dedupe).
    public var events: Int = 0
    /// Events whose `messageId` had been seen before (ignored everywhere).
    public var duplicates: Int = 0
    /// Malformed records (lines, or items of batch envelopes; all of them counted).
    public var malformed: Int = 0
    /// Lines that were batch envelopes, and their items (see ``FileStats``).
    public var envelopes: Int = 0
    public var envelopeItems: Int = 0
    /// Records read: `lines` − `envelopes` + `envelopeItems` = `events` + `duplicates` + `malformed`.
    public var records: Int { lines - envelopes + envelopeItems }
    /// The first ``maxMalformedSamples`` malformed lines, in file order.
    public var malformedSamples: [MalformedLine] = []
    /// Malformed records by kind (``LineError/kind``), all of them counted.
    public var malformedKinds: [String: Int] = [:]
    /// Notes for the data view ("more than 64 consent categories: …").
    public var warnings: [String] = []
    /// Persons with a deletion request (`delete` call) whose earlier data was removed (``EventTable/redactingDeletions()``).
    public var deletedPersons: Int = 0
    /// Events removed for them (deletion rows included); not counted in ``events``.
    public var deletedEvents: Int = 0

    /// How many malformed lines are kept with file:line and reason.
    public static let maxMalformedSamples = 10_000

    public init() {}

    /// Records a batch envelope line of `file` with `items` items.
    public mutating func addEnvelope(file: Int32, items: Int) {
        envelopes += 1
        envelopeItems += items
        if file >= 0 && Int(file) < files.count {
            files[Int(file)].envelopes += 1
            files[Int(file)].envelopeItems += items
        }
    }

    /// Records a malformed line (counted always, kept while under the sample cap).
    public mutating func addMalformed(_ m: MalformedLine, kind: String = "other") {
        malformed += 1
        malformedKinds[kind, default: 0] += 1
        if m.file >= 0 && Int(m.file) < files.count { files[Int(m.file)].malformed += 1 }
        if malformedSamples.count < Self.maxMalformedSamples { malformedSamples.append(m) }
    }
}
