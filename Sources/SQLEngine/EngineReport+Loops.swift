import Analytics
import EventStore
import Foundation

extension EngineReport {
    /// The loops of `program` (`LoopMetrics`) from the integer rows of LoopSQL.swift: outcome counts per week and
    /// channel, persons, the two middle times to close (the median is their mean), the 90th percentile's value, the
    /// oldest open trigger and the open triggers per age bin. Rates, the week list (the first trigger's week through
    /// `now`'s, the latest `Analysis.maxSegmentWeeks`) and the bins' bounds are computed here, as the embedded engine does.
    static func loops(result: EngineResult, program: SegmentProgram, now: Int64?) -> [LoopReport] {
        func loopIndex(_ row: [String: Any]) -> Int { EngineResult.int(row["loop"]) }
        var outcomes: [Int: [[String: Any]]] = [:]
        for row in result.rows["loop_outcomes"] ?? [] { outcomes[loopIndex(row), default: []].append(row) }
        var close: [Int: [String: Any]] = [:]
        for row in result.rows["loop_close"] ?? [] { close[loopIndex(row)] = row }
        var channelClose: [Int: [String: [String: Any]]] = [:]
        for row in result.rows["loop_channel_close"] ?? [] {
            if let c = row["channel"] as? String { channelClose[loopIndex(row), default: [:]][c] = row }
        }
        var p90: [Int: Int64] = [:]
        for row in result.rows["loop_p90"] ?? [] { p90[loopIndex(row)] = EngineResult.int64(row["p90"]) }
        var ages: [Int: [Int: Int]] = [:]
        for row in result.rows["loop_open_ages"] ?? [] {
            ages[loopIndex(row), default: [:]][EngineResult.int(row["bin"])] = EngineResult.int(row["open"])
        }
        func median(_ row: [String: Any]?) -> Double? {
            guard let row, let low = EngineResult.int64(row["median_low"]), let high = EngineResult.int64(row["median_high"]) else { return nil }
            return (Double(low) + Double(high)) / 2 / 1000
        }
        func add(_ o: inout LoopOutcomes, _ outcome: Int, _ n: Int) {
            o.triggers += n
            switch outcome {
            case 0: o.inTime += n
            case 1: o.late += n
            case 2: o.open += n
            default: o.missed += n
            }
        }
        func finish(_ o: inout LoopOutcomes) { o.inTimeRate = rate(o.inTime, o.triggers - o.open) }

        return program.loops.enumerated().map { i, loop in
            let within = loop.within.milliseconds
            var report = LoopReport(name: loop.name, rule: loop.rule, withinSeconds: Double(within) / 1000)
            guard let now else { return report }
            let rows = outcomes[i] ?? []
            var total = LoopOutcomes()
            var firstTrigger: Int64?, oldestOpen: Int64?
            var byChannel: [String: (closed: Int, inTime: Int)] = [:]
            for row in rows {
                let outcome = EngineResult.int(row["outcome"]), n = EngineResult.int(row["triggers"])
                add(&total, outcome, n)
                if let first = EngineResult.int64(row["first"]) {
                    firstTrigger = min(firstTrigger ?? first, first)
                    if outcome == 2 { oldestOpen = min(oldestOpen ?? first, first) }
                }
                if outcome <= 1, let c = row["channel"] as? String {
                    byChannel[c, default: (0, 0)].closed += n
                    if outcome == 0 { byChannel[c, default: (0, 0)].inTime += n }
                }
            }
            finish(&total)
            report.outcomes = total
            report.persons = EngineResult.int(close[i]?["persons_prompted"])
            let decided = total.triggers - total.open
            report.lateRate = rate(total.late, decided)
            report.missedRate = rate(total.missed, decided)
            report.medianSecondsToClose = median(close[i])
            report.p90SecondsToClose = p90[i].map { Double($0) / 1000 }
            if let oldestOpen {
                report.oldestOpenSeconds = Double(now - oldestOpen) / 1000
                report.openOlderThanHours = Double(now - oldestOpen) / 3_600_000
            }
            report.byChannel = byChannel.keys.sorted().map { c in
                var row = LoopChannel(channel: c)
                row.closed = byChannel[c]!.closed
                row.inTime = byChannel[c]!.inTime
                row.medianSecondsToClose = median(channelClose[i]?[c])
                return row
            }
            // Weekly: every ISO week from the first trigger's through now's (the latest `maxSegmentWeeks`).
            if let firstTrigger {
                var weeks = SegmentMetrics.weeks(from: firstTrigger, through: now)
                if weeks.count > Analysis.maxSegmentWeeks { weeks.removeFirst(weeks.count - Analysis.maxSegmentWeeks) }
                var byWeek: [Int64: LoopOutcomes] = [:]
                for row in rows {
                    guard let w = EngineResult.int64(row["week"]) else { continue }
                    add(&byWeek[w, default: LoopOutcomes()], EngineResult.int(row["outcome"]), EngineResult.int(row["triggers"]))
                }
                report.weekly = weeks.map { week in
                    var o = byWeek[CivilTime.weekIndex(ofMs: week.start)] ?? LoopOutcomes()
                    finish(&o)
                    return LoopWeek(week: week.label, outcomes: o)
                }
            }
            // Open triggers by age: `LoopMetrics.ageBins` equal bins from 0 to the promised time.
            let bins = LoopMetrics.ageBins
            let binWidth = Double(within) / Double(bins)
            report.openAges = (0..<bins).map { b in
                LoopAgeBin(fromSeconds: Double(b) * binWidth / 1000, toSeconds: Double(b + 1) * binWidth / 1000, open: ages[i]?[b] ?? 0)
            }
            return report
        }
    }

    /// The journeys of `program` (`JourneyMetrics`) from the rows of JourneySQL.swift: the tree from the nodes'
    /// counts (children sorted by entries, then step; the rest folded into `(other)`; ended journeys as a last
    /// `(left)`/`(start)` child), shares computed here, and the whole paths (the top `JourneyMetrics.maxPaths` by
    /// entries, ties by their steps in order).
    static func journeys(result: EngineResult, program: SegmentProgram, now: Int64?) -> [JourneyReport] {
        struct Node { var step: String; var entries = 0, persons = 0, ended = 0, endedPersons = 0 }
        func journeyIndex(_ row: [String: Any]) -> Int { EngineResult.int(row["journey"]) }
        func path(_ v: Any?) -> [String] { (v as? [Any] ?? []).compactMap { $0 as? String } }
        var roots: [Int: Node] = [:]
        for row in result.rows["journey_entries"] ?? [] {
            roots[journeyIndex(row)] = Node(step: "", entries: EngineResult.int(row["entries"]), persons: EngineResult.int(row["persons"]),
                                            ended: EngineResult.int(row["ended"]), endedPersons: EngineResult.int(row["ended_persons"]))
        }
        var children: [Int: [[String]: [Node]]] = [:]
        for row in result.rows["journey_nodes"] ?? [] {
            guard let step = row["step"] as? String else { continue }
            children[journeyIndex(row), default: [:]][path(row["parent"]), default: []].append(
                Node(step: step, entries: EngineResult.int(row["entries"]), persons: EngineResult.int(row["persons"]),
                     ended: EngineResult.int(row["ended"]), endedPersons: EngineResult.int(row["ended_persons"])))
        }
        var other: [Int: [[String]: Node]] = [:]
        for row in result.rows["journey_other"] ?? [] {
            other[journeyIndex(row), default: [:]][path(row["parent"])] =
                Node(step: JourneyMetrics.other, entries: EngineResult.int(row["entries"]), persons: EngineResult.int(row["persons"]),
                     ended: EngineResult.int(row["ended"]))
        }
        var paths: [Int: [(steps: [String], entries: Int, persons: Int)]] = [:]
        for row in result.rows["journey_paths"] ?? [] {
            let ended = EngineResult.int(row["ended"]) != 0
            let label = program.journeys.indices.contains(journeyIndex(row)) && program.journeys[journeyIndex(row)].direction == .before
                ? JourneyMetrics.start : JourneyMetrics.left
            paths[journeyIndex(row), default: []].append((path(row["steps"]) + (ended ? [label] : []),
                                                          EngineResult.int(row["entries"]), EngineResult.int(row["persons"])))
        }

        return program.journeys.enumerated().map { i, j in
            var report = JourneyReport(name: j.name, rule: j.rule, entry: j.entryRule, direction: j.direction.rawValue, by: j.stepKind.rawValue,
                                       steps: j.steps, windowSeconds: j.window.map { Double($0.milliseconds) / 1000 })
            guard now != nil else { return report }
            let endLabel = j.direction == .after ? JourneyMetrics.left : JourneyMetrics.start
            let root = roots[i] ?? Node(step: "")
            func childNodes(of parent: Node, at prefix: [String]) -> [JourneyNode] {
                let sorted = (children[i]?[prefix] ?? []).sorted { x, y in x.entries != y.entries ? x.entries > y.entries : x.step < y.step }
                var out = sorted.prefix(JourneyMetrics.maxChildren).map { c -> JourneyNode in
                    var n = JourneyNode(step: c.step)
                    n.entries = c.entries
                    n.persons = c.persons
                    n.share = rate(c.entries, parent.entries)
                    n.ended = c.ended
                    n.endedShare = rate(c.ended, c.entries)
                    n.children = childNodes(of: c, at: prefix + [c.step])
                    return n
                }
                if let o = other[i]?[prefix] {
                    var n = JourneyNode(step: JourneyMetrics.other)
                    n.entries = o.entries
                    n.persons = o.persons
                    n.ended = o.ended
                    n.share = rate(o.entries, parent.entries)
                    n.endedShare = rate(o.ended, o.entries)
                    out.append(n)
                }
                if parent.ended > 0 {
                    var l = JourneyNode(step: endLabel)
                    l.entries = parent.ended
                    l.persons = parent.endedPersons
                    l.share = rate(l.entries, parent.entries)
                    out.append(l)
                }
                return out
            }
            report.entries = root.entries
            report.persons = root.persons
            report.tree = JourneyTree(children: childNodes(of: root, at: []))
            let ranked = (paths[i] ?? []).sorted { a, b in
                a.entries != b.entries ? a.entries > b.entries : a.steps.lexicographicallyPrecedes(b.steps)
            }
            report.paths = ranked.prefix(JourneyMetrics.maxPaths).map { JourneyPath(steps: $0.steps, entries: $0.entries, persons: $0.persons) }
            return report
        }
    }
}
