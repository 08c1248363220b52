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
    public static func of(_ r: Report) -> FigureNode {
        var root = FigureNode(what: "the report")
        root.fields = [
            ("store", store(r.store)),
            ("consent", consent(r.consent)),
            ("feedback", feedback(r.feedback)),
            ("weekly", weekly(r.weekly)),
            ("event_names", eventNames(r.eventNames)),
            ("segments", segments(r.segments)),
            ("overlap", overlap(r.overlap)),
            ("loops", loops(r.loops)),
            ("journeys", journeys(r.journeys)),
            ("questions", questions(r.feedback.questions)),
            ("question_funnels", funnels(r.feedback.questionFunnels)),
            ("persons", persons(r.persons)),
            ("privacy", group("the privacy guards", r.privacy)),
        ]
        root.aliases = ["segment": "segments", "event": "event_names", "events": "event_names", "week": "weekly",
                        "loop": "loops", "journey": "journeys", "question": "questions", "funnel": "question_funnels",
                        "funnels": "question_funnels"]
        return root
    }

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

    /// A node holding the figures of `x`.
    static func group<T: FigureList>(_ what: String, _ x: T) -> FigureNode {
        var n = FigureNode(what: what)
        n.fields = figures(x, what: what)
        return n
    }

    static func store(_ s: StoreSummary) -> FigureNode {
        var n = group("the store summary", s)
        n.fields.append(("warnings", leaf(.count(s.warnings.count))))
        n.fields.append(("file_list", list("the list of files", noun: "file", bare: false, s.fileList.map { f in
            (f.path, group("file \(FigurePath.quote(f.path))", f))
        })))
        n.aliases = ["file": "file_list", "files_list": "file_list", "last_event_age": "last_event_age_seconds"]
        return n
    }

    static func consent(_ c: ConsentSummary) -> FigureNode {
        var n = group("the consent summary", c)
        let categories = c.categories.map { cat in (cat.name, group("consent category \(FigurePath.quote(cat.name))", cat)) }
        n.fields.append(("categories", list("the list of consent categories", noun: "consent category", bare: true, categories)))
        n.entries = categories
        n.entryNoun = "consent category"
        n.bareEntries = true
        n.aliases = ["category": "categories"]
        return n
    }

    static func npsMap(_ m: [String: NPSStats], what: String, noun: String) -> FigureNode {
        list(what, noun: noun, bare: true, m.keys.sorted().map { k in (k, group("the NPS of \(noun) \(FigurePath.quote(k))", m[k]!)) })
    }

    static func loops(_ list: [LoopStats], what: String) -> [(String, FigureNode)] {
        list.map { ($0.channel, group("\(what) \(FigurePath.quote($0.channel))", $0)) }
    }

    static func feedback(_ f: FeedbackSummary) -> FigureNode {
        var n = group("the feedback summary", f)
        let channels = loops(f.channels, what: "feedback channel")
        let surveys = f.surveys.map { s in
            (s.surveyID ?? "", group("survey \(FigurePath.quote(s.surveyID ?? ""))", s))
        }
        n.fields.insert(("total", group("the feedback total", f.total)), at: 0)
        n.fields += [
            ("channels", list("the list of feedback channels", noun: "channel", bare: true, channels)),
            ("surveys", list("the list of surveys", noun: "survey", bare: false, surveys)),
            ("nps", group("the NPS of all responses", f.nps)),
            ("nps_by_channel", npsMap(f.npsByChannel, what: "the NPS by channel", noun: "channel")),
            ("nps_by_survey", npsMap(f.npsBySurvey, what: "the NPS by survey", noun: "survey")),
            ("hour_weekday", list("the prompts by local hour and weekday", noun: "hour", bare: false, f.hourWeekday.map { h in
                let key = "\(h.weekday)-\(h.hour < 10 ? "0" : "")\(h.hour)"
                return (key, group("hour \(key)", h))
            })),
            ("free_text", group("the free-text answers", f.freeText)),
            ("questions", questions(f.questions)),
            ("question_funnels", funnels(f.questionFunnels)),
            ("fatigue", fatigue(f.fatigue)),
            ("preferred_channel", preferredChannel(f.preferredChannel)),
        ]
        n.entries = channels
        n.entryNoun = "channel"
        n.bareEntries = true
        n.aliases = ["survey": "surveys", "channel": "channels", "all": "total", "question": "questions",
                     "funnel": "question_funnels"]
        return n
    }

    static func weekly(_ w: [WeekPoint]) -> FigureNode {
        list("the weekly series", noun: "week", bare: false, w.map { p in (p.week, group("week \(p.week)", p)) })
    }

    static func eventNames(_ e: EventNameList) -> FigureNode {
        list("the list of event names", noun: "event name", bare: false, e.map { ($0.name, group("event name \(FigurePath.quote($0.name))", $0)) })
    }

    static func segments(_ s: [SegmentReport]) -> FigureNode {
        list("the list of segments", noun: "segment", bare: false, s.map { seg in
            let what = "segment \(FigurePath.quote(seg.name))"
            var node = group(what, seg)
            node.fields += [
                ("weekly", list("the weekly sizes of \(what)", noun: "week", bare: false,
                                seg.weekly.map { w in (w.week, group("week \(w.week) of \(what)", w)) })),
                ("feedback", list("the feedback of \(what)", noun: "channel", bare: true, loops(seg.feedback, what: "channel"))),
                ("nps", group("the NPS of \(what)", seg.nps)),
                ("profile_depth", segmentDepth(seg.profileDepth, what: what)),
            ]
            return (seg.name, node)
        })
    }

    static func overlap(_ o: [SegmentOverlap]) -> FigureNode {
        var names: [String] = []
        for p in o {
            if !names.contains(p.a) { names.append(p.a) }
            if !names.contains(p.b) { names.append(p.b) }
        }
        // The pair's size is the one figure of ``SegmentOverlap``: the path names both segments (`overlap["A"]["B"]`).
        let size = SegmentOverlap.figure("size")
        return list("the segment overlaps", noun: "segment", bare: false, names.map { a in
            let pairs = o.compactMap { p -> (String, FigureNode)? in
                if p.a == a { return (p.b, leaf(figure(size, size.samples(of: p)[0]))) }
                if p.b == a { return (p.a, leaf(figure(size, size.samples(of: p)[0]))) }
                return nil
            }
            return (a, list("the overlaps of segment \(FigurePath.quote(a))", noun: "segment", bare: false, pairs))
        })
    }
}
