import Analytics
import EventStore
import Foundation
import SQLEngine

/// The store's inputs for an engine: local files as earshot lists them (its own rules: names starting with `_`
/// included, gzip by content), remote URIs as given (docs/SCALE.md).
public struct EngineInputs: Sendable, Equatable {
    /// The local files, in earshot's read order (their index is their position).
    public var local: [ListedFile]
    /// What the engine reads: the local files by absolute path, then the remote URIs (listed by the engine).
    public var engine: [EngineFile]
    /// The listing's notes (skipped entries).
    public var warnings: [String]

    /// Lists `paths`: local files and directories with ``StoreLocator`` (earshot's own rules), remote URIs
    /// (`s3a://`, `gs://`, `abfss://`, `hdfs://`, any `scheme://` but `file://`) as they are. A gzip file must be named
    /// `.gz` and a `.gz` file must be gzip, since Spark decompresses by the name: otherwise a one-line error names
    /// the file. Relative paths are made absolute against `currentDirectory`.
    public static func list(_ paths: [String],
                            currentDirectory: String = FileManager.default.currentDirectoryPath) throws(AppError) -> EngineInputs {
        let remote = paths.filter(RemotePath.isRemote)
        let localPaths = paths.filter { !RemotePath.isRemote($0) }.map { $0.hasPrefix("file://") ? String($0.dropFirst(7)) : $0 }
        var local: [ListedFile] = [], warnings: [String] = []
        if !localPaths.isEmpty {
            let location: StoreLocation
            do { location = try StoreLocator.locate(localPaths) } catch { throw AppError(error.description) }
            warnings = location.warnings
            for f in location.files {
                let gzip = StoreLocator.isGzip(f.path)
                if gzip != f.path.hasSuffix(".gz") {
                    throw AppError("\(f.path): " + (gzip ? "gzip content without a .gz name" : "named .gz but not gzip")
                                   + " (Spark decompresses by the name): rename it, or read the store without --engine spark")
                }
                local.append(ListedFile(path: f.path, bytes: f.bytes, compressed: gzip))
            }
        }
        var engine = local.enumerated().map {
            EngineFile(index: $0.offset, path: absolute($0.element.path, in: currentDirectory), remote: false)
        }
        engine += remote.enumerated().map { EngineFile(index: local.count + $0.offset, path: $0.element, remote: true) }
        return EngineInputs(local: local, engine: engine, warnings: warnings)
    }

    static func absolute(_ path: String, in directory: String) -> String {
        if path.hasPrefix("/") { return path }
        return (directory as NSString).appendingPathComponent(path)
    }
}

/// What an `--engine spark` run needs: the store (paths, rules, options) and how to reach Spark.
public struct SparkRequest: Sendable {
    public var store: StoreRequest
    public var settings: SparkSettings
    /// Where the run's directory (driver, plan, result, `spark.log`) is made.
    public var workDirectory: String

    public init(store: StoreRequest, settings: SparkSettings, workDirectory: String = NSTemporaryDirectory()) {
        self.store = store; self.settings = settings; self.workDirectory = workDirectory
    }
}

/// A finished Spark run: the published report and what it leaves out.
public struct SparkOutcome: Sendable {
    /// The report after the privacy guards (``Privacy/publish(_:policy:)``), as the embedded engine's.
    public var report: Report
    /// Figures of `report --format json` the engine does not compute (absent from its JSON, named in its header).
    public var notComputed: [String]
    /// Segments whose rules the compiler does not translate (name → construct).
    public var unsupportedSegments: [String: String]
    /// Who computed it and when.
    public var origin: EngineReport.Origin
    /// The newest event's time (ms), nil for an empty store.
    public var newestEventMs: Int64?
    /// The time the figures measure from (ms), nil for an empty store.
    public var nowMs: Int64?

    /// `report --format json`: the report without what is not computed, plus the `engine` object.
    public var json: String {
        EngineReport.json(report, notComputed: notComputed, origin: origin, unsupportedSegments: unsupportedSegments)
    }

    /// `report --format text`: the `computed by Spark …` line, one line per segment not computed, the report.
    public var text: String {
        var out = EngineReport.header(origin: origin, notComputed: notComputed) + "\n"
        for (name, why) in unsupportedSegments.sorted(by: { $0.key < $1.key }) {
            out += "segment \"\(name)\" not computed by this engine: \(why)\n"
        }
        return out + ReportRenderer.text(report)
    }

    /// The dashboard's header: `computed by Spark 4.3.0 at 2026-11-30T16:00:00.000Z`.
    public var headerNote: String { "computed by \(origin.engine.capitalized) \(origin.version) at \(origin.computedAt)" }
}

/// A Spark run made ready once (``SparkEngine/prepare(_:now:)``): the store's files listed, the rules read, the plan
/// compiled. ``SparkEngine/execute(_:now:segment:clock:progress:)`` runs it, again and again (the dashboard's segment
/// filter, `check`'s second pass) without listing the files or reading the rules again.
public struct PreparedSparkRun: Sendable {
    public let request: SparkRequest
    /// The files as earshot listed them (local in read order, then the remote URIs).
    public let inputs: EngineInputs
    /// The segment rules (nil without a rules file).
    public let program: SegmentProgram?
    /// The analysis options the plan was compiled with (`now` included).
    public let options: AnalysisOptions
    /// The compiled plan of the whole store.
    public let plan: SQLPlan
}

/// `--engine spark` for `report`, `check`, `snapshot` and the dashboard: lists the files, compiles the SQL, runs it
/// with `spark-submit` (``SparkRunner``) and builds earshot's report from the integer results (``EngineReport``).
/// Every failure is one ``AppError`` line (Spark's with the path of its log).
public enum SparkEngine {
    /// Runs the figures of `request` in Spark: ``prepare(_:now:)`` then ``execute(_:now:segment:clock:progress:)``.
    public static func run(_ request: SparkRequest, now: Int64? = nil, segment: String? = nil,
                           clock: @Sendable () -> Date = Date.init,
                           progress: @escaping @Sendable (SparkProgress) -> Void = { _ in }) throws(AppError) -> SparkOutcome {
        try execute(try prepare(request, now: now), segment: segment, clock: clock, progress: progress)
    }

    /// The plan of a store's figures (what `earshot sql` prints): the rules of `store.rulesPath` compiled with its
    /// options, `now` replacing the options' reference time when given.
    public static func compile(_ store: StoreRequest, now: Int64? = nil) throws(AppError) -> (plan: SQLPlan, program: SegmentProgram?, options: AnalysisOptions) {
        var options = store.options
        if let now { options.now = now }
        let program = try StoreSession.rules(store.rulesPath)
        return (compile(options: options, assumeUTC: store.reader.assumeUTC, program: program), program, options)
    }

    static func compile(options: AnalysisOptions, assumeUTC: Bool, program: SegmentProgram?) -> SQLPlan {
        SparkSQLCompiler(options: options, assumeUTC: assumeUTC, program: program).plan()
    }

    /// Lists the store's files (``EngineInputs/list(_:currentDirectory:)``), reads the rules and compiles the plan,
    /// once; `now` replaces the options' reference time.
    public static func prepare(_ request: SparkRequest, now: Int64? = nil) throws(AppError) -> PreparedSparkRun {
        let inputs = try EngineInputs.list(request.store.paths)
        let (plan, program, options) = try compile(request.store, now: now)
        return PreparedSparkRun(request: request, inputs: inputs, program: program, options: options, plan: plan)
    }

    /// Runs a prepared plan in Spark. `now`: measure from this time instead of the prepared one (the plan is compiled
    /// again, in memory; the files are not listed again). `segment`: restrict the figures to that segment's members
    /// (the dashboard's filter, ``SQLPlan/restricted(toSegment:)``).
    public static func execute(_ prepared: PreparedSparkRun, now: Int64? = nil, segment: String? = nil,
                               clock: @Sendable () -> Date = Date.init,
                               progress: @escaping @Sendable (SparkProgress) -> Void = { _ in }) throws(AppError) -> SparkOutcome {
        let request = prepared.request, program = prepared.program
        var options = prepared.options, plan = prepared.plan
        if let now, now != options.now {
            options.now = now
            plan = compile(options: options, assumeUTC: request.store.reader.assumeUTC, program: program)
        }
        if let segment {
            guard let program, let index = program.segments.firstIndex(where: { $0.name == segment }) else {
                throw AppError("no segment named \"\(segment)\" in the rules")
            }
            if let why = plan.unsupportedSegments[segment] {
                throw AppError("the segment \"\(segment)\" is not computed by Spark (\(why)): filter with the embedded engine")
            }
            guard let restricted = plan.restricted(toSegment: index) else {
                throw AppError("the segment \"\(segment)\" cannot be filtered by Spark")
            }
            plan = restricted
        }
        guard request.settings.isAvailable else {
            throw AppError("no spark-submit found (\(request.settings.submitPath)): install pyspark (pip install pyspark) or name Spark with --spark-home / SPARK_HOME")
        }
        let inputs = prepared.inputs
        let result: EngineResult
        do {
            result = try SparkRunner(settings: request.settings).run(plan: plan, files: inputs.engine,
                                                                     workDirectory: request.workDirectory, progress: progress)
        } catch {
            throw AppError(error.message)
        }
        let raw: Report
        do {
            raw = try EngineReport.rawReport(result: result, files: inputs.local, options: options, program: program,
                                             unsupportedSegments: plan.unsupportedSegments, warnings: inputs.warnings)
        } catch let e as EngineError {
            throw AppError(e.message)
        } catch {
            throw AppError("\(error)")
        }
        let origin = EngineReport.Origin(engine: "spark", version: result.sparkVersion, master: result.master,
                                         computedAt: CivilTime.isoTimestamp(ms: Int64(clock().timeIntervalSince1970 * 1000)),
                                         seconds: result.seconds)
        let store = result.rows["store_events"]?.first
        return SparkOutcome(report: Privacy.publish(raw, policy: options.privacy), notComputed: plan.notComputed,
                            unsupportedSegments: plan.unsupportedSegments, origin: origin,
                            newestEventMs: EngineResult.int64(store?["last_event"] ?? nil),
                            nowMs: EngineResult.int64(store?["now"] ?? nil))
    }

    /// `check --engine spark`: measured from the wall clock, or from the newest event when it is later (as the
    /// embedded check): a second run then measures from it (the files are listed once). `now`: `--now`.
    public static func runForCheck(_ request: SparkRequest, now: Int64?, wallClockMs: Int64,
                                   progress: @escaping @Sendable (SparkProgress) -> Void = { _ in })
        throws(AppError) -> (outcome: SparkOutcome, reference: ReferenceTime) {
        if let now {
            return (try run(request, now: now, progress: progress), ReferenceTime(ms: now, source: .flag))
        }
        let prepared = try prepare(request, now: wallClockMs)
        let first = try execute(prepared, progress: progress)
        if let newest = first.newestEventMs, newest > wallClockMs {
            return (try execute(prepared, now: newest, progress: progress),
                    ReferenceTime(ms: newest, source: .newestEvent, newestEventMs: newest))
        }
        return (first, ReferenceTime(ms: wallClockMs, source: .wallClock, newestEventMs: first.newestEventMs))
    }

    /// `check --engine spark`'s rules evaluated on Spark's figures: a rule on a figure Spark does not compute is
    /// UNKNOWN with the reason (never evaluated on an empty figure, ``notComputedReason(_:outcome:)``).
    public static func check(_ rules: [CheckRule], request: SparkRequest, now: Int64?, wallClockMs: Int64,
                             progress: @escaping @Sendable (SparkProgress) -> Void = { _ in })
        throws(AppError) -> (checked: CheckOutcome, outcome: SparkOutcome, reference: ReferenceTime) {
        let (outcome, reference) = try runForCheck(request, now: now, wallClockMs: wallClockMs, progress: progress)
        let tree = FigureNode.of(outcome.report)
        let results = rules.map { rule in
            if let why = notComputedReason(rule, outcome: outcome) {
                return RuleResult(rule: rule, status: .unknown, value: nil, unit: nil, message: why)
            }
            return CheckEvaluator.evaluate(rule, tree: tree, minCohort: outcome.report.privacy.minCohort)
        }
        return (CheckOutcome(results: results), outcome, reference)
    }

    /// Why a check rule cannot be answered by an engine's report (its figure is not computed), or nil.
    /// `notComputed` are dotted JSON paths (`feedback`, `segments[].weekly`, `store.malformed_lines`).
    public static func notComputedReason(_ rule: CheckRule, outcome: SparkOutcome) -> String? {
        let rootAliases = FigureNode.of(Report()).aliases
        var names: [String] = []
        for (k, c) in rule.path.components.prefix(3).enumerated() {
            switch c {
            case .name(let n): names.append(k == 0 ? (rootAliases[n] ?? n) : n)
            case .key(let key): names.append("[" + key + "]")
            case .index(let i): names.append("[\(i)]")
            }
        }
        guard let root = names.first else { return nil }
        let notHere = "\(rule.path.description) is not computed by --engine spark (docs/SCALE.md lists what is); check it without --engine spark"
        // Figures the tree shows outside their JSON place.
        let moved = ["questions": "feedback.questions", "question_funnels": "feedback.question_funnels"]
        let notComputed = Set(outcome.notComputed)
        if notComputed.contains(root) || moved[root].map({ notComputed.contains($0) || notComputed.contains("feedback") }) == true {
            return notHere
        }
        if root == "segments", names.count >= 2 {
            let key = names[1].hasPrefix("[") ? String(names[1].dropFirst().dropLast()) : names[1]
            if let why = outcome.unsupportedSegments[key] {
                return "segment \"\(key)\" is not computed by --engine spark (\(why)); check it without --engine spark"
            }
            if names.count >= 3, notComputed.contains("segments[]." + names[2]) {
                return notHere
            }
        }
        if names.count >= 2, notComputed.contains(root + "." + names[1]) {
            return notHere
        }
        return nil
    }
}
