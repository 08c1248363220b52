import XCTest
import EarshotTestSupport
import Foundation
@testable import EventStore

/// Issue #10: the reader reads Segment, RudderStack and PostHog payloads as the vendors write them.
/// Fixtures are copied from the vendors' repositories and docs (see Fixtures/README.md).
final class VendorShapeTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

    static func fixture(_ name: String) -> String {
        try! String(contentsOfFile: fixtures + "/" + name, encoding: .utf8)
    }

    static func lines(_ name: String) -> [String] {
        fixture(name).split(separator: "\n").map(String.init)
    }

    /// Loads `files` (relative path → text) as one store, with every threading mode, and checks
    /// that the byte path and the ParsedEvent path (parseRecords + add) build the same table.
    func load(_ files: [String: String], selection: FieldSelection = .metrics, options: ReaderOptions = ReaderOptions(),
              file: StaticString = #filePath, line: UInt = #line) throws -> EventTable {
        let s = TempStore()
        for (path, text) in files { s.write("s/" + path, text) }
        var tables: [EventTable] = []
        for (threads, chunk) in [(0, 1 << 20), (2, 300)] {
            var reader = StoreReader(paths: [s.path("s")], selection: selection)
            reader.options = options
            reader.parseThreads = threads
            reader.chunkBytes = chunk
            tables.append(try reader.load())
        }
        assertSameTable(tables[0], tables[1], "threads", file: file, line: line)
        // The ParsedEvent path over the same lines in file order.
        var b = EventTableBuilder(selection: nil)
        let parser = EventLineParser(selection: selection, options: options)
        for path in files.keys.sorted() {
            for text in files[path]!.split(separator: "\n") where !text.allSatisfy({ $0 == " " }) {
                for outcome in parser.parseRecords(String(text)).outcomes {
                    if case .success(let e) = outcome { b.add(e) }
                }
            }
        }
        var reference = b.finish()
        reference.stats = tables[0].stats
        assertSameTable(tables[0], reference, "ParsedEvent path", file: file, line: line)
        XCTAssertEqual(tables[0].stats.records, tables[0].stats.events + tables[0].stats.duplicates + tables[0].stats.malformed,
                       "records = events + duplicates + malformed", file: file, line: line)
        return tables[0]
    }

    func traits(_ t: EventTable, person id: String) -> [String: String] {
        guard let p = t.personID.firstIndex(where: { t.strings[$0] == id }) else { return [:] }
        var out: [String: String] = [:]
        for i in t.traitIndices(ofPerson: p) {
            let v = t.traitValue[i]
            out[t.strings[t.traitKey[i]]] = t.string(v) ?? v.description
        }
        return out
    }

    // MARK: 1. Batch envelopes

    func testSegmentAnalyticsGoBatches() throws {
        let text = Self.fixture("segment/analytics-go-batches.jsonl")
        let t = try load(["a.jsonl": text], selection: FieldSelection(paths: ["context.library.name", "context.whatever"]))
        // 12 envelopes holding 14 items; every item but one carries messageId "I'm unique".
        XCTAssertEqual(t.stats.lines, 12)
        XCTAssertEqual(t.stats.envelopes, 12)
        XCTAssertEqual(t.stats.envelopeItems, 14)
        XCTAssertEqual(t.stats.records, 14)
        XCTAssertEqual(t.stats.events, 2)
        XCTAssertEqual(t.stats.duplicates, 12)
        XCTAssertEqual(t.stats.malformed, 0)
        XCTAssertEqual(t.stats.files[0].envelopes, 12)
        XCTAssertEqual(t.stats.files[0].records, 14)
        XCTAssertEqual(t.personCount, 1)
        XCTAssertEqual(t.strings[t.personID[0]], "123456")
        // The first item has its own context {"whatever": "here"}; the envelope's library is merged in.
        let records = EventLineParser(selection: FieldSelection(paths: ["context.library.name", "context.whatever"]))
            .parseRecords(Self.lines("segment/analytics-go-batches.jsonl")[0])
        XCTAssertTrue(records.envelope)
        let e = try records.outcomes[0].get()
        XCTAssertEqual(e.kind, .track)
        XCTAssertEqual(e.event, "Download")
        XCTAssertEqual(e.time, try ISO8601Time.milliseconds("2009-11-10T23:00:00Z"))
        XCTAssertEqual(e.properties, [PathValue("context.library.name", .string("analytics-go")),
                                      PathValue("context.whatever", .string("here"))])
    }

    func testEnvelopeContextSentAtAndMalformedItems() throws {
        let line = #"{"batch":[{"type":"track","event":"A","userId":"u1","messageId":"m1","context":{"library":{"name":"own"}}},"#
            + #"{"type":"track","event":"B","userId":"u1","messageId":"m2","timestamp":"2024-05-01T10:00:00Z"},"#
            + #"{"event":"C","userId":"u1"},"#
            + #""text","#
            + #"{"type":"page","userId":"u2","timestamp":"2024-05-01T10:00:00"}],"#
            + #""sentAt":"2024-05-01T12:00:00Z","context":{"library":{"name":"analytics-node"},"timezone":"Europe/Berlin"}}"#
        let parser = EventLineParser(selection: FieldSelection(paths: ["context.library.name"]))
        let r = parser.parseRecords(line)
        XCTAssertTrue(r.envelope)
        XCTAssertEqual(r.outcomes.count, 5)
        // Item 1: no time of its own → the envelope's sentAt; its own context.library wins, the zone comes from the envelope.
        let a = try r.outcomes[0].get()
        XCTAssertEqual(a.time, try ISO8601Time.milliseconds("2024-05-01T12:00:00Z"))
        XCTAssertEqual(a.properties, [PathValue("context.library.name", .string("own"))])
        XCTAssertEqual(a.timezone, "Europe/Berlin")
        // Item 2: its own timestamp wins over sentAt.
        XCTAssertEqual(try r.outcomes[1].get().time, try ISO8601Time.milliseconds("2024-05-01T10:00:00Z"))
        func reason(_ i: Int) -> String? { if case .failure(let e) = r.outcomes[i] { return e.reason }; return nil }
        XCTAssertEqual(reason(2), #"batch item 3: no "type" string (track, identify, page, screen, group or alias), and not a batch envelope or PostHog event"#)
        XCTAssertEqual(reason(3), "batch item 4: not a JSON object (the line is a string)")
        XCTAssertEqual(reason(4), #"batch item 5: "timestamp" is a time without a zone: "2024-05-01T10:00:00" (use --assume-utc to read such times as UTC)"#)

        let t = try load(["x.jsonl": line + "\n" + #"{"batch":{"type":"track"}}"# + "\n"])
        XCTAssertEqual(t.stats.lines, 2)
        XCTAssertEqual(t.stats.envelopes, 1)
        XCTAssertEqual(t.stats.envelopeItems, 5)
        XCTAssertEqual(t.stats.records, 6)
        XCTAssertEqual(t.stats.events, 2)
        XCTAssertEqual(t.stats.malformed, 4)
        XCTAssertEqual(t.stats.malformedSamples.map(\.line), [1, 1, 1, 2])
        XCTAssertEqual(t.stats.malformedSamples.last?.reason, #""batch" is not an array (a batch envelope holds its events in an array)"#)
        XCTAssertFalse(t.stats.malformedSamples.contains { $0.reason.hasPrefix("no \"type\"") }, "an envelope is never itself 'no type'")
    }

    func testEnvelopeContextIsNotMultipliedWithoutBound() throws {
        // A 200 KB envelope context and 200 items: merging would copy it 200 times (40 MB).
        let filler = String(repeating: "x", count: 200_000)
        let items = (0 ..< 200).map { #"{"type":"track","event":"e","userId":"u\#($0)"}"# }.joined(separator: ",")
        let line = #"{"batch":["# + items + #"],"sentAt":"2024-01-01T00:00:00Z","context":{"library":{"name":""# + filler + #""}}}"#
        let r = EventLineParser().parseRecords(line)
        XCTAssertEqual(r.outcomes.count, 200)
        let accepted = r.outcomes.filter { if case .success = $0 { return true }; return false }.count
        let limit = VendorShape.mergedBytesLimit(lineBytes: line.utf8.count)
        XCTAssertEqual(limit, 16 << 20)
        XCTAssertEqual(accepted, limit / 200_060, "items up to the limit are read")
        if case .failure(let e) = r.outcomes.last! {
            XCTAssertEqual(e.reason, "batch item 200: the batch's items with the envelope's context merged in exceed 16777216 bytes in all; this and later items were skipped")
        } else {
            XCTFail("the last item should be over the limit")
        }
    }

    // MARK: 2 + 4. context.traits and RudderStack consent objects

    func testRudderStackSanitySuiteContextTraitsAndConsentObjects() throws {
        let lines = Self.lines("rudderstack/sanity-suite-consent-objects.jsonl")
        XCTAssertEqual(lines.count, 33)
        // identify1.json (the 12th file): identify traits only in context.traits; allowedConsentIds as an object.
        let e = try EventLineParser().parse(lines[11]).get()
        XCTAssertEqual(e.kind, .identify)
        XCTAssertEqual(e.userId, "customUserID")
        XCTAssertEqual(e.traits.map(\.path), ["name", "title", "email", "company", "phone", "rating", "dob", "address"])
        XCTAssertEqual(e.traits[2], PathValue("email", .string("name.surname@domain.com")))
        XCTAssertEqual(e.traits[7], PathValue("address", .composite))
        XCTAssertEqual(e.consent, [ConsentEntry("C0001", true, label: "Functional Cookies"),
                                   ConsentEntry("C0003", true, label: "Analytical Cookies"),
                                   ConsentEntry("C0002", false), ConsentEntry("C0004", false),
                                   ConsentEntry("C0005", false), ConsentEntry("C0006", false)])

        let t = try load(["rudder.jsonl": lines.joined(separator: "\n") + "\n"])
        // 33 payloads, two distinct messageIds (alias1 first, then track1's id).
        XCTAssertEqual(t.stats.events, 2)
        XCTAssertEqual(t.stats.duplicates, 31)
        XCTAssertEqual(t.personCount, 2)
        XCTAssertEqual(Set(t.consentCategories), ["C0001", "C0002", "C0003", "C0004", "C0005", "C0006"])
        XCTAssertEqual(t.consentDisplayName("C0001"), "C0001 Functional Cookies")
        XCTAssertEqual(t.consentDisplayName("C0002"), "C0002")
        // context.traits on an alias and on a track call are the persons' traits.
        XCTAssertEqual(traits(t, person: "newCustomUserID")["company"], "Company123")
        XCTAssertEqual(traits(t, person: "customUserID"), ["subscribed": PropValue.bool(true).description, "plan": "Gold",
                                                           "endDate": "2023-04-13T08:13:58.548Z", "startDate": "2023-01-13T08:13:58.548Z"])
    }

    func testTopLevelTraitsWinOverContextTraitsInOneEvent() throws {
        let p = EventLineParser()
        let identify = #"{"type":"identify","userId":"u","timestamp":"2024-01-01T00:00:00Z","traits":{"plan":"pro"},"context":{"traits":{"plan":"free","region":"north"}}}"#
        XCTAssertEqual(try p.parse(identify).get().traits, [PathValue("plan", .string("pro")), PathValue("region", .string("north"))])
        // On a track call top-level `traits` are not person traits (only identify's are); context.traits are.
        let track = #"{"type":"track","event":"e","userId":"u","timestamp":"2024-01-01T00:00:00Z","traits":{"plan":"pro"},"context":{"traits":{"plan":"free"}}}"#
        XCTAssertEqual(try p.parse(track).get().traits, [PathValue("plan", .string("free"))])
        // Across events: latest by event time, as before.
        let t = try load(["a.jsonl": [
            #"{"type":"track","event":"e","userId":"u","timestamp":"2024-01-03T00:00:00Z","context":{"traits":{"plan":"gold"}}}"#,
            identify,
        ].joined(separator: "\n")])
        XCTAssertEqual(traits(t, person: "u")["plan"], "gold")
    }

    // MARK: 3. Numeric ids

    func testNumericIds() throws {
        let p = EventLineParser()
        let e = try p.parse(#"{"type":"alias","userId":1234,"anonymousId":3131,"previousId":-0,"timestamp":"2024-01-01T00:00:00Z"}"#).get()
        XCTAssertEqual(e.userId, "1234")
        XCTAssertEqual(e.anonymousId, "3131")
        XCTAssertEqual(e.previousId, "0")
        XCTAssertEqual(try p.parse(#"{"type":"track","userId":12.50,"timestamp":"2024-01-01T00:00:00Z"}"#).get().userId, "12.5")
        XCTAssertEqual(try p.parse(#"{"type":"track","userId":1e3,"timestamp":"2024-01-01T00:00:00Z"}"#).get().userId, "1000")
        // The number and the string are the same person.
        let t = try load(["a.jsonl": [
            #"{"type":"track","event":"a","userId":1234,"timestamp":"2024-01-01T00:00:00Z"}"#,
            #"{"type":"track","event":"b","userId":"1234","anonymousId":3131,"timestamp":"2024-01-02T00:00:00Z"}"#,
            #"{"type":"page","anonymousId":"3131","timestamp":"2024-01-03T00:00:00Z"}"#,
        ].joined(separator: "\n")])
        XCTAssertEqual(t.personCount, 1)
        XCTAssertEqual(t.count, 3)
    }

    // MARK: 8. PostHog

    func testPostHogCaptureShapes() throws {
        let lines = Self.lines("posthog/capture-shapes.jsonl")
        XCTAssertEqual(lines.count, 8)
        let p = EventLineParser(selection: FieldSelection(paths: ["properties.$lib"]))
        // Line 4: posthog-js $identify: distinct_id is the user, $anon_distinct_id the browsing id, top-level $set / $set_once.
        let identify = try p.parse(lines[3]).get()
        XCTAssertEqual(identify.kind, .identify)
        XCTAssertEqual(identify.userId, "a-new-id")
        XCTAssertEqual(identify.anonymousId, "oldIdentity")
        XCTAssertEqual(identify.messageId, "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b")
        XCTAssertEqual(identify.time, try ISO8601Time.milliseconds("2026-11-02T10:15:30.250Z"))
        XCTAssertEqual(identify.traits, [PathValue("email", .string("john@example.com"))])
        XCTAssertTrue(identify.onceTraits.contains(PathValue("howOftenAmISet", .string("once!"))))
        XCTAssertEqual(identify.timezone, "Europe/London")
        // Line 3: the $pageview before identifying: a page, time from $time, section from $pathname.
        let page = try p.parse(lines[2]).get()
        XCTAssertEqual(page.kind, .page)
        XCTAssertEqual(page.anonymousId, "oldIdentity")
        XCTAssertNil(page.userId)
        XCTAssertEqual(page.time, 1_793_614_400_125)
        XCTAssertEqual(page.pagePath, "/baby/strollers")
        // Line 6: distinct_id 2 (a number) is read; the event has no time at all.
        XCTAssertEqual(p.parse(lines[5]).failureReason, #"no event time (none of "timestamp", "originalTimestamp", "receivedAt")"#)
        // Line 7: PostHog's own "type": "capture" inside a batch.
        let batch = p.parseRecords(lines[6])
        XCTAssertTrue(batch.envelope)
        XCTAssertEqual(batch.outcomes.count, 1)

        let t = try load(["posthog.jsonl": lines.joined(separator: "\n") + "\n"], selection: FieldSelection(paths: ["properties.$lib"]))
        XCTAssertEqual(t.stats.lines, 8)
        XCTAssertEqual(t.stats.envelopes, 3)
        XCTAssertEqual(t.stats.envelopeItems, 3)
        XCTAssertEqual(t.stats.events, 5)
        XCTAssertEqual(t.stats.malformed, 3)
        XCTAssertEqual(t.stats.malformedSamples.map(\.line), [6, 7, 8])
        XCTAssertEqual(t.stats.malformedSamples[1].reason, #"batch item 1: no event time (none of "timestamp", "originalTimestamp", "receivedAt")"#)
        // Persons as PostHog counts them: id-1, user-distinct-id, a-new-id (with its pre-identify pageview), 94b03e599131fd5026b.
        let persons = Set(t.personID.map { t.strings[$0] })
        XCTAssertEqual(persons, ["id-1", "user-distinct-id", "a-new-id", "94b03e599131fd5026b"])
        let newID = t.personID.firstIndex { t.strings[$0] == "a-new-id" }!
        XCTAssertEqual(t.personRange(newID).count, 2)
        XCTAssertTrue(t.personIsUser[newID])
        XCTAssertEqual(traits(t, person: "id-1"), ["foo": "bar", "vip": PropValue.bool(true).description])
        XCTAssertEqual(traits(t, person: "a-new-id")["email"], "john@example.com")
        XCTAssertEqual(traits(t, person: "a-new-id")["howOftenAmISet"], "once!")
        let sections = Set(t.section.filter { $0 >= 0 }.map { t.strings[$0] })
        XCTAssertEqual(sections, ["baby"])
        let names = Set(t.name.filter { $0 >= 0 }.map { t.strings[$0] })
        XCTAssertEqual(names, ["custom-event", "$pageleave"])
    }

    func testPostHogSetOnceOnlySetsAKeyWithoutAnEarlierValue() throws {
        let t = try load(["p.jsonl": [
            #"{"event":"a","distinct_id":"d","timestamp":"2024-01-01T00:00:00Z","properties":{"$set_once":{"plan":"first","source":"ad"}}}"#,
            #"{"event":"$set","distinct_id":"d","timestamp":"2024-01-02T00:00:00Z","properties":{"$set":{"plan":"second"}}}"#,
            #"{"event":"b","distinct_id":"d","timestamp":"2024-01-03T00:00:00Z","properties":{"$set_once":{"plan":"third","source":"mail","city":"Oslo"}}}"#,
        ].joined(separator: "\n")])
        XCTAssertEqual(traits(t, person: "d"), ["plan": "second", "source": "ad", "city": "Oslo"])
        XCTAssertEqual(t.kind.filter { $0 == .identify }.count, 1, "a $set event is an identify")
    }

    func testPostHogAliasAndUUIDDedupe() throws {
        let t = try load(["p.jsonl": [
            #"{"event":"$pageview","distinct_id":"anon-1","uuid":"u-1","timestamp":"2024-01-01T00:00:00Z","properties":{"$current_url":"https://shop.example/Sale/boots?x=1"}}"#,
            #"{"event":"$pageview","distinct_id":"anon-1","uuid":"u-1","timestamp":"2024-01-01T00:00:00Z","properties":{}}"#,
            #"{"event":"$create_alias","uuid":"u-2","timestamp":"2024-01-02T00:00:00Z","properties":{"distinct_id":"anon-1","alias":"customer-9"}}"#,
            #"{"event":"Order Completed","distinct_id":"customer-9","uuid":"u-3","timestamp":"2024-01-03T00:00:00Z","properties":{"revenue":20}}"#,
        ].joined(separator: "\n")])
        XCTAssertEqual(t.stats.duplicates, 1)
        XCTAssertEqual(t.personCount, 1)
        XCTAssertEqual(t.strings[t.personID[0]], "customer-9")
        XCTAssertEqual(Set(t.section.filter { $0 >= 0 }.map { t.strings[$0] }), ["sale"])
    }

    // MARK: 11. Zone-less times

    func testZonelessTimesNeedAssumeUTC() throws {
        let text = Self.fixture("rudderstack/appsflyer-zoneless.jsonl")
        let strict = try load(["af.jsonl": text])
        XCTAssertEqual(strict.stats.events, 0)
        XCTAssertEqual(strict.stats.malformedSamples.first?.reason,
                       #""timestamp" is a time without a zone: "2020-01-15 14:57:24.898" (use --assume-utc to read such times as UTC)"#)
        let utc = try load(["af.jsonl": text], options: ReaderOptions(assumeUTC: true))
        XCTAssertEqual(utc.stats.events, 1)
        XCTAssertEqual(utc.time.first, try ISO8601Time.milliseconds("2020-01-15T14:57:24.898Z"))
        // context.traits of the track call are the person's; its top-level traits (not an identify) are not.
        XCTAssertEqual(traits(utc, person: "alex@example.com"), ["address.city": "New York", "address.zip": "10001",
                                                                 "address.country": "US", "userId": "alex@example.com"])
    }

    func testAssumeUTCIsPartOfTheCacheKey() throws {
        let s = TempStore()
        s.write("s/af.jsonl", Self.fixture("rudderstack/appsflyer-zoneless.jsonl"))
        let cache = StoreCache(directory: s.path("cache"))
        var reader = StoreReader(paths: [s.path("s")])
        XCTAssertEqual(try reader.load(cache: cache).table.stats.events, 0)
        reader.options.assumeUTC = true
        let r = try reader.load(cache: cache)
        XCTAssertEqual(r.table.stats.events, 1)
        XCTAssertNotEqual(r.cache, .hit)
    }

    func testVendorFiguresSurviveTheTableCache() throws {
        let s = TempStore()
        s.write("s/rudder.jsonl", Self.fixture("rudderstack/sanity-suite-consent-objects.jsonl"))
        s.write("s/segment.jsonl", Self.fixture("segment/analytics-go-batches.jsonl"))
        s.write("s/z-posthog.jsonl", Self.fixture("posthog/capture-shapes.jsonl"))  // last in read order: appends are read from the cache
        let cache = StoreCache(directory: s.path("cache"))
        let cold = try StoreReader(paths: [s.path("s")]).load(cache: cache)
        let warm = try StoreReader(paths: [s.path("s")]).load(cache: cache)
        XCTAssertEqual(warm.cache, .hit)
        assertSameTable(warm.table, cold.table, "cache hit")
        XCTAssertEqual(warm.table.consentLabels, ["C0001": "Functional Cookies", "C0003": "Analytical Cookies"])
        XCTAssertEqual(warm.table.stats.envelopes, 15)
        XCTAssertEqual(warm.table.stats.malformedKinds, ["no event time": 1, "batch item: no event time": 1, "no type": 1])
        // Appended PostHog $set_once after a cached read: the earlier value stays.
        let appended = #"{"event":"later","distinct_id":"a-new-id","timestamp":"2026-11-03T00:00:00Z","properties":{"$set_once":{"email":"other@example.com"}}}"# + "\n"
        let h = FileHandle(forWritingAtPath: s.path("s/z-posthog.jsonl"))!
        h.seekToEndOfFile(); h.write(Data(appended.utf8)); h.closeFile()
        let grown = try StoreReader(paths: [s.path("s")]).load(cache: cache)
        XCTAssertEqual(grown.cache, .appended(bytesRead: Int64(appended.utf8.count)))
        XCTAssertEqual(traits(grown.table, person: "a-new-id")["email"], "john@example.com")
    }

    // MARK: 7. Archive layouts

    func testArchiveLayoutsFoundByContent() throws {
        let s = TempStore()
        let segment = Self.lines("segment/analytics-go-batches.jsonl").joined(separator: "\n") + "\n"
        s.write("store/segment-logs/src-1/1257811200000/7f3a9c1e2b.gz", gzipMember(segment))
        s.write("store/rudder/2023/01/13/dump-0001.json.gz", gzipMember(Self.fixture("rudderstack/sanity-suite-consent-objects.jsonl")))
        s.write("store/posthog/export-2026-11-02.jsonl", Self.fixture("posthog/capture-shapes.jsonl"))
        s.write("store/posthog/export-2026-11-03.json", "\u{FEFF}\n" + Self.lines("posthog/capture-shapes.jsonl")[4] + "\n")
        s.write("store/notes.md", "# notes")
        s.write("store/shop.segments", "segment x: did \"a\"")
        s.write("store/img/logo.png", [0x89, 0x50, 0x4E, 0x47])
        s.write("store/img/photo.png", [0x89, 0x50, 0x4E, 0x47])
        s.write("store/manifest", "[1,2]")
        s.write("store/.hidden-dump", segment)
        let location = try StoreLocator.locate([s.path("store")])
        XCTAssertEqual(location.files.map { String($0.path.dropFirst(s.path("store").count + 1)) },
                       ["posthog/export-2026-11-02.jsonl", "posthog/export-2026-11-03.json",
                        "rudder/2023/01/13/dump-0001.json.gz", "segment-logs/src-1/1257811200000/7f3a9c1e2b.gz"])
        XCTAssertEqual(location.warnings, [
            "skipped 2 files (*.png) that are neither JSON lines nor gzip (first: \(s.path("store/img/logo.png")))",
            "skipped 1 file (without an extension) that are neither JSON lines nor gzip (first: \(s.path("store/manifest")))",
        ].sorted())
        // The mixed store: sane figures, every record accounted for.
        let t = try StoreReader(paths: [s.path("store")]).load()
        XCTAssertEqual(t.stats.files.count, 4)
        XCTAssertEqual(t.stats.records, t.stats.events + t.stats.duplicates + t.stats.malformed)
        XCTAssertEqual(t.stats.envelopes, 12 + 3)
        // analytics-go: 2; PostHog: 5, plus the .json copy of the $pageleave (no uuid, so no dedupe key); RudderStack: 2.
        XCTAssertEqual(t.stats.events, 2 + 5 + 1 + 2)
        XCTAssertEqual(t.stats.malformed, 3)
    }

    // MARK: Issue #11 item 1: trait-path amplification

    func testTraitPathAmplificationIsBounded() throws {
        // A long key with many children: paths are stored by reference, so memory stays proportional.
        let key = String(repeating: "K", count: 120_000)
        let children = Array(repeating: #""a":1"#, count: 19_000).joined(separator: ",")
        let line = #"{"type":"identify","userId":"u","timestamp":"2024-01-01T00:00:00Z","traits":{""# + key + #"":{"# + children + "}}}"
        XCTAssertEqual(EventLineParser().parse(line).failureReason,
                       "traits nested too deeply or too long (a trait path of more than 1024 bytes)")
        // Below the path limit, 19,000 repeated children are one trait.
        let short = #"{"type":"identify","userId":"u","timestamp":"2024-01-01T00:00:00Z","traits":{"k":{"# + children + "}}}"
        XCTAssertEqual(try EventLineParser().parse(short).get().traits, [PathValue("k.a", .number(1))])
        // Deep nesting.
        let deep = #"{"type":"identify","userId":"u","timestamp":"2024-01-01T00:00:00Z","traits":"#
            + String(repeating: #"{"a":"#, count: 40) + "1" + String(repeating: "}", count: 40) + "}"
        XCTAssertEqual(EventLineParser().parse(deep).failureReason, "traits nested too deeply or too long (traits nested more than 32 levels deep)")
        // Many distinct 1000-byte paths: their total is capped in proportion to the line.
        let mid = String(repeating: "m", count: 990)
        let distinct = (0 ..< 3000).map { #""c\#($0)":1"# }.joined(separator: ",")
        let wide = #"{"type":"identify","userId":"u","timestamp":"2024-01-01T00:00:00Z","traits":{""# + mid + #"":{"# + distinct + "}}}"
        XCTAssertEqual(EventLineParser().parse(wide).failureReason?.hasPrefix("traits nested too deeply or too long (trait paths longer than"), true)
    }
}

extension Result where Failure == LineError {
    var failureReason: String? { if case .failure(let e) = self { return e.reason }; return nil }
}
