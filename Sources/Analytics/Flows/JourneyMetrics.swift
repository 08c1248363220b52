import EventStore

/// Journeys: where persons went after (or came from before) an entry event
/// (docs/DEFINITIONS.md, "Journeys").
///
/// From each entry (an event matching the journey's `did` clause, at or before the reference
/// time) the journey follows the same person's events forward (`from`) or backward (`before`) and
/// takes, in that order, the sections of page and screen calls (`by section`) or the event names
/// (`by event`) as steps, a step equal to the one before it being skipped (consecutive repeats
/// collapse; the entry's own section or name counts as the one before the first step). It stops at
/// the asked number of steps, or, having fewer (it then *ended*), at the first gap of 30 minutes or
/// more between two events, at the first event beyond the window (`within`), at the person's
/// first (last) event, or at the reference time.
public enum JourneyMetrics {
    /// Children kept per node; the rest are folded into ``other``.
    public static let maxChildren = 8
    /// Whole paths listed.
    public static let maxPaths = 20
    /// The node of the children folded after the top ``maxChildren``.
    public static let other = "(other)"
    /// The node of `from` journeys that ended before the step.
    public static let left = "(left)"
    /// The node of `before` journeys that started before the step (nothing led further back).
    public static let start = "(start)"

    /// Whether `step` is one of the tree's own labels (``other``, ``left``, ``start``) rather than a section or event.
    public static func isSpecial(_ step: String) -> Bool { step == other || step == left || step == start }

    /// Every journey of the program, over the persons of `persons` (all when nil); exact figures.
    public static func compute(table: EventTable, program: SegmentProgram, options: AnalysisOptions,
                               persons: PersonSet? = nil) -> [JourneyReport] {
        compute(table: table, program: program, options: options, persons: persons, matcher: nil)
    }

    /// The row sets a journey matcher of `program` needs (each journey's entry).
    static func matcherSets(_ program: SegmentProgram) -> [[LoopEvent]] {
        program.journeys.map { [.pattern($0.entry)] }
    }

    /// The same, reusing a matcher built from ``matcherSets(_:)`` on this table (``AnalysisIndex``).
    static func compute(table: EventTable, program: SegmentProgram, options: AnalysisOptions,
                        persons: PersonSet?, matcher prebuilt: FlowMatcher?) -> [JourneyReport] {
        guard !program.journeys.isEmpty else { return [] }
        let scope = AnalysisScope(table: table, options: options, persons: persons)
        let matcher = prebuilt ?? FlowMatcher(table: table, sets: matcherSets(program))
        return program.journeys.enumerated().map { i, j in evaluate(j, set: i, matcher: matcher, scope: scope) }
    }

    private struct TrieNode {
        var step: Int32
        var entries = 0
        var ended = 0
        var persons: [Int32] = []
        var endedPersons: [Int32] = []
        var children: [Int32: Int] = [:]
        init(step: Int32) { self.step = step }
    }

    private struct PathKey: Hashable { var steps: [Int32]; var ended: Bool }
    private struct PathCount { var entries = 0; var persons = 0; var lastPerson = -1 }

    private static func evaluate(_ j: JourneyDefinition, set: Int, matcher: FlowMatcher, scope: AnalysisScope) -> JourneyReport {
        let table = scope.table
        var report = JourneyReport(name: j.name, rule: j.rule, entry: j.entryRule, direction: j.direction.rawValue, by: j.stepKind.rawValue,
                                   steps: j.steps, windowSeconds: j.window.map { Double($0.milliseconds) / 1000 })
        var nodes = [TrieNode(step: -1)]
        var paths: [PathKey: PathCount] = [:]
        var persons = 0
        let gap = JourneyDefinition.inactivityGap
        let window = j.window?.milliseconds
        let bySection = j.stepKind == .section

        func value(_ r: Int) -> Int32 {
            let kind = table.kind[r]
            if bySection { return kind.isPageLike ? table.section[r] : -1 }
            return kind == .track || kind.isPageLike ? table.name[r] : -1
        }
        func touch(_ n: Int, _ p: Int32) {
            nodes[n].entries += 1
            if nodes[n].persons.last != p { nodes[n].persons.append(p) }
        }

        var steps: [Int32] = []
        scope.forEachPerson { p32, rows in
            let p = Int32(p32)
            var counted = false
            for e in rows where matcher.matches(set, e) {
                if !counted { persons += 1; counted = true }
                steps.removeAll(keepingCapacity: true)
                var prev = value(e)
                let entryTime = table.time[e]
                var last = entryTime
                var r = e
                while steps.count < j.steps {
                    r += j.direction == .after ? 1 : -1
                    guard rows.contains(r) else { break }
                    let t = table.time[r]
                    if abs(t - last) >= gap { break }
                    if let window, abs(t - entryTime) > window { break }
                    last = t
                    let v = value(r)
                    if v >= 0, v != prev { steps.append(v); prev = v }
                }
                let ended = steps.count < j.steps
                var n = 0
                touch(0, p)
                for s in steps {
                    if let c = nodes[n].children[s] { n = c } else {
                        nodes.append(TrieNode(step: s))
                        nodes[n].children[s] = nodes.count - 1
                        n = nodes.count - 1
                    }
                    touch(n, p)
                }
                if ended {
                    nodes[n].ended += 1
                    if nodes[n].endedPersons.last != p { nodes[n].endedPersons.append(p) }
                }
                let key = PathKey(steps: steps, ended: ended)
                var count = paths[key] ?? PathCount()
                count.entries += 1
                if count.lastPerson != p32 { count.persons += 1; count.lastPerson = p32 }
                paths[key] = count
            }
        }

        let endLabel = j.direction == .after ? left : start
        func text(_ id: Int32) -> String { table.strings[id] }
        func children(of n: Int) -> [JourneyNode] {
            let parent = nodes[n]
            let sorted = parent.children.values.sorted { a, b in
                let x = nodes[a], y = nodes[b]
                return x.entries != y.entries ? x.entries > y.entries : text(x.step) < text(y.step)
            }
            var out = sorted.prefix(maxChildren).map { node($0, parentEntries: parent.entries) }
            if sorted.count > maxChildren {
                var o = JourneyNode(step: other)
                var who = Set<Int32>()
                for c in sorted.dropFirst(maxChildren) {
                    o.entries += nodes[c].entries
                    o.ended += nodes[c].ended
                    who.formUnion(nodes[c].persons)
                }
                o.persons = who.count
                o.share = ratio(o.entries, parent.entries)
                o.endedShare = ratio(o.ended, o.entries)
                out.append(o)
            }
            if parent.ended > 0 {
                var l = JourneyNode(step: endLabel)
                l.entries = parent.ended
                l.persons = parent.endedPersons.count
                l.share = ratio(l.entries, parent.entries)
                out.append(l)
            }
            return out
        }
        func node(_ n: Int, parentEntries: Int) -> JourneyNode {
            let t = nodes[n]
            var out = JourneyNode(step: text(t.step))
            out.entries = t.entries
            out.persons = t.persons.count
            out.share = ratio(t.entries, parentEntries)
            out.ended = t.ended
            out.endedShare = ratio(t.ended, t.entries)
            out.children = children(of: n)
            return out
        }
        report.entries = nodes[0].entries
        report.persons = persons
        report.tree = JourneyTree(children: children(of: 0))
        let ranked = paths.map { (key: $0.key, count: $0.value, text: $0.key.steps.map(text) + ($0.key.ended ? [endLabel] : [])) }
            .sorted { a, b in a.count.entries != b.count.entries ? a.count.entries > b.count.entries : a.text.lexicographicallyPrecedes(b.text) }
        report.paths = ranked.prefix(maxPaths).map { JourneyPath(steps: $0.text, entries: $0.count.entries, persons: $0.count.persons) }
        return report
    }
}
