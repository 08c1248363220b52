import EventStore

/// The segments section of the report: each segment's size, reach per consent category,
/// weekly sizes and feedback, and the pairwise overlaps.
public struct SegmentMetrics: Sendable {
    /// One report per segment, in file order.
    public var segments: [SegmentReport]
    /// Every unordered pair once, `a` before `b` in file order.
    public var overlap: [SegmentOverlap]

    /// Computes the metrics of every segment of the program.
    /// - Parameters:
    ///   - now: the reference time; sizes, reach and feedback are as of now.
    ///   - consent: the persons' consent states as of now; `reachable[category]` counts members
    ///     whose state for the category is granted.
    ///   - weeks: the weeks of the weekly series (see ``weeks(from:through:)``); a week's size is
    ///     the segment evaluated as of the week's last millisecond, or as of `now` for a week
    ///     that ends after `now`.
    ///   - persons: when given, only these persons count: sizes are intersections with them and
    ///     shares are relative to them (the dashboard's segment filter).
    ///   - feedback: the members' feedback loops by channel and their NPS (injected by the report assembly).
    public init(program: SegmentProgram, table: EventTable, now: Int64, consent: ConsentStates,
                weeks: [Week], persons filter: PersonSet? = nil, feedback: (PersonSet) -> ([LoopStats], NPSStats)) {
        self.init(evaluator: SegmentEvaluator(program: program, table: table), now: now, consent: consent,
                  weeks: weeks, persons: filter, feedback: feedback)
    }

    /// The same, reusing a compiled evaluator.
    public init(evaluator: SegmentEvaluator, now: Int64, consent: ConsentStates,
                weeks: [Week], persons filter: PersonSet? = nil, feedback: (PersonSet) -> ([LoopStats], NPSStats)) {
        let program = evaluator.program
        let persons = filter?.count ?? evaluator.personCount
        func restrict(_ s: PersonSet) -> PersonSet { filter.map { s.intersection($0) } ?? s }
        let members = evaluator.evaluate(now: now).map(restrict)
        let weekly: [[SegmentWeek]] = {
            var out = [[SegmentWeek]](repeating: [], count: members.count)
            for w in weeks {
                let sets = evaluator.evaluate(now: min(w.end - 1, now))
                for (i, s) in sets.enumerated() { out[i].append(SegmentWeek(week: w.label, size: restrict(s).count)) }
            }
            return out
        }()
        let granted = consent.categories.indices.map { consent.grantedSet(bit: $0) }
        segments = program.segments.enumerated().map { i, def in
            let set = members[i]
            let size = set.count
            var reachable: [String: Int] = [:]
            for (bit, category) in consent.categories.enumerated() where granted[bit].universe == set.universe {
                reachable[category] = set.intersection(granted[bit]).count
            }
            let (loops, nps) = feedback(set)
            return SegmentReport(name: def.name, rule: def.rule, size: size,
                                 share: persons == 0 ? nil : Double(size) / Double(persons),
                                 reachable: reachable, weekly: weekly[i], feedback: loops, nps: nps)
        }
        var pairs: [SegmentOverlap] = []
        for i in members.indices {
            for j in members.indices where j > i {
                pairs.append(SegmentOverlap(a: program.segments[i].name, b: program.segments[j].name,
                                            size: members[i].intersection(members[j]).count))
            }
        }
        overlap = pairs
    }

    /// An ISO week: Monday 00:00 UTC to the next Monday 00:00 UTC.
    public struct Week: Sendable, Equatable, CustomStringConvertible {
        /// ISO week-year and week, `2026-W09`.
        public var label: String
        /// Monday 00:00:00.000 UTC, milliseconds since the epoch.
        public var start: Int64
        /// The next Monday 00:00 UTC (exclusive).
        public var end: Int64

        public var description: String { label }

        /// The ISO week containing `time` (milliseconds since the epoch, UTC).
        public init(containing time: Int64) {
            let day = floorDivide(time, 86_400_000)
            let monday = day - positiveModulo(day + 3, 7)   // 1970-01-01 was a Thursday
            let thursday = monday + 3
            let year = civilYear(ofDay: thursday)
            let week = (thursday - daysFromCivil(year: year, month: 1, day: 1)) / 7 + 1
            label = "\(year < 0 ? "-" : "")\(pad(abs(year), 4))-W\(pad(week, 2))"
            start = monday * 86_400_000
            end = start + 7 * 86_400_000
        }
    }

    /// The ISO weeks from the one containing `first` through the one containing `last`
    /// (empty when `first > last`).
    public static func weeks(from first: Int64, through last: Int64) -> [Week] {
        guard first <= last else { return [] }
        var out: [Week] = []
        var w = Week(containing: first)
        while w.start <= last {
            out.append(w)
            w = Week(containing: w.end)
        }
        return out
    }
}

private func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}

private func positiveModulo(_ a: Int64, _ b: Int64) -> Int64 {
    let r = a % b
    return r < 0 ? r + b : r
}

private func pad(_ n: Int64, _ width: Int) -> String {
    let s = String(n)
    return String(repeating: "0", count: max(0, width - s.count)) + s
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
private func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
    let y = month <= 2 ? year - 1 : year
    let era = floorDivide(y, 400)
    let yoe = y - era * 400
    let mp = (month + 9) % 12
    let doy = (153 * mp + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
}

/// The proleptic Gregorian year of a day since 1970-01-01.
private func civilYear(ofDay days: Int64) -> Int64 {
    let z = days + 719_468
    let era = floorDivide(z, 146_097)
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let month = mp < 10 ? mp + 3 : mp - 9
    return yoe + era * 400 + (month <= 2 ? 1 : 0)
}
