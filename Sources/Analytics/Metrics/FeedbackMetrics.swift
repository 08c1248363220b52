import EventStore

/// Feedback loops: survey prompts, their answers and dismissals, NPS, and the local
/// hour × weekday grid of prompts.
///
/// Definitions: docs/DEFINITIONS.md, "Feedback" and "NPS".
public enum FeedbackMetrics {
    /// Track event names of a survey prompt (Segment-style, then PostHog's): the schema's defaults.
    public static let promptNames = FeedbackSchema.defaultPromptEvents
    /// Track event names of a survey response.
    public static let responseNames = FeedbackSchema.defaultAnswerEvents
    /// Track event names of a dismissed survey.
    public static let dismissalNames = FeedbackSchema.defaultDismissalEvents

    /// The feedback summary over the persons in `persons` (all when nil) and events at or
    /// before the reference time.
    public static func compute(table: EventTable, options: AnalysisOptions, persons: PersonSet? = nil) -> FeedbackSummary {
        analyze(AnalysisScope(table: table, options: options, persons: persons)).summary
    }

    static func analyze(_ scope: AnalysisScope) -> FeedbackAnalysis {
        var run = FeedbackRun(scope: scope)
        let table = scope.table
        // The per-row columns the pass reads for every row, pinned once for the pass (no per-row bounds checks,
        // reference counting or generic column subscripts).
        // Over the whole table, the survey events' rows are marked first from scans of the name codes
        // (FeedbackRun.roleMarks), so that the pass skips every other row with a byte test; a filter's pass keeps to
        // its persons' rows (a scan of the whole table per filter would cost time proportional to the store).
        let marks = scope.filter == nil ? run.roleMarks() : []
        table.kind.withUnsafeBufferPointer { kinds in
            table.name.withUnsafeBufferPointer { names in
                table.timezone.withUnsafeBufferPointer { zones in
                    marks.withUnsafeBufferPointer { marks in
                        let columns = FeedbackRun.RowColumns(kind: kinds, name: names, timezone: zones,
                                                             marks: scope.filter == nil ? marks : nil)
                        scope.forEachPerson { p, rows in run.person(p, rows, columns) }
                    }
                }
            }
        }
        return run.finish()
    }
}

/// The summary plus the per-prompt facts the weekly series needs.
struct FeedbackAnalysis {
    var summary: FeedbackSummary
    /// Time of every prompt in scope.
    var promptTime: [Int64]
    /// Whether that prompt was answered.
    var promptAnswered: [Bool]
    /// Per prompt (same order: by person, then the person's event order): the person, the channel key (into
    /// `channelNames`) and the local hour × weekday cell (`(weekday − 1) × 24 + hour`).
    var promptPerson: [Int32] = []
    var promptChannel: [Int32] = []
    var promptCell: [UInt8] = []
    /// Per prompt: milliseconds from the prompt to its first matched answer, -1 when unanswered.
    var promptDelay: [Int64] = []
    /// Per dismissal (by person, then the person's event order): the person and the channel key.
    var dismissalPerson: [Int32] = []
    var dismissalChannel: [Int32] = []
    /// Per NPS score counted in ``FeedbackSummary/nps`` (same order): the person and the score.
    var scorePerson: [Int32] = []
    var score: [Int8] = []
    /// Channel names by key.
    var channelNames: [String] = []
    /// The distinct questions each person answered, with the time of the first answer (ProfileDepthMetrics.swift).
    var depth = DepthRecorder()
}

private struct SubmissionKey: Hashable {
    var survey: Int32
    var submission: Int32
}

private enum Role: UInt8 { case prompt = 0, response = 1, dismissal = 2 }

private struct SurveyEvent {
    var time: Int64
    var role: Role
    var survey: Int32
    /// -1 when the event has no channel.
    var channel: Int32
    var row: Int32
    /// Effective time zone of a prompt (own, else the person's latest earlier one), -1 = UTC.
    var zone: Int32
    var order: Int32
    /// PostHog's `$survey_submission_id` of a response (interned), -1 when absent.
    var submission: Int32 = -1
}

/// One pass over the rows; state kept between persons.
private struct FeedbackRun {
    let scope: AnalysisScope
    let table: EventTable
    let window: Int64
    let promptIDs: [Int32], responseIDs: [Int32], dismissalIDs: [Int32]
    var fields: SurveyFields
    var clock: LocalClock
    var buffer: [SurveyEvent] = []
    let catalog: SurveyCatalog
    /// Per survey key: 1 = the catalog declares it NPS, 0 = declared and not NPS, -1 = not in the catalog.
    var catalogNPS: [Int8] = []
    /// Per buffered event: superseded by a later response of the same submission (PostHog resubmissions).
    var superseded: [Bool] = []
    var answerReader: AnswerReader
    var answerStats: AnswerAccumulator
    var plainAnswers: PlainAnswerFields
    /// Per survey key: the id of the catalog's NPS question ("" when none or not in the catalog).
    var npsQuestion: [String] = []
    /// Distinct questions answered per person (profile depth).
    var depth = DepthRecorder()

    // Prompts, in person order.
    var pTime: [Int64] = []
    var pPerson: [Int32] = []
    var pSurvey: [Int32] = []
    var pChannel: [Int32] = []
    var pAnswered: [Bool] = []
    var pDelay: [Int64] = []
    var pCell: [UInt8] = []
    var pRow: [Int32] = []

    // Latest prompt per survey of the current person (valid when owner == person).
    var lastPrompt: [Int32] = []
    var lastPromptOwner: [Int32] = []

    // Dismissals and NPS scores by person (``FeedbackFacts``).
    var dPerson: [Int32] = [], dChannel: [Int32] = []
    var sPerson: [Int32] = [], sScore: [Int8] = []

    // Dismissals by channel / survey key.
    var dismissedByChannel: [Int32: Int] = [:]
    var dismissedBySurvey: [Int32: Int] = [:]

    var responses = 0
    var unmatched = 0
    var nps = NPSCounter()
    var npsByChannel: [Int32: NPSCounter] = [:]
    var npsBySurvey: [Int32: NPSCounter] = [:]

    init(scope: AnalysisScope) {
        self.scope = scope
        table = scope.table
        window = scope.options.window
        func ids(_ names: [String]) -> [Int32] { names.compactMap { scope.table.strings.lookup($0) } }
        let schema = scope.options.feedback
        promptIDs = ids(schema.promptEvents)
        responseIDs = ids(schema.answerEvents)
        dismissalIDs = ids(schema.dismissalEvents)
        fields = SurveyFields(table: scope.table, schema: schema)
        catalog = schema.catalog
        answerReader = AnswerReader(table: scope.table, catalog: schema.catalog)
        answerStats = AnswerAccumulator(catalog: schema.catalog, strings: scope.table.strings)
        plainAnswers = PlainAnswerFields(table: scope.table, schema: schema)
        clock = LocalClock(strings: scope.table.strings)
    }

    @inline(__always) private func role(_ name: Int32) -> Role? {
        if promptIDs.contains(name) { return .prompt }
        if responseIDs.contains(name) { return .response }
        if dismissalIDs.contains(name) { return .dismissal }
        return nil
    }

    /// The row columns every row of the pass reads, over the table's memory (valid during ``FeedbackMetrics/analyze(_:)``).
    struct RowColumns {
        let kind: UnsafeBufferPointer<EventKind>
        let name: CodedColumn<Int32>.UnsafeValues
        let timezone: CodedColumn<Int32>.UnsafeValues
        /// Per row, ``roleMarks()`` (nil: test every row's kind and name).
        let marks: UnsafeBufferPointer<UInt8>?
    }

    /// Per row of the table: 1 + the ``Role`` of the row's name when it names a prompt, a response or a dismissal
    /// (``role(_:)``, the same test as the row-by-row pass), else 0 — one pass over the name codes, the role asked
    /// once per distinct name (``CodedColumn/rowMarks(_:)``). Whether the row is a track call is still tested in ``person(_:_:_:)``.
    func roleMarks() -> [UInt8] {
        table.name.rowMarks { name in role(name).map { $0.rawValue + 1 } ?? 0 }
    }

    mutating func person(_ p: Int, _ rows: Range<Int>, _ columns: RowColumns) {
        if promptIDs.isEmpty && responseIDs.isEmpty && dismissalIDs.isEmpty { return }
        buffer.removeAll(keepingCapacity: true)
        var lastZone: Int32 = -1
        if let marks = columns.marks {
            // Only the marked rows; the latest zone before a row without one is found by a cursor over the person's
            // rows that never goes back (`zoneRow`: the rows before it are in `lastZone`).
            var zoneRow = rows.lowerBound
            for r in rows where marks[r] != 0 && columns.kind[r] == .track {
                let role = Role(rawValue: marks[r] - 1)!
                var zone = columns.timezone[r]
                if zone < 0 {
                    while zoneRow < r {
                        let z = columns.timezone[zoneRow]
                        if z >= 0 { lastZone = z }
                        zoneRow += 1
                    }
                    zone = lastZone
                }
                buffer.append(SurveyEvent(time: table.time[r], role: role, survey: fields.survey(r), channel: fields.channel(r),
                                          row: Int32(r), zone: zone, order: Int32(buffer.count),
                                          submission: role == .response ? fields.submission(r) : -1))
            }
        } else {
            for r in rows {
                let zone = columns.timezone[r]
                if columns.kind[r] == .track, let role = role(columns.name[r]) {
                    let ev = SurveyEvent(time: table.time[r], role: role, survey: fields.survey(r), channel: fields.channel(r),
                                         row: Int32(r), zone: zone >= 0 ? zone : lastZone, order: Int32(buffer.count),
                                         submission: role == .response ? fields.submission(r) : -1)
                    buffer.append(ev)
                }
                if zone >= 0 { lastZone = zone }
            }
        }
        if buffer.isEmpty { return }
        // Prompts first among events of the same millisecond: a response at the prompt's ms answers it.
        var needsSort = false
        for i in buffer.indices.dropFirst() where buffer[i].time == buffer[i - 1].time
            && buffer[i].role == .prompt && buffer[i - 1].role != .prompt { needsSort = true; break }
        if needsSort {
            buffer.sort { ($0.time, $0.role == .prompt ? 0 : 1, $0.order) < ($1.time, $1.role == .prompt ? 0 : 1, $1.order) }
        }
        markSuperseded()
        let surveyCount = fields.surveys.names.count
        while catalogNPS.count < surveyCount {
            let entry = catalog.surveys[fields.surveys.names[catalogNPS.count]]
            catalogNPS.append(entry.map { $0.isNPS ? 1 : 0 } ?? -1)
            npsQuestion.append(entry?.questions.first { $0.type == .nps }?.id ?? "")
        }
        if lastPrompt.count < surveyCount {
            lastPrompt.append(contentsOf: repeatElement(-1, count: surveyCount - lastPrompt.count))
            lastPromptOwner.append(contentsOf: repeatElement(-1, count: surveyCount - lastPromptOwner.count))
        }
        let person = Int32(p)
        depth.begin(person: person)
        for (k, e) in buffer.enumerated() {
            if superseded[k] { continue }
            let s = Int(e.survey)
            let latest: Int? = lastPromptOwner[s] == person ? Int(lastPrompt[s]) : nil
            switch e.role {
            case .prompt:
                let i = pTime.count
                let channel = e.channel >= 0 ? e.channel : fields.unknownChannel
                let (weekday, hour) = clock.weekdayHour(ms: e.time, zoneID: e.zone)
                pTime.append(e.time); pPerson.append(person); pSurvey.append(e.survey); pChannel.append(channel)
                pAnswered.append(false); pDelay.append(-1); pCell.append(UInt8((weekday - 1) * 24 + hour))
                pRow.append(e.row)
                lastPrompt[s] = Int32(i); lastPromptOwner[s] = person
                if !answerStats.funnels.isEmpty { answerStats.prompted(survey: e.survey, name: fields.surveys.names[s], person: person) }
            case .response:
                responses += 1
                var matched: Int? = nil
                if let lp = latest, e.time - pTime[lp] <= window {
                    matched = lp
                    if !pAnswered[lp] { pAnswered[lp] = true; pDelay[lp] = e.time - pTime[lp] }
                } else {
                    unmatched += 1
                }
                var npsAnswer: Int?? = nil   // nil: the catalog names no NPS question answered here
                var answeredAny = false
                for a in answers(row: Int(e.row), survey: s) {
                    if depth.note(survey: e.survey, question: a.question, value: a.value, time: e.time) { answeredAny = true }
                    answerStats.add(survey: e.survey, name: fields.surveys.names[s], question: a.question, value: a.value, row: e.row,
                                    time: e.time, person: person)
                    if !npsQuestion[s].isEmpty && a.question == npsQuestion[s] { npsAnswer = .some(fields.score(value: a.value)) }
                }
                if !answeredAny { depth.noteSurvey(e.survey, time: e.time) }
                let scored: Int? = npsAnswer ?? fields.score(Int(e.row))
                if let score = scored, isNPS(e, survey: s, latestPrompt: latest) {
                    let channel = e.channel >= 0 ? e.channel : (matched.map { pChannel[$0] } ?? fields.unknownChannel)
                    nps.add(score)
                    sPerson.append(person); sScore.append(Int8(score))
                    npsByChannel[channel, default: NPSCounter()].add(score)
                    npsBySurvey[e.survey, default: NPSCounter()].add(score)
                }
            case .dismissal:
                let channel = e.channel >= 0 ? e.channel : (latest.map { pChannel[$0] } ?? fields.unknownChannel)
                dismissedByChannel[channel, default: 0] += 1
                dPerson.append(person); dChannel.append(channel)
                dismissedBySurvey[e.survey, default: 0] += 1
            }
        }
    }

    /// The answers of response row `r` (docs/DEFINITIONS.md, "Answers"): its captured answer keys, else, for a
    /// survey of the catalog, its built-in score and answer fields.
    mutating func answers(row r: Int, survey s: Int) -> [(question: String, value: PropValue)] {
        let name = fields.surveys.names[s]
        if !table.answerRow.isEmpty {
            let captured = answerReader.answers(row: r, survey: name)
            if !captured.isEmpty { return captured }
        }
        guard let declared = catalog.surveys[name] else { return [] }
        return plainAnswers.answers(row: r, survey: declared)
    }

    /// Marks every response that a later response of the same person, survey and submission id supersedes:
    /// only the latest event of a submission counts (PostHog sends a partial response, then the complete one,
    /// with one `$survey_submission_id`; a resubmission reuses it too).
    mutating func markSuperseded() {
        superseded.removeAll(keepingCapacity: true)
        superseded.append(contentsOf: repeatElement(false, count: buffer.count))
        var latest: [SubmissionKey: Int] = [:]
        for (k, e) in buffer.enumerated() where e.role == .response && e.submission >= 0 {
            let key = SubmissionKey(survey: e.survey, submission: e.submission)
            if let earlier = latest[key] { superseded[earlier] = true }
            latest[key] = k
        }
    }

    /// Whether a response's score is an NPS score (docs/DEFINITIONS.md, "NPS"): the catalog's declaration of
    /// its survey, else the survey type on the response, else on the latest prompt of its survey at or before
    /// it; without any declaration, yes.
    mutating func isNPS(_ e: SurveyEvent, survey s: Int, latestPrompt: Int?) -> Bool {
        let declared = catalogNPS[s]
        if declared >= 0 { return declared == 1 }
        let own = fields.declaredNPS(Int(e.row))
        if own >= 0 { return own == 1 }
        if let lp = latestPrompt {
            let prompt = fields.declaredNPS(Int(pRow[lp]))
            if prompt >= 0 { return prompt == 1 }
        }
        return true
    }

    mutating func finish() -> FeedbackAnalysis {
        let channelNames = fields.channels.names
        let surveyNames = fields.surveys.names
        // Keys are dense: accumulate in arrays indexed by key; a loop is reported when it has a prompt or a dismissal.
        var byChannel = [LoopAccumulator](repeating: LoopAccumulator(), count: channelNames.count)
        var bySurvey = [LoopAccumulator](repeating: LoopAccumulator(), count: surveyNames.count)
        var channelUsed = [Bool](repeating: false, count: channelNames.count)
        var surveyUsed = [Bool](repeating: false, count: surveyNames.count)
        var total = LoopAccumulator()
        var cells = [(prompts: Int, answered: Int)](repeating: (0, 0), count: 7 * 24)
        for i in pTime.indices {
            let ch = Int(pChannel[i]), sv = Int(pSurvey[i])
            byChannel[ch].addPrompt(person: pPerson[i], answered: pAnswered[i], delay: pDelay[i])
            bySurvey[sv].addPrompt(person: pPerson[i], answered: pAnswered[i], delay: pDelay[i], channel: pChannel[i])
            channelUsed[ch] = true
            surveyUsed[sv] = true
            total.addPrompt(person: pPerson[i], answered: pAnswered[i], delay: pDelay[i])
            let c = Int(pCell[i])
            cells[c].prompts += 1
            if pAnswered[i] { cells[c].answered += 1 }
        }
        for (k, n) in dismissedByChannel { byChannel[Int(k)].dismissed += n; channelUsed[Int(k)] = true; total.dismissed += n }
        for (k, n) in dismissedBySurvey { bySurvey[Int(k)].dismissed += n; surveyUsed[Int(k)] = true }

        var summary = FeedbackSummary()
        summary.windowSeconds = Int(window / 1000)
        summary.channels = channelNames.indices.filter { channelUsed[$0] }
            .map { byChannel[$0].stats(channel: channelNames[$0], surveyID: nil) }
            .sorted { $0.channel < $1.channel }
        summary.surveys = surveyNames.indices.filter { surveyUsed[$0] }
            .map { bySurvey[$0].stats(channel: bySurvey[$0].majorityChannel(names: channelNames), surveyID: surveyNames[$0]) }
            .sorted { $0.surveyID! < $1.surveyID! }
        summary.total = total.stats(channel: "all", surveyID: nil)
        summary.responses = responses
        summary.unmatchedResponses = unmatched
        summary.nps = nps.stats
        summary.npsByChannel = Dictionary(uniqueKeysWithValues: npsByChannel.map { (channelNames[Int($0.key)], $0.value.stats) })
        summary.npsBySurvey = Dictionary(uniqueKeysWithValues: npsBySurvey.map { (surveyNames[Int($0.key)], $0.value.stats) })
        summary.hourWeekday = cells.indices.compactMap { c in
            let cell = cells[c]
            guard cell.prompts > 0 else { return nil }
            return HourWeekdayCell(weekday: c / 24 + 1, hour: c % 24, prompts: cell.prompts, answered: cell.answered,
                                   responseRate: ratio(cell.answered, cell.prompts))
        }
        summary.promptsUnknownTimezone = clock.unknownZoneUses
        summary.questions = answerStats.stats()
        summary.questionFunnels = answerStats.funnelStats()
        return FeedbackAnalysis(summary: summary, promptTime: pTime, promptAnswered: pAnswered, promptPerson: pPerson,
                                promptChannel: pChannel, promptCell: pCell, promptDelay: pDelay,
                                dismissalPerson: dPerson, dismissalChannel: dChannel, scorePerson: sPerson, score: sScore,
                                channelNames: channelNames, depth: depth)
    }
}

/// Counts of one feedback loop while prompts stream in (persons contiguous).
private struct LoopAccumulator {
    var prompts = 0
    var answered = 0
    var personsPrompted = 0
    var personsAnswered = 0
    var lastPrompted: Int32 = -1
    var lastAnswered: Int32 = -1
    var delays: [Int64] = []
    var dismissed = 0
    var channelCounts: [Int32: Int] = [:]

    mutating func addPrompt(person: Int32, answered isAnswered: Bool, delay: Int64, channel: Int32? = nil) {
        prompts += 1
        if lastPrompted != person { personsPrompted += 1; lastPrompted = person }
        if isAnswered {
            answered += 1
            delays.append(delay)
            if lastAnswered != person { personsAnswered += 1; lastAnswered = person }
        }
        if let channel { channelCounts[channel, default: 0] += 1 }
    }

    /// The most frequent channel among the prompts, ties to the alphabetically first; `unknown` without prompts.
    func majorityChannel(names: [String]) -> String {
        var best: (name: String, count: Int)? = nil
        for (k, n) in channelCounts {
            let name = names[Int(k)]
            if best == nil || n > best!.count || (n == best!.count && name < best!.name) { best = (name, n) }
        }
        return best?.name ?? "unknown"
    }

    func stats(channel: String, surveyID: String?) -> LoopStats {
        var s = LoopStats(channel: channel, surveyID: surveyID)
        s.prompts = prompts
        s.answered = answered
        s.responseRate = ratio(answered, prompts)
        s.personsPrompted = personsPrompted
        s.personsAnswered = personsAnswered
        s.personResponseRate = ratio(personsAnswered, personsPrompted)
        s.dismissed = dismissed
        s.dismissalRate = ratio(dismissed, prompts)
        s.medianSecondsToAnswer = median(delays).map { $0 / 1000 }
        return s
    }
}

/// The median of integer values as a Double (mean of the two middle values for an even count), nil when empty.
///
/// The middle values are found by selection (``selectKth(_:_:)``, linear on average) instead of a full sort: the
/// same two integers, so the same `Double` (docs/PERFORMANCE.md, "session 7, analysis"; `MedianTests`).
func median(_ values: [Int64]) -> Double? {
    guard !values.isEmpty else { return nil }
    let n = values.count
    if n <= 16 {
        let v = values.sorted()
        return n % 2 == 1 ? Double(v[n / 2]) : (Double(v[n / 2 - 1]) + Double(v[n / 2])) / 2
    }
    var v = values
    return v.withUnsafeMutableBufferPointer { b in
        let upper = selectKth(b, n / 2)
        guard n % 2 == 0 else { return Double(upper) }
        // The values before position n/2 are the n/2 smallest: the largest of them is the lower middle value.
        var lower = b[0]
        for i in 1 ..< n / 2 where b[i] > lower { lower = b[i] }
        return (Double(lower) + Double(upper)) / 2
    }
}

/// The `k`-th smallest value of `b` (0-based), with `b` rearranged so that `b[..<k]` holds the `k` smallest values
/// and `b[k]` that value: quickselect with a three-way partition (runs of equal values, common among delays, are
/// settled at once) around the median of three; after too many rounds (an adversarial order) the rest is sorted,
/// so it never degrades past `n log n`.
func selectKth(_ b: UnsafeMutableBufferPointer<Int64>, _ k: Int) -> Int64 {
    var lo = 0, hi = b.count   // the k-th smallest is in b[lo ..< hi]
    var rounds = 2 * (Int.bitWidth - b.count.leadingZeroBitCount) + 8
    while hi - lo > 16 && rounds > 0 {
        rounds -= 1
        let a = b[lo], m = b[lo + (hi - lo) / 2], z = b[hi - 1]
        let pivot = max(min(a, m), min(max(a, m), z))
        // b[lo ..< lt] < pivot, b[lt ..< i] == pivot, b[gt ..< hi] > pivot.
        var lt = lo, i = lo, gt = hi
        while i < gt {
            let x = b[i]
            if x < pivot {
                b.swapAt(lt, i); lt += 1; i += 1
            } else if x > pivot {
                gt -= 1; b.swapAt(i, gt)
            } else {
                i += 1
            }
        }
        if k < lt { hi = lt } else if k >= gt { lo = gt } else { return pivot }
    }
    var rest = UnsafeMutableBufferPointer(rebasing: b[lo ..< hi])
    rest.sort()
    return b[k]
}

/// Every person's own contribution to the feedback loops by channel and to the NPS, from one pass over the whole
/// table, so that the loops of any person set (each segment of a filtered report) are summed from its members'
/// prompts, dismissals and scores instead of a pass over their rows: time proportional to those records.
///
/// Exact because a person's prompts, their answers and delays, dismissals and NPS scores depend on that person's
/// rows only (``FeedbackRun`` keeps no state across persons that changes them), and every figure of a loop is a
/// sum, a count of distinct persons or a median over those records (`FilteredReportPropertyTests`).
struct FeedbackFacts: Sendable {
    let channelNames: [String]
    /// `promptStart[p] ..< promptStart[p + 1]`: person `p`'s prompts (likewise dismissals and scores).
    let promptStart: [Int32], promptChannel: [Int32], promptAnswered: [Bool], promptDelay: [Int64]
    let dismissalStart: [Int32], dismissalChannel: [Int32]
    let scoreStart: [Int32], score: [Int8]

    /// The facts of `analysis` (a pass over the persons of a table of `personCount` persons).
    init(_ analysis: FeedbackAnalysis, personCount: Int) {
        func starts(_ person: [Int32]) -> [Int32] {
            var start = [Int32](repeating: 0, count: personCount + 1)
            for p in person { start[Int(p) + 1] += 1 }
            for p in 0 ..< personCount { start[p + 1] += start[p] }
            return start
        }
        // Records come grouped by person in ascending person order, so a prefix sum of the counts indexes them.
        channelNames = analysis.channelNames
        promptStart = starts(analysis.promptPerson)
        promptChannel = analysis.promptChannel; promptAnswered = analysis.promptAnswered; promptDelay = analysis.promptDelay
        dismissalStart = starts(analysis.dismissalPerson); dismissalChannel = analysis.dismissalChannel
        scoreStart = starts(analysis.scorePerson); score = analysis.score
    }

    /// The loops by channel and the NPS of the members of `set`: what
    /// `FeedbackMetrics.compute(table:options:persons: set)` gives as `channels` and `nps`.
    func loops(of set: PersonSet) -> ([LoopStats], NPSStats) {
        var byChannel = [LoopAccumulator](repeating: LoopAccumulator(), count: channelNames.count)
        var used = [Bool](repeating: false, count: channelNames.count)
        var nps = NPSCounter()
        set.forEachMember { p in
            for i in Int(promptStart[p]) ..< Int(promptStart[p + 1]) {
                let ch = Int(promptChannel[i])
                byChannel[ch].addPrompt(person: Int32(p), answered: promptAnswered[i], delay: promptDelay[i])
                used[ch] = true
            }
            for i in Int(dismissalStart[p]) ..< Int(dismissalStart[p + 1]) {
                let ch = Int(dismissalChannel[i])
                byChannel[ch].dismissed += 1
                used[ch] = true
            }
            for i in Int(scoreStart[p]) ..< Int(scoreStart[p + 1]) { nps.add(Int(score[i])) }
        }
        let channels = channelNames.indices.filter { used[$0] }
            .map { byChannel[$0].stats(channel: channelNames[$0], surveyID: nil) }
            .sorted { $0.channel < $1.channel }
        return (channels, nps.stats)
    }
}
