/// The report as a tree of named figures: what rule paths address.
///
/// Every number of the JSON report (docs/REPORT.md) is reachable under its JSON key; lists of
/// named entries are reachable by name (`consent.categories["Marketing"]`), and the common ones
/// also directly (`consent.Marketing`, `feedback.chat`) or through a singular alias
/// (`segment["X"]`, `feedback.survey["id"]`, `event["Order Completed"]`, `store.file["a.jsonl"]`).
/// A field always wins over an entry of the same name; brackets reach the entry.
public struct FigureNode: Sendable {
    /// What this node is, for messages: "the consent summary", "consent category \"Marketing\"".
    public var what: String
    /// Set for a leaf.
    public var figure: Figure?
    /// Named children in report order.
    public var fields: [(name: String, node: FigureNode)] = []
    /// Named entries of a list or map, in report order.
    public var entries: [(key: String, node: FigureNode)] = []
    /// What one entry is called ("consent category", "channel").
    public var entryNoun = "entry"
    /// Whether entries can be named like fields (`consent.Marketing`).
    public var bareEntries = false
    /// Alternative names of fields (`segment` → `segments`).
    public var aliases: [String: String] = [:]
    /// Whether `[n]` (n ≥ 0) names the entry keyed `n` (or `n+`) instead of the n-th entry: `ordinal[3]` is the
    /// 3rd prompt, `ordinal[5]` the `5+` row, `depth[0]` depth 0 (FigureTree+Fatigue.swift).
    public var keyedIndex = false

    init(what: String, figure: Figure? = nil) { self.what = what; self.figure = figure }

    /// Whether this node is a list or map of entries (brackets apply).
    var isList: Bool { entryNoun != "entry" }

    func field(_ name: String) -> FigureNode? {
        let target = aliases[name] ?? name
        return fields.first(where: { $0.name == target })?.node
    }

    func entry(_ key: String) -> FigureNode? { entries.first(where: { $0.key == key })?.node }

    /// Resolves a path to a figure.
    public func resolve(_ path: FigurePath) -> Result<Figure, FigureLookupError> {
        var node = self
        let written = path.description
        for (k, component) in path.components.enumerated() {
            func fail(_ message: String) -> Result<Figure, FigureLookupError> {
                .failure(FigureLookupError(path: written, componentIndex: k, column: path.columns[k], message: message))
            }
            let here = k == 0 ? "the report" : "`\(path.prefix(k))`"
            if node.figure != nil {
                return fail("`\(path.prefix(k))` is already a figure; remove `\(FigurePath.text(path.components[k...]))`")
            }
            var next: FigureNode?
            switch component {
            case .name(let n):
                next = node.field(n) ?? (node.bareEntries ? node.entry(n) : nil)
                if next == nil {
                    return fail("unknown figure `\(written)`: \(here) has no `\(n)`\(node.suggestion(for: n)); there: \(node.contents())")
                }
            case .key(let key):
                next = node.entry(key)
                if next == nil {
                    if !node.isList {
                        return fail("unknown figure `\(written)`: \(here) is not a list; there: \(node.contents())")
                    }
                    return fail("unknown figure `\(written)`: \(here) has no \(node.entryNoun) \(FigurePath.quote(key))\(node.suggestion(for: key)); there: \(node.contents())")
                }
            case .index(let i) where node.keyedIndex && i >= 0:
                next = node.entry(String(i)) ?? node.entry("\(i)+")
                if next == nil {
                    return fail("unknown figure `\(written)`: \(here) has no \(node.entryNoun) \(i); there: \(node.contents())")
                }
            case .index(let i):
                let count = node.entries.count
                let j = i < 0 ? count + i : i
                guard node.isList else {
                    return fail("unknown figure `\(written)`: \(here) is not a list; there: \(node.contents())")
                }
                guard j >= 0, j < count else {
                    return fail("unknown figure `\(written)`: \(here) has \(count) \(node.entryNoun) entr\(count == 1 ? "y" : "ies"), so [\(i)] does not exist")
                }
                next = node.entries[j].node
            }
            node = next!
        }
        guard let figure = node.figure else {
            return .failure(FigureLookupError(path: written, componentIndex: max(0, path.components.count - 1),
                                              column: path.columns.last ?? 1,
                                              message: "`\(written)` is \(node.what), not a figure; figures there: \(node.contents())"))
        }
        return .success(figure)
    }

    /// A likely intended name, as ` (did you mean `X`?)`.
    func suggestion(for word: String) -> String {
        let candidates = fields.map(\.name) + aliases.keys.sorted() + entries.map(\.key)
        if let hit = candidates.first(where: { $0.lowercased() == word.lowercased() && $0 != word }) ?? closest(to: word, among: candidates) {
            return " (did you mean `\(hit)`?)"
        }
        return ""
    }

    /// What exists at this node, for messages (at most 12 entries named).
    func contents() -> String {
        var parts: [String] = []
        if !fields.isEmpty { parts.append(fields.map(\.name).joined(separator: ", ")) }
        if isList {
            let shown = entries.prefix(12).map { bareEntries && Self.isPlainName($0.key) ? $0.key : "[\(FigurePath.quote($0.key))]" }
            let more = entries.count > 12 ? ", … (\(entries.count) in all)" : ""
            parts.append(entries.isEmpty ? "no \(entryNoun) entries" : "\(entryNoun) entries " + shown.joined(separator: ", ") + more)
        }
        return parts.isEmpty ? "nothing" : parts.joined(separator: "; ")
    }

    static func isPlainName(_ s: String) -> Bool { !s.isEmpty && s.allSatisfy(RuleScanner.isNameCharacter) }
}

extension FigureNode {
    /// The figure tree of a report.
    public static func of(_ r: Report) -> FigureNode { group("the report", r) }

    static func leaf(_ f: Figure) -> FigureNode { FigureNode(what: "a figure", figure: f) }

    static func group(_ what: String, _ fields: [(String, Figure)]) -> FigureNode {
        var n = FigureNode(what: what)
        n.fields = fields.map { ($0.0, leaf($0.1)) }
        return n
    }

    static func list(_ what: String, noun: String, bare: Bool, _ entries: [(String, FigureNode)]) -> FigureNode {
        var n = FigureNode(what: what)
        n.entryNoun = noun
        n.bareEntries = bare
        n.entries = entries
        return n
    }

    /// The figures of `x` as fields (``FigureList/figures``, in declared order): a plain figure is a leaf, a keyed
    /// one a list of leaves by key.
    static func figures<T: FigureList>(_ x: T, what: String) -> [(name: String, node: FigureNode)] {
        T.figures.map { d in
            let samples = d.samples(of: x)
            guard d.isKeyed else { return (d.key, leaf(figure(d, samples[0]))) }
            return (d.key, list("\(d.keyedWhat) of \(what)", noun: d.keyNoun, bare: true,
                                samples.map { ($0.subkey ?? "", leaf(figure(d, $0))) }))
        }
    }

    /// One value of a figure as a ``Figure``.
    static func figure<T>(_ d: FigureDescriptor<T>, _ sample: FigureSample) -> Figure {
        Figure(value: sample.value.double, unit: d.unit, absentBecause: d.absentBecause, withheld: sample.withheld)
    }

    /// A node holding the figures and children of `x`; its children see `subject` (by default `what`) as `{what}`.
    static func group<T: FigureList>(_ what: String, _ x: T, subject: String? = nil) -> FigureNode {
        build(what, x, subject: subject ?? what, figures: figures(x, what: what))
    }

    /// A node holding the children of `x`, which declares no figures of its own.
    static func node<T: FigureParent>(_ what: String, _ x: T, subject: String? = nil) -> FigureNode {
        build(what, x, subject: subject ?? what, figures: [])
    }

    /// The node of `x` from its declared ``FigureParent/children``: the ones marked first, the figures, the rest.
    static func build<T: FigureParent>(_ what: String, _ x: T, subject: String,
                                       figures: [(name: String, node: FigureNode)]) -> FigureNode {
        var n = FigureNode(what: what)
        var first: [(name: String, node: FigureNode)] = [], rest: [(name: String, node: FigureNode)] = []
        for c in T.children {
            for a in c.aliases { n.aliases[a] = c.key }
            guard let child = c.make(x, subject) else { continue }
            if c.placement != .field {
                n.entries = child.entries
                n.entryNoun = child.entryNoun
                n.bareEntries = child.bareEntries
                n.keyedIndex = child.keyedIndex
            }
            if c.placement != .entriesOnly {
                if c.first { first.append((c.key, child)) } else { rest.append((c.key, child)) }
            }
        }
        n.fields = first + figures + rest
        return n
    }
}

extension Report {
    /// The report's sections in the figure tree; `questions` and `question_funnels` are shortcuts into `feedback`.
    public static let children: [FigureChild<Report>] = [
        .group("store", { $0.store }, what: "the store summary"),
        .group("consent", { $0.consent }, what: "the consent summary"),
        .group("feedback", { $0.feedback }, what: "the feedback summary"),
        .list("weekly", { $0.weekly }, what: "the weekly series", noun: "week", aliases: ["week"],
              entryKey: { $0.week }, entryWhat: { p, _ in "week \(p.week)" }),
        .list("event_names", { $0.eventNames }, what: "the list of event names", noun: "event name",
              aliases: ["event", "events"],
              entryKey: { $0.name }, entryWhat: { e, _ in "event name \(FigurePath.quote(e.name))" }),
        .list("segments", { $0.segments }, what: "the list of segments", noun: "segment", aliases: ["segment"],
              entryKey: { $0.name }, entryWhat: { s, _ in "segment \(FigurePath.quote(s.name))" }),
        // The pair's size is the one figure of ``SegmentOverlap``: the path names both segments (`overlap["A"]["B"]`).
        .list("overlap", { overlapPairs($0.overlap) }, what: "the segment overlaps", noun: "segment",
              entryKey: { $0.segment }, entryWhat: { e, _ in "the overlaps of segment \(FigurePath.quote(e.segment))" },
              entry: { e, what in FigureNode.list(what, noun: "segment", bare: false, e.pairs) }),
        .list("loops", { $0.loops }, what: "the list of loops", noun: "loop", aliases: ["loop"],
              entryKey: { $0.name }, entryWhat: { l, _ in "loop \(FigurePath.quote(l.name))" }),
        .list("journeys", { $0.journeys }, what: "the list of journeys", noun: "journey", aliases: ["journey"],
              entryKey: { $0.name }, entryWhat: { j, _ in "journey \(FigurePath.quote(j.name))" }),
        QuestionStats.listChild("questions", { $0.feedback.questions }, jsonKey: nil),
        QuestionFunnel.listChild("question_funnels", { $0.feedback.questionFunnels }, aliases: ["funnel", "funnels"], jsonKey: nil),
        .node("persons", { $0.persons }, what: "the person figures"),
        .group("privacy", { $0.privacy }, what: "the privacy guards"),
    ]

    /// Each segment of the overlap pairs with the segments it overlaps, in first-seen order.
    static func overlapPairs(_ o: [SegmentOverlap]) -> [(segment: String, pairs: [(String, FigureNode)])] {
        var names: [String] = []
        for p in o {
            if !names.contains(p.a) { names.append(p.a) }
            if !names.contains(p.b) { names.append(p.b) }
        }
        let size = SegmentOverlap.figure("size")
        return names.map { a in
            (a, o.compactMap { p -> (String, FigureNode)? in
                if p.a == a { return (p.b, FigureNode.leaf(FigureNode.figure(size, size.samples(of: p)[0]))) }
                if p.b == a { return (p.a, FigureNode.leaf(FigureNode.figure(size, size.samples(of: p)[0]))) }
                return nil
            })
        }
    }
}

extension StoreSummary {
    /// The warning count and the file list.
    public static let children: [FigureChild<StoreSummary>] = [
        .leaf("warnings") { .count($0.warnings.count) },
        .list("file_list", { $0.fileList }, what: "the list of files", noun: "file", aliases: ["file", "files_list"],
              entryKey: { $0.path }, entryWhat: { f, _ in "file \(FigurePath.quote(f.path))" }),
        .alias("last_event_age", for: "last_event_age_seconds"),
    ]
}

extension ConsentSummary {
    /// The categories, also reachable directly (`consent.Marketing`).
    public static let children: [FigureChild<ConsentSummary>] = [
        .list("categories", { $0.categories }, what: "the list of consent categories", noun: "consent category",
              bare: true, aliases: ["category"], placement: .fieldAndEntries,
              entryKey: { $0.name }, entryWhat: { c, _ in "consent category \(FigurePath.quote(c.name))" }),
    ]
}

extension FeedbackSummary {
    /// The total, the channels (also reachable directly: `feedback.chat`), surveys, NPS maps and the detail tables.
    public static let children: [FigureChild<FeedbackSummary>] = [
        .group("total", { $0.total }, what: "the feedback total", aliases: ["all"], first: true),
        .list("channels", { $0.channels }, what: "the list of feedback channels", noun: "channel", bare: true,
              aliases: ["channel"], placement: .fieldAndEntries,
              entryKey: { $0.channel }, entryWhat: { c, _ in "feedback channel \(FigurePath.quote(c.channel))" }),
        .list("surveys", { $0.surveys }, what: "the list of surveys", noun: "survey", aliases: ["survey"],
              entryKey: { $0.surveyID ?? "" }, entryWhat: { s, _ in "survey \(FigurePath.quote(s.surveyID ?? ""))" }),
        .group("nps", { $0.nps }, what: "the NPS of all responses"),
        npsMap("nps_by_channel", { $0.npsByChannel }, what: "the NPS by channel", noun: "channel"),
        npsMap("nps_by_survey", { $0.npsBySurvey }, what: "the NPS by survey", noun: "survey"),
        .list("hour_weekday", { $0.hourWeekday }, what: "the prompts by local hour and weekday", noun: "hour",
              entryKey: hourKey, entryWhat: { h, _ in "hour \(hourKey(h))" }),
        .group("free_text", { $0.freeText }, what: "the free-text answers"),
        QuestionStats.listChild("questions", { $0.questions }),
        QuestionFunnel.listChild("question_funnels", { $0.questionFunnels }, aliases: ["funnel"]),
        .node("fatigue", { $0.fatigue }, what: "the prompt fatigue tables", subject: ""),
        .group("preferred_channel", { $0.preferredChannel }, what: "the preferred-channel comparison"),
    ]

    static func hourKey(_ h: HourWeekdayCell) -> String { "\(h.weekday)-\(h.hour < 10 ? "0" : "")\(h.hour)" }

    static func npsMap(_ key: String, _ map: @escaping (FeedbackSummary) -> [String: NPSStats], what: String,
                       noun: String) -> FigureChild<FeedbackSummary> {
        .list(key, { map($0).sorted { $0.key < $1.key } }, what: what, noun: noun, bare: true,
              entryKey: { $0.key }, entryWhat: { e, _ in "the NPS of \(noun) \(FigurePath.quote(e.key))" },
              entry: { e, what in FigureNode.group(what, e.value) })
    }
}

extension SegmentReport {
    /// A segment's weekly sizes, feedback by channel, NPS and profile depth.
    public static let children: [FigureChild<SegmentReport>] = [
        .list("weekly", { $0.weekly }, what: "the weekly sizes of {what}", noun: "week",
              entryKey: { $0.week }, entryWhat: { w, what in "week \(w.week) of \(what)" }),
        .list("feedback", { $0.feedback }, what: "the feedback of {what}", noun: "channel", bare: true,
              entryKey: { $0.channel }, entryWhat: { c, _ in "channel \(FigurePath.quote(c.channel))" }),
        .group("nps", { $0.nps }, what: "the NPS of {what}"),
        .node("profile_depth", { $0.profileDepth }, what: "the profile depth of {what}", subject: "{what}"),
    ]
}
