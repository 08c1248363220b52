import Analytics
import EventStore

/// A consent category with its coverage and trend, names already sanitized.
struct CategoryInfo: Sendable, Equatable {
    var name: String
    var rawName: String
    var granted: Int, denied: Int, unknown: Int
    var coverage: Double?
    /// Withheld mark of the coverage.
    var coverageMark: Suppression = .shown
    /// Coverage at the end of each week (nil where it is withheld or the week has no value).
    var trend: [Double?]
    /// Withheld marks of `trend`.
    var trendMarks: [Suppression] = []
    /// Withheld marks of granted, denied, unknown (privacy guard).
    var marks: [Suppression] = [.shown, .shown, .shown]
    /// The persons behind the three figures (the consent persons when one of them is withheld).
    var total: Int
}

/// One feedback loop row (a channel or a survey), label sanitized.
struct LoopInfo: Sendable, Equatable {
    var label: String
    var channel: String
    var isSurvey: Bool
    var stats: LoopStats
    var nps: NPSStats?
}

/// Another segment's overlap with the one in the detail view.
struct OverlapInfo: Sendable, Equatable {
    var name: String
    var size: Int
    var sizeMark: Suppression = .shown
    /// size / this segment's size.
    var ofThis: Double?
    /// size / the other segment's size.
    var ofOther: Double?
}

/// A segment, ready to show.
struct SegmentInfo: Sendable, Equatable {
    var name: String
    /// The name as in the report (what `Effect.computeFilter` carries).
    var rawName: String
    var ruleLines: [String]
    var size: Int
    /// Whether the size is withheld (fewer than k persons).
    var sizeMark: Suppression = .shown
    var share: Double?
    /// Size at each week's end, nil where withheld.
    var weekly: [Double?]
    var weekLabels: [String] = []
    var weekMarks = WeekMarks()
    var firstWeek: String?, lastWeek: String?
    /// Relative change of the size from the week before the last complete week to the last complete week
    /// (partial weeks are never used; nil when there are not two complete weeks or one of them is withheld).
    var change: Double?
    /// The earlier of the two weeks had no members and the later one has some.
    var isNew: Bool
    /// Reachable members per category (same order as ``ViewModel/categories``).
    var reachable: [Int?]
    /// Withheld marks of `reachable`.
    var reachMarks: [Suppression] = []
    var feedback: [LoopInfo]
    var nps: NPSStats
    var overlaps: [OverlapInfo]
    /// The segment comes after ``SegmentMetrics/overlapLimit`` others: its overlaps were not computed.
    var overlapLeftOut = false
}

/// Which weeks of a weekly series the data covers only in part, and which can still change.
struct WeekMarks: Sendable, Equatable {
    /// Weeks the data covers only in part: the first week when the data starts after its Monday 00:00 UTC, and the
    /// week of the reference time while it runs.
    var partial: Set<Int> = []
    /// Weeks whose prompts can still be answered within the response window (their rate is not final).
    var pending: Set<Int> = []

    /// The last week that is not partial, nil when there is none.
    func lastComplete(count: Int) -> Int? { (0..<count).last(where: { !partial.contains($0) }) }

    /// Marks of the weeks `labels` (`2026-W09`) for data from `firstMs` to the reference time `nowMs`, with a response
    /// window of `windowSeconds`. Labels that do not parse are left unmarked.
    static func of(_ labels: [String], firstMs: Int64?, nowMs: Int64?, windowSeconds: Int) -> WeekMarks {
        var m = WeekMarks()
        guard let now = nowMs else { return m }
        for (i, label) in labels.enumerated() {
            guard let w = weekIndex(label) else { continue }
            let start = CivilTime.weekStartMs(w), end = CivilTime.weekStartMs(w + 1)
            if let f = firstMs, f > start, f < end { m.partial.insert(i) }
            if now >= start, now < end - 1 { m.partial.insert(i) }
            if now < start { m.partial.insert(i) }
            if end - 1 + Int64(windowSeconds) * 1000 > now { m.pending.insert(i) }
        }
        return m
    }

    /// The week index (``CivilTime/weekIndex(ofMs:)``) of an ISO week label `YYYY-Www`.
    static func weekIndex(_ label: String) -> Int64? {
        let parts = label.split(separator: "-")
        guard parts.count == 2, let y = Int(parts[0]), parts[1].first == "W", let w = Int(parts[1].dropFirst()),
              (1...53).contains(w), (-100_000...100_000).contains(y) else { return nil }
        // 4 January is always in week 1 of its ISO year.
        let jan4 = CivilTime.days(fromCivil: y, 1, 4)
        return CivilTime.weekIndex(ofMs: jan4 * CivilTime.msPerDay) + Int64(w - 1)
    }
}

/// The weekly series, ready for sparklines: withheld points are nil (not drawn).
struct WeeklyInfo: Sendable, Equatable {
    var weeks: Int = 0
    var labels: [String] = []
    var firstWeek: String?, lastWeek: String?
    var marks = WeekMarks()
    var persons: [Double?] = []
    var prompts: [Double?] = []
    var responseRate: [Double?] = []
    /// Withheld marks of the three series per week.
    var personsMarks: [Suppression] = []
    var promptsMarks: [Suppression] = []
    var rateMarks: [Suppression] = []
}

/// The hour × weekday grid of response rates.
struct HeatmapInfo: Sendable, Equatable {
    /// [weekday 0…6][hour 0…23]: response rate, nil without prompts.
    var rate: [[Double?]] = Array(repeating: Array(repeating: nil, count: 24), count: 7)
    var prompts: [[Int]] = Array(repeating: Array(repeating: 0, count: 24), count: 7)
    var maxRate: Double = 0
    var minRate: Double = 0
    var cellsWithPrompts = 0
    /// The cell with the best rate among cells with at least 5 prompts (weekday 0…6, hour), if any.
    var best: (weekday: Int, hour: Int, rate: Double)?

    static func == (a: HeatmapInfo, b: HeatmapInfo) -> Bool {
        a.rate == b.rate && a.prompts == b.prompts
    }
}

/// A file that was read.
struct FileInfo: Sendable, Equatable {
    var path: String
    var stats: FileSummary
}

/// Everything the views show, derived once from a report when it arrives (sanitized, formatted,
/// sortable), so that a key press never recomputes anything heavy.
struct ViewModel: Sendable {
    /// The privacy guards the report went through (how to write withheld figures).
    var privacy: PrivacySummary
    var source: String
    /// What the views say when there are no segments: the flag that defines them and where earshot looked.
    var segmentsHint: String = RulesOrigin.unknown.emptySegmentsHint
    var loadSeconds: Double
    var store: StoreSummary
    var firstDay: String?, lastDay: String?
    var lastEventEpoch: Int64?
    var categories: [CategoryInfo]
    var analyticsCategory: String
    var eventsWithoutConsent: Int
    var eventsConsentUnknown: Int
    /// The report's note when no event carries the analytics category (nil otherwise).
    var analyticsCategoryMissing: Bool = false
    var segments: [SegmentInfo]
    var loops: [LoopInfo]
    var channels: [LoopInfo]
    var nps: NPSStats
    var unmatchedResponses: Int
    var windowSeconds: Int
    var heatmap: HeatmapInfo
    var weekly: WeeklyInfo
    /// Prompt fatigue, the preferred channel and profile depth (FeedbackAskingPanels.swift), channel names sanitized.
    var fatigue = FatigueSummary()
    var preferred = PreferredChannelSummary()
    var depth = ProfileDepthSummary()
    /// Whether the store has prompts (shown or withheld).
    var hasPrompts = false
    var files: [FileInfo]
    var unknownEvents: [(name: String, count: Int)]
    var knownEventCount: Int
    var warnings: [String]
    var tables: [TableID: TableModel] = [:]
    /// How figures are written under the report's privacy guard.
    var cells: CellText
    /// The Answers view's surveys and questions (``AnswerSurvey/list(_:)``).
    var answerSurveys: [AnswerSurvey]

    init(report r: Report, source: String, loadSeconds: Double, glyphs: Glyphs, categoryIndex: Int,
         rules: RulesOrigin = .unknown) {
        let san = Sanitizer(glyphs: glyphs)
        let fmt = Format(missing: glyphs.missing)
        privacy = r.privacy
        answerSurveys = AnswerSurvey.list(r)
        self.source = san.clean(source)
        self.segmentsHint = san.clean(rules.emptySegmentsHint)
        self.loadSeconds = loadSeconds
        var store = r.store
        store.firstEvent = store.firstEvent.map(san.clean)
        store.lastEvent = store.lastEvent.map(san.clean)
        store.malformedKinds = store.malformedKinds.map { MalformedKind(kind: san.clean($0.kind), count: $0.count) }
        self.store = store
        firstDay = store.firstEvent.map(Format.day)
        lastDay = store.lastEvent.map(Format.day)
        lastEventEpoch = r.store.lastEvent.flatMap(Format.epochSeconds(iso:))

        // Weekly series (withheld points are nil: not drawn) and which weeks are partial or not final.
        windowSeconds = r.feedback.windowSeconds
        fatigue = r.feedback.fatigue
        fatigue.byChannel = Dictionary(r.feedback.fatigue.byChannel.map { (san.clean($0.key), $0.value) }, uniquingKeysWith: { a, _ in a })
        preferred = r.feedback.preferredChannel
        preferred.trait = san.clean(preferred.trait)
        preferred.channels = preferred.channels.map { var c = $0; c.channel = san.clean(c.channel); return c }
        preferred.preferences = preferred.preferences.map { var c = $0; c.channel = san.clean(c.channel); return c }
        depth = r.persons.profileDepth
        hasPrompts = r.feedback.total.prompts > 0 || r.feedback.total.$prompts.isSuppressed
            || r.feedback.fatigue.byOrdinal.contains { $0.counts.prompts > 0 || $0.counts.$prompts.isSuppressed }
        let nowMs = r.now.flatMap(Format.epochMilliseconds(iso:)) ?? r.store.lastEvent.flatMap(Format.epochMilliseconds(iso:))
        let firstMs = r.store.firstEvent.flatMap(Format.epochMilliseconds(iso:))
        var w = WeeklyInfo()
        w.weeks = r.weekly.count
        w.labels = r.weekly.map { san.clean($0.week) }
        w.firstWeek = w.labels.first
        w.lastWeek = w.labels.last
        w.marks = WeekMarks.of(r.weekly.map(\.week), firstMs: firstMs, nowMs: nowMs, windowSeconds: r.feedback.windowSeconds)
        w.persons = r.weekly.map { $0.$personsSeen.isSuppressed ? nil : Double($0.personsSeen) }
        w.prompts = r.weekly.map { $0.$prompts.isSuppressed ? nil : Double($0.prompts) }
        w.responseRate = r.weekly.map { $0.$responseRate.isSuppressed ? nil : $0.responseRate }
        w.personsMarks = r.weekly.map { $0.$personsSeen }
        w.promptsMarks = r.weekly.map { $0.$prompts }
        w.rateMarks = r.weekly.map { $0.$responseRate }
        weekly = w
        let weekMarks = w.marks

        // Consent categories: the report's, then any other category segments mention.
        let extra = Self.categoryNames(r).dropFirst(r.consent.categories.count)
        var cats = r.consent.categories.map { c in
            let marks = [c.$granted, c.$denied, c.$unknown]
            let withheld = marks.contains(where: \.isSuppressed)
            let trendMarks = r.weekly.map { $0.$consentCoverage[c.name] ?? .shown }
            return CategoryInfo(name: san.clean(c.displayName), rawName: c.name, granted: c.granted, denied: c.denied,
                                unknown: c.unknown, coverage: c.coverage, coverageMark: c.$coverage,
                                trend: zip(r.weekly, trendMarks).map { $1.isSuppressed ? nil : $0.consentCoverage[c.name] },
                                trendMarks: trendMarks, marks: marks,
                                total: withheld ? r.consent.persons : c.granted + c.denied + c.unknown)
        }
        for name in extra {
            cats.append(CategoryInfo(name: san.clean(name), rawName: name, granted: 0, denied: 0, unknown: 0,
                                     coverage: nil, trend: r.weekly.map { $0.consentCoverage[name] }, total: 0))
        }
        categories = cats
        analyticsCategory = san.clean(r.consent.analyticsCategory)
        eventsWithoutConsent = r.consent.eventsWithoutConsent
        eventsConsentUnknown = r.consent.eventsConsentUnknown
        analyticsCategoryMissing = r.consent.analyticsCategoryNote != nil

        // Feedback loops: each channel followed by its surveys.
        func loopRows(_ channels: [LoopStats], _ surveys: [LoopStats], npsByChannel: [String: NPSStats],
                      npsBySurvey: [String: NPSStats]) -> [LoopInfo] {
            var rows: [LoopInfo] = []
            var used = Set<Int>()
            for c in channels {
                rows.append(LoopInfo(label: san.clean(c.channel), channel: c.channel, isSurvey: false, stats: c,
                                     nps: npsByChannel[c.channel]))
                for (i, s) in surveys.enumerated() where s.channel == c.channel && !used.contains(i) {
                    used.insert(i)
                    let id = s.surveyID ?? ""
                    rows.append(LoopInfo(label: "  " + san.clean(id), channel: s.channel, isSurvey: true, stats: s,
                                         nps: npsBySurvey[id]))
                }
            }
            for (i, s) in surveys.enumerated() where !used.contains(i) {
                let id = s.surveyID ?? ""
                rows.append(LoopInfo(label: "  " + san.clean(id), channel: s.channel, isSurvey: true, stats: s,
                                     nps: npsBySurvey[id]))
            }
            return rows
        }
        let fb = r.feedback
        loops = loopRows(fb.channels, fb.surveys, npsByChannel: fb.npsByChannel, npsBySurvey: fb.npsBySurvey)
        channels = fb.channels.map {
            LoopInfo(label: san.clean($0.channel), channel: $0.channel, isSurvey: false, stats: $0, nps: fb.npsByChannel[$0.channel])
        }
        nps = fb.nps
        unmatchedResponses = fb.unmatchedResponses

        // Heatmap.
        var h = HeatmapInfo()
        var maxR = 0.0, minR = 1.0
        // Withheld cells (fewer than k prompts or answers) are left empty, like hours without prompts.
        for c in fb.hourWeekday where (1...7).contains(c.weekday) && (0...23).contains(c.hour) && c.prompts > 0
            && !c.$prompts.isSuppressed && !c.$responseRate.isSuppressed {
            let rate = c.responseRate ?? Double(c.answered) / Double(c.prompts)
            h.rate[c.weekday - 1][c.hour] = rate
            h.prompts[c.weekday - 1][c.hour] = c.prompts
            h.cellsWithPrompts += 1
            maxR = max(maxR, rate); minR = min(minR, rate)
            if c.prompts >= 5, rate > (h.best?.rate ?? -1) { h.best = (c.weekday - 1, c.hour, rate) }
        }
        h.maxRate = maxR
        h.minRate = h.cellsWithPrompts > 0 ? minR : 0
        heatmap = h

        // Segments.
        let sizeByName = Dictionary(r.segments.map { ($0.name, $0.$size.isSuppressed ? 0 : $0.size) },
                                    uniquingKeysWith: { a, _ in a })
        // Each segment's pairs, found once (not one pass over all pairs per segment).
        var pairsOf: [String: [SegmentOverlap]] = [:]
        for o in r.overlap {
            pairsOf[o.a, default: []].append(o)
            if o.b != o.a { pairsOf[o.b, default: []].append(o) }
        }
        segments = r.segments.enumerated().map { index, s in
            let sizes = s.weekly.map(\.size)
            let labels = s.weekly.map(\.week)
            let segMarks = labels == r.weekly.map(\.week) ? weekMarks
                : WeekMarks.of(labels, firstMs: firstMs, nowMs: nowMs, windowSeconds: r.feedback.windowSeconds)
            var change: Double?
            var isNew = false
            // 1W CHG: the last complete week against the week before it; partial weeks are never the basis.
            if let last = segMarks.lastComplete(count: sizes.count), last >= 1, !segMarks.partial.contains(last - 1),
               !s.weekly[last].$size.isSuppressed, !s.weekly[last - 1].$size.isSuppressed {
                let prev = sizes[last - 1], now = sizes[last]
                if prev > 0 { change = Double(now - prev) / Double(prev) } else if now > 0 { isNew = true } else { change = 0 }
            }
            var overlaps: [OverlapInfo] = []
            for o in pairsOf[s.name] ?? [] {
                let other = o.a == s.name ? o.b : o.a
                if other == s.name { continue }
                let otherSize = sizeByName[other] ?? 0
                let hidden = o.$size.isSuppressed
                overlaps.append(OverlapInfo(name: san.clean(other), size: o.size, sizeMark: o.$size,
                                            ofThis: !hidden && s.size > 0 && !s.$size.isSuppressed ? Double(o.size) / Double(s.size) : nil,
                                            ofOther: !hidden && otherSize > 0 ? Double(o.size) / Double(otherSize) : nil))
            }
            overlaps.sort { $0.size != $1.size ? $0.size > $1.size : $0.name < $1.name }
            let ruleLines = s.rule.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
                .map { san.clean(String($0)) }
            return SegmentInfo(
                name: san.clean(s.name), rawName: s.name, ruleLines: ruleLines.isEmpty ? [""] : ruleLines,
                size: s.size, sizeMark: s.$size, share: s.share,
                weekly: s.weekly.map { $0.$size.isSuppressed ? nil : Double($0.size) }, weekLabels: labels.map(san.clean),
                weekMarks: segMarks, firstWeek: s.weekly.first.map { san.clean($0.week) }, lastWeek: s.weekly.last.map { san.clean($0.week) },
                change: change, isNew: isNew, reachable: cats.map { s.reachable[$0.rawName] },
                reachMarks: cats.map { s.$reachable[$0.rawName] ?? .shown },
                feedback: loopRows(s.feedback, [], npsByChannel: [:], npsBySurvey: [:]), nps: s.nps, overlaps: overlaps,
                overlapLeftOut: index >= SegmentMetrics.overlapLimit)
        }

        // Data.
        files = r.store.fileList.map { FileInfo(path: san.clean($0.path), stats: $0) }
        unknownEvents = r.eventNames.filter { !$0.known }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.name < $1.name }
            .map { (san.clean($0.name), $0.count) }
        knownEventCount = r.eventNames.filter(\.known).count
        warnings = r.store.warnings.map(san.clean)

        cells = CellText(privacy: r.privacy, format: fmt)
        tables[.segments] = segmentsTable(categoryIndex: categoryIndex)
        tables[.feedback] = FeedbackTable.model(loops, cells: cells)
        tables[.consent] = ConsentTable.model(segments: segments, categories: categories, persons: store.persons,
                                              personsMark: store.$persons, cells: cells)
        tables[.malformed] = DataTables.malformed(r.store.malformedLines, sanitizer: san)
        tables[.files] = DataTables.files(files, warnings: warnings)
        tables[.unknownEvents] = DataTables.unknownEvents(unknownEvents)
        tables[.loops] = LoopsTable.model(r.loops, cells: cells, sanitizer: san)
        tables[.answerSurveys] = AnswersTable.surveysModel(answerSurveys, cells: cells, sanitizer: san, glyphs: glyphs)
        // The selected survey's questions (`.answerQuestions`) depend on the selection: AppState.refreshAnswerQuestions.
    }

    /// Category names in display order: the report's categories, then others that segments mention (sorted).
    static func categoryNames(_ r: Report) -> [String] {
        let known = r.consent.categories.map(\.name)
        let extra = Set(r.segments.flatMap { $0.reachable.keys }).subtracting(known).sorted()
        return known + extra
    }

    // MARK: tables (each built beside its view: Views/SegmentsTable.swift, FeedbackTable.swift, ConsentTable.swift,
    // DataTables.swift)

    /// The segment list; the Reachable column shows the category at `categoryIndex`.
    func segmentsTable(categoryIndex: Int) -> TableModel {
        SegmentsTable.model(segments, categories: categories, categoryIndex: categoryIndex, cells: cells, emptyMessage: segmentsHint)
    }

    /// A count as shown: the number, or `<5` / `hidden` when the privacy guard withheld it.
    func count(_ n: Int, _ mark: Suppression) -> String { cells.count(n, mark) }

    /// How a share or rate the privacy guard withheld is written, everywhere (`—` means "no value", never this).
    var withheldShare: String { cells.withheldShare }

    /// A share or rate as shown (``CellText/percent(_:_:withheld:)``).
    func percent(_ v: Double?, _ mark: Suppression = .shown, withheld: Bool = false, _ fmt: Format) -> String {
        cells.percent(v, mark, withheld: withheld)
    }

    /// Like ``percent(_:_:withheld:_:)`` with no decimals.
    func percent0(_ v: Double?, _ mark: Suppression = .shown, withheld: Bool = false, _ fmt: Format) -> String {
        cells.percent0(v, mark, withheld: withheld)
    }

    // MARK: roles

    /// Response rates: below 10% is a warning, from 30% good.
    static func rateRole(_ r: Double?) -> StyleRole {
        guard let r else { return .muted }
        return r >= 0.3 ? .good : (r < 0.1 ? .warn : .normal)
    }

    /// Coverage: below 50% warn, from 80% good.
    static func coverageRole(_ c: Double?) -> StyleRole {
        guard let c else { return .muted }
        return c >= 0.8 ? .good : (c < 0.5 ? .warn : .normal)
    }

    static func npsRole(_ n: Double?) -> StyleRole {
        guard let n else { return .muted }
        return n >= 30 ? .good : (n < 0 ? .bad : .normal)
    }
}

extension String {
    var trimmingLeadingSpaces: String { String(drop(while: { $0 == " " })) }
}
