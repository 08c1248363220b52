import EventStore
import Foundation

/// Renders a ``Report`` as JSON (for machines), aligned text (for people) or long-format CSV
/// (for spreadsheets). Formats: docs/REPORT.md. Each output ends with one newline.
public enum ReportRenderer {
    /// How many event names the text report lists (the most frequent ones).
    public static let textTopEventNames = 20
    /// How many malformed lines the text report lists.
    public static let textMalformedLines = 10

    // MARK: JSON

    /// The report as pretty-printed JSON with sorted keys, unescaped slashes and `null` for
    /// absent values: byte-for-byte stable for equal reports. Every character on ``UnsafeText``'s list
    /// (controls, C1, bidi, zero-width, U+2028/2029, …) is written as a `\uXXXX` escape, never raw.
    public static func json(_ report: Report) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity",
                                                                      negativeInfinity: "-Infinity", nan: "NaN")
        do {
            let data = try encoder.encode(report)
            return UnsafeText.jsonEscaped(String(decoding: collapseEmptyContainers(Array(data)), as: UTF8.self)) + "\n"
        } catch {
            // Unreachable with the types of Report; kept so that rendering can never trap.
            return "{\"error\": \"the report could not be encoded\"}\n"
        }
    }

    /// Writes empty arrays and objects as `[]` and `{}`: the pretty printer spreads them over
    /// three lines. Safe on encoder output because a raw line feed never occurs inside a JSON string.
    static func collapseEmptyContainers(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            out.append(b)
            i += 1
            guard b == UInt8(ascii: "[") || b == UInt8(ascii: "{") else { continue }
            let close = b == UInt8(ascii: "[") ? UInt8(ascii: "]") : UInt8(ascii: "}")
            var j = i
            while j < bytes.count, bytes[j] == 0x0A || bytes[j] == 0x20 { j += 1 }
            if j > i, j < bytes.count, bytes[j] == close, bytes[i] == 0x0A {
                out.append(close)
                i = j + 1
            }
        }
        return out
    }

    // MARK: Text

    /// The report for people: sections of aligned tables, percentages with one decimal, no colors.
    /// Text from the store is sanitized (``DisplayText/sanitize(_:)``) and cut at 60 characters.
    public static func text(_ report: Report) -> String {
        var out: [String] = []
        let P = NumberFormat.percent, D = NumberFormat.duration
        let privacy = report.privacy
        func section(_ title: String) { if !out.isEmpty { out.append("") }; out.append(title) }
        func cell(_ s: String) -> String { DisplayText.cell(s) }
        /// A count, or `<5` / `hidden` when withheld.
        func N(_ v: Int, _ m: Suppression) -> String { privacy.label(m) ?? "\(v)" }
        /// A percentage, or `hidden`.
        func PS(_ v: Double?, _ m: Suppression) -> String { privacy.label(m) ?? P(v) }

        // Store
        let st = report.store
        section("STORE")
        var t = TextTable([("item", .left), ("value", .left)])
        t.showHeader = false
        t.add(["now", report.now ?? "-"])
        t.add(["files", "\(st.files)"])
        t.add(["lines", "\(st.lines)"])
        if st.batchEnvelopes > 0 {
            t.add(["batch envelopes", "\(st.batchEnvelopes) (holding \(st.batchItems) items; each item is one record)"])
            t.add(["records", "\(st.records) (lines − envelopes + their items)"])
        }
        t.add(["events", "\(st.events)"])
        t.add(["duplicates", "\(st.duplicates)"])
        t.add(["malformed", "\(st.malformed) (\(P(st.malformedShare)))"])
        t.add(["persons", N(st.persons, st.$persons)])
        if st.deletedPersons > 0 {
            t.add(["deleted on request", "\(st.deletedPersons) persons (\(st.deletedEvents) events removed)"])
        }
        t.add(["first event", st.firstEvent ?? "-"])
        t.add(["last event", st.lastEvent ?? "-"])
        t.add(["last event age", D(st.lastEventAgeSeconds)])
        out += t.lines()
        if !st.malformedLines.isEmpty {
            out.append("")
            let shown = min(textMalformedLines, st.malformedLines.count)
            out.append("  Malformed lines (\(shown) of \(st.malformed)):")
            var m = TextTable([("where", .left), ("reason", .left)])
            for l in st.malformedLines.prefix(shown) {
                m.add([cell(l.file) + ":\(l.line)", DisplayText.cell(l.reason, limit: 100)])
            }
            out += m.lines(indent: 4)
        }
        if !st.malformedKinds.isEmpty {
            out.append("")
            out.append("  Malformed by kind:")
            var k = TextTable([("kind", .left), ("count", .right)])
            k.showHeader = false
            for mk in st.malformedKinds { k.add([DisplayText.cell(mk.kind, limit: 100), "\(mk.count)"]) }
            out += k.lines(indent: 4)
        }
        if !st.warnings.isEmpty {
            out.append("")
            out.append("  Warnings:")
            for w in st.warnings { out.append("    " + DisplayText.cell(w, limit: 200)) }
        }

        // Consent
        let c = report.consent
        section("CONSENT")
        out.append("  \(N(c.persons, c.$persons)) persons, \(c.events) events; analytics category \"\(cell(c.analyticsCategory))\"")
        out.append("  events collected without consent: \(c.eventsWithoutConsent) (\(P(ratio(c.eventsWithoutConsent, c.events))))"
                   + "; consent unknown: \(c.eventsConsentUnknown) (\(P(ratio(c.eventsConsentUnknown, c.events))))")
        if let note = c.analyticsCategoryNote { out.append("  note: " + DisplayText.cell(note, limit: 300)) }
        if !c.categories.isEmpty {
            out.append("")
            var ct = TextTable([("category", .left), ("granted", .right), ("denied", .right), ("unknown", .right), ("coverage", .right)])
            for k in c.categories {
                ct.add([cell(k.displayName), N(k.granted, k.$granted), N(k.denied, k.$denied), N(k.unknown, k.$unknown),
                        PS(k.coverage, k.$coverage)])
            }
            out += ct.lines()
        }

        // Feedback
        let f = report.feedback
        section("FEEDBACK BY CHANNEL")
        out.append("  response window \(D(Double(f.windowSeconds))); \(f.responses) responses, \(f.unmatchedResponses) unmatched")
        out.append("")
        func loopColumns(_ first: [(String, TextTable.Align)]) -> TextTable {
            TextTable(first + [("prompts", .right), ("answered", .right), ("rate", .right), ("persons", .right),
                               ("pers. answered", .right), ("pers. rate", .right), ("dismissed", .right),
                               ("dism. rate", .right), ("median answer", .right)])
        }
        func loopCells(_ s: LoopStats) -> [String] {
            [N(s.prompts, s.$prompts), N(s.answered, s.$answered), PS(s.responseRate, s.$responseRate),
             N(s.personsPrompted, s.$personsPrompted), N(s.personsAnswered, s.$personsAnswered),
             PS(s.personResponseRate, s.$personResponseRate), N(s.dismissed, s.$dismissed),
             PS(s.dismissalRate, s.$dismissalRate), privacy.label(s.$medianSecondsToAnswer) ?? D(s.medianSecondsToAnswer)]
        }
        var fc = loopColumns([("channel", .left)])
        for s in f.channels { fc.add([cell(s.channel)] + loopCells(s)) }
        fc.add(["all"] + loopCells(f.total))
        out += fc.lines()

        section("FEEDBACK BY SURVEY")
        var fs = loopColumns([("survey", .left), ("channel", .left)])
        for s in f.surveys { fs.add([cell(s.surveyID ?? "-"), cell(s.channel)] + loopCells(s)) }
        out += fs.lines()

        section("NPS")
        var nt = TextTable([("scope", .left), ("name", .left), ("scored", .right), ("promoters", .right),
                            ("passives", .right), ("detractors", .right), ("nps", .right)])
        func npsRow(_ scope: String, _ name: String, _ n: NPSStats) {
            nt.add([scope, cell(name), N(n.scored, n.$scored), N(n.promoters, n.$promoters), N(n.passives, n.$passives),
                    N(n.detractors, n.$detractors), privacy.label(n.$nps) ?? NumberFormat.oneDecimal(n.nps)])
        }
        npsRow("all", "", f.nps)
        for k in f.npsByChannel.keys.sorted() { npsRow("channel", k, f.npsByChannel[k]!) }
        for k in f.npsBySurvey.keys.sorted() { npsRow("survey", k, f.npsBySurvey[k]!) }
        out += nt.lines()

        if !f.questions.isEmpty {
            section("QUESTIONS")
            var qt = TextTable([("survey", .left), ("question", .left), ("type", .left), ("answers", .right),
                                ("persons", .right), ("mean", .right), ("values (most given first)", .left)])
            for q in f.questions {
                let top = q.values.sorted { ($0.count, $1.value) > ($1.count, $0.value) }.prefix(5)
                    .map { cell($0.value) + " ×\($0.count)" }.joined(separator: ", ")
                qt.add([cell(q.surveyID), cell(q.question), q.type ?? "-", "\(q.answers)", N(q.persons, q.$persons),
                        NumberFormat.oneDecimal(q.mean), top.isEmpty ? "-" : top])
            }
            out += qt.lines()
        }
        out += fatigueText(report)  // fatigue, preferred channel, profile depth (ReportRenderer+Fatigue.swift)

        // Event names
        let names = report.eventNames
        let top = names.sorted { ($0.count, $1.name) > ($1.count, $0.name) }.prefix(textTopEventNames)
        section("TOP EVENT NAMES (\(top.count) of \(names.count))")
        var et = TextTable([("name", .left), ("count", .right), ("known", .left)])
        for e in top { et.add([cell(e.name), "\(e.count)", e.known ? "yes" : "no"]) }
        out += et.lines()

        // Weekly
        section("WEEKLY")
        let categories = Array(Set(report.weekly.flatMap { $0.consentCoverage.keys })).sorted()
        var wt = TextTable([("week", .left), ("persons", .right), ("prompts", .right), ("answered", .right), ("rate", .right)]
                           + categories.map { (cell($0), .right) })
        for w in report.weekly {
            wt.add([w.week, N(w.personsSeen, w.$personsSeen), N(w.prompts, w.$prompts), N(w.answered, w.$answered),
                    PS(w.responseRate, w.$responseRate)]
                   + categories.map { PS(w.consentCoverage[$0], w.$consentCoverage[$0] ?? .shown) })
        }
        out += wt.lines()

        // Segments (from the rules file)
        if !report.segments.isEmpty {
            section("SEGMENTS")
            let reach = Array(Set(report.segments.flatMap { $0.reachable.keys })).sorted()
            var sg = TextTable([("segment", .left), ("size", .right), ("share", .right), ("nps", .right)]
                               + reach.map { ("reachable " + cell($0), .right) })
            for s in report.segments {
                sg.add([cell(s.name), N(s.size, s.$size), PS(s.share, s.$share),
                        privacy.label(s.nps.$nps) ?? NumberFormat.oneDecimal(s.nps.nps)]
                       + reach.map { k in s.reachable[k].map { N($0, s.$reachable[k] ?? .shown) } ?? "-" })
            }
            out += sg.lines()
        }
        if !report.overlap.isEmpty {
            section("SEGMENT OVERLAP")
            var ov = TextTable([("a", .left), ("b", .left), ("both", .right)])
            for o in report.overlap { ov.add([cell(o.a), cell(o.b), N(o.size, o.$size)]) }
            out += ov.lines()
        }

        out += flowText(report)  // loops and journeys (ReportRenderer+Flows.swift)

        // Free text (aggregate only).
        let ft = report.feedback.freeText
        if ft.answers > 0 {
            section("FREE-TEXT ANSWERS (aggregate only)")
            out.append("  \(ft.answers) answers by \(N(ft.persons, ft.$persons)) persons; length mean "
                       + (privacy.label(ft.$meanLength) ?? NumberFormat.oneDecimal(ft.meanLength)) + ", median "
                       + (privacy.label(ft.$medianLength) ?? NumberFormat.oneDecimal(ft.medianLength)) + " characters")
            if !ft.words.isEmpty {
                out.append("")
                var wt = TextTable([("word", .left), ("persons", .right), ("count", .right)])
                for w in ft.words { wt.add([cell(w.word), "\(w.persons)", "\(w.count)"]) }
                out += wt.lines()
            }
            if ft.wordsDropped > 0 {
                out.append("  (\(ft.wordsDropped) \(ft.wordsDropped == 1 ? "word" : "words") used by fewer than \(privacy.minCohort) persons not listed)")
            }
        }

        // Privacy.
        if privacy.applied {
            section("PRIVACY")
            out.append("  minimum cohort " + (privacy.minCohort > 0 ? "\(privacy.minCohort)" : "off")
                       + "; personal data " + (privacy.piiMasked ? "masked" : "REVEALED")
                       + "; \(privacy.suppressedValues) figures withheld")
        }
        return out.joined(separator: "\n") + "\n"
    }

    // MARK: CSV

    /// The report as one long-format table with the header `section,key,metric,value`: one row
    /// per figure; metric names are the JSON keys; absent values are empty fields. Fields are
    /// quoted per RFC 4180 when they hold a comma, a quote or a line break; lines end with `\n`.
    /// Store text is sanitized (``DisplayText/sanitize(_:)``), never cut. Layout: docs/REPORT.md.
    public static func csv(_ report: Report) -> String {
        var w = CSVWriter(privacy: report.privacy)
        w.row("section", "key", "metric", "value")
        w.row("report", "", "now", report.now)

        let st = report.store
        for (m, v) in [("files", st.files), ("lines", st.lines), ("batch_envelopes", st.batchEnvelopes),
                       ("batch_items", st.batchItems), ("records", st.records), ("events", st.events),
                       ("duplicates", st.duplicates), ("malformed", st.malformed)] { w.row("store", "", m, v) }
        for mk in st.malformedKinds { w.row("store_malformed_kind", mk.kind, "count", mk.count) }
        w.row("store", "", "persons", st.persons, st.$persons)
        w.row("store", "", "deleted_persons", st.deletedPersons)
        w.row("store", "", "deleted_events", st.deletedEvents)
        w.row("store", "", "malformed_share", st.malformedShare)
        w.row("store", "", "first_event", st.firstEvent)
        w.row("store", "", "last_event", st.lastEvent)
        w.row("store", "", "last_event_age_seconds", st.lastEventAgeSeconds)
        for f in st.fileList {
            w.row("store_file", f.path, "bytes", Int(f.bytes))
            w.row("store_file", f.path, "compressed", f.compressed)
            for (m, v) in [("lines", f.lines), ("events", f.events), ("duplicates", f.duplicates), ("malformed", f.malformed)] {
                w.row("store_file", f.path, m, v)
            }
        }
        for l in st.malformedLines { w.row("malformed_line", "\(l.file):\(l.line)", "reason", l.reason) }
        for (i, text) in st.warnings.enumerated() { w.row("warning", "\(i + 1)", "text", text) }

        let c = report.consent
        w.row("consent", "", "analytics_category", c.analyticsCategory)
        if let note = c.analyticsCategoryNote { w.row("consent", "", "analytics_category_note", note) }
        w.row("consent", "", "persons", c.persons, c.$persons)
        w.row("consent", "", "events", c.events)
        w.row("consent", "", "events_without_consent", c.eventsWithoutConsent)
        w.row("consent", "", "events_consent_unknown", c.eventsConsentUnknown)
        for k in c.categories {
            if let label = k.label { w.row("consent_category", k.name, "label", label) }
            w.row("consent_category", k.name, "granted", k.granted, k.$granted)
            w.row("consent_category", k.name, "denied", k.denied, k.$denied)
            w.row("consent_category", k.name, "unknown", k.unknown, k.$unknown)
            w.row("consent_category", k.name, "coverage", k.coverage, k.$coverage)
        }

        let f = report.feedback
        w.row("feedback", "", "window_seconds", f.windowSeconds)
        w.row("feedback", "", "responses", f.responses)
        w.row("feedback", "", "unmatched_responses", f.unmatchedResponses)
        w.row("feedback", "", "prompts_unknown_timezone", f.promptsUnknownTimezone)
        w.loop("feedback_total", "all", f.total, prefix: "")
        for s in f.channels { w.loop("feedback_channel", s.channel, s, prefix: "") }
        for s in f.surveys {
            w.row("feedback_survey", s.surveyID ?? "", "channel", s.channel)
            w.loop("feedback_survey", s.surveyID ?? "", s, prefix: "")
        }
        w.nps("nps", "all", f.nps, prefix: "")
        for k in f.npsByChannel.keys.sorted() { w.nps("nps_channel", k, f.npsByChannel[k]!, prefix: "") }
        for k in f.npsBySurvey.keys.sorted() { w.nps("nps_survey", k, f.npsBySurvey[k]!, prefix: "") }
        for h in f.hourWeekday {
            let key = "\(h.weekday)-\(h.hour < 10 ? "0" : "")\(h.hour)"
            w.row("hour_weekday", key, "prompts", h.prompts, h.$prompts)
            w.row("hour_weekday", key, "answered", h.answered, h.$answered)
            w.row("hour_weekday", key, "response_rate", h.responseRate, h.$responseRate)
        }

        for p in report.weekly {
            w.row("weekly", p.week, "persons_seen", p.personsSeen, p.$personsSeen)
            w.row("weekly", p.week, "prompts", p.prompts, p.$prompts)
            w.row("weekly", p.week, "answered", p.answered, p.$answered)
            w.row("weekly", p.week, "response_rate", p.responseRate, p.$responseRate)
            for k in p.consentCoverage.keys.sorted() {
                w.row("weekly", p.week, "consent_coverage." + k, p.consentCoverage[k], p.$consentCoverage[k] ?? .shown)
            }
        }

        for e in report.eventNames {
            w.row("event_name", e.name, "count", e.count)
            w.row("event_name", e.name, "known", e.known)
        }

        for s in report.segments {
            w.row("segment", s.name, "rule", s.rule)
            w.row("segment", s.name, "size", s.size, s.$size)
            w.row("segment", s.name, "share", s.share, s.$share)
            for k in s.reachable.keys.sorted() {
                w.row("segment", s.name, "reachable." + k, s.reachable[k] ?? 0, s.$reachable[k] ?? .shown)
            }
            for p in s.weekly { w.row("segment_weekly", s.name, p.week, p.size, p.$size) }
            for l in s.feedback { w.loop("segment_feedback", s.name, l, prefix: l.channel + ".") }
            w.nps("segment", s.name, s.nps, prefix: "nps.")
        }
        for o in report.overlap { w.row("overlap", o.a, o.b, o.size, o.$size) }
        for q in report.feedback.questions {
            let key = q.surveyID + "/" + q.question
            w.row("question", key, "answers", q.answers)
            w.row("question", key, "persons", q.persons, q.$persons)
            w.row("question", key, "mean", q.mean)
            for v in q.values { w.row("question_value", key + "/" + v.value, "count", v.count) }
        }
        w.flows(report)
        w.fatigue(report)
        let ft = report.feedback.freeText
        w.row("free_text", "", "answers", ft.answers)
        w.row("free_text", "", "persons", ft.persons, ft.$persons)
        w.row("free_text", "", "mean_length", ft.meanLength, ft.$meanLength)
        w.row("free_text", "", "median_length", ft.medianLength, ft.$medianLength)
        w.row("free_text", "", "words_dropped", ft.wordsDropped)
        for word in ft.words {
            w.row("free_text_word", word.word, "persons", word.persons)
            w.row("free_text_word", word.word, "count", word.count)
        }
        let pv = report.privacy
        w.row("privacy", "", "applied", pv.applied)
        w.row("privacy", "", "min_cohort", pv.minCohort)
        w.row("privacy", "", "pii_masked", pv.piiMasked)
        w.row("privacy", "", "suppressed_values", pv.suppressedValues)
        return w.text
    }
}

/// Accumulates RFC 4180 rows.
struct CSVWriter {
    private(set) var text = ""
    /// How withheld figures are written (`<5`, `hidden`).
    var privacy = PrivacySummary()

    init(privacy: PrivacySummary = PrivacySummary()) { self.privacy = privacy }

    mutating func row(_ section: String, _ key: String, _ metric: String, _ value: Int, _ mark: Suppression) {
        emit(section, key, metric, Self.ownField(privacy.label(mark) ?? String(value)))
    }
    mutating func row(_ section: String, _ key: String, _ metric: String, _ value: Double?, _ mark: Suppression) {
        emit(section, key, metric, Self.ownField(privacy.label(mark) ?? value.map(NumberFormat.plain) ?? ""))
    }

    /// A row whose value is text (store text, or earshot's own words): sanitized and neutralised like the key.
    mutating func row(_ section: String, _ key: String, _ metric: String, _ value: String?) {
        emit(section, key, metric, Self.field(value ?? ""))
    }
    mutating func row(_ section: String, _ key: String, _ metric: String, _ value: Int?) {
        emit(section, key, metric, Self.ownField(value.map(String.init) ?? ""))
    }
    mutating func row(_ section: String, _ key: String, _ metric: String, _ value: Double?) {
        emit(section, key, metric, Self.ownField(value.map(NumberFormat.plain) ?? ""))
    }
    mutating func row(_ section: String, _ key: String, _ metric: String, _ value: Bool) {
        emit(section, key, metric, value ? "true" : "false")
    }

    /// Section, key and metric may hold store text (names, channels, weeks): they are fields of text.
    private mutating func emit(_ section: String, _ key: String, _ metric: String, _ valueField: String) {
        text += Self.field(section) + "," + Self.field(key) + "," + Self.field(metric) + "," + valueField + "\n"
    }

    mutating func loop(_ section: String, _ key: String, _ s: LoopStats, prefix: String) {
        row(section, key, prefix + "prompts", s.prompts, s.$prompts)
        row(section, key, prefix + "answered", s.answered, s.$answered)
        row(section, key, prefix + "response_rate", s.responseRate, s.$responseRate)
        row(section, key, prefix + "persons_prompted", s.personsPrompted, s.$personsPrompted)
        row(section, key, prefix + "persons_answered", s.personsAnswered, s.$personsAnswered)
        row(section, key, prefix + "person_response_rate", s.personResponseRate, s.$personResponseRate)
        row(section, key, prefix + "dismissed", s.dismissed, s.$dismissed)
        row(section, key, prefix + "dismissal_rate", s.dismissalRate, s.$dismissalRate)
        row(section, key, prefix + "median_seconds_to_answer", s.medianSecondsToAnswer, s.$medianSecondsToAnswer)
    }

    mutating func nps(_ section: String, _ key: String, _ n: NPSStats, prefix: String) {
        row(section, key, prefix + "scored", n.scored, n.$scored)
        row(section, key, prefix + "promoters", n.promoters, n.$promoters)
        row(section, key, prefix + "passives", n.passives, n.$passives)
        row(section, key, prefix + "detractors", n.detractors, n.$detractors)
        row(section, key, prefix + "nps", n.nps, n.$nps)
    }

    /// A field of store text: sanitized (``DisplayText/sanitize(_:)``), neutralised against formula
    /// injection (``neutralised(_:)``), and quoted when it holds a comma or a double quote (quotes doubled).
    static func field(_ raw: String) -> String {
        let clean = DisplayText.sanitize(raw)
        // A leading tab or CR is a space once sanitized, yet still marks the cell as store text to neutralise.
        let startsBlank = raw.unicodeScalars.first.map { $0 == "\t" || $0 == "\r" } ?? false
        return quoted(startsBlank ? "'" + clean : neutralised(clean))
    }

    /// A field earshot writes itself (a number, `true`, a withheld mark such as `<5`): quoted when needed, as is.
    static func ownField(_ s: String) -> String { quoted(s) }

    /// Text that a spreadsheet would run as a formula (it starts with `=`, `+`, `-`, `@`, a tab or a CR)
    /// gets a `'` in front, as OWASP recommends for CSV injection; other text is unchanged.
    static func neutralised(_ s: String) -> String {
        guard let first = s.unicodeScalars.first else { return s }
        switch first {
        case "=", "+", "-", "@", "\t", "\r": return "'" + s
        default: return s
        }
    }

    /// `s`, quoted per RFC 4180 when it holds a comma, a double quote, CR or LF.
    static func quoted(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
