// The privacy guards of loops and journeys (docs/PRIVACY.md): every count of triggers, outcomes,
// entries and persons in 1 ..< k is withheld, figures derived from it go with it, and where
// withheld counts could be worked out from the counts beside them, one more goes too.

extension Privacy.Pass {
    /// A loop: fewer than k persons with a trigger hide the whole loop; otherwise its outcomes, the
    /// times to close (which describe the closing persons), each channel, week and age bin are guarded.
    mutating func apply(_ l: inout LoopReport) {
        l.name = id(l.name)
        l.rule = policy.revealPII ? l.rule : PIIMasker.maskRule(l.rule)
        let personsHidden = guardCount(&l, \.persons, \.$persons)
        apply(&l.outcomes, all: personsHidden)
        let o = l.outcomes
        if o.$late.isSuppressed || o.$triggers.isSuppressed || o.$open.isSuppressed { hide(&l, \.lateRate, \.$lateRate) }
        if o.$missed.isSuppressed || o.$triggers.isSuppressed || o.$open.isSuppressed { hide(&l, \.missedRate, \.$missedRate) }
        if personsHidden || small(o.inTime + o.late) || o.$inTime.isSuppressed || o.$late.isSuppressed {
            hide(&l, \.medianSecondsToClose, \.$medianSecondsToClose)
            hide(&l, \.p90SecondsToClose, \.$p90SecondsToClose)
        }
        if o.$open.isSuppressed {
            hide(&l, \.oldestOpenSeconds, \.$oldestOpenSeconds)
            if !l.$openOlderThanHours.isSuppressed {
                l.openOlderThanHours = 0; l.$openOlderThanHours = .derived; suppressed += 1
            }
        }
        l.byChannel = l.byChannel.map { c in
            var c = c
            c.channel = id(c.channel)
            if personsHidden { hide(&c, \.closed, \.$closed, small(c.closed) ? .belowMinimum : .derived) }
            return guardFigures(&c)
        }
        l.weekly = l.weekly.map { w in var w = w; apply(&w.outcomes, all: personsHidden); return w }
        l.openAges = l.openAges.map { b in
            var b = b
            if personsHidden || o.$open.isSuppressed { hide(&b, \.open, \.$open, small(b.open) ? .belowMinimum : .derived) }
            return guardFigures(&b)
        }
        // The bins add up to the open triggers: one withheld bin takes the smallest other along.
        complement(&l.openAges, total: o.$open, value: \.open, mark: \.$open)
    }

    /// Triggers and outcomes: in time + late + open + missed = triggers, so one withheld outcome
    /// takes the smallest other shown one along; the rate goes with any of them.
    mutating func apply(_ o: inout LoopOutcomes, all: Bool) {
        if all || small(o.triggers) {
            hide(&o, \.triggers, \.$triggers, small(o.triggers) ? .belowMinimum : .derived)
            hide(&o, \.inTime, \.$inTime, small(o.inTime) ? .belowMinimum : .derived)
            hide(&o, \.late, \.$late, small(o.late) ? .belowMinimum : .derived)
            hide(&o, \.open, \.$open, small(o.open) ? .belowMinimum : .derived)
            hide(&o, \.missed, \.$missed, small(o.missed) ? .belowMinimum : .derived)
            hide(&o, \.inTimeRate, \.$inTimeRate)
            return
        }
        var hidden = 0
        if guardCount(&o, \.inTime, \.$inTime) { hidden += 1 }
        if guardCount(&o, \.late, \.$late) { hidden += 1 }
        if guardCount(&o, \.open, \.$open) { hidden += 1 }
        if guardCount(&o, \.missed, \.$missed) { hidden += 1 }
        if hidden == 1 {
            let shown = [(0, o.inTime, o.$inTime), (1, o.late, o.$late), (2, o.open, o.$open), (3, o.missed, o.$missed)]
                .filter { !$0.2.isSuppressed && $0.1 > 0 }   // hiding a zero protects nothing
            switch shown.min(by: { $0.1 < $1.1 })?.0 {
            case 0?: hide(&o, \.inTime, \.$inTime, .complementary)
            case 1?: hide(&o, \.late, \.$late, .complementary)
            case 2?: hide(&o, \.open, \.$open, .complementary)
            case 3?: hide(&o, \.missed, \.$missed, .complementary)
            default: break
            }
        }
        if hidden > 0 { hide(&o, \.inTimeRate, \.$inTimeRate) }
    }

    /// When exactly one of `items` is withheld while their shown total is not, withholds the smallest
    /// other shown non-zero item too (so the withheld one cannot be worked out by subtraction); returns its index.
    @discardableResult
    mutating func complement<T>(_ items: inout [T], total: Suppression, value: WritableKeyPath<T, Int>,
                                mark: WritableKeyPath<T, Suppression>) -> Int? {
        let parts = items.map { (value: $0[keyPath: value], withheld: $0[keyPath: mark].isSuppressed) }
        guard let i = Self.complementIndex(parts, totalShown: !total.isSuppressed) else { return nil }
        hide(&items[i], value, mark, .complementary)
        return i
    }

    /// The complement rule (docs/PRIVACY.md) over parts that add up to a total: when the total is shown and exactly
    /// one part is withheld, the part to take along — the smallest other shown one (ties: the first), non-zero unless
    /// `zeros`; nil when none is to be taken.
    static func complementIndex(_ parts: [(value: Int, withheld: Bool)], totalShown: Bool, zeros: Bool = false) -> Int? {
        guard totalShown, parts.filter(\.withheld).count == 1 else { return nil }
        let candidates = parts.indices.filter { !parts[$0].withheld && (zeros || parts[$0].value > 0) }
        return candidates.min { parts[$0].value < parts[$1].value }
    }

    /// A journey: entries and persons guarded; every node of the tree and every path on its own.
    mutating func apply(_ j: inout JourneyReport) {
        j.name = id(j.name)
        j.rule = policy.revealPII ? j.rule : PIIMasker.maskRule(j.rule)
        j.entry = policy.revealPII ? j.entry : PIIMasker.maskRule(j.entry)
        let personsHidden = guardFigures(&j).$persons.isSuppressed
        apply(&j.tree.children, parentPersonsHidden: personsHidden, parentEntriesHidden: j.$entries.isSuppressed)
        j.paths = j.paths.map { p in
            var p = p
            p.steps = p.steps.map { JourneyMetrics.isSpecial($0) ? $0 : id($0) }
            return guardFigures(&p)
        }
    }

    /// The children of one node. Each child's persons and entries are guarded (its share and ended figures
    /// go with its entries); below a parent of fewer than k persons every child is withheld. The children's
    /// entries add up to the parent's, so: with the parent's entries shown, one withheld child takes the
    /// smallest other non-zero child along; with the parent's entries withheld (to protect a sibling), at
    /// least one child is withheld, or their sum would give the parent's. A node's `ended` equals its
    /// `(left)`/`(start)` child's entries and is withheld with them.
    mutating func apply(_ nodes: inout [JourneyNode], parentPersonsHidden: Bool, parentEntriesHidden: Bool) {
        for i in nodes.indices {
            var n = nodes[i]
            if !n.isSpecial { n.step = id(n.step) }
            if parentPersonsHidden {
                hide(&n, \.persons, \.$persons, small(n.persons) ? .belowMinimum : .derived)
                hide(&n, \.entries, \.$entries, small(n.entries) ? .belowMinimum : .derived)
            } else if guardCount(&n, \.persons, \.$persons) {
                hide(&n, \.entries, \.$entries, small(n.entries) ? .belowMinimum : .derived)
            } else {
                guardCount(&n, \.entries, \.$entries)
            }
            nodes[i] = n
        }
        let hiddenChildren = nodes.filter { $0.$entries.isSuppressed }.count
        if !parentEntriesHidden {
            complement(&nodes, total: .shown, value: \.entries, mark: \.$entries)
        } else if hiddenChildren == 0, let i = nodes.indices.filter({ nodes[$0].entries > 0 })
                    .min(by: { nodes[$0].entries < nodes[$1].entries }) {
            hide(&nodes[i], \.entries, \.$entries, .complementary)
        }
        for i in nodes.indices {
            var n = nodes[i]
            if parentEntriesHidden { hide(&n, \.share, \.$share) }   // a share would give the parent's entries
            if n.$entries.isSuppressed {
                hide(&n, \.share, \.$share)
                hide(&n, \.ended, \.$ended, small(n.ended) ? .belowMinimum : .derived)
                hide(&n, \.endedShare, \.$endedShare)
            } else if guardCount(&n, \.ended, \.$ended) {
                hide(&n, \.endedShare, \.$endedShare)
            }
            apply(&n.children, parentPersonsHidden: n.$persons.isSuppressed, parentEntriesHidden: n.$entries.isSuppressed)
            if let end = n.children.last, end.isSpecial, end.step != JourneyMetrics.other, end.$entries.isSuppressed,
               !n.$ended.isSuppressed, n.ended > 0 {
                hide(&n, \.ended, \.$ended, .complementary)
                hide(&n, \.endedShare, \.$endedShare)
            }
            nodes[i] = n
        }
    }
}
