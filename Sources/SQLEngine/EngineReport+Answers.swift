import Analytics
import EventStore

extension EngineReport {
    /// The answers figures from the rows of AnswersSQL.swift: `feedback.questions` and `question_funnels` (each answer
    /// of the responses that count, through the embedded engine's accumulator), `feedback.free_text` (the texts per
    /// person; earshot measures, masks and splits them), `persons.profile_depth` and each segment's profile depth
    /// (integer counts per depth bucket and per week). The privacy guards are applied afterwards, as for every figure.
    static func addAnswers(result: EngineResult, options: AnalysisOptions, now: Int64?, to report: inout Report,
                           segments: [Int]) {
        // Questions and funnels. A response is (file, block, rid), its answers in their order (pos); responses are
        // numbered by (time, file order), as the embedded engine reads them.
        var keyed: [(key: [Int64], answer: EngineAnswer)] = []
        for row in result.rows["answer_rows"] ?? [] {
            guard let person = row["person"] as? String, let survey = row["survey"] as? String,
                  let question = row["question"] as? String, let text = row["value"] as? String,
                  let time = EngineResult.int64(row["time"]) else { continue }
            let value: ScalarValue
            switch row["kind"] as? String {
            case "s"?: value = .string(text)
            case "b"?: value = .bool(text == "true")
            default:
                guard let d = Double(text) else { continue }
                value = .number(d)
            }
            let key = [time, EngineResult.int64(row["file"]) ?? 0, EngineResult.int64(row["block"]) ?? 0,
                       EngineResult.int64(row["rid"]) ?? 0, EngineResult.int64(row["pos"]) ?? 0]
            keyed.append((key, EngineAnswer(person: person, survey: survey, question: question, value: value, time: time, response: 0)))
        }
        keyed.sort { $0.key.lexicographicallyPrecedes($1.key) }
        var ordered: [EngineAnswer] = []
        ordered.reserveCapacity(keyed.count)
        var response = -1
        var previous: ArraySlice<Int64> = []
        for (key, answer) in keyed {
            if key.prefix(4) != previous { response += 1; previous = key.prefix(4) }
            var a = answer
            a.response = response
            ordered.append(a)
        }
        let prompted = (result.rows["answer_prompted"] ?? []).compactMap { row -> (person: String, survey: String)? in
            guard let p = row["person"] as? String, let s = row["survey"] as? String else { return nil }
            return (p, s)
        }
        let figures = EngineAnswerFigures.questions(answers: ordered, prompted: prompted, catalog: options.feedback.catalog)
        report.feedback.questions = figures.questions
        report.feedback.questionFunnels = figures.funnels

        // Free text.
        let texts = (result.rows["free_texts"] ?? []).compactMap { row -> EngineFreeText? in
            guard let p = row["person"] as? String, let t = row["text"] as? String else { return nil }
            return EngineFreeText(person: p, text: t, count: EngineResult.int(row["n"]))
        }
        report.feedback.freeText = EngineAnswerFigures.freeText(texts, maskPII: !options.privacy.revealPII)

        // Profile depth.
        let buckets = ProfileDepthMetrics.maxDepth + 1
        var all = [Int](repeating: 0, count: buckets), asked = all
        for row in result.rows["depth_all"] ?? [] {
            let d = min(max(EngineResult.int(row["depth"]), 0), buckets - 1)
            all[d] += EngineResult.int(row["persons"])
            asked[d] += EngineResult.int(row["prompted"])
        }
        var depth = ProfileDepthSummary()
        depth.all = DepthDistribution(counts: all)
        depth.prompted = DepthDistribution(counts: asked)
        depth.weekly = depthWeekly(rows: result.rows["depth_weekly"] ?? [], now: now)
        report.persons.profileDepth = depth

        // Per segment (index in the rules file → position in `report.segments`).
        var bySegment: [Int: ([Int], [Int])] = [:]
        for row in result.rows["segment_depth"] ?? [] {
            let i = EngineResult.int(row["segment"])
            let d = min(max(EngineResult.int(row["depth"]), 0), buckets - 1)
            var counts = bySegment[i] ?? ([Int](repeating: 0, count: buckets), [Int](repeating: 0, count: buckets))
            counts.0[d] += EngineResult.int(row["persons"])
            counts.1[d] += EngineResult.int(row["prompted"])
            bySegment[i] = counts
        }
        for (position, i) in segments.enumerated() where position < report.segments.count {
            let counts = bySegment[i] ?? ([Int](repeating: 0, count: buckets), [Int](repeating: 0, count: buckets))
            var d = SegmentProfileDepth()
            d.all = DepthDistribution(counts: counts.0)
            d.prompted = DepthDistribution(counts: counts.1)
            report.segments[position].profileDepth = d
        }
    }

    /// The weekly depth distributions (ProfileDepthMetrics.weekly) from `depth_weekly` (k, week index, persons): k = 0
    /// counts persons by the week of their first event, k ≥ 1 by the week of their k-th distinct question's first
    /// answer. One point per week of the weekly series (the latest ``WeeklyMetrics/maxWeeks``).
    static func depthWeekly(rows: [[String: Any]], now: Int64?) -> [DepthWeek] {
        guard let now else { return [] }
        let firstTimeWeek = rows.filter { EngineResult.int($0["k"]) == 0 }.compactMap { EngineResult.int64($0["week"]) }.min()
        guard let firstTimeWeek else { return [] }
        let lastWeek = CivilTime.weekIndex(ofMs: now)
        let firstWeek = max(firstTimeWeek, lastWeek - Int64(WeeklyMetrics.maxWeeks) + 1)
        let weeks = Int(lastWeek - firstWeek + 1)
        guard weeks > 0 else { return [] }
        let maxDepth = ProfileDepthMetrics.maxDepth
        var diff = [[Int]](repeating: [Int](repeating: 0, count: maxDepth + 1), count: weeks)
        for row in rows {
            guard let week = EngineResult.int64(row["week"]) else { continue }
            let k = EngineResult.int(row["k"]), n = EngineResult.int(row["persons"])
            let slot = min(max(0, Int(week - firstWeek)), weeks - 1)
            if k == 0 { diff[slot][0] += n } else if k <= maxDepth { diff[slot][k - 1] -= n; diff[slot][k] += n }
        }
        var counts = [Int](repeating: 0, count: maxDepth + 1)
        return (0..<weeks).map { w in
            for d in counts.indices { counts[d] += diff[w][d] }
            return DepthWeek(week: CivilTime.isoWeekLabel(firstWeek + Int64(w)), distribution: DepthDistribution(counts: counts))
        }
    }
}
