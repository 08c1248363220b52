import EarshotTestSupport
import EventStore
import Foundation
import XCTest
@testable import Analytics

/// ``ReportJSONWriter`` writes the report's JSON without `JSONEncoder`: its text must be byte for byte what the
/// encoder path (``ReportRenderer/writeJSONThroughEncoder(_:to:)``: `JSONEncoder`, the empty-container pass and
/// ``UnsafeText/jsonEscaped(_:)``) writes, in the same pieces — on ExampleData, the segment fixtures, reports
/// with hostile strings in every kind of member, and hostile numbers.
final class ReportJSONWriterTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The pieces of the encoder path and of the writer (through ``ReportRenderer/writeJSON(_:to:)``).
    static func pieces(_ r: Report) -> (encoder: [String], writer: [String]) {
        var e: [String] = [], w: [String] = []
        ReportRenderer.writeJSONThroughEncoder(r) { e.append($0) }
        ReportRenderer.writeJSON(r) { w.append($0) }
        return (e, w)
    }

    func assertSameJSON(_ r: Report, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        let (e, w) = Self.pieces(r)
        let ej = e.joined(), wj = w.joined()
        if ej != wj {
            XCTFail("\(what): the writer differs from the encoder:\n" + GoldenFile.diff(ej, wj), file: file, line: line)
        }
        XCTAssertEqual(e, w, "\(what): the same pieces", file: file, line: line)
        // The writer really wrote it (the fallback to the encoder would pass the comparison trivially).
        XCTAssertNoThrow(try ReportJSONWriter.write(r, namesPerPiece: ReportRenderer.jsonNamesPerPiece) { _ in }, what,
                         file: file, line: line)
    }

    static func load(_ store: String, rules: String, options: AnalysisOptions = AnalysisOptions()) throws -> Report {
        let source = try String(contentsOfFile: rules, encoding: .utf8)
        let program = try SegmentProgram.parse(source: source, fileName: (rules as NSString).lastPathComponent)
        let table = try StoreReader(paths: [store], selection: program.fieldSelection
            .union(FieldSelection.metrics).union(FeedbackSchema.standard.fieldSelection)).load()
        return Analysis.report(table: table, program: program, options: options)
    }

    // MARK: Real reports

    func testExampleDataReportIsTheEncodersText() throws {
        let store = Self.root.appendingPathComponent("ExampleData").path
        let r = try Self.load(store, rules: store + "/shop.segments")
        XCTAssertGreaterThan(r.eventNames.count, 10)
        assertSameJSON(r, "ExampleData")
        // With the privacy guards on: withheld figures are objects (`suppressed`, `reason`).
        let guarded = try Self.load(store, rules: store + "/shop.segments",
                                    options: AnalysisOptions(privacy: PrivacyPolicy(minCohort: 10, revealPII: false)))
        XCTAssertTrue(ReportRenderer.json(guarded).contains("\"suppressed\" : true"))
        assertSameJSON(guarded, "ExampleData, min cohort 10")
    }

    func testFixtureStoresAreTheEncodersText() throws {
        let fixtures = Self.root.appendingPathComponent("Tests/Fixtures")
        let shop = Self.root.appendingPathComponent("ExampleData/shop.segments").path
        for (store, rules) in [("segment-ecommerce", shop), ("spark-edge", fixtures.appendingPathComponent("spark-edge.segments").path),
                               ("vendors", shop)] {
            let open = AnalysisOptions(privacy: PrivacyPolicy(minCohort: 0, revealPII: true))
            assertSameJSON(try Self.load(fixtures.appendingPathComponent(store).path, rules: rules), store)
            assertSameJSON(try Self.load(fixtures.appendingPathComponent(store).path, rules: rules, options: open), store + ", open")
        }
    }

    func testEmptyAndNamedReportsInPieces() {
        assertSameJSON(Report(), "empty report")
        let n = 2 * ReportRenderer.jsonNamesPerPiece + 5
        for names in [[], ["one"], ReportMemoryTests.hostileNames, ReportMemoryTests.hostileNames + (0 ..< n).map(ReportMemoryTests.generatedName)] {
            assertSameJSON(ReportMemoryTests.report(names: names), "\(names.count) names")
            assertSameJSON(ReportMemoryTests.report(names: names, minCohort: 5), "\(names.count) names, min cohort 5")
        }
    }

    // MARK: Hostile strings and numbers

    /// Strings that exercise every escape: the encoder's own (`"`, `\`, C0 controls), slashes, DEL and C1, every
    /// character on ``UnsafeText``'s list, astral characters, decomposed accents and generated mixtures.
    static func hostileStrings() -> [String] {
        var out = EscapeCorpus.samples.map { "a" + $0.text + "b" } + ReportMemoryTests.hostileNames
        out += ["", "\"", "\\", "/", "\\\"/", "\u{0}", "\u{1f}\u{20}\u{7e}\u{7f}\u{80}\u{9f}\u{a0}", "\u{7ff}\u{800}\u{ffff}\u{10000}",
                "\u{10ffff}", "\u{fffd}", "\u{e007f}\u{e0080}", "\u{d7ff}\u{e000}", "ß\u{301}", "a\u{0}b\u{8}\u{c}\n\r\t\u{b}\u{e}"]
        // Every scalar value the list names, and its neighbours, one per string.
        for v: UInt32 in [0x7F, 0x9F, 0xA0, 0x61C, 0x115F, 0x1160, 0x180E, 0x200A, 0x200B, 0x200D, 0x200E, 0x2010, 0x2028, 0x2029,
                          0x202A, 0x202E, 0x202F, 0x205F, 0x2060, 0x2065, 0x2066, 0x2069, 0x206A, 0x206F, 0x2070, 0x3164, 0xFEFF,
                          0xFFA0, 0xFFF8, 0xFFF9, 0xFFFB, 0xFFFC, 0xE0000, 0xE007F] {
            out.append("x" + String(Unicode.Scalar(v)!) + "y")
        }
        // Generated: random scalars from the ranges above, the C0 block and plain ASCII.
        var rng = SeededRandom(seed: 14)
        let pools: [ClosedRange<UInt32>] = [0 ... 0x7F, 0x80 ... 0x7FF, 0x2000 ... 0x206F, 0xFE00 ... 0xFFFF, 0x1F600 ... 0x1F64F,
                                            0xE0000 ... 0xE0080]
        for _ in 0 ..< 300 {
            var s = ""
            for _ in 0 ..< Int(rng.next() % 12) {
                let pool = pools[Int(rng.next() % UInt64(pools.count))]
                if let u = Unicode.Scalar(pool.lowerBound + UInt32(rng.next() % UInt64(pool.count))) { s.unicodeScalars.append(u) }
            }
            out.append(s)
        }
        return out
    }

    static func hostileDoubles() -> [Double] {
        var out: [Double] = [0, -0.0, 1, -1, 0.1, 1.0 / 3, 2.5, 1e15, 1e16, 1e17, 9_007_199_254_740_992, 9_007_199_254_740_993,
                             9_999_999_999_999_998, 123_456_789_012_345_680, 1e21, 1e22, 1e300, -1e300, 5e-324,
                             .leastNormalMagnitude, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 1e-5, 1e-7, 0.000123,
                             .nan, .infinity, -.infinity, 99.99999999999999, 100 - 1e-13, 4_503_599_627_370_495.5]
        var rng = SeededRandom(seed: 8)
        for _ in 0 ..< 500 {
            out.append(Double(bitPattern: rng.next()))  // any bit pattern: NaNs, subnormals, huge values
            out.append(Double(Int64(bitPattern: rng.next()) >> Int(rng.next() % 63)))  // integers of every size
            out.append(Double(rng.next() % 10_000) / Double(1 + rng.next() % 1000))  // ordinary ratios
        }
        return out
    }

    /// A report whose every kind of string member (names, channels, keys of dictionaries, rules, weeks, warnings,
    /// paths) holds hostile text and whose numbers are hostile: byte for byte the encoder's text.
    func testHostileStringsAndNumbersAreTheEncodersText() {
        let strings = Self.hostileStrings(), doubles = Self.hostileDoubles()
        var k = 0
        func s() -> String { k += 1; return strings[k % strings.count] }
        func d() -> Double { k += 1; return doubles[k % doubles.count] }
        let ints = [0, 1, -1, Int.max, Int.min, Int.min + 1, 9, 10, 99, 100, 1_000_000_007, -1_234_567_890_123]
        func i() -> Int { k += 1; return ints[k % ints.count] }
        for round in 0 ..< 8 {
            var r = Report()
            r.now = round % 2 == 0 ? s() : nil
            r.store.files = i(); r.store.lines = i(); r.store.malformedShare = d(); r.store.lastEventAgeSeconds = d()
            r.store.firstEvent = s(); r.store.warnings = (0 ..< 40).map { _ in s() }
            r.store.malformedKinds = (0 ..< 20).map { _ in MalformedKind(kind: s(), count: i()) }
            r.store.malformedLines = (0 ..< 20).map { _ in MalformedLineReport(file: s(), line: i(), reason: s()) }
            r.store.fileList = (0 ..< 20).map { _ in FileSummary(path: s(), bytes: i(), compressed: round % 3 == 0, lines: i()) }
            r.consent.analyticsCategory = s(); r.consent.analyticsCategoryNote = s()
            r.consent.categories = (0 ..< 30).map { _ in
                var c = CategoryCoverage(name: s(), granted: i(), denied: i(), unknown: i(), coverage: round % 4 == 1 ? nil : d())
                c.label = round % 2 == 0 ? s() : nil
                if k % 5 == 0 { c.$coverage = .belowMinimum }
                return c
            }
            r.feedback.channels = (0 ..< 30).map { _ in
                var l = LoopStats(channel: s(), surveyID: k % 3 == 0 ? nil : s())
                l.prompts = i(); l.responseRate = d(); l.medianSecondsToAnswer = d(); l.dismissalRate = k % 2 == 0 ? nil : d()
                if k % 7 == 0 { l.$prompts = .belowMinimum; l.$responseRate = .belowMinimum }
                return l
            }
            for _ in 0 ..< 30 { r.feedback.npsByChannel[s()] = NPSStats(scored: i(), promoters: i(), nps: d()) }
            r.weekly = (0 ..< 20).map { _ in
                var cov: [String: Double] = [:]
                for _ in 0 ..< 6 { cov[s()] = d() }
                return WeekPoint(week: s(), personsSeen: i(), prompts: i(), answered: i(), responseRate: d(), consentCoverage: cov)
            }
            r.segments = (0 ..< 10).map { _ in
                var reach: [String: Int] = [:]
                for _ in 0 ..< 5 { reach[s()] = i() }
                return SegmentReport(name: s(), rule: s(), size: i(), share: d(), reachable: reach,
                                     weekly: (0 ..< 4).map { _ in SegmentWeek(week: s(), size: i()) },
                                     feedback: [LoopStats(channel: s())], nps: NPSStats(nps: d()))
            }
            r.overlap = (0 ..< 20).map { _ in SegmentOverlap(a: s(), b: s(), size: i()) }
            r.eventNames = EventNameList((0 ..< 50).map { _ in EventNameCount(name: s(), count: i(), known: k % 2 == 0) })
            assertSameJSON(r, "hostile report \(round)")
        }
    }

    /// Every hostile string as a value and as a key, one object each: the escapes of the writer are the encoder's and
    /// the sanitizer's, string by string (a failure names the string).
    func testEachHostileStringAsValueAndKey() throws {
        for text in Self.hostileStrings() {
            var r = Report()
            r.now = text
            r.feedback.npsBySurvey = [text: NPSStats(scored: 1)]
            let (e, w) = Self.pieces(r)
            XCTAssertEqual(e.joined(), w.joined(), "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }

    /// Every hostile number as an optional and as a plain `Double` member, one report each (a failure names it).
    func testEachHostileNumber() {
        for d in Self.hostileDoubles() {
            var r = Report()
            r.store.lastEventAgeSeconds = d
            r.store.malformedShare = d
            r.store.files = Int(exactly: d.rounded(.towardZero)) ?? -1
            let (e, w) = Self.pieces(r)
            XCTAssertEqual(e.joined(), w.joined(), "\(d) (bits \(String(d.bitPattern, radix: 16)))")
        }
    }

    // MARK: The encoding protocol

    /// A value that uses the corners of the encoding protocol the report does not (yet): nested containers, a key
    /// written twice, `superEncoder`, a value that encodes nothing, other integer widths, `Float`, an `Int`-keyed
    /// dictionary; compared with `JSONEncoder` directly.
    struct Corners: Encodable {
        struct Nothing: Encodable { func encode(to encoder: Encoder) throws {} }
        struct Twice: Encodable {
            func encode(to encoder: Encoder) throws {
                var a = encoder.container(keyedBy: FigureKey.self)
                try a.encode(1, forKey: FigureKey("k"))
                var b = encoder.container(keyedBy: FigureKey.self)
                try b.encode("two", forKey: FigureKey("k"))
                try b.encode(true, forKey: FigureKey("a"))
            }
        }
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: FigureKey.self)
            var n = c.nestedContainer(keyedBy: FigureKey.self, forKey: FigureKey("nested"))
            try n.encode(UInt64.max, forKey: FigureKey("u64"))
            try n.encode(Int8.min, forKey: FigureKey("i8"))
            try n.encode(Float(0.1), forKey: FigureKey("f"))
            try n.encode(Float.nan, forKey: FigureKey("fnan"))
            try n.encode(Float(3), forKey: FigureKey("f3"))
            try n.encodeNil(forKey: FigureKey("nil"))
            var u = c.nestedUnkeyedContainer(forKey: FigureKey("list"))
            try u.encode(UInt.max)
            try u.encode(Nothing())
            var inner = u.nestedUnkeyedContainer()
            try inner.encode(-0.0)
            _ = u.nestedContainer(keyedBy: FigureKey.self)
            try c.encode(Twice(), forKey: FigureKey("twice"))
            try c.encode([3: "three", 10: "ten"], forKey: FigureKey("intKeyed"))
            try c.encode([String](), forKey: FigureKey("empty"))
            try c.encode(Optional<Int>.none, forKey: FigureKey("absent"))
            let sup = c.superEncoder(forKey: FigureKey("sup"))
            var sc = sup.singleValueContainer()
            try sc.encode("through super")
        }
    }

    func testEncodingProtocolCornersAreTheEncodersText() throws {
        var w: [String] = []
        try ReportJSONWriter.write(Corners(), namesPerPiece: 4) { w.append($0) }
        XCTAssertEqual(w.joined(), ReportRenderer.encodedJSON(Corners()) + "\n")
    }

    /// A type the encoder writes by its own convention (`Date`) is left to the encoder: the writer throws before
    /// writing anything.
    func testSpecialTypesAreLeftToTheEncoder() {
        struct WithDate: Encodable { var d = Date(timeIntervalSince1970: 0) }
        var w: [String] = []
        XCTAssertThrowsError(try ReportJSONWriter.write(WithDate(), namesPerPiece: 4) { w.append($0) })
        XCTAssertEqual(w, [])
    }

    /// A dictionary with a member per distinct name in the store (NPS by survey): 20,000 keys, in the encoder's order
    /// and text (the writer indexes a large object's keys and sorts its members in O(n log n), review session 8).
    func testLargeDictionaryIsTheEncodersText() {
        var r = Report()
        var g = SeededRandom(seed: 14)
        for i in 0 ..< 20_000 {
            let key = i % 7 == 0 ? "survey \u{E9}\(g.next() % 100_000)" : "s\(g.next() % 1_000_000)_\(i)"
            r.feedback.npsBySurvey[key] = NPSStats(scored: i % 5)
        }
        assertSameJSON(r, "20,000 surveys")
    }

    /// A key set again keeps one member and takes the new value, below and above the scan limit, with keys equal as
    /// `String`s but not in bytes (the encoder's dictionary merges them too).
    func testObjectSetsAKeyOnceBelowAndAboveTheScanLimit() {
        for count in [ReportJSONWriter.Object.scanLimit - 1, ReportJSONWriter.Object.scanLimit + 1, 200] {
            let o = ReportJSONWriter.Object()
            for i in 0 ..< count { o.set("k\(i)", .int(i)) }
            o.set("e\u{301}", .int(-1))
            o.set("k3", .int(33))
            o.set("\u{E9}", .int(-2))
            o.set("k\(count - 1)", .int(99))
            XCTAssertEqual(o.keys.count, count + 1, "members for \(count) keys")
            guard case .int(33)? = o.value("k3") else { return XCTFail("k3 for \(count): \(String(describing: o.value("k3")))") }
            guard case .int(-2)? = o.value("e\u{301}") else { return XCTFail("é for \(count)") }
            guard case .int(99)? = o.value("k\(count - 1)") else { return XCTFail("last for \(count)") }
            guard case .int(0)? = o.value("k0") else { return XCTFail("k0 for \(count)") }
        }
    }

    func testKeyOrderIsByUTF8Bytes() {
        XCTAssertTrue(ReportJSONWriter.precedes("B", "a"))
        XCTAssertTrue(ReportJSONWriter.precedes("a", "a_b"))
        XCTAssertTrue(ReportJSONWriter.precedes("z", "\u{E9}"))
        XCTAssertTrue(ReportJSONWriter.precedes("e\u{301}x", "\u{E9}"), "bytes, not String order")
        XCTAssertFalse(ReportJSONWriter.precedes("a", "a"))
        XCTAssertFalse(ReportJSONWriter.precedes("", ""))
        XCTAssertTrue(ReportJSONWriter.precedes("", "a"))
    }
}
