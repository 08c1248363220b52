import Foundation
import XCTest
@testable import Analytics

/// Walks every declared figure list (``FigureList``) over a report in which every section has an entry and every
/// figure a distinct value, and checks that JSON, CSV, Prometheus (for exported figures) and `check` all carry each
/// figure with its value. A figure added to a list is checked here without touching this test; a new report struct
/// needs one `place` line below.
final class FigureListTests: XCTestCase {
    /// A report whose every list has one entry and whose figures hold distinct non-zero values.
    static func fullReport() -> Report {
        var n = 0
        func next() -> Int { n += 1; return n }
        func rate() -> Double { Double(next()) / 1000 }
        func loopStats(_ channel: String, survey: String? = nil) -> LoopStats {
            var l = LoopStats(channel: channel, surveyID: survey)
            l.prompts = next(); l.answered = next(); l.responseRate = rate(); l.personsPrompted = next()
            l.personsAnswered = next(); l.personResponseRate = rate(); l.dismissed = next(); l.dismissalRate = rate()
            l.medianSecondsToAnswer = Double(next())
            return l
        }
        func nps() -> NPSStats { NPSStats(scored: next(), promoters: next(), passives: next(), detractors: next(), nps: Double(next())) }
        func outcomes() -> LoopOutcomes {
            var o = LoopOutcomes()
            o.triggers = next(); o.inTime = next(); o.late = next(); o.open = next(); o.missed = next(); o.inTimeRate = rate()
            return o
        }
        var r = Report(now: "2026-11-20T00:00:00Z")
        r.store.files = next(); r.store.lines = next(); r.store.batchEnvelopes = next(); r.store.batchItems = next()
        r.store.records = next(); r.store.events = next(); r.store.duplicates = next(); r.store.malformed = next()
        r.store.persons = next(); r.store.deletedPersons = next(); r.store.deletedEvents = next()
        r.store.malformedShare = rate(); r.store.lastEventAgeSeconds = Double(next())
        r.consent.persons = next(); r.consent.events = next(); r.consent.eventsWithoutConsent = next()
        r.consent.eventsConsentUnknown = next()
        r.consent.categories = [CategoryCoverage(name: "Marketing", granted: next(), denied: next(), unknown: next(), coverage: rate())]
        r.feedback.windowSeconds = next(); r.feedback.responses = next(); r.feedback.unmatchedResponses = next()
        r.feedback.promptsUnknownTimezone = next()
        r.feedback.total = loopStats("all"); r.feedback.channels = [loopStats("chat")]; r.feedback.surveys = [loopStats("email", survey: "s1")]
        r.feedback.nps = nps(); r.feedback.npsByChannel = ["chat": nps()]; r.feedback.npsBySurvey = ["s1": nps()]
        r.feedback.hourWeekday = [HourWeekdayCell(weekday: 1, hour: 9, prompts: next(), answered: next(), responseRate: rate())]
        r.feedback.freeText.answers = next(); r.feedback.freeText.persons = next()
        r.feedback.freeText.meanLength = Double(next()); r.feedback.freeText.medianLength = Double(next())
        r.feedback.freeText.wordsDropped = next()
        var q = QuestionStats(surveyID: "s1", question: "q1")
        q.answers = next(); q.persons = next(); q.mean = Double(next())
        r.feedback.questions = [q]
        r.weekly = [WeekPoint(week: "2026-W46", personsSeen: next(), prompts: next(), answered: next(), responseRate: rate(),
                              consentCoverage: ["Marketing": rate()])]
        r.eventNames = [EventNameCount(name: "Order Completed", count: next(), known: true)]
        r.segments = [SegmentReport(name: "VIP", rule: "x", size: next(), share: rate(), reachable: ["Marketing": next()],
                                    weekly: [SegmentWeek(week: "2026-W46", size: next())], feedback: [loopStats("chat")], nps: nps())]
        r.overlap = [SegmentOverlap(a: "VIP", b: "New", size: next())]
        var loop = LoopReport(name: "Apology", rule: "r", withinSeconds: Double(next()))
        loop.outcomes = outcomes(); loop.persons = next(); loop.lateRate = rate(); loop.missedRate = rate()
        loop.medianSecondsToClose = Double(next()); loop.p90SecondsToClose = Double(next())
        loop.oldestOpenSeconds = Double(next()); loop.openOlderThanHours = Double(next())
        var channel = LoopChannel(channel: "email")
        channel.closed = next(); channel.inTime = next(); channel.medianSecondsToClose = Double(next())
        loop.byChannel = [channel]
        loop.weekly = [LoopWeek(week: "2026-W46", outcomes: outcomes())]
        loop.openAges = [LoopAgeBin(fromSeconds: 0, toSeconds: 3600, open: next())]
        r.loops = [loop]
        var journey = JourneyReport(name: "Baby", rule: "r", entry: "e", direction: "from", by: "section", steps: 2, windowSeconds: nil)
        journey.entries = next(); journey.persons = next()
        var node = JourneyNode(step: "baby")
        node.entries = next(); node.persons = next(); node.share = rate(); node.ended = next(); node.endedShare = rate()
        journey.tree = JourneyTree(children: [node])
        journey.paths = [JourneyPath(steps: ["baby", "gifts"], entries: next(), persons: next())]
        r.journeys = [journey]
        r.privacy = PrivacySummary(applied: true, minCohort: next(), piiMasked: true, suppressedValues: next())
        return r
    }

    func testEveryDeclaredFigureIsInEveryOutput() throws {
        var t = FigureAudit()
        try t.verifyAll(Self.fullReport())
        XCTAssertEqual(t.failures, [])
        XCTAssertGreaterThan(t.checked, 130)
    }

    /// The JSON that the declared lists write reads back to the same report (the lists and `CodingKeys` agree).
    func testJSONRoundTrip() throws {
        let r = Self.fullReport()
        let back = try JSONDecoder().decode(Report.self, from: Data(ReportRenderer.json(r).utf8))
        XCTAssertEqual(back, r)
    }

    /// The privacy pass guards every count the lists declare as persons or events: a report whose every figure is 1
    /// publishes every such figure withheld (k = 5).
    func testPrivacyWithholdsEveryGuardedCount() throws {
        let r = Self.fullReport()
        // Every declared guarded count set to 1 (in the JSON, for every struct at once), then published.
        var text = ReportRenderer.json(r)
        for key in Self.guardedKeys() {
            text = text.replacingOccurrences(of: #""\#(key)" : (\d+)"#, with: "\"\(key)\" : 1", options: .regularExpression)
        }
        let ones = try JSONDecoder().decode(Report.self, from: Data(text.utf8))
        let published = Privacy.publish(ones, policy: PrivacyPolicy(minCohort: 5))
        var t = FigureAudit()
        t.collectShown(published)
        XCTAssertEqual(t.failures, [], "guarded counts shown although 1 < k")
    }

    static func guardedKeys() -> Set<String> {
        var keys: Set<String> = []
        func add<T: FigureList>(_: T.Type) { for d in T.figures where d.privacy.isGuardedCount && !d.isKeyed { keys.insert(d.key) } }
        add(StoreSummary.self); add(ConsentSummary.self); add(CategoryCoverage.self); add(LoopStats.self); add(NPSStats.self)
        add(HourWeekdayCell.self); add(WeekPoint.self); add(SegmentReport.self); add(SegmentWeek.self); add(SegmentOverlap.self)
        add(FreeTextSummary.self); add(QuestionStats.self); add(LoopReport.self); add(LoopChannel.self); add(LoopWeek.self)
        add(LoopAgeBin.self); add(JourneyReport.self); add(JourneyNode.self); add(JourneyPath.self)
        return keys
    }

}

/// Checks the outputs of a report against the declared figure lists, collecting failures.
struct FigureAudit {
    /// The outputs of the report, parsed once.
    struct Outputs {
        let json: [String: Any]
        let csv: Set<String>
        let prometheus: [String]
        let tree: FigureNode

        init(_ r: Report) throws {
            json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(ReportRenderer.json(r).utf8)) as? [String: Any])
            csv = Set(ReportRenderer.csv(r).split(separator: "\n").map(String.init))
            prometheus = PrometheusRenderer.render(r).split(separator: "\n").map(String.init)
            tree = FigureNode.of(r)
        }
    }

    /// Where a struct's figures appear in each output.
    struct Place<T: FigureList> {
        var value: T
        /// JSON keys and array indices from the top to the struct's object.
        var json: [Any]
        /// The CSV section and key, and the metric of a figure (default: its key, `.subkey` for keyed figures).
        var csv: (section: String, key: String, prefix: String)
        var csvMetric: ((FigureDescriptor<T>, String?) -> String)? = nil
        /// The `check` path of the struct (`feedback.chat`).
        var check: String
        /// The `check` path of a figure, when it is not the struct's path + `.key` (+ `["subkey"]`).
        var checkPath: ((FigureDescriptor<T>, String?) -> String)? = nil
        /// The Prometheus family prefix and the entry's labels; nil when the section is not exported.
        var prometheus: (prefix: String, labels: [(String, String)])?
        /// The figures exported for this section (nil: all that declare a metric).
        var exported: Set<String>? = nil
    }

    var failures: [String] = []
    var checked = 0

    mutating func verify<T: FigureList>(_ p: Place<T>, in out: Outputs, file: StaticString = #filePath, line: UInt = #line) {
        // JSON: the struct's object has exactly its attributes and figures.
        var node: Any? = out.json
        for step in p.json {
            if let k = step as? String { node = (node as? [String: Any])?[k] } else if let i = step as? Int { node = (node as? [Any])?[i] }
        }
        guard let object = node as? [String: Any] else { failures.append("\(T.self): no JSON object at \(p.json)"); return }
        let declared = Set(T.attributes.map(\.key) + T.figures.map(\.key))
        if Set(object.keys) != declared {
            failures.append("\(T.self): JSON keys \(object.keys.sorted()) but declared \(declared.sorted())")
        }
        for d in T.figures {
            for s in d.samples(of: p.value) {
                checked += 1
                let what = "\(T.self).\(d.key)\(s.subkey.map { "[\($0)]" } ?? "")"
                XCTAssertFalse(s.withheld.isSuppressed, what)
                let expected = s.value.double
                XCTAssertNotNil(expected, "the fixture gives \(what) no value")
                // JSON
                var j = object[d.key]
                if let k = s.subkey { j = (j as? [String: Any])?[k] }
                if (j as? NSNumber)?.doubleValue != expected { failures.append("JSON lacks \(what) = \(expected.map { "\($0)" } ?? "nil"): \(String(describing: j))") }
                // CSV
                let metric = p.csvMetric?(d, s.subkey) ?? (p.csv.prefix + d.key + (s.subkey.map { "." + $0 } ?? ""))
                let value: String
                switch s.value {
                case .count(let n): value = String(n)
                case .number(let x): value = x.map(NumberFormat.plain) ?? ""
                }
                let row = [p.csv.section, p.csv.key, metric, value].joined(separator: ",")
                if !out.csv.contains(row) { failures.append("CSV lacks \(what): \(row)") }
                // check
                let path = p.checkPath?(d, s.subkey) ?? (p.check + "." + d.key + (s.subkey.map { "[\"\($0)\"]" } ?? ""))
                do {
                    let rule = try RuleParser.parse(path + " >= 0", level: .critical, origin: "test")
                    switch out.tree.resolve(rule.path) {
                    case .success(let f):
                        if f.value != expected || f.unit != d.unit { failures.append("check `\(path)` is \(String(describing: f.value)) \(f.unit), not \(what)") }
                    case .failure(let e): failures.append("check lacks \(what) at `\(path)`: \(e)")
                    }
                } catch {
                    failures.append("check path `\(path)` of \(what) does not parse: \(error)")
                }
                // Prometheus
                if let m = d.metric, let prom = p.prometheus, p.exported?.contains(d.key) ?? true {
                    let name = m.name.isEmpty ? prom.prefix : prom.prefix + "_" + m.name
                    var labels = (m.entryLabels ? prom.labels : []) + m.labels
                    if let kl = m.keyLabel, let k = s.subkey { labels.append((kl, k)) }
                    let sample = name + (labels.isEmpty ? "" : "{" + labels.map { "\($0.0)=\"\($0.1)\"" }.joined(separator: ",") + "}")
                        + " " + PrometheusRenderer.value(expected ?? .nan)
                    if !out.prometheus.contains(sample) { failures.append("Prometheus lacks \(what): \(sample)") }
                    if !out.prometheus.contains(where: { $0.hasPrefix("# HELP \(name) ") }) {
                        failures.append("Prometheus lacks the HELP of \(name)")
                    }
                }
            }
        }
    }

    /// Every place of every figure list in the report.
    mutating func verifyAll(_ r: Report) throws {
        let out = try Outputs(r)
        let f = r.feedback, seg = r.segments[0], loop = r.loops[0], journey = r.journeys[0]
        verify(Place(value: r.store, json: ["store"], csv: ("store", "", ""), check: "store", prometheus: ("earshot", [])), in: out)
        verify(Place(value: r.consent, json: ["consent"], csv: ("consent", "", ""), check: "consent",
                     prometheus: ("earshot", [("category", r.consent.analyticsCategory)])), in: out)
        verify(Place(value: r.consent.categories[0], json: ["consent", "categories", 0], csv: ("consent_category", "Marketing", ""),
                     check: "consent.Marketing", prometheus: ("earshot_consent", [("category", "Marketing")])), in: out)
        verify(Place(value: f, json: ["feedback"], csv: ("feedback", "", ""), check: "feedback", prometheus: ("earshot", [])), in: out)
        verify(Place(value: f.total, json: ["feedback", "total"], csv: ("feedback_total", "all", ""), check: "feedback.total",
                     prometheus: nil), in: out)
        verify(Place(value: f.channels[0], json: ["feedback", "channels", 0], csv: ("feedback_channel", "chat", ""), check: "feedback.chat",
                     prometheus: ("earshot_feedback", [("channel", "chat")])), in: out)
        verify(Place(value: f.surveys[0], json: ["feedback", "surveys", 0], csv: ("feedback_survey", "s1", ""),
                     check: #"feedback.survey["s1"]"#, prometheus: ("earshot_survey", [("survey", "s1"), ("channel", "email")])), in: out)
        verify(Place(value: f.nps, json: ["feedback", "nps"], csv: ("nps", "all", ""), check: "feedback.nps",
                     prometheus: ("earshot_nps", [])), in: out)
        verify(Place(value: f.npsByChannel["chat"]!, json: ["feedback", "nps_by_channel", "chat"], csv: ("nps_channel", "chat", ""),
                     check: "feedback.nps_by_channel.chat", prometheus: ("earshot_nps_by_channel", [("channel", "chat")]),
                     exported: ["nps"]), in: out)
        verify(Place(value: f.npsBySurvey["s1"]!, json: ["feedback", "nps_by_survey", "s1"], csv: ("nps_survey", "s1", ""),
                     check: "feedback.nps_by_survey.s1", prometheus: ("earshot_nps_by_survey", [("survey", "s1")]), exported: ["nps"]), in: out)
        verify(Place(value: f.hourWeekday[0], json: ["feedback", "hour_weekday", 0], csv: ("hour_weekday", "1-09", ""),
                     check: #"feedback.hour_weekday["1-09"]"#, prometheus: nil), in: out)
        verify(Place(value: f.freeText, json: ["feedback", "free_text"], csv: ("free_text", "", ""), check: "feedback.free_text",
                     prometheus: nil), in: out)
        verify(Place(value: f.questions[0], json: ["feedback", "questions", 0], csv: ("question", "s1/q1", ""),
                     check: #"feedback.question["s1/q1"]"#, prometheus: nil), in: out)
        verify(Place(value: r.weekly[0], json: ["weekly", 0], csv: ("weekly", "2026-W46", ""), check: #"week["2026-W46"]"#,
                     prometheus: nil), in: out)
        verify(Place(value: r.eventNames[0], json: ["event_names", 0], csv: ("event_name", "Order Completed", ""),
                     check: #"event["Order Completed"]"#, prometheus: nil), in: out)
        verify(Place(value: seg, json: ["segments", 0], csv: ("segment", "VIP", ""), check: #"segment["VIP"]"#,
                     prometheus: ("earshot_segment", [("segment", "VIP")])), in: out)
        verify(Place(value: seg.weekly[0], json: ["segments", 0, "weekly", 0], csv: ("segment_weekly", "VIP", ""),
                     csvMetric: { _, _ in "2026-W46" }, check: #"segment["VIP"].weekly["2026-W46"]"#, prometheus: nil), in: out)
        verify(Place(value: seg.feedback[0], json: ["segments", 0, "feedback", 0], csv: ("segment_feedback", "VIP", "chat."),
                     check: #"segment["VIP"].feedback.chat"#, prometheus: nil), in: out)
        verify(Place(value: seg.nps, json: ["segments", 0, "nps"], csv: ("segment", "VIP", "nps."), check: #"segment["VIP"].nps"#,
                     prometheus: ("earshot_segment_nps", [("segment", "VIP")]), exported: ["nps"]), in: out)
        // The overlap's one figure is addressed by both names: `overlap["VIP"]["New"]`.
        verify(Place(value: r.overlap[0], json: ["overlap", 0], csv: ("overlap", "VIP", ""), csvMetric: { _, _ in "New" },
                     check: "overlap", checkPath: { _, _ in #"overlap["VIP"]["New"]"# },
                     prometheus: ("earshot_segment_overlap", [("a", "VIP"), ("b", "New")])), in: out)
        verify(Place(value: loop, json: ["loops", 0], csv: ("loop", "Apology", ""), check: #"loop["Apology"]"#,
                     prometheus: ("earshot_loop", [("loop", "Apology")])), in: out)
        verify(Place(value: loop.byChannel[0], json: ["loops", 0, "by_channel", 0], csv: ("loop_channel", "Apology", "email."),
                     check: #"loop["Apology"].channel.email"#, prometheus: nil), in: out)
        verify(Place(value: loop.weekly[0], json: ["loops", 0, "weekly", 0], csv: ("loop_weekly", "Apology", "2026-W46."),
                     check: #"loop["Apology"].week["2026-W46"]"#, prometheus: nil), in: out)
        verify(Place(value: loop.openAges[0], json: ["loops", 0, "open_ages", 0], csv: ("loop_open_age", "Apology", ""),
                     csvMetric: { _, _ in "0-3600" }, check: #"loop["Apology"].open_ages["0-3600"]"#, prometheus: nil), in: out)
        verify(Place(value: journey, json: ["journeys", 0], csv: ("journey", "Baby", ""), check: #"journey["Baby"]"#,
                     prometheus: ("earshot_journey", [("journey", "Baby")])), in: out)
        verify(Place(value: journey.tree.children[0], json: ["journeys", 0, "tree", "children", 0], csv: ("journey_node", "Baby", "baby."),
                     check: #"journey["Baby"].tree["baby"]"#, prometheus: nil), in: out)
        verify(Place(value: journey.paths[0], json: ["journeys", 0, "paths", 0], csv: ("journey_path", "Baby", "1."),
                     check: #"journey["Baby"].paths["baby > gifts"]"#, prometheus: nil), in: out)
        verify(Place(value: r.privacy, json: ["privacy"], csv: ("privacy", "", ""), check: "privacy",
                     prometheus: ("earshot_privacy", [])), in: out)
    }

    mutating func shown<T: FigureList>(_ x: T, _ what: String) {
        for d in T.figures where d.privacy.isGuardedCount && !d.isKeyed {
            if !d.isWithheld(in: x), d.value(of: x) == .count(1) { failures.append("\(what).\(d.key)") }
        }
    }

    mutating func collectShown(_ r: Report) {
        shown(r.store, "store"); shown(r.consent, "consent"); r.consent.categories.forEach { shown($0, "category") }
        let f = r.feedback
        shown(f.total, "total"); f.channels.forEach { shown($0, "channel") }; f.surveys.forEach { shown($0, "survey") }
        shown(f.nps, "nps"); f.npsByChannel.values.forEach { shown($0, "nps_by_channel") }
        f.hourWeekday.forEach { shown($0, "hour") }; shown(f.freeText, "free_text"); f.questions.forEach { shown($0, "question") }
        r.weekly.forEach { shown($0, "week") }
        for s in r.segments {
            shown(s, "segment"); s.weekly.forEach { shown($0, "segment week") }; s.feedback.forEach { shown($0, "segment feedback") }
            shown(s.nps, "segment nps")
        }
        r.overlap.forEach { shown($0, "overlap") }
        for l in r.loops {
            shown(l, "loop"); l.byChannel.forEach { shown($0, "loop channel") }; l.weekly.forEach { shown($0, "loop week") }
            l.openAges.forEach { shown($0, "age bin") }
        }
        for j in r.journeys {
            shown(j, "journey"); j.paths.forEach { shown($0, "path") }
            func walk(_ n: [JourneyNode]) { n.forEach { shown($0, "node"); walk($0.children) } }
            walk(j.tree.children)
        }
    }
}
