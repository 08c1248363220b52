import XCTest
import Foundation
import EarshotTestSupport

/// `report --engine spark` against the embedded engine, for real: every figure the Spark engine reports must equal
/// the embedded engine's (docs/SCALE.md). Runs Spark through `spark-submit` with the master of
/// `EARSHOT_SPARK_MASTER` (default `local[2]`; `.ci/run` starts a standalone cluster and sets
/// `spark://127.0.0.1:7077`). Skipped when no `spark-submit` is found, unless `EARSHOT_SPARK_REQUIRED=1` (CI), which
/// makes a missing Spark a failure.
final class SparkAgreementTests: XCTestCase {
    static var environment: [String: String] { ProcessInfo.processInfo.environment }

    static var sparkSubmit: String? {
        if let home = environment["SPARK_HOME"], !home.isEmpty {
            let p = home + "/bin/spark-submit"
            return FileManager.default.isExecutableFile(atPath: p) ? p : nil
        }
        for dir in (environment["PATH"] ?? "").split(separator: ":") {
            let p = String(dir) + "/spark-submit"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }

    /// Runs when asked (`EARSHOT_SPARK_AGREEMENT=1`), or in CI (`CI=true`, unless `EARSHOT_SPARK_AGREEMENT=0`) when the standalone cluster `.ci/run` starts
    /// is up (`EARSHOT_SPARK_MASTER`, default `spark://127.0.0.1:7077`, accepts a connection); skips with the reason
    /// otherwise. `EARSHOT_SPARK_REQUIRED=1` turns a missing Spark or cluster into a failure.
    func requireSpark() throws {
        if Self.environment["EARSHOT_SPARK_AGREEMENT"] == "0" {
            throw XCTSkip("the Spark agreement test is switched off (EARSHOT_SPARK_AGREEMENT=0)")
        }
        let asked = Self.environment["EARSHOT_SPARK_AGREEMENT"] == "1"
        let required = Self.environment["EARSHOT_SPARK_REQUIRED"] == "1"
        let ci = Self.environment["CI"] == "true"
        guard asked || required || ci else {
            throw XCTSkip("the Spark agreement test runs in CI (CI=true, with the cluster .ci/run starts) or with EARSHOT_SPARK_AGREEMENT=1 (pip install pyspark)")
        }
        if Self.sparkSubmit == nil {
            if required { XCTFail("EARSHOT_SPARK_REQUIRED=1 but no spark-submit on PATH or in SPARK_HOME (pip install pyspark)") }
            throw XCTSkip("no Spark here (no spark-submit on PATH or in SPARK_HOME): pip install pyspark to run the Spark agreement test")
        }
        if !asked || Self.master.hasPrefix("spark://") {
            let master = Self.master.hasPrefix("spark://") ? Self.master : "spark://127.0.0.1:7077"
            if !Self.accepts(master) {
                if required { XCTFail("EARSHOT_SPARK_REQUIRED=1 but the Spark master \(master) does not answer (bench/spark-cluster.sh start)") }
                throw XCTSkip("the Spark master \(master) does not answer: start the loopback cluster with bench/spark-cluster.sh start")
            }
        }
    }

    static var master: String {
        environment["EARSHOT_SPARK_MASTER"] ?? (environment["CI"] == "true" ? "spark://127.0.0.1:7077" : "local[2]")
    }

    /// Extra `--spark-conf` values (`EARSHOT_SPARK_CONF`, space-separated `k=v`; `.ci/run` lowers the shuffle partitions).
    static var conf: [String] {
        (environment["EARSHOT_SPARK_CONF"] ?? "").split(separator: " ").flatMap { ["--spark-conf", String($0)] }
    }

    /// Whether `spark://host:port` accepts a TCP connection.
    static func accepts(_ master: String) -> Bool {
        let rest = master.dropFirst("spark://".count)
        guard let colon = rest.lastIndex(of: ":"), let port = UInt16(rest[rest.index(after: colon)...]) else { return false }
        let host = String(rest[..<colon])
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        guard inet_pton(AF_INET, host == "localhost" ? "127.0.0.1" : host, &addr.sin_addr) == 1 else { return false }
        return withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    /// ExampleData (34 672 lines): ~6 minutes on the shared 2-core build machine; `.ci/run` asks for it
    /// (`EARSHOT_SPARK_EXAMPLEDATA=1`) unless `EARSHOT_SPARK_EXAMPLEDATA=0` (docs/SCALE.md).
    func testExampleDataAgrees() throws {
        guard Self.environment["EARSHOT_SPARK_EXAMPLEDATA"] == "1" else {
            throw XCTSkip("ExampleData through Spark takes many minutes on 2 cores: set EARSHOT_SPARK_EXAMPLEDATA=1 to run it")
        }
        try requireSpark()
        let spark = try assertAgreement(store: Binary.packageRoot + "/ExampleData", extra: [])
        // Every rule of shop.segments is computed (lists and sums included).
        let segments = try XCTUnwrap(spark["segments"] as? [[String: Any]])
        XCTAssertEqual(segments.count, 11, "every rule of shop.segments")
        let engine = try XCTUnwrap(spark["engine"] as? [String: Any])
        let skipped = try XCTUnwrap(engine["segments_not_computed"] as? [String: String])
        XCTAssertEqual(skipped, [:])
        // The loops and journeys of shop.segments are computed (and compared above).
        XCTAssertEqual((spark["loops"] as? [Any])?.count, 2)
        XCTAssertEqual((spark["journeys"] as? [Any])?.count, 2)
    }

    /// Duplicates across files (the first in file order wins), stitching via alias and shared ids, consent ties in the
    /// same millisecond, empty preferences, RudderStack ids, deletions, malformed lines of every kind, gzip, zone
    /// offsets, a byte order mark, a file named `_…`, a lone surrogate escape; vendor shapes at their edges
    /// (g-vendors.jsonl: batch envelopes with context and `sentAt`, duplicates and consent ties between items of one
    /// batch, items that are no event, PostHog events of every kind with `$time`, `$set`, URLs, numeric ids).
    func testEdgeCaseStoreAgrees() throws {
        try requireSpark()
        let store = Binary.packageRoot + "/Tests/Fixtures/spark-edge"
        let rules = Binary.packageRoot + "/Tests/Fixtures/spark-edge.segments"
        let spark = try assertAgreement(store: store, extra: ["--min-cohort", "0", "--segments", rules])
        // The store's own figures, so that agreeing on nothing cannot pass.
        let s = try XCTUnwrap(spark["store"] as? [String: Any])
        XCTAssertEqual(s["malformed"] as? Int, 46)
        XCTAssertEqual(s["duplicates"] as? Int, 7)
        XCTAssertEqual(s["deleted_events"] as? Int, 6)
        XCTAssertEqual(s["files"] as? Int, 11)
        XCTAssertEqual(s["batch_envelopes"] as? Int, 6)
        XCTAssertEqual(s["batch_items"] as? Int, 20)
        XCTAssertEqual(s["records"] as? Int, 414 + 8 + 3)   // g-fatigue.jsonl o1–o4 ($set_once), h-weeks.jsonl
        // The feedback file (d-feedback.jsonl): ties of prompt and response in one millisecond, a superseded
        // submission, an unmatched response, numeric survey ids, NPS declarations, inherited, unknown and DST zones.
        // With g-fatigue.jsonl: 77 prompts and 38 responses more (every one answering, most of them 5 minutes later);
        // g-answers.jsonl adds 5 prompts (4 answered, within minutes) and 16 responses (11 unmatched); g-vendors.jsonl
        // one prompt answered inside a batch envelope.
        let f = try XCTUnwrap(spark["feedback"] as? [String: Any])
        let total = try XCTUnwrap(f["total"] as? [String: Any])
        XCTAssertEqual(total["prompts"] as? Int, 86 + 5 + 1)
        XCTAssertEqual(total["answered"] as? Int, 45 + 4 + 1)
        XCTAssertEqual(total["dismissed"] as? Int, 2)
        XCTAssertEqual(total["median_seconds_to_answer"] as? Double, 300)
        XCTAssertEqual(f["responses"] as? Int, 48 + 16 + 1)
        XCTAssertEqual(f["unmatched_responses"] as? Int, 1 + 11)
        XCTAssertEqual(f["prompts_unknown_timezone"] as? Int, 1)
        XCTAssertEqual((f["hour_weekday"] as? [Any])?.count, 23)
        try assertFatigueEdgeCases(f)
        // 8 scored in d-feedback.jsonl; 5 in g-answers.jsonl, where the catalog's `nps` answer overrides the score.
        XCTAssertEqual((f["nps"] as? [String: Any])?["scored"] as? Int, 13)
        // The answers (g-answers.jsonl, with the catalog of earshot.yaml): a repeated key is captured as often as it is
        // written (the VARIANT keeps only its last value), index keys are named by the catalog (`#N` without one),
        // SatisMeter lists, configured and nested answer fields; funnels, free text and profile depth.
        let questions = try XCTUnwrap(f["questions"] as? [[String: Any]])
        let byKey = Dictionary(questions.map { ("\($0["survey_id"] ?? "")/\($0["question"] ?? "")", $0) }, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(byKey.keys.sorted(), ["cat1/first", "cat1/second", "cat1/third", "catnps/rec", "catnps/why", "catrate/stars",
                                             "sm/answers", "sm/q_a", "sm/q_b", "u1/#1", "u1/#2", "u1/#4", "u2/picks", "u2/q2",
                                             "u2/q3", "u2/q9", "u2/why"])
        func values(_ key: String) -> [String: Int] {
            Dictionary(((byKey[key]?["values"] as? [[String: Any]]) ?? []).map { ($0["value"] as? String ?? "?", $0["count"] as? Int ?? -1) },
                       uniquingKeysWith: { a, _ in a })
        }
        XCTAssertEqual(values("cat1/first")["green"], 1, "\"green\" then null under one key: green is an answer")
        // g-vendors.jsonl's last line: a response inside a batch envelope is read from the item's own text, its repeated
        // key too ("teal" then null); the envelope's text has no `properties` at all.
        XCTAssertEqual(values("cat1/first")["teal"], 1, "an answer inside a batch envelope")
        XCTAssertEqual(values("catnps/rec"), ["3": 1, "9": 2, "ten": 1])
        XCTAssertEqual(byKey["cat1/third"]?["answers"] as? Int, 6)
        XCTAssertEqual((f["question_funnels"] as? [[String: Any]])?.count, 2)
        XCTAssertEqual((f["free_text"] as? [String: Any])?["answers"] as? Int, 8)
        let depth = try XCTUnwrap(((spark["persons"] as? [String: Any])?["profile_depth"] as? [String: Any])?["all"] as? [String: Any])
        XCTAssertEqual((depth["depth"] as? [[String: Any]])?.compactMap { $0["persons"] as? Int }, [85 + 4 + 1, 18, 9, 5, 1])   // g-vendors.jsonl: 10 persons without answers, gu5 with 2; g-fatigue.jsonl o1–o4 none; h-weeks.jsonl: 1 without
        XCTAssertEqual((spark["consent"] as? [String: Any])?["events_without_consent"] as? Int, 7)
        // Consent labels (f-labels.jsonl): the last non-empty one in file order, denied after allowed, none for a
        // non-string value or a label equal to the id; a deleted person's label kept, a duplicate's and a malformed line's not.
        let categories = try XCTUnwrap((spark["consent"] as? [String: Any])?["categories"] as? [[String: Any]])
        let labels = Dictionary(categories.compactMap { c in (c["name"] as? String).map { ($0, c["label"] as? String ?? "-") } },
                                uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(labels.filter { $0.key.hasPrefix("C01") },
                       ["C0101": "Last label, earlier time", "C0102": "Denied label", "C0103": "-", "C0104": "-",
                        "C0105": "Original copy", "C0106": "Label of a deleted person"])
        XCTAssertEqual(labels["C0003"], "Functional")
        XCTAssertFalse((spark["weekly"] as? [Any] ?? []).isEmpty)
        // Every rule construct is computed (spark-edge.segments; lists and sums read e-lists.jsonl), with weekly sizes.
        let segments = try XCTUnwrap(spark["segments"] as? [[String: Any]])
        XCTAssertEqual(segments.compactMap { $0["name"] as? String }, ["Viewed then ordered", "Answered within the hour", "Engaged", "Dwell",
                                                                      "Promoters", "Email surveys", "Pro plan", "Engaged, no dwell",
                                                                      "Spenders", "Lists", "Exact sums", "Baskets", "Baby over 50",
                                                                      "All baby", "Babies", "Extremes", "Tags", "Toddlers",
                                                                      "Last millisecond", "Window edge", "Chain edge",
                                                                      "Windowed chain edge"])
        XCTAssertTrue(segments.allSatisfy { ($0["size"] as? Int ?? 0) > 0 }, "every segment of the edge rules has members: \(segments)")
        XCTAssertTrue(segments.allSatisfy { ($0["weekly"] as? [Any])?.count == 19 }, "weekly sizes for every week of the series")
        // Week boundaries (h-weeks.jsonl, hand-computed): "Week Edge" at 2026-04-12T23:59:59.999Z (the last millisecond of
        // 2026-W15) and 1 ms later (W16); the trait from 2026-05-20 (W21). A 7-day window at the end of W16 reaches exactly
        // back to the earlier event; the chain completes in W16.
        func sizes(_ name: String) -> [Int] {
            let s = segments.first { $0["name"] as? String == name }
            return (s?["weekly"] as? [[String: Any]] ?? []).compactMap { $0["size"] as? Int }
        }
        let six = [Int](repeating: 0, count: 6), four = [Int](repeating: 0, count: 4)
        XCTAssertEqual(sizes("Last millisecond"), six + [Int](repeating: 1, count: 13))
        XCTAssertEqual(sizes("Window edge"), six + [0, 1] + four + [Int](repeating: 1, count: 7))
        XCTAssertEqual(sizes("Chain edge"), six + [0] + [Int](repeating: 1, count: 12))
        XCTAssertEqual(sizes("Windowed chain edge"), six + [0, 1] + four + [Int](repeating: 1, count: 7))
        let engine = try XCTUnwrap(spark["engine"] as? [String: Any])
        XCTAssertEqual(engine["segments_not_computed"] as? [String: String], [:])
        // Loops and journeys (h-flows.jsonl; docs/SCALE.md): computed, and not empty, so that agreeing on nothing cannot pass.
        let notComputed = try XCTUnwrap(engine["not_computed"] as? [String])
        XCTAssertFalse(notComputed.contains("loops") || notComputed.contains("journeys"), "\(notComputed)")
        let loops = try XCTUnwrap(spark["loops"] as? [[String: Any]])
        XCTAssertEqual(loops.compactMap { $0["name"] as? String }, ["Apology", "Detractors", "Pings"])
        XCTAssertEqual(loops.map { l in ["triggers", "in_time", "late", "open", "missed"].map { l[$0] as? Int ?? -1 } },
                       [[14, 7, 1, 3, 3], [6, 1, 1, 0, 4], [4, 2, 0, 0, 2]])   // g-answers.jsonl: 3 detractors more
        XCTAssertEqual(loops[0]["p90_seconds_to_close"] as? Double, 86400.001)
        let journeys = try XCTUnwrap(spark["journeys"] as? [[String: Any]])
        // The second journey gains 3 entries (3 persons) from g-vendors.jsonl's PostHog pages.
        XCTAssertEqual(journeys.map { [$0["entries"] as? Int ?? -1, $0["persons"] as? Int ?? -1] }, [[20, 18], [24, 19]])
        let firstSteps = ((journeys[0]["tree"] as? [String: Any])?["children"] as? [[String: Any]] ?? []).compactMap { $0["step"] as? String }
        XCTAssertEqual(firstSteps.count, 10, "8 steps, (other) and (left): \(firstSteps)")
    }

    /// Prompt fatigue and the preferred channel of g-fatigue.jsonl, computed by hand (Tests/Fixtures/spark-edge/README.md):
    /// channels `letter`, `phone` and `fax` are only its persons'.
    func assertFatigueEdgeCases(_ f: [String: Any], file: StaticString = #filePath, line: UInt = #line) throws {
        let fatigue = try XCTUnwrap(f["fatigue"] as? [String: Any], "feedback.fatigue", file: file, line: line)
        let byChannel = try XCTUnwrap(fatigue["by_channel"] as? [String: [String: Any]], file: file, line: line)
        func rows(_ channel: String, _ table: String) -> [[Int]] {
            ((byChannel[channel]?[table] as? [[String: Any]]) ?? []).map { r in
                ["prompts", "answered", "persons"].map { r[$0] as? Int ?? -1 }
            }
        }
        // g1: L1 and P2 in one millisecond (L1 first in the file), L3 a day later (written first), L4 exactly 30 days
        // after L1 (L1 and P2 count: ordinal 4), P5 1 ms later (L1 and P2 are 30 days + 1 ms before: ordinal 3), L6
        // exactly 30 days after P5 (ordinal 2, gap `>30d`); g3 one answered phone prompt.
        XCTAssertEqual(rows("letter", "by_ordinal"), [[1, 1, 1], [1, 0, 1], [1, 1, 1], [1, 0, 1], [0, 0, 0]], file: file, line: line)
        XCTAssertEqual(rows("letter", "by_gap"), [[1, 1, 1], [0, 0, 0], [1, 1, 1], [0, 0, 0], [1, 0, 1], [1, 0, 1]], file: file, line: line)
        XCTAssertEqual(rows("phone", "by_ordinal"), [[1, 1, 1], [1, 0, 1], [1, 1, 1], [0, 0, 0], [0, 0, 0]], file: file, line: line)
        XCTAssertEqual(rows("phone", "by_gap"), [[1, 1, 1], [2, 1, 1], [0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0]], file: file, line: line)
        // g2: six fax prompts in ten days (5+: two), the first two in one millisecond with a response in it (answers the
        // second, the later in the file), the last answered.
        XCTAssertEqual(rows("fax", "by_ordinal"), [[1, 0, 1], [1, 1, 1], [1, 0, 1], [1, 0, 1], [2, 1, 1]], file: file, line: line)
        XCTAssertEqual(rows("fax", "by_gap"), [[1, 0, 1], [3, 1, 1], [0, 0, 0], [2, 1, 1], [0, 0, 0], [0, 0, 0]], file: file, line: line)
        let preferred = try XCTUnwrap(f["preferred_channel"] as? [String: Any], "feedback.preferred_channel", file: file, line: line)
        // g1 " LETTER ", g3 "\u00a0Phone\n" (after "letter" in the same millisecond), g5 "Push" via $set, w1…w3 "WEB";
        // g2's latest value is a number and g4's only spaces: no preference. PostHog `$set_once` (kept only as the
        // person's first entry for the key): o1 "SMS" (not the "fax" later in the same millisecond), o2 "fax" (its
        // later `$set_once` "sms" dropped).
        XCTAssertEqual(preferred["persons_with_preference"] as? Int, 8, file: file, line: line)
        let preferences = (preferred["preferences"] as? [[String: Any]] ?? []).map { "\($0["channel"] ?? "?")=\($0["persons"] ?? "?")" }
        XCTAssertEqual(preferences, ["fax=1", "letter=1", "phone=1", "push=1", "sms=1", "web=3"], file: file, line: line)
        let channels = Dictionary((preferred["channels"] as? [[String: Any]] ?? []).map { ($0["channel"] as? String ?? "?", $0) },
                                  uniquingKeysWith: { a, _ in a })
        func group(_ channel: String, _ key: String) -> [Int] {
            let g = channels[channel]?[key] as? [String: Any] ?? [:]
            return ["prompts", "answered", "persons"].map { g[$0] as? Int ?? -1 }
        }
        XCTAssertEqual(group("letter", "on_preferred"), [4, 2, 1], file: file, line: line)
        XCTAssertEqual(group("phone", "on_preferred"), [1, 1, 1], file: file, line: line)
        XCTAssertEqual(group("phone", "on_other"), [2, 1, 1], file: file, line: line)
        XCTAssertEqual(group("fax", "no_preference"), [6, 2, 1], file: file, line: line)
        // Web: Monday 10:00 20 prompts, Tuesday 09:00 22 and Wednesday 08:00 22, each half answered: the rates tie, more
        // prompts win, then the earlier weekday.
        let best = try XCTUnwrap(channels["web"]?["best_cell"] as? [String: Any], "web best cell", file: file, line: line)
        XCTAssertEqual([best["weekday"] as? Int, best["hour"] as? Int, best["prompts"] as? Int, best["answered"] as? Int], [2, 9, 22, 11],
                       file: file, line: line)
        XCTAssertTrue(channels["letter"]?["best_cell"] is NSNull, "fewer than 20 prompts: no best cell", file: file, line: line)
    }

    /// The real vendor payloads of `Tests/Fixtures/vendors` (Segment, RudderStack, PostHog; one store, README files
    /// skipped by content) with zone-less times read as UTC, so that every payload that is an event reaches the figures.
    func testVendorStoreAgrees() throws {
        try requireSpark()
        let spark = try assertAgreement(store: Binary.packageRoot + "/Tests/Fixtures/vendors",
                                        extra: ["--min-cohort", "0", "--assume-utc"])
        let s = try XCTUnwrap(spark["store"] as? [String: Any])
        XCTAssertEqual(s["files"] as? Int, 20)
        XCTAssertEqual(s["lines"] as? Int, 242)
        XCTAssertEqual(s["records"] as? Int, 245)
        XCTAssertEqual(s["batch_envelopes"] as? Int, 14)
        XCTAssertEqual(s["batch_items"] as? Int, 17)
        XCTAssertEqual(s["events"] as? Int, 177)
        XCTAssertEqual(s["duplicates"] as? Int, 29)
        XCTAssertEqual(s["malformed"] as? Int, 36)
        XCTAssertEqual(s["persons"] as? Int, 118)
    }

    /// Runs both engines on `store` and compares every figure the Spark report has; returns the Spark report.
    @discardableResult
    func assertAgreement(store: String, extra: [String], file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let earshot = try Binary.requireEarshot()
        let common = ["report", "--format", "json", "--no-cache"] + extra + [store]
        let embedded = try Binary.run(earshot, common, timeout: 120)
        XCTAssertEqual(embedded.status, 0, embedded.stderr, file: file, line: line)
        let spark = try Binary.run(earshot, common + ["--engine", "spark", "--spark-master", Self.master] + Self.conf, timeout: 2400)
        XCTAssertEqual(spark.status, 0, "spark run failed: \(spark.stderr.suffix(2000))", file: file, line: line)
        let e = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(embedded.stdout.utf8)) as? [String: Any])
        let s = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(spark.stdout.utf8)) as? [String: Any])
        let engine = try XCTUnwrap(s["engine"] as? [String: Any], "no engine object", file: file, line: line)
        XCTAssertEqual(engine["name"] as? String, "spark", file: file, line: line)
        let notComputed = try XCTUnwrap(engine["not_computed"] as? [String], file: file, line: line)
        // What is not computed is absent, never shown as zero (the compared figures below are the rest).
        for path in notComputed where !path.contains("[]") {
            var node: Any? = s
            for key in path.split(separator: ".") { node = (node as? [String: Any])?[String(key)] }
            XCTAssertNil(node, "\(path) is not computed but present", file: file, line: line)
        }
        XCTAssertTrue(notComputed.contains("store.malformed_lines"), file: file, line: line)
        var compared = 0
        var spark2 = s
        spark2.removeValue(forKey: "engine")
        // The count of suppressed values covers the figures a report holds: Spark's holds fewer (the not-computed
        // ones are absent), so it can only be at most the embedded engine's.
        if var privacy = spark2["privacy"] as? [String: Any], let n = privacy.removeValue(forKey: "suppressed_values") as? Int {
            let embedded = (e["privacy"] as? [String: Any])?["suppressed_values"] as? Int ?? -1
            XCTAssertLessThanOrEqual(n, embedded, "privacy.suppressed_values", file: file, line: line)
            spark2["privacy"] = privacy
        }
        // Segments the engine did not compile are absent from its lists: compare the others by name.
        var e2 = e
        let names = Set(((s["segments"] as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String })
        if let list = e["segments"] as? [[String: Any]] {
            e2["segments"] = list.filter { names.contains($0["name"] as? String ?? "") }
        }
        if let list = e["overlap"] as? [[String: Any]] {
            e2["overlap"] = list.filter { names.contains($0["a"] as? String ?? "") && names.contains($0["b"] as? String ?? "") }
        }
        compare(spark2, e2, path: "", compared: &compared, file: file, line: line)
        XCTAssertGreaterThan(compared, 20, "too few figures compared", file: file, line: line)
        return s
    }

    /// Every value in `spark` equals the value at the same path in `embedded`.
    func compare(_ spark: Any, _ embedded: Any?, path: String, compared: inout Int, file: StaticString, line: UInt) {
        switch spark {
        case let object as [String: Any]:
            guard let other = embedded as? [String: Any] else {
                XCTFail("\(path): the embedded report has no object here", file: file, line: line); return
            }
            for (k, v) in object { compare(v, other[k], path: path + "." + k, compared: &compared, file: file, line: line) }
        case let array as [Any]:
            guard let other = embedded as? [Any], other.count == array.count else {
                XCTFail("\(path): lists differ: spark \(array.count) items, embedded \((embedded as? [Any])?.count ?? -1)", file: file, line: line)
                return
            }
            for (i, v) in array.enumerated() { compare(v, other[i], path: path + "[\(i)]", compared: &compared, file: file, line: line) }
        default:
            compared += 1
            let a = spark as? NSObject, b = embedded as? NSObject
            if a != b { XCTFail("\(path): spark \(String(describing: spark)) ≠ embedded \(String(describing: embedded ?? "absent"))", file: file, line: line) }
        }
    }
}
