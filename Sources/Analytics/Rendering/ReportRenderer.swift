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
    /// The text ``writeJSON(_:to:)`` writes, collected.
    public static func json(_ report: Report) -> String {
        var out = ""
        writeJSON(report) { out += $0 }
        return out
    }

    /// How many event names one piece of ``writeJSON(_:to:)`` holds.
    static let jsonNamesPerPiece = 1024

    /// Writes ``json(_:)``'s text to `write` in pieces, without holding the whole document: the report
    /// without its event names is encoded as one (small) document, and the event names — a list as long as
    /// the store has distinct names, a million on a hostile store (#11.15) — are encoded
    /// ``jsonNamesPerPiece`` at a time by the same encoder and written into its `event_names` member,
    /// re-indented to their depth. The pieces are sanitized as the whole text was (``UnsafeText/jsonEscaped(_:)``
    /// works character by character, and a piece ends on a character boundary); together they are
    /// byte-for-byte the one-document encoding (`ReportJSONStreamTests`).
    ///
    /// The text is written by ``ReportJSONWriter`` (no `JSONEncoder`); the encoder path
    /// (``writeJSONThroughEncoder(_:to:)``) remains the definition the writer is tested against, and the fallback
    /// for a value the writer leaves to the encoder.
    public static func writeJSON(_ report: Report, to write: (String) -> Void) {
        let written: Bool = withoutActuallyEscaping(write) { sink in
            (try? ReportJSONWriter.write(report, namesPerPiece: jsonNamesPerPiece, to: sink)) != nil
        }
        if !written { writeJSONThroughEncoder(report, to: write) }
    }

    /// ``writeJSON(_:to:)`` through `JSONEncoder`: the report without its event names as one document, the names
    /// ``jsonNamesPerPiece`` at a time, spliced into its `event_names` member.
    static func writeJSONThroughEncoder(_ report: Report, to write: (String) -> Void) {
        let names = report.eventNames
        guard !names.isEmpty else { write(encodedJSON(report) + "\n"); return }
        var shell = report
        shell.eventNames = []
        let text = encodedJSON(shell) + "\n"
        // The member as the pretty printer writes an empty list at depth 1 (a raw line feed never occurs inside
        // a JSON string, so the match is the report's own member).
        let bytes = Array(text.utf8), marker = Array("\n  \"event_names\" : []".utf8)
        guard let at = firstIndex(of: marker, in: bytes) else {
            write(encodedJSON(report) + "\n")  // unreachable: the shell always has the member
            return
        }
        let open = at + marker.count - 1  // the `]`
        write(String(decoding: bytes[..<open], as: UTF8.self) + "\n")
        var start = 0
        while start < names.count {
            let end = min(start + jsonNamesPerPiece, names.count)
            let piece = encodedJSON(Array(names[start ..< end]))
            // `[\n  {…},\n  {…}\n]` at depth 0 → the elements at depth 2, without the brackets.
            var out: [UInt8] = []
            let body = Array(piece.utf8).dropFirst(2).dropLast(2)
            out.reserveCapacity(body.count + body.count / 8)
            if start > 0 { out += Array(",\n".utf8) }
            out += [0x20, 0x20]
            for b in body {
                out.append(b)
                if b == 0x0A { out += [0x20, 0x20] }
            }
            write(String(decoding: out, as: UTF8.self))
            start = end
        }
        write("\n  " + String(decoding: bytes[open...], as: UTF8.self))
    }

    /// `value` encoded as the report is: sorted keys, pretty-printed, unescaped slashes, non-finite numbers as
    /// strings, empty containers collapsed, unsafe characters escaped. No final newline.
    static func encodedJSON<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity",
                                                                      negativeInfinity: "-Infinity", nan: "NaN")
        do {
            let data = try encoder.encode(value)
            return UnsafeText.jsonEscaped(String(decoding: collapseEmptyContainers(Array(data)), as: UTF8.self))
        } catch {
            // Unreachable with the types of Report; kept so that rendering can never trap.
            return "{\"error\": \"the report could not be encoded\"}"
        }
    }

    /// The first position of `needle` in `haystack`.
    private static func firstIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        for i in 0 ... haystack.count - needle.count where haystack[i] == needle[0] {
            if haystack[i ..< i + needle.count].elementsEqual(needle) { return i }
        }
        return nil
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
        let tx = TextCells(privacy: privacy)
        func section(_ title: String) { if !out.isEmpty { out.append("") }; out.append(title) }

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
        t.add(["persons", tx.N(st.persons, st.$persons)])
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
                m.add([tx.cell(l.file) + ":\(l.line)", DisplayText.cell(l.reason, limit: 100)])
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
        out.append("  \(tx.N(c.persons, c.$persons)) persons, \(c.events) events; analytics category \"\(tx.cell(c.analyticsCategory))\"")
        out.append("  events collected without consent: \(c.eventsWithoutConsent) (\(P(ratio(c.eventsWithoutConsent, c.events))))"
                   + "; consent unknown: \(c.eventsConsentUnknown) (\(P(ratio(c.eventsConsentUnknown, c.events))))")
        if let note = c.analyticsCategoryNote { out.append("  note: " + DisplayText.cell(note, limit: 300)) }
        if !c.categories.isEmpty {
            out.append("")
            var ct = TextTable([("category", .left), ("granted", .right), ("denied", .right), ("unknown", .right), ("coverage", .right)])
            for k in c.categories {
                ct.add([tx.cell(k.displayName), tx.N(k.granted, k.$granted), tx.N(k.denied, k.$denied), tx.N(k.unknown, k.$unknown),
                        tx.PS(k.coverage, k.$coverage)])
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
            [tx.N(s.prompts, s.$prompts), tx.N(s.answered, s.$answered), tx.PS(s.responseRate, s.$responseRate),
             tx.N(s.personsPrompted, s.$personsPrompted), tx.N(s.personsAnswered, s.$personsAnswered),
             tx.PS(s.personResponseRate, s.$personResponseRate), tx.N(s.dismissed, s.$dismissed),
             tx.PS(s.dismissalRate, s.$dismissalRate), privacy.label(s.$medianSecondsToAnswer) ?? D(s.medianSecondsToAnswer)]
        }
        var fc = loopColumns([("channel", .left)])
        for s in f.channels { fc.add([tx.cell(s.channel)] + loopCells(s)) }
        fc.add(["all"] + loopCells(f.total))
        out += fc.lines()

        section("FEEDBACK BY SURVEY")
        var fs = loopColumns([("survey", .left), ("channel", .left)])
        for s in f.surveys { fs.add([tx.cell(s.surveyID ?? "-"), tx.cell(s.channel)] + loopCells(s)) }
        out += fs.lines()

        section("NPS")
        var nt = TextTable([("scope", .left), ("name", .left), ("scored", .right), ("promoters", .right),
                            ("passives", .right), ("detractors", .right), ("nps", .right)])
        func npsRow(_ scope: String, _ name: String, _ n: NPSStats) {
            nt.add([scope, tx.cell(name), tx.N(n.scored, n.$scored), tx.N(n.promoters, n.$promoters), tx.N(n.passives, n.$passives),
                    tx.N(n.detractors, n.$detractors), privacy.label(n.$nps) ?? NumberFormat.oneDecimal(n.nps)])
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
                    .map { tx.cell($0.value) + " ×\($0.count)" }.joined(separator: ", ")
                qt.add([tx.cell(q.surveyID), tx.cell(q.question), q.type ?? "-", "\(q.answers)", tx.N(q.persons, q.$persons),
                        NumberFormat.oneDecimal(q.mean), top.isEmpty ? "-" : top])
            }
            out += qt.lines()
        }
        out += fatigueText(report)  // fatigue, preferred channel, profile depth (ReportRenderer+Fatigue.swift)

        // Event names
        let names = report.eventNames
        let top = EventNameCount.top(textTopEventNames, of: names)
        section("TOP EVENT NAMES (\(top.count) of \(names.count))")
        var et = TextTable([("name", .left), ("count", .right), ("known", .left)])
        for e in top { et.add([tx.cell(e.name), "\(e.count)", e.known ? "yes" : "no"]) }
        out += et.lines()

        // Weekly
        section("WEEKLY")
        let categories = Array(Set(report.weekly.flatMap { $0.consentCoverage.keys })).sorted()
        var wt = TextTable([("week", .left), ("persons", .right), ("prompts", .right), ("answered", .right), ("rate", .right)]
                           + categories.map { (tx.cell($0), .right) })
        for w in report.weekly {
            wt.add([w.week, tx.N(w.personsSeen, w.$personsSeen), tx.N(w.prompts, w.$prompts), tx.N(w.answered, w.$answered),
                    tx.PS(w.responseRate, w.$responseRate)]
                   + categories.map { tx.PS(w.consentCoverage[$0], w.$consentCoverage[$0] ?? .shown) })
        }
        out += wt.lines()

        // Segments (from the rules file)
        if !report.segments.isEmpty {
            section("SEGMENTS")
            let reach = Array(Set(report.segments.flatMap { $0.reachable.keys })).sorted()
            var sg = TextTable([("segment", .left), ("size", .right), ("share", .right), ("nps", .right)]
                               + reach.map { ("reachable " + tx.cell($0), .right) })
            for s in report.segments {
                sg.add([tx.cell(s.name), tx.N(s.size, s.$size), tx.PS(s.share, s.$share),
                        privacy.label(s.nps.$nps) ?? NumberFormat.oneDecimal(s.nps.nps)]
                       + reach.map { k in s.reachable[k].map { tx.N($0, s.$reachable[k] ?? .shown) } ?? "-" })
            }
            out += sg.lines()
        }
        if !report.overlap.isEmpty {
            section("SEGMENT OVERLAP")
            var ov = TextTable([("a", .left), ("b", .left), ("both", .right)])
            for o in report.overlap { ov.add([tx.cell(o.a), tx.cell(o.b), tx.N(o.size, o.$size)]) }
            out += ov.lines()
        }

        out += answerText(report)  // question details and funnels (ReportRenderer+Answers.swift)
        out += flowText(report)  // loops and journeys (ReportRenderer+Flows.swift)

        // Free text (aggregate only).
        let ft = report.feedback.freeText
        if ft.answers > 0 {
            section("FREE-TEXT ANSWERS (aggregate only)")
            out.append("  \(ft.answers) answers by \(tx.N(ft.persons, ft.$persons)) persons; length mean "
                       + (privacy.label(ft.$meanLength) ?? NumberFormat.oneDecimal(ft.meanLength)) + ", median "
                       + (privacy.label(ft.$medianLength) ?? NumberFormat.oneDecimal(ft.medianLength)) + " characters")
            if !ft.words.isEmpty {
                out.append("")
                var wt = TextTable([("word", .left), ("persons", .right), ("count", .right)])
                for w in ft.words { wt.add([tx.cell(w.word), "\(w.persons)", "\(w.count)"]) }
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
    /// The text ``writeCSV(_:to:)`` writes, collected.
    public static func csv(_ report: Report) -> String {
        var out = ""
        writeCSV(report) { out += $0 }
        return out
    }

    /// Writes ``csv(_:)``'s text to `write` in pieces of about ``CSVWriter/pieceBytes`` (whole rows), so a report
    /// with a million event names is never held as one text (#11.15).
    public static func writeCSV(_ report: Report, to write: @escaping (String) -> Void) {
        var w = CSVWriter(privacy: report.privacy)
        w.sink = write
        w.row("section", "key", "metric", "value")
        w.row("report", "", "now", report.now)

        let st = report.store
        w.figures("store", "", st, through: "malformed")
        for mk in st.malformedKinds { w.row("store_malformed_kind", mk.kind, "count", mk.count) }
        w.figures("store", "", st, from: "persons", through: "malformed_share")
        w.row("store", "", "first_event", st.firstEvent)
        w.row("store", "", "last_event", st.lastEvent)
        w.figures("store", "", st, from: "last_event_age_seconds")
        for f in st.fileList {
            w.figures("store_file", f.path, f, through: "bytes")
            w.row("store_file", f.path, "compressed", f.compressed)
            w.figures("store_file", f.path, f, from: "lines")
        }
        for l in st.malformedLines { w.row("malformed_line", "\(l.file):\(l.line)", "reason", l.reason) }
        for (i, text) in st.warnings.enumerated() { w.row("warning", "\(i + 1)", "text", text) }

        let c = report.consent
        w.row("consent", "", "analytics_category", c.analyticsCategory)
        if let note = c.analyticsCategoryNote { w.row("consent", "", "analytics_category_note", note) }
        w.figures("consent", "", c)
        for k in c.categories {
            if let label = k.label { w.row("consent_category", k.name, "label", label) }
            w.figures("consent_category", k.name, k)
        }

        let f = report.feedback
        w.figures("feedback", "", f)
        w.figures("feedback_total", "all", f.total)
        for s in f.channels { w.figures("feedback_channel", s.channel, s) }
        for s in f.surveys {
            w.row("feedback_survey", s.surveyID ?? "", "channel", s.channel)
            w.figures("feedback_survey", s.surveyID ?? "", s)
        }
        w.figures("nps", "all", f.nps)
        for k in f.npsByChannel.keys.sorted() { w.figures("nps_channel", k, f.npsByChannel[k]!) }
        for k in f.npsBySurvey.keys.sorted() { w.figures("nps_survey", k, f.npsBySurvey[k]!) }
        for h in f.hourWeekday { w.figures("hour_weekday", "\(h.weekday)-\(h.hour < 10 ? "0" : "")\(h.hour)", h) }

        for p in report.weekly { w.figures("weekly", p.week, p) }

        for e in report.eventNames {
            w.figures("event_name", e.name, e)
            w.row("event_name", e.name, "known", e.known)
        }

        for s in report.segments {
            w.row("segment", s.name, "rule", s.rule)
            w.figures("segment", s.name, s)
            // A week's size is keyed by the week: the metric is the week itself.
            for p in s.weekly { w.figures("segment_weekly", s.name, p, metric: { _ in p.week }) }
            for l in s.feedback { w.figures("segment_feedback", s.name, l, prefix: l.channel + ".") }
            w.figures("segment", s.name, s.nps, prefix: "nps.")
        }
        for o in report.overlap { w.figures("overlap", o.a, o, metric: { _ in o.b }) }
        for q in report.feedback.questions {
            let key = q.surveyID + "/" + q.question
            w.figures("question", key, q)
            for v in q.values { w.row("question_value", key + "/" + v.value, "count", v.count) }
        }
        w.answers(report)
        w.flows(report)
        w.fatigue(report)
        let ft = report.feedback.freeText
        w.figures("free_text", "", ft)
        for word in ft.words {
            w.row("free_text_word", word.word, "persons", word.persons)
            w.row("free_text_word", word.word, "count", word.count)
        }
        let pv = report.privacy
        w.row("privacy", "", "applied", pv.applied)
        w.figures("privacy", "", pv, through: "min_cohort")
        w.row("privacy", "", "pii_masked", pv.piiMasked)
        w.figures("privacy", "", pv, from: "suppressed_values")
        w.flush()
    }
}

/// Accumulates RFC 4180 rows.
struct CSVWriter {
    /// The rows not yet handed to ``sink`` (all rows when there is none).
    private(set) var text = ""
    /// Where whole rows go once ``text`` holds ``pieceBytes``; nil: they stay in ``text``.
    var sink: ((String) -> Void)?
    /// The size of a piece handed to ``sink``.
    static let pieceBytes = 1 << 16
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
        if sink != nil, text.utf8.count >= Self.pieceBytes { flush() }
    }

    /// Hands the rows held so far to ``sink`` (nothing without one).
    mutating func flush() {
        guard let sink, !text.isEmpty else { return }
        sink(text)
        text = ""
    }

    /// One row per figure of `x` (``FigureList/figures``), in declared order: the metric is `prefix` + the figure's
    /// key (+ `.` + the key of a keyed figure's entry), unless `metric` names it; a withheld figure is written as
    /// its mark (`<5`, `hidden`), an absent one as an empty field. `from` and `through` (figure keys, inclusive)
    /// select a run of the list, for sections that interleave other rows.
    mutating func figures<T: FigureList>(_ section: String, _ key: String, _ x: T, prefix: String = "",
                                         from: String? = nil, through: String? = nil,
                                         metric: ((FigureDescriptor<T>) -> String)? = nil) {
        var list = T.figures[...]
        if let from, let i = list.firstIndex(where: { $0.key == from }) { list = list[i...] }
        if let through, let i = list.firstIndex(where: { $0.key == through }) { list = list[...i] }
        for d in list {
            for sample in d.samples(of: x) {
                let name = metric?(d) ?? (prefix + d.key + (sample.subkey.map { "." + $0 } ?? ""))
                let value: String
                switch sample.value {
                case .count(let n): value = String(n)
                case .number(let v): value = v.map(NumberFormat.plain) ?? ""
                }
                emit(section, key, name, Self.ownField(privacy.label(sample.withheld) ?? value))
            }
        }
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
