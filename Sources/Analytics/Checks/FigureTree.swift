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
            ("persons", persons(r.persons)),
            ("privacy", group("the privacy guards", [
                ("min_cohort", .count(r.privacy.minCohort)), ("suppressed_values", .count(r.privacy.suppressedValues)),
            ])),
        ]
        root.aliases = ["segment": "segments", "event": "event_names", "events": "event_names", "week": "weekly",
                        "loop": "loops", "journey": "journeys"]
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

    static func store(_ s: StoreSummary) -> FigureNode {
        var n = group("the store summary", [
            ("files", .count(s.files)), ("lines", .count(s.lines)), ("events", .count(s.events)),
            ("duplicates", .count(s.duplicates)), ("malformed", .count(s.malformed)), ("persons", .count(s.persons, s.$persons)),
            ("deleted_persons", .count(s.deletedPersons)), ("deleted_events", .count(s.deletedEvents)),
            ("malformed_share", .fraction(s.malformedShare, absent: "no lines")),
            ("last_event_age", .seconds(s.lastEventAgeSeconds, absent: "no events")),
            ("last_event_age_seconds", .seconds(s.lastEventAgeSeconds, absent: "no events")),
            ("warnings", .count(s.warnings.count)),
        ])
        n.fields.append(("file_list", list("the list of files", noun: "file", bare: false, s.fileList.map { f in
            (f.path, group("file \(FigurePath.quote(f.path))", [
                ("bytes", .count(Int(f.bytes))), ("lines", .count(f.lines)), ("events", .count(f.events)),
                ("duplicates", .count(f.duplicates)), ("malformed", .count(f.malformed)),
            ]))
        })))
        n.aliases = ["file": "file_list", "files_list": "file_list"]
        return n
    }

    static func consent(_ c: ConsentSummary) -> FigureNode {
        var n = group("the consent summary", [
            ("persons", .count(c.persons, c.$persons)), ("events", .count(c.events)),
            ("events_without_consent", .count(c.eventsWithoutConsent)),
            ("events_consent_unknown", .count(c.eventsConsentUnknown)),
        ])
        let categories = c.categories.map { cat in
            (cat.name, group("consent category \(FigurePath.quote(cat.name))", [
                ("granted", .count(cat.granted, cat.$granted)), ("denied", .count(cat.denied, cat.$denied)),
                ("unknown", .count(cat.unknown, cat.$unknown)),
                ("coverage", .fraction(cat.coverage, absent: "no persons", cat.$coverage)),
            ]))
        }
        n.fields.append(("categories", list("the list of consent categories", noun: "consent category", bare: true, categories)))
        n.entries = categories
        n.entryNoun = "consent category"
        n.bareEntries = true
        n.aliases = ["category": "categories"]
        return n
    }

    static func loop(_ s: LoopStats, what: String) -> FigureNode {
        group(what, [
            ("prompts", .count(s.prompts, s.$prompts)), ("answered", .count(s.answered, s.$answered)),
            ("response_rate", .fraction(s.responseRate, absent: "no prompts", s.$responseRate)),
            ("persons_prompted", .count(s.personsPrompted, s.$personsPrompted)),
            ("persons_answered", .count(s.personsAnswered, s.$personsAnswered)),
            ("person_response_rate", .fraction(s.personResponseRate, absent: "no persons prompted", s.$personResponseRate)),
            ("dismissed", .count(s.dismissed, s.$dismissed)),
            ("dismissal_rate", .fraction(s.dismissalRate, absent: "no prompts", s.$dismissalRate)),
            ("median_seconds_to_answer", .seconds(s.medianSecondsToAnswer, absent: "no answers", s.$medianSecondsToAnswer)),
        ])
    }

    static func nps(_ s: NPSStats, what: String) -> FigureNode {
        group(what, [
            ("scored", .count(s.scored, s.$scored)), ("promoters", .count(s.promoters, s.$promoters)),
            ("passives", .count(s.passives, s.$passives)), ("detractors", .count(s.detractors, s.$detractors)),
            ("nps", Figure(value: s.nps, unit: .score, absentBecause: "no scored responses", withheld: s.$nps)),
        ])
    }

    static func npsMap(_ m: [String: NPSStats], what: String, noun: String) -> FigureNode {
        list(what, noun: noun, bare: true, m.keys.sorted().map { k in (k, nps(m[k]!, what: "the NPS of \(noun) \(FigurePath.quote(k))")) })
    }

    static func loops(_ list: [LoopStats], what: String) -> [(String, FigureNode)] {
        list.map { ($0.channel, loop($0, what: "\(what) \(FigurePath.quote($0.channel))")) }
    }

    static func feedback(_ f: FeedbackSummary) -> FigureNode {
        var n = group("the feedback summary", [
            ("window_seconds", .seconds(Double(f.windowSeconds), absent: "no window")),
            ("responses", .count(f.responses)), ("unmatched_responses", .count(f.unmatchedResponses)),
            ("prompts_unknown_timezone", .count(f.promptsUnknownTimezone)),
        ])
        let channels = loops(f.channels, what: "feedback channel")
        let surveys = f.surveys.map { s in
            (s.surveyID ?? "", loop(s, what: "survey \(FigurePath.quote(s.surveyID ?? ""))"))
        }
        n.fields.insert(("total", loop(f.total, what: "the feedback total")), at: 0)
        n.fields += [
            ("channels", list("the list of feedback channels", noun: "channel", bare: true, channels)),
            ("surveys", list("the list of surveys", noun: "survey", bare: false, surveys)),
            ("nps", nps(f.nps, what: "the NPS of all responses")),
            ("nps_by_channel", npsMap(f.npsByChannel, what: "the NPS by channel", noun: "channel")),
            ("nps_by_survey", npsMap(f.npsBySurvey, what: "the NPS by survey", noun: "survey")),
            ("fatigue", fatigue(f.fatigue)),
            ("preferred_channel", preferredChannel(f.preferredChannel)),
        ]
        n.entries = channels
        n.entryNoun = "channel"
        n.bareEntries = true
        n.aliases = ["survey": "surveys", "channel": "channels", "all": "total"]
        return n
    }

    static func weekly(_ w: [WeekPoint]) -> FigureNode {
        list("the weekly series", noun: "week", bare: false, w.map { p in
            var node = group("week \(p.week)", [
                ("persons_seen", .count(p.personsSeen, p.$personsSeen)), ("prompts", .count(p.prompts, p.$prompts)),
                ("answered", .count(p.answered, p.$answered)),
                ("response_rate", .fraction(p.responseRate, absent: "no prompts that week", p.$responseRate)),
            ])
            node.fields.append(("consent_coverage", list("the consent coverage of week \(p.week)", noun: "consent category", bare: true,
                Set(p.consentCoverage.keys).union(p.$consentCoverage.keys).sorted().map { k in
                    (k, leaf(.fraction(p.consentCoverage[k], absent: "no persons", p.$consentCoverage[k] ?? .shown)))
                })))
            return (p.week, node)
        })
    }

    static func eventNames(_ e: [EventNameCount]) -> FigureNode {
        list("the list of event names", noun: "event name", bare: false, e.map { ($0.name, group("event name \(FigurePath.quote($0.name))", [("count", .count($0.count))])) })
    }

    static func segments(_ s: [SegmentReport]) -> FigureNode {
        list("the list of segments", noun: "segment", bare: false, s.map { seg in
            let what = "segment \(FigurePath.quote(seg.name))"
            var node = group(what, [
                ("size", .count(seg.size, seg.$size)), ("share", .fraction(seg.share, absent: "no persons", seg.$share)),
            ])
            node.fields += [
                ("reachable", list("the reachable members of \(what)", noun: "consent category", bare: true,
                                   Set(seg.reachable.keys).union(seg.$reachable.keys).sorted().map { k in
                                       (k, leaf(.count(seg.reachable[k] ?? 0, seg.$reachable[k] ?? .shown)))
                                   })),
                ("weekly", list("the weekly sizes of \(what)", noun: "week", bare: false,
                                seg.weekly.map { w in (w.week, group("week \(w.week) of \(what)", [("size", .count(w.size, w.$size))])) })),
                ("feedback", list("the feedback of \(what)", noun: "channel", bare: true, loops(seg.feedback, what: "channel"))),
                ("nps", nps(seg.nps, what: "the NPS of \(what)")),
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
        return list("the segment overlaps", noun: "segment", bare: false, names.map { a in
            let pairs = o.compactMap { p -> (String, FigureNode)? in
                if p.a == a { return (p.b, leaf(.count(p.size, p.$size))) }
                if p.b == a { return (p.a, leaf(.count(p.size, p.$size))) }
                return nil
            }
            return (a, list("the overlaps of segment \(FigurePath.quote(a))", noun: "segment", bare: false, pairs))
        })
    }
}
