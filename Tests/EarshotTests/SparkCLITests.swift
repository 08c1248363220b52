import EarshotTestSupport
import Foundation
import XCTest

/// `--engine spark` through the binary with a fake `spark-submit` (``FakeSpark``): report, check (UNKNOWN, exit 3, on
/// any usage or engine error and for figures Spark does not compute), snapshot, the dashboard's flag checks, and
/// the spark-submit process group ended with earshot on SIGTERM and SIGINT.
final class SparkCLITests: BinaryTestCase {
    var spark: FakeSpark!
    var store: String!

    override func setUpWithError() throws {
        try super.setUpWithError()
        spark = FakeSpark(result: FakeSpark.result())
        store = dir.path("store")
        dir.write("store/events.jsonl", #"{"type":"track","messageId":"m1","timestamp":"2026-11-20T12:00:00Z","userId":"u1","event":"Order Completed"}"# + "\n")
        dir.write("store/shop.segments", "segment \"Buyers\":\n    did \"Order Completed\"\n")
    }

    var engine: [String] { ["--engine", "spark", "--spark-home", spark.path] }

    /// A segment the SQL compiler does not translate (a score chain deeper than its recursion bound).
    static var deepSegment: String {
        "score s0 = count(\"X\")\n" + (1...40).map { "score s\($0) = s\($0 - 1) + 1\n" }.joined() + "segment \"Deep\": s40 >= 1\n"
    }

    func testReportJSONNamesTheEngine() throws {
        let r = try run(["report", "--format", "json", "--min-cohort", "0"] + engine + [store])
        XCTAssertEqual(r.status, 0, r.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        XCTAssertEqual((json["engine"] as? [String: Any])?["name"] as? String, "spark")
        XCTAssertEqual((json["store"] as? [String: Any])?["events"] as? Int, 3)
        // Feedback is computed by the SQL (no prompts in this store: zero is the truth), its questions and the profile
        // depth too (#17 answers); the malformed lines' samples are not.
        let feedback = try XCTUnwrap(json["feedback"] as? [String: Any])
        XCTAssertEqual((feedback["total"] as? [String: Any])?["prompts"] as? Int, 0)
        XCTAssertNotNil(feedback["questions"])
        XCTAssertNotNil(json["persons"])
        XCTAssertNil((json["store"] as? [String: Any])?["malformed_lines"], "not computed: absent, never empty")
    }

    func testSparkFailureIsAnErrorNotAReport() throws {
        spark.set("fail")
        let r = try run(["report"] + engine + [store])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stdout, "")
        let lines = r.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, r.stderr)
        XCTAssertTrue(r.stderr.hasPrefix("earshot: error: spark-submit failed: Exception in thread"), r.stderr)
        XCTAssertTrue(r.stderr.contains("/spark.log)"), r.stderr)
    }

    func testSparkFlagsNeedTheEngine() throws {
        let r = try run(["report", "--spark-master", "local[4]", store])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("need --engine spark"), r.stderr)
        let d = try run(["dashboard", "--follow"] + engine + [store])
        XCTAssertEqual(d.status, 2)
        XCTAssertTrue(d.stderr.contains("does not combine with --engine spark"), d.stderr)
    }

    // MARK: check

    func testCheckAnswersFromSparkAndIsUnknownForWhatItDoesNotCompute() throws {
        let ok = try run(["check", "--now", "2026-11-21T00:00:00Z", "--min-cohort", "0", "--rule", "store.events >= 3",
                          "--rule", "segment[\"Buyers\"].size >= 1"] + engine + [store])
        XCTAssertEqual(ok.status, 0, ok.stdout)
        XCTAssertTrue(ok.stdout.hasPrefix("EARSHOT OK"), ok.stdout)
        XCTAssertTrue(ok.stdout.contains("computed by Spark 4.3.0 at"), ok.stdout)
        XCTAssertTrue(spark.plan.contains("1795219200000L AS now"), "the check measures from --now")
        // Every figure of a report is computed by the SQL now; what is not: a segment whose score chain is deeper than
        // the compiler's recursion bound (docs/SCALE.md).
        dir.write("store/shop.segments", "segment \"Buyers\":\n    did \"Order Completed\"\n" + SparkCLITests.deepSegment)
        let partly = try run(["check", "--now", "2026-11-21T00:00:00Z", "--rule", "store.events >= 3",
                              "--rule", #"segment["Deep"].size >= 1"#] + engine + [store])
        XCTAssertEqual(partly.status, 3, partly.stdout)
        XCTAssertTrue(partly.stdout.hasPrefix("EARSHOT UNKNOWN"), partly.stdout)
        XCTAssertTrue(partly.stdout.contains("not computed by --engine spark"), partly.stdout)
    }

    func testCheckEngineAndUsageErrorsAreUnknown() throws {
        let cases: [(String, [String], String)] = [
            ("fail", engine, "spark-submit failed"),
            ("silent", engine, "no result written"),
            ("", engine + ["--spark-conf", "novalue"], "--spark-conf novalue: expected key=value"),
            ("", ["--engine", "sparkle"], "sparkle"),
            ("", ["--engine", "spark", "--spark-home", dir.path("nowhere")], "no spark-submit found"),
            ("", ["--spark-master", "local[1]"], "need --engine spark"),
        ]
        for (mode, flags, message) in cases {
            let fake = FakeSpark(result: FakeSpark.result())
            if !mode.isEmpty { fake.set(mode) }
            let flags = flags.map { $0 == spark.path ? fake.path : $0 }
            let r = try run(["check", "--rule", "store.events >= 1"] + flags + [store])
            XCTAssertEqual(r.status, 3, "\(flags): \(r.stdout)")
            XCTAssertTrue(r.stdout.hasPrefix("EARSHOT UNKNOWN"), "\(flags): \(r.stdout)")
            XCTAssertTrue(r.stdout.contains(message), "\(flags): \(r.stdout)")
        }
    }

    // MARK: snapshot

    func testSnapshotHeaderNamesSpark() throws {
        let r = try run(["snapshot", "--size", "160x30", "--min-cohort", "0"] + engine + [store])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("computed by Spark 4.3.0 at"), r.stdout)
        XCTAssertTrue(r.stdout.contains("Buyers") || r.stdout.contains("events"), r.stdout)
    }

    // MARK: the process group

    func testSparkSubmitEndsWithEarshotOnSigterm() throws { try assertGroupEnds(on: SIGTERM) }
    func testSparkSubmitEndsWithEarshotOnSigint() throws { try assertGroupEnds(on: SIGINT) }

    func assertGroupEnds(on signal: Int32, file: StaticString = #filePath, line: UInt = #line) throws {
        spark.set("hang")
        let pid = try Binary.spawn(earshot, ["report"] + engine + [store], environment: environment,
                                   stdout: dir.path("out.txt"), stderr: dir.path("err.txt"))
        let pidFile = spark.home.path("sleep.pid")
        let deadline = Date().addingTimeInterval(30)
        while !FileManager.default.fileExists(atPath: pidFile) || ((try? String(contentsOfFile: pidFile, encoding: .utf8)) ?? "").isEmpty {
            guard Date() < deadline else { Binary.stop(pid); return XCTFail("the fake spark-submit did not start", file: file, line: line) }
            usleep(20_000)
        }
        let sleeper = try XCTUnwrap(Int32(String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        XCTAssertEqual(kill(sleeper, 0), 0, "the child runs", file: file, line: line)
        kill(pid, signal)
        let (status, timedOut) = Binary.wait(pid, timeout: 10)
        XCTAssertFalse(timedOut, file: file, line: line)
        XCTAssertEqual(status, 128 + signal, file: file, line: line)
        let gone = Date().addingTimeInterval(5)
        while kill(sleeper, 0) == 0 && Date() < gone { usleep(20_000) }
        XCTAssertNotEqual(kill(sleeper, 0), 0, "spark-submit's process group outlived earshot", file: file, line: line)
        if kill(sleeper, 0) == 0 { kill(sleeper, SIGKILL) }
    }
}
