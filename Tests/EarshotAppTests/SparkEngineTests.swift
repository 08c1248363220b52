import Analytics
import Dashboard
import EarshotTestSupport
@testable import EarshotApp
import EventStore
import Foundation
@testable import SQLEngine
import XCTest

/// `--engine spark` without a JVM: a fake `spark-submit` (``FakeSpark``) records its command line and writes a
/// prepared result document; the listing, the command line, progress, errors and the dashboard source are checked
/// in-process. The real run is SparkAgreementTests (EarshotTests).
final class SparkEngineTests: XCTestCase {
    var store: TempDir!
    var spark: FakeSpark!

    override func setUp() {
        store = TempDir("earshot-spark-store")
        store.write("events.jsonl", """
            {"type":"track","messageId":"m1","timestamp":"2026-11-19T12:00:00Z","userId":"u1","event":"Order Completed"}
            {"type":"track","messageId":"m2","timestamp":"2026-11-20T12:00:00Z","userId":"u1","event":"Order Completed"}
            not json
            {"type":"page","messageId":"m3","timestamp":"2026-11-20T11:00:00Z","userId":"u2","name":"Home"}

            """)
        store.write("shop.segments", "segment \"Buyers\":\n    did \"Order Completed\"\n")
        spark = FakeSpark(result: FakeSpark.result())
    }

    func request(_ paths: [String]? = nil, conf: [(String, String)] = [], now: Int64? = nil) -> SparkRequest {
        var options = AnalysisOptions()
        options.now = now
        options.privacy = PrivacyPolicy(minCohort: 0)
        let store = StoreRequest(paths: paths ?? [self.store.path], rulesPath: self.store.path("shop.segments"), options: options)
        return SparkRequest(store: store, settings: SparkSettings(sparkHome: spark.path, master: "spark://127.0.0.1:7077", conf: conf),
                            workDirectory: self.store.path("work"))
    }

    // MARK: Listing

    func testListingFollowsEarshotsRulesNotSparks() throws {
        store.write("_underscore.jsonl", "{}\n")
        store.write("sub/.hidden.jsonl", "{}\n")         // skipped inside directories, as earshot does
        let gz = try XCTUnwrap(gzipped("{\"a\":1}\n"))
        store.write("day/part.json.gz", gz)
        let inputs = try EngineInputs.list([store.path, "s3a://bucket/archive/", "gs://b/x.jsonl.gz",
                                            "abfss://c@acct.dfs.core.windows.net/p", "hdfs://nn:8020/segment"])
        let names = inputs.local.map { ($0.path as NSString).lastPathComponent }
        XCTAssertEqual(names, ["_underscore.jsonl", "part.json.gz", "events.jsonl"])
        XCTAssertEqual(inputs.local.map(\.compressed), [false, true, false])
        XCTAssertEqual(inputs.engine.map(\.index), [0, 1, 2, 3, 4, 5, 6])
        XCTAssertEqual(inputs.engine.suffix(4).map(\.path), ["s3a://bucket/archive/", "gs://b/x.jsonl.gz",
                                                             "abfss://c@acct.dfs.core.windows.net/p", "hdfs://nn:8020/segment"])
        XCTAssertTrue(inputs.engine.suffix(4).allSatisfy(\.remote))
        XCTAssertTrue(inputs.engine.prefix(3).allSatisfy { $0.path.hasPrefix("/") && !$0.remote })
    }

    func testRelativeAndFileURIsAreListedByEarshot() throws {
        let inputs = try EngineInputs.list(["file://" + store.path("events.jsonl")], currentDirectory: "/elsewhere")
        XCTAssertEqual(inputs.engine.map(\.path), [store.path("events.jsonl")])
        XCTAssertFalse(inputs.engine[0].remote)
        XCTAssertEqual(EngineInputs.absolute("a/b.jsonl", in: "/work"), "/work/a/b.jsonl")
        XCTAssertEqual(EngineInputs.absolute("/x.jsonl", in: "/work"), "/x.jsonl")
    }

    func testGzipIsJudgedByContent() throws {
        store.write("fake.jsonl.gz", "{\"not\":\"gzip\"}\n")
        XCTAssertThrowsError(try EngineInputs.list([store.path("fake.jsonl.gz")])) { e in
            XCTAssertTrue("\(e)".contains("named .gz but not gzip"), "\(e)")
        }
        store.write("packed.jsonl", try XCTUnwrap(gzipped("{}\n")))
        XCTAssertThrowsError(try EngineInputs.list([store.path("packed.jsonl")])) { e in
            XCTAssertTrue("\(e)".contains("gzip content without a .gz name"), "\(e)")
        }
        XCTAssertThrowsError(try EngineInputs.list([store.path("missing")]))
    }

    // MARK: The run

    func testCommandLineSettingsOnceAndReport() throws {
        let outcome = try SparkEngine.run(request(conf: [("spark.executor.memory", "4g"), ("spark.sql.shuffle.partitions", "2")]))
        let args = spark.arguments
        XCTAssertEqual(Array(args.prefix(4)), ["--master", "spark://127.0.0.1:7077", "--name", "earshot"])
        let confs = zip(args, args.dropFirst()).filter { $0.0 == "--conf" }.map(\.1)
        XCTAssertEqual(confs.first, "spark.sql.session.timeZone=UTC")
        XCTAssertEqual(confs.suffix(2), ["spark.executor.memory=4g", "spark.sql.shuffle.partitions=2"])
        XCTAssertEqual(confs.count, SparkSettings.baseConf.count + 2)
        XCTAssertTrue(args[args.count - 3].hasSuffix("/driver.py"))
        XCTAssertTrue(args[args.count - 2].hasSuffix("/plan.json"))
        XCTAssertTrue(args[args.count - 1].hasSuffix("/result.json"))
        // The figures come from the result document.
        XCTAssertEqual(outcome.report.store.events, 3)
        XCTAssertEqual(outcome.report.store.persons, 2)
        XCTAssertEqual(outcome.report.store.malformed, 1)
        XCTAssertEqual(outcome.report.segments.map(\.name), ["Buyers"])
        XCTAssertEqual(outcome.report.segments.first?.size, 1)
        XCTAssertEqual(outcome.newestEventMs, 1763640000000)
        XCTAssertTrue(outcome.json.contains("\"engine\""))
        XCTAssertTrue(outcome.text.hasPrefix("computed by Spark 4.3.0 (local[2]) at "))
        // The run's directory is removed after success.
        XCTAssertEqual((try? FileManager.default.contentsOfDirectory(atPath: store.path("work"))) ?? [], [])
    }

    func testPlanCarriesNoSecondCopyOfTheSettings() throws {
        spark.set("silent")
        XCTAssertThrowsError(try SparkEngine.run(request()))
        let plan = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(spark.plan.utf8)) as? [String: Any])
        XCTAssertNil(plan["conf"])
        XCTAssertNotNil(plan["statements"])
        XCTAssertFalse(SparkDriver.source.contains(".config("), "the driver must not apply the settings a second time")
    }

    func testProgressIsReportedFromTheDriversLog() throws {
        let seen = Mutex2<[SparkProgress]>([])
        _ = try SparkEngine.run(request(), progress: { p in seen.change { $0.append(p) } })
        XCTAssertEqual(seen.value, [SparkProgress(stage: "3", done: 12, total: 40), SparkProgress(stage: "3", done: 31, total: 40)])
    }

    func testFailureIsOneLineWithTheLogsPath() throws {
        spark.set("fail")
        XCTAssertThrowsError(try SparkEngine.run(request())) { e in
            let message = "\(e)"
            XCTAssertFalse(message.contains("\n"), message)
            XCTAssertTrue(message.hasPrefix("spark-submit failed: Exception in thread \"main\" org.apache.spark.SparkException: Job aborted: boom"), message)
            guard let r = message.range(of: "(log: ") else { return XCTFail(message) }
            let log = String(message[r.upperBound...].dropLast())
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            XCTAssertTrue(text.contains("Job aborted: boom"), "the log keeps Spark's standard error")
        }
    }

    func testSuccessWithoutAResultIsAFailure() throws {
        spark.set("silent")
        XCTAssertThrowsError(try SparkEngine.run(request())) { e in
            XCTAssertTrue("\(e)".contains("spark-submit failed: no result written (log: "), "\(e)")
        }
    }

    func testMissingSparkIsOneLine() throws {
        var r = request()
        r.settings.sparkHome = store.path("nowhere")
        XCTAssertThrowsError(try SparkEngine.run(r)) { e in
            XCTAssertTrue("\(e)".hasPrefix("no spark-submit found ("), "\(e)")
        }
    }

    func testDriverLogProgressLines() {
        let captured = "26/11/30 WARN x\n[Stage 0:>                 (0 + 2) / 4]\r[Stage 0:=====>   (2 + 2) / 4]\r"
            + "[Stage 12:====================>(199 + 1) / 200]\r\n26/11/30 ERROR Executor: boom\n"
        let seen = Mutex2<[String]>([])
        let handle = FileHandle(forWritingAtPath: "/dev/null")!
        let watcher = ProgressWatcher(log: handle, report: { p in seen.change { $0.append(p.description) } })
        for chunk in captured.utf8.chunked(7) { watcher.feed(Data(chunk)) }
        XCTAssertEqual(seen.value, ["stage 0: 0/4 tasks", "stage 0: 2/4 tasks", "stage 12: 199/200 tasks"])
        XCTAssertEqual(watcher.lastError, "26/11/30 ERROR Executor: boom")
        XCTAssertNil(ProgressWatcher.progress("[Stage \u{1B}[31m:> (1 + 1) / 2]"))
    }

    // MARK: check

    func testCheckMeasuresFromTheWallClockUnlessAnEventIsLater() throws {
        let wall: Int64 = 1763640000000 + 3_600_000
        let (outcome, reference) = try SparkEngine.runForCheck(request(), now: nil, wallClockMs: wall)
        XCTAssertEqual(reference.ms, wall)
        XCTAssertEqual(reference.source, .wallClock)
        XCTAssertTrue(spark.arguments.count > 4)
        XCTAssertEqual(outcome.newestEventMs, 1763640000000)
        let (_, earlier) = try SparkEngine.runForCheck(request(), now: nil, wallClockMs: 1763640000000 - 1000)
        XCTAssertEqual(earlier.source, .newestEvent)
        XCTAssertEqual(earlier.ms, 1763640000000)
    }

    /// A prepared run executes again (another `now`, a segment) from its own file list: nothing is listed again.
    func testExecuteReusesThePreparedListing() throws {
        let prepared = try SparkEngine.prepare(request())
        XCTAssertEqual(prepared.inputs.local.count, 1)
        try FileManager.default.removeItem(atPath: store.path("events.jsonl"))
        XCTAssertNotEqual((try? SparkEngine.prepare(request()))?.inputs.local.count, 1, "listing again would not find the file")
        _ = try SparkEngine.execute(prepared, now: 1_700_000_000_000)
        XCTAssertTrue(spark.plan.contains("1700000000000L AS now"), "compiled again with the new now")
        let document = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(spark.plan.utf8)) as? [String: Any])
        let files = try XCTUnwrap(document["files"] as? [[String: Any]])
        XCTAssertEqual(files.compactMap { $0["path"] as? String }, [store.path("events.jsonl")], "the prepared file list")
        _ = try SparkEngine.execute(prepared, segment: "Buyers")
        XCTAssertTrue(spark.plan.contains("array_contains(segs, 0)"))
        XCTAssertThrowsError(try SparkEngine.execute(prepared, segment: "No such"))
    }

    /// `check --engine spark`'s rules are evaluated by EarshotApp: computed figures get a status, the others UNKNOWN.
    func testCheckEvaluatesRulesOnSparksFigures() throws {
        // A segment the SQL compiler does not translate (a score chain deeper than its recursion bound) is UNKNOWN.
        store.write("shop.segments", "segment \"Buyers\":\n    did \"Order Completed\"\nscore s0 = count(\"X\")\n"
                     + (1...40).map { "score s\($0) = s\($0 - 1) + 1\n" }.joined() + "segment \"Deep\": s40 >= 1\n")
        let rules = try ["store.events >= 1", "store.events >= 100", #"segment["Deep"].size >= 1"#].enumerated().map {
            try RuleParser.parse($0.element, level: .critical, origin: "--rule \($0.offset + 1)")
        }
        let (checked, outcome, reference) = try SparkEngine.check(rules, request: request(), now: 1763640000000 + 1000, wallClockMs: 0)
        XCTAssertEqual(reference.source, .flag)
        XCTAssertEqual(outcome.report.store.events, 3)
        XCTAssertEqual(checked.results.map(\.status), [.ok, .critical, .unknown])
        XCTAssertTrue(checked.results[2].message.contains("not computed by --engine spark"))
        XCTAssertEqual(checked.status, .critical)
    }

    func testRulesOnFiguresSparkDoesNotComputeAreUnknown() throws {
        let outcome = try SparkEngine.run(request())
        func reason(_ text: String) throws -> String? {
            SparkEngine.notComputedReason(try RuleParser.parse(text, level: .critical, origin: "--rule 1"), outcome: outcome)
        }
        XCTAssertNil(try reason("store.events >= 1"))
        XCTAssertNil(try reason("consent.Analytics.coverage >= 10%"))
        XCTAssertNil(try reason("segment[\"Buyers\"].size >= 1"))
        // Computed by the SQL since #17's feedback, weekly and consent statements (docs/SCALE.md).
        XCTAssertNil(try reason("feedback.total.response_rate > 0"))
        XCTAssertNil(try reason("weekly[-1].events > 0"))
        XCTAssertNil(try reason("week[-1].events > 0"))
        XCTAssertNil(try reason("consent.events_without_consent < 5"))
        // Prompt fatigue and the preferred channel since session 6 (sqlfat6: FatigueSQL.swift).
        XCTAssertNil(try reason("feedback.fatigue.ordinal[5].response_rate >= 0.3"))
        // Per-segment NPS and weekly sizes since session 5 (sqlfig2).
        XCTAssertNil(try reason("segment[\"Buyers\"].nps.score > 0"))
        // The answers since session 6 (sqlans6): questions and profile depth.
        XCTAssertNil(try reason("question[\"q\"].answered > 0"))
        XCTAssertNil(try reason("persons.profile_depth.all.persons > 0"))
    }

    // MARK: The dashboard

    func testDashboardShowsProgressAndTheEngineInTheHeader() throws {
        let source = SparkDashboardSource(request(), sourceDescription: "shop")
        let seen = Mutex2<[LoadProgress]>([])
        let data = try source.load(progress: { p in seen.change { $0.append(p) } })
        XCTAssertTrue(data.sourceDescription.hasPrefix("shop — computed by Spark 4.3.0 at "), data.sourceDescription)
        XCTAssertEqual(seen.value.first?.engine?.text, "starting")
        XCTAssertEqual(seen.value.last?.engine?.text, "stage 3: 31/40 tasks")
        XCTAssertEqual(seen.value.last?.fraction ?? 0, 31.0 / 40, accuracy: 1e-9)
        XCTAssertEqual(data.report.store.events, 3)
    }

    func testSegmentFilterRerunsTheRestrictedSQL() throws {
        spark.home.write("filtered.json", FakeSpark.result(events: 2, persons: 1, segmentSize: 1))
        let source = SparkDashboardSource(request())
        _ = try source.load(progress: { _ in })
        let notes = Mutex2<[String]>([])
        let report = try XCTUnwrap(try source.report(filteredTo: "Buyers", progress: { n in notes.change { $0.append(n) } }))
        XCTAssertEqual(report.store.events, 2)
        XCTAssertEqual(report.store.persons, 1)
        XCTAssertEqual(report.store.lines, 4, "the store's line counts are the whole store's")
        XCTAssertEqual(notes.value, ["Spark starting", "Spark stage 3: 12/40 tasks", "Spark stage 3: 31/40 tasks"])
        // The plan spark-submit got restricts es_events to the members of segment 0, measured from the full run's now.
        let plan = spark.plan
        XCTAssertTrue(plan.contains("array_contains(segs, 0)"))
        XCTAssertTrue(plan.contains("1763640000000L AS now"))
        XCTAssertNil(try source.report(filteredTo: "No such", progress: { _ in }))
        spark.set("fail")
        XCTAssertThrowsError(try source.report(filteredTo: "Buyers", progress: { _ in })) { e in
            XCTAssertTrue("\(e)".contains("(log: "), "\(e)")
        }
    }

    // MARK: Helpers

    func gzipped(_ text: String) -> [UInt8]? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/gzip")
        p.arguments = ["-c"]
        let input = Pipe(), output = Pipe()
        p.standardInput = input; p.standardOutput = output
        try? p.run()
        input.fileHandleForWriting.write(Data(text.utf8)); try? input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return data.isEmpty ? nil : [UInt8](data)
    }
}

/// A value shared with @Sendable callbacks.
final class Mutex2<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: T
    init(_ v: T) { stored = v }
    var value: T { lock.lock(); defer { lock.unlock() }; return stored }
    func change(_ f: (inout T) -> Void) { lock.lock(); defer { lock.unlock() }; f(&stored) }
}

extension String.UTF8View {
    func chunked(_ n: Int) -> [[UInt8]] {
        var out: [[UInt8]] = [], cur: [UInt8] = []
        for b in self { cur.append(b); if cur.count == n { out.append(cur); cur = [] } }
        if !cur.isEmpty { out.append(cur) }
        return out
    }
}
