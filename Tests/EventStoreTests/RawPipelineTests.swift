import XCTest
import EarshotTestSupport
import Foundation
@testable import EventStore

/// The store reader parses chunks to byte references and interns from bytes; the public path parses
/// to `ParsedEvent`s and adds them one by one. Both must build exactly the same table.
final class RawPipelineTests: XCTestCase {
    static let selection = FieldSelection(paths: ["properties.category", "properties.score", "properties.plan",
                                                  "context.campaign.medium", "context.consent.categoryPreferences.Ads",
                                                  "properties.products[].category", "properties.products[].price",
                                                  "properties.products[].variant.size", "properties.tags[]",
                                                  "properties.products", FieldSelection.traitListsPath],
                                         captures: ["properties.$survey_response*", "properties.answers"])

    static let lines: [String] = [
        // Escapes and non-ASCII in ids, names and property values.
        #"{"type":"track","messageId":"m\u0031","timestamp":"2024-01-01T00:00:00Z","userId":"u\u00e9","event":"Order \"Completed\"","properties":{"category":"B\u00e4by","score":9}}"#,
        #"{"type":"track","messageId":"m2","timestamp":"2024-01-01T00:00:01Z","anonymousId":"a1","event":"","properties":{"category":null,"score":"ten","plan":[1]}}"#,
        // Duplicate (same messageId as line 1).
        #"{"type":"track","messageId":"m1","timestamp":"2024-01-02T00:00:00Z","userId":"u2","event":"x"}"#,
        // Empty ids: never a duplicate key / not an identity.
        #"{"type":"track","messageId":"","timestamp":"2024-01-02T00:00:00Z","userId":"","anonymousId":"a2","event":"y","context":{"timezone":""}}"#,
        #"{"type":"track","messageId":"","timestamp":"2024-01-02T00:00:00Z","anonymousId":"a2","event":"y","context":{"timezone":"Europe/Berlin"}}"#,
        // Pages: sections from category (case, non-ASCII), properties.category, paths.
        #"{"type":"page","messageId":"p1","timestamp":"2024-01-03T00:00:00Z","userId":"u1","name":"Home","category":"SHOP"}"#,
        #"{"type":"page","messageId":"p2","timestamp":"2024-01-03T00:00:00Z","userId":"u1","name":"Cat","category":"ÉLECTRO"}"#,
        #"{"type":"page","messageId":"p3","timestamp":"2024-01-03T00:00:00Z","userId":"u1","category":"","properties":{"category":"Toys","path":"/x"}}"#,
        #"{"type":"screen","messageId":"p4","timestamp":"2024-01-03T00:00:00Z","userId":"u1","name":"S","properties":{"path":"//Shop?q=1/x"}}"#,
        #"{"type":"page","messageId":"p5","timestamp":"2024-01-03T00:00:00Z","userId":"u1","context":{"page":{"path":"/?#/x"}}}"#,
        #"{"type":"page","messageId":"p6","timestamp":"2024-01-03T00:00:00Z","userId":"u1","properties":{"path":"///"},"context":{"page":{"path":"/ignored"}}}"#,
        #"{"type":"page","messageId":"p7","timestamp":"2024-01-03T00:00:00Z","userId":"u1","context":{"page":{"path":"/Caf\u00C9s/1"}}}"#,
        // Alias and identity stitching.
        #"{"type":"alias","messageId":"al1","timestamp":"2024-01-04T00:00:00Z","userId":"u3","previousId":"a1"}"#,
        #"{"type":"alias","messageId":"al2","timestamp":"2024-01-04T00:00:00Z","userId":"u3","previousId":""}"#,
        // Identify with nested and repeated traits.
        #"{"type":"identify","messageId":"i1","timestamp":"2024-01-05T00:00:00Z","userId":"u3","traits":{"plan":"pro","address":{"city":"Köln","zip":5},"plan":"free","tags":["a"],"n":null}}"#,
        // Consent: repeated key, non-boolean, RudderStack lists with empty ids, selected preference.
        #"{"type":"track","messageId":"c1","timestamp":"2024-01-06T00:00:00Z","userId":"u4","event":"e","context":{"consent":{"categoryPreferences":{"Analytics":true,"Ads":false,"Analytics":false,"X":"yes"}},"consentManagement":{"allowedConsentIds":["Email","",3],"deniedConsentIds":["Ads"]},"campaign":{"medium":"mail"}}}"#,
        #"{"type":"track","messageId":"c2","timestamp":"2024-01-06T00:00:00Z","userId":"u4","event":"e","context":{"consent":{"categoryPreferences":{"Ana\u006cytics":true}}}}"#,
        // Other kinds, group, unknown type.
        #"{"type":"group","messageId":"g1","timestamp":"2024-01-07T00:00:00Z","userId":"u5","event":"not a track"}"#,
        #"{"type":"Track","messageId":"o1","timestamp":"2024-01-07T00:00:00Z","userId":"u5","event":"other"}"#,
        // Repeated keys of kept fields: the last one wins (and a non-string makes it absent).
        #"{"type":"track","messageId":"r1","timestamp":"2024-01-08T00:00:00Z","userId":"u6","userId":"u7","event":"a","event":5}"#,
        // Lists (issue #18): objects, scalars, nested paths, repeated keys, escapes, empty lists, non-lists.
        #"{"type":"track","messageId":"l1","timestamp":"2024-01-10T00:00:00Z","userId":"u9","event":"Order Completed","properties":{"products":[{"category":"baby","price":12.5,"variant":{"size":"S"}},{"price":"3"},"x",null,{"category":"Bäby","category":"gifts","variant":{"size":2}},[1]],"tags":["gift",1,null,{"a":1},"sale"]}}"#,
        #"{"type":"track","messageId":"l2","timestamp":"2024-01-10T00:00:01Z","userId":"u9","event":"Order Completed","properties":{"products":[],"tags":"gift"}}"#,
        #"{"type":"track","messageId":"l3","timestamp":"2024-01-10T00:00:02Z","userId":"u9","event":"Order Completed","properties":{"products":[{"category":"old"}],"products":[{"category":"new"}],"tags":null}}"#,
        #"{"type":"identify","messageId":"t1","timestamp":"2024-01-10T00:00:04Z","userId":"u10","traits":{"kids":[{"age":1,"toys":["a",{"b":2}]},"x",[],null],"kids":[{"age":2}],"k\u0069ds2":[3]},"context":{"traits":{"kids":[{"age":9}],"pets":[{"n":"c"}]}}}"#,
        #"{"type":"track","messageId":"l4","timestamp":"2024-01-10T00:00:03Z","userId":"u10","event":"Cart Viewed","properties":{"products":{"category":"baby"},"tags":{}}}"#,
        // Empty categoryPreferences (every category denied) and deletion requests, with and without a time.
        #"{"type":"track","messageId":"e1","timestamp":"2024-01-08T00:00:01Z","userId":"u4","event":"e","context":{"consent":{"categoryPreferences":{}}}}"#,
        #"{"type":"track","messageId":"e2","timestamp":"2024-01-08T00:00:02Z","userId":"u9","event":"e"}"#,
        #"{"type":"delete","messageId":"d1","timestamp":"2024-01-08T00:00:03Z","userId":"u6"}"#,
        #"{"type":"delete","messageId":"d2","userId":"u9"}"#,
        // PostHog survey answers: first question, legacy index key, question-id keys (escaped key, array, null, object).
        #"{"type":"track","messageId":"s1","timestamp":"2024-01-08T00:00:04Z","userId":"u4","event":"survey sent","properties":{"$survey_id":"x","$survey_response":"9","$survey_response_1":["a","b",{"c":1},2,null],"$survey_response_q1":"Great","$survey_response_q2":null,"$survey_response_q3":{"x":1},"$survey_responses":"other","$survey_questions":[{"id":"q1"}]}}"#,
        // A list of answer objects (SatisMeter): `id` → `value` (scalar or list), objects without an id skipped.
        #"{"type":"track","messageId":"s2","timestamp":"2024-01-08T00:00:05Z","userId":"u4","event":"Survey completed","properties":{"answers":[{"value":9,"id":"q1"},{"id":"q2","value":["a",{"x":1},"b"],"label":"L"},{"value":3},{"id":"","value":1},"loose",{"id":"q3","value":{"no":1}},{"id":"q4","value":null}]}}"#,
        // Malformed lines.
        #"{"type":"track","userId":"u1""#,
        #"{"type":"track","messageId":"b1","timestamp":"nope","userId":"u1"}"#,
        #"[1,2]"#,
        #"{"messageId":"b2","timestamp":"2024-01-01T00:00:00Z","userId":"u1"}"#,
    ]

    /// An identify with more than 32 traits (the hashed last-wins path), many repeated.
    static var manyTraits: String {
        var members: [String] = []
        for i in 0 ..< 60 { members.append(#""k\#(i % 40)":"v\#(i)""#) }
        return #"{"type":"identify","messageId":"big","timestamp":"2024-01-09T00:00:00Z","userId":"u8","traits":{"# +
            members.joined(separator: ",") + "}}"
    }

    func testReaderEqualsParsedEventBuilder() throws {
        let s = TempStore()
        let all = Self.lines + [Self.manyTraits]
        s.write("s/a.jsonl", all.joined(separator: "\n") + "\n")
        for (threads, chunk) in [(0, 1 << 20), (2, 200), (1, 1)] {
            var reader = StoreReader(paths: [s.path("s")], selection: Self.selection)
            reader.parseThreads = threads
            reader.chunkBytes = chunk
            let t = try reader.load()

            var b = EventTableBuilder(selection: nil)
            let parser = EventLineParser(selection: Self.selection)
            var malformed = 0
            for line in all {
                switch parser.parse(line) {
                case .success(let e): b.add(e)
                case .failure: malformed += 1
                }
            }
            var reference = b.finish().redactingDeletions()
            XCTAssertEqual(t.stats.events, reference.stats.events)
            XCTAssertEqual(t.stats.duplicates, reference.stats.duplicates)
            XCTAssertEqual(t.stats.malformed, malformed)
            XCTAssertEqual(malformed, 4)
            reference.stats = t.stats
            assertSameTable(t, reference, "threads \(threads), chunk \(chunk)")
        }
    }

    /// Vendor shapes and the new per-field rules, on both paths, with chunks cut everywhere.
    static let vendorLines: [String] = [
        #"{"batch":[{"type":"identify","userId":7,"anonymousId":"a7","context":{"traits":{"plan":"gold","address":{"city":"Oslo"}}}},{"type":"track","event":"x"},"s"],"sentAt":"2024-02-01T00:00:00Z","context":{"consentManagement":{"allowedConsentIds":{"C0001":"Functional Cookies"},"deniedConsentIds":["C0002"]}}}"#,
        #"{"api_key":"k","batch":[{"type":"capture","event":"$pageview","distinct_id":"a7","properties":{"$current_url":"https://x.example/Shop/a?b","$time":1706745600.5,"$set_once":{"plan":"ignored","first":"yes"}}}],"sent_at":"2024-02-01T00:00:00Z"}"#,
        #"{"event":"$identify","distinct_id":"u7","uuid":"p1","timestamp":"2024-02-02T00:00:00Z","properties":{"$anon_distinct_id":"a7","$set":{"plan":"silver"}}}"#,
        #"{"event":"$identify","distinct_id":"u7","uuid":"p1","timestamp":"2024-02-02T00:00:00Z","properties":{}}"#,
        #"{"event":"Survey Sent","distinct_id":42,"timestamp":"2024-02-03 10:00:00","properties":{"$survey_response":9}}"#,
        #"{"type":"track","event":"e","userId":"u8","timestamp":"2024-02-04T00:00:00Z","traits":{"a":1},"context":{"traits":{"a":2,"b":3}}}"#,
        #"{"batch":{}}"#,
        #"{"distinct_id":"x","properties":{}}"#,
    ]

    func testVendorShapesEqualOnBothPaths() throws {
        let s = TempStore()
        s.write("s/v.jsonl", Self.vendorLines.joined(separator: "\n") + "\n")
        for assume in [false, true] {
            let options = ReaderOptions(assumeUTC: assume)
            for (threads, chunk) in [(0, 1 << 20), (2, 100), (1, 1)] {
                var reader = StoreReader(paths: [s.path("s")], selection: Self.selection, options: options)
                reader.parseThreads = threads
                reader.chunkBytes = chunk
                let t = try reader.load()
                var b = EventTableBuilder(selection: nil)
                let parser = EventLineParser(selection: Self.selection, options: options)
                var malformed = 0, envelopes = 0, items = 0
                for line in Self.vendorLines {
                    let records = parser.parseRecords(line)
                    if records.envelope { envelopes += 1; items += records.outcomes.count }
                    for o in records.outcomes {
                        switch o {
                        case .success(let e): b.add(e)
                        case .failure: malformed += 1
                        }
                    }
                }
                var reference = b.finish()
                XCTAssertEqual(t.stats.malformed, malformed)
                XCTAssertEqual(t.stats.envelopes, envelopes)
                XCTAssertEqual(t.stats.envelopeItems, items)
                XCTAssertEqual(t.stats.envelopes, 2)
                XCTAssertEqual(malformed, assume ? 4 : 5)  // batch items 2 (no id) and 3 (a string), {"batch":{}}, no event name (+ the zone-less time)
                reference.stats = t.stats
                assertSameTable(t, reference, "assumeUTC \(assume), threads \(threads), chunk \(chunk)")
            }
        }
    }

    /// The list columns of the lines above, by hand (rows are grouped by person: u9's rows l1, l2, l3 then u10's l4).
    func testListColumnsByHand() throws {
        let parser = EventLineParser(selection: Self.selection)
        var b = EventTableBuilder(selection: nil)
        for line in Self.lines where line.contains("\"l") && line.contains("Order Completed") || line.contains("\"l4\"") {
            guard case .success(let e) = parser.parse(line) else { return XCTFail(line) }
            b.add(e)
        }
        let t = b.finish()
        XCTAssertEqual(t.count, 4)
        let products = try XCTUnwrap(t.arrays["properties.products"])
        let tags = try XCTUnwrap(t.arrays["properties.tags"])
        // Row order: u9 l1, l2, l3; u10 l4.
        XCTAssertEqual(products.shape.map { ArrayShape(rawValue: $0)! }, [.array, .array, .array, .object])
        XCTAssertEqual(products.start, [0, 6, 6, 7, 7])  // l3: the repeated key's last list
        func text(_ v: PropValue) -> String {
            switch v.kind {
            case .string: return t.strings[v.stringID!]
            case .number: return "\(v.number!)"
            default: return "\(v.kind)"
            }
        }
        XCTAssertEqual(products.values["properties.products[].category"]!.map(text),
                       ["baby", "missing", "missing", "missing", "gifts", "missing", "new"])
        XCTAssertEqual(products.values["properties.products[].price"]!.map(text),
                       ["12.5", "3", "missing", "missing", "missing", "missing", "missing"])
        XCTAssertEqual(products.values["properties.products[].variant.size"]!.map(text),
                       ["S", "missing", "missing", "missing", "2.0", "missing", "missing"])
        XCTAssertEqual(tags.shape.map { ArrayShape(rawValue: $0)! }, [.array, .scalar, .null, .object])
        XCTAssertEqual(tags.start, [0, 5, 5, 5, 5])
        XCTAssertEqual(tags.values["properties.tags[]"]!.map(text), ["gift", "1.0", "null", "composite", "sale"])
        // The list itself, also selected as a plain path, stays a composite value.
        XCTAssertEqual(t.column("properties.products")!.map(\.kind), [.composite, .composite, .composite, .composite])
    }

    /// A list path on RudderStack's consent id lists does not take them away from consent.
    func testConsentListsKeepTheirMeaningWhenSelectedAsLists() throws {
        let parser = EventLineParser(selection: FieldSelection(paths: ["context.consentManagement.allowedConsentIds[]"]))
        let line = #"{"type":"track","userId":"u","event":"e","timestamp":"2024-01-01T00:00:00Z","context":{"consentManagement":{"allowedConsentIds":["C1"],"deniedConsentIds":["C2"]}}}"#
        guard case .success(let e) = parser.parse(line) else { return XCTFail() }
        XCTAssertEqual(e.consent, [ConsentEntry("C1", true), ConsentEntry("C2", false)])
    }

    /// Lists inside traits (kept only with ``FieldSelection/traitListsPath``): the list, then its elements as
    /// `list[i]…` traits; a repeated key or another source replaces the whole list, never element by element.
    func testListsInTraitsByHand() throws {
        let line = Self.lines.first { $0.contains("\"t1\"") }!
        guard case .success(let e) = EventLineParser(selection: Self.selection).parse(line) else { return XCTFail() }
        XCTAssertEqual(e.traits.map(\.path), ["kids", "kids[0].age", "kids2", "kids2[0]", "pets", "pets[0].n"])
        XCTAssertEqual(e.traits.map(\.value), [.composite, .number(2), .composite, .number(3), .composite, .string("c")])
        guard case .success(let plain) = EventLineParser(selection: FieldSelection(paths: [])).parse(line) else { return XCTFail() }
        XCTAssertEqual(plain.traits.map(\.path), ["kids", "kids2", "pets"])
    }

    /// A store without list paths in the selection keeps no list columns.
    func testNoListColumnsUnlessSelected() throws {
        let parser = EventLineParser(selection: FieldSelection(paths: ["properties.category"]))
        var b = EventTableBuilder(selection: nil)
        for line in Self.lines { if case .success(let e) = parser.parse(line) { b.add(e) } }
        XCTAssertTrue(b.finish().arrays.isEmpty)
    }

    func testSectionsAndConsentByHand() throws {
        let s = TempStore()
        s.write("s/a.jsonl", Self.lines.joined(separator: "\n") + "\n")
        let t = try StoreReader(paths: [s.path("s")], selection: Self.selection).load()
        let sections = Set(t.section.filter { $0 >= 0 }.map { t.strings[$0] })
        // "//Shop?q=1/x" → "shop"; "/?#/x" and "///" have no first piece: no section.
        XCTAssertEqual(sections, ["shop", "électro", "toys", "cafés"])
        XCTAssertEqual(t.consentCategories, ["Ads", "Analytics", "Email"])
        let medium = t.properties["context.campaign.medium"]!.compactMap { $0.stringID.map { t.strings[$0] } }
        XCTAssertEqual(medium, ["mail"])
    }
}
