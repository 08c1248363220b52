#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The deterministic example store of the fictional shop "Nestling & Co".
///
/// It writes Segment-Spec JSON-lines files (see docs/EVENTS.md) for `persons` shoppers over `days`
/// days: one file per UTC day under `YYYY-MM/`, plus monthly files of live-chat events under
/// `chat/` and of feedback events under `surveys/`. The same parameters give byte-identical files
/// on every machine: the generator has its own PRNG, writes JSON itself with a fixed key order, and
/// never reads the clock. Memory stays bounded: persons are compact plans, and lines are buffered
/// per day only.
///
/// ```swift
/// let files = try ExampleStore(persons: 3000).write(to: "ExampleData", gzipOlderMonths: true)
/// ```
public struct ExampleStore: Sendable, Equatable {
    public let seed: UInt64
    public let persons: Int
    /// The first day, as days since 1970-01-01 (UTC).
    public let startDay: Int
    public let days: Int

    /// Largest `persons` accepted.
    public static let maxPersons = 10_000_000
    /// Largest `days` accepted (ten years).
    public static let maxDays = 3660

    /// - Parameters:
    ///   - seed: the PRNG seed; different seeds give different stores of the same shape.
    ///   - persons: shoppers to simulate (1…10 000 000).
    ///   - start: the first UTC day; the default range is 2026-08-22 … 2026-11-20.
    ///   - days: length of the range in days (1…3660).
    public init(seed: UInt64 = 20261129, persons: Int = 3000,
                start: (year: Int, month: Int, day: Int) = (2026, 8, 22), days: Int = 91) {
        self.seed = seed
        self.persons = persons
        self.days = days
        self.startDay = ExampleStore.validDate(start) ? CivilTime.days(year: start.year, month: start.month, day: start.day) : Int.min
    }

    /// - Parameter startMillis: an instant (ms since the epoch) inside the first UTC day.
    public init(seed: UInt64 = 20261129, persons: Int = 3000, startMillis: Int64, days: Int = 91) {
        self.seed = seed
        self.persons = persons
        self.days = days
        self.startDay = CivilTime.day(ofMillis: startMillis)
    }

    /// The first instant of the range (ms since the epoch, UTC midnight).
    public var rangeStartMillis: Int64 { Int64(startDay) * CivilTime.msPerDay }
    /// The instant just after the range: every event time `t` has `rangeStart <= t < rangeEnd`.
    public var rangeEndMillis: Int64 { rangeStartMillis + Int64(days) * CivilTime.msPerDay }

    /// Writes the store into `directory` (created if needed). Files it writes are replaced; the other
    /// compression of a file it writes (`x.jsonl` for `x.jsonl.gz` and the reverse) is removed, so that
    /// switching `gzipOlderMonths` never leaves the same events twice. Other files are left alone.
    /// - Parameter gzipOlderMonths: compress the files of every month but the last (`.jsonl.gz`).
    /// - Returns: the paths written, sorted.
    @discardableResult
    public func write(to directory: String, gzipOlderMonths: Bool) throws -> [String] {
        try generate(to: directory, gzipOlderMonths: gzipOlderMonths).files
    }

    /// Writes the store like ``write(to:gzipOlderMonths:)`` and tells what went into it.
    public func generate(to directory: String, gzipOlderMonths: Bool) throws -> ExampleStoreSummary {
        try validate()
        let root = directory.isEmpty ? "." : directory
        try OutputFile.makeDirectories(root)

        var sim = Simulator(seed: seed, startDay: startDay, days: days)
        var people: [Person] = []
        people.reserveCapacity(persons)
        for i in 0..<persons { people.append(Person(index: i, seed: seed, startDay: startDay, days: days)) }

        let lastMonth = CivilTime.monthKey(days: startDay + days - 1)
        var summary = ExampleStoreSummary()
        summary.persons = persons
        var monthFiles: [StreamKind: OutputFile] = [:]
        var openMonth = ""
        var written: [String] = []

        func closeMonthFiles() throws {
            for kind in StreamKind.allCases {   // fixed order
                if let f = monthFiles[kind] { try f.close() }
            }
            monthFiles = [:]
        }

        for d in 0..<days {
            sim.router.today = d
            let absolute = startDay + d
            if d == 0 { for i in people.indices { sim.earlySMSAnswer(&people[i]) } }
            for (k, item) in ExampleStore.schedule(days: days).enumerated() where item.day == d {
                switch item.kind {
                case .campaign:
                    let theme = Catalog.campaignThemes[k % Catalog.campaignThemes.count]
                    let ref = CampaignRef(id: "cmp-" + Person.padded(item.number, 3) + "-" + theme.slug, slug: theme.slug,
                                          subject: theme.subject, section: theme.section)
                    for i in people.indices { sim.campaign(&people[i], day: d, campaign: ref) }
                case .emailSurvey:
                    let id = "nps_email_" + Person.padded(item.number, 2)
                    for i in people.indices { sim.emailSurvey(&people[i], day: d, surveyID: id) }
                case .smsSurvey:
                    for i in people.indices { sim.smsSurvey(&people[i], day: d) }
                }
            }
            if d == Simulator.pulseDay(days: days) { for i in people.indices { sim.pulseSurvey(&people[i], day: d, seed: seed) } }
            for i in people.indices { sim.simulate(&people[i], day: d) }
            Noise.inject(day: d, into: &sim.router)

            let month = CivilTime.monthKey(days: absolute)
            if month != openMonth {
                try closeMonthFiles()
                openMonth = month
            }
            let gzip = gzipOlderMonths && month != lastMonth
            let ext = gzip ? ".jsonl.gz" : ".jsonl"
            try OutputFile.makeDirectories(root + "/" + month)
            let mainRel = month + "/events-" + CivilTime.dayKey(days: absolute) + ext
            let main = try OutputFile(path: root + "/" + mainRel, gzip: gzip)
            written.append(root + "/" + mainRel)
            for entry in sim.router.take(day: d) {
                let file: OutputFile
                switch entry.stream {
                case .main:
                    file = main
                case .chat, .surveys, .service:
                    if let f = monthFiles[entry.stream] {
                        file = f
                    } else {
                        let dir = entry.stream == .chat ? "chat" : (entry.stream == .surveys ? "surveys" : "service")
                        try OutputFile.makeDirectories(root + "/" + dir)
                        let rel = dir + "/" + dir + "-" + month + ext
                        file = try OutputFile(path: root + "/" + rel, gzip: gzip)
                        monthFiles[entry.stream] = file
                        written.append(root + "/" + rel)
                    }
                }
                try file.writeLine(entry.line)
                summary.lines += 1
                if entry.line.isEmpty { summary.blankLines += 1 }
            }
            try main.close()
        }
        try closeMonthFiles()
        for path in written {
            let twin = path.hasSuffix(".gz") ? String(path.dropLast(3)) : path + ".gz"
            if unlink(twin) != 0 && errno != ENOENT {
                throw ExampleStoreError.cannotWrite(path: twin, reason: OutputFile.errnoText())
            }
        }
        for companion in ExampleCompanions.files {
            let path = root + "/" + companion.name
            let file = try OutputFile(path: path, gzip: false)
            try file.write(Array(companion.contents.utf8))
            try file.close()
            summary.companions.append(path)
        }
        summary.files = written.sorted()
        summary.events = sim.router.events
        summary.duplicates = sim.router.duplicates
        summary.malformed = Noise.malformedCount
        return summary
    }

    // MARK: Schedule of shop-wide events

    enum ScheduledKind { case campaign, emailSurvey, smsSurvey }
    struct Scheduled { let day: Int; let kind: ScheduledKind; let number: Int }

    /// Newsletters every 7 days from day 2, NPS e-mails at 35 % and 78 % of the range, SMS checks at 20 % and 62 %.
    static func schedule(days: Int) -> [Scheduled] {
        var out: [Scheduled] = []
        var n = 0
        var d = 2
        while d < days { n += 1; out.append(Scheduled(day: d, kind: .campaign, number: n)); d += 7 }
        out.append(Scheduled(day: (days - 1) * 35 / 100, kind: .emailSurvey, number: 1))
        out.append(Scheduled(day: (days - 1) * 78 / 100, kind: .emailSurvey, number: 2))
        out.append(Scheduled(day: (days - 1) * 20 / 100, kind: .smsSurvey, number: 1))
        out.append(Scheduled(day: (days - 1) * 62 / 100, kind: .smsSurvey, number: 2))
        return out
    }

    // MARK: Validation

    static func validDate(_ d: (year: Int, month: Int, day: Int)) -> Bool {
        guard d.year >= 1970 && d.year <= 9999 && d.month >= 1 && d.month <= 12 else { return false }
        return d.day >= 1 && d.day <= CivilTime.daysInMonth(year: d.year, month: d.month)
    }

    func validate() throws {
        guard startDay != Int.min else {
            throw ExampleStoreError.invalidParameter("start must be a calendar date between 1970-01-01 and 9999-12-31")
        }
        guard persons >= 1 && persons <= ExampleStore.maxPersons else {
            throw ExampleStoreError.invalidParameter("persons must be between 1 and \(ExampleStore.maxPersons) (got \(persons))")
        }
        guard days >= 1 && days <= ExampleStore.maxDays else {
            throw ExampleStoreError.invalidParameter("days must be between 1 and \(ExampleStore.maxDays) (got \(days))")
        }
        let lastYear = CivilTime.date(days: startDay + days - 1).year
        guard startDay >= 0 && lastYear <= 9999 else {
            throw ExampleStoreError.invalidParameter("the range must lie between 1970-01-01 and 9999-12-31")
        }
    }
}

/// What ``ExampleStore/generate(to:gzipOlderMonths:)`` wrote.
public struct ExampleStoreSummary: Sendable, Equatable {
    /// Paths written, sorted.
    public var files: [String] = []
    /// The companion files written beside the events (``ExampleCompanions``: the rules the data is made for).
    public var companions: [String] = []
    public var persons = 0
    /// Lines written, blank lines included.
    public var lines = 0
    /// Distinct events (each messageId once).
    public var events = 0
    /// Extra copies of already written events (same line, same messageId).
    public var duplicates = 0
    /// Intentionally malformed lines (always ``ExampleStoreSummary/malformedPerStore``).
    public var malformed = 0
    public var blankLines = 0

    /// Malformed lines in every generated store: 3 truncated lines, 1 line that is not JSON,
    /// 1 without `type`, 1 without ids, 1 with a timestamp without zone.
    public static let malformedPerStore = 7
    /// Blank lines in every generated store.
    public static let blankLinesPerStore = 3

    public init() {}
}

/// Why the example store could not be written; messages are one line, for the person at the terminal.
public enum ExampleStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidParameter(String)
    case cannotCreateDirectory(path: String, reason: String)
    case cannotWrite(path: String, reason: String)
    case compression(path: String, code: Int)

    public var description: String {
        switch self {
        case .invalidParameter(let message): return message
        case .cannotCreateDirectory(let path, let reason): return "cannot create directory \(path): \(reason)"
        case .cannotWrite(let path, let reason): return "cannot write \(path): \(reason)"
        case .compression(let path, let code): return "cannot compress \(path): zlib error \(code)"
        }
    }
}
