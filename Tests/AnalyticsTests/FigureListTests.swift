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
        r.store.fileList = [FileSummary(path: "a.jsonl", bytes: next(), compressed: true, lines: next(), events: next(),
                                        duplicates: next(), malformed: next(), batchEnvelopes: 1, batchItems: 2)]
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
        q.medianLength = Double(next()); q.themesDropped = next()
        q.options = [OptionShare(option: "child", count: next(), persons: next(), share: rate())]
        q.histogram = [HistogramBin(value: 5, count: next())]
        q.nps = nps()
        r.feedback.questions = [q]
        r.feedback.questionFunnels = [QuestionFunnel(surveyID: "s1", name: nil, steps: [
            FunnelStep(position: 1, question: "q1", text: nil, asked: next(), answered: next())])]
        // Rates set apart from the counts: a value such as 50/49 does not survive JSONSerialization's parse exactly.
        func group() -> PromptGroup { var g = PromptGroup(prompts: next(), answered: next(), persons: next()); g.responseRate = rate(); return g }
        r.feedback.fatigue.byOrdinal[0].counts = group()
        r.feedback.fatigue.byGap[0].counts = group()
        var sms = FatigueTable()
        sms.byOrdinal[4].counts = group()
        sms.byGap[5].counts = group()
        r.feedback.fatigue.byChannel = ["sms": sms]
        var p = PreferredChannelSummary()
        p.personsWithPreference = next()
        p.preferences = [ChannelPreference(channel: "email", persons: next())]
        p.onPreferred = group(); p.onOther = group(); p.noPreference = group()
        var row = PreferredChannelRow(channel: "email")
        row.onPreferred = group(); row.onOther = group(); row.noPreference = group()
        row.bestCell = HourWeekdayCell(weekday: 2, hour: 18, prompts: next(), answered: next(), responseRate: rate())
        p.channels = [row]
        r.feedback.preferredChannel = p
        func depth() -> DepthDistribution {
            var d = DepthDistribution(counts: (0..<5).map { _ in next() })
            for i in d.depth.indices { d.depth[i].share = rate() }
            return d
        }
        r.persons.profileDepth.all = depth(); r.persons.profileDepth.prompted = depth()
        r.persons.profileDepth.weekly = [DepthWeek(week: "2026-W46", distribution: depth())]
        r.weekly = [WeekPoint(week: "2026-W46", personsSeen: next(), prompts: next(), answered: next(), responseRate: rate(),
                              consentCoverage: ["Marketing": rate()])]
        r.eventNames = [EventNameCount(name: "Order Completed", count: next(), known: true)]
        r.segments = [SegmentReport(name: "VIP", rule: "x", size: next(), share: rate(), reachable: ["Marketing": next()],
                                    weekly: [SegmentWeek(week: "2026-W46", size: next())], feedback: [loopStats("chat")], nps: nps())]
        r.segments[0].profileDepth.all = depth(); r.segments[0].profileDepth.prompted = depth()
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
        XCTAssertGreaterThan(t.checked, 170)
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
        add(OptionShare.self); add(HistogramBin.self); add(FunnelStep.self); add(PromptGroup.self); add(FatigueOrdinalRow.self)
        add(FatigueGapRow.self); add(PreferredChannelSummary.self); add(ChannelPreference.self); add(DepthDistribution.self)
        add(DepthBucket.self)
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
        // `or_more` is written only on the last row of a fatigue ordinal table or a depth distribution.
        if Set(object.keys).subtracting(["or_more"]) != declared {
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
        verify(Place(value: r.store.fileList[0], json: ["store", "file_list", 0], csv: ("store_file", "a.jsonl", ""),
                     check: #"store.file["a.jsonl"]"#, prometheus: nil), in: out)
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
        let q = f.questions[0], qLabels = [("survey", "s1"), ("question", "q1")]
        verify(Place(value: q, json: ["feedback", "questions", 0], csv: ("question", "s1/q1", ""),
                     check: #"feedback.question["s1/q1"]"#, prometheus: ("earshot_question", qLabels)), in: out)
        verify(Place(value: q.options[0], json: ["feedback", "questions", 0, "options", 0], csv: ("question_option", "s1/q1/child", ""),
                     check: #"question["s1/q1"].option["child"]"#, prometheus: ("earshot_question", qLabels + [("option", "child")])), in: out)
        verify(Place(value: q.histogram[0], json: ["feedback", "questions", 0, "histogram", 0], csv: ("question_histogram", "s1/q1/5", ""),
                     check: #"question["s1/q1"].histogram["5"]"#, prometheus: ("earshot_question", qLabels + [("value", "5")])), in: out)
        verify(Place(value: q.nps!, json: ["feedback", "questions", 0, "nps"], csv: ("question_nps", "s1/q1", ""),
                     check: #"question["s1/q1"].nps"#, prometheus: ("earshot_question_nps", qLabels), exported: ["nps"]), in: out)
        verify(Place(value: f.questionFunnels[0], json: ["feedback", "question_funnels", 0], csv: ("funnel_step", "", ""),
                     check: #"funnel["s1"]"#, prometheus: nil), in: out)
        verify(Place(value: f.questionFunnels[0].steps[0], json: ["feedback", "question_funnels", 0, "steps", 0],
                     csv: ("funnel_step", "s1/1/q1", ""), check: #"funnel["s1"].step["q1"]"#,
                     prometheus: ("earshot_funnel", [("survey", "s1"), ("position", "1"), ("question", "q1")])), in: out)
        // Prompt fatigue, the preferred channel and profile depth.
        let fat = f.fatigue, sms = fat.byChannel["sms"]!
        verify(Place(value: fat.byOrdinal[0], json: ["feedback", "fatigue", "by_ordinal", 0], csv: ("fatigue_ordinal", "all/1", ""),
                     check: #"feedback.fatigue.ordinal["1"]"#, prometheus: ("earshot_fatigue_ordinal", [("channel", "all"), ("ordinal", "1")])), in: out)
        verify(Place(value: fat.byGap[0], json: ["feedback", "fatigue", "by_gap", 0], csv: ("fatigue_gap", "all/first", ""),
                     check: #"feedback.fatigue.gap["first"]"#, prometheus: ("earshot_fatigue_gap", [("channel", "all"), ("gap", "first")])), in: out)
        verify(Place(value: sms.byOrdinal[4], json: ["feedback", "fatigue", "by_channel", "sms", "by_ordinal", 4],
                     csv: ("fatigue_ordinal", "sms/5+", ""), check: #"feedback.fatigue.channel.sms.ordinal["5+"]"#,
                     prometheus: ("earshot_fatigue_ordinal", [("channel", "sms"), ("ordinal", "5+")])), in: out)
        verify(Place(value: sms.byGap[5], json: ["feedback", "fatigue", "by_channel", "sms", "by_gap", 5],
                     csv: ("fatigue_gap", "sms/>30d", ""), check: #"feedback.fatigue.channel.sms.gap[">30d"]"#,
                     prometheus: ("earshot_fatigue_gap", [("channel", "sms"), ("gap", ">30d")])), in: out)
        let p = f.preferredChannel, pc = "feedback.preferred_channel"
        verify(Place(value: p, json: ["feedback", "preferred_channel"], csv: ("preferred_channel", "", ""), check: pc,
                     prometheus: ("earshot_preferred_channel", [])), in: out)
        verify(Place(value: p.preferences[0], json: ["feedback", "preferred_channel", "preferences", 0],
                     csv: ("preferred_channel_persons", "email", ""), check: pc + ".preferences.email",
                     prometheus: ("earshot_preferred_channel", [("channel", "email")])), in: out)
        for (key, g) in [("on_preferred", p.onPreferred), ("on_other", p.onOther), ("no_preference", p.noPreference)] {
            verify(Place(value: g, json: ["feedback", "preferred_channel", key], csv: ("preferred_channel", "all", key + "."),
                         check: pc + "." + key, prometheus: ("earshot_preferred_channel", [("channel", "all"), ("group", key)])), in: out)
        }
        let row = p.channels[0]
        verify(Place(value: row, json: ["feedback", "preferred_channel", "channels", 0], csv: ("preferred_channel", "email", ""),
                     check: pc + ".channels.email", prometheus: nil), in: out)
        for (key, g) in [("on_preferred", row.onPreferred), ("on_other", row.onOther), ("no_preference", row.noPreference)] {
            verify(Place(value: g, json: ["feedback", "preferred_channel", "channels", 0, key], csv: ("preferred_channel", "email", key + "."),
                         check: pc + ".channels.email." + key,
                         prometheus: ("earshot_preferred_channel", [("channel", "email"), ("group", key)])), in: out)
        }
        // The best cell's family comes from HourWeekdayCell's declared list, labelled by the channel and the cell.
        let best = row.bestCell!
        verify(Place(value: best, json: ["feedback", "preferred_channel", "channels", 0, "best_cell"],
                     csv: ("preferred_channel", "email", "best_cell."), check: pc + ".channels.email.best_cell",
                     prometheus: ("earshot_preferred_channel_best_cell",
                                  [("channel", "email"), ("weekday", String(best.weekday)), ("hour", String(best.hour))])), in: out)
        let d = r.persons.profileDepth
        for (population, dist) in [("all", d.all), ("prompted", d.prompted)] {
            verify(Place(value: dist, json: ["persons", "profile_depth", population], csv: ("profile_depth", population, ""),
                         check: "persons.profile_depth." + population, prometheus: nil), in: out)
            for (i, b) in dist.depth.enumerated() {
                verify(Place(value: b, json: ["persons", "profile_depth", population, "depth", i],
                             csv: ("profile_depth", population, "depth_\(b.label)."),
                             check: "persons.profile_depth.\(population).depth[\"\(b.label)\"]",
                             prometheus: ("earshot_profile_depth", [("population", population), ("depth", b.label)])), in: out)
            }
        }
        let week = d.weekly[0].distribution.depth[4]
        verify(Place(value: week, json: ["persons", "profile_depth", "weekly", 0, "depth", 4], csv: ("profile_depth_weekly", "2026-W46", "depth_4+."),
                     check: #"persons.profile_depth.weekly["2026-W46"].depth["4+"]"#, prometheus: nil), in: out)
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
        for (i, b) in seg.profileDepth.all.depth.enumerated() {
            verify(Place(value: b, json: ["segments", 0, "profile_depth", "all", "depth", i], csv: ("segment_profile_depth", "VIP", "depth_\(b.label)."),
                         check: #"segment["VIP"].profile_depth.all.depth[""# + b.label + #""]"#,
                         prometheus: ("earshot_segment_profile_depth", [("segment", "VIP"), ("depth", b.label)]), exported: ["share"]), in: out)
        }
        verify(Place(value: seg.profileDepth.prompted, json: ["segments", 0, "profile_depth", "prompted"], csv: ("segment_profile_depth", "VIP", "prompted."),
                     check: #"segment["VIP"].profile_depth.prompted"#, prometheus: nil), in: out)
        verify(Place(value: seg.profileDepth.prompted.depth[1], json: ["segments", 0, "profile_depth", "prompted", "depth", 1],
                     csv: ("segment_profile_depth", "VIP", "prompted.depth_1."), check: #"segment["VIP"].profile_depth.prompted.depth["1"]"#,
                     prometheus: nil), in: out)
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
        for q in f.questions {
            q.options.forEach { shown($0, "option") }; q.histogram.forEach { shown($0, "histogram") }; q.nps.map { shown($0, "question nps") }
        }
        f.questionFunnels.forEach { $0.steps.forEach { shown($0, "funnel step") } }
        let tables = [(f.fatigue.byOrdinal, f.fatigue.byGap)] + f.fatigue.byChannel.values.map { ($0.byOrdinal, $0.byGap) }
        for (o, g) in tables { o.forEach { shown($0, "fatigue ordinal") }; g.forEach { shown($0, "fatigue gap") } }
        let p = f.preferredChannel
        shown(p, "preferred channel"); p.preferences.forEach { shown($0, "preference") }
        for g in [p.onPreferred, p.onOther, p.noPreference] + p.channels.flatMap({ [$0.onPreferred, $0.onOther, $0.noPreference] }) {
            shown(g, "prompt group")
        }
        p.channels.forEach { c in c.bestCell.map { shown($0, "best cell") } }
        func depth(_ d: DepthDistribution, _ what: String) { shown(d, what); d.depth.forEach { shown($0, what + " bucket") } }
        depth(r.persons.profileDepth.all, "depth all"); depth(r.persons.profileDepth.prompted, "depth prompted")
        r.persons.profileDepth.weekly.forEach { depth($0.distribution, "depth week") }
        r.weekly.forEach { shown($0, "week") }
        for s in r.segments {
            shown(s, "segment"); s.weekly.forEach { shown($0, "segment week") }; s.feedback.forEach { shown($0, "segment feedback") }
            shown(s.nps, "segment nps"); depth(s.profileDepth.all, "segment depth"); depth(s.profileDepth.prompted, "segment depth prompted")
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
