import EventStore

/// The header's figures kept up to date from appended events, without a full re-analysis (follow mode, #14):
/// the store's persons, events, first and last event, deletions, and the whole consent section (coverage per
/// category, the per-event audit).
///
/// Feed it every **accepted** event in file order (after the reader's dedupe: ``StoreFollower/onAccepted``), in
/// batches of any size with ``apply(_:)``; ask for the figures with ``store(stats:)`` and ``consent()`` (or patch
/// a report with ``patch(_:stats:)``). After any sequence of batches the figures equal those of a full
/// ``Analysis/rawReport(table:program:options:persons:)`` of the same events — stitching (an `identify`/`alias`
/// that moves an anonymous id into a user, so two persons become one), latest-wins consent with ties by file order,
/// deletion requests and the reference time included (`LiveFiguresReferenceTests` checks this against a full
/// recompute after every random batch).
///
/// How: it keeps, per identity (a `userId`, an anonymous id, the link of each anonymous id to its earliest user),
/// the rows it was given (time, a few flags, consent as bits), and per person the contribution that person makes
/// to every figure. A batch marks the persons it touches — their own new rows, and persons whose anonymous ids
/// were re-linked — and only their contributions are recomputed (one pass over that person's rows), subtracted
/// and added again. A new consent category, or the analytics category appearing, changes every person's consent
/// (an empty preference object denies every category of the store): then every person is recomputed once.
/// Memory: about 17 bytes per event, plus the consent of events that carry some.
public struct LiveFigures: Sendable {
    /// The options of the analysis (its reference time and analytics category).
    public let options: AnalysisOptions

    // Rows, in the order given (= file order of accepted events: the table's `sequence`).
    private var time: [Int64] = []
    private var flags: [UInt8] = []
    private var consentOfRow: [Int32: (carried: UInt64, granted: UInt64)] = [:]
    private var categories: [String] = []
    private var categoryIndex: [String: Int] = [:]
    private var labels: [String: String] = [:]
    private var sawDeletion = false

    // Identities.
    private var userRows: [String: [Int32]] = [:]
    private var anonRows: [String: [Int32]] = [:]
    private var unknownRows: [Int32] = []
    private var links: [String: Link] = [:]
    /// The person each anonymous id with rows of its own (no `userId`) belongs to now.
    private var resolvedAnon: [String: PersonKey] = [:]
    /// For a user, the anonymous ids resolved to it.
    private var anonsOf: [String: Set<String>] = [:]

    // Contributions and their sums.
    private var contribution: [PersonKey: Contribution] = [:]
    private var totals = Totals()
    private var firstTimes: [Int64: Int] = [:]
    private var lastTimes: [Int64: Int] = [:]

    // Work a batch left for ``settle()``.
    private var dirty: Set<PersonKey> = []
    private var relink: Set<String> = []
    private var everyone = false

    /// Whether the figures are exact: false once more than ``EventTableBuilder/maxConsentCategories`` consent
    /// categories were seen (the table then keeps the most frequent ones, which a live count cannot follow).
    public private(set) var exact = true

    /// Accepted events given so far.
    public var eventCount: Int { time.count }

    static let deleteFlag: UInt8 = 1, preferenceFlag: UInt8 = 2, clearedFlag: UInt8 = 4

    /// - Parameter options: the analysis options of the report the figures belong to.
    public init(options: AnalysisOptions) { self.options = options }

    /// Takes the next accepted events, in file order. The figures are brought up to date when next asked for.
    public mutating func apply<S: Sequence>(_ events: S) where S.Element == ParsedEvent {
        for e in events { add(e) }
    }

    private mutating func add(_ e: ParsedEvent) {
        let seq = Int32(time.count)
        time.append(e.time)
        var f: UInt8 = 0
        if e.kind == .delete { f |= Self.deleteFlag; sawDeletion = true }
        if e.kind == .track && e.event == ConsentMetrics.preferenceUpdatedEvent { f |= Self.preferenceFlag }
        if e.consentCleared { f |= Self.clearedFlag }
        flags.append(f)
        // Consent, as the table builder records it: later entries of one event win.
        var carried: UInt64 = 0, granted: UInt64 = 0
        for c in e.consent {
            if let label = c.label, !label.isEmpty, labels[c.category] != label { labels[c.category] = label }
            let bit: Int
            if let b = categoryIndex[c.category] {
                bit = b
            } else {
                bit = categories.count
                categories.append(c.category)
                categoryIndex[c.category] = bit
                everyone = true
                if categories.count > EventTableBuilder.maxConsentCategories { exact = false }
            }
            guard bit < 64 else { continue }
            let m: UInt64 = 1 << UInt64(bit)
            carried |= m
            if c.granted { granted |= m } else { granted &= ~m }
        }
        if carried != 0 { consentOfRow[seq] = (carried, granted) }

        let u = e.userId.flatMap { $0.isEmpty ? nil : $0 }
        let a = e.anonymousId.flatMap { $0.isEmpty ? nil : $0 }
        if let u {
            if userRows[u] == nil {
                userRows[u] = [seq]
                if anonRows[u] != nil { relink.insert(u) }  // that anonymous id is now a user's id
            } else {
                userRows[u]!.append(seq)
            }
            dirty.insert(.user(u))
            if let a { link(a, to: u, time: e.time, seq: seq) }
            if e.kind == .alias, let p = e.previousId, !p.isEmpty { link(p, to: u, time: e.time, seq: seq) }
        } else if let a {
            if anonRows[a] == nil { anonRows[a] = [seq] } else { anonRows[a]!.append(seq) }
            relink.insert(a)
        } else {
            unknownRows.append(seq)
            dirty.insert(.unknown)
        }
    }

    /// An anonymous id's earliest user (time, ties by file order), as the table builder keeps it.
    private mutating func link(_ anon: String, to user: String, time t: Int64, seq: Int32) {
        if let old = links[anon], (old.time, old.seq) <= (t, seq) { return }
        links[anon] = Link(time: t, seq: seq, user: user)
        if anonRows[anon] != nil { relink.insert(anon) }
    }

    /// The person an anonymous id's own rows belong to (docs/DEFINITIONS.md, "Person").
    private func resolve(_ anon: String) -> PersonKey {
        if userRows[anon] != nil { return .user(anon) }
        if let l = links[anon] { return .user(l.user) }
        return .anon(anon)
    }

    /// Recomputes the persons the batches since the last call touched.
    public mutating func settle() {
        for a in relink where anonRows[a] != nil {
            let now = resolve(a)
            let before = resolvedAnon[a]
            if before != now {
                if let before {
                    dirty.insert(before)
                    if case .user(let u) = before { anonsOf[u]?.remove(a) }
                }
                resolvedAnon[a] = now
                if case .user(let u) = now { anonsOf[u, default: []].insert(a) }
            }
            dirty.insert(now)
        }
        relink = []
        if everyone {
            everyone = false
            dirty = Set(contribution.keys)
            for u in userRows.keys { dirty.insert(.user(u)) }
            for p in resolvedAnon.values { dirty.insert(p) }
            if !unknownRows.isEmpty { dirty.insert(.unknown) }
        }
        guard !dirty.isEmpty else { return }
        let analyticsBit = categoryIndex[options.analyticsCategory].flatMap { $0 < 64 ? $0 : nil }
        let allCategories: UInt64 = categories.count >= 64 ? ~0 : (1 << UInt64(categories.count)) - 1
        for p in dirty {
            if let old = contribution.removeValue(forKey: p) { remove(old) }
            guard let c = compute(rows: rows(of: p), analyticsBit: analyticsBit, allCategories: allCategories) else { continue }
            contribution[p] = c
            add(c)
        }
        dirty = []
    }

    private func rows(of p: PersonKey) -> [Int32] {
        switch p {
        case .user(let u):
            var rows = userRows[u] ?? []
            for a in anonsOf[u] ?? [] { rows += anonRows[a] ?? [] }
            return rows
        case .anon(let a):
            return resolvedAnon[a] == p ? anonRows[a] ?? [] : []
        case .unknown:
            return unknownRows
        }
    }

    /// One person's contribution from their rows (any order): nil for no rows at all.
    private func compute(rows unsorted: [Int32], analyticsBit: Int?, allCategories: UInt64) -> Contribution? {
        guard !unsorted.isEmpty else { return nil }
        var rows = unsorted
        // Time order, ties by file order; rows usually come nearly sorted.
        var sorted = true
        for i in rows.indices.dropFirst() where (time[Int(rows[i - 1])], rows[i - 1]) > (time[Int(rows[i])], rows[i]) {
            sorted = false
            break
        }
        if !sorted { rows.sort { (time[Int($0)], $0) < (time[Int($1)], $1) } }
        var c = Contribution()
        // Deletion: every row up to and including the latest deletion request goes.
        if let cut = rows.lastIndex(where: { flags[Int($0)] & Self.deleteFlag != 0 }) {
            c.removed = cut + 1
            c.deleted = rows[...cut].contains { flags[Int($0)] & Self.deleteFlag == 0 }
        }
        let kept = rows[c.removed...]
        c.kept = kept.count
        guard let firstRow = kept.first, let lastRow = kept.last else { return c }
        c.first = time[Int(firstRow)]
        c.last = time[Int(lastRow)]
        // Consent over the kept rows at or before the reference time (with the default reference time, the newest
        // event, that is every kept row).
        let analyticsMask: UInt64 = analyticsBit.map { 1 << UInt64($0) } ?? 0
        var known: UInt64 = 0, grant: UInt64 = 0
        for r in kept {
            if let now = options.now, time[Int(r)] > now { break }
            c.audited += 1
            let f = flags[Int(r)]
            var carried: UInt64 = 0, granted: UInt64 = 0
            if f & Self.clearedFlag != 0 {
                carried = allCategories
            } else if let bits = consentOfRow[r] {
                carried = bits.carried
                granted = bits.granted & carried
            }
            if f & Self.preferenceFlag != 0 {
                // Segment's consent event: not audited for collection; its preferences apply below.
            } else if analyticsMask != 0 {
                if carried & analyticsMask != 0 {
                    if granted & analyticsMask == 0 { c.without += 1 }
                } else if known & analyticsMask != 0 {
                    if grant & analyticsMask == 0 { c.without += 1 }
                } else {
                    c.unknown += 1
                }
            } else {
                c.unknown += 1
            }
            if carried != 0 {
                known |= carried
                grant = (grant & ~carried) | granted
            }
        }
        c.known = known
        c.grant = grant & known
        return c
    }

    private mutating func add(_ c: Contribution) { totals.add(c, sign: 1, first: &firstTimes, last: &lastTimes) }
    private mutating func remove(_ c: Contribution) { totals.add(c, sign: -1, first: &firstTimes, last: &lastTimes) }

    /// The store section: the read's counts from `stats` (the follower's), the persons and events from the events
    /// given. `stats` must be of the same events (the follower's ``StoreFollower/stats``).
    public mutating func store(stats: StoreStats) -> StoreSummary {
        settle()
        var s = StoreMetrics.readCounts(stats)
        s.persons = totals.persons
        s.events = totals.kept
        let first = firstTimes.keys.min(), last = lastTimes.keys.max()
        s.firstEvent = first.map { CivilTime.isoTimestamp(ms: $0) }
        s.lastEvent = last.map { CivilTime.isoTimestamp(ms: $0) }
        if let now = options.now ?? last, let last { s.lastEventAgeSeconds = Double(now - last) / 1000 }
        s.deletedPersons = sawDeletion ? totals.deletedPersons : 0
        s.deletedEvents = sawDeletion ? totals.removed : 0
        // The analysis's warning when events carry consent categories but not the analytics category
        // (``ReportBuilder``: after the read's warnings).
        let kept = categories.prefix(64)
        if !kept.isEmpty, categoryIndex[options.analyticsCategory].map({ $0 >= 64 }) ?? true {
            s.warnings.append(ReportBuilder.analyticsCategoryWarning(
                category: options.analyticsCategory, carried: kept.sorted().map { displayName($0) }))
        }
        return s
    }

    /// `C0001 Functional Cookies` when the category has a label, else its name (``EventTable/consentDisplayName(_:)``).
    private func displayName(_ category: String) -> String {
        guard let label = labels[category], !label.isEmpty, label != category else { return category }
        return category + " " + label
    }

    /// The consent section (docs/DEFINITIONS.md, "Consent").
    public mutating func consent() -> ConsentSummary {
        settle()
        var summary = ConsentSummary()
        let t = totals
        summary.analyticsCategory = options.analyticsCategory
        summary.persons = t.counted
        summary.events = t.audited
        summary.eventsWithoutConsent = t.without
        summary.eventsConsentUnknown = t.unknown
        let shown = Array(categories.prefix(64))
        if categoryIndex[options.analyticsCategory].map({ $0 >= 64 }) ?? true, t.audited > 0 {
            summary.analyticsCategoryNote = ConsentMetrics.analyticsCategoryNote(category: options.analyticsCategory, carried: shown)
        }
        summary.categories = shown.indices.map { i in
            var c = CategoryCoverage(name: shown[i], granted: t.granted[i], denied: t.denied[i],
                                     unknown: t.counted - t.granted[i] - t.denied[i], coverage: ratio(t.granted[i], t.counted))
            c.label = labels[shown[i]].flatMap { $0.isEmpty || $0 == shown[i] ? nil : $0 }
            return c
        }.sorted { $0.name < $1.name }
        return summary
    }

    /// `raw` (a report before the privacy guards, of an earlier state of the store) with its store and consent
    /// sections replaced by the live figures. Publish it with ``Privacy/publish(_:policy:)`` as a full report.
    public mutating func patch(_ raw: Report, stats: StoreStats) -> Report {
        var r = raw
        r.store = store(stats: stats)
        // The warnings the analysis added stay in their places: a cut weekly series and unknown time zones after
        // the read's, the segment overlap's last; the analytics category's is the live one.
        let extra = raw.store.warnings.filter {
            !stats.warnings.contains($0) && !$0.hasPrefix("no event carries the analytics consent category ")
        }
        let last = extra.filter { $0.hasPrefix("segment overlap covers the first ") }
        r.store.warnings.insert(contentsOf: extra.filter { !last.contains($0) }, at: min(stats.warnings.count, r.store.warnings.count))
        r.store.warnings += last
        r.consent = consent()
        return r
    }
}

/// Who a row belongs to.
enum PersonKey: Hashable, Sendable {
    case user(String)
    case anon(String)
    case unknown
}

struct Link: Sendable {
    var time: Int64
    var seq: Int32
    var user: String
}

/// What one person adds to the figures.
struct Contribution: Sendable {
    var kept = 0
    var removed = 0
    var deleted = false
    var first: Int64?
    var last: Int64?
    /// Rows at or before the reference time (0: the person is not counted by consent).
    var audited = 0
    var without = 0
    var unknown = 0
    /// Categories the person's state knows, and of those the granted ones.
    var known: UInt64 = 0
    var grant: UInt64 = 0
}

/// The sums of every person's contribution.
struct Totals: Sendable {
    var persons = 0
    var kept = 0
    var removed = 0
    var deletedPersons = 0
    var counted = 0
    var audited = 0
    var without = 0
    var unknown = 0
    var granted = [Int](repeating: 0, count: 64)
    var denied = [Int](repeating: 0, count: 64)

    mutating func add(_ c: Contribution, sign: Int, first: inout [Int64: Int], last: inout [Int64: Int]) {
        if c.kept > 0 { persons += sign }
        kept += sign * c.kept
        removed += sign * c.removed
        if c.deleted { deletedPersons += sign }
        if c.audited > 0 { counted += sign }
        audited += sign * c.audited
        without += sign * c.without
        unknown += sign * c.unknown
        var k = c.known
        while k != 0 {
            let bit = k.trailingZeroBitCount
            k &= k - 1
            if c.grant & (1 << UInt64(bit)) != 0 { granted[bit] += sign } else { denied[bit] += sign }
        }
        if let f = c.first { Self.count(&first, f, sign) }
        if let l = c.last { Self.count(&last, l, sign) }
    }

    static func count(_ d: inout [Int64: Int], _ key: Int64, _ sign: Int) {
        let n = (d[key] ?? 0) + sign
        d[key] = n == 0 ? nil : n
    }
}
