import Analytics
import EventStore
import Foundation

extension EngineReport {
    /// The feedback summary (loops per channel and survey, responses, NPS, hour × weekday) from the integer rows of
    /// FeedbackSQL.swift, with the embedded engine's definitions (`FeedbackMetrics`): rates, the majority channel of a
    /// survey, the median (mean of the two middle times to answer) and the NPS are computed here. Also returns the
    /// number of prompts whose zone earshot knows but Spark's Java does not (their cell is the UTC one).
    static func feedback(result: EngineResult, options: AnalysisOptions) -> (summary: FeedbackSummary, unknownZone: Int, javaUnknownZone: Int) {
        var summary = FeedbackSummary()
        summary.windowSeconds = Int(options.window / 1000)
        func stats(_ row: [String: Any], channel: String, survey: String?) -> LoopStats { loopStats(row, channel: channel, survey: survey) }
        var channels: [String: LoopStats] = [:]
        var surveys: [String: LoopStats] = [:]
        for row in result.rows["feedback_loops"] ?? [] {
            let key = row["gkey"] as? String ?? ""
            switch row["g"] as? String {
            case "all"?: summary.total = stats(row, channel: "all", survey: nil)
            case "channel"?: channels[key] = stats(row, channel: key, survey: nil)
            case "survey"?: surveys[key] = stats(row, channel: "unknown", survey: key)
            default: break
            }
        }
        // A survey's channel: the most frequent among its prompts, ties to the alphabetically first.
        var best: [String: (name: String, count: Int)] = [:]
        for row in result.rows["feedback_survey_channels"] ?? [] {
            guard let survey = row["survey"] as? String, let channel = row["channel"] as? String else { continue }
            let n = EngineResult.int(row["prompts"])
            if let b = best[survey], b.count > n || (b.count == n && b.name < channel) { continue }
            best[survey] = (channel, n)
        }
        for (survey, b) in best { surveys[survey]?.channel = b.name }
        for row in result.rows["feedback_dismissed"] ?? [] {
            guard let survey = row["survey"] as? String, let channel = row["channel"] as? String else { continue }
            let n = EngineResult.int(row["dismissed"])
            channels[channel, default: LoopStats(channel: channel)].dismissed += n
            surveys[survey, default: LoopStats(channel: "unknown", surveyID: survey)].dismissed += n
            summary.total.dismissed += n
        }
        for k in channels.keys { channels[k]!.dismissalRate = rate(channels[k]!.dismissed, channels[k]!.prompts) }
        for k in surveys.keys { surveys[k]!.dismissalRate = rate(surveys[k]!.dismissed, surveys[k]!.prompts) }
        summary.total.dismissalRate = rate(summary.total.dismissed, summary.total.prompts)
        summary.channels = channels.values.sorted { $0.channel < $1.channel }
        summary.surveys = surveys.values.sorted { $0.surveyID! < $1.surveyID! }
        summary.responses = result.int("feedback_responses", "responses")
        summary.unmatchedResponses = result.int("feedback_responses", "unmatched")

        // NPS: scored responses by survey and channel.
        var total = (0, 0, 0)
        var byChannel: [String: (Int, Int, Int)] = [:], bySurvey: [String: (Int, Int, Int)] = [:]
        for row in result.rows["feedback_nps"] ?? [] {
            guard let survey = row["survey"] as? String, let channel = row["channel"] as? String else { continue }
            let p = EngineResult.int(row["promoters"]), m = EngineResult.int(row["passives"])
            let d = EngineResult.int(row["detractors"])
            func add(_ t: inout (Int, Int, Int)) { t.0 += p; t.1 += m; t.2 += d }
            add(&total)
            add(&byChannel[channel, default: (0, 0, 0)])
            add(&bySurvey[survey, default: (0, 0, 0)])
        }
        func nps(_ t: (Int, Int, Int)) -> NPSStats { NPSStats.from(promoters: t.0, passives: t.1, detractors: t.2) }
        summary.nps = nps(total)
        summary.npsByChannel = byChannel.mapValues(nps)
        summary.npsBySurvey = bySurvey.mapValues(nps)

        // Hour × weekday: earshot's zone rules decide which cell a prompt's row counts in.
        var cells = [(prompts: Int, answered: Int)](repeating: (0, 0), count: 7 * 24)
        var zones = ZoneCells()
        var unknownZone = 0, javaUnknown = 0
        for row in result.rows["feedback_hour_weekday"] ?? [] {
            let prompts = EngineResult.int(row["prompts"]), answered = EngineResult.int(row["answered"])
            let (cell, zone) = zones.cell(of: row)
            if zone == .unknownToEarshot { unknownZone += prompts } else if zone == .unknownToJava { javaUnknown += prompts }
            guard cells.indices.contains(cell) else { continue }
            cells[cell].prompts += prompts
            cells[cell].answered += answered
        }
        summary.hourWeekday = cells.indices.compactMap { c in
            let cell = cells[c]
            guard cell.prompts > 0 else { return nil }
            return HourWeekdayCell(weekday: c / 24 + 1, hour: c % 24, prompts: cell.prompts, answered: cell.answered,
                                   responseRate: rate(cell.answered, cell.prompts))
        }
        summary.promptsUnknownTimezone = unknownZone
        return (summary, unknownZone, javaUnknown)
    }

    /// One loop's figures from a row of prompts, answered, persons prompted and answered and the two middle times to
    /// answer (`median_low`, `median_high`, ms): rates and the median (their mean) computed here.
    static func loopStats(_ row: [String: Any], channel: String, survey: String?) -> LoopStats {
        var s = LoopStats(channel: channel, surveyID: survey)
        s.prompts = EngineResult.int(row["prompts"])
        s.answered = EngineResult.int(row["answered"])
        s.responseRate = rate(s.answered, s.prompts)
        s.personsPrompted = EngineResult.int(row["persons_prompted"])
        s.personsAnswered = EngineResult.int(row["persons_answered"])
        s.personResponseRate = rate(s.personsAnswered, s.personsPrompted)
        if let low = EngineResult.int64(row["median_low"]), let high = EngineResult.int64(row["median_high"]) {
            s.medianSecondsToAnswer = (Double(low) + Double(high)) / 2 / 1000
        }
        return s
    }

    /// Each compiled segment's members' feedback loops per channel (sorted by channel; dismissals counted on the
    /// channel as for the whole store) and NPS, by the segment's index in the rules file
    /// (`segment_feedback_loops`, `segment_feedback_dismissed`, `segment_nps`).
    static func segmentFeedback(result: EngineResult) -> [Int: (channels: [LoopStats], nps: NPSStats)] {
        var channels: [Int: [String: LoopStats]] = [:]
        for row in result.rows["segment_feedback_loops"] ?? [] {
            guard let channel = row["channel"] as? String else { continue }
            channels[EngineResult.int(row["segment"]), default: [:]][channel] = loopStats(row, channel: channel, survey: nil)
        }
        for row in result.rows["segment_feedback_dismissed"] ?? [] {
            guard let channel = row["channel"] as? String else { continue }
            let i = EngineResult.int(row["segment"])
            channels[i, default: [:]][channel, default: LoopStats(channel: channel)].dismissed += EngineResult.int(row["dismissed"])
        }
        var out: [Int: (channels: [LoopStats], nps: NPSStats)] = [:]
        for (i, byChannel) in channels {
            let list = byChannel.values.map { s -> LoopStats in
                var s = s
                s.dismissalRate = rate(s.dismissed, s.prompts)
                return s
            }.sorted { $0.channel < $1.channel }
            out[i] = (list, NPSStats())
        }
        for row in result.rows["segment_nps"] ?? [] {
            let i = EngineResult.int(row["segment"])
            let nps = NPSStats.from(promoters: EngineResult.int(row["promoters"]), passives: EngineResult.int(row["passives"]),
                                    detractors: EngineResult.int(row["detractors"]))
            out[i, default: ([], NPSStats())].nps = nps
        }
        return out
    }

    /// The weekly series (`WeeklyMetrics`) from the per-week rows: one point per ISO week from the week of the first
    /// event in scope to the week of `now` (the latest ``WeeklyMetrics``-many weeks), persons seen, prompts and
    /// answered, and each consent category's coverage (granted persons, a running sum of the weekly changes, over the
    /// persons arrived so far). Returns the points and whether the series was truncated.
    static func weekly(result: EngineResult, now: Int64?, firstEvent: Int64?, categories: [String]) -> (points: [WeekPoint], truncated: Bool) {
        guard let now, let firstEvent, firstEvent <= now else { return ([], false) }
        let lastWeek = CivilTime.weekIndex(ofMs: now)
        var firstWeek = CivilTime.weekIndex(ofMs: firstEvent)
        var truncated = false
        if lastWeek - firstWeek + 1 > Int64(maxWeeks) { firstWeek = lastWeek - Int64(maxWeeks) + 1; truncated = true }
        let weeks = Int(lastWeek - firstWeek + 1)
        func slot(_ row: [String: Any]) -> Int? {
            guard let w = EngineResult.int64(row["week"]), w <= lastWeek else { return nil }
            return max(0, Int(w - firstWeek))
        }
        func inRange(_ row: [String: Any]) -> Int? {
            guard let w = EngineResult.int64(row["week"]), w >= firstWeek, w <= lastWeek else { return nil }
            return Int(w - firstWeek)
        }
        var seen = [Int](repeating: 0, count: weeks), arrived = seen, prompts = seen, answered = seen
        for row in result.rows["weekly_seen"] ?? [] { if let i = inRange(row) { seen[i] += EngineResult.int(row["persons"]) } }
        for row in result.rows["weekly_arrived"] ?? [] { if let i = slot(row) { arrived[i] += EngineResult.int(row["persons"]) } }
        for row in result.rows["weekly_prompts"] ?? [] {
            if let i = inRange(row) {
                prompts[i] += EngineResult.int(row["prompts"])
                answered[i] += EngineResult.int(row["answered"])
            }
        }
        var delta: [String: [Int]] = [:]
        for c in categories { delta[c] = [Int](repeating: 0, count: weeks) }
        for row in result.rows["weekly_granted"] ?? [] {
            if let c = row["category"] as? String, delta[c] != nil, let i = slot(row) { delta[c]![i] += EngineResult.int(row["delta"]) }
        }
        var points: [WeekPoint] = []
        var population = 0
        var granted: [String: Int] = [:]
        for w in 0..<weeks {
            population += arrived[w]
            var coverage: [String: Double] = [:]
            for c in categories {
                granted[c, default: 0] += delta[c]![w]
                coverage[c] = population == 0 ? 0 : Double(granted[c]!) / Double(population)
            }
            points.append(WeekPoint(week: CivilTime.isoWeekLabel(firstWeek + Int64(w)), personsSeen: seen[w], prompts: prompts[w],
                                    answered: answered[w], responseRate: rate(answered[w], prompts[w]), consentCoverage: coverage))
        }
        return (points, truncated)
    }

    /// The most weeks a weekly series holds (``WeeklyMetrics/maxWeeks``).
    static var maxWeeks: Int { WeeklyMetrics.maxWeeks }

    static func rate(_ numerator: Int, _ denominator: Int) -> Double? {
        denominator == 0 ? nil : Double(numerator) / Double(denominator)
    }
}

/// The hour × weekday cell of an engine's row (`zone`, `utc_cell`, `local_cell`) by earshot's zone rules: the local
/// cell when earshot knows the zone and Java converted it, else the UTC one. Remembers each zone's verdict.
struct ZoneCells {
    /// How the row's zone was used.
    enum Zone: Equatable { case none, local, unknownToEarshot, unknownToJava }
    private var known: [String: Bool] = [:]

    mutating func cell(of row: [String: Any]) -> (cell: Int, zone: Zone) {
        let utc = EngineResult.int(row["utc_cell"])
        guard let zone = row["zone"] as? String else { return (utc, .none) }
        let isKnown: Bool
        if let k = known[zone] { isKnown = k } else { isKnown = TimeZone(identifier: zone) != nil; known[zone] = isKnown }
        guard isKnown else { return (utc, .unknownToEarshot) }
        guard let local = EngineResult.int64(row["local_cell"]) else { return (utc, .unknownToJava) }
        return (Int(local), .local)
    }
}
