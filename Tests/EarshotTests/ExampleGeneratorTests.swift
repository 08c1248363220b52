import CZlib
import Foundation
import XCTest

@testable import ExampleGenerator

/// The example store generator: determinism, well-formedness, the intentional noise, the time range,
/// and the golden check that the committed ExampleData is exactly what the generator writes today.
final class ExampleGeneratorTests: XCTestCase {

    // MARK: Fixtures

    /// A fresh default store (3000 persons, 91 days from 2026-08-22, older months gzipped), generated once.
    struct Generated: Sendable {
        let directory: String
        let summary: ExampleStoreSummary
    }

    static let defaultRun: Result<Generated, any Error> = Result {
        let dir = try makeTemporaryDirectory("default")
        let summary = try ExampleStore().generate(to: dir, gzipOlderMonths: true)
        return Generated(directory: dir, summary: summary)
    }

    static func makeTemporaryDirectory(_ label: String) throws -> String {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("earshot-example-\(label)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    /// The repository's ExampleData folder, found from this file's path.
    static var committedExampleData: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("ExampleData").path
    }

    /// Relative paths of the event files (`.jsonl`, `.jsonl.gz`) under `root`, sorted.
    static func eventFiles(in root: String) throws -> [String] {
        let all = FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? []
        return all.filter { $0.hasSuffix(".jsonl") || $0.hasSuffix(".jsonl.gz") }.sorted()
    }

    /// The file's bytes, decompressed when it is gzip.
    static func contents(_ path: String) throws -> Data {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return path.hasSuffix(".gz") ? try gunzip(data) : data
    }

    /// Lines of a file (split on `\n`; the final newline ends the last line).
    static func lines(_ data: Data) -> [Data] {
        var out = data.split(separator: 0x0A, omittingEmptySubsequences: false).map { Data($0) }
        if out.last?.isEmpty == true { out.removeLast() }
        return out
    }

    /// Every line of the store, with its file.
    static func allLines(in root: String) throws -> [(file: String, line: Data)] {
        var out: [(String, Data)] = []
        for f in try eventFiles(in: root) {
            for l in lines(try contents(root + "/" + f)) { out.append((f, l)) }
        }
        return out
    }

    struct GunzipError: Error {}

    static func gunzip(_ data: Data) throws -> Data {
        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { throw GunzipError() }
        defer { inflateEnd(&stream) }
        var out = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var input = [UInt8](data)
        let status: Int32 = input.withUnsafeMutableBufferPointer { inBuf in
            stream.next_in = inBuf.baseAddress
            stream.avail_in = UInt32(inBuf.count)
            while true {
                let (rc, produced) = buffer.withUnsafeMutableBufferPointer { b -> (Int32, Int) in
                    stream.next_out = b.baseAddress
                    stream.avail_out = UInt32(b.count)
                    let rc = inflate(&stream, Z_NO_FLUSH)
                    return (rc, b.count - Int(stream.avail_out))
                }
                out.append(contentsOf: buffer[0..<produced])
                if rc == Z_STREAM_END { return rc }
                if rc != Z_OK { return rc }
            }
        }
        guard status == Z_STREAM_END else { throw GunzipError() }
        return out
    }

    static func object(_ line: Data) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: line)) as? [String: Any]
    }

    /// Milliseconds since the epoch of `2026-08-22T09:14:03.123Z` (nil for any other shape).
    static func millis(_ s: String) -> Int64? {
        let b = Array(s.utf8)
        guard b.count == 24, b[4] == 45, b[7] == 45, b[10] == 84, b[13] == 58, b[16] == 58, b[19] == 46, b[23] == 90 else { return nil }
        func num(_ r: Range<Int>) -> Int? { Int(String(decoding: b[r], as: UTF8.self)) }
        guard let y = num(0..<4), let mo = num(5..<7), let d = num(8..<10), let h = num(11..<13), let mi = num(14..<16),
              let sec = num(17..<19), let ms = num(20..<23) else { return nil }
        var c = DateComponents()
        c.year = y; c.month = mo; c.day = d; c.hour = h; c.minute = mi; c.second = sec
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        guard let date = cal.date(from: c) else { return nil }
        return Int64(date.timeIntervalSince1970.rounded()) * 1000 + Int64(ms)
    }

    func defaultStore() throws -> Generated { try Self.defaultRun.get() }

    // MARK: Determinism

    func testSameParametersGiveByteIdenticalFiles() throws {
        let a = try Self.makeTemporaryDirectory("a"), b = try Self.makeTemporaryDirectory("b")
        defer { try? FileManager.default.removeItem(atPath: a); try? FileManager.default.removeItem(atPath: b) }
        let store = ExampleStore(seed: 7, persons: 150, start: (2026, 1, 20), days: 20)
        let filesA = try store.write(to: a, gzipOlderMonths: true)
        let filesB = try store.write(to: b, gzipOlderMonths: true)
        XCTAssertEqual(filesA.map { String($0.dropFirst(a.count)) }, filesB.map { String($0.dropFirst(b.count)) })
        // 20 day files over January and February, chat and survey files per month; January gzipped.
        XCTAssertEqual(filesA.filter { $0.contains("/events-") }.count, 20)
        XCTAssertTrue(filesA.contains(a + "/2026-01/events-2026-01-20.jsonl.gz"))
        XCTAssertTrue(filesA.contains(a + "/2026-02/events-2026-02-08.jsonl"))
        XCTAssertTrue(filesA.contains(a + "/surveys/surveys-2026-01.jsonl.gz"))
        for (fa, fb) in zip(filesA, filesB) {
            let da = try Data(contentsOf: URL(fileURLWithPath: fa)), db = try Data(contentsOf: URL(fileURLWithPath: fb))
            XCTAssertEqual(da, db, "\(fa) differs between two runs")
        }
        // A different seed gives a different store.
        let c = try Self.makeTemporaryDirectory("c")
        defer { try? FileManager.default.removeItem(atPath: c) }
        try ExampleStore(seed: 8, persons: 150, start: (2026, 1, 20), days: 20).write(to: c, gzipOlderMonths: true)
        XCTAssertNotEqual(try Self.contents(a + "/2026-02/events-2026-02-08.jsonl"),
                          try Self.contents(c + "/2026-02/events-2026-02-08.jsonl"))
    }

    func testGzipHeaderIsFixedAndContentMatchesPlainRun() throws {
        let gz = try Self.makeTemporaryDirectory("gz"), plain = try Self.makeTemporaryDirectory("plain")
        defer { try? FileManager.default.removeItem(atPath: gz); try? FileManager.default.removeItem(atPath: plain) }
        let store = ExampleStore(seed: 3, persons: 60, start: (2026, 3, 28), days: 6)
        try store.write(to: gz, gzipOlderMonths: true)
        try store.write(to: plain, gzipOlderMonths: false)
        let raw = try Data(contentsOf: URL(fileURLWithPath: gz + "/2026-03/events-2026-03-29.jsonl.gz"))
        // Magic, deflate, no flags, mtime 0, XFL 2 (level 9), OS 3 (Unix).
        XCTAssertEqual([UInt8](raw.prefix(10)), [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 2, 3])
        XCTAssertEqual(try Self.contents(gz + "/2026-03/events-2026-03-29.jsonl.gz"),
                       try Data(contentsOf: URL(fileURLWithPath: plain + "/2026-03/events-2026-03-29.jsonl")))
        // The last month is never compressed.
        XCTAssertTrue(FileManager.default.fileExists(atPath: gz + "/2026-04/events-2026-04-02.jsonl"))
        // Writing again without compression replaces the .gz files instead of leaving both.
        XCTAssertTrue(FileManager.default.createFile(atPath: gz + "/2026-03/notes.txt", contents: Data("mine".utf8)))
        let again = try store.write(to: gz, gzipOlderMonths: false)
        XCTAssertEqual(try Self.eventFiles(in: gz), try Self.eventFiles(in: plain))
        XCTAssertEqual(again.count, try Self.eventFiles(in: gz).count)
        XCTAssertTrue(FileManager.default.fileExists(atPath: gz + "/2026-03/notes.txt"), "other files are left alone")
    }

    // MARK: The committed example data

    func testCommittedExampleDataEqualsAFreshDefaultGeneration() throws {
        let fresh = try defaultStore()
        let committed = Self.committedExampleData
        let committedFiles = try Self.eventFiles(in: committed)
        let freshFiles = try Self.eventFiles(in: fresh.directory)
        XCTAssertEqual(committedFiles, freshFiles, "regenerate ExampleData with `earshot example-data --out ExampleData`")
        for f in freshFiles where committedFiles.contains(f) {
            let same = try Self.contents(committed + "/" + f) == Self.contents(fresh.directory + "/" + f)
            XCTAssertTrue(same, "ExampleData/\(f) differs from a fresh generation")
        }
        // The companions (the rules the data is made for) are written too, and the committed ones are those.
        // Every file at the top of ExampleData besides its README is one the generator writes.
        var isDir: ObjCBool = false
        let top = try FileManager.default.contentsOfDirectory(atPath: committed).filter {
            $0 != "README.md" && FileManager.default.fileExists(atPath: committed + "/" + $0, isDirectory: &isDir) && !isDir.boolValue
        }
        XCTAssertEqual(Set(top), Set(ExampleCompanions.files.map(\.name)), "ExampleData's top-level files and the generator's companions")
        for companion in ExampleCompanions.files {
            XCTAssertEqual(try Self.contents(fresh.directory + "/" + companion.name), try Self.contents(committed + "/" + companion.name),
                           "ExampleData/\(companion.name) differs from what `earshot example-data` writes")
        }
    }

    func testDefaultStoreLayoutAndSize() throws {
        let run = try defaultStore()
        let files = try Self.eventFiles(in: run.directory)
        XCTAssertEqual(files.filter { $0.contains("/events-") }.count, 91)
        XCTAssertEqual(files.first, "2026-08/events-2026-08-22.jsonl.gz")
        XCTAssertTrue(files.contains("2026-11/events-2026-11-20.jsonl"))
        XCTAssertEqual(files.filter { $0.hasPrefix("chat/") },
                       ["chat/chat-2026-08.jsonl.gz", "chat/chat-2026-09.jsonl.gz", "chat/chat-2026-10.jsonl.gz", "chat/chat-2026-11.jsonl"])
        XCTAssertEqual(files.filter { $0.hasPrefix("surveys/") },
                       ["surveys/surveys-2026-08.jsonl.gz", "surveys/surveys-2026-09.jsonl.gz",
                        "surveys/surveys-2026-10.jsonl.gz", "surveys/surveys-2026-11.jsonl"])
        var bytes = 0
        for f in files { bytes += try Data(contentsOf: URL(fileURLWithPath: run.directory + "/" + f)).count }
        XCTAssertLessThan(bytes, 6_000_000, "the committed example data must stay small")
        XCTAssertGreaterThan(run.summary.events, 20_000)
    }

    // MARK: Well-formedness and the intentional noise

    func testEveryLineIsJSONExceptTheIntentionalMalformedOnes() throws {
        let run = try defaultStore()
        var notJSON = 0, blank = 0, missingType = 0, noIds = 0, zoneless = 0, valid = 0
        var notJSONFiles: [String] = []
        var ids: [String: Int] = [:]
        for (file, line) in try Self.allLines(in: run.directory) {
            if line.isEmpty { blank += 1; continue }
            guard let e = Self.object(line) else { notJSON += 1; notJSONFiles.append(file); continue }
            if e["type"] == nil { missingType += 1; continue }
            if e["userId"] == nil && e["anonymousId"] == nil && e["previousId"] == nil { noIds += 1; continue }
            let ts = (e["timestamp"] ?? e["originalTimestamp"]) as? String ?? ""
            if Self.millis(ts) == nil { zoneless += 1; XCTAssertFalse(ts.hasSuffix("Z")); continue }
            valid += 1
            ids[e["messageId"] as? String ?? "", default: 0] += 1
        }
        // 3 truncated lines and 1 HTML error page; 1 each without type, without ids, with a zoneless time.
        XCTAssertEqual(notJSON, 4)
        XCTAssertEqual(notJSONFiles, ["2026-08/events-2026-08-31.jsonl.gz", "2026-09/events-2026-09-18.jsonl.gz",
                                      "2026-11/events-2026-11-12.jsonl", "surveys/surveys-2026-10.jsonl.gz"])
        XCTAssertEqual(missingType, 1)
        XCTAssertEqual(noIds, 1)
        XCTAssertEqual(zoneless, 1)
        XCTAssertEqual(blank, 3)
        XCTAssertEqual(notJSON + missingType + noIds + zoneless, ExampleStoreSummary.malformedPerStore)
        XCTAssertEqual(run.summary.malformed, ExampleStoreSummary.malformedPerStore)
        XCTAssertEqual(run.summary.blankLines, ExampleStoreSummary.blankLinesPerStore)
        // Duplicates: re-delivered messageIds, about 0.1 % of the events.
        let extra = ids.values.reduce(0) { $0 + $1 - 1 }
        XCTAssertEqual(ids.count, run.summary.events)
        XCTAssertEqual(extra, run.summary.duplicates)
        XCTAssertEqual(valid, run.summary.events + run.summary.duplicates)
        XCTAssertGreaterThan(extra, run.summary.events / 2000)
        XCTAssertLessThan(extra, run.summary.events / 400)
    }

    func testDuplicatesAreExactCopiesSomeInALaterFile() throws {
        let run = try defaultStore()
        var first: [String: (file: String, line: Data)] = [:]
        var sameFile = 0, laterFile = 0
        for (file, line) in try Self.allLines(in: run.directory) {
            guard let e = Self.object(line), let id = e["messageId"] as? String, e["type"] != nil else { continue }
            if let f = first[id] {
                XCTAssertEqual(f.line, line, "a duplicate must be the same message delivered again")
                if f.file == file { sameFile += 1 } else { laterFile += 1 }
            } else {
                first[id] = (file, line)
            }
        }
        XCTAssertGreaterThan(sameFile, 0)
        XCTAssertGreaterThan(laterFile, 0)
    }

    // MARK: Time range

    func testTimestampsAreInsideTheRangeAndFilesAreTimeOrdered() throws {
        let run = try defaultStore()
        let store = ExampleStore()
        XCTAssertEqual(store.rangeStartMillis, 1_787_356_800_000)    // 2026-08-22T00:00:00Z
        XCTAssertEqual(store.rangeEndMillis, 1_795_219_200_000)      // 2026-11-21T00:00:00Z
        var copies: [String: Int] = [:]
        for (_, line) in try Self.allLines(in: run.directory) {
            if let id = Self.object(line)?["messageId"] as? String { copies[id, default: 0] += 1 }
        }
        var checked = 0, originalOnly = 0, outOfOrder = 0
        var latest = Int64.min
        for f in try Self.eventFiles(in: run.directory) {
            var previous = Int64.min
            for line in Self.lines(try Self.contents(run.directory + "/" + f)) {
                guard let e = Self.object(line), e["type"] != nil, let id = e["messageId"] as? String,
                      let t = Self.millis(((e["timestamp"] ?? e["originalTimestamp"]) as? String) ?? "") else { continue }
                if e["timestamp"] == nil { originalOnly += 1 }
                XCTAssertGreaterThanOrEqual(t, store.rangeStartMillis, "\(f): \(id)")
                XCTAssertLessThan(t, store.rangeEndMillis, "\(f): \(id)")
                // Inside a file lines are in time order, except messages delivered again later.
                if t < previous {
                    outOfOrder += 1
                    XCTAssertGreaterThan(copies[id] ?? 0, 1, "\(f): \(id) is out of order but not a re-delivery")
                }
                previous = max(previous, t)
                latest = max(latest, t)
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 20_000)
        XCTAssertGreaterThan(outOfOrder, 0)
        XCTAssertGreaterThan(originalOnly, 100)
        XCTAssertGreaterThan(latest, store.rangeEndMillis - 3_600_000 * 6, "the last day has events late in the day")
    }

    // MARK: What the store contains

    func testTheStoreExercisesEveryConvention() throws {
        let run = try defaultStore()
        var kinds = Set<String>(), names: [String: Int] = [:], zones = Set<String>(), channels = Set<String>()
        var withoutZone = 0, segmentConsent = 0, rudderConsent = 0, noConsent = 0, deniedAnalytics = 0
        var threeCategories = 0, aliasCalls = 0, anonymousOnly = 0, campaignEmail = 0, postHogIds = 0
        var controlCharacters = 0, pageCategory = 0, regions = Set<String>()
        for (_, line) in try Self.allLines(in: run.directory) {
            guard let e = Self.object(line), let type = e["type"] as? String else { continue }
            kinds.insert(type)
            if let n = e["event"] as? String { names[n, default: 0] += 1 }
            let context = e["context"] as? [String: Any] ?? [:]
            if let z = context["timezone"] as? String { zones.insert(z) } else { withoutZone += 1 }
            if let prefs = (context["consent"] as? [String: Any])?["categoryPreferences"] as? [String: Bool] {
                segmentConsent += 1
                if prefs["Analytics"] == false { deniedAnalytics += 1 }
                if prefs.count == 3 { threeCategories += 1 }
            } else if context["consentManagement"] != nil {
                rudderConsent += 1
            } else {
                noConsent += 1
            }
            if type == "alias" { aliasCalls += 1; XCTAssertNotNil(e["previousId"]) }
            if e["userId"] == nil && e["anonymousId"] != nil { anonymousOnly += 1 }
            if ((context["campaign"] as? [String: Any])?["medium"] as? String) == "email" { campaignEmail += 1 }
            if type == "page" && e["category"] != nil { pageCategory += 1 }
            let props = e["properties"] as? [String: Any] ?? [:]
            if let c = props["channel"] as? String { channels.insert(c) }
            if props["$survey_id"] != nil { postHogIds += 1 }
            for key in ["survey_response", "message_body"] {
                if let s = props[key] as? String, s.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" }) { controlCharacters += 1 }
            }
            if let traits = e["traits"] as? [String: Any], let r = traits["region"] as? String { regions.insert(r) }
        }
        XCTAssertEqual(kinds, ["track", "page", "identify", "alias"])
        XCTAssertEqual(zones, ["Europe/Berlin", "Europe/London", "America/New_York", "America/Los_Angeles", "Asia/Tokyo"])
        XCTAssertEqual(channels, ["chat", "email", "sms", "modal", "post_purchase", "phone"])   // phone: support tickets
        XCTAssertEqual(regions, ["coastal", "inland", "mountain", "urban"])
        for name in ["Product Viewed", "Product Added", "Order Completed", "Email Delivered", "Email Opened",
                     "Email Link Clicked", "Survey Shown", "Survey Sent", "Survey Dismissed", "survey shown", "Live Chat Message Received",
                     "survey sent", "survey dismissed", "Live Chat Conversation Started", "Live Chat Message Sent",
                     "Segment Consent Preference Updated", "Order Delivered", "Apology Sent", "Support Ticket Created", "Email Sent"] {
            XCTAssertGreaterThan(names[name] ?? 0, 0, name)
        }
        XCTAssertGreaterThan(withoutZone, 0)
        XCTAssertGreaterThan(segmentConsent, noConsent, "most events carry consent")
        XCTAssertGreaterThan(rudderConsent, 0)
        XCTAssertGreaterThan(deniedAnalytics, 0)
        XCTAssertGreaterThan(threeCategories, 0, "some persons never carry SmsMarketing")
        XCTAssertGreaterThan(aliasCalls, 0)
        XCTAssertGreaterThan(anonymousOnly, 0)
        XCTAssertGreaterThan(campaignEmail, 0)
        XCTAssertGreaterThan(postHogIds, 0)
        XCTAssertGreaterThan(controlCharacters, 0, "a few answers carry terminal escapes to exercise sanitizing")
        XCTAssertGreaterThan(pageCategory, 0)
    }

    // MARK: Parameters

    func testInvalidParametersAreOneLineErrors() throws {
        let dir = try Self.makeTemporaryDirectory("invalid")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        XCTAssertThrowsError(try ExampleStore(persons: 0).write(to: dir, gzipOlderMonths: false)) { error in
            XCTAssertEqual("\(error)", "persons must be between 1 and 10000000 (got 0)")
        }
        XCTAssertThrowsError(try ExampleStore(days: 0).write(to: dir, gzipOlderMonths: false)) { error in
            XCTAssertEqual("\(error)", "days must be between 1 and 3660 (got 0)")
        }
        XCTAssertThrowsError(try ExampleStore(start: (2026, 2, 30)).write(to: dir, gzipOlderMonths: false)) { error in
            XCTAssertEqual("\(error)", "start must be a calendar date between 1970-01-01 and 9999-12-31")
        }
        let file = dir + "/plain-file"
        XCTAssertTrue(FileManager.default.createFile(atPath: file, contents: Data("x".utf8)))
        XCTAssertThrowsError(try ExampleStore(persons: 5, days: 1).write(to: file + "/sub", gzipOlderMonths: false)) { error in
            guard case ExampleStoreError.cannotCreateDirectory = error else { return XCTFail("\(error)") }
        }
    }

    func testStartMillisUsesTheDayContainingIt() throws {
        let store = ExampleStore(persons: 10, startMillis: 1_787_400_000_000, days: 2)  // 2026-08-22T12:00Z
        XCTAssertEqual(store.startDay, ExampleStore(persons: 10, days: 2).startDay)
        XCTAssertEqual(store.rangeStartMillis, 1_787_356_800_000)
    }

    func testTinyStoresStillGetTheirNoise() throws {
        let dir = try Self.makeTemporaryDirectory("tiny")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let summary = try ExampleStore(persons: 1, days: 1).generate(to: dir, gzipOlderMonths: true)
        XCTAssertTrue(summary.files.contains(dir + "/2026-08/events-2026-08-22.jsonl"))
        XCTAssertTrue(summary.files.contains(dir + "/surveys/surveys-2026-08.jsonl"))
        var notJSON = 0, blank = 0
        for (_, line) in try Self.allLines(in: dir) {
            if line.isEmpty { blank += 1 } else if Self.object(line) == nil { notJSON += 1 }
        }
        XCTAssertEqual(notJSON, 4)
        XCTAssertEqual(blank, 3)
    }

    // MARK: Building blocks

    func testSplitMix64MatchesTheReferenceSequence() {
        // Reference values of SplitMix64 seeded with 1234567 (from the published C implementation).
        var r = SplitMix64(seed: 1_234_567)
        XCTAssertEqual(r.next(), 6_457_827_717_110_365_317)
        XCTAssertEqual(r.next(), 3_203_168_211_198_807_973)
        XCTAssertEqual(r.next(), 9_817_491_932_198_370_423)
        var u = SplitMix64(seed: 1)
        for _ in 0..<1000 {
            let x = u.unit()
            XCTAssertTrue(x >= 0 && x < 1)
            XCTAssertTrue((3...5).contains(u.int(3...5)))
        }
        XCTAssertEqual(SplitMix64.formatUUID(0x0123_4567_89AB_CDEF, 0xFEDC_BA98_7654_3210), "01234567-89ab-4def-bedc-ba9876543210")
    }

    func testJSONWriterEscapesAndKeepsKeyOrder() {
        var w = JSONWriter()
        w.object { w in
            w.field("z", "quote \" backslash \\ newline \n tab \t bell \u{07} esc \u{1B} del \u{7F} é 🎂")
            w.field("a", 3)
            w.field("price", cents: 12990)
            w.field("small", cents: 5)
            w.field("neg", -42)
            w.field("ok", true)
            w.field("list", strings: ["x", "y"])
            w.field("t", timestamp: 1_787_356_800_123)
        }
        let text = String(decoding: w.bytes, as: UTF8.self)
        XCTAssertEqual(text, #"{"z":"quote \" backslash \\ newline \n tab \t bell \u0007 esc \u001b del \u007f é 🎂","a":3,"price":129.9,"small":0.05,"neg":-42,"ok":true,"list":["x","y"],"t":"2026-08-22T00:00:00.123Z"}"#)
        let back = Self.object(Data(w.bytes))
        XCTAssertEqual(back?["z"] as? String, "quote \" backslash \\ newline \n tab \t bell \u{07} esc \u{1B} del \u{7F} é 🎂")
    }

    func testCivilTimeAndZones() {
        XCTAssertEqual(CivilTime.days(year: 1970, month: 1, day: 1), 0)
        XCTAssertEqual(CivilTime.days(year: 2026, month: 8, day: 22), 20_687)
        XCTAssertTrue(CivilTime.date(days: 20_687) == (2026, 8, 22))
        XCTAssertEqual(CivilTime.isoWeekday(days: 20_687), 6)                 // a Saturday
        XCTAssertEqual(CivilTime.iso8601(-1), "1969-12-31T23:59:59.999Z")
        // 2026: EU summer time ends 25 October 01:00 UTC; US ends 1 November 06:00 UTC (New York).
        let euEnd = Int64(CivilTime.days(year: 2026, month: 10, day: 25)) * 86_400_000 + 3_600_000
        XCTAssertEqual(Zone.berlin.offsetSeconds(atMillis: euEnd - 1), 7200)
        XCTAssertEqual(Zone.berlin.offsetSeconds(atMillis: euEnd), 3600)
        XCTAssertEqual(Zone.london.offsetSeconds(atMillis: euEnd - 1), 3600)
        let nyEnd = Int64(CivilTime.days(year: 2026, month: 11, day: 1)) * 86_400_000 + 6 * 3_600_000
        XCTAssertEqual(Zone.newYork.offsetSeconds(atMillis: nyEnd - 1), -4 * 3600)
        XCTAssertEqual(Zone.newYork.offsetSeconds(atMillis: nyEnd), -5 * 3600)
        XCTAssertEqual(Zone.losAngeles.offsetSeconds(atMillis: nyEnd + 3 * 3_600_000), -8 * 3600)
        let usStart = Int64(CivilTime.days(year: 2026, month: 3, day: 8)) * 86_400_000 + 7 * 3_600_000
        XCTAssertEqual(Zone.newYork.offsetSeconds(atMillis: usStart - 1), -5 * 3600)
        XCTAssertEqual(Zone.newYork.offsetSeconds(atMillis: usStart), -4 * 3600)
        XCTAssertEqual(Zone.tokyo.offsetSeconds(atMillis: nyEnd), 9 * 3600)
        // 20:30 in Tokyo on the UTC day 2026-08-22 is 11:30 UTC; local hour and weekday round-trip.
        let t = Zone.tokyo.instant(inUTCDay: 20_687, localSecond: 20 * 3600 + 1800)
        XCTAssertEqual(CivilTime.iso8601(t), "2026-08-22T11:30:00.000Z")
        XCTAssertTrue(Zone.tokyo.localHourAndWeekday(atMillis: t) == (20, 6))
        // 02:00 in Los Angeles (UTC−7 in August) is 09:00 UTC the same UTC day.
        XCTAssertEqual(CivilTime.iso8601(Zone.losAngeles.instant(inUTCDay: 20_687, localSecond: 7200)), "2026-08-22T09:00:00.000Z")
    }
}
