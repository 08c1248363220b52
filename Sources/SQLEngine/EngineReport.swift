import Analytics
import EventStore
import Foundation

/// A file of the store as earshot listed it (path, size, gzip by content).
public struct ListedFile: Sendable, Equatable {
    public var path: String
    public var bytes: Int64
    public var compressed: Bool
    public init(path: String, bytes: Int64, compressed: Bool) { self.path = path; self.bytes = bytes; self.compressed = compressed }
}

/// Builds earshot's ``Report`` from an engine's integer results: rates, shares, sorting, notes and warnings are
/// computed here with the definitions of the embedded engine (docs/DEFINITIONS.md), so the engine never decides
/// what is shown. The privacy guards are applied afterwards by ``Privacy/publish(_:policy:)`` as for the embedded
/// engine.
public enum EngineReport {
    /// Who computed a report, for its header and the JSON `engine` object.
    public struct Origin: Sendable, Equatable {
        public var engine: String
        public var version: String
        public var master: String
        /// When earshot received the result, ISO 8601 UTC.
        public var computedAt: String
        public var seconds: Double
        public init(engine: String, version: String, master: String, computedAt: String, seconds: Double) {
            self.engine = engine; self.version = version; self.master = master; self.computedAt = computedAt; self.seconds = seconds
        }
    }

    /// The raw report (before the privacy guards) of `result` for the local files `files`.
    /// Batch envelopes count as their items (records), as the embedded reader's ``StoreStats``.
    public static func rawReport(result: EngineResult, files: [ListedFile], options: AnalysisOptions,
                                 program: SegmentProgram? = nil, unsupportedSegments: [String: String] = [:],
                                 warnings: [String] = []) throws -> Report {
        var report = Report()
        let now = EngineResult.int64(result.rows["store_events"]?.first?["now"] ?? nil)
        report.now = now.map { CivilTime.isoTimestamp(ms: $0) }

        // Store.
        var s = StoreSummary()
        var perFile: [Int: FileStats] = [:]
        for (i, f) in files.enumerated() { perFile[i] = FileStats(path: f.path, bytes: f.bytes, compressed: f.compressed) }
        for (j, p) in result.remoteFiles.enumerated() { perFile[files.count + j] = FileStats(path: p) }
        for row in result.rows["files"] ?? [] {
            let i = EngineResult.int(row["file"])
            perFile[i, default: FileStats(path: "(unknown file)")].lines = EngineResult.int(row["lines"])
            perFile[i, default: FileStats(path: "(unknown file)")].malformed = EngineResult.int(row["malformed"])
            perFile[i, default: FileStats(path: "(unknown file)")].envelopes = EngineResult.int(row["envelopes"])
            perFile[i, default: FileStats(path: "(unknown file)")].envelopeItems = EngineResult.int(row["envelope_items"])
        }
        for row in result.rows["file_events"] ?? [] {
            let i = EngineResult.int(row["file"])
            perFile[i, default: FileStats(path: "(unknown file)")].events = EngineResult.int(row["events"])
            perFile[i, default: FileStats(path: "(unknown file)")].duplicates = EngineResult.int(row["duplicates"])
        }
        s.fileList = perFile.keys.sorted().map { FileSummary(perFile[$0]!) }
        s.files = s.fileList.count
        s.lines = result.int("store_reads", "lines")
        s.malformed = result.int("store_reads", "malformed")
        s.batchEnvelopes = result.int("store_reads", "envelopes")
        s.batchItems = result.int("store_reads", "envelope_items")
        s.records = s.lines - s.batchEnvelopes + s.batchItems
        s.duplicates = s.fileList.reduce(0) { $0 + $1.duplicates }
        s.events = result.int("store_events", "events")
        s.persons = result.int("store_events", "persons")
        s.malformedShare = s.records <= 0 ? 0 : Double(s.malformed) / Double(s.records)
        s.malformedKinds = (result.rows["malformed_kinds"] ?? [])
            .map { MalformedKind(kind: $0["kind"] as? String ?? "?", count: EngineResult.int($0["count"])) }
            .sorted { ($0.count, $1.kind) > ($1.count, $0.kind) }
        let first = EngineResult.int64(result.rows["store_events"]?.first?["first_event"] ?? nil)
        let last = EngineResult.int64(result.rows["store_events"]?.first?["last_event"] ?? nil)
        s.firstEvent = first.map { CivilTime.isoTimestamp(ms: $0) }
        s.lastEvent = last.map { CivilTime.isoTimestamp(ms: $0) }
        if let now, let last { s.lastEventAgeSeconds = Double(now - last) / 1000 }
        s.deletedEvents = result.int("deletions", "deleted_events")
        s.deletedPersons = result.int("deletions", "deleted_persons")
        s.warnings = warnings
        let categories = (result.rows["consent_categories"] ?? []).compactMap { $0["category"] as? String }.sorted()

        // Feedback and the weekly series (EngineReport+Feedback.swift); their warnings as the embedded engine's.
        let weekly = Self.weekly(result: result, now: now, firstEvent: first, categories: categories)
        report.weekly = weekly.points
        if weekly.truncated {
            s.warnings.append(ReportBuilder.weeklyTruncatedWarning)
        }
        let feedback = Self.feedback(result: result, options: options)
        report.feedback = feedback.summary
        // Prompt fatigue and the preferred channel (EngineReport+Fatigue.swift).
        report.feedback.fatigue = Self.fatigue(result: result)
        report.feedback.preferredChannel = Self.preferredChannel(result: result, options: options)
        if feedback.unknownZone > 0 {
            s.warnings.append(ReportBuilder.unknownZoneWarning(count: feedback.unknownZone))
        }
        if feedback.javaUnknownZone > 0 {
            s.warnings.append("\(feedback.javaUnknownZone) survey prompts name a time zone that Spark's Java does not know: "
                              + "their local hour uses UTC (the embedded engine converts them)")
        }

        // Consent.
        var c = ConsentSummary()
        c.analyticsCategory = options.analyticsCategory
        c.persons = result.int("consent_audit", "persons")
        c.events = result.int("consent_audit", "events")
        c.eventsWithoutConsent = result.int("consent_audit", "without_consent")
        c.eventsConsentUnknown = result.int("consent_audit", "consent_unknown")
        var states: [String: (Int, Int)] = [:]
        for row in result.rows["consent_states"] ?? [] {
            if let name = row["category"] as? String { states[name] = (EngineResult.int(row["granted"]), EngineResult.int(row["denied"])) }
        }
        // A category's label as the embedded engine shows it: none when empty or the category itself.
        var labels: [String: String] = [:]
        for row in result.rows["consent_labels"] ?? [] {
            if let name = row["category"] as? String, let label = row["label"] as? String, !label.isEmpty, label != name {
                labels[name] = label
            }
        }
        c.categories = categories.map { name in
            let (g, d) = states[name] ?? (0, 0)
            var coverage = CategoryCoverage(name: name, granted: g, denied: d, unknown: c.persons - g - d,
                                            coverage: c.persons == 0 ? nil : Double(g) / Double(c.persons))
            coverage.label = labels[name]
            return coverage
        }
        let hasAnalytics = categories.contains(options.analyticsCategory)
        if !hasAnalytics && c.events > 0 {
            c.analyticsCategoryNote = ConsentMetrics.analyticsCategoryNote(category: options.analyticsCategory, carried: categories)
        }
        if !categories.isEmpty && !hasAnalytics {
            // Display names (`C0001 Functional Cookies`), as the embedded engine's warning.
            s.warnings.append(ReportBuilder.analyticsCategoryWarning(
                category: options.analyticsCategory, carried: categories.map { name in labels[name].map { name + " " + $0 } ?? name }))
        }
        report.store = s
        report.consent = c

        // Segments: the compiled ones, in file order (the others are named in the report's `engine` object).
        if let program {
            var sizes: [Int: Int] = [:]
            for row in result.rows["segment_sizes"] ?? [] { sizes[EngineResult.int(row["segment"])] = EngineResult.int(row["size"]) }
            var reach: [Int: [String: Int]] = [:]
            for row in result.rows["segment_reachable"] ?? [] {
                if let cat = row["category"] as? String { reach[EngineResult.int(row["segment"]), default: [:]][cat] = EngineResult.int(row["persons"]) }
            }
            // Weekly sizes (`segment_weekly`: week index, segment, size) over the weeks of the weekly series.
            var weeklySizes: [Int: [Int64: Int]] = [:]
            for row in result.rows["segment_weekly"] ?? [] {
                if let w = EngineResult.int64(row["week"]) { weeklySizes[EngineResult.int(row["segment"]), default: [:]][w] = EngineResult.int(row["size"]) }
            }
            // The latest `Analysis.maxSegmentWeeks` weeks of the weekly series, as the embedded engine's.
            let segmentWeeks = Array(report.weekly.suffix(Analysis.maxSegmentWeeks))
            let firstWeek = now.map { CivilTime.weekIndex(ofMs: $0) - Int64(segmentWeeks.count) + 1 } ?? 0
            let feedback = Self.segmentFeedback(result: result)
            let compiled = program.segments.indices.filter { unsupportedSegments[program.segments[$0].name] == nil }
            report.segments = compiled.map { i in
                let def = program.segments[i]
                let size = sizes[i] ?? 0
                var reachable: [String: Int] = [:]
                for cat in categories { reachable[cat] = reach[i]?[cat] ?? 0 }
                return SegmentReport(name: def.name, rule: def.rule, size: size,
                                     share: s.persons == 0 ? nil : Double(size) / Double(s.persons),
                                     reachable: reachable,
                                     weekly: segmentWeeks.enumerated().map { k, p in
                                         SegmentWeek(week: p.week, size: weeklySizes[i]?[firstWeek + Int64(k)] ?? 0)
                                     },
                                     feedback: feedback[i]?.channels ?? [], nps: feedback[i]?.nps ?? NPSStats())
            }
            var overlap: [Int: [Int: Int]] = [:]
            for row in result.rows["segment_overlap"] ?? [] {
                overlap[EngineResult.int(row["a"]), default: [:]][EngineResult.int(row["b"])] = EngineResult.int(row["size"])
            }
            let paired = compiled.filter { $0 < SegmentMetrics.overlapLimit }
            for (k, a) in paired.enumerated() {
                for b in paired[(k + 1)...] {
                    report.overlap.append(SegmentOverlap(a: program.segments[a].name, b: program.segments[b].name,
                                                         size: overlap[a]?[b] ?? 0))
                }
            }
            if program.segments.count > SegmentMetrics.overlapLimit {
                report.store.warnings.append(Analysis.overlapWarning(leftOut: program.segments.count - SegmentMetrics.overlapLimit))
            }
        }

        // Loops and journeys (EngineReport+Loops.swift), when the plan computed them.
        if let program {
            if result.rows["loop_outcomes"] != nil { report.loops = Self.loops(result: result, program: program, now: now) }
            if result.rows["journey_entries"] != nil { report.journeys = Self.journeys(result: result, program: program, now: now) }
        }
        // The answers: questions, funnels, free text, profile depth (EngineReport+Answers.swift).
        let compiled = program.map { p in p.segments.indices.filter { unsupportedSegments[p.segments[$0].name] == nil } } ?? []
        addAnswers(result: result, options: options, now: now, to: &report, segments: compiled)

        // Event names.
        report.eventNames = EventNameList((result.rows["event_names"] ?? []).compactMap { row -> EventNameCount? in
            guard let name = row["name"] as? String else { return nil }
            return EventNameCount(name: name, count: EngineResult.int(row["count"]), known: KnownEvents.isKnown(name))
        }.sorted { $0.name < $1.name })
        return report
    }

    /// `report --format json` of an engine's report: the report's JSON without the figures the engine did not compute,
    /// plus an `engine` object naming the engine, when it computed, and `not_computed` (those figures' paths).
    public static func json(_ report: Report, notComputed: [String], origin: Origin,
                            unsupportedSegments: [String: String] = [:]) -> String {
        let text = ReportRenderer.json(report)
        guard var top = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else { return text }
        for path in notComputed { remove(path.split(separator: ".").map(String.init), from: &top) }
        top["engine"] = [
            "name": origin.engine, "version": origin.version, "master": origin.master,
            "computed_at": origin.computedAt, "seconds": origin.seconds, "not_computed": notComputed,
            "segments_not_computed": unsupportedSegments,
        ] as [String: Any]
        guard let data = try? JSONSerialization.data(withJSONObject: top, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]) else { return text }
        return String(decoding: data, as: UTF8.self)
    }

    static func remove(_ path: [String], from object: inout [String: Any]) {
        guard let head = path.first else { return }
        if head.hasSuffix("[]") {
            let key = String(head.dropLast(2))
            guard var list = object[key] as? [Any] else { return }
            for i in list.indices {
                guard var item = list[i] as? [String: Any] else { continue }
                remove(Array(path.dropFirst()), from: &item)
                list[i] = item
            }
            object[key] = list
            return
        }
        if path.count == 1 { object.removeValue(forKey: head); return }
        guard var inner = object[head] as? [String: Any] else { return }
        remove(Array(path.dropFirst()), from: &inner)
        object[head] = inner
    }

    /// The one-line header of a text report computed by an engine.
    public static func header(origin: Origin, notComputed: [String]) -> String {
        "computed by \(origin.engine.capitalized) \(origin.version) (\(origin.master)) at \(origin.computedAt) in "
            + String(format: "%.1f", origin.seconds) + " s; not computed by this engine (shown empty): "
            + notComputed.joined(separator: ", ")
    }
}
